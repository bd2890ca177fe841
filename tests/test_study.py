"""Integration: `framing run` executes the whole study on the seed corpus in a temporary copy of the project."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
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


@pytest.mark.slow
@pytest.mark.xdist_group("study")
def test_framing_run_executes_the_whole_study(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    proc = run(project)
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
    processed = project / "data" / "processed" / "seeds"
    assert (processed / "sentences.parquet").is_file()
    # raw data untouched
    for f in (ROOT / "data" / "raw").iterdir():
        assert (project / "data" / "raw" / f.name).read_bytes() == f.read_bytes()


@pytest.mark.slow
@pytest.mark.xdist_group("study")
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
def test_same_inputs_give_byte_identical_tables_and_figures(tmp_path: Path) -> None:
    """Two runs of the seeded notebooks (bootstrap, sampling) into two folders agree byte for byte."""
    project = make_project(tmp_path / "project")
    selected = ["--notebook", "01_corpus", "--notebook", "02_lexicon_framing", "--notebook", "05_genre_comparison"]
    outputs = []
    for name in ("a", "b"):
        proc = run(project, *selected, "--reports-dir", f"out_{name}")
        assert proc.returncode == 0, proc.stderr[-3000:]
        out = project / f"out_{name}"
        outputs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*")
                         if p.is_file() and p.parent.name in ("figures", "tables")})
    first, second = outputs
    assert first and set(first) == set(second)
    assert any(p.suffix == ".pdf" for p in first) and any(p.suffix == ".tex" for p in first)
    differing = sorted(str(p) for p in first if first[p] != second[p])
    assert not differing, f"outputs differ between identical runs: {differing}"
