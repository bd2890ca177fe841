r"""Partitioned backends: streamed in process, Dask with 1 and 2 workers (issue 10).

Run: ``python -m benchmarks dask [--mb 500] [--stream-mb 2000] [--partition-mb 32] [--engines ...]``.

The BBC News corpus (``../shared/corpora/bbc-news-2004-2005.jsonl.gz``) is replicated (ids made unique per
copy) into ONE JSONL file of ``--mb`` MB of text in a temporary folder (``--stream-mb`` for the streamed row,
default the same). Every row runs :func:`framing.backends.run_partitioned` with frame scoring (the whole path
of ``framing frames --backend ...``: read a byte range, check, clean, segment, label frames, write five
partitioned Parquet tables) in a child process of its own:

* **stream**: one partition after another in the child; its peak memory is the child's (VmHWM).
  **stream-prepare** is the same without frame scoring (``framing prepare --backend stream``).
* **dask, 1 worker** and **dask, 2 workers**: a ``LocalCluster`` of single-threaded worker processes started by
  the child; each worker reports its own peak memory (VmHWM) before the cluster closes; the figure is the
  largest. The child (the client) is reported separately.

Wall time is the figure for the Dask rows (the work is in other processes); the speed-up is 1-worker wall /
2-worker wall, in the same run. On a machine whose cores are shared with other work the speed-up is bounded
by the cores actually free (the load average is printed with the results). The rows must agree on documents
and sentences (counted end to end by the backend).

Results: ``benchmarks/results/dask.csv`` and ``dask.md`` (``--stem`` for another name, e.g. ``dask-stream`` for a
separate run of the streamed rows on a larger input).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_pipeline import CORPUS, RESULTS, ROOT, peak_mb, read_bbc, results_head


def write_corpus(rows: list[dict[str, str]], path: Path, total_mb: float) -> float:
    """One JSONL file: ``rows`` replicated (ids unique per copy) until ``total_mb`` MB of text; returns MB."""
    size, copy = 0, 0
    with path.open("w", encoding="utf-8") as fh:
        while size < total_mb * 1e6:
            for r in rows:
                fh.write(json.dumps({**r, "doc_id": f"{r['doc_id']}_c{copy}"}, ensure_ascii=False) + "\n")
                size += len(r["text"].encode("utf-8"))
            copy += 1
    return size / 1e6


def run_row(engine: str, corpus: Path, out: Path, partition_mb: float) -> dict[str, Any]:
    """In the child: run the backend, return timings, counts and peak memory."""
    from framing.backends import run_partitioned

    opts: dict[str, Any] = {"name": "bench", "frames": {}, "processed_dir": out,
                            "partition_bytes": int(partition_mb * 1024 * 1024), "say": lambda _m: None}
    t0, c0 = time.perf_counter(), time.process_time()
    worker_peaks: list[float] = []
    if engine.startswith("stream"):
        if engine == "stream-prepare":
            opts["frames"] = None
        result = run_partitioned(corpus, backend="stream", **opts)
    else:
        from distributed import Client, LocalCluster

        n = int(engine.split("-")[1])
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            t0 = time.perf_counter()  # cluster start-up excluded
            result = run_partitioned(corpus, backend="dask", scheduler=cluster.scheduler_address, **opts)
            wall = time.perf_counter() - t0
            worker_peaks = sorted(client.run(peak_mb).values())
    wall = time.perf_counter() - t0 if engine.startswith("stream") else wall
    return {"engine": engine, "partitions": result.n_partitions, "documents": result.counts["documents"],
            "sentences": result.counts["sentences"], "wall": wall, "client_cpu": time.process_time() - c0,
            "client_peak_mb": peak_mb(), "worker_peak_mb": max(worker_peaks) if worker_peaks else float("nan"),
            "worker_peaks": " ".join(f"{p:.0f}" for p in worker_peaks)}


def in_child(engine: str, corpus: Path, out: Path, partition_mb: float) -> dict[str, Any] | str:
    cmd = [sys.executable, "-m", "benchmarks.bench_dask", "--engine", engine, "--corpus-file", str(corpus),
           "--out", str(out), "--partition-mb", str(partition_mb)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[len("RESULT "):]))
    return (proc.stderr.strip().splitlines() or ["no output"])[-1]


def report(results: list[dict[str, Any]], command: str, load: str, stem: str = "dask") -> tuple[Path, Path]:
    import pandas as pd

    from framing.io import atomic_write_text, write_csv

    RESULTS.mkdir(parents=True, exist_ok=True)
    csv_path = write_csv(pd.DataFrame(results), RESULTS / f"{stem}.csv")
    import importlib.metadata as md

    versions = ", ".join(f"{p} {md.version(p)}" for p in ("framing", "dask", "distributed", "pandas", "pyarrow"))
    lines = [*results_head("Partitioned backends: stream, Dask 1 and 2 workers (issue 10)", command,
                           f"python {sys.version.split()[0]}, {versions}", load),
             "| backend | MB | partitions | documents | sentences | wall s | MB/s | client peak RSS MB | "
             "worker peak RSS MB (each) |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in results:
        lines.append(f"| {r['engine']} | {r['mb']:.0f} | {r['partitions']} | {r['documents']} | {r['sentences']} | "
                     f"{r['wall']:.1f} | {r['mb'] / r['wall']:.2f} | {r['client_peak_mb']:.0f} | "
                     f"{r['worker_peaks'] or '-'} |")
    walls = {r["engine"]: r["wall"] for r in results}
    if "dask-1" in walls and "dask-2" in walls:
        lines += ["", f"Dask 2 workers / 1 worker: {walls['dask-1'] / walls['dask-2']:.2f}x (goal >= 1.7x)"]
    md_path = RESULTS / f"{stem}.md"
    atomic_write_text(md_path, "\n".join(lines) + "\n")
    return Path(csv_path), md_path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=500.0, help="MB of text for the Dask rows (default 500)")
    ap.add_argument("--stream-mb", type=float, default=None, help="MB for the streamed row (default: --mb)")
    ap.add_argument("--partition-mb", type=float, default=32.0, help="MB of input per partition (default 32)")
    ap.add_argument("--engines", default="dask-1,dask-2,stream",
                    help="rows to run, of stream, stream-prepare, dask-1, dask-2 (default: dask-1,dask-2,stream)")
    ap.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/results/")
    ap.add_argument("--stem", default="dask", help="results file names: benchmarks/results/STEM.csv/.md")
    ap.add_argument("--engine", help=argparse.SUPPRESS)
    ap.add_argument("--corpus-file", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.engine:
        print("RESULT " + json.dumps(run_row(args.engine, args.corpus_file, args.out, args.partition_mb)))
        return 0
    if not CORPUS.is_file():
        print(f"benchmarks.dask: {CORPUS} not found; skipped")
        return 0
    rows = read_bbc(CORPUS)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="framing-bench-dask-") as tmp:
        corpora: dict[float, tuple[Path, float]] = {}
        for engine in args.engines.split(","):
            want = (args.stream_mb or args.mb) if engine.startswith("stream") else args.mb
            if want not in corpora:
                for old, _ in corpora.values():
                    old.unlink()
                corpora = {want: (Path(tmp) / f"bbc-{want:.0f}.jsonl", 0.0)}
                corpora[want] = (corpora[want][0], write_corpus(rows, corpora[want][0], want))
            path, mb = corpora[want]
            out = Path(tmp) / "out"
            got = in_child(engine, path, out, args.partition_mb)
            shutil.rmtree(out, ignore_errors=True)
            if isinstance(got, str):
                print(f"{engine}: failed: {got}")
                return 1
            got["mb"] = mb
            print(f"{engine}: {mb:.0f} MB, {got['partitions']} partitions, {got['documents']} documents, "
                  f"{got['sentences']} sentences, {got['wall']:.1f} s wall, {mb / got['wall']:.2f} MB/s, "
                  f"client peak {got['client_peak_mb']:.0f} MB, worker peaks {got['worker_peaks'] or '-'} MB",
                  flush=True)
            results.append(got)
            if not args.no_write:  # after every row, so a long run that is stopped keeps the rows done
                command = "python -m benchmarks dask " + " ".join(argv if argv is not None else sys.argv[1:])
                load = " ".join(f"{x:.1f}" for x in os.getloadavg())
                for p in report(results, command.strip(), load, args.stem):
                    print(f"wrote {p}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
