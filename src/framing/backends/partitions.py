"""Cutting a corpus into partitions and reading one partition at a time.

A partition is a small, picklable description (:class:`Partition`) that a worker turns into a
:class:`framing.corpus.Corpus` of its own documents with :func:`read_partition`, so no process ever holds more
than one partition of text:

* **JSONL** (``.jsonl``/``.ndjson``/``.json``, not gzipped): byte ranges of about ``partition_bytes``, cut at
  line ends; the planning pass reads the file block by block and counts line ends, so messages name the line
  of the file.
* **Parquet**: groups of row groups of about ``partition_bytes`` (uncompressed) each; messages name the row.
* **Folder** (``metadata.csv`` + ``.txt``): consecutive metadata rows whose files add up to about
  ``partition_bytes``; every check of :func:`framing.corpus.load_corpus` on the folder runs first.
* Anything else (CSV, TSV, gzipped text): one partition, read by :func:`framing.corpus.load_corpus`.

Bad records (``on_bad_record``): a malformed JSONL line (not JSON, or not an object) or a folder file that
cannot be read as text (binary content, a byte-order mark that does not fit) stops the run naming file and
line (``"fail"``, the default) or is skipped and counted (``"skip"``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pandas as pd

from framing.corpus import (
    Corpus,
    OptionStyle,
    _table_format,
    documents_from_table,
    drop_empty_documents,
    folder_index,
    load_corpus,
    read_folder_texts,
)
from framing.errors import CorpusError, ParameterError
from framing.rawio import (
    BAD_RECORD_POLICIES,
    BadRecordPolicy,
    bad_records,
    check_bad_record_policy,
    decode_text,
    parse_jsonl,
)

__all__ = ["BAD_RECORD_POLICIES", "PARTITION_BYTES", "BadRecordPolicy", "Partition", "plan_partitions",
           "read_partition"]

PARTITION_BYTES = 32 * 1024 * 1024
"""Default partition size (bytes of input): bounds the memory of one worker (about 15x this at peak)."""
_BLOCK = 64 * 1024 * 1024
WHERE = "__where"
"""A column :func:`read_partition` adds to the documents while reading: where each was read (file line or row)."""


@dataclass(frozen=True)
class Partition:
    """One partition of a corpus: ``index`` (its order), where its records are, and how to read them."""

    index: int
    kind: Literal["jsonl", "parquet", "folder", "whole"]
    path: str
    start: int = 0
    """JSONL: first byte; Parquet: first row (0-based) of the partition."""
    end: int = 0
    """JSONL: byte after the last; Parquet: unused."""
    first_line: int = 1
    row_groups: tuple[int, ...] = ()
    rows: pd.DataFrame | None = field(default=None, compare=False)
    """Folder: the metadata rows (``doc_id``, metadata, ``source_path``) of the partition."""


def _jsonl_partitions(path: Path, size: int) -> list[Partition]:
    """Byte ranges of about ``size`` cut after a line end, with the file line each starts on."""
    parts: list[Partition] = []
    total = path.stat().st_size
    with path.open("rb") as fh:
        start, line, pos, newlines = 0, 1, 0, 0
        while pos < total:
            target = min(start + size, total)
            while pos < target:  # count line ends up to the target, a block at a time
                block = fh.read(min(_BLOCK, target - pos))
                newlines += block.count(b"\n")
                pos += len(block)
            rest = fh.readline() if pos < total else b""  # finish the line the target fell in
            newlines += rest.count(b"\n")
            pos += len(rest)
            parts.append(Partition(len(parts), "jsonl", str(path), start, pos, line))
            start, line = pos, 1 + newlines
    return parts


def _parquet_partitions(path: Path, size: int) -> list[Partition]:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    parts: list[Partition] = []
    groups: list[int] = []
    first, row, acc = 0, 0, 0
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        groups.append(g)
        acc += rg.total_byte_size
        row += rg.num_rows
        if acc >= size or g == meta.num_row_groups - 1:
            parts.append(Partition(len(parts), "parquet", str(path), first, row_groups=tuple(groups)))
            groups, first, acc = [], row, 0
    return parts


def _folder_partitions(path: Path, size: int, genre_col: str = "genre") -> list[Partition]:
    index = folder_index(path, [], genre_col)
    sizes = [Path(f).stat().st_size for f in index["source_path"]]
    parts: list[Partition] = []
    start, acc = 0, 0
    for i, n in enumerate(sizes):
        acc += n
        if acc >= size or i == len(sizes) - 1:
            parts.append(Partition(len(parts), "folder", str(path), rows=index.iloc[start:i + 1]))
            start, acc = i + 1, 0
    return parts


def plan_partitions(source: str | Path, *, partition_bytes: int = PARTITION_BYTES,
                    genre_col: str = "genre") -> list[Partition]:
    """Cut ``source`` (a corpus folder or table file) into partitions of about ``partition_bytes`` of input.

    ``genre_col``: a folder's ``metadata.csv`` column that groups the documents (as in
    :func:`framing.corpus.load_corpus`).

    Raises
    ------
    CorpusError
        On a missing source, or any problem :func:`framing.corpus.load_corpus` finds in a folder's metadata.
    ParameterError
        If ``partition_bytes`` is not positive.
    """
    if partition_bytes <= 0:
        raise ParameterError(f"partition_bytes must be positive, got {partition_bytes}")
    path = Path(source)
    if not path.exists():
        raise CorpusError(f"{path}: corpus not found (expected a folder with metadata.csv, or a table file)")
    if path.is_dir():
        return _folder_partitions(path, partition_bytes, genre_col)
    fmt = _table_format(path)
    if fmt == "jsonl" and path.suffix.lower() != ".gz":
        return _jsonl_partitions(path, partition_bytes)
    if fmt == "parquet":
        return _parquet_partitions(path, partition_bytes)
    return [Partition(0, "whole", str(path))]


def read_partition(part: Partition, *, id_col: str = "doc_id", text_col: str = "text", genre_col: str = "genre",
                   name: str = "corpus", on_bad_record: str = "fail", option_style: OptionStyle = "parameter",
                   safe_ids: bool = False, where: list[str] | None = None) -> tuple[Corpus, list[str]]:
    """Read the documents of one partition; return them and the skipped bad records (``"file: line N: why"``).

    The documents are checked as :func:`framing.corpus.load_corpus` checks a whole corpus (ids, genres,
    texts); empty documents are dropped with a warning. A partition may end up with no documents.
    ``safe_ids`` rewrites unsafe ids as :func:`framing.corpus.load_corpus` does (the original in ``original_id``);
    two ids of different partitions that become one are refused by :func:`framing.backends.run_partitioned`.
    ``where``: a list that receives, for each document kept, where it was read (``line N``, ``row N``, or the
    file of a folder), so that an id repeated across partitions can be named with its lines.
    """
    check_bad_record_policy(on_bad_record)
    path = Path(part.path)
    issues: list[str] = []
    skipped: list[str] = []
    if part.kind == "whole":
        corpus = load_corpus(path, id_col=id_col, text_col=text_col, genre_col=genre_col, name=name,
                             option_style=option_style, on_bad_record=on_bad_record, safe_ids=safe_ids)
        return corpus, list(corpus.skipped)
    if part.kind == "folder":
        assert part.rows is not None
        docs = read_folder_texts(part.rows, part.path, issues, on_bad_record, skipped)[0]
        docs[WHERE] = docs["source_path"].astype(str)
    else:
        if part.kind == "jsonl":
            with path.open("rb") as fh:
                fh.seek(part.start)
                data = fh.read(part.end - part.start)
            text = decode_text(data, str(path), issues, first_line=part.first_line, first_byte=part.start)
            records, lines, bad = parse_jsonl(text, part.first_line)
            bad_records(str(path), bad, on_bad_record, skipped)
            df = pd.DataFrame.from_records(records)
            locations = [f"line {n}" for n in lines]
        else:
            import pyarrow.parquet as pq

            df = pq.ParquetFile(path).read_row_groups(list(part.row_groups)).to_pandas()
            locations = [f"row {part.start + i}" for i in range(1, len(df) + 1)]
        if df.empty:
            return Corpus(pd.DataFrame(columns=["doc_id", "genre", "text"]), name, path, tuple(issues)), skipped
        docs = documents_from_table(df, path, locations, id_col, text_col, genre_col, option_style, safe_ids)
        docs[WHERE] = locations
    docs = drop_empty_documents(docs, path, issues)
    found = docs.pop(WHERE).astype(str).tolist() if WHERE in docs else []
    if where is not None:
        where.extend(found)
    return Corpus(docs, name, path, tuple(issues)), skipped
