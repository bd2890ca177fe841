"""Tests for framing.paths: the project root and path parameters resolved against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from framing.paths import find_root, project_path


def test_project_path_joins_relative_paths_to_the_root_and_keeps_absolute_ones(tmp_path: Path) -> None:
    root = tmp_path / "study"
    assert project_path("data/raw", root=root) == str(root / "data" / "raw")
    assert project_path("/elsewhere/x.csv", root=root) == "/elsewhere/x.csv"
    assert project_path(["a.csv", "/b.csv"], root=root) == [str(root / "a.csv"), "/b.csv"]
    assert project_path("", root=root) == ""
    assert project_path(None, root=root) is None


def test_a_notebook_folder_resolves_against_the_project_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """JupyterLab runs a notebook in notebooks/: relative parameters still point at the project's data."""
    root = tmp_path / "study"
    (root / "config").mkdir(parents=True)
    (root / "config" / "study.yaml").write_text("name: s\n")
    (root / "notebooks").mkdir()
    monkeypatch.delenv("FRAMING_ROOT", raising=False)
    monkeypatch.chdir(root / "notebooks")
    assert find_root() == root.resolve()
    assert project_path("data/raw") == str(root.resolve() / "data" / "raw")
    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))
    assert project_path("reports") == str(tmp_path.resolve() / "reports")


@pytest.mark.slow
def test_a_notebook_run_from_the_notebooks_folder_finds_the_project_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What JupyterLab does: run notebook 01 with notebooks/ as working directory and default parameters."""
    import shutil

    import nbformat
    import papermill

    root = Path(__file__).resolve().parents[1]
    project = tmp_path / "project"
    for part in ("config", "notebooks", "data/raw"):
        shutil.copytree(root / part, project / part)
    monkeypatch.delenv("FRAMING_ROOT", raising=False)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    out = tmp_path / "01_corpus.out.ipynb"
    papermill.execute_notebook(str(project / "notebooks" / "01_corpus.ipynb"), str(out), kernel_name="python3",
                               cwd=str(project / "notebooks"), progress_bar=False)
    executed = nbformat.read(out, as_version=4)
    assert not [o for c in executed.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    # relative parameters went to the project root, not to notebooks/
    assert (project / "reports" / "tables" / "corpus_by_genre.csv").is_file()
    assert (project / "reports" / "key_results.json").is_file()
    assert not (project / "notebooks" / "reports").exists()
    assert (project / "data" / "processed" / "seeds" / "sentences.parquet").is_file()


def test_project_resource_keeps_shipped_names_and_roots_files(tmp_path: Path) -> None:
    from framing.paths import project_resource

    assert project_resource("blame_frames", root=tmp_path) == "blame_frames"  # a shipped lexicon's name
    assert project_resource("baby_p", root=tmp_path) == "baby_p"  # a shipped case
    assert project_resource("my_frames.yaml", root=tmp_path) == str(tmp_path / "my_frames.yaml")
    assert project_resource("dicts/liwc.dic", root=tmp_path) == str(tmp_path / "dicts" / "liwc.dic")
    assert project_resource("/abs/x.yaml", root=tmp_path) == "/abs/x.yaml"
    assert project_resource("", root=tmp_path) == "" and project_resource(None, root=tmp_path) is None


def test_report_paths_layout() -> None:
    """The layout of a reports directory, written out by hand (docs/reports.md)."""
    from framing.paths import ProjectPaths, report_paths

    rp = report_paths("/r")
    assert (rp.figures, rp.tables, rp.notebooks) == (Path("/r/figures"), Path("/r/tables"), Path("/r/notebooks"))
    assert (rp.evidence, rp.batch) == (Path("/r/evidence"), Path("/r/batch"))
    assert (rp.provenance, rp.key_results) == (Path("/r/provenance.json"), Path("/r/key_results.json"))
    pp = ProjectPaths(Path("/study"))
    assert pp.figures == Path("/study/reports/figures") and pp.tables == Path("/study/reports/tables")
    assert pp.report.provenance == Path("/study/reports/provenance.json")
    assert pp.study_config == Path("/study/config/study.yaml")
    assert pp.batch_configs == Path("/study/config/batch")
    assert pp.processed == Path("/study/data/processed")


def test_no_module_or_notebook_rebuilds_project_paths_by_hand() -> None:
    """Paths of the project layout come from framing.paths (ProjectPaths / report_paths), nowhere else."""
    import json
    import re

    root = Path(__file__).resolve().parents[1]
    by_hand = re.compile(r'/ "(figures|tables|processed|config|evidence|provenance\.json|key_results\.json)"')
    sources = {p: p.read_text(encoding="utf-8") for p in (root / "src" / "framing").rglob("*.py")
               if p.name != "paths.py"}
    for nb in (root / "notebooks").glob("*.ipynb"):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        sources[nb] = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    offenders = [f"{p.relative_to(root)}:{text[:m.start()].count(chr(10)) + 1}: {m.group(0)}"
                 for p, text in sorted(sources.items()) for m in by_hand.finditer(text)]
    assert not offenders, "build these with framing.paths.ProjectPaths / report_paths:\n" + "\n".join(offenders)


def test_processed_name_keeps_seeds_for_the_study_corpus_only(tmp_path: Path) -> None:
    from framing.errors import ParameterError
    from framing.paths import processed_name

    assert processed_name("data/raw", "seeds", root=tmp_path) == "seeds"
    assert processed_name(tmp_path / "data" / "raw", "seeds", root=tmp_path) == "seeds"
    assert processed_name("../mycase/txt", "seeds", root=tmp_path) == "txt"
    other = tmp_path / "checkout"  # another framing project's data/raw: still the study's corpus
    (other / "config").mkdir(parents=True)
    (other / "config" / "study.yaml").write_text("notebooks: []\n", encoding="utf-8")
    assert processed_name(other / "data" / "raw", "seeds", root=tmp_path) == "seeds"
    assert processed_name(tmp_path / "elsewhere" / "data" / "raw", "seeds", root=tmp_path) == "raw"  # no project
    assert processed_name("/elsewhere/immig.jsonl.gz", "seeds", root=tmp_path) == "immig"
    assert processed_name("/elsewhere/articles_metadata.tsv.gz", "seeds", root=tmp_path) == "articles_metadata"
    assert processed_name("/elsewhere/immig.jsonl", "mine", root=tmp_path) == "mine"  # a given name stays
    with pytest.raises(ParameterError, match="corpus_name"):
        processed_name("/elsewhere/seeds.csv", "seeds", root=tmp_path)  # no other name follows from the path


def test_corpus_stem_never_names_a_hidden_or_parent_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from framing.paths import corpus_stem

    (tmp_path / "mycorpus" / "sub").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "mycorpus" / "sub")
    # by hand: ".." is the folder "mycorpus", "." the folder "sub"; a Windows path splits at its backslashes;
    # a leading dot is dropped, so the name is never a hidden folder nor "..", which would escape processed_dir
    assert [corpus_stem(p) for p in ("..", ".", "../", r"C:\data\immig.jsonl", ".hidden.csv", "immig.jsonl.gz")] == [
        "mycorpus", "sub", "mycorpus", "immig", "hidden", "immig"]


def test_shown_path_is_relative_under_the_root_and_as_given_elsewhere(tmp_path: Path) -> None:
    from framing.paths import shown_path

    root = tmp_path / "study"
    assert shown_path(root / "reports" / "tables" / "x.csv", root) == "reports/tables/x.csv"
    assert shown_path(root / ".." / "shared" / "c.tsv", root) == "../shared/c.tsv"  # written from the root
    assert shown_path(tmp_path / "elsewhere.csv", root) == str(tmp_path / "elsewhere.csv")
    # elsewhere, normalised: another checkout's "../shared", a relative path through ".."
    (tmp_path / "main").mkdir()
    other = tmp_path / "main" / ".." / "shared" / "devsets" / "coded.jsonl"
    assert shown_path(other, root) == f"{tmp_path}/shared/devsets/coded.jsonl"
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "real" / "sub")  # link/.. is real/, not tmp_path as the lexical form
    assert shown_path(tmp_path / "link" / ".." / "x.csv", root) == f"{tmp_path}/link/../x.csv"
    assert shown_path(tmp_path / "main" / ".." / "x.csv", root) == f"{tmp_path}/x.csv"



def test_run_records_are_told_from_a_notebooks_outputs() -> None:
    from framing.paths import report_paths

    paths = report_paths("/study/reports")
    for record in ("notebooks/01_corpus.ipynb", ".outputs/01_corpus.txt", ".previous/01_corpus/files/x.csv",
                   "key_results.json", "provenance.json"):
        assert paths.is_run_record(record), record
    for output in ("figures/x.png", "tables/key_results.json", "notebooks_old/x.csv", "evidence/x.html"):
        assert not paths.is_run_record(output), output
    assert paths.aside("notebooks/01_corpus.ipynb") == Path("/study/reports/.previous/01_corpus")


def test_processed_folder_is_processed_dir_slash_name_or_the_corpus_stem(tmp_path: Path) -> None:
    from framing.paths import processed_folder, project_paths

    assert processed_folder("../mine/immig.jsonl.gz", None, tmp_path) == tmp_path / "immig"
    assert processed_folder("../mine/immig.jsonl.gz", "mine", tmp_path) == tmp_path / "mine"
    assert processed_folder("corpus/", "x") == project_paths().processed / "x"


def test_read_manifest_gives_a_json_object_or_none_and_says_why_when_strict(tmp_path: Path) -> None:
    from framing.paths import read_manifest

    assert read_manifest(tmp_path) is None
    with pytest.raises(OSError):
        read_manifest(tmp_path, strict=True)
    (tmp_path / "manifest.json").write_text('{"name": "c", "partitions": 2}', encoding="utf-8")
    assert read_manifest(tmp_path) == {"name": "c", "partitions": 2}
    for text, why in (("[1, 2]", "a JSON list, not an object"), ("{broken", "Expecting property name")):
        (tmp_path / "manifest.json").write_text(text, encoding="utf-8")
        assert read_manifest(tmp_path) is None
        with pytest.raises(ValueError, match=why):
            read_manifest(tmp_path, strict=True)
