"""End to end against a real doccano 1.8.4 server on 127.0.0.1, started by the test in its own venv
($POLICYTAG_DOCCANO_VENV or .venv-doccano; `.ci/run` creates it). With CI set, a server that cannot be started
fails the test; locally a missing venv skips it with the reason."""

import os
import secrets

import pytest

from doccano_helpers import records_by_id, snapshot
from policytag.cli import main
from policytag.doccano.client import DoccanoError, connect
from policytag.doccano.server import DoccanoServer, DoccanoServerError, find_venv, group_alive

pytestmark = pytest.mark.doccano

ANNOTATOR = "wang-li"


@pytest.fixture(scope="module")
def server():
    venv = find_venv()
    if venv is None:
        reason = ("no doccano 1.8.4 environment: set POLICYTAG_DOCCANO_VENV or create .venv-doccano "
                  "(see .ci/run)")
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    srv = DoccanoServer(venv, password=secrets.token_urlsafe(16), start_timeout=120)
    try:
        srv.start()
    except DoccanoServerError as e:
        srv.cleanup()
        pytest.fail(f"the doccano server could not be started: {e}")
    groups = srv.pids()
    try:
        yield srv
    finally:
        srv.cleanup()
        left = [g for g in groups if group_alive(g)]
        assert not left, f"doccano processes left behind (process groups {left})"


@pytest.fixture
def env(server, monkeypatch):
    monkeypatch.setenv("POLICYTAG_DOCCANO_URL", server.url)
    monkeypatch.setenv("POLICYTAG_DOCCANO_USER", server.admin)
    monkeypatch.setenv("POLICYTAG_DOCCANO_PASSWORD", server.password)
    return server


@pytest.fixture(scope="module")
def annotator(server):
    """A second user, as an annotation team member would be: (name, password)."""
    admin = connect(server.url, server.admin, server.password)
    password = "Ann-" + secrets.token_urlsafe(12)
    r = admin.session.post(f"{server.url}/v1/users/create",
                           json={"username": ANNOTATOR, "password1": password, "password2": password})
    assert r.status_code == 201, r.text
    return ANNOTATOR, password, r.json()["id"]


def join(server, annotator, project_id):
    """Add the annotator to a project (role annotator) and log in as them."""
    admin = connect(server.url, server.admin, server.password)
    roles = {r["name"]: r["id"] for r in admin.client.get_roles()}
    r = admin.session.post(f"{server.url}/v1/projects/{project_id}/members",
                           json={"user": annotator[2], "role": roles["annotator"]})
    assert r.status_code == 201, r.text
    return connect(server.url, annotator[0], annotator[1])


def example(conn, project_id, record_id):
    return next(e for e in conn.examples(project_id) if e["meta"].get("policytag_id") == record_id)


def test_push_change_pull_finds_exactly_that_change(env, annotator, corpus, capsys):
    server = env
    before_bytes = snapshot(corpus)
    before = records_by_id(corpus)
    assert main(["doccano", "push", "--corpus", str(corpus.root), "--task", "spans", "--docs", "seed-000",
                 "--project", "live-spans"]) == 0
    assert "9 row(s) uploaded" in capsys.readouterr().out
    assert snapshot(corpus) == before_bytes  # pushing changes nothing

    admin = connect(server.url, server.admin, server.password)
    project = admin.project("live-spans")
    assert project["project_type"] == "SequenceLabeling"
    assert project["grapheme_mode"] is True and project["collaborative_annotation"] is True
    assert set(admin.label_types(project["id"], "span")) == {"COMPANY", "PROJECT", "AMOUNT"}
    examples = list(admin.examples(project["id"]))
    assert [e["meta"]["policytag_id"] for e in examples] == [f"seed-000#{i}" for i in range(9)]
    assert [e["text"] for e in examples] == [before[f"seed-000#{i}"]["text"] for i in range(9)]
    ex3 = example(admin, project["id"], "seed-000#3")
    assert sorted((s["start_offset"], s["end_offset"]) for s in admin.spans(project["id"], ex3["id"])) == \
        sorted((e["start"], e["end"]) for e in before["seed-000#3"]["entities"])

    # the annotator relabels one span of seed-000#4 (unreviewed) through the API, as the editor does
    anna = join(server, annotator, project["id"])
    ex = example(anna, project["id"], "seed-000#4")
    spans = sorted(anna.spans(project["id"], ex["id"]), key=lambda s: s["start_offset"])
    target = spans[0]
    types = anna.label_types(project["id"], "span")
    r = anna.session.delete(f"{server.url}/v1/projects/{project['id']}/examples/{ex['id']}/spans/{target['id']}")
    assert r.status_code == 204
    r = anna.session.post(f"{server.url}/v1/projects/{project['id']}/examples/{ex['id']}/spans",
                          json={"label": types["PROJECT"], "start_offset": target["start_offset"],
                                "end_offset": target["end_offset"]})
    assert r.status_code == 201, r.text

    assert main(["doccano", "pull", "--corpus", str(corpus.root), "--project", "live-spans"]) == 0
    out = capsys.readouterr()
    assert "changed 1 label(s) in 1 record(s)" in out.out, out
    after = records_by_id(corpus)
    assert {rid for rid in before if after[rid] != before[rid]} == {"seed-000#4"}
    old, new = before["seed-000#4"], after["seed-000#4"]
    changed = [(o, n) for o, n in zip(old["entities"], new["entities"])
               if (o["start"], o["end"], o["label"]) != (n["start"], n["end"], n["label"])]
    assert len(new["entities"]) == len(old["entities"]) and len(changed) == 1
    (o, n), = changed
    assert (n["start"], n["end"]) == (target["start_offset"], target["end_offset"]) == (o["start"], o["end"])
    assert (o["label"], n["label"]) == ("AMOUNT", "PROJECT") and n["text"] == o["text"]
    assert new["entities_reviewed"] is True
    assert all(e["by"] == f"doccano:{ANNOTATOR}" and e["reviewed"] for e in new["entities"])
    assert new["history"][0] == {"field": "entities", "old": old["entities"], "new": new["entities"],
                                 "by": f"doccano:{ANNOTATOR}", "note": new["history"][0]["note"]}
    assert new["category"] == old["category"] and new["text"] == old["text"]
    changed_files = [k for k in before_bytes if snapshot(corpus)[k] != before_bytes[k]]
    assert changed_files == ["annotations/seed-000.jsonl"]

    # pulling again, through the API or doccano's export, changes no byte
    now = snapshot(corpus)
    assert main(["doccano", "pull", "--corpus", str(corpus.root), "--project", "live-spans"]) == 0
    assert main(["doccano", "pull", "--corpus", str(corpus.root), "--project", str(project["id"]),
                 "--via", "export"]) == 0
    assert snapshot(corpus) == now
    # pushing again uploads nothing twice
    assert main(["doccano", "push", "--corpus", str(corpus.root), "--task", "spans", "--docs", "seed-000",
                 "--project", "live-spans"]) == 0
    assert "0 row(s) uploaded, 9 already there" in capsys.readouterr().out


def test_category_conflict_is_reported_and_prefer_doccano_applies_it(env, annotator, corpus, capsys):
    server = env
    assert main(["doccano", "push", "--corpus", str(corpus.root), "--task", "categories", "--docs", "seed-003",
                 "--project", "live-categories"]) == 0
    admin = connect(server.url, server.admin, server.password)
    project = admin.project("live-categories")
    assert project["project_type"] == "DocumentClassification" and project["single_class_classification"]
    anna = join(server, annotator, project["id"])
    types = anna.label_types(project["id"], "category")
    assert set(types) == {"ACHIEVEMENT", "PROBLEM", "GOAL", "MEASURE", "OTHER"}
    ex = example(anna, project["id"], "seed-003#1")  # reviewed ACHIEVEMENT in the corpus
    for c in anna.categories(project["id"], ex["id"]):
        anna.session.delete(f"{server.url}/v1/projects/{project['id']}/examples/{ex['id']}/categories/{c['id']}")
    r = anna.session.post(f"{server.url}/v1/projects/{project['id']}/examples/{ex['id']}/categories",
                          json={"label": types["PROBLEM"]})
    assert r.status_code == 201, r.text
    ex5 = example(anna, project["id"], "seed-003#5")  # unreviewed model label: the annotator confirms it as is
    r = anna.session.post(f"{server.url}/v1/projects/{project['id']}/examples/{ex5['id']}/states", json={})
    assert r.status_code == 201, r.text
    capsys.readouterr()

    before = records_by_id(corpus)
    assert main(["doccano", "pull", "--corpus", str(corpus.root), "--project", "live-categories"]) == 1
    err = capsys.readouterr().err
    assert f"conflict seed-003#1 category: corpus has reviewed ACHIEVEMENT (annotator:ann-a), doccano:{ANNOTATOR} " \
           f"says PROBLEM" in err
    after = records_by_id(corpus)
    assert after["seed-003#1"] == before["seed-003#1"]
    assert after["seed-003#5"]["category"] == {"label": "ACHIEVEMENT", "by": f"doccano:{ANNOTATOR}", "reviewed": True}
    assert {rid for rid in before if after[rid] != before[rid]} == {"seed-003#5"}

    assert main(["doccano", "pull", "--corpus", str(corpus.root), "--project", "live-categories",
                 "--prefer", "doccano"]) == 0
    final = records_by_id(corpus)
    assert final["seed-003#1"]["category"] == {"label": "PROBLEM", "by": f"doccano:{ANNOTATOR}", "reviewed": True}
    assert final["seed-003#1"]["history"][-1]["old"] == before["seed-003#1"]["category"]


def test_push_joint_most_uncertain_first(env, corpus, capsys):
    server = env
    assert main(["doccano", "push", "--corpus", str(corpus.root), "--task", "joint", "--docs", "seed-003",
                 "--order", "uncertain", "--limit", "4", "--project", "live-joint"]) == 0
    admin = connect(server.url, server.admin, server.password)
    project = admin.project("live-joint")
    assert project["project_type"] == "IntentDetectionAndSlotFilling"
    examples = list(admin.examples(project["id"]))
    scores = [e["meta"]["policytag_uncertainty"] for e in examples]
    assert len(examples) == 4 and scores == sorted(scores, reverse=True)


def test_wrong_password_is_a_clear_error(server):
    with pytest.raises(DoccanoError, match="refused the login") as err:
        connect(server.url, server.admin, "wrong-" + server.password)
    assert server.password not in str(err.value)
