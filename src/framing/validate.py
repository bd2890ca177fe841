"""Validation of lexicon frames against human codes: coding sheets, agreement, error analysis.

The workflow has three steps.

1. **Coding sheet.** :func:`make_coding_sheet` draws a stratified random sample of content sentences and
   lays it out for human coders (:data:`SHEET_COLUMNS`): ids and character offsets, the genre, the
   sentence with one sentence of context on each side, one empty 0/1 column per frame, ``coder`` and
   ``notes``. The sheet never shows lexicon output, so coding is blind to the lexicon.
   :func:`write_coding_sheet` writes it as CSV through :mod:`framing.io`.
2. **Import.** :func:`read_coding_sheet` / :func:`read_coding_sheets` read coded sheets back and check
   them: required columns, codes in {0, 1}, integer ``sent_id``, known ``doc_id``/``sent_id`` (and
   matching offsets and text) against a corpus, no duplicate (coder, unit). Each problem is reported
   with :class:`framing.errors.ValidationSheetError` naming the file, the 1-based line of the CSV and the
   column. A blank code is an error unless the row's ``notes`` says ``not coded`` (then the blank
   cells of that row are missing values).
3. **Agreement.** :func:`agreement` compares lexicon predictions with the human codes: precision,
   recall and F1 per frame (with micro and macro averages and optional seeded bootstrap intervals),
   a 2x2 confusion table per frame, the misclassified units with their text, and Krippendorff's alpha
   (:func:`krippendorff_alpha`) between coders and between lexicon and coders.
   :func:`validate_lexicon` runs the lexicon on a corpus (:func:`framing.scoring.frame_table`) and
   calls :func:`agreement`; :func:`write_validation_report` writes the four tables.

The same functions work at document level (``unit_cols=("doc_id",)``): :func:`document_predictions`
aggregates sentence-level frames to documents with a threshold and :func:`parse_binary_codes` reads
True/False hand codes from a metadata table (for example the Narrative Frames Corpus), reporting
malformed cells instead of failing.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from framing.errors import ParameterError, ValidationSheetError
from framing.types import FRAMES, PathLike

if TYPE_CHECKING:
    from framing.corpus import ProcessedCorpus

__all__ = [
    "NOT_CODED",
    "SHEET_COLUMNS",
    "VALIDATION_SET_COLUMNS",
    "ValidationReport",
    "agreement",
    "allocate_sample",
    "coder_matrix",
    "document_predictions",
    "krippendorff_alpha",
    "make_coding_sheet",
    "parse_binary_codes",
    "read_coding_sheet",
    "read_coding_sheets",
    "sheets_for_corpus",
    "threshold_curve",
    "validate_lexicon",
    "write_coding_sheet",
    "write_validation_report",
]

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
_BOOT_CELLS = 4_000_000
AlphaLevel = Literal["nominal", "ordinal", "interval", "ratio"]


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
    corpus: ProcessedCorpus,
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
    corpus: ProcessedCorpus | None = None,
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

    key = [*unit_cols, "coder"]
    dup = out.duplicated(key, keep=False) & out[list(unit_cols)].notna().all(axis=1)
    if dup.any():
        for _, grp in out[dup].groupby(key, sort=False):
            first, *rest = grp["line"].tolist()
            unit = ", ".join(f"{c}={grp[c].iloc[0]!r}" for c in unit_cols)
            for ln in rest:
                problems.append(
                    _problem(
                        p,
                        int(ln),
                        unit_cols[-1],
                        f"duplicate row ({unit}, coder={grp['coder'].iloc[0]!r}; first at line {first})",
                    )
                )
    if corpus is not None and not problems:
        problems.extend(_check_against_corpus(out, corpus, p, unit_cols))
    _raise_problems(problems)
    return out.reset_index(drop=True)


def _check_against_corpus(
    coded: pd.DataFrame, corpus: ProcessedCorpus, path: Path, unit_cols: Sequence[str]
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


def sheets_for_corpus(paths: Sequence[PathLike], corpus: Any) -> tuple[list[Path], list[str]]:
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
    corpus: ProcessedCorpus | None = None,
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


# ---------------------------------------------------------------------------------------------------
# Krippendorff's alpha
# ---------------------------------------------------------------------------------------------------


def krippendorff_alpha(reliability_data: Any, *, level: AlphaLevel = "nominal") -> float:
    """Krippendorff's alpha for a coders-by-units table with missing values (NaN).

    Vectorised implementation of Krippendorff (2011), "Computing Krippendorff's alpha-reliability":
    values-by-units counts ``n_uc``; units with fewer than two values are not pairable and dropped;
    coincidences ``o_ck = sum_u (n_uc n_uk - [c = k] n_uc) / (m_u - 1)``; marginals ``n_c``; and
    ``alpha = 1 - (n - 1) sum o_ck d2_ck / sum n_c n_k d2_ck`` with the metric ``d2`` of ``level``
    (nominal: 0 if equal else 1; interval: squared difference; ordinal: squared rank distance from the
    marginals; ratio: squared ``(c - k) / (c + k)``).

    Parameters
    ----------
    reliability_data : array-like, shape (n_coders, n_units)
        Numeric codes; NaN (or None) for missing.
    level : {"nominal", "ordinal", "interval", "ratio"}, default "nominal"
        Level of measurement.

    Returns
    -------
    float
        Alpha; NaN when it is undefined (no pairable values, or a single value used throughout so
        the expected disagreement is zero).
    """
    if isinstance(reliability_data, np.ndarray):
        data = reliability_data.astype(float)
    else:
        data = pd.DataFrame(reliability_data).to_numpy(dtype=float, na_value=np.nan)
    if data.ndim != 2:
        raise ParameterError(f"reliability_data must be 2-D (coders x units), got shape {data.shape}")
    if level not in ("nominal", "ordinal", "interval", "ratio"):
        raise ParameterError(f"level={level!r} must be one of 'nominal', 'ordinal', 'interval', 'ratio'")
    mask = ~np.isnan(data)
    if not mask.any():
        return float("nan")
    values, inverse = np.unique(data[mask], return_inverse=True)
    n_units, n_cat = data.shape[1], len(values)
    unit_of = np.broadcast_to(np.arange(n_units), data.shape)[mask]
    counts = np.bincount(unit_of * n_cat + inverse, minlength=n_units * n_cat).reshape(n_units, n_cat)
    counts = counts.astype(float)
    m_u = counts.sum(axis=1)
    keep = m_u >= 2
    counts, m_u = counts[keep], m_u[keep]
    n = float(m_u.sum())
    if n == 0 or n_cat < 2:
        return float("nan")
    weighted = counts / (m_u - 1.0)[:, None]
    coinc = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    n_c = coinc.sum(axis=1)
    if level == "nominal":
        d2 = 1.0 - np.eye(n_cat)
    elif level == "interval":
        d2 = (values[:, None] - values[None, :]) ** 2
    elif level == "ratio":
        s = values[:, None] + values[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            d2 = np.where(s == 0, 0.0, ((values[:, None] - values[None, :]) / s) ** 2)
    else:  # ordinal
        cum = np.cumsum(n_c)
        lo = np.minimum.outer(np.arange(n_cat), np.arange(n_cat))
        hi = np.maximum.outer(np.arange(n_cat), np.arange(n_cat))
        between = cum[hi] - np.concatenate(([0.0], cum))[lo]
        d2 = (between - (n_c[:, None] + n_c[None, :]) / 2.0) ** 2
    expected = float((np.outer(n_c, n_c) * d2).sum())
    if expected == 0:
        return float("nan")
    observed = float((coinc * d2).sum())
    return 1.0 - (n - 1.0) * observed / expected


# ---------------------------------------------------------------------------------------------------
# Agreement between lexicon and human codes
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidationReport:
    """The tables of a validation run (see :func:`agreement` for their columns)."""

    metrics: pd.DataFrame
    confusion: pd.DataFrame
    misclassified: pd.DataFrame
    alpha: pd.DataFrame


def coder_matrix(coded: pd.DataFrame, frame: str, *, unit_cols: Sequence[str] = ("doc_id", "sent_id")) -> pd.DataFrame:
    """Units-by-coders table of one frame's codes (float, NaN where a coder did not code a unit).

    Rows are the units (sorted), columns the coders (sorted by name).
    """
    wide = coded.pivot(index=list(unit_cols), columns="coder", values=frame)
    wide = wide.sort_index().sort_index(axis=1)
    return wide.astype("float64")


def _majority(wide: pd.DataFrame) -> pd.Series:
    """Majority code per unit over non-missing coders; ties and units nobody coded are NaN."""
    mean = wide.mean(axis=1, skipna=True)
    return pd.Series(np.where(mean > 0.5, 1.0, np.where(mean < 0.5, 0.0, np.nan)), index=wide.index)


def _prf(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), np.nan)
        recall = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
    return precision, recall, f1


def _bootstrap_f1(
    gold: np.ndarray, pred: np.ndarray, n_boot: int, ci: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile CIs of F1 per frame, micro and macro; resampling units. Returns (low, high), each F+2."""
    n_units, _ = gold.shape
    valid = ~np.isnan(gold)
    g = np.nan_to_num(gold)
    tp_u = (valid & (g == 1) & (pred == 1)).astype(float)
    fp_u = (valid & (g == 0) & (pred == 1)).astype(float)
    fn_u = (valid & (g == 1) & (pred == 0)).astype(float)
    per_unit = np.column_stack([tp_u, fp_u, fn_u])  # units x 3F
    sums = np.empty((n_boot, per_unit.shape[1]))
    chunk = max(1, _BOOT_CELLS // max(n_units, 1))  # bounds memory: chunk x units resampling weights
    for lo in range(0, n_boot, chunk):
        b = min(chunk, n_boot - lo)
        idx = rng.integers(0, n_units, size=(b, n_units))
        flat = (np.arange(b)[:, None] * n_units + idx).ravel()
        weights = np.bincount(flat, minlength=b * n_units).reshape(b, n_units).astype(float)
        sums[lo : lo + b] = weights @ per_unit
    n_frames = tp_u.shape[1]
    tp, fp, fn = sums[:, :n_frames], sums[:, n_frames : 2 * n_frames], sums[:, 2 * n_frames :]
    _, _, f1 = _prf(tp, fp, fn)
    _, _, micro = _prf(tp.sum(axis=1), fp.sum(axis=1), fn.sum(axis=1))
    defined = ~np.isnan(f1)
    n_def = defined.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        macro = np.where(n_def > 0, np.where(defined, f1, 0.0).sum(axis=1) / n_def, np.nan)
    allf = np.column_stack([f1, micro, macro])
    alpha_tail = (1.0 - ci) / 2.0
    with np.errstate(all="ignore"):
        low = np.array([np.nanquantile(c, alpha_tail) if np.isfinite(c).any() else np.nan for c in allf.T])
        high = np.array([np.nanquantile(c, 1 - alpha_tail) if np.isfinite(c).any() else np.nan for c in allf.T])
    return low, high


def _metric_rows(
    gold: np.ndarray,
    pred: np.ndarray,
    frames: Sequence[str],
    reference: str,
    n_boot: int,
    ci: float,
    rng: np.random.Generator | None,
) -> pd.DataFrame:
    valid = ~np.isnan(gold)
    g = np.nan_to_num(gold)
    tp = (valid & (g == 1) & (pred == 1)).sum(axis=0).astype(float)
    fp = (valid & (g == 0) & (pred == 1)).sum(axis=0).astype(float)
    fn = (valid & (g == 1) & (pred == 0)).sum(axis=0).astype(float)
    tn = (valid & (g == 0) & (pred == 0)).sum(axis=0).astype(float)
    precision, recall, f1 = _prf(tp, fp, fn)
    rows = pd.DataFrame(
        {
            "frame": list(frames),
            "reference": reference,
            "n": (tp + fp + fn + tn).astype(int),
            "support": (tp + fn).astype(int),
            "predicted": (tp + fp).astype(int),
            "tp": tp.astype(int),
            "fp": fp.astype(int),
            "fn": fn.astype(int),
            "tn": tn.astype(int),
            "precision": precision,
            "recall": recall,
            "f1": f1,
        }
    )
    support, n_ref = tp + fn, tp + fp + fn + tn
    with np.errstate(divide="ignore", invalid="ignore"):
        baseline = np.where(n_ref > 0, 2 * support / (n_ref + support), np.nan)
        micro_baseline = 2 * support.sum() / (n_ref.sum() + support.sum()) if n_ref.sum() > 0 else np.nan
    rows["f1_baseline"] = baseline
    mp, mr, mf = _prf(np.array([tp.sum()]), np.array([fp.sum()]), np.array([fn.sum()]))
    with np.errstate(all="ignore"):
        macro = [float(np.nanmean(x)) if np.isfinite(x).any() else np.nan for x in (precision, recall, f1)]
    summary = pd.DataFrame(
        {
            "frame": ["micro", "macro"],
            "reference": reference,
            "n": [int(rows["n"].sum()), int(rows["n"].sum())],
            "support": [int(rows["support"].sum())] * 2,
            "predicted": [int(rows["predicted"].sum())] * 2,
            "tp": [int(tp.sum())] * 2,
            "fp": [int(fp.sum())] * 2,
            "fn": [int(fn.sum())] * 2,
            "tn": [int(tn.sum())] * 2,
            "precision": [float(mp[0]), macro[0]],
            "recall": [float(mr[0]), macro[1]],
            "f1": [float(mf[0]), macro[2]],
            "f1_baseline": [
                float(micro_baseline),
                float(np.nanmean(baseline)) if np.isfinite(baseline).any() else np.nan,
            ],
        }
    )
    out = pd.concat([rows, summary], ignore_index=True)
    if n_boot > 0 and rng is not None and gold.shape[0] > 0:
        low, high = _bootstrap_f1(gold, pred, n_boot, ci, rng)
        out["f1_low"], out["f1_high"] = low, high
    else:
        out["f1_low"], out["f1_high"] = np.nan, np.nan
    return out


def agreement(
    coded: pd.DataFrame,
    predicted: pd.DataFrame,
    *,
    frames: Sequence[str] = FRAMES,
    unit_cols: Sequence[str] = ("doc_id", "sent_id"),
    n_boot: int = 0,
    ci: float = 0.95,
    random_state: int | None = None,
) -> ValidationReport:
    """Compare lexicon predictions with human codes.

    Reference codes: ``majority`` is the majority code of the coders of each unit (over the coders who
    coded it; ties are missing and left out); with one coder it is that coder. With two or more coders,
    metrics are also given against each coder separately (``reference`` = coder name).

    Parameters
    ----------
    coded : pandas.DataFrame
        Long table of human codes (one row per coder and unit), as returned by
        :func:`read_coding_sheets`: the unit columns, ``coder`` and one 0/1 column per frame (missing
        values allowed).
    predicted : pandas.DataFrame
        One row per unit with 0/1 columns per frame (for example :func:`framing.scoring.frame_table`);
        optional ``start``, ``end``, ``text`` and ``n_<frame>`` columns are carried into the
        misclassified table. Every coded unit must be in it.
    frames : sequence of str
        Frame columns to compare.
    unit_cols : sequence of str, default ("doc_id", "sent_id")
        Columns identifying a unit (``("doc_id",)`` at document level).
    n_boot : int, default 0
        Bootstrap replicates for F1 confidence intervals (resampling units with replacement); 0 skips.
    ci : float, default 0.95
        Coverage of the percentile bootstrap intervals.
    random_state : int, optional
        Seed of the bootstrap.

    Returns
    -------
    ValidationReport
        ``metrics``: frame (each frame, then ``micro`` and ``macro``), reference, n (units with a
        reference code), support (positives in the reference), predicted (positives predicted), tp, fp,
        fn, tn, precision, recall, f1 (NaN when undefined: no predicted positives for precision, no
        reference positives for recall, neither for F1; macro averages the defined values),
        f1_baseline (F1 of the trivial rule "every unit has the frame", ``2 support / (n + support)``:
        a lexicon is only useful where it beats it), f1_low, f1_high (bootstrap interval, NaN without
        bootstrap). ``confusion``: frame, reference, human (0/1), lexicon_0, lexicon_1 (counts).
        ``misclassified``: unit columns, start, end, frame, error (``false_positive`` /
        ``false_negative``), human, lexicon, n_hits, text, against the majority reference.
        ``alpha``: frame, comparison (``coders``: human coders only; ``lexicon+coders``: the lexicon as
        one more coder; ``lexicon~majority``; ``lexicon~<coder>`` with several coders), n_coders, n_units
        (units with at least two values), alpha (nominal; NaN when undefined).
    """
    unit_cols = list(unit_cols)
    frames = list(frames)
    for name, df, need in (
        ("coded", coded, [*unit_cols, "coder", *frames]),
        ("predicted", predicted, [*unit_cols, *frames]),
    ):
        missing = [c for c in need if c not in df.columns]
        if missing:
            raise ParameterError(f"{name} table lacks column(s) {', '.join(map(repr, missing))}")
    if not 0 < ci < 1:
        raise ParameterError(f"ci={ci!r} must be between 0 and 1")
    if n_boot < 0:
        raise ParameterError(f"n_boot={n_boot!r} must be >= 0")
    coded = coded.copy()
    predicted = predicted.copy()
    for df in (coded, predicted):
        if "doc_id" in unit_cols:
            df["doc_id"] = df["doc_id"].astype(str)
        for c in unit_cols:
            if c != "doc_id":
                df[c] = df[c].astype("int64")
    if predicted.duplicated(unit_cols).any():
        raise ParameterError(f"predicted table has duplicate units ({', '.join(unit_cols)})")

    wides = {f: coder_matrix(coded, f, unit_cols=unit_cols) for f in frames}
    units = wides[frames[0]].index if frames else pd.Index([])
    coders = list(wides[frames[0]].columns) if frames else []
    pred_idx = predicted.set_index(unit_cols).sort_index()
    missing_units = units.difference(pred_idx.index)
    if len(missing_units):
        raise ParameterError(
            f"{len(missing_units)} coded unit(s) are not in the predictions, e.g. {list(missing_units[:3])!r}"
        )
    pred = pred_idx.loc[units, frames].to_numpy(dtype=float)
    if not np.isin(pred, (0.0, 1.0)).all():
        raise ParameterError("predicted frame columns must be 0/1")
    rng = np.random.default_rng(random_state) if n_boot > 0 else None

    references: dict[str, np.ndarray] = {
        "majority": np.column_stack([_majority(wides[f]).to_numpy() for f in frames])
        if frames
        else np.empty((len(units), 0))
    }
    if len(coders) > 1:
        for c in coders:
            references[str(c)] = np.column_stack([wides[f][c].to_numpy() for f in frames])
    metrics = pd.concat(
        [_metric_rows(gold, pred, frames, ref, n_boot, ci, rng) for ref, gold in references.items()],
        ignore_index=True,
    )

    conf_rows = []
    for ref, gold in references.items():
        for j, f in enumerate(frames):
            for h in (0, 1):
                sel = gold[:, j] == h
                conf_rows.append(
                    {
                        "frame": f,
                        "reference": ref,
                        "human": h,
                        "lexicon_0": int((sel & (pred[:, j] == 0)).sum()),
                        "lexicon_1": int((sel & (pred[:, j] == 1)).sum()),
                    }
                )
    confusion = pd.DataFrame(conf_rows, columns=["frame", "reference", "human", "lexicon_0", "lexicon_1"])

    gold = references["majority"]
    extra = [c for c in ("start", "end", "text") if c in pred_idx.columns]
    mis_parts = []
    for j, f in enumerate(frames):
        fp_mask = (gold[:, j] == 0) & (pred[:, j] == 1)
        fn_mask = (gold[:, j] == 1) & (pred[:, j] == 0)
        for err, m in (("false_positive", fp_mask), ("false_negative", fn_mask)):
            if not m.any():
                continue
            part = pred_idx.loc[units[m], extra].reset_index()
            part["frame"] = f
            part["error"] = err
            part["human"] = gold[m, j].astype(int)
            part["lexicon"] = pred[m, j].astype(int)
            hits_col = f"n_{f}"
            part["n_hits"] = pred_idx.loc[units[m], hits_col].to_numpy() if hits_col in pred_idx.columns else pd.NA
            mis_parts.append(part)
    mis_cols = [
        *unit_cols,
        *[c for c in ("start", "end") if c in extra],
        "frame",
        "error",
        "human",
        "lexicon",
        "n_hits",
        *(["text"] if "text" in extra else []),
    ]
    misclassified = (
        pd.concat(mis_parts, ignore_index=True)[mis_cols]
        .sort_values([*unit_cols, "frame"], kind="stable")
        .reset_index(drop=True)
        if mis_parts
        else pd.DataFrame(columns=mis_cols)
    )

    alpha_rows = []
    for j, f in enumerate(frames):
        human = wides[f].to_numpy().T  # coders x units
        comparisons: list[tuple[str, np.ndarray]] = [
            ("coders", human),
            ("lexicon+coders", np.vstack([human, pred[:, j][None, :]])),
            ("lexicon~majority", np.vstack([gold[:, j][None, :], pred[:, j][None, :]])),
        ]
        if len(coders) > 1:
            comparisons += [
                (f"lexicon~{c}", np.vstack([human[k][None, :], pred[:, j][None, :]])) for k, c in enumerate(coders)
            ]
        for name, table in comparisons:
            pairable = int(((~np.isnan(table)).sum(axis=0) >= 2).sum())
            a = krippendorff_alpha(table) if table.shape[0] >= 2 else float("nan")
            alpha_rows.append(
                {
                    "frame": f,
                    "comparison": name,
                    "n_coders": int(table.shape[0]),
                    "n_units": pairable,
                    "alpha": a,
                }
            )
    alpha = pd.DataFrame(alpha_rows, columns=["frame", "comparison", "n_coders", "n_units", "alpha"])
    return ValidationReport(metrics=metrics, confusion=confusion, misclassified=misclassified, alpha=alpha)


def validate_lexicon(
    corpus: ProcessedCorpus,
    coded: pd.DataFrame,
    *,
    lexicon: Any = "blame_frames",
    frames: Sequence[str] = FRAMES,
    n_boot: int = 0,
    random_state: int | None = None,
    **frame_table_kwargs: Any,
) -> ValidationReport:
    """Score ``corpus`` with ``lexicon`` (:func:`framing.scoring.frame_table`) and compare with ``coded``.

    ``coded`` comes from :func:`read_coding_sheets` (sentence units). Extra keyword arguments go to
    ``frame_table``. See :func:`agreement` for the tables returned.
    """
    from framing.scoring import frame_table

    table = frame_table(corpus, lexicon=lexicon, **frame_table_kwargs)
    return agreement(coded, table, frames=frames, n_boot=n_boot, random_state=random_state)


def write_validation_report(report: ValidationReport, out_dir: PathLike) -> dict[str, Path]:
    """Write metrics.csv, confusion.csv, misclassified.csv and alpha.csv to ``out_dir`` atomically."""
    from framing.io import write_csv

    out = Path(out_dir)
    return {
        name: write_csv(getattr(report, name), out / f"{name}.csv")
        for name in ("metrics", "confusion", "misclassified", "alpha")
    }


# ---------------------------------------------------------------------------------------------------
# Document level: aggregating sentence frames, reading True/False hand codes
# ---------------------------------------------------------------------------------------------------


def document_predictions(
    table: pd.DataFrame,
    frames: Sequence[str] = FRAMES,
    *,
    threshold: float = 1,
    measure: Literal["sentences", "hits", "share"] = "sentences",
    documents: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Aggregate a sentence-level frame table to documents and threshold it.

    Parameters
    ----------
    table : pandas.DataFrame
        Sentence-level table with ``doc_id``, one 0/1 column per frame and (for ``measure="hits"``)
        ``n_<frame>`` hit counts, as from :func:`framing.scoring.frame_table`.
    frames : sequence of str
        Frame columns.
    threshold : float, default 1
        A document carries a frame when its score is ``>= threshold``.
    measure : {"sentences", "hits", "share"}, default "sentences"
        Score per document: number of sentences with the frame, number of lexicon hits, or share of
        the document's content sentences with the frame.
    documents : iterable of str, optional
        All document ids, so that documents without content sentences get score 0.

    Returns
    -------
    pandas.DataFrame
        doc_id, one 0/1 column per frame, and ``score_<frame>`` with the score thresholded.
    """
    if measure not in ("sentences", "hits", "share"):
        raise ParameterError(f"measure={measure!r} must be 'sentences', 'hits' or 'share'")
    cols = [f"n_{f}" for f in frames] if measure == "hits" else list(frames)
    missing = [c for c in ("doc_id", *cols) if c not in table.columns]
    if missing:
        raise ParameterError(f"table lacks column(s) {', '.join(map(repr, missing))} for measure={measure!r}")
    grouped = table.assign(doc_id=table["doc_id"].astype(str)).groupby("doc_id", sort=True)[cols]
    scores = grouped.mean() if measure == "share" else grouped.sum()
    scores.columns = [f"score_{f}" for f in frames]
    if documents is not None:
        scores = scores.reindex(sorted({*map(str, documents), *scores.index}), fill_value=0)
    out = pd.DataFrame(index=scores.index)
    for f in frames:
        out[f] = (scores[f"score_{f}"] >= threshold).astype("int8")
    out = pd.concat([out, scores.astype(float)], axis=1)
    return out.reset_index().rename(columns={"index": "doc_id"})


def threshold_curve(
    scores: pd.DataFrame,
    gold: pd.DataFrame,
    frames: Sequence[str],
    thresholds: Sequence[float],
) -> pd.DataFrame:
    """Precision, recall and F1 per frame as the document threshold varies.

    ``scores`` has doc_id and ``score_<frame>`` (from :func:`document_predictions`); ``gold`` has doc_id
    and one 0/1 column per frame (missing allowed). Returns frame, threshold, precision, recall, f1,
    predicted (number of positive predictions). Choosing the threshold on the same codes the metrics
    are computed on overstates performance: use it to describe sensitivity, not to tune.
    """
    score_cols = [f"score_{f}" for f in frames]
    merged = gold[["doc_id", *frames]].merge(scores[["doc_id", *score_cols]], on="doc_id", how="inner")
    rows = []
    for f in frames:
        g = merged[f].to_numpy(dtype=float, na_value=np.nan)
        s = merged[f"score_{f}"].to_numpy(dtype=float)
        valid = ~np.isnan(g)
        th = np.asarray(thresholds, dtype=float)
        p = (s[None, :] >= th[:, None]) & valid[None, :]
        pos = (g == 1) & valid
        tp = (p & pos).sum(axis=1).astype(float)
        fp = (p & ~pos).sum(axis=1).astype(float)
        fn = (~p & pos[None, :]).sum(axis=1).astype(float)
        precision, recall, f1 = _prf(tp, fp, fn)
        rows.append(
            pd.DataFrame(
                {
                    "frame": f,
                    "threshold": th,
                    "precision": precision,
                    "recall": recall,
                    "f1": f1,
                    "predicted": (tp + fp).astype(int),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def parse_binary_codes(
    table: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    id_col: str = "doc_id",
    true_values: Iterable[str] = ("true", "1", "yes"),
    false_values: Iterable[str] = ("false", "0", "no"),
    coder: str = "human",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read binary hand codes (True/False, 1/0, yes/no) from a metadata table, reporting bad cells.

    Cells are compared case-insensitively after stripping spaces; anything else (blank, ``False)``,
    ``maybe``) is a missing value and reported, never guessed.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per document, e.g. ``corpus.documents``.
    columns : mapping of str to str
        Source column -> frame name (e.g. ``{"RE": "resolution", ...}``).
    id_col : str, default "doc_id"
        Document id column.
    true_values, false_values : iterable of str
        Accepted spellings (lower case).
    coder : str, default "human"
        Value of the ``coder`` column of the result.

    Returns
    -------
    (codes, problems) : tuple of pandas.DataFrame
        ``codes``: doc_id, one nullable Int8 column per frame, coder — ready for :func:`agreement`
        with ``unit_cols=("doc_id",)``. ``problems``: doc_id, row (0-based position in ``table``),
        column, value for every cell that is not a valid code.
    """
    missing = [c for c in (id_col, *columns) if c not in table.columns]
    if missing:
        raise ParameterError(f"table lacks column(s) {', '.join(map(repr, missing))}")
    trues = {str(v).lower() for v in true_values}
    falses = {str(v).lower() for v in false_values}
    codes = pd.DataFrame({"doc_id": table[id_col].astype(str).to_numpy()})
    problems = []
    for src, frame in columns.items():
        raw = table[src]
        text = raw.astype("string").str.strip().str.lower().fillna("")
        # booleans (already parsed by a reader) map directly
        is_true = text.isin(trues).to_numpy()
        is_false = text.isin(falses).to_numpy()
        vals = np.where(is_true, 1, np.where(is_false, 0, -1))
        codes[frame] = pd.Series(vals).where(vals >= 0).astype("Int8")
        for i in np.flatnonzero(vals < 0):
            problems.append(
                {
                    "doc_id": codes["doc_id"].iloc[i],
                    "row": int(i),
                    "column": src,
                    "value": "" if pd.isna(raw.iloc[i]) else str(raw.iloc[i]),
                }
            )
    codes["coder"] = coder
    return codes, pd.DataFrame(problems, columns=["doc_id", "row", "column", "value"])
