"""Frame shares by genre, side by side: the instrument and each human coder on the same sentences.

The report's first finding compares where the lexicon locates blame with where the coders do. Shares
over *different* sentence sets are not comparable, so :func:`coded_frame_shares` restricts the lexicon's
labels to the sentences the coders coded, and reports one row per genre, frame and source (``lexicon``,
then each coder, then ``majority`` when there are two or more coders and they agree).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from framing.errors import ParameterError

__all__ = ["coded_frame_shares"]


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
    for name, table, cols in (
        ("codes", codes, ["doc_id", "sent_id", "coder", *frames]),
        ("predicted", predicted, ["doc_id", "sent_id", *frames]),
        ("documents", documents, ["doc_id", "genre"]),
    ):
        missing = [c for c in cols if c not in table.columns]
        if missing:
            raise ParameterError(f"coded_frame_shares: {name} lacks column(s) {missing}")
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
