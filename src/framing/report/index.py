"""``reports/index.html``: findings first, then notebooks, figures, tables, batch runs and provenance.

The page is rendered from the Jinja2 template ``templates/index.html.j2`` (autoescape on); the listing
sections are built by the functions below with every corpus-derived string escaped.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from framing.errors import ReportError
from framing.io import atomic_write_text
from framing.paths import report_paths
from framing.report.findings import collect_findings
from framing.report.html import _href, esc, html_table, read_key_results, render_template
from framing.report.notebook import notebook_info as _notebook_info
from framing.report.notebook import render_notebook
from framing.report.status import status_banner
from framing.types import PathLike

FIGURE_EXTENSIONS: tuple[str, ...] = (".png", ".svg", ".pdf", ".csv")
TABLE_EXTENSIONS: tuple[str, ...] = (".csv", ".tex")


def _group_by_stem(directory: Path, extensions: Sequence[str]) -> dict[str, dict[str, Path]]:
    groups: dict[str, dict[str, Path]] = {}
    if not directory.is_dir():
        return groups
    for p in sorted(directory.iterdir()):
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in extensions:
            groups.setdefault(p.stem, {})[p.suffix.lower()] = p
    return groups


def _section_notebooks(reports: Path, render: bool, rendered: Collection[Path] = ()) -> str:
    nb_dir = report_paths(reports).notebooks
    notebooks = sorted(p for p in nb_dir.glob("*.ipynb") if not p.name.startswith(".")) if nb_dir.is_dir() else []
    if not notebooks:
        return (
            '<h2 id="notebooks">Notebooks</h2>\n'
            '<p class="muted">No executed notebooks yet (run <code>framing run</code>).</p>'
        )
    rows = []
    done = {Path(p).resolve() for p in rendered}
    for nb in notebooks:
        html_path = nb.with_suffix(".html")
        if render and nb.resolve() not in done:
            render_notebook(nb, html_path)
        info = _notebook_info(nb)
        links = f'<a href="{_href(nb, reports)}">ipynb</a>'
        if html_path.is_file():
            links = f'<a href="{_href(html_path, reports)}">{esc(nb.stem)}</a> · ' + links
        else:
            links = f"{esc(nb.stem)} · " + links
        rows.append(
            {
                "notebook": links,
                "title": info["title"],
                "status": f'<span class="status-{esc(info["status"])}">{esc(info["status"])}</span>',
                "duration (s)": info["duration"] if info["duration"] is not None else "",
            }
        )
    return '<h2 id="notebooks">Notebooks</h2>\n' + html_table(
        rows, ["notebook", "title", "status", "duration (s)"], raw_html_columns=("notebook", "status")
    )


def _section_figures(reports: Path) -> str:
    groups = _group_by_stem(report_paths(reports).figures, FIGURE_EXTENSIONS)
    groups = {k: v for k, v in groups.items() if set(v) - {".csv"}}
    head = '<h2 id="figures">Figures</h2>\n'
    if not groups:
        return head + '<p class="muted">No figures yet.</p>'
    cards = []
    for stem, files in groups.items():
        thumb = files.get(".png") or files.get(".svg")
        img = f'<img src="{_href(thumb, reports)}" alt="{esc(stem)}">' if thumb else ""
        links = " ".join(
            f'<a href="{_href(files[ext], reports)}">{esc(ext[1:].upper())}</a>'
            for ext in FIGURE_EXTENSIONS
            if ext in files
        )
        target = files.get(".pdf") or thumb
        title = f'<a href="{_href(target, reports)}">{esc(stem)}</a>' if target else esc(stem)
        cards.append(f'<div class="card"><h3>{title}</h3>{img}<div class="links">{links}</div></div>')
    return head + '<div class="grid">\n' + "\n".join(cards) + "\n</div>"


def _read_preview(path: Path, max_rows: int) -> pd.DataFrame | None:
    try:
        return pd.read_csv(path, keep_default_na=False, nrows=max_rows + 1)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return None


def _section_tables(reports: Path, max_rows: int) -> str:
    groups = _group_by_stem(report_paths(reports).tables, TABLE_EXTENSIONS)
    head = '<h2 id="tables">Tables</h2>\n'
    if not groups:
        return head + '<p class="muted">No tables yet.</p>'
    parts = []
    for stem, files in groups.items():
        links = " ".join(
            f'<a href="{_href(files[ext], reports)}">{esc(ext[1:].upper())}</a>'
            for ext in TABLE_EXTENSIONS
            if ext in files
        )
        block = f'<h3>{esc(stem)} <span class="links">{links}</span></h3>'
        if ".csv" in files:
            df = _read_preview(files[".csv"], max_rows)
            if df is None:
                block += '<p class="muted">(preview unavailable: not a readable CSV)</p>'
            else:
                block += '<div class="preview">' + html_table(df, max_rows=max_rows) + "</div>"
        parts.append(block)
    return head + "\n".join(parts)


def _section_key_results(reports: Path) -> str:
    results = read_key_results(report_paths(reports).key_results)
    if not results:
        return ""
    rows = [{"result": k, "value": results[k]} for k in sorted(results)]
    link = f' <span class="links"><a href="{_href(report_paths(reports).key_results, reports)}">JSON</a></span>'
    return f'<h2 id="key-results">Key results{link}</h2>\n' + html_table(rows, ["result", "value"])


def _section_provenance(reports: Path) -> str:
    path = report_paths(reports).provenance
    head = '<h2 id="provenance">Provenance</h2>\n'
    if not path.is_file():
        return head + '<p class="muted">No provenance.json yet.</p>'
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    body = f'<p><a href="{_href(path, reports)}">provenance.json</a></p>'
    if isinstance(data, dict):
        scalars = [
            {"field": k, "value": v} for k, v in sorted(data.items()) if not isinstance(v, dict | list)
        ]
        if scalars:
            body += html_table(scalars, ["field", "value"])
    body += f"<details><summary>full provenance</summary><pre>{esc(text)}</pre></details>"
    return head + body


def _section_batches(reports: Path) -> str:
    batch_dir = report_paths(reports).batch
    indexes = sorted(batch_dir.glob("*/index.html")) if batch_dir.is_dir() else []
    if not indexes:
        return ""
    items = "".join(f'<li><a href="{_href(p, reports)}">{esc(p.parent.name)}</a></li>' for p in indexes)
    return f'<h2 id="batches">Batch runs</h2>\n<ul>{items}</ul>'


def _finding_context(reports: Path) -> list[dict[str, Any]]:
    out = []
    for f in collect_findings(reports):
        table = ""
        if f.table is not None and len(f.table):
            table = html_table(f.table)
        out.append({
            "key": f.key, "title": f.title, "sentences": f.sentences, "table": table,
            # relative URL-quoted links; the template escapes them for the attribute
            "evidence": [(label, quote(path) + (f"#{frag}" if frag else ""))
                         for label, (path, _, frag) in ((lab, rel.partition("#")) for lab, rel in f.evidence)],
        })
    return out


def build_index(
    reports_dir: PathLike = "reports",
    *,
    title: str = "framing: study report",
    render_notebooks: bool = True,
    max_table_rows: int = 15,
    rendered: Collection[PathLike] = (),
) -> Path:
    """Write ``REPORTS_DIR/index.html``: what the study found, then its notebooks, figures, tables, provenance.

    Parameters
    ----------
    reports_dir : path
        The reports directory (``notebooks/``, ``figures/``, ``tables/``, ``provenance.json``,
        ``key_results.json``, ``batch/*/index.html``; any may be missing).
    title : str
        Page title.
    render_notebooks : bool
        Render each ``notebooks/*.ipynb`` to HTML beside it (default ``True``).
    max_table_rows : int
        Rows shown in each table preview.
    rendered : collection of paths
        Executed notebooks whose HTML page the caller has just rendered (:func:`render_notebook`, as
        ``framing run`` does while the next notebook runs): not rendered again.

    Returns
    -------
    Path
        The written ``index.html``.
    """
    import markupsafe

    reports = Path(reports_dir)
    if not reports.is_dir():
        raise ReportError(f"reports directory not found: {reports}")
    # renders first: findings link the HTML
    notebooks = _section_notebooks(reports, render_notebooks, [Path(p) for p in rendered])
    sections = {
        "key-results": _section_key_results(reports),
        "notebooks": notebooks,
        "figures": _section_figures(reports),
        "tables": _section_tables(reports, max_table_rows),
        "batches": _section_batches(reports),
        "provenance": _section_provenance(reports),
    }
    findings = _finding_context(reports)
    nav = [("findings", "Findings")] if findings else []
    nav += [(a, t) for a, t in (("key-results", "Key results"), ("notebooks", "Notebooks"), ("figures", "Figures"),
                                ("tables", "Tables"), ("batches", "Batch runs"), ("provenance", "Provenance"))
            if f'id="{a}"' in sections[a]]
    page = render_template(
        "index.html.j2",
        title=title,
        subtitle=None,
        banner=markupsafe.Markup(status_banner(reports)),
        nav=nav,
        findings=[{**f, "table": markupsafe.Markup(f["table"])} for f in findings],
        sections=[markupsafe.Markup(s) for s in sections.values() if s],
    )
    return atomic_write_text(reports / "index.html", page)
