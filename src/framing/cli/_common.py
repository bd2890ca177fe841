"""Helpers shared by the ``framing`` subcommands: corpus and case arguments, ``NAME=VALUE`` parsing."""


from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from framing.errors import ParameterError

if TYPE_CHECKING:
    from framing.corpus import ProcessedCorpus

__all__ = ["Handler", "SubParsers"]

Handler = Callable[[argparse.Namespace], int]
SubParsers = Any  # argparse's _SubParsersAction is private


def _add_corpus_args(p: argparse.ArgumentParser) -> None:
    """Arguments shared by every command that takes a corpus."""
    p.add_argument("corpus", help="a folder of .txt files with metadata.csv, or a CSV/TSV/JSONL/Parquet file")
    p.add_argument("--id-col", default="doc_id", help="column holding document ids (default: doc_id)")
    p.add_argument("--text-col", default="text", help="column holding the text (default: text)")
    p.add_argument("--genre-col", default="genre", help="column holding the genre (default: genre)")
    _add_safe_ids_arg(p)
    p.add_argument("--rules", default=None, metavar="FILE",
                   help="boilerplate rules (YAML: name, description, pattern, a regular expression over the whole "
                        "text) used instead of the shipped ones; see docs/cleaning.md. Default: the shipped rules")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar (shown on standard error when preparing the corpus takes more than a "
                        "few seconds: documents, MB/s, time left)")


def _add_safe_ids_arg(p: argparse.ArgumentParser) -> None:
    """Add ``--safe-ids``: rewrite ids that are unsafe as file names (``business/001`` -> ``business_001``)."""
    p.add_argument("--safe-ids", action="store_true",
                   help="rewrite document ids that are unsafe as file names ('business/001' -> 'business_001'; "
                        "the original kept in column original_id; coded sheets may use either). Default: refuse them")


def _add_keep_columns_arg(p: argparse.ArgumentParser) -> None:
    """Add ``--keep-columns``: document metadata (outlet, date, genre ...) added after the output's own columns."""
    p.add_argument("--keep-columns", default="", metavar="COL[,COL...]",
                   help="document columns (metadata such as genre, outlet, date) added after the output's own "
                        "columns, so rows can be grouped without a merge (default: none)")


def _keep_columns(args: argparse.Namespace) -> list[str]:
    """Return the ``--keep-columns`` names, in order."""
    return [c.strip() for c in str(getattr(args, "keep_columns", "") or "").split(",") if c.strip()]


def _add_case_arg(p: argparse.ArgumentParser) -> None:
    """Add the ``--case`` option: a case file's people and organisations join the case-independent lexicons."""
    p.add_argument("--case", default=None, metavar="NAME_OR_PATH",
                   help="case file: a shipped name (baby_p) or a path (see docs/cases.md); default: none, only the "
                        "case-independent lexicons run")


def _processed_from_args(args: argparse.Namespace) -> ProcessedCorpus:
    """Load and process (clean, segment) the corpus named on the command line, in memory."""
    from framing.corpus import load_corpus, process_corpus

    corpus = load_corpus(args.corpus, id_col=args.id_col, text_col=args.text_col, genre_col=args.genre_col,
                         option_style="flag", on_bad_record=getattr(args, "on_bad_record", "fail"),
                         safe_ids=getattr(args, "safe_ids", False))
    return process_corpus(corpus, getattr(args, "rules", None), progress=not getattr(args, "quiet", False))


_INPUT_ARGS = ("corpus", "input", "html", "lexicon", "cues", "case", "model", "coded", "devset", "devset_texts",
               "heldout", "sheets", "rules")
"""The arguments that name what a command reads (those a command has; shipped names that are no file are skipped)."""


def _check_out(args: argparse.Namespace, *, dest: str = "out", kind: str = "file") -> None:
    """Refuse ``--out`` (or the option ``dest``) before anything is computed (:func:`framing.io.check_output`).

    The output may not be an input of the command, lie inside an input folder, hold an input (an output
    folder), lie inside ``data/raw``, be a file a ``SHA256SUMS`` manifest lists, be a folder where a file goes
    (``kind="file"``) or a file where a folder goes (``kind="folder"``). An absent optional output (None) is not
    checked.
    """
    from framing.io import check_output

    value = getattr(args, dest)
    if value is None:
        return
    inputs: list[str] = []
    for name in _INPUT_ARGS:
        given = getattr(args, name, None)
        inputs.extend(v for v in (given if isinstance(given, list) else [given]) if isinstance(v, str))
    check_output(value, inputs, kind=kind, option="--" + dest.replace("_", "-"))


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
