"""Label and legend rules shared by the figures, so many or long category names never clip or overlap.

The rules (docs/reports.md, "Figure conventions"):

- **Wrapping**: a label wraps at spaces and after ``_``, ``-`` and ``/`` (the characters stay; a word is never
  cut inside); a separator standing between spaces (``budget / cuts``) keeps its spaces and ends its line.
  A label that needs more than ``max_lines`` lines keeps its first ``max_lines`` and ends with ``…``; so does
  a single word longer than the line (cut to the line's width).
- **Category ticks** (:func:`category_ticks`): a label wraps to the width of its category's slot (at most
  three lines per line of the label); when a word of some label is wider than the slot, all labels are
  instead rotated 30 degrees, right-aligned and anchored at their tick, on one line (its lines joined by a
  space) of at most :data:`ROTATED_CHARS` characters (then ``…``): one-line labels 30 degrees apart never
  overlap.
- **Panel titles** (:func:`panel_title`): wrapped to the panel's width, two lines at most, then cut with ``…``.
- **Legends** (:func:`legend_below`): outside the axes, below them, centred on the figure, in as many columns
  as fit the figure's width; the figure grows by the legend's height so the axes keep theirs.

Widths are estimated from the font size (an average character is :data:`CHAR_WIDTH_EM` of the font size),
which is deterministic and needs no renderer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
from matplotlib.font_manager import FontProperties

__all__ = [
    "CHAR_WIDTH_EM",
    "ROTATED_CHARS",
    "category_ticks",
    "fit_label",
    "legend_below",
    "panel_title",
    "text_width_in",
    "unit_axis",
    "wrap_label",
]

CHAR_WIDTH_EM = 0.62
"""Average character width as a fraction of the font size (DejaVu Sans is wide; a generous estimate)."""

ROTATED_CHARS = 32
"""Rotated tick labels are one line, cut at this many characters (``…``)."""

_BREAK = re.compile(r"[^\s_/-]*[_/-]+|[^\s_/-]+")
_ELLIPSIS = "…"


def _points(size: Any) -> float:
    return float(FontProperties(size=size).get_size_in_points())


def text_width_in(text: str, size: Any, weight: Any = "normal") -> float:
    """Width in inches of the widest line of ``text`` at font size ``size`` (points or a name), measured on
    the font's glyph outlines (no renderer needed; the same in every run)."""
    from matplotlib.textpath import TextToPath

    prop = FontProperties(size=size, weight=weight)
    measure = TextToPath()
    return max((measure.get_text_width_height_descent(line, prop, ismath=False)[0] / 72.0
                for line in str(text).split("\n")), default=0.0)


def chars_in(width_in: float, size: Any) -> int:
    """How many characters fit in ``width_in`` inches at font size ``size`` (at least 1)."""
    return max(1, int(width_in * 72.0 / (CHAR_WIDTH_EM * _points(size))))


def wrap_label(text: str, width: int, max_lines: int = 3) -> str:
    """Wrap ``text`` to ``width`` characters per line (rules in the module docstring).

    Examples
    --------
    >>> wrap_label("left_center_bias", 8)
    'left_\\ncenter_\\nbias'
    >>> wrap_label("conspiracy_pseudoscience", 8, max_lines=2)
    'conspir…\\npseudos…'
    """
    width = max(2, int(width))
    words = _words(str(text))
    lines: list[str] = []
    line = ""
    for word in words:
        joiner = "" if not line or (line.endswith(("_", "-", "/")) and not line.endswith(_LONE)) else " "
        if line and len(line) + len(joiner) + len(word) > width:
            lines.append(line)
            line = ""
            joiner = ""
        line += joiner + word
    if line or not lines:
        lines.append(line)
    lines = [ln if len(ln) <= width else ln[: width - 1] + _ELLIPSIS for ln in lines]
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = [*lines[: max_lines - 1], (last if len(last) < width else last[: width - 1]).rstrip() + _ELLIPSIS]
    return "\n".join(lines)


_LONE = (" _", " -", " /")


def _words(text: str) -> list[str]:
    """The pieces :func:`wrap_label` wraps: :data:`_BREAK`'s, a separator between spaces kept with the word before."""
    words: list[str] = []
    for m in _BREAK.finditer(text):
        lone = m.group().strip("_/-") == "" and m.start() > 0 and text[m.start() - 1].isspace()
        if lone and words:
            words[-1] += " " + m.group()
        else:
            words.append(m.group())
    return words


def _longest_word(labels: Sequence[str]) -> int:
    return max((len(w) for s in labels for w in _BREAK.findall(str(s))), default=0)


def category_ticks(ax: Any, positions: Any, labels: Sequence[str], *, slot_in: float) -> None:
    """Set x tick labels at ``positions`` (array-like) for categories ``slot_in`` inches apart: wrapped to fit,
    else rotated (see the module docstring)."""
    size = mpl.rcParams["xtick.labelsize"]
    fit = chars_in(slot_in * 0.95, size)
    if _longest_word(labels) <= fit:
        ax.set_xticks(list(positions), ["\n".join(wrap_label(p, fit) for p in str(s).split("\n")) for s in labels])
        return
    ax.set_xticks(list(positions), [wrap_label(str(s).replace("\n", " "), ROTATED_CHARS, max_lines=1)
                                    for s in labels], rotation=30, ha="right", rotation_mode="anchor")


def fit_label(text: str, width_in: float, size: Any, *, weight: Any = "normal", max_lines: int = 2) -> str:
    """``text`` wrapped (:func:`wrap_label`) at the most characters per line whose lines, measured in the
    font, are no wider than ``width_in`` inches."""
    # no glyph is narrower than half an apostrophe, and wrapped at n characters a line holds at least n minus the
    # longest word: above this bound no n can fit, so the search starts there (the same result, without
    # measuring a very long label once per character)
    bound = int(width_in / (0.5 * text_width_in("'", size, weight))) + max(map(len, text.split()), default=0) + 1
    for n in range(max(min(len(text), bound), 2), 1, -1):
        wrapped = wrap_label(text, n, max_lines=max_lines)
        if text_width_in(wrapped, size, weight) <= width_in:
            return wrapped
    return wrap_label(text, 2, max_lines=max_lines)


def panel_title(ax: Any, lines: Sequence[str], *, width_in: float, size: Any = "medium", max_lines: int = 2) -> None:
    """Set ``ax``'s title: each of ``lines`` wrapped to ``width_in`` inches (the axes' own width, without
    its tick labels; measured in the title's bold font), ``max_lines`` lines at most each, then ``…``."""
    weight = mpl.rcParams["axes.titleweight"]
    ax.set_title("\n".join(fit_label(s, width_in, size, weight=weight, max_lines=max_lines) for s in lines),
                 fontsize=size)


def legend_below(fig: Any, handles: Sequence[Any], labels: Sequence[str], *, title: str | None = None,
                 grow: bool = True) -> Any:
    """Add a figure legend below the axes, in as many columns as fit, growing the figure to hold it.

    Needs constrained layout (the study style turns it on): the legend is placed ``"outside lower center"``.
    """
    size = mpl.rcParams["legend.fontsize"]
    width_in = float(fig.get_figwidth())
    labels = [wrap_label(s, chars_in(width_in - 0.65, size), max_lines=2) for s in labels]
    em = _points(size) / 72.0
    # handle (2 em), its pad (0.8 em) and the column spacing (2 em), per column
    entry_in = max((text_width_in(s, size) for s in labels), default=0.0) + 4.8 * em
    ncol = max(1, min(len(labels), int((width_in - 0.1) // entry_in)))
    rows = math.ceil(len(labels) / ncol) if labels else 0
    if grow:
        lines = max((s.count("\n") + 1 for s in labels), default=1)
        title_in = 1.5 * _points(mpl.rcParams["legend.title_fontsize"]) / 72.0 if title else 0.0
        fig.set_figheight(fig.get_figheight() + rows * (lines * 1.25 + 0.5) * em + title_in + 0.1)
    return fig.legend(list(handles), list(labels), title=title, loc="outside lower center", ncol=ncol,
                      frameon=False)


UNIT_MARGIN = 0.05
"""Room left beyond 0 and 1 on a unit (share, score) axis, so markers and interval caps there are whole."""


def unit_axis(ax: Any, axis: str = "y", *, baseline: bool = True) -> None:
    """Show ``[0, 1]`` on ``axis`` with :data:`UNIT_MARGIN` beyond both ends, ticks at 0, 0.2 ... 1.

    With ``baseline`` (bar charts) the perpendicular spine sits at 0, so bars still stand on it.
    """
    ticks = [i / 5 for i in range(6)]
    lims = (-UNIT_MARGIN, 1 + UNIT_MARGIN)
    if axis == "y":
        ax.set_ylim(*lims)
        ax.set_yticks(ticks)
        ax.spines["left"].set_bounds(0.0, 1.0)  # the scale's own spine spans 0 to 1 only
        if baseline:
            ax.spines["bottom"].set_position(("data", 0.0))
    else:
        ax.set_xlim(*lims)
        ax.set_xticks(ticks)
        ax.spines["bottom"].set_bounds(0.0, 1.0)
        if baseline:
            ax.spines["left"].set_position(("data", 0.0))
