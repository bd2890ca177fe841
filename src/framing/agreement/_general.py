"""The shipped general model: the learned option trained on every coded sentence the project may read.

``framing frames CORPUS --model general`` labels a corpus with it (docs/validation.md, "The general model"). Its
training data are fixed here, once, before any figure of it was read: the seed coding (both coders; their majority,
ties left out), the development set of news about other public failures (``../shared/devsets/public-failures``), the
held-out sets whose errors were read while the lexicons were written (1 and 3) and the sets coded for it
(``data/validation/training-bbc-8``, ``-9``: coded blind in the tenth session, never read while the rule was written;
the rule's figures there are out-of-sample). It never sees a sealed held-out set
(:data:`~framing.agreement.SEALED_HELDOUT`): those measure it, as they measure the rule. The rule features are the
case-independent layer's (no case file), so the model is for any corpus about a public failure.
:func:`build_general_model` writes it (``make model``; it needs ``../shared`` beside the project, where the
development set and the BBC texts are).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.agreement._devset import SEALED_HELDOUT, Devset, default_devset_path, default_texts_path, load_devset
from framing.agreement._instrument import TrainResult, train_frame_model, training_provenance
from framing.errors import ParameterError
from framing.types import DEFAULT_SEED, FRAMES, PathLike

__all__ = ["GENERAL_CASE", "GENERAL_HELDOUT", "GENERAL_PARAMS", "GENERAL_SHEETS", "GENERAL_TRAINING",
           "SEALED_N_BOOT", "SEEDS_SOURCE", "build_general_model", "general_training_data", "paired_difference",
           "sealed_figures", "seeds_lodo_figures", "source_lodo_figures", "training_sources"]

GENERAL_SHEETS = ("data/validation/seeds_coded.csv", "data/validation/seeds_coded_coder2.csv")
"""The seed coding (relative to the project root): both coders."""
GENERAL_CASE = "baby_p"
"""The seeds' case file: the general model is measured on the seeds with and without it (never trained with it)."""
GENERAL_HELDOUT = ("bbc-1", "bbc-3")
"""The held-out sets the general model trains on: the two read while the lexicons were written, never a sealed one."""
GENERAL_TRAINING = ("bbc-8", "bbc-9", "bbc-10")
"""Sets coded for the general model's training (``data/validation/training-NAME``), never read for the rule."""
GENERAL_PARAMS: dict[str, Any] = {"following": True, "C": (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)}
""":class:`~framing.classifier.FrameClassifier` parameters of the general model beyond its defaults, chosen by
leave-one-source-out over its training sources (:func:`source_lodo_figures`, ``python -m benchmarks
model_selection``; docs/validation.md, "The general model"): the next sentence's features, and C chosen from a
grid reaching below the default one's smallest value."""
SEEDS_SOURCE = "seeds"
"""The name of the seed coding among the training sources (the coded sets are named by their folders)."""


def general_training_data(root: PathLike | None = None) -> tuple[Any, Any, list[Devset], list[Path]]:
    """Return the seeds (processed), their codes, the development and read held-out sets, and the sheets' paths.

    Raises :class:`~framing.errors.ParameterError` when the development set or its texts are missing (they are
    in ``../shared``, beside the project root).
    """
    from framing.agreement._sheets import read_coding_sheets
    from framing.corpus import load_corpus, process_corpus
    from framing.paths import find_root

    base = Path(root) if root is not None else find_root()
    sealed = set(GENERAL_HELDOUT) & set(SEALED_HELDOUT)
    if sealed:  # a guard against an edit of the constants: the sealed sets measure the model
        raise ParameterError(f"the general model must not train on sealed held-out set(s) {sorted(sealed)}")
    devset = default_devset_path(base)
    if devset is None:
        raise ParameterError("the general model trains on the development set in ../shared/devsets/public-failures/,"
                             " which is not there")
    held = [base / "data" / "validation" / f"{kind}-{name}" / "coded.jsonl"
            for kind, names in (("heldout", GENERAL_HELDOUT), ("training", GENERAL_TRAINING)) for name in names]
    sets = [load_devset(p, default_texts_path(p, base), frames=FRAMES) for p in [devset, *held]]
    sheets = [base / s for s in GENERAL_SHEETS]
    seeds = process_corpus(load_corpus(base / "data" / "raw"))
    coded = read_coding_sheets(sheets, corpus=seeds, frames=FRAMES)
    return seeds, coded, sets, sheets


def sealed_figures(model: Any, root: PathLike) -> dict[str, Any]:
    """Macro-F1 of ``model`` and of the rule on each sealed held-out set present, and their means.

    The sets are :data:`~framing.agreement.SEALED_HELDOUT` under ``root/data/validation`` whose texts are there
    (``../shared/corpora``); the rule is the shipped default (case-independent layer), as for the model.
    """
    from framing.agreement._devset import load_heldout
    from framing.scoring import frame_table

    paths = [Path(root) / "data" / "validation" / f"heldout-{name}" / "coded.jsonl" for name in SEALED_HELDOUT]
    sets = {k: v for p in paths if p.is_file() and default_texts_path(p, root).is_file()
            for k, v in load_heldout([p], default_texts_path(p, root), frames=FRAMES).items()}
    per: dict[str, dict[str, float]] = {}
    counts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name, d in sets.items():
        labelled = {"classifier": model.label_table(d.sentences), "rule": frame_table(d.sentences)}
        for method, labels in labelled.items():
            per.setdefault(name, {})[method] = _macro(d.coded, labels)
        counts[name] = (_document_counts(d.coded, labelled["classifier"]), _document_counts(d.coded, labelled["rule"]))
    means = {k: round(sum(v[k] for v in per.values()) / len(per), 3) for k in ("classifier", "rule")} if per else {}
    return {"sets": per, "mean_macro_f1": means, **({"difference": paired_difference(counts)} if counts else {})}


SEALED_N_BOOT = 2000
"""Replicates of the paired bootstrap of the general model's difference from the rule (:func:`paired_difference`)."""


def _document_counts(coded: pd.DataFrame, predicted: pd.DataFrame) -> np.ndarray:
    """Count true positives, false positives and false negatives per document and frame: (documents, 3, frames).

    The reference is the coders' majority of each sentence (ties and uncoded sentences left out), computed as
    :func:`~framing.agreement.agreement` computes its main reference.
    """
    from framing.agreement._metrics import _majority, coder_matrix

    wides = [coder_matrix(coded, f) for f in FRAMES]
    units = wides[0].index
    truth = np.column_stack([_majority(w).to_numpy() for w in wides])  # agreement()'s majority: ties NaN
    got = predicted.set_index(["doc_id", "sent_id"])[list(FRAMES)].reindex(units).to_numpy(dtype=float)
    known = ~np.isnan(truth)
    cells = np.stack([known & (truth == 1) & (got == 1), known & (truth == 0) & (got == 1),
                      known & (truth == 1) & (got == 0)], axis=1).astype(float)  # (sentences, 3, frames)
    docs = pd.factorize(units.get_level_values("doc_id"))[0]
    out = np.zeros((docs.max() + 1, 3, len(FRAMES)))
    np.add.at(out, docs, cells)
    return out


def _macro_of(totals: np.ndarray) -> np.ndarray:
    """Macro-F1 of summed counts (..., 3, frames): F1 per frame (NaN without positives either way), then the mean."""
    tp, fp, fn = totals[..., 0, :], totals[..., 1, :], totals[..., 2, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
    return np.asarray(np.nanmean(f1, axis=-1))


def paired_difference(counts: dict[str, tuple[np.ndarray, np.ndarray]], *, n_boot: int = SEALED_N_BOOT,
                      level: float = 0.95, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Macro-F1 of the general model minus the rule's, per set and averaged over sets, with paired intervals.

    ``counts`` maps a set to the model's and the rule's :func:`_document_counts`. Each replicate resamples the
    documents of every set (with replacement, independently per set) and scores both instruments on the same
    draw, so the interval is the one of the difference, not of either figure.
    """
    from framing.resampling import generator, multinomial_weights, percentile_interval

    rng = generator(seed)
    diffs, points = [], {}
    for name, (model_counts, rule_counts) in sorted(counts.items()):
        w = multinomial_weights(rng, model_counts.shape[0], n_boot)
        rep = (_macro_of(np.einsum("bd,dkf->bkf", w, model_counts))
               - _macro_of(np.einsum("bd,dkf->bkf", w, rule_counts)))
        point = float(_macro_of(model_counts.sum(axis=0)) - _macro_of(rule_counts.sum(axis=0)))
        lo, hi = percentile_interval(rep, level)
        points[name] = {"difference": round(point, 3), "lo": round(float(lo), 3), "hi": round(float(hi), 3)}
        diffs.append((point, rep))
    mean_rep = np.mean([rep for _, rep in diffs], axis=0)
    lo, hi = percentile_interval(mean_rep, level)
    return {"sets": points, "mean": {"difference": round(float(np.mean([p for p, _ in diffs])), 3),
                                     "lo": round(float(lo), 3), "hi": round(float(hi), 3)},
            "n_boot": n_boot, "level": level, "seed": seed,
            "resampled": "documents of each set, the same draw for the model and the rule"}


def seeds_lodo_figures(root: PathLike | None = None, *, case: str = GENERAL_CASE,
                       data: tuple[Any, Any, list[Devset], list[Path]] | None = None,
                       params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Macro-F1 on the seeds of the general model left one seed document out, without and with ``case``.

    For each seed document, the model is trained as :func:`build_general_model` trains it (the classifier's
    defaults, no case file) on everything else it trains on (the other seed documents and the coded sets of
    :func:`general_training_data`), then labels the left-out document twice: as trained, and with the case file
    (:meth:`~framing.classifier.FrameClassifier.with_case`). The rule's figures (no training; in-sample on the
    seeds, which its lexicons were written reading) are given beside them, without and with the case file.
    ``data``: what :func:`general_training_data` returned, when the caller has it (read once); ``params``: the
    classifier's parameters (default :data:`GENERAL_PARAMS`).
    """
    from framing.agreement._instrument import training_sentences
    from framing.scoring import frame_table

    seeds, coded, sets, _sheets = data if data is not None else general_training_data(root)
    sents, labels, _all = training_sentences(seeds, coded, sets, FRAMES)
    docs = sents["doc_id"].astype(str).to_numpy()
    plain: list[pd.DataFrame] = []  # the left-out documents' labels: as trained, and with the case file
    cased: list[pd.DataFrame] = []
    for doc in sorted(seeds.sentences["doc_id"].astype(str).unique()):
        model = _general_classifier(params).fit(sents[docs != doc], labels[docs != doc])
        test = sents[docs == doc]
        plain.append(model.label_table(test))
        cased.append(model.with_case(case).label_table(test))
    return {"case": case,
            "classifier": {"without_case": _macro(coded, pd.concat(plain, ignore_index=True)),
                           "with_case": _macro(coded, pd.concat(cased, ignore_index=True))},
            "rule": {"without_case": _macro(coded, frame_table(seeds)),
                     "with_case": _macro(coded, frame_table(seeds, case=case))}}


def _general_classifier(params: Mapping[str, Any] | None) -> Any:
    """Return an unfitted general model: the classifier with :data:`GENERAL_PARAMS` (or ``params``) over the frames."""
    from framing.classifier import FrameClassifier

    return FrameClassifier(**{**dict(GENERAL_PARAMS if params is None else params), "frames": list(FRAMES)})


def training_sources(seeds: Any, sets: Sequence[Devset], sents: pd.DataFrame) -> np.ndarray:
    """Name the training source of each row of ``sents`` (the training sentences of ``seeds`` and ``sets``).

    The seeds' rows are :data:`SEEDS_SOURCE`, a coded set's are the name of its folder (``public-failures``,
    ``heldout-bbc-1`` ...). A row in none of them raises :class:`~framing.errors.ParameterError`.
    """
    docs = sents["doc_id"].astype(str)
    out = pd.Series(pd.NA, index=sents.index, dtype=object)
    named = [(SEEDS_SOURCE, seeds.sentences), *((Path(d.path).parent.name, d.sentences) for d in sets)]
    for name, table in named:
        out = out.mask(docs.isin(set(table["doc_id"].astype(str))) & out.isna(), name)
    if out.isna().any():
        raise ParameterError(f"training sentence of document {docs[out.isna()].iloc[0]!r} is in no training source")
    named_rows: np.ndarray = out.to_numpy(dtype=object)
    return named_rows


def source_lodo_figures(root: PathLike | None = None, *, params: Mapping[str, Any] | None = None,
                        data: tuple[Any, Any, list[Devset], list[Path]] | None = None) -> dict[str, Any]:
    """Macro-F1 of the general model on each training source when trained on the other sources.

    The sources are the seed coding and each coded set of :func:`general_training_data`
    (:func:`training_sources`). For each, the model (``params``, default :data:`GENERAL_PARAMS`) is trained on the
    sentences of the other sources and labels the held-out source's; its macro-F1 against that source's coding
    (main reference, as :func:`~framing.agreement.agreement` computes it) is given per source with their mean,
    beside the rule's (no training: in-sample on the sets its lexicons were written reading, out-of-sample on
    sets 8 and 9). A change of the model that helps on sources it was not trained on, about other failures and
    other outlets, is what leaving a whole source out measures (and what leaving one document out does not).
    """
    from framing.agreement._instrument import training_sentences
    from framing.scoring import frame_table

    seeds, coded, sets, _sheets = data if data is not None else general_training_data(root)
    sents, labels, all_coded = training_sentences(seeds, coded, sets, FRAMES)
    source = training_sources(seeds, sets, sents)
    coded_docs = all_coded["doc_id"].astype(str)
    model_f1: dict[str, float] = {}
    rule_f1: dict[str, float] = {}
    for name in dict.fromkeys(source):
        held = source == name
        test = sents[held]
        truth = all_coded[coded_docs.isin(set(test["doc_id"].astype(str)))]
        model = _general_classifier(params).fit(sents[~held], labels[~held])
        model_f1[name] = _macro(truth, model.label_table(test))
        rule_f1[name] = _macro(truth, frame_table(test))
    return {"classifier": model_f1, "rule": rule_f1,
            "mean": {"classifier": round(float(np.mean(list(model_f1.values()))), 3),
                     "rule": round(float(np.mean(list(rule_f1.values()))), 3)}}


def _macro(coded: pd.DataFrame, predicted: pd.DataFrame) -> float:
    """Macro-F1 of ``predicted`` against ``coded`` (its main reference), to three decimals."""
    from framing.agreement._metrics import agreement, main_reference

    m = agreement(coded, predicted, frames=FRAMES).metrics
    return round(float(m.loc[(m["frame"] == "macro") & (m["reference"] == main_reference(m)), "f1"].iloc[0]), 3)


def build_general_model(out: PathLike | None = None, *, n_splits: int | None = None,
                        root: PathLike | None = None, seeds_lodo: bool = True) -> tuple[Path, TrainResult]:
    """Train the general model on :func:`general_training_data` and save it (default: the shipped file).

    The classifier's defaults (``C="auto"``, balanced classes, the package seed) with :data:`GENERAL_PARAMS`, the
    case-independent rule features (no case file); cross-validated by document (``n_splits=None``: leave one
    document out) for the figures in its header, with its figures on the sealed sets (:func:`sealed_figures`) and,
    unless ``seeds_lodo`` is False, on the seeds left out one at a time (:func:`seeds_lodo_figures`, five more
    fits).
    """
    from framing.model_files import MODEL_DIR, save_model
    from framing.paths import find_root

    base = Path(root) if root is not None else find_root()
    data = general_training_data(base)
    seeds, coded, sets, sheets = data
    result = train_frame_model(seeds, coded, devset=sets, n_splits=n_splits, model_params=GENERAL_PARAMS)
    provenance = training_provenance(result, sheets, devset=sets, corpus=base / "data" / "raw", n_splits=n_splits)
    provenance["trained_with"] = "framing.agreement.build_general_model (make model)"
    # paths relative to the project root as given, not through symbolic links (../shared may be one), so every
    # checkout builds the same file; the digests identify the files
    provenance["corpus"] = "data/raw"
    given = [*sheets, *(d.path for d in sets), *(d.corpus_path for d in sets)]
    shown = {str(Path(p).resolve()): os.path.relpath(os.path.abspath(p), os.path.abspath(base)) for p in given}
    for f in provenance["training_files"]:
        f["path"] = shown.get(f["path"], f["path"]).replace(os.sep, "/")
    provenance["sealed"] = sealed_figures(result.model, base)
    if seeds_lodo:
        provenance["seeds_lodo"] = seeds_lodo_figures(base, data=data)
    path = save_model(result.model, Path(out) if out is not None else MODEL_DIR / "general.pkl",
                      provenance=provenance)
    return path, result
