"""The Jinja2 environment of the report pages, the table model they share, and the key-results store.

Every page is rendered from a template in ``templates/`` by :func:`render_template`, with autoescaping on:
text that may come from the corpus (document ids, file names, notebook titles, provenance) is escaped by
the template engine when it is rendered, never by hand. Python code prepares plain data (strings, numbers,
relative URLs); only fragments rendered by a template themselves (``markupsafe.Markup``) pass unescaped.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pandas as pd

from framing.errors import ReportError
from framing.paths import PACKAGE_DIR, report_paths
from framing.types import PathLike

if TYPE_CHECKING:
    import jinja2
    import markupsafe

TEMPLATES_DIR = PACKAGE_DIR / "templates"
"""Jinja2 templates of the report pages (package data)."""


@lru_cache(maxsize=1)
def jinja_env() -> jinja2.Environment:
    """Return the Jinja2 environment of the report pages: package templates, autoescape on, strict undefined."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_template(name: str, **context: Any) -> str:
    """Render the package template ``name`` with ``context`` (autoescaped)."""
    return jinja_env().get_template(name).render(**context)


def esc(value: object) -> str:
    """HTML-escape ``value`` (quotes included) as the templates do, after converting it to text.

    For callers that still assemble HTML in Python; the report pages themselves leave escaping to the
    templates.
    """
    import markupsafe

    return str(markupsafe.escape("" if value is None else str(value)))


def relative_url(target: Path, base: Path) -> str:
    """Return a relative, URL-quoted link from directory ``base`` to ``target`` (the template escapes it)."""
    return quote(Path(os.path.relpath(target, base)).as_posix())


def html_page(title: str, body: str, *, subtitle: str | None = None) -> str:
    """Wrap ``body`` (HTML built by a template or escaped) in a complete, self-contained page titled ``title``."""
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


def _cell(value: Any, raw: bool) -> tuple[str | markupsafe.Markup, bool]:
    """``(shown value, is a number)`` of one table cell; ``raw`` cells are trusted HTML (``Markup``)."""
    import markupsafe

    if hasattr(value, "item") and not isinstance(value, str | list | dict):
        value = value.item()  # numpy scalars from DataFrames
    if raw or isinstance(value, markupsafe.Markup):
        return markupsafe.Markup(value), False
    return _fmt(value), _is_number(value)


def table_data(
    rows: Sequence[Mapping[str, Any]] | pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    raw_html_columns: Iterable[str] = (),
    max_rows: int | None = None,
) -> dict[str, Any]:
    """Return the context of the ``table`` macro (``templates/_macros.html.j2``) for ``rows``.

    Returns ``{"columns": [...], "rows": [[(value, is_number), ...], ...], "hidden": n}``; ``hidden`` counts
    the rows beyond ``max_rows``. Values are plain text, escaped when the template renders them, except the
    cells of ``raw_html_columns`` and ``markupsafe.Markup`` values (HTML rendered by a template; never corpus
    text).
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
    return {
        "columns": cols,
        "rows": [[_cell(rec.get(c, ""), c in raw) for c in cols] for rec in shown],
        "hidden": len(records) - len(shown),
    }


def html_table(
    rows: Sequence[Mapping[str, Any]] | pd.DataFrame,
    columns: Sequence[str] | None = None,
    *,
    raw_html_columns: Iterable[str] = (),
    max_rows: int | None = None,
) -> str:
    """Render rows as an HTML table (template ``table.html.j2``); every cell is escaped but ``raw_html_columns``.

    ``raw_html_columns`` is for cells the caller built as HTML itself (links); never pass corpus text there.
    Numbers are right-aligned (``class="num"``), missing values blank; beyond ``max_rows`` a line says how
    many rows are not shown.
    """
    table = table_data(rows, columns, raw_html_columns=raw_html_columns, max_rows=max_rows)
    return render_template("table.html.j2", table=table)


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

    from framing.io import note_output, write_json

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
    written = write_json(path, dict(sorted(merged.items())))
    for key in clean:  # the running notebook's keys: its next run under framing run removes them first
        note_output(key=key)
    return written


