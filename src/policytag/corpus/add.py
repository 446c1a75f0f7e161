"""`policytag corpus add REPORT`: read a new report into the corpus as unlabelled (or model-pre-labelled,
unreviewed) records. Never touches an existing record: an existing document is refused."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

from ..errors import InputError
from ..read import read
from .schema import new_record
from .store import Corpus, atomic_write_bytes

_DOC_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,80}$")


def add_report(corpus: Corpus, path: str | Path, *, doc_id: str | None = None, source: str = "",
               licence: str = "", prelabel_nlp=None) -> list[dict]:
    path = Path(path)
    doc = doc_id or path.stem
    if not _DOC_ID.match(doc):
        raise InputError(f"document id {doc!r} must be letters, digits, '-', '_' or '.'", source=str(path))
    if corpus.doc_path(doc).exists() or doc in corpus.sources():
        raise InputError(f"document {doc!r} is already in the corpus (nothing was changed)", source=str(path))
    report = read(path, doc_id=doc)
    records = [new_record(doc, p.index, p.text, section=p.section, kind=p.kind, source_span=p.source_span)
               for p in report.paragraphs]
    if prelabel_nlp is not None:
        prelabel(records, prelabel_nlp)
    data = path.read_bytes()
    raw_name = f"{doc}{path.suffix.lower() or '.txt'}"
    if (corpus.raw_dir / raw_name).exists():
        raise InputError(f"raw file {raw_name} already exists in the corpus (nothing was changed)", source=str(path))
    atomic_write_bytes(corpus.raw_dir / raw_name, data)
    corpus.write_doc(doc, records)
    corpus.append_source({"doc": doc, "file": raw_name, "kind": "added", "title": report.title or "",
                          "year": None, "source": source or f"added from {path.name} on {date.today().isoformat()}",
                          "licence": licence or "unknown", "sha256": hashlib.sha256(data).hexdigest()})
    return records


def prelabel(records: list[dict], nlp) -> None:
    """Model pre-labels: category and entities marked by="model"/"rule", reviewed=False."""
    from ..pipeline.records import ParagraphInput, entity_dict
    from ..pipeline.tagging import tag_docs

    inputs = [ParagraphInput(doc=r["doc"], index=r["index"], text=r["text"], section=r["section"], kind=r["kind"])
              for r in records]
    for rec, doc in zip(records, tag_docs(nlp, inputs)):
        if doc.cats:
            rec["category"] = {"label": max(doc.cats, key=doc.cats.get), "by": "model", "reviewed": False}
        ents = []
        for span in doc.ents:
            ent = entity_dict(span)
            ent["by"] = "rule" if span.label_ == "AMOUNT" else "model"
            ent["reviewed"] = False
            ents.append(ent)
        rec["entities"] = ents
        rec["entities_reviewed"] = False
