"""`policytag corpus stats`: sizes per split, label, category and source; the share of reviewed labels; the
agreement of double-annotated samples; and the share of gold entities that do not align with token boundaries."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from .schema import CATEGORIES, ENTITY_LABELS
from .store import Corpus


def compute(corpus: Corpus, *, nlp=None) -> dict:
    sources = corpus.sources()
    splits = corpus.splits()
    owner = {d: s for s, docs in splits.items() for d in docs}
    per_split: dict[str, Counter] = defaultdict(Counter)
    per_source: dict[str, Counter] = defaultdict(Counter)
    categories: dict[str, Counter] = defaultdict(Counter)
    labels: dict[str, Counter] = defaultdict(Counter)
    reviewed = Counter()
    by = Counter()
    misaligned = Counter()
    for doc in corpus.doc_ids():
        split = owner.get(doc, "unassigned")
        kind = sources.get(doc, {}).get("kind", "unknown")
        recs = corpus.records(doc)
        for c in (per_split[split], per_source[kind]):
            c["documents"] += 1
            c["paragraphs"] += len(recs)
        for rec in recs:
            cat = rec.get("category")
            if cat:
                categories[split][cat["label"]] += 1
                for c in (per_split[split], per_source[kind]):
                    c["categorized"] += 1
                reviewed["labels"] += 1
                reviewed["reviewed"] += bool(cat.get("reviewed"))
                by[cat.get("by", "").split(":")[0]] += 1
            ents = rec.get("entities")
            if ents is not None:
                for c in (per_split[split], per_source[kind]):
                    c["entity_annotated"] += 1
                    c["entities"] += len(ents)
                    if rec.get("entities_reviewed"):
                        c["entity_reviewed_paragraphs"] += 1
                for ent in ents:
                    labels[split][ent["label"]] += 1
                    reviewed["labels"] += 1
                    reviewed["reviewed"] += bool(ent.get("reviewed"))
                    by[ent.get("by", "").split(":")[0]] += 1
                if nlp is not None and ents:
                    doc_ = nlp.make_doc(rec["text"])
                    for ent in ents:
                        misaligned["entities"] += 1
                        if doc_.char_span(ent["start"], ent["end"]) is None:
                            misaligned["misaligned"] += 1
                            misaligned[f"misaligned_{ent['label']}"] += 1
    out = {
        "version": corpus.version(),
        "splits": {s: dict(per_split[s]) for s in [*splits, "unassigned"] if s in per_split},
        "sources": {k: dict(v) for k, v in sorted(per_source.items())},
        "categories": {s: {c: categories[s][c] for c in CATEGORIES} for s in per_split},
        "entity_labels": {s: {lab: labels[s][lab] for lab in ENTITY_LABELS} for s in per_split},
        "labels": reviewed["labels"],
        "reviewed_share": (reviewed["reviewed"] / reviewed["labels"]) if reviewed["labels"] else None,
        "labels_by": dict(by),
        "agreement": agreement(corpus.root / "agreement"),
    }
    if nlp is not None:
        total = misaligned["entities"]
        out["token_alignment"] = {
            "entities": total,
            "misaligned": misaligned["misaligned"],
            "misaligned_share": misaligned["misaligned"] / total if total else None,
            "by_label": {lab: misaligned[f"misaligned_{lab}"] for lab in ENTITY_LABELS},
        }
    return out


def _kappa(pairs: list[tuple[str, str]]) -> float | None:
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def agreement(folder: Path) -> dict:
    """Agreement between the annotators of each double-annotated sample in corpus/agreement/<sample>/<annotator>.jsonl
    (records: {"id", "category", "entities": [[start, end, label], ...]}): category accuracy and Cohen's kappa,
    entity exact-span F1 between the two annotators (symmetric)."""
    out = {}
    if not folder.is_dir():
        return out
    for sample in sorted(p for p in folder.iterdir() if p.is_dir()):
        files = sorted(sample.glob("*.jsonl"))
        if len(files) < 2:
            continue
        ann = []
        for f in files[:2]:
            recs = {}
            for line in f.read_text("utf-8").splitlines():
                if line.strip():
                    r = json.loads(line)
                    recs[r["id"]] = r
            ann.append(recs)
        common = sorted(set(ann[0]) & set(ann[1]))
        cat_pairs = [(ann[0][i]["category"], ann[1][i]["category"]) for i in common
                     if ann[0][i].get("category") and ann[1][i].get("category")]
        tp = fp = fn = 0
        ent_ids = [i for i in common if ann[0][i].get("entities") is not None and ann[1][i].get("entities") is not None]
        for i in ent_ids:
            a = {tuple(e) for e in ann[0][i]["entities"]}
            b = {tuple(e) for e in ann[1][i]["entities"]}
            tp += len(a & b)
            fp += len(b - a)
            fn += len(a - b)
        f1 = 2 * tp / (2 * tp + fp + fn) if (tp + fp + fn) else None
        out[sample.name] = {
            "annotators": [f.stem for f in files[:2]],
            "paragraphs": len(common),
            "category_pairs": len(cat_pairs),
            "category_agreement": (sum(a == b for a, b in cat_pairs) / len(cat_pairs)) if cat_pairs else None,
            "category_kappa": _kappa(cat_pairs),
            "entity_paragraphs": len(ent_ids),
            "entity_f1": f1,
            "entities": [tp + fn, tp + fp],
        }
    return out


def render(stats: dict) -> str:
    lines = [f"corpus version {stats['version']}", ""]
    cols = ["documents", "paragraphs", "categorized", "entity_annotated", "entity_reviewed_paragraphs", "entities"]
    lines.append(f"{'split':<12}" + "".join(f"{c:>14}" for c in ["docs", "paragraphs", "categorized", "ent.annot.", "ent.reviewed", "entities"]))
    for split, c in stats["splits"].items():
        lines.append(f"{split:<12}" + "".join(f"{c.get(k, 0):>14}" for k in cols))
    lines += ["", f"{'source':<12}" + "".join(f"{c:>14}" for c in ["docs", "paragraphs", "categorized", "ent.annot.", "ent.reviewed", "entities"])]
    for src, c in stats["sources"].items():
        lines.append(f"{src:<12}" + "".join(f"{c.get(k, 0):>14}" for k in cols))
    lines += ["", f"{'category':<12}" + "".join(f"{s:>12}" for s in stats["categories"])]
    for cat in CATEGORIES:
        lines.append(f"{cat:<12}" + "".join(f"{stats['categories'][s][cat]:>12}" for s in stats["categories"]))
    lines += ["", f"{'entity':<12}" + "".join(f"{s:>12}" for s in stats["entity_labels"])]
    for lab in ENTITY_LABELS:
        lines.append(f"{lab:<12}" + "".join(f"{stats['entity_labels'][s][lab]:>12}" for s in stats["entity_labels"]))
    share = stats["reviewed_share"]
    lines += ["", f"labels: {stats['labels']}, reviewed: {share:.1%}" if share is not None else "labels: 0",
              "labels made by: " + ", ".join(f"{k or '?'} {v}" for k, v in sorted(stats["labels_by"].items()))]
    for name, a in stats["agreement"].items():
        ca = f"{a['category_agreement']:.3f}" if a["category_agreement"] is not None else "n/a"
        ck = f"{a['category_kappa']:.3f}" if a["category_kappa"] is not None else "n/a"
        ef = f"{a['entity_f1']:.3f}" if a["entity_f1"] is not None else "n/a"
        lines.append(f"agreement [{name}] {' vs '.join(a['annotators'])}: {a['paragraphs']} paragraphs; "
                     f"category agreement {ca}, kappa {ck}; entity span F1 {ef} over {a['entity_paragraphs']} paragraphs")
    ta = stats.get("token_alignment")
    if ta:
        sh = f"{ta['misaligned_share']:.2%}" if ta["misaligned_share"] is not None else "n/a"
        lines.append(f"token alignment: {ta['misaligned']} of {ta['entities']} gold entities cross a token boundary ({sh}); "
                     + ", ".join(f"{k} {v}" for k, v in ta["by_label"].items()))
    return "\n".join(lines)
