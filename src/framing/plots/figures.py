"""The study's figures, each a function from tables to a matplotlib Figure (saved with ``save_figure``).

The notebooks draw nothing by hand: they compute a table with the package, call one of these functions and
save the result. A function draws with the rcParams in force (``framing.nbtools.setup`` applies the study
style; :func:`framing.plots.use_style` does it by hand) and never saves or shows the figure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.patches as mpatches
import numpy as np
import pandas as pd

from framing.plots import FRAME_COLORS, OKABE_ITO, figure_size, genre_palette
from framing.plots._groups import MAX_GROUP_MARKS, MAX_GROUP_PANELS, MAX_GROUP_ROWS, group_rows_figure, largest_groups
from framing.plots._layout import (
    category_ticks,
    cut_line,
    legend_below,
    panel_title,
    text_width_in,
    unit_axis,
)
from framing.plots._palette import (
    GENRE_HATCH_COLOR,
    HATCH_COLOR,
    frame_hatches,
    frame_linestyles,
    frame_markers,
    genre_hatches,
)
from framing.types import ACTORS, FRAMES, GROUP_LABEL, plural

__all__ = [
    "DOCUMENT_GENRE_CHARS",
    "HISTOGRAM_BINS",
    "MAX_DOCUMENT_MARKS",
    "actor_frame_heatmap",
    "avoidance_rates_figure",
    "confusion_figure",
    "document_lengths_figure",
    "driving_terms_figure",
    "f1_by_frame_figure",
    "frame_shares_by_document_figure",
    "frame_shares_by_genre_figure",
    "genre_colors",
    "genre_frame_shares_figure",
    "keyness_figure",
    "threshold_curve_figure",
]


def _plt() -> Any:
    import matplotlib.pyplot as plt

    return plt


def _rc(key: str) -> Any:
    """The rcParam ``key`` in force."""
    import matplotlib as mpl

    params: Any = mpl.rcParams
    return params[key]


def _frame_colors(frames: Sequence[str]) -> dict[str, str]:
    return {f: FRAME_COLORS.get(f, "#777777") for f in frames}


def _frame_bar_style(frames: Sequence[str]) -> dict[str, dict[str, str]]:
    """Per frame, the keyword arguments of its bars: its colour and its hatch (in white), so frame series stay
    apart printed in grey (:func:`framing.plots._palette.frame_hatches`)."""
    colors, hatches = _frame_colors(frames), frame_hatches(frames)
    return {f: {"color": colors[f], "hatch": hatches[f], "hatchcolor": HATCH_COLOR} for f in frames}


MAX_DOCUMENT_MARKS = 20
"""Above this many documents, a figure that draws one mark per document changes form, so that its cost and
legibility do not depend on the corpus size: document lengths become a histogram per genre (distinct colours,
:func:`framing.plots.genre_palette`), frame shares by document show the :data:`MAX_DOCUMENT_MARKS` documents
with most content sentences, with a note saying so. The data CSV saved beside the figure still has every
document."""

_AXES_WIDTH: dict[int, float] = {1: figure_size(columns=1)[0] - 0.6, 2: figure_size(columns=2)[0] - 0.6}
"""Estimated width in inches of one axes spanning a one- or two-column figure (the y labels take ~0.6 in)."""

DOCUMENT_GENRE_CHARS = 20
"""A per-document label names its genre after the title, cut to this many characters (``…``)."""

HISTOGRAM_BINS = 30
"""Bins of the document-length histogram (above :data:`MAX_DOCUMENT_MARKS` documents)."""


def genre_colors(genres: Sequence[str], colors: Mapping[str, str] | None = None) -> dict[str, str]:
    """The genre colours of a figure: ``colors`` where given, else :func:`framing.plots.genre_palette` of
    ``genres`` (the report's genres: every figure that colours by genre goes through here)."""
    palette = genre_palette(genres)
    palette.update({str(k): v for k, v in (colors or {}).items()})
    return palette


def _genre_bar_style(palette: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Per genre, the keyword arguments of its bars: its colour and its hatch (:func:`genre_hatches`, in black),
    so genres whose colours print as the same grey stay apart."""
    hatches = genre_hatches(palette)
    return {g: {"color": c, "hatch": hatches[g], "hatchcolor": GENRE_HATCH_COLOR} for g, c in palette.items()}


def _genre_legend(plt: Any, fig: Any, genres: Sequence[str], colors: Mapping[str, str],
                  labels: Sequence[str] | None = None, title: str = GROUP_LABEL) -> None:
    hatches = genre_hatches(colors)
    # facecolor, not color: a patch's color= would set the hatch's colour to the face's (an invisible hatch)
    handles = [plt.Rectangle((0, 0), 1, 1, facecolor=colors[g], edgecolor="none", hatch=hatches[g],
                             hatchcolor=GENRE_HATCH_COLOR) for g in genres]
    legend_below(fig, handles, list(labels) if labels is not None else list(genres), title=title)


def document_lengths_figure(lengths: pd.DataFrame, labels: pd.Series, genres: Sequence[str], *,
                            max_documents: int = MAX_DOCUMENT_MARKS, colors: Mapping[str, str] | None = None,
                            group_label: str = GROUP_LABEL) -> Any:
    """Horizontal bars of content tokens per document, coloured by genre, legend below.

    ``lengths`` has ``doc_id``, ``genre``, ``n_tokens`` (one row per document, in drawing order);
    ``labels`` maps ``doc_id`` to an axis label (:func:`framing.plots.document_labels`). Above
    ``max_documents`` documents (default :data:`MAX_DOCUMENT_MARKS`) the figure is a stacked histogram of
    content tokens per document, by genre (:data:`HISTOGRAM_BINS` bins), titled with the number of documents.
    Genre colours: :func:`genre_colors` (``colors``, else the palette of ``genres``). ``group_label`` names the
    grouping in the title and the legend (:func:`framing.types.group_label`: ``"outlet"`` for
    ``genre_col="outlet"``).
    """
    plt = _plt()
    fig, ax = plt.subplots(figsize=figure_size(columns=1))
    palette = genre_colors(genres, colors)
    if len(lengths) > max_documents:
        tokens = lengths["n_tokens"].to_numpy(dtype=float)
        edges = np.histogram_bin_edges(tokens, bins=HISTOGRAM_BINS)
        by_genre = [tokens[(lengths["genre"] == g).to_numpy()] for g in genres]
        _, _, bars = ax.hist(by_genre, bins=edges, stacked=True, color=[palette[g] for g in genres],
                             label=list(genres))
        hatches = genre_hatches(palette)
        for genre, container in zip(genres, bars if len(genres) > 1 else [bars], strict=True):
            for patch in container:
                patch.set_hatch(hatches[genre])
                patch.set_hatchcolor(GENRE_HATCH_COLOR)
        ax.set_xlabel("content tokens")
        ax.set_ylabel("documents")
        _genre_legend(plt, fig, genres, palette, title=group_label)
        fig.suptitle(f"Document length by {group_label} ({len(lengths):,} documents)")
        return fig
    style = _genre_bar_style(palette)
    ax.barh(lengths["doc_id"].map(labels), lengths["n_tokens"], color=[style[g]["color"] for g in lengths["genre"]],
            hatch=[style[g]["hatch"] for g in lengths["genre"]], hatchcolor=GENRE_HATCH_COLOR)
    ax.set_xlabel("content tokens")
    ax.invert_yaxis()
    _genre_legend(plt, fig, genres, palette, title=group_label)
    fig.suptitle(f"Document length by {group_label}")
    return fig


def frame_shares_by_genre_figure(by_genre: pd.DataFrame, frames: Sequence[str], *,
                                 group_label: str = GROUP_LABEL, max_groups: int = MAX_GROUP_MARKS) -> Any:
    """Grouped bars of frame shares by genre with bootstrap intervals (none for a one-document genre).

    ``by_genre`` has ``genre``, ``frame``, ``share``, ``lo``, ``hi`` and ``method`` (a method containing
    ``"one document"`` resamples only sentences, so no interval is drawn for that genre). The title names the
    grouping ``group_label`` (``"Blame frames by outlet"``). Above ``max_groups`` groups (default
    :data:`~framing.plots._groups.MAX_GROUP_MARKS`) one row per group (:func:`_frame_share_rows`).
    """
    plt = _plt()
    style = _frame_bar_style(frames)
    genres = list(dict.fromkeys(by_genre["genre"]))
    if len(genres) > max_groups:
        return _frame_share_rows(by_genre, frames, genres, group_label)
    fig, ax = plt.subplots(figsize=figure_size(columns=1))
    width = 0.8 / len(frames)
    x = np.arange(len(genres))
    for j, f in enumerate(frames):
        d = by_genre[by_genre.frame == f].set_index("genre").loc[genres]
        has_ci = ~d["method"].str.contains("one document").to_numpy()
        err = np.vstack([d["share"] - d["lo"], d["hi"] - d["share"]]).clip(min=0)
        xs = x + (j - (len(frames) - 1) / 2) * width
        ax.bar(xs, d["share"], width, label=f, **style[f])
        ax.errorbar(xs[has_ci], d["share"][has_ci], yerr=err[:, has_ci], fmt="none", ecolor="black", capsize=2,
                    linewidth=0.8)
    one_doc = set(by_genre.loc[by_genre["method"].str.contains("one document"), "genre"])
    unit_axis(ax, "y")  # before the ticks: moving the spine resets them
    category_ticks(ax, x, [f"{g}\n(1 doc., no interval)" if g in one_doc else g for g in genres],
                   slot_in=_AXES_WIDTH[1] / max(1, len(genres)))
    ax.set_ylabel("share of sentences")
    handles, names = ax.get_legend_handles_labels()
    legend_below(fig, handles, names, title="frame")
    ax.set_title(f"Blame frames by {group_label}")
    return fig


def _wide(table: pd.DataFrame, column: str, index: str, series: str, rows: Sequence[str],
          columns: Sequence[str]) -> pd.DataFrame:
    """``table``'s ``column`` with one row per ``index`` value (``rows``, in order) and one column per ``series``."""
    return table.pivot(index=index, columns=series, values=column).reindex(index=list(rows), columns=list(columns))


def _frame_share_rows(by_genre: pd.DataFrame, frames: Sequence[str], genres: Sequence[str], group_label: str) -> Any:
    """:func:`frame_shares_by_genre_figure` with many groups: one row per group, the largest by sentences above
    :data:`~framing.plots._groups.MAX_GROUP_ROWS`, the title saying so."""
    first = by_genre.drop_duplicates("genre").set_index("genre")
    sizes = first["n_sentences"].to_dict() if "n_sentences" in first.columns else None
    kept, note = largest_groups(genres, sizes, MAX_GROUP_ROWS, what=plural(group_label), unit="sentences")
    no_ci = by_genre.assign(lo=by_genre["lo"].where(~by_genre["method"].str.contains("one document")))
    one_doc = set(by_genre.loc[by_genre["method"].str.contains("one document"), "genre"])
    return group_rows_figure(
        _wide(by_genre, "share", "genre", "frame", kept, frames), _frame_bar_style(frames),
        labels=[f"{g} (1 doc., no interval)" if g in one_doc else g for g in kept],
        lo=_wide(no_ci, "lo", "genre", "frame", kept, frames), hi=_wide(by_genre, "hi", "genre", "frame", kept, frames),
        xlabel="share of sentences", title=f"Blame frames by {group_label}" + (f"\n({note})" if note else ""),
        legend_title="frame")


def frame_shares_by_document_figure(by_doc: pd.DataFrame, frames: Sequence[str], labels: pd.Series, *,
                                    max_documents: int = MAX_DOCUMENT_MARKS) -> Any:
    """Horizontal grouped bars of each document's frame shares with intervals over its sentences.

    ``by_doc`` has ``doc_id``, ``genre``, ``frame``, ``share``, ``lo``, ``hi`` (and ``n_sentences``);
    ``labels`` maps ``doc_id`` to a short label, shown with the document's genre cut to
    :data:`DOCUMENT_GENRE_CHARS` characters. Above ``max_documents`` documents (default
    :data:`MAX_DOCUMENT_MARKS`) only the ``max_documents`` documents with most content sentences are drawn
    (first in table order among equals), and the title says so.
    """
    plt = _plt()
    style = _frame_bar_style(frames)
    docs = list(dict.fromkeys(by_doc["doc_id"]))
    title = "Blame frames by document"
    if len(docs) > max_documents:
        size = (by_doc.drop_duplicates("doc_id").set_index("doc_id")["n_sentences"] if "n_sentences" in by_doc
                else by_doc.groupby("doc_id", sort=False).size())
        keep = set(size.reindex(docs).sort_values(ascending=False, kind="stable").index[:max_documents])
        title += f"\n(the {max_documents} with most sentences, of {len(docs):,} documents)"
        docs = [d for d in docs if d in keep]
    fig, ax = plt.subplots(figsize=figure_size(columns=2, aspect=0.45))
    height = 0.8 / len(frames)
    y = np.arange(len(docs))
    for j, f in enumerate(frames):
        d = by_doc[by_doc.frame == f].set_index("doc_id").loc[docs]
        err = np.vstack([d["share"] - d["lo"], d["hi"] - d["share"]]).clip(min=0)
        ax.barh(y + (j - (len(frames) - 1) / 2) * height, d["share"], height, xerr=err, capsize=2, label=f,
                **style[f])
    genre_of = by_doc.drop_duplicates("doc_id").set_index("doc_id")["genre"]
    # the genre after each label, cut: with long group names it would take most of the figure's width
    ax.set_yticks(y, [f"{labels[d]} ({cut_line(str(genre_of[d]), DOCUMENT_GENRE_CHARS)})" for d in docs])
    ax.invert_yaxis()
    ax.set_xlabel("share of sentences")
    unit_axis(ax, "x")
    handles, names = ax.get_legend_handles_labels()
    legend_below(fig, handles, names, title="frame")
    ax.set_title(title)
    return fig


def driving_terms_figure(drivers: pd.DataFrame, frames: Sequence[str]) -> Any:
    """One panel per frame: the entries with most hits (``category``, ``entry``, ``n_hits``)."""
    plt = _plt()
    colors = _frame_colors(frames)
    fig, axes = plt.subplots(1, len(frames), figsize=figure_size(columns=2, aspect=0.5), sharex=True)
    for ax, f in zip(np.atleast_1d(axes), frames, strict=False):
        d = drivers[drivers.category == f]
        ax.barh(d["entry"], d["n_hits"], color=colors[f])
        ax.invert_yaxis()
        ax.set_title(f)
        ax.set_xlabel("hits")
    fig.suptitle("Entries driving each frame (labelled sentences)")
    return fig


def actor_frame_heatmap(
    matrix: pd.DataFrame,
    genres: Sequence[str],
    n_docs: Mapping[str, int],
    *,
    actors: Sequence[str] = ACTORS,
    frames: Sequence[str] = (*FRAMES, "none"),
    max_panels: int = MAX_GROUP_PANELS,
    group_label: str = GROUP_LABEL,
) -> Any:
    """One heatmap per genre: blame sentences by target actor (rows) and frame (columns), shared scale.

    ``matrix`` is :func:`framing.attribution.actor_frame_matrix` (``genre``, ``actor``, ``frame``,
    ``n_sentences``); ``n_docs`` gives each genre's number of documents for the panel titles (wrapped to the
    panel's width). Panels sit :data:`PANELS_PER_ROW` to a row; more genres start a new row. Above ``max_panels``
    genres, the panels of the genres with most documents (``group_label`` names them in the figure's title).
    """
    plt = _plt()
    cols = list(frames)
    genres, note = largest_groups(genres, n_docs, max_panels, what=plural(group_label))
    ncol, nrow, (width, height) = _panel_grid(len(genres), aspect=0.55)
    fig, axes = plt.subplots(nrow, ncol, figsize=(width, height), sharey=True, squeeze=False)
    flat = list(axes.ravel())
    for ax in flat[len(genres):]:
        ax.set_axis_off()
    vmax = max(1, int(matrix["n_sentences"].max())) if len(matrix) else 1
    im = None
    # sharey: only the first column shows the actors; the colour bar takes ~0.75 in
    axes_in = _axes_width(width, ncol, [list(actors) if i % ncol == 0 else [] for i in range(len(genres))], 0.75)
    for ax, genre in zip(flat, genres, strict=False):
        m = (matrix[matrix["genre"] == genre].pivot(index="actor", columns="frame", values="n_sentences")
             .reindex(index=list(actors), columns=cols).fillna(0))
        im = ax.imshow(m.to_numpy(), cmap="Blues", vmin=0, vmax=vmax, aspect="auto")
        ax.grid(False)  # no grid lines across heatmap cells
        for (i, j), v in np.ndenumerate(m.to_numpy()):
            if v:
                ax.text(j, i, int(v), ha="center", va="center", fontsize=6,
                        color="white" if v > vmax / 2 else "black")
        ax.set_xticks(range(len(cols)), cols, rotation=45, ha="right", rotation_mode="anchor")
        ax.set_yticks(range(len(actors)), list(actors))
        panel_title(ax, [f"{genre} ({n_docs[genre]} doc.)"], width_in=axes_in, max_lines=3)
    if im is not None:
        fig.colorbar(im, ax=flat[: len(genres)], shrink=0.8, label="blame sentences")
    if note:
        fig.suptitle(f"Blame sentences by target and frame: {note}")
    return fig


def avoidance_rates_figure(
    rates: pd.DataFrame, genres: Sequence[str], n_docs: Mapping[str, int], types: Sequence[str], *,
    colors: Mapping[str, str] | None = None, group_label: str = GROUP_LABEL, max_groups: int = MAX_GROUP_MARKS,
) -> Any:
    """Grouped bars: blame-avoidance sentences per 100 content sentences, by type and genre.

    ``rates`` is :func:`framing.attribution.avoidance_rates` (``genre``, ``type``, ``per_100_sentences``).
    Genre colours: :func:`genre_colors`; the legend, below the axes, is titled with ``group_label``. Above
    ``max_groups`` groups, one row per group with the types as bars (the largest groups by documents above
    :data:`~framing.plots._groups.MAX_GROUP_ROWS`).
    """
    plt = _plt()
    types = list(types)
    if len(genres) > max_groups:  # one row per group, the types as series
        kept, note = largest_groups(genres, n_docs, MAX_GROUP_ROWS, what=plural(group_label))
        names = [t.replace("_", " ") for t in types]
        series = dict(zip(types, names, strict=True))
        values = _wide(rates, "per_100_sentences", "genre", "type", kept, types).rename(columns=series)
        styles = {series[t]: {"color": OKABE_ITO[c], "hatch": h, "hatchcolor": HATCH_COLOR}
                  for t, c, h in zip(types, _CURVE_COLORS * len(types), frame_hatches(types).values(), strict=False)}
        return group_rows_figure(values, styles, labels=[f"{g} (n={n_docs[g]})" for g in kept],
                                 xlabel="sentences per 100", unit=False, legend_title="type",
                                 title=f"Blame avoidance by {group_label}" + (f"\n({note})" if note else ""))
    fig, ax = plt.subplots(figsize=figure_size(columns=1))
    palette = genre_colors(genres, colors)
    style = _genre_bar_style(palette)
    width = 0.8 / max(1, len(genres))
    for k, genre in enumerate(genres):
        r = rates[rates["genre"] == genre].set_index("type").reindex(types)
        ax.bar(np.arange(len(types)) + k * width, r["per_100_sentences"], width, **style[genre])
    category_ticks(ax, np.arange(len(types)) + width * (len(genres) - 1) / 2, [t.replace("_", " ") for t in types],
                   slot_in=_AXES_WIDTH[1] / max(1, len(types)))
    ax.set_ylabel("sentences per 100")
    _genre_legend(plt, fig, genres, palette, [f"{g} (n={n_docs[g]})" for g in genres],
                  title=f"{group_label} (documents)")
    return fig


PANELS_PER_ROW = 4
"""At most this many genre panels side by side (page width) in :func:`keyness_figure` and
:func:`actor_frame_heatmap`; more genres start a new row."""


_PANEL_PAD_IN = 0.2
"""Room per panel for tick marks, label pads and the space between panels (constrained layout's pads)."""


def _axes_width(width_in: float, ncol: int, ytick_labels: Sequence[Sequence[str]], reserved_in: float = 0.0) -> float:
    """Width in inches of each axes of a grid of ``ncol`` panels (where a left-aligned title starts).

    Constrained layout keeps the axes equally wide and gives each column the room of its widest y tick label:
    ``ytick_labels`` lists each panel's labels, row by row; ``reserved_in`` is taken by a colour bar.
    """
    size = _rc("ytick.labelsize")
    column = [0.0] * ncol
    for i, labels in enumerate(ytick_labels):
        widest = max((text_width_in(str(x), size) for x in labels), default=0.0)
        column[i % ncol] = max(column[i % ncol], widest)
    return max(0.3, (width_in - reserved_in - sum(column) - ncol * _PANEL_PAD_IN) / ncol)


def _panel_grid(n: int, aspect: float) -> tuple[int, int, tuple[float, float]]:
    """Columns, rows and figure size of ``n`` genre panels at page width: one row is ``aspect`` of the width
    high; each further row adds 0.8 of that (so two rows of a 0.6 aspect stay shorter than a page)."""
    ncol = max(1, min(n, PANELS_PER_ROW))
    nrow = max(1, -(-n // ncol))
    width, height = figure_size(columns=2, aspect=aspect)
    return ncol, nrow, (width, height * (1 if nrow == 1 else 0.8 * nrow))


def keyness_figure(top: pd.DataFrame, genres: Sequence[str], n_docs: Mapping[str, int], *,
                   colors: Mapping[str, str] | None = None, group_label: str = GROUP_LABEL,
                   max_panels: int = MAX_GROUP_PANELS) -> Any:
    """One panel per genre: its key terms against the rest by z-score (``target``, ``term``, ``z``).

    Panels sit :data:`PANELS_PER_ROW` to a row (page width); each title is the genre, wrapped to the
    panel's width (two lines at most, then ``…``), and ``vs rest (N doc.)``; one x label for all panels.
    Genre colours: :func:`genre_colors`. Without two groups the figure says so, naming ``group_label``. Above
    ``max_panels`` groups, the panels of the groups with most documents, the figure's title saying so.
    """
    plt = _plt()
    palette = genre_colors(genres, colors)
    targets = [g for g in genres if len(top) and g in set(top["target"])]
    targets, note = largest_groups(targets, n_docs, max_panels, what=plural(group_label))
    ncol, nrow, (width, height) = _panel_grid(len(targets), aspect=0.6)
    fig, axes = plt.subplots(nrow, ncol, figsize=(width, height), squeeze=False)
    flat = list(axes.ravel())
    if not targets:
        flat[0].text(0.5, 0.5, f"keyness needs at least two {plural(group_label)}", ha="center", va="center")
        flat[0].set_axis_off()
    for ax in flat[len(targets):] if targets else []:
        ax.set_axis_off()
    terms = [top.loc[top["target"] == g, "term"].astype(str).tolist() for g in targets]
    axes_in = _axes_width(width, ncol, terms)
    for ax, genre in zip(flat, targets, strict=False):
        t = top[top["target"] == genre].iloc[::-1]
        ax.barh(t["term"], t["z"], color=palette[genre])
        panel_title(ax, [genre, f"vs rest ({n_docs[genre]} doc.)"], width_in=axes_in)
        ax.tick_params(axis="y", labelsize=7)
    if targets:
        fig.supxlabel("z (log-odds, Dirichlet prior)", fontsize=_rc("axes.labelsize"))
    if note:
        fig.suptitle(f"Key terms: {note}")
    return fig


def genre_frame_shares_figure(
    shares: pd.DataFrame, genres: Sequence[str], n_docs: Mapping[str, int], frames: Sequence[str] = FRAMES, *,
    colors: Mapping[str, str] | None = None, group_label: str = GROUP_LABEL, max_groups: int = MAX_GROUP_MARKS,
) -> Any:
    """Grouped bars of frame shares per genre; cluster-bootstrap intervals where ``lo`` is not missing.

    Genre colours: :func:`genre_colors`; the legend is below the axes, titled with ``group_label``. Above
    ``max_groups`` groups, one row per group with the frames as bars (the largest groups by documents above
    :data:`~framing.plots._groups.MAX_GROUP_ROWS`).
    """
    plt = _plt()
    if len(genres) > max_groups:
        kept, note = largest_groups(genres, n_docs, MAX_GROUP_ROWS, what=plural(group_label))
        lo = _wide(shares, "lo", "genre", "frame", kept, frames)
        labels = [f"{g} ({n_docs[g]} doc.{'' if lo.loc[g].notna().any() else ', no interval'})" for g in kept]
        return group_rows_figure(_wide(shares, "share", "genre", "frame", kept, frames), _frame_bar_style(frames),
                                 labels=labels, lo=lo, hi=_wide(shares, "hi", "genre", "frame", kept, frames),
                                 xlabel="share of sentences", legend_title="frame",
                                 title=f"Frame shares by {group_label}" + (f"\n({note})" if note else ""))
    palette = genre_colors(genres, colors)
    style = _genre_bar_style(palette)
    labels = []
    fig, ax = plt.subplots(figsize=figure_size(columns=1, aspect=0.7))
    width = 0.8 / max(1, len(genres))
    x = np.arange(len(frames))
    for k, genre in enumerate(genres):
        s = shares[shares["genre"] == genre].set_index("frame").reindex(list(frames))
        has_ci = s["lo"].notna().to_numpy()
        err = np.vstack([s["share"] - s["lo"], s["hi"] - s["share"]])
        ax.bar(x + k * width, s["share"], width, **style[genre])
        labels.append(f"{genre} ({n_docs[genre]} doc.{'' if has_ci.any() else ', no interval'})")
        if has_ci.any():
            ax.errorbar((x + k * width)[has_ci], s["share"][has_ci], yerr=err[:, has_ci], fmt="none",
                        ecolor="black", capsize=2, linewidth=0.8)
    unit_axis(ax, "y")  # shares: 0 to 1, as in every share figure (before the ticks: moving the spine resets them)
    ax.set_xticks(x + width * (len(genres) - 1) / 2, list(frames))
    ax.set_ylabel("share of sentences")
    # below the axes: the plot keeps the column's width
    _genre_legend(plt, fig, genres, palette, labels, title=group_label)
    return fig


def f1_by_frame_figure(rows: pd.DataFrame, title: str = "Lexicon against the coded sentences") -> Any:
    """Bars of F1 per frame with its interval, precision and recall markers and the always-present F1.

    ``rows`` has ``frame``, ``f1``, ``f1_low``, ``f1_high``, ``precision``, ``recall``, ``f1_baseline``;
    ``title`` heads the figure (notebook 06 names the coded corpus and its number of documents).
    """
    plt = _plt()
    fig, ax = plt.subplots(figsize=figure_size(columns=1))
    x = np.arange(len(rows))
    colors = [FRAME_COLORS[f] for f in rows["frame"]]
    err = np.vstack([rows["f1"] - rows["f1_low"], rows["f1_high"] - rows["f1"]])
    ax.bar(x, rows["f1"], color=colors, width=0.6)  # frame colours: each bar is its frame (the x label)
    if np.isfinite(err).all():
        ax.errorbar(x, rows["f1"], yerr=err, fmt="none", ecolor="black", capsize=3, linewidth=0.8)
    ax.scatter(x - 0.15, rows["precision"], marker="^", color="black", zorder=3, s=14, label="precision")
    ax.scatter(x + 0.15, rows["recall"], marker="v", color="black", zorder=3, s=14, label="recall")
    ax.hlines(rows["f1_baseline"], x - 0.3, x + 0.3, colors="black", linestyles="dashed", linewidth=1.2,
              zorder=4, label="always-present F1")
    unit_axis(ax, "y")  # markers at 0 and 1 drawn whole (before the ticks: moving the spine resets them)
    ax.set_xticks(x, rows["frame"])
    ax.set_ylabel("score")
    ax.set_title(title)
    handles, names = ax.get_legend_handles_labels()
    # the bars' legend entry is a neutral swatch: a frame colour means that frame wherever it appears
    bar = mpatches.Patch(facecolor="white", edgecolor="black", linewidth=0.8)
    legend_below(fig, [bar, *handles], ["F1 (bar, in its frame's colour)", *names])
    return fig


def confusion_figure(confusion: pd.DataFrame, frames: Sequence[str] = FRAMES, reference: str | None = None) -> Any:
    """One 2x2 table per frame (reference code by lexicon label) from an agreement report's ``confusion``.

    ``reference`` defaults to the main one: ``majority``, or the single coder's name with one coder.
    """
    from framing.agreement import main_reference

    reference = main_reference(confusion) if reference is None else reference
    plt = _plt()
    fig, axes = plt.subplots(1, len(frames), figsize=figure_size(columns=2, aspect=0.3))
    for ax, f in zip(np.atleast_1d(axes), frames, strict=False):
        c = confusion[(confusion["frame"] == f) & (confusion["reference"] == reference)]
        m = c.sort_values("coded")[["lexicon_0", "lexicon_1"]].to_numpy()
        ax.imshow(m, cmap="Greys", vmin=0, vmax=max(1, m.max()) * 1.6)
        ax.grid(False)  # no grid lines across heatmap cells
        for (i, j), v in np.ndenumerate(m):
            ax.text(j, i, str(v), ha="center", va="center")
        ax.set_xticks([0, 1], ["lexicon 0", "lexicon 1"])
        ax.set_yticks([0, 1], ["coded 0", "coded 1"])
        ax.set_title(f, color=FRAME_COLORS[f])
        ax.grid(False)
    return fig


_CURVE_COLORS: tuple[str, ...] = ("blue", "orange", "vermillion", "reddish_purple", "bluish_green")


def threshold_curve_figure(curve: pd.DataFrame, frames: Sequence[str], threshold: float) -> Any:
    """F1 against the document threshold, one line per frame, the chosen threshold dotted.

    ``curve`` is :func:`framing.agreement.threshold_curve` (``frame``, ``threshold``, ``f1``).
    """
    plt = _plt()
    names = [_CURVE_COLORS[i % len(_CURVE_COLORS)] for i in range(len(frames))]
    frame_colors = dict(zip(frames, [OKABE_ITO[k] for k in names], strict=True))
    markers, styles = frame_markers(frames), frame_linestyles(frames)  # apart in grey, too
    fig, ax = plt.subplots(figsize=figure_size(columns=1))
    for f in frames:
        c = curve[curve["frame"] == f]
        ax.plot(c["threshold"], c["f1"], marker=markers[f], markersize=3, linestyle=styles[f], color=frame_colors[f],
                label=f)
    ax.axvline(threshold, color="0.5", linestyle="dotted", linewidth=0.9)
    ax.set_xlabel("threshold (sentences with the frame)")
    ax.set_ylabel("F1 against article codes")
    unit_axis(ax, "y", baseline=False)
    ax.legend(fontsize="x-small", frameon=False)
    return fig
