"""The spaCy component policytag_amounts: spans, readings, token splitting, ents, serialisation."""

from __future__ import annotations

import re
from importlib.metadata import entry_points

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

from policytag.components.amounts import find_amounts
from policytag.components.amounts.component import AmountRecognizer, align
from policytag.pipeline.align import split_at

TEXT = "预计全区二产增加值可达118亿元，同比增长20.5%以上，新签约项目3-5个，紧盯2x66万千瓦火电项目。"


class GlueTokenizer:
    """A segmenter that glues digits to the words around them, as pkuseg does (`可达118亿元`, `项目3-5个`):
    tokens are the runs between punctuation and spaces."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = [], []
        for m in re.finditer(r"[，。；、：,;:]|[^\s，。；、：,;:]+", text):
            words.append(m.group())
            spaces.append(text[m.end():m.end() + 1] == " ")
        return Doc(self.vocab, words=words, spaces=spaces)


@pytest.fixture()
def nlp():
    nlp = spacy.blank("zh")
    nlp.add_pipe("policytag_amounts")
    return nlp


@pytest.fixture()
def glue_nlp():
    nlp = spacy.blank("zh")
    nlp.tokenizer = GlueTokenizer(nlp.vocab)
    nlp.add_pipe("policytag_amounts")
    return nlp


def _expected():
    return [(a.start, a.end, a.reading()) for a in find_amounts(TEXT)]


def test_factory_is_registered_and_declared_as_entry_point():
    assert Language.has_factory("policytag_amounts")
    names = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert names.get("policytag_amounts") == "policytag.components.amounts.component:make_amount_recognizer"
    assert Span.has_extension("amount")


def test_spans_and_readings_on_character_tokens(nlp):
    doc = nlp(TEXT)
    spans = doc.spans["amounts"]
    assert [(s.start_char, s.end_char, s._.amount) for s in spans] == _expected()
    assert all(s.label_ == "AMOUNT" for s in spans)
    assert [s.text for s in spans] == ["118亿元", "20.5%", "3-5个", "2x66万千瓦"]
    assert spans[1]._.amount == {"value": 20.5, "unit": "%", "comparator": ">=", "dimension": "ratio"}
    assert doc.ents == ()  # set_ents is off by default


def test_glued_tokens_are_split_so_spans_align(glue_nlp):
    before = [t.text for t in glue_nlp.tokenizer(TEXT)]
    assert "预计全区二产增加值可达118亿元" in before  # the segmenter glued the amount to its verb
    doc = glue_nlp(TEXT)
    assert doc.text == TEXT
    spans = doc.spans["amounts"]
    assert [(s.start_char, s.end_char, s._.amount) for s in spans] == _expected()
    tokens = [t.text for t in doc]
    for s in spans:  # each amount is now made of whole tokens, and its neighbours are separate tokens
        assert "".join(t.text for t in s) == s.text
    assert "预计全区二产增加值可达" in tokens and "118亿元" in tokens
    assert "以上" in tokens or "以上" in "".join(tokens)
    assert "2x66万千瓦" in tokens and "紧盯" in tokens and "火电项目" in tokens


def test_split_keeps_whitespace():
    nlp = spacy.blank("zh")
    nlp.tokenizer = GlueTokenizer(nlp.vocab)
    nlp.add_pipe("policytag_amounts")
    text = "收入 新台币177.1亿元 增长12%。"
    doc = nlp(text)
    assert doc.text == text
    assert [s.text for s in doc.spans["amounts"]] == ["177.1亿元", "12%"]
    assert [s._.amount["unit"] for s in doc.spans["amounts"]] == ["TWD", "%"]


def test_split_points():
    # the shared token splitter (policytag.pipeline.align.split_at) cuts only inside tokens
    nlp = spacy.blank("zh")
    nlp.tokenizer = GlueTokenizer(nlp.vocab)
    doc = nlp.make_doc("可达118亿元，增长")
    before = [t.text for t in doc]
    assert split_at(doc, [0, 7]) == 0 and [t.text for t in doc] == before
    assert split_at(doc, [2, 8]) == 1
    assert [t.text for t in doc][:2] == ["可达", before[0][2:]] and doc.text == "可达118亿元，增长"


def test_align_with_a_dependency_parse():
    vocab = spacy.blank("zh").vocab
    doc = Doc(vocab, words=["投资", "达118亿元", "。"], spaces=[False, False, False], heads=[0, 0, 0],
              deps=["ROOT", "dobj", "punct"])
    align(doc, [(3, 8)])
    assert [t.text for t in doc] == ["投资", "达", "118亿元", "。"]
    assert doc.has_annotation("DEP")
    assert doc[1].head.i == 0 and doc[2].head.i == 1  # the first piece keeps the old head, the rest hang on it


def test_set_ents_keeps_other_entities(glue_nlp):
    nlp = spacy.blank("zh")
    nlp.tokenizer = GlueTokenizer(nlp.vocab)

    @Language.component("test_company_ents")
    def company_ents(doc):
        doc.ents = [Span(doc, 0, 1, label="COMPANY")]  # the whole first token, which holds an amount
        return doc

    nlp.add_pipe("test_company_ents")
    nlp.add_pipe("policytag_amounts", config={"set_ents": True, "spans_key": "amt"})
    text = "金川集团，投资达118亿元。"
    doc = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents] == [("金川集团", "COMPANY"), ("118亿元", "AMOUNT")]
    assert [s.text for s in doc.spans["amt"]] == ["118亿元"]
    ent = doc.ents[1]
    assert ent._.amount == {"value": 11800000000.0, "unit": "CNY", "comparator": "=", "dimension": "money"}

    doc2 = nlp("投资达118亿元。")  # an existing entity that overlaps an amount gives way to it
    assert [(e.text, e.label_) for e in doc2.ents] == [("118亿元", "AMOUNT")]


def test_reading_is_shared_by_a_span_made_later_with_the_same_offsets(nlp):
    doc = nlp(TEXT)
    s = doc.spans["amounts"][0]
    again = doc.char_span(s.start_char, s.end_char, label="AMOUNT")
    assert again._.amount == s._.amount


def test_no_amounts(nlp):
    doc = nlp("坚持稳中求进工作总基调。2024年，一季度。")
    assert list(doc.spans["amounts"]) == []


def test_pipe_and_config(nlp):
    docs = list(nlp.pipe([TEXT, "增长8%左右", ""]))
    assert [len(d.spans["amounts"]) for d in docs] == [4, 1, 0]
    assert docs[1].spans["amounts"][0]._.amount["comparator"] == "~"
    assert nlp.get_pipe_config("policytag_amounts") == {"factory": "policytag_amounts", "spans_key": "amounts",
                                                         "set_ents": False}


def test_serialisation_round_trips(tmp_path, nlp):
    nlp.to_disk(tmp_path / "pipe")
    loaded = spacy.load(tmp_path / "pipe")
    assert loaded.pipe_names == ["policytag_amounts"]
    doc = loaded(TEXT)
    assert [(s.start_char, s.end_char, s._.amount) for s in doc.spans["amounts"]] == _expected()

    comp = nlp.get_pipe("policytag_amounts")
    assert isinstance(comp, AmountRecognizer)
    assert comp.from_bytes(comp.to_bytes()) is comp
    comp.to_disk(tmp_path / "comp")
    assert comp.from_disk(tmp_path / "comp") is comp

    bin_ = DocBin(store_user_data=True)
    bin_.add(nlp(TEXT))
    back = list(DocBin().from_bytes(bin_.to_bytes()).get_docs(nlp.vocab))[0]

    def as_json(reading):  # msgpack gives a [low, high] value back as a tuple: the same JSON
        return {**reading, "value": list(reading["value"]) if isinstance(reading["value"], tuple) else reading["value"]}

    assert [(s.text, as_json(s._.amount)) for s in back.spans["amounts"]] == [
        (TEXT[a:b], r) for a, b, r in _expected()]
