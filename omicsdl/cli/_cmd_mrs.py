"""``omicsdl mrs``: liver 1H-MRS simulation, fitting, CNN quantification/classification, evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from omicsdl.cli._outputs import PNG_MAGIC, ZIP_MAGIC, Output, add_output

if TYPE_CHECKING:
    import argparse

    import pandas as pd


def register(subparsers) -> None:
    """Add the ``mrs`` command and its subcommands."""
    parser = subparsers.add_parser(
        "mrs",
        help="liver 1H MR spectroscopy: simulate, fit, quantify (qCNN), classify (cCNN), evaluate",
        description=(
            "Liver 1H-MRS after Bae et al. (Magn Reson Med Sci 2025). Simulated data are labelled synthetic."
        ),
    )
    sub = parser.add_subparsers(dest="mrs_command", metavar="SUBCOMMAND")

    def acquisition(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--field", type=float, default=None, help="proton frequency in MHz (default 123.2; .RAW input)"
        )
        p.add_argument("--dwell", type=float, default=None, help="dwell time in s (default 5e-4; .RAW input)")

    sim = sub.add_parser("simulate", help="simulate liver spectra from the liver basis (SYNTHETIC)")
    sim.add_argument("--n", type=int, default=100, help="number of spectra (default 100)")
    sim.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sim.add_argument("--te", type=float, default=30.0, help="PRESS echo time in ms (default 30)")
    sim.add_argument("--points", type=int, default=1024, help="FID points (default 1024)")
    acquisition(sim)
    add_output(
        sim,
        "--out",
        output=Output("file", "a spectra .npz file", header=ZIP_MAGIC),
        required=True,
        help="output .npz (FIDs, true amplitudes, names)",
    )
    sim.set_defaults(func=_simulate)

    fit = sub.add_parser("fit", help="linear-combination fit (NLLS baseline) with CRLBs")
    fit.add_argument(
        "input", help="spectra: .npz (omicsdl), .RAW (LCModel), .rda (Siemens) or .nii/.nii.gz (NIfTI-MRS)"
    )
    fit.add_argument("--basis", default=None, help="LCModel .BASIS file (default: simulated liver basis)")
    fit.add_argument("--metabolites", default=None, help="comma-separated components to fit (default: all)")
    fit.add_argument(
        "--te", type=float, default=30.0, help="PRESS TE in ms for the simulated basis (default 30)"
    )
    acquisition(fit)
    add_output(
        fit,
        "--out",
        output=Output("file", "a fit table", header=b"spectrum\t"),
        required=True,
        help="output TSV of amplitudes and CRLBs",
    )
    add_output(
        fit,
        "--figure",
        output=Output("file", "a PNG figure", header=PNG_MAGIC),
        default=None,
        help="optional PNG of the first spectrum's fit",
    )
    fit.set_defaults(func=_fit)

    quant = sub.add_parser("quantify", help="qCNN amplitudes with MC-dropout uncertainty")
    quant.add_argument("input", help="spectra (.npz, .RAW, .rda, NIfTI-MRS)")
    quant.add_argument(
        "--model",
        required=True,
        help=(
            "qCNN model folder (from `omicsdl mrs evaluate --save-models`); its MC-dropout draws are "
            "seeded by the model (from the seed it was fitted with)"
        ),
    )
    acquisition(quant)
    add_output(
        quant,
        "--out",
        output=Output("file", "an amplitude table", header=b"spectrum\t"),
        required=True,
        help="output TSV (amplitude and sd per component)",
    )
    quant.set_defaults(func=_quantify)

    cls = sub.add_parser("classify", help="cCNN patient-group probabilities")
    cls.add_argument("input", help="spectra (.npz, .RAW, .rda, NIfTI-MRS)")
    cls.add_argument(
        "--model",
        required=True,
        help=(
            "cCNN model folder (from `omicsdl mrs evaluate --save-models`); its MC-dropout draws are "
            "seeded by the model (from the seed it was fitted with)"
        ),
    )
    acquisition(cls)
    add_output(
        cls,
        "--out",
        output=Output("file", "a class-probability table", header=b"spectrum\t"),
        required=True,
        help="output TSV of class probabilities",
    )
    cls.set_defaults(func=_classify)

    ev = sub.add_parser("evaluate", help="qCNN vs fit and cCNN on held-out SIMULATED spectra/patients")
    ev.add_argument(
        "--seed",
        type=int,
        default=0,
        help="seed of every simulation, both networks and their MC dropout (default 0)",
    )
    add_output(
        ev,
        "--out",
        output=Output("results", "an MRS evaluation", format="omicsdl.MRSEvaluation"),
        required=True,
        help="output directory (metrics.json, fit_example.png, roc.png, classification_scores.tsv)",
    )
    ev.add_argument(
        "--n-test", type=int, default=40, help="held-out spectra for the error table (default 40)"
    )
    ev.add_argument("--qcnn-max-steps", type=int, default=800, help="qCNN optimiser steps (default 800)")
    ev.add_argument("--ccnn-max-steps", type=int, default=150, help="cCNN optimiser steps (default 150)")
    ev.add_argument("--save-models", action="store_true", help="also save the qCNN and cCNN under OUT/models")
    ev.set_defaults(func=_evaluate)
    parser.set_defaults(func=lambda _args: parser.print_help() or 2)


def _threads() -> None:
    import torch

    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))


def _read(args: argparse.Namespace):
    from omicsdl.mrs import read_mrs

    return read_mrs(args.input, dwell_s=args.dwell, field_mhz=args.field)


def _simulate(args: argparse.Namespace) -> int:
    from omicsdl.mrs import make_liver_basis, simulate_spectra, write_mrs_npz

    given = {"field_mhz": args.field, "dwell_s": args.dwell}  # unset: make_liver_basis' defaults
    basis = make_liver_basis(
        te_ms=args.te, n_points=args.points, **{k: v for k, v in given.items() if v is not None}
    )
    data, amp, _ = simulate_spectra(basis, args.n, rng=args.seed)
    write_mrs_npz(args.out, data, amplitudes=amp, names=basis.names)
    return 0


def _write_table(path: str, frame: pd.DataFrame) -> None:
    from omicsdl.mrs._files import write_tsv

    write_tsv(path, [str(c) for c in frame.columns], frame.itertuples(index=False, name=None))


def _fit(args: argparse.Namespace) -> int:
    from omicsdl.mrs import fit_spectrum, fit_table, make_liver_basis, plot_fit, read_lcmodel_basis

    data = _read(args)
    if args.basis:
        basis = read_lcmodel_basis(args.basis)
    else:
        basis = make_liver_basis(
            te_ms=args.te, n_points=data.n_points, dwell_s=data.dwell_s, field_mhz=data.field_mhz
        )
    names = args.metabolites.split(",") if args.metabolites else None
    _write_table(args.out, fit_table(data, basis, metabolites=names))
    if args.figure:
        from omicsdl._core._atomic import atomic_path

        fig = plot_fit(fit_spectrum(data, basis, metabolites=names), title=f"fit of {Path(args.input).name}")
        with atomic_path(args.figure) as tmp:
            fig.savefig(tmp, format="png", dpi=110)
    return 0


def _quantify(args: argparse.Namespace) -> int:
    from omicsdl.mrs import SpectrumQuantifierCNN, amplitude_table

    _threads()
    model = SpectrumQuantifierCNN.load(args.model)
    _write_table(args.out, amplitude_table(model, _read(args)))
    return 0


def _classify(args: argparse.Namespace) -> int:
    from omicsdl.mrs import SpectrumClassifierCNN, probability_table

    _threads()
    model = SpectrumClassifierCNN.load(args.model)
    _write_table(args.out, probability_table(model, _read(args)))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from omicsdl.mrs import evaluate_mrs

    _threads()
    evaluation = evaluate_mrs(
        n_test=args.n_test,
        qcnn_max_steps=args.qcnn_max_steps,
        ccnn_max_steps=args.ccnn_max_steps,
        rng=args.seed,
    )
    evaluation.write(args.out, save_models=args.save_models)
    return 0
