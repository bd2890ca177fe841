"""``reports/index.html``: findings first, then notebooks, figures, tables, batch runs and provenance.

The page is rendered from the Jinja2 template ``templates/index.html.j2`` (autoescape on); the functions
below gather each section as plain data (names, relative URLs, table models) that the template escapes.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from framing.errors import ReportError
from framing.io import atomic_write_text
from framing.paths import report_paths
from framing.report.findings import collect_findings
from framing.report.html import _fmt, read_key_results, relative_url, render_template, table_data
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


def _notebooks(reports: Path, render: bool, rendered: Collection[Path] = ()) -> list[dict[str, Any]]:
    """One entry per executed notebook (rendering each to HTML first when ``render``, except ``rendered``)."""
    nb_dir = report_paths(reports).notebooks
    notebooks = sorted(p for p in nb_dir.glob("*.ipynb") if not p.name.startswith(".")) if nb_dir.is_dir() else []
    done = {Path(p).resolve() for p in rendered}
    out = []
    for nb in notebooks:
        html_path = nb.with_suffix(".html")
        if render and nb.resolve() not in done:
            render_notebook(nb, html_path)
        info = _notebook_info(nb)
        out.append({
            "stem": nb.stem,
            "ipynb": relative_url(nb, reports),
            "html": relative_url(html_path, reports) if html_path.is_file() else None,
            "title": info["title"],
            "status": info["status"],
            "duration": None if info["duration"] is None else _fmt(info["duration"]),
        })
    return out


def _file_links(files: dict[str, Path], extensions: Sequence[str], reports: Path) -> list[tuple[str, str]]:
    """``(EXT, url)`` for each of ``extensions`` present in ``files``, in that order."""
    return [(ext[1:].upper(), relative_url(files[ext], reports)) for ext in extensions if ext in files]


def _figures(reports: Path) -> list[dict[str, Any]]:
    """One card per figure: its name, thumbnail, main link (PDF, else the thumbnail), file links and caption."""
    groups = _group_by_stem(report_paths(reports).figures, FIGURE_EXTENSIONS)
    cards = []
    for stem, files in groups.items():
        if not set(files) - {".csv"}:
            continue
        from framing.plots import CAPTION_SUFFIX  # matplotlib: imported when the index has a figure to show

        thumb = files.get(".png") or files.get(".svg")
        target = files.get(".pdf") or thumb
        caption = report_paths(reports).figures / f"{stem}{CAPTION_SUFFIX}"
        cards.append({
            "stem": stem,
            "thumb": relative_url(thumb, reports) if thumb else None,
            "href": relative_url(target, reports) if target else None,
            "links": _file_links(files, FIGURE_EXTENSIONS, reports),
            "caption": caption.read_text(encoding="utf-8").strip() if caption.is_file() else None,
        })
    return cards


def _read_preview(path: Path, max_rows: int) -> pd.DataFrame | None:
    try:
        return pd.read_csv(path, keep_default_na=False, nrows=max_rows + 1)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return None


def _tables(reports: Path, max_rows: int) -> list[dict[str, Any]]:
    """One entry per table: its name, file links and a preview of its CSV (``None``: not readable)."""
    out = []
    for stem, files in _group_by_stem(report_paths(reports).tables, TABLE_EXTENSIONS).items():
        preview: dict[str, Any] | None = None
        if ".csv" in files:
            df = _read_preview(files[".csv"], max_rows)
            preview = table_data(df, max_rows=max_rows) if df is not None else None
        out.append({"stem": stem, "links": _file_links(files, TABLE_EXTENSIONS, reports),
                    "has_csv": ".csv" in files, "preview": preview})
    return out


def _key_results(reports: Path) -> dict[str, Any] | None:
    """Return the key results as a table and the link to their JSON file (``None`` when there are none)."""
    path = report_paths(reports).key_results
    results = read_key_results(path)
    if not results:
        return None
    rows = [{"result": k, "value": results[k]} for k in sorted(results)]
    return {"href": relative_url(path, reports), "table": table_data(rows, ["result", "value"])}


def _provenance(reports: Path) -> dict[str, Any] | None:
    """Return the provenance file's link, its top-level scalar fields and text (``None`` when absent)."""
    path = report_paths(reports).provenance
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    scalars = provenance_rows(data) if isinstance(data, dict) else []
    return {"href": relative_url(path, reports), "text": text,
            "table": table_data(scalars, ["field", "value"]) if scalars else None}


def provenance_rows(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Rows (``field``, ``value``) of the index's visible provenance table: what a reader checks first.

    The record's top-level scalar fields, then the commit and dirty flag of the project and of the code that ran
    (``git``), the inputs git sees as modified or untracked, and the parameters overridden on the command line
    (``overrides``, with their values from ``parameters``; ``none``), so none of them hides in the collapsed JSON.
    """
    rows = [{"field": k, "value": v} for k, v in sorted(data.items()) if not isinstance(v, dict | list)]
    git = data.get("git")
    for name in ("project", "code"):
        state = git.get(name) if isinstance(git, dict) else None
        if not isinstance(state, dict):
            continue
        rows.append({"field": f"{name} commit", "value": state.get("commit") or "unknown (not a git checkout)"})
        rows.append({"field": f"{name} dirty", "value": "unknown" if state.get("dirty") is None
                     else ("yes: uncommitted changes" if state["dirty"] else "no")})
        if state.get("unclean_inputs"):
            rows.append({"field": f"{name} unclean inputs", "value": ", ".join(map(str, state["unclean_inputs"]))})
    if "overrides" in data:
        given = data.get("parameters")
        params: Mapping[str, Any] = given if isinstance(given, dict) else {}
        names = [str(n) for n in data.get("overrides") or []]
        rows.append({"field": "overrides", "value": ", ".join(
            f"{n}={params[n]!r}" if n in params else n for n in names) or "none"})
    return rows


def _batches(reports: Path) -> list[tuple[str, str]]:
    """``(batch name, url of its index)`` for each batch run under ``batch/``."""
    batch_dir = report_paths(reports).batch
    indexes = sorted(batch_dir.glob("*/index.html")) if batch_dir.is_dir() else []
    return [(p.parent.name, relative_url(p, reports)) for p in indexes]


def _finding_context(reports: Path) -> list[dict[str, Any]]:
    out = []
    for f in collect_findings(reports):
        out.append({
            "key": f.key, "title": f.title, "sentences": f.sentences, "corpus": f.corpus, "stale": f.stale,
            "instrument": f.instrument,
            "table": table_data(f.table) if f.table is not None and len(f.table) else None,
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
    notebooks = _notebooks(reports, render_notebooks, [Path(p) for p in rendered])
    context: dict[str, Any] = {
        "key_results": _key_results(reports),
        "notebooks": notebooks,
        "figures": _figures(reports),
        "tables": _tables(reports, max_table_rows),
        "batches": _batches(reports),
        "provenance": _provenance(reports),
    }
    findings = _finding_context(reports)
    nav = [("findings", "Findings")] if findings else []
    nav += [(a, t) for a, t in (("key-results", "Key results"), ("notebooks", "Notebooks"), ("figures", "Figures"),
                                ("tables", "Tables"), ("batches", "Batch runs"), ("provenance", "Provenance"))
            if a not in ("key-results", "batches") or context[a.replace("-", "_")]]
    page = render_template(
        "index.html.j2", title=title, subtitle=None, banner=markupsafe.Markup(status_banner(reports)),
        nav=nav, findings=findings,
        **context,
    )
    return atomic_write_text(reports / "index.html", page)
