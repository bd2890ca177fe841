"""Batch files: parsing and checking ``config/batch/NAME.yaml``, and readable run ids."""

from __future__ import annotations

import itertools
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framing.errors import ConfigError
from framing.io import parse_yaml, sha256_bytes
from framing.paths import ProjectPaths, find_root
from framing.types import PathLike

MAX_RUN_ID = 80
_BATCH_KEYS = {"name", "description", "notebooks", "parameters", "grid", "runs"}
_NOTEBOOK_KEYS = {"path", "parameters"}
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._+=-]+")


@dataclass(frozen=True)
class BatchConfig:
    """A parsed batch file."""

    path: Path
    name: str
    notebooks: tuple[tuple[Path, dict[str, Any]], ...]
    parameters: dict[str, Any]
    grid: dict[str, list[Any]]
    runs: tuple[dict[str, Any], ...]
    description: str = ""
    own_parameters: tuple[str, ...] = ()
    """Names set in the batch file's ``parameters`` (checked; the study's defaults are not)."""



def _yaml_load(path: Path) -> Any:
    return parse_yaml(path.read_text(encoding="utf-8"), path)


def _parse_notebooks(path: Path, entries: Any, base: Path) -> tuple[tuple[Path, dict[str, Any]], ...]:
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: 'notebooks' must be a non-empty list of paths")
    out: list[tuple[Path, dict[str, Any]]] = []
    for i, entry in enumerate(entries, start=1):
        if isinstance(entry, str):
            entry = {"path": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise ConfigError(f"{path}: notebooks entry #{i} needs a 'path'")
        bad = set(entry) - _NOTEBOOK_KEYS
        if bad:
            raise ConfigError(f"{path}: notebooks entry #{i} has unknown key(s) {sorted(bad)}")
        nb = Path(entry["path"])
        nb = nb if nb.is_absolute() else base / nb
        params = entry.get("parameters") or {}
        if not isinstance(params, dict):
            raise ConfigError(f"{path}: notebooks entry #{i} 'parameters' must be a mapping")
        out.append((nb, dict(params)))
    return tuple(out)


def find_batch_file(path: PathLike, root: Path) -> Path:
    """Return the batch file ``path`` names: as given, under the project ``root``, or ``config/batch/NAME.yaml``.

    A bare name (no folder, no suffix: ``failures``) is looked up as ``config/batch/NAME.yaml`` (then ``.yml``).

    Raises
    ------
    ConfigError
        No such file; the message lists every place looked at.
    """
    p = Path(path)
    candidates = [p] if p.is_absolute() else [p, root / p]
    if not p.is_absolute() and len(p.parts) == 1 and not p.suffix:
        batch_dir = ProjectPaths(root).config / "batch"
        candidates += [batch_dir / f"{p.name}.yaml", batch_dir / f"{p.name}.yml"]
    for candidate in dict.fromkeys(candidates):
        if candidate.is_file():
            return candidate
    looked = ", ".join(str(c) for c in dict.fromkeys(candidates))
    raise ConfigError(f"{path}: batch file not found (looked at {looked})")


def load_batch_config(path: PathLike, *, root: PathLike | None = None) -> BatchConfig:
    """Parse and check a batch file (see ``docs/reports.md`` for the format).

    Without a ``notebooks`` key the study's notebooks (``config/study.yaml``) are used; the study's
    ``parameters`` are the defaults under the batch's own ``parameters``.

    Raises
    ------
    ConfigError
        The file is missing or malformed (names the file and the key).
    """
    base = Path(root).resolve() if root is not None else find_root()
    p = find_batch_file(path, base)
    doc = _yaml_load(p)
    if not isinstance(doc, dict):
        raise ConfigError(f"{p}: expected a mapping with 'grid' and/or 'runs'")
    unknown = set(doc) - _BATCH_KEYS
    if unknown:
        raise ConfigError(f"{p}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_BATCH_KEYS)}")
    name = str(doc.get("name") or p.stem)
    if _ID_UNSAFE.search(name) or name.startswith("."):
        raise ConfigError(f"{p}: name {name!r} may contain only letters, digits and . _ + = -")

    params = doc.get("parameters") or {}
    if not isinstance(params, dict):
        raise ConfigError(f"{p}: 'parameters' must be a mapping of NAME: VALUE")
    if "notebooks" in doc:
        notebooks = _parse_notebooks(p, doc["notebooks"], base)
        study_params: dict[str, Any] = {}
        study = ProjectPaths(base).study_config
        if study.is_file():
            sdoc = _yaml_load(study)
            if isinstance(sdoc, dict) and isinstance(sdoc.get("parameters"), dict):
                study_params = dict(sdoc["parameters"])
    else:
        from framing.runner import load_study_config

        study_cfg = load_study_config(root=base)
        notebooks = study_cfg.notebooks
        study_params = dict(study_cfg.parameters)

    grid = doc.get("grid") or {}
    if not isinstance(grid, dict):
        raise ConfigError(f"{p}: 'grid' must be a mapping of NAME: [VALUE, ...]")
    for key, values in grid.items():
        if not isinstance(values, list) or not values:
            raise ConfigError(f"{p}: grid.{key} must be a non-empty list of values, got {values!r}")
    runs = doc.get("runs") or []
    if not isinstance(runs, list):
        raise ConfigError(f"{p}: 'runs' must be a list of parameter mappings")
    for i, run in enumerate(runs, start=1):
        if not isinstance(run, dict) or not run:
            raise ConfigError(f"{p}: runs entry #{i} must be a non-empty mapping of NAME: VALUE")
        clash = set(run) & set(grid)
        if clash:
            raise ConfigError(f"{p}: runs entry #{i} sets {sorted(clash)}, which the grid also varies")
    return BatchConfig(
        path=p,
        name=name,
        notebooks=notebooks,
        parameters={**study_params, **params},
        grid={str(k): list(v) for k, v in grid.items()},
        runs=tuple(dict(r) for r in runs),
        description=str(doc.get("description") or "").strip(),
        own_parameters=tuple(str(k) for k in params),
    )


# ------------------------------------------------------------------------------------------ run ids
def _id_value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        return "+".join(_id_value(v) for v in value) if value else "empty"
    if isinstance(value, dict):
        return "+".join(f"{k}-{_id_value(v)}" for k, v in sorted(value.items())) or "empty"
    if value is None or value == "":
        return "none"  # case: "" runs without a case
    text = str(value)
    if "/" in text or os.sep in text:
        text = Path(text.rstrip("/")).name or text
    return text


def _short_hash(obj: Any, n: int = 8) -> str:
    return sha256_bytes(_canonical(obj).encode("utf-8"))[:n]


def _canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def _id_text(params: Mapping[str, Any]) -> str:
    """``k=v__k2=v2`` with unsafe characters replaced ("" for no parameters)."""
    parts = [f"{k}={_id_value(v)}" for k, v in params.items()]
    return _ID_UNSAFE.sub("-", "__".join(parts)).strip("-.")


def _entry_labels(entries: list[dict[str, Any]], has_grid: bool) -> list[dict[str, Any]]:
    """What stands for each ``runs`` entry in its runs' ids (see :func:`batch_run_ids`)."""
    if len(entries) == 1:
        return [{} if has_grid else dict(entries[0])]
    keys = list(dict.fromkeys(k for e in entries for k in e))
    values = {k: [_canonical(e.get(k)) for e in entries] for k in keys}
    telling = [k for k in keys if len(set(values[k])) == len(entries)]
    if telling:
        return [{telling[0]: e.get(telling[0])} for e in entries]
    differing = [k for k in keys if len(set(values[k])) > 1]
    return [{k: e[k] for k in differing if k in e} for e in entries]


def batch_run_ids(runs: list[dict[str, Any]] | tuple[dict[str, Any], ...], grid: Mapping[str, list[Any]],
                  *, max_length: int = MAX_RUN_ID) -> list[str]:
    """Return the ids of a batch's runs, in the order of its runs (every ``runs`` entry times the grid).

    The rule (docs/reports.md, "Run ids"):

    1. the grid's parameters come first, in the file's order, and are never cut;
    2. then the ``runs`` entry, by the first of its parameters (in the file's order) whose value differs in every
       entry (``corpus=immigration.jsonl``); the entry's other parameters are left out (they are constant
       across that entry's runs; the summary table lists them). When no single parameter tells the entries
       apart, every parameter that differs between entries stands in the id; parameters equal in every entry
       are left out. A single entry without a grid keeps all its parameters; a single entry with a grid is left
       out;
    3. only the entry's part is cut when the id would pass ``max_length``: it then ends with ``__`` and an
       8-character hash of the run's parameters;
    4. no parameters at all: ``default``.

    The same batch file gives the same ids (they depend on the file only); two runs with other parameters get
    other ids.
    """
    entries = [dict(r) for r in runs] or [{}]
    labels = _entry_labels(entries, bool(grid))
    points = [dict(zip(grid, combo, strict=True)) for combo in itertools.product(*grid.values())]
    ids: list[str] = []
    for entry, label in zip(entries, labels, strict=True):
        tail = _id_text(label)
        for point in points:
            head = _id_text(point)
            room = max_length - len(head) - (2 if head else 0)
            if len(tail) > room:
                digest = _short_hash({**entry, **point})
                cut = tail[: max(room - len(digest) - 2, 0)].rstrip("-_.=+")
                tail_here = f"{cut}__{digest}" if cut else digest
            else:
                tail_here = tail
            ids.append("__".join(t for t in (head, tail_here) if t) or "default")
    return ids


def make_run_id(varying: Mapping[str, Any], *, max_length: int = MAX_RUN_ID) -> str:
    """Return a readable, file-system-safe run id, e.g. ``genres=blog__k=5``.

    Lists are joined with ``+`` (an empty list is ``empty``, an empty text or None ``none``: ``case=none``
    for ``case: ""``), paths are shortened to their last
    component, unsafe characters become ``-``. Ids longer than ``max_length`` are cut and end with
    ``__`` and a short hash of all values, so they stay unique. No varying parameters: ``default``.
    """
    if not varying:
        return "default"
    safe = _id_text(varying) or "run"
    if len(safe) > max_length:
        digest = _short_hash(dict(varying))
        safe = safe[: max_length - len(digest) - 2].rstrip("-_.=+") + "__" + digest
    return safe

