"""The data side of :class:`framing.classifier.FrameClassifier`: its inputs, features' helpers and document CV.

Private to :mod:`framing.classifier`, which re-exports the public names (:func:`macro_f1`,
:func:`document_folds`, :func:`out_of_fold_labels`): the sentences table and codes a model reads (``X`` and
``y`` matched on ``doc_id``/``sent_id``), the count blocks and previous-row index of the features, the digest
of a case file as ``fit`` read it, and cross-validation that never puts one document on both sides.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.errors import ParameterError

if TYPE_CHECKING:
    from framing.classifier import FrameClassifier

__all__ = ["document_folds", "macro_f1", "out_of_fold_labels"]

_ID_COLS = ("doc_id", "sent_id", "start", "end", "text")


def macro_f1(codes: np.ndarray, pred: np.ndarray) -> float:
    """Macro-F1 of 0/1 predictions against 0/1/NaN codes (see :meth:`FrameClassifier.score`)."""
    coded = ~np.isnan(codes)
    truth = coded & (np.nan_to_num(codes) == 1)
    said = coded & (pred == 1)
    tp = (truth & said).sum(axis=0)
    denom = truth.sum(axis=0) + said.sum(axis=0)
    f1 = 2 * tp[denom > 0] / denom[denom > 0]
    return float(f1.mean()) if len(f1) else 1.0


def _sentences_table(X: Any) -> pd.DataFrame:
    sents = getattr(X, "sentences", X)
    if not isinstance(sents, pd.DataFrame):
        raise ParameterError(f"X must be a sentences DataFrame or a ProcessedCorpus, got {type(X).__name__}")
    missing = [c for c in _ID_COLS if c not in sents.columns]
    if missing:
        raise ParameterError(f"sentences table lacks column(s) {missing} (needs {list(_ID_COLS)})")
    if sents.duplicated(["doc_id", "sent_id"]).any():
        raise ParameterError("sentences table has duplicate (doc_id, sent_id) rows")
    return sents.reset_index(drop=True)


def _codes_in_order_of(y: pd.DataFrame, sents: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``y`` in the order of ``sents``, matched on ``doc_id``/``sent_id`` when ``y`` has both.

    A ``y`` without the key columns is taken in row order. With them, every sentence of ``sents`` must have
    exactly one row of ``y`` and every row of ``y`` a sentence: otherwise a :class:`ParameterError` names the
    first key that has no partner (or is repeated).
    """
    if not {"doc_id", "sent_id"} <= set(y.columns):
        return y
    y_sent = pd.to_numeric(y["sent_id"], errors="coerce")
    bad = np.flatnonzero((y_sent.isna() | (y_sent != y_sent.round())).to_numpy())
    if len(bad):
        raise ParameterError(f"y column 'sent_id' must hold whole numbers, got {y['sent_id'].iloc[bad[0]]!r} "
                             f"(row {bad[0]})")
    y_keys = pd.MultiIndex.from_arrays([y["doc_id"].astype(str).to_numpy(), y_sent.to_numpy(dtype=np.int64)])
    x_keys = pd.MultiIndex.from_arrays([sents["doc_id"].astype(str).to_numpy(),
                                        sents["sent_id"].to_numpy(dtype=np.int64)])

    def key(keys: pd.MultiIndex, where: np.ndarray) -> str:
        doc, sent = keys[int(np.flatnonzero(where)[0])]
        return f"(doc_id, sent_id) ({doc!r}, {sent})"

    if y_keys.duplicated().any():
        raise ParameterError(f"y has two rows for sentence {key(y_keys, y_keys.duplicated())}")
    pos = y_keys.get_indexer(x_keys)
    if (pos < 0).any():
        raise ParameterError(f"y has no row for sentence {key(x_keys, pos < 0)} of X: give the codes of the "
                             "sentences of X (NaN where not coded)")
    if len(y_keys) > len(x_keys):
        raise ParameterError(f"y has a row for sentence {key(y_keys, ~y_keys.isin(x_keys))}, which is not in X")
    return y.iloc[pos]


def _count_block(hits: pd.DataFrame, keys: pd.MultiIndex, categories: Sequence[str]) -> np.ndarray:
    """(rows x 2*categories) counts of non-negated, then negated, hits per sentence row of ``keys``."""
    out = np.zeros((len(keys), 2 * len(categories)), dtype=np.float64)
    if hits.empty:
        return out
    rows = keys.get_indexer(pd.MultiIndex.from_frame(hits[["doc_id", "sent_id"]]))
    cols = hits["category"].map({c: i for i, c in enumerate(categories)}).to_numpy(dtype=float, na_value=np.nan)
    ok = (rows >= 0) & ~np.isnan(cols)
    cols = cols[ok].astype(np.int64) + len(categories) * hits["negated"].to_numpy(dtype=bool)[ok]
    np.add.at(out, (rows[ok], cols), 1.0)
    return out


def _neighbour_row(sents: pd.DataFrame, step: int = -1) -> np.ndarray:
    """Index of the previous (``step=-1``) or next (``step=1``) sentence of the same paragraph, else -1.

    Sentences are ordered by ``sent_id`` within each document; without ``para_id`` the paragraph is the document.
    """
    order = np.lexsort((sents["sent_id"].to_numpy(), sents["doc_id"].astype(str).to_numpy()))
    doc = sents["doc_id"].astype(str).to_numpy()[order]
    same = np.zeros(len(order), dtype=bool)  # same[i]: sorted rows i-1 and i share a paragraph
    same[1:] = doc[1:] == doc[:-1]
    if "para_id" in sents.columns:
        para = sents["para_id"].to_numpy()[order]
        same[1:] &= para[1:] == para[:-1]
    if step == -1:
        near_sorted = np.where(same, np.concatenate(([-1], order[:-1])), -1)
    elif step == 1:
        near_sorted = np.where(np.concatenate((same[1:], [False])), np.concatenate((order[1:], [-1])), -1)
    else:
        raise ParameterError(f"step must be -1 or 1, got {step!r}")
    near = np.full(len(order), -1, dtype=np.int64)
    near[order] = near_sorted
    return near


class _Features:
    """Features of one sentences table, with the rule table and hits they came from."""

    def __init__(self, sents: pd.DataFrame, matrix: np.ndarray, names: list[str], rule: pd.DataFrame,
                 hits: pd.DataFrame, prev: np.ndarray, frames: list[str], following: np.ndarray | None = None) -> None:
        self.sents, self.matrix, self.names, self.rule = sents, matrix, names, rule
        self.hits, self.prev, self.frames = hits, prev, frames
        self.following = following  # rows of the next sentences when the features use them, else None


def _case_digest(case: Any) -> str | None:
    """SHA-256 of a case's file (None without a case, or for a case not read from a file)."""
    from framing.io import sha256_file

    source = None if case is None or getattr(case, "source", None) is None else Path(case.source)
    return sha256_file(source) if source is not None and source.is_file() else None


# --- cross-validation by document -------------------------------------------------------------------------


def document_folds(groups: Sequence[Any] | np.ndarray | pd.Series, n_splits: int | None = None
                   ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Train/test row indices that never put one document on both sides.

    ``n_splits=None`` (default) is leave-one-document-out (:class:`sklearn.model_selection.LeaveOneGroupOut`);
    an integer uses :class:`sklearn.model_selection.GroupKFold`. Both are deterministic.
    """
    from sklearn.model_selection import GroupKFold, LeaveOneGroupOut

    g = np.asarray(pd.Series(groups).astype(str))
    n_groups = len(np.unique(g))
    if n_groups < 2:
        raise ParameterError(f"cross-validation by document needs at least two documents, got {n_groups}")
    if n_splits is None:
        splitter: Any = LeaveOneGroupOut()
    else:
        if isinstance(n_splits, bool) or not isinstance(n_splits, int) or not 2 <= n_splits <= n_groups:
            raise ParameterError(f"n_splits must be an integer from 2 to the number of documents ({n_groups}), "
                                 f"got {n_splits!r}")
        splitter = GroupKFold(n_splits=n_splits)
    dummy = np.zeros((len(g), 1))
    return [(np.asarray(tr), np.asarray(te)) for tr, te in splitter.split(dummy, groups=g)]


def out_of_fold_labels(estimator: FrameClassifier, X: Any, y: Any, *, n_splits: int | None = None,
                       evaluate: Sequence[bool] | np.ndarray | None = None) -> pd.DataFrame:
    """Label every sentence with a clone of ``estimator`` fitted on the other documents.

    Parameters
    ----------
    estimator : FrameClassifier
        Cloned for each fold (its parameters are not changed).
    X, y : as for :meth:`FrameClassifier.fit`
        All sentences of the documents, and their codes (NaN where not coded).
    n_splits : int or None
        See :func:`document_folds` (None: leave one document out).
    evaluate : boolean array, optional
        Rows whose documents may be held out (default all). Documents with no ``True`` row are always in
        training (for example a second training corpus that is not being scored).

    Returns
    -------
    DataFrame
        :meth:`FrameClassifier.label_table` rows of the held-out sentences, in the order of ``X``, plus
        ``fold``.
    """
    from sklearn.base import clone

    sents = _sentences_table(X)
    # codes in the rows of X (matched on doc_id/sent_id when y has them), so each fold takes its own sentences' codes
    yy = _codes_in_order_of(y, sents).reset_index(drop=True) if isinstance(y, pd.DataFrame) \
        else np.asarray(y, dtype=float)
    mask = np.ones(len(sents), dtype=bool) if evaluate is None else np.asarray(evaluate, dtype=bool)
    docs = sents["doc_id"].astype(str).to_numpy()
    held_docs = np.unique(docs[mask])
    heldable = np.isin(docs, held_docs)
    folds = document_folds(docs[heldable], n_splits)
    always = np.flatnonzero(~heldable)
    idx_heldable = np.flatnonzero(heldable)
    parts = []
    for k, (tr, te) in enumerate(folds):
        train = np.sort(np.concatenate([idx_heldable[tr], always]))
        test = idx_heldable[te]
        model = clone(estimator)
        y_tr = yy.iloc[train] if isinstance(yy, pd.DataFrame) else yy[train]
        model.fit(sents.iloc[train], y_tr)
        part = model.label_table(sents.iloc[test]).assign(fold=k, _row=test)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True).sort_values("_row", kind="stable")
    return out.drop(columns="_row").reset_index(drop=True)
