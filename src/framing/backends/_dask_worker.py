"""Preloaded into every Dask worker a LocalCluster of :mod:`framing.backends.run` starts (``preload=``).

Ctrl-C in a terminal reaches the whole process group; the workers ignore it, so that they print no
``KeyboardInterrupt`` tracebacks: the process that started the cluster stops it (and them) on the way out.
"""

from __future__ import annotations

import contextlib
import signal
from typing import Any


def dask_setup(worker: Any) -> None:
    """Ignore SIGINT in this worker process (dask calls this once the worker starts)."""
    with contextlib.suppress(ValueError):  # not the main thread: leave the handler alone
        signal.signal(signal.SIGINT, signal.SIG_IGN)
