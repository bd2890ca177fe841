"""Reading corpus files: byte-order marks, binary content, encodings, delimited/JSONL tables and their cells.

The rules (documented for users in README.md, "Your own corpus"):

* **Binary content is refused**, naming the file: a known magic number (PNG, JPEG, GIF, PDF, ZIP/Office,
  gzip/bzip2/xz/zstd/7-Zip data in a file not named ``.gz``, Parquet, SQLite, executables), NUL characters, or more
  than 1% control characters (tab, line ends and form feed excepted).
* **Byte-order marks are honoured** before anything else: UTF-8, UTF-16 LE/BE and UTF-32 LE/BE; a file whose BOM
  does not fit its content is an error.
* Otherwise text is **UTF-8**; a file that is not is read as **cp1252** with a :class:`CorpusWarning` naming the file
  and the share of its bytes that are not valid UTF-8 (those are the characters that may be misread), and saying how
  many bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) were replaced by U+FFFD, with the line and
  offset of the first ones.
* **CSV/TSV** are read with the :mod:`csv` module, every cell as text. A row with the wrong number of fields on a
  single line is reported (with its line), skipped and counted with the skipped records, whatever
  ``on_bad_record`` says. A quoting fault is an error naming the file and lines:
  a record that runs over several lines and has the wrong number of fields, a key column (id, genre) that runs
  over lines, or a line inside a quoted field that is itself a complete row of a known genre (an unterminated
  quote swallowed it).
* **JSONL**: lines that are not JSON objects are reported and skipped.
* **Cells** (:func:`check_cells`): a null or empty id or genre, or a text that is a JSON list or object, is a
  problem naming the column and the line (or Parquet row) of every such cell.

Every check runs over whole byte strings (``bytes.startswith``, ``bytes.translate``, ``bytes.count``), never a
Python loop per character.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from framing.errors import CorpusError, FramingWarning, ParameterError

__all__ = ["BAD_RECORD_POLICIES", "BadRecordError", "BadRecordPolicy", "CorpusWarning", "as_id", "bad_records",
           "check_bad_record_policy", "check_cells", "check_reading_options", "decode_text", "open_text",
           "read_delimited", "read_jsonl"]


class CorpusWarning(FramingWarning):
    """A recoverable problem with a corpus (encoding fallback, empty or malformed documents)."""


_BOMS: tuple[tuple[bytes, str, str], ...] = (  # UTF-32 LE before UTF-16 LE: its BOM starts the same way
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32 BE"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32 LE"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xfe\xff", "utf-16-be", "UTF-16 BE"),
    (b"\xff\xfe", "utf-16-le", "UTF-16 LE"),
)
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.odt document)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc/.xls)"),
    (b"\x1f\x8b", "gzip-compressed data (name the file .gz)"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"PAR1", "a Parquet file (name it .parquet)"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "an executable"),
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
# control characters other than tab, line feed, carriage return and form feed (pdftotext's page break); counted
# in bytes that are UTF-8 or single-byte, where each is one byte and no other character contains one
_CONTROL = bytes([*range(0, 9), 11, *range(14, 32), 127])
CONTROL_SHARE = 0.01
"""Largest share of control characters a text may have before it is refused as binary."""


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return "bzip2-compressed data" if _BZIP2.match(data) else None


def _refuse_binary_text(text: str, ascii_compatible: bytes, where: str) -> None:
    """Refuse ``text`` for NULs or many control characters, counted (fast) in its ``ascii_compatible`` bytes."""
    nul = ascii_compatible.count(b"\x00")
    n_ctrl = len(ascii_compatible) - len(ascii_compatible.translate(None, _CONTROL))
    if nul:
        hint = (" (UTF-16 or UTF-32 without a byte-order mark? re-save the file as UTF-8)"
                if nul * 4 >= len(text) else "")
        raise CorpusError(f"{where}: binary content, not text: {nul} NUL character(s) in {len(text)}{hint}; "
                          "refusing to read it as a document")
    if n_ctrl > max(3, CONTROL_SHARE * len(text)):
        raise CorpusError(f"{where}: binary content, not text: {n_ctrl} of {len(text)} characters "
                          f"({n_ctrl / len(text):.1%}) are control characters; refusing to read it as a document")


def decode_text(data: bytes, where: str, issues: list[str], *, first_line: int = 1, first_byte: int = 0) -> str:
    """Decode the bytes of one file (named ``where`` in messages) to text.

    ``first_line`` and ``first_byte``: where ``data`` starts in the file (a partition of it), so that messages name
    lines and bytes of the file.

    A byte-order mark decides the encoding (and is dropped); otherwise UTF-8, falling back to cp1252 with a
    :class:`CorpusWarning` (appended to ``issues``) that says what share of the bytes was not valid UTF-8.

    Raises
    ------
    CorpusError
        For binary content (magic number, NUL characters, a high share of control characters) or a BOM that
        does not fit the bytes after it.
    """
    kind = _binary_kind(data)
    if kind is not None:
        raise CorpusError(f"{where}: binary content, not text ({kind}); refusing to read it as a document")
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise CorpusError(f"{where}: starts with a {label} byte-order mark but byte {exc.start + len(bom)} "
                                  f"is not valid {label}; re-save the file as UTF-8") from None
            _refuse_binary_text(text, data[len(bom):] if codec == "utf-8" else text.encode("utf-8"), where)
            return text
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        invalid = len(data) - len(data.decode("utf-8", errors="ignore").encode("utf-8"))
        text = data.decode("cp1252", errors="replace")
        _refuse_binary_text(text, data, where)
        span = "" if first_byte == 0 and first_line == 1 else f" of the lines from {first_line}"
        msg = (f"{where}: not valid UTF-8 (byte {exc.start + first_byte}: {data[exc.start:exc.start + 1]!r}, "
               f"{_position(data, exc.start, first_line, first_byte)}); read as cp1252 instead: {invalid} of "
               f"{len(data)} bytes{span} ({invalid / len(data):.1%}) are not valid UTF-8 and may be misread; "
               f"{_replaced(data, first_line=first_line, first_byte=first_byte)} (re-save the file as UTF-8 to be "
               "sure)")
        warnings.warn(msg, CorpusWarning, stacklevel=4)
        issues.append(msg)
        return text
    _refuse_binary_text(text, data, where)
    return text


CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
"""The bytes cp1252 leaves undefined: decoding replaces each with U+FFFD (the replacement character)."""


def _position(data: bytes, offset: int, first_line: int = 1, first_byte: int = 0) -> str:
    """``line L, offset O`` of byte ``offset`` of ``data`` (in cp1252 a byte is a character: same offset).

    ``data`` starts at line ``first_line``, byte ``first_byte`` of its file.
    """
    line = data.count(b"\n", 0, offset) + first_line
    return f"line {line}, offset {offset + first_byte}"


def _replaced(data: bytes, shown: int = 5, *, first_line: int = 1, first_byte: int = 0) -> str:
    """Say how many bytes of ``data`` cp1252 cannot decode (replaced by U+FFFD) and where the first ones are."""
    codes = np.frombuffer(data, dtype=np.uint8)
    at = np.flatnonzero(np.isin(codes, np.frombuffer(CP1252_UNDEFINED, dtype=np.uint8)))
    if not len(at):
        return "no byte was replaced"
    where = "; ".join(f"{_position(data, int(i), first_line, first_byte)} ({data[i:i + 1]!r})" for i in at[:shown])
    more = f" and {len(at) - shown} more" if len(at) > shown else ""
    return (f"{len(at)} byte(s) undefined in cp1252 were replaced by U+FFFD (the replacement character, "
            f"the original characters are lost): {where}{more}")


def open_text(path: Path, issues: list[str]) -> str:
    """Read ``path`` (gzip-decompressed when it ends in ``.gz``) as text with :func:`decode_text`."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise CorpusError(f"{path}: not a valid gzip file ({exc})") from exc
    return decode_text(data, str(path), issues)


BadRecordPolicy = Literal["skip", "fail"]
BAD_RECORD_POLICIES: tuple[str, ...] = ("fail", "skip")
"""What a bad record (a malformed JSONL line, a folder file that cannot be read as text) does: ``fail`` (the
default) stops the load naming file and line, ``skip`` skips it, counts it and reports it (every backend alike)."""


def check_bad_record_policy(on_bad_record: str) -> None:
    """Raise :class:`~framing.errors.ParameterError` unless ``on_bad_record`` is ``fail`` or ``skip``."""
    if on_bad_record not in BAD_RECORD_POLICIES:
        raise ParameterError(f"on_bad_record must be one of {list(BAD_RECORD_POLICIES)}, got {on_bad_record!r}")


def check_reading_options(on_bad_record: str, safe_ids: bool) -> None:
    """Raise :class:`~framing.errors.ParameterError` naming ``on_bad_record`` or ``safe_ids`` when either is invalid.

    The one check of the two corpus-reading options, for the API, the backends, the notebooks and ``framing run``.
    """
    check_bad_record_policy(on_bad_record)
    if not isinstance(safe_ids, bool):
        raise ParameterError(f"safe_ids must be True or False, got {safe_ids!r}")


class BadRecordError(CorpusError):
    """Bad records under ``on_bad_record='fail'``: the file (or folder) ``where`` and one message per record.

    One message builder for every backend and format (:meth:`merged` joins those of several partitions).
    """

    def __init__(self, where: str, records: Sequence[str]) -> None:
        self.where, self.records = where, list(records)
        more = f" and {len(self.records) - 20} more" if len(self.records) > 20 else ""
        super().__init__(f"{where}: {len(self.records)} bad record(s): " + "; ".join(self.records[:20]) + more
                         + " (use --on-bad-record skip / on_bad_record='skip' to skip and count them)")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by ``where`` and the records (the error travels back from a Dask worker)."""
        return (type(self), (self.where, self.records), {"args": self.args})

    def merged(self, others: Sequence[BadRecordError]) -> BadRecordError:
        """One error listing the records of ``self`` and ``others`` (the partitions of one input), in order."""
        return BadRecordError(self.where, [r for e in (self, *others) for r in e.records])


def bad_records(where: str, messages: list[str], on_bad_record: str, skipped: list[str]) -> None:
    """Apply the bad-record policy to ``messages`` (one per bad record of ``where``).

    ``fail``: raise :class:`BadRecordError` naming ``where`` and the lines; ``skip``: append
    ``"WHERE: message"`` to ``skipped``.
    """
    if not messages:
        return
    if on_bad_record == "fail":
        raise BadRecordError(where, messages)
    skipped.extend(f"{where}: {m}" for m in messages)


def _report_skipped(path: Path, what: str, bad: list[str], issues: list[str]) -> None:
    if bad:
        msg = f"{path}: skipped {len(bad)} malformed {what}: " + "; ".join(bad)
        warnings.warn(msg, CorpusWarning, stacklevel=4)
        issues.append(msg)


def _lines_with_field(text: str, lines: list[str], sep: str, values: set[str]) -> np.ndarray:
    """Sorted 1-based numbers of the ``lines`` of ``text`` where one of ``values`` stands as a whole field.

    One regex over the whole text; only these lines can be rows swallowed by an unterminated quote.
    """
    alternatives = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    d = re.escape(sep)
    pattern = re.compile(rf'(?:^|{d})"?(?:{alternatives})"?(?={d}|\r|\n|$)', re.M)
    ends = np.cumsum(np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)))
    positions = np.fromiter((m.start() for m in pattern.finditer(text)), dtype=np.int64)
    return np.unique(np.searchsorted(ends, positions, side="right") + 1)


def _quoting_faults(text: str, sep: str, header: list[str], records: list[tuple[int, int, list[str]]],
                    key_cols: Sequence[str], genre_col: str | None) -> list[str]:
    """Signs of an unterminated quote among the multi-line ``records`` (``start line, end line, fields``)."""
    faults: list[str] = []
    keys = [(c, header.index(c)) for c in key_cols if c in header]
    multi = [r for r in records if r[1] > r[0]]
    if not multi:
        return faults
    g = header.index(genre_col) if genre_col in header else None
    known = {row[g] for _, _, row in records if g is not None and len(row) == len(header)
             and "\n" not in row[g] and "\r" not in row[g] and '"' not in row[g]}
    lines = io.StringIO(text, newline="").readlines()
    candidates: np.ndarray | None = None
    for start, end, row in multi:
        if end == len(lines) and ("\n" in row[-1] or "\r" in row[-1]) \
                and "".join(lines[start - 1:end]).count('"') % 2:
            faults.append(f"line {start}: a quoted field opens here and is never closed (the file ends inside it, "
                          f"at line {end})")
            continue
        if len(row) != len(header):
            faults.append(f"line {start}: a record runs over lines {start}-{end} and has {len(row)} field(s), "
                          f"expected {len(header)}")
            continue
        spilled = [c for c, k in keys if "\n" in row[k] or "\r" in row[k]]
        if spilled:
            faults.append(f"line {start}: column(s) {spilled} run over lines {start}-{end}")
            continue
        quoted = [c for c, k in keys if '"' in row[k]]
        if quoted:
            faults.append(f"line {start}: column(s) {quoted} of a record over lines {start}-{end} hold a stray quote")
            continue
        if g is None or not known:
            continue
        if candidates is None:
            candidates = _lines_with_field(text, lines, sep, known)
        lo, hi = np.searchsorted(candidates, [start + 1, end + 1])
        for ln in candidates[lo:hi].tolist():
            cells = next(csv.reader([lines[ln - 1].rstrip("\r\n")], delimiter=sep), [])
            if len(cells) == len(header) and cells[g] in known:
                faults.append(f"line {ln} is a complete row (genre {cells[g]!r}) but sits inside a quoted field "
                              f"that opens on line {start}")
                break
    return faults


def read_delimited(path: Path, sep: str, issues: list[str], key_cols: Sequence[str] = (),
                   genre_col: str | None = None, skipped: list[str] | None = None) -> tuple[pd.DataFrame, list[int]]:
    """Read a CSV (``sep=","``) or TSV file with every cell as text.

    Parameters
    ----------
    path : Path
        The file (``.gz`` decompressed).
    sep : str
        Field delimiter.
    issues : list of str
        Warnings are appended here.
    key_cols : sequence of str
        Columns that hold one-line values (ids, genres): a value running over lines is a quoting fault.
    genre_col : str, optional
        Column whose values, seen on well-formed one-line rows, identify swallowed rows.
    skipped : list of str, optional
        The malformed one-line rows (wrong number of fields), which are always skipped, are appended here as
        ``"FILE: line N: K fields, expected M"``, as :func:`bad_records` lists skipped records: they count among
        the corpus's skipped records (``Corpus.skipped``, ``skipped_records`` in manifest and provenance).

    Returns
    -------
    (DataFrame, list of int)
        The rows (object dtype) and the line on which each starts.

    Raises
    ------
    CorpusError
        On an empty file, a quoting fault (all listed, with their lines) or a line the csv module cannot read.
    """
    text = open_text(path, issues)
    csv.field_size_limit(1 << 30)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = next(reader)
    except StopIteration:
        raise CorpusError(f"{path}: empty file, no header row") from None
    records: list[tuple[int, int, list[str]]] = []
    line = reader.line_num
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if row:
                records.append((start, line, row))
    except csv.Error as exc:
        raise CorpusError(f"{path}:{reader.line_num}: cannot read the file ({exc})") from None
    faults = _quoting_faults(text, sep, header, records, key_cols, genre_col)
    if faults:
        shown = "; ".join(faults[:10]) + (f"; and {len(faults) - 10} more" if len(faults) > 10 else "")
        raise CorpusError(f"{path}: unterminated quote? {shown}. Close the quote of the field (a quote inside a "
                          'quoted field is written twice: "")')
    good = [(start, row) for start, end, row in records if len(row) == len(header)]
    malformed = [f"line {start}: {len(row)} fields, expected {len(header)}"
                 for start, _, row in records if len(row) != len(header)]
    if skipped is not None:
        skipped.extend(f"{path}: {m}" for m in malformed)
    _report_skipped(path, "row(s)", malformed, issues)
    frame = pd.DataFrame([row for _, row in good], columns=header, dtype=object)
    return frame, [start for start, _ in good]


def read_jsonl(path: Path, issues: list[str], on_bad_record: str = "fail",
               skipped: list[str] | None = None) -> tuple[pd.DataFrame, list[int]]:
    """Read JSON Lines: one object per line. Returns rows and their lines.

    A line that is not a JSON object is a bad record (:func:`bad_records`): an error naming it (``fail``), or
    skipped, listed in ``skipped`` and reported with a warning (``skip``).
    """
    records, lines, bad = parse_jsonl(open_text(path, issues))
    bad_records(str(path), bad, on_bad_record, skipped if skipped is not None else [])
    _report_skipped(path, "line(s)", bad, issues)
    return pd.DataFrame.from_records(records), lines


def decode_error_message(exc: json.JSONDecodeError) -> str:
    """Return the JSON decoder's whole message for one line, position included (``"why (column C, char P)"``)."""
    return f"{exc.msg} (column {exc.colno}, char {exc.pos})"


def parse_jsonl(text: str, first_line: int = 1) -> tuple[list[dict[str, Any]], list[int], list[str]]:
    """Parse JSON Lines ``text`` whose first line is line ``first_line`` of its file.

    Returns the objects, their line numbers, and one ``"line N: why"`` message per malformed line (blank
    lines are ignored).
    """
    records: list[dict[str, Any]] = []
    lines: list[int] = []
    bad: list[str] = []
    for lineno, line in enumerate(text.splitlines(), start=first_line):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            bad.append(f"line {lineno}: {decode_error_message(exc)}")
            continue
        if not isinstance(obj, dict):
            bad.append(f"line {lineno}: not a JSON object")
            continue
        records.append(obj)
        lines.append(lineno)
    return records, lines, bad


# --- cells ---------------------------------------------------------------------------------------------


def _cell_fault(value: Any, allow_empty: bool) -> str:
    """Say what is wrong with one id/text/genre cell ("" when nothing)."""
    if isinstance(value, dict):
        return "a JSON object"
    if isinstance(value, list | tuple | np.ndarray):
        return "a JSON list"
    if allow_empty:
        return ""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "null"
    return "empty" if not str(value).strip() else ""


def check_cells(values: pd.Series, where: str, what: str, locations: Sequence[str], allow_empty: bool) -> list[str]:
    """One problem per kind of bad cell in ``values`` (one per document), listing their ``locations``.

    ``where`` names the column, ``what`` says what a cell must be; ``allow_empty`` accepts null and empty
    cells (texts: empty documents are skipped with a warning later) but still refuses JSON lists and objects.
    """
    faults = values.map(lambda v: _cell_fault(v, allow_empty))  # per document, not per token
    problems = []
    for fault in dict.fromkeys(faults[faults != ""]):
        locs = [locations[int(i)] for i in np.flatnonzero((faults == fault).to_numpy())]
        shown = ", ".join(locs[:20]) + (f" and {len(locs) - 20} more" if len(locs) > 20 else "")
        problems.append(f"{where} is {fault} ({what}) at {shown}")
    return problems


def as_id(value: Any) -> str:
    """Return a cell as an id or genre string."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an integer column with a gap is read as float: 7.0 -> '7'
    return str(value).strip()
