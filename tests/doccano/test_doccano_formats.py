"""Rows for doccano's three project types, both directions (policytag.doccano.formats)."""

import re

import pytest

from policytag.corpus import text_hash
from policytag.doccano.formats import (
    ID_KEY,
    LABEL_SHA_KEY,
    TEXT_SHA_KEY,
    UNCERTAINTY_KEY,
    Prediction,
    RowError,
    build_rows,
    category_margin,
    detect_task,
    dumps_rows,
    export_row,
    label_sha,
    parse_row,
    predict,
    row_keys,
    row_problems,
    rows_key_problems,
    span_disagreement,
    split_label_sha,
    task_of_label_sha,
    uncertainty_scores,
)

TEXT = "金川集团投资118亿元建设年产4万吨甜玉米生产项目。"  # made for the tests: 金川集团 [0,4), 118亿元 [6,11)
SPANS = [(6, 11, "AMOUNT"), (0, 4, "COMPANY")]


def parse(obj, task, **kw):
    return parse_row(obj, task, source="t.jsonl", line=1, annotator="anna", **kw)


# ------------------------------------------------------------------------------------------------ export rows
def test_spans_row_is_sequence_labeling_jsonl():
    row = export_row("spans", "seed-000#3", TEXT, spans=SPANS)
    assert list(row) == ["text", "label", ID_KEY, TEXT_SHA_KEY, LABEL_SHA_KEY]
    assert row["label"] == [[0, 4, "COMPANY"], [6, 11, "AMOUNT"]]  # sorted, as doccano sorts its export
    assert row[ID_KEY] == "seed-000#3" and "id" not in row
    assert row[TEXT_SHA_KEY] == text_hash(TEXT)
    assert split_label_sha(row[LABEL_SHA_KEY]).keys() == {"e"}


def test_categories_row_is_document_classification_jsonl():
    row = export_row("categories", "seed-000#3", TEXT, cats=["GOAL"])
    assert list(row) == ["text", "label", ID_KEY, TEXT_SHA_KEY, LABEL_SHA_KEY]
    assert row["label"] == ["GOAL"]
    assert task_of_label_sha(row[LABEL_SHA_KEY]) == "categories"


def test_joint_row_is_intent_detection_jsonl():
    row = export_row("joint", "seed-000#3", TEXT, cats=["GOAL"], spans=SPANS)
    assert list(row) == ["text", "entities", "cats", ID_KEY, TEXT_SHA_KEY, LABEL_SHA_KEY]
    assert row["entities"] == [[0, 4, "COMPANY"], [6, 11, "AMOUNT"]] and row["cats"] == ["GOAL"]
    parts = split_label_sha(row[LABEL_SHA_KEY])
    assert parts.keys() == {"c", "e"}
    assert task_of_label_sha(row[LABEL_SHA_KEY]) == "joint"


def test_uncertainty_key_in_every_row_when_ordering():
    rows = [export_row("spans", f"d#{i}", TEXT, with_uncertainty=True, uncertainty=u)
            for i, u in enumerate([0.5, None])]
    assert [list(r) for r in rows] == [list(row_keys("spans", uncertainty=True))] * 2
    assert rows[1][UNCERTAINTY_KEY] == 0.0


def test_label_sha_changes_with_labels_only():
    a = label_sha("joint", ["GOAL"], SPANS)
    assert a == label_sha("joint", ["GOAL"], list(reversed(SPANS)))  # order does not matter
    assert a != label_sha("joint", ["MEASURE"], SPANS)
    assert split_label_sha(a)["e"] == split_label_sha(label_sha("joint", ["MEASURE"], SPANS))["e"]
    assert split_label_sha("not a sha") is None and split_label_sha("") is None and split_label_sha(None) is None


def test_unknown_task_refused():
    with pytest.raises(ValueError):
        export_row("ner", "d#0", TEXT)


def test_rows_key_problems_finds_a_differing_row():
    rows = [export_row("spans", "d#0", TEXT), export_row("spans", "d#1", TEXT)]
    assert rows_key_problems(rows) == []
    rows[1]["extra"] = 1
    assert len(rows_key_problems(rows)) == 1


# ------------------------------------------------------------------------------------------------ import rows
@pytest.mark.parametrize("task", ["spans", "categories", "joint"])
def test_export_then_parse_is_unchanged(task):
    row = export_row(task, "seed-000#3", TEXT, cats=["GOAL"], spans=SPANS)
    doccano = {"id": 7, **row, "Comments": []}  # doccano adds its own id and the comments
    parsed = parse(doccano, task)
    assert parsed.record_id == "seed-000#3" and parsed.text == TEXT
    for part in ("c", "e"):
        if part in split_label_sha(row[LABEL_SHA_KEY]):
            assert not parsed.part_changed(part)
    if task != "categories":
        assert parsed.spans == [[0, 4, "COMPANY"], [6, 11, "AMOUNT"]]
    if task != "spans":
        assert parsed.cats == ["GOAL"]


def test_changed_part_is_detected_per_part():
    row = export_row("joint", "d#0", TEXT, cats=["GOAL"], spans=SPANS)
    row["cats"] = ["MEASURE"]
    parsed = parse(row, "joint")
    assert parsed.part_changed("c") and not parsed.part_changed("e")


def test_row_without_sha_counts_as_changed():
    parsed = parse({"text": TEXT, "label": [[0, 4, "COMPANY"]]}, "spans")
    assert parsed.record_id is None and parsed.part_changed("e")


def test_dict_spans_and_spans_with_text_are_read():
    parsed = parse({"text": TEXT, "entities": [{"id": 3, "label": "COMPANY", "start_offset": 0, "end_offset": 4}]},
                   "spans")
    assert parsed.spans == [[0, 4, "COMPANY"]]
    parsed = parse({"text": TEXT, "label": [[0, 4, "COMPANY", "金川集团"]]}, "spans")
    assert parsed.span_texts == {(0, 4, "COMPANY"): "金川集团"} and row_problems(parsed) == []


@pytest.mark.parametrize("obj, task, message", [
    (["not", "an", "object"], "spans", "JSON object"),
    ({"label": []}, "spans", '"text"'),
    ({"text": TEXT, "label": "COMPANY"}, "spans", "must be a list"),
    ({"text": TEXT, "label": [[0, 4]]}, "spans", "span 1 is not"),
    ({"text": TEXT, "label": [["0", 4, "COMPANY"]]}, "spans", "integers"),
    ({"text": TEXT, "label": [[0, 4, 5]]}, "spans", "label must be a string"),
    ({"text": TEXT, "label": [[True, 4, "COMPANY"]]}, "spans", "integers"),
    ({"text": TEXT, "label": [["GOAL"]]}, "categories", "category names"),
    ({"text": TEXT, "cats": "GOAL", "entities": {}}, "joint", "must be a list"),
    ({"text": TEXT, "label": [], ID_KEY: 12}, "spans", "policytag_id must be a string"),
])
def test_structural_errors(obj, task, message):
    with pytest.raises(RowError, match=message):
        parse(obj, task)


@pytest.mark.parametrize("labels, task, message", [
    ([[0, 4, "ORG"]], "spans", "unknown label 'ORG'"),
    ([[0, 99, "COMPANY"]], "spans", "offsets out of range"),
    ([[-1, 4, "COMPANY"]], "spans", "offsets out of range"),
    ([[4, 4, "COMPANY"]], "spans", "offsets out of range"),
    ([[0, 4, "COMPANY", "金川公司"]], "spans", "does not match the text there"),
    ([[0, 4, "COMPANY"], [2, 8, "PROJECT"]], "spans", "overlapping spans .*doccano silently drops"),
    (["GOALS"], "categories", "unknown category 'GOALS'"),
    (["GOAL", "MEASURE"], "categories", "exactly one"),
])
def test_validation_problems(labels, task, message):
    problems = row_problems(parse({"text": TEXT, "label": labels}, task))
    assert len(problems) == 1
    assert re.search(message, problems[0])


def test_detect_task():
    assert detect_task({"text": "x", "cats": [], "entities": []}) == "joint"
    assert detect_task({"text": "x", "label": ["GOAL"]}) == "categories"
    assert detect_task({"text": "x", "label": [[0, 1, "AMOUNT"]]}) == "spans"
    assert detect_task({"text": "x", "label": [], LABEL_SHA_KEY: label_sha("categories", [])}) == "categories"
    assert detect_task({"text": "x", "label": []}) is None


# ------------------------------------------------------------------------------------------------ from the corpus
def test_build_rows_uses_corpus_labels_and_model_for_missing(corpus, nlp):
    recs = corpus.records("seed-000")
    rows = build_rows("joint", recs, nlp=nlp)
    assert len(rows) == len(recs) and rows_key_problems(rows) == []
    by_id = {r[ID_KEY]: r for r in rows}
    # reviewed corpus entities and categories travel as they are
    r3 = recs[3]
    assert by_id["seed-000#3"]["entities"] == sorted([e["start"], e["end"], e["label"]] for e in r3["entities"])
    assert by_id["seed-000#3"]["cats"] == [r3["category"]["label"]]
    # records without entities are pre-annotated by the pipeline
    pred = predict(nlp, [recs[5]])[0]
    assert by_id["seed-000#5"]["entities"] == sorted([s, e, lab] for s, e, lab in pred.spans)
    assert by_id["seed-000#5"]["entities"], "the rule pipeline finds entities in seed-000#5"


def test_build_rows_categories_from_model_when_missing(corpus, nlp):
    recs = corpus.records("seed-003")
    rows = {r[ID_KEY]: r for r in build_rows("categories", recs, nlp=nlp)}
    pred = predict(nlp, [recs[6]])[0]
    assert rows["seed-003#6"]["label"] == [max(pred.cats, key=pred.cats.get)]
    assert rows["seed-003#5"]["label"] == [recs[5]["category"]["label"]]  # unreviewed corpus label kept


def test_build_rows_needs_a_pipeline_only_for_missing_labels(corpus):
    assert len(build_rows("categories", corpus.records("seed-000"))) == 9  # every category present: no model
    with pytest.raises(ValueError, match="pipeline"):
        build_rows("spans", corpus.records("seed-000"))


def test_only_unreviewed(corpus, nlp):
    recs = corpus.records("seed-003")
    assert [r[ID_KEY] for r in build_rows("categories", recs, only_unreviewed=True, nlp=nlp)] == \
        ["seed-003#5", "seed-003#6", "seed-003#7"]
    spans = build_rows("spans", corpus.records("seed-000"), only_unreviewed=True, nlp=nlp)
    assert [r[ID_KEY] for r in spans] == [f"seed-000#{i}" for i in range(4, 9)]


def test_order_uncertain_puts_smallest_margin_first(corpus, nlp):
    recs = corpus.records("seed-000") + corpus.records("seed-003")
    rows = build_rows("categories", recs, nlp=nlp, order="uncertain")
    scores = [r[UNCERTAINTY_KEY] for r in rows]
    assert scores == sorted(scores, reverse=True)
    preds = {r["id"]: p for r, p in zip(recs, predict(nlp, recs))}
    for row in rows:
        assert row[UNCERTAINTY_KEY] == round(1 - category_margin(preds[row[ID_KEY]].cats), 4)
    assert len(build_rows("categories", recs, nlp=nlp, order="uncertain", limit=3)) == 3
    assert [r[ID_KEY] for r in build_rows("categories", recs, nlp=nlp, order="uncertain", limit=3)] == \
        [r[ID_KEY] for r in rows[:3]]


def test_uncertainty_scores():
    assert category_margin({"GOAL": 0.6, "MEASURE": 0.3, "OTHER": 0.1}) == pytest.approx(0.3)
    assert category_margin({}) is None
    assert span_disagreement([(0, 4, "COMPANY")], [(0, 4, "COMPANY")]) == 0.0
    assert span_disagreement([(0, 4, "COMPANY")], [(0, 4, "PROJECT")]) == 1.0
    assert span_disagreement([(0, 4, "COMPANY"), (6, 11, "AMOUNT")], [(6, 11, "AMOUNT")]) == 0.5
    assert span_disagreement([], []) == 0.0 and span_disagreement([(0, 1, "A")], None) == 0.0
    pred = Prediction(cats={"GOAL": 0.9, "OTHER": 0.1}, spans=[(0, 4, "COMPANY")], rule_spans=[])
    assert uncertainty_scores("categories", pred) == pytest.approx(0.2)
    assert uncertainty_scores("spans", pred) == 1.0
    assert uncertainty_scores("joint", pred) == 1.0


def test_order_uncertain_spans_uses_rule_disagreement(corpus, nlp):
    """With a pipeline whose entities differ from the rules', the paragraphs where they disagree come first."""
    import spacy

    other = spacy.blank("zh")  # finds nothing: disagrees wherever the rules find entities
    recs = corpus.records("seed-000")
    rows = build_rows("spans", recs, nlp=other, rules_nlp=nlp, order="uncertain")
    rule_spans = {r["id"]: p.spans for r, p in zip(recs, predict(nlp, recs))}
    top = rows[0][ID_KEY]
    assert rows[0][UNCERTAINTY_KEY] == 1.0 and rule_spans[top]
    assert rows[-1][UNCERTAINTY_KEY] == 0.0 and not rule_spans[rows[-1][ID_KEY]]


def test_dumps_rows_is_utf8_jsonl():
    text = dumps_rows([export_row("spans", "d#0", TEXT)])
    assert text.endswith("\n") and "金川集团" in text and text.count("\n") == 1
