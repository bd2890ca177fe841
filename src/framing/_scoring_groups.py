"""Document and group scores of a frames table: :func:`document_scores`, :func:`group_scores`, :func:`bootstrap_shares`.

Re-exported by :mod:`framing.scoring`. Every function here reads the documents and token counts from the corpus
the frames were computed from (a :class:`~framing.corpus.ProcessedCorpus`), never placeholders: a frames table
naming documents that the corpus does not have is refused (:func:`framing.resampling.check_documents_known`),
and a document without a value in the grouping column is counted in the group ``(missing)`` with a warning
(:func:`framing.resampling.document_groups`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from framing.errors import ParameterError
from framing.rawio import as_id
from framing.resampling import (
    check_documents_known,
    check_level,
    check_n_boot,
    document_groups,
    generator,
    percentile_interval,
    resample_indices,
    sentence_draws,
)
from framing.types import DEFAULT_SEED, MIN_DOCS, ProcessedCorpusLike, require_tables

__all__ = ["BOOTSTRAP_COLUMNS", "bootstrap_shares", "document_scores", "group_scores"]

BOOTSTRAP_COLUMNS = ("frame", "n_docs", "n_sentences", "share", "lo", "hi", "n_boot", "method")
"""Columns of :func:`bootstrap_shares` after the group column (``doc_id`` for ``by="document"``)."""


def _frame_names(frames: pd.DataFrame) -> list[str]:
    names = [c[2:] for c in frames.columns if c.startswith("n_") and c[2:] in frames.columns]
    if not names:
        raise ParameterError("frames table has no frame columns (expected F and n_F, as from frame_table)")
    return names


def _doc_info(corpus: ProcessedCorpusLike, frames: pd.DataFrame, func: str) -> pd.DataFrame:
    """doc_id, genre and n_tokens (sum of the content sentences') of the documents of ``frames``, from ``corpus``."""
    require_tables(corpus, func, "documents", "sentences")
    docs, sents = corpus.documents, corpus.sentences
    if "genre" not in docs.columns:
        raise ParameterError(f"{func}: the documents table of {_corpus_name(corpus)} has no column 'genre'")
    info = pd.DataFrame({"doc_id": pd.unique(frames["doc_id"])})
    check_documents_known(info["doc_id"], docs["doc_id"], _corpus_name(corpus), func)
    info = info.merge(docs[["doc_id", "genre"]], on="doc_id", how="left")
    if "n_tokens" in sents.columns:
        tok = sents.groupby("doc_id", sort=False)["n_tokens"].sum()
        info["n_tokens"] = info["doc_id"].map(tok).fillna(0).astype(np.int64)  # a document of no sentence: 0
    else:
        info["n_tokens"] = np.nan
    return info


def document_scores(frames: pd.DataFrame, corpus: ProcessedCorpusLike) -> pd.DataFrame:
    """Per document and frame: hits, rate per 1,000 tokens, frame sentences and their share.

    Parameters
    ----------
    frames : DataFrame
        From :func:`frame_table`.
    corpus : ProcessedCorpus
        The corpus the frames were computed from: gives genres and token counts (sum of the content sentences'
        ``n_tokens``). Something else (a sentences table, a corpus without some documents of ``frames``) is
        a :class:`ParameterError` naming what is missing.

    Returns
    -------
    DataFrame
        doc_id, genre, frame, n_sentences, n_tokens, n_hits, rate_per_1000, n_frame_sentences, share.
    """
    return _document_table(frames, corpus, "document_scores")


def _document_table(frames: pd.DataFrame, corpus: ProcessedCorpusLike, func: str) -> pd.DataFrame:
    """:func:`document_scores`, whose errors name ``func`` (the public function called)."""
    names = _frame_names(frames)
    if not pd.api.types.is_string_dtype(frames["doc_id"]):  # a table read back from CSV: ids 1, 2 as int64
        frames = frames.assign(doc_id=frames["doc_id"].map(as_id))
    info = _doc_info(corpus, frames, func)
    g = frames.groupby("doc_id", sort=False)
    n_sent = g.size().rename("n_sentences")
    rows = []
    for f in names:
        part = pd.DataFrame({"n_hits": g[f"n_{f}"].sum(), "n_frame_sentences": g[f].sum()}).join(n_sent)
        part["frame"] = f
        rows.append(part.reset_index())
    out = pd.concat(rows, ignore_index=True).merge(info, on="doc_id", how="left")
    out["rate_per_1000"] = 1000 * out["n_hits"] / out["n_tokens"].where(out["n_tokens"] > 0)
    out["share"] = out["n_frame_sentences"] / out["n_sentences"].where(out["n_sentences"] > 0)
    order = {d: i for i, d in enumerate(info["doc_id"])}
    out = out.assign(_d=out["doc_id"].map(order), _f=out["frame"].map({f: i for i, f in enumerate(names)}))
    out = out.sort_values(["_d", "_f"], kind="stable").drop(columns=["_d", "_f"]).reset_index(drop=True)
    return out[["doc_id", "genre", "frame", "n_sentences", "n_tokens", "n_hits", "rate_per_1000",
                "n_frame_sentences", "share"]]


def _corpus_name(corpus: ProcessedCorpusLike) -> str:
    return f"corpus {getattr(corpus, 'name', '')!s}".rstrip()


def _check_by(by: Any, func: str, instead: str) -> None:
    if not isinstance(by, str):
        raise ParameterError(f"{func}: by must be the name of a documents column, got {by!r}")
    if by == "doc_id":
        raise ParameterError(f"{func}: by='doc_id' would make each document a group of its own: use {instead}")


def group_scores(frames: pd.DataFrame, corpus: ProcessedCorpusLike, *, by: str = "genre") -> pd.DataFrame:
    """Per group (default genre) and frame: pooled counts, rate per 1,000 tokens and shares.

    ``share`` pools sentences (frame sentences / sentences of the group); ``mean_doc_share`` averages the
    documents' shares (each document weighs the same). ``n_frame_sentences`` can exceed ``n_hits``: under the
    ``coder`` rule a sentence without a hit of its own can carry a frame it inherits from its context (a list
    item from its lead-in, a pronoun follow-up, blame talk running on; docs/lexicons.md). Documents without a
    value in ``by`` form the group ``(missing)`` (:data:`framing.types.MISSING_GROUP`), with a warning naming them.
    """
    _check_by(by, "group_scores", "document_scores(frames, corpus)")
    docs = _document_table(frames, corpus, "group_scores")
    if by not in docs.columns:
        meta = getattr(corpus, "documents", pd.DataFrame())
        if by not in meta.columns:
            raise ParameterError(f"cannot group by {by!r}: not a document column")
        docs = docs.merge(meta[["doc_id", by]], on="doc_id", how="left")
    groups = docs.drop_duplicates("doc_id").set_index("doc_id")[by]
    docs[by] = docs["doc_id"].map(document_groups(groups, by, _corpus_name(corpus)))
    g = docs.groupby([by, "frame"], sort=False)
    out = g.agg(n_docs=("doc_id", "nunique"), n_sentences=("n_sentences", "sum"), n_tokens=("n_tokens", "sum"),
                n_hits=("n_hits", "sum"), n_frame_sentences=("n_frame_sentences", "sum"),
                mean_doc_share=("share", "mean")).reset_index()
    out["rate_per_1000"] = 1000 * out["n_hits"] / out["n_tokens"].where(out["n_tokens"] > 0)
    out["share"] = out["n_frame_sentences"] / out["n_sentences"].where(out["n_sentences"] > 0)
    return out[[by, "frame", "n_docs", "n_sentences", "n_tokens", "n_hits", "rate_per_1000",
                "n_frame_sentences", "share", "mean_doc_share"]]


def bootstrap_shares(
    frames: pd.DataFrame,
    corpus: ProcessedCorpusLike,
    *,
    by: str = "genre",
    n_boot: int = 2000,
    level: float = 0.95,
    random_state: int = DEFAULT_SEED,
    min_docs: int = MIN_DOCS,
) -> pd.DataFrame:
    """Frame shares with percentile bootstrap intervals.

    ``by="document"``: sentences are resampled within the document. ``by="genre"`` (or any document
    column): documents are resampled within the group, then sentences within each drawn document (two
    stages); a group with one document falls back to sentences within it (``method`` says which). The number
    of frame sentences among ``n`` resampled sentences of a document with share ``p`` is drawn as
    Binomial(n, p), which is exactly the sentence bootstrap of that frame's 0/1 labels, so the bootstrap is
    vectorised.

    ``level`` is the interval level (0.95), ``random_state`` the seed. A group of fewer than ``min_docs``
    documents gets no interval (``lo``/``hi`` NaN, ``method`` ``"descriptive"``), the rule of
    :func:`framing.compare.frame_share_intervals`; the other groups' intervals are those of ``min_docs=1``.
    The default is the notebooks' (:data:`framing.types.MIN_DOCS`, 10). Documents without a value in ``by``
    form the group ``(missing)``, with a warning naming them (as in :func:`group_scores`).

    Returns
    -------
    DataFrame
        <by> (``doc_id`` for documents), frame, n_docs, n_sentences, share, lo, hi, n_boot, method.
    """
    _check_by(by, "bootstrap_shares", "by='document'")
    min_docs = check_n_boot(min_docs, name="min_docs")
    n_boot = check_n_boot(n_boot)
    level = check_level(level)
    rng = generator(random_state)
    docs = _document_table(frames, corpus, "bootstrap_shares")
    names = list(dict.fromkeys(docs["frame"]))
    rows: list[dict[str, Any]] = []
    if docs.empty:
        return pd.DataFrame(rows, columns=["doc_id" if by == "document" else by, *BOOTSTRAP_COLUMNS])
    wide_k = docs.pivot(index="doc_id", columns="frame", values="n_frame_sentences")[names]
    n_sent = docs.drop_duplicates("doc_id").set_index("doc_id")["n_sentences"]
    doc_order = list(dict.fromkeys(docs["doc_id"]))
    wide_k = wide_k.loc[doc_order]
    n = n_sent.loc[doc_order].to_numpy().astype(np.int64)
    k = wide_k.to_numpy().astype(np.int64)
    p = np.divide(k, n[:, None], out=np.zeros(k.shape), where=n[:, None] > 0)
    if by == "document":
        for i, d in enumerate(doc_order):
            draws = sentence_draws(rng, n[i], p[i][None, :], size=(n_boot, len(names))) / max(n[i], 1)
            lo, hi = percentile_interval(draws, level)
            for j, f in enumerate(names):
                rows.append({"doc_id": d, "frame": f, "n_docs": 1, "n_sentences": int(n[i]),
                             "share": k[i, j] / n[i] if n[i] else np.nan, "lo": lo[j], "hi": hi[j],
                             "n_boot": n_boot, "method": "sentences within document"})
        return pd.DataFrame(rows, columns=["doc_id", *BOOTSTRAP_COLUMNS])
    meta = getattr(corpus, "documents", pd.DataFrame())
    if by == "genre":
        group_of = docs.drop_duplicates("doc_id").set_index("doc_id")["genre"]
    elif by in meta.columns:
        group_of = meta.set_index("doc_id")[by]
    else:
        raise ParameterError(f"by must be 'document', 'genre' or a document column, got {by!r}")
    groups = document_groups(group_of.loc[doc_order], by, _corpus_name(corpus)).astype(str).to_numpy()
    for gname in dict.fromkeys(groups):
        idx = np.flatnonzero(groups == gname)
        if len(idx) > 1:
            chosen = idx[resample_indices(rng, len(idx), n_boot)]
            method = "documents within group, then sentences within document"
        else:
            chosen = np.repeat(idx[None, :], n_boot, axis=0)
            method = "sentences within document (one document)"
        nn = n[chosen]
        tot = nn.sum(axis=1)
        draws = np.stack([sentence_draws(rng, nn, p[chosen, j]).sum(axis=1) for j in range(len(names))], axis=1)
        shares = draws / np.where(tot > 0, tot, 1)[:, None]
        lo, hi = percentile_interval(shares, level)
        if len(idx) < min_docs:  # drawn all the same, so the other groups' intervals do not depend on min_docs
            lo = hi = np.full(len(names), np.nan)
            method = "descriptive"
        n_all = n[idx].sum()
        for j, f in enumerate(names):
            rows.append({by: gname, "frame": f, "n_docs": len(idx), "n_sentences": int(n_all),
                         "share": k[idx, j].sum() / n_all if n_all else np.nan, "lo": lo[j], "hi": hi[j],
                         "n_boot": n_boot, "method": method})
    return pd.DataFrame(rows, columns=[by, *BOOTSTRAP_COLUMNS])
