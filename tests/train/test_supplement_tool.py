"""training/annotation/supplement.py: locating annotators' entities, refusing bad ones, never overwriting a reviewed
annotation silently."""

import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("supplement", REPO / "training" / "annotation" / "supplement.py")
supplement = importlib.util.module_from_spec(spec)
spec.loader.exec_module(supplement)


def test_locate_takes_first_occurrence_after_the_previous_entity():
    text = "宝钢与宝钢集团签约，宝钢三期工程开工"
    ents = supplement.locate(text, [{"text": "宝钢", "label": "COMPANY"}, {"text": "宝钢集团", "label": "COMPANY"},
                                    {"text": "宝钢三期工程", "label": "PROJECT"}], "x")
    assert [(text[e["start"]:e["end"]], e["label"]) for e in ents] == [
        ("宝钢", "COMPANY"), ("宝钢集团", "COMPANY"), ("宝钢三期工程", "PROJECT")]
    assert ents[1]["start"] == 3 and ents[2]["start"] == 10


@pytest.mark.parametrize("ents, message", [
    ([{"text": "宝钢", "label": "AMOUNT"}], "not one of"),
    ([{"text": "首钢", "label": "COMPANY"}], "not found"),
    ([{"text": "宝钢集团", "label": "COMPANY"}, {"text": "集团", "label": "COMPANY", "start": 2}], "overlapping"),
    ([{"text": " 宝钢", "label": "COMPANY"}], "space-padded"),
])
def test_locate_rejects_bad_entities(ents, message):
    with pytest.raises(ValueError, match=message):
        supplement.locate("宝钢集团签约", ents, "x")


def test_apply_writes_atomically_and_reports_conflicts(tmp_path, monkeypatch, capsys):
    out = tmp_path / "supplement" / "news-entities.jsonl"
    monkeypatch.setattr(supplement, "SUPPLEMENT", out)
    rows = [{"id": "s1", "text": "宝钢集团签约", "source": "t", "split": "train"},
            {"id": "s2", "text": "三峡工程开工", "source": "t", "split": "dev"}]
    batch = tmp_path / "a.jsonl"
    batch.write_text('{"id": "s1", "entities": [{"text": "宝钢集团", "label": "COMPANY"}]}\n'
                     '{"id": "s2", "entities": [{"text": "三峡工程", "label": "PROJECT"}]}\n', "utf-8")
    assert supplement.apply(rows, batch, "a", check=True) == 0 and not out.exists()  # --check writes nothing
    assert supplement.apply(rows, batch, "a", check=False) == 0
    written = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert [(r["id"], r["entities"], r["by"]) for r in written] == [
        ("s1", [{"start": 0, "end": 4, "label": "COMPANY"}], "annotator:a"),
        ("s2", [{"start": 0, "end": 4, "label": "PROJECT"}], "annotator:a")]
    # a second annotator disagreeing on s1 does not overwrite the reviewed label
    other = tmp_path / "b.jsonl"
    other.write_text('{"id": "s1", "entities": []}\n', "utf-8")
    assert supplement.apply(rows, other, "b", check=False) == 0
    assert "conflict s1" in capsys.readouterr().out
    assert json.loads(out.read_text("utf-8").splitlines()[0])["entities"] == written[0]["entities"]
    # a broken batch writes nothing
    broken = tmp_path / "c.jsonl"
    broken.write_text('{"id": "s9", "entities": []}\n', "utf-8")
    before = out.read_text("utf-8")
    assert supplement.apply(rows, broken, "c", check=False) == 1
    assert out.read_text("utf-8") == before


def test_report_rows_are_exported_by_whole_documents_and_applied_with_their_document(tmp_path, monkeypatch):
    rows = [{"id": f"{doc}#{i}", "doc": doc, "text": "三峡工程开工" * size, "section": ["一、建设"], "source": "t",
             "split": "train"} for doc, n, size in (("a", 3, 5), ("b", 2, 1), ("c", 4, 2)) for i in range(n)]
    parts = supplement._parts_by_document(rows, 2)
    assert sorted(d for p in parts for d in p) == ["a", "b", "c"] and all(parts)  # each document in one part
    out = tmp_path / "batch.md"
    supplement.export(rows, "0/2", out)
    text = out.read_text("utf-8")
    assert text.startswith("# ") and "### a#0 | 一、建设" in text  # the largest document comes first, with its section
    assert "### b#" not in text or "### c#" not in text
    target = tmp_path / "report-entities.jsonl"
    monkeypatch.setattr(supplement, "REPORT_SUPPLEMENT", target)
    batch = tmp_path / "a.jsonl"
    batch.write_text('{"id": "b#1", "entities": [{"text": "三峡工程", "label": "PROJECT"}]}\n', "utf-8")
    assert supplement.apply(rows, batch, "r", check=False) == 0
    [rec] = [json.loads(x) for x in target.read_text("utf-8").splitlines()]
    assert rec["doc"] == "b" and rec["split"] == "train" and rec["entities"] == [
        {"start": 0, "end": 4, "label": "PROJECT"}]
