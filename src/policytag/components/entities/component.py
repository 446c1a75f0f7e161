"""spaCy factories: `policytag_entity_rules` (rule-based COMPANY/PROJECT candidates) and `policytag_entity_merge`
(the merge policy that makes the final flat, non-overlapping doc.ents).

Merge policy (ANNOTATION.md §3: flat, non-overlapping, the longer span wins):
1. Candidates: the trained NER's entities (doc.ents when the merge runs), rule spans (doc.spans["entity_rules"]) and
   AMOUNT spans (doc.spans["amounts"]).
2. Longer spans win over shorter overlapping ones, so a PROJECT that contains a company or an amount is kept whole and
   the inner mentions are dropped.
3. Between overlapping spans of equal length: AMOUNT rules over the NER (their readings are exact), then the NER over
   COMPANY/PROJECT rules (the model has seen the context), then the earlier span.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..._util import char_span, non_overlapping
from .rules import find_companies, find_list_items, find_projects

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
        found += find_list_items(doc)
        spans = [span for s, e, label in found if (span := _span(doc, s, e, label)) is not None]
        doc.spans[self.spans_key] = spans
        return doc

    def to_disk(self, path, exclude=tuple()):
        pass

    def from_disk(self, path, exclude=tuple()):
        return self


class EntityMerge:
    PRIORITY = {"amount_rule": 3, "model": 2, "rule": 1}

    def __init__(self, nlp: Language, name: str, rules_key: str = RULES_KEY, amounts_key: str = AMOUNTS_KEY,
                 use_rules: bool = True):
        self.name = name
        self.rules_key = rules_key
        self.amounts_key = amounts_key
        self.use_rules = use_rules

    def __call__(self, doc: Doc) -> Doc:
        cands: list[tuple[Span, int]] = [(e, self.PRIORITY["model"]) for e in doc.ents if e.label_ != "AMOUNT"]
        if self.use_rules and self.rules_key in doc.spans:
            cands += [(s, self.PRIORITY["rule"]) for s in doc.spans[self.rules_key]]
        if self.amounts_key in doc.spans:
            cands += [(s, self.PRIORITY["amount_rule"]) for s in doc.spans[self.amounts_key]]
        prio = {id(span): p for span, p in cands}
        chosen = non_overlapping([s for s, _ in cands],
                                 key=lambda s: (-len(s.text), -prio[id(s)], s.start_char))
        doc.ents = chosen
        return doc

    def to_disk(self, path, exclude=tuple()):
        pass

    def from_disk(self, path, exclude=tuple()):
        return self


@Language.factory("policytag_entity_rules", default_config={"spans_key": RULES_KEY})
def make_entity_rules(nlp: Language, name: str, spans_key: str) -> EntityRules:
    return EntityRules(nlp, name, spans_key)


@Language.factory("policytag_entity_merge",
                  default_config={"rules_key": RULES_KEY, "amounts_key": AMOUNTS_KEY, "use_rules": True})
def make_entity_merge(nlp: Language, name: str, rules_key: str, amounts_key: str, use_rules: bool) -> EntityMerge:
    return EntityMerge(nlp, name, rules_key, amounts_key, use_rules)
