"""The `policytag tag` contract and its handling of bad input, through the real console script."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from policytag.pipeline import RECORD_KEYS

ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "policytag.cli", *map(str, args)], capture_output=True, text=True,
                          env=ENV, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def seed_output(tmp_path_factory, seed_paths):
    out = tmp_path_factory.mktemp("out") / "seeds.jsonl"
    proc = run("tag", *seed_paths, "-o", out)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def test_every_seed_paragraph_follows_the_contract(seed_output, seed_paths):
    from policytag.read import read

    expected = [(p.stem, para.index, para.text) for p in seed_paths for para in read(p).paragraphs]
    assert [(r["doc"], r["index"], r["text"]) for r in seed_output] == expected
    for rec in seed_output:
        assert tuple(rec) == RECORD_KEYS
        assert rec["id"] == f"{rec['doc']}#{rec['index']}"
        assert isinstance(rec["section"], list) and isinstance(rec["cats"], dict)
        s, e = rec["source_span"]
        assert 0 <= s < e
        for ent in rec["entities"]:
            assert rec["text"][ent["start"]:ent["end"]] == ent["text"]
            assert ent["label"] in {"COMPANY", "PROJECT", "AMOUNT"}
            if ent["label"] == "AMOUNT":
                assert {"value", "unit", "comparator"} <= set(ent)


def test_stdout_is_the_default_output(seed_paths):
    proc = run("tag", seed_paths[3])
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert lines and all(json.loads(x)["doc"] == "seed-003" for x in lines)


def test_directory_input(tmp_path, seed_paths):
    for p in seed_paths[:2]:
        (tmp_path / p.name).write_bytes(p.read_bytes())
    (tmp_path / "notes.csv").write_text("not a report")
    proc = run("tag", tmp_path)
    assert proc.returncode == 0
    assert [json.loads(x)["doc"] for x in proc.stdout.splitlines()][0] == "seed-000"
    assert {json.loads(x)["doc"] for x in proc.stdout.splitlines()} == {"seed-000", "seed-001"}


def test_jsonl_records_are_tagged_as_given(tmp_path):
    src = tmp_path / "paras.jsonl"
    src.write_text('{"id": "p-1", "text": "  完成固定资产投资262.9亿元 "}\n\n{"text": "二、存在的问题"}\n', "utf-8")
    proc = run("tag", src)
    assert proc.returncode == 0, proc.stderr
    recs = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [r["id"] for r in recs] == ["p-1", "paras#1"]
    assert recs[0]["text"] == "  完成固定资产投资262.9亿元 "  # as given, not normalized
    assert recs[0]["source_span"] == [0, len(recs[0]["text"])]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "empty.txt: empty file"),
        ("binary.txt", b"\x00\x01\x02\x03" * 100, "binary.txt: binary file"),
        ("bad.txt", b"\x80\x81\xff\xff\xfe\x80" * 50, "bad.txt: cannot decode"),
        ("bad16.txt", b"\xff\xfe" + b"\xff\xff\x00\xd8" * 50, "bad16.txt: cannot decode"),
        ("missing.txt", None, "missing.txt: no such file"),
        ("bad.jsonl", b'{"text": "ok"}\n{"text": \n', "bad.jsonl:2: malformed JSON"),
        ("notext.jsonl", b'{"id": 3}\n', 'notext.jsonl:1: record has no "text"'),
    ],
)
def test_bad_input_gives_one_line_and_the_batch_goes_on(tmp_path, seed_paths, name, content, message):
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    out = tmp_path / "out.jsonl"
    proc = run("tag", bad, seed_paths[3], "-o", out)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    first = proc.stderr.splitlines()[0]
    assert first.startswith("policytag: error: ") and message in first
    docs = {json.loads(x)["doc"] for x in out.read_text("utf-8").splitlines()}
    assert "seed-003" in docs  # the good file was still processed and written


def test_a_bad_model_path_is_one_line(tmp_path, seed_paths):
    proc = run("tag", seed_paths[3], "--model", tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.strip().startswith("policytag: error: not a spaCy pipeline directory")


def test_usage_errors_exit_2():
    assert run().returncode == 2
    assert run("tag").returncode == 2


def test_python_api_matches_the_cli(seed_output, seed_paths):
    import policytag

    recs = policytag.tag(seed_paths[0])
    assert recs == [r for r in seed_output if r["doc"] == "seed-000"]
    text_recs = policytag.tag("一、成效\n全区完成工业增加值101.6亿元，同比增长19.5%。")
    assert [r["text"] for r in text_recs] == ["一、成效", "全区完成工业增加值101.6亿元，同比增长19.5%。"]
    assert text_recs[1]["section"] == ["一、成效"]


def test_python_api_errors(tmp_path):
    import policytag

    with pytest.raises(policytag.ReadError, match="no such file"):
        policytag.tag(tmp_path / "nope.txt")
    skipped = policytag.tag([tmp_path / "nope.txt"], on_error="skip")
    assert skipped == [] and len(skipped.problems) == 1
