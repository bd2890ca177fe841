"""What a partitioned run says about its input, carried back from the partitions: the same as in memory.

The partitions read their documents with the warnings silenced (one worker, one copy each); the driver merges
what they report and warns once, with the classes and messages of the in-memory path
(:class:`framing.rawio.CorpusWarning`): the bad records skipped and the empty documents dropped (each one
warning for the input, listing those of every partition, as :func:`framing.corpus.load_corpus` gives), a file
read as cp1252.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Sequence
from pathlib import Path

from framing._corpus_read import duplicate_ids_message
from framing.errors import CorpusError
from framing.rawio import CorpusWarning

__all__: list[str] = []

MAX_WARNINGS = 20
"""Warnings a partitioned run prints at most; ``manifest.json`` lists them all."""
MAX_LISTED = 50
"""Bad records (or duplicate ids) one message lists at most, followed by ``and N more``."""


def listing(items: Sequence[str], limit: int = MAX_LISTED, sep: str = "; ") -> str:
    """``items`` joined with ``sep``, at most ``limit`` of them, then ``and N more``."""
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return sep.join(items[:limit]) + more


def input_warnings(source: Path, skipped: Sequence[str], issues: Sequence[str]) -> list[str]:
    """Return the in-memory path's warnings for ``source``: bad records skipped, then the issues, deduplicated.

    ``skipped`` are ``"SOURCE: where: why"``, as :func:`framing.rawio.bad_records` lists them.
    """
    out: list[str] = []
    if skipped:
        prefix = f"{source}: "
        bad = [s[len(prefix):] if s.startswith(prefix) else s for s in skipped]
        what = "file(s)" if source.is_dir() else "line(s)"
        out.append(f"{source}: skipped {len(bad)} malformed {what}: " + listing(bad))
    out.extend(_merge_empty(issues))
    return list(dict.fromkeys(out))


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


def emit_warnings(messages: Sequence[str], manifest: Path) -> None:
    """Warn each message (:class:`CorpusWarning`), at most :data:`MAX_WARNINGS`, then say where the rest are."""
    for m in messages[:MAX_WARNINGS]:
        warnings.warn(m, CorpusWarning, stacklevel=3)
    if len(messages) > MAX_WARNINGS:
        warnings.warn(f"{len(messages) - MAX_WARNINGS} more warning(s) about the input: {manifest} lists them all",
                      CorpusWarning, stacklevel=3)


class IdTracker:
    """Ids seen so far across partitions, with where each was read: refuses one seen in an earlier partition."""

    def __init__(self, source: Path, id_col: str) -> None:
        self.source, self.id_col = source, id_col
        self.seen: dict[str, str] = {}

    def add(self, index: int, ids: Sequence[str], where: Sequence[str]) -> None:
        """Record the ids of partition ``index`` (``where``: their lines); raise on an id seen before."""
        places = [f"{w} of partition {index}" for w in where] if len(where) == len(ids) else \
            [f"partition {index}"] * len(ids)
        mine = dict(zip(ids, places, strict=True))
        again = [i for i in ids if i in self.seen]
        if again:
            pairs = [i for i in again for _ in (0, 1)]
            spots = [s for i in again for s in (self.seen[i], mine[i])]
            raise CorpusError(str(duplicate_ids_message(str(self.source), self.id_col, pairs, spots))
                              + "; ids must be unique across the whole corpus (found across partitions)")
        self.seen.update(mine)
