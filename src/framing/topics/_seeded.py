"""Lexicon-seeded topics: each category of a lexicon seeds one NMF topic beside free topics."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any, Self

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framing.errors import ParameterError, TopicModelError
from framing.topics._base import (
    TOKEN_PATTERN,
    UnmatchedSeedsWarning,
    _as_texts,
    _check_fraction,
    _check_int,
    join_terms,
    make_tfidf,
    top_terms_text,
)
from framing.topics._model import TopicEstimator, TopicModel
from framing.types import DEFAULT_FRAMES_LEXICON, DEFAULT_SEED, SeedTerms

__all__ = ["MIN_RETENTION", "SeededTopicModel", "free_topic_labels", "lexicon_seed_terms", "match_seed_terms",
           "seeded_topic_summary", "seeded_topic_table"]

_EPS = 1e-12

MIN_RETENTION = 0.05
"""Default share of a seeded topic's weight its seed terms must keep for the topic to keep its frame's name."""


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


def lexicon_seed_terms(lexicon: str = DEFAULT_FRAMES_LEXICON) -> dict[str, list[str]]:
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


class SeededTopicModel(TopicEstimator):
    """NMF with lexicon-seeded topics beside free topics.

    Each seed category (by default each blame frame of the ``blame_frames`` lexicon) gets one topic whose
    initial topic-term row puts weight 1 on the category's terms (see :func:`match_seed_terms`) and a
    small floor elsewhere, and whose initial unit loadings are the units' counts of those terms;
    ``n_free`` further topics start from a seeded random draw. NMF (``init="custom"``) then lets every
    topic move, so a seeded topic keeps its frame only as far as the data support it: ``seed_retention_``
    reports the share of each topic's weight still on its seed terms, and ``seed_led_`` says whether the
    topic still stands for its frame: a seed term is among its ``n_lead`` heaviest terms **and** its seed
    terms keep at least ``min_retention`` of its weight. A seeded topic that is not seed-led is labelled by
    its own top terms in ``display_labels_`` (and :func:`seeded_topic_table`), flagged with the frame it
    started from (``"people / technology / users (was seed:systemic)"``).

    The model composes a :class:`TopicModel` (NMF on the same vocabulary step), fitted with the seeded
    initialisation and kept as ``topic_model_``; ``fit`` never changes the parameters below.

    Parameters
    ----------
    seed_terms : mapping of str to list of str, or None
        Patterns per category; ``None`` loads ``lexicon`` with :func:`lexicon_seed_terms`.
    lexicon : str, default DEFAULT_FRAMES_LEXICON ("blame_frames")
        Shipped lexicon whose categories seed the topics when ``seed_terms`` is None.
    n_free : int, default 3
        Free (data-driven) topics.
    seed_floor : float, default 0.01
        Initial weight of non-seed terms in a seeded topic, relative to seed terms.
    n_lead : int, default 3
        A seeded topic is *seed-led* only when one of its seed terms is among its ``n_lead`` heaviest terms.
    min_retention : float, default MIN_RETENTION (0.05)
        ... and only when its seed terms keep at least this share of its weight (``seed_retention_``): one
        generic seed word at the top of a topic about something else (``technology`` of the systemic frame
        leading a topic of technology news, 2% of its weight on the frame's terms) does not name it. 0 keeps
        the lead rule alone.
    min_df, max_df, max_features, extra_stop_words, study_stop_words, vocabulary, tfidf, max_iter
        As :class:`TopicModel`.
    bigrams : bool, default True
        Word pairs in the vocabulary, so that lexicon phrases can seed (see :func:`match_seed_terms`).
    random_state : int, default DEFAULT_SEED (20081201)
        Seed of the free topics' initial draw and of NMF.

    Attributes
    ----------
    topic_model_ : TopicModel
        The fitted NMF topic model (``n_topics`` = seeded + free topics).
    n_topics_ : int
        Number of topics fitted: one per matched category plus ``n_free``.
    topic_labels_ : list of str
        ``seed:CATEGORY`` for seeded topics (in category order), then ``free_0``, ...
    display_labels_ : list of str
        ``topic_labels_`` except that a seeded topic that is not seed-led is named by the words of its
        ``n_lead`` top terms and the frame it started from (``"haringey / council / report (was
        seed:political)"``), and a free topic by the words of its ``n_lead`` top terms
        after ``free:`` (``"free: budget / cuts / funding"``, :func:`free_topic_labels`).
    seed_terms_ : dict of str to list of str
        The vocabulary terms each category seeded.
    ambiguous_seed_terms_ : list of str
        Terms matched by more than one category; they seed none (no term is evidence of two frames).
    unmatched_seeds_ : list of str
        Categories none of whose patterns matched the vocabulary (they get no topic; a warning is issued).
    seed_retention_ : ndarray, shape (n_seeded,)
        Share of each seeded topic's final weight on its seed terms.
    seed_led_ : ndarray of bool, shape (n_seeded,)
        Whether the seeded topic still stands for its frame: a seed term among its ``n_lead`` heaviest terms
        and ``seed_retention_ >= min_retention``.
    vectorizer_, tfidf_, model_, terms_, components_, doc_term_, doc_topic_, n_tokens_, empty_units_, \
    n_iter_, converged_
        Those of ``topic_model_`` (see :class:`TopicModel`).
    """

    def __init__(
        self,
        seed_terms: SeedTerms | None = None,
        *,
        lexicon: str = DEFAULT_FRAMES_LEXICON,
        n_free: int = 3,
        seed_floor: float = 0.01,
        n_lead: int = 3,
        min_retention: float = MIN_RETENTION,
        min_df: int | float = 2,
        max_df: int | float = 0.95,
        bigrams: bool = True,
        max_features: int | None = None,
        extra_stop_words: Sequence[str] | None = None,
        study_stop_words: bool = True,
        vocabulary: Sequence[str] | None = None,
        tfidf: bool = True,
        max_iter: int | None = None,
        random_state: int = DEFAULT_SEED,
    ) -> None:
        self.seed_terms = seed_terms
        self.lexicon = lexicon
        self.n_free = n_free
        self.seed_floor = seed_floor
        self.n_lead = n_lead
        self.min_retention = min_retention
        self.min_df = min_df
        self.max_df = max_df
        self.bigrams = bigrams
        self.max_features = max_features
        self.extra_stop_words = extra_stop_words
        self.study_stop_words = study_stop_words
        self.vocabulary = vocabulary
        self.tfidf = tfidf
        self.max_iter = max_iter
        self.random_state = random_state

    def _seed_patterns(self) -> dict[str, list[str]]:
        """Validate the seed parameters and return the patterns per category."""
        _check_int("n_free", self.n_free, minimum=0)
        _check_fraction("seed_floor", self.seed_floor, high_open=False)
        _check_int("n_lead", self.n_lead)
        _check_fraction("min_retention", self.min_retention, low_open=False, high_open=False)
        seeds = dict(self.seed_terms) if self.seed_terms is not None else lexicon_seed_terms(self.lexicon)
        if not seeds:
            raise ParameterError("seed_terms must hold at least one category, got none")
        for cat, pats in seeds.items():
            if isinstance(pats, str) or not all(isinstance(p, str) for p in pats):
                raise ParameterError(f"seed_terms[{cat!r}] must be a list of strings, got {pats!r}")
        return {str(c): list(p) for c, p in seeds.items()}

    def _topic_model(self) -> TopicModel:
        """Return the unfitted NMF topic model this model composes (its k is set once the seeds are matched)."""
        return TopicModel(
            n_topics=2, model="nmf", min_df=self.min_df, max_df=self.max_df, bigrams=self.bigrams,
            max_features=self.max_features, extra_stop_words=self.extra_stop_words,
            study_stop_words=self.study_stop_words, vocabulary=self.vocabulary, tfidf=self.tfidf,
            max_iter=self.max_iter, random_state=self.random_state,
        )  # fmt: skip

    def _match_seeds(self, seeds: dict[str, list[str]], terms: list[str], stops: list[str]) -> None:
        """Set ``seed_terms_``, ``ambiguous_seed_terms_`` and ``unmatched_seeds_`` from the vocabulary."""
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
                UnmatchedSeedsWarning,
                stacklevel=3,
            )
        self.seed_terms_ = {c: m for c, m in matched.items() if m}
        if not self.seed_terms_:
            raise TopicModelError(
                f"no seed category matches the vocabulary ({len(terms)} terms, min_df={self.min_df!r}); "
                "lower min_df or check the seed terms"
            )

    def _initial_factors(self, counts: sp.csr_matrix, ind: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Return initial unit loadings W and topic-term rows H: seeded rows from ``ind``, free rows drawn."""
        n_seeded, n_terms = ind.shape
        rng = np.random.default_rng(self.random_state)
        h0 = np.empty((k, n_terms))
        h0[:n_seeded] = np.where(ind > 0, 1.0, float(self.seed_floor))
        h0[n_seeded:] = rng.uniform(0.0, 1.0, size=(k - n_seeded, n_terms))
        present = sp.csr_matrix((counts > 0).astype(np.float64))
        w0 = np.empty((counts.shape[0], k))
        w0[:, :n_seeded] = np.asarray(present @ ind.T) + float(self.seed_floor)
        w0[:, n_seeded:] = rng.uniform(0.0, 1.0, size=(counts.shape[0], k - n_seeded))
        # scale like scikit-learn's random init: W @ H of the order of the data the NMF factorises
        nonempty = np.asarray(counts.sum(axis=1)).ravel() > 0
        x = make_tfidf(counts[nonempty]).transform(counts) if self.tfidf and nonempty.any() else counts
        avg = np.sqrt(max(float(x.mean()), _EPS) / k)
        w0 *= avg / max(float(w0.mean()), _EPS)
        h0 *= avg / max(float(h0.mean()), _EPS)
        return w0, h0

    def fit(self, X: Iterable[str], y: Any = None) -> Self:
        """Fit the seeded NMF on ``X`` (one text per unit); see :meth:`TopicModel.fit` for errors.

        Parameters
        ----------
        X : sequence of str
            Unit texts; ``None``/``NaN``/``""`` are empty units (left out, weights ``NaN``).
        y : ignored
            Present for scikit-learn compatibility.

        Returns
        -------
        SeededTopicModel
            The fitted estimator.
        """
        seeds = self._seed_patterns()
        model = self._topic_model()
        model._validate_params_()
        texts = _as_texts(X)
        if not texts:
            raise TopicModelError("no units to fit a topic model on (X is empty)")
        counts = model._vectorize_fit(texts)
        terms = [str(t) for t in model.vectorizer_.get_feature_names_out()]
        self._match_seeds(seeds, terms, model.stop_words())
        index = {t: i for i, t in enumerate(terms)}
        n_seeded = len(self.seed_terms_)
        ind = np.zeros((n_seeded, len(terms)))
        for i, ts in enumerate(self.seed_terms_.values()):
            ind[i, [index[t] for t in ts]] = 1.0
        k = n_seeded + int(self.n_free)
        model.set_params(n_topics=k)
        w0, h0 = self._initial_factors(counts, ind, k)
        model._fit_counts(counts, init_w=w0, init_h=h0)
        self.topic_model_ = model
        for name in _FITTED:
            setattr(self, name, getattr(model, name))
        self.n_topics_ = k
        self.topic_labels_ = [f"seed:{c}" for c in self.seed_terms_] + [f"free_{i}" for i in range(self.n_free)]
        self.seed_retention_ = (self.components_[:n_seeded] * ind).sum(axis=1)
        lead = self.top_term_indices(self.n_lead)
        leads = np.take_along_axis(ind, lead[:n_seeded], axis=1).any(axis=1)
        self.seed_led_ = np.asarray(leads & (self.seed_retention_ >= float(self.min_retention)), dtype=bool)
        free = free_topic_labels([list(map(str, self.terms_[row])) for row in lead[n_seeded:]],
                                 self.topic_labels_[n_seeded:])
        self.display_labels_ = [
            seeded_topic_label(label, self.terms_[lead[i]], led=bool(self.seed_led_[i]))
            for i, label in enumerate(self.topic_labels_[:n_seeded])
        ] + free
        return self


def _lead_words(terms: Iterable[object]) -> list[str]:
    """Return the distinct words of a topic's leading terms, in order (a phrase's words count one by one)."""
    return list(dict.fromkeys(" ".join(map(str, terms)).split()))


def seeded_topic_label(label: str, lead_terms: Iterable[object], *, led: bool) -> str:
    """Return the label shown for a seeded topic: ``label`` while it is seed-led, else its words and what it was.

    ``"people / technology / users (was seed:systemic)"``: the distinct words of its leading terms, joined by
    `` / `` as free topics' labels are (:func:`free_topic_labels`).
    """
    return label if led else f"{' / '.join(_lead_words(lead_terms))} (was {label})"


def free_topic_labels(lead_terms: Sequence[Sequence[str]], ids: Sequence[str]) -> list[str]:
    """Name free topics by the words of their leading terms: ``free: budget / cuts / funding``.

    Parameters
    ----------
    lead_terms : sequence of sequences of str
        Each free topic's heaviest terms, heaviest first (words or phrases, as in the vocabulary).
    ids : sequence of str
        Each free topic's id (``free_0`` ...): the label of a topic without terms, and added in brackets to
        labels that two topics would share, so that every label stays unique.

    Returns
    -------
    list of str
        ``free: `` and the terms' distinct words, in order, joined by `` / `` (a phrase's words count one by one,
        as for a seeded topic's label, :func:`framing.plots.seeded_topic_labels`).
    """
    labels = []
    for terms, topic in zip(lead_terms, ids, strict=True):
        words = _lead_words(terms)
        labels.append(f"free: {' / '.join(words)}" if words else str(topic))
    shared = {lab for lab in labels if labels.count(lab) > 1}
    return [f"{lab} ({topic})" if lab in shared else lab for lab, topic in zip(labels, ids, strict=True)]


_FITTED: tuple[str, ...] = (
    "vectorizer_", "tfidf_", "model_", "terms_", "components_", "doc_term_", "doc_topic_", "n_tokens_",
    "empty_units_", "n_iter_", "converged_",
)  # fmt: skip
"""Fitted attributes of the composed :class:`TopicModel` that :class:`SeededTopicModel` exposes as its own."""


def seeded_topic_table(model: SeededTopicModel, n: int = 10) -> pd.DataFrame:
    """One row per topic of a fitted :class:`SeededTopicModel`, seeded topics first.

    Parameters
    ----------
    model : SeededTopicModel
        A fitted model.
    n : int, default 10
        Top terms listed per topic.

    Returns
    -------
    DataFrame
        ``topic`` (position), ``label`` (``topic_labels_``), ``seed`` (the category that seeded the topic,
        ``""`` for free topics), ``display_label`` (``display_labels_``: a seeded topic that is not seed-led
        is named by its top terms), ``seed_led`` (nullable boolean; missing for free topics),
        ``seed_retention`` (``NaN`` for free topics) and ``top_terms`` (joined by
        :data:`~framing.topics.TERM_SEPARATOR`, ``", "``: a term may be a word pair).
    """
    model._check_fitted()
    _check_int("n", n)
    n_seeded = len(model.seed_terms_)
    k = len(model.topic_labels_)
    top = model.top_term_indices(n)
    pad = k - n_seeded
    return pd.DataFrame(
        {
            "topic": np.arange(k),
            "label": model.topic_labels_,
            "seed": [*model.seed_terms_, *[""] * pad],
            "display_label": model.display_labels_,
            "seed_led": pd.array([*(bool(v) for v in model.seed_led_), *[None] * pad], dtype="boolean"),
            "seed_retention": np.concatenate([model.seed_retention_, np.full(pad, np.nan)]),
            "top_terms": [join_terms(model.terms_[row]) for row in top],
        }
    )


def seeded_topic_summary(
    model: SeededTopicModel, labels: pd.DataFrame | None, stability: pd.DataFrame, n: int = 10
) -> pd.DataFrame:
    """One row per topic of a fitted :class:`SeededTopicModel` with the labels shown and the stability.

    Parameters
    ----------
    model : SeededTopicModel
        A fitted model.
    labels : DataFrame or None
        One row per topic, in topic order: ``label`` (the label to show) and ``seeds_lead``; ``None``: the
        model's own, ``display_labels_`` and ``seed_led_`` (:func:`seeded_topic_table`).
    stability : DataFrame
        One row per topic, in topic order: ``stability`` and ``unstable`` (``StabilityResult.topics``).
    n : int, default 10
        Top terms listed per topic.

    Returns
    -------
    DataFrame
        ``label``, ``topic``, ``top_terms`` (joined by ``", "``), ``seed_retention`` (``NaN`` for free topics),
        ``stability``, ``unstable``, ``seeds_lead``.
    """
    model._check_fitted()
    _check_int("n", n)
    k = len(model.topic_labels_)
    if labels is None:
        own = seeded_topic_table(model, n=1)
        leads = [None if pd.isna(v) else bool(v) for v in own["seed_led"]]
        labels = pd.DataFrame({"label": own["display_label"], "seeds_lead": pd.Series(leads, dtype=object)})
    if len(labels) != k or len(stability) != k:
        raise ParameterError(f"seeded_topic_summary: the model has {k} topics, labels {len(labels)} rows and "
                             f"stability {len(stability)} rows")
    out = top_terms_text(model.top_terms(n))
    out.insert(0, "label", list(labels["label"]))
    out["seed_retention"] = list(model.seed_retention_) + [float("nan")] * (k - len(model.seed_retention_))
    out["stability"] = stability["stability"].to_numpy()
    out["unstable"] = stability["unstable"].to_numpy()
    out["seeds_lead"] = labels["seeds_lead"].to_numpy()
    return out
