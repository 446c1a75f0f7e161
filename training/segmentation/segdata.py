"""Shared helpers for policytag's segmentation training scripts.

Reading and normalizing the SIGHAN 2005 gold files, the fixed held-out split, the word-span scorer,
the domain gold set (``domain_gold.txt``) and its hand-annotated entity spans (``domain_entities.tsv``),
and building/loading a spaCy tokenizer with a trained spacy-pkuseg model.

Nothing here downloads anything: a pkuseg model is always given as a directory.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "segmentation"
DEFAULT_WORK = REPO / "training" / "work" / "segmentation"
DOMAIN_GOLD = HERE / "domain_gold.txt"
DOMAIN_ENTITIES = HERE / "domain_entities.tsv"
USER_DICT = HERE / "user_dict.txt"

PKU_GOLD = "pku_test_gold.utf8"
MSR_GOLD = "msr_test_gold.utf8"
HELDOUT_FRACTION = 0.10

# The reader's character-width normalization (policytag.read.normalize, step 3): full-width ASCII variants
# (U+FF01-U+FF5E) are mapped one for one to U+0021-U+007E for digits, Latin letters and the percent sign only,
# and a full-width dot between two digits becomes "." (１２．５ -> 12.5). Chinese punctuation (，。、：；（）…) and
# the other full-width symbols are kept. tests/segmentation checks that this matches the reader.
_FULLWIDTH = {0xFF05: "%"}
_FULLWIDTH.update({0xFF10 + i: chr(0x30 + i) for i in range(10)})  # ０-９
_FULLWIDTH.update({0xFF21 + i: chr(0x41 + i) for i in range(26)})  # Ａ-Ｚ
_FULLWIDTH.update({0xFF41 + i: chr(0x61 + i) for i in range(26)})  # ａ-ｚ
FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)


_FULLWIDTH_DOT = re.compile(r"(?<=\d)．(?=\d)")


def normalize_text(text: str) -> str:
    """CRLF/CR -> LF; full-width digits, Latin letters and % -> ASCII; ． between digits -> '.' (nothing else)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(FULLWIDTH_TABLE)
    return _FULLWIDTH_DOT.sub(".", text) if "．" in text else text


def read_gold(path: Path) -> list[list[str]]:
    """A SIGHAN gold file: one sentence per line, words separated by (two) spaces."""
    text = normalize_text(Path(path).read_text(encoding="utf-8"))
    sents = []
    for line in text.split("\n"):
        words = line.split()
        if words:
            sents.append(words)
    return sents


def split_heldout(sents: Sequence, fraction: float = HELDOUT_FRACTION):
    """Fixed split: the last ``fraction`` of the sentences (whole articles at the end of the file) is held out."""
    n_test = math.ceil(len(sents) * fraction)
    return list(sents[:-n_test]), list(sents[-n_test:])


def write_seg_file(path: Path, sents: Iterable[Sequence[str]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for words in sents:
            f.write(" ".join(words) + "\n")
            n += 1
    return n


# --------------------------------------------------------------------------- scoring

def spans(words: Sequence[str]) -> set[tuple[int, int]]:
    out, i = set(), 0
    for w in words:
        out.add((i, i + len(w)))
        i += len(w)
    return out


@dataclass
class PRF:
    correct: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, gold_words: Sequence[str], pred_words: Sequence[str]) -> None:
        g, p = spans(gold_words), spans(pred_words)
        if "".join(gold_words) != "".join(pred_words):
            raise ValueError(f"texts differ: {''.join(gold_words)!r} vs {''.join(pred_words)!r}")
        self.correct += len(g & p)
        self.pred += len(p)
        self.gold += len(g)

    @property
    def p(self) -> float:
        return 100.0 * self.correct / self.pred if self.pred else 0.0

    @property
    def r(self) -> float:
        return 100.0 * self.correct / self.gold if self.gold else 0.0

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.correct else 0.0

    def as_dict(self) -> dict:
        return {"p": round(self.p, 2), "r": round(self.r, 2), "f": round(self.f, 2),
                "correct": self.correct, "pred": self.pred, "gold": self.gold}

    def __str__(self) -> str:
        return f"P {self.p:5.2f}  R {self.r:5.2f}  F1 {self.f:5.2f}  ({self.gold} gold words)"


def score(gold_sents: Sequence[Sequence[str]], pred_sents: Sequence[Sequence[str]]) -> PRF:
    prf = PRF()
    for g, p in zip(gold_sents, pred_sents, strict=True):
        prf.add(g, p)
    return prf


# --------------------------------------------------------------------------- domain gold and entities

def read_domain_gold(path: Path = DOMAIN_GOLD) -> list[tuple[str, list[str]]]:
    """``domain_gold.txt`` (SIGHAN format: one sentence per line, words separated by two spaces).

    Returns ``(sentence id, words)`` pairs; the id is the 1-based line number, as used by
    ``domain_entities.tsv`` and ``domain_gold_sources.tsv``.
    """
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").split("\n"), 1):
        words = line.split()
        if words:
            out.append((str(n), words))
    return out


def read_domain_entities(path: Path = DOMAIN_ENTITIES, gold=None) -> dict[str, list[tuple[int, int, str]]]:
    """``domain_entities.tsv``: ``line<TAB>LABEL<TAB>surface[<TAB>occurrence]`` -> char spans per sentence."""
    gold = gold if gold is not None else read_domain_gold()
    texts = {sid: "".join(words) for sid, words in gold}
    ents: dict[str, list[tuple[int, int, str]]] = {sid: [] for sid in texts}
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        sid, label, surface = fields[:3]
        occ = int(fields[3]) if len(fields) > 3 else 1
        text = texts[sid]
        start = -1
        for _ in range(occ):
            start = text.find(surface, start + 1)
            if start < 0:
                raise ValueError(f"{sid}: {surface!r} (occurrence {occ}) not in {text!r}")
        ents[sid].append((start, start + len(surface), label))
    return ents


def boundary_ok(words: Sequence[str], start: int, end: int) -> bool:
    cuts = {0}
    i = 0
    for w in words:
        i += len(w)
        cuts.add(i)
    return start in cuts and end in cuts


# --------------------------------------------------------------------------- spaCy tokenizer

def blank_pkuseg_nlp():
    import spacy

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})


def build_tokenizer_nlp(model_dir: Path, user_dict: Path | None, postprocess: bool):
    """A tokenizer-only zh pipeline with the trained pkuseg model.

    ``user_dict=None`` -> empty user dictionary. ``postprocess`` switches pkuseg's merge step backed by its
    390k-word list; when it is off the list is also dropped, so that it is not saved (4.5 MB).
    """
    nlp = blank_pkuseg_nlp()
    empty = None
    if user_dict is None:
        # spacy-pkuseg needs a file for an empty dictionary ("default" would mean "no user words" too,
        # but a file keeps the initialize call identical in both cases).
        import tempfile

        empty = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8")
        empty.close()
        user_dict = Path(empty.name)
    try:
        nlp.tokenizer.initialize(pkuseg_model=str(model_dir), pkuseg_user_dict=str(user_dict))
    finally:
        if empty is not None:
            Path(empty.name).unlink()
    set_postprocess(nlp, postprocess)
    return nlp


def set_postprocess(nlp, on: bool) -> None:
    post = nlp.tokenizer.pkuseg_seg.postprocesser
    post.do_process = on
    if not on:
        post.common_words = set()
        post.other_words = set()


def set_user_words(nlp, words: Iterable[str]) -> None:
    import spacy_pkuseg

    nlp.tokenizer.pkuseg_seg.preprocesser = spacy_pkuseg.Preprocesser([w for w in words])


def read_user_dict(path: Path = USER_DICT) -> list[str]:
    """The user dictionary: one word per line (the format spacy-pkuseg reads; no comments, no frequencies)."""
    words = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").split("\n"), 1):
        word = line.split("\t")[0].strip()
        if not word:
            continue
        if word.startswith("#") or " " in word:
            raise ValueError(f"{path}:{n}: not a plain word line: {line!r}")
        words.append(word)
    return words


def write_words(words: Iterable[str], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(w + "\n" for w in words), encoding="utf-8")
    return path


def segment(nlp, text: str) -> list[str]:
    return [t.text for t in nlp(text) if not t.is_space]

