"""Coding sheets: drawing a blind stratified sample, reading coded sheets back and checking them.

See :mod:`framing.agreement` for the workflow.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from framing.errors import FramingWarning, ParameterError, ValidationSheetError
from framing.types import FRAMES, PathLike, ProcessedCorpusLike

SHEET_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "sent_id",
    "start",
    "end",
    "genre",
    "context_before",
    "text",
    "context_after",
    *FRAMES,
    "coder",
    "notes",
)
"""Columns of a coding sheet for the study's frames (other frame sets replace the three frame columns)."""

VALIDATION_SET_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "sent_id",
    "start",
    "end",
    "text",
    *FRAMES,
    "coder",
    "notes",
)
"""Columns of the hand-coded seed validation set ``data/validation/seeds_coded.csv`` (docs/validation.md)."""

NOT_CODED = "not coded"
"""Phrase in a row's ``notes`` that allows blank frame cells in that row (they become missing values)."""

_REQUIRED_SHEET_COLUMNS: tuple[str, ...] = ("doc_id", "sent_id")
_MAX_REPORTED = 20


# ---------------------------------------------------------------------------------------------------
# Coding sheets
# ---------------------------------------------------------------------------------------------------


def allocate_sample(sizes: Sequence[int], n: int, *, min_per_stratum: int = 5) -> np.ndarray:
    """Allocate ``n`` sampled units to strata: proportional to size, with a minimum per stratum.

    Each stratum first gets ``min(min_per_stratum, size)`` units. The remaining units go one at a time
    to the stratum whose allocation falls furthest below its proportional share ``n * size / total``
    (ties to the earlier stratum), never above the stratum's size. Without binding minimums and caps
    this is proportional allocation rounded by largest remainders.

    Parameters
    ----------
    sizes : sequence of int
        Number of units in each stratum (in a fixed, documented order).
    n : int
        Total sample size, ``0 <= n <= sum(sizes)``.
    min_per_stratum : int, default 5
        Minimum number of units drawn from each stratum (all of it when smaller).

    Returns
    -------
    numpy.ndarray
        Integer allocation per stratum, summing to ``n``.

    Raises
    ------
    ParameterError
        If ``n`` is negative, larger than the number of units, or smaller than the sum of the minimums.
    """
    size = np.asarray(sizes, dtype=np.int64)
    if size.ndim != 1 or (size < 0).any():
        raise ParameterError(f"sizes must be non-negative stratum sizes, got {list(sizes)!r}")
    if min_per_stratum < 0:
        raise ParameterError(f"min_per_stratum must be >= 0, got {min_per_stratum!r}")
    total = int(size.sum())
    if not 0 <= n <= total:
        raise ParameterError(f"n={n!r} must be between 0 and the number of sentences available ({total})")
    alloc = np.minimum(size, min_per_stratum)
    if int(alloc.sum()) > n:
        raise ParameterError(
            f"n={n} is smaller than the minimum per stratum ({min_per_stratum}) times the {len(size)} strata "
            f"({int(alloc.sum())}); raise n or lower min_per_stratum"
        )
    target = n * size / total if total else np.zeros(len(size))
    for _ in range(n - int(alloc.sum())):
        shortfall = np.where(alloc < size, target - alloc, -np.inf)
        alloc[int(np.argmax(shortfall))] += 1
    return alloc


def make_coding_sheet(
    corpus: ProcessedCorpusLike,
    n: int,
    *,
    strata: str | None = "genre",
    min_per_stratum: int = 5,
    frames: Sequence[str] = FRAMES,
    random_state: int | None = None,
) -> pd.DataFrame:
    """Draw a stratified random sample of content sentences and lay it out as a blind coding sheet.

    Sampling: strata are the values of column ``strata`` (a column of ``corpus.documents`` such as
    ``genre``, or of ``corpus.sentences``), in sorted order; :func:`allocate_sample` gives each stratum
    a share proportional to its number of sentences with at least ``min_per_stratum`` sentences (all
    of them when it has fewer); within a stratum sentences are drawn uniformly without replacement with
    ``numpy.random.default_rng(random_state)``. ``strata=None`` draws a simple random sample.

    The sheet lists the sample in document order (doc_id, sent_id) with one content sentence of context
    before and after (blank at the start/end of a document) and empty frame, ``coder`` and ``notes``
    columns. It does not contain lexicon output.

    Parameters
    ----------
    corpus : ProcessedCorpus
        The processed corpus (its ``sentences`` table holds the content sentences).
    n : int
        Number of sentences to sample.
    strata : str or None, default "genre"
        Column defining the strata (looked up in ``sentences`` first, then ``documents``).
    min_per_stratum : int, default 5
        Minimum sample size per stratum.
    frames : sequence of str, default :data:`framing.types.FRAMES`
        One empty column per frame.
    random_state : int or None
        Seed; the same corpus, parameters and seed give the same sheet.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SHEET_COLUMNS` (with ``frames``), plus a ``stratum`` column after ``genre`` when
        ``strata`` is neither ``genre`` nor None.
    """
    sents = corpus.sentences.sort_values(["doc_id", "sent_id"], kind="stable").reset_index(drop=True)
    docs = corpus.documents
    genre = docs.set_index("doc_id")["genre"] if "genre" in docs.columns else None
    sheet = sents[["doc_id", "sent_id", "start", "end", "text"]].copy()
    sheet["genre"] = sheet["doc_id"].map(genre).fillna("") if genre is not None else ""
    same_doc_prev = sheet["doc_id"].eq(sheet["doc_id"].shift(1))
    same_doc_next = sheet["doc_id"].eq(sheet["doc_id"].shift(-1))
    sheet["context_before"] = sheet["text"].shift(1).where(same_doc_prev, "")
    sheet["context_after"] = sheet["text"].shift(-1).where(same_doc_next, "")

    if strata is None:
        stratum = pd.Series("all", index=sheet.index)
    elif strata in sents.columns:
        stratum = sents[strata].astype(str)
    elif strata in docs.columns:
        stratum = sheet["doc_id"].map(docs.set_index("doc_id")[strata]).astype(str)
    else:
        raise ParameterError(
            f"strata={strata!r} is not a column of the corpus sentences or documents "
            f"(documents have: {', '.join(map(str, docs.columns))})"
        )
    labels = sorted(stratum.unique())
    codes = stratum.map({lab: i for i, lab in enumerate(labels)}).to_numpy()
    sizes = np.bincount(codes, minlength=len(labels))
    alloc = allocate_sample(sizes.tolist(), n, min_per_stratum=min_per_stratum)
    rng = np.random.default_rng(random_state)
    chosen: list[np.ndarray] = []
    for i in range(len(labels)):
        members = np.flatnonzero(codes == i)
        chosen.append(rng.choice(members, size=int(alloc[i]), replace=False))
    picked = np.sort(np.concatenate(chosen)) if chosen else np.array([], dtype=np.int64)

    out = sheet.iloc[picked].reset_index(drop=True)
    columns = ["doc_id", "sent_id", "start", "end", "genre"]
    if strata not in (None, "genre"):
        out["stratum"] = stratum.iloc[picked].to_numpy()
        columns.append("stratum")
    columns += ["context_before", "text", "context_after"]
    out = out[columns]
    for col in (*frames, "coder", "notes"):
        out[col] = ""
    return out


def write_coding_sheet(sheet: pd.DataFrame, path: PathLike) -> Path:
    """Write a coding sheet as UTF-8 CSV atomically (through :func:`framing.io.write_csv`)."""
    from framing.io import write_csv

    return write_csv(sheet, path)


def _problem(path: Path, line: int | None, column: str | None, message: str) -> str:
    where = f"{path}"
    if line is not None:
        where += f", line {line}"
    if column is not None:
        where += f", column {column!r}"
    return f"{where}: {message}"


def _raise_problems(problems: list[str]) -> None:
    if not problems:
        return
    shown = problems[:_MAX_REPORTED]
    more = len(problems) - len(shown)
    msg = shown[0] if len(problems) == 1 else f"{len(problems)} problems in coding sheet:\n  " + "\n  ".join(shown)
    if more:
        msg += f"\n  ... and {more} more"
    raise ValidationSheetError(msg)


def read_coding_sheet(
    path: PathLike,
    *,
    corpus: ProcessedCorpusLike | None = None,
    frames: Sequence[str] = FRAMES,
    coder: str | None = None,
    unit_cols: Sequence[str] = ("doc_id", "sent_id"),
) -> pd.DataFrame:
    """Read and check one coded sheet (CSV, UTF-8).

    Checks, each reported with file, 1-based CSV line number and column:

    - required columns: the unit columns (``doc_id``, ``sent_id``) and one column per frame;
    - ``sent_id`` (and ``start``/``end`` when present and filled) are integers;
    - frame codes are ``0`` or ``1`` (surrounding spaces ignored). A blank code is an error unless the
      row's ``notes`` contains ``not coded`` (:data:`NOT_CODED`, any case): the blank cells of that row
      are then missing values (ignored by precision/recall, allowed by alpha);
    - no two rows have the same coder and unit;
    - with ``corpus``: every ``doc_id``/``sent_id`` is a content sentence of the corpus, and ``start``,
      ``end`` and ``text`` (when present and filled) match it (text compared with whitespace collapsed),
      so a sheet made from a different segmentation is caught.

    Coders: the ``coder`` column names the coder of each row; blank cells (or a missing column) take
    the ``coder`` argument, else the file name without extension. Several coders can share a file
    (``coder`` column) or use one file each (:func:`read_coding_sheets`).

    Parameters
    ----------
    path : str or PathLike
        The CSV file.
    corpus : ProcessedCorpus, optional
        Corpus to check ids and offsets against.
    frames : sequence of str, default :data:`framing.types.FRAMES`
        The frame columns to read.
    coder : str, optional
        Coder name for rows whose ``coder`` is blank.
    unit_cols : sequence of str, default ("doc_id", "sent_id")
        Columns identifying a unit; ``("doc_id",)`` for document-level sheets.

    Returns
    -------
    pandas.DataFrame
        The unit columns, ``start``/``end``/``text`` when present, the frames (nullable ``Int8``, <NA>
        for "not coded"), ``coder``, ``notes``, ``source`` (file path) and ``line`` (CSV line number).

    Raises
    ------
    ValidationSheetError
        Listing every problem found (the first 20), each with file, line and column.
    """
    p = Path(path)
    if not p.is_file():
        raise ValidationSheetError(f"{p}: coding sheet not found")
    int_cols = [c for c in unit_cols if c != "doc_id"]
    try:
        with p.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise ValidationSheetError(f"{p}, line 1: the file is empty (expected a header row)")
            header = [h.strip() for h in header]
            rows: list[list[str]] = []
            lines: list[int] = []
            problems: list[str] = []
            next_line = reader.line_num + 1
            for row in reader:
                if not any(cell.strip() for cell in row):
                    next_line = reader.line_num + 1
                    continue
                if len(row) != len(header):
                    problems.append(_problem(p, next_line, None, f"{len(row)} fields, the header has {len(header)}"))
                rows.append((row + [""] * len(header))[: len(header)])
                lines.append(next_line)
                next_line = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise ValidationSheetError(f"{p}: not UTF-8 text ({exc})") from exc
    except csv.Error as exc:
        raise ValidationSheetError(f"{p}: malformed CSV ({exc})") from exc

    dupe_cols = sorted({h for h in header if header.count(h) > 1})
    if dupe_cols:
        raise ValidationSheetError(f"{p}, line 1: duplicate column(s) {', '.join(map(repr, dupe_cols))}")
    if not rows:
        raise ValidationSheetError(f"{p}: no coded rows (only the header line); code the sheet's sentences first")
    missing = [c for c in (*unit_cols, *frames) if c not in header]
    if missing:
        raise ValidationSheetError(
            f"{p}, line 1: missing required column(s) {', '.join(map(repr, missing))} "
            f"(found: {', '.join(map(repr, header))})"
        )
    raw = pd.DataFrame(rows, columns=header, dtype=object)
    line = pd.Series(lines, dtype="int64")
    out = pd.DataFrame({"doc_id": raw["doc_id"].str.strip()}) if "doc_id" in unit_cols else pd.DataFrame()
    for c in unit_cols:
        if c != "doc_id":
            out[c] = raw[c].str.strip()

    def _ints(col: str, *, required: bool) -> pd.Series:
        vals = raw[col].str.strip()
        num = pd.to_numeric(vals.where(vals != ""), errors="coerce")
        bad = (vals != "") & (num.isna() | (num != num.round()))
        if required:
            bad |= vals == ""
        for i in np.flatnonzero(bad.to_numpy()):
            problems.append(_problem(p, int(line[i]), col, f"{vals[i]!r} is not an integer"))
        return num.where(~bad).astype("Float64").astype("Int64")

    for c in int_cols:
        out[c] = _ints(c, required=True)
    if "doc_id" in unit_cols:
        for i in np.flatnonzero((out["doc_id"] == "").to_numpy()):
            problems.append(_problem(p, int(line[i]), "doc_id", "blank doc_id"))
    for c in ("start", "end"):
        if c in header:
            out[c] = _ints(c, required=False)
    if "text" in header:
        out["text"] = raw["text"]

    notes = raw["notes"] if "notes" in header else pd.Series("", index=raw.index, dtype=object)
    not_coded = notes.str.lower().str.contains(NOT_CODED, regex=False)
    for f in frames:
        vals = raw[f].str.strip()
        ok = vals.isin(["0", "1"])
        blank_ok = (vals == "") & not_coded
        for i in np.flatnonzero((~ok & ~blank_ok).to_numpy()):
            if vals[i] == "":
                msg = f"blank code (write 0 or 1, or put {NOT_CODED!r} in notes to leave it missing)"
            else:
                msg = f"{vals[i]!r} is not a code (0 or 1)"
            problems.append(_problem(p, int(line[i]), f, msg))
        out[f] = pd.to_numeric(vals.where(ok), errors="coerce").astype("Int8")

    default_coder = coder if coder is not None else p.stem
    coders = raw["coder"].str.strip() if "coder" in header else pd.Series("", index=raw.index, dtype=object)
    out["coder"] = coders.where(coders != "", default_coder).astype(object)
    out["notes"] = notes.astype(object)
    out["source"] = str(p)
    out["line"] = line
    if corpus is not None and "doc_id" in unit_cols:
        out["doc_id"] = _safe_doc_ids(out["doc_id"], corpus.documents, p)

    key = [*unit_cols, "coder"]
    dup = out.duplicated(key, keep=False) & out[list(unit_cols)].notna().all(axis=1)
    if dup.any():
        for _, grp in out[dup].groupby(key, sort=False):
            first, *rest = grp["line"].tolist()
            unit = ", ".join(f"{c}={grp[c].tolist()[0]!r}" for c in unit_cols)  # plain values, not numpy reprs
            for ln in rest:
                problems.append(
                    _problem(
                        p,
                        int(ln),
                        unit_cols[-1],
                        f"duplicate row ({unit}, coder={grp['coder'].iloc[0]!r}; first at line {first})",
                    )
                )
    excluded = frozenset(getattr(corpus, "excluded", frozenset())) if corpus is not None else frozenset()
    if excluded and "doc_id" in unit_cols:
        # a sheet of the whole corpus read against a subset (genres): the rows of the documents left out are
        # not this analysis's, not errors
        outside = out["doc_id"].astype(str).isin(excluded)
        if outside.any():
            import warnings

            warnings.warn(f"{p}: {int(outside.sum())} coded row(s) of {out.loc[outside, 'doc_id'].nunique()} "
                          "document(s) outside the selected part of the corpus (genres) left out",
                          FramingWarning, stacklevel=3)
            out = out[~outside.to_numpy()]
    if corpus is not None:  # every problem in one pass: the rows whose unit columns could be read
        readable = out[list(unit_cols)].notna().all(axis=1)
        if "doc_id" in unit_cols:
            readable &= out["doc_id"] != ""
        problems.extend(_check_against_corpus(out[readable.to_numpy()], corpus, p, unit_cols))
    _raise_problems(problems)
    return out.reset_index(drop=True)


def _safe_doc_ids(doc_ids: pd.Series, documents: pd.DataFrame, path: Path) -> pd.Series:
    """Read the original ids of a corpus loaded with ``safe_ids=True`` as its safe ids, with a warning."""
    import warnings

    if "original_id" not in documents.columns:
        return doc_ids
    renamed = documents[documents["original_id"].astype(str) != documents["doc_id"].astype(str)]
    safe_of = pd.Series(renamed["doc_id"].astype(str).to_numpy(), index=renamed["original_id"].astype(str))
    mapped = doc_ids.map(safe_of)
    use = mapped.notna() & ~doc_ids.isin(set(documents["doc_id"].astype(str)))
    if not use.any():
        return doc_ids
    first = doc_ids[use].iloc[0]
    warnings.warn(f"{path}: {int(use.sum())} row(s) name documents by their original id (e.g. {first!r}, the "
                  f"corpus's {safe_of[first]!r}); read as the corpus's safe ids", FramingWarning, stacklevel=4)
    return doc_ids.where(~use, mapped)


def _check_against_corpus(
    coded: pd.DataFrame, corpus: ProcessedCorpusLike, path: Path, unit_cols: Sequence[str]
) -> list[str]:
    """Return problems for units unknown to the corpus or with offsets/text that do not match it."""
    problems: list[str] = []
    if tuple(unit_cols) == ("doc_id",):
        known_docs = set(corpus.documents["doc_id"].astype(str))
        for i in np.flatnonzero(~coded["doc_id"].isin(known_docs).to_numpy()):
            problems.append(
                _problem(path, int(coded["line"].iloc[i]), "doc_id", f"unknown doc_id {coded['doc_id'].iloc[i]!r}")
            )
        return problems
    sents = corpus.sentences[["doc_id", "sent_id", "start", "end", "text"]].copy()
    sents["doc_id"] = sents["doc_id"].astype(str)
    sents["sent_id"] = sents["sent_id"].astype("int64")
    left = coded[["doc_id", "sent_id", "line"]].copy()
    left["sent_id"] = left["sent_id"].astype("int64")
    merged = left.merge(
        sents.rename(columns={"start": "_start", "end": "_end", "text": "_text"}),
        on=["doc_id", "sent_id"],
        how="left",
        indicator=True,
    )
    known_docs = set(sents["doc_id"])
    for i in np.flatnonzero((merged["_merge"] == "left_only").to_numpy()):
        doc, sid, ln = merged["doc_id"].iloc[i], merged["sent_id"].iloc[i], int(merged["line"].iloc[i])
        if doc not in known_docs:
            problems.append(_problem(path, ln, "doc_id", f"unknown doc_id {doc!r}"))
        else:
            problems.append(_problem(path, ln, "sent_id", f"doc_id {doc!r} has no content sentence with sent_id {sid}"))
    found = (merged["_merge"] == "both").to_numpy()
    lines = coded["line"].to_numpy()
    for col in ("start", "end"):
        if col in coded.columns:
            mine = coded[col].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            theirs = merged[f"_{col}"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            for i in np.flatnonzero(found & ~np.isnan(mine) & (mine != theirs)):
                problems.append(
                    _problem(
                        path,
                        int(lines[i]),
                        col,
                        f"{int(mine[i])} does not match the corpus sentence ({int(theirs[i])}); "
                        "was the sheet made from a different segmentation?",
                    )
                )
    if "text" in coded.columns:
        mine_t = coded["text"].astype(str).str.replace(r"\s+", " ", regex=True).str.strip()
        theirs_t = merged["_text"].fillna("").astype(str).str.replace(r"\s+", " ", regex=True).str.strip()
        differs = found & (mine_t != "").to_numpy() & (mine_t.to_numpy() != theirs_t.to_numpy())
        for i in np.flatnonzero(differs):
            problems.append(
                _problem(
                    path,
                    int(lines[i]),
                    "text",
                    f"text differs from the corpus sentence {merged['_text'].iloc[i][:60]!r}...",
                )
            )
    return problems


def sheets_for_corpus(paths: Sequence[PathLike], corpus: ProcessedCorpusLike) -> tuple[list[Path], list[str]]:
    """Split coded sheets into those that belong to ``corpus`` and the reasons the others are skipped.

    A sheet is skipped when its file is missing, or when none of its ``doc_id`` values is a document of
    the corpus (a validation set made for another corpus, as when the study runs on a user's own corpus).
    A sheet that shares *some* documents with the corpus is kept: :func:`read_coding_sheets` then checks
    every row and refuses a misaligned one.

    Returns
    -------
    (list of Path, list of str)
        The usable sheets, and one message per skipped sheet naming it.
    """
    ids = set(corpus.documents["doc_id"].astype(str))
    usable: list[Path] = []
    skipped: list[str] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            skipped.append(f"{path}: not found")
            continue
        try:
            sheet_ids = set(pd.read_csv(path, usecols=["doc_id"], dtype=str, keep_default_na=False)["doc_id"])
        except ValueError:
            usable.append(path)  # no doc_id column: read_coding_sheets names the problem
            continue
        if sheet_ids and not sheet_ids & ids:
            skipped.append(f"{path}: codes documents of another corpus (none of its {len(sheet_ids)} doc_id(s) "
                           f"is in corpus {getattr(corpus, 'name', '')!r})")
        else:
            usable.append(path)
    return usable, skipped


def read_coding_sheets(
    paths: PathLike | Iterable[PathLike],
    *,
    corpus: ProcessedCorpusLike | None = None,
    frames: Sequence[str] = FRAMES,
    unit_cols: Sequence[str] = ("doc_id", "sent_id"),
) -> pd.DataFrame:
    """Read several coded sheets (one per coder, or any mix) into one long table.

    Each file is read with :func:`read_coding_sheet` (coder defaults to the file name). The same coder
    coding the same unit in two files is an error naming both files and lines.
    """
    plist: list[PathLike] = [paths] if isinstance(paths, str | os.PathLike) else list(paths)
    if not plist:
        raise ParameterError("read_coding_sheets needs at least one coded sheet (paths is empty)")
    parts = [read_coding_sheet(p, corpus=corpus, frames=frames, unit_cols=unit_cols) for p in plist]
    coded = pd.concat(parts, ignore_index=True)
    key = [*unit_cols, "coder"]
    dup = coded.duplicated(key, keep="first")
    if dup.any():
        problems = []
        firsts = coded[~dup].set_index(key)
        for _, row in coded[dup].iterrows():
            k = tuple(row[c] for c in key)
            ref = firsts.loc[k]
            problems.append(
                _problem(
                    Path(row["source"]),
                    int(row["line"]),
                    "coder",
                    f"coder {row['coder']!r} already coded this unit in {ref['source']} line {ref['line']}",
                )
            )
        _raise_problems(problems)
    return coded

