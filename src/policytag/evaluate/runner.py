"""`policytag evaluate`: the shipped pipeline and its baselines side by side on a corpus split.

Systems: `model` (the pipeline as shipped), `rules` (segmenter + AMOUNT recognizer + COMPANY/PROJECT rules + cue-word
categories), `sklearn` (the scikit-learn baseline: TF-IDF character 1-3-grams of the paragraph text and a logistic
regression, trained on the same train split) and `textcat` (spaCy's textcat alone) when the pipeline has them.
Entities are scored on paragraphs whose entities were annotated; categories on categorized ones. The model's
categories are scored as `policytag tag` gives them: each report's paragraphs in order, in their report's context.
"""

from __future__ import annotations

from ..corpus import Corpus
from ..pipeline.records import ParagraphInput, entity_dict
from ..pipeline.tagging import CLASSIFIER, make_docs, report_runs
from .metrics import CATEGORIES, ENTITY_LABELS, EntityScorer, category_scores

SYSTEMS = {
    "model": "the pipeline as shipped",
    "rules": "segmenter, AMOUNT recognizer, COMPANY/PROJECT rules, cue-word categories",
    "sklearn": "TF-IDF character 1-3-grams of the paragraph + logistic regression (categories only)",
    "textcat": "spaCy's textcat alone (categories only)",
}


def corpus_inputs(corpus: Corpus, split: str | None, docs: list[str] | None = None
                  ) -> tuple[list[ParagraphInput], list[dict]]:
    inputs, gold = [], []
    for rec in corpus.iter_records(None if docs else split, docs=docs):
        if rec["category"] is None and rec["entities"] is None:
            continue
        inputs.append(ParagraphInput(doc=rec["doc"], index=rec["index"], text=rec["text"], section=rec["section"],
                                     kind=rec["kind"], source_span=tuple(rec["source_span"])))
        gold.append(rec)
    return inputs, gold


def _category_systems(nlp, docs, inputs: list[ParagraphInput]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    if CLASSIFIER not in nlp.pipe_names:
        if "textcat" in nlp.pipe_names or "textcat_multilabel" in nlp.pipe_names:
            out["model"] = [dict(d.cats) for d in docs]
        return out
    clf = nlp.get_pipe(CLASSIFIER)
    shipped_mode = clf.mode
    try:
        for name, mode in (("model", shipped_mode), ("rules", "rules"), ("sklearn", "chars"), ("textcat", "textcat")):
            if mode == "chars" and clf.baseline is None:
                continue  # a pipeline trained before the baseline was shipped
            if mode == "textcat" and (not docs or clf._textcat_scores(docs[0]) is None):
                continue  # the pipeline has no textcat
            clf.mode = mode
            scores = clf._score(docs)
            if name == "model":  # each report read in order, as `policytag tag` reads it
                for start, end in report_runs(inputs):
                    scores[start:end] = clf.revise(scores[start:end], [clf.outline(d) for d in docs[start:end]])
            out[name] = scores
    finally:
        clf.mode = shipped_mode
    return out


def evaluate(nlp, corpus: Corpus, split: str | None = "test", rules_nlp=None, docs: list[str] | None = None) -> dict:
    """Scores on a split, or on the documents `docs` (whatever their split)."""
    inputs, gold = corpus_inputs(corpus, split, docs)
    if docs:
        split = "documents " + ",".join(docs) if len(docs) <= 4 else f"{len(docs)} documents"
    if not inputs:
        return {"split": split, "paragraphs": 0, "systems": {}}
    disable = [CLASSIFIER] if CLASSIFIER in nlp.pipe_names else []
    docs = list(nlp.pipe(make_docs(nlp, inputs), disable=disable))
    cat_systems = _category_systems(nlp, docs, inputs)
    ent_systems = {"model": [[entity_dict(e) for e in d.ents] for d in docs]}
    if rules_nlp is not None:
        rdocs = list(rules_nlp.pipe(make_docs(rules_nlp, inputs), disable=[CLASSIFIER] if CLASSIFIER in rules_nlp.pipe_names else []))
        ent_systems["rules"] = [[entity_dict(e) for e in d.ents] for d in rdocs]
    systems: dict[str, dict] = {}
    for name in dict.fromkeys(["model", "rules", "sklearn", "textcat"]):
        res: dict = {}
        if name in ent_systems:
            scorer = EntityScorer()
            n = 0
            for rec, pred in zip(gold, ent_systems[name]):
                if rec["entities"] is None or not rec.get("entities_reviewed"):
                    continue
                n += 1
                scorer.add(rec["entities"], pred, rec["text"], rec["id"])
            res["entities"] = {**scorer.result(), "paragraphs": n}
            res["reading_errors"] = scorer.reading_errors
        if name in cat_systems:
            g, p = [], []
            for rec, scores in zip(gold, cat_systems[name]):
                if rec["category"] is None:
                    continue
                g.append(rec["category"]["label"])
                p.append(max(scores, key=scores.get))
            res["categories"] = category_scores(g, p)
        if res:
            systems[name] = res
    return {"split": split, "paragraphs": len(inputs), "corpus_version": corpus.version(), "systems": systems}


def render(result: dict) -> str:
    systems = result["systems"]
    names = list(systems)
    lines = [f"split {result['split']}: {result['paragraphs']} paragraphs (corpus {result.get('corpus_version', '?')})", ""]
    w = 12
    lines.append(f"{'metric':<28}" + "".join(f"{n:>{w}}" for n in names))

    def row(label, getter):
        cells = []
        for n in names:
            try:
                v = getter(systems[n])
            except (KeyError, TypeError):
                v = None
            cells.append(f"{v:>{w}.3f}" if isinstance(v, float) else f"{'—':>{w}}")
        lines.append(f"{label:<28}" + "".join(cells))

    for lab in ENTITY_LABELS:
        for k, nm in (("p", "P"), ("r", "R"), ("f", "F1")):
            row(f"{lab} {nm}", lambda s, lab=lab, k=k: s["entities"]["per_label"][lab][k])
    row("AMOUNT reading accuracy", lambda s: s["entities"]["amount_readings"]["accuracy"])
    lines.append("")
    for c in CATEGORIES:
        row(f"{c} F1", lambda s, c=c: s["categories"]["per_category"][c]["f"])
    row("category macro-F1", lambda s: s["categories"]["macro_f1"])
    row("category accuracy", lambda s: s["categories"]["accuracy"])
    sup = next((s["entities"] for s in systems.values() if "entities" in s), None)
    if sup:
        lines.append("")
        lines.append("entity support (gold): " + ", ".join(f"{lab} {sup['per_label'][lab]['support']}" for lab in ENTITY_LABELS)
                     + f" in {sup['paragraphs']} paragraphs")
    lines += [""] + [f"{n}: {SYSTEMS[n]}" for n in names if n in SYSTEMS]
    model_cats = systems.get("model", {}).get("categories")
    if model_cats:
        lines += ["", "confusion (model; rows gold, columns predicted):", f"{'':<12}" + "".join(f"{c[:6]:>8}" for c in CATEGORIES)]
        for g in CATEGORIES:
            lines.append(f"{g:<12}" + "".join(f"{model_cats['confusion'][g][p]:>8}" for p in CATEGORIES))
    return "\n".join(lines)
