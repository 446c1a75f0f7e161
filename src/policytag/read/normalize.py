"""Character-level normalization of report text that keeps, for every output character, the offset of the
source character it came from.

Steps, in order, on one line of the decoded source:
1. inline pinyin after characters is removed (`根據(jù)` -> `根據`);
2. inline boilerplate is removed (`##paidbegin##`, `---此处隐藏1065字,下载后查看---`, ...);
3. full-width digits, Latin letters and ％ become ASCII (one character for one, offsets kept);
4. zero-width characters, `\\u3000` and stray spaces inside Chinese text are removed;
5. traditional characters become simplified (OpenCC `t2s`) where the text is traditional.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .boilerplate import default_rules

# ---------------------------------------------------------------------------------------------- pinyin
_INITIALS = "b p m f d t n l g k h j q x zh ch sh r z c s y w".split()
_FINALS = (
    "a o e ai ei ao ou an en ang eng ong er i ia ie iao iu iou ian in iang ing iong u ua uo uai ui uei uan un "
    "uen uang ueng v ve van vn ue uan un u: u:e ü üe üan ün"
).split()
PINYIN_SYLLABLES = frozenset({f for f in _FINALS} | {i + f for i in _INITIALS for f in _FINALS} | {"m", "n", "ng", "hm", "hng"})
_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_TONE_BASE = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ", "aaaaeeeeiiiioooouuuuüüüünnnm")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
PINYIN_RE = re.compile(rf"(?<=[{_CJK}])\(([a-zü{_TONE_MARKS}:]{{1,7}}[1-5]?)\)")


def _is_syllable(s: str) -> bool:
    s = s.rstrip("12345").translate(_TONE_BASE)
    return s in PINYIN_SYLLABLES


def has_tone_mark(s: str) -> bool:
    return any(c in _TONE_MARKS for c in s)


def count_pinyin_annotations(text: str) -> int:
    """Number of tone-marked pinyin annotations written after characters (`據(jù)`)."""
    return sum(1 for m in PINYIN_RE.finditer(text) if has_tone_mark(m.group(1)) and _is_syllable(m.group(1)))


# ---------------------------------------------------------------------------------------------- widths & spaces
_FULLWIDTH = {**{0xFF10 + i: 0x30 + i for i in range(10)},
              **{0xFF21 + i: 0x41 + i for i in range(26)},
              **{0xFF41 + i: 0x61 + i for i in range(26)},
              0xFF05: 0x25}  # ％ -> %
_FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)
_FULLWIDTH_DOT = re.compile(r"(?<=\d)．(?=\d)")
_ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"
# Chinese characters and CJK/full-width punctuation: spaces next to them are stray.
_WIDE = rf"{_CJK}\u3000-\u303f\ufe30-\ufe6f\uff00-\uffef\u2018-\u201f\u2026\u2014\u00b7"
_SPACE = r"[ \t\u00a0\u3000\u2002\u2003\u2009\u202f\u205f]"
_SPACE_RUN = re.compile(rf"{_SPACE}+")
_DROP_CHARS = re.compile(f"[{_ZERO_WIDTH}]+")
# "1 9 9 3 年", "增长1 1 %" as typeset in some reports: single digits separated by single spaces, in Chinese text
_SPACED_DIGITS = re.compile(r"(?<![A-Za-z0-9_.])\d(?: \d)+(?= ?[%％\u3400-\u9fff，。、；）)]|$)")
_WIDE_CHAR = re.compile(f"[{_WIDE}]")


# ---------------------------------------------------------------------------------------------- script
@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def _char_t2s(ch: str) -> str:
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch


@lru_cache(maxsize=65536)
def is_traditional_only(ch: str) -> bool:
    """A character OpenCC would simplify and that is not part of the simplified set (GB2312)."""
    if not ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"):
        return False
    if _char_t2s(ch) == ch:
        return False
    try:
        ch.encode("gb2312")
        return False
    except UnicodeEncodeError:
        return True


TRADITIONAL_SHARE = 0.03  # above this share of traditional-only characters a text is converted phrase by phrase


def detect_script(text: str) -> str:
    """'traditional', 'mixed' (a simplified text with some traditional characters) or 'simplified'."""
    cjk = trad = 0
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            cjk += 1
            if is_traditional_only(ch):
                trad += 1
    if trad == 0:
        return "simplified"
    return "traditional" if trad / max(1, cjk) >= TRADITIONAL_SHARE else "mixed"


# ---------------------------------------------------------------------------------------------- offsets
@dataclass
class Mapped:
    """A string and, for each of its characters, the offset of its source character."""

    text: str
    offsets: list[int]

    @classmethod
    def of(cls, text: str, start: int = 0) -> "Mapped":
        return cls(text, list(range(start, start + len(text))))

    def delete(self, pattern: re.Pattern, keep=None) -> "Mapped":
        """Remove every match of pattern (or only those for which keep(match) is False)."""
        pieces, offs, last = [], [], 0
        for m in pattern.finditer(self.text):
            if m.start() == m.end() or (keep is not None and keep(m)):
                continue
            pieces.append(self.text[last:m.start()])
            offs.extend(self.offsets[last:m.start()])
            last = m.end()
        if last == 0:
            return self
        pieces.append(self.text[last:])
        offs.extend(self.offsets[last:])
        return Mapped("".join(pieces), offs)

    def translate_same_length(self, new_text: str) -> "Mapped":
        assert len(new_text) == len(self.text)
        return Mapped(new_text, self.offsets)

    def strip(self) -> "Mapped":
        left = len(self.text) - len(self.text.lstrip())
        right = len(self.text.rstrip())
        if left == 0 and right == len(self.text):
            return self
        return Mapped(self.text[left:right], self.offsets[left:right])

    def __add__(self, other: "Mapped") -> "Mapped":
        return Mapped(self.text + other.text, self.offsets + other.offsets)


# ---------------------------------------------------------------------------------------------- the normalizer
@dataclass(frozen=True)
class Normalizer:
    """Normalizes lines of one report. `script` and `pinyin_annotated` are decided once per report."""

    script: str = "simplified"  # see detect_script
    pinyin_annotated: bool = False

    @classmethod
    def for_text(cls, text: str) -> "Normalizer":
        pinyin = count_pinyin_annotations(text) >= 3
        sample = PINYIN_RE.sub("", text) if pinyin else text
        return cls(script=detect_script(sample), pinyin_annotated=pinyin)

    def line(self, line: Mapped) -> Mapped:
        m = line
        if "(" in m.text:
            m = m.delete(PINYIN_RE, keep=self._keep_parenthesis)
        m = m.delete(default_rules().inline_union)
        m = self._widths(m)
        m = self._spaces(m)
        m = self._script(m)
        return m

    def _keep_parenthesis(self, match: re.Match) -> bool:
        content = match.group(1)
        if not _is_syllable(content):
            return True
        return not (self.pinyin_annotated or has_tone_mark(content))

    @staticmethod
    def _widths(m: Mapped) -> Mapped:
        text = m.text.translate(_FULLWIDTH_TABLE)
        if "．" in text:
            text = _FULLWIDTH_DOT.sub(".", text)
        if "\u2028" in text or "\u2029" in text:
            text = text.replace("\u2028", " ").replace("\u2029", " ")
        return m.translate_same_length(text) if text != m.text else m

    @staticmethod
    def _spaces(m: Mapped) -> Mapped:
        m = m.delete(_DROP_CHARS)
        m = m.strip()
        if _SPACED_DIGITS.search(m.text):
            m = m.delete(re.compile(r"(?<=\d) (?=\d)"), keep=lambda x: not _in_spaced_digits(m.text, x.start()))
        if not _SPACE_RUN.search(m.text):
            return m
        text = m.text

        def keep(match: re.Match) -> bool:
            before = text[match.start() - 1] if match.start() > 0 else ""
            after = text[match.end()] if match.end() < len(text) else ""
            wide = bool(before and _WIDE_CHAR.match(before)) or bool(after and _WIDE_CHAR.match(after))
            percent = before.isdigit() and after == "%"
            return not (wide or percent) and match.group() == " "

        m = m.delete(_SPACE_RUN, keep=keep)
        # Runs of several spaces between Latin words: keep the first one.
        if "  " in m.text:
            m = m.delete(re.compile(r"(?<= ) +"))
        return m

    def _script(self, m: Mapped) -> Mapped:
        if self.script == "simplified" or not m.text:
            return m
        if self.script == "traditional":
            converted = _t2s().convert(m.text)
            if len(converted) == len(m.text):
                return m.translate_same_length(converted)
            converted = "".join(_char_t2s(c) for c in m.text)
            return m.translate_same_length(converted)
        # mixed: only characters that do not belong to simplified Chinese are converted
        converted = "".join(_char_t2s(c) if is_traditional_only(c) else c for c in m.text)
        return m.translate_same_length(converted)


def _in_spaced_digits(text: str, pos: int) -> bool:
    for m in _SPACED_DIGITS.finditer(text):
        if m.start() <= pos < m.end():
            return True
    return False


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
