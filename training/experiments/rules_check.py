"""The COMPANY/PROJECT rules alone (the `policytag_entity_rules` spans, before any merge) against the entity labels
of the train and dev texts: true positives, false positives and false negatives per split, kind of report (local
seeds, national) and label. The rules are developed on these texts, so the figures are optimistic; the test split is
never read. `-v` lists each false positive with its context.

    python training/experiments/rules_check.py [--model models/policytag_zh] [-v]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

import spacy  # noqa: E402

from policytag.corpus import Corpus  # noqa: E402
from policytag.train.trainer import _gold, entity_texts  # noqa: E402

LABELS = ("COMPANY", "PROJECT")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(ROOT / "models" / "policytag_zh"))
    ap.add_argument("-v", action="store_true", help="list the false positives")
    args = ap.parse_args()
    corpus = Corpus(ROOT / "corpus")
    nlp = spacy.load(args.model)
    before = [p for p in nlp.pipe_names[: nlp.pipe_names.index("policytag_entity_merge")] if p not in ("tok2vec", "ner")]
    for split in ("train", "dev"):
        items = entity_texts(corpus, split, news=False)
        counts: Counter = Counter()
        with nlp.select_pipes(enable=before):
            for doc, (text, ents, kind) in zip(nlp.pipe(t for t, _, _ in items), items):
                gold = {(s, e, lab) for (s, e), lab in _gold(ents).items()}
                pred = {(s.start_char, s.end_char, s.label_) for s in doc.spans["entity_rules"]}
                for lab in LABELS:
                    g, p = {x for x in gold if x[2] == lab}, {x for x in pred if x[2] == lab}
                    counts[kind, lab, "tp"] += len(g & p)
                    counts[kind, lab, "fp"] += len(p - g)
                    counts[kind, lab, "fn"] += len(g - p)
                    if args.v:
                        for s, e, _ in sorted(p - g):
                            print(f"FP {split} {kind} {lab} {text[max(0, s - 8):s]}[{text[s:e]}]{text[e:e + 6]}")
        for kind in ("seed", "national"):
            for lab in LABELS:
                tp, fp, fn = (counts[kind, lab, k] for k in ("tp", "fp", "fn"))
                print(f"{split:5s} {kind:8s} {lab:7s} tp {tp:3d} fp {fp:3d} fn {fn:3d} F1 {2 * tp / max(1, 2 * tp + fp + fn):.3f}")


if __name__ == "__main__":
    main()
