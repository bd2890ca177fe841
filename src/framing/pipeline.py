"""Running the study's notebooks with papermill, and recording provenance.

* :func:`notebook_parameters` reads a notebook's ``parameters`` cell (names, inferred types, defaults and
  the comment that documents each), as ``papermill --help-notebook`` does.
* :func:`check_parameters` validates a parameter dictionary against those declarations and reports every
  unknown name and wrong type at once.
* :func:`run_notebook` executes one notebook into an output path. The executed copy is written to a
  temporary name and moved into place at the end, so the output is never half-written; when a cell fails,
  the executed notebook (with the error) is still moved into place for inspection and
  :class:`~framing.errors.NotebookError` names notebook, cell and error.
* :func:`run_study` runs the notebooks listed in ``config/study.yaml`` in order, stops at the first failure,
  and writes ``reports/provenance.json`` (parameters, git commit, package and Python versions, SHA-256 of
  every raw input and lexicon used, start and end time) whether the run succeeded or not.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as _dt
import importlib.metadata
import os
import platform
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framing.errors import ConfigError, FramingError, NotebookError, ParameterError
from framing.io import atomic_path, parse_yaml, sha256_file, write_json
from framing.paths import PACKAGE_DIR, find_root
from framing.types import PathLike

__all__ = [
    "NotebookResult",
    "ParameterSpec",
    "StudyConfig",
    "StudyResult",
    "check_parameters",
    "collect_inputs",
    "load_study_config",
    "notebook_defaults",
    "notebook_parameters",
    "provenance",
    "run_notebook",
    "run_study",
    "utc_now",
    "write_provenance",
]

PROVENANCE_PACKAGES = (
    "framing", "numpy", "scipy", "pandas", "pyarrow", "scikit-learn", "nltk", "matplotlib", "papermill",
    "nbformat", "nbconvert", "ipykernel", "pyyaml", "pyahocorasick", "vadersentiment", "networkx",
)


@dataclass(frozen=True)
class ParameterSpec:
    """A parameter declared in a notebook's ``parameters`` cell."""

    name: str
    type_name: str
    default: str
    help: str


@dataclass(frozen=True)
class NotebookResult:
    """One executed notebook."""

    input: Path
    output: Path
    parameters: dict[str, Any]
    elapsed: float
    status: str = "ok"
    error: str = ""


@dataclass(frozen=True)
class StudyConfig:
    """A parsed ``config/study.yaml``."""

    path: Path
    name: str
    parameters: dict[str, Any]
    notebooks: tuple[tuple[Path, dict[str, Any]], ...]
    description: str = ""


@dataclass
class StudyResult:
    """The outcome of :func:`run_study`."""

    reports_dir: Path
    notebooks: list[NotebookResult] = field(default_factory=list)
    elapsed: float = 0.0
    provenance_path: Path | None = None


# --- parameters -------------------------------------------------------------------------------------


def notebook_parameters(path: PathLike) -> dict[str, ParameterSpec]:
    """Return the parameters declared in the notebook's ``parameters`` cell, in order."""
    import papermill

    p = Path(path)
    if not p.is_file():
        raise NotebookError(f"{p}: notebook not found")
    specs = papermill.inspect_notebook(str(p))
    return {
        name: ParameterSpec(name, str(s.get("inferred_type_name", "None")), str(s.get("default", "")),
                            str(s.get("help", "")))
        for name, s in specs.items()
    }


_TYPE_CHECKS: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (int, float),
    "str": (str,),
    "bool": (bool,),
    "list": (list, tuple),
    "dict": (dict,),
}


def _type_ok(type_name: str, value: Any) -> bool:
    base = type_name.split("[")[0].strip().lower()
    if value is None or base not in _TYPE_CHECKS:
        return True  # undeclared or Optional types: accepted as given
    if base in ("int", "float") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPE_CHECKS[base])


def check_parameters(
    specs: Mapping[str, ParameterSpec], parameters: Mapping[str, Any], *, where: str = "notebook"
) -> None:
    """Raise :class:`ParameterError` listing every unknown name and wrongly typed value at once.

    Types are those papermill infers from the defaults (``int``, ``float``, ``str``, ``bool``, ``list``,
    ``dict``); an ``int`` is accepted where a ``float`` is declared; ``None`` defaults accept anything.
    """
    problems: list[str] = []
    unknown = [n for n in parameters if n not in specs]
    if unknown:
        problems.append(f"unknown parameter(s) {unknown}; known: {sorted(specs)}")
    for name, value in parameters.items():
        spec = specs.get(name)
        if spec is not None and not _type_ok(spec.type_name, value):
            problems.append(f"parameter {name!r} must be {spec.type_name}, got {type(value).__name__} {value!r}")
    if problems:
        raise ParameterError(f"{where}: " + "; ".join(problems))


KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=ERROR",)
"""Arguments for the kernel: keep its start-up chatter (transport notices) out of the run's progress output."""


# --- one notebook -----------------------------------------------------------------------------------


def _describe_failure(exc: Exception) -> tuple[str, str]:
    index = getattr(exc, "cell_index", None)
    count = getattr(exc, "exec_count", None)
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    cell = f"cell {index}" if index is not None else "a cell"
    if count is not None:
        cell += f" (In [{count}])"
    return cell, f"{ename}: {evalue}"


def run_notebook(
    input_path: PathLike,
    output_path: PathLike,
    parameters: Mapping[str, Any] | None = None,
    *,
    cwd: PathLike | None = None,
    kernel_name: str | None = None,
    validate: bool = True,
    log_output: bool = False,
) -> NotebookResult:
    """Execute a notebook with papermill and write the executed copy to ``output_path``.

    Parameters
    ----------
    input_path, output_path : path
        The notebook to run and where its executed copy goes.
    parameters : mapping, optional
        Values for the notebook's ``parameters`` cell.
    cwd : path, optional
        Working directory of the kernel (default: the project root).
    kernel_name : str, optional
        Jupyter kernel (default: the notebook's kernelspec, ``python3``).
    validate : bool
        Check ``parameters`` against the notebook's declarations first (:func:`check_parameters`).
    log_output : bool
        Echo cell output to the log as it runs.

    Raises
    ------
    ParameterError
        Unknown or wrongly typed parameters (nothing is executed).
    NotebookError
        A cell failed: the message names notebook, cell and error; the executed notebook with the error is
        kept at ``output_path``.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    src = Path(input_path)
    out = Path(output_path)
    params = dict(parameters or {})
    if validate:
        check_parameters(notebook_parameters(src), params, where=str(src))
    workdir = Path(cwd) if cwd is not None else find_root()
    started = time.perf_counter()
    failure: Exception | None = None
    with atomic_path(out) as tmp:
        try:
            papermill.execute_notebook(
                str(src), str(tmp), parameters=params, kernel_name=kernel_name, cwd=str(workdir),
                progress_bar=False, log_output=log_output, request_save_on_cell_execute=False,
                extra_arguments=list(KERNEL_ARGUMENTS),
            )
        except PapermillExecutionError as exc:
            failure = exc  # keep the executed notebook with the error: let atomic_path move it into place
        _record_output_path(tmp, out)
    elapsed = time.perf_counter() - started
    if failure is not None:
        cell, error = _describe_failure(failure)
        raise NotebookError(f"notebook {src} failed in {cell}: {error} (executed notebook kept at {out})")
    return NotebookResult(src, out, params, elapsed)


def _record_output_path(executed: Path, final: Path) -> None:
    """Papermill records the (temporary) path it wrote to; record the final one instead."""
    import nbformat

    if not executed.is_file() or executed.stat().st_size == 0:
        return
    nb = nbformat.read(str(executed), as_version=4)
    meta = nb.metadata.get("papermill")
    if meta is not None and meta.get("output_path") != str(final):
        meta["output_path"] = str(final)
        executed.write_text(nbformat.writes(nb), encoding="utf-8")


def notebook_defaults(specs: Mapping[str, ParameterSpec]) -> dict[str, Any]:
    """The default values of declared parameters (literals only; others are skipped)."""
    out: dict[str, Any] = {}
    for name, spec in specs.items():
        try:
            out[name] = ast.literal_eval(spec.default)
        except (ValueError, SyntaxError):
            continue
    return out


# --- the study --------------------------------------------------------------------------------------

_STUDY_KEYS = {"name", "description", "parameters", "notebooks"}
_NOTEBOOK_KEYS = {"path", "parameters"}


def load_study_config(path: PathLike | None = None, *, root: PathLike | None = None) -> StudyConfig:
    """Parse and check a study configuration (default: ``config/study.yaml`` under the project root)."""
    base = Path(root) if root is not None else find_root()
    p = Path(path) if path is not None else base / "config" / "study.yaml"
    if not p.is_file():
        raise ConfigError(f"{p}: study configuration not found")
    doc = parse_yaml(p.read_text(encoding="utf-8"), p)
    if not isinstance(doc, dict):
        raise ConfigError(f"{p}: expected a mapping with 'notebooks'")
    unknown = set(doc) - _STUDY_KEYS
    if unknown:
        raise ConfigError(f"{p}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_STUDY_KEYS)}")
    params = doc.get("parameters") or {}
    if not isinstance(params, dict):
        raise ConfigError(f"{p}: 'parameters' must be a mapping of NAME: VALUE")
    entries = doc.get("notebooks")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{p}: 'notebooks' must be a non-empty list")
    notebooks: list[tuple[Path, dict[str, Any]]] = []
    for i, entry in enumerate(entries, start=1):
        if isinstance(entry, str):
            entry = {"path": entry}
        if not isinstance(entry, dict) or "path" not in entry:
            raise ConfigError(f"{p}: notebooks entry #{i} needs a 'path'")
        bad = set(entry) - _NOTEBOOK_KEYS
        if bad:
            raise ConfigError(f"{p}: notebooks entry #{i} has unknown key(s) {sorted(bad)}")
        nb_path = Path(entry["path"])
        if not nb_path.is_absolute():
            nb_path = base / nb_path
        nb_params = entry.get("parameters") or {}
        if not isinstance(nb_params, dict):
            raise ConfigError(f"{p}: notebooks entry #{i} 'parameters' must be a mapping")
        notebooks.append((nb_path, dict(nb_params)))
    return StudyConfig(p, str(doc.get("name", p.stem)), dict(params), tuple(notebooks),
                       str(doc.get("description", "")).strip())


def _git_commit(root: Path) -> dict[str, Any]:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                              check=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": head or None, "dirty": bool(dirty)}


def _versions() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in PROVENANCE_PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return out


OUTPUT_PARAMETERS = frozenset({"reports_dir", "out", "output", "out_dir"})
"""Parameters that name outputs, not inputs: never hashed as inputs."""


def collect_inputs(parameters: Mapping[str, Any], root: PathLike) -> dict[str, str]:
    """SHA-256 of every input a run depends on: files and folders named by parameters, shipped lexicons.

    A parameter value that is a path to a file is hashed; a folder contributes its files (not recursing);
    a value naming a shipped lexicon (``framing/lexicons/NAME.yaml``) contributes that file. Parameters in
    :data:`OUTPUT_PARAMETERS` are skipped.
    """
    base = Path(root)
    found: dict[str, str] = {}

    def add(path: Path) -> None:
        key = os.path.relpath(path, base) if path.is_relative_to(base) else str(path)
        if path.is_file() and key not in found:
            found[key] = sha256_file(path)

    values: list[Any] = []
    for name, value in parameters.items():
        if name in OUTPUT_PARAMETERS:
            continue
        values.extend(value if isinstance(value, list | tuple) else [value])
    for value in values:
        if not isinstance(value, str) or not value or len(value) > 4096:
            continue
        candidate = Path(value) if Path(value).is_absolute() else base / value
        shipped = PACKAGE_DIR / "lexicons" / f"{value}.yaml"
        if candidate.is_file():
            add(candidate)
        elif candidate.is_dir() and candidate.resolve() != base.resolve():
            for child in sorted(candidate.iterdir()):
                add(child)
        elif shipped.is_file():
            add(shipped)
    return dict(sorted(found.items()))


def _matcher() -> str:
    """The multi-pattern matcher the lexicon counts use: "hyperscan" or the "aho" fallback (framing.match)."""
    from framing.match import MATCHER

    return MATCHER


def provenance(parameters: Mapping[str, Any], root: PathLike, **extra: Any) -> dict[str, Any]:
    """Return a provenance record: parameters, git commit, versions, Python, platform, input hashes."""
    base = Path(root)
    record: dict[str, Any] = {
        "parameters": dict(parameters),
        "git": _git_commit(base),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": _versions(),
        "matcher": _matcher(),
        "inputs": collect_inputs(
            {f"{i}.{k}": v for i, nb in enumerate(extra.get("notebooks", []))
             for k, v in (nb.get("defaults", {}) | nb.get("parameters", {})).items()
             if k not in OUTPUT_PARAMETERS}
            | dict(parameters),
            base,
        ),
    }
    record.update(extra)
    return record


def write_provenance(path: PathLike, parameters: Mapping[str, Any], root: PathLike | None = None,
                     **extra: Any) -> Path:
    """Write :func:`provenance` as JSON to ``path`` atomically and return the path."""
    return write_json(path, provenance(parameters, root if root is not None else find_root(), **extra))


def utc_now() -> str:
    """The current UTC time to the second, ISO 8601 (the timestamps of provenance records)."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _select(config: StudyConfig, names: Sequence[str] | None) -> list[tuple[Path, dict[str, Any]]]:
    if not names:
        return list(config.notebooks)
    chosen: list[tuple[Path, dict[str, Any]]] = []
    for name in names:
        match = [nb for nb in config.notebooks if name in (nb[0].name, nb[0].stem)]
        if not match:
            raise ParameterError(f"--notebook {name!r} is not in {config.path}; known: "
                                 f"{[nb[0].stem for nb in config.notebooks]}")
        chosen.extend(match)
    return chosen


def run_study(
    config: PathLike | None = None,
    overrides: Mapping[str, Any] | None = None,
    *,
    notebooks: Sequence[str] | None = None,
    reports_dir: PathLike | None = None,
    root: PathLike | None = None,
    progress: bool = True,
) -> StudyResult:
    """Run the study's notebooks in order and write executed notebooks and ``provenance.json``.

    Parameters
    ----------
    config : path, optional
        The study configuration (default ``config/study.yaml``).
    overrides : mapping, optional
        Parameter values given to every notebook that declares them (``framing run -p NAME=VALUE``);
        a name no selected notebook declares is an error listing the known ones.
    notebooks : sequence of str, optional
        Run only these notebooks (stems or file names).
    reports_dir : path, optional
        Output folder (default: the ``reports_dir`` parameter, ``reports``).
    root : path, optional
        Project root (default: :func:`framing.paths.find_root`); notebooks run with it as working directory.
    progress : bool
        Print one line per notebook (name, elapsed time) to stderr.
    """
    base = Path(root).resolve() if root is not None else find_root()
    cfg = load_study_config(config, root=base)
    selected = _select(cfg, notebooks)
    overrides = dict(overrides or {})
    specs = {nb: notebook_parameters(nb) for nb, _ in selected}
    known = sorted({name for s in specs.values() for name in s})
    unknown = [n for n in overrides if n not in known]
    if unknown:
        raise ParameterError(f"unknown parameter(s) {unknown}; the notebooks declare: {known}")
    global_params = dict(cfg.parameters)
    if reports_dir is not None:
        overrides["reports_dir"] = str(reports_dir)
    out_dir = Path(overrides.get("reports_dir", global_params.get("reports_dir", "reports")))
    out_dir = out_dir if out_dir.is_absolute() else base / out_dir
    plan: list[tuple[Path, dict[str, Any]]] = []
    for nb, nb_params in selected:
        declared = specs[nb]
        params = {k: v for k, v in global_params.items() if k in declared}
        params.update(nb_params)
        params.update({k: v for k, v in overrides.items() if k in declared})
        check_parameters(declared, params, where=str(nb))
        plan.append((nb, params))

    corpus = overrides.get("corpus", global_params.get("corpus"))
    if isinstance(corpus, str):
        corpus_path = Path(corpus) if Path(corpus).is_absolute() else base / corpus
        if (corpus_path / "SHA256SUMS").is_file():
            from framing.corpus import verify_manifest

            verify_manifest(corpus_path)

    result = StudyResult(out_dir)
    started_at, t0 = utc_now(), time.perf_counter()
    records: list[dict[str, Any]] = []
    failure: NotebookError | None = None
    try:
        for i, (nb, params) in enumerate(plan, start=1):
            target = out_dir / "notebooks" / nb.name
            if progress:
                print(f"[{i}/{len(plan)}] {nb.name} ...", file=sys.stderr, flush=True)
            record: dict[str, Any] = {"notebook": os.path.relpath(nb, base), "output": str(target),
                                      "parameters": params,
                                      "defaults": {k: v for k, v in notebook_defaults(specs[nb]).items()
                                                   if k not in params}}
            try:
                res = run_notebook(nb, target, params, cwd=base, validate=False)
            except NotebookError as exc:
                record.update(status="failed", error=str(exc))
                records.append(record)
                failure = exc
                if progress:
                    print(f"[{i}/{len(plan)}] {nb.name} FAILED", file=sys.stderr, flush=True)
                break
            record.update(status="ok", elapsed_s=round(res.elapsed, 2))
            records.append(record)
            result.notebooks.append(res)
            if progress:
                print(f"[{i}/{len(plan)}] {nb.name} done in {res.elapsed:.1f} s", file=sys.stderr, flush=True)
    finally:
        result.elapsed = time.perf_counter() - t0
        result.provenance_path = write_provenance(
            out_dir / "provenance.json", global_params | overrides, base,
            study=cfg.name, config=os.path.relpath(cfg.path, base), notebooks=records,
            started=started_at, finished=utc_now(), status="failed" if failure else "ok",
        )
    if failure is not None:
        with contextlib.suppress(FramingError):  # the index links the failed notebook for inspection
            _build_index(out_dir)
        raise failure
    _build_index(out_dir)
    return result


def _build_index(reports_dir: Path) -> None:
    """Build reports/index.html when the report module is available (issue 6)."""
    try:
        from framing import report
    except ImportError:
        return
    builder = getattr(report, "build_index", None)
    if builder is not None:
        builder(reports_dir)
