#!/usr/bin/env python
"""Check that a pipeline trained with ``spacy train`` reuses the shipped segmenter exactly.

    python training/segmentation/check_base_model_copy.py [--segmenter models/segmenter]

Writes a tiny config (zh + pkuseg tokenizer + textcat) with the keys the policytag training config needs
(printed below), two DocBins of five paragraphs, runs the real ``python -m spacy train`` CLI in a temporary
directory, then loads the trained pipeline in a fresh process and compares its tokens, user dictionary and
post-processing setting with those of the segmenter. Exits non-zero on any difference.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import segdata as sd  # noqa: E402

CONFIG_SNIPPET = """\
[nlp]
lang = "zh"

[nlp.tokenizer]
@tokenizers = "spacy.zh.ChineseTokenizer"
segmenter = "pkuseg"

[initialize]

[initialize.tokenizer]
pkuseg_model = "{segmenter}/tokenizer/pkuseg_model"
pkuseg_user_dict = "training/segmentation/user_dict.txt"

[initialize.after_init]
@callbacks = "spacy.copy_from_base_model.v1"
tokenizer = "{segmenter}"
vocab = null
"""

TINY_REST = """
[nlp]
pipeline = ["textcat"]
batch_size = 16

[components]

[components.textcat]
factory = "textcat"

[components.textcat.model]
@architectures = "spacy.TextCatBOW.v3"
exclusive_classes = true
ngram_size = 1
no_output_layer = false
length = 4096

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = "{train}"

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = "{dev}"

[training]
max_steps = 4
eval_frequency = 2
seed = 0
dropout = 0.1
train_corpus = "corpora.train"
dev_corpus = "corpora.dev"

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
size = 500
tolerance = 0.2

[training.optimizer]
@optimizers = "Adam.v1"
"""

PARAGRAPHS = [
    ("预计全区二产增加值可达118亿元，同比增长20.5%，其中，工业增加值101.6亿元，同比增长19.5%；", "ACHIEVEMENT"),
    ("与企业共同梳理产业链供应链断点、堵点,同向发力、同题共答。", "MEASURE"),
    ("在形成风电装备产能500万千瓦、光伏电池组件200兆瓦年生产能力的基础上，电机制造等重点项目建成投产。", "ACHIEVEMENT"),
    ("力争二产增加值增长12%以上，工业固定资产投资增长20%以上。", "GOAL"),
    ("石化工业**年占全市规上工业比重达**%，将影响我市规上工业增速下降约**个百分点。", "PROBLEM"),
]

PROBE = """
import json, sys, spacy
nlp = spacy.load(sys.argv[1])
seg = nlp.tokenizer.pkuseg_seg
texts = json.loads(sys.argv[2])
print(json.dumps({
    "tokens": [[t.text for t in nlp.make_doc(x)] for x in texts],
    "do_process": seg.postprocesser.do_process,
    "n_other_words": len(seg.postprocesser.other_words),
    "user_words": sorted(__import__("spacy.lang.zh", fromlist=["x"])._get_pkuseg_trie_data(seg.preprocesser.trie)),
}, ensure_ascii=False))
"""


def probe(model: Path, texts: list[str], env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE, str(model), json.dumps(texts, ensure_ascii=False)],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--segmenter", default="models/segmenter", help="relative to the repository root")
    a = ap.parse_args(argv)
    import spacy
    from spacy.tokens import DocBin

    os.chdir(sd.REPO)
    seg_nlp = spacy.load(a.segmenter)
    labels = sorted({c for _, c in PARAGRAPHS})
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        db = DocBin()
        for text, cat in PARAGRAPHS:
            doc = seg_nlp.make_doc(text)
            doc.cats = {lab: float(lab == cat) for lab in labels}
            db.add(doc)
        db.to_disk(tmp / "train.spacy")
        db.to_disk(tmp / "dev.spacy")
        snippet = CONFIG_SNIPPET.format(segmenter=a.segmenter)
        # the snippet and the rest both have an [nlp] section: merge them as configs, not as text
        from thinc.api import Config

        cfg = Config().from_str(snippet).merge(Config().from_str(
            TINY_REST.format(train=tmp / "train.spacy", dev=tmp / "dev.spacy")))
        (tmp / "base.cfg").write_text(cfg.to_str(), encoding="utf-8")
        env = dict(os.environ, PKUSEG_HOME=str(tmp / "empty_pkuseg_home"))
        (tmp / "empty_pkuseg_home").mkdir()
        fill = subprocess.run([sys.executable, "-m", "spacy", "init", "fill-config", str(tmp / "base.cfg"),
                               str(tmp / "config.cfg")], capture_output=True, text=True, env=env)
        if fill.returncode != 0:
            print(fill.stdout[-3000:], fill.stderr[-3000:])
            print("spacy init fill-config FAILED")
            return 1
        run = subprocess.run([sys.executable, "-m", "spacy", "train", str(tmp / "config.cfg"),
                              "--output", str(tmp / "out")], capture_output=True, text=True, env=env)
        if run.returncode != 0:
            print(run.stdout[-3000:], run.stderr[-3000:])
            print("spacy train FAILED")
            return 1
        texts = [t for t, _ in PARAGRAPHS]
        trained = probe(tmp / "out" / "model-last", texts, env)
        base = probe(Path(a.segmenter), texts, env)
        print("config keys for the training config:\n" + snippet)
        ok = True
        for key in ("tokens", "do_process", "n_other_words", "user_words"):
            same = trained[key] == base[key]
            ok &= same
            shown = trained[key] if key != "user_words" else f"{len(trained[key])} words"
            print(f"{key:14s} {'same' if same else 'DIFFERENT'}: {shown if key != 'tokens' else ''}")
        for toks in trained["tokens"]:
            print("   ", " | ".join(toks))
        print(f"empty PKUSEG_HOME still empty: {not any((tmp / 'empty_pkuseg_home').iterdir())}")
        ok &= not any((tmp / "empty_pkuseg_home").iterdir())
    print("OK: the trained pipeline carries the shipped segmenter" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
