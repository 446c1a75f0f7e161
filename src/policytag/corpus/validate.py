"""`policytag corpus validate`: every problem in the corpus, each on one line naming the file (and line)."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from .schema import SPLITS, record_problems
from .store import Corpus

DUPLICATE_SHARE = 0.5  # two documents sharing this share of paragraph texts are the same report


def validate(corpus: Corpus, *, check_sources: bool = True) -> list[str]:
    problems: list[str] = []
    texts_by_doc: dict[str, set[str]] = {}
    records_by_doc: dict[str, list[dict]] = {}
    for doc in corpus.doc_ids():
        path = corpus.doc_path(doc)
        seen_ids: set[str] = set()
        indices = []
        recs = []
        for lineno, rec, error in corpus.read_lines(doc):
            where = f"{path}:{lineno}"
            if error:
                problems.append(f"{where}: {error}")
                continue
            for p in record_problems(rec):
                problems.append(f"{where}: {p}")
            if not isinstance(rec, dict):
                continue
            if rec.get("doc") != doc:
                problems.append(f"{where}: record of document {rec.get('doc')!r} in the file of {doc!r}")
            rid = rec.get("id")
            if rid in seen_ids:
                problems.append(f"{where}: duplicate id {rid!r}")
            seen_ids.add(rid)
            indices.append(rec.get("index"))
            recs.append(rec)
        if not recs:
            problems.append(f"{path}: no records")
        elif indices != list(range(len(indices))):
            problems.append(f"{path}: paragraph indices are not 0..{len(indices) - 1} in order")
        texts_by_doc[doc] = {r.get("text") for r in recs if isinstance(r.get("text"), str) and len(r["text"]) >= 20}
        records_by_doc[doc] = recs

    problems.extend(_split_problems(corpus, texts_by_doc))
    problems.extend(_supplement_problems(corpus, records_by_doc))
    if check_sources:
        problems.extend(_source_problems(corpus, records_by_doc))
    return problems


def _split_problems(corpus: Corpus, texts_by_doc: dict[str, set[str]]) -> list[str]:
    problems = []
    where = str(corpus.splits_path)
    if not corpus.splits_path.exists():
        return [f"{where}: missing (the fixed train/dev/test split of documents)"]
    try:
        splits = corpus.splits()
    except Exception as e:  # InputError
        return [str(e)]
    owner: dict[str, str] = {}
    for name, docs in splits.items():
        if name not in SPLITS:
            problems.append(f"{where}: unknown split {name!r}")
        for doc in docs:
            if doc in owner:
                problems.append(f"{where}: document {doc!r} is in both {owner[doc]} and {name}")
                continue
            owner[doc] = name
            if doc not in texts_by_doc:
                problems.append(f"{where}: document {doc!r} of split {name} has no annotations file")
    # the same report under two names in different splits leaks test data into training
    docs = sorted(d for d in texts_by_doc if d in owner)
    for i, a in enumerate(docs):
        for b in docs[i + 1:]:
            if owner[a] == owner[b]:
                continue
            ta, tb = texts_by_doc[a], texts_by_doc[b]
            if ta and tb and len(ta & tb) >= DUPLICATE_SHARE * min(len(ta), len(tb)):
                problems.append(f"{where}: documents {a!r} ({owner[a]}) and {b!r} ({owner[b]}) are the same report "
                                f"({len(ta & tb)} shared paragraphs) in different splits")
    return problems


def _source_problems(corpus: Corpus, records_by_doc: dict[str, list[dict]]) -> list[str]:
    from ..read import build_report
    from ..read.decode import read_source

    problems = []
    sources = corpus.sources()
    for doc, recs in records_by_doc.items():
        entry = sources.get(doc)
        if entry is None:
            problems.append(f"{corpus.sources_path}: no provenance entry for document {doc!r}")
            continue
        raw = corpus.raw_dir / entry.get("file", "")
        if not raw.is_file():
            problems.append(f"{corpus.sources_path}: raw file {entry.get('file')!r} of {doc!r} is missing")
            continue
        data = raw.read_bytes()
        if entry.get("sha256") and hashlib.sha256(data).hexdigest() != entry["sha256"]:
            problems.append(f"{raw}: content differs from the sha256 in its provenance entry")
        try:
            decoded = read_source(raw)
            report = build_report(decoded.text, doc, encoding=decoded.encoding)
        except Exception as e:
            problems.append(f"{raw}: cannot be read ({e})")
            continue
        path = corpus.doc_path(doc)
        for lineno, rec in enumerate(recs, start=1):
            span = rec.get("source_span")
            if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)):
                continue
            s, e = span
            if e > len(report.source):
                problems.append(f"{path}:{lineno}: source_span [{s}, {e}) beyond the raw text ({len(report.source)} chars)")
            elif report.normalize(report.source[s:e]) != rec.get("text"):
                problems.append(f"{path}:{lineno}: text does not match the raw report at source_span [{s}, {e})")
    return problems


SUPPLEMENT_LABELS = ("COMPANY", "PROJECT")


def _supplement_problems(corpus: Corpus, records_by_doc: dict[str, list[dict]]) -> list[str]:
    """The supplements: valid records, offsets inside the text, no overlaps, and nothing taken from a test document
    (they train the NER, so they must not leak the test split). A report paragraph must name a train/dev document of
    its own split, carry that paragraph's text, and not be a paragraph whose full entity layer is already reviewed."""
    import json

    problems: list[str] = []
    splits = corpus.splits()
    split_of = {d: name for name, docs in splits.items() for d in docs}
    test_text = "\n".join(r.get("text", "") for d in (splits.get("test") or []) for r in records_by_doc.get(d, []))
    paragraphs = {r.get("id"): r for recs in records_by_doc.values() for r in recs if isinstance(r, dict)}
    for path in corpus.supplement_paths():
        seen: set[str] = set()
        for lineno, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            where = f"{path}:{lineno}"
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: not JSON ({exc.msg})")
                continue
            text, rid, ents = rec.get("text"), rec.get("id"), rec.get("entities")
            if not isinstance(text, str) or not text or not isinstance(rid, str) or not isinstance(ents, list):
                problems.append(f"{where}: a record needs id, text and an entities list")
                continue
            if rid in seen:
                problems.append(f"{where}: duplicate id {rid!r}")
            seen.add(rid)
            if rec.get("split") not in ("train", "dev"):
                problems.append(f"{where}: split must be train or dev, not {rec.get('split')!r}")
            if "doc" in rec:
                problems.extend(_report_supplement_problems(where, rec, split_of, paragraphs))
            elif len(text) >= 20 and text in test_text:
                problems.append(f"{where}: sentence {rid} occurs in a test document")
            spans = []
            for e in ents:
                s, t, lab = e.get("start"), e.get("end"), e.get("label")
                if lab not in SUPPLEMENT_LABELS:
                    problems.append(f"{where}: label {lab!r} (the supplement has {', '.join(SUPPLEMENT_LABELS)} only)")
                if not (isinstance(s, int) and isinstance(t, int) and 0 <= s < t <= len(text)):
                    problems.append(f"{where}: entity offsets {s}..{t} outside the text")
                    continue
                if text[s:t] != text[s:t].strip():
                    problems.append(f"{where}: entity {text[s:t]!r} has surrounding spaces")
                spans.append((s, t))
            spans.sort()
            for (a, b), (c, d) in zip(spans, spans[1:]):
                if c < b:
                    problems.append(f"{where}: overlapping entities {text[a:b]!r} / {text[c:d]!r}")
    return problems


def _report_supplement_problems(where: str, rec: dict, split_of: dict[str, str], paragraphs: dict) -> list[str]:
    doc, rid = rec["doc"], rec["id"]
    if split_of.get(doc) != rec.get("split"):
        return [f"{where}: paragraph {rid} is marked {rec.get('split')!r} but its document {doc!r} is in "
                f"{split_of.get(doc)!r}"]
    para = paragraphs.get(rid)
    if para is None or para.get("doc") != doc:
        return [f"{where}: paragraph {rid} is not in the corpus document {doc!r}"]
    if para.get("text") != rec["text"]:
        return [f"{where}: the text of {rid} differs from the corpus paragraph"]
    if para.get("entities_reviewed"):
        return [f"{where}: {rid} already has a reviewed entity layer in the corpus (annotate it there only)"]
    return []
