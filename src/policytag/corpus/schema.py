"""The corpus record: one paragraph of a report with its labels and how each label was made.

{
  "id": "seed-000#11", "doc": "seed-000", "index": 11,
  "section": ["二、二产发展的主要困难和问题"], "kind": "body",
  "text": "<normalized paragraph text>", "source_span": [s, e],
  "category": {"label": "PROBLEM", "by": "annotator:a1", "reviewed": true} | null,
  "entities": [{"start": 33, "end": 37, "label": "AMOUNT", "text": "十分之一",
                "value": 0.1, "unit": "ratio", "comparator": "=", "dimension": "ratio",
                "by": "rule", "reviewed": true}, ...] | null,      # null: entities not annotated yet
  "entities_reviewed": true,          # an annotator checked the paragraph for entities (missing ones included)
  "history": [{"field": "category", "old": {...}, "new": {...}, "by": "doccano:anna", "note": "..."}]
}
`by` is "rule", "model" or "annotator:<name>" (or "doccano:<user>" for labels imported from doccano).
"""

from __future__ import annotations

import hashlib
from typing import Any

CATEGORIES = ("ACHIEVEMENT", "PROBLEM", "GOAL", "MEASURE", "OTHER")
ENTITY_LABELS = ("COMPANY", "PROJECT", "AMOUNT")
COMPARATORS = ("=", ">=", "<=", "~", ">", "<")
KINDS = ("title", "meta", "salutation", "heading", "body", "signoff")
RECORD_KEYS = ("id", "doc", "index", "section", "kind", "text", "source_span", "category", "entities",
               "entities_reviewed", "history")
SPLITS = ("train", "dev", "test")


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def by_is_valid(by: Any) -> bool:
    if not isinstance(by, str):
        return False
    if by in ("rule", "model"):
        return True
    head, _, name = by.partition(":")
    return head in ("annotator", "doccano", "adjudicator") and bool(name)


def _reading_problems(ent: dict) -> list[str]:
    problems = []
    value = ent.get("value")
    if value is not None:
        if isinstance(value, list):
            if len(value) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
                problems.append(f"AMOUNT {ent.get('text')!r}: value range must be [low, high] numbers")
            elif value[0] > value[1]:
                problems.append(f"AMOUNT {ent.get('text')!r}: value range low > high")
        elif not isinstance(value, (int, float)) or isinstance(value, bool):
            problems.append(f"AMOUNT {ent.get('text')!r}: value must be a number, [low, high] or null")
    if not isinstance(ent.get("unit"), str) or not ent.get("unit"):
        problems.append(f"AMOUNT {ent.get('text')!r}: missing unit")
    if ent.get("comparator") not in COMPARATORS:
        problems.append(f"AMOUNT {ent.get('text')!r}: comparator {ent.get('comparator')!r} not one of {', '.join(COMPARATORS)}")
    return problems


def record_problems(rec: Any) -> list[str]:
    """Everything wrong with one record (an empty list when it is well formed)."""
    if not isinstance(rec, dict):
        return ["record is not a JSON object"]
    problems = []
    missing = [k for k in RECORD_KEYS if k not in rec]
    if missing:
        problems.append(f"missing keys: {', '.join(missing)}")
    unknown = [k for k in rec if k not in RECORD_KEYS]
    if unknown:
        problems.append(f"unknown keys: {', '.join(unknown)}")
    text = rec.get("text")
    if not isinstance(text, str) or not text:
        problems.append("text must be a non-empty string")
        text = ""
    doc, index = rec.get("doc"), rec.get("index")
    if not isinstance(doc, str) or not doc:
        problems.append("doc must be a non-empty string")
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        problems.append("index must be a non-negative integer")
    elif rec.get("id") != f"{doc}#{index}":
        problems.append(f"id {rec.get('id')!r} is not '<doc>#<index>' ({doc}#{index})")
    if not isinstance(rec.get("section"), list) or not all(isinstance(s, str) for s in rec.get("section") or []):
        problems.append("section must be a list of strings")
    if rec.get("kind") not in KINDS:
        problems.append(f"kind {rec.get('kind')!r} not one of {', '.join(KINDS)}")
    span = rec.get("source_span")
    if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span) and 0 <= span[0] < span[1]):
        problems.append("source_span must be [start, end] with 0 <= start < end")
    cat = rec.get("category")
    if cat is not None:
        if not isinstance(cat, dict):
            problems.append("category must be an object or null")
        else:
            if cat.get("label") not in CATEGORIES:
                problems.append(f"unknown category label {cat.get('label')!r}")
            if not by_is_valid(cat.get("by")):
                problems.append(f"category: 'by' {cat.get('by')!r} must be rule, model or annotator:<name>")
            if not isinstance(cat.get("reviewed"), bool):
                problems.append("category: 'reviewed' must be true or false")
    ents = rec.get("entities")
    if ents is not None:
        if not isinstance(ents, list):
            problems.append("entities must be a list or null")
        else:
            problems.extend(entity_problems(ents, text))
    if not isinstance(rec.get("entities_reviewed"), bool):
        problems.append("entities_reviewed must be true or false")
    elif rec.get("entities_reviewed") and ents is None:
        problems.append("entities_reviewed is true but entities is null")
    if not isinstance(rec.get("history"), list):
        problems.append("history must be a list")
    return problems


def entity_problems(ents: list, text: str, *, require_provenance: bool = True) -> list[str]:
    problems = []
    spans = []
    for ent in ents:
        if not isinstance(ent, dict):
            problems.append("an entity is not an object")
            continue
        s, e, label = ent.get("start"), ent.get("end"), ent.get("label")
        where = f"entity [{s}, {e}) {label}"
        if label not in ENTITY_LABELS:
            problems.append(f"{where}: unknown label {label!r}")
        if not (isinstance(s, int) and isinstance(e, int) and not isinstance(s, bool) and 0 <= s < e <= len(text)):
            problems.append(f"{where}: offsets out of range for text of length {len(text)}")
            continue
        if ent.get("text") != text[s:e]:
            problems.append(f"{where}: span text {ent.get('text')!r} does not match the text there {text[s:e]!r}")
        if label == "AMOUNT":
            problems.extend(_reading_problems(ent))
        if require_provenance:
            if not by_is_valid(ent.get("by")):
                problems.append(f"{where}: 'by' {ent.get('by')!r} must be rule, model or annotator:<name>")
            if not isinstance(ent.get("reviewed"), bool):
                problems.append(f"{where}: 'reviewed' must be true or false")
        spans.append((s, e, label))
    spans.sort()
    for (s1, e1, l1), (s2, e2, l2) in zip(spans, spans[1:]):
        if s2 < e1:
            problems.append(f"overlapping entities [{s1}, {e1}) {l1} and [{s2}, {e2}) {l2}")
    return problems


def new_record(doc: str, index: int, text: str, *, section=None, kind: str = "body", source_span=None) -> dict:
    return {
        "id": f"{doc}#{index}", "doc": doc, "index": index, "section": list(section or []), "kind": kind,
        "text": text, "source_span": list(source_span or (0, len(text))), "category": None, "entities": None,
        "entities_reviewed": False, "history": [],
    }
