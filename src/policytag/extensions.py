"""spaCy extension attributes policytag sets (registered once, idempotently)."""

from __future__ import annotations

from spacy.tokens import Doc, Span


def register() -> None:
    if not Doc.has_extension("section"):
        Doc.set_extension("section", default=None)  # list of heading texts above the paragraph, or None
    if not Doc.has_extension("paragraph_kind"):
        Doc.set_extension("paragraph_kind", default=None)  # title | meta | salutation | heading | body | signoff
    if not Span.has_extension("amount"):
        Span.set_extension("amount", default=None)  # AMOUNT reading: {"value", "unit", "comparator", "dimension"}


register()
