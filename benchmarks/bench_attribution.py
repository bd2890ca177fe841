"""Speed of blame attribution (issue 9): the target rule and case files on real news.

Run: ``python -m benchmarks attribution`` (or ``python -m benchmarks.bench_attribution [--docs 2225]``).

Reads the BBC News corpus (``../shared/corpora/bbc-news-2004-2005.jsonl.gz``; skipped with a message when
absent), processes the first ``--docs`` articles once (clean, segment), computes quotations once, then times
:func:`framing.attribution.blame_attribution` in four configurations in the same run, so the figures compare
with their peers: the default target rule (``responsible``: actors near a cue or frame hit in the same
clause) against the earlier rule (``mentioned``), each without a case and with the shipped Baby P case file.
:func:`framing.attribution.reporting_clauses` is timed alone too. Times are CPU times of this process
(``time.process_time``); rows and blame sentences are printed beside them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
import warnings
from pathlib import Path

import pandas as pd

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "bbc-news-2004-2005.jsonl.gz"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench_attribution")
    ap.add_argument("--docs", type=int, default=2225, help="number of articles (default: all 2225)")
    args = ap.parse_args(argv)
    if not CORPUS.is_file():
        print(f"bench_attribution: {CORPUS} not found; skipped")
        return 0
    from framing.attribution import blame_attribution, corpus_quotations, reporting_clauses
    from framing.corpus import process_corpus

    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(args.docs), fh, strict=False)]
    docs = pd.DataFrame({"doc_id": [r["id"].replace("/", "_") for r in rows], "genre": [r["category"] for r in rows],
                         "text": [r["text"] for r in rows]})
    t0 = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unclosed quotations in the BBC texts are reported by the notebooks
        pc = process_corpus(_load(docs))
        quotes = corpus_quotations(pc)
    print(f"corpus: {len(pc.documents)} documents, {len(pc.sentences)} sentences, {len(quotes)} quotations "
          f"(processed in {time.process_time() - t0:.1f} s CPU)")
    t0 = time.process_time()
    clauses = reporting_clauses(pc, quotes)
    print(f"reporting_clauses: {len(clauses)} clauses in {time.process_time() - t0:.2f} s CPU")
    print(f"{'targets':<12} {'case':<8} {'CPU s':>7} {'rows':>7} {'blame sentences':>16}")
    for targets in ("responsible", "mentioned"):
        for case in (None, "baby_p"):
            t0 = time.process_time()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                b = blame_attribution(pc, quotes=quotes, clauses=clauses, targets=targets, case=case)
            dt = time.process_time() - t0
            n_sent = b[["doc_id", "sent_id"]].drop_duplicates().shape[0]
            print(f"{targets:<12} {case or '-':<8} {dt:>7.2f} {len(b):>7} {n_sent:>16}")
    return 0


def _load(docs: pd.DataFrame):  # type: ignore[no-untyped-def]
    """A corpus from a table, through the public loader (a temporary CSV)."""
    import tempfile

    from framing.corpus import load_corpus

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bbc.csv"
        docs.to_csv(path, index=False)
        return load_corpus(path)


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.exit(main(sys.argv[1:]))
