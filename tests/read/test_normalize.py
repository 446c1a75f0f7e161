import pytest

from policytag.read import Normalizer, detect_script, read
from policytag.read.normalize import Mapped


def norm(text: str, **kw) -> str:
    return Normalizer(**kw).line(Mapped.of(text)).text


def test_inline_pinyin_is_removed_and_traditional_converted():
    text = "根據(jù)市委工作思路,現(xiàn)將我區(qū)情況匯報(bào)如下:"
    report = read(text + "\n" + text)
    assert report.pinyin_annotated and report.script == "traditional"
    assert report.paragraphs[0].text == "根据市委工作思路,现将我区情况汇报如下:"


def test_parentheses_that_are_not_pinyin_stay():
    assert norm("链长制(链主企业制)和5G(第五代)") == "链长制(链主企业制)和5G(第五代)"
    assert norm("条款(a)与附件(GDP)") == "条款(a)与附件(GDP)"


def test_fullwidth_digits_letters_and_percent_one_for_one():
    m = Normalizer().line(Mapped.of("１９８４年增长１２．５％，ＧＤＰ"))
    assert m.text == "1984年增长12.5%,GDP".replace(",", "，")
    assert m.offsets == list(range(len(m.text)))


def test_ideographic_spaces_zero_width_and_stray_spaces():
    assert norm("\u3000\u3000现在，我代表\u200b国务院 向大会 作报告。") == "现在，我代表国务院向大会作报告。"
    assert norm("本届政府从1 9 9 3 年3 月就职，平均每年增长1 1 %。") == "本届政府从1993年3月就职，平均每年增长11%。"
    assert norm("推进 5G 和 Internet of Things") == "推进5G和Internet of Things"


def test_redactions_are_kept():
    assert norm("x滩330千伏升压站，增长**%，xx区") == "x滩330千伏升压站，增长**%，xx区"


def test_script_detection():
    assert detect_script("现在，我代表国务院向大会作政府工作报告。") == "simplified"
    assert detect_script("現在，我代表國務院向大會作政府工作報告。") == "traditional"
    # a simplified text with a few traditional characters (the 1957 report): only those are converted
    mixed = "从第一届全国人民代表大会第三次会议闭幕以来，已经整整一年了。" * 4 + "這是偉大的转变的一年。"
    assert detect_script(mixed) == "mixed"
    assert norm(mixed, script="mixed").endswith("这是伟大的转变的一年。")


def test_simplified_text_is_not_touched_by_opencc():
    # 拚 and 乾 are simplified characters too: OpenCC t2s would change them
    text = "那么一种拚命精神，乾隆年间"
    assert read(text).paragraphs[0].text == text
