"""Choosing the number of topics k: coherence by k, held-out perplexity for LDA, a parsimony rule."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning

from framing.errors import FramingWarning, ParameterError, TopicModelError
from framing.memo import memoized
from framing.topics._base import _as_texts, _check_fraction, _check_int, quiet_fits, subsample_size
from framing.topics._model import MIN_TOPICS, TooManyTopicsError, TopicEstimator, TopicModel, _template
from framing.types import DEFAULT_SEED

__all__ = ["KSelection", "check_k_range", "choose_k", "k_edge_sentence"]


@dataclass(frozen=True)
class KSelection:
    """Result of :func:`choose_k`.

    Attributes
    ----------
    table : DataFrame
        One row per k: ``k, npmi, umass, perplexity`` (LDA held-out perplexity, NaN for NMF),
        ``reconstruction_error`` (NMF, NaN for LDA), ``converged``, ``subsample_raised`` (k too close to the
        number of units for the stability check to subsample them: not chosen while another k can be).
    best_k : int
        The chosen k.
    rule : str
        The rule that chose it, in words (with :func:`k_edge_sentence` when the best k is at an edge).
    edge : str or None
        ``"k_max"`` when the largest k tried has the best mean NPMI (ties included: coherence has not fallen by
        the end of the range), else ``"k_min"`` when the smallest k tried has it and a smaller k could have been
        tried (above 2): coherence may be higher outside the range, and :func:`choose_k` warns, naming the
        parameter to widen. ``None`` otherwise (also when the largest k asked for was too large to fit).
    edge_k : int or None
        The k at that edge.
    """

    table: pd.DataFrame
    best_k: int
    rule: str
    edge: str | None = None
    edge_k: int | None = None


def k_edge_sentence(edge: str | None, edge_k: int | None) -> str:
    """Say that the k at the edge ``edge`` of the range tried has the best mean NPMI, and which parameter to widen.

    ``""`` when ``edge`` is ``None``.

    >>> k_edge_sentence("k_max", 8)[:59]
    'the largest k tried (k_max=8) has the best mean NPMI: NPMI '
    """
    if edge is None or edge_k is None:
        return ""
    if edge == "k_max":
        return (f"the largest k tried (k_max={edge_k}) has the best mean NPMI: NPMI may keep rising beyond it, so "
                "the chosen k may be too small; widen the range (a larger k_max) before reading k as the corpus's "
                "number of topics")
    return (f"the smallest k tried (k_min={edge_k}) has the best mean NPMI: a smaller k may be as coherent; widen "
            "the range (a smaller k_min, down to 2) before reading k as the corpus's number of topics")


def _edge(candidates: pd.DataFrame, ks: Sequence[int]) -> tuple[str | None, int | None]:
    """Which edge of the k asked for (``ks``) has the best mean NPMI among ``candidates`` (``None``: neither)."""
    npmi = {int(k): float(v) for k, v in zip(candidates["k"], candidates["npmi"], strict=True) if pd.notna(v)}
    if len(npmi) < 2:  # one k with a coherence: no range, no edge to speak of (a NaN mean NPMI is no coherence)
        return None, None
    best = max(npmi.values())
    if npmi.get(max(ks), -np.inf) >= best:
        return "k_max", max(ks)
    if min(ks) > MIN_TOPICS and npmi.get(min(ks), -np.inf) >= best:
        return "k_min", min(ks)
    return None, None


def check_k_range(k_min: Any, k_max: Any) -> range:
    """Return the k from ``k_min`` to ``k_max`` (both included), refusing a range :func:`choose_k` cannot use.

    The error names ``k_min`` and ``k_max``, as notebook 03 and ``framing run`` call them (checked before the
    corpus is prepared, :func:`framing.nbtools.setup`).
    """
    _check_int("k_min", k_min, minimum=MIN_TOPICS)
    _check_int("k_max", k_max, minimum=MIN_TOPICS)
    if k_max < k_min:
        raise ParameterError(f"k_max must be >= k_min ({k_min}), got k_max={k_max}: no k to try")
    return range(k_min, k_max + 1)


@memoized("choose_k")
def choose_k(
    texts: Sequence[str],
    k_values: Iterable[int],
    *,
    estimator: TopicEstimator | None = None,
    n_top: int = 10,
    held_out: float = 0.2,
    tolerance: float = 0.01,
    subsample: float = 0.8,
    random_state: int = DEFAULT_SEED,
) -> KSelection:
    """Fit a model for each k and report coherence (NPMI, UMass) and, for LDA, held-out perplexity.

    Rule: the k with the highest mean NPMI over topics, except that the *smallest* k whose NPMI is within
    ``tolerance`` of that maximum is preferred (parsimony: fewer topics that are as coherent). UMass and
    perplexity are reported beside it but do not choose (UMass rewards frequent terms; perplexity keeps
    falling with k and does not track human judgements, Chang et al. 2009). A k so close to the number of
    non-empty units that the stability check could not subsample them (``subsample``, see
    :func:`~framing.topics.topic_stability`) is reported but not chosen while another k can be.

    Parameters
    ----------
    texts : sequence of str
        Unit texts.
    k_values : iterable of int
        Candidate k (each >= 2, as every topic model; values larger than the non-empty units or the vocabulary
        are skipped and noted; when all are, the error names the largest k that fits).
    estimator : TopicModel or None
        Template (model family and vocabulary parameters); ``n_topics`` and ``random_state`` are overridden.
    n_top : int, default 10
        Top terms per topic for coherence.
    held_out : float, default 0.2
        Share of units held out (seeded split) for LDA perplexity; the model scored is refitted on the rest.
    tolerance : float, default 0.01
        NPMI tolerance of the parsimony rule.
    subsample : float, default 0.8
        The stability check's subsample share: a k above ``round(subsample * n)`` of the ``n`` non-empty
        units is not chosen while a smaller k was fitted.
    random_state : int, default DEFAULT_SEED (20081201)

    Returns
    -------
    KSelection

    Warns
    -----
    FramingWarning
        When the largest k tried has the best mean NPMI, or the smallest when it is above 2 (``edge`` of the
        result; :func:`k_edge_sentence` names the parameter to widen, ``k_max`` or ``k_min``).
    """
    ks = sorted({int(k) for k in k_values})
    if not ks:
        raise ParameterError("k_values must hold at least one k, got an empty range")
    for k in ks:
        _check_int("k_values", k, minimum=MIN_TOPICS)
    _check_int("n_top", n_top, minimum=2)
    _check_fraction("held_out", held_out)
    _check_fraction("subsample", subsample, high_open=False)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance < 0:
        raise ParameterError(f"tolerance must be a number >= 0, got {tolerance!r}")
    texts = _as_texts(texts)
    rows: list[dict[str, Any]] = []
    skipped: list[int] = []
    too_large: TooManyTopicsError | None = None
    rng = np.random.default_rng(random_state)
    perm = rng.permutation(len(texts))
    n_test = max(1, round(held_out * len(texts)))
    test_idx, train_idx = np.sort(perm[:n_test]), np.sort(perm[n_test:])
    for k in ks:
        est = _template(estimator, n_topics=k, random_state=random_state)
        try:
            with quiet_fits(ConvergenceWarning):  # the table's column "converged" records it
                est.fit(texts)
        except TooManyTopicsError as exc:  # any other error (e.g. an empty vocabulary) is the user's to see
            skipped.append(k)
            too_large = too_large or exc
            continue
        row: dict[str, Any] = {
            "k": k,
            "npmi": float(np.mean(est.coherence("npmi", n_top))),
            "umass": float(np.mean(est.coherence("umass", n_top))),
            "perplexity": np.nan,
            "reconstruction_error": np.nan,
            "converged": est.converged_,
            "subsample_raised": subsample_size(len(texts) - len(est.empty_units_), k, subsample)[1],
        }
        if isinstance(est, TopicModel) and est.model == "lda":
            held = _template(estimator, n_topics=k, random_state=random_state, vocabulary=list(est.terms_))
            try:
                with quiet_fits(ConvergenceWarning):
                    held.fit([texts[i] for i in train_idx])
                row["perplexity"] = held.perplexity([texts[i] for i in test_idx])
            except TopicModelError:
                pass
        else:
            row["reconstruction_error"] = float(est.model_.reconstruction_err_)
        rows.append(row)
    if too_large is not None and not rows:  # every k was skipped, each for being too large
        raise TooManyTopicsError(f"no k in {ks} fits these {len(texts)} units: {too_large}", too_large.limit)
    table = pd.DataFrame(rows)
    candidates = table[~table["subsample_raised"]] if not table["subsample_raised"].all() else table
    best_npmi = candidates["npmi"].max()
    best_k = int(candidates.loc[candidates["npmi"] >= best_npmi - tolerance, "k"].min())
    edge, edge_k = _edge(candidates, ks)
    rule = (
        f"smallest k whose mean NPMI is within {tolerance:g} of the best ({best_npmi:.3f} at "
        f"k={int(candidates.loc[candidates['npmi'].idxmax(), 'k'])}): k={best_k}"
    )
    raised = table.loc[table["subsample_raised"], "k"].astype(int).tolist()
    if raised and len(candidates) < len(table):
        rule += (f"; k={raised} not chosen: too close to the number of units for the stability refits to "
                 f"subsample {subsample:g} of them")
    elif raised:
        rule += (f"; every k fitted is too close to the number of units for the stability refits to subsample "
                 f"{subsample:g} of them: their stability says nothing")
    if too_large is not None:
        rule += f"; skipped k={skipped} (too large for the units or vocabulary: k <= {too_large.limit})"
    if edge is not None:
        said = k_edge_sentence(edge, edge_k)
        rule += f"; {said}"
        warnings.warn(f"choose_k: {said} (k tried: {ks[0]} to {ks[-1]})", FramingWarning, stacklevel=2)
    return KSelection(table=table, best_k=best_k, rule=rule, edge=edge, edge_k=edge_k)


