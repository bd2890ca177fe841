"""Reading a corpus source into a documents table: the checks of :func:`framing.corpus.load_corpus`.

Private: :mod:`framing.corpus` re-exports every name used elsewhere (``from framing.corpus import
verify_manifest``). A folder (``.txt`` files and ``metadata.csv``, an optional ``SHA256SUMS`` manifest) is
checked by :func:`folder_index`; a table file (CSV, TSV, JSONL, Parquet) by :func:`documents_from_table`; both
give one row per document (``doc_id``, ``genre``, metadata, ``source_path``, ``text``) and every problem is a
:class:`~framing.errors.CorpusError` naming the file, the lines or rows and the column (the bytes are read by
:mod:`framing.rawio`). :mod:`framing.backends` reads partitions of a large corpus with the same checks.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from framing._corpus_columns import LOADER_COLUMNS, keep_own_columns, mixed_as_text
from framing.errors import CorpusError, RawDataChangedError
from framing.io import sha256_file
from framing.paths import check_finished_run
from framing.rawio import (
    CorpusWarning,
    _report_skipped,
    as_id,
    bad_records,
    check_cells,
    decode_text,
    read_delimited,
    read_jsonl,
)
from framing.types import PathLike, group_label, with_article

__all__ = ["OptionStyle", "check_documents", "check_safe_id_clashes", "documents_from_table", "drop_empty_documents",
           "folder_index", "read_folder_texts", "safe_id", "verify_manifest"]

_UNSAFE_ID = re.compile(r"[/\\\x00-\x1f]|^\.|\.\.")
_SEPARATOR = re.compile(r"[/\\]")


OptionStyle = Literal["parameter", "flag"]
"""How messages name the column options: ``id_col`` (API, notebooks, ``framing run``) or ``--id-col`` (CLI)."""


def _option(name: str, style: OptionStyle) -> str:
    return name if style == "parameter" else "--" + name.replace("_", "-")


def _check_ids(ids: list[str], where: str, option: str | None, safe_option: str | None = None) -> None:
    unsafe = [i for i in ids if not i or _UNSAFE_ID.search(i)]
    if unsafe:
        shown = ", ".join(repr(i) for i in unsafe[:20]) + (f" and {len(unsafe) - 20} more" if len(unsafe) > 20 else "")
        fix = f" or choose another {option}" if option else ""
        example = "'business/001' -> 'business_001'"
        how = (f"load with {safe_option} to rewrite them ({example}, the original kept in column 'original_id') or "
               "rewrite them yourself") if safe_option else f"rewrite them ({example})"
        raise CorpusError(f"{where}: {len(unsafe)} unsafe doc_id(s) (empty, path separators, '..', leading '.', "
                          f"control characters): {shown}. Ids name output rows and files: {how}{fix}")


_UNSAFE_CHAR = re.compile(r"[/\\\x00-\x1f]")


def safe_id(doc_id: str) -> str:
    """Return ``doc_id`` as a safe file name (``'business/001'`` -> ``'business_001'``).

    Path separators and control characters become ``_``, a leading ``.`` becomes ``_`` and each ``..`` becomes
    ``__``; a safe id is unchanged. The rule of ``load_corpus(..., safe_ids=True)``.
    """
    return str(_safe_ids(pd.Series([doc_id], dtype=object)).iloc[0])


def _safe_ids(ids: pd.Series) -> pd.Series:
    """:func:`safe_id` of every id of ``ids`` (vectorised)."""
    out = ids.str.replace(_UNSAFE_CHAR, "_", regex=True).str.replace(r"^\.", "_", regex=True)
    return out.str.replace("..", "__", regex=False)


def _rewrite_ids(ids: list[str], where: str, df: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Return the safe ids and the originals (``safe_ids=True``); refuse when two ids would become one."""
    if "original_id" in df.columns:
        raise CorpusError(f"{where}: the table already has a column 'original_id', which safe ids would fill; "
                          "rename it")
    new = _safe_ids(pd.Series(ids, dtype=object))
    check_safe_id_clashes(new.tolist(), ids, where)
    return new.tolist(), ids


def check_safe_id_clashes(new: Sequence[str], originals: Sequence[str], where: str) -> None:
    """Refuse safe ids ``new`` that two different ``originals`` share (``'a/b'`` and ``'a_b'`` -> ``'a_b'``).

    The one check of ``safe_ids=True`` for a whole table and, in :mod:`framing.backends`, across partitions.

    Raises
    ------
    CorpusError
        Naming ``where`` and every group of original ids that would share an id.
    """
    pairs = pd.DataFrame({"old": list(originals), "new": list(new)}, dtype=object).drop_duplicates()
    shared = pairs["new"].duplicated(keep=False).to_numpy()
    if shared.any():
        groups = pairs[shared].groupby("new", sort=True)["old"].agg(list)
        clashes = [f"{' and '.join(map(repr, olds))} -> {n!r}" for n, olds in groups.items()]
        raise CorpusError(f"{where}: safe ids would make {len(clashes)} group(s) of documents share an id: "
                          f"{'; '.join(clashes[:10])}{' ...' if len(clashes) > 10 else ''}; rewrite the ids yourself")


def verify_manifest(directory: PathLike) -> list[str]:
    """Verify ``directory/SHA256SUMS``; return the names checked.

    Raises
    ------
    RawDataChangedError
        Naming every file that is missing or whose SHA-256 differs from the manifest.
    """
    d = Path(directory)
    manifest = d / "SHA256SUMS"
    if not manifest.is_file():
        raise RawDataChangedError(f"{manifest}: manifest not found")
    bad: list[str] = []
    names: list[str] = []
    for lineno, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split(maxsplit=1)
        if len(parts) != 2 or len(parts[0]) != 64:
            raise RawDataChangedError(f"{manifest}:{lineno}: malformed line {line!r}")
        digest, name = parts[0].lower(), parts[1].lstrip("*").strip()
        names.append(name)
        path = d / name
        if not path.is_file():
            bad.append(f"{path} (missing)")
        elif sha256_file(path) != digest:
            bad.append(f"{path} (SHA-256 differs from the manifest)")
    if bad:
        raise RawDataChangedError("raw data changed; refusing to run: " + "; ".join(bad)
                                  + ". Raw data is immutable: restore the files (git checkout -- data/raw)")
    return names


def _unsafe_file_names(folder: Path, listed: list[str], lines: list[int]) -> list[str]:
    """Metadata ``file`` values that would make unsafe doc_ids, each with its line and why."""
    out = []
    for name, line in zip(listed, lines, strict=True):
        if not _UNSAFE_ID.search(name):
            continue
        why = ("contains a path separator: a doc_id (the file stem) names output rows and files, and only files "
               "directly in the corpus folder are read" if _SEPARATOR.search(name)
               else "the doc_id (the file stem) would be hidden, climb folders or hold control characters")
        exists = f"; {folder / name} exists: move it into {folder} under a plain name" \
            if _SEPARATOR.search(name) and (folder / name).is_file() else ""
        out.append(f"line {line}: unsafe file name {name!r} ({why}{exists})")
    return out


def _repeated(values: list[str]) -> list[str]:
    """Return the values that occur more than once, sorted (linear: a folder may hold 100,000 files)."""
    return sorted(v for v, n in Counter(values).items() if n > 1)


def duplicate_ids_message(where: str, id_col: str, ids: Sequence[str], locations: Sequence[str]) -> str | None:
    """Name the ids of ``ids`` that occur more than once, each with its ``locations`` (lines); ``None`` if none.

    The one message of a repeated id, in memory (:func:`documents_from_table`) and across the partitions of
    :func:`framing.backends.run_partitioned`: ``WHERE: duplicate doc_id(s) in column 'doc_id': 'a' (line 1,
    line 4)``, at most 50 ids listed.
    """
    dups = set(_repeated(list(ids)))
    if not dups:
        return None
    places: dict[str, list[str]] = {}
    for i, w in zip(ids, locations, strict=True):  # one entry a document, not a hot path
        if i in dups:
            places.setdefault(i, []).append(w)
    shown = [f"{i!r} ({', '.join(places[i])})" for i in sorted(places)]
    more = f" and {len(shown) - 50} more" if len(shown) > 50 else ""
    return f"{where}: duplicate doc_id(s) in column {id_col!r}: " + "; ".join(shown[:50]) + more


def folder_index(folder: Path, issues: list[str], genre_col: str = "genre") -> pd.DataFrame:
    """Return the documents of a corpus folder without their texts: ``doc_id``, ``genre``, metadata, ``source_path``.

    Every check of :func:`framing.corpus.load_corpus` on the folder and its ``metadata.csv`` runs here; the texts
    are read by the caller (all at once, or partition by partition in :mod:`framing.backends`). ``genre_col`` is
    the metadata column that groups the documents; the file's own ``genre``, ``doc_id`` or ``source_path``
    columns are kept as ``original_genre`` ... (:func:`framing._corpus_columns.keep_own_columns`).
    """
    if (folder / "SHA256SUMS").is_file():
        verify_manifest(folder)
    meta_path = folder / "metadata.csv"
    check_finished_run(folder)
    if not meta_path.is_file():
        raise CorpusError(f"{folder}: a corpus folder needs a metadata.csv (columns: file, genre, ...)")
    meta, lines = read_delimited(meta_path, ",", issues, key_cols=("file", genre_col), genre_col=genre_col)
    missing_cols = [c for c in ("file", genre_col) if c not in meta.columns]
    if missing_cols:
        raise CorpusError(f"{meta_path}: missing required column(s) {missing_cols}; found {list(meta.columns)}")
    meta = keep_own_columns(meta, {"genre_col": genre_col}, meta_path)
    locations = [f"line {n}" for n in lines]
    empty_cells = [*check_cells(meta["file"], "column 'file'", "every row names a .txt file", locations, False),
                   *check_cells(meta[genre_col], f"column {genre_col!r}",
                                f"every document needs {with_article(group_label(genre_col))}", locations, False)]
    if empty_cells:
        raise CorpusError(f"{meta_path}: " + "; ".join(empty_cells))
    files = {p.name: p for p in sorted(folder.glob("*.txt"))}
    problems: list[str] = []
    listed = meta["file"].astype(str).tolist()
    unsafe = _unsafe_file_names(folder, listed, lines)
    if unsafe:
        problems.append("; ".join(unsafe))
    dup_rows = _repeated(listed)
    if dup_rows:
        problems.append(f"files listed more than once in metadata.csv: {dup_rows}")
    stems = [Path(f).stem for f in listed]
    dup_ids = sorted(set(_repeated(stems)) - {Path(f).stem for f in dup_rows})
    if dup_ids:
        problems.append(f"duplicate doc_id(s) (file stems): {dup_ids}")
    no_file = [f for f in dict.fromkeys(listed) if f not in files and not _UNSAFE_ID.search(f)]
    if no_file:
        line_of: dict[str, int] = {}
        for f, n in zip(listed, lines, strict=True):  # one row a document, not a hot path
            line_of.setdefault(f, n)
        problems.append("metadata rows without a file: " + ", ".join(
            f"{f!r} (metadata.csv line {line_of[f]})" for f in no_file[:50])
            + (f" and {len(no_file) - 50} more" if len(no_file) > 50 else ""))
    listed_set = set(listed)
    no_meta = [f for f in files if f not in listed_set]
    if no_meta:
        problems.append(f"files without a metadata row: {no_meta}")
    if problems:
        raise CorpusError(f"{folder}: " + "; ".join(problems))
    _check_ids(stems, str(meta_path), None)
    if genre_col in LOADER_COLUMNS:  # the group, where its column was
        out = meta.drop(columns=["file"]).rename(columns={genre_col: "genre"})
    else:  # ... and its own column too, as for a table (documents_from_table)
        out = meta.drop(columns=["file"])
        out.insert(0, "genre", meta[genre_col].to_numpy())
    out["genre"] = out["genre"].map(as_id)  # as a table's genres are (" news " -> "news"), so processing keeps them
    out.insert(0, "doc_id", stems)
    out["source_path"] = [str(files[f]) for f in listed]
    return out


def read_folder_texts(rows: pd.DataFrame, folder: str, issues: list[str], on_bad_record: str,
                      skipped: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Read the file of each row of a corpus folder (``source_path``) as text: the one reader of folder files.

    Used for a whole folder (:func:`framing.corpus.load_corpus`) and for a partition of one
    (:mod:`framing.backends.partitions`). A file that cannot be read as text (missing, binary, a byte-order mark
    that does not fit) is a bad record of ``folder`` (:func:`framing.rawio.bad_records`: every bad file listed,
    not the first only). Returns the rows read, with a ``text`` column (index from 0), and the messages of the
    files that were not.
    """
    texts: list[str | None] = []
    unreadable: list[str] = []
    for f in rows["source_path"]:  # one file a document, not a hot path
        try:
            texts.append(decode_text(Path(f).read_bytes(), f, issues))
        except (OSError, CorpusError) as exc:
            unreadable.append(str(exc))
            texts.append(None)
    bad_records(folder, unreadable, on_bad_record, skipped)
    out = rows.reset_index(drop=True)
    out["text"] = texts
    return out[out["text"].notna()].reset_index(drop=True), unreadable


def _load_folder(folder: Path, issues: list[str], on_bad_record: str = "fail",
                 skipped: list[str] | None = None, genre_col: str = "genre") -> pd.DataFrame:
    """Read every file of a corpus folder (:func:`read_folder_texts`); say which were skipped."""
    out, unreadable = read_folder_texts(folder_index(folder, issues, genre_col), str(folder), issues, on_bad_record,
                                        skipped if skipped is not None else [])
    _report_skipped(folder, "file(s)", unreadable, issues)
    return out


def _table_format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    ext = suffixes[-1] if suffixes else ""
    formats = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
               ".json": "jsonl", ".parquet": "parquet", ".pq": "parquet"}
    if ext not in formats:
        raise CorpusError(f"{path}: unsupported corpus file type {ext or '(none)'!r}; use a folder with "
                          "metadata.csv, or .csv/.tsv/.jsonl/.parquet (optionally .gz)")
    return formats[ext]


def _load_table(path: Path, id_col: str, text_col: str, genre_col: str, issues: list[str],
                style: OptionStyle, on_bad_record: str = "fail", skipped: list[str] | None = None,
                safe_ids: bool = False) -> pd.DataFrame:
    fmt = _table_format(path)
    if fmt == "parquet":
        df = pd.read_parquet(path)
        locations = [f"row {i}" for i in range(1, len(df) + 1)]
    else:
        if fmt == "jsonl":
            df, lines = read_jsonl(path, issues, on_bad_record, skipped)
        else:
            df, lines = read_delimited(path, "," if fmt == "csv" else "\t", issues, key_cols=(id_col, genre_col),
                                       genre_col=genre_col, skipped=skipped)
        locations = [f"line {n}" for n in lines]
    return documents_from_table(df, path, locations, id_col, text_col, genre_col, style, safe_ids)


def documents_from_table(df: pd.DataFrame, path: Path, locations: list[str], id_col: str, text_col: str,
                         genre_col: str, style: OptionStyle, safe_ids: bool = False) -> pd.DataFrame:
    """Check the rows ``df`` read from ``path`` (``locations`` name them) and give the documents columns.

    ``safe_ids``: rewrite unsafe ids with :func:`safe_id`, the originals in a column ``original_id``.
    """
    options = {"id_col": id_col, "text_col": text_col, "genre_col": genre_col}
    missing = [f"{c!r} ({_option(o, style)})" for o, c in options.items() if c not in df.columns]
    if missing:
        raise CorpusError(f"{path}: missing column(s) {', '.join(missing)}; the file has columns "
                          f"{list(map(str, df.columns))}")
    df = keep_own_columns(df, options, path)
    names = {o: (c, f"column {c!r} ({_option(o, style)})") for o, c in options.items()}
    ids = _checked_cells(df, path, locations, names)
    originals = None
    if safe_ids:
        ids, originals = _rewrite_ids(ids, f"{path} column {id_col!r}", df)
    _check_ids(ids, f"{path} column {id_col!r}", _option("id_col", style),
               "safe_ids=True" if style == "parameter" else "--safe-ids")
    texts = df[text_col]
    # the grouping column stays too, under its own name ("section" beside "genre"), so a user names it as written
    # in --keep-columns, strata and by= (not when it is a column the loader sets, or the id or the text)
    gone = {id_col, text_col} | ({genre_col} if genre_col in LOADER_COLUMNS else set())
    out = df.drop(columns=sorted(gone)).copy()
    out.insert(0, "doc_id", ids)
    if originals is not None:
        out.insert(1, "original_id", originals)
    out.insert(1, "genre", df[genre_col].map(as_id).tolist())
    out = mixed_as_text(out, [c for c in out.columns if c not in ("doc_id", "genre", "original_id")], path,
                        locations)
    out["source_path"] = str(path)
    out["text"] = ["" if pd.isna(t) else str(t) for t in texts]
    return out


def _checked_cells(df: pd.DataFrame, where: str | Path, locations: Sequence[str],
                   columns: dict[str, tuple[str, str]]) -> list[str]:
    """Check the id, text and genre cells of ``df`` (``columns``: option -> column, its name in messages).

    Ids and genres must not be null or blank, texts may be (empty documents are dropped later), none may be a
    JSON list or object; ids must be unique. Returns the ids as text (:func:`as_id`: ``7`` and ``7.0`` -> ``'7'``).

    Raises
    ------
    CorpusError
        Naming ``where``, the column and the ``locations`` of the bad cells (every kind of fault in one message).
    """
    (id_col, id_name), (text_col, text_name), (genre_col, genre_name) = (
        columns["id_col"], columns["text_col"], columns["genre_col"])
    problems = [
        *check_cells(df[id_col], id_name, "every document needs an id", locations, False),
        *check_cells(df[text_col], text_name, "the text must be a string", locations, True),
        *check_cells(df[genre_col], genre_name,
                     f"every document needs {with_article(group_label(genre_col))}; write e.g. 'unknown'", locations,
                     False),
    ]
    if problems:
        raise CorpusError(f"{where}: " + "; ".join(problems))
    ids: list[str] = df[id_col].map(as_id).tolist()
    # a repeated id is placed by its rows (a Python-built table names rows by their documents otherwise)
    dups = duplicate_ids_message(str(where), id_col, ids, getattr(locations, "rows", locations))
    if dups:
        raise CorpusError(dups)
    return ids


class _DocumentLocations(Sequence[str]):
    """``document 'ID'`` (or ``row N`` for a row without an id) of each row, made only for the rows named."""

    def __init__(self, raw_ids: list[object]) -> None:
        self.raw_ids = raw_ids

    def __len__(self) -> int:
        return len(self.raw_ids)

    @property
    def rows(self) -> list[str]:
        """``row N`` of every row (where a repeated id is)."""
        return [f"row {i}" for i in range(len(self.raw_ids))]

    def __getitem__(self, i: Any) -> Any:
        v = self.raw_ids[i]
        unnamed = v is None or v is pd.NA or (isinstance(v, float) and v != v) or not str(v).strip()
        return f"row {i}" if unnamed else f"document {as_id(v)!r}"


def check_documents(docs: pd.DataFrame, where: str) -> tuple[pd.DataFrame, list[str]]:
    """Apply the loader's checks to a documents table built in Python (``Corpus(documents, ...)``).

    The rules of a table read by :func:`framing.corpus.load_corpus`: ``doc_id`` and ``text`` columns (without a
    ``genre`` column every document is in the group ``all``); ids and genres neither null nor blank, and kept as
    text (an integer id ``1`` becomes ``'1'``, so every table of the processed corpus keys documents alike); ids
    unique (unlike the loader, ids unsafe as file names are kept: processing writes no file per document); a text
    that is a JSON list or object refused, a null text empty, and empty documents dropped with a warning. A table
    that passes unchanged is returned as it is.

    Returns
    -------
    (DataFrame, list of str)
        The documents and what was reported (skipped empty documents).

    Raises
    ------
    CorpusError
        Naming ``where`` (the corpus), the column and the documents (``document '7'``, or ``row 3`` without an id).
    """
    missing = [c for c in ("doc_id", "text") if c not in docs.columns]
    if missing:
        raise CorpusError(f"{where}: the documents table lacks column(s) {missing}; a Corpus needs doc_id and text "
                          f"(and genre; it has {list(map(str, docs.columns))[:10]})")
    if "genre" not in docs.columns:  # one group, as the instruments have always read a corpus without genres
        docs = docs.assign(genre="all")
    raw = docs["doc_id"].tolist()
    names = {o: (c, f"column {c!r}") for o, c in (("id_col", "doc_id"), ("text_col", "text"), ("genre_col", "genre"))}
    # ids unsafe as file names ('politics/211') are kept: processing writes no file per document (load_corpus, which
    # prepares folders, refuses them unless safe_ids=True)
    ids = _checked_cells(docs, where, _DocumentLocations(raw), names)
    texts = docs["text"]
    genres = docs["genre"].map(as_id).tolist()
    issues: list[str] = []
    same = ids == raw and genres == docs["genre"].tolist() and all(type(t) is str for t in texts.tolist())
    if same and len(docs) and not texts.str.match(r"\s*$").any():  # nothing to change: the table as it is
        return docs, issues
    docs = docs.copy()
    docs["doc_id"] = pd.Series(ids, index=docs.index, dtype=object)
    docs["genre"] = pd.Series(genres, index=docs.index, dtype=object)
    docs["text"] = pd.Series(["" if not isinstance(t, str) and pd.isna(t) else str(t) for t in texts],
                             index=docs.index, dtype=object)
    return drop_empty_documents(docs, where, issues), issues


def drop_empty_documents(docs: pd.DataFrame, path: Path | str, issues: list[str]) -> pd.DataFrame:
    """Drop (and report in ``issues``, with a warning) documents whose text is blank; genre as text.

    A table without rows (a header only) is returned as it is, with the columns as text.
    """
    if docs.empty:
        return docs.reset_index(drop=True).astype({"text": object, "genre": object})
    empty = docs["text"].str.strip() == ""
    if empty.any():
        msg = f"{path}: skipped {int(empty.sum())} empty document(s): {docs.loc[empty, 'doc_id'].tolist()}"
        warnings.warn(msg, CorpusWarning, stacklevel=3)
        issues.append(msg)
        docs = docs[~empty]
    docs = docs.reset_index(drop=True)
    docs["genre"] = docs["genre"].astype(str)
    return docs
