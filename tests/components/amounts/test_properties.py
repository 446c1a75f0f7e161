"""Property tests (hypothesis).

1. A random value written in Arabic (plain, with thousands separators, full-width), Chinese (cn2an's an2cn) or
   mixed form (3.5万) followed by a random unit of the table reads back as one AMOUNT with the same value (times
   the unit's factor) and the unit's canonical symbol.
2. The recognizer never raises on arbitrary text; its spans are sorted, disjoint, inside the text and equal to
   the text they cover; its readings are well formed.
3. The spaCy component never raises either, and its spans align with tokens, whatever the segmenter glued.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal

import cn2an
import spacy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from policytag.components.amounts import find_amounts
from policytag.components.amounts.recognizer import RESOURCES

UNITS = json.loads((RESOURCES / "units.json").read_text(encoding="utf-8"))
ENTRIES = [(surface, e) for e in UNITS["units"] for surface in e["surface"] if not e.get("max_value")]
PREFIXES = ["", "全年完成", "共计", "其中", "新增", "累计"]
SUFFIXES = ["。", "，同比持平。", "；", "", "，"]
FULL = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
COMPARATORS = {"=", ">=", "<=", "~", ">", "<"}


def _arabic(value: Decimal, style: int) -> str:
    s = f"{value:f}"
    if style == 1:  # thousands separators
        head, _, tail = s.partition(".")
        s = f"{int(head):,}" + (f".{tail}" if tail else "")
    elif style == 2:
        s = s.translate(FULL)
    return s


@st.composite
def written_amounts(draw):
    form = draw(st.sampled_from(["arabic", "chinese", "mixed"]))
    if form == "mixed":
        mantissa = Decimal(draw(st.integers(1, 99999))) / Decimal(10) ** draw(st.integers(0, 2))
        mult_text, mult = draw(st.sampled_from([("万", 10 ** 4), ("亿", 10 ** 8), ("万亿", 10 ** 12)]))
        numeral, value = f"{mantissa:f}{mult_text}", mantissa * mult
    elif form == "chinese":
        value = Decimal(draw(st.integers(1, 10 ** 12)))
        if draw(st.booleans()):
            value = Decimal(draw(st.integers(1, 9999))) + Decimal(draw(st.integers(1, 99))) / 100
        numeral = cn2an.an2cn(str(value), "low")
    else:
        value = Decimal(draw(st.integers(1, 10 ** 13))) / Decimal(10) ** draw(st.integers(0, 3))
        numeral = _arabic(value, draw(st.integers(0, 2)))
    surface, entry = draw(st.sampled_from(ENTRIES))
    big = "万" in numeral or "亿" in numeral
    if form == "chinese":
        assume(not entry.get("arabic_only") or big)
        if entry["dim"] == "count" and entry.get("lone_one", True):
            assume(numeral != "一")  # 一个: a determiner
        if numeral == "二":
            numeral = "两"  # a bare 二 before a measure word is an ordinal (二批); a count says 两
    prefix, suffix = draw(st.sampled_from(PREFIXES)), draw(st.sampled_from(SUFFIXES))
    if entry.get("boundary"):
        suffix = "。"
    return prefix, numeral + surface, suffix, value, entry, surface


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(written_amounts())
def test_written_values_read_back(case):
    prefix, written, suffix, value, entry, surface = case
    text = prefix + written + suffix
    amounts = find_amounts(text)
    assert len(amounts) == 1, (text, amounts)
    a = amounts[0]
    assert (a.start, a.end, a.text) == (len(prefix), len(prefix) + len(written), written)
    assert a.unit == (entry["unit"] or surface)
    assert a.dimension == entry["dim"]
    expected = float(value * Decimal(entry["mult"]))
    assert math.isclose(a.value, expected, rel_tol=1e-12), (text, a.value, expected)
    assert a.comparator == "="


INTERESTING = list("0123456789０１２３４５６７８９.,，%％*xX-—~至到和、零〇一二两三四五六七八九十百千万亿点多余几数半番翻分之成倍"
                   "元块亿万吨度瓦千伏米亩个项家户台套人次批年月日第前约近超过以上下内左右不低于少到足（含）()“”《》。；：\n ")


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(INTERESTING), st.characters()), max_size=80))
def test_never_raises_and_spans_are_well_formed(text):
    amounts = find_amounts(text)
    last_end = 0
    for a in amounts:
        assert 0 <= a.start < a.end <= len(text)
        assert a.start >= last_end
        last_end = a.end
        assert text[a.start:a.end] == a.text
        assert a.comparator in COMPARATORS
        assert isinstance(a.unit, str) and a.unit
        r = a.reading()
        json.dumps(r)
        if isinstance(a.value, tuple):
            assert a.value[0] <= a.value[1]
            assert all(math.isfinite(v) for v in a.value)
        elif a.value is not None:
            assert math.isfinite(a.value)


class _Glue:
    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text):
        words, spaces = [], []
        for m in re.finditer(r"\S+", text):
            words.append(m.group())
            spaces.append(m.end() < len(text) and text[m.end()] == " " and not text[m.end() + 1:m.end() + 2].isspace())
        # keep the doc text identical to the input: fall back to character tokens if spacing is unusual
        doc = Doc(self.vocab, words=words, spaces=spaces) if words else Doc(self.vocab, words=[])
        if doc.text != text:
            chars = [c for c in text]
            doc = Doc(self.vocab, words=chars, spaces=[False] * len(chars)) if chars else Doc(self.vocab, words=[])
        return doc


_NLP = spacy.blank("zh")
_NLP.tokenizer = _Glue(_NLP.vocab)
_NLP.add_pipe("policytag_amounts", config={"set_ents": True})


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(INTERESTING), st.characters(blacklist_categories=("Cs",))),
               max_size=60))
def test_component_never_raises_and_aligns(text):
    assume(not any(c.isspace() and c != " " for c in text))
    doc = _NLP(text)
    expected = [(a.start, a.end) for a in find_amounts(text)]
    assert doc.text == text
    assert [(s.start_char, s.end_char) for s in doc.spans["amounts"]] == expected
    assert [(e.start_char, e.end_char) for e in doc.ents] == expected
