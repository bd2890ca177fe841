"""Where a partitioned run writes: a temporary folder beside ``NAME/``, swapped in only when the run succeeded.

A run that fails or is interrupted leaves the previous complete ``NAME/`` as it was and removes its own
temporary folder. A run killed outright leaves ``.NAME.partial-PID`` (and, killed between the two renames of the
swap, ``.NAME.partial-PID-old``, the previous run); the next run, once that process is gone, puts ``NAME/``
back first (:func:`recover`): the killed run's folder if it had finished (its ``manifest.json`` is written last),
else the previous run's. A folder of a run is removed only after the files in it that no preparation writes
(the user's notes, :data:`framing.paths.PREPARED_OUTPUT`) went back into ``NAME/``; one that cannot go back keeps
the folder, with a warning naming it. Recovering, carrying the user's files over and swapping take a lock on
the parent folder (:func:`folder_lock`), so that runs of one name swap one after the other. Tables of the
previous run that this run does not write (``blame`` kept by ``prepare``) are carried into the new folder
when they were made from the same input read the same way, and otherwise removed with a warning naming them;
tables of an in-memory preparation (``TABLE.parquet``) are the previous run's output and are removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from framing.errors import OutputError
from framing.io import TEMPORARY_NAME
from framing.paths import PREPARED_OUTPUT, PREPARED_TABLES, read_manifest

__all__: list[str] = []

_PARTIAL = ".{name}.partial-"


def run_folder(directory: Path, pid: int, old: bool = False) -> Path:
    """Return the temporary folder beside ``directory`` (``NAME/``) of the run of process ``pid``.

    ``.NAME.partial-PID``; with ``old``, where the previous ``NAME/`` goes during the swap (``.NAME.partial-PID-old``).
    The one rule of these names (:func:`_dead_runs` reads them back).
    """
    return directory.with_name(_PARTIAL.format(name=directory.name) + str(pid) + ("-old" if old else ""))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def _dead_runs(base: Path, name: str) -> dict[int, dict[str, Path]]:
    """Return the folders runs of ``name`` left whose process is gone (or is this one), by pid and kind."""
    prefix = _PARTIAL.format(name=name)
    found: dict[int, dict[str, Path]] = {}
    for folder in sorted(p for p in base.iterdir() if p.name.startswith(prefix)):  # not a glob: NAME may hold '['
        pid = folder.name[len(prefix):].removesuffix("-old")
        if not pid.isdigit() or folder not in (run_folder(base / name, int(pid)), run_folder(base / name, int(pid),
                                                                                              old=True)):
            continue
        if int(pid) == os.getpid() or not _alive(int(pid)):
            found.setdefault(int(pid), {})["old" if folder.name.endswith("-old") else "new"] = folder
    return found


def recover(base: Path, name: str) -> None:
    """Put back ``NAME/`` from what killed runs left, then remove their folders (:func:`discard`).

    When ``NAME/`` is missing (a run killed between the renames of its swap), the killed run's folder becomes
    ``NAME/`` if it holds a ``manifest.json`` (it had finished), else the previous run's (``-old``), with a warning.
    """
    directory = base / name
    dead = _dead_runs(base, name)
    for pid in sorted(dead):
        if directory.exists():
            break
        new, old = dead[pid].get("new"), dead[pid].get("old")
        back = new if new is not None and (new / "manifest.json").is_file() else old
        if back is not None:
            back.rename(directory)
            warnings.warn(f"{directory}: put back from {back.name}, left by a run (process {pid}) killed while it "
                          "swapped its folder in" + (" (that run had finished)" if back is new else
                                                     " (the previous complete run)"), UserWarning, stacklevel=3)
    for folders in dead.values():
        for folder in folders.values():
            discard(folder, directory)


def work_folder(base: Path, name: str, tables: tuple[str, ...]) -> Path:
    """Create and return the temporary folder of this run, with a folder per table in it (the tasks write there).

    What runs killed before left is recovered first (:func:`recover`), under :func:`folder_lock`.
    """
    base.mkdir(parents=True, exist_ok=True)
    with folder_lock(base):
        recover(base, name)
    work = run_folder(base / name, os.getpid())
    if work.exists():  # kept by recover (files that could not go back), its pid now this process's
        raise OutputError(f"{work}: kept by an earlier run, it holds files of yours (warned about above): move "
                          "them and remove the folder, then run again")
    work.mkdir()
    for t in tables:
        (work / t).mkdir()
    return work


@contextlib.contextmanager
def folder_lock(base: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``base`` itself, waiting for another run; released on exit or on death.

    Taken around the few renames that recover, carry and swap a run's folder (quick), so that runs of ``name``
    (and of other names in ``base``) do them one after the other; a lock on the folder leaves no file behind and
    none to take over from a killed run.
    """
    import fcntl

    fd = os.open(base, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _users(folder: Path) -> list[Path]:
    """Return what ``folder`` holds that no preparation writes (a table, ``manifest.json``, a temporary)."""
    return [p for p in sorted(folder.iterdir())
            if p.name not in PREPARED_OUTPUT and not TEMPORARY_NAME.fullmatch(p.name)]


def discard(folder: Path, directory: Path) -> None:
    """Remove a run's ``folder``, after moving the user's files in it (:func:`_users`) back into ``directory``.

    A file that cannot go back (``directory`` missing, or the name taken there) keeps the folder, with a warning
    naming both.
    """
    if not folder.is_dir():
        return
    stuck = []
    for p in _users(folder):
        if directory.is_dir() and not (directory / p.name).exists():
            shutil.move(str(p), str(directory / p.name))
        else:
            stuck.append(p.name)
    if stuck:
        warnings.warn(f"{folder}: kept, it holds {', '.join(stuck)}, which could not go back into {directory}: "
                      "move what you want to keep and remove the folder", UserWarning, stacklevel=3)
        return
    shutil.rmtree(folder, ignore_errors=True)


def remove_work(work: Path, directory: Path, tries: int = 5) -> None:
    """Remove this run's temporary folder (:func:`discard`), again if a task still finishing wrote into it."""
    for _ in range(tries):
        discard(work, directory)
        if not work.exists() or _users(work):
            return
        time.sleep(0.2)


def carry_previous(directory: Path, work: Path, manifest: dict[str, Any]) -> list[str]:
    """Move what ``directory`` holds besides the previous run's own output into ``work``; return the names moved.

    The previous run's tables that this run did not write (``blame`` kept by ``prepare``) are moved and listed
    in ``manifest`` when they were made from the same input read the same way (its ``source_key``), else left to
    be removed with the swap, with a warning naming them. Files of others (notes) are moved too; a temporary
    file a killed write left (:data:`framing.io.TEMPORARY_NAME`) and the tables of an in-memory preparation
    (``TABLE.parquet``, :data:`framing.paths.PREPARED_OUTPUT`) are not: they go with the previous run.
    """
    if not directory.is_dir():
        return []
    old = read_manifest(directory) or {}
    others = [t for t in old.get("tables", []) if t in PREPARED_TABLES and t not in manifest["tables"]
              and (directory / t).is_dir()]
    moved = [p.name for p in _users(directory)]
    if others and old.get("source_key") != manifest["source_key"]:
        warnings.warn(f"{directory}: the {', '.join(others)} table(s) of the previous run there are removed: they "
                      "were made from another input (or the same read differently) than this run's; run that "
                      "command again", UserWarning, stacklevel=3)
    elif others:
        moved += others
        for t in others:
            manifest["tables"].append(t)
            manifest["counts"][t] = old.get("counts", {}).get(t)
            manifest["parts"][t] = old.get("parts", {}).get(t, [])
            manifest[t] = old.get(t)
            manifest.setdefault("instruments", {})[t] = old.get("instruments", {}).get(t)
    for name in moved:
        shutil.move(str(directory / name), str(work / name))
    return moved


def put_back(work: Path, directory: Path, names: list[str]) -> None:
    """Undo :func:`carry_previous` (the run failed before its swap): move ``names`` back into ``directory``."""
    for name in names:
        if (work / name).exists() and directory.is_dir() and not (directory / name).exists():
            shutil.move(str(work / name), str(directory / name))


def swap_in(work: Path, directory: Path) -> Path:
    """Put ``work`` in the place of ``directory`` (renames in one parent); return where the old folder went.

    The caller removes that folder with :func:`discard` once the swap is done (outside what an interruption
    would undo: the run is complete then).
    """
    old = run_folder(directory, os.getpid(), old=True)
    discard(old, directory)
    if directory.exists():
        directory.rename(old)
    try:
        work.rename(directory)
    except BaseException:
        with contextlib.suppress(OSError):
            old.rename(directory)
        raise
    return old
