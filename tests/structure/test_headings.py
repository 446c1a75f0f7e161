import pytest

from policytag.read import read
from policytag.structure import analyse, is_marked_heading


@pytest.fixture(scope="module")
def seed000(seed_paths):
    return read(seed_paths[0])


def test_section_path_names_the_heading_above(seed000):
    problems = [p for p in seed000.paragraphs if p.text.startswith("二是规模工业相对较小")]
    assert len(problems) == 1
    assert problems[0].section == ["二、二产发展的主要困难和问题"]
    assert problems[0].kind == "body"


def test_subheading_that_opens_a_paragraph_is_not_a_heading(seed000):
    p = next(p for p in seed000.paragraphs if p.text.startswith("一是重点项目建成投产"))
    assert p.kind == "body"


@pytest.mark.parametrize(
    "line, marker",
    [
        ("一、二产发展的主要成效和特点", "cn_dun"),
        ("三、2024年项目建设的目标任务", "cn_dun"),
        ("（一）积极引导和监督管理,确保工业经济运行稳中向好。", "cn_paren"),
        ("(二)加快重点项目建设", "cn_paren"),
        ("一是强化目标责任落实。", "cn_shi"),
        ("1.群策群力、多方联动，认真谋划储备一批。", "arabic"),
        ("2、抓并网", "arabic"),
        ("（1）关于工资制度", "arabic_paren"),
        ("第一部分 过去五年工作回顾", "part"),
        ("——经济平稳快速增长。", "dash"),
        ("第二，加快发展基础工业，发挥工业的主导作用", "cn_ordinal"),
        ("第一，基本建设规模的大小问题。", "cn_ordinal"),
        ("第三、关于农业生产", "cn_ordinal"),
    ],
)
def test_heading_markers(line, marker):
    found = is_marked_heading(line)
    assert found is not None and found[0] == marker


@pytest.mark.parametrize(
    "line",
    [
        "一是重点项目建成投产，装备制造链条不断延伸。以完善产业链为重点，推动产能提升。",
        "1.5亿元用于技术改造",
        "2.靠实目标责任。把工业重点目标任务完成与做好日常工作结合起来。",
        "一批重点项目开工建设",
        "第一，正确处理农业、轻工业、重工业的关系。处理好这三者的关系，是顺利执行社会主义建设方针的关键。",
        "第一次全国经济普查顺利完成。",
    ],
)
def test_not_headings(line):
    assert is_marked_heading(line) is None


def test_levels_follow_the_order_markers_appear():
    parts = analyse(["（一）总体情况", "工业运行平稳。", "1.项目建设", "完成投资5亿元。", "（二）存在问题", "融资难。"])
    assert [p.kind for p in parts] == ["heading", "body", "heading", "body", "heading", "body"]
    assert [p.level for p in parts if p.kind == "heading"] == [1, 2, 1]
    assert parts[3].section == ["（一）总体情况", "1.项目建设"]
    assert parts[5].section == ["（二）存在问题"]


def test_adjacent_items_with_one_marker_are_a_list_not_headings():
    parts = analyse(["（二）加快重点项目建设。", "1、久久星项目已建成投产,累计完成投资24388万元。",
                     "2、迅发化工项目完成厂房主体建设90%。", "3、华奥项目已开工。"])
    assert [p.kind for p in parts] == ["heading", "body", "body", "body"]
    assert all(p.section == ["（二）加快重点项目建设。"] for p in parts[1:])


def test_title_meta_salutation_and_unmarked_headings():
    text = "政府工作报告\n\n1957年6月26日在第一届全国人民代表大会第四次会议上\n\n周恩来\n\n各位代表：\n\n从第三次会议闭幕以来，已经整整一年了。\n\n关于教育改革问题\n\n教育事业有很大发展。"
    report = read(text)
    assert [p.kind for p in report.paragraphs] == ["title", "meta", "meta", "salutation", "body", "heading", "body"]
    assert report.title == "政府工作报告"
    assert report.paragraphs[-1].section == ["关于教育改革问题"]


def test_ordinal_subheadings_open_sections():
    parts = analyse(["一、今年的任务", "第一，大力发展农业", "粮食生产要稳定增长。", "第二，加快发展基础工业",
                     "钢铁工业要提高质量。"])
    assert [p.kind for p in parts] == ["heading", "heading", "body", "heading", "body"]
    assert parts[2].section == ["一、今年的任务", "第一，大力发展农业"]
    assert parts[4].section == ["一、今年的任务", "第二，加快发展基础工业"]


BODY = ("今年要进一步推进财税体制改革，理顺中央与地方的分配关系，规范转移支付制度，加强税收征管，"
        "堵塞漏洞，严格控制一般性支出，切实提高财政资金的使用效益。")


def test_a_short_line_above_its_own_body_text_is_an_unmarked_subheading():
    from policytag.structure import unmarked_subheadings

    line = "大力整顿和规范市场经济秩序，进一步发展市场体系。"
    assert unmarked_subheadings([("二、今年的主要任务", "heading"), (line, "body"), (BODY, "body")]) == [
        False, True, False]
    # between two long paragraphs too; and the body text itself is never one
    assert unmarked_subheadings([(BODY, "body"), (line, "body"), (BODY, "body")]) == [False, True, False]


@pytest.mark.parametrize("paragraphs", [
    # items of a list of short lines: the line before is as short as the line
    [("加快地方政府机构改革。", "body"), ("推进事业单位改革。", "body"), (BODY, "body")],
    # an enumerated task-list item and a lead-in end in ； and ：
    [(BODY, "body"), ("一、节约能源，节约原材料，降低消耗；", "body"), (BODY, "body")],
    [(BODY, "body"), ("主要做了以下工作：", "body"), (BODY, "body")],
    # more than one sentence, or too long to be one line
    [(BODY, "body"), ("加强农业。支持农业。", "body"), (BODY, "body")],
    [(BODY, "body"), ("继续实施积极的财政政策，" * 4 + "。", "body"), (BODY + BODY, "body")],
    # nothing after it, or a heading after it
    [(BODY, "body"), ("继续实施积极的财政政策。", "body")],
    [(BODY, "body"), ("继续实施积极的财政政策。", "body"), ("三、改革开放", "heading")],
])
def test_lines_that_are_not_unmarked_subheadings(paragraphs):
    from policytag.structure import unmarked_subheadings

    assert unmarked_subheadings(paragraphs)[1] is False
