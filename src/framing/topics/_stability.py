"""Stability of topics across seeds and subsamples, model-to-model similarity, and a plain verdict."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.exceptions import ConvergenceWarning

from framing.errors import ParameterError, TopicModelError
from framing.memo import memoized
from framing.topics._base import (
    SubsampleRaisedWarning,
    _as_texts,
    _check_fraction,
    _check_int,
    quiet_fits,
    subsample_size,
    top_terms_text,
)
from framing.topics._model import TopicEstimator, _template

__all__ = [
    "StabilityResult",
    "align_topics",
    "stability_by_k",
    "stability_verdict",
    "topic_similarity",
    "topic_stability",
]

_EPS = 1e-12


@dataclass(frozen=True)
class StabilityResult:
    """Result of :func:`topic_stability`.

    Attributes
    ----------
    topics : DataFrame
        One row per reference topic: ``topic, stability`` (mean matched cosine over runs),
        ``min_similarity``, ``unstable`` (stability < threshold), ``top_terms``.
    runs : DataFrame
        ``seed, topic, matched_topic, similarity``: the Hungarian matching of each run to the reference.
    mean_stability : float
    threshold : float
    reference : TopicEstimator
        The reference model (fitted on all units with the template's own ``random_state``).
    subsample_raised : bool
        The refits' subsample was raised above ``subsample`` of the units to hold k of them (k close to the
        number of units): the refits then see (nearly) the reference's units, and a stability near 1 says
        nothing about the topics (a warning says so).
    """

    topics: pd.DataFrame
    runs: pd.DataFrame
    mean_stability: float
    threshold: float
    reference: TopicEstimator
    subsample_raised: bool = False


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    na = np.linalg.norm(a, axis=1, keepdims=True)
    nb = np.linalg.norm(b, axis=1, keepdims=True)
    return np.asarray((a / np.maximum(na, _EPS)) @ (b / np.maximum(nb, _EPS)).T)


def align_topics(reference: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match topics of ``other`` to ``reference`` (both (k, n_terms)) maximising total cosine similarity.

    Returns ``(matched, similarity)``: ``other`` topic matched to each reference topic, and its cosine.
    """
    s = _cosine(reference, other)
    r, c = linear_sum_assignment(-s)
    order = np.argsort(r)
    return c[order], s[r[order], c[order]]


@memoized("topic_stability")
def topic_stability(
    texts: Sequence[str],
    estimator: TopicEstimator | None = None,
    seeds: Sequence[int] = (1, 2, 3, 4, 5),
    *,
    threshold: float = 0.7,
    subsample: float = 0.8,
    n_top: int = 10,
) -> StabilityResult:
    """Refit with several seeds, align topics to a reference run and report each topic's stability.

    The reference is the template fitted on all units. Each run ``s`` refits with ``random_state=s`` on a
    seeded subsample (``subsample`` share of the non-empty units, but at least k of them, drawn with
    ``default_rng(s)``; 1.0 = all units) with the reference vocabulary. Topics are matched one-to-one
    to the reference by the Hungarian algorithm on topic-term cosine similarity; a topic's stability is
    its mean matched cosine over runs, and a topic is *unstable* when that is below ``threshold``. (NMF's
    default ``nndsvda`` initialisation is not fixed either: scikit-learn computes its SVD with a randomized
    solver seeded by ``random_state``, so each refit's seed changes its start as well as its subsample;
    ``init="random"`` draws the whole start from the seed.)

    When k is so close to the number of non-empty units that the subsample is raised to hold k units, the
    refits see (nearly) the reference's units: ``subsample_raised`` is set, a warning says so, and the
    stability (near 1) is no evidence.

    Returns
    -------
    StabilityResult
    """
    if len(seeds) == 0:
        raise ParameterError("seeds must hold at least one seed, got an empty list")
    for s in seeds:
        _check_int("seeds", s, minimum=0)
    _check_fraction("threshold", threshold, low_open=False, high_open=False)
    _check_fraction("subsample", subsample, high_open=False)
    texts = _as_texts(texts)
    with quiet_fits(ConvergenceWarning):  # the fits' convergence is not what this checks
        ref = _template(estimator).fit(texts)
    k = len(ref.topic_labels_)
    run_rows: list[pd.DataFrame] = []
    sims = np.empty((len(seeds), k))
    nonempty = np.setdiff1d(np.arange(len(texts)), ref.empty_units_)
    n_sub, raised = subsample_size(len(nonempty), k, subsample)
    if raised:
        warnings.warn(
            f"k={k} topics on {len(nonempty)} non-empty units: each stability refit draws {n_sub} units instead of "
            f"subsample={subsample:g} of them, so the refits see (nearly) the reference's units and their "
            "stability is no evidence that the topics replicate; choose a smaller k",
            SubsampleRaisedWarning,
            stacklevel=2,
        )
    for j, seed in enumerate(seeds):
        rng = np.random.default_rng(seed)
        idx = np.sort(rng.choice(nonempty, size=n_sub, replace=False))
        run = _template(estimator, random_state=int(seed), vocabulary=list(ref.terms_))
        with quiet_fits(ConvergenceWarning):
            run.fit([texts[i] for i in idx])
        matched, sim = align_topics(ref.components_, run.components_)
        sims[j] = sim
        run_rows.append(
            pd.DataFrame({"seed": int(seed), "topic": np.arange(k), "matched_topic": matched, "similarity": sim})
        )
    stability = sims.mean(axis=0)
    top = top_terms_text(ref.top_terms(n_top))["top_terms"]
    topics = pd.DataFrame(
        {
            "topic": np.arange(k),
            "stability": stability,
            "min_similarity": sims.min(axis=0),
            "unstable": stability < threshold,
            "top_terms": top.to_numpy(),
        }
    )
    return StabilityResult(
        topics=topics,
        runs=pd.concat(run_rows, ignore_index=True),
        mean_stability=float(stability.mean()),
        threshold=float(threshold),
        reference=ref,
        subsample_raised=raised,
    )


@memoized("stability_by_k")
def stability_by_k(
    texts: Sequence[str],
    k_values: Iterable[int],
    estimator: TopicEstimator | None = None,
    seeds: Sequence[int] = (1, 2, 3, 4, 5),
    *,
    threshold: float = 0.7,
    subsample: float = 0.8,
) -> pd.DataFrame:
    """:func:`topic_stability` for each k.

    Returns ``k, mean_stability, min_stability, n_unstable, share_unstable, subsample_raised`` (the refits
    could not subsample: their stability says nothing, see :func:`topic_stability`; the column replaces its
    warning); k that cannot be fitted are skipped.
    """
    rows = []
    for k in sorted({int(k) for k in k_values}):
        try:
            with quiet_fits(SubsampleRaisedWarning):  # the column subsample_raised replaces the warning
                res = topic_stability(
                    texts, _template(estimator, n_topics=k), seeds, threshold=threshold, subsample=subsample
                )
        except TopicModelError:
            continue
        t = res.topics
        rows.append(
            {
                "k": k,
                "mean_stability": res.mean_stability,
                "min_stability": float(t["stability"].min()),
                "n_unstable": int(t["unstable"].sum()),
                "share_unstable": float(t["unstable"].mean()),
                "subsample_raised": res.subsample_raised,
            }
        )
    if not rows:
        raise TopicModelError(f"no k in {sorted(set(k_values))} could be fitted for the stability check")
    return pd.DataFrame(rows)


def topic_similarity(a: TopicEstimator, b: TopicEstimator) -> pd.DataFrame:
    """Cosine similarity between the topics of two fitted models, matched by term (any vocabularies).

    Returns a DataFrame indexed by ``a.topic_labels_`` with one column per ``b.topic_labels_``.
    """
    a._check_fitted()
    b._check_fitted()
    terms = sorted(set(map(str, a.terms_)) | set(map(str, b.terms_)))
    index = {t: i for i, t in enumerate(terms)}

    def spread(m: TopicEstimator) -> np.ndarray:
        out = np.zeros((m.components_.shape[0], len(terms)))
        out[:, [index[str(t)] for t in m.terms_]] = m.components_
        return out

    return pd.DataFrame(_cosine(spread(a), spread(b)), index=a.topic_labels_, columns=b.topic_labels_)


def stability_verdict(result: StabilityResult, n_units: int, *, min_units: int = 500) -> tuple[bool, str]:
    """Say plainly whether the topics are stable enough to interpret.

    Topics are judged *stable* when no topic's mean matched cosine across refits is below the result's
    threshold. ``min_units`` is a rule of thumb: with fewer units the verdict adds that the corpus is
    small for topic modelling, whatever the refits say (few units give few co-occurrences, so topics
    rest on a handful of passages).

    Returns
    -------
    (bool, str)
        Whether every topic is stable, and a sentence for the report.
    """
    t = result.topics
    n_bad = int(t["unstable"].sum())
    k = len(t)
    parts = []
    if n_bad:
        bad = ", ".join(str(i) for i in t.loc[t["unstable"], "topic"])
        parts.append(
            f"{n_bad} of {k} topics are unstable (mean matched cosine across refits below "
            f"{result.threshold:g}: topic {bad}); do not interpret them"
        )
    elif n_units < min_units:  # refits of the same few units agreeing is no sign that the topics replicate
        parts.append(f"the refits of these units agree on all {k} topics (mean matched cosine >= "
                     f"{result.threshold:g}), which shows they are no accident of one fit, not that they replicate")
    else:
        parts.append(f"all {k} topics are stable across refits (mean matched cosine >= {result.threshold:g})")
    lowest = float(t["min_similarity"].min())
    if lowest < result.threshold:
        parts.append(f"single refits go as low as {lowest:.2f}")
    if n_units < min_units:
        parts.insert(
            0,
            f"This corpus is too small for topics that replicate: {n_units} units (fewer than {min_units}); "
            "treat topics as descriptive summaries of these texts, not as themes",
        )
    return n_bad == 0 and n_units >= min_units, "; ".join(parts) + "."
