"""Variants of the paragraph classifier's report context (ReportContext), measured on out-of-fold scores: the shipped
classifier's probabilities for every train+dev paragraph from document-grouped 5-fold cross-validation (the folds of
category_features.py), and for the dev split from a model fitted on train. The test split is never read.

    python training/experiments/category_context.py

Variants: the shipped context over a grid of weights; separate transitions within a section and across a section
boundary; a per-report category prior adapted by EM on the report's own posteriors (Saerens et al. 2002); a one-line
sub-heading's shape (a short body line followed by a longer one of the same section) as a class-conditional
likelihood (session 9); unmarked one-line sub-headings (`policytag.structure.unmarked_subheadings`) emitted as OTHER
(session 10, shipped); the top heading's cue words as a ratio p(category | cue) / p(category) (session 10, shipped).
Figures in training/RESULTS.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from category_features import ROOT, Corpus, folds, load, shipped_mix  # noqa: E402
from policytag.components.categories.context import (HEADING_POWER, SUBHEADING_OTHER,  # noqa: E402
                                                     ReportContext, heading_cue)
from policytag.components.categories.model import CATEGORIES  # noqa: E402
from policytag.evaluate.metrics import category_scores  # noqa: E402
from policytag.structure import unmarked_subheadings  # noqa: E402

K = len(CATEGORIES)


def reports(rows, probs=None):
    """Per report, in reading order: rows and their probability matrix (None for reports only counted)."""
    by: dict[str, list[int]] = {}
    for k, r in enumerate(rows):
        by.setdefault(r["doc"], []).append(k)
    out = []
    for ks in by.values():
        ks.sort(key=lambda k: rows[k]["index"])
        out.append(([rows[k] for k in ks],
                    None if probs is None else np.array([[probs[k][c] for c in CATEGORIES] for k in ks])))
    return out


def counts(reps, boundary=None):
    """Add-one transition counts (within / across a boundary when `boundary` is given), start and prior."""
    idx = {c: i for i, c in enumerate(CATEGORIES)}
    within, across, start, prior = (np.ones((K, K)), np.ones((K, K)), np.ones(K), np.ones(K))
    for rows, _ in reps:
        y = [idx[r["y"]] for r in rows]
        start[y[0]] += 1
        for i in y:
            prior[i] += 1
        for j in range(1, len(y)):
            m = across if boundary and boundary(rows[j - 1], rows[j]) else within
            m[y[j - 1], y[j]] += 1
    norm = lambda a: a / a.sum(-1, keepdims=True)  # noqa: E731
    return norm(within), norm(across), norm(start), norm(prior)


def posterior(E, steps, start):
    """Forward-backward: emissions E (n x K), transition matrix per step (steps[t] from t-1 to t), start weights."""
    n = len(E)
    f, b = np.zeros((n, K)), np.ones((n, K))
    f[0] = start * E[0]
    f[0] /= f[0].sum()
    for t in range(1, n):
        f[t] = (f[t - 1] @ steps[t]) * E[t]
        f[t] /= f[t].sum()
    for t in range(n - 2, -1, -1):
        b[t] = steps[t + 1] @ (E[t + 1] * b[t + 1])
        b[t] /= b[t].sum()
    m = f * b
    return m / m.sum(1, keepdims=True)


def subheading(rows, maxlen=30):
    """1 for a short body line followed by a body line of the same section more than twice its length."""
    out = []
    for j, r in enumerate(rows):
        n = rows[j + 1] if j + 1 < len(rows) else None
        out.append(int(r["ex"].kind == "body" and len(r["ex"].text) <= maxlen and n is not None
                       and n["ex"].section == r["ex"].section and n["ex"].kind == "body"
                       and len(n["ex"].text) > 2 * len(r["ex"].text)))
    return out


def shape_ratio(reps):
    """p(shape | category) / p(shape), add-one counts over the fitted reports."""
    idx = {c: i for i, c in enumerate(CATEGORIES)}
    cnt = np.ones((2, K))
    for rows, _ in reps:
        for r, s in zip(rows, subheading(rows)):
            cnt[s, idx[r["y"]]] += 1
    return (cnt / cnt.sum(0, keepdims=True)) / (cnt.sum(1) / cnt.sum())[:, None]


def anchored(rows, P):
    """P with the rows that are unmarked one-line sub-headings emitted as OTHER, as the shipped classifier does."""
    P = P.copy()
    fixed = np.array([SUBHEADING_OTHER if c == "OTHER" else (1 - SUBHEADING_OTHER) / (K - 1) for c in CATEGORIES])
    for k, flag in enumerate(unmarked_subheadings([(r["ex"].text, r["ex"].kind) for r in rows])):
        if flag:
            P[k] = fixed
    return P


def cues(rows):
    return [heading_cue(r["ex"].section, r["ex"].kind) for r in rows]


def weighed(rows, P, ratios, power):
    """P times each row's heading-cue ratio to `power`, renormalized (a cue unseen in the fit reports: unchanged)."""
    P = P.copy()
    for k, cue in enumerate(cues(rows)):
        if cue in ratios:
            P[k] = P[k] * np.array(ratios[cue]) ** power
            P[k] /= P[k].sum()
    return P


def predict(fit, test, lam=0.3, pw=0.4, boundary=None, em=None, shape=0.0, sub=True, heads=HEADING_POWER):
    """Gold and predicted categories of the test reports, the context counted on the fit reports; `sub`: unmarked
    one-line sub-headings emitted as OTHER; `heads`: the power of the top heading's cue ratio (shipped: both)."""
    within, across, start, prior = counts(fit, boundary)
    R = shape_ratio(fit) if shape else None
    ratios = ReportContext.fit([[r["y"] for r in rows] for rows, _ in fit], [cues(rows) for rows, _ in fit]).headings
    y, p = [], []
    for rows, P in test:
        if heads:
            P = weighed(rows, P, ratios, heads)
        if sub:
            P = anchored(rows, P)
        E = (P + 1e-9) / prior ** pw
        if em is not None:  # (iterations, shrinkage to uniform)
            q = np.full(K, 1.0 / K)
            for _ in range(em[0]):
                post = (P + 1e-9) * q
                post /= post.sum(1, keepdims=True)
                q = (1 - em[1]) * post.mean(0) + em[1] / K
            E = E * q * K
        if shape:
            E = E * np.array([R[s] ** shape for s in subheading(rows)])
        steps = [None] + [(across if boundary and boundary(rows[t - 1], rows[t]) else within) ** lam
                          for t in range(1, len(rows))]
        m = posterior(E, steps, start ** lam)
        y += [r["y"] for r in rows]
        p += [CATEGORIES[k] for k in m.argmax(1)]
    return y, p


def out_of_fold(corpus):
    """Per fold, the fit reports (rows only) and the held-out reports with the shipped classifier's scores; then the
    train reports (rows only) and the dev reports scored by the classifier fitted on train."""
    train, dev = load(corpus, "train"), load(corpus, "dev")
    fold_reps = []
    for tr, te in folds(train + dev):
        fold_reps.append((reports(tr), reports(te, shipped_mix().fit(tr).proba(te))))
        print(f"fold {len(fold_reps)} fitted", flush=True)
    return fold_reps, reports(train), reports(dev, shipped_mix().fit(train).proba(dev))


def main():
    corpus = Corpus(ROOT / "corpus")
    fold_reps, train_reps, dev_reps = out_of_fold(corpus)

    # this file's forward-backward gives the shipped component's predictions
    ctx = ReportContext.fit([[r["y"] for r in rows] for rows, _ in train_reps], [cues(rows) for rows, _ in train_reps])
    for rows, P in dev_reps:
        flags = unmarked_subheadings([(r["ex"].text, r["ex"].kind) for r in rows])
        shipped_pred = [max(s, key=s.get) for s in ctx.apply([dict(zip(CATEGORIES, p)) for p in P], flags, cues(rows))]
        assert predict(train_reps, [(rows, P)])[1] == shipped_pred
    assert any(any(unmarked_subheadings([(r["ex"].text, r["ex"].kind) for r in rows])) for rows, _ in dev_reps)

    dev_docs = set(corpus.splits()["dev"])
    groups = {"local reports": lambda d: d.startswith("seed-"), "national": lambda d: not d.startswith("seed-"),
              "dev reports": lambda d: d in dev_docs}

    def report(name, by_group=False, **kw):
        ys, ps, per = [], [], []
        by_doc = []
        for fit, test in fold_reps:
            y, p = predict(fit, test, **kw)
            per.append(category_scores(y, p)["macro_f1"])
            ys += y
            ps += p
            by_doc += [(rows[0]["doc"], *predict(fit, [(rows, P)], **kw)) for rows, P in test] if by_group else []
        cv, d = category_scores(ys, ps), category_scores(*predict(train_reps, dev_reps, **kw))
        print(f"{name:40s} dev {d['macro_f1']:.3f} (acc {d['accuracy']:.3f})  cv {cv['macro_f1']:.3f} "
              f"(acc {cv['accuracy']:.3f}; folds {' '.join(f'{v:.3f}' for v in per)})", flush=True)
        for g, member in groups.items() if by_group else ():
            s = category_scores([c for doc, y, _ in by_doc if member(doc) for c in y],
                                [c for doc, _, p in by_doc if member(doc) for c in p])
            print(f"    cv, {g}: {s['macro_f1']:.3f} (acc {s['accuracy']:.3f})")

    report("alone", by_group=True, lam=0.0, pw=0.0, sub=False, heads=0)
    report("context 0.3/0.4 (session 9)", by_group=True, sub=False, heads=0)
    report("context 0.3/0.4 + sub-headings", by_group=True, heads=0)
    report("context 0.3/0.4 + sub-headings + heading cues 0.4 (shipped)", by_group=True)
    report("sub-headings alone, no context", lam=0.0, pw=0.0, heads=0)
    report("heading cues alone, no context", lam=0.0, pw=0.0, sub=False)
    for h in (0.25, 0.5, 1.0):
        report(f"shipped, heading cues {h}", heads=h)
    for lam in (0.2, 0.3, 0.4, 0.5):
        for pw in (0.0, 0.25, 0.4, 0.5):
            report(f"context {lam}/{pw} + sub-headings + heading cues", lam=lam, pw=pw)
    report("context 0/0.4 (prior only)", lam=0.0, pw=0.4, sub=False, heads=0)
    report("+ transitions by section path", boundary=lambda a, b: a["ex"].section != b["ex"].section, sub=False,
           heads=0)
    report("+ transitions by top heading", boundary=lambda a, b: a["ex"].section[:1] != b["ex"].section[:1],
           sub=False, heads=0)
    report("+ report prior by EM, shrinkage 0.5", em=(10, 0.5), sub=False, heads=0)
    report("+ report prior by EM, shrinkage 0.3", em=(5, 0.3), sub=False, heads=0)
    report("+ sub-heading shape, power 0.5", shape=0.5, sub=False, heads=0)
    report("+ sub-heading shape, power 1", shape=1.0, sub=False, heads=0)


if __name__ == "__main__":
    main()
