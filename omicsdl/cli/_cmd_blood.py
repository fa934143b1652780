"""``omicsdl blood fit | evaluate | predict | scenarios | scenario-table``: the nine-gene blood classifier (Xie et al. 2018)."""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING, Any

from omicsdl.cli._outputs import Output, add_output

if TYPE_CHECKING:
    from anndata import AnnData

logger = logging.getLogger(__name__)

_NINE = "GPC3,HGF,ANXA1,FOS,SPAG9,HSPA1B,CXCR4,PFN1,CALR"


def _csv_list(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _int_list(text: str) -> list[int]:
    try:
        return [int(t) for t in _csv_list(text)]
    except ValueError as err:
        msg = f"expected comma-separated whole numbers, got {text!r}"
        raise argparse.ArgumentTypeError(msg) from err


def _threshold(text: str) -> str | float:
    if text == "youden":
        return text
    try:
        value = float(text)
    except ValueError as err:
        msg = f"expected 'youden' or a target sensitivity in (0, 1], got {text!r}"
        raise argparse.ArgumentTypeError(msg) from err
    if not 0 < value <= 1:
        msg = f"target sensitivity must lie in (0, 1], got {value}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _add_input_options(p: argparse.ArgumentParser, *, labels: bool) -> None:
    g = p.add_argument_group("input format")
    g.add_argument(
        "--format",
        choices=["auto", "geo", "qpcr", "csv", "h5ad"],
        default="auto",
        help="input format (default: auto = guessed from the file name and first line)",
    )
    g.add_argument("--platform", help="GEO platform table (e.g. GPL570-55999.txt) for probe→gene mapping")
    g.add_argument("--symbol-column", help="gene-symbol column of the platform table (default: auto)")
    g.add_argument(
        "--multi-gene",
        choices=["fallback", "drop"],
        default="fallback",
        help="GEO probes mapping to several genes ('A /// B'): use only when a gene has no unique probe "
        "(fallback, default) or never (drop)",
    )
    g.add_argument("--sample-col", default="sample", help="qPCR long table: sample column (default: sample)")
    g.add_argument("--gene-col", default="gene", help="qPCR long table: gene column (default: gene)")
    g.add_argument("--value-col", default="value", help="qPCR long table: value column (default: value)")
    g.add_argument(
        "--value-kind",
        choices=["ct", "log2", "ratio"],
        default="ct",
        help="qPCR values: raw Ct (→ -ΔCt with --reference-genes), log2 relative expression, or a "
        "positive ratio (→ log2) (default: ct)",
    )
    g.add_argument(
        "--reference-genes", type=_csv_list, help="comma-separated reference genes for Ct, e.g. ACTB,GAPDH"
    )
    g.add_argument(
        "--replicates",
        choices=["error", "mean"],
        default="error",
        help="repeated (sample, gene) rows in a qPCR table: refuse (error) or average (mean) (default: %(default)s)",
    )
    g.add_argument(
        "--allow-ct-like",
        action="store_true",
        help="accept values that look like raw Ct where relative expression is expected",
    )
    g.add_argument(
        "--genes",
        type=_csv_list,
        default=_csv_list(_NINE),
        help=f"comma-separated gene panel (default: {_NINE})",
    )
    if labels:
        lab = p.add_argument_group("labels")
        lab.add_argument(
            "--label-key",
            default="condition",
            help="column with the class: a GEO characteristic (e.g. 'disease state'), a column of the "
            "table, or of --labels (default: condition)",
        )
        lab.add_argument(
            "--positive", type=_csv_list, default=["HCC"], help="label value(s) of HCC (default: HCC)"
        )
        lab.add_argument(
            "--negative",
            type=_csv_list,
            help="label value(s) of the controls; samples matching neither are dropped "
            "(default: every non-HCC sample is a control)",
        )
        lab.add_argument("--labels", help="separate label table (CSV/TSV) with sample ids and --label-key")
        lab.add_argument(
            "--labels-sample-col", help="sample-id column of --labels (default: its first column)"
        )
        lab.add_argument(
            "--threshold",
            type=_threshold,
            default="youden",
            help="decision threshold rule on training data: 'youden' (default) or a target "
            "sensitivity, e.g. 0.95",
        )
        lab.add_argument(
            "--simulate",
            action="store_true",
            help="use a SYNTHETIC cohort from od.blood.simulate_blood_cohort (published sizes) "
            "instead of files",
        )
        lab.add_argument(
            "--seed",
            type=int,
            default=0,
            help="random seed of the simulated cohort, the CV folds and the model weights; the same seed "
            "gives the same numbers (default: 0)",
        )


def _read_options(args: argparse.Namespace) -> dict[str, Any]:
    """The reader options of the command line, as keyword arguments of od.blood.read_blood_expression."""
    return {
        "format": args.format,
        "platform": args.platform,
        "sample_col": args.sample_col,
        "gene_col": args.gene_col,
        "value_col": args.value_col,
        "value_kind": args.value_kind,
        "reference_genes": args.reference_genes,
        "replicates": args.replicates,
        "multi_gene": args.multi_gene,
        "symbol_column": args.symbol_column,
    }


def _cohorts(args: argparse.Namespace) -> tuple[AnnData, AnnData | None]:
    import omicsdl as od

    scenario = getattr(args, "scenario", None)
    if scenario is None and args.simulate and hasattr(args, "scenario") and args.genes == _csv_list(_NINE):
        scenario = "linear"  # `evaluate --simulate`: the named default, recorded in metrics.json
    return od.blood.load_blood_cohorts(
        args.train,
        getattr(args, "validation", None) or None,
        simulate=args.simulate,
        scenario=scenario,
        genes=args.genes,
        label_key=args.label_key,
        labels=args.labels,
        labels_sample_col=args.labels_sample_col,
        rng=args.seed,
        **_read_options(args),
    )


def _label_args(args: argparse.Namespace) -> dict[str, Any]:
    return {"label_key": args.label_key, "positive": args.positive, "negative": args.negative}


def _run_evaluate(args: argparse.Namespace) -> int:
    import omicsdl as od

    train, validation = _cohorts(args)
    result = od.blood.compare_blood_classifiers(
        train,
        validation=validation,
        genes=args.genes,
        methods=args.methods,
        n_splits=args.folds,
        n_repeats=args.repeats,
        threshold=args.threshold,
        threshold_source=args.threshold_source,
        allow_ct_like=args.allow_ct_like,
        rng=args.seed,
        **_label_args(args),
    )
    written = result.write(args.out, plot=not args.no_plot)
    for method in result.methods:
        for evaluation in ("cv", "validation"):
            s = result.scores(method, evaluation)
            if s is not None:
                logger.info(
                    "%-8s %-10s AUC %.3f (%.3f–%.3f) sens %.2f spec %.2f",
                    method,
                    evaluation,
                    s.auc,
                    s.auc_ci_low,
                    s.auc_ci_high,
                    s.sensitivity,
                    s.specificity,
                )
    for test in result.paired_tests:
        logger.info(
            "%s - %s: CV AUC difference %+.3f (%.3f to %.3f), Holm p %.2g",
            test.a,
            test.b,
            test.cv.auc_difference,
            test.cv.ci_low,
            test.cv.ci_high,
            test.cv.p_holm,
        )
    if result.bayes_auc is not None:
        logger.info(
            "SYNTHETIC data (scenario %s): Bayes-optimal AUC %.3f",
            result.scenario or "custom",
            result.bayes_auc,
        )
    logger.info("wrote %s", ", ".join(str(p) for p in written.values()))
    return 0


def _run_scenarios(args: argparse.Namespace) -> int:
    import omicsdl as od

    for name, scenario in od.blood.BLOOD_SCENARIOS.items():
        print(f"{name:<22}{scenario.title}")
        if args.details:
            train, valid = scenario.bayes_auc("training"), scenario.bayes_auc("validation")
            print(f"{'':<22}model: {scenario.model}")
            bayes = (
                f"training {train.value:.3f} ({train.method}), validation {valid.value:.3f} ({valid.method})"
            )
            print(f"{'':<22}Bayes-optimal AUC: {bayes}; best linear {train.best_linear:.3f}")
            print(f"{'':<22}expected: {scenario.expectation}")
            for source in scenario.sources:
                print(f"{'':<22}source: {source}")
    return 0


def _run_scenario_table(args: argparse.Namespace) -> int:
    import omicsdl as od

    table = od.blood.compare_blood_scenarios(
        args.scenarios,
        methods=args.methods,
        n_splits=args.folds,
        n_repeats=args.repeats,
        threshold=args.threshold,
        learning_sizes=args.learning_sizes,
        n_draws=args.draws,
        n_test=args.test_size,
        rng=args.seed,
    )
    written = table.write(args.out, plot=not args.no_plot)
    for row in table.to_frame().itertuples():
        logger.info(
            "%-22s %-10s best %-8s (AUC %.3f; Bayes %.3f) beats [%s], ties [%s]",
            row.scenario,
            row.evaluation,
            row.best,
            getattr(row, f"auc_{row.best}"),
            row.bayes_auc,
            row.beats,
            row.ties,
        )
    logger.info("SYNTHETIC data; wrote %d files into %s", len(written), args.out)
    return 0


def _run_fit(args: argparse.Namespace) -> int:
    import omicsdl as od

    train, _ = _cohorts(args)
    model = od.blood.fit_blood_classifier(
        train,
        genes=args.genes,
        threshold=args.threshold,
        allow_ct_like=args.allow_ct_like,
        rng=args.seed,
        **_label_args(args),
    )
    model.save(args.out)
    logger.info(
        "fitted on %d samples (%d HCC)%s; threshold %.3f; saved to %s",
        model.n_samples_fit_,
        model.n_positive_fit_,
        " [SYNTHETIC]" if model.metadata_.get("synthetic_training_data") else "",
        model.threshold_,
        args.out,
    )
    return 0


def _run_predict(args: argparse.Namespace) -> int:
    import omicsdl as od
    from omicsdl._core._atomic import atomic_write

    model = od.blood.BloodPanelClassifier.load(args.model)
    adata = od.blood.read_blood_expression(args.input, **_read_options(args))
    table = od.blood.predict_blood(
        model, adata, impute=None if args.impute == "none" else args.impute, allow_ct_like=args.allow_ct_like
    )
    with atomic_write(args.out) as handle:
        table.to_csv(handle, sep="\t", float_format="%.6f")
    logger.info(
        "%d prediction(s), %d HCC; wrote %s", len(table), int((table["label"] == "HCC").sum()), args.out
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``omicsdl blood`` with its ``fit``, ``evaluate``, ``predict``, ``scenarios`` and ``scenario-table`` subcommands."""
    blood = subparsers.add_parser(
        "blood",
        help="nine-gene blood classifier, HCC vs control (Xie et al. 2018)",
        description="Peripheral-blood gene-panel classifier for HCC vs control: a small MLP compared with "
        "logistic regression, LDA and a classification tree (Xie et al. 2018, World J Gastroenterol).",
    )
    sub = blood.add_subparsers(dest="blood_command", metavar="SUBCOMMAND", required=True)

    ev = sub.add_parser(
        "evaluate",
        help="repeated CV (+ optional validation) of MLP, logistic regression, LDA and tree",
        description="Repeated stratified cross-validation (and, with --validation, an external validation) "
        "of the MLP, logistic regression, LDA and a classification tree. Writes into OUT: metrics.json "
        "(per method AUC with DeLong 95% CI, sensitivity, specificity, threshold, confusion counts, "
        "calibration; paired_tests: DeLong's paired test for every pair of methods, Holm-adjusted; with "
        "--simulate the scenario and its Bayes-optimal AUC; the settings of the run), metrics.tsv (one row "
        "per method and evaluation), paired_tests.tsv (one row per pair of methods and evaluation), "
        "roc.json (the ROC curves), and unless --no-plot roc.png (ROC curves) and calibration.png "
        "(reliability diagram). metrics.json is moved in last: a folder with one is complete.",
    )
    ev.add_argument("--train", help="training data (GEO series matrix, qPCR/GeXP long table, CSV or h5ad)")
    ev.add_argument("--validation", help="external validation data (same format and labels)")
    add_output(
        ev,
        "--out",
        output=Output("results", "a blood-classifier evaluation", format="omicsdl.BloodComparison"),
        required=True,
        help="output directory (metrics.json, metrics.tsv, paired_tests.tsv, roc.json, roc.png, calibration.png)",
    )
    ev.add_argument("--folds", type=int, default=5, help="CV folds (default: 5)")
    ev.add_argument("--repeats", type=int, default=10, help="CV repeats (default: 10)")
    ev.add_argument(
        "--methods",
        type=_csv_list,
        default=["mlp", "logistic", "lda", "tree"],
        help="comma-separated subset of mlp,logistic,lda,tree (default: all)",
    )
    ev.add_argument("--no-plot", action="store_true", help="skip roc.png and calibration.png")
    ev.add_argument(
        "--threshold-source",
        choices=["inner-cv", "in-sample"],
        default="inner-cv",
        help="choose each fold's threshold on inner-CV probabilities of its training samples (inner-cv) or "
        "on the fold model's own training probabilities (in-sample: ~6× faster, optimistic, worst for the "
        "tree) (default: %(default)s)",
    )
    ev.add_argument(
        "--scenario",
        metavar="NAME",
        help="with --simulate: the SYNTHETIC scenario to draw (default: linear); `omicsdl blood scenarios` "
        "lists the names",
    )
    _add_input_options(ev, labels=True)
    ev.set_defaults(func=_run_evaluate)

    fit = sub.add_parser(
        "fit",
        help="fit the MLP on all training samples and save it (safetensors + JSON)",
        description="Fits the MLP on every labelled training sample and writes the model folder OUT: "
        "model.json (format, hyperparameters, threshold, training metadata, checksums) and "
        "model.safetensors (weights, scaler, training medians).",
    )
    fit.add_argument("--train", help="training data (GEO series matrix, qPCR/GeXP long table, CSV or h5ad)")
    add_output(
        fit,
        "--out",
        output=Output("model", "a blood-panel model", format="omicsdl.BloodPanelClassifier"),
        required=True,
        help="model directory to write (model.json, model.safetensors)",
    )
    _add_input_options(fit, labels=True)
    fit.set_defaults(func=_run_fit)

    sc = sub.add_parser(
        "scenarios",
        help="list the SYNTHETIC simulation scenarios",
        description="Lists the named SYNTHETIC scenarios of `omicsdl blood evaluate --simulate --scenario NAME` "
        "(one per line: name, title) on standard output.",
    )
    sc.add_argument(
        "--details",
        action="store_true",
        help="also print each scenario's model, Bayes-optimal AUC (computed; a few seconds), expectation and sources",
    )
    sc.set_defaults(func=_run_scenarios)

    tab = sub.add_parser(
        "scenario-table",
        help="which method wins in which SYNTHETIC scenario: comparisons, paired tests, learning curves",
        description="Runs `omicsdl blood evaluate --simulate --scenario NAME` for every scenario and a learning "
        "curve per scenario (AUC on a large test set against training size). Writes into OUT: scenarios.json "
        "(each scenario's model, parameters, sources, Bayes-optimal AUC; the winner per scenario and "
        "evaluation with the paired evidence; settings), scenarios.tsv (the table: which method wins in which "
        "scenario), scenario_methods.tsv (every method's numbers), scenario_pairs.tsv (every paired test), "
        "learning_curves.tsv, one folder per scenario as written by `blood evaluate`, and unless --no-plot "
        "scenario_auc.png and learning_curves.png. scenarios.json is moved in last. All data are SYNTHETIC.",
    )
    add_output(
        tab,
        "--out",
        output=Output(
            "results",
            "a blood scenario table",
            format="omicsdl.BloodScenarioTable",
            main_file="scenarios.json",
        ),
        required=True,
        help="output directory (scenarios.json, scenarios.tsv, one folder per scenario, ...)",
    )
    tab.add_argument(
        "--scenarios",
        type=_csv_list,
        metavar="NAMES",
        help="comma-separated scenario names (default: all; `omicsdl blood scenarios` lists them)",
    )
    tab.add_argument(
        "--methods",
        type=_csv_list,
        default=["mlp", "logistic", "lda", "tree"],
        help="comma-separated subset of mlp,logistic,lda,tree (default: all)",
    )
    tab.add_argument("--folds", type=int, default=5, help="CV folds (default: 5)")
    tab.add_argument("--repeats", type=int, default=10, help="CV repeats (default: 10)")
    tab.add_argument(
        "--threshold",
        type=_threshold,
        default="youden",
        help="decision threshold rule, chosen on inner-CV probabilities: 'youden' (default) or a target sensitivity",
    )
    tab.add_argument(
        "--learning-sizes",
        type=_int_list,
        default=[40, 80, 157, 320, 640],
        help="training sizes of the learning curves (default: 40,80,157,320,640; 157 is the published size)",
    )
    tab.add_argument("--draws", type=int, default=5, help="training sets drawn per size (default: 5)")
    tab.add_argument("--test-size", type=int, default=1000, help="test samples per class (default: 1000)")
    tab.add_argument("--seed", type=int, default=0, help="random seed of the whole table (default: 0)")
    tab.add_argument("--no-plot", action="store_true", help="skip the figures")
    tab.set_defaults(func=_run_scenario_table)

    pred = sub.add_parser("predict", help="HCC probability and label for new samples")
    pred.add_argument("--model", required=True, help="model directory written by `omicsdl blood fit`")
    pred.add_argument("--input", required=True, help="expression data of the new samples")
    add_output(
        pred,
        "--out",
        output=Output("file", "a blood predictions table", header=b"sample\t"),
        required=True,
        help="predictions table to write (TSV)",
    )
    pred.add_argument(
        "--impute",
        choices=["none", "training-median"],
        default="none",
        help="samples missing a panel gene are refused (none, default) or filled with the training median",
    )
    _add_input_options(pred, labels=False)
    pred.set_defaults(func=_run_predict)
