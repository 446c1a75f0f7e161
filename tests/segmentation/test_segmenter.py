"""The shipped segmenter (models/segmenter) loads and segments with no network and no pkuseg home.

The model is built by training/segmentation/train_segmenter.py; the expected tokens below follow the
segmentation decisions recorded in training/segmentation/RESULTS.md (PKU conventions plus the curated
user dictionary training/segmentation/user_dict.txt).
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SEGMENTATION_TRAINING = REPO / "training" / "segmentation"
MODEL = REPO / "models" / "segmenter"
DATA = REPO / "tests" / "data" / "segmentation" / "seed_paragraphs.txt"


def seed_paragraphs() -> list[str]:
    lines = DATA.read_text(encoding="utf-8").split("\n")
    return [line for line in lines if line.strip() and not line.startswith("#")]


# Expected tokens in seed paragraphs (index into seed_paragraphs()): text -> the tokens it must come out as.
EXPECTED = [
    # seeds/000 line 4: 二产增加值可达118亿元，同比增长20.5%
    (0, "二产增加值", ["二产", "增加值"]),
    (0, "工业增加值101.6亿元", ["工业", "增加值", "101.6亿", "元"]),
    (0, "同比增长20.5%", ["同比", "增长", "20.5%"]),
    # seeds/000 line 6: 完成固定资产投资亿元 ... 风电装备产能500万千瓦、光伏电池组件200兆瓦年生产能力
    (1, "完成固定资产投资亿元", ["完成", "固定资产", "投资", "亿", "元"]),
    (1, "500万千瓦", ["500万", "千瓦"]),
    (1, "200兆瓦年", ["200", "兆瓦", "年"]),
    # seeds/002 line 8: redacted figures and units
    (2, "实际发电达到**亿千瓦时", ["实际", "发电", "达到", "**亿", "千瓦时"]),
    (2, "同比增长**%", ["同比", "增长", "**%"]),
    (2, "8.4个百分点", ["8.4", "个", "百分点"]),
    # seeds/003 line 7: 梳理产业链供应链断点 (without the dictionary: 产业|链供|应链)
    (3, "产业链供应链", ["产业链", "供应链"]),
]


def _block_network(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """No network, an empty PKUSEG_HOME and HOME, and spacy_pkuseg's cached home pointed there too."""
    home = tmp_path / "pkuseg_home"
    home.mkdir()
    monkeypatch.setenv("PKUSEG_HOME", str(home))
    monkeypatch.setenv("HOME", str(tmp_path))
    _block_network(monkeypatch)
    from spacy_pkuseg.config import config as pkuseg_config

    # spacy_pkuseg reads PKUSEG_HOME once, at import; point the already-imported config at the empty folder
    monkeypatch.setattr(pkuseg_config, "pkuseg_home", str(home))
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9))
    return home


def test_model_is_shipped():
    assert (MODEL / "config.cfg").is_file(), "models/segmenter is missing: run training/segmentation/train_segmenter.py"
    assert (MODEL / "tokenizer" / "pkuseg_model" / "weights.npz").is_file()
    assert (MODEL / "tokenizer" / "pkuseg_processors").is_file()


def test_meta_states_licence_and_scores():
    meta = json.loads((MODEL / "meta.json").read_text(encoding="utf-8"))
    assert meta["name"] == "segmenter"
    assert "non-commercial research use" in meta["license"]
    assert "SIGHAN 2005" in meta["license"]
    perf = meta["performance"]
    assert perf["word_f1_pku_heldout"] >= 90.0
    assert perf["word_f1_msr_heldout"] >= 86.0


def test_segments_seed_paragraphs_offline(offline):
    import spacy

    nlp = spacy.load(MODEL)
    assert nlp.pipe_names == []
    assert nlp.tokenizer.segmenter == "pkuseg"
    paras = seed_paragraphs()
    assert len(paras) == 4
    docs = [nlp(p) for p in paras]
    for text, doc in zip(paras, docs):
        assert doc.text == text
        assert "".join(t.text_with_ws for t in doc) == text
        assert len(doc) > len(text) / 4  # real words, not one blob
    for idx, surface, expected in EXPECTED:
        doc = docs[idx]
        start = doc.text.index(surface)
        span = doc.char_span(start, start + len(surface))
        assert span is not None, f"{surface!r} does not start and end on token boundaries: " + " | ".join(
            t.text for t in doc if t.idx + len(t) > start and t.idx < start + len(surface))
        assert [t.text for t in span] == expected
    assert not any(offline.iterdir()), "something was written to PKUSEG_HOME"


def test_whitespace_and_mixed_text_round_trip(offline):
    import spacy

    nlp = spacy.load(MODEL)
    text = "\u3000\u3000一、二产发展的主要成效\n\n今年GDP增长5%左右， 新增 2 户规上企业。 "
    doc = nlp(text)
    assert doc.text == text
    assert [t.text for t in doc if not t.is_space][:4] == ["一", "、", "二产", "发展"]


SUBPROCESS_SCRIPT = r"""
import json, socket, sys
def refuse(*a, **k):
    raise OSError("network disabled")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
import spacy
nlp = spacy.load(sys.argv[1])
paras = json.loads(sys.stdin.read())
print(json.dumps([[t.text for t in nlp(p)] for p in paras], ensure_ascii=False))
"""


def test_fresh_process_offline_gives_same_tokens(offline, tmp_path):
    import spacy

    paras = seed_paragraphs()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HTTP", "HTTPS", "http", "https"))}
    env.update(PKUSEG_HOME=str(offline), HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", SUBPROCESS_SCRIPT, str(MODEL)], input=json.dumps(paras),
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    fresh = json.loads(out.stdout.strip().splitlines()[-1])
    nlp = spacy.load(MODEL)
    assert fresh == [[t.text for t in nlp(p)] for p in paras]
    pairs = list(zip(fresh[3], fresh[3][1:]))
    assert ("产业链", "供应链") in pairs  # without the user dictionary: 产业 | 链供 | 应链
    assert not any(offline.iterdir())


@pytest.mark.parametrize("text", [
    "１９８４年全国工业增加值增长百分之十，达到８８６８万吨",
    "今年全社会固定资产投资调控目标为２５３００亿元，投资率为３２％。",
    "农业增加值平均每年增长４．５％，ＧＤＰ和ｇｄｐ，Ａ股",
    "ｘｘ市第１．期工程（二期）：１０月．完成",
    "规上工业增加值增长12.5%，比重达到**%；",
])
def test_training_text_is_normalized_like_the_reader(text):
    """The segmenter is trained on SIGHAN text normalized by segdata.normalize_text; it must equal the reader's."""
    sys.path.insert(0, str(SEGMENTATION_TRAINING))
    try:
        import segdata
    finally:
        sys.path.remove(str(SEGMENTATION_TRAINING))
    from policytag.read.normalize import Mapped, Normalizer

    reader = Normalizer.for_text(text).line(Mapped.of(text)).text
    assert segdata.normalize_text(text) == reader
