"""Progress bars for long corpus operations (documents, MB/s, time left), shown only when they help.

A bar appears after :data:`DELAY` seconds, on standard error, and only when enabled (the CLI's ``--quiet``
turns it off); short runs and tests print nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["DELAY", "Progress", "progress_bar"]

DELAY = 3.0
"""Seconds before a bar is shown: a corpus processed faster than this shows none."""


class Progress:
    """Counts documents and characters; drives a tqdm bar when one is shown."""

    def __init__(self, bar: Any | None) -> None:
        self._bar = bar
        self._chars = 0
        self._t0 = time.perf_counter()

    def update(self, documents: int, chars: int) -> None:
        """Record ``documents`` more documents holding ``chars`` characters."""
        self._chars += chars
        if self._bar is not None:
            elapsed = max(time.perf_counter() - self._t0, 1e-9)
            self._bar.set_postfix_str(f"{self._chars / 1e6 / elapsed:.1f} MB/s", refresh=False)
            self._bar.update(documents)
            if self._bar.n and time.perf_counter() - self._t0 >= DELAY:
                self._bar.refresh()  # one update a batch of documents: cheap, and always visible


@contextmanager
def progress_bar(total: int, *, enabled: bool = True, desc: str = "", unit: str = "doc") -> Iterator[Progress]:
    """Yield a progress bar over ``total`` documents (``enabled=False``: a silent counter)."""
    if not enabled:
        yield Progress(None)
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc=desc, unit=unit, delay=DELAY, dynamic_ncols=True, leave=False)
    try:
        yield Progress(bar)
    finally:
        bar.close()
