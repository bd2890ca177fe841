"""The study figures (framing.plots.figures): each drawn from a small table made by hand."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib
import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from framing import plots


@pytest.fixture(autouse=True)
def _close() -> Iterator[None]:
    yield
    plt.close("all")


def _heights(ax: object) -> list[float]:
    return [round(float(p.get_height()), 6) for p in ax.patches]  # type: ignore[attr-defined]


def _widths(ax: object) -> list[float]:
    return [round(float(p.get_width()), 6) for p in ax.patches]  # type: ignore[attr-defined]


def _legend_texts(fig: object) -> list[str]:
    """The entries of the figure's legend (below the axes, a figure legend)."""
    return [t.get_text() for t in fig.legends[0].get_texts()]  # type: ignore[attr-defined]


def test_document_lengths_figure_draws_one_bar_per_document_coloured_by_genre() -> None:
    lengths = pd.DataFrame({"doc_id": ["d1", "d2"], "genre": ["blog", "news"], "n_tokens": [120, 40]})
    fig = plots.document_lengths_figure(lengths, pd.Series({"d1": "First", "d2": "Second"}), ["blog", "news"])
    ax = fig.axes[0]
    assert _widths(ax) == [120, 40]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["First", "Second"]
    assert matplotlib.colors.to_hex(ax.patches[0].get_facecolor()) == plots.GENRE_COLORS["blog"].lower()
    assert _legend_texts(fig) == ["blog", "news"]


def test_document_lengths_figure_becomes_a_histogram_above_the_threshold() -> None:
    # 5 documents, threshold 3: a stacked histogram per genre (hand-counted), not one bar per document
    lengths = pd.DataFrame({"doc_id": [f"d{i}" for i in range(5)], "genre": ["blog", "news", "blog", "news", "blog"],
                            "n_tokens": [0, 10, 10, 30, 30]})
    labels = pd.Series({f"d{i}": f"D{i}" for i in range(5)})
    fig = plots.document_lengths_figure(lengths, labels, ["blog", "news"], max_documents=3)
    ax = fig.axes[0]
    bins = plots.figures.HISTOGRAM_BINS
    assert len(ax.patches) == 2 * bins  # one bar per bin and genre, whatever the number of documents
    blog, news = _heights(ax)[:bins], _heights(ax)[bins:]
    # edges 0..30 in 30 bins of 1: 0 in bin 0, 10 in bin 10, 30 in the last (closed) bin; news stacks on blog
    assert (blog[0], blog[10], blog[-1], sum(blog)) == (1, 1, 1, 3)
    assert (news[10], news[-1], sum(news)) == (1, 1, 2)
    assert ax.get_yticklabels() == [] or all(t.get_text() not in labels.tolist() for t in ax.get_yticklabels())
    assert fig._suptitle.get_text() == "Document length by genre (5 documents)"
    assert _legend_texts(fig) == ["blog", "news"]
    fill = {matplotlib.colors.to_hex(p.get_facecolor()) for p in ax.patches}
    assert len(fill) == 2  # one colour per genre, distinct
    # at the threshold: still one bar per document
    small = plots.document_lengths_figure(lengths.head(3), labels, ["blog", "news"], max_documents=3)
    assert _widths(small.axes[0]) == [0, 10, 10]


def test_frame_shares_by_document_figure_keeps_the_longest_documents_above_the_threshold() -> None:
    docs = ["a", "b", "c", "d"]
    by_doc = pd.DataFrame({"doc_id": np.repeat(docs, 2), "genre": "news", "frame": ["individual", "systemic"] * 4,
                           "n_sentences": np.repeat([3, 9, 1, 9], 2), "share": 0.5, "lo": 0.4, "hi": 0.6})
    labels = pd.Series({d: d.upper() for d in docs})
    fig = plots.frame_shares_by_document_figure(by_doc, ["individual", "systemic"], labels, max_documents=3)
    ax = fig.axes[0]
    # the 3 with most sentences (b and d: 9, a: 3), in table order; c (1 sentence) left out
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A (news)", "B (news)", "D (news)"]
    assert len(ax.patches) == 3 * 2
    assert ax.get_title() == "Blame frames by document\n(the 3 with most sentences, of 4 documents)"
    whole = plots.frame_shares_by_document_figure(by_doc, ["individual", "systemic"], labels, max_documents=4)
    assert whole.axes[0].get_title() == "Blame frames by document" and len(whole.axes[0].patches) == 8


BY_GENRE = pd.DataFrame({
    "genre": ["a", "a", "b", "b"], "frame": ["individual", "systemic"] * 2, "share": [0.2, 0.6, 0.5, 0.1],
    "lo": [0.1, 0.4, 0.5, 0.1], "hi": [0.3, 0.7, 0.5, 0.1],
    "method": ["two-stage", "two-stage", "sentences (one document)", "sentences (one document)"],
})


def test_frame_shares_by_genre_figure_marks_a_one_document_genre_and_draws_no_interval_for_it() -> None:
    with plots.use_style():  # the study's tick size: the label fits its slot on two lines
        fig = plots.frame_shares_by_genre_figure(BY_GENRE, ["individual", "systemic"])
    ax = fig.axes[0]
    assert _heights(ax) == [0.2, 0.5, 0.6, 0.1]  # frame by frame, genres in order
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b\n(1 doc., no interval)"]
    bars = [c for c in ax.containers if isinstance(c, matplotlib.container.ErrorbarContainer)]
    assert [len(c.lines[2][0].get_segments()) for c in bars] == [1, 1]  # genre a only, once per frame


def test_frame_shares_by_document_figure_labels_documents_with_their_genre() -> None:
    by_doc = BY_GENRE.rename(columns={"genre": "doc_id"}).assign(genre=["blog", "blog", "news", "news"])
    fig = plots.frame_shares_by_document_figure(by_doc, ["individual", "systemic"], pd.Series({"a": "A", "b": "B"}))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A (blog)", "B (news)"]
    assert _widths(ax) == [0.2, 0.5, 0.6, 0.1]


def test_driving_terms_figure_has_a_panel_per_frame() -> None:
    drivers = pd.DataFrame({"category": ["individual", "individual", "systemic"], "entry": ["sack*", "blame", "fail"],
                            "n_hits": [5, 2, 7]})
    fig = plots.driving_terms_figure(drivers, ["individual", "systemic"])
    assert [ax.get_title() for ax in fig.axes] == ["individual", "systemic"]
    assert _widths(fig.axes[0]) == [5, 2] and _widths(fig.axes[1]) == [7]


def test_actor_frame_heatmap_writes_the_counts_in_their_cells() -> None:
    matrix = pd.DataFrame({"genre": ["a", "a", "b"], "actor": ["council", "police", "council"],
                           "frame": ["systemic", "individual", "none"], "n_sentences": [3, 1, 2]})
    fig = plots.actor_frame_heatmap(matrix, ["a", "b"], {"a": 2, "b": 1}, actors=["council", "police"],
                                    frames=["individual", "systemic", "none"])
    panels = fig.axes[:2]
    assert [ax.get_title() for ax in panels] == ["a (2 doc.)", "b (1 doc.)"]
    assert sorted(t.get_text() for t in panels[0].texts) == ["1", "3"]
    assert [t.get_text() for t in panels[1].texts] == ["2"]
    assert np.array_equal(panels[0].images[0].get_array(), [[0, 3, 0], [1, 0, 0]])


def test_avoidance_rates_figure_groups_bars_by_type_and_genre() -> None:
    rates = pd.DataFrame({"genre": ["a", "a", "b", "b"], "type": ["denial", "hedge"] * 2,
                          "per_100_sentences": [1.0, 2.0, 3.0, 0.0]})
    fig = plots.avoidance_rates_figure(rates, ["a", "b"], {"a": 1, "b": 4}, ["denial", "hedge"])
    ax = fig.axes[0]
    assert _heights(ax) == [1.0, 2.0, 3.0, 0.0]
    assert _legend_texts(fig) == ["a (n=1)", "b (n=4)"]


def test_keyness_figure_says_when_there_is_nothing_to_compare() -> None:
    top = pd.DataFrame({"target": ["a", "a", "b"], "term": ["x", "y", "z"], "z": [3.0, 2.0, 4.0]})
    fig = plots.keyness_figure(top, ["a", "b"], {"a": 1, "b": 2})
    assert [ax.get_title() for ax in fig.axes] == ["a\nvs rest (1 doc.)", "b\nvs rest (2 doc.)"]
    assert _widths(fig.axes[0]) == [2.0, 3.0]  # strongest term on top
    empty = plots.keyness_figure(top.iloc[:0], ["a"], {"a": 1})
    assert empty.axes[0].texts[0].get_text() == "keyness needs at least two genres"


def test_genre_frame_shares_figure_says_which_genres_have_no_interval() -> None:
    shares = pd.DataFrame({"genre": ["a"] * 3 + ["b"] * 3, "frame": ["individual", "systemic", "political"] * 2,
                           "share": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], "lo": [0.0, 0.1, 0.2] + [np.nan] * 3,
                           "hi": [0.2, 0.3, 0.4] + [np.nan] * 3})
    fig = plots.genre_frame_shares_figure(shares, ["a", "b"], {"a": 12, "b": 2})
    ax = fig.axes[0]
    assert _legend_texts(fig) == ["a (12 doc.)", "b (2 doc., no interval)"]
    assert _heights(ax) == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]


def test_f1_by_frame_figure_draws_f1_bars_and_the_baseline() -> None:
    rows = pd.DataFrame({"frame": ["individual", "systemic"], "f1": [0.5, 0.8], "f1_low": [0.4, 0.7],
                         "f1_high": [0.6, 0.9], "precision": [0.6, 0.9], "recall": [0.4, 0.7],
                         "f1_baseline": [0.3, 0.85]})
    fig = plots.f1_by_frame_figure(rows)
    ax = fig.axes[0]
    assert _heights(ax) == [0.5, 0.8]
    assert ax.get_title() == "Lexicon against the coded sentences"  # titled like the other figures
    assert plots.f1_by_frame_figure(rows, title="F1 on 5 documents").axes[0].get_title() == "F1 on 5 documents"
    legend = fig.legends[0]
    labels = [t.get_text() for t in legend.get_texts()]
    assert sorted(labels) == ["F1 (bar, in its frame's colour)", "always-present F1", "precision", "recall"]
    frame_rgba = {mcolors.to_rgba(c) for c in plots.FRAME_COLORS.values()}
    swatches = [h for h in legend.legend_handles if hasattr(h, "get_facecolor")]
    faces = {tuple(float(v) for v in row) for h in swatches for row in np.atleast_2d(h.get_facecolor())}
    assert faces and not faces & frame_rgba
    with plots.use_style():  # constrained layout, as in the notebooks
        styled = plots.f1_by_frame_figure(rows)
        _assert_legend_below(styled, styled.axes[0])


def _assert_legend_below(fig, ax) -> None:
    """The figure's legend sits under the axes (tick labels included), centred on the figure."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.legends[0].get_window_extent(renderer)
    assert not ax.get_legend()  # no legend inside or beside the axes
    assert box.y1 <= ax.get_tightbbox(renderer).y0 + 1
    assert abs((box.x0 + box.x1) / 2 - fig.bbox.width / 2) < 2


def test_frame_shares_by_document_legend_is_below_the_axes() -> None:
    by_doc = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "genre": ["news"] * 4,
                           "frame": ["individual", "systemic"] * 2, "share": [0.2, 0.5, 0.1, 0.3],
                           "lo": [0.1, 0.4, 0.0, 0.2], "hi": [0.3, 0.6, 0.2, 0.4]})
    with plots.use_style():  # constrained layout, as in the notebooks
        fig = plots.frame_shares_by_document_figure(by_doc, ["individual", "systemic"],
                                                    pd.Series({"a": "A", "b": "B"}))
        assert [t.get_text() for t in fig.legends[0].get_texts()] == ["individual", "systemic"]
        _assert_legend_below(fig, fig.axes[0])


def test_confusion_figure_shows_the_majority_tables() -> None:
    conf = pd.DataFrame({"frame": ["individual"] * 4, "reference": ["majority", "majority", "coder1", "coder1"],
                         "coded": [1, 0, 0, 1], "lexicon_0": [2, 10, 99, 99], "lexicon_1": [5, 1, 99, 99]})
    fig = plots.confusion_figure(conf, ["individual"])
    ax = fig.axes[0]
    assert np.array_equal(ax.images[0].get_array(), [[10, 1], [2, 5]])  # coded 0 first
    assert sorted(t.get_text() for t in ax.texts) == ["1", "10", "2", "5"]


def test_threshold_curve_figure_draws_a_line_per_frame_and_the_threshold() -> None:
    curve = pd.DataFrame({"frame": ["x", "x", "y", "y"], "threshold": [1, 2, 1, 2], "f1": [0.5, 0.4, 0.2, 0.3]})
    fig = plots.threshold_curve_figure(curve, ["x", "y"], 2)
    ax = fig.axes[0]
    assert [list(line.get_ydata()) for line in ax.lines[:2]] == [[0.5, 0.4], [0.2, 0.3]]
    assert list(ax.lines[2].get_xdata()) == [2, 2]


def test_topic_and_network_figures_live_in_plots() -> None:
    import framing.attribution
    import framing.topics

    assert plots.plot_stability.__module__ == "framing.plots.topics"
    assert plots.plot_blame_network.__module__ == "framing.plots.network"
    assert not hasattr(framing.topics, "plot_stability")  # instruments draw nothing
    assert not hasattr(framing.attribution, "plot_blame_network")


# ------------------------------------------------------------------------------- the grouping's name
def _reader_texts(fig: object) -> list[str]:
    """Titles, axis labels, legend titles and notes of a figure (what names the grouping)."""
    texts = [t.get_text() for t in fig.texts]  # type: ignore[attr-defined]
    if fig._suptitle is not None:  # type: ignore[attr-defined]
        texts.append(fig._suptitle.get_text())  # type: ignore[attr-defined]
    texts += [lg.get_title().get_text() for lg in fig.legends]  # type: ignore[attr-defined]
    for ax in fig.axes:  # type: ignore[attr-defined]
        texts += [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), *(t.get_text() for t in ax.texts)]
    return list(dict.fromkeys(t for t in texts if t))


def test_figures_name_the_grouping_as_the_user_named_it() -> None:
    lengths = pd.DataFrame({"doc_id": ["d1", "d2"], "genre": ["BBC", "Sun"], "n_tokens": [120, 40]})
    labels = pd.Series({"d1": "First", "d2": "Second"})
    rates = pd.DataFrame({"genre": ["a", "a", "b", "b"], "type": ["denial", "hedge"] * 2,
                          "per_100_sentences": [1.0, 2.0, 3.0, 0.0]})
    shares = pd.DataFrame({"genre": ["a"] * 3 + ["b"] * 3, "frame": ["individual", "systemic", "political"] * 2,
                           "share": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], "lo": np.nan, "hi": np.nan})
    top = pd.DataFrame({"target": ["a"], "term": ["x"], "z": [3.0]})
    bars = plots.document_lengths_figure(lengths, labels, ["BBC", "Sun"], group_label="outlet")
    assert _reader_texts(bars) == ["Document length by outlet", "outlet", "content tokens"]
    histogram = plots.document_lengths_figure(lengths, labels, ["BBC", "Sun"], max_documents=1, group_label="outlet")
    assert _reader_texts(histogram)[:2] == ["Document length by outlet (2 documents)", "outlet"]
    by_genre = plots.frame_shares_by_genre_figure(BY_GENRE, ["individual", "systemic"], group_label="outlet")
    assert by_genre.axes[0].get_title() == "Blame frames by outlet"
    avoid = plots.avoidance_rates_figure(rates, ["a", "b"], {"a": 1, "b": 4}, ["denial", "hedge"],
                                         group_label="period")
    assert avoid.legends[0].get_title().get_text() == "period (documents)"
    compared = plots.genre_frame_shares_figure(shares, ["a", "b"], {"a": 1, "b": 2}, group_label="outlet")
    assert compared.legends[0].get_title().get_text() == "outlet"
    empty = plots.keyness_figure(top.iloc[:0], ["a"], {"a": 1}, group_label="category")
    assert empty.axes[0].texts[0].get_text() == "keyness needs at least two categories"
    prevalence = plots.plot_prevalence(pd.DataFrame({"genre": ["a"], "topic": ["t"], "prevalence": [0.5],
                                                     "ci_low": [0.4], "ci_high": [0.6]}), "genre",
                                       group_label="outlet")
    assert prevalence.legends[0].get_title().get_text() == "outlet"
    every = [bars, histogram, by_genre, avoid, compared, empty, prevalence]
    assert not [t for fig in every for t in _reader_texts(fig) if "genre" in t]
    # without group_label the figures keep saying genre (the study's own figures do not change)
    assert plots.frame_shares_by_genre_figure(BY_GENRE, ["individual"]).axes[0].get_title() == "Blame frames by genre"
    assert plots.document_lengths_figure(lengths, labels, ["BBC", "Sun"]).legends[0].get_title().get_text() == "genre"
