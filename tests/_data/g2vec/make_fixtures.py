"""Rebuild the G2Vec fixtures from the real data in ../shared/data.

Run from the repository root:
    PYTHONPATH=$PWD python tests/_data/g2vec/make_fixtures.py

Writes
- omicsdl/datasets/_data/networks/string_lihc_demo.csv.gz — the STRING (score > 0.9)
  edges among the genes of the embedded TCGA-LIHC demo mRNA (CC BY 4.0), in the
  STRING CSV layout;
- tests/_data/g2vec/cheng_corrupt_excerpt.tsv — 400 real rows of the Cheng
  interactome around its first corrupt rows (Entrez ids, CRLF, damaged bytes kept);
- tests/_data/g2vec/hallmark_excerpt.gmt — 5 Hallmark sets (test only).
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO))

import omicsdl as od  # noqa: E402

genes = set(od.datasets.tcga_lihc_demo()["rna"].var_names)
rows = []
with (SHARED / "networks" / "string_v_unknown_score900_symbols.csv").open(newline="") as fh:
    reader = csv.reader(fh)
    header = next(reader)
    for row in reader:
        if row[2] in genes and row[3] in genes:
            rows.append(row)
buf = io.StringIO()
writer = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
writer.writerow(header)
for row in rows:
    writer.writerow([row[0], float(row[1]), row[2], row[3]])
out = REPO / "omicsdl" / "datasets" / "_data" / "networks" / "string_lihc_demo.csv.gz"
out.write_bytes(gzip.compress(buf.getvalue().encode(), mtime=0))
print(out, len(rows), "edges")

raw = gzip.decompress((SHARED / "networks" / "cheng_human_interactome_entrez.tsv.gz").read_bytes())
lines = raw.split(b"\n")
start = 93862 - 100
(REPO / "tests" / "_data" / "g2vec" / "cheng_corrupt_excerpt.tsv").write_bytes(
    b"\n".join(lines[start : start + 400]) + b"\n"
)

gmt = (SHARED / "genesets" / "h.all.v7.0.symbols.gmt").read_text().splitlines()
(REPO / "tests" / "_data" / "g2vec" / "hallmark_excerpt.gmt").write_text("\n".join(gmt[:5]) + "\n")
