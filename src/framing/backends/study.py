"""The study's corpus preparation on a backend: ``framing run --backend memory|stream|dask``.

With ``memory`` (the default) every notebook prepares its corpus itself (:func:`framing.corpus.prepare_corpus`,
cached under ``data/processed/NAME/``). With ``stream`` or ``dask``, :func:`prepare_study_corpora` prepares
every corpus the notebooks name once, before the first notebook, with :func:`framing.backends.run_partitioned`
(partitioned Parquet under ``data/processed/NAME/TABLE/``); each notebook's :func:`framing.nbtools.setup` then
reads those tables (:func:`framing.backends.load_partitioned_corpus`), which equal the in-memory ones row for row.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from framing.backends.run import BACKENDS, current_partitioned, read_partitioned, run_partitioned, source_fingerprint
from framing.clean import load_rules
from framing.errors import ConfigError, FramingError, ParameterError
from framing.paths import ProjectPaths, shown_path
from framing.rawio import check_reading_options
from framing.types import READING_DEFAULTS, STUDY_BACKENDS, PathLike

__all__ = ["STUDY_BACKENDS", "memory_preparations", "prepare_study_corpora", "study_corpora", "unused_coded_sheets"]

_COLUMNS = READING_DEFAULTS
"""The notebooks' reading parameters and their defaults: column options, ``on_bad_record``, ``safe_ids``."""


def study_corpora(parameter_sets: Sequence[Mapping[str, Any]], root: PathLike) -> list[dict[str, Any]]:
    """Return the distinct corpora the notebooks read: path (resolved against ``root``), name, reading options.

    ``parameter_sets`` are the notebooks' full parameters (defaults included); a set without ``corpus`` or
    ``corpus_name`` is skipped. The reading options are the column options, ``on_bad_record``, ``safe_ids`` and the
    boilerplate ``rules`` (resolved against ``root`` and loaded once here).

    Raises
    ------
    ParameterError
        An ``on_bad_record`` other than ``fail`` or ``skip``, a ``safe_ids`` that is not a boolean, or a ``rules``
        file that cannot be read or holds a bad rule (naming the parameter), before any notebook runs.
    """
    base = Path(root)
    found: dict[tuple[str, ...], dict[str, Any]] = {}
    for params in parameter_sets:
        corpus, name = params.get("corpus"), params.get("corpus_name")
        if not isinstance(corpus, str) or not corpus or not isinstance(name, str) or not name:
            continue
        path = Path(corpus) if Path(corpus).is_absolute() else base / corpus
        options = {k: params.get(k, default) for k, default in _COLUMNS.items()}
        options.update({k: str(options[k]) for k in ("id_col", "text_col", "genre_col")})
        options["rules"] = _rules_path(options["rules"], base)
        check_reading_options(options["on_bad_record"], options["safe_ids"])
        key = (str(path), name, *map(str, options.values()))
        found.setdefault(key, {"source": path, "name": name, **options})
    return list(found.values())


def _rules_path(rules: object, base: Path) -> str:
    """Return the ``rules`` parameter resolved against the project root (``""``: the shipped rules)."""
    if not isinstance(rules, str):
        raise ParameterError(f"parameter 'rules' must be a path to a boilerplate rules file or \"\", got {rules!r}")
    if not rules:
        return ""
    path = str(Path(rules) if Path(rules).is_absolute() else base / rules)
    try:
        load_rules(path)  # a missing or bad rules file is refused before any notebook runs
    except ConfigError as exc:
        raise ParameterError(f"parameter 'rules': {exc}") from None
    return path


def _rules_record(corpus: Mapping[str, Any], base: Path) -> dict[str, str]:
    """``{"rules": PATH}`` for ``provenance.json`` when the corpus was cleaned with its own rules, else nothing."""
    return {"rules": shown_path(Path(corpus["rules"]), base)} if corpus["rules"] else {}


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
    base = Path(root)
    corpora = study_corpora(parameter_sets, base)  # the reading options checked on every backend
    if backend == "memory":
        return []
    processed = ProjectPaths(base).processed
    records = []
    for corpus in corpora:
        source, name = corpus["source"], corpus["name"]
        options = {k: corpus[k] for k in _COLUMNS}
        t0 = time.perf_counter()
        key = source_fingerprint(source, **options) if Path(source).exists() else None  # hashed once, used twice
        manifest = current_partitioned(source, name=name, processed_dir=processed, source_key=key, **options)
        cached = manifest is not None
        if manifest is None:
            result = run_partitioned(source, name=name, backend=backend, processed_dir=processed, scheduler=scheduler,
                                     workers=workers, say=say, source_key=key, **options)
            manifest = {"partitions": result.n_partitions, "counts": result.counts, "skipped_records": len(
                result.skipped), "backend": backend}
        if say is not None:
            counts = manifest.get("counts") or {}
            skipped = int(manifest.get("skipped_records", 0) or 0)
            say(f"framing: {name} prepared on {backend}" + (" (current, reused)" if cached else "")
                + f": {counts.get('documents', 0)} documents, {counts.get('sentences', 0)} sentences in "
                f"{manifest.get('partitions')} partition(s)"
                + (f"; {skipped} bad record(s) skipped (on_bad_record=skip)" if skipped else ""))
        records.append({
            "corpus": shown_path(source, base), "name": name, "backend": str(manifest.get("backend", backend)),
            "cached": cached, "partitions": manifest.get("partitions"), "counts": manifest.get("counts"),
            "on_bad_record": corpus["on_bad_record"], "safe_ids": corpus["safe_ids"], **_rules_record(corpus, base),
            "skipped_records": manifest.get("skipped_records", 0),
            "seconds": round(time.perf_counter() - t0, 3),
        })
    return records


def memory_preparations(parameter_sets: Sequence[Mapping[str, Any]], root: PathLike) -> list[dict[str, Any]]:
    """Return what the notebooks prepared in memory (``framing run --backend memory``), for ``provenance.json``.

    One record per corpus of :func:`study_corpora` whose ``data/processed/NAME/manifest.json``
    (:func:`framing.corpus.prepare_corpus`) was written for that source read with the same ``on_bad_record`` and
    ``safe_ids``: name, backend ``memory``, the counts and the skipped bad records, as
    :func:`prepare_study_corpora` records a partitioned preparation. A corpus no notebook prepared yet (or that
    failed to load) has no record.
    """
    from framing.paths import processed_name, read_manifest

    base = Path(root)
    records = []
    for corpus in study_corpora(parameter_sets, base):
        source = corpus["source"]
        name = processed_name(source, corpus["name"], base)
        manifest = read_manifest(ProjectPaths(base).processed / name)
        if manifest is None or "key" not in manifest \
                or Path(str(manifest.get("source"))).resolve() != source.resolve() \
                or manifest.get("on_bad_record", "fail") != corpus["on_bad_record"] \
                or manifest.get("safe_ids", False) != corpus["safe_ids"] \
                or manifest.get("rules_sha256") != load_rules(corpus["rules"]).sha256:
            continue
        records.append({
            "corpus": shown_path(source, base), "name": name, "backend": "memory",
            "counts": {"documents": manifest.get("n_documents"), "sentences": manifest.get("n_sentences")},
            "on_bad_record": corpus["on_bad_record"], "safe_ids": corpus["safe_ids"], **_rules_record(corpus, base),
            "skipped_records": manifest.get("skipped_records", 0),
        })
    return records


def _sheet_list(coded: object) -> list[str]:
    if isinstance(coded, str):
        return [coded] if coded.strip() else []
    return [str(c) for c in coded] if isinstance(coded, list | tuple) else []


def unused_coded_sheets(parameter_sets: Sequence[Mapping[str, Any]], root: PathLike) -> dict[str, str]:
    """Return the ``coded`` sheets the notebooks skipped, as provenance shows their paths, each with why.

    A sheet is skipped (:func:`framing.agreement.sheets_for_corpus`) when it is missing or codes none of the
    documents of the corpus the notebooks prepared (``data/processed/NAME/``): the seed corpus's sheets of the
    shipped study config on a user's corpus. A sheet is unused only when no notebook's corpus uses it; a corpus
    not prepared (yet) says nothing. ``provenance.json`` then lists the sheet under ``unused_inputs``, not
    ``inputs``.
    """
    import types

    import pandas as pd

    from framing.agreement import sheets_for_corpus
    from framing.paths import processed_name, read_manifest

    base = Path(root)
    skipped: dict[str, str] = {}
    used: set[str] = set()
    seen: set[tuple[Path, tuple[str, ...]]] = set()  # notebooks mostly share one corpus and its sheets: read once
    for params in parameter_sets:
        sheets = _sheet_list(params.get("coded"))
        corpus, name = params.get("corpus"), params.get("corpus_name")
        if not sheets or not isinstance(corpus, str) or not corpus or not isinstance(name, str) or not name:
            continue
        source = Path(corpus) if Path(corpus).is_absolute() else base / corpus
        folder = ProjectPaths(base).processed / processed_name(source, name, base)
        if (folder, tuple(sheets)) in seen:
            continue
        seen.add((folder, tuple(sheets)))
        try:  # the tables of the run whose manifest the folder holds: partitioned, else in memory
            ids = (read_partitioned(folder, "documents", columns=["doc_id"])
                   if (read_manifest(folder) or {}).get("backend") in BACKENDS
                   else pd.read_parquet(folder / "documents.parquet", columns=["doc_id"]))
        except (OSError, ValueError, FramingError):
            continue
        paths = [Path(p) if Path(p).is_absolute() else base / p for p in sheets]
        usable, reasons = sheets_for_corpus(paths, types.SimpleNamespace(documents=ids, name=name))
        used.update(shown_path(p, base) for p in usable)
        for path, reason in zip([p for p in paths if p not in usable], reasons, strict=True):
            skipped[shown_path(path, base)] = reason.removeprefix(f"{path}: ")
    return {k: v for k, v in sorted(skipped.items()) if k not in used}
