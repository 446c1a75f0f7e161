"""The whole pipeline trained without one report and scored on it: a copy of the corpus with the report moved out of
its split into test, `policytag train --corpus COPY --no-test`, then `policytag evaluate --docs REPORT`. Every
trained part (NER, span verifier, classifier, report context) has then never seen the report. The test split's
reports are refused: they are never trained on and never studied.

    python training/experiments/holdout_report.py seed-000 [--output DIR] [--max-steps N]

Training writes its work files under training/work/train, so run one at a time per checkout. Figures in
training/RESULTS.md (session 11).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report", help="a train or dev report with labels, e.g. seed-000")
    ap.add_argument("--output", help="where to keep the pipeline trained without it (default: a temporary folder)")
    ap.add_argument("--max-steps", type=int, help="override training.max_steps (a quick check)")
    args = ap.parse_args()
    splits = json.loads((ROOT / "corpus" / "splits.json").read_text("utf-8"))
    home = next((s for s in ("train", "dev") if args.report in splits[s]), None)
    if home is None:
        sys.exit(f"holdout_report: error: {args.report} is not a train or dev report")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        splits[home].remove(args.report)
        splits["test"].append(args.report)
        (corpus / "splits.json").write_text(json.dumps(splits, ensure_ascii=False, indent=1), encoding="utf-8")
        model = Path(args.output) if args.output else Path(tmp) / "model"
        train = ["policytag", "train", "--corpus", str(corpus), "--output", str(model), "--no-test"]
        subprocess.run(train + (["--max-steps", str(args.max_steps)] if args.max_steps else []), check=True)
        subprocess.run(["policytag", "evaluate", "--model", str(model), "--corpus", str(corpus), "--docs",
                        args.report], check=True)


if __name__ == "__main__":
    main()
