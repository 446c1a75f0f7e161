"""doccano 1.8 JSONL rows for the three project types, both directions.

| task         | doccano project type           | label keys of a row                                  |
|--------------|--------------------------------|------------------------------------------------------|
| `spans`      | SequenceLabeling               | `"label": [[start, end, "COMPANY"], ...]`            |
| `categories` | DocumentClassification         | `"label": ["GOAL"]`                                  |
| `joint`      | IntentDetectionAndSlotFilling  | `"entities": [[start, end, "AMOUNT"], ...], "cats": ["GOAL"]` |

Every exported row carries, besides `text` and its labels, the same meta keys (doccano keeps them in the example's
`meta`, puts them back at the top level of its export, and overwrites `id`):
- `policytag_id`: the corpus record id (`<doc>#<index>`);
- `policytag_text_sha`: `corpus.schema.text_hash(text)`;
- `policytag_label_sha`: a hash of the labels as exported, one part per label kind: `c<12 hex>` for the category,
  `e<12 hex>` for the spans (`c…e…` for joint), so an import can tell, part by part, an unchanged row (a no-op)
  from one an annotator changed;
- `policytag_uncertainty` (only with `--order uncertain`, then in every row): the model's uncertainty, see
  `uncertainty_scores`.

Offsets are code points, end-exclusive (doccano's `grapheme_mode` makes its editor count the same way for CJK).
The row functions here are pure; `build_rows` takes the corpus records and, where a label is missing, a loaded
spaCy pipeline.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..corpus.schema import CATEGORIES, ENTITY_LABELS, text_hash

TASKS = ("spans", "categories", "joint")
PROJECT_TYPES = {
    "spans": "SequenceLabeling",
    "categories": "DocumentClassification",
    "joint": "IntentDetectionAndSlotFilling",
}
RESOURCE_TYPES = {
    "SequenceLabeling": "SequenceLabelingProject",
    "DocumentClassification": "TextClassificationProject",
    "IntentDetectionAndSlotFilling": "IntentDetectionAndSlotFillingProject",
}
TASK_OF_PROJECT_TYPE = {v: k for k, v in PROJECT_TYPES.items()}

ID_KEY = "policytag_id"
TEXT_SHA_KEY = "policytag_text_sha"
LABEL_SHA_KEY = "policytag_label_sha"
UNCERTAINTY_KEY = "policytag_uncertainty"
META_KEYS = (ID_KEY, TEXT_SHA_KEY, LABEL_SHA_KEY, UNCERTAINTY_KEY)
# keys doccano adds to its export rows (id: its example id; Comments: the annotators' comments)
DOCCANO_KEYS = ("id", "Comments")

Span = tuple  # (start, end, label)


def has_categories(task: str) -> bool:
    return task in ("categories", "joint")


def has_spans(task: str) -> bool:
    return task in ("spans", "joint")


def span_key(task: str) -> str:
    return "entities" if task == "joint" else "label"


def category_key(task: str) -> str:
    return "cats" if task == "joint" else "label"


def label_keys(task: str) -> tuple[str, ...]:
    return ("entities", "cats") if task == "joint" else ("label",)


def row_keys(task: str, *, uncertainty: bool = False) -> tuple[str, ...]:
    keys = ("text", *label_keys(task), ID_KEY, TEXT_SHA_KEY, LABEL_SHA_KEY)
    return keys + (UNCERTAINTY_KEY,) if uncertainty else keys


# ------------------------------------------------------------------------------------------------ hashes
def _h(obj) -> str:
    data = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return hashlib.sha1(data.encode("utf-8")).hexdigest()[:12]


def canonical_spans(spans: Iterable) -> list[list]:
    """Spans as sorted [start, end, label] lists: the form that is hashed and exported (doccano sorts them too)."""
    return [list(s) for s in sorted((int(s[0]), int(s[1]), str(s[2])) for s in spans)]


def canonical_cats(cats: Iterable[str]) -> list[str]:
    return sorted(str(c) for c in cats)


def part_sha(part: str, value) -> str:
    """`c<hash>` of a category list, `e<hash>` of a span list."""
    if part == "c":
        return "c" + _h(canonical_cats(value))
    return "e" + _h(canonical_spans(value))


def label_sha(task: str, cats: Iterable[str] | None = None, spans: Iterable | None = None) -> str:
    out = ""
    if has_categories(task):
        out += part_sha("c", cats or [])
    if has_spans(task):
        out += part_sha("e", spans or [])
    return out


_SHA = re.compile(r"^(?:c([0-9a-f]{12}))?(?:e([0-9a-f]{12}))?$")


def split_label_sha(value) -> dict[str, str] | None:
    """{"c": "c<hash>", "e": "e<hash>"} (the parts present) of a label sha, or None if it is not one."""
    if not isinstance(value, str) or not value:
        return None
    m = _SHA.match(value)
    if not m or not (m.group(1) or m.group(2)):
        return None
    parts = {}
    if m.group(1):
        parts["c"] = "c" + m.group(1)
    if m.group(2):
        parts["e"] = "e" + m.group(2)
    return parts


def task_of_label_sha(value) -> str | None:
    parts = split_label_sha(value)
    if not parts:
        return None
    return {("c",): "categories", ("e",): "spans", ("c", "e"): "joint"}[tuple(sorted(parts))]


# ------------------------------------------------------------------------------------------------ export rows
def export_row(task: str, record_id: str, text: str, *, cats: Iterable[str] | None = None,
               spans: Iterable | None = None, uncertainty: float | None = None,
               with_uncertainty: bool = False) -> dict:
    """One import-ready row. Keys (and their order) depend only on the task and `with_uncertainty`."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r} (one of {', '.join(TASKS)})")
    cats_l = canonical_cats(cats or [])
    spans_l = canonical_spans(spans or [])
    row: dict = {"text": text}
    if task == "spans":
        row["label"] = spans_l
    elif task == "categories":
        row["label"] = cats_l
    else:
        row["entities"] = spans_l
        row["cats"] = cats_l
    row[ID_KEY] = record_id
    row[TEXT_SHA_KEY] = text_hash(text)
    row[LABEL_SHA_KEY] = label_sha(task, cats_l, spans_l)
    if with_uncertainty:
        row[UNCERTAINTY_KEY] = round(float(uncertainty or 0.0), 4)
    return row


def dumps_rows(rows: Iterable[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def rows_key_problems(rows: list[dict]) -> list[str]:
    """doccano rejects a whole file when one row's keys differ: every row must have the first row's keys."""
    if not rows:
        return []
    first = list(rows[0])
    return [f"row {i + 1} has keys {list(r)} instead of {first}" for i, r in enumerate(rows) if list(r) != first]


def label_types(task: str) -> dict[str, list[str]]:
    """The label types a project of this task needs: {"span": [...], "category": [...]}."""
    out: dict[str, list[str]] = {}
    if has_spans(task):
        out["span"] = list(ENTITY_LABELS)
    if has_categories(task):
        out["category"] = list(CATEGORIES)
    return out


# ------------------------------------------------------------------------------------------------ import rows
@dataclass
class ParsedRow:
    """One row read back from doccano (export file or API), before matching with the corpus."""

    source: str                 # file name (and member of a zip), or the doccano project
    line: int                   # 1-based line in its file (or position in the project's example list)
    annotator: str              # doccano user name, "all" for a collaborative export
    task: str
    text: str
    record_id: str | None
    text_sha: str | None
    label_sha: str | None
    cats: list[str] | None = None           # None when the task has no categories
    spans: list[list] | None = None         # canonical [start, end, label], None when the task has no spans
    span_texts: dict[tuple[int, int, str], str] = field(default_factory=dict)  # text written with a span, if any
    confirmed: bool = False                 # the annotator marked the example done (doccano's checkmark)

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"

    def part_changed(self, part: str) -> bool:
        """Whether part "c" (category) or "e" (spans) differs from what was exported (no label sha: changed)."""
        exported = split_label_sha(self.label_sha)
        if not exported or part not in exported:
            return True
        value = self.cats if part == "c" else self.spans
        return part_sha(part, value or []) != exported[part]


class RowError(ValueError):
    """A structural problem with one row: the file it is in is not imported at all."""


def detect_task(obj: dict) -> str | None:
    """The task of a doccano row from its keys and values (None when it cannot be told)."""
    if "cats" in obj and "entities" in obj:
        return "joint"
    by_sha = task_of_label_sha(obj.get(LABEL_SHA_KEY))
    if by_sha:
        return by_sha
    labels = obj.get("label", obj.get("entities"))
    if isinstance(labels, list) and labels:
        if all(isinstance(x, str) for x in labels):
            return "categories"
        if all(isinstance(x, (list, dict)) for x in labels):
            return "spans"
    return None


def _parse_span(item, n: int) -> tuple[tuple[int, int, str], str | None]:
    text = None
    if isinstance(item, dict):
        s = item.get("start_offset", item.get("start"))
        e = item.get("end_offset", item.get("end"))
        label = item.get("label")
        text = item.get("text")
    elif isinstance(item, list) and len(item) in (3, 4):
        s, e, label = item[0], item[1], item[2]
        text = item[3] if len(item) == 4 else None
    else:
        raise RowError(f"span {n} is not [start, end, label] (got {json.dumps(item, ensure_ascii=False)[:60]})")
    if not (isinstance(s, int) and isinstance(e, int)) or isinstance(s, bool) or isinstance(e, bool):
        raise RowError(f"span {n}: start and end must be integers (got {s!r}, {e!r})")
    if not isinstance(label, str):
        raise RowError(f"span {n}: label must be a string (got {label!r})")
    if text is not None and not isinstance(text, str):
        raise RowError(f"span {n}: text must be a string")
    return (s, e, label), text


def parse_row(obj, task: str, *, source: str, line: int, annotator: str, confirmed: bool = False) -> ParsedRow:
    """A doccano row (dict) as a ParsedRow; raises RowError on a structural problem."""
    if not isinstance(obj, dict):
        raise RowError("a row must be a JSON object")
    text = obj.get("text", obj.get("data"))
    if not isinstance(text, str):
        raise RowError('row has no "text" string')
    rid = obj.get(ID_KEY)
    if rid is not None and not isinstance(rid, str):
        raise RowError(f"{ID_KEY} must be a string (got {rid!r})")
    for key in (TEXT_SHA_KEY, LABEL_SHA_KEY):
        if obj.get(key) is not None and not isinstance(obj.get(key), str):
            raise RowError(f"{key} must be a string")
    row = ParsedRow(source=source, line=line, annotator=annotator, task=task, text=text, record_id=rid or None,
                    text_sha=obj.get(TEXT_SHA_KEY) or None, label_sha=obj.get(LABEL_SHA_KEY) or None,
                    confirmed=confirmed)
    if has_spans(task):
        key = span_key(task)
        if key not in obj and task == "spans" and "entities" in obj:
            key = "entities"  # doccano's export of a SequenceLabeling project with relations
        items = obj.get(key)
        if items is None:
            items = []
        if not isinstance(items, list):
            raise RowError(f'"{key}" must be a list of [start, end, label] spans')
        spans = []
        for n, item in enumerate(items, start=1):
            span, span_text = _parse_span(item, n)
            spans.append(span)
            if span_text is not None:
                row.span_texts[span] = span_text
        row.spans = canonical_spans(spans)
    if has_categories(task):
        key = category_key(task)
        items = obj.get(key)
        if items is None:
            items = []
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list) or not all(isinstance(c, str) for c in items):
            raise RowError(f'"{key}" must be a list of category names')
        row.cats = canonical_cats(items)
    return row


def row_problems(row: ParsedRow) -> list[str]:
    """Problems of a row's labels against ANNOTATION.md on its own text: labels, offsets, span texts, overlaps,
    one category per paragraph. (Matching with the corpus is the importer's.)"""
    problems = []
    n = len(row.text)
    if row.cats is not None:
        for c in row.cats:
            if c not in CATEGORIES:
                problems.append(f"unknown category {c!r} (one of {', '.join(CATEGORIES)})")
        if len(row.cats) > 1:
            problems.append(f"{len(row.cats)} categories {row.cats}: a paragraph has exactly one")
    if row.spans is not None:
        good = []
        for s, e, label in row.spans:
            where = f"span [{s}, {e}) {label}"
            if label not in ENTITY_LABELS:
                problems.append(f"{where}: unknown label {label!r} (one of {', '.join(ENTITY_LABELS)})")
            if not (0 <= s < e <= n):
                problems.append(f"{where}: offsets out of range for text of length {n}")
                continue
            written = row.span_texts.get((s, e, label))
            if written is not None and written != row.text[s:e]:
                problems.append(f"{where}: span text {written!r} does not match the text there {row.text[s:e]!r}")
            good.append((s, e, label))
        for (s1, e1, l1), (s2, e2, l2) in zip(good, good[1:]):
            if s2 < e1:
                problems.append(f"overlapping spans [{s1}, {e1}) {l1} and [{s2}, {e2}) {l2} "
                                f"({row.text[s1:e1]!r}, {row.text[s2:e2]!r}): spans must not overlap "
                                f"(doccano silently drops one of them)")
    return problems


# ------------------------------------------------------------------------------------------------ from the corpus
@dataclass
class Prediction:
    cats: dict[str, float]
    spans: list[tuple[int, int, str]]
    rule_spans: list[tuple[int, int, str]] | None = None


def needs_model(task: str, rec: dict, order: str) -> bool:
    if order == "uncertain":
        return True
    return (has_categories(task) and rec.get("category") is None) or (has_spans(task) and rec.get("entities") is None)


def predict(nlp, records: list[dict], *, rules_nlp=None) -> list[Prediction]:
    """The pipeline's categories and entities for each record (and the rule pipeline's entities, if given)."""
    from ..pipeline.records import ParagraphInput
    from ..pipeline.tagging import make_docs, tag_docs

    if not records:
        return []
    inputs = [ParagraphInput(doc=r["doc"], index=r["index"], text=r["text"], section=list(r.get("section") or []),
                             kind=r.get("kind") or "body") for r in records]
    out = [Prediction(cats={k: float(v) for k, v in doc.cats.items()},
                      spans=[(e.start_char, e.end_char, e.label_) for e in doc.ents])
           for doc in tag_docs(nlp, inputs)]
    if rules_nlp is not None:
        for pred, doc in zip(out, rules_nlp.pipe(make_docs(rules_nlp, inputs))):
            pred.rule_spans = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    return out


def category_margin(cats: dict[str, float]) -> float | None:
    """top1 - top2 of the category scores (None without scores)."""
    if not cats:
        return None
    top = sorted(cats.values(), reverse=True)
    return float(top[0] - (top[1] if len(top) > 1 else 0.0))


def span_disagreement(model_spans: Iterable, rule_spans: Iterable | None) -> float:
    """1 - Jaccard overlap of the model's and the rules' spans (0 when both agree or both are empty)."""
    if rule_spans is None:
        return 0.0
    a, b = set(map(tuple, model_spans)), set(map(tuple, rule_spans))
    if not a and not b:
        return 0.0
    return 1.0 - len(a & b) / len(a | b)


def uncertainty_scores(task: str, pred: Prediction) -> float:
    """How unsure the model is about a paragraph, in [0, 1] (higher first with `--order uncertain`):
    categories: 1 - (top1 - top2) of doc.cats; spans: 1 - Jaccard(model spans, rule spans); joint: the larger."""
    scores = []
    if has_categories(task):
        margin = category_margin(pred.cats)
        scores.append(0.0 if margin is None else 1.0 - margin)
    if has_spans(task):
        scores.append(span_disagreement(pred.spans, pred.rule_spans))
    return max(scores) if scores else 0.0


def record_labels(task: str, rec: dict, pred: Prediction | None) -> tuple[list[str], list[tuple]]:
    """(categories, spans) to pre-annotate a record with: the corpus labels, else the model's."""
    cats: list[str] = []
    spans: list[tuple] = []
    if has_categories(task):
        if rec.get("category") is not None:
            cats = [rec["category"]["label"]]
        elif pred is not None and pred.cats:
            cats = [max(pred.cats, key=pred.cats.get)]
    if has_spans(task):
        if rec.get("entities") is not None:
            spans = [(e["start"], e["end"], e["label"]) for e in rec["entities"]]
        elif pred is not None:
            spans = list(pred.spans)
    return cats, spans


def is_unreviewed(task: str, rec: dict) -> bool:
    cat = rec.get("category")
    cat_open = cat is None or not cat.get("reviewed")
    ents_open = not rec.get("entities_reviewed")
    if task == "categories":
        return cat_open
    if task == "spans":
        return ents_open
    return cat_open or ents_open


def build_rows(task: str, records: list[dict], *, nlp=None, rules_nlp=None, order: str = "corpus",
               only_unreviewed: bool = False, limit: int | None = None) -> list[dict]:
    """Import-ready rows for `records` (corpus order, or most uncertain first). `nlp` is needed when a record lacks
    a label the task has, or for `order="uncertain"` (with `rules_nlp` for the span disagreement)."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r} (one of {', '.join(TASKS)})")
    if order not in ("corpus", "uncertain"):
        raise ValueError(f"unknown order {order!r} (corpus or uncertain)")
    selected = [r for r in records if not only_unreviewed or is_unreviewed(task, r)]
    todo = [i for i, r in enumerate(selected) if needs_model(task, r, order)]
    preds: dict[int, Prediction] = {}
    if todo:
        if nlp is None:
            raise ValueError("a pipeline is needed to pre-annotate unlabelled records or to order by uncertainty")
        for i, p in zip(todo, predict(nlp, [selected[i] for i in todo],
                                      rules_nlp=rules_nlp if has_spans(task) and order == "uncertain" else None)):
            preds[i] = p
    items = []
    for i, rec in enumerate(selected):
        pred = preds.get(i)
        cats, spans = record_labels(task, rec, pred)
        score = uncertainty_scores(task, pred) if order == "uncertain" and pred is not None else None
        items.append((i, score, export_row(task, rec["id"], rec["text"], cats=cats, spans=spans, uncertainty=score,
                                           with_uncertainty=order == "uncertain")))
    if order == "uncertain":
        items.sort(key=lambda t: (-(t[1] or 0.0), t[0]))
    rows = [row for _, _, row in items]
    return rows[:limit] if limit is not None else rows
