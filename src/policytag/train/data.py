"""Training data from the corpus: spaCy DocBins (entities COMPANY/PROJECT for the NER, categories for textcat) and
examples for the scikit-learn classifier.

Alignment policy: a training doc is tokenized by the shipped segmenter, then tokens are split (a) where the AMOUNT
recognizer splits them at inference time and (b) at every gold entity boundary that falls inside a token. So no gold
entity is dropped by spaCy (W030) and training and inference see the same tokens around quantities.
Paragraphs whose entities were not annotated keep their entity annotation *missing* (not "no entity"); paragraphs
without a category have no cats, so textcat ignores them.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

from spacy.tokens import Doc, DocBin

from ..components.categories.model import CATEGORIES, Example
from ..corpus import Corpus
from ..pipeline.align import split_at

NER_LABELS = ("COMPANY", "PROJECT")


def category_examples(corpus: Corpus, split: str, tokenizer_nlp=None) -> tuple[list[Example], list[str]]:
    """The categorized paragraphs of `split` as classifier examples, with the segmenter's words when a tokenizer
    pipeline is given (the shipped classifier reads the words of the doc it is given)."""
    recs = [rec for rec in corpus.iter_records(split) if rec["category"]]
    toks = ([[t.text for t in doc] for doc in tokenizer_nlp.pipe(r["text"] for r in recs)]
            if tokenizer_nlp is not None else [None] * len(recs))
    xs = [Example(r["text"], r["section"], r["kind"], t) for r, t in zip(recs, toks)]
    return xs, [r["category"]["label"] for r in recs]


def make_doc(tokenizer_nlp, text: str, ents: list[dict] | None, category: str | None, stats: Counter) -> Doc:
    doc = tokenizer_nlp.make_doc(text)
    if "policytag_amounts" in tokenizer_nlp.pipe_names:
        doc = tokenizer_nlp.get_pipe("policytag_amounts")(doc)  # splits tokens at AMOUNT boundaries
    if ents is not None:
        wanted = [e for e in ents if e["label"] in NER_LABELS]
        stats["gold_entities"] += len(wanted)
        stats["split_tokens"] += split_at(doc, [o for e in wanted for o in (e["start"], e["end"])])
        spans = []
        for e in wanted:
            span = doc.char_span(e["start"], e["end"], label=e["label"])
            if span is None:  # cannot happen after split_at; counted to prove it
                stats["lost_entities"] += 1
                continue
            spans.append(span)
        doc.set_ents(spans, default="outside")
        stats["ner_docs"] += 1
    if category:
        doc.cats = {c: 1.0 if c == category else 0.0 for c in CATEGORIES}
        stats["cat_docs"] += 1
    doc.spans.clear()
    return doc


def cluener_docs(tokenizer_nlp, path: Path, stats: Counter, limit: int | None = None, seed: int = 0) -> list[Doc]:
    """CLUENER2020 sentences with their `company` spans as COMPANY (offsets inclusive there); `government` and other
    labels stay 'outside'. Used only when it helps on the dev split (measured by `policytag train --cluener`)."""
    lines = path.read_text("utf-8").splitlines()
    random.Random(seed).shuffle(lines)
    docs = []
    for line in lines[: limit or None]:
        rec = json.loads(line)
        text = rec["text"]
        ents = []
        for name, offsets in rec.get("label", {}).get("company", {}).items():
            for s, e in offsets:
                if text[s:e + 1] == name:
                    ents.append({"start": s, "end": e + 1, "label": "COMPANY"})
        ents = _non_overlapping(ents)
        docs.append(make_doc(tokenizer_nlp, text, ents, None, stats))
        stats["cluener_docs"] += 1
    return docs


def supplement_docs(tokenizer_nlp, corpus: Corpus, split: str, stats: Counter) -> list[Doc]:
    """The corpus supplements' sentences and paragraphs of `split` (COMPANY/PROJECT annotated, everything else
    outside)."""
    docs = []
    for rec in corpus.supplement(split):
        docs.append(make_doc(tokenizer_nlp, rec["text"], rec["entities"], None, stats))
        stats["supplement_report_docs" if "doc" in rec else "supplement_docs"] += 1
    return docs


def _non_overlapping(ents: list[dict]) -> list[dict]:
    out: list[dict] = []
    for e in sorted(ents, key=lambda x: (-(x["end"] - x["start"]), x["start"])):
        if all(e["end"] <= o["start"] or e["start"] >= o["end"] for o in out):
            out.append(e)
    return sorted(out, key=lambda x: x["start"])


def build_docbin(corpus: Corpus, split: str, tokenizer_nlp, out: Path, extra: list[Doc] = (),
                 purpose: str = "all") -> Counter:
    """A DocBin of the split. purpose "ner": only paragraphs whose entities were annotated, without cats; "textcat":
    only categorized paragraphs, without entities; "all": both (entities missing where not annotated)."""
    stats: Counter = Counter()
    db = DocBin(store_user_data=False)
    for rec in corpus.iter_records(split):
        ents = rec["entities"] if rec["entities"] is not None and rec.get("entities_reviewed") else None
        cat = rec["category"]["label"] if rec["category"] else None
        if purpose == "ner":
            cat = None
        elif purpose == "textcat":
            ents = None
        if ents is None and cat is None:
            continue
        db.add(make_doc(tokenizer_nlp, rec["text"], ents, cat, stats))
    for doc in extra:
        db.add(doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(out)
    return stats
