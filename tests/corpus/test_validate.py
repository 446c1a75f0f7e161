"""`policytag corpus validate` on the committed corpus and on broken copies."""

import json
import subprocess
import sys

import pytest

from policytag.corpus import Corpus
from policytag.corpus.validate import validate


def cli(*args):
    return subprocess.run([sys.executable, "-m", "policytag.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=600)


def test_committed_corpus_is_valid():
    proc = cli("corpus", "validate")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("corpus OK")


def test_small_corpus_is_valid(small_corpus):
    assert validate(small_corpus) == []


def edit(corpus: Corpus, doc: str, index: int, change):
    recs = corpus.records(doc)
    change(recs[index])
    corpus.write_doc(doc, recs)


def amount(start, end, text, **kw):
    return {"start": start, "end": end, "label": "AMOUNT", "text": text, "value": 1.0, "unit": "CNY", "comparator": "=",
            "by": "annotator:t", "reviewed": True, **kw}


def test_bad_offset(small_corpus):
    def change(rec):
        rec["entities"] = [amount(len(rec["text"]) - 2, len(rec["text"]) + 5, "x")]
    edit(small_corpus, "seed-003", 2, change)
    problems = validate(small_corpus)
    assert any("seed-003.jsonl:3:" in p and "offsets out of range" in p for p in problems), problems


def test_span_text_mismatch(small_corpus):
    def change(rec):
        rec["entities"] = [amount(0, 2, "不对")]
    edit(small_corpus, "seed-003", 1, change)
    assert any("does not match the text there" in p for p in validate(small_corpus))


def test_unknown_labels(small_corpus):
    def change(rec):
        rec["category"] = {"label": "RESULT", "by": "annotator:t", "reviewed": True}
        rec["entities"] = [{"start": 0, "end": 2, "label": "ORG", "text": rec["text"][:2], "by": "rule", "reviewed": False}]
    edit(small_corpus, "seed-003", 0, change)
    problems = validate(small_corpus)
    assert any("unknown category label 'RESULT'" in p for p in problems)
    assert any("unknown label 'ORG'" in p for p in problems)


def test_overlapping_entities(small_corpus):
    def change(rec):
        t = rec["text"]
        rec["entities"] = [
            {"start": 0, "end": 6, "label": "PROJECT", "text": t[0:6], "by": "annotator:t", "reviewed": True},
            amount(4, 8, t[4:8]),
        ]
    edit(small_corpus, "seed-003", 0, change)
    assert any("overlapping entities [0, 6) PROJECT and [4, 8) AMOUNT" in p for p in validate(small_corpus))


def test_malformed_reading(small_corpus):
    def change(rec):
        t = rec["text"]
        rec["entities"] = [amount(0, 2, t[:2], value=[5, 3], comparator="about")]
    edit(small_corpus, "seed-003", 0, change)
    problems = validate(small_corpus)
    assert any("low > high" in p for p in problems) and any("comparator 'about'" in p for p in problems)


def test_document_in_two_splits(small_corpus):
    splits = small_corpus.splits()
    splits["dev"] = ["seed-003"]
    small_corpus.splits_path.write_text(json.dumps(splits))
    assert any("document 'seed-003' is in both train and dev" in p for p in validate(small_corpus))


def test_same_report_under_two_names_in_different_splits(small_corpus):
    copy = small_corpus.records("seed-003")
    for r in copy:
        r["doc"] = "seed-003-copy"
        r["id"] = f"seed-003-copy#{r['index']}"
    small_corpus.write_doc("seed-003-copy", copy)
    splits = small_corpus.splits()
    splits["test"].append("seed-003-copy")
    small_corpus.splits_path.write_text(json.dumps(splits))
    problems = validate(small_corpus, check_sources=False)
    assert any("'seed-003' (train) and 'seed-003-copy' (test) are the same report" in p for p in problems), problems


def test_text_that_no_longer_matches_the_raw_report(small_corpus):
    edit(small_corpus, "seed-004", 3, lambda rec: rec.update(text=rec["text"] + "。"))
    assert any("text does not match the raw report" in p for p in validate(small_corpus))


def test_malformed_line_and_cli_exit_code(small_corpus):
    path = small_corpus.doc_path("seed-004")
    path.write_text(path.read_text("utf-8") + "{not json\n", "utf-8")
    proc = cli("corpus", "validate", "--corpus", small_corpus.root)
    assert proc.returncode == 1
    assert "seed-004.jsonl" in proc.stderr and "malformed JSON" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_supplement_problems_are_reported(small_corpus):
    sup = small_corpus.supplement_path
    sup.parent.mkdir(parents=True, exist_ok=True)
    good = {"id": "news-x-1-0", "text": "宝山钢铁公司三期工程开工建设。", "source": "t", "split": "train",
            "entities": [{"start": 0, "end": 6, "label": "COMPANY"}], "by": "annotator:t", "reviewed": True}
    sup.write_text(json.dumps(good, ensure_ascii=False) + "\n", "utf-8")
    assert validate(small_corpus) == []
    assert [r["id"] for r in small_corpus.supplement("train")] == ["news-x-1-0"]
    assert small_corpus.supplement("dev") == []
    bad = [dict(good, id="a", entities=[{"start": 0, "end": 99, "label": "COMPANY"}]),
           dict(good, id="b", entities=[{"start": 0, "end": 6, "label": "AMOUNT"}]),
           dict(good, id="c", entities=[{"start": 0, "end": 6, "label": "COMPANY"},
                                         {"start": 2, "end": 10, "label": "PROJECT"}]),
           dict(good, id="d", split="test"),
           dict(good, id="news-x-1-0")]
    sup.write_text("".join(json.dumps(b, ensure_ascii=False) + "\n" for b in [good] + bad) + "{oops\n", "utf-8")
    problems = validate(small_corpus)
    for needle in ("outside the text", "'AMOUNT'", "overlapping", "split must be", "duplicate id", "not JSON"):
        assert any(needle in p for p in problems), (needle, problems)


def test_supplement_must_not_contain_test_sentences(small_corpus):
    test_doc = small_corpus.split_docs("test")[0]
    text = next(r["text"] for r in small_corpus.records(test_doc) if len(r["text"]) >= 20)
    sup = small_corpus.supplement_path
    sup.parent.mkdir(parents=True, exist_ok=True)
    sup.write_text(json.dumps({"id": "leak", "text": text, "split": "train", "entities": []},
                              ensure_ascii=False) + "\n", "utf-8")
    assert any("occurs in a test document" in p for p in validate(small_corpus))



def _report_row(corpus: Corpus, doc_split: str, **kw) -> dict:
    doc = corpus.split_docs(doc_split)[0]
    rec = next(r for r in corpus.records(doc) if r["kind"] == "body" and len(r["text"]) >= 20)
    row = {"id": rec["id"], "doc": doc, "text": rec["text"], "source": "t", "split": doc_split, "entities": [],
           "by": "annotator:t", "reviewed": True}
    return dict(row, **kw)


def test_report_supplement_is_checked_against_the_corpus(small_corpus):
    sup = small_corpus.report_supplement_path
    sup.parent.mkdir(parents=True, exist_ok=True)
    good = _report_row(small_corpus, "train", entities=[{"start": 0, "end": 2, "label": "PROJECT"}])
    sup.write_text(json.dumps(good, ensure_ascii=False) + "\n", "utf-8")
    assert validate(small_corpus) == []
    assert [r["id"] for r in small_corpus.supplement("train", source="reports")] == [good["id"]]
    assert [r["id"] for r in small_corpus.supplement("train")] == [good["id"]]
    assert small_corpus.supplement("train", source="news") == []
    for row, needle in ((dict(good, split="dev"), "is marked 'dev'"),
                        (dict(good, id=good["doc"] + "#9999"), "not in the corpus"),
                        (dict(good, text=good["text"][:-1]), "differs from the corpus paragraph")):
        sup.write_text(json.dumps(row, ensure_ascii=False) + "\n", "utf-8")
        assert any(needle in p for p in validate(small_corpus)), (needle, validate(small_corpus))


def test_report_supplement_never_holds_test_or_reviewed_paragraphs(small_corpus):
    sup = small_corpus.report_supplement_path
    sup.parent.mkdir(parents=True, exist_ok=True)
    leak = _report_row(small_corpus, "test", split="train")
    sup.write_text(json.dumps(leak, ensure_ascii=False) + "\n", "utf-8")
    assert any("is marked 'train'" in p and "'test'" in p for p in validate(small_corpus))
    row = _report_row(small_corpus, "train")
    index = int(row["id"].split("#")[1])
    edit(small_corpus, row["doc"], index, lambda rec: rec.update(entities=[], entities_reviewed=True))
    sup.write_text(json.dumps(row, ensure_ascii=False) + "\n", "utf-8")
    assert any("already has a reviewed entity layer" in p for p in validate(small_corpus))
