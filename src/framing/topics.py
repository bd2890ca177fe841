"""Topic models (LDA and NMF) over sentences, paragraphs or documents, with choice of k, coherence,
stability across seeds, lexicon-seeded topics and comparisons by genre and by blame frame.

The method notes are in ``docs/topics.md``. In short:

Units
    ``document``: one unit per document, its text the join (``" "``) of its *content* sentences in order
    (the raw text is never used, because it contains boilerplate). ``paragraph``: one unit per row of the
    paragraphs table that holds at least one content sentence, its text the join of those sentences
    (paragraphs made only of removed boilerplate drop out). ``sentence``: one unit per content sentence.
Vocabulary
    Lowercased tokens of two or more letters (:data:`TOKEN_PATTERN`; digits and apostrophes split tokens),
    minus scikit-learn's English stop words, minus :data:`STUDY_STOP_WORDS` (reporting verbs, honorifics,
    the case's own name and calendar words that occur in every text of the study and carry no frame), minus
    any ``extra_stop_words``; then ``min_df`` / ``max_df`` document-frequency filters over units and, with
    ``bigrams=True``, word pairs formed *after* stop-word removal. No NLTK data is needed.
Empty units
    A unit whose text is missing or has no in-vocabulary token is left out of the fit; its topic weights are
    ``NaN`` and it carries no weight when units are aggregated to documents (a documented fallback, not
    an error).
Aggregation to documents
    A document's topic weights are the mean of its units' normalised topic weights, weighted by each unit's
    number of in-vocabulary tokens (the tokens the model saw). A document with no such token gets ``NaN``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from framing.errors import ParameterError, TopicModelError
from framing.types import PathLike

if TYPE_CHECKING:
    from framing.corpus import ProcessedCorpus

__all__ = [
    "MODELS",
    "STUDY_STOP_WORDS",
    "TOKEN_PATTERN",
    "UNITS",
    "KSelection",
    "SeededTopicModel",
    "StabilityResult",
    "TopicFit",
    "TopicModel",
    "aggregate_to_documents",
    "align_topics",
    "choose_k",
    "coherence",
    "fit_topics",
    "lexicon_seed_terms",
    "match_seed_terms",
    "plot_coherence_by_k",
    "plot_prevalence",
    "plot_stability",
    "plot_topic_frames",
    "plot_topic_similarity",
    "representative_units",
    "score_units",
    "stability_by_k",
    "stability_verdict",
    "topic_frame_association",
    "topic_prevalence",
    "topic_similarity",
    "topic_stability",
    "topic_units",
    "write_topic_outputs",
]

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
        # the case itself: in every text of the study, names the child, not a frame
        "baby", "peter", "connelly",
        # calendar words
        "year", "years", "month", "months", "week", "weeks", "day", "days", "time",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    }
)  # fmt: skip
"""Study stop list, removed on top of scikit-learn's English stop words (see module docstring)."""

_EPS = 1e-12


# --------------------------------------------------------------------------------------------------
# validation helpers


def _check_int(name: str, value: Any, *, minimum: int = 1, allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ParameterError(f"{name} must be an integer >= {minimum}, got {value!r}")


def _check_df(name: str, value: Any) -> None:
    if isinstance(value, bool):
        raise ParameterError(f"{name} must be an int >= 1 or a float in (0, 1], got {value!r}")
    if isinstance(value, int | np.integer):
        if value < 1:
            raise ParameterError(f"{name} must be an int >= 1 or a float in (0, 1], got {value!r}")
    elif isinstance(value, float):
        if not 0.0 < value <= 1.0:
            raise ParameterError(f"{name} must be an int >= 1 or a float in (0, 1], got {value!r}")
    else:
        raise ParameterError(f"{name} must be an int >= 1 or a float in (0, 1], got {value!r}")


def _check_choice(name: str, value: Any, choices: Sequence[str]) -> None:
    if value not in choices:
        raise ParameterError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")


def _check_fraction(name: str, value: Any, *, low_open: bool = True, high_open: bool = True) -> None:
    ok = isinstance(value, float | int) and not isinstance(value, bool)
    if ok:
        ok = (value > 0.0 if low_open else value >= 0.0) and (value < 1.0 if high_open else value <= 1.0)
    if not ok:
        lo = "(0" if low_open else "[0"
        hi = "1)" if high_open else "1]"
        raise ParameterError(f"{name} must be a number in {lo}, {hi}, got {value!r}")


def _as_texts(texts: Any) -> list[str]:
    """Return ``texts`` as a list of strings; missing values (None, NaN) become ``""`` (empty units)."""
    if isinstance(texts, str | bytes):
        raise ParameterError("texts must be a sequence of strings (one per unit), got a single string")
    if isinstance(texts, pd.DataFrame):
        raise ParameterError("texts must be a sequence of strings, got a DataFrame: pass one text column")
    out: list[str] = []
    for i, t in enumerate(texts):
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


# --------------------------------------------------------------------------------------------------
# the estimator


class TopicModel(TransformerMixin, BaseEstimator):
    """LDA or NMF topic model over short texts, with the study's vocabulary step.

    Parameters
    ----------
    n_topics : int, default 10
        Number of topics k. Must not exceed the number of non-empty units nor the vocabulary size.
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
        NMF initialisation (default ``"nndsvda"``, deterministic; ``"random"`` makes the seed matter).
    max_iter : int or None, default None
        Iterations (default 400 for NMF, 50 for LDA).
    doc_topic_prior, topic_word_prior : float or None, default None
        LDA Dirichlet priors (default ``1 / n_topics``).
    random_state : int, default 0
        Seed passed to scikit-learn.

    Attributes
    ----------
    vectorizer_ : CountVectorizer
    terms_ : ndarray of str, shape (n_terms,)
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
        random_state: int = 0,
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
        _check_int("n_topics", self.n_topics)
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
        for name in ("doc_topic_prior", "topic_word_prior"):
            v = getattr(self, name)
            if v is not None and (isinstance(v, bool) or not isinstance(v, int | float) or v <= 0):
                raise ParameterError(f"{name} must be a positive number or None, got {v!r}")
        _check_int("random_state", self.random_state, minimum=0)

    def stop_words(self) -> list[str]:
        """Return the sorted stop list used by the vocabulary step."""
        words = set(ENGLISH_STOP_WORDS)
        if self.study_stop_words:
            words |= STUDY_STOP_WORDS
        if self.extra_stop_words:
            words |= {w.lower() for w in self.extra_stop_words}
        return sorted(words)

    def _make_vectorizer(self) -> CountVectorizer:
        if self.vocabulary is not None:
            return CountVectorizer(
                lowercase=True,
                token_pattern=TOKEN_PATTERN,
                stop_words=self.stop_words(),
                ngram_range=(1, 2) if self.bigrams else (1, 1),
                vocabulary=list(dict.fromkeys(self.vocabulary)),
            )
        return CountVectorizer(
            lowercase=True,
            token_pattern=TOKEN_PATTERN,
            stop_words=self.stop_words(),
            min_df=self.min_df,
            max_df=self.max_df,
            max_features=self.max_features,
            ngram_range=(1, 2) if self.bigrams else (1, 1),
        )

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
                f"(scikit-learn: {exc}); lower min_df, raise max_df or use a larger unit"
            ) from None
        self.vectorizer_ = vec
        return sp.csr_matrix(counts, dtype=np.float64)

    def _weighting(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """The matrix the model factorises: TF-IDF for NMF (when ``tfidf``), counts otherwise."""
        if self.model == "nmf" and self.tfidf:
            x = counts.copy()
            x.data = 1.0 + np.log(x.data)
            x = x.multiply(self.idf_[None, :]).tocsr()
            norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
            norms[norms == 0] = 1.0
            return sp.csr_matrix(x.multiply(1.0 / norms[:, None]))
        return counts

    def _make_model(self, k: int) -> NMF | LatentDirichletAllocation:
        if self.model == "nmf":
            return NMF(
                n_components=k,
                init=self.init or "nndsvda",
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

    def fit(self, X: Iterable[str], y: Any = None) -> TopicModel:
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
        if keep.size == 0:
            raise TopicModelError(
                f"none of the {counts.shape[0]} units has an in-vocabulary token; "
                f"lower min_df={self.min_df!r} or check the texts"
            )
        if k > keep.size:
            raise TopicModelError(
                f"n_topics={k} is larger than the number of non-empty units ({keep.size} of "
                f"{counts.shape[0]}); choose n_topics <= {keep.size} or use a smaller unit"
            )
        if k > counts.shape[1]:
            raise TopicModelError(
                f"n_topics={k} is larger than the vocabulary ({counts.shape[1]} terms); "
                f"choose n_topics <= {counts.shape[1]} or relax min_df={self.min_df!r}/max_df={self.max_df!r}"
            )
        df = np.asarray((counts[keep] > 0).sum(axis=0)).ravel()
        self.idf_ = np.log((1.0 + keep.size) / (1.0 + df)) + 1.0
        model = self._make_model(k)
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
        comp = np.asarray(model.components_, dtype=np.float64)
        self.components_ = _normalise_rows(comp)
        self.components_[np.isnan(self.components_)] = 1.0 / comp.shape[1]
        full = np.full((counts.shape[0], k), np.nan)
        full[keep] = _normalise_rows(np.asarray(w, dtype=np.float64))
        self.doc_topic_ = full
        self.doc_term_ = counts
        self.n_tokens_ = n_tokens.astype(np.int64)
        self.topic_labels_ = [f"topic_{i}" for i in range(k)]

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise TopicModelError(f"{type(self).__name__} is not fitted yet: call fit first")

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

    def top_term_indices(self, n: int = 10) -> np.ndarray:
        """Indices of each topic's ``n`` heaviest terms (ties broken by term order), shape (k, n)."""
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
# coherence


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
# choosing k


@dataclass(frozen=True)
class KSelection:
    """Result of :func:`choose_k`.

    Attributes
    ----------
    table : DataFrame
        One row per k: ``k, npmi, umass, perplexity`` (LDA held-out perplexity, NaN for NMF),
        ``reconstruction_error`` (NMF, NaN for LDA), ``converged``.
    best_k : int
        The chosen k.
    rule : str
        The rule that chose it, in words.
    """

    table: pd.DataFrame
    best_k: int
    rule: str


def _template(estimator: TopicModel | None, **overrides: Any) -> TopicModel:
    base = TopicModel() if estimator is None else estimator
    if not isinstance(base, TopicModel):
        raise ParameterError(f"estimator must be a TopicModel, got {type(base).__name__}")
    est: TopicModel = clone(base)
    if overrides:
        unknown = sorted(set(overrides) - set(est.get_params()))
        if unknown:
            raise ParameterError(
                f"{type(est).__name__} has no parameter(s) {unknown}; it takes {sorted(est.get_params())}"
            )
        est.set_params(**overrides)
    return est


def choose_k(
    texts: Sequence[str],
    k_values: Iterable[int],
    *,
    estimator: TopicModel | None = None,
    n_top: int = 10,
    held_out: float = 0.2,
    tolerance: float = 0.01,
    random_state: int = 0,
) -> KSelection:
    """Fit a model for each k and report coherence (NPMI, UMass) and, for LDA, held-out perplexity.

    Rule: the k with the highest mean NPMI over topics, except that the *smallest* k whose NPMI is within
    ``tolerance`` of that maximum is preferred (parsimony: fewer topics that are as coherent). UMass and
    perplexity are reported beside it but do not choose (UMass rewards frequent terms; perplexity keeps
    falling with k and does not track human judgements, Chang et al. 2009).

    Parameters
    ----------
    texts : sequence of str
        Unit texts.
    k_values : iterable of int
        Candidate k (each >= 2; values larger than the number of non-empty units are skipped and noted).
    estimator : TopicModel or None
        Template (model family and vocabulary parameters); ``n_topics`` and ``random_state`` are overridden.
    n_top : int, default 10
        Top terms per topic for coherence.
    held_out : float, default 0.2
        Share of units held out (seeded split) for LDA perplexity; the model scored is refitted on the rest.
    tolerance : float, default 0.01
        NPMI tolerance of the parsimony rule.
    random_state : int, default 0

    Returns
    -------
    KSelection
    """
    ks = sorted({int(k) for k in k_values})
    if not ks:
        raise ParameterError("k_values must hold at least one k, got an empty range")
    for k in ks:
        _check_int("k_values", k, minimum=2)
    _check_int("n_top", n_top, minimum=2)
    _check_fraction("held_out", held_out)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance < 0:
        raise ParameterError(f"tolerance must be a number >= 0, got {tolerance!r}")
    texts = _as_texts(texts)
    rows: list[dict[str, Any]] = []
    skipped: list[int] = []
    rng = np.random.default_rng(random_state)
    perm = rng.permutation(len(texts))
    n_test = max(1, round(held_out * len(texts)))
    test_idx, train_idx = np.sort(perm[:n_test]), np.sort(perm[n_test:])
    for k in ks:
        est = _template(estimator, n_topics=k, random_state=random_state)
        try:
            est.fit(texts)
        except TopicModelError:
            skipped.append(k)
            continue
        row: dict[str, Any] = {
            "k": k,
            "npmi": float(np.mean(est.coherence("npmi", n_top))),
            "umass": float(np.mean(est.coherence("umass", n_top))),
            "perplexity": np.nan,
            "reconstruction_error": np.nan,
            "converged": est.converged_,
        }
        if est.model == "lda":
            held = _template(estimator, n_topics=k, random_state=random_state, vocabulary=list(est.terms_))
            try:
                held.fit([texts[i] for i in train_idx])
                row["perplexity"] = held.perplexity([texts[i] for i in test_idx])
            except TopicModelError:
                pass
        else:
            row["reconstruction_error"] = float(est.model_.reconstruction_err_)
        rows.append(row)
    if not rows:
        raise TopicModelError(
            f"no k in {ks} could be fitted on {len(texts)} units (k larger than the units or the vocabulary)"
        )
    table = pd.DataFrame(rows)
    best_npmi = table["npmi"].max()
    best_k = int(table.loc[table["npmi"] >= best_npmi - tolerance, "k"].min())
    rule = (
        f"smallest k whose mean NPMI is within {tolerance:g} of the best ({best_npmi:.3f} at "
        f"k={int(table.loc[table['npmi'].idxmax(), 'k'])}): k={best_k}"
    )
    if skipped:
        rule += f"; skipped k={skipped} (too large for the units or vocabulary)"
    return KSelection(table=table, best_k=best_k, rule=rule)


# --------------------------------------------------------------------------------------------------
# stability


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
    reference : TopicModel
        The reference model (fitted on all units with the template's own ``random_state``).
    """

    topics: pd.DataFrame
    runs: pd.DataFrame
    mean_stability: float
    threshold: float
    reference: TopicModel


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


def topic_stability(
    texts: Sequence[str],
    estimator: TopicModel | None = None,
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
    its mean matched cosine over runs, and a topic is *unstable* when that is below ``threshold``. (With
    the deterministic ``nndsvda`` NMF initialisation only the subsample varies between runs; set
    ``init="random"`` to vary both.)

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
    ref = _template(estimator).fit(texts)
    k = len(ref.topic_labels_)
    run_rows: list[pd.DataFrame] = []
    sims = np.empty((len(seeds), k))
    nonempty = np.setdiff1d(np.arange(len(texts)), ref.empty_units_)
    n_sub = min(len(nonempty), max(k, round(subsample * len(nonempty))))
    for j, seed in enumerate(seeds):
        rng = np.random.default_rng(seed)
        idx = np.sort(rng.choice(nonempty, size=n_sub, replace=False))
        run = _template(estimator, random_state=int(seed), vocabulary=list(ref.terms_))
        run.fit([texts[i] for i in idx])
        matched, sim = align_topics(ref.components_, run.components_)
        sims[j] = sim
        run_rows.append(
            pd.DataFrame({"seed": int(seed), "topic": np.arange(k), "matched_topic": matched, "similarity": sim})
        )
    stability = sims.mean(axis=0)
    top = ref.top_terms(n_top).groupby("topic", sort=True)["term"].agg(" ".join)
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
    )


def stability_by_k(
    texts: Sequence[str],
    k_values: Iterable[int],
    estimator: TopicModel | None = None,
    seeds: Sequence[int] = (1, 2, 3, 4, 5),
    *,
    threshold: float = 0.7,
    subsample: float = 0.8,
) -> pd.DataFrame:
    """:func:`topic_stability` for each k.

    Returns ``k, mean_stability, min_stability, n_unstable, share_unstable``; k that cannot be fitted are
    skipped.
    """
    rows = []
    for k in sorted({int(k) for k in k_values}):
        try:
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
            }
        )
    if not rows:
        raise TopicModelError(f"no k in {sorted(set(k_values))} could be fitted for the stability check")
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------
# seeded topics


_TOKEN_RE = re.compile(TOKEN_PATTERN)


def match_seed_terms(patterns: Iterable[str], terms: Sequence[str], stop_words: Iterable[str] = ()) -> list[str]:
    """Vocabulary terms matched by lexicon patterns.

    A pattern is lowercased, tokenised like the vocabulary and stripped of ``stop_words`` (as the
    vocabulary's n-grams are formed after stop-word removal). A trailing ``*`` marks a prefix. One word
    matches that unigram (or every unigram starting with it). A phrase matches the whole phrase when it is
    a vocabulary term, otherwise each of its consecutive word pairs that is a vocabulary bigram (the last
    pair as a prefix if starred), otherwise nothing: the single words of a phrase ("children", "services"
    of "director of children's services") are not evidence of the category. Phrases therefore need
    ``bigrams=True``. Returns matched terms in vocabulary order.
    """
    vocab = np.asarray(list(terms), dtype=str)
    index = {t: i for i, t in enumerate(vocab)}
    stops = {w.lower() for w in stop_words}
    hit = np.zeros(len(vocab), dtype=bool)
    is_unigram = np.char.find(vocab, " ") < 0
    for pattern in patterns:
        p = pattern.strip().lower()
        prefix = p.endswith("*")
        toks = [t for t in _TOKEN_RE.findall(p.rstrip("*")) if t not in stops]
        if not toks:
            continue
        if len(toks) == 1:
            if prefix:
                hit |= np.char.startswith(vocab, toks[0]) & is_unigram
            elif toks[0] in index:
                hit[index[toks[0]]] = True
            continue
        whole = " ".join(toks)
        if not prefix and whole in index:
            hit[index[whole]] = True
            continue
        pairs = [f"{a} {b}" for a, b in pairwise(toks)]
        for j, pair in enumerate(pairs):
            if prefix and j == len(pairs) - 1:
                hit |= np.char.startswith(vocab, pair) & (np.char.count(vocab, " ") == 1)
            elif pair in index:
                hit[index[pair]] = True
    return [str(t) for t in vocab[hit]]


def lexicon_seed_terms(lexicon: str = "blame_frames") -> dict[str, list[str]]:
    """Seed patterns per category of a shipped lexicon (``framing.lexicon.load_lexicon``)."""
    try:
        from framing.lexicon import load_lexicon
    except ImportError as exc:  # the lexicon module is missing: say so plainly
        raise TopicModelError(
            f"cannot load lexicon {lexicon!r} for seeded topics (framing.lexicon unavailable: {exc}); "
            "pass seed_terms={category: [patterns]} instead"
        ) from None
    lex = load_lexicon(lexicon)
    return {str(c): [str(t) for t in lex.terms(c)] for c in lex.categories}


class SeededTopicModel(TopicModel):
    """NMF with lexicon-seeded topics beside free topics.

    Each seed category (by default each blame frame of the ``blame_frames`` lexicon) gets one topic whose
    initial topic-term row puts weight 1 on the category's terms (see :func:`match_seed_terms`) and a
    small floor elsewhere, and whose initial unit loadings are the units' counts of those terms;
    ``n_free`` further topics start from a seeded random draw. NMF (``init="custom"``) then lets every
    topic move, so a seeded topic keeps its frame only as far as the data support it: ``seed_retention_``
    reports the share of each topic's weight still on its seed terms.

    Parameters
    ----------
    seed_terms : mapping of str to list of str, or None
        Patterns per category; ``None`` loads ``lexicon`` with :func:`lexicon_seed_terms`.
    lexicon : str, default "blame_frames"
    n_free : int, default 3
        Free (data-driven) topics.
    seed_floor : float, default 0.01
        Initial weight of non-seed terms in a seeded topic, relative to seed terms.
    bigrams : bool, default True
        Word pairs in the vocabulary, so that lexicon phrases can seed (see :func:`match_seed_terms`).
    Other parameters as :class:`TopicModel` (``model`` is always ``"nmf"``).

    Attributes
    ----------
    topic_labels_ : list of str
        ``seed:CATEGORY`` for seeded topics (in category order), then ``free_0``, ...
    seed_terms_ : dict of str to list of str
        The vocabulary terms each category seeded.
    ambiguous_seed_terms_ : list of str
        Terms matched by more than one category; they seed none (no term is evidence of two frames).
    unmatched_seeds_ : list of str
        Categories none of whose patterns matched the vocabulary (they get no topic; a warning is issued).
    seed_retention_ : ndarray, shape (n_seeded,)
        Share of each seeded topic's final weight on its seed terms.
    """

    def __init__(
        self,
        seed_terms: Mapping[str, Sequence[str]] | None = None,
        *,
        lexicon: str = "blame_frames",
        n_free: int = 3,
        seed_floor: float = 0.01,
        min_df: int | float = 2,
        max_df: int | float = 0.95,
        bigrams: bool = True,
        max_features: int | None = None,
        extra_stop_words: Sequence[str] | None = None,
        study_stop_words: bool = True,
        vocabulary: Sequence[str] | None = None,
        tfidf: bool = True,
        max_iter: int | None = None,
        random_state: int = 0,
    ) -> None:
        self.seed_terms = seed_terms
        self.lexicon = lexicon
        self.n_free = n_free
        self.seed_floor = seed_floor
        super().__init__(
            n_topics=1, model="nmf", min_df=min_df, max_df=max_df, bigrams=bigrams,
            max_features=max_features, extra_stop_words=extra_stop_words, study_stop_words=study_stop_words,
            vocabulary=vocabulary, tfidf=tfidf, max_iter=max_iter, random_state=random_state,
        )  # fmt: skip

    @classmethod
    def _get_param_names(cls) -> list[str]:
        return sorted(
            [
                "seed_terms",
                "lexicon",
                "n_free",
                "seed_floor",
                "min_df",
                "max_df",
                "bigrams",
                "max_features",
                "extra_stop_words",
                "study_stop_words",
                "vocabulary",
                "tfidf",
                "max_iter",
                "random_state",
            ]
        )

    def fit(self, X: Iterable[str], y: Any = None) -> SeededTopicModel:
        """Fit the seeded NMF on ``X`` (one text per unit); see :meth:`TopicModel.fit` for errors."""
        _check_int("n_free", self.n_free, minimum=0)
        if (
            isinstance(self.seed_floor, bool)
            or not isinstance(self.seed_floor, int | float)
            or not (0 < self.seed_floor <= 1)
        ):
            raise ParameterError(f"seed_floor must be a number in (0, 1], got {self.seed_floor!r}")
        seeds = dict(self.seed_terms) if self.seed_terms is not None else lexicon_seed_terms(self.lexicon)
        if not seeds:
            raise ParameterError("seed_terms must hold at least one category, got none")
        for cat, pats in seeds.items():
            if isinstance(pats, str) or not all(isinstance(p, str) for p in pats):
                raise ParameterError(f"seed_terms[{cat!r}] must be a list of strings, got {pats!r}")
        self.n_topics = 1  # re-set below once the matched categories are known
        self.model = "nmf"
        self.init = None
        self._validate_params_()
        texts = _as_texts(X)
        if not texts:
            raise TopicModelError("no units to fit a topic model on (X is empty)")
        counts = self._vectorize_fit(texts)
        terms = list(self.vectorizer_.get_feature_names_out())
        index = {t: i for i, t in enumerate(terms)}
        stops = self.stop_words()
        matched = {c: match_seed_terms(p, terms, stops) for c, p in seeds.items()}
        owners: dict[str, int] = {}
        for ts in matched.values():
            for t in ts:
                owners[t] = owners.get(t, 0) + 1
        self.ambiguous_seed_terms_ = sorted(t for t, n in owners.items() if n > 1)
        matched = {c: [t for t in ts if owners[t] == 1] for c, ts in matched.items()}
        self.unmatched_seeds_ = [c for c, m in matched.items() if not m]
        if self.unmatched_seeds_:
            warnings.warn(
                f"seed categories {self.unmatched_seeds_} match no vocabulary term (min_df={self.min_df!r}); "
                "they get no seeded topic",
                UserWarning,
                stacklevel=2,
            )
        self.seed_terms_ = {c: m for c, m in matched.items() if m}
        if not self.seed_terms_:
            raise TopicModelError(
                f"no seed category matches the vocabulary ({len(terms)} terms, min_df={self.min_df!r}); "
                "lower min_df or check the seed terms"
            )
        n_seeded = len(self.seed_terms_)
        k = n_seeded + int(self.n_free)
        self.n_topics = k
        rng = np.random.default_rng(self.random_state)
        n_terms = len(terms)
        h0 = np.empty((k, n_terms))
        ind = np.zeros((n_seeded, n_terms))
        for i, ts in enumerate(self.seed_terms_.values()):
            ind[i, [index[t] for t in ts]] = 1.0
        h0[:n_seeded] = np.where(ind > 0, 1.0, float(self.seed_floor))
        h0[n_seeded:] = rng.uniform(0.0, 1.0, size=(k - n_seeded, n_terms))
        # the fit below computes idf_ from the same counts; the loadings here use raw presence only
        present = sp.csr_matrix((counts > 0).astype(np.float64))
        w0 = np.empty((counts.shape[0], k))
        w0[:, :n_seeded] = np.asarray(present @ ind.T) + float(self.seed_floor)
        w0[:, n_seeded:] = rng.uniform(0.0, 1.0, size=(counts.shape[0], k - n_seeded))
        # scale like scikit-learn's random init: W @ H of the order of the data
        df = np.asarray((counts > 0).sum(axis=0)).ravel()
        n_nonempty = max(1, int((np.asarray(counts.sum(axis=1)).ravel() > 0).sum()))
        self.idf_ = np.log((1.0 + n_nonempty) / (1.0 + df)) + 1.0
        x_mean = float(self._weighting(counts).mean())
        avg = np.sqrt(max(x_mean, _EPS) / k)
        w0 *= avg / max(float(w0.mean()), _EPS)
        h0 *= avg / max(float(h0.mean()), _EPS)
        self.init = "custom"
        try:
            self._fit_counts(counts, init_w=w0, init_h=h0)
        finally:
            self.init = None
        self.topic_labels_ = [f"seed:{c}" for c in self.seed_terms_] + [f"free_{i}" for i in range(self.n_free)]
        self.seed_retention_ = (self.components_[:n_seeded] * ind).sum(axis=1)
        return self

    def _make_model(self, k: int) -> NMF | LatentDirichletAllocation:
        if self.init == "custom":
            return NMF(n_components=k, init="custom", max_iter=self.max_iter or 400, random_state=self.random_state)
        return super()._make_model(k)

    def _validate_params_(self) -> None:
        init, self.init = self.init, None
        try:
            super()._validate_params_()
        finally:
            self.init = init


# --------------------------------------------------------------------------------------------------
# corpus units and document aggregation


def topic_units(corpus: ProcessedCorpus, unit: str = "paragraph") -> pd.DataFrame:
    """The units a topic model is fitted on, built from the corpus's content sentences.

    Parameters
    ----------
    corpus : ProcessedCorpus
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
    estimator : TopicModel
    unit : str
    units : DataFrame
        :func:`topic_units` plus ``n_vocab_tokens`` and one weight column per topic.
    doc_topics : DataFrame
        ``doc_id, topic_0, ...``: :func:`aggregate_to_documents`.
    topic_terms : DataFrame
        ``topic, rank, term, weight``.
    """

    estimator: TopicModel
    unit: str
    units: pd.DataFrame
    doc_topics: pd.DataFrame
    topic_terms: pd.DataFrame


def fit_topics(
    corpus: ProcessedCorpus,
    k: int,
    *,
    model: str = "nmf",
    unit: str = "paragraph",
    random_state: int = 0,
    n_terms: int = 20,
    estimator: TopicModel | None = None,
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


def score_units(estimator: TopicModel, units: pd.DataFrame) -> pd.DataFrame:
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


def write_topic_outputs(fit: TopicFit, out_dir: PathLike) -> dict[str, Path]:
    """Write ``doc_topics.csv`` and ``topic_terms.csv`` into ``out_dir`` atomically; return their paths."""
    from framing.io import write_csv

    out = Path(out_dir)
    return {
        "doc_topics": write_csv(fit.doc_topics, out / "doc_topics.csv"),
        "topic_terms": write_csv(fit.topic_terms, out / "topic_terms.csv"),
    }


# --------------------------------------------------------------------------------------------------
# comparisons


def _bootstrap_ratio(
    num: np.ndarray, den: np.ndarray, n_boot: int, rng: np.random.Generator, alpha: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point estimate and percentile interval of sum(num)/sum(den) resampling rows (num: (n, k))."""
    total = den.sum()
    point = num.sum(axis=0) / total if total > 0 else np.full(num.shape[1], np.nan)
    n = num.shape[0]
    idx = rng.integers(0, n, size=(n_boot, n))
    bnum = num[idx].sum(axis=1)
    bden = den[idx].sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        boot = bnum / bden[:, None]
    lo = np.nanquantile(boot, alpha / 2, axis=0) if np.isfinite(boot).any() else point
    hi = np.nanquantile(boot, 1 - alpha / 2, axis=0) if np.isfinite(boot).any() else point
    return point, lo, hi


def topic_prevalence(
    units: pd.DataFrame,
    labels: Sequence[str],
    *,
    by: str = "genre",
    weight_col: str = "n_vocab_tokens",
    n_boot: int = 1000,
    ci: float = 0.95,
    random_state: int = 0,
) -> pd.DataFrame:
    """Topic prevalence per genre or per document with percentile bootstrap intervals.

    Prevalence of topic t in a group is the token-weighted mean of its units' weights,
    ``sum n_u w_ut / sum n_u`` (units with NaN weights or no tokens are left out). Intervals resample
    *documents within the genre* (``by="genre"``) or *units within the document* (``by="doc_id"``)
    with replacement, ``n_boot`` times, from ``default_rng(random_state)``; a group with one
    resampling unit gets a zero-width interval (reported by ``n_resampled``).

    Returns
    -------
    DataFrame
        ``group, topic, prevalence, ci_low, ci_high, n_resampled`` (``by`` names the group column).
    """
    _check_choice("by", by, ("genre", "doc_id"))
    _check_int("n_boot", n_boot)
    _check_fraction("ci", ci)
    labels = list(labels)
    missing = [c for c in [by, "doc_id", weight_col, *labels] if c not in units.columns]
    if missing:
        raise ParameterError(f"units table has no column(s) {missing}")
    rng = np.random.default_rng(random_state)
    alpha = 1.0 - ci
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
        point, lo, hi = _bootstrap_ratio(num, den, n_boot, rng, alpha)
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
    frame_names: Sequence[str] = ("individual", "systemic", "political"),
) -> pd.DataFrame:
    """Lexicon frame shares within each topic's sentences.

    ``sentence_weights`` has ``doc_id, sent_id`` and one column per topic label (normalised weights);
    ``frames`` has ``doc_id, sent_id`` and 0/1 frame columns (``framing.scoring.frame_table``).
    For topic t and frame f: ``weighted_share = sum_s w_st f_s / sum_s w_st`` (each sentence counts in
    proportion to its weight on the topic); ``dominant_share`` = share of sentences whose heaviest topic is t
    that carry f (``n_dominant`` such sentences); ``baseline`` = share over all sentences;
    ``lift = weighted_share / baseline``.

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
    """The ``n`` units with the highest weight on each topic (units with >= ``min_tokens`` tokens).

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
# comparing models, verdicts and figures


def topic_similarity(a: TopicModel, b: TopicModel) -> pd.DataFrame:
    """Cosine similarity between the topics of two fitted models, matched by term (any vocabularies).

    Returns a DataFrame indexed by ``a.topic_labels_`` with one column per ``b.topic_labels_``.
    """
    a._check_fitted()
    b._check_fitted()
    terms = sorted(set(map(str, a.terms_)) | set(map(str, b.terms_)))
    index = {t: i for i, t in enumerate(terms)}

    def spread(m: TopicModel) -> np.ndarray:
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
    else:
        parts.append(f"all {k} topics are stable across refits (mean matched cosine >= {result.threshold:g})")
    lowest = float(t["min_similarity"].min())
    if lowest < result.threshold:
        parts.append(f"single refits go as low as {lowest:.2f}")
    if n_units < min_units:
        parts.insert(
            0,
            f"This corpus is too small for stable topics: {n_units} units (fewer than {min_units}); "
            "treat topics as descriptive summaries of these texts, not as themes that would replicate",
        )
    return n_bad == 0 and n_units >= min_units, "; ".join(parts) + "."


def _plt() -> Any:
    import matplotlib.pyplot as plt

    return plt


def plot_coherence_by_k(table: pd.DataFrame, best_k: int | None = None) -> Any:
    """Figure: mean NPMI and UMass by k (and held-out perplexity when present); the chosen k marked."""
    plt = _plt()
    has_perp = "perplexity" in table and table["perplexity"].notna().any()
    has_stab = "mean_stability" in table and table["mean_stability"].notna().any()
    panels = [("npmi", "NPMI"), ("umass", "UMass")]
    if has_stab:
        panels.append(("mean_stability", "stability"))
    if has_perp:
        panels.append(("perplexity", "held-out perplexity"))
    fig, axes = plt.subplots(1, len(panels), figsize=(7.2, 2.4), squeeze=False, layout="constrained")
    for ax, (col, label) in zip(axes[0], panels, strict=True):
        ax.plot(table["k"], table[col], marker="o", color="#0072B2")
        if best_k is not None:
            ax.axvline(best_k, color="#D55E00", linestyle="--", linewidth=1)
        ax.set_xlabel("k (topics)")
        ax.set_ylabel(label)
        ax.set_xticks(list(table["k"]))
    return fig


def plot_stability(result: StabilityResult, labels: Sequence[str] | None = None) -> Any:
    """Figure: each topic's matched cosine in every refit (points) and its mean (bar), threshold line."""
    plt = _plt()
    t = result.topics
    names = list(labels) if labels is not None else [f"topic_{i}" for i in t["topic"]]
    fig, ax = plt.subplots(figsize=(7.2, 2.6), layout="constrained")
    colors = np.where(t["unstable"], "#D55E00", "#0072B2")
    ax.bar(np.arange(len(t)), t["stability"], color=colors, alpha=0.6)
    r = result.runs
    ax.scatter(r["topic"], r["similarity"], color="black", s=8, zorder=3)
    ax.axhline(result.threshold, color="#D55E00", linestyle="--", linewidth=1)
    ax.set_xticks(np.arange(len(t)), names, rotation=30, ha="right")
    ax.set_ylim(0, 1.02)
    ax.set_ylabel("matched cosine across refits")
    return fig


def plot_prevalence(prev: pd.DataFrame, group_col: str = "genre", colors: Mapping[str, str] | None = None) -> Any:
    """Figure: topic prevalence per group with bootstrap intervals (one marker per group, dodged)."""
    plt = _plt()
    topics = list(dict.fromkeys(prev["topic"]))
    groups = list(dict.fromkeys(prev[group_col]))
    fig, ax = plt.subplots(figsize=(7.2, 2.8), layout="constrained")
    width = 0.8 / max(len(groups), 1)
    for j, g in enumerate(groups):
        d = prev[prev[group_col] == g].set_index("topic").reindex(topics)
        x = np.arange(len(topics)) - 0.4 + width * (j + 0.5)
        err = np.vstack([d["prevalence"] - d["ci_low"], d["ci_high"] - d["prevalence"]])
        ax.errorbar(x, d["prevalence"], yerr=np.clip(err, 0, None), fmt="o", capsize=2, label=str(g),
                    color=None if colors is None else colors.get(str(g)))  # fmt: skip
    ax.set_xticks(np.arange(len(topics)), topics, rotation=30, ha="right")
    ax.set_ylabel("prevalence (token-weighted)")
    ax.legend(frameon=False, fontsize="small")
    return fig


def _heatmap(matrix: pd.DataFrame, label: str, fmt: str = "{:.2f}", cmap: str = "Blues") -> Any:
    plt = _plt()
    fig, ax = plt.subplots(
        figsize=(max(3.5, 0.9 * matrix.shape[1] + 2), 0.45 * matrix.shape[0] + 1.2), layout="constrained"
    )
    values = matrix.to_numpy(dtype=float)
    im = ax.imshow(values, cmap=cmap, aspect="auto")
    ax.grid(False)  # no grid lines across heatmap cells
    ax.grid(False)
    middle = np.nanmin(values) + 0.5 * (np.nanmax(values) - np.nanmin(values)) if np.isfinite(values).any() else 0.0
    ax.set_xticks(np.arange(matrix.shape[1]), [str(c) for c in matrix.columns], rotation=30, ha="right")
    ax.set_yticks(np.arange(matrix.shape[0]), [str(i) for i in matrix.index])
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            color = "white" if v > middle else "black"
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize="x-small", color=color)
    fig.colorbar(im, ax=ax, label=label)
    return fig


def plot_topic_frames(assoc: pd.DataFrame, value: str = "weighted_share") -> Any:
    """Figure: heatmap of topic x frame association (``value`` column of :func:`topic_frame_association`)."""
    m = assoc.pivot(index="topic", columns="frame", values=value)
    m = m.reindex(index=list(dict.fromkeys(assoc["topic"])), columns=list(dict.fromkeys(assoc["frame"])))
    return _heatmap(m, value.replace("_", " "))


def plot_topic_similarity(sim: pd.DataFrame) -> Any:
    """Figure: heatmap of :func:`topic_similarity` (e.g. seeded vs free topics)."""
    return _heatmap(sim, "cosine similarity")
