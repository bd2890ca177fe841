"""Running a batch: the cache, the worker pool, Ctrl-C, the summary and the batch's provenance."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_any
from pathlib import Path

from framing.batch._config import BatchConfig, _canonical
from framing.batch._executor import _Executor, _specs
from framing.batch._plan import RunSpec, _literal_defaults, plan_batch
from framing.batch._results import (
    BatchResult,
    RunResult,
    _earlier_or_interrupted,
    _fresh,
    _read_run,
    _result_from_record,
    rerun_reason,
)
from framing.batch._summary import write_summary
from framing.errors import ParameterError
from framing.paths import ProjectPaths, report_paths, shown_path
from framing.provenance import utc_now, verify_corpora
from framing.runtime import folder_lock, interrupt_on_signals, last_signal
from framing.types import READING_DEFAULTS, PathLike


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
    run_parameters = [{**_literal_defaults(_specs(nb)), **p} for run in plan.runs for nb, p in run.notebooks]
    verify_corpora(run_parameters, plan.root)
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
                    print(f"batch {plan.config.name}: rerunning {run.run_id}: changed {rerun_reason(run, rec)}",
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
                        if line not in futures[fut].warnings:  # the plan's own were issued when it was made
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
        from framing.backends.study import unused_coded_sheets
        from framing.provenance import write_provenance

        write_provenance(
            report_paths(out_dir).provenance,
            {**plan.config.parameters, **({"reports_dir": plan.reports_dir} if plan.reports_dir else {})}, plan.root,
            batch=plan.config.name, config=shown_path(plan.config.path, plan.root),
            notebooks=[{"notebook": shown_path(nb, plan.root), "parameters": p} for nb, p in plan.config.notebooks],
            grid=plan.config.grid, runs=[
                {"run_id": r.run_id, "status": r.status, "varying": r.varying, "elapsed_s": r.elapsed}
                for r in ordered
            ],
            jobs=n_jobs, force=force, started=started, finished=utc_now(),
            status="interrupted" if interrupted else ("failed" if batch.failed else "ok"),
            **({"interrupted_by": last_signal()} if interrupted else {}),
            unused_inputs=unused_coded_sheets(run_parameters, plan.root),
        )
    if interrupted:
        raise KeyboardInterrupt
    return batch



def _prepare_corpora(runs: Sequence[RunSpec], root: Path) -> None:
    """Build each corpus's processed cache once, before parallel runs would all build it at once.

    Uses the notebooks' convention ``prepare_corpus(corpus, name=corpus_name, ...)`` with their reading
    parameters (columns, ``on_bad_record``, ``safe_ids``); a corpus that fails here is left for its runs to report.
    """
    from framing.corpus import prepare_corpus

    seen: set[str] = set()
    for run in runs:
        for _, params in run.notebooks:
            if not isinstance(params.get("corpus"), str):
                continue
            kwargs = {k: params[k] for k in READING_DEFAULTS if k in params}
            if isinstance(kwargs.get("rules"), str) and kwargs["rules"]:  # resolved as the notebooks resolve it
                kwargs["rules"] = str(root / kwargs["rules"])
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


