"""`policytag corpus add`: a new report becomes unlabelled records; nothing existing changes."""

import shutil
import subprocess
import sys

from policytag.read import read


def snapshot(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_add_a_seed_copy_adds_exactly_its_paragraphs(small_corpus, tmp_path, data_dir):
    new = tmp_path / "county-report.txt"
    shutil.copy(data_dir / "reports" / "seed-001.txt", new)
    before = snapshot(small_corpus.root)
    proc = subprocess.run([sys.executable, "-m", "policytag.cli", "corpus", "add", new, "--corpus", small_corpus.root,
                           "--source", "test copy of seed-001"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    after = snapshot(small_corpus.root)
    for path, data in before.items():
        if path.name == "sources.jsonl":
            assert after[path].startswith(data)  # appended, existing bytes kept
        else:
            assert after[path] == data, path
    added = set(after) - set(before)
    assert {p.as_posix() for p in added} == {"annotations/county-report.jsonl", "raw/county-report.txt"}
    records = small_corpus.records("county-report")
    expected = read(new).paragraphs
    assert [(r["index"], r["text"], r["section"]) for r in records] == [(p.index, p.text, p.section) for p in expected]
    assert all(r["category"] is None and r["entities"] is None for r in records)
    assert small_corpus.sources()["county-report"]["source"] == "test copy of seed-001"


def test_adding_an_existing_document_is_refused_and_changes_nothing(small_corpus, data_dir):
    before = snapshot(small_corpus.root)
    proc = subprocess.run([sys.executable, "-m", "policytag.cli", "corpus", "add", data_dir / "reports" / "seed-003.txt",
                           "--corpus", small_corpus.root], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1
    assert "already in the corpus" in proc.stderr
    assert snapshot(small_corpus.root) == before


def test_stats_counts(small_corpus):
    from policytag.corpus import stats

    s = stats.compute(small_corpus)
    assert s["splits"]["train"]["documents"] == 1 and s["splits"]["test"]["documents"] == 1
    assert s["splits"]["train"]["paragraphs"] == len(small_corpus.records("seed-003"))
    assert s["reviewed_share"] is None
