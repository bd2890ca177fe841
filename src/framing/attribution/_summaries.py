"""Tables by genre from the attribution results: quotations, voice, frames by voice, actors, blamers, edges.

Each function takes the tables the analyses return (quotations, sentence voice, actor mentions, blame rows)
and the corpus's documents, and aggregates them; notebook 04 shows and saves what they return.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from framing.attribution._base import AUTHOR
from framing.attribution._blame import blame_network
from framing.attribution._headline import HEADLINE
from framing.errors import ParameterError
from framing.types import ACTORS, FRAMES

__all__ = [
    "QUOTATION_VIEW_COLUMNS",
    "actor_sentences_by_genre",
    "blame_by_voice",
    "blame_network_edges",
    "frames_by_voice",
    "quotation_table",
    "voice_by_genre",
]

QUOTATION_VIEW_COLUMNS: tuple[str, ...] = (
    "doc_id", "genre", "start", "end", "speaker", "speaker_mention", "verb", "rule", "closed", "text",
)


def _genre_of(documents: pd.DataFrame) -> pd.Series:
    return documents.set_index("doc_id")["genre"]


def quotation_table(quotes: pd.DataFrame, documents: pd.DataFrame, *, text_chars: int | None = None) -> pd.DataFrame:
    """Top-level quotations with their genre, their text on one line and ``(unattributed)`` for no speaker.

    Columns :data:`QUOTATION_VIEW_COLUMNS`; nested quotations (``depth`` above 0) are left out. The text is whole
    unless ``text_chars`` is given: then a longer text is cut to that many characters, the last one an ellipsis
    (``…``), so a cut is never mistaken for the quotation's end.
    """
    if text_chars is not None and (isinstance(text_chars, bool) or not isinstance(text_chars, int)
                                   or text_chars < 2):
        raise ParameterError(f"text_chars must be an integer of at least 2 or None, got {text_chars!r}")
    top = quotes[quotes["depth"] == 0]
    text = top["text"].str.replace("\n", " ")
    if text_chars is not None:
        text = text.where(text.str.len() <= text_chars, text.str.slice(0, text_chars - 1) + "…")
    return top.assign(
        genre=top["doc_id"].map(_genre_of(documents)),
        text=text,
        speaker=top["speaker"].fillna("(unattributed)"),
    )[list(QUOTATION_VIEW_COLUMNS)]


def voice_by_genre(
    voice: pd.DataFrame, quotes: pd.DataFrame, documents: pd.DataFrame, genres: Sequence[str]
) -> pd.DataFrame:
    """Quoted voice per genre, one row per genre of ``genres`` (in that order).

    Parameters
    ----------
    voice : DataFrame
        :func:`framing.attribution.sentence_voice` (``doc_id``, ``sent_id``, ``n_quotes``, ``quoted_share``,
        ``voice``).
    quotes : DataFrame
        :func:`framing.attribution.corpus_quotations`; top-level quotations (``depth`` 0) are counted.
    documents : DataFrame
        ``doc_id`` and ``genre``.
    genres : sequence of str
        Genre order of the rows.

    Returns
    -------
    DataFrame
        ``genre``, ``n_sentences``, ``sentences_with_quotes``, ``mean_quoted_share``, ``quoted_sentences``,
        ``quotations`` and ``attributed`` (quotations with a speaker).
    """
    genre_of = _genre_of(documents)
    v = voice.assign(genre=voice["doc_id"].map(genre_of))
    out = (
        v.groupby("genre", sort=False)
        .agg(n_sentences=("sent_id", "size"),
             sentences_with_quotes=("n_quotes", lambda s: int((s > 0).sum())),
             mean_quoted_share=("quoted_share", "mean"),
             quoted_sentences=("voice", lambda s: int((s == "quoted").sum())))
        .reindex(list(genres))
        .reset_index()
    )
    top = quotes[quotes["depth"] == 0]
    top = top.assign(genre=top["doc_id"].map(genre_of))
    out["quotations"] = out["genre"].map(top.groupby("genre").size()).fillna(0).astype(int)
    out["attributed"] = out["genre"].map(top.dropna(subset=["speaker"]).groupby("genre").size()).fillna(0).astype(int)
    return out


def frames_by_voice(
    counts: pd.DataFrame, genres: Sequence[str], frames: Sequence[str] = FRAMES
) -> pd.DataFrame:
    """Sum :func:`framing.attribution.voice_frame_counts` by genre: ``FRAME_authorial``, ``FRAME_quoted``."""
    cols = [f"{f}_{v}" for f in frames for v in ("authorial", "quoted")]
    return counts.groupby("genre", sort=False)[cols].sum().reindex(list(genres)).reset_index()


def actor_sentences_by_genre(
    actors: pd.DataFrame, documents: pd.DataFrame, genres: Sequence[str], names: Sequence[str] = ACTORS
) -> pd.DataFrame:
    """Sentences mentioning each actor (rows ``names``) by genre (columns ``genres``); negated mentions out."""
    a = actors.assign(genre=actors["doc_id"].map(_genre_of(documents)))
    mentions = a[~a["negated"]].drop_duplicates(["doc_id", "sent_id", "actor"])
    return (mentions.groupby(["actor", "genre"]).size().unstack("genre")
            .reindex(index=list(names), columns=list(genres)).fillna(0).astype(int))


def blame_by_voice(blame: pd.DataFrame, genres: Sequence[str]) -> pd.DataFrame:
    """Blame sentences by genre (rows) and voice of the blamer (columns ``author``, ``quoted``, ``reported``, ...).

    A sentence counts once per blamer (several targets of one blamer are one sentence). ``reported``: a
    speaker's blame in reported speech outside quotation marks (the blame table's ``voice``); ``headline``: the
    publication's blame in a document's headline (the blamer :data:`~framing.attribution.HEADLINE`), a column
    only when the table has such a blamer; a table without a ``voice`` column counts every blamer other than the
    author (and the headline) as ``quoted``.
    """
    once = blame.drop_duplicates(["doc_id", "sent_id", "blamer"])
    own = np.where(once["blamer"] == AUTHOR, "author", np.where(once["blamer"] == HEADLINE, HEADLINE, "quoted"))
    if "voice" in once.columns:
        voice = np.where(once["voice"].astype(str) == "reported", "reported", own)
        columns = ["author", "quoted", "reported"]
    else:
        voice, columns = own, ["author", "quoted"]
    if (voice == HEADLINE).any():
        columns.append(HEADLINE)
    return (once.assign(voice=voice).groupby(["genre", "voice"]).size().unstack(fill_value=0)
            .reindex(index=list(genres), columns=columns).fillna(0).astype(int))


def blame_network_edges(blame: pd.DataFrame, genres: Sequence[str], *, level: str = "actor") -> pd.DataFrame:
    """Return the edges of each genre's :func:`framing.attribution.blame_network`.

    Columns ``genre``, ``blamer``, ``target``, ``sentences`` (the edge weight).
    """
    rows = []
    for genre in genres:
        graph = blame_network(blame, genre=genre, level=level)
        rows += [{"genre": genre, "blamer": s, "target": t, "sentences": d["weight"]}
                 for s, t, d in graph.edges(data=True)]
    return pd.DataFrame(rows, columns=["genre", "blamer", "target", "sentences"])
