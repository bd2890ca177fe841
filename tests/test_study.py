"""Integration: `framing run` executes the whole study on the seed corpus in a temporary copy of the project."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
FRAMING = [sys.executable, "-m", "framing"]


def make_project(dest: Path) -> Path:
    """Copy what a study run reads (config, notebooks, raw and validation data) into ``dest``."""
    for part in ("config", "notebooks", "data/raw", "data/validation"):
        src = ROOT / part
        if src.exists():
            shutil.copytree(src, dest / part)
    return dest


def run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FRAMING_ROOT"}
    env["MPLBACKEND"] = "Agg"
    return subprocess.run([*FRAMING, "run", *args], cwd=project, capture_output=True, text=True, env=env,
                          timeout=900, check=False)


CUSTOM_LEXICON = "my_frames"


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One executed study shared by the integration tests of this module.

    It runs with ``-p frames_lexicon=<a copy of blame_frames under another name>``: the outputs are those of the
    shipped study, and the copy's name in each notebook's recorded instrument shows which analyses used it.
    """
    project = make_project(tmp_path_factory.mktemp("study") / "project")
    lex = yaml.safe_load((ROOT / "src" / "framing" / "lexicons" / "blame_frames.yaml").read_text(encoding="utf-8"))
    lex["name"] = CUSTOM_LEXICON
    custom = project / "my_frames.yaml"
    custom.write_text(yaml.safe_dump(lex, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return project, run(project, "-p", f"frames_lexicon={custom.name}")


# The tests that read the shared `study` are one xdist group: under `--dist loadgroup` (make test) they run on one
# worker, so the study runs once (a module-scoped fixture is built once per worker that needs it). The other
# tests of this module run their own projects and are left to balance across the workers.
@pytest.mark.xdist_group("study")
def test_the_tests_sharing_the_study_carry_its_group_under_loadgroup(request: pytest.FixtureRequest) -> None:
    if not request.config.getoption("loadgroup", default=False):
        pytest.skip("not run on an xdist worker with --dist loadgroup")
    assert request.node.nodeid.endswith("@study"), request.node.nodeid  # tests/conftest.py puts it there


@pytest.mark.slow
@pytest.mark.xdist_group("study")
def test_framing_run_executes_the_whole_study(study: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    project, proc = study
    assert proc.returncode == 0, proc.stderr[-3000:]
    cfg = yaml.safe_load((project / "config" / "study.yaml").read_text(encoding="utf-8"))
    names = [Path(e["path"] if isinstance(e, dict) else e).name for e in cfg["notebooks"]]
    reports = project / "reports"
    for name in names:
        executed = nbformat.read(reports / "notebooks" / name, as_version=4)
        errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        assert not errors, f"{name}: {errors[:1]}"
        assert f"{name} done in" in proc.stderr
    prov = json.loads((reports / "provenance.json").read_text(encoding="utf-8"))
    assert prov["status"] == "ok" and [Path(n["notebook"]).name for n in prov["notebooks"]] == names
    assert "data/raw/000_3847d360f0486ec9.txt" in prov["inputs"]
    figures = sorted((reports / "figures").glob("*.pdf"))
    assert figures
    for pdf in figures:
        for ext in (".svg", ".png"):
            assert pdf.with_suffix(ext).is_file()
    assert sorted((reports / "tables").glob("*.tex"))
    # tables keep what a reader needs: each quotation's whole text (its span less the two quotation marks), and
    # which actor a named blamer was drawn as in the blame network (the case file maps Ed Balls to government)
    quotes = pd.read_csv(reports / "tables" / "quotations.csv")
    assert (quotes["text"].str.len() == quotes["end"] - quotes["start"] - 2).all()
    blame = pd.read_csv(reports / "tables" / "blame_attribution.csv", keep_default_na=False)
    assert ("Ed Balls", "government") in set(zip(blame["blamer"], blame["blamer_actor"], strict=True))
    # what a reader sees names no folder of this machine (the pages are the same wherever the project is)
    for page in sorted((reports / "notebooks").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        assert str(project) not in text and "PosixPath(" not in text, page.name
    processed = project / "data" / "processed" / "seeds"
    assert (processed / "sentences.parquet").is_file()
    # raw data untouched
    for f in (ROOT / "data" / "raw").iterdir():
        assert (project / "data" / "raw" / f.name).read_bytes() == f.read_bytes()


@pytest.mark.slow
@pytest.mark.xdist_group("study")
def test_a_lexicon_override_reaches_every_analysis(study: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """`-p frames_lexicon=...` changes the instrument of every notebook that scores frames (issue 11)."""
    project, proc = study
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((project / "reports" / "key_results.json").read_text(encoding="utf-8"))
    instruments = {k.split(".")[0]: v for k, v in results.items() if k.endswith(".instrument")}
    assert set(instruments) == {"lexicon", "topics", "attribution", "comparison", "validation"}, instruments
    for prefix, signature in instruments.items():
        assert signature.startswith(f"frames {CUSTOM_LEXICON} "), (prefix, signature)


@pytest.mark.slow
def test_a_failing_notebook_stops_the_run_and_is_kept(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    proc = run(project, "-p", "corpus=no/such/corpus")
    assert proc.returncode == 1
    assert "01_corpus.ipynb failed in cell" in proc.stderr and "corpus not found" in proc.stderr
    kept = nbformat.read(project / "reports" / "notebooks" / "01_corpus.ipynb", as_version=4)
    assert any(o.get("output_type") == "error" for c in kept.cells if c.cell_type == "code" for o in c.outputs)
    assert not (project / "reports" / "notebooks" / "02_lexicon_framing.ipynb").exists()
    prov = json.loads((project / "reports" / "provenance.json").read_text(encoding="utf-8"))
    assert prov["status"] == "failed"


@pytest.mark.slow
def test_unknown_parameter_is_refused_listing_known_names(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    proc = run(project, "-p", "colour=red")
    assert proc.returncode == 2
    assert "unknown parameter(s) ['colour']" in proc.stderr and "'corpus'" in proc.stderr
    assert not (project / "reports").exists()


@pytest.mark.slow
@pytest.mark.xdist_group("study")
def test_same_inputs_give_byte_identical_tables_and_figures(
        study: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """A second run of the seeded notebooks (bootstrap, sampling) agrees byte for byte with the shared study."""
    project, first_proc = study
    assert first_proc.returncode == 0, first_proc.stderr[-3000:]
    selected = ["--notebook", "02_lexicon_framing", "--notebook", "05_genre_comparison"]
    proc = run(project, *selected, "-p", "frames_lexicon=my_frames.yaml", "--reports-dir", "again")
    assert proc.returncode == 0, proc.stderr[-3000:]
    again = project / "again"
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*")
              if p.is_file() and p.parent.name in ("figures", "tables")}
    reports = project / "reports"
    assert second and any(p.suffix == ".pdf" for p in second) and any(p.suffix == ".tex" for p in second)
    missing = sorted(str(p) for p in second if not (reports / p).is_file())
    assert not missing, f"files of the second run absent from the first: {missing}"
    differing = sorted(str(p) for p in second if (reports / p).read_bytes() != second[p])
    assert not differing, f"outputs differ between identical runs: {differing}"


def _sorted_lines(folder: Path) -> dict[str, list[str]]:
    """Every CSV of ``folder`` (tables, or the data behind figures) as its sorted lines."""
    return {p.name: sorted(p.read_text(encoding="utf-8").splitlines()) for p in sorted(folder.glob("*.csv"))}


@pytest.mark.slow
@pytest.mark.xdist_group("study")
def test_the_study_on_a_partitioned_backend_gives_the_memory_tables(
        study: tuple[Path, subprocess.CompletedProcess[str]], tmp_path: Path) -> None:
    """``backend: dask`` in the study config (synchronous scheduler) against ``framing run`` in memory.

    The corpus is prepared once on the backend (partitioned Parquet) and notebook 01 reads those tables; its
    tables and figure data equal, once sorted, those notebook 01 wrote in the shared study, run in memory in
    another project (notebook 01 reads no lexicon: the study's renamed one changes none of its outputs).
    """
    project, first_proc = study
    assert first_proc.returncode == 0, first_proc.stderr[-3000:]
    on_dask = make_project(tmp_path / "dask")
    cfg = on_dask / "config" / "study.yaml"
    cfg.write_text("backend: dask\nscheduler: synchronous\n" + cfg.read_text(encoding="utf-8"), encoding="utf-8")
    proc = run(on_dask, "--notebook", "01_corpus")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "seeds prepared on dask: 5 documents" in proc.stderr
    parts = on_dask / "data" / "processed" / "seeds"
    assert (parts / "sentences" / "part-00000.parquet").is_file() and not (parts / "sentences.parquet").exists()
    assert (project / "data" / "processed" / "seeds" / "sentences.parquet").is_file()
    prov = json.loads((on_dask / "reports" / "provenance.json").read_text(encoding="utf-8"))
    assert prov["backend"] == "dask" and prov["prepared"][0]["counts"]["documents"] == 5
    # what notebook 01 wrote in the study: its output manifest (framing run's record of the files it wrote)
    manifest = (project / "reports" / ".outputs" / "01_corpus.txt").read_text(encoding="utf-8").splitlines()
    written = [Path(line.split("\t", 1)[1]) for line in manifest if line.startswith("file\t")]
    for sub in ("tables", "figures"):
        got = _sorted_lines(on_dask / "reports" / sub)
        want = {p.name: sorted((project / "reports" / p).read_text(encoding="utf-8").splitlines())
                for p in written if p.parts[0] == sub and p.suffix == ".csv"}
        assert want and got == want, sub


def _bad_corpus(project: Path) -> Path:
    """Five JSON lines, the third cut off, ids unsafe as file names (``news/0``): 4 documents, 12 sentences."""
    text = "The council failed the child. Ministers must answer for it.\n\nSocial workers missed the signs."
    lines = [json.dumps({"doc_id": f"news/{i}", "genre": ("blog", "news")[i % 2], "text": text}) for i in range(4)]
    lines.insert(2, '{"doc_id": "cut", "text": "no end')
    path = project / "BAD.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_a_corpus_with_a_bad_line_and_unsafe_ids_runs_with_skip_and_safe_ids_on_every_backend(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    _bad_corpus(project)
    base = ("--notebook", "01_corpus", "-p", "corpus=BAD.jsonl", "-p", "safe_ids=true")
    for backend in ("memory", "stream"):
        proc = run(project, "--backend", backend, *base, "-p", "on_bad_record=skip")
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert "1 bad record(s) skipped" in proc.stdout  # the closing summary line
        prov = json.loads((project / "reports" / "provenance.json").read_text(encoding="utf-8"))
        assert prov["backend"] == backend
        [prepared] = prov["prepared"]
        assert (prepared["name"], prepared["backend"], prepared["skipped_records"]) == ("BAD", backend, 1)
        # the skipped line is a warning of the run on every backend, as in memory (issue 10)
        assert any("BAD.jsonl: skipped 1 malformed line(s): line 3: Unterminated string" in str(w)
                   for w in prov["warnings"]), (backend, prov["warnings"])
        assert prepared["counts"]["documents"] == 4 and prepared["counts"]["sentences"] == 12
        # by hand: ids with "/" rewritten, the cut line gone; three sentences of five words each per document
        docs = (project / "reports" / "tables" / "corpus_documents.csv").read_text(encoding="utf-8").splitlines()
        assert docs[1:] == [f"news_{i},{('blog', 'news')[i % 2]},3,15,0" for i in range(4)]
    # fail (the default) must still fail, on either backend, naming file and line: what skip prepared is not reused
    for backend, code in (("memory", 1), ("stream", 2)):
        proc = run(project, "--backend", backend, *base)
        assert proc.returncode == code, proc.stderr[-3000:]
        assert "BAD.jsonl: 1 bad record(s): line 3: Unterminated string" in proc.stderr
    proc = run(project, *base, "-p", "on_bad_record=maybe")
    assert proc.returncode == 2 and "on_bad_record must be one of ['fail', 'skip'], got 'maybe'" in proc.stderr
