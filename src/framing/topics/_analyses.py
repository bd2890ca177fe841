"""Topic models on a corpus: units, aggregation to documents, prevalence by group, topics and frames."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.errors import ParameterError, TopicModelError
from framing.resampling import (
    check_level,
    check_n_boot,
    generator,
    level_from_ci,
    percentile_interval,
    ratio_of_sums,
    resample_indices,
)
from framing.topics._base import UNITS, _check_choice, _check_int
from framing.topics._model import TopicEstimator, _template
from framing.types import DEFAULT_SEED, FRAMES, PathLike, ProcessedCorpusLike

__all__ = [
    "TopicFit",
    "aggregate_to_documents",
    "fit_topics",
    "representative_units",
    "score_units",
    "topic_frame_association",
    "topic_prevalence",
    "topic_units",
    "write_topic_outputs",
]


def topic_units(corpus: ProcessedCorpusLike, unit: str = "paragraph") -> pd.DataFrame:
    """Return the units a topic model is fitted on, built from the corpus's content sentences.

    Parameters
    ----------
    corpus : ProcessedCorpusLike
        A processed corpus (``framing.corpus.ProcessedCorpus`` or any object with its tables).
    unit : {"document", "paragraph", "sentence"}

    Returns
    -------
    DataFrame
        ``doc_id, unit_id, genre, text, n_sentences`` sorted by ``doc_id, unit_id``. ``unit_id`` is the
        ``sent_id``, the ``para_id`` or 0. Documents with no content sentence give an empty-text row for
        ``unit="document"`` and no row otherwise.
    """
    _check_choice("unit", unit, UNITS)
    sents = corpus.sentences
    docs = corpus.documents
    for col in ("doc_id", "sent_id", "para_id", "text"):
        if col not in sents.columns:
            raise TopicModelError(f"corpus sentences table has no {col!r} column")
    sents = sents.sort_values(["doc_id", "sent_id"], kind="stable")
    genre = (
        docs.set_index("doc_id")["genre"].astype(str)
        if "genre" in docs.columns
        else pd.Series("", index=docs["doc_id"], dtype=str)
    )
    if unit == "sentence":
        out = pd.DataFrame(
            {
                "doc_id": sents["doc_id"].astype(str).to_numpy(),
                "unit_id": sents["sent_id"].astype(int).to_numpy(),
                "text": sents["text"].astype(str).to_numpy(),
                "n_sentences": 1,
            }
        )
    elif unit == "paragraph":
        g = sents.groupby(["doc_id", "para_id"], sort=True)["text"]
        out = g.agg(" ".join).reset_index().rename(columns={"para_id": "unit_id"})
        out["n_sentences"] = g.size().to_numpy()
        paras = getattr(corpus, "paragraphs", None)
        if paras is not None and {"doc_id", "para_id"} <= set(paras.columns):
            keys = pd.MultiIndex.from_frame(paras[["doc_id", "para_id"]].astype({"para_id": int}))
            mask = pd.MultiIndex.from_arrays([out["doc_id"], out["unit_id"].astype(int)]).isin(keys)
            out = out[mask]
        out["unit_id"] = out["unit_id"].astype(int)
    else:
        g = sents.groupby("doc_id", sort=True)["text"]
        joined = g.agg(" ".join)
        doc_ids = sorted(map(str, docs["doc_id"]))
        out = pd.DataFrame(
            {
                "doc_id": doc_ids,
                "unit_id": 0,
                "text": [joined.get(d, "") for d in doc_ids],
                "n_sentences": [int(g.size().get(d, 0)) for d in doc_ids],
            }
        )
    out["doc_id"] = out["doc_id"].astype(str)
    out["genre"] = out["doc_id"].map(genre).fillna("").astype(str).to_numpy()
    out = out.sort_values(["doc_id", "unit_id"], kind="stable").reset_index(drop=True)
    return out[["doc_id", "unit_id", "genre", "text", "n_sentences"]]


def aggregate_to_documents(
    doc_ids: Sequence[str],
    weights: np.ndarray,
    n_tokens: np.ndarray,
    *,
    all_doc_ids: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Document topic weights: token-weighted mean of the units' normalised weights.

    ``doc[t] = sum_u n_u * w_ut / sum_u n_u`` over the document's units with ``n_u > 0`` in-vocabulary tokens
    and non-NaN weights. Documents in ``all_doc_ids`` with no such unit get NaN. Columns: ``doc_id`` then
    one column per topic (``labels``, default ``topic_0``...), rows sorted by ``doc_id``.
    """
    w = np.asarray(weights, dtype=np.float64)
    n = np.asarray(n_tokens, dtype=np.float64)
    if w.ndim != 2 or w.shape[0] != len(doc_ids) or n.shape != (len(doc_ids),):
        raise ParameterError(
            f"weights {w.shape}, n_tokens {n.shape} and doc_ids ({len(doc_ids)}) must describe the same units"
        )
    labels = list(labels) if labels is not None else [f"topic_{i}" for i in range(w.shape[1])]
    ok = (n > 0) & ~np.isnan(w).any(axis=1)
    ids = np.asarray(list(map(str, doc_ids)), dtype=object)
    num = pd.DataFrame(np.where(ok[:, None], w * n[:, None], 0.0), columns=labels)
    num["doc_id"] = ids
    den = pd.Series(np.where(ok, n, 0.0)).groupby(ids).sum()
    sums = num.groupby("doc_id", sort=True)[labels].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        agg = sums.div(den.reindex(sums.index).where(lambda s: s > 0), axis=0)
    everything = sorted(set(map(str, all_doc_ids)) | set(agg.index)) if all_doc_ids is not None else list(agg.index)
    agg = agg.reindex(everything)
    agg.index.name = "doc_id"
    return agg.reset_index()


@dataclass(frozen=True)
class TopicFit:
    """A topic model fitted on a corpus (see :func:`fit_topics`).

    Attributes
    ----------
    estimator : TopicEstimator
    unit : str
    units : DataFrame
        :func:`topic_units` plus ``n_vocab_tokens`` and one weight column per topic.
    doc_topics : DataFrame
        ``doc_id, topic_0, ...``: :func:`aggregate_to_documents`.
    topic_terms : DataFrame
        ``topic, rank, term, weight``.
    """

    estimator: TopicEstimator
    unit: str
    units: pd.DataFrame
    doc_topics: pd.DataFrame
    topic_terms: pd.DataFrame


def fit_topics(
    corpus: ProcessedCorpusLike,
    k: int,
    *,
    model: str = "nmf",
    unit: str = "paragraph",
    random_state: int = DEFAULT_SEED,
    n_terms: int = 20,
    estimator: TopicEstimator | None = None,
    **params: Any,
) -> TopicFit:
    """Fit a :class:`TopicModel` with ``k`` topics on a corpus's units and aggregate to documents.

    ``params`` are further :class:`TopicModel` parameters (``min_df``, ``bigrams`` ...); ``estimator`` a
    template instead (``k``, ``model`` and ``random_state`` still override it).
    """
    _check_choice("unit", unit, UNITS)
    _check_int("n_terms", n_terms)
    units = topic_units(corpus, unit)
    if units.empty:
        raise TopicModelError(f"corpus {getattr(corpus, 'name', '?')!r} has no content sentences to model")
    est = _template(estimator, n_topics=k, model=model, random_state=random_state, **params)
    est.fit(units["text"].tolist())
    units = units.copy()
    units["n_vocab_tokens"] = est.n_tokens_
    for j, lab in enumerate(est.topic_labels_):
        units[lab] = est.doc_topic_[:, j]
    doc_topics = aggregate_to_documents(
        units["doc_id"].tolist(),
        est.doc_topic_,
        est.n_tokens_,
        all_doc_ids=corpus.documents["doc_id"].astype(str).tolist(),
        labels=est.topic_labels_,
    )
    return TopicFit(estimator=est, unit=unit, units=units, doc_topics=doc_topics, topic_terms=est.top_terms(n_terms))


def score_units(estimator: TopicEstimator, units: pd.DataFrame) -> pd.DataFrame:
    """Units (e.g. from :func:`topic_units`) with ``n_vocab_tokens`` and one weight column per topic.

    Weights come from ``estimator.transform`` on the ``text`` column, so a model fitted on paragraphs can
    score sentences. Texts with no in-vocabulary token get NaN weights and ``n_vocab_tokens`` 0.
    """
    estimator._check_fitted()
    if "text" not in units.columns:
        raise ParameterError("units has no 'text' column")
    out = units.copy()
    texts = out["text"].tolist()
    out["n_vocab_tokens"] = np.asarray(estimator.count_matrix(texts).sum(axis=1)).ravel().astype(np.int64)
    weights = estimator.transform(texts)
    for j, lab in enumerate(estimator.topic_labels_):
        out[lab] = weights[:, j]
    return out


def write_topic_outputs(fit: Any, out_dir: PathLike) -> dict[str, Path]:
    """Write ``doc_topics.csv`` and ``topic_terms.csv`` into ``out_dir`` atomically; return their paths.

    ``fit`` is a :class:`TopicFit` or a ``StreamedTopicFit`` (anything with ``doc_topics`` and ``topic_terms``).
    """
    from framing.io import write_csv

    out = Path(out_dir)
    return {
        "doc_topics": write_csv(fit.doc_topics, out / "doc_topics.csv"),
        "topic_terms": write_csv(fit.topic_terms, out / "topic_terms.csv"),
    }


# --------------------------------------------------------------------------------------------------
# comparisons


def _bootstrap_ratio(
    num: np.ndarray, den: np.ndarray, n_boot: int, rng: np.random.Generator, level: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point estimate and percentile interval of sum(num)/sum(den) resampling rows (num: (n, k))."""
    total = den.sum()
    point = num.sum(axis=0) / total if total > 0 else np.full(num.shape[1], np.nan)
    idx = resample_indices(rng, num.shape[0], n_boot)
    boot = ratio_of_sums(num[idx].sum(axis=1), den[idx].sum(axis=1))
    if not np.isfinite(boot).any():
        return point, point, point
    lo, hi = percentile_interval(boot, level, skip_nan=True)
    return point, lo, hi


def topic_prevalence(
    units: pd.DataFrame,
    labels: Sequence[str],
    *,
    by: str = "genre",
    weight_col: str = "n_vocab_tokens",
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int = DEFAULT_SEED,
    ci: float | None = None,
    min_docs: int = 1,
) -> pd.DataFrame:
    """Topic prevalence per genre or per document with percentile bootstrap intervals.

    Prevalence of topic t in a group is the token-weighted mean of its units' weights,
    ``sum n_u w_ut / sum n_u`` (units with NaN weights or no tokens are left out). Intervals resample
    *documents within the genre* (``by="genre"``) or *units within the document* (``by="doc_id"``)
    with replacement, ``n_boot`` times, from ``default_rng(random_state)``; a group with one
    resampling unit gets a zero-width interval (reported by ``n_resampled``). ``level`` is the interval
    level (``ci``, its former name, still works with a :class:`FutureWarning`). With ``by="genre"``, a genre of
    fewer than ``min_docs`` documents gets no interval (``ci_low``/``ci_high`` NaN), the rule of
    :func:`framing.compare.frame_share_intervals`; the other genres' intervals are those of ``min_docs=1``.

    Returns
    -------
    DataFrame
        ``group, topic, prevalence, ci_low, ci_high, n_resampled`` (``by`` names the group column).
    """
    _check_choice("by", by, ("genre", "doc_id"))
    n_boot = check_n_boot(n_boot)
    min_docs = check_n_boot(min_docs, name="min_docs")
    level = check_level(level_from_ci(level, ci, "topic_prevalence"))
    labels = list(labels)
    missing = [c for c in [by, "doc_id", weight_col, *labels] if c not in units.columns]
    if missing:
        raise ParameterError(f"units table has no column(s) {missing}")
    rng = generator(random_state)
    w = units[labels].to_numpy(dtype=np.float64)
    n = units[weight_col].to_numpy(dtype=np.float64)
    ok = (n > 0) & ~np.isnan(w).any(axis=1)
    frame = units.loc[ok, list(dict.fromkeys([by, "doc_id"]))].astype(str).reset_index(drop=True)
    num_all = w[ok] * n[ok, None]
    den_all = n[ok]
    rows = []
    for group in sorted(frame[by].unique()):
        sel = (frame[by] == group).to_numpy()
        num, den = num_all[sel], den_all[sel]
        if by == "genre":  # resample documents: sum units within each document first
            docs = frame.loc[sel, "doc_id"].to_numpy()
            uniq, inv = np.unique(docs, return_inverse=True)
            num = np.zeros((len(uniq), num.shape[1]))
            np.add.at(num, inv, num_all[sel])
            den = np.bincount(inv, weights=den_all[sel], minlength=len(uniq))
        point, lo, hi = _bootstrap_ratio(num, den, n_boot, rng, level)
        if by == "genre" and num.shape[0] < min_docs:  # drawn all the same: the other genres keep their intervals
            lo = hi = np.full(len(labels), np.nan)
        rows.append(
            pd.DataFrame(
                {
                    by: group,
                    "topic": labels,
                    "prevalence": point,
                    "ci_low": lo,
                    "ci_high": hi,
                    "n_resampled": num.shape[0],
                }
            )
        )
    if not rows:
        raise TopicModelError("no unit with topic weights to compute prevalence from")
    return pd.concat(rows, ignore_index=True)


def topic_frame_association(
    sentence_weights: pd.DataFrame,
    frames: pd.DataFrame,
    labels: Sequence[str],
    frame_names: Sequence[str] = FRAMES,
) -> pd.DataFrame:
    """Lexicon frame shares within each topic's sentences.

    ``sentence_weights`` has ``doc_id, sent_id`` and one column per topic label (normalised weights);
    ``frames`` has ``doc_id, sent_id`` and 0/1 frame columns (``framing.scoring.frame_table``).
    For topic t and frame f: ``weighted_share = sum_s w_st f_s / sum_s w_st`` (each sentence counts in
    proportion to its weight on the topic); ``dominant_share`` = share of sentences whose heaviest topic is t
    that carry f (``n_dominant`` such sentences); ``baseline`` = the share of f over the sentences that have
    topic weights (a sentence without an in-vocabulary word has none and is left out of every column, so the
    baseline is taken over the same sentences as the shares: the topics' weighted shares, weighted by each
    topic's total weight, average to it); ``lift = weighted_share / baseline``.

    Returns
    -------
    DataFrame
        ``topic, frame, weighted_share, dominant_share, n_dominant, baseline, lift``.
    """
    labels = list(labels)
    frame_names = list(frame_names)
    for name, df, cols in (
        ("sentence_weights", sentence_weights, ["doc_id", "sent_id", *labels]),
        ("frames", frames, ["doc_id", "sent_id", *frame_names]),
    ):
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise ParameterError(f"{name} has no column(s) {missing}")
    left = sentence_weights[["doc_id", "sent_id", *labels]].astype({"doc_id": str, "sent_id": int})
    right = frames[["doc_id", "sent_id", *frame_names]].astype({"doc_id": str, "sent_id": int})
    merged = left.merge(right, on=["doc_id", "sent_id"], how="inner", validate="one_to_one")
    merged = merged[~merged[labels].isna().any(axis=1)]
    if merged.empty:
        raise TopicModelError("no sentence has both topic weights and frame codes (check doc_id/sent_id)")
    w = merged[labels].to_numpy(dtype=np.float64)
    f = merged[frame_names].to_numpy(dtype=np.float64)
    dominant = np.argmax(w, axis=1)
    baseline = f.mean(axis=0)
    rows = []
    for t, lab in enumerate(labels):
        wt = w[:, t]
        ws = (wt @ f) / wt.sum() if wt.sum() > 0 else np.full(len(frame_names), np.nan)
        dom = dominant == t
        ds = f[dom].mean(axis=0) if dom.any() else np.full(len(frame_names), np.nan)
        with np.errstate(invalid="ignore", divide="ignore"):
            lift = ws / baseline
        rows.append(
            pd.DataFrame(
                {
                    "topic": lab,
                    "frame": frame_names,
                    "weighted_share": ws,
                    "dominant_share": ds,
                    "n_dominant": int(dom.sum()),
                    "baseline": baseline,
                    "lift": lift,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def representative_units(
    units: pd.DataFrame,
    labels: Sequence[str],
    *,
    n: int = 3,
    min_tokens: int = 3,
    token_col: str = "n_vocab_tokens",
) -> pd.DataFrame:
    """Return the ``n`` units with the highest weight on each topic (units with >= ``min_tokens`` tokens).

    Weights equal to 6 decimals (short units often weigh 1.0 on one topic) are broken by more tokens
    first, then ``doc_id`` and ``unit_id`` (or ``sent_id``), so the table is deterministic.

    Returns
    -------
    DataFrame
        ``topic, rank, doc_id, unit_id, weight, text``.
    """
    _check_int("n", n)
    _check_int("min_tokens", min_tokens, minimum=0)
    id_col = "unit_id" if "unit_id" in units.columns else "sent_id"
    labels = list(labels)
    base = units[units[token_col] >= min_tokens] if token_col in units.columns else units
    rows = []
    for lab in labels:
        cols = ["doc_id", id_col, "text", lab, *([token_col] if token_col in base.columns else [])]
        d = base[cols].dropna(subset=[lab])
        d = d.assign(_w=d[lab].round(6))
        keys, asc = ["_w", "doc_id", id_col], [False, True, True]
        if token_col in d.columns:
            keys.insert(1, token_col)
            asc.insert(1, False)
        d = d.sort_values(keys, ascending=asc, kind="stable").head(n)
        rows.append(
            pd.DataFrame(
                {
                    "topic": lab,
                    "rank": np.arange(len(d)),
                    "doc_id": d["doc_id"].to_numpy(),
                    "unit_id": d[id_col].to_numpy(),
                    "weight": d[lab].to_numpy(),
                    "text": d["text"].to_numpy(),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


# --------------------------------------------------------------------------------------------------
