"""Copy the reports the corpus is built from into corpus/raw/, as received, with a provenance entry each.

Run from the repository root:  python training/import_raw.py [--shared ../shared]
Writes corpus/raw/<doc>.txt (bytes of the seeds unchanged; national reports: the `content` field, UTF-8) and
corpus/raw/sources.jsonl (doc, file, kind, title, year, source, licence, sha256). Idempotent.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {
    "000_1a6123e81cfccbeb.txt": ("seed-000", "调研报告 (district, industry and the second sector)", 2023),
    "001_0c97aa5cc440a111.txt": ("seed-001", "调研报告 (county, project construction)", 2023),
    "002_affe57d3ac0bb651.txt": ("seed-002", "speech at a city industrial-economy work meeting", 2019),
    "003_b32c99b684574bf5.txt": ("seed-003", "city quarterly summary of industrial work (Q1)", 2024),
    "004_d51131fa10a16643.txt": ("seed-004", "district half-year self-inspection report, traditional characters with inline pinyin", 2018),
}
SEED_SOURCE = "the documents policytag was created from (shared/data/seeds/{name})"
SEED_LICENCE = "public government material"
NATIONAL_SOURCE = ("Wikisource, via github aldohemsn/chinese-political-corpora @ 99bc4b0 government_work_reports.jsonl "
                   "(shared/data/national/government_work_reports_1954_2012.jsonl)")
NATIONAL_LICENCE = "official document, not under copyright (PRC Copyright Law art. 5)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    raw = ROOT / "corpus" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    entries = []
    for name, (doc, title, year) in SEEDS.items():
        data = (args.shared / "data" / "seeds" / name).read_bytes()
        (raw / f"{doc}.txt").write_bytes(data)
        entries.append({"doc": doc, "file": f"{doc}.txt", "kind": "seed", "title": title, "year": year,
                        "source": SEED_SOURCE.format(name=name), "licence": SEED_LICENCE,
                        "sha256": hashlib.sha256(data).hexdigest()})
    with open(args.shared / "data" / "national" / "government_work_reports_1954_2012.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            doc = f"national-{rec['year']}"
            data = rec["content"].encode("utf-8")
            (raw / f"{doc}.txt").write_bytes(data)
            entries.append({"doc": doc, "file": f"{doc}.txt", "kind": "national", "title": rec["title"],
                            "year": rec["year"], "source": NATIONAL_SOURCE, "licence": NATIONAL_LICENCE,
                            "sha256": hashlib.sha256(data).hexdigest()})
    entries.sort(key=lambda e: e["doc"])
    with open(raw / "sources.jsonl", "w", encoding="utf-8") as fh:
        for e in entries:
            fh.write(json.dumps(e, ensure_ascii=False) + "\n")
    print(f"{len(entries)} reports in {raw}")


if __name__ == "__main__":
    main()
