"""Resampling: the shared pieces of every bootstrap in the package.

The four bootstraps of the toolkit (frame shares by genre or document in :func:`framing.scoring.bootstrap_shares`,
the cluster bootstrap of :func:`framing.compare.frame_share_intervals`, topic prevalence in
:func:`framing.topics.topic_prevalence`, F1 intervals in :func:`framing.agreement.agreement`) are built from
the same few parts, all here:

* :func:`check_n_boot` and :func:`check_level` validate the number of replicates and the interval level
  (one name, ``level``, everywhere) and raise :class:`~framing.errors.ParameterError` naming the parameter;
* :func:`generator` is the seeded random generator (``numpy.random.default_rng``);
* :func:`resample_indices` draws units with replacement (``n_boot`` rows of ``n`` indices);
  :func:`index_weights` turns such rows into how often each unit is taken; :func:`multinomial_weights`
  draws those counts directly (a resample of ``n`` units with replacement is a multinomial draw);
* :func:`sentence_draws` resamples sentences within documents: the number of frame sentences among ``n``
  sentences drawn with replacement from a document whose share is ``p`` is Binomial(n, p);
* :func:`ratio_of_sums` is the ratio estimator of a share (sum of numerators over sum of denominators);
* :func:`percentile_interval` is the percentile interval of the replicates.

Every function takes its generator as an argument, so the bootstraps draw the same numbers in the same
order as before this module existed: outputs are byte-identical for a given seed.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np
import pandas as pd

from framing.corpus import metadata_as_written
from framing.errors import FramingWarning, ParameterError
from framing.types import MISSING_GROUP

__all__ = [
    "MissingGroupWarning",
    "check_documents_known",
    "check_level",
    "check_n_boot",
    "document_groups",
    "generator",
    "index_weights",
    "level_from_ci",
    "multinomial_weights",
    "percentile_bounds",
    "percentile_interval",
    "ratio_of_sums",
    "resample_indices",
    "sentence_draws",
]


class MissingGroupWarning(FramingWarning):
    """Documents without a value in the grouping column: counted in the group ``(missing)``."""


def document_groups(groups: pd.Series, by: str, where: str) -> pd.Series:
    """Return ``groups`` (one value per document, indexed by ``doc_id``) as text, missing values as ``(missing)``.

    A missing value (null, or blank text) is the group :data:`framing.types.MISSING_GROUP`, with a
    :class:`MissingGroupWarning` naming ``where`` (the corpus), the column ``by``, the count and the documents,
    so no document leaves a grouped table unseen (:func:`framing.scoring.group_scores` and
    :func:`framing.scoring.bootstrap_shares` count the same documents).
    """
    missing = groups.isna().to_numpy() | groups.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(bool)
    # one key type for every grouped table: the values as text, as written (a year column with a gap, read as
    # floats, is grouped as "2004", not 2004.0 in one table and "2004.0" in another)
    keys = metadata_as_written(groups).astype(object).map(str)
    if not missing.any():
        return keys
    ids = [str(i) for i in groups.index[missing]]
    shown = ", ".join(ids[:20]) + (f" and {len(ids) - 20} more" if len(ids) > 20 else "")
    warnings.warn(f"{where}: {len(ids)} document(s) without a value in column {by!r}, counted in the group "
                  f"{MISSING_GROUP!r}: {shown}", MissingGroupWarning, stacklevel=3)
    return keys.where(~missing, MISSING_GROUP)


def check_documents_known(doc_ids: pd.Series, corpus_ids: pd.Series, where: str, func: str) -> None:
    """Refuse a frames table whose documents ``doc_ids`` are not all among the corpus's ``corpus_ids``.

    A document the corpus does not have has no genre, no metadata and no token count: the frames came from
    another corpus (or a larger one than the subset given). Every grouped table (:func:`framing.scoring.group_scores`,
    :func:`framing.scoring.bootstrap_shares`, :func:`framing.compare.frame_share_intervals`, ...) refuses it the same
    way, rather than filling placeholders.

    Raises
    ------
    ParameterError
        Naming ``func``, ``where`` (the corpus), the count and the first documents.
    """
    unknown = pd.unique(doc_ids[~doc_ids.astype(str).isin(corpus_ids.astype(str))])
    if len(unknown):
        shown = ", ".join(map(repr, map(str, unknown[:10]))) + (f" and {len(unknown) - 10} more"
                                                                 if len(unknown) > 10 else "")
        raise ParameterError(f"{func}: {len(unknown)} document(s) of the frames table are not in {where}: {shown}; "
                             "pass the corpus the frames were computed from (or keep only its documents' rows)")


def check_n_boot(n_boot: Any, *, name: str = "n_boot", minimum: int = 1) -> int:
    """Return ``n_boot`` as an int, or raise :class:`ParameterError` naming ``name``.

    Parameters
    ----------
    n_boot : int
        Number of bootstrap replicates.
    name : str
        Parameter name used in the message.
    minimum : int
        Smallest accepted value (``0`` where no bootstrap is a valid choice).

    Returns
    -------
    int
        The validated value.
    """
    if isinstance(n_boot, bool) or not isinstance(n_boot, numbers.Integral) or n_boot < minimum:
        raise ParameterError(f"{name} must be an integer >= {minimum}, got {n_boot!r}")
    return int(n_boot)


def check_level(level: Any, *, name: str = "level") -> float:
    """Return the interval level as a float in (0, 1), or raise :class:`ParameterError` naming ``name``.

    Parameters
    ----------
    level : float
        Coverage of the interval, e.g. 0.95.
    name : str
        Parameter name used in the message.

    Returns
    -------
    float
        The validated value.
    """
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < float(level) < 1:
        raise ParameterError(f"{name} must be in (0, 1), got {level!r}")
    return float(level)


def level_from_ci(level: float, ci: float | None, func: str) -> float:
    """Resolve the deprecated ``ci`` keyword of ``func`` into ``level`` (with a :class:`FutureWarning`).

    Parameters
    ----------
    level : float
        The ``level`` argument.
    ci : float or None
        The deprecated ``ci`` argument (``None`` when not given).
    func : str
        Name of the public function, for the warning.

    Returns
    -------
    float
        ``ci`` when given, else ``level``.
    """
    if ci is None:
        return level
    warnings.warn(f"{func}(ci=...) is deprecated and will be removed; use level={ci!r}", FutureWarning,
                  stacklevel=3)
    return ci


def generator(random_state: int | np.random.Generator | None) -> np.random.Generator:
    """Return ``numpy.random.default_rng(random_state)`` (a generator is passed through unchanged).

    Parameters
    ----------
    random_state : int, Generator or None
        The seed: a non-negative integer (or a generator, or None for fresh entropy).

    Returns
    -------
    numpy.random.Generator
        The seeded generator.

    Raises
    ------
    ParameterError
        When ``random_state`` is neither a non-negative integer, a generator nor None (names ``random_state``).
    """
    if isinstance(random_state, np.random.Generator) or random_state is None:
        return np.random.default_rng(random_state)
    if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral) or random_state < 0:
        raise ParameterError(f"random_state must be a non-negative integer, got {random_state!r}")
    return np.random.default_rng(int(random_state))


def percentile_bounds(level: float) -> list[float]:
    """Return the two quantiles of a central ``level`` interval, ``[(1 - level) / 2, 1 - (1 - level) / 2]``.

    Parameters
    ----------
    level : float
        Coverage of the interval.

    Returns
    -------
    list of float
        Lower and upper quantile.
    """
    return [(1 - level) / 2, 1 - (1 - level) / 2]


def percentile_interval(
    replicates: np.ndarray, level: float, *, axis: int = 0, skip_nan: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of bootstrap replicates along ``axis``.

    Parameters
    ----------
    replicates : ndarray
        Replicates (``n_boot`` along ``axis``).
    level : float
        Coverage of the interval.
    axis : int
        Axis of the replicates.
    skip_nan : bool
        Ignore NaN replicates (a column of NaN only gives NaN, without a warning).

    Returns
    -------
    (ndarray, ndarray)
        Lower and upper bounds.
    """
    q = percentile_bounds(level)
    if not skip_nan:
        lo, hi = np.quantile(replicates, q, axis=axis)
        return lo, hi
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "All-NaN slice", RuntimeWarning)
        lo, hi = np.nanquantile(replicates, q, axis=axis)
    return lo, hi


def resample_indices(rng: np.random.Generator, n: int, n_boot: int) -> np.ndarray:
    """Draw ``n_boot`` resamples of ``n`` units with replacement.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator.
    n : int
        Number of units.
    n_boot : int
        Number of resamples.

    Returns
    -------
    ndarray (n_boot, n) of int
        Indices of the units drawn.
    """
    return rng.integers(0, n, size=(n_boot, n))


def index_weights(indices: np.ndarray, n: int) -> np.ndarray:
    """How often each of ``n`` units is taken in each row of ``indices`` (from :func:`resample_indices`).

    Parameters
    ----------
    indices : ndarray (b, m) of int
        Rows of unit indices in ``[0, n)``.
    n : int
        Number of units.

    Returns
    -------
    ndarray (b, n) of float
        Counts; each row sums to ``m``.
    """
    b = indices.shape[0]
    flat = (np.arange(b)[:, None] * n + indices).ravel()
    return np.bincount(flat, minlength=b * n).reshape(b, n).astype(float)


def multinomial_weights(rng: np.random.Generator, n: int, n_boot: int) -> np.ndarray:
    """Draw how often each of ``n`` units is taken in ``n_boot`` resamples of size ``n``.

    Parameters
    ----------
    rng, n, n_boot
        Generator, number of units, number of resamples (as for :func:`resample_indices`).

    Returns
    -------
    ndarray (n_boot, n) of float
        Multinomial(n, 1/n) counts; each row sums to ``n``.
    """
    return rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(float)


def sentence_draws(
    rng: np.random.Generator, n_sentences: Any, shares: Any, size: tuple[int, ...] | None = None
) -> np.ndarray:
    """Resample sentences within documents: frame sentences among ``n`` drawn with replacement.

    Drawing ``n`` sentences with replacement from a document where a share ``p`` carries the frame
    gives Binomial(n, p) frame sentences, so this is the sentence bootstrap of 0/1 labels without a loop.

    Parameters
    ----------
    rng : numpy.random.Generator
        The generator.
    n_sentences : int or ndarray of int
        Sentences per document (broadcast against ``shares``).
    shares : float or ndarray
        Share of the document's sentences carrying the frame.
    size : tuple of int, optional
        Output shape (default: the broadcast shape).

    Returns
    -------
    ndarray of int
        Frame sentences drawn.
    """
    return rng.binomial(n_sentences, shares, size=size)


def ratio_of_sums(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """Replicate shares ``num / den[:, None]``, NaN where the denominator is not positive.

    Parameters
    ----------
    num : ndarray (b, k)
        Resampled numerators (e.g. frame sentences).
    den : ndarray (b,)
        Resampled denominators (e.g. sentences).

    Returns
    -------
    ndarray (b, k) of float
        The ratios.
    """
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)[:, None]
    ratios: np.ndarray = np.divide(num, den, out=np.full(num.shape, np.nan), where=den > 0)
    return ratios
