"""Tests for the scope of framing.attribution.blame_attribution's work: what it leaves out changes nothing.

``blame_attribution`` finds quotations, actors, frames and reporting clauses only where a blame row can come from
(the documents where a blame sentence can have a target; the clauses near the blame sentences that mention an
actor). Each test compares that with the whole search (the tables computed for the whole corpus and passed in),
and checks by hand the rows a reader expects.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pandas.testing as pdt
from test_attribution import _corpus

from framing.attribution import (
    NoBlameCuesWarning,
    UnclosedQuotationWarning,
    actor_mentions,
    blame_attribution,
    corpus_quotations,
    reporting_clauses,
)
from framing.attribution._clauses import _reporting_clauses
from framing.attribution._targets import _WORD_RE, Offsets, overlaps
from framing.corpus import select_documents
from framing.scoring import frame_table

DOCS = [
    # a clause whose apposition runs over a full stop, then a colon clause and a semicolon
    ("n1", "news", "The panel met; Jane Roe, the chair of the panel. and its head, said the council failed the "
                   "child. Nothing else happened: Ed Balls thundered: the agency failed."),
    # no blame cue at all
    ("n2", "news", "The weather was fine. Everyone went home."),
    # a blame cue but no actor: no row can come from it
    ("b1", "blog", "It all failed. Nobody knows why."),
    # a quotation, a pronoun antecedent, a labelled speech
    ("b2", "blog", "The Director spoke. She said the police failed. “The council failed,” said Ms Roe.\n\n"
                   "Mr Smith (Con): I said that the social workers failed."),
]


def _whole(pc) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    q = corpus_quotations(pc)
    return blame_attribution(pc, quotes=q, actors=actor_mentions(pc, quotes=q), clauses=reporting_clauses(pc, q),
                             frames=frame_table(pc))


def test_blame_in_scope_equals_the_whole_search(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, DOCS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoBlameCuesWarning)
        warnings.simplefilter("ignore", UnclosedQuotationWarning)
        scoped, whole = blame_attribution(pc), _whole(pc)
    pdt.assert_frame_equal(scoped, whole)
    got = {(r.doc_id, r.blamer, r.target) for r in scoped.itertuples(index=False)}
    # by hand: Ed Balls's colon clause reports the agency's failure, Ms Roe's quotation and Mr Smith's labelled speech
    # the council's and the social workers'; Jane Roe's clause starts in the sentence before the one it reports
    # (the segmenter ends one after "panel."), and reported speech is read within a sentence: the author's
    assert ("n1", "author", "council") in got and ("n1", "Ed Balls", "agencies") in got
    assert ("b2", "Ms Roe", "council") in got and ("b2", "Mr Smith", "social_workers") in got
    assert not {d for d, _, _ in got} & {"n2", "b1"}


def _overlapping(clauses: pd.DataFrame, span: pd.DataFrame) -> pd.DataFrame:
    keep = overlaps(clauses["start"].to_numpy(), clauses["end"].to_numpy(), span["start"].to_numpy(),
                    span["end"].to_numpy())
    return clauses[keep].reset_index(drop=True)


def test_clauses_near_spans_are_those_of_the_whole_search(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, DOCS[:1])
    text = DOCS[0][2]
    sents = pc.sentences[["doc_id", "start", "end"]]
    # the segmenter ends a sentence after "panel.": Jane Roe's clause starts in sentence 0 and ends in sentence 1
    assert text[int(sents["start"].iloc[1]):].startswith("and its head")
    whole = reporting_clauses(pc)
    expected = [["Jane Roe, the chair of the panel. and its head, said"],
                ["Jane Roe, the chair of the panel. and its head, said"], ["Ed Balls thundered:"]]
    for k in range(3):
        span = sents.iloc[k:k + 1]
        near = _overlapping(_reporting_clauses(pc, within=span), span)
        pdt.assert_frame_equal(near, _overlapping(whole, span))
        assert [text[r.start:r.end] for r in near.itertuples(index=False)] == expected[k]


def test_words_counted_in_spans_are_those_of_the_whole_text() -> None:
    text = "A long-winded text; word_count: 42 words.\nAnother line here."
    off = Offsets(["d"], [text])
    spans = pd.DataFrame({"doc_id": ["d", "d"], "start": [2, 42], "end": [34, 60]})
    whole = off.positions(["d"], _WORD_RE)
    inside = whole[((whole >= 2) & (whole < 34)) | ((whole >= 42) & (whole < 60))]
    np.testing.assert_array_equal(off.positions_in(spans, _WORD_RE), inside)
    assert [text[i] for i in inside] == ["l", "w", "t", "w", "4", "A", "l", "h"]


def test_quotations_of_the_whole_corpus_with_the_scoped_documents_cast_nothing(tmp_path: Path) -> None:
    # the notebook's call: quotations found for the whole corpus, passed to blame_attribution, which searches
    # clauses only in the documents where a blame sentence can have a target. "q1" has an attributed quotation
    # but no blame cue: its clause has no sentence among those documents (a NaN document code cast to int before)
    docs = [*DOCS, ("q1", "blog", "“It was a fine day,” said Ms Roe. She went home.")]
    pc = _corpus(tmp_path, docs)
    quotes = corpus_quotations(pc)
    assert "q1" in set(quotes["doc_id"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.simplefilter("ignore", NoBlameCuesWarning)
        passed = blame_attribution(pc, quotes=quotes)
        part = select_documents(pc, ["n1"])
        from_whole, own = _reporting_clauses(part, quotes), _reporting_clauses(part)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoBlameCuesWarning)
        warnings.simplefilter("ignore", UnclosedQuotationWarning)
        pdt.assert_frame_equal(passed, _whole(pc))
    assert "q1" not in set(passed["doc_id"])
    # a part's clauses are its own, whichever quotations are passed: Jane Roe's and Ed Balls's in n1
    pdt.assert_frame_equal(from_whole, own)
    assert set(from_whole["doc_id"]) == {"n1"} and {"Ed Balls thundered:"} <= {
        DOCS[0][2][r.start:r.end] for r in from_whole.itertuples(index=False)}
