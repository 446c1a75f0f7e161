"""Reading the seed reports: boilerplate, rejoined lines, offsets back to the source."""

import re

import pytest

from policytag.read import Normalizer, read
from policytag.read.normalize import Mapped
from policytag.read.normalize import is_traditional_only

BOILERPLATE = re.compile(
    r"素材库|paidbegin|paidend|##|此处隐藏|下载后查看|相[关關].{0,10}报告\s*[:：]|标签\s*[:：]|客服|公众号|代笔|会员群|svip"
)


@pytest.fixture(scope="module")
def seeds(seed_paths):
    return {p.stem: read(p) for p in seed_paths}


def test_no_boilerplate_survives_in_any_seed(seeds):
    for name, report in seeds.items():
        for p in report.paragraphs:
            assert not BOILERPLATE.search(p.text), (name, p.index, p.text[:80])
    removed_rules = {r.rule for r in seeds["seed-000"].removed}
    assert {"ad_bracket", "advertising"} <= removed_rules
    assert "related_links" in {r.rule for r in seeds["seed-004"].removed}


def test_inline_markers_are_cut_out_of_the_sentence(seeds):
    texts = [p.text for p in seeds["seed-000"].paragraphs]
    assert any("积极开展达规企业培育入库工作，预计年底" in t for t in texts)
    texts3 = [p.text for p in seeds["seed-003"].paragraphs]
    assert not any("隐藏" in t for t in texts3)


def test_seed_004_is_simplified_without_pinyin(seeds):
    report = seeds["seed-004"]
    assert report.script == "traditional" and report.pinyin_annotated
    for p in report.paragraphs:
        assert not re.search(r"\([a-zàáèéìíòóùāēěīōūǎǐǒǔü]+\)", p.text), p.text
        assert not any(is_traditional_only(c) for c in p.text), p.text
    assert report.paragraphs[0].text.startswith("根据市委“xxxxx”工作思路和区委“双扩双提”工作目标")
    assert report.paragraphs[-1].text == "xx区经济贸易局"
    assert report.paragraphs[-1].kind == "signoff"


def test_seed_000_broken_lines_are_rejoined(seeds):
    texts = [p.text for p in seeds["seed-000"].paragraphs]
    assert any("签约金额384.62亿元，今年开工的工业项目达128个" in t for t in texts)
    assert any("“领导包挂制、督查协调制、项目奖惩制”等工作制度" in t for t in texts)
    assert all(not t.endswith("今") for t in texts)
    texts1 = [p.text for p in seeds["seed-001"].paragraphs]
    assert any("增速转负为正。同时，积极为专家" in t for t in texts1)


def test_title_is_not_joined_to_the_first_paragraph(seeds):
    first = seeds["seed-000"].paragraphs[0]
    assert first.kind == "title"
    assert first.text == "主题教育专题调研报告——加快产业规模扩张做强工业战略平台"


def test_every_source_span_slices_back_to_its_paragraph(seeds, data_dir):
    reports = list(seeds.values()) + [read(data_dir / "encodings" / "seed-000.utf8-bom-crlf.txt")]
    for report in reports:
        for p in report.paragraphs:
            s, e = p.source_span
            assert 0 <= s < e <= len(report.source)
            assert report.normalize(report.source[s:e]) == p.text, (report.doc_id, p.index)
            # every character maps to a source character that it was made from
            assert len(p.offsets) == len(p.text)
            assert all(s <= o < e for o in p.offsets)


def test_offsets_point_at_the_source_characters(seeds):
    for report in seeds.values():
        normalizer = Normalizer(report.script, report.pinyin_annotated)
        for p in report.paragraphs:
            for i, ch in enumerate(p.text):
                assert normalizer.line(Mapped.of(report.source[p.source_offset(i)])).text == ch


def test_paragraph_indices_are_consecutive(seeds):
    for report in seeds.values():
        assert [p.index for p in report.paragraphs] == list(range(len(report.paragraphs)))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("一、成效\n今年以来，全区工业稳中有进，全年完成工业增加值101.6亿元\n同比增长19.5%。",
         ["一、成效", "今年以来，全区工业稳中有进，全年完成工业增加值101.6亿元同比增长19.5%。"]),
        ("现在，我代表国务院，向大会作《\n政府工作报告\n》，请予审议。", ["现在，我代表国务院，向大会作《政府工作报告》，请予审议。"]),
        ("各位代表：\n\n我们第一届全国人民代表大会，在听了刘少奇同志\n关于宪法草案的报告\n并进行了三天的讨论以后，通过了宪法。\n\n第二段。\n\n第三段。\n\n第四段。",
         ["各位代表：", "我们第一届全国人民代表大会，在听了刘少奇同志关于宪法草案的报告并进行了三天的讨论以后，通过了宪法。",
          "第二段。", "第三段。", "第四段。"]),
        ("全区新增规上企业8户，规模以上工业完成增加值82.1亿元，占全区工业\n\n增加值的90.7%。", ["全区新增规上企业8户，规模以上工业完成增加值82.1亿元，占全区工业增加值的90.7%。"]),
    ],
)
def test_line_joining(text, expected):
    assert [p.text for p in read(text).paragraphs] == expected


def test_headings_never_join_the_next_line():
    report = read("一、二产发展的主要成效和特点\n今年以来全区上下按照总体要求推进工作取得成效\n（一）输电工程\n已经核准")
    assert [p.text for p in report.paragraphs] == [
        "一、二产发展的主要成效和特点", "今年以来全区上下按照总体要求推进工作取得成效", "（一）输电工程", "已经核准"]


def test_ordinal_heading_lines_stay_apart_but_a_sentence_runs_on_into_an_enumeration():
    report = read("第三、正确地确定基本建设的总规模，大力提高投资效果\n我们要为经济振兴打好基础，必须使基本建设保持必要的规模。\n"
                  "这是因为，\n第一，在工商业方面，我们用全民所有制代替了资本主义所有制。")
    assert [p.text for p in report.paragraphs] == [
        "第三、正确地确定基本建设的总规模，大力提高投资效果", "我们要为经济振兴打好基础，必须使基本建设保持必要的规模。",
        "这是因为，第一，在工商业方面，我们用全民所有制代替了资本主义所有制。"]
    assert report.paragraphs[0].kind == "heading"
    assert report.paragraphs[1].section == ["第三、正确地确定基本建设的总规模，大力提高投资效果"]


def test_web_page_chrome_and_photo_credits_are_removed():
    page = "\n".join([
        "关于全市工业经济运行情况的报告", "来源：市工信局  时间：2023-05-06", "【字号：大 中 小】", "打印 | 收藏 | 关闭",
        "一季度全市规上工业增加值同比增长6.1%。", "新华社记者 张三 摄", "下一篇：关于开展安全生产检查的通知",
    ])
    report = read(page)
    assert [p.text for p in report.paragraphs] == ["关于全市工业经济运行情况的报告", "一季度全市规上工业增加值同比增长6.1%。"]
    assert {r.rule for r in report.removed} == {"metadata", "page_chrome", "photo_credit", "previous_next"}


def test_wikisource_licence_footer_is_removed():
    text = ("各位代表：\n\n让我们团结起来，争取更大的胜利！\n\n\n\n本作品是中华人民共和国的\n法律\n、\n法规\n，国家机关的决议。"
            "\n\n注：中文维基文库社群认为。\n\nPublic domain\nfalse")
    assert [p.text for p in read(text).paragraphs] == ["各位代表：", "让我们团结起来，争取更大的胜利！"]
