"""Paragraph classifier feature experiments (scikit-learn): macro-F1 on the dev split and in document-grouped
cross-validation over train+dev (5 folds). The test split is never read.

    python training/experiments/category_features.py [--only NAME ...]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from policytag.components.categories.model import (CATEGORIES, CharNgramBaseline, Example,  # noqa: E402
                                                   SklearnCategoryModel)
from policytag.corpus import Corpus  # noqa: E402
from policytag.evaluate.metrics import category_scores  # noqa: E402


def load(corpus: Corpus, split: str):
    rows = []
    for doc in corpus.splits()[split]:
        recs = corpus.records(doc)
        tops: list[str] = []
        for i, r in enumerate(recs):
            if r["section"] and r["section"][0] not in tops:
                tops.append(r["section"][0])
            if r["category"]:
                prev = recs[i - 1]["text"] if i > 0 else ""
                nxt = recs[i + 1]["text"] if i + 1 < len(recs) else ""
                j = 0
                while i - 1 - j >= 0 and recs[i - 1 - j]["section"] == r["section"] \
                        and recs[i - 1 - j]["kind"] == "body":
                    j += 1
                last = not (i + 1 < len(recs) and recs[i + 1]["section"] == r["section"])
                rows.append({"doc": doc, "ex": Example(r["text"], r["section"], r["kind"]), "prev": prev, "next": nxt,
                             "y": r["category"]["label"], "index": i, "n": len(recs), "top": len(tops),
                             "sec_pos": j, "sec_last": last,
                             "next_same": i + 1 < len(recs) and recs[i + 1]["section"] == r["section"]})
    return rows


def folds(rows, k=5):
    docs = sorted({r["doc"] for r in rows})
    for f in range(k):
        held = set(docs[f::k])
        yield [r for r in rows if r["doc"] not in held], [r for r in rows if r["doc"] in held]


def run(make, train, test):
    model = make().fit(train)
    pred = model.predict(test)
    return category_scores([r["y"] for r in test], pred)


class Base:
    def __init__(self, **kw):
        self.kw = kw

    def _examples(self, rows):
        """The model's input for these rows (the Shipped family adds the segmenter's words)."""
        return [r["ex"] for r in rows]

    def fit(self, rows):
        self.m = SklearnCategoryModel(**self.kw).fit(self._examples(rows), [r["y"] for r in rows])
        return self

    def proba(self, rows):
        return self.m.predict_proba(self._examples(rows))

    def predict(self, rows):
        return [max(p, key=p.get) for p in self.proba(rows)]


class Extra(Base):
    """Base features + one more block of features (`_extra`), scaled by `weight`, in the same linear model."""

    def __init__(self, weight=1.0, **kw):
        super().__init__(**kw)
        self.weight = weight

    def _extra(self, rows, fit):
        raise NotImplementedError

    def _X(self, rows, fit):
        from scipy.sparse import hstack
        return hstack([self.m._matrix(self._examples(rows), fit=fit), self._extra(rows, fit)]).tocsr()

    def fit(self, rows):
        self.m = SklearnCategoryModel(**self.kw)
        self.m._build()
        self.m.clf.fit(self._X(rows, fit=True), [r["y"] for r in rows])
        return self

    def proba(self, rows):
        probs = self.m.clf.predict_proba(self._X(rows, fit=False))
        cl = list(self.m.clf.classes_)
        return [{c: float(row[cl.index(c)]) for c in CATEGORIES} for row in probs]


class Dense:
    """Mixin for an Extra whose block is one dense vector per row (`_row`), scaled by `weight`; `_prepare` may first
    compute what the rows need."""

    def _prepare(self, rows):
        pass

    def _row(self, r) -> np.ndarray:
        raise NotImplementedError

    def _extra(self, rows, fit):
        from scipy.sparse import csr_matrix
        self._prepare(rows)
        return csr_matrix(np.array([self._row(r) for r in rows]) * self.weight)


class Context(Extra):
    """Base features + char n-grams of the previous and next paragraphs (weighted)."""

    def _extra(self, rows, fit):
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        if fit:
            self.pv = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), min_df=2, sublinear_tf=True)
            self.nv = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), min_df=2, sublinear_tf=True)
            p, n = self.pv.fit_transform([r["prev"] for r in rows]), self.nv.fit_transform([r["next"] for r in rows])
        else:
            p, n = self.pv.transform([r["prev"] for r in rows]), self.nv.transform([r["next"] for r in rows])
        return hstack([self.weight * p, self.weight * n])


class Stacked(Base):
    """Stage 1: base model; stage 2: its out-of-fold probabilities for the paragraph and its neighbours
    (prev, next, mean over the section) + stage-1 features."""

    def _neigh(self, rows, P):
        feats = []
        by_doc = {}
        for k, r in enumerate(rows):
            by_doc.setdefault(r["doc"], []).append(k)
        idx = {k: j for ks in by_doc.values() for j, k in enumerate(ks)}
        for k, r in enumerate(rows):
            ks = by_doc[r["doc"]]
            j = idx[k]
            prev = P[ks[j - 1]] if j > 0 else np.zeros(5)
            nxt = P[ks[j + 1]] if j + 1 < len(ks) else np.zeros(5)
            sec = [P[m] for m in ks if rows[m]["ex"].section == r["ex"].section and m != k]
            secm = np.mean(sec, axis=0) if sec else np.zeros(5)
            feats.append(np.concatenate([P[k], prev, nxt, secm]))
        return np.array(feats)

    def fit(self, rows):
        from sklearn.linear_model import LogisticRegression
        P = np.zeros((len(rows), 5))
        for tr, te in folds(rows, 5):
            m = Base(**self.kw).fit(tr)
            pos = {id(r): k for k, r in enumerate(rows)}
            for r, p in zip(te, m.proba(te)):
                P[pos[id(r)]] = [p[c] for c in CATEGORIES]
        self.base = Base(**self.kw).fit(rows)
        self.clf = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")
        self.clf.fit(self._neigh(rows, P), [r["y"] for r in rows])
        return self

    def proba(self, rows):
        P = np.array([[p[c] for c in CATEGORIES] for p in self.base.proba(rows)])
        probs = self.clf.predict_proba(self._neigh(rows, P))
        cl = list(self.clf.classes_)
        return [{c: float(row[cl.index(c)]) for c in CATEGORIES} for row in probs]


class Position(Dense, Extra):
    """Base features + the paragraph's relative position in its report (one-hot over `bins`) and the index of its
    top-level section (1st, 2nd, 3rd, 4th+)."""

    def __init__(self, bins=10, weight=1.0, **kw):
        super().__init__(weight, **kw)
        self.bins = bins

    def _row(self, r):
        v = np.zeros(self.bins + 4)
        v[min(self.bins - 1, int(self.bins * r["index"] / max(1, r["n"])))] = 1
        v[self.bins + min(3, r["top"])] = 1
        return v


class Biased(Base):
    """Base model + per-class log-offsets fitted on inner out-of-fold predictions to maximise macro-F1."""

    def __init__(self, inner=Base, **kw):
        super().__init__(**kw)
        self.inner = inner

    def fit(self, rows):
        P, Y = [], []
        for tr, te in folds(rows, 4):
            m = self.inner(**self.kw).fit(tr)
            P += [[p[c] for c in CATEGORIES] for p in m.proba(te)]
            Y += [r["y"] for r in te]
        L = np.log(np.array(P) + 1e-9)
        b = np.zeros(5)
        for _ in range(3):
            for j in range(5):
                best = (-1, 0.0)
                for d in np.arange(-1.5, 1.51, 0.1):
                    bb = b.copy(); bb[j] = d
                    pred = [CATEGORIES[k] for k in (L + bb).argmax(1)]
                    f = category_scores(Y, pred)["macro_f1"]
                    if f > best[0] + 1e-9:
                        best = (f, d)
                b[j] = best[1]
        self.b = b
        self.base = self.inner(**self.kw).fit(rows)
        return self

    def proba(self, rows):
        out = []
        for p in self.base.proba(rows):
            v = np.exp(np.log(np.array([p[c] for c in CATEGORIES]) + 1e-9) + self.b)
            v /= v.sum()
            out.append(dict(zip(CATEGORIES, v.tolist())))
        return out


class Shape(Dense, Extra):
    """Base features + the paragraph's shape: how it ends (。/；/：/！/none) and its length bucket."""

    ENDS = ("。", "；", "：", "！", "？")

    def _row(self, r):
        t = r["ex"].text.strip()
        v = np.zeros(len(self.ENDS) + 1 + 6)
        v[next((i for i, e in enumerate(self.ENDS) if t.endswith(e)), len(self.ENDS))] = 1
        v[len(self.ENDS) + 1 + min(5, int(np.log2(max(1, len(t)) / 10 + 1)))] = 1
        return v


_SENT = re.compile(r"[^。；！？!?;]+[。；！？!?;]?")


def sentences(text: str) -> list[str]:
    return [m.group() for m in _SENT.finditer(text) if m.group().strip()] or [text]


class Sentences(Base):
    """ANNOTATION.md: a mixed paragraph takes the function of most of its text. A sentence model (trained on the
    sentences of the train paragraphs, each with its paragraph's label) scores every sentence; the paragraph's score
    is the length-weighted mean over its sentences, mixed with the paragraph model's (weight `w` on sentences)."""

    def __init__(self, w=0.5, **kw):
        super().__init__(**kw)
        self.w = w

    def fit(self, rows):
        super().fit(rows)
        xs, ys = [], []
        for r in rows:
            for sent in sentences(r["ex"].text):
                xs.append(Example(sent, r["ex"].section, r["ex"].kind))
                ys.append(r["y"])
        self.s = SklearnCategoryModel(**self.kw).fit(xs, ys)
        return self

    def proba(self, rows):
        para = super().proba(rows)
        flat, owner = [], []
        for k, r in enumerate(rows):
            for sent in sentences(r["ex"].text):
                flat.append(Example(sent, r["ex"].section, r["ex"].kind))
                owner.append(k)
        sp = self.s.predict_proba(flat)
        acc = np.zeros((len(rows), 5))
        tot = np.zeros(len(rows))
        for k, ex, p in zip(owner, flat, sp):
            acc[k] += len(ex.text) * np.array([p[c] for c in CATEGORIES])
            tot[k] += len(ex.text)
        acc /= np.maximum(tot, 1)[:, None]
        return [{c: (1 - self.w) * pp[c] + self.w * acc[k][j] for j, c in enumerate(CATEGORIES)}
                for k, pp in enumerate(para)]


_TOKENIZER = None


def tokens(text: str) -> list[str]:
    """The shipped pipeline's pkuseg segmentation (the tokenizer alone)."""
    global _TOKENIZER
    if _TOKENIZER is None:
        import spacy
        _TOKENIZER = spacy.load(ROOT / "models" / "policytag_zh").tokenizer
    return [t.text for t in _TOKENIZER(text) if not t.is_space]


class Words(Extra):
    """Base features + TF-IDF of pkuseg words (and word bigrams with `bigrams`)."""

    def __init__(self, bigrams=False, weight=1.0, **kw):
        super().__init__(weight, **kw)
        self.bigrams = bigrams

    def _analyze(self, toks):
        out = list(toks)
        if self.bigrams:
            out += [a + " " + b for a, b in zip(toks, toks[1:])]
        return out

    def _extra(self, rows, fit):
        from sklearn.feature_extraction.text import TfidfVectorizer
        for r in rows:
            if "tokens" not in r:
                r["tokens"] = tokens(r["ex"].text)
        if fit:
            self.vec = TfidfVectorizer(analyzer=self._analyze, min_df=2, sublinear_tf=True)
            return self.weight * self.vec.fit_transform([r["tokens"] for r in rows])
        return self.weight * self.vec.transform([r["tokens"] for r in rows])


class Shipped(Base):
    """The shipped SklearnCategoryModel given the segmenter's words (the pipeline up to the AMOUNT recognizer, as
    `policytag train` gives them)."""

    def _examples(self, rows):
        import dataclasses
        global _TOKNLP
        if _TOKNLP is None:
            from policytag.train.trainer import _tokenizer_nlp
            _TOKNLP = _tokenizer_nlp(ROOT / "models" / "segmenter")
        todo = [r for r in rows if "doc_tokens" not in r]
        for r, doc in zip(todo, _TOKNLP.pipe(r["ex"].text for r in todo)):
            r["doc_tokens"] = [t.text for t in doc]
        return [dataclasses.replace(r["ex"], tokens=r["doc_tokens"]) for r in rows]


_TOKNLP = None


class Chars(Base):
    """The evaluation's scikit-learn baseline (CharNgramBaseline: char 1-3-grams of the text, logistic regression)."""

    def fit(self, rows):
        self.m = CharNgramBaseline(**self.kw).fit(self._examples(rows), [r["y"] for r in rows])
        return self


class ShippedExtra(Extra, Shipped):
    """The shipped model (with the segmenter's words) + one more block of features (`_extra`), scaled by `weight`."""


def lead(text: str) -> str:
    """The paragraph's first sentence or clause (up to 。；：！？), at most 60 characters."""
    m = re.match(r"[^。；：！？!?;:]*[。；：！？!?;:]?", text)
    return (m.group() if m else text)[:60]


class Lead(ShippedExtra):
    """+ char 1-3-grams of the lead sentence."""

    def _extra(self, rows, fit):
        from sklearn.feature_extraction.text import TfidfVectorizer
        xs = [lead(r["ex"].text) for r in rows]
        if fit:
            self.lv = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
            return self.weight * self.lv.fit_transform(xs)
        return self.weight * self.lv.transform(xs)


_CN_DIGITS = {**{c: str(i) for i, c in enumerate("〇一二三四五六七八九")}, "○": "0", "零": "0"}
_YEAR = re.compile(r"((?:1[89]|20)\d\d|[一二][〇○零一二三四五六七八九]{3})年")


def years(text: str) -> list[int]:
    """Years written in the text (1956年, １９５６年, 一九五六年)."""
    import unicodedata
    out = []
    for m in _YEAR.finditer(unicodedata.normalize("NFKC", text)):
        s = "".join(_CN_DIGITS.get(ch, ch) for ch in m.group(1))
        if s.isdigit():
            out.append(int(s))
    return out


_REF: dict = {}


def ref_year(doc: str):
    """The report's most frequent year: the reference of `Temporal`."""
    from collections import Counter
    if doc not in _REF:
        ys = [y for r in Corpus(ROOT / "corpus").records(doc) for y in years(r["text"])]
        _REF[doc] = Counter(ys).most_common(1)[0][0] if ys else None
    return _REF[doc]


class Temporal(Dense, ShippedExtra):
    """+ each year the paragraph names against its report's most frequent year (<=-2, -1, 0, +1, +2..5, later; or
    none)."""

    def _row(self, r):
        v = np.zeros(7)
        ref, ys = ref_year(r["doc"]), years(r["ex"].text)
        if not ys or ref is None:
            v[6] = 1
        for y in ys if ref is not None else ():
            d = y - ref
            v[0 if d <= -2 else 1 if d == -1 else 2 if d == 0 else 3 if d == 1 else 4 if d <= 5 else 5] = 1
        return v


class Ens(Shipped):
    """The shipped logistic regression + a second linear learner on the same features, probabilities mixed."""

    def __init__(self, kind="svm", mix=0.5, **kw):
        super().__init__(**kw)
        self.kind, self.mix = kind, mix

    def fit(self, rows):
        super().fit(rows)
        X, y = self.m._matrix(self._examples(rows)), [r["y"] for r in rows]
        if self.kind == "svm":
            from sklearn.calibration import CalibratedClassifierCV
            from sklearn.svm import LinearSVC
            self.c2 = CalibratedClassifierCV(LinearSVC(C=0.5, class_weight="balanced"), cv=3).fit(X, y)
        else:
            from sklearn.naive_bayes import ComplementNB
            self.c2 = ComplementNB(alpha=0.3).fit(X, y)
        return self

    def proba(self, rows):
        p1 = super().proba(rows)
        P2 = self.c2.predict_proba(self.m._matrix(self._examples(rows)))
        cl = list(self.c2.classes_)
        return [{c: (1 - self.mix) * a[c] + self.mix * float(row[cl.index(c)]) for c in CATEGORIES}
                for a, row in zip(p1, P2)]


class Mix(Base):
    """The mean of two models' probabilities (weight `w` on the second)."""

    def __init__(self, first, second, w=0.5):
        super().__init__()
        self.first, self.second, self.w = first, second, w

    def fit(self, rows):
        self.a, self.b = self.first().fit(rows), self.second().fit(rows)
        return self

    def proba(self, rows):
        return [{c: (1 - self.w) * p[c] + self.w * q[c] for c in CATEGORIES}
                for p, q in zip(self.a.proba(rows), self.b.proba(rows))]


class InContext(Base):
    """A model's probabilities revised in their report's context (the shipped `ReportContext`: category transitions
    counted on the fitted rows' reports, weighted `transition_weight`; the prior divided out to `prior_power`)."""

    _fitted: dict = {}  # (inner's name, fitted reports) -> fitted inner model: the variants share their fits

    def __init__(self, inner, transition_weight=0.3, prior_power=0.4, name="shipped"):
        super().__init__()
        self.inner, self.tw, self.pw, self.name = inner, transition_weight, prior_power, name

    @staticmethod
    def _reports(rows):
        """Row positions of each report, in reading order."""
        by: dict[str, list[int]] = {}
        for k, r in enumerate(rows):
            by.setdefault(r["doc"], []).append(k)
        return [sorted(ks, key=lambda k: rows[k]["index"]) for ks in by.values()]

    def fit(self, rows):
        from policytag.components.categories.context import ReportContext
        key = (self.name, frozenset(r["doc"] for r in rows))
        if key not in self._fitted:
            self._fitted[key] = self.inner().fit(rows)
        self.m = self._fitted[key]
        self.ctx = ReportContext.fit([[rows[k]["y"] for k in ks] for ks in self._reports(rows)],
                                     transition_weight=self.tw, prior_power=self.pw)
        return self

    def proba(self, rows):
        probs = self.m.proba(rows)
        for ks in self._reports(rows):
            for k, p in zip(ks, self.ctx.apply([probs[k] for k in ks])):
                probs[k] = p
        return probs


def shipped_mix():
    """The shipped classifier: the word-vector model (weight 2) mixed with the character model at 0.3."""
    return Mix(lambda: Vectors(2.0), Chars, 0.3)


class NoSection(Shipped):
    """The shipped model with the section heading withheld (every example as if it were a lone paragraph)."""

    def _examples(self, rows):
        import dataclasses
        return [dataclasses.replace(e, section=[]) for e in super()._examples(rows)]


class SectionCues(Dense, ShippedExtra):
    """The shipped model with the section heading's character n-grams scaled by `section_weight`, plus the heading's
    cue words (`cues.json`'s section cues: which categories the nearest and the top heading name), weight `weight`."""

    def _row(self, r):
        from policytag.components.categories.model import _cues
        cues = _cues()["section_cues"]
        sec = r["ex"].section
        v = np.zeros(2 * len(CATEGORIES))
        for k, head in enumerate((sec[-1] if sec else "", sec[0] if sec else "")):
            for j, c in enumerate(CATEGORIES):
                if any(w in head for w in cues.get(c, ())):
                    v[k * len(CATEGORIES) + j] = 1
        return v


class Opener(Dense, ShippedExtra):
    """+ where the paragraph sits in its section: its index among the section's body paragraphs (0, 1, 2, 3+),
    whether it is the section's last, and whether it is a short line (< `short` characters) followed by more text
    of the same section (a sub-heading written as a sentence). Nothing for a paragraph outside any section."""

    def __init__(self, weight=1.0, short=40, **kw):
        super().__init__(weight, **kw)
        self.short = short

    def _row(self, r):
        v = np.zeros(7)
        if r["ex"].section and r["ex"].kind == "body":
            v[min(3, r["sec_pos"])] = 1
            v[4] = 1 if r["sec_last"] else 0
            short = len(r["ex"].text) < self.short
            v[5] = 1 if short and r["next_same"] else 0
            v[6] = 1 if short else 0
        return v


class Readings(Dense, ShippedExtra):
    """+ the AMOUNT recognizer's readings in the paragraph: how many amounts carry each comparator (= >= <= ~ > <) and
    each dimension (money, ratio, ...), log-scaled. A target names figures with 以上 / 左右 / 不超过; a result with =."""

    CMPS = ("=", ">=", "<=", "~", ">", "<")
    DIMS = ("money", "ratio", "count", "quantity", "other")

    def _prepare(self, rows):
        self._examples(rows)  # loads the tokenizer pipeline (with the AMOUNT recognizer)
        todo = [r for r in rows if "readings" not in r]
        for r, doc in zip(todo, _TOKNLP.pipe(r["ex"].text for r in todo)):
            r["readings"] = [s._.amount for s in doc.spans.get("amounts", []) if s._.amount]

    def _row(self, r):
        v = np.zeros(len(self.CMPS) + len(self.DIMS) + 1)
        for a in r["readings"]:
            if a.get("comparator") in self.CMPS:
                v[self.CMPS.index(a["comparator"])] += 1
            d = a.get("dimension")
            v[len(self.CMPS) + (self.DIMS.index(d) if d in self.DIMS else len(self.DIMS) - 1)] += 1
        v[-1] = 1 if r["readings"] else 0
        return np.log1p(v)


class Vectors(Dense, ShippedExtra):
    """+ the paragraph's word vector, the vectors made as `policytag train` makes them (`train_word_vectors`: the
    shipped `WordVectors` over the words of the paragraphs the model is fitted on and the news supplement's train
    sentences): never from the text the model is scored on."""

    _cache: dict = {}

    def fit(self, rows):
        self.train_rows = rows
        return super().fit(rows)

    def _prepare(self, rows):
        from policytag.train.trainer import train_word_vectors
        self._examples(rows)  # the tokenizer pipeline
        key = frozenset(r["doc"] for r in self.train_rows)
        if key not in Vectors._cache:
            Vectors._cache[key] = train_word_vectors(Corpus(ROOT / "corpus"), _TOKNLP, self._examples(self.train_rows))
        self.vectors = Vectors._cache[key]

    def _row(self, r):
        return self.vectors.paragraph(r["doc_tokens"])


class VectorsSIF(Vectors):
    """+ the paragraph's word vector as a smooth-inverse-frequency weighted mean (a / (a + p(w)), p from the words of
    the paragraphs the model is fitted on), the first principal direction of those paragraphs' vectors removed."""

    def __init__(self, weight=1.0, a=1e-3, **kw):
        super().__init__(weight, **kw)
        self.a = a

    def _prepare(self, rows):
        from collections import Counter

        from policytag.components.categories.model import word_features
        super()._prepare(rows)
        if getattr(self, "_fitted_for", None) is not self.vectors:
            freq = Counter(w for r in self.train_rows for w in word_features(r["doc_tokens"]))
            total = sum(freq.values())
            self.wt = {w: self.a / (self.a + freq[w] / total) for w in self.vectors.vocab}
            M = np.array([self._raw(r) for r in self.train_rows])
            _, _, vt = np.linalg.svd(M, full_matrices=False)
            self.pc = vt[0]
            self._fitted_for = self.vectors

    def _raw(self, r):
        from policytag.components.categories.model import word_features
        ws = [w for w in word_features(r["doc_tokens"]) if w in self.vectors.vocab]
        if not ws:
            return np.zeros(self.vectors.dim, dtype=np.float32)
        return np.sum([self.wt[w] * self.vectors.vectors[self.vectors.vocab[w]] for w in ws], axis=0) / len(ws)

    def _row(self, r):
        v = self._raw(r)
        if self.pc is not None:
            v = v - self.pc * (v @ self.pc)
        return v / (np.linalg.norm(v) + 1e-9)


class VectorsSection(Vectors):
    """+ the paragraph's word vector and, as a second block, the word vector of its nearest section heading."""

    def _prepare(self, rows):
        super()._prepare(rows)
        todo = [r for r in rows if "sec_tokens" not in r]
        heads = [r["ex"].section[-1] if r["ex"].section else "" for r in todo]
        for r, doc in zip(todo, _TOKNLP.pipe(heads)):
            r["sec_tokens"] = [t.text for t in doc]

    def _row(self, r):
        return np.concatenate([self.vectors.paragraph(r["doc_tokens"]), self.vectors.paragraph(r["sec_tokens"])])


class VectorsMoreText(Vectors):
    """The shipped vectors trained on more unlabelled text: + the SIGHAN 2005 PKU and MSR test-gold sentences (news,
    ~8,000 sentences, joined and re-segmented by the shipped segmenter), read from `SIGHAN_DIR` (experiment only)."""

    SIGHAN_DIR = ROOT.parent / "shared" / "data" / "segmentation"
    _more: list | None = None

    def _prepare(self, rows):
        from policytag.components.categories.model import WordVectors
        self._examples(rows)
        if VectorsMoreText._more is None:
            sents = []
            for name in ("pku_test_gold.utf8", "msr_test_gold.utf8"):
                for line in (self.SIGHAN_DIR / name).read_text("utf-8").splitlines():
                    text = "".join(line.split())
                    if len(text) >= 8:
                        sents.append(text)
            VectorsMoreText._more = [[t.text for t in d] for d in _TOKNLP.pipe(sents)]
        key = ("more", frozenset(r["doc"] for r in self.train_rows))
        if key not in Vectors._cache:
            from policytag.train.trainer import train_word_vectors
            base = [e.tokens for e in self._examples(self.train_rows) if e.tokens]
            news = [r["text"] for r in Corpus(ROOT / "corpus").supplement("train", source="news")]
            toks = base + [[t.text for t in d] for d in _TOKNLP.pipe(news)] + VectorsMoreText._more
            Vectors._cache[key] = WordVectors().fit(toks)
        self.vectors = Vectors._cache[key]


class VectorsSentCues(Vectors):
    """+ the paragraph's word vector and how its text divides among the functions sentence by sentence (ANNOTATION.md:
    the function that takes up most of the text decides): each sentence goes to the category whose cue words
    (cues.json) it holds most, or to none; the share of the paragraph's characters per category and none, times `k`."""

    def __init__(self, weight=2.0, k=0.5, **kw):
        super().__init__(weight, **kw)
        self.k = k

    def _row(self, r):
        from policytag.components.categories.model import _cues
        cues = _cues()["cues"]
        text = r["ex"].text
        v = np.zeros(len(CATEGORIES) + 1)
        for sent in re.findall(r"[^。；！？!?;]+[。；！？!?;]?", text):
            hits = {c: sum(sent.count(w) for w in cues.get(c, ())) for c in CATEGORIES}
            best = max(hits, key=hits.get)
            v[CATEGORIES.index(best) if hits[best] else len(CATEGORIES)] += len(sent)
        v /= max(1, len(text))
        return np.concatenate([self.vectors.paragraph(r["doc_tokens"]), self.k * v])


EXPERIMENTS = {
    "shipped-0.3": lambda: InContext(shipped_mix, 0.0, 0.0),
    "context": lambda: InContext(shipped_mix),
    "context-0.2-0.4": lambda: InContext(shipped_mix, 0.2, 0.4),
    "context-0.5-0.4": lambda: InContext(shipped_mix, 0.5, 0.4),
    "context-0.3-0": lambda: InContext(shipped_mix, 0.3, 0.0),
    "context-0-0.4": lambda: InContext(shipped_mix, 0.0, 0.4),
    "vectors-2-C4-mix": lambda: Mix(lambda: Vectors(2.0, C=4.0), Chars),
    "vectors-2-C16-mix": lambda: Mix(lambda: Vectors(2.0, C=16.0), Chars),
    "vectors-sentcues-2-mix": lambda: Mix(lambda: VectorsSentCues(2.0, 0.5), Chars),
    "vectors-sentcues-2-k1-mix": lambda: Mix(lambda: VectorsSentCues(2.0, 1.0), Chars),
    "vectors-more-2-mix": lambda: Mix(lambda: VectorsMoreText(2.0), Chars),
    "vectors-3-mix": lambda: Mix(lambda: Vectors(3.0), Chars),
    "vectors-sif-2-mix": lambda: Mix(lambda: VectorsSIF(2.0), Chars),
    "vectors-section-2-mix": lambda: Mix(lambda: VectorsSection(2.0), Chars),
    "vectors-mix": lambda: Mix(Vectors, Chars),
    "vectors-0.5-mix": lambda: Mix(lambda: Vectors(0.5), Chars),
    "vectors-2-mix": lambda: Mix(lambda: Vectors(2.0), Chars),
    "readings-mix": lambda: Mix(Readings, Chars),
    "readings-0.5-mix": lambda: Mix(lambda: Readings(0.5), Chars),
    "opener-mix": lambda: Mix(Opener, Chars),
    "opener-0.5-mix": lambda: Mix(lambda: Opener(0.5), Chars),
    "opener": lambda: Opener(),
    "lead-0.5": lambda: Lead(0.5),
    "lead-1": lambda: Lead(1.0),
    "temporal-0.5": lambda: Temporal(0.5),
    "temporal-1": lambda: Temporal(1.0),
    "ens-svm": lambda: Ens("svm"),
    "ens-nb": lambda: Ens("nb", 0.3),
    "mix-section-0.3-chars": lambda: Mix(lambda: Shipped(section_weight=0.3), Chars),
    "mix-shipped-chars-0.3": lambda: Mix(Shipped, Chars, 0.3),
    "section-cues-only": lambda: SectionCues(section_weight=0.0),
    "section-cues-0.3": lambda: SectionCues(section_weight=0.3),
    "section-cues-0.5-w0.5": lambda: SectionCues(weight=0.5, section_weight=0.3),
    "shipped-section-0.3": lambda: Shipped(section_weight=0.3),
    "shipped-section-0.5": lambda: Shipped(section_weight=0.5),
    "shipped-nosection": lambda: NoSection(),
    "shipped-nosection-50k": lambda: NoSection(max_features=50_000),
    "mix-shipped-chars": lambda: Mix(Shipped, Chars),
    "chars-baseline-20k": lambda: Chars(max_features=20_000),
    "chars-baseline-100k": lambda: Chars(max_features=100_000),
    "base-50k": lambda: Base(max_features=50_000),
    "shipped-words-50k": lambda: Shipped(max_features=50_000),
    "shipped-words-50k-w1": lambda: Shipped(max_features=50_000, word_weight=1.0),
    "chars-baseline": lambda: Chars(),
    "chars-baseline-200k": lambda: Chars(max_features=200_000),
    "shipped-words": lambda: Shipped(),
    "words": lambda: Words(),
    "words-bigrams": lambda: Words(bigrams=True),
    "words-w0.5": lambda: Words(weight=0.5),
    "words-w2": lambda: Words(weight=2.0),
    "words-C4": lambda: Words(C=4.0),
    "words-w3": lambda: Words(weight=3.0),
    "words-w4": lambda: Words(weight=4.0),
    "sentences-0.5": lambda: Sentences(0.5),
    "sentences-1.0": lambda: Sentences(1.0),
    "shape": lambda: Shape(),
    "position": lambda: Position(),
    "position-0.5": lambda: Position(weight=0.5),
    "biased": lambda: Biased(),
    "base": lambda: Base(),
    "base-C2": lambda: Base(C=2.0),
    "base-C32": lambda: Base(C=32.0),
    "context-0.3": lambda: Context(0.3),
    "context-0.6": lambda: Context(0.6),
    "stacked": lambda: Stacked(),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    corpus = Corpus(ROOT / "corpus")
    train, dev = load(corpus, "train"), load(corpus, "dev")
    both = train + dev
    for name, make in EXPERIMENTS.items():
        if args.only and name not in args.only:
            continue
        d = run(make, train, dev)
        cv_true, cv_pred = [], []
        for tr, te in folds(both):
            m = make().fit(tr)
            cv_pred += m.predict(te)
            cv_true += [r["y"] for r in te]
        cv = category_scores(cv_true, cv_pred)
        per = " ".join(f"{c[:4]}={cv['per_category'][c]['f']:.2f}" for c in CATEGORIES)
        print(f"{name:14s} dev {d['macro_f1']:.3f}  cv {cv['macro_f1']:.3f} ({per})", flush=True)


if __name__ == "__main__":
    main()
