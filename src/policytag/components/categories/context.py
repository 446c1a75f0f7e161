"""A report's paragraphs read in order: the category scores of each paragraph revised by its neighbours'.

Categories come in runs (a review section's results, a tasks section's measures, a list of targets), so a paragraph's
category depends on the categories around it. `ReportContext` is a first-order hidden Markov model over a report's
paragraphs: the classifier's scores for each paragraph, divided by the category's share of the training paragraphs
raised to `prior_power`, are the emissions; the transitions between consecutive paragraphs' categories (and the first
paragraph's category) are counted on the training reports, add-one smoothed, and raised to `transition_weight` (0: the
neighbours count for nothing). The revised scores are the forward-backward posteriors: each paragraph's probability of
each category given the whole report. (The classifier leaves a lone paragraph's scores as they are.)

A report's unmarked one-line sub-headings (`policytag.structure.unmarked_subheadings`: a short sentence above the
longer paragraph that carries it out) are OTHER by corpus/DECISIONS.md whatever they name, though their words are
often a measure's (`大力整顿和规范市场经济秩序，进一步发展市场体系。`). Their emission is fixed at SUBHEADING_OTHER for OTHER
(the rest shared by the other categories) in place of the classifier's scores.

A body paragraph's top heading names the report part it sits in: a review (`一、2023年工作回顾`), the problems
(`二、存在的问题`), the targets, the tasks. Each category's heading cue words (cues.json's section cues) found in the
top heading make the paragraph's heading cue (`heading_cue`: the categories named, '' for none); each cue's ratio
p(category | cue) / p(category), counted on the training reports (add-one), raised to `heading_power`, multiplies the
paragraph's scores before the report is read. (The classifier sees the heading's characters too; the ratio adds
what the cue words say across reports, which a local report's rare problem heading does not teach the classifier.)

`transition_weight`, `prior_power` and `heading_power` were chosen by document-grouped cross-validation over the
train and dev reports (training/RESULTS.md, `training/experiments/category_context.py`); the counts are made by
`policytag train`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from .model import CATEGORIES, _cues

TRANSITION_WEIGHT = 0.3
PRIOR_POWER = 0.4
HEADING_POWER = 0.4
SUBHEADING_OTHER = 0.9


def heading_cue(section: Sequence[str], kind: str = "body") -> str:
    """The categories whose section cue words (cues.json) a body paragraph's top heading contains, joined by '+' in
    category order ('' for none, for no heading, and for a paragraph that is not body text)."""
    if kind != "body" or not section:
        return ""
    cues = _cues()["section_cues"]
    return "+".join(c for c in CATEGORIES if any(w in section[0] for w in cues.get(c, ())))


class ReportContext:
    def __init__(self, transitions: Sequence[Sequence[float]], start: Sequence[float], prior: Sequence[float],
                 transition_weight: float = TRANSITION_WEIGHT, prior_power: float = PRIOR_POWER,
                 headings: dict[str, Sequence[float]] | None = None, heading_power: float = HEADING_POWER):
        k = len(CATEGORIES)
        if len(transitions) != k or any(len(row) != k for row in transitions) or len(start) != k or len(prior) != k:
            raise ValueError(f"report context needs {k}x{k} transitions and {k} start and prior probabilities")
        if any(len(row) != k or min(row) <= 0 for row in (headings or {}).values()):
            raise ValueError(f"report context needs {k} positive ratios per heading cue")
        if not all(0.0 <= w <= 1.0 for w in (transition_weight, prior_power, heading_power)):
            raise ValueError("transition_weight, prior_power and heading_power must be within [0, 1]")
        self.transitions = [[float(v) for v in row] for row in transitions]
        self.start = [float(v) for v in start]
        self.prior = [float(v) for v in prior]
        self.transition_weight = transition_weight
        self.prior_power = prior_power
        self.headings = {key: [float(v) for v in row] for key, row in (headings or {}).items()}
        self.heading_power = heading_power

    @classmethod
    def fit(cls, reports: Iterable[Sequence[str]], cues: Iterable[Sequence[str]] | None = None,
            **kw) -> "ReportContext":
        """Counts from the gold categories of training reports, each a sequence of labels in reading order; with
        `cues`, each report's paragraphs' heading cues (`heading_cue`), in the same order."""
        k = len(CATEGORIES)
        idx = {c: i for i, c in enumerate(CATEGORIES)}
        trans = [[1.0] * k for _ in range(k)]
        start, prior = [1.0] * k, [1.0] * k
        by_cue: dict[str, list[float]] = {}
        n = 0
        reports = list(reports)
        cues = list(cues) if cues is not None else None
        if cues is not None and [len(c) for c in cues] != [len(r) for r in reports]:
            raise ValueError("one heading cue per categorized paragraph is needed")
        for r, labels in enumerate(reports):
            seq = [idx[c] for c in labels]
            if not seq:
                continue
            n += 1
            start[seq[0]] += 1
            for i in seq:
                prior[i] += 1
            for a, b in zip(seq, seq[1:]):
                trans[a][b] += 1
            for cue, i in zip(cues[r] if cues is not None else (), seq):
                by_cue.setdefault(cue, [1.0] * k)[i] += 1
        if n == 0:
            raise ValueError("no categorized report to count category transitions from")
        norm = lambda row: [v / sum(row) for v in row]  # noqa: E731
        overall = norm([sum(row[j] for row in by_cue.values()) for j in range(k)]) if by_cue else None
        headings = {cue: [p / q for p, q in zip(norm(row), overall)] for cue, row in by_cue.items()}
        return cls([norm(row) for row in trans], norm(start), norm(prior), headings=headings, **kw)

    def apply(self, scores: Sequence[dict[str, float]], subheadings: Sequence[bool] | None = None,
              cues: Sequence[str] | None = None) -> list[dict[str, float]]:
        """The forward-backward posteriors of a report's paragraphs (scores in reading order); with `cues` (each
        paragraph's `heading_cue`), the scores weighed by their cue's ratio first; the paragraphs flagged in
        `subheadings` are one-line sub-headings, emitted as OTHER (SUBHEADING_OTHER)."""
        if not scores:
            return []
        if cues is not None and self.headings and self.heading_power > 0:
            if len(cues) != len(scores):
                raise ValueError("one heading cue per paragraph is needed")
            scores = [self._weigh(s, self.headings.get(cue)) for s, cue in zip(scores, cues)]
        if subheadings is not None:
            if len(subheadings) != len(scores):
                raise ValueError("one sub-heading flag per paragraph is needed")
            rest = (1.0 - SUBHEADING_OTHER) / (len(CATEGORIES) - 1)
            fixed = {c: SUBHEADING_OTHER if c == "OTHER" else rest for c in CATEGORIES}
            scores = [fixed if flag else s for s, flag in zip(scores, subheadings)]
        k = len(CATEGORIES)
        lam, pw = self.transition_weight, self.prior_power
        emit = [[(max(s.get(c, 0.0), 0.0) + 1e-9) / self.prior[j] ** pw for j, c in enumerate(CATEGORIES)]
                for s in scores]
        trans = [[v ** lam for v in row] for row in self.transitions]
        start = [v ** lam for v in self.start]

        def normed(v):
            t = sum(v)
            return [x / t for x in v]

        fwd = [normed([start[j] * emit[0][j] for j in range(k)])]
        for e in emit[1:]:
            prev = fwd[-1]
            fwd.append(normed([sum(prev[i] * trans[i][j] for i in range(k)) * e[j] for j in range(k)]))
        bwd = [[1.0] * k for _ in scores]
        for t in range(len(scores) - 2, -1, -1):
            nxt, e = bwd[t + 1], emit[t + 1]
            bwd[t] = normed([sum(trans[i][j] * e[j] * nxt[j] for j in range(k)) for i in range(k)])
        out = []
        for f, b in zip(fwd, bwd):
            post = normed([x * y for x, y in zip(f, b)])
            out.append({c: post[j] for j, c in enumerate(CATEGORIES)})
        return out

    def _weigh(self, scores: dict[str, float], ratio: Sequence[float] | None) -> dict[str, float]:
        if ratio is None:  # a cue no training paragraph had
            return scores
        w = {c: max(scores.get(c, 0.0), 0.0) * ratio[j] ** self.heading_power for j, c in enumerate(CATEGORIES)}
        total = sum(w.values())
        return {c: v / total for c, v in w.items()} if total > 0 else scores

    def to_dict(self) -> dict:
        return {"categories": list(CATEGORIES), "transitions": self.transitions, "start": self.start,
                "prior": self.prior, "transition_weight": self.transition_weight, "prior_power": self.prior_power,
                "headings": self.headings, "heading_power": self.heading_power}

    @classmethod
    def from_dict(cls, data: dict) -> "ReportContext":
        if list(data.get("categories", [])) != list(CATEGORIES):
            raise ValueError("report context was counted over other categories")
        return cls(data["transitions"], data["start"], data["prior"], data["transition_weight"], data["prior_power"],
                   data.get("headings"), data.get("heading_power", HEADING_POWER))

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "ReportContext":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
