"""Figures and tables for the study: one style, colour-blind-safe palettes, deterministic output.

Use :func:`use_style` (a plain call or a ``with`` block) to apply ``framing.mplstyle``, the palettes
:data:`FRAME_COLORS` and :func:`genre_palette` (one colour per genre of a report, never a frame's colour),
:func:`figure_size` for one- and two-column journal figures, then :func:`save_figure` and
:func:`save_table` to write the outputs.

Every file is written atomically through :mod:`framing.io` and is byte-identical across runs for the
same figure or table: no creation dates in PDF or SVG, no software tag in PNG, fixed SVG ids.

Examples
--------
>>> from framing import plots
>>> with plots.use_style():                                        # doctest: +SKIP
...     fig, ax = plt.subplots(figsize=plots.figure_size(columns=1))
...     ax.bar(df.frame, df.share, color=[plots.FRAME_COLORS[f] for f in df.frame])
...     plots.save_figure(fig, "frame_shares", "reports/figures", data=df)
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any

import matplotlib as mpl
import pandas as pd

from framing.errors import ParameterError
from framing.io import atomic_write_bytes, atomic_write_text, write_csv
from framing.paths import PACKAGE_DIR
from framing.plots._fontcache import cached_subsets
from framing.plots._palette import (
    FRAME_COLORS,
    GENRE_COLORS,
    GENRE_SEQUENCE,
    OKABE_ITO,
    genre_color,
    genre_palette,
    grey_ramp,
)
from framing.plots.latex import FloatFormat, latex_escape, table_to_latex
from framing.types import PathLike

__all__ = [
    "CAPTION_SUFFIX",
    "FRAME_COLORS",
    "GENRE_COLORS",
    "GENRE_SEQUENCE",
    "MAX_DOCUMENT_MARKS",
    "MAX_GROUP_MARKS",
    "MAX_GROUP_PANELS",
    "MAX_GROUP_ROWS",
    "OKABE_ITO",
    "STYLE_PATH",
    "actor_frame_heatmap",
    "avoidance_rates_figure",
    "blame_network_figure",
    "confusion_figure",
    "document_labels",
    "document_lengths_figure",
    "driving_terms_figure",
    "f1_by_frame_figure",
    "figure_size",
    "frame_shares_by_document_figure",
    "frame_shares_by_genre_figure",
    "genre_color",
    "genre_frame_shares_figure",
    "genre_palette",
    "grey_ramp",
    "keyness_figure",
    "latex_escape",
    "plot_blame_network",
    "plot_coherence_by_k",
    "plot_prevalence",
    "plot_stability",
    "plot_topic_frames",
    "plot_topic_similarity",
    "save_figure",
    "save_table",
    "seeded_topic_labels",
    "table_to_latex",
    "threshold_curve_figure",
    "use_style",
]

STYLE_PATH: Path = PACKAGE_DIR / "framing.mplstyle"
"""The matplotlib style file shipped with the package."""

# Journal column widths in inches: ~89 mm and ~183 mm (Nature, Elsevier, PLOS are within a few mm).
_COLUMN_WIDTHS: dict[int, float] = {1: 3.5, 2: 7.2}
_GOLDEN = (math.sqrt(5) - 1) / 2
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._=+-]*$")
_FIGURE_FORMATS: tuple[str, ...] = ("pdf", "svg", "png")
CAPTION_SUFFIX = ".caption.txt"
"""A figure's caption beside it: ``NAME.caption.txt`` (:func:`save_figure`)."""

# rc settings forced while saving, whatever style is active, so output is always deterministic.
_SAVE_RC: Any = {
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.hashsalt": "framing",
    "savefig.dpi": 300,
}
_METADATA: dict[str, dict[str, Any]] = {
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "framing", "Producer": None},
    "svg": {"Date": None, "Creator": "framing"},
    "png": {"Software": None},
}


# --------------------------------------------------------------------------------------------- style
class _StyleContext:
    """Applied on creation; a ``with`` block additionally restores the previous rcParams on exit."""

    def __init__(self, overrides: Mapping[str, Any] | None = None) -> None:
        import matplotlib.style  # not loaded by ``import matplotlib`` alone (pyplot loads it)

        self._saved = mpl.rcParams.copy()
        matplotlib.style.use(str(STYLE_PATH))
        if overrides:
            rc: Any = mpl.rcParams
            rc.update(dict(overrides))

    def __enter__(self) -> _StyleContext:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # dict.update bypasses the rcParams validators and the "deprecated key" warnings.
        dict.update(mpl.rcParams, self._saved)


def use_style(overrides: Mapping[str, Any] | None = None) -> _StyleContext:
    """Apply the study's matplotlib style (``framing.mplstyle``).

    Parameters
    ----------
    overrides : mapping, optional
        Extra rcParams applied on top of the style (e.g. ``{"font.size": 9}``).

    Returns
    -------
    context manager
        As a plain call the style stays applied; in a ``with`` block the previous settings are
        restored when the block ends.

    Examples
    --------
    >>> use_style()                       # doctest: +SKIP
    >>> with use_style():                 # doctest: +SKIP
    ...     fig, ax = plt.subplots()
    """
    return _StyleContext(overrides)


def figure_size(
    columns: int = 1, aspect: float = _GOLDEN, *, height: float | None = None
) -> tuple[float, float]:
    """Return ``(width, height)`` in inches for a one- or two-column journal figure.

    Parameters
    ----------
    columns : {1, 2}
        One column (3.5 in, ~89 mm) or the full page width (7.2 in, ~183 mm).
    aspect : float
        Height / width (default: the golden ratio, 0.618).
    height : float, optional
        An explicit height in inches (overrides ``aspect``).
    """
    if columns not in _COLUMN_WIDTHS:
        raise ParameterError(f"columns must be 1 or 2, got {columns!r}")
    width = _COLUMN_WIDTHS[columns]
    if height is not None:
        if not height > 0:
            raise ParameterError(f"height must be positive, got {height!r}")
        return (width, float(height))
    if not (isinstance(aspect, int | float) and aspect > 0 and math.isfinite(aspect)):
        raise ParameterError(f"aspect must be a positive number, got {aspect!r}")
    return (width, round(width * float(aspect), 4))


# ------------------------------------------------------------------------------------------- figures
def seeded_topic_labels(
    labels: list[str], top_terms: pd.DataFrame, seed_terms: Mapping[str, Iterable[str]], *, n_lead: int = 3
) -> pd.DataFrame:
    """Labels for lexicon-seeded topics that say when the seed terms no longer lead the topic.

    A topic labelled ``seed:FRAME`` keeps its label when one of its first ``n_lead`` top terms matches a
    seed term of ``FRAME`` (``*`` is a wildcard, case-insensitive); otherwise the data pulled it elsewhere
    and it is labelled by its own top terms, flagged: ``"services children review (was seed:individual)"``.
    A free topic is labelled by the words of its ``n_lead`` top terms too, after ``free:``
    (``"free: budget / cuts / funding"``, :func:`framing.topics.free_topic_labels`; its id in brackets when two
    free topics would share a label).

    Parameters
    ----------
    labels : list of str
        The model's ``topic_labels_`` (position = topic index).
    top_terms : DataFrame
        ``topic`` (index), ``rank``, ``term`` (the model's ``top_terms(n)``).
    seed_terms : mapping
        ``{frame: [seed patterns]}``.
    n_lead : int
        How many top terms count as leading.

    Returns
    -------
    DataFrame
        ``topic``, ``label`` (the label to show), ``seeds_lead`` (bool; ``None`` for free topics).
    """
    import fnmatch

    from framing.topics import free_topic_labels, seeded_topic_label

    if n_lead < 1:
        raise ParameterError(f"n_lead must be >= 1, got {n_lead}")
    lead = top_terms.sort_values(["topic", "rank"], kind="stable").groupby("topic")["term"].agg(
        lambda s: [str(t).lower() for t in s.head(n_lead)]
    )
    free = [i for i, label in enumerate(labels) if not label.startswith("seed:")]
    free_labels = dict(zip(free, free_topic_labels([lead.get(i, []) for i in free], [labels[i] for i in free]),
                           strict=True))
    rows = []
    for i, label in enumerate(labels):
        frame = label.split(":", 1)[1] if label.startswith("seed:") else None
        if frame is None:
            rows.append({"topic": i, "label": free_labels[i], "seeds_lead": None})
            continue
        terms = lead.get(i, [])
        patterns = [str(p).lower() for p in seed_terms.get(frame, [])]
        leads = any(fnmatch.fnmatchcase(t, p) for t in terms for p in patterns)
        rows.append({"topic": i, "label": seeded_topic_label(label, terms, led=leads), "seeds_lead": leads})
    return pd.DataFrame(rows, columns=["topic", "label", "seeds_lead"])


_LABEL_SOURCES: tuple[str, ...] = ("label", "title", "headline")


def document_labels(
    documents: pd.DataFrame, *, n_words: int = 5, max_chars: int = 32, sentences: pd.DataFrame | None = None
) -> pd.Series:
    """Short, unique, human-readable labels for documents, indexed by ``doc_id`` (for figure axes).

    The label is the ``label`` column when given, else the first ``n_words`` words of the ``title`` or
    ``headline``, else of the document's first sentence (``sentences``, with ``doc_id`` and ``text``),
    else the ``doc_id``; cut to ``max_chars`` with an ellipsis. Duplicates get `` (2)``, `` (3)``...

    Examples
    --------
    >>> docs = pd.DataFrame({"doc_id": ["a1", "b2"], "title": ["Devastating report reveals Baby P failings.", ""]})
    >>> document_labels(docs, n_words=3).tolist()
    ['Devastating report reveals…', 'b2']
    """
    if "doc_id" not in documents.columns:
        raise ParameterError("document_labels: documents need a 'doc_id' column")
    if n_words < 1 or max_chars < 4:
        raise ParameterError(f"n_words must be >= 1 and max_chars >= 4, got {n_words}, {max_chars}")
    ids = documents["doc_id"].astype(str)
    label = pd.Series("", index=documents.index, dtype=object)
    for col in _LABEL_SOURCES:
        if col in documents.columns:
            text = documents[col].fillna("").astype(str).str.strip()
            label = label.where(label != "", text)
    if sentences is not None and {"doc_id", "text"} <= set(sentences.columns):
        first = sentences.drop_duplicates("doc_id").set_index("doc_id")["text"].astype(str)
        label = label.where(label != "", ids.map(first).fillna(""))
    words = label.str.split()
    short = words.str.slice(0, n_words).str.join(" ")
    cut = (words.str.len() > n_words) | (short.str.len() > max_chars)
    # cut at a word boundary when one fits (a single long word is cut inside), then mark the cut
    at_word = short.str.slice(0, max_chars).str.replace(r"\s+\S*$", "", regex=True).str.slice(0, max_chars - 1)
    fitted = short.where(short.str.len() <= max_chars - 1, at_word)
    short = short.where(~cut, fitted.str.rstrip(" ,.;:") + "…")
    short = short.where(short != "", ids)
    rank = short.groupby(short).cumcount()
    short = short.where(rank == 0, short + " (" + (rank + 1).astype(str) + ")")
    return pd.Series(short.to_numpy(), index=ids.to_numpy(), name="label")


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME_RE.match(name) or name in {".", ".."}:
        raise ParameterError(
            f"output name {name!r} must be a plain file stem (letters, digits, '.', '_', '-', '=', '+'; "
            "no directories or extension)"
        )
    return name


def _as_frame(data: Any) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, pd.Series):
        return data.to_frame()
    raise ParameterError(f"data must be a pandas DataFrame or Series, got {type(data).__name__}")


def save_figure(
    fig: Any,
    name: str,
    out_dir: PathLike,
    data: pd.DataFrame | pd.Series | None = None,
    *,
    formats: Iterable[str] = _FIGURE_FORMATS,
    close: bool = True,
    caption: str | None = None,
) -> list[Path]:
    """Write ``fig`` as ``NAME.pdf``, ``NAME.svg`` and ``NAME.png`` (+ ``NAME.csv`` of ``data``, ``NAME.caption.txt``).

    PDF embeds TrueType fonts (fonttype 42); PNG is 300 dpi. All files are written atomically and are
    byte-identical across runs (no dates, no software tags, fixed SVG hash salt).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save.
    name : str
        File stem (no directory, no extension), e.g. ``"frame_shares_by_genre"``.
    out_dir : path
        Output directory (created when missing), usually ``reports/figures``.
    data : DataFrame or Series, optional
        The data behind the figure, written as ``NAME.csv`` next to it.
    formats : iterable of {"pdf", "svg", "png"}
        Image formats to write (default: all three).
    close : bool
        Close the figure afterwards (default ``True``; also on error). Inside a Jupyter kernel the figure
        is displayed first, so a notebook shows every figure it saves (a closed figure is not drawn by
        the inline backend at the end of the cell).
    caption : str, optional
        What the figure shows, complete enough to go under it in a paper (what the bars and intervals are, what
        was resampled): written as ``NAME.caption.txt`` beside it, shown under it in the notebook, under its
        card in ``reports/index.html`` and in the paper check's layouts.

    Returns
    -------
    list of Path
        The written files, in the order pdf, svg, png, csv.
    """
    import matplotlib.pyplot as plt

    _check_name(name)
    fmts = list(formats)
    bad = [f for f in fmts if f not in _FIGURE_FORMATS]
    if bad or not fmts:
        raise ParameterError(f"formats must be a non-empty subset of {_FIGURE_FORMATS}, got {fmts!r}")
    frame = _as_frame(data) if data is not None else None
    out = Path(out_dir)
    images = [out / f"{name}.{fmt}" for fmt in _FIGURE_FORMATS if fmt in fmts]
    try:
        _write_images(fig, images)
        written = list(images)
        if frame is not None:
            written.append(write_csv(frame, out / f"{name}.csv"))
        if caption is not None and caption.strip():
            written.append(atomic_write_text(out / f"{name}{CAPTION_SUFFIX}", " ".join(caption.split()) + "\n"))
        if close:
            _display_in_notebook(fig)
            if caption is not None and caption.strip():
                print(" ".join(caption.split()))
    finally:
        if close:
            plt.close(fig)
    return written


def _write_images(fig: Any, paths: Iterable[Path]) -> None:
    """Write ``fig`` to each path in the format of its suffix, deterministically (:data:`_SAVE_RC`)."""
    with mpl.rc_context(_SAVE_RC), cached_subsets():  # PDF: font subsets computed once (_fontcache)
        for path in paths:
            fmt = path.suffix[1:]
            buf = io.BytesIO()
            fig.savefig(buf, format=fmt, metadata=_METADATA[fmt])
            atomic_write_bytes(path, buf.getvalue())


def _display_in_notebook(fig: Any) -> None:
    """Display ``fig`` as a cell output when running in a Jupyter kernel (no-op elsewhere)."""
    import sys

    if "ipykernel" not in sys.modules:
        return
    from IPython import get_ipython
    from IPython.display import display

    shell = get_ipython()
    if shell is not None and getattr(shell, "kernel", None) is not None:
        display(fig)


# -------------------------------------------------------------------------------------------- tables
def save_table(
    df: pd.DataFrame,
    name: str,
    out_dir: PathLike,
    caption: str | None = None,
    float_format: FloatFormat = "%.3f",
    *,
    index: bool = False,
    na_rep: str = "--",
) -> list[Path]:
    """Write ``df`` as ``NAME.csv`` and ``NAME.tex`` (booktabs, LaTeX-escaped), atomically.

    Parameters
    ----------
    df : DataFrame
        The table.
    name : str
        File stem (no directory, no extension), e.g. ``"keyness_blog_vs_news"``.
    out_dir : path
        Output directory (created when missing), usually ``reports/tables``.
    caption : str, optional
        Caption; when given, the LaTeX is a full ``table`` environment labelled ``tab:NAME``.
    float_format : str or callable
        Float format in the LaTeX file: ``"%.3f"``, ``"{:.2%}"``, ``".2f"`` or a function. The CSV
        keeps 6 significant digits (``framing.io.write_csv``), whatever the LaTeX shows; integer columns are
        written whole.
    index : bool
        Include the DataFrame index as leading column(s) (default ``False``).
    na_rep : str
        How missing values appear in LaTeX (default ``"--"``).

    Returns
    -------
    list of Path
        ``[NAME.csv, NAME.tex]``.
    """
    _check_name(name)
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"save_table needs a pandas DataFrame, got {type(df).__name__}")
    table = df.reset_index() if index else df
    out = Path(out_dir)
    csv_path = write_csv(table, out / f"{name}.csv")
    tex = table_to_latex(
        table, caption=caption, label=f"tab:{name}", float_format=float_format, na_rep=na_rep
    )
    tex_path = atomic_write_text(out / f"{name}.tex", tex)
    return [csv_path, tex_path]


from framing.plots._groups import MAX_GROUP_MARKS, MAX_GROUP_PANELS, MAX_GROUP_ROWS  # noqa: E402
from framing.plots.figures import (  # noqa: E402  (needs the palette above)
    MAX_DOCUMENT_MARKS,
    actor_frame_heatmap,
    avoidance_rates_figure,
    confusion_figure,
    document_lengths_figure,
    driving_terms_figure,
    f1_by_frame_figure,
    frame_shares_by_document_figure,
    frame_shares_by_genre_figure,
    genre_frame_shares_figure,
    keyness_figure,
    threshold_curve_figure,
)
from framing.plots.network import blame_network_figure, plot_blame_network  # noqa: E402  (needs the palette)
from framing.plots.topics import (  # noqa: E402
    plot_coherence_by_k,
    plot_prevalence,
    plot_stability,
    plot_topic_frames,
    plot_topic_similarity,
)
