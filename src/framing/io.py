"""Atomic, deterministic writing of tables, text and bytes.

Every output of the package goes through these functions: a file is written to a temporary name in
the same directory and moved into place with :func:`os.replace`, so an interrupted run never leaves a
half-written table. Parquet and CSV output is deterministic (no timestamps, stable column order), so
the same inputs give byte-identical files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.errors import ConfigError, OutputError
from framing.paths import is_project_raw, is_project_root, project_paths, report_paths
from framing.types import PathLike

__all__ = [
    "LEFTOVER_AGE",
    "OUTPUTS_ENV",
    "TEMPORARY_NAME",
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_output",
    "check_reports_dir",
    "is_temporary_name",
    "note_output",
    "output_error",
    "parse_yaml",
    "read_table",
    "remove_temporaries",
    "sha256_bytes",
    "sha256_file",
    "write_csv",
    "write_json",
    "write_parquet",
    "yaml_error_message",
]


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


TEMPORARY_NAME = re.compile(r"\.(?P<stem>.*)\.[a-z0-9_]{8}\.tmp(?P<suffix>\.[^./]*)?")
"""The name :func:`atomic_path` gives a file while it is written, ``.<stem>.<8 characters>.tmp<suffix>``.

``<stem>`` and ``<suffix>`` are those of the output (``.documents.k3x_9qa2.tmp.parquet`` for ``documents.parquet``);
the 8 characters are :func:`tempfile.mkstemp`'s. Match whole names with ``fullmatch``.
"""


LEFTOVER_AGE = 60.0
"""Seconds after its last change from which a temporary file in a processed corpus's folder is a leftover.

A write in progress keeps touching its file; one a killed process left is untouched from then on. Preparing a
corpus removes older ones only (:func:`remove_temporaries`), so that a preparation running at the same time
keeps its own.
"""


def _temporary_affixes(target: Path) -> tuple[str, str]:
    """Return the prefix and suffix of :data:`TEMPORARY_NAME` for ``target`` (what ``mkstemp`` puts around its 8)."""
    return f".{target.stem}.", f".tmp{target.suffix}"


def is_temporary_name(name: str) -> bool:
    """Whether a file name is one :func:`atomic_path` gives a file while it is written (:data:`TEMPORARY_NAME`).

    Examples
    --------
    >>> is_temporary_name(".documents.k3x_9qa2.tmp.parquet"), is_temporary_name(".my_notes.tmp.txt")
    (True, False)
    """
    return TEMPORARY_NAME.fullmatch(name) is not None


def remove_temporaries(folder: PathLike, *, older_than: float = 0.0) -> list[Path]:
    """Remove the temporary files an interrupted :func:`atomic_path` left directly in ``folder``; return them.

    Only files whose whole name matches :data:`TEMPORARY_NAME` are removed, only in ``folder`` itself (not in
    its subfolders), and only those last modified ``older_than`` seconds ago or earlier (a write in progress
    keeps touching its file). A missing folder has none.
    """
    base = Path(folder)
    if not base.is_dir():
        return []
    now = time.time()
    removed = []
    for path in sorted(base.iterdir()):
        if not is_temporary_name(path.name) or not path.is_file() or path.is_symlink():
            continue
        try:
            if now - path.stat().st_mtime < older_than:
                continue
            path.unlink()
        except FileNotFoundError:  # another process finished or removed it
            continue
        removed.append(path)
    return removed


def _resolved(path: PathLike) -> Path:
    """``path`` with ``~`` expanded and symlinks resolved (as far as it exists), absolute."""
    return Path(os.path.realpath(Path(path).expanduser()))


def _within(path: Path, folder: Path) -> bool:
    """Whether resolved ``path`` is ``folder`` or lies inside it."""
    return path == folder or folder in path.parents


def _protected(target: Path, root: PathLike | None = None) -> str | None:
    """Why the resolved ``target`` must never be written, or None.

    It lies inside (or is) the project's ``data/raw`` (:func:`framing.paths.project_paths`) or the ``data/raw``
    folder of another framing project; or a ``SHA256SUMS`` manifest of one of its folders lists it (a file the
    manifest checks) or, for a folder, lists files inside it. A manifest's folder is otherwise writable: a
    downloads or home folder's manifest does not stop outputs written beside the files it lists. Manifests at
    or above a project's root are not looked for.
    """
    raw = _resolved(project_paths(root).raw)
    if _within(target, raw):
        return f"it is inside {raw}, the project's raw data, which is never written"
    for folder in (target, *target.parents):
        if is_project_raw(folder):
            return f"it is inside {folder}, a project's raw data, which is never written"
        if is_project_root(folder):  # a project's root: its manifests are below
            return None
        listed = _manifest_entries(folder / "SHA256SUMS")
        rel = target.relative_to(folder).as_posix() if target != folder else ""
        if rel in listed:
            return f"{folder}/SHA256SUMS lists it (data checked against a manifest are never written)"
        if listed and (not rel or any(e.startswith(f"{rel}/") for e in listed)):
            return f"{folder}/SHA256SUMS lists files inside it (data checked against a manifest are never written)"
    return None


def _manifest_entries(manifest: Path) -> set[str]:
    """Return the paths a ``SHA256SUMS`` manifest lists (``HASH  PATH`` lines; ``*`` marks binary mode)."""
    try:
        text = manifest.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    entries = set()
    for line in text.splitlines():
        parts = line.strip().split(maxsplit=1)
        if len(parts) == 2:
            entries.add(parts[1].lstrip("*").removeprefix("./"))
    return entries


def _blocked(target: Path, kind: str) -> str | None:
    """Why ``target`` cannot be created as a ``kind`` ("file" or "folder") where it is, or None."""
    if kind == "file" and target.is_dir():
        return "it is a folder; give a file name"
    if kind == "folder" and target.exists() and not target.is_dir():
        return "it is a file; give a folder"
    for parent in target.parents:
        if parent.exists():
            return None if parent.is_dir() else f"{parent} is a file, not a folder"
    return None


def output_error(path: PathLike, exc: OSError, kind: str = "file") -> OutputError:
    """Return an :class:`OutputError` naming ``path`` for the :class:`OSError` that writing it raised."""
    target = Path(path)
    why = _blocked(target, kind) or f"{exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else "")
    return OutputError(f"{target}: cannot write the {kind} here: {why}")


def check_output(path: PathLike, inputs: Iterable[PathLike | None] = (), *, kind: str = "file",
                 option: str = "--out", root: PathLike | None = None) -> Path:
    """Refuse an output path before anything is computed; return it resolved.

    Parameters
    ----------
    path : path
        The file (``kind="file"``) or folder (``kind="folder"``) about to be written.
    inputs : paths
        What the command reads (corpus file or folder, coded sheets, lexicon or case files ...); ``None`` and
        paths that do not exist (a shipped lexicon's name) are skipped.
    option : str
        The option or parameter that gave ``path``, named in the message (``--out``, ``processed_dir``).
    root : path, optional
        The project root whose ``data/raw`` is protected (default: :func:`framing.paths.find_root`).

    Raises
    ------
    OutputError
        Naming ``option`` and ``path`` and why, when ``path`` (symlinks resolved) is an input file, is or lies
        inside an input folder, holds an input (``kind="folder"``: the outputs would be written over it), lies
        inside ``data/raw``, is listed by a ``SHA256SUMS`` manifest (or, a folder, holds files one lists), is a
        folder where a file is to go (or a file where a folder is), or has a file among its parents.
    """
    target = _resolved(path)

    def refuse(why: str) -> OutputError:
        return OutputError(f"{option} {path}: refused, {why}; nothing was written")

    for given in inputs:
        if given is None or not str(given).strip() or not os.path.exists(given):
            continue
        source = _resolved(given)
        if source.is_dir() and _within(target, source):
            raise refuse(f"it is inside the input folder {given}")
        if kind == "folder" and source != target and _within(source, target):
            raise refuse(f"the input {given} lies inside it, where the outputs go")
        if target == source:
            raise refuse(f"it is the input file {given}" + ("" if Path(given) == Path(path) else
                                                            " (the same file once symlinks are resolved)"))
    why = _protected(target, root) or _blocked(target, kind)
    if why:
        raise refuse(why)
    return target


def check_reports_dir(reports_dir: PathLike, *, corpora: Iterable[PathLike | None] = (), root: PathLike | None = None,
                      option: str = "reports_dir") -> Path:
    """Refuse a reports folder that would write over the project's own folders; return it resolved.

    A run writes ``figures/``, ``tables/``, ``notebooks/``, ``evidence/``, ``index.html`` ... into its reports
    folder and removes its leftover temporary files, so the folder must be one of its own.

    Raises
    ------
    OutputError
        Naming ``option`` and the folder, when it is or contains the project root, ``data/`` (or any part of it:
        ``raw``, ``processed``, ``validation``), the source ``notebooks/`` folder or a corpus folder of
        ``corpora``; when it lies inside ``data/``, ``notebooks/`` or a corpus folder, or holds files a
        ``SHA256SUMS`` manifest lists; or when it is a file. Outside a project (no ``config/study.yaml`` found),
        only the corpus folders are checked.
    """
    target = _resolved(reports_dir)
    project = project_paths(root)
    in_project = is_project_root(project.root)  # else find_root fell back to the working directory
    folders = [(project.data, "the data folder"), (project.raw, "the raw data"),
               (project.processed, "the processed corpora"), (project.validation, "the validation data"),
               (project.notebooks, "the source notebooks")] if in_project else []
    folders += [(Path(c), "the corpus folder") for c in corpora if c is not None and str(c).strip()
                and Path(c).is_dir()]

    def refuse(why: str) -> OutputError:
        return OutputError(f"{option} {reports_dir}: refused, {why}; give a folder of its own (default: reports)")

    if in_project and _within(_resolved(project.root), target):
        raise refuse(f"it is or holds the project root {project.root}")
    for folder, what in folders:
        resolved = _resolved(folder)
        if _within(resolved, target):
            raise refuse(f"it is or holds {what} ({folder})")
        if _within(target, resolved):
            raise refuse(f"it is inside {what} ({folder})")
    why = _protected(target, root) or _blocked(target, "folder")
    if why:
        raise OutputError(f"{option} {reports_dir}: refused, {why}; nothing was written")
    return target


@contextlib.contextmanager
def atomic_path(path: PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success move it onto ``path`` atomically.

    The temporary file is named after :data:`TEMPORARY_NAME`. On any exception (including KeyboardInterrupt)
    it is removed and ``path`` is left as it was.

    Raises
    ------
    OutputError
        Before anything is written, when ``path`` lies inside ``data/raw`` or a ``SHA256SUMS`` manifest lists it
        (:func:`check_output`); and when the file cannot be written there (its folder cannot be created,
        a parent is a file, ``path`` is a folder), naming ``path``.
    """
    target = Path(path)
    why = _protected(_resolved(target))
    if why:
        raise OutputError(f"{target}: not written: {why}")
    prefix, suffix = _temporary_affixes(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=target.parent)
    except OSError as exc:
        raise output_error(target, exc) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; outputs get the permissions of an ordinary file
    try:
        yield tmp
        _keep_earlier(target)
        try:
            os.replace(tmp, target)
        except OSError as exc:
            raise output_error(target, exc) from exc
        note_output(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _keep_earlier(target: Path) -> None:
    """Link an output about to be replaced into its notebook's set-aside folder, once (``framing run`` only).

    ``framing run`` sets aside what a notebook wrote last time before running it again (``REPORTS/.previous/
    NOTEBOOK/``, :mod:`framing._run_outputs`), by its output manifest; a file the manifest does not list (a folder
    from before manifests, a notebook run by hand) is linked there here, just before this run replaces it, so an
    interrupted run can put it back too. Nothing happens outside ``framing run`` or when it is already kept.
    """
    manifest = os.environ.get(OUTPUTS_ENV)
    rel = _output_path(target, manifest)
    if manifest is None or rel is None or not target.is_file():
        return
    aside = report_paths(os.path.realpath(Path(manifest).parent.parent)).aside(Path(manifest).stem) / "files"
    kept = aside / rel
    if not aside.is_dir() or kept.exists():
        return
    kept.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(target, kept)
    except OSError:
        shutil.copy2(target, kept)


def _output_path(path: PathLike, manifest: str | None) -> Path | None:
    """Return ``path`` relative to the reports folder of ``manifest`` when it is a notebook's own output, else None.

    Not an output: no manifest (not under ``framing run``), a file outside the reports folder (a cache, a
    processed corpus), the run's own records (executed notebooks, manifests, the set-aside folder,
    ``key_results.json``, whose keys are listed one by one, and ``provenance.json``).
    """
    if not manifest:
        return None
    reports = Path(os.path.realpath(Path(manifest).parent.parent))
    try:
        rel = Path(os.path.realpath(Path(path))).relative_to(reports)
    except ValueError:
        return None
    return None if report_paths(reports).is_run_record(rel) else rel


OUTPUTS_ENV = "FRAMING_OUTPUTS"
"""Environment variable naming the output manifest of the notebook a kernel runs (set by ``framing run``)."""


def note_output(path: PathLike | None = None, *, key: str | None = None) -> None:
    """Append a file written, or a key result recorded, to the running notebook's output manifest.

    ``framing run`` starts each notebook's kernel with :data:`OUTPUTS_ENV` naming
    ``REPORTS/.outputs/NOTEBOOK.txt`` (:meth:`framing.paths.ReportPaths.outputs_manifest`); every file written
    under ``REPORTS`` (through :func:`atomic_path`, so every output) and every key of ``key_results.json`` is
    listed there, one ``file<TAB>relative path`` or ``key<TAB>name`` per line, so that the notebook's next run
    removes what this one left and it did not write again (``framing._run_outputs.settle``): a table a section
    no longer writes (a skipped coded section on another corpus) cannot pass for the new run's. Without the variable
    (a notebook run by hand, in JupyterLab) nothing is recorded.
    """
    manifest = os.environ.get(OUTPUTS_ENV)
    if not manifest:
        return
    if key is not None:
        line = f"key\t{key}"
    else:
        rel = _output_path(path, manifest) if path is not None else None
        if rel is None:
            return
        line = f"file\t{rel.as_posix()}"
    Path(manifest).parent.mkdir(parents=True, exist_ok=True)
    with open(manifest, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def atomic_write_bytes(path: PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def atomic_write_text(path: PathLike, text: str, encoding: str = "utf-8") -> Path:
    r"""Write ``text`` to ``path`` atomically (UTF-8, ``\n`` line ends) and return the path."""
    return atomic_write_bytes(path, text.encode(encoding))


def write_json(path: PathLike, obj: Any) -> Path:
    """Write ``obj`` as indented, key-sorted JSON atomically."""
    return atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")


def write_parquet(df: pd.DataFrame, path: PathLike) -> Path:
    """Write ``df`` to Parquet atomically and deterministically (no index, no pandas timestamps)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd", write_statistics=False)
    return Path(path)


def _csv_column(s: pd.Series) -> Any:
    """Return a column as an Arrow string array of its CSV fields, or None when it is not int64 or str."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pd.api.types.is_bool_dtype(s.dtype) or not (s.dtype == "int64" or isinstance(s.dtype, pd.StringDtype)):
        return None
    arr = pa.chunked_array([pa.array(s.to_numpy())]) if s.dtype == "int64" else pa.chunked_array(pa.array(s.array))
    if arr.null_count:
        return None
    if s.dtype == "int64":
        return pc.cast(arr, pa.string())
    arr = arr.cast(pa.string())
    # the csv module's minimal quoting: a value holding the delimiter, the quote or the line end ("\n") is quoted
    needs = pc.or_(pc.or_(pc.match_substring(arr, ","), pc.match_substring(arr, '"')), pc.match_substring(arr, "\n"))
    if not pc.any(needs).as_py():
        return arr
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(arr, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, arr)


def _csv_body(df: pd.DataFrame) -> memoryview | None:
    r"""Return the rows of ``df`` as ``df.to_csv(index=False, lineterminator="\n")`` writes them, or None.

    Built column-wise with Arrow when every column is int64 or str without missing values and there are two
    columns or more; None otherwise (pandas then writes the file).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if df.shape[1] < 2 or len(df) == 0 or not df.columns.is_unique:
        return None
    try:
        cols = [_csv_column(df[name]) for name in df.columns]
        if any(col is None for col in cols):
            return None
        lines = pc.binary_join_element_wise(*cols, ",").combine_chunks()
        lines = pc.binary_join_element_wise(lines, "", "\n")
    except pa.ArrowException:  # e.g. more than 2 GB of text in one string array
        return None
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32, count=len(lines) + 1, offset=lines.offset * 4)
    return memoryview(lines.buffers()[2])[int(offsets[0]):int(offsets[-1])]


def write_csv(df: pd.DataFrame, path: PathLike, *, float_format: str | None = "%.6g") -> Path:
    r"""Write ``df`` to CSV atomically (UTF-8, ``\n`` line ends, no index, fixed float format).

    Floats are written with ``float_format`` (6 significant digits by default, so tables are byte-stable across
    platforms): an integer count or offset kept in a float column (after a merge brings NaN in) would be
    rounded, so keep such columns integer (pandas ``Int64``) before writing.

    Tables of int64 and str columns only (the sentences and frame tables) are assembled column-wise with
    Arrow (:func:`_csv_body`), byte for byte what pandas writes; other tables go through ``DataFrame.to_csv``.
    """
    body = _csv_body(df)
    with atomic_path(path) as tmp:
        if body is None:
            df.to_csv(tmp, index=False, lineterminator="\n", float_format=float_format)
        else:
            with tmp.open("wb") as fh:
                fh.write(df.iloc[:0].to_csv(index=False, lineterminator="\n").encode("utf-8"))
                fh.write(body)
    return Path(path)


def read_table(path: PathLike) -> pd.DataFrame:
    """Read a table written by this module (Parquet or CSV, chosen by extension)."""
    p = Path(path)
    if p.suffix == ".parquet":
        return pd.read_parquet(p)
    return pd.read_csv(p, keep_default_na=False)


def parse_yaml(text: str, source: PathLike) -> Any:
    """Parse YAML ``text`` read from ``source``.

    Raises
    ------
    ConfigError
        On a syntax error, on one line: ``SOURCE:LINE: invalid YAML: CONTEXT (line L, column C): PROBLEM (line L,
        column C)``. LINE is where the construct that went wrong starts (yaml's context mark: the unclosed ``{``
        or ``[``), else where the parser stopped (its problem mark); the message gives both with their columns.
    """
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(yaml_error_message(exc, source)) from exc


def yaml_error_message(exc: Exception, source: PathLike) -> str:
    """One line naming ``source``, line and column for a YAML error (see :func:`parse_yaml`)."""

    def at(mark: Any) -> str:
        return f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""

    problem, problem_mark = getattr(exc, "problem", None), getattr(exc, "problem_mark", None)
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if problem is None:
        what = " ".join(str(exc).split())
    else:
        what = (f"{context}{at(context_mark)}: " if context else "") + f"{problem}{at(problem_mark)}"
    mark = context_mark if context_mark is not None else problem_mark
    where = f":{mark.line + 1}" if mark is not None else ""
    return f"{source}{where}: invalid YAML: {what}"


def sha256_bytes(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: PathLike, chunk: int = 1 << 20) -> str:
    """Return the hex SHA-256 of the file at ``path`` (read in chunks)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()
