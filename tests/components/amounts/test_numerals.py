"""Numeral parsing: every numeral form seen in reports, with its exact value."""

from decimal import Decimal

import pytest

from policytag.components.amounts import numerals as N

D = Decimal


@pytest.mark.parametrize("text,value", [
    # Arabic: separators, decimals, full-width
    ("118", 118), ("20.5", D("20.5")), ("1,234", 1234), ("1,234,567.89", D("1234567.89")),
    ("82，225.00", 82225), ("２，１１２", 2112), ("１７．２", D("17.2")), ("３６８", 368),
    # Chinese
    ("一百零八亿", 10800000000), ("二○○一", 2001), ("二〇〇一", 2001), ("两", 2), ("十", 10), ("十八", 18),
    ("三十六点九", D("36.9")), ("一点二六", D("1.26")), ("三亿七千零六十二万", 370620000),
    ("一亿五千万零六千三百五十五", 150006355), ("壹佰壹拾壹", 111), ("壹万二千三百四十五", 12345), ("廿二", 22),
    ("兩千六", 2600), ("一百零八億", 10800000000), ("十二點四", D("12.4")), ("一千零十", 1010),
    # mixed
    ("3.5万", 35000), ("1.39万亿", 1390000000000), ("96838万", 968380000), ("3千万亿", 3000000000000000),
    ("118亿", 11800000000), ("100万三千", 1003000), ("1万600", 10600), ("两个亿", 200000000),
    ("177.1 亿", 17710000000), ("一点二亿", 120000000), ("15k", 15000), ("30w", 300000),
    # signs
    ("-3.8", D("-3.8")), ("-10.1万", -101000), ("负零点一零", D("-0.1")), ("负十一", -11),
])
def test_parse_number(text, value):
    assert N.parse_number(text) == D(value)


def test_parse_number_is_exact():
    # 1.39 * 1e12 in floats is 1390000000000.0002; the Decimal path keeps it exact
    assert float(N.parse_number("1.39万亿")) == 1390000000000.0
    assert float(N.parse_number("0.1万")) == 1000.0


@pytest.mark.parametrize("text", ["", "元整", "圆", "负", "零点", "点零", "零点点", "零点零大", "10.1万零100",
                                  "10..1万", "亿万", "千万", "万", "几", "多", "abc", "123.1.1", "0.1零"])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        N.parse_number(text)


def test_parse_number_rejects_non_strings():
    with pytest.raises(ValueError):
        N.parse_number(12)  # type: ignore[arg-type]


@pytest.mark.parametrize("text,low,high", [
    ("500多", 500, 600), ("30余", 30, 40), ("1000多", 1000, 2000), ("5700多万", 57000000, 58000000),
    ("1万多", 10000, 20000), ("2万多亿", 2000000000000, 3000000000000), ("1.5万多", 15000, 16000),
    ("十多", 10, 20), ("十几", 10, 20), ("二十几", 20, 30), ("一千多万", 10000000, 20000000),
    ("三千七百多万", 37000000, 38000000), ("十亿多", 1000000000, 2000000000), ("10余万", 100000, 200000),
    ("几十", 10, 100), ("几十万", 100000, 1000000), ("数十亿", 1000000000, 10000000000), ("数百", 100, 1000),
    ("八九亿", 800000000, 900000000), ("三五百", 300, 500), ("四五千", 4000, 5000), ("二三十", 20, 30),
    ("十七八", 17, 18), ("七八十", 70, 80), ("一两", 1, 2), ("两三", 2, 3), ("一百五六十", 150, 160),
    ("两个多亿", 200000000, 300000000),
])
def test_parse_approx(text, low, high):
    assert N.parse_approx(text) == (D(low), D(high))


def test_parse_approx_exact_numbers_pass_through():
    assert N.parse_approx("118亿") == D(11800000000)
    assert N.parse_approx("一百二十三") == D(123)
    assert N.parse_approx("一点四五") == D("1.45")  # not a pair 四五 ("four or five")
    assert N.parse_approx("三点四五亿") == D(345000000)


@pytest.mark.parametrize("text", ["几", "几个", "多", "余", "数"])
def test_parse_approx_rejects_vague(text):
    with pytest.raises(ValueError):
        N.parse_approx(text)


@pytest.mark.parametrize("den,num,value", [
    ("十", "一", D("0.1")), ("三", "一", D(1) / 3), ("三", "二", D(2) / 3), ("四", "一", D("0.25")),
    ("二十", "一", D("0.05")), ("100", "5", D("0.05")), ("十", "三点五", D("0.35")),
])
def test_parse_fraction(den, num, value):
    assert N.parse_fraction(den, num) == value


def test_parse_fraction_zero_denominator():
    with pytest.raises(ValueError):
        N.parse_fraction("零", "一")


@pytest.mark.parametrize("n,value", [("一", 2), ("两", 4), ("三", 8), ("2", 4)])
def test_fan_multiple(n, value):
    assert N.fan_multiple(n) == D(value)


@pytest.mark.parametrize("n", ["零", "点五", "1.5", "二十"])
def test_fan_multiple_rejects(n):
    with pytest.raises(ValueError):
        N.fan_multiple(n)


@pytest.mark.parametrize("lhs,rhs,low,high", [
    ("3", "5", 3, 5), ("5", "10", 5, 10), ("两", "三万", 20000, 30000), ("十八", "三十万", 180000, 300000),
    ("1万", "5万", 10000, 50000), ("8500", "3万", 8500, 30000), ("八", "九百亿", 80000000000, 90000000000),
    ("八百", "九百亿", 80000000000, 90000000000), ("两", "3百", 200, 300), ("一百二十", "一百五十万", 1200000, 1500000),
    ("一千", "两千万", 10000000, 20000000), ("七千", "九千亿", 700000000000, 900000000000), ("10", "15k", 10000, 15000),
    ("6.5", "7", D("6.5"), 7), ("0.5", "1万", 5000, 10000), ("3", "5多", 3, 6),
])
def test_infer_range(lhs, rhs, low, high):
    assert N.infer_range(lhs, rhs) == (D(low), D(high))


def test_infer_range_rejects_descending():
    with pytest.raises(ValueError):
        N.infer_range("5", "3")


@pytest.mark.parametrize("text,seq", [
    ("二〇〇一", True), ("一九八五", True), ("一二三", True), ("零零三", True),
    ("一百零八", False), ("一千〇一", False), ("八九亿", False), ("三五百", False), ("十七八", False), ("一两", False),
    ("三十六", False), ("二十", False), ("一点零一", False), ("三点一四一五", False), ("一九点五", True),
])
def test_is_digit_sequence(text, seq):
    assert N.is_digit_sequence(text) is seq


def test_magnitude():
    assert N.magnitude("千万") == D(10000000)
    assert N.magnitude("亿") == D(100000000)
    assert N.magnitude("万亿") == D(10 ** 12)
    with pytest.raises(ValueError):
        N.magnitude("三千")


def test_trailing_multipliers():
    assert N.trailing_multipliers("三十万") == "十万"
    assert N.trailing_multipliers("3万") == "万"
    assert N.trailing_multipliers("九百亿") == "百亿"
    assert N.trailing_multipliers("15k") == "k"
    assert N.trailing_multipliers("35") == ""


def test_normalize_keeps_length():
    s = "增长１２．５％，２，１１２個，一百零八億，二○○一，萬"
    out = N.normalize(s)
    assert len(out) == len(s)
    assert "12.5%" in out and "二〇〇一" in out and "亿" in out and "万" in out
