"""training/resegment_corpus.py: a record the reader now cuts at a heading line is split — the heading piece is
OTHER, the body piece keeps the labels, entities and history; ids, the report supplement and the agreement files
follow; nothing is written when a cut needs an annotator."""

import importlib.util
import json
from pathlib import Path

import pytest

from policytag.corpus import Corpus, new_record
from policytag.read import read

REPO = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("resegment", REPO / "training" / "resegment_corpus.py")
resegment = importlib.util.module_from_spec(spec)
spec.loader.exec_module(resegment)

RAW = ("各位代表：\n第三、正确地确定基本建设的总规模\n我们要保证宝钢二期工程的资金需要，投资50亿元。\n"
       "第四、提高经济效益\n效益还不高。\n")


def _old_records(doc: str, raw: str) -> list[dict]:
    """Records as an older reader made them: each heading line joined to the paragraph under it."""
    paras = read(raw, doc_id=doc).paragraphs
    recs, i = [], 0
    while i < len(paras):
        p = paras[i]
        if p.kind == "heading" and i + 1 < len(paras):
            q = paras[i + 1]
            rec = new_record(doc, len(recs), p.text + q.text, kind="body", source_span=(p.source_span[0], q.source_span[1]))
            i += 2
        else:
            rec = new_record(doc, len(recs), p.text, kind=p.kind, source_span=p.source_span)
            i += 1
        recs.append(rec)
    return recs


@pytest.fixture
def corpus(tmp_path) -> Corpus:
    root = tmp_path / "corpus"
    for d in ("raw", "annotations", "supplement", "agreement/categories-1"):
        (root / d).mkdir(parents=True)
    (root / "raw" / "national-1.txt").write_text(RAW, "utf-8")
    (root / "splits.json").write_text(json.dumps({"train": ["national-1"], "dev": [], "test": []}), "utf-8")
    recs = _old_records("national-1", RAW)
    assert [r["id"] for r in recs] == ["national-1#0", "national-1#1", "national-1#2"]
    text = recs[1]["text"]
    s = text.index("宝钢二期工程")
    recs[1]["category"] = {"label": "MEASURE", "by": "annotator:a", "reviewed": True}
    recs[1]["entities"] = [{"start": s, "end": s + 6, "label": "PROJECT", "text": "宝钢二期工程", "by": "annotator:a",
                            "reviewed": True}]
    recs[1]["entities_reviewed"] = True
    recs[2]["category"] = {"label": "PROBLEM", "by": "annotator:a", "reviewed": True}
    (root / "annotations" / "national-1.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), "utf-8")
    sup = {"id": "national-1#2", "doc": "national-1", "text": recs[2]["text"], "split": "train", "entities": [],
           "by": "annotator:b", "reviewed": True, "source": "x"}
    (root / "supplement" / "report-entities.jsonl").write_text(json.dumps(sup, ensure_ascii=False) + "\n", "utf-8")
    (root / "agreement" / "categories-1" / "b.jsonl").write_text(
        json.dumps({"id": "national-1#2", "category": "PROBLEM", "annotator": "annotator:b"}) + "\n", "utf-8")
    return Corpus(root)


def test_split_records_keep_their_labels_and_references_follow(corpus):
    before = (corpus.annotations_dir / "national-1.jsonl").read_text("utf-8")
    counts, skipped = resegment.resegment(corpus, dry_run=True)
    assert counts["records split"] == 2 and not skipped
    assert (corpus.annotations_dir / "national-1.jsonl").read_text("utf-8") == before  # a dry run writes nothing
    counts, skipped = resegment.resegment(corpus)
    recs = corpus.records("national-1")
    assert [(r["id"], r["kind"], r["category"] and r["category"]["label"]) for r in recs] == [
        ("national-1#0", "salutation", None), ("national-1#1", "heading", "OTHER"), ("national-1#2", "body", "MEASURE"),
        ("national-1#3", "heading", "OTHER"), ("national-1#4", "body", "PROBLEM")]
    body = recs[2]
    assert body["section"] == ["第三、正确地确定基本建设的总规模"]
    assert [(e["text"], body["text"][e["start"]:e["end"]]) for e in body["entities"]] == [("宝钢二期工程", "宝钢二期工程")]
    assert recs[1]["entities"] == [] and recs[1]["entities_reviewed"]
    assert recs[3]["category"]["by"] == "adjudicator:lead" and recs[3]["history"][-1]["field"] == "category"
    assert body["history"][-1]["field"] == "text" and body["history"][-1]["old"].startswith("第三、")
    sup = [json.loads(x) for x in corpus.report_supplement_path.read_text("utf-8").splitlines()]
    assert [(r["id"], r["text"]) for r in sup] == [("national-1#3", "第四、提高经济效益"), ("national-1#4", "效益还不高。")]
    agree = json.loads((corpus.root / "agreement" / "categories-1" / "b.jsonl").read_text("utf-8"))
    assert agree["id"] == "national-1#4"  # the body piece carries the label the annotator gave
    again, _ = resegment.resegment(corpus, dry_run=True)
    assert again["records split"] == 0 and again["ids renumbered"] == 0  # idempotent


def test_a_cut_inside_an_entity_leaves_the_document_alone(corpus):
    path = corpus.annotations_dir / "national-1.jsonl"
    recs = [json.loads(x) for x in path.read_text("utf-8").splitlines()]
    text = recs[1]["text"]
    cut = text.index("我们")
    recs[1]["entities"] = [{"start": cut - 3, "end": cut + 2, "label": "PROJECT", "text": text[cut - 3:cut + 2],
                            "by": "annotator:a", "reviewed": True}]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), "utf-8")
    before = path.read_text("utf-8")
    counts, skipped = resegment.resegment(corpus)
    assert skipped and "cross a cut" in skipped[0]
    assert path.read_text("utf-8") == before
