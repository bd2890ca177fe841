"""Costs that grew too fast (issue 10): one large document, ``blame`` against ``frames``, ``lexicon check``.

Run: ``python -m benchmarks growth [--doc-mb 50] [--blame-mb 5 50] [--check-sizes 3000 12000 50000]``.

Each measurement runs in a child process of its own (peak memory is the child's ``VmHWM``; times are the child's
CPU seconds, ``time.process_time``), on the BBC News corpus (``../shared/corpora/``; skipped with a message when
absent):

* **one document**: the corpus joined into one text file of ``--doc-mb`` MB, loaded and prepared
  (:func:`framing.load_corpus` + :func:`framing.process_corpus`: clean, segment): CPU seconds and the peak
  memory above the process's memory once the text is loaded, as a multiple of the text's size. Goal: memory within
  a small constant of the input (the issue measured 57 s and 2.8 GB, 56 times the input, on 50 MB); the constant
  this benchmark holds to is 20.
* **blame against frames**: the corpus replicated to each ``--blame-mb`` size (as documents), prepared once (not
  timed), then :func:`framing.scoring.frame_table` (what ``framing frames`` computes) and
  :func:`framing.attribution.blame_attribution` (what ``framing blame`` computes) timed one after the other on
  the same prepared corpus. Goal: ``blame`` within 3x the cost of ``frames`` (the issue measured 287 s on 5 MB,
  and no end in 15 minutes on 50 MB).
* **lexicon check**: :func:`framing.lexicon.check_lexicon` on generated lexicons
  (:func:`benchmarks.bench_lexicon_check.generated`). Goal: 50,000 entries in under 10 s, about linear.

Results: ``benchmarks/results/growth.csv`` and ``growth.md`` (``--no-write``: print only); the README's table is
built from them (``python -m benchmarks readme``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

from benchmarks.bench_pipeline import CORPUS, RESULTS, peak_mb, read_bbc, results_head
from benchmarks.bench_study import load_average

DOC_LIMIT = 20.0
"""Peak memory above the loaded text, as a multiple of the text's size, that counts as a small constant."""
BLAME_LIMIT = 3.0
CHECK_LIMIT_S = 10.0


def _one_document(mb: float) -> dict[str, Any]:
    import framing

    rows = read_bbc(CORPUS)
    parts, size = [], 0
    while size < mb * 1e6:
        for r in rows:
            parts.append(r["text"])
            size += len(r["text"].encode("utf-8")) + 2
            if size >= mb * 1e6:
                break
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "one"
        folder.mkdir()
        (folder / "big.txt").write_text("\n\n".join(parts), encoding="utf-8")
        (folder / "metadata.csv").write_text("file,genre\nbig.txt,news\n", encoding="utf-8")
        del parts, rows
        t0 = time.process_time()
        corpus = framing.load_corpus(folder)
        load_s = time.process_time() - t0
        base = _rss_mb()
        t0 = time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            processed = framing.process_corpus(corpus)
        prep_s = time.process_time() - t0
        text_mb = len(corpus.documents["text"].iloc[0].encode("utf-8")) / 1e6
        return {"task": "one document", "mb": round(text_mb, 1), "load_s": round(load_s, 2),
                "prepare_s": round(prep_s, 2), "sentences": len(processed.sentences),
                "base_mb": round(base), "peak_mb": round(peak_mb()),
                "above_x": round((peak_mb() - base) / text_mb, 1)}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _blame_frames(mb: float) -> dict[str, Any]:
    import pandas as pd

    import framing
    from framing.attribution import blame_attribution
    from framing.scoring import frame_table

    rows = read_bbc(CORPUS)
    docs, size, copy = [], 0, 0
    while size < mb * 1e6:
        for r in rows:
            docs.append({"doc_id": f"{r['doc_id']}_{copy}", "genre": r["genre"], "text": r["text"]})
            size += len(r["text"].encode("utf-8"))
            if size >= mb * 1e6:
                break
        copy += 1
    with tempfile.TemporaryDirectory() as tmp:
        path, warm = Path(tmp) / "corpus.csv", Path(tmp) / "warm.csv"
        pd.DataFrame(docs).to_csv(path, index=False)
        pd.DataFrame(docs[:50]).to_csv(warm, index=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            small = framing.process_corpus(framing.load_corpus(warm))
            frame_table(small)  # lexicons, patterns and case files compiled before timing, for both
            blame_attribution(small)
            processed = framing.process_corpus(framing.load_corpus(path))
            t0 = time.process_time()
            frames = frame_table(processed)
            frames_s = time.process_time() - t0
            t0 = time.process_time()
            blame = blame_attribution(processed)
            blame_s = time.process_time() - t0
    return {"task": "blame against frames", "mb": round(size / 1e6, 1), "documents": len(docs),
            "sentences": len(frames), "frames_s": round(frames_s, 2), "blame_s": round(blame_s, 2),
            "blame_rows": len(blame), "ratio": round(blame_s / frames_s, 2), "peak_mb": round(peak_mb())}


def _lexicon_check(n: int) -> dict[str, Any]:
    from benchmarks.bench_lexicon_check import generated
    from framing.lexicon import check_lexicon

    lex = generated(n)
    t0 = time.process_time()
    issues = check_lexicon(lex)
    dt = time.process_time() - t0
    return {"task": "lexicon check", "entries": n, "issues": len(issues), "check_s": round(dt, 2),
            "us_per_entry": round(dt / n * 1e6, 1)}


TASKS = {"doc": _one_document, "blame": _blame_frames, "check": _lexicon_check}


def _child(task: str, size: float) -> dict[str, Any]:
    """Run one task in a fresh interpreter; return its result."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_growth", "--child", task, str(size)],
                         capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1], check=False)
    if out.returncode != 0:
        raise RuntimeError(f"bench_growth child {task} {size} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(results: list[dict[str, Any]], command: str) -> Path:
    import importlib.metadata as md

    import pandas as pd

    from framing.io import atomic_write_text, write_csv

    RESULTS.mkdir(parents=True, exist_ok=True)
    write_csv(pd.DataFrame(results), RESULTS / "growth.csv")
    versions = ", ".join(f"{p} {md.version(p)}" for p in ("framing", "numpy", "pandas", "pyarrow", "nltk"))
    lines = [*results_head("Costs that grew too fast (issue 10)", command,
                           f"python {sys.version.split()[0]}, {versions}", load_average())]
    lines += [_summary(r) for r in results]
    path = RESULTS / "growth.md"
    atomic_write_text(path, "\n".join(lines) + "\n")
    return path


def _summary(r: dict[str, Any]) -> str:
    if r["task"] == "one document":
        return (f"* one document of {r['mb']} MB: load {r['load_s']} s, prepare (clean, segment) {r['prepare_s']} "
                f"CPU s, {r['sentences']:,} sentences; peak {r['peak_mb']} MB, {r['above_x']}x the text above the "
                f"{r['base_mb']} MB once it is loaded (goal: a small constant, <= {DOC_LIMIT:g})")
    if r["task"] == "blame against frames":
        return (f"* {r['mb']} MB, {r['documents']:,} documents, {r['sentences']:,} sentences: frames {r['frames_s']} "
                f"CPU s, blame {r['blame_s']} CPU s ({r['blame_rows']:,} rows): blame / frames {r['ratio']}x "
                f"(goal <= {BLAME_LIMIT:g}x)")
    return (f"* lexicon check, {r['entries']:,} entries: {r['check_s']} CPU s ({r['us_per_entry']} us an entry; "
            f"goal: 50,000 in under {CHECK_LIMIT_S:g} s)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--doc-mb", type=float, default=50.0, help="size of the one document (MB; default 50)")
    ap.add_argument("--blame-mb", type=float, nargs="+", default=[5.0, 50.0], help="corpus sizes (MB)")
    ap.add_argument("--check-sizes", type=int, nargs="+", default=[3000, 12000, 50000])
    ap.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/results/")
    ap.add_argument("--child", nargs=2, metavar=("TASK", "SIZE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        task, size = args.child
        print(json.dumps(TASKS[task](int(size) if task == "check" else float(size))))
        return 0
    if not CORPUS.is_file():
        print(f"bench_growth: {CORPUS} not found; skipped")
        return 0
    jobs = ([("doc", args.doc_mb)] + [("blame", mb) for mb in args.blame_mb]
            + [("check", n) for n in args.check_sizes])
    results = []
    for task, size in jobs:
        r = _child(task, size)
        print(_summary(r), flush=True)
        results.append(r)
    if not args.no_write:
        argv_s = " ".join(argv if argv is not None else sys.argv[1:])
        print(f"results: {report(results, f'python -m benchmarks growth {argv_s}'.strip())}")
    status = 0
    for r in results:
        bad = ((r["task"] == "one document" and r["above_x"] > DOC_LIMIT)
               or (r["task"] == "blame against frames" and r["ratio"] > BLAME_LIMIT)
               or (r["task"] == "lexicon check" and r["entries"] >= 50000 and r["check_s"] >= CHECK_LIMIT_S))
        status |= int(bad)
    return status


if __name__ == "__main__":
    sys.exit(main())
