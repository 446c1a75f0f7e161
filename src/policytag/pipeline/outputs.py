"""Output formats of `policytag tag`: JSONL (the contract), CSV (three tables for pandas or Excel) and HTML (a
displaCy page per report, readable offline)."""

from __future__ import annotations

import csv
import html
import io
import json
from pathlib import Path

from ..corpus.store import atomic_write_text

CATEGORIES = ("ACHIEVEMENT", "PROBLEM", "GOAL", "MEASURE", "OTHER")
PARAGRAPH_COLUMNS = ["doc", "id", "index", "kind", "section", "text", "source_start", "source_end", "category",
                     *[f"score_{c}" for c in CATEGORIES]]
ENTITY_COLUMNS = ["doc", "paragraph_id", "start", "end", "label", "text", "value", "unit", "comparator"]
AMOUNT_COLUMNS = ["doc", "paragraph_id", "start", "end", "text", "value", "low", "high", "unit", "comparator",
                  "dimension", "category", "section"]


def paragraph_row(rec: dict) -> dict:
    return {
        "doc": rec["doc"], "id": rec["id"], "index": rec["index"], "kind": rec.get("kind", ""),
        "section": " > ".join(rec["section"]), "text": rec["text"],
        "source_start": rec["source_span"][0], "source_end": rec["source_span"][1],
        "category": rec["category"] or "",
        **{f"score_{c}": rec["cats"].get(c, "") for c in CATEGORIES},
    }


def _value_cell(v):
    if v is None:
        return ""
    if isinstance(v, list):
        return json.dumps(v)
    return v


def entity_rows(rec: dict) -> list[dict]:
    return [{"doc": rec["doc"], "paragraph_id": rec["id"], "start": e["start"], "end": e["end"], "label": e["label"],
             "text": e["text"], "value": _value_cell(e.get("value")), "unit": e.get("unit") or "",
             "comparator": e.get("comparator") or ""} for e in rec["entities"]]


def amount_rows(rec: dict) -> list[dict]:
    rows = []
    for e in rec["entities"]:
        if e["label"] != "AMOUNT":
            continue
        v = e.get("value")
        low, high = (v if isinstance(v, list) else (v, v)) if v is not None else ("", "")
        rows.append({"doc": rec["doc"], "paragraph_id": rec["id"], "start": e["start"], "end": e["end"],
                     "text": e["text"], "value": "" if isinstance(v, list) or v is None else v, "low": low,
                     "high": high, "unit": e.get("unit") or "", "comparator": e.get("comparator") or "",
                     "dimension": e.get("dimension") or "", "category": rec["category"] or "",
                     "section": " > ".join(rec["section"])})
    return rows


class JsonlWriter:
    def __init__(self, fh):
        self.fh = fh

    def write(self, rec: dict) -> None:
        self.fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

    def close(self) -> None:
        self.fh.flush()


class CsvWriter:
    """paragraphs.csv, entities.csv, amounts.csv in a folder; UTF-8 with BOM so Excel reads Chinese correctly.
    Rows are streamed to temp files and renamed at close (a failed run leaves no half table)."""

    TABLES = (("paragraphs", PARAGRAPH_COLUMNS, lambda r: [paragraph_row(r)]),
              ("entities", ENTITY_COLUMNS, entity_rows),
              ("amounts", AMOUNT_COLUMNS, amount_rows))

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.files, self.writers = {}, {}
        for name, columns, _ in self.TABLES:
            tmp = self.folder / f".{name}.csv.tmp"
            fh = open(tmp, "w", encoding="utf-8-sig", newline="")
            w = csv.DictWriter(fh, fieldnames=columns)
            w.writeheader()
            self.files[name], self.writers[name] = (fh, tmp), w

    def write(self, rec: dict) -> None:
        for name, _, rows in self.TABLES:
            self.writers[name].writerows(rows(rec))

    def close(self) -> None:
        for name, (fh, tmp) in self.files.items():
            fh.close()
            tmp.replace(self.folder / f"{name}.csv")

    def abort(self) -> None:
        for fh, tmp in self.files.values():
            fh.close()
            tmp.unlink(missing_ok=True)


COLORS = {"COMPANY": "#7aecec", "PROJECT": "#feca74", "AMOUNT": "#bfe1d9"}
CAT_COLORS = {"ACHIEVEMENT": "#2e7d32", "PROBLEM": "#c62828", "GOAL": "#1565c0", "MEASURE": "#6a1b9a", "OTHER": "#616161"}


class HtmlWriter:
    """One self-contained page per report (`<doc>.html`) with entities highlighted by displaCy and each paragraph's
    category, plus `index.html`. No script, no CDN: it opens offline."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.doc: str | None = None
        self.parts: list[str] = []
        self.index: list[tuple[str, int, dict]] = []

    def write(self, rec: dict) -> None:
        if rec["doc"] != self.doc:
            self._flush()
            self.doc, self.parts = rec["doc"], []
            self.counts: dict = {}
        self.counts[rec["category"]] = self.counts.get(rec["category"], 0) + 1
        self.parts.append(self._paragraph(rec))

    def _paragraph(self, rec: dict) -> str:
        from spacy import displacy

        ents = [{"start": e["start"], "end": e["end"],
                 "label": e["label"] + (f" {_reading(e)}" if e["label"] == "AMOUNT" else "")} for e in rec["entities"]]
        colors = {e["label"]: COLORS.get(e["label"].split(" ")[0], "#ddd") for e in ents}
        body = displacy.render({"text": rec["text"], "ents": ents, "title": None}, style="ent", manual=True,
                               page=False, jupyter=False, options={"colors": colors})
        cat = rec["category"] or "—"
        score = f"{rec['cats'].get(rec['category'], 0):.2f}" if rec["category"] else ""
        section = html.escape(" › ".join(rec["section"]))
        kind = rec.get("kind", "body")
        return (f'<section class="p {kind}" id="p{rec["index"]}"><div class="meta">'
                f'<span class="cat" style="background:{CAT_COLORS.get(cat, "#999")}">{cat} {score}</span> '
                f'<span class="idx">#{rec["index"]}</span> <span class="sec">{section}</span></div>{body}</section>')

    def _flush(self) -> None:
        if self.doc is None:
            return
        title = html.escape(self.doc)
        page = (f"<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>{title} — policytag</title>"
                f"<style>{STYLE}</style></head><body><h1>{title}</h1><p class=\"legend\">"
                + " ".join(f'<span class="cat" style="background:{c}">{k}</span>' for k, c in CAT_COLORS.items())
                + " · entities: " + " ".join(f'<mark style="background:{c}">{k}</mark>' for k, c in COLORS.items())
                + f"</p>{''.join(self.parts)}</body></html>")
        atomic_write_text(self.folder / f"{self.doc}.html", page)
        self.index.append((self.doc, len(self.parts), dict(self.counts)))

    def close(self) -> None:
        self._flush()
        rows = "".join(f'<tr><td><a href="{html.escape(d)}.html">{html.escape(d)}</a></td><td>{n}</td><td>'
                       + ", ".join(f"{k} {v}" for k, v in sorted(c.items(), key=lambda kv: str(kv[0]))) + "</td></tr>"
                       for d, n, c in self.index)
        atomic_write_text(self.folder / "index.html",
                          f"<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>policytag</title>"
                          f"<style>{STYLE}</style></head><body><h1>policytag</h1><table><tr><th>report</th>"
                          f"<th>paragraphs</th><th>categories</th></tr>{rows}</table></body></html>")


def _reading(e: dict) -> str:
    v = e.get("value")
    if v is None:
        vs = "?"
    elif isinstance(v, list):
        vs = f"{_g(v[0])}–{_g(v[1])}"
    else:
        vs = _g(v)
    cmp_ = e.get("comparator") or "="
    return f"{'' if cmp_ == '=' else cmp_}{vs} {e.get('unit') or ''}".strip()


def _g(x) -> str:
    return f"{x:.6g}"


STYLE = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:960px;margin:2em auto;line-height:1.8;color:#222}
h1{font-size:1.4em}.p{border-left:4px solid #eee;padding:.2em .8em;margin:.8em 0}.p.heading,.p.title{font-weight:bold}
.meta{font-size:.8em;color:#666}.cat{color:#fff;border-radius:3px;padding:0 .4em;font-size:.85em}
.legend{font-size:.85em}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.3em .6em}"""


def frames(records: list[dict]):
    """pandas DataFrames for the three tables: {"paragraphs", "entities", "amounts"} (needs pandas)."""
    try:
        import pandas as pd
    except ImportError as e:
        raise ImportError("pandas is needed for DataFrames: pip install 'policytag[pandas]'") from e
    return {
        "paragraphs": pd.DataFrame([paragraph_row(r) for r in records], columns=PARAGRAPH_COLUMNS),
        "entities": pd.DataFrame([row for r in records for row in entity_rows(r)], columns=ENTITY_COLUMNS),
        "amounts": pd.DataFrame([row for r in records for row in amount_rows(r)], columns=AMOUNT_COLUMNS),
    }
