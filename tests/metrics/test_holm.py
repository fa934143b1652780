"""Holm's adjustment, against statsmodels and by property."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

from omicsdl.metrics import holm_adjust


def test_holm_matches_the_step_down_by_hand():
    p = {"a": 0.01, "b": 0.04, "c": 0.03, "d": 0.5}
    # sorted 0.01, 0.03, 0.04, 0.5 times 4, 3, 2, 1, then running maximum
    assert holm_adjust(p) == pytest.approx({"a": 0.04, "c": 0.09, "b": 0.09, "d": 0.5})
    assert holm_adjust({}) == {}
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.uniform(0, 0.05, 6), rng.uniform(0, 1, 11), [0.02, 0.02]])  # with ties
    mine = holm_adjust({f"m{i}": v for i, v in enumerate(values)})
    np.testing.assert_allclose(list(mine.values()), multipletests(values, method="holm")[1])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1), min_size=1, max_size=17))
def test_holm_never_lowers_a_p_value_and_keeps_their_order(values):
    p = {f"m{i}": v for i, v in enumerate(values)}
    adj = holm_adjust(p)
    assert all(p[k] <= adj[k] <= 1 for k in p)
    order = sorted(p, key=p.get)
    assert all(adj[a] <= adj[b] for a, b in itertools.pairwise(order))
