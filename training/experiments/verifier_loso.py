"""The span verifier's merge rules measured report by report: for each local report with entity labels in train
(seed-000, seed-004) the verifier is trained without it and scored on it; the dev split (seed-002 and the national
dev reports) is scored with the verifier trained on train, as `policytag train` does. COMPANY/PROJECT micro-F1 per
kind of report (local seeds, national), for the rules alone and for `rules_verified` at each threshold/reject, with
and without the owner rule (a rule PROJECT holding a rule COMPANY is kept). The test split is never read.

    python training/experiments/verifier_loso.py --model models/policytag_zh
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

import spacy  # noqa: E402

from policytag.components.entities.verifier import SpanVerifier, token_bounds  # noqa: E402
from policytag.corpus import Corpus  # noqa: E402
from policytag.train.trainer import VERIFIER_REJECTS, VERIFIER_THRESHOLDS, _gold, entity_records  # noqa: E402

HELD_OUT = ("seed-000", "seed-004")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True, help="a trained pipeline (its rules and NER give the candidates)")
    args = ap.parse_args()
    corpus = Corpus(ROOT / "corpus")
    nlp = spacy.load(args.model)
    merge = nlp.get_pipe("policytag_entity_merge")
    before = nlp.pipe_names[: nlp.pipe_names.index("policytag_entity_merge")]
    no_ner = [p for p in before if p not in ("tok2vec", "ner")]
    train = entity_records(corpus, "train")
    with nlp.select_pipes(enable=no_ner):  # as train_verifier: the NER has seen these texts
        data = [(d, t, merge.candidates(doc, t), _gold(e), token_bounds(doc))
                for doc, (d, t, e) in zip(nlp.pipe(t for _, t, _ in train), train)]
    counts: Counter = Counter()
    targets = [(doc, [x for x in train if x[0] == doc]) for doc in HELD_OUT]
    targets.append(("dev", entity_records(corpus, "dev", news=False)))
    for target, items in targets:
        verifier = SpanVerifier(C=1.0, seed=0, class_weight="balanced").fit(
            [(t, c, g, b) for d, t, c, g, b in data if d != target])
        with nlp.select_pipes(enable=before):
            docs = list(nlp.pipe(t for _, t, _ in items))
        for doc, (d, t, e) in zip(docs, items):
            gold = {(s, end, lab) for (s, end), lab in _gold(e).items()}
            cands, bounds = merge.candidates(doc, t), token_bounds(doc)
            scores = verifier.score(t, cands, bounds)
            preds = {"rules": {(s, end, lab) for s, end, lab in cands if lab}}
            for th in VERIFIER_THRESHOLDS:
                for rj in VERIFIER_REJECTS:
                    for owned in (False, True):
                        chosen = verifier.select(t, cands, th, rj, bounds, keep_owned=owned, scores=scores)
                        preds[f"rules_verified@{th}/{rj}{' +owner' if owned else ''}"] = {
                            (s, end, lab) for s, end, lab, _ in chosen}
            kind = "seed" if d.startswith("seed") else "national"
            for name, pred in preds.items():
                counts[kind, name, "tp"] += len(gold & pred)
                counts[kind, name, "fp"] += len(pred - gold)
                counts[kind, name, "fn"] += len(gold - pred)

    def f1(kind, name):
        tp, fp, fn = (counts[kind, name, k] for k in ("tp", "fp", "fn"))
        return 2 * tp / max(1, 2 * tp + fp + fn), f"tp {tp} fp {fp} fn {fn}"

    names = sorted({n for _, n, _ in counts}, key=lambda n: -(f1("seed", n)[0] + f1("national", n)[0]))
    print(f"{'system':34s} {'mean':>6s}  {'seed F1':>8s} {'':18s} {'national F1':>11s}")
    for n in names:
        (fs, cs), (fn_, cn) = f1("seed", n), f1("national", n)
        print(f"{n:34s} {(fs + fn_) / 2:6.3f}  {fs:8.3f} ({cs:16s}) {fn_:11.3f} ({cn})")


if __name__ == "__main__":
    main()
