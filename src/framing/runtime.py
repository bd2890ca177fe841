"""Safe execution of runs: kernels that die with their parent, signals, folder locks, warnings.

Used by :mod:`framing.runner` (``framing run``) and :mod:`framing.batch` (``framing batch``):

* :func:`quiet_kernel_manager` starts Jupyter kernels with their own output sent to ``/dev/null`` (the
  ``[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel.`` line and ZMQ stack traces never reach the
  user's terminal; a notebook's own output and warnings arrive through the notebook) and, on Linux, with
  ``PR_SET_PDEATHSIG`` so that a kernel is killed the moment the process that started it dies, even by
  ``kill -9``: no orphaned kernel keeps writing into a run's folder.
* :func:`start_kernel` / :func:`kernel_ready` / :func:`stop_kernel` start a notebook's kernel ahead of time
  and load the modules it imports (``framing run`` does so for the next notebook while the current one runs),
  wait for it, and stop it.
* :func:`interrupt_on_signals` turns SIGTERM (and SIGHUP) into :class:`KeyboardInterrupt`, as Ctrl-C is,
  so both stop a run the same clean way, and remembers the signal's name for messages and provenance.
* :func:`folder_lock` holds an exclusive ``flock`` on a folder's ``.framing.lock`` for the length of a run;
  a second run into the same folder stops with :class:`~framing.errors.BusyError` naming the holder's pid,
  command and start time, or waits for it (``wait=True``).
* :func:`describe_exit` names a child's exit status (``killed by SIGKILL``).
* :func:`notebook_warnings` collects the warnings printed by a notebook's cells (its ``stderr`` outputs, and the
  warnings a cell caught and printed on ``stdout``).
* :func:`execute_steps` is the run-and-record loop shared by ``framing run`` and a batch worker, and
  :func:`carry_earlier` marks the outputs a partial or interrupted run did not rewrite as ``stale``.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as _dt
import functools
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from framing.errors import BusyError
from framing.io import output_error, remove_temporaries
from framing.paths import report_paths
from framing.types import PathLike

__all__ = [
    "LOCK_FILE",
    "Step",
    "StepsOutcome",
    "carry_earlier",
    "describe_exit",
    "die_with_parent",
    "execute_steps",
    "folder_lock",
    "interrupt_on_signals",
    "last_signal",
    "notebook_preload_code",
    "notebook_warnings",
    "quiet_kernel_manager",
    "read_json",
    "remove_leftovers",
    "skip_optional_imports",
]

LOCK_FILE = ".framing.lock"
_PR_SET_PDEATHSIG = 1
_state: dict[str, str] = {}


# ------------------------------------------------------------------------------------------- kernels
def _load_prctl() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()  # resolved in the parent: a forked child must not call dlopen


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Ask Linux to send ``sig`` to this process when its parent dies (no-op elsewhere).

    Meant for ``preexec_fn`` of a child process (it only calls ``getppid`` and ``prctl``); if the parent
    is already gone, exits at once.
    """
    if _PRCTL is None:
        return
    parent = os.getppid()
    _PRCTL(_PR_SET_PDEATHSIG, sig, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


@functools.cache
def quiet_kernel_manager() -> type:
    """Return a kernel manager class whose kernels stay quiet on the terminal and die with their parent process.

    Built on first use (importing :mod:`jupyter_client` only when a notebook is run).
    """
    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
            kw.setdefault("preexec_fn", die_with_parent)
            await super()._async_launch_kernel(kernel_cmd, **kw)

    return QuietKernelManager


def start_kernel(notebook: Path, cwd: Path, extra_arguments: Sequence[str] = (), *, preload: bool = True,
                 env: Mapping[str, str] | None = None) -> Any:
    """Start, now, the kernel ``notebook`` asks for (its kernelspec), to hand to papermill later (``km=``).

    ``framing run`` starts the next notebook's kernel while the current notebook runs, so the kernel's
    start-up is off the critical path. With ``preload``, a thread then imports in that kernel, silently (no
    output, no execution count, no name left in the notebook's namespace), the modules the notebook's own
    ``import`` statements name (:func:`preload_code`), so that the notebook finds them loaded. The kernel is a
    :func:`quiet_kernel_manager` kernel (dies with this process); call :func:`kernel_ready` before using it
    and :func:`stop_kernel` after (papermill does not stop a kernel it was given). ``env``: the kernel's
    environment (default: this process's; :func:`outputs_env`).
    """
    from jupyter_client.utils import run_sync  # jupyter_core.utils.run_sync, re-exported

    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    meta = nb.get("metadata", {})
    km = quiet_kernel_manager()(kernel_name=str(meta.get("kernelspec", {}).get("name") or "python3"))
    run_sync(km.start_kernel)(extra_arguments=list(extra_arguments), cwd=str(cwd),
                              **({"env": dict(env)} if env is not None else {}))
    code = notebook_preload_code(notebook, nb) if preload else ""
    if code:
        km.framing_stopped = threading.Event()  # set by stop_kernel
        thread = threading.Thread(target=_preload, args=(km, code), name="framing-preload", daemon=True)
        thread.start()
        km.framing_preload = thread
    return km


_PRELOAD_CODE: dict[tuple[str, int, int], str] = {}


def notebook_preload_code(notebook: PathLike, nb: Mapping[str, Any] | None = None) -> str:
    """:func:`preload_code` of the notebook file, kept per path, size and modification time.

    ``framing run`` asks for every notebook's before it starts the thread that renders HTML pages: Python 3.11
    can fail with ``SystemError: AST constructor recursion depth mismatch`` when two threads parse or compile at
    once (Jinja compiles templates there), and the preload code is made with :func:`ast.parse`.
    """
    path = Path(notebook)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _PRELOAD_CODE:
        doc = nb if nb is not None else json.loads(path.read_text(encoding="utf-8"))
        _PRELOAD_CODE[key] = preload_code(doc)
    return _PRELOAD_CODE[key]


def preload_code(nb: Mapping[str, Any]) -> str:
    """Return code that runs the ``import`` statements of a notebook's code cells, each on its own.

    They run inside a function with a fresh namespace each, so no name is left in the kernel's namespace; a
    failing one is skipped (the notebook reports it when it runs the statement itself).
    """
    import ast

    statements: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        try:
            tree = ast.parse(source if isinstance(source, str) else "".join(source))
        except SyntaxError:
            continue
        statements += [ast.unparse(node) for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    if not statements:
        return ""
    unique = list(dict.fromkeys(statements))
    return ("def _framing_preload():\n"
            f"    for statement in {unique!r}:\n"
            "        try:\n            exec(statement, {})\n        except Exception:\n            pass\n"
            "_framing_preload()\ndel _framing_preload\n")


_PRELOAD_STEP_S = 0.1
"""The preloading thread's longest wait on the kernel: a stopped (:func:`stop_kernel`) or dead kernel ends the
preloading within this time (jupyter_client's ``wait_for_ready`` waits a second per step and its heartbeat thread
another second to stop: a run refused on its parameters took 2 s to stop the kernel it had started ahead)."""


def _kernel_gone(km: Any) -> bool:
    """Tell whether the kernel process of ``km`` has exited (its provisioner's process; False when unknown)."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    return process is not None and process.poll() is not None


def _shell_reply(kc: Any, km: Any, stopped: threading.Event | None, deadline: float, accept: Callable[[Any], bool],
                 ask: Callable[[], Any] | None = None) -> bool:
    """Wait in short steps for a shell message ``accept`` takes (True); False once stopped, gone or past deadline.

    ``ask`` (re)sends the request every second, as jupyter_client's ``wait_for_ready`` does for ``kernel_info``.
    """
    asked = -1.0
    while not (stopped is not None and stopped.is_set()) and time.monotonic() <= deadline and not _kernel_gone(km):
        if ask is not None and time.monotonic() - asked >= 1.0:
            ask()
            asked = time.monotonic()
        try:
            reply = kc.get_shell_msg(timeout=_PRELOAD_STEP_S)
        except queue.Empty:
            continue
        if accept(reply):
            return True
    return False


def _preload(km: Any, code: str, timeout: float = 300.0) -> None:
    """Wait for the kernel, run ``code`` silently in it and wait for the reply (errors are ignored).

    No heartbeat channel: the kernel's process tells whether it is alive, and every wait is short
    (:data:`_PRELOAD_STEP_S`), so :func:`stop_kernel` ends the thread at once.
    """
    from jupyter_client.blocking import BlockingKernelClient

    kc = BlockingKernelClient()
    kc.load_connection_info(km.get_connection_info())
    stopped = getattr(km, "framing_stopped", None)
    try:
        kc.start_channels(hb=False)
        if not _shell_reply(kc, km, stopped, time.monotonic() + timeout,
                            lambda msg: msg.get("msg_type") == "kernel_info_reply", ask=kc.kernel_info):
            return
        msg_id = kc.execute(code, silent=True, store_history=False)
        _shell_reply(kc, km, stopped, time.monotonic() + timeout,
                     lambda msg: msg.get("parent_header", {}).get("msg_id") == msg_id)
    except Exception:  # a kernel that died or hangs is the notebook run's to report
        return
    finally:
        with contextlib.suppress(Exception):
            kc.stop_channels()


def kernel_ready(km: Any, timeout: float = 300.0) -> Any:
    """Wait until the preloading of a kernel from :func:`start_kernel` is done; return ``km``."""
    thread = getattr(km, "framing_preload", None)
    if thread is not None:
        thread.join(timeout)
    return km


def stop_kernel(km: Any) -> None:
    """Shut down a kernel started by :func:`start_kernel` at once (no error if it is already gone)."""
    from jupyter_client.utils import run_sync  # jupyter_core.utils.run_sync, re-exported

    stopped = getattr(km, "framing_stopped", None)
    if stopped is not None:
        stopped.set()  # the preloading thread stops waiting for a kernel that is going
    with contextlib.suppress(Exception):
        run_sync(km.shutdown_kernel)(now=True)
    thread = getattr(km, "framing_preload", None)
    if thread is not None:
        thread.join(5.0)


SKIPPED_OPTIONAL_IMPORTS = ("rfc3987_syntax",)
"""Optional modules that importing papermill would load for nothing: jsonschema (through nbformat) imports
``rfc3987_syntax``, when installed (JupyterLab's dependencies bring it), only to check the ``iri`` string format,
which no notebook schema uses and nbformat does not check; importing it builds 38 parsers (about 2 s)."""


def skip_optional_imports() -> None:
    """Keep :data:`SKIPPED_OPTIONAL_IMPORTS` out of this process (before papermill is imported; no-op after).

    Marked as absent in ``sys.modules``, as Python does for a module known not to exist: jsonschema then goes
    without the ``iri`` format checker, as it does when the package is not installed.
    """
    for name in SKIPPED_OPTIONAL_IMPORTS:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------- signals
def last_signal() -> str:
    """Return the name of the signal that interrupted the current run (``SIGINT`` when none was recorded)."""
    return _state.get("signal", "SIGINT")


@contextlib.contextmanager
def interrupt_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`KeyboardInterrupt` like Ctrl-C (main thread only).

    The signal's name is available from :func:`last_signal` afterwards; previous handlers are restored.
    """
    _state["signal"] = "SIGINT"
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        _state["signal"] = signal.Signals(signum).name
        raise KeyboardInterrupt

    def on_sigint(signum: int, frame: FrameType | None) -> None:
        _state["signal"] = "SIGINT"
        raise KeyboardInterrupt

    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}
    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGHUP, handler)
    if previous[signal.SIGINT] is signal.default_int_handler:
        signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h if h is not None else signal.SIG_DFL)


def describe_exit(code: int | None) -> str:
    """Describe how a process ended.

    ``exited with status 3``, ``was killed by SIGKILL (signal 9)`` or ``is still running``.
    """
    if code is None:
        return "is still running"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"was killed by {name} (signal {-code})"
    if code > 128 and code - 128 in {s.value for s in signal.Signals}:
        return f"exited with status {code} ({signal.Signals(code - 128).name})"
    return f"exited with status {code}"


# --------------------------------------------------------------------------------------------- locks
def _holder(lock_path: Path) -> str:
    try:
        info = json.loads(lock_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "another process"
    if not isinstance(info, dict):
        return "another process"
    return f"pid {info.get('pid')} ({info.get('command', '?')}), started {info.get('started', '?')}"


@contextlib.contextmanager
def folder_lock(folder: PathLike, *, what: str, wait: bool = False, poll_s: float = 0.5) -> Iterator[Path]:
    """Hold an exclusive lock on ``folder`` (its ``.framing.lock`` file) for the block.

    Parameters
    ----------
    folder : path
        The folder a run writes into (created if missing).
    what : str
        What is being run, recorded in the lock file for the message another run shows.
    wait : bool
        Wait until the holder has finished instead of stopping.

    Raises
    ------
    BusyError
        Another process holds the lock and ``wait`` is false (names its pid, command and start time).
    OutputError
        The folder cannot be created or locked (a file stands where it or a parent should be), naming it.
    """
    import fcntl

    base = Path(folder)
    lock_path = base / LOCK_FILE
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise output_error(base, exc, "folder") from exc
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if not wait:
                    raise BusyError(
                        f"{base}: another run is writing here: {_holder(lock_path)} (lock {lock_path}); "
                        "wait for it to finish or use --wait"
                    ) from exc
                time.sleep(poll_s)
        info = {"pid": os.getpid(), "command": what,
                "started": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
        yield lock_path
    finally:
        os.close(fd)  # releases the lock (the file stays: removing it would race with a waiting run)


# ------------------------------------------------------------------------------------------ warnings
_WARNING_LINE = re.compile(r"^(?:[^\n]*?:\d+: )?(?P<text>[A-Z]\w*Warning: [^\n]+)$", re.MULTILINE)
_PRINTED_WARNING = re.compile(r"^warning \((?P<category>[A-Z]\w*Warning)\): (?P<message>[^\n]+)$", re.MULTILINE)
"""A warning a cell caught and printed on its standard output (:func:`framing.nbtools.printed_warnings`)."""


def notebook_warnings(executed: PathLike) -> list[str]:
    """Warnings printed by the cells of an executed notebook (``Category: message``, in order, unique).

    Reads the ``stderr`` stream outputs, where Python's :mod:`warnings` writes
    (``/path/file.py:12: UserWarning: message``; the source location is dropped), and the ``stdout`` lines
    of the warnings a cell caught and printed so that the analysis goes on
    (``warning (UnclosedQuotationWarning): message``, :func:`framing.nbtools.printed_warnings`).
    """
    path = Path(executed)
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    found: list[str] = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            if out.get("output_type") != "stream" or out.get("name") not in ("stderr", "stdout"):
                continue
            raw = out.get("text", "")
            text = "".join(raw) if isinstance(raw, list) else str(raw)
            if out["name"] == "stderr":
                found.extend(m.group("text").strip() for m in _WARNING_LINE.finditer(text))
            else:
                found.extend(f"{m['category']}: {m['message'].strip()}" for m in _PRINTED_WARNING.finditer(text))
    return list(dict.fromkeys(found))


# ------------------------------------------------------------------------------ run-and-record loop
@dataclass
class Step:
    """One notebook of a run: what to execute, where, and its provenance record (filled in as it runs)."""

    notebook: Path
    output: Path
    parameters: dict[str, Any]
    record: dict[str, Any] = field(default_factory=dict)


@dataclass
class StepsOutcome:
    """What :func:`execute_steps` did: ``status`` is ``ok``, ``failed`` or ``interrupted``."""

    records: list[dict[str, Any]]
    status: str = "ok"
    error: str = ""
    interrupted_by: str = ""
    warnings: list[str] = field(default_factory=list)
    failure: BaseException | None = None
    first_said: dict[str, str] = field(default_factory=dict)  # a notebook warning's text -> the first notebook


def execute_steps(
    steps: Sequence[Step],
    run: Callable[[Step], object],
    *,
    say: Callable[[str], None] = lambda line: None,
    warn: Callable[[str], None] = lambda line: None,
    after_each: Callable[[StepsOutcome], object] = lambda outcome: None,
) -> StepsOutcome:
    """Run notebooks in order, stop at the first failure or interruption, and record each one's status.

    ``run(step)`` executes one notebook (raising
    :class:`~framing.errors.NotebookError` when a cell fails). Each record gets ``status`` (``ok``,
    ``failed``, ``interrupted`` or ``not run``), ``elapsed_s``, ``error`` and ``warnings`` (collected
    from the executed notebook and passed to ``warn`` as ``NOTEBOOK: Category: message``; a warning an earlier
    notebook of the run gave in the same words, such as the corpus's skipped records that every notebook
    loading it gives, is passed once in full and then as ``NOTEBOOK: Category, as FIRST above``; every
    notebook's record and the outcome's ``warnings`` keep them all). Ctrl-C,
    SIGTERM and SIGHUP stop the loop (the signal is in ``interrupted_by``) instead of propagating, so the
    caller records what happened before re-raising. ``after_each(outcome)`` is called after each notebook
    that succeeded and is not the last (e.g. to record progress in ``provenance.json``).
    """
    out = StepsOutcome(records=[step.record for step in steps])
    with interrupt_on_signals():
        for i, step in enumerate(steps, start=1):
            if out.status != "ok":
                step.record["status"] = "not run"
                continue
            try:
                _execute_step(step, f"[{i}/{len(steps)}] {step.notebook.name}", run, out, say, warn)
                if out.status == "ok" and i < len(steps):
                    after_each(out)
            except KeyboardInterrupt:
                out.interrupted_by = last_signal()
                step.record.update(status="interrupted", error=f"interrupted by {out.interrupted_by}")
                out.status, out.error = "interrupted", f"{step.notebook.name} interrupted by {out.interrupted_by}"
                say(f"[{i}/{len(steps)}] {step.notebook.name} INTERRUPTED ({out.interrupted_by})")
    return out


KERNEL_START_ATTEMPTS = 3
"""How many times a notebook's kernel is started when it dies before answering its first request. A kernel
that dies at start-up has run nothing, so it is started again. (Seen once in a loaded test run, cause not
established; a kernel can lose the race for its ports with another kernel starting at the same moment.)"""

_KERNEL_DIED_AT_START = "Kernel died before replying to kernel_info"


def _run_starting_kernel_again(step: Step, run: Callable[[Step], object], warn: Callable[[str], None]) -> None:
    """``run(step)``, again (up to :data:`KERNEL_START_ATTEMPTS` times) when its kernel dies at start-up."""
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            run(step)
            return
        except RuntimeError as exc:
            if _KERNEL_DIED_AT_START not in str(exc) or attempt == KERNEL_START_ATTEMPTS:
                raise
            warn(f"{step.notebook.stem}: KernelStartWarning: the kernel died before it started (attempt "
                 f"{attempt} of {KERNEL_START_ATTEMPTS}; no cell had run): started again")
            time.sleep(0.5 * attempt)


def _execute_step(step: Step, label: str, run: Callable[[Step], object], out: StepsOutcome,
                  say: Callable[[str], None], warn: Callable[[str], None]) -> None:
    from framing.errors import NotebookError

    rec = step.record
    say(f"{label} ...")
    t0 = time.perf_counter()

    def restarted(line: str) -> None:
        out.warnings.append(line)
        warn(line)

    try:
        _run_starting_kernel_again(step, run, restarted)
        rec.update(status="ok", elapsed_s=round(time.perf_counter() - t0, 2))
        say(f"{label} done in {rec['elapsed_s']:.1f} s")
    except Exception as exc:  # a dead kernel or a timeout is a failed notebook too, recorded as such
        failure = exc if isinstance(exc, NotebookError) else NotebookError(
            f"notebook {step.notebook} could not run: {type(exc).__name__}: {exc}")
        rec.update(status="failed", error=str(failure), elapsed_s=round(time.perf_counter() - t0, 2))
        out.status, out.error, out.failure = "failed", str(failure), failure
        say(f"{label} FAILED")
    found = notebook_warnings(step.output)
    if found:
        rec["warnings"] = found
        for line in found:
            stem = step.notebook.stem
            out.warnings.append(f"{stem}: {line}")
            first = out.first_said.setdefault(line, stem)
            warn(f"{stem}: {line}" if first == stem else f"{stem}: {line.split(':', 1)[0]}, as {first} above")


def carry_earlier(
    records: Sequence[dict[str, Any]], previous: Mapping[str, Any] | None, order: Sequence[str],
    exists: Callable[[dict[str, Any]], bool],
) -> tuple[list[dict[str, Any]], list[str]]:
    """Merge this run's notebook records with the earlier run's, marking older outputs ``stale``.

    Parameters
    ----------
    records : sequence of dict
        This run's records (key ``notebook``: the notebook's path relative to the root).
    previous : mapping or None
        The earlier ``provenance.json`` of the same folder.
    order : sequence of str
        Every notebook of the study, in order (the merged list follows it).
    exists : callable
        Whether a record's output file is on disk.

    Returns
    -------
    records, stale
        One record per notebook with an output or a status (the earlier ones as ``stale``, each with
        ``from_run``: status, start, end, parameters and git code state of the run that produced it), and the
        notebooks whose outputs on disk are from an earlier run.
    """
    earlier: dict[str, dict[str, Any]] = {}
    if isinstance(previous, Mapping):
        run_info = {k: previous.get(k) for k in ("status", "started", "finished", "parameters", "git")}
        for rec in previous.get("notebooks") or []:
            if not (isinstance(rec, dict) and isinstance(rec.get("notebook"), str)):
                continue
            older = rec.get("earlier_output")
            if isinstance(older, dict):  # the earlier run did not rewrite it: it is older still
                origin, produced = older.get("from_run"), older.get("produced_status")
            elif rec.get("status") == "stale":
                origin, produced = rec.get("from_run"), rec.get("produced_status")
            else:
                origin, produced = dict(run_info), rec.get("status")
            earlier[rec["notebook"]] = {**rec, "from_run": origin, "produced_status": produced}
    now: dict[str, list[dict[str, Any]]] = {}
    for rec in records:
        now.setdefault(rec["notebook"], []).append(rec)
    merged: list[dict[str, Any]] = []
    stale: list[str] = []
    for name in dict.fromkeys([*order, *now]):
        old = earlier.get(name)
        has_old = old is not None and old.get("produced_status") in ("ok", "failed") and exists(old)
        if name not in now:
            if has_old and old is not None:
                merged.append({**{k: v for k, v in old.items() if k != "elapsed_s"}, "status": "stale"})
                stale.append(name)
            continue
        for rec in now[name]:
            if rec.get("status") not in ("ok", "failed") and has_old and old is not None:
                # interrupted or not reached: the output on disk is the earlier run's
                rec = {**rec, "earlier_output": {"from_run": old["from_run"],
                                                 "produced_status": old["produced_status"]}}
                stale.append(name)
            merged.append(rec)
    return merged, list(dict.fromkeys(stale))


# ------------------------------------------------------------------------------------ run folders
def remove_leftovers(out_dir: Path) -> None:
    """Remove the temporary files of writes a killed run left in the reports folder (the caller holds its lock).

    Removes only files named as :func:`framing.io.atomic_path` names a file while it is written
    (``.<stem>.<8 characters>.tmp<suffix>``, :data:`framing.io.TEMPORARY_NAME`), and only at the top level of
    ``out_dir`` and directly in its ``figures/``, ``tables/``, ``notebooks/`` and ``evidence/`` folders; any other
    file, and anything deeper (``batch/`` has its own lock and cleans its own folders), is left alone.
    """
    layout = report_paths(out_dir)
    for folder in (out_dir, layout.figures, layout.tables, layout.notebooks, layout.evidence):
        remove_temporaries(folder)


def read_json(path: Path) -> Any:
    """Return the JSON document at ``path`` (``None`` when it is missing or unreadable)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
