"""Figures with many groups: one row per group, and only the largest groups above a documented size.

A figure that draws one mark per group along its x axis (frame shares by genre, the genre comparison, blame
avoidance) reads well with a handful of groups; with sixty outlets its labels overlap into a block. Above
:data:`MAX_GROUP_MARKS` groups such a figure turns horizontal (:func:`group_rows_figure`): one row per group down
the y axis, its name on at most two lines (cut with ``…``, its ``(N doc.)`` suffix kept), rows far enough apart for
their labels, the figure as tall as its rows. Above :data:`MAX_GROUP_ROWS` groups it shows the groups with most
documents (or sentences) and its title says so; a figure of one panel per group (keyness, the actor heatmap)
shows at most :data:`MAX_GROUP_PANELS` panels the same way. The data CSV saved beside the figure keeps every
group. At or below these sizes the figures are drawn exactly as before (the study's own figures are unchanged).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd

from framing.plots._layout import ROTATED_LINE_SPACING, _points, legend_below, unit_axis, wrap_label

__all__ = ["MAX_GROUP_MARKS", "MAX_GROUP_PANELS", "MAX_GROUP_ROWS", "group_rows_figure", "largest_groups"]

MAX_GROUP_MARKS = 12
"""Above this many groups, a figure that draws one mark per group along its x axis draws one row per group."""

MAX_GROUP_ROWS = 30
"""Above this many groups, a figure of one row per group shows the groups with most documents (or sentences)."""

MAX_GROUP_PANELS = 12
"""Above this many groups, a figure of one panel per group shows the panels of the groups with most documents."""

_ROW_PAD_IN = 0.14
"""Room in inches between the bars of two neighbouring groups (more than a tick label's line needs)."""

_BAR_IN = 0.09
"""Thickness in inches of one series' bar in a group's row."""


def largest_groups(groups: Sequence[str], sizes: Mapping[str, float] | None, limit: int, *, what: str,
                   unit: str = "documents") -> tuple[list[str], str]:
    """Return the groups a figure draws (at most ``limit``, in their order) and its title's note (``""``: all).

    Above ``limit`` groups, those with the largest ``sizes`` (ties: the first in order) are kept and the note says
    ``"the 30 outlets with most documents, of 60"`` (``what``: the grouping's plural; ``unit``: what ``sizes``
    counts). Without ``sizes`` the first ``limit`` groups are kept and the note says ``"the first 30 outlets"``.
    """
    groups = list(groups)
    if len(groups) <= limit:
        return groups, ""
    if sizes is None:
        return groups[:limit], f"the first {limit} {what}, of {len(groups)}"
    ranked = pd.Series([float(sizes.get(g, 0) or 0) for g in groups], index=range(len(groups)))
    keep = set(ranked.sort_values(ascending=False, kind="stable").index[:limit])
    return [g for i, g in enumerate(groups) if i in keep], f"the {limit} {what} with most {unit}, of {len(groups)}"


ROW_CHARS = 40
"""A group's row label wraps at this many characters a line, on at most :data:`ROW_LINES` lines."""

ROW_LINES = 2
"""Lines of a group's row label: a long name and its ``(N doc., no interval)`` suffix."""


def _row_label(label: str) -> str:
    """A group's row label: its lines joined then wrapped (:data:`ROW_CHARS`, :data:`ROW_LINES`), its name cut
    (``…``) where it must be, its ``(N doc.)`` suffix kept."""
    return wrap_label(" ".join(str(label).split()), ROW_CHARS, max_lines=ROW_LINES)


def group_rows_figure(values: pd.DataFrame, styles: Mapping[str, Mapping[str, Any]], *, labels: Sequence[str],
                      lo: pd.DataFrame | None = None, hi: pd.DataFrame | None = None, xlabel: str,
                      title: str, legend_title: str | None = None, unit: bool = True) -> Any:
    """Horizontal grouped bars: one row per group (``values``' index, top to bottom), one bar per series (columns).

    ``styles`` gives each series' bar keywords (colour, hatch); ``labels`` the rows' tick labels (one line each,
    :func:`_row_label`); ``lo`` and ``hi`` (same shape) an interval per bar where not missing. ``unit``: the value
    axis runs from 0 to 1 (shares). The figure is a page wide and as tall as its rows need, so neighbouring
    labels never overlap; the series' legend sits below.
    """
    import matplotlib.pyplot as plt

    from framing.plots import figure_size

    series = list(values.columns)
    n_groups = len(values)
    label_in = ROW_LINES * ROTATED_LINE_SPACING * _points(mpl.rcParams["ytick.labelsize"]) / 72.0
    row_in = max(_BAR_IN * len(series), label_in) + _ROW_PAD_IN  # room for a two-line label, whatever the bars
    fig, ax = plt.subplots(figsize=figure_size(columns=2, height=row_in * n_groups + 1.0))
    height = 0.8 / max(1, len(series))
    y = np.arange(n_groups)
    for j, s in enumerate(series):
        ys = y + (j - (len(series) - 1) / 2) * height
        v = values[s].to_numpy(dtype=float)
        ax.barh(ys, v, height, label=str(s), **styles[s])
        if lo is not None and hi is not None:
            low, high = lo[s].to_numpy(dtype=float), hi[s].to_numpy(dtype=float)
            has = ~(np.isnan(low) | np.isnan(high))
            err = np.vstack([v - low, high - v]).clip(min=0)
            ax.errorbar(v[has], ys[has], xerr=err[:, has], fmt="none", ecolor="black", capsize=2, linewidth=0.8)
    ax.set_yticks(y, [_row_label(x) for x in labels])
    ax.set_ylim(n_groups - 0.5, -0.5)  # the first group on top
    if unit:
        unit_axis(ax, "x")
    ax.set_xlabel(xlabel)
    handles, names = ax.get_legend_handles_labels()
    legend_below(fig, handles, names, title=legend_title)
    ax.set_title(title)
    return fig
