"""The partitioned runs' write-beside-and-swap (``framing.backends._folder``): a run killed, interrupted or raced,
or an input changed under it, never loses the user's files nor leaves stale tables recorded as current.

Corpora of a few JSON lines, a line a partition. Expected folder contents and ids are written out by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import framing.backends.run as run_module
from framing.backends import current_partitioned, read_partitioned, run_partitioned
from framing.backends._folder import carry_previous, discard, swap_in
from framing.errors import CorpusError, OutputError, PartitionError


def _write(path: Path, ids: list[str]) -> Path:
    path.write_text("".join(json.dumps({"doc_id": i, "genre": "news", "text": f"The council failed {i}."}) + "\n"
                            for i in ids), encoding="utf-8")
    return path


def _ids(directory: Path) -> list[str]:
    return read_partitioned(directory, "documents")["doc_id"].tolist()


def _child(code: str, cwd: Path) -> int:
    """Run ``code`` in a fresh interpreter (it kills itself with ``os._exit(9)``); return its exit code."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd, check=False).returncode


# --- 1. the input's fingerprint is that of what the partitions read ---------------------------------------------
def test_an_input_appended_to_during_the_run_fails_it_and_keeps_the_previous_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "c.jsonl", ["d0", "d1", "d2", "d3"])
    run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)
    _write(path, ["e0", "e1", "e2", "e3"])  # the input is edited, then appended to while the next run reads it
    original = run_module._run_one
    calls: list[int] = []

    def appending(part, *args, **kwargs):  # type: ignore[no-untyped-def]
        out = original(part, *args, **kwargs)
        if not calls:
            with path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps({"doc_id": "NEW", "genre": "news", "text": "Appended."}) + "\n")
        calls.append(part.index)
        return out

    monkeypatch.setattr(run_module, "_run_one", appending)
    directory = tmp_path / "p" / "c"
    with pytest.raises(CorpusError, match=rf"^{path}: changed while it was read .*; nothing of this run was kept "
                                          rf"\({directory} still holds the previous complete run\)$"):
        run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)
    assert _ids(directory) == ["d0", "d1", "d2", "d3"]
    assert current_partitioned(path, processed_dir=tmp_path / "p") is None  # of another input: not current
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["c"]


# --- 2. a run killed between the renames of its swap, or after carrying the user's files -------------------------
def test_a_run_killed_between_the_renames_is_put_back_with_the_user_s_notes(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", ["d0", "d1"])
    run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)
    (tmp_path / "p" / "c" / "notes.md").write_text("my notes", encoding="utf-8")
    _write(path, ["e0", "e1", "e2"])
    rc = _child("""
        import os
        from pathlib import Path
        import framing.backends.run as R
        rename = Path.rename
        def killed(self, target):
            out = rename(self, target)
            if str(target).endswith("-old"):
                os._exit(9)
            return out
        Path.rename = killed
        R.run_partitioned("c.jsonl", processed_dir="p", partition_bytes=10)
    """, tmp_path)
    assert rc == 9
    names = sorted(p.name for p in (tmp_path / "p").iterdir())
    assert "c" not in names and len([n for n in names if n.startswith(".c.partial-")]) == 2
    path.write_text(path.read_text(encoding="utf-8") + "{bad\n", encoding="utf-8")  # the next run fails
    with pytest.warns(UserWarning, match=r"c: put back from \.c\.partial-\d+, left by a run \(process \d+\) killed "
                                         r"while it swapped its folder in \(that run had finished\)"), \
            pytest.raises(CorpusError, match="line 4"):
        run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)
    assert _ids(tmp_path / "p" / "c") == ["e0", "e1", "e2"]  # the killed run had finished: its folder is NAME/
    assert (tmp_path / "p" / "c" / "notes.md").read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["c"]


def test_a_run_killed_after_carrying_the_user_s_files_gives_them_back(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", ["d0", "d1"])
    run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)
    (tmp_path / "p" / "c" / "notes.md").write_text("my notes", encoding="utf-8")
    rc = _child("""
        import os
        import framing.backends.run as R
        carry = R.carry_previous
        def killed(*args):
            carry(*args)
            os._exit(9)
        R.carry_previous = killed
        R.run_partitioned("c.jsonl", processed_dir="p", partition_bytes=10)
    """, tmp_path)
    assert rc == 9
    assert not (tmp_path / "p" / "c" / "notes.md").exists()  # in the killed run's folder
    _write(path, ["e0"])
    run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)
    assert _ids(tmp_path / "p" / "c") == ["e0"]
    assert (tmp_path / "p" / "c" / "notes.md").read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["c"]


def test_a_folder_whose_user_files_cannot_go_back_is_kept_with_a_warning(tmp_path: Path) -> None:
    directory, folder = tmp_path / "c", tmp_path / ".c.partial-1"
    (folder / "documents").mkdir(parents=True)
    (folder / "notes.md").write_text("mine", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"\.c\.partial-1: kept, it holds notes\.md, which could not go back"):
        discard(folder, directory)  # no c/ to go back into
    assert (folder / "notes.md").read_text(encoding="utf-8") == "mine"


def test_a_run_stops_naming_a_kept_folder_that_has_its_own_name(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", ["d0"])
    kept = tmp_path / "p" / f".c.partial-{os.getpid()}"  # a killed run's, its pid now this process's
    kept.mkdir(parents=True)
    (kept / "notes.md").write_text("mine", encoding="utf-8")
    with pytest.warns(UserWarning, match="kept, it holds notes.md"), \
            pytest.raises(OutputError, match=rf"^{kept}: kept by an earlier run, it holds files of yours"):
        run_partitioned(path, processed_dir=tmp_path / "p")
    assert (kept / "notes.md").read_text(encoding="utf-8") == "mine"


# --- 3. two runs of one name ---------------------------------------------------------------------------------------
def _manifest(name: str) -> dict[str, object]:
    return {"name": name, "backend": "stream", "source_key": "k", "tables": ["documents"], "counts": {},
            "parts": {}}


def test_two_runs_of_one_name_carrying_then_swapping_in_turn_keep_the_user_s_notes(tmp_path: Path) -> None:
    directory = tmp_path / "c"
    (directory / "documents").mkdir(parents=True)
    (directory / "manifest.json").write_text(json.dumps(_manifest("previous")), encoding="utf-8")
    (directory / "notes.md").write_text("my notes", encoding="utf-8")
    works = [tmp_path / ".c.partial-1", tmp_path / ".c.partial-2"]
    for work in works:
        (work / "documents").mkdir(parents=True)
    # run 1 carries the notes out, then run 2 carries what is left (nothing), then each swaps in turn
    for work in works:
        carry_previous(directory, work, _manifest(work.name))
    for work in works:
        (work / "manifest.json").write_text(json.dumps(_manifest(work.name)), encoding="utf-8")
        discard(swap_in(work, directory), directory)
    assert json.loads((directory / "manifest.json").read_text(encoding="utf-8"))["name"] == ".c.partial-2"
    assert (directory / "notes.md").read_text(encoding="utf-8") == "my notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c"]


def test_carrying_and_swapping_hold_the_lock_of_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import fcntl

    path = _write(tmp_path / "c.jsonl", ["d0"])
    held: list[bool] = []
    swap = run_module.swap_in

    def probing(work: Path, directory: Path) -> Path:
        fd = os.open(directory.parent, os.O_RDONLY)  # another open file: blocked while the run holds the lock
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held.append(False)
        except BlockingIOError:
            held.append(True)
        finally:
            os.close(fd)
        return swap(work, directory)

    monkeypatch.setattr(run_module, "swap_in", probing)
    run_partitioned(path, processed_dir=tmp_path / "p")
    assert held == [True]


# --- 4. an in-memory preparation's tables are the previous run's output -----------------------------------------
def test_a_memory_preparation_s_tables_are_not_carried_into_a_stream_run(tmp_path: Path) -> None:
    from framing.corpus import prepare_corpus

    path = _write(tmp_path / "c.jsonl", ["a1", "a2"])
    prepare_corpus(path, processed_dir=tmp_path / "p")
    (tmp_path / "p" / "c" / "notes.md").write_text("my notes", encoding="utf-8")
    _write(path, ["b1", "b2", "b3"])
    run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)
    directory = tmp_path / "p" / "c"
    assert sorted(p.name for p in directory.iterdir()) == [
        "documents", "manifest.json", "notes.md", "paragraphs", "removed_spans", "sentences"]
    assert _ids(directory) == ["b1", "b2", "b3"]


def test_unused_sheets_read_the_partitioned_documents_of_a_partitioned_run(tmp_path: Path) -> None:
    from framing.backends.study import unused_coded_sheets

    path = _write(tmp_path / "mine.jsonl", ["h1", "h2"])
    run_partitioned(path, processed_dir=tmp_path / "data" / "processed", name="mine")
    # a stale table of an older in-memory preparation beside the partitioned run's folders
    pd.DataFrame({"doc_id": ["old1"]}).to_parquet(tmp_path / "data" / "processed" / "mine" / "documents.parquet")
    (tmp_path / "mine_coded.csv").write_text("doc_id,sent_id,individual\nh2,0,1\n", encoding="utf-8")
    (tmp_path / "old_coded.csv").write_text("doc_id,sent_id,individual\nold1,0,1\n", encoding="utf-8")
    params = {"corpus": "mine.jsonl", "corpus_name": "mine", "coded": ["mine_coded.csv", "old_coded.csv"]}
    assert unused_coded_sheets([params], tmp_path) == {
        "old_coded.csv": "codes documents of another corpus (none of its 1 doc_id(s) is in corpus 'mine')"}


# --- 5. Ctrl-C once the swap is done --------------------------------------------------------------------------------
def test_ctrl_c_while_the_previous_folder_is_removed_leaves_this_run_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    path = _write(tmp_path / "c.jsonl", ["d0", "d1"])
    run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)
    _write(path, ["d0", "d1", "NEW"])
    rmtree = shutil.rmtree

    def interrupted(target: object, *args: object, **kwargs: object) -> None:
        if str(target).endswith("-old"):
            raise KeyboardInterrupt
        rmtree(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(shutil, "rmtree", interrupted)
    result = run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)
    monkeypatch.setattr(shutil, "rmtree", rmtree)
    assert result.counts["documents"] == 3
    assert _ids(tmp_path / "p" / "c") == ["d0", "d1", "NEW"]
    assert [p.name for p in (tmp_path / "p").iterdir() if p.name.endswith("-old")] == [f".c.partial-{os.getpid()}-old"]
    run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)  # the next run removes the leftover
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["c"]


def test_a_dead_run_s_folder_is_removed_also_when_the_name_holds_glob_characters(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", ["d0"])
    left = tmp_path / "p" / ".a[1].partial-999999999"  # a run of a[1] killed (no such process)
    (left / "documents").mkdir(parents=True)
    run_partitioned(path, name="a[1]", processed_dir=tmp_path / "p")
    assert sorted(p.name for p in (tmp_path / "p").iterdir()) == ["a[1]"]


def test_a_manifest_that_is_not_a_json_object_is_refused_by_the_readers(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", ["d0"])
    run_partitioned(path, processed_dir=tmp_path / "p")
    (tmp_path / "p" / "c" / "manifest.json").write_text("[]", encoding="utf-8")
    with pytest.raises(PartitionError, match=r"c/manifest\.json: not a JSON object \(a JSON list, not an object\)"):
        read_partitioned(tmp_path / "p" / "c", "documents")
    assert current_partitioned(path, processed_dir=tmp_path / "p") is None
