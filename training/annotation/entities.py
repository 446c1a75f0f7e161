"""Entity annotation batches: export paragraphs with the AMOUNT recognizer's candidates, apply annotators' entity lists.

  python training/annotation/entities.py export --docs seed-000 ... -o batch.md [--sample N]
  python training/annotation/entities.py apply batch.jsonl --annotator NAME [--sample-dir DIR]

The annotator returns one JSON object per paragraph (JSONL), entities in textual order:
  {"id": "seed-000#3", "entities": [{"text": "118亿元", "label": "AMOUNT", "value": 11800000000, "unit": "CNY", "comparator": "="},
                                    {"text": "金川集团", "label": "COMPANY"},
                                    {"text": "500多台", "label": "AMOUNT", "value": [500, 600], "unit": "台", "comparator": "="}]}
Each entity is located in the paragraph at its "start" when given, else at the first occurrence after the previous
entity. Every AMOUNT carries its reading (value, unit, comparator) as the annotator wrote it (copied from the
recognizer's candidate line when it is right): gold readings are never taken silently from the recognizer. Applying sets entities (by annotator:NAME, reviewed) and entities_reviewed = true;
a different existing reviewed entity list is reported as a conflict and kept unless --adjudicate.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from policytag.components.amounts import find_amounts  # noqa: E402
from policytag.corpus import Corpus  # noqa: E402
from policytag.corpus.schema import entity_problems  # noqa: E402
from policytag.corpus.store import atomic_write_text  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batches import select_ids  # noqa: E402


def _fmt_value(v):
    if isinstance(v, list):
        return f"[{_num(v[0])}, {_num(v[1])}]"
    return "null" if v is None else _num(v)


def _num(x):
    return str(int(x)) if float(x).is_integer() else repr(x)


def export(corpus: Corpus, ids: list[str], out: Path) -> None:
    wanted = set(ids)
    lines = [f"# {len(ids)} paragraphs\n"]
    for doc in sorted({i.split('#')[0] for i in ids}):
        lines.append(f"\n## document {doc}\n")
        for rec in corpus.records(doc):
            if rec["id"] not in wanted:
                continue
            section = " > ".join(rec["section"]) or "-"
            lines.append(f"### {rec['id']} | {rec['kind']} | {section}\n{rec['text']}\n")
            cands = find_amounts(rec["text"])
            if cands:
                lines.append("AMOUNT candidates (recognizer): " + "; ".join(
                    f"{a.text}@{a.start} value={_fmt_value(a.reading()['value'])} unit={a.unit} cmp={a.comparator}"
                    for a in cands) + "\n")
    atomic_write_text(out, "\n".join(lines))


def locate(rec: dict, items: list[dict]) -> tuple[list[dict], list[str]]:
    text = rec["text"]
    cands = {(a.start, a.end): a.reading() for a in find_amounts(text)}
    out, problems, cursor = [], [], 0
    for item in items:
        t, label = item.get("text"), item.get("label")
        if not t or label not in ("COMPANY", "PROJECT", "AMOUNT"):
            problems.append(f"{rec['id']}: bad entity {item}")
            continue
        if "start" in item:
            s = int(item["start"])
            if text[s:s + len(t)] != t:
                problems.append(f"{rec['id']}: {t!r} is not at {s}")
                continue
        else:
            s = text.find(t, cursor)
            if s < 0:
                s2 = text.find(t)
                problems.append(f"{rec['id']}: {t!r} not found after offset {cursor}" + (f" (it is at {s2})" if s2 >= 0 else ""))
                continue
        e = s + len(t)
        ent = {"start": s, "end": e, "label": label, "text": t}
        if label == "AMOUNT":
            # the gold reading is what the annotator wrote, never silently the recognizer's
            missing = [k for k in ("value", "unit", "comparator") if k not in item]
            if missing:
                problems.append(f"{rec['id']}: AMOUNT {t!r}@{s} lacks {', '.join(missing)}")
                continue
            cand = cands.get((s, e)) or {}
            dimension = item.get("dimension") or (cand.get("dimension") if cand.get("unit") == item["unit"] else None)
            ent.update({"value": item["value"], "unit": item["unit"], "comparator": item["comparator"],
                        "dimension": dimension})
        out.append(ent)
        cursor = e
    return out, problems


def read_jsonl(path: Path) -> dict[str, list[dict]]:
    out = {}
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        obj = json.loads(line)
        if obj["id"] in out:
            raise SystemExit(f"{path}:{n}: {obj['id']} twice")
        out[obj["id"]] = obj.get("entities", [])
    return out


def _key(ents):
    return sorted((e["start"], e["end"], e["label"], json.dumps(e.get("value")), e.get("unit"), e.get("comparator"))
                  for e in ents)


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("export")
    e.add_argument("--docs", nargs="*", default=[])
    e.add_argument("--sample", type=int, default=0)
    e.add_argument("--seed", type=int, default=29)
    e.add_argument("-o", "--output", type=Path, required=True)
    a = sub.add_parser("apply")
    a.add_argument("jsonl", type=Path)
    a.add_argument("--annotator", required=True)
    a.add_argument("--adjudicate", action="store_true")
    a.add_argument("--sample-dir", type=Path)
    a.add_argument("--check", action="store_true", help="only report problems")
    args = ap.parse_args()
    corpus = Corpus(ROOT / "corpus")
    if args.cmd == "export":
        ids = select_ids(corpus, args.docs, args.sample, args.seed)
        export(corpus, ids, args.output)
        print(f"{len(ids)} paragraphs -> {args.output}")
        return
    labels = read_jsonl(args.jsonl)
    recs = {r["id"]: r for d in sorted({i.split('#')[0] for i in labels}) for r in corpus.records(d)}
    unknown = set(labels) - set(recs)
    if unknown:
        raise SystemExit(f"unknown ids: {sorted(unknown)[:5]}")
    located, problems = {}, []
    for rid, items in labels.items():
        ents, probs = locate(recs[rid], items)
        problems += probs
        problems += [f"{rid}: {p}" for p in entity_problems(ents, recs[rid]["text"], require_provenance=False)]
        located[rid] = ents
    for p in problems:
        print(p)
    if problems or args.check:
        raise SystemExit(f"{len(problems)} problem(s); nothing applied" if problems else "check OK")
    if args.sample_dir:
        rows = [json.dumps({"id": rid, "entities": [[e["start"], e["end"], e["label"]] for e in ents]}, ensure_ascii=False)
                for rid, ents in sorted(located.items(), key=lambda kv: (kv[0].split('#')[0], int(kv[0].split('#')[1])))]
        atomic_write_text(args.sample_dir / f"{args.annotator}.jsonl", "\n".join(rows) + "\n")
        print(f"{len(rows)} sample records -> {args.sample_dir / (args.annotator + '.jsonl')}")
        return
    by = f"{'adjudicator' if args.adjudicate else 'annotator'}:{args.annotator}"
    changed = conflicts = 0
    for doc in sorted({i.split('#')[0] for i in located}):
        doc_recs = corpus.records(doc)
        for rec in doc_recs:
            if rec["id"] not in located:
                continue
            new = [{**e, "by": by, "reviewed": True} for e in located[rec["id"]]]
            old = rec["entities"]
            if old is not None and rec.get("entities_reviewed") and _key(old) != _key(new) and not args.adjudicate:
                conflicts += 1
                print(f"conflict {rec['id']}: corpus has {len(old)} reviewed entities that differ; kept")
                continue
            if old is not None and rec.get("entities_reviewed") and _key(old) == _key(new):
                continue
            if old is not None:
                rec["history"].append({"field": "entities", "old": old, "new": new, "by": by})
            rec["entities"], rec["entities_reviewed"] = new, True
            changed += 1
        corpus.write_doc(doc, doc_recs)
    print(f"{changed} paragraphs set, {conflicts} conflicts kept")


if __name__ == "__main__":
    main()
