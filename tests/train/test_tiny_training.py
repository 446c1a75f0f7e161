"""A tiny `policytag train` run on a few corpus documents: it completes, writes a loadable pipeline with its meta,
and the model beats a stated floor on its training documents (it learned something from them)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = {"train": ["seed-000", "seed-004"], "dev": ["seed-002"], "test": []}
# floors on the training documents after 60 steps (measured ≈ 0.9 category macro-F1 / 1.0 AMOUNT F1 with the
# shipped components): well below, so the test checks learning, not luck
CATEGORY_FLOOR = 0.60
AMOUNT_FLOOR = 0.90


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    corpus = root / "corpus"
    (corpus / "annotations").mkdir(parents=True)
    (corpus / "raw").mkdir()
    sources = [json.loads(x) for x in (REPO / "corpus" / "raw" / "sources.jsonl").read_text("utf-8").splitlines()]
    keep = [d for docs in DOCS.values() for d in docs]
    for d in keep:
        shutil.copy(REPO / "corpus" / "annotations" / f"{d}.jsonl", corpus / "annotations")
        shutil.copy(REPO / "corpus" / "raw" / f"{d}.txt", corpus / "raw")
    (corpus / "raw" / "sources.jsonl").write_text(
        "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in sources if s["doc"] in keep), "utf-8")
    (corpus / "splits.json").write_text(json.dumps(DOCS), "utf-8")
    out = root / "model"
    proc = subprocess.run(
        [sys.executable, "-c",
         "import json,sys; from policytag.train import train; "
         f"r=train(corpus_dir={str(corpus)!r}, output={str(out)!r}, work_dir={str(root / 'work')!r}, max_steps=60, "
         "evaluate_test=False); print('RESULT', json.dumps(r['metrics']))"],
        capture_output=True, text=True, timeout=1500)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return corpus, out


def test_tiny_training_writes_a_pipeline_with_meta(tiny):
    _, out = tiny
    meta = json.loads((out / "meta.json").read_text("utf-8"))
    assert "non-commercial" in meta["license"]
    assert meta["policytag"]["corpus_version"]
    assert meta["policytag"]["category_mode"] in ("sklearn", "textcat", "combined")
    # the character n-gram model's share was chosen on dev among the options, each scored
    from policytag.train.trainer import CHARS_WEIGHTS

    assert meta["policytag"]["chars_weight"] in CHARS_WEIGHTS
    scored = set(meta["policytag"]["dev_category_modes"])
    assert {"sklearn", "sklearn+chars@0.3", "sklearn+chars@0.5", "textcat"} <= scored
    from policytag.components.entities.component import POLICIES

    assert meta["policytag"]["merge_policy"] in POLICIES
    assert "rules_first" in meta["policytag"]["dev_merge_policies"]  # every option was scored on dev
    assert (out / "policytag_entity_merge" / "verifier.pkl").is_file()  # the span verifier ships with the pipeline
    # the scikit-learn baseline of `policytag evaluate` ships beside the classifier's own model
    assert (out / "policytag_paragraph_classifier" / "sklearn_chars.pkl").is_file()
    cfg = (out / "config.cfg").read_text("utf-8")
    for name in ("policytag_amounts", "policytag_entity_rules", "ner", "policytag_entity_merge",
                 "policytag_paragraph_classifier"):
        assert name in cfg


def test_tiny_model_beats_the_floor_on_its_documents(tiny):
    corpus, out = tiny
    proc = subprocess.run([sys.executable, "-m", "policytag.cli", "evaluate", "--model", str(out), "--corpus",
                           str(corpus), "--split", "train", "--json"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    model = result["systems"]["model"]
    assert {"model", "rules", "sklearn"} <= set(result["systems"])  # the baselines are shown beside the model
    assert set(result["systems"]["sklearn"]) == {"categories"}  # the scikit-learn baseline only classifies
    assert model["categories"]["macro_f1"] >= CATEGORY_FLOOR
    assert model["entities"]["per_label"]["AMOUNT"]["f"] >= AMOUNT_FLOOR
