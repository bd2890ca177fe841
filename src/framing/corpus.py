"""Loading, cleaning and segmenting corpora.

A corpus comes as

* a **folder** of ``.txt`` files with a ``metadata.csv`` (required columns ``file`` and ``genre``; other
  columns are carried along as metadata; ``doc_id`` is the file stem), optionally with a ``SHA256SUMS``
  manifest that is verified before anything is read; or
* a **table**: CSV, TSV, JSONL or Parquet (``.gz`` accepted for the text formats) with an id column, a text
  column and a genre column (defaults ``doc_id``, ``text``, ``genre``; any other names via ``id_col``,
  ``text_col``, ``genre_col``); other columns are metadata.

:func:`load_corpus` reads it (:class:`Corpus`), :func:`process_corpus` cleans and segments it in memory
(:class:`ProcessedCorpus`), and :func:`prepare_corpus` caches the processed tables as Parquet under
``data/processed/NAME/``, rebuilding them only when the inputs, the rules or the code version change.

Bad input (file reading in :mod:`framing.rawio`): binary content (magic numbers, NUL characters, many control
characters) is refused; a byte-order mark (UTF-8, UTF-16, UTF-32) decides the encoding; other text is read as
UTF-8, or as cp1252 with a warning naming the file and the share of bytes that were not UTF-8; empty documents
are reported and skipped; duplicate ids, metadata rows without a file, files without a metadata row and unsafe
file names are one :class:`~framing.errors.CorpusError` listing them all; an unsafe ``doc_id`` (path
separators, ``..``, control characters) is refused, saying why; a null or empty id or genre, or a text that is a
JSON list or object, is an error naming file, line (or Parquet row) and column; a CSV/TSV quoting fault (an
unterminated quote) is an error naming the lines; other malformed one-line rows are reported (with their line
numbers) and skipped.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing._corpus_read import (
    OptionStyle,
    _load_folder,
    _load_table,
    check_documents,
    check_safe_id_clashes,
    documents_from_table,
    drop_empty_documents,
    folder_index,
    read_folder_texts,
    safe_id,
    verify_manifest,
)
from framing._corpus_read import _table_format as _table_format  # re-exported for framing.backends
from framing.clean import RuleSet, load_rules
from framing.errors import CorpusError, ParameterError
from framing.io import (
    LEFTOVER_AGE,
    check_output,
    read_table,
    remove_temporaries,
    sha256_bytes,
    write_json,
    write_parquet,
)
from framing.paths import corpus_stem, processed_folder, read_manifest
from framing.preparation import MAX_SENTENCE_TOKENS, build_tables
from framing.rawio import CorpusWarning, check_reading_options
from framing.segment import ParagraphMode
from framing.types import PathLike, ProcessedCorpusLike

__all__ = [
    "PROCESSING_VERSION",
    "Corpus",
    "CorpusPart",
    "CorpusWarning",
    "OptionStyle",
    "ProcessedCorpus",
    "check_document_columns",
    "check_safe_id_clashes",
    "document_metadata",
    "documents_from_table",
    "drop_empty_documents",
    "folder_index",
    "load_corpus",
    "prepare_corpus",
    "process_corpus",
    "read_folder_texts",
    "safe_id",
    "select_documents",
    "summarize_by_genre",
    "summarize_removals",
    "verify_manifest",
    "with_document_columns",
]

PROCESSING_VERSION = "3"
"""Bumped whenever cleaning or segmentation changes their output; part of the cache key."""

TABLES = ("documents", "paragraphs", "sentences", "removed_spans")


@dataclass(frozen=True)
class Corpus:
    """A loaded, not yet processed corpus.

    Attributes
    ----------
    documents : DataFrame
        ``doc_id``, ``genre``, metadata columns, ``source_path`` (file or table it came from), ``text`` (raw).
    name : str
        Short name of the corpus (used for ``data/processed/NAME``).
    source : Path
        The folder or file it was read from.
    issues : tuple of str
        What was reported while loading (skipped empty documents, malformed rows, encoding fallbacks).
    skipped : tuple of str
        The bad records skipped under ``on_bad_record="skip"`` (``"FILE: line N: why"``), one each.
    """

    documents: pd.DataFrame
    name: str
    source: Path
    issues: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProcessedCorpus:
    """A cleaned and segmented corpus: tidy tables with offsets into the raw texts.

    Attributes
    ----------
    documents : DataFrame
        ``doc_id, genre, <metadata>, source_path, n_chars, n_content_chars, n_tokens, n_sentences, n_removed,
        sha256, text`` (``text`` is the raw text; ``n_tokens``/``n_sentences`` count content only).
    paragraphs : DataFrame
        ``doc_id, para_id, start, end, text, is_heading``.
    sentences : DataFrame
        ``doc_id, sent_id, para_id, start, end, text, n_tokens``; ``text == raw[start:end]``.
    removed_spans : DataFrame
        ``doc_id, start, end, rule, text``: everything cleaning removed.
    name : str
        Name of the corpus.
    directory : Path or None
        Where the tables are cached (``None`` when processed in memory only).
    issues : tuple of str
        Notes of the loading (skipped records, repaired encodings).
    excluded : frozenset of str
        The documents of the corpus that :meth:`subset` left out (empty for a whole corpus): a coded sheet of
        the whole corpus still reads against the subset, its rows of these documents left out
        (:func:`framing.agreement.read_coding_sheets`).
    """

    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    removed_spans: pd.DataFrame
    name: str
    directory: Path | None = None
    issues: tuple[str, ...] = field(default=())
    excluded: frozenset[str] = field(default=frozenset())

    @property
    def genres(self) -> list[str]:
        """Genres in order of first appearance."""
        return list(dict.fromkeys(self.documents["genre"].tolist()))

    def raw_text(self, doc_id: str) -> str:
        """The raw text of ``doc_id``."""
        row = self.documents.loc[self.documents["doc_id"] == doc_id, "text"]
        if row.empty:
            raise CorpusError(f"unknown doc_id {doc_id!r} in corpus {self.name!r}")
        return str(row.iloc[0])

    def content_text(self, doc_id: str, sep: str = "\n") -> str:
        """The document's content: its sentences joined by ``sep`` (boilerplate left out)."""
        sents = self.sentences.loc[self.sentences["doc_id"] == doc_id, "text"]
        return sep.join(sents.tolist())

    def subset(self, genres: list[str] | str | None = None, doc_ids: list[str] | None = None) -> ProcessedCorpus:
        """Return the corpus restricted to some genres and/or documents (empty or None = all).

        ``genres`` may also be one string of comma-separated names (``"blog,news"``), as a parameter given
        on a command line often is.
        """
        if isinstance(genres, str):
            genres = [g.strip() for g in genres.split(",") if g.strip()]
        keep = self.documents
        if genres:
            unknown = sorted(set(genres) - set(keep["genre"]))
            if unknown:
                raise CorpusError(f"unknown genre(s) {unknown}; the corpus has {sorted(set(keep['genre']))}")
            keep = keep[keep["genre"].isin(genres)]
        if doc_ids:
            unknown = sorted(set(doc_ids) - set(keep["doc_id"]))
            if unknown:
                raise CorpusError(f"unknown doc_id(s) {unknown}")
            keep = keep[keep["doc_id"].isin(doc_ids)]
        ids = set(keep["doc_id"])
        part = select_documents(self, ids)
        left_out = self.excluded | frozenset(self.documents["doc_id"].astype(str)) - frozenset(map(str, ids))
        return ProcessedCorpus(part.documents, part.paragraphs, part.sentences, part.removed_spans,
                               self.name, self.directory, self.issues, left_out)


@dataclass(frozen=True)
class CorpusPart:
    """Some documents of a processed corpus with their four tables (satisfies ``ProcessedCorpusLike``)."""

    name: str
    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    removed_spans: pd.DataFrame


def select_documents(corpus: ProcessedCorpusLike, doc_ids: Iterable[Any]) -> CorpusPart:
    """Return exactly the documents ``doc_ids`` of ``corpus`` with their paragraphs, sentences and removed spans.

    The rows keep the corpus's order, each table with a fresh 0..n-1 index. Unlike
    :meth:`ProcessedCorpus.subset` (a user's selection: empty means all, an unknown id is an error), this is the
    plain selection a per-document step runs on: no ids select no document, and an id the corpus lacks selects
    nothing.
    """
    wanted = set(doc_ids)

    def rows(df: pd.DataFrame) -> pd.DataFrame:
        return df[df["doc_id"].isin(wanted)].reset_index(drop=True)

    return CorpusPart(corpus.name, rows(corpus.documents), rows(corpus.paragraphs), rows(corpus.sentences),
                      rows(corpus.removed_spans))


def load_corpus(
    source: PathLike,
    *,
    id_col: str = "doc_id",
    text_col: str = "text",
    genre_col: str = "genre",
    name: str | None = None,
    option_style: OptionStyle = "parameter",
    on_bad_record: str = "fail",
    safe_ids: bool = False,
) -> Corpus:
    """Load a corpus from a folder (``.txt`` + ``metadata.csv``) or a CSV/TSV/JSONL/Parquet file.

    Parameters
    ----------
    source : path
        The folder or file.
    id_col, text_col, genre_col : str
        Column names in a table corpus; for a folder (whose ids are file stems and texts its files) only
        ``genre_col``, the ``metadata.csv`` column that groups the documents. The documents' ``genre`` is the
        ``genre_col`` column: the table's own ``genre`` column, when another is chosen, is kept as metadata column
        ``original_genre``, as is a ``doc_id``, ``text`` or ``source_path`` column not chosen
        (``original_doc_id`` ...). A metadata column of mixed types (JSONL: text on one line, a number on
        another) or of JSON objects or lists is kept as text, with a warning naming file, column and line.
    name : str, optional
        Name of the corpus (default: the folder or file name without extensions).
    option_style : {"parameter", "flag"}
        How error messages name the column options: ``id_col`` (default: the API, notebooks and
        ``framing run``) or ``--id-col`` (the command line).
    on_bad_record : {"fail", "skip"}
        A bad record (a JSONL line that is not a JSON object, a folder file that cannot be read as text) stops
        the load naming file and line (``fail``, the default, as in :mod:`framing.backends`), or is skipped,
        counted in ``Corpus.skipped`` and reported with a warning (``skip``).
    safe_ids : bool
        Opt-in for a table whose ids are unsafe as file names (``'business/001'``): rewrite them
        (:func:`safe_id`: ``'business_001'``), keeping each original in a documents column ``original_id``.
        Two ids that would become one are refused. Coding sheets may then name documents by either id
        (:func:`framing.agreement.read_coding_sheet`). Off by default: an unsafe id is an error naming this option.

    Returns
    -------
    Corpus
        Documents in the order given (metadata.csv order for a folder), empty ones skipped and reported.

    Raises
    ------
    CorpusError
        On a missing source, missing columns, duplicate or unsafe ids, null or empty ids and genres, a text
        that is a JSON list or object (naming file, line or row, and column), binary content, a CSV/TSV
        quoting fault, or a folder whose files and metadata do not correspond (all such problems listed in
        one message).
    RawDataChangedError
        If a folder has a ``SHA256SUMS`` manifest that its files no longer match.
    """
    path = Path(source)
    if not path.exists():
        raise CorpusError(f"{path}: corpus not found (expected a folder with metadata.csv, or a table file)")
    check_reading_options(on_bad_record, safe_ids)
    issues: list[str] = []
    skipped: list[str] = []
    if path.is_dir():
        docs = _load_folder(path, issues, on_bad_record, skipped, genre_col)
    else:
        docs = _load_table(path, id_col, text_col, genre_col, issues, option_style, on_bad_record, skipped,
                           safe_ids=safe_ids)
    if docs.empty:
        raise CorpusError(f"{path}: no documents (the {'folder' if path.is_dir() else 'file'} has none to read)")
    docs = drop_empty_documents(docs, path, issues)
    if docs.empty:
        raise CorpusError(f"{path}: the corpus has no non-empty documents")
    return Corpus(docs, name or corpus_stem(path), path, tuple(issues), tuple(skipped))


# --- processing -------------------------------------------------------------------------------------


def process_corpus(
    corpus: Corpus,
    rules: RuleSet | PathLike | None = None,
    *,
    paragraph_mode: ParagraphMode = "auto",
    max_sentence_tokens: int | None = MAX_SENTENCE_TOKENS,
    progress: bool = False,
) -> ProcessedCorpus:
    """Clean and segment every document of ``corpus`` in memory.

    The work is :func:`framing.preparation.build_tables`: batches of a few million characters, boilerplate
    found per document, segmentation over the whole batch at once, tables built column by column.

    Parameters
    ----------
    corpus : Corpus
        From :func:`load_corpus`, or built in Python (``Corpus(documents, name, source)``): its documents table
        then passes the loader's checks (:func:`framing._corpus_read.check_documents`: ``doc_id``, ``genre``
        and ``text`` columns, ids and genres kept as text, unique and safe, a null text empty and empty
        documents dropped with a warning); a bad table is a :class:`CorpusError` naming document and column.
    rules : RuleSet or path, optional
        Boilerplate rules (default: the shipped ``boilerplate.yaml``).
    paragraph_mode : {"auto", "line", "blank"}
        See :func:`framing.segment.split_paragraphs`.
    max_sentence_tokens : int or None
        A "sentence" longer than this many tokens (a document without sentence punctuation) is split at its
        line breaks, then by length, with a :class:`CorpusWarning` naming the documents (default 200;
        ``None`` turns the fallback off).
    progress : bool
        Show a progress bar (documents, MB/s, time left) when processing takes more than a few seconds.
    """
    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    documents, dropped = check_documents(corpus.documents, f"corpus {corpus.name!r}")
    if documents is not corpus.documents:
        corpus = Corpus(documents, corpus.name, corpus.source, (*corpus.issues, *dropped), corpus.skipped)
    ids = corpus.documents["doc_id"].tolist()
    texts = corpus.documents["text"].tolist()
    paragraphs, sentences, removed_spans, long_docs = build_tables(
        ids, texts, ruleset, paragraph_mode=paragraph_mode, max_sentence_tokens=max_sentence_tokens,
        progress=progress, desc=f"prepare {corpus.name}",
    )
    issues = corpus.issues
    if long_docs:
        shown = ", ".join(long_docs[:20]) + (f" and {len(long_docs) - 20} more" if len(long_docs) > 20 else "")
        msg = (f"{corpus.source}: {len(long_docs)} document(s) with a sentence of more than {max_sentence_tokens} "
               f"tokens (no sentence punctuation?), split at line breaks and then every {max_sentence_tokens} "
               f"tokens: {shown}")
        warnings.warn(msg, CorpusWarning, stacklevel=2)
        issues = (*issues, msg)

    docs = corpus.documents.copy()
    text_col = docs.pop("text")
    by_doc = sentences.groupby("doc_id", sort=False)
    docs["n_chars"] = text_col.str.len().astype("int64")
    content = (sentences["end"] - sentences["start"]).groupby(sentences["doc_id"], sort=False).sum()
    docs["n_content_chars"] = docs["doc_id"].map(content).fillna(0).astype("int64")
    docs["n_tokens"] = docs["doc_id"].map(by_doc["n_tokens"].sum()).fillna(0).astype("int64")
    docs["n_sentences"] = docs["doc_id"].map(by_doc.size()).fillna(0).astype("int64")
    docs["n_removed"] = docs["doc_id"].map(removed_spans.groupby("doc_id").size()).fillna(0).astype("int64")
    docs["sha256"] = [sha256_bytes(t.encode("utf-8")) for t in text_col]
    docs["text"] = text_col
    return ProcessedCorpus(docs, paragraphs, sentences, removed_spans, corpus.name, None, issues)


def _cache_key(corpus: Corpus, ruleset: RuleSet, paragraph_mode: str) -> str:
    docs = corpus.documents
    payload = {
        "version": PROCESSING_VERSION,
        "rules": ruleset.sha256,
        "paragraph_mode": paragraph_mode,
        "columns": list(map(str, docs.columns)),
        "rows": [
            [sha256_bytes(json.dumps(row, default=str, ensure_ascii=False).encode()) for row in
             docs.drop(columns=["text"]).astype(str).itertuples(index=False, name=None)],
            [sha256_bytes(t.encode("utf-8")) for t in docs["text"]],
        ],
    }
    return sha256_bytes(json.dumps(payload, sort_keys=True).encode())


def _loading_record(corpus: Corpus, on_bad_record: str, safe_ids: bool) -> dict[str, Any]:
    """What ``manifest.json`` says of how the corpus was read: issues, bad-record policy, skipped records, safe ids.

    Rewritten on a cache hit when it changed (the same documents read under another policy, or with other bad
    lines skipped), so the manifest always describes the last preparation.
    """
    return {"issues": list(corpus.issues), "on_bad_record": on_bad_record, "safe_ids": safe_ids,
            "skipped_records": len(corpus.skipped), "skipped": list(corpus.skipped)}


def prepare_corpus(
    source: PathLike,
    *,
    name: str | None = None,
    id_col: str = "doc_id",
    text_col: str = "text",
    genre_col: str = "genre",
    rules: PathLike | None = None,
    paragraph_mode: ParagraphMode = "auto",
    processed_dir: PathLike | None = None,
    force: bool = False,
    option_style: OptionStyle = "parameter",
    progress: bool = False,
    on_bad_record: str = "fail",
    safe_ids: bool = False,
) -> ProcessedCorpus:
    """Load, clean and segment a corpus, caching its tables under ``processed_dir/NAME/``.

    The cache is fresh when its ``manifest.json`` records the same key: a hash of every document (text and
    metadata), the boilerplate rules, the paragraph mode and :data:`PROCESSING_VERSION`. A stale or missing
    cache is rebuilt; each table is written atomically and the manifest last, so an interrupted run is
    simply rebuilt next time, and the temporary files of a killed one's writes (untouched for
    :data:`framing.io.LEFTOVER_AGE` seconds) are removed from ``NAME/`` before it is written again. Raw data
    is only read: an output folder inside the corpus folder, inside ``data/raw`` or inside a folder holding a
    ``SHA256SUMS`` manifest is refused (:class:`~framing.errors.OutputError`, before the corpus is read).

    Parameters
    ----------
    source, name, id_col, text_col, genre_col, option_style, on_bad_record, safe_ids
        As for :func:`load_corpus`; the bad records skipped are counted in ``manifest.json``
        (``skipped_records``, ``skipped``), as :mod:`framing.backends` counts them.
    rules : path, optional
        Boilerplate rules file (default: shipped rules).
    paragraph_mode : {"auto", "line", "blank"}
        See :func:`framing.segment.split_paragraphs`.
    processed_dir : path, optional
        Default: ``data/processed`` of the project (:mod:`framing.paths`).
    force : bool
        Rebuild even when the cache is fresh.
    progress : bool
        Show a progress bar while processing (see :func:`process_corpus`).
    """
    directory = processed_folder(source, name, processed_dir)
    check_output(directory, [source], kind="folder", option="processed_dir")
    corpus = load_corpus(source, id_col=id_col, text_col=text_col, genre_col=genre_col, name=name,
                         option_style=option_style, on_bad_record=on_bad_record, safe_ids=safe_ids)
    ruleset = load_rules(rules)
    key = _cache_key(corpus, ruleset, paragraph_mode)
    manifest = directory / "manifest.json"
    if not force and manifest.is_file():
        recorded = read_manifest(directory) or {}
        if recorded.get("key") == key and all((directory / f"{t}.parquet").is_file() for t in TABLES):
            tables = {t: read_table(directory / f"{t}.parquet") for t in TABLES}
            loading = _loading_record(corpus, on_bad_record, safe_ids)
            if any(recorded.get(k) != v for k, v in loading.items()):  # same documents, read another way
                write_json(manifest, {**recorded, **loading})
            return ProcessedCorpus(tables["documents"], tables["paragraphs"], tables["sentences"],
                                   tables["removed_spans"], corpus.name, directory, corpus.issues)
    processed = process_corpus(corpus, ruleset, paragraph_mode=paragraph_mode, progress=progress)
    manifest.unlink(missing_ok=True)  # stale until every table is rewritten (another process may race us)
    remove_temporaries(directory, older_than=LEFTOVER_AGE)  # half-written tables of a killed preparation
    for t in TABLES:
        write_parquet(getattr(processed, t), directory / f"{t}.parquet")
    write_json(manifest, {
        "key": key,
        "name": corpus.name,
        "source": str(corpus.source),
        "rules": str(ruleset.source),
        "rules_sha256": ruleset.sha256,
        "processing_version": PROCESSING_VERSION,
        "paragraph_mode": paragraph_mode,
        "n_documents": len(processed.documents),
        "n_sentences": len(processed.sentences),
        **_loading_record(corpus, on_bad_record, safe_ids),
    })
    return ProcessedCorpus(processed.documents, processed.paragraphs, processed.sentences,
                           processed.removed_spans, corpus.name, directory, corpus.issues)


# --- descriptions -----------------------------------------------------------------------------------


def summarize_by_genre(processed: ProcessedCorpus) -> pd.DataFrame:
    """Documents, sentences and tokens per genre (content only), with a total row.

    Columns: ``genre, documents, sentences, tokens, tokens_per_document, removed_spans``.
    """
    docs = processed.documents
    grouped = docs.groupby("genre", sort=False).agg(
        documents=("doc_id", "size"), sentences=("n_sentences", "sum"), tokens=("n_tokens", "sum"),
        removed_spans=("n_removed", "sum"),
    )
    grouped.loc["total"] = grouped.sum()
    grouped = grouped.astype("int64")
    grouped["tokens_per_document"] = (grouped["tokens"] / grouped["documents"]).round(1)
    out = grouped.reset_index()
    return out[["genre", "documents", "sentences", "tokens", "tokens_per_document", "removed_spans"]]


def summarize_removals(processed: ProcessedCorpus) -> pd.DataFrame:
    """What cleaning removed, per document and rule: ``doc_id, genre, rule, spans, chars, share_of_text``."""
    spans = processed.removed_spans
    docs = processed.documents[["doc_id", "genre", "n_chars"]]
    if spans.empty:
        return pd.DataFrame(columns=["doc_id", "genre", "rule", "spans", "chars", "share_of_text"])
    sized = spans.assign(chars=spans["end"] - spans["start"])
    out = sized.groupby(["doc_id", "rule"], sort=False).agg(spans=("start", "size"), chars=("chars", "sum"))
    out = out.reset_index().merge(docs, on="doc_id", how="left")
    out["share_of_text"] = (out["chars"] / out["n_chars"]).round(4)
    return out[["doc_id", "genre", "rule", "spans", "chars", "share_of_text"]]


def check_document_columns(documents: pd.DataFrame, columns: Sequence[str]) -> list[str]:
    """Return ``columns`` (once each, in order) after checking that the documents have them (not ``text``)."""
    cols = list(dict.fromkeys(columns))
    have = [c for c in documents.columns if c not in ("text", "doc_id")]
    unknown = [c for c in cols if c not in have]
    if unknown:
        raise ParameterError(f"keep_columns: no document column(s) {unknown}; the corpus has {have}")
    return cols


def with_document_columns(table: pd.DataFrame, documents: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Return ``table`` (rows keyed by ``doc_id``) with the documents' ``columns`` added after its own, row order kept.

    For the sentence and blame tables a researcher groups by metadata (outlet, date, the genre): ``framing frames
    --keep-columns outlet,date``. A column the documents table lacks, or one the table already has, is a
    ``ParameterError`` naming it and the columns there are; the document text is never added (``text``).
    """
    cols = check_document_columns(documents, columns)
    if not cols:
        return table
    clash = [c for c in cols if c in table.columns]
    if clash:
        raise ParameterError(f"keep_columns: {clash} already column(s) of the table {list(table.columns)}")
    return table.merge(document_metadata(documents, cols), on="doc_id", how="left", sort=False,
                       validate="many_to_one")


def document_metadata(documents: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Return ``doc_id`` and the documents' ``columns`` (checked), each value as a CSV should write it.

    Whole numbers read as floats (a column of integers with a gap) become integers again; other floats their
    shortest round-trip text, so no metadata is rounded by the tables' float format.
    """
    cols = check_document_columns(documents, columns)
    meta = documents[["doc_id", *cols]].drop_duplicates("doc_id")
    return meta.assign(**{c: metadata_as_written(meta[c]) for c in cols})


def metadata_as_written(values: pd.Series) -> pd.Series:
    """Metadata values that a CSV writes as the corpus had them, not rounded to 6 significant digits.

    A float column whose values are all whole numbers (integers with a gap read as floats: ids, years,
    integer-coded dates) becomes integers again (``Int64``, the gap empty); other floats become their shortest
    round-trip text (``repr``), so ``write_csv``'s float format leaves them as they were.
    """
    if not pd.api.types.is_float_dtype(values):
        return values
    present = values.dropna()
    if np.isfinite(present).all() and (present == np.floor(present)).all() and (present.abs() < 2**53).all():
        return values.astype("Int64")
    return values.map(lambda v: "" if pd.isna(v) else repr(float(v))).astype(object)

