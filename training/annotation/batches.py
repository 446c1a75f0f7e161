"""Annotation batches for human (or helper) annotators, and applying their labels to the corpus.

  python training/annotation/batches.py export-categories --docs seed-000 national-1954 -o batch.md
  python training/annotation/batches.py apply-categories batch.tsv --annotator NAME [--sample-dir DIR]

A batch file lists each paragraph as a block:  `### <id> | <kind> | <section path>` then the text.
The annotator returns a TSV: `<id>\t<CATEGORY>` for every paragraph of the batch (lines starting with # are comments).
Applying sets category = {label, by: "annotator:NAME", reviewed: true}; a different existing reviewed label is not
overwritten: it is reported as a conflict (use --adjudicate to overwrite, keeping the old label in history).
With --sample-dir the labels are instead written as that annotator's file of a double-annotation sample
(corpus/agreement/<sample>/<NAME>.jsonl) and the corpus is not touched.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from policytag.corpus import CATEGORIES, Corpus  # noqa: E402
from policytag.corpus.store import atomic_write_text  # noqa: E402


def block(rec: dict) -> str:
    section = " > ".join(rec["section"]) or "-"
    return f"### {rec['id']} | {rec['kind']} | {section}\n{rec['text']}\n"


def select_ids(corpus: Corpus, docs: list[str], sample: int = 0, seed: int = 13) -> list[str]:
    """Paragraph ids of the documents, or a seeded random sample of `sample` of them."""
    ids = [r["id"] for d in docs for r in corpus.records(d)]
    return sorted(random.Random(seed).sample(ids, sample)) if sample else ids


def export(corpus: Corpus, ids: list[str], out: Path) -> None:
    by_doc: dict[str, list[dict]] = {}
    wanted = set(ids)
    docs = sorted({i.split("#")[0] for i in ids})
    lines = [f"# {len(ids)} paragraphs\n"]
    for doc in docs:
        recs = corpus.records(doc)
        by_doc[doc] = recs
        lines.append(f"\n## document {doc}\n")
        for rec in recs:
            if rec["id"] in wanted:
                lines.append(block(rec))
    atomic_write_text(out, "\n".join(lines))


def read_tsv(path: Path) -> dict[str, str]:
    labels = {}
    for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            parts = line.split()
        rid, label = parts[0].strip(), parts[1].strip().upper()
        if label not in CATEGORIES:
            raise SystemExit(f"{path}:{n}: unknown category {label!r}")
        if rid in labels:
            raise SystemExit(f"{path}:{n}: {rid} labelled twice")
        labels[rid] = label
    return labels


def apply(corpus: Corpus, labels: dict[str, str], annotator: str, adjudicate: bool) -> None:
    by_doc: dict[str, dict[str, str]] = {}
    for rid, label in labels.items():
        by_doc.setdefault(rid.split("#")[0], {})[rid] = label
    conflicts = changed = 0
    for doc, doc_labels in sorted(by_doc.items()):
        recs = corpus.records(doc)
        known = {r["id"] for r in recs}
        unknown = set(doc_labels) - known
        if unknown:
            raise SystemExit(f"unknown ids: {sorted(unknown)[:5]}")
        for rec in recs:
            label = doc_labels.get(rec["id"])
            if label is None:
                continue
            new = {"label": label, "by": f"{'adjudicator' if adjudicate else 'annotator'}:{annotator}", "reviewed": True}
            old = rec["category"]
            if old and old.get("reviewed") and old["label"] != label and not adjudicate:
                conflicts += 1
                print(f"conflict {rec['id']}: corpus has {old['label']} ({old['by']}), {annotator} says {label}")
                continue
            if old == new or (old and old["label"] == label and old.get("reviewed")):
                continue
            if old:
                rec["history"].append({"field": "category", "old": old, "new": new, "by": new["by"]})
            rec["category"] = new
            changed += 1
        corpus.write_doc(doc, recs)
    print(f"{changed} labels set, {conflicts} conflicts left as they were")


def write_sample(corpus: Corpus, labels: dict[str, str], annotator: str, sample_dir: Path) -> None:
    out = []
    for rid, label in sorted(labels.items(), key=lambda kv: (kv[0].split("#")[0], int(kv[0].split("#")[1]))):
        out.append(json.dumps({"id": rid, "category": label}, ensure_ascii=False))
    atomic_write_text(sample_dir / f"{annotator}.jsonl", "\n".join(out) + "\n")
    print(f"{len(out)} sample labels written to {sample_dir / (annotator + '.jsonl')}")


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export-categories")
    e.add_argument("--docs", nargs="*", default=[])
    e.add_argument("--sample", type=int, default=0, help="a random sample of N paragraphs from --docs (seeded)")
    e.add_argument("--seed", type=int, default=13)
    e.add_argument("-o", "--output", type=Path, required=True)
    a = sub.add_parser("apply-categories")
    a.add_argument("tsv", type=Path)
    a.add_argument("--annotator", required=True)
    a.add_argument("--adjudicate", action="store_true")
    a.add_argument("--sample-dir", type=Path)
    args = ap.parse_args()
    corpus = Corpus(ROOT / "corpus")
    if args.cmd == "export-categories":
        ids = select_ids(corpus, args.docs, args.sample, args.seed)
        export(corpus, ids, args.output)
        print(f"{len(ids)} paragraphs -> {args.output}")
    else:
        labels = read_tsv(args.tsv)
        if args.sample_dir:
            write_sample(corpus, labels, args.annotator, args.sample_dir)
        else:
            apply(corpus, labels, args.annotator, args.adjudicate)


if __name__ == "__main__":
    main()
