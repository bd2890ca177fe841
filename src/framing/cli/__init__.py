"""The ``framing`` command: a thin shell over the Python API.

Each subcommand parses its arguments, calls one public function of the package and writes its output
through :mod:`framing.io`. Errors derived from :class:`framing.errors.FramingError` are printed as
``framing: error: ...`` with exit status 2 (1 for a failed notebook run); anything else is a bug and
shows its traceback.
"""


import argparse
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from framing import __version__
from framing.cli._backend import _add_backend_args, _add_cluster_args, _partitioned_from_args, warn_unused_backend_flags
from framing.cli._case import _add_case
from framing.cli._common import (
    Handler,
    SubParsers,
    _add_case_arg,
    _add_corpus_args,
    _add_keep_columns_arg,
    _check_out,
    _keep_columns,
    _parse_assignments,
    _processed_from_args,
)
from framing.cli._summaries import blame_line, frame_count_columns, frames_line, interrupted_note
from framing.cli._topics import _add_topics
from framing.cli._validate import _add_validate, _model_labels, _model_note, _warn_ignored_with_model
from framing.errors import FramingError, FramingWarning, NotebookError
from framing.types import DEFAULT_ACTORS_LEXICON, DEFAULT_CUES_LEXICON, DEFAULT_FRAMES_LEXICON
from framing.types import FRAME_RULES as RULES

__all__ = ["build_parser", "main"]


# --- foundation (issue 2) ---------------------------------------------------------------------------


def _cmd_run(args: argparse.Namespace) -> int:
    from framing.runner import run_study, silence_jupyter_logs

    silence_jupyter_logs()  # the kernels' chatter never reaches the terminal, after an interruption either
    result = run_study(
        args.config,
        overrides=_parse_assignments(args.parameter),
        notebooks=args.notebook or None,
        reports_dir=args.reports_dir,
        progress=not args.quiet,
        wait=args.wait,
        backend=args.backend,
        scheduler=args.scheduler,
        workers=args.workers,
    )
    if not args.quiet:
        noted = f"; {len(result.warnings)} warning(s), listed above and in provenance.json" if result.warnings else ""
        if result.skipped_records:
            noted += f"; {result.skipped_records} bad record(s) skipped (provenance.json: prepared)"
        print(f"framing: ran {len(result.notebooks)} notebook(s) in {result.elapsed:.1f} s{noted}; "
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
    _add_cluster_args(p, None, "where the corpus is prepared (default: 'backend' in the study config, else memory): "
                      "stream/dask prepare it once, partition by partition, into data/processed/NAME/ and the "
                      "notebooks read those tables (docs/scale.md)")
    p.set_defaults(handler=_cmd_run)


def _cmd_prepare(args: argparse.Namespace) -> int:
    from framing.corpus import prepare_corpus
    from framing.paths import read_manifest

    if args.backend != "memory":
        _partitioned_from_args(args, None)
        return 0
    warn_unused_backend_flags(args)
    processed = prepare_corpus(
        args.corpus, name=args.name, id_col=args.id_col, text_col=args.text_col, genre_col=args.genre_col,
        force=args.force, option_style="flag", progress=not args.quiet, on_bad_record=args.on_bad_record,
        safe_ids=args.safe_ids, rules=args.rules,
    )
    assert processed.directory is not None  # prepare_corpus caches its tables
    manifest = read_manifest(processed.directory) or {}
    print(
        f"framing: {processed.name}: {len(processed.documents)} documents, {len(processed.sentences)} sentences, "
        f"{len(processed.removed_spans)} removed spans (memory); {manifest.get('skipped_records', 0)} bad record(s) "
        f"skipped -> {processed.directory}"
    )
    return 0


def _add_prepare(sub: SubParsers) -> None:
    p = sub.add_parser("prepare", help="load, clean and segment a corpus into data/processed/NAME/")
    _add_corpus_args(p)
    p.add_argument("--name", default=None, help="name of the processed corpus (default: from the path)")
    p.add_argument("--force", action="store_true",
                   help="rebuild even when the prepared tables are current (every backend: without it, a "
                        "current preparation of the same input, read the same way, is reused)")
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
    from framing.corpus import check_document_columns, with_document_columns
    from framing.io import write_csv
    from framing.scoring import frame_table

    _check_out(args)
    _other_categories_note(args)
    if args.model is not None:
        from framing.classifier import rule_defaults

        _warn_ignored_with_model(args, rule_defaults())  # every rule option of `frames`, as frame_table has it
    if args.backend != "memory":
        from framing.backends import read_partitioned, write_partitioned_csv

        options = _rule_options(args) if args.model is None else {"model": args.model, "case": args.case or None}
        result = _partitioned_from_args(args, options)
        write_partitioned_csv(result.directory, "frames", args.out, document_columns=_keep_columns(args))
        table = read_partitioned(result.directory, "frames", columns=frame_count_columns(result.directory))
        print(frames_line(table, result.counts["frames"], args.out))
        if args.model is not None and not args.quiet:
            from framing.model_files import read_model_header

            print(_model_note(args.model, read_model_header(args.model), args.case or None), file=sys.stderr)
        _trust_note(args)
        return 0
    warn_unused_backend_flags(args)
    processed = _processed_from_args(args)
    check_document_columns(processed.documents, _keep_columns(args))
    if args.model is not None:
        table = _model_labels(args.model, processed, note=not args.quiet, case=args.case or None)
    else:
        table = frame_table(processed, **_rule_options(args))
    write_csv(with_document_columns(table, processed.documents, _keep_columns(args)), args.out)
    print(frames_line(table, len(table), args.out))
    _trust_note(args)
    return 0


_RULE_PARTS = ("persons", "voice", "context", "questions", "agentless")
"""The coder rule's parts, each switchable (``--no-persons`` ...; docs/lexicons.md)."""


def _rule_options(args: argparse.Namespace) -> dict[str, Any]:
    """Return the keyword arguments of :func:`framing.scoring.frame_table` that ``framing frames`` was given."""
    return {"lexicon": args.lexicon, "cues": args.cues, "case": args.case or None, "rule": args.rule,
            "include_negated": args.include_negated, "window": args.window, "strong_weight": args.strong_weight,
            **{part: getattr(args, part) for part in _RULE_PARTS}}


def _other_categories_note(args: argparse.Namespace) -> None:
    """Warn when the coder rule, which reads blame frames, is given a lexicon of other categories."""
    if args.model is not None or args.rule != "coder" or args.lexicon == DEFAULT_FRAMES_LEXICON:
        return
    from framing.lexicon import load_lexicon
    from framing.types import FRAMES

    categories = list(load_lexicon(args.lexicon).categories)
    if not set(categories) & set(FRAMES):
        warnings.warn(f"--lexicon {args.lexicon} has categories {categories[:5]}, none of them a blame frame: "
                      "the coder rule reads blame (persons as individual, agentless failures as systemic, blame "
                      "cues); for plain dictionary counts use --rule any", FramingWarning, stacklevel=2)


def _trust_note(args: argparse.Namespace) -> None:
    """After labelling with the shipped instrument (on any backend): how far to trust it, and what to do."""
    shipped = (args.lexicon, args.cues) == (DEFAULT_FRAMES_LEXICON, DEFAULT_CUES_LEXICON)
    if (args.model is not None or args.rule != "coder" or not shipped or args.quiet
            or not all(getattr(args, part) for part in _RULE_PARTS)):
        return
    from framing.agreement import HELD_OUT_MACRO_F1

    low, high = HELD_OUT_MACRO_F1
    print(f"framing: note: these labels are the coder rule's reading, not a coder's; on news it was not written for, "
          f"the shipped instrument agrees with careful coding (two automated coding assistants) at macro-F1 "
          f"{low:.2f} to {high:.2f} (sealed held-out sets, docs/lexicons.md){_general_model_range()}. Before "
          "reporting shares, code a random sample (framing validate sheet) and correct them with it (framing "
          "validate shares).", file=sys.stderr)


def _general_model_range() -> str:
    """``; the shipped general model ... LOW to HIGH there``, from its header's sealed-set figures ("" without)."""
    from framing.model_files import shipped_sealed

    sets = (shipped_sealed("general") or {}).get("sets") or {}
    scores = [float(v["classifier"]) for v in sets.values() if isinstance(v, dict) and "classifier" in v]
    if not scores:
        return ""
    return (f"; the shipped general model (--model general, docs/validation.md) at {min(scores):.2f} to "
            f"{max(scores):.2f} there")


def _add_frames(sub: SubParsers) -> None:
    p = sub.add_parser("frames", help="label every content sentence with blame frames (one CSV row a sentence)")
    _add_corpus_args(p)
    p.add_argument("--out", required=True, help="CSV file to write")
    _add_keep_columns_arg(p)
    p.add_argument("--lexicon", default=DEFAULT_FRAMES_LEXICON,
                   help=f"frame lexicon: shipped name or file (default: {DEFAULT_FRAMES_LEXICON})")
    p.add_argument("--cues", default=DEFAULT_CUES_LEXICON,
                   help=f"cue lexicon: shipped name or file (default: {DEFAULT_CUES_LEXICON})")
    _add_case_arg(p)
    p.add_argument("--rule", default="coder", choices=list(RULES),
                   help="sentence decision rule (default: coder; see docs/lexicons.md)")
    p.add_argument("--include-negated", action=argparse.BooleanOptionalAction, default=True,
                   help="count hits inside negation scopes (default: yes; a denial still locates blame)")
    p.add_argument("--window", type=int, default=10,
                   help="--rule cue_window: words between cue and locus (default: 10)")
    p.add_argument("--strong-weight", type=float, default=2.0,
                   help="weight from which an entry is an attribution by itself (default: 2; inf: none)")
    for part in _RULE_PARTS:
        p.add_argument(f"--{part}", action=argparse.BooleanOptionalAction, default=True,
                       help=f"the coder rule's {part} part (default: on; --no-{part} to see what it adds; "
                       "docs/lexicons.md)")
    p.add_argument("--model", default=None, metavar="FILE",
                   help="label with a model from `framing validate train`, or `general`: the shipped model trained "
                   "on all the project's readable coded sentences (docs/validation.md), instead of the rule (adds "
                   "p_<frame> and "
                   "evidence columns; --lexicon/--cues/--rule/--no-include-negated are then the model's, and a warning "
                   "names those given; --case adds a case file's names to a model trained without one)")
    p.add_argument("--name", default=None, help="stream/dask: name of the processed corpus (default: from the path)")
    _add_backend_args(p)
    p.set_defaults(handler=_cmd_frames)


def _cmd_lexicon_convert(args: argparse.Namespace) -> int:
    from framing.io import check_output
    from framing.lexicon import load_lexicon, save_lexicon

    lex = load_lexicon(args.input)
    check_output(args.output, [args.input, lex.source], option="OUTPUT")  # the input, or a shipped lexicon's file
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
                        "rationales, descriptions or empty categories, or when the reader dropped entries (`:)`, a "
                        "term in no category); without it a warning lists each loss")
    c.set_defaults(handler=_cmd_lexicon_convert)
    k = lsub.add_parser("check", help="report duplicates, shadowed and unmatchable entries (exit 1 on errors)")
    k.add_argument("file", help="shipped lexicon name or file")
    k.set_defaults(handler=_cmd_lexicon_check)


# --- attribution and comparison (issue 5) -----------------------------------------------------------


def _cmd_blame(args: argparse.Namespace) -> int:
    from framing.attribution import BLAME_CLI_COLUMNS, blame_attribution
    from framing.corpus import check_document_columns, with_document_columns
    from framing.io import write_csv

    _check_out(args)
    if args.backend != "memory":
        from framing.backends import read_partitioned, write_partitioned_csv

        result = _partitioned_from_args(args, None, blame={"case": args.case, "targets": args.targets,
                                                          "target_window": args.target_window,
                                                          "headline_voice": args.headline_voice,
                                                          "actors_lexicon": args.actors})
        write_partitioned_csv(result.directory, "blame", args.out, columns=BLAME_CLI_COLUMNS,
                              document_columns=_keep_columns(args))
        blame = read_partitioned(result.directory, "blame", columns=["doc_id", "sent_id"])
        print(blame_line(blame, args.out))
        return 0
    warn_unused_backend_flags(args)
    processed = _processed_from_args(args)
    check_document_columns(processed.documents, _keep_columns(args))
    blame = blame_attribution(processed, case=args.case, targets=args.targets, target_window=args.target_window,
                              headline_voice=args.headline_voice, actors_lexicon=args.actors)
    out = write_csv(with_document_columns(blame[list(BLAME_CLI_COLUMNS)], processed.documents, _keep_columns(args)),
                    args.out)
    print(blame_line(blame, out))
    return 0


def _add_blame(sub: SubParsers) -> None:
    p = sub.add_parser(
        "blame",
        help="who blames whom: one CSV row per (sentence, blamer, target)",
        description="Write doc_id, sent_id, start, end (the sentence's offsets in the raw text), blamer "
                    "('author', 'headline' or the quoted speaker), target (an actor id the sentence holds "
                    "responsible: a category of --actors, or an actor the --case file declares), frame, evidence "
                    "(the cue words). Rules: docs/attribution.md.",
    )
    _add_corpus_args(p)
    p.add_argument("--out", required=True, metavar="FILE.csv", help="the CSV file to write")
    _add_keep_columns_arg(p)
    _add_case_arg(p)
    p.add_argument("--actors", default=DEFAULT_ACTORS_LEXICON, metavar="LEXICON",
                   help=f"actors lexicon: a shipped name or a file whose categories are the actor ids targets take "
                        f"(default: {DEFAULT_ACTORS_LEXICON}, the codebook's 13 actors by role); a --case file's "
                        "people and organisations join it")
    p.add_argument("--targets", choices=["responsible", "mentioned"], default="responsible",
                   help="targets: actors near a cue or frame hit in the same clause (responsible, default) "
                        "or every actor the sentence mentions")
    p.add_argument("--target-window", type=int, default=8,
                   help="for --targets responsible: most words between an actor and a cue or frame hit (default 8)")
    p.add_argument("--headline-voice", action=argparse.BooleanOptionalAction, default=True,
                   help="blame in a document's headline (its title, or a first line that reads as a heading) is "
                        "the blamer 'headline', the publication's voice (default: yes); --no-headline-voice: "
                        "the author's")
    p.add_argument("--name", default=None, help="stream/dask: name of the processed corpus (default: from the path)")
    _add_backend_args(p)
    p.set_defaults(handler=_cmd_blame)


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
    p.add_argument("config", help="batch file (config/batch/genres.yaml) or its bare name (genres)")
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
    from framing.io import check_reports_dir
    from framing.report import build_index

    check_reports_dir(args.reports_dir, option="REPORTS_DIR")
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

    _check_out(args)
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


def _as_flag(message: str, argv: Sequence[str]) -> str:
    """Name the flag given in an error about its API parameter ("target_window must" -> "--target-window must")."""
    name = message.split(" ", 1)[0]
    flag = f"--{name.replace('_', '-')}"
    given = any(a == flag or a.startswith(flag + "=") for a in argv)
    about = message.startswith(f"{name} must") or (message.startswith(f"{name} ") and ": refused, " in message)
    return flag + message[len(name):] if given and about else message


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
        print(f"framing: error: {_as_flag(str(exc), sys.argv[1:] if argv is None else argv)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        from framing.runtime import last_signal

        print(f"framing: interrupted ({last_signal()}); {interrupted_note(args)}", file=sys.stderr)
        return 130
