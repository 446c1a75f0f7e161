"""Bring the corpus in line with the current reader after a change to how it cuts a report into paragraphs or
finds its headings (src/policytag/read, src/policytag/structure).

Every document is read again from its raw report. A record whose paragraph the reader now cuts in two or more (a
heading line that had been joined to the paragraph under it: `第三、正确地确定基本建设的总规模…` + `我们要为经济振兴
打好基础…`) is split:
- each piece keeps its own text and source span; entities move to the piece they lie in (a document where an entity
  would cross a cut is left alone and reported);
- a piece the reader now calls a heading (or a marked heading line, `第四、…的方针`) is `OTHER` (ANNOTATION.md §2: a heading alone on its line is OTHER), by
  `adjudicator:lead`; the one other piece keeps the record's category, entities and history (a record that would
  give two body pieces is left alone and reported: that needs an annotator);
- every change is written to the pieces' history.
Records are renumbered (`doc#index`), and the ids in corpus/supplement/report-entities.jsonl and corpus/agreement/
follow: a split record's id goes to its body piece; a report-supplement row is split like its record. Kinds and
section paths of all records are refreshed. Labels are never changed otherwise; files are written atomically.

    python training/resegment_corpus.py [--dry-run]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from policytag.corpus import Corpus, new_record  # noqa: E402
from policytag.corpus.store import atomic_write_text  # noqa: E402
from policytag.read import read  # noqa: E402
from policytag.structure import is_marked_heading  # noqa: E402

BY = "adjudicator:lead"
SPLIT_NOTE = "split by the reader: a heading line had been joined to the paragraph under it"


class Skip(Exception):
    pass


def _groups(records: list[dict], paragraphs: list) -> list[tuple[dict, list]]:
    """Each record with the reader's paragraphs that make it up (one, or the pieces it is now cut into)."""
    out, j = [], 0
    for rec in records:
        pieces, text = [], ""
        while j < len(paragraphs) and len(text) < len(rec["text"]):
            pieces.append(paragraphs[j])
            text += paragraphs[j].text
            j += 1
        if text != rec["text"]:
            raise Skip(f"paragraph {rec['id']} does not match the reader's paragraphs")
        out.append((rec, pieces))
    if j != len(paragraphs):
        raise Skip("the reader finds paragraphs the corpus does not have")
    return out


def _cut(ents: list[dict] | None, offset: int, length: int, rid: str) -> list[dict] | None:
    if ents is None:
        return None
    out = []
    for e in ents:
        if e["start"] >= offset and e["end"] <= offset + length:
            out.append(dict(e, start=e["start"] - offset, end=e["end"] - offset))
        elif e["start"] < offset + length and e["end"] > offset:
            raise Skip(f"entity {e['text']!r} of {rid} would cross a cut")
    return out


def resegment_doc(doc: str, records: list[dict], paragraphs: list) -> tuple[list[dict], dict, dict, Counter]:
    """New records, old id -> new id, old id -> [(new id, offset, length)] for split records, counts."""
    counts: Counter = Counter()
    new_records: list[dict] = []
    id_map: dict[str, str] = {}
    splits: dict[str, list[tuple[str, int, int]]] = {}
    for rec, pieces in _groups(records, paragraphs):
        if len(pieces) == 1:
            p = pieces[0]
            out = dict(rec, id=f"{doc}#{len(new_records)}", index=len(new_records), kind=p.kind,
                       section=list(p.section), source_span=list(p.source_span))
            counts["kind changed"] += rec["kind"] != p.kind
            counts["section changed"] += list(rec["section"]) != list(p.section)
            id_map[rec["id"]] = out["id"]
            new_records.append(out)
            continue
        body = [p for p in pieces if not _heading(p)]
        if len(body) != 1:
            raise Skip(f"{rec['id']} would be cut into {len(body)} body paragraphs: an annotator must label them")
        offset = 0
        splits[rec["id"]] = []
        for p in pieces:
            index = len(new_records)
            out = new_record(doc, index, p.text, section=p.section, kind=p.kind, source_span=p.source_span)
            out["entities"] = _cut(rec["entities"], offset, len(p.text), rec["id"])
            out["entities_reviewed"] = rec["entities_reviewed"]
            change = {"field": "text", "old": rec["text"], "new": p.text, "by": BY, "note": SPLIT_NOTE}
            if _heading(p):
                cat = None if rec["category"] is None else {"label": "OTHER", "by": BY, "reviewed": True}
                out["category"] = cat
                out["history"] = [change] + ([{"field": "category", "old": rec["category"], "new": cat, "by": BY,
                                               "note": "ANNOTATION.md §2: a heading alone on its line is OTHER"}]
                                             if cat is not None else [])
                counts["heading pieces (OTHER)"] += 1
            else:
                out["category"] = copy.deepcopy(rec["category"])
                out["history"] = copy.deepcopy(rec["history"]) + [change]
                id_map[rec["id"]] = out["id"]
                counts["body pieces"] += 1
            splits[rec["id"]].append((out["id"], offset, len(p.text)))
            offset += len(p.text)
            new_records.append(out)
        counts["records split"] += 1
    return new_records, id_map, splits, counts


def _heading(p) -> bool:
    """A heading line: the reader's heading, or a marked heading line it kept as body because a neighbour opens with
    the same marker (ANNOTATION.md §2 labels the line alone by what it is: a heading)."""
    return p.kind == "heading" or is_marked_heading(p.text) is not None


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    atomic_write_text(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def remap_supplement(rows: list[dict], id_map: dict, splits: dict, texts: dict) -> list[dict]:
    out = []
    for row in rows:
        rid = row.get("id")
        if rid in splits:
            for new_id, offset, length in splits[rid]:
                piece = dict(row, id=new_id, text=texts[new_id],
                             entities=_cut(row["entities"], offset, length, rid))
                out.append(piece)
        elif rid in id_map:
            out.append(dict(row, id=id_map[rid]))
        else:
            out.append(row)
    return out


def remap_agreement(rows: list[dict], id_map: dict, splits: dict) -> list[dict]:
    out = []
    for row in rows:
        rid = row.get("id")
        if rid in splits and row.get("entities"):
            raise Skip(f"agreement record {rid} has entities on a paragraph that is split")
        out.append(dict(row, id=id_map.get(rid, rid)))
    return out


def resegment(corpus: Corpus, dry_run: bool = False) -> tuple[Counter, list[str]]:
    counts: Counter = Counter()
    skipped: list[str] = []
    id_map: dict[str, str] = {}
    splits: dict[str, list] = {}
    texts: dict[str, str] = {}
    changed: dict[str, list[dict]] = {}
    for doc in corpus.doc_ids():
        records = corpus.records(doc)
        paragraphs = read(corpus.raw_dir / f"{doc}.txt", doc_id=doc).paragraphs
        try:
            new, ids, sp, c = resegment_doc(doc, records, paragraphs)
        except Skip as e:
            skipped.append(f"{doc}: {e}")
            continue
        if new != records:
            changed[doc] = new
            counts["documents changed"] += 1
        counts.update(c)
        id_map.update({k: v for k, v in ids.items() if k != v})
        splits.update(sp)
        texts.update({r["id"]: r["text"] for r in new})
    supplement_path = corpus.report_supplement_path
    supplement = remap_supplement(_jsonl(supplement_path), id_map, splits, texts) if supplement_path.exists() else None
    agreement = {p: remap_agreement(_jsonl(p), id_map, splits) for p in sorted((corpus.root / "agreement").glob("*/*.jsonl"))}
    counts["ids renumbered"] = len(id_map)
    if not dry_run:
        for doc, new in changed.items():
            corpus.write_doc(doc, new)
        if supplement is not None:
            _write_jsonl(supplement_path, supplement)
        for path, rows in agreement.items():
            _write_jsonl(path, rows)
    return counts, skipped


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dry-run", action="store_true", help="count the changes, write nothing")
    args = ap.parse_args()
    try:
        counts, skipped = resegment(Corpus(ROOT / "corpus"), args.dry_run)
    except Skip as e:
        sys.exit(f"error: {e}; nothing written")
    for what, n in sorted(counts.items()):
        print(f"{what}: {n}")
    for line in skipped:
        print(f"left as it is: {line}")
    sys.exit(1 if skipped else 0)


if __name__ == "__main__":
    main()
