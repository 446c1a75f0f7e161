"""Metrics: entity P/R/F1 per label (exact span match), AMOUNT reading accuracy, category P/R/F1, macro-F1 and the
confusion matrix."""

from __future__ import annotations

import math
from collections import Counter

CATEGORIES = ("ACHIEVEMENT", "PROBLEM", "GOAL", "MEASURE", "OTHER")
ENTITY_LABELS = ("COMPANY", "PROJECT", "AMOUNT")


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f": f, "tp": tp, "fp": fp, "fn": fn, "support": tp + fn}


def _same_value(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, list) or isinstance(b, list):
        if not (isinstance(a, list) and isinstance(b, list) and len(a) == len(b) == 2):
            return False
        return all(_same_value(x, y) for x, y in zip(a, b))
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def reading_matches(gold: dict, pred: dict) -> bool:
    return (_same_value(gold.get("value"), pred.get("value")) and gold.get("unit") == pred.get("unit")
            and gold.get("comparator") == pred.get("comparator"))


class EntityScorer:
    def __init__(self):
        self.counts = {lab: Counter() for lab in ENTITY_LABELS}
        self.readings = Counter()
        self.reading_errors: list[dict] = []

    def add(self, gold: list[dict], pred: list[dict], text: str = "", rid: str = "") -> None:
        g = {(e["start"], e["end"], e["label"]): e for e in gold}
        p = {(e["start"], e["end"], e["label"]): e for e in pred}
        for key in g.keys() | p.keys():
            lab = key[2]
            if lab not in self.counts:
                continue
            if key in g and key in p:
                self.counts[lab]["tp"] += 1
                if lab == "AMOUNT":
                    self.readings["matched"] += 1
                    if reading_matches(g[key], p[key]):
                        self.readings["correct"] += 1
                    elif len(self.reading_errors) < 200:
                        self.reading_errors.append({"id": rid, "text": g[key]["text"],
                                                    "gold": {k: g[key].get(k) for k in ("value", "unit", "comparator")},
                                                    "pred": {k: p[key].get(k) for k in ("value", "unit", "comparator")}})
            elif key in g:
                self.counts[lab]["fn"] += 1
            else:
                self.counts[lab]["fp"] += 1

    def result(self) -> dict:
        per = {lab: prf(c["tp"], c["fp"], c["fn"]) for lab, c in self.counts.items()}
        tot = Counter()
        for c in self.counts.values():
            tot.update(c)
        m = self.readings["matched"]
        return {"per_label": per, "micro": prf(tot["tp"], tot["fp"], tot["fn"]),
                "amount_readings": {"matched": m, "correct": self.readings["correct"],
                                    "accuracy": self.readings["correct"] / m if m else None}}


def category_scores(gold: list[str], pred: list[str]) -> dict:
    per = {}
    for c in CATEGORIES:
        tp = sum(1 for g, p in zip(gold, pred) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred) if g == c and p != c)
        per[c] = prf(tp, fp, fn)
    present = [c for c in CATEGORIES if per[c]["support"] > 0]
    macro = sum(per[c]["f"] for c in present) / len(present) if present else 0.0
    confusion = {g: {p: sum(1 for a, b in zip(gold, pred) if a == g and b == p) for p in CATEGORIES} for g in CATEGORIES}
    acc = sum(1 for g, p in zip(gold, pred) if g == p) / len(gold) if gold else 0.0
    return {"per_category": per, "macro_f1": macro, "accuracy": acc, "n": len(gold), "confusion": confusion}
