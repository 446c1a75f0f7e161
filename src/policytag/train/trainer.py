"""`policytag train`: corpus -> DocBins -> spacy train (tok2vec, ner, textcat) -> scikit-learn classifier -> choice
of the category mode on dev -> the assembled pipeline with rule components -> meta with metrics and licence."""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from pathlib import Path

from ..components.categories.model import CATEGORIES, SklearnCategoryModel
from ..corpus import Corpus
from ..errors import ModelError
from ..evaluate import evaluate
from ..evaluate.metrics import category_scores
from ..pipeline.loading import PIPELINE_NAME, SEGMENTER_NAME, build_rules_pipeline, models_dir
from ..pipeline.tagging import make_docs
from .data import build_docbin, category_examples, cluener_docs

REPO = Path(__file__).resolve().parents[3]
LICENSE = ("code Apache-2.0; segmentation model trained on SIGHAN 2005 bakeoff data (PKU, MSR): "
           "non-commercial research use only")
TEXTCAT_WEIGHTS = (0.3, 0.5, 0.7)


def log(msg: str) -> None:
    print(f"[train] {msg}", flush=True)


def _tokenizer_nlp(segmenter: Path):
    import spacy

    from .. import components  # noqa: F401

    if not (segmenter / "config.cfg").exists():
        raise ModelError(f"segmenter pipeline not found: {segmenter} (run training/segmentation/train_segmenter.py)")
    nlp = spacy.load(segmenter)
    from spacy.language import Language

    if Language.has_factory("policytag_amounts"):
        nlp.add_pipe("policytag_amounts")
    return nlp


def choose_category_mode(nlp, corpus: Corpus, sk: SklearnCategoryModel) -> tuple[str, float, dict]:
    """Compare textcat, scikit-learn and their weighted mean on the dev split; return the best mode."""
    from ..evaluate.runner import corpus_inputs

    clf = nlp.get_pipe("policytag_paragraph_classifier")
    clf.model = sk
    inputs, gold = corpus_inputs(corpus, "dev")
    pairs = [(i, g) for i, g in zip(inputs, gold) if g["category"]]
    docs = list(nlp.pipe(make_docs(nlp, [i for i, _ in pairs]), disable=["policytag_paragraph_classifier"]))
    y = [g["category"]["label"] for _, g in pairs]
    results = {}
    for mode, weights in (("sklearn", (0.5,)), ("textcat", (0.5,)), ("combined", TEXTCAT_WEIGHTS)):
        for w in weights:
            clf.mode, clf.textcat_weight = mode, w
            pred = [max(s, key=s.get) for s in clf._score(docs)]
            results[f"{mode}" + (f"@{w}" if mode == "combined" else "")] = category_scores(y, pred)["macro_f1"]
    best = max(results, key=lambda k: (results[k], k == "sklearn"))
    mode, _, w = best.partition("@")
    return mode, float(w or 0.5), results


def train(*, corpus_dir: str | Path | None = None, config: str | Path | None = None, output: str | Path | None = None,
          segmenter: str | Path | None = None, cluener: str | Path | None = None, cluener_limit: int = 3000,
          max_steps: int | None = None, seed: int = 0, work_dir: str | Path | None = None,
          evaluate_test: bool = True) -> dict:
    import spacy
    from spacy.cli.train import train as spacy_train

    t0 = time.time()
    corpus = Corpus(corpus_dir)
    config = Path(config) if config else REPO / "configs" / "policytag_zh.cfg"
    output = Path(output) if output else models_dir() / PIPELINE_NAME
    segmenter = Path(segmenter) if segmenter else models_dir() / SEGMENTER_NAME
    work = Path(work_dir) if work_dir else REPO / "training" / "work" / "train"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)

    tok = _tokenizer_nlp(segmenter)
    stats = {}
    extra = []
    if cluener:
        cstats: Counter = Counter()
        extra = cluener_docs(tok, Path(cluener), cstats, limit=cluener_limit, seed=seed)
        stats["cluener"] = dict(cstats)
    stats["train"] = dict(build_docbin(corpus, "train", tok, work / "train.spacy", extra))
    stats["dev"] = dict(build_docbin(corpus, "dev", tok, work / "dev.spacy"))
    log(f"training data: {json.dumps(stats, ensure_ascii=False)}")

    overrides = {"paths.train": str(work / "train.spacy"), "paths.dev": str(work / "dev.spacy"),
                 "paths.segmenter": str(segmenter), "system.seed": seed, "training.seed": seed}
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
    has_ner = stats["train"].get("ner_docs", 0) + stats["train"].get("cluener_docs", 0) > 0
    if not has_ner:
        overrides["nlp.pipeline"] = ["tok2vec", "textcat"]
        overrides["training.score_weights"] = {"cats_score": 1.0}
    spacy_train(config, work / "spacy", overrides=overrides, use_gpu=-1)
    log(f"spacy train done in {time.time() - t0:.0f} s")

    nlp = spacy.load(work / "spacy" / "model-best")
    # rule components run first: the AMOUNT recognizer splits tokens, which must happen before tok2vec
    if _has("policytag_amounts"):
        nlp.add_pipe("policytag_amounts", first=True)
        nlp.add_pipe("policytag_entity_rules", after="policytag_amounts")
    else:
        nlp.add_pipe("policytag_entity_rules", first=True)
    nlp.add_pipe("policytag_entity_merge", last=True)
    clf = nlp.add_pipe("policytag_paragraph_classifier", last=True)

    xs, ys = category_examples(corpus, "train")
    sk = SklearnCategoryModel(seed=seed).fit(xs, ys)
    mode, weight, dev_scores = choose_category_mode(nlp, corpus, sk)
    # re-add the classifier with the chosen mode in its config, so that the saved pipeline loads with it
    nlp.remove_pipe("policytag_paragraph_classifier")
    clf = nlp.add_pipe("policytag_paragraph_classifier", last=True, config={"mode": mode, "textcat_weight": weight})
    clf.model = sk
    log(f"category mode on dev: {mode} (textcat weight {weight}); dev macro-F1 {json.dumps(dev_scores)}")

    rules_nlp = build_rules_pipeline(segmenter)
    metrics = {"dev": _summary(evaluate(nlp, corpus, "dev", rules_nlp=rules_nlp))}
    if evaluate_test:
        metrics["test"] = _summary(evaluate(nlp, corpus, "test", rules_nlp=rules_nlp))
    meta = nlp.meta
    meta.update({
        "name": PIPELINE_NAME, "lang": "zh", "version": "0.1.0",
        "description": "policytag: COMPANY / PROJECT / AMOUNT entities with AMOUNT readings, paragraph categories, "
                       "for Chinese government and industrial work reports",
        "license": LICENSE,
        "sources": [
            {"name": "policytag corpus", "version": corpus.version(), "url": "corpus/ in the policytag repository"},
            {"name": "SIGHAN 2005 bakeoff (PKU, MSR) segmentation model", "license": "non-commercial research use"},
        ] + ([{"name": "CLUENER2020 company spans", "url": "github hemingkx/CLUENER2020 @ 4bfd0b5",
               "license": "research benchmark, no licence stated"}] if cluener else []),
        "policytag": {"corpus_version": corpus.version(), "seed": seed, "category_mode": mode,
                      "textcat_weight": weight, "dev_category_modes": dev_scores, "training_data": stats,
                      "metrics": metrics, "train_seconds": round(time.time() - t0)},
    })
    if output.exists():
        shutil.rmtree(output)
    nlp.to_disk(output)
    log(f"wrote {output} in {time.time() - t0:.0f} s")
    return meta["policytag"]


def _has(name: str) -> bool:
    from spacy.language import Language

    return Language.has_factory(name)


def _summary(result: dict) -> dict:
    out = {}
    for name, s in result["systems"].items():
        row = {}
        if "entities" in s:
            for lab, v in s["entities"]["per_label"].items():
                row[f"{lab}_f"] = round(v["f"], 4)
            row["amount_reading_acc"] = s["entities"]["amount_readings"]["accuracy"]
        if "categories" in s:
            row["category_macro_f1"] = round(s["categories"]["macro_f1"], 4)
        out[name] = row
    return out
