"""spaCy component `policytag_amounts`: AMOUNT spans with their readings.

    nlp.add_pipe("policytag_amounts")                       # spans in doc.spans["amounts"]
    nlp.add_pipe("policytag_amounts", config={"set_ents": True})   # ... and in doc.ents

It runs `find_amounts(doc.text)`. Where a span boundary falls inside a token (Chinese segmenters glue digits to
their neighbours: `达118亿元`, `产能4万吨`), the token is split with `doc.retokenize()` so that every span aligns
exactly. Each span gets `span._.amount` = the reading dict. The extension has a default, so spaCy keeps the value
in `doc.user_data` under the span's (label, start_char, end_char): a span made later with the same offsets and
label (for example the same amount in `doc.ents`) sees the same reading, and DocBin serialises it with the doc.
The rules ship as package data (resources/), so to_disk/from_disk have nothing to store.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..._util import char_span
from ...pipeline.align import split_at
from .recognizer import Amount, find_amounts

LABEL = "AMOUNT"

if not Span.has_extension("amount"):
    Span.set_extension("amount", default=None)


@Language.factory(
    "policytag_amounts",
    default_config={"spans_key": "amounts", "set_ents": False},
    assigns=["doc.spans", "doc.ents", "span._.amount"],
)
def make_amount_recognizer(nlp: Language, name: str, spans_key: str, set_ents: bool) -> "AmountRecognizer":
    return AmountRecognizer(nlp, name, spans_key=spans_key, set_ents=set_ents)


def align(doc: Doc, spans: Iterable[tuple[int, int]]) -> None:
    """Split tokens so that every (start_char, end_char) falls on token boundaries."""
    split_at(doc, [x for s, e in spans for x in (s, e)])


class AmountRecognizer:
    """Finds AMOUNT spans (rules in resources/), splits tokens to align them, and stores their readings."""

    def __init__(self, nlp: Language | None = None, name: str = "policytag_amounts", *,
                 spans_key: str = "amounts", set_ents: bool = False):
        self.name = name
        self.spans_key = spans_key
        self.set_ents = set_ents

    def find(self, text: str) -> list[Amount]:
        return find_amounts(text)

    def __call__(self, doc: Doc) -> Doc:
        amounts = find_amounts(doc.text)
        if amounts:
            align(doc, [(a.start, a.end) for a in amounts])
        spans = []
        for a in amounts:
            span = char_span(doc, a.start, a.end, label=LABEL)
            if span is None:  # cannot happen after align(); never lose the doc over one span
                continue
            span._.amount = a.reading()
            spans.append(span)
        doc.spans[self.spans_key] = spans
        if self.set_ents and spans:
            taken = [(s.start, s.end) for s in spans]
            kept = [e for e in doc.ents if not any(e.start < b and a < e.end for a, b in taken)]
            doc.ents = sorted(kept + spans, key=lambda s: s.start)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    # The rules are package data: nothing to save or load.
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        return None

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "AmountRecognizer":
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return b""

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "AmountRecognizer":
        return self
