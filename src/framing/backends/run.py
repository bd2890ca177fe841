"""Preparing and scoring a corpus partition by partition: in process (streamed) or on Dask.

:func:`run_partitioned` cuts the corpus (:func:`framing.backends.partitions.plan_partitions`), and for each
partition reads its documents, cleans and segments them (:func:`framing.corpus.process_corpus`), optionally
labels the sentences with frames (:func:`framing.scoring.frame_table`) and writes each table as
``data/processed/NAME/TABLE/part-NNNNN.parquet`` (atomically). The same function runs on every partition
whatever the backend, and a document's tables depend only on the document, so the results are those of the
in-process path: the concatenated parts, in partition order, equal the in-memory tables row for row.

Backends:

The ``frames`` and ``blame`` tables are written when asked for.

* ``"stream"``: one partition after another in this process; memory is bounded by one partition.
* ``"dask"``: one ``dask.bag`` task per partition on a ``distributed`` cluster: a ``LocalCluster`` with one
  single-threaded worker process per core (``workers``), or an existing cluster (``scheduler="HOST:PORT"``,
  started with ``dask scheduler`` and ``dask worker HOST:PORT``), or ``scheduler="synchronous"`` (dask's
  single-threaded scheduler, for debugging and tests). Failed tasks are retried (``retries``). A cluster the
  run started is closed on the way out, also on Ctrl-C.

At the end the counts are checked end to end (documents read = documents written; the rows of every written
part, read back from the Parquet footers, equal what the tasks reported; sentences written = the sum of the
documents' ``n_sentences``; doc_ids unique across partitions) and written with the skipped bad records to
``manifest.json`` (written last: a directory without it is incomplete). The manifest records
:func:`source_fingerprint` of the input, so that :func:`load_partitioned_corpus` (what a notebook's
:func:`framing.nbtools.setup` calls first) can tell a current partitioned preparation from a stale one and read it
instead of preparing the corpus again in memory (``framing run --backend stream|dask``).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from framing._corpus_columns import mixed_as_text
from framing.backends.partitions import PARTITION_BYTES, Partition, plan_partitions, read_partition
from framing.corpus import (
    PROCESSING_VERSION,
    OptionStyle,
    ProcessedCorpus,
    check_safe_id_clashes,
    document_metadata,
    process_corpus,
    with_document_columns,
)
from framing.errors import CorpusError, FramingError, ParameterError, PartitionError
from framing.io import (
    LEFTOVER_AGE,
    atomic_path,
    check_output,
    remove_temporaries,
    sha256_bytes,
    sha256_file,
    write_json,
    write_parquet,
)
from framing.paths import corpus_stem, project_paths
from framing.progress import progress_bar
from framing.rawio import check_reading_options
from framing.types import PathLike

__all__ = [
    "BACKENDS",
    "PartitionedResult",
    "current_partitioned",
    "load_partitioned_corpus",
    "partitioned_state",
    "read_partitioned",
    "run_partitioned",
    "source_fingerprint",
    "write_partitioned_csv",
]

BACKENDS: tuple[str, ...] = ("stream", "dask")
PROCESSED_TABLES = ("documents", "paragraphs", "sentences", "removed_spans")


@dataclass(frozen=True)
class PartitionedResult:
    """What a partitioned run wrote: its folder, the tables, the counts and the skipped bad records."""

    name: str
    directory: Path
    tables: tuple[str, ...]
    n_partitions: int
    counts: dict[str, int]
    skipped: list[str] = field(default_factory=list)
    dashboard: str | None = None


def _part_name(index: int) -> str:
    return f"part-{index:05d}.parquet"


def _run_one(part: Partition, out_dir: str, read_opts: Mapping[str, Any], frame_opts: Mapping[str, Any] | None,
             blame_opts: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Read, process (and score) one partition; write its tables; return counts, ids and skipped records."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reported through the corpus issues, not once per worker
        corpus, skipped = read_partition(part, **read_opts)
        tables: dict[str, pd.DataFrame] = {}
        if len(corpus.documents):
            processed = process_corpus(corpus)
            tables = {t: getattr(processed, t) for t in PROCESSED_TABLES}
            if frame_opts is not None:
                from framing.scoring import frame_table

                tables["frames"] = frame_table(processed, **frame_opts)
            if blame_opts is not None:
                from framing.attribution import blame_attribution

                tables["blame"] = blame_attribution(processed, **blame_opts)
    for t, df in tables.items():
        write_parquet(df, Path(out_dir) / t / _part_name(part.index))
    docs = tables.get("documents")
    return {
        "index": part.index,
        "rows": {t: len(df) for t, df in tables.items()},
        "doc_ids": [] if docs is None else docs["doc_id"].tolist(),
        "original_ids": [] if docs is None or "original_id" not in docs else docs["original_id"].tolist(),
        "n_sentences_declared": 0 if docs is None else int(docs["n_sentences"].sum()),
        "skipped": skipped,
        "issues": list(corpus.issues),
    }


def _bokeh_available() -> bool:
    try:
        import bokeh  # noqa: F401
    except ImportError:
        return False
    return True


def _part_bytes(part: Partition) -> int:
    """Bytes of input a partition covers, where the plan knows them (JSON lines), else 0."""
    return max(part.end - part.start, 0) if part.kind == "jsonl" else 0


def _run_stream(task: Callable[[Partition], dict[str, Any]], parts: list[Partition], progress: bool
                ) -> list[dict[str, Any]]:
    """Run the partitions one after the other in this process, with a progress bar over partitions."""
    out = []
    with progress_bar(len(parts), enabled=progress, desc="partitions", unit="part") as bar:
        for part in parts:
            out.append(task(part))
            bar.update(1, _part_bytes(part))
    return out


def _gather(client: Any, parts: list[Partition], task: Callable[[Partition], dict[str, Any]], retries: int,
            progress: bool) -> list[dict[str, Any]]:
    """Submit one task per partition to a Dask client; advance the bar as partitions finish (any order)."""
    from distributed import as_completed

    futures = client.map(task, parts, retries=retries, pure=False)
    size = {f.key: _part_bytes(p) for f, p in zip(futures, parts, strict=True)}
    with progress_bar(len(parts), enabled=progress, desc="partitions", unit="part") as bar:
        for done in as_completed(futures):
            bar.update(1, size[done.key])
    return list(client.gather(futures))


@contextlib.contextmanager
def _quiet_distributed() -> Iterator[None]:
    """Silence ``distributed``'s loggers here and in the workers a LocalCluster starts, for the run's length.

    A failing task or Ctrl-C would otherwise print the workers' tracebacks (several times with retries) and the
    nannies' shutdown warnings; the run reports its own one-line error instead.
    """
    import logging

    names = ["distributed", *(n for n in logging.root.manager.loggerDict if n.startswith("distributed."))]
    levels = {n: logging.getLogger(n).level for n in names}
    env = os.environ.get(_DASK_LOG_ENV)
    os.environ[_DASK_LOG_ENV] = "critical"  # read by the worker processes when they import distributed
    for n in names:
        logging.getLogger(n).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for n, level in levels.items():
            logging.getLogger(n).setLevel(level)
        if env is None:
            os.environ.pop(_DASK_LOG_ENV, None)
        else:
            os.environ[_DASK_LOG_ENV] = env


_DASK_LOG_ENV = "DASK_LOGGING__DISTRIBUTED"


def _errors_as_results(task: Callable[[Partition], dict[str, Any]]) -> Callable[[Partition], dict[str, Any]]:
    """Return ``task`` returning a :class:`FramingError` (a bad record, ...) instead of raising it on the worker.

    Such an error is the input's, not the worker's: retrying it would fail again, and a raised error is logged
    by every worker that tries. The run raises the first one (in partition order) itself.
    """
    def run(part: Partition) -> dict[str, Any]:
        try:
            return task(part)
        except FramingError as exc:
            return {"index": part.index, "error": exc}

    return run


def _run_dask(task: Callable[[Partition], dict[str, Any]], parts: list[Partition], scheduler: str | None,
              workers: int | None, retries: int, say: Callable[[str], None], progress: bool = False
              ) -> tuple[list[dict[str, Any]], str | None]:
    results, link = _run_dask_tasks(_errors_as_results(task), parts, scheduler, workers, retries, say, progress)
    failed = sorted((r for r in results if "error" in r), key=lambda r: r["index"])
    if failed:
        raise failed[0]["error"]
    return results, link


def _run_dask_tasks(task: Callable[[Partition], dict[str, Any]], parts: list[Partition], scheduler: str | None,
                    workers: int | None, retries: int, say: Callable[[str], None], progress: bool = False
                    ) -> tuple[list[dict[str, Any]], str | None]:
    if scheduler == "synchronous":
        import dask.bag as db

        return list(db.from_sequence(parts, npartitions=max(1, len(parts))).map(task)
                    .compute(scheduler="synchronous")), None
    from distributed import Client, LocalCluster

    if scheduler is None:
        n = workers or os.cpu_count() or 1
        with _quiet_distributed(), \
                LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                             dashboard_address=":0" if _bokeh_available() else None,
                             preload=["framing.backends._dask_worker"]) as cluster, \
                Client(cluster) as client:
            link = client.dashboard_link if _bokeh_available() else None
            say(f"framing: dask LocalCluster with {n} worker(s) at {cluster.scheduler_address}; dashboard: "
                f"{link or 'not available (install bokeh)'}")
            return _gather(client, parts, task, retries, progress), link
    with Client(scheduler) as client:
        link = client.dashboard_link
        say(f"framing: dask cluster at {scheduler} ({len(client.scheduler_info()['workers'])} worker(s)); "
            f"dashboard: {link}")
        return _gather(client, parts, task, retries, progress), link


def _footer_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def _check_counts(results: list[dict[str, Any]], directory: Path, tables: tuple[str, ...]) -> dict[str, int]:
    """Check the counts end to end (see the module docstring); return the totals per table."""
    problems: list[str] = []
    totals = dict.fromkeys(tables, 0)
    for r in results:
        for t in tables:
            path = directory / t / _part_name(r["index"])
            expected = r["rows"].get(t)
            if expected is None:
                continue
            found = _footer_rows(path) if path.is_file() else -1
            if found != expected:
                problems.append(f"{path}: {found} row(s) on disk, the task reported {expected}")
            totals[t] += expected
    declared = sum(r["n_sentences_declared"] for r in results)
    if totals.get("sentences", 0) != declared:
        problems.append(f"{totals.get('sentences', 0)} sentence(s) written but the documents count {declared}")
    if "frames" in tables and totals["frames"] != totals["sentences"]:
        problems.append(f"{totals['frames']} frame row(s) for {totals['sentences']} sentence(s)")
    ids = [i for r in results for i in r["doc_ids"]]
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        dups = sorted({i for i in ids if i in seen or seen.add(i)})  # type: ignore[func-returns-value]
        problems.append(f"duplicate doc_id(s) across partitions: {dups[:50]}")
    if problems:
        raise CorpusError(f"{directory}: counts do not add up: " + "; ".join(problems))
    return totals


def run_partitioned(
    source: PathLike,
    *,
    name: str | None = None,
    backend: str = "stream",
    frames: Mapping[str, Any] | None = None,
    blame: Mapping[str, Any] | None = None,
    processed_dir: PathLike | None = None,
    partition_bytes: int = PARTITION_BYTES,
    on_bad_record: str = "fail",
    scheduler: str | None = None,
    workers: int | None = None,
    retries: int = 2,
    id_col: str = "doc_id",
    text_col: str = "text",
    genre_col: str = "genre",
    option_style: OptionStyle = "parameter",
    say: Callable[[str], None] | None = None,
    progress: bool = False,
    safe_ids: bool = False,
) -> PartitionedResult:
    """Prepare (and with ``frames``, score) ``source`` partition by partition into ``processed_dir/NAME/``.

    Parameters
    ----------
    source, name, id_col, text_col, genre_col, option_style
        As for :func:`framing.corpus.load_corpus`.
    backend : {"stream", "dask"}
        In process, one partition at a time, or on Dask (module docstring).
    frames : mapping, optional
        Keyword arguments of :func:`framing.scoring.frame_table` (``lexicon``, ``cues``, ``case``, ``rule``,
        ...); when given, a ``frames`` table is written too.
    blame : mapping, optional
        Keyword arguments of :func:`framing.attribution.blame_attribution` (``case``, ``targets``,
        ``target_window``); when given, a ``blame`` table is written too.
    processed_dir : path, optional
        Default ``data/processed``. The run replaces ``NAME/`` in it; a ``NAME/`` inside the corpus folder, inside
        ``data/raw`` or inside a folder holding a ``SHA256SUMS`` manifest is refused before anything is read
        (:func:`framing.io.check_output`).
    partition_bytes : int
        About this many bytes of input per partition (default 32 MiB).
    on_bad_record : {"fail", "skip"}
        What to do with a malformed JSONL line or an unreadable file (:mod:`framing.backends.partitions`).
    scheduler : str, optional
        Dask only: ``None`` starts a LocalCluster, ``"synchronous"`` runs in this thread, anything else is the
        address of a running scheduler.
    workers : int, optional
        Dask LocalCluster only: worker processes (default: the machine's cores).
    retries : int
        Dask: times a failed partition task is retried (a worker that died) before the run fails.
    say : callable, optional
        Where status lines (the cluster and dashboard addresses) go (default: standard error).
    progress : bool
        Show a progress bar over partitions (partitions done, MB/s of JSON-lines input, time left) on standard
        error when the run takes more than a few seconds (:mod:`framing.progress`).
    safe_ids : bool
        Rewrite ids unsafe as file names, as ``load_corpus(..., safe_ids=True)`` does (the original kept in
        ``original_id``); two ids that become one are refused, within a partition or across partitions.
    """
    if backend not in BACKENDS:
        raise ParameterError(f"backend must be one of {list(BACKENDS)}, got {backend!r}")
    if workers is not None and workers < 1:
        raise ParameterError(f"workers must be at least 1, got {workers}")
    check_reading_options(on_bad_record, safe_ids)
    emit = say or (lambda msg: print(msg, file=sys.stderr))
    path = Path(source)
    corpus_name = name or corpus_stem(path)
    base = Path(processed_dir) if processed_dir is not None else project_paths().processed
    directory = base / corpus_name
    check_output(directory, [path], kind="folder", option="processed_dir")
    parts = plan_partitions(path, partition_bytes=partition_bytes, genre_col=genre_col)
    tables = PROCESSED_TABLES + (("frames",) if frames is not None else ()) + (("blame",) if blame is not None else ())
    if directory.exists():
        (directory / "manifest.json").unlink(missing_ok=True)
        remove_temporaries(directory, older_than=LEFTOVER_AGE)  # a killed run's half-written manifest
        for t in (*PROCESSED_TABLES, "frames", "blame"):
            shutil.rmtree(directory / t, ignore_errors=True)
    read_opts = {"id_col": id_col, "text_col": text_col, "genre_col": genre_col, "name": corpus_name,
                 "on_bad_record": on_bad_record, "option_style": option_style, "safe_ids": safe_ids}
    frame_opts = dict(frames) if frames is not None else None
    blame_opts = dict(blame) if blame is not None else None

    def task(part: Partition) -> dict[str, Any]:
        return _run_one(part, str(directory), read_opts, frame_opts, blame_opts)

    dashboard = None
    if backend == "stream":
        results = _run_stream(task, parts, progress)
    else:
        results, dashboard = _run_dask(task, parts, scheduler, workers, retries, emit, progress)
    results.sort(key=lambda r: r["index"])
    if safe_ids:
        check_safe_id_clashes([i for r in results for i in r["doc_ids"]],
                              [i for r in results for i in r["original_ids"]],
                              f"{path} column {id_col!r} (across partitions)")
    totals = _check_counts(results, directory, tables)
    if totals["documents"] == 0:
        raise CorpusError(f"{path}: the corpus has no non-empty documents")
    skipped = [s for r in results for s in r["skipped"]]
    issues = [s for r in results for s in r["issues"]]
    write_json(directory / "manifest.json", {
        "name": corpus_name, "source": str(path), "backend": backend,
        "source_key": source_fingerprint(path, id_col=id_col, text_col=text_col, genre_col=genre_col,
                                         on_bad_record=on_bad_record, safe_ids=safe_ids),
        "on_bad_record": on_bad_record, "safe_ids": safe_ids, "partitions": len(parts),
        "partition_bytes": partition_bytes, "tables": list(tables), "counts": totals,
        "skipped_records": len(skipped), "skipped": skipped, "issues": issues,
        "parts": {t: [_part_name(r["index"]) for r in results if t in r["rows"]] for t in tables},
        "frames": _recorded_options(frame_opts), "blame": _recorded_options(blame_opts),
    })
    return PartitionedResult(corpus_name, directory, tables, len(parts), totals, skipped, dashboard)


def _recorded_options(options: Mapping[str, Any] | None) -> dict[str, str | None]:
    """Options as the manifest records them: text, and ``null`` (not ``'None'``) for an option not given."""
    return {k: None if v is None else str(v) for k, v in (options or {}).items()}


def source_fingerprint(source: PathLike, *, id_col: str = "doc_id", text_col: str = "text", genre_col: str = "genre",
                       on_bad_record: str = "fail", safe_ids: bool = False) -> str:
    """Return a key for a partitioned preparation of ``source``: what it read, how, and with which code.

    SHA-256 over the bytes of the corpus file (or of every file directly in the corpus folder, by name), the
    column options, ``on_bad_record``, ``safe_ids``, the shipped boilerplate rules and
    :data:`framing.corpus.PROCESSING_VERSION`. Files are hashed a block at a time (bounded memory).
    """
    from framing.clean import load_rules

    path = Path(source)
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    payload = {
        "files": {p.name: sha256_file(p) for p in files},
        "options": [id_col, text_col, genre_col, on_bad_record, bool(safe_ids)],
        "rules": load_rules(None).sha256,
        "version": PROCESSING_VERSION,
    }
    return sha256_bytes(json.dumps(payload, sort_keys=True).encode("utf-8"))


def current_partitioned(source: PathLike, *, name: str | None = None, id_col: str = "doc_id", text_col: str = "text",
                        genre_col: str = "genre", processed_dir: PathLike | None = None, on_bad_record: str = "fail",
                        safe_ids: bool = False) -> dict[str, Any] | None:
    """Return the manifest of a current partitioned preparation of ``source`` (``processed_dir/NAME/``), or None.

    Current: written by :func:`run_partitioned` with the :func:`source_fingerprint` of ``source`` read with the
    same column options, ``on_bad_record`` and ``safe_ids`` (a preparation that skipped bad records is never
    taken for a ``fail`` reading, which must fail, nor the reverse), and every processed table has its parts.
    """
    path = Path(source)
    base = Path(processed_dir) if processed_dir is not None else project_paths().processed
    directory = base / (name or corpus_stem(path))
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("backend") not in BACKENDS or not path.exists():
        return None
    key = source_fingerprint(path, id_col=id_col, text_col=text_col, genre_col=genre_col,
                             on_bad_record=on_bad_record, safe_ids=safe_ids)
    if manifest.get("source_key") != key or not all(_parts(directory, t) for t in PROCESSED_TABLES):
        return None
    return manifest


def load_partitioned_corpus(source: PathLike, *, name: str | None = None, id_col: str = "doc_id",
                            text_col: str = "text", genre_col: str = "genre",
                            processed_dir: PathLike | None = None, on_bad_record: str = "fail",
                            safe_ids: bool = False) -> ProcessedCorpus | None:
    """Return the processed corpus a partitioned run wrote for ``source``, or ``None`` if absent or stale.

    Reads ``processed_dir/NAME/`` (default ``data/processed``) when its ``manifest.json`` is that of
    :func:`run_partitioned` and records the :func:`source_fingerprint` of ``source`` read with the same column
    options, ``on_bad_record`` and ``safe_ids``; the tables are the concatenated parts, in partition order (the
    in-memory tables row for row).
    """
    path = Path(source)
    base = Path(processed_dir) if processed_dir is not None else project_paths().processed
    directory = base / (name or corpus_stem(path))
    manifest = current_partitioned(path, name=name, id_col=id_col, text_col=text_col, genre_col=genre_col,
                                   processed_dir=base, on_bad_record=on_bad_record, safe_ids=safe_ids)
    if manifest is None:
        return None
    tables = {t: read_partitioned(directory, t) for t in PROCESSED_TABLES}
    return ProcessedCorpus(tables["documents"], tables["paragraphs"], tables["sentences"], tables["removed_spans"],
                           str(manifest.get("name", directory.name)), directory,
                           tuple(str(i) for i in manifest.get("issues", [])))


def _parts(directory: Path, table: str) -> list[Path]:
    return sorted((Path(directory) / table).glob("part-*.parquet"))


def _complete_parts(directory: Path, table: str, allow_incomplete: bool) -> list[Path]:
    """Return the parts of ``table`` in ``directory``, after checking them against ``manifest.json``.

    Raises :class:`PartitionError` (naming the folder) when the folder has no manifest (an interrupted or failed
    run) or its parts are not those the manifest lists; with ``allow_incomplete`` warns with the counts instead.
    """
    parts = _parts(directory, table)
    found = [p.name for p in parts]
    problem = None
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except OSError:
        problem = (f"{directory}: no manifest.json, so the run that wrote it did not finish (interrupted or "
                   f"failed); {len(found)} {table} part(s) on disk")
    except ValueError as exc:
        problem = f"{directory}/manifest.json: not JSON ({exc})"
    else:
        listed = manifest.get("parts", {}).get(table) if isinstance(manifest, dict) else None
        if isinstance(listed, list):
            missing = sorted(set(listed) - set(found))
            extra = sorted(set(found) - set(listed))
            if missing or extra:
                problem = (f"{directory}: {table} has {len(found)} part(s) on disk, manifest.json lists "
                           f"{len(listed)}; missing {missing[:10]}, not listed {extra[:10]}")
        elif isinstance(manifest, dict) and table in manifest.get("counts", {}):  # manifest of an older version
            rows = sum(_footer_rows(p) for p in parts)
            if rows != manifest["counts"][table]:
                problem = (f"{directory}: {table} has {rows} row(s) on disk, manifest.json counts "
                           f"{manifest['counts'][table]}")
    if problem is not None:
        if not allow_incomplete:
            raise PartitionError(problem + " (pass allow_incomplete=True to read what is there)")
        import warnings

        from framing.rawio import CorpusWarning

        warnings.warn(f"reading an incomplete partitioned folder: {problem}", CorpusWarning, stacklevel=3)
    return parts


def read_partitioned(directory: PathLike, table: str, *, allow_incomplete: bool = False,
                     columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Read one table of a partitioned run (all its parts, in partition order; ``columns`` only) into memory.

    Raises
    ------
    PartitionError
        If the folder has no ``manifest.json`` (the run was interrupted or failed) or its parts are not those the
        manifest lists, unless ``allow_incomplete=True`` (then a warning gives the counts).
    CorpusError
        If the table has no parts.
    """
    parts = _complete_parts(Path(directory), table, allow_incomplete)
    if not parts:
        raise CorpusError(f"{directory}: no {table}/part-*.parquet (run `framing prepare --backend ...` first)")
    cols = list(columns) if columns is not None else None
    out = pd.concat([pd.read_parquet(p, columns=cols) for p in parts], ignore_index=True)
    if table != "documents":
        return out
    # a metadata column of text in one partition and numbers in another: text, as the memory backend reads it
    where = [f"document {d}" for d in out["doc_id"]] if "doc_id" in out else [f"row {i}" for i in range(len(out))]
    return mixed_as_text(out, [c for c in out.columns if c != "doc_id"], str(directory), where)


def partitioned_state(directory: PathLike) -> str:
    """Say what an interrupted or failed run left in ``directory`` (``data/processed/NAME``), in one sentence.

    Every part on disk is whole (parts are written atomically), but a partition may have some of its tables
    only; without ``manifest.json`` the folder reads as an unfinished run, which :func:`read_partitioned`
    refuses.
    """
    folder = Path(directory)
    if (folder / "manifest.json").is_file():
        return f"{folder} still holds the previous complete run (its manifest.json); nothing of this run was written"
    tables = [t for t in (*PROCESSED_TABLES, "frames", "blame") if (folder / t).is_dir()]
    indices = [{int(p.name[5:10]) for p in _parts(folder, t)} for t in tables]
    done = sorted(set.intersection(*indices)) if indices else []
    cut = sorted(set.union(*indices) - set(done)) if indices else []

    def listing(numbers: list[int]) -> str:
        return ", ".join(map(str, numbers[:20])) + (f" and {len(numbers) - 20} more" if len(numbers) > 20 else "")

    finished = (f"{len(done)} partition(s) finished, every table of each on disk (partition(s) {listing(done)})"
                if done else "no partition finished")
    partly = f"; partition(s) {listing(cut)} have only some of their tables" if cut else ""
    return (f"{finished}{partly}; {folder} has no manifest.json, so it reads as an interrupted run "
            "(read_partitioned refuses it); run the command again to redo it")


def write_partitioned_csv(directory: PathLike, table: str, out: PathLike,
                          columns: Sequence[str] | None = None, *, allow_incomplete: bool = False,
                          document_columns: Sequence[str] = ()) -> Path:
    """Write one table of a partitioned run (its ``columns``) as one CSV, a part at a time.

    The CSV is that of :func:`framing.io.write_csv` on the whole table. The folder is checked as
    :func:`read_partitioned` checks it. ``document_columns`` are added from each part's documents
    (:func:`framing.corpus.with_document_columns`).
    """
    parts = _complete_parts(Path(directory), table, allow_incomplete)
    if not parts:
        raise CorpusError(f"{directory}: no {table}/part-*.parquet to write to {out}")
    # the documents' columns as the memory backend reads them (mixed types as text), once; the names are checked
    # against the documents' schema first
    docs = None
    if document_columns:
        import pyarrow.parquet as pq

        names = pq.read_schema(_complete_parts(Path(directory), "documents", allow_incomplete)[0]).names
        own = list(columns) if columns is not None else pq.read_schema(parts[0]).names
        # an unknown column or one the table has is refused before anything is read (on empty tables)
        with_document_columns(pd.DataFrame(columns=own), pd.DataFrame(columns=names), document_columns)
        docs = document_metadata(read_partitioned(directory, "documents", columns=["doc_id", *document_columns],
                                                  allow_incomplete=allow_incomplete), document_columns)
    with atomic_path(out) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        for i, p in enumerate(parts):
            df = pd.read_parquet(p)
            df = df if columns is None else df[list(columns)]
            if docs is not None:  # checked and converted once, above (the whole column decides how floats are written)
                df = df.merge(docs, on="doc_id", how="left", sort=False, validate="many_to_one")
            df.to_csv(fh, index=False, header=i == 0, lineterminator="\n", float_format="%.6g")
    return Path(out)
