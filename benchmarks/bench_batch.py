"""Batch runs: wall time of a 6-run batch with ``--jobs 1`` and ``--jobs 2``, and of a cached rerun.

Builds a throwaway project in a temporary folder with one small real notebook (it prepares the seed corpus
from ``data/raw`` (read only), filters a genre subset, saves a figure and a table with
:mod:`framing.plots` and records key results) and a batch of 6 runs: genres {minister, blog, news} x
k {3, 5}. The processed corpus is built once beforehand so that every timing measures the batch itself;
the package's code hash (part of the cache key) is taken once, as other developers edit the tree meanwhile.

Prints, for each setting: wall time, runs executed or cached, mean time per executed run (the run's own
notebook time, kernel start included). Each run is its own worker process with one Jupyter kernel, so
``--jobs 2`` needs two free cores to show its gain; the machine's load is printed beside the figures.

Run from the project root: ``python -m benchmarks.bench_batch [--keep]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from framing.paths import ProjectPaths

ROOT = Path(__file__).resolve().parents[1]
RAW = ProjectPaths(ROOT).raw

PARAMETERS = f'''corpus: str = "{RAW}"  # the seed corpus (read only)
corpus_name: str = "seeds"  # name of the processed corpus
reports_dir: str = "reports"  # where figures, tables and key results go
genres: list = []  # genre subset (empty: all)
k: int = 3  # rows in the table of longest sentences'''

BODY = """import matplotlib.pyplot as plt

from framing import plots
from framing.corpus import prepare_corpus
from framing.paths import report_paths
from framing.report import record_key_results

plots.use_style()
processed = prepare_corpus(corpus, name=corpus_name)
docs = processed.documents
if genres:
    docs = docs[docs["genre"].isin(genres)]
sents = processed.sentences[processed.sentences["doc_id"].isin(docs["doc_id"])]
by_genre = docs.groupby("genre", as_index=False)[["n_tokens", "n_sentences"]].sum()
fig, ax = plt.subplots(figsize=plots.figure_size(1))
ax.bar(by_genre["genre"], by_genre["n_tokens"], color=[plots.genre_color(g) for g in by_genre["genre"]])
ax.set_ylabel("tokens")
plots.save_figure(fig, "tokens_by_genre", report_paths(reports_dir).figures, data=by_genre)
top = sents.nlargest(k, "n_tokens")[["doc_id", "sent_id", "n_tokens", "text"]]
plots.save_table(top, "longest_sentences", report_paths(reports_dir).tables, caption="Longest sentences")
record_key_results(reports_dir, {"n_documents": len(docs), "n_sentences": len(sents),
                                 "mean_tokens": float(sents["n_tokens"].mean())}, prefix="bench")
by_genre"""

BATCH = """description: bench_batch - 3 genre subsets x 2 table sizes
notebooks: [notebooks/bench.ipynb]
grid:
  genres: [[minister], [blog], [news]]
  k: [3, 5]
"""


def _make_project(base: Path) -> Path:
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    params = new_code_cell(PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [new_markdown_cell("# Batch benchmark"), params, new_code_cell(BODY)]
    (base / "notebooks").mkdir(parents=True)
    nbformat.write(nb, base / "notebooks" / "bench.ipynb")
    ProjectPaths(base).batch_configs.mkdir(parents=True)
    path = ProjectPaths(base).batch_configs / "bench.yaml"
    path.write_text(BATCH, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary project and print its path")
    args = parser.parse_args(argv)
    if not RAW.is_dir():
        print(f"bench_batch: seed corpus absent ({RAW}); nothing to measure")
        return 0

    import framing.batch._plan as batch_module  # plan_batch looks _code_hash up there
    from framing.batch import run_batch
    from framing.corpus import prepare_corpus

    # The cache key includes a hash of the package code; other developers edit the shared tree while this
    # runs, so the hash is taken once here (hashing itself takes milliseconds).
    code_hash = batch_module._code_hash()
    batch_module._code_hash = lambda: code_hash  # type: ignore[assignment]

    base = Path(tempfile.mkdtemp(prefix="framing-bench-batch-"))
    old_root = os.environ.get("FRAMING_ROOT")
    os.environ["FRAMING_ROOT"] = str(base)
    try:
        config = _make_project(base)
        prepare_corpus(RAW, name="seeds", processed_dir=ProjectPaths(base).processed)
        print(f"bench_batch: 6 runs (1 notebook each), {os.cpu_count()} CPU(s), "
              f"load average {os.getloadavg()[0]:.2f} at start")
        print(f"{'setting':<22} {'wall s':>8} {'executed':>9} {'cached':>7} {'mean s/run':>11} {'failed':>7}")
        settings = [("--jobs 1", 1, True), ("--jobs 2", 2, True), ("cached rerun --jobs 2", 2, False)]
        for label, jobs, force in settings:
            t0 = time.perf_counter()
            result = run_batch(config, root=base, jobs=jobs, force=force, progress=False)
            wall = time.perf_counter() - t0
            executed = result.executed
            mean = sum(r.elapsed or 0.0 for r in executed) / len(executed) if executed else 0.0
            print(f"{label:<22} {wall:>8.2f} {len(executed):>9} {len(result.cached):>7} {mean:>11.1f} "
                  f"{len(result.failed):>7}")
            for run in result.failed:
                print(f"  failed: {run.run_id}: {run.error}", file=sys.stderr)
        print(f"bench_batch: load average {os.getloadavg()[0]:.2f} at end")
    finally:
        if old_root is None:
            os.environ.pop("FRAMING_ROOT", None)
        else:
            os.environ["FRAMING_ROOT"] = old_root
        if args.keep:
            print(f"bench_batch: project kept at {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
