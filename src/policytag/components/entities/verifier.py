"""The span verifier: a trained classifier that decides, for each candidate span of a paragraph, whether it is a
COMPANY, a PROJECT or neither (ANNOTATION.md §3), from the span and its context.

Candidates are the rule spans, the trained NER's entities and *head-anchored* spans: every run of 2-16 name characters
that ends with a company suffix or a project head word (resources/company.json, project.json, verifier.json). Each is
scored by a logistic regression over the span's characters, its first and last characters, the characters just
around it, the character bigrams of its clause (建成/投产 make a plant a PROJECT, 利润/改造 an enterprise) and the label
a rule gave the same span. The best-scored non-overlapping candidates whose COMPANY or PROJECT probability reaches
the threshold (chosen on the dev split by `policytag train`) become the entities.

The rules are tuned for precision on local reports; the verifier learns from every annotated paragraph and sentence
(the corpus's train split and the COMPANY/PROJECT supplements), which is how it rejects what a suffix rule cannot
(侵略集团, 现在银行) and tells a plant being built (PROJECT) from the same plant producing (COMPANY).
"""

from __future__ import annotations

import json
import pickle
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .rules import _REDACTED  # a redaction mark standing for a name (**, x), not for a figure

LABELS = ("NONE", "COMPANY", "PROJECT")
MAX_LEN = 16
_NAME = re.compile(r"[\u3400-\u9fffA-Za-z0-9xX*（）()—－\-·]")
_CLAUSE_END = re.compile(r"[。；;！!？?，,：:\n]")


@lru_cache(maxsize=1)
def _heads() -> re.Pattern:
    base = resources.files("policytag.components.entities").joinpath("resources")
    c = json.loads(base.joinpath("company.json").read_text("utf-8"))
    p = json.loads(base.joinpath("project.json").read_text("utf-8"))
    v = json.loads(base.joinpath("verifier.json").read_text("utf-8"))
    words = set(c["suffixes"]) | set(p["heads"]) | set(p["phases"]) | set(v["extra_heads"])
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    """Word lists of the rules reused as features and by `select`: company suffixes, generic words, left-stop words
    (verbs and function words that end a name on its left), the phases."""
    base = resources.files("policytag.components.entities").joinpath("resources")
    c = json.loads(base.joinpath("company.json").read_text("utf-8"))
    p = json.loads(base.joinpath("project.json").read_text("utf-8"))
    stops = sorted(set(c["left_stops"]) | set(p["left_stops"]), key=len, reverse=True)
    generic = sorted(set(c["generic_words"]) | set(p["generic_words"]), key=len, reverse=True)
    return {
        "suffix": re.compile("|".join(re.escape(w) for w in sorted(c["suffixes"], key=len, reverse=True))),
        "stop_start": re.compile("^(?:" + "|".join(re.escape(w) for w in stops if len(w) > 1) + ")"),
        "stop_end": re.compile("(?:" + "|".join(re.escape(w) for w in stops) + ")$"),
        "generic_only": re.compile("^(?:" + "|".join(re.escape(w) for w in generic) + ")*$"),
        # a name of two or more characters, then a phase (华奥二期项目; 二期项目 alone is no match)
        "phased": re.compile(r"[\u4e00-\u9fffA-Za-z*]{2}(?:" + "|".join(map(re.escape, p["phases"])) + ")"),
    }


_SCALE = re.compile(r"[0-9０-９.x×]+(?:万|亿)?(?:千瓦|兆瓦|瓦|kw|mw|KW|MW|吨|千伏|立方米|平方米|亩|套|台|辆|公里|千米|米|张|头|只|件)")
_ITEM_START = re.compile(r"(?:^|[\n。；;：:])\s*(?:[（(]?[0-9一二三四五六七八九十]+[)）、.．]|[一二三四五六七八九十]是)?\s*$")


def _structure(text: str, start: int, end: int) -> dict[str, float]:
    """What ANNOTATION.md asks of a name, independent of its words: an owner (a company suffix inside the span), a
    scale figure, a head with only generic words before it, a leading verb or function word inside the span, a
    natural left boundary, the start of a list item."""
    lex = _lexicon()
    span = text[start:end]
    f: dict[str, float] = {}
    pre = span
    for m in _heads().finditer(span):
        if m.end() == len(span):
            pre = span[: m.start()]
            break
    if not pre:
        f["pre=empty"] = 1.0
    elif lex["generic_only"].match(pre):
        f["pre=generic"] = 1.0
    else:
        f[f"pre_len={min(len(pre), 10)}"] = 1.0
    if any(m.end() < len(span) for m in lex["suffix"].finditer(span)):
        f["owner"] = 1.0
    if _SCALE.search(span):
        f["scale"] = 1.0
    if lex["stop_start"].match(span):
        f["stop_inside"] = 1.0
    if lex["stop_end"].search(text[max(0, start - 4):start]):
        f["stop_left"] = 1.0
    if _ITEM_START.search(text[max(0, start - 8):start]):
        f["item_start"] = 1.0
    return f


def head_candidates(text: str) -> set[tuple[int, int]]:
    """Spans of 2..MAX_LEN name characters ending with a head word (the head itself need not be alone)."""
    out = set()
    for m in _heads().finditer(text):
        end = m.end()
        start = m.start()
        while start > 0 and end - start < MAX_LEN and _NAME.match(text[start - 1]):
            start -= 1
            if end - start >= 2:
                out.add((start, end))
    return out


def _clause(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    m = _CLAUSE_END.search(text, end)
    right = m.start() if m else len(text)
    return text[left:start] + "|" + text[end:right]


def token_bounds(doc) -> frozenset[int]:
    """The character offsets where the segmenter put a word boundary (every token's start and end)."""
    return frozenset(x for t in doc for x in (t.idx, t.idx + len(t.text)))


def _words(text: str, start: int, end: int, bounds: frozenset[int]) -> dict[str, float]:
    """How the segmenter cut the span: does it start and end at word boundaries (a candidate cut inside a word is
    rarely a name), and how many of its words before the head are single characters (proper names such as 腾骏, 迅发
    fall apart into characters; generic words such as 电机, 制造 do not)."""
    f = {"tok_start" if start in bounds else "mid_start": 1.0, "tok_end" if end in bounds else "mid_end": 1.0}
    cuts = sorted(b for b in bounds if start < b < end)
    pieces = [b - a for a, b in zip([start] + cuts, cuts + [end])]
    f[f"words={min(len(pieces), 6)}"] = 1.0
    singles = sum(1 for n in pieces[:-1] if n == 1)
    f[f"single_chars={min(singles, 3)}"] = 1.0
    return f


def features(text: str, start: int, end: int, rule: str | None,
             bounds: frozenset[int] | None = None) -> dict[str, float]:
    span = text[start:end]
    f: dict[str, float] = {"S=" + span: 1.0, f"len={min(len(span), MAX_LEN)}": 1.0, f"rule={rule or '-'}": 1.0}
    for n in (1, 2, 3):
        for i in range(len(span) - n + 1):
            f["g=" + span[i:i + n]] = 1.0
    for k in (1, 2, 3, 4):
        f[f"H{k}=" + span[-k:]] = 1.0
    for k in (1, 2):
        f[f"F{k}=" + span[:k]] = 1.0
        f[f"L{k}=" + text[max(0, start - k):start]] = 1.0
        f[f"R{k}=" + text[end:end + k]] = 1.0
    if any(ch.isdigit() for ch in span):
        f["digit"] = 1.0
    f.update(_structure(text, start, end))
    if bounds is not None:
        f.update(_words(text, start, end, bounds))
    clause = _clause(text, start, end)
    for i in range(len(clause) - 1):
        bg = clause[i:i + 2]
        if "|" not in bg:
            f["c=" + bg] = 0.3
    return f


def _holds_owner(text: str, start: int, end: int, owners: list[tuple[int, int]]) -> bool:
    """Whether a span holds an owner and more after it: one of `owners` (COMPANY spans), or a redaction mark that
    opens it and stands for a name (**含油废物综合利用, x滩330千伏升压站及输电工程: a redacted owner)."""
    mark = _REDACTED.match(text, start)
    return any(start <= s and e < end for s, e in owners) or mark is not None and mark.end() < end


class SpanVerifier:
    def __init__(self, C: float = 1.0, seed: int = 0, class_weight: str | None = None):
        self.C, self.seed, self.class_weight = C, seed, class_weight
        self.vec = None
        self.clf = None

    @staticmethod
    def candidates(text: str, extra: dict[tuple[int, int], str | None]) -> list[tuple[int, int, str | None]]:
        """Head-anchored spans plus `extra` spans (start, end) -> rule label or None; with the rule label each."""
        spans = dict.fromkeys(head_candidates(text))
        for key, rule in extra.items():
            if spans.get(key) is None:
                spans[key] = rule
        return [(s, e, r) for (s, e), r in sorted(spans.items())]

    def fit(self, items: list[tuple]):
        """items: (text, candidates with rule labels, gold {(start, end): label}[, token bounds]); gold spans join as
        candidates. Token bounds (token_bounds(doc)) are given either for every item or for none."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        X, y = [], []
        for text, cands, gold, *rest in items:
            bounds = rest[0] if rest else None
            seen = {(s, e) for s, e, _ in cands}
            rules = {(s, e): r for s, e, r in cands}
            for (s, e) in list(seen) + [k for k in gold if k not in seen]:
                X.append(features(text, s, e, rules.get((s, e)), bounds))
                y.append(gold.get((s, e), "NONE"))
        self.vec = DictVectorizer()
        self.clf = LogisticRegression(C=self.C, max_iter=3000, random_state=self.seed,
                                      class_weight=self.class_weight)
        self.clf.fit(self.vec.fit_transform(X), y)
        return self

    def score(self, text: str, cands: list[tuple[int, int, str | None]],
              bounds: frozenset[int] | None = None) -> list[dict[str, float]]:
        if not cands:
            return []
        probs = self.clf.predict_proba(self.vec.transform([features(text, s, e, r, bounds) for s, e, r in cands]))
        classes = list(self.clf.classes_)
        return [{lab: float(row[classes.index(lab)]) if lab in classes else 0.0 for lab in LABELS} for row in probs]

    def select(self, text: str, cands: list[tuple[int, int, str | None]], threshold: float,
               reject: float | None = None, bounds: frozenset[int] | None = None,
               keep_owned: bool = True, scores: list[dict[str, float]] | None = None
               ) -> list[tuple[int, int, str, float]]:
        """The non-overlapping entities: best probability first, each kept when it reaches `threshold`.
        With `reject`, a rule span is kept (before any other candidate, longest first) unless the verifier gives
        it a NONE probability of at least `reject`: the verifier then filters the rules and adds what they miss.
        A rule PROJECT that holds its owner (a rule COMPANY: 中恒化工有限公司项目, 佛慈药业综合开发项目; or a
        redacted name: **含油废物综合利用) is kept whatever the verifier says: ANNOTATION.md tags an owner plus an
        activity as one PROJECT, and the longer span wins (`keep_owned`; measured by
        training/experiments/verifier_loso.py, training/RESULTS.md session 6). So is a rule PROJECT that names a
        phase after its name (华奥二期项目): a phase picks out one project (ANNOTATION.md §3; session 8). `scores`:
        the verifier's own `score(text, cands, bounds)`, when the caller already has them (one text tried at several
        thresholds)."""
        owners = [(s, e) for s, e, rule in cands if rule == "COMPANY"]
        phased = _lexicon()["phased"]
        firm, scored = [], []
        for (s, e, rule), p in zip(cands, self.score(text, cands, bounds) if scores is None else scores):
            label = "COMPANY" if p["COMPANY"] >= p["PROJECT"] else "PROJECT"
            if reject is not None and rule is not None:
                named = rule == "PROJECT" and (_holds_owner(text, s, e, owners) or phased.search(text, s, e))
                if p["NONE"] < reject or keep_owned and named:
                    firm.append((s, e, rule, 1.0 - p["NONE"]))
            elif p[label] >= threshold:
                scored.append((s, e, label, p[label]))
        chosen: list[tuple[int, int, str, float]] = []
        for group, key in ((firm, lambda x: (x[0] - x[1], x[0])), (scored, lambda x: (-x[3], x[0] - x[1], x[0]))):
            for s, e, label, prob in sorted(group, key=key):
                if all(e <= cs or s >= ce for cs, ce, _, _ in chosen):
                    chosen.append((s, e, label, prob))
        return sorted(chosen)

    def save(self, path: Path) -> None:
        path.write_bytes(pickle.dumps({"C": self.C, "seed": self.seed, "class_weight": self.class_weight, "vec": self.vec,
                                      "clf": self.clf}, protocol=5))

    @classmethod
    def load(cls, path: Path) -> "SpanVerifier":
        data = pickle.loads(path.read_bytes())  # our own shipped file, written by save()
        model = cls(data["C"], data["seed"], data.get("class_weight"))
        model.vec, model.clf = data["vec"], data["clf"]
        return model
