"""Rendering executed notebooks to HTML pages that read well offline.

The page uses framing's nbconvert template (``templates/nbconvert/framing``: nbconvert's ``lab`` template
without require.js, MathJax, Mermaid or widget scripts, so it makes no network request), with:

- HTML outputs and Markdown sanitised (scripts and event handlers escaped; pandas' ``<style scoped>``
  blocks removed instead of showing as text), so corpus text shows as text;
- wide tables scrolling inside their output, images fitted to the page;
- the parameters shown once: papermill's defaults cell and its injected-parameters cell are replaced by one
  table of every parameter, its value in this run, and whether the run set it;
- each code cell foldable (the bar left of it) and a button that hides or shows all code;
- the Markdown prose and headings naming the grouping as the run named it: with ``genre_col="outlet"`` the words
  genre and genres read outlet and outlets (:func:`relabel_prose`; code spans untouched).
"""

from __future__ import annotations

import ast
import contextlib
import re
from pathlib import Path
from typing import Any

from framing.errors import ReportError
from framing.io import atomic_write_text
from framing.paths import PACKAGE_DIR
from framing.report.html import render_template
from framing.types import GROUP_LABEL, PathLike, group_label, plural, with_article

NBCONVERT_TEMPLATES = PACKAGE_DIR / "templates" / "nbconvert"
NBCONVERT_TEMPLATE = "framing"

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
# pandas' HTML repr starts with <style scoped>...</style>; escaped by the sanitiser it would show as text.
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>.*?</style\s*>", re.IGNORECASE | re.DOTALL)


def _clean_html(element: Any) -> str:
    """Sanitise HTML from notebook outputs and Markdown (style blocks dropped; scripts, handlers escaped)."""
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    text = element.decode() if isinstance(element, bytes) else str(element)
    text = _STYLE_BLOCK.sub("", text)
    cleaned: str = bleach.clean(
        text, tags=set(_SAFE_TAGS), attributes=_SAFE_ATTRIBUTES, css_sanitizer=CSSSanitizer(), strip_comments=True
    )
    return cleaned


def _exporter() -> Any:
    from nbconvert import HTMLExporter

    # The lab template passes Markdown cells and HTML outputs through the ``clean_html`` filter when
    # sanitising; nbconvert's own filter escapes headings and table sections, so ours replaces it.
    return HTMLExporter(
        template_name=NBCONVERT_TEMPLATE,
        extra_template_basedirs=[str(NBCONVERT_TEMPLATES)],
        sanitize_html=True,
        filters={"clean_html": _clean_html},
    )


def _assignments(source: str) -> dict[str, tuple[str, str]]:
    """``{name: (value source, comment)}`` for the top-level assignments of a parameters cell."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    lines = source.splitlines()
    out: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        target: ast.expr
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value_node = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value_node = node.targets[0], node.value
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        value = ast.get_source_segment(source, value_node) or ""
        line = lines[node.lineno - 1] if node.lineno - 1 < len(lines) else ""
        tail = line[(node.end_col_offset or 0):] if node.end_lineno == node.lineno else ""
        comment = tail.split("#", 1)[1].strip() if "#" in tail else ""
        out[target.id] = (value, comment)
    return out


def parameters_table(defaults_source: str, injected_source: str = "", *, label: str = GROUP_LABEL) -> str:
    """One HTML table of a run's parameters: name, value in this run, default, description.

    ``defaults_source`` is the notebook's ``parameters`` cell, ``injected_source`` papermill's
    ``injected-parameters`` cell (empty when the run changed nothing). Rendered from the autoescaped
    template ``parameters.html.j2`` on one line (the table becomes a Markdown cell of the notebook). The
    descriptions name the grouping ``label`` (:func:`relabel_prose`).
    """
    defaults = _assignments(defaults_source)
    injected = _assignments(injected_source)
    rows = []
    for name in [*defaults, *(n for n in injected if n not in defaults)]:
        default, comment = defaults.get(name, ("", ""))
        value = injected[name][0] if name in injected else default
        is_set = name in injected and injected[name][0] != default
        rows.append({"name": name, "value": value, "default": default, "comment": relabel_prose(comment, label),
                     "set": is_set})
    return render_template("parameters.html.j2", rows=rows)


_CODE_SPAN = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)
_GENRE_WORD = re.compile(r"\b(?:([Aa]) )?([Gg])enre(s?)\b")


def relabel_prose(text: str, label: str) -> str:
    """Return Markdown ``text`` with the words genre/genres (any case of the first letter) said as ``label``.

    ``label`` is the grouping's name (:func:`framing.types.group_label`); its plural is
    :func:`framing.types.plural`, ``a genre`` becomes ``an outlet``. Code spans and fenced code (column names,
    parameters) and words such as ``genre_col`` are left as they are; with ``label`` ``"genre"`` the text is
    returned unchanged.
    """
    if label == GROUP_LABEL:
        return text

    def word(m: re.Match[str]) -> str:
        said = plural(label) if m.group(3) else label
        said = said[:1].upper() + said[1:] if m.group(2) == "G" else said
        if m.group(1) and not m.group(3):  # "a genre": the article of the label ("an outlet")
            said = with_article(said)
            return said[:1].upper() + said[1:] if m.group(1) == "A" else said
        return f"{m.group(1)} {said}" if m.group(1) else said

    parts = _CODE_SPAN.split(text)
    return "".join(p if i % 2 else _GENRE_WORD.sub(word, p) for i, p in enumerate(parts))


def run_group_label(nb: Any) -> str:
    """Return the grouping's name of an executed notebook (its ``genre_col`` and ``genre_label``).

    :func:`framing.types.group_label` of the two parameters, read from papermill's ``injected-parameters``
    cell, else the ``parameters`` cell; ``"genre"`` without either.
    """
    values: dict[str, Any] = {}
    for tag in ("parameters", "injected-parameters"):  # the injected value, when present, wins
        for cell in nb.cells:
            if tag not in cell.get("metadata", {}).get("tags", []):
                continue
            assigned = _assignments(cell.source)
            for name in ("genre_col", "genre_label"):
                if name in assigned:
                    with contextlib.suppress(ValueError, SyntaxError):
                        values[name] = ast.literal_eval(assigned[name][0])
    return group_label(values.get("genre_col"), values.get("genre_label"))


def _merge_parameter_cells(nb: Any, label: str = GROUP_LABEL) -> None:
    """Replace the ``parameters`` and ``injected-parameters`` cells by one parameters table (in place)."""
    import nbformat

    def tagged(tag: str) -> int | None:
        return next((i for i, c in enumerate(nb.cells) if tag in c.get("metadata", {}).get("tags", [])), None)

    i_def, i_inj = tagged("parameters"), tagged("injected-parameters")
    if i_def is None and i_inj is None:
        return
    defaults = nb.cells[i_def].source if i_def is not None else ""
    injected = nb.cells[i_inj].source if i_inj is not None else ""
    table = nbformat.v4.new_markdown_cell(parameters_table(defaults, injected, label=label))
    table["id"] = "framing-parameters"  # a fixed id: the rendered page is byte-identical across runs
    table.metadata["tags"] = ["framing-parameters"]
    first = min(i for i in (i_def, i_inj) if i is not None)
    nb.cells = [c for i, c in enumerate(nb.cells) if i not in (i_def, i_inj)]
    nb.cells.insert(first, table)


def render_notebook(notebook: PathLike, out_html: PathLike | None = None) -> Path:
    """Render an executed notebook to a standalone, offline HTML page (see the module docstring).

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
    label = run_group_label(nb)
    _merge_parameter_cells(nb, label)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "framing-parameters" not in cell.metadata.get("tags", []):
            cell.source = relabel_prose(cell.source, label)
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": src.stem}})
    return atomic_write_text(target, body)


def notebook_info(path: Path) -> dict[str, Any]:
    """Title (first Markdown heading), status and duration of an executed notebook."""
    import nbformat

    info: dict[str, Any] = {"title": path.stem, "status": "ok", "duration": None}
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        info["status"] = "unreadable"
        return info
    label = run_group_label(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    info["title"] = relabel_prose(line.lstrip("#").strip(), label)
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


