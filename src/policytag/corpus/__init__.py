"""The annotated corpus: records, storage, validation, statistics, adding reports."""

from .schema import CATEGORIES, ENTITY_LABELS, new_record, record_problems, text_hash
from .store import Corpus, atomic_write_text

__all__ = ["CATEGORIES", "Corpus", "ENTITY_LABELS", "atomic_write_text", "new_record", "record_problems", "text_hash"]
