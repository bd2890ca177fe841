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

from framing.attribution._base import SPEECH_VERBS
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
from framing.attribution._targets import overlaps
from framing.names import UPPER
from framing.rowscan import fast_pattern, scan_fast, scan_runs
from framing.types import ProcessedCorpusLike

__all__ = ["CLAUSE_COLUMNS", "clause_mask", "reporting_clauses"]

CLAUSE_COLUMNS: tuple[str, ...] = ("doc_id", "sent_id", "start", "end", "speaker", "rule")
"""Columns of :func:`reporting_clauses`."""

_CLAUSE_RE = re.compile(
    rf"(?<![\w\-]){_SPEAKER}{_APPOS}?\s+{_ADV}{{0,2}}(?P<verb>{_VERB})\b(?P<tail>\s*:|\s+that\b)?"
)
_CLAUSE_ANY_RE = re.compile(rf"(?<![\w\-]){_NAMED_SPEAKER}{_APPOS}?\s+{_ADV}{{0,2}}(?P<verb>{_ANY_VERB})(?P<tail>\s*:)")
# the same patterns behind re's quick scan for their first character (framing.rowscan.fast_pattern): a speaker
# opens with a capital (a name or title) or with a pronoun or determiner (he, she, they, the, a, an, its, his, her,
# their, one, this, that); "according to" with a or A. scan_fast keeps the matches finditer gives.
# (a capital: of the Latin script, framing.names.UPPER, as a name may open with Ł or Ó)
_CLAUSE_FAST = fast_pattern(_CLAUSE_RE, f"[{UPPER[1:-1]}hstaio]")
_CLAUSE_ANY_FAST = fast_pattern(_CLAUSE_ANY_RE, f"[{UPPER[1:-1]}hst]")
_ACCORDING_FAST = fast_pattern(_ACCORDING_RE, "[Aa]")


def _masked(text: str, cs: np.ndarray, ce: np.ndarray) -> str:
    """``text`` with the non-space characters of quoted content (spans ``cs``..``ce``, sorted) replaced by ``x``."""
    pieces, pos = [], 0
    for a, b in zip(cs.tolist(), ce.tolist(), strict=True):
        a = max(a, pos)
        if b <= a:
            continue
        pieces += [text[pos:a], _NON_SPACE_RE.sub("x", text[a:b])]
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


def _label_speaker(label: str) -> str:
    """Return the speaker a transcript's label names.

    ``Mr Smith (Con)`` -> ``Mr Smith``; an office with the holder's name in brackets, ``The Secretary of State (Ed
    Balls)`` -> ``Ed Balls``; ``The Prime Minister`` as it stands.
    """
    head, _, rest = label.partition("(")
    head = head.strip()
    if rest and head.startswith("The "):
        name = rest.partition(")")[0].strip()
        return name or head
    return head


def _labels(masked: str) -> list[tuple[int, int, str, str]]:
    """Return the speaker labels that open a line outside quotations (``Mr Smith (Con):``, ``The Prime Minister:``).

    The frame rule's pattern (:data:`framing._framerules_patterns._LABEL`, one definition for both instruments);
    imported here, not at module level, because that module imports this package's constants.
    """
    from framing._framerules_patterns import _LABEL

    return [(m.start(), m.end(), _label_speaker(m.group("c")), "label") for m in _LABEL.finditer(masked)
            if _SPEAKER_LABEL.match(m.group("c"))]


_SPEAKER_LABEL = re.compile(
    r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Baroness|Madam|Professor|Prof)\b\.?"  # a person by honorific
    rf"|[^(]*\({UPPER}"  # a name or office with a bracket: Mr Smith (Con), The Secretary of State (Ed Balls)
    r"|The\s+(?:[A-Z][\w'’-]+\s+){0,4}(?:Minister|Secretary|Speaker|Chancellor|Leader|Member|General|Chairman|"
    r"Chair|President|Deputy)\b")  # an office
"""What a speaker label for ``framing blame`` looks like: a person by honorific, a name or office with a bracket, or
an office; not the headings that also end in a colon at a line's start (``Update:``, ``Analysis:``,
``Replacements:``), which the frame rule's pattern also takes (as voice, harmlessly there)."""


_CUT_RE = re.compile("[;:\"\u201c\u201d]")
"""Characters that no match of ``_CLAUSE_RE`` or ``_CLAUSE_ANY_RE`` holds, but for a colon ending it: no match crosses
one, so a search that starts just after one finds there what ``finditer`` finds from the text's start."""


_Runs = tuple[list[int], list[int], list[int], list[int], list[int]]


def _runs(masked: str, starts: np.ndarray, ends: np.ndarray) -> _Runs:
    """Return the runs of ``masked`` between cuts (:data:`_CUT_RE`) that overlap the spans ``starts``..``ends``.

    As (run starts, stops, limits, colon starts, colon limits): each run starts just after a cut (or at 0) and ends
    (its limit) just after one (or at the text's end); adjacent runs are merged; its stop is the end of the last
    span in it (a clause that starts later overlaps none). Every clause that starts in or overlaps a span starts in
    a run before its stop and ends before its limit. The colon runs are the pieces between two cuts, overlapping a
    span, that end with a colon: the only places of a clause that must end with one (``_CLAUSE_ANY_RE``).
    """
    cuts = np.fromiter((m.end() for m in _CUT_RE.finditer(masked)), dtype=np.int64)
    bounds = np.concatenate(([0], cuts, [len(masked)]))
    first = np.searchsorted(bounds, starts, side="right") - 1
    last = np.searchsorted(bounds, np.maximum(ends - 1, starts), side="right") - 1
    cover = np.zeros(len(bounds) + 1, dtype=np.int64)
    np.add.at(cover, first, 1)
    np.add.at(cover, last + 1, -1)
    inside = np.cumsum(cover)[:len(bounds) - 1] > 0  # segment k = bounds[k]..bounds[k + 1]
    edge = np.diff(np.concatenate(([0], inside.astype(np.int8), [0])))
    run_start, run_limit = bounds[np.flatnonzero(edge == 1)], bounds[np.flatnonzero(edge == -1)]
    stop = run_start.copy()
    np.maximum.at(stop, np.searchsorted(run_start, starts, side="right") - 1, ends)
    colon = inside & (np.frombuffer(masked.encode("utf-32-le"), dtype=np.uint32)[np.maximum(bounds[1:] - 1, 0)]
                      == ord(":")) if len(masked) else inside
    k = np.flatnonzero(colon)
    return (run_start.tolist(), np.minimum(stop, run_limit).tolist(), run_limit.tolist(), bounds[k].tolist(),
            bounds[k + 1].tolist())


def _indirect(masked: str, runs: _Runs | None = None) -> list[tuple[int, int, str, str]]:
    """Return the reporting clauses outside quotations and the speaker labels: (start, end, speaker, rule).

    With ``runs`` (:func:`_runs`), the ``clause`` kind only inside them (the same clauses there).
    """
    out = _labels(masked)
    if runs is None:
        matches = [*scan_fast(_CLAUSE_FAST, masked), *scan_fast(_CLAUSE_ANY_FAST, masked)]
    else:
        a, b, z, ca, cz = runs
        matches = [*scan_runs(_CLAUSE_FAST, masked, a, b, z), *scan_runs(_CLAUSE_ANY_FAST, masked, ca, cz, cz)]
    for m in matches:
        verb, tail = m.group("verb").lower(), (m.group("tail") or "").strip()
        if not (tail or verb in SPEECH_VERBS):
            continue
        cleaned = _clean_speaker(m.group("speaker"), m.start("speaker"))
        if cleaned is None:
            continue
        end = m.end("tail") if tail in (":", "that") else m.end("verb")
        out.append((cleaned[1], end, cleaned[0], "clause"))
    for m in scan_fast(_ACCORDING_FAST, masked):
        cleaned = _clean_speaker(m.group("speaker"), m.start("speaker"))
        if cleaned is not None:
            out.append((m.start("_all"), m.end("speaker"), cleaned[0], "according"))
    return out


def reporting_clauses(corpus: ProcessedCorpusLike, quotes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the reporting clauses of every sentence: spans that give a voice, not a locus of blame.

    Four kinds (``rule``):

    * ``quotation``: the clause that attributed a quotation (see :func:`find_quotations`): speaker, apposition,
      verb and, before a quotation, a colon (``Jane Collins, chief executive of ..., said:``); after a
      quotation, from its closing mark to the end of the clause (``", said Balls.``, ``", he told MPs.``);
    * ``according``: ``according to X`` anywhere;
    * ``clause``: a reporting clause outside quotation marks: a speaker (name, title + name, pronoun or
      determiner phrase) followed by a verb of speech (:data:`SPEECH_VERBS`; ``Ed Balls said Haringey
      failed``), by another listed reporting verb (:data:`REPORTING_VERBS`) followed by ``that`` or ``:``
      (``the council admitted that``, but ``the council admitted failures`` and ``the leader announced
      his resignation`` keep their subject as a locus), or -- for a name or pronoun -- by any verb-like
      word followed by a colon (``Balls thundered:``). Text inside quotations is masked first;
    * ``label``: a transcript's speaker label opening a line (Hansard: ``Mr Smith (Con):``, ``The Prime Minister:``,
      ``Mr Speaker:``; the frame rule's pattern); its speaker (``Mr Smith``; for an office with the holder's name in
      brackets, ``The Secretary of State (Ed Balls):``, the name) speaks the rest of the paragraph.

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
    return _reporting_clauses(corpus, quotes)


def _reporting_clauses(corpus: ProcessedCorpusLike, quotes: pd.DataFrame | None = None,
                       within: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the rows of :func:`reporting_clauses`, those of rule ``clause`` only near ``within``.

    ``within`` (doc_id, start, end: spans such as the blame sentences), when given, limits the search for the
    ``clause`` kind to the runs between cuts that overlap a span (:func:`_runs`): every clause that starts in or
    overlaps a span is found, the same as without it; documents without a span get none.
    """
    if quotes is None:
        quotes = corpus_quotations(corpus)
    # ``quotes`` may cover more documents than ``corpus`` (blame_attribution passes the whole corpus's quotations
    # with the documents that can have a target): a clause is sought only in this corpus's documents, whose
    # sentences place it (another document's quotation has no sentence here and no document code)
    mine = quotes["doc_id"].isin(corpus.documents["doc_id"])
    top = quotes[(quotes["depth"] == 0) & mine].sort_values(["doc_id", "content_start"], kind="stable")
    # the clauses that attributed quotations, all documents at once (after a quotation: from its end)
    attributed = top[(top["speaker_start"] >= 0) & ~top["rule"].astype(str).str.startswith("according")]
    after = attributed["rule"].astype(str).str.startswith("after").to_numpy()
    primary = pd.DataFrame({
        "doc_id": attributed["doc_id"].to_numpy(),
        "start": np.where(after, attributed["end"].to_numpy(np.int64), attributed["speaker_start"].to_numpy(np.int64)),
        "end": np.maximum(attributed["speaker_end"].to_numpy(np.int64), attributed["clause_end"].to_numpy(np.int64)),
        "speaker": [str(sp) if isinstance(sp, str) and sp else "" for sp in attributed["speaker"]],
        "rule": "quotation",
    })
    q_idx = top.groupby("doc_id", sort=False).indices
    qs, qe = top["content_start"].to_numpy(np.int64), top["content_end"].to_numpy(np.int64)
    p_idx = primary.groupby("doc_id", sort=False).indices
    ps_all, pe_all = primary["start"].to_numpy(np.int64), primary["end"].to_numpy(np.int64)
    extra: list[tuple[Any, int, int, str, str]] = []
    empty = np.zeros(0, dtype=np.int64)
    spans = None if within is None else (within.groupby("doc_id", sort=False).indices,
                                         within["start"].to_numpy(np.int64), within["end"].to_numpy(np.int64))
    for doc_id, text in zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True):
        wi = None if spans is None else spans[0].get(doc_id)
        if spans is not None and wi is None:
            continue
        qi = q_idx.get(doc_id, empty)
        pi = p_idx.get(doc_id, empty)
        ps, pe = ps_all[pi], pe_all[pi]
        masked = _masked(str(text), qs[qi], qe[qi])
        runs = None if spans is None or wi is None else _runs(masked, spans[1][wi], spans[2][wi])
        for c0, c1, sp, rule in _indirect(masked, runs):
            if not np.any((ps < c1) & (pe > c0)):
                extra.append((doc_id, c0, c1, sp, rule))
    spans = pd.concat([primary, pd.DataFrame(extra, columns=["doc_id", "start", "end", "speaker", "rule"])],
                      ignore_index=True)
    # the sentence holding each clause's start: one searchsorted over (document, offset) keys
    sents = corpus.sentences
    doc_code = {d: i for i, d in enumerate(dict.fromkeys(corpus.documents["doc_id"]))}
    big = np.int64(1) << 40
    skey = sents["doc_id"].map(doc_code).to_numpy(np.int64) * big + sents["start"].to_numpy(np.int64)
    order = np.argsort(skey, kind="stable")
    skey, s_end = skey[order], sents["doc_id"].map(doc_code).to_numpy(np.int64)[order] * big + sents[
        "end"].to_numpy(np.int64)[order]
    s_id = sents["sent_id"].to_numpy(np.int64)[order]
    ckey = spans["doc_id"].map(doc_code).to_numpy(np.int64) * big + spans["start"].to_numpy(np.int64)
    j = np.searchsorted(skey, ckey, side="right") - 1
    ok = (j >= 0) & (ckey < s_end[np.clip(j, 0, None)]) if len(skey) else np.zeros(len(ckey), dtype=bool)
    out = spans[ok].assign(sent_id=s_id[j[ok]] if len(skey) else empty)[list(CLAUSE_COLUMNS)]
    out = out.drop_duplicates(["doc_id", "start", "end"])
    for c in ("sent_id", "start", "end"):
        out[c] = out[c].astype(np.int64)
    for c in ("doc_id", "speaker", "rule"):
        out[c] = out[c].astype(object)
    return out.sort_values(["doc_id", "start", "end"], kind="stable").reset_index(drop=True)


def clause_mask(starts: np.ndarray, ends: np.ndarray, clauses: pd.DataFrame) -> np.ndarray:
    """Return True for each span (``starts``, ``ends``) that overlaps one of ``clauses`` (rows with start, end).

    Use it per document, e.g. to leave hits inside reporting clauses out of frame loci:
    ``hits[~clause_mask(hits.start, hits.end, clauses[clauses.doc_id == d])]``. Sorted interval lookups
    (:func:`numpy.searchsorted`), no pairwise comparison.
    """
    return overlaps(starts, ends, clauses["start"].to_numpy(dtype=np.int64), clauses["end"].to_numpy(dtype=np.int64))
