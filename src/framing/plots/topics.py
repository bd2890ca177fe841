"""Topic figures (matplotlib): choice of k, stability, prevalence, topic-frame and topic-topic heatmaps.

Moved here from ``framing.topics`` (the plotting subpackage owns every figure); ``framing.plots`` re-exports
the same names (``plots.plot_coherence_by_k`` ...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.plots import figure_size
from framing.plots._layout import category_ticks, legend_below, unit_axis
from framing.plots._palette import genre_markers
from framing.plots.figures import genre_colors

if TYPE_CHECKING:  # an annotation only: importing framing.topics loads scikit-learn (a second or more)
    from framing.topics._stability import StabilityResult

__all__ = [
    "plot_coherence_by_k",
    "plot_prevalence",
    "plot_stability",
    "plot_topic_frames",
    "plot_topic_similarity",
]


def _plt() -> Any:
    import matplotlib.pyplot as plt

    return plt


def plot_coherence_by_k(table: pd.DataFrame, best_k: int | None = None) -> Any:
    """Figure: mean NPMI and UMass by k (and held-out perplexity when present); the chosen k marked."""
    plt = _plt()
    has_perp = "perplexity" in table and table["perplexity"].notna().any()
    has_stab = "mean_stability" in table and table["mean_stability"].notna().any()
    panels = [("npmi", "NPMI"), ("umass", "UMass")]
    if has_stab:
        panels.append(("mean_stability", "stability"))
    if has_perp:
        panels.append(("perplexity", "held-out perplexity"))
    fig, axes = plt.subplots(1, len(panels), figsize=(7.2, 2.4), squeeze=False, layout="constrained")
    for ax, (col, label) in zip(axes[0], panels, strict=True):
        ax.plot(table["k"], table[col], marker="o", color="#0072B2")
        if best_k is not None:
            ax.axvline(best_k, color="#D55E00", linestyle="--", linewidth=1)
        ax.set_xlabel("k (topics)")
        ax.set_ylabel(label)
        ax.set_xticks(list(table["k"]))
    return fig


def plot_stability(result: StabilityResult, labels: Sequence[str] | None = None) -> Any:
    """Figure: each topic's matched cosine in every refit (points) and its mean (bar), threshold line."""
    plt = _plt()
    t = result.topics
    names = list(labels) if labels is not None else [f"topic_{i}" for i in t["topic"]]
    fig, ax = plt.subplots(figsize=(7.2, 2.6), layout="constrained")
    colors = np.where(t["unstable"], "#D55E00", "#0072B2")
    ax.bar(np.arange(len(t)), t["stability"], color=colors, alpha=0.6)
    r = result.runs
    ax.scatter(r["topic"], r["similarity"], color="black", s=8, zorder=3)
    ax.axhline(result.threshold, color="#D55E00", linestyle="--", linewidth=1)
    ax.set_xticks(np.arange(len(t)), names, rotation=30, ha="right")
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("matched cosine across refits")
    return fig


def plot_prevalence(prev: pd.DataFrame, group_col: str = "genre", colors: Mapping[str, str] | None = None, *,
                    group_label: str | None = None) -> Any:
    """Figure: topic prevalence per group with bootstrap intervals (one marker per group, dodged).

    Group colours: ``colors`` where given, else the genre palette of the groups
    (:func:`framing.plots.figures.genre_colors`, the same for every figure of a report); legend below, titled
    ``group_label`` (the grouping's name a reader sees, :func:`framing.types.group_label`), else ``group_col``.
    """
    plt = _plt()
    topics = list(dict.fromkeys(prev["topic"]))
    groups = list(dict.fromkeys(prev[group_col]))
    palette = genre_colors([str(g) for g in groups], colors)
    markers = genre_markers(palette)  # apart in grey, too
    fig, ax = plt.subplots(figsize=(7.2, 2.8), layout="constrained")
    width = 0.8 / max(len(groups), 1)
    for j, g in enumerate(groups):
        d = prev[prev[group_col] == g].set_index("topic").reindex(topics)
        x = np.arange(len(topics)) - 0.4 + width * (j + 0.5)
        err = np.vstack([d["prevalence"] - d["ci_low"], d["ci_high"] - d["prevalence"]])
        if np.isnan(err).all():  # no interval for this group (fewer than min_docs documents): a plain marker
            ax.plot(x, d["prevalence"], markers[str(g)], label=str(g), color=palette[str(g)])
        else:
            ax.errorbar(x, d["prevalence"], yerr=np.clip(err, 0, None), fmt=markers[str(g)], capsize=2, label=str(g),
                        color=palette[str(g)])
    unit_axis(ax, "y", baseline=False)  # a prevalence is a share of tokens: 0 to 1 like every share axis
    category_ticks(ax, np.arange(len(topics)), [str(t) for t in topics], slot_in=6.6 / max(1, len(topics)))
    ax.set_ylabel("prevalence (token-weighted)")
    handles, names = ax.get_legend_handles_labels()
    legend_below(fig, handles, names, title=group_label or group_col)
    return fig


def heatmap_columns(matrix: pd.DataFrame) -> int:
    """Return the journal width (1: one column, 3.5 in; 2: the page, 7.2 in) a topic heatmap of ``matrix`` needs.

    Its cells (0.55 in a column), the colour bar and the row labels (about 0.06 in a character at the small font)
    must fit; a heatmap never takes a width between the two (docs/reports.md).
    """
    label_chars = max((len(str(i)) for i in matrix.index), default=0)
    needed = 0.55 * matrix.shape[1] + 1.1 + 0.06 * label_chars
    return 1 if needed <= figure_size(columns=1)[0] else 2


def _heatmap(matrix: pd.DataFrame, label: str, fmt: str = "{:.2f}", cmap: str = "Blues") -> Any:
    plt = _plt()
    fig, ax = plt.subplots(
        figsize=figure_size(columns=heatmap_columns(matrix), height=0.45 * matrix.shape[0] + 1.2),
        layout="constrained",
    )
    values = matrix.to_numpy(dtype=float)
    im = ax.imshow(values, cmap=cmap, aspect="auto")
    ax.grid(False)  # no grid lines across heatmap cells
    ax.grid(False)
    middle = np.nanmin(values) + 0.5 * (np.nanmax(values) - np.nanmin(values)) if np.isfinite(values).any() else 0.0
    ax.set_xticks(np.arange(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=30, ha="right")
    ax.set_yticks(np.arange(matrix.shape[0]), [str(i) for i in matrix.index])
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            color = "white" if v > middle else "black"
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize="x-small", color=color)
    fig.colorbar(im, ax=ax, label=label)
    return fig


def plot_topic_frames(assoc: pd.DataFrame, value: str = "weighted_share") -> Any:
    """Figure: heatmap of topic x frame association (``value`` column of :func:`topic_frame_association`)."""
    m = assoc.pivot(index="topic", columns="frame", values=value)
    m = m.reindex(index=list(dict.fromkeys(assoc["topic"])), columns=list(dict.fromkeys(assoc["frame"])))
    return _heatmap(m, value.replace("_", " "))


def plot_topic_similarity(sim: pd.DataFrame) -> Any:
    """Figure: heatmap of :func:`topic_similarity` (e.g. seeded vs free topics)."""
    return _heatmap(sim, "cosine similarity")
