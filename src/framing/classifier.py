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
- sentence length (``log1p`` of the number of words), a double quotation mark, a question mark.

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
import re
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
    _count_block,
    _Features,
    _previous_row,
    _sentences_table,
    document_folds,
    macro_f1,
    out_of_fold_labels,
)
from framing._frame_labels import check_model_options, label_frames, labeller_name, rule_defaults
from framing.errors import FramingWarning, ModelError, NotFittedError, ParameterError
from framing.lexicon import LexiconSource, check_category_columns, load_lexicon
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
_DQUOTE = r"[\"“”«»]"
_SURFACE = {  # case-independent cues of who is talked about (codebook: persons, follow-up sentences)
    "honorific_name": re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Baroness|Judge|Prof)\.?\s+[A-Z][\w'-]+"),
    "pronoun_start": re.compile(r"^\W*(?:He|She|They|It|This|That|These|Those)\b"),
    "third_person": re.compile(r"(?i)\b(?:he|she|him|her|his|hers|himself|herself)\b"),
}


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
    C : float or "auto", default "auto"
        Inverse regularisation strength of each logistic regression; ``"auto"`` chooses it per frame from
        :data:`C_GRID` by cross-validation over the *training* documents (nested: held-out documents of
        :func:`out_of_fold_labels` never take part in the choice).
    class_weight : {"balanced", None}, default "balanced"
        Class weights of each logistic regression.
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
                 C: float | str = "auto", class_weight: str | None = "balanced", seed: int = DEFAULT_SEED,
                 rule_params: Mapping[str, Any] | None = None, frames: Sequence[str] | None = None) -> None:
        self.lexicon = lexicon
        self.cues = cues
        self.context = context
        self.C = C
        self.class_weight = class_weight
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
        if not isinstance(self.context, bool):
            raise ParameterError(f"context must be True or False, got {self.context!r}")
        if self.C != "auto" and (isinstance(self.C, bool) or not isinstance(self.C, int | float) or not self.C > 0):
            raise ParameterError(f"C must be a positive number or 'auto', got {self.C!r}")
        if self.class_weight not in ("balanced", None):
            raise ParameterError(f"class_weight must be 'balanced' or None, got {self.class_weight!r}")
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
        from framing.scoring import FRAME_ID_COLUMNS, frame_table, lexicon_hits

        sents = _sentences_table(X)
        lex = load_lexicon(self.lexicon)
        check_category_columns(lex, (*FRAME_ID_COLUMNS, "evidence"), prefixes=("n_", "p_"),
                               table="the label table")
        rule = frame_table(sents, lexicon=lex, cues=self.cues, **self._rule_kwargs())
        keys = pd.MultiIndex.from_frame(sents[["doc_id", "sent_id"]])
        rule = rule.set_index(["doc_id", "sent_id"]).reindex(keys).reset_index()
        frames = [c for c in lex.categories if c in rule.columns and f"n_{c}" in rule.columns]
        if not frames:
            raise ParameterError(f"frame_table reports none of the categories of lexicon {lex.name!r}")
        labels = frames if self.frames is None else list(self.frames)
        unknown = [f for f in labels if f not in frames]
        if unknown:
            raise ParameterError(f"frames {unknown} are not frames of lexicon {lex.name!r} (its frames: {frames})")
        hits = lexicon_hits(sents, lex).assign(lexicon="frames")
        blocks = [_count_block(hits, keys, lex.categories)]
        names = [f"hit:{c}" for c in lex.categories] + [f"hit_negated:{c}" for c in lex.categories]
        if self.cues is not None:
            cue_lex = load_lexicon(self.cues)
            cue_hits = lexicon_hits(sents, cue_lex).assign(lexicon="cues")
            blocks.append(_count_block(cue_hits, keys, cue_lex.categories))
            names += [f"cue:{c}" for c in cue_lex.categories] + [f"cue_negated:{c}" for c in cue_lex.categories]
            hits = pd.concat([hits, cue_hits], ignore_index=True)
        blocks.append(rule[frames].to_numpy(dtype=float, na_value=0.0))
        blocks.append(rule[[f"n_{f}" for f in frames]].to_numpy(dtype=float, na_value=0.0))
        names += [f"rule:{f}" for f in frames] + [f"n:{f}" for f in frames]
        text = sents["text"].astype(str)
        blocks.append(np.column_stack([text.str.count(rx).to_numpy(dtype=float) for rx in _SURFACE.values()]))
        names += [f"surface:{n}" for n in _SURFACE]
        own = np.log1p(np.hstack(blocks))
        prev = _previous_row(sents)
        parts = [own]
        if self.context:
            ctx = np.where((prev >= 0)[:, None], own[np.maximum(prev, 0)], 0.0)
            parts += [ctx, (prev < 0).astype(float)[:, None]]
            names += [f"prev:{n}" for n in names] + ["paragraph_start"]
        parts.append(np.column_stack([
            np.log1p(text.str.count(r"\w+").to_numpy(dtype=float)),
            text.str.contains(_DQUOTE, regex=True).to_numpy(dtype=float),
            text.str.contains("?", regex=False).to_numpy(dtype=float),
        ]))
        names += ["log_words", "quotation", "question"]
        return _Features(sents, np.hstack(parts), names, rule, hits, prev, labels)

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
            estimators, chosen = self._fit_frames(feats, codes)
        self.C_ = np.asarray(chosen)
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
        layout gets ``classes_`` per frame (``predict_proba`` gives one array per frame).
        """
        if "frames_" in state and not isinstance(state.get("classes_"), list):
            state = {**state, "classes_": [np.array([0, 1]) for _ in state["frames_"]]}
        super().__setstate__({"frames": None, **state})

    def __getstate__(self) -> dict[str, Any]:
        """Return the state to pickle, without the lexicon check's mark: an unpickled model checks again."""
        state: dict[str, Any] = super().__getstate__()
        return {k: v for k, v in state.items() if k != "_lexicons_checked"}

    def _fit_frames(self, feats: _Features, codes: np.ndarray) -> tuple[list[Any], list[float]]:
        """One fitted model per frame (a constant one for a frame coded one way only) and the C chosen."""
        from sklearn.dummy import DummyClassifier
        from sklearn.linear_model import LogisticRegression

        frames = feats.frames
        estimators: list[Any] = []
        chosen: list[float] = []
        docs = feats.sents["doc_id"].astype(str).to_numpy()
        for j in range(len(frames)):
            known = ~np.isnan(codes[:, j])
            if not known.any():
                raise ParameterError(f"y has no coded sentence for frame {frames[j]!r}")
            target = codes[known, j].astype(np.int64)
            if len(np.unique(target)) < 2:
                est: Any = DummyClassifier(strategy="most_frequent")
                chosen.append(float("nan"))
            else:
                c = self._choose_c(feats.matrix[known], target, docs[known]) if self.C == "auto" else float(self.C)
                chosen.append(c)
                est = LogisticRegression(C=c, class_weight=self.class_weight, random_state=int(self.seed),
                                         max_iter=2000)
            estimators.append(est.fit(feats.matrix[known], target))
        return estimators, chosen

    def _choose_c(self, matrix: np.ndarray, target: np.ndarray, docs: np.ndarray) -> float:
        """Choose ``C`` for ``C="auto"``: the value of :data:`C_GRID` with the best F1 over held-out documents.

        Training documents are held out one at a time (GroupKFold with at most 10 folds), so the choice never
        sees the documents a caller evaluates on. Ties go to the smaller C (stronger regularisation); fewer
        than three documents give ``C = 1``.
        """
        from sklearn.linear_model import LogisticRegression

        n_docs = len(np.unique(docs))
        if n_docs < 3:
            return 1.0
        folds = document_folds(docs, None if n_docs <= 10 else 10)
        best, best_f1 = 1.0, -1.0
        for c in C_GRID:
            pred = np.zeros(len(target), dtype=np.int64)
            for tr, te in folds:
                if len(np.unique(target[tr])) < 2:
                    pred[te] = target[tr][0]
                    continue
                lr = LogisticRegression(C=c, class_weight=self.class_weight, random_state=int(self.seed), max_iter=2000)
                pred[te] = lr.fit(matrix[tr], target[tr]).predict(matrix[te])
            tp = int(((pred == 1) & (target == 1)).sum())
            f1 = 2 * tp / max(int(pred.sum()) + int(target.sum()), 1)
            if f1 > best_f1:
                best, best_f1 = c, f1
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
        """0/1 label per frame, shape (n_sentences, n_frames): probability above one half."""
        return (self.frame_probabilities(X) > 0.5).astype(np.int64)

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
        pred = (self._scores(feats) > 0.5).astype(np.int64)
        return macro_f1(self._labels(y, self.frames_, feats.sents), pred)

    # --- labels with evidence ----------------------------------------------------------------------

    def label_table(self, X: Any) -> pd.DataFrame:
        """Labels in the layout of :func:`framing.scoring.frame_table`, plus probabilities and evidence.

        Returns
        -------
        DataFrame
            doc_id, sent_id, start, end, text, one 0/1 column per frame, ``n_<frame>`` (the rule's hit
            counts), ``p_<frame>`` (probabilities), ``evidence`` (the entries behind the positive labels,
            ``frame: entry, entry; ...``; ``prev`` marks a hit of the previous sentence).
        """
        self._check_fitted()
        feats = self._featurize(X)
        proba = self._scores(feats)
        out = feats.sents[list(_ID_COLS)].copy()
        labels = (proba > 0.5).astype(np.int64)
        for j, f in enumerate(self.frames_):
            out[f] = labels[:, j]
        for f in self.frames_:
            out[f"n_{f}"] = feats.rule[f"n_{f}"].to_numpy(dtype=np.int64, na_value=0)
        for j, f in enumerate(self.frames_):
            out[f"p_{f}"] = proba[:, j]
        ev = self._evidence(feats, labels)
        if ev.empty:
            out["evidence"] = ""
            return out
        entry = ev["entry"].astype(object).where(ev["source"] != "none", "(no hit)").astype(str)
        ev = ev.assign(item=entry.where(ev["source"] != "context", entry + " (prev)"))
        ev = ev.drop_duplicates(["row", "frame", "item"])
        per_frame = ev.groupby(["row", "frame"], sort=False)["item"].agg(", ".join).reset_index()
        per_frame["text"] = per_frame["frame"] + ": " + per_frame["item"]
        joined = per_frame.groupby("row", sort=True)["text"].agg("; ".join)
        out["evidence"] = joined.reindex(range(len(out)), fill_value="").to_numpy()
        return out

    def evidence(self, X: Any) -> pd.DataFrame:
        """Return the hits behind every positive label.

        For a sentence labelled F: the F hits of the sentence, its cue hits, and (with ``context``) the F
        hits of the previous sentence of the paragraph. A label with no hit behind it (the model can give
        one from length or punctuation alone) has one row with ``source == "none"``.

        Returns
        -------
        DataFrame
            doc_id, sent_id, frame, source (``sentence`` / ``context`` / ``none``), lexicon (``frames`` /
            ``cues``), category, entry, matched, negated, start, end (offsets of the hit in the raw text).
        """
        self._check_fitted()
        feats = self._featurize(X)
        labels = (self._scores(feats) > 0.5).astype(np.int64)
        ev = self._evidence(feats, labels)
        return ev.drop(columns=["row"]).reset_index(drop=True)

    def _evidence(self, feats: _Features, labels: np.ndarray) -> pd.DataFrame:
        cols = ["row", "doc_id", "sent_id", "frame", "source", "lexicon", "category", "entry", "matched", "negated",
                "start", "end"]
        rows_i, frames_j = np.nonzero(labels)
        pos = pd.DataFrame({"row": rows_i, "frame": np.asarray(self.frames_, dtype=object)[frames_j]})
        if pos.empty:
            return pd.DataFrame(columns=cols)
        keys = pd.MultiIndex.from_frame(feats.sents[["doc_id", "sent_id"]])
        hits = feats.hits.copy()
        hits["hit_row"] = keys.get_indexer(pd.MultiIndex.from_frame(hits[["doc_id", "sent_id"]]))
        hits = hits.drop(columns=["doc_id", "sent_id"])
        own_frame = pos.merge(hits[hits["lexicon"] == "frames"], left_on=["row", "frame"],
                              right_on=["hit_row", "category"])
        own_cue = pos.merge(hits[hits["lexicon"] == "cues"], left_on="row", right_on="hit_row")
        parts = [own_frame.assign(source="sentence"), own_cue.assign(source="sentence")]
        if self.context:
            ctx = pos.assign(prev_row=feats.prev[pos["row"].to_numpy()])
            ctx = ctx[ctx["prev_row"] >= 0].merge(hits[hits["lexicon"] == "frames"],
                                                   left_on=["prev_row", "frame"], right_on=["hit_row", "category"])
            parts.append(ctx.assign(source="context"))
        ev = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(not p.empty for p in parts) \
            else pd.DataFrame(columns=[*cols, "hit_row"])
        covered = pd.MultiIndex.from_frame(ev[["row", "frame"]]) if not ev.empty else pd.MultiIndex.from_tuples(
            [], names=["row", "frame"])
        bare = pos[~pd.MultiIndex.from_frame(pos[["row", "frame"]]).isin(covered)].assign(source="none")
        ev = pd.concat([ev, bare], ignore_index=True)
        ev["doc_id"] = feats.sents["doc_id"].to_numpy()[ev["row"].to_numpy(dtype=np.int64)]
        ev["sent_id"] = feats.sents["sent_id"].to_numpy()[ev["row"].to_numpy(dtype=np.int64)]
        order = {"sentence": 0, "context": 1, "none": 2}
        ev = ev.assign(_s=ev["source"].map(order), _f=ev["frame"].map({f: i for i, f in enumerate(self.frames_)}))
        ev = ev.sort_values(["row", "_f", "_s", "start"], kind="stable")
        return ev[cols].reset_index(drop=True)

