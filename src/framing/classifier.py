"""A learned frame labeller over lexicon evidence: :class:`FrameClassifier`, document-grouped CV, model files.

The decision rule of :func:`framing.scoring.frame_table` stays the default instrument. A user who codes their
own sentences can instead train :class:`FrameClassifier`: one logistic regression per frame (balanced class
weights, a fixed seed) over features read from the lexicon hits of a sentence and of the sentence before it
in its paragraph:

- per category of the frame lexicon and of the cue lexicon, the number of non-negated and of negated hits
  (``log1p`` of the count);
- the rule's own labels and its ``n_<frame>`` counts (whatever the rule counts: case files included when
  the rule is given one through ``rule_params``);
- the same hit, label and count features for the previous sentence of the paragraph (``context=True``),
  and whether the sentence opens its paragraph;
- case-independent surface cues of who is talked about (codebook: persons, follow-up sentences): honorific +
  capitalised name, a sentence opening with a pronoun or demonstrative, third-person personal pronouns
  (in the sentence and, with ``context``, in the previous one);
- sentence length (``log1p`` of the number of words), a double quotation mark, a question mark;
- optionally (``following=True``) the same features of the next sentence of the paragraph, and
  (``document="totals"`` or ``"rates"``) the document's totals or rates of frame hits, cue hits and rule labels
  (:mod:`framing._classifier_features`).

A frame is labelled when its probability exceeds the model's threshold: one half, or (``threshold="auto"``) a
value chosen per frame by cross-validation over the training documents.

Everything is computed from the hits table with numpy/pandas (no loop over sentences or tokens). Frames are
the categories of the frame lexicon that :func:`~framing.scoring.frame_table` reports, so nothing here
names a frame. Each positive label can be traced to the hits behind it (:meth:`FrameClassifier.evidence`).

Model files (:func:`save_model`, :func:`load_model`, :func:`read_model_header`: :mod:`framing.model_files`,
re-exported here) hold a header (format, framing and scikit-learn versions, frames, lexicon fingerprints,
training files with their SHA-256, cross-validation figures, date) and the pickled estimator; the header is
checked before the estimator is unpickled. Pickle runs code when loaded: load only model files you made or
trust.
"""

from __future__ import annotations

import inspect
import os
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from framing._classifier_data import (
    _ID_COLS,
    _case_digest,
    _codes_in_order_of,
    _Features,
    document_folds,
    macro_f1,
    out_of_fold_labels,
)
from framing._classifier_features import DOCUMENT_FEATURES, build_features, evidence_column, label_evidence
from framing._frame_labels import check_model_options, label_frames, labeller_name, rule_defaults
from framing.errors import FramingWarning, ModelError, NotFittedError, ParameterError
from framing.lexicon import LexiconSource
from framing.model_files import (
    MODEL_FORMAT,
    _source_name,
    lexicon_fingerprint,
    load_model,
    read_model_header,
    save_model,
)
from framing.types import DEFAULT_CUES_LEXICON, DEFAULT_FRAMES_LEXICON, DEFAULT_SEED, text_input_tags

__all__ = [
    "C_GRID",
    "MODEL_FORMAT",
    "THRESHOLD_GRID",
    "FrameClassifier",
    "check_model_options",
    "document_folds",
    "label_frames",
    "labeller_name",
    "lexicon_fingerprint",
    "load_model",
    "macro_f1",
    "out_of_fold_labels",
    "read_model_header",
    "rule_defaults",
    "save_model",
]

C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
"""Values of C tried by ``FrameClassifier(C="auto")``."""
THRESHOLD_GRID = tuple(round(0.2 + 0.05 * i, 2) for i in range(13))
"""Probability thresholds tried by ``FrameClassifier(threshold="auto")``: 0.2 to 0.8 by 0.05."""


class FrameClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label frame classifier over lexicon evidence of a sentence and its context.

    Parameters
    ----------
    lexicon : str, path or Lexicon, default "blame_frames"
        Frame lexicon; its categories (as reported by ``frame_table``) are the labels.
    cues : str, path, Lexicon or None, default "blame_cues"
        Cue lexicon; its categories give features (``None``: no cue features).
    context : bool, default True
        Add the features of the previous sentence of the paragraph.
    following : bool, default False
        Add the features of the next sentence of the paragraph (its evidence has ``source == "next"``).
    document : {None, "totals", "rates"}, default None
        Add features of the sentence's document: of its non-negated frame and cue hits per category and the
        rule's labels per frame, ``"totals"`` (``log1p`` of each sum, and of its number of sentences) or
        ``"rates"`` (the means per sentence). Give whole documents to ``fit`` and ``predict``: the figures are
        over the sentences of each document present in ``X``.
    words : float, default 0.0
        Add the sentence's words and word pairs (hashed, binary, unit length per sentence) times this scale
        (0: none). The penalty on their weights is ``1 / words**2`` times that on the other features, so a
        small value keeps them strongly regularised beside the lexicon features.
    C : float, "auto" or sequence of float, default "auto"
        Inverse regularisation strength of each logistic regression; ``"auto"`` chooses it per frame from
        :data:`C_GRID` (a sequence: from those values) by cross-validation over the *training* documents
        (nested: held-out documents of :func:`out_of_fold_labels` never take part in the choice).
    class_weight : {"balanced", None}, default "balanced"
        Class weights of each logistic regression.
    threshold : float in (0, 1) or "auto", default 0.5
        A frame is labelled when its probability exceeds it. ``"auto"`` chooses it per frame from
        :data:`THRESHOLD_GRID`, with C when ``C="auto"``, by the F1 of the same document-grouped
        cross-validation over the training documents (ties: the C first, then the threshold nearest 0.5).
    seed : int, default 20081201
        ``random_state`` of each logistic regression.
    rule_params : mapping or None
        Keyword arguments of :func:`framing.scoring.frame_table` for the rule features (``rule``, ``case``
        ...); the lexicons above are passed as ``lexicon``/``cues``. A case file is read in ``fit`` and its
        content kept in the model (``case_``): a fitted model does not read the file again.
    frames : sequence of str or None, default None
        The labels: a subset of the frame lexicon's categories, in this order (None: all of them). The
        features still use every category of the lexicon.

    Attributes
    ----------
    frames_ : list of str
        The labels, in column order of :meth:`predict`.
    feature_names_ : list of str
        Names of the feature columns.
    estimators_ : list of estimators
        One fitted binary model per frame (a constant model when the training codes have one class).
    C_ : ndarray of float
        The C used per frame (NaN for a constant model).
    thresholds_ : ndarray of float
        The probability threshold per frame (0.5 for a constant model).
    n_train_ : ndarray of int
        Number of coded training sentences per frame.
    classes_ : list of ndarray
        ``array([0, 1])`` per frame (scikit-learn's multi-output convention, as ``MultiOutputClassifier``).
    lexicon_fingerprints_ : dict
        :func:`lexicon_fingerprint` of the frame and cue lexicons used in ``fit``.
    case_sha256_ : str or None
        The SHA-256 of the case file when ``fit`` read it (None without a case or a file).
    case_ : Case or None
        The case of ``rule_params["case"]`` as read in ``fit`` (its content, not its path), or None.
    """

    def __init__(self, lexicon: LexiconSource = DEFAULT_FRAMES_LEXICON,
                 cues: LexiconSource | None = DEFAULT_CUES_LEXICON, *, context: bool = True,
                 following: bool = False, document: str | None = None, words: float = 0.0,
                 C: float | str | Sequence[float] = "auto",
                 class_weight: str | None = "balanced", threshold: float | str = 0.5, seed: int = DEFAULT_SEED,
                 rule_params: Mapping[str, Any] | None = None, frames: Sequence[str] | None = None) -> None:
        self.lexicon = lexicon
        self.cues = cues
        self.context = context
        self.following = following
        self.document = document
        self.words = words
        self.C = C
        self.class_weight = class_weight
        self.threshold = threshold
        self.seed = seed
        self.rule_params = rule_params
        self.frames = frames

    def __sklearn_tags__(self) -> Any:
        """Tags: a table of sentence texts in (string input, no numeric matrix), one 0/1 output per frame."""
        tags = text_input_tags(super().__sklearn_tags__())
        tags.target_tags.multi_output = True
        tags.target_tags.single_output = False
        tags.classifier_tags.multi_label = True
        return tags

    # --- features -------------------------------------------------------------------------------

    def _check_params(self) -> None:
        for name in ("context", "following"):
            if not isinstance(getattr(self, name), bool):
                raise ParameterError(f"{name} must be True or False, got {getattr(self, name)!r}")
        if isinstance(self.words, bool) or not isinstance(self.words, int | float) or not self.words >= 0:
            raise ParameterError(f"words must be a number >= 0, got {self.words!r}")
        if self.document is not None and self.document not in DOCUMENT_FEATURES:
            raise ParameterError(f"document must be None or one of {list(DOCUMENT_FEATURES)}, got {self.document!r}")
        _c_values(self.C)  # refused when it is not "auto", a positive number or a sequence of them
        if self.class_weight not in ("balanced", None):
            raise ParameterError(f"class_weight must be 'balanced' or None, got {self.class_weight!r}")
        t = self.threshold
        if t != "auto" and (isinstance(t, bool) or not isinstance(t, int | float) or not 0 < t < 1):
            raise ParameterError(f"threshold must be a number between 0 and 1 (exclusive) or 'auto', got {t!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int | np.integer):
            raise ParameterError(f"seed must be an integer, got {self.seed!r}")
        if self.rule_params is not None and not isinstance(self.rule_params, Mapping):
            raise ParameterError(f"rule_params must be a mapping of frame_table arguments, got {self.rule_params!r}")
        bad = {"lexicon", "cues"} & set(self.rule_params or {})
        if bad:
            raise ParameterError(f"rule_params must not set {sorted(bad)}: use the estimator's own parameters")
        from framing.scoring import frame_table

        known = [n for n in inspect.signature(frame_table).parameters if n not in ("corpus", "lexicon", "cues")]
        unknown = sorted(map(str, set(self.rule_params or {}) - set(known)))
        if unknown:
            raise ParameterError(f"rule_params has key(s) {unknown} that frame_table does not take; it takes "
                                 f"{known}")
        if self.frames is not None and (isinstance(self.frames, str) or not self.frames
                                        or not all(isinstance(f, str) for f in self.frames)):
            raise ParameterError(f"frames must be a non-empty sequence of frame names or None, got {self.frames!r}")

    def _rule_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of the rule features: ``rule_params``, its case as read in ``fit`` once fitted."""
        kwargs = dict(self.rule_params or {})
        if "case" in kwargs and getattr(self, "case_", None) is not None:
            kwargs["case"] = self.case_
        return kwargs

    def _featurize(self, X: Any) -> _Features:
        return build_features(X, lexicon=self.lexicon, cues=self.cues, rule_kwargs=self._rule_kwargs(),
                              frames=self.frames, context=self.context, following=self.following,
                              document=self.document, words=self.words)

    # --- fitting ----------------------------------------------------------------------------------

    def _labels(self, y: Any, frames: list[str], sents: pd.DataFrame) -> np.ndarray:
        n = len(sents)
        if isinstance(y, pd.DataFrame):
            y = _codes_in_order_of(y, sents)
            missing = [f for f in frames if f not in y.columns]
            if missing:
                raise ParameterError(f"the codes (y) lack frame column(s) {missing} that the model labels ({frames}); "
                                     "give the model the frames coded (FrameClassifier(frames=...))")
            codes: np.ndarray = y[frames].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        else:
            codes = np.asarray(y, dtype=float)
            if codes.ndim != 2 or codes.shape[1] != len(frames):
                raise ParameterError(f"y must have one column per frame {frames}, got shape {codes.shape}")
        if codes.shape[0] != n:
            raise ParameterError(f"y has {codes.shape[0]} rows, X has {n} sentences")
        if not np.isin(codes[~np.isnan(codes)], (0.0, 1.0)).all():
            raise ParameterError("y codes must be 0, 1 or missing (NaN: the sentence is context only)")
        return codes

    def fit(self, X: Any, y: Any) -> FrameClassifier:
        """Fit one binary model per frame.

        Parameters
        ----------
        X : DataFrame or ProcessedCorpus
            Sentences table (doc_id, sent_id, start, end, text; ``para_id`` when known). Give whole
            documents: uncoded sentences still serve as context of the next one.
        y : DataFrame or array, shape (n_sentences, n_frames)
            0/1 codes per frame; NaN for a sentence not coded for that frame. A DataFrame with ``doc_id`` and
            ``sent_id`` columns (the long layout of coded sheets and ``Devset.coded``) is matched to ``X`` on
            them, whatever its row order (each sentence of ``X`` needs exactly one row, and each row a sentence
            of ``X``: a ParameterError names the first that has none); without them (an array, a frame of
            codes only) its rows are taken in the order of ``X``.
        """
        from threadpoolctl import threadpool_limits

        from framing.cases import resolve_case

        self._check_params()
        self.case_ = resolve_case((self.rule_params or {}).get("case"))  # read once: the model keeps the content
        self.case_sha256_ = _case_digest(self.case_)  # of the file as read now (the header names it, not a later edit)
        feats = self._featurize(X)
        frames = feats.frames
        codes = self._labels(y, frames, feats.sents)
        # hundreds of small L-BFGS fits (C="auto" is a nested CV): a multi-threaded BLAS only adds
        # synchronisation to them (16x slower on a busy 2-core machine); one thread, the same coefficients
        with threadpool_limits(limits=1, user_api="blas"):
            estimators, chosen, cuts = self._fit_frames(feats, codes)
        self.C_ = np.asarray(chosen)
        self.thresholds_ = np.asarray(cuts)
        self.frames_ = frames
        self.feature_names_ = feats.names
        self.estimators_ = estimators
        self.n_train_ = (~np.isnan(codes)).sum(axis=0)
        self.classes_ = [np.array([0, 1]) for _ in frames]  # sklearn's multi-output layout: one per frame
        self.lexicon_fingerprints_ = self._current_fingerprints()
        self._lexicons_checked = (self.lexicon, self.cues)
        return self

    def with_case(self, case: Any) -> FrameClassifier:
        """Return a copy of this fitted model labelling with a case file (name, path or ``Case``).

        The case's people and organisations then count in the rule features (``rule:<frame>``, ``n:<frame>``) as
        in the rule's labels: the general model, trained without one, reads the case at hand (``framing frames
        --model general --case NAME``). ``None``, ``""`` or the model's own case return the model itself (with a
        warning when ``None`` leaves it its own case); another case file than its own is refused, naming both.
        """
        import copy

        from framing.cases import resolve_case

        self._check_fitted()
        loaded = resolve_case(case)
        trained = getattr(self, "case_", None)
        if loaded is None:
            if trained is not None:
                warnings.warn(f"the model labels with the case file it was trained with, {trained.name!r} (its names "
                              "are part of what it learned), though none was given", FramingWarning, stacklevel=2)
            return self
        digest = _case_digest(loaded)
        if trained is not None:
            if digest is not None and digest == getattr(self, "case_sha256_", None):
                return self
            raise ParameterError(f"case {case!s}: the model was trained with case file {trained.name!r} "
                                 f"({getattr(trained, 'source', None) or 'not from a file'}); label with its own case "
                                 "or train a model with this one (framing validate train --case)")
        out = copy.copy(self)
        shown = os.fspath(case) if isinstance(case, str | os.PathLike) else loaded.name
        out.rule_params = {**(self.rule_params or {}), "case": shown}
        out.case_ = loaded
        out.case_sha256_ = digest
        return out

    def _current_fingerprints(self) -> dict[str, str]:
        """:func:`lexicon_fingerprint` of the lexicons the parameters name, as they are now."""
        fps = {"lexicon": lexicon_fingerprint(self.lexicon)}
        if self.cues is not None:
            fps["cues"] = lexicon_fingerprint(self.cues)
        return fps

    def changed_lexicons(self, recorded: Mapping[str, str] | None = None) -> list[str]:
        """Describe each lexicon whose fingerprint differs from ``recorded`` (default: those of ``fit``).

        Returns
        -------
        list of str
            One ``"the frame lexicon 'NAME' (parameter lexicon)"`` per changed lexicon; empty when none changed.
        """
        recorded = dict(self.lexicon_fingerprints_ if recorded is None else recorded)
        current = self._current_fingerprints()
        roles = {"lexicon": "frame", "cues": "cue"}
        return [f"the {roles[k]} lexicon {_source_name(getattr(self, k))!r} (parameter {k})"
                for k in sorted(set(current) | set(recorded)) if current.get(k) != recorded.get(k)]

    def _check_lexicons(self) -> None:
        """Raise :class:`ModelError` when a lexicon changed since ``fit`` (checked once per object)."""
        if getattr(self, "_lexicons_checked", None) == (self.lexicon, self.cues):
            return
        changed = self.changed_lexicons()
        if changed:
            raise ModelError(f"{'; '.join(changed)} changed since the model was trained: its features would "
                             "no longer mean what they meant in fit; retrain the model (or restore the lexicon)")
        self._lexicons_checked = (self.lexicon, self.cues)

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore a pickled model, filling in what older versions did not save.

        One saved before the ``frames`` parameter labels every lexicon frame; one saved before the multi-output
        layout gets ``classes_`` per frame (``predict_proba`` gives one array per frame); one saved before
        ``following``, ``document``, ``words`` and ``threshold`` has them off and labels above one half.
        """
        if "frames_" in state and not isinstance(state.get("classes_"), list):
            state = {**state, "classes_": [np.array([0, 1]) for _ in state["frames_"]]}
        if "frames_" in state and "thresholds_" not in state:  # saved before thresholds: one half
            state = {**state, "thresholds_": np.full(len(state["frames_"]), 0.5)}
        super().__setstate__({"frames": None, "following": False, "document": None, "words": 0.0, "threshold": 0.5,
                              **state})

    def __getstate__(self) -> dict[str, Any]:
        """Return the state to pickle, without the lexicon check's mark: an unpickled model checks again."""
        state: dict[str, Any] = super().__getstate__()
        return {k: v for k, v in state.items() if k != "_lexicons_checked"}

    def _fit_frames(self, feats: _Features, codes: np.ndarray) -> tuple[list[Any], list[float], list[float]]:
        """One fitted model per frame (a constant one for a frame coded one way only), the C and thresholds."""
        from sklearn.dummy import DummyClassifier
        from sklearn.linear_model import LogisticRegression

        frames = feats.frames
        estimators: list[Any] = []
        chosen: list[float] = []
        cuts: list[float] = []
        docs = feats.sents["doc_id"].astype(str).to_numpy()
        for j in range(len(frames)):
            known = ~np.isnan(codes[:, j])
            if not known.any():
                raise ParameterError(f"y has no coded sentence for frame {frames[j]!r}")
            target = codes[known, j].astype(np.int64)
            if len(np.unique(target)) < 2:
                est: Any = DummyClassifier(strategy="most_frequent")
                c, cut = float("nan"), 0.5
            else:
                c, cut = self._choose(feats.matrix[np.flatnonzero(known)], target, docs[known])
                est = LogisticRegression(C=c, class_weight=self.class_weight, random_state=int(self.seed),
                                         max_iter=2000)
            chosen.append(c)
            cuts.append(cut)
            estimators.append(est.fit(feats.matrix[np.flatnonzero(known)], target))
        return estimators, chosen, cuts

    def _choose(self, matrix: np.ndarray, target: np.ndarray, docs: np.ndarray) -> tuple[float, float]:
        """Choose ``C`` (``"auto"`` or a sequence) and the threshold (``threshold="auto"``) by held-out F1.

        Training documents are held out one at a time (GroupKFold with at most 10 folds), so the choice never
        sees the documents a caller evaluates on; every pair of a C (:data:`C_GRID`, or the values of ``C`` when
        it is a sequence) and a :data:`THRESHOLD_GRID` value is scored on the same out-of-fold probabilities.
        Ties go to the smaller C (stronger regularisation), then to the threshold nearest 0.5; fewer than three
        documents give ``C = 1`` (the smallest value of a sequence) and 0.5.
        """
        from sklearn.linear_model import LogisticRegression

        values = _c_values(self.C)  # None: "auto"
        fixed_c = values[0] if values is not None and not _is_sequence(self.C) else None
        grid = (fixed_c,) if fixed_c is not None else tuple(sorted(values)) if values is not None else C_GRID
        fixed_t = None if self.threshold == "auto" else float(self.threshold)
        if fixed_c is not None and fixed_t is not None:
            return fixed_c, fixed_t
        n_docs = len(np.unique(docs))
        if n_docs < 3:
            return (1.0 if values is None else grid[0]), (0.5 if fixed_t is None else fixed_t)
        folds = document_folds(docs, None if n_docs <= 10 else 10)
        cuts = np.asarray(THRESHOLD_GRID if fixed_t is None else (fixed_t,), dtype=float)
        cuts = cuts[np.argsort(np.round(np.abs(cuts - 0.5), 6), kind="stable")]  # nearest 0.5 first: wins ties
        best, best_f1 = (1.0, 0.5), -1.0
        for c in grid:
            proba = np.zeros(len(target))
            for tr, te in folds:
                if len(np.unique(target[tr])) < 2:
                    proba[te] = target[tr][0]
                    continue
                lr = LogisticRegression(C=c, class_weight=self.class_weight, random_state=int(self.seed), max_iter=2000)
                proba[te] = lr.fit(matrix[tr], target[tr]).predict_proba(matrix[te])[:, 1]
            pred = proba[:, None] > cuts[None, :]
            tp = (pred & (target == 1)[:, None]).sum(axis=0)
            f1 = 2 * tp / np.maximum(pred.sum(axis=0) + int(target.sum()), 1)
            k = int(np.argmax(f1))
            if f1[k] > best_f1:
                best, best_f1 = (c, float(cuts[k])), float(f1[k])
        return best

    def _check_fitted(self) -> None:
        if not hasattr(self, "estimators_"):
            raise NotFittedError("FrameClassifier is not fitted yet; call fit first")
        self._check_lexicons()

    def _scores(self, feats: _Features) -> np.ndarray:
        if feats.names != self.feature_names_:
            raise ModelError("the features of X differ from those the model was fitted on (lexicon or rule changed)")
        out = np.empty((len(feats.sents), len(self.estimators_)))
        if not len(out):  # no sentence: no prediction (sklearn's models refuse 0 rows)
            return out
        for j, est in enumerate(self.estimators_):
            if len(est.classes_) == 1:
                out[:, j] = float(est.classes_[0])
            else:
                out[:, j] = est.predict_proba(feats.matrix)[:, 1]
        return out

    def _decide(self, proba: np.ndarray) -> np.ndarray:
        """0/1 labels: each frame's probability above its threshold (:attr:`thresholds_`)."""
        return (proba > np.asarray(self.thresholds_)[None, :]).astype(np.int64)

    def frame_probabilities(self, X: Any) -> np.ndarray:
        """Probability of each frame, shape (n_sentences, n_frames), columns in :attr:`frames_` order.

        The same numbers as :meth:`predict_proba` (its second columns), as one array.
        """
        self._check_fitted()
        return self._scores(self._featurize(X))

    def predict_proba(self, X: Any) -> list[np.ndarray]:
        """Probabilities per frame in scikit-learn's multi-output layout.

        Returns
        -------
        list of ndarray
            One (n_sentences, 2) array per frame, in :attr:`frames_` order: the probabilities of 0 and of 1
            (the order of ``classes_[j]``), as ``MultiOutputClassifier`` gives, so ``cross_val_predict(...,
            method="predict_proba")`` works. :meth:`frame_probabilities` gives the probabilities of 1 as one
            (n_sentences, n_frames) array.
        """
        p = self.frame_probabilities(X)
        return [np.column_stack([1.0 - p[:, j], p[:, j]]) for j in range(p.shape[1])]

    def decision_function(self, X: Any) -> np.ndarray:
        """Log-odds of each frame, shape (n_sentences, n_frames) (+/- inf for a constant model)."""
        p = self.frame_probabilities(X)
        with np.errstate(divide="ignore"):
            log_odds: np.ndarray = np.log(p) - np.log1p(-p)
        return log_odds

    def predict(self, X: Any) -> np.ndarray:
        """0/1 label per frame, shape (n_sentences, n_frames): probability above the frame's threshold."""
        return self._decide(self.frame_probabilities(X))

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Macro-F1 of :meth:`predict` against the coded (non-NaN) cells of ``y``.

        For each frame, F1 = 2 TP / (2 TP + FP + FN) over the sentences coded for that frame (uncoded, NaN,
        cells are left out, as in :meth:`fit`); a frame with no positive among its codes and predictions has
        no F1 and is left out of the mean (the convention of :mod:`framing.agreement`). The score is the mean
        over the frames that have one, and 1.0 when none has (every coded cell is a negative that the model
        also predicts negative). So ``cross_val_score`` and ``GridSearchCV`` work with partly coded ``y``.

        Parameters
        ----------
        X : DataFrame or ProcessedCorpus
            As for :meth:`predict`.
        y : DataFrame or array, shape (n_sentences, n_frames)
            0/1 codes, NaN where not coded; matched to ``X`` on ``doc_id``/``sent_id`` when it has them (as in
            :meth:`fit`).
        sample_weight : None
            Not supported (an error when given).

        Returns
        -------
        float
            The macro-F1.
        """
        if sample_weight is not None:
            raise ParameterError("FrameClassifier.score does not support sample_weight")
        self._check_fitted()
        feats = self._featurize(X)
        pred = self._decide(self._scores(feats))
        return macro_f1(self._labels(y, self.frames_, feats.sents), pred)

    # --- labels with evidence ----------------------------------------------------------------------

    def label_table(self, X: Any) -> pd.DataFrame:
        """Labels in the layout of :func:`framing.scoring.frame_table`, plus probabilities and evidence.

        Returns
        -------
        DataFrame
            doc_id, sent_id, start, end, text, one 0/1 column per frame, ``n_<frame>`` (the rule's hit
            counts), ``p_<frame>`` (probabilities), ``evidence`` (the entries behind the positive labels,
            ``frame: entry, entry; ...``; ``(prev)`` / ``(next)`` mark hits of the previous / next sentence).
        """
        self._check_fitted()
        feats = self._featurize(X)
        proba = self._scores(feats)
        out = feats.sents[list(_ID_COLS)].copy()
        labels = self._decide(proba)
        for j, f in enumerate(self.frames_):
            out[f] = labels[:, j]
        for f in self.frames_:
            out[f"n_{f}"] = feats.rule[f"n_{f}"].to_numpy(dtype=np.int64, na_value=0)
        for j, f in enumerate(self.frames_):
            out[f"p_{f}"] = proba[:, j]
        out["evidence"] = evidence_column(self._evidence(feats, labels), len(out))
        return out

    def evidence(self, X: Any) -> pd.DataFrame:
        """Return the hits behind every positive label.

        For a sentence labelled F: the F hits of the sentence, its cue hits, (with ``context``) the F hits of
        the previous sentence of the paragraph and (with ``following``) those of the next one. A label with no
        hit behind it (the model can give one from length, punctuation, the document or words alone) has one row
        with ``source == "none"``.

        Returns
        -------
        DataFrame
            doc_id, sent_id, frame, source (``sentence`` / ``context`` / ``next`` / ``none``), lexicon (``frames`` /
            ``cues``), category, entry, matched, negated, start, end (offsets of the hit in the raw text).
        """
        self._check_fitted()
        feats = self._featurize(X)
        labels = self._decide(self._scores(feats))
        ev = self._evidence(feats, labels)
        return ev.drop(columns=["row"]).reset_index(drop=True)

    def _evidence(self, feats: _Features, labels: np.ndarray) -> pd.DataFrame:
        return label_evidence(feats, labels, self.frames_, context=self.context)


def _is_sequence(value: Any) -> bool:
    """Tell whether a ``C`` is a sequence of values (a list, tuple or numpy array), not one value."""
    return isinstance(value, tuple | list | np.ndarray)


def _c_values(C: Any) -> tuple[float, ...] | None:
    """Return the values a ``C`` names (None: ``"auto"``); numpy numbers and arrays count. ParameterError otherwise."""
    import numbers

    if isinstance(C, str) and C == "auto":
        return None
    values = list(np.asarray(C).ravel()) if isinstance(C, np.ndarray) else list(C) if _is_sequence(C) else [C]
    if not values or any(isinstance(c, bool | np.bool_) or not isinstance(c, numbers.Real) or not float(c) > 0
                         for c in values):
        raise ParameterError(f"C must be a positive number, 'auto' or a list of positive numbers, got {C!r}")
    return tuple(float(c) for c in values)
