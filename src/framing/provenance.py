"""Provenance of a run: parameters, git commit, versions, the matcher, and SHA-256 of every input.

Used by the notebook runner (:mod:`framing.runner`, ``framing run``) and by batch runs (:mod:`framing.batch`):

* :func:`collect_inputs` hashes every file a run depends on (files and folders named by parameters, shipped
  lexicons named by their name);
* :func:`provenance` / :func:`write_provenance` build and write the record (``provenance.json``);
* :func:`verify_corpora` checks each corpus named by a ``corpus`` parameter against its ``SHA256SUMS``
  manifest before anything runs;
* :func:`utc_now` is the timestamp of every record.
"""

from __future__ import annotations

import datetime as _dt
import importlib.metadata
import os
import platform
import re
import subprocess
import sys
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

from framing.io import sha256_file, write_json
from framing.paths import PACKAGE_DIR, ProjectPaths, find_root, shown_path
from framing.types import PathLike

__all__ = [
    "CORPUS_RESOURCES",
    "NOTEBOOK_RESOURCES",
    "OUTPUT_PARAMETERS",
    "collect_inputs",
    "corpus_paths",
    "git_state",
    "package_versions",
    "project_dependencies",
    "provenance",
    "utc_now",
    "verify_corpora",
    "write_provenance",
]

NOTEBOOK_RESOURCES: dict[str, tuple[str, ...]] = {"06_validation": ("models/general.pkl",)}
"""Package files a notebook reads whatever its parameters (notebook stem -> paths under the package): inputs of
every run that executes it (notebook 06 reads the shipped general model's figures)."""

CORPUS_RESOURCES: tuple[str, ...] = ("rules/boilerplate.yaml",)
"""Package files read wherever a corpus is prepared (the cleaning rules): inputs of every notebook that takes a
``corpus`` parameter (its setup cell prepares it)."""


def _git(args: list[str], cwd: Path) -> str:
    # --no-optional-locks: reading the state never writes (git status refreshes the index otherwise, taking
    # its lock, which can clash with a commit being made in that checkout at the same moment)
    done = subprocess.run(["git", "--no-optional-locks", *args], cwd=cwd, capture_output=True, text=True,
                          check=True, timeout=10)
    return done.stdout.strip()


def _git_commit(root: Path, *, only: Path | None = None) -> dict[str, Any]:
    """The git state of the checkout holding ``root``: ``path`` (its top folder), ``commit`` and ``dirty``.

    ``only``: count only changes under this folder as ``dirty``, and report no commit unless git tracks it
    (a package installed into a virtual environment inside some other checkout is not that checkout's code).
    Outside a git checkout (or without git) every value is ``None``.
    """
    none: dict[str, Any] = {"path": None, "commit": None, "dirty": None}
    try:
        top = _git(["rev-parse", "--show-toplevel"], root)
        if only is not None and not _git(["ls-files", "--", str(only)], root):
            return none
        head = _git(["rev-parse", "HEAD"], root)
        dirty = _git(["status", "--porcelain", "--untracked-files=no", "--", str(only or top)], root)
    except (OSError, subprocess.SubprocessError):
        return none
    return {"path": top or None, "commit": head or None, "dirty": bool(dirty)}


def _unclean(root: Path, files: Sequence[str]) -> list[str]:
    """Those of ``files`` (paths relative to ``root``, inside it) that git sees as untracked or modified."""
    inside = [f for f in files if f and not Path(f).is_absolute() and not f.startswith("..")]
    if not inside:
        return []
    try:
        # one status of the whole checkout, matched to the inputs here (a pathspec per input would not fit on
        # the command line for a folder corpus of many files)
        out = subprocess.run(["git", "--no-optional-locks", "status", "--porcelain", "--untracked-files=all", "-z"],
                             cwd=root, capture_output=True, text=True, check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    top = Path(_git(["rev-parse", "--show-toplevel"], root))
    entries = out.split("\0")
    changed: set[str] = set()
    i = 0
    while i < len(entries):
        entry = entries[i]
        if len(entry) > 3:
            changed.add(os.path.normpath(os.path.relpath(top / entry[3:], root)))
            if entry[0] in "RC":  # a rename or copy: the next entry is the old path, without a status
                i += 1
        i += 1
    wanted = {os.path.normpath(f) for f in inside}
    # an untracked folder is listed file by file (--untracked-files=all): an input folder is unclean when a file
    # inside it is
    folders = {str(parent) for c in changed for parent in Path(c).parents if str(parent) != "."}
    return sorted(wanted & (changed | folders))


def git_state(root: PathLike) -> dict[str, dict[str, Any]]:
    """The git state of the code that ran and of the project, labelled.

    ``code``: the checkout holding the ``framing`` package that is running (found from ``framing.__file__``;
    ``dirty`` counts changes to the package's source tree only); ``project``: the checkout holding the project
    folder ``root`` (the run's working directory). They differ when the package is installed from another
    tree; all ``None`` for a package installed from a wheel.
    """
    import framing

    package = Path(framing.__file__).resolve().parent
    return {"code": _git_commit(package, only=package), "project": _git_commit(Path(root))}


_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def project_dependencies(root: PathLike | None = None) -> list[str]:
    """Return the names of the project's runtime dependencies, as ``pyproject.toml`` declares them.

    From ``[project] dependencies`` of the ``pyproject.toml`` at ``root`` (default :func:`find_root`) when it is
    this package's, else from the installed ``framing`` distribution's metadata (its requirements without an
    ``extra`` marker: development tools are not what a run used).
    """
    pyproject = Path(root if root is not None else find_root()) / "pyproject.toml"
    requirements: list[str] = []
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == "framing":
            requirements = [str(r) for r in project.get("dependencies", [])]
    except (OSError, tomllib.TOMLDecodeError):
        requirements = []
    if not requirements:
        try:
            requirements = [r for r in importlib.metadata.requires("framing") or [] if "extra ==" not in r]
        except importlib.metadata.PackageNotFoundError:
            requirements = []
    names = [m.group(1) for m in map(_REQUIREMENT_NAME.match, requirements) if m]
    return list(dict.fromkeys(names))


def package_versions(root: PathLike | None = None) -> dict[str, str]:
    """Return the installed version of ``framing`` and of each of its dependencies (:func:`project_dependencies`).

    A dependency that is not installed (``hyperscan`` where its platform marker leaves it out) is left out; a
    package that is installed but no dependency (``vadersentiment`` in a developer's environment) is not listed.
    """
    out: dict[str, str] = {}
    for name in ["framing", *project_dependencies(root)]:
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
    a value naming a shipped lexicon, case file or model (``framing/lexicons/NAME.yaml``,
    ``framing/cases/NAME.yaml``: ``case=baby_p``; ``framing/models/NAME.pkl``: ``frame_model=general``)
    contributes that file. Parameters in
    :data:`OUTPUT_PARAMETERS` are skipped.
    """
    base = Path(root)
    found: dict[str, str] = {}

    def add(path: Path) -> None:
        key = shown_path(path, base)
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
        shipped = [ProjectPaths(base).lexicons / f"{value}.yaml", ProjectPaths(base).cases / f"{value}.yaml",
                   PACKAGE_DIR / "models" / f"{value}.pkl"]
        if candidate.is_file():
            add(candidate)
        elif candidate.is_dir() and candidate.resolve() != base.resolve():
            for child in sorted(candidate.iterdir()):
                add(child)
        else:
            for path in shipped:
                if path.is_file():
                    add(path)
    return dict(sorted(found.items()))


def _matcher() -> str:
    """The multi-pattern matcher the lexicon counts use: "hyperscan" or the "aho" fallback (framing.match)."""
    from framing.match import MATCHER

    return MATCHER


def _package_resources(notebooks: Sequence[Mapping[str, Any]]) -> list[Path]:
    """Return the package files the recorded ``notebooks`` read whatever their parameters (those that exist).

    :data:`NOTEBOOK_RESOURCES` by notebook, :data:`CORPUS_RESOURCES` for each notebook with a ``corpus`` parameter.
    """
    rel: list[str] = []
    for nb in notebooks:
        if not isinstance(nb, Mapping):
            continue
        params = {**(nb.get("defaults") or {}), **(nb.get("parameters") or {})}
        rel += list(CORPUS_RESOURCES) if "corpus" in params else []
        rel += NOTEBOOK_RESOURCES.get(PurePath(str(nb.get("notebook", ""))).stem, ())
    return [PACKAGE_DIR / r for r in dict.fromkeys(rel) if (PACKAGE_DIR / r).is_file()]


def provenance(parameters: Mapping[str, Any], root: PathLike, **extra: Any) -> dict[str, Any]:
    """Return a provenance record: parameters, git state, versions, Python, platform, input hashes.

    ``git`` holds ``code`` (the checkout of the ``framing`` package that ran) and ``project`` (the checkout of
    ``root``), each ``path``, ``commit`` and ``dirty`` (:func:`git_state`). An ``unused_inputs`` mapping in
    ``extra`` (path as shown -> why: a coded sheet the notebooks skipped) is recorded, and its paths are left out
    of ``inputs``. The project is also ``dirty`` when
    an input file or the batch file (``config``) inside it is untracked or modified; ``unclean_inputs`` then
    lists them.
    """
    base = Path(root)
    record: dict[str, Any] = {
        "parameters": dict(parameters),
        "git": git_state(base),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": package_versions(base),
        "matcher": _matcher(),
        "inputs": collect_inputs(
            {f"{i}.{k}": v for i, nb in enumerate(extra.get("notebooks", []))
             for k, v in (nb.get("defaults", {}) | nb.get("parameters", {})).items()
             if k not in OUTPUT_PARAMETERS}
            | dict(parameters),
            base,
        ),
    }
    for path in _package_resources(extra.get("notebooks") or []):
        record["inputs"].setdefault(shown_path(path, base), sha256_file(path))
    record["inputs"] = dict(sorted(record["inputs"].items()))
    record.update(extra)
    unused = extra.get("unused_inputs") or {}
    record["inputs"] = {k: v for k, v in record["inputs"].items() if k not in unused}
    watched = [*record["inputs"], *([str(extra["config"])] if extra.get("config") else [])]
    unclean = _unclean(base, watched) if record["git"]["project"]["commit"] else []
    if unclean:  # a batch file or input git does not hold as committed: the project is not its commit
        record["git"]["project"] = {**record["git"]["project"], "dirty": True, "unclean_inputs": unclean}
    return record


def write_provenance(path: PathLike, parameters: Mapping[str, Any], root: PathLike | None = None,
                     **extra: Any) -> Path:
    """Write :func:`provenance` as JSON to ``path`` atomically and return the path."""
    return write_json(path, provenance(parameters, root if root is not None else find_root(), **extra))


def utc_now() -> str:
    """The current UTC time to the second, ISO 8601 (the timestamps of provenance records)."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def corpus_paths(parameter_sets: Sequence[Mapping[str, Any]], root: PathLike) -> list[Path]:
    """Return the corpora named by the ``corpus`` parameters of ``parameter_sets``, against ``root``, once each."""
    base = Path(root)
    seen: dict[Path, None] = {}
    for params in parameter_sets:
        corpus = params.get("corpus")
        if isinstance(corpus, str) and corpus:
            seen.setdefault(Path(corpus) if Path(corpus).is_absolute() else base / corpus)
    return list(seen)


def verify_corpora(parameter_sets: Sequence[Mapping[str, Any]], root: PathLike) -> None:
    """Check every corpus named by a ``corpus`` parameter against its ``SHA256SUMS`` manifest, once each.

    Raises
    ------
    RawDataChangedError
        A file differs from the manifest (names the file), before anything runs.
    """
    for path in corpus_paths(parameter_sets, root):
        if (path / "SHA256SUMS").is_file():
            from framing.corpus import verify_manifest

            verify_manifest(path)
