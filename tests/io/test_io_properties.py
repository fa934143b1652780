"""Hypothesis property tests: manifest path safety, row-order invariance, sample selection."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from omicsdl._core._errors import InputError
from omicsdl.io._barcodes import SAMPLE_TYPES, parse_barcode
from omicsdl.io._fetch_manifest import _safe_part
from omicsdl.io._gdc_stack import TableLayout, stack_tables


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab./\\\x00:~-_ \t")) | st.characters(), max_size=12))
def test_an_accepted_manifest_name_never_leaves_the_folder(name):
    out = Path(tempfile.gettempdir()).resolve() / "omicsdl_out"
    try:
        _safe_part(name, "id", "m.txt", 2)
    except InputError:
        return
    target = (out / name / "file.txt").resolve()
    assert target.is_relative_to(out)
    assert os.sep not in name
    assert name not in ("", ".", "..")


def _split(data: bytes, path: Path) -> tuple[bytes, int]:
    return data.partition(b"\n")[2], 2


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_row_order_does_not_change_the_matrix(tmp_path, data):
    n_ids = data.draw(st.integers(2, 12))
    n_files = data.draw(st.integers(1, 5))
    ids = [f"id{i}" for i in range(n_ids)]
    values = np.array(
        data.draw(
            st.lists(st.floats(0, 1e6, allow_nan=False), min_size=n_ids * n_files, max_size=n_ids * n_files)
        )
    ).reshape(n_files, n_ids)
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    paths = []
    for k in range(n_files):
        order = data.draw(st.permutations(range(n_ids)))
        lines = ["id\tvalue"] + [f"{ids[i]}\t{float(values[k, i])!r}" for i in order]
        path = folder / f"f{k}.txt"
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    layout = TableLayout(what="table", n_fields=2, split_header=_split, id_column=0, value_columns={"v": 1})
    stacked = stack_tables(paths, layout, chunk_files=2)
    frame = pd.DataFrame(stacked.values["v"], columns=stacked.ids)[ids]
    # pandas' C float parser ("high" precision) is not exactly round-trip for
    # 16-17 significant digits (seen: 1.6e-13 relative); a row swap would be far larger
    np.testing.assert_allclose(frame.to_numpy(), values, rtol=1e-9, atol=0)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A1B2", "C3D4", "E5F6"]),
            st.sampled_from(sorted(SAMPLE_TYPES)),
            st.sampled_from("ABC"),
            st.sampled_from(["A28Z", "A41H", "A130"]),
        ),
        min_size=1,
        max_size=12,
        unique=True,
    )
)
def test_select_samples_keeps_one_primary_per_patient(parts):
    import anndata as ad

    from omicsdl.io._select_samples import select_samples

    names = [f"TCGA-XX-{p}-{t}{v}-11R-{plate}-13" for p, t, v, plate in parts]
    adata = ad.AnnData(np.zeros((len(names), 1)), obs=pd.DataFrame(index=names))
    out = select_samples(adata)
    primaries = {parse_barcode(n).patient for n in names if parse_barcode(n).sample == "01"}
    assert set(out.obs_names) == primaries
    assert not out.obs_names.has_duplicates
    assert all(parse_barcode(b).sample == "01" for b in out.obs["sample_barcode"])
