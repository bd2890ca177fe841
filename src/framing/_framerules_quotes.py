"""Private: the coder rule's quotations, continued over sentences (``framing.framerules``'s context rule).

A sentence inside a quotation that an earlier sentence opened inherits the opener's blame signal (docs/lexicons.md,
"Context"). Double marks (straight or curly) are counted by parity; curly single marks (British style) by their
unambiguous opening mark. Everything works on the sentences joined by ``framerules._join`` (one search over all).
"""

from __future__ import annotations

import re

import numpy as np

from framing.rowscan import RowText

__all__: list[str] = []


def _opening(line_pattern: re.Pattern[str], joined: str, offsets: np.ndarray) -> np.ndarray:
    """Flag the texts joined by :func:`_join` that ``line_pattern`` (a lookahead after a newline) matches at."""
    at = np.fromiter((m.start() for m in line_pattern.finditer("\n" + joined)), dtype=np.int64)
    out = np.zeros(len(offsets), dtype=bool)
    out[np.searchsorted(offsets, at)] = True  # a match at the newline before text i lies at offsets[i]
    return out


_QUOTE_MARKS = ('"', "“", "”")
_QUOTE_START_LINE = re.compile(r"\n(?=[^\S\n]*[\"“])")  # a text opening with a quotation mark (after _join's newline)


def _quotation_openers(joined: str, offsets: np.ndarray, doc: np.ndarray, para: np.ndarray,
                       rows_text: RowText | None = None) -> np.ndarray:
    """Index of the sentence that opened the quotation each sentence continues (-1: not inside one).

    ``joined`` and ``offsets`` are the sentences joined by ``framerules._join``. Double quotation marks (straight or
    curly; curly single marks: :func:`_single_quotation_openers`) are counted sentence by sentence, the count
    starting afresh at each paragraph and at each sentence that opens with a mark (an opening mark, or the news
    convention's mark reopening a quotation that runs on: "...sign it off. “They do have..."). A sentence is inside
    a quotation when the sentence before it (same document) left one open and it is not the first of its paragraph,
    or it is and opens with a mark (a quotation over several paragraphs). Consecutive sentences inside one quotation
    have the same opener: the sentence before the first of them.
    """
    n = len(offsets)
    out = np.full(n, -1, dtype=np.int64)
    if n < 2:
        return out
    # the texts joined by _join (one search each over all of them): marks per text, texts opening with a mark;
    # with the prefilter's rows, the marks come from its literal scan of the UTF-8 bytes (cached, C)
    if rows_text is not None:
        rows = rows_text.occurrences(_QUOTE_MARKS)[0]
    else:
        at = np.fromiter((m.start() for m in re.finditer("|".join(_QUOTE_MARKS), joined)), dtype=np.int64)
        rows = np.searchsorted(offsets, at, side="right") - 1
    q = np.bincount(rows, minlength=n).astype(np.int64)
    marked = _opening(_QUOTE_START_LINE, joined, offsets)
    first = np.ones(n, dtype=bool)  # first sentence of its paragraph (or document)
    first[1:] = (doc[1:] != doc[:-1]) | (para[1:] != para[:-1])
    reset = first | marked
    cum = np.cumsum(q)
    left_open = (cum - (cum - q)[reset][np.cumsum(reset) - 1]) % 2 == 1  # the sentence leaves a quotation open
    inside = np.zeros(n, dtype=bool)
    inside[1:] = (doc[1:] == doc[:-1]) & left_open[:-1] & (~first[1:] | marked[1:])
    idx = np.arange(n)
    run_start = inside.copy()
    run_start[1:] &= ~inside[:-1]
    opener = np.maximum.accumulate(np.where(run_start, idx - 1, -1))
    out[inside] = opener[inside]
    single = _single_quotation_openers(joined, offsets, first)
    out[~inside] = single[~inside]
    return out


_SINGLE_OPEN, _SINGLE_CLOSE = re.compile(r"‘(?!\d)"), re.compile(r"’(?!\w)")  # "the ‘90s": no opening mark


def _single_quotation_openers(joined: str, offsets: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Index of the sentence that opened the curly single quotation each sentence continues (-1: none).

    British style quotes with single marks: ‘ opens (it is never an apostrophe), ’ closes when no letter follows
    it (an apostrophe inside a word, "council’s", is not a close; a plural possessive, "parents’ ", closes early,
    which only ends the continuation too soon). A sentence opens a quotation when a ‘ in it has no close after it;
    the next sentences of its paragraph continue it up to and including the sentence that closes it. Straight
    single marks are not read as quotations: they are apostrophes far more often than quotation marks.
    """
    n = len(offsets)
    out = np.full(n, -1, dtype=np.int64)
    if n < 2 or "‘" not in joined:
        return out
    row_of = lambda at: np.searchsorted(offsets, np.asarray(at, dtype=np.int64), side="right") - 1  # noqa: E731
    opens_at = [m.start() for m in _SINGLE_OPEN.finditer(joined)]
    closes_at = [m.start() for m in _SINGLE_CLOSE.finditer(joined)]
    last_open = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last_open, row_of(opens_at), np.asarray(opens_at, dtype=np.int64))
    last_close = np.full(n, -1, dtype=np.int64)
    if closes_at:
        np.maximum.at(last_close, row_of(closes_at), np.asarray(closes_at, dtype=np.int64))
    opens = last_open > last_close  # a ‘ with no close after it in the sentence
    closes = (last_close >= 0) & ~opens
    idx = np.arange(n)
    # the last event before each sentence: an opening sentence, a closing one or a paragraph start (a reset)
    last_opener = np.maximum.accumulate(np.where(opens, idx, -1))
    last_stop = np.maximum.accumulate(np.where(closes | (first & ~opens), idx, -1))
    prev_opener = np.r_[-1, last_opener[:-1]]
    prev_stop = np.r_[-1, last_stop[:-1]]
    inside = (prev_opener >= 0) & (prev_opener > prev_stop) & ~first
    out[inside] = prev_opener[inside]
    return out
