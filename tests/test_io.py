"""Tests for framing.io: an interrupted write leaves neither a partial file nor a temporary one."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import changed_files, listing

from framing.io import atomic_path, atomic_write_text, write_csv, write_parquet


class Interrupted(Exception):
    """Raised inside a write to simulate a crash half-way."""


def test_interrupted_write_of_a_new_file_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out" / "table.csv"
    with pytest.raises(Interrupted), atomic_path(target) as tmp:
        assert tmp.parent == target.parent and tmp != target
        tmp.write_text("doc_id,n\nd1,1\n", encoding="utf-8")  # half the table is on disk ...
        raise Interrupted  # ... when the run dies
    assert not target.exists()
    assert list(target.parent.iterdir()) == []  # no temporary file left beside it


def test_interrupted_rewrite_keeps_the_old_file_byte_for_byte(tmp_path: Path) -> None:
    target = atomic_write_text(tmp_path / "notes.txt", "old contents\n")
    with pytest.raises(KeyboardInterrupt), atomic_path(target) as tmp:  # Ctrl-C is a BaseException
        tmp.write_bytes(b"new con")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"old contents\n"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_writer_that_fails_half_way_leaves_nothing(tmp_path: Path) -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise Interrupted("cannot format this cell")

    df = pd.DataFrame({"doc_id": ["d1", "d2"], "value": ["fine", Unprintable()]})
    with pytest.raises(Interrupted):
        write_csv(df, tmp_path / "t.csv")
    with pytest.raises(Exception):  # noqa: B017 (pyarrow's own error type: any failure must leave nothing)
        write_parquet(df, tmp_path / "t.parquet")
    assert list(tmp_path.iterdir()) == []


def test_a_successful_write_leaves_only_the_target(tmp_path: Path) -> None:
    path = write_csv(pd.DataFrame({"a": [1, 2]}), tmp_path / "a.csv")
    assert path.read_text(encoding="utf-8") == "a\n1\n2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]


def test_the_data_processed_guard_sees_new_and_rewritten_files(tmp_path: Path) -> None:
    before = listing(tmp_path)
    assert before == {} and listing(tmp_path / "absent") == {}
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "sentences.parquet").write_bytes(b"x")
    assert changed_files(before, listing(tmp_path)) == ["seeds/sentences.parquet"]
    middle = listing(tmp_path)
    (tmp_path / "seeds" / "sentences.parquet").write_bytes(b"xy")
    assert changed_files(middle, listing(tmp_path)) == ["seeds/sentences.parquet"]
    assert changed_files(middle, middle) == []
