"""The partitioned backends' options and run, shared by ``prepare``, ``frames``, ``blame``, ``topics`` and ``run``."""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from framing.errors import FramingWarning, ParameterError

__all__: list[str] = []


def _add_cluster_args(p: argparse.ArgumentParser, default: str | None, backend_help: str) -> None:
    """``--backend``, ``--scheduler`` and ``--workers`` (``prepare``, ``frames``, ``blame`` and ``run``)."""
    p.add_argument("--backend", default=default, choices=["memory", "stream", "dask"], help=backend_help)
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="dask: address of a running scheduler (`dask scheduler`, then `dask worker ADDRESS`; "
                        "an address that does not answer within 10 s, or a scheduler without a worker for 60 s, "
                        "stops the run); default: start a LocalCluster with one worker per core; 'synchronous' "
                        "runs in process")
    p.add_argument("--workers", type=int, default=None, help="dask LocalCluster: worker processes (default: cores)")


def _add_backend_args(p: argparse.ArgumentParser) -> None:
    """Options of the partitioned backends (``framing.backends``): streamed in process, or on Dask."""
    _add_cluster_args(p, "memory", "memory: whole corpus in memory (default); stream: partition by partition in "
                      "this process (bounded memory); dask: partitions on a Dask cluster. stream/dask write "
                      "partitioned Parquet under data/processed/NAME/TABLE/part-NNNNN.parquet (see docs/scale.md)")
    p.add_argument("--partition-mb", type=float, default=None,
                   help="stream/dask: about this many MB of input per partition (default: 32)")
    p.add_argument("--on-bad-record", default="fail", choices=["fail", "skip"],
                   help="every backend: a malformed JSONL line or unreadable file stops the run naming file and line "
                        "(fail, default, exit 2) or is skipped with a warning and counted in the summary and "
                        "manifest.json (skip)")
    p.add_argument("--processed-dir", default=None, help="stream/dask: where NAME/ goes (default: data/processed)")


def warn_ignored_flags(args: argparse.Namespace, names: Sequence[str], why: str) -> None:
    """Warn (one line) about the flags of ``names`` given on the command line that ``why`` makes no use of.

    A flag counts as given when its value is not ``None`` (their defaults are ``None``).
    """
    given = [f"--{name.replace('_', '-')}" for name in names if getattr(args, name, None) is not None]
    if given:
        warnings.warn(f"{', '.join(given)} {'has' if len(given) == 1 else 'have'} no effect with {why} (ignored)",
                      FramingWarning, stacklevel=3)


def warn_unused_backend_flags(args: argparse.Namespace) -> None:
    """Warn about ``--scheduler``/``--workers``/``--partition-mb`` given to a backend that does not use them."""
    if args.backend == "memory":
        warn_ignored_flags(args, ("scheduler", "workers", "partition_mb"), "--backend memory")
    elif args.backend == "stream":
        warn_ignored_flags(args, ("scheduler", "workers"), "--backend stream")
    elif args.scheduler is not None:
        warn_ignored_flags(args, ("workers",), f"--scheduler {args.scheduler} (the cluster has its workers)")


def partitioned_folder(args: argparse.Namespace) -> Path:
    """``data/processed/NAME`` (or ``--processed-dir``/NAME) of a partitioned command."""
    from framing.paths import processed_folder

    return processed_folder(args.corpus, args.name, args.processed_dir)


def _reused(args: argparse.Namespace) -> Any:
    """``prepare`` without ``--force``: the manifest of a current partitioned preparation of the corpus, or None.

    The input's fingerprint it computes is kept in ``args.source_key`` for the run (the input is hashed once).
    """
    from framing.backends import current_partitioned, source_fingerprint

    if args.command != "prepare" or getattr(args, "force", False) or not Path(args.corpus).exists():
        return None
    args.source_key = source_fingerprint(args.corpus, id_col=args.id_col, text_col=args.text_col,
                                         genre_col=args.genre_col, on_bad_record=args.on_bad_record,
                                         safe_ids=bool(getattr(args, "safe_ids", False)),
                                         rules=getattr(args, "rules", None))
    return current_partitioned(args.corpus, name=args.name, id_col=args.id_col, text_col=args.text_col,
                               genre_col=args.genre_col, processed_dir=args.processed_dir,
                               on_bad_record=args.on_bad_record, safe_ids=bool(getattr(args, "safe_ids", False)),
                               source_key=args.source_key, rules=getattr(args, "rules", None))


def _run(args: argparse.Namespace, frames: dict[str, Any] | None, blame: dict[str, Any] | None, mb: float,
         quiet: bool) -> Any:
    """Call :func:`framing.backends.run_partitioned` with the command's options."""
    from framing.backends import run_partitioned

    return run_partitioned(
        args.corpus, name=args.name, backend=args.backend, frames=frames, blame=blame,
        processed_dir=args.processed_dir, partition_bytes=int(mb * 1024 * 1024), on_bad_record=args.on_bad_record,
        scheduler=args.scheduler, workers=args.workers, id_col=args.id_col, text_col=args.text_col,
        genre_col=args.genre_col, option_style="flag", progress=not quiet,
        say=(lambda _: None) if quiet else None, safe_ids=bool(getattr(args, "safe_ids", False)),
        source_key=getattr(args, "source_key", None), rules=getattr(args, "rules", None),
    )


def _partitioned_from_args(args: argparse.Namespace, frames: dict[str, Any] | None,
                           blame: dict[str, Any] | None = None) -> Any:
    """Run :func:`framing.backends.run_partitioned` for ``prepare``/``frames``/``blame``; print its summary.

    ``-q``: no progress bar, no cluster line, and the partitions' summary only for ``prepare`` (where it is the
    command's own summary line), so that every command prints the same line with ``-q`` on every backend; the
    warnings about the input are printed with or without ``-q``, as in memory. ``prepare`` reuses a current
    preparation unless ``--force``. ``args.partitioned_finished`` tells an interruption after the run (while
    the CSV is written) from one during it.
    """
    from framing.backends import PartitionedResult

    quiet = bool(getattr(args, "quiet", False))
    mb = 32.0 if args.partition_mb is None else args.partition_mb
    if mb <= 0:
        raise ParameterError(f"--partition-mb must be positive, got {mb}")
    warn_unused_backend_flags(args)
    manifest = _reused(args)
    if manifest is not None:
        from framing.backends._messages import emit_warnings

        directory = partitioned_folder(args)
        result = PartitionedResult(str(manifest["name"]), directory, tuple(manifest["tables"]),
                                   int(manifest["partitions"]), dict(manifest["counts"]), list(manifest["skipped"]),
                                   None, list(manifest.get("issues", [])))
        emit_warnings(result.warnings, directory / "manifest.json")  # as a run that reads the input again
    else:
        try:
            result = _run(args, frames, blame, mb, quiet)
        except KeyboardInterrupt as exc:
            args.partitioned_notes = list(getattr(exc, "__notes__", []))
            raise
    args.partitioned_finished = True
    if quiet and args.command != "prepare":
        return result
    c = result.counts
    noted = (f", {len(result.warnings)} warning(s) about the input (listed above and in manifest.json)"
             if result.warnings else "")
    how = "current preparation reused; --force rebuilds it" if manifest is not None else args.backend
    print(f"framing: {result.name}: {c['documents']} documents, {c['sentences']} sentences, "
          f"{c['removed_spans']} removed spans in {result.n_partitions} partition(s) ({how}); "
          f"{len(result.skipped)} bad record(s) skipped{noted} -> {result.directory}")
    return result
