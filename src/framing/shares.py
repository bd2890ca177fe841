"""Frame shares by genre, side by side: the instrument and each coder on the same sentences.

The report's first finding compares where the lexicon locates blame with where the coders do. Shares
over *different* sentence sets are not comparable, so :func:`coded_frame_shares` restricts the lexicon's
labels to the sentences the coders coded, and reports one row per genre, frame and source (``lexicon``,
then each coder, then ``majority`` when there are two or more coders and they agree).

:func:`corrected_shares` goes one step further for a corpus of which only a sample was coded: it corrects
the instrument's share of the *whole* corpus for the instrument's errors measured on the coded sample
(docs/validation.md, "Shares corrected by a coded sample").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from framing.compare import MIN_DOCS
from framing.errors import ParameterError
from framing.resampling import check_level, check_n_boot, generator, multinomial_weights, percentile_interval
from framing.types import DEFAULT_SEED

__all__ = ["coded_frame_shares", "corrected_shares"]


def _require(func: str, tables: Sequence[tuple[str, pd.DataFrame, Sequence[str]]]) -> None:
    for name, table, cols in tables:
        missing = [c for c in cols if c not in table.columns]
        if missing:
            raise ParameterError(f"{func}: {name} lacks column(s) {missing}")


def coded_frame_shares(
    codes: pd.DataFrame,
    predicted: pd.DataFrame,
    documents: pd.DataFrame,
    frames: Sequence[str],
) -> pd.DataFrame:
    """Share of coded sentences carrying each frame, by genre, for the lexicon and every coder.

    Parameters
    ----------
    codes : DataFrame
        Coded sentences: ``doc_id``, ``sent_id``, ``coder`` and a 0/1 column per frame (as
        :func:`framing.agreement.read_coding_sheets` returns).
    predicted : DataFrame
        The lexicon's sentence labels: ``doc_id``, ``sent_id`` and a 0/1 column per frame
        (:func:`framing.scoring.frame_table`).
    documents : DataFrame
        ``doc_id`` and ``genre`` of every document.
    frames : sequence of str
        The frames compared.

    Returns
    -------
    DataFrame
        ``genre``, ``frame``, ``source`` (``lexicon``, each coder, ``majority``), ``share`` (0-1),
        ``n_sentences`` (sentences the share is over). Genres in order of ``documents``.

    Raises
    ------
    ParameterError
        When a required column is missing (the message names the table and the column).
    """
    frames = list(frames)
    _require("coded_frame_shares", (
        ("codes", codes, ["doc_id", "sent_id", "coder", *frames]),
        ("predicted", predicted, ["doc_id", "sent_id", *frames]),
        ("documents", documents, ["doc_id", "genre"]),
    ))
    keys = ["doc_id", "sent_id"]
    genre = documents[["doc_id", "genre"]].drop_duplicates("doc_id")
    coded = codes[[*keys, "coder", *frames]].copy()
    coded[frames] = coded[frames].astype(int)
    sentences = coded[keys].drop_duplicates()
    parts = [coded.rename(columns={"coder": "source"})]
    lexicon = sentences.merge(predicted[[*keys, *frames]], on=keys, how="left").fillna(0)
    parts.insert(0, lexicon.assign(source="lexicon"))
    coders = list(dict.fromkeys(coded["coder"]))
    if len(coders) >= 2:
        # the agreed code: sentences on which every coder gave the same value, per frame
        agg = coded.groupby(keys)[frames].agg(["min", "max"])
        for f in frames:
            agree = agg[(f, "min")] == agg[(f, "max")]
            agg[(f, "code")] = agg[(f, "min")].where(agree)
        majority = pd.DataFrame({f: agg[(f, "code")] for f in frames}).reset_index().assign(source="majority")
        parts.append(majority)
    long = (
        pd.concat(parts, ignore_index=True)
        .merge(genre, on="doc_id", how="left")
        .melt(id_vars=[*keys, "source", "genre"], value_vars=frames, var_name="frame", value_name="code")
        .dropna(subset=["code"])
    )
    out = (
        long.groupby(["genre", "frame", "source"], sort=False)["code"]
        .agg(share="mean", n_sentences="size")
        .reset_index()
    )
    order = {
        "genre": {g: i for i, g in enumerate(dict.fromkeys(genre["genre"]))},
        "frame": {f: i for i, f in enumerate(frames)},
        "source": {s: i for i, s in enumerate(["lexicon", *coders, "majority"])},
    }
    out = out.sort_values(["genre", "frame", "source"], key=lambda s: s.map(order[str(s.name)]), kind="stable")
    out["share"] = out["share"].astype(float)
    out["n_sentences"] = out["n_sentences"].astype(int)
    return out.reset_index(drop=True)[["genre", "frame", "source", "share", "n_sentences"]]


def corrected_shares(
    predicted: pd.DataFrame,
    codes: pd.DataFrame,
    documents: pd.DataFrame,
    frames: Sequence[str],
    *,
    by: str = "genre",
    min_coded: int = 5,
    min_docs: int = MIN_DOCS,
    n_boot: int = 2000,
    level: float = 0.95,
    random_state: int | np.random.Generator | None = DEFAULT_SEED,
) -> pd.DataFrame:
    """Frame shares of a whole corpus, corrected by a coded sample for the instrument's errors.

    The instrument labels every sentence; coders code a sample of them (``framing validate sheet``). In each
    group (genre), per frame, the coded sample gives the share of the instrument's positives that coders code
    positive (the positive predictive value, PPV) and the share of its negatives that they code positive (the
    false omission rate, FOR); the corrected share of a group whose instrument share is ``s`` is
    ``s * PPV + (1 - s) * FOR``: the share of frame sentences the coders would have found had they coded the
    whole group. The corpus row ``all`` adds the groups up by their sizes. PPV and FOR are measured within
    each group because they depend on how common the frame is there (an instrument with the same errors
    has a far lower PPV where the frame is rare); a group with fewer than ``min_coded`` coded sentences on
    one side (instrument positive or negative), unless that side is coded in full, borrows that side's rate
    from the whole sample, and says so in ``rates``. The correction assumes that within a group the coded
    sentences are a random sample of the instrument's positives and of its negatives (a random or
    group-stratified sample, as ``framing validate sheet`` draws). Where every sentence is coded, the
    corrected shares are the coders' shares.

    Several coders: a sentence's code is the mean of its coders' codes (two coders who disagree count half).
    The interval is a percentile bootstrap over the coded *documents* within each group (a coded sentence's
    neighbours are not independent); the corpus's own shares are not resampled, the corpus being the
    population described.

    Parameters
    ----------
    predicted : DataFrame
        The instrument's labels of every sentence: ``doc_id``, ``sent_id``, a 0/1 column per frame
        (:func:`framing.scoring.frame_table`).
    codes : DataFrame
        Coded sentences: ``doc_id``, ``sent_id``, a 0/1 column per frame, optionally ``coder``
        (:func:`framing.agreement.read_coding_sheets`). Every coded sentence must be in ``predicted``.
    documents : DataFrame
        ``doc_id`` and the ``by`` column of every document.
    frames : sequence of str
        The frames.
    by : str
        Column of ``documents`` that groups the corpus (default ``genre``).
    min_coded : int
        Fewest coded sentences on one side of the instrument (positive, negative) for a group's own rate.
    min_docs : int
        Fewest documents a group (and the corpus row ``all``) needs for an interval, the rule of
        :func:`framing.compare.frame_share_intervals`: below it ``ci_low``/``ci_high`` are missing and
        ``method`` is ``"descriptive"`` (default 10, :data:`framing.compare.MIN_DOCS`; 1 gives every group one).
    n_boot : int
        Bootstrap replicates (0: no interval).
    level : float
        Interval level.
    random_state : int, Generator or None
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        ``group, frame, n_sentences, instrument_share, corrected_share, ci_low, ci_high, n_coded, ppv,
        false_omission, rates, n_docs, method`` (``rates``: ``group`` or ``pooled``, where PPV and FOR come from;
        ``groups`` for the corpus row, the sum of its groups, whose ``ppv`` and ``false_omission`` are the whole
        sample's; ``n_docs``: the group's documents; ``method``: ``bootstrap over coded documents``, or
        ``descriptive`` below ``min_docs`` documents, without interval); groups in order of ``documents``,
        then ``all``.

    Raises
    ------
    ParameterError
        A missing column, an empty coded sample, a coded sentence that the instrument did not label, or an
        invalid ``n_boot``/``level``/``min_coded`` (the message names it).
    """
    frames = list(frames)
    keys = ["doc_id", "sent_id"]
    _require("corrected_shares", (
        ("predicted", predicted, [*keys, *frames]),
        ("codes", codes, [*keys, *frames]),
        ("documents", documents, ["doc_id", by]),
    ))
    n_boot = check_n_boot(n_boot, minimum=0)
    level = check_level(level)
    min_coded = check_n_boot(min_coded, name="min_coded", minimum=1)
    min_docs = check_n_boot(min_docs, name="min_docs", minimum=1)
    pred = predicted[[*keys, *frames]].drop_duplicates(keys).set_index(keys)
    coded = codes[[*keys, *frames]].astype({f: float for f in frames}).groupby(keys, sort=False).mean()
    if coded.empty:
        raise ParameterError("corrected_shares: codes is empty (no coded sentence)")
    unknown = coded.index.difference(pred.index)
    if len(unknown):
        doc, sent = unknown[0]
        raise ParameterError(f"corrected_shares: {len(unknown)} coded sentence(s) are not in predicted, e.g. "
                             f"doc_id {_plain(doc)!r} sent_id {_plain(sent)!r} (codes made for another corpus or "
                             "segmentation?)")
    groups = documents[["doc_id", by]].drop_duplicates("doc_id").set_index("doc_id")[by]
    labels = pred.reset_index()
    labels["_group"] = labels["doc_id"].map(groups)
    if labels["_group"].isna().any():
        missing = labels.loc[labels["_group"].isna(), "doc_id"].iloc[0]
        raise ParameterError(f"corrected_shares: document {missing!r} of predicted has no {by!r} in documents")
    order = list(dict.fromkeys(groups[groups.index.isin(labels["doc_id"])]))
    said = pred.loc[coded.index, frames].to_numpy(dtype=bool)  # the instrument on the coded sentences
    truth = coded[frames].to_numpy(dtype=float)
    coded_docs = coded.index.get_level_values("doc_id")
    coded_group = coded_docs.map(groups).to_numpy()  # the group of each coded sentence
    rng = generator(random_state)
    # per group: (1 + n_boot, k) sums over its coded documents of positives, true positives, negatives, ...
    sums = {}
    for group in order:
        rows = np.flatnonzero(coded_group == group)
        doc_index, docs = pd.factorize(coded_docs[rows])
        per_doc = np.zeros((4, len(docs), len(frames)))
        for i, values in enumerate((said[rows], said[rows] * truth[rows], ~said[rows], ~said[rows] * truth[rows])):
            np.add.at(per_doc[i], doc_index, values.astype(float))
        weights = np.ones((1, len(docs)))
        if n_boot and len(docs):
            weights = np.vstack([weights, multinomial_weights(rng, len(docs), n_boot)])
        elif n_boot:
            weights = np.ones((1 + n_boot, 0))
        sums[group] = np.stack([weights @ block for block in per_doc])  # (4, 1 + n_boot, k)
    pooled = np.sum(np.stack(list(sums.values())), axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled_ppv, pooled_for = pooled[1] / pooled[0], pooled[3] / pooled[2]
    rows_out: list[tuple[object, ...]] = []
    size = labels.groupby("_group", sort=False).size()
    total = np.zeros((1 + n_boot if n_boot else 1, len(frames)))
    for group in order:
        g = sums[group]
        share = labels.loc[labels["_group"] == group, frames].to_numpy(dtype=float).mean(axis=0)
        # a side coded in full (every positive, or every negative, of the group) needs no borrowed rate
        n_pos = np.rint(share * size[group])
        own_pos = (g[0][0] >= min_coded) | ((g[0][0] >= n_pos) & (n_pos > 0))
        own_neg = (g[2][0] >= min_coded) | ((g[2][0] >= size[group] - n_pos) & (size[group] - n_pos > 0))
        with np.errstate(invalid="ignore", divide="ignore"):
            ppv = np.where(own_pos, g[1] / g[0], pooled_ppv)
            fom = np.where(own_neg, g[3] / g[2], pooled_for)
        estimate = share * ppv + (1 - share) * np.nan_to_num(fom)
        total += estimate * size[group]
        rates = np.where(own_pos & own_neg, "group", "pooled")
        rows_out += _share_rows(group, frames, int(size[group]), share, estimate, level,
                                int((coded_group == group).sum()), ppv[0], fom[0], rates)
    all_share = labels[frames].to_numpy(dtype=float).mean(axis=0)
    rows_out += _share_rows("all", frames, len(labels), all_share, total / len(labels), level, len(coded),
                            pooled_ppv[0], pooled_for[0], np.full(len(frames), "groups"))
    out = pd.DataFrame(rows_out, columns=["group", "frame", "n_sentences", "instrument_share", "corrected_share",
                                          "ci_low", "ci_high", "n_coded", "ppv", "false_omission", "rates"])
    n_docs = labels.groupby("_group", sort=False)["doc_id"].nunique()
    is_all = np.arange(len(out)) >= len(out) - len(frames)  # the last rows: all sentences (a genre may be "all")
    out["n_docs"] = [int(labels["doc_id"].nunique()) if a else int(n_docs[g]) for a, g in zip(is_all, out["group"],
                                                                                           strict=True)]
    few = out["n_docs"] < min_docs
    out.loc[few, ["ci_low", "ci_high"]] = np.nan  # the rule of frame_share_intervals: descriptive, no interval
    out["method"] = np.where(few, "descriptive", "bootstrap over coded documents")
    return out


def _plain(value: object) -> object:
    """Return a numpy scalar as the Python value it holds (for messages)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _share_rows(group: object, frames: Sequence[str], n: int, share: np.ndarray, estimate: np.ndarray, level: float,
                n_coded: int, ppv: np.ndarray, fom: np.ndarray, rates: np.ndarray) -> list[tuple[object, ...]]:
    """Rows of :func:`corrected_shares` for one group: ``estimate`` holds the point, then the replicates."""
    if len(estimate) > 1:
        lo, hi = percentile_interval(estimate[1:], level, skip_nan=True)
    else:
        lo = hi = np.full(len(frames), np.nan)
    return [(group, f, n, share[j], estimate[0, j], lo[j], hi[j], n_coded, ppv[j], fom[j], str(rates[j]))
            for j, f in enumerate(frames)]
