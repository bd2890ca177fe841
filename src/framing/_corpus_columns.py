"""The metadata columns of a corpus table: a table's own ``doc_id``/``genre`` columns kept, mixed types as text.

Private to :mod:`framing._corpus_read` (and so :func:`framing.corpus.load_corpus` and :mod:`framing.backends`):

* :func:`keep_own_columns`: a table (or a folder's ``metadata.csv``) may have a column named like one the loader
  sets (``doc_id``, ``genre``, ``text``, ``source_path``) without it being the column chosen for that role
  (``genre_col="outlet"`` on a table that also has ``genre``). The loader's column is the chosen one; the table's
  own is kept as metadata under ``original_<name>`` (``original_genre``, ``original_doc_id``), as safe ids keep
  the id as received in ``original_id``.
* :func:`mixed_as_text`: a metadata column whose values are of more than one JSON type (``"date": "2021-04-23"``
  on one line, ``"date": 20210424`` on another), or JSON objects or lists, is kept as text (objects and lists as
  JSON), with a :class:`~framing.rawio.CorpusWarning` naming the file, the column and the first line of each
  other type; every table then has one type per column, so ``framing frames`` and ``prepare`` read it alike.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from framing.errors import CorpusError
from framing.rawio import CorpusWarning

__all__ = ["KEPT_PREFIX", "LOADER_COLUMNS", "keep_own_columns", "mixed_as_text"]

LOADER_COLUMNS: tuple[str, ...] = ("doc_id", "genre", "text", "source_path")
"""Columns the loader sets on every document: a table's own column of that name is kept as ``original_<name>``."""

KEPT_PREFIX = "original_"


def keep_own_columns(df: pd.DataFrame, chosen: Mapping[str, str], where: str | Path) -> pd.DataFrame:
    """Rename the table's own columns named like :data:`LOADER_COLUMNS` that no option chose.

    ``chosen`` maps each option to its column (``{"genre_col": "outlet", ...}``); a column chosen by an option
    keeps its name (the loader reads it). Any other ``doc_id``, ``genre``, ``text`` or ``source_path`` column
    becomes ``original_doc_id`` ... so that the loader's column and the table's both stay.

    Raises
    ------
    CorpusError
        Naming ``where`` when the table already has the ``original_<name>`` column too.
    """
    picked = set(chosen.values())
    renames = {name: KEPT_PREFIX + name for name in LOADER_COLUMNS if name in df.columns and name not in picked}
    taken = [new for new in renames.values() if new in df.columns]
    if taken:
        raise CorpusError(f"{where}: column(s) {sorted(renames)} are set by the loader and the table's own would be "
                          f"kept as {sorted(renames.values())}, but column(s) {taken} exist already; rename them")
    return df.rename(columns=renames) if renames else df


def _kind(value: Any) -> str | None:
    """Return the JSON type of a cell (``None`` for a missing one)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a JSON object"
    if isinstance(value, list | tuple):
        return "a JSON list"
    return type(value).__name__


def _as_text(value: Any) -> Any:
    if _kind(value) is None:
        return None
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def mixed_as_text(docs: pd.DataFrame, columns: Sequence[str], where: str | Path,
                  locations: Sequence[str]) -> pd.DataFrame:
    """Return ``docs`` with each of ``columns`` of mixed types (or holding objects or lists) as text.

    ``locations`` name the rows (``"line 6"``); the warning names ``where``, the column, its types and the first
    location of each type but the first one seen. Missing values stay missing.
    """
    changed: list[str] = []
    out = docs
    for col in columns:
        series = docs[col]
        if series.dtype != object:
            continue
        kinds = [_kind(v) for v in series]  # one per document, not per token
        first = {k: i for i, k in reversed(list(enumerate(kinds))) if k is not None}
        order = sorted(first, key=first.__getitem__)
        if len(order) < 2 and not (set(order) & {"a JSON object", "a JSON list"}):
            continue
        others = ", ".join(f"{k} first at {locations[first[k]]}" for k in order[1:])
        changed.append(f"column {col!r} holds {order[0]}" + (f" and {others}" if others else ""))
        if out is docs:
            out = docs.copy()
        out[col] = pd.Series([_as_text(v) for v in series], index=series.index, dtype=object)
    if changed:
        warnings.warn(f"{where}: {'; '.join(changed)}: kept as text (objects and lists as JSON)", CorpusWarning,
                      stacklevel=4)
    return out
