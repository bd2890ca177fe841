"""Topic coherence (UMass, NPMI) from co-occurrence of each topic's top terms within the units."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from framing.errors import ParameterError, TopicModelError
from framing.topics._base import _check_choice

__all__ = ["coherence"]


def coherence(top_terms: np.ndarray | Sequence[Sequence[int]], doc_term: Any, measure: str = "npmi") -> np.ndarray:
    """Topic coherence from document co-occurrence of each topic's top terms within the units.

    Let N be the number of units (rows of ``doc_term``), D(w) the number of units containing term w and
    D(w, v) the number containing both. For the top terms w_1..w_M of a topic (ordered by weight):

    * ``"umass"`` (Mimno et al. 2011): mean over pairs m > l of ``log((D(w_m, w_l) + 1) / D(w_l))``
      (the higher-ranked term conditions). Units with D(w_l) = 0 (a term absent from ``doc_term``)
      use D(w_l) = 1.
    * ``"npmi"`` (Bouma 2009; Aletras & Stevenson 2013): mean over pairs of
      ``log(P(w, v) / (P(w) P(v))) / -log P(w, v)`` with P = D / N; a pair that never co-occurs
      scores -1, a pair present in every unit scores 1.

    Parameters
    ----------
    top_terms : array of int, shape (k, M)
        Column indices of each topic's top terms, heaviest first (M >= 2).
    doc_term : sparse or dense matrix, shape (N, n_terms)
        Term counts (any value > 0 counts as presence).
    measure : {"npmi", "umass"}

    Returns
    -------
    ndarray, shape (k,)
    """
    _check_choice("measure", measure, ("npmi", "umass"))
    top = np.asarray(top_terms, dtype=np.int64)
    if top.ndim != 2 or top.shape[1] < 2:
        raise ParameterError(f"top_terms must be a (k, M) array with M >= 2, got shape {top.shape}")
    b = sp.csc_matrix(doc_term)
    b = sp.csc_matrix((b != 0).astype(np.float64))
    n_units = b.shape[0]
    if n_units == 0:
        raise TopicModelError("coherence needs at least one unit (doc_term has no rows)")
    m = top.shape[1]
    rows, cols = np.triu_indices(m, k=1)  # rows = higher-ranked (l), cols = lower-ranked (m)
    out = np.empty(top.shape[0])
    for t, idx in enumerate(top):  # loop over topics only; pairs are vectorised
        sub = b[:, idx]
        co = np.asarray((sub.T @ sub).todense())
        d = np.diag(co)
        d_lm = co[rows, cols]
        if measure == "umass":
            out[t] = float(np.mean(np.log((d_lm + 1.0) / np.maximum(d[rows], 1.0))))
        else:
            p_ij = d_lm / n_units
            p_i = d[rows] / n_units
            p_j = d[cols] / n_units
            with np.errstate(divide="ignore", invalid="ignore"):
                pmi = np.log(p_ij / (p_i * p_j))
                npmi = pmi / -np.log(p_ij)
            npmi = np.where(d_lm == 0, -1.0, npmi)
            npmi = np.where(d_lm == n_units, 1.0, npmi)
            out[t] = float(np.mean(npmi))
    return out


# --------------------------------------------------------------------------------------------------
