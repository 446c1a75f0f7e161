"""A stacked second stage in place of the report context (not kept): a logistic regression over each paragraph's
out-of-fold scores and those of its neighbours, its section, its top heading and its report, with the heading cue
words, the sub-heading shape, its position and length. Measured on the out-of-fold scores of category_context.py
(document-grouped 5-fold cross-validation over train+dev; the stacker for fold k is fitted on the other folds'
out-of-fold scores; dev: fitted on the train reports' out-of-fold scores). The test split is never read.

    python training/experiments/category_stacking.py

Figures in training/RESULTS.md (session 11).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))

from category_context import K, counts, out_of_fold, posterior, predict  # noqa: E402
from category_features import ROOT, Corpus  # noqa: E402
from policytag.components.categories.context import heading_cue  # noqa: E402
from policytag.components.categories.model import CATEGORIES  # noqa: E402
from policytag.evaluate.metrics import category_scores  # noqa: E402
from policytag.structure import unmarked_subheadings  # noqa: E402

IDX = {c: i for i, c in enumerate(CATEGORIES)}


def cue_vector(head):
    """Which categories' section cue words a heading holds (the shipped `heading_cue`), as 0/1 per category."""
    named = heading_cue([head]).split("+")
    return [float(c in named) for c in CATEGORIES]


def features(rows, P, near=(1, -1), pooled=True):
    """One row per paragraph: its log scores; each neighbour's scores (or a boundary flag); the mean scores of the
    other body paragraphs of its section, of its top heading and of the report; cue words of its top and nearest
    heading; heading / sub-heading flags, relative position, log length, position in its section, last in section."""
    n = len(rows)
    sub = unmarked_subheadings([(r["ex"].text, r["ex"].kind) for r in rows])
    out = []
    for i, r in enumerate(rows):
        ex = r["ex"]
        f = list(np.log(P[i] + 1e-4))
        for d in near:
            j = i + d
            f += (list(P[j]) + [float(rows[j]["ex"].kind != "body"), 0.0]) if 0 <= j < n else [0.0] * K + [0.0, 1.0]
        if pooled:
            for same in (lambda a, b: a.section == b.section, lambda a, b: a.section[:1] == b.section[:1]):
                js = [j for j in range(n) if j != i and rows[j]["ex"].kind == "body" and same(rows[j]["ex"], ex)]
                f += (list(P[js].mean(0)) + [1.0]) if js else [0.0] * (K + 1)
            f += list(P.mean(0))
        sec = ex.section
        f += cue_vector(sec[0] if sec else "") + cue_vector(sec[-1] if sec else "")
        f += [float(ex.kind != "body"), float(sub[i]), i / n, np.log1p(len(ex.text)) / 6, min(r["sec_pos"], 5) / 5,
              float(r["sec_last"])]
        out.append(f)
    return np.array(out)


def fit(reps, C, balance, **kw):
    X = np.vstack([features(rows, P, **kw) for rows, P in reps])
    y = np.array([IDX[r["y"]] for rows, _ in reps for r in rows])
    weights = None
    if balance:
        cnt = np.bincount(y, minlength=K).astype(float)
        weights = {i: w for i, w in enumerate((cnt.sum() / (K * cnt)) ** balance)}
    return LogisticRegression(C=C, max_iter=3000, class_weight=weights).fit(X, y)


def decode(model, fit_reps, test, hmm, **kw):
    y, p = [], []
    within, _, start, prior = counts(fit_reps)
    for rows, P in test:
        Q = model.predict_proba(features(rows, P, **kw))
        if hmm:
            Q = posterior((Q + 1e-9) / prior ** hmm[1], [None] + [within ** hmm[0]] * (len(rows) - 1), start ** hmm[0])
        y += [r["y"] for r in rows]
        p += [CATEGORIES[k] for k in Q.argmax(1)]
    return y, p


def main():
    corpus = Corpus(ROOT / "corpus")
    fold_reps, train_reps, dev_reps = out_of_fold(corpus)
    dev_docs = set(corpus.splits()["dev"])
    oof_train = [rp for _, te in fold_reps for rp in te if rp[0][0]["doc"] not in dev_docs]

    def show(name, ys, ps, dev_y, dev_p):
        cv, d = category_scores(ys, ps), category_scores(dev_y, dev_p)
        print(f"{name:36s} dev {d['macro_f1']:.3f} (acc {d['accuracy']:.3f})  cv {cv['macro_f1']:.3f} "
              f"(acc {cv['accuracy']:.3f}; " + " / ".join(f"{cv['per_category'][c]['f']:.2f}" for c in CATEGORIES)
              + ")", flush=True)

    ys, ps = [], []
    for fit_reps, test in fold_reps:
        y, p = predict(fit_reps, test)
        ys, ps = ys + y, ps + p
    show("shipped report context", ys, ps, *predict(train_reps, dev_reps))

    variants = [("stacked, C 1", {}), ("stacked, C 0.3", {"C": 0.3}), ("stacked, C 3", {"C": 3.0}),
                ("stacked, neighbours ±2", {"near": (1, -1, 2, -2)}), ("stacked, no pooled scores", {"pooled": False}),
                ("stacked, classes balanced^0.4", {"balance": 0.4}), ("stacked, classes balanced", {"balance": 1.0}),
                ("stacked + transitions 0.3, prior 0.4", {"hmm": (0.3, 0.4)})]
    for name, kw in variants:
        C, balance, hmm = kw.pop("C", 1.0), kw.pop("balance", 0), kw.pop("hmm", None)
        ys, ps = [], []
        for k, (fit_reps, test) in enumerate(fold_reps):
            model = fit([rp for j, (_, te) in enumerate(fold_reps) if j != k for rp in te], C, balance, **kw)
            y, p = decode(model, fit_reps, test, hmm, **kw)
            ys, ps = ys + y, ps + p
        show(name, ys, ps, *decode(fit(oof_train, C, balance, **kw), train_reps, dev_reps, hmm, **kw))


if __name__ == "__main__":
    main()
