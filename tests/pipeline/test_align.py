"""policytag.pipeline.align: token splitting at character offsets, and what it must leave intact."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

from policytag.pipeline.align import misaligned, split_at


def _doc(words):
    return Doc(spacy.blank("zh").vocab, words=words, spaces=[False] * len(words))


def test_split_makes_each_offset_a_boundary_and_keeps_the_text():
    doc = _doc(["焊装等", "车间", "宿舍楼", "五幢"])
    assert misaligned(doc, [(0, 2), (5, 7)]) == [(0, 2), (5, 7)]
    assert split_at(doc, [2, 5, 7]) == 2
    assert [t.text for t in doc] == ["焊装", "等", "车间", "宿舍", "楼", "五幢"]
    assert doc.text == "焊装等车间宿舍楼五幢" and misaligned(doc, [(0, 2), (5, 7)]) == []


def test_span_groups_keep_their_characters_after_a_split_before_them():
    """A split earlier in the paragraph must not shift the spans stored in doc.spans (spaCy's retokenizer leaves
    them at the old token positions): an AMOUNT `五幢` stays `五幢`, not `楼五`."""
    doc = _doc(["焊装等", "车间", "宿舍楼", "五", "幢", "，", "其中", "三", "幢"])
    doc.spans["amounts"] = [Span(doc, 3, 5, label="AMOUNT"), Span(doc, 7, 9, label="AMOUNT")]
    doc.spans["amounts"].attrs["source"] = "test"
    doc.spans["other"] = [Span(doc, 0, 2, label="PROJECT")]
    doc.ents = [Span(doc, 1, 2, label="X")]
    assert split_at(doc, [2, 7]) == 2
    assert [(s.text, s.label_) for s in doc.spans["amounts"]] == [("五幢", "AMOUNT"), ("三幢", "AMOUNT")]
    assert doc.spans["amounts"].attrs["source"] == "test"
    assert [(s.text, s.start_char, s.end_char) for s in doc.spans["other"]] == [("焊装等车间", 0, 5)]
    assert [(e.text, e.label_) for e in doc.ents] == [("车间", "X")]


def test_no_split_leaves_the_doc_alone():
    doc = _doc(["宿舍", "五幢"])
    doc.spans["amounts"] = [Span(doc, 1, 2, label="AMOUNT")]
    assert split_at(doc, [0, 2, 4, 9]) == 0
    assert [t.text for t in doc] == ["宿舍", "五幢"] and doc.spans["amounts"][0].text == "五幢"
