"""Output formats: CSV tables and HTML pages for the seeds, checked with the csv module and as text."""

import csv
import json
import re
import subprocess
import sys

import pytest


def run(*args):
    return subprocess.run([sys.executable, "-m", "policytag.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=900)


@pytest.fixture(scope="module")
def jsonl_records(seed_paths, tmp_path_factory):
    out = tmp_path_factory.mktemp("j") / "seeds.jsonl"
    assert run("tag", *seed_paths, "-o", out).returncode == 0
    return [json.loads(x) for x in out.read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def csv_dir(seed_paths, tmp_path_factory):
    out = tmp_path_factory.mktemp("csv")
    proc = run("tag", *seed_paths, "--format", "csv", "-o", out)
    assert proc.returncode == 0, proc.stderr
    return out


def read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_csv_paragraph_table(csv_dir, jsonl_records):
    rows = read_csv(csv_dir / "paragraphs.csv")
    assert [r["id"] for r in rows] == [r["id"] for r in jsonl_records]
    for row, rec in zip(rows, jsonl_records):
        assert row["text"] == rec["text"]
        assert row["section"] == " > ".join(rec["section"])
        assert row["category"] == (rec["category"] or "")
        assert int(row["source_start"]) == rec["source_span"][0]
    assert not list(csv_dir.glob(".*.tmp"))


def test_csv_entity_and_amount_tables(csv_dir, jsonl_records):
    ents = read_csv(csv_dir / "entities.csv")
    expected = [(r["id"], e["start"], e["end"], e["label"], e["text"]) for r in jsonl_records for e in r["entities"]]
    assert [(e["paragraph_id"], int(e["start"]), int(e["end"]), e["label"], e["text"]) for e in ents] == expected
    amounts = read_csv(csv_dir / "amounts.csv")
    assert len(amounts) == sum(1 for r in jsonl_records for e in r["entities"] if e["label"] == "AMOUNT")
    assert amounts, "the seeds are full of quantities"
    by_text = {a["text"]: a for a in amounts}
    if "118亿元" in by_text:
        assert float(by_text["118亿元"]["value"]) == 1.18e10 and by_text["118亿元"]["unit"] == "CNY"
    ranged = [a for a in amounts if a["low"] != a["high"]]
    assert all(a["value"] == "" and float(a["low"]) < float(a["high"]) for a in ranged)


def test_html_pages(seed_paths, tmp_path, jsonl_records):
    proc = run("tag", *seed_paths, "--format", "html", "-o", tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in tmp_path.glob("*.html"))
    assert names == ["index.html"] + [f"{p.stem}.html" for p in seed_paths]
    page = (tmp_path / "seed-000.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "<script" not in page and not re.search(r"(src|href)=\"https?://", page), "must open offline"
    recs = [r for r in jsonl_records if r["doc"] == "seed-000"]
    assert page.count('<section class="p') == len(recs)
    for rec in recs:
        if rec["category"]:
            assert f">{rec['category']} " in page
    amount = next(e for r in recs for e in r["entities"] if e["label"] == "AMOUNT")
    assert f">{amount['text']}" in page or amount["text"] in page
    index = (tmp_path / "index.html").read_text("utf-8")
    assert all(f'href="{p.stem}.html"' in index for p in seed_paths)


def test_csv_and_html_need_an_output_folder(seed_paths):
    proc = run("tag", seed_paths[0], "--format", "csv")
    assert proc.returncode == 2 and "-o DIR" in proc.stderr


def test_workers_give_the_same_output_in_the_same_order(seed_paths, tmp_path, jsonl_records):
    out = tmp_path / "w2.jsonl"
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    proc = run("tag", seed_paths[0], bad, *seed_paths[1:], "--workers", "2", "-o", out)
    assert proc.returncode == 1 and "empty.txt: empty file" in proc.stderr
    assert [json.loads(x) for x in out.read_text("utf-8").splitlines()] == jsonl_records


def test_dataframes(seed_paths):
    pd = pytest.importorskip("pandas")
    import policytag

    recs = policytag.tag(seed_paths[0])
    frames = recs.frames()
    assert set(frames) == {"paragraphs", "entities", "amounts"}
    assert isinstance(frames["paragraphs"], pd.DataFrame) and len(frames["paragraphs"]) == len(recs)
    assert len(frames["entities"]) == sum(len(r["entities"]) for r in recs)
