"""Reading a report: decoded source -> clean, rejoined paragraphs that keep their place in the source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReadError
from ..structure import analyse, is_marked_heading, marker
from ..structure.headings import CLOSERS, TERMINAL
from .boilerplate import default_rules
from .decode import read_source
from .normalize import Mapped, Normalizer

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
OPENERS = "《“‘（(「『【〔﹝[—"
CONTINUATION_START = "，,、。；;：:！？!?》”’）)」』】〕﹞%…"
LONG_LINE = 30  # a line this long that stops without final punctuation was broken by the page width


@dataclass
class Paragraph:
    index: int
    text: str
    source_span: tuple[int, int]
    kind: str = "body"  # title | meta | salutation | heading | body | signoff
    section: list[str] = field(default_factory=list)
    level: int | None = None
    offsets: list[int] = field(default_factory=list, repr=False, compare=False)

    def source_offset(self, i: int) -> int:
        """Offset in the decoded source of character i of the paragraph text (i may equal len(text))."""
        if i >= len(self.offsets):
            return self.source_span[1]
        return self.offsets[i]


@dataclass
class Removed:
    rule: str
    source_span: tuple[int, int]
    text: str


@dataclass
class Report:
    doc_id: str
    source: str  # the decoded source text; every source_span indexes it
    paragraphs: list[Paragraph]
    encoding: str = "utf-8"
    path: str | None = None
    script: str = "simplified"
    pinyin_annotated: bool = False
    removed: list[Removed] = field(default_factory=list)

    @property
    def title(self) -> str | None:
        for p in self.paragraphs:
            if p.kind == "title":
                return p.text
        return None

    def normalize(self, fragment: str) -> str:
        """Normalize a fragment of this report's source the way its paragraphs were made (lines rejoined)."""
        normalizer = Normalizer(self.script, self.pinyin_annotated)
        rules = default_rules()
        out = []
        for text, start in _lines(fragment):
            m = normalizer.line(Mapped.of(text, start))
            if m.text and rules.line_rule(m.text) is None:
                out.append(m.text)
        return "".join(out)


def _lines(text: str):
    """(line text without its break, start offset) for each line."""
    for m in _LINE.finditer(text):
        line = m.group()
        if not line:
            continue
        yield line.rstrip("\r\n"), m.start()


@dataclass
class _Line:
    m: Mapped
    gap: int  # blank (or removed) lines before it
    after_removed: bool


def _join(prev: str, nxt: str, gap: int, blank_separated: bool, first: bool) -> bool:
    """Does line `nxt` continue the paragraph that ends with line `prev`?"""
    if prev[-1] in "，,、" and (found := marker(nxt)) and found[0] == "cn_ordinal" and not is_marked_heading(prev):
        return True  # a sentence that goes on into an enumeration: 这是因为， / 第一，在工商业方面…
    if is_marked_heading(prev) or is_marked_heading(nxt) or marker(nxt):
        return False
    if nxt[0] in CONTINUATION_START:
        return True
    if prev[-1] in OPENERS or prev[-1] in "，,、":
        return True
    stripped = prev.rstrip(CLOSERS)
    if stripped and (stripped[-1] in TERMINAL or stripped[-1] in "：:"):
        return False
    if first and len(prev) <= 80 and not any(c in prev for c in "，,。；;"):
        return False  # a title line
    if len(prev) >= LONG_LINE:
        return True  # a long line that stops mid-sentence was broken by the page width or a page break
    return blank_separated and gap == 0


def build_report(source: str, doc_id: str, *, encoding: str = "utf-8", path: str | None = None) -> Report:
    normalizer = Normalizer.for_text(source)
    rules = default_rules()
    lines: list[_Line] = []
    removed: list[Removed] = []
    gap = 0
    after_removed = False
    for text, start in _lines(source):
        m = normalizer.line(Mapped.of(text, start))
        if not m.text:
            gap += 1
            continue
        rule = rules.line_rule(m.text)
        if rule:
            removed.append(Removed(rule, (start, start + len(text)), text))
            gap += 1
            after_removed = True
            continue
        lines.append(_Line(m, gap, after_removed))
        gap = 0
        after_removed = False
    # Link lists at the end of a page ("相关…报告:") and everything after them.
    window = lines[-rules.tail_window:] if lines else []
    for k, line in enumerate(window):
        rule = rules.tail_rule(line.m.text)
        if rule:
            cut = len(lines) - len(window) + k
            for dropped in lines[cut:]:
                s = dropped.m.offsets[0]
                removed.append(Removed(rule, (s, dropped.m.offsets[-1] + 1), source[s:dropped.m.offsets[-1] + 1]))
            del lines[cut:]
            break
    if not lines:
        raise ReadError("no text left after removing boilerplate", source=path or doc_id)

    transitions = lines[1:]
    blank_separated = bool(transitions) and sum(1 for ln in transitions if ln.gap > 0) > 0.5 * len(transitions)

    merged: list[Mapped] = []
    for k, line in enumerate(lines):
        if merged and _join(merged[-1].text, line.m.text, line.gap, blank_separated, first=len(merged) == 1 and k == 1):
            merged[-1] = merged[-1] + line.m
        else:
            merged.append(line.m)

    parts = analyse([m.text for m in merged])
    paragraphs = [
        Paragraph(
            index=i,
            text=m.text,
            source_span=(m.offsets[0], m.offsets[-1] + 1),
            kind=part.kind,
            section=part.section,
            level=part.level,
            offsets=m.offsets,
        )
        for i, (m, part) in enumerate(zip(merged, parts))
    ]
    removed.sort(key=lambda r: r.source_span)
    return Report(
        doc_id=doc_id,
        source=source,
        paragraphs=paragraphs,
        encoding=encoding,
        path=path,
        script=normalizer.script,
        pinyin_annotated=normalizer.pinyin_annotated,
        removed=removed,
    )


_PATH_LIKE = re.compile(r"^[^\n\r]{1,1024}\.(?:txt|text|docx|doc|md)$", re.IGNORECASE)


def read(path_or_text: str | Path, doc_id: str | None = None) -> Report:
    """Read a report from a file path (.txt in any common encoding, .docx) or from a string of text.

    A `str` is taken as a path when such a file exists or when it looks like a file name (one line ending in
    .txt/.docx); otherwise it is the report text itself.
    """
    if isinstance(path_or_text, Path) or (
        isinstance(path_or_text, str)
        and "\n" not in path_or_text
        and (_PATH_LIKE.match(path_or_text) or _is_file(path_or_text))
    ):
        path = Path(path_or_text)
        decoded = read_source(path)
        return build_report(decoded.text, doc_id or path.stem, encoding=decoded.encoding, path=str(path))
    if not isinstance(path_or_text, str):
        raise TypeError(f"read() takes a path or a string, not {type(path_or_text).__name__}")
    if not path_or_text.strip():
        raise ReadError("empty text: nothing to read", source=doc_id or "<text>")
    return build_report(path_or_text, doc_id or "text", encoding="str")


def _is_file(s: str) -> bool:
    try:
        return len(s) < 4096 and Path(s).is_file()
    except (OSError, ValueError):
        return False
