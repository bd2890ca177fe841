"""Tests for framing.provenance: input hashes, the provenance record, corpus manifests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from framing.errors import RawDataChangedError
from framing.provenance import collect_inputs, provenance, verify_corpora

ROOT = Path(__file__).resolve().parents[1]


def test_collect_inputs_hashes_files_folders_and_skips_outputs(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "y.txt").write_text("y", encoding="utf-8")
    found = collect_inputs({"corpus": "d", "reports_dir": "out", "n": 3}, tmp_path)
    assert found == {"d/x.txt": hashlib.sha256(b"x").hexdigest()}




def test_collect_inputs_takes_shipped_lexicons_by_name_and_list_items(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    found = collect_inputs({"files": ["a.txt", "missing.txt"], "lexicon": "blame_frames"}, tmp_path)
    assert found["a.txt"] == hashlib.sha256(b"a").hexdigest()
    shipped = [k for k in found if k.endswith("lexicons/blame_frames.yaml")]
    assert len(shipped) == 1 and len(found) == 2


def test_collect_inputs_hashes_a_shipped_case_file_given_by_name(tmp_path: Path) -> None:
    # the study's default case=baby_p changes frame labels: its file is an input like a lexicon's
    from framing.paths import PACKAGE_DIR

    found = collect_inputs({"case": "baby_p", "rule": "coder"}, tmp_path)
    case = PACKAGE_DIR / "cases" / "baby_p.yaml"
    assert list(found.values()) == [hashlib.sha256(case.read_bytes()).hexdigest()]
    assert next(iter(found)).endswith("cases/baby_p.yaml")


def test_coded_sheets_the_notebooks_skip_are_unused_inputs_not_inputs(tmp_path: Path) -> None:
    import pandas as pd

    from framing.backends.study import unused_coded_sheets

    processed = tmp_path / "data" / "processed" / "mine"
    processed.mkdir(parents=True)
    pd.DataFrame({"doc_id": ["h1", "h2"]}).to_parquet(processed / "documents.parquet")
    (tmp_path / "mine.csv").write_text("doc_id,text,genre\nh1,x,n\nh2,y,n\n", encoding="utf-8")
    (tmp_path / "seeds_coded.csv").write_text("doc_id,sent_id,individual\nnews_01,0,1\n", encoding="utf-8")
    (tmp_path / "mine_coded.csv").write_text("doc_id,sent_id,individual\nh2,0,1\n", encoding="utf-8")
    params = {"corpus": "mine.csv", "corpus_name": "mine",
              "coded": ["seeds_coded.csv", "mine_coded.csv", "gone.csv"]}
    unused = unused_coded_sheets([params], tmp_path)
    assert unused == {
        "gone.csv": "not found",
        "seeds_coded.csv": "codes documents of another corpus (none of its 1 doc_id(s) is in corpus 'mine')",
    }
    rec = provenance(params, tmp_path, unused_inputs=unused)
    assert list(rec["inputs"]) == ["mine.csv", "mine_coded.csv"]  # the seed sheet was not read: not an input
    assert rec["unused_inputs"] == unused
    # a corpus not prepared yet says nothing about its sheets
    assert unused_coded_sheets([{**params, "corpus_name": "other"}], tmp_path) == {}


def test_provenance_record_names_parameters_matcher_and_inputs(tmp_path: Path) -> None:
    (tmp_path / "c.txt").write_text("c", encoding="utf-8")
    rec = provenance({"corpus": "c.txt", "reports_dir": "c.txt"}, tmp_path, study="demo")
    assert rec["parameters"] == {"corpus": "c.txt", "reports_dir": "c.txt"} and rec["study"] == "demo"
    assert rec["matcher"] in ("aho", "hyperscan")
    assert rec["inputs"] == {"c.txt": hashlib.sha256(b"c").hexdigest()}  # reports_dir is an output
    assert rec["git"].keys() == {"code", "project"}
    assert rec["git"]["project"] == {"path": None, "commit": None, "dirty": None}  # tmp_path: not a checkout


def _git(cwd: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=cwd, check=True,
                          capture_output=True, text=True).stdout.strip()


def test_provenance_git_names_the_code_that_ran_and_the_project_apart(tmp_path: Path) -> None:
    import framing

    project = tmp_path / "elsewhere"
    project.mkdir()
    _git(project, "init", "-q")
    (project / "notes.txt").write_text("one", encoding="utf-8")
    _git(project, "add", "notes.txt")
    _git(project, "commit", "-qm", "first")
    (project / "notes.txt").write_text("two", encoding="utf-8")  # the project is dirty, the code need not be
    git = provenance({}, project)["git"]
    assert git["project"] == {"path": str(project.resolve()), "commit": _git(project, "rev-parse", "HEAD"),
                              "dirty": True}
    package = Path(framing.__file__).resolve().parent  # this test runs from the source tree (editable install)
    assert git["code"]["path"] == _git(package, "rev-parse", "--show-toplevel")
    assert git["code"]["commit"] == _git(package, "rev-parse", "HEAD") != git["project"]["commit"]
    assert git["code"]["dirty"] is bool(_git(package, "status", "--porcelain", "--untracked-files=no", "--", "."))


def test_an_untracked_or_modified_batch_file_or_input_makes_the_project_dirty(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "config" / "batch").mkdir(parents=True)
    _git(project, "init", "-q")
    (project / "data.txt").write_text("one", encoding="utf-8")
    (project / "other.txt").write_text("x", encoding="utf-8")
    _git(project, "add", "data.txt")
    _git(project, "commit", "-qm", "first")
    head = _git(project, "rev-parse", "HEAD")
    clean = {"path": str(project.resolve()), "commit": head, "dirty": False}
    # other.txt is untracked but no input: git status --untracked-files=no alone says clean, and so do we
    assert provenance({"corpus": "data.txt"}, project)["git"]["project"] == clean
    (project / "config" / "batch" / "failures.yaml").write_text("runs: []\n", encoding="utf-8")  # untracked
    rec = provenance({"corpus": "data.txt"}, project, config="config/batch/failures.yaml")
    assert rec["git"]["project"] == {**clean, "dirty": True, "unclean_inputs": ["config/batch/failures.yaml"]}
    _git(project, "add", "config/batch/failures.yaml")
    _git(project, "commit", "-qm", "batch")
    clean["commit"] = _git(project, "rev-parse", "HEAD")
    assert provenance({"corpus": "data.txt"}, project, config="config/batch/failures.yaml")["git"]["project"] == clean
    (project / "data.txt").write_text("two", encoding="utf-8")  # a modified input (tracked)
    assert provenance({"corpus": "data.txt"}, project)["git"]["project"] == {
        **clean, "dirty": True, "unclean_inputs": ["data.txt"]}
    # an untracked folder corpus, and far more input paths than fit on a command line: still seen as unclean
    from framing.provenance import _unclean

    (project / "mine").mkdir()
    (project / "mine" / "d1.txt").write_text("x", encoding="utf-8")
    many = ["mine/d1.txt"] + [f"mine/sub/document_{i:06d}.txt" for i in range(150_000)]
    assert _unclean(project, many) == ["mine/d1.txt"]
    assert _unclean(project, ["mine", "data.txt", "config/batch/failures.yaml"]) == ["data.txt", "mine"]


def test_verify_corpora_names_the_changed_file(tmp_path: Path) -> None:
    corpus = tmp_path / "raw"
    corpus.mkdir()
    (corpus / "a.txt").write_text("a", encoding="utf-8")
    (corpus / "SHA256SUMS").write_text(f"{hashlib.sha256(b'a').hexdigest()}  a.txt\n", encoding="utf-8")
    verify_corpora([{"corpus": "raw"}, {"corpus": "raw"}, {"n": 1}], tmp_path)  # unchanged: no error
    (corpus / "a.txt").write_text("changed", encoding="utf-8")
    with pytest.raises(RawDataChangedError, match=r"a\.txt"):
        verify_corpora([{"corpus": "raw"}], tmp_path)


def test_packages_are_the_projects_dependencies_as_installed(tmp_path: Path) -> None:
    import importlib.metadata

    from framing.provenance import package_versions, project_dependencies

    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "framing"\ndependencies = [\n  "numpy>=1.26",\n  "bleach[css]>=6.1",\n'
        '  "hyperscan>=0.9; platform_machine == \'x86_64\'",\n  "not-a-real-package-xyz>=1",\n]\n'
        '[project.optional-dependencies]\ndev = ["pytest>=8"]\n', encoding="utf-8")
    assert project_dependencies(tmp_path) == ["numpy", "bleach", "hyperscan", "not-a-real-package-xyz"]
    versions = package_versions(tmp_path)
    assert versions["numpy"] == importlib.metadata.version("numpy") and "framing" in versions
    assert "not-a-real-package-xyz" not in versions and "pytest" not in versions  # not installed / a dev tool
    # the project's own list: the matcher that runs is named, a package merely present in the venv is not
    ours = package_versions(ROOT)
    assert "vadersentiment" not in ours and "pyahocorasick" in ours
    from framing.match import MATCHER

    assert MATCHER != "hyperscan" or "hyperscan" in ours


def test_a_runs_inputs_include_the_package_files_its_notebooks_read(tmp_path: Path) -> None:
    from framing.paths import PACKAGE_DIR, shown_path

    (tmp_path / "c.txt").write_text("c", encoding="utf-8")
    notebooks = [{"notebook": "notebooks/06_validation.ipynb", "defaults": {"corpus": "c.txt"}, "parameters": {}}]
    rec = provenance({"corpus": "c.txt"}, tmp_path, notebooks=notebooks)
    model = shown_path(PACKAGE_DIR / "models" / "general.pkl", tmp_path)
    rules = shown_path(PACKAGE_DIR / "rules" / "boilerplate.yaml", tmp_path)
    assert rec["inputs"][model] == hashlib.sha256((PACKAGE_DIR / "models" / "general.pkl").read_bytes()).hexdigest()
    assert rec["inputs"][rules] == hashlib.sha256((PACKAGE_DIR / "rules" / "boilerplate.yaml").read_bytes()).hexdigest()
    # a notebook without a corpus and other than 06 reads neither
    other = provenance({}, tmp_path, notebooks=[{"notebook": "tiny.ipynb", "parameters": {"k": 2}}])
    assert model not in other["inputs"] and rules not in other["inputs"]
