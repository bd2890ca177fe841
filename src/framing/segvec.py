"""Segmentation of many texts at once: the same paragraphs, sentences and token counts as
:mod:`framing.segment`, computed with numpy over whole texts instead of Python loops over lines and
candidate sentence ends.

How it stays identical to :func:`framing.segment.split_sentences` (NLTK Punkt with the toolkit's
abbreviations):

* The texts of a batch are joined with ``"\\n"`` into one string and turned into an array of code points;
  line breaks, white space, sentence-end characters and Punkt's "non-word" characters are boolean masks.
* Candidate sentence ends are Punkt's (``[.?!]`` followed by a non-word character, or by white space and
  another token) found from the masks; the word before each candidate and the chain rule of
  ``PunktSentenceTokenizer._match_potential_end_contexts`` (one context per run of end characters) are
  computed with cumulative maxima.
* Punkt's decision for a candidate depends only on the tokens of its context "previous word + end
  character" (``P``) and of the following token (``N``): a break is found when a token of ``P`` other than
  its last is a break, when the last token of ``P`` stays a break given the first token of ``N``, or when a
  token of ``N`` other than its last is a break. With Punkt's untrained parameters (no collocations, sentence
  starters or orthographic statistics) the first token of ``N`` matters only through three classes (lower
  case or punctuation, upper case, other). These features are computed by NLTK's own Punkt code, once per
  distinct ``P`` and ``N`` string (a vocabulary, memoised across calls), so every decision is Punkt's.
* Boundary realignment (closing quotes and brackets moved back; a piece it leaves empty is dropped, as
  Punkt does) and the toolkit's own closer rule are computed from runs of closing characters. The rare
  paragraphs where the toolkit's rule empties a piece are re-segmented with the reference
  :func:`framing.segment.split_sentences`; the rare candidates whose next token starts with ``"."`` (where
  Punkt's tokens could span the white space) are decided by Punkt on their whole context.
* Over-long sentences (no sentence punctuation) can be split at line breaks, then by length
  (``max_sentence_tokens``).

Token counts use :data:`framing.segment.TOKEN_PATTERN`'s definition (letters and digits joined by single
apostrophes or hyphens) as character classes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from framing.errors import ParameterError
from framing.segment import _BULLET_RE, _CLOSERS, _FINAL_PUNCT, ParagraphMode, _punkt, split_sentences

__all__ = ["MAX_SENTENCE_TOKENS", "SegmentedBatch", "segment_texts", "span_texts"]

MAX_SENTENCE_TOKENS = 200
"""Default longest sentence (in tokens) before the fallback splits it at line breaks, then by length."""

_I64 = np.int64
_LINEBREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines splits on
_ASCII_WS = " \t\n\r\x0b\x0c"  # string.whitespace: Punkt's "last white space" search
_SENT_END = ".?!"
_NON_WORD = ")\";}]*:@'({[\u2018\u2019\u201c\u201d\xab\xbb?!"  # PunktLanguageVars._re_non_word_chars
_PUNKT_CLOSERS = "\"')]}\u2018\u2019\u201c\u201d\xab\xbb"  # PunktLanguageVars.re_boundary_realignment
_JOINERS = "'\u2019\u2018\u02bc-\u2010\u2011"  # inside a token (TOKEN_PATTERN)
_BULLET_START = "\u2013\u2014\u2022\u25cf\u25aa\u00b7*-0123456789"
_BULLET_BODY = re.compile(_BULLET_RE.pattern.removeprefix("^"))
_NEXT_CLASS_REPS = ("a", "A", "1")  # ortho heuristic False / unknown + upper case / unknown otherwise
_MEMO_LIMIT = 1_000_000
_STEPS = 8  # characters stepped over one at a time before searching the sorted positions


# character classes, one bit each, in a table indexed by code point (filled for the code points seen)
(SPACE, ALNUM, BREAK, END, NONWORD, ASCII_WS, PUNKT_CLOSER, CLOSER, JOINER, BLANK, BULLET, FINAL, CR, LF, HYPHEN,
 PERIOD) = (1 << i for i in range(16))
_CLASS_CHARS = {
    BREAK: _LINEBREAKS, END: _SENT_END, NONWORD: _NON_WORD, ASCII_WS: _ASCII_WS, PUNKT_CLOSER: _PUNKT_CLOSERS,
    CLOSER: _CLOSERS, JOINER: _JOINERS, BLANK: " \t", BULLET: _BULLET_START, FINAL: _FINAL_PUNCT, CR: "\r",
    LF: "\n", HYPHEN: "-", PERIOD: ".",
}
_TABLE = np.zeros(0x110000, dtype=np.uint16)
_KNOWN = np.zeros(0x110000, dtype=bool)


def _classes(cp: np.ndarray) -> np.ndarray:
    """The class bits of every code point in ``cp``."""
    if not len(cp):
        return np.zeros(0, dtype=np.uint16)
    unseen = ~np.take(_KNOWN, cp)  # after the first batches, every code point is known: two table look-ups
    if unseen.any():
        for c in np.unique(cp[unseen]).tolist():
            ch = chr(c)
            bits = (SPACE if ch.isspace() else 0) | (ALNUM if ch.isalnum() else 0) | (BULLET if ch.isdecimal() else 0)
            for bit, chars in _CLASS_CHARS.items():
                if ch in chars:
                    bits |= bit
            _TABLE[c] = bits
            _KNOWN[c] = True
    out: np.ndarray = np.take(_TABLE, cp)
    return out


def _first(mask: np.ndarray, start: int, value: bool, bit: int = 0, window: int = 4096) -> int:
    """First index at or after ``start`` where ``mask`` (or its class ``bit``) equals ``value``
    (``len(mask)`` if none), scanning windows of growing size: no array the size of the text."""
    n = len(mask)
    while start < n:
        seg = mask[start:start + window]
        if bit:
            seg = (seg & bit) != 0
        hit = np.flatnonzero(seg == value)
        if len(hit):
            return start + int(hit[0])
        start += window
        window *= 2
    return n


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as a ``uint32`` array (lone surrogates kept)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


@dataclass(frozen=True)
class SegmentedBatch:
    """Paragraph and sentence spans of a batch of texts (offsets are per text).

    Attributes
    ----------
    para_doc, para_id, para_start, para_end, para_heading : ndarray
        One entry per paragraph, in text order: index of the text, paragraph number within it, span,
        heading flag (:func:`framing.segment.is_heading`).
    sent_doc, sent_id, sent_para, sent_start, sent_end, sent_tokens : ndarray
        One entry per sentence: index of the text, sentence number within it, paragraph number, span,
        number of tokens.
    """

    para_doc: np.ndarray
    para_id: np.ndarray
    para_start: np.ndarray
    para_end: np.ndarray
    para_heading: np.ndarray
    sent_doc: np.ndarray
    sent_id: np.ndarray
    sent_para: np.ndarray
    sent_start: np.ndarray
    sent_end: np.ndarray
    sent_tokens: np.ndarray
    long_docs: tuple[int, ...] = ()
    """Texts with a sentence longer than the limit, split by the fallback (indices into the batch)."""


class _Scan:
    """The joined text of a batch, its character classes, and positions to search in."""

    def __init__(self, texts: list[str]) -> None:
        self.text = "\n".join(texts) + "\n"
        lengths = np.fromiter(map(len, texts), dtype=_I64, count=len(texts))
        self.doc_start = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]).astype(_I64)
        self.doc_sep = self.doc_start + lengths
        self.cls = _classes(code_points(self.text))  # the code points themselves are not kept
        self.n = len(self.cls)
        self.space = self.is_(SPACE)
        self._space_ext = np.append(self.space, False)  # position n (past the end) counts as non-space
        self._nonws_ext = np.append(~self.space, False)
        self._run_ends: dict[bool, np.ndarray] = {}
        self._space_starts: np.ndarray | None = None

    def is_(self, bit: int) -> np.ndarray:
        flags: np.ndarray = (self.cls & bit) != 0
        return flags

    def doc_of(self, pos: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.doc_start, pos, side="right") - 1

    def _seek(self, pos: np.ndarray, skip: np.ndarray, space: bool) -> np.ndarray:
        """First position at or after ``pos`` not in ``skip`` (a few steps, then a scan for the rest)."""
        out = np.minimum(np.asarray(pos, dtype=_I64), self.n)
        for _ in range(_STEPS):
            more = skip[out]
            if not more.any():
                return out
            out = out + more
        rest = np.flatnonzero(skip[out])
        if len(rest):  # inside a longer run: the end of that run, from the sorted run ends
            out[rest] = self.run_ends(space)[np.searchsorted(self.run_ends(space), out[rest], side="right")]
        return out

    def run_ends(self, space: bool) -> np.ndarray:
        """Sorted ends (one past the last position) of the runs of white space (``space``) or of other
        characters, over positions ``0..n`` where ``n`` counts as neither (memoised per batch)."""
        if space not in self._run_ends:
            skip = self._space_ext if space else self._nonws_ext
            self._run_ends[space] = np.flatnonzero(skip[:-1] & ~skip[1:]).astype(_I64) + 1
        return self._run_ends[space]

    def next_nonws(self, pos: np.ndarray) -> np.ndarray:
        """First non-space position at or after ``pos`` (``n`` if none)."""
        return self._seek(pos, self._space_ext, True)

    def next_space(self, pos: np.ndarray) -> np.ndarray:
        """First space at or after ``pos`` (``n`` if none)."""
        return self._seek(pos, self._nonws_ext, False)

    def prev_nonws_end(self, pos: np.ndarray) -> np.ndarray:
        """One past the last non-space position before ``pos`` (0 if none)."""
        out = np.asarray(pos, dtype=_I64).copy()
        for _ in range(_STEPS):
            more = (out > 0) & self._space_ext[np.maximum(out - 1, 0)]
            if not more.any():
                return out
            out = out - more
        rest = np.flatnonzero((out > 0) & self._space_ext[np.maximum(out - 1, 0)])
        if len(rest):  # inside a longer run of white space: the start of that run
            if self._space_starts is None:
                sp = self.space
                self._space_starts = np.flatnonzero(sp & np.concatenate([[True], ~sp[:-1]])).astype(_I64)
            starts = self._space_starts
            out[rest] = starts[np.searchsorted(starts, out[rest] - 1, side="right") - 1]
        return out

    def run(self, bit: int, pos: np.ndarray, limit: np.ndarray) -> np.ndarray:
        """Length of the run of characters of class ``bit`` from each ``pos``, cut at ``limit``."""
        length = np.zeros(len(pos), dtype=_I64)
        at = np.minimum(pos, self.n - 1)
        active = (pos < limit) & ((self.cls[at] & bit) != 0)
        for _ in range(_STEPS):
            if not active.any():
                return length
            length += active
            nxt = pos + length
            active &= (nxt < limit) & ((self.cls[np.minimum(nxt, self.n - 1)] & bit) != 0)
        for i in np.flatnonzero(active).tolist():  # long runs, rare: scan ahead
            start, stop = int(pos[i] + length[i]), int(limit[i])
            length[i] = _first(self.cls[:stop], start, False, bit) - int(pos[i])
        return length


def _paragraphs(scan: _Scan, mode: ParagraphMode) -> tuple[np.ndarray, np.ndarray]:
    """Paragraph spans (global offsets), as :func:`framing.segment.split_paragraphs` per text."""
    n = scan.n
    cls = scan.cls
    is_break = scan.is_(BREAK)
    is_break[1:] &= ~(((cls[1:] & LF) != 0) & ((cls[:-1] & CR) != 0))
    brk = np.flatnonzero(is_break).astype(_I64)
    crlf = ((cls[brk] & CR) != 0) & (brk + 1 < n) & ((cls[np.minimum(brk + 1, n - 1)] & LF) != 0)
    line_start = np.concatenate([[0], (brk + 1 + crlf)[:-1]]).astype(_I64)
    line_end = np.where((cls[brk] & (LF | CR)) != 0, brk, brk + 1)
    keep = ~np.isin(line_start, scan.doc_sep)  # the empty line the separator makes after a final break
    line_start, line_end = line_start[keep], line_end[keep]
    line_doc = scan.doc_of(line_start)
    filled = scan.next_nonws(line_start) < line_end
    n_docs = len(scan.doc_start)
    if mode == "auto":
        has_blank = np.bincount(line_doc[~filled], minlength=n_docs) > 0
        lengths = pd.Series((line_end - line_start)[filled])
        median = lengths.groupby(line_doc[filled]).median()
        blank_doc = np.zeros(n_docs, dtype=bool)
        blank_doc[median.index.to_numpy()] = median.to_numpy() < 90
        blank_doc &= has_blank
    else:
        blank_doc = np.full(n_docs, mode == "blank")
    in_blank = blank_doc[line_doc]
    # line mode: every non-empty line
    sel = filled & ~in_blank
    starts = [scan.next_nonws(line_start[sel])]
    ends = [scan.prev_nonws_end(line_end[sel])]
    # blank mode: runs of non-empty lines, a bulleted line starting a new run
    first_of_doc = np.concatenate([[True], line_doc[1:] != line_doc[:-1]])
    prev_filled = np.concatenate([[False], filled[:-1]]) & ~first_of_doc
    lines = np.flatnonzero(filled & in_blank & prev_filled)
    bullet = np.zeros(len(line_start), dtype=bool)
    lead = cls[np.minimum(line_start[lines] + scan.run(BLANK, line_start[lines], line_end[lines]), n - 1)]
    maybe = lines[(lead & BULLET) != 0]  # bullet characters and (Unicode) digits
    for i in maybe.tolist():
        bullet[i] = _BULLET_BODY.match(scan.text, int(line_start[i]), int(line_end[i])) is not None
    block_start = filled & in_blank & (~prev_filled | bullet)
    block_id = np.cumsum(block_start) - 1
    member = filled & in_blank
    first = np.flatnonzero(block_start)
    last = np.full(len(first), -1, dtype=_I64)
    np.maximum.at(last, block_id[member], np.flatnonzero(member))
    starts.append(scan.next_nonws(line_start[first]))
    ends.append(scan.prev_nonws_end(line_end[last]))
    ps, pe = np.concatenate(starts), np.concatenate(ends)
    order = np.argsort(ps, kind="stable")
    return ps[order], pe[order]


# --- Punkt's decisions, memoised per distinct context string ------------------------------------------

_P_MEMO: dict[str, tuple[bool, bool, bool, bool]] = {}
_N_MEMO: dict[str, tuple[int, bool]] = {}


def _annotated(text: str) -> list[Any]:
    punkt = _punkt()
    return list(punkt._annotate_tokens(punkt._tokenize_words(text)))


@lru_cache(maxsize=1)
def _next_reps() -> tuple[Any, ...]:
    """One first-pass annotated token per class of next token (see :data:`_NEXT_CLASS_REPS`)."""
    from nltk.tokenize.punkt import PunktToken  # as framing.segment: imported when first needed

    punkt = _punkt()
    reps = []
    for rep in _NEXT_CLASS_REPS:
        token = PunktToken(rep)
        punkt._first_pass_annotation(token)
        reps.append(token)
    return tuple(reps)


def _prev_features(p: str) -> tuple[bool, bool, bool, bool]:
    """(a token but the last is a break, the last is a break before a class-0/1/2 next token)."""
    toks = _annotated(p)
    internal = any(t.sentbreak for t in toks[:-1])
    last = toks[-1]  # first-pass annotation only: nothing followed it
    state = (last.sentbreak, last.abbr)
    brk = []
    for rep in _next_reps():
        last.sentbreak, last.abbr = state
        _punkt()._second_pass_annotation(last, rep)
        brk.append(bool(last.sentbreak))
    return internal, brk[0], brk[1], brk[2]


def _next_features(nxt: str) -> tuple[int, bool]:
    """(class of the first token for the ortho heuristic, a token but the last is a break)."""
    toks = _annotated(nxt)
    first = toks[0]
    ortho = _punkt()._ortho_heuristic(first)
    cls = 0 if ortho is False else (1 if first.first_upper else 2)
    return cls, any(t.sentbreak for t in toks[:-1])


def _lookup(keys: list[str], memo: dict[str, Any], compute: Any, width: int) -> np.ndarray:
    """Features of each key: computed once per distinct key (a vocabulary), looked up by code."""
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object), sort=False)
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    rows = [memo[u] if u in memo else memo.setdefault(u, compute(u)) for u in uniques]
    table = np.array(rows, dtype=_I64).reshape(len(uniques), width)
    per_unit: np.ndarray = table[codes]
    return per_unit


def _slices(text: str, start: np.ndarray, end: np.ndarray) -> list[str]:
    return list(map(text.__getitem__, map(slice, start.tolist(), end.tolist())))


def _decisions(scan: _Scan, m: np.ndarray, word_start: np.ndarray, nt_start: np.ndarray,
               nt_end: np.ndarray) -> np.ndarray:
    """Punkt's break decision for each kept candidate ``m`` (see the module docstring)."""
    out = np.ones(len(m), dtype=bool)  # "?" and "!" are always breaks when something follows
    period = (scan.cls[m] & PERIOD) != 0
    if not period.any():
        return out
    mp, ws, ns, ne = m[period], word_start[period], nt_start[period], nt_end[period]
    prev = _lookup(_slices(scan.text, ws, mp + 1), _P_MEMO, _prev_features, 4).astype(bool)
    nxt = _lookup(_slices(scan.text, ns, ne), _N_MEMO, _next_features, 2)
    cls = nxt[:, 0]
    dec = prev[:, 0] | prev[np.arange(len(mp)), 1 + cls] | nxt[:, 1].astype(bool)
    # Punkt's tokens would span the white space ("x. .y"): ask Punkt about the whole context
    odd = np.flatnonzero((ns > mp + 1) & ((scan.cls[np.minimum(ns, scan.n - 1)] & PERIOD) != 0))
    punkt = _punkt()
    for i in odd.tolist():
        ctx = scan.text[ws[i]:ne[i]]
        dec[i] = punkt.text_contains_sentbreak(ctx)
    out[period] = dec
    return out


def _sentences(scan: _Scan, ps: np.ndarray, pe: np.ndarray) -> tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray
]:
    """Sentence spans and their paragraph index, as :func:`split_sentences` per paragraph."""
    nonword = scan.is_(NONWORD)
    ends = np.flatnonzero(scan.is_(END)).astype(_I64)
    para = np.searchsorted(ps, ends, side="right") - 1
    safe = np.maximum(para, 0)
    ok = (para >= 0) & (ends >= ps[safe]) & (ends + 1 < pe[safe])
    ends, para = ends[ok], para[ok]
    follow = ends + 1
    ok = nonword[follow] | scan.space[follow]
    m, para = ends[ok], para[ok]
    # the word before each candidate, with Punkt's chain rule
    ascii_ws = np.flatnonzero(scan.is_(ASCII_WS))
    k = np.searchsorted(ascii_ws, m)
    lw = np.where(k > 0, ascii_ws[np.maximum(k - 1, 0)], -1)
    first_in_para = np.concatenate([[True], para[1:] != para[:-1]])
    prev_stop = np.where(first_in_para, ps[para], np.concatenate([[0], m[:-1]]))
    found = lw > prev_stop
    val = np.where(found, lw + 1, np.where(first_in_para, ps[para], -1))
    word_start = np.maximum.accumulate(val) if len(val) else val
    last_in_para = np.concatenate([para[1:] != para[:-1], [True]])
    next_ws = np.concatenate([word_start[1:], [0]])
    kept = last_in_para | (m <= next_ws)
    m, para, word_start = m[kept], para[kept], word_start[kept]
    # the following token (or non-word character)
    after_nonword = nonword[m + 1]
    nt_start = np.where(after_nonword, m + 1, scan.next_nonws(m + 1))
    nt_end = np.where(after_nonword, m + 2, np.minimum(scan.next_space(nt_start), pe[para]))
    brk = _decisions(scan, m, word_start, nt_start, nt_end)
    m, para, nt_start = m[brk], para[brk], nt_start[brk]
    # slices: paragraph start .. first break, next token .. next break, ..., .. paragraph end
    n_para = len(ps)
    s_start = np.concatenate([ps, nt_start])
    s_end = np.concatenate([m + 1, pe])
    s_para_start = np.concatenate([np.arange(n_para), para])
    s_para_end = np.concatenate([para, np.arange(n_para)])
    order_s = np.lexsort((s_start, s_para_start))
    order_e = np.lexsort((s_end, s_para_end))
    s_start, s_end, s_para = s_start[order_s], s_end[order_e], s_para_start[order_s]
    return _realign(scan, s_start, s_end, s_para)


def _realign(scan: _Scan, start: np.ndarray, end: np.ndarray, para: np.ndarray) -> tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray
]:
    """Punkt's boundary realignment, then :func:`split_sentences`' closer rule and stripping.

    Returns sentence starts, ends, paragraph indices and the paragraphs to redo with the reference."""
    n = scan.n
    cls = scan.cls
    first = np.concatenate([[True], para[1:] != para[:-1]]) if len(para) else np.zeros(0, dtype=bool)
    run = scan.run(PUNKT_CLOSER, start, end)
    after = start + run
    at = np.minimum(after, n - 1)
    nxt = np.minimum(after + 1, n - 1)
    follows = (after == end) | scan.space[at] | (((cls[at] & cls[nxt] & HYPHEN) != 0) & (after + 1 < end))
    match = ~first & (run > 0) & follows
    ws_len = np.maximum(np.minimum(scan.next_nonws(after), end) - after, 0)
    new_start = np.where(match, after + ws_len, start)
    new_end = end.copy()
    prev = np.flatnonzero(match) - 1
    new_end[prev] = start[match] + run[match]
    # a piece left empty (no match with its successor extended it) is not yielded
    keep = new_start < new_end
    new_start, new_end, para = new_start[keep], new_end[keep], para[keep]
    first = np.concatenate([[True], para[1:] != para[:-1]]) if len(para) else np.zeros(0, dtype=bool)
    rare = np.zeros(len(new_start), dtype=bool)
    # the toolkit's own rule: leading closers of a non-first sentence go back to the previous one
    run2 = scan.run(CLOSER, new_start, new_end)
    after2 = new_start + run2
    moved = ~first & (run2 > 0) & ((after2 == new_end) | scan.space[np.minimum(after2, n - 1)])
    s2 = np.where(moved, after2, new_start)
    e2 = new_end.copy()
    e2[np.flatnonzero(moved) - 1] = after2[moved]
    s3 = scan.next_nonws(s2)
    e3 = scan.prev_nonws_end(e2)
    rare |= s3 >= e3
    # an end moved by the closer rule is not stripped again (the reference sets it after stripping)
    moved_prev = np.zeros(len(new_start), dtype=bool)
    moved_prev[np.flatnonzero(moved) - 1] = True
    e3 = np.where(moved_prev, e2, e3)
    rare_para = np.unique(para[rare])
    return s3, e3, para, rare_para


def _split_long(scan: _Scan, ss: np.ndarray, se: np.ndarray, sp: np.ndarray, tok_start: np.ndarray,
                limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split sentences of more than ``limit`` tokens at line breaks, then before every ``limit``-th token.

    Returns the new starts, ends, paragraph indices, and the paragraphs whose sentences were split.
    """
    n_tok = np.searchsorted(tok_start, se) - np.searchsorted(tok_start, ss)
    long = np.flatnonzero(n_tok > limit)
    if not len(long):
        return ss, se, sp, np.zeros(0, dtype=_I64)
    breaks = np.flatnonzero(scan.is_(BREAK))
    new_s, new_e, new_p = [], [], []
    for i in long.tolist():  # only the over-long sentences, which are rare
        a, b = int(ss[i]), int(se[i])
        inner = breaks[(breaks > a) & (breaks < b)]
        cuts = np.concatenate([[a], inner + 1])
        stops = np.concatenate([inner, [b]])
        starts, ends = scan.next_nonws(cuts), scan.prev_nonws_end(stops)
        for pa, pb in zip(starts[starts < ends].tolist(), ends[starts < ends].tolist(), strict=True):
            toks = tok_start[np.searchsorted(tok_start, pa):np.searchsorted(tok_start, pb)]
            bounds = toks[limit::limit]
            piece_s = np.concatenate([[pa], bounds])
            piece_e = np.concatenate([scan.prev_nonws_end(bounds), [pb]])
            new_s.append(piece_s)
            new_e.append(piece_e)
            new_p.append(np.full(len(piece_s), sp[i]))
    split_paras = sp[long]
    keep = np.ones(len(ss), dtype=bool)
    keep[long] = False
    ss = np.concatenate([ss[keep], *new_s])
    se = np.concatenate([se[keep], *new_e])
    sp = np.concatenate([sp[keep], *new_p])
    order = np.lexsort((ss, sp))
    return ss[order], se[order], sp[order], np.unique(split_paras)


def segment_texts(texts: list[str], mode: ParagraphMode = "auto", *,
                  max_sentence_tokens: int | None = None) -> SegmentedBatch:
    """Segment ``texts`` (boilerplate already masked) into paragraphs, sentences and token counts.

    Gives the same spans as :func:`framing.segment.split_paragraphs` and
    :func:`framing.segment.split_sentences` applied text by text, paragraph by paragraph.

    Parameters
    ----------
    texts : list of str
        The texts.
    mode : {"auto", "line", "blank"}
        Paragraph mode (:func:`framing.segment.split_paragraphs`).
    max_sentence_tokens : int, optional
        A sentence with more tokens than this (a text without sentence punctuation) is split at its line
        breaks, and pieces still too long before every ``max_sentence_tokens``-th token; the texts
        concerned are listed in :attr:`SegmentedBatch.long_docs`. ``None``: no limit.
    """
    if max_sentence_tokens is not None and max_sentence_tokens < 1:
        raise ParameterError(f"max_sentence_tokens must be a positive integer, got {max_sentence_tokens!r}")
    if mode not in ("auto", "line", "blank"):
        raise ParameterError(f"paragraph mode must be 'auto', 'line' or 'blank', got {mode!r}")
    empty = np.zeros(0, dtype=_I64)
    if not texts:
        return SegmentedBatch(empty, empty, empty, empty, np.zeros(0, dtype=bool), empty, empty, empty,
                              empty, empty, empty)
    scan = _Scan(texts)
    ps, pe = _paragraphs(scan, mode)
    ss, se, sp, rare = _sentences(scan, ps, pe)
    if len(rare):
        keep = ~np.isin(sp, rare)
        extra = [(p, s, e) for p in rare.tolist() for s, e in split_sentences(scan.text, int(ps[p]), int(pe[p]))]
        arr = np.array(extra, dtype=_I64).reshape(-1, 3)
        sp = np.concatenate([sp[keep], arr[:, 0]])
        ss = np.concatenate([ss[keep], arr[:, 1]])
        se = np.concatenate([se[keep], arr[:, 2]])
        order = np.lexsort((ss, sp))
        sp, ss, se = sp[order], ss[order], se[order]
    # tokens: a letter or digit that does not continue a token (TOKEN_PATTERN)
    a = scan.is_(ALNUM)
    joiner = scan.is_(JOINER)
    cont = np.zeros(scan.n, dtype=bool)
    cont[1:] = a[:-1]
    cont[2:] |= joiner[1:-1] & a[:-2]
    tok_start = np.flatnonzero(a & ~cont)
    long_docs: tuple[int, ...] = ()
    if max_sentence_tokens is not None:
        ss, se, sp, split_paras = _split_long(scan, ss, se, sp, tok_start, max_sentence_tokens)
        long_docs = tuple(np.unique(scan.doc_of(ps[split_paras])).tolist())
    n_tok = np.searchsorted(tok_start, se) - np.searchsorted(tok_start, ss)
    # documents, ids and headings
    para_doc = scan.doc_of(ps)
    para_first = np.searchsorted(para_doc, para_doc)
    para_id = np.arange(len(ps), dtype=_I64) - para_first
    sent_doc = para_doc[sp]
    sent_id = np.arange(len(ss), dtype=_I64) - np.searchsorted(sent_doc, sent_doc)
    n_sent = np.bincount(sp, minlength=len(ps))
    length = pe - ps
    last = scan.cls[np.maximum(pe - 1, 0)]
    heading = (n_sent == 1) & (length > 0) & (length <= 120) & ((last & FINAL) == 0)
    lead = scan.cls[np.minimum(ps, scan.n - 1)]
    for i in np.flatnonzero(heading & ((lead & BULLET) != 0)):
        heading[i] = _BULLET_RE.match(scan.text[ps[i]:pe[i]]) is None
    off = scan.doc_start
    return SegmentedBatch(
        para_doc.astype(_I64), para_id, ps - off[para_doc], pe - off[para_doc], heading,
        sent_doc.astype(_I64), sent_id, para_id[sp], ss - off[sent_doc], se - off[sent_doc], n_tok.astype(_I64),
        long_docs,
    )


def span_texts(texts: list[str], doc: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[str]:
    """``texts[doc][start:end]`` for every row, sliced from the joined texts without a Python loop."""
    if not len(doc):
        return []
    lengths = np.fromiter(map(len, texts), dtype=_I64, count=len(texts))
    offset = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
    return _slices("\n".join(texts), offset[doc] + start, offset[doc] + end)
