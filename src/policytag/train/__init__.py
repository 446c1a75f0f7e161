"""Training the pipeline from the corpus."""

from .trainer import train

__all__ = ["train"]
