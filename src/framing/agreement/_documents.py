"""Document level: aggregating sentence frames to documents, reading True/False hand codes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from framing.agreement._metrics import _prf
from framing.errors import ParameterError
from framing.types import FRAMES


def document_predictions(
    table: pd.DataFrame,
    frames: Sequence[str] = FRAMES,
    *,
    threshold: float = 1,
    measure: Literal["sentences", "hits", "share"] = "sentences",
    documents: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Aggregate a sentence-level frame table to documents and threshold it.

    Parameters
    ----------
    table : pandas.DataFrame
        Sentence-level table with ``doc_id``, one 0/1 column per frame and (for ``measure="hits"``)
        ``n_<frame>`` hit counts, as from :func:`framing.scoring.frame_table`.
    frames : sequence of str
        Frame columns.
    threshold : float, default 1
        A document carries a frame when its score is ``>= threshold``.
    measure : {"sentences", "hits", "share"}, default "sentences"
        Score per document: number of sentences with the frame, number of lexicon hits, or share of
        the document's content sentences with the frame.
    documents : iterable of str, optional
        All document ids, so that documents without content sentences get score 0.

    Returns
    -------
    pandas.DataFrame
        doc_id, one 0/1 column per frame, and ``score_<frame>`` with the score thresholded.
    """
    if measure not in ("sentences", "hits", "share"):
        raise ParameterError(f"measure={measure!r} must be 'sentences', 'hits' or 'share'")
    cols = [f"n_{f}" for f in frames] if measure == "hits" else list(frames)
    missing = [c for c in ("doc_id", *cols) if c not in table.columns]
    if missing:
        raise ParameterError(f"table lacks column(s) {', '.join(map(repr, missing))} for measure={measure!r}")
    grouped = table.assign(doc_id=table["doc_id"].astype(str)).groupby("doc_id", sort=True)[cols]
    scores = grouped.mean() if measure == "share" else grouped.sum()
    scores.columns = [f"score_{f}" for f in frames]
    if documents is not None:
        scores = scores.reindex(sorted({*map(str, documents), *scores.index}), fill_value=0)
    out = pd.DataFrame(index=scores.index)
    for f in frames:
        out[f] = (scores[f"score_{f}"] >= threshold).astype("int8")
    out = pd.concat([out, scores.astype(float)], axis=1)
    return out.reset_index().rename(columns={"index": "doc_id"})


def threshold_curve(
    scores: pd.DataFrame,
    gold: pd.DataFrame,
    frames: Sequence[str],
    thresholds: Sequence[float],
) -> pd.DataFrame:
    """Precision, recall and F1 per frame as the document threshold varies.

    ``scores`` has doc_id and ``score_<frame>`` (from :func:`document_predictions`); ``gold`` has doc_id
    and one 0/1 column per frame (missing allowed). Returns frame, threshold, precision, recall, f1,
    predicted (number of positive predictions). Choosing the threshold on the same codes the metrics
    are computed on overstates performance: use it to describe sensitivity, not to tune.
    """
    score_cols = [f"score_{f}" for f in frames]
    merged = gold[["doc_id", *frames]].merge(scores[["doc_id", *score_cols]], on="doc_id", how="inner")
    rows = []
    for f in frames:
        g = merged[f].to_numpy(dtype=float, na_value=np.nan)
        s = merged[f"score_{f}"].to_numpy(dtype=float)
        valid = ~np.isnan(g)
        th = np.asarray(thresholds, dtype=float)
        p = (s[None, :] >= th[:, None]) & valid[None, :]
        pos = (g == 1) & valid
        tp = (p & pos).sum(axis=1).astype(float)
        fp = (p & ~pos).sum(axis=1).astype(float)
        fn = (~p & pos[None, :]).sum(axis=1).astype(float)
        precision, recall, f1 = _prf(tp, fp, fn)
        rows.append(
            pd.DataFrame(
                {
                    "frame": f,
                    "threshold": th,
                    "precision": precision,
                    "recall": recall,
                    "f1": f1,
                    "predicted": (tp + fp).astype(int),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def parse_binary_codes(
    table: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    id_col: str = "doc_id",
    true_values: Iterable[str] = ("true", "1", "yes"),
    false_values: Iterable[str] = ("false", "0", "no"),
    coder: str = "human",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read binary hand codes (True/False, 1/0, yes/no) from a metadata table, reporting bad cells.

    Cells are compared case-insensitively after stripping spaces; anything else (blank, ``False)``,
    ``maybe``) is a missing value and reported, never guessed.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per document, e.g. ``corpus.documents``.
    columns : mapping of str to str
        Source column -> frame name (e.g. ``{"RE": "resolution", ...}``).
    id_col : str, default "doc_id"
        Document id column.
    true_values, false_values : iterable of str
        Accepted spellings (lower case).
    coder : str, default "human"
        Value of the ``coder`` column of the result.

    Returns
    -------
    (codes, problems) : tuple of pandas.DataFrame
        ``codes``: doc_id, one nullable Int8 column per frame, coder — ready for :func:`agreement`
        with ``unit_cols=("doc_id",)``. ``problems``: doc_id, row (0-based position in ``table``),
        column, value for every cell that is not a valid code.
    """
    missing = [c for c in (id_col, *columns) if c not in table.columns]
    if missing:
        raise ParameterError(f"table lacks column(s) {', '.join(map(repr, missing))}")
    trues = {str(v).lower() for v in true_values}
    falses = {str(v).lower() for v in false_values}
    codes = pd.DataFrame({"doc_id": table[id_col].astype(str).to_numpy()})
    problems = []
    for src, frame in columns.items():
        raw = table[src]
        text = raw.astype("string").str.strip().str.lower().fillna("")
        # booleans (already parsed by a reader) map directly
        is_true = text.isin(trues).to_numpy()
        is_false = text.isin(falses).to_numpy()
        vals = np.where(is_true, 1, np.where(is_false, 0, -1))
        codes[frame] = pd.Series(vals).where(vals >= 0).astype("Int8")
        for i in np.flatnonzero(vals < 0):
            problems.append(
                {
                    "doc_id": codes["doc_id"].iloc[i],
                    "row": int(i),
                    "column": src,
                    "value": "" if pd.isna(raw.iloc[i]) else str(raw.iloc[i]),
                }
            )
    codes["coder"] = coder
    return codes, pd.DataFrame(problems, columns=["doc_id", "row", "column", "value"])
