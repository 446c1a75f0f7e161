"""The output contract of `policytag tag`: one JSON object per paragraph."""

from __future__ import annotations

from dataclasses import dataclass, field

RECORD_KEYS = ("doc", "id", "index", "section", "kind", "text", "source_span", "category", "cats", "entities")
ENTITY_KEYS = ("start", "end", "label", "text")
READING_KEYS = ("value", "unit", "comparator", "dimension")


@dataclass
class ParagraphInput:
    """One paragraph to tag, with its place in its report."""

    doc: str
    index: int
    text: str
    section: list[str] = field(default_factory=list)
    source_span: tuple[int, int] | None = None
    kind: str = "body"
    id: str | None = None

    @property
    def record_id(self) -> str:
        return self.id if self.id is not None else f"{self.doc}#{self.index}"


def entity_dict(span) -> dict:
    ent = {"start": span.start_char, "end": span.end_char, "label": span.label_, "text": span.text}
    reading = span._.amount if span.label_ == "AMOUNT" else None
    if span.label_ == "AMOUNT":
        reading = reading or {}
        for key in READING_KEYS:
            ent[key] = reading.get(key)
    return ent


def record(inp: ParagraphInput, doc) -> dict:
    cats = {k: round(float(v), 6) for k, v in doc.cats.items()}
    category = max(cats, key=cats.get) if cats else None
    return {
        "doc": inp.doc,
        "id": inp.record_id,
        "index": inp.index,
        "section": list(inp.section),
        "kind": inp.kind,
        "text": inp.text,
        "source_span": list(inp.source_span) if inp.source_span is not None else [0, len(inp.text)],
        "category": category,
        "cats": cats,
        "entities": [entity_dict(e) for e in doc.ents],
    }
