import hashlib
import json
import shutil
from pathlib import Path

import pytest

from policytag.corpus import Corpus, new_record
from policytag.read import read

DATA = Path(__file__).resolve().parents[1] / "data" / "reports"


def make_corpus(root: Path, docs: dict[str, str]) -> Corpus:
    """A small corpus: docs maps doc id -> split; raw files are copies of the test seeds."""
    (root / "raw").mkdir(parents=True)
    (root / "annotations").mkdir()
    sources = []
    splits = {"train": [], "dev": [], "test": []}
    for doc, split in docs.items():
        raw = root / "raw" / f"{doc}.txt"
        shutil.copy(DATA / f"{doc}.txt", raw)
        data = raw.read_bytes()
        sources.append({"doc": doc, "file": raw.name, "kind": "seed", "title": "", "year": None, "source": "test copy",
                        "licence": "public", "sha256": hashlib.sha256(data).hexdigest()})
        report = read(raw, doc_id=doc)
        recs = [new_record(doc, p.index, p.text, section=p.section, kind=p.kind, source_span=p.source_span)
                for p in report.paragraphs]
        (root / "annotations" / f"{doc}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), "utf-8")
        splits[split].append(doc)
    (root / "raw" / "sources.jsonl").write_text("".join(json.dumps(s, ensure_ascii=False) + "\n" for s in sources), "utf-8")
    (root / "splits.json").write_text(json.dumps(splits), "utf-8")
    return Corpus(root)


@pytest.fixture
def small_corpus(tmp_path) -> Corpus:
    return make_corpus(tmp_path / "corpus", {"seed-003": "train", "seed-004": "test"})
