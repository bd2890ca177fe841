"""Selection of the general model's settings by leave-one-SOURCE-out, as pre-registered in issue 9.

``python -m benchmarks model_selection [--no-bbc] [--only NAME ...]``

The general model (``framing.agreement.build_general_model``) trains on six coded sources: the seed coding, the
development set and the BBC sets 1, 3, 8 and 9. Each candidate setting of :class:`framing.FrameClassifier` is
measured by :func:`framing.agreement.source_lodo_figures` (train on five sources, label the sixth, macro-F1
against its coding; the six figures and their mean) and by :func:`framing.agreement.seeds_lodo_figures` (the
seeds, each document left out, without and with the case file ``baby_p``). No sealed held-out set is read.

The candidates are tried in the pre-registered order, each on top of the settings kept so far. A candidate is
KEPT when it raises the mean of the six per-source figures over the settings kept so far and lowers neither
seeds figure by more than 0.02. The secondary figure (never a selection criterion here) is the share of the
sentences of BBC News 2004-05 (``../shared/corpora/bbc-news-2004-2005.jsonl.gz``, every section) labelled with
any frame, per section, for the rule and for each candidate trained on all six sources (``--no-bbc`` skips it;
the development and BBC training sets are articles of that corpus, about 1% of its sentences).

Writes ``benchmarks/results/model-selection.csv`` and ``.md`` (command, date, machine) and prints the table.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import numpy as np
import pandas as pd

from benchmarks.bench_pipeline import RESULTS, ROOT, results_head
from framing.io import atomic_write_text, write_csv
from framing.types import FRAMES

BBC = ROOT.parent / "shared" / "corpora" / "bbc-news-2004-2005.jsonl.gz"
MAX_SEEDS_DROP = 0.02
"""A candidate lowering a seeds figure (LODO, with or without the case file) by more than this is not kept."""

CANDIDATES: list[tuple[str, dict[str, Any], str]] = [
    ("current", {}, "the shipped settings: classifier defaults (previous sentence, balanced classes, C auto, 0.5)"),
    ("document-totals", {"document": "totals"},
     "document totals of frame hits, cue hits and rule labels, and its length (codebook: a frame is a locus of "
     "responsibility for a failure; background and neutral mentions frame no blame)"),
    ("document-rates", {"document": "rates"},
     "the same as rates per sentence of the document (the brief's other variant: comparable across document "
     "lengths, where totals are not)"),
    ("following", {"following": True},
     "the next sentence's features (codebook: a quotation's continuation and a list item read with their "
     "neighbours; context on both sides)"),
    ("threshold", {"threshold": "auto"},
     "a per-frame probability threshold chosen with C by inner document-grouped CV (max F1), balanced classes"),
    ("unweighted-threshold", {"class_weight": None, "threshold": "auto"},
     "no class weights, the threshold chosen with C by inner document-grouped CV"),
    ("words-0.3", {"words": 0.3},
     "hashed unigrams and bigrams beside the lexicon features, strongly regularised (penalty 11x the lexicon "
     "features'); leaving whole sources out tests topic overfitting"),
    ("words-1", {"words": 1.0}, "the same words with the lexicon features' penalty"),
    ("c-grid-wider", {"C": (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)},
     "C chosen from a grid extended below 0.03 (fitted on all six sources, the political frame takes the grid's "
     "smallest C: a grid should extend past the value chosen)"),
]
"""(name, parameters added to those kept so far, justification), in the pre-registered order."""


def bbc_corpus() -> Any:
    """BBC News 2004-05, every section as the genre (safe ids), processed."""
    from framing.corpus import load_corpus, process_corpus

    return process_corpus(load_corpus(BBC, id_col="id", genre_col="category", safe_ids=True))


def labelled_shares(labels: pd.DataFrame, bbc: Any) -> dict[str, float]:
    """Share of sentences with any frame, per section and over all (``any``)."""
    genre = bbc.documents.set_index("doc_id")["genre"]
    table = labels.assign(section=labels["doc_id"].map(genre), any=labels[list(FRAMES)].max(axis=1))
    out = {f"bbc_{k}": round(float(v), 3) for k, v in table.groupby("section")["any"].mean().items()}
    out["bbc_all"] = round(float(table["any"].mean()), 3)
    return out


def measure(params: dict[str, Any], data: Any, bbc: Any) -> dict[str, Any]:
    """Leave-one-source-out, seeds LODO and (with ``bbc``) the BBC shares of one setting."""
    from framing.agreement import seeds_lodo_figures, source_lodo_figures
    from framing.agreement._general import _general_classifier
    from framing.agreement._instrument import training_sentences

    t0 = time.perf_counter()
    loso = source_lodo_figures(params=params, data=data)
    seeds = seeds_lodo_figures(data=data, params=params)
    row: dict[str, Any] = {f"loso_{k}": v for k, v in loso["classifier"].items()}
    row["loso_mean"] = loso["mean"]["classifier"]
    row["seeds_lodo"] = seeds["classifier"]["without_case"]
    row["seeds_lodo_case"] = seeds["classifier"]["with_case"]
    if bbc is not None:
        seeds_corpus, coded, sets, _ = data
        sents, labels, _all = training_sentences(seeds_corpus, coded, sets, FRAMES)
        model = _general_classifier(params).fit(sents, labels)
        row.update(labelled_shares(model.label_table(bbc.sentences), bbc))
    row["seconds"] = round(time.perf_counter() - t0, 1)
    return {"row": row, "rule": loso["rule"], "rule_mean": loso["mean"]["rule"], "seeds_rule": seeds["rule"]}


def kept(row: dict[str, Any], base: dict[str, Any]) -> bool:
    """The pre-registered rule: a higher six-source mean, neither seeds figure lower by more than 0.02."""
    return bool(row["loso_mean"] > base["loso_mean"]
                and row["seeds_lodo"] >= base["seeds_lodo"] - MAX_SEEDS_DROP
                and row["seeds_lodo_case"] >= base["seeds_lodo_case"] - MAX_SEEDS_DROP)


def _markdown(table: pd.DataFrame, command: str, accepted: dict[str, Any]) -> str:
    cols = [c for c in table.columns if c != "justification"]
    lines = results_head("General model: settings selected by leave-one-source-out (issue 9)", command,
                         "framing " + _version())
    lines += ["| " + " | ".join(cols) + " |", "| " + " | ".join("---" for _ in cols) + " |"]
    lines += ["| " + " | ".join(str(v) for v in r) + " |" for r in table[cols].itertuples(index=False)]
    lines += ["", "Candidates (tried in this order, each on top of the settings kept so far):", ""]
    lines += [f"- `{r.candidate}`: {r.justification}" for r in table.itertuples()]
    lines += ["", f"Settings kept: `{accepted}`", ""]
    return "\n".join(lines)


def _version() -> str:
    import sklearn

    import framing

    return f"{framing.__version__}, scikit-learn {sklearn.__version__}, numpy {np.__version__}, pandas {pd.__version__}"


def main(argv: list[str] | None = None) -> int:
    """Run the selection and write its results."""
    from framing.agreement import general_training_data

    parser = argparse.ArgumentParser(prog="bench_model_selection")
    parser.add_argument("--no-bbc", action="store_true", help="skip the BBC labelled shares (secondary figure)")
    parser.add_argument("--only", nargs="*", default=None, help="candidates to run (default: all, in order)")
    args = parser.parse_args(argv)
    command = "python -m benchmarks model_selection" + (" " + " ".join(argv) if argv else "")
    data = general_training_data(ROOT)
    bbc = None
    if not args.no_bbc:
        if BBC.is_file():
            bbc = bbc_corpus()
        else:
            print(f"bench_model_selection: BBC corpus absent ({BBC}); no labelled shares")
    rows: list[dict[str, Any]] = []
    accepted: dict[str, Any] = {}
    base: dict[str, Any] | None = None
    for name, params, why in CANDIDATES:
        if args.only is not None and name not in args.only and name != "current":
            continue
        tried = {**accepted, **params}
        got = measure(tried, data, bbc)
        row = {"candidate": name, "params": repr(tried), **got["row"]}
        if base is None:  # the rule and the current model first
            rule = {"candidate": "rule (coder)", "params": "",
                    **{f"loso_{k}": v for k, v in got["rule"].items()}, "loso_mean": got["rule_mean"],
                    "seeds_lodo": got["seeds_rule"]["without_case"], "seeds_lodo_case": got["seeds_rule"]["with_case"],
                    "kept": "(in-sample on seeds, 1, 3, devset)",
                    "justification": "the default instrument, no training"}
            if bbc is not None:
                from framing.scoring import frame_table

                rule.update(labelled_shares(frame_table(bbc), bbc))
            rows.append(rule)
            row["kept"] = "baseline"
            base = got["row"]
        else:
            ok = kept(got["row"], base)
            row["kept"] = "yes" if ok else "no"
            if ok:
                accepted, base = tried, got["row"]
        row["justification"] = why
        rows.append(row)
        print(f"{name}: {row}", flush=True)
    table = pd.DataFrame(rows)
    RESULTS.mkdir(parents=True, exist_ok=True)
    write_csv(table, RESULTS / "model-selection.csv")
    atomic_write_text(RESULTS / "model-selection.md", _markdown(table, command, accepted))
    print(_markdown(table, command, accepted))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
