"""Tests for framing.shares: lexicon and coders' frame shares by genre, on the same sentences."""

from __future__ import annotations

import pandas as pd
import pytest

from framing.errors import ParameterError
from framing.shares import coded_frame_shares


def test_coded_frame_shares_by_hand() -> None:
    documents = pd.DataFrame({"doc_id": ["n1", "b1"], "genre": ["news", "blog"]})
    # four coded sentences: n1/0, n1/1, b1/0, b1/1; two coders who disagree once (n1/1, individual)
    codes = pd.DataFrame({
        "doc_id": ["n1", "n1", "b1", "b1"] * 2,
        "sent_id": [0, 1, 0, 1] * 2,
        "coder": ["ann"] * 4 + ["bob"] * 4,
        "individual": [1, 1, 0, 0, 1, 0, 0, 0],
        "systemic": [0, 0, 1, 1, 0, 0, 1, 1],
    })
    # the lexicon labels one uncoded sentence too (n1/2): it must not count
    predicted = pd.DataFrame({
        "doc_id": ["n1", "n1", "n1", "b1", "b1"], "sent_id": [0, 1, 2, 0, 1],
        "individual": [1, 0, 1, 0, 0], "systemic": [0, 0, 1, 1, 0],
    })
    out = coded_frame_shares(codes, predicted, documents, ["individual", "systemic"])
    got = {(r.genre, r.frame, r.source): (r.share, r.n_sentences) for r in out.itertuples()}
    assert got[("news", "individual", "lexicon")] == (0.5, 2)  # n1/0 only; n1/2 is not coded
    assert got[("news", "individual", "ann")] == (1.0, 2)
    assert got[("news", "individual", "bob")] == (0.5, 2)
    assert got[("news", "individual", "majority")] == (1.0, 1)  # n1/1 disagreed: left out
    assert got[("blog", "systemic", "lexicon")] == (0.5, 2)
    assert got[("blog", "systemic", "majority")] == (1.0, 2)
    # order: genres as in documents, then frames, then lexicon, coders, majority
    assert list(out["genre"].unique()) == ["news", "blog"]
    assert list(out[(out.genre == "news") & (out.frame == "individual")]["source"]) == [
        "lexicon", "ann", "bob", "majority"]


def test_coded_frame_shares_names_a_missing_column() -> None:
    docs = pd.DataFrame({"doc_id": ["d"], "genre": ["news"]})
    codes = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "coder": ["a"]})
    with pytest.raises(ParameterError, match=r"codes lacks column\(s\) \['individual'\]"):
        coded_frame_shares(codes, codes, docs, ["individual"])
