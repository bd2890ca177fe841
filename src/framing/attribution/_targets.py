"""Blame targets: which actors of a blame sentence it holds responsible.

A target is an actor mention (not negated, not inside a reporting clause) in the same clause as a blame
cue or a frame hit of the same voice and at most ``window`` words from it. Positions are turned into word
and clause numbers with one regular-expression pass per document and :func:`numpy.searchsorted`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["CLAUSE_BOUNDARY", "TARGET_RULES", "near_pairs"]

TARGET_RULES: tuple[str, ...] = ("responsible", "mentioned")
"""``responsible``: actors near a cue or frame hit in the same clause; ``mentioned``: every actor of the
sentence (the rule before version 2, kept for comparison)."""

CLAUSE_BOUNDARY = r"[;:\u2014\u2013]|\s-\s|\(|\)|\b(?:but|whereas|while|although|though|yet|because)\b"
"""What separates clauses for the target rule: ``; :``, dashes, brackets and contrastive or causal
conjunctions. Commas do not (appositions and lists stay in their clause)."""

_BOUNDARY_RE = re.compile(CLAUSE_BOUNDARY, re.IGNORECASE)
_WORD_RE = re.compile(r"\w+")


class _Positions:
    """Word and clause numbers of character offsets in one document text."""

    def __init__(self, text: str) -> None:
        self.words = np.fromiter((m.start() for m in _WORD_RE.finditer(text)), dtype=np.int64)
        self.bounds = np.fromiter((m.start() for m in _BOUNDARY_RE.finditer(text)), dtype=np.int64)

    def word(self, pos: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.words, pos, side="right") - 1

    def clause(self, pos: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.bounds, pos, side="right")


def near_pairs(text: str, actors: pd.DataFrame, anchors: pd.DataFrame, window: int) -> pd.DataFrame:
    """Pairs (actor mention, anchor) of the same sentence that are in one clause within ``window`` words.

    Parameters
    ----------
    text : str
        The document's raw text.
    actors : DataFrame
        sent_id, start, end, actor (one document).
    anchors : DataFrame
        sent_id, start, end, blamer (cue and frame hits of one document).
    window : int
        Largest number of words between the two spans (0: adjacent or overlapping).

    Returns
    -------
    pandas.DataFrame
        The merged rows (actor columns, anchor columns suffixed ``_anchor``) that satisfy the rule.
    """
    pos = _Positions(text)
    pairs = actors.merge(anchors, on="sent_id", suffixes=("", "_anchor"))
    if pairs.empty:
        return pairs
    a0, a1 = pairs["start"].to_numpy(np.int64), pairs["end"].to_numpy(np.int64)
    c0, c1 = pairs["start_anchor"].to_numpy(np.int64), pairs["end_anchor"].to_numpy(np.int64)
    wa0, wa1, wc0, wc1 = pos.word(a0), pos.word(a1 - 1), pos.word(c0), pos.word(c1 - 1)
    gap = np.maximum(0, np.maximum(wc0 - wa1, wa0 - wc1) - 1)
    lo, hi = np.minimum(a0, c0), np.maximum(a1, c1)
    same_clause = pos.clause(lo) == pos.clause(hi - 1)
    overlap = (a0 < c1) & (c0 < a1)
    return pairs[(same_clause & (gap <= window)) | overlap]
