r"""LaTeX tables that fit a journal page.

:func:`table_to_latex` writes booktabs tables whose layout follows their content:

- numbers right-aligned (``r``; decimals of one column share a format, so they line up);
- long text columns wrapped at the line width (tabularx ``X`` columns, ragged right), short ones ``l``;
  long numeric headers wrap instead of widening their column;
- a captioned table is a ``table*`` (across both columns of a two-column paper);
- a table whose fixed columns still cannot fit the text width is rotated (``sidewaystable*``); one too wide
  even for a rotated page is split into several tables, each repeating the row key (:func:`row_key_columns`:
  all leading text or categorical columns and ``*_id`` columns, e.g. ``genre, frame`` or ``doc_id, sent_id``);
- a keyword-in-context table (columns ``left``, ``match``, ``right``) is set with one wrapped ``context``
  column, ``left [match] right`` (:func:`kwic_context`), so its evidence stays in one part;
- a table of more than ``long_rows`` rows is a ``longtable`` (``xltabular`` when it wraps text), which
  breaks across pages and repeats its header.

The document needs ``\usepackage{booktabs, tabularx, longtable, xltabular, rotating, array}`` (all in
Debian's ``texlive-latex-base/-recommended/-extra``). A ``longtable`` cannot sit in a two-column page:
put it after ``\onecolumn`` (``make paper-check`` does so).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "KWIC_COLUMNS",
    "FloatFormat",
    "TableLayout",
    "kwic_context",
    "latex_escape",
    "row_key_columns",
    "table_layout",
    "table_to_latex",
]

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    # symbols pdfLaTeX's UTF-8 input does not know: written as math, so tables compile with the documented
    # preamble alone (no \newunicodechar); quotes, dashes, accents, bullets and the ellipsis it knows
    "≥": r"$\geq$",
    "≤": r"$\leq$",
    "≠": r"$\neq$",
    "≈": r"$\approx$",
    "→": r"$\rightarrow$",
    "←": r"$\leftarrow$",
    "↔": r"$\leftrightarrow$",
    "×": r"$\times$",
    "±": r"$\pm$",
    "−": r"$-$",
    "…": r"\ldots{}",
}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX_SPECIAL))

# Width estimates in points for \small text (9 pt): a character averages ~4.6 pt; a column adds 2 \tabcolsep.
CHAR_PT = 4.6
PAD_PT = 12.0
TEXT_WIDTH_PT = 345.0  # article's one-column \textwidth: the narrowest page a table is set across
ROTATED_WIDTH_PT = 550.0  # article's \textheight: the width of a rotated (sidewaystable) page
WRAP_CHARS = 28  # text columns with longer cells wrap (X)
MIN_X_PT = 70.0  # narrowest useful wrapped column
HEADER_WRAP_CHARS = 10  # numeric headers longer than this wrap over lines
LINE_PT = 11.0  # a line of \small text
PAGE_HEIGHT_PT = 520.0  # article's \textheight less a caption: taller tables break across pages


def latex_escape(text: object) -> str:
    r"""Escape LaTeX special characters in ``text`` (``\ & % $ # _ { } ~ ^ < >``) and the symbols pdfLaTeX's UTF-8
    input lacks (``≥ ≤ ≠ ≈ → ← ↔ × ± −`` as math, ``…`` as ``\ldots{}``)."""
    s = str(text).replace("\r\n", " ").replace("\n", " ")
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIAL[m.group(0)], s)


FloatFormat = str | Callable[[float], str]


def _format_float(value: float, float_format: FloatFormat) -> str:
    if callable(float_format):
        return str(float_format(value))
    if "{" in float_format:
        return float_format.format(value)
    if float_format.startswith("%"):
        return float_format % value
    return format(value, float_format)


def _cell(value: Any, float_format: FloatFormat, na_rep: str) -> str:
    if value is None or (pd.api.types.is_scalar(value) and not isinstance(value, str) and pd.isna(value)):
        return na_rep
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, float | np.floating):
        return latex_escape(_format_float(float(value), float_format))
    return latex_escape(value)


def _flat_columns(df: pd.DataFrame) -> list[str]:
    if isinstance(df.columns, pd.MultiIndex):
        return [" / ".join(str(p) for p in col if str(p) != "") for col in df.columns]
    return [str(c) for c in df.columns]


@dataclass(frozen=True)
class TableLayout:
    """How a table is set: its environment, column specifications and column groups (one per table)."""

    environment: str  # tabular, tabularx, longtable or xltabular
    rotated: bool
    groups: tuple[tuple[int, ...], ...]  # column indices of each table (several when split)
    specs: tuple[str, ...]  # the column specification of each table


def _kinds(df: pd.DataFrame, cells: list[list[str]], cols: list[str]) -> list[tuple[str, float]]:
    """Per column: kind (``r``, ``l`` or ``X``) and its estimated width in points (natural, or least when X)."""
    out = []
    for j in range(df.shape[1]):
        texts = [r[j] for r in cells]
        longest = max((len(t) for t in texts), default=0)
        word = max((len(w) for t in texts for w in t.split()), default=0)  # an unbreakable run
        numeric = pd.api.types.is_numeric_dtype(df.iloc[:, j]) and not pd.api.types.is_bool_dtype(df.iloc[:, j])
        head = len(cols[j])
        if numeric:
            head_word = max((len(w) + 1 for w in re.split(r"[_\s]+", cols[j]) if w), default=0)
            out.append(("r", max(longest, min(head, max(HEADER_WRAP_CHARS, head_word))) * CHAR_PT + PAD_PT))
        elif longest > WRAP_CHARS and word < longest:
            out.append(("X", max(MIN_X_PT, word * CHAR_PT) + PAD_PT))
        else:
            out.append(("l", max(longest, min(head, WRAP_CHARS)) * CHAR_PT + PAD_PT))
    return out


def _is_id_name(name: str) -> bool:
    return name in ("id", "rank") or name.endswith("_id")


def row_key_columns(df: pd.DataFrame, kinds: list[tuple[str, float]] | None = None) -> list[int]:
    """The columns that identify a row, which every part of a split table repeats.

    The leading run of text or categorical columns (not wrapped, unless its values repeat like a category's: a
    wrapped column of distinct values is content), with integer
    columns named ``id`` or ``*_id`` (``sent_id``, ``para_id``) counted as identifiers: ``genre, frame`` in
    a table of shares by genre and frame, ``scope, method, frame`` in a table of metrics, ``doc_id, sent_id``
    in a keyword-in-context table. The first column when none qualifies.
    """
    cols = _flat_columns(df)
    keys: list[int] = []
    for j in range(df.shape[1]):
        numeric = pd.api.types.is_numeric_dtype(df.iloc[:, j]) and not pd.api.types.is_bool_dtype(df.iloc[:, j])
        # a wrapped column is content (a KWIC context), unless its values repeat as a category's do (topic labels)
        wrapped = kinds is not None and kinds[j][0] == "X" and df.iloc[:, j].nunique() > max(1, len(df) // 2)
        if wrapped or pd.api.types.is_bool_dtype(df.iloc[:, j]) or (numeric and not _is_id_name(cols[j])):
            break
        keys.append(j)
    return keys or [0]


def _column_units(df: pd.DataFrame, kinds: list[tuple[str, float]], keys: list[int],
                  budget: float) -> list[list[int]]:
    """The non-key columns in runs that a split keeps in one part: consecutive text columns that fit together.

    A keyword-in-context table keeps its left context, match and right context side by side; a run too wide
    for one part falls back to single columns.
    """
    units: list[list[int]] = []
    for j in range(df.shape[1]):
        if j in keys:
            continue
        text = kinds[j][0] != "r"
        if text and units and units[-1][-1] == j - 1 and kinds[j - 1][0] != "r":
            units[-1].append(j)
        else:
            units.append([j])
    out: list[list[int]] = []
    for unit in units:
        out.extend([unit] if sum(kinds[j][1] for j in unit) <= budget else [[j] for j in unit])
    return out


def table_layout(df: pd.DataFrame, *, float_format: FloatFormat = "%.3f", na_rep: str = "--",
                 long_rows: int = 40) -> TableLayout:
    """Decide how ``df`` is set (see the module docstring); the widths are estimates for ``\\small`` text."""
    cols = _flat_columns(df)
    cells = [[_cell(v, float_format, na_rep) for v in row] for row in df.itertuples(index=False, name=None)]
    kinds = _kinds(df, cells, cols)
    total = sum(w for _, w in kinds)
    rotated = False
    groups: list[tuple[int, ...]] = [tuple(range(df.shape[1]))]
    if total > TEXT_WIDTH_PT:
        # wrap every text column that is not very short before anything else
        words = [max((len(w) for r in cells for w in r[j].split()), default=0) for j in range(df.shape[1])]
        kinds = [("X", max(MIN_X_PT, words[j] * CHAR_PT) + PAD_PT)
                 if k == "l" and w > 14 * CHAR_PT + PAD_PT and words[j] * CHAR_PT + PAD_PT < w else (k, w)
                 for j, (k, w) in enumerate(kinds)]
        total = sum(w for _, w in kinds)
    whole = [tuple(range(df.shape[1]))]
    sideways_height = _height_pt(cells, kinds, whole, ROTATED_WIDTH_PT)
    if total > TEXT_WIDTH_PT and df.shape[0] <= long_rows and sideways_height <= TEXT_WIDTH_PT:
        # a table turns sideways when its height fits the text block's width; a taller one cannot (a long table is
        # never rotated): it is split
        rotated = total <= ROTATED_WIDTH_PT
    # a wrapped column estimated at its narrowest useful width (MIN_X_PT) can still give up the room its longest
    # word does not need: that much slack before a table with one is split (never below the longest word)
    words = [max((len(w) for r in cells for w in r[j].split()), default=0) for j in range(df.shape[1])]
    slack = sum(max(0.0, w - PAD_PT - words[j] * CHAR_PT) for j, (k, w) in enumerate(kinds) if k == "X")
    if total > (ROTATED_WIDTH_PT if rotated else TEXT_WIDTH_PT + slack) and df.shape[1] > 1:
        rotated = False
        keys = row_key_columns(df, kinds)
        # a key that leaves less than a third of the page for the other columns is cut to its leading columns
        while len(keys) > 1 and (len(keys) == df.shape[1]
                                 or sum(kinds[j][1] for j in keys) > TEXT_WIDTH_PT * 2 / 3):
            keys.pop()
        budget = TEXT_WIDTH_PT - sum(kinds[j][1] for j in keys)
        groups, used = [], 0.0
        current: list[int] = []
        for unit in _column_units(df, kinds, keys, budget):
            width = sum(kinds[j][1] for j in unit)
            if current and used + width > budget:
                groups.append((*keys, *current))
                current, used = [], 0.0
            current.extend(unit)
            used += width
        if current:
            groups.append((*keys, *current))
    # a rotated table's height was checked against its page (the text width); a long table is never rotated
    long = not rotated and (df.shape[0] > long_rows or _height_pt(cells, kinds, groups) > PAGE_HEIGHT_PT)
    has_x = any(kinds[j][0] == "X" for g in groups for j in g)
    environment = ("xltabular" if has_x else "longtable") if long else ("tabularx" if has_x else "tabular")
    x = r">{\raggedright\arraybackslash}X"
    specs = tuple("".join(x if kinds[j][0] == "X" else kinds[j][0] for j in g) for g in groups)
    return TableLayout(environment, rotated, tuple(groups), specs)


def _height_pt(cells: list[list[str]], kinds: list[tuple[str, float]], groups: list[tuple[int, ...]],
               width: float = TEXT_WIDTH_PT) -> float:
    """Estimated height of the tallest table of ``groups`` set ``width`` wide: wrapped cells take several lines
    (counted by wrapping their words at the column's width, as LaTeX breaks lines between words)."""
    tallest = 0.0
    for group in groups:
        fixed = sum(kinds[j][1] for j in group if kinds[j][0] != "X")
        n_x = sum(1 for j in group if kinds[j][0] == "X")
        x_width = max(MIN_X_PT, (width - fixed) / n_x) if n_x else 0.0
        chars = max(1, int((x_width - PAD_PT) / CHAR_PT))  # a wrapped cell's line, less its column's padding
        lines = [max([1, *(len(textwrap.wrap(row[j], chars)) for j in group if kinds[j][0] == "X")])
                 for row in cells]
        tallest = max(tallest, (sum(lines) + 3) * LINE_PT)
    return tallest


def _header(name: str, kind: str) -> str:
    text = latex_escape(name)
    if kind == "r" and len(name) > HEADER_WRAP_CHARS:
        word = max(len(w) for w in re.split(r"[_\s]+", name) if w) + 1  # a part and its underscore
        width = max(HEADER_WRAP_CHARS, word) * CHAR_PT
        text = text.replace(r"\_", r"\_\allowbreak{}")
        return rf"\multicolumn{{1}}{{>{{\raggedleft\arraybackslash}}p{{{width:.0f}pt}}}}{{{text}}}"
    return text


KWIC_COLUMNS = ("left", "match", "right")


def kwic_context(df: pd.DataFrame) -> pd.DataFrame:
    """A keyword-in-context table's ``left``, ``match`` and ``right`` columns as one ``context`` column.

    The context reads ``left [match] right`` and wraps at the column width, so a KWIC table is set with its
    evidence in one column instead of split across parts; other tables are returned unchanged.
    """
    names = set(map(str, df.columns))
    if isinstance(df.columns, pd.MultiIndex) or not set(KWIC_COLUMNS) <= names or "context" in names:
        return df  # not a KWIC table, or one with a context column of its own: left as it is
    first = list(map(str, df.columns)).index(KWIC_COLUMNS[0])
    parts = [df[c].fillna("").astype(str) for c in KWIC_COLUMNS]
    context = (parts[0].str.strip() + " [" + parts[1] + "] " + parts[2].str.strip()).str.strip()
    out = df.drop(columns=list(KWIC_COLUMNS))
    out.insert(min(first, out.shape[1]), "context", context)
    return out


def table_to_latex(
    df: pd.DataFrame,
    *,
    caption: str | None = None,
    label: str | None = None,
    float_format: FloatFormat = "%.3f",
    na_rep: str = "--",
    long_rows: int = 40,
) -> str:
    r"""Render ``df`` as booktabs LaTeX that fits a page (see the module docstring for the layout rules).

    Headers and cells are LaTeX-escaped. A small table is a plain ``tabular`` (inside a ``table`` with
    ``\caption`` and ``\label`` when ``caption`` is given); wide, long and text-heavy tables are wrapped,
    rotated, split or broken across pages.
    """
    df = kwic_context(df)
    layout = table_layout(df, float_format=float_format, na_rep=na_rep, long_rows=long_rows)
    cols = _flat_columns(df)
    cells = [[_cell(v, float_format, na_rep) for v in row] for row in df.itertuples(index=False, name=None)]
    env = layout.environment
    parts = []
    for n, (group, spec) in enumerate(zip(layout.groups, layout.specs, strict=True)):
        kinds = re.findall(r">\{[^}]*\}X|[lrX]", spec)
        head = " & ".join(_header(cols[j], "r" if k == "r" else "l") for j, k in zip(group, kinds, strict=True))
        body = [" & ".join(row[j] for j in group) + r" \\" for row in cells]
        cap = caption if caption is None or len(layout.groups) == 1 else f"{caption} (part {n + 1} of " \
              f"{len(layout.groups)})"
        lab = label if label is None or len(layout.groups) == 1 else f"{label}-{n + 1}"
        width = "{\\linewidth}" if env in ("tabularx", "xltabular") else ""
        if env in ("longtable", "xltabular"):
            lines = [r"\begingroup\small", rf"\begin{{{env}}}{width}{{{spec}}}"]
            if cap is not None:
                lines.append(rf"\caption{{{latex_escape(cap)}}}" + (rf"\label{{{lab}}}" if lab else "") + r" \\")
            lines += [r"\toprule", head + r" \\", r"\midrule", r"\endfirsthead", r"\toprule", head + r" \\",
                      r"\midrule", r"\endhead", r"\bottomrule", r"\endlastfoot", *body, rf"\end{{{env}}}",
                      r"\endgroup"]
            parts.append("\n".join(lines))
            continue
        lines = [rf"\begin{{{env}}}{width}{{{spec}}}", r"\toprule", head + r" \\", r"\midrule", *body,
                 r"\bottomrule", rf"\end{{{env}}}"]
        if cap is None and not layout.rotated and env == "tabular":
            parts.append("\n".join(lines))
            continue
        # starred floats span both columns of a two-column paper (and are plain floats in a one-column one)
        float_env = "sidewaystable*" if layout.rotated else "table*"
        head_lines = [rf"\begin{{{float_env}}}" + ("" if layout.rotated else "[htbp]"), r"\centering"]
        if env != "tabular" or layout.rotated:
            head_lines.append(r"\small")
        if cap is not None:
            head_lines.append(rf"\caption{{{latex_escape(cap)}}}")
            if lab:
                head_lines.append(rf"\label{{{lab}}}")
        parts.append("\n".join([*head_lines, *lines, rf"\end{{{float_env}}}"]))
    return "\n\n".join(parts) + "\n"
