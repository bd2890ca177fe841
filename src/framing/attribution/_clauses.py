"""Reporting clauses: the spans of text that give a voice (``Ed Balls said:``, ``according to X``).

A speaker named only in a reporting clause is the voice of the sentence, not a locus of blame, so the
clause's span is left out of blame targets (:func:`framing.attribution.blame_attribution`) and can be left
out of frame loci (:func:`reporting_clauses` is the function the frame rule calls).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from framing.attribution._base import SPEECH_VERBS, _by_doc, _empty_like
from framing.attribution._quotes import corpus_quotations
from framing.attribution._speakers import (
    _ACCORDING_RE,
    _ADV,
    _ANY_VERB,
    _APPOS,
    _NAMED_SPEAKER,
    _NON_SPACE_RE,
    _SPEAKER,
    _VERB,
    _clean_speaker,
)

__all__ = ["CLAUSE_COLUMNS", "reporting_clauses"]

CLAUSE_COLUMNS: tuple[str, ...] = ("doc_id", "sent_id", "start", "end", "speaker", "rule")
"""Columns of :func:`reporting_clauses`."""

_CLAUSE_RE = re.compile(
    rf"(?<![\w\-]){_SPEAKER}{_APPOS}?\s+{_ADV}{{0,2}}(?P<verb>{_VERB})\b(?P<tail>\s*:|\s+that\b)?"
)
_CLAUSE_ANY_RE = re.compile(rf"(?<![\w\-]){_NAMED_SPEAKER}{_APPOS}?\s+{_ADV}{{0,2}}(?P<verb>{_ANY_VERB})(?P<tail>\s*:)")


def _masked(text: str, q: pd.DataFrame) -> str:
    """``text`` with the non-space characters of top-level quoted content replaced by ``x``."""
    top = q[q["depth"] == 0].sort_values("content_start", kind="stable")
    pieces, pos = [], 0
    for a, b in zip(top["content_start"].astype(int), top["content_end"].astype(int), strict=True):
        a = max(a, pos)
        if b <= a:
            continue
        pieces += [text[pos:a], _NON_SPACE_RE.sub("x", text[a:b])]
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


def _indirect(masked: str) -> list[tuple[int, int, str, str]]:
    """Reporting clauses outside quotations: (start, end, speaker, rule)."""
    out = []
    matches = [*_CLAUSE_RE.finditer(masked), *_CLAUSE_ANY_RE.finditer(masked)]
    for m in matches:
        verb, tail = m.group("verb").lower(), (m.group("tail") or "").strip()
        if not (tail or verb in SPEECH_VERBS):
            continue
        cleaned = _clean_speaker(m.group("speaker"), m.start("speaker"))
        if cleaned is None:
            continue
        end = m.end("tail") if tail in (":", "that") else m.end("verb")
        out.append((cleaned[1], end, cleaned[0], "clause"))
    for m in _ACCORDING_RE.finditer(masked):
        cleaned = _clean_speaker(m.group("speaker"), m.start("speaker"))
        if cleaned is not None:
            out.append((m.start(), m.end("speaker"), cleaned[0], "according"))
    return out


def _from_quotes(q: pd.DataFrame) -> list[tuple[int, int, str, str]]:
    """The reporting clauses that attributed the quotations (after a quotation: from its end)."""
    top = q[(q["depth"] == 0) & (q["speaker_start"] >= 0) & ~q["rule"].astype(str).str.startswith("according")]
    out = []
    for end_q, s0, s1, c1, sp, rule in zip(top["end"], top["speaker_start"], top["speaker_end"], top["clause_end"],
                                           top["speaker"], top["rule"], strict=True):
        start = int(end_q) if str(rule).startswith("after") else int(s0)
        speaker = str(sp) if isinstance(sp, str) and sp else ""
        out.append((start, max(int(s1), int(c1)), speaker, "quotation"))
    return out


def reporting_clauses(corpus: Any, quotes: pd.DataFrame | None = None) -> pd.DataFrame:
    """The reporting clauses of every sentence: spans that give a voice, not a locus of blame.

    Three kinds (``rule``):

    * ``quotation``: the clause that attributed a quotation (see :func:`find_quotations`): speaker, apposition,
      verb and, before a quotation, a colon (``Jane Collins, chief executive of ..., said:``); after a
      quotation, from its closing mark to the end of the clause (``", said Balls.``, ``", he told MPs.``);
    * ``according``: ``according to X`` anywhere;
    * ``clause``: a reporting clause outside quotation marks: a speaker (name, title + name, pronoun or
      determiner phrase) followed by a verb of speech (:data:`SPEECH_VERBS`; ``Ed Balls said Haringey
      failed``), by another listed reporting verb (:data:`REPORTING_VERBS`) followed by ``that`` or ``:``
      (``the council admitted that``, but ``the council admitted failures`` and ``the leader announced
      his resignation`` keep their subject as a locus), or -- for a name or pronoun -- by any verb-like
      word followed by a colon (``Balls thundered:``). Text inside quotations is masked first.

    Parameters
    ----------
    corpus : ProcessedCorpus
        Needs ``documents`` (doc_id, text), ``sentences`` (doc_id, sent_id, start, end) and ``paragraphs``
        (for the quotations).
    quotes : DataFrame, optional
        From :func:`corpus_quotations` (computed when omitted).

    Returns
    -------
    pandas.DataFrame
        doc_id, sent_id (the sentence holding the clause's start), start, end (raw offsets of the clause,
        speaker included), speaker (resolved speaker for quotations, else the words naming it), rule.
        Clauses outside any content sentence are dropped; an indirect clause overlapping a quotation's
        clause is dropped in its favour. Sorted by doc_id, start.
    """
    if quotes is None:
        quotes = corpus_quotations(corpus)
    quotes_by, empty_q = _by_doc(quotes), _empty_like(quotes)
    sents_by = _by_doc(corpus.sentences)
    frames = []
    for doc_id, text in zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True):
        s = sents_by.get(doc_id)
        if s is None or s.empty:
            continue
        q = quotes_by.get(doc_id, empty_q)
        primary = _from_quotes(q)
        extra = _indirect(_masked(str(text), q))
        ps = np.array([a for a, _, _, _ in primary], dtype=np.int64)
        pe = np.array([b for _, b, _, _ in primary], dtype=np.int64)
        keep = [c for c in extra if not np.any((ps < c[1]) & (pe > c[0]))]
        spans = primary + keep
        if not spans:
            continue
        df = pd.DataFrame(spans, columns=["start", "end", "speaker", "rule"])
        s = s.sort_values("start", kind="stable")
        st, en = s["start"].to_numpy(dtype=np.int64), s["end"].to_numpy(dtype=np.int64)
        j = np.searchsorted(st, df["start"].to_numpy(dtype=np.int64), side="right") - 1
        ok = (j >= 0) & (df["start"].to_numpy() < en[np.clip(j, 0, None)])
        df = df[ok].assign(doc_id=doc_id, sent_id=s["sent_id"].to_numpy()[j[ok]])
        frames.append(df)
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object if c in ("doc_id", "speaker", "rule") else np.int64)
                             for c in CLAUSE_COLUMNS})
    out = pd.concat(frames, ignore_index=True)[list(CLAUSE_COLUMNS)].drop_duplicates(["doc_id", "start", "end"])
    for c in ("sent_id", "start", "end"):
        out[c] = out[c].astype(np.int64)
    return out.sort_values(["doc_id", "start", "end"], kind="stable").reset_index(drop=True)


def clause_mask(starts: np.ndarray, ends: np.ndarray, clauses: pd.DataFrame) -> np.ndarray:
    """True for each span (``starts``, ``ends``) that overlaps one of ``clauses`` (one document's rows)."""
    if len(clauses) == 0 or len(starts) == 0:
        return np.zeros(len(starts), dtype=bool)
    cs = clauses["start"].to_numpy(dtype=np.int64)[None, :]
    ce = clauses["end"].to_numpy(dtype=np.int64)[None, :]
    return np.asarray(((np.asarray(starts)[:, None] < ce) & (np.asarray(ends)[:, None] > cs)).any(axis=1))
