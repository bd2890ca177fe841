"""What a notebook wrote into its reports folder under ``framing run``: the output manifest, read and cleared.

Private; :mod:`framing.runner` uses it. A notebook's kernel is started with :data:`framing.io.OUTPUTS_ENV` naming
``REPORTS/.outputs/NOTEBOOK.txt`` (:func:`outputs_env`), :func:`framing.io.note_output` lists there every file
and key result the notebook writes, and the notebook's next run first removes them (:func:`clear_outputs`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from framing.paths import report_paths
from framing.runtime import read_json
from framing.types import PathLike

__all__ = ["clear_outputs", "kernel_env", "outputs_env"]


def clear_outputs(out_dir: Path, notebook: PathLike) -> int:
    """Remove what ``notebook`` wrote into ``out_dir`` in its last run (its output manifest); return how many.

    ``framing run`` calls it just before running the notebook again (holding the folder's lock), so that
    whatever the new run does not write again (a section skipped on another corpus, a key no longer recorded)
    is gone rather than read as the new run's (:func:`framing.io.note_output`). Files are removed only inside
    ``out_dir``; keys are removed from ``key_results.json``.
    """
    from framing.io import write_json

    manifest = report_paths(out_dir).outputs_manifest(notebook)
    if not manifest.is_file():
        return 0
    root = Path(os.path.realpath(out_dir))  # as note_output measured the paths: symbolic links followed
    keys: set[str] = set()
    removed = 0
    for line in manifest.read_text(encoding="utf-8").splitlines():
        kind, _, value = line.partition("\t")
        if kind == "key" and value:
            keys.add(value)
        elif kind == "file" and value:
            target = Path(os.path.realpath(root / value))
            if target.is_relative_to(root) and target.is_file():
                target.unlink()
                removed += 1
    results = report_paths(out_dir).key_results
    stored = read_json(results)
    if keys and isinstance(stored, dict) and keys & set(stored):
        write_json(results, {k: v for k, v in stored.items() if k not in keys})
        removed += len(keys & set(stored))
    manifest.unlink()
    return removed


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
