#!/usr/bin/env python
"""The measurements behind the choices in train_segmenter.py (results: RESULTS.md).

    python training/segmentation/experiments.py train --mix pku --iterations 16 --snapshots 2,4,6,8,10,12,16
    python training/segmentation/experiments.py curve --mix pku --iterations 16
    python training/segmentation/experiments.py userdict --model training/work/segmentation/models/<tag>
    python training/segmentation/experiments.py float32 --model training/work/segmentation/models/<tag>

``train`` trains once and keeps the weights after the listed iterations: spacy-pkuseg's ADF optimizer does not
depend on the total number of iterations, so the snapshot after iteration n is the model an n-iteration run
with the same seed would save. ``curve`` scores every snapshot; ``userdict`` measures the user dictionary
(all of it, and each entry on its own) and pkuseg's post-merge step; ``float32`` checks float32 weights.
Everything is printed and appended as JSON lines to ``training/work/segmentation/results.jsonl``.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import segdata as sd  # noqa: E402
import train_segmenter as ts  # noqa: E402

RESULTS = sd.DEFAULT_WORK / "results.jsonl"


def record(kind: str, **fields) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    fields = {"kind": kind, "time": time.strftime("%Y-%m-%d %H:%M:%S"), **fields}
    with open(RESULTS, "a", encoding="utf-8") as f:
        f.write(json.dumps(fields, ensure_ascii=False, default=lambda o: o.as_dict()) + "\n")


def model_size(model_dir: Path) -> float:
    return sum((model_dir / n).stat().st_size for n in ("features.msgpack", "weights.npz")) / 1e6


def cmd_train(a) -> None:
    prep = ts.prepare_data(a.data, sd.DEFAULT_WORK, a.mix)
    tag = f"{a.mix.replace('+', '_')}.it{a.iterations}.seed{a.seed}"
    model_dir = sd.DEFAULT_WORK / "models" / tag
    secs = ts.train_model(prep["files"]["train"], prep["files"]["pku_test"], model_dir, a.iterations, a.seed,
                          sd.DEFAULT_WORK / "logs" / f"{tag}.log", a.snapshots)
    (model_dir / "train_seconds.json").write_text(json.dumps(round(secs, 1)))
    record("train", mix=a.mix, iterations=a.iterations, seed=a.seed, seconds=round(secs, 1),
           size_mb=round(model_size(model_dir), 2), **prep["info"])
    print(f"trained {tag} in {secs:.0f} s, {model_size(model_dir):.1f} MB")


def iteration_times(log: Path) -> dict[int, float]:
    out = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        if line.startswith("[worker] iteration"):
            parts = line.split()
            out[int(parts[2])] = float(parts[5].rstrip(",s"))
    return out


def cmd_curve(a) -> None:
    prep = ts.prepare_data(a.data, sd.DEFAULT_WORK, a.mix)
    tag = f"{a.mix.replace('+', '_')}.it{a.iterations}.seed{a.seed}"
    base = sd.DEFAULT_WORK / "models" / tag
    times = iteration_times(sd.DEFAULT_WORK / "logs" / f"{tag}.log")
    domain = sd.read_domain_gold()
    entities = sd.read_domain_entities(gold=domain)
    snaps = sorted((p for p in base.parent.glob(f"{tag}.iter*") if p.name.rsplit("iter", 1)[1].isdigit()),
                   key=lambda p: int(p.name.rsplit("iter", 1)[1]))
    for snap in snaps + [base]:
        n = int(snap.name.rsplit("iter", 1)[1]) if ".iter" in snap.name else a.iterations
        for ud in ([None, sd.USER_DICT] if a.with_dict else [None]):
            nlp = sd.build_tokenizer_nlp(snap, ud, postprocess=False)
            res = ts.evaluate(nlp, prep["pku_test"], prep["msr_test"], domain, entities)
            eb = res["entity_boundaries"]
            print(f"{a.mix:8s} it {n:2d} dict {'yes' if ud else 'no '}  PKU {res['pku_heldout'].f:.2f}  "
                  f"MSR {res['msr_heldout'].f:.2f}  domain {res['domain'].f:.2f}  "
                  f"ents {eb['aligned']}/{eb['total']}  train {times.get(n, float('nan')):.0f}s  "
                  f"{model_size(snap):.1f} MB  eval {res['chars_per_s_eval']:.0f} chars/s", flush=True)
            record("curve", mix=a.mix, iteration=n, seed=a.seed, user_dict=bool(ud),
                   train_seconds=times.get(n), size_mb=round(model_size(snap), 2), **res)


def _segment_all(nlp, sents):
    return [sd.segment(nlp, "".join(w)) for w in sents]


def cmd_userdict(a) -> None:
    """Effect of the whole dictionary, of each entry alone, and of pkuseg's post-merge step."""
    model = a.model.resolve()
    mix = "pku+msr"
    prep = ts.prepare_data(a.data, sd.DEFAULT_WORK, mix)
    domain = sd.read_domain_gold()
    entities = sd.read_domain_entities(gold=domain)
    sets = {"pku": prep["pku_test"], "msr": prep["msr_test"], "domain": [w for _, w in domain]}
    cands = sd.read_user_dict(a.candidates)

    # whole-dictionary and post-processing variants
    for ud_name, ud in (("none", None), ("candidates", a.candidates)):
        for post in (False, True):
            nlp = sd.build_tokenizer_nlp(model, ud, post)
            res = ts.evaluate(nlp, prep["pku_test"], prep["msr_test"], domain, entities)
            print(f"dict {ud_name:10s} post {'on ' if post else 'off'}  " + "  |  ".join(ts.report_lines(res)),
                  flush=True)
            record("userdict_variant", model=str(model), user_dict=ud_name, postprocess=post, **res)

    # each candidate alone, against no dictionary; only sentences that contain it can change
    nlp = sd.build_tokenizer_nlp(model, None, False)
    base = {k: _segment_all(nlp, v) for k, v in sets.items()}
    dom_ids = [sid for sid, _ in domain]
    rows = []
    for word in cands:
        sd.set_user_words(nlp, [word])
        row = {"word": word}
        for k, gold in sets.items():
            d_correct = d_pred = hits = 0
            ent_delta = 0
            for i, g in enumerate(gold):
                text = "".join(g)
                if word not in text:
                    continue
                hits += 1
                new = sd.segment(nlp, text)
                gs = sd.spans(g)
                d_correct += len(gs & sd.spans(new)) - len(gs & sd.spans(base[k][i]))
                d_pred += len(new) - len(base[k][i])
                if k == "domain":
                    for s, e, _ in entities[dom_ids[i]]:
                        ent_delta += sd.boundary_ok(new, s, e) - sd.boundary_ok(base[k][i], s, e)
            row[k] = {"sents": hits, "d_correct": d_correct, "d_pred": d_pred}
            if k == "domain":
                row[k]["d_entities_aligned"] = ent_delta
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        record("userdict_entry", model=str(model), **row)


def cmd_float32(a) -> None:
    import numpy as np
    import shutil

    model = a.model.resolve()
    prep = ts.prepare_data(a.data, sd.DEFAULT_WORK, "pku+msr")
    f32 = sd.DEFAULT_WORK / "float32" / model.name
    if f32.exists():
        shutil.rmtree(f32)
    f32.mkdir(parents=True)
    shutil.copy(model / "features.msgpack", f32 / "features.msgpack")
    npz = np.load(model / "weights.npz")
    np.savez(f32 / "weights.npz", sizes=npz["sizes"], w=npz["w"].astype(np.float32))
    print(f"weights dtype {npz['w'].dtype}, {npz['w'].size} weights; "
          f"{(model / 'weights.npz').stat().st_size / 1e6:.1f} MB -> {(f32 / 'weights.npz').stat().st_size / 1e6:.1f} MB")
    nlp64 = sd.build_tokenizer_nlp(model, None, False)
    r64 = ts.evaluate(nlp64, prep["pku_test"], prep["msr_test"])
    print("float64:", "  |  ".join(ts.report_lines(r64)))
    try:
        nlp32 = sd.build_tokenizer_nlp(f32, None, False)
        r32 = ts.evaluate(nlp32, prep["pku_test"], prep["msr_test"])
        print("float32:", "  |  ".join(ts.report_lines(r32)))
        record("float32", model=str(model), loads=True, f64=r64, f32=r32)
    except Exception as e:  # noqa: BLE001 - the finding is the exception
        print(f"float32 weights do not work: {type(e).__name__}: {e}")
        record("float32", model=str(model), loads=False, error=f"{type(e).__name__}: {e}", f64=r64)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("train", "curve"):
        p = sub.add_parser(name)
        p.add_argument("--mix", choices=["pku", "pku+msr"], required=True)
        p.add_argument("--iterations", type=int, required=True)
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--data", type=Path, default=sd.DEFAULT_DATA)
    sub.choices["train"].add_argument("--snapshots", default="")
    sub.choices["curve"].add_argument("--with-dict", action="store_true")
    for name in ("userdict", "float32"):
        p = sub.add_parser(name)
        p.add_argument("--model", type=Path, required=True)
        p.add_argument("--data", type=Path, default=sd.DEFAULT_DATA)
    sub.choices["userdict"].add_argument("--candidates", type=Path, default=sd.HERE / "user_dict_candidates.txt")
    a = ap.parse_args(argv)
    {"train": cmd_train, "curve": cmd_curve, "userdict": cmd_userdict, "float32": cmd_float32}[a.cmd](a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
