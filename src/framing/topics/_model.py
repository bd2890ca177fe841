"""The topic model estimator: the study's vocabulary step, then NMF (on TF-IDF) or LDA (on counts)."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import Any, Self

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.exceptions import ConvergenceWarning
from sklearn.exceptions import NotFittedError as SklearnNotFittedError
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfTransformer
from sklearn.utils.validation import check_is_fitted

from framing.errors import NotFittedError, ParameterError, TopicModelError
from framing.topics._base import (
    MODELS,
    STUDY_STOP_WORDS,
    TOKEN_PATTERN,
    _as_texts,
    _check_choice,
    _check_df,
    _check_int,
    _check_positive,
    _normalise_rows,
    make_tfidf,
    warn_not_converged,
)
from framing.topics._coherence import coherence
from framing.types import DEFAULT_SEED, text_input_tags

__all__ = ["MIN_TOPICS", "TopicEstimator", "TopicModel"]

MIN_TOPICS = 2
"""Fewest topics a model fits: one topic gives every unit the weight 1 on it (nothing to compare or choose)."""


class TooManyTopicsError(TopicModelError):
    """k above what the units and the vocabulary allow; ``limit`` is the largest k that fits them."""

    def __init__(self, message: str, limit: int = 0) -> None:
        super().__init__(message)
        self.limit = limit


class TopicEstimator(TransformerMixin, BaseEstimator):
    """Base of the package's topic models (:class:`TopicModel`, ``SeededTopicModel``).

    Subclasses define ``__init__`` (parameters only) and ``fit``, which sets the fitted attributes read
    here: ``vectorizer_``, ``tfidf_``, ``model_``, ``terms_``, ``components_``, ``doc_term_`` and
    ``topic_labels_``. This class answers what every fitted topic model answers: topic weights of new
    texts, term counts, top terms and coherence.
    """

    vectorizer_: CountVectorizer
    tfidf_: TfidfTransformer | None
    model_: NMF | LatentDirichletAllocation
    terms_: np.ndarray
    components_: np.ndarray
    doc_term_: sp.csr_matrix
    doc_topic_: np.ndarray
    n_tokens_: np.ndarray
    empty_units_: np.ndarray
    topic_labels_: list[str]
    n_iter_: int
    converged_: bool

    def fit(self, X: Iterable[str], y: Any = None) -> Self:
        """Fit on ``X`` (one text per unit); defined by each topic model."""
        raise NotImplementedError(f"{type(self).__name__} does not define fit")

    def __sklearn_tags__(self) -> Any:
        """Declare string input (texts, as ``CountVectorizer``): :func:`framing.types.text_input_tags`."""
        tags = text_input_tags(super().__sklearn_tags__())
        tags.transformer_tags.preserves_dtype = []  # topic weights are float64 whatever the input
        return tags

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Return the topic labels (:attr:`topic_labels_`): the columns of :meth:`transform`.

        So ``set_output(transform="pandas")`` gives a DataFrame with one column per topic, and a topic model
        names its columns in a ``Pipeline`` or ``ColumnTransformer``.
        """
        self._check_fitted()
        return np.asarray(self.topic_labels_, dtype=object)

    def _check_fitted(self) -> None:
        try:
            check_is_fitted(self, "model_")
        except SklearnNotFittedError:
            raise NotFittedError(f"{type(self).__name__} is not fitted yet: call fit first") from None

    def transform(self, X: Iterable[str]) -> np.ndarray:
        """Return normalised topic weights (rows sum to 1; ``NaN`` rows for texts with no vocabulary)."""
        self._check_fitted()
        texts = _as_texts(X)
        counts = sp.csr_matrix(self.vectorizer_.transform(texts), dtype=np.float64)
        out = np.full((len(texts), len(self.topic_labels_)), np.nan)
        keep = np.flatnonzero(np.asarray(counts.sum(axis=1)).ravel() > 0)
        if keep.size:
            out[keep] = _normalise_rows(np.asarray(self.model_.transform(self._weighting(counts[keep]))))
        return out

    def count_matrix(self, X: Iterable[str]) -> sp.csr_matrix:
        """In-vocabulary term counts of ``X`` (rows: texts, columns: :attr:`terms_`)."""
        self._check_fitted()
        return sp.csr_matrix(self.vectorizer_.transform(_as_texts(X)), dtype=np.float64)

    def _weighting(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Return the matrix the model factorises: TF-IDF for NMF (when ``tfidf``), counts otherwise."""
        if self.tfidf_ is not None:
            return sp.csr_matrix(self.tfidf_.transform(counts))
        return counts

    def top_term_indices(self, n: int = 10) -> np.ndarray:
        """Return the indices of each topic's ``n`` heaviest terms (ties broken by term order), shape (k, n)."""
        self._check_fitted()
        _check_int("n", n)
        n = min(n, self.components_.shape[1])
        return np.argsort(-self.components_, axis=1, kind="stable")[:, :n]

    def top_terms(self, n: int = 10) -> pd.DataFrame:
        """Top terms per topic: columns ``topic, rank, term, weight`` (normalised topic-term weight)."""
        idx = self.top_term_indices(n)
        k, m = idx.shape
        return pd.DataFrame(
            {
                "topic": np.repeat(np.arange(k), m),
                "rank": np.tile(np.arange(m), k),
                "term": self.terms_[idx.ravel()].astype(str),
                "weight": np.take_along_axis(self.components_, idx, axis=1).ravel(),
            }
        )

    def coherence(self, measure: str = "npmi", n: int = 10, X: Iterable[str] | None = None) -> np.ndarray:
        """Per-topic coherence of the top ``n`` terms on the training units (or ``X``); :func:`coherence`."""
        self._check_fitted()
        matrix = self.doc_term_ if X is None else self.count_matrix(X)
        return coherence(self.top_term_indices(n), matrix, measure=measure)


# --------------------------------------------------------------------------------------------------


class TopicModel(TopicEstimator):
    """LDA or NMF topic model over short texts, with the study's vocabulary step.

    Parameters
    ----------
    n_topics : int, default 10
        Number of topics k, at least :data:`MIN_TOPICS` (2: one topic would give every unit the weight 1).
        Must not exceed the number of non-empty units nor the vocabulary size.
    model : {"nmf", "lda"}, default "nmf"
        ``"nmf"``: :class:`sklearn.decomposition.NMF` (Frobenius loss, coordinate descent) on TF-IDF
        weighted counts (``tfidf=True``) or raw counts. ``"lda"``: batch
        :class:`sklearn.decomposition.LatentDirichletAllocation` on raw counts.
    min_df, max_df : int or float, default 2 and 0.95
        Document-frequency filters over units (int: number of units, float: share of units).
    bigrams : bool, default False
        Add word pairs (formed after stop-word removal) to the vocabulary.
    max_features : int or None, default None
        Keep only the most frequent terms.
    extra_stop_words : sequence of str or None, default None
        Removed on top of scikit-learn's English list and :data:`STUDY_STOP_WORDS`.
    study_stop_words : bool, default True
        Use :data:`STUDY_STOP_WORDS`.
    vocabulary : sequence of str or None, default None
        A fixed vocabulary (then ``min_df``, ``max_df`` and ``max_features`` are ignored); used to refit on
        subsamples with the reference model's terms.
    tfidf : bool, default True
        NMF only: factorise TF-IDF weighted counts (smooth idf, sublinear tf, l2 rows) instead of counts.
    init : str or None, default None
        NMF initialisation (default ``"nndsvda"``, whose SVD scikit-learn computes with a randomized solver
        seeded by ``random_state``: the same for one seed, not across seeds; ``"random"`` draws it all).
    max_iter : int or None, default None
        Iterations (default 400 for NMF, 50 for LDA).
    doc_topic_prior, topic_word_prior : float or None, default None
        LDA Dirichlet priors (default ``1 / n_topics``).
    random_state : int, default DEFAULT_SEED (20081201)
        Seed passed to scikit-learn.

    Attributes
    ----------
    vectorizer_ : CountVectorizer
    terms_ : ndarray of str, shape (n_terms,)
    tfidf_ : TfidfTransformer or None
        scikit-learn's TF-IDF weighting fitted on the non-empty training units (NMF with ``tfidf=True``).
    model_ : NMF or LatentDirichletAllocation
    components_ : ndarray, shape (n_topics, n_terms)
        Topic-term weights, each row normalised to sum 1.
    doc_term_ : scipy.sparse.csr_matrix, shape (n_units, n_terms)
        In-vocabulary counts of the training units (the matrix coherence is computed on).
    doc_topic_ : ndarray, shape (n_units, n_topics)
        Normalised topic weights of the training units (``NaN`` rows for empty units).
    n_tokens_ : ndarray of int, shape (n_units,)
        In-vocabulary tokens per training unit.
    empty_units_ : ndarray of int
        Positions of training units left out because they had no in-vocabulary token.
    topic_labels_ : list of str
        ``topic_0``, ``topic_1``, ...
    n_iter_ : int
    converged_ : bool
        False when the solver stopped at ``max_iter`` (LDA: training perplexity, checked every 10 passes,
        still changed by more than 0.1).
    """

    def __init__(
        self,
        n_topics: int = 10,
        *,
        model: str = "nmf",
        min_df: int | float = 2,
        max_df: int | float = 0.95,
        bigrams: bool = False,
        max_features: int | None = None,
        extra_stop_words: Sequence[str] | None = None,
        study_stop_words: bool = True,
        vocabulary: Sequence[str] | None = None,
        tfidf: bool = True,
        init: str | None = None,
        max_iter: int | None = None,
        doc_topic_prior: float | None = None,
        topic_word_prior: float | None = None,
        random_state: int = DEFAULT_SEED,
    ) -> None:
        self.n_topics = n_topics
        self.model = model
        self.min_df = min_df
        self.max_df = max_df
        self.bigrams = bigrams
        self.max_features = max_features
        self.extra_stop_words = extra_stop_words
        self.study_stop_words = study_stop_words
        self.vocabulary = vocabulary
        self.tfidf = tfidf
        self.init = init
        self.max_iter = max_iter
        self.doc_topic_prior = doc_topic_prior
        self.topic_word_prior = topic_word_prior
        self.random_state = random_state

    # -- parameters --------------------------------------------------------------------------------

    def _validate_params_(self) -> None:
        _check_int("n_topics", self.n_topics, minimum=MIN_TOPICS)
        _check_choice("model", self.model, MODELS)
        _check_df("min_df", self.min_df)
        _check_df("max_df", self.max_df)
        if not isinstance(self.bigrams, bool):
            raise ParameterError(f"bigrams must be True or False, got {self.bigrams!r}")
        _check_int("max_features", self.max_features, allow_none=True)
        if self.extra_stop_words is not None and (
            isinstance(self.extra_stop_words, str) or not all(isinstance(w, str) for w in self.extra_stop_words)
        ):
            raise ParameterError(f"extra_stop_words must be a list of strings, got {self.extra_stop_words!r}")
        if self.vocabulary is not None and (
            isinstance(self.vocabulary, str)
            or len(self.vocabulary) == 0
            or not all(isinstance(w, str) for w in self.vocabulary)
        ):
            raise ParameterError(f"vocabulary must be a non-empty list of strings, got {self.vocabulary!r}")
        if self.init is not None:
            _check_choice("init", self.init, ("random", "nndsvd", "nndsvda", "nndsvdar"))
        _check_int("max_iter", self.max_iter, allow_none=True)
        _check_positive("doc_topic_prior", self.doc_topic_prior)
        _check_positive("topic_word_prior", self.topic_word_prior)
        _check_int("random_state", self.random_state, minimum=0)

    def stop_words(self) -> list[str]:
        """Return the sorted stop list used by the vocabulary step."""
        words = set(ENGLISH_STOP_WORDS)
        if self.study_stop_words:
            words |= STUDY_STOP_WORDS
        if self.extra_stop_words:
            words |= {w.lower() for w in self.extra_stop_words}
        return sorted(words)

    def _make_vectorizer(self, vocabulary: Sequence[str] | None = None) -> CountVectorizer:
        """Return the vocabulary step: a fixed ``vocabulary`` (argument, else the parameter) or the df filters."""
        common: dict[str, Any] = {
            "lowercase": True, "token_pattern": TOKEN_PATTERN, "stop_words": self.stop_words(),
            "ngram_range": (1, 2) if self.bigrams else (1, 1),
        }
        fixed = vocabulary if vocabulary is not None else self.vocabulary
        if fixed is not None:
            return CountVectorizer(**common, vocabulary=list(dict.fromkeys(fixed)))
        return CountVectorizer(**common, min_df=self.min_df, max_df=self.max_df, max_features=self.max_features)

    def _vectorize_fit(self, texts: list[str]) -> sp.csr_matrix:
        vec = self._make_vectorizer()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # stop-word/token-pattern consistency note
                counts = vec.fit_transform(texts)
        except ValueError as exc:  # empty vocabulary, or max_df below min_df
            raise TopicModelError(
                f"empty vocabulary after filtering {len(texts)} units with min_df={self.min_df!r}, "
                f"max_df={self.max_df!r}, max_features={self.max_features!r} and the stop lists "
                f"(scikit-learn: {exc}); lower min_df or raise max_df, or use a larger unit"
            ) from None
        self.vectorizer_ = vec
        return sp.csr_matrix(counts, dtype=np.float64)

    def _make_model(self, k: int, *, custom_init: bool = False) -> NMF | LatentDirichletAllocation:
        if self.model == "nmf":
            return NMF(
                n_components=k,
                init="custom" if custom_init else self.init or "nndsvda",
                max_iter=self.max_iter or 400,
                random_state=self.random_state,
            )
        return LatentDirichletAllocation(
            n_components=k,
            learning_method="batch",
            max_iter=self.max_iter or 50,
            doc_topic_prior=self.doc_topic_prior,
            topic_word_prior=self.topic_word_prior,
            random_state=self.random_state,
            evaluate_every=10,
            perp_tol=0.1,
            n_jobs=1,
        )

    # -- fitting -----------------------------------------------------------------------------------

    def fit(self, X: Iterable[str], y: Any = None) -> Self:
        """Build the vocabulary on ``X`` (one text per unit) and fit the topic model.

        Parameters
        ----------
        X : sequence of str
            Unit texts; ``None``/``NaN``/``""`` are empty units (left out, weights ``NaN``).
        y : ignored

        Returns
        -------
        TopicModel
            The fitted estimator.

        Raises
        ------
        ParameterError
            A parameter has a bad value (named in the message).
        TopicModelError
            No units, empty vocabulary after filtering, or ``n_topics`` larger than the number of
            non-empty units or of terms.
        """
        self._validate_params_()
        texts = _as_texts(X)
        if not texts:
            raise TopicModelError("no units to fit a topic model on (X is empty)")
        counts = self._vectorize_fit(texts)
        self._fit_counts(counts)
        return self

    def _fit_counts(
        self, counts: sp.csr_matrix, *, init_w: np.ndarray | None = None, init_h: np.ndarray | None = None
    ) -> None:
        self.terms_ = np.asarray(self.vectorizer_.get_feature_names_out(), dtype=object)
        n_tokens = np.asarray(counts.sum(axis=1)).ravel()
        keep = np.flatnonzero(n_tokens > 0)
        self.empty_units_ = np.flatnonzero(n_tokens == 0)
        k = int(self.n_topics)
        self._check_sizes(keep.size, counts.shape[0], counts.shape[1])
        self.tfidf_ = make_tfidf(counts[keep]) if self.model == "nmf" and self.tfidf else None
        model = self._make_model(k, custom_init=init_w is not None)
        x = self._weighting(counts[keep])
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            try:
                if init_w is not None and init_h is not None:
                    w = model.fit_transform(x, W=init_w[keep], H=init_h)
                else:
                    w = model.fit_transform(x)
            except ValueError as exc:
                raise TopicModelError(
                    f"{self.model} could not be fitted with n_topics={k} on {keep.size} units and "
                    f"{counts.shape[1]} terms: {exc}"
                ) from None
        self.model_ = model
        self.n_iter_ = int(model.n_iter_)
        self.converged_ = not any(issubclass(c.category, ConvergenceWarning) for c in caught)
        if self.model == "lda" and self.n_iter_ >= model.max_iter:
            self.converged_ = False
        if not self.converged_:
            warn_not_converged(self.model, k, model.max_iter, "passes" if self.model == "lda" else "iterations")
        comp = np.asarray(model.components_, dtype=np.float64)
        self.components_ = _normalise_rows(comp)
        self.components_[np.isnan(self.components_)] = 1.0 / comp.shape[1]
        full = np.full((counts.shape[0], k), np.nan)
        full[keep] = _normalise_rows(np.asarray(w, dtype=np.float64))
        self.doc_topic_ = full
        self.doc_term_ = counts
        self.n_tokens_ = n_tokens.astype(np.int64)
        self.topic_labels_ = [f"topic_{i}" for i in range(k)]

    def _check_sizes(self, nonempty: int, n_units: int, n_terms: int) -> None:
        """Refuse a fit with no non-empty unit, or with more topics than non-empty units or terms.

        The message gives the smaller of the two limits (both, when both are exceeded), so that the k it
        proposes fits.
        """
        k = int(self.n_topics)
        if nonempty == 0:
            raise TopicModelError(
                f"none of the {n_units} units has an in-vocabulary token; "
                f"lower min_df={self.min_df!r} or check the texts"
            )
        check_topic_limit(k, nonempty, n_units, n_terms, min_df=self.min_df, max_df=self.max_df)

    def perplexity(self, X: Iterable[str]) -> float:
        """LDA perplexity of ``X`` (texts with no in-vocabulary token are skipped); ``NaN`` if none remain."""
        self._check_fitted()
        if self.model != "lda":
            raise TopicModelError(f"perplexity is defined for model='lda' only, not model={self.model!r}")
        counts = self.count_matrix(X)
        keep = np.flatnonzero(np.asarray(counts.sum(axis=1)).ravel() > 0)
        if keep.size == 0:
            return float("nan")
        return float(self.model_.perplexity(counts[keep]))


def check_topic_limit(k: int, nonempty: int, n_units: int, n_terms: int, *, min_df: object,
                      max_df: object) -> None:
    """Raise :class:`TooManyTopicsError` when ``k`` exceeds the units or the terms, naming the smaller limit.

    Parameters
    ----------
    k : int
        The number of topics asked for (``n_topics``).
    nonempty, n_units : int
        Units with at least one in-vocabulary token, and all units.
    n_terms : int
        Terms of the vocabulary.
    min_df, max_df : object
        The vocabulary filters, named in the advice when the vocabulary is the limit.
    """
    limit = min(nonempty, n_terms)
    if k <= limit:
        return
    parts = []
    if k > nonempty:
        parts.append(f"the number of non-empty units ({nonempty} of {n_units})")
    if k > n_terms:
        parts.append(f"the vocabulary ({n_terms} terms)")
    if limit < MIN_TOPICS:
        advice = "use more units" if nonempty < n_terms else f"lower min_df={min_df!r} or raise max_df={max_df!r}"
        raise TooManyTopicsError(
            f"n_topics={k} is larger than {' and '.join(parts)}: no topic model of {MIN_TOPICS} or more topics "
            f"fits; {advice}", limit,
        )  # fmt: skip
    advice = ("or use a smaller unit" if nonempty <= n_terms
              else f"or lower min_df={min_df!r} or raise max_df={max_df!r}")
    raise TooManyTopicsError(
        f"n_topics={k} is larger than {' and '.join(parts)}; choose n_topics <= {limit} {advice}", limit
    )


def _template(estimator: TopicEstimator | None, **overrides: Any) -> TopicEstimator:
    """Return an unfitted copy of ``estimator`` (default: ``TopicModel()``) with ``overrides`` set."""
    base = TopicModel() if estimator is None else estimator
    if not isinstance(base, TopicEstimator):
        raise ParameterError(f"estimator must be a TopicModel or SeededTopicModel, got {type(base).__name__}")
    est: TopicEstimator = clone(base)
    if overrides:
        unknown = sorted(set(overrides) - set(est.get_params()))
        if unknown:
            raise ParameterError(
                f"{type(est).__name__} has no parameter(s) {unknown}; it takes {sorted(est.get_params())}"
            )
        est.set_params(**overrides)
    return est
