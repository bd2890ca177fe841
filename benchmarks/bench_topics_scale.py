r"""Topic models on large corpora: in-memory fit vs. mini-batch over partitions vs. fit on a sample (issue 10).

Run: ``python -m benchmarks topics_scale [--mb 100] [--k 5] [--models nmf,lda] [--engines memory,online,sample]``.

The BBC News corpus (``../shared/corpora/bbc-news-2004-2005.jsonl.gz``, 2,225 articles, five sections) is
written as JSONL twice in a temporary folder: as it is (5 MB of text) and replicated (ids made unique per copy)
to ``--mb`` MB. Each is prepared once (``framing prepare --backend stream``: partitioned Parquet of
``--partition-mb`` MB of input), then every row fits k topics on the **document** units (``--unit``) with the
same seed, in a child process of its own (its peak RSS, VmHWM, is the row's memory):

* **memory**: the units of every partition concatenated in memory, :class:`framing.topics.TopicModel` (batch
  NMF with nndsvda, or batch variational LDA), as ``framing topics --backend memory`` fits them.
* **online**: :func:`framing.topics.fit_topics_streamed` over :class:`framing.topics.PartitionedUnits`
  (vocabulary pass, count pass, mini-batch passes of ``MiniBatchNMF`` / online LDA, scoring pass), as
  ``framing topics --backend stream`` does; one partition in memory at a time.
* **sample**: the same, ``learner="sample"`` (a batch fit on a seeded 10% sample, then a scoring pass).

LDA runs ``--lda-passes`` (default 10) passes in every engine (batch: ``max_iter``; online: passes over the
partitions) so the engines do the same amount of work; NMF: batch up to 400 iterations, online up to 10 passes
(early stop when no topic moves by more than 0.001 in total variation). Fit time is wall clock from the
prepared partitions to the documents' topic weights (reading the units included; preparation excluded and
reported once per corpus).

Recovery: each document's dominant topic (heaviest weight). NMI (arithmetic normalisation, scikit-learn's
``normalized_mutual_info_score``) between the online / sample fit's and the in-memory fit's dominant topics
(same k, same seed; NMI ignores the topics' order), and between each fit's and the BBC sections.

Results: ``benchmarks/results/topics-scale.csv`` and ``topics-scale.md`` (``--stem`` for another name;
``--skip-original`` leaves out the 5 MB corpus, e.g. for an online-only run on a larger copy).
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

from benchmarks.bench_dask import write_corpus
from benchmarks.bench_pipeline import CORPUS, RESULTS, ROOT, peak_mb, read_bbc, results_head

STEM = "topics-scale"
"""Results file names (``--stem`` for a separate run, e.g. ``topics-scale-500`` for a larger corpus)."""
SEED = 0


def fit_row(engine: str, directory: Path, model: str, k: int, unit: str, lda_passes: int,
            out: Path) -> dict[str, Any]:
    """In the child: fit one engine on the prepared partitions; write doc_id,dominant to ``out``."""
    import numpy as np
    import pandas as pd

    from framing.topics import PartitionedUnits, TopicModel, aggregate_to_documents, fit_topics_streamed

    passes = lda_passes if model == "lda" else None
    t0, c0 = time.perf_counter(), time.process_time()
    units = PartitionedUnits(directory, unit)
    if engine == "memory":
        table = pd.concat(list(units), ignore_index=True)
        est = TopicModel(k, model=model, random_state=SEED, max_iter=passes).fit(table["text"].tolist())
        docs = aggregate_to_documents(table["doc_id"].tolist(), est.doc_topic_, est.n_tokens_)
        n_terms, n_iter = len(est.terms_), est.n_iter_
    else:
        fit = fit_topics_streamed(units, k, model=model, learner=engine, unit=unit, random_state=SEED,
                                  max_iter=passes)
        docs, n_terms, n_iter = fit.doc_topics, len(fit.estimator.terms_), fit.estimator.n_iter_
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    weights = docs.drop(columns="doc_id").to_numpy()
    dominant = np.where(np.isnan(weights).all(axis=1), -1, np.nanargmax(np.nan_to_num(weights, nan=-1.0), axis=1))
    pd.DataFrame({"doc_id": docs["doc_id"], "dominant": dominant}).to_csv(out, index=False)
    return {"engine": engine, "model": model, "wall": wall, "cpu": cpu, "peak_mb": peak_mb(),
            "documents": len(docs), "terms": n_terms, "passes": int(n_iter)}


def in_child(engine: str, directory: Path, model: str, k: int, unit: str, lda_passes: int,
             out: Path) -> dict[str, Any] | str:
    cmd = [sys.executable, "-m", "benchmarks.bench_topics_scale", "--row", engine, "--dir", str(directory),
           "--model", model, "--k", str(k), "--unit", unit, "--lda-passes", str(lda_passes), "--dominant", str(out)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[len("RESULT "):]))
    return (proc.stderr.strip().splitlines() or ["no output"])[-1]


def prepare(rows: list[dict[str, str]], tmp: Path, mb: float, partition_mb: float) -> tuple[Path, float, float]:
    """Write the corpus (``mb`` MB; 0: one copy) and prepare it in partitions; return folder, MB, seconds."""
    from framing.backends import run_partitioned

    path = tmp / f"bbc-{mb:.0f}.jsonl"
    size = write_corpus(rows, path, mb if mb > 0 else 1e-9)
    t0 = time.perf_counter()
    result = run_partitioned(path, name=path.stem, processed_dir=tmp / "processed", say=lambda _m: None,
                             partition_bytes=int(partition_mb * 1024 * 1024))
    seconds = time.perf_counter() - t0
    path.unlink()
    return result.directory, size, seconds


def recovery(dominant: dict[str, Path], sections: dict[str, str]) -> dict[str, dict[str, float]]:
    """NMI of each engine's dominant topics with the sections and with the in-memory fit's."""
    import pandas as pd
    from sklearn.metrics import normalized_mutual_info_score as nmi

    frames = {e: pd.read_csv(p, dtype={"doc_id": str}).set_index("doc_id")["dominant"] for e, p in dominant.items()}
    out: dict[str, dict[str, float]] = {}
    for engine, dom in frames.items():
        truth = [sections[d.rsplit("_c", 1)[0]] for d in dom.index]
        row = {"nmi_sections": float(nmi(truth, dom.to_numpy()))}
        if "memory" in frames and engine != "memory":
            ref = frames["memory"].reindex(dom.index)
            row["nmi_memory"] = float(nmi(ref.to_numpy(), dom.to_numpy()))
        out[engine] = row
    return out


def report(results: list[dict[str, Any]], command: str, load: str, stem: str = STEM) -> tuple[Path, Path]:
    import importlib.metadata as md

    import pandas as pd

    from framing.io import atomic_write_text, write_csv

    RESULTS.mkdir(parents=True, exist_ok=True)
    csv_path = write_csv(pd.DataFrame(results), RESULTS / f"{stem}.csv")
    versions = ", ".join(f"{p} {md.version(p)}" for p in ("framing", "scikit-learn", "numpy", "scipy", "pandas"))
    lines = [*results_head("Topic models on large corpora: in memory, mini-batch over partitions, on a sample "
                           "(issue 10)", command, f"python {sys.version.split()[0]}, {versions}", load),
             "Fit time: wall clock from the prepared partitions to the documents' topic weights (preparation "
             "excluded, given once per corpus). Peak RSS: the fitting process (VmHWM). NMI: documents' dominant "
             "topics; `vs memory` compares with the in-memory fit of the same model, k and seed.", "",
             "| corpus MB | documents | partitions | model | engine | passes | terms | fit s (wall) | CPU s | "
             "peak RSS MB | NMI vs sections | NMI vs memory |",
             "| ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        vs_mem = f"{r['nmi_memory']:.3f}" if "nmi_memory" in r else "-"
        lines.append(f"| {r['mb']:.0f} | {r['documents']} | {r['partitions']} | {r['model']} | {r['engine']} | "
                     f"{r['passes']} | {r['terms']} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['peak_mb']:.0f} | "
                     f"{r['nmi_sections']:.3f} | {vs_mem} |")
    prep = sorted({(r["mb"], r["prepare_s"], r["partitions"]) for r in results})
    lines += ["", "Preparation (`prepare --backend stream`, once per corpus): " + "; ".join(
        f"{mb:.0f} MB in {n} partition(s): {s:.1f} s" for mb, s, n in prep)]
    md_path = RESULTS / f"{stem}.md"
    atomic_write_text(md_path, "\n".join(lines) + "\n")
    return Path(csv_path), md_path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=100.0, help="MB of text of the replicated corpus (default 100)")
    ap.add_argument("--k", type=int, default=5, help="topics (default 5: the BBC sections)")
    ap.add_argument("--models", default="nmf,lda", help="models to fit (default nmf,lda)")
    ap.add_argument("--engines", default="memory,online,sample", help="rows (default memory,online,sample)")
    ap.add_argument("--unit", default="document", help="unit the models are fitted on (default document)")
    ap.add_argument("--lda-passes", type=int, default=10, help="LDA passes in every engine (default 10)")
    ap.add_argument("--partition-mb", type=float, default=32.0, help="MB of input per partition (default 32)")
    ap.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/results/")
    ap.add_argument("--stem", default=STEM, help="results file names: benchmarks/results/STEM.csv/.md")
    ap.add_argument("--skip-original", action="store_true", help="only the replicated corpus, not the 5 MB one")
    ap.add_argument("--row", help=argparse.SUPPRESS)
    ap.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--model", help=argparse.SUPPRESS)
    ap.add_argument("--dominant", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.row:
        print("RESULT " + json.dumps(fit_row(args.row, args.dir, args.model, args.k, args.unit, args.lda_passes,
                                             args.dominant)))
        return 0
    if not CORPUS.is_file():
        print(f"benchmarks.topics_scale: {CORPUS} not found; skipped")
        return 0
    rows = read_bbc(CORPUS)
    sections = {r["doc_id"]: r["genre"] for r in rows}
    command = ("python -m benchmarks topics_scale " + " ".join(argv if argv is not None else sys.argv[1:])).strip()
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="framing-bench-topics-") as tmp:
        for mb in ((args.mb,) if args.skip_original else (0.0, args.mb)):
            directory, size, prep_s = prepare(rows, Path(tmp), mb, args.partition_mb)
            n_parts = len(list((directory / "sentences").glob("part-*.parquet")))
            print(f"corpus {size:.0f} MB: prepared in {n_parts} partition(s), {prep_s:.1f} s", flush=True)
            for model in args.models.split(","):
                dominant: dict[str, Path] = {}
                done: list[dict[str, Any]] = []
                for engine in args.engines.split(","):
                    out = Path(tmp) / f"dominant-{engine}.csv"
                    got = in_child(engine, directory, model, args.k, args.unit, args.lda_passes, out)
                    if isinstance(got, str):
                        print(f"{model} {engine}: failed: {got}")
                        return 1
                    got.update(mb=size, partitions=n_parts, prepare_s=prep_s)
                    dominant[engine] = out
                    done.append(got)
                for r in done:
                    r.update(recovery(dominant, sections)[r["engine"]])
                    print(f"{size:.0f} MB {model} {r['engine']}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, "
                          f"peak {r['peak_mb']:.0f} MB, {r['passes']} passes, NMI sections {r['nmi_sections']:.3f}"
                          + (f", vs memory {r['nmi_memory']:.3f}" if "nmi_memory" in r else ""), flush=True)
                results.extend(done)
                if not args.no_write:
                    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
                    for p in report(results, command, load, args.stem):
                        print(f"wrote {p}", flush=True)
            shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
