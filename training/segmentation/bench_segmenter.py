#!/usr/bin/env python
"""Segmentation throughput of the shipped tokenizer-only pipeline on the national government work reports.

    python training/segmentation/bench_segmenter.py ../shared/data/national/government_work_reports_1954_2012.jsonl
    python training/segmentation/bench_segmenter.py REPORTS.jsonl --model models/segmenter --n-process 2

Reads the ``content`` field of every line, normalizes it like the training data (CRLF -> LF; full-width digits,
Latin letters and % -> ASCII), splits it into paragraphs at line breaks, and times ``nlp.pipe`` over them.
Prints characters per second (all characters of the paragraphs, whitespace included) by wall-clock time and,
for ``--n-process 1``, by this process's CPU time, which is the steadier figure on a shared machine.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import segdata as sd  # noqa: E402


def paragraphs(path: Path, limit_chars: int | None) -> list[str]:
    out, total = [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            content = sd.normalize_text(json.loads(line)["content"])
            for para in content.split("\n"):
                para = para.strip()
                if para:
                    out.append(para)
                    total += len(para)
                    if limit_chars and total >= limit_chars:
                        return out
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("reports", type=Path, help="JSONL with a 'content' field per line")
    ap.add_argument("--model", type=Path, default=sd.REPO / "models" / "segmenter")
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--limit-chars", type=int, default=None, help="stop after this many characters")
    ap.add_argument("--repeat", type=int, default=1, help="time this many passes and report each")
    a = ap.parse_args(argv)

    import spacy

    t0 = time.perf_counter()
    nlp = spacy.load(a.model)
    load_s = time.perf_counter() - t0
    paras = paragraphs(a.reports, a.limit_chars)
    n_chars = sum(len(p) for p in paras)
    print(f"model {a.model} loaded in {load_s:.2f} s; {len(paras)} paragraphs, {n_chars} chars; "
          f"n_process={a.n_process}", flush=True)
    rates = []
    for r in range(a.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        n_tokens = 0
        for doc in nlp.pipe(paras, batch_size=a.batch_size, n_process=a.n_process):
            n_tokens += len(doc)
        secs, cpu = time.perf_counter() - t0, time.process_time() - c0
        rates.append((n_chars / secs, n_chars / cpu))
        cpu_note = f", {n_chars / cpu:,.0f} chars per CPU second" if a.n_process == 1 else ""
        print(f"pass {r + 1}: {secs:.1f} s, {n_tokens} tokens, {n_chars / secs:,.0f} chars/s{cpu_note}, "
              f"{n_chars / max(n_tokens, 1):.2f} chars/token", flush=True)
    best_wall = max(w for w, _ in rates)
    line = f"chars/s: {best_wall:,.0f} wall-clock (best of {len(rates)})"
    if a.n_process == 1:
        line += f"; {max(c for _, c in rates):,.0f} per CPU second"
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
