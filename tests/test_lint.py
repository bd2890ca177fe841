"""The code stays ruff clean and mypy-typed: checked with the suite, so CI catches a regression."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[dev]')")
    return found


def test_ruff_is_clean() -> None:
    """The package, tests, benchmarks and notebooks (ruff reads .ipynb) pass the same rules."""
    proc = subprocess.run([tool("ruff"), "check", "--no-cache", "src", "tests", "benchmarks", "notebooks"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_ruff_reads_the_notebooks() -> None:
    """The notebooks are really linted, not skipped: a notebook with an unused import fails the check."""
    import json
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        bad = Path(tmp) / "bad.ipynb"
        cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                "source": ["import os\n", "x = 1\n"]}
        bad.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
        proc = subprocess.run([tool("ruff"), "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(bad)],
                              cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 1, proc.stdout[-4000:]
    assert "F401" in proc.stdout
    listed = subprocess.run([tool("ruff"), "check", "--no-cache", "--show-files", "notebooks"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert "01_corpus.ipynb" in listed.stdout


@pytest.mark.slow
def test_mypy_is_clean(tmp_path: Path) -> None:
    proc = subprocess.run([tool("mypy"), "--cache-dir", str(tmp_path / "cache")], cwd=ROOT, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_the_long_tests_handed_out_early_are_tests_of_the_suite() -> None:
    """Each name of conftest.LONG_UNMARKED (the order tests are handed to xdist's workers) is a test function of its
    file and not marked slow (those go first anyway): a renamed test would silently lose its early start."""
    import ast

    from conftest import LONG_UNMARKED

    assert LONG_UNMARKED
    for name in LONG_UNMARKED:
        file, test = name.split("::")
        tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
        [func] = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == test] or [None]
        assert func is not None, f"{name}: no such test"
        marks = [ast.unparse(d) for d in func.decorator_list]
        assert "pytest.mark.slow" not in marks, f"{name} is marked slow: it needs no place in LONG_UNMARKED"
