"""Evidence pages: the KWIC rows of :mod:`framing.evidence` as CSV and an anchored, autoescaped HTML page."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from framing.errors import ParameterError
from framing.io import atomic_write_text, write_csv
from framing.paths import report_paths
from framing.report.html import render_template, table_data
from framing.types import PathLike


def anchor(category: object) -> str:
    """Return the HTML anchor of a category's section in an evidence page (letters, digits, ``-``)."""
    return "kwic-" + (re.sub(r"[^A-Za-z0-9]+", "-", str(category)).strip("-").lower() or "none")


def write_evidence(rows: pd.DataFrame, name: str, reports_dir: PathLike, *, title: str | None = None) -> list[Path]:
    """Write ``evidence/NAME.csv`` and ``evidence/NAME.html`` (one anchored section per ``category``).

    The HTML page is rendered from the autoescaped template ``kwic.html.j2``: corpus text shows as text.
    Returns the two paths.
    """
    if "category" not in rows.columns:
        raise ParameterError(f"write_evidence({name!r}): rows need a 'category' column")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise ParameterError(f"write_evidence: name {name!r} must be a plain file stem")
    out = report_paths(reports_dir).evidence
    csv = write_csv(rows, out / f"{name}.csv")
    shown = [c for c in rows.columns if c not in ("category", "matcher")]
    sections = []
    for cat, group in rows.groupby("category", sort=True):
        counted = int(group["counted"].sum()) if "counted" in group.columns else len(group)
        sections.append({"anchor": anchor(cat), "category": str(cat), "n": len(group), "counted": counted,
                         "table": table_data(group[shown])})
    page = render_template(
        "kwic.html.j2", title=title or f"Evidence: {name}", subtitle=None, csv=csv.name, sections=sections,
        matcher=", ".join(sorted(rows["matcher"].astype(str).unique())) if "matcher" in rows.columns else "",
    )
    return [csv, atomic_write_text(out / f"{name}.html", page)]
