"""Token boundaries and character spans: split tokens so that given character offsets fall on token boundaries.

Chinese segmenters glue digits and words (`达118亿元`); an entity whose boundary falls inside a token cannot be a
spaCy span, and `spacy train` drops such gold entities (warning W030). policytag splits the token instead, both in the
components (AMOUNT, rules) and when it builds training data, so no gold entity is lost."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span

from .._util import doc_length, token_index


def split_at(doc: Doc, offsets: Iterable[int]) -> int:
    """Split tokens in place so that every offset in `offsets` is a token boundary. Returns the number of splits.

    doc.ents survive a split (they live on the tokens), but spaCy's retokenizer leaves the span groups
    (doc.spans) pointing at the old token positions: a span after a split would cover the wrong words (`五幢` read
    as `楼(五`). The span groups are kept by their character offsets and rebuilt on the new tokens."""
    cuts: dict[int, list[int]] = {}
    token_starts = {t.idx for t in doc}
    length = doc_length(doc)
    for off in set(offsets):
        if off <= 0 or off >= length or off in token_starts:
            continue
        tok = doc[token_index(doc, off)]
        if tok.idx < off < tok.idx + len(tok.text):
            cuts.setdefault(tok.i, []).append(off - tok.idx)
    if not cuts:
        return 0
    groups = {key: (group.attrs, [(s.start_char, s.end_char, s.label, s.kb_id) for s in group])
              for key, group in doc.spans.items()}
    n = 0
    with doc.retokenize() as retokenizer:
        for i, points in cuts.items():
            tok = doc[i]
            points = sorted(set(points))
            pieces = [tok.text[a:b] for a, b in zip([0, *points], [*points, len(tok.text)])]
            # the first piece keeps the token's head (a root stays a root), the others attach to the first piece;
            # the token's trailing space goes on the last piece
            first_head = tok.head if tok.head.i != tok.i else (tok, 0)
            heads = [first_head] + [(tok, 0)] * (len(pieces) - 1)
            spaces = [False] * (len(pieces) - 1) + [bool(tok.whitespace_)]
            retokenizer.split(tok, pieces, heads=heads, attrs={"SPACY": spaces})
            n += len(pieces) - 1
    for key, (attrs, spans) in groups.items():  # a split only adds boundaries: every span still aligns
        doc.spans[key] = [_span(doc, start, end, label, kb_id) for start, end, label, kb_id in spans]
        doc.spans[key].attrs.update(attrs)
    return n


def _span(doc: Doc, start: int, end: int, label: int, kb_id: int) -> Span:
    first, last = token_index(doc, start), token_index(doc, end - 1)
    return Span(doc, first, last + 1, label=label, kb_id=kb_id)


def misaligned(doc: Doc, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans whose start or end does not fall on a token boundary."""
    return [(s, e) for s, e in spans if doc.char_span(s, e) is None]
