"""The COMPANY/PROJECT supplements: text annotated for COMPANY and PROJECT only (under ANNOTATION.md), used to train
the NER and to select it on its dev part, never to evaluate the product (the corpus test split does that).

- news: sentences of the SIGHAN 2005 word-segmentation gold (People's Daily / MSR news) that name companies or projects
  (corpus/supplement/news-entities.jsonl);
- reports: body paragraphs of the corpus's own train and dev reports whose full entity layer was not annotated
  (corpus/supplement/report-entities.jsonl); each keeps its document and split, so nothing comes from a test report.

    python training/annotation/supplement.py select --segmentation ../shared/data/segmentation -o sentences.jsonl
    python training/annotation/supplement.py select-reports -o paragraphs.jsonl
    python training/annotation/supplement.py export sentences.jsonl --part 0/2 -o batch.md
    python training/annotation/supplement.py apply sentences.jsonl batch.jsonl --annotator NAME [--check]

`apply` writes the supplement file of the rows' kind atomically: one record per sentence or paragraph
{"id", ["doc",] "text", "source", "split", "entities": [{"start", "end", "label"}], "by", "reviewed"}. A record already
in the file with reviewed entities is not overwritten: a differing annotation is reported as a conflict.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from policytag.corpus.store import atomic_write_text  # noqa: E402
from policytag.read.normalize import Mapped, Normalizer  # noqa: E402

SUPPLEMENT = ROOT / "corpus" / "supplement" / "news-entities.jsonl"
REPORT_SUPPLEMENT = ROOT / "corpus" / "supplement" / "report-entities.jsonl"
LABELS = ("COMPANY", "PROJECT")
# Words that make a sentence likely to name a company or a project (selection only; the annotator decides).
CUES = re.compile(
    r"公司|集团|有限|股份|银行|药业|实业|控股|企业|厂|矿务局|油田|"
    r"项目|工程|电站|电厂|大桥|铁路|高速公路|机场|水库|水利枢纽|港|基地|开工|竣工|投产|签约|引进|合资"
)
SENTENCE_END = re.compile(r"(?<=[。！？；])")
MAX_LEN = 220
MIN_LEN = 12
DEV_SHARE = 5  # one sentence in five (by hash) is held out to select the NER


def normalize(text: str) -> str:
    return Normalizer().line(Mapped.of(text)).text


def select(seg_dir: Path, out: Path) -> None:
    rows, seen = [], set()
    for name in ("pku_test_gold.utf8", "msr_test_gold.utf8"):
        for n, line in enumerate((seg_dir / name).read_text("utf-8").splitlines(), start=1):
            text = normalize(line.replace(" ", ""))
            for k, sent in enumerate(s for s in SENTENCE_END.split(text) if s):
                sent = sent.strip()
                if not (MIN_LEN <= len(sent) <= MAX_LEN) or not CUES.search(sent) or sent in seen:
                    continue
                seen.add(sent)
                rid = f"news-{name[:3]}-{n}-{k}"
                h = int(hashlib.sha1(rid.encode()).hexdigest(), 16)
                rows.append({"id": rid, "text": sent, "source": f"SIGHAN 2005 {name} line {n}",
                             "split": "dev" if h % DEV_SHARE == 0 else "train"})
    atomic_write_text(out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"{len(rows)} sentences -> {out}")


def select_reports(out: Path, corpus_dir: Path | None = None) -> None:
    """Body paragraphs of the train and dev reports without a reviewed entity layer, in document order."""
    from policytag.corpus import Corpus

    corpus = Corpus(corpus_dir)
    rows = []
    for split in ("train", "dev"):
        for doc in corpus.splits()[split]:
            for rec in corpus.records(doc):
                if rec["kind"] != "body" or rec.get("entities_reviewed"):
                    continue
                rows.append({"id": rec["id"], "doc": doc, "text": rec["text"], "section": rec["section"],
                             "source": f"corpus/annotations/{doc}.jsonl", "split": split})
    atomic_write_text(out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"{len(rows)} paragraphs of {len({r['doc'] for r in rows})} reports -> {out}")


def load_rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _parts_by_document(rows: list[dict], n: int) -> list[list[str]]:
    """Whole documents per part (an annotator reads a report in order), balanced by characters."""
    size: dict[str, int] = {}
    for r in rows:
        size[r["doc"]] = size.get(r["doc"], 0) + len(r["text"])
    parts: list[list[str]] = [[] for _ in range(n)]
    load = [0] * n
    for doc in sorted(size, key=lambda d: (-size[d], d)):
        k = min(range(n), key=lambda j: (load[j], j))
        parts[k].append(doc)
        load[k] += size[doc]
    return parts


def export(rows: list[dict], part: str, out: Path) -> None:
    i, n = (int(x) for x in part.split("/"))
    if rows and "doc" in rows[0]:
        docs = set(_parts_by_document(rows, n)[i])
        mine = [r for r in rows if r["doc"] in docs]
        lines = [f"# {len(mine)} paragraphs of {len(docs)} reports\n"] + [
            f"### {r['id']} | {' > '.join(r['section']) or '-'}\n{r['text']}\n" for r in mine]
    else:
        mine = rows[i::n]
        lines = [f"# {len(mine)} sentences\n"] + [f"### {r['id']}\n{r['text']}\n" for r in mine]
    atomic_write_text(out, "\n".join(lines))
    print(f"{len(mine)} sentences -> {out}")


def locate(text: str, entities: list[dict], rid: str) -> list[dict]:
    """Character offsets for the annotator's entities (each at its first occurrence after the previous one unless
    `start` is given); raises ValueError with a precise message on any problem."""
    out, pos = [], 0
    for e in entities:
        label, surface = e.get("label"), e.get("text", "")
        if label not in LABELS:
            raise ValueError(f"{rid}: label {label!r} is not one of {LABELS}")
        if not surface or surface != surface.strip():
            raise ValueError(f"{rid}: empty or space-padded entity text {surface!r}")
        start = e.get("start")
        if start is None:
            start = text.find(surface, pos)
            if start < 0:
                start = text.find(surface)
        if start < 0 or text[start:start + len(surface)] != surface:
            raise ValueError(f"{rid}: {surface!r} not found in the sentence" + (f" at {e.get('start')}" if e.get("start") is not None else ""))
        end = start + len(surface)
        out.append({"start": start, "end": end, "label": label})
        pos = end
    out.sort(key=lambda e: e["start"])
    for a, b in zip(out, out[1:]):
        if b["start"] < a["end"]:
            raise ValueError(f"{rid}: overlapping entities {text[a['start']:a['end']]!r} / {text[b['start']:b['end']]!r}")
    return out


def apply(rows: list[dict], batch: Path, annotator: str, check: bool) -> int:
    by_id = {r["id"]: r for r in rows}
    problems, done = [], {}
    for n, line in enumerate(batch.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            rid = item["id"]
            if rid not in by_id:
                raise ValueError(f"unknown id {rid!r}")
            if rid in done:
                raise ValueError(f"{rid} annotated twice")
            done[rid] = locate(by_id[rid]["text"], item.get("entities") or [], rid)
        except (ValueError, KeyError, json.JSONDecodeError) as exc:
            problems.append(f"{batch}:{n}: {exc}")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problems; nothing written")
        return 1
    if check:
        counts = {lab: sum(e["label"] == lab for ents in done.values() for e in ents) for lab in LABELS}
        print(f"check OK: {len(done)} sentences, {counts}")
        return 0
    target = REPORT_SUPPLEMENT if rows and "doc" in rows[0] else SUPPLEMENT
    existing = {r["id"]: r for r in load_rows(target)} if target.exists() else {}
    conflicts = 0
    for rid, ents in done.items():
        old = existing.get(rid)
        if old and old.get("reviewed") and old["entities"] != ents:
            conflicts += 1
            print(f"conflict {rid}: kept the reviewed annotation by {old['by']}")
            continue
        src = by_id[rid]
        existing[rid] = {"id": rid, **({"doc": src["doc"]} if "doc" in src else {}), "text": src["text"],
                         "source": src["source"], "split": src["split"],
                         "entities": ents, "by": f"annotator:{annotator}", "reviewed": True}
    order = {r["id"]: i for i, r in enumerate(rows)}
    out = sorted(existing.values(), key=lambda r: order.get(r["id"], len(order)))
    atomic_write_text(target, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out))
    print(f"{len(done)} applied, {conflicts} conflicts; {len(out)} in {target}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("select")
    s.add_argument("--segmentation", type=Path, required=True)
    s.add_argument("-o", "--output", type=Path, required=True)
    r = sub.add_parser("select-reports")
    r.add_argument("-o", "--output", type=Path, required=True)
    r.add_argument("--corpus", type=Path, default=None)
    e = sub.add_parser("export")
    e.add_argument("sentences", type=Path)
    e.add_argument("--part", default="0/1", help="i/n: every n-th sentence starting at i")
    e.add_argument("-o", "--output", type=Path, required=True)
    a = sub.add_parser("apply")
    a.add_argument("sentences", type=Path)
    a.add_argument("batch", type=Path)
    a.add_argument("--annotator", required=True)
    a.add_argument("--check", action="store_true", help="validate only; write nothing")
    args = ap.parse_args()
    if args.cmd == "select":
        select(args.segmentation, args.output)
        return 0
    if args.cmd == "select-reports":
        select_reports(args.output, args.corpus)
        return 0
    rows = load_rows(args.sentences)
    if args.cmd == "export":
        export(rows, args.part, args.output)
        return 0
    return apply(rows, args.batch, args.annotator, args.check)


if __name__ == "__main__":
    sys.exit(main())
