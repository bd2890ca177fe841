"""Validity of the frame instrument beyond the seeds: leave-one-document-out, the development set, training.

:func:`instrument_validity` scores the decision rule and the learned :class:`framing.classifier.FrameClassifier`
side by side, with the same :func:`framing.agreement.agreement` tables (P/R/F1, bootstrap intervals, the
always-positive baseline, confusion, misclassified units) in these scopes (``seeds`` is the ``scope`` argument:
the coded corpus's name, ``seeds`` for the study's own):

- ``seeds``: the coded corpus (the rule; a given model too, which is in-sample when one of the coded sheets is
  one of its training files, by SHA-256: ``model_training``);
- ``seeds-LODO``: leave one document out. The rule has no training, so its figure here *equals* its pooled
  ``seeds`` figure; the classifier is trained on the other documents and labels the held-out one. On the study's
  own seeds (:data:`framing.paths.STUDY_CORPUS_NAME`) the rule's rows are **in-sample**: the shipped lexicons
  and rule were written reading these documents' errors (docs/lexicons.md), so their figure is no estimate of the
  rule on unseen text, and no comparison with the classifier's out-of-fold figure is fair there;
- ``devset``: the development set (another corpus). The classifier is the given model, else one trained on
  all the coded corpus (it never sees the development set);
- ``devset-LODO``: the classifier trained on the coded corpus plus the other development-set documents,
  labelling each held-out development document: what a user who codes some of their own documents can expect
  (its rule features without the corpus's case file, which is another case's);
- ``heldout-<name>``: each held-out set, as the development set.

Every row has ``in_sample``: True where the figure is not out-of-sample (the rule on the study's seeds; a given
model on the corpus it was trained on, or on a set whose coded file is among ``model_training``). The
verdicts (:func:`framing.agreement.held_out_verdict`, the report's findings) leave such rows out. Intervals are
percentile bootstrap intervals that resample whole documents (``ci_cluster="doc_id"``): the sentences of one
article are not independent, and these sets hold 5 to 9 articles each.

Without codes of the corpus (``coded=None``) only the rule is scored, on the development and held-out sets:
they do not depend on the corpus.

:func:`train_frame_model` cross-validates by document and fits the final model (``framing validate train``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.agreement._devset import (
    READ_SOURCE,
    SEALED_HELDOUT,
    Devset,
    held_articles_note,
    model_source,
    read_while_written,
    without_corpus_articles,
)
from framing.agreement._metrics import (
    FEW_DOCUMENTS_PATTERN,
    _majority,
    agreement,
    coded_sources,
    coder_matrix,
    main_reference,
    warn_few_positives,
)
from framing.agreement._summaries import coded_scope
from framing.errors import FramingWarning, ParameterError
from framing.memo import memoized
from framing.paths import STUDY_CORPUS_NAME
from framing.types import (
    DEFAULT_CUES_LEXICON,
    DEFAULT_FRAMES_LEXICON,
    DEFAULT_SEED,
    FRAMES,
    PathLike,
    ProcessedCorpusLike,
)

if TYPE_CHECKING:  # instruments of the same layer, imported where used
    from framing.classifier import FrameClassifier
    from framing.lexicon import LexiconSource

__all__ = ["METHODS", "METRIC_COLUMNS", "InSampleWarning", "InstrumentValidity", "TrainResult", "coded_labels",
           "instrument_validity", "macro_f1_summary", "model_training_overlap", "sheets_in_training",
           "train_frame_model", "training_digests", "training_provenance"]

METHODS: dict[str, str] = {
    "rule": "the decision rule (frame_table) with the given lexicons and case",
    "classifier": "a FrameClassifier trained in this run on the coded corpus (held out by document in the -LODO "
                  "scopes; on the whole coded corpus for the development and held-out sets)",
    "model": "the given fitted model (framing validate devset --model, instrument_validity(model=)), as it is",
}
"""Values of the ``method`` column of :func:`instrument_validity`'s tables, and what each one labelled."""

METRIC_COLUMNS = ("scope", "method", "frame", "n", "support", "predicted", "tp", "fp", "fn", "tn", "precision",
                  "recall", "f1", "lo", "hi", "baseline", "note", "in_sample")
"""Columns of :attr:`InstrumentValidity.metrics`."""

RULE_LODO_NOTE = "the rule has no training: its leave-one-document-out figure equals its pooled figure"
RULE_SEEDS_NOTE = ("in-sample: the shipped lexicons and rule were written reading these documents' errors, so this "
                   "is no estimate on unseen text")
MODEL_IN_SAMPLE_NOTE = "in-sample: the given model was trained on this set"
MODEL_NOT_TRAINED_HERE_NOTE = "the given model; none of these coded sheets is among its training files"
MODEL_UNKNOWN_TRAINING_NOTE = ("the given model, in-sample as far as can be told: no training files recorded for it, "
                               "or no sheet files recorded for these codes")


class InSampleWarning(FramingWarning):
    """Figures or corrections computed with a model on coded sheets it was trained on (so in-sample)."""


def sheets_in_training(sheets: Sequence[PathLike], training_digests: Sequence[str]) -> list[str]:
    """Return the ``sheets`` whose SHA-256 is one of ``training_digests`` (a model header's ``training_files``).

    A sheet that cannot be read is not counted (it was not scored either).
    """
    trained = {str(d).lower() for d in training_digests if d}
    return [str(s) for s in dict.fromkeys(map(str, sheets)) if trained and _sha256(s) in trained]


def training_digests(header: Mapping[str, Any]) -> list[str]:
    """Return the SHA-256 digests of the training files in a model header (``training_files``)."""
    return [str(f.get("sha256", "")) for f in header.get("training_files", []) if isinstance(f, Mapping)]


def model_training_overlap(header: Mapping[str, Any], sheets: Sequence[PathLike],
                           documents: pd.DataFrame | None = None) -> tuple[list[str], dict[str, str]]:
    """Return what a model was trained on among coded ``sheets`` and ``documents``: where it is in-sample.

    The sheets that are among its training files (:func:`sheets_in_training`) and, unless one is, the documents
    holding articles of its training sets (:func:`~framing.agreement.model_training_documents`; ``documents``
    None: not looked for).
    """
    from framing.agreement._devset import model_training_documents

    seen = sheets_in_training(sheets, training_digests(header))
    held = {} if seen or documents is None else model_training_documents(header, documents)
    return seen, held


NO_POSITIVE_NOTE = "no coded positive: left out of micro and macro"
NO_CODES_NOTE = "no coded sentences of the corpus: only the rule is scored, on the development and held-out sets"


@dataclass(frozen=True)
class InstrumentValidity:
    """Tidy tables of :func:`instrument_validity` (``scope`` and ``method`` columns first in each)."""

    metrics: pd.DataFrame
    confusion: pd.DataFrame
    misclassified: pd.DataFrame
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TrainResult:
    """A model fitted on all training sentences, and its cross-validated figures beside the rule's."""

    model: FrameClassifier
    metrics: pd.DataFrame
    folds: pd.DataFrame


def coded_labels(sentences: pd.DataFrame, coded: pd.DataFrame, frames: Sequence[str] = FRAMES) -> pd.DataFrame:
    """Return the majority codes aligned to the rows of ``sentences``.

    One float column per frame, NaN where not coded (or where coders tie).
    """
    keys = pd.MultiIndex.from_arrays([sentences["doc_id"].astype(str), sentences["sent_id"].astype("int64")],
                                     names=["doc_id", "sent_id"])
    c = coded.assign(doc_id=coded["doc_id"].astype(str), sent_id=coded["sent_id"].astype("int64"))
    out = pd.DataFrame(index=range(len(sentences)))
    for f in frames:
        out[f] = _majority(coder_matrix(c, f)).reindex(keys).to_numpy(dtype=float)
    return out


def _tidy(report: Any, scope: str, method: str, note: str = "", in_sample: bool = False
          ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    m = report.metrics[report.metrics["reference"] == main_reference(report.metrics)]
    m = m.rename(columns={"f1_low": "lo", "f1_high": "hi", "f1_baseline": "baseline"}).drop(columns="reference")
    if "ci_note" in m.columns:  # why a row has no interval (no true positive), beside the row's own note
        ci = m["ci_note"].fillna("").astype(str)
        note_col = pd.Series(note, index=m.index).str.cat(ci, sep="; ").str.strip("; ")
        m = m.drop(columns="ci_note").assign(note=note_col)
    else:
        m = m.assign(note=note)
    m = m.assign(scope=scope, method=method, in_sample=bool(in_sample))[list(METRIC_COLUMNS)]
    conf = report.confusion[report.confusion["reference"] == main_reference(report.confusion)].drop(columns="reference")
    conf = conf.rename(columns={"lexicon_0": "predicted_0", "lexicon_1": "predicted_1"})
    conf = conf.assign(scope=scope, method=method)[["scope", "method", "frame", "coded", "predicted_0",
                                                    "predicted_1"]]
    mis = report.misclassified.rename(columns={"lexicon": "predicted"}).assign(scope=scope, method=method)
    mis = mis[["scope", "method", *[c for c in mis.columns if c not in ("scope", "method")]]]
    return m, conf, mis


def _sentences_of(corpus: ProcessedCorpusLike | pd.DataFrame) -> pd.DataFrame:
    sents = getattr(corpus, "sentences", corpus)
    if not isinstance(sents, pd.DataFrame):
        raise ParameterError(f"corpus must be a ProcessedCorpus or a sentences DataFrame, got {type(corpus).__name__}")
    return sents.reset_index(drop=True)


def _apart(corpus: ProcessedCorpusLike | pd.DataFrame, coded: pd.DataFrame | None, devset: Devset | None,
           what: str) -> Devset | None:
    """``devset`` without the articles the coded documents of ``corpus`` hold too (:func:`without_corpus_articles`)."""
    docs = getattr(corpus, "documents", None)
    if devset is None or coded is None or not isinstance(docs, pd.DataFrame):
        return devset
    docs = docs[docs["doc_id"].astype(str).isin(set(coded["doc_id"].astype(str)))]
    return without_corpus_articles(devset, docs, what=what)


def _combined(corpus_sents: pd.DataFrame, devset: Devset) -> pd.DataFrame:
    clash = set(corpus_sents["doc_id"].astype(str)) & set(devset.sentences["doc_id"])
    if clash:
        raise ParameterError(f"document id(s) {sorted(clash)[:3]} of development set {devset.path} occur in the corpus "
                             "or in another development set too")
    cols = [c for c in ("doc_id", "sent_id", "para_id", "start", "end", "text") if c in corpus_sents.columns]
    return pd.concat([corpus_sents[cols], devset.sentences[cols]], ignore_index=True)


@memoized("instrument_validity")
def instrument_validity(
    corpus: ProcessedCorpusLike | pd.DataFrame,
    coded: pd.DataFrame | None,
    *,
    devset: Devset | None = None,
    heldout: Mapping[str, Devset] | None = None,
    scope: str = "seeds",
    model: FrameClassifier | None = None,
    classifier: bool = True,
    lexicon: LexiconSource = DEFAULT_FRAMES_LEXICON,
    cues: LexiconSource = DEFAULT_CUES_LEXICON,
    frames: Sequence[str] = FRAMES,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int = DEFAULT_SEED,
    seed: int = DEFAULT_SEED,
    ci_cluster: str | None = "doc_id",
    model_training: Sequence[str] = (),
    model_documents: Mapping[str, str] | None = None,
    read_documents: Mapping[str, str] | None = None,
    **rule_kwargs: Any,
) -> InstrumentValidity:
    """Score the rule and the classifier on the coded corpus, leave-one-document-out and on a development set.

    Parameters
    ----------
    corpus : ProcessedCorpus or sentences DataFrame
        The coded corpus (the seeds by default in the study).
    coded : DataFrame or None
        Its codes, from :func:`framing.agreement.read_coding_sheets`; ``None`` when the corpus has none: the
        corpus's scopes and the classifier are left out, the rule is scored on ``devset`` and ``heldout``.
    devset : Devset, optional
        From :func:`framing.agreement.load_devset`; without it the ``devset*`` scopes are left out.
    heldout : mapping of str to Devset, optional
        Coded sets kept out of the writing of the instrument and out of training (``data/validation/heldout-*``):
        each is scored as scope ``heldout-<name>`` (a name given as ``heldout-<name>`` is not prefixed twice),
        the rule on the case-independent layer and the classifier as on the development set (``model``, or
        trained on the coded corpus). Never used to fit anything.
    scope : str
        Name of the coded corpus's scopes (``scope`` and ``scope-LODO``): the corpus's name in notebook 06,
        ``seeds`` for the study's own corpus.
    model : FrameClassifier, optional
        A fitted model for the ``seeds`` and ``devset`` scopes (default: train one on ``corpus``).
    classifier : bool
        Score the learned option at all (False: the rule only; fast).
    lexicon, cues : lexicons of the rule and of the classifier.
    n_boot, level, random_state : bootstrap replicates, interval level and seed of the F1 intervals.
    seed : seed of the classifier's models.
    ci_cluster : str or None
        The unit column the bootstrap resamples whole (default ``"doc_id"``: documents, see
        :func:`framing.agreement.agreement`); ``None`` resamples sentences as if independent.
    model_documents : mapping, optional
        Corpus documents holding articles of the given model's training sets, each with its training file
        (:func:`~framing.agreement.model_training_documents`): the model's row on the coded corpus is then in-sample.
    read_documents : mapping, optional
        Corpus documents holding articles of the project's sets read while the lexicons were written, each with
        its set (:func:`~framing.agreement.read_set_documents`): the rule's rows on the coded corpus are then
        in-sample.
    model_training : sequence of str
        SHA-256 digests of the files ``model`` was trained on (a model file's header, ``training_files``): the
        coded corpus (when one of its sheets, ``coded["source"]``, is one of them), or a development or held-out
        set whose coded file is one of them, is scored with ``in_sample`` True. Without digests the given model
        is taken as in-sample on the coded corpus (nothing shows it is not).
    **rule_kwargs : passed to :func:`framing.scoring.frame_table` (``rule``, ``case`` ...) and to the
        classifier's ``rule_params``.

    Returns
    -------
    InstrumentValidity
        ``metrics`` (:data:`METRIC_COLUMNS`; frames, then ``micro`` and ``macro``), ``confusion``,
        ``misclassified``, ``notes``.

    Notes
    -----
    When a cache folder is enabled (:func:`framing.memo.enable`: the notebooks' setup does so), the result is
    kept under a hash of every argument, the code and the lexicons, and loaded on the next identical call
    (``framing run`` computes it ahead, in a background process; :mod:`framing.headstart`).
    """
    from framing.classifier import FrameClassifier, out_of_fold_labels
    from framing.scoring import frame_table

    frames = list(frames)
    sents = _sentences_of(corpus)
    devset = _apart(corpus, coded, devset, "development set")
    heldout = {name: ho for name, ho in ((n, _apart(corpus, coded, h, f"held-out set {n}"))
                                         for n, h in (heldout or {}).items()) if ho is not None}
    kw: dict[str, Any] = {"n_boot": n_boot, "level": level, "random_state": random_state, "frames": frames,
                          "cluster": ci_cluster}
    over = {k: v for k, v in kw.items() if k != "frames"}  # for _agreement_over, which takes the frames itself
    parts: list[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = []
    notes: list[str] = []
    dev_kwargs = {k: v for k, v in rule_kwargs.items() if k != "case"}
    rule_written_here = scope == STUDY_CORPUS_NAME
    make = FrameClassifier(lexicon, cues, seed=seed, rule_params=rule_kwargs or None, frames=frames)
    if coded is None:  # nothing to score on the corpus, nothing to train on: the rule on the other sets
        notes.append(f"{NO_CODES_NOTE}.")
        classifier = False
    else:
        rule_table = frame_table(sents, lexicon=lexicon, cues=cues, **rule_kwargs)
        labels = coded_labels(sents, coded, frames)
        positive = [f for f in frames if (labels[f] == 1).any()]  # the macros of every method average these
        seeds_report = _agreement_over(coded, rule_table, frames, positive, over)
        read_here = sorted(set(coded["doc_id"].astype(str)) & set(read_documents or {}))
        here_note = RULE_SEEDS_NOTE if rule_written_here else ""
        if read_here and not rule_written_here:  # a user's corpus holding articles of the project's read sets
            here_note = "in-sample in part: " + held_articles_note(
                {d: (read_documents or {})[d] for d in read_here}, READ_SOURCE)
        rule_in_sample = rule_written_here or bool(read_here)
        lodo_note = f"{RULE_LODO_NOTE}; {here_note}" if here_note else RULE_LODO_NOTE
        parts.append(_tidy(seeds_report, scope, "rule", here_note, rule_in_sample))
        parts.append(_tidy(seeds_report, f"{scope}-LODO", "rule", lodo_note, rule_in_sample))
        notes.append(f"{scope}-LODO, rule: {lodo_note}.")
        if positive and positive != frames:
            notes.append(f"{scope}: micro and macro over the frames with coded positives ({', '.join(positive)}); "
                         f"no coded positive: {', '.join(f for f in frames if f not in positive)}.")
    if classifier:
        coded_rows = labels.notna().any(axis=1).to_numpy()
        oof = out_of_fold_labels(make, sents, labels, evaluate=coded_rows)
        parts.append(_tidy(_agreement_over(coded, oof, frames, positive, over), f"{scope}-LODO", "classifier",
                           "trained on the other documents of the coded corpus"))
        if model is not None:
            seen_here, here_note = _model_on_coded(coded, model_training, model_documents)
            parts.append(_tidy(_agreement_over(coded, model.label_table(sents), frames, positive, over), scope,
                               "model", here_note, seen_here))
    # the development and held-out sets are about other cases: the corpus's case file does not apply to them, so
    # the rule runs on the case-independent layer there, as it would for a user who has not written a case file
    fitted = None
    if classifier and (devset is not None or heldout):
        fitted = _without_case(model if model is not None else make.fit(sents, labels))
    fitted_note = "the given model" if model is not None else "trained on the coded corpus only"
    fitted_note += "; case-independent layer only"
    trained_on = {str(d).lower() for d in model_training} if model is not None else set()
    fitted_method = "model" if model is not None else "classifier"
    if devset is not None:
        parts += _other_set_parts(devset, "devset", _DEV_RULE_NOTE, fitted, fitted_method, fitted_note, lexicon,
                                  cues, dev_kwargs, kw, trained_on)
        if classifier:
            both = _combined(sents, devset)
            both_labels = pd.concat([labels, coded_labels(devset.sentences, devset.coded, frames)], ignore_index=True)
            is_dev = np.r_[np.zeros(len(sents), dtype=bool), np.ones(len(devset.sentences), dtype=bool)]
            # without the corpus's case file, as on every other set: the development documents are another case's
            # (the corpus's own documents then score with the case-independent layer too, in this scope only)
            apart = FrameClassifier(lexicon, cues, seed=seed, rule_params=dev_kwargs or None, frames=frames)
            oof_dev = out_of_fold_labels(apart, both, both_labels, evaluate=is_dev)
            parts.append(_tidy(agreement(devset.coded, oof_dev, **kw), "devset-LODO", "classifier",
                               "trained on the coded corpus and the other development documents"))
    for name, ho in (heldout or {}).items():
        short = str(name).removeprefix("heldout-")
        parts += _other_set_parts(ho, f"heldout-{short}",
                                  _HELDOUT_RULE_NOTE if short in SEALED_HELDOUT else _READ_HELDOUT_RULE_NOTE,
                                  fitted, fitted_method, fitted_note, lexicon, cues, dev_kwargs, kw, trained_on)
    return _validity(parts, notes)


_Part = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]


def _model_on_coded(coded: pd.DataFrame, model_training: Sequence[str],
                    model_documents: Mapping[str, str] | None = None) -> tuple[bool, str]:
    """Whether a given model is in-sample on the coded corpus, and the note of its row.

    In-sample when one of the coded sheets (``coded["source"]``, from :func:`read_coding_sheets`) is one of the
    files the model was trained on (by SHA-256, ``model_training``), or when a coded document holds an article of
    the model's training sets (``model_documents``: corpus document -> training file,
    :func:`~framing.agreement.model_training_documents`). Without digests or without sheet files the row is
    marked in-sample: nothing shows that it is not.
    """
    sources = list(dict.fromkeys(coded["source"].astype(str))) if "source" in coded.columns else []
    if not model_training or not sources:
        return True, MODEL_UNKNOWN_TRAINING_NOTE
    seen = sheets_in_training(sources, model_training)
    if seen:
        return True, f"{MODEL_IN_SAMPLE_NOTE} (training file(s): {', '.join(seen)})"
    held = sorted(set(coded["doc_id"].astype(str)) & set(model_documents or {}))
    if held:
        return True, (f"{MODEL_IN_SAMPLE_NOTE}: "
                      + held_articles_note({d: (model_documents or {})[d] for d in held}, model_source()))
    return False, MODEL_NOT_TRAINED_HERE_NOTE

_DEV_RULE_NOTE = "case-independent layer only (the case file is of another case)"
_HELDOUT_RULE_NOTE = "case-independent layer only; coded blind, never read or fitted on (sealed)"
_READ_HELDOUT_RULE_NOTE = ("case-independent layer only; coded blind, never fitted on, but its errors were read while "
                           "the lexicons were written (a development set now: optimistic)")


def _validity(parts: list[_Part], notes: list[str]) -> InstrumentValidity:
    """Stack the parts' tables (empty tables with their columns when nothing was scored)."""
    if not parts:
        empty = pd.DataFrame(columns=list(METRIC_COLUMNS))
        return InstrumentValidity(metrics=empty, confusion=pd.DataFrame(columns=[
            "scope", "method", "frame", "coded", "predicted_0", "predicted_1"]),
            misclassified=pd.DataFrame(columns=["scope", "method"]), notes=notes)
    metrics = pd.concat([p[0] for p in parts], ignore_index=True)
    confusion = pd.concat([p[1] for p in parts], ignore_index=True)
    misclassified = pd.concat([p[2] for p in parts if not p[2].empty], ignore_index=True) \
        if any(not p[2].empty for p in parts) else parts[0][2]
    return InstrumentValidity(metrics=metrics, confusion=confusion, misclassified=misclassified, notes=notes)


def _other_set_parts(dset: Devset, scope: str, rule_note: str, fitted: Any, fitted_method: str, fitted_note: str,
                     lexicon: Any, cues: Any, dev_kwargs: dict[str, Any], kw: dict[str, Any],
                     trained_on: set[str] | None = None) -> list[_Part]:
    """Score the rule (and ``fitted``, if given) on a coded set of another corpus.

    ``fitted`` is the given model (``fitted_method`` ``"model"``) or a classifier trained on the coded corpus
    (``"classifier"``; :data:`METHODS`). ``trained_on``: SHA-256 digests of the files the given model was trained
    on; when the set's coded file is one of them its row is in-sample (and says so).
    """
    from framing.scoring import frame_table

    rule = frame_table(dset.sentences, lexicon=lexicon, cues=cues, **dev_kwargs)
    parts = [_tidy(agreement(dset.coded, rule, **kw), scope, "rule", rule_note)]
    if fitted is not None:
        seen = bool(trained_on) and _sha256(dset.path) in (trained_on or set())
        parts.append(_tidy(agreement(dset.coded, fitted.label_table(dset.sentences), **kw), scope, fitted_method,
                           f"{MODEL_IN_SAMPLE_NOTE}; {fitted_note}" if seen else fitted_note, seen))
    return parts


def _sha256(path: Any) -> str:
    from framing.io import sha256_file

    try:
        return sha256_file(path).lower()
    except OSError:
        return ""


def _without_case(model: FrameClassifier) -> FrameClassifier:
    """Return the fitted ``model`` computing its rule features without a case file, as the rule does elsewhere.

    The development and held-out sets are about other cases: the coded corpus's case file (in the model's
    ``rule_params``) does not apply to them. The fitted coefficients are kept; only the features' rule runs on
    the case-independent layer. A model without a case is returned as it is.
    """
    import copy

    params = dict(model.rule_params or {})
    if "case" not in params:
        return model
    params.pop("case")
    out = copy.copy(model)
    out.rule_params = params or None
    return out


def macro_f1_summary(validity: InstrumentValidity | pd.DataFrame) -> pd.DataFrame:
    """One row per (scope, method): macro F1 with its interval, the lowest per-frame recall and its frame.

    Accepts an :class:`InstrumentValidity` or its ``metrics`` table (also the ``metrics`` of
    :func:`train_frame_model`). The column ``sealed`` is ``True`` for a held-out set never read while the
    instrument was written (scope ``heldout-NAME`` with ``NAME`` in :data:`SEALED_HELDOUT`): only those rows
    estimate the instrument on unseen news; the other held-out sets and the development set were read. The
    column ``in_sample`` is the metrics' (a figure that is not out-of-sample, see :func:`instrument_validity`);
    ``note`` says when the macro F1's interval rests on fewer than :data:`framing.types.MIN_DOCS` documents
    (``interval over N documents: indicative only``, :func:`framing.agreement.few_documents_note`), else empty.
    """
    m = validity.metrics if isinstance(validity, InstrumentValidity) else validity
    macro = m[m["frame"] == "macro"].set_index(["scope", "method"])
    per = m[~m["frame"].isin(["micro", "macro"])]
    # a scope whose reference has no positive of any frame has no recall at all: no lowest recall to give
    per = per[per.groupby(["scope", "method"], sort=False)["recall"].transform("count") > 0]
    low = per.loc[per.groupby(["scope", "method"], sort=False)["recall"].idxmin()]
    low = low.set_index(["scope", "method"])
    out = pd.DataFrame({"macro_f1": macro["f1"], "lo": macro["lo"], "hi": macro["hi"]})
    out["min_recall"] = low["recall"].reindex(out.index)
    out["min_recall_frame"] = low["frame"].reindex(out.index)
    out = out.reset_index()
    names = out["scope"].astype(str)
    out["sealed"] = names.str.startswith("heldout-") & names.str.removeprefix("heldout-").isin(SEALED_HELDOUT)
    in_sample = macro["in_sample"] if "in_sample" in macro.columns else pd.Series(False, index=macro.index)
    out["in_sample"] = in_sample.reindex(pd.MultiIndex.from_frame(out[["scope", "method"]])).fillna(False) \
        .astype(bool).to_numpy()
    notes = macro["note"].fillna("").astype(str) if "note" in macro.columns else pd.Series("", index=macro.index)
    few = notes.str.extract(f"({FEW_DOCUMENTS_PATTERN})", expand=False).fillna("")
    out["note"] = few.reindex(pd.MultiIndex.from_frame(out[["scope", "method"]])).fillna("").to_numpy()
    return out


def train_frame_model(
    corpus: ProcessedCorpusLike | pd.DataFrame,
    coded: pd.DataFrame,
    *,
    devset: Devset | Sequence[Devset] | None = None,
    n_splits: int | None = None,
    lexicon: LexiconSource = DEFAULT_FRAMES_LEXICON,
    cues: LexiconSource = DEFAULT_CUES_LEXICON,
    frames: Sequence[str] = FRAMES,
    seed: int = DEFAULT_SEED,
    n_boot: int = 0,
    scope: str | None = None,
    model_params: Mapping[str, Any] | None = None,
    **rule_kwargs: Any,
) -> TrainResult:
    """Cross-validate a :class:`~framing.classifier.FrameClassifier` by document, then fit it on everything.

    The training sentences are the corpus's (all of them: uncoded ones are context) plus the units of the
    development set(s) when given (one :class:`Devset` or several: the development set and coded held-out sets
    alike; a document in two of them is refused); an article that a coded document of the corpus holds too (same
    text, or same original id where a text is missing: :func:`~framing.agreement.shared_articles`) is counted
    once, as the corpus's, with a warning.
    Folds hold out whole documents (:func:`framing.classifier.document_folds`;
    ``n_splits=None`` leaves one document out). ``metrics`` has the classifier's and the rule's P/R/F1 on
    the held-out documents (scope ``cv``; the rule's figure is its pooled one, as it has no training). A
    ``FramingWarning`` says so when the classifier's macro-F1 there is below the rule's. ``scope``: the coded
    corpus's scope when its name is not it (the CLI's ``seeds`` for ``data/raw``): the rule's rows are in-sample on
    the study's seeds. ``model_params``: further :class:`~framing.classifier.FrameClassifier` parameters
    (``document``, ``threshold`` ...).
    """
    from framing.classifier import FrameClassifier, out_of_fold_labels
    from framing.scoring import frame_table

    frames = list(frames)
    sents, labels, all_coded = training_sentences(corpus, coded, devset, frames)
    # the rule's figure is in-sample on the study's seeds and on the project's sets read while it was written
    written_here = (scope or coded_scope(corpus)) == STUDY_CORPUS_NAME or any(read_while_written(d.path)
                                                                              for d in _devsets(devset))
    coded_rows = labels.notna().any(axis=1).to_numpy()
    sents_coded = sents[coded_rows]
    if sents_coded["doc_id"].nunique() < 2:
        raise ParameterError("training needs coded sentences in at least two documents (folds hold out documents)")
    make = FrameClassifier(lexicon, cues, seed=seed, rule_params=rule_kwargs or None, frames=frames,
                           **dict(model_params or {}))
    oof = out_of_fold_labels(make, sents, labels, n_splits=n_splits, evaluate=coded_rows)
    kw: dict[str, Any] = {"n_boot": n_boot, "random_state": seed, "cluster": "doc_id"}
    rule = frame_table(sents, lexicon=lexicon, cues=cues, **rule_kwargs)
    scope = "cv" if n_splits else "LODO"
    positive = [f for f in frames if (labels[f] == 1).any()]
    rule_note = f"{RULE_LODO_NOTE}; {RULE_SEEDS_NOTE}" if written_here else RULE_LODO_NOTE
    metrics = pd.concat([_tidy(_agreement_over(all_coded, oof, frames, positive, kw), scope, "classifier")[0],
                         _tidy(_agreement_over(all_coded, rule, frames, positive, kw), scope, "rule", rule_note,
                               written_here)[0]], ignore_index=True)
    warn_few_positives(metrics, coded_sources(all_coded), training=True)
    model = make.fit(sents, labels)
    folds = oof[["doc_id", "sent_id", "fold"]]
    _warn_if_below_rule(metrics)
    return TrainResult(model=model, metrics=metrics, folds=folds)


def training_sentences(corpus: ProcessedCorpusLike | pd.DataFrame, coded: pd.DataFrame,
                       devset: Devset | Sequence[Devset] | None, frames: Sequence[str] = FRAMES
                       ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Return the training sentences, their codes (NaN: not coded) and the coded rows of :func:`train_frame_model`.

    The corpus's sentences (all: uncoded ones are context) then each development set's, without the articles
    the coded documents of the corpus hold too.
    """
    frames = list(frames)
    sents = _sentences_of(corpus)
    labels = coded_labels(sents, coded, frames)
    all_coded = coded
    for one in _devsets(devset):
        kept = _apart(corpus, coded, one, "development set")
        if kept is None:
            continue
        sents = _combined(sents, kept)
        labels = pd.concat([labels, coded_labels(kept.sentences, kept.coded, frames)], ignore_index=True)
        all_coded = pd.concat([all_coded, kept.coded], ignore_index=True)
    return sents, labels, all_coded


def _agreement_over(coded: pd.DataFrame, predicted: pd.DataFrame, frames: list[str], positive: list[str],
                    kw: dict[str, Any]) -> Any:
    """:func:`agreement` whose micro and macro rows average the frames with coded positives (``positive``) only.

    A frame without a coded positive has no recall; the classifier then has no F1 for it (it predicts none) while
    the rule has 0 (it predicts some): averaged over different frames the two macros would compare different
    things. Such a frame keeps its own rows (no interval), and ``ci_note`` (which :func:`_tidy` adds to ``note``)
    says it is left out, and which frames the micro and macro rows average.
    """
    import dataclasses

    if not positive or positive == frames:
        return agreement(coded, predicted, frames=frames, **kw)
    kept = agreement(coded, predicted, frames=positive, **kw)
    left = agreement(coded, predicted, frames=[f for f in frames if f not in positive], **{**kw, "n_boot": 0})
    metrics = kept.metrics.copy()
    pooled = metrics["frame"].isin(["micro", "macro"])
    over = f"over the frames with coded positives ({', '.join(positive)})"
    metrics.loc[pooled, "ci_note"] = ["; ".join(filter(None, [n, over])) for n in metrics.loc[pooled, "ci_note"]]
    left_rows = left.metrics[~left.metrics["frame"].isin(["micro", "macro"])].assign(ci_note=NO_POSITIVE_NOTE)
    refs = {r: i for i, r in enumerate(dict.fromkeys(metrics["reference"]))}
    order = {f: i for i, f in enumerate([*frames, "micro", "macro"])}

    def ordered(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        rank = {"frame": order, "reference": refs}
        return table.sort_values(keys, key=lambda c: c.map(rank[str(c.name)]) if c.name in rank else c,
                                 kind="stable").reset_index(drop=True)

    return dataclasses.replace(
        kept, metrics=ordered(pd.concat([metrics, left_rows], ignore_index=True), ["reference", "frame"]),
        confusion=ordered(pd.concat([kept.confusion, left.confusion], ignore_index=True), ["reference", "frame"]),
        misclassified=pd.concat([t for t in (kept.misclassified, left.misclassified) if not t.empty]
                                or [kept.misclassified], ignore_index=True),
        alpha=pd.concat([kept.alpha, left.alpha], ignore_index=True))


def _warn_if_below_rule(metrics: pd.DataFrame) -> None:
    """Warn when the classifier's held-out macro-F1 is below the rule's on the same coded sentences."""
    import warnings

    macro = metrics[metrics["frame"] == "macro"].set_index("method")
    if "in_sample" in macro.columns and bool(macro["in_sample"].get("rule", False)):
        return  # the rule was written on these documents: its figure is no fair comparison
    learned, rule = float(macro["f1"].get("classifier", np.nan)), float(macro["f1"].get("rule", np.nan))
    if np.isfinite(learned) and np.isfinite(rule) and learned < rule:
        warnings.warn(f"the trained model's cross-validated macro-F1 ({learned:.3f}) is below the rule's on the same "
                      f"held-out documents ({rule:.3f}): its labels would be worse than the rule's; code more "
                      "sentences (or check the codes) before using it", FramingWarning, stacklevel=3)


def _devsets(devset: Devset | Sequence[Devset] | None) -> list[Devset]:
    """One development set, several, or none, as a list."""
    if devset is None:
        return []
    return [devset] if isinstance(devset, Devset) else list(devset)


def training_provenance(result: TrainResult, sheets: Sequence[PathLike], *,
                        devset: Devset | Sequence[Devset] | None = None,
                        corpus: PathLike | None = None, n_splits: int | None = None) -> dict[str, Any]:
    """Return the provenance saved with a trained model: training files with their SHA-256, corpus, CV figures.

    Paths (``corpus``, ``training_files[].path``) are stored resolved (absolute), so the header means the same
    read from any directory.
    """
    from framing import __version__
    from framing.io import sha256_file

    files = [str(Path(s).resolve()) for s in sheets]  # resolved: the header is read from other directories
    for one in _devsets(devset):
        files += [str(Path(one.path).resolve()), str(Path(one.corpus_path).resolve())]
    files = list(dict.fromkeys(files))  # sets that share a texts file list it once
    return {
        "trained_with": f"framing {__version__} validate train",
        "corpus": None if corpus is None else str(Path(corpus).resolve()),
        "training_files": [{"path": f, "sha256": sha256_file(f)} for f in files],
        "n_sentences": len(result.folds),
        "cv": {"folds": "leave one document out" if n_splits is None else f"GroupKFold({n_splits})",
               "metrics": result.metrics.drop(columns=["note"]).to_dict(orient="records"),
               "macro_f1": macro_f1_summary(result.metrics).drop(columns=["note"]).to_dict(orient="records")},
    }
