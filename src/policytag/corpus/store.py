"""The corpus on disk: corpus/annotations/<doc>.jsonl (one record per paragraph), corpus/splits.json,
corpus/raw/<doc>.<ext> with corpus/raw/sources.jsonl (provenance). Every write is atomic (temp file + rename)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from .schema import SPLITS


def default_root() -> Path:
    env = os.environ.get("POLICYTAG_CORPUS")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "corpus"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a temp file in the same folder, fsync, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def dumps_records(records: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


class Corpus:
    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root is not None else default_root()
        if not self.root.is_dir():
            raise InputError("corpus folder not found", source=str(self.root))

    # --------------------------------------------------------------- paths
    @property
    def annotations_dir(self) -> Path:
        return self.root / "annotations"

    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"

    @property
    def splits_path(self) -> Path:
        return self.root / "splits.json"

    @property
    def sources_path(self) -> Path:
        return self.raw_dir / "sources.jsonl"

    def doc_path(self, doc: str) -> Path:
        return self.annotations_dir / f"{doc}.jsonl"

    @property
    def supplement_dir(self) -> Path:
        """COMPANY/PROJECT-only annotations that add NER training data; never used for evaluation."""
        return self.root / "supplement"

    @property
    def supplement_path(self) -> Path:
        """News sentences (SIGHAN 2005) annotated for COMPANY/PROJECT."""
        return self.supplement_dir / "news-entities.jsonl"

    @property
    def report_supplement_path(self) -> Path:
        """Body paragraphs of train/dev reports annotated for COMPANY/PROJECT only (each names its doc)."""
        return self.supplement_dir / "report-entities.jsonl"

    def supplement_paths(self) -> list[Path]:
        return [p for p in (self.supplement_path, self.report_supplement_path) if p.exists()]

    def supplement(self, split: str | None = None, source: str | None = None) -> list[dict]:
        """Reviewed supplement records of `split`; source "news" or "reports" picks one file, None both."""
        paths = {"news": [self.supplement_path], "reports": [self.report_supplement_path],
                 None: [self.supplement_path, self.report_supplement_path]}[source]
        rows = []
        for path in paths:
            if path.exists():
                rows += [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
        return [r for r in rows if r.get("reviewed") and (split is None or r["split"] == split)]

    # --------------------------------------------------------------- reading
    def doc_ids(self) -> list[str]:
        if not self.annotations_dir.is_dir():
            return []
        return sorted(p.stem for p in self.annotations_dir.glob("*.jsonl"))

    def read_lines(self, doc: str) -> Iterator[tuple[int, dict | None, str | None]]:
        """(line number, record or None, parse error or None) for each non-empty line of a document's file."""
        path = self.doc_path(doc)
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    yield lineno, json.loads(line), None
                except json.JSONDecodeError as e:
                    yield lineno, None, f"malformed JSON: {e.msg} (column {e.colno})"

    def records(self, doc: str) -> list[dict]:
        out = []
        for lineno, rec, error in self.read_lines(doc):
            if error:
                raise InputError(error, source=str(self.doc_path(doc)), line=lineno)
            out.append(rec)
        return out

    def iter_records(self, split: str | None = None, docs: list[str] | None = None) -> Iterator[dict]:
        if docs is None:
            docs = self.split_docs(split) if split else self.doc_ids()
        for doc in docs:
            yield from self.records(doc)

    def splits(self) -> dict[str, list[str]]:
        if not self.splits_path.exists():
            return {s: [] for s in SPLITS}
        try:
            data = json.loads(self.splits_path.read_text("utf-8"))
        except json.JSONDecodeError as e:
            raise InputError(f"malformed JSON: {e.msg}", source=str(self.splits_path), line=e.lineno) from None
        return {k: list(v) for k, v in data.items() if not k.startswith("_")}

    def split_docs(self, split: str) -> list[str]:
        if split not in SPLITS:
            raise InputError(f"unknown split {split!r} (one of {', '.join(SPLITS)})")
        return [d for d in self.splits().get(split, []) if self.doc_path(d).exists()]

    def split_of(self, doc: str) -> str | None:
        for name, docs in self.splits().items():
            if doc in docs:
                return name
        return None

    def sources(self) -> dict[str, dict]:
        if not self.sources_path.exists():
            return {}
        out = {}
        for line in self.sources_path.read_text("utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                out[entry["doc"]] = entry
        return out

    def version(self) -> str:
        """A hash of the annotations and the split: changes whenever a label changes."""
        h = hashlib.sha256()
        for doc in self.doc_ids():
            h.update(doc.encode())
            h.update(self.doc_path(doc).read_bytes())
        if self.splits_path.exists():
            h.update(self.splits_path.read_bytes())
        for path in self.supplement_paths():
            h.update(path.read_bytes())
        return h.hexdigest()[:12]

    # --------------------------------------------------------------- writing
    def write_doc(self, doc: str, records: list[dict]) -> None:
        atomic_write_text(self.doc_path(doc), dumps_records(records))

    def append_source(self, entry: dict) -> None:
        old = self.sources_path.read_text("utf-8") if self.sources_path.exists() else ""
        if old and not old.endswith("\n"):
            old += "\n"
        atomic_write_text(self.sources_path, old + json.dumps(entry, ensure_ascii=False) + "\n")
