"""The ``framing`` command never writes over its inputs, raw data or the project's folders (issue: output safety).

Every refusal happens before anything is computed (the corpus reader is replaced by one that fails the test),
exits 2 with ``framing: error:`` naming the output and why, and leaves the inputs byte for byte as they were.
Conflicts with what is on disk (a folder where a file goes, a file among the parents) are errors of the same
kind, not tracebacks; so are corpora and coded sheets without rows.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import RAW, listing

from framing.cli import main
from framing.nbtools import write_notebook


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project under ``tmp_path``: the seeds in data/raw (with SHA256SUMS), one tiny notebook, as working dir."""
    root = tmp_path / "project"
    shutil.copytree(RAW, root / "data" / "raw")
    (root / "config").mkdir()
    (root / "config" / "study.yaml").write_text("name: t\nparameters:\n  corpus: data/raw\n  reports_dir: reports\n"
                                                "notebooks:\n  - path: notebooks/tiny.ipynb\n", encoding="utf-8")
    write_notebook(root / "notebooks" / "tiny.ipynb", [
        ("parameters", 'corpus: str = "data/raw"  # the corpus\nreports_dir: str = "reports"  # output folder'),
        ("code", "print(corpus, reports_dir)"),
    ])
    monkeypatch.setenv("FRAMING_ROOT", str(root))
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def no_computing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a command reads its corpus or starts a kernel (a refusal must come first)."""

    def fail(*args: object, **kwargs: object) -> None:
        pytest.fail("the corpus was read before the output was checked")

    for where in ("framing.cli._processed_from_args", "framing.cli._validate._processed_from_args",
                  "framing.cli._case._processed_from_args", "framing.backends.run.plan_partitions",
                  "framing.runner.start_kernel", "framing.runner.verify_corpora"):
        monkeypatch.setattr(where, fail)


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str], *expected: str) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("framing: error: ") and "Traceback" not in err
    for text in expected:
        assert text in err, err
    return err


def test_frames_out_into_the_raw_folder_is_refused_and_raw_data_stay_as_they_were(
        project: Path, no_computing: None, capsys: pytest.CaptureFixture[str]) -> None:
    raw = project / "data" / "raw"
    before = listing(raw)
    _refused(["frames", "data/raw", "--out", "data/raw/metadata.csv"], capsys,
             "--out data/raw/metadata.csv: refused, it is inside the input folder data/raw")
    _refused(["frames", "data/raw", "--out", "data/raw/frames.csv"], capsys, "--out data/raw/frames.csv: refused")
    corpus = project / "in.csv"
    corpus.write_text("id,body,genre\na,The council failed.,news\n", encoding="utf-8")
    _refused(["frames", "in.csv", "--id-col", "id", "--text-col", "body", "--out", "data/raw/frames.csv"], capsys,
             "--out data/raw/frames.csv: refused, it is inside", "the project's raw data")
    assert listing(raw) == before


def test_an_output_that_is_the_input_corpus_is_refused_symlinks_too(
        project: Path, no_computing: None, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = project / "in.csv"
    corpus.write_text("id,body,genre\na,The council failed.,news\n", encoding="utf-8")
    (project / "link.csv").symlink_to(corpus)
    _refused(["frames", "in.csv", "--id-col", "id", "--text-col", "body", "--out", "in.csv"], capsys,
             "--out in.csv: refused, it is the input file in.csv")
    _refused(["blame", "in.csv", "--id-col", "id", "--text-col", "body", "--out", "link.csv"], capsys,
             "--out link.csv: refused, it is the input file in.csv (the same file once symlinks are resolved)")
    for argv in (["validate", "sheet", "in.csv", "--n", "1", "--out", "in.csv"],
                 ["case", "draft", "in.csv", "--out", "in.csv"],
                 ["topics", "in.csv", "--k", "2", "--out", "in.csv"]):
        _refused([*argv[:-2], "--id-col", "id", "--text-col", "body", *argv[-2:]], capsys,
                 "--out in.csv: refused, it is the input file in.csv")
    assert corpus.read_text(encoding="utf-8") == "id,body,genre\na,The council failed.,news\n"


def test_a_coded_sheet_or_a_folder_with_a_manifest_is_never_an_output(
        project: Path, no_computing: None, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = project / "coded.csv"
    sheet.write_text("doc_id,sent_id,individual,systemic,political\n", encoding="utf-8")
    _refused(["validate", "shares", "data/raw", "--coded", "coded.csv", "--out", "coded.csv"], capsys,
             "--out coded.csv: refused, it is the input file coded.csv")
    checked = project / "checked"
    checked.mkdir()
    (checked / "SHA256SUMS").write_text("0" * 64 + "  frames.csv\n", encoding="utf-8")
    _refused(["frames", "in.csv", "--out", "checked/frames.csv"], capsys, "checked/SHA256SUMS lists it")
    _refused(["validate", "train", "coded.csv", "--out", "coded.csv"], capsys,  # a positional input is an input
             "--out coded.csv: refused, it is the input file coded.csv")
    _refused(["prepare", "data/raw", "--backend", "stream", "--processed-dir", "data/raw/p"], capsys,
             "processed-dir", "data/raw/p/raw: refused, it is inside the input folder data/raw")
    assert sorted(p.name for p in checked.iterdir()) == ["SHA256SUMS"]


def test_output_paths_that_cannot_be_written_are_errors_before_computing(
        project: Path, tmp_path: Path, no_computing: None, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "existing").mkdir()
    (tmp_path / "somefile").write_text("x", encoding="utf-8")
    _refused(["frames", "data/raw", "--out", str(tmp_path / "existing")], capsys,
             f"--out {tmp_path / 'existing'}: refused, it is a folder; give a file name")
    _refused(["frames", "data/raw", "--out", str(tmp_path / "somefile" / "sub.csv")], capsys,
             f"{tmp_path / 'somefile'} is a file, not a folder")
    _refused(["topics", "data/raw", "--k", "2", "--out", str(tmp_path / "somefile")], capsys,
             f"--out {tmp_path / 'somefile'}: refused, it is a file; give a folder")
    _refused(["run", "--reports-dir", str(tmp_path / "somefile")], capsys,
             f"--reports-dir {tmp_path / 'somefile'}: refused, it is a file")
    assert (tmp_path / "somefile").read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize(("reports", "why"), [
    (".", "it is or holds the project root"), ("..", "it is or holds the project root"),
    ("data", "it is or holds the data folder"), ("data/raw", "it is inside the data folder"),
    ("data/processed/x", "it is inside the data folder"), ("notebooks", "it is or holds the source notebooks"),
])
def test_run_refuses_a_reports_folder_holding_or_inside_the_project_s_folders(
        project: Path, no_computing: None, capsys: pytest.CaptureFixture[str], reports: str, why: str) -> None:
    notes = project / "data" / "raw" / ".my_notes.tmp.txt"
    notes.write_text("n\n", encoding="utf-8")
    source = (project / "notebooks" / "tiny.ipynb").read_bytes()
    before = listing(project)
    # the folder shown normalised ("project/.." is the project's parent), as every message shows a path
    _refused(["run", "--notebook", "tiny", "--reports-dir", reports], capsys,
             f"--reports-dir {os.path.normpath(project / reports)}: refused, {why}")
    assert listing(project) == before  # the notes in data/raw, the source notebook: nothing removed or written
    assert (project / "notebooks" / "tiny.ipynb").read_bytes() == source and notes.read_text() == "n\n"


def test_run_and_batch_refuse_a_corpus_folder_as_reports_folder(
        project: Path, no_computing: None, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = project / "mine"
    corpus.mkdir()
    _refused(["run", "-p", "corpus=mine", "--reports-dir", "mine"], capsys,
             f"--reports-dir {corpus}: refused, it is or holds the corpus folder")
    (project / "config" / "batch").mkdir()
    (project / "config" / "batch" / "b.yaml").write_text("notebooks: [notebooks/tiny.ipynb]\ngrid: {corpus: [mine]}\n",
                                                         encoding="utf-8")
    _refused(["batch", "b", "--dry-run", "--reports-dir", "data"], capsys,
             f"--reports-dir {project / 'data'}: refused, it is or holds the data folder")
    _refused(["batch", "b", "--dry-run", "--reports-dir", "mine/out"], capsys, "it is inside the corpus folder")
    _refused(["report", "data/raw"], capsys, "REPORTS_DIR data/raw: refused, it is inside the data folder")
    assert sorted(p.name for p in corpus.iterdir()) == []


@pytest.mark.parametrize("command", [["frames", "--out", "x.csv"], ["blame", "--out", "x.csv"], ["prepare"],
                                     ["prepare", "--backend", "stream"]])
def test_a_corpus_with_a_header_and_no_rows_is_an_error_naming_the_file(
        project: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    (project / "none.csv").write_text("doc_id,text,genre\n", encoding="utf-8")
    _refused([command[0], "none.csv", *command[1:]], capsys, "none.csv: ", "no")
    assert not (project / "x.csv").exists()


def test_validate_score_refuses_a_coded_sheet_without_rows(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    coded = (Path(RAW).parent / "validation" / "seeds_coded.csv").read_text(encoding="utf-8").splitlines()[0]
    (project / "c5.csv").write_text(coded + "\n", encoding="utf-8")
    _refused(["validate", "score", "data/raw", "--coded", "c5.csv", "--out", "vs5", "--n-boot", "0"], capsys,
             "c5.csv: no coded rows")
    assert not (project / "vs5").exists()
