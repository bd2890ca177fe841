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


# --- outputs never overwrite inputs; temporary names; OSError as OutputError ------------------------------------


def test_the_temporary_name_pattern_is_the_one_atomic_path_uses(tmp_path: Path) -> None:
    from framing.io import TEMPORARY_NAME, is_temporary_name

    seen: list[str] = []
    for name in ("documents.parquet", "index.html", "README", "a.tar.gz"):
        with atomic_path(tmp_path / name) as tmp:
            seen.append(tmp.name)
            tmp.write_text("x")
    for name, tmp_name in zip(("documents", "index", "README", "a.tar"), seen, strict=True):
        match = TEMPORARY_NAME.fullmatch(tmp_name)
        assert match is not None and match["stem"] == name, tmp_name
    # written by hand from the pattern .<stem>.<8 characters of [a-z0-9_]>.tmp<suffix>
    assert is_temporary_name(".documents.k3x_9qa2.tmp.parquet")
    assert is_temporary_name(".README.abcdefgh.tmp")
    for other in (".my_notes.tmp.txt", ".x.abcdefg.tmp.csv", ".x.ABCDEFGH.tmp.csv", "x.abcdefgh.tmp.csv",
                  ".x.abcdefgh.tmpfile", ".x.abcdefgh.tmp.csv.bak"):
        assert not is_temporary_name(other), other


def test_remove_temporaries_removes_only_exact_names_at_the_top_and_only_old_ones(tmp_path: Path) -> None:
    import os
    import time

    from framing.io import remove_temporaries

    old, fresh = tmp_path / ".documents.abcdefgh.tmp.parquet", tmp_path / ".sentences.ijklmnop.tmp.parquet"
    notes, deeper = tmp_path / ".my_notes.tmp.txt", tmp_path / "sub" / ".x.abcdefgh.tmp.csv"
    deeper.parent.mkdir()
    for path in (old, fresh, notes, deeper):
        path.write_text("half")
    long_ago = time.time() - 3600
    for path in (old, notes, deeper):
        os.utime(path, (long_ago, long_ago))
    assert remove_temporaries(tmp_path, older_than=60) == [old]
    assert not old.exists() and fresh.exists() and notes.exists() and deeper.exists()
    assert remove_temporaries(tmp_path) == [fresh]
    assert remove_temporaries(tmp_path / "missing") == []


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "config").mkdir(parents=True)
    (project / "config" / "study.yaml").write_text("notebooks: []\n")
    (project / "data" / "raw").mkdir(parents=True)
    (project / "data" / "raw" / "metadata.csv").write_text("file,genre\n")
    (project / "notebooks").mkdir()
    return project


def test_check_output_refuses_inputs_raw_data_and_manifest_folders(tmp_path: Path) -> None:
    from framing.errors import FramingError, OutputError
    from framing.io import check_output

    project = _project(tmp_path)
    corpus = tmp_path / "in.csv"
    corpus.write_text("doc_id,text,genre\n")
    (tmp_path / "link.csv").symlink_to(corpus)
    checked = tmp_path / "checked"
    (checked / "sub").mkdir(parents=True)
    (checked / "SHA256SUMS").write_text("0" * 64 + "  sub/x.csv\n")
    folder_corpus = tmp_path / "corpus"
    folder_corpus.mkdir()
    cases = {
        corpus: "it is the input file",
        tmp_path / "link.csv": "the same file once symlinks are resolved",
        folder_corpus / "frames.csv": "inside the input folder",
        folder_corpus: "inside the input folder",
        project / "data" / "raw" / "frames.csv": "the project's raw data",
        project / "data" / "raw" / "metadata.csv": "the project's raw data",
        checked / "sub" / "x.csv": "SHA256SUMS lists it",
        checked / "sub": "SHA256SUMS lists files inside it",
    }
    for out, why in cases.items():
        with pytest.raises(OutputError) as info:
            check_output(out, [corpus, folder_corpus, None, "blame_frames"], root=project)
        assert str(info.value).startswith(f"--out {out}: refused, ") and why in str(info.value), out
        assert isinstance(info.value, FramingError) and isinstance(info.value, OSError)
    assert check_output(tmp_path / "frames.csv", [corpus, folder_corpus], root=project) == tmp_path / "frames.csv"
    # a file the manifest does not list is written beside the files it checks (a downloads folder's manifest)
    assert check_output(checked / "sub" / "y.csv", [corpus], root=project) == checked / "sub" / "y.csv"
    # an output folder that holds an input would have the outputs written over it
    with pytest.raises(OutputError, match=r"the input .* lies inside it"):
        check_output(tmp_path, [corpus], kind="folder", root=project)
    # a manifest at or above a project's root (a home or downloads folder's) does not stop the project's outputs
    (project / "SHA256SUMS").write_text("")
    (tmp_path / "SHA256SUMS").write_text("")
    out = project / "reports" / "tables" / "x.csv"
    assert check_output(out, [corpus], root=project) == out


def test_check_output_refuses_a_folder_for_a_file_and_a_file_for_a_folder(tmp_path: Path) -> None:
    from framing.errors import OutputError
    from framing.io import check_output

    project = _project(tmp_path)
    (tmp_path / "somefile").write_text("x")
    (tmp_path / "existing").mkdir()
    with pytest.raises(OutputError, match=r"^--out .*existing: refused, it is a folder; give a file name"):
        check_output(tmp_path / "existing", root=project)
    with pytest.raises(OutputError, match=r"somefile/sub\.csv: refused, .*somefile is a file, not a folder"):
        check_output(tmp_path / "somefile" / "sub.csv", root=project)
    with pytest.raises(OutputError, match=r"^topics .*somefile: refused, it is a file; give a folder"):
        check_output(tmp_path / "somefile", kind="folder", option="topics", root=project)
    assert check_output(tmp_path / "existing", kind="folder", root=project) == tmp_path / "existing"


def test_check_reports_dir_refuses_the_project_s_own_folders(tmp_path: Path) -> None:
    from framing.errors import OutputError
    from framing.io import check_reports_dir

    project = _project(tmp_path)
    corpus = tmp_path / "my_corpus"
    corpus.mkdir()
    (tmp_path / "afile").write_text("x")
    refused = {
        project: "the project root", tmp_path: "the project root", project / "data": "the data folder",
        project / "data" / "raw": "the data folder", project / "data" / "processed" / "r": "the data folder",
        project / "notebooks": "the source notebooks", project / "notebooks" / "out": "the source notebooks",
        corpus: "the corpus folder", corpus / "reports": "the corpus folder", tmp_path / "afile": "it is a file",
    }
    for folder, why in refused.items():
        with pytest.raises(OutputError) as info:
            check_reports_dir(folder, corpora=[corpus], root=project)
        assert str(info.value).startswith(f"reports_dir {folder}: refused, ") and why in str(info.value), folder
    for fine in (project / "reports", tmp_path / "elsewhere"):
        assert check_reports_dir(fine, corpora=[corpus], root=project) == fine


def test_atomic_path_refuses_raw_data_and_names_the_path_of_a_failed_write(tmp_path: Path) -> None:
    from framing.errors import OutputError

    project = _project(tmp_path)
    raw = project / "data" / "raw"
    with pytest.raises(OutputError, match=r"metadata\.csv: not written: it is inside .*raw"):
        atomic_write_text(raw / "metadata.csv", "replaced")
    assert (raw / "metadata.csv").read_text() == "file,genre\n" and sorted(p.name for p in raw.iterdir()) == [
        "metadata.csv"]
    (tmp_path / "existing").mkdir()
    with pytest.raises(OutputError, match=r"existing: cannot write the file here: it is a folder"):
        atomic_write_text(tmp_path / "existing", "x")
    assert list((tmp_path).glob(".existing.*")) == []  # the temporary file is gone
    (tmp_path / "somefile").write_text("x")
    with pytest.raises(OutputError, match=r"somefile/sub\.csv: cannot write the file here: .*somefile is a file"):
        atomic_write_text(tmp_path / "somefile" / "sub.csv", "x")


def test_a_reports_folder_outside_any_project_is_only_checked_against_its_corpora(tmp_path: Path) -> None:
    from framing.errors import OutputError
    from framing.io import check_reports_dir

    outside = tmp_path / "o"  # no config/study.yaml here or above: find_root falls back to it
    outside.mkdir()
    assert check_reports_dir(outside, root=outside) == outside.resolve()
    (outside / "data").mkdir()
    assert check_reports_dir(outside, root=outside) == outside.resolve()  # not "the data folder" of a project
    with pytest.raises(OutputError, match="corpus folder"):
        check_reports_dir(outside, corpora=[outside / "data"], root=outside)
