"""The span verifier against the merge policies on the dev reports (corpus dev paragraphs with a reviewed entity
layer + the report supplement's dev paragraphs). Test is never read.

    python training/experiments/verifier_dev.py --model /tmp/m5 [--no-news] [--C 4]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

import spacy  # noqa: E402

from policytag.components.entities.verifier import SpanVerifier  # noqa: E402
from policytag.corpus import Corpus  # noqa: E402

LAB = ("COMPANY", "PROJECT")


def texts(corpus, split, news=True):
    out = [(r["text"], r["entities"]) for r in corpus.iter_records(split)
           if r["entities"] is not None and r.get("entities_reviewed")]
    out += [(r["text"], r["entities"]) for r in corpus.supplement(split, source="reports")]
    if news:
        out += [(r["text"], r["entities"]) for r in corpus.supplement(split, source="news")]
    return out


def cands(nlp, items, with_ner=True):
    before = nlp.pipe_names[: nlp.pipe_names.index("policytag_entity_merge")]
    out = []
    with nlp.select_pipes(enable=before):
        for doc, (text, ents) in zip(nlp.pipe(t for t, _ in items), items):
            extra = {}
            if with_ner:
                for e in doc.ents:
                    if e.label_ in LAB:
                        extra[(e.start_char, e.end_char)] = None
            for s in doc.spans.get("entity_rules", []):
                extra[(s.start_char, s.end_char)] = s.label_
            gold = {(e["start"], e["end"]): e["label"] for e in ents if e["label"] in LAB}
            out.append((text, SpanVerifier.candidates(text, extra), gold, doc))
    return out


def prf(c):
    return 2 * c["tp"] / max(1, 2 * c["tp"] + c["fp"] + c["fn"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--no-news", action="store_true")
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--balanced", action="store_true")
    ap.add_argument("--corpus-weight", type=float, default=1.0)
    args = ap.parse_args()
    corpus = Corpus(ROOT / "corpus")
    nlp = spacy.load(args.model)
    train = cands(nlp, texts(corpus, "train", not args.no_news), with_ner=False)
    dev = cands(nlp, texts(corpus, "dev", news=False))
    n_corpus = sum(1 for r in corpus.iter_records("train") if r["entities"] is not None and r.get("entities_reviewed"))
    weights = [args.corpus_weight if i < n_corpus else 1.0 for i in range(len(train))]
    v = SpanVerifier(C=args.C, class_weight="balanced" if args.balanced else None).fit(
        [(t, c, g) for t, c, g, _ in train], weights)
    print(f"trained on {len(train)} texts, {sum(len(c) for _, c, _, _ in train)} candidates")
    merge = nlp.get_pipe("policytag_entity_merge")
    n_corpus_dev0 = sum(1 for r in corpus.iter_records("dev") if r["entities"] is not None and r.get("entities_reviewed"))
    for policy in ("rules_first", "longest", "model_only"):
        merge.policy = policy
        parts = [Counter(), Counter()]
        for k, (text, _, gold, doc) in enumerate(dev):
            pred = {((s.start_char, s.end_char), s.label_) for s in merge.named(doc)}
            g = set(gold.items())
            parts[k >= n_corpus_dev0].update(tp=len(g & pred), fp=len(pred - g), fn=len(g - pred))
        print(f"{policy:12s} corpus-dev {prf(parts[0]):.3f} report-supp-dev {prf(parts[1]):.3f} "
              f"pooled {prf(parts[0] + parts[1]):.3f}")
    n_corpus_dev = sum(1 for r in corpus.iter_records("dev") if r["entities"] is not None and r.get("entities_reviewed"))
    for reject in (None, 0.5, 0.7, 0.8, 0.9, 0.95, 2.0):
        for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
            parts = [Counter(), Counter()]
            for k, (text, cs, gold, _) in enumerate(dev):
                pred = {((s, e), lab) for s, e, lab, _ in v.select(text, cs, t, reject)}
                g = set(gold.items())
                parts[k >= n_corpus_dev].update(tp=len(g & pred), fp=len(pred - g), fn=len(g - pred))
            print(f"reject={reject} accept={t}: corpus-dev {prf(parts[0]):.3f} report-supp-dev {prf(parts[1]):.3f} "
                  f"pooled {prf(parts[0] + parts[1]):.3f}")

if __name__ == "__main__":
    main()
