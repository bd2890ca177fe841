"""Topic models on corpora larger than memory: mini-batch (online) fits over batches, or a fit on a sample.

:class:`StreamingTopicModel` reads its units as an iterable of *batches* (a batch is a sequence of unit texts
or a DataFrame with a ``text`` column: one partition of a partitioned corpus, see
:class:`framing.topics.PartitionedUnits`), never more than one batch at a time:

``learner="online"``
    1. **vocabulary pass**: each batch is counted with the study's tokeniser and stop lists; document
       frequencies and term counts are summed over batches, then ``min_df``/``max_df``/``max_features`` are
       applied as scikit-learn's CountVectorizer applies them to the whole corpus, so the vocabulary is the
       in-memory model's (ties at the ``max_features`` cut are broken by term order). Skipped when
       ``vocabulary`` is given.
    2. **count pass**: the non-empty units (with an in-vocabulary token) and the vocabulary's document
       frequencies over them: the TF-IDF weighting of NMF (exactly :func:`make_tfidf` on all units) and
       LDA's ``total_samples``.
    3. **mini-batch passes** (at most ``max_iter``): each batch's non-empty units are shuffled with a seed
       derived from ``(random_state, pass, batch)``, cut into mini-batches of ``batch_size`` units (carried
       across batch ends, so every mini-batch but the last of a pass is full) and given to
       :class:`sklearn.decomposition.MiniBatchNMF` or online
       :class:`sklearn.decomposition.LatentDirichletAllocation` through ``partial_fit``. After each pass the
       change of the normalised topic-term weights (largest total-variation distance of a topic) is compared
       with ``tol``; below it the fit stops (``converged_``).
``learner="sample"``
    One pass keeps each unit with probability ``sample`` (seed from ``(random_state, batch)``); a
    :class:`TopicModel` with the same parameters is fitted on the sample in memory (vocabulary from the sample).

Memory: one batch of text, one mini-batch of weights, the model (k x terms) and the vocabulary counts; with
``learner="sample"``, the sample. Same batches and parameters give the same topics, byte for byte.
"""

from __future__ import annotations

import numbers
import tempfile
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.decomposition import LatentDirichletAllocation, MiniBatchNMF
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from framing.errors import ParameterError, TopicModelError
from framing.progress import progress_bar
from framing.topics._base import (
    _as_texts,
    _check_choice,
    _check_fraction,
    _check_int,
    _check_positive,
    _normalise_rows,
    warn_not_converged,
)
from framing.topics._model import TopicModel
from framing.types import DEFAULT_SEED

__all__ = ["LEARNERS", "StreamingTopicModel"]

LEARNERS: tuple[str, ...] = ("online", "sample")
"""How :class:`StreamingTopicModel` learns: mini-batch passes over all batches, or a batch fit on a sample."""


def batch_texts(batch: Any) -> list[str]:
    """Return the unit texts of one batch: a DataFrame's ``text`` column, or a sequence of strings."""
    if isinstance(batch, pd.DataFrame):
        if "text" not in batch.columns:
            raise ParameterError(f"a batch DataFrame needs a 'text' column, got columns {list(batch.columns)}")
        return _as_texts(batch["text"].tolist())
    return _as_texts(batch)


def _reiterable(batches: Any) -> Iterable[Any]:
    if isinstance(batches, str | bytes | pd.DataFrame) or not isinstance(batches, Iterable):
        raise ParameterError(
            f"batches must be an iterable of batches (lists of texts or DataFrames with a 'text' column), "
            f"got {type(batches).__name__}"
        )
    if iter(batches) is batches:
        raise ParameterError(
            "batches must be re-iterable (a list, or framing.topics.PartitionedUnits): the fit reads them "
            f"several times, got a one-shot iterator ({type(batches).__name__})"
        )
    return batches


def _load_counts(files: list[Path]) -> Iterator[sp.csr_matrix]:
    for f in files:
        yield sp.csr_matrix(sp.load_npz(f))


def _seed(*parts: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([int(p) for p in parts]))


class StreamingTopicModel(TopicModel):
    """LDA or NMF fitted batch by batch (online mini-batch learning), or on a sample; bounded memory.

    Parameters
    ----------
    n_topics, model, min_df, max_df, bigrams, max_features, extra_stop_words, study_stop_words, vocabulary, \
tfidf, init, doc_topic_prior, topic_word_prior, random_state
        As for :class:`TopicModel` (the vocabulary step and weighting are the same).
    learner : {"online", "sample"}, default "online"
        ``"online"``: :class:`sklearn.decomposition.MiniBatchNMF` (``model="nmf"``) or
        :class:`sklearn.decomposition.LatentDirichletAllocation` with ``learning_method="online"``
        (``model="lda"``), ``partial_fit`` on mini-batches. ``"sample"``: a :class:`TopicModel` fitted on a
        seeded sample of the units.
    max_iter : int or None, default None
        ``"online"``: passes over the batches (default 10); ``"sample"``: the :class:`TopicModel`'s iterations.
    tol : float, default 1e-3
        ``"online"``: stop after a pass that moved no topic's term distribution by more than ``tol``
        (total-variation distance).
    batch_size : int, default 1024
        ``"online"``: units per mini-batch.
    sample : float, default 0.1
        ``"sample"``: probability that a unit is in the sample.
    learning_decay, learning_offset : float, default 0.7 and 10.0
        Online LDA's learning rate ``(learning_offset + t) ** -learning_decay`` (scikit-learn's defaults).
    forget_factor : float, default 0.7
        MiniBatchNMF's weight of past mini-batches (scikit-learn's default).
    cache_counts : bool, default True
        ``"online"``: the count pass writes each batch's term counts (sparse, ``.npz``) to a temporary folder
        that the mini-batch passes read instead of tokenising the texts again (removed after the fit; about
        the size of the text on disk). Same topics either way.
    progress : bool, default False
        Show a progress bar per pass (:func:`framing.progress.progress_bar`) on long fits.

    Attributes
    ----------
    vectorizer_, terms_, tfidf_, model_, components_, topic_labels_, n_iter_, converged_
        As for :class:`TopicModel`. ``n_iter_``: passes over the batches (``"online"``).
    n_units_ : int
        Units read (in one pass), empty ones included.
    n_nonempty_ : int
        Units with an in-vocabulary token (the units fitted; ``"sample"``: in the sample).
    n_batches_ : int
        Batches read in one pass.
    pass_changes_ : list of float
        ``"online"``: the change of the topics at each pass (the quantity compared with ``tol``).
    sample_model_ : TopicModel
        ``"sample"``: the model fitted on the sample.
    """

    def __init__(
        self,
        n_topics: int = 10,
        *,
        model: str = "nmf",
        learner: str = "online",
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
        tol: float = 1e-3,
        batch_size: int = 1024,
        sample: float = 0.1,
        doc_topic_prior: float | None = None,
        topic_word_prior: float | None = None,
        learning_decay: float = 0.7,
        learning_offset: float = 10.0,
        forget_factor: float = 0.7,
        cache_counts: bool = True,
        progress: bool = False,
        random_state: int = DEFAULT_SEED,
    ) -> None:
        super().__init__(
            n_topics, model=model, min_df=min_df, max_df=max_df, bigrams=bigrams, max_features=max_features,
            extra_stop_words=extra_stop_words, study_stop_words=study_stop_words, vocabulary=vocabulary,
            tfidf=tfidf, init=init, max_iter=max_iter, doc_topic_prior=doc_topic_prior,
            topic_word_prior=topic_word_prior, random_state=random_state,
        )  # fmt: skip
        self.learner = learner
        self.tol = tol
        self.batch_size = batch_size
        self.sample = sample
        self.learning_decay = learning_decay
        self.learning_offset = learning_offset
        self.forget_factor = forget_factor
        self.cache_counts = cache_counts
        self.progress = progress

    def _validate_params_(self) -> None:
        super()._validate_params_()
        _check_choice("learner", self.learner, LEARNERS)
        _check_positive("tol", self.tol, allow_none=False)
        _check_int("batch_size", self.batch_size)
        if self.batch_size < self.n_topics:
            raise ParameterError(
                f"batch_size must be at least n_topics ({self.n_topics}): a mini-batch initialises the topics, "
                f"got {self.batch_size!r}"
            )
        _check_fraction("sample", self.sample, low_open=True, high_open=False)
        _check_fraction("learning_decay", self.learning_decay, low_open=True, high_open=False)
        _check_positive("learning_offset", self.learning_offset, allow_none=False)
        _check_fraction("forget_factor", self.forget_factor, low_open=True, high_open=False)
        for flag in ("cache_counts", "progress"):
            if not isinstance(getattr(self, flag), bool):
                raise ParameterError(f"{flag} must be True or False, got {getattr(self, flag)!r}")

    # -- fitting -----------------------------------------------------------------------------------

    def fit(self, X: Iterable[str], y: Any = None) -> Self:
        """Fit on the unit texts ``X`` held in memory: :meth:`fit_batches` with ``X`` as one batch."""
        return self.fit_batches([_as_texts(X)])

    def fit_batches(self, batches: Iterable[Any]) -> Self:
        """Fit on ``batches`` (re-iterable; each a sequence of unit texts or a DataFrame with ``text``).

        Raises
        ------
        ParameterError
            A parameter has a bad value, or ``batches`` cannot be read more than once (a generator).
        TopicModelError
            No units, an empty vocabulary, or ``n_topics`` larger than the non-empty units or the terms.
        """
        self._validate_params_()
        batches = _reiterable(batches)
        self.__dict__.pop("n_units_", None)  # a refit counts its units afresh (the progress bar's total)
        if self.learner == "sample":
            self._fit_sample(batches)
        else:
            self._fit_online(batches)
        self.topic_labels_ = [f"topic_{i}" for i in range(int(self.n_topics))]
        return self

    def _passes(self, batches: Iterable[Any], desc: str) -> Iterator[tuple[int, list[str]]]:
        """Yield ``(index, texts)`` for each batch, driving a progress bar over the units of one pass."""
        total = getattr(self, "n_units_", 0)
        with progress_bar(total, enabled=self.progress, desc=desc, unit="unit") as bar:
            for b, batch in enumerate(batches):
                texts = batch_texts(batch)
                yield b, texts
                bar.update(len(texts), sum(map(len, texts)))

    def _fit_sample(self, batches: Iterable[Any]) -> None:
        kept: list[str] = []
        n = n_batches = 0
        for b, texts in self._passes(batches, "sample"):
            n += len(texts)
            n_batches += 1
            mask = _seed(self.random_state, b).random(len(texts)) < self.sample
            kept.extend(np.asarray(texts, dtype=object)[mask].tolist())
        if not kept:
            raise TopicModelError(f"the sample of {n} units is empty; raise it (sample={self.sample!r})")
        inner = TopicModel(**{k: v for k, v in self.get_params().items() if k in TopicModel().get_params()})
        inner.fit(kept)
        self.sample_model_ = inner
        for attr in ("vectorizer_", "tfidf_", "model_", "terms_", "components_", "n_iter_", "converged_"):
            setattr(self, attr, getattr(inner, attr))
        self.n_units_, self.n_batches_ = n, n_batches
        self.n_nonempty_ = len(kept) - len(inner.empty_units_)

    def _vocabulary_pass(self, batches: Iterable[Any]) -> list[str]:
        """Return the terms the in-memory vocabulary step keeps, from document frequencies summed over batches."""
        counter = self._make_vectorizer(None)
        counter.set_params(vocabulary=None, min_df=1, max_df=1.0, max_features=None)
        totals: pd.DataFrame | None = None
        n = n_batches = 0
        for _, texts in self._passes(batches, "vocabulary"):
            n += len(texts)
            n_batches += 1
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    counts = sp.csr_matrix(counter.fit_transform(texts))
            except ValueError:  # no token at all in this batch
                continue
            frame = pd.DataFrame(
                {"df": np.bincount(counts.indices, minlength=counts.shape[1]),
                 "tf": np.asarray(counts.sum(axis=0)).ravel()},
                index=counter.get_feature_names_out(),
            )  # fmt: skip
            totals = frame if totals is None else totals.add(frame, fill_value=0)
        self.n_units_, self.n_batches_ = n, n_batches
        if n == 0:
            raise TopicModelError("no units to fit a topic model on (the batches are empty)")
        terms = self._filter_terms(totals.sort_index() if totals is not None else None, n)
        return terms

    def _filter_terms(self, totals: pd.DataFrame | None, n: int) -> list[str]:
        """Apply ``min_df``, ``max_df`` and ``max_features`` over ``n`` units (scikit-learn's rules)."""
        lo = self.min_df if isinstance(self.min_df, numbers.Integral) else self.min_df * n
        hi = self.max_df if isinstance(self.max_df, numbers.Integral) else self.max_df * n
        keep = pd.DataFrame(columns=["df", "tf"]) if totals is None else totals
        if hi < lo:
            raise TopicModelError(
                f"max_df={self.max_df!r} corresponds to fewer units than min_df={self.min_df!r} over {n} units"
            )
        keep = keep[(keep["df"] >= lo) & (keep["df"] <= hi)]
        if self.max_features is not None and len(keep) > self.max_features:
            order = np.argsort(-keep["tf"].to_numpy(), kind="stable")[: self.max_features]
            keep = keep.iloc[np.sort(order)]
        if keep.empty:
            raise TopicModelError(
                f"empty vocabulary after filtering {n} units with min_df={self.min_df!r}, "
                f"max_df={self.max_df!r}, max_features={self.max_features!r} and the stop lists; "
                "lower min_df or raise max_df, or use a larger unit"
            )
        return [str(t) for t in keep.index]

    def _count_pass(self, batches: Iterable[Any], cache: Path | None) -> int:
        """Count the non-empty units and the vocabulary's document frequencies over them (TF-IDF, LDA's total).

        With ``cache``, each batch's counts are saved there as ``NNNNN.npz``; returns the number of batches.
        """
        df = np.zeros(len(self.terms_), dtype=np.int64)
        nonempty = n = n_batches = 0
        for b, texts in self._passes(batches, "counts"):
            n += len(texts)
            n_batches += 1
            counts = self._counts(texts)
            if cache is not None:
                sp.save_npz(cache / f"{b:05d}.npz", counts, compressed=False)
            nonempty += counts.shape[0]
            df += np.bincount(counts.indices, minlength=len(self.terms_))
        self.n_units_, self.n_batches_, self.n_nonempty_ = n, n_batches, nonempty
        self._check_sizes(nonempty, n, len(self.terms_))
        self.tfidf_ = None
        if self.model == "nmf" and self.tfidf:
            tfidf = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True)
            tfidf.fit(sp.csr_matrix((1, len(self.terms_))))  # sets the attributes; idf_ is replaced below
            tfidf.idf_ = np.log((1.0 + nonempty) / (1.0 + df)) + 1.0
            self.tfidf_ = tfidf
        return n_batches

    def _counts(self, texts: list[str]) -> sp.csr_matrix:
        """In-vocabulary counts of the non-empty ``texts`` (empty units dropped)."""
        counts = sp.csr_matrix(self.vectorizer_.transform(texts), dtype=np.float64)
        return counts[np.flatnonzero(np.diff(counts.indptr) > 0)]

    def _make_online(self) -> MiniBatchNMF | LatentDirichletAllocation:
        k = int(self.n_topics)
        if self.model == "nmf":
            return MiniBatchNMF(
                n_components=k, init=self.init or "nndsvda", batch_size=self.batch_size,
                forget_factor=self.forget_factor, random_state=self.random_state,
            )  # fmt: skip
        return LatentDirichletAllocation(
            n_components=k, learning_method="online", batch_size=self.batch_size,
            learning_decay=self.learning_decay, learning_offset=self.learning_offset,
            total_samples=self.n_nonempty_, doc_topic_prior=self.doc_topic_prior,
            topic_word_prior=self.topic_word_prior, random_state=self.random_state, n_jobs=1,
        )  # fmt: skip

    def _fit_online(self, batches: Iterable[Any]) -> None:
        terms = self.vocabulary if self.vocabulary is not None else self._vocabulary_pass(batches)
        vec: CountVectorizer = self._make_vectorizer(terms)
        vec.fit([""])
        self.vectorizer_ = vec
        self.terms_ = np.asarray(vec.get_feature_names_out(), dtype=object)
        with tempfile.TemporaryDirectory(prefix="framing-topics-") as tmp:
            cache = Path(tmp) if self.cache_counts else None
            n_batches = self._count_pass(batches, cache)
            if cache is not None:
                cached = [cache / f"{b:05d}.npz" for b in range(n_batches)]
            model = self._make_online()
            self.model_ = model
            passes = self.max_iter or 10
            self.pass_changes_: list[float] = []
            self.converged_ = False
            previous: np.ndarray | None = None
            for p in range(passes):
                source = _load_counts(cached) if cache is not None else self._count_batches(batches, p, passes)
                self._one_pass(source, model, p)
                current = _normalise_rows(np.asarray(model.components_, dtype=np.float64))
                if previous is not None:
                    change = float(0.5 * np.abs(current - previous).sum(axis=1).max())
                    self.pass_changes_.append(change)
                    if change < self.tol:
                        self.converged_ = True
                        break
                previous = current
        self.n_iter_ = len(self.pass_changes_) + 1
        if not self.converged_:
            warn_not_converged(f"online {self.model}", int(self.n_topics), passes, "passes over the batches")
        comp = np.asarray(model.components_, dtype=np.float64)
        self.components_ = _normalise_rows(comp)
        self.components_[np.isnan(self.components_)] = 1.0 / comp.shape[1]

    def _count_batches(self, batches: Iterable[Any], p: int, passes: int) -> Iterator[sp.csr_matrix]:
        for _, texts in self._passes(batches, f"pass {p + 1}/{passes}"):
            yield self._counts(texts)

    def _one_pass(self, counts_per_batch: Iterable[sp.csr_matrix], model: Any, p: int) -> None:
        """One pass of ``partial_fit`` over mini-batches of ``batch_size`` units, shuffled per batch."""
        pending: list[sp.csr_matrix] = []
        n_pending = 0
        for b, counts in enumerate(counts_per_batch):
            if counts.shape[0] == 0:
                continue
            counts = counts[_seed(self.random_state, p, b).permutation(counts.shape[0])]
            pending.append(self._weighting(counts))
            n_pending += counts.shape[0]
            if n_pending < self.batch_size:
                continue
            rows = sp.vstack(pending, format="csr")
            full = (rows.shape[0] // self.batch_size) * self.batch_size
            for start in range(0, full, self.batch_size):
                self._partial_fit(model, rows[start : start + self.batch_size])
            pending, n_pending = [rows[full:]], rows.shape[0] - full
        if n_pending:
            self._partial_fit(model, sp.vstack(pending, format="csr"))

    def _partial_fit(self, model: Any, x: sp.csr_matrix) -> None:
        try:
            model.partial_fit(x)
        except ValueError as exc:
            raise TopicModelError(
                f"{self.model} could not be updated with n_topics={self.n_topics} on a mini-batch of "
                f"{x.shape[0]} units and {x.shape[1]} terms: {exc}"
            ) from None

    # -- what needs the training units -------------------------------------------------------------

    def coherence(self, measure: str = "npmi", n: int = 10, X: Iterable[str] | None = None) -> np.ndarray:
        """Per-topic coherence of the top ``n`` terms on the units ``X`` (required: the fit keeps no units)."""
        if X is None:
            raise TopicModelError(
                "StreamingTopicModel keeps no training units: pass X (e.g. a sample of unit texts) to coherence"
            )
        return super().coherence(measure=measure, n=n, X=X)
