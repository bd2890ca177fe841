"""Agreement of predicted frames with human codes.

Krippendorff's alpha, P/R/F1 with bootstrap intervals, confusion tables and misclassified units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from framing.errors import FramingWarning, ParameterError
from framing.resampling import (
    check_level,
    check_n_boot,
    generator,
    index_weights,
    level_from_ci,
    percentile_interval,
    resample_indices,
)
from framing.types import DEFAULT_FRAMES_LEXICON, FRAMES, MIN_DOCS, PathLike, ProcessedCorpusLike

if TYPE_CHECKING:
    from framing.lexicon import LexiconSource

_BOOT_CELLS = 4_000_000
AlphaLevel = Literal["nominal", "ordinal", "interval", "ratio"]


# ---------------------------------------------------------------------------------------------------
# Krippendorff's alpha
# ---------------------------------------------------------------------------------------------------


def krippendorff_alpha(reliability_data: Any, *, level: AlphaLevel = "nominal") -> float:
    """Krippendorff's alpha for a coders-by-units table with missing values (NaN).

    Vectorised implementation of Krippendorff (2011), "Computing Krippendorff's alpha-reliability":
    values-by-units counts ``n_uc``; units with fewer than two values are not pairable and dropped;
    coincidences ``o_ck = sum_u (n_uc n_uk - [c = k] n_uc) / (m_u - 1)``; marginals ``n_c``; and
    ``alpha = 1 - (n - 1) sum o_ck d2_ck / sum n_c n_k d2_ck`` with the metric ``d2`` of ``level``
    (nominal: 0 if equal else 1; interval: squared difference; ordinal: squared rank distance from the
    marginals; ratio: squared ``(c - k) / (c + k)``).

    Parameters
    ----------
    reliability_data : array-like, shape (n_coders, n_units)
        Numeric codes; NaN (or None) for missing.
    level : {"nominal", "ordinal", "interval", "ratio"}, default "nominal"
        Level of measurement.

    Returns
    -------
    float
        Alpha; NaN when it is undefined (no pairable values, or a single value used throughout so
        the expected disagreement is zero).
    """
    if isinstance(reliability_data, np.ndarray):
        data = reliability_data.astype(float)
    else:
        data = pd.DataFrame(reliability_data).to_numpy(dtype=float, na_value=np.nan)
    if data.ndim != 2:
        raise ParameterError(f"reliability_data must be 2-D (coders x units), got shape {data.shape}")
    if level not in ("nominal", "ordinal", "interval", "ratio"):
        raise ParameterError(f"level={level!r} must be one of 'nominal', 'ordinal', 'interval', 'ratio'")
    mask = ~np.isnan(data)
    if not mask.any():
        return float("nan")
    values, inverse = np.unique(data[mask], return_inverse=True)
    n_units, n_cat = data.shape[1], len(values)
    unit_of = np.broadcast_to(np.arange(n_units), data.shape)[mask]
    counts = np.bincount(unit_of * n_cat + inverse, minlength=n_units * n_cat).reshape(n_units, n_cat)
    counts = counts.astype(float)
    m_u = counts.sum(axis=1)
    keep = m_u >= 2
    counts, m_u = counts[keep], m_u[keep]
    n = float(m_u.sum())
    if n == 0 or n_cat < 2:
        return float("nan")
    weighted = counts / (m_u - 1.0)[:, None]
    coinc = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    n_c = coinc.sum(axis=1)
    if level == "nominal":
        d2 = 1.0 - np.eye(n_cat)
    elif level == "interval":
        d2 = (values[:, None] - values[None, :]) ** 2
    elif level == "ratio":
        s = values[:, None] + values[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            d2 = np.where(s == 0, 0.0, ((values[:, None] - values[None, :]) / s) ** 2)
    else:  # ordinal
        cum = np.cumsum(n_c)
        lo = np.minimum.outer(np.arange(n_cat), np.arange(n_cat))
        hi = np.maximum.outer(np.arange(n_cat), np.arange(n_cat))
        between = cum[hi] - np.concatenate(([0.0], cum))[lo]
        d2 = (between - (n_c[:, None] + n_c[None, :]) / 2.0) ** 2
    expected = float((np.outer(n_c, n_c) * d2).sum())
    if expected == 0:
        return float("nan")
    observed = float((coinc * d2).sum())
    return 1.0 - (n - 1.0) * observed / expected


# ---------------------------------------------------------------------------------------------------
# Agreement between lexicon and human codes
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidationReport:
    """The tables of a validation run (see :func:`agreement` for their columns)."""

    metrics: pd.DataFrame
    confusion: pd.DataFrame
    misclassified: pd.DataFrame
    alpha: pd.DataFrame


def coder_matrix(coded: pd.DataFrame, frame: str, *, unit_cols: Sequence[str] = ("doc_id", "sent_id")) -> pd.DataFrame:
    """Units-by-coders table of one frame's codes (float, NaN where a coder did not code a unit).

    Rows are the units (sorted), columns the coders (sorted by name).
    """
    wide = coded.pivot(index=list(unit_cols), columns="coder", values=frame)
    wide = wide.sort_index().sort_index(axis=1)
    return wide.astype("float64")


def _majority(wide: pd.DataFrame) -> pd.Series:
    """Majority code per unit over non-missing coders; ties and units nobody coded are NaN."""
    mean = wide.mean(axis=1, skipna=True)
    return pd.Series(np.where(mean > 0.5, 1.0, np.where(mean < 0.5, 0.0, np.nan)), index=wide.index)


def reference_name(coders: Sequence[Any]) -> str:
    """Return the name of the main reference of :func:`agreement` for ``coders``.

    ``majority`` with two or more coders; with one coder that coder's name (``coder`` when it has none).
    """
    if len(coders) > 1:
        return "majority"
    return str(coders[0]) if len(coders) and str(coders[0]).strip() else "coder"


def main_reference(table: pd.DataFrame) -> str:
    """Return the main reference of a ``metrics`` or ``confusion`` table of :func:`agreement`.

    ``majority`` when the table has it (two or more coders), else its single reference (the one coder).
    """
    refs = list(dict.fromkeys(table["reference"].astype(str)))
    if "majority" in refs or not refs:
        return "majority"
    return str(refs[0])


def _prf(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(tp + fp > 0, tp / (tp + fp), np.nan)
        recall = np.where(tp + fn > 0, tp / (tp + fn), np.nan)
        f1 = np.where(2 * tp + fp + fn > 0, 2 * tp / (2 * tp + fp + fn), np.nan)
    return precision, recall, f1


def _bootstrap_f1(
    gold: np.ndarray, pred: np.ndarray, n_boot: int, level: float, rng: np.random.Generator,
    groups: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile CIs of F1 per frame, micro and macro. Returns (low, high), each F+2.

    Resamples units, or with ``groups`` (a cluster code per unit, 0..k-1) whole clusters: each replicate draws
    k clusters with replacement and pools the units of the clusters drawn (a cluster bootstrap, for units that
    are not independent, as the sentences of one document are not).
    """
    valid = ~np.isnan(gold)
    g = np.nan_to_num(gold)
    tp_u = (valid & (g == 1) & (pred == 1)).astype(float)
    fp_u = (valid & (g == 0) & (pred == 1)).astype(float)
    fn_u = (valid & (g == 1) & (pred == 0)).astype(float)
    per_unit = np.column_stack([tp_u, fp_u, fn_u])  # units x 3F
    if groups is not None:
        per_cluster = np.zeros((int(groups.max()) + 1 if len(groups) else 0, per_unit.shape[1]))
        np.add.at(per_cluster, groups, per_unit)
        per_unit = per_cluster
        if per_unit.shape[0] < 2:  # one document: every replicate is that document; no interval to give
            nan = np.full(gold.shape[1] + 2, np.nan)
            return nan, nan.copy()
    n_units = per_unit.shape[0]
    sums = np.empty((n_boot, per_unit.shape[1]))
    chunk = max(1, _BOOT_CELLS // max(n_units, 1))  # bounds memory: chunk x units resampling weights
    for lo in range(0, n_boot, chunk):
        b = min(chunk, n_boot - lo)
        weights = index_weights(resample_indices(rng, n_units, b), n_units)
        sums[lo : lo + b] = weights @ per_unit
    n_frames = gold.shape[1]
    tp, fp, fn = sums[:, :n_frames], sums[:, n_frames : 2 * n_frames], sums[:, 2 * n_frames :]
    _, _, f1 = _prf(tp, fp, fn)
    _, _, micro = _prf(tp.sum(axis=1), fp.sum(axis=1), fn.sum(axis=1))
    defined = ~np.isnan(f1)
    n_def = defined.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        macro = np.where(n_def > 0, np.where(defined, f1, 0.0).sum(axis=1) / n_def, np.nan)
    allf = np.column_stack([f1, micro, macro])
    return percentile_interval(allf, level, skip_nan=True)


def _metric_rows(
    gold: np.ndarray,
    pred: np.ndarray,
    frames: Sequence[str],
    reference: str,
    n_boot: int,
    level: float,
    rng: np.random.Generator | None,
    groups: np.ndarray | None = None,
) -> pd.DataFrame:
    valid = ~np.isnan(gold)
    g = np.nan_to_num(gold)
    tp = (valid & (g == 1) & (pred == 1)).sum(axis=0).astype(float)
    fp = (valid & (g == 0) & (pred == 1)).sum(axis=0).astype(float)
    fn = (valid & (g == 1) & (pred == 0)).sum(axis=0).astype(float)
    tn = (valid & (g == 0) & (pred == 0)).sum(axis=0).astype(float)
    precision, recall, f1 = _prf(tp, fp, fn)
    rows = pd.DataFrame(
        {
            "frame": list(frames),
            "reference": reference,
            "n": (tp + fp + fn + tn).astype(int),
            "support": (tp + fn).astype(int),
            "predicted": (tp + fp).astype(int),
            "tp": tp.astype(int),
            "fp": fp.astype(int),
            "fn": fn.astype(int),
            "tn": tn.astype(int),
            "precision": precision,
            "recall": recall,
            "f1": f1,
        }
    )
    support, n_ref = tp + fn, tp + fp + fn + tn
    with np.errstate(divide="ignore", invalid="ignore"):
        baseline = np.where(n_ref > 0, 2 * support / (n_ref + support), np.nan)
        micro_baseline = 2 * support.sum() / (n_ref.sum() + support.sum()) if n_ref.sum() > 0 else np.nan
    rows["f1_baseline"] = baseline
    mp, mr, mf = _prf(np.array([tp.sum()]), np.array([fp.sum()]), np.array([fn.sum()]))
    with np.errstate(all="ignore"):
        macro = [float(np.nanmean(x)) if np.isfinite(x).any() else np.nan for x in (precision, recall, f1)]
    summary = pd.DataFrame(
        {
            "frame": ["micro", "macro"],
            "reference": reference,
            "n": [int(rows["n"].sum()), int(rows["n"].sum())],
            "support": [int(rows["support"].sum())] * 2,
            "predicted": [int(rows["predicted"].sum())] * 2,
            "tp": [int(tp.sum())] * 2,
            "fp": [int(fp.sum())] * 2,
            "fn": [int(fn.sum())] * 2,
            "tn": [int(tn.sum())] * 2,
            "precision": [float(mp[0]), macro[0]],
            "recall": [float(mr[0]), macro[1]],
            "f1": [float(mf[0]), macro[2]],
            # the macro baseline averages the frames the macro F1 averages: those whose F1 is defined
            "f1_baseline": [
                float(micro_baseline),
                float(np.nanmean(baseline[np.isfinite(f1)])) if np.isfinite(baseline[np.isfinite(f1)]).any()
                else np.nan,
            ],
        }
    )
    out = pd.concat([rows, summary], ignore_index=True)
    note = np.full(len(out), "", dtype=object)
    if n_boot > 0 and rng is not None and gold.shape[0] > 0:
        low, high = _bootstrap_f1(gold, pred, n_boot, level, rng, groups)
        # no true positive in the sample: no resample can hold one, so every replicate's F1 is 0 (or undefined)
        # and the percentile interval [0, 0] would show certainty where there is only a handful of codes
        no_tp = (out["tp"].to_numpy() == 0) & out["f1"].notna().to_numpy()
        low[no_tp], high[no_tp] = np.nan, np.nan
        out["f1_low"], out["f1_high"] = low, high
        note[no_tp] = NO_TP_INTERVAL_NOTE
        n_clusters = int(groups.max()) + 1 if groups is not None and len(groups) else None
        if n_clusters is not None and n_clusters < MIN_DOCS:  # few documents: few distinct resamples
            note[np.isfinite(low) & np.isfinite(high)] = few_documents_note(n_clusters)
    else:
        out["f1_low"], out["f1_high"] = np.nan, np.nan
    out["ci_note"] = note
    return out


NO_TP_INTERVAL_NOTE = ("no interval: no true positive in the sample, so every resample's F1 is 0 (a zero-width "
                       "interval would look like certainty)")
"""``ci_note`` of a metrics row whose F1 is defined but has ``tp == 0``: its interval is NaN, not [0, 0]."""

FEW_DOCUMENTS_PATTERN = r"interval over \d+ documents?: indicative only"
"""A regular expression matching every :func:`few_documents_note` (to find it in a row's combined ``note``)."""


def few_documents_note(n_docs: int) -> str:
    """Return the ``ci_note`` of a row whose interval resamples fewer than :data:`framing.types.MIN_DOCS` documents.

    Five documents give only 126 distinct resamples (multisets of five drawn from five), so the percentile
    interval is coarse: it is kept, and marked indicative (as notebook 02 withholds share intervals below
    ``MIN_DOCS`` documents).
    """
    return f"interval over {n_docs} document{'' if n_docs == 1 else 's'}: indicative only"


MIN_CODED_POSITIVES = 10
"""Fewest coded positives (reference) of a frame below which its F1, interval or correction rests on a handful of
sentences: :func:`warn_few_positives` warns (:class:`FewPositivesWarning`), naming the frame and the sheets."""


class FewPositivesWarning(FramingWarning):
    """A frame's figures rest on fewer than :data:`MIN_CODED_POSITIVES` coded positives (or on none)."""


def warn_few_positives(metrics: pd.DataFrame, source: str, *, minimum: int = MIN_CODED_POSITIVES,
                       training: bool = False) -> list[str]:
    """Warn once per frame of ``metrics`` whose coded positives (``support``) are fewer than ``minimum``.

    ``metrics`` is an :func:`agreement` table (the main reference's rows are read) or a validity table (the first
    row of each frame); ``source`` names the coded sheets in the message; ``training``: the codes train a model
    (a frame without positives is then labelled 0 everywhere by it). Returns the messages.
    """
    import warnings

    m = metrics
    if "reference" in m.columns and len(m):
        m = m[m["reference"] == main_reference(m)]
    m = m[~m["frame"].isin(["micro", "macro"])].drop_duplicates("frame")
    messages = []
    for frame, support in zip(m["frame"], m["support"].astype(int), strict=True):
        if support >= minimum:
            continue
        if support == 0:
            msg = (f"{source}: frame {frame!r} has no coded positive: no recall or F1 can be measured for it"
                   + (", and a model trained on these codes labels it 0 everywhere" if training else
                      ", and its share cannot be corrected from these codes"))
        else:
            msg = (f"{source}: frame {frame!r} has only {support} coded positive(s) (fewer than {minimum}): its F1, "
                   "interval and corrections rest on a handful of sentences; code more before relying on them")
        warnings.warn(msg, FewPositivesWarning, stacklevel=3)
        messages.append(msg)
    return messages


def coded_positives(coded: pd.DataFrame, frames: Sequence[str]) -> pd.DataFrame:
    """Coded positives per frame: sentences whose majority code (over the coders who coded them) is 1.

    Returns a table ``frame``, ``support`` that :func:`warn_few_positives` reads.
    """
    support = [int((_majority(coder_matrix(coded, f)) == 1).sum()) for f in frames]
    return pd.DataFrame({"frame": list(frames), "support": support})


def coded_sources(coded: pd.DataFrame) -> str:
    """Name the coded sheets of ``coded`` (its ``source`` column, from :func:`read_coding_sheets`) for a message."""
    if "source" not in coded.columns or coded.empty:
        return "the coded sample"
    return ", ".join(dict.fromkeys(coded["source"].astype(str)))


def agreement(
    coded: pd.DataFrame,
    predicted: pd.DataFrame,
    *,
    frames: Sequence[str] = FRAMES,
    unit_cols: Sequence[str] = ("doc_id", "sent_id"),
    n_boot: int = 0,
    level: float = 0.95,
    random_state: int | None = None,
    ci: float | None = None,
    cluster: str | None = None,
) -> ValidationReport:
    """Compare lexicon predictions with human codes.

    Reference codes: ``majority`` is the majority code of the coders of each unit (over the coders who
    coded it; ties are missing and left out). With one coder the reference is that coder's codes, and
    ``reference`` is named after the coder (:func:`reference_name`; :func:`main_reference` reads it back).
    With two or more coders, metrics are also given against each coder separately (``reference`` = coder
    name).

    Parameters
    ----------
    coded : pandas.DataFrame
        Long table of human codes (one row per coder and unit), as returned by
        :func:`read_coding_sheets`: the unit columns, ``coder`` and one 0/1 column per frame (missing
        values allowed).
    predicted : pandas.DataFrame
        One row per unit with 0/1 columns per frame (for example :func:`framing.scoring.frame_table`);
        optional ``start``, ``end``, ``text`` and ``n_<frame>`` columns are carried into the
        misclassified table. Every coded unit must be in it.
    frames : sequence of str
        Frame columns to compare.
    unit_cols : sequence of str, default ("doc_id", "sent_id")
        Columns identifying a unit (``("doc_id",)`` at document level).
    n_boot : int, default 0
        Bootstrap replicates for F1 confidence intervals (resampling units with replacement); 0 skips.
    level : float, default 0.95
        Coverage of the percentile bootstrap intervals.
    random_state : int, optional
        Seed of the bootstrap.
    ci : float, optional
        Former name of ``level``; still accepted, with a :class:`FutureWarning`.
    cluster : str, optional
        A unit column (``"doc_id"``) whose values the bootstrap resamples whole: the intervals of a cluster
        bootstrap, which do not treat the sentences of one document as independent (they are not); with a single
        document there is no interval (NaN). Default ``None``: units are resampled one by one, narrower
        intervals that assume independence.

    Returns
    -------
    ValidationReport
        ``metrics``: frame (each frame, then ``micro`` and ``macro``), reference, n (units with a
        reference code), support (positives in the reference), predicted (positives predicted), tp, fp,
        fn, tn, precision, recall, f1 (NaN when undefined: no predicted positives for precision, no
        reference positives for recall, neither for F1; macro averages the defined values),
        f1_baseline (F1 of the trivial rule "every unit has the frame", ``2 support / (n + support)``:
        a lexicon is only useful where it beats it), f1_low, f1_high (bootstrap interval, NaN without
        bootstrap, and NaN when the sample has no true positive: then every resample's F1 is 0), ci_note (why a
        row has no interval, or, with ``cluster``, that its interval resamples fewer than
        :data:`framing.types.MIN_DOCS` documents and is indicative only, :func:`few_documents_note`; else
        empty). ``confusion``: frame, reference, coded (0/1: the reference code, whoever coded it), lexicon_0,
        lexicon_1 (counts).
        ``misclassified``: unit columns, start, end, frame, error (``false_positive`` /
        ``false_negative``), coded, lexicon, n_hits, text, against the majority reference.
        ``alpha``: frame, comparison (``coders``: human coders only; ``lexicon+coders``: the lexicon as
        one more coder; ``lexicon~majority``; ``lexicon~<coder>`` with several coders), n_coders, n_units
        (units with at least two values), alpha (nominal; NaN when undefined).
    """
    unit_cols = list(unit_cols)
    frames = list(frames)
    for name, df, need in (
        ("coded", coded, [*unit_cols, "coder", *frames]),
        ("predicted", predicted, [*unit_cols, *frames]),
    ):
        missing = [c for c in need if c not in df.columns]
        if missing:
            raise ParameterError(f"{name} table lacks column(s) {', '.join(map(repr, missing))}")
    level = check_level(level_from_ci(level, ci, "agreement"))
    n_boot = check_n_boot(n_boot, minimum=0)
    coded = coded.copy()
    predicted = predicted.copy()
    for df in (coded, predicted):
        if "doc_id" in unit_cols:
            df["doc_id"] = df["doc_id"].astype(str)
        for c in unit_cols:
            if c != "doc_id":
                df[c] = df[c].astype("int64")
    if predicted.duplicated(unit_cols).any():
        raise ParameterError(f"predicted table has duplicate units ({', '.join(unit_cols)})")

    wides = {f: coder_matrix(coded, f, unit_cols=unit_cols) for f in frames}
    units = wides[frames[0]].index if frames else pd.Index([])
    coders = list(wides[frames[0]].columns) if frames else []
    pred_idx = predicted.set_index(unit_cols).sort_index()
    missing_units = units.difference(pred_idx.index)
    if len(missing_units):
        raise ParameterError(
            f"{len(missing_units)} coded unit(s) are not in the predictions, e.g. {list(missing_units[:3])!r}"
        )
    pred = pred_idx.loc[units, frames].to_numpy(dtype=float)
    if not np.isin(pred, (0.0, 1.0)).all():
        raise ParameterError("predicted frame columns must be 0/1")
    rng = generator(random_state) if n_boot > 0 else None
    groups = None
    if cluster is not None:
        if cluster not in unit_cols:
            raise ParameterError(f"cluster must be one of the unit columns {unit_cols}, got {cluster!r}")
        groups = pd.factorize(units.get_level_values(cluster), sort=True)[0].astype(np.int64)

    references: dict[str, np.ndarray] = {
        reference_name(coders): np.column_stack([_majority(wides[f]).to_numpy() for f in frames])
        if frames
        else np.empty((len(units), 0))
    }
    if len(coders) > 1:
        for c in coders:
            references[str(c)] = np.column_stack([wides[f][c].to_numpy() for f in frames])
    metrics = pd.concat(
        [_metric_rows(gold, pred, frames, ref, n_boot, level, rng, groups) for ref, gold in references.items()],
        ignore_index=True,
    )

    conf_rows = []
    for ref, gold in references.items():
        for j, f in enumerate(frames):
            for h in (0, 1):
                sel = gold[:, j] == h
                conf_rows.append(
                    {
                        "frame": f,
                        "reference": ref,
                        "coded": h,
                        "lexicon_0": int((sel & (pred[:, j] == 0)).sum()),
                        "lexicon_1": int((sel & (pred[:, j] == 1)).sum()),
                    }
                )
    confusion = pd.DataFrame(conf_rows, columns=["frame", "reference", "coded", "lexicon_0", "lexicon_1"])

    gold = references[reference_name(coders)]
    extra = [c for c in ("start", "end", "text") if c in pred_idx.columns]
    mis_parts = []
    for j, f in enumerate(frames):
        fp_mask = (gold[:, j] == 0) & (pred[:, j] == 1)
        fn_mask = (gold[:, j] == 1) & (pred[:, j] == 0)
        for err, m in (("false_positive", fp_mask), ("false_negative", fn_mask)):
            if not m.any():
                continue
            part = pred_idx.loc[units[m], extra].reset_index()
            part["frame"] = f
            part["error"] = err
            part["coded"] = gold[m, j].astype(int)
            part["lexicon"] = pred[m, j].astype(int)
            hits_col = f"n_{f}"
            part["n_hits"] = pred_idx.loc[units[m], hits_col].to_numpy() if hits_col in pred_idx.columns else pd.NA
            mis_parts.append(part)
    mis_cols = [
        *unit_cols,
        *[c for c in ("start", "end") if c in extra],
        "frame",
        "error",
        "coded",
        "lexicon",
        "n_hits",
        *(["text"] if "text" in extra else []),
    ]
    misclassified = (
        pd.concat(mis_parts, ignore_index=True)[mis_cols]
        .sort_values([*unit_cols, "frame"], kind="stable")
        .reset_index(drop=True)
        if mis_parts
        else pd.DataFrame(columns=mis_cols)
    )

    alpha_rows = []
    for j, f in enumerate(frames):
        human = wides[f].to_numpy().T  # coders x units
        comparisons: list[tuple[str, np.ndarray]] = [
            ("coders", human),
            ("lexicon+coders", np.vstack([human, pred[:, j][None, :]])),
            ("lexicon~majority", np.vstack([gold[:, j][None, :], pred[:, j][None, :]])),
        ]
        if len(coders) > 1:
            comparisons += [
                (f"lexicon~{c}", np.vstack([human[k][None, :], pred[:, j][None, :]])) for k, c in enumerate(coders)
            ]
        for name, table in comparisons:
            pairable = int(((~np.isnan(table)).sum(axis=0) >= 2).sum())
            a = krippendorff_alpha(table) if table.shape[0] >= 2 else float("nan")
            alpha_rows.append(
                {
                    "frame": f,
                    "comparison": name,
                    "n_coders": int(table.shape[0]),
                    "n_units": pairable,
                    "alpha": a,
                }
            )
    alpha = pd.DataFrame(alpha_rows, columns=["frame", "comparison", "n_coders", "n_units", "alpha"])
    return ValidationReport(metrics=metrics, confusion=confusion, misclassified=misclassified, alpha=alpha)


def validate_lexicon(
    corpus: ProcessedCorpusLike,
    coded: pd.DataFrame,
    *,
    lexicon: LexiconSource = DEFAULT_FRAMES_LEXICON,
    frames: Sequence[str] = FRAMES,
    n_boot: int = 0,
    random_state: int | None = None,
    cluster: str | None = "doc_id",
    **frame_table_kwargs: Any,
) -> ValidationReport:
    """Score ``corpus`` with ``lexicon`` (:func:`framing.scoring.frame_table`) and compare with ``coded``.

    ``coded`` comes from :func:`read_coding_sheets` (sentence units). Extra keyword arguments go to
    ``frame_table``. See :func:`agreement` for the tables returned; the F1 intervals resample whole documents
    (``cluster="doc_id"``, the default here) or sentences (``cluster=None``). A frame with fewer than
    :data:`MIN_CODED_POSITIVES` coded positives gets a :class:`FewPositivesWarning` naming the sheets.
    """
    from framing.scoring import frame_table

    table = frame_table(corpus, lexicon=lexicon, **frame_table_kwargs)
    report = agreement(coded, table, frames=frames, n_boot=n_boot, random_state=random_state, cluster=cluster)
    warn_few_positives(report.metrics, coded_sources(coded))
    return report


def write_validation_report(report: ValidationReport, out_dir: PathLike) -> dict[str, Path]:
    """Write metrics.csv, confusion.csv, misclassified.csv and alpha.csv to ``out_dir`` atomically."""
    from framing.io import write_csv

    out = Path(out_dir)
    return {
        name: write_csv(getattr(report, name), out / f"{name}.csv")
        for name in ("metrics", "confusion", "misclassified", "alpha")
    }

