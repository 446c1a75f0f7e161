"""The shipped pipeline (models/policytag_zh): loads offline, by policytag.load() and by spacy.load() in a fresh
process thanks to the entry points, and tags a seed report through the full contract."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "models" / "policytag_zh"
EXPECTED_PIPES = ["policytag_amounts", "policytag_entity_rules", "tok2vec", "ner", "textcat",
                  "policytag_entity_merge", "policytag_paragraph_classifier"]


@pytest.fixture
def offline(monkeypatch, tmp_path):
    def refuse(*a, **k):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setenv("PKUSEG_HOME", str(tmp_path / "empty-pkuseg-home"))


def test_the_pipeline_is_shipped():
    assert (MODEL / "config.cfg").exists() and (MODEL / "meta.json").exists()
    meta = json.loads((MODEL / "meta.json").read_text("utf-8"))
    assert "non-commercial" in meta["license"]
    assert meta["policytag"]["metrics"]["test"]["model"]
    size = sum(p.stat().st_size for p in MODEL.rglob("*") if p.is_file())
    assert size < 60e6


def test_policytag_load_offline_tags_a_seed_report(offline, seed_paths):
    import policytag

    nlp = policytag.load()
    assert nlp.pipe_names == EXPECTED_PIPES
    recs = policytag.tag(seed_paths[0], nlp=nlp)
    assert all(r["category"] in ("ACHIEVEMENT", "PROBLEM", "GOAL", "MEASURE", "OTHER") for r in recs)
    assert all(abs(sum(r["cats"].values()) - 1) < 1e-3 for r in recs)
    heading = next(r for r in recs if r["kind"] == "heading")
    assert heading["category"] == "OTHER"
    amounts = [e for r in recs for e in r["entities"] if e["label"] == "AMOUNT"]
    assert {"value", "unit", "comparator"} <= set(amounts[0])
    first = next(r for r in recs if "118亿元" in r["text"])
    e = next(e for e in first["entities"] if e["text"] == "118亿元")
    assert (e["value"], e["unit"], e["comparator"]) == (1.18e10, "CNY", "=")
    from policytag.components.amounts import find_amounts
    for r in recs:
        spans = sorted((e["start"], e["end"]) for e in r["entities"])
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # flat, non-overlapping
        found = {(a.start, a.end) for a in find_amounts(r["text"])}
        assert all((e["start"], e["end"]) in found for e in r["entities"] if e["label"] == "AMOUNT"), r["text"]


def test_spacy_load_in_a_fresh_process(tmp_path):
    code = ("import spacy, json, sys; nlp = spacy.load(sys.argv[1]); doc = nlp('全区完成工业增加值101.6亿元，同比增长19.5%。'); "
            "print(json.dumps({'pipes': nlp.pipe_names, 'ents': [(e.text, e.label_) for e in doc.ents], "
            "'cats': sorted(doc.cats)}, ensure_ascii=False))")
    env = {**os.environ, "PKUSEG_HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", code, str(MODEL)], capture_output=True, text=True, timeout=600,
                          env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["pipes"] == EXPECTED_PIPES
    assert ["101.6亿元", "AMOUNT"] in out["ents"] and ["19.5%", "AMOUNT"] in out["ents"]
    assert out["cats"] == sorted(["ACHIEVEMENT", "PROBLEM", "GOAL", "MEASURE", "OTHER"])


@pytest.fixture(scope="module")
def shipped():
    import policytag

    return policytag.load()


@pytest.mark.parametrize("text, project", [("今年要抓好**氢能产业园示范项目建设。", "**氢能产业园示范项目"),
                                           ("全力推进**铝型材深加工示范项目建成投产。", "**铝型材深加工示范项目")])
def test_shipped_pipeline_tags_the_works_of_a_redacted_owner_as_one_project(shipped, text, project):
    """ANNOTATION.md: a redacted name (**) stands for the owner, and an owner plus its works is one PROJECT. The
    shipped span verifier alone would drop these two (invented) rule spans; the owner rule keeps them."""
    doc = shipped(text)
    assert [(e.text, e.label_) for e in doc.ents if e.label_ != "AMOUNT"] == [(project, "PROJECT")]


def test_amounts_keep_their_words_after_the_rules_split_a_token_before_them(shipped):
    """seed-004's paragraph: the COMPANY/PROJECT rules split a token early in the paragraph (`焊装等`); the AMOUNT
    spans found before that split still cover their own characters."""
    text = ("2、腾骏汽车项目已完成了联合厂房、涂装、焊装等车间厂房屋面封顶施工,焊装车间外墙板安装等分项工程。办公楼框架主体混凝土浇灌至第二层。"
            "宿舍楼(五幢)其中三幢宿舍楼已完成封顶,另外两幢框架主体浇灌至第二层)。部分设备已入驻厂房,累计完成投资96838万元。")
    doc = shipped(text)
    assert [e.text for e in doc.ents if e.label_ == "AMOUNT"] == ["五幢", "三幢", "两幢", "96838万元"]
    assert doc.ents[-1]._.amount["value"] == 968380000


def test_the_shipped_classifier_reads_a_report_in_context(shipped, seed_paths, tmp_path):
    """A report's paragraphs are classified in their report's context; the same paragraphs as JSONL records are
    tagged alone, with the scores the pipeline gives each paragraph by itself."""
    import policytag

    assert shipped.get_pipe("policytag_paragraph_classifier").uses_context
    recs = policytag.tag(seed_paths[0], nlp=shipped)
    lines = [json.dumps({"text": r["text"], "section": r["section"], "kind": r["kind"]}, ensure_ascii=False)
             for r in recs]
    (tmp_path / "paras.jsonl").write_text("\n".join(lines), encoding="utf-8")
    alone = policytag.tag(tmp_path / "paras.jsonl", nlp=shipped)
    assert [r["text"] for r in alone] == [r["text"] for r in recs]
    changed = [a for a, r in zip(alone, recs) if max(abs(a["cats"][c] - r["cats"][c]) for c in r["cats"]) > 1e-6]
    assert changed, "the report context changed no paragraph's scores"
    assert all(abs(sum(r["cats"].values()) - 1) < 1e-3 for r in recs)
    from policytag import extensions  # noqa: F401
    doc = shipped.make_doc(recs[3]["text"])
    doc._.section, doc._.paragraph_kind = recs[3]["section"], recs[3]["kind"]
    doc = shipped(doc)
    assert all(abs(doc.cats[c] - alone[3]["cats"][c]) < 1e-6 for c in doc.cats)
