"""spaCy factories: `policytag_entity_rules` (rule-based COMPANY/PROJECT candidates) and `policytag_entity_merge`
(the merge policy that makes the final flat, non-overlapping doc.ents).

Merge policy (ANNOTATION.md §3: flat, non-overlapping): see EntityMerge. Candidates are the trained NER's entities
(doc.ents when the merge runs), rule spans (doc.spans["entity_rules"]) and AMOUNT spans (doc.spans["amounts"]).
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..._util import char_span, non_overlapping
from ...errors import ModelError
from ...pipeline.align import split_at
from .rules import find_companies, find_item_projects, find_list_items, find_projects
from .verifier import SpanVerifier, token_bounds

VERIFIER_FILE = "verifier.pkl"

RULES_KEY = "entity_rules"
AMOUNTS_KEY = "amounts"


def _span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    return char_span(doc, start, end, label=label, alignment_mode="expand")


class EntityRules:
    def __init__(self, nlp: Language, name: str, spans_key: str = RULES_KEY):
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        companies = find_companies(doc)
        projects = find_projects(doc, companies)
        found = [(s, e, "COMPANY") for s, e in companies] + [(s, e, "PROJECT") for s, e in projects]
        found += find_list_items(doc, companies=companies)
        found += [(s, e, "PROJECT") for s, e in find_item_projects(doc, companies)]
        split_at(doc, [x for s, e, _ in found for x in (s, e)])  # a name glued to its neighbour (专用车等)
        spans = [span for s, e, label in found if (span := _span(doc, s, e, label)) is not None]
        doc.spans[self.spans_key] = spans
        return doc

    def to_disk(self, path, exclude=tuple()):
        pass

    def from_disk(self, path, exclude=tuple()):
        return self


POLICIES = ("longest", "model_first", "rules_first", "model_only", "verified", "rules_verified")


def _overlaps(span: Span, chosen: list[Span]) -> bool:
    return any(span.start_char < c.end_char and c.start_char < span.end_char for c in chosen)


class EntityMerge:
    """Final doc.ents from the trained NER's COMPANY/PROJECT, the rule spans and the AMOUNT spans.

    COMPANY/PROJECT, by `policy` (chosen on the dev split by `policytag train`, recorded in the pipeline config):
    - "longest": all candidates together, the longer span wins, the model wins a tie;
    - "model_first": the model's entities, then each rule span that overlaps none of them;
    - "rules_first": the rule spans (longer wins among them), then each model entity that overlaps none of them;
    - "model_only": the model's entities alone;
    - "verified": the trained span verifier (verifier.py) scores the rule spans, the model's entities and the
      head-anchored spans, and keeps the best non-overlapping ones whose probability reaches `threshold`;
    - "rules_verified": the rule spans the verifier does not reject (NONE probability below `reject`), then the
      other candidates it accepts (probability at least `threshold`).
    Then AMOUNT spans join: a longer COMPANY/PROJECT containing an amount keeps it (ANNOTATION.md: the project
    wins), otherwise the AMOUNT wins (its reading is exact)."""

    PRIORITY = {"amount_rule": 3, "model": 2, "rule": 1}

    def __init__(self, nlp: Language, name: str, rules_key: str = RULES_KEY, amounts_key: str = AMOUNTS_KEY,
                 use_rules: bool = True, policy: str = "longest", threshold: float = 0.5, reject: float = 0.9):
        if policy not in POLICIES:
            raise ValueError(f"policytag_entity_merge: unknown policy {policy!r} (one of {', '.join(POLICIES)})")
        self.name = name
        self.rules_key = rules_key
        self.amounts_key = amounts_key
        self.use_rules = use_rules
        self.policy = policy
        self.threshold = threshold
        self.reject = reject
        self.verifier: SpanVerifier | None = None

    def candidates(self, doc: Doc, text: str | None = None) -> list[tuple[int, int, str | None]]:
        """The verifier's candidates: head-anchored spans, the model's entities and the rule spans (with their
        label). `text` is doc.text when the caller already has it."""
        extra: dict[tuple[int, int], str | None] = {}
        for e in doc.ents:
            if e.label_ != "AMOUNT":
                extra[(e.start_char, e.end_char)] = None
        if self.use_rules and self.rules_key in doc.spans:
            for s in doc.spans[self.rules_key]:
                extra[(s.start_char, s.end_char)] = s.label_
        return SpanVerifier.candidates(doc.text if text is None else text, extra)

    def _verified(self, doc: Doc) -> list[Span]:
        if self.verifier is None:
            raise ModelError(f"{self.name}: policy {self.policy!r} needs the trained span verifier ({VERIFIER_FILE}), "
                             "which this pipeline does not have")
        reject = self.reject if self.policy == "rules_verified" else None
        text = doc.text
        chosen = self.verifier.select(text, self.candidates(doc, text), self.threshold, reject, token_bounds(doc))
        split_at(doc, [x for s, e, _, _ in chosen for x in (s, e)])
        return [span for s, e, label, _ in chosen if (span := _span(doc, s, e, label)) is not None]

    def named(self, doc: Doc) -> list[Span]:
        """The COMPANY/PROJECT spans chosen by the policy (before AMOUNT spans join)."""
        if self.policy in ("verified", "rules_verified"):
            return self._verified(doc)
        model = [e for e in doc.ents if e.label_ != "AMOUNT"]
        rules = list(doc.spans[self.rules_key]) if self.use_rules and self.rules_key in doc.spans else []
        by_length = lambda s: (-len(s.text), s.start_char)  # noqa: E731
        if self.policy == "model_only" or not rules:
            return non_overlapping(model, key=by_length)
        if self.policy == "longest":
            prio = {id(s): 1 for s in rules}
            return non_overlapping(model + rules, key=lambda s: (-len(s.text), prio.get(id(s), 0), s.start_char))
        first, second = (model, rules) if self.policy == "model_first" else (rules, model)
        chosen = non_overlapping(first, key=by_length)
        chosen += [s for s in non_overlapping(second, key=by_length) if not _overlaps(s, chosen)]
        return chosen

    def __call__(self, doc: Doc) -> Doc:
        named = self.named(doc)
        amounts = list(doc.spans[self.amounts_key]) if self.amounts_key in doc.spans else []
        prio = {id(s): 1 for s in amounts}
        doc.ents = non_overlapping(named + amounts, key=lambda s: (-len(s.text), -prio.get(id(s), 0), s.start_char))
        return doc

    def to_disk(self, path, exclude=tuple()):
        if self.verifier is not None:
            path = Path(path)
            path.mkdir(parents=True, exist_ok=True)
            self.verifier.save(path / VERIFIER_FILE)

    def from_disk(self, path, exclude=tuple()):
        f = Path(path) / VERIFIER_FILE
        self.verifier = SpanVerifier.load(f) if f.exists() else None
        return self


@Language.factory("policytag_entity_rules", default_config={"spans_key": RULES_KEY})
def make_entity_rules(nlp: Language, name: str, spans_key: str) -> EntityRules:
    return EntityRules(nlp, name, spans_key)


@Language.factory("policytag_entity_merge",
                  default_config={"rules_key": RULES_KEY, "amounts_key": AMOUNTS_KEY, "use_rules": True,
                                  "policy": "longest", "threshold": 0.5, "reject": 0.9})
def make_entity_merge(nlp: Language, name: str, rules_key: str, amounts_key: str, use_rules: bool,
                      policy: str, threshold: float, reject: float) -> EntityMerge:
    return EntityMerge(nlp, name, rules_key, amounts_key, use_rules, policy, threshold, reject)
