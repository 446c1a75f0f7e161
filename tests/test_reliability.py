"""Reliability: whatever files a crawl produces, policytag answers with a clear error or correct output, never a
traceback, and an interrupted corpus write leaves the corpus as it was."""

import json
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policytag.errors import ReadError
from policytag.read import decode_bytes, read


def cli(*args, **kw):
    return subprocess.run([sys.executable, "-m", "policytag.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=900, **kw)


def test_mixed_encoding_lines_are_each_decoded(data_dir):
    lines = (data_dir / "reports" / "seed-000.txt").read_text("utf-8").split("\n")
    data = "\n".join(lines[:10]).encode() + b"\n" + "\n".join(lines[10:20]).encode("gb18030") + b"\n" + "\n".join(lines[20:]).encode()
    decoded = decode_bytes(data)
    assert decoded.encoding == "mixed:utf-8+gb18030"
    assert decoded.text == "\n".join(lines)


def test_wrong_encoding_claim_in_name_does_not_matter(tmp_path, data_dir):
    f = tmp_path / "report.utf8.txt"
    f.write_bytes((data_dir / "encodings" / "seed-000.gb18030.txt").read_bytes())
    assert read(f).paragraphs[0].text.startswith("主题教育专题调研报告")


def test_a_10_mb_report_is_read(tmp_path, data_dir):
    text = (data_dir / "reports" / "seed-001.txt").read_text("utf-8")
    big = tmp_path / "big.txt"
    reps = 10_000_000 // len(text.encode()) + 1
    big.write_text("\n".join([text] * reps), "utf-8")
    assert big.stat().st_size >= 10_000_000
    report = read(big)
    assert len(report.paragraphs) > 1000
    for p in report.paragraphs[:: max(1, len(report.paragraphs) // 50)]:
        s, e = p.source_span
        assert report.normalize(report.source[s:e]) == p.text


def test_a_line_of_200k_characters_is_tagged(tmp_path):
    f = tmp_path / "long.txt"
    sentence = "全区完成固定资产投资262.9亿元，同比增长8.4%，新签约项目132项。"
    f.write_text(sentence * (200_000 // len(sentence) + 1), "utf-8")
    out = tmp_path / "out.jsonl"
    proc = cli("tag", f, "-o", out)
    assert proc.returncode == 0, proc.stderr[-500:]
    recs = [json.loads(x) for x in out.read_text("utf-8").splitlines()]
    assert len(recs) == 1 and len(recs[0]["text"]) >= 200_000
    for e in recs[0]["entities"][:200]:
        assert recs[0]["text"][e["start"]:e["end"]] == e["text"]


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\x00" * 64, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
                                     b"\x80\x81\xfe\xff" * 64, b"PK\x03\x04" + b"\x00" * 64])
def test_bad_files_give_one_line(tmp_path, content):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    proc = cli("tag", f)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines()[0].startswith(f"policytag: error: {f}: ")


def test_malformed_jsonl_lines_are_reported_with_line_numbers(tmp_path):
    f = tmp_path / "recs.jsonl"
    f.write_text('{"text": "第一段。"}\n[1, 2]\n{"text": 5}\n{"text": "第二段。", "id": "b"}\n{oops\n', "utf-8")
    proc = cli("tag", f)
    assert proc.returncode == 1
    errs = [line for line in proc.stderr.splitlines() if line.startswith("policytag: error: ") and ":" in line]
    assert any("recs.jsonl:2: a record must be a JSON object" in e for e in errs)
    assert any('recs.jsonl:3: record has no "text"' in e for e in errs)
    assert any("recs.jsonl:5: malformed JSON" in e for e in errs)
    assert [json.loads(x)["text"] for x in proc.stdout.splitlines()] == ["第一段。", "第二段。"]


def test_interrupted_corpus_write_leaves_the_corpus_as_it_was(tmp_path, monkeypatch):
    from policytag.corpus import Corpus, new_record
    from policytag.corpus import store

    (tmp_path / "annotations").mkdir()
    corpus = Corpus(tmp_path)
    recs = [new_record("d", i, f"第{i}段，完成投资{i}亿元。") for i in range(2000)]
    corpus.write_doc("d", recs)
    before = corpus.doc_path("d").read_bytes()

    class Boom(Exception):
        pass

    real_fsync = os.fsync

    def failing_fsync(fd):
        raise Boom("power cut")

    monkeypatch.setattr(store.os, "fsync", failing_fsync)
    changed = [dict(r, kind="heading") for r in recs]
    with pytest.raises(Boom):
        corpus.write_doc("d", changed)
    monkeypatch.setattr(store.os, "fsync", real_fsync)
    assert corpus.doc_path("d").read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "annotations").iterdir()) == ["d.jsonl"]


def test_killed_writer_process_leaves_the_target_intact(tmp_path):
    from policytag.corpus import Corpus, new_record

    (tmp_path / "annotations").mkdir()
    corpus = Corpus(tmp_path)
    corpus.write_doc("d", [new_record("d", 0, "原文。")])
    before = corpus.doc_path("d").read_bytes()
    script = (
        "import sys, os, signal\n"
        "from policytag.corpus import store\n"
        "real = store.os.replace\n"
        "def die(*a):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
        "store.os.replace = die\n"
        f"from policytag.corpus import Corpus, new_record\n"
        f"Corpus({str(tmp_path)!r}).write_doc('d', [new_record('d', i, '新文本。') for i in range(5000)])\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=300)
    assert proc.returncode != 0
    assert corpus.doc_path("d").read_bytes() == before
    assert corpus.doc_ids() == ["d"]  # a leftover temp file is not a document


texts = st.text(alphabet=st.sampled_from(list("一二三四五六七八九十百千万亿元吨%％.,，。、；：（）()“”\n\r \u3000xX*0123456789项目公司集团增长达到以上左右约近是的了在和与及年月日季度第根據(jù)")), max_size=400)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_fuzz_reading_and_structure_keep_offsets_valid(text):
    try:
        report = read(text)
    except ReadError:
        return
    for p in report.paragraphs:
        s, e = p.source_span
        assert 0 <= s < e <= len(report.source)
        assert len(p.offsets) == len(p.text)
        assert all(s <= o < e for o in p.offsets)
        assert p.offsets == sorted(p.offsets)
        assert p.kind in ("title", "meta", "salutation", "heading", "body", "signoff")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_decoding_arbitrary_bytes(data):
    try:
        decoded = decode_bytes(data, "fuzz.txt")
    except ReadError as e:
        assert str(e).startswith("fuzz.txt: ") and "\n" not in str(e)
        return
    assert isinstance(decoded.text, str)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_fuzz_amount_recognizer_spans_inside_text(text):
    from policytag.components.amounts import find_amounts

    last = 0
    for a in find_amounts(text):
        assert last <= a.start < a.end <= len(text)
        assert text[a.start:a.end] == a.text
        last = a.end
