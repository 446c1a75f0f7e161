"""Reading + structure throughput on the national reports in corpus/raw (string work; goal >= 1 MB/s).

    python bench/bench_read.py [--repeat 3]
Prints chars/s and MB/s (UTF-8 bytes) of policytag.read over all national-*.txt reports, best of N runs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from policytag.read import build_report
from policytag.read.decode import read_source

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    files = sorted((ROOT / "corpus" / "raw").glob("national-*.txt"))
    sizes = sum(f.stat().st_size for f in files)
    best = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        chars = paragraphs = 0
        for f in files:
            decoded = read_source(f)
            report = build_report(decoded.text, f.stem, encoding=decoded.encoding)
            chars += len(decoded.text)
            paragraphs += len(report.paragraphs)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    print(f"read+structure: {len(files)} reports, {chars:,} chars, {sizes / 1e6:.2f} MB, {paragraphs} paragraphs")
    print(f"  best of {args.repeat}: {best:.3f} s = {chars / best:,.0f} chars/s = {sizes / best / 1e6:.2f} MB/s")


if __name__ == "__main__":
    main()
