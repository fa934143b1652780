from __future__ import annotations

import base64
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from omicsdl.report import Report


def test_report_is_self_contained_with_tables_beside_it(tmp_path):
    rep = Report("Toy <report>", summary="First paragraph.\n\nSecond paragraph.")
    sec = rep.section("s1", "Section one", synthetic=True)
    sec.add_text("Plain words.")
    sec.add_key_figures({"patients": "3"})
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    sec.add_figure(fig, caption="A line.")
    sec.add_table(pd.DataFrame({"gene": ["A", "B"], "p": [0.01, 0.5]}), name="genes", caption="Genes.")
    rep.add_methods(seed=0)
    path = rep.write(tmp_path / "out")
    html = path.read_text()
    assert "Toy &lt;report&gt;" in html  # escaped
    assert "SYNTHETIC DATA" in html
    assert html.count("<p>") >= 3
    assert "http://" not in html and "https://" not in html and "<script" not in html
    uri = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(uri)[:8] == b"\x89PNG\r\n\x1a\n"
    tsv = pd.read_csv(tmp_path / "out" / "tables" / "genes.tsv", sep="\t")
    assert tsv["p"].tolist() == [0.01, 0.5]
    assert 'href="tables/genes.tsv"' in html
    assert "numpy" in html  # versions recorded
