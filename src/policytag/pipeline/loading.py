"""Finding and loading the shipped pipeline."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from ..errors import ModelError

PIPELINE_NAME = "policytag_zh"
SEGMENTER_NAME = "segmenter"
MODEL_ENV = "POLICYTAG_MODEL"


def models_dir() -> Path:
    """The repository's models/ folder (the package is installed from the repository, editable)."""
    env = os.environ.get("POLICYTAG_MODELS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "models"


def default_model_path() -> Path | None:
    env = os.environ.get(MODEL_ENV)
    if env:
        return Path(env)
    path = models_dir() / PIPELINE_NAME
    return path if (path / "config.cfg").exists() else None


def _import_components() -> None:
    # Importing registers the factories (spacy.load finds them through entry points as well).
    from .. import components  # noqa: F401
    from .. import extensions  # noqa: F401


def load(path: str | Path | None = None, *, exclude: tuple[str, ...] = ()):
    """The policytag spaCy pipeline: `path`, or $POLICYTAG_MODEL, or the shipped `models/policytag_zh`.

    Until a trained pipeline is shipped, the rule-based pipeline (segmenter + AMOUNT recognizer + entity rules)
    is returned. Raises ModelError with a one-line message when a given path cannot be loaded.
    """
    _import_components()
    import spacy

    if path is None:
        path = default_model_path()
        if path is None:
            import warnings

            warnings.warn(f"no trained pipeline at {models_dir() / PIPELINE_NAME} (set ${MODEL_ENV} or pass a path): "
                          "using the rule-based pipeline", stacklevel=2)
            return build_rules_pipeline()
    path = Path(path)
    if not (path / "config.cfg").exists():
        raise ModelError(f"not a spaCy pipeline directory (no config.cfg): {path}")
    try:
        return spacy.load(path, exclude=list(exclude))
    except Exception as e:  # spaCy raises many types here; the user needs one line
        raise ModelError(f"cannot load pipeline {path}: {type(e).__name__}: {e}".splitlines()[0]) from e


def build_rules_pipeline(segmenter: str | Path | None = None):
    """A pipeline of the rule-based components only, on the shipped segmenter (or characters if there is none)."""
    _import_components()
    import spacy
    from spacy.language import Language

    seg_path = Path(segmenter) if segmenter else models_dir() / SEGMENTER_NAME
    if (seg_path / "config.cfg").exists():
        nlp = spacy.load(seg_path)
    else:
        nlp = spacy.blank("zh")
    for name in ("policytag_amounts", "policytag_entity_rules", "policytag_entity_merge",
                 "policytag_paragraph_classifier"):
        if Language.has_factory(name) and name not in nlp.pipe_names:
            nlp.add_pipe(name)
    return nlp


@lru_cache(maxsize=4)
def cached_load(path: str | None):
    return load(path)
