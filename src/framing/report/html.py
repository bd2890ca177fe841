"""HTML building blocks shared by the report and batch pages, and the key-results store.

Every piece of text that may come from the corpus is HTML-escaped (:func:`esc`, :func:`html_table`);
the Jinja2 environment of :func:`jinja_env` autoescapes everything it renders.
"""

from __future__ import annotations

import html
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pandas as pd

from framing.errors import ReportError
from framing.paths import PACKAGE_DIR, report_paths
from framing.types import PathLike

TEMPLATES_DIR = PACKAGE_DIR / "templates"
"""Jinja2 templates of the report pages (package data)."""


@lru_cache(maxsize=1)
def jinja_env() -> Any:
    """The Jinja2 environment of the report pages: package templates, autoescape on, strict undefined."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render_template(name: str, **context: Any) -> str:
    """Render the package template ``name`` with ``context`` (autoescaped)."""
    return str(jinja_env().get_template(name).render(**context))


def esc(value: object) -> str:
    """HTML-escape ``value`` (quotes included), after converting it to text."""
    return html.escape("" if value is None else str(value), quote=True)


def _href(target: Path, base: Path) -> str:
    """A relative, URL-quoted, attribute-escaped link from directory ``base`` to ``target``."""
    rel = os.path.relpath(target, base)
    return esc(quote(Path(rel).as_posix()))


def html_page(title: str, body: str, *, subtitle: str | None = None) -> str:
    """Wrap ``body`` (already-escaped HTML) in a complete, self-contained page titled ``title``."""
    import markupsafe

    return render_template("page.html.j2", title=title, subtitle=subtitle, body=markupsafe.Markup(body))


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
    path = report_paths(reports_dir).key_results
    merged = read_key_results(path)
    merged.update(clean)
    return write_json(path, dict(sorted(merged.items())))


