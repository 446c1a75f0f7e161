#!/usr/bin/env python
"""Train policytag's offline Chinese word segmenter and build the tokenizer-only pipeline ``models/segmenter``.

    python training/segmentation/train_segmenter.py            # reproduces the shipped model
    python training/segmentation/train_segmenter.py --mix pku --iterations 8 --out /tmp/seg

Steps:
1. read the SIGHAN 2005 gold files (PKU, MSR) from ``--data``, normalize them the way policytag's reader
   normalizes report text (CRLF -> LF; full-width digits, Latin letters and % -> ASCII, ． between digits -> .;
   Chinese punctuation kept), hold out the last 10 % of the sentences of each corpus (whole articles at the end of the file);
2. train spacy-pkuseg (``spacy_pkuseg.train``) on the training part of ``--mix`` in a subprocess
   (the trainer keeps global mutable state, writes a buffered log, and saves the last iteration);
3. build a blank ``zh`` pipeline with ``segmenter="pkuseg"``, initialized with the trained model and the
   curated user dictionary, pkuseg's post-merge step set by ``--postprocess``, and save it with ``nlp.to_disk``;
4. reload the saved pipeline and print word P/R/F1 on the held-out PKU and MSR parts and on the hand-segmented
   domain sentences (``domain_gold.txt``), plus the share of hand-annotated entity spans whose boundaries fall on
   token boundaries; the figures go into the pipeline's ``meta.json``.

Licence: the SIGHAN bakeoff data are for non-commercial research use; the trained model inherits that.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import segdata as sd  # noqa: E402

LICENSE_PKU_MSR = "Segmentation model trained on SIGHAN 2005 bakeoff data (PKU, MSR): non-commercial research use only"
LICENSE_PKU = ("Segmentation model trained on SIGHAN 2005 bakeoff data (PKU; MSR used for evaluation): "
               "non-commercial research use only")
PIPELINE_NAME = "segmenter"
PIPELINE_VERSION = "0.1.0"

# Chosen by measurement: training/segmentation/RESULTS.md
DEFAULT_MIX = "pku"
DEFAULT_ITERATIONS = 10
DEFAULT_SEED = 0
DEFAULT_POSTPROCESS = "on"


# --------------------------------------------------------------------------- data

def prepare_data(data_dir: Path, work: Path, mix: str) -> dict:
    pku = sd.read_gold(data_dir / sd.PKU_GOLD)
    msr = sd.read_gold(data_dir / sd.MSR_GOLD)
    pku_train, pku_test = sd.split_heldout(pku)
    msr_train, msr_test = sd.split_heldout(msr)
    train = pku_train + msr_train[:round(len(msr_train) * msr_share(mix))]
    d = work / "data"
    files = {
        "train": d / f"train.{mix}.txt",
        "pku_test": d / "pku_heldout.txt",
        "msr_test": d / "msr_heldout.txt",
    }
    sd.write_seg_file(files["train"], train)
    sd.write_seg_file(files["pku_test"], pku_test)
    sd.write_seg_file(files["msr_test"], msr_test)
    info = {
        "train_sentences": len(train),
        "train_words": sum(len(s) for s in train),
        "pku_heldout_sentences": len(pku_test),
        "pku_heldout_words": sum(len(s) for s in pku_test),
        "msr_heldout_sentences": len(msr_test),
        "msr_heldout_words": sum(len(s) for s in msr_test),
    }
    return {"files": files, "pku_test": pku_test, "msr_test": msr_test, "info": info}


def msr_share(mix: str) -> float:
    """'pku' -> 0, 'pku+msr' -> 1, 'pku+msrNN' -> NN % (the first NN % of MSR's training part)."""
    if mix == "pku":
        return 0.0
    if mix == "pku+msr":
        return 1.0
    m = re.fullmatch(r"pku\+msr(\d{1,2})", mix)
    if not m:
        raise argparse.ArgumentTypeError(f"mix must be pku, pku+msr or pku+msrNN, not {mix!r}")
    return int(m.group(1)) / 100


def mix_arg(value: str) -> str:
    msr_share(value)
    return value


def file_sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


# --------------------------------------------------------------------------- training (subprocess)

def worker_train(args) -> None:
    """Runs inside a fresh interpreter: seeds, trains, optionally snapshots the weights after some iterations."""
    import random

    import numpy as np

    random.seed(args.seed)
    np.random.seed(args.seed)
    import spacy_pkuseg
    from spacy_pkuseg import trainer as pkuseg_trainer

    model_dir = Path(args.model_dir)
    snapshots = {int(x) for x in args.snapshots.split(",") if x}
    original_test = pkuseg_trainer.Trainer.test
    t0 = time.time()

    def test_and_snapshot(self, testset, iteration):
        result = original_test(self, testset, iteration)
        n = iteration + 1
        print(f"[worker] iteration {n} done at {time.time() - t0:.1f}s, pkuseg-internal F1 on test file "
              f"{result[0]:.2f}", flush=True)
        if n in snapshots:
            snap = model_dir.parent / f"{model_dir.name}.iter{n}"
            snap.mkdir(parents=True, exist_ok=True)
            self.model.save(str(snap))
            shutil.copy(model_dir / "features.msgpack", snap / "features.msgpack")
        return result

    pkuseg_trainer.Trainer.test = test_and_snapshot
    spacy_pkuseg.train(args.train_file, args.test_file, str(model_dir), train_iter=args.iterations)


def train_model(train_file: Path, test_file: Path, model_dir: Path, iterations: int, seed: int,
                log_path: Path, snapshots: str = "") -> float:
    if model_dir.exists():
        shutil.rmtree(model_dir)
    model_dir.mkdir(parents=True)
    cmd = [sys.executable, "-u", str(Path(__file__).resolve()), "--worker-train",
           "--train-file", str(train_file), "--test-file", str(test_file), "--model-dir", str(model_dir),
           "--iterations", str(iterations), "--seed", str(seed), "--snapshots", snapshots]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for line in proc.stdout:
            log.write(line)
            log.flush()
            if line.startswith("[worker]") or line.startswith("iter"):
                print("   ", line.rstrip(), flush=True)
        rc = proc.wait()
    if rc != 0:
        raise SystemExit(f"pkuseg training failed (exit {rc}); see {log_path}")
    for name in ("features.msgpack", "weights.npz"):
        if not (model_dir / name).exists():
            raise SystemExit(f"training wrote no {name} in {model_dir}")
    return time.time() - t0


# --------------------------------------------------------------------------- evaluation

def evaluate(nlp, pku_test, msr_test, domain=None, entities=None) -> dict:
    out = {}
    t0 = time.time()
    n_chars = 0
    for name, sents in (("pku_heldout", pku_test), ("msr_heldout", msr_test)):
        preds = []
        for words in sents:
            text = "".join(words)
            n_chars += len(text)
            preds.append(sd.segment(nlp, text))
        out[name] = sd.score(sents, preds)
    out["chars_per_s_eval"] = n_chars / (time.time() - t0)
    if domain is not None:
        gold = [w for _, w in domain]
        preds = [sd.segment(nlp, "".join(w)) for w in gold]
        out["domain"] = sd.score(gold, preds)
        if entities is not None:
            ok = total = 0
            by_label: dict[str, list[int]] = {}
            for (sid, _), pred in zip(domain, preds):
                for start, end, label in entities.get(sid, []):
                    good = sd.boundary_ok(pred, start, end)
                    ok += good
                    total += 1
                    by_label.setdefault(label, [0, 0])
                    by_label[label][0] += good
                    by_label[label][1] += 1
            out["entity_boundaries"] = {"aligned": ok, "total": total,
                                        "by_label": {k: f"{a}/{b}" for k, (a, b) in sorted(by_label.items())}}
    return out


def report_lines(res: dict) -> list[str]:
    lines = [f"held-out PKU   {res['pku_heldout']}", f"held-out MSR   {res['msr_heldout']}"]
    if "domain" in res:
        lines.append(f"domain gold    {res['domain']}")
    if "entity_boundaries" in res:
        eb = res["entity_boundaries"]
        lines.append(f"entity spans on token boundaries: {eb['aligned']}/{eb['total']} {eb['by_label']}")
    return lines


def write_readme(out: Path, meta: dict) -> None:
    seg = meta["segmentation"]
    perf = meta["performance"]
    text = f"""# models/segmenter — policytag's offline Chinese word segmenter

**Licence: {meta["license"]}.** The SIGHAN 2005 bakeoff data may be used for non-commercial research only,
and a model trained on it inherits that restriction. Every pipeline that carries this tokenizer (including
policytag's trained pipelines, which copy it) is under the same restriction. policytag's code is Apache-2.0.

A tokenizer-only spaCy pipeline (`spacy.load("models/segmenter")`): blank `zh`, `segmenter = "pkuseg"`, with
a spacy-pkuseg model trained by `training/segmentation/train_segmenter.py` (mix `{seg["mix"]}`,
{seg["iterations"]} iterations, seed {seg["seed"]}), the user dictionary `training/segmentation/user_dict.txt`
({seg["user_dict_words"]} words) and pkuseg's post-merge step {"on" if seg["postprocess"] else "off"}.
It needs no network and no `~/.pkuseg`: the model, the dictionary and the post-merge list are inside
`tokenizer/`.

| word F1 | held-out PKU | held-out MSR | domain gold (57 report sentences) | entity spans on token boundaries |
|---|---|---|---|---|
| this model | {perf["word_f1_pku_heldout"]} | {perf["word_f1_msr_heldout"]} | {perf["word_f1_domain_gold"]} | {perf["entity_spans_on_token_boundaries"]} |

Rebuild: `python training/segmentation/train_segmenter.py` (about 4 minutes on one core).
Measurements and choices: `training/segmentation/RESULTS.md`. Generated file: do not edit.
"""
    (out / "README.md").write_text(text, encoding="utf-8")


def repo_relative(path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(sd.REPO).as_posix()
    except ValueError:
        return Path(path).resolve().as_posix()


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


# --------------------------------------------------------------------------- main

def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=sd.DEFAULT_DATA,
                    help="folder with pku_test_gold.utf8 and msr_test_gold.utf8 (default: %(default)s)")
    ap.add_argument("--out", type=Path, default=sd.REPO / "models" / "segmenter",
                    help="where the tokenizer-only pipeline is saved (default: %(default)s)")
    ap.add_argument("--work", type=Path, default=sd.DEFAULT_WORK,
                    help="scratch folder, gitignored (default: %(default)s)")
    ap.add_argument("--mix", type=mix_arg, default=DEFAULT_MIX,
                    help="training data: pku, pku+msr, or pku+msrNN = PKU + the first NN%% of MSR's training part "
                         "(default: %(default)s)")
    ap.add_argument("--iterations", type=int, default=DEFAULT_ITERATIONS)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--user-dict", type=Path, default=sd.USER_DICT,
                    help="user dictionary, one word per line; pass 'none' for none (default: %(default)s)")
    ap.add_argument("--postprocess", choices=["on", "off"], default=DEFAULT_POSTPROCESS,
                    help="pkuseg's post-merge step with its 390k-word list (default: %(default)s)")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse a model already trained in --work with the same data, mix, iterations and seed")
    ap.add_argument("--snapshots", default="", help=argparse.SUPPRESS)
    # internal: the training subprocess
    ap.add_argument("--worker-train", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--train-file", help=argparse.SUPPRESS)
    ap.add_argument("--test-file", help=argparse.SUPPRESS)
    ap.add_argument("--model-dir", help=argparse.SUPPRESS)
    return ap.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.worker_train:
        worker_train(args)
        return 0

    import spacy

    user_dict = None if str(args.user_dict).lower() == "none" else args.user_dict.resolve()
    user_words = sd.read_user_dict(user_dict) if user_dict else []
    postprocess = args.postprocess == "on"
    work = args.work.resolve()
    out = args.out.resolve()

    print(f"[1/4] data from {args.data} (mix {args.mix})", flush=True)
    prep = prepare_data(args.data, work, args.mix)
    for k, v in prep["info"].items():
        print(f"    {k}: {v}")

    tag = f"{args.mix.replace('+', '_')}.it{args.iterations}.seed{args.seed}"
    model_dir = work / "models" / tag
    stamp = {"train_sha": file_sha(prep["files"]["train"]), "iterations": args.iterations, "seed": args.seed}
    stamp_path = model_dir / "stamp.json"
    if args.reuse and stamp_path.exists() and json.loads(stamp_path.read_text()) == stamp:
        print(f"[2/4] reusing trained model {model_dir}", flush=True)
        train_seconds = json.loads((model_dir / "train_seconds.json").read_text())
    else:
        print(f"[2/4] training spacy-pkuseg: {args.iterations} iterations, seed {args.seed} -> {model_dir}",
              flush=True)
        train_seconds = train_model(prep["files"]["train"], prep["files"]["pku_test"], model_dir,
                                    args.iterations, args.seed, work / "logs" / f"{tag}.log", args.snapshots)
        stamp_path.write_text(json.dumps(stamp))
        (model_dir / "train_seconds.json").write_text(json.dumps(round(train_seconds, 1)))
        print(f"    trained in {train_seconds:.0f} s", flush=True)

    print(f"[3/4] building the tokenizer-only pipeline -> {out}", flush=True)
    nlp = sd.build_tokenizer_nlp(model_dir, user_dict, postprocess)
    nlp.meta.update({
        "name": PIPELINE_NAME,
        "version": PIPELINE_VERSION,
        "description": "policytag's Chinese word segmenter: a blank zh pipeline whose tokenizer is spacy-pkuseg "
                       "with a model trained offline on SIGHAN 2005 gold text and a curated domain user "
                       "dictionary. Works with no network and no ~/.pkuseg. A trained pipeline reuses it with "
                       "[initialize.after_init] @callbacks = \"spacy.copy_from_base_model.v1\", "
                       "tokenizer = \"models/segmenter\" (see training/segmentation/RESULTS.md).",
        "license": LICENSE_PKU if args.mix == "pku" else LICENSE_PKU_MSR,
        "sources": [
            {"name": "SIGHAN 2005 Second International Chinese Word Segmentation Bakeoff gold data "
                     "(icwb2-data gold/pku_test_gold.utf8, gold/msr_test_gold.utf8): "
                     + ("PKU trains the model (last 10% held out), MSR's last 10% evaluates it"
                        if args.mix == "pku" else f"training mix {args.mix}, last 10% of each held out"),
             "url": "http://sighan.cs.uchicago.edu/bakeoff2005/",
             "license": "non-commercial research use (bakeoff terms); the trained model inherits it"},
            {"name": "policytag domain user dictionary (training/segmentation/user_dict.txt), selected by "
                     "measurement from terms of local industrial and national government work reports",
             "license": "same as policytag"},
        ] + ([{"name": "spacy-pkuseg's bundled post-merge word list (spacy_pkuseg/dicts/default.pkl), "
                       "saved in tokenizer/pkuseg_processors",
               "url": "https://github.com/explosion/spacy-pkuseg", "license": "MIT (spacy-pkuseg)"}]
             if postprocess else []),
        "segmentation": {
            "trainer": "spacy-pkuseg 1.0.2 spacy_pkuseg.train",
            "mix": args.mix, "iterations": args.iterations, "seed": args.seed,
            "heldout": "last 10% of the sentences of each gold file",
            "normalization": "CRLF->LF; full-width digits, Latin letters and % -> ASCII; full-width dot between "
                             "digits -> '.' (as policytag.read.normalize)",
            "user_dict_words": len(user_words), "postprocess": postprocess,
            "train_seconds": train_seconds, **prep["info"],
        },
    })
    # The saved config.cfg records how the tokenizer can be initialized again; point it at the shipped copy of the
    # model (tokenizer/pkuseg_model) and the repository's user dictionary, relative to the repository root,
    # instead of the scratch folder the model was trained in.
    init_tok = nlp.config["initialize"]["tokenizer"]
    init_tok["pkuseg_model"] = f"{repo_relative(out)}/tokenizer/pkuseg_model"
    init_tok["pkuseg_user_dict"] = repo_relative(user_dict) if user_dict else "default"
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)

    print("[4/4] evaluating the saved pipeline", flush=True)
    loaded = spacy.load(out)
    domain = sd.read_domain_gold()
    entities = sd.read_domain_entities(gold=domain)
    res = evaluate(loaded, prep["pku_test"], prep["msr_test"], domain, entities)
    for line in report_lines(res):
        print("    " + line)
    meta_path = out / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["performance"] = {
        "word_f1_pku_heldout": round(res["pku_heldout"].f, 2),
        "word_f1_msr_heldout": round(res["msr_heldout"].f, 2),
        "word_f1_domain_gold": round(res["domain"].f, 2),
        "entity_spans_on_token_boundaries": f"{res['entity_boundaries']['aligned']}/"
                                            f"{res['entity_boundaries']['total']}",
    }
    meta["segmentation"]["scores"] = {k: res[k].as_dict() for k in ("pku_heldout", "msr_heldout", "domain")}
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_readme(out, meta)
    size = dir_size(out)
    print(f"    saved pipeline size: {size / 1e6:.1f} MB ({out})")
    print(f"PKU held-out F1 {res['pku_heldout'].f:.2f}  MSR held-out F1 {res['msr_heldout'].f:.2f}  "
          f"domain F1 {res['domain'].f:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
