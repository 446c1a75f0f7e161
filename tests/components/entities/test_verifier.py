"""The span verifier: its candidates, what it learns, its two merge policies, and saving/loading it."""

import pytest
import spacy
from spacy.tokens import Doc, Span

from policytag.components.entities.component import EntityMerge
from policytag.components.entities.verifier import SpanVerifier, features, head_candidates, token_bounds
from policytag.errors import ModelError


def test_head_candidates_end_at_a_head_and_stay_inside_the_name():
    text = "建成包头钢铁公司，三峡工程开工"
    spans = {text[s:e] for s, e in head_candidates(text)}
    assert {"包头钢铁公司", "钢铁公司", "三峡工程"} <= spans
    assert not any("，" in s for s in spans)  # never across punctuation
    assert all(s.endswith(("公司", "工程", "司", "程")) for s in spans)


def test_features_see_the_span_its_edges_and_its_clause():
    text = "包头钢铁公司建成投产，利润增长"
    f = features(text, 0, 6, "COMPANY")
    assert f["S=包头钢铁公司"] and f["H2=公司"] and f["rule=COMPANY"] and f["R2=建成"]
    assert "c=投产" in f and "c=利润" not in f  # the clause ends at the comma


def test_structure_features_follow_what_names_a_project():
    text = "7、中恒化工有限公司项目已完成，加快重点项目建设，力争400兆瓦光电项目"
    owner = features(text, 2, 12, "PROJECT")
    assert owner["owner"] and owner["item_start"] and "pre=generic" not in owner
    generic = features(text, text.index("重点项目"), text.index("重点项目") + 4, None)
    assert generic["pre=generic"] and generic["stop_left"] and "owner" not in generic  # 加快 ends on the left
    s = text.index("力争")
    verb = features(text, s, len(text), "PROJECT")
    assert verb["scale"] and verb["stop_inside"]  # 力争 is a verb that the span swallowed


def test_token_features_see_where_the_segmenter_cut():
    doc = Doc(spacy.blank("zh").vocab, words=["华奥", "二期", "项目"], spaces=[False] * 3)
    bounds = token_bounds(doc)
    assert bounds == {0, 2, 4, 6}
    f = features(doc.text, 0, 6, "PROJECT", bounds)
    assert f["tok_start"] and f["tok_end"] and f["words=3"] and f["single_chars=0"]
    inside = features(doc.text, 1, 6, None, bounds)
    assert inside["mid_start"]  # 奥二期项目 starts inside a word
    assert "tok_start" not in features(doc.text, 1, 6, None) and "mid_start" not in features(doc.text, 1, 6, None)


# a small training set: named enterprises (COMPANY), named works being built (PROJECT) and generic or political
# groups (neither), in varied sentences
COMPANIES = ["宝山钢铁公司", "鞍山钢铁公司", "三阳公司", "祁连药业公司", "金川集团", "华能集团", "腾骏公司", "东方电气集团"]
PROJECTS = ["三峡工程", "青藏铁路", "小浪底水利枢纽工程", "京九铁路", "宝钢二期工程", "秦山核电站", "南昆铁路", "葛洲坝水电站"]
NONE = ["侵略集团", "卖国集团", "重点工程", "国有企业公司", "水利工程", "有关公司", "这些工程", "军事集团"]


def _items():
    items = []
    for i, (c, p, n) in enumerate(zip(COMPANIES, PROJECTS, NONE)):
        for text in (f"{c}利润增长，{p}建成投产，{n}", f"{n}受到批评；{c}完成改造；加快{p}建设"):
            gold = {(text.index(c), text.index(c) + len(c)): "COMPANY", (text.index(p), text.index(p) + len(p)): "PROJECT"}
            extra = {(text.index(n), text.index(n) + len(n)): "COMPANY"}  # a rule's false positive
            items.append((text, SpanVerifier.candidates(text, extra), gold))
    return items


@pytest.fixture(scope="module")
def verifier():
    return SpanVerifier(C=4.0, class_weight="balanced").fit(_items())


def test_verifier_learns_names_and_rejects_generic_groups(verifier):
    text = "包头钢铁公司利润增长，京九铁路建成投产，侵略集团"
    chosen = {(text[s:e], lab) for s, e, lab, _ in verifier.select(text, SpanVerifier.candidates(text, {}), 0.5)}
    assert ("包头钢铁公司", "COMPANY") in chosen or ("京九铁路", "PROJECT") in chosen
    assert not any(name.endswith("侵略集团") for name, _ in chosen)
    assert all(e <= s2 or s >= e2 for s, e, *_ in verifier.select(text, SpanVerifier.candidates(text, {}), 0.1)
               for s2, e2, *_ in verifier.select(text, SpanVerifier.candidates(text, {}), 0.1) if (s, e) != (s2, e2))


def test_rules_verified_keeps_rule_spans_unless_rejected(verifier):
    text = "三阳公司完成改造，军事集团"
    rule_ok, rule_bad = (0, 4), (text.index("军事集团"), len(text))
    cands = SpanVerifier.candidates(text, {rule_ok: "COMPANY", rule_bad: "COMPANY"})
    kept = {(s, e) for s, e, _, _ in verifier.select(text, cands, threshold=0.99, reject=1.01)}
    assert rule_ok in kept and rule_bad in kept  # with reject above 1 every rule span is kept ...
    p_bad = dict(zip([(s, e) for s, e, _ in cands], verifier.score(text, cands)))[rule_bad]["NONE"]
    kept = {(s, e) for s, e, _, _ in verifier.select(text, cands, threshold=0.99, reject=p_bad - 1e-9)}
    assert rule_bad not in kept  # ... a rule span is dropped once its NONE probability reaches `reject`


def test_rules_verified_keeps_an_owner_with_its_works(verifier):
    """ANNOTATION.md: an owner plus an activity is one PROJECT and the longer span wins. A rule PROJECT holding a rule
    COMPANY survives even a verifier that would reject it; without the owner inside, the same span is dropped."""
    text = "中恒化工有限公司项目已完成厂房"
    company, project = (0, 8), (0, 10)
    cands = SpanVerifier.candidates(text, {company: "COMPANY", project: "PROJECT"})
    chosen = {(s, e, lab) for s, e, lab, _ in verifier.select(text, cands, threshold=0.99, reject=0.0)}
    assert chosen == {(0, 10, "PROJECT")}  # reject 0 drops every rule span but the owner's works
    alone = SpanVerifier.candidates(text, {project: "PROJECT"})
    assert (0, 10) not in {(s, e) for s, e, _, _ in verifier.select(text, alone, threshold=0.99, reject=0.0)}
    assert (0, 10) not in {(s, e) for s, e, _, _ in verifier.select(text, cands, threshold=0.99, reject=0.0,
                                                                   keep_owned=False)}


@pytest.mark.parametrize("text, name, kept", [
    ("加快建设**含油废物综合利用等项目", "**含油废物综合利用", True),  # ** stands for the owner's name
    ("x滩330千伏升压站及输电工程获批", "x滩330千伏升压站及输电工程", True),
    ("新增**个项目", "**个项目", False),  # ** stands for a figure: no owner
    ("加快建设含油废物综合利用等项目", "含油废物综合利用", False)])
def test_rules_verified_keeps_works_of_a_redacted_owner(verifier, text, name, kept):
    span = (text.index(name), text.index(name) + len(name))
    cands = SpanVerifier.candidates(text, {span: "PROJECT"})
    assert (span in {(s, e) for s, e, _, _ in verifier.select(text, cands, threshold=0.99, reject=0.0)}) is kept


@pytest.mark.parametrize("text, name, kept", [
    ("且华奥二期项目推进缓慢", "华奥二期项目", True),  # a name, then its phase: one project
    ("金泰新材料三期工程开工", "金泰新材料三期工程", True),
    ("二期项目推进缓慢", "二期项目", False),  # a phase alone names nothing
    ("加快华奥汽车项目建设", "华奥汽车项目", False)])  # no phase, no owner: the verifier decides
def test_rules_verified_keeps_a_named_phase(verifier, text, name, kept):
    """ANNOTATION.md §3: a phase picks out one project. A rule PROJECT naming one after its name survives a verifier
    that would reject it (reject 0 drops every other rule span)."""
    span = (text.index(name), text.index(name) + len(name))
    cands = SpanVerifier.candidates(text, {span: "PROJECT"})
    assert (span in {(s, e) for s, e, _, _ in verifier.select(text, cands, threshold=0.99, reject=0.0)}) is kept


def test_verifier_round_trips_through_disk(verifier, tmp_path):
    verifier.save(tmp_path / "v.pkl")
    again = SpanVerifier.load(tmp_path / "v.pkl")
    text = "宝山钢铁公司建成投产"
    cands = SpanVerifier.candidates(text, {})
    assert again.score(text, cands) == verifier.score(text, cands)


def test_merge_with_the_verifier_sets_flat_entities_and_keeps_amounts(verifier, tmp_path):
    nlp = spacy.blank("zh")
    doc = nlp.make_doc("金川集团利润增长，投资5亿元")
    doc.spans["amounts"] = [Span(doc, 11, 14, label="AMOUNT")]
    merge = EntityMerge(nlp, "m", policy="verified", threshold=0.3)
    with pytest.raises(ModelError, match="span verifier"):
        merge(doc)
    merge.verifier = verifier
    merge.to_disk(tmp_path / "merge")
    loaded = EntityMerge(nlp, "m", policy="verified", threshold=0.3).from_disk(tmp_path / "merge")
    out = [(e.text, e.label_) for e in loaded(doc).ents]
    assert ("5亿元", "AMOUNT") in out and ("金川集团", "COMPANY") in out
    assert all(a.end <= b.start for a, b in zip(doc.ents, doc.ents[1:]))
