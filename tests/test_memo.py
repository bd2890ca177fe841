"""Tests for framing.memo: results kept under a content hash of their inputs, computed once, never read stale."""

from __future__ import annotations

import multiprocessing
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing import memo

CALLS: list[str] = []


def total(df: pd.DataFrame, column: str, *, scale: float = 1.0) -> float:
    """A function whose calls are counted."""
    CALLS.append(column)
    return float(df[column].sum()) * scale


def read_and_count(path: str) -> str:
    CALLS.append(path)
    return Path(path).read_text(encoding="utf-8")


def warns(x: int) -> int:
    warnings.warn(f"careful with {x}", UserWarning, stacklevel=1)
    return x + 1


def slow_square(x: int) -> int:
    time.sleep(1.5)
    return x * x


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})


@pytest.fixture(autouse=True)
def no_calls() -> None:
    CALLS.clear()


def test_without_a_cache_folder_the_function_is_called_every_time(frame: pd.DataFrame) -> None:
    assert memo.enabled() is None
    assert memo.cached("total", total, frame, "a") == 6.0
    assert memo.cached("total", total, frame, "a") == 6.0
    assert CALLS == ["a", "a"]


def test_an_identical_call_is_loaded_and_any_changed_input_computes(tmp_path: Path, frame: pd.DataFrame) -> None:
    memo.enable(tmp_path / "cache")
    assert memo.cached("total", total, frame, "a") == 6.0
    # the same arguments, given by keyword, with the default spelled out, in a frame built otherwise: loaded
    same = pd.DataFrame({"b": ["x", "y", "z"], "a": [1, 2, 3]})[["a", "b"]].copy()
    assert memo.cached("total", total, df=same, column="a", scale=1.0) == 6.0
    assert CALLS == ["a"]
    changed = frame.assign(a=[1, 2, 4])
    assert memo.cached("total", total, changed, "a") == 7.0  # a value changed
    assert memo.cached("total", total, frame, "a", scale=2.0) == 12.0  # a parameter changed
    assert memo.cached("total", total, frame.astype({"a": "float64"}), "a") == 6.0  # a dtype changed
    assert CALLS == ["a", "a", "a", "a"]
    assert len(list((tmp_path / "cache").glob("total-*.pickle"))) == 4


def test_a_file_named_by_a_string_is_part_of_the_key(tmp_path: Path) -> None:
    memo.enable(tmp_path / "cache")
    lexicon = tmp_path / "mine.yaml"
    lexicon.write_text("one\n", encoding="utf-8")
    assert memo.cached("read", read_and_count, str(lexicon)) == "one\n"
    assert memo.cached("read", read_and_count, str(lexicon)) == "one\n"
    lexicon.write_text("two\n", encoding="utf-8")  # same name, other contents: not the stale entry
    assert memo.cached("read", read_and_count, str(lexicon)) == "two\n"
    assert len(CALLS) == 2


def test_warnings_are_issued_again_when_the_entry_is_loaded(tmp_path: Path) -> None:
    memo.enable(tmp_path)
    with pytest.warns(UserWarning, match="careful with 3"):
        assert memo.cached("warns", warns, 3) == 4
    with pytest.warns(UserWarning, match="careful with 3"):
        assert memo.cached("warns", warns, 3) == 4  # loaded, and the notebook still shows the warning


def test_an_argument_that_cannot_be_fingerprinted_is_computed_not_guessed(tmp_path: Path) -> None:
    memo.enable(tmp_path)

    def apply(f: object, x: int) -> int:
        CALLS.append("apply")
        return x

    assert memo.cached("apply", apply, lambda v: v, 1) == 1
    assert memo.cached("apply", apply, lambda v: v, 1) == 1
    assert CALLS == ["apply", "apply"]
    assert list(tmp_path.glob("apply-*")) == []


def test_an_unreadable_entry_is_computed_again(tmp_path: Path, frame: pd.DataFrame) -> None:
    memo.enable(tmp_path)
    memo.cached("total", total, frame, "a")
    (entry,) = tmp_path.glob("total-*.pickle")
    entry.write_bytes(b"\x80\x05 truncated by a full disk")
    assert memo.cached("total", total, frame, "a") == 6.0
    assert CALLS == ["a", "a"]


def test_fingerprint_reads_contents_not_identity() -> None:
    a = np.arange(6, dtype="int64").reshape(2, 3)
    assert memo.fingerprint(a).hexdigest() == memo.fingerprint(a.copy()).hexdigest()
    assert memo.fingerprint(a).hexdigest() != memo.fingerprint(a.T.copy()).hexdigest()  # shape
    assert memo.fingerprint(a).hexdigest() != memo.fingerprint(a.astype("int32")).hexdigest()  # dtype
    assert memo.fingerprint({"k": [1, 2]}).hexdigest() == memo.fingerprint({"k": [1, 2]}).hexdigest()
    assert memo.fingerprint(["ab", "c"]).hexdigest() != memo.fingerprint(["a", "bc"]).hexdigest()  # text borders
    assert memo.fingerprint([1, "2"]).hexdigest() != memo.fingerprint([1, 2]).hexdigest()
    assert memo.fingerprint(pd.Series([1, 2], index=["a", "b"])).hexdigest() != \
        memo.fingerprint(pd.Series([1, 2], index=["a", "c"])).hexdigest()  # labels


def _held(folder: Path) -> bool:
    """Whether another process holds the lock of a 'square' entry."""
    import fcntl
    import os

    for lock in folder.glob(".square-*.lock"):
        fd = os.open(lock, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)
    return False


def _compute_in_other_process(folder: str) -> None:
    memo.enable(folder)
    memo.cached("square", slow_square, 7)


def test_a_call_waits_for_the_process_computing_the_same_entry_and_loads_it(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    other = ctx.Process(target=_compute_in_other_process, args=(str(tmp_path),))
    other.start()
    deadline = time.monotonic() + 30
    while not _held(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.02)  # until the other process holds the entry's lock
    memo.enable(tmp_path)
    calls = []

    def square_here(x: int) -> int:  # the same key: 'square' of 7 ... but never called here
        calls.append(x)
        return -1

    square_here.__signature__ = __import__("inspect").signature(slow_square)  # type: ignore[attr-defined]
    key_here = memo.key_of("square", square_here, (7,), {})
    assert key_here == memo.key_of("square", slow_square, (7,), {})
    assert memo.cached("square", square_here, 7) == 49  # waited for the other process, then loaded its result
    other.join(30)
    assert calls == []
    assert other.exitcode == 0


# --- keys that must differ (review of the third session: each was a stale read before) ------------------------


def keys_of(d: dict[str, int]) -> list[str]:
    CALLS.append("keys")
    return list(d)


def test_the_order_of_a_mapping_is_part_of_the_key(tmp_path: Path) -> None:
    memo.enable(tmp_path)
    assert memo.cached("keys", keys_of, {"a": 1, "b": 2}) == ["a", "b"]
    assert memo.cached("keys", keys_of, {"b": 2, "a": 1}) == ["b", "a"]  # not the entry of the other order
    assert CALLS == ["keys", "keys"]


def test_pandas_differences_that_a_value_hash_misses_change_the_key() -> None:
    def key(obj: object) -> str:
        return str(memo.fingerprint(obj).hexdigest())

    cat = pd.Series(["x", "y"], dtype=pd.CategoricalDtype(["x", "y"]))
    assert key(cat) != key(pd.Series(["x", "y"], dtype=pd.CategoricalDtype(["y", "x"])))  # category order
    assert key(cat) != key(pd.Series(["x", "y"], dtype=pd.CategoricalDtype(["x", "y", "z"])))  # unused category
    assert key(pd.Series([1, 2], dtype=object)) != key(pd.Series(["1", "2"], dtype=object))
    assert key(pd.DataFrame({1: [1]})) != key(pd.DataFrame({"1": [1]}))  # column labels of other types
    assert key(pd.Series([0.0])) != key(pd.Series([-0.0]))
    two = pd.MultiIndex.from_tuples([("a", 1), ("b", 2)])
    assert key(two) != key(pd.MultiIndex.from_tuples([("a", 1), ("b", 3)]))
    assert key(pd.DataFrame({"v": [1, 2]}, index=two)) == key(pd.DataFrame({"v": [1, 2]}, index=two.copy()))


def test_an_estimator_is_keyed_by_its_parameters_and_the_files_they_name(tmp_path: Path) -> None:
    from sklearn.linear_model import LogisticRegression

    def key(obj: object) -> str:
        return str(memo.fingerprint(obj).hexdigest())

    assert key(LogisticRegression(C=1.0)) == key(LogisticRegression(C=1.0))
    assert key(LogisticRegression(C=1.0)) != key(LogisticRegression(C=2.0))
    from framing.topics import SeededTopicModel

    lexicon = tmp_path / "mine.yaml"
    lexicon.write_text("version 1", encoding="utf-8")
    before = key(SeededTopicModel(lexicon=str(lexicon)))
    lexicon.write_text("version 2", encoding="utf-8")
    assert key(SeededTopicModel(lexicon=str(lexicon))) != before  # the file it names, by content


def test_code_is_refused_not_keyed_by_its_name(tmp_path: Path) -> None:
    memo.enable(tmp_path)

    def apply(f: object, x: int) -> int:
        CALLS.append("apply")
        return f(x)  # type: ignore[operator, no-any-return]

    assert memo.cached("apply", apply, lambda x: x + 1, 5) == 6
    assert memo.cached("apply", apply, abs, -5) == 5
    assert CALLS == ["apply", "apply"] and not list(tmp_path.glob("apply-*.pickle"))  # computed, never kept
    with pytest.raises(memo.Unhashable):
        memo.fingerprint(abs)


def test_a_folder_where_nothing_can_be_written_computes_and_returns(tmp_path: Path, frame: pd.DataFrame,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    memo.enable(tmp_path)

    def no_lock(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(memo.os, "open", no_lock)  # a read-only folder: the lock file cannot be made
    assert memo.cached("total", total, frame, "a") == 6.0
    monkeypatch.undo()

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(memo, "atomic_write_bytes", disk_full)
    assert memo.cached("total", total, frame, "a") == 6.0  # computed, returned, not kept
    assert CALLS == ["a", "a"] and not list(tmp_path.glob("total-*.pickle"))


def test_a_lock_held_too_long_is_not_waited_for_forever(tmp_path: Path, frame: pd.DataFrame,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl
    import os

    memo.enable(tmp_path)
    key = memo.key_of("total", total, (frame, "a"), {})
    fd = os.open(tmp_path / f".total-{key[:40]}.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # held by a stalled process (this test's other descriptor)
    monkeypatch.setattr(memo, "_LOCK_WAIT", 0.2)
    try:
        assert memo.cached("total", total, frame, "a") == 6.0  # computed after the wait, without the cache
    finally:
        os.close(fd)
    assert CALLS == ["a"]
