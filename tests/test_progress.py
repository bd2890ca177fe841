"""Progress bars: shown on standard error for long runs (documents, MB/s), off with ``--quiet``."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import RAW

import framing.progress as progress
from framing.cli import main
from framing.progress import progress_bar


def test_disabled_bar_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with progress_bar(3, enabled=False) as bar:
        bar.update(3, 3_000_000)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_enabled_bar_shows_documents_and_rate(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    with progress_bar(4, desc="prepare x") as bar:
        bar.update(2, 2_000_000)
        bar.update(2, 2_000_000)
    err = capsys.readouterr().err
    assert "prepare x" in err and "4/4" in err and "MB/s" in err


@pytest.mark.parametrize("quiet", [True, False])
def test_frames_shows_a_bar_unless_quiet(quiet: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)  # a bar at once, as on a corpus that takes a while
    out = tmp_path / "frames.csv"
    assert main(["frames", str(RAW), "--out", str(out), *(["--quiet"] if quiet else [])]) == 0
    err = capsys.readouterr().err
    assert out.is_file()
    assert ("MB/s" in err) is not quiet
