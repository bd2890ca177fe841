"""The blame network as a readable figure: who blames whom, one panel per genre.

Each panel is a two-column diagram: blamers on the left, targets on the right, one line per (blamer, target)
whose width counts blame sentences. Labels sit outside the line ends at a fixed offset in points and wrap at
a word boundary (page width), so they never cover a marker or each other; panel titles wrap to the panel's
width (three lines at most, the name cut before its ``(N doc.)``); targets are ordered by the mean position of
their blamers (fewer crossings) and blamers by how much they blame. At ``columns=2`` the panels sit side by
side (full page width), at ``columns=1`` they are stacked (one journal column), so both stay legible.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from framing.errors import ParameterError
from framing.plots._groups import MAX_GROUP_ROWS, largest_groups
from framing.types import GROUP_LABEL, plural

__all__ = ["blame_network_figure", "plot_blame_network"]

# per layout: vertical space per label row (inches) and label wrap width (characters).
# Page width: narrow panels side by side, labels wrap; one column: one wide panel per genre, labels on one line,
# so the stacked figure stays shorter than a page (make paper-check).
_LAYOUT = {2: (0.24, 14), 1: (0.17, 24)}
_TITLE_PAD_IN = 0.2
"""Room between two panel titles side by side (inches): a title is wrapped to its panel's width less this."""
_PER_ROW = 3
"""Panels side by side at the page width: more groups go on further rows (20 outlets in one row left each panel
a third of an inch)."""


def _label(name: str, chars: int) -> str:
    return textwrap.fill(str(name).replace("_", " "), chars, break_long_words=False)


def _layout(edges: pd.DataFrame) -> tuple[dict[str, float], dict[str, float]]:
    """y positions (1 at the top) of blamers and targets; targets ordered by their blamers' mean position."""
    blame_out = edges.groupby("blamer")["sentences"].sum()
    blamers = sorted(blame_out.index, key=lambda b: (-blame_out[b], str(b)))
    n = max(len(blamers), edges["target"].nunique())
    ys = {b: 1 - (i + 0.5) / n for i, b in enumerate(blamers)}
    # centre the shorter column
    shift_b = (n - len(blamers)) / (2 * n)
    ys = {b: y - shift_b for b, y in ys.items()}
    pos = edges.assign(y=edges["blamer"].map(ys))
    centre = (pos["y"] * pos["sentences"]).groupby(pos["target"]).sum() / pos.groupby("target")["sentences"].sum()
    targets = sorted(centre.index, key=lambda t: (-centre[t], str(t)))
    shift_t = (n - len(targets)) / (2 * n)
    yt = {t: 1 - (i + 0.5) / n - shift_t for i, t in enumerate(targets)}
    return ys, yt


def blame_network_figure(
    edges: pd.DataFrame,
    panels: Mapping[str, str],
    *,
    columns: int = 2,
    colors: Mapping[str, str] | None = None,
    max_panels: int = MAX_GROUP_ROWS,
    group_label: str = GROUP_LABEL,
) -> Any:
    """Draw the blame network of each genre as a two-column diagram (see the module docstring).

    Parameters
    ----------
    edges : DataFrame
        ``genre``, ``blamer``, ``target``, ``sentences`` (one row per edge, as notebook 04 builds it).
    panels : mapping
        ``{genre: panel title}`` in panel order (a genre without edges gets a note).
    columns : {1, 2}
        One journal column (panels stacked) or the page width (panels side by side).
    colors : mapping, optional
        Line colour per blamer (default: :func:`framing.plots._palette.category_palette` in order of total
        blame: Okabe-Ito without the frame colours, then greys).
    max_panels : int, optional
        At most this many panels (default :data:`~framing.plots._groups.MAX_GROUP_ROWS`, 30: ten rows of three
        at the page width): above it, those of the genres with most blame sentences, the figure's title saying
        so (``group_label`` names them).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from framing.plots import figure_size
    from framing.plots._layout import panel_title
    from framing.plots._palette import category_palette

    missing = {"genre", "blamer", "target", "sentences"} - set(edges.columns)
    if missing:
        raise ParameterError(f"blame_network_figure: edges lack column(s) {sorted(missing)}")
    if columns not in (1, 2):
        raise ParameterError(f"columns must be 1 or 2, got {columns!r}")
    if not panels:
        raise ParameterError("blame_network_figure: no panels (genres) given")
    sizes = edges.groupby("genre")["sentences"].sum().to_dict()
    genres, note = largest_groups(list(panels), sizes, max_panels,
                                  what=plural(group_label), unit="blame sentences")
    row_in, wrap_chars = _LAYOUT[columns]
    rows_per = [
        max(1, *(edges.loc[edges["genre"] == g, c].nunique() for c in ("blamer", "target"))) for g in genres
    ]
    per_row = min(len(genres), _PER_ROW) if columns == 2 else 1
    if columns == 2:
        n_rows = -(-len(genres) // per_row)
        heights = [row_in * max(rows_per[r * per_row:(r + 1) * per_row]) + 0.7 for r in range(n_rows)]
        fig, axes = plt.subplots(n_rows, per_row, figsize=figure_size(2, height=sum(heights)), squeeze=False,
                                 layout="constrained", height_ratios=heights if n_rows > 1 else None)
        for spare in axes.ravel()[len(genres):]:  # the last row's empty places
            spare.remove()
        axs = list(axes.ravel()[:len(genres)])
    else:
        heights = [row_in * r + 0.45 for r in rows_per]
        fig, axes = plt.subplots(len(genres), 1, figsize=figure_size(1, height=sum(heights)), squeeze=False,
                                 layout="constrained", gridspec_kw={"height_ratios": heights})
        axs = list(axes[:, 0])
    slot_in = fig.get_figwidth() / per_row - _TITLE_PAD_IN
    totals = edges.groupby("blamer")["sentences"].sum().sort_values(ascending=False, kind="stable")
    palette = dict(colors) if colors else {}
    palette.update(category_palette(b for b in totals.index if b not in palette))  # never a frame's colour
    wmax = float(edges["sentences"].max()) if len(edges) else 1.0
    x0, x1 = 0.0, 1.0
    for ax, genre in zip(axs, genres, strict=True):
        ax.set_axis_off()
        # wrapped to the panel's share of the figure (labels reach beyond the axes), the suffix "(N doc.)" kept
        panel_title(ax, [panels[genre]], width_in=slot_in, max_lines=3, loc="center")
        sub = edges[edges["genre"] == genre]
        if sub.empty:
            ax.text(0.5, 0.5, "no blame sentences\nwith actors", ha="center", va="center", fontsize=7,
                    transform=ax.transAxes)
            continue
        yb, yt = _layout(sub)
        for r in sub.sort_values("sentences", kind="stable").itertuples():
            ax.plot([x0, x1], [yb[r.blamer], yt[r.target]], color=palette[r.blamer], alpha=0.75,
                    linewidth=0.6 + 3.4 * float(r.sentences) / wmax, solid_capstyle="butt", zorder=2)
        ax.scatter([x0] * len(yb), list(yb.values()), marker="s", s=14, color="black", zorder=3, clip_on=False)
        ax.scatter([x1] * len(yt), list(yt.values()), marker="o", s=14, color="black", zorder=3, clip_on=False)
        for name, y in yb.items():
            ax.annotate(_label(name, wrap_chars), (x0, y), xytext=(-5, 0), textcoords="offset points", ha="right",
                        va="center", fontsize=6.5, annotation_clip=False)
        for name, y in yt.items():
            ax.annotate(_label(name, wrap_chars), (x1, y), xytext=(5, 0), textcoords="offset points", ha="left",
                        va="center", fontsize=6.5, annotation_clip=False)
        ax.set_xlim(x0, x1)
        ax.set_ylim(0, 1)
    # constrained layout makes room for the labels outside the line ends (they take part in the layout)
    fig.supxlabel(f"blamer (left) → target (right); line width: blame sentences (widest {int(wmax)})", fontsize=6)
    if note:
        fig.suptitle(f"Who blames whom: {note}", fontsize=7)
    return fig


def plot_blame_network(G: Any, ax: Any = None, *, title: str | None = None) -> Any:
    """Draw a blame network deterministically as two columns: blamers (left) and targets (right).

    Every node with outgoing edges appears on the left (orange squares), every node with incoming edges on
    the right (blue circles), each column sorted by name; a node that is both (a quoted inspectorate that
    is also criticised) appears on both sides, so self-blame is a straight arrow too. Edge widths grow with
    the number of sentences (the widest is stated in the corner). An empty graph gets a note instead.
    ``G`` is :func:`framing.attribution.blame_network` (moved here from ``framing.attribution``, which draws
    nothing); returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt
    import networkx as nx

    if ax is None:
        _, ax = plt.subplots()
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    if G.number_of_edges() == 0:
        ax.text(0.5, 0.5, "no blame sentences with actors", ha="center", va="center", transform=ax.transAxes)
        return ax
    left = sorted({str(u) for u, _ in G.edges})
    right = sorted({str(v) for _, v in G.edges})
    H = nx.DiGraph()
    for u, v, d in G.edges(data=True):
        H.add_edge(("b", str(u)), ("t", str(v)), weight=d["weight"])

    def column(names: list[str], side: str, x: float) -> dict[tuple[str, str], tuple[float, float]]:
        k = len(names)
        return {(side, n): (x, 1.0 - (i + 0.5) / k) for i, n in enumerate(names)}

    pos = {**column(left, "b", 0.0), **column(right, "t", 1.0)}
    edges = sorted(H.edges)
    weights = np.array([H.edges[e]["weight"] for e in edges], dtype=float)
    widths = list(0.6 + 3.4 * weights / weights.max())
    nx.draw_networkx_nodes(H, pos, nodelist=[("b", n) for n in left], node_shape="s", node_color="#E69F00",
                           node_size=120, ax=ax)
    nx.draw_networkx_nodes(H, pos, nodelist=[("t", n) for n in right], node_shape="o", node_color="#56B4E9",
                           node_size=120, ax=ax)
    nx.draw_networkx_edges(H, pos, edgelist=edges, width=widths, arrows=True, arrowsize=8, node_size=120,
                           alpha=0.6, edge_color="#444444", ax=ax)
    for n in left:
        ax.text(-0.06, pos[("b", n)][1], n, ha="right", va="center", fontsize=7)
    for n in right:
        ax.text(1.06, pos[("t", n)][1], n, ha="left", va="center", fontsize=7)
    ax.set_xlim(-0.9, 1.9)
    ax.set_ylim(-0.05, 1.05)
    ax.text(1.0, 0.0, f"widest edge: {int(weights.max())} sentences", transform=ax.transAxes, ha="right",
            va="bottom", fontsize=6)
    return ax
