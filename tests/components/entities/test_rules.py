"""COMPANY/PROJECT rules and the merge policy, on the shipped segmenter's tokens."""

import pytest
import spacy
from spacy.tokens import Span

from policytag.components.entities.rules import find_companies, find_projects
from policytag.pipeline import build_rules_pipeline


@pytest.fixture(scope="module")
def nlp():
    return build_rules_pipeline()


def ents(nlp, text, label=None):
    return [(e.text, e.label_) for e in nlp(text).ents if label is None or e.label_ == label]


@pytest.mark.parametrize("text, company", [
    ("x滩330千伏升压站及输电工程获得国家电网和省电力公司核准", ["国家电网", "省电力公司"]),
    ("今年以来，金川集团精密铜材公司“4N5无氧铜板材”等关键产品成功量产", ["金川集团精密铜材公司"]),
    ("引进卓益商贸有限责任公司投资建设氨基酸系列产品生产项目", ["卓益商贸有限责任公司"]),
    ("区城投公司负责园区基础设施融资", ["区城投公司"]),
])
def test_companies(nlp, text, company):
    assert [t for t, _ in ents(nlp, text, "COMPANY")] == company


@pytest.mark.parametrize("text", [
    "要规范城投公司融资行为，防范金融风险",
    "有效分散银行信贷风险，消除银行的顾虑",
    "修订中华人民共和国公司法，深化国有商业银行改革",
    "揭露林彪反党集团的阴谋",
    "在改革中建立现代企业制度",
    # a verb left of the suffix is no name (控制, 改变 are company left stops)
    "严格控制集团消费，压缩行政开支",
    "逐步改变银行包揽企业资金的办法",
    "不要把企业集团搞成变相的行政性公司",  # 行政性 is a generic word
    "曾经有人断言，中国石油产量要逐渐减少",  # the country's oil output, not the company
    "河北、山东两大化肥厂已基本建成",  # several enterprises, counted
])
def test_not_companies(nlp, text):
    assert ents(nlp, text, "COMPANY") == []


@pytest.mark.parametrize("text, project", [
    ("华奥汽车项目二期已完成冲焊车间外立面施工", "华奥汽车项目二期"),
    ("东方电气一期9兆瓦等7个项目107兆瓦建成并网发电", "东方电气一期9兆瓦"),
    ("x滩330千伏升压站及输电工程获得核准", "x滩330千伏升压站及输电工程"),
    ("积极推进西气东输东段工程建设", "西气东输东段工程"),
    # a landmark written with its river (长江三峡工程) keeps it
    ("举世瞩目的长江三峡工程正式开工", "长江三峡工程"),
    # a verb before the name stays outside (促成, 紧跟 are left stops)
    ("积极促成x光热电站工程开工建设", "x光热电站工程"),
    # a project closed by 项目 is not joined to the next one by 及
    ("推动x能源公司2x35万千瓦热电联产项目及全省煤炭清洁利用项目规划调整", "x能源公司2x35万千瓦热电联产项目"),
])
def test_projects(nlp, text, project):
    assert project in [t for t, _ in ents(nlp, text, "PROJECT")]


@pytest.mark.parametrize("text", ["加快推进重点项目建设", "建成河道治理、高效节水示范等37项水利工程", "开工建设一批工业项目",
                                  "年内新争取200兆瓦以上项目路条",  # a class of projects by scale, not one
                                  # 工程 inside another word: an institute, an engineer
                                  "筹建x光热工程技术研究中心",
                                  "表彰化工厂青年工程师王强同志",
                                  ])
def test_generic_projects_are_not_tagged(nlp, text):
    assert ents(nlp, text, "PROJECT") == []


def test_a_total_over_several_projects_is_not_one_project(nlp):
    # 共 before the figure: 260兆瓦 is the total of nine projects; the named item before 等 is still one
    projects = [t for t, _ in ents(nlp, "督促已获批的x50兆瓦等9个共260兆瓦风电项目尽快开工", "PROJECT")]
    assert projects == ["x50兆瓦"]


def test_merge_longer_span_wins_and_amount_inside_project_is_dropped(nlp):
    doc = nlp("紧盯x发电公司2x66万千瓦火电发电项目，力争早日开工")
    labels = [(e.text, e.label_) for e in doc.ents]
    assert ("x发电公司2x66万千瓦火电发电项目", "PROJECT") in labels
    assert not any(lab == "AMOUNT" for _, lab in labels)
    assert not any(lab == "COMPANY" for _, lab in labels)


def test_merge_prefers_the_model_over_rules_at_equal_length():
    from policytag.components.entities.component import EntityMerge

    nlp = spacy.blank("zh")
    doc = nlp.make_doc("三阳公司建成")
    doc.spans["entity_rules"] = [Span(doc, 0, 4, label="COMPANY")]
    doc.ents = [Span(doc, 0, 4, label="PROJECT")]
    doc = EntityMerge(nlp, "m")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("三阳公司", "PROJECT")]


@pytest.mark.parametrize("policy, expected", [
    # model: 华奥汽车项目 (PROJECT, chars 0-6); rules: 华奥汽车项目二期 (PROJECT, 0-8) and 腾骏公司 (COMPANY, 9-13);
    # amount: 5亿元 (14-17)
    ("longest", [("华奥汽车项目二期", "PROJECT"), ("腾骏公司", "COMPANY"), ("5亿元", "AMOUNT")]),
    ("model_first", [("华奥汽车项目", "PROJECT"), ("腾骏公司", "COMPANY"), ("5亿元", "AMOUNT")]),
    ("rules_first", [("华奥汽车项目二期", "PROJECT"), ("腾骏公司", "COMPANY"), ("5亿元", "AMOUNT")]),
    ("model_only", [("华奥汽车项目", "PROJECT"), ("5亿元", "AMOUNT")]),
])
def test_merge_policies(policy, expected):
    from policytag.components.entities.component import EntityMerge

    nlp = spacy.blank("zh")
    doc = nlp.make_doc("华奥汽车项目二期、腾骏公司投资5亿元")
    assert [t.text for t in doc][:1] == ["华"]  # character tokens: offsets below are token offsets
    doc.spans["entity_rules"] = [Span(doc, 0, 8, label="PROJECT"), Span(doc, 9, 13, label="COMPANY")]
    doc.spans["amounts"] = [Span(doc, 15, 18, label="AMOUNT")]
    doc.ents = [Span(doc, 0, 6, label="PROJECT")]
    doc = EntityMerge(nlp, "m", policy=policy)(doc)
    assert [(e.text, e.label_) for e in doc.ents] == expected


def test_merge_rejects_an_unknown_policy():
    from policytag.components.entities.component import EntityMerge

    with pytest.raises(ValueError, match="unknown policy"):
        EntityMerge(spacy.blank("zh"), "m", policy="vote")


def test_rules_are_linear_in_text_length(nlp):
    # a 200k-character paragraph must not take quadratic time (it used to): a correctness check of the
    # helpers on a long doc, with every span aligned and inside the text
    text = "新签约项目132项，与金川集团公司合作建设东方电气一期9兆瓦。" * 2000
    doc = nlp.make_doc(text)
    companies = find_companies(doc)
    projects = find_projects(doc, companies)
    assert len(companies) == 4000 and len(projects) == 2000  # 金川集团公司 and 东方电气 (inside the project)
    assert all(0 <= s < e <= len(text) for s, e in companies + projects)


# ------------------------------------------------------------------------------------ typed lists (lists.json)
@pytest.mark.parametrize("text, expected", [
    # bare enterprise names listed as enterprises (DECISIONS.md, COMPANY)
    ("培育壮大宏远食品、天成农业等一批龙头企业", [("宏远食品", "COMPANY"), ("天成农业", "COMPANY")]),
    ("全年有巨龙、奥凯2户企业完成股改", [("巨龙", "COMPANY"), ("奥凯", "COMPANY")]),
    # projects named by owner, product or proper name in a list of projects; the list head stays outside
    ("重点推进华奥二期、腾骏汽车、久久星专用车等新材料项目", [("华奥二期", "PROJECT"), ("腾骏汽车", "PROJECT"),
                                                     ("久久星专用车", "PROJECT")]),
    ("争取利用吉泉直流、哈密至重庆以及青海至河南直流等特高压工程外送电力",
     [("吉泉直流", "PROJECT"), ("哈密至重庆", "PROJECT"), ("青海至河南直流", "PROJECT")]),
    # a nested list ends where the list of 等工程 begins: only the item after it is named
    ("重点实施水、电、路、管网等基础设施建设和滨河三号湖绿化等工程", [("滨河三号湖绿化", "PROJECT")]),
    # a first item cut after a verb (改造|工程) does not make the list one of kinds
    ("加大老区供热管网改造工程、20万吨特种润滑油、60万吨渣油加氢装置节能改造等项目的支持力度",
     [("20万吨特种润滑油", "PROJECT"), ("60万吨渣油加氢装置节能改造", "PROJECT")]),
    # an activity is a project with an owner, a capacity, a redacted name or a designated facility
    ("推进5万吨果蔬加工、红星乳业公司乳品加工、**废渣综合利用、东湖二号湖绿化等项目",
     [("5万吨果蔬加工", "PROJECT"), ("红星乳业公司乳品加工", "PROJECT"), ("**废渣综合利用", "PROJECT"),
      ("东湖二号湖绿化", "PROJECT")]),
])
def test_typed_list_items(nlp, text, expected):
    assert [(t, lab) for t, lab in ents(nlp, text) if lab != "AMOUNT"] == expected


@pytest.mark.parametrize("text, expected", [
    # redacted proper names (x, **) are names; redacted figures (**个, xx万元) and a bare ** are not
    ("加快建设**建筑固废循环处理、**含油废物综合利用等项目", [("**建筑固废循环处理", "PROJECT"),
                                                ("**含油废物综合利用", "PROJECT")]),
    ("今年**油田炼油厂将进行停产检修", [("**油田炼油厂", "COMPANY")]),
    ("争取**抽水蓄能电站获批建设", [("**抽水蓄能电站", "PROJECT")]),
    ("重点对投资亿元以上的**个项目实行包抓责任制", []),
    ("支持**等项目加快建成", []),
])
def test_redacted_names(nlp, text, expected):
    assert [(t, lab) for t, lab in ents(nlp, text) if lab != "AMOUNT"] == expected


@pytest.mark.parametrize("text", [
    "完成了道路、绿化、防洪、供电、通信等基础设施工程",  # generic kinds of works
    "新开工项目132项，完成投资5亿元",  # a bare count is not a list
    "在交通、水利、能源等领域实施一批重大工程",  # fields, not names
    "尽管以媒体、板报等为企业作招工宣传",  # 等 + a verb phrase, not a typed head
    # coordinated items are of one kind: one kind word among them (公路, 发电) makes the whole list a list of kinds
    "建成了一批公路、铁路、江河干堤、水利枢纽和城市基础设施等工程",
    "各地分别兴办采煤、发电、冶炼、化工等企业",
    # the noun after 等 types the list (手段), not a head further on (工程 of 工程质量)
    "综合运用经济、法律、行政和舆论监督等手段严把工程质量关",
    # short activities with no owner, capacity, redaction or designation are programmes or kinds of work
    "继续实施天然林保护、石漠化治理、草原保护等重点生态工程",
    "引进煤化工、锰铁冶炼等高载能项目",  # 冶炼 is an activity
    "完成外墙板安装等分项工程",  # 安装 is an activity
    # government bodies listed before a count of projects are neither companies nor projects
    "交通部、水利部和农业部共安排一百二十个建设项目",
])
def test_typed_lists_without_names(nlp, text):
    assert [e for e in ents(nlp, text) if e[1] != "AMOUNT"] == []


# ------------------------------------------------------------------------------ numbered progress items
@pytest.mark.parametrize("text, expected", [
    ("2、腾龙汽车项目已完成联合厂房建设。", [("腾龙汽车项目", "PROJECT")]),
    ("（3）星海化工项目完成厂房主体。", [("星海化工项目", "PROJECT")]),
    ("1、华泰汽车项目二期已完成冲焊车间施工。", [("华泰汽车项目二期", "PROJECT")]),
    # an item that opens with its owner is one PROJECT up to the head, verbs and all (owner + works)
    ("6、安达家居有限公司建设二期项目综合楼主体建成。", [("安达家居有限公司建设二期项目", "PROJECT")]),
])
def test_numbered_item_projects(nlp, text, expected):
    assert [(t, lab) for t, lab in ents(nlp, text) if lab != "AMOUNT"] == expected


@pytest.mark.parametrize("text", [
    "1、重点项目建设稳步推进。",  # generic words only
    "2、加快推进工业项目建设。",  # a verb: a task, not a name
    "二、突出工业项目投资带动",  # a section heading (Chinese numeral), not a numbered item
    "3、总投资超过10亿元的项目有5个。",  # a clause break before the head: no name
])
def test_numbered_items_without_projects(nlp, text):
    assert [e for e in ents(nlp, text) if e[1] != "AMOUNT"] == []
