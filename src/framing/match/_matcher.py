"""The multi-pattern matcher: Hyperscan when importable, pyahocorasick otherwise, and one scan over a buffer.

:data:`MATCHER` is looked up here at every scan (tests switch matchers by patching this module's name).
"""

from __future__ import annotations

import importlib
import itertools
import os
import threading
from typing import Any, Protocol

import ahocorasick
import numpy as np

from framing.errors import ParameterError


def _import_hyperscan() -> Any:
    try:
        return importlib.import_module("hyperscan")
    except ImportError:  # pragma: no cover - platforms without a hyperscan wheel
        return None


_hs: Any = _import_hyperscan()


def _choose_matcher() -> str:
    want = os.environ.get("FRAMING_MATCHER", "auto").strip().lower() or "auto"
    if want not in ("auto", "hyperscan", "aho"):
        raise ParameterError(f"environment variable FRAMING_MATCHER must be 'auto', 'hyperscan' or 'aho', got {want!r}")
    if want == "hyperscan" and _hs is None:
        raise ParameterError("FRAMING_MATCHER='hyperscan' but the hyperscan package is not installed")
    return "hyperscan" if want != "aho" and _hs is not None else "aho"


MATCHER: str = _choose_matcher()
"""The multi-pattern matcher in use: ``"hyperscan"`` (default when importable) or ``"aho"`` (pyahocorasick).
Chosen at import from the environment variable ``FRAMING_MATCHER`` (``auto``, ``hyperscan``, ``aho``)."""


def _literal_database(keys: list[bytes]) -> Any:
    """A Hyperscan block-mode database of the literal ``keys`` (id = position in ``keys``); None without hyperscan."""
    if _hs is None:
        return None
    database = _hs.Database(mode=_hs.HS_MODE_BLOCK)
    database.compile(expressions=keys, ids=list(range(len(keys))), elements=len(keys), flags=0, literal=True)
    return database


def _caseless_database(patterns: list[bytes]) -> Any:
    """A Hyperscan block-mode database of the regular expressions ``patterns``, ASCII letters matched in either
    case (id = position in ``patterns``); None without hyperscan. Compiling costs about 0.5 ms per pattern."""
    if _hs is None or not patterns:
        return None
    database = _hs.Database(mode=_hs.HS_MODE_BLOCK)
    database.compile(expressions=patterns, ids=list(range(len(patterns))), elements=len(patterns),
                     flags=[_hs.HS_FLAG_CASELESS] * len(patterns))
    return database


_THREAD = threading.local()  # .scratch: {id(database): (database, the thread's Scratch for it)}


def _scratch(database: Any) -> Any:
    """The scratch space the calling thread scans ``database`` with: the database's own in the main thread, one
    of the thread's own elsewhere (a scratch serves one scan at a time: two threads scanning with the same one
    fail with ``ScratchInUseError``)."""
    if threading.current_thread() is threading.main_thread():
        return None
    kept: dict[int, tuple[Any, Any]] | None = getattr(_THREAD, "scratch", None)
    if kept is None:
        kept = _THREAD.scratch = {}
    got = kept.get(id(database))
    if got is None or got[0] is not database:
        if len(kept) >= 64:  # bounded: the entries hold their databases
            kept.clear()
        got = kept[id(database)] = (database, _hs.Scratch(database))
    return got[1]


def _scan_database(database: Any, buf: bytes | bytearray | memoryview) -> tuple[np.ndarray, np.ndarray]:
    """Every match of a Hyperscan ``database`` in ``buf``: (pattern id, position of the match's last byte).

    The binding calls a Python function per match: that call (about 0.1 us in the binding itself) and the
    recording (two list appends: cheaper than packing both numbers into one integer, or than a default argument
    instead of the closure) are the per-hit cost."""
    found: list[int] = []
    add = found.append

    def on_match(slot: int, start: int, end: int, flags: int, context: object) -> None:
        add(slot)
        add(end)

    database.scan(buf, match_event_handler=on_match, scratch=_scratch(database))
    pairs = np.fromiter(found, dtype=np.int64, count=len(found)).reshape(-1, 2)  # 15 % under np.asarray
    return pairs[:, 0], pairs[:, 1] - 1


class _Scannable(Protocol):
    """What :func:`_scan` reads: an automaton over the keys (decoded as Latin-1) and the same keys' database."""

    @property
    def automaton(self) -> ahocorasick.Automaton: ...

    @property
    def database(self) -> Any: ...


def _scan(cl: _Scannable, norm: bytearray) -> tuple[np.ndarray, np.ndarray]:
    """Every key occurrence in ``norm``: (slot, position of the key's last byte)."""
    if MATCHER == "hyperscan" and cl.database is not None:
        return _scan_database(cl.database, norm)
    flat = np.fromiter(itertools.chain.from_iterable(cl.automaton.iter(norm.decode("latin-1"))), dtype=np.int64)
    return flat[1::2], flat[0::2]
