"""What ``framing`` subcommands print at the end: summary lines (the same on every backend) and Ctrl-C notes."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

__all__ = ["blame_line", "frame_count_columns", "frames_line", "interrupted_note"]


def frames_line(table: Any, n_sentences: int, out: str) -> str:
    """Return the summary line of ``framing frames`` (the same on every backend): sentences, and per frame."""
    frames = [c[2:] for c in table.columns if c.startswith("n_") and c[2:] in table.columns]
    carried = ", ".join(f"{f} {int(table[f].sum())}" for f in frames)
    return f"framing: {n_sentences} sentences ({carried}) -> {out}"


def frame_count_columns(directory: Path) -> list[str]:
    """Return the frame columns (and their ``n_`` counts) of a partitioned frames table (its first part's schema)."""
    import pyarrow.parquet as pq

    first = sorted((directory / "frames").glob("part-*.parquet"))[:1]
    names = pq.read_schema(first[0]).names if first else []
    return [c for c in names if (c.startswith("n_") and c[2:] in names) or f"n_{c}" in names]


def blame_line(blame: Any, out: str | Path) -> str:
    """Return the summary line of ``framing blame`` (the same on every backend)."""
    n_sent = blame[["doc_id", "sent_id"]].drop_duplicates().shape[0]
    return f"framing: {len(blame)} (sentence, blamer, target) row(s) from {n_sent} blame sentence(s) -> {out}"


def interrupted_note(args: argparse.Namespace) -> str:
    """Say what an interrupted command left behind, true for that command."""
    if args.command not in ("prepare", "frames", "blame"):
        return "finished outputs are intact, nothing half-written; provenance.json and index.html say what is stale"
    out = f"; {args.out} not written (any earlier file there is untouched)" if getattr(args, "out", None) else ""
    if args.backend == "memory":
        return f"nothing half-written{out}"
    from framing.backends import partitioned_state
    from framing.cli._backend import partitioned_folder

    notes = "".join(f"; {n}" for n in getattr(args, "partitioned_notes", []))
    return partitioned_state(partitioned_folder(args), bool(getattr(args, "partitioned_finished", False))) + notes + out
