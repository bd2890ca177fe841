"""Shared pieces of the topics subpackage: constants, parameter checks, unit texts, TF-IDF weighting."""

from __future__ import annotations

import contextlib
import math
import numbers
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.utils.validation import check_scalar

from framing.errors import FramingWarning, ParameterError
from framing.types import text_column

if TYPE_CHECKING:
    from framing.cases import CaseSource

__all__ = ["MODELS", "STUDY_STOP_WORDS", "TERM_SEPARATOR", "TOKEN_PATTERN", "UNITS", "case_stop_words", "join_terms",
           "top_terms_text"]

UNITS: tuple[str, ...] = ("document", "paragraph", "sentence")
"""Units a topic model can be fitted on."""

MODELS: tuple[str, ...] = ("lda", "nmf")
"""Topic model families: scikit-learn's LatentDirichletAllocation and NMF."""

TOKEN_PATTERN = r"(?u)\b[^\W\d_]{2,}\b"
"""Vocabulary tokens: runs of two or more letters (digits, underscores and apostrophes split tokens)."""

STUDY_STOP_WORDS: frozenset[str] = frozenset(
    {
        # reporting verbs and discourse fillers
        "said", "says", "say", "saying", "told", "tell", "added", "asked", "according", "just", "like",
        "really", "think", "know", "going", "did", "does", "got", "make", "made", "way", "today", "yesterday",
        # honorifics
        "mr", "mrs", "ms", "miss", "dr", "sir",
        # calendar words
        "year", "years", "month", "months", "week", "weeks", "day", "days", "time",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    }
)  # fmt: skip
"""Study stop list, removed on top of scikit-learn's English stop words (see module docstring).

Case-independent: the words that name one case (the Baby P case's ``baby``, ``peter``, ``connelly``) are its case
file's ``topic_stop_words`` (:func:`case_stop_words`)."""


def case_stop_words(case: CaseSource | None) -> list[str]:
    """Return the ``topic_stop_words`` of a case (a shipped name, a path or a loaded case); ``[]`` for no case.

    Words that name the case itself and occur in nearly all of its texts (the Baby P case's ``baby``, ``peter``,
    ``connelly``): given to a topic model as ``extra_stop_words`` when the case is, so that they are removed
    from that case's corpus and from no other.
    """
    from framing.cases import resolve_case

    resolved = resolve_case(case)
    return [] if resolved is None else list(resolved.topic_stop_words)

TERM_SEPARATOR = ", "
"""Separator of a topic's terms written as one string: a bigram's space stays inside its term."""

_EPS = 1e-12


def join_terms(terms: Iterable[object]) -> str:
    """Return ``terms`` as one string, joined by :data:`TERM_SEPARATOR` (``"children services, director"``).

    Terms may be word pairs (``bigrams=True``), so a space cannot separate them: every list of top terms
    written as one string (tables, stability results, seeded-topic tables) goes through this function.
    """
    return TERM_SEPARATOR.join(map(str, terms))


def top_terms_text(top_terms: pd.DataFrame) -> pd.DataFrame:
    """One row per topic of a ``top_terms`` table (``topic, rank, term, ...``): ``topic, top_terms``.

    ``top_terms`` holds the terms heaviest first, joined by :func:`join_terms`.
    """
    ordered = top_terms.sort_values(["topic", "rank"], kind="stable")
    return ordered.groupby("topic", sort=True)["term"].agg(join_terms).rename("top_terms").reset_index()


# --------------------------------------------------------------------------------------------------
# validation helpers: scikit-learn's check_scalar does the checking, the messages are the package's


def _check_scalar(name: str, value: Any, kind: type | tuple[type, ...], message: str, **bounds: Any) -> None:
    """Check ``value`` with :func:`sklearn.utils.validation.check_scalar`; raise ParameterError(message).

    Booleans and NaN are refused whatever ``kind`` is (``True`` is an int to Python, NaN compares false).
    """
    try:
        if isinstance(value, bool) or (isinstance(value, float) and math.isnan(value)):
            raise TypeError(name)
        check_scalar(value, name, kind, **bounds)
    except (TypeError, ValueError):
        raise ParameterError(f"{message}, got {value!r}") from None


def _check_int(name: str, value: Any, *, minimum: int = 1, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    _check_scalar(name, value, numbers.Integral, f"{name} must be an integer >= {minimum}", min_val=minimum)


def _check_df(name: str, value: Any) -> None:
    message = f"{name} must be an int >= 1 or a float in (0, 1]"
    if isinstance(value, numbers.Integral):
        _check_scalar(name, value, numbers.Integral, message, min_val=1)
    else:
        _check_scalar(name, value, float, message, min_val=0.0, max_val=1.0, include_boundaries="right")


def _check_choice(name: str, value: Any, choices: Sequence[str]) -> None:
    if value not in choices:
        raise ParameterError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")


_BOUNDARIES = {(True, True): "neither", (True, False): "right", (False, True): "left", (False, False): "both"}


def _check_fraction(name: str, value: Any, *, low_open: bool = True, high_open: bool = True) -> None:
    lo = "(0" if low_open else "[0"
    hi = "1)" if high_open else "1]"
    _check_scalar(
        name, value, numbers.Real, f"{name} must be a number in {lo}, {hi}",
        min_val=0.0, max_val=1.0, include_boundaries=_BOUNDARIES[(low_open, high_open)],
    )  # fmt: skip


def _check_positive(name: str, value: Any, *, allow_none: bool = True) -> None:
    if value is None and allow_none:
        return
    _check_scalar(
        name, value, numbers.Real, f"{name} must be a positive number or None",
        min_val=0.0, include_boundaries="neither",
    )  # fmt: skip


class UnmatchedSeedsWarning(FramingWarning):
    """Seed categories of a ``SeededTopicModel`` match no vocabulary term: no seeded topic for them.

    ``unmatched_seeds_`` lists them.
    """


class SubsampleRaisedWarning(FramingWarning):
    """k so large that each stability refit cannot subsample: its stability is no evidence of replication."""


@contextlib.contextmanager
def quiet_fits(*categories: type[Warning]) -> Iterator[None]:
    """Silence these warning categories inside (internal refits whose tables record what the warning says)."""
    with warnings.catch_warnings():
        for category in categories:
            warnings.simplefilter("ignore", category)
        yield


def warn_not_converged(model: str, k: int, max_iter: int, how: str) -> None:
    """Warn that a fit stopped at its iteration limit, naming the model, k and ``max_iter`` (``--passes``).

    The category is scikit-learn's ``ConvergenceWarning`` (a ``UserWarning``), so one filter silences both;
    :func:`~framing.topics.choose_k` and the stability refits do, as their tables record ``converged``.
    """
    from sklearn.exceptions import ConvergenceWarning

    warnings.warn(
        f"{model} with n_topics={k} stopped at max_iter={max_iter} {how} without converging (converged_ is "
        "False): its topics may still change; raise max_iter",
        ConvergenceWarning,
        stacklevel=4,
    )


def subsample_size(n_nonempty: int, k: int, subsample: float) -> tuple[int, bool]:
    """Units a stability refit draws: ``subsample`` of the non-empty units, but at least ``k`` of them.

    Returns the number and whether it was raised above ``round(subsample * n_nonempty)`` to reach ``k``: then
    the refits see (nearly) the same units as the reference and agree with it whatever the topics are worth,
    so their stability says nothing (a k that :func:`~framing.topics.choose_k` does not choose).
    """
    target = round(subsample * n_nonempty)
    n_sub = min(n_nonempty, max(k, target))
    return n_sub, n_sub > target


def make_tfidf(counts: sp.csr_matrix) -> TfidfTransformer:
    """Return scikit-learn's TF-IDF weighting fitted on ``counts`` (the non-empty units' term counts).

    Sublinear tf (``1 + log(tf)``), smooth idf (``log((1 + n) / (1 + df)) + 1`` over the ``n`` rows of
    ``counts``), rows scaled to unit length (l2). Fit it on the non-empty units only, so that empty units do
    not change the idf.
    """
    return TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True).fit(counts)


def _as_texts(texts: Any) -> list[str]:
    """Return ``texts`` as a list of strings; missing values (None, NaN) become ``""`` (empty units).

    ``texts`` is read by :func:`framing.types.text_column`: a one-column DataFrame gives its column.
    """
    out: list[str] = []
    for i, t in enumerate(text_column(texts)):
        if t is None or (isinstance(t, float) and np.isnan(t)):
            out.append("")
        elif isinstance(t, str):
            out.append(t)
        else:
            raise ParameterError(f"texts[{i}] must be a string, got {type(t).__name__}: {t!r}")
    return out


def _normalise_rows(m: np.ndarray) -> np.ndarray:
    """Rows scaled to sum 1; all-zero rows become NaN."""
    s = m.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(s > 0, m / np.where(s > 0, s, 1.0), np.nan)
    return out
