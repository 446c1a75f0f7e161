#!/usr/bin/env python
"""The measurements behind the choices in train_segmenter.py (results: RESULTS.md).

The runs behind RESULTS.md (work folder: training/work/segmentation, gitignored):

    python training/segmentation/experiments.py train --mix pku --iterations 16 --snapshots 2,4,6,8,10,12
    python training/segmentation/experiments.py train --mix pku+msr --iterations 14 --snapshots 2,4,6,8,10,12
    python training/segmentation/experiments.py train --mix pku+msr25 --iterations 12 --snapshots 6,8,10
    python training/segmentation/experiments.py curve --mix pku --iterations 16 [--postprocess on]
    python training/segmentation/experiments.py curve --mix pku+msr --iterations 14
    python training/segmentation/experiments.py curve --mix pku+msr25 --iterations 12 --postprocess on
    python training/segmentation/experiments.py userdict --variants --model training/work/segmentation/models/pku.it10.seed0
    python training/segmentation/experiments.py userdict --model training/work/segmentation/models/pku_msr25.it12.seed0.iter10
    python training/segmentation/experiments.py float32 --model training/work/segmentation/models/pku.it10.seed0

(``models/pku.it10.seed0`` is the model ``train_segmenter.py`` trains with its defaults.)

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
            nlp = sd.build_tokenizer_nlp(snap, ud, postprocess=a.postprocess == "on")
            res = ts.evaluate(nlp, prep["pku_test"], prep["msr_test"], domain, entities)
            eb = res["entity_boundaries"]
            print(f"{a.mix:8s} it {n:2d} post {a.postprocess:3s} dict {'yes' if ud else 'no '}  PKU {res['pku_heldout'].f:.2f}  "
                  f"MSR {res['msr_heldout'].f:.2f}  domain {res['domain'].f:.2f}  "
                  f"ents {eb['aligned']}/{eb['total']}  train {times.get(n, float('nan')):.0f}s  "
                  f"{model_size(snap):.1f} MB  eval {res['chars_per_s_eval']:.0f} chars/s", flush=True)
            record("curve", mix=a.mix, iteration=n, seed=a.seed, user_dict=bool(ud), postprocess=a.postprocess,
                   train_seconds=times.get(n), size_mb=round(model_size(snap), 2), **res)


def _segment_all(nlp, sents):
    return [sd.segment(nlp, "".join(w)) for w in sents]


def _f1(correct: int, pred: int, gold: int) -> float:
    return 0.0 if not correct else 200.0 * correct / (pred + gold)


def cmd_userdict(a) -> None:
    """Effect of the whole candidate list, of each entry alone, the selection rule, and pkuseg's post-merge step.

    Rule for an entry (with the chosen post-processing): keep it when it raises word F1 on the domain gold or
    aligns more entity spans, lowers neither of those, and does not lower F1 on held-out PKU or MSR; entries that
    change nothing are dropped. Each entry is first measured alone (against no dictionary); then entries are
    added greedily in order of their own domain gain, each kept only if the rule still holds given the entries
    already kept (longest match makes entries interact: 固定资产 + 固定资产投资). A two-fold check
    (select on odd domain lines, score on even ones, and the reverse) estimates the gain without selection bias.
    """
    model = a.model.resolve()
    post = a.postprocess == "on"
    prep = ts.prepare_data(a.data, sd.DEFAULT_WORK, "pku+msr")
    domain = sd.read_domain_gold()
    entities = sd.read_domain_entities(gold=domain)
    sets = {"pku": prep["pku_test"], "msr": prep["msr_test"], "domain": [w for _, w in domain]}
    # a candidate line is one word, or words joined by '|' that are tried and kept together (a group)
    cands = [tuple(line.split("|")) for line in sd.read_user_dict(a.candidates)]
    dom_ids = [sid for sid, _ in domain]

    if a.variants:
        for ud_name, ud in (("none", None), ("candidates", a.candidates)):
            for p in (False, True):
                nlp = sd.build_tokenizer_nlp(model, ud, p)
                res = ts.evaluate(nlp, prep["pku_test"], prep["msr_test"], domain, entities)
                print(f"dict {ud_name:10s} post {'on ' if p else 'off'}  " + "  |  ".join(ts.report_lines(res)),
                      flush=True)
                record("userdict_variant", model=str(model), user_dict=ud_name, postprocess=p, **res)

    nlp = sd.build_tokenizer_nlp(model, None, post)
    base = {k: _segment_all(nlp, v) for k, v in sets.items()}
    totals = {k: sd.score(sets[k], base[k]) for k in sets}

    def per_sentence_effect(group, current=()):
        """{set: {sentence index: (d_correct, d_pred, d_entities)}}: adding ``group`` to the ``current`` groups."""
        cur = [w for grp in current for w in grp]
        ref = base
        if current:
            sd.set_user_words(nlp, cur)
            ref = {k: [sd.segment(nlp, "".join(g)) if any(w in "".join(g) for w in group) else None for g in gold]
                   for k, gold in sets.items()}
        sd.set_user_words(nlp, [*cur, *group])
        eff = {}
        for k, gold in sets.items():
            eff[k] = {}
            for i, g in enumerate(gold):
                text = "".join(g)
                if not any(w in text for w in group):
                    continue
                new = sd.segment(nlp, text)
                old = ref[k][i]
                if new == old:
                    continue
                gs = sd.spans(g)
                dc = len(gs & sd.spans(new)) - len(gs & sd.spans(old))
                dp = len(new) - len(old)
                de = 0
                if k == "domain":
                    sid = dom_ids[i]
                    de = sum(sd.boundary_ok(new, s, e) for s, e, _ in entities[sid]) - \
                        sum(sd.boundary_ok(old, s, e) for s, e, _ in entities[sid])
                eff[k][i] = (dc, dp, de)
        return eff

    def gain(k, eff, idx=None):
        t = totals[k]
        items = [v for i, v in eff[k].items() if idx is None or i in idx]
        dc = sum(v[0] for v in items)
        dp = sum(v[1] for v in items)
        de = sum(v[2] for v in items)
        return _f1(t.correct + dc, t.pred + dp, t.gold) - _f1(t.correct, t.pred, t.gold), de

    def keep(eff, idx=None):
        dom_f1, dom_ents = gain("domain", eff, idx)
        pku_f1, _ = gain("pku", eff)
        msr_f1, _ = gain("msr", eff)
        return (dom_f1 > 1e-9 or dom_ents > 0) and dom_f1 > -1e-9 and dom_ents >= 0 \
            and pku_f1 > -1e-9 and msr_f1 > -1e-9

    effects = {}
    for word in cands:
        eff = per_sentence_effect(word)
        effects[word] = eff
        d_f1, d_ents = gain("domain", eff)
        row = {"word": "|".join(word), "domain_f1": round(d_f1, 3), "domain_entities": d_ents,
               "pku_f1": round(gain("pku", eff)[0], 3), "msr_f1": round(gain("msr", eff)[0], 3),
               "changed_sentences": {k: len(v) for k, v in eff.items()}, "keep": keep(eff)}
        print(json.dumps(row, ensure_ascii=False), flush=True)
        record("userdict_entry", model=str(model), postprocess=post, **row)

    def greedy(idx=None):
        """Add entries in order of their own domain gain; keep one only if it still helps given those kept."""
        order = sorted(cands, key=lambda w: (-gain("domain", effects[w], idx)[0], -gain("domain", effects[w], idx)[1]))
        chosen = []
        for w in order:
            if not keep(effects[w], idx):
                continue
            if keep(per_sentence_effect(w, chosen), idx):
                chosen.append(w)
        return [w for w in cands if w in chosen]

    chosen_groups = greedy()
    selected = [w for grp in chosen_groups for w in grp]
    print(f"selected {len(selected)} words ({len(chosen_groups)} of {len(cands)} candidates): {' '.join(selected)}",
          flush=True)
    record("userdict_selected", model=str(model), postprocess=post, selected=selected)
    out = sd.DEFAULT_WORK / "user_dict.selected.txt"
    sd.write_words(selected, out)

    # two-fold estimate: select on one half of the domain lines, score the other half
    n = len(dom_ids)
    folds = [set(range(0, n, 2)), set(range(1, n, 2))]
    for f, (sel_idx, test_idx) in enumerate(((folds[0], folds[1]), (folds[1], folds[0]))):
        chosen = [w for grp in greedy(sel_idx) for w in grp]
        sd.set_user_words(nlp, chosen)
        gold = [sets["domain"][i] for i in sorted(test_idx)]
        before = sd.score(gold, [base["domain"][i] for i in sorted(test_idx)])
        after = sd.score(gold, _segment_all(nlp, gold))
        print(f"fold {f}: {len(chosen)} entries chosen on {len(sel_idx)} lines; on the other {len(test_idx)} "
              f"lines domain F1 {before.f:.2f} -> {after.f:.2f}", flush=True)
        record("userdict_fold", model=str(model), postprocess=post, fold=f, chosen=chosen,
               before=before, after=after)

    for p in (False, True):
        nlp2 = sd.build_tokenizer_nlp(model, out, p)
        res = ts.evaluate(nlp2, prep["pku_test"], prep["msr_test"], domain, entities)
        print(f"dict selected   post {'on ' if p else 'off'}  " + "  |  ".join(ts.report_lines(res)), flush=True)
        record("userdict_variant", model=str(model), user_dict="selected", postprocess=p, **res)


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
        p.add_argument("--mix", type=ts.mix_arg, required=True)
        p.add_argument("--iterations", type=int, required=True)
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--data", type=Path, default=sd.DEFAULT_DATA)
    sub.choices["train"].add_argument("--snapshots", default="")
    sub.choices["curve"].add_argument("--with-dict", action="store_true")
    sub.choices["curve"].add_argument("--postprocess", choices=["on", "off"], default="off")
    for name in ("userdict", "float32"):
        p = sub.add_parser(name)
        p.add_argument("--model", type=Path, required=True)
        p.add_argument("--data", type=Path, default=sd.DEFAULT_DATA)
    sub.choices["userdict"].add_argument("--candidates", type=Path, default=sd.HERE / "user_dict_candidates.txt")
    sub.choices["userdict"].add_argument("--postprocess", choices=["on", "off"], default="on")
    sub.choices["userdict"].add_argument("--variants", action="store_true", help="also score the whole list")
    a = ap.parse_args(argv)
    {"train": cmd_train, "curve": cmd_curve, "userdict": cmd_userdict, "float32": cmd_float32}[a.cmd](a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
