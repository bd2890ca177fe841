"""Frame shares by genre, side by side: the instrument and each coder on the same sentences.

The report's first finding compares where the lexicon locates blame with where the coders do. Shares
over *different* sentence sets are not comparable, so :func:`coded_frame_shares` gives, per genre and
frame, the lexicon's share on the same sentences as the coders' reference row: ``majority`` (the code
given by more than half of the coders who coded the sentence; a tie has no majority and is left out) when
there are two or more coders, the coder's own otherwise. It reports one row per genre, frame and source
(``lexicon``, then each coder, then ``majority``), each with the lexicon's share on that row's sentences.
A "not coded" cell (missing) leaves the sentence out of that frame only.

:func:`corrected_shares` goes one step further for a corpus of which only a sample was coded: it corrects
the instrument's share of the *whole* corpus for the instrument's errors measured on the coded sample
(docs/validation.md, "Shares corrected by a coded sample"). Its interval is a bootstrap over the coded
documents of each group, given only where a group has at least ``min_docs`` of them; every replicate
follows the point estimate's rule (a side with too few coded sentences borrows the pooled rate), a
replicate with no defined rate is counted in ``n_undefined``, and the coded sentences are taken in
(``doc_id``, ``sent_id``) order, so the row order of the codes does not change the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from framing.errors import ParameterError
from framing.resampling import check_level, check_n_boot, generator, multinomial_weights, percentile_interval
from framing.types import DEFAULT_SEED, MIN_DOCS, MISSING_GROUP

__all__ = ["MIN_LEAD_SENTENCES", "coded_frame_shares", "corrected_shares", "instrument_agreement", "leading_frames"]

MIN_LEAD_SENTENCES = 5
"""Fewest frame sentences on which a genre's most frequent frame is called its leading frame: below it (a lead
of 2 sentences against 1) the findings and notebooks give the counts and name no leading frame."""


def leading_frames(shares: Mapping[str, float] | pd.Series, counts: Mapping[str, float] | pd.Series | None = None,
                   *, min_sentences: int = MIN_LEAD_SENTENCES) -> list[str]:
    """Return the frame(s) with the highest share of one genre: one, several on a tie, none without a lead.

    ``shares`` and ``counts`` (frame sentences) are keyed by frame. A tie: the frames with the same highest count
    (counts given) or the same highest share. No lead (``[]``): no frame sentence at all, or (counts given) a
    highest count below ``min_sentences``, where a "lead" would rest on one or two sentences.
    """
    s = pd.Series(shares, dtype=float).dropna()
    if s.empty or s.max() <= 0:
        return []
    if counts is not None:
        c = pd.Series(counts, dtype=float).reindex(s.index).fillna(0)
        top = c.max()
        return [str(f) for f in s.index if c[f] == top] if top >= min_sentences else []
    return [str(f) for f in s.index if bool(np.isclose(s[f], s.max(), rtol=0, atol=1e-12))]


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

    Per genre and frame, each coder's row covers the sentences that coder coded for the frame (a "not coded"
    cell, missing, is left out of that frame only). With two or more coders the ``majority`` row gives the
    code that more than half of the coders who coded the sentence gave it; a sentence on which they tie
    (one coder against one, two against two) has no majority and is left out of the row (``n_tied`` counts
    such sentences). The ``lexicon`` row covers the same sentences as the coders' reference row (the
    ``majority`` with two or more coders, the single coder's otherwise), so the two compare like with like;
    ``lexicon_share`` gives the lexicon's share on each row's own sentences (the comparison for one coder).

    Parameters
    ----------
    codes : DataFrame
        Coded sentences: ``doc_id``, ``sent_id``, ``coder`` and a 0/1 column per frame, missing where not coded
        (as :func:`framing.agreement.read_coding_sheets` returns).
    predicted : DataFrame
        The lexicon's sentence labels: ``doc_id``, ``sent_id`` and a 0/1 column per frame
        (:func:`framing.scoring.frame_table`); a coded sentence it lacks counts as unlabelled (0).
    documents : DataFrame
        ``doc_id`` and ``genre`` of every document.
    frames : sequence of str
        The frames compared.

    Returns
    -------
    DataFrame
        ``genre``, ``frame``, ``source`` (``lexicon``, each coder, ``majority``), ``share`` (0-1),
        ``n_sentences`` (sentences the share is over), ``lexicon_share`` (the lexicon's share on those
        sentences), ``n_tied`` (coded sentences left out of the ``majority`` and ``lexicon`` rows because the
        coders tied; 0 for a coder's row). Genres in order of ``documents``; a genre and frame whose sentences
        all tie has no ``majority`` or ``lexicon`` row.

    Raises
    ------
    ParameterError
        When a required column is missing (the message names the table and the column), or a code is not
        0, 1 or missing (the message names the frame and the sentence).
    """
    frames = list(frames)
    _require("coded_frame_shares", (
        ("codes", codes, ["doc_id", "sent_id", "coder", *frames]),
        ("predicted", predicted, ["doc_id", "sent_id", *frames]),
        ("documents", documents, ["doc_id", "genre"]),
    ))
    keys = ["doc_id", "sent_id"]
    genre = documents[["doc_id", "genre"]].drop_duplicates("doc_id")
    coded = _as_codes("coded_frame_shares", codes[[*keys, "coder", *frames]], frames)
    coders = list(dict.fromkeys(coded["coder"]))
    # one row per coder, sentence and frame that the coder coded (a "not coded" cell is left out of its frame)
    long = (coded.melt(id_vars=[*keys, "coder"], value_vars=frames, var_name="frame", value_name="code")
            .dropna(subset=["code"]).rename(columns={"coder": "source"}))
    label = predicted[[*keys, *frames]].drop_duplicates(keys).melt(
        id_vars=keys, value_vars=frames, var_name="frame", value_name="lex")
    label["lex"] = label["lex"].astype(float)
    cell = [*keys, "frame"]
    ties = long.iloc[:0][cell]
    if len(coders) >= 2:
        votes = long.groupby(cell, sort=False)["code"].agg(n="size", ones="sum").reset_index()
        tied = 2 * votes["ones"] == votes["n"]
        ties = votes.loc[tied, cell]
        reference = votes.loc[~tied, cell].assign(
            code=(2 * votes.loc[~tied, "ones"] > votes.loc[~tied, "n"]).astype(float), source="majority")
        parts = [long, reference]
    else:
        reference = long
        parts = [long]
    lexicon = reference[cell].merge(label, on=cell, how="left").assign(source="lexicon")
    lexicon["code"] = lexicon["lex"]
    rows = pd.concat([lexicon, *(p.merge(label, on=cell, how="left") for p in parts)], ignore_index=True)
    rows["lex"] = rows["lex"].fillna(0.0)
    rows["code"] = rows["code"].fillna(0.0)  # the lexicon's own row: a sentence it lacks is unlabelled
    rows = rows.merge(genre, on="doc_id", how="left")
    out = (
        rows.groupby(["genre", "frame", "source"], sort=False)
        .agg(share=("code", "mean"), n_sentences=("code", "size"), lexicon_share=("lex", "mean"))
        .reset_index()
    )
    n_tied = ties.merge(genre, on="doc_id", how="left").groupby(["genre", "frame"]).size()
    pair = pd.MultiIndex.from_frame(out[["genre", "frame"]])
    out["n_tied"] = np.where(out["source"].isin(["lexicon", "majority"]),
                             n_tied.reindex(pair, fill_value=0).to_numpy(), 0)
    order = {
        "genre": {g: i for i, g in enumerate(dict.fromkeys(genre["genre"]))},
        "frame": {f: i for i, f in enumerate(frames)},
        "source": {s: i for i, s in enumerate(["lexicon", *coders, "majority"])},
    }
    out = out.sort_values(["genre", "frame", "source"], key=lambda s: s.map(order[str(s.name)]), kind="stable")
    out = out.astype({"share": float, "lexicon_share": float, "n_sentences": int, "n_tied": int})
    return out.reset_index(drop=True)[["genre", "frame", "source", "share", "n_sentences", "lexicon_share",
                                       "n_tied"]]


def instrument_agreement(labels: pd.DataFrame, rule: pd.DataFrame, documents: pd.DataFrame,
                         frames: Sequence[str]) -> pd.DataFrame:
    """How far two instruments' sentence labels agree, by genre and over all sentences (``genre`` ``"all"``).

    Used when a learned model labels (``frame_model``): ``labels`` are the model's, ``rule`` the dictionary
    rule's on the same corpus, so a reader sees whether a finding holds for both instruments.

    Parameters
    ----------
    labels, rule : DataFrame
        ``doc_id``, ``sent_id`` and a 0/1 column per frame (:func:`framing.label_frames`); a sentence one table
        lacks counts as unlabelled (0) there.
    documents : DataFrame
        The corpus's documents (``doc_id``, ``genre``): they give each sentence its group and the groups' order.
    frames : sequence of str
        The frames whose labels are set side by side.

    Returns
    -------
    DataFrame
        ``genre``, ``frame``, ``n_sentences``, ``n_labels`` and ``n_rule`` (sentences each instrument labels with
        the frame), ``share`` and ``rule_share`` (those over ``n_sentences``), ``agreement`` (share of sentences
        on which the two give the same label) and ``kappa`` (Cohen's kappa; missing when both give one label to
        every sentence). Genres in order of ``documents``, then ``all`` (every sentence); a corpus whose one group
        is called ``all`` (the genre of a corpus without a genre column) has only those rows, and a group called
        ``all`` beside others is shown as ``all (group)``.

    Raises
    ------
    ParameterError
        When a required column is missing (the message names the table and the column).
    """
    frames = list(frames)
    keys = ["doc_id", "sent_id"]
    _require("instrument_agreement", (("labels", labels, [*keys, *frames]), ("rule", rule, [*keys, *frames]),
                                      ("documents", documents, ["doc_id", "genre"])))
    both = labels[[*keys, *frames]].merge(rule[[*keys, *frames]], on=keys, how="outer", suffixes=("", "_rule"))
    genre = documents.drop_duplicates("doc_id").set_index("doc_id")["genre"].astype(str)
    both["genre"] = both["doc_id"].map(genre).fillna(MISSING_GROUP)
    model = both[frames].fillna(0).to_numpy(dtype=bool)
    other = both[[f"{f}_rule" for f in frames]].fillna(0).to_numpy(dtype=bool)
    groups = both["genre"].to_numpy()
    order = list(dict.fromkeys(genre[genre.index.isin(both["doc_id"])]))
    if MISSING_GROUP in set(groups) and MISSING_GROUP not in order:
        order.append(MISSING_GROUP)
    if order == ["all"]:  # one group, named like the overall rows (a corpus without a genre column): those rows
        order = []
    parts = [_agreement_rows(g if g != "all" else "all (group)", model[groups == g], other[groups == g], frames)
             for g in order]
    out = pd.concat([*parts, _agreement_rows("all", model, other, frames)], ignore_index=True)
    return out[["genre", "frame", "n_sentences", "n_labels", "n_rule", "share", "rule_share", "agreement",
                "kappa"]].reset_index(drop=True)


def _agreement_rows(group: str, model: np.ndarray, rule: np.ndarray, frames: list[str]) -> pd.DataFrame:
    """One row per frame of :func:`instrument_agreement` for the sentences of one group (0/1 label matrices)."""
    n = len(model)
    n_labels, n_rule, same = model.sum(axis=0), rule.sum(axis=0), (model == rule).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):  # no sentence: shares and kappa missing
        share, rule_share, agreement = (np.asarray(x, dtype=float) / (n or np.nan) for x in (n_labels, n_rule, same))
        beyond = 1 - (share * rule_share + (1 - share) * (1 - rule_share))  # 1 - agreement expected by chance
        kappa = np.where(beyond > 1e-12, (agreement - (1 - beyond)) / np.where(beyond > 1e-12, beyond, 1.0), np.nan)
    return pd.DataFrame({"genre": group, "frame": frames, "n_sentences": np.int64(n),
                         "n_labels": n_labels.astype(np.int64), "n_rule": n_rule.astype(np.int64), "share": share,
                         "rule_share": rule_share, "agreement": agreement, "kappa": kappa})


def _as_codes(func: str, codes: pd.DataFrame, frames: list[str]) -> pd.DataFrame:
    """Return ``codes`` with its frame columns as floats (missing: not coded); refuse a code other than 0 or 1."""
    out = codes.copy()
    for f in frames:
        values = pd.to_numeric(out[f], errors="coerce").astype(float)
        bad = (values.isna() & out[f].notna()) | (values.notna() & ~values.isin([0.0, 1.0]))
        if bad.any():
            row = out.loc[bad].iloc[0]
            raise ParameterError(f"{func}: codes column {f!r} holds {_plain(row[f])!r} (doc_id "
                                 f"{_plain(row['doc_id'])!r} sent_id {_plain(row['sent_id'])!r}); a code is 0, 1 "
                                 "or missing (not coded)")
        out[f] = values
    return out


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
    corrected shares are the coders' shares. A rate that no coded sentence defines, even pooled, leaves the
    corrected share missing, unless its side is empty (a share of 0 needs no PPV, a share of 1 no FOR).

    Several coders: a sentence's code is, per frame, the mean of the codes of the coders who coded it (two
    coders who disagree count half); a "not coded" cell (missing) is left out of that frame only, and a
    sentence no coder coded for a frame is not in that frame's sample (``n_coded`` counts per frame).
    The interval is a percentile bootstrap over the coded *documents* within each group (a coded sentence's
    neighbours are not independent); the corpus's own shares are not resampled, the corpus being the
    population described. Each replicate applies the point estimate's rule: a side with fewer than
    ``min_coded`` resampled sentences (and not coded in full) borrows the replicate's pooled rate. A
    replicate whose rate is undefined even so (no coded sentence on that side in the whole resample) has no
    estimate: it is left out of the percentiles and counted in ``n_undefined``. The coded sentences are
    taken in (``doc_id``, ``sent_id``) order, so the row order of ``codes`` does not change the interval.

    Parameters
    ----------
    predicted : DataFrame
        The instrument's labels of every sentence: ``doc_id``, ``sent_id``, a 0/1 column per frame
        (:func:`framing.scoring.frame_table`).
    codes : DataFrame
        Coded sentences: ``doc_id``, ``sent_id``, a 0/1 column per frame (missing: not coded), optionally
        ``coder`` (:func:`framing.agreement.read_coding_sheets`). Every coded sentence must be in ``predicted``.
    documents : DataFrame
        ``doc_id`` and the ``by`` column of every document.
    frames : sequence of str
        The frames.
    by : str
        Column of ``documents`` that groups the corpus (default ``genre``).
    min_coded : int
        Fewest coded sentences on one side of the instrument (positive, negative) for a group's own rate.
    min_docs : int
        Fewest *coded* documents a group (and the corpus row ``all``) needs for an interval, the rule of
        :func:`framing.compare.frame_share_intervals` applied to the documents the bootstrap draws: below it
        ``ci_low``/``ci_high`` are missing and ``method`` is ``"descriptive"`` (default 10,
        :data:`framing.compare.MIN_DOCS`; 1 gives every coded group one).
    n_boot : int
        Bootstrap replicates (0: no interval, ``method`` ``"descriptive"``).
    level : float
        Interval level.
    random_state : int, Generator or None
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        ``group, frame, n_sentences, instrument_share, corrected_share, ci_low, ci_high, n_coded, ppv,
        false_omission, rates, n_docs, method, n_coded_docs, n_undefined`` (``n_coded``: coded sentences of
        the frame; ``rates``: ``group`` or ``pooled``, where PPV and FOR come from; ``groups`` for the corpus
        row, the sum of its groups, whose ``ppv`` and ``false_omission`` are the whole sample's; ``n_docs``:
        the group's documents; ``method``: ``bootstrap over coded documents``, or ``descriptive`` below
        ``min_docs`` coded documents, without interval; ``n_coded_docs``: the documents with a sentence coded
        for the frame, which the bootstrap draws; ``n_undefined``: replicates without an estimate, left out of
        the interval); groups in order of ``documents``, then ``all``.

    Raises
    ------
    ParameterError
        A missing column, an empty coded sample, a coded sentence that the instrument did not label, a code
        other than 0, 1 or missing, or an invalid ``n_boot``/``level``/``min_coded``/``min_docs`` (the message
        names it).
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
    # a sentence's code: the mean of its coders' codes, per frame over the coders who coded it; sorted by
    # (doc_id, sent_id) so that the bootstrap does not depend on the order of the rows of codes
    coded = _as_codes("corrected_shares", codes[[*keys, *frames]], frames).groupby(keys, sort=True).mean()
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
    known = coded[frames].notna().to_numpy()  # coded for this frame ("not coded" cells are left out per frame)
    truth = np.where(known, coded[frames].to_numpy(dtype=float), 0.0)
    blocks = (said & known, said * truth, ~said & known, ~said * truth, known)
    coded_docs = coded.index.get_level_values("doc_id")
    coded_group = coded_docs.map(groups).to_numpy()  # the group of each coded sentence
    rng = generator(random_state)
    n_rep = 1 + n_boot
    # per group: (4, 1 + n_boot, k) sums over its coded documents of positives, true positives, negatives and
    # false negatives (row 0: the sample itself, then the replicates); and its coded documents per frame
    sums, docs_coded = {}, {}
    for group in order:
        rows = np.flatnonzero(coded_group == group)
        doc_index, docs = pd.factorize(coded_docs[rows])  # documents in sorted order
        per_doc = np.zeros((len(blocks), len(docs), len(frames)))
        for i, values in enumerate(blocks):
            np.add.at(per_doc[i], doc_index, values[rows].astype(float))
        weights = np.ones((1, len(docs)))
        if n_boot:
            weights = np.vstack([weights, multinomial_weights(rng, len(docs), n_boot) if len(docs)
                                 else np.ones((n_boot, 0))])
        sums[group] = np.stack([weights @ block for block in per_doc[:4]])
        docs_coded[group] = (per_doc[4] > 0).sum(axis=0)
    pooled = np.sum(np.stack(list(sums.values())), axis=0)
    pooled_ppv, pooled_for = _ratio(pooled[1], pooled[0]), _ratio(pooled[3], pooled[2])
    rows_out: list[tuple[object, ...]] = []
    size = labels.groupby("_group", sort=False).size()
    total = np.zeros((n_rep, len(frames)))
    for group in order:
        g = sums[group]
        share = labels.loc[labels["_group"] == group, frames].to_numpy(dtype=float).mean(axis=0)
        n_pos = np.rint(share * size[group])
        # the same rule in the sample (row 0) and in every replicate: a side with fewer than min_coded coded
        # sentences borrows the pooled rate, unless it is coded in full (every positive, or every negative)
        own_pos = (g[0] >= min_coded) | ((g[0] >= n_pos) & (n_pos > 0))
        own_neg = (g[2] >= min_coded) | ((g[2] >= size[group] - n_pos) & (size[group] - n_pos > 0))
        ppv = np.where(own_pos, _ratio(g[1], g[0]), pooled_ppv)
        fom = np.where(own_neg, _ratio(g[3], g[2]), pooled_for)
        estimate = _mix(share, ppv, fom)
        total += estimate * size[group]
        rates = np.where(own_pos[0] & own_neg[0], "group", "pooled")
        n_coded = known[coded_group == group].sum(axis=0)
        rows_out += _share_rows(group, frames, int(size[group]), share, estimate, level, n_coded, ppv[0], fom[0],
                                rates, docs_coded[group])
    all_share = labels[frames].to_numpy(dtype=float).mean(axis=0)
    rows_out += _share_rows("all", frames, len(labels), all_share, total / len(labels), level, known.sum(axis=0),
                            pooled_ppv[0], pooled_for[0], np.full(len(frames), "groups"),
                            np.sum([docs_coded[g] for g in order], axis=0))
    out = pd.DataFrame(rows_out, columns=["group", "frame", "n_sentences", "instrument_share", "corrected_share",
                                          "ci_low", "ci_high", "n_coded", "ppv", "false_omission", "rates",
                                          "n_coded_docs", "n_undefined"])
    n_docs = labels.groupby("_group", sort=False)["doc_id"].nunique()
    is_all = np.arange(len(out)) >= len(out) - len(frames)  # the last rows: all sentences (a genre may be "all")
    out.insert(11, "n_docs", [int(labels["doc_id"].nunique()) if a else int(n_docs[g])
                              for a, g in zip(is_all, out["group"], strict=True)])
    # the rule of frame_share_intervals, over the documents the interval resamples: the coded ones
    few = (out["n_coded_docs"] < min_docs) | (n_boot == 0)
    out.loc[few, ["ci_low", "ci_high"]] = np.nan
    out.insert(12, "method", np.where(few, "descriptive", "bootstrap over coded documents"))
    return out


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num / den``, missing where ``den`` is 0 (a rate of no sentences is undefined)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def _mix(share: np.ndarray, ppv: np.ndarray, fom: np.ndarray) -> np.ndarray:
    """``share * ppv + (1 - share) * fom``, a term whose weight is 0 counting 0 even where its rate is undefined."""
    return np.where(share > 0, share * ppv, 0.0) + np.where(share < 1, (1 - share) * fom, 0.0)


def _plain(value: object) -> object:
    """Return a numpy scalar as the Python value it holds (for messages)."""
    item = getattr(value, "item", None)
    return item() if callable(item) else value


def _share_rows(group: object, frames: Sequence[str], n: int, share: np.ndarray, estimate: np.ndarray, level: float,
                n_coded: np.ndarray, ppv: np.ndarray, fom: np.ndarray, rates: np.ndarray,
                n_coded_docs: np.ndarray) -> list[tuple[object, ...]]:
    """Rows of :func:`corrected_shares` for one group: ``estimate`` holds the point, then the replicates.

    A replicate whose estimate is undefined (a rate of no coded sentences, in the group and pooled alike) is
    counted in ``n_undefined`` and left out of the interval.
    """
    replicates = estimate[1:]
    undefined = np.isnan(replicates).sum(axis=0)
    if len(replicates):
        lo, hi = percentile_interval(replicates, level, skip_nan=True)
    else:
        lo = hi = np.full(len(frames), np.nan)
    return [(group, f, n, share[j], estimate[0, j], lo[j], hi[j], int(n_coded[j]), ppv[j], fom[j], str(rates[j]),
             int(n_coded_docs[j]), int(undefined[j])) for j, f in enumerate(frames)]
