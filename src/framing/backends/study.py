"""The study's corpus preparation on a backend: ``framing run --backend memory|stream|dask``.

With ``memory`` (the default) every notebook prepares its corpus itself (:func:`framing.corpus.prepare_corpus`,
cached under ``data/processed/NAME/``). With ``stream`` or ``dask``, :func:`prepare_study_corpora` prepares
every corpus the notebooks name once, before the first notebook, with :func:`framing.backends.run_partitioned`
(partitioned Parquet under ``data/processed/NAME/TABLE/``); each notebook's :func:`framing.nbtools.setup` then
reads those tables (:func:`framing.backends.load_partitioned_corpus`), which equal the in-memory ones row for row.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from framing.backends.run import current_partitioned, run_partitioned
from framing.errors import ParameterError
from framing.paths import ProjectPaths
from framing.types import STUDY_BACKENDS, PathLike

__all__ = ["STUDY_BACKENDS", "prepare_study_corpora", "study_corpora"]

_COLUMNS = {"id_col": "doc_id", "text_col": "text", "genre_col": "genre"}


def study_corpora(parameter_sets: Sequence[Mapping[str, Any]], root: PathLike) -> list[dict[str, Any]]:
    """Return the distinct corpora the notebooks read: path (resolved against ``root``), name, column options.

    ``parameter_sets`` are the notebooks' full parameters (defaults included); a set without ``corpus`` or
    ``corpus_name`` is skipped.
    """
    base = Path(root)
    found: dict[tuple[str, ...], dict[str, Any]] = {}
    for params in parameter_sets:
        corpus, name = params.get("corpus"), params.get("corpus_name")
        if not isinstance(corpus, str) or not corpus or not isinstance(name, str) or not name:
            continue
        path = Path(corpus) if Path(corpus).is_absolute() else base / corpus
        options = {k: str(params.get(k, default)) for k, default in _COLUMNS.items()}
        key = (str(path), name, *options.values())
        found.setdefault(key, {"source": path, "name": name, **options})
    return list(found.values())


def prepare_study_corpora(
    parameter_sets: Sequence[Mapping[str, Any]],
    root: PathLike,
    *,
    backend: str = "memory",
    scheduler: str | None = None,
    workers: int | None = None,
    say: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    """Prepare every corpus of the study on ``backend`` into the project's ``data/processed/``.

    Returns one record per corpus (for ``provenance.json``): source, name, backend, partitions, the counts,
    the skipped bad records, seconds, and ``cached`` when a current partitioned preparation was reused.
    ``memory`` prepares nothing here (the notebooks do) and returns an empty list.

    Raises
    ------
    ParameterError
        An unknown ``backend``, or ``scheduler`` / ``workers`` given with another backend than ``dask``.
    """
    if backend not in STUDY_BACKENDS:
        raise ParameterError(f"backend must be one of {list(STUDY_BACKENDS)}, got {backend!r}")
    if backend != "dask" and (scheduler is not None or workers is not None):
        raise ParameterError(f"scheduler and workers apply to the dask backend only, not to {backend!r}")
    if backend == "memory":
        return []
    base = Path(root)
    processed = ProjectPaths(base).processed
    records = []
    for corpus in study_corpora(parameter_sets, base):
        source, name = corpus["source"], corpus["name"]
        options = {k: corpus[k] for k in _COLUMNS}
        t0 = time.perf_counter()
        manifest = current_partitioned(source, name=name, processed_dir=processed, **options)
        cached = manifest is not None
        if manifest is None:
            result = run_partitioned(source, name=name, backend=backend, processed_dir=processed, scheduler=scheduler,
                                     workers=workers, say=say, **options)
            manifest = {"partitions": result.n_partitions, "counts": result.counts, "skipped_records": len(
                result.skipped), "backend": backend}
        if say is not None:
            counts = manifest.get("counts") or {}
            say(f"framing: {name} prepared on {backend}" + (" (current, reused)" if cached else "")
                + f": {counts.get('documents', 0)} documents, {counts.get('sentences', 0)} sentences in "
                f"{manifest.get('partitions')} partition(s)")
        records.append({
            "corpus": os.path.relpath(source, base) if source.is_relative_to(base) else str(source),
            "name": name, "backend": str(manifest.get("backend", backend)), "cached": cached,
            "partitions": manifest.get("partitions"), "counts": manifest.get("counts"),
            "skipped_records": manifest.get("skipped_records", 0),
            "seconds": round(time.perf_counter() - t0, 3),
        })
    return records
