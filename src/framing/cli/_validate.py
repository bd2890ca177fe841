"""``framing validate``: coding sheets, agreement with coders, the learned option and instrument validity."""


from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from framing.cli._common import (
    SubParsers,
    _add_case_arg,
    _add_corpus_args,
    _add_safe_ids_arg,
    _check_out,
    _processed_from_args,
)
from framing.errors import FramingWarning, ParameterError, ValidationSheetError
from framing.types import DEFAULT_CUES_LEXICON, DEFAULT_FRAMES_LEXICON, DEFAULT_SEED, FRAMES, ProcessedCorpusLike
from framing.types import FRAME_RULES as RULES

if TYPE_CHECKING:
    import pandas as pd

__all__: list[str] = []  # private: framing.cli registers the subcommands


# --- validation (issue 3) ---------------------------------------------------------------------------


def _frames_arg(text: str) -> tuple[str, ...]:
    frames = tuple(f.strip() for f in text.split(",") if f.strip())
    if not frames:
        raise ParameterError(f"--frames expects comma-separated frame names, got {text!r}")
    return frames


def _cmd_validate_sheet(args: argparse.Namespace) -> int:
    from framing.agreement import make_coding_sheet, write_coding_sheet

    _check_out(args)
    processed = _processed_from_args(args)
    strata = None if args.strata.lower() in ("", "none") else args.strata
    sheet = make_coding_sheet(processed, args.n, strata=strata, min_per_stratum=args.min_per_stratum,
                              frames=_frames_arg(args.frames), random_state=args.seed)
    out = write_coding_sheet(sheet, args.out)
    print(f"framing: coding sheet of {len(sheet)} sentence(s) (seed {args.seed}) -> {out}")
    return 0


def _cmd_validate_score(args: argparse.Namespace) -> int:
    from framing.agreement import main_reference, read_coding_sheets, validate_lexicon, write_validation_report

    _check_out(args, kind="folder")
    processed = _processed_from_args(args)
    frames = _frames_arg(args.frames)
    coded = read_coding_sheets(args.coded, corpus=processed, frames=frames)
    scoring = _scoring_kwargs(args)
    report = validate_lexicon(processed, coded, lexicon=args.lexicon, frames=frames, n_boot=args.n_boot,
                              random_state=args.seed, cluster=_ci_cluster(args), **scoring)
    written = write_validation_report(report, args.out)
    main = report.metrics[report.metrics["reference"] == main_reference(report.metrics)].set_index("frame")["f1"]
    n_coded, n_not = _coded_row_counts(coded, frames)
    skipped = f" ({n_not} row(s) marked not coded left out)" if n_not else ""
    print(f"framing: {coded['coder'].nunique()} coder(s), {n_coded} coded row(s){skipped}; "
          f"macro-F1 {main.get('macro', float('nan')):.3f} (micro-F1 {main.get('micro', float('nan')):.3f}); "
          f"{len(written)} tables -> {args.out}")
    if args.devset:  # beside the corpus: the rule held out by document (= pooled) and on the development set
        from framing.agreement import instrument_validity
        from framing.io import write_csv

        validity = instrument_validity(processed, coded, devset=_devset_from_args(args, frames), classifier=False,
                                       lexicon=args.lexicon, frames=frames, n_boot=args.n_boot,
                                       ci_cluster=_ci_cluster(args),
                                       random_state=args.seed, scope=_corpus_scope(args.corpus, processed),
                                       **scoring)
        _print_metrics(validity.metrics)
        write_csv(validity.metrics, Path(args.out) / "instrument.csv")
    return 0


def _coded_row_counts(coded: pd.DataFrame, frames: Sequence[str]) -> tuple[int, int]:
    """Rows of the coded sheets with at least one code, and rows with none (marked ``not coded``)."""
    has_code = coded[list(frames)].notna().any(axis=1)
    return int(has_code.sum()), int((~has_code).sum())


def _add_ci_unit(p: argparse.ArgumentParser) -> None:
    p.add_argument("--ci-unit", choices=("document", "sentence"), default="document",
                   help="what the bootstrap of the F1 intervals resamples: whole documents (default; the sentences "
                        "of one document are not independent) or single sentences (narrower, assumes independence)")


def _ci_cluster(args: argparse.Namespace) -> str | None:
    """Return the unit column the bootstrap resamples whole (``--ci-unit``): ``doc_id``, or None for sentences."""
    return "doc_id" if getattr(args, "ci_unit", "document") == "document" else None


def _corpus_scope(corpus: str, processed: Any) -> str:
    """Return the scope of the corpus's rows in the validity tables.

    ``seeds`` for the study's own corpus (``data/raw``), else the corpus's name
    (:func:`framing.paths.processed_name`, :func:`framing.agreement.coded_scope`).
    """
    from framing.agreement import coded_scope
    from framing.errors import ParameterError
    from framing.paths import STUDY_CORPUS_NAME, processed_name

    try:
        return processed_name(corpus, STUDY_CORPUS_NAME)
    except ParameterError:  # another corpus named like the study's ("seeds.csv"): never the study's scope
        name = coded_scope(processed)
        return f"{name}-other" if name == STUDY_CORPUS_NAME else name


def _scoring_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    """Keyword arguments of :func:`framing.scoring.frame_table` given on the command line (``--rule/--cues/--case``)."""
    scoring: dict[str, Any] = {}
    if args.rule is not None:
        scoring["rule"] = args.rule
    if args.cues is not None:
        scoring["cues"] = None if args.cues.lower() == "none" else args.cues
    if args.case:
        scoring["case"] = args.case
    return scoring


def _cmd_validate_shares(args: argparse.Namespace) -> int:
    from framing.agreement import coded_positives, coded_sources, read_coding_sheets, warn_few_positives
    from framing.io import write_csv
    from framing.scoring import frame_table
    from framing.shares import corrected_shares

    _check_out(args)
    processed = _processed_from_args(args)
    frames = _frames_arg(args.frames)
    codes = read_coding_sheets(args.coded, corpus=processed, frames=frames)
    warn_few_positives(coded_positives(codes, frames), coded_sources(codes))  # the PPVs rest on the positives
    if args.model:
        _warn_ignored_with_model(args, {"lexicon": DEFAULT_FRAMES_LEXICON, "rule": None, "cues": None})
        predicted = _model_labels(args.model, processed, frames=frames, note=not args.quiet, sheets=args.coded,
                                  case=args.case, documents=_coded_documents(processed, codes))
    else:
        predicted = frame_table(processed, args.lexicon, **_scoring_kwargs(args))
    table = corrected_shares(predicted, codes, processed.documents, frames, by=args.by, min_coded=args.min_coded,
                             n_boot=args.n_boot, random_state=args.seed,
                             **({} if args.min_docs is None else {"min_docs": args.min_docs}))
    out = write_csv(table, args.out)
    shown = table[["group", "frame", "n_sentences", "n_coded", "instrument_share", "corrected_share", "ci_low",
                   "ci_high", "rates"]]
    print(shown.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    n_coded = len(codes[["doc_id", "sent_id"]].drop_duplicates())
    print(f"framing: frame shares of {len(predicted)} sentence(s) corrected by {n_coded} coded sentence(s) -> {out}")
    return 0


def _add_scoring_args(p: argparse.ArgumentParser, coded_help: str) -> None:
    """Add ``--coded`` and the instrument's options (``--lexicon/--cues/--rule/--case``) of ``score`` and ``shares``."""
    p.add_argument("--coded", action="append", required=True, metavar="SHEET.csv", help=coded_help)
    p.add_argument("--lexicon", default=DEFAULT_FRAMES_LEXICON,
                   help=f"frame lexicon name or path (default: {DEFAULT_FRAMES_LEXICON})")
    p.add_argument("--rule", default=None, choices=list(RULES),
                   help="sentence rule of framing.scoring.frame_table (default: its default); 'any' for a "
                   "lexicon without cues")
    p.add_argument("--cues", default=None, help="cue lexicon name or path, or 'none' (default: frame_table's)")
    _add_case_arg(p)


def _add_validate(sub: SubParsers) -> None:
    p = sub.add_parser("validate", help="coding sheets and agreement of lexicon frames with coders' codes")
    vsub = p.add_subparsers(dest="validate_command", metavar="SUBCOMMAND")
    p.set_defaults(handler=lambda _args: (p.print_help(), 2)[1])
    frames_help = "comma-separated frame columns (default: individual,systemic,political)"

    s = vsub.add_parser("sheet", help="export a stratified random sample of sentences as a blind coding sheet")
    _add_corpus_args(s)
    s.add_argument("--n", type=int, required=True, help="number of sentences to sample")
    s.add_argument("--out", required=True, help="CSV file to write (atomically)")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})")
    s.add_argument("--strata", default="genre",
                   help="stratify by this column; 'none' for a simple random sample (default: genre)")
    s.add_argument("--min-per-stratum", type=int, default=5, help="minimum sentences per stratum (default: 5)")
    s.add_argument("--frames", default="individual,systemic,political", help=frames_help)
    s.set_defaults(handler=_cmd_validate_sheet)

    c = vsub.add_parser("score", help="compare lexicon frames with coded sheets; write metrics, confusion, "
                        "misclassified and alpha tables")
    _add_corpus_args(c)
    _add_scoring_args(c, "a coded sheet (repeatable: one per coder, or one with a coder column)")
    c.add_argument("--out", required=True, help="output folder for metrics.csv, confusion.csv, misclassified.csv, "
                   "alpha.csv")
    c.add_argument("--frames", default="individual,systemic,political", help=frames_help)
    c.add_argument("--devset", default=None, metavar="JSONL",
                   help="also score the rule on a coded development set (e.g. ../shared/devsets/public-failures/"
                   "coded.jsonl) beside the corpus; tables in OUT/instrument.csv (the learned option: validate devset)")
    c.add_argument("--devset-texts", default=None, metavar="FILE",
                   help="the corpus the development set's units point into (default: next to it, per its README)")
    c.add_argument("--n-boot", type=int, default=1000, help="bootstrap replicates for F1 intervals; 0 skips "
                   "(default: 1000)")
    c.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"bootstrap seed (default: {DEFAULT_SEED})")
    _add_ci_unit(c)
    c.set_defaults(handler=_cmd_validate_score)

    h = vsub.add_parser("shares", help="frame shares of the whole corpus by genre, corrected for the instrument's "
                        "errors measured on a coded sample (docs/validation.md)")
    _add_corpus_args(h)
    _add_scoring_args(h, "a coded sheet of a sample of this corpus's sentences (repeatable: one per coder)")
    h.add_argument("--out", required=True, metavar="FILE.csv", help="table to write (atomically)")
    h.add_argument("--model", default=None, metavar="FILE",
                   help="label with a saved FrameClassifier instead of the rule (framing validate train; `general`: "
                   "the shipped one)")
    h.add_argument("--frames", default="individual,systemic,political", help=frames_help)
    h.add_argument("--by", default="genre", help="document column that groups the corpus (default: genre)")
    h.add_argument("--min-coded", type=int, default=5,
                   help="fewest coded sentences on each side of the instrument for a group's own error rates; "
                        "below it the sample's pooled rates are used (default: 5)")
    h.add_argument("--min-docs", type=int, default=None,
                   help="fewest coded documents a group needs for an interval; below it the corrected shares are "
                        "descriptive, without interval (default: framing.compare.MIN_DOCS, 10)")
    h.add_argument("--n-boot", type=int, default=2000, help="bootstrap replicates (default: 2000; 0 skips)")
    h.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"bootstrap seed (default: {DEFAULT_SEED})")
    h.set_defaults(handler=_cmd_validate_shares)
    _add_validate_learning(vsub)


# --- learned frames and instrument validity (issue 9) -----------------------------------------------


def _load_model_for(path: str | None, frames: Sequence[str] | None, sheets: Sequence[str] = (),
                    case: str | None = None, documents: pd.DataFrame | None = None) -> tuple[Any, dict[str, Any]]:
    """Load the model at ``path`` for ``frames``, before anything is labelled, labelling with ``case`` if given.

    A model for other frames is a ModelError naming the file and its frames; a model trained with another case
    file than ``case`` a ParameterError (:meth:`~framing.classifier.FrameClassifier.with_case`). With
    ``documents`` (the coded documents), warn when some hold articles of the model's training sets
    (:func:`~framing.agreement.model_training_documents`; the returned header's ``coded_training_documents``). Warn
    (:class:`~framing.agreement.InSampleWarning`) when one of the coded ``sheets`` is among its training files.
    ``path`` None gives ``(None, {})``.
    """
    import warnings

    from framing.agreement import InSampleWarning, held_articles_note, model_source, model_training_overlap
    from framing.classifier import load_model

    if not path:
        return None, {}
    model, header = load_model(path, frames=frames)
    model = model.with_case(case)
    seen, held = model_training_overlap(header, sheets, documents)
    if seen:
        warnings.warn(f"{', '.join(seen)}: coded sheet(s) the model {path} was trained on: its error rates there "
                      "are in-sample (too good; a correction from them leans towards the model's own labels); use "
                      "sheets the model was not trained on", InSampleWarning, stacklevel=2)
    if held:
        warnings.warn(f"{held_articles_note(held, model_source(path))}: its labels there are in-sample; leave them "
                      "out of the coded sample to measure it", InSampleWarning, stacklevel=2)
    header = {**header, "coded_training_documents": held}
    return model, header


def _coded_documents(processed: ProcessedCorpusLike, coded: pd.DataFrame | None) -> pd.DataFrame | None:
    """Return the documents of ``processed`` that the coded sheets code (None without codes)."""
    if coded is None:
        return None
    docs = processed.documents
    return docs[docs["doc_id"].astype(str).isin(set(coded["doc_id"].astype(str)))]


def _read_documents(documents: pd.DataFrame | None, scope: str) -> dict[str, str]:
    """Coded documents holding articles read while the lexicons were written (another corpus than the study's).

    Warned (:class:`~framing.agreement.InSampleWarning`) and returned for ``instrument_validity``'s
    ``read_documents``: the rule's rows on the coded corpus are then in-sample in part.
    """
    import warnings

    from framing.agreement import READ_SOURCE, InSampleWarning, held_articles_note, read_set_documents
    from framing.paths import STUDY_CORPUS_NAME

    if documents is None or scope == STUDY_CORPUS_NAME:
        return {}
    read = read_set_documents(documents)
    if read:
        warnings.warn(f"{held_articles_note(read, READ_SOURCE)}: the rule's figures there are in-sample in part",
                      InSampleWarning, stacklevel=2)
    return read


def _model_labels(path: str, processed: ProcessedCorpusLike, *, frames: Sequence[str] | None = None,
                  note: bool = False, sheets: Sequence[str] = (), case: str | None = None,
                  documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Label ``processed`` with the saved model at ``path`` (frame_table layout plus p_<frame>, evidence).

    ``frames``: the frames the caller needs (checked before labelling, :func:`_load_model_for`); ``sheets``: the
    coded sheets used with the labels; ``case``: a case file the model labels with (:func:`_load_model_for`).
    ``note``: print on standard error the model's cross-validated figures from its header, and a caution.
    """
    model, info = _load_model_for(path, frames, sheets, case, documents)
    table = model.label_table(processed)
    if note:
        print(_model_note(path, info, case), file=sys.stderr)
    return table


def _model_note(path: str, info: dict[str, Any], case: str | None = None) -> str:
    """Return the caution printed after labelling with a saved model: its CV figures and where they come from.

    With ``case``, the figures of the model on the seeds with and without that case file (header ``seeds_lodo``,
    the shipped general model's) when its header has them for that case.
    """
    rows = {r.get("method"): r.get("macro_f1") for r in (info.get("cv") or {}).get("macro_f1", [])}
    learned, rule = rows.get("classifier"), rows.get("rule")
    if isinstance(learned, float | int):
        figures = f"cross-validated macro-F1 {learned:.2f} ({info['cv'].get('folds', 'by document')}"
        figures += f"; the rule's on the same held-out documents {rule:.2f})" if isinstance(rule, float | int) else ")"
    else:
        figures = "no cross-validated figures recorded in its file"
    sealed = (info.get("sealed") or {}).get("mean_macro_f1") or {}
    if isinstance(sealed.get("classifier"), float | int) and isinstance(sealed.get("rule"), float | int):
        # the shipped general model: its figure on news neither it nor the rule was fitted on or written from
        n = len((info.get("sealed") or {}).get("sets") or {})
        figures = (f"mean macro-F1 {sealed['classifier']:.2f} on the {n} sealed held-out sets, never trained on or "
                   f"read; the rule's there {sealed['rule']:.2f}; trained on coverage of public failures only: on "
                   "other texts it labels far more sentences than the rule, docs/validation.md")
    lodo = info.get("seeds_lodo") or {}
    scores = lodo.get("classifier") or {}
    if case and lodo.get("case") == case and all(isinstance(scores.get(k), float | int)
                                                 for k in ("with_case", "without_case")):
        figures += (f"; on the seeds, each left out of training, {scores['with_case']:.2f} with case file {case} "
                    f"and {scores['without_case']:.2f} without")
    return (f"framing: note: these labels are the model's ({path}: {figures}), not a coder's; a model is only as "
            "good as its training codes (few or inconsistent codes give a poor model). Before reporting shares, "
            "check it on a coded sample it was not trained on (framing validate devset --corpus CORPUS --coded "
            f"SHEET.csv --model {path} --heldout '') and correct them (framing validate shares --model {path}).")


def _warn_ignored_with_model(args: argparse.Namespace, defaults: dict[str, Any]) -> None:
    """Warn about the rule's options given with ``--model``, which labels with the model's own (``dest: default``)."""
    import warnings

    given = [f"--{dest.replace('_', '-')}" if getattr(args, dest) is not False else f"--no-{dest.replace('_', '-')}"
             for dest, default in defaults.items() if getattr(args, dest, default) != default]
    if given:
        warnings.warn(f"{', '.join(given)} ignored with --model: the model labels with the lexicons and rule it was "
                      f"trained with ({args.model}; --case is the one option it takes)", FramingWarning, stacklevel=2)


def _seed_sheets() -> list[str]:
    from framing.paths import project_paths

    return [str(p) for p in sorted(project_paths().validation.glob("seeds_coded*.csv"))]


def _coded_corpus(args: argparse.Namespace, frames: Sequence[str]) -> tuple[Any, Any, list[str]]:
    """Return the corpus (``--corpus``), its coded sheets (``SHEETS`` or ``--coded``; default the seed coding)."""
    from framing.agreement import read_coding_sheets

    sheets = list(getattr(args, "sheets", None) or getattr(args, "coded", None) or _seed_sheets())
    if not sheets:
        raise ParameterError("no coded sheets given and none found in data/validation/")
    processed = _processed_from_args(args)
    try:
        coded = read_coding_sheets(sheets, corpus=processed, frames=frames)
    except ValidationSheetError as exc:
        if "unknown doc_id" not in str(exc) or args.corpus != _STUDY_CORPUS:
            raise
        raise ValidationSheetError(
            f"{exc}\n(the sheets are read against --corpus, by default {_STUDY_CORPUS}: the study's seed corpus; "
            "for sheets of another corpus give --corpus PATH, with --id-col/--text-col/--genre-col as needed)"
        ) from exc
    return processed, coded, sheets


def _devset_from_args(args: argparse.Namespace, frames: Sequence[str], given: str | None = None) -> Any:
    """Load ``--devset`` (or ``given``, one of several given to ``validate train``) with ``--devset-texts``."""
    from framing.agreement import default_devset_path, load_devset

    path: str | Path | None = args.devset if given is None else given
    if path == "":  # --devset '': none, not even the default one
        return None
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
    from framing.agreement import macro_f1_summary

    shown = metrics[["scope", "method", "frame", "n", "support", "precision", "recall", "f1", "lo", "hi",
                     "baseline"]]
    print(shown.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print()
    print(macro_f1_summary(metrics).to_string(index=False, float_format=lambda x: f"{x:.3f}"))


_STUDY_CORPUS = "data/raw"
"""Default ``--corpus`` of ``validate train`` and ``validate devset``: the study's seed corpus."""


def _add_learning_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", default=_STUDY_CORPUS, help="the coded corpus (default: data/raw, the seeds)")
    p.add_argument("--id-col", default="doc_id", help="column holding document ids (default: doc_id)")
    p.add_argument("--text-col", default="text", help="column holding the text (default: text)")
    p.add_argument("--genre-col", default="genre", help="column holding the genre (default: genre)")
    _add_safe_ids_arg(p)
    p.add_argument("--devset-texts", default=None, metavar="JSONL",
                   help="texts of the development set (default: ../../corpora/bbc-news-2004-2005.jsonl.gz beside it)")
    p.add_argument("--lexicon", default=DEFAULT_FRAMES_LEXICON,
                   help=f"frame lexicon (default: {DEFAULT_FRAMES_LEXICON})")
    p.add_argument("--cues", default=DEFAULT_CUES_LEXICON, help=f"cue lexicon (default: {DEFAULT_CUES_LEXICON})")
    p.add_argument("--rule", default=None, choices=list(RULES),
                   help="decision rule of frame_table (default: its default)")
    p.add_argument("--case", default=None, help="case file (name or path) for the coded corpus's rows; the "
                   "development and held-out sets are always scored on the case-independent layer")
    p.add_argument("--frames", default=",".join(FRAMES),
                   help=f"comma-separated frame columns (default: {','.join(FRAMES)})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help=f"seed of models and bootstrap (default: {DEFAULT_SEED})")


def _cmd_validate_train(args: argparse.Namespace) -> int:
    from framing.agreement import train_frame_model, training_provenance
    from framing.classifier import save_model

    _check_out(args)
    frames = _frames_arg(args.frames)
    processed, coded, sheets = _coded_corpus(args, frames)
    devset = [_devset_from_args(args, frames, path) for path in args.devset or [] if path]
    result = train_frame_model(processed, coded, devset=devset, n_splits=args.n_splits, lexicon=args.lexicon,
                               cues=args.cues, frames=frames, seed=args.seed, n_boot=args.n_boot,
                               scope=_corpus_scope(args.corpus, processed), **_rule_kwargs(args))
    provenance = training_provenance(result, sheets, devset=devset, corpus=args.corpus, n_splits=args.n_splits)
    out = save_model(result.model, args.out, provenance=provenance)
    _print_metrics(result.metrics)
    left = result.metrics.loc[result.metrics["note"].str.contains("no coded positive", regex=False), "frame"]
    if len(left):
        print(f"framing: macro-F1 of the classifier and of the rule over the same frames, those with coded "
              f"positives; left out (no coded positive): {', '.join(dict.fromkeys(left))}")
    print(f"framing: model for {', '.join(result.model.frames_)} trained on "
          f"{len(provenance['training_files'])} file(s) -> {out}")
    return 0


def _cmd_validate_devset(args: argparse.Namespace) -> int:
    from framing.agreement import instrument_validity, training_digests
    from framing.io import write_csv

    _check_out(args, kind="folder")
    frames = _frames_arg(args.frames)
    processed, coded, _sheets = _coded_corpus(args, frames)
    devset = _devset_from_args(args, frames)
    coded_docs = _coded_documents(processed, coded)
    model, header = _load_model_for(args.model, frames, case=args.case,
                                    documents=coded_docs if args.model else None)
    read = _read_documents(coded_docs, _corpus_scope(args.corpus, processed))
    # the sets the model was trained on are scored in-sample (and said so), by the digests in its header
    heldout = _heldout_from_args(args, frames)
    validity = instrument_validity(processed, coded, devset=devset, heldout=heldout, model=model,
                                   model_training=training_digests(header), classifier=not args.rule_only,
                                   model_documents=header.get("coded_training_documents"), read_documents=read,
                                   scope=_corpus_scope(args.corpus, processed),
                                   ci_cluster=_ci_cluster(args),
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


def _heldout_from_args(args: argparse.Namespace, frames: Sequence[str]) -> dict[str, Any]:
    """Load the ``--heldout`` sets; by default the project's ``data/validation/heldout-*`` whose texts are there."""
    from framing.agreement import default_heldout_paths, default_texts_path, load_heldout

    if args.heldout is not None:
        return load_heldout([p for p in args.heldout if p], args.devset_texts, frames=frames)
    texts = args.devset_texts
    paths = [p for p in default_heldout_paths() if Path(texts or default_texts_path(p)).is_file()]
    return load_heldout(paths, texts, frames=frames)


def _add_validate_learning(vsub: Any) -> None:
    t = vsub.add_parser("train", help="train a FrameClassifier on coded sheets, cross-validated by document; save it")
    t.add_argument("sheets", nargs="+", metavar="SHEET.csv", help="coded sheets of --corpus (one per coder or mixed)")
    t.add_argument("--out", required=True, metavar="FILE", help="model file to write (pickle with provenance)")
    t.add_argument("--devset", default=None, metavar="JSONL", action="append",
                   help="also train on a coded development set (or held-out set: same format); repeat for several")
    t.add_argument("--n-splits", type=int, default=None,
                   help="GroupKFold folds (default: leave one document out)")
    t.add_argument("--n-boot", type=int, default=1000, help="bootstrap replicates of the CV F1 intervals (default: "
                   "1000; 0 skips)")
    _add_learning_args(t)
    t.set_defaults(handler=_cmd_validate_train, default_devset=False)

    d = vsub.add_parser("devset", help="rule and classifier on the seeds, leave-one-document-out, the "
                        "development set and the held-out sets (data/validation/heldout-*), with bootstrap "
                        "intervals")
    d.add_argument("--coded", action="append", default=None, metavar="SHEET.csv",
                   help="coded sheets of --corpus (default: data/validation/seeds_coded*.csv)")
    d.add_argument("--devset", default=None, metavar="JSONL",
                   help="coded development set (default: ../shared/devsets/public-failures/coded.jsonl when present; "
                   "--devset '' for none)")
    d.add_argument("--heldout", action="append", default=None, metavar="JSONL",
                   help="a held-out coded set, scored as scope heldout-<folder name>; the classifier trained on "
                        "the corpus never sees it, a given model may have (its rows are then in-sample) "
                        "(repeatable; default: data/validation/heldout-*/coded.jsonl when their texts are there; "
                        "--heldout '' for none)")
    d.add_argument("--model", default=None, metavar="FILE",
                   help="a saved model, or `general`, the shipped one (default: train one on the corpus)")
    d.add_argument("--rule-only", action="store_true", help="score the rule only (no classifier)")
    d.add_argument("--n-boot", type=int, default=1000, help="bootstrap replicates (default: 1000)")
    _add_ci_unit(d)
    d.add_argument("--out", default=None, help="folder for metrics.csv, confusion.csv, misclassified.csv")
    _add_learning_args(d)
    d.set_defaults(handler=_cmd_validate_devset, default_devset=True)
