"""The partitioned backends' options and run, shared by ``prepare``, ``frames``, ``blame``, ``topics`` and ``run``."""

from __future__ import annotations

import argparse
from typing import Any

from framing.errors import ParameterError

__all__: list[str] = []


def _add_cluster_args(p: argparse.ArgumentParser, default: str | None, backend_help: str) -> None:
    """``--backend``, ``--scheduler`` and ``--workers`` (``prepare``, ``frames``, ``blame`` and ``run``)."""
    p.add_argument("--backend", default=default, choices=["memory", "stream", "dask"], help=backend_help)
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="dask: address of a running scheduler (`dask scheduler`, then `dask worker ADDRESS`); "
                        "default: start a LocalCluster with one worker per core; 'synchronous' runs in process")
    p.add_argument("--workers", type=int, default=None, help="dask LocalCluster: worker processes (default: cores)")


def _add_backend_args(p: argparse.ArgumentParser) -> None:
    """Options of the partitioned backends (``framing.backends``): streamed in process, or on Dask."""
    _add_cluster_args(p, "memory", "memory: whole corpus in memory (default); stream: partition by partition in "
                      "this process (bounded memory); dask: partitions on a Dask cluster. stream/dask write "
                      "partitioned Parquet under data/processed/NAME/TABLE/part-NNNNN.parquet (see docs/scale.md)")
    p.add_argument("--partition-mb", type=float, default=32.0,
                   help="stream/dask: about this many MB of input per partition (default: 32)")
    p.add_argument("--on-bad-record", default="fail", choices=["fail", "skip"],
                   help="every backend: a malformed JSONL line or unreadable file stops the run naming file and line "
                        "(fail, default, exit 2) or is skipped with a warning and counted in the summary and "
                        "manifest.json (skip)")
    p.add_argument("--processed-dir", default=None, help="stream/dask: where NAME/ goes (default: data/processed)")


def _partitioned_from_args(args: argparse.Namespace, frames: dict[str, Any] | None,
                           blame: dict[str, Any] | None = None) -> Any:
    """Run :func:`framing.backends.run_partitioned` for ``prepare``/``frames``/``blame``; print its summary.

    ``-q``: no progress bar, no cluster line, and the partitions' summary only for ``prepare`` (where it is the
    command's own summary line), so that every command prints the same line with ``-q`` on every backend.
    """
    from framing.backends import run_partitioned

    quiet = bool(getattr(args, "quiet", False))

    if args.partition_mb <= 0:
        raise ParameterError(f"--partition-mb must be positive, got {args.partition_mb}")
    result = run_partitioned(
        args.corpus, name=args.name, backend=args.backend, frames=frames, blame=blame,
        processed_dir=args.processed_dir,
        partition_bytes=int(args.partition_mb * 1024 * 1024), on_bad_record=args.on_bad_record,
        scheduler=args.scheduler, workers=args.workers, id_col=args.id_col, text_col=args.text_col,
        genre_col=args.genre_col, option_style="flag", progress=not quiet,
        say=(lambda _: None) if quiet else None, safe_ids=bool(getattr(args, "safe_ids", False)),
    )
    if quiet and args.command != "prepare":
        return result
    c = result.counts
    print(f"framing: {result.name}: {c['documents']} documents, {c['sentences']} sentences, "
          f"{c['removed_spans']} removed spans in {result.n_partitions} partition(s) ({args.backend}); "
          f"{len(result.skipped)} bad record(s) skipped -> {result.directory}")
    return result
