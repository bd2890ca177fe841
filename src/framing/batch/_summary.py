"""The batch summary: ``summary.csv`` and ``index.html`` (rendered from an autoescaped Jinja2 template)."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path
from typing import Any

from framing.batch._config import _canonical
from framing.batch._plan import BatchPlan
from framing.batch._results import BatchResult, RunResult
from framing.io import atomic_write_text
from framing.paths import shown_path


def _cell_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_cell_text(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dict):
        return _canonical(value)
    return "" if value is None else str(value)


def _shown(value: Any) -> dict[str, Any]:
    """A value as a cell of the index shows it: ``text`` and whether it is a ``number`` (right-aligned).

    The same formatting as the report's tables: floats to 4 significant digits (NaN empty), lists joined
    with ``, ``, mappings as sorted JSON, ``None`` empty.
    """
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(value, float):
        text = "" if math.isnan(value) else f"{value:.4g}"
    elif isinstance(value, list | tuple):
        text = ", ".join(_shown(v)["text"] for v in value) if value else "[]"
    elif isinstance(value, dict):
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    else:
        text = "" if value is None else str(value)
    return {"text": text, "number": number}


def _index_row(r: RunResult, run_dir: Path, param_cols: list[str]) -> dict[str, Any]:
    """One run's row of the index: link to its folder (when it has a page), headline, parameters, notebooks."""
    from framing.report import headline

    notebooks = []
    for nb in r.notebooks:
        out = str(nb.get("output", ""))
        html_file = Path(out).with_suffix(".html").as_posix()
        target = html_file if (run_dir / html_file).is_file() else out if (run_dir / out).is_file() else None
        label, status = Path(out).stem or nb.get("notebook"), nb.get("status")
        notebooks.append({"href": f"{r.run_id}/{target}" if target else None,
                          "label": "" if label is None else label, "status": "" if status is None else status})
    linked = (run_dir / "index.html").is_file() and r.status in ("ok", "failed", "cached")
    return {
        "run_id": r.run_id, "href": f"{r.run_id}/index.html" if linked else None, "status": r.status,
        "headline": headline(run_dir) if run_dir.is_dir() else "",
        "params": [(k, _shown(r.varying[k])["text"]) for k in param_cols if k in r.varying],
        "duration": _shown("" if r.elapsed is None else round(float(r.elapsed), 1)),
        "notebooks": notebooks, "error": r.error,
    }


def write_summary(plan: BatchPlan, batch: BatchResult) -> tuple[Path, Path]:
    """Write ``summary.csv`` and ``index.html`` for a batch; return their paths.

    ``summary.csv`` columns: ``run_id``, ``status``, ``duration_s``, one column per varying parameter, one per
    key result (``key_results.json`` of each run, see docs/reports.md), ``error``. ``index.html``: one row per
    run (run id, status, headline, its parameters in one cell, duration, notebooks, error), so that the table
    fits a 1280-pixel window whatever the number of parameters; then the key results, one row per key and one
    column per run.
    """
    from framing.report import render_template

    out_dir = plan.out_dir
    param_cols = list(dict.fromkeys(k for r in plan.runs for k in r.varying))
    key_cols = sorted({k for r in batch.runs for k in r.key_results})
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["run_id", "status", "duration_s", *param_cols, *key_cols, "error"])
    for r in batch.runs:
        writer.writerow([
            r.run_id, r.status, "" if r.elapsed is None else f"{r.elapsed:.2f}",
            *(_cell_text(r.varying.get(k)) for k in param_cols),
            *(_cell_text(r.key_results.get(k)) for k in key_cols),
            r.error,
        ])
    csv_path = atomic_write_text(out_dir / "summary.csv", buf.getvalue())

    rows = [_index_row(r, out_dir / r.run_id, param_cols) for r in batch.runs]
    key_rows = [{"key": k, "cells": [_shown(r.key_results.get(k, "")) for r in batch.runs]} for k in key_cols]
    counts = {s: sum(1 for r in batch.runs if r.status == s) for s in ("ok", "cached", "failed", "interrupted")}
    sub = ", ".join(f"{n} {s}" for s, n in counts.items() if n) + f"; {batch.elapsed:.1f} s"
    page = render_template(
        "batch_index.html.j2", title=f"Batch: {plan.config.name}", subtitle=sub,
        description=plan.config.description, config=shown_path(plan.config.path, plan.root),
        rows=rows, key_rows=key_rows,
    )
    index = atomic_write_text(out_dir / "index.html", page)
    return csv_path, index
