"""Paragraph category models that are not spaCy's: a scikit-learn model (TF-IDF character n-grams of the paragraph,
TF-IDF of its pkuseg words, character n-grams of its section heading, the paragraph kind, a linear model) and the
rules-only cue-word baseline."""

from __future__ import annotations

import json
import pickle
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

CATEGORIES = ("ACHIEVEMENT", "PROBLEM", "GOAL", "MEASURE", "OTHER")
OTHER_KINDS = ("title", "meta", "salutation", "heading", "signoff")
WORD_WEIGHT = 2.0  # the word block's scale against the character block (cross-validated: training/RESULTS.md)
VECTOR_WEIGHT = 2.0  # the word-vector block's scale (cross-validated: 0.785 at 1, 0.790 at 2; training/RESULTS.md)


@dataclass
class Example:
    text: str
    section: list[str]
    kind: str = "body"
    tokens: list[str] | None = None  # the segmenter's words (doc tokens); None: no word features for this example


def word_features(tokens) -> list[str]:
    """The words a paragraph is made of, numbers folded to one symbol (the AMOUNT recognizer may cut a number
    differently from the segmenter, and a figure's value says nothing of the paragraph's function)."""
    return ["<NUM>" if any(ch.isdigit() for ch in t) else t for t in tokens if t.strip()]


def _section_text(ex: Example) -> str:
    # the nearest heading carries most information; the top heading too
    if not ex.section:
        return ""
    return ex.section[-1] + " | " + ex.section[0] if len(ex.section) > 1 else ex.section[0]


def _text_chars(min_df: int, max_features: int):
    """TF-IDF over the paragraph text's character 1-3-grams (both scikit-learn models)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=min_df, sublinear_tf=True,
                           max_features=max_features)


def _logistic(C: float, seed: int):
    """The linear model of both scikit-learn models: balanced classes, fixed seed."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=2000, class_weight="balanced", random_state=seed)


def _proba_dicts(clf, X) -> list[dict[str, float]]:
    """A fitted classifier's probabilities for the rows of X, one dict over all five categories per row (0 for a
    category the training labels lacked)."""
    classes = list(clf.classes_)
    probs = clf.predict_proba(X)
    return [{c: float(row[classes.index(c)]) if c in classes else 0.0 for c in CATEGORIES} for row in probs]


class WordVectors:
    """PPMI-SVD word vectors trained here (no pretrained vectors can be had offline): co-occurrence counts of the
    segmenter's words (numbers folded, as in `word_features`) within `window` words, positive PMI with context
    smoothing 0.75, truncated SVD to `dim` dimensions, rows L2-normalised. A paragraph's vector is the normalised mean
    of its known words' vectors: words of one function (完成/实现/建成, 力争/确保) get near vectors, which n-grams
    cannot share. Document-grouped cross-validation, mixed classifier: 0.775 -> 0.790 with the block at weight 2
    (training/RESULTS.md, session 7)."""

    def __init__(self, dim: int = 150, window: int = 4, min_count: int = 3, seed: int = 0):
        self.dim, self.window, self.min_count, self.seed = dim, window, min_count, seed
        self.vocab: dict[str, int] = {}
        self.vectors: np.ndarray | None = None

    def fit(self, token_lists) -> "WordVectors":
        from collections import Counter

        from scipy.sparse import coo_matrix
        from sklearn.decomposition import TruncatedSVD

        sents = [word_features(t) for t in token_lists]
        freq = Counter(w for s in sents for w in s)
        self.vocab = {w: i for i, w in enumerate(w for w, c in freq.items() if c >= self.min_count)}
        rows, cols = [], []
        for sent in sents:
            ids = [self.vocab.get(w, -1) for w in sent]
            for i, a in enumerate(ids):
                if a < 0:
                    continue
                for b in ids[max(0, i - self.window):i] + ids[i + 1:i + 1 + self.window]:
                    if b >= 0:
                        rows.append(a)
                        cols.append(b)
        n = len(self.vocab)
        if n < 3 or not rows:
            raise ValueError(f"too little text for word vectors ({n} words seen {self.min_count} times or more)")
        self.dim = min(self.dim, n - 1)  # a small corpus (a tiny training run) gets fewer dimensions
        counts = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
        counts.sum_duplicates()
        total = counts.sum()
        word_p = np.asarray(counts.sum(axis=1)).ravel() / total
        ctx_p = np.asarray(counts.sum(axis=0)).ravel() ** 0.75
        ctx_p /= ctx_p.sum()
        c = counts.tocoo()
        pmi = np.log(c.data / total / word_p[c.row] / ctx_p[c.col])
        keep = pmi > 0
        ppmi = coo_matrix((pmi[keep], (c.row[keep], c.col[keep])), shape=(n, n)).tocsr()
        u = TruncatedSVD(self.dim, random_state=self.seed).fit_transform(ppmi)
        u /= np.linalg.norm(u, axis=1, keepdims=True) + 1e-9
        self.vectors = u.astype(np.float32)
        return self

    def paragraph(self, tokens) -> np.ndarray:
        """The normalised mean vector of the paragraph's known words (zeros when it has none)."""
        ids = [self.vocab[w] for w in word_features(tokens or []) if w in self.vocab]
        if not ids:
            return np.zeros(self.dim, dtype=np.float32)
        v = self.vectors[ids].mean(axis=0)
        return v / (np.linalg.norm(v) + 1e-9)

    def most_similar(self, word: str, n: int = 5) -> list[str]:
        """The `n` words nearest to `word` by cosine (for inspection and tests)."""
        if word not in self.vocab:
            return []
        sims = self.vectors @ self.vectors[self.vocab[word]]
        words = list(self.vocab)
        return [words[i] for i in np.argsort(-sims) if words[i] != word][:n]


class SklearnCategoryModel:
    """TF-IDF char 1-3-grams of the text + TF-IDF of its words (when the examples carry tokens) + char 1-2-grams of
    the section path + kind (+ the paragraph's word vector, with `vectors`), logistic regression. Word unigrams raised
    document-grouped cross-validated macro-F1 from 0.721 to 0.760 (training/RESULTS.md, session 4)."""

    def __init__(self, C: float = 8.0, min_df: int = 2, seed: int = 0, word_weight: float = WORD_WEIGHT,
                 max_features: int = 200_000, section_weight: float = 1.0, vectors: WordVectors | None = None,
                 vector_weight: float = VECTOR_WEIGHT):
        self.C, self.min_df, self.seed, self.word_weight = C, min_df, seed, word_weight
        self.max_features, self.section_weight = max_features, section_weight
        self.vectors = vectors  # fitted beforehand on more text than the labelled paragraphs (the trainer's choice)
        self.vector_weight = vector_weight
        self.pipeline = None

    def _build(self):
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.text_vec = _text_chars(self.min_df, self.max_features)
        self.section_vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), min_df=self.min_df, sublinear_tf=True)
        self.word_vec = TfidfVectorizer(analyzer=word_features, min_df=self.min_df, sublinear_tf=True)
        self.clf = _logistic(self.C, self.seed)

    def _matrix(self, examples: list[Example], fit: bool = False):
        from scipy.sparse import csr_matrix, hstack

        texts = [e.text for e in examples]
        sections = [_section_text(e) or "∅" for e in examples]
        kinds = csr_matrix(np.array([[1.0 if e.kind == k else 0.0 for k in ("body",) + OTHER_KINDS] for e in examples]))
        words = [e.tokens or [] for e in examples]
        if fit:
            blocks = [self.text_vec.fit_transform(texts),
                      self.section_weight * self.section_vec.fit_transform(sections), kinds]
            if any(words):
                blocks.append(self.word_weight * self.word_vec.fit_transform(words))
            else:
                self.word_vec = self.vectors = None  # examples without tokens: a character-only model
        else:
            blocks = [self.text_vec.transform(texts), self.section_weight * self.section_vec.transform(sections),
                      kinds]
            if self.word_vec is not None:
                blocks.append(self.word_weight * self.word_vec.transform(words))
        if self.vectors is not None:
            blocks.append(self.vector_weight * csr_matrix(np.array([self.vectors.paragraph(w) for w in words])))
        return hstack(blocks).tocsr()

    def fit(self, examples: list[Example], labels: list[str]) -> "SklearnCategoryModel":
        self._build()
        self.clf.fit(self._matrix(examples, fit=True), labels)
        self.pipeline = (self.text_vec, self.section_vec, self.clf, self.word_vec, self.vectors)
        return self

    def predict_proba(self, examples: list[Example]) -> list[dict[str, float]]:
        if not examples:
            return []
        return _proba_dicts(self.clf, self._matrix(examples))

    def save(self, path: Path) -> None:
        path.write_bytes(pickle.dumps({"C": self.C, "min_df": self.min_df, "seed": self.seed,
                                       "word_weight": self.word_weight, "max_features": self.max_features,
                                       "section_weight": self.section_weight, "vector_weight": self.vector_weight,
                                       "pipeline": self.pipeline}, protocol=5))

    @classmethod
    def load(cls, path: Path) -> "SklearnCategoryModel":
        data = pickle.loads(path.read_bytes())  # our own shipped file, written by save()
        model = cls(data["C"], data["min_df"], data["seed"], data.get("word_weight", 1.0),
                    data.get("max_features", 200_000), data.get("section_weight", 1.0),
                    vector_weight=data.get("vector_weight", VECTOR_WEIGHT))
        model.pipeline = data["pipeline"]
        # models before session 4: 3 parts; before session 7: 4 (no word vectors)
        model.text_vec, model.section_vec, model.clf, *rest = model.pipeline
        model.word_vec = rest[0] if rest else None
        model.vectors = rest[1] if len(rest) > 1 else None
        return model


class CharNgramBaseline:
    """The scikit-learn baseline `policytag evaluate` shows beside the shipped classifier: TF-IDF character 1-3-grams of
    the paragraph text and a logistic regression, nothing else (no words, no section heading, no kind)."""

    def __init__(self, C: float = 8.0, min_df: int = 2, seed: int = 0, max_features: int = 50_000):
        self.C, self.min_df, self.seed, self.max_features = C, min_df, seed, max_features
        self.vec = self.clf = None

    def fit(self, examples: list[Example], labels: list[str]) -> "CharNgramBaseline":
        self.vec = _text_chars(self.min_df, self.max_features)
        self.clf = _logistic(self.C, self.seed)
        self.clf.fit(self.vec.fit_transform([e.text for e in examples]), labels)
        return self

    def predict_proba(self, examples: list[Example]) -> list[dict[str, float]]:
        if not examples:
            return []
        return _proba_dicts(self.clf, self.vec.transform([e.text for e in examples]))

    def save(self, path: Path) -> None:
        path.write_bytes(pickle.dumps({"C": self.C, "min_df": self.min_df, "seed": self.seed,
                                       "max_features": self.max_features, "vec": self.vec, "clf": self.clf},
                                      protocol=5))

    @classmethod
    def load(cls, path: Path) -> "CharNgramBaseline":
        data = pickle.loads(path.read_bytes())  # our own shipped file, written by save()
        model = cls(data["C"], data["min_df"], data["seed"], data["max_features"])
        model.vec, model.clf = data["vec"], data["clf"]
        return model


@lru_cache(maxsize=1)
def _cues() -> dict:
    return json.loads(resources.files("policytag.components.categories").joinpath("resources/cues.json").read_text("utf-8"))


def rules_proba(ex: Example) -> dict[str, float]:
    """The rules-only baseline: cue-word counts turned into scores that sum to 1."""
    cfg = _cues()
    if ex.kind in cfg["other_kinds"]:
        return {c: (1.0 if c == "OTHER" else 0.0) for c in CATEGORIES}
    scores = {c: 0.0 for c in CATEGORIES}
    scores["OTHER"] = 0.5
    for cat, words in cfg["cues"].items():
        scores[cat] += sum(ex.text.count(w) for w in words) / max(1.0, len(ex.text) / 50)
    heading = _section_text(ex)
    for cat, words in cfg["section_cues"].items():
        if any(w in heading for w in words):
            scores[cat] += cfg["section_weight"]
    values = np.array([scores[c] for c in CATEGORIES])
    values = np.exp(values - values.max())
    values /= values.sum()
    return {c: float(v) for c, v in zip(CATEGORIES, values)}
