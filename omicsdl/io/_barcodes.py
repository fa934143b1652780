"""TCGA barcodes: parse aliquot, sample and patient levels.

A TCGA barcode reads ``TCGA-2V-A95S-01A-11R-A28Z-13``:

======  =========  ===========================================
part    example    meaning
======  =========  ===========================================
project ``TCGA``
TSS     ``2V``     tissue source site
patient ``A95S``   participant (``TCGA-2V-A95S`` is the patient barcode)
sample  ``01A``    sample type ``01`` + vial ``A``
portion ``11R``    portion ``11`` + analyte ``R`` (RNA)
plate   ``A28Z``
center  ``13``
======  =========  ===========================================

Mirrors write dots instead of dashes (``TCGA.2V.A95S.01``); both are accepted
and normalised to dashes, upper case.

Duplicate aliquots of one patient (:func:`choose_one_aliquot`)
    Keep primary tumour (``01``) over other types, then the lowest vial letter,
    then the lowest portion, then — for analyte — ``R``/``D`` by TCGA convention
    over ``T``/``H``/``W`` (whole-genome amplified), then the *highest* plate
    (the most recent), as the Broad GDAC Firehose does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from omicsdl._core._errors import InputError

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "SAMPLE_TYPES",
    "Barcode",
    "all_barcodes",
    "choose_one_aliquot",
    "parse_barcode",
    "patient_barcode",
    "sample_type_code",
]

#: TCGA sample-type codes (the GDC's code table).
SAMPLE_TYPES: dict[str, str] = {
    "01": "Primary Solid Tumor",
    "02": "Recurrent Solid Tumor",
    "03": "Primary Blood Derived Cancer - Peripheral Blood",
    "04": "Recurrent Blood Derived Cancer - Bone Marrow",
    "05": "Additional - New Primary",
    "06": "Metastatic",
    "07": "Additional Metastatic",
    "08": "Human Tumor Original Cells",
    "09": "Primary Blood Derived Cancer - Bone Marrow",
    "10": "Blood Derived Normal",
    "11": "Solid Tissue Normal",
    "12": "Buccal Cell Normal",
    "13": "EBV Immortalized Normal",
    "14": "Bone Marrow Normal",
    "20": "Control Analyte",
    "40": "Recurrent Blood Derived Cancer - Peripheral Blood",
    "50": "Cell Lines",
    "60": "Primary Xenograft Tissue",
    "61": "Cell Line Derived Xenograft Tissue",
}

_BARCODE = re.compile(
    r"""^(?P<project>TCGA)[-.](?P<tss>[A-Z0-9]{2})[-.](?P<participant>[A-Z0-9]{4})
        (?:[-.](?P<sample>\d{2})(?P<vial>[A-Z])?
          (?:[-.](?P<portion>\d{2})(?P<analyte>[A-Z])?
            (?:[-.](?P<plate>[A-Z0-9]{4})
              (?:[-.](?P<center>\d{2}))?)?)?)?$""",
    re.VERBOSE,
)
_ANALYTE_RANK = {"R": 0, "D": 0, "T": 1, "H": 2, "W": 3, "X": 3, "G": 3}


@dataclass(frozen=True, slots=True)
class Barcode:
    """A parsed TCGA barcode; fields below the level present are ``None``.

    Attributes
    ----------
    tss
        Tissue source site, e.g. ``2V``.
    participant
        Participant code, e.g. ``A95S``.
    sample
        Sample type code, e.g. ``01`` (primary tumour).
    vial
        Vial letter, e.g. ``A``.
    portion
        Portion number, e.g. ``11``.
    analyte
        Analyte letter, e.g. ``R`` (RNA), ``D`` (DNA).
    plate
        Plate id.
    center
        Analysis centre code.

    Examples
    --------
    >>> from omicsdl.io import parse_barcode
    >>> code = parse_barcode("TCGA-2V-A95S-01A-11R-A37K-07")
    >>> code.patient, code.sample, code.analyte
    ('TCGA-2V-A95S', '01', 'R')
    """

    tss: str
    participant: str
    sample: str | None = None
    vial: str | None = None
    portion: str | None = None
    analyte: str | None = None
    plate: str | None = None
    center: str | None = None

    @property
    def patient(self) -> str:
        """The 12-character patient barcode, e.g. ``TCGA-2V-A95S``."""
        return f"TCGA-{self.tss}-{self.participant}"

    @property
    def sample_barcode(self) -> str | None:
        """Patient + sample type (+ vial when known), e.g. ``TCGA-2V-A95S-01A``."""
        if self.sample is None:
            return None
        return f"{self.patient}-{self.sample}{self.vial or ''}"

    @property
    def sample_type(self) -> str | None:
        """Human-readable sample type, e.g. ``Primary Solid Tumor``."""
        return None if self.sample is None else SAMPLE_TYPES.get(self.sample, f"code {self.sample}")

    @property
    def level(self) -> str:
        """``"patient"``, ``"sample"``, ``"portion"`` or ``"aliquot"``."""
        if self.plate is not None:
            return "aliquot"
        if self.portion is not None:
            return "portion"
        if self.sample is not None:
            return "sample"
        return "patient"

    def __str__(self) -> str:
        parts = [self.patient]
        if self.sample is not None:
            parts.append(f"{self.sample}{self.vial or ''}")
        if self.portion is not None:
            parts.append(f"{self.portion}{self.analyte or ''}")
        if self.plate is not None:
            parts.append(self.plate)
        if self.center is not None:
            parts.append(self.center)
        return "-".join(parts)


def parse_barcode(text: str, *, source: str | None = None) -> Barcode:
    """Parse a TCGA barcode written with dashes or dots, at any level.

    Raises
    ------
    InputError
        If ``text`` is not a TCGA barcode.

    Examples
    --------
    >>> parse_barcode("TCGA.2V.A95S.01").patient
    'TCGA-2V-A95S'
    """
    match = _BARCODE.match(str(text).strip().upper())
    if match is None:
        raise InputError(
            f"{text!r} is not a TCGA barcode",
            source=source,
            item=str(text),
            fix="ids must look like TCGA-2V-A95S, TCGA-2V-A95S-01A or TCGA.2V.A95S.01",
        )
    g = match.groupdict()
    return Barcode(
        tss=g["tss"],
        participant=g["participant"],
        sample=g["sample"],
        vial=g["vial"],
        portion=g["portion"],
        analyte=g["analyte"],
        plate=g["plate"],
        center=g["center"],
    )


def all_barcodes(ids: Iterable[object]) -> bool:
    """Whether ``ids`` is not empty and every id is a TCGA barcode (any level, dots or dashes)."""
    ids = list(ids)
    try:
        for value in ids:
            parse_barcode(str(value))
    except InputError:
        return False
    return len(ids) > 0


def patient_barcode(text: str) -> str:
    """The 12-character patient barcode of any TCGA barcode.

    Examples
    --------
    >>> import omicsdl as od
    >>> od.io.patient_barcode("TCGA-2V-A95S-01A-11R-A37K-07")
    'TCGA-2V-A95S'
    """
    return parse_barcode(text).patient


def sample_type_code(text: str) -> str | None:
    """The two-digit sample-type code (``"01"`` primary tumour, ``"11"`` normal …).

    Examples
    --------
    >>> import omicsdl as od
    >>> od.io.sample_type_code("TCGA-2V-A95S-11A-11R-A37K-07"), od.io.sample_type_code("TCGA-2V-A95S")
    ('11', None)
    """
    return parse_barcode(text).sample


def _aliquot_rank(code: Barcode) -> tuple:
    return (
        0 if code.sample == "01" else 1,
        code.sample or "99",
        code.vial or "Z",
        code.portion or "99",
        _ANALYTE_RANK.get(code.analyte or "", 4),
        # highest plate wins: negate by sorting on the inverted characters
        tuple(-ord(c) for c in (code.plate or "")),
    )


def choose_one_aliquot(barcodes: Iterable[str]) -> dict[str, str]:
    """Pick one barcode per patient by the documented rule (see module docstring).

    Returns
    -------
    Mapping patient barcode → chosen barcode (as given).

    Examples
    --------
    >>> import omicsdl as od
    >>> od.io.choose_one_aliquot(
    ...     ["TCGA-2V-A95S-11A-11R-A37K-07", "TCGA-2V-A95S-01A-11R-A37K-07", "TCGA-2V-A95S-01B-11R-A37K-07"]
    ... )
    {'TCGA-2V-A95S': 'TCGA-2V-A95S-01A-11R-A37K-07'}
    """
    best: dict[str, tuple[tuple, str]] = {}
    for raw in barcodes:
        code = parse_barcode(raw)
        rank = _aliquot_rank(code)
        current = best.get(code.patient)
        if current is None or rank < current[0]:
            best[code.patient] = (rank, raw)
    return {patient: raw for patient, (_, raw) in best.items()}
