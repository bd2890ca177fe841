"""A browsable HTML report: executed notebooks, figures, tables, key results and provenance.

:func:`build_index` renders every executed notebook under ``reports/notebooks/`` to HTML (nbconvert's
``lab`` template, a button to hide/show code cells, HTML outputs sanitised) and writes
``reports/index.html`` linking the notebooks, every figure in ``reports/figures/`` (thumbnail and
PDF/SVG/PNG/CSV links), every table in ``reports/tables/`` (a preview and CSV/LaTeX links),
``key_results.json``, ``provenance.json`` and any batch reports under ``reports/batch/``.

Every piece of text that may come from the corpus (table cells, key results, notebook outputs,
parameters) is HTML-escaped, so a document containing ``<script>`` shows as text. The index is
self-contained (inline CSS, no external resources) and deterministic (sorted listings, no dates).

:func:`screenshot` renders an HTML file to PNG with headless Chromium (``framing screenshot``).
"""

from __future__ import annotations

import html
import json
import math
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from framing.errors import ReportError
from framing.io import atomic_write_bytes, atomic_write_text
from framing.types import PathLike

__all__ = [
    "KEY_RESULTS_FILE",
    "ReportError",
    "build_index",
    "esc",
    "find_chromium",
    "html_page",
    "html_table",
    "read_key_results",
    "record_key_results",
    "render_notebook",
    "run_status_banner",
    "screenshot",
]

KEY_RESULTS_FILE = "key_results.json"
"""Name of the file in which a notebook records its headline numbers (see docs/reports.md)."""

FIGURE_EXTENSIONS: tuple[str, ...] = (".png", ".svg", ".pdf", ".csv")
TABLE_EXTENSIONS: tuple[str, ...] = (".csv", ".tex")
CHROMIUM_CANDIDATES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


# ------------------------------------------------------------------------------------------ helpers
def esc(value: object) -> str:
    """HTML-escape ``value`` (quotes included), after converting it to text."""
    return html.escape("" if value is None else str(value), quote=True)


def _href(target: Path, base: Path) -> str:
    """A relative, URL-quoted, attribute-escaped link from directory ``base`` to ``target``."""
    rel = os.path.relpath(target, base)
    return esc(quote(Path(rel).as_posix()))


_CSS = """
:root { --fg: #1b1b1b; --muted: #5a5a5a; --line: #d9d9d9; --accent: #0072B2; --bad: #D55E00; --ok: #009E73; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, sans-serif; color: var(--fg); margin: 0 auto; max-width: 1200px;
       padding: 1.5rem 2rem 4rem; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; } h2 { font-size: 1.25rem; margin: 2rem 0 .6rem;
     border-bottom: 2px solid var(--line); padding-bottom: .2rem; } h3 { font-size: 1.05rem; margin: .2rem 0; }
a { color: var(--accent); } .muted { color: var(--muted); font-size: .9em; }
nav a { margin-right: 1rem; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-size: .88em; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { border-bottom: 2px solid #999; background: #f6f6f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 1rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .6rem; background: #fff; }
.card h3 { overflow-wrap: anywhere; }
.card img { width: 100%; height: 180px; object-fit: contain; background: #fafafa; }
.links a { margin-right: .5rem; font-size: .85em; }
.status-ok { color: var(--ok); font-weight: bold; } .status-failed { color: var(--bad); font-weight: bold; }
.status-cached { color: var(--accent); font-weight: bold; } .status-pending { color: var(--muted); }
.banner { border: 2px solid var(--bad); padding: 0.2em 1em; margin: 1em 0; }
.banner-warn { border-color: var(--muted); }
pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; font-size: .82em; white-space: pre-wrap; }
details { margin: .4rem 0 1rem; } summary { cursor: pointer; color: var(--accent); }
.preview { max-height: 320px; overflow: auto; border: 1px solid var(--line); border-radius: 4px; }
""".strip()


def html_page(title: str, body: str, *, subtitle: str | None = None) -> str:
    """Wrap ``body`` (already-escaped HTML) in a complete, self-contained page titled ``title``."""
    sub = f'<p class="muted">{esc(subtitle)}</p>\n' if subtitle else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        f"<h1>{esc(title)}</h1>\n{sub}{body}\n</body>\n</html>\n"
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.4g}"
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v) for v in value) if value else "[]"
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return "" if value is None else str(value)


def html_table(
    rows: Sequence[Mapping[str, Any]] | pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    raw_html_columns: Iterable[str] = (),
    max_rows: int | None = None,
) -> str:
    """Render rows as an HTML table; every cell is escaped except those in ``raw_html_columns``.

    ``raw_html_columns`` is for cells this module built itself (links); never pass corpus text there.
    """
    if isinstance(rows, pd.DataFrame):
        all_cols = [str(c) for c in rows.columns]
        records: list[Mapping[str, Any]] = [
            dict(zip(all_cols, r, strict=True)) for r in rows.itertuples(index=False, name=None)
        ]
        cols = all_cols if columns is None else list(columns)
    else:
        records = list(rows)
        cols = list(columns) if columns is not None else list(dict.fromkeys(k for r in records for k in r))
    raw = set(raw_html_columns)
    shown = records if max_rows is None else records[:max_rows]
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{esc(c)}</th>" for c in cols) + "</tr></thead>", "<tbody>"]
    for rec in shown:
        cells = []
        for c in cols:
            v = rec.get(c, "")
            if hasattr(v, "item") and not isinstance(v, str | list | dict):
                v = v.item()  # numpy scalars from DataFrames
            if c in raw:
                cells.append(f"<td>{v}</td>")
            elif _is_number(v):
                cells.append(f'<td class="num">{esc(_fmt(v))}</td>')
            else:
                cells.append(f"<td>{esc(_fmt(v))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    if max_rows is not None and len(records) > max_rows:
        out.append(f'<p class="muted">{len(records) - max_rows} more row(s) not shown.</p>')
    return "\n".join(out)


def read_key_results(path: PathLike) -> dict[str, Any]:
    """Read a ``key_results.json`` file (a flat JSON object, see docs/reports.md); ``{}`` if absent.

    Raises
    ------
    ReportError
        If the file exists but is not a JSON object.
    """
    p = Path(path)
    if not p.is_file():
        return {}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ReportError(f"{p}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ReportError(f"{p}: key results must be a JSON object, got {type(data).__name__}")
    return data


def record_key_results(reports_dir: PathLike, results: Mapping[str, Any], *, prefix: str | None = None) -> Path:
    """Merge ``results`` into ``REPORTS_DIR/key_results.json`` (atomically) and return its path.

    The convention (docs/reports.md): a flat JSON object of headline numbers or short strings; each
    notebook adds its own keys, prefixed by its topic (``prefix="lexicon"`` gives ``lexicon.KEY``), so
    notebooks of one run never overwrite each other. Batch summaries show one column per key.

    Raises
    ------
    ReportError
        If a value is not a JSON scalar (number, string, bool, null) or a list of scalars.
    """
    import numpy as np

    from framing.io import write_json

    def plain(v: Any) -> Any:
        v = v.item() if isinstance(v, np.generic) else v
        if isinstance(v, float) and not math.isfinite(v):
            return None
        return v

    def ok(v: Any) -> bool:
        return v is None or isinstance(v, str | int | float | bool)

    clean: dict[str, Any] = {}
    bad: list[str] = []
    for key, value in results.items():
        v = [plain(x) for x in value] if isinstance(value, list | tuple) else plain(value)
        if not (ok(v) or (isinstance(v, list) and all(ok(x) for x in v))):
            bad.append(str(key))
        clean[f"{prefix}.{key}" if prefix else str(key)] = v
    if bad:
        raise ReportError(f"key results must be scalars or lists of scalars; not so: {bad}")
    path = Path(reports_dir) / KEY_RESULTS_FILE
    merged = read_key_results(path)
    merged.update(clean)
    return write_json(path, dict(sorted(merged.items())))


# ---------------------------------------------------------------------------------------- notebooks
_TOGGLE = """
<style>
#framing-code-toggle { position: fixed; top: .6rem; right: .8rem; z-index: 1000; padding: .35rem .7rem;
  font: 13px "DejaVu Sans", sans-serif; background: #0072B2; color: #fff; border: 0; border-radius: 4px;
  cursor: pointer; }
body.framing-hide-code .jp-CodeCell .jp-Cell-inputWrapper,
body.framing-hide-code .jp-CodeCell .jp-OutputPrompt { display: none; }
</style>
<button id="framing-code-toggle" type="button" aria-pressed="false"
  onclick="var h=document.body.classList.toggle('framing-hide-code');
           this.textContent=h?'Show code':'Hide code'; this.setAttribute('aria-pressed', h);">Hide code</button>
"""

_SAFE_TAGS: tuple[str, ...] = (
    "a", "abbr", "acronym", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
)  # fmt: skip
_SAFE_ATTRIBUTES: dict[str, list[str]] = {
    "*": ["class", "id", "title", "style", "align", "lang", "dir"],
    "a": ["href", "title", "name"],
    "img": ["src", "alt", "width", "height"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
    "table": ["border"],
    "ol": ["start"],
}


def _clean_html(element: Any) -> str:
    """Sanitise HTML from notebook outputs and Markdown (scripts, handlers, iframes escaped)."""
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    text = element.decode() if isinstance(element, bytes) else str(element)
    return bleach.clean(
        text, tags=set(_SAFE_TAGS), attributes=_SAFE_ATTRIBUTES, css_sanitizer=CSSSanitizer(), strip_comments=True
    )


def _exporter() -> Any:
    from nbconvert import HTMLExporter

    # The lab template passes Markdown cells and HTML outputs through the ``clean_html`` filter when
    # sanitising; nbconvert's own filter escapes headings and table sections, so ours replaces it.
    return HTMLExporter(template_name="lab", sanitize_html=True, filters={"clean_html": _clean_html})


def render_notebook(notebook: PathLike, out_html: PathLike | None = None) -> Path:
    """Render an executed notebook to a standalone HTML page with a hide/show-code toggle.

    HTML and Markdown outputs are sanitised (scripts and event handlers escaped); text outputs are
    escaped by nbconvert, so corpus text shows as text.

    Parameters
    ----------
    notebook : path
        The executed ``.ipynb``.
    out_html : path, optional
        Output file (default: the notebook's path with ``.html``).
    """
    import nbformat

    src = Path(notebook)
    if not src.is_file():
        raise ReportError(f"notebook not found: {src}")
    target = Path(out_html) if out_html is not None else src.with_suffix(".html")
    try:
        nb = nbformat.read(src, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for bad files
        raise ReportError(f"{src}: cannot read notebook ({exc})") from exc
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": src.stem}})
    marker = body.find("<body")
    end = body.find(">", marker) + 1 if marker >= 0 else 0
    body = body[:end] + _TOGGLE + body[end:]
    return atomic_write_text(target, body)


def _notebook_info(path: Path) -> dict[str, Any]:
    """Title (first Markdown heading), status and duration of an executed notebook."""
    import nbformat

    info: dict[str, Any] = {"title": path.stem, "status": "ok", "duration": None}
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        info["status"] = "unreadable"
        return info
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    info["title"] = line.lstrip("#").strip()
                    break
            if info["title"] != path.stem:
                break
    pm = nb.metadata.get("papermill", {})
    if pm.get("exception"):
        info["status"] = "failed"
    if pm.get("duration") is not None:
        info["duration"] = round(float(pm["duration"]), 1)
    if any(
        out.get("output_type") == "error" for cell in nb.cells if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    ):
        info["status"] = "failed"
    return info


# ---------------------------------------------------------------------------------------- the index
def _group_by_stem(directory: Path, extensions: Sequence[str]) -> dict[str, dict[str, Path]]:
    groups: dict[str, dict[str, Path]] = {}
    if not directory.is_dir():
        return groups
    for p in sorted(directory.iterdir()):
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in extensions:
            groups.setdefault(p.stem, {})[p.suffix.lower()] = p
    return groups


def _section_notebooks(reports: Path, render: bool) -> str:
    nb_dir = reports / "notebooks"
    notebooks = sorted(p for p in nb_dir.glob("*.ipynb") if not p.name.startswith(".")) if nb_dir.is_dir() else []
    if not notebooks:
        return (
            '<h2 id="notebooks">Notebooks</h2>\n'
            '<p class="muted">No executed notebooks yet (run <code>framing run</code>).</p>'
        )
    rows = []
    for nb in notebooks:
        html_path = nb.with_suffix(".html")
        if render:
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
    groups = _group_by_stem(reports / "figures", FIGURE_EXTENSIONS)
    groups = {k: v for k, v in groups.items() if set(v) - {".csv"}}
    head = '<h2 id="figures">Figures</h2>\n'
    if not groups:
        return head + '<p class="muted">No figures yet.</p>'
    cards = []
    for stem, files in groups.items():
        thumb = files.get(".png") or files.get(".svg")
        img = f'<img src="{_href(thumb, reports)}" alt="{esc(stem)}" loading="lazy">' if thumb else ""
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
    groups = _group_by_stem(reports / "tables", TABLE_EXTENSIONS)
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
    results = read_key_results(reports / KEY_RESULTS_FILE)
    if not results:
        return ""
    rows = [{"result": k, "value": results[k]} for k in sorted(results)]
    link = f' <span class="links"><a href="{_href(reports / KEY_RESULTS_FILE, reports)}">JSON</a></span>'
    return f'<h2 id="key-results">Key results{link}</h2>\n' + html_table(rows, ["result", "value"])


def _section_provenance(reports: Path) -> str:
    path = reports / "provenance.json"
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


def run_status_banner(provenance: Mapping[str, Any]) -> str:
    """HTML banner telling the truth of a run from its provenance record (empty for a complete, clean run).

    Names a ``failed`` or ``interrupted`` run (and the signal), the notebooks whose outputs are from an
    earlier run (``stale``, with that run's time and parameters) and the warnings raised inside the
    notebooks. Issue 13; called from :func:`build_index`, reads only ``provenance.json``.
    """
    parts: list[str] = []
    status = str(provenance.get("status", "ok"))
    if status == "running":
        parts.append(f"<p><strong>This run has not finished</strong> (started {esc(provenance.get('started', ''))}, "
                     f"pid {esc(provenance.get('pid', '?'))}): it is still running or was killed; outputs of "
                     "notebooks not marked ok below may be from an earlier run.</p>")
    elif status != "ok":
        how = f" by {provenance['interrupted_by']}" if provenance.get("interrupted_by") else ""
        parts.append(f"<p><strong>This run {esc('was interrupted' if status == 'interrupted' else status)}"
                     f"{esc(how)}</strong> ({esc(provenance.get('finished', ''))}): {esc(provenance.get('error', ''))}"
                     "</p>")
    records = [r for r in provenance.get("notebooks") or [] if isinstance(r, dict)]
    stale = [r for r in records if r.get("status") == "stale" or r.get("earlier_output")]
    if stale:
        items = []
        for r in stale:
            origin = r.get("from_run") or (r.get("earlier_output") or {}).get("from_run") or {}
            params = origin.get("parameters") or {}
            corpus = f", corpus {params['corpus']}" if isinstance(params, dict) and "corpus" in params else ""
            items.append(f"<li><code>{esc(r.get('notebook'))}</code>: from an earlier run "
                         f"({esc(origin.get('status', '?'))}, {esc(origin.get('started', '?'))}{esc(corpus)})</li>")
        parts.append("<p><strong>Stale:</strong> these outputs were not produced by this run:</p>"
                     f"<ul>{''.join(items)}</ul>")
    warnings_ = [w for w in provenance.get("warnings") or [] if isinstance(w, str)]
    if warnings_:
        listed = "".join(f"<li>{esc(w)}</li>" for w in warnings_)
        parts.append(f"<p><strong>Warnings</strong> raised inside the notebooks:</p><ul>{listed}</ul>")
    if not parts:
        return ""
    kind = "bad" if status != "ok" or stale else "warn"
    return f'<div class="banner banner-{kind}" id="run-status">\n' + "\n".join(parts) + "\n</div>"


def _section_status(reports: Path) -> str:
    try:
        data = json.loads((reports / "provenance.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return run_status_banner(data) if isinstance(data, dict) else ""


def _section_batches(reports: Path) -> str:
    batch_dir = reports / "batch"
    indexes = sorted(batch_dir.glob("*/index.html")) if batch_dir.is_dir() else []
    if not indexes:
        return ""
    items = "".join(f'<li><a href="{_href(p, reports)}">{esc(p.parent.name)}</a></li>' for p in indexes)
    return f'<h2 id="batches">Batch runs</h2>\n<ul>{items}</ul>'


def build_index(
    reports_dir: PathLike = "reports",
    *,
    title: str = "framing: study report",
    render_notebooks: bool = True,
    max_table_rows: int = 15,
) -> Path:
    """Write ``REPORTS_DIR/index.html`` linking notebooks, figures, tables and provenance.

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

    Returns
    -------
    Path
        The written ``index.html``.
    """
    reports = Path(reports_dir)
    if not reports.is_dir():
        raise ReportError(f"reports directory not found: {reports}")
    sections = [
        _section_status(reports),
        _section_key_results(reports),
        _section_notebooks(reports, render_notebooks),
        _section_figures(reports),
        _section_tables(reports, max_table_rows),
        _section_batches(reports),
        _section_provenance(reports),
    ]
    nav_items = [
        ("key-results", "Key results"),
        ("notebooks", "Notebooks"),
        ("figures", "Figures"),
        ("tables", "Tables"),
        ("batches", "Batch runs"),
        ("provenance", "Provenance"),
    ]
    body = "\n".join(s for s in sections if s)
    nav = " ".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in nav_items if f'id="{a}"' in body)
    page = html_page(title, f"<nav>{nav}</nav>\n{body}")
    return atomic_write_text(reports / "index.html", page)


# --------------------------------------------------------------------------------------- screenshot
def find_chromium(explicit: PathLike | None = None) -> Path | None:
    """Return a Chromium executable: ``explicit``, ``$FRAMING_CHROMIUM``, or one on ``PATH``."""
    for candidate in (explicit, os.environ.get("FRAMING_CHROMIUM")):
        if candidate:
            found = shutil.which(str(candidate))
            return Path(found) if found else None
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def screenshot(
    html_file: PathLike,
    out: PathLike,
    *,
    width: int = 1280,
    height: int = 1600,
    chromium: PathLike | None = None,
    timeout: float = 120.0,
) -> Path:
    """Render ``html_file`` to a PNG with headless Chromium and write it atomically to ``out``.

    Chromium runs with a fresh temporary profile, no sandbox, no GPU and no background networking.

    Raises
    ------
    ReportError
        When the HTML file or Chromium is missing, or Chromium fails (its output is quoted).
    """
    src = Path(html_file)
    if not src.is_file():
        raise ReportError(f"HTML file not found: {src}")
    exe = find_chromium(chromium)
    if exe is None:
        raise ReportError(
            "no Chromium found (looked for $FRAMING_CHROMIUM, " + ", ".join(CHROMIUM_CANDIDATES)
            + "); on Debian: apt-get install -y chromium"
        )
    if width <= 0 or height <= 0:
        raise ReportError(f"window size must be positive, got {width}x{height}")
    with tempfile.TemporaryDirectory(prefix="framing-chromium-") as tmp:
        shot = Path(tmp) / "shot.png"
        cmd = [
            str(exe),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--screenshot={shot}",
            f"--window-size={int(width)},{int(height)}",
            src.resolve().as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ReportError(f"chromium timed out after {timeout:.0f} s rendering {src}") from exc
        if not shot.is_file() or shot.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
            tail = "\n".join((proc.stderr or "").strip().splitlines()[-5:])
            raise ReportError(f"chromium ({exe}) produced no screenshot of {src} (exit {proc.returncode}): {tail}")
        return atomic_write_bytes(out, shot.read_bytes())
