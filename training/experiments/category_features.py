"""Paragraph classifier feature experiments (scikit-learn): macro-F1 on the dev split and in document-grouped
cross-validation over train+dev (5 folds). The test split is never read.

    python training/experiments/category_features.py [--only NAME ...]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from policytag.components.categories.model import CATEGORIES, Example, SklearnCategoryModel  # noqa: E402
from policytag.corpus import Corpus  # noqa: E402
from policytag.evaluate.metrics import category_scores  # noqa: E402


def load(corpus: Corpus, split: str):
    rows = []
    for doc in corpus.splits()[split]:
        recs = corpus.records(doc)
        for i, r in enumerate(recs):
            if r["category"]:
                prev = recs[i - 1]["text"] if i > 0 else ""
                nxt = recs[i + 1]["text"] if i + 1 < len(recs) else ""
                rows.append({"doc": doc, "ex": Example(r["text"], r["section"], r["kind"]), "prev": prev, "next": nxt,
                             "y": r["category"]["label"], "index": i, "n": len(recs)})
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

    def fit(self, rows):
        self.m = SklearnCategoryModel(**self.kw).fit([r["ex"] for r in rows], [r["y"] for r in rows])
        return self

    def proba(self, rows):
        return self.m.predict_proba([r["ex"] for r in rows])

    def predict(self, rows):
        return [max(p, key=p.get) for p in self.proba(rows)]


class Context(Base):
    """Base features + char n-grams of the previous and next paragraphs (weighted)."""

    def __init__(self, weight=0.5, **kw):
        super().__init__(**kw)
        self.weight = weight

    def _ctx(self, rows, fit=False):
        from sklearn.feature_extraction.text import TfidfVectorizer
        if fit:
            self.pv = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), min_df=2, sublinear_tf=True)
            self.nv = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), min_df=2, sublinear_tf=True)
            return self.pv.fit_transform([r["prev"] for r in rows]), self.nv.fit_transform([r["next"] for r in rows])
        return self.pv.transform([r["prev"] for r in rows]), self.nv.transform([r["next"] for r in rows])

    def fit(self, rows):
        from scipy.sparse import hstack
        self.m = SklearnCategoryModel(**self.kw)
        self.m._build()
        X = self.m._matrix([r["ex"] for r in rows], fit=True)
        p, n = self._ctx(rows, fit=True)
        self.m.clf.fit(hstack([X, self.weight * p, self.weight * n]).tocsr(), [r["y"] for r in rows])
        return self

    def proba(self, rows):
        from scipy.sparse import hstack
        X = self.m._matrix([r["ex"] for r in rows])
        p, n = self._ctx(rows)
        probs = self.m.clf.predict_proba(hstack([X, self.weight * p, self.weight * n]).tocsr())
        cl = list(self.m.clf.classes_)
        return [{c: float(row[cl.index(c)]) for c in CATEGORIES} for row in probs]


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


EXPERIMENTS = {
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
