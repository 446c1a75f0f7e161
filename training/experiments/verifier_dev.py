"""The span verifier's hyperparameters (C, class weights) measured with the trainer's own dev choice: the verifier is
trained on the train split as `policytag train` does, then every merge policy and threshold is scored on the dev
reports (mean over report kinds, per kind shown). The test split is never read.

    python training/experiments/verifier_dev.py --model models/policytag_zh [--C 1] [--no-balanced]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

import spacy  # noqa: E402

from policytag.corpus import Corpus  # noqa: E402
from policytag.train.trainer import choose_merge_policy, train_verifier  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="a trained pipeline (its NER gives candidates on dev)")
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--no-balanced", action="store_true", help="no class weights")
    ap.add_argument("--top", type=int, default=12)
    args = ap.parse_args()
    corpus = Corpus(ROOT / "corpus")
    nlp = spacy.load(args.model)
    verifier, n = train_verifier(nlp, corpus, C=args.C, class_weight=None if args.no_balanced else "balanced")
    nlp.get_pipe("policytag_entity_merge").verifier = verifier
    best, table = choose_merge_policy(nlp, corpus)
    print(f"verifier C={args.C} balanced={not args.no_balanced}, {n} train texts; best {best}")
    for name, row in sorted(table.items(), key=lambda kv: -kv[1]["score"])[: args.top]:
        print(f"  {name:28s} {row}")
    for name in ("rules_first", "longest", "model_only"):
        print(f"  {name:28s} {table[name]}")


if __name__ == "__main__":
    main()
