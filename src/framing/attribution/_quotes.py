"""Quotations: the quotation-mark scan, the quotation table and voice per sentence."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from framing.attribution._base import (
    QUOTE_COLUMNS,
    UNATTRIBUTED,
    Quotation,
    UnclosedQuotationWarning,
    _by_doc,
    _empty_like,
)
from framing.attribution._speakers import _attribute_speakers
from framing.types import ProcessedCorpusLike, Span, require_tables

_ALNUM = re.compile(r"[^\W_]")
_OPENING_CONTEXT = "\\s(\\[{\u2014\u2013/"
"""Characters after which a straight ``"`` followed by a non-space opens a quotation (as does the paragraph start)."""

_MARK_RE = re.compile(
    "(?=[\"'\u2018\u2019\u201c\u201d])"  # fails fast where there is no mark
    "(?:(?P<open>\u201c|(?<![^" + _OPENING_CONTEXT + "])\"(?=\\S))"
    "|(?P<close>\u201d|(?<=\\S)\"(?![^\\W_]))"
    "|(?P<either>\")"
    "|(?P<single>(?<![^\\W_])['\u2018\u2019]|['\u2018\u2019](?![^\\W_])))"
)
"""The quotation marks that matter, classified by typographic convention in one compiled pass.

``open``: ``“``, or ``"`` after a space, the paragraph start or an opening bracket/dash and before a non-space;
``close``: ``”``, or ``"`` after a non-space and not before a letter or digit; ``either``: any other ``"``
(between two spaces or two non-spaces), which closes an open double quotation and opens one otherwise;
``single``: ``‘ ’ '`` except between two letters or digits (an apostrophe: *don't*, *Ball’s*)."""

_SENTENCE_END_RE = re.compile("[.!?\u2026][\"'\u2019\u201d)]*\\s*$")
"""The text before an opening mark ends a sentence: the open quotation runs on (a multi-paragraph quotation
whose paragraphs were run together, as in BBC texts: ``...what happened. "That must be ...``)."""

_EXCERPT = 30
"""Characters shown on each side of a quotation mark in warnings."""


def _is_alnum(ch: str) -> bool:
    return bool(ch) and bool(_ALNUM.match(ch))


def _excerpt(text: str, pos: int) -> str:
    """Return the text of its line around the mark at ``pos``, the mark bracketed (``...happened. ["]That must...``)."""
    lo = max(pos - _EXCERPT, text.rfind("\n", 0, pos) + 1)
    nl = text.find("\n", pos)
    hi = min(pos + 1 + _EXCERPT, len(text) if nl < 0 else nl)
    return f"...{text[lo:pos].lstrip()}[{text[pos]}]{text[pos + 1:hi].rstrip()}..."


def _trim_end(text: str, start: int, end: int) -> int:
    """``end`` moved back over trailing whitespace (not before ``start``)."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _scan_paragraph(text: str, ps: int, pe: int) -> tuple[list[Quotation], list[Quotation]]:
    """Scan one paragraph; return (quotations, double quotations that never close).

    The second list holds double quotations left open at the paragraph's end (closed there) and those cut
    short by a new opening mark that does not follow a sentence end (closed before it); a quotation that a
    new opening mark follows at a sentence end runs on in the next one (``continued``) and is in the first.
    The scan starts afresh in every paragraph, and a mark's role comes from its neighbours, so a stray mark
    cannot flip the reading of the marks after it.
    """
    stack: list[tuple[str, int]] = []  # (kind, position of the opening mark)
    found: list[Quotation] = []
    unclosed: list[Quotation] = []
    for m in _MARK_RE.finditer(text, ps, pe):
        p, role = m.start(), m.lastgroup
        if role != "single":
            d = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == "double"), -1)
            if role == "either":
                role = "close" if d >= 0 else "open"
            if role == "open":
                if d >= 0:  # doubles do not nest in doubles: the open one ends before this mark
                    o = stack[d][1]
                    end = _trim_end(text, o + 1, p)
                    runs_on = bool(_SENTENCE_END_RE.search(text, max(o + 1, p - 12), p))
                    q = Quotation(o, end, o + 1, end, "double", closed=False, continued=runs_on)
                    (found if runs_on else unclosed).append(q)
                    del stack[d:]
                stack.append(("double", p))
            elif d >= 0:  # close the innermost double; single "openers" inside it were apostrophes
                o = stack[d][1]
                del stack[d:]
                found.append(Quotation(o, p + 1, o + 1, p, "double"))
            # else: a closing mark with nothing open (a stray): ignored
            continue
        # single quotation marks and apostrophes (not between two letters or digits: the pattern skips those)
        ch = text[p]
        prev = text[p - 1] if p > ps else ""
        nxt = text[p + 1] if p + 1 < pe else ""
        single_open = any(k == "single" for k, _ in stack)
        may_open = ch == "\u2018" or (ch == "'" and not _is_alnum(prev) and nxt and not nxt.isspace())
        if may_open and not (ch == "'" and single_open and not _is_alnum(nxt)):
            stack.append(("single", p))  # (a straight mark after punctuation closes an open single quotation)
            continue
        if single_open and not _is_alnum(nxt):
            while stack and stack[-1][0] != "single":
                stack.pop()
            _, o = stack.pop()
            found.append(Quotation(o, p + 1, o + 1, p, "single"))
        # otherwise: an apostrophe (inspectors’ report, ’90s)
    end = _trim_end(text, ps, pe)
    for kind, o in stack:
        if kind == "double":
            unclosed.append(Quotation(o, max(end, o + 1), o + 1, max(end, o + 1), "double", closed=False))
    return found, unclosed


def _assign_nesting(quotes: list[Quotation]) -> None:
    """Set ``depth`` and ``parent`` (index of the innermost enclosing quotation) by containment."""
    quotes.sort(key=lambda q: (q.start, -q.end))
    open_idx: list[int] = []
    for i, q in enumerate(quotes):
        while open_idx and quotes[open_idx[-1]].end <= q.start:
            open_idx.pop()
        q.depth = len(open_idx)
        q.parent = open_idx[-1] if open_idx else -1
        open_idx.append(i)


def _default_paragraphs(text: str) -> list[Span]:
    from framing.segment import split_paragraphs

    return split_paragraphs(text)


def find_quotations(
    text: str,
    *,
    doc_id: str = "",
    paragraphs: Sequence[Span] | None = None,
    attribute: bool = True,
) -> pd.DataFrame:
    """Find the quotations of one document and, when ``attribute``, their speakers.

    Parameters
    ----------
    text : str
        The raw document text.
    doc_id : str
        Written to the ``doc_id`` column and named in warnings.
    paragraphs : sequence of (start, end), optional
        Paragraph spans into ``text`` (the corpus's ``paragraphs`` table); default
        :func:`framing.segment.split_paragraphs`. Quotations are scanned within paragraphs.
    attribute : bool
        Find speakers (see the module docstring). With ``False`` the speaker columns stay empty.

    Returns
    -------
    pandas.DataFrame
        One row per quotation, columns :data:`QUOTE_COLUMNS`: ``start``/``end`` include the marks,
        ``content_start``/``content_end`` exclude them; ``kind`` is ``double`` or ``single``; ``depth`` 0
        for top-level quotations, ``parent`` the ``quote_id`` of the enclosing one (-1 if none);
        ``closed`` False for a quotation without a closing mark (ended at its paragraph's end or before
        the next opening mark), ``continued`` True when the next quotation continues it (a multi-paragraph
        quotation, also one whose paragraphs were run together); ``speaker`` the resolved speaker (None if
        unattributed), ``speaker_mention`` and its offsets the words that name it, ``verb`` the
        reporting verb, ``rule`` which rule attributed it.

    Warns
    -----
    UnclosedQuotationWarning
        For each double quotation that never closes (except the multi-paragraph convention), naming the
        document, the offset, line and column of its opening mark, and the text around it.
    """
    paras = sorted(paragraphs) if paragraphs is not None else _default_paragraphs(text)
    return _quote_frame(_quotation_rows(text, doc_id, paras, attribute))


def _quotation_rows(text: str, doc_id: str, paras: Sequence[Span], attribute: bool) -> list[dict[str, Any]]:
    """Return the rows of :func:`find_quotations` for one document (paragraph spans sorted)."""
    quotes: list[Quotation] = []
    for i, (ps, pe) in enumerate(paras):
        found, unclosed = _scan_paragraph(text, ps, pe)
        quotes.extend(found)
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        for q in unclosed:
            at_end = q.end >= _trim_end(text, ps, pe)
            if at_end and nxt is not None and text[nxt[0]:nxt[1]].lstrip()[:1] in ("\u201c", '"'):
                q.continued = True  # the multi-paragraph convention
            else:
                _warn_unclosed(text, doc_id, q, "the end of its paragraph" if at_end else "the next opening mark")
            quotes.append(q)
    _assign_nesting(quotes)
    if attribute:
        _attribute_speakers(text, quotes, paras)
    return [
        {
            "doc_id": doc_id, "quote_id": i, "start": q.start, "end": q.end, "content_start": q.content_start,
            "content_end": q.content_end, "kind": q.kind, "depth": q.depth, "parent": q.parent,
            "closed": q.closed, "continued": q.continued, "text": text[q.content_start:q.content_end],
            "speaker": q.speaker, "speaker_mention": q.speaker_mention, "speaker_start": q.speaker_start,
            "speaker_end": q.speaker_end, "clause_end": q.clause_end, "verb": q.verb, "rule": q.rule,
        }
        for i, q in enumerate(quotes)
    ]


def _warn_unclosed(text: str, doc_id: str, q: Quotation, where: str) -> None:
    """Warn that the double quotation ``q`` never closes, naming the document, the mark's place and its context."""
    line = text.count("\n", 0, q.start) + 1
    column = q.start - (text.rfind("\n", 0, q.start) + 1) + 1
    warnings.warn(
        f"document {doc_id!r}: quotation opened at offset {q.start} (line {line}, column {column}) never closes: "
        f"{_excerpt(text, q.start)}; treated as quoted up to {where} (offset {q.end})",
        UnclosedQuotationWarning,
        stacklevel=5,
    )


def _quote_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(QUOTE_COLUMNS))
    int_cols = ["quote_id", "start", "end", "content_start", "content_end", "depth", "parent",
                "speaker_start", "speaker_end", "clause_end"]
    for c in int_cols:
        df[c] = df[c].astype("int64")
    for c in ("closed", "continued"):
        df[c] = df[c].astype(bool)
    for c in ("doc_id", "kind", "text", "rule"):
        df[c] = df[c].astype(object)
    for c in ("speaker", "speaker_mention", "verb"):
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    return df



# --------------------------------------------------------------------------------------------------
# Corpus level: quotations and voice per sentence
# --------------------------------------------------------------------------------------------------


def corpus_quotations(corpus: ProcessedCorpusLike, *, attribute: bool = True) -> pd.DataFrame:
    """Run :func:`find_quotations` on every document of a ``ProcessedCorpus``.

    Paragraph spans come from ``corpus.paragraphs``; speakers are mapped to codebook actors later (see
    :func:`blame_attribution`). Returns the concatenated quotation table (columns :data:`QUOTE_COLUMNS`).
    """
    require_tables(corpus, "corpus_quotations", "documents", "paragraphs")
    paras = corpus.paragraphs
    by_doc = paras.groupby("doc_id", sort=False).indices  # row positions per document, no per-document frames
    p_start, p_end = paras["start"].to_numpy(np.int64), paras["end"].to_numpy(np.int64)
    empty = np.zeros(0, dtype=np.int64)
    rows: list[dict[str, Any]] = []
    for doc_id, text in zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True):
        idx = by_doc.get(doc_id, empty)
        spans = sorted(zip(p_start[idx].tolist(), p_end[idx].tolist(), strict=True))
        rows.extend(_quotation_rows(str(text), str(doc_id), spans, attribute))
    return _quote_frame(rows)


def quoted_mask(n_chars: int, quotes: pd.DataFrame) -> np.ndarray:
    """Boolean array of length ``n_chars``: True where a character lies in quoted content.

    Built with a difference array and a cumulative sum (no per-character loop).
    """
    diff = np.zeros(n_chars + 1, dtype=np.int64)
    if len(quotes):
        np.add.at(diff, quotes["content_start"].to_numpy(dtype=np.int64), 1)
        np.add.at(diff, quotes["content_end"].to_numpy(dtype=np.int64), -1)
    return np.cumsum(diff[:-1]) > 0




_NON_ALNUM_RE = re.compile(r"[\W_]")


def _alnum_array(text: str) -> np.ndarray:
    """Boolean array: True at letters and digits (what the quoted share counts)."""
    zeroed = _NON_ALNUM_RE.sub("\0", text)
    alnum: np.ndarray = np.frombuffer(zeroed.encode("utf-32-le"), dtype=np.uint32) != 0
    return alnum


def sentence_voice(corpus: ProcessedCorpusLike, quotes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Project quotations onto sentences: the share of each sentence that is quoted, and who speaks.

    Parameters
    ----------
    corpus : ProcessedCorpus
        Needs ``documents`` (doc_id, text) and ``sentences`` (doc_id, sent_id, start, end).
    quotes : DataFrame, optional
        From :func:`corpus_quotations` (computed when omitted).

    Returns
    -------
    pandas.DataFrame
        doc_id, sent_id, start, end, quoted_chars, quoted_share (quoted letters and digits / letters and
        digits of the sentence, 0..1; marks and punctuation do not count), voice (``authorial`` if
        share is 0, ``quoted`` if 1, ``mixed`` otherwise), n_quotes (top-level quotations overlapping
        it), speakers (``"; "``-joined distinct speakers in order of appearance; ``unattributed`` for
        a quotation without one; empty string when none).
    """
    require_tables(corpus, "sentence_voice", "documents", "paragraphs", "sentences")
    if quotes is None:
        quotes = corpus_quotations(corpus)
    sents_by = _by_doc(corpus.sentences)
    quotes_by, empty_q = _by_doc(quotes), _empty_like(quotes)
    out = []
    for doc_id, text in zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True):
        s = sents_by.get(doc_id)
        if s is None or s.empty:
            continue
        text = str(text)
        q = quotes_by.get(doc_id, empty_q)
        is_char = _alnum_array(text)
        mask = quoted_mask(len(text), q) & is_char
        cq = np.concatenate([[0], np.cumsum(mask)])
        cc = np.concatenate([[0], np.cumsum(is_char)])
        st = s["start"].to_numpy(dtype=np.int64)
        en = s["end"].to_numpy(dtype=np.int64)
        qchars = cq[en] - cq[st]
        nchars = cc[en] - cc[st]
        share = np.divide(qchars, nchars, out=np.zeros(len(st), dtype=float), where=nchars > 0)
        top = q[q["depth"] == 0].sort_values("content_start", kind="stable")
        qs = top["content_start"].to_numpy(dtype=np.int64)
        qe = top["content_end"].to_numpy(dtype=np.int64)
        names_q = [sp if isinstance(sp, str) and sp else UNATTRIBUTED for sp in top["speaker"]]
        # top-level quotations do not overlap, so starts and ends are both sorted: the quotations
        # overlapping [a, b) are those from the first ending after a to the last starting before b
        first = np.searchsorted(qe, st, side="right")
        last = np.searchsorted(qs, en, side="left")
        nq = np.maximum(last - first, 0)
        speakers = [
            "; ".join(dict.fromkeys(names_q[i] for i in range(f, lst))) if lst > f else ""
            for f, lst in zip(first.tolist(), last.tolist(), strict=True)
        ]
        voice = np.where(share <= 0, "authorial", np.where(share >= 1, "quoted", "mixed"))
        out.append(pd.DataFrame({
            "doc_id": s["doc_id"].to_numpy(), "sent_id": s["sent_id"].to_numpy(), "start": st, "end": en,
            "quoted_chars": qchars, "quoted_share": share, "voice": voice, "n_quotes": nq,
            "speakers": speakers,
        }))
    if not out:
        return pd.DataFrame(columns=["doc_id", "sent_id", "start", "end", "quoted_chars", "quoted_share",
                                     "voice", "n_quotes", "speakers"])
    return pd.concat(out, ignore_index=True)
