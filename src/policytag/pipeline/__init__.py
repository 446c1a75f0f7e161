"""The policytag pipeline: loading the shipped model and tagging reports into records."""

from .loading import build_rules_pipeline, default_model_path, load, models_dir
from .records import RECORD_KEYS, ParagraphInput, record
from .tagging import tag, tag_inputs, tag_paths

__all__ = [
    "RECORD_KEYS", "ParagraphInput", "build_rules_pipeline", "default_model_path", "load", "models_dir",
    "record", "tag", "tag_inputs", "tag_paths",
]
