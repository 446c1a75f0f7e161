"""doccano 1.8 integration: import-ready JSONL for the three project types (`formats`), doccano's exports back into
the corpus with validation, conflicts and agreement (`importer`), push/pull on a live server with doccano-client
1.1.x (`client`), a local doccano 1.8.4 for tests and users (`server`), and the `policytag doccano` command (`cli`).
"""

from .formats import PROJECT_TYPES, TASKS, build_rows, export_row, label_sha, parse_row

__all__ = ["PROJECT_TYPES", "TASKS", "build_rows", "export_row", "label_sha", "parse_row"]
