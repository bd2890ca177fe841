"""Running the partition tasks: one after the other in process (``stream``) or on a Dask cluster (``dask``).

Every runner calls ``check(result)`` on each result as it arrives (in the order the partitions finish), so that
a problem found in one partition (a duplicate id, a result made with other code or another lexicon) stops the
run at once instead of after the last partition. On any exception (Ctrl-C included) the futures submitted to a
cluster are cancelled and the runner waits briefly (:data:`CANCEL_WAIT` seconds) for the tasks already running
to end, so that the caller can say truthfully what is on disk.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

from framing.backends.partitions import Partition
from framing.errors import ParameterError
from framing.progress import progress_bar

__all__: list[str] = []

Task = Callable[[Partition], dict[str, Any]]
Check = Callable[[dict[str, Any]], None]

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a scheduler given with ``--scheduler ADDRESS`` to answer (dask's own default is 30)."""
WORKER_WAIT = 60.0
"""Seconds to wait for a worker when the scheduler has none, before the run fails."""
CANCEL_WAIT = 10.0
"""Seconds to wait, after cancelling the tasks (Ctrl-C, an error), for those already running to end."""
_DASK_LOG_ENV = "DASK_LOGGING__DISTRIBUTED"


def part_bytes(part: Partition) -> int:
    """Bytes of input a partition covers, where the plan knows them (JSON lines), else 0."""
    return max(part.end - part.start, 0) if part.kind == "jsonl" else 0


def run_stream(task: Task, parts: list[Partition], progress: bool, check: Check,
               scan: Task) -> list[dict[str, Any]]:
    """Run the partitions one after the other in this process, with a progress bar over partitions.

    A task returns an error of the input as a result (``{"error": exc}``, as on Dask). After the first, the later
    partitions are only read (``scan``: a partition read, not processed, its errors and warnings as a result),
    so that the run reports every bad record and every warning of the input, as the in-memory path does.
    """
    out = []
    with progress_bar(len(parts), enabled=progress, desc="partitions", unit="part") as bar:
        for i, part in enumerate(parts):
            out.append(task(part))
            if "error" in out[-1]:
                return out + [scan(p) for p in parts[i + 1:]]
            check(out[-1])
            bar.update(1, part_bytes(part))
    return out


def _executing(dask_worker: Any) -> list[str]:
    """Return the keys of the tasks a worker is executing (run on each worker by :func:`_still_running`)."""
    state = getattr(dask_worker, "state", None)
    return [str(getattr(ts, "key", ts)) for ts in getattr(state, "executing", ())]


def _still_running(client: Any, keys: set[str]) -> int:
    """How many of ``keys`` a worker still executes (a cancelled task runs on to its end); 0 if none can be asked.

    The scheduler forgets a cancelled task at once, so the workers themselves are asked.
    """
    running: set[str] = set()
    with contextlib.suppress(Exception):  # a worker or the scheduler gone: nothing of ours runs there any more
        running.update(k for tasks in client.run(_executing).values() for k in tasks)
    with contextlib.suppress(Exception):
        running.update(str(k) for tasks in client.processing().values() for k in tasks)
    return len(running & keys)


def _gather(client: Any, parts: list[Partition], task: Task, retries: int, progress: bool, check: Check,
            notes: list[str]) -> list[dict[str, Any]]:
    """Submit one task per partition; check each result as it arrives; cancel the rest on any exception."""
    from distributed import as_completed

    futures = client.map(task, parts, retries=retries, pure=False)
    size = {f.key: part_bytes(p) for f, p in zip(futures, parts, strict=True)}
    out: list[dict[str, Any]] = []
    try:
        with progress_bar(len(parts), enabled=progress, desc="partitions", unit="part") as bar:
            for done in as_completed(futures):
                out.append(done.result())
                if "error" not in out[-1]:
                    check(out[-1])
                bar.update(1, size[done.key])
    except BaseException:
        keys = {str(f.key) for f in futures}
        client.cancel(futures, force=True)
        deadline = time.monotonic() + CANCEL_WAIT
        while (left := _still_running(client, keys)) and time.monotonic() < deadline:
            time.sleep(0.2)
        if left:
            notes.append(f"{left} task(s) were still running on the cluster after {CANCEL_WAIT:g} s; they write "
                         "nothing once the run's temporary folder is gone")
        raise
    return out


@contextlib.contextmanager
def _quiet_distributed() -> Iterator[None]:
    """Silence ``distributed``'s loggers here and in the workers a LocalCluster starts, for the run's length.

    A failing task or Ctrl-C would otherwise print the workers' tracebacks (several times with retries) and the
    nannies' shutdown warnings; the run reports its own one-line error instead.
    """
    import logging

    names = ["distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))]
    levels = {n: logging.getLogger(n).level for n in names}
    env = os.environ.get(_DASK_LOG_ENV)
    os.environ[_DASK_LOG_ENV] = "critical"  # read by the worker processes when they import distributed
    for n in names:
        logging.getLogger(n).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for n, level in levels.items():
            logging.getLogger(n).setLevel(level)
        if env is None:
            os.environ.pop(_DASK_LOG_ENV, None)
        else:
            os.environ[_DASK_LOG_ENV] = env


def _bokeh_available() -> bool:
    try:
        import bokeh  # noqa: F401
    except ImportError:
        return False
    return True


def _start_local_cluster(n: int) -> Any:
    """Start a LocalCluster of ``n`` single-threaded worker processes; on Ctrl-C while starting, close it quietly.

    A cluster interrupted in its ``__init__`` would be closed again by distributed's ``atexit`` hook, which
    fails on its half-set status with a long traceback: it is closed here and forgotten by that hook.
    """
    from distributed import LocalCluster
    from distributed.deploy.spec import SpecCluster

    known = set(SpecCluster._instances)
    try:
        return LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                            dashboard_address=":0" if _bokeh_available() else None,
                            preload=["framing.backends._dask_worker"])
    except BaseException:
        for cluster in set(SpecCluster._instances) - known:
            with contextlib.suppress(Exception):
                cluster.close(timeout=5)
            SpecCluster._instances.discard(cluster)
        raise


def _connect(address: str) -> Any:
    """Return a Client of the scheduler at ``address``; a clear error if it does not answer in time."""
    from distributed import Client

    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ParameterError(f"--scheduler {address}: no Dask scheduler answered within {CONNECT_TIMEOUT:g} s "
                             f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no detail'}); "
                             "start one with `dask scheduler` and `dask worker ADDRESS`, or leave --scheduler out "
                             "for a LocalCluster") from None


def _wait_for_workers(client: Any, address: str, say: Callable[[str], None]) -> int:
    """Return the number of workers of the cluster; wait up to :data:`WORKER_WAIT` seconds for a first one."""
    n = len(client.scheduler_info().get("workers", {}))
    if n:
        return n
    say(f"framing: warning: the dask scheduler at {address} has no worker; waiting up to {WORKER_WAIT:g} s for "
        f"one (start it with `dask worker {address}`)")
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT)
    except (TimeoutError, OSError):
        raise ParameterError(f"--scheduler {address}: no worker joined the scheduler within {WORKER_WAIT:g} s; "
                             f"start one with `dask worker {address}`") from None
    return len(client.scheduler_info().get("workers", {}))


def run_dask(task: Task, parts: list[Partition], scheduler: str | None, workers: int | None, retries: int,
             say: Callable[[str], None], progress: bool, check: Check, notes: list[str]
             ) -> tuple[list[dict[str, Any]], str | None]:
    """Run the partitions on Dask; return the results (an input error as ``{"error": exc}``) and the dashboard.

    ``task`` returns an error of the input as a result (not retried). ``scheduler``: ``None`` starts a
    LocalCluster (closed on the way out, also on Ctrl-C), ``"synchronous"`` runs in this thread, anything else is
    the address of a running scheduler.
    """
    if scheduler == "synchronous":
        import dask.bag as db

        results = list(db.from_sequence(parts, npartitions=max(1, len(parts))).map(task)
                       .compute(scheduler="synchronous"))
        for r in results:
            if "error" not in r:
                check(r)
        return results, None
    from distributed import Client

    with _quiet_distributed():
        if scheduler is None:
            n = workers or os.cpu_count() or 1
            with _start_local_cluster(n) as cluster, Client(cluster) as client:
                link = client.dashboard_link if _bokeh_available() else None
                say(f"framing: dask LocalCluster with {n} worker(s) at {cluster.scheduler_address}; dashboard: "
                    f"{link or 'not available (install bokeh)'}")
                return _gather(client, parts, task, retries, progress, check, notes), link
        with _connect(scheduler) as client:
            n = _wait_for_workers(client, scheduler, say)
            link = client.dashboard_link
            say(f"framing: dask cluster at {scheduler} ({n} worker(s)); dashboard: {link}")
            return _gather(client, parts, task, retries, progress, check, notes), link
