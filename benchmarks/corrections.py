"""How well a coded sample corrects the instrument's frame shares: ``python -m benchmarks corrections``.

On demand (it is a validity check, not a speed benchmark). The development set and the held-out sets that have
been read (``heldout-bbc-1``, ``heldout-bbc-3``; sets 2, 4, 5, 6 and 7 stay sealed) are fully coded BBC news about
public failures. Treating their pooled sentences as a corpus whose sets are the groups, it draws ``--reps`` random
samples of ``--fractions`` of each set's sentences, corrects the rule's shares with each sample
(:func:`framing.shares.corrected_shares`) and prints, per set and frame, the rule's error, the corrected share's
mean absolute error against the coders' share of the whole set, how often the 95% interval covers it, and the
mean number of bootstrap replicates without an estimate (``n_undefined``). Each set has 7 to 9 documents, fewer
than the report's ``min_docs`` (10), so the check asks for an interval with ``--min-docs 1`` (default here).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
import pandas as pd

from framing.agreement import default_devset_path, default_heldout_paths, load_devset
from framing.errors import FramingError
from framing.scoring import frame_table
from framing.shares import corrected_shares
from framing.types import FRAMES

READ_SETS = ("heldout-bbc-1", "heldout-bbc-3")


def _coded_sets() -> dict[str, pd.DataFrame]:
    """Each coded set: its sentences with the rule's labels and the coders' (``<frame>_coded``)."""
    paths = {}
    devset = default_devset_path()
    if devset is not None:
        paths["devset"] = devset
    paths.update({p.parent.name: p for p in default_heldout_paths() if p.parent.name in READ_SETS})
    out = {}
    for name, path in paths.items():
        coded = load_devset(path)
        labels = frame_table(coded.sentences)[["doc_id", "sent_id", *FRAMES]]
        truth = coded.coded[["doc_id", "sent_id", *FRAMES]].rename(columns={f: f"{f}_coded" for f in FRAMES})
        out[name] = labels.merge(truth, on=["doc_id", "sent_id"])
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the check's table; 2 when the coded sets' texts (../shared) are absent."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks corrections", description=__doc__)
    parser.add_argument("--fractions", default="0.2,0.3", help="shares of each set coded (default: 0.2,0.3)")
    parser.add_argument("--reps", type=int, default=100, help="random samples per fraction (default: 100)")
    parser.add_argument("--n-boot", type=int, default=200, help="bootstrap replicates per sample (default: 200)")
    parser.add_argument("--min-docs", type=int, default=1,
                        help="coded documents a set needs for an interval (default: 1; the sets have 7 to 9)")
    args = parser.parse_args(argv)
    try:
        sets = _coded_sets()
    except FramingError as exc:  # the texts in ../shared are absent or unreadable: say so
        print(f"corrections: coded sets unavailable ({exc})", file=sys.stderr)
        return 2
    if not sets:
        print("corrections: no coded sets found (../shared/devsets, data/validation/heldout-*)", file=sys.stderr)
        return 2
    corpus = pd.concat([t.assign(group=name) for name, t in sets.items()], ignore_index=True)
    documents = corpus.groupby("doc_id", sort=False)["group"].first().reset_index()
    truth = corpus.groupby("group", sort=False)[[f"{f}_coded" for f in FRAMES]].mean().set_axis(list(FRAMES), axis=1)
    rule = corpus.groupby("group", sort=False)[list(FRAMES)].mean()
    print(f"{len(corpus)} coded sentences in {len(sets)} sets: {', '.join(sets)}")
    rows = []
    for fraction in (float(x) for x in args.fractions.split(",")):
        errors, covered, undefined = [], [], []
        for rep in range(args.reps):
            rng = np.random.default_rng(rep)
            picked = np.concatenate([rng.choice(np.flatnonzero(corpus["group"].to_numpy() == g),
                                                int(fraction * (corpus["group"] == g).sum()), replace=False)
                                     for g in sets])
            codes = corpus.iloc[picked][["doc_id", "sent_id", *[f"{f}_coded" for f in FRAMES]]]
            codes = codes.rename(columns={f"{f}_coded": f for f in FRAMES})
            out = corrected_shares(corpus[["doc_id", "sent_id", *FRAMES]], codes, documents, FRAMES, by="group",
                                   n_boot=args.n_boot, random_state=rep, min_docs=args.min_docs)
            out = out[out["group"] != "all"].set_index(["group", "frame"])
            errors.append((out["corrected_share"] - truth.stack()).abs())
            covered.append((out["ci_low"] <= truth.stack()) & (truth.stack() <= out["ci_high"]))
            undefined.append(out["n_undefined"])
        err, cov = pd.concat(errors, axis=1).mean(axis=1), pd.concat(covered, axis=1).mean(axis=1)
        und = pd.concat(undefined, axis=1).mean(axis=1)
        for (group, frame), value in err.items():
            rows.append({"coded": f"{fraction:.0%}", "set": group, "frame": frame,
                         "coders' share": truth.loc[group, frame], "rule's error": abs(rule.loc[group, frame]
                                                                                      - truth.loc[group, frame]),
                         "corrected: mean abs error": value, "95% interval covers": cov[(group, frame)],
                         "undefined replicates": und[(group, frame)]})
    print(pd.DataFrame(rows).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
