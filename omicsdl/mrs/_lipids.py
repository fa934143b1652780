"""Liver triglyceride resonances (Hamilton et al., NMR Biomed 2011;24:784-790).

Relative areas of the nine triglyceride peaks of the in vivo liver fat spectrum, as
transcribed from Hamilton et al. 2011 (they sum to 1). The peaks are treated as singlets
(their J structure is unresolved at liver linewidths). T2 values and the extra
linewidth are SIMULATION assumptions (typical 3 T values), not measurements.
"""

from __future__ import annotations

__all__ = ["LIPID_EXTRA_LW_HZ", "LIPID_GROUPS", "LIPID_T2_MS", "TRIGLYCERIDE_PEAKS"]

# ppm -> (relative area, assignment)
TRIGLYCERIDE_PEAKS: dict[float, tuple[float, str]] = {
    0.90: (0.088, "methyl -CH3"),
    1.30: (0.642, "methylene -(CH2)n-"),
    1.60: (0.058, "beta-carboxyl -CO-CH2-CH2-"),
    2.02: (0.062, "alpha-olefinic -CH2-CH=CH-"),
    2.24: (0.058, "alpha-carboxyl -CO-CH2-"),
    2.75: (0.006, "diacyl =CH-CH2-CH="),
    4.20: (0.039, "glycerol -CH2-O-CO-"),
    5.19: (0.010, "glycerol -CH-O-CO-"),
    5.29: (0.037, "olefinic -CH=CH-"),
}

# the five quantified lipid resonances: name -> peaks (their areas keep Hamilton's ratios)
LIPID_GROUPS: dict[str, tuple[float, ...]] = {
    "Lip09": (0.90,),
    "Lip13": (1.30, 1.60),
    "Lip21": (2.02, 2.24, 2.75),
    "Lip42": (4.20,),
    "Lip53": (5.19, 5.29),
}

LIPID_T2_MS = 60.0  # SIMULATION assumption (order of the 3 T in vivo methylene T2)
LIPID_EXTRA_LW_HZ = 8.0  # SIMULATION assumption: extra Lorentzian width of fat peaks
