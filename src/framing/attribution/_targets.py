"""Blame targets: which actors of a blame sentence it holds responsible.

A target is an actor mention (not negated, not inside a reporting clause) in the same clause as a blame
cue or a frame hit of the same voice and at most ``window`` words from it. The whole corpus is handled at
once on *global offsets* (each document's offsets shifted by the lengths of the documents before it), so
that word numbers, clause numbers, quotations and reporting clauses are looked up with
:func:`numpy.searchsorted` over sorted arrays, with one regular-expression pass over each text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from framing.attribution._base import AUTHOR, OWN_CONDUCT_VERBS, UNATTRIBUTED

__all__ = ["CLAUSE_BOUNDARY", "TARGET_RULES", "Offsets", "labelled_voices", "near_pairs", "reported_voices",
           "speech_voices"]

TARGET_RULES: tuple[str, ...] = ("responsible", "mentioned")
"""``responsible``: actors near a cue or frame hit in the same clause; ``mentioned``: every actor of the
sentence outside reporting clauses (the rule before version 2, kept for comparison)."""

_HARD_BOUNDARY = r"[;:\u2014\u2013]|\s-\s|\b(?:but|whereas|while|although|though|yet|because)\b"
CLAUSE_BOUNDARY = rf"{_HARD_BOUNDARY}|\(|\)"
"""What separates clauses for the target rule: ``; :``, dashes, brackets and contrastive or causal
conjunctions. Commas do not (appositions and lists stay in their clause). A bracket separates what it holds
from the text around it, but an aside in brackets does not separate the text before it from the text after it
(``the right hon. Member for Maidenhead (Mrs May) failed``: *hon.* and *failed* are one clause)."""

_HARD_BOUNDARY_RE = re.compile(_HARD_BOUNDARY, re.IGNORECASE)
_OPEN_RE, _CLOSE_RE = re.compile(r"\("), re.compile(r"\)")
_WORD_RE = re.compile(r"\w+")


class Offsets:
    """Global offsets of a corpus's documents: ``base[doc_id]`` + local offset."""

    def __init__(self, doc_ids: Iterable[Any], texts: Iterable[Any]) -> None:
        self.texts = dict(zip(doc_ids, (str(t) for t in texts), strict=True))
        lengths = np.fromiter((len(t) + 1 for t in self.texts.values()), dtype=np.int64, count=len(self.texts))
        starts = np.cumsum(lengths) - lengths  # each document's first offset (no document: none)
        self.base = dict(zip(self.texts, starts.tolist(), strict=True))

    def shift(self, df: pd.DataFrame, start: str = "start", end: str = "end") -> tuple[np.ndarray, np.ndarray]:
        """Global (start, end) arrays of a table with doc_id and local offsets."""
        b = df["doc_id"].map(self.base).to_numpy(dtype=np.int64)
        return b + df[start].to_numpy(dtype=np.int64), b + df[end].to_numpy(dtype=np.int64)

    def positions(self, doc_ids: Iterable[Any], rx: re.Pattern[str]) -> np.ndarray:
        """Sorted global starts of the matches of ``rx`` in the given documents."""
        parts = [self.base[d] + np.fromiter((m.start() for m in rx.finditer(self.texts[d])), dtype=np.int64)
                 for d in sorted(set(doc_ids), key=self.base.__getitem__)]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def positions_in(self, spans: pd.DataFrame, rx: re.Pattern[str]) -> np.ndarray:
        """Sorted global starts of the matches of ``rx`` in the spans (doc_id, start, end; disjoint).

        One search over the spans' texts joined by newlines (``rx`` must not match a newline), each match's start
        mapped back to its span: the matches a search of each span alone finds.
        """
        gs, ge = self.shift(spans)
        order = np.argsort(gs, kind="stable")
        gs, ge = gs[order], ge[order]
        local = spans.iloc[order]
        pieces = [self.texts[d][a:b] for d, a, b in zip(local["doc_id"], local["start"], local["end"], strict=True)]
        lengths = ge - gs
        at = np.concatenate(([0], np.cumsum(lengths + 1)[:-1])) if len(pieces) else np.zeros(0, dtype=np.int64)
        found = np.fromiter((m.start() for m in rx.finditer("\n".join(pieces))), dtype=np.int64)
        row = np.searchsorted(at, found, side="right") - 1
        out: np.ndarray = gs[row] + found - at[row]
        return out


def overlaps(starts: np.ndarray, ends: np.ndarray, cs: np.ndarray, ce: np.ndarray) -> np.ndarray:
    """Return True for each span (``starts``, ``ends``) that overlaps one of the spans (``cs``, ``ce``).

    The spans ``cs``..``ce`` are merged into disjoint intervals (sorted, running maximum of the ends); each
    span is then looked up with :func:`numpy.searchsorted`: O((n + m) log m), no pairwise comparison.
    """
    starts, ends = np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)
    if len(cs) == 0 or len(starts) == 0:
        return np.zeros(len(starts), dtype=bool)
    order = np.argsort(cs, kind="stable")
    s, e = np.asarray(cs, dtype=np.int64)[order], np.maximum.accumulate(np.asarray(ce, dtype=np.int64)[order])
    new = np.ones(len(s), dtype=bool)
    new[1:] = s[1:] >= e[:-1]
    us = s[new]
    ue = e[np.concatenate((np.flatnonzero(new)[1:] - 1, [len(s) - 1]))]
    j = np.searchsorted(us, ends, side="left") - 1  # the last interval starting before the span ends
    return (j >= 0) & (ue[np.clip(j, 0, None)] > starts)


def voices(gs: np.ndarray, ge: np.ndarray, quotes: pd.DataFrame, off: Offsets) -> np.ndarray:
    """Return the voice of each span: ``author`` outside quotations, else the quotation's speaker.

    The speaker is that of the top-level quotation holding the span's midpoint (``unattributed`` without
    one); spans in global offsets.
    """
    top = quotes[quotes["depth"] == 0]
    out = np.full(len(gs), AUTHOR, dtype=object)
    if top.empty or len(gs) == 0:
        return out
    qs, qe = off.shift(top, "content_start", "content_end")
    order = np.argsort(qs, kind="stable")
    qs, qe = qs[order], qe[order]
    # a quotation the author gives as his or her own ("“...,” I said"): the author's, as a first-person clause is
    sp = np.array([(AUTHOR if s.strip().lower() in _FIRST_PERSON else s) if isinstance(s, str) and s
                   else UNATTRIBUTED for s in top["speaker"]], dtype=object)[order]
    mid = (np.asarray(gs, dtype=np.int64) + np.asarray(ge, dtype=np.int64)) // 2
    j = np.searchsorted(qs, mid, side="right") - 1
    ok = (j >= 0) & (mid < qe[np.clip(j, 0, None)])
    out[ok] = sp[j[ok]]
    return out


_PRONOUN_SPEAKER = frozenset({"he", "she", "they", "it", "you"})
_FIRST_PERSON = frozenset({"i", "we"})
"""A reporting clause in the first person ("I believe that", "As I said at col. 345, ..."): the text's author
speaks (in a labelled speech the label's speaker, :func:`labelled_voices`)."""


def reported_voices(voice: np.ndarray, spans: pd.DataFrame, clauses: pd.DataFrame,
                    sentences: pd.DataFrame, texts: dict[Any, str]) -> tuple[np.ndarray, np.ndarray]:
    """Give authorial spans in reported speech the reporting clause's speaker: ``(voice, reported)``.

    ``spans`` has ``doc_id``, ``sent_id``, ``start`` and ``end``; ``clauses`` is :func:`reporting_clauses`,
    ``sentences`` the sentences table (``end``) and ``texts`` the documents' texts (same offsets). A span of
    ``voice`` ``author`` takes the speaker of a reporting clause of its sentence outside quotation marks when
    it follows the clause ("Ed Balls said the council failed") or precedes a clause closing the sentence
    after a comma ("The council failed, the minister said."), or of an ``according to X`` of its sentence
    anywhere outside it (``unattributed`` for a bare pronoun, "He said the council failed", whose referent is
    not resolved here); the nearest such clause when there are several; never a clause of a speaker's own
    conduct (:data:`~framing.attribution._base.OWN_CONDUCT_VERBS`: "The police denied that ..."). ``reported``
    flags those spans.
    """
    out = np.asarray(voice, dtype=object).copy()
    reported = np.zeros(len(out), dtype=bool)
    indirect = clauses[clauses["rule"].isin(("clause", "according"))]
    authorial = np.flatnonzero(out == AUTHOR)
    if indirect.empty or len(authorial) == 0:
        return out, reported
    cand = spans.iloc[authorial][["doc_id", "sent_id", "start", "end"]].assign(i=authorial)
    pairs = cand.merge(indirect.rename(columns={"start": "cs", "end": "ce"}), on=["doc_id", "sent_id"])
    after = pairs["start"].to_numpy() >= pairs["ce"].to_numpy()
    before = pairs["end"].to_numpy() <= pairs["cs"].to_numpy()
    # a clause closing its sentence after a comma: only punctuation after it, a comma (or quote) before it
    pairs = pairs.merge(sentences[["doc_id", "sent_id", "end"]].rename(columns={"end": "se"}), on=["doc_id", "sent_id"])
    tail = [texts[d][ce:se] for d, ce, se in zip(pairs["doc_id"], pairs["ce"], pairs["se"], strict=True)]
    lead = [texts[d][max(cs - 2, 0):cs] for d, cs in zip(pairs["doc_id"], pairs["cs"], strict=True)]
    closing = np.asarray([not t.strip(" \t\n.!?\"”’')") and any(c in ",\"”" for c in ld)
                          for t, ld in zip(tail, lead, strict=True)], dtype=bool)
    # a clause of a speaker's own conduct ("The police denied that officers were to blame") reports no blame of
    # that speaker: the frame rule reads its speaker as a locus
    verb = [texts[d][cs:ce].rstrip(" :").removesuffix("that").split()[-1:] for d, cs, ce in
            zip(pairs["doc_id"], pairs["cs"], pairs["ce"], strict=True)]
    own_conduct = np.asarray([bool(v) and v[0].lower() in OWN_CONDUCT_VERBS for v in verb], dtype=bool)
    keep = np.where(pairs["rule"].to_numpy() == "clause", after | (before & closing), after | before) & ~own_conduct
    pairs = pairs[keep]
    if pairs.empty:
        return out, reported
    # the nearest clause: "Ed Balls said the council failed, while Michael Gove said ministers were to blame"
    distance = np.where(pairs["start"].to_numpy() >= pairs["ce"].to_numpy(), pairs["start"] - pairs["ce"],
                        pairs["cs"] - pairs["end"])
    first = pairs.assign(distance=distance).sort_values(["i", "distance", "cs"], kind="stable").drop_duplicates("i")
    speaker = first["speaker"].astype(str).str.strip()
    speaker = speaker.where(~speaker.str.lower().isin(_PRONOUN_SPEAKER) & (speaker != ""), UNATTRIBUTED)
    speaker = speaker.where(~speaker.str.lower().isin(_FIRST_PERSON), AUTHOR)
    out[first["i"].to_numpy()] = speaker.to_numpy(dtype=object)
    reported[first["i"].to_numpy()] = True
    return out, reported


def labelled_voices(voice: np.ndarray, spans: pd.DataFrame, clauses: pd.DataFrame,
                    sentences: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Give the author's spans in a labelled speech the label's speaker: ``(voice, labelled)``.

    A span of ``voice`` ``author`` (``spans``: doc_id, sent_id, start, end, in the order of ``voice``) after a
    speaker label (:func:`reporting_clauses` rows of rule ``label``: ``Mr Smith (Con):``) takes the speaker of
    the nearest such label before it, as a quotation's content takes its speaker: in a transcript (a document with
    two labels or more) up to the next label, over paragraphs; after a lone label in its paragraph only
    (``sentences``: para_id). ``labelled`` flags those spans.
    """
    out = np.asarray(voice, dtype=object).copy()
    labelled = np.zeros(len(out), dtype=bool)
    labels = clauses[clauses["rule"] == "label"]
    authorial = np.flatnonzero(out == AUTHOR)
    if labels.empty or len(authorial) == 0:
        return out, labelled
    para = sentences[["doc_id", "sent_id", "para_id"]]
    lab = labels.merge(para, on=["doc_id", "sent_id"])[["doc_id", "para_id", "end", "speaker"]]
    cand = spans.iloc[authorial][["doc_id", "sent_id", "start"]].assign(i=authorial).merge(para, on=["doc_id",
                                                                                                  "sent_id"])
    pairs = cand.merge(lab.rename(columns={"end": "label_end", "para_id": "label_para"}), on="doc_id")
    # a transcript (a document with two labels or more) gives each speech to its label up to the next one, over
    # paragraphs, as Hansard prints a speech; a lone label (a quoted exchange in a blog) its own paragraph only
    transcript = pairs["doc_id"].map(lab.groupby("doc_id").size()).to_numpy() >= 2
    same_para = pairs["para_id"].to_numpy() == pairs["label_para"].to_numpy()
    pairs = pairs[(pairs["start"].to_numpy() >= pairs["label_end"].to_numpy()) & (transcript | same_para)]
    if pairs.empty:
        return out, labelled
    nearest = pairs.sort_values(["i", "label_end"], ascending=[True, False], kind="stable").drop_duplicates("i")
    out[nearest["i"].to_numpy()] = nearest["speaker"].astype(str).to_numpy(dtype=object)
    labelled[nearest["i"].to_numpy()] = True
    return out, labelled


def speech_voices(voice: np.ndarray, spans: pd.DataFrame, clauses: pd.DataFrame, sentences: pd.DataFrame,
                  texts: dict[Any, str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Voices of spans outside quotations: reported speech, then labelled speech: ``(voice, reported, labelled)``.

    :func:`reported_voices` first ("Ed Balls said the council failed" is Ed Balls's, "I said ..." the author's),
    then :func:`labelled_voices` for what is still the author's ("Mr Smith (Con): I said that ..." is Mr Smith's,
    not reported: his own speech). ``voice`` as from :func:`voices`.
    """
    out, reported = reported_voices(voice, spans, clauses, sentences, texts)
    out, labelled = labelled_voices(out, spans, clauses, sentences)
    return out, reported & ~labelled, labelled


def near_pairs(off: Offsets, actors: pd.DataFrame, anchors: pd.DataFrame, window: int,
               sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pairs (actor mention, anchor) of the same sentence that are in one clause within ``window`` words.

    Parameters
    ----------
    off : Offsets
        The corpus's texts and global offsets.
    actors : DataFrame
        doc_id, sent_id, start, end, actor, gs, ge (global offsets).
    anchors : DataFrame
        doc_id, sent_id, blamer, gs, ge (cue and frame hits).
    window : int
        Largest number of words between the two spans (0: adjacent or overlapping).
    sentences : DataFrame, optional
        The sentences table (doc_id, sent_id, start, end): words are then counted in the pairs' sentences only
        (the same counts: both spans of a pair lie in one sentence), not in the whole documents.

    Returns
    -------
    pandas.DataFrame
        The merged rows that satisfy the rule (anchor offsets suffixed ``_anchor``).
    """
    pairs = actors.merge(anchors, on=["doc_id", "sent_id"], suffixes=("", "_anchor"))
    if pairs.empty:
        return pairs
    docs = pairs["doc_id"].unique()
    if sentences is None:
        words = off.positions(docs, _WORD_RE)
    else:
        keys = pairs[["doc_id", "sent_id"]].drop_duplicates()
        words = off.positions_in(sentences[["doc_id", "sent_id", "start", "end"]].merge(keys), _WORD_RE)
    bounds = off.positions(docs, _HARD_BOUNDARY_RE)
    a0, a1 = pairs["gs"].to_numpy(np.int64), pairs["ge"].to_numpy(np.int64)
    c0, c1 = pairs["gs_anchor"].to_numpy(np.int64), pairs["ge_anchor"].to_numpy(np.int64)

    def word(pos: np.ndarray) -> np.ndarray:
        return np.searchsorted(words, pos, side="right") - 1

    gap = np.maximum(0, np.maximum(word(c0) - word(a1 - 1), word(a0) - word(c1 - 1)) - 1)
    lo, hi = np.minimum(a0, c0), np.maximum(a1, c1)
    same_clause = np.searchsorted(bounds, lo, side="right") == np.searchsorted(bounds, hi - 1, side="right")
    same_clause &= _same_bracket_level(off, docs, lo, hi)
    overlap = (a0 < c1) & (c0 < a1)
    return pairs[(same_clause & (gap <= window)) | overlap]


def _same_bracket_level(off: Offsets, docs: Iterable[Any], lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Return True where the brackets between ``lo`` and ``hi - 1`` (global offsets) are asides only.

    That is, no bracket between them, or brackets that close all they open and never close one opened before
    ``lo``: the bracket depth (opening brackets minus closing ones) at ``hi`` equals that at ``lo`` and never
    drops below it in between (a running minimum by :func:`numpy.minimum.reduceat`, no loop over pairs).
    """
    opens, closes = off.positions(docs, _OPEN_RE), off.positions(docs, _CLOSE_RE)
    pos = np.concatenate((opens, closes))
    order = np.argsort(pos, kind="stable")
    pos = pos[order]
    depth = np.cumsum(np.concatenate((np.ones(len(opens), np.int64), -np.ones(len(closes), np.int64)))[order])
    i = np.searchsorted(pos, lo, side="right")
    k = np.searchsorted(pos, hi - 1, side="right")
    between = k > i
    if not between.any():
        return np.ones(len(lo), dtype=bool)
    padded = np.concatenate((depth, [np.iinfo(np.int64).max]))  # reduceat's index len(depth) is valid
    before = np.where(i > 0, padded[np.maximum(i - 1, 0)], 0)
    lowest = np.minimum.reduceat(padded, np.column_stack((i, k)).ravel())[::2]
    same: np.ndarray = ~between | ((padded[np.maximum(k - 1, 0)] == before) & (lowest >= before))
    return same
