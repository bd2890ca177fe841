"""The README's performance table, regenerated from ``benchmarks/results/`` (issue 10).

Run: ``python -m benchmarks readme`` rewrites the table between the markers ``<!-- perf-table:start -->`` and
``<!-- perf-table:end -->`` in README.md; ``--check`` only compares and exits 1 when the README is stale (the test
suite runs the comparison). ``python -m benchmarks`` (every benchmark, ``make benchmark``) regenerates it at the end.

Each row is read from one results file pair (``NAME.csv`` for the figures, ``NAME.md`` for the command, the date
and the load average): nothing in the table is typed by hand, so a figure in the README is the one the
benchmark last wrote. A results file that is missing gives a row saying so. The goals are issue 10's; "met" is
decided from the figures in the row. Measurements that no benchmark writes to ``results/`` (and the history of
the figures) are in docs/scale.md, "Measurement history".
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from statistics import median

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
README = ROOT / "README.md"
START, END = "<!-- perf-table:start -->", "<!-- perf-table:end -->"

Row = tuple[str, str, str, str, str]  # what, figure, goal, met, the results stem it was read from


def _head(results: Path, stem: str) -> dict[str, str]:
    """Command, date and load average from the opening lines of ``STEM.md`` (``results_head``)."""
    md = results / f"{stem}.md"
    text = md.read_text(encoding="utf-8") if md.is_file() else ""
    out = {"command": "", "date": "", "load": ""}
    if m := re.search(r"^Command: `([^`]*)`", text, re.M):
        out["command"] = m.group(1)
    if m := re.search(r"^Date \(UTC\)[^:]*: (\d{4}-\d\d-\d\d \d\d:\d\d)", text, re.M):
        out["date"] = m.group(1)
    if m := re.search(r"load average ([\d., ]+?)\s*$", text, re.M):
        out["load"] = m.group(1).strip(" ,")
    return out


def _source(head: dict[str, str]) -> str:
    load = f", load average {head['load']}" if head["load"] else ""
    return f"`{head['command']}`, {head['date']}{load}"


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _count(results: Path) -> list[Row]:
    df = pd.read_csv(results / "count.csv", keep_default_na=False)
    med = {e: median(df.loc[df["engine"] == e, "mb_s"].astype(float)) for e in ("ours", "liwc")}
    same = df.loc[df["digest"] != "", "digest"].nunique() == 1
    ratio = med["ours"] / med["liwc"]
    figure = (f"`count_matrix` {med['ours']:.0f} MB/s, `liwc` {med['liwc']:.1f} MB/s: **{ratio:.1f}x** "
              f"(medians of {df['repetition'].nunique()}); counts {'identical' if same else 'DIFFERENT'}")
    return [("word lookup, `count_matrix` against `liwc`", figure, ">= 25x", _met(ratio >= 25 and same), "count")]


def _pipeline(results: Path) -> list[Row]:
    df = pd.read_csv(results / "pipeline-large.csv", keep_default_na=False).set_index("engine")
    md = (results / "pipeline-large.md").read_text(encoding="utf-8")
    checks = re.findall(r"^\* (\w+): (\d+) sentences now, (\d+) before: (\w+)", md, re.M)
    same = bool(checks) and all(c[3] == "identical" for c in checks)
    ours, peer = float(df.loc["framing", "mb_s"]), float(df.loc["spacy", "mb_s"])
    rows: list[Row] = [(
        "whole path of `framing frames` (load, clean, segment, coder rule, write) against spaCy blank + "
        "sentencizer + PhraseMatcher",
        f"{ours:.2f} MB/s per core on {float(df.loc['framing', 'mb']):.0f} MB "
        f"({df.loc['framing', 'note']}), {float(df.loc['framing', 'peak_mb']):.0f} MB peak; spaCy "
        f"{peer:.2f} MB/s: **{ours / peer:.1f}x**",
        ">= 10x", _met(ours / peer >= 10), "pipeline-large")]
    if "framing_any" in df.index:
        anyr = float(df.loc["framing_any", "mb_s"])
        rows.append(("the same with `rule=\"any\"` (hits, negation, counts; what the spaCy row does)",
                     f"{anyr:.2f} MB/s per core: {anyr / peer:.1f}x", "(for comparison)", "reported",
                     "pipeline-large"))
    if "liwc" in df.index and str(df.loc["liwc", "ours_cpu_ratio"]) not in ("", "nan"):
        lookup = float(df.loc["liwc", "ours_cpu_ratio"])
        rows.append(("word lookup in the same run (`count_matrix` against `liwc`, calls of 500 documents, "
                     "one pass each)", f"**{lookup:.1f}x**", ">= 25x", _met(lookup >= 25), "pipeline-large"))
    rows.append(("sentence boundaries against the per-paragraph Punkt implementation",
                 "; ".join(f"{c[0]} {int(c[1]):,} sentences, {c[3]}" for c in checks) or "not checked",
                 "identical", _met(same), "pipeline-large"))
    return rows


def _dask(results: Path) -> list[Row]:
    df = pd.read_csv(results / "dask.csv", keep_default_na=False).set_index("engine")
    one, two = float(df.loc["dask-1", "wall"]), float(df.loc["dask-2", "wall"])
    peak = max(float(x) for p in df["worker_peaks"].astype(str) for x in p.split() if x)
    mb = float(df.loc["dask-2", "mb"])
    return [(f"`--backend dask` (`frames`) on {mb:.0f} MB, 2 workers against 1",
             f"1 worker {one:.0f} s, 2 workers {two:.0f} s: **{one / two:.2f}x**; peak memory per worker "
             f"{peak:.0f} MB", ">= 1.7x; < 2 GB a worker", _met(one / two >= 1.7 and peak < 2000), "dask")]


def _stream(results: Path, stem: str, what: str) -> list[Row]:
    df = pd.read_csv(results / f"{stem}.csv", keep_default_na=False)
    r = df.iloc[0]
    mb, wall, peak = float(r["mb"]), float(r["wall"]), float(r["client_peak_mb"])
    return [(f"{what} on {mb:,.0f} MB of JSON lines, in process",
             f"{int(r['partitions'])} partitions, {int(r['documents']):,} documents: {wall:.0f} s "
             f"({mb / wall:.2f} MB/s), peak RSS {peak:.0f} MB", "< 2 GB peak", _met(peak < 2000), stem)]


def _study_label(results: Path, stem: str) -> str:
    md = (results / f"{stem}.md").read_text(encoding="utf-8")
    m = re.search(r"^Date \(UTC\) of label '([^']*)'", md, re.M)
    return m.group(1) if m else ""


def _study(results: Path) -> list[Row]:
    df = pd.read_csv(results / "study.csv", keep_default_na=False)
    label = _study_label(results, "study")
    part = df[df["label"].astype(str) == label].set_index(["notebook", "phase"])["seconds"].astype(float)
    run, floor = float(part[("run", "wall")]), float(part[("floor", "total")])
    return [("`framing run` (six notebooks) against six bare papermill kernels importing the stack",
             f"label `{label}`: {run:.1f} s against {floor:.1f} s, **{run / floor:.2f}x**", "<= 1.5x",
             _met(run / floor <= 1.5), "study")]


def _study_short(results: Path) -> list[Row]:
    df = pd.read_csv(results / "study-short.csv", keep_default_na=False)
    parts = []
    for label, part in df.groupby("label", sort=False):
        get = part.set_index(["notebook", "phase"])["seconds"].astype(float)
        figures = float(part.loc[part["phase"] == "figure rendering", "seconds"].astype(float).sum())
        parts.append(f"{label}: {float(get[('run', 'wall')]):.1f} s, figures {figures:.1f} s")
    return [("`framing run` on many short documents (one BBC paragraph each)", "; ".join(parts),
             "cost grows with the corpus, not with figure elements", "see docs/scale.md", "study-short")]


def _topics(results: Path) -> list[Row]:
    rows: list[Row] = []
    df = pd.read_csv(results / "topics-scale.csv", keep_default_na=False)
    big = df[df["mb"].astype(float) == df["mb"].astype(float).max()]
    cells = [f"{r.model.upper()} {r.engine} {float(r.nmi_sections):.3f}"
             + (f" ({float(r.nmi_memory):.3f})" if str(r.nmi_memory) not in ("", "nan") else "")
             + f", {float(r.peak_mb):.0f} MB" for r in big.itertuples()]
    rows.append((f"topic models on {float(big['mb'].iloc[0]):.0f} MB: NMI of dominant topics vs sections (vs the "
                 "in-memory fit), peak RSS", "; ".join(cells), "reported beside the in-memory fit", "reported",
                 "topics-scale"))
    if (results / "topics-scale-500.csv").is_file():
        r = pd.read_csv(results / "topics-scale-500.csv", keep_default_na=False).iloc[0]
        rows.append((f"online {str(r['model']).upper()} on {float(r['mb']):.0f} MB",
                     f"{float(r['wall']):.0f} s, peak RSS {float(r['peak_mb']):.0f} MB, NMI vs sections "
                     f"{float(r['nmi_sections']):.3f}", "memory bounded by a partition", "reported",
                     "topics-scale-500"))
    return rows


def _growth(results: Path) -> list[Row]:
    df = pd.read_csv(results / "growth.csv", keep_default_na=False)
    rows: list[Row] = []
    for r in df[df["task"] == "one document"].itertuples():
        above = float(r.above_x)
        rows.append((f"one document of {float(r.mb):.0f} MB, `prepare` (clean, segment)",
                     f"{float(r.prepare_s):.1f} CPU s, peak {float(r.peak_mb):.0f} MB: {above:.1f}x the text above the "
                     f"loaded text", "memory a small constant of the input (<= 20x)", _met(above <= 20), "growth"))
    for r in df[df["task"] == "blame against frames"].itertuples():
        ratio = float(r.ratio)
        rows.append((f"`blame` against `frames` on {float(r.mb):.0f} MB (the same prepared corpus)",
                     f"frames {float(r.frames_s):.1f} CPU s, blame {float(r.blame_s):.1f} CPU s: **{ratio:.1f}x**",
                     "<= 3x", _met(ratio <= 3), "growth"))
    checks = df[df["task"] == "lexicon check"]
    if len(checks):
        biggest = checks.loc[checks["entries"].astype(int).idxmax()]
        rows.append(("`framing lexicon check` as the lexicon grows",
                     "; ".join(f"{int(r.entries):,} entries {float(r.check_s):.2f} s" for r in checks.itertuples()),
                     "50,000 entries < 10 s, near-linear",
                     _met(int(biggest["entries"]) >= 50000 and float(biggest["check_s"]) < 10), "growth"))
    return rows


SOURCES: tuple[tuple[str, Callable[[Path], list[Row]]], ...] = (
    ("count", _count),
    ("pipeline-large", _pipeline),
    ("growth", _growth),
    ("dask", _dask),
    ("dask-stream", lambda r: _stream(r, "dask-stream", "`prepare --backend stream`")),
    ("dask-stream-frames", lambda r: _stream(r, "dask-stream-frames", "`frames --backend stream`")),
    ("study", _study),
    ("study-short", _study_short),
    ("topics-scale", _topics),
)
"""Results stems in table order, each with the function that reads its row(s)."""


def build(results: Path = RESULTS) -> str:
    """Return the Markdown table (with its markers) built from the results files in ``results``."""
    lines = [START, "", "| what | figure | goal | | measured by |", "| --- | --- | --- | --- | --- |"]
    for stem, read in SOURCES:
        if not (results / f"{stem}.csv").is_file():
            lines.append(f"| `{stem}` | not measured: no `benchmarks/results/{stem}.csv` | | | |")
            continue
        for what, figure, goal, met, origin in read(results):
            lines.append(f"| {what} | {figure} | {goal} | {met} | {_source(_head(results, origin))} |")
    lines += ["", END]
    return "\n".join(lines)


def update(readme: Path = README, results: Path = RESULTS, *, check: bool = False) -> bool:
    """Put :func:`build`'s table between the markers of ``readme``; return whether it was already current.

    With ``check`` nothing is written. A README without both markers is an error (``ValueError``).
    """
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise ValueError(f"{readme}: no {START} ... {END} block to put the performance table in")
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    new = head + build(results) + tail
    if new == text:
        return True
    if not check:
        from framing.io import atomic_write_text

        atomic_write_text(readme, new)
    return False


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare only; exit 1 when README.md is stale")
    args = ap.parse_args(argv)
    current = update(check=args.check)
    if args.check:
        print("README performance table: " + ("current" if current else "STALE (python -m benchmarks readme)"))
        return 0 if current else 1
    print("README performance table: " + ("unchanged" if current else "regenerated"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
