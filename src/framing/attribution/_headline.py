"""Headlines: the sentences of a document that its publication wrote, not the author of its body.

A headline (a title line) is written by the publication (its editors, the site that republished the text), not by
the author of the body, so the blame it voices is the blamer :data:`HEADLINE`, not ``author``. A document's headline
is found from what the corpus already knows (``docs/attribution.md``, section 5):

1. **the title**: the documents table has a ``title`` column (``metadata.csv`` of a folder, a table corpus's
   column) and the document's title is not blank: the headline is the first of its *leading* paragraphs (the first
   content paragraph and those after it while every paragraph before is a heading, so a date line or a kicker may
   come first) whose text equals the title, compared case-insensitively with quotation marks, apostrophes and dashes
   of either kind made one, runs of whitespace made one space and final punctuation dropped;
2. otherwise **the heading flag**: the document's first content paragraph when the segmenter reads it as a heading
   (``paragraphs.is_heading``: one short sentence without final punctuation, no bullet).

Every sentence of that paragraph is headline. One vectorised pass over the paragraphs table (pandas string methods
on whole paragraphs), no loop over documents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from framing.attribution._base import AUTHOR
from framing.types import ProcessedCorpusLike, require_tables

__all__ = ["HEADLINE", "headline_sentences"]

HEADLINE = "headline"
"""The blamer of a cue in a document's headline outside any quotation or reported speech: the publication."""

_SAME = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
                       "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                       "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u00a0": " "})
_FINAL = " \t\r\n.!?:;,\u2026"


def _normal(text: pd.Series) -> pd.Series:
    """Title and paragraph text as compared: marks of either kind made one, spaces collapsed, case folded."""
    s = text.fillna("").astype(str).str.translate(_SAME).str.replace(r"\s+", " ", regex=True)
    return s.str.strip().str.rstrip(_FINAL).str.casefold()


def headline_sentences(corpus: ProcessedCorpusLike) -> pd.DataFrame:
    """Return the headline sentences of the corpus: ``doc_id``, ``sent_id``, ``para_id``, ``rule``.

    ``rule`` is ``title`` (the leading paragraph equal to the document's ``title``) or ``heading`` (no title, or
    none equal to it: the first content paragraph when ``is_heading``); see the module docstring. A document with
    neither has no headline. Rows in the order of the sentences table.
    """
    require_tables(corpus, "headline_sentences", "documents", "paragraphs", "sentences")
    docs, paras, sents = corpus.documents, corpus.paragraphs, corpus.sentences
    empty = pd.DataFrame({"doc_id": pd.Series(dtype=sents["doc_id"].dtype), "sent_id": pd.Series(dtype=np.int64),
                          "para_id": pd.Series(dtype=np.int64), "rule": pd.Series(dtype=str)})
    # content paragraphs only (those holding a content sentence), in document order
    content = sents[["doc_id", "para_id"]].drop_duplicates()
    p = paras[["doc_id", "para_id", "text", "is_heading"]].merge(content, on=["doc_id", "para_id"])
    if p.empty:
        return empty
    p = p.sort_values(["doc_id", "para_id"], kind="stable").reset_index(drop=True)
    heading = p["is_heading"].astype(bool)
    rank = p.groupby("doc_id", sort=False).cumcount()
    # leading: no body paragraph (not a heading) before it in its document
    body_before = (~heading).astype(np.int64).groupby(p["doc_id"], sort=False).cumsum() - (~heading).astype(np.int64)
    leading = body_before == 0
    chosen = pd.Series("", index=p.index, dtype=object)
    if "title" in docs.columns:
        lead = p[leading]  # only the leading paragraphs are compared (one or two a document)
        title = _normal(lead["doc_id"].map(docs.drop_duplicates("doc_id").set_index("doc_id")["title"]))
        match = pd.Series(False, index=p.index)
        match[lead.index] = (title != "") & (_normal(lead["text"]) == title)
        first_match = match & ~match.astype(np.int64).groupby(p["doc_id"], sort=False).cumsum().gt(1)
        chosen[first_match] = "title"
        has_title_match = first_match.groupby(p["doc_id"], sort=False).transform("any")
    else:
        has_title_match = pd.Series(False, index=p.index)
    chosen[(rank == 0) & heading & ~has_title_match] = "heading"
    picked = p.loc[chosen != "", ["doc_id", "para_id"]].assign(rule=chosen[chosen != ""].astype(str))
    if picked.empty:
        return empty
    out = sents[["doc_id", "sent_id", "para_id"]].merge(picked, on=["doc_id", "para_id"])
    out["sent_id"] = out["sent_id"].astype(np.int64)
    out["para_id"] = out["para_id"].astype(np.int64)
    return out.reset_index(drop=True)


def in_headline(headlines: pd.DataFrame, spans: pd.DataFrame) -> np.ndarray:
    """Return True for each row of ``spans`` (``doc_id``, ``sent_id``) that lies in a headline sentence."""
    if headlines.empty or spans.empty:
        return np.zeros(len(spans), dtype=bool)
    keys = pd.MultiIndex.from_frame(headlines[["doc_id", "sent_id"]].astype({"sent_id": np.int64}))
    probe = pd.MultiIndex.from_frame(spans[["doc_id", "sent_id"]].astype({"sent_id": np.int64}))
    return np.asarray(probe.isin(keys), dtype=bool)


def headline_voices(voice: np.ndarray, spans: pd.DataFrame, headlines: pd.DataFrame | None) -> np.ndarray:
    """Give the author's spans (``doc_id``, ``sent_id``) in a headline sentence the voice :data:`HEADLINE`.

    The one rule of the ``headline_voice`` switch, for the blamers of :func:`~framing.attribution.blame_attribution`
    and the speakers of :func:`~framing.attribution.blame_avoidance` alike: quoted and reported speech in a headline
    keep their speakers; ``headlines`` None (``headline_voice=False``) changes nothing.
    """
    if headlines is None:
        return voice
    out: np.ndarray = np.where((np.asarray(voice, dtype=object) == AUTHOR) & in_headline(headlines, spans),
                               HEADLINE, voice).astype(object)
    return out
