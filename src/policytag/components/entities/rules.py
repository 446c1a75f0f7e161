"""Rule-based COMPANY and PROJECT candidates on a tokenized Doc (rules are data: resources/*.json).

A candidate is anchored on a suffix (公司, 集团, 银行…) or a project head (项目, 工程, 电站…) and extended to the
left token by token over name tokens until punctuation, a left-stop word or the length limit. Token-based extension
relies on the segmenter keeping words whole (有色金属 is one token, so 有 is not taken for a stop word)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# name characters; * is a redaction mark (**电化学储能电站, **油田炼油厂: a redacted proper name, ANNOTATION.md §3)
_CJK = re.compile(r"^[\u3400-\u9fffA-Za-z0-9xX*]+$")
_CJK_NO_DIGIT = re.compile(r"^[\u3400-\u9fffA-Za-zxX*]+$")
# a redaction mark standing for a name, not for a number (**个项目, xx万元 are redacted figures)
_REDACTED = re.compile(r"(?<![A-Za-z\d.])(?:[xX]{1,3}|\*{1,3})(?![A-Za-z\d.*%个项家户万亿千百元台套人次座条倍年月日])")
_INDUSTRY_AFTER = re.compile(r"产量|工业|行业|产品|储量|资源")  # 中国石油产量: the country's oil, not the company
# a count inside a company name: several enterprises (四川三大化纤厂, 两个钢铁公司)
_COUNTED = re.compile(r"[两二三四五六七八九十几数多]大|(?:\d+|[一两二三四五六七八九十几]+)[个家座所]")
_NOT_A_SUFFIX = re.compile(r"[法业化债制军]")
_CAPACITY_AFTER = re.compile(r"\d[\d.]*\s*(?:万|亿)?(?:千瓦|兆瓦|吉瓦|[mMgG][wW]|千伏|吨)")
_FULL_HEADS = frozenset({"项目", "工程"})  # a head that closes a project's name
_AGGREGATE = re.compile(r"(?:共|共计|总计|合计|累计|总共)$")  # before a scale figure: a total (共398兆瓦…项目)
_THRESHOLD = re.compile(r"(?:及)?(?:以上|以下|左右|上下)")  # after a scale figure: a class of projects (300兆瓦以上项目)
_JOINED_WORK = re.compile(r"[及和][\u4e00-\u9fff]{1,8}?(?:工程|项目)")
_GAZ_TAIL = re.compile(r"(?:[东西南北中](?:、[东西南北中])*[线段]|正线|[一二三四五]期)?(?:工程)?")
# a capacity or scale figure (not a count such as 13项): 330千伏, 4万吨, 50mw, 2x66万千瓦
_SCALE = re.compile(r"(?:\d[\d.]*|[一二三四五六七八九十百千两]+)\s*[万亿]?(?:千瓦|兆瓦|吉瓦|千伏|吨|立方米|平方米|亩|公里|千米|米|[mMgGkK][wWvV]|蒸吨|床|辆|座)")


@dataclass(frozen=True)
class Rules:
    suffixes: tuple[str, ...]
    weak_suffixes: frozenset[str]
    company_gazetteer: tuple[str, ...]
    not_company: tuple[str, ...]
    requires_place: tuple[str, ...]
    place_prefix: re.Pattern
    company_generic: frozenset[str]
    company_stops: frozenset[str]
    heads: tuple[str, ...]
    phases: tuple[str, ...]
    project_gazetteer: tuple[str, ...]
    project_generic: frozenset[str]
    project_stops: frozenset[str]
    not_a_head_before: tuple[str, ...]
    suffix_re: re.Pattern
    head_re: re.Pattern


def _alternation(words) -> re.Pattern:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    base = resources.files("policytag.components.entities").joinpath("resources")
    c = json.loads(base.joinpath("company.json").read_text("utf-8"))
    p = json.loads(base.joinpath("project.json").read_text("utf-8"))
    return Rules(
        suffixes=tuple(c["suffixes"]), weak_suffixes=frozenset(c["weak_suffixes"]),
        company_gazetteer=tuple(c["gazetteer"]), not_company=tuple(c["not_company"]),
        requires_place=tuple(c["requires_place"]), place_prefix=re.compile(c["place_prefix"]),
        company_generic=frozenset(c["generic_words"]), company_stops=frozenset(c["left_stops"]),
        heads=tuple(p["heads"]), phases=tuple(p["phases"]), project_gazetteer=tuple(p["gazetteer"]),
        project_generic=frozenset(p["generic_words"]), project_stops=frozenset(p["left_stops"]),
        not_a_head_before=tuple(p["not_a_head_before"]),
        suffix_re=_alternation(c["suffixes"]), head_re=_alternation(p["heads"] + p["phases"]),
    )


def _token_at(doc, char: int):
    """The token containing character offset `char` (binary search over token starts)."""
    from ..._util import doc_length, token_index

    if not len(doc) or char >= doc_length(doc):
        return None
    tok = doc[token_index(doc, char)]
    return tok if tok.idx <= char < tok.idx + len(tok.text) else None


def _extend_left(doc, text: str, start_char: int, stops, name_re, max_chars: int) -> int:
    """Leftmost char offset of the name ending at start_char (the suffix/head start)."""
    tok = _token_at(doc, start_char)
    if tok is None:
        return start_char
    left = start_char
    if tok.idx < start_char:  # the anchor starts inside a token: its left part is name
        part = text[tok.idx:start_char]
        if not name_re.match(part):
            return start_char
        left = tok.idx
    i = tok.i - 1
    while i >= 0:
        t = doc[i]
        if t.whitespace_ or not name_re.match(t.text) or t.text in stops:
            break
        if start_char - t.idx > max_chars:
            break
        left = t.idx
        i -= 1
    return left


def _aligned(doc, start: int, end: int) -> bool:
    from ..._util import char_span

    return char_span(doc, start, end) is not None


def _tokens_in(doc, start: int, end: int) -> list:
    """The tokens wholly inside [start, end)."""
    from ..._util import char_span

    span = char_span(doc, start, end, alignment_mode="contract") if end > start else None
    return list(span) if span is not None else []


def _name_tokens(doc, start: int, end: int) -> list[str]:
    return [t.text for t in _tokens_in(doc, start, end)]


def find_companies(doc, rules: Rules | None = None) -> list[tuple[int, int]]:
    r = rules or default_rules()
    text = doc.text
    cands: list[tuple[int, int]] = []
    for name in r.company_gazetteer:
        for m in re.finditer(re.escape(name), text):
            if _aligned(doc, m.start(), m.end()) and not _INDUSTRY_AFTER.match(text, m.end()):
                cands.append((m.start(), m.end()))  # 中建 in 在…中建立 is not the company; 中国石油产量 is an industry's
    for m in r.suffix_re.finditer(text):
        suffix = m.group()
        if _NOT_A_SUFFIX.match(text, m.end()):
            continue  # 公司法, 银行业, 集团化
        left = _extend_left(doc, text, m.start(), r.company_stops, _CJK_NO_DIGIT, 16)
        left = _skip_glued_function_char(doc, text, left, m.start(), min_rest=2)
        if left == m.start():
            continue
        name = text[left:m.start()]
        full = text[left:m.end()]
        tokens = _name_tokens(doc, left, m.start()) or [name]
        if all(t in r.company_generic for t in tokens):
            continue
        if suffix in r.weak_suffixes and len(name) < 2:
            continue
        if _COUNTED.search(name):
            continue  # 四川三大化纤厂, 两个钢铁公司: several enterprises, not one name
        if any(full.endswith(n) or full == n for n in r.not_company):
            continue
        needs_place = next((p for p in r.requires_place if full.endswith(p)), None)
        if needs_place:
            before = full[: len(full) - len(needs_place)]
            if not before or not (r.place_prefix.search(before) or not all(t in r.company_generic for t in _name_tokens(doc, left, m.end() - len(needs_place)))):
                continue
        cands.append((left, m.end()))
    return _longest_first(cands)


def find_projects(doc, companies=(), rules: Rules | None = None) -> list[tuple[int, int]]:
    r = rules or default_rules()
    text = doc.text
    cands: list[tuple[int, int]] = []
    for name in r.project_gazetteer:
        for m in re.finditer(re.escape(name), text):
            tail = _GAZ_TAIL.match(text, m.end())
            cands.append((m.start(), tail.end() if tail else m.end()))
    for m in r.head_re.finditer(text):
        if text.startswith(r.not_a_head_before, m.end()):
            continue  # 工程技术研究中心, 工程师: the head is part of another word
        end = m.end()
        # a phase right after the head belongs to the project (华奥汽车项目二期), and so does the capacity after a
        # phase (东方电气一期9兆瓦) and a second work joined by 及 (330千伏升压站及输电工程)
        for ph in r.phases:
            if text.startswith(ph, end):
                end += len(ph)
                break
        if text[m.start():end] in r.phases or text[m.end() - 2:end] in r.phases:
            cap = _CAPACITY_AFTER.match(text, end)
            if cap:
                end = cap.end()
        joined = _JOINED_WORK.match(text, end)
        if joined and m.group() not in _FULL_HEADS:
            end = joined.end()  # 升压站及输电工程: one works; 发电项目及…利用项目: two projects
        left = _extend_left(doc, text, m.start(), r.project_stops, _CJK, 24)
        if left == m.start():
            continue
        span_text = text[left:end]
        tokens = _name_tokens(doc, left, m.start())
        has_phase = any(ph in span_text for ph in r.phases)
        has_owner = any(cs < m.start() and ce > left for cs, ce in _near(companies, left, m.start()))
        scale = _SCALE.search(text[left:m.start()])
        if scale and _THRESHOLD.match(text, left + scale.end()):
            continue  # 300兆瓦以上项目: a class of projects, not one
        if scale and scale.start() == 0 and _AGGREGATE.search(text, 0, left):
            continue  # 等11个共398兆瓦光伏电站项目: a total over several projects, not one
        has_scale = scale is not None
        has_name = bool(_REDACTED.search(text[left:m.start()]))
        if not (has_phase or has_owner or has_scale or has_name):
            continue  # high precision: the trained NER finds projects named otherwise
        if tokens and tokens[0] in r.project_generic:
            continue
        if len(span_text) < 4:
            continue
        cands.append((left, end))
    return _longest_first(cands)


# a numbered item opening the paragraph: 2、 / 3. / （4） / 5）
_ITEM_MARK = re.compile(r"\s*(?:[（(]\d{1,2}[)）]|\d{1,2}[、.．)）])\s*")
_ITEM_WORK = re.compile(r"[^，。；：！？,;:!?（）()、\s]{2,40}?(?:项目|工程)")
_ITEM_NAME_MAX = 8


def find_item_projects(doc, companies=(), rules: Rules | None = None) -> list[tuple[int, int]]:
    """The project a numbered progress item opens with (`2、腾骏汽车项目已完成…`, `6、柏优创意家居有限公司建设二期项目…`):
    local reports list their projects one per item, each named by its firm or product. From the item mark to the
    first 项目/工程 of the clause: the whole is a PROJECT when it opens with a company (the owner, ANNOTATION.md §4);
    otherwise a name of at most _ITEM_NAME_MAX characters before the head, with no stop word and not only generic
    words (`1、重点项目…`, `2、工业项目…` name no project)."""
    r = rules or default_rules()
    text = doc.text
    mark = _ITEM_MARK.match(text)
    if not mark:
        return []
    work = _ITEM_WORK.match(text, mark.end())
    if not work:
        return []
    start, end = mark.end(), work.end()
    head = end - 2
    phase = next((ph for ph in r.phases if text.startswith(ph, end)), None)
    end += len(phase) if phase else 0  # 1、华奥汽车项目二期已完成…
    if any(cs == start and ce <= head for cs, ce in companies):
        return [(start, end)]
    tokens = _name_tokens(doc, start, head)
    if not tokens or head - start > _ITEM_NAME_MAX or not _aligned(doc, start, end):
        return []
    if any(t in r.project_stops or t in r.company_stops for t in tokens) or all(t in r.project_generic for t in tokens):
        return []
    return [(start, end)]


def _near(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """Spans (sorted, non-overlapping) that may intersect [start, end)."""
    import bisect

    i = bisect.bisect_left(spans, (start - 64, 0))
    out = []
    while i < len(spans) and spans[i][0] < end:
        out.append(spans[i])
        i += 1
    return out


def _longest_first(cands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    taken: set[int] = set()
    chosen: list[tuple[int, int]] = []
    for s, e in sorted(set(cands), key=lambda x: (-(x[1] - x[0]), x[0])):
        if taken.intersection(range(s, e)):
            continue
        taken.update(range(s, e))
        chosen.append((s, e))
    return sorted(chosen)


# ------------------------------------------------------------------------------------------------- typed lists
@dataclass(frozen=True)
class ListRules:
    company_heads: tuple[str, ...]
    project_heads: tuple[str, ...]
    anchor_re: re.Pattern
    tail_re: re.Pattern
    max_item: int
    min_item: int
    generic: frozenset[str]
    tail_stops: frozenset[str]
    activities: tuple[str, ...]


_CLAUSE_BREAK = "，。；：！？,;:!?（）()《》【】\n"
_QUOTES = "“”\"‘’'「」『』"
_GLUED_FUNCTION_CHARS = "对如把被将从在为向以"
_CONJUNCTIONS = frozenset({"和", "以及", "与", "或"})
_TAIL_NOT_NAMES = re.compile(r"方面|领域|行业|产业(?!园)|部门|单位|方式|形式|手段|措施|办法|途径|渠道|地区|国家|城市|省份|环节")


@lru_cache(maxsize=1)
def default_list_rules() -> ListRules:
    base = resources.files("policytag.components.entities").joinpath("resources")
    spec = json.loads(base.joinpath("lists.json").read_text("utf-8"))
    r = default_rules()
    counts = "|".join(map(re.escape, spec["count_words"]))
    heads = spec["company_heads"] + spec["project_heads"]
    breaks = re.escape(_CLAUSE_BREAK + "、") + r"\s"
    return ListRules(
        company_heads=tuple(spec["company_heads"]), project_heads=tuple(spec["project_heads"]),
        anchor_re=re.compile(rf"(?P<deng>等)|(?P<count>(?:\d+|[一二三四五六七八九十百两几]+)多?(?:{counts}))"),
        tail_re=re.compile(rf"[^{breaks}]{{0,{int(spec['max_tail'])}}}?(?P<head>{'|'.join(map(re.escape, heads))})"),
        max_item=int(spec["max_item"]), min_item=int(spec["min_item"]),
        generic=frozenset(spec["generic_words"]) | r.company_generic | r.project_generic,
        tail_stops=frozenset(spec["tail_stops"]),
        activities=tuple(spec["activity_words"]),
    )


def find_list_items(doc, rules: Rules | None = None, lists: ListRules | None = None,
                    companies: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """Items of lists closed by a typed head (`A、B等26家企业` → COMPANY A, B; `A、B等30个重点项目` → PROJECT A, B).
    `companies`: the doc's rule COMPANY spans (find_companies), when the caller has them; found here otherwise."""
    r = rules or default_rules()
    lr = lists or default_list_rules()
    text = doc.text
    stops = r.company_stops | r.project_stops
    heads = frozenset(r.heads + r.suffixes + lr.company_heads + lr.project_heads)
    companies = find_companies(doc, r) if companies is None else companies
    out: list[tuple[int, int, str]] = []
    for a in lr.anchor_re.finditer(text):
        tail = lr.tail_re.match(text, a.end())
        if not tail or _TAIL_NOT_NAMES.search(text, a.end(), tail.start("head")):
            continue
        if a.start() > 0 and text[a.start() - 1] == "等":
            continue  # 等等; and 等30个 is handled at its 等
        if any(t.text in lr.tail_stops for t in _tokens_in(doc, a.end(), tail.start("head"))):
            continue  # the words before the head are not a noun phrase (等为企业…, 等政府审批事项上…)
        head = tail.group("head")
        label = "COMPANY" if head in lr.company_heads else "PROJECT"
        # the list: back from the anchor to the clause start, items split at 、
        begin = a.start()
        while begin > 0 and text[begin - 1] not in _CLAUSE_BREAK and a.start() - begin < 8 * lr.max_item:
            begin -= 1
        pieces, pos = [], begin
        for part in text[begin:a.start()].split("、"):
            pieces.extend(_split_conjoined(doc, pos, pos + len(part)))
            pos += len(part) + 1
        if a.group("count") and len(pieces) < 2:
            continue  # a bare count (完成132项工程) is not a list
        items, kinds = [], []
        for k, (s, e) in enumerate(pieces):
            while s < e and text[s] in _QUOTES + " ":
                s += 1
            while e > s and text[e - 1] in _QUOTES + " ":
                e -= 1
            if k == 0:
                s = _first_item_start(doc, text, s, e, stops)
            if k == len(pieces) - 1:
                e = next((t.idx for t in _tokens_in(doc, s, e) if t.text in _TOTALS), e)  # 农业部|共安排120个项目
            kind = _item_kind(doc, text, s, e, lr)
            if kind == "generic" and text[s:e] in heads:
                kind = "other"  # a head left of a cut first item (加大矿区供热保障改造|工程) is no kind word
            if kind == "nested":  # 水、电、路、供热管网等基础设施建设和A等工程: the list of 等工程 starts after it
                items, kinds = [], []
                continue
            items.append((s, e))
            kinds.append(kind)
        if len(items) >= 2 and "generic" in kinds:
            continue  # coordinated items are of one kind: a list holding a kind word (公路、铁路…等工程) names none
        out.extend((s, e, label) for (s, e), kind in zip(items, kinds)
                   if kind == "name" and not (label == "PROJECT" and _bare_activity(text, s, e, lr, companies)))
    return out


_ACTIVITY_MAX = 8
_TOTALS = frozenset({"共", "共有", "共计", "合计", "总计", "累计"})  # a total after the last item: not part of it
_ORGANISATION = re.compile(r"(?:部|局|厅|委|委员会|办公室|机关|单位|政府)$")
_DESIGNATION = re.compile(r"(?:\d+|[一二三四五六七八九十]+)号")


def _bare_activity(text: str, s: int, e: int, lr: ListRules, companies: list[tuple[int, int]]) -> bool:
    """A short item (at most _ACTIVITY_MAX characters) ending in an activity (天然林保护, 石漠化治理, 电机制造) with
    nothing that makes it one project: no owner inside (红星乳业公司乳品加工), no capacity or scale (5万吨果蔬加工), no
    redacted name (**含油废物综合利用), no number designating a facility (西园四号湖绿化). ANNOTATION.md §4: a
    programme or the kind of a task is not a PROJECT; an owner or a capacity plus an activity is."""
    item = text[s:e]
    if not item.endswith(lr.activities) or len(item) > _ACTIVITY_MAX:
        return False  # a long item spells out one works, often with an owner no suffix marks (三新硅业余热发电…改造)
    return not (_REDACTED.search(item) or _SCALE.search(item) or _DESIGNATION.search(item)
                or any(s <= cs and ce <= e for cs, ce in companies))


def _first_item_start(doc, text: str, begin: int, end: int, stops) -> int:
    """The first item starts after the last stop word (a verb, 的, 与…) of its clause."""
    from ..._util import char_span

    span = char_span(doc, begin, end, alignment_mode="contract")
    if span is None:
        return end
    start = span.start_char
    for t in span:
        if t.text in stops:
            start = t.idx + len(t.text)
    return _skip_glued_function_char(doc, text, start, end, min_rest=3)


def _skip_glued_function_char(doc, text: str, start: int, end: int, min_rest: int) -> int:
    """Skip a one-character preposition the segmenter glued to an unknown name (如柏优公司, 对柏优家居): the name then
    starts one character later, if more than `min_rest` characters remain."""
    tok = _token_at(doc, start)
    if end - start > min_rest and text[start] in _GLUED_FUNCTION_CHARS and tok is not None and tok.idx == start \
            and len(tok.text) >= 2:
        return start + 1
    return start


def _split_conjoined(doc, start: int, end: int) -> list[tuple[int, int]]:
    """Split a list piece at the conjunction tokens 和 / 以及 / 与 (not at 及, which joins parts of one work)."""
    out, s = [], start
    for t in _tokens_in(doc, start, end):
        if t.text in _CONJUNCTIONS and t.idx > s:
            out.append((s, t.idx))
            s = t.idx + len(t.text)
    out.append((s, end))
    return out


def _item_kind(doc, text: str, s: int, e: int, lr: ListRules) -> str:
    """`name` (an item to tag), `generic` (one generic word: a kind such as 公路, 发电), `nested` (a list inside the
    list: 供热管网等基础设施建设) or `other` (not tagged: too long or short, generic words only, a bare figure or code)."""
    item = text[s:e]
    if "等" in item:
        return "nested"
    if not (lr.min_item <= len(item) <= lr.max_item) or not _CJK.match(item):
        return "other"
    if _REDACTED.search(item) and re.search(r"[\u3400-\u9fff]", item) or re.fullmatch(r"[xX*]+\d.*", item):
        return "name"  # a redacted proper name (**聚光材料, x100兆瓦)
    if not re.search(r"[\u3400-\u9fff]", item):
        return "other"  # a bare redaction (**) or code is no name
    if _ORGANISATION.search(item):
        return "other"  # a government body (煤炭工业部, 市工信局) is neither a company nor a project
    if len(_SCALE.sub("", item)) < 2:
        return "other"  # a bare figure (500万千瓦) is an AMOUNT, not a name
    from ..._util import char_span

    span = char_span(doc, s, e, alignment_mode="expand")
    if span is None:
        return "other"
    # tokens of the item; a glued neighbour (车等 in 专用车等) is cut off, the component splits that token
    tokens = [t.text[max(0, s - t.idx): e - t.idx] for t in span]
    if all(t in lr.generic or _SCALE.fullmatch(t) or t.isdigit() for t in tokens):
        return "generic" if len(tokens) == 1 else "other"
    return "name"

