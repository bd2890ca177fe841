"""Cost of the bad-input checks when reading text (issue 13).

Run: ``python -m benchmarks input`` (or ``python -m benchmarks.bench_input [--copies 4]``).

The texts of the BBC News corpus (``../shared/corpora/bbc-news-2004-2005.jsonl.gz``) are encoded as UTF-8 and
decoded two ways in the same run: the peer is a bare ``bytes.decode("utf-8-sig")`` (what the loader did before),
ours is :func:`framing.rawio.decode_text` (magic numbers, byte-order marks, NUL and control-character counts,
then UTF-8). Both are timed on the whole corpus joined and replicated ``--copies`` times (one large file) and on
every document separately (many small files). Then the corpus is written as a CSV (texts with their line breaks,
so every record runs over several lines) and read by :func:`framing.rawio.read_delimited` with the quoting checks
on the id and genre columns, against the same reader without key columns (the checks that need them skipped).
Times are CPU times of this process (``time.process_time``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from framing.rawio import decode_text, read_delimited

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "bbc-news-2004-2005.jsonl.gz"


def _cpu(fn: Callable[[bytes], str], items: list[bytes], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for item in items:
            fn(item)
        best = min(best, time.process_time() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    """Run the input benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4, help="replicate the joined corpus this many times")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    args = parser.parse_args(argv)
    if not CORPUS.is_file():
        print(f"bench_input: skipped, {CORPUS} not found")
        return 0
    lines = gzip.decompress(CORPUS.read_bytes()).splitlines()
    docs = [json.loads(line)["text"].encode("utf-8") for line in lines if line.strip()]
    big = b"\n".join(docs) * args.copies
    peers: list[tuple[str, Callable[[bytes], str]]] = [
        ("bytes.decode('utf-8-sig')", lambda b: b.decode("utf-8-sig")),
        ("framing.rawio.decode_text", lambda b: decode_text(b, "bench", [])),
    ]
    rows = []
    for name, fn in peers:
        rows.append((name, _cpu(fn, [big], args.repeat), _cpu(fn, docs, args.repeat)))
    print(f"one file of {len(big) / 1e6:.1f} MB; {len(docs)} documents ({sum(map(len, docs)) / 1e6:.1f} MB) one by one")
    print(f"{'decoder':30} {'one file (ms)':>14} {'MB/s':>8} {'per document (ms)':>18}")
    for name, t_big, t_docs in rows:
        print(f"{name:30} {t_big * 1000:14.1f} {len(big) / 1e6 / max(t_big, 1e-9):8.0f} {t_docs * 1000:18.1f}")
    print(f"overhead of the checks: x{rows[1][1] / max(rows[0][1], 1e-9):.1f} (one file), "
          f"x{rows[1][2] / max(rows[0][2], 1e-9):.1f} (documents)")
    records = [json.loads(line) for line in lines if line.strip()] * args.copies
    table = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(records))],
                          "text": [r["text"] for r in records], "genre": [r["category"] for r in records]})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bbc.csv"
        table.to_csv(path, index=False)
        plain = _cpu(lambda _: str(read_delimited(path, ",", [])[0].shape), [b""], args.repeat)
        checked = _cpu(lambda _: str(read_delimited(path, ",", [], key_cols=("doc_id", "genre"), genre_col="genre")[0]
                                     .shape), [b""], args.repeat)
        size = path.stat().st_size / 1e6
    print(f"CSV of {size:.1f} MB, {len(table)} records over {int(table['text'].str.count(chr(10)).sum())} inner "
          f"line breaks: read_delimited {plain * 1000:.0f} ms without key columns, {checked * 1000:.0f} ms with the "
          f"quoting checks (x{checked / max(plain, 1e-9):.2f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
