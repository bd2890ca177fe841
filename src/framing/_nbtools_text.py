"""The sentences notebooks print from their results (re-exported by :mod:`framing.nbtools`).

Frame shares by group, blame by voice and blame avoidance, said in words from the tables a notebook computed,
and the labels of groups too small for an interval.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from framing.shares import leading_frames
from framing.types import GROUP_LABEL, plural

__all__ = ["describe_avoidance", "describe_blame", "describe_frame_shares", "no_interval_labels"]


def _docs(n: int) -> str:
    return f"{n} document" + ("" if n == 1 else "s")


def describe_frame_shares(
    shares: pd.DataFrame, frames: Sequence[str], n_docs: Mapping[str, int], *, min_docs: int = 3,
    group_label: str = GROUP_LABEL,
) -> str:
    """Sentences that read a table of frame shares by genre (``genre``, ``frame``, ``share``).

    Per genre its most frequent frame and the other shares (frames as frequent as each other are said so; with
    the frame sentences counted, ``n_frame_sentences`` or ``n_frame``, a most frequent frame of fewer than
    :data:`framing.shares.MIN_LEAD_SENTENCES` sentences is not named: the counts are given); per frame the
    genres with the highest and lowest share; and which genres rest on fewer than ``min_docs`` documents
    (described, not generalised). The sentences call the grouping ``group_label`` (:attr:`NotebookContext.group_label`).
    """
    s = shares.set_index(["genre", "frame"])["share"].astype(float)
    count_col = next((c for c in ("n_frame_sentences", "n_frame") if c in shares.columns), None)
    counts = shares.set_index(["genre", "frame"])[count_col] if count_col else None
    genres = list(dict.fromkeys(shares["genre"]))
    lines = []
    for g in genres:
        sg = s.xs(g, level="genre").reindex(list(frames)).dropna()
        head = f"{g} ({_docs(int(n_docs.get(g, 0)))})"
        if sg.empty:
            lines.append(f"{head}: no sentence to share out.")
            continue
        cg = None if counts is None else counts.xs(g, level="genre").reindex(sg.index)
        top = leading_frames(sg, cg)
        rest = ", ".join(f"{f} {v:.0%}" for f, v in sg.items() if f not in top)
        if len(top) == 1:
            lines.append(f"{head}: most often {top[0]} ({sg[top[0]]:.0%} of its sentences)"
                         + (f"; {rest}." if rest else "."))
        elif top:
            lines.append(f"{head}: {' and '.join(top)} equally often ({sg[top[0]]:.0%} of its sentences each)"
                         + (f"; {rest}." if rest else "."))
        elif cg is not None and cg.max() > 0:
            listed = ", ".join(f"{f} {int(cg[f])}" for f in sg.index)
            lines.append(f"{head}: too few frame sentences to name a most frequent frame ({listed} sentences; "
                         f"{rest}).")
        else:
            lines.append(f"{head}: no sentence carries a frame.")
    if len(genres) > 1:
        for f in frames:
            sf = s.xs(f, level="frame").dropna() if f in s.index.get_level_values("frame") else s.iloc[:0]
            if len(sf) and sf.max() == sf.min():
                lines.append(f"The {f} frame's share is the same in every {group_label} ({sf.max():.0%}).")
            elif len(sf):  # genres of the same share are named together
                lines.append(f"The {f} frame's share is highest in {' and '.join(map(str, sf.index[sf == sf.max()]))}"
                             f" ({sf.max():.0%}) and lowest in {' and '.join(map(str, sf.index[sf == sf.min()]))} "
                             f"({sf.min():.0%}).")
    few = [g for g in genres if int(n_docs.get(g, 0)) < min_docs]
    if few:
        lines.append(f"{', '.join(few)}: fewer than {min_docs} documents each, so these shares describe those "
                     f"documents, not their {plural(group_label)}.")
    return "\n".join(lines)


def no_interval_labels(
    table: pd.DataFrame, *, group: str = "genre", n_col: str = "n_docs", lo: str = "lo", sep: str = " "
) -> dict[str, str]:
    """Return each group's name as a figure shows it: ``feature (3 doc., no interval)`` where it has no interval.

    A group whose ``lo`` is missing on every row (fewer than ``min_docs`` documents) is labelled with its
    number of documents (``n_col``) and ``no interval``, ``sep`` between the parts (a line break for tick labels:
    three short lines); the others keep their name. Notebooks 02, 03 and 05 say so in the same words.
    """
    missing = table[lo].isna().groupby(table[group], sort=False).all()
    n = table.groupby(group, sort=False)[n_col].first()
    return {str(g): f"{g}{sep}({int(n[g])} doc.,{sep}no interval)" if bool(gone) else str(g)
            for g, gone in missing.items()}


def describe_blame(by_voice: pd.DataFrame, edges: pd.DataFrame, n_docs: Mapping[str, int], *, top: int = 3) -> str:
    """Sentences on who blames in each genre: blame sentences by voice and the most frequent targets.

    ``by_voice`` is :func:`framing.attribution.blame_by_voice` (genres by ``author`` / ``quoted`` /
    ``reported``, and ``headline`` when a headline blames), ``edges``
    :func:`framing.attribution.blame_network_edges`.
    """
    lines = []
    for g, row in by_voice.iterrows():
        own, quoted = int(row.get("author", 0)), int(row.get("quoted", 0))
        reported = f", {int(row['reported'])} reporting a speaker's blame" if "reported" in row.index else ""
        headline = (f", {int(row['headline'])} in a headline (the publication's voice)" if "headline" in row.index
                    else "")
        targets = (edges[edges["genre"] == g].groupby("target")["sentences"].sum()
                   .sort_values(ascending=False, kind="stable").head(top))
        named = ", ".join(f"{t} ({int(n)})" for t, n in targets.items()) or "none"
        lines.append(f"{g} ({_docs(int(n_docs.get(g, 0)))}): {own} blame sentence(s) in the author's own voice, "
                     f"{quoted} with a quoted blamer{reported}{headline}; most frequent targets: {named}.")
    return "\n".join(lines)


def describe_avoidance(avoid: pd.DataFrame, types: Sequence[str], genres: Sequence[str]) -> str:
    """Sentences on where blame-avoidance matches fall: per type, matches and documents, by genre."""
    lines = []
    for t in types:
        a = avoid[avoid["type"] == t]
        if a.empty:
            lines.append(f"{t.replace('_', ' ')}: no match.")
            continue
        by_genre = a.groupby("genre").size().reindex(list(genres)).fillna(0).astype(int)
        lines.append(f"{t.replace('_', ' ')}: {len(a)} match(es) in {_docs(a['doc_id'].nunique())} ("
                     + ", ".join(f"{g} {n}" for g, n in by_genre.items()) + ").")
    return "\n".join(lines)
