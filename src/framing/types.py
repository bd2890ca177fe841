"""Type aliases, typed contracts and constants shared across the package (one place, as in textacy).

The contracts are :class:`typing.Protocol` classes, so this foundation module imports nothing from the
higher layers: :class:`framing.corpus.ProcessedCorpus` satisfies :class:`ProcessedCorpusLike` and
:class:`framing.lexicon.Lexicon` satisfies :class:`LexiconLike` structurally, and any stand-in with the
same attributes (a test double, a corpus read from elsewhere) does too.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, runtime_checkable

from framing.errors import ParameterError

if TYPE_CHECKING:
    import pandas as pd

PathLike: TypeAlias = str | os.PathLike[str]
DocId: TypeAlias = str
Span: TypeAlias = tuple[int, int]
"""A half-open character span ``(start, end)`` into a raw document text."""

Frame: TypeAlias = str
"""A blame frame name: ``individual``, ``systemic`` or ``political``."""

FRAMES: tuple[str, ...] = ("individual", "systemic", "political")
"""The study's three blame frames, in the codebook's order."""

GENRES: tuple[str, ...] = ("minister", "blog", "news")
"""The seed corpus's genres, in the study's order."""

ACTORS: tuple[str, ...] = (
    "director",
    "council",
    "social_workers",
    "health",
    "police",
    "agencies",
    "management",
    "safeguarding_board",
    "inspectors",
    "government",
    "council_politicians",
    "perpetrators",
    "media",
)
"""The codebook's actor set (who can be held responsible)."""

FRAME_RULES: tuple[str, ...] = ("coder", "any", "cue_sentence", "cue_window")
"""The sentence decision rules of :func:`framing.scoring.frame_table` (the first is the default)."""

STUDY_BACKENDS: tuple[str, ...] = ("memory", "stream", "dask")
"""Where ``framing run`` prepares the study's corpus (``--backend``, ``backend`` in the study config; the first
is the default): see :mod:`framing.backends.study`."""

READING_DEFAULTS: dict[str, str | bool] = {
    "id_col": "doc_id", "text_col": "text", "genre_col": "genre", "on_bad_record": "fail", "safe_ids": False,
    "rules": "",
}
"""How a notebook reads and cleans its corpus (its parameters of these names, with these defaults; ``rules``: a
boilerplate rules file, ``""`` for the shipped rules): what
:func:`framing.nbtools.setup` passes to ``prepare_corpus`` and ``load_partitioned_corpus`` and what ``framing run``
prepares a corpus with on a backend (:mod:`framing.backends.study`)."""

DEFAULT_FRAMES_LEXICON: str = "blame_frames"
"""The shipped frame lexicon used when none is named."""

DEFAULT_CUES_LEXICON: str = "blame_cues"
"""The shipped blame-cue lexicon used when none is named."""

DEFAULT_ACTORS_LEXICON: str = "actors"
"""The shipped actor lexicon (the codebook's actor roles) used when none is named."""

DEFAULT_SEED: int = 20081201
"""The study's default random seed (every randomness in the study takes a seed; this is the shared default)."""

INSTRUMENT_DEFAULTS: Mapping[str, object] = MappingProxyType({
    "frames_lexicon": DEFAULT_FRAMES_LEXICON, "cues_lexicon": DEFAULT_CUES_LEXICON, "case": "baby_p",
    "rule": "coder", "window": 10, "strong_weight": 2.0, "include_negated": True, "frame_model": "",
})
"""The frame instrument's parameters, shared by every notebook that scores frames, with the study's defaults
(``config/study.yaml``): outputs made with other values are variants, and findings or reports that mix values
say so."""


@runtime_checkable
class ProcessedCorpusLike(Protocol):
    """What the instruments read from a processed corpus (see ``framing.corpus.ProcessedCorpus``).

    Attributes
    ----------
    name : str
        Name of the corpus.
    documents : DataFrame
        ``doc_id, genre, <metadata>, text, n_chars, n_tokens, n_sentences, sha256, ...``.
    paragraphs : DataFrame
        ``doc_id, para_id, start, end, text, is_heading``.
    sentences : DataFrame
        ``doc_id, sent_id, para_id, start, end, text, n_tokens`` (content sentences only).
    removed_spans : DataFrame
        ``doc_id, start, end, rule, text``.
    """

    @property
    def name(self) -> str:
        """Name of the corpus or lexicon."""
        ...

    @property
    def documents(self) -> pd.DataFrame:
        """One row per document."""
        ...

    @property
    def paragraphs(self) -> pd.DataFrame:
        """One row per paragraph."""
        ...

    @property
    def sentences(self) -> pd.DataFrame:
        """One row per content sentence."""
        ...

    @property
    def removed_spans(self) -> pd.DataFrame:
        """One row per span removed by cleaning."""
        ...


@runtime_checkable
class LexiconLike(Protocol):
    """What the instruments read from a lexicon (see ``framing.lexicon.Lexicon``).

    Attributes
    ----------
    name : str
        Name of the lexicon.
    categories : tuple of str
        Category names in the lexicon's order.
    """

    @property
    def name(self) -> str:
        """Name of the corpus or lexicon."""
        ...

    @property
    def categories(self) -> tuple[str, ...]:
        """Category names in order."""
        ...

    def terms(self, category: str) -> list[str]:
        """Return the patterns of ``category``."""
        ...


SeedTerms: TypeAlias = Mapping[str, Sequence[str]]
"""Seed patterns per category (``{"systemic": ["social work*", ...], ...}``), e.g. for seeded topics."""

LexiconSpec: TypeAlias = str | os.PathLike[str] | LexiconLike
"""A lexicon given by shipped name, by file path, or as a loaded lexicon."""

MIN_DOCS: int = 10
"""Fewest documents a group (genre) needs for a bootstrap interval; below it shares are descriptive only: the
default of :func:`framing.compare.frame_share_intervals`, :func:`framing.scoring.bootstrap_shares`,
:func:`framing.shares.corrected_shares` and the notebooks' ``min_docs`` parameter."""

MISSING_GROUP = "(missing)"
"""The group of documents without a value in the grouping column (:func:`framing.scoring.group_scores`,
:func:`framing.scoring.bootstrap_shares`): counted there, with a warning naming them, not dropped."""

GROUP_LABEL = "genre"
"""The word a reader sees for the grouping of every comparison when ``genre_col`` is the default ``"genre"``
(titles, axis and legend titles, captions, prose, findings, warnings; :func:`group_label`). The CSV column stays
``genre`` whatever the grouping."""


def group_label(genre_col: object = GROUP_LABEL, genre_label: object = None) -> str:
    """Return the name of the grouping a reader sees: ``genre_label`` when given, else ``genre_col``, else ``"genre"``.

    ``genre_label`` is the notebooks' display-label parameter of the grouping column (``"outlet bias rating"``
    for ``genre_col="mbfc"``); empty or ``None``, the column's own name is said (the word ``"genre"`` without one).

    >>> group_label("outlet"), group_label("genre"), group_label(""), group_label(None)
    ('outlet', 'genre', 'genre', 'genre')
    >>> group_label("mbfc", "outlet bias rating"), group_label("mbfc", " ")
    ('outlet bias rating', 'mbfc')
    """
    label = str(genre_label).strip() if genre_label is not None else ""
    name = str(genre_col).strip() if genre_col is not None else ""
    return label or name or GROUP_LABEL


def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """Return the key of natural order: digit runs compare as numbers, the rest as text (``bbc-2`` < ``bbc-11``).

    >>> sorted(["bbc-11", "bbc-2", "bbc-1"], key=natural_key)
    ['bbc-1', 'bbc-2', 'bbc-11']
    """
    import re

    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", name) if part)


def plural(word: str) -> str:
    """Return the English plural of a grouping's name: ``outlets``, ``categories``, ``classes``, ``genres``.

    >>> [plural(w) for w in ("genre", "outlet", "category", "class", "day", "box")]
    ['genres', 'outlets', 'categories', 'classes', 'days', 'boxes']
    """
    if word.endswith("y") and len(word) > 1 and word[-2].lower() not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def with_article(word: str) -> str:
    """Return ``word`` after its indefinite article: ``a genre``, ``an outlet``, ``a period``.

    >>> with_article("outlet"), with_article("genre")
    ('an outlet', 'a genre')
    """
    return ("an " if word[:1].lower() in "aeio" and word[:1] else "a ") + word


def require_tables(corpus: object, func: str, *tables: str) -> None:
    """Raise :class:`~framing.errors.ParameterError` unless ``corpus`` has the tables ``func`` reads.

    A function of a processed corpus given something else (a sentences table, a path) says what it needs, not
    ``AttributeError: 'DataFrame' object has no attribute 'paragraphs'``.

    >>> require_tables([], "kwic", "documents")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    framing.errors.ParameterError: kwic needs a ProcessedCorpus (...) with its documents table; got a list
    """
    missing = [t for t in tables if getattr(getattr(corpus, t, None), "columns", None) is None]
    if missing:
        what = type(corpus).__name__
        names = " and ".join([", ".join(tables[:-1]), tables[-1]] if len(tables) > 1 else tables)
        raise ParameterError(f"{func} needs a ProcessedCorpus (from framing.process_corpus or framing.prepare_corpus) "
                             f"with its {names} table{'s' if len(tables) > 1 else ''}; "
                             f"got a {what}" + (f" without {', '.join(missing)}" if len(missing) < len(tables) else ""))


def text_column(texts: object, name: str = "texts") -> Sequence[Any]:
    """Return the texts of ``texts``: a sequence, or the one column of a one-column table.

    Every estimator and function of :mod:`framing` that takes texts reads them through this one check: a list,
    tuple, Series or 1-D array is returned as it is; a one-column DataFrame or ``(n, 1)`` array (what
    scikit-learn's ``ColumnTransformer`` passes for a list selector such as ``["text"]``) gives its column. A
    single string (whose characters would each be a text) and a table of several columns (whose column names
    would be the texts) are refused, naming ``name``.

    >>> text_column(["a", "b"])
    ['a', 'b']
    >>> text_column("The council failed.")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    framing.errors.ParameterError: texts must be a sequence of texts (one per unit), got a single string...
    """
    if isinstance(texts, str | bytes):
        raise ParameterError(f"{name} must be a sequence of texts (one per unit), got a single string: "
                             "put it in a list")
    columns = getattr(texts, "columns", None)
    if columns is not None:  # a DataFrame
        if len(columns) != 1:
            raise ParameterError(f"{name} must be a sequence of texts, got a DataFrame with {len(columns)} columns "
                                 f"{list(columns)[:5]}: pass one text column")
        return texts.iloc[:, 0]  # type: ignore[attr-defined, no-any-return]
    shape = getattr(texts, "shape", None)
    if shape is not None and len(shape) == 2:
        if shape[1] != 1:
            raise ParameterError(f"{name} must be a sequence of texts, got an array of shape {tuple(shape)}: "
                                 "pass one text column")
        return texts[:, 0]  # type: ignore[index, no-any-return]
    if shape is not None and len(shape) != 1:
        raise ParameterError(f"{name} must be a sequence of texts, got an array of shape {tuple(shape)}")
    return texts  # type: ignore[return-value]


def text_input_tags(tags: Any) -> Any:
    """Mark scikit-learn ``tags`` (from ``super().__sklearn_tags__()``) as those of an estimator of texts.

    ``input_tags.string = True`` and ``two_d_array = False``, as scikit-learn's ``CountVectorizer``: its
    ``check_estimator`` then skips the checks that feed numeric matrices (the text estimators of
    :mod:`framing` read texts through :func:`text_column`, and refuse a numeric matrix with a ParameterError).
    """
    tags.input_tags.string = True
    tags.input_tags.two_d_array = False
    return tags


__all__ = [
    "ACTORS",
    "DEFAULT_ACTORS_LEXICON",
    "DEFAULT_CUES_LEXICON",
    "DEFAULT_FRAMES_LEXICON",
    "DEFAULT_SEED",
    "FRAMES",
    "FRAME_RULES",
    "GENRES",
    "GROUP_LABEL",
    "INSTRUMENT_DEFAULTS",
    "MIN_DOCS",
    "MISSING_GROUP",
    "READING_DEFAULTS",
    "STUDY_BACKENDS",
    "DocId",
    "Frame",
    "LexiconLike",
    "LexiconSpec",
    "PathLike",
    "ProcessedCorpusLike",
    "SeedTerms",
    "Span",
    "group_label",
    "plural",
    "require_tables",
    "text_column",
    "text_input_tags",
    "with_article",
]
