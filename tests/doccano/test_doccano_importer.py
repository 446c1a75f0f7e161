"""doccano exports back into the corpus (policytag.doccano.importer): validation, matching, merge, conflicts,
agreement, zip layouts and the byte-identical round trip."""

import json

import pytest

from doccano_helpers import (
    FIXTURES,
    as_doccano_export,
    records_by_id,
    snapshot,
    write_jsonl,
    write_zip,
)
from policytag.components.amounts import find_amounts
from policytag.doccano.formats import ID_KEY, LABEL_SHA_KEY, TEXT_SHA_KEY, build_rows, dumps_rows
from policytag.doccano.importer import import_file


def export(corpus, task, nlp, docs=("seed-000", "seed-003")):
    return build_rows(task, list(corpus.iter_records(docs=list(docs))), nlp=nlp)


def row_of(rows, rid):
    return next(r for r in rows if r[ID_KEY] == rid)


# ------------------------------------------------------------------------------------------------ round trip
@pytest.mark.parametrize("task", ["spans", "categories", "joint"])
def test_round_trip_of_an_unchanged_export_changes_no_byte(corpus, nlp, tmp_path, task):
    before = snapshot(corpus)
    path = tmp_path / f"{task}.jsonl"
    path.write_text(dumps_rows(export(corpus, task, nlp)), "utf-8")
    report = import_file(corpus, path)
    assert report.ok and report.changes == [] and report.rows == 17
    assert snapshot(corpus) == before


@pytest.mark.parametrize("task", ["spans", "categories", "joint"])
def test_round_trip_through_doccano_export_layout_changes_no_byte(corpus, nlp, tmp_path, task):
    """The same rows as doccano 1.8.4 writes them back (its ids, key order, Comments) in all.jsonl of a zip."""
    before = snapshot(corpus)
    rows = [as_doccano_export(r, i + 1, task) for i, r in enumerate(export(corpus, task, nlp))]
    report = import_file(corpus, write_zip(tmp_path / "export.zip", {"all.jsonl": rows}))
    assert report.ok and report.changes == [] and report.unchanged > 0
    assert snapshot(corpus) == before


# ------------------------------------------------------------------------------------------------ merging
def test_changed_category_of_unreviewed_record_is_imported_with_history(corpus, nlp, tmp_path):
    rows = export(corpus, "categories", nlp)
    row_of(rows, "seed-003#5")["label"] = ["MEASURE"]  # corpus: ACHIEVEMENT by model, unreviewed
    before = snapshot(corpus)
    report = import_file(corpus, write_jsonl(tmp_path / "anna.jsonl", rows))
    assert report.ok and len(report.changes) == 1
    rec = records_by_id(corpus)["seed-003#5"]
    assert rec["category"] == {"label": "MEASURE", "by": "doccano:anna", "reviewed": True}
    assert rec["history"][-1]["old"] == {"label": "ACHIEVEMENT", "by": "model", "reviewed": False}
    assert rec["history"][-1]["by"] == "doccano:anna" and rec["history"][-1]["field"] == "category"
    after = snapshot(corpus)
    assert [k for k in before if before[k] != after[k]] == ["annotations/seed-003.jsonl"]


def test_category_for_a_record_without_one(corpus, nlp, tmp_path):
    rows = export(corpus, "categories", nlp)
    row_of(rows, "seed-003#6")["label"] = ["GOAL"]
    report = import_file(corpus, write_jsonl(tmp_path / "anna.jsonl", rows))
    assert report.ok
    rec = records_by_id(corpus)["seed-003#6"]
    assert rec["category"]["label"] == "GOAL" and rec["history"][-1]["old"] is None


def test_conflict_with_reviewed_label_is_reported_and_kept(corpus, nlp, tmp_path):
    rows = export(corpus, "categories", nlp)
    row_of(rows, "seed-003#1")["label"] = ["PROBLEM"]  # corpus: ACHIEVEMENT by annotator:ann-a, reviewed
    before = snapshot(corpus)
    report = import_file(corpus, write_jsonl(tmp_path / "anna.jsonl", rows))
    assert not report.ok and report.unresolved == 1
    (c,) = report.conflicts
    assert (c.record_id, c.field, c.new, c.annotator, c.applied) == ("seed-003#1", "category", "PROBLEM", "anna", False)
    assert "ACHIEVEMENT (annotator:ann-a)" in c.line() and "--prefer doccano" in c.line()
    assert snapshot(corpus) == before


def test_prefer_doccano_applies_the_conflicting_label(corpus, nlp, tmp_path):
    rows = export(corpus, "categories", nlp)
    row_of(rows, "seed-003#1")["label"] = ["PROBLEM"]
    report = import_file(corpus, write_jsonl(tmp_path / "anna.jsonl", rows), prefer="doccano")
    assert report.ok and report.conflicts[0].applied
    rec = records_by_id(corpus)["seed-003#1"]
    assert rec["category"] == {"label": "PROBLEM", "by": "doccano:anna", "reviewed": True}
    assert rec["history"][-1]["old"] == {"label": "ACHIEVEMENT", "by": "annotator:ann-a", "reviewed": True}


def test_same_label_as_reviewed_corpus_is_a_no_op(corpus, nlp, tmp_path):
    rows = export(corpus, "categories", nlp)
    row = row_of(rows, "seed-003#1")
    row[LABEL_SHA_KEY] = "c" + "0" * 12  # looks changed, but says what the reviewed corpus already says
    before = snapshot(corpus)
    report = import_file(corpus, write_jsonl(tmp_path / "anna.jsonl", rows))
    assert report.ok and report.already == 1 and report.changes == []
    assert snapshot(corpus) == before


def test_changed_entities_take_readings_from_corpus_then_amount_reader(corpus, nlp, tmp_path):
    recs = records_by_id(corpus)
    rec4 = recs["seed-000#4"]  # unreviewed AMOUNT spans with readings
    first = rec4["entities"][0]
    # a distinctive reading in the corpus: it must be carried over, not recomputed
    lines = corpus.records("seed-000")
    lines[4]["entities"][0]["comparator"] = "~"
    corpus.write_doc("seed-000", lines)
    rows = export(corpus, "spans", nlp, docs=("seed-000",))
    row = row_of(rows, "seed-000#4")
    company = rec4["text"].index("东方电气") if "东方电气" in rec4["text"] else None
    row["label"] = [s for s in row["label"] if s[0] != rec4["entities"][1]["start"]]  # drop the 2nd amount
    if company is not None and not any(s[0] <= company < s[1] for s in row["label"]):
        row["label"].append([company, company + 4, "COMPANY"])
    report = import_file(corpus, write_jsonl(tmp_path / "anna.jsonl", rows))
    assert report.ok, report.lines()
    rec = records_by_id(corpus)["seed-000#4"]
    assert rec["entities_reviewed"] is True
    assert all(e["reviewed"] and e["by"] == "doccano:anna" for e in rec["entities"])
    got = {(e["start"], e["end"]): e for e in rec["entities"]}
    assert got[(first["start"], first["end"])]["comparator"] == "~"
    assert (rec4["entities"][1]["start"], rec4["entities"][1]["end"]) not in got
    fields = [h["field"] for h in rec["history"]]
    assert fields == ["entities", "entities_reviewed"]
    assert rec["history"][0]["old"][0]["comparator"] == "~"


def test_new_amount_gets_reading_from_amount_reader(corpus, nlp, tmp_path):
    rows = export(corpus, "spans", nlp, docs=("seed-003",))
    rec = records_by_id(corpus)["seed-003#7"]
    amount = find_amounts(rec["text"])[0]
    row = row_of(rows, "seed-003#7")
    row["label"] = [[amount.start, amount.end, "AMOUNT"]]
    report = import_file(corpus, write_jsonl(tmp_path / "anna.jsonl", rows))
    assert report.ok, report.lines()
    (ent,) = records_by_id(corpus)["seed-003#7"]["entities"]
    assert {k: ent[k] for k in ("value", "unit", "comparator", "dimension")} == amount.reading()


def test_amount_without_reading_is_a_problem_not_invented_nor_dropped(corpus, nlp, tmp_path):
    rows = export(corpus, "spans", nlp, docs=("seed-003",))
    rec = records_by_id(corpus)["seed-003#7"]
    start = rec["text"].index("工业")
    row = row_of(rows, "seed-003#7")
    row["label"] = [[start, start + 2, "AMOUNT"]]  # 工业 is not a quantity: no reading anywhere
    before = snapshot(corpus)
    report = import_file(corpus, write_jsonl(tmp_path / "anna.jsonl", rows))
    assert not report.ok
    (problem,) = report.problems
    assert "anna.jsonl:8" in problem and "seed-003#7" in problem and "no reading" in problem
    assert snapshot(corpus) == before


def test_removing_all_spans_is_a_change_in_a_single_file(corpus, nlp, tmp_path):
    rows = export(corpus, "spans", nlp, docs=("seed-000",))
    row_of(rows, "seed-000#4")["label"] = []
    report = import_file(corpus, write_jsonl(tmp_path / "anna.jsonl", rows))
    assert report.ok
    rec = records_by_id(corpus)["seed-000#4"]
    assert rec["entities"] == [] and rec["entities_reviewed"] is True


def test_confirmed_rows_mark_unchanged_labels_reviewed(corpus, nlp, tmp_path):
    rows = export(corpus, "categories", nlp, docs=("seed-003",))
    report = import_file(corpus, write_jsonl(tmp_path / "anna.jsonl", rows), confirmed=True)
    assert report.ok
    recs = records_by_id(corpus)
    assert recs["seed-003#5"]["category"] == {"label": "ACHIEVEMENT", "by": "doccano:anna", "reviewed": True}
    assert recs["seed-003#1"]["category"]["by"] == "annotator:ann-a"  # already reviewed, same label: untouched
    assert {c.record_id for c in report.changes} == {"seed-003#5", "seed-003#6", "seed-003#7"}


def test_joint_row_changes_only_the_changed_part(corpus, nlp, tmp_path):
    rows = export(corpus, "joint", nlp, docs=("seed-003",))
    row_of(rows, "seed-003#5")["cats"] = ["MEASURE"]
    report = import_file(corpus, write_jsonl(tmp_path / "anna.jsonl", rows))
    assert report.ok and [(c.record_id, c.field) for c in report.changes] == [("seed-003#5", "category")]
    assert records_by_id(corpus)["seed-003#5"]["entities"] is None


def test_dry_run_writes_nothing(corpus, nlp, tmp_path):
    rows = export(corpus, "categories", nlp)
    row_of(rows, "seed-003#5")["label"] = ["MEASURE"]
    before = snapshot(corpus)
    report = import_file(corpus, write_jsonl(tmp_path / "anna.jsonl", rows), dry_run=True)
    assert report.ok and len(report.changes) == 1 and "would change" in report.summary()
    assert snapshot(corpus) == before


def test_match_by_text_hash_without_id(corpus, nlp, tmp_path):
    rec = records_by_id(corpus)["seed-003#6"]
    path = write_jsonl(tmp_path / "anna.jsonl", [{"text": rec["text"], "label": ["GOAL"]}])
    report = import_file(corpus, path, task="categories")
    assert report.ok and records_by_id(corpus)["seed-003#6"]["category"]["label"] == "GOAL"


# ------------------------------------------------------------------------------------------------ validation
def test_every_validation_error_is_one_line_naming_file_line_and_record(corpus, nlp, tmp_path):
    rows = export(corpus, "spans", nlp, docs=("seed-000",))
    bad = [dict(r) for r in rows[:9]]
    bad[0]["label"] = [[0, 2, "ORG"]]                                   # line 1: unknown label
    bad[1]["label"] = [[0, 999, "COMPANY"]]                             # line 2: offsets out of range
    bad[2]["label"] = [[0, 2, "COMPANY", "不是"]]                        # line 3: span text
    bad[3]["label"] = [[0, 4, "COMPANY"], [2, 6, "PROJECT"]]            # line 4: overlap
    bad[4][ID_KEY] = "seed-000#99"                                      # line 5: unknown record
    bad[5]["text"] = bad[5]["text"] + "。"                              # line 6: text edited (and differs)
    bad[6][ID_KEY] = "seed-000#3"                                       # line 7: text of another record
    bad[7][TEXT_SHA_KEY] = "0" * 16                                     # line 8: text sha does not match
    bad.append(dict(row_of(rows, "seed-000#8")))                        # line 10: second row for seed-000#8
    before = snapshot(corpus)
    path = write_jsonl(tmp_path / "anna.jsonl", bad)
    report = import_file(corpus, path)
    assert not report.ok
    lines = report.problems
    assert all(line.startswith(f"{path}:") and "\n" not in line for line in lines)
    expect = {1: "unknown label 'ORG'", 2: "offsets out of range", 3: "does not match the text there",
              4: "overlapping spans", 5: "no record seed-000#99", 6: "text was edited", 7: "differs from the corpus",
              8: "policytag_text_sha", 10: "a second row for this record"}
    for lineno, message in expect.items():
        hits = [line for line in lines if line.startswith(f"{path}:{lineno}: ") and message in line]
        assert hits, f"line {lineno}: {message!r} not in {lines}"
        assert "record seed-000#" in hits[0]
    assert snapshot(corpus) == before  # no row changed anything; the valid ones are unchanged rows


def test_a_valid_row_is_imported_next_to_an_invalid_one(corpus, nlp, tmp_path):
    rows = export(corpus, "categories", nlp, docs=("seed-003",))
    row_of(rows, "seed-003#5")["label"] = ["MEASURE"]
    row_of(rows, "seed-003#6")["label"] = ["GOALS"]
    report = import_file(corpus, write_jsonl(tmp_path / "anna.jsonl", rows))
    assert len(report.problems) == 1 and "seed-003#6" in report.problems[0]
    assert records_by_id(corpus)["seed-003#5"]["category"]["label"] == "MEASURE"


def test_structural_error_imports_nothing_from_the_file(corpus, nlp, tmp_path):
    rows = export(corpus, "categories", nlp, docs=("seed-003",))
    row_of(rows, "seed-003#5")["label"] = ["MEASURE"]  # valid and changed, but in a broken file
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + ['{"text": "broken", "label": [']
    path = write_jsonl(tmp_path / "anna.jsonl", lines)
    before = snapshot(corpus)
    report = import_file(corpus, path)
    assert not report.ok and str(path) in report.files_rejected
    assert any(p.startswith(f"{path}:9: malformed JSON") for p in report.problems)
    assert any("nothing imported from this file" in p for p in report.problems)
    assert snapshot(corpus) == before


@pytest.mark.parametrize("line, message", [
    ('["a list"]', "a row must be a JSON object"),
    ('{"label": ["GOAL"]}', '"text"'),
    ('{"text": "x", "label": {"GOAL": 1}}', "list of category names"),
])
def test_structural_errors_name_file_and_line(corpus, tmp_path, line, message):
    path = write_jsonl(tmp_path / "anna.jsonl", [line])
    report = import_file(corpus, path, task="categories")
    assert any(p.startswith(f"{path}:1: ") and message in p for p in report.problems), report.problems


def test_task_mismatch_and_undetectable_task(corpus, nlp, tmp_path):
    rows = export(corpus, "categories", nlp, docs=("seed-003",))
    path = write_jsonl(tmp_path / "anna.jsonl", rows)
    report = import_file(corpus, path, task="spans")
    assert any("exported for task categories, not spans" in p for p in report.problems)
    report = import_file(corpus, write_jsonl(tmp_path / "x.jsonl", [{"text": "x", "label": []}]))
    assert any("give --task" in p for p in report.problems)


def test_empty_missing_and_non_utf8_files(corpus, tmp_path):
    (tmp_path / "empty.jsonl").write_text("\n", "utf-8")
    assert "empty file" in import_file(corpus, tmp_path / "empty.jsonl").problems[0]
    assert "no such file" in import_file(corpus, tmp_path / "none.jsonl").problems[0]
    (tmp_path / "gbk.jsonl").write_bytes('{"text": "金川"}'.encode("gb18030"))
    assert "not UTF-8" in import_file(corpus, tmp_path / "gbk.jsonl").problems[0]


# ------------------------------------------------------------------------------------------------ zip layouts
def test_zip_per_annotator_files_attribute_labels_and_report_agreement(corpus, nlp, tmp_path):
    rows = export(corpus, "categories", nlp, docs=("seed-003",))
    admin = [as_doccano_export(r, i, "categories") for i, r in enumerate(rows)]

    def user(labels):
        out = []
        for r in admin:
            r = dict(r)
            r["label"] = [labels[r[ID_KEY]]] if r[ID_KEY] in labels else []
            out.append(r)
        return out

    anna = user({"seed-003#5": "MEASURE", "seed-003#6": "GOAL", "seed-003#7": "GOAL"})
    ben = user({"seed-003#5": "MEASURE", "seed-003#6": "PROBLEM", "seed-003#7": "GOAL"})
    path = write_zip(tmp_path / "export.zip", {"admin.jsonl": admin, "anna.jsonl": anna, "ben.jsonl": ben})
    report = import_file(corpus, path)
    assert report.pre_annotator == "admin"
    (pair,) = [p for p in report.agreement["pairs"] if {p["a"], p["b"]} == {"anna", "ben"}]
    assert pair["categories"]["records"] == 3 and pair["categories"]["observed"] == pytest.approx(0.6667, abs=1e-3)
    assert any(line.startswith("agreement anna vs ben: categories: 3") for line in report.lines())
    assert len(report.disagreements) == 1 and "seed-003#6" in report.disagreements[0]
    recs = records_by_id(corpus)
    assert recs["seed-003#5"]["category"] == {"label": "MEASURE", "by": "doccano:anna+ben", "reviewed": True}
    assert recs["seed-003#6"]["category"] is None  # annotators differ: adjudicate first
    assert recs["seed-003#7"]["category"]["by"] == "doccano:anna+ben"


def test_zip_all_jsonl_is_attributed_to_all_or_the_given_annotator(corpus, nlp, tmp_path):
    rows = [as_doccano_export(r, i, "categories") for i, r in enumerate(export(corpus, "categories", nlp))]
    row_of(rows, "seed-003#6")["label"] = ["GOAL"]
    path = write_zip(tmp_path / "export.zip", {"all.jsonl": rows})
    import_file(corpus, path, dry_run=True)
    report = import_file(corpus, path, annotator="team-b")
    assert report.ok and records_by_id(corpus)["seed-003#6"]["category"]["by"] == "doccano:team-b"


@pytest.mark.parametrize("members, message", [
    ({"all.jsonl": [], "anna.jsonl": []}, "one layout per export"),
    ({"notes.txt": "x"}, "no .jsonl member"),
    ({"all.jsonl": [], "readme.md": "x"}, "unexpected member"),
    ({"a/anna.jsonl": [], "b/anna.jsonl": []}, "two members for the same annotator"),
])
def test_bad_zip_layouts_import_nothing(corpus, tmp_path, members, message):
    path = write_zip(tmp_path / "export.zip", members)
    before = snapshot(corpus)
    report = import_file(corpus, path)
    assert any(message in p for p in report.problems), report.problems
    assert any("nothing imported" in p for p in report.problems) and not report.ok
    assert snapshot(corpus) == before


def test_structural_error_in_one_zip_member_rejects_only_that_member(corpus, nlp, tmp_path):
    rows = [as_doccano_export(r, i, "categories") for i, r in enumerate(export(corpus, "categories", nlp,
                                                                              docs=("seed-003",)))]
    good = [dict(r, label=["GOAL"]) if r[ID_KEY] == "seed-003#6" else dict(r, label=[]) for r in rows]
    path = write_zip(tmp_path / "export.zip", {"anna.jsonl": good, "ben.jsonl": "{oops\n"})
    report = import_file(corpus, path)
    assert report.files_rejected == [f"{path}:ben.jsonl"]
    assert records_by_id(corpus)["seed-003#6"]["category"]["label"] == "GOAL"


# ------------------------------------------------------------------------------------------------ real doccano exports
def test_doccano_export_of_collaborative_spans_project(corpus):
    before = records_by_id(corpus)
    report = import_file(corpus, FIXTURES / "doccano-1.8.4-all-spans.zip")
    assert [(c.record_id, c.field, c.applied) for c in report.conflicts] == [("seed-000#3", "entities", False)]
    assert sorted(c.record_id for c in report.changes) == ["seed-000#4", "seed-000#5"]
    after = records_by_id(corpus)
    new4 = {(e["start"], e["end"], e["label"]) for e in after["seed-000#4"]["entities"]}
    old4 = {(e["start"], e["end"], e["label"]) for e in before["seed-000#4"]["entities"]}
    (relabelled,) = new4 - old4
    assert relabelled[2] == "PROJECT" and (relabelled[0], relabelled[1], "AMOUNT") in old4 and len(new4) == len(old4)
    assert after["seed-000#5"]["entities_reviewed"] and after["seed-000#5"]["history"][0]["old"] is None
    assert after["seed-000#3"] == before["seed-000#3"]
    for rid in set(before) - {"seed-000#4", "seed-000#5"}:
        assert after[rid] == before[rid]


def test_doccano_export_of_collaborative_categories_project(corpus):
    report = import_file(corpus, FIXTURES / "doccano-1.8.4-all-categories.zip", prefer="doccano")
    assert report.ok and [c.record_id for c in report.conflicts] == ["seed-003#1"]
    recs = records_by_id(corpus)
    assert [recs[f"seed-003#{i}"]["category"]["label"] for i in (1, 5, 6)] == ["PROBLEM", "MEASURE", "GOAL"]
    assert all(recs[f"seed-003#{i}"]["category"]["by"] == "doccano:all" for i in (1, 5, 6))


def test_doccano_export_with_individual_annotators(corpus):
    report = import_file(corpus, FIXTURES / "doccano-1.8.4-users-joint.zip")
    assert report.pre_annotator == "admin"
    (pair,) = [p for p in report.agreement["pairs"] if {p["a"], p["b"]} == {"alice", "bruno"}]
    assert pair["categories"] == {"records": 3, "observed": 0.6667, "kappa": 0.5}
    assert pair["spans"] == {"records": 1, "f1": 0.6667}
    assert sorted(d.split()[1] for d in report.disagreements) == ["seed-003#2", "seed-003#7"]
    assert [(c.record_id, c.field) for c in report.changes] == [("seed-003#7", "category")]
    rec = records_by_id(corpus)["seed-003#7"]
    assert rec["category"] == {"label": "GOAL", "by": "doccano:alice+bruno", "reviewed": True}
    assert rec["entities"] is None
