"""Small shared helpers."""

from __future__ import annotations


def doc_length(doc) -> int:
    """len(doc.text) without building the text (Doc.text joins every token on each call)."""
    last = doc[-1]
    return last.idx + len(last.text_with_ws) if len(doc) else 0


def token_index(doc, char: int) -> int:
    """Index of the last token starting at or before character offset `char` (binary search)."""
    lo, hi = 0, len(doc) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if doc[mid].idx <= char:
            lo = mid
        else:
            hi = mid - 1
    return lo


def char_span(doc, start: int, end: int, label: str = "", alignment_mode: str = "strict"):
    """Like Doc.char_span (same alignment modes) in O(log n): spaCy's own scans the tokens."""
    from spacy.tokens import Span

    if not len(doc) or start >= end or start < 0 or end > doc_length(doc):
        return None
    first = token_index(doc, start)
    last = token_index(doc, end - 1)
    t_first, t_last = doc[first], doc[last]
    if alignment_mode == "strict":
        if t_first.idx != start or t_last.idx + len(t_last.text) != end:
            return None
    elif alignment_mode == "contract":
        if t_first.idx < start:
            first += 1
        if t_last.idx + len(t_last.text) > end:
            last -= 1
        if first > last:
            return None
    elif alignment_mode != "expand":
        raise ValueError(f"unknown alignment mode {alignment_mode!r}")
    return Span(doc, first, last + 1, label=label)


def non_overlapping(spans, key):
    """Greedy selection in the order of `key` (best first) of spans that share no token: O(total span length)."""
    taken: set[int] = set()
    chosen = []
    for span in sorted(spans, key=key):
        idx = range(span.start, span.end)
        if any(i in taken for i in idx):
            continue
        taken.update(idx)
        chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)
