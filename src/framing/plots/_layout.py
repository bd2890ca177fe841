"""Label and legend rules shared by the figures, so many or long category names never clip or overlap.

The rules (docs/reports.md, "Figure conventions"):

- **Wrapping**: a label wraps at spaces and after ``_``, ``-`` and ``/`` (the characters stay; a word is never
  cut inside); a separator standing between spaces (``budget / cuts``) keeps its spaces and ends its line.
  A label that needs more than ``max_lines`` lines keeps its first ``max_lines`` and ends with ``…``; so does
  a single word longer than the line (cut to the line's width).
- **Category ticks** (:func:`category_ticks`): a label wraps to the width of its category's slot (at most
  three lines per line of the label); when a word of some label is wider than the slot, all labels are
  instead rotated 30 degrees, right-aligned and anchored at their tick, on one line (its lines joined by a
  space) of at most :data:`ROTATED_CHARS` characters: the name is cut (``…``), its suffix (``(4 doc., no
  interval)``, :func:`split_suffix`) kept, on a second line when two fit between neighbours
  (:func:`rotated_labels`): parallel labels 30 degrees apart, no thicker than the room between them, never
  overlap.
- **Suffixes survive**: whatever cuts a label (:func:`wrap_label`) cuts its name and keeps a trailing
  parenthesised part with a number in it, the count and interval note of a group or a period's years.
- **Panel titles** (:func:`panel_title`): wrapped to the panel's width, two lines at most, then cut with ``…``
  (in the name: the suffix stays).
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
    "ROTATION",
    "category_ticks",
    "cut_line",
    "fit_label",
    "legend_below",
    "panel_title",
    "rotated_labels",
    "split_suffix",
    "text_width_in",
    "unit_axis",
    "wrap_label",
]

CHAR_WIDTH_EM = 0.62
"""Average character width as a fraction of the font size (DejaVu Sans is wide; a generous estimate)."""

ROTATED_CHARS = 32
"""A rotated tick label's line holds at most this many characters (the name is cut with ``…``, not its suffix)."""

ROTATION = 30
"""Angle in degrees of rotated tick labels."""

ROTATED_LINE_SPACING = 1.25
"""Room a rotated label's line takes across the slant, in font sizes (matplotlib sets lines 1.2 apart)."""

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
    lines = _wrapped_lines(str(text), width)
    name, suffix = split_suffix(str(text))
    if len(lines) == 1 or not suffix or len(suffix) > width:
        return "\n".join(_cut_lines(lines, max_lines, width))
    # the suffix is one unbroken piece: on the name's last line when it fits there, else on a line of its own
    head = _wrapped_lines(name, width)
    if len(head) <= max_lines and len(head[-1]) + 1 + len(suffix) <= width:
        return "\n".join([*head[:-1], f"{head[-1]} {suffix}"])
    if len(head) < max_lines:
        return "\n".join([*head, suffix])
    if max_lines > 1:  # the name gives up lines, the suffix keeps its own
        return "\n".join([*_cut_lines(head, max_lines - 1, width), suffix])
    if len(suffix) + 3 <= width:  # one line: the name cut, then the suffix
        return cut_line(name, width - len(suffix) - 1) + " " + suffix
    return "\n".join(_cut_lines(lines, max_lines, width))


def cut_line(text: str, chars: int) -> str:
    """``text`` on one line of at most ``chars`` characters: cut where it runs over, ending with ``…``.

    Examples
    --------
    >>> cut_line("Seán’s Sub-postmasters’ Justice Blog", 20)
    'Seán’s Sub-postmast…'
    """
    flat = " ".join(str(text).split())
    return flat if len(flat) <= chars else flat[: max(1, chars - 1)].rstrip() + _ELLIPSIS


def _wrapped_lines(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` characters (a longer word cut to the line with ``…``)."""
    words = _words(text)
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
    return [ln if len(ln) <= width else ln[: width - 1] + _ELLIPSIS for ln in lines]


def _cut_lines(lines: list[str], max_lines: int, width: int) -> list[str]:
    """The first ``max_lines`` of ``lines``, the last ending with ``…`` when some were left out."""
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    return [*lines[: max_lines - 1], (last if len(last) < width else last[: width - 1]).rstrip() + _ELLIPSIS]


_SUFFIX = re.compile(r"\s*(\([^()]*\d[^()]*\))\s*$")


def split_suffix(text: str) -> tuple[str, str]:
    """``text`` as a name and its suffix: a trailing parenthesised part with a number in it, kept whole by a cut.

    A figure's label often ends with what makes it a finding: its count and interval note (``The Guardian (4 doc.,
    no interval)``, ``news (n=3)``) or a period's years (``1 judgment (2019)``); a label too long for its room is
    cut in its name, never in this suffix. A parenthesised part without a digit belongs to the name
    (``("text", "")`` when there is no suffix).

    Examples
    --------
    >>> split_suffix("Blog (Ó Súilleabháin) (4 doc.)")
    ('Blog (Ó Súilleabháin)', '(4 doc.)')
    >>> split_suffix("Blog (Ó Súilleabháin)")
    ('Blog (Ó Súilleabháin)', '')
    """
    flat = " ".join(str(text).split())
    m = _SUFFIX.search(flat)
    if m is None or m.start() == 0:
        return flat, ""
    return flat[: m.start()], m.group(1)


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
    ax.set_xticks(list(positions), rotated_labels(labels, slot_in=slot_in, size=size), rotation=ROTATION,
                  ha="right", rotation_mode="anchor")


def rotated_labels(labels: Sequence[str], *, slot_in: float, size: Any) -> list[str]:
    """Tick labels rotated by :data:`ROTATION` degrees for ticks ``slot_in`` inches apart (each label's lines joined).

    A label is one line of at most :data:`ROTATED_CHARS` characters, its name cut (``…``) and its suffix
    (:func:`split_suffix`: ``(4 doc., no interval)``) kept; when two lines fit between neighbouring labels (the
    slot times the sine of the angle, across the slanted lines), the suffix takes a line of its own and the name
    keeps up to :data:`ROTATED_CHARS` characters.
    """
    room = slot_in * math.sin(math.radians(ROTATION))
    two_lines = room >= 2 * ROTATED_LINE_SPACING * _points(size) / 72.0
    out = []
    for label in labels:
        name, suffix = split_suffix(str(label))
        if suffix and two_lines:
            out.append(wrap_label(name, ROTATED_CHARS, max_lines=1) + "\n" + suffix)
        else:
            out.append(wrap_label(" ".join(str(label).split()), ROTATED_CHARS, max_lines=1))
    return out


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


def panel_title(ax: Any, lines: Sequence[str], *, width_in: float, size: Any = "medium", max_lines: int = 2,
                loc: str | None = None) -> None:
    """Set ``ax``'s title: each of ``lines`` wrapped to ``width_in`` inches (the axes' own width, without
    its tick labels; measured in the title's bold font), ``max_lines`` lines at most each, then ``…`` (in the
    name: a suffix such as ``(4 doc.)`` is kept, :func:`split_suffix`); ``loc`` as in ``set_title`` (default:
    the style's)."""
    weight = mpl.rcParams["axes.titleweight"]
    ax.set_title("\n".join(fit_label(s, width_in, size, weight=weight, max_lines=max_lines) for s in lines),
                 fontsize=size, loc=loc)


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
    legend = fig.legend(list(handles), list(labels), title=title, loc="outside lower center", ncol=ncol,
                        frameon=False)
    for handle, drawn in zip(handles, legend.legend_handles, strict=True):
        # matplotlib copies a patch's hatch into its legend entry but not the hatch's colour (it takes the face's,
        # so the hatch vanished): copy it, so the legend shows what tells the series apart in grey
        patch = handle.patches[0] if getattr(handle, "patches", None) else handle
        if hasattr(patch, "get_hatchcolor") and drawn is not None and hasattr(drawn, "set_hatchcolor"):
            drawn.set_hatchcolor(patch.get_hatchcolor())
    return legend


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
