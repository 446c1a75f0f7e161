"""`policytag doccano import FILE`: doccano annotations back into the corpus.

Input: a doccano export zip (`all.jsonl` for a collaborative project, or one `<user>.jsonl` per annotator), or a
JSONL file (rows as `policytag doccano export` writes them or doccano exports them), or rows read from a live
server (`client.pull`).

1. Structure: every line a JSON object with a `text` string and well-formed label lists. A file with any structural
   error is reported and nothing of it is imported.
2. Validation (ANNOTATION.md), one line per problem naming file, line and record: known labels, offsets in range,
   span text (when a span carries it), no overlapping spans (doccano drops overlaps silently), one category; the
   record exists (by `policytag_id`, or by text hash when a row has no id), its text is the corpus text, the text was
   not edited (`policytag_text_sha`), one row per record and file; an AMOUNT gets a reading (same offsets in the
   corpus, else the amount reader) or it is a problem. A row with a problem is not imported.
3. Unchanged rows (labels hash to the exported `policytag_label_sha`, per part) are no-ops, unless confirmed
   (doccano's checkmark through `pull`, or `--confirmed` for an export of approved examples).
4. Several annotators (per-user files of a project without collaborative annotation): the pre-annotations are in
   the file of the account that uploaded them (`uploader`, else the one file whose labels are all unchanged), where
   the rule of 3. holds; in the other users' files every label is that user's own and an empty row means "not
   annotated by that user". Agreement between annotators is reported; where annotators differ on a part of a
   record, it is reported and not imported (adjudicate).
5. Merge: a changed or confirmed part sets the labels with `by: "doccano:<annotator>"`, `reviewed: true`
   (`entities_reviewed: true` for spans); what was there goes into the record's `history`. Where the corpus already
   has a *reviewed* label that differs, it is a conflict: reported, and kept unless `prefer="doccano"`.
6. Only documents with a change are written, atomically (`Corpus.write_doc`): an import of an unchanged export
   changes no byte of the corpus.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from ..corpus.schema import CATEGORIES, record_problems, text_hash
from ..corpus.store import Corpus
from .formats import (
    TASKS,
    ParsedRow,
    RowError,
    ID_KEY,
    LABEL_SHA_KEY,
    detect_task,
    has_categories,
    has_spans,
    parse_row,
    row_problems,
    task_of_label_sha,
)

READING_KEYS = ("value", "unit", "comparator", "dimension")
PARTS = {"c": "category", "e": "entities"}


# ------------------------------------------------------------------------------------------------ report
@dataclass
class Conflict:
    record_id: str
    field: str
    old: str
    new: str
    annotator: str
    source: str
    applied: bool

    def line(self) -> str:
        outcome = "doccano's label applied (--prefer doccano)" if self.applied else \
            "corpus label kept (use --prefer doccano to take doccano's)"
        return (f"conflict {self.record_id} {self.field}: corpus has reviewed {self.old}, doccano:{self.annotator} "
                f"says {self.new} ({self.source}); {outcome}")


@dataclass
class Change:
    record_id: str
    field: str
    old: object
    new: object
    annotator: str


@dataclass
class ImportReport:
    problems: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    agreement: dict | None = None
    rows: int = 0
    unchanged: int = 0
    already: int = 0
    files_rejected: list[str] = field(default_factory=list)
    docs_written: list[str] = field(default_factory=list)
    dry_run: bool = False
    pre_annotator: str | None = None

    @property
    def unresolved(self) -> int:
        return sum(not c.applied for c in self.conflicts) + len(self.disagreements)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unresolved

    def summary(self) -> str:
        records = len({c.record_id for c in self.changes})
        verb = "would change" if self.dry_run else "changed"
        return (f"{self.rows} row(s) read: {verb} {len(self.changes)} label(s) in {records} record(s) of "
                f"{len(self.docs_written)} document(s); {self.unchanged} unchanged row part(s), {self.already} "
                f"already in the corpus; {len(self.conflicts)} conflict(s) ({self.unresolved} unresolved), "
                f"{len(self.problems)} problem(s)")

    def lines(self) -> list[str]:
        out = list(self.problems)
        out += [c.line() for c in self.conflicts]
        out += self.disagreements
        if self.agreement:
            out += agreement_lines(self.agreement)
        return out

    def to_json(self) -> dict:
        return {
            "rows": self.rows, "unchanged": self.unchanged, "already": self.already,
            "changes": [c.__dict__ for c in self.changes], "conflicts": [c.__dict__ for c in self.conflicts],
            "disagreements": self.disagreements, "problems": self.problems, "agreement": self.agreement,
            "files_rejected": self.files_rejected, "docs_written": self.docs_written, "dry_run": self.dry_run,
            "pre_annotator": self.pre_annotator,
        }


# ------------------------------------------------------------------------------------------------ reading files
@dataclass
class Source:
    """One JSONL stream: a file, or one member of an export zip."""

    name: str
    annotator: str
    lines: list[tuple[int, str]] = field(default_factory=list)
    error: str | None = None
    rows: list[ParsedRow] = field(default_factory=list)


def _split_lines(data: bytes, name: str) -> tuple[list[tuple[int, str]], str | None]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return [], f"{name}: not UTF-8 (bad byte at offset {e.start})"
    return [(i, line) for i, line in enumerate(text.splitlines(), start=1) if line.strip()], None


def read_sources(path: str | Path, *, annotator: str | None = None) -> tuple[list[Source], list[str]]:
    """The JSONL streams of an import file: (sources, layout errors). A layout error rejects the whole file."""
    path = Path(path)
    if not path.is_file():
        return [], [f"{path}: no such file"]
    data = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(data)):
        return _read_zip(path, data, annotator)
    lines, error = _split_lines(data, str(path))
    if error:
        return [], [error]
    if not lines:
        return [], [f"{path}: empty file: no rows"]
    return [Source(name=str(path), annotator=annotator or path.stem, lines=lines)], []


def _read_zip(path: Path, data: bytes, annotator: str | None) -> tuple[list[Source], list[str]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = [n for n in zf.namelist() if not n.endswith("/") and not n.startswith("__MACOSX/")
                 and not Path(n).name.startswith(".")]
    except zipfile.BadZipFile as e:
        return [], [f"{path}: not a readable zip ({e})"]
    errors = []
    jsonl = [n for n in names if n.lower().endswith(".jsonl")]
    other = [n for n in names if n not in jsonl]
    if other:
        errors.append(f"{path}: unexpected member(s) {', '.join(other[:5])}: a doccano JSONL export holds all.jsonl "
                      f"or one <user>.jsonl per annotator (export the project as JSONL)")
    if not jsonl:
        errors.append(f"{path}: no .jsonl member: expected all.jsonl or one <user>.jsonl per annotator")
    stems = [Path(n).stem for n in jsonl]
    if "all" in stems and len(jsonl) > 1:
        users = ", ".join(n for n in jsonl if Path(n).stem != "all")
        errors.append(f"{path}: holds all.jsonl and per-annotator files ({users}): one layout per export")
    if len(set(stems)) != len(stems):
        errors.append(f"{path}: two members for the same annotator")
    if errors:
        return [], errors
    sources = []
    for n in sorted(jsonl):
        stem = Path(n).stem
        name = f"{path}:{n}"
        lines, error = _split_lines(zf.read(n), name)
        who = (annotator or "all") if stem == "all" else stem
        sources.append(Source(name=name, annotator=who, lines=lines, error=error))
    return sources, []


def parse_source(src: Source, task: str | None) -> tuple[str | None, list[str]]:
    """Parse a source's lines into src.rows; (task, structural errors)."""
    errors: list[str] = []
    if src.error:
        return task, [src.error]
    objs = []
    for lineno, line in src.lines:
        try:
            objs.append((lineno, json.loads(line)))
        except json.JSONDecodeError as e:
            errors.append(f"{src.name}:{lineno}: malformed JSON: {e.msg} (column {e.colno})")
    if task is None:
        found = {detect_task(o) for _, o in objs if isinstance(o, dict)} - {None}
        if len(found) > 1:
            errors.append(f"{src.name}: rows of different tasks ({', '.join(sorted(found))}); give --task")
        elif found:
            task = found.pop()
        elif objs:
            errors.append(f"{src.name}: cannot tell the task from the rows (no labels, no {LABEL_SHA_KEY}); "
                          f"give --task")
    if task is not None:
        for lineno, obj in objs:
            exported_for = task_of_label_sha(obj.get(LABEL_SHA_KEY)) if isinstance(obj, dict) else None
            if exported_for is not None and exported_for != task:
                errors.append(f"{src.name}:{lineno}: {_rec(obj.get(ID_KEY))}row was exported for task "
                              f"{exported_for}, not {task}")
                continue
            try:
                src.rows.append(parse_row(obj, task, source=src.name, line=lineno, annotator=src.annotator))
            except RowError as e:
                rid = obj.get(ID_KEY) if isinstance(obj, dict) else None
                errors.append(f"{src.name}:{lineno}: {_rec(rid)}{e}")
    if errors:
        src.rows = []
    return task, errors


def _rec(rid) -> str:
    return f"record {rid}: " if rid else ""


# ------------------------------------------------------------------------------------------------ the corpus side
class CorpusIndex:
    """Records of the corpus loaded per document on demand; lookup by id or by text hash."""

    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.docs: dict[str, list[dict]] = {}
        self._by_hash: dict[str, list[str]] | None = None

    def doc_records(self, doc: str) -> list[dict] | None:
        if doc not in self.docs:
            if not self.corpus.doc_path(doc).exists():
                return None
            self.docs[doc] = self.corpus.records(doc)
        return self.docs[doc]

    def by_id(self, rid: str) -> dict | None:
        doc, sep, index = rid.rpartition("#")
        if not sep or not index.isdigit():
            return None
        recs = self.doc_records(doc)
        if recs is None:
            return None
        i = int(index)
        if i < len(recs) and recs[i].get("id") == rid:
            return recs[i]
        return next((r for r in recs if r.get("id") == rid), None)

    def by_text(self, text: str) -> list[dict]:
        if self._by_hash is None:
            self._by_hash = defaultdict(list)
            for doc in self.corpus.doc_ids():
                for rec in self.doc_records(doc):
                    self._by_hash[text_hash(rec["text"])].append(rec["id"])
        return [self.by_id(rid) for rid in self._by_hash.get(text_hash(text), [])]


def match_record(row: ParsedRow, index: CorpusIndex) -> tuple[dict | None, list[str]]:
    problems = []
    if row.text_sha is not None and row.text_sha != text_hash(row.text):
        problems.append(f"the text was edited (it no longer hashes to policytag_text_sha {row.text_sha})")
    if row.record_id:
        rec = index.by_id(row.record_id)
        if rec is None:
            return None, problems + [f"no record {row.record_id} in the corpus"]
        if rec["text"] != row.text:
            problems.append(f"the text differs from the corpus record's text "
                            f"(corpus text hash {text_hash(rec['text'])}, row {text_hash(row.text)})")
        return rec, problems
    found = index.by_text(row.text)
    if not found:
        return None, problems + ["no policytag_id and no corpus record with this text"]
    if len(found) > 1:
        return None, problems + [f"no policytag_id and {len(found)} corpus records have this text "
                                 f"({', '.join(r['id'] for r in found[:4])})"]
    return found[0], problems


def amount_reading(text: str, start: int, end: int, old_entities) -> dict | None:
    """The reading of an AMOUNT span: from the corpus entity with the same offsets, else from the amount reader
    (a `read_span(text, start, end)` if the package has one, else `find_amounts` with exactly these offsets)."""
    for ent in old_entities or []:
        if ent.get("start") == start and ent.get("end") == end and ent.get("label") == "AMOUNT" and ent.get("unit"):
            return {k: ent[k] for k in READING_KEYS if k in ent}
    from ..components import amounts

    read_span = getattr(amounts, "read_span", None)
    if callable(read_span):
        got = read_span(text, start, end)
        if got is not None:
            reading = got.reading() if hasattr(got, "reading") else dict(got)
            if reading.get("unit"):
                return reading
    for a in amounts.find_amounts(text):
        if a.start == start and a.end == end:
            return a.reading()
    return None


def _entity_key(ents) -> set:
    return {(e["start"], e["end"], e["label"]) for e in ents or []}


def _describe_category(cat) -> str:
    return "no category" if cat is None else f"{cat['label']} ({cat.get('by')})"


def _describe_entities(ents) -> str:
    if ents is None:
        return "no entities"
    if not ents:
        return "no entity (0 spans)"
    return "[" + ", ".join(f"{e['text']}/{e['label']}@{e['start']}" for e in ents) + "]"


def _describe_spans(spans, text) -> str:
    if not spans:
        return "no entity (0 spans)"
    return "[" + ", ".join(f"{text[s:e]}/{label}@{s}" for s, e, label in spans) + "]"


# ------------------------------------------------------------------------------------------------ agreement
def _kappa(pairs: list[tuple[str, str]]) -> float | None:
    n = len(pairs)
    if not n:
        return None
    po = sum(a == b for a, b in pairs) / n
    labels = set(CATEGORIES) | {x for p in pairs for x in p}
    pe = sum((sum(a == lab for a, _ in pairs) / n) * (sum(b == lab for _, b in pairs) / n) for lab in labels)
    return 1.0 if pe >= 1.0 else (po - pe) / (1.0 - pe)


def agreement(annotated: dict[tuple[str, str], dict[str, object]], annotators: list[str]) -> dict | None:
    """Pairwise agreement over records both annotators annotated: categories (observed, Cohen's kappa) and spans
    (exact-match F1 = 2|A∩B| / (|A| + |B|) over all spans of the shared records)."""
    if len(annotators) < 2:
        return None
    out: dict = {"annotators": annotators, "pairs": []}
    for a, b in combinations(annotators, 2):
        pair: dict = {"a": a, "b": b}
        cat_pairs = []
        inter = total = span_records = 0
        for (rid, part), values in annotated.items():
            if a not in values or b not in values:
                continue
            if part == "c":
                cat_pairs.append((values[a][0], values[b][0]))
            else:
                sa, sb = set(map(tuple, values[a])), set(map(tuple, values[b]))
                inter += len(sa & sb)
                total += len(sa) + len(sb)
                span_records += 1
        if cat_pairs:
            pair["categories"] = {"records": len(cat_pairs),
                                  "observed": round(sum(x == y for x, y in cat_pairs) / len(cat_pairs), 4),
                                  "kappa": None if _kappa(cat_pairs) is None else round(_kappa(cat_pairs), 4)}
        if span_records:
            pair["spans"] = {"records": span_records, "f1": round(2 * inter / total, 4) if total else 1.0}
        out["pairs"].append(pair)
    return out


def agreement_lines(agr: dict) -> list[str]:
    lines = []
    for p in agr["pairs"]:
        bits = []
        if "categories" in p:
            c = p["categories"]
            bits.append(f"categories: {c['records']} paragraph(s), observed {c['observed']:.3f}, kappa "
                        f"{'n/a' if c['kappa'] is None else format(c['kappa'], '.3f')}")
        if "spans" in p:
            s = p["spans"]
            bits.append(f"spans: {s['records']} paragraph(s), exact-match F1 {s['f1']:.3f}")
        if not bits:
            continue  # no paragraph annotated by both
        lines.append(f"agreement {p['a']} vs {p['b']}: " + "; ".join(bits))
    return lines


# ------------------------------------------------------------------------------------------------ merging
@dataclass
class _Proposal:
    value: object                # category label (str) or canonical span list
    annotators: list[str]
    sources: list[str]
    row: ParsedRow


def _parts(task: str) -> list[str]:
    return (["c"] if has_categories(task) else []) + (["e"] if has_spans(task) else [])


def _pre_annotator(sources: list[Source], uploader: str | None) -> str | None:
    """Whose per-user file holds the uploaded pre-annotations (doccano gives imported labels to the account that
    uploaded them): `uploader` if it has a file, else the one file whose labelled rows are all unchanged."""
    names = {s.annotator for s in sources}
    if uploader and uploader in names:
        return uploader
    candidates = []
    for src in sources:
        labelled = [(row, part) for row in src.rows for part in _parts(row.task)
                    if (row.cats if part == "c" else row.spans)]
        if labelled and not any(row.part_changed(part) for row, part in labelled):
            candidates.append(src.annotator)
    return candidates[0] if len(candidates) == 1 else None


def import_sources(corpus: Corpus, sources: list[Source], *, task: str | None = None, prefer: str = "corpus",
                   confirmed: bool = False, dry_run: bool = False, layout_errors: list[str] | None = None,
                   report: ImportReport | None = None, uploader: str | None = None) -> ImportReport:
    """Validate, match and merge the rows of `sources` into the corpus (see the module doc)."""
    if prefer not in ("corpus", "doccano"):
        raise ValueError("prefer must be 'corpus' or 'doccano'")
    if task is not None and task not in TASKS:
        raise ValueError(f"unknown task {task!r}")
    report = report or ImportReport()
    report.dry_run = dry_run
    report.problems.extend(layout_errors or [])
    index = CorpusIndex(corpus)

    # 1. structure
    good_sources = []
    for src in sources:
        if not src.rows:
            _, errors = parse_source(src, task)
        else:
            errors = []
        if errors:
            report.problems.extend(errors)
            report.problems.append(f"{src.name}: nothing imported from this file ({len(errors)} structural error(s))")
            report.files_rejected.append(src.name)
            continue
        if confirmed:
            for row in src.rows:
                row.confirmed = True
        good_sources.append(src)
    multi = len({s.annotator for s in good_sources}) > 1  # per-annotator files
    pre_annotator = _pre_annotator(good_sources, uploader) if multi else None
    if multi:
        report.pre_annotator = pre_annotator

    # 2. validation and matching
    annotated: dict[tuple[str, str], dict[str, object]] = defaultdict(dict)
    proposals: dict[tuple[str, str], list[tuple[str, ParsedRow]]] = defaultdict(list)
    records: dict[str, dict] = {}
    for src in good_sources:
        seen: dict[str, int] = {}
        for row in src.rows:
            report.rows += 1
            problems = row_problems(row)
            rec, match_problems = match_record(row, index)
            problems += match_problems
            rid = rec["id"] if rec is not None else row.record_id
            if rec is not None:
                if rec["id"] in seen:
                    problems.append(f"a second row for this record (first at line {seen[rec['id']]})")
                else:
                    seen[rec["id"]] = row.line
            if problems:
                report.problems.extend(f"{row.where}: {_rec(rid)}{p}" for p in problems)
                continue
            records[rec["id"]] = rec
            for part in _parts(row.task):
                value = row.cats if part == "c" else row.spans
                if part == "c" and not value:
                    continue  # no category chosen: nothing to import
                if multi and src.annotator != pre_annotator:
                    # a per-user file of an annotator who did not upload the pre-annotations: whatever labels the
                    # user made are theirs (even where they equal the pre-annotation); no label: not annotated
                    if not value and not row.confirmed:
                        continue
                elif not row.confirmed and not row.part_changed(part):
                    report.unchanged += 1
                    continue
                annotated[(rec["id"], part)][row.annotator] = value
                proposals[(rec["id"], part)].append((row.annotator, row))

    annotators = sorted({s.annotator for s in good_sources})
    report.agreement = agreement(annotated, annotators) if len(annotators) > 1 else None

    # 3. one value per record and part
    decided: dict[tuple[str, str], _Proposal] = {}
    for key, items in proposals.items():
        values = {json.dumps(r.cats if key[1] == "c" else r.spans, ensure_ascii=False) for _, r in items}
        if len(values) > 1:
            rid, part = key
            rec = records[rid]
            described = "; ".join(
                f"{who}: {r.cats[0] if part == 'c' else _describe_spans(r.spans, rec['text'])}" for who, r in items)
            report.disagreements.append(f"disagreement {rid} {PARTS[part]}: annotators differ ({described}); "
                                        f"not imported (adjudicate)")
            continue
        who = sorted({w for w, _ in items})
        row = items[0][1]
        decided[key] = _Proposal(value=row.cats[0] if key[1] == "c" else row.spans, annotators=who,
                                 sources=sorted({r.source for _, r in items}), row=row)

    # 4. merge
    touched_docs: set[str] = set()
    for (rid, part), prop in sorted(decided.items(), key=lambda kv: _order(kv[0])):
        rec = records[rid]
        annotator = "+".join(prop.annotators)
        by = f"doccano:{annotator}"
        note = f"doccano import: {', '.join(Path(s).name for s in prop.sources)}"
        if part == "c":
            changed = _merge_category(rec, prop.value, by, annotator, note, prefer, prop, report)
        else:
            changed = _merge_entities(rec, prop.value, by, annotator, note, prefer, prop, report)
        if changed:
            touched_docs.add(rec["doc"])

    for doc in sorted(touched_docs):
        recs = index.docs[doc]
        bad = [(r["id"], p) for r in recs for p in record_problems(r)]
        if bad:  # never write a document the import would break
            report.problems.extend(f"{rid}: after the import: {p} (document {doc} not written)" for rid, p in bad)
            report.changes = [c for c in report.changes if not c.record_id.startswith(doc + "#")]
            continue
        if not dry_run:
            corpus.write_doc(doc, recs)
        report.docs_written.append(doc)
    report.problems.sort(key=_problem_order)
    return report


def _order(key):
    rid, part = key
    doc, _, index = rid.rpartition("#")
    return (doc, int(index) if index.isdigit() else 0, part)


def _problem_order(line: str):
    head, _, rest = line.partition(": ")
    parts = head.rsplit(":", 1)
    if len(parts) == 2 and parts[1].isdigit():
        return (parts[0], int(parts[1]), rest)
    return (head, 0, rest)


def _merge_category(rec, label, by, annotator, note, prefer, prop, report) -> bool:
    old = rec.get("category")
    new = {"label": label, "by": by, "reviewed": True}
    if old is not None and old.get("label") == label and old.get("reviewed"):
        report.already += 1
        return False
    if old is not None and old.get("reviewed") and old.get("label") != label:
        applied = prefer == "doccano"
        report.conflicts.append(Conflict(rec["id"], "category", _describe_category(old), label, annotator,
                                         ", ".join(prop.sources), applied))
        if not applied:
            return False
    rec["category"] = new
    rec["history"].append({"field": "category", "old": old, "new": new, "by": by, "note": note})
    report.changes.append(Change(rec["id"], "category", old, new, annotator))
    return True


def _merge_entities(rec, spans, by, annotator, note, prefer, prop, report) -> bool:
    old = rec.get("entities")
    old_reviewed = bool(rec.get("entities_reviewed")) or any(e.get("reviewed") for e in old or [])
    same = old is not None and _entity_key(old) == {tuple(s) for s in spans}
    if same and rec.get("entities_reviewed") and all(e.get("reviewed") for e in old):
        report.already += 1
        return False
    if not same and old is not None and old_reviewed:
        applied = prefer == "doccano"
        report.conflicts.append(Conflict(rec["id"], "entities", _describe_entities(old),
                                         _describe_spans(spans, rec["text"]), annotator, ", ".join(prop.sources),
                                         applied))
        if not applied:
            return False
    text = rec["text"]
    new = []
    missing = []
    for s, e, label in spans:
        ent = {"start": s, "end": e, "label": label, "text": text[s:e]}
        if label == "AMOUNT":
            reading = amount_reading(text, s, e, old)
            if reading is None:
                missing.append(f"{prop.row.where}: record {rec['id']}: AMOUNT [{s}, {e}) {text[s:e]!r} has no reading "
                               f"(not in the corpus with these offsets, not read by the amount reader): fix the span "
                               f"or add its reading to the corpus by hand; entities of this record not imported")
                continue
            for k in READING_KEYS:
                if k in reading:
                    ent[k] = reading[k]
        ent["by"] = by
        ent["reviewed"] = True
        new.append(ent)
    if missing:
        # a span without a reading is neither invented nor dropped: the record's entities stay as they were
        last = report.conflicts[-1] if report.conflicts else None
        if last is not None and last.record_id == rec["id"] and last.field == "entities":
            last.applied = False
        report.problems.extend(missing)
        return False
    rec["entities"] = new
    rec["history"].append({"field": "entities", "old": old, "new": new, "by": by, "note": note})
    if not rec.get("entities_reviewed"):
        rec["history"].append({"field": "entities_reviewed", "old": bool(rec.get("entities_reviewed")), "new": True,
                               "by": by, "note": note})
    rec["entities_reviewed"] = True
    report.changes.append(Change(rec["id"], "entities", old, new, annotator))
    return True


# ------------------------------------------------------------------------------------------------ entry points
def import_file(corpus: Corpus, path: str | Path, *, task: str | None = None, prefer: str = "corpus",
                annotator: str | None = None, confirmed: bool = False, dry_run: bool = False,
                uploader: str | None = None) -> ImportReport:
    sources, layout_errors = read_sources(path, annotator=annotator)
    report = ImportReport()
    if layout_errors:
        report.files_rejected.append(str(path))
        layout_errors = layout_errors + [f"{path}: nothing imported from this file"]
    return import_sources(corpus, sources, task=task, prefer=prefer, confirmed=confirmed, dry_run=dry_run,
                          layout_errors=layout_errors, report=report, uploader=uploader)


def import_rows(corpus: Corpus, rows: list[ParsedRow], *, source: str, prefer: str = "corpus",
                dry_run: bool = False) -> ImportReport:
    """Rows read from a live server (each with its own annotator and confirmation) as one source."""
    src = Source(name=source, annotator="+".join(sorted({r.annotator for r in rows})) or "doccano", rows=rows)
    report = ImportReport()
    if not rows:
        report.dry_run = dry_run
        return report
    return import_sources(corpus, [src], task=rows[0].task, prefer=prefer, dry_run=dry_run, report=report)
