"""Batch runs: one set of notebooks executed for every parameter set of a grid or list.

A batch file (``config/batch/NAME.yaml``) names the notebooks, the fixed parameters and the parameter
sets to run (a ``grid`` whose cartesian product is taken, a list of ``runs``, or both: every run
combined with every grid point). ``framing batch config/batch/NAME.yaml`` then

1. validates every parameter set against the notebooks' ``parameters`` cells and reports all unknown
   names and wrong types at once (:class:`~framing.errors.ParameterError`) before anything runs;
2. executes each run in its own worker process (``--jobs N`` at a time, a tqdm progress bar), into a
   temporary folder ``reports/batch/NAME/.RUN_ID.tmp-*`` that is renamed to ``reports/batch/NAME/RUN_ID``
   when the run has finished (successfully or with a failing notebook, which is kept for inspection);
3. skips runs whose notebooks, parameters, inputs and package code are unchanged since their last
   successful run (a cache key of their SHA-256 hashes; ``--force`` reruns them);
4. writes ``summary.csv``, ``index.html`` and ``provenance.json`` for the batch.

Each run folder is a small reports folder: ``notebooks/`` (executed ``.ipynb`` and rendered ``.html``),
``figures/``, ``tables/``, ``key_results.json``, ``provenance.json``, ``run.json`` (status, timings,
cache key), ``run.log`` (the worker's output) and ``index.html``.

A failing run does not stop the others; :attr:`BatchResult.failed` lists them (the CLI exits 1). A
worker that dies (``kill -9``) never replaces its run's previous folder: its temporary folder is removed
and the run is ``failed`` with a message naming the run and the signal. Ctrl-C, SIGTERM and SIGHUP stop
the workers and their kernels, remove the unfinished temporary folders, and leave finished runs intact;
a run that did not finish is ``cached`` when its folder holds an earlier run with the same cache key,
else ``interrupted``. Corpora are checked against their manifests before any run starts; the batch
folder is locked (:func:`framing.runtime.folder_lock`).
"""

from __future__ import annotations

import ast
import contextlib
import csv
import io
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_any
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framing.errors import ConfigError, ParameterError
from framing.io import atomic_write_text, parse_yaml, sha256_bytes, sha256_file, write_json
from framing.paths import PACKAGE_DIR, ProjectPaths, find_root, report_paths
from framing.pipeline import utc_now, verify_corpora
from framing.runtime import describe_exit, die_with_parent, folder_lock, interrupt_on_signals, last_signal
from framing.types import PathLike

__all__ = [
    "BatchConfig",
    "BatchPlan",
    "BatchResult",
    "RunResult",
    "RunSpec",
    "load_batch_config",
    "make_run_id",
    "plan_batch",
    "run_batch",
    "write_summary",
]

RUN_FILE = "run.json"
MAX_RUN_ID = 80
_BATCH_KEYS = {"name", "description", "notebooks", "parameters", "grid", "runs"}
_NOTEBOOK_KEYS = {"path", "parameters"}
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._+=-]+")
_TERMINATE_GRACE_S = 15.0
_UMASK = os.umask(0)
os.umask(_UMASK)


# -------------------------------------------------------------------------------------- data classes
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


@dataclass(frozen=True)
class BatchPlan:
    """All runs of a batch, validated, with their output folder."""

    config: BatchConfig
    runs: tuple[RunSpec, ...]
    out_dir: Path
    root: Path


@dataclass
class RunResult:
    """The outcome of one run (``ok``, ``failed``, ``cached`` or ``interrupted``)."""

    run_id: str
    status: str
    varying: dict[str, Any]
    elapsed: float | None = None
    error: str = ""
    key_results: dict[str, Any] = field(default_factory=dict)
    notebooks: list[dict[str, Any]] = field(default_factory=list)
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    """Warnings raised inside the run's notebooks (``NOTEBOOK: Category: message``)."""


@dataclass
class BatchResult:
    """The outcome of :func:`run_batch`."""

    name: str
    out_dir: Path
    runs: list[RunResult]
    elapsed: float
    summary_csv: Path | None = None
    index_html: Path | None = None

    @property
    def failed(self) -> list[RunResult]:
        """Runs whose notebooks failed or whose worker crashed."""
        return [r for r in self.runs if r.status == "failed"]

    @property
    def executed(self) -> list[RunResult]:
        """Runs executed in this call (not taken from the cache)."""
        return [r for r in self.runs if r.status in ("ok", "failed")]

    @property
    def cached(self) -> list[RunResult]:
        """Runs skipped because nothing they depend on changed."""
        return [r for r in self.runs if r.status == "cached"]


# ------------------------------------------------------------------------------------------- config
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
        from framing.pipeline import load_study_config

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
    if value is None:
        return "none"
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

    Lists are joined with ``+`` (an empty list is ``empty``), paths are shortened to their last
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


# ------------------------------------------------------------------------------------------ planning
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
    collected and raised together as one :class:`ParameterError` before anything runs.
    """
    from framing.pipeline import check_parameters, collect_inputs, notebook_parameters, warn_partial_overrides

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

    problems: list[str] = []
    reports_value = reports_dir if reports_dir is not None else cfg.parameters.get("reports_dir", "reports")
    out_root = Path(str(reports_value))
    out_root = out_root if out_root.is_absolute() else base / out_root
    out_dir = report_paths(out_root).batch / cfg.name

    runs: list[RunSpec] = []
    seen: dict[str, dict[str, Any]] = {}
    for varying in _expand(cfg):
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
        run_id = make_run_id(varying)
        if run_id in seen:
            if seen[run_id] == varying:
                problems.append(f"run {varying}: duplicate parameter set")
                continue
            run_id = f"{run_id[: MAX_RUN_ID - 10]}__{_short_hash(varying)}"
        seen[run_id] = varying
        effective = {k: v for nb, p in per_nb for k, v in {**defaults[nb], **p}.items() if k != "reports_dir"}
        inputs = collect_inputs(effective, base)
        parts = {
            "notebooks": _short_hash([[os.path.relpath(nb, base), nb_hashes[nb]] for nb, _ in per_nb], n=16),
            "parameters": _short_hash([p for _, p in per_nb], n=16),
            "inputs": _short_hash(inputs, n=16),
            "code": code[:16],
        }
        key = _short_hash(parts, n=64)
        runs.append(RunSpec(run_id, dict(varying), full, tuple(per_nb), key, parts))
    unknown_all = sorted({k for v in _expand(cfg) for k in v if k not in declared}
                         | {k for k in cfg.own_parameters if k not in declared})
    if unknown_all:
        problems.insert(0, f"parameter(s) {unknown_all} are declared by none of the notebooks "
                           f"(known: {sorted(declared)})")
    if problems:
        listing = "\n  - ".join(dict.fromkeys(problems))
        raise ParameterError(f"{cfg.path}: {len(problems)} problem(s):\n  - {listing}")
    warn_partial_overrides(specs, [*cfg.own_parameters, *(k for v in _expand(cfg) for k in v)])
    return BatchPlan(cfg, tuple(runs), out_dir, base)


# ----------------------------------------------------------------------------------------- the worker
def _run_worker(spec_path: Path) -> int:
    """Execute one run (called in a separate process by :func:`run_batch`).

    Writes ``run.json`` last, and only when the run came to an end (its notebooks ran or one failed):
    an interrupted worker exits with status 130 and leaves no ``run.json``, so the batch never installs
    its folder.
    """
    from framing.pipeline import run_notebook, write_provenance
    from framing.report import build_index
    from framing.runtime import Step, execute_steps

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    run_dir = Path(spec["run_dir"])
    root = Path(spec["root"])
    final = spec["final_dir"]
    started, t0 = utc_now(), time.perf_counter()
    steps = []
    for item in spec["notebooks"]:
        src = Path(item["input"])
        params = dict(item["parameters"])
        if item["declares_reports_dir"]:
            params["reports_dir"] = str(run_dir)
        steps.append(Step(src, report_paths(run_dir).notebooks / src.name, params, {
            "notebook": os.path.relpath(src, root), "output": f"notebooks/{src.name}", "parameters": params}))
    outcome = execute_steps(
        steps, lambda step: run_notebook(step.notebook, step.output, step.parameters, cwd=root, validate=False),
        say=lambda line: print(line, flush=True), warn=lambda line: print(f"warning: {line}", flush=True),
    )
    if outcome.status == "interrupted":
        return 130
    status, error = outcome.status, outcome.error.replace(str(run_dir), final)
    records = outcome.records
    for record in records:
        if "error" in record:
            record["error"] = str(record["error"]).replace(str(run_dir), final)
        record["parameters"] = {
            k: (final if k == "reports_dir" else v) for k, v in record["parameters"].items()
        }
        out = run_dir / record["output"]
        if out.is_file():
            _retarget(out, str(run_dir), final)
    key_results: dict[str, Any] = {}
    try:
        from framing.report import read_key_results

        key_results = read_key_results(report_paths(run_dir).key_results)
    except Exception as exc:  # a malformed key_results.json must not lose the run
        print(f"key results unreadable: {exc}", flush=True)
    # reports_dir is an output, not an input: keep it out of provenance's input hashing
    # (the notebooks' defaults are included: a default lexicon or corpus is an input too)
    prov_records = []
    for r, item in zip(records, spec["notebooks"], strict=True):
        given = {k: v for k, v in r["parameters"].items() if k != "reports_dir"}
        prov_records.append({**r, "parameters": {**item.get("defaults", {}), **given}})
    write_provenance(
        report_paths(run_dir).provenance, spec["parameters"], root,
        batch=spec["batch"], run_id=spec["run_id"], notebooks=prov_records, started=started, finished=utc_now(),
        status=status, cache_key=spec["cache_key"], warnings=outcome.warnings,
    )
    try:
        build_index(run_dir, title=f"{spec['batch']} / {spec['run_id']}")
    except Exception as exc:  # the run's results stand even if its page cannot be rendered
        print(f"index not built: {exc}", flush=True)
    write_json(run_dir / RUN_FILE, {
        "run_id": spec["run_id"], "status": status, "error": error, "varying": spec["varying"],
        "parameters": spec["parameters"], "elapsed_s": round(time.perf_counter() - t0, 2),
        "cache_key": spec["cache_key"], "cache_parts": spec["cache_parts"],
        "notebooks": records, "key_results": key_results, "started": started, "warnings": outcome.warnings,
    })
    return 0


def _retarget(notebook: Path, tmp: str, final: str) -> None:
    """Show the run's final folder, not its temporary one, in the injected parameters."""
    import nbformat

    from framing.io import atomic_path

    nb = nbformat.read(notebook, as_version=4)
    changed = False
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []) and tmp in cell.source:
            cell.source = cell.source.replace(tmp, final)
            changed = True
    pm = nb.metadata.get("papermill", {})
    pm_params = pm.get("parameters", {})
    if pm_params.get("reports_dir") == tmp:
        pm_params["reports_dir"] = final
        changed = True
    if tmp in str(pm.get("output_path", "")):  # papermill recorded the temporary file name
        pm["output_path"] = str(Path(final) / notebook.relative_to(tmp))
        changed = True
    if changed:
        with atomic_path(notebook) as out:
            nbformat.write(nb, out)


# -------------------------------------------------------------------------------------- the executor
def _worker_preexec() -> None:
    """A worker gets SIGTERM (and stops cleanly, its kernel with it) if the batch process dies."""
    die_with_parent(signal.SIGTERM)


def _read_run(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((path / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _result_from_record(run: RunSpec, rec: dict[str, Any], status: str, path: Path) -> RunResult:
    return RunResult(
        run_id=run.run_id, status=status, varying=run.varying, elapsed=rec.get("elapsed_s"),
        error=str(rec.get("error", "")), key_results=dict(rec.get("key_results") or {}),
        notebooks=list(rec.get("notebooks") or []), path=path, warnings=list(rec.get("warnings") or []),
    )


def _install(tmp: Path, final: Path) -> None:
    """Move a finished run folder into place, replacing an older one (never half-written)."""
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}-{threading.get_ident()}")
        os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, final)


class _Executor:
    """Runs workers in subprocesses (own session, so Ctrl-C reaches only the batch process)."""

    def __init__(self, plan: BatchPlan, jobs: int) -> None:
        self.plan = plan
        self.jobs = jobs
        self.stop = threading.Event()
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.lock = threading.Lock()

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        threads = str(max(1, (os.cpu_count() or 1) // self.jobs))
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, threads)
        env.setdefault("PYTHONUNBUFFERED", "1")
        env["FRAMING_ROOT"] = str(self.plan.root)
        return env

    def run_one(self, run: RunSpec) -> RunResult:
        out_dir = self.plan.out_dir
        final = out_dir / run.run_id
        if self.stop.is_set():
            return RunResult(run.run_id, "interrupted", run.varying)
        tmp = Path(tempfile.mkdtemp(prefix=f".{run.run_id}.tmp-", dir=out_dir))
        tmp.chmod(0o777 & ~_UMASK)  # mkdtemp makes 0700; a finished run is as readable as any folder
        try:
            spec = {
                "run_id": run.run_id, "run_dir": str(tmp), "final_dir": str(final), "root": str(self.plan.root),
                "batch": self.plan.config.name, "varying": run.varying, "parameters": run.parameters,
                "cache_key": run.cache_key, "cache_parts": run.cache_parts,
                "notebooks": [
                    {"input": str(nb), "parameters": p,
                     "declares_reports_dir": "reports_dir" in _specs(nb),
                     "defaults": {k: v for k, v in _literal_defaults(_specs(nb)).items() if k != "reports_dir"}}
                    for nb, p in run.notebooks
                ],
            }
            spec_path = tmp / ".spec.json"
            spec_path.write_text(json.dumps(spec, default=str), encoding="utf-8")
            t0 = time.perf_counter()
            with open(tmp / "run.log", "wb") as log:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "framing.batch", "--worker", str(spec_path)],
                    stdout=log, stderr=subprocess.STDOUT, cwd=self.plan.root, env=self.env(),
                    start_new_session=True, preexec_fn=_worker_preexec,
                )
                with self.lock:
                    self.procs[run.run_id] = proc
                    if self.stop.is_set():  # Ctrl-C came between the check above and the start
                        with contextlib.suppress(ProcessLookupError, PermissionError):
                            os.killpg(proc.pid, signal.SIGTERM)
                try:
                    code = proc.wait()
                finally:
                    with self.lock:
                        self.procs.pop(run.run_id, None)
            spec_path.unlink(missing_ok=True)
            rec = _read_run(tmp) if code == 0 else None
            if rec is None:  # killed, interrupted or crashed: the run's folder keeps its previous content
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)  # anything the worker left in its group
                tail = (tmp / "run.log").read_text(encoding="utf-8", errors="replace").strip().splitlines()[-8:]
                shutil.rmtree(tmp, ignore_errors=True)
                if self.stop.is_set():
                    return RunResult(run.run_id, "interrupted", run.varying)
                kept = f"; {final} keeps its previous complete run" if _read_run(final) is not None else ""
                error = (f"run {run.run_id}: worker (pid {proc.pid}) {describe_exit(code)} after "
                         f"{time.perf_counter() - t0:.1f} s{kept}")
                return RunResult(run.run_id, "failed", run.varying, elapsed=round(time.perf_counter() - t0, 2),
                                 error=error + (": " + " | ".join(tail) if tail else ""))
            _install(tmp, final)
            return _result_from_record(run, rec, str(rec.get("status", "failed")), final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def terminate_all(self) -> None:
        """Ask every running worker to stop (SIGTERM to its own process group), then force it."""
        with self.lock:
            self.stop.set()
            procs = list(self.procs.values())
        for proc in procs:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + _TERMINATE_GRACE_S
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


_SPECS: dict[Path, dict[str, Any]] = {}


def _specs(nb: Path) -> dict[str, Any]:
    """The notebook's declared parameters (papermill), read once per batch process."""
    if nb not in _SPECS:
        from framing.pipeline import notebook_parameters

        _SPECS[nb] = dict(notebook_parameters(nb))
    return _SPECS[nb]


def run_batch(
    config: BatchConfig | PathLike,
    *,
    jobs: int | None = None,
    force: bool = False,
    progress: bool = True,
    root: PathLike | None = None,
    reports_dir: PathLike | None = None,
    ignore_code: bool = False,
    wait: bool = False,
) -> BatchResult:
    """Run every parameter set of a batch file; see the module docstring.

    Parameters
    ----------
    config : BatchConfig or path
        The batch (``config/batch/NAME.yaml``).
    jobs : int, optional
        Runs executed at the same time (default: ``os.cpu_count()``).
    force : bool
        Rerun runs whose cache key is unchanged.
    progress : bool
        Show a tqdm progress bar on stderr.
    root : path, optional
        Project root (default: :func:`framing.paths.find_root`); notebooks run there.
    reports_dir : path, optional
        Reports folder (default: the ``reports_dir`` parameter, ``reports``); runs go to
        ``REPORTS_DIR/batch/NAME/``.
    ignore_code : bool
        Keep cached runs even when the package code changed (by default a code change reruns them).
    wait : bool
        When another batch holds the batch folder's lock, wait for it instead of stopping.

    Returns
    -------
    BatchResult
        Every run's status; ``result.failed`` is non-empty when a run failed.

    Raises
    ------
    ConfigError, ParameterError
        Before anything runs, for a malformed batch file or bad parameters (all listed at once).
    RawDataChangedError
        Before anything runs, when a corpus differs from its ``SHA256SUMS`` manifest (names the file).
    BusyError
        Another batch is writing into the same folder (names its pid and start time).
    KeyboardInterrupt
        After a clean stop by Ctrl-C, SIGTERM or SIGHUP (workers and kernels stopped, finished runs kept,
        unfinished ones' temporary folders removed, summary written).
    """
    from tqdm.auto import tqdm

    n_jobs = (os.cpu_count() or 1) if jobs is None else jobs
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs < 1:
        raise ParameterError(f"jobs must be a positive integer, got {jobs!r}")
    started, t0 = utc_now(), time.perf_counter()
    plan = plan_batch(config, root=root, reports_dir=reports_dir)
    out_dir = plan.out_dir
    results: dict[str, RunResult] = {}
    verify_corpora([{**_literal_defaults(_specs(nb)), **p} for run in plan.runs for nb, p in run.notebooks],
                   plan.root)
    with interrupt_on_signals(), folder_lock(out_dir, what=f"framing batch {plan.config.name}", wait=wait):
        for leftover in out_dir.glob(".*.tmp-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        for leftover in out_dir.glob(".*.old-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        todo: list[RunSpec] = []
        for run in plan.runs:
            rec = _read_run(out_dir / run.run_id)
            if not force and rec is not None and rec.get("status") == "ok" and _fresh(run, rec, ignore_code):
                results[run.run_id] = _result_from_record(run, rec, "cached", out_dir / run.run_id)
            else:
                todo.append(run)
                if progress and not force and rec is not None and rec.get("status") == "ok":
                    old = rec.get("cache_parts") or {}
                    changed = [k for k, v in run.cache_parts.items() if old.get(k) != v]
                    print(f"batch {plan.config.name}: rerunning {run.run_id}: changed {', '.join(changed)}",
                          file=sys.stderr)
        if n_jobs > 1 and len(todo) > 1:
            _prepare_corpora(todo, plan.root)
        executor = _Executor(plan, n_jobs)
        interrupted = False
        bar = tqdm(total=len(todo), desc=f"batch {plan.config.name}", unit="run", disable=not progress,
                   file=sys.stderr)
        pool = ThreadPoolExecutor(max_workers=n_jobs, thread_name_prefix="framing-batch")
        futures: dict[Future[RunResult], RunSpec] = {}
        try:
            futures = {pool.submit(executor.run_one, run): run for run in todo}
            pending = set(futures)
            while pending:
                done, pending = wait_any(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                for fut in done:
                    res = fut.result()
                    results[res.run_id] = res
                    bar.update(1)
                    if res.status == "failed":
                        bar.write(f"run {res.run_id} FAILED: {res.error}", file=sys.stderr)
                    for line in res.warnings:
                        bar.write(f"framing: warning: run {res.run_id}: {line}", file=sys.stderr)
        except KeyboardInterrupt:
            interrupted = True
            executor.terminate_all()
            for fut in futures:
                fut.cancel()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            bar.close()
        for fut, run in futures.items():
            if run.run_id not in results:
                late: RunResult | None = None
                if fut.done() and not fut.cancelled() and fut.exception() is None:
                    late = fut.result()
                results[run.run_id] = late or RunResult(run.run_id, "interrupted", run.varying)
        for run in todo:
            if results[run.run_id].status == "interrupted":
                results[run.run_id] = _earlier_or_interrupted(run, out_dir / run.run_id, ignore_code)
        ordered = [results[r.run_id] for r in plan.runs]
        batch = BatchResult(plan.config.name, out_dir, ordered, time.perf_counter() - t0)
        batch.summary_csv, batch.index_html = write_summary(plan, batch)
        from framing.pipeline import write_provenance

        write_provenance(
            report_paths(out_dir).provenance, plan.config.parameters, plan.root,
            batch=plan.config.name, config=_rel(plan.config.path, plan.root),
            notebooks=[{"notebook": _rel(nb, plan.root), "parameters": p} for nb, p in plan.config.notebooks],
            grid=plan.config.grid, runs=[
                {"run_id": r.run_id, "status": r.status, "varying": r.varying, "elapsed_s": r.elapsed}
                for r in ordered
            ],
            jobs=n_jobs, force=force, started=started, finished=utc_now(),
            status="interrupted" if interrupted else ("failed" if batch.failed else "ok"),
            **({"interrupted_by": last_signal()} if interrupted else {}),
        )
    if interrupted:
        raise KeyboardInterrupt
    return batch


def _earlier_or_interrupted(run: RunSpec, folder: Path, ignore_code: bool) -> RunResult:
    """An unfinished run: its earlier complete result if that is still current (``cached``), else ``interrupted``.

    The folder of an interrupted run is never touched; when it holds an earlier run with other inputs,
    the message says so and the summary links it without presenting its results as current.
    """
    rec = _read_run(folder)
    if rec is None:
        return RunResult(run.run_id, "interrupted", run.varying, error="interrupted before it finished")
    if rec.get("status") == "ok" and _fresh(run, rec, ignore_code):
        return _result_from_record(run, rec, "cached", folder)
    return RunResult(
        run.run_id, "interrupted", run.varying, path=folder,
        error=f"interrupted before it finished; {run.run_id}/ still holds an earlier {rec.get('status')} run "
              f"of {rec.get('started', '?')} with other inputs (stale)",
    )


def _fresh(run: RunSpec, rec: Mapping[str, Any], ignore_code: bool) -> bool:
    """Whether a recorded successful run still matches the planned one."""
    if not ignore_code:
        return rec.get("cache_key") == run.cache_key
    recorded = rec.get("cache_parts") or {}
    return all(recorded.get(k) == v for k, v in run.cache_parts.items() if k != "code")


def _prepare_corpora(runs: Sequence[RunSpec], root: Path) -> None:
    """Build each corpus's processed cache once, before parallel runs would all build it at once.

    Uses the notebooks' convention ``prepare_corpus(corpus, name=corpus_name, ...)``; a corpus that
    fails here is left for its runs to report.
    """
    from framing.corpus import prepare_corpus

    seen: set[str] = set()
    for run in runs:
        for _, params in run.notebooks:
            if not isinstance(params.get("corpus"), str):
                continue
            kwargs = {k: params[k] for k in ("id_col", "text_col", "genre_col") if isinstance(params.get(k), str)}
            name = params.get("corpus_name")
            key = _canonical([params["corpus"], name, kwargs])
            if key in seen:
                continue
            seen.add(key)
            source = Path(params["corpus"])
            source = source if source.is_absolute() else root / source
            with contextlib.suppress(Exception):
                prepare_corpus(source, name=name if isinstance(name, str) else None,
                               processed_dir=ProjectPaths(root).processed, **kwargs)


def _rel(path: Path, root: Path) -> str:
    return os.path.relpath(path, root) if path.is_relative_to(root) else str(path)


# ---------------------------------------------------------------------------------------- summaries
def _cell_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_cell_text(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dict):
        return _canonical(value)
    return "" if value is None else str(value)


def write_summary(plan: BatchPlan, batch: BatchResult) -> tuple[Path, Path]:
    """Write ``summary.csv`` and ``index.html`` for a batch; return their paths.

    Columns: ``run_id``, ``status``, ``duration_s``, one column per varying parameter, one per key
    result (``key_results.json`` of each run, see docs/reports.md), ``error``.
    """
    from framing.report import esc, headline, html_page, html_table

    out_dir = plan.out_dir
    param_cols = list(dict.fromkeys(k for r in plan.runs for k in r.varying))
    key_cols = sorted({k for r in batch.runs for k in r.key_results})
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["run_id", "status", "duration_s", *param_cols, *key_cols, "error"])
    for r in batch.runs:
        writer.writerow([
            r.run_id, r.status, "" if r.elapsed is None else f"{r.elapsed:.2f}",
            *(_cell_text(r.varying.get(k)) for k in param_cols),
            *(_cell_text(r.key_results.get(k)) for k in key_cols),
            r.error,
        ])
    csv_path = atomic_write_text(out_dir / "summary.csv", buf.getvalue())

    rows = []
    for r in batch.runs:
        run_dir = out_dir / r.run_id
        if (run_dir / "index.html").is_file() and r.status in ("ok", "failed", "cached"):
            run_link = f'<a href="{esc(r.run_id)}/index.html">{esc(r.run_id)}</a>'
        else:
            run_link = esc(r.run_id)
        nb_links = []
        for nb in r.notebooks:
            out = str(nb.get("output", ""))
            html_file = Path(out).with_suffix(".html").as_posix()
            label = esc(Path(out).stem or nb.get("notebook", ""))
            if (run_dir / html_file).is_file():
                nb_links.append(f'<a href="{esc(r.run_id)}/{esc(html_file)}">{label}</a> ({esc(nb.get("status"))})')
            elif (run_dir / out).is_file():
                nb_links.append(f'<a href="{esc(r.run_id)}/{esc(out)}">{label}</a> ({esc(nb.get("status"))})')
            else:
                nb_links.append(f"{label} ({esc(nb.get('status'))})")
        row: dict[str, Any] = {
            "run": run_link,
            "status": f'<span class="status-{esc(r.status)}">{esc(r.status)}</span>',
            "headline": headline(run_dir) if run_dir.is_dir() else "",
            "duration (s)": "" if r.elapsed is None else round(float(r.elapsed), 1),
            **{k: r.varying.get(k, "") for k in param_cols},
            **{k: r.key_results.get(k, "") for k in key_cols},
            "notebooks": "<br>".join(nb_links),
            "error": r.error,
        }
        rows.append(row)
    counts = {s: sum(1 for r in batch.runs if r.status == s) for s in ("ok", "cached", "failed", "interrupted")}
    sub = ", ".join(f"{n} {s}" for s, n in counts.items() if n) + f"; {batch.elapsed:.1f} s"
    desc = f"<p>{esc(plan.config.description)}</p>\n" if plan.config.description else ""
    body = (
        desc
        + '<p class="links"><a href="summary.csv">summary.csv</a> <a href="provenance.json">provenance.json</a>'
        + f" · config: <code>{esc(_rel(plan.config.path, plan.root))}</code></p>\n"
        + '<div class="wide">'
        + html_table(
            rows,
            ["run", "status", "headline", "duration (s)", *param_cols, *key_cols, "notebooks", "error"],
            raw_html_columns=("run", "status", "notebooks"),
        )
        + "</div>"
    )
    index = atomic_write_text(out_dir / "index.html", html_page(f"Batch: {plan.config.name}", body, subtitle=sub))
    return csv_path, index


# ------------------------------------------------------------------------------------------- __main__
def _main(argv: Sequence[str]) -> int:
    if len(argv) == 2 and argv[0] == "--worker":
        try:
            return _run_worker(Path(argv[1]))
        except KeyboardInterrupt:
            return 130
    print("usage: python -m framing.batch --worker SPEC.json (internal; use `framing batch`)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
