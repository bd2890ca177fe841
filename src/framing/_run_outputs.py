"""What a notebook wrote into its reports folder under ``framing run``: the output manifest, read and cleared.

Private; :mod:`framing.runner` uses it. A notebook's kernel is started with :data:`framing.io.OUTPUTS_ENV` naming
``REPORTS/.outputs/NOTEBOOK.txt`` (:func:`outputs_env`), :func:`framing.io.note_output` lists there every file
and key result the notebook writes; before the notebook's next run they are set aside (:func:`set_aside`), and
after it either what was not written again is removed or, for a run that did not finish, all is put back
(:func:`settle`, :func:`restore_leftovers`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from framing.paths import report_paths
from framing.runtime import read_json
from framing.types import PathLike

__all__ = ["kept_outputs", "kernel_env", "outputs_env", "restore_leftovers", "set_aside", "settle"]


def _read_manifest(path: Path) -> tuple[list[str], list[str]]:
    """Return the files (relative paths) and keys an output manifest lists, in order, each once."""
    files: dict[str, None] = {}
    keys: dict[str, None] = {}
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            kind, _, value = line.partition("\t")
            if kind == "file" and value:
                files[value] = None
            elif kind == "key" and value:
                keys[value] = None
    return list(files), list(keys)


def _inside(root: Path, rel: str) -> Path | None:
    """``root / rel`` with symbolic links followed, when it stays inside ``root`` (else None)."""
    target = Path(os.path.realpath(root / rel))
    return target if target.is_relative_to(root) else None


def set_aside(out_dir: Path, notebook: PathLike) -> None:
    """Keep what ``notebook`` wrote in its last run (its output manifest) aside, before it runs again.

    The files stay where they are, linked (a hard link; a copy where links are not possible) into
    ``REPORTS/.previous/NOTEBOOK/`` with the manifest and the values of its keys: the new run replaces each file
    it writes again (atomically, so the link keeps the earlier content) and :func:`settle` then removes what it
    did not write again, or, when the run did not finish, puts everything back as it was. The index's links
    keep working meanwhile, even if the run is killed (the next run puts the earlier outputs back first:
    :func:`restore_leftovers`). ``framing run`` calls it holding the folder's lock.
    """
    import shutil

    from framing.io import write_json

    manifest = report_paths(out_dir).outputs_manifest(notebook)
    aside = report_paths(out_dir).aside(notebook)
    if aside.exists():  # a leftover of a killed run that was not restored: the state before it is gone
        shutil.rmtree(aside)
    (aside / "files").mkdir(parents=True)
    root = Path(os.path.realpath(out_dir))
    files, _ = _read_manifest(manifest)
    for rel in files:
        source = _inside(root, rel)
        if source is None or not source.is_file():
            continue
        kept = aside / "files" / rel
        kept.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, kept)
        except OSError:
            shutil.copy2(source, kept)
    stored = read_json(report_paths(out_dir).key_results)
    # every key as it stands (not only the manifest's): a folder from before manifests, or from a notebook run by
    # hand, has keys this run may rewrite without a manifest listing them
    write_json(aside / "keys.json", stored if isinstance(stored, dict) else {})
    if manifest.is_file():
        os.replace(manifest, aside / "manifest.txt")  # the new run writes a manifest of its own
    (aside / "complete").touch()  # the set-aside is whole: settle may trust it


def settle(out_dir: Path, notebook: PathLike, *, finished: bool) -> int:
    """End what :func:`set_aside` began for ``notebook``; return how many files and keys were removed or restored.

    ``finished``: the notebook ran to its end (ok or failed in a cell): what its earlier run wrote and this one
    did not write again is removed (a table a section no longer writes cannot pass for this run's), keys
    included. Not finished (interrupted): everything this run wrote is removed and the earlier outputs are put
    back, files, keys and manifest, as they were before it started (files it rewrote that no manifest listed too:
    :func:`framing.io.atomic_path` links them aside before replacing them).
    """
    import shutil

    from framing.io import write_json

    aside = report_paths(out_dir).aside(notebook)
    if not aside.is_dir():
        return 0
    manifest = report_paths(out_dir).outputs_manifest(notebook)
    root = Path(os.path.realpath(out_dir))
    old_files, old_keys = _read_manifest(aside / "manifest.txt")
    new_files, new_keys = _read_manifest(manifest)
    stored = read_json(report_paths(out_dir).key_results)
    stored = dict(stored) if isinstance(stored, dict) else {}
    changed = 0
    complete = (aside / "complete").is_file()
    if finished:
        (aside / "finished").touch()  # a kill from here on: the next run completes this, never undoes it
    if not finished and not complete:  # a set-aside cut short: nothing to restore from, the outputs stay
        if (aside / "manifest.txt").is_file():
            os.replace(aside / "manifest.txt", manifest)
        kept = stored
    elif finished:
        drop_files, drop_keys = set(old_files) - set(new_files), set(old_keys) - set(new_keys)
        for rel in sorted(drop_files):
            target = _inside(root, rel)
            if target is not None and target.is_file():
                target.unlink()
                changed += 1
        kept = {k: v for k, v in stored.items() if k not in drop_keys}
    else:
        files = aside / "files"  # linked at set_aside (the manifest's) or when first rewritten (framing.io)
        backed = {p.relative_to(files).as_posix() for p in files.rglob("*") if p.is_file()}
        for rel in sorted(set(new_files) - backed):  # written only by the unfinished run
            target = _inside(root, rel)
            if target is not None and target.is_file():
                target.unlink()
                changed += 1
        for rel in sorted(backed):
            target = _inside(root, rel)
            if target is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(files / rel, target)
                changed += 1
        before = read_json(aside / "keys.json")
        before = before if isinstance(before, dict) else {}
        kept = {k: v for k, v in stored.items() if k not in set(new_keys) | set(old_keys)}
        kept.update({k: before[k] for k in set(new_keys) | set(old_keys) if k in before})
        if (aside / "manifest.txt").is_file():
            os.replace(aside / "manifest.txt", manifest)
        else:
            manifest.unlink(missing_ok=True)
    if kept != stored:
        write_json(report_paths(out_dir).key_results, kept)
        changed += len(set(stored) ^ set(kept)) or 1
    shutil.rmtree(aside)
    with contextlib.suppress(OSError):  # .previous itself, once empty
        aside.parent.rmdir()
    return changed


@contextlib.contextmanager
def kept_outputs(out_dir: Path, notebook: PathLike) -> Iterator[None]:
    """Run the block (``notebook``'s run) between :func:`set_aside` and :func:`settle`.

    An interruption (``KeyboardInterrupt``: Ctrl-C, SIGTERM, SIGHUP) puts the earlier outputs back; a notebook
    that ran to its end or failed (a cell raised, its kernel died: recorded ``failed``, its outputs this run's, as
    ``provenance.json`` says) keeps what it wrote and loses what it did not write again.
    """
    set_aside(out_dir, notebook)
    finished = True
    try:
        yield
    except KeyboardInterrupt:
        finished = False  # Ctrl-C, SIGTERM, SIGHUP: the run stops; everything as it was
        raise
    finally:
        settle(out_dir, notebook, finished=finished)


def restore_leftovers(out_dir: Path, say: Callable[[str], None] = lambda line: None) -> list[str]:
    """Put back the earlier outputs a killed run had set aside (:func:`set_aside`); return the notebooks' names.

    A run killed (``kill -9``, a power cut) while a notebook ran left that notebook's outputs half rewritten; the
    next ``framing run`` into the folder calls this first, holding the lock, and the folder is as it was before
    the killed run started that notebook.
    """
    leftovers = report_paths(out_dir).previous
    if not leftovers.is_dir():
        return []
    names = sorted(p.name for p in leftovers.iterdir() if p.is_dir())
    for name in names:  # a settle that had begun for a finished notebook is completed, not undone
        settle(out_dir, name, finished=(leftovers / name / "finished").is_file())
        say(f"framing: {name}: the outputs a killed run had half rewritten are back as they were before it")
    return names


def outputs_env(out_dir: Path, notebook: PathLike) -> dict[str, str]:
    """Return the environment of ``notebook``'s kernel: this process's, with its output manifest (``OUTPUTS_ENV``)."""
    from framing.io import OUTPUTS_ENV

    return {**os.environ, OUTPUTS_ENV: str(report_paths(out_dir).outputs_manifest(notebook).resolve())}


@contextlib.contextmanager
def kernel_env(env: Mapping[str, str] | None) -> Iterator[None]:
    """Set ``env`` as this process's environment for the block (a kernel started in it inherits it)."""
    if env is None:
        yield
        return
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
