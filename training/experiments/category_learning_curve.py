"""How the shipped paragraph classifier's cross-validated macro-F1 grows with the number of training reports: document-
grouped k-fold cross-validation over train+dev for several k (each fold's model is fitted on (k-1)/k of the 38
reports), each paragraph alone, with the report context (session 9) and as shipped (the context reading unmarked
sub-headings as OTHER and weighing the top heading's cue words, session 10). The test split is never read.

    python training/experiments/category_learning_curve.py --k 3 5 10

The answer decides whether the shipped classifier is refitted on train+dev once its settings are chosen (RESULTS.md,
session 10).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from category_context import predict, reports  # noqa: E402
from category_features import ROOT, Corpus, folds, load, shipped_mix  # noqa: E402
from policytag.evaluate.metrics import category_scores  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--k", nargs="+", type=int, default=[3, 5, 10])
    args = ap.parse_args()
    corpus = Corpus(ROOT / "corpus")
    both = load(corpus, "train") + load(corpus, "dev")
    n_docs = len({r["doc"] for r in both})
    for k in args.k:
        res = {"alone": ([], []), "context": ([], []), "shipped": ([], [])}
        for tr, te in folds(both, k):
            fit, test = reports(tr), reports(te, shipped_mix().fit(tr).proba(te))
            for name, kw in (("alone", {"lam": 0.0, "pw": 0.0, "sub": False, "heads": 0}),
                             ("context", {"sub": False, "heads": 0}),
                             ("shipped", {})):
                y, p = predict(fit, test, **kw)
                res[name][0].extend(y)
                res[name][1].extend(p)
        line = []
        for name, (y, p) in res.items():
            s = category_scores(y, p)
            line.append(f"{name} {s['macro_f1']:.3f} (acc {s['accuracy']:.3f})")
        print(f"k={k:2d}: fitted on ~{n_docs * (k - 1) / k:.1f} reports: " + "; ".join(line), flush=True)


if __name__ == "__main__":
    main()
