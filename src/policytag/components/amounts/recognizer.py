"""AMOUNT spans and their readings in report text (ANNOTATION.md §3 AMOUNT, §4; corpus/DECISIONS.md ## AMOUNT).

`find_amounts(text)` is pure Python (no spaCy). It works on a same-length matching form of the text (full-width
digits and ％, traditional numeral and unit characters mapped one for one), so offsets are code-point offsets
into `text` itself.

Design, for speed (it runs on every paragraph):
1. one compiled scanner regex finds numerals (Arabic, Chinese, mixed, redacted) with an optional unit, plus the
   special forms 百分之X, X分之Y, 一半, 翻N番 and 1/3. The unit alternation is built from resources/units.json;
2. a linear pass over the few matches joins ranges (3-5个, 100万元至300万元), multiplications (2x66万千瓦), lists
   that share a unit (**和8.4个百分点), reads bare 万/亿 numbers whose counted noun is clear (贫困人口减少1240万), and
   drops what is not an AMOUNT (ordinals, ranks, codes, fixed names, bare numbers, dates, durations);
3. the comparator comes from resources/comparators.json words before/after each span.
cn2an is only called (cached) on matched Chinese numeral strings.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from . import numerals as N

RESOURCES = Path(__file__).with_name("resources")

__all__ = ["Amount", "find_amounts", "measure_throughput", "tables"]


@dataclass(frozen=True)
class Amount:
    """One AMOUNT span: offsets into the text (end-exclusive), its text, and its normalized reading."""

    start: int
    end: int
    text: str
    value: float | tuple[float, float] | None
    unit: str
    comparator: str
    dimension: str

    def reading(self) -> dict:
        """JSON-ready reading: {"value": float | [low, high] | None, "unit", "comparator", "dimension"}."""
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"value": value, "unit": self.unit, "comparator": self.comparator, "dimension": self.dimension}


# ---------------------------------------------------------------------------------------------- tables
@dataclass(frozen=True)
class _Unit:
    unit: str
    mult: Decimal
    dim: str
    yuan: bool = False
    arabic_only: bool = False
    max_value: Decimal | None = None
    lone_one: bool = False
    redactable: bool = False


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _unit_pattern(surface: str, not_before: list[str], boundary: bool = False) -> str:
    pat = re.escape(surface)
    if surface[-1].isascii() and surface[-1].isalpha():
        pat += "(?![A-Za-z])"
    if not_before:
        pat += f"(?!{_alt(not_before)})"
    if boundary:  # 块: money only at a clause end, before 钱, or before a 角/毛 tail
        pat += rf"(?=钱|零?[{N.CN_DIGIT_CHARS}0-9][毛角]|[^\u3400-\u9fff]|$)"
    return pat


class _Tables:
    """Everything built from resources/*.json: unit lookups and the compiled regexes."""

    def __init__(self) -> None:
        units = json.loads((RESOURCES / "units.json").read_text(encoding="utf-8"))
        comps = json.loads((RESOURCES / "comparators.json").read_text(encoding="utf-8"))
        lex = json.loads((RESOURCES / "lexicons.json").read_text(encoding="utf-8"))
        self.char_table = str.maketrans(units["char_map"])

        self.units: dict[str, _Unit] = {}
        self.yuan_surfaces: list[str] = []
        unit_pats: list[tuple[int, str]] = []
        yuan_pats: list[tuple[int, str]] = []
        for entry in units["units"]:
            dim = entry["dim"]
            for surface in entry["surface"]:
                u = _Unit(
                    unit=entry["unit"] or surface, mult=Decimal(entry["mult"]), dim=dim,
                    yuan=bool(entry.get("yuan")), arabic_only=bool(entry.get("arabic_only")),
                    max_value=Decimal(str(entry["max_value"])) if "max_value" in entry else None,
                    lone_one=bool(entry.get("lone_one", dim == "count")),
                    redactable=bool(entry.get("redactable")),
                )
                self.units[surface] = u
                pat = _unit_pattern(surface, entry.get("not_before", []), bool(entry.get("boundary")))
                (yuan_pats if u.yuan else unit_pats).append((len(surface), pat))
                if u.yuan:
                    self.yuan_surfaces.append(surface)
        self.dens: dict[str, _Unit] = {}
        for entry in units["denominators"]:
            for surface in entry["surface"]:
                self.dens[surface] = _Unit(unit=entry["unit"], mult=Decimal(entry["mult"]), dim=entry["dim"])
        self.cur_prefix: dict[str, str] = units["currency_prefixes"]
        self.cur_suffix: dict[str, str] = units["currency_suffixes"]
        self.time_units: list[str] = units["time_units"]

        by_len = lambda pats: "|".join(p for _, p in sorted(pats, key=lambda x: -x[0]))  # noqa: E731
        unit_alt, yuan_alt = by_len(unit_pats), by_len(yuan_pats)
        den_alt = _alt(self.dens)
        cur2_alt = _alt(self.cur_suffix)

        cd = N.CN_DIGIT_CHARS + "廿"
        mult = r"(?:[十拾万亿佰仟]|百(?!分)|千(?![瓦伏米克卡分]))"
        run = rf"(?:[{cd}]|{mult})+"
        ar = r"(?:[0-9]{1,3}(?:[,，][0-9]{3}(?![0-9]))+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
        shu = r"(?<![总人户指倍次系件个基半多少无参分函位读点票计岁年天])"
        self.cn_num = rf"(?:负)?(?:{shu}[几数](?={mult}))?{run}(?:点[{cd}]+)?(?:个(?=多?亿)多?亿|[多余几]{mult}*)?"
        self.ar_num = (rf"(?:-(?=[0-9]))?{ar}(?: ?(?=[十拾百佰千仟万亿个多余几]))?(?:个(?=多?亿))?"
                       rf"(?:[多余几]{mult}*|{mult}+(?:[多余几]{mult}*)?)?(?:[kKwW](?=[元块]))?")
        red = rf"(?<![A-Za-z0-9*])(?:\*{{1,6}}|[xX]{{1,3}}(?![A-Za-z0-9]))(?:[多余])?{mult}*"
        tail = (rf"(?:整|(?=零?[{cd}0-9]{{1,2}}[角毛分])(?:零?(?:[{cd}]|[0-9])[角毛])?"
                rf"(?:零?(?:[{cd}]|[0-9]{{1,2}})分(?![钟之别]))?钱?)")
        unit_part = (rf" ?(?:(?P<yuan>{yuan_alt})(?P<tail>{tail})?(?P<cur2>{cur2_alt})?|(?P<unit>{unit_alt}))"
                     rf"(?:/(?P<dmult>[万亿千百])?(?P<den>{den_alt}))?")
        pnum = rf"负?(?:{self.cn_num}|{ar}|百)"
        self.scanner = re.compile(
            rf"(?P<pct>百分之|千分之|万分之)(?P<pnum>{pnum})"
            rf"|(?P<fden>{run}|[0-9]+)分之(?P<fnum>{run}(?:点[{cd}]+)?|{ar})"
            rf"|(?P<half>一半)"
            rf"|翻了?(?:近|约)?(?P<fan>[一二两三四五六七八九十]|[0-9]{{1,2}})番"
            rf"|(?<![0-9./A-Za-z])(?P<afn>[0-9]{{1,3}})/(?P<afd>[0-9]{{1,3}})(?![0-9./%])"
            rf"|(?P<num>{self.ar_num}|{self.cn_num}|{red})(?:{unit_part})?"
        )
        self.tail_re = re.compile(rf"(?:零?(?P<j>[{cd}]|[0-9])[角毛])?(?:零?(?P<f>[{cd}]|[0-9]{{1,2}})分)?")
        self.cur_prefix_re = re.compile(rf"(?:{_alt(self.cur_prefix)}) ?$")

        # comparators
        def before_pat(e: dict) -> str:
            nb = e.get("not_preceded_by")
            return (f"(?<!{'|'.join(map(re.escape, nb))})" if nb else "") + re.escape(e["word"])

        before = sorted(comps["before"], key=lambda e: -len(e["word"]))
        self.before_comp = {e["word"]: e["comparator"] for e in before}
        fillers = _alt(comps["fillers"])
        self.before_re = re.compile(rf"(?P<w>{'|'.join(before_pat(e) for e in before)})(?:{fillers})?$")
        after = sorted(comps["after"], key=lambda e: -len(e["word"]))
        self.after_comp = {e["word"]: (e["comparator"], set(e.get("units", []))) for e in after}

        def after_pat(e: dict) -> str:
            nf = e.get("not_followed_by")
            return re.escape(e["word"]) + (f"(?!{_alt(nf)})" if nf else "")

        skip = _alt(comps["skip_after"])
        self.after_re = re.compile(rf"(?: ?(?:{skip}))?(?P<w>{'|'.join(after_pat(e) for e in after)})")
        self.connectors = set(comps["list_connectors"])

        # lexicons
        self.fixed_re = re.compile(_alt(lex["fixed_names"]))
        self.context_exclusions = [
            (set(e.get("units", [])), set(e.get("dims", [])), set(e.get("numerals", [])),
             re.compile(e["before"]) if e.get("before") else None, re.compile(e["after"]) if e.get("after") else None)
            for e in lex["context_exclusions"]]
        self.ordinal = set(lex["ordinal_prefixes"])
        self.rank_prefix_re = re.compile(rf"(?:{_alt(lex['rank_prefixes'])})$")
        self.rank_units = set(lex["rank_units"])
        self.code_letters = set(lex["code_letters"])
        self.counted_after = lex["counted_after"]
        self.counted_after_re = re.compile(_alt(self.counted_after))
        self.counted_before = lex["counted_before"]
        self.counted_before_re = re.compile(_alt(self.counted_before))
        self.counted_window = int(lex["counted_window"])
        self.share_before_re = re.compile(rf"(?:{_alt(lex['redaction_share_after'])})$")
        self.negative_prefix_re = re.compile(rf"(?:{_alt(lex['negative_prefixes']['words'])})$")
        self.negative_dims = set(lex["negative_prefixes"]["dims"])
        self.clause_stop_re = re.compile(f"[{re.escape(lex['clause_stops'])}]")

        self.sep_re = re.compile(r" ?(?:\(含\)|（含）)? ?(?:-{1,2}|—{1,2}|–|~|至|到) ?")
        self.bare_next = set("-—–~至到(（和、与及或xX*")


@lru_cache(maxsize=1)
def tables() -> _Tables:
    return _Tables()


# ---------------------------------------------------------------------------------------------- atoms
class _Atom:
    """A numeral (with or without unit) found by the scanner, before joining and filtering."""

    __slots__ = ("start", "end", "kind", "num", "neg", "raw", "unit", "umult", "dim", "comp", "comp_after",
                 "entry")

    def __init__(self, start: int, end: int, kind: str, num: str, raw, unit: str | None = None,
                 umult: Decimal = Decimal(1), dim: str = "", entry: _Unit | None = None, neg: bool = False):
        self.start, self.end, self.kind, self.num, self.raw = start, end, kind, num, raw
        self.unit, self.umult, self.dim, self.entry, self.neg = unit, umult, dim, entry, neg
        self.comp: str | None = None
        self.comp_after = False

    def value(self):
        if self.raw is None:
            return None
        if isinstance(self.raw, tuple):
            return (self.raw[0] * self.umult, self.raw[1] * self.umult)
        return self.raw * self.umult

    def bounds(self):
        v = self.raw
        if v is None:
            return None
        return v if isinstance(v, tuple) else (v, v)


def _valid_cn(num: str) -> bool:
    core = num.lstrip("负")
    if not core:
        return False
    if not any(ch in N.CN_DIGITS or ch == "廿" for ch in core) and core[0] not in "十拾几数":
        return False  # 亿万, 千万, 百万: no digit
    if all(ch in "零〇" for ch in core):
        return False
    return not N.is_digit_sequence(core)


def _kind(num: str) -> str:
    c = num[0]
    if c.isdigit() or c == "-":
        return "ar"
    if c in "*xX":
        return "red"
    return "cn"


def _tail_value(tb: _Tables, tail: str) -> Decimal:
    m = tb.tail_re.fullmatch(tail.rstrip("钱").replace("整", ""))
    if not m:
        return Decimal(0)
    out = Decimal(0)
    if m["j"]:
        out += N.parse_number(m["j"]) / 10
    if m["f"]:
        out += N.parse_number(m["f"]) / 100
    return out


def _scan(T: str, tb: _Tables) -> list[_Atom]:
    atoms: list[_Atom] = []
    units = tb.units
    for m in tb.scanner.finditer(T):
        num = m["num"]
        if num is None:
            atom = _special(T, m, tb)
            if atom is not None:
                atoms.append(atom)
            continue
        ns, ne = m.span("num")
        kind = _kind(num)
        neg = num[0] == "-"
        surface = m["yuan"] or m["unit"]
        magnitude = None
        if kind == "cn" and not _valid_cn(num):
            # 税收过千万元, 亿元以上项目: a digit-less magnitude is an amount only as a threshold
            if surface is None or num not in N.MAGNITUDES or not (
                    tb.after_re.match(T, m.end()) or tb.before_re.search(T, max(0, ns - 8), ns)):
                continue
            magnitude = N.magnitude(num)
        if surface is None:  # bare numeral: kept only where a later step can use it
            nxt = T[ne:ne + 1]
            if nxt in tb.bare_next or ("万" in num or "亿" in num):
                raw = _raw(num, kind)
                if raw is not False:
                    atoms.append(_Atom(ns, ne, kind, num, raw, neg=neg))
            continue
        entry = units[surface]
        prev = T[ns - 1] if ns > 0 else ""
        if prev in tb.ordinal or prev in tb.code_letters:
            continue
        if entry.unit in tb.rank_units and tb.rank_prefix_re.search(T, max(0, ns - 2), ns):
            continue
        if entry.lone_one and num in ("一", "壹"):
            continue
        if kind == "red" and num[0] in "xX" and not entry.redactable:
            continue
        if entry.arabic_only and kind != "ar" and not ("万" in num or "亿" in num):
            continue
        raw = magnitude if magnitude is not None else _raw(num, kind)
        if raw is False:
            continue
        if entry.max_value is not None and raw is not None:
            hi = raw[1] if isinstance(raw, tuple) else raw
            if hi > entry.max_value or kind == "red":
                continue
        end = m.end()
        unit, dim, umult = entry.unit, entry.dim, entry.mult
        if entry.yuan:
            if m["tail"] and raw is not None and not isinstance(raw, tuple):
                raw = raw + _tail_value(tb, m["tail"])
            if m["cur2"]:
                unit = tb.cur_suffix[m["cur2"]]
            else:
                pm = tb.cur_prefix_re.search(T, max(0, ns - 5), ns)
                if pm:
                    unit = tb.cur_prefix[pm.group().strip()]
        if m["den"]:
            den = tb.dens[m["den"]]
            dmult = N.MULTIPLIERS[m["dmult"]] if m["dmult"] else Decimal(1)
            unit, dim, umult = f"{unit}/{den.unit}", f"{dim}/{den.dim}", umult / (den.mult * dmult)
        if dim in tb.negative_dims and raw is not None and not isinstance(raw, tuple):
            pm = tb.negative_prefix_re.search(T, max(0, ns - 4), ns)
            if pm:  # 零下四摄氏度 -> -4 ℃; the sign word is part of the numeral
                ns, raw = pm.start(), -raw
        atoms.append(_Atom(ns, end, kind, num, raw, unit, umult, dim, entry, neg))
    return atoms


def _raw(num: str, kind: str):
    """The numeral's value (Decimal or (low, high)), None when redacted, False when it is not a numeral."""
    if kind == "red":
        return None
    try:
        return N.parse_approx(num)
    except ValueError:
        return False


def _special(T: str, m: re.Match, tb: _Tables) -> _Atom | None:
    try:
        if m["pct"]:
            p = m["pnum"]
            raw = N.parse_approx(p)
            if m["pct"] == "百分之":
                return _Atom(m.start(), m.end(), "pct", p, raw, "%", Decimal(1), "ratio")
            if m["pct"] == "千分之":
                return _Atom(m.start(), m.end(), "pct", p, raw, "‰", Decimal(1), "ratio")
            return _Atom(m.start(), m.end(), "pct", p, raw, "ratio", Decimal("0.0001"), "ratio")
        if m["fden"]:
            if m.start() > 0 and T[m.start() - 1] == "第":
                return None
            if not (m["fden"][0].isdigit() or _valid_cn(m["fden"])) or "几" in m["fnum"]:
                return None
            return _Atom(m.start(), m.end(), "frac", m["fden"], N.parse_fraction(m["fden"], m["fnum"]),
                         "ratio", Decimal(1), "ratio")
        if m["half"]:
            return _Atom(m.start(), m.end(), "half", "一半", Decimal("0.5"), "ratio", Decimal(1), "ratio")
        if m["fan"]:
            s = m.start("fan")
            return _Atom(s, m.end(), "fan", m["fan"], N.fan_multiple(m["fan"]), "times", Decimal(1), "multiple")
        if m["afn"]:
            a, b = Decimal(m["afn"]), Decimal(m["afd"])
            if b == 0 or a >= b or b > 1000:
                return None
            return _Atom(m.start(), m.end(), "frac", m["afn"], a / b, "ratio", Decimal(1), "ratio")
    except ValueError:
        return None
    return None


# ---------------------------------------------------------------------------------------------- joining
def _same_unit(a: _Atom, b: _Atom) -> bool:
    return a.unit == b.unit and a.umult == b.umult


def _join(T: str, atoms: list[_Atom], tb: _Tables) -> list[_Atom]:
    """Signs that are separators, multiplications (2x66万千瓦) and ranges (3-5个, 100万元至300万元)."""
    out: list[_Atom] = []
    for a in atoms:
        if out:
            p = out[-1]
            gap = T[p.end:a.start]
            if a.neg and (a.start == p.end or (tb.sep_re.fullmatch(gap + "-")
                                               and not (p.neg and tb.sep_re.fullmatch(gap)))):
                # 3-5个, 1万元--5万元: the hyphen separates a range (but -5%--3% keeps its second minus)
                a.neg = False
                a.start += 1
                a.num = a.num[1:]
                a.raw = _raw(a.num, a.kind)
                if a.raw is False:
                    out.pop()
                    continue
            gap = T[p.end:a.start]
            if a.unit is not None and p.unit is None and p.kind == "ar" and gap in ("x", "X", "*") \
                    and isinstance(p.raw, Decimal) and p.raw == p.raw.to_integral_value() and 0 < p.raw <= 100:
                out.pop()
                raw = None if a.raw is None else (
                    (a.raw[0] * p.raw, a.raw[1] * p.raw) if isinstance(a.raw, tuple) else a.raw * p.raw)
                a.start, a.raw = p.start, raw
                out.append(a)
                continue
            if a.unit is not None and gap and tb.sep_re.fullmatch(gap):
                merged = _range(T, p, a, tb)
                if merged is not None:
                    out.pop()
                    out.append(merged)
                    continue
        out.append(a)
    return out


def _range(T: str, p: _Atom, a: _Atom, tb: _Tables) -> _Atom | None:
    if p.start > 0 and T[p.start - 1] in tb.ordinal:
        return None
    if p.unit is not None:
        if not _same_unit(p, a):
            return None
        if p.raw is None or a.raw is None:
            raw = None
        else:
            lo, hi = p.bounds()[0], a.bounds()[1]
            if lo > hi:
                return None
            raw = (lo, hi)
    else:
        if p.kind in ("red",) or a.raw is None:
            raw = None
        elif a.kind == "red":
            return None
        else:
            try:
                raw = N.infer_range(p.num, a.num)
            except ValueError:
                return None
    return _Atom(p.start, a.end, a.kind, a.num, raw, a.unit, a.umult, a.dim, a.entry)


def _share_units(T: str, atoms: list[_Atom], tb: _Tables) -> None:
    """A bare number before a list connector takes the unit of the next item (分别下降**和8.4个百分点)."""
    for i in range(len(atoms) - 2, -1, -1):
        p, a = atoms[i], atoms[i + 1]
        if p.unit is not None or a.unit is None or p.kind not in ("ar", "red") or a.kind not in ("ar", "cn", "red"):
            continue
        if T[p.end:a.start] not in tb.connectors:
            continue
        if p.kind == "red" and (p.num[0] in "xX" or not tb.share_before_re.search(T, max(0, p.start - 6), p.start)):
            continue  # 加快**、10万千瓦…项目: a redacted name, not a number; 分别下降**和8.4个百分点: a number
        if p.start > 0 and (T[p.start - 1] in tb.ordinal or T[p.start - 1] in tb.code_letters):
            continue
        if a.entry is not None and a.entry.max_value is not None and p.raw is not None:
            hi = p.raw[1] if isinstance(p.raw, tuple) else p.raw
            if hi > a.entry.max_value:
                continue
        p.unit, p.umult, p.dim, p.entry = a.unit, a.umult, a.dim, a.entry


def _counted(T: str, a: _Atom, tb: _Tables) -> bool:
    """A bare 万/亿 number takes the unit of the noun it clearly counts (贫困人口减少1240万 -> 人)."""
    if not ("万" in a.num or "亿" in a.num):
        return False
    m = tb.counted_after_re.match(T, a.end)
    unit = tb.counted_after[m.group()] if m else None
    if unit is None:
        lo = max(0, a.start - tb.counted_window)
        seg = T[lo:a.start]
        stops = list(tb.clause_stop_re.finditer(seg))
        if stops:
            seg = seg[stops[-1].end():]
        if any(ch.isdigit() for ch in seg):
            return False
        found = list(tb.counted_before_re.finditer(seg))
        if not found:
            return False
        unit = tb.counted_before[found[-1].group()]
        nxt = T[a.end:a.end + 1]
        if nxt and ("\u3400" <= nxt <= "\u9fff") and not tb.after_re.match(T, a.end):
            return False  # 资金3000万字材料: something else follows the number
    a.unit, a.dim = unit, ("money" if unit == "CNY" else "count")
    return True


_OPEN_QUOTES, _CLOSE_QUOTES = "“\"「『‘", "”\"」』’"
_CLAUSE_PUNCT = set("，。；、：！？,;:!?\n")


def _quoted(T: str, a: _Atom) -> tuple[str, str] | None:
    """(text inside the quotation before the span, after it) when the span sits in a short quotation."""
    lo = max(0, a.start - 6)
    before = T[lo:a.start]
    k = max(before.rfind(q) for q in _OPEN_QUOTES)
    if k < 0:
        return None
    head = before[k + 1:]
    after = T[a.end:a.end + 10]
    ends = [i for i in (after.find(q) for q in _CLOSE_QUOTES) if i >= 0]
    if not ends:
        return None
    tail = after[:min(ends)]
    if any(ch in _CLAUSE_PUNCT or ch in _OPEN_QUOTES or ch in _CLOSE_QUOTES for ch in head + tail):
        return None
    return head, tail


def _excluded(T: str, a: _Atom, tb: _Tables) -> bool:
    """Ordinals by context, fixed names (中央八项规定, 两个积极性) and quoted names (“三个代表”, “三分之一”工作法)."""
    for units, dims, nums, before, after in tb.context_exclusions:
        if (units and a.unit not in units) or (dims and a.dim not in dims) or (nums and a.num not in nums):
            continue
        if before is not None and not before.search(T, max(0, a.start - 12), a.start):
            continue
        if after is not None and not after.search(T[a.end:a.end + 6]):
            continue
        return True
    q = _quoted(T, a)
    if q is not None:
        head, tail = q
        if a.kind == "cn" and a.dim == "count" and (head or tail):
            return True  # “三个代表”, “新三篇”
        close = a.end + len(tail)
        if not head and not tail and close + 1 < len(T) and "\u3400" <= T[close + 1] <= "\u9fff":
            return True  # “三分之一”工作法: the quotation names something
    if a.kind != "cn" or a.dim != "count":
        return False
    lo, hi = max(0, a.start - 8), min(len(T), a.end + 8)
    for m in tb.fixed_re.finditer(T, lo, hi):
        if m.start() < a.end and a.start < m.end():
            return True
    return False


def _comparators(T: str, atoms: list[_Atom], tb: _Tables) -> None:
    for a in atoms:
        m = tb.after_re.match(T, a.end)
        if m:
            comp, only = tb.after_comp[m["w"]]
            if not only or a.unit in only:
                a.comp, a.comp_after = comp, True
        if a.comp is None:
            b = tb.before_re.search(T, max(0, a.start - 8), a.start)
            if b:
                a.comp = tb.before_comp[b["w"]]
    for i in range(len(atoms) - 1, 0, -1):  # 分别增长7%和8%左右: the word after the list qualifies each item
        a = atoms[i]
        if not a.comp_after:
            continue
        j = i - 1
        while j >= 0 and atoms[j].comp is None and T[atoms[j].end:atoms[j + 1].start] in tb.connectors:
            atoms[j].comp = a.comp
            j -= 1


def _to_float(v):
    if v is None:
        return None
    if isinstance(v, tuple):
        return (float(v[0]), float(v[1]))
    return float(v)


def find_amounts(text: str) -> list[Amount]:
    """Every AMOUNT in `text`, sorted and non-overlapping, with its reading. Never raises on a str."""
    if not isinstance(text, str):
        raise TypeError(f"find_amounts expects str, got {type(text).__name__}")
    if not text:
        return []
    tb = tables()
    T = text.translate(tb.char_table)
    atoms = _scan(T, tb)
    if not atoms:
        return []
    atoms = _join(T, atoms, tb)
    _share_units(T, atoms, tb)
    kept = [a for a in atoms if (a.unit is not None or _counted(T, a, tb)) and not _excluded(T, a, tb)]
    _comparators(T, kept, tb)
    out = []
    for a in kept:
        out.append(Amount(a.start, a.end, text[a.start:a.end], _to_float(a.value()), a.unit, a.comp or "=", a.dim))
    return out


def measure_throughput(texts: Iterable[str], repeat: int = 1) -> dict:
    """Time find_amounts over texts (the lead's benchmark hook): {"chars", "seconds", "chars_per_s", "amounts"}."""
    texts = list(texts)
    tables()  # build once, outside the timing
    chars = sum(len(t) for t in texts) * repeat
    n = 0
    t0 = time.perf_counter()
    for _ in range(repeat):
        for t in texts:
            n += len(find_amounts(t))
    dt = time.perf_counter() - t0
    return {"chars": chars, "seconds": dt, "chars_per_s": chars / dt if dt > 0 else float("inf"), "amounts": n}
