"""The study's own speed: ``framing run`` on the seeds against six bare papermill kernels (issue 10).

Back to back on this machine:

1. **floor**: six papermill kernels, started as ``framing run`` starts them
   (:func:`framing.runner.run_notebook`), each running one cell that only imports the package's third-party
   stack (:data:`STACK`);
2. **run**: ``framing run`` (a subprocess, ``MPLBACKEND=Agg``) on the study in a temporary copy of the project
   (config, notebooks, data/raw, data/validation; ``../shared`` linked beside it when present, so notebook 06
   finds the development set and the Narrative Frames Corpus as in the checkout).

The breakdown per notebook and phase comes from the executed notebooks' cell timings (papermill's
``metadata.papermill.duration``) and the run's ``provenance.json``:

* ``kernel start``: the notebook's time in ``framing run`` minus the time of its cells (kernel start-up,
  papermill reading and writing the notebook);
* ``preparation``: the corpus preparation in the setup cell (``nbtools.setup``), measured apart in the
  benchmark's process with :func:`framing.corpus.prepare_corpus`: from the raw corpus for the first notebook,
  from its cache for the others (at most the cell's time);
* ``imports``: the rest of the setup cell (its imports, and the few lines after ``setup``);
* each other cell by what it does, first match: ``classifier CV`` (``instrument_validity``, or the section
  that calls it, ``sections.validity_beyond_seeds``), ``bootstraps`` (``n_boot``), ``topic refits``
  (``topics.`` or ``sections.``), ``figure rendering`` (``save_figure``: drawing and writing
  PDF, SVG, PNG), ``analysis (other)``;
* since the head start (:mod:`framing.headstart`), ``classifier CV`` and ``topic refits`` are what the notebook
  still spends there: loading the results the background process computed into the temporary project's
  ``data/processed/cache/`` (empty at the start: every run of the benchmark is a cold one), or waiting for them.
  The note says how many PDF font subsets were kept (``framing.plots._fontcache``) before the run: 0 is a cold
  cache, as on a new machine;
* ``outside notebooks``: the run's wall time minus its notebooks' times (CLI start, parameter checks,
  provenance, the backend's preparation when one is chosen, ``index.html`` and the offline notebook pages),
  of which ``HTML rendering`` is :func:`framing.report.build_index` timed again on the finished reports.

``--label NAME`` names the row set (``before`` / ``after``); rows of other labels already in
``benchmarks/results/study.csv`` are kept, so one file holds both. ``--save DIR`` copies the run's
``reports/figures`` and ``reports/tables`` to DIR; ``--compare DIR`` says whether they are byte-identical to
DIR's (same files, same bytes), and whether the executed notebooks' cells, execution counts and outputs are
(``notebook_outputs.json``, written by ``--save``; temporary paths replaced). To measure the code of an
earlier commit, put its ``src`` first on ``PYTHONPATH`` (the subprocess and its kernels inherit it).
Only the rows of ``--label`` are measured; the
Markdown is rebuilt from every row of the CSV.

Run from the project root: ``python -m benchmarks study [--label after] [--backend stream] [--save DIR]
[--compare DIR] [--corpus PATH --corpus-name NAME | --short-docs 5000] [--skip-floor] [--stem study]``.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.bench_pipeline import RESULTS, ROOT, machine

STACK = ("numpy", "scipy", "scipy.stats", "pandas", "pyarrow", "sklearn", "sklearn.linear_model",
         "sklearn.decomposition", "sklearn.feature_extraction.text", "matplotlib", "matplotlib.pyplot", "nltk",
         "yaml", "networkx", "jinja2")
"""The third-party stack the study's notebooks use: what each floor kernel imports."""

PROJECT_PARTS = ("config", "notebooks", "data/raw", "data/validation")
PHASES = ("kernel start", "imports", "preparation", "classifier CV", "bootstraps", "topic refits",
          "figure rendering", "analysis (other)")


def make_project(dest: Path) -> Path:
    """A copy of what a study run reads, with ``../shared`` linked beside it when the checkout has one."""
    for part in PROJECT_PARTS:
        if (ROOT / part).exists():
            shutil.copytree(ROOT / part, dest / "project" / part)
    shared = ROOT.parent / "shared"
    if shared.is_dir():
        (dest / "shared").symlink_to(shared, target_is_directory=True)
    return dest / "project"


def short_documents(dest: Path, n: int) -> Path:
    """``n`` short documents (one paragraph of a BBC News article each, in file order) as JSONL.

    Genre: the article's BBC category; title: the article's title and the part number. Built from the BBC
    corpus of ``../shared/corpora`` (read only) into ``dest``, never into the project.
    """
    from benchmarks.bench_pipeline import CORPUS, read_bbc

    if not CORPUS.is_file():
        raise SystemExit(f"{CORPUS} not found: --short-docs needs the BBC News corpus")
    rows = []
    for art in read_bbc(CORPUS):
        title, *paras = [p.strip() for p in str(art["text"]).split("\n\n") if p.strip()]
        for k, para in enumerate(paras):
            rows.append({"doc_id": f"s{len(rows):05d}", "genre": art["genre"], "title": f"{title} ({k + 1})",
                         "text": para})
            if len(rows) == n:
                break
        if len(rows) == n:
            break
    path = dest / f"short{n}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def floor(workdir: Path, n: int = 6) -> list[float]:
    """Seconds of ``n`` papermill kernels, one after another, each importing :data:`STACK` and nothing else."""
    from framing.nbtools import write_notebook
    from framing.runner import run_notebook

    nb = write_notebook(workdir / "floor.ipynb", [("code", "\n".join(f"import {m}" for m in STACK))])
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        run_notebook(nb, workdir / f"floor_{i}.ipynb", {}, cwd=workdir, validate=False)
        times.append(time.perf_counter() - t0)
    return times


def preparation_seconds(project: Path, provenance: dict[str, Any]) -> tuple[float, float]:
    """Seconds of the study corpus's preparation measured apart, in this process: from the raw corpus into a
    scratch folder (what the first notebook does), then again from that cache (what the others do)."""
    from framing.corpus import prepare_corpus

    params = provenance["parameters"]
    corpus = Path(str(params.get("corpus", "data/raw")))
    source = corpus if corpus.is_absolute() else project / corpus
    scratch = project / "scratch-processed"
    seconds = []
    for _ in range(2):
        t0 = time.perf_counter()
        prepare_corpus(source, name=str(params.get("corpus_name", "seeds")), processed_dir=scratch)
        seconds.append(time.perf_counter() - t0)
    shutil.rmtree(scratch, ignore_errors=True)
    return seconds[0], seconds[1]


def kept_font_subsets() -> int | str:
    """How many PDF font subsets ``framing.plots._fontcache`` keeps (``"n/a"``: code from before it)."""
    try:
        from framing.plots._fontcache import subset_cache_dir
    except ImportError:
        return "n/a"
    folder = subset_cache_dir()
    return len(list(folder.glob("*"))) if folder.is_dir() else 0


def phase_of(source: str) -> str:
    """The phase a (non-setup) code cell belongs to (module docstring)."""
    if "instrument_validity" in source or "validity_beyond_seeds" in source:
        return "classifier CV"
    if "n_boot" in source:
        return "bootstraps"
    if "topics." in source or "sections." in source:
        return "topic refits"
    if "save_figure" in source:
        return "figure rendering"
    return "analysis (other)"


def breakdown(reports: Path, provenance: dict[str, Any], preparation: tuple[float, float]
              ) -> list[dict[str, Any]]:
    """Seconds per notebook and phase, from the executed notebooks and provenance (module docstring)."""
    import nbformat

    rows: list[dict[str, Any]] = []
    for k, rec in enumerate(provenance["notebooks"]):
        name = Path(rec["notebook"]).stem
        nb = nbformat.read(reports / "notebooks" / f"{name}.ipynb", as_version=4)
        phases = dict.fromkeys(PHASES, 0.0)
        cells = [c for c in nb.cells if c.cell_type == "code"]
        total_cells = 0.0
        for cell in cells:
            seconds = float(cell.metadata.get("papermill", {}).get("duration") or 0.0)
            total_cells += seconds
            if "nbtools.setup(" in cell.source:
                prepared = min(preparation[0] if k == 0 else preparation[1], seconds)
                phases["preparation"] += prepared
                phases["imports"] += seconds - prepared
            elif "parameters" in cell.metadata.get("tags", []) or "injected-parameters" in cell.metadata.get(
                    "tags", []):
                phases["analysis (other)"] += seconds
            else:
                phases[phase_of(cell.source)] += seconds
        phases["kernel start"] = max(float(rec["elapsed_s"]) - total_cells, 0.0)
        rows += [{"notebook": name, "phase": p, "seconds": round(s, 2)} for p, s in phases.items()]
    return rows


def run_study(project: Path, backend: str | None, overrides: list[str]) -> tuple[float, dict[str, Any], str]:
    env = {k: v for k, v in os.environ.items() if k != "FRAMING_ROOT"}
    env["MPLBACKEND"] = "Agg"
    cmd = [sys.executable, "-m", "framing", "run", *(["--backend", backend] if backend else [])]
    for o in overrides:
        cmd += ["-p", o]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"framing run failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
    prov = json.loads((project / "reports" / "provenance.json").read_text(encoding="utf-8"))
    return wall, prov, proc.stderr


def html_seconds(reports: Path) -> float:
    """Seconds of :func:`framing.report.build_index` on the finished reports (it rebuilds what the run built)."""
    from framing.report import build_index

    t0 = time.perf_counter()
    build_index(reports)
    return time.perf_counter() - t0


def same_bytes(a: Path, b: Path) -> tuple[bool, str]:
    """Whether folders ``a`` and ``b`` hold the same files with the same bytes (recursively); what differs."""
    files_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    if files_a != files_b:
        return False, f"file lists differ: only in new {sorted(set(files_a) - set(files_b))[:5]}, only in " \
                      f"reference {sorted(set(files_b) - set(files_a))[:5]}"
    differ = [f for f in files_a if not filecmp.cmp(a / f, b / f, shallow=False)]
    return not differ, (f"{len(files_a)} files, all byte-identical" if not differ
                        else f"{len(differ)} of {len(files_a)} files differ: {differ[:8]}")


def notebook_outputs(reports: Path) -> dict[str, Any]:
    """Each executed notebook's cells as run: source, execution count and outputs (no timings, no paths)."""
    import nbformat

    out: dict[str, Any] = {}
    for path in sorted((reports / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        out[path.stem] = [{"source": c.source, "count": c.get("execution_count"),
                           "outputs": [{k: v for k, v in o.items() if k != "metadata"} for o in c.get("outputs", [])]}
                          for c in nb.cells if c.cell_type == "code"]
    return out


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def write_results(rows: list[dict[str, Any]], label: str, stem: str, notes: list[str], command: str) -> Path:
    import importlib.metadata as md

    import pandas as pd

    from framing.io import atomic_write_text, write_csv

    RESULTS.mkdir(parents=True, exist_ok=True)
    csv_path = RESULTS / f"{stem}.csv"
    old = pd.read_csv(csv_path, keep_default_na=False) if csv_path.is_file() else pd.DataFrame()
    if len(old):
        old = old[old["label"].astype(str) != label]
    table = pd.concat([old, pd.DataFrame(rows)], ignore_index=True)
    write_csv(table, csv_path)
    versions = ", ".join(f"{p} {md.version(p)}" for p in ("framing", "papermill", "ipykernel", "numpy", "pandas",
                                                          "scikit-learn", "matplotlib"))
    lines = ["# The study's run time: `framing run` against bare kernels (issue 10)", "",
             f"Command: `{command}` (Markdown rebuilt from every label of `{stem}.csv`)  ",
             f"Date (UTC) of label {label!r}: {datetime.now(UTC):%Y-%m-%d %H:%M}  ",
             "Machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()) + "  ",
             f"Versions: python {sys.version.split()[0]}, {versions}", "",
             "Floor: six papermill kernels one after another, each importing " + ", ".join(STACK) + ".", ""]
    for lab, part in table.groupby("label", sort=False):
        get = part.set_index(["notebook", "phase"])["seconds"]
        floor_s, run_s = float(get[("floor", "total")]), float(get[("run", "wall")])
        ratio = f"**{run_s / floor_s:.2f}x** (goal <= 1.5x)" if floor_s > 0 else "not measured"
        lines += [f"## {lab}", "", f"`framing run` {run_s:.1f} s; floor {floor_s:.1f} s; ratio "
                  f"{ratio}; load average at the start: "
                  f"{part['load'].iloc[0]}; {part['note'].iloc[0]}", ""]
        nbs = [n for n in dict.fromkeys(part["notebook"]) if n not in ("floor", "run")]
        lines += ["| phase | " + " | ".join(nbs) + " | total |", "| --- |" + " ---: |" * (len(nbs) + 1)]
        for phase in PHASES:
            vals = [float(get.get((n, phase), 0.0)) for n in nbs]
            lines.append(f"| {phase} | " + " | ".join(f"{v:.1f}" for v in vals) + f" | {sum(vals):.1f} |")
        for what in ("outside notebooks", "HTML rendering"):
            lines.append(f"| {'of which ' if what.startswith('HTML') else ''}{what} |" + " |" * len(nbs)
                         + f" {float(get[('run', what)]):.1f} |")
        lines.append("")
    lines += notes
    md_path = RESULTS / f"{stem}.md"
    atomic_write_text(md_path, "\n".join(lines) + "\n")
    return md_path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks study", description=__doc__.split("\n\n")[0])
    ap.add_argument("--label", default="after", help="name of this measurement (rows replaced in the CSV)")
    ap.add_argument("--backend", default=None, choices=["memory", "stream", "dask"], help="framing run --backend")
    ap.add_argument("--corpus", default=None, help="run the study on this corpus (-p corpus=...)")
    ap.add_argument("--corpus-name", default=None, help="with --corpus: -p corpus_name=...")
    ap.add_argument("--short-docs", type=int, default=None, metavar="N",
                    help="run the study on N short documents made from BBC News (a paragraph each)")
    ap.add_argument("--save", default=None, help="copy reports/figures and reports/tables to this folder")
    ap.add_argument("--compare", default=None, help="folder saved by --save: are figures and tables identical?")
    ap.add_argument("--skip-floor", action="store_true", help="do not measure the floor (reuse no figure)")
    ap.add_argument("--stem", default="study", help="results file names (benchmarks/results/STEM.csv, .md)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = ap.parse_args(argv)
    command = "python -m benchmarks study " + " ".join(argv if argv is not None else sys.argv[1:])
    overrides = []
    if args.corpus:
        overrides = [f"corpus={Path(args.corpus).resolve()}", f"corpus_name={args.corpus_name or 'corpus'}"]
    tmp = Path(tempfile.mkdtemp(prefix="framing-bench-study-"))
    try:
        project = make_project(tmp)
        if args.short_docs:
            short = short_documents(tmp, args.short_docs)
            overrides = [f"corpus={short}", f"corpus_name=short{args.short_docs}"]
        load = load_average()
        floor_times = [] if args.skip_floor else floor(tmp)
        kept = kept_font_subsets()
        wall, prov, _ = run_study(project, args.backend, overrides)
        reports = project / "reports"
        rows = breakdown(reports, prov, preparation_seconds(project, prov))
        inside = sum(float(r["elapsed_s"]) for r in prov["notebooks"])
        html = html_seconds(reports)
        rows += [{"notebook": "run", "phase": "wall", "seconds": round(wall, 2)},
                 {"notebook": "run", "phase": "outside notebooks", "seconds": round(wall - inside, 2)},
                 {"notebook": "run", "phase": "HTML rendering", "seconds": round(html, 2)},
                 {"notebook": "floor", "phase": "total", "seconds": round(sum(floor_times), 2)}]
        note = (f"floor kernels {', '.join(f'{t:.1f}' for t in floor_times)} s" if floor_times else "no floor")
        note += f"; PDF font subsets kept before the run: {kept}"
        notes: list[str] = []
        outputs = json.dumps(notebook_outputs(reports), sort_keys=True, ensure_ascii=False)
        outputs = outputs.replace(str(project), "PROJECT")
        if args.save:
            dest = Path(args.save)
            for sub in ("figures", "tables"):
                shutil.rmtree(dest / sub, ignore_errors=True)
                shutil.copytree(reports / sub, dest / sub)
            (dest / "notebook_outputs.json").write_text(outputs, encoding="utf-8")
        if args.compare:
            for sub in ("figures", "tables"):
                ok, what = same_bytes(reports / sub, Path(args.compare) / sub)
                note += f"; reports/{sub} {'identical' if ok else 'DIFFERENT'} to {args.compare}: {what}"
            ref = Path(args.compare) / "notebook_outputs.json"
            if ref.is_file():
                same = ref.read_text(encoding="utf-8") == outputs
                note += f"; executed notebooks' cells and outputs {'identical' if same else 'DIFFERENT'}"
        for r in rows:
            r.update(label=args.label, load=load, note=note)
        md_path = write_results(rows, args.label, args.stem, notes, command)
        print(md_path.read_text(encoding="utf-8"))
        if args.keep:
            print(f"project kept in {project}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
