"""spaCy factory `policytag_paragraph_classifier`: scores for the five paragraph categories in doc.cats.

Modes (chosen on the dev split by `policytag train`, stored in the pipeline config):
- "sklearn": the scikit-learn model over the paragraph (characters and the segmenter's words), its section heading
  and its kind; with `chars_weight` > 0, mixed with the character n-gram model (`CharNgramBaseline`), a second view
  of the text that is steadier across reports (training/RESULTS.md);
- "textcat": spaCy's trained textcat component (earlier in the pipeline) alone;
- "combined": a weighted mean of both;
- "rules": the cue-word baseline (used when no trained model is present);
- "chars": the scikit-learn baseline (character n-grams of the text alone, `CharNgramBaseline`), which `policytag
  evaluate` shows beside the shipped mode.
The section heading comes from `doc._.section` (set by `policytag.tag` from the report structure); a lone paragraph
has none and is classified from its text alone.

A trained classifier also carries a `ReportContext` (context.py): `in_context` revises the scores of a report's
paragraphs, read in order, by their neighbours' and by their top headings' cue words, and reads the report's unmarked
one-line sub-headings as OTHER (corpus/DECISIONS.md). `policytag.tag`, `policytag tag` and `policytag evaluate` apply
it to every report; `nlp(text)` / `nlp.pipe` see one paragraph at a time and give the paragraph's own scores.
Setting `report_context = false` in the config turns it off.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ... import extensions  # noqa: F401  (Doc._.section, Doc._.paragraph_kind)
from ...structure import unmarked_subheadings
from .context import ReportContext, heading_cue
from .model import CATEGORIES, CharNgramBaseline, Example, SklearnCategoryModel, rules_proba

MODEL_FILE = "sklearn_model.pkl"
BASELINE_FILE = "sklearn_chars.pkl"
CONTEXT_FILE = "report_context.json"
MODES = ("sklearn", "textcat", "combined", "rules", "chars")
TRAINED_MODES = ("sklearn", "textcat", "combined")


class ParagraphClassifier:
    def __init__(self, nlp: Language, name: str, mode: str = "rules", textcat_weight: float = 0.5,
                 chars_weight: float = 0.0, report_context: bool = True):
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; one of {', '.join(MODES)}")
        self.name = name
        self.mode = mode
        self.textcat_weight = textcat_weight
        if not 0.0 <= chars_weight <= 1.0:
            raise ValueError(f"chars_weight must be within [0, 1], not {chars_weight}")
        self.chars_weight = chars_weight
        self.model: SklearnCategoryModel | None = None
        self.baseline: CharNgramBaseline | None = None
        self.report_context = report_context
        self.context: ReportContext | None = None

    @property
    def uses_context(self) -> bool:
        """Whether `in_context` changes anything: a trained mode with the report context counted and switched on."""
        return self.report_context and self.context is not None and self.mode in TRAINED_MODES

    def revise(self, scores: list[dict[str, float]],
               paragraphs: list[Example] | None = None) -> list[dict[str, float]]:
        """One report's category scores, in reading order, revised by their neighbours' (`ReportContext`). Given the
        paragraphs (text, section, kind), their top headings' cue words weigh in, and the report's unmarked one-line
        sub-headings are read as OTHER. Unchanged when the context is off or the report is a lone paragraph."""
        if not (self.uses_context and len(scores) > 1):
            return list(scores)
        if paragraphs is None:
            return self.context.apply(scores)
        if len(paragraphs) != len(scores):
            raise ValueError("one paragraph per score is needed")
        return self.context.apply(scores, unmarked_subheadings([(p.text, p.kind) for p in paragraphs]),
                                  [heading_cue(p.section, p.kind) for p in paragraphs])

    def in_context(self, docs: list[Doc]) -> list[Doc]:
        """One report's paragraphs, in reading order, with `doc.cats` revised (`revise`)."""
        for doc, scores in zip(docs, self.revise([doc.cats for doc in docs], [self.outline(d) for d in docs])):
            doc.cats = scores
        return docs

    @staticmethod
    def outline(doc: Doc) -> Example:
        """The paragraph's text, section and kind, without its words (what `revise` reads)."""
        return Example(doc.text, list(doc._.section or []), doc._.paragraph_kind or "body")

    @staticmethod
    def example(doc: Doc) -> Example:
        return Example(doc.text, list(doc._.section or []), doc._.paragraph_kind or "body", [t.text for t in doc])

    def _textcat_scores(self, doc: Doc) -> dict[str, float] | None:
        scores = {c: float(doc.cats[c]) for c in CATEGORIES if c in doc.cats}
        if len(scores) != len(CATEGORIES):
            return None
        total = sum(scores.values()) or 1.0
        return {c: v / total for c, v in scores.items()}

    def _score(self, docs: list[Doc]) -> list[dict[str, float]]:
        examples = [self.example(d) for d in docs]
        if self.mode == "chars" and self.baseline is not None:
            return self.baseline.predict_proba(examples)
        if self.mode in ("rules", "chars") or (self.mode in ("sklearn", "combined") and self.model is None):
            return [rules_proba(e) for e in examples]
        if self.mode == "textcat":
            return [self._textcat_scores(d) or rules_proba(e) for d, e in zip(docs, examples)]
        sk = self.model.predict_proba(examples)
        if self.chars_weight > 0 and self.baseline is not None:
            w = self.chars_weight
            sk = [{c: (1 - w) * s[c] + w * b[c] for c in CATEGORIES}
                  for s, b in zip(sk, self.baseline.predict_proba(examples))]
        if self.mode == "sklearn":
            return sk
        out = []
        w = self.textcat_weight
        for d, s in zip(docs, sk):
            tc = self._textcat_scores(d)
            out.append(s if tc is None else {c: w * tc[c] + (1 - w) * s[c] for c in CATEGORIES})
        return out

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs, batch_size: int = 256):
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._finish(batch)
                batch = []
        if batch:
            yield from self._finish(batch)

    def _finish(self, batch: list[Doc]):
        for doc, scores in zip(batch, self._score(batch)):
            doc.cats = {c: float(scores[c]) for c in CATEGORIES}
            yield doc

    def to_disk(self, path, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.model is not None:
            self.model.save(path / MODEL_FILE)
        if self.baseline is not None:
            self.baseline.save(path / BASELINE_FILE)
        if self.context is not None:
            self.context.save(path / CONTEXT_FILE)

    def from_disk(self, path, exclude=tuple()):
        f = Path(path) / MODEL_FILE
        self.model = SklearnCategoryModel.load(f) if f.exists() else None
        b = Path(path) / BASELINE_FILE
        self.baseline = CharNgramBaseline.load(b) if b.exists() else None
        c = Path(path) / CONTEXT_FILE
        self.context = ReportContext.load(c) if c.exists() else None
        return self


@Language.factory("policytag_paragraph_classifier",
                  default_config={"mode": "rules", "textcat_weight": 0.5, "chars_weight": 0.0,
                                  "report_context": True})
def make_paragraph_classifier(nlp: Language, name: str, mode: str, textcat_weight: float,
                              chars_weight: float, report_context: bool) -> ParagraphClassifier:
    return ParagraphClassifier(nlp, name, mode, textcat_weight, chars_weight, report_context)
