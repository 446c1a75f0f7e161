"""policytag benchmark: speed and memory of the shipped pipeline on the national reports in corpus/raw.

    python bench/run_bench.py [--model PATH] [--limit N] [--json OUT]

Prints, for the 40 national government work reports (≈0.88 M characters):
- chars/second per stage: read (+structure), segment (pkuseg tokenizer), and each pipeline component in order
  (AMOUNT recognizer, entity rules, tok2vec+NER, textcat, merge, paragraph classifier), one process;
- end to end (`policytag tag`, files in, JSONL out) with 1 and 2 worker processes;
- cold start: a fresh process that imports policytag, loads the pipeline and tags one paragraph;
- peak memory (max RSS) of the end-to-end runs.
Stage figures are wall-clock on this machine; run it on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def national_files(limit: int | None) -> list[Path]:
    files = sorted((ROOT / "corpus" / "raw").glob("national-*.txt"))
    return files[:limit] if limit else files


def stage_times(model: str | None, files: list[Path]) -> tuple[list[tuple[str, float, int]], int]:
    import policytag
    from policytag.pipeline.tagging import make_docs, report_inputs
    from policytag.read import read

    nlp = policytag.load(model)
    t0 = time.perf_counter()
    reports = [read(f) for f in files]
    t_read = time.perf_counter() - t0
    source_chars = sum(len(r.source) for r in reports)
    inputs = [i for r in reports for i in report_inputs(r)]
    chars = sum(len(i.text) for i in inputs)
    rows = [("read + structure", t_read, source_chars)]
    t0 = time.perf_counter()
    docs = list(make_docs(nlp, inputs))
    rows.append(("segment (pkuseg tokenizer)", time.perf_counter() - t0, chars))
    for name, proc in nlp.pipeline:
        t0 = time.perf_counter()
        if hasattr(proc, "pipe"):
            docs = list(proc.pipe(docs, batch_size=64))
        else:
            docs = [proc(d) for d in docs]
        rows.append((name, time.perf_counter() - t0, chars))
    return rows, chars


def end_to_end(model: str | None, files: list[Path], workers: int) -> dict:
    out = Path(tempfile.mkdtemp()) / "out.jsonl"
    cmd = [sys.executable, "-m", "policytag.cli", "tag", *map(str, files), "-o", str(out), "--workers", str(workers)]
    if model:
        cmd += ["--model", model]
    script = ("import resource, subprocess, sys, time, json\n"
              "t=time.perf_counter(); p=subprocess.run(sys.argv[1:]); dt=time.perf_counter()-t\n"
              "r=resource.getrusage(resource.RUSAGE_CHILDREN)\n"
              "print(json.dumps({'rc': p.returncode, 'seconds': dt, 'max_rss_mb': r.ru_maxrss/1024}))\n")
    res = json.loads(subprocess.run([sys.executable, "-c", script, *cmd], capture_output=True, text=True,
                                    check=True).stdout.strip().splitlines()[-1])
    res["chars"] = sum(len(json.loads(line)["text"]) for line in out.read_text("utf-8").splitlines())
    return res


def cold_start(model: str | None) -> float:
    code = ("import time; t=time.perf_counter(); import policytag; nlp=policytag.load(%r); "
            "policytag.tag('一、成效\\n全区完成工业增加值101.6亿元，同比增长19.5%%。', nlp=nlp); "
            "print(time.perf_counter()-t)" % (model,))
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(3)]
    return min(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    files = national_files(args.limit)
    print(f"policytag benchmark: {len(files)} national reports, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    rows, chars = stage_times(args.model, files)
    print(f"\n{'stage':<34}{'seconds':>10}{'chars/s':>14}")
    for name, dt, n in rows:
        print(f"{name:<34}{dt:>10.2f}{n / dt:>14,.0f}")
    total = sum(dt for name, dt, _ in rows[1:])
    print(f"{'pipeline (segment..classifier)':<34}{total:>10.2f}{chars / total:>14,.0f}")
    e2e = {w: end_to_end(args.model, files, w) for w in (1, 2)}
    print(f"\n{'end to end (policytag tag)':<34}{'seconds':>10}{'chars/s':>14}{'max RSS MB':>12}")
    for w, r in e2e.items():
        print(f"{f'{w} worker(s)':<34}{r['seconds']:>10.2f}{r['chars'] / r['seconds']:>14,.0f}{r['max_rss_mb']:>12.0f}")
    speedup = e2e[1]["seconds"] / e2e[2]["seconds"]
    print(f"speed-up with 2 workers: {speedup:.2f}x")
    cs = cold_start(args.model)
    print(f"\ncold start (import + load + first paragraph, best of 3): {cs:.2f} s")
    if args.json:
        args.json.write_text(json.dumps({"stages": rows, "end_to_end": e2e, "cold_start": cs, "speedup": speedup},
                                        indent=1))


if __name__ == "__main__":
    main()
