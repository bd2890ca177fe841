"""Tests for framing.plots: style, palettes, sizes, deterministic figures and LaTeX tables."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from framing import plots
from framing.errors import ParameterError
from framing.plots import latex
from framing.types import FRAMES, GENRES


def _figure() -> plt.Figure:
    fig, ax = plt.subplots(figsize=plots.figure_size(1))
    ax.bar(list(FRAMES), [0.5, 0.3, 0.2], color=[plots.FRAME_COLORS[f] for f in FRAMES])
    ax.set_title("Frame shares")
    ax.set_ylabel("share of sentences")
    return fig


# ------------------------------------------------------------------------------------------- style
def test_use_style_as_context_manager_restores_rcparams() -> None:
    before = mpl.rcParams["font.size"], mpl.rcParams["axes.spines.top"]
    with plots.use_style():
        assert mpl.rcParams["font.size"] == 8
        assert mpl.rcParams["axes.spines.top"] is False
        assert mpl.rcParams["pdf.fonttype"] == 42
        assert mpl.rcParams["font.sans-serif"][0] == "DejaVu Sans"
    assert (mpl.rcParams["font.size"], mpl.rcParams["axes.spines.top"]) == before


def test_use_style_plain_call_stays_applied() -> None:
    with mpl.rc_context():
        plots.use_style({"font.size": 11})
        assert mpl.rcParams["font.size"] == 11
        assert mpl.rcParams["svg.hashsalt"] == "framing"
        cycle = [c.upper() for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]]
        assert cycle[:3] == ["#E69F00", "#56B4E9", "#009E73"]


def test_use_style_works_without_importing_pyplot_first() -> None:
    code = "from framing import plots; plots.use_style(); import matplotlib; print(matplotlib.rcParams['font.size'])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "8.0"


# ---------------------------------------------------------------------------------------- palettes
def test_frame_and_genre_palettes_cover_study_and_are_distinct() -> None:
    assert set(plots.FRAME_COLORS) == set(FRAMES)
    assert set(plots.GENRE_COLORS) == set(GENRES)
    assert len(set(plots.FRAME_COLORS.values())) == 3
    assert len(set(plots.GENRE_COLORS.values())) == 3
    assert plots.FRAME_COLORS["individual"] == "#D55E00"  # Okabe-Ito vermillion


def test_genre_color_known_unknown_and_case() -> None:
    assert plots.genre_color("blog") == "#E69F00"
    assert plots.genre_color(" News ") == "#56B4E9"
    assert plots.genre_color("parliament") == "#E69F00"  # alone: the first genre colour, orange
    # among the report's genres: its colour in their palette (sorted: blog, news, parliament -> 3rd free colour)
    assert plots.genre_color("parliament", ["news", "blog"]) == "#CC79A7"


def test_genre_palette_gives_distinct_colours_by_sorted_name() -> None:
    pal = plots.genre_palette(["tabloid", "blog", "broadsheet", "tabloid", "radio"])
    assert list(pal) == ["blog", "broadsheet", "radio", "tabloid"]
    # blog keeps orange; the others, sorted, take sky blue, reddish purple, yellow (Okabe-Ito less frames, less orange)
    assert pal == {"blog": "#E69F00", "broadsheet": "#56B4E9", "radio": "#CC79A7", "tabloid": "#F0E442"}


def test_figure_size() -> None:
    assert plots.figure_size(1, aspect=0.5) == (3.5, 1.75)
    assert plots.figure_size(2, aspect=1.0) == (7.2, 7.2)
    assert plots.figure_size(2, height=3) == (7.2, 3.0)
    with pytest.raises(ParameterError, match="columns"):
        plots.figure_size(3)
    with pytest.raises(ParameterError, match="aspect"):
        plots.figure_size(1, aspect=-1)


# ----------------------------------------------------------------------------------------- figures
def test_save_figure_writes_all_formats_and_is_byte_identical(tmp_path) -> None:
    data = pd.DataFrame({"frame": list(FRAMES), "share": [0.5, 0.3, 0.2]})
    with plots.use_style():
        fig1 = _figure()
        paths1 = plots.save_figure(fig1, "shares", tmp_path / "a", data=data)
        fig2 = _figure()
        paths2 = plots.save_figure(fig2, "shares", tmp_path / "b", data=data)
    assert [p.name for p in paths1] == ["shares.pdf", "shares.svg", "shares.png", "shares.csv"]
    for p1, p2 in zip(paths1, paths2, strict=True):
        assert p1.read_bytes() == p2.read_bytes(), p1.name
    pdf = paths1[0].read_bytes()
    assert pdf.startswith(b"%PDF")
    assert b"CreationDate" not in pdf
    assert b"/FontFile2" in pdf  # TrueType embedded (fonttype 42), not Type 3
    svg = paths1[1].read_text()
    assert "<dc:date>" not in svg
    png = paths1[2].read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"Software" not in png and b"matplotlib" not in png.lower()
    assert paths1[3].read_text() == "frame,share\nindividual,0.5\nsystemic,0.3\npolitical,0.2\n"
    # closed, and no temporary files left behind
    assert not plt.fignum_exists(fig1.number)
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == sorted(p.name for p in paths1)


def test_save_figure_png_is_300_dpi(tmp_path) -> None:
    fig, _ = plt.subplots(figsize=(2.0, 1.0))
    (png,) = plots.save_figure(fig, "tiny", tmp_path, formats=["png"])
    raw = png.read_bytes()
    width = int.from_bytes(raw[16:20], "big")
    height = int.from_bytes(raw[20:24], "big")
    assert (width, height) == (600, 300)


def test_save_figure_rejects_bad_names_and_data(tmp_path) -> None:
    fig, _ = plt.subplots()
    with pytest.raises(ParameterError, match="plain file stem"):
        plots.save_figure(fig, "../escape", tmp_path, close=False)
    with pytest.raises(ParameterError, match="DataFrame"):
        plots.save_figure(fig, "ok", tmp_path, data=[1, 2, 3], close=False)
    with pytest.raises(ParameterError, match="formats"):
        plots.save_figure(fig, "ok", tmp_path, formats=["jpg"])
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------------ tables
def test_latex_escape() -> None:
    assert plots.latex_escape("50% of A&B_c $5 #1 {x} ~y^ \\") == (
        r"50\% of A\&B\_c \$5 \#1 \{x\} \textasciitilde{}y\textasciicircum{} \textbackslash{}"
    )


def test_save_table_writes_csv_and_booktabs_latex(tmp_path) -> None:
    df = pd.DataFrame(
        {
            "genre": ["blog", "news_&_co"],
            "share_%": [0.12345, float("nan")],
            "n": [3, 10],
        }
    )
    paths = plots.save_table(df, "shares", tmp_path, caption="Shares by genre (50%)")
    assert [p.name for p in paths] == ["shares.csv", "shares.tex"]
    assert paths[0].read_text() == "genre,share_%,n\nblog,0.12345,3\nnews_&_co,,10\n"
    expected = "\n".join(
        [
            r"\begin{table*}[htbp]",
            r"\centering",
            r"\caption{Shares by genre (50\%)}",
            r"\label{tab:shares}",
            r"\begin{tabular}{lrr}",
            r"\toprule",
            r"genre & share\_\% & n \\",
            r"\midrule",
            r"blog & 0.123 & 3 \\",
            r"news\_\&\_co & -- & 10 \\",
            r"\bottomrule",
            r"\end{tabular}",
            r"\end{table*}",
            "",
        ]
    )
    assert paths[1].read_text() == expected


def test_save_table_without_caption_and_custom_float_format(tmp_path) -> None:
    df = pd.DataFrame({"x": [0.5, 0.25]}, index=pd.Index(["a", "b"], name="k"))
    _, tex = plots.save_table(df, "t", tmp_path, float_format="{:.1%}", index=True)
    text = tex.read_text()
    assert text.startswith(r"\begin{tabular}{lr}")
    assert r"a & 50.0\% \\" in text
    assert r"b & 25.0\% \\" in text
    assert r"\caption" not in text


def test_document_labels_prefer_label_then_title_then_first_sentence() -> None:
    docs = pd.DataFrame({
        "doc_id": ["000_3847d360", "001_e8e80828", "002_216b1723", "003_6d9a0735"],
        "label": ["Balls statement", "", None, ""],
        "title": ["ignored", "Devastating report reveals Baby P failings.", "", "Devastating report reveals it"],
    })
    sentences = pd.DataFrame({"doc_id": ["002_216b1723", "002_216b1723"], "text": ["In 16 pages, the errors", "x"]})
    labels = plots.document_labels(docs, n_words=3, sentences=sentences)
    assert labels.to_dict() == {
        "000_3847d360": "Balls statement",
        "001_e8e80828": "Devastating report reveals…",
        "002_216b1723": "In 16 pages…",
        "003_6d9a0735": "Devastating report reveals… (2)",  # same short title: numbered, still unique
    }


def test_document_labels_fall_back_to_the_id_and_cut_long_words() -> None:
    docs = pd.DataFrame({"doc_id": ["a", "b"], "title": ["", "Supercalifragilisticexpialidocious-and-more"]})
    labels = plots.document_labels(docs, n_words=5, max_chars=12)
    assert labels.tolist() == ["a", "Supercalifr…"]
    # a label that must be cut is cut after a whole word
    cut = plots.document_labels(pd.DataFrame({"doc_id": ["x"], "title": ["People management failings in Haringey"]}),
                                n_words=5, max_chars=24)
    assert cut.tolist() == ["People management…"]
    with pytest.raises(ParameterError, match="doc_id"):
        plots.document_labels(pd.DataFrame({"title": ["x"]}))


def test_free_topics_get_labels_from_their_leading_terms_that_stay_unique() -> None:
    top = pd.DataFrame({
        "topic": [0, 0, 1, 1, 2, 2, 3, 3],
        "rank": [0, 1] * 4,
        "term": ["budget cuts", "cuts", "budget", "cuts", "child protection", "protection", "council", "budget"],
    })
    out = plots.seeded_topic_labels(["free_0", "free_1", "free_2", "free_3"], top, {}, n_lead=2)
    # words of a phrase count one by one, once each; two topics with the same words keep their ids
    assert out["label"].tolist() == ["free: budget / cuts (free_0)", "free: budget / cuts (free_1)",
                                     "free: child / protection", "free: council / budget"]
    assert out["seeds_lead"].tolist() == [None] * 4
    # a free topic without terms keeps its id
    assert plots.seeded_topic_labels(["free_0"], top.iloc[:0], {})["label"].tolist() == ["free_0"]


def test_seeded_topic_labels_flag_topics_their_seeds_no_longer_lead() -> None:
    top = pd.DataFrame({
        "topic": [0, 0, 0, 1, 1, 1, 2, 2, 2],
        "rank": [0, 1, 2] * 3,
        "term": ["services", "children", "review", "Failings", "management", "staff", "balls", "ed", "report"],
    })
    seeds = {"individual": ["shoesmith", "sacked"], "systemic": ["failing*", "procedures"]}
    out = plots.seeded_topic_labels(["seed:individual", "seed:systemic", "free_0"], top, seeds, n_lead=3)
    # a free topic is named by its top terms too, after "free:" (here: balls, ed, report)
    assert out["label"].tolist() == ["services / children / review (was seed:individual)", "seed:systemic",
                                     "free: balls / ed / report"]
    assert out["seeds_lead"].tolist() == [False, True, None]
    # the same seed outside the leading terms does not count
    two = plots.seeded_topic_labels(["seed:systemic"], top[top.topic == 1].assign(topic=0).iloc[::-1]
                                    .assign(rank=[0, 1, 2]), seeds, n_lead=1)
    assert two["seeds_lead"].tolist() == [False]


def _assert_network_texts_apart(fig: plt.Figure, n_labels: int) -> None:
    """Every label, panel title and note of a blame network lies on the figure and overlaps no other."""
    fig.savefig(io.BytesIO(), format="pdf")  # as save_figure does: PDF first, then SVG and PNG
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    page = fig.bbox
    boxes = [t.get_window_extent(renderer) for ax in fig.axes for t in ax.texts if t.get_text()]
    assert len(boxes) == n_labels
    boxes += [t.get_window_extent(renderer) for t in fig.texts]  # the note on line widths
    boxes += [ax.title.get_window_extent(renderer) for ax in fig.axes]
    for i, a in enumerate(boxes):
        assert a.x0 >= page.x0 - 1 and a.x1 <= page.x1 + 1 and a.y0 >= page.y0 - 1 and a.y1 <= page.y1 + 1
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (a, b)


@pytest.mark.parametrize("columns", [1, 2])
def test_blame_network_labels_do_not_overlap_and_stay_on_the_figure(columns: int) -> None:
    targets = ["council", "council_politicians", "director", "government", "health", "inspectors", "management",
               "police", "safeguarding_board", "social_workers"]
    rows = [("news", b, t, 1 + (i * 7 + j) % 8) for i, b in enumerate(["author", "unattributed", "government"])
            for j, t in enumerate(targets)]
    rows += [("minister", "author", t, 2) for t in targets[:6]] + [("blog", "author", "director", 8)]
    edges = pd.DataFrame(rows, columns=["genre", "blamer", "target", "sentences"])
    with plots.use_style():
        fig = plots.blame_network_figure(edges, {"minister": "minister (1 doc.)", "blog": "blog", "news": "news"},
                                         columns=columns)
    assert fig.get_figwidth() == plots.figure_size(columns)[0]
    # blamers are not frames: their lines never take a frame's colour
    frame_rgb = {matplotlib.colors.to_rgb(c) for c in plots.FRAME_COLORS.values()}
    lines = [ln for ax in fig.axes for ln in ax.get_lines()]
    assert lines and not {matplotlib.colors.to_rgb(ln.get_color()) for ln in lines} & frame_rgb
    _assert_network_texts_apart(fig, (3 + 10) + (1 + 6) + (1 + 1))  # blamer + target labels: news, minister, blog
    plt.close(fig)


@pytest.mark.parametrize("columns", [1, 2])
def test_blame_network_wraps_long_panel_titles_and_keeps_their_document_count(columns: int) -> None:
    # the usability trial's outlets: the blog's title overprinted "BBC News (4 doc.)" and ran off the figure
    outlets = ["The Guardian", "The Telegraph", "BBC News", _BLOG]
    rows = [(o, "author", "government", 2) for o in outlets] + [(o, "The court", "agencies", 1) for o in outlets[:3]]
    edges = pd.DataFrame(rows, columns=["genre", "blamer", "target", "sentences"])
    panels = {o: f"{o} (4 doc.)" for o in outlets}
    with plots.use_style():
        fig = plots.blame_network_figure(edges, panels, columns=columns)
    _assert_network_texts_apart(fig, 3 * 4 + 2)
    titles = [ax.get_title() for ax in fig.axes]
    assert all(t.endswith("(4 doc.)") for t in titles), titles  # the count is never cut
    assert "\n" in titles[3] and titles[:3] == [f"{o} (4 doc.)" for o in outlets[:3]]
    plt.close(fig)


def test_blame_network_of_many_groups_at_the_page_width_goes_on_rows_of_three() -> None:
    # the trial's 20 outlets side by side left each panel a third of an inch, its lines and labels collapsed
    outlets = [f"outlet {i:02d}" for i in range(20)]
    edges = pd.DataFrame([(o, "author", t, 1) for o in outlets for t in ("council", "government")],
                         columns=["genre", "blamer", "target", "sentences"])
    with plots.use_style():
        fig = plots.blame_network_figure(edges, {o: o for o in outlets}, columns=2)
    assert len(fig.axes) == 20 and fig.get_figwidth() == plots.figure_size(2)[0]
    widths = {round(ax.get_position().width * fig.get_figwidth(), 6) for ax in fig.axes}
    assert min(widths) > fig.get_figwidth() / 3 / 2  # every panel keeps a useful share of its third
    rows = sorted({round(ax.get_position().y0, 6) for ax in fig.axes}, reverse=True)
    assert len(rows) == 7  # 20 panels: six rows of three and one of two
    assert [ax.get_title() for ax in fig.axes] == outlets  # in the given order, row by row
    _assert_network_texts_apart(fig, 20 * 3)
    plt.close(fig)


def test_latex_escape_writes_symbols_pdflatex_lacks_as_math() -> None:
    assert plots.latex_escape("n ≥ 10 → 3 × 2 … ≤ −1") == (
        r"n $\geq$ 10 $\rightarrow$ 3 $\times$ 2 \ldots{} $\leq$ $-$1")


def test_tables_with_unicode_compile_with_the_documented_preamble(tmp_path) -> None:
    import shutil

    from framing.plots import paper

    documented = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    packages = re.search(r"\\usepackage\{([^}]*)\}", paper.PREAMBLE)
    assert packages is not None and "newunicodechar" not in paper.PREAMBLE
    assert "\\usepackage{booktabs, tabularx, longtable, xltabular, rotating, array}" in documented
    assert set(packages.group(1).split(",")) == {"booktabs", "tabularx", "longtable", "xltabular", "rotating",
                                                 "array", "graphicx"}  # graphicx: for the figures
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed")
    df = pd.DataFrame({"genre": ["news"], "note": ["n ≥ 10 → shares × 2 … “quoted” – é •"]})
    body = plots.table_to_latex(df, caption="Unicode cells")
    (tmp_path / "t.tex").write_text(paper.PREAMBLE % "" + body + "\n\\end{document}\n", encoding="utf-8")
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:]


# ------------------------------------------------------------------------- tables that fit a page
def _spec(tex: str) -> list[str]:
    """The column specifications of every tabular-like environment in ``tex``."""
    return re.findall(r"\\begin\{(?:tabular|longtable)\}\{([^\n]*)\}$|\\begin\{(?:tabularx|xltabular)\}\{\\linewidth\}"
                      r"\{([^\n]*)\}$", tex, re.MULTILINE)


def test_latex_wraps_long_text_and_aligns_numbers() -> None:
    sentence = "The serious case review found that every agency missed the chance to act in time."
    df = pd.DataFrame({"doc_id": ["000_3847d360f0486ec9", "001_e8e8082881e30bfc"], "text": [sentence, sentence],
                       "n_hits": [3, 12], "share": [0.25, 0.5]})
    tex = plots.table_to_latex(df, caption="Sentences", label="tab:s")
    x = r">{\raggedright\arraybackslash}X"
    assert _spec(tex) == [("", f"l{x}rr")]  # ids stay on one line, text wraps, numbers right-aligned
    assert r"\begin{table*}[htbp]" in tex and r"\begin{tabularx}{\linewidth}" in tex


def test_latex_breaks_long_tables_across_pages_and_repeats_the_header() -> None:
    df = pd.DataFrame({"term": [f"t{i}" for i in range(60)], "z": [float(i) for i in range(60)]})
    tex = plots.table_to_latex(df, caption="Terms")
    assert _spec(tex) == [("lr", "")]
    assert r"\begin{longtable}{lr}" in tex and r"\endhead" in tex and r"\endfirsthead" in tex
    assert tex.count("term & z") == 2  # first head and continued head


def test_latex_rotates_wide_tables_and_splits_very_wide_ones() -> None:
    # 8 numeric columns of ~58 pt (10 characters of header) and a key: ~513 pt, wider than a page (345 pt)
    # but not than a rotated one (550 pt)
    names = [f"share_unstable_{i}" for i in range(8)]
    wide = pd.DataFrame({n: [0.123456] for n in names}).assign(frame="systemic")
    tex = plots.table_to_latex(wide[["frame", *names]], caption="Wide")
    assert r"\begin{sidewaystable*}" in tex and _spec(tex) == [("l" + "r" * 8, "")]
    # long numeric headers wrap in a fixed-width header cell instead of widening the column
    assert r"\multicolumn{1}{>{\raggedleft\arraybackslash}p{46pt}}{share\_\allowbreak{}unstable\_\allowbreak{}0}" in tex
    huge = pd.DataFrame({f"c{i:02d}": [123456.5] for i in range(40)}).assign(key="a")
    tex = plots.table_to_latex(huge[["key", *[f"c{i:02d}" for i in range(40)]]], caption="Huge", label="tab:h")
    specs = [a for a, _ in _spec(tex)]
    assert len(specs) > 1 and all(s.startswith("l") and set(s[1:]) == {"r"} for s in specs)  # key repeated
    assert sum(len(s) - 1 for s in specs) == 40  # every column once
    assert r"\label{tab:h-1}" in tex and "(part 1 of" in tex and r"\begin{sidewaystable" not in tex


def _part_heads(tex: str) -> list[list[str]]:
    """The header cells of each part of a (possibly split) table: the line after each first ``\\toprule``."""
    parts = tex.strip().split("\n\n")
    return [p.split("\\toprule\n", 1)[1].split(" \\\\", 1)[0].split(" & ") for p in parts]


def test_a_table_too_tall_for_one_page_is_split_not_turned_sideways() -> None:
    # 30 rows whose wrapped topic labels make the table taller than a page: a long table cannot be rotated, so
    # one too wide for the page is split, and every part repeats doc_id and the topic (its labels repeat: a key)
    from framing.plots.latex import table_layout

    label = "free: review / case / haringey / council / children / services / inspection / report / failings"
    topics = [label, label.replace("free", "seed"), "report balls ed (was seed:x)"]
    df = pd.DataFrame({"doc_id": [f"{i:03d}_3847d360f0486ec9" for i in range(12) for _ in topics],
                       "topic": topics * 12})  # 36 rows: fewer than long_rows (40), but several lines each
    for name in ("prevalence", "ci_low", "ci_high", "n_resampled"):
        df[name] = 0.5
    layout = table_layout(df)
    assert not layout.rotated and len(layout.groups) == 2
    assert all(group[:2] == (0, 1) for group in layout.groups)


def test_a_wide_table_turns_sideways_only_when_its_height_fits_the_text_width() -> None:
    from framing.plots.latex import table_layout

    def wide(n_rows: int) -> pd.DataFrame:
        df = pd.DataFrame({"genre": [f"genre_{i:02d}" for i in range(n_rows)]})
        for i in range(8):
            df[f"share_{i}"] = 0.123
        return df

    assert table_layout(wide(10)).rotated  # 10 lines: sideways, the page's height is its width
    tall = table_layout(wide(36))  # 36 lines of 11 pt: taller than a 345 pt text width, so split, not rotated
    assert not tall.rotated and len(tall.groups) > 1


def test_a_wrapped_column_gives_up_no_room_its_longest_word_needs() -> None:
    from framing.plots.latex import table_layout

    # an unbreakable 22-character token in the wrapped column, the table estimated 1 pt wider than the page: the
    # column cannot shrink below that token, so the table is split rather than set overfull
    df = pd.DataFrame({"doc_id": [f"d{i:09d}" for i in range(45)],
                       "text": [f"see https://example.org/x1 and row {i} with more words here" for i in range(45)]})
    for name in "abcd":
        df[name] = 0.123
    df["genre"] = "news"
    layout = table_layout(df)
    assert len(layout.groups) > 1


def test_split_tables_repeat_the_whole_row_key() -> None:
    # two categorical key columns and 30 numeric ones of ~58 pt: too wide even for a rotated page
    rows = [("blog", "individual"), ("blog", "systemic"), ("news", "individual")]
    df = pd.DataFrame(rows, columns=["genre", "frame"])
    for i in range(30):
        df[f"measure_{i:02d}"] = [0.5, 0.25, 0.125]
    heads = _part_heads(plots.table_to_latex(df, caption="Wide"))
    assert len(heads) > 1
    assert all(h[:2] == ["genre", "frame"] for h in heads)  # every part names genre AND frame
    assert sorted(c for h in heads for c in h[2:]) == [f"measure\\_{i:02d}" for i in range(30)]
    # an integer *_id column belongs to the key; an ordinary count does not
    ids = pd.DataFrame({"doc_id": ["a", "b"], "sent_id": [0, 3], "n": [1, 2]})
    assert latex.row_key_columns(ids) == [0, 1]
    assert latex.row_key_columns(pd.DataFrame({"n": [1], "frame": ["x"]})) == [0]


def test_kwic_tables_keep_their_context_in_one_part() -> None:
    left = "after studying it and seeing the clear failings of"
    df = pd.DataFrame({"doc_id": ["000_3847d360f0486ec9"] * 50, "sent_id": list(range(50)),
                       "start": [221] * 50, "end": [229] * 50, "category": ["systemic"] * 50,
                       "entry": ["practice"] * 50, "negated": [False] * 50, "left": [left] * 50,
                       "match": ["practice"] * 50, "right": [" and management that it highlighted"] * 50,
                       "cues": ["failings"] * 50})
    tex = plots.table_to_latex(df, caption="KWIC")
    heads = _part_heads(tex)
    assert all(h[:2] == ["doc\\_id", "sent\\_id"] for h in heads)
    with_context = [h for h in heads if "context" in h]
    assert len(with_context) == 1 and "left" not in tex.split("\\midrule")[0]
    assert f"{left} [practice] and management that it highlighted" in tex
    # a table with a context column of its own is left as it is (no clash of two "context" columns)
    from framing.plots.latex import kwic_context

    own = pd.DataFrame({"left": ["a"], "match": ["b"], "right": ["c"], "context": ["d"]})
    assert kwic_context(own).equals(own)


# ------------------------------------------------------------------------------------- font subsets kept
def _plain_pdf(fig: plt.Figure) -> bytes:
    """The PDF matplotlib writes itself (no subset cache), with the settings of save_figure."""
    buf = io.BytesIO()
    with mpl.rc_context(plots._SAVE_RC):
        fig.savefig(buf, format="pdf", metadata=plots._METADATA["pdf"])
    return buf.getvalue()


def test_pdf_with_kept_font_subsets_is_byte_identical_to_matplotlibs_own(tmp_path, monkeypatch) -> None:
    from matplotlib.backends import _backend_pdf_ps

    from framing.plots import _fontcache

    monkeypatch.setattr(_fontcache, "_MEMORY", {})
    monkeypatch.setattr(_fontcache, "subset_cache_dir", lambda: tmp_path / "subsets")
    calls = []
    original = _backend_pdf_ps.get_glyphs_subset

    def counted(fontfile, glyphs):
        calls.append(fontfile)
        return original(fontfile, glyphs)

    monkeypatch.setattr(_backend_pdf_ps, "get_glyphs_subset", counted)
    with plots.use_style():
        fig = _figure()
        expected = _plain_pdf(fig)
        assert len(calls) == 2  # regular and bold (the title): each subset computed by fontTools
        first = plots.save_figure(fig, "cold", tmp_path / "a", formats=["pdf"], close=False)[0].read_bytes()
        assert len(calls) == 4 and len(list((tmp_path / "subsets").iterdir())) == 2  # computed once more, kept
        _fontcache._MEMORY.clear()  # as in a new process: read from disk
        again = plots.save_figure(fig, "warm", tmp_path / "b", formats=["pdf"])[0].read_bytes()
    assert len(calls) == 4  # no new subsetting
    assert first == expected and again == expected
    assert _backend_pdf_ps.get_glyphs_subset is counted  # the patch lives only inside save_figure


# ------------------------------------------------------------- a user's document table in a paper (usability trial)
_BLOG = "Seán’s Sub-postmasters’ Justice Blog (Ó Súilleabháin)"
_HORIZON_DOCS = f"""doc_id|kind|outlet|period|title|date|n_sentences|n_tokens
gdn-01|news|The Guardian|1 judgment (2019)|Judge finds Horizon system unreliable|2019-12-16|9|140
gdn-02|news|The Guardian|2 appeal (2021)|Court of Appeal quashes 39 convictions|2021-04-23|9|127
gdn-03|opinion|The Guardian|3 after drama (2024-25)|The Horizon scandal is a failure of the state|2024-01-12|9|136
gdn-04|news|The Guardian|unknown|Compensation delays anger sub-postmasters||6|71
tel-01|news|The Telegraph|1 judgment (2019)|Post Office bosses face questions after Horizon ruling|2019-12-17|8|107
tel-02|news|The Telegraph|2 appeal (2021)|Vennells under pressure to return CBE|2021-04-24|7|97
tel-03|opinion|The Telegraph|3 after drama (2024-25)|Ministers must not hide behind the Post Office|2024-01-10|8|100
tel-04|news|The Telegraph|3 after drama (2024-25)|Fujitsu boss apologises to MPs|2024-13-45|6|91
bbc-01|news|BBC News|1 judgment (2019)|Post Office Horizon IT system had bugs, judge rules|2019-12-16|6|78
bbc-02|news|BBC News|2 appeal (2021)|Sub-postmasters cleared by Court of Appeal|2021-04-23|7|87
bbc-03|news|BBC News|3 after drama (2024-25)|Government to pass law clearing Horizon victims|2024-01-11|7|96
bbc-04|news|BBC News|3 after drama (2024-25)|Horizon inquiry hears from former investigators|2024-01-12|6|57
blog-01|blog|{_BLOG}|1 judgment (2019)|They called us thieves|2019-12-18|7|83
blog-02|blog|{_BLOG}|2 appeal (2021)|Cleared, but not free|2021-04-25|7|81
blog-03|blog|{_BLOG}|unknown|A year after the drama||7|68
blog-04|blog|{_BLOG}|3 after drama (2024-25)|Letter to the inquiry|2025-01-15|6|68
"""
"""The documents of a Post Office Horizon corpus (a usability trial), grouped by kind, outlet or period."""


def _horizon_documents(genre: str) -> pd.DataFrame:
    """The corpus_documents table of notebook 01 for the Horizon corpus grouped by ``genre`` (a column)."""
    full = pd.read_csv(io.StringIO(_HORIZON_DOCS), sep="|", keep_default_na=False)
    return full.assign(genre=full[genre], n_removed=0)[["doc_id", "genre", "title", "date", "n_sentences",
                                                        "n_tokens", "n_removed"]]


@pytest.mark.parametrize("genre", ["kind", "outlet", "period"])
def test_a_users_document_table_compiles_without_overfull_boxes_or_floats_too_large(tmp_path, genre: str) -> None:
    # the usability trial's corpus_documents.tex: set across the text width (xltabular) though its layout said
    # "rotated" (overfull boxes: kind, period), or split into two parts too tall for a page (outlet)
    import shutil

    from framing.plots import paper

    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex not installed")
    df = _horizon_documents(genre)
    plots.save_table(df, "corpus_documents", tmp_path / "tables", caption="The documents of the corpus.")
    assert paper.check_paper(tmp_path) == []


def test_paper_check_names_a_figure_not_at_a_journal_width(tmp_path) -> None:
    import matplotlib.pyplot as plt

    from framing.plots import paper

    for name, width in (("column", 3.5), ("page", 7.2), ("odd", 4.7)):
        fig, _ = plt.subplots(figsize=(width, 2.0))
        plots.save_figure(fig, name, tmp_path / "figures", formats=["pdf"])
    figures = sorted((tmp_path / "figures").glob("*.pdf"))
    assert paper.figure_width_problems(figures, tmp_path) == [
        "figures/odd.pdf: 4.70 in wide, not a journal width (3.5 in or 7.2 in)"]


def test_topic_heatmaps_are_saved_at_a_journal_width(tmp_path) -> None:
    from framing.plots import paper, plot_topic_frames, plot_topic_similarity

    frames = ["individual", "systemic", "political"]
    short = pd.DataFrame({"topic": [t for t in ("a", "b") for _ in frames], "frame": frames * 2,
                          "weighted_share": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]})
    long = short.assign(topic=short["topic"].map({"a": "report / balls / ed (was seed:political)", "b": "b"}))
    sim = pd.DataFrame(np.eye(4), index=[f"seed:{i}" for i in range(4)], columns=[f"free_{i}" for i in range(4)])
    for name, fig in (("short", plot_topic_frames(short)), ("long", plot_topic_frames(long)),
                      ("similarity", plot_topic_similarity(sim))):
        plots.save_figure(fig, name, tmp_path, formats=["pdf"])
    widths = {p.stem: paper._pdf_width_in(p) for p in tmp_path.glob("*.pdf")}
    # three short-labelled columns fit one column; long topic labels or four columns take the page
    assert widths == pytest.approx({"short": 3.5, "long": 7.2, "similarity": 7.2})


def test_save_figure_writes_its_caption_beside_it_and_the_index_and_paper_read_it(tmp_path) -> None:
    import matplotlib.pyplot as plt

    from framing.plots import CAPTION_SUFFIX, save_figure
    from framing.plots.paper import _figure_caption
    from framing.report.index import _figures

    figures = tmp_path / "figures"
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    written = save_figure(fig, "shares", figures,
                          caption="Share of   sentences, 95% intervals\n(documents resampled) & more.")
    caption = figures / f"shares{CAPTION_SUFFIX}"
    assert caption in written and caption.read_text(encoding="utf-8") == (
        "Share of sentences, 95% intervals (documents resampled) & more.\n")
    expected = r"Share of sentences, 95\% intervals (documents resampled) \& more."
    assert _figure_caption(figures / "shares.pdf") == expected
    card = [c for c in _figures(tmp_path) if c["stem"] == "shares"]
    assert len(card) == 1 and card[0]["caption"].startswith("Share of sentences")
    fig, ax = plt.subplots()
    save_figure(fig, "bare", figures)  # no caption: no file, the paper falls back on the name
    assert not (figures / f"bare{CAPTION_SUFFIX}").exists() and _figure_caption(figures / "bare.pdf") == "bare"
