"""Preparing and scoring a corpus partition by partition: in process (streamed) or on Dask.

:func:`run_partitioned` cuts the corpus (:func:`framing.backends.partitions.plan_partitions`), and for each
partition reads its documents, cleans and segments them (:func:`framing.corpus.process_corpus`), scores frames
and blame when asked for (:func:`framing.scoring.frame_table`, :func:`framing.attribution.blame_attribution`) and
writes each table as ``data/processed/NAME/TABLE/part-NNNNN.parquet`` (atomically). The same function runs on
every partition whatever the backend, and a document's tables depend only on the document, so the results are
those of the in-process path: the concatenated parts, in partition order, equal the in-memory tables row for row.

Backends:

* ``"stream"``: one partition after another in this process; memory is bounded by one partition.
* ``"dask"``: one ``dask.bag`` task per partition on a ``distributed`` cluster: a ``LocalCluster`` with one
  single-threaded worker process per core (``workers``), or an existing cluster (``scheduler="HOST:PORT"``,
  started with ``dask scheduler`` and ``dask worker HOST:PORT``), or ``scheduler="synchronous"`` (dask's
  single-threaded scheduler, for debugging and tests). Failed tasks are retried (``retries``). A cluster the
  run started is closed on the way out, also on Ctrl-C.

As each partition finishes, its ids are checked against those of the partitions before (a repeated id stops the
run naming its lines) and the code and lexicons it used against the driver's (:mod:`framing.backends._identity`).
At the end the counts are checked end to end (the rows of every written part, read back from the Parquet footers,
equal what the tasks reported; sentences written = the sum of the documents' ``n_sentences``) and written with the
skipped bad records, the input's warnings (:mod:`framing.backends._messages`, warned once here as in memory), the
code and the lexicons' fingerprints to ``manifest.json``. An error of the input in a partition (a bad record ...) is
a result (:func:`_run_one`), reported by :func:`framing.backends._messages.raise_failed` after the partitions'
warnings (also when a run fails, as in memory; an error of the run itself first). The run writes into a temporary
folder beside ``NAME/`` and swaps it in only then
(:mod:`framing.backends._folder`): a failed or interrupted run leaves the previous ``NAME/`` as it was. The
manifest records :func:`source_fingerprint` of the input, so that :func:`load_partitioned_corpus` (what a notebook's
:func:`framing.nbtools.setup` calls first) can tell a current partitioned preparation from a stale one and read it
instead of preparing the corpus again in memory (``framing run --backend stream|dask``).
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from framing._corpus_columns import mixed_as_text
from framing.backends._execute import run_dask, run_stream
from framing.backends._folder import (
    carry_previous,
    discard,
    folder_lock,
    put_back,
    remove_work,
    swap_in,
    work_folder,
)
from framing.backends._identity import (
    BLAME_LEXICONS,
    FRAME_LEXICONS,
    check_identity,
    code_identity,
    resolve_instruments,
)
from framing.backends._messages import IdTracker, emit_warnings, input_warnings, raise_failed
from framing.backends.partitions import PARTITION_BYTES, Partition, plan_partitions, read_partition
from framing.clean import RuleSet, load_rules
from framing.corpus import (
    PROCESSING_VERSION,
    OptionStyle,
    ProcessedCorpus,
    document_metadata,
    process_corpus,
    with_document_columns,
)
from framing.errors import CorpusError, FramingError, ParameterError, PartitionError
from framing.io import (
    atomic_path,
    check_output,
    sha256_bytes,
    sha256_file,
    write_json,
    write_parquet,
)
from framing.paths import check_finished_run, processed_folder, read_manifest
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
    warnings: list[str] = field(default_factory=list)
    """What the run warned about its input (bad records skipped, cp1252 fallbacks, empty documents dropped)."""


def _part_name(index: int) -> str:
    return f"part-{index:05d}.parquet"


def _run_one(part: Partition, out_dir: str, read_opts: Mapping[str, Any], frame_opts: Mapping[str, Any] | None,
             blame_opts: Mapping[str, Any] | None = None, read_only: bool = False) -> dict[str, Any]:
    """Run one partition (:func:`_process`), or with ``read_only`` only read it (``index``, ``skipped``, ``issues``).

    Its warnings are recorded, not shown: the driver warns once for the input (:mod:`framing.backends._messages`).
    An error of the input (a :class:`FramingError`: a bad record, a repeated id ...) is returned, not raised:
    ``{"index", "error", "issues"}``, the issues being the partition's warnings before it. Retrying it would fail
    again, and Dask would log it on every try; the driver reports it with every partition's warnings first.
    """
    import warnings

    from framing.rawio import CorpusWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")  # the input's warnings recorded, the rest (processing's) silenced as before
        warnings.simplefilter("always", CorpusWarning)
        try:
            if not read_only:
                return _process(part, out_dir, read_opts, frame_opts, blame_opts)
            corpus, skipped = read_partition(part, **_reading(read_opts))
            return {"index": part.index, "skipped": skipped, "issues": list(corpus.issues)}
        except FramingError as exc:
            return {"index": part.index, "error": exc, "issues": [str(w.message) for w in caught]}


def _reading(read_opts: Mapping[str, Any]) -> dict[str, Any]:
    """Return the options of :func:`read_partition` among ``read_opts`` (the boilerplate ``rules`` are not)."""
    return {k: v for k, v in read_opts.items() if k != "rules"}


def _process(part: Partition, out_dir: str, read_opts: Mapping[str, Any], frame_opts: Mapping[str, Any] | None,
             blame_opts: Mapping[str, Any] | None) -> dict[str, Any]:
    """Read, process (and score) one partition; write its tables; return counts, ids and what it read and used.

    The lexicons and case are loaded here, once, and their fingerprints returned with those of the code
    (:mod:`framing.backends._identity`). Nothing is written once ``out_dir`` is gone (the run was cancelled).
    """
    where: list[str] = []
    frame_opts, frame_ids = resolve_instruments(frame_opts, FRAME_LEXICONS)
    blame_opts, blame_ids = resolve_instruments(blame_opts, BLAME_LEXICONS)
    corpus, skipped = read_partition(part, **_reading(read_opts), where=where)
    tables: dict[str, pd.DataFrame] = {}
    if len(corpus.documents):
        processed = process_corpus(corpus, read_opts.get("rules"))
        tables = {t: getattr(processed, t) for t in PROCESSED_TABLES}
        if frame_opts is not None:
            from framing.scoring import frame_table

            model = frame_opts.pop("model", None)  # a learned model labels instead of the rule (``--model``)
            tables["frames"] = frame_table(processed, **frame_opts) if model is None else model.label_table(processed)
        if blame_opts is not None:
            from framing.attribution import blame_attribution

            tables["blame"] = blame_attribution(processed, **blame_opts)
    for t, df in tables.items():  # into the folders the driver made: none once it removed them (cancelled)
        if not (Path(out_dir) / t).is_dir():
            raise PartitionError(f"{out_dir}/{t}: gone (the run was cancelled); partition {part.index} not written")
        write_parquet(df, Path(out_dir) / t / _part_name(part.index))
    docs = tables.get("documents")
    return {
        "index": part.index,
        "rows": {t: len(df) for t, df in tables.items()},
        "doc_ids": [] if docs is None else docs["doc_id"].tolist(),
        "where": where,
        "original_ids": [] if docs is None or "original_id" not in docs else docs["original_id"].tolist(),
        "n_sentences_declared": 0 if docs is None else int(docs["n_sentences"].sum()),
        "skipped": skipped,
        "issues": list(corpus.issues),
        "code": code_identity(),
        "instruments": {"frames": frame_ids, "blame": blame_ids},
    }


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
    source_key: str | None = None,
    rules: PathLike | None = None,
) -> PartitionedResult:
    """Prepare (and with ``frames``, score) ``source`` partition by partition into ``processed_dir/NAME/``.

    Parameters
    ----------
    source, name, id_col, text_col, genre_col, option_style
        As for :func:`framing.corpus.load_corpus`.
    backend : {"stream", "dask"}
        In process, one partition at a time, or on Dask (module docstring).
    frames : mapping, optional
        Keyword arguments of :func:`framing.scoring.frame_table` (``lexicon``, ``case``, ``rule`` ...; or ``model``,
        a model file or ``"general"``, and ``case``); when given, a ``frames`` table is written too.
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
    source_key : str, optional
        The :func:`source_fingerprint` of ``source`` read with these options, when the caller has just computed
        it (as prepare's reuse check does); computed here otherwise. Either way it is the input before the
        partitions read it: computed again before the swap, a different key (the input changed while it was read)
        fails the run with a :class:`CorpusError` naming it, and the previous run is kept.
    rules : path, optional
        Boilerplate rules file (:func:`framing.clean.load_rules`; ``None`` or ``""``: the shipped rules), as for
        :func:`framing.corpus.prepare_corpus`; part of the :func:`source_fingerprint`.
    """
    if backend not in BACKENDS:
        raise ParameterError(f"backend must be one of {list(BACKENDS)}, got {backend!r}")
    if workers is not None and workers < 1:
        raise ParameterError(f"workers must be at least 1, got {workers}")
    check_reading_options(on_bad_record, safe_ids)
    emit = say or (lambda msg: print(msg, file=sys.stderr))
    path = Path(source)
    check_finished_run(path)
    directory = processed_folder(path, name, processed_dir)
    base, corpus_name = directory.parent, directory.name
    check_output(directory, [path], kind="folder", option="processed_dir")
    ruleset = load_rules(rules)  # a bad rules file stops here, before any partition (ConfigError naming file and line)
    fingerprint = functools.partial(source_fingerprint, path, id_col=id_col, text_col=text_col, genre_col=genre_col,
                                    on_bad_record=on_bad_record, safe_ids=safe_ids, rules=ruleset)
    key = source_key if source_key is not None else fingerprint()  # the input before the partitions read it
    parts = plan_partitions(path, partition_bytes=partition_bytes, genre_col=genre_col)
    tables = PROCESSED_TABLES + (("frames",) if frames is not None else ()) + (("blame",) if blame is not None else ())
    read_opts = {"id_col": id_col, "text_col": text_col, "genre_col": genre_col, "name": corpus_name,
                 "on_bad_record": on_bad_record, "option_style": option_style, "safe_ids": safe_ids,
                 "rules": None if rules in (None, "") else ruleset}  # as read once: the manifest's SHA-256
    frame_opts = dict(frames) if frames is not None else None
    blame_opts = dict(blame) if blame is not None else None
    code = code_identity()
    instruments = {"frames": resolve_instruments(frame_opts, FRAME_LEXICONS)[1],
                   "blame": resolve_instruments(blame_opts, BLAME_LEXICONS)[1]}
    ids = IdTracker(path, id_col)

    done: list[int] = []
    received: list[dict[str, Any]] = []  # every result, for the input's warnings also when the run fails

    def check(result: dict[str, Any]) -> None:
        received.append(result)
        check_identity(result, code, instruments, str(path))
        ids.add(result["index"], result["doc_ids"], result["where"], result["original_ids"])
        done.append(result["index"])

    work = work_folder(base, corpus_name, tables)
    notes: list[str] = []
    carried: list[str] = []
    swapped = False
    old = directory

    def task(part: Partition, read_only: bool = False) -> dict[str, Any]:
        return _run_one(part, str(work), read_opts, frame_opts, blame_opts, read_only)

    try:
        dashboard = None
        if backend == "stream":
            results = run_stream(task, parts, progress, check, functools.partial(task, read_only=True))
        else:
            results, dashboard = run_dask(task, parts, scheduler, workers, retries, emit, progress, check, notes)
        received[:] = results  # with the partitions that failed (and those only read after)
        raise_failed(results)
        results.sort(key=lambda r: r["index"])
        totals = _check_counts(results, work, tables)
        if totals["documents"] == 0:
            raise CorpusError(f"{path}: the corpus has no non-empty documents")
        skipped, said = input_warnings(path, results)
        manifest = {
            "name": corpus_name, "source": str(path), "backend": backend,
            "source_key": key,
            "on_bad_record": on_bad_record, "safe_ids": safe_ids, "partitions": len(parts),
            "rules": str(ruleset.source), "rules_sha256": ruleset.sha256,
            "partition_bytes": partition_bytes, "tables": list(tables), "counts": totals,
            "skipped_records": len(skipped), "skipped": skipped, "issues": said,
            "parts": {t: [_part_name(r["index"]) for r in results if t in r["rows"]] for t in tables},
            "frames": _recorded_options(frame_opts), "blame": _recorded_options(blame_opts),
            "code": code, "instruments": {t: instruments[t] for t in ("frames", "blame") if t in tables},
        }
        if fingerprint() != key:
            raise CorpusError(f"{path}: changed while it was read (its content differs from when the run started)")
        with folder_lock(base):  # runs of one name carry the user's files and swap one after the other
            carried = carry_previous(directory, work, manifest)
            write_json(work / "manifest.json", manifest)
            old = swap_in(work, directory)
            swapped = True
    except BaseException as exc:
        if swapped:  # interrupted on the way out of the lock: the run is complete
            exc.add_note(f"{directory} holds this run's complete preparation (manifest.json)")
        else:
            _undo(exc, work, directory, carried)
        if isinstance(exc, KeyboardInterrupt) and not swapped:
            exc.add_note(f"{len(done)} of {len(parts)} partition(s) had finished when the run stopped; their parts "
                         "went with the run's temporary folder")
            for note in notes:
                exc.add_note(note)
        # what the partitions warned about the input, before the error, as the memory backend shows it
        emit_warnings(input_warnings(path, received)[1], directory / "manifest.json" if swapped else None)
        raise
    with contextlib.suppress(KeyboardInterrupt):  # the run is complete; the next run removes what is left
        discard(old, directory)
    emit_warnings(said, directory / "manifest.json")
    return PartitionedResult(corpus_name, directory, tables, len(parts), totals, skipped, dashboard, said)


def _undo(exc: BaseException, work: Path, directory: Path, carried: list[str]) -> None:
    """Undo a run stopped before its swap (``exc``): put the user's files back, remove its folder, say so."""
    put_back(work, directory, carried)
    remove_work(work, directory)
    if isinstance(exc, FramingError) and not isinstance(exc, ParameterError):
        kept = (f"{directory} still holds the previous complete run" if (directory / "manifest.json").is_file()
                else f"{directory} was not written")
        exc.args = (f"{exc.args[0] if exc.args else exc}; nothing of this run was kept ({kept})", *exc.args[1:])


def _recorded_options(options: Mapping[str, Any] | None) -> dict[str, str | None]:
    """Options as the manifest records them: text, and ``null`` (not ``'None'``) for an option not given."""
    return {k: None if v is None else str(v) for k, v in (options or {}).items()}


def source_fingerprint(source: PathLike, *, id_col: str = "doc_id", text_col: str = "text", genre_col: str = "genre",
                       on_bad_record: str = "fail", safe_ids: bool = False,
                       rules: RuleSet | PathLike | None = None) -> str:
    """Return a key for a partitioned preparation of ``source``: what it read, how, and with which code.

    SHA-256 over the corpus file's bytes (or each file's directly in the corpus folder, by name), the column options,
    ``on_bad_record``, ``safe_ids``, the rules (a file, default the shipped ones, or rules read) and the processing
    version (:data:`framing.corpus.PROCESSING_VERSION`). Files are hashed a block at a time (bounded memory).
    """
    path = Path(source)
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    payload = {
        "files": {p.name: sha256_file(p) for p in files},
        "options": [id_col, text_col, genre_col, on_bad_record, bool(safe_ids)],
        "rules": (rules if isinstance(rules, RuleSet) else load_rules(rules)).sha256,
        "version": PROCESSING_VERSION,
    }
    return sha256_bytes(json.dumps(payload, sort_keys=True).encode("utf-8"))


def current_partitioned(source: PathLike, *, name: str | None = None, id_col: str = "doc_id", text_col: str = "text",
                        genre_col: str = "genre", processed_dir: PathLike | None = None, on_bad_record: str = "fail",
                        safe_ids: bool = False, source_key: str | None = None,
                        rules: PathLike | None = None) -> dict[str, Any] | None:
    """Return the manifest of a current partitioned preparation of ``source`` (``processed_dir/NAME/``), or None.

    Current: written by :func:`run_partitioned` with the :func:`source_fingerprint` of ``source`` read with the
    same column options, ``on_bad_record``, ``safe_ids`` and boilerplate ``rules`` (a preparation that skipped bad
    records is never taken for a ``fail`` reading, which must fail, nor the reverse), and every processed table has
    its parts.
    ``source_key``: that fingerprint, when the caller computed it (to pass it on to :func:`run_partitioned` when
    the preparation is not current: the input is hashed once).
    """
    path = Path(source)
    directory = processed_folder(path, name, processed_dir)
    manifest = read_manifest(directory)
    if manifest is None or manifest.get("backend") not in BACKENDS or not path.exists():
        return None
    key = source_key if source_key is not None else source_fingerprint(
        path, id_col=id_col, text_col=text_col, genre_col=genre_col, on_bad_record=on_bad_record, safe_ids=safe_ids,
        rules=rules)
    if manifest.get("source_key") != key or not all(_parts(directory, t) for t in PROCESSED_TABLES):
        return None
    return manifest


def load_partitioned_corpus(source: PathLike, *, name: str | None = None, id_col: str = "doc_id",
                            text_col: str = "text", genre_col: str = "genre",
                            processed_dir: PathLike | None = None, on_bad_record: str = "fail",
                            safe_ids: bool = False, rules: PathLike | None = None) -> ProcessedCorpus | None:
    """Return the processed corpus a partitioned run wrote for ``source``, or ``None`` if absent or stale.

    Reads ``processed_dir/NAME/`` (default ``data/processed``) when its ``manifest.json`` is that of
    :func:`run_partitioned` and records the :func:`source_fingerprint` of ``source`` read with the same column
    options, ``on_bad_record``, ``safe_ids`` and boilerplate ``rules``; the tables are the concatenated parts, in
    partition order (the in-memory tables row for row).
    """
    path = Path(source)
    directory = processed_folder(path, name, processed_dir)
    manifest = current_partitioned(path, name=directory.name, id_col=id_col, text_col=text_col, genre_col=genre_col,
                                   processed_dir=directory.parent, on_bad_record=on_bad_record, safe_ids=safe_ids,
                                   rules=rules)
    if manifest is None:
        return None
    tables = {t: read_partitioned(directory, t) for t in PROCESSED_TABLES}
    issues = [str(i) for i in manifest.get("issues", [])]
    emit_warnings(issues, directory / "manifest.json")  # what reading the corpus in memory warns about
    return ProcessedCorpus(tables["documents"], tables["paragraphs"], tables["sentences"], tables["removed_spans"],
                           str(manifest.get("name", directory.name)), directory,
                           tuple(issues))


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
        manifest = read_manifest(directory, strict=True) or {}
    except OSError:
        problem = (f"{directory} holds an interrupted or failed run (no manifest.json; {len(found)} {table} "
                   "part(s) on disk): rerun prepare")
    except ValueError as exc:
        problem = f"{directory}/manifest.json: not a JSON object ({exc})"
    else:
        listed = manifest.get("parts", {}).get(table)
        if isinstance(listed, list):
            missing = sorted(set(listed) - set(found))
            extra = sorted(set(found) - set(listed))
            if missing or extra:
                problem = (f"{directory}: {table} has {len(found)} part(s) on disk, manifest.json lists "
                           f"{len(listed)}; missing {missing[:10]}, not listed {extra[:10]}")
        elif table in manifest.get("counts", {}):  # manifest of an older version
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


def partitioned_state(directory: PathLike, finished: bool = False) -> str:
    """Say, in one sentence, what ``directory`` (``data/processed/NAME``) holds after a run stopped.

    ``finished``: the partitioned run itself had finished (swapped its folder in) before the command stopped.
    A run writes into a temporary folder beside ``NAME/`` and puts it in place only when it succeeded, so an
    unfinished run leaves ``NAME/`` as it was; a folder without ``manifest.json`` is one an older version left.
    """
    folder = Path(directory)
    manifest = read_manifest(folder)
    if finished and manifest is not None:
        return (f"{folder} holds this run's complete preparation ({manifest.get('partitions')} partition(s), "
                "manifest.json)")
    if manifest is not None:
        return (f"{folder} still holds the previous complete run (its manifest.json); this run's partitions went "
                "to a temporary folder, removed")
    if not folder.exists():
        return f"{folder} was not written (this run's partitions went to a temporary folder, removed)"
    tables = [t for t in (*PROCESSED_TABLES, "frames", "blame") if (folder / t).is_dir()]
    indices = [{int(p.name[5:10]) for p in _parts(folder, t)} for t in tables]
    done = sorted(set.intersection(*indices)) if indices else []
    return (f"{folder} holds an interrupted or failed run (no manifest.json; {len(done)} complete partition(s)), "
            "left by an earlier run: rerun prepare")


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
