"""Shared fixtures: the project root, the raw seed corpus, small corpora built on the fly."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


@pytest.fixture(scope="session")
def seeds():
    """The seed corpus, processed in memory (no files written)."""
    from framing.corpus import load_corpus, process_corpus

    return process_corpus(load_corpus(RAW, name="seeds"))


MakeFolder = Callable[..., Path]


@pytest.fixture
def make_folder(tmp_path: Path) -> MakeFolder:
    """Build a folder corpus: ``make_folder({"a.txt": "text"}, [{"file": "a.txt", "genre": "news"}])``."""

    def build(files: dict[str, str | bytes], rows: list[dict[str, str]] | None = None, name: str = "corpus") -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for fname, content in files.items():
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            (folder / fname).write_bytes(data)
        if rows is None:
            rows = [{"file": f, "genre": "news"} for f in files]
        if rows:
            with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        return folder

    return build
