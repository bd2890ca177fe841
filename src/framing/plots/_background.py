"""Figure files written by a forked copy of the notebook's kernel while the notebook goes on.

Writing a figure as PDF, SVG and 300 dpi PNG draws it three times: about 0.3 s a figure, on the notebook's
critical path. In a Jupyter kernel on a system with ``fork`` (Linux, macOS), :func:`framing.plots.save_figure`
hands the writing to a child process forked at the moment of the call: the child holds the figure exactly as it
is then (copy-on-write: nothing is pickled or imported again), writes the files atomically and exits, while the
kernel displays the figure and runs the next cells on the other core. So the files are byte for byte those the
kernel would have written itself.

* At most :data:`MAX_PENDING` children run at a time: the next figure waits for the oldest.
* :func:`wait_for_figures` waits for every child and raises :class:`~framing.errors.ReportError` naming each
  figure that could not be written (with the child's error). ``framing run`` calls it in the kernel after the
  last cell, before stopping the kernel; a kernel that ends normally (a notebook run alone with papermill or
  in JupyterLab) waits at exit. A failure is also raised by the next :func:`~framing.plots.save_figure`.
* The child writes nothing to the notebook (its standard streams belong to the kernel's I/O thread): the
  warnings that drawing gives are shown by the kernel itself, which draws the figure for the notebook too.

Outside a kernel (scripts, tests, the command line), or with ``FRAMING_FIGURES_INLINE=1`` in the environment,
figures are written before :func:`~framing.plots.save_figure` returns.
"""

from __future__ import annotations

import atexit
import io
import os
import signal
import sys
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass

from framing.errors import ReportError

__all__ = ["MAX_PENDING", "available", "submit", "wait_for_figures"]

MAX_PENDING = 2
"""Children writing figures at the same time (the machine's second core, and one queued)."""


@dataclass
class _Child:
    pid: int
    label: str
    errors: int  # read end of the pipe the child writes its traceback to


_PENDING: list[_Child] = []
_FAILED: list[str] = []
_STATE = {"atexit": False}


def available() -> bool:
    """Whether figures go to a forked child: in a Jupyter kernel with ``os.fork``, unless switched off."""
    if not hasattr(os, "fork") or os.environ.get("FRAMING_FIGURES_INLINE", "") not in ("", "0"):
        return False
    if "ipykernel" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def submit(write: Callable[[], object], label: str) -> None:
    """Run ``write()`` in a forked child (waiting first while :data:`MAX_PENDING` children are busy).

    Raises
    ------
    ReportError
        An earlier figure could not be written.
    """
    _reap(block=False)
    while len(_PENDING) >= MAX_PENDING:
        _reap_one(_PENDING[0])
    _raise_failures()
    if not _STATE["atexit"]:
        atexit.register(_wait_quietly)
        _STATE["atexit"] = True
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write, report any error through the pipe, leave without any clean-up
        os.close(read_end)
        status = 0
        try:
            # its own process group: the interrupt a kernel manager sends to the kernel's group before shutting
            # it down (and Ctrl-C in a terminal) does not cut a file short; the kernel waits for it instead
            os.setpgid(0, 0)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            sys.stdout = sys.stderr = io.StringIO()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                write()
        except BaseException:  # everything is reported to the kernel, which raises it
            os.write(write_end, traceback.format_exc(limit=4).encode("utf-8", "replace")[-4000:])
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    _PENDING.append(_Child(pid, label, read_end))


def _reap_one(child: _Child) -> None:
    _, status = os.waitpid(child.pid, 0)
    _finish(child, status)


def _finish(child: _Child, status: int) -> None:
    with os.fdopen(child.errors, "rb") as fh:
        message = fh.read().decode("utf-8", "replace").strip()
    _PENDING.remove(child)
    if status != 0:
        _FAILED.append(f"{child.label}: {message.splitlines()[-1] if message else f'exit status {status}'}")


def _reap(*, block: bool) -> None:
    for child in list(_PENDING):
        if block:
            _reap_one(child)
            continue
        pid, status = os.waitpid(child.pid, os.WNOHANG)
        if pid != 0:
            _finish(child, status)


def _raise_failures() -> None:
    if _FAILED:
        failed = list(_FAILED)
        _FAILED.clear()
        raise ReportError("figure(s) could not be written: " + "; ".join(failed))


def wait_for_figures() -> None:
    """Wait until every figure handed to a child is written.

    Raises
    ------
    ReportError
        Naming each figure that could not be written, with its error.
    """
    _reap(block=True)
    _raise_failures()


def _wait_quietly() -> None:
    """At the kernel's exit: let the children finish (their failures are printed, not raised)."""
    try:
        wait_for_figures()
    except ReportError as exc:
        print(f"framing: {exc}", file=sys.__stderr__)
