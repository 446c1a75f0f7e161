"""`policytag train`: corpus -> DocBins -> spacy train (tok2vec, ner, textcat) -> scikit-learn classifier -> choice
of the category mode on dev -> the assembled pipeline with rule components -> meta with metrics and licence."""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from pathlib import Path

from ..components.categories.context import ReportContext, heading_cue
from ..components.categories.model import CATEGORIES, CharNgramBaseline, SklearnCategoryModel, WordVectors
from ..components.entities.verifier import token_bounds
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
CHARS_WEIGHTS = (0.0, 0.3, 0.5)  # the character n-gram model's share beside the scikit-learn model


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


def train_word_vectors(corpus: Corpus, tokenizer_nlp, examples: list, seed: int = 0) -> WordVectors:
    """Word vectors for the paragraph classifier from text of the training split only: the words of its categorized
    paragraphs (`examples`, already segmented; every paragraph of a report is categorized) and of the news
    supplement's train sentences."""
    news = [r["text"] for r in corpus.supplement("train", source="news")]
    tokens = [e.tokens for e in examples if e.tokens] + [[t.text for t in doc] for doc in tokenizer_nlp.pipe(news)]
    return WordVectors(seed=seed).fit(tokens)


def choose_category_mode(nlp, corpus: Corpus, sk: SklearnCategoryModel, chars: CharNgramBaseline | None = None
                         ) -> tuple[str, float, float, dict]:
    """Compare the scikit-learn model (alone and mixed with the character n-gram model), textcat, and the weighted
    mean of both on the dev split; return the best mode, its textcat weight, its chars weight and every score."""
    from ..evaluate.runner import corpus_inputs

    clf = nlp.get_pipe("policytag_paragraph_classifier")
    clf.model, clf.baseline = sk, chars
    inputs, gold = corpus_inputs(corpus, "dev")
    pairs = [(i, g) for i, g in zip(inputs, gold) if g["category"]]
    docs = list(nlp.pipe(make_docs(nlp, [i for i, _ in pairs]), disable=["policytag_paragraph_classifier"]))
    y = [g["category"]["label"] for _, g in pairs]
    results = {}
    options = [("sklearn", 0.5, cw) for cw in (CHARS_WEIGHTS if chars is not None else (0.0,))]
    options += [("textcat", 0.5, 0.0)] + [("combined", w, 0.0) for w in TEXTCAT_WEIGHTS]
    for mode, w, cw in options:
        clf.mode, clf.textcat_weight, clf.chars_weight = mode, w, cw
        pred = [max(s, key=s.get) for s in clf._score(docs)]
        name = mode + (f"@{w}" if mode == "combined" else "") + (f"+chars@{cw}" if cw else "")
        results[name] = (category_scores(y, pred)["macro_f1"], mode, w, cw)
    # ties go to the simpler option: the scikit-learn model alone, then the smaller chars weight
    best = max(results.values(), key=lambda v: (v[0], v[1] == "sklearn", -v[3]))
    clf.chars_weight = 0.0
    return best[1], best[2], best[3], {k: v[0] for k, v in results.items()}


def category_sequences(corpus: Corpus, split: str) -> tuple[list[list[str]], list[list[str]]]:
    """Per report of the split, in reading order: the gold categories, and the categorized paragraphs' heading cues
    (`heading_cue`)."""
    labels, cues = [], []
    for doc in corpus.splits()[split]:
        records = [r for r in corpus.records(doc) if r["category"]]
        labels.append([r["category"]["label"] for r in records])
        cues.append([heading_cue(r["section"] or [], r["kind"]) for r in records])
    return labels, cues


NER_STEPS = 2000  # measured on the dev split (training/RESULTS.md)
TEXTCAT_STEPS = 1500  # dev macro-F1 0.544 at 1,500 steps, 0.544 at 2,000 (session 7's run): the best is reached by 1,500
STAGE_EVAL_FREQUENCY = {"ner": 500, "textcat": 500}
MIN_DEV_ENTITIES = 20


VERIFIER_THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
VERIFIER_REJECTS = (0.7, 0.8, 0.9, 0.95)


def _kind(doc_id: str) -> str:
    """The kind of report a corpus document is (national-1999 -> national, seed-002 -> seed)."""
    return doc_id.rsplit("-", 1)[0]


def entity_records(corpus: Corpus, split: str, news: bool = True) -> list[tuple[str, str, list[dict]]]:
    """(document, text, entities) of `split` whose COMPANY/PROJECT were annotated: paragraphs with a reviewed entity
    layer, the report supplement's paragraphs and (with `news`) the news supplement's sentences (document "news")."""
    items = [(r["doc"], r["text"], r["entities"]) for r in corpus.iter_records(split)
             if r["entities"] is not None and r.get("entities_reviewed")]
    items += [(r["doc"], r["text"], r["entities"]) for r in corpus.supplement(split, source="reports")]
    if news:
        items += [("news", r["text"], r["entities"]) for r in corpus.supplement(split, source="news")]
    return items


def entity_texts(corpus: Corpus, split: str, news: bool = True) -> list[tuple[str, list[dict], str]]:
    """(text, entities, kind) of `entity_records`: the kind of report (seed, national) or "news"."""
    return [(text, ents, _kind(doc)) for doc, text, ents in entity_records(corpus, split, news)]


def _gold(ents: list[dict]) -> dict[tuple[int, int], str]:
    return {(e["start"], e["end"]): e["label"] for e in ents if e["label"] in ("COMPANY", "PROJECT")}


def train_verifier(nlp, corpus: Corpus, seed: int = 0, C: float = 1.0, class_weight: str | None = "balanced"):
    """The span verifier, trained on the train split's annotated texts; its candidates there are the rule spans and
    the head-anchored spans (the NER has seen these texts, so its entities would look too good), plus the gold.
    C and class_weight as measured with training/experiments/verifier_dev.py (training/RESULTS.md)."""
    from ..components.entities.verifier import SpanVerifier

    merge = nlp.get_pipe("policytag_entity_merge")
    before = [p for p in nlp.pipe_names[: nlp.pipe_names.index("policytag_entity_merge")] if p not in ("tok2vec", "ner")]
    items = entity_texts(corpus, "train")
    data = []
    with nlp.select_pipes(enable=before):
        for doc, (text, ents, _) in zip(nlp.pipe(t for t, _, _ in items), items):
            data.append((text, merge.candidates(doc, text), _gold(ents), token_bounds(doc)))
    return SpanVerifier(C=C, seed=seed, class_weight=class_weight).fit(data), len(data)


def _f1(c: Counter) -> float:
    return 2 * c["tp"] / max(1, 2 * c["tp"] + c["fp"] + c["fn"])


def choose_merge_policy(nlp, corpus: Corpus) -> tuple[tuple[str, float, float], dict]:
    """The COMPANY/PROJECT merge policy (with the verifier's thresholds) that scores best on the dev split's report
    paragraphs (the product's text: paragraphs with a reviewed entity layer and the report supplement's dev
    paragraphs). The score is the mean over the kinds of report (local seed reports, national reports) of the
    micro-F1 on that kind, so that each kind weighs the same whatever its number of entities. The news supplement's
    dev sentences join only when the dev reports hold fewer than MIN_DEV_ENTITIES COMPANY/PROJECT entities (news
    text favours the NER trained on it: measured in training/RESULTS.md)."""
    items = entity_texts(corpus, "dev", news=False)
    if sum(len(_gold(ents)) for _, ents, _ in items) < MIN_DEV_ENTITIES:
        items += [(r["text"], r["entities"], "news") for r in corpus.supplement("dev", source="news")]
    merge = nlp.get_pipe("policytag_entity_merge")
    before = nlp.pipe_names[: nlp.pipe_names.index("policytag_entity_merge")]
    options = [(p, 0.5, 0.9) for p in ("longest", "model_first", "rules_first", "model_only")]
    if merge.verifier is not None:
        options += [("verified", t, 0.9) for t in VERIFIER_THRESHOLDS]
        options += [("rules_verified", t, r) for t in VERIFIER_THRESHOLDS for r in VERIFIER_REJECTS]
    counts: dict = {o: {} for o in options}
    with nlp.select_pipes(enable=before):
        docs = list(nlp.pipe(t for t, _, _ in items))
    for doc, (text, ents, kind) in zip(docs, items):
        gold = {(s, e, lab) for (s, e), lab in _gold(ents).items()}
        cands = merge.candidates(doc, text) if merge.verifier is not None else []
        bounds = token_bounds(doc)
        scores = merge.verifier.score(text, cands, bounds) if merge.verifier is not None else []
        for policy, t, r in options:
            if policy in ("verified", "rules_verified"):
                chosen = merge.verifier.select(text, cands, t, r if policy == "rules_verified" else None, bounds,
                                               scores=scores)
                pred = {(s, e, lab) for s, e, lab, _ in chosen}
            else:
                merge.policy = policy
                pred = {(s.start_char, s.end_char, s.label_) for s in merge.named(doc)}
            counts[(policy, t, r)].setdefault(kind, Counter()).update(
                tp=len(gold & pred), fp=len(pred - gold), fn=len(gold - pred))
    scores = {o: sum(_f1(c) for c in by_kind.values()) / max(1, len(by_kind)) for o, by_kind in counts.items()}
    best = max(options, key=lambda o: (round(scores[o], 6), o[0] == "rules_first"))
    merge.policy, merge.threshold, merge.reject = best

    def name(o):
        return o[0] + (f"@{o[1]}" if o[0] == "verified" else f"@{o[1]}/{o[2]}" if o[0] == "rules_verified" else "")
    table = {name(o): {"score": round(scores[o], 4), **{k: round(_f1(c), 4) for k, c in sorted(counts[o].items())}}
             for o in options}
    return best, table


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
    (policy, threshold, reject), policy_scores = ("longest", 0.5, 0.9), {}
    if "ner" in nlp.pipe_names:
        verifier, n_texts = train_verifier(nlp, corpus, seed)
        nlp.get_pipe("policytag_entity_merge").verifier = verifier
        log(f"span verifier trained on {n_texts} texts at {time.time() - t0:.0f} s")
        (policy, threshold, reject), policy_scores = choose_merge_policy(nlp, corpus)
        nlp.remove_pipe("policytag_entity_merge")
        merge = nlp.add_pipe("policytag_entity_merge", before="policytag_paragraph_classifier",
                             config={"policy": policy, "threshold": threshold, "reject": reject})
        merge.verifier = verifier
        best = max(policy_scores.values(), key=lambda v: v["score"])
        log(f"entity merge policy on dev: {policy} (threshold {threshold}, reject {reject}); {json.dumps(best)}")

    xs, ys = category_examples(corpus, "train", tok)
    vectors = train_word_vectors(corpus, tok, xs, seed)
    log(f"word vectors: {len(vectors.vocab)} words, {vectors.dim} dimensions at {time.time() - t0:.0f} s")
    sk = SklearnCategoryModel(seed=seed, vectors=vectors).fit(xs, ys)
    # the character n-gram model: a second view mixed into the classifier when dev says so, and the scikit-learn
    # baseline shown beside the model by `policytag evaluate`
    chars = CharNgramBaseline(seed=seed).fit(xs, ys)
    mode, weight, chars_weight, dev_scores = choose_category_mode(nlp, corpus, sk, chars)
    # re-add the classifier with the chosen mode in its config, so that the saved pipeline loads with it
    nlp.remove_pipe("policytag_paragraph_classifier")
    clf = nlp.add_pipe("policytag_paragraph_classifier", last=True,
                       config={"mode": mode, "textcat_weight": weight, "chars_weight": chars_weight})
    clf.model, clf.baseline = sk, chars
    log(f"category mode on dev: {mode} (textcat weight {weight}, chars weight {chars_weight}); "
        f"dev macro-F1 {json.dumps(dev_scores)}")
    # the report context: category transitions and heading cues counted on the train reports (its weights are
    # cross-validated constants, context.py; dev is too small to choose them: training/RESULTS.md)
    clf.context = ReportContext.fit(*category_sequences(corpus, "train"))

    rules_nlp = build_rules_pipeline(segmenter)
    metrics = {"dev": _summary(evaluate(nlp, corpus, "dev", rules_nlp=rules_nlp))}
    log(f"dev macro-F1 with the report context: {metrics['dev']['model'].get('category_macro_f1')}")
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
                      "verifier_threshold": threshold, "verifier_reject": reject,
                      "dev_merge_policies": policy_scores,
                      "textcat_weight": weight, "chars_weight": chars_weight, "dev_category_modes": dev_scores,
                      "training_data": stats,
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
