r"""Run a compiled pattern over many sentences joined into one text, only where it can match (a prefilter).

The coder rule (:mod:`framing.framerules`) searches the sentences of a corpus joined by newlines (one row per
sentence) with ``re`` patterns: reporting clauses, speaker labels, names, organisations. ``re`` tries a pattern
at every position of the text, although most rows cannot hold a match: a reporting clause needs a reporting
verb, an organisation's name an organisation word, a speaker label a colon. This module finds, in one
multi-literal scan of the whole text's bytes (Hyperscan when installed, pyahocorasick otherwise), the rows
that hold such a **trigger** (:class:`Trigger`: a literal every match contains), and ``re`` then runs only
over the runs of rows around them, on the whole text (so lookarounds see what they always saw).

Exactness. ``finditer`` keeps the leftmost match and searches on after its end, so a match found at one
place can hide another starting inside it. A match can run on from one row into the next only through
whitespace (the patterns' ``\s``) after a character of its own (a name ends in a letter, a clause in a verb
or a comma): each pattern says which characters those are (``glue``). A row that ends with any other ASCII
character (a full stop, a closing quotation mark ...) is a **cut**: no match crosses it, so what is found
after it does not depend on anything before it. Rows between two cuts form a block; the pattern is searched
over every block holding a trigger row, from the block's start, and the matches found are exactly those a
search of the whole text finds there (``tests/test_rowscan.py`` compares both on generated texts). Blocks
without a trigger row hold no match. A search stops a few rows after its run (:meth:`RowText.runs`):
lookaheads read past a cut only through whitespace into the first characters of the next rows; it stops with
the run for a pattern whose lookarounds read at most the character after a match (``local``). A pattern
anchored at a row's start is tried at each row of its runs (:func:`scan_rows`), not searched on past them.
A regex of many literal words (names) becomes the literal scan of the words, with ``re``'s word boundaries,
longest word at a position and overlap rule (:meth:`RowText.word_matches`): nothing compiled per corpus.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from framing._rowscan_scan import (
    _in_ranges,
    _literal_ends,
    _non_overlapping,
    _positions_of,
    _re_word,
    _stop_bytes,
    fast_pattern,
    gc_paused,
    scan_fast,
    scan_rows,
    scan_runs,
    trie_pattern,
)

__all__ = ["RowText", "Trigger", "fast_pattern", "gc_paused", "scan_fast", "scan_rows", "scan_runs", "trie_pattern"]

_T = TypeVar("_T")
# characters that ``re`` with IGNORECASE matches to an ASCII letter (İ ı: i, K (Kelvin): k, ſ: s): a row holding
# one of them is a trigger row of every caseless trigger (an ASCII-caseless scan would miss the match)
_FOLDS_TO_ASCII = "\u0130\u0131\u212a\u017f"
_FOLD_LEAD_BYTES = np.unique([c.encode("utf-8")[0] for c in _FOLDS_TO_ASCII])
_ASCII_WORD = np.zeros(256, dtype=bool)
_ASCII_WORD[list(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")] = True
_ASCII_SPACE = np.asarray([c < 128 and chr(c).isspace() for c in range(256)], dtype=bool)
_LOOKAHEAD_ROWS = 3  # rows of more than whitespace after a run that a lookahead may read (runs(): limit)


@dataclass(frozen=True)
class Trigger:
    r"""What every match of a pattern contains.

    One of ``literals`` (``caseless``: whatever the ASCII case; the characters that ``re`` folds to ASCII
    letters count too), or ``ascii_run``: ``(characters, n)``, a run of ``n`` consecutive ASCII characters
    among ``characters`` (``("ABC...Z", 2)`` for two capitals). ``by_bytes``: the literals (a few short ones
    that occur often, case-sensitive) are found by comparing bytes with numpy rather than in the scan, whose
    cost grows with the occurrences. A trigger only has to be found wherever a match is: it may be found where
    none is (it only decides where ``re`` runs). ``words``: the literals count only as whole words, with no
    ASCII letter, digit or underscore just before or after them (every place where ``re`` sees ``\b`` there,
    and more: a non-ASCII letter is a word character to ``re``).
    """

    literals: tuple[str, ...] = ()
    caseless: bool = False
    ascii_run: tuple[str, int] | None = None
    by_bytes: bool = False
    words: bool = False


class RowText:
    r"""Texts joined by newlines (``joined``, one row per text, no newline inside a row) and their rows.

    Parameters
    ----------
    joined : str
        The texts joined by ``"\n"``, newlines inside a text already replaced (``framerules._join``).
    offsets : ndarray of int
        Where each row starts in ``joined``.
    """

    def __init__(self, joined: str, offsets: np.ndarray) -> None:
        self.joined = joined
        self.offsets = np.asarray(offsets, dtype=np.int64)
        n = len(self.offsets)
        ends = np.empty(n, dtype=np.int64)
        if n:
            ends[:-1] = self.offsets[1:] - 1
            ends[-1] = len(joined)
        self.ends = ends  # where each row ends (its newline, or the end of the text)
        self._cache: dict[Hashable, Any] = {}

    def cached(self, key: Hashable, make: Callable[[], _T]) -> _T:
        """Return ``make()``, computed once per key for these rows."""
        if key not in self._cache:
            self._cache[key] = make()
        value: _T = self._cache[key]
        return value

    @property
    def encoded_bytes(self) -> bytes:
        """``joined`` as UTF-8 (computed once)."""
        return self.cached("bytes", lambda: self.joined.encode("utf-8", "surrogatepass"))

    @property
    def encoded(self) -> np.ndarray:
        """:attr:`encoded_bytes` as a uint8 array (no copy)."""
        return self.cached("encoded", lambda: np.frombuffer(self.encoded_bytes, dtype=np.uint8))

    @property
    def newline_bytes(self) -> np.ndarray:
        """Byte positions of the newlines (row ``r`` ends at ``newline_bytes[r]``, the last row at the end)."""
        return self.cached("newlines", lambda: np.flatnonzero(self.encoded == 10))

    def rows_of_bytes(self, positions: np.ndarray) -> np.ndarray:
        """Return the row of each byte position (a newline belongs to the row it closes)."""
        return np.searchsorted(self.newline_bytes, positions, side="left")

    def occurrences(self, literals: Sequence[str], words: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Return the rows where each of ``literals`` occurs (case-sensitive) and the index of the literal found."""
        slot, end, length = self._literal_scan(tuple(literals))
        if words:
            keep = ~self._inside_word(end, length[slot])
            slot, end = slot[keep], end[keep]
        return self.rows_of_bytes(end), slot

    def _literal_scan(self, literals: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every occurrence of ``literals`` (case-sensitive): index, last byte; and each literal's length in bytes.

        One scan per tuple of literals (cached: a later search for the same literals reuses it).
        """

        def make() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            if not literals:
                return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64)
            keys = tuple(lit.encode("utf-8", "surrogatepass") for lit in literals)
            slot, end = _literal_ends(keys, (False,) * len(keys), self.encoded_bytes)
            return slot, end, np.asarray([len(k) for k in keys], dtype=np.int64)

        return self.cached(("literals", literals), make)

    def char_positions(self, positions: np.ndarray) -> np.ndarray:
        """Return the character offset in ``joined`` of each byte position (the first byte of a character)."""
        continuation = self.cached("continuation", lambda: np.flatnonzero((self.encoded & 0xC0) == 0x80))
        out: np.ndarray = positions - np.searchsorted(continuation, positions, side="left")
        return out

    def word_matches(self, groups: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, list[str]]:
        r"""Return the matches of ``\b(?:W1|W2|...)\b`` (``groups``' literals, longest first) as ``finditer`` would.

        Every literal opens and closes with a word character. At each position the longest literal standing
        between word boundaries (``re``'s, Unicode) is the match; a match starting inside the previous one is
        dropped. Returns character start and end offsets in ``joined`` (in order) and the literal of each.
        Each group is found by one cached scan (:meth:`occurrences` of the same literals reuses it).
        """
        starts, ends, words = [np.empty(0, np.int64)], [np.empty(0, np.int64)], []
        base = 0
        for group in groups:
            slot, last, length = self._literal_scan(tuple(group))
            ends.append(last + 1)
            starts.append(last + 1 - length[slot])
            words.append(base + slot)
            base += len(group)
        literals = [w for g in groups for w in g]
        start_b, end_b = np.concatenate(starts), np.concatenate(ends)
        which = np.concatenate([np.empty(0, np.int64), *words])
        keep = ~self._is_word_before(start_b) & ~self._is_word_at(end_b)
        start_b, end_b, which = start_b[keep], end_b[keep], which[keep]
        order = np.lexsort((-end_b, start_b))  # by start, the longest first
        start_b, end_b, which = start_b[order], end_b[order], which[order]
        first = np.r_[True, start_b[1:] != start_b[:-1]] if len(start_b) else np.zeros(0, dtype=bool)
        start_b, end_b, which = start_b[first], end_b[first], which[first]
        kept = _non_overlapping(start_b, end_b)
        start_b, end_b, which = start_b[kept], end_b[kept], which[kept]
        return self.char_positions(start_b), self.char_positions(end_b), [literals[i] for i in which.tolist()]

    def _is_word_at(self, positions: np.ndarray) -> np.ndarray:
        """Flag the byte positions where a word character (alphanumeric or ``_``) starts (False at the end)."""
        data = self.encoded
        inside = positions < len(data)
        byte = data[np.minimum(positions, len(data) - 1)] if len(data) else np.zeros(len(positions), np.uint8)
        out: np.ndarray = inside & _ASCII_WORD[byte]
        wide = np.flatnonzero(inside & (byte >= 0x80))
        if wide.size:  # (rare) a character beyond ASCII: ask Python
            chars = self.char_positions(positions[wide]).tolist()
            out[wide] = [_re_word(self.joined[c]) for c in chars]
        return out

    def _is_word_before(self, positions: np.ndarray) -> np.ndarray:
        """Flag the byte positions just after a word character (alphanumeric or ``_``; False at the start)."""
        data = self.encoded
        inside = positions > 0
        byte = data[np.maximum(positions - 1, 0)] if len(data) else np.zeros(len(positions), np.uint8)
        out: np.ndarray = inside & _ASCII_WORD[byte]
        wide = np.flatnonzero(inside & (byte >= 0x80))
        if wide.size:  # the character ending there starts one character before
            chars = self.char_positions(positions[wide]).tolist()
            out[wide] = [_re_word(self.joined[c - 1]) for c in chars]
        return out

    def _inside_word(self, end: np.ndarray, length: np.ndarray) -> np.ndarray:
        """Flag the occurrences (last byte, length) with an ASCII letter, digit or underscore before or after."""
        start = end - length + 1
        before = self.encoded[np.maximum(start - 1, 0)]
        after = self.encoded[np.minimum(end + 1, len(self.encoded) - 1)]
        flags: np.ndarray = (((start > 0) & _ASCII_WORD[before])
                             | ((end + 1 < len(self.encoded)) & _ASCII_WORD[after]))
        return flags

    def trigger_ends(self, triggers: Sequence[Trigger]) -> list[np.ndarray]:
        """For each trigger, the byte positions where an occurrence ends (its last byte), in one scan."""
        keys: list[bytes] = []
        owner: list[int] = []
        for i, t in enumerate(triggers):
            for lit in dict.fromkeys(t.literals) if not t.by_bytes else ():
                keys.append((lit.lower() if t.caseless else lit).encode("utf-8"))
                owner.append(i)
        out = [np.empty(0, np.int64) for _ in triggers]
        if keys:
            slot, end = _literal_ends(tuple(keys), tuple(triggers[o].caseless for o in owner), self.encoded_bytes)
            who = np.asarray(owner, dtype=np.int64)[slot]
            words = np.asarray([t.words for t in triggers], dtype=bool)[who]
            if words.any():  # a whole word: no ASCII letter, digit or underscore just before or after it
                keep = ~(words & self._inside_word(end, np.asarray([len(k) for k in keys], dtype=np.int64)[slot]))
                who, end = who[keep], end[keep]
            out = [end[who == i] for i in range(len(triggers))]
        for i, t in enumerate(triggers):
            extra = []
            if t.by_bytes:
                extra.append(self.sequence_ends([lit.encode("utf-8") for lit in t.literals]))
            if t.ascii_run is not None:
                chars, k = t.ascii_run
                member = _in_ranges(self.encoded, chars)
                hit = member
                for j in range(1, k):  # a run of k: k consecutive bytes of the set
                    hit = hit[:-1] & member[j:]
                extra.append(np.flatnonzero(hit) + (k - 1))
            if t.caseless and any(c in self.joined for c in _FOLDS_TO_ASCII):
                # (rare) flag every byte that leads one of them: more rows than needed, never fewer
                extra.append(np.flatnonzero(np.isin(self.encoded, _FOLD_LEAD_BYTES)))
            if extra:
                out[i] = np.concatenate([out[i], *extra])
        return out

    def trigger_rows(self, triggers: Sequence[Trigger]) -> list[np.ndarray]:
        """For each trigger, a boolean mask of the rows holding it (one scan for all their literals)."""
        n = len(self.offsets)
        out = []
        for ends in self.trigger_ends(triggers) if n else [np.empty(0, np.int64)] * len(triggers):
            mask = np.zeros(n, dtype=bool)
            mask[self.rows_of_bytes(ends)] = True
            out.append(mask)
        return out

    def sequence_ends(self, seqs: Sequence[bytes]) -> np.ndarray:
        """Return the byte positions where one of the short byte strings ``seqs`` ends (numpy, no scan)."""
        found = []
        data = self.encoded
        for seq in seqs:
            at = self.cached(f"byte {seq[0]}", functools.partial(_positions_of, data, seq[0]))
            for k in range(1, len(seq)):  # keep the candidates whose next bytes follow the string
                at = at[at + k < len(data)]
                at = at[data[at + k] == seq[k]]
            found.append(at + len(seq) - 1)
        return np.sort(np.concatenate(found)) if found else np.empty(0, np.int64)

    def row_start_bytes(self) -> np.ndarray:
        """Return the byte position where each row starts."""
        return np.concatenate([[0], self.newline_bytes + 1])[:len(self.offsets)]

    def first_in_row(self, positions: np.ndarray) -> np.ndarray:
        """Return, per row, the smallest of the byte ``positions`` in it (the row's end byte when none is)."""
        first = self.row_end_bytes().copy()
        if len(positions):
            rows = self.rows_of_bytes(positions)
            np.minimum.at(first, rows, positions)
        return first

    def spaces_between(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Return, for byte positions ``a <= b``, the runs of spaces and tabs starting after ``a``, before ``b``."""

        def make() -> np.ndarray:
            space = self.encoded == 32
            if b"\t" in self.encoded_bytes:
                space |= self.encoded == 9
            starts = np.flatnonzero(space[1:] & ~space[:-1]) + 1
            return np.concatenate([[0], starts]) if len(space) and space[0] else starts

        starts = self.cached("space_runs", make)
        runs: np.ndarray = np.searchsorted(starts, b, side="left") - np.searchsorted(starts, a, side="right")
        return runs

    def spaces_to_row_end(self, positions: np.ndarray) -> np.ndarray:
        """Return, for each byte position, the runs of spaces and tabs after it up to the end of its row."""
        return self.spaces_between(positions, self.row_end_bytes()[self.rows_of_bytes(positions)])

    def ends_with(self, chars: str) -> np.ndarray:
        """Flag the rows whose last character is one of ``chars`` (compared as UTF-8 bytes)."""
        starts, ends = self.row_start_bytes(), self.row_end_bytes()
        data = self.encoded
        out = np.zeros(len(ends), dtype=bool)
        for ch in dict.fromkeys(chars):
            code = ch.encode("utf-8")
            ok = ends - starts >= len(code)
            at = np.flatnonzero(ok)
            for i, byte in enumerate(code):
                ok[at] &= data[ends[at] - len(code) + i] == byte
            out |= ok
        return out

    def row_end_bytes(self) -> np.ndarray:
        """Return the byte position where each row ends (its newline, or the end of the text)."""
        return np.append(self.newline_bytes, len(self.encoded))[:len(self.offsets)]

    def last_bytes(self) -> np.ndarray:
        """Return the last byte of each row (0x80, a byte no row ends with, for an empty row)."""

        def make() -> np.ndarray:
            ends, starts = self.row_end_bytes(), self.row_start_bytes()
            out = np.full(len(ends), 0x80, dtype=np.uint8)
            full = ends > starts
            out[full] = self.encoded[ends[full] - 1]
            return out

        return self.cached("last_bytes", make)

    def nonblank_count(self) -> np.ndarray:
        """Return the running count of the rows holding a character other than whitespace (rows 0..i)."""

        def make() -> np.ndarray:
            # a row opening or closing with an ASCII character other than whitespace holds one; the others
            # (empty, or opening and closing with whitespace or a character beyond ASCII) are read in Python
            starts, ends = self.row_start_bytes(), self.row_end_bytes()
            empty = ends == starts
            first = self.encoded[np.minimum(starts, max(len(self.encoded) - 1, 0))] if len(self.encoded) else (
                np.zeros(len(starts), dtype=np.uint8))
            last = self.last_bytes()
            unsure = ~empty & (_ASCII_SPACE[first] | (first >= 0x80)) & (_ASCII_SPACE[last] | (last >= 0x80))
            blank = empty.copy()
            idx = np.flatnonzero(unsure)
            blank[idx] = [self.joined[a:b].isspace() for a, b in zip(self.offsets[idx].tolist(),
                                                                       self.ends[idx].tolist(), strict=True)]
            return np.cumsum(~blank)

        return self.cached("nonblank", make)

    def near(self, mask: np.ndarray, k: int) -> np.ndarray:
        """Flag the rows ``r`` such that ``mask`` holds at ``r`` or at one of the next ``k`` non-blank rows."""
        n = len(mask)
        idx = np.where(mask, np.arange(n), n)
        nxt = np.minimum.accumulate(idx[::-1])[::-1]  # the first row >= r where mask holds (n: none)
        count = self.nonblank_count()
        ok = nxt < n
        out = np.zeros(n, dtype=bool)
        out[ok] = count[nxt[ok]] - count[np.flatnonzero(ok)] <= k
        return out

    def after(self, mask: np.ndarray, k: int) -> np.ndarray:
        """Flag the rows ``r`` such that ``mask`` holds at ``r`` or at one of the previous ``k`` non-blank rows."""
        n = len(mask)
        prev = np.maximum.accumulate(np.where(mask, np.arange(n), -1)) if n else np.empty(0, np.int64)
        count = self.nonblank_count()
        ok = prev >= 0
        out = np.zeros(n, dtype=bool)
        out[ok] = count[np.flatnonzero(ok)] - count[prev[ok]] <= k
        return out

    def runs(self, core: np.ndarray, glue: str, glued: np.ndarray | None = None, local: bool = False
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        r"""Start, stop and limit (character offsets) of the runs of blocks holding a ``core`` row.

        A row boundary is a cut when the row before it ends with an ASCII character that is neither
        whitespace nor in ``glue`` (the characters after which a match may go on into the next row), unless
        ``glued`` flags that row; rows between cuts are a block. Each run covers whole blocks: ``start`` is the
        offset of its first row, ``stop`` one past the newline closing its last row. ``limit`` closes the text
        searched for the run: the end of the third row after it that holds more than whitespace (a lookahead
        reads past a cut only through whitespace into the first characters of the next rows: ``\s*:``,
        ``\s+that\b``). ``local``: the pattern's lookarounds read at most the character after a match (a
        ``\b``, ``$``, a lookahead of one character), so nothing past the newline that closes a run (a match
        does not cross a cut): ``limit`` is ``stop``, and the search ends with the run.
        """
        n = len(self.offsets)
        if n == 0 or not core.any():
            return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.int64)
        ends_cut = _stop_bytes(glue)[self.last_bytes()]
        if glued is not None:
            ends_cut &= ~glued
        cut = np.zeros(n, dtype=bool)
        cut[1:] = ends_cut[:-1]
        block = np.cumsum(cut)
        kept_block = np.zeros(int(block[-1]) + 1, dtype=bool)
        kept_block[block[core]] = True
        kept = kept_block[block]
        edges = np.diff(np.concatenate([[0], kept.astype(np.int8), [0]]))
        first = np.flatnonzero(edges == 1)
        last = np.flatnonzero(edges == -1) - 1
        if local:
            return self.offsets[first], self.ends[last] + 1, np.minimum(self.ends[last] + 1, len(self.joined))
        count = self.nonblank_count()
        after = np.searchsorted(count, count[last] + _LOOKAHEAD_ROWS, side="left")
        limit = np.where(after < n, self.ends[np.minimum(after, n - 1)] + 1, len(self.joined))
        return self.offsets[first], self.ends[last] + 1, np.minimum(limit, len(self.joined))
