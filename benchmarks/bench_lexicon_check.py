"""Time of ``framing lexicon check`` (:func:`framing.lexicon.check_lexicon`) as the lexicon grows (issue 10).

Run: ``python -m benchmarks lexicon_check [--sizes 3000 12000 50000]``.

A lexicon of the given number of entries is generated (seeded): words and two-word phrases over a
26-letter alphabet, a quarter of them wildcards, in 20 categories, so that shadowed and cross-category
wildcard entries occur. The check used to compare every entry with every wildcard (3,000 entries 7 s,
12,000 103 s, 50,000 1,471 s on this machine); it now looks up each entry's own prefixes. Goal: 50,000
entries in under 10 s, growing about linearly. CPU seconds of this process are printed per size.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from framing.lexicon import Entry, Lexicon, check_lexicon, entry_kind


def generated(n: int, seed: int = 0) -> Lexicon:
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    cats = tuple(f"c{i}" for i in range(20))
    entries = []
    for _ in range(n):
        words = ["".join(rng.choice(letters, int(rng.integers(3, 9)))) for _ in range(int(rng.integers(1, 3)))]
        pattern = " ".join(words) + ("*" if rng.random() < 0.25 else "")
        entries.append(Entry(pattern, str(rng.choice(cats)), entry_kind(pattern)))
    return Lexicon("generated", "1", cats, tuple(entries))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[3000, 12000, 50000])
    args = ap.parse_args(argv)
    status = 0
    for n in args.sizes:
        lex = generated(n)
        t0 = time.process_time()
        issues = check_lexicon(lex)
        dt = time.process_time() - t0
        print(f"check_lexicon: {n} entries, {len(issues)} issues, {dt:.2f} CPU s ({dt / n * 1e6:.0f} us/entry)")
        if n >= 50000 and dt >= 10:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
