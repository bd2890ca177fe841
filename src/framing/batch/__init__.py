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

Modules (private; everything public is re-exported here, so ``from framing.batch import X`` works)
    ``_config`` batch files and run ids; ``_plan`` runs, parameter checks, cache keys; ``_results`` run and
    batch outcomes, ``run.json``; ``_executor`` worker processes; ``_worker`` one run (the ``--worker``
    entry point of ``python -m framing.batch``); ``_run`` :func:`run_batch`; ``_summary`` ``summary.csv``
    and ``index.html`` (template ``templates/batch_index.html.j2``).
"""

from __future__ import annotations

from framing.batch._config import BatchConfig, batch_run_ids, load_batch_config, make_run_id
from framing.batch._plan import BatchPlan, RunSpec, plan_batch
from framing.batch._results import BatchResult, RunResult
from framing.batch._run import run_batch
from framing.batch._summary import write_summary

__all__ = [
    "BatchConfig",
    "BatchPlan",
    "BatchResult",
    "RunResult",
    "RunSpec",
    "batch_run_ids",
    "load_batch_config",
    "make_run_id",
    "plan_batch",
    "run_batch",
    "write_summary",
]
