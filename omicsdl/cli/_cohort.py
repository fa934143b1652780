"""The cohort argument the commands share: the word ``demo`` or an ``.h5mu`` file."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mudata import MuData

__all__ = ["load_cohort"]


def load_cohort(spec: str, *, require_survival: bool = False) -> MuData:
    """The embedded TCGA-LIHC cohort for ``"demo"``, else the validated ``.h5mu`` file ``spec``.

    Raises
    ------
    InputError
        ``spec`` is not a readable cohort file (or lacks survival when ``require_survival``).
    """
    import omicsdl as od

    if spec == "demo":
        return od.datasets.tcga_lihc_demo()
    return od.io.read_h5mu(spec, require_survival=require_survival)
