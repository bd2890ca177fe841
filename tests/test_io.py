"""Tests for framing.io: an interrupted write leaves neither a partial file nor a temporary one."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import changed_files, listing
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.io import _csv_body, atomic_path, atomic_write_text, write_csv, write_parquet


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


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet='ab,"\n\r é’\x00', max_size=12), st.integers(-10**12, 10**12)), max_size=12))
def test_csv_of_int_and_str_columns_is_what_pandas_writes(rows: list[tuple[str, int]]) -> None:
    df = pd.DataFrame({"text": pd.Series([r[0] for r in rows], dtype="str"),
                       "n": pd.Series([r[1] for r in rows], dtype="int64"), "doc_id": "d,1"})
    assert len(rows) == 0 or _csv_body(df) is not None  # the column-wise route
    want = df.to_csv(index=False, lineterminator="\n").encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        assert write_csv(df, Path(tmp) / "t.csv").read_bytes() == want


def test_csv_quotes_by_hand_and_other_tables_go_through_pandas(tmp_path: Path) -> None:
    df = pd.DataFrame({"doc_id": pd.Series(["a", 'say "no"', "x,y", "l1\nl2", "", "c\rr"], dtype="str"),
                       "start": np.arange(6, dtype=np.int64) * 10})
    # by hand: quote, comma and newline are quoted (inner quotes doubled); empty and carriage return are not
    assert write_csv(df, tmp_path / "a.csv").read_bytes().decode("utf-8") == (
        'doc_id,start\na,0\n"say ""no""",10\n"x,y",20\n"l1\nl2",30\n,40\n' + "c\rr,50\n")
    for other in (df.assign(flag=True), df.assign(x=0.5), df.astype({"doc_id": object}), df[["doc_id"]],
                  df.assign(doc_id=pd.Series(["a", None, "b", "c", "d", "e"], dtype="str"))):
        assert _csv_body(other) is None
        want = other.to_csv(index=False, lineterminator="\n", float_format="%.6g").encode("utf-8")
        assert write_csv(other, tmp_path / "b.csv").read_bytes() == want


def test_parse_yaml_error_is_one_line_naming_file_line_and_column(tmp_path: Path) -> None:
    from framing.errors import ConfigError
    from framing.io import parse_yaml

    text = "a: 1\nb: [1, 2\nc: 3\n"  # the '[' opened on line 2, column 4 is never closed
    with pytest.raises(ConfigError) as info:
        parse_yaml(text, tmp_path / "x.yaml")
    msg = str(info.value)
    assert msg.startswith(f"{tmp_path / 'x.yaml'}:2: invalid YAML: while parsing a flow sequence (line 2, column 4): "
                          "expected ',' or ']', but got ':' (line 3, column 2)")
    assert "\n" not in msg and "<unicode string>" not in msg
