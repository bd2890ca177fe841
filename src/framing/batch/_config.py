"""Batch files: parsing and checking ``config/batch/NAME.yaml``, and readable run ids."""

from __future__ import annotations

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
    p = Path(path)
    if not p.is_absolute() and not p.is_file() and (base / p).is_file():
        p = base / p
    if not p.is_file():
        raise ConfigError(f"{p}: batch file not found")
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


def make_run_id(varying: Mapping[str, Any], *, max_length: int = MAX_RUN_ID) -> str:
    """Return a readable, file-system-safe run id, e.g. ``genres=blog__k=5``.

    Lists are joined with ``+`` (an empty list is ``empty``, an empty text or None ``none``: ``case=none``
    for ``case: ""``), paths are shortened to their last
    component, unsafe characters become ``-``. Ids longer than ``max_length`` are cut and end with
    ``__`` and a short hash of all values, so they stay unique. No varying parameters: ``default``.
    """
    if not varying:
        return "default"
    parts = [f"{k}={_id_value(v)}" for k, v in varying.items()]
    safe = _ID_UNSAFE.sub("-", "__".join(parts)).strip("-.") or "run"
    if len(safe) > max_length:
        digest = _short_hash(dict(varying))
        safe = safe[: max_length - len(digest) - 2].rstrip("-_.=+") + "__" + digest
    return safe

