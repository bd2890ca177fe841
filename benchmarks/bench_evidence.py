"""KWIC for every hit: framing.evidence.kwic_columns (numpy windows) against framing.scoring.kwic (a loop per hit).

Runs on the seed corpus replicated ``--copies`` times (default 200, about 55,000 hits), checks that both give
the same context strings, and prints hits per second of each. ``python -m benchmarks evidence [--copies N]``.
"""

from __future__ import annotations

import argparse
import time
from types import SimpleNamespace

import pandas as pd

from framing.corpus import prepare_corpus
from framing.evidence import kwic_columns
from framing.paths import project_paths
from framing.scoring import kwic, lexicon_hits


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_evidence")
    parser.add_argument("--copies", type=int, default=200)
    parser.add_argument("--width", type=int, default=60)
    args = parser.parse_args(argv)
    seeds = prepare_corpus(project_paths().raw, name="seeds")
    hits = lexicon_hits(seeds, "blame_frames")
    docs = pd.concat([seeds.documents.assign(doc_id=seeds.documents["doc_id"] + f"~{i}")
                      for i in range(args.copies)], ignore_index=True)
    many = pd.concat([hits.assign(doc_id=hits["doc_id"] + f"~{i}") for i in range(args.copies)], ignore_index=True)
    corpus = SimpleNamespace(documents=docs)
    texts = dict(zip(docs["doc_id"], docs["text"], strict=True))
    t0 = time.perf_counter()
    fast = kwic_columns(texts, many["doc_id"].tolist(), many["start"].tolist(), many["end"].tolist(), width=args.width)
    t1 = time.perf_counter()
    slow = kwic(many, corpus, width=args.width)
    t2 = time.perf_counter()
    same = all((fast[c].to_numpy() == slow[c].to_numpy()).all() for c in ("left", "match", "right"))
    n = len(many)
    print(f"{n} hits in {len(docs)} documents, width {args.width}")
    print(f"  framing.evidence.kwic_columns: {t1 - t0:.3f} s ({n / (t1 - t0):,.0f} hits/s)")
    print(f"  framing.scoring.kwic:          {t2 - t1:.3f} s ({n / (t2 - t1):,.0f} hits/s)")
    print(f"  same context strings: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
