"""Speed of the case-file draft (``framing case draft``) on real news, beside its peer, the frame labels.

Run: ``python -m benchmarks case_draft`` (or ``python -m benchmarks.bench_case_draft [--docs 2225] [--repeat 3]``).

Reads the BBC News corpus (``../shared/corpora/bbc-news-2004-2005.jsonl.gz``, about 5 MB of text; skipped with a
message when absent), processes it once (clean, segment), then times, ``--repeat`` times each in the same run,
:func:`framing.scoring.frame_table` alone (the case-independent layer, which the draft runs once for its blame
counts) and :func:`framing.case_draft.draft_case` (frame labels, person and organisation spans, roles, counts,
ranking). Times are wall-clock seconds (``time.perf_counter``; the machine is shared, so +-20 % between runs);
the number of entries and the first ones are printed too.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "bbc-news-2004-2005.jsonl.gz"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench_case_draft")
    ap.add_argument("--docs", type=int, default=2225, help="number of articles (default: all 2225)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each function (default: 3)")
    args = ap.parse_args(argv)
    if not CORPUS.is_file():
        print(f"bench_case_draft: {CORPUS} not found; skipped")
        return 0
    from benchmarks.bench_pipeline import read_bbc
    from framing.case_draft import draft_case
    from framing.corpus import load_corpus, process_corpus
    from framing.scoring import frame_table

    docs = pd.DataFrame(read_bbc(CORPUS)[: args.docs])
    with tempfile.TemporaryDirectory() as tmp:  # through the public loader, as a user's table
        docs.to_csv(Path(tmp) / "bbc.csv", index=False)
        pc = process_corpus(load_corpus(Path(tmp) / "bbc.csv"))
    mb = docs["text"].str.len().sum() / 1e6
    print(f"corpus: {len(pc.documents)} documents, {len(pc.sentences)} sentences, {mb:.1f} M characters")
    print(f"{'run':>3} {'frame_table s':>14} {'draft_case s':>13} {'entries':>8}")
    for i in range(args.repeat):
        t0 = time.perf_counter()
        frame_table(pc)
        t1 = time.perf_counter()
        entries = draft_case(pc, min_count=3, max_entries=200)
        t2 = time.perf_counter()
        print(f"{i:>3} {t1 - t0:>14.2f} {t2 - t1:>13.2f} {len(entries):>8}")
    print(entries[["pattern", "actor", "frame", "mentions", "documents", "blame_mentions"]].head(10).to_string())
    return 0


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.exit(main(sys.argv[1:]))
