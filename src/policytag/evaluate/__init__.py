"""Evaluation of the pipeline and its baselines on the corpus."""

from .metrics import EntityScorer, category_scores, prf
from .runner import evaluate, render

__all__ = ["EntityScorer", "category_scores", "evaluate", "prf", "render"]
