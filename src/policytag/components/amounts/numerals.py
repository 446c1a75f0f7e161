"""Numerals as written in Chinese reports -> exact numbers.

Forms: Arabic with thousands separators and decimals (1,234.5, 82，225.00), full-width digits, Chinese
(一百零八亿, 二〇〇一, 两, 三十六点九, capital 壹佰), mixed (3.5万, 1.39万亿, 3千万亿, 100万三千, 两个亿),
approximations (500多, 30余, 十几, 几十万, 数十亿, 八九, 三五百), fractions (十分之一), 成, 翻N番 and ranges
(3-5, 两到三万, 十八至三十万).

Values are `decimal.Decimal` (exact: 1.39万亿 is 1390000000000, not 1390000000000.0002); callers convert to float at
the end. Chinese numerals go through cn2an (smart mode), cached: cn2an costs ~30 µs a call, so only the matched
numeral strings are ever passed to it. Arabic and Arabic+万/亿 numerals never reach cn2an.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

import cn2an

Number = Decimal
Value = Decimal | tuple[Decimal, Decimal]

# Digit characters (value), multiplier characters (value).
CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9, "幺": 1,
}
MULTIPLIERS = {
    "十": Decimal(10), "拾": Decimal(10), "百": Decimal(100), "佰": Decimal(100), "千": Decimal(1000),
    "仟": Decimal(1000), "万": Decimal(10000), "亿": Decimal(100000000),
    "k": Decimal(1000), "K": Decimal(1000), "w": Decimal(10000), "W": Decimal(10000),
}
CN_DIGIT_CHARS = "".join(CN_DIGITS)
CN_NUMERAL_CHARS = CN_DIGIT_CHARS + "十拾百佰千仟万亿廿"
APPROX_CHARS = "多余几"

# One character for one: matching works on this form and offsets stay those of the input.
_WIDTH = {**{0xFF10 + i: 0x30 + i for i in range(10)}, 0xFF05: "%", 0xFF0E: ".", 0xFF0D: "-", 0x2212: "-",
          0x25CB: "〇", 0x25EF: "〇", 0x842C: "万", 0x5104: "亿", 0x5169: "两", 0x9EDE: "点", 0x9918: "余",
          0x5E7E: "几", 0x6578: "数", 0x8CB3: "贰", 0x9678: "陆", 0x5713: "圆"}
NUMERAL_TABLE = str.maketrans(_WIDTH)

_ARABIC = re.compile(r"[0-9]{1,3}(?:[,，][0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?")
_FAST = re.compile(r"(?P<sign>[-负])?(?P<m>[0-9]{1,3}(?:[,，][0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
                   r" ?(?P<mult>[十拾百佰千仟万亿kKwW]*)")
_CN_DECIMAL_MULT = re.compile(rf"(?P<head>.*点[{CN_DIGIT_CHARS}]+)(?P<mult>[万亿]+)")
_HAS_NUMERAL = re.compile(rf"[0-9{CN_NUMERAL_CHARS}]")
_DIGIT_RUN = re.compile(rf"[{CN_DIGIT_CHARS}]{{2,}}")
_PAIRS = {("一", "两"), ("两", "三"), ("三", "五")} | {
    (a, b) for a, b in zip("一二三四五六七八", "二三四五六七八九")}


def normalize(text: str) -> str:
    """Full-width digits/％/．/－ and traditional numeral characters -> their matching forms, one for one."""
    return text.translate(NUMERAL_TABLE)


def _mult(chars: str) -> Decimal:
    out = Decimal(1)
    for ch in chars:
        out *= MULTIPLIERS[ch]
    return out


def _dec(x) -> Decimal:
    if isinstance(x, Decimal):
        return x
    if isinstance(x, int):
        return Decimal(x)
    return Decimal(repr(float(x)))


@lru_cache(maxsize=8192)
def _cn2an(s: str) -> Decimal:
    try:
        out = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, IndexError, TypeError) as e:  # cn2an raises ValueError; be safe
        raise ValueError(f"not a numeral: {s!r}") from e
    return _dec(out)


@lru_cache(maxsize=16384)
def parse_number(s: str) -> Decimal:
    """An exact numeral -> Decimal. Raises ValueError for anything that is not one numeral.

    parse_number("118亿") == 11800000000; parse_number("一百零八亿") == 10800000000; parse_number("3.5万") == 35000;
    parse_number("二〇〇一") == 2001; parse_number("82，225.00") == 82225; parse_number("两个亿") == 200000000.
    """
    if not isinstance(s, str):
        raise ValueError(f"not a numeral: {s!r}")
    s = normalize(s).strip().replace("个亿", "亿")
    if not s or not _HAS_NUMERAL.search(s):
        raise ValueError(f"not a numeral: {s!r}")
    m = _FAST.fullmatch(s)
    if m:
        value = Decimal(m["m"].replace(",", "").replace("，", "")) * _mult(m["mult"])
        return -value if m["sign"] else value
    if s.startswith("点") or s.endswith("点") or "点点" in s or s.count("点") > 1:
        raise ValueError(f"not a numeral: {s!r}")
    sign = 1
    if s[0] in "-负":
        sign, s = -1, s[1:]
        if not s:
            raise ValueError("a sign alone is not a numeral")
    if s == "百":
        return Decimal(100) * sign
    m = _CN_DECIMAL_MULT.fullmatch(s)
    if m:  # 一点二亿: cn2an would give a float; keep it exact
        return sign * _cn2an(m["head"]) * _mult(m["mult"])
    return sign * _cn2an(s)


def is_digit_sequence(s: str) -> bool:
    """Chinese digits read one by one (二〇〇一, 一二三): years and codes, not quantities. A pair of neighbouring
    digits (八九, 三五) is an approximation, not a sequence."""
    s = normalize(s).split("点")[0]  # decimals after 点 are always read digit by digit (三点一四)
    positional = any(ch in "十拾百佰千仟万亿" for ch in s)
    for run in _DIGIT_RUN.findall(s):
        if positional:  # 一百零八, 一千〇一: a zero before a digit is normal in a positional numeral
            run = run.lstrip("零〇")
        if len(run) < 2:
            continue
        if len(run) > 2 or (run[0], run[1]) not in _PAIRS:
            return True
    return False


def _step(base: Decimal) -> Decimal:
    """One unit of the last written digit: 500 -> 100, 30 -> 10, 5700 -> 100, 1.5 -> 0.1, 12 -> 1."""
    if base == 0:
        raise ValueError("an approximation of zero")
    exp = base.normalize().as_tuple().exponent
    return Decimal(1).scaleb(exp)


def parse_approx(s: str) -> Value:
    """A numeral that may carry 多/余/几/数 or a neighbouring-digit pair -> Decimal or (low, high).

    500多 -> (500, 600); 30余 -> (30, 40); 5700多万 -> (57000000, 58000000); 1万多 -> (10000, 20000);
    十几 -> (10, 20); 几十万 -> (100000, 1000000); 数十亿 -> (1e9, 1e10); 八九亿 -> (8e8, 9e8); 三五百 -> (300, 500).
    The upper bound of 多/余/几 adds one unit of the last written digit (DECISIONS.md).
    """
    s = normalize(s).strip().replace("个", "")
    if not s:
        raise ValueError("empty numeral")
    if s[0] in "几数":
        rest = s[1:]
        if rest and all(ch in MULTIPLIERS for ch in rest):
            low = _mult(rest)
            return (low, low * 10)
        raise ValueError(f"vague numeral: {s!r}")
    for i, ch in enumerate(s):
        if ch in APPROX_CHARS:
            before, after = s[:i], s[i + 1:]
            if not before or not all(c in MULTIPLIERS for c in after):
                raise ValueError(f"not a numeral: {s!r}")
            base = parse_number(before)
            step = _step(base)
            m = _mult(after)
            return (base * m, (base + step) * m)
    runs = _DIGIT_RUN.findall(s.split("点")[0])  # 一点四五 is 1.45, not "four or five"
    if len(runs) == 1 and len(runs[0]) == 2 and (runs[0][0], runs[0][1]) in _PAIRS:
        a, b = runs[0]
        i = s.index(runs[0])
        low = parse_number(s[:i] + a + s[i + 2:])
        high = parse_number(s[:i] + b + s[i + 2:])
        if low < high:
            return (low, high)
    return parse_number(s)


def parse_fraction(denominator: str, numerator: str) -> Decimal:
    """X分之Y -> Y/X: 十分之一 -> 0.1, 三分之二 -> 0.666…"""
    den = parse_number(denominator)
    num = parse_number(numerator)
    if den == 0:
        raise ValueError("zero denominator")
    return num / den


def fan_multiple(n: str) -> Decimal:
    """翻N番: the result is 2**N times the base (翻一番 -> 2, 翻两番 -> 4)."""
    k = parse_number(n)
    if k != k.to_integral_value() or not 0 < k <= 10:
        raise ValueError(f"not a count of doublings: {n!r}")
    return Decimal(2) ** int(k)


MAGNITUDES = frozenset({"万", "十万", "百万", "千万", "亿", "十亿", "百亿", "千亿", "万亿"})


def magnitude(s: str) -> Decimal:
    """A magnitude written without a digit (千万, 亿, 万亿) -> its value. Raises ValueError for anything else.
    Read as an amount only where a comparator makes it a threshold (税收过千万元, 亿元以上项目)."""
    s = normalize(s).strip()
    if s not in MAGNITUDES:
        raise ValueError(f"not a magnitude: {s!r}")
    return _mult(s)


def trailing_multipliers(s: str) -> str:
    """The multiplier characters written after the last digit: 三十万 -> 十万, 3万 -> 万, 九百亿 -> 百亿, 15k -> k."""
    s = normalize(s).strip()
    i = len(s)
    while i > 0 and s[i - 1] in MULTIPLIERS:
        i -= 1
    return s[i:] if i > 0 else s[1:] if s and s[0] in "十拾" else ""


def _has_own_multiplier(s: str) -> bool:
    """万/亿 (or k/w) written in the lhs itself: 1万-5万 keeps its own; 两到三万, 一千到两千万 borrow the rhs's."""
    return any(ch in "万亿kKwW" for ch in s)


def infer_range(lhs: str, rhs: str) -> tuple[Decimal, Decimal]:
    """Bounds of a range written `lhs SEP rhs` where the rhs may carry a multiplier that also applies to the lhs.

    3-5 -> (3, 5); 两到三万 -> (20000, 30000); 十八至三十万 -> (180000, 300000); 1万-5万 -> (10000, 50000);
    8500到3万 -> (8500, 30000) (8500万 would exceed 3万); 八到九百亿 -> (8e10, 9e10); 两~3百 -> (200, 300).
    Raises ValueError when low > high: that is not a range (由5%降到3%).
    """
    r = parse_approx(rhs)
    r_low, r_high = (r if isinstance(r, tuple) else (r, r))
    l_ = parse_approx(lhs)
    l_low, l_high = (l_ if isinstance(l_, tuple) else (l_, l_))
    lhs_n = normalize(lhs)
    if not _has_own_multiplier(lhs_n):
        suffix = trailing_multipliers(rhs)
        for k in range(len(suffix)):
            m = _mult(suffix[k:])
            if l_low * m <= r_high:
                l_low, l_high = l_low * m, l_high * m
                break
    if l_low > r_high:
        raise ValueError(f"not a range: {lhs!r} > {rhs!r}")
    return (l_low, r_high)
