"""The ``framing`` command: a thin shell over the Python API.

Each subcommand parses its arguments, calls one public function of the package and writes its output
through :mod:`framing.io`. Errors derived from :class:`framing.errors.FramingError` are printed as
``framing: error: ...`` with exit status 2 (1 for a failed notebook run); anything else is a bug and
shows its traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from framing import __version__
from framing.errors import FramingError, NotebookError, ParameterError
from framing.types import FRAME_RULES as RULES

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]
SubParsers = Any  # argparse's _SubParsersAction is private


def _add_corpus_args(p: argparse.ArgumentParser) -> None:
    """Arguments shared by every command that takes a corpus."""
    p.add_argument("corpus", help="a folder of .txt files with metadata.csv, or a CSV/TSV/JSONL/Parquet file")
    p.add_argument("--id-col", default="doc_id", help="column holding document ids (default: doc_id)")
    p.add_argument("--text-col", default="text", help="column holding the text (default: text)")
    p.add_argument("--genre-col", default="genre", help="column holding the genre (default: genre)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar (shown on standard error when preparing the corpus takes more than a "
                        "few seconds: documents, MB/s, time left)")


def _add_case_arg(p: argparse.ArgumentParser) -> None:
    """Add the ``--case`` option: a case file's people and organisations join the case-independent lexicons."""
    p.add_argument("--case", default=None, metavar="NAME_OR_PATH",
                   help="case file: a shipped name (baby_p) or a path (see docs/cases.md); default: none, only the "
                        "case-independent lexicons run")


def _processed_from_args(args: argparse.Namespace) -> Any:
    """Load and process (clean, segment) the corpus named on the command line, in memory."""
    from framing.corpus import load_corpus, process_corpus

    corpus = load_corpus(args.corpus, id_col=args.id_col, text_col=args.text_col, genre_col=args.genre_col,
                         option_style="flag")
    return process_corpus(corpus, progress=not getattr(args, "quiet", False))


def _parse_assignments(items: Sequence[str] | None) -> dict[str, Any]:
    """Parse ``NAME=VALUE`` pairs; VALUE is read as YAML (numbers, booleans, lists) or kept as text."""
    import yaml

    out: dict[str, Any] = {}
    for item in items or ():
        name, sep, raw = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"-p expects NAME=VALUE, got {item!r}")
        try:
            value = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            value = raw
        out[name.strip()] = value
    return out


# --- foundation (issue 2) ---------------------------------------------------------------------------


def _cmd_run(args: argparse.Namespace) -> int:
    from framing.pipeline import run_study

    result = run_study(
        args.config,
        overrides=_parse_assignments(args.parameter),
        notebooks=args.notebook or None,
        reports_dir=args.reports_dir,
        progress=not args.quiet,
        wait=args.wait,
    )
    if not args.quiet:
        print(f"framing: ran {len(result.notebooks)} notebook(s) in {result.elapsed:.1f} s; "
              f"reports in {result.reports_dir}")
    return 0


def _add_run(sub: SubParsers) -> None:
    p = sub.add_parser("run", help="run the study's notebooks in order (papermill) and write reports/")
    p.add_argument("--config", default=None, help="study configuration (default: config/study.yaml)")
    p.add_argument("-p", "--parameter", action="append", metavar="NAME=VALUE",
                   help="override a notebook parameter for every notebook that declares it (repeatable)")
    p.add_argument("--notebook", action="append", metavar="NAME",
                   help="run only this notebook (stem or file name; repeatable)")
    p.add_argument("--reports-dir", default=None, help="where executed notebooks, figures and tables go")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output (warnings are still shown)")
    p.add_argument("--wait", action="store_true",
                   help="if another run is writing into the reports folder, wait for it (default: stop)")
    p.set_defaults(handler=_cmd_run)


def _add_backend_args(p: argparse.ArgumentParser) -> None:
    """Options of the partitioned backends (``framing.backends``): streamed in process, or on Dask."""
    p.add_argument("--backend", default="memory", choices=["memory", "stream", "dask"],
                   help="memory: whole corpus in memory (default); stream: partition by partition in this process "
                        "(bounded memory); dask: partitions on a Dask cluster. stream/dask write partitioned "
                        "Parquet under data/processed/NAME/TABLE/part-NNNNN.parquet (see docs/scale.md)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="dask: address of a running scheduler (`dask scheduler`, then `dask worker ADDRESS`); "
                        "default: start a LocalCluster with one worker per core; 'synchronous' runs in process")
    p.add_argument("--workers", type=int, default=None, help="dask LocalCluster: worker processes (default: cores)")
    p.add_argument("--partition-mb", type=float, default=32.0,
                   help="stream/dask: about this many MB of input per partition (default: 32)")
    p.add_argument("--on-bad-record", default="fail", choices=["fail", "skip"],
                   help="stream/dask: a malformed JSONL line or unreadable file stops the run (fail, default) or "
                        "is skipped and counted in the summary and manifest.json (skip)")
    p.add_argument("--processed-dir", default=None, help="stream/dask: where NAME/ goes (default: data/processed)")


def _partitioned_from_args(args: argparse.Namespace, frames: dict[str, Any] | None,
                           blame: dict[str, Any] | None = None) -> Any:
    """Run :func:`framing.backends.run_partitioned` for ``prepare``/``frames``/``blame``; print its summary."""
    from framing.backends import run_partitioned

    if args.partition_mb <= 0:
        raise ParameterError(f"--partition-mb must be positive, got {args.partition_mb}")
    result = run_partitioned(
        args.corpus, name=args.name, backend=args.backend, frames=frames, blame=blame,
        processed_dir=args.processed_dir,
        partition_bytes=int(args.partition_mb * 1024 * 1024), on_bad_record=args.on_bad_record,
        scheduler=args.scheduler, workers=args.workers, id_col=args.id_col, text_col=args.text_col,
        genre_col=args.genre_col, option_style="flag",
    )
    c = result.counts
    print(f"framing: {result.name}: {c['documents']} documents, {c['sentences']} sentences, "
          f"{c['removed_spans']} removed spans in {result.n_partitions} partition(s) ({args.backend}); "
          f"{len(result.skipped)} bad record(s) skipped -> {result.directory}")
    return result


def _cmd_prepare(args: argparse.Namespace) -> int:
    from framing.corpus import prepare_corpus

    if args.backend != "memory":
        _partitioned_from_args(args, None)
        return 0
    processed = prepare_corpus(
        args.corpus, name=args.name, id_col=args.id_col, text_col=args.text_col, genre_col=args.genre_col,
        force=args.force, option_style="flag", progress=not args.quiet,
    )
    print(
        f"framing: {processed.name}: {len(processed.documents)} documents, {len(processed.sentences)} sentences, "
        f"{len(processed.removed_spans)} removed spans -> {processed.directory}"
    )
    return 0


def _add_prepare(sub: SubParsers) -> None:
    p = sub.add_parser("prepare", help="load, clean and segment a corpus into data/processed/NAME/")
    _add_corpus_args(p)
    p.add_argument("--name", default=None, help="name of the processed corpus (default: from the path)")
    p.add_argument("--force", action="store_true", help="rebuild even when the cached tables are fresh")
    _add_backend_args(p)
    p.set_defaults(handler=_cmd_prepare)


def _cmd_verify(args: argparse.Namespace) -> int:
    from framing.corpus import verify_manifest

    checked = verify_manifest(args.directory)
    print(f"framing: {len(checked)} file(s) match {Path(args.directory) / 'SHA256SUMS'}")
    return 0


def _add_verify(sub: SubParsers) -> None:
    p = sub.add_parser("verify", help="check raw data against its SHA256SUMS manifest")
    p.add_argument("directory", nargs="?", default="data/raw", help="folder with SHA256SUMS (default: data/raw)")
    p.set_defaults(handler=_cmd_verify)


# --- lexicons and scoring (issue 3) -----------------------------------------------------------------


def _cmd_frames(args: argparse.Namespace) -> int:
    from framing.io import write_csv
    from framing.scoring import frame_table

    if args.backend != "memory":
        if args.model is not None:
            raise ParameterError("--model runs only with --backend memory")
        from framing.backends import write_partitioned_csv

        result = _partitioned_from_args(args, {
            "lexicon": args.lexicon, "cues": args.cues, "case": args.case or None, "rule": args.rule,
            "include_negated": args.include_negated})
        write_partitioned_csv(result.directory, "frames", args.out)
        print(f"framing: {result.counts['frames']} sentences -> {args.out}")
        return 0
    processed = _processed_from_args(args)
    if args.model is not None:
        table = _model_labels(args.model, processed)
    else:
        table = frame_table(processed, lexicon=args.lexicon, cues=args.cues, case=args.case or None,
                            rule=args.rule, include_negated=args.include_negated)
    write_csv(table, args.out)
    frames = [c[2:] for c in table.columns if c.startswith("n_") and c[2:] in table.columns]
    carried = ", ".join(f"{f} {int(table[f].sum())}" for f in frames)
    print(f"framing: {len(table)} sentences ({carried}) -> {args.out}")
    return 0


def _add_frames(sub: SubParsers) -> None:
    p = sub.add_parser("frames", help="label every content sentence with blame frames (one CSV row a sentence)")
    _add_corpus_args(p)
    p.add_argument("--out", required=True, help="CSV file to write")
    p.add_argument("--lexicon", default="blame_frames",
                   help="frame lexicon: shipped name or file (default: blame_frames)")
    p.add_argument("--cues", default="blame_cues", help="cue lexicon: shipped name or file (default: blame_cues)")
    _add_case_arg(p)
    p.add_argument("--rule", default="coder", choices=list(RULES),
                   help="sentence decision rule (default: coder; see docs/lexicons.md)")
    p.add_argument("--include-negated", action=argparse.BooleanOptionalAction, default=True,
                   help="count hits inside negation scopes (default: yes; a denial still locates blame)")
    p.add_argument("--model", default=None, metavar="FILE",
                   help="label with a model from `framing validate train` instead of the rule (adds p_<frame> and "
                   "evidence columns; --lexicon/--cues/--case/--rule are then the model's)")
    p.add_argument("--name", default=None, help="stream/dask: name of the processed corpus (default: from the path)")
    _add_backend_args(p)
    p.set_defaults(handler=_cmd_frames)


def _cmd_lexicon_convert(args: argparse.Namespace) -> int:
    from framing.lexicon import load_lexicon, save_lexicon

    lex = load_lexicon(args.input)
    save_lexicon(lex, args.output, format=args.format, strict=args.strict)
    print(f"framing: {lex.name}: {len(lex.categories)} categories, {len(lex.entries)} entries -> {args.output}")
    return 0


def _cmd_lexicon_check(args: argparse.Namespace) -> int:
    from framing.lexicon import check_lexicon, load_lexicon

    lex = load_lexicon(args.file)
    issues = check_lexicon(lex)
    for issue in issues:
        print(issue)
    n_err = sum(i.level == "error" for i in issues)
    print(f"framing: {lex.name} {lex.version}: {len(lex.categories)} categories, {len(lex.entries)} entries; "
          f"{n_err} error(s), {len(issues) - n_err} warning(s)")
    return 1 if n_err else 0


def _add_lexicon(sub: SubParsers) -> None:
    p = sub.add_parser("lexicon", help="convert or check lexicons (YAML, quanteda YAML, LIWC .dic/.dicx)")
    lsub = p.add_subparsers(dest="lexicon_command", metavar="ACTION", required=True)
    c = lsub.add_parser("convert", help="convert a lexicon between formats (chosen by extension)")
    c.add_argument("input", help="shipped lexicon name or file (.yaml/.yml, .dic, .dicx/.csv)")
    c.add_argument("output", help="file to write (.yaml/.yml, .dic, .dicx/.csv)")
    c.add_argument("--format", default=None, choices=["own", "quanteda", "dic", "dicx"],
                   help="override the format given by the extension (quanteda: a quanteda YAML dictionary)")
    c.add_argument("--strict", action="store_true",
                   help="refuse (exit 2, nothing written) when the output format would lose weights, exclusions, "
                        "rationales, descriptions or empty categories; without it a warning lists each loss")
    c.set_defaults(handler=_cmd_lexicon_convert)
    k = lsub.add_parser("check", help="report duplicates, shadowed and unmatchable entries (exit 1 on errors)")
    k.add_argument("file", help="shipped lexicon name or file")
    k.set_defaults(handler=_cmd_lexicon_check)


# --- topic models (issue 4) -------------------------------------------------------------------------


def _cmd_topics(args: argparse.Namespace) -> int:
    from framing.topics import fit_topics, write_topic_outputs

    fit = fit_topics(
        _processed_from_args(args), args.k, model=args.model, unit=args.unit, random_state=args.seed,
        n_terms=args.n_terms,
    )
    paths = write_topic_outputs(fit, args.out)
    est = fit.estimator
    print(
        f"framing: {args.model} k={args.k} on {len(fit.units)} {args.unit} units ({len(est.terms_)} terms, "
        f"{len(est.empty_units_)} empty units left out) -> {paths['doc_topics']}, {paths['topic_terms']}"
    )
    return 0


def _add_topics(sub: SubParsers) -> None:
    p = sub.add_parser("topics", help="fit a topic model (LDA/NMF); write doc_topics.csv and topic_terms.csv")
    _add_corpus_args(p)
    p.add_argument("--k", type=int, required=True, help="number of topics")
    p.add_argument("--model", choices=["lda", "nmf"], default="nmf", help="topic model (default: nmf)")
    p.add_argument("--unit", choices=["document", "paragraph", "sentence"], default="paragraph",
                   help="unit the model is fitted on, aggregated to documents (default: paragraph)")
    p.add_argument("--seed", type=int, default=0, help="random_state (default: 0)")
    p.add_argument("--n-terms", type=int, default=20, help="top terms per topic written (default 20)")
    p.add_argument("--out", required=True, help="output directory")
    p.set_defaults(handler=_cmd_topics)


# --- attribution and comparison (issue 5) -----------------------------------------------------------


def _cmd_blame(args: argparse.Namespace) -> int:
    from framing.attribution import BLAME_CLI_COLUMNS, blame_attribution
    from framing.io import write_csv

    if args.backend != "memory":
        from framing.backends import write_partitioned_csv

        result = _partitioned_from_args(args, None, blame={"case": args.case, "targets": args.targets,
                                                          "target_window": args.target_window})
        write_partitioned_csv(result.directory, "blame", args.out, columns=BLAME_CLI_COLUMNS)
        print(f"framing: {result.counts['blame']} (sentence, blamer, target) row(s) -> {args.out}")
        return 0
    processed = _processed_from_args(args)
    blame = blame_attribution(processed, case=args.case, targets=args.targets, target_window=args.target_window)
    out = write_csv(blame[list(BLAME_CLI_COLUMNS)], args.out)
    n_sent = blame[["doc_id", "sent_id"]].drop_duplicates().shape[0]
    print(f"framing: {len(blame)} (sentence, blamer, target) row(s) from {n_sent} blame sentence(s) -> {out}")
    return 0


def _add_blame(sub: SubParsers) -> None:
    p = sub.add_parser(
        "blame",
        help="who blames whom: one CSV row per (sentence, blamer, target)",
        description="Write doc_id, sent_id, start, end (the sentence's offsets in the raw text), blamer "
                    "('author' or the quoted speaker), target (a codebook actor the sentence holds responsible), "
                    "frame, evidence (the cue words). Rules: docs/attribution.md.",
    )
    _add_corpus_args(p)
    p.add_argument("--out", required=True, metavar="FILE.csv", help="the CSV file to write")
    _add_case_arg(p)
    p.add_argument("--targets", choices=["responsible", "mentioned"], default="responsible",
                   help="targets: actors near a cue or frame hit in the same clause (responsible, default) "
                        "or every actor the sentence mentions")
    p.add_argument("--target-window", type=int, default=8,
                   help="for --targets responsible: most words between an actor and a cue or frame hit (default 8)")
    p.add_argument("--name", default=None, help="stream/dask: name of the processed corpus (default: from the path)")
    _add_backend_args(p)
    p.set_defaults(handler=_cmd_blame)


# --- case files (issue 9) ----------------------------------------------------------------------------


def _cmd_case_check(args: argparse.Namespace) -> int:
    from framing.cases import check_case

    issues = check_case(args.file, base=None if args.no_base else args.base)
    for issue in issues:
        print(issue)
    n_err = sum(i.level == "error" for i in issues)
    print(f"framing: {args.file}: {n_err} error(s), {len(issues) - n_err} warning(s)")
    return 1 if n_err else 0


def _cmd_case_list(args: argparse.Namespace) -> int:
    from framing.cases import list_cases, load_case

    for name in list_cases():
        case = load_case(name)
        print(f"{name}\t{case.version}\t{len(case.entries)} entries\t{case.description}")
    return 0


def _add_case(sub: SubParsers) -> None:
    p = sub.add_parser("case", help="check or list case files (the people and organisations of one case)")
    csub = p.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    k = csub.add_parser("check", help="report malformed entries, duplicates and entries that cannot match "
                                      "as FILE:LINE: message (exit 1 on errors)")
    k.add_argument("file", help="a case file (.yaml) or the name of a shipped case")
    k.add_argument("--base", default="actors",
                   help="case-independent actor lexicon to compare with (default: actors)")
    k.add_argument("--no-base", action="store_true", help="do not compare with an actor lexicon")
    k.set_defaults(handler=_cmd_case_check)
    ls = csub.add_parser("list", help="list the shipped case files")
    ls.set_defaults(handler=_cmd_case_list)


# --- batch runs and reports (issue 6) ---------------------------------------------------------------


def _cmd_batch(args: argparse.Namespace) -> int:
    from framing.batch import plan_batch, run_batch

    if args.dry_run:
        plan = plan_batch(args.config, reports_dir=args.reports_dir)
        for run in plan.runs:
            print(f"{run.run_id}\t{run.varying}")
        print(f"framing: {len(plan.runs)} run(s) of batch {plan.config.name} -> {plan.out_dir}")
        return 0
    result = run_batch(args.config, jobs=args.jobs, force=args.force, progress=not args.quiet,
                       reports_dir=args.reports_dir, ignore_code=args.ignore_code_changes, wait=args.wait)
    print(
        f"framing: batch {result.name}: {len(result.executed) - len(result.failed)} ok, {len(result.cached)} cached, "
        f"{len(result.failed)} failed in {result.elapsed:.1f} s; summary in {result.index_html}"
    )
    for failed in result.failed:
        print(f"framing: run {failed.run_id} failed: {failed.error}", file=sys.stderr)
    return 1 if result.failed else 0


def _add_batch(sub: SubParsers) -> None:
    p = sub.add_parser("batch", help="run the notebooks once per parameter set of config/batch/NAME.yaml")
    p.add_argument("config", help="batch file, e.g. config/batch/genres.yaml")
    p.add_argument("-j", "--jobs", type=int, default=None, help="runs at the same time (default: CPU count)")
    p.add_argument("--force", action="store_true", help="rerun even runs whose inputs are unchanged")
    p.add_argument("--ignore-code-changes", action="store_true",
                   help="keep cached runs when only the framing package code changed")
    p.add_argument("--dry-run", action="store_true", help="validate and list the runs without executing them")
    p.add_argument("--reports-dir", default=None, help="reports folder (runs go to REPORTS_DIR/batch/NAME/)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.add_argument("--wait", action="store_true",
                   help="if another batch is writing into the same folder, wait for it (default: stop)")
    p.set_defaults(handler=_cmd_batch)


def _cmd_report(args: argparse.Namespace) -> int:
    from framing.report import build_index

    path = build_index(args.reports_dir, render_notebooks=not args.no_render)
    print(f"framing: wrote {path}")
    return 0


def _add_report(sub: SubParsers) -> None:
    p = sub.add_parser("report", help="build reports/index.html linking notebooks, figures, tables, provenance")
    p.add_argument("reports_dir", nargs="?", default="reports", help="reports folder (default: reports)")
    p.add_argument("--no-render", action="store_true", help="do not (re)render the notebooks to HTML")
    p.set_defaults(handler=_cmd_report)


def _cmd_screenshot(args: argparse.Namespace) -> int:
    from framing.report import screenshot

    path = screenshot(args.html, args.out, width=args.width, height=args.height, chromium=args.chromium)
    print(f"framing: wrote {path}")
    return 0


def _add_screenshot(sub: SubParsers) -> None:
    p = sub.add_parser("screenshot", help="render an HTML page to PNG with headless Chromium")
    p.add_argument("html", help="the page, e.g. reports/index.html")
    p.add_argument("--out", required=True, help="PNG to write, e.g. reports/index.png")
    p.add_argument("--width", type=int, default=1280, help="window width in pixels (default: 1280)")
    p.add_argument("--height", type=int, default=1600, help="window height in pixels (default: 1600)")
    p.add_argument("--chromium", default=None, help="Chromium executable (default: $FRAMING_CHROMIUM or PATH)")
    p.set_defaults(handler=_cmd_screenshot)


# --- validation (issue 3) ---------------------------------------------------------------------------


def _frames_arg(text: str) -> tuple[str, ...]:
    frames = tuple(f.strip() for f in text.split(",") if f.strip())
    if not frames:
        raise ParameterError(f"--frames expects comma-separated frame names, got {text!r}")
    return frames


def _cmd_validate_sheet(args: argparse.Namespace) -> int:
    from framing.validate import make_coding_sheet, write_coding_sheet

    processed = _processed_from_args(args)
    strata = None if args.strata.lower() in ("", "none") else args.strata
    sheet = make_coding_sheet(processed, args.n, strata=strata, min_per_stratum=args.min_per_stratum,
                              frames=_frames_arg(args.frames), random_state=args.seed)
    out = write_coding_sheet(sheet, args.out)
    print(f"framing: coding sheet of {len(sheet)} sentence(s) (seed {args.seed}) -> {out}")
    return 0


def _cmd_validate_score(args: argparse.Namespace) -> int:
    from framing.validate import read_coding_sheets, validate_lexicon, write_validation_report

    processed = _processed_from_args(args)
    frames = _frames_arg(args.frames)
    coded = read_coding_sheets(args.coded, corpus=processed, frames=frames)
    scoring: dict[str, Any] = {}
    if args.rule is not None:
        scoring["rule"] = args.rule
    if args.cues is not None:
        scoring["cues"] = None if args.cues.lower() == "none" else args.cues
    if args.case:
        scoring["case"] = args.case
    report = validate_lexicon(processed, coded, lexicon=args.lexicon, frames=frames, n_boot=args.n_boot,
                              random_state=args.seed, **scoring)
    written = write_validation_report(report, args.out)
    micro = report.metrics[(report.metrics["frame"] == "micro") & (report.metrics["reference"] == "majority")]
    f1 = float(micro["f1"].iloc[0]) if len(micro) else float("nan")
    print(f"framing: {coded['coder'].nunique()} coder(s), {len(coded)} coded row(s); micro F1 {f1:.3f}; "
          f"{len(written)} tables -> {args.out}")
    if args.devset:  # beside the corpus: the rule held out by document (= pooled) and on the development set
        from framing.io import write_csv
        from framing.validate import instrument_validity

        validity = instrument_validity(processed, coded, devset=_devset_from_args(args, frames), classifier=False,
                                       lexicon=args.lexicon, frames=frames, n_boot=args.n_boot,
                                       random_state=args.seed, **scoring)
        _print_metrics(validity.metrics)
        write_csv(validity.metrics, Path(args.out) / "instrument.csv")
    return 0


def _add_validate(sub: SubParsers) -> None:
    p = sub.add_parser("validate", help="coding sheets and agreement of lexicon frames with human codes")
    vsub = p.add_subparsers(dest="validate_command", metavar="SUBCOMMAND")
    p.set_defaults(handler=lambda _args: (p.print_help(), 2)[1])
    frames_help = "comma-separated frame columns (default: individual,systemic,political)"

    s = vsub.add_parser("sheet", help="export a stratified random sample of sentences as a blind coding sheet")
    _add_corpus_args(s)
    s.add_argument("--n", type=int, required=True, help="number of sentences to sample")
    s.add_argument("--out", required=True, help="CSV file to write (atomically)")
    s.add_argument("--seed", type=int, default=20081201, help="random seed (default: 20081201)")
    s.add_argument("--strata", default="genre",
                   help="stratify by this column; 'none' for a simple random sample (default: genre)")
    s.add_argument("--min-per-stratum", type=int, default=5, help="minimum sentences per stratum (default: 5)")
    s.add_argument("--frames", default="individual,systemic,political", help=frames_help)
    s.set_defaults(handler=_cmd_validate_sheet)

    c = vsub.add_parser("score", help="compare lexicon frames with coded sheets; write metrics, confusion, "
                        "misclassified and alpha tables")
    _add_corpus_args(c)
    c.add_argument("--coded", action="append", required=True, metavar="SHEET.csv",
                   help="a coded sheet (repeatable: one per coder, or one with a coder column)")
    c.add_argument("--lexicon", default="blame_frames", help="lexicon name or path (default: blame_frames)")
    c.add_argument("--out", required=True, help="output folder for metrics.csv, confusion.csv, misclassified.csv, "
                   "alpha.csv")
    c.add_argument("--frames", default="individual,systemic,political", help=frames_help)
    c.add_argument("--rule", default=None, choices=list(RULES),
                   help="sentence rule of framing.scoring.frame_table (default: its default); 'any' for a "
                   "lexicon without cues")
    c.add_argument("--cues", default=None, help="cue lexicon name or path, or 'none' (default: frame_table's)")
    _add_case_arg(c)
    c.add_argument("--devset", default=None, metavar="JSONL",
                   help="also score the rule on a coded development set (e.g. ../shared/devsets/public-failures/"
                   "coded.jsonl) beside the corpus; tables in OUT/instrument.csv (the learned option: validate devset)")
    c.add_argument("--devset-texts", default=None, metavar="FILE",
                   help="the corpus the development set's units point into (default: next to it, per its README)")
    c.add_argument("--n-boot", type=int, default=1000, help="bootstrap replicates for F1 intervals; 0 skips "
                   "(default: 1000)")
    c.add_argument("--seed", type=int, default=20081201, help="bootstrap seed (default: 20081201)")
    c.set_defaults(handler=_cmd_validate_score)
    _add_validate_learning(vsub)


# --- learned frames and instrument validity (issue 9) -----------------------------------------------


def _model_labels(path: str, processed: Any) -> Any:
    """Label ``processed`` with the saved model at ``path`` (frame_table layout plus p_<frame>, evidence)."""
    from framing.classifier import load_model

    model, _info = load_model(path)
    return model.label_table(processed)


def _seed_sheets() -> list[str]:
    from framing.paths import project_paths

    return [str(p) for p in sorted(project_paths().validation.glob("seeds_coded*.csv"))]


def _coded_corpus(args: argparse.Namespace, frames: Sequence[str]) -> tuple[Any, Any, list[str]]:
    """Return the corpus (``--corpus``), its coded sheets (``SHEETS`` or ``--coded``; default the seed coding)."""
    from framing.validate import read_coding_sheets

    sheets = list(getattr(args, "sheets", None) or getattr(args, "coded", None) or _seed_sheets())
    if not sheets:
        raise ParameterError("no coded sheets given and none found in data/validation/")
    processed = _processed_from_args(args)
    return processed, read_coding_sheets(sheets, corpus=processed, frames=frames), sheets


def _devset_from_args(args: argparse.Namespace, frames: Sequence[str]) -> Any:
    from framing.validate import default_devset_path, load_devset

    path = args.devset
    if path is None and getattr(args, "default_devset", False):
        path = default_devset_path()
        if path is None:
            print("framing: no development set at ../shared/devsets/public-failures/; scoring the seeds only",
                  file=sys.stderr)
    return None if path is None else load_devset(path, args.devset_texts, frames=frames)


def _rule_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if args.rule is not None:
        out["rule"] = args.rule
    if args.case:
        out["case"] = args.case
    return out


def _print_metrics(metrics: Any) -> None:
    from framing.validate import macro_f1_summary

    shown = metrics[["scope", "method", "frame", "n", "support", "precision", "recall", "f1", "lo", "hi",
                     "baseline"]]
    print(shown.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print()
    print(macro_f1_summary(metrics).to_string(index=False, float_format=lambda x: f"{x:.3f}"))


def _add_learning_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", default="data/raw", help="the coded corpus (default: data/raw, the seeds)")
    p.add_argument("--id-col", default="doc_id", help="column holding document ids (default: doc_id)")
    p.add_argument("--text-col", default="text", help="column holding the text (default: text)")
    p.add_argument("--genre-col", default="genre", help="column holding the genre (default: genre)")
    p.add_argument("--devset-texts", default=None, metavar="JSONL",
                   help="texts of the development set (default: ../../corpora/bbc-news-2004-2005.jsonl.gz beside it)")
    p.add_argument("--lexicon", default="blame_frames", help="frame lexicon (default: blame_frames)")
    p.add_argument("--cues", default="blame_cues", help="cue lexicon (default: blame_cues)")
    p.add_argument("--rule", default=None, choices=["any", "cue_sentence", "cue_window"],
                   help="decision rule of frame_table (default: its default)")
    p.add_argument("--case", default=None, help="case file name or path passed to frame_table")
    p.add_argument("--frames", default="individual,systemic,political",
                   help="comma-separated frame columns (default: individual,systemic,political)")
    p.add_argument("--seed", type=int, default=20081201, help="seed of models and bootstrap (default: 20081201)")


def _cmd_validate_train(args: argparse.Namespace) -> int:
    from framing.classifier import save_model
    from framing.validate import train_frame_model, training_provenance

    frames = _frames_arg(args.frames)
    processed, coded, sheets = _coded_corpus(args, frames)
    devset = _devset_from_args(args, frames)
    result = train_frame_model(processed, coded, devset=devset, n_splits=args.n_splits, lexicon=args.lexicon,
                               cues=args.cues, frames=frames, seed=args.seed, n_boot=args.n_boot,
                               **_rule_kwargs(args))
    provenance = training_provenance(result, sheets, devset=devset, corpus=args.corpus, n_splits=args.n_splits)
    out = save_model(result.model, args.out, provenance=provenance)
    _print_metrics(result.metrics)
    print(f"framing: model for {', '.join(result.model.frames_)} trained on "
          f"{len(provenance['training_files'])} file(s) -> {out}")
    return 0


def _cmd_validate_devset(args: argparse.Namespace) -> int:
    from framing.classifier import load_model
    from framing.io import write_csv
    from framing.validate import instrument_validity

    frames = _frames_arg(args.frames)
    processed, coded, _sheets = _coded_corpus(args, frames)
    devset = _devset_from_args(args, frames)
    model = load_model(args.model, frames=frames)[0] if args.model else None
    validity = instrument_validity(processed, coded, devset=devset, model=model, classifier=not args.rule_only,
                                   lexicon=args.lexicon, cues=args.cues, frames=frames, n_boot=args.n_boot,
                                   random_state=args.seed, seed=args.seed, **_rule_kwargs(args))
    _print_metrics(validity.metrics)
    for note in validity.notes:
        print(f"note: {note}")
    if args.out:
        for name in ("metrics", "confusion", "misclassified"):
            write_csv(getattr(validity, name), Path(args.out) / f"{name}.csv")
        print(f"framing: metrics, confusion and misclassified tables -> {args.out}")
    return 0


def _add_validate_learning(vsub: Any) -> None:
    t = vsub.add_parser("train", help="train a FrameClassifier on coded sheets, cross-validated by document; save it")
    t.add_argument("sheets", nargs="+", metavar="SHEET.csv", help="coded sheets of --corpus (one per coder or mixed)")
    t.add_argument("--out", required=True, metavar="FILE", help="model file to write (pickle with provenance)")
    t.add_argument("--devset", default=None, metavar="JSONL", help="also train on a coded development set")
    t.add_argument("--n-splits", type=int, default=None,
                   help="GroupKFold folds (default: leave one document out)")
    t.add_argument("--n-boot", type=int, default=1000, help="bootstrap replicates of the CV F1 intervals (default: "
                   "1000; 0 skips)")
    _add_learning_args(t)
    t.set_defaults(handler=_cmd_validate_train, default_devset=False)

    d = vsub.add_parser("devset", help="rule and classifier on the seeds, leave-one-document-out and the "
                        "development set, with bootstrap intervals")
    d.add_argument("--coded", action="append", default=None, metavar="SHEET.csv",
                   help="coded sheets of --corpus (default: data/validation/seeds_coded*.csv)")
    d.add_argument("--devset", default=None, metavar="JSONL",
                   help="coded development set (default: ../shared/devsets/public-failures/coded.jsonl when present)")
    d.add_argument("--model", default=None, metavar="FILE", help="a saved model (default: train one on the corpus)")
    d.add_argument("--rule-only", action="store_true", help="score the rule only (no classifier)")
    d.add_argument("--n-boot", type=int, default=1000, help="bootstrap replicates (default: 1000)")
    d.add_argument("--out", default=None, help="folder for metrics.csv, confusion.csv, misclassified.csv")
    _add_learning_args(d)
    d.set_defaults(handler=_cmd_validate_devset, default_devset=True)


_COMMAND_BUILDERS: list[Callable[[SubParsers], None]] = [
    _add_run,
    _add_batch,
    _add_prepare,
    _add_verify,
    _add_frames,
    _add_blame,
    _add_case,
    _add_topics,
    _add_lexicon,
    _add_validate,
    _add_report,
    _add_screenshot,
]


def _show_warning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                  file: Any = None, line: str | None = None) -> None:
    """Print warnings as ``framing: warning: ...`` (no source file and line of the package)."""
    print(f"framing: warning: {message}", file=sys.stderr if file is None else file)


def build_parser() -> argparse.ArgumentParser:
    """Return the ``framing`` argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="framing",
        description="Computational framing analysis: lexicons, topic models and reproducible notebook reports.",
    )
    parser.add_argument("--version", action="version", version=f"framing {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for builder in _COMMAND_BUILDERS:
        builder(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``framing`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            return handler(args)
    except NotebookError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return 1
    except FramingError as exc:
        print(f"framing: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        from framing.runtime import last_signal

        print(f"framing: interrupted ({last_signal()}); finished outputs are intact, nothing half-written; "
              "provenance.json and index.html say what is stale", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
