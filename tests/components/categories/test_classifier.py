"""The paragraph classifier component: modes, section use, serialisation."""

import spacy

from policytag.components.categories.component import ParagraphClassifier
from policytag.components.categories.model import CATEGORIES, Example, SklearnCategoryModel, rules_proba

TRAIN = [
    (Example("全区完成工业增加值101.6亿元，同比增长19.5%。", ["一、主要成效"]), "ACHIEVEMENT"),
    (Example("新签约招商引资项目132项，签约金额384.62亿元。", ["一、主要成效"]), "ACHIEVEMENT"),
    (Example("工业投资增长乏力，企业融资难度加大。", ["二、存在的问题"]), "PROBLEM"),
    (Example("产业结构单一，发展后劲不足。", ["二、存在的问题"]), "PROBLEM"),
    (Example("力争二产增加值增长12%以上。", ["三、目标任务"]), "GOAL"),
    (Example("确保固定资产投资增长10%以上。", ["三、目标任务"]), "GOAL"),
    (Example("要加快项目建设，强化要素保障。", ["四、保障措施"]), "MEASURE"),
    (Example("落实领导包抓责任制，加强督查考核。", ["四、保障措施"]), "MEASURE"),
    (Example("二、存在的问题", [], "heading"), "OTHER"),
    (Example("同志们：", [], "salutation"), "OTHER"),
] * 3


def fitted():
    xs, ys = zip(*TRAIN)
    return SklearnCategoryModel(min_df=1).fit(list(xs), list(ys))


def test_sklearn_model_uses_the_section_heading():
    model = fitted()
    text = "企业用工困难，成本上升。"
    under_problems = model.predict_proba([Example(text, ["二、存在的问题"])])[0]
    lone = model.predict_proba([Example(text, [])])[0]
    assert max(under_problems, key=under_problems.get) == "PROBLEM"
    assert set(lone) == set(CATEGORIES) and abs(sum(lone.values()) - 1) < 1e-6
    assert under_problems["PROBLEM"] > lone["PROBLEM"]


def test_rules_baseline_headings_are_other():
    assert max(rules_proba(Example("二、存在的问题", [], "heading")).items(), key=lambda kv: kv[1])[0] == "OTHER"


def test_component_modes_and_round_trip(tmp_path):
    from policytag import extensions  # noqa: F401

    nlp = spacy.blank("zh")
    clf = nlp.add_pipe("policytag_paragraph_classifier", config={"mode": "sklearn"})
    clf.model = fitted()
    doc = nlp.make_doc("力争工业增加值增长15%以上。")
    doc._.section = ["三、目标任务"]
    doc = clf(doc)
    assert set(doc.cats) == set(CATEGORIES) and max(doc.cats, key=doc.cats.get) == "GOAL"
    nlp.to_disk(tmp_path / "p")
    nlp2 = spacy.load(tmp_path / "p")
    doc2 = nlp2.make_doc("力争工业增加值增长15%以上。")
    doc2._.section = ["三、目标任务"]
    assert nlp2.get_pipe("policytag_paragraph_classifier")(doc2).cats == doc.cats
    # without a model the component falls back to the rules baseline rather than failing
    clf.model = None
    assert set(clf(nlp.make_doc("要加强管理。")).cats) == set(CATEGORIES)


def test_word_features_come_from_the_tokens_the_examples_carry(tmp_path):
    from policytag import extensions  # noqa: F401

    xs, ys = zip(*TRAIN)
    # spacy.blank("zh") segments into characters: give the training examples the same words the component will see
    with_tokens = [Example(x.text, x.section, x.kind, list(x.text)) for x in xs]
    model = SklearnCategoryModel(min_df=1).fit(with_tokens, list(ys))
    assert model.word_vec is not None and fitted().word_vec is None  # no tokens: a character-only model
    assert "<NUM>" in model.word_vec.vocabulary_  # numbers fold to one word
    model.save(tmp_path / "m.pkl")
    again = SklearnCategoryModel.load(tmp_path / "m.pkl")
    nlp = spacy.blank("zh")
    clf = nlp.add_pipe("policytag_paragraph_classifier", config={"mode": "sklearn"})
    clf.model = again
    text = "要加快项目建设，落实包抓责任制。"
    doc = clf(nlp.make_doc(text))
    expected = model.predict_proba([Example(text, [], "body", list(text))])[0]
    assert doc.cats == {c: float(v) for c, v in expected.items()}
    assert max(doc.cats, key=doc.cats.get) == "MEASURE"
    # the word block counts: the same text scored without its words differs
    assert model.predict_proba([Example(text, [], "body", [])])[0] != expected


def test_char_baseline_reads_the_text_alone_and_survives_a_round_trip(tmp_path):
    from policytag import extensions  # noqa: F401
    from policytag.components.categories.model import CharNgramBaseline

    xs, ys = zip(*TRAIN)
    base = CharNgramBaseline(min_df=1).fit(list(xs), list(ys))
    text = "企业用工困难，成本上升。"
    # the section heading that moves the full model does not move the baseline: it sees characters only
    assert base.predict_proba([Example(text, ["二、存在的问题"])]) == base.predict_proba([Example(text, [])])
    nlp = spacy.blank("zh")
    clf = nlp.add_pipe("policytag_paragraph_classifier", config={"mode": "chars"})
    clf.baseline, clf.model = base, fitted()
    doc = clf(nlp.make_doc("力争工业增加值增长15%以上。"))
    assert max(doc.cats, key=doc.cats.get) == "GOAL"
    assert doc.cats == base.predict_proba([Example("力争工业增加值增长15%以上。", [])])[0]
    nlp.to_disk(tmp_path / "p")
    again = spacy.load(tmp_path / "p").get_pipe("policytag_paragraph_classifier")
    assert again.baseline is not None and again.model is not None and again.mode == "chars"
    assert again(nlp.make_doc("力争工业增加值增长15%以上。")).cats == doc.cats


def test_unknown_mode_is_refused():
    import pytest

    nlp = spacy.blank("zh")
    with pytest.raises(ValueError, match="unknown mode"):
        nlp.add_pipe("policytag_paragraph_classifier", config={"mode": "best"})


def test_chars_weight_mixes_the_character_model_into_the_sklearn_mode(tmp_path):
    import pytest

    from policytag import extensions  # noqa: F401
    from policytag.components.categories.model import CharNgramBaseline

    xs, ys = zip(*TRAIN)
    full, chars = fitted(), CharNgramBaseline(min_df=1).fit(list(xs), list(ys))
    nlp = spacy.blank("zh")
    clf = nlp.add_pipe("policytag_paragraph_classifier", config={"mode": "sklearn", "chars_weight": 0.3})
    clf.model, clf.baseline = full, chars
    text = "企业用工困难，成本上升。"
    doc = nlp.make_doc(text)
    doc._.section = ["二、存在的问题"]
    cats = clf(doc).cats
    a = full.predict_proba([Example(text, ["二、存在的问题"], "body", [t.text for t in doc])])[0]
    b = chars.predict_proba([Example(text, [])])[0]
    assert cats == pytest.approx({c: 0.7 * a[c] + 0.3 * b[c] for c in CATEGORIES})
    assert abs(sum(cats.values()) - 1) < 1e-6
    nlp.to_disk(tmp_path / "p")  # the weight is config: it survives a round trip
    assert spacy.load(tmp_path / "p").get_pipe("policytag_paragraph_classifier").chars_weight == 0.3
    with pytest.raises(ValueError, match="chars_weight"):
        spacy.blank("zh").add_pipe("policytag_paragraph_classifier", config={"mode": "sklearn", "chars_weight": 1.5})


# ------------------------------------------------------------------------------------- word vectors (PPMI-SVD)
def _vector_text():
    """Sentences in which 完成 and 实现 share their contexts, and 困难 and 问题 theirs."""
    done = ["全年{v}工业增加值目标", "提前{v}年度计划任务", "今年{v}投资增长目标", "超额{v}生产计划任务"]
    trouble = ["企业面临的{v}较多", "发展中存在的{v}突出", "要解决融资{v}和用工{v}", "当前{v}依然不少"]
    lines = [s.format(v=v) for s in done for v in ("完成", "实现")] + [s.format(v=v) for s in trouble for v in ("困难", "问题")]
    return [list(_words(line)) for line in lines * 4]


def _words(line):
    # a stand-in segmenter: the two-character words of these sentences, characters otherwise
    vocab = ("全年", "完成", "实现", "工业", "增加值", "目标", "提前", "年度", "计划", "任务", "今年", "投资", "增长",
             "超额", "生产", "企业", "面临", "困难", "问题", "较多", "发展", "存在", "突出", "解决", "融资", "用工",
             "当前", "依然", "不少")
    i = 0
    while i < len(line):
        w = next((v for v in sorted(vocab, key=len, reverse=True) if line.startswith(v, i)), line[i])
        yield w
        i += len(w)


def test_word_vectors_put_words_of_one_function_together():
    from policytag.components.categories.model import WordVectors

    vec = WordVectors(dim=8, window=3, min_count=2).fit(_vector_text())
    assert vec.vectors.shape == (len(vec.vocab), 8)
    assert vec.most_similar("完成", 1) == ["实现"] and vec.most_similar("困难", 1) == ["问题"]
    # a paragraph's vector: the normalised mean of its known words; zeros when it has none
    p = vec.paragraph(["提前", "完成", "目标"])
    assert abs(float((p ** 2).sum()) - 1) < 1e-5
    assert not vec.paragraph(["未知词"]).any() and not vec.paragraph([]).any()
    # the same text gives the same vectors (fixed seed)
    assert (WordVectors(dim=8, window=3, min_count=2).fit(_vector_text()).vectors == vec.vectors).all()


def test_word_vectors_refuse_too_little_text():
    import pytest

    from policytag.components.categories.model import WordVectors

    with pytest.raises(ValueError, match="too little text"):
        WordVectors().fit([["一"], ["二"]])


def test_the_classifier_reads_word_vectors_and_keeps_them_through_a_round_trip(tmp_path):
    from policytag.components.categories.model import WordVectors

    xs, ys = zip(*TRAIN)
    with_tokens = [Example(x.text, x.section, x.kind, list(x.text)) for x in xs]
    vec = WordVectors(dim=4, min_count=1).fit([x.tokens for x in with_tokens])
    model = SklearnCategoryModel(min_df=1, vectors=vec).fit(with_tokens, list(ys))
    plain = SklearnCategoryModel(min_df=1).fit(with_tokens, list(ys))
    ex = [Example("要加快项目建设，落实包抓责任制。", [], "body", list("要加快项目建设，落实包抓责任制。"))]
    assert model.predict_proba(ex) != plain.predict_proba(ex)  # the vector block counts
    model.save(tmp_path / "m.pkl")
    again = SklearnCategoryModel.load(tmp_path / "m.pkl")
    assert again.vectors is not None and (again.vectors.vectors == vec.vectors).all()
    assert again.predict_proba(ex) == model.predict_proba(ex)
