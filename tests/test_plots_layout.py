"""Figures with many or long genre names: one genre palette, nothing clipped, markers at 0 and 1 whole.

Expected colours are restated from the rule in docs/reports.md ("Figure conventions"), not read back from
the code: seed genres keep minister = reddish purple, blog = orange, news = sky blue; the other genres, sorted,
take orange, sky blue, reddish purple, yellow, black (Okabe-Ito less the frame colours) where not taken;
past five genres, greys at lightness 0.3 ... 0.75, dark to light.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import Patch
from matplotlib.text import Text

from framing import plots
from framing.plots._layout import wrap_label
from framing.types import FRAMES

ORANGE, SKY, PURPLE, YELLOW, BLACK = "#E69F00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"
# MBFC-like genre names (Narrative Frames Corpus, genre_col=mbfc), deliberately not in sorted order
LONG = ["right_bias", "left_center_bias", "questionable_source", "left_bias", "least_biased",
        "right_center_bias", "conspiracy_pseudoscience", "satire"]
# sorted: conspiracy_pseudoscience, least_biased, left_bias, left_center_bias, questionable_source,
# right_bias, right_center_bias, satire; greys: 0.3*255 = 76.5 -> 76 = 0x4C, 0.525*255 = 133.9 -> 0x86,
# 0.75*255 = 191.25 -> 0xBF
EXPECTED_LONG = {
    "conspiracy_pseudoscience": ORANGE, "least_biased": SKY, "left_bias": PURPLE, "left_center_bias": YELLOW,
    "questionable_source": BLACK, "right_bias": "#4C4C4C", "right_center_bias": "#868686", "satire": "#BFBFBF",
}


@pytest.fixture(autouse=True)
def _style() -> Iterator[None]:
    with plots.use_style():
        yield
    plt.close("all")


# ------------------------------------------------------------------------------------------ palette
def test_genre_palette_follows_the_documented_rule() -> None:
    assert plots.genre_palette(LONG) == EXPECTED_LONG
    assert plots.genre_palette(["news", "tabloid", "blog"]) == {"blog": ORANGE, "news": SKY, "tabloid": PURPLE}
    assert plots.genre_palette(["minister", "blog", "news"]) == {"blog": ORANGE, "minister": PURPLE, "news": SKY}
    # without seed genres: sorted names take the sequence from its start
    assert plots.genre_palette(["news_x", "feature"]) == {"feature": ORANGE, "news_x": SKY}
    # six genres, one a seed genre: news keeps sky blue, five others take the four free colours, then one grey
    six = plots.genre_palette(["news", "a", "b", "c", "d", "e"])
    # one grey: the middle of the ramp, 0.525 * 255 = 133.9 -> 134 = 0x86
    assert six == {"a": ORANGE, "b": PURPLE, "c": YELLOW, "d": BLACK, "e": "#868686", "news": SKY}


def test_genre_palette_ignores_order_and_duplicates_and_never_uses_a_frame_colour() -> None:
    assert plots.genre_palette(LONG[::-1] + LONG[:3]) == plots.genre_palette(LONG)
    frame = {c.upper() for c in plots.FRAME_COLORS.values()}
    for n in range(1, 13):
        colours = list(plots.genre_palette([f"genre_{i:02d}" for i in range(n)]).values())
        assert len(set(colours)) == n  # distinct
        assert not frame & {c.upper() for c in colours}


# ------------------------------------------------------------------------------------------ figures
def _inputs(genres: list[str]) -> dict[str, Any]:
    rng = np.random.default_rng(7)
    n_docs = {g: 3 + i for i, g in enumerate(genres)}
    lengths = pd.DataFrame({"doc_id": [f"d{i}" for i in range(12)],
                            "genre": [genres[i % len(genres)] for i in range(12)],
                            "n_tokens": rng.integers(50, 900, 12)})
    labels = pd.Series({f"d{i}": f"A long document title number {i}…" for i in range(12)})
    shares = pd.DataFrame([{"genre": g, "frame": f, "share": 0.2, "lo": 0.1, "hi": 0.3, "method": "two-stage"}
                           for g in genres for f in FRAMES])
    top = pd.DataFrame([{"target": g, "term": f"opportunities{k}", "z": 9.0 - k} for g in genres for k in range(8)])
    types = ["denial", "nobody_to_blame", "scapegoating"]
    rates = pd.DataFrame([{"genre": g, "type": t, "per_100_sentences": 1.5} for g in genres for t in types])
    prev = pd.DataFrame([{"topic": f"topic {t} children services", "genre": g, "prevalence": 0.2, "ci_low": 0.1,
                          "ci_high": 0.3} for t in range(4) for g in genres])
    actors = ["council", "director", "government", "social_workers"]
    matrix = pd.DataFrame([{"genre": g, "actor": a, "frame": f, "n_sentences": 1 + (i + j) % 5}
                           for i, g in enumerate(genres) for j, a in enumerate(actors) for f in (*FRAMES, "none")])
    edges = pd.DataFrame([{"genre": g, "blamer": b, "target": a, "sentences": 1 + (i + j) % 4}
                          for i, g in enumerate(genres) for j, (b, a) in enumerate([("author", "council"),
                                                                                   ("minister", "director")])])
    return {"genres": genres, "n_docs": n_docs, "matrix": matrix, "actors": actors, "lengths": lengths,
            "labels": labels, "shares": shares,
            "top": top, "types": types, "rates": rates, "prev": prev, "edges": edges}


FIGURES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "document_lengths": lambda d: plots.document_lengths_figure(d["lengths"], d["labels"], d["genres"]),
    "document_lengths_hist": lambda d: plots.document_lengths_figure(d["lengths"], d["labels"], d["genres"],
                                                                     max_documents=5),
    "frame_shares_by_genre": lambda d: plots.frame_shares_by_genre_figure(d["shares"], list(FRAMES)),
    "genre_frame_shares": lambda d: plots.genre_frame_shares_figure(d["shares"], d["genres"], d["n_docs"]),
    "keyness": lambda d: plots.keyness_figure(d["top"], d["genres"], d["n_docs"]),
    "avoidance_rates": lambda d: plots.avoidance_rates_figure(d["rates"], d["genres"], d["n_docs"], d["types"]),
    "prevalence": lambda d: plots.plot_prevalence(d["prev"], "genre"),
    "actor_frame_heatmap": lambda d: plots.actor_frame_heatmap(d["matrix"], d["genres"], d["n_docs"],
                                                               actors=d["actors"]),
    "blame_network": lambda d: plots.blame_network_figure(d["edges"], {g: f"{g} ({d['n_docs'][g]} doc.)"
                                                                        for g in d["genres"]}, columns=2),
    # notebook 02's labels of genres below min_docs: "NAME\n(N doc.,\nno interval)"
    "frame_shares_by_genre_no_interval": lambda d: plots.frame_shares_by_genre_figure(
        d["shares"].assign(genre=d["shares"]["genre"].map(_no_interval(d))), list(FRAMES)),
}
GENRE_COLOURED = [k for k in FIGURES if k not in {"frame_shares_by_genre", "actor_frame_heatmap",
                                                  "frame_shares_by_genre_no_interval", "blame_network"}]
# the usability trial's outlets (Post Office Horizon corpus): long names with non-ASCII characters
BLOG = "Seán’s Sub-postmasters’ Justice Blog (Ó Súilleabháin)"
OUTLETS = ["The Guardian", "The Telegraph", "BBC News", BLOG]


def _no_interval(d: dict[str, Any]) -> dict[str, str]:
    from framing.nbtools import no_interval_labels

    table = d["shares"].assign(lo=np.nan, n_docs=d["shares"]["genre"].map(d["n_docs"]))
    return no_interval_labels(table, sep="\n")


def _hex(colour: Any) -> str:
    return mcolors.to_hex(colour).upper()


def _genre_colours(name: str, fig: Any, genres: list[str]) -> dict[str, set[str]]:
    """{genre: colours of its marks} read from the figure's artists (legend handles and the marks drawn)."""
    seen: dict[str, set[str]] = {g: set() for g in genres}
    if name == "keyness":  # one panel per genre, in the given order
        for ax, g in zip(fig.axes, genres, strict=False):
            seen[g] |= {_hex(p.get_facecolor()) for p in ax.patches}
        return seen
    legend = fig.legends[0]
    for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True):
        genre = max((g for g in genres if text.get_text().replace("\n", "").startswith(g)), key=len)
        colour = handle.get_facecolor() if isinstance(handle, Patch) else handle.get_color()
        seen[genre].add(_hex(np.asarray(mcolors.to_rgba_array(colour))[0]))
    ax = fig.axes[0]
    if name == "prevalence":  # one errorbar (marker line) per genre, in the order of the table
        for container, g in zip(ax.containers, genres, strict=True):
            seen[g].add(_hex(container.lines[0].get_color()))
    if name == "document_lengths":
        for patch, g in zip(ax.patches, fig._test_lengths["genre"], strict=True):
            seen[g].add(_hex(patch.get_facecolor()))
    if name in {"genre_frame_shares", "avoidance_rates"}:  # bars genre by genre, one per frame / type
        per = len(FRAMES) if name == "genre_frame_shares" else 3
        for i, patch in enumerate(ax.patches):
            seen[genres[i // per]].add(_hex(patch.get_facecolor()))
    return seen


@pytest.mark.parametrize("genres", [LONG, ["news", "feature"]], ids=["8 long", "2"])
def test_every_figure_gives_a_genre_the_palette_colour(genres: list[str]) -> None:
    data = _inputs(genres)
    expected = EXPECTED_LONG if genres is LONG else {"feature": ORANGE, "news": SKY}
    for name in GENRE_COLOURED:
        fig = FIGURES[name](data)
        fig._test_lengths = data["lengths"]
        seen = _genre_colours(name, fig, genres)
        assert seen == {g: {expected[g]} for g in genres}, name
        plt.close(fig)


@pytest.mark.parametrize("genres", [LONG, ["news", "feature"], OUTLETS], ids=["8 long", "2", "outlets"])
@pytest.mark.parametrize("name", list(FIGURES))
def test_figures_with_long_genre_names_keep_every_text_on_the_figure(name: str, genres: list[str]) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = FIGURES[name](_inputs(genres))
        fig.savefig(io.BytesIO(), format="png")  # applies constrained layout as save_figure does
        fig.canvas.draw()
    assert not [w for w in caught if "constrained_layout not applied" in str(w.message)]
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    texts = _drawn_texts(fig)
    assert len(texts) > len(genres)  # the genre names are among them
    for t in texts:
        box = t.get_window_extent(renderer)
        inside = box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1 and box.y0 >= page.y0 - 1 and box.y1 <= page.y1 + 1
        assert inside, (name, t.get_text(), box, page)
    for ax in fig.axes:  # category labels never overlap each other
        labels = [t for t in _in_view(ax.xaxis, ax.get_xlim()) if t.get_text().strip()]
        xs = sorted(t.get_position()[0] for t in labels)
        rotation = {round(t.get_rotation()) for t in labels}
        if len(rotation) == 1 and rotation != {0}:  # parallel one-line labels anchored at their ticks
            angle = np.radians(rotation.pop())
            gap = min(np.diff(ax.transData.transform([(x, 0) for x in xs])[:, 0]), default=np.inf)
            lines = max(t.get_text().count("\n") + 1 for t in labels)
            assert lines <= 2  # a name and its suffix at most
            # apart by more than their lines' height, measured across the slanted lines
            assert gap * np.sin(angle) >= lines * labels[0].get_fontsize() * fig.dpi / 72 * 1.1, (name, gap)
            continue
        assert rotation <= {0}, (name, rotation)
        boxes = [t.get_window_extent(renderer) for t in labels]
        for i, a in enumerate(boxes):
            assert not any(a.overlaps(b) for b in boxes[i + 1:]), (name, [t.get_text() for t in labels])
    titles = [t.get_window_extent(renderer) for ax in fig.axes for t in (ax.title, ax._left_title) if t.get_text()]
    for i, a in enumerate(titles):  # panel titles never run into each other
        assert not any(a.overlaps(b) for b in titles[i + 1:]), name
    if fig.legends:  # the legend sits below the axes, not over them
        legend = fig.legends[0].get_window_extent(renderer)
        assert all(legend.y1 <= ax.get_window_extent(renderer).y0 + 1 for ax in fig.axes if ax.get_visible())
    plt.close(fig)


def _in_view(axis: Any, limits: tuple[float, float]) -> list[Text]:
    """The tick labels of ``axis`` that are drawn (their tick within the view limits)."""
    lo, hi = sorted(limits)
    span = (hi - lo) * 1e-9
    ticks = axis.get_major_ticks()
    return [t.label1 for t in ticks if lo - span <= t.get_loc() <= hi + span and t.label1.get_visible()]


def _drawn_texts(fig: Any) -> list[Text]:
    """Every non-empty text the figure draws: titles, axis and tick labels in view, legends, notes."""
    texts: list[Text] = [*fig.texts]
    texts += [t for t in (fig._suptitle, fig._supxlabel, fig._supylabel) if t is not None]
    for legend in fig.legends:
        texts += [*legend.get_texts(), legend.get_title()]
    for ax in fig.axes:
        if not (ax.get_visible() and ax.axison):
            texts += ax.texts
            continue
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        texts += _in_view(ax.xaxis, ax.get_xlim()) + _in_view(ax.yaxis, ax.get_ylim())
        if ax.get_legend() is not None:
            texts += [*ax.get_legend().get_texts(), ax.get_legend().get_title()]
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def test_figures_stay_byte_identical_with_many_genres(tmp_path) -> None:
    data = _inputs(LONG)
    for run in ("a", "b"):
        for name in ("keyness", "genre_frame_shares", "frame_shares_by_genre"):
            plots.save_figure(FIGURES[name](data), name, tmp_path / run, formats=("png", "svg"))
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


# ------------------------------------------------------------------------------------- many groups
# usability trial 13: -p genre_col=source (about 60 outlets) overlapped the x labels into one block
SIXTY = [f"{name}-{i:02d}" for i in range(60) for name in [("www.outlet-with-a-long-name.example.com", "bbc",
                                                           "Seán’s Blog (Ó Súilleabháin)")[i % 3]]]


def _no_overlap(boxes: list[Any]) -> bool:
    return not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


@pytest.mark.parametrize("name", list(FIGURES))
def test_figures_with_sixty_groups_keep_their_labels_apart(name: str) -> None:
    """Every figure that draws one mark (or panel) per group stays readable with 60 groups: no two tick labels,
    legend entries or titles overlap, every text is on the figure, and a figure that left groups out says so."""
    data = _inputs(SIXTY)
    # sizes to rank the groups by: documents (n_docs: 3 + i) and, for notebook 02's table, sentences
    data["shares"] = data["shares"].assign(n_sentences=data["shares"]["genre"].map(data["n_docs"]) * 10)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = FIGURES[name](data)
        fig.savefig(io.BytesIO(), format="png")
        fig.canvas.draw()
    assert not [w for w in caught if "constrained_layout not applied" in str(w.message)]
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    for t in _drawn_texts(fig):
        box = t.get_window_extent(renderer)
        assert box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1 and box.y0 >= page.y0 - 1 and box.y1 <= page.y1 + 1, (
            name, t.get_text())
    for ax in fig.axes:
        for axis, limits in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            labels = [t for t in _in_view(axis, limits) if t.get_text().strip()]
            rotation = {round(t.get_rotation()) for t in labels} - {0}
            if rotation and len(labels) > 1:  # parallel slanted labels: apart by more than their lines' height
                k = int(axis is ax.yaxis)
                pos = sorted(ax.transData.transform([(t.get_position()[k],) * 2 for t in labels])[:, k])
                gap = min(np.diff(pos)) * np.sin(np.radians(rotation.pop()))
                lines = max(t.get_text().count("\n") + 1 for t in labels)
                assert gap >= lines * labels[0].get_fontsize() * fig.dpi / 72 * 1.1, (name, gap)
                continue
            assert _no_overlap([t.get_window_extent(renderer) for t in labels]), (name, [t.get_text() for t in labels])
    for legend in fig.legends:
        assert _no_overlap([t.get_window_extent(renderer) for t in legend.get_texts()]), name
    titles = [t.get_window_extent(renderer) for ax in fig.axes for t in (ax.title, ax._left_title) if t.get_text()]
    assert _no_overlap(titles), name
    said = " ".join(t.get_text() for t in _drawn_texts(fig))
    if name in {"frame_shares_by_genre", "frame_shares_by_genre_no_interval", "genre_frame_shares",
                "avoidance_rates"}:  # one row per group, the 30 largest (groups 30 to 59: most documents)
        ylabels = [t.get_text() for t in _in_view(fig.axes[0].yaxis, fig.axes[0].get_ylim())]
        assert len(ylabels) == plots.MAX_GROUP_ROWS == 30
        first = ylabels[0].replace("\n", "")  # group 30: the first of the 30 with most documents (3 + 30)
        assert first.startswith("www.outlet-with-a-long-") and ("-30" in first or "33" in first), first
        assert "the 30 genres with most" in said and "of 60" in said
    if name in {"keyness", "actor_frame_heatmap"}:  # the 12 panels of the groups with most documents
        assert "the 12 genres with most documents, of 60" in said
    if name == "blame_network":  # ten rows of three: the 30 panels of the groups with most blame sentences
        assert "the 30 genres with most blame sentences, of 60" in said
    plt.close(fig)


def test_group_rows_keep_the_first_groups_order_and_a_small_figure_is_unchanged() -> None:
    from framing.plots._groups import largest_groups

    groups = ["a", "b", "c", "d"]
    assert largest_groups(groups, {"a": 1, "b": 5, "c": 5, "d": 2}, 2, what="outlets") == (
        ["b", "c"], "the 2 outlets with most documents, of 4")
    assert largest_groups(groups, None, 3, what="outlets") == (["a", "b", "c"], "the first 3 outlets, of 4")
    assert largest_groups(groups, None, 4, what="outlets") == (groups, "")
    # at or below MAX_GROUP_MARKS the figure keeps its columns (groups along x), as the study draws it
    data = _inputs(LONG)
    fig = FIGURES["frame_shares_by_genre"](data)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()][:2] == ["0.0", "0.2"]
    plt.close(fig)


# ------------------------------------------------------------------------------------- labels, axes
def test_wrap_label_breaks_after_underscores_and_cuts_with_an_ellipsis() -> None:
    assert wrap_label("left_center_bias", 8) == "left_\ncenter_\nbias"
    assert wrap_label("questionable_source", 30) == "questionable_source"
    assert wrap_label("conspiracy_pseudoscience", 8, max_lines=2) == "conspir…\npseudos…"
    assert wrap_label("one two three four", 7, max_lines=2) == "one two\nthree…"


def test_wrap_label_keeps_the_spaces_around_a_separator_that_stands_alone() -> None:
    # a free topic's label: the "/" between spaces stays with the word before it and keeps both spaces
    assert wrap_label("free: risk / young / children", 40) == "free: risk / young / children"
    assert wrap_label("free: risk / young / children", 13) == "free: risk /\nyoung /\nchildren"
    assert wrap_label("a/b", 2) == "a/\nb"  # a separator inside a word still breaks after it


def test_keyness_panel_titles_are_wrapped_to_the_panel() -> None:
    data = _inputs(LONG)
    fig = plots.keyness_figure(data["top"], LONG, data["n_docs"])
    assert len([ax for ax in fig.axes if ax.get_visible() and ax.axison]) == 8
    # four panels to a row (1.8 in each, less the term labels, ~0.8 in): names wrap after "_", words stay whole
    # the count "(3 doc.)" is one piece (a suffix is never broken or cut)
    assert fig.axes[0].get_title(loc="left").split("\n") == ["right_bias", "vs rest", "(3 doc.)"]
    first, second = fig.axes[6].get_title(loc="left").split("\n")[:2]
    assert first == "conspiracy_" and second.startswith("pseudosci")  # a word wider than the line: cut with …
    assert second == "pseudoscience" or second.endswith("…")
    assert fig.get_figwidth() == plots.figure_size(columns=2)[0]


def _marker_boxes(ax: Any, collection: Any) -> list[tuple[float, float]]:
    """(bottom, top) in display pixels of each marker of a scatter collection."""
    ys = ax.transData.transform(collection.get_offsets())[:, 1]
    radius = np.sqrt(collection.get_sizes()[0]) / 2 * ax.figure.dpi / 72  # s is the marker area in points^2
    return [(y - radius, y + radius) for y in ys]


def test_f1_figure_draws_markers_at_0_and_1_whole_inside_the_axes() -> None:
    rows = pd.DataFrame({"frame": list(FRAMES), "f1": [1.0, 0.5, 0.0], "f1_low": [0.9, 0.4, 0.0],
                         "f1_high": [1.0, 0.6, 0.0], "precision": [1.0, 0.5, 0.0], "recall": [1.0, 0.4, 0.0],
                         "f1_baseline": [0.3, 0.4, 0.2]})
    fig = plots.f1_by_frame_figure(rows)
    fig.canvas.draw()
    ax = fig.axes[0]
    box = ax.get_window_extent(fig.canvas.get_renderer())
    scatters = [c for c in ax.collections if len(c.get_offsets()) == 3]
    assert len(scatters) == 2  # precision and recall
    for collection in scatters:
        for bottom, top in _marker_boxes(ax, collection):
            assert box.y0 <= bottom and top <= box.y1
    lo, hi = ax.get_ylim()
    assert lo < 0 and hi > 1
    assert [round(t, 1) for t in ax.get_yticks()] == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]


def test_fit_label_agrees_with_trying_every_width() -> None:
    # the search starts below a bound no wider label can fit under; the result is the plain search's
    from framing.plots._layout import fit_label, text_width_in, wrap_label

    def plain(text: str, width_in: float, size: str, weight: str) -> str:
        for n in range(max(len(text), 2), 1, -1):
            wrapped = wrap_label(text, n, max_lines=2)
            if text_width_in(wrapped, size, weight) <= width_in:
                return wrapped
        return wrap_label(text, 2, max_lines=2)

    for text in ("news", "questionable_source vs rest (12 doc.)", "left_center_bias", "word " * 30,
                 "minister vs rest (1 doc.)", "x" * 60):
        for width in (0.4, 1.2, 3.0):
            assert fit_label(text, width, "medium", weight="bold") == plain(text, width, "medium", "bold")


# ------------------------------------------------------------------ long names: the name is cut, not its suffix
def test_wrap_label_cuts_the_name_and_keeps_a_count_or_interval_suffix() -> None:
    # 32 characters, the suffix 21: the name keeps 32 - 21 - 2 = 9 characters, then "…", a space, the suffix
    assert wrap_label("The Guardian (4 doc., no interval)", 32, max_lines=1) == "The Guard… (4 doc., no interval)"
    # lines of 22: "Seán’s Sub-" / "postmasters’ Justice" / "Blog (Ó Súilleabháin)"; the suffix takes the third
    assert wrap_label(f"{BLOG} (4 doc.)", 22, max_lines=3) == "Seán’s Sub-\npostmasters’ Justice…\n(4 doc.)"
    # a parenthesised part without a number is part of the name: cut like any other text
    assert wrap_label(BLOG, 32, max_lines=1) == "Seán’s Sub-postmasters’ Justice…"
    assert wrap_label("1 judgment (2019) (4 doc.)", 40) == "1 judgment (2019) (4 doc.)"  # fits: unchanged


@pytest.mark.parametrize(("genres", "lines"), [(OUTLETS, 2), (OUTLETS * 2, 1)], ids=["4 outlets", "8"])
def test_rotated_tick_labels_keep_the_document_count_and_no_interval(genres: list[str], lines: int) -> None:
    # 4 slots of (3.5 - 0.6) / 4 = 0.725 in: 0.36 in across the 30-degree slant holds two lines of 7 pt
    # (2 x 1.25 x 7 / 72 = 0.24 in), so the suffix gets a line of its own; 8 slots (0.18 in) hold one line
    names = [f"{g} {i}" if genres is not OUTLETS else g for i, g in enumerate(genres)]
    shares = pd.DataFrame([{"genre": f"{g}\n(4 doc.,\nno interval)", "frame": f, "share": 0.2, "lo": 0.2,
                            "hi": 0.2, "method": "descriptive"} for g in names for f in FRAMES])
    fig = plots.frame_shares_by_genre_figure(shares, list(FRAMES))
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert len(ticks) == len(names) and all(t.endswith("(4 doc., no interval)") for t in ticks), ticks
    assert {t.count("\n") + 1 for t in ticks} == {lines}
    if lines == 2:
        assert ticks[0] == "The Guardian\n(4 doc., no interval)"
    assert all(len(t.split("\n")[0]) <= 32 for t in ticks)


def test_heatmap_titles_and_document_labels_keep_counts_and_cut_long_genres() -> None:
    data = _inputs(OUTLETS)
    fig = plots.actor_frame_heatmap(data["matrix"], OUTLETS, {g: 4 for g in OUTLETS}, actors=data["actors"])
    titles = [ax.get_title(loc="left") for ax in fig.axes[: len(OUTLETS)]]
    assert all(t.endswith("(4 doc.)") for t in titles), titles  # the blog's count was cut ("Blog (Ó…")
    by_doc = pd.DataFrame([{"doc_id": f"d{i}", "genre": g, "frame": f, "share": 0.2, "lo": 0.1, "hi": 0.3}
                           for i, g in enumerate(OUTLETS) for f in FRAMES])
    labels = pd.Series({f"d{i}": "They called us thieves" for i in range(len(OUTLETS))})
    fig = plots.frame_shares_by_document_figure(by_doc, list(FRAMES), labels)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    # the outlet after the title, cut to 20 characters: its first 19 and "…"
    assert ticks[0] == "They called us thieves (The Guardian)"
    assert ticks[3] == "They called us thieves (Seán’s Sub-postmast…)"


# -------------------------------------------------------------------------------------- share axes 0-1
def test_every_share_axis_runs_from_0_to_1_and_holds_a_whisker_near_1() -> None:
    genres = ["news", "blog"]
    shares = pd.DataFrame([{"genre": g, "frame": f, "share": 0.7, "lo": 0.4, "hi": 0.98, "method": "two-stage"}
                           for g in genres for f in FRAMES])
    prev = pd.DataFrame([{"topic": f"t{t}", "genre": g, "prevalence": 0.3, "ci_low": 0.1, "ci_high": 0.45}
                         for t in range(3) for g in genres])
    figures = {
        "genre_frame_shares": plots.genre_frame_shares_figure(shares, genres, {g: 12 for g in genres}),
        "frame_shares_by_genre": plots.frame_shares_by_genre_figure(shares, list(FRAMES)),
        "prevalence": plots.plot_prevalence(prev, "genre"),
    }
    for name, fig in figures.items():
        ax = fig.axes[0]
        assert ax.get_ylim() == pytest.approx((-0.05, 1.05)), name  # 0 to 1 and 0.05 of room
        assert [round(t, 1) for t in ax.get_yticks()] == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], name
    fig = figures["genre_frame_shares"]
    fig.canvas.draw()
    ax = fig.axes[0]
    top = ax.get_window_extent(fig.canvas.get_renderer()).y1
    caps = [line for c in ax.containers if hasattr(c, "lines") and c.lines[1] for line in c.lines[1]]
    assert caps and all(ax.transData.transform(np.c_[line.get_xdata(), line.get_ydata()])[:, 1].max() < top
                        for line in caps)  # the whisker's cap at 0.98 lies inside the axes


# ------------------------------------------------------------------------------ frames printed in grey
def _luminance(colour: str) -> float:
    """WCAG relative luminance of an sRGB colour (linearised channels weighted 0.2126, 0.7152, 0.0722)."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in mcolors.to_rgb(colour)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_frames_too_close_in_grey_differ_by_hatch_marker_and_line_style() -> None:
    from framing.plots._palette import FRAME_HATCHES, FRAME_LINESTYLES, FRAME_MARKERS, HATCH_COLOR

    # vermillion (individual) and bluish green (political) print as nearly the same grey: colour alone fails
    assert _contrast(plots.FRAME_COLORS["individual"], plots.FRAME_COLORS["political"]) < 1.2
    for i, a in enumerate(FRAMES):
        for b in FRAMES[i + 1:]:
            if _contrast(plots.FRAME_COLORS[a], plots.FRAME_COLORS[b]) < 3:  # not apart by lightness alone
                assert FRAME_HATCHES[a] != FRAME_HATCHES[b] and FRAME_MARKERS[a] != FRAME_MARKERS[b]
                assert FRAME_LINESTYLES[a] != FRAME_LINESTYLES[b]
        assert _contrast(HATCH_COLOR, plots.FRAME_COLORS[a]) >= 3  # the hatch shows on every frame colour


def _hatch_by_frame(fig: Any) -> dict[str, set[str]]:
    """{frame colour: hatches of the bars in it} and the legend's hatch per frame label."""
    seen: dict[str, set[str]] = {}
    for patch in fig.axes[0].patches:
        seen.setdefault(_hex(patch.get_facecolor()), set()).add(patch.get_hatch() or "")
    legend = fig.legends[0]
    for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True):
        seen.setdefault(text.get_text(), set()).add(handle.get_hatch() or "")
    return seen


def test_frame_series_carry_one_distinct_hatch_or_marker_per_frame() -> None:
    shares = pd.DataFrame([{"genre": g, "frame": f, "share": 0.3, "lo": 0.1, "hi": 0.5, "method": "two-stage",
                            "doc_id": f"d{g}"} for g in ("news", "blog") for f in FRAMES])
    labels = pd.Series({"dnews": "a news report", "dblog": "a blog post"})
    for fig in (plots.frame_shares_by_genre_figure(shares, list(FRAMES)),
                plots.frame_shares_by_document_figure(shares, list(FRAMES), labels)):
        seen = _hatch_by_frame(fig)
        per_frame = [seen[_hex(plots.FRAME_COLORS[f])] for f in FRAMES]
        assert all(len(h) == 1 for h in per_frame)  # one hatch per frame, on every bar of it
        assert len(set().union(*per_frame)) == len(FRAMES)  # and a different one for each frame
        assert [seen[f] for f in FRAMES] == per_frame  # the legend shows it, in white (not in the face's colour)
        assert {_hex(h.get_hatchcolor()) for h in fig.legends[0].legend_handles} == {"#FFFFFF"}
        plt.close(fig)
    curve = pd.DataFrame([{"frame": f, "threshold": t, "f1": 0.5} for f in ("a", "b", "c", "d") for t in (1, 2)])
    fig = plots.threshold_curve_figure(curve, ["a", "b", "c", "d"], 1)
    styles = {(line.get_marker(), line.get_linestyle()) for line in fig.axes[0].get_lines()[:4]}
    assert len({m for m, _ in styles}) == 4 and len({s for _, s in styles}) == 4


def test_genres_whose_colours_print_as_one_grey_differ_by_hatch_and_marker() -> None:
    from framing.plots._palette import FRAME_HATCHES, GENRE_HATCH_COLOR, genre_hatches, genre_markers

    colours = {c: c for c in plots.GENRE_SEQUENCE}  # a palette whose genres are named after their colours
    hatches, markers = genre_hatches(colours), genre_markers(colours)
    assert _contrast(ORANGE, SKY) < 1.1  # the trial's orange and sky blue groups: one grey in print
    for i, a in enumerate(plots.GENRE_SEQUENCE):
        for b in plots.GENRE_SEQUENCE[i + 1:]:
            if _contrast(a, b) < 1.5:
                assert hatches[a] != hatches[b] and markers[a] != markers[b], (a, b)
        if hatches[a]:
            assert hatches[a] not in FRAME_HATCHES.values()  # a hatch never reads as a frame's
            assert _contrast(GENRE_HATCH_COLOR, a) >= 3
    # the figures draw them: bars and legend of genre_comparison_frame_shares, markers of topic prevalence
    genres = ["blog", "minister", "news"]  # orange, reddish purple, sky blue
    shares = pd.DataFrame([{"genre": g, "frame": f, "share": 0.3, "lo": 0.1, "hi": 0.5} for g in genres
                           for f in FRAMES])
    fig = plots.genre_frame_shares_figure(shares, genres, {g: 12 for g in genres})
    drawn = [p.get_hatch() or "" for p in fig.axes[0].patches]
    assert [set(drawn[k * 3:(k + 1) * 3]) for k in range(3)] == [{""}, {"\\\\"}, {"xx"}]
    legend = fig.legends[0].legend_handles
    assert [h.get_hatch() or "" for h in legend] == ["", "\\\\", "xx"]
    assert [_hex(h.get_hatchcolor()) for h in legend[1:]] == ["#000000"] * 2  # drawn in black, not in the face's
    prev = pd.DataFrame([{"topic": "t", "genre": g, "prevalence": 0.3, "ci_low": 0.1, "ci_high": 0.4}
                         for g in genres])
    fig = plots.plot_prevalence(prev, "genre")
    assert [c.lines[0].get_marker() for c in fig.axes[0].containers] == ["o", "D", "s"]
