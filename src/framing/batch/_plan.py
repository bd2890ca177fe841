"""Planning a batch: runs expanded from the grid and list, parameters checked, cache keys computed."""

from __future__ import annotations

import ast
import contextlib
import itertools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from framing.batch._config import MAX_RUN_ID, BatchConfig, _short_hash, batch_run_ids, load_batch_config
from framing.errors import ConfigError, FramingError, ParameterError
from framing.io import check_reports_dir, sha256_bytes, sha256_file
from framing.paths import PACKAGE_DIR, find_root, report_paths
from framing.types import PathLike

if TYPE_CHECKING:  # pragma: no cover
    from framing.runner import StudyConfig


@dataclass(frozen=True)
class RunSpec:
    """One planned run: its id, the parameters that vary, the full parameters of every notebook."""

    run_id: str
    varying: dict[str, Any]
    parameters: dict[str, Any]
    notebooks: tuple[tuple[Path, dict[str, Any]], ...]
    cache_key: str
    cache_parts: dict[str, str] = field(default_factory=dict)
    """Hashes of what the key is made of: notebooks, parameters, inputs, code (says why a run reran)."""
    inputs: dict[str, str] = field(default_factory=dict)
    """SHA-256 of every input file (:func:`framing.provenance.collect_inputs`): names what changed."""
    warnings: tuple[str, ...] = ()
    """The run's own warnings, found while planning (the study's case on another corpus): issued then, and kept in
    the run's ``provenance.json`` and ``run.json`` as ``framing run`` keeps its own."""


@dataclass(frozen=True)
class BatchPlan:
    """All runs of a batch, validated, with their output folder."""

    config: BatchConfig
    runs: tuple[RunSpec, ...]
    out_dir: Path
    root: Path
    reports_dir: str | None = None  # the reports folder the batch writes under, as given (None: not recorded)



def _code_hash() -> str:
    """SHA-256 over the installed package's source and data files (code is an input of every run)."""
    h = []
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            h.append(f"{path.relative_to(PACKAGE_DIR).as_posix()}:{sha256_file(path)}")
    return sha256_bytes("\n".join(h).encode("utf-8"))


def _literal_defaults(specs: Mapping[str, Any]) -> dict[str, Any]:
    """The notebook's default values that are Python literals (their files are inputs too)."""
    out: dict[str, Any] = {}
    for name, spec in specs.items():
        with contextlib.suppress(ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            out[name] = ast.literal_eval(str(spec.default))
    return out


def _expand(config: BatchConfig) -> list[dict[str, Any]]:
    grid_keys = list(config.grid)
    points = [dict(zip(grid_keys, combo, strict=True)) for combo in itertools.product(*config.grid.values())]
    runs = list(config.runs) or [{}]
    return [{**run, **point} for run in runs for point in points]


def plan_batch(
    config: BatchConfig | PathLike,
    *,
    root: PathLike | None = None,
    reports_dir: PathLike | None = None,
) -> BatchPlan:
    """Expand a batch into runs, validate every parameter, and compute cache keys.

    The cache key covers the notebooks, the parameters, the input files and the package code
    (:attr:`RunSpec.cache_parts` holds a hash of each).

    Parameters are given to each notebook that declares them; a name that no notebook declares, or a
    value of the wrong type for a notebook that does, is an error. All problems of all runs are
    collected and raised together as one :class:`ParameterError` before anything runs; each run's ``case`` and
    ``frame_model`` are loaded and checked as ``framing run`` does (``framing._runner_params._check_cases``), with
    or without a study configuration. A reports folder that
    would write over the project's own folders is refused with an :class:`~framing.errors.OutputError`
    (:func:`framing.io.check_reports_dir`).
    """
    from framing._runner_params import _check_cases
    from framing.provenance import collect_inputs, corpus_paths
    from framing.runner import check_parameters, notebook_parameters, warn_partial_overrides

    base = Path(root).resolve() if root is not None else find_root()
    cfg = config if isinstance(config, BatchConfig) else load_batch_config(config, root=base)
    missing = [str(nb) for nb, _ in cfg.notebooks if not nb.is_file()]
    if missing:
        raise ConfigError(f"{cfg.path}: notebook(s) not found: {missing}")
    specs = {nb: notebook_parameters(nb) for nb, _ in cfg.notebooks}
    declared = {name for s in specs.values() for name in s}
    nb_hashes = {nb: sha256_file(nb) for nb, _ in cfg.notebooks}
    defaults = {nb: _literal_defaults(specs[nb]) for nb, _ in cfg.notebooks}
    code = _code_hash()
    study = _study_config(base)

    problems: list[str] = []
    reports_value = reports_dir if reports_dir is not None else cfg.parameters.get("reports_dir", "reports")
    out_root = Path(str(reports_value))
    out_root = out_root if out_root.is_absolute() else base / out_root
    out_dir = report_paths(out_root).batch / cfg.name

    runs: list[RunSpec] = []
    seen: dict[str, dict[str, Any]] = {}
    for varying, planned_id in zip(_expand(cfg), batch_run_ids(cfg.runs, cfg.grid), strict=True):
        full = {**cfg.parameters, **varying}
        full.pop("reports_dir", None)
        per_nb: list[tuple[Path, dict[str, Any]]] = []
        for nb, nb_fixed in cfg.notebooks:
            nb_params = {k: v for k, v in full.items() if k in specs[nb]}
            nb_params.update({k: v for k, v in nb_fixed.items() if k != "reports_dir"})
            nb_params.update({k: v for k, v in varying.items() if k in specs[nb]})
            try:
                check_parameters(specs[nb], nb_params, where=f"run {varying} / {nb.name}")
            except ParameterError as exc:
                problems.append(str(exc))
            per_nb.append((nb, nb_params))
        run_id = planned_id
        if run_id in seen:
            if seen[run_id] == varying:
                problems.append(f"run {varying}: duplicate parameter set")
                continue
            run_id = f"{run_id[: MAX_RUN_ID - 10]}__{_short_hash(varying)}"
        seen[run_id] = varying
        # the check of framing run, run by run: each case and frame_model loaded before anything runs, and the
        # study's case on another corpus warned about (without a study configuration: nothing to warn about)
        given = dict.fromkeys([*cfg.own_parameters, *(k for _, fixed in cfg.notebooks for k in fixed), *varying])
        try:
            run_warnings = _check_cases(study.parameters if study is not None else {},
                                        os.path.relpath(study.path, base) if study is not None else "", given,
                                        [(nb, {**defaults[nb], **p}) for nb, p in per_nb], base,
                                        where=f"run {run_id}")
        except ParameterError as exc:
            run_warnings = []
            problems.append(str(exc))
        effective = {k: v for nb, p in per_nb for k, v in {**defaults[nb], **p}.items() if k != "reports_dir"}
        inputs = collect_inputs(effective, base)
        parts = {
            "notebooks": _short_hash([[os.path.relpath(nb, base), nb_hashes[nb]] for nb, _ in per_nb], n=16),
            "parameters": _short_hash([p for _, p in per_nb], n=16),
            "inputs": _short_hash(inputs, n=16),
            "code": code[:16],
        }
        key = _short_hash(parts, n=64)
        runs.append(RunSpec(run_id, dict(varying), full, tuple(per_nb), key, parts, inputs, tuple(run_warnings)))
    unknown_all = sorted({k for v in _expand(cfg) for k in v if k not in declared}
                         | {k for k in cfg.own_parameters if k not in declared})
    if unknown_all:
        problems.insert(0, f"parameter(s) {unknown_all} are declared by none of the notebooks "
                           f"(known: {sorted(declared)})")
    if problems:
        listing = "\n  - ".join(dict.fromkeys(problems))
        raise ParameterError(f"{cfg.path}: {len(problems)} problem(s):\n  - {listing}")
    check_reports_dir(out_root, root=base, option="reports_dir",
                      corpora=corpus_paths([{**defaults[nb], **p} for run in runs for nb, p in run.notebooks], base))
    warn_partial_overrides(specs, [*cfg.own_parameters, *(k for v in _expand(cfg) for k in v)],
                           shared=list(study.parameters) if study is not None else [])
    return BatchPlan(cfg, tuple(runs), out_dir, base, str(reports_value))


def _study_config(base: Path) -> StudyConfig | None:
    """The study's configuration (``config/study.yaml``: its shared parameter names, its corpus and case), or None.

    ``None`` when it cannot be read: no shared vocabulary, and no study case to warn about.
    """
    from framing.runner import load_study_config

    try:
        return load_study_config(root=base)
    except FramingError:
        return None
