"""``omicsdl subtypes fit | predict | evaluate``: survival subtypes (Chaudhary et al. 2018)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from omicsdl._core._device import DEVICES
from omicsdl._core._settings import settings
from omicsdl.cli._cohort import load_cohort
from omicsdl.cli._outputs import HDF5_MAGIC, Output, add_output

if TYPE_CHECKING:
    import argparse

logger = logging.getLogger(__name__)

_COHORT_HELP = (
    "cohort: an .h5mu file (omicsdl.io.write_h5mu) or the word 'demo' for the embedded TCGA-LIHC cohort"
)


def register(subparsers: Any) -> None:
    """Add ``omicsdl subtypes`` and its three actions."""
    parser = subparsers.add_parser(
        "subtypes",
        help="survival subtypes: autoencoder + Cox + K-means + SVM classifier (Chaudhary et al. 2018)",
        description="Discover survival subtypes, assign new patients, and evaluate honestly by nested CV.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--seed",
            type=int,
            default=settings.seed,
            help=f"random seed (same seed, same numbers; default {settings.seed})",
        )
        p.add_argument(
            "--threads", type=int, default=1, help="torch threads (default 1: safe on shared CPUs)"
        )
        p.add_argument(
            "--device",
            choices=DEVICES,
            default="auto",
            help="where the autoencoder runs (default auto: a CUDA GPU if there is one, else the CPU)",
        )
        p.add_argument("--max-epochs", type=int, default=None, help="autoencoder epochs (default 30)")
        p.add_argument(
            "--k", type=int, nargs="+", default=None, help="candidate numbers of subtypes (default 2 3 4 5)"
        )
        p.add_argument(
            "--alpha", type=float, default=None, help="Cox p-value threshold for latent features (0.05)"
        )
        p.add_argument(
            "--omics", nargs="+", default=None, help="modalities to integrate (default: all in the cohort)"
        )

    fit = actions.add_parser("fit", help="fit subtypes on a cohort and save the model directory")
    fit.add_argument("cohort", help=_COHORT_HELP)
    add_output(
        fit,
        "--model",
        output=Output("model", "a survival-subtypes model", format="omicsdl.SurvivalSubtypes"),
        required=True,
        help="output model directory (safetensors + JSON)",
    )
    add_output(
        fit,
        "--annotated",
        output=Output("file", "a cohort file", header=HDF5_MAGIC),
        default=None,
        help="also write the cohort with obs['subtype'] etc. (.h5mu)",
    )
    add_output(
        fit,
        "--tables",
        output=Output(
            "results", "a subtypes table folder", format="omicsdl.SubtypesFit", main_file="summary.json"
        ),
        default=None,
        help="folder for per-patient subtypes and characterisation TSVs (and summary.json)",
    )
    common(fit)
    fit.set_defaults(func=_run_fit)

    predict = actions.add_parser(
        "predict", help="assign patients of a (new) cohort to a saved model's subtypes"
    )
    predict.add_argument("cohort", help=_COHORT_HELP)
    predict.add_argument("--model", required=True, help="model directory written by `subtypes fit`")
    add_output(
        predict,
        "--out",
        output=Output("file", "a subtypes predictions table", header=b"patient\t"),
        required=True,
        help="output TSV: patient, subtype, risk, probabilities",
    )
    predict.add_argument("--omics", nargs="+", default=None, help="use only these omics (e.g. rna)")
    predict.add_argument(
        "--normalise",
        choices=("model", "cohort"),
        default="model",
        help="'model': scale with the training preprocessing (same platform); "
        "'cohort': z-score within the new cohort (other platform)",
    )
    predict.add_argument(
        "--log-transformed", action="store_true", help="with --normalise cohort: values are already log2"
    )
    predict.set_defaults(func=_run_predict)

    evaluate = actions.add_parser(
        "evaluate", help="nested cross-validation with baselines; writes metrics.json and tables/"
    )
    evaluate.add_argument("cohort", help=_COHORT_HELP)
    evaluate.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    evaluate.add_argument("--repeats", type=int, default=3, help="repeats with new fold splits (default 3)")
    add_output(
        evaluate,
        "--out",
        output=Output("results", "a subtypes evaluation", format="omicsdl.SubtypesEvaluation"),
        required=True,
        help="results folder: metrics.json and tables/ (TSV tables and Kaplan-Meier PNGs)",
    )
    evaluate.add_argument(
        "--no-baselines", action="store_true", help="skip PCA / single-omic / stage baselines"
    )
    evaluate.add_argument(
        "--external",
        default=None,
        help="CSV of an external mRNA cohort (patients × [OS, OStime, genes], log2) to transfer subtypes to",
    )
    common(evaluate)
    evaluate.set_defaults(func=_run_evaluate)


def _params(args: argparse.Namespace) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if args.max_epochs is not None:
        params["autoencoder"] = {"max_epochs": args.max_epochs}
    if args.k is not None:
        params["k"] = args.k
    if args.alpha is not None:
        params["alpha"] = args.alpha
    if args.omics is not None:
        params["omics"] = args.omics
    return params


def _run_fit(args: argparse.Namespace) -> int:
    import omicsdl as od

    mdata = load_cohort(args.cohort)
    fit = od.subtypes.fit_subtypes(
        mdata,
        params=_params(args),
        n_threads=args.threads,
        device=args.device,
        rng=args.seed,
        source=args.cohort,
    )
    fit.model.save(args.model)
    logger.info("model written to %s (k = %d)", args.model, fit.k)
    if args.annotated:
        od.io.write_h5mu(mdata, args.annotated)
    if args.tables:
        fit.write(args.tables)
    print(f"k = {fit.k}; subtypes: {dict(fit.subtype_sizes)}")
    return 0


def _run_predict(args: argparse.Namespace) -> int:
    import omicsdl as od
    from omicsdl._core._atomic import atomic_path

    mdata = load_cohort(args.cohort)
    model = od.subtypes.SurvivalSubtypes.load(args.model)
    pred = model.predict(
        mdata, omics=args.omics, normalise=args.normalise, log_transformed=args.log_transformed
    )
    with atomic_path(args.out) as tmp:
        pred.to_csv(tmp, sep="\t", index_label="patient")
    logger.info("omics used: %s", ", ".join(pred.attrs.get("omics_used", [])))
    return 0


def _run_evaluate(args: argparse.Namespace) -> int:
    import omicsdl as od

    if args.out.endswith(".json"):
        msg = "--out is the results folder (metrics.json and tables/ are written inside it), not a file"
        raise od.InputError(msg, item=f"--out {args.out}", fix=f"use --out {args.out.removesuffix('.json')}")
    mdata = load_cohort(args.cohort, require_survival=True)
    external = od.subtypes.read_expression_survival_table(args.external) if args.external else None
    ev = od.subtypes.evaluate_subtypes(
        mdata,
        n_folds=args.folds,
        n_repeats=args.repeats,
        params=_params(args),
        baselines=not args.no_baselines,
        external=external,
        n_threads=args.threads,
        device=args.device,
        rng=args.seed,
        source=args.cohort,
    )
    ev.write(args.out)
    print(
        f"in-sample log-rank p = {_num(ev.in_sample.logrank_p, '.2g')}, "
        f"C = {_num(ev.in_sample.cindex, '.3f')}; "
        f"held-out C = {_num(ev.heldout.cindex_mean, '.3f')} ± {_num(ev.heldout.cindex_sd, '.3f')}"
    )
    return 0


def _num(value: float | None, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)
