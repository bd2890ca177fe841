"""Where a partitioned run writes: a temporary folder beside ``NAME/``, swapped in only when the run succeeded.

A run that fails or is interrupted leaves the previous complete ``NAME/`` as it was and removes its own
temporary folder; a run killed outright leaves ``.NAME.partial-PID``, which the next run removes once its
process is gone. Tables of the previous run that this run does not write (``blame`` kept by ``prepare``) are
carried into the new folder when they were made from the same input read the same way, and otherwise removed
with a warning naming them.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import warnings
from pathlib import Path
from typing import Any

from framing.io import TEMPORARY_NAME
from framing.paths import PREPARED_TABLES

__all__: list[str] = []

_PARTIAL = ".{name}.partial-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def work_folder(base: Path, name: str, tables: tuple[str, ...]) -> Path:
    """Create and return the temporary folder of this run, with a folder per table in it (the tasks write there).

    Temporary folders of runs whose process is gone are removed.
    """
    prefix = _PARTIAL.format(name=name)
    base.mkdir(parents=True, exist_ok=True)
    for old in base.glob(prefix + "*"):
        pid = old.name[len(prefix):].removesuffix("-old")
        if pid.isdigit() and (int(pid) == os.getpid() or not _alive(int(pid))):
            shutil.rmtree(old, ignore_errors=True)
    work = base / f"{prefix}{os.getpid()}"
    work.mkdir()
    for t in tables:
        (work / t).mkdir()
    return work


def remove_work(work: Path, tries: int = 5) -> None:
    """Remove this run's temporary folder, again if a task still finishing wrote into it meanwhile."""
    for _ in range(tries):
        shutil.rmtree(work, ignore_errors=True)
        if not work.exists():
            return
        time.sleep(0.2)


def read_manifest(directory: Path) -> dict[str, Any] | None:
    """Return the ``manifest.json`` of ``directory`` as a mapping, or ``None`` (absent, unreadable, not an object)."""
    try:
        found = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def carry_previous(directory: Path, work: Path, manifest: dict[str, Any]) -> list[str]:
    """Move what ``directory`` holds besides the previous run's own output into ``work``; return the names moved.

    The previous run's tables that this run did not write (``blame`` kept by ``prepare``) are moved and listed
    in ``manifest`` when they were made from the same input read the same way (its ``source_key``), else left to
    be removed with the swap, with a warning naming them. Files of others (notes) are moved too; a temporary
    file a killed write left (:data:`framing.io.TEMPORARY_NAME`) is not.
    """
    if not directory.is_dir():
        return []
    old = read_manifest(directory) or {}
    others = [t for t in old.get("tables", []) if t in PREPARED_TABLES and t not in manifest["tables"]
              and (directory / t).is_dir()]
    moved = [p.name for p in sorted(directory.iterdir()) if p.name != "manifest.json"
             and p.name not in PREPARED_TABLES and not TEMPORARY_NAME.fullmatch(p.name)]
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


def swap_in(work: Path, directory: Path) -> None:
    """Put ``work`` in the place of ``directory`` (renames in one parent; the old folder is removed after)."""
    old = directory.with_name(f"{_PARTIAL.format(name=directory.name)}{os.getpid()}-old")
    shutil.rmtree(old, ignore_errors=True)
    if directory.exists():
        directory.rename(old)
    try:
        work.rename(directory)
    except BaseException:
        with contextlib.suppress(OSError):
            old.rename(directory)
        raise
    shutil.rmtree(old, ignore_errors=True)
