"""The README's performance table is the one built from benchmarks/results/ (issue 10: "regenerated from them")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from benchmarks import readme_table

ROOT = Path(__file__).resolve().parents[1]


def test_readme_table_is_current():
    # a benchmark rerun (or a hand edit of the table) without `python -m benchmarks readme` fails here
    assert readme_table.update(ROOT / "README.md", ROOT / "benchmarks" / "results", check=True), (
        "README.md's performance table differs from benchmarks/results/: run `python -m benchmarks readme`")


@pytest.fixture
def results(tmp_path: Path) -> Path:
    out = tmp_path / "results"
    shutil.copytree(ROOT / "benchmarks" / "results", out)
    return out


def test_figures_come_from_the_results_files(results: Path):
    df = pd.read_csv(results / "dask.csv", keep_default_na=False)
    df.loc[df["engine"] == "dask-1", "wall"] = 150.0
    df.loc[df["engine"] == "dask-2", "wall"] = 100.0
    df.to_csv(results / "dask.csv", index=False)
    row = next(line for line in readme_table.build(results).splitlines() if "2 workers against 1" in line)
    assert "1 worker 150 s, 2 workers 100 s: **1.50x**" in row
    assert "| **not met** |" in row  # 1.5x is under the goal of 1.7x


def test_goal_met_follows_the_figures(results: Path):
    md = results / "pipeline-large.md"
    md.write_text(md.read_text(encoding="utf-8").replace(": identical", ": DIFFERENT", 1), encoding="utf-8")
    row = next(line for line in readme_table.build(results).splitlines() if "sentence boundaries" in line)
    assert "DIFFERENT" in row and "| **not met** |" in row


def test_missing_results_file_is_said(results: Path):
    (results / "count.csv").unlink()
    table = readme_table.build(results)
    assert "| `count` | not measured: no `benchmarks/results/count.csv` |" in table


def test_update_writes_between_the_markers_only(tmp_path: Path, results: Path):
    readme = tmp_path / "README.md"
    block = f"{readme_table.START}\nold\n{readme_table.END}"
    readme.write_text(f"# Title\n\nbefore\n\n{block}\n\nafter\n", encoding="utf-8")
    assert readme_table.update(readme, results) is False
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nbefore\n\n") and text.endswith("\n\nafter\n")
    assert "old" not in text and "| word lookup, `count_matrix` against `liwc` |" in text
    assert readme_table.update(readme, results, check=True) is True


def test_readme_without_markers_is_refused(tmp_path: Path, results: Path):
    readme = tmp_path / "README.md"
    readme.write_text("# no table here\n", encoding="utf-8")
    with pytest.raises(ValueError, match="perf-table"):
        readme_table.update(readme, results)
