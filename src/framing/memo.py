"""Results kept on disk under a content hash of their inputs, so that a later call loads instead of recomputing.

``framing run`` computes the study's costliest results (the classifier's cross-validation of notebook 06,
the topic refits of notebook 03) in a background process while the earlier notebooks run
(:mod:`framing.headstart`); the notebooks then find them here. The mechanism is opt-in and transparent:

* :func:`enable` (called by :func:`framing.nbtools.setup`, and by the background process) names the folder,
  ``data/processed/cache/`` of the project; until then :func:`cached` simply calls the function.
* :func:`cached` calls ``func(*args, **kwargs)`` or loads its earlier result. The key is a SHA-256 of the
  function's name, of its arguments bound to its signature (defaults filled in; DataFrames and arrays by
  content, files named by a path or a string by their bytes, dataclasses field by field, scikit-learn estimators
  by their class and parameters; functions and classes are refused, being pickled by name) and of
  :func:`code_fingerprint` (every file of the installed ``framing`` package and the versions of the numerical
  stack): any change of data, parameter, lexicon or code gives another key, so a stale entry is never read.
* An entry is computed under an exclusive lock (``flock``) on its key: a notebook that asks for a result the
  background process is computing waits for it (at most ten minutes) instead of computing it twice; if that
  process dies, the lock is released and the notebook computes it. A folder where no lock can be made, or an
  entry that cannot be written (read-only, full disk), makes the call compute and return its result. Entries
  are written atomically (:func:`framing.io.atomic_write_bytes`), so a killed process leaves no half-written
  entry, and an unreadable entry is recomputed.
* Warnings issued while computing are recorded with the entry and issued again when it is loaded, so a notebook
  shows the same output either way.

Arguments that cannot be fingerprinted (an open file, a lambda) make :func:`cached` compute, never guess.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import importlib.metadata
import inspect
import os
import pickle
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from framing.io import atomic_write_bytes
from framing.paths import PACKAGE_DIR
from framing.types import PathLike

__all__ = ["cached", "code_fingerprint", "disable", "enable", "enabled", "fingerprint", "key_of", "memoized"]

T = TypeVar("T")
P = ParamSpec("P")

_STATE: dict[str, Path | None] = {"dir": None}
_KEEP = 32  # entries kept per function (the newest; a run keeps one per k): older ones are from other code or data
_STACK = ("numpy", "pandas", "scipy", "scikit-learn", "pyarrow")
_MAX_PATH_STRING = 4096
_LOCK_WAIT = 600.0  # seconds a call waits for another process computing the same entry, then computes itself
_LEFTOVER_AGE = 3600.0  # seconds after which a temporary file of an interrupted write is removed


class Unhashable(TypeError):
    """An argument :func:`fingerprint` cannot reduce to bytes (the call is computed, not cached)."""


def enable(directory: PathLike) -> Path:
    """Keep and look up results in ``directory`` (created when missing) for the rest of the process."""
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    _STATE["dir"] = path
    return path


def disable() -> None:
    """Stop caching: :func:`cached` calls the function again."""
    _STATE["dir"] = None


def enabled() -> Path | None:
    """Return the cache folder, or ``None`` when caching is off."""
    return _STATE["dir"]


@functools.cache
def code_fingerprint() -> str:
    """Return a SHA-256 of every file of the ``framing`` package and of the versions of the numerical stack.

    Code, lexicons, case files and styles: a result computed by other code is never read back.
    """
    h = hashlib.sha256(sys.version.encode())
    for name in _STACK:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            h.update(f"{name}={importlib.metadata.version(name)}".encode())
    for path in sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _feed(h: Any, tag: str, data: bytes = b"") -> None:
    h.update(tag.encode() + b"\x00" + len(data).to_bytes(8, "little") + data)


def fingerprint(obj: Any, h: Any = None) -> Any:
    """Feed ``obj``'s content into the hash ``h`` (a new SHA-256 when ``None``) and return ``h``.

    DataFrames, Series and indexes by their values, dtypes and labels; arrays by dtype, shape and bytes;
    a :class:`~pathlib.Path` or a string naming an existing file by its name and its bytes (but a list of strings,
    such as texts, by its strings only); dataclasses field by field; mappings, sequences and sets item by item;
    other objects by their pickle.

    Raises
    ------
    Unhashable
        An object that none of these reduces to bytes.
    """
    import numpy as np
    import pandas as pd

    h = hashlib.sha256() if h is None else h
    if obj is None or isinstance(obj, bool | int | float | complex | str | bytes | Path):
        _fingerprint_scalar(obj, h)
    elif isinstance(obj, pd.DataFrame | pd.Series | pd.Index):
        _fingerprint_pandas(obj, h)
    elif isinstance(obj, np.ndarray):
        if obj.dtype.hasobject:
            raise Unhashable("an object array")
        _feed(h, "ndarray", f"{obj.dtype.str}{obj.shape}".encode())
        _feed(h, "data", np.ascontiguousarray(obj).tobytes())
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        _feed(h, "dataclass", type(obj).__qualname__.encode())
        for f in dataclasses.fields(obj):
            _feed(h, "field", f.name.encode())
            fingerprint(getattr(obj, f.name), h)
    elif isinstance(obj, Mapping | list | tuple | range | set | frozenset):
        _fingerprint_collection(obj, h)
    elif callable(getattr(obj, "get_params", None)) and not isinstance(obj, type):
        # a scikit-learn estimator: by its class and parameters, so that a file it names is read by content
        _feed(h, "estimator", f"{type(obj).__module__}.{type(obj).__qualname__}".encode())
        fingerprint(dict(sorted(obj.get_params(deep=False).items())), h)
    elif inspect.isroutine(obj) or inspect.isclass(obj) or inspect.ismodule(obj):
        raise Unhashable(f"{obj!r}: code is pickled by name, not by what it does")
    else:
        try:
            data = pickle.dumps(obj, protocol=5)
        except Exception as exc:  # lambdas, open files, locks ...
            raise Unhashable(f"{type(obj).__name__}: {exc}") from exc
        _feed(h, "pickle:" + type(obj).__qualname__, data)
    return h


def _fingerprint_scalar(obj: Any, h: Any) -> None:
    if isinstance(obj, bytes):
        _feed(h, "bytes", obj)
    elif isinstance(obj, str | Path):
        text = str(obj)
        _feed(h, type(obj).__name__, text.encode("utf-8", "surrogatepass"))
        if len(text) < _MAX_PATH_STRING and "\n" not in text and text and os.path.isfile(text):
            _feed(h, "file", hashlib.sha256(Path(text).read_bytes()).digest())
    else:
        _feed(h, type(obj).__name__, repr(obj).encode())


def _fingerprint_collection(obj: Any, h: Any) -> None:
    if isinstance(obj, Mapping):  # in insertion order: a function may depend on it (it iterates the items)
        _feed(h, "mapping", str(len(obj)).encode())
        for key in obj:
            fingerprint(key, h)
            fingerprint(obj[key], h)
    elif isinstance(obj, list | tuple) and obj and all(isinstance(item, str) for item in obj):
        # texts (one per unit): hashed at once, no file lookups
        _feed(h, "strings:" + type(obj).__name__, str(len(obj)).encode())
        _feed(h, "lengths", repr([len(item) for item in obj]).encode())
        _feed(h, "joined", "".join(obj).encode("utf-8", "surrogatepass"))
    elif isinstance(obj, set | frozenset):
        _feed(h, "set", str(len(obj)).encode())
        for item in sorted(obj, key=repr):
            fingerprint(item, h)
    else:
        _feed(h, type(obj).__name__, str(len(obj)).encode())
        for item in obj:
            fingerprint(item, h)


def _labels(values: Any) -> list[str]:
    """Labels (column names, index names) as ``type:repr`` strings: ``1`` and ``"1"`` differ."""
    return [f"{type(v).__name__}:{v!r}" for v in values]


def _fingerprint_pandas(obj: Any, h: Any) -> None:
    import pandas as pd

    _feed(h, type(obj).__name__)
    if isinstance(obj, pd.DataFrame):
        fingerprint(_labels(obj.columns), h)
        fingerprint(obj.index, h)
        columns = [obj.iloc[:, i] for i in range(obj.shape[1])]
    elif isinstance(obj, pd.Series):
        fingerprint(_labels([obj.name]), h)
        fingerprint(obj.index, h)
        columns = [obj]
    elif isinstance(obj, pd.MultiIndex):
        fingerprint(_labels(obj.names), h)
        columns = [pd.Series(obj.get_level_values(i), copy=False) for i in range(obj.nlevels)]
    else:
        fingerprint(_labels([obj.name]), h)
        columns = [pd.Series(obj, copy=False)]
    for col in columns:
        _fingerprint_column(col, h)


def _fingerprint_column(col: Any, h: Any) -> None:
    """Feed one column: its dtype (a categorical's categories and order too), its values and their types."""
    import pandas as pd

    _feed(h, "dtype", str(col.dtype).encode())
    if isinstance(col.dtype, pd.CategoricalDtype):
        fingerprint(pd.Series(col.cat.categories, copy=False), h)
        _feed(h, "ordered", str(col.cat.ordered).encode())
    elif col.dtype == object:
        # hash_pandas_object hashes 1 and "1" alike: the kinds of values tell them apart
        _feed(h, "kinds", pd.api.types.infer_dtype(col, skipna=False).encode())
    elif col.dtype.kind == "f":
        _feed(h, "floats", col.to_numpy().tobytes())  # 0.0 and -0.0 differ in bytes, not in hash
        return
    try:
        values = pd.util.hash_pandas_object(col, index=False, categorize=False).to_numpy()
    except TypeError as exc:  # lists or dicts in a column
        raise Unhashable(f"a pandas column of {col.dtype}: {exc}") from exc
    _feed(h, "column", values.tobytes())


def key_of(name: str, func: Callable[..., Any], args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> str:
    """Return the cache key of ``func(*args, **kwargs)`` under ``name`` (see the module docstring).

    Raises
    ------
    Unhashable
        An argument cannot be fingerprinted.
    """
    bound = inspect.signature(func).bind(*args, **kwargs)
    bound.apply_defaults()
    h = hashlib.sha256()
    _feed(h, "name", name.encode())
    _feed(h, "code", code_fingerprint().encode())
    fingerprint(dict(bound.arguments), h)
    return h.hexdigest()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[bool]:
    """Hold an exclusive lock on ``path``; yield whether it was taken.

    It waits while another process computes the same entry, at most :data:`_LOCK_WAIT` seconds (a background
    process that stalls must not stall a notebook); a lock that cannot be made (a read-only folder) or taken
    in time yields ``False``, and the caller computes without the cache.
    """
    import time

    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError:
        yield False
        return
    try:
        yield _take(fd, time.monotonic() + _LOCK_WAIT)
    finally:
        os.close(fd)


def _take(fd: int, deadline: float) -> bool:
    """Take an exclusive ``flock`` on ``fd``, polling until ``deadline`` (monotonic); whether it was taken."""
    import fcntl
    import time

    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
        except OSError:
            return False
        time.sleep(0.05)


def _load(path: Path, key: str) -> tuple[bool, Any]:
    try:
        with path.open("rb") as fh:
            stored_key, caught, value = pickle.load(fh)
    except Exception:  # missing, truncated by a full disk, or from another pickle protocol: recompute
        return False, None
    if stored_key != key:
        return False, None
    _reissue(caught)
    return True, value


def _reissue(caught: list[tuple[str, type[Warning], str, int]]) -> None:
    for message, category, filename, lineno in caught:
        warnings.warn_explicit(message, category, filename, lineno)


def _mtime(path: Path) -> float:
    """Return the modification time of ``path``, or 0 when another process has just removed it."""
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _prune(directory: Path, name: str) -> None:
    """Keep the newest :data:`_KEEP` entries of ``name``; remove temporary files of writes killed long ago."""
    import time

    entries = sorted(directory.glob(f"{name}-*.pickle"), key=_mtime, reverse=True)
    old = entries[_KEEP:] + [p for p in directory.glob(f".{name}-*.tmp*")
                             if time.time() - _mtime(p) > _LEFTOVER_AGE]
    for path in old:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def cached(name: str, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Return ``func(*args, **kwargs)``, loaded from the cache folder when an entry of the same key is there.

    Parameters
    ----------
    name : str
        The entry's name (file stem prefix), e.g. ``"instrument_validity"``.
    func : callable
        The function; its result must pickle.
    *args, **kwargs
        Its arguments.

    Without :func:`enable` (or with an argument :func:`fingerprint` cannot reduce) this is ``func(*args,
    **kwargs)``. Warnings issued while computing are issued again each time the entry is loaded.
    """
    directory = _STATE["dir"]
    if directory is None:
        return func(*args, **kwargs)
    try:
        key = key_of(name, func, args, kwargs)
    except Exception:  # an argument it cannot reduce (Unhashable), or one that fails to: compute, never guess
        return func(*args, **kwargs)
    path = directory / f"{name}-{key[:40]}.pickle"
    with _locked(directory / f".{name}-{key[:40]}.lock") as locked:
        if not locked:
            return func(*args, **kwargs)
        found, value = _load(path, key)
        if found:
            return value  # type: ignore[no-any-return]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = func(*args, **kwargs)
        # once per message and place, as Python's default warning filter shows them
        records = list(dict.fromkeys((str(w.message), w.category, w.filename, w.lineno) for w in caught))
        _reissue(records)
        try:
            data = pickle.dumps((key, records, result), protocol=5)
        except Exception:  # a result that does not pickle is returned, not kept
            return result
        with contextlib.suppress(OSError):  # a full disk or a read-only folder: the result is returned, not kept
            atomic_write_bytes(path, data)
            _prune(directory, name)
        return result


def memoized(name: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Decorate a function so that every call goes through :func:`cached` under ``name``.

    The decorated function keeps its name, docstring and signature (``__wrapped__`` is the plain function).
    """
    def decorate(func: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            return cached(name, func, *args, **kwargs)

        return wrapper

    return decorate
