"""Where things live: the project root, raw and processed data, reports, configuration.

The root is, in order: the ``FRAMING_ROOT`` environment variable, the nearest parent of the current
directory holding ``config/study.yaml``, or the current directory. All other paths derive from it,
so a test or a batch run can point the whole study elsewhere by passing ``root``.

:func:`project_path` resolves a path parameter (``corpus="data/raw"``, ``reports_dir="reports"``, a coded
sheet) against the root instead of the working directory, so a notebook finds the project's data whether it
runs in JupyterLab (working directory ``notebooks/``), in papermill or in a batch worker.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framing.types import PathLike

__all__ = [
    "CASE_DIR",
    "EVIDENCE_DIR",
    "KEY_RESULTS_FILE",
    "PACKAGE_DIR",
    "STUDY_CORPUS_NAME",
    "ProjectPaths",
    "ReportPaths",
    "check_finished_run",
    "corpus_stem",
    "find_root",
    "is_project_raw",
    "is_project_root",
    "processed_folder",
    "processed_name",
    "project_path",
    "project_paths",
    "project_resource",
    "read_manifest",
    "report_paths",
    "shown_path",
]

PACKAGE_DIR = Path(__file__).resolve().parent
"""The installed package directory (shipped lexicons, rules, plotting style)."""

CASE_DIR = PACKAGE_DIR / "cases"
"""Folder of the shipped case files (package data; :mod:`framing.cases`)."""

KEY_RESULTS_FILE = "key_results.json"
"""The key-results store of a reports directory (see :class:`ReportPaths`)."""

EVIDENCE_DIR = "evidence"
"""The keyword-in-context evidence pages of a reports directory (see :class:`ReportPaths`)."""


def is_project_root(path: PathLike) -> bool:
    """Whether ``path`` is a framing project's root (it holds ``config/study.yaml``)."""
    return (Path(path) / "config" / "study.yaml").is_file()


def find_root(start: PathLike | None = None) -> Path:
    """Return the project root (see module docstring)."""
    env = os.environ.get("FRAMING_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(start if start is not None else Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if is_project_root(candidate):
            return candidate
    return here


def shown_path(path: PathLike, root: PathLike | None = None) -> str:
    """Return ``path`` as outputs show it: relative to the project root when it lies under it, else normalised.

    Provenance, batch summaries and the notebooks' printed lines use it, so what a reader sees does not name the
    machine's folders (``reports/tables/x.csv``, ``../shared/corpora/...`` for a path written from the root). The
    test is lexical, as the path was given (``ROOT/../shared`` stays relative); any other path is shown normalised
    where that names the same file (:func:`framing.errors.tidy_path`: ``/home/me/main/../shared`` as
    ``/home/me/shared``), as messages show theirs; ``root`` defaults to :func:`find_root`.

    Examples
    --------
    >>> shown_path("/study/reports/tables/x.csv", root="/study")
    'reports/tables/x.csv'
    >>> shown_path("/study/../shared/c.tsv", root="/study")
    '../shared/c.tsv'
    >>> shown_path("/elsewhere/c.csv", root="/study")
    '/elsewhere/c.csv'
    """
    from framing.errors import tidy_path

    path, base = Path(path), Path(root) if root is not None else find_root()
    return os.path.relpath(path, base) if path.is_relative_to(base) else tidy_path(str(path))


def project_path(value: PathLike | list[PathLike] | None, root: PathLike | None = None) -> Any:
    """Resolve a path parameter against the project root (not the working directory).

    Parameters
    ----------
    value : path, list of paths or None
        An absolute path is returned unchanged; a relative one is joined to ``root``. A list is resolved
        element by element; ``None`` and ``""`` are returned unchanged (an absent optional input).
    root : path, optional
        The project root (default: :func:`find_root`).

    Returns
    -------
    str, list of str or None
        Strings (not ``Path``), so notebook parameters keep the type papermill declared.

    Examples
    --------
    >>> project_path("data/raw", root="/study")
    '/study/data/raw'
    >>> project_path(["a.csv", "/tmp/b.csv"], root="/study")
    ['/study/a.csv', '/tmp/b.csv']
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return value
    if isinstance(value, list | tuple):
        return [project_path(v, root) for v in value]
    base = Path(root) if root is not None else find_root()
    p = Path(value).expanduser()
    return str(p if p.is_absolute() else base / p)


@dataclass(frozen=True)
class ReportPaths:
    """What a reports directory holds (the study's ``reports/``, a batch run, a notebook's ``reports_dir``)."""

    root: Path

    @property
    def figures(self) -> Path:
        """Figures (PDF, SVG, PNG and the CSV data behind each)."""
        return self.root / "figures"

    @property
    def tables(self) -> Path:
        """Tables (CSV and LaTeX)."""
        return self.root / "tables"

    @property
    def notebooks(self) -> Path:
        """Executed notebooks."""
        return self.root / "notebooks"

    @property
    def evidence(self) -> Path:
        """Keyword-in-context evidence pages."""
        return self.root / EVIDENCE_DIR

    @property
    def batch(self) -> Path:
        """Batch runs, one directory per batch."""
        return self.root / "batch"

    @property
    def provenance(self) -> Path:
        """The run's ``provenance.json``."""
        return self.root / "provenance.json"

    @property
    def key_results(self) -> Path:
        """The key-results store, ``key_results.json``."""
        return self.root / KEY_RESULTS_FILE

    @property
    def outputs(self) -> Path:
        """The output manifests, one per notebook (:meth:`outputs_manifest`)."""
        return self.root / ".outputs"

    @property
    def previous(self) -> Path:
        """What ``framing run`` set aside before running notebooks again, one folder per notebook (:meth:`aside`)."""
        return self.root / ".previous"

    def outputs_manifest(self, notebook: PathLike) -> Path:
        """Return the file listing what ``notebook`` wrote here in its last run (:func:`framing.io.note_output`)."""
        return self.outputs / f"{Path(notebook).stem}.txt"

    def aside(self, notebook: PathLike) -> Path:
        """Return the folder where ``notebook``'s earlier outputs are set aside while it runs again."""
        return self.previous / Path(notebook).stem

    def is_run_record(self, rel: PathLike) -> bool:
        """Whether ``rel`` (relative to this folder) is one of the run's own records, not a notebook's output.

        The records: executed notebooks, output manifests, the set-aside folder, ``key_results.json`` (whose keys
        are listed one by one) and ``provenance.json``.
        """
        rel = Path(rel)
        folders = {p.relative_to(self.root).as_posix() for p in (self.notebooks, self.outputs, self.previous)}
        files = {p.relative_to(self.root).as_posix() for p in (self.key_results, self.provenance)}
        return (bool(rel.parts) and rel.parts[0] in folders) or rel.as_posix() in files


def report_paths(reports_dir: PathLike) -> ReportPaths:
    """Return the :class:`ReportPaths` of ``reports_dir`` (taken as given, not resolved).

    Examples
    --------
    >>> str(report_paths("/study/reports").figures)
    '/study/reports/figures'
    """
    return ReportPaths(Path(reports_dir))


@dataclass(frozen=True)
class ProjectPaths:
    """The study's directories, all derived from one root."""

    root: Path

    @property
    def config(self) -> Path:
        """The configuration folder, ``config/``."""
        return self.root / "config"

    @property
    def study_config(self) -> Path:
        """The study configuration, ``config/study.yaml``."""
        return self.config / "study.yaml"

    @property
    def data(self) -> Path:
        """The data folder, ``data/``."""
        return self.root / "data"

    @property
    def raw(self) -> Path:
        """The immutable raw seed corpus, ``data/raw/``."""
        return self.data / "raw"

    @property
    def processed(self) -> Path:
        """Processed corpora (``data/processed/NAME/``)."""
        return self.data / "processed"

    @property
    def validation(self) -> Path:
        """Coding sheets of the validation set, ``data/validation/``."""
        return self.data / "validation"

    @property
    def notebooks(self) -> Path:
        """The study's notebooks (stored without outputs)."""
        return self.root / "notebooks"

    @property
    def batch_configs(self) -> Path:
        """Batch files (``config/batch/*.yaml``)."""
        return self.config / "batch"

    @property
    def reports(self) -> Path:
        """The default reports folder, ``reports/``."""
        return self.root / "reports"

    @property
    def report(self) -> ReportPaths:
        """The layout of :attr:`reports` (figures, tables, notebooks, provenance ...)."""
        return ReportPaths(self.reports)

    @property
    def figures(self) -> Path:
        """Figures of the default reports folder."""
        return self.report.figures

    @property
    def tables(self) -> Path:
        """Tables of the default reports folder."""
        return self.report.tables

    @property
    def lexicons(self) -> Path:
        """Shipped lexicons (inside the package, so they install with it)."""
        return PACKAGE_DIR / "lexicons"

    @property
    def cases(self) -> Path:
        """Shipped case files (inside the package, as the lexicons)."""
        return CASE_DIR


def project_resource(value: str | None, root: PathLike | None = None) -> str | None:
    """Resolve a lexicon or case parameter: a shipped name stays a name, a relative file path joins the root.

    A value with a path separator or a file suffix (``my_frames.yaml``, ``dicts/liwc.dic``) is a file;
    ``blame_frames`` or ``baby_p`` is the name of a shipped lexicon or case file and is returned unchanged.

    Examples
    --------
    >>> project_resource("blame_frames", root="/study")
    'blame_frames'
    >>> project_resource("lexicons/mine.yaml", root="/study")
    '/study/lexicons/mine.yaml'
    """
    if value is None or not str(value).strip():
        return value
    p = Path(str(value))
    if len(p.parts) == 1 and not p.suffix:
        return str(value)
    return str(project_path(str(value), root))


def project_paths(root: PathLike | None = None) -> ProjectPaths:
    """Return the :class:`ProjectPaths` for ``root`` (default: :func:`find_root`)."""
    return ProjectPaths(Path(root).resolve() if root is not None else find_root())


STUDY_CORPUS_NAME = "seeds"
"""``corpus_name`` of the study's own corpus (``data/raw``; ``config/study.yaml``), the notebooks' default."""

_TABLE_SUFFIXES = frozenset({".gz", ".bz2", ".xz", ".zip", ".csv", ".tsv", ".tab", ".txt", ".jsonl", ".json",
                             ".ndjson", ".parquet", ".pq"})


def corpus_stem(path: PathLike) -> str:
    """Return the name a corpus file or folder gives by default: its name without table and compression suffixes.

    Characters other than letters, digits, ``_``, ``.`` and ``-`` become ``_``; leading dots are dropped (no
    hidden folder, and ``..`` names the folder it points to); an empty result is ``corpus``. Windows separators
    count as separators.

    Examples
    --------
    >>> corpus_stem("../mine/immig.jsonl.gz")
    'immig'
    >>> corpus_stem("my corpus/")
    'my_corpus'
    """
    text = str(path).replace("\\", "/").rstrip("/")
    name = Path(text).name if Path(text).name not in ("", ".", "..") else Path(text or ".").resolve().name
    while Path(name).suffix.lower() in _TABLE_SUFFIXES:
        name = name[: -len(Path(name).suffix)]
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).lstrip(".") or "corpus"


PREPARED_TABLES = ("documents", "paragraphs", "sentences", "removed_spans", "frames", "blame")
"""The tables a preparation writes into ``data/processed/NAME/``: ``TABLE.parquet`` (in memory) or
``TABLE/part-NNNNN.parquet`` (partitioned), ``manifest.json`` last."""

PREPARED_OUTPUT = frozenset({"manifest.json", *PREPARED_TABLES, *(f"{t}.parquet" for t in PREPARED_TABLES)})
"""Every name a preparation (in memory or partitioned) writes in ``data/processed/NAME/``: its output, not the
user's (anything else there, notes of one's own, is the user's and is kept by a run that replaces the folder)."""


def processed_folder(source: PathLike, name: str | None = None, processed_dir: PathLike | None = None) -> Path:
    """Return the folder a preparation of ``source`` writes: ``processed_dir/NAME`` (default ``data/processed``).

    ``NAME`` is ``name``, else :func:`corpus_stem` of ``source``: the one rule of the in-memory and partitioned
    preparations and of the commands that read them.
    """
    base = Path(processed_dir) if processed_dir is not None else project_paths().processed
    return base / (name or corpus_stem(source))


def read_manifest(directory: PathLike, *, strict: bool = False) -> dict[str, Any] | None:
    """Return the ``manifest.json`` of a preparation folder (in memory or partitioned) as a mapping.

    ``None`` when it is absent, unreadable, not JSON or not a JSON object; with ``strict`` the reason is raised
    instead: :class:`OSError` (absent, unreadable) or :class:`ValueError` (not JSON, or not an object).
    """
    import json

    try:
        found = json.loads((Path(directory) / "manifest.json").read_text(encoding="utf-8"))
        if not isinstance(found, dict):
            raise ValueError(f"a JSON {type(found).__name__}, not an object")
    except (OSError, ValueError):
        if strict:
            raise
        return None
    return found


def check_finished_run(folder: PathLike) -> None:
    """Refuse a folder a preparation left without its ``manifest.json`` (the run was interrupted or failed).

    Such a folder holds prepared tables (``TABLE.parquet`` or ``TABLE/part-*.parquet``) but neither
    ``manifest.json`` nor ``metadata.csv``; a corpus folder or a complete preparation passes.

    Raises
    ------
    CorpusError
        Naming the folder: ``X holds an interrupted or failed run (no manifest.json): rerun prepare``.
    """
    from framing.errors import CorpusError

    path = Path(folder)
    if not path.is_dir() or (path / "manifest.json").is_file() or (path / "metadata.csv").is_file():
        return
    if any((path / t).is_dir() or (path / f"{t}.parquet").is_file() for t in PREPARED_TABLES):
        raise CorpusError(f"{path} holds an interrupted or failed run (no manifest.json): rerun prepare "
                          "(`framing prepare CORPUS --name NAME`) and read the folder it writes")


def is_project_raw(path: Path) -> bool:
    """Whether ``path`` is the ``data/raw`` folder of a framing project (one with ``config/study.yaml``)."""
    project = path.parent.parent
    return path.name == "raw" and path.parent.name == "data" and is_project_root(project)


def processed_name(corpus: PathLike, corpus_name: str, root: PathLike | None = None) -> str:
    """Return the name a corpus is prepared and reported under: ``corpus_name``, except the study's for another.

    ``seeds`` (:data:`STUDY_CORPUS_NAME`, the default of every notebook and of ``config/study.yaml``) names
    the study's own corpus, ``data/raw`` (of this project, or of another framing project's checkout). Given
    with another ``corpus`` (as when only ``corpus`` is overridden) it would file that corpus under the study's
    name, so the name is taken from the corpus path instead: its file or folder name without table and
    compression suffixes (``../mine/immig.jsonl.gz`` -> ``immig``).

    Examples
    --------
    >>> processed_name("/elsewhere/immig.jsonl.gz", "seeds", root="/study")
    'immig'
    >>> processed_name("/elsewhere/immig.jsonl.gz", "mycase", root="/study")
    'mycase'
    >>> processed_name("data/raw", "seeds", root="/study")
    'seeds'
    """
    if corpus_name != STUDY_CORPUS_NAME:
        return corpus_name
    path = Path(project_path(corpus, root)).resolve()
    if path == project_paths(root).raw.resolve() or is_project_raw(path):
        return corpus_name
    name = corpus_stem(path)
    if name == STUDY_CORPUS_NAME:
        from framing.errors import ParameterError

        raise ParameterError(f"corpus {str(corpus)!r}: give corpus_name (-p corpus_name=NAME): {STUDY_CORPUS_NAME!r} "
                             "is the study's own corpus and no other name follows from the corpus path")
    return name
