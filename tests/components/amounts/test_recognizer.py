"""find_amounts: AMOUNT spans exactly as ANNOTATION.md §3/§4 define them, with their exact readings.

Each case: text -> [(span text, value, unit, comparator, dimension), ...] in order. Values are floats, (low, high)
for ranges and 多/余/几, None when redacted. Real sentences are quoted from the seed reports and from the national
government work reports 1954-2012 (traditional characters and full-width digits as written there).
"""

from __future__ import annotations

import json

import pytest

from policytag.components.amounts import Amount, find_amounts
from policytag.components.amounts.recognizer import RESOURCES

CNY, PCT = "CNY", "%"


def read(text: str) -> list[tuple]:
    return [(a.text, a.value, a.unit, a.comparator, a.dimension) for a in find_amounts(text)]


def check(text: str, expected: list[tuple]) -> None:
    got = read(text)
    assert len(got) == len(expected), got
    for g, e in zip(got, expected):
        span, value, unit, comp, dim = e
        assert g[0] == span
        if isinstance(value, tuple):
            assert isinstance(g[1], tuple) and g[1] == pytest.approx(value), g
        elif value is None:
            assert g[1] is None, g
        else:
            assert not isinstance(g[1], tuple) and g[1] == pytest.approx(value, rel=1e-12), g
        assert (g[2], g[3], g[4]) == (unit, comp, dim), g


# ---------------------------------------------------------------------------------------------- ANNOTATION.md table
SPEC_TABLE = [
    ("达118亿元", [("118亿元", 11800000000, CNY, "=", "money")]),
    ("完成投资96838万元", [("96838万元", 968380000, CNY, "=", "money")]),
    ("完成投资96838萬元", [("96838萬元", 968380000, CNY, "=", "money")]),
    ("增长20.5%", [("20.5%", 20.5, PCT, "=", "ratio")]),
    ("增长百分之二十点五", [("百分之二十点五", 20.5, PCT, "=", "ratio")]),
    ("增长12％", [("12％", 12, PCT, "=", "ratio")]),
    ("提高3.5个百分点", [("3.5个百分点", 3.5, "pp", "=", "ratio")]),
    ("形成500万千瓦产能", [("500万千瓦", 5000000, "kW", "=", "power")]),
    ("组件200兆瓦", [("200兆瓦", 200000, "kW", "=", "power")]),
    ("组件200MW", [("200MW", 200000, "kW", "=", "power")]),
    ("组件200mw", [("200mw", 200000, "kW", "=", "power")]),
    ("x久能50mw槽式", [("50mw", 50000, "kW", "=", "power")]),
    ("上网电量达到4640万度", [("4640万度", 46400000, "kWh", "=", "energy")]),
    ("x滩330千伏升压站", [("330千伏", 330, "kV", "=", "voltage")]),
    ("淘汰落后产能4万吨", [("4万吨", 40000, "t", "=", "mass")]),
    ("年产19万立方米", [("19万立方米", 190000, "m3", "=", "volume")]),
    ("仅占总户数的十分之一", [("十分之一", 0.1, "ratio", "=", "ratio")]),
    ("增长4.2倍", [("4.2倍", 4.2, "times", "=", "multiple")]),
    ("新签约项目132项", [("132项", 132, "项", "=", "count")]),
    ("x等35家企业", [("35家", 35, "家", "=", "count")]),
    ("叶片1260套", [("1260套", 1260, "套", "=", "count")]),
    ("风电机组500多台", [("500多台", (500, 600), "台", "=", "count")]),
    ("每月集中开工3-5个重大项目", [("3-5个", (3, 5), "个", "=", "count")]),
    ("力争每月签约5—10个重点招商项目", [("5—10个", (5, 10), "个", "=", "count")]),
    ("电力一百零八亿度", [("一百零八亿度", 10800000000, "kWh", "=", "energy")]),
    ("增加值**亿元", [("**亿元", None, CNY, "=", "money")]),
    ("增长**%", [("**%", None, PCT, "=", "ratio")]),
    ("增长12%以上", [("12%", 12, PCT, ">=", "ratio")]),
    ("增长5%左右", [("5%", 5, PCT, "~", "ratio")]),
    ("x发电公司2x66万千瓦火电", [("2x66万千瓦", 1320000, "kW", "=", "power")]),
    ("增产百分之三十六点九", [("百分之三十六点九", 36.9, PCT, "=", "ratio")]),
    ("贫困人口减少1240万", [("1240万", 12400000, "人", "=", "count")]),
    ("治理5000亩沙区", [("5000亩", 5000, "亩", "=", "area")]),
    ("面积2.5平方公里", [("2.5平方公里", 2.5, "km2", "=", "area")]),
    ("浓度45微克/立方米", [("45微克/立方米", 45, "μg/m3", "=", "mass/volume")]),
    ("60岁以上", [("60岁", 60, "岁", ">=", "age")]),
    ("建成20蒸吨锅炉", [("20蒸吨", 20, "蒸吨", "=", "power")]),
    ("人员编制减少一半", [("一半", 0.5, "ratio", "=", "ratio")]),
]


@pytest.mark.parametrize("text,expected", SPEC_TABLE, ids=[t for t, _ in SPEC_TABLE])
def test_annotation_table(text, expected):
    check(text, expected)


# ---------------------------------------------------------------------------------------------- numeral forms
FORMS = [
    # Arabic: separators, decimals, full-width
    ("收入1,234,567.89元", [("1,234,567.89元", 1234567.89, CNY, "=", "money")]),
    ("剧场达到２，１１２个", [("２，１１２个", 2112, "个", "=", "count")]),
    ("研究生１７．２万人", [("１７．２万人", 172000, "人", "=", "count")]),
    ("增长６．４％", [("６．４％", 6.4, PCT, "=", "ratio")]),
    ("收入 177.1 亿元", [("177.1 亿元", 17710000000, CNY, "=", "money")]),
    # Chinese
    ("原煤八千一百九十九萬噸", [("八千一百九十九萬噸", 81990000, "t", "=", "mass")]),
    ("比上年增加两万亿元", [("两万亿元", 2000000000000, CNY, "=", "money")]),
    ("新建两个园区", [("两个", 2, "个", "=", "count")]),
    ("增长三点七倍", [("三点七倍", 3.7, "times", "=", "multiple")]),
    ("等於一九四九年的二點六倍", [("二點六倍", 2.6, "times", "=", "multiple")]),
    ("支票写为伍仟元整", [("伍仟元整", 5000, CNY, "=", "money")]),
    # mixed
    ("新增3.5万户", [("3.5万户", 35000, "户", "=", "count")]),
    ("财政收入1.39万亿元", [("1.39万亿元", 1390000000000, CNY, "=", "money")]),
    ("两个亿卢布", [("两个亿卢布", 200000000, "RUB", "=", "money")]),
    ("投资3个多亿元", [("3个多亿元", (300000000, 400000000), CNY, "=", "money")]),
    # fractions, 成, 倍, 翻番, 一半
    ("三分之一的人员", [("三分之一", 1 / 3, "ratio", "=", "ratio")]),
    ("三分之二以上", [("三分之二", 2 / 3, "ratio", ">=", "ratio")]),
    ("概率是1/2", [("1/2", 0.5, "ratio", "=", "ratio")]),
    ("六成以上的企业", [("六成", 0.6, "ratio", ">=", "ratio")]),
    ("七八成", [("七八成", (0.7, 0.8), "ratio", "=", "ratio")]),
    ("工业总产值翻一番", [("一番", 2, "times", "=", "multiple")]),
    ("比1980年翻两番", [("两番", 4, "times", "=", "multiple")]),
    ("收入翻了一番", [("一番", 2, "times", "=", "multiple")]),
    ("增长了一倍多", [("一倍", 1, "times", ">", "multiple")]),
    ("增长两倍以上", [("两倍", 2, "times", ">=", "multiple")]),
    ("降到千分之五左右", [("千分之五", 5, "‰", "~", "ratio")]),
    ("自然增长率6.45‰", [("6.45‰", 6.45, "‰", "=", "ratio")]),
    ("出生率下降５个千分点", [("５个千分点", 5, "‰pt", "=", "ratio")]),
    # ranges
    ("补助100万元至300万元", [("100万元至300万元", (1000000, 3000000), CNY, "=", "money")]),
    ("增长6.5%－7%", [("6.5%－7%", (6.5, 7), PCT, "=", "ratio")]),
    ("1万-5万元", [("1万-5万元", (10000, 50000), CNY, "=", "money")]),
    ("1万元--5万元", [("1万元--5万元", (10000, 50000), CNY, "=", "money")]),
    ("两到三万港元", [("两到三万港元", (20000, 30000), "HKD", "=", "money")]),
    ("十八至三十万日元", [("十八至三十万日元", (180000, 300000), "JPY", "=", "money")]),
    ("争取2－3户企业", [("2－3户", (2, 3), "户", "=", "count")]),
    ("从8500到3万港元", [("8500到3万港元", (8500, 30000), "HKD", "=", "money")]),
    ("1万(含)-5万元", [("1万(含)-5万元", (10000, 50000), CNY, "=", "money")]),
    ("粮食产量应该有七千二百亿斤到七千五百亿斤",
     [("七千二百亿斤到七千五百亿斤", (720000000000, 750000000000), "斤", "=", "mass")]),
    ("下降-5%--3%", [("-5%--3%", (-5, -3), PCT, "=", "ratio")]),
    # approximations
    ("投入资金5700多万元", [("5700多万元", (57000000, 58000000), CNY, "=", "money")]),
    ("30余家企业", [("30余家", (30, 40), "家", "=", "count")]),
    ("下岗职工达2700多万人", [("2700多万人", (27000000, 28000000), "人", "=", "count")]),
    ("吸纳农村劳动力１亿多人", [("１亿多人", (100000000, 200000000), "人", "=", "count")]),
    ("十几个县", [("十几个", (10, 20), "个", "=", "count")]),
    ("人民币数十亿元", [("数十亿元", (1000000000, 10000000000), CNY, "=", "money")]),
    ("八九亿韩元", [("八九亿韩元", (800000000, 900000000), "KRW", "=", "money")]),
    ("三五百块", [("三五百块", (300, 500), CNY, "=", "money")]),
    # signs
    ("同比增长-2.3%", [("-2.3%", -2.3, PCT, "=", "ratio")]),
    ("零下四摄氏度", [("零下四摄氏度", -4, "℃", "=", "temperature")]),
    # redactions
    ("高于全省平均增速**个百分点", [("**个百分点", None, "pp", "=", "ratio")]),
    ("确定**户企业", [("**户", None, "户", "=", "count")]),
    ("实际发电达到**亿千瓦时", [("**亿千瓦时", None, "kWh", "=", "energy")]),
    ("增长xx%", [("xx%", None, PCT, "=", "ratio")]),
    ("完成投资xx万元", [("xx万元", None, CNY, "=", "money")]),
    ("风电、光电上网率分别下降**和8.4个百分点",
     [("**", None, "pp", "=", "ratio"), ("8.4个百分点", 8.4, "pp", "=", "ratio")]),
    # compound units
    ("建设20万吨/年生产线", [("20万吨/年", 200000, "t/a", "=", "mass/time")]),
    ("上网电价0.35元/千瓦时", [("0.35元/千瓦时", 0.35, "CNY/kWh", "=", "money/energy")]),
    ("日处理能力3万立方米/日", [("3万立方米/日", 30000, "m3/d", "=", "volume/time")]),
    ("能耗0.5吨标准煤/万元", [("0.5吨标准煤/万元", 0.00005, "tce/CNY", "=", "energy/money")]),
    # money forms of other currencies
    ("外汇储备达到8189亿美元", [("8189亿美元", 818900000000, "USD", "=", "money")]),
    ("港币两千九百六十元", [("两千九百六十元", 2960, "HKD", "=", "money")]),
    ("新台币 177.1 亿元", [("177.1 亿元", 17710000000, "TWD", "=", "money")]),
    ("三万元欧元", [("三万元欧元", 30000, "EUR", "=", "money")]),
    ("投资100亿元人民币", [("100亿元人民币", 10000000000, CNY, "=", "money")]),
    ("123元1角1分", [("123元1角1分", 123.11, CNY, "=", "money")]),
    ("一百三十五块六角七分钱", [("一百三十五块六角七分钱", 135.67, CNY, "=", "money")]),
    # other units
    ("新增公路63.9万公里", [("63.9万公里", 639000, "km", "=", "length")]),
    ("退耕还林382万公顷", [("382万公顷", 3820000, "ha", "=", "area")]),
    ("新建住房三十二亿平方米", [("三十二亿平方米", 3200000000, "m2", "=", "area")]),
    ("棉花六百七十三万担", [("六百七十三万担", 6730000, "担", "=", "mass")]),
    ("粮食1.14万亿斤", [("1.14万亿斤", 1140000000000, "斤", "=", "mass")]),
    ("货物周转量３６１７亿吨公里", [("３６１７亿吨公里", 361700000000, "t·km", "=", "transport")]),
    ("招商51批、196人次", [("51批", 51, "批", "=", "count"), ("196人次", 196, "人次", "=", "count")]),
    ("风电装备10GW切片", [("10GW", 10000000, "kW", "=", "power")]),
    ("发电量４４５５亿千瓦小时", [("４４５５亿千瓦小时", 445500000000, "kWh", "=", "energy")]),
    ("建成1.5万台(套)设备", [("1.5万台(套)", 15000, "台套", "=", "count")]),
]


@pytest.mark.parametrize("text,expected", FORMS, ids=[t for t, _ in FORMS])
def test_forms(text, expected):
    check(text, expected)


# ---------------------------------------------------------------------------------------------- not AMOUNTs
NOT_AMOUNTS = [
    "2024年，全区二产发展", "1-10月，全县开工", "预计一季度全市规上工业", "自6月份起", "用三年时间", "力争用3-5年时间打造",
    "“2+4”现代化产业集群", "4N5无氧铜板材", "5G基站", "C919大型客机", "“3341”项目工程", "在全国前8位", "居全省第3位",
    "第一，第二批，第3个", "一是重点项目建成投产", "1.抓招商、建项目", "中央八项规定", "残疾人两项补贴", "“四大行动”",
    "谋划一批项目", "一大批企业", "5A级景区", "五星级酒店", "三次产业结构3.6:48:48.4", "省市县三级", "两个积极性",
    "二〇〇二年的第一场雪", "电话012", "PM2.5浓度", "“三个代表”重要思想", "和平共处五项原则", "持之以恒推进五个一批",
    "八届全国人大二次会议", "风电二期二批部分项目", "经济一度出现过热", "江泽民主席两度访欧", "建立一个机制",
    "节约用水", "签约项目", "通过3个月的努力", "3个多月", "5个工作日", "亿万人民", "千方百计", "百万千瓦级核电",
    "完成固定资产投资亿元", "万元GDP能耗", "加强银政企三方交流", "世界500强", "10大惠民实事", "“一企一策”",
    "明年3月份才投产", "x政办通﹝2018﹞27号", "**年外送电量", "“**”目标", "与**分别签署", "加快**、争取**抽水蓄能",
    "约2.5亿年~6500万年", "中国制造2025", "5G+工业互联网", "十七届三中全会", "二三产业", "一二三产业协调发展",
    "继续推行“三分之一”工作法", "收支两条线", "一国两制", "两岸关系", "半年", "零售额", "零部件",
]


@pytest.mark.parametrize("text", NOT_AMOUNTS)
def test_not_amounts(text):
    assert read(text) == []


# ---------------------------------------------------------------------------------------------- comparators
COMPARATORS = [
    ("工业领域上缴税金4亿元以上", ">="), ("到位资金不低于80亿元", ">="), ("不少于100个", ">="), ("至少九千块钱以上", ">="),
    ("签约资金突破300亿元", ">"), ("超过5亿元", ">"), ("新增营业收入超5亿元", ">"), ("逾100万人", ">"),
    ("税收过1000万元", ">"), ("高于3%", ">"), ("高于全省3个百分点", "="), ("突破了300亿元", ">"),
    ("控制在4.6%以内", "<="), ("不超过3%", "<="), ("60岁以下", "<="), ("控制在百分之六以内", "<="),
    ("低于3%", "<"), ("不到1.9万台币", "<"), ("不足5%", "<"), ("少于10家", "<"),
    ("增长8%左右", "~"), ("约4.287亿美元", "~"), ("近700万元", "~"), ("接近10亿元", "~"), ("大约十多欧元", "~"),
    ("5%上下", "~"), ("约为5%", "~"), ("将近100家", "~"), ("增长近百分之二", "~"),
    ("达到55.2%", "="), ("为3.9%", "="), ("完成30亿元", "="), ("预计增长8%", "="),
    ("节约100万元", "="), ("签约30亿元", "="), ("最近5个项目", "="), ("通过3个渠道", "="),
    ("50万元（含）以上", ">="), ("300万元上下游", "="), ("5个以上", ">="),
]


@pytest.mark.parametrize("text,comparator", COMPARATORS, ids=[t for t, _ in COMPARATORS])
def test_comparator(text, comparator):
    amounts = find_amounts(text)
    assert len(amounts) == 1, amounts
    assert amounts[0].comparator == comparator


def test_comparator_words_stay_outside_the_span():
    for text, _ in COMPARATORS:
        for a in find_amounts(text):
            for word in ("以上", "以下", "以内", "左右", "上下", "约", "近", "超过", "突破", "不低于", "不到", "（含）"):
                assert word not in a.text, (text, a.text)


def test_qualifier_after_a_list_applies_to_each_item():
    check("分别增长7%和8%左右", [("7%", 7, PCT, "~", "ratio"), ("8%", 8, PCT, "~", "ratio")])
    check("分别增长10%、12%和15%以上",
          [("10%", 10, PCT, ">=", "ratio"), ("12%", 12, PCT, ">=", "ratio"), ("15%", 15, PCT, ">=", "ratio")])
    # an item with its own word keeps it; a comma ends the list
    check("增长约5%和8%以上", [("5%", 5, PCT, "~", "ratio"), ("8%", 8, PCT, ">=", "ratio")])
    check("增长12%以上，其中工业增加值增长12％", [("12%", 12, PCT, ">=", "ratio"), ("12％", 12, PCT, "=", "ratio")])


def test_digitless_magnitudes_are_thresholds_only():
    check("产值过亿元、税收过千万元的企业仅有7家",
          [("亿元", 1e8, CNY, ">", "money"), ("千万元", 1e7, CNY, ">", "money"), ("7家", 7, "家", "=", "count")])
    check("亿元以上重大项目100个以上", [("亿元", 1e8, CNY, ">=", "money"), ("100个", 100, "个", ">=", "count")])
    assert read("万元增加值能耗") == []


# ---------------------------------------------------------------------------------------------- bare 万/亿 numbers
def test_bare_numbers_with_a_clear_counted_noun():
    check("我国有十亿多人口", [("十亿多", (1e9, 2e9), "人", "=", "count")])
    check("解决6000万农村人口的安全饮水", [("6000万", 6e7, "人", "=", "count")])
    check("城镇新增就业1100万", [("1100万", 1.1e7, "人", "=", "count")])
    check("到位资金突破300亿", [("300亿", 3e10, CNY, ">", "money")])
    check("全国一亿二千万农户", [("一亿二千万", 1.2e8, "户", "=", "count")])
    # no counted noun: a bare number stays unread
    assert read("每天更新9000万字材料") == []
    assert read("编号1240万，") == []
    assert read("贫困人口减少1240") == []


# ---------------------------------------------------------------------------------------------- real sentences
REAL = [
    # seeds
    ("预计全区二产增加值可达118亿元，同比增长20.5%，其中，工业增加值101.6亿元，同比增长19.5%；",
     [("118亿元", 118e8, CNY, "=", "money"), ("20.5%", 20.5, PCT, "=", "ratio"),
      ("101.6亿元", 101.6e8, CNY, "=", "money"), ("19.5%", 19.5, PCT, "=", "ratio")]),
    ("目前，累计帮助14家企业争取22个光电项目路条632兆瓦路条，东方电气一期9兆瓦等7个项目107兆瓦建成并网发电",
     [("14家", 14, "家", "=", "count"), ("22个", 22, "个", "=", "count"), ("632兆瓦", 632000, "kW", "=", "power"),
      ("9兆瓦", 9000, "kW", "=", "power"), ("7个", 7, "个", "=", "count"), ("107兆瓦", 107000, "kW", "=", "power")]),
    ("新增营业收入超5亿元的企业1户，超1亿元企业4户",
     [("5亿元", 5e8, CNY, ">", "money"), ("1户", 1, "户", "=", "count"), ("1亿元", 1e8, CNY, ">", "money"),
      ("4户", 4, "户", "=", "count")]),
    ("工业固定资产投资同比增长**%，高于全省平均增速**个百分点。停产企业由一季度的**户减少到**户",
     [("**%", None, PCT, "=", "ratio"), ("**个百分点", None, "pp", "=", "ratio"), ("**户", None, "户", "=", "count"),
      ("**户", None, "户", "=", "count")]),
    ("1-3月,“2+4”现代化产业集群预计实现产值401.2亿元,同比增长29.2%(有色金属新材料产业链248亿元,同比增长27.84%;",
     [("401.2亿元", 401.2e8, CNY, "=", "money"), ("29.2%", 29.2, PCT, "=", "ratio"),
      ("248亿元", 248e8, CNY, "=", "money"), ("27.84%", 27.84, PCT, "=", "ratio")]),
    ("全县开工500万元以上的各类项目729个，完成固定资产投资262.9亿元，同比增长8.4%，自6月份起在5县市区率先实现止滑稳增",
     [("500万元", 5e6, CNY, ">=", "money"), ("729个", 729, "个", "=", "count"),
      ("262.9亿元", 262.9e8, CNY, "=", "money"), ("8.4%", 8.4, PCT, "=", "ratio")]),
    # national reports, 1954-2012
    ("原煤八千一百九十九萬噸，等於一九四九年的二點六倍；",
     [("八千一百九十九萬噸", 81990000, "t", "=", "mass"), ("二點六倍", 2.6, "times", "=", "multiple")]),
    ("1957年的国家预算收入比1956年增长近百分之二；", [("百分之二", 2, PCT, "~", "ratio")]),
    ("钢增加了四百万吨，煤增加了六千四百万吨，机床增加了一万四千三百台，粮食增加了六百一十二亿斤，棉花增加了六百七十三万担；",
     [("四百万吨", 4e6, "t", "=", "mass"), ("六千四百万吨", 6.4e7, "t", "=", "mass"),
      ("一万四千三百台", 14300, "台", "=", "count"), ("六百一十二亿斤", 6.12e10, "斤", "=", "mass"),
      ("六百七十三万担", 6.73e6, "担", "=", "mass")]),
    ("农村用电量增长二十二倍，国家供应的化学肥料增长两倍以上。",
     [("二十二倍", 22, "times", "=", "multiple"), ("两倍", 2, "times", ">=", "multiple")]),
    ("发电量由二千零三十亿度增加到二千五百六十亿度，增长百分之二十六；",
     [("二千零三十亿度", 2.03e11, "kWh", "=", "energy"), ("二千五百六十亿度", 2.56e11, "kWh", "=", "energy"),
      ("百分之二十六", 26, PCT, "=", "ratio")]),
    ("一九八三年，职工家庭按人口平均的生活费收入达到５２６元，比上年增长６．４％；",
     [("５２６元", 526, CNY, "=", "money"), ("６．４％", 6.4, PCT, "=", "ratio")]),
    ("计划生育成绩明显，出生率下降５个千分点，相当于五年少生１５００万人左右。",
     [("５个千分点", 5, "‰pt", "=", "ratio"), ("１５００万人", 1.5e7, "人", "~", "count")]),
    ("1998年以来，国有企业下岗职工达2700多万人，90%以上进入再就业服务中心",
     [("2700多万人", (2.7e7, 2.8e7), "人", "=", "count"), ("90%", 90, PCT, ">=", "ratio")]),
    ("2007年，国内生产总值达到24.66万亿元，比2002年增长65.5%，年均增长10.6%，从世界第六位上升到第四位；",
     [("24.66万亿元", 2.466e13, CNY, "=", "money"), ("65.5%", 65.5, PCT, "=", "ratio"),
      ("10.6%", 10.6, PCT, "=", "ratio")]),
    ("高校毕业生初次就业率77.8％，同比提高1.2个百分点。",
     [("77.8％", 77.8, PCT, "=", "ratio"), ("1.2个百分点", 1.2, "pp", "=", "ratio")]),
    ("社会商品零售总额增长百分之十二点三，零售物价上涨幅度控制在百分之六以内。",
     [("百分之十二点三", 12.3, PCT, "=", "ratio"), ("百分之六", 6, PCT, "<=", "ratio")]),
    ("五年建成铁路新线1.6万公里，新增公路63.9万公里，新建、改扩建机场33个",
     [("1.6万公里", 16000, "km", "=", "length"), ("63.9万公里", 639000, "km", "=", "length"),
      ("33个", 33, "个", "=", "count")]),
    ("上半年已有基層社三萬一千餘個，社員一億六千五百五十二萬餘人",
     [("三萬一千餘個", (31000, 32000), "个", "=", "count"),
      ("一億六千五百五十二萬餘人", (165520000, 165530000), "人", "=", "count")]),
    ("经济社会发展的主要预期目标是：国内生产总值增长7.5%左右，城镇新增就业900万人以上，城镇登记失业率控制在4.6%以内",
     [("7.5%", 7.5, PCT, "~", "ratio"), ("900万人", 9e6, "人", ">=", "count"), ("4.6%", 4.6, PCT, "<=", "ratio")]),
]


@pytest.mark.parametrize("text,expected", REAL, ids=[t[:24] for t, _ in REAL])
def test_real_sentences(text, expected):
    check(text, expected)


# ---------------------------------------------------------------------------------------------- the unit table
UNITS = json.loads((RESOURCES / "units.json").read_text(encoding="utf-8"))
COMPS = json.loads((RESOURCES / "comparators.json").read_text(encoding="utf-8"))


def _surfaces():
    for entry in UNITS["units"]:
        for surface in entry["surface"]:
            yield pytest.param(entry, surface, id=surface)


@pytest.mark.parametrize("entry,surface", list(_surfaces()))
def test_every_unit_of_the_table_is_read(entry, surface):
    """Each written form of the table, after an Arabic numeral, gives its canonical unit, factor and dimension."""
    n = 6 if entry.get("max_value") else 12
    amounts = find_amounts(f"新增{n}{surface}。")
    assert len(amounts) == 1, amounts
    a = amounts[0]
    assert a.text == f"{n}{surface}"
    assert a.unit == (entry["unit"] or surface)
    assert a.dimension == entry["dim"]
    assert a.value == pytest.approx(n * float(entry["mult"]))


@pytest.mark.parametrize("tu", UNITS["time_units"])
def test_time_units_are_never_amounts(tu):
    assert read(f"用了3{tu}时间") == []
    assert read(f"用了三{tu}") == []


@pytest.mark.parametrize("entry", COMPS["before"], ids=[e["word"] for e in COMPS["before"]])
def test_every_before_word(entry):
    amounts = find_amounts(f"，{entry['word']}12亿元，")
    assert [a.comparator for a in amounts] == [entry["comparator"]]


@pytest.mark.parametrize("entry", COMPS["after"], ids=[e["word"] for e in COMPS["after"]])
def test_every_after_word(entry):
    unit = "倍" if entry.get("units") else "亿元"
    amounts = find_amounts(f"增长12{unit}{entry['word']}，")
    assert [a.comparator for a in amounts] == [entry["comparator"]]


def test_not_preceded_by_blocks_the_word():
    words = {e["word"]: e["comparator"] for e in COMPS["before"]}
    for entry in COMPS["before"]:
        for ch in entry.get("not_preceded_by", []):
            amounts = find_amounts(f"{ch}{entry['word']}12亿元")
            # 节约 -> '='; but 超过, 大约, 接近 are words of their own
            expected = words.get(ch + entry["word"], "=")
            assert [a.comparator for a in amounts] == [expected], (ch, entry["word"])


# ---------------------------------------------------------------------------------------------- API and invariants
def test_amount_is_frozen_and_reading_is_json_ready():
    a = find_amounts("3-5个，**亿元，12%")
    assert isinstance(a[0], Amount)
    with pytest.raises(AttributeError):
        a[0].value = 1  # type: ignore[misc]
    assert a[0].reading() == {"value": [3.0, 5.0], "unit": "个", "comparator": "=", "dimension": "count"}
    assert a[1].reading() == {"value": None, "unit": "CNY", "comparator": "=", "dimension": "money"}
    assert json.loads(json.dumps([x.reading() for x in a]))[2]["value"] == 12.0


def test_offsets_are_code_points_into_the_text():
    text = "𠀀增长１２％，达118亿元"  # a character outside the BMP before the amounts
    for a in find_amounts(text):
        assert text[a.start:a.end] == a.text


def test_spans_sorted_and_disjoint_on_a_long_text():
    text = "".join(t for t, _ in REAL + FORMS) * 2
    amounts = find_amounts(text)
    assert len(amounts) > 100
    for x, y in zip(amounts, amounts[1:]):
        assert x.end <= y.start
    for a in amounts:
        assert text[a.start:a.end] == a.text


def test_empty_and_type_errors():
    assert find_amounts("") == []
    with pytest.raises(TypeError):
        find_amounts(None)  # type: ignore[arg-type]
