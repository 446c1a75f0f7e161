"""Headings and the parts of a report around them.

A heading is a line that opens with a list marker (`一、`, `第一，`, `（一）`/`(一)`, `一是`, `1.`/`1、`, `（1）`, `①`,
`第一部分`, `——`) and says no more than one short sentence; a line that opens with a marker and goes on
(`一是重点项目建成投产，…。以完善…`) is a paragraph, not a heading. Short lines without marker or final punctuation inside the body are
unmarked headings (`过去五年的回顾`). The level of a heading follows the order in which marker types first appear
in the report, as in legal-text parsers: a report may start its outline at `（一）`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN_NUM = "一二三四五六七八九十百零〇两"
MARKERS: tuple[tuple[str, re.Pattern], ...] = (
    ("part", re.compile(rf"^第[{_CN_NUM}\d]{{1,3}}(?:部分|章|节|篇)[、.．:：\s]?")),
    ("cn_dun", re.compile(rf"^[{_CN_NUM}]{{1,3}}\s*(?:、|[．.](?!\d))")),
    ("cn_ordinal", re.compile(r"^第[一二三四五六七八九十]{1,3}\s*[，,、]")),
    ("cn_paren", re.compile(rf"^[（(]\s*[{_CN_NUM}]{{1,3}}\s*[)）]")),
    ("cn_shi", re.compile(r"^(?:第?[一二三四五六七八九十]{1,3})是(?=[^\s，,。是])")),
    ("arabic", re.compile(r"^\d{1,2}\s*(?:、|[．.](?![\d.．]))")),
    ("arabic_paren", re.compile(r"^[（(]\s*\d{1,2}\s*[)）]")),
    ("circled", re.compile(r"^[①-⑳❶-❿⑴-⒇]")),
    ("dash", re.compile(r"^——(?!—)")),
    ("cn_bare", re.compile(rf"^[{_CN_NUM}]{{1,3}}$")),
)
TERMINAL = "。！？；!?;…"
CLOSERS = "”’」』）)】》"
HEADING_MAX_CHARS = 50  # text after the marker
PLAIN_HEADING_MAX_CHARS = 25
SALUTATION_RE = re.compile(
    r"^[^。；]{0,16}(?:代表|同志|委员|领导|朋友|女士|先生|来宾|嘉宾|各位)[^。；]{0,8}[：:！!，,]$"
)
_SENTENCE_END = re.compile(rf"[{TERMINAL}]")


def marker(text: str) -> tuple[str, int] | None:
    """(marker type, length of the marker) when the text opens with a list marker."""
    for name, pattern in MARKERS:
        m = pattern.match(text)
        if m:
            return name, m.end()
    return None


def ends_sentence(text: str) -> bool:
    t = text.rstrip(CLOSERS + " ")
    return bool(t) and (t[-1] in TERMINAL or t[-1] in "：:")


def is_marked_heading(text: str) -> tuple[str, int] | None:
    """The marker when the line is a heading: a marker and at most one short sentence after it."""
    found = marker(text)
    if not found:
        return None
    kind, length = found
    rest = text[length:].strip()
    if kind == "cn_bare":
        return found
    if not rest or len(rest) > HEADING_MAX_CHARS:
        return None
    body = rest.rstrip(CLOSERS)
    if body and body[-1] in TERMINAL:
        body = body[:-1]
    if _SENTENCE_END.search(body) or "：" in body[:-1] or ":" in body[:-1]:
        return None  # more than one sentence: a paragraph that opens with a sub-heading
    return found


def is_plain_heading(text: str) -> bool:
    """A short line without final punctuation that is not a salutation: an unmarked heading candidate."""
    if len(text) > PLAIN_HEADING_MAX_CHARS or marker(text) or SALUTATION_RE.match(text):
        return False
    if any(c in text for c in "。；;，,！？!?：:"):
        return False
    if sum(1 for c in text if "\u4e00" <= c <= "\u9fff") < 2:
        return False
    return not ends_sentence(text)


def is_salutation(text: str) -> bool:
    return len(text) <= 30 and bool(SALUTATION_RE.match(text))


@dataclass
class Part:
    """What a paragraph is in its report."""

    kind: str  # title | meta | salutation | heading | body | signoff
    section: list[str]
    level: int | None = None  # headings: depth in the outline (1 = top)
    marker: str | None = None  # headings: marker type


def analyse(texts: list[str]) -> list[Part]:
    """Kinds, heading levels and section paths for the paragraphs of one report, in order."""
    n = len(texts)
    kinds: list[str] = ["body"] * n
    markers: list[str | None] = [None] * n
    for i, t in enumerate(texts):
        found = is_marked_heading(t)
        if found:
            kinds[i], markers[i] = "heading", found[0]
        elif is_salutation(t):
            kinds[i] = "salutation"
    # A run of adjacent lines with the same marker is a list, not a series of headings: headings of one type
    # are separated by the text under them.
    for i in range(n):
        if kinds[i] == "heading" and markers[i] not in ("cn_bare",):
            for j in (i - 1, i + 1):
                if 0 <= j < n and _same_marker(texts[j], markers[i]):
                    kinds[i], markers[i] = "body", None
                    break
    # Front matter: title, then short unpunctuated lines (date, speaker) before the first real paragraph.
    i = 0
    while i < n and kinds[i] == "body" and _front_matter(texts[i]):
        kinds[i] = "title" if i == 0 else "meta"
        i += 1
    # Sign-off: short unpunctuated lines after the last body paragraph (office, date, signature).
    j = n - 1
    while j > i and kinds[j] == "body" and _signoff(texts[j]):
        kinds[j] = "signoff"
        j -= 1
    # Unmarked headings: short unpunctuated lines inside the body, followed by a body paragraph.
    for k in range(i, j + 1):
        if kinds[k] == "body" and is_plain_heading(texts[k]) and k + 1 < n and kinds[k + 1] in ("body", "heading", "salutation"):
            kinds[k], markers[k] = "heading", "plain"

    parts: list[Part] = []
    stack: list[tuple[str, str]] = []  # (marker type, heading text)
    for k, t in enumerate(texts):
        if kinds[k] == "heading":
            m = markers[k] or "plain"
            types = [s[0] for s in stack]
            if m in types:
                del stack[types.index(m):]
            parts.append(Part("heading", [s[1] for s in stack], level=len(stack) + 1, marker=m))
            stack.append((m, t))
        else:
            parts.append(Part(kinds[k], [s[1] for s in stack] if kinds[k] == "body" else []))
    return parts


SUBHEADING_MAX_CHARS = 40
SUBHEADING_BODY_RATIO = 2.0


def unmarked_subheadings(paragraphs: list[tuple[str, str]]) -> list[bool]:
    """Which of a report's paragraphs, given in reading order as (text, kind), are one-line sub-headings that the
    reader cannot tell from a body paragraph (`大力整顿和规范市场经济秩序，进一步发展市场体系。` above the paragraph that
    carries it out): a body paragraph of one sentence of at most SUBHEADING_MAX_CHARS characters, neither a list item
    (ending in `；`) nor a lead-in (ending in `：`), followed by a body paragraph more than SUBHEADING_BODY_RATIO times
    as long, and preceded by the start of the report, a non-body part (heading, title) or a body paragraph more than
    SUBHEADING_BODY_RATIO times as long (which keeps out items of a list of short lines). corpus/DECISIONS.md labels
    such a line OTHER ("a short line followed by its own body text is a sub-heading")."""
    out = []
    for i, (text, kind) in enumerate(paragraphs):
        text = text.strip()
        n = len(text)
        nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
        prev = paragraphs[i - 1] if i else None
        out.append(
            kind == "body" and 0 < n <= SUBHEADING_MAX_CHARS and not _SENTENCE_END.search(text[:-1])
            and not text.endswith(("；", ";", "：", ":"))
            and nxt is not None and nxt[1] == "body" and len(nxt[0].strip()) > SUBHEADING_BODY_RATIO * n
            and (prev is None or prev[1] != "body" or len(prev[0].strip()) > SUBHEADING_BODY_RATIO * n))
    return out


def _same_marker(text: str, kind: str | None) -> bool:
    found = marker(text)
    return found is not None and found[0] == kind


def _front_matter(text: str) -> bool:
    return len(text) <= 80 and not ends_sentence(text) and not any(c in text for c in "。；;")


def _signoff(text: str) -> bool:
    return len(text) <= 40 and not ends_sentence(text) and not any(c in text for c in "。；;，,")
