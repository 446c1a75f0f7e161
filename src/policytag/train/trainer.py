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
from .data import build_docbin, category_examples, cluener_docs, supplement_docs

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


NER_STEPS = 2000  # measured on the dev split (training/RESULTS.md)
TEXTCAT_STEPS = 2000
STAGE_EVAL_FREQUENCY = {"ner": 250, "textcat": 500}
MIN_DEV_ENTITIES = 20


def choose_merge_policy(nlp, corpus: Corpus) -> tuple[str, dict]:
    """The COMPANY/PROJECT merge policy with the best micro-F1 on the dev split's report paragraphs (the product's
    text: paragraphs with a reviewed entity layer and the report supplement's dev paragraphs); the news supplement's
    dev sentences join only when the dev reports hold fewer than MIN_DEV_ENTITIES COMPANY/PROJECT entities (news text
    favours the NER trained on it: measured in training/RESULTS.md)."""
    from ..components.entities.component import POLICIES

    items = [(r["text"], r["entities"]) for r in corpus.iter_records("dev")
             if r["entities"] is not None and r.get("entities_reviewed")]
    items += [(r["text"], r["entities"]) for r in corpus.supplement("dev", source="reports")]
    n_report = sum(e["label"] in ("COMPANY", "PROJECT") for _, ents in items for e in ents)
    if n_report < MIN_DEV_ENTITIES:
        items += [(r["text"], r["entities"]) for r in corpus.supplement("dev", source="news")]
    merge = nlp.get_pipe("policytag_entity_merge")
    before = nlp.pipe_names[: nlp.pipe_names.index("policytag_entity_merge")]
    counts = {p: Counter() for p in POLICIES}
    with nlp.select_pipes(enable=before):
        docs = list(nlp.pipe(t for t, _ in items))
    for doc, (_, ents) in zip(docs, items):
        gold = {(e["start"], e["end"], e["label"]) for e in ents if e["label"] in ("COMPANY", "PROJECT")}
        for policy in POLICIES:
            merge.policy = policy
            pred = {(s.start_char, s.end_char, s.label_) for s in merge.named(doc)}
            counts[policy].update(tp=len(gold & pred), fp=len(pred - gold), fn=len(gold - pred))
    scores = {p: 2 * c["tp"] / max(1, 2 * c["tp"] + c["fp"] + c["fn"]) for p, c in counts.items()}
    best = max(POLICIES, key=lambda p: (scores[p], p == "longest"))
    merge.policy = best
    return best, {p: round(v, 4) for p, v in scores.items()}


def train(*, corpus_dir: str | Path | None = None, config: str | Path | None = None, output: str | Path | None = None,
          segmenter: str | Path | None = None, cluener: str | Path | None = None, cluener_limit: int = 3000,
          max_steps: int | None = None, seed: int = 0, work_dir: str | Path | None = None,
          evaluate_test: bool = True, supplement: bool = True) -> dict:
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
    dev_extra = []
    if supplement:  # the supplements: COMPANY/PROJECT-only news sentences and report paragraphs (corpus/supplement)
        sstats: Counter = Counter()
        extra = extra + supplement_docs(tok, corpus, "train", sstats)
        dev_extra = supplement_docs(tok, corpus, "dev", sstats)
        stats["supplement"] = dict(sstats)
    # Two spaCy stages from the one config: the NER (with tok2vec) on the paragraphs and sentences whose entities
    # were annotated, selected on entity F1; the textcat (bag of words, no tok2vec) on categorized paragraphs,
    # selected on macro-F1. Training them apart lets each see only its own data in every batch.
    base = {"paths.segmenter": str(segmenter), "system.seed": seed, "training.seed": seed}
    stage_dirs = {}
    for stage, pipeline, weights, steps, train_extra, dev_extras in (
            ("ner", ["tok2vec", "ner"], {"ents_f": 1.0}, NER_STEPS, extra, dev_extra),
            ("textcat", ["textcat"], {"cats_score": 1.0}, TEXTCAT_STEPS, [], [])):
        st = {"train": dict(build_docbin(corpus, "train", tok, work / f"{stage}-train.spacy", train_extra, stage)),
              "dev": dict(build_docbin(corpus, "dev", tok, work / f"{stage}-dev.spacy", dev_extras, stage))}
        stats[stage] = st
        log(f"{stage} training data: {json.dumps(st, ensure_ascii=False)}")
        if stage == "ner" and not st["train"].get("gold_entities") and not extra:
            continue  # a corpus without entity annotations: no NER
        overrides = dict(base, **{"paths.train": str(work / f"{stage}-train.spacy"),
                                  "paths.dev": str(work / f"{stage}-dev.spacy"), "nlp.pipeline": pipeline,
                                  "training.score_weights": weights,
                                  "training.eval_frequency": STAGE_EVAL_FREQUENCY[stage],
                                  "training.max_steps": max_steps if max_steps is not None else steps})
        spacy_train(config, work / stage, overrides=overrides, use_gpu=-1)
        stage_dirs[stage] = work / stage / "model-best"
        log(f"spacy {stage} stage done at {time.time() - t0:.0f} s")

    if "ner" in stage_dirs:
        nlp = spacy.load(stage_dirs["ner"])
        nlp.add_pipe("textcat", source=spacy.load(stage_dirs["textcat"]))
    else:
        nlp = spacy.load(stage_dirs["textcat"])
    # rule components run first: the AMOUNT recognizer splits tokens, which must happen before tok2vec
    if _has("policytag_amounts"):
        nlp.add_pipe("policytag_amounts", first=True)
        nlp.add_pipe("policytag_entity_rules", after="policytag_amounts")
    else:
        nlp.add_pipe("policytag_entity_rules", first=True)
    nlp.add_pipe("policytag_entity_merge", last=True)
    clf = nlp.add_pipe("policytag_paragraph_classifier", last=True)
    policy, policy_scores = ("longest", {})
    if "ner" in nlp.pipe_names:
        policy, policy_scores = choose_merge_policy(nlp, corpus)
        nlp.remove_pipe("policytag_entity_merge")
        nlp.add_pipe("policytag_entity_merge", before="policytag_paragraph_classifier", config={"policy": policy})
        log(f"entity merge policy on dev: {policy}; COMPANY/PROJECT micro-F1 {json.dumps(policy_scores)}")

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
        ] + ([{"name": "SIGHAN 2005 bakeoff news sentences and train/dev report paragraphs annotated for "
                        "COMPANY/PROJECT (corpus/supplement)",
               "license": "non-commercial research use"}] if supplement else []) + ([{"name": "CLUENER2020 company spans", "url": "github hemingkx/CLUENER2020 @ 4bfd0b5",
               "license": "research benchmark, no licence stated"}] if cluener else []),
        "policytag": {"corpus_version": corpus.version(), "seed": seed, "category_mode": mode, "merge_policy": policy,
                      "dev_merge_policies": policy_scores,
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
