"""The notebook runner: the study's notebooks executed with papermill (``framing run``).

(Formerly ``framing.pipeline``, which stays importable as an alias. The provenance record written by every
run lives in :mod:`framing.provenance`.)

* :func:`notebook_parameters` reads a notebook's ``parameters`` cell (names, inferred types, defaults and
  the comment that documents each), as ``papermill --help-notebook`` does.
* :func:`check_parameters` validates a parameter dictionary against those declarations and reports every
  unknown name and wrong type at once. (Both live in the private ``framing._runner_params``, re-exported here.)
* :func:`run_notebook` executes one notebook into an output path. The executed copy is written to a
  temporary name and moved into place at the end, so the output is never half-written; when a cell fails,
  the executed notebook (with the error) is still moved into place for inspection and
  :class:`~framing.errors.NotebookError` names notebook, cell and error.
* :func:`run_study` runs the notebooks listed in ``config/study.yaml`` in order, stops at the first failure,
  and writes ``reports/provenance.json`` (parameters, git commit, package and Python versions, SHA-256 of
  every raw input and lexicon used, start and end time; :func:`framing.provenance.write_provenance`)
  whether the run succeeded or not.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import os
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framing import headstart
from framing._run_outputs import kept_outputs, kernel_env, outputs_env, restore_leftovers
from framing._runner_params import (
    ParameterSpec,
    PartialParameterWarning,
    StudyCaseWarning,
    _check_cases,
    _name_the_corpus,
    check_parameters,
    notebook_defaults,
    notebook_parameters,
    study_label,
    warn_partial_overrides,
)
from framing.errors import ConfigError, FramingError, NotebookError, ParameterError
from framing.io import atomic_path, check_reports_dir, parse_yaml
from framing.paths import ProjectPaths, find_root, report_paths
from framing.provenance import corpus_paths, utc_now, verify_corpora, write_provenance
from framing.runtime import (
    Step,
    StepsOutcome,
    carry_earlier,
    execute_steps,
    folder_lock,
    interrupt_on_signals,
    kernel_ready,
    notebook_preload_code,
    quiet_kernel_manager,
    read_json,
    remove_leftovers,
    skip_optional_imports,
    start_kernel,
    stop_kernel,
)
from framing.types import STUDY_BACKENDS, PathLike

__all__ = [
    "NotebookResult",
    "ParameterSpec",
    "PartialParameterWarning",
    "StudyCaseWarning",
    "StudyConfig",
    "StudyResult",
    "check_parameters",
    "load_study_config",
    "notebook_defaults",
    "notebook_parameters",
    "run_notebook",
    "run_study",
    "warn_partial_overrides",
]

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
    backend: str = "memory"
    scheduler: str | None = None


@dataclass
class StudyResult:
    """The outcome of :func:`run_study`."""

    reports_dir: Path
    notebooks: list[NotebookResult] = field(default_factory=list)
    elapsed: float = 0.0
    provenance_path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    """The run's own warnings and those raised inside its notebooks (as in ``provenance.json``)."""
    prepared: list[dict[str, Any]] = field(default_factory=list)
    """The corpora the run read, as ``prepared`` in ``provenance.json``: backend, counts, ``skipped_records``."""

    @property
    def skipped_records(self) -> int:
        """Bad records skipped (``on_bad_record=skip``) in the corpora the run read, on any backend."""
        return sum(int(p.get("skipped_records") or 0) for p in self.prepared)


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
    km: Any = None,
    reports_dir: PathLike | None = None,
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
    km : kernel manager, optional
        A kernel already started (:func:`framing.runtime.start_kernel`) to run the notebook in; the caller
        stops it afterwards. Default: papermill starts one and stops it.
    reports_dir : path, optional
        The notebook's ``reports_dir``: when given, what the notebook writes there is listed in its output
        manifest (:func:`framing.io.note_output`) for a kernel papermill starts (a kernel given as ``km`` was
        started with that environment, :func:`framing.runtime.outputs_env`).

    Raises
    ------
    ParameterError
        Unknown or wrongly typed parameters (nothing is executed).
    NotebookError
        A cell failed: the message names notebook, cell and error; the executed notebook with the error is
        kept at ``output_path``.
    """
    skip_optional_imports()
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
    env = outputs_env(Path(reports_dir), src) if reports_dir is not None and km is None else None
    with atomic_path(out) as tmp, _quiet_jupyter(), kernel_env(env):
        try:
            papermill.execute_notebook(
                str(src), str(tmp), parameters=params, kernel_name=kernel_name, cwd=str(workdir),
                progress_bar=False, log_output=log_output, request_save_on_cell_execute=False,
                extra_arguments=list(KERNEL_ARGUMENTS), kernel_manager_class=quiet_kernel_manager(),
                **({"km": km} if km is not None else {}),
            )
        except PapermillExecutionError as exc:
            failure = exc  # keep the executed notebook with the error: let atomic_path move it into place
        _record_output_path(tmp, out)
    elapsed = time.perf_counter() - started
    if failure is not None:
        cell, error = _describe_failure(failure)
        raise NotebookError(f"notebook {src} failed in {cell}: {error} (executed notebook kept at {out})")
    return NotebookResult(src, out, params, elapsed)


_JUPYTER_LOGGERS = ("traitlets", "asyncio", "papermill", "nbclient", "jupyter_client", "IPKernelApp")


def silence_jupyter_logs() -> None:
    """Keep Jupyter's log lines (nbclient, asyncio, ...) off the terminal for the rest of this process.

    For the command line (``framing run``, ``framing batch``): a kernel stopped by Ctrl-C or SIGTERM leaves an
    asyncio task whose "exception was never retrieved" is logged when it is collected, after the run has
    returned; :func:`_quiet_jupyter` only covers the run itself. A program using the API keeps its logging.
    """
    for name in _JUPYTER_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


@contextlib.contextmanager
def _quiet_jupyter() -> Iterator[None]:
    """Keep Jupyter's own log lines and tear-down tracebacks (ZMQ, asyncio) off the user's terminal.

    A failing cell is reported by :class:`NotebookError`, an interruption by ``KeyboardInterrupt``; what
    the kernel machinery logs meanwhile is noise to the user.
    """
    loggers = [logging.getLogger(name) for name in _JUPYTER_LOGGERS]
    levels = [lg.level for lg in loggers]
    hook = sys.unraisablehook
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    sys.unraisablehook = lambda unraisable: None
    try:
        yield
    finally:
        sys.unraisablehook = hook
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _record_output_path(executed: Path, final: Path) -> None:
    """Record the final path where papermill recorded its temporary one; make the cells the same on every rerun.

    Papermill gives a notebook stored without cell ids (nbformat 4.4) random ones, which the rendered page
    carries (``id="cell-id=..."``): the ids become ``cell-<position>``. A cell's printed lines arrive in one
    stream output or several, as the kernel happened to flush them: consecutive ones are merged (nbconvert's
    ``CoalesceStreamsPreprocessor``). So a rerun renders the same page.
    """
    import nbformat
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor

    if not executed.is_file() or executed.stat().st_size == 0:
        return
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nbformat.read(str(executed), as_version=4), {})
    meta = nb.metadata.get("papermill")
    if meta is not None:
        meta["output_path"] = str(final)
    for i, cell in enumerate(nb.cells):
        if "id" in cell:
            cell["id"] = f"cell-{i}"
    executed.write_text(nbformat.writes(nb), encoding="utf-8")


# --- the study --------------------------------------------------------------------------------------

_STUDY_KEYS = {"name", "description", "parameters", "notebooks", "backend", "scheduler"}
_NOTEBOOK_KEYS = {"path", "parameters"}


def load_study_config(path: PathLike | None = None, *, root: PathLike | None = None) -> StudyConfig:
    """Parse and check a study configuration (default: ``config/study.yaml`` under the project root)."""
    base = Path(root) if root is not None else find_root()
    p = Path(path) if path is not None else ProjectPaths(base).study_config
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
        same = [n for n, _ in notebooks if n.stem == nb_path.stem]
        if same:
            raise ConfigError(f"{p}: notebooks entry #{i} ({entry['path']}) has the name of an earlier entry "
                              f"({same[0]}): each notebook's executed copy and outputs are kept under its name")
        notebooks.append((nb_path, dict(nb_params)))
    backend, scheduler = doc.get("backend", "memory"), doc.get("scheduler")
    if backend not in STUDY_BACKENDS:
        raise ConfigError(f"{p}: 'backend' must be one of {list(STUDY_BACKENDS)}, got {backend!r}")
    if scheduler is not None and (not isinstance(scheduler, str) or backend != "dask"):
        raise ConfigError(f"{p}: 'scheduler' must be the address of a dask scheduler (with 'backend: dask')")
    return StudyConfig(p, str(doc.get("name", p.stem)), dict(params), tuple(notebooks),
                       str(doc.get("description", "")).strip(), backend, scheduler)


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
    wait: bool = False,
    backend: str | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
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
        Print one line per notebook (name, elapsed time) to stderr. Warnings raised inside the notebooks
        are printed whatever ``progress`` is, and listed in ``provenance.json`` under ``warnings``.
    wait : bool
        When another run holds the reports folder's lock, wait for it instead of stopping.
    backend : {"memory", "stream", "dask"}, optional
        Where the corpus preparation runs (default: the configuration's ``backend``, ``memory``): ``stream``
        and ``dask`` prepare every corpus once before the first notebook
        (:func:`framing.backends.study.prepare_study_corpora`) and the notebooks read the partitioned tables.
    scheduler, workers : optional
        Dask: a running scheduler's address (default: the configuration's ``scheduler``, else a LocalCluster
        with ``workers`` worker processes, default one per core).

    The reports folder is locked for the length of the run (:func:`framing.runtime.folder_lock`): a
    second run into it stops with :class:`~framing.errors.BusyError` naming the holder (or waits).
    ``provenance.json`` records ``status`` (``ok``, ``failed`` or ``interrupted``, with
    ``interrupted_by``) and one entry per notebook of the study: those this run executed (``ok``,
    ``failed``, ``interrupted``, ``not run``) and those whose outputs are from an earlier run
    (``stale``, with ``from_run``: that run's status, times and parameters); ``stale`` lists the
    notebooks whose outputs on disk were not produced by this run.

    Raises
    ------
    OutputError
        Before anything runs, when the reports folder is or holds the project root, ``data/`` (or a part of it),
        the source notebooks or a corpus folder, or lies inside one of them
        (:func:`framing.io.check_reports_dir`).
    NotebookError
        A notebook failed (after provenance and index are written).
    KeyboardInterrupt
        Ctrl-C, SIGTERM or SIGHUP stopped the run (after provenance and index are written).
    """
    base = Path(root).resolve() if root is not None else find_root()
    cfg = load_study_config(config, root=base)
    selected = _select(cfg, notebooks)
    out_dir = _reports_root(cfg, overrides, reports_dir, base)
    check_reports_dir(out_dir, root=base,  # before a kernel starts
                      corpora=corpus_paths([{**cfg.parameters, **(overrides or {})}], base))
    # kernels started ahead, by notebook: the first one now, while the run is checked and prepared (when it cannot
    # start, e.g. an unknown kernelspec, papermill starts it later and the notebook fails with a NotebookError)
    warm: dict[Path, Any] = {}
    with interrupt_on_signals():  # SIGTERM from here on stops the run as Ctrl-C does, and stops that kernel
        with contextlib.suppress(Exception):
            warm[selected[0][0]] = start_kernel(
                selected[0][0], base, KERNEL_ARGUMENTS,
                env=outputs_env(out_dir, selected[0][0]))
        try:
            return _run_selected(cfg, selected, warm, base, overrides, reports_dir=reports_dir, progress=progress,
                                 wait=wait, backend=backend, scheduler=scheduler, workers=workers)
        finally:
            for km in warm.values():  # started for a notebook that did not run (bad parameters, failure, Ctrl-C)
                stop_kernel(km)


def _reports_root(cfg: StudyConfig, overrides: Mapping[str, Any] | None, reports_dir: PathLike | None,
                  base: Path) -> Path:
    """The run's reports folder: ``reports_dir``, else the ``reports_dir`` override, else the study's (absolute).

    Normalised (``/x/main/../rep`` is ``/x/rep``), as the run's lines and ``provenance.json`` show it.
    """
    chosen = reports_dir if reports_dir is not None else (overrides or {}).get(
        "reports_dir", cfg.parameters.get("reports_dir", "reports"))
    path = Path(str(chosen))
    return Path(os.path.normpath(path if path.is_absolute() else base / path))


def _check_override_names(specs: Mapping[Path, Mapping[str, Any]], overrides: Mapping[str, Any],
                          study: Mapping[str, Any]) -> None:
    """Refuse overrides no selected notebook declares, unless the study config has them (then say they are unused).

    A parameter of the study config (config/study.yaml's ``parameters``) is never unknown: the notebooks selected
    may just not use it (``-p case=`` with ``--notebook 01_corpus``).
    """
    known = sorted({name for s in specs.values() for name in s})
    unknown = [n for n in overrides if n not in known and n not in study]
    if unknown:
        raise ParameterError(f"unknown parameter(s) {unknown}; the notebooks declare: {known}")
    unused = [n for n in overrides if n not in known and n != "reports_dir"]
    if unused:
        warnings.warn(f"study parameter(s) {unused} not used by the notebook(s) run here "
                      f"({', '.join(nb.stem for nb in specs)}): ignored", PartialParameterWarning, stacklevel=4)


def _run_selected(cfg: StudyConfig, selected: list[tuple[Path, dict[str, Any]]], warm: dict[Path, Any], base: Path,
                  overrides: Mapping[str, Any] | None, *, reports_dir: PathLike | None, progress: bool, wait: bool,
                  backend: str | None, scheduler: str | None, workers: int | None) -> StudyResult:
    """:func:`run_study` after the configuration is read (``warm``: kernels started ahead, by notebook)."""
    overrides = dict(overrides or {})
    specs = {nb: notebook_parameters(nb) for nb, _ in selected}
    _check_override_names(specs, overrides, cfg.parameters)
    warn_partial_overrides(specs, overrides, shared=cfg.parameters)
    overrides = _name_the_corpus(overrides, specs, cfg.parameters, base)
    global_params = dict(cfg.parameters)
    if reports_dir is not None:
        overrides["reports_dir"] = str(reports_dir)
    out_dir = _reports_root(cfg, overrides, None, base)
    plan: list[tuple[Path, dict[str, Any]]] = []
    for nb, nb_params in selected:
        declared = specs[nb]
        params = {k: v for k, v in global_params.items() if k in declared}
        params.update(nb_params)
        params.update({k: v for k, v in overrides.items() if k in declared})
        check_parameters(declared, params, where=str(nb))
        plan.append((nb, params))
    full = [(nb, notebook_defaults(specs[nb]) | params) for nb, params in plan]
    run_warnings = _check_cases(cfg.parameters, os.path.relpath(cfg.path, base), overrides, full, base)

    check_reports_dir(out_dir, corpora=corpus_paths([global_params | overrides, *(p for _, p in full)], base),
                      root=base)
    verify_corpora([global_params | overrides, *(p for _, p in plan)], base)
    result = StudyResult(out_dir)
    say: Callable[[str], None] = (lambda line: print(line, file=sys.stderr, flush=True)) if progress \
        else (lambda line: None)
    with interrupt_on_signals(), folder_lock(out_dir, what="framing run", wait=wait):
        previous = read_json(report_paths(out_dir).provenance)
        steps = [
            Step(nb, report_paths(out_dir).notebooks / nb.name, params, {
                "notebook": os.path.relpath(nb, base), "output": str(report_paths(out_dir).notebooks / nb.name),
                "parameters": params,
                "defaults": {k: v for k, v in notebook_defaults(specs[nb]).items() if k not in params},
            })
            for nb, params in plan
        ]
        started_at, t0 = utc_now(), time.perf_counter()
        remove_leftovers(out_dir)
        restore_leftovers(out_dir, say)  # a killed run's half-rewritten notebook outputs, as they were before it
        chosen = backend or cfg.backend
        from framing.backends.study import (  # not at CLI start
            memory_preparations,
            prepare_study_corpora,
            unused_coded_sheets,
        )

        prepared = prepare_study_corpora(
            [params for _, params in full], base, backend=chosen,
            scheduler=scheduler or (cfg.scheduler if chosen == "dask" else None), workers=workers, say=say)
        order = [os.path.relpath(nb, base) for nb, _ in cfg.notebooks]
        for step in steps:
            step.record["status"] = "pending"

        def record(outcome: StepsOutcome) -> Path:
            """provenance.json as things stand: ``running`` until the end (a killed run stays ``running``)."""
            records, stale = carry_earlier(outcome.records, previous, order,
                                           lambda rec: Path(str(rec.get("output", ""))).is_file())
            if chosen == "memory":  # the notebooks prepared their corpora: what their manifests say
                result.prepared = memory_preparations([params for _, params in full], base)
            extra = {"pid": os.getpid()} if outcome.status == "running" else {"finished": utc_now()}
            return write_provenance(
                report_paths(out_dir).provenance, global_params | overrides, base,
                **study_label(cfg.name, os.path.relpath(cfg.path, base),
                              cfg.path.resolve() == ProjectPaths(base).study_config.resolve(), cfg.parameters,
                              overrides, base),
                config=os.path.relpath(cfg.path, base), notebooks=records,
                started=started_at, status=outcome.status, **extra,
                **({"interrupted_by": outcome.interrupted_by} if outcome.interrupted_by else {}),
                **({"error": outcome.error} if outcome.error else {}),
                selected=[os.path.relpath(nb, base) for nb, _ in plan], stale=stale,
                warnings=[*run_warnings, *outcome.warnings],
                backend=chosen, prepared=prepared if chosen != "memory" else result.prepared,
                unused_inputs=unused_coded_sheets([params for _, params in full], base),
            )

        for nb, _ in plan:  # parsed now, before the HTML thread compiles templates (notebook_preload_code)
            notebook_preload_code(nb)
        # each executed notebook's HTML page is rendered in a thread while the next notebook's kernel works
        renderer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="framing-html")
        pages: dict[Path, Future[Any]] = {}

        # and the next notebook's kernel starts while the current notebook runs
        following = {a.output: b for a, b in itertools.pairwise(steps)}

        def run_one(step: Step) -> None:
            km = warm.pop(step.notebook, None)
            if km is not None:
                kernel_ready(km)
            if step.output in following and following[step.output].notebook not in warm:
                after = following[step.output]
                warm[after.notebook] = start_kernel(after.notebook, base, KERNEL_ARGUMENTS,
                                                    env=outputs_env(out_dir, after.notebook))
            # what its last run wrote is kept until this run has finished, then removed where not written
            # again, or put back if this run did not finish (interrupted, its kernel died)
            try:
                with kept_outputs(out_dir, step.notebook):
                    result.notebooks.append(run_notebook(step.notebook, step.output, step.parameters, cwd=base,
                                                         validate=False, km=km, reports_dir=out_dir))
            finally:  # after the outputs are settled: an interruption here leaves the finished notebook's outputs
                if km is not None:
                    stop_kernel(km)
            pages[step.output] = renderer.submit(_render_page, step.output)

        record(StepsOutcome([s.record for s in steps], status="running"))
        ahead = headstart.start(full, base)  # later notebooks' costliest results, on the other core
        try:
            outcome = execute_steps(steps, run_one, say=say,
                                    warn=lambda line: print(f"framing: warning: {line}", file=sys.stderr, flush=True),
                                    after_each=lambda done: record(dataclasses.replace(done, status="running")))
        finally:
            headstart.stop(ahead)
            renderer.shutdown(wait=True, cancel_futures=True)
        result.elapsed = time.perf_counter() - t0
        result.warnings = [*run_warnings, *outcome.warnings]
        if chosen != "memory":
            result.prepared = prepared
        result.provenance_path = record(outcome)
        rendered = [nb for nb, page in pages.items() if not page.cancelled() and page.exception() is None]
        with contextlib.suppress(FramingError):  # the index links a failed notebook for inspection
            _build_index(out_dir, rendered)
    if outcome.status == "interrupted":
        raise KeyboardInterrupt
    if outcome.failure is not None:
        raise outcome.failure
    return result


def _render_page(notebook: Path) -> Path | None:
    """Render an executed notebook's offline HTML page (:func:`framing.report.render_notebook`)."""
    try:
        from framing.report import render_notebook
    except ImportError:
        return None
    return render_notebook(notebook)


def _build_index(reports_dir: Path, rendered: Sequence[Path] = ()) -> None:
    """Build reports/index.html when the report module is available (issue 6).

    ``rendered``: notebooks whose HTML page this run has rendered already (not rendered again).
    """
    try:
        from framing import report
    except ImportError:
        return
    builder = getattr(report, "build_index", None)
    if builder is not None:
        builder(reports_dir, rendered=rendered)
