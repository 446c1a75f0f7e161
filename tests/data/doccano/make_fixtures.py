"""Regenerate the doccano test fixtures (see README.md). Not run by the tests.

    python tests/data/doccano/make_fixtures.py corpus          # corpus/ from the repository's corpus records
    python tests/data/doccano/make_fixtures.py zips            # doccano-1.8.4-*.zip from a fresh local doccano
                                                               # 1.8.4 (policytag.doccano.server, its own venv)
"""

from __future__ import annotations

import io
import json
import secrets
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "src"))

from policytag.components.amounts import find_amounts  # noqa: E402
from policytag.corpus import Corpus  # noqa: E402
from policytag.corpus.store import dumps_records  # noqa: E402


def _amounts(text, by, reviewed):
    out = []
    for a in find_amounts(text):
        out.append({"start": a.start, "end": a.end, "label": "AMOUNT", "text": a.text, **a.reading(), "by": by,
                    "reviewed": reviewed})
    return out


def make_corpus() -> None:
    src = Corpus(ROOT / "corpus")
    dst = HERE / "corpus"
    (dst / "annotations").mkdir(parents=True, exist_ok=True)
    s0 = src.records("seed-000")[:9]
    for r in s0[:3]:
        r["entities"], r["entities_reviewed"] = [], True
    s0[3]["entities"], s0[3]["entities_reviewed"] = _amounts(s0[3]["text"], "annotator:ann-a", True), True
    s0[4]["entities"], s0[4]["entities_reviewed"] = _amounts(s0[4]["text"], "rule", False), False
    s3 = src.records("seed-003")
    s3[0]["entities"], s3[0]["entities_reviewed"] = [], True
    s3[5]["category"] = {"label": s3[5]["category"]["label"], "by": "model", "reviewed": False}
    s3[6]["category"] = None
    s3[7]["category"] = None
    (dst / "annotations" / "seed-000.jsonl").write_text(dumps_records(s0), "utf-8")
    (dst / "annotations" / "seed-003.jsonl").write_text(dumps_records(s3), "utf-8")
    (dst / "splits.json").write_text(json.dumps({"train": ["seed-000"], "dev": [], "test": ["seed-003"]}, indent=1)
                                     + "\n", "utf-8")


def make_zips() -> None:
    from policytag.doccano.server import DoccanoServer

    with DoccanoServer(password=secrets.token_urlsafe(16)) as server:
        _make_zips(server)


def _make_zips(server) -> None:
    from policytag.doccano.client import connect, push
    from policytag.doccano.formats import build_rows
    from policytag.pipeline import load

    conn = connect(server.url, server.admin, server.password)
    corpus = Corpus(HERE / "corpus")
    nlp = load()
    tag = secrets.token_hex(3)
    pw = "Fx-" + secrets.token_urlsafe(12)
    users = {}
    roles = {r["name"]: r["id"] for r in conn.client.get_roles()}
    for name in ("alice", "bruno"):
        r = conn.session.post(f"{conn.url}/v1/users/create",
                              json={"username": name, "password1": pw, "password2": pw})
        if r.status_code == 201:
            users[name] = r.json()["id"]
        else:
            users[name] = next(u["id"] for u in conn.client.get_user_list() if u["username"] == name)

    def member(pid, name):
        conn.session.post(f"{conn.url}/v1/projects/{pid}/members",
                          json={"user": users[name], "role": roles["annotator"]})
        return connect(conn.url, name, pw)

    def example(c, pid, rid):
        return next(e for e in c.examples(pid) if e["meta"].get("policytag_id") == rid)

    def export(pid, out):
        data = conn.export_zip(pid)
        (HERE / out).write_bytes(data)
        print(out, zipfile.ZipFile(io.BytesIO(data)).namelist())

    # 1. collaborative SequenceLabeling project on seed-000: alice edits three paragraphs
    rows = build_rows("spans", corpus.records("seed-000"), nlp=nlp)
    res = push(conn, "spans", f"fixture-spans-{tag}", rows)
    pid = res.project_id
    alice = member(pid, "alice")
    types = alice.label_types(pid, "span")
    ex = example(alice, pid, "seed-000#4")  # unreviewed rule spans: relabel the first one PROJECT
    s = sorted(alice.spans(pid, ex["id"]), key=lambda s: s["start_offset"])[0]
    alice.session.delete(f"{alice.url}/v1/projects/{pid}/examples/{ex['id']}/spans/{s['id']}")
    alice.session.post(f"{alice.url}/v1/projects/{pid}/examples/{ex['id']}/spans",
                       json={"label": types["PROJECT"], "start_offset": s["start_offset"],
                             "end_offset": s["end_offset"]})
    ex = example(alice, pid, "seed-000#3")  # reviewed entities: delete the last span (a conflict)
    s = sorted(alice.spans(pid, ex["id"]), key=lambda s: s["start_offset"])[-1]
    alice.session.delete(f"{alice.url}/v1/projects/{pid}/examples/{ex['id']}/spans/{s['id']}")
    ex = example(alice, pid, "seed-000#5")  # model pre-labels: drop the first span that is not an AMOUNT
    s = next(sp for sp in sorted(alice.spans(pid, ex["id"]), key=lambda sp: sp["start_offset"])
             if sp["label"] != types["AMOUNT"])
    alice.session.delete(f"{alice.url}/v1/projects/{pid}/examples/{ex['id']}/spans/{s['id']}")
    export(pid, "doccano-1.8.4-all-spans.zip")

    # 2. collaborative DocumentClassification project on seed-003: alice changes two categories, sets one
    rows = build_rows("categories", corpus.records("seed-003"), nlp=nlp)
    pid = push(conn, "categories", f"fixture-categories-{tag}", rows).project_id
    alice = member(pid, "alice")
    types = alice.label_types(pid, "category")
    for rid, label in (("seed-003#1", "PROBLEM"), ("seed-003#5", "MEASURE"), ("seed-003#6", "GOAL")):
        ex = example(alice, pid, rid)
        for c in alice.categories(pid, ex["id"]):
            alice.session.delete(f"{alice.url}/v1/projects/{pid}/examples/{ex['id']}/categories/{c['id']}")
        alice.session.post(f"{alice.url}/v1/projects/{pid}/examples/{ex['id']}/categories",
                           json={"label": types[label]})
    export(pid, "doccano-1.8.4-all-categories.zip")

    # 3. IntentDetectionAndSlotFilling project with individual annotation: alice and bruno on seed-003
    rows = build_rows("joint", corpus.records("seed-003"), nlp=nlp)
    res = push(conn, "joint", f"fixture-joint-{tag}", rows)
    pid = res.project_id
    conn.session.patch(f"{conn.url}/v1/projects/{pid}",
                       json={"collaborative_annotation": False, "resourcetype": "IntentDetectionAndSlotFillingProject"})
    work = {"alice": {"seed-003#1": "ACHIEVEMENT", "seed-003#2": "ACHIEVEMENT", "seed-003#7": "GOAL"},
            "bruno": {"seed-003#1": "ACHIEVEMENT", "seed-003#2": "MEASURE", "seed-003#7": "GOAL"}}
    for name, cats in work.items():
        c = member(pid, name)
        ctypes, stypes = c.label_types(pid, "category"), c.label_types(pid, "span")
        for rid, label in cats.items():
            ex = example(c, pid, rid)
            c.session.post(f"{c.url}/v1/projects/{pid}/examples/{ex['id']}/categories", json={"label": ctypes[label]})
        ex = example(c, pid, "seed-003#7")
        a = find_amounts(ex["text"])[0]
        c.session.post(f"{c.url}/v1/projects/{pid}/examples/{ex['id']}/spans",
                       json={"label": stypes["AMOUNT"], "start_offset": a.start, "end_offset": a.end})
        if name == "bruno":
            b = find_amounts(ex["text"])[1]
            c.session.post(f"{c.url}/v1/projects/{pid}/examples/{ex['id']}/spans",
                           json={"label": stypes["AMOUNT"], "start_offset": b.start, "end_offset": b.end})
    export(pid, "doccano-1.8.4-users-joint.zip")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "corpus"
    if what == "corpus":
        make_corpus()
    elif what == "zips":
        make_zips()
    else:
        raise SystemExit(__doc__)
