"""What a partitioned run says about its input, carried back from the partitions: the same as in memory.

The partitions read their documents with the warnings silenced (one worker, one copy each); the driver merges
what they report and warns once, with the classes and messages of the in-memory path
(:class:`framing.rawio.CorpusWarning`): the bad records skipped and the empty documents dropped (each one
warning for the input, listing those of every partition, as :func:`framing.corpus.load_corpus` gives), a file
read as cp1252. A run that fails warns them too, before its error (the partitions that failed give the warnings
they raised before failing), as the in-memory path shows them before its error.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from framing._corpus_read import _table_format, check_safe_id_clashes, duplicate_ids_message
from framing.errors import CorpusError, PartitionError
from framing.rawio import BadRecordError, CorpusWarning

__all__: list[str] = []

MAX_WARNINGS = 20
"""Warnings a partitioned run prints at most; ``manifest.json`` lists them all."""
MAX_LISTED = 50
"""Bad records (or duplicate ids) one message lists at most, followed by ``and N more``."""


def listing(items: Sequence[str], limit: int = MAX_LISTED, sep: str = "; ") -> str:
    """``items`` joined with ``sep``, at most ``limit`` of them, then ``and N more``."""
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return sep.join(items[:limit]) + more


def input_warnings(source: Path, results: Sequence[Mapping[str, Any]]) -> tuple[list[str], list[str]]:
    """Return the bad records the partitions' ``results`` skipped and the in-memory path's warnings for ``source``.

    In partition order: bad records skipped (``"SOURCE: where: why"``, as :func:`framing.rawio.bad_records`
    lists them) in one warning, then the partitions' issues, deduplicated. A result of a partition that failed
    (``{"error", "issues"}``) gives its issues.
    """
    ordered = sorted(results, key=lambda r: int(r["index"]))
    skipped = [str(s) for r in ordered for s in r.get("skipped", [])]
    out: list[str] = []
    if skipped:
        prefix = f"{source}: "
        bad = [s[len(prefix):] if s.startswith(prefix) else s for s in skipped]
        what = "file(s)" if source.is_dir() else "row(s)" if _is_delimited(source) else "line(s)"
        out.append(f"{source}: skipped {len(bad)} malformed {what}: " + listing(bad))
    out.extend(_merge_empty([str(s) for r in ordered for s in r.get("issues", [])]))
    return skipped, list(dict.fromkeys(out))


def of_the_input(exc: BaseException) -> bool:
    """Return True for an error of the input (a bad record, a repeated id ...), False for one of the run.

    Of the run: a write that failed, a lexicon or case that cannot be loaded, a cancelled run's missing folder.
    """
    return isinstance(exc, CorpusError) and not isinstance(exc, PartitionError)


def raise_failed(results: Sequence[dict[str, Any]]) -> None:
    """Raise the errors the partitions returned (``{"index", "error", "issues"}``): the bad records in one message.

    The one way of both backends: Dask runs every partition; the stream backend, after a partition's error, only
    reads the later ones (:func:`framing.backends._execute.run_stream`); either way each error is a result. An error
    of the run, not of the input (:func:`of_the_input`), is the one raised, the first of them by partition; the
    input's errors (the bad records merged into one) are then added to the issues of the partitions that found
    them, which the run warns before its error (:func:`input_warnings`): neither is lost.
    """
    errors = sorted((r for r in results if "error" in r), key=lambda r: int(r["index"]))
    if not errors:
        return
    bad = [e for e in errors if isinstance(e["error"], BadRecordError)]
    merged = bad[0]["error"].merged([e["error"] for e in bad[1:]]) if bad else None
    run_errors = [e for e in errors if not of_the_input(e["error"])]
    if run_errors:
        first_bad = bad[0] if bad else None
        for e in errors:
            if e is first_bad:  # every bad record, in one message
                e["issues"] = [*e.get("issues", []), str(merged)]
            elif of_the_input(e["error"]) and not isinstance(e["error"], BadRecordError):
                e["issues"] = [*e.get("issues", []), str(e["error"])]
        raise run_errors[0]["error"]
    if merged is not None and len(bad) > 1:
        raise merged
    raise errors[0]["error"]


def _is_delimited(source: Path) -> bool:
    """Tell whether ``source`` is a CSV or TSV table, whose skipped records are rows (the loader's own reading)."""
    try:
        return _table_format(source) in ("csv", "tsv")
    except CorpusError:  # not a table file: its records are lines
        return False


_EMPTY = re.compile(r"(?P<source>.*): skipped \d+ empty document\(s\): (?P<ids>\[.*\])", re.DOTALL)
"""The warning of :func:`framing._corpus_read.drop_empty_documents`, one a partition that had empty documents."""


def _merge_empty(issues: Sequence[str]) -> list[str]:
    """Return ``issues`` with the empty documents of one source in one message, where its first one was."""
    merged: dict[str, list[str]] = {}
    out: list[tuple[str, bool]] = []  # (an issue, False) or (a source whose merged message goes here, True)
    for issue in issues:
        found = _EMPTY.fullmatch(issue)
        try:
            ids = ast.literal_eval(found["ids"]) if found is not None else None
        except (ValueError, SyntaxError):
            ids = None
        if found is None or not isinstance(ids, list):
            out.append((issue, False))
            continue
        if found["source"] not in merged:
            out.append((found["source"], True))
        merged.setdefault(found["source"], []).extend(ids)
    return [f"{m}: skipped {len(merged[m])} empty document(s): {merged[m]}" if is_source else m
            for m, is_source in out]


def emit_warnings(messages: Sequence[str], manifest: Path | None) -> None:
    """Warn each message (:class:`CorpusWarning`), at most :data:`MAX_WARNINGS`, then say where the rest are.

    ``manifest``: the ``manifest.json`` that lists them all; ``None`` for a run that failed (nothing lists them).
    """
    for m in messages[:MAX_WARNINGS]:
        warnings.warn(m, CorpusWarning, stacklevel=3)
    if len(messages) > MAX_WARNINGS:
        rest = f"{manifest} lists them all" if manifest is not None else "not shown (the run failed)"
        warnings.warn(f"{len(messages) - MAX_WARNINGS} more warning(s) about the input: {rest}", CorpusWarning,
                      stacklevel=3)


class IdTracker:
    """Ids seen so far across partitions, with where each was read (and its original, with safe ids).

    The one id set of a partitioned run and its checks across partitions: an id seen in an earlier partition
    is refused naming both places; with safe ids, two different original ids that became one are refused as
    :func:`framing.corpus.check_safe_id_clashes` refuses them in memory (the same message).
    """

    def __init__(self, source: Path, id_col: str) -> None:
        self.source, self.id_col = source, id_col
        self.seen: dict[str, tuple[str, str | None]] = {}
        """Each id seen: where it was read and its original id (``None`` without safe ids)."""

    def add(self, index: int, ids: Sequence[str], where: Sequence[str], originals: Sequence[str] = ()) -> None:
        """Record the ids of partition ``index`` (``where``: their lines; ``originals``: with safe ids).

        Raises
        ------
        CorpusError
            On an id seen before: two originals that became one (safe ids), else a repeated id.
        """
        places = [f"{w} of partition {index}" for w in where] if len(where) == len(ids) else \
            [f"partition {index}"] * len(ids)
        olds: Sequence[str | None] = originals if len(originals) == len(ids) else [None] * len(ids)
        mine = dict(zip(ids, zip(places, olds, strict=True), strict=True))
        again = [i for i in ids if i in self.seen]
        if again:
            renamed = [i for i in again if self.seen[i][1] is not None and mine[i][1] is not None]
            if renamed:
                check_safe_id_clashes([i for i in renamed for _ in (0, 1)],
                                      [str(o[1]) for i in renamed for o in (self.seen[i], mine[i])],
                                      f"{self.source} column {self.id_col!r} (across partitions)")
            pairs = [i for i in again for _ in (0, 1)]
            spots = [s[0] for i in again for s in (self.seen[i], mine[i])]
            raise CorpusError(str(duplicate_ids_message(str(self.source), self.id_col, pairs, spots))
                              + "; ids must be unique across the whole corpus (found across partitions)")
        self.seen.update(mine)
