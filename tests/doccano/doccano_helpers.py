"""Helpers shared by the doccano tests."""

import io
import json
import zipfile
from pathlib import Path

from policytag.corpus import Corpus

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "doccano"


def snapshot(corpus: Corpus) -> dict[str, bytes]:
    return {str(p.relative_to(corpus.root)): p.read_bytes() for p in sorted(corpus.root.rglob("*")) if p.is_file()}


def records_by_id(corpus: Corpus) -> dict[str, dict]:
    return {r["id"]: r for r in corpus.iter_records()}


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
                    "utf-8")
    return path


def write_zip(path: Path, members: dict[str, list]) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, rows in members.items():
            zf.writestr(name, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
                        if isinstance(rows, list) else rows)
    path.write_bytes(buf.getvalue())
    return path


def as_doccano_export(row: dict, example_id: int, task: str) -> dict:
    """A row as doccano 1.8.4's JSONL export writes it (observed): id first, text, the meta keys, the labels,
    Comments."""
    meta = {k: v for k, v in row.items() if k.startswith("policytag_")}
    if task == "joint":
        labels = {"cats": row["cats"], "entities": row["entities"]}
    else:
        labels = {"label": row["label"]}
    return {"id": example_id, "text": row["text"], **meta, **labels, "Comments": []}
