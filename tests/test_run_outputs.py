"""A notebook's earlier outputs under ``framing run``: kept aside while it runs, removed or put back after."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from framing._run_outputs import kept_outputs, restore_leftovers, set_aside, settle
from framing.errors import NotebookError


def _earlier_run(reports: Path) -> None:
    """The folder as the notebook ``w``'s earlier run left it: two tables, two keys, its manifest."""
    (reports / "tables").mkdir(parents=True)
    (reports / "tables" / "kept.csv").write_text("old kept\n")
    (reports / "tables" / "dropped.csv").write_text("old dropped\n")
    (reports / "tables" / "other.csv").write_text("another notebook's\n")
    (reports / "key_results.json").write_text(json.dumps({"w.kept": 1, "w.dropped": 2, "o.x": 3}))
    (reports / ".outputs").mkdir()
    (reports / ".outputs" / "w.txt").write_text(
        "file\ttables/kept.csv\nfile\ttables/dropped.csv\nkey\tw.kept\nkey\tw.dropped\n")


def _new_run_writes(reports: Path) -> None:
    """What the new run of ``w`` writes before it ends (atomically: a new file replaces the old one's name)."""
    new = reports / "tables" / ".kept.tmp"
    new.write_text("new kept\n")
    new.replace(reports / "tables" / "kept.csv")
    (reports / "tables" / "fresh.csv").write_text("new only\n")
    keys = json.loads((reports / "key_results.json").read_text())
    keys.update({"w.kept": 10, "w.fresh": 11})
    (reports / "key_results.json").write_text(json.dumps(keys))
    with open(reports / ".outputs" / "w.txt", "a") as fh:
        fh.write("file\ttables/kept.csv\nfile\ttables/fresh.csv\nkey\tw.kept\nkey\tw.fresh\n")


def _state(reports: Path) -> dict[str, object]:
    tables = {p.name: p.read_text() for p in sorted((reports / "tables").iterdir()) if not p.name.startswith(".")}
    manifest = reports / ".outputs" / "w.txt"
    return {"tables": tables, "keys": json.loads((reports / "key_results.json").read_text()),
            "manifest": sorted(manifest.read_text().splitlines()) if manifest.is_file() else None}


def test_a_finished_run_removes_only_what_it_did_not_write_again(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _earlier_run(reports)
    set_aside(reports, "w.ipynb")
    # meanwhile the earlier files are all still there (the index's links work during the run)
    assert (reports / "tables" / "dropped.csv").read_text() == "old dropped\n"
    _new_run_writes(reports)
    settle(reports, "w.ipynb", finished=True)
    assert _state(reports) == {
        "tables": {"fresh.csv": "new only\n", "kept.csv": "new kept\n", "other.csv": "another notebook's\n"},
        "keys": {"w.kept": 10, "w.fresh": 11, "o.x": 3},
        "manifest": ["file\ttables/fresh.csv", "file\ttables/kept.csv", "key\tw.fresh", "key\tw.kept"]}
    assert not (reports / ".previous").exists()  # nothing left behind after a normal run


def test_an_unfinished_run_puts_everything_back_as_it_was(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _earlier_run(reports)
    before = _state(reports)
    set_aside(reports, "w.ipynb")
    _new_run_writes(reports)
    settle(reports, "w.ipynb", finished=False)
    assert _state(reports) == before


def test_a_killed_run_is_undone_by_the_next_one(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _earlier_run(reports)
    before = _state(reports)
    set_aside(reports, "w.ipynb")
    _new_run_writes(reports)  # ... and the process is killed: nothing settles
    said: list[str] = []
    assert restore_leftovers(reports, said.append) == ["w"]
    assert _state(reports) == before and len(said) == 1 and "w:" in said[0]
    assert restore_leftovers(reports) == []


@pytest.mark.parametrize(("error", "finished"), [(NotebookError("cell 3 failed"), True),
                                                 (KeyboardInterrupt(), False),
                                                 (RuntimeError("Kernel died"), True)])
def test_kept_outputs_settles_by_how_the_notebook_ended(tmp_path: Path, error: BaseException,
                                                        finished: bool) -> None:
    reports = tmp_path / "reports"
    _earlier_run(reports)
    before = _state(reports)
    with pytest.raises(type(error)), kept_outputs(reports, "w.ipynb"):
        _new_run_writes(reports)
        raise error
    after = _state(reports)
    # a failed cell or a dead kernel: recorded failed, its outputs this run's; an interruption: the earlier ones
    assert (after == before) is (not finished)
    assert ("dropped.csv" in after["tables"]) is (not finished)  # type: ignore[operator]


def test_a_first_run_interrupted_leaves_nothing(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    (reports / "tables").mkdir(parents=True)
    (reports / ".outputs").mkdir()
    (reports / "key_results.json").write_text("{}")
    with pytest.raises(KeyboardInterrupt), kept_outputs(reports, "w.ipynb"):
        _new_run_writes(reports)
        raise KeyboardInterrupt
    assert _state(reports) == {"tables": {}, "keys": {}, "manifest": None}


def test_outputs_no_manifest_lists_are_kept_aside_when_first_rewritten(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder from before manifests (or from a notebook run by hand): an interrupted run puts back what it
    rewrote, linked aside by framing.io.atomic_path just before replacing it, and the keys it rewrote."""
    from framing.io import OUTPUTS_ENV, atomic_write_text, write_json

    reports = tmp_path / "reports"
    _earlier_run(reports)
    (reports / ".outputs" / "w.txt").unlink()  # no manifest
    before = _state(reports)
    monkeypatch.setenv(OUTPUTS_ENV, str(reports / ".outputs" / "w.txt"))
    with pytest.raises(KeyboardInterrupt), kept_outputs(reports, "w.ipynb"):
        atomic_write_text(reports / "tables" / "kept.csv", "new kept\n")  # as the kernel writes: through io
        atomic_write_text(reports / "tables" / "fresh.csv", "new only\n")
        keys = json.loads((reports / "key_results.json").read_text())
        write_json(reports / "key_results.json", {**keys, "w.kept": 10})
        with open(reports / ".outputs" / "w.txt", "a") as fh:
            fh.write("key\tw.kept\n")
        raise KeyboardInterrupt
    assert _state(reports) == before


def test_a_run_killed_while_settling_a_finished_notebook_is_completed_not_undone(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    _earlier_run(reports)
    set_aside(reports, "w.ipynb")
    _new_run_writes(reports)
    (reports / ".previous" / "w" / "finished").touch()  # settle(finished=True) had begun when the kill came
    assert restore_leftovers(reports) == ["w"]
    assert _state(reports)["tables"] == {"fresh.csv": "new only\n", "kept.csv": "new kept\n",
                                         "other.csv": "another notebook's\n"}
