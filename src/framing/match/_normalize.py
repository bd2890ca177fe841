"""Normalisation of text for matching, on UTF-8 bytes (byte tables and numpy; see :mod:`framing.match`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np

_APOSTROPHES = "'’‘ʼ`´′"
_HYPHENS = "-‐‑‒–—―−"
# byte classes of the working buffer (raw bytes 0x01 and 0x02 are control characters: hard boundaries)
_SOFT, _HARD, _DROP, _HYPH = 32, 1, 2, 45
_NOT_JOINING = "—―"
"""Dashes that join two words for matching but make no compound of them (``compound_tail``): the em dash and the
horizontal bar, closed up between words as punctuation in US style ("he was—fired"); "coal-fired" is one word."""
_WORD_END_PROBES = 24  # vectorised steps to find the end of a wildcard's word before falling back to find()


@functools.lru_cache(maxsize=65536)
def _classify(c: str) -> str | int:
    """Normalised form of one character: a word character gives its 1:1 lower case (itself when that is not
    a single character; code points above the BMP are kept as they are), a separator its class byte."""
    if ord(c) >= 0x10000:
        return c
    if c in _APOSTROPHES:
        return _SOFT
    if c in _HYPHENS:
        return _HYPH
    if c.isalnum() or c == "_":
        lc = c.lower()
        return lc if len(lc) == 1 else c
    return _SOFT if c.isspace() else _HARD


def _tables() -> tuple[bytes, bytes, bytes]:
    first = bytearray(range(256))  # bytes >= 0x80 (UTF-8 sequences) unchanged
    for i in range(128):
        r = _classify(chr(i))
        first[i] = ord(r) if isinstance(r, str) else r
    final = bytearray(range(256))
    final[_HARD] = _SOFT
    words = bytes(first).translate(bytes(final)).replace(bytes([_HYPH]), bytes([_SOFT]))
    return bytes(first), bytes(final), words


# first pass; last pass (hard boundaries become spaces); single pass when only single words are matched
_FIRST_TABLE, _FINAL_TABLE, _WORDS_TABLE = _tables()


_HIGH_BITS = np.uint64(0x8080808080808080)


def _lead_bytes(a: np.ndarray) -> np.ndarray:
    """Positions of the UTF-8 lead bytes of multi-byte characters in ``a``, found 8 bytes at a time."""
    n8 = a.size // 8
    words = np.flatnonzero(a[:n8 * 8].view(np.uint64) & _HIGH_BITS)  # words holding a byte >= 0x80
    cand = np.concatenate([(words[:, None] * 8 + np.arange(8)).ravel(), np.arange(n8 * 8, a.size)])
    return cand[a[cand] >= 0xC0]


@dataclass
class _NonAscii:
    """The multi-byte characters of a UTF-8 buffer: lead positions, byte lengths, index into ``chars``
    (the distinct characters; Python touches each distinct character once)."""

    lead: np.ndarray
    size: np.ndarray
    inv: np.ndarray
    chars: list[str]

    @classmethod
    def of(cls, buf: bytearray) -> _NonAscii:
        if buf.isascii():
            z = np.zeros(0, dtype=np.int64)
            return cls(z, z, z, [])
        a = np.frombuffer(buf, dtype=np.uint8)
        lead = _lead_bytes(a)
        b0 = a[lead].astype(np.uint32)
        size = 2 + (b0 >= 0xE0).astype(np.int64) + (b0 >= 0xF0)
        code = b0 << 24
        last = a.size - 1
        for k in (1, 2, 3):
            bk = a[np.minimum(lead + k, last)].astype(np.uint32)
            code |= np.where(size > k, bk, 0).astype(np.uint32) << np.uint32(24 - 8 * k)
        uniq, inv = np.unique(code, return_inverse=True)
        chars = []
        for u in uniq.tolist():
            n = 2 if u < 0xE0000000 else 3 if u < 0xF0000000 else 4
            chars.append(int(u).to_bytes(4, "big")[:n].decode("utf-8"))
        return cls(lead, size, inv.reshape(-1), chars)

    def lowering(self) -> dict[int, str]:
        """``str.translate`` table for the letters whose lower case differs (rare in English text)."""
        out: dict[int, str] = {}
        for c in self.chars:
            r = _classify(c)
            if isinstance(r, str) and r != c:
                out[ord(c)] = r
        return out

    def continuation(self) -> np.ndarray:
        """Sorted positions of the continuation bytes."""
        return np.sort(np.concatenate([self.lead[self.size > k] + k for k in (1, 2, 3)]))


@dataclass
class _Normalized:
    """A normalised buffer ``norm``; ``deleted``: the (sorted) positions of the UTF-8 buffer it was made
    from that it lacks (tails of multi-byte separators, merged soft separators); ``chars``: the multi-byte
    characters of that buffer (to map byte positions to character positions); ``compound_tail``: the sorted
    positions in ``norm`` of the words that follow a hyphen joining them to the word before (``fired`` in
    "coal-fired"; empty from :func:`_normalize_words`)."""

    norm: bytearray
    deleted: np.ndarray
    chars: _NonAscii
    compound_tail: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def to_chars(self, pos: np.ndarray, *, end: bool = False) -> np.ndarray:
        """Positions in ``norm`` of first bytes of characters -> character positions; with ``end``, exclusive
        ends of spans (just after a character's last byte) -> exclusive character ends."""
        pos = _backward(pos - 1, self.deleted) + 1 if end else _backward(pos, self.deleted)
        if self.chars.lead.size:
            pos = pos - np.searchsorted(self.chars.continuation(), pos)
        return pos


def _normalize_bytes(raw: bytearray, chars: _NonAscii) -> _Normalized:
    """Normalise UTF-8 ``raw`` (first and last byte: padding spaces; non-ASCII letters already lower case;
    ``chars`` its multi-byte characters)."""
    norm = raw.translate(_FIRST_TABLE)  # bytes >= 0x80 unchanged: positions of ``chars`` still hold
    a = np.frombuffer(norm, dtype=np.uint8)
    tails = np.zeros(0, dtype=np.int64)
    dashes = np.zeros(0, dtype=np.int64)  # positions of dashes that make no compound (:data:`_NOT_JOINING`)
    if chars.lead.size:
        cls = np.asarray([r if isinstance(r := _classify(c), int) else 0 for c in chars.chars], dtype=np.uint8)
        dashes = chars.lead[np.asarray([c in _NOT_JOINING for c in chars.chars], dtype=bool)[chars.inv]]
        cls = cls[chars.inv]
        sep = cls > 0
        if sep.any():  # a multi-byte separator: its class byte, then soft bytes (merged) or bytes to delete
            lead, size, cls = chars.lead[sep], chars.size[sep], cls[sep]
            a[lead] = cls
            for k in (1, 2, 3):
                at = size > k
                a[lead[at] + k] = np.where(cls[at] == _SOFT, _SOFT, _DROP)
            tails = np.sort(np.concatenate([lead[(size > k) & (cls != _SOFT)] + k for k in (1, 2, 3)]))
    hyphen = np.flatnonzero(a == _HYPH)
    joined_word = np.zeros(0, dtype=np.int64)  # first bytes of words a hyphen joins to the word before
    if hyphen.size:  # never at the padded ends
        left, right = hyphen - 1, hyphen + 1
        if tails.size:  # neighbours across the deleted tails of multi-byte separators
            for _ in range(3):
                left[a[left] == _DROP] -= 1
                right[a[right] == _DROP] += 1
        before, after = a[left], a[right]
        word = (before != _SOFT) & (before != _HARD) & (before != _HYPH) \
            & (after != _SOFT) & (after != _HARD) & (after != _HYPH)
        a[hyphen] = np.where(word, _SOFT, _HARD)
        joined_word = right[word & ~np.isin(hyphen, dashes)] if dashes.size else right[word]
    soft = a == _SOFT
    drop = np.flatnonzero(soft[1:-1] & soft[:-2]) + 1  # the end padding stays (it may follow a soft run)
    if drop.size or tails.size:
        a[drop] = _DROP
        norm = norm.translate(_FINAL_TABLE, bytes([_DROP]))
        deleted = np.union1d(drop, tails) if tails.size else drop
    else:
        norm = norm.translate(_FINAL_TABLE)
        deleted = drop
    return _Normalized(norm, deleted, chars, _forward(joined_word, deleted))


def _normalize_words(raw: bytearray, chars: _NonAscii) -> _Normalized:
    """Like :func:`_normalize_bytes`, for keys that are single words (and wildcards) only: every separator
    (hard, soft or hyphen) becomes a space, soft runs are not merged and nothing is deleted. Words are
    exactly those of :func:`_normalize_bytes` (positions differ by the merged spaces), and hyphens and runs
    matter only to phrases (and to negation scopes), so single-word keys find the same hits."""
    norm = raw.translate(_WORDS_TABLE)
    if chars.lead.size:
        cls = np.asarray([isinstance(_classify(c), int) for c in chars.chars], dtype=bool)[chars.inv]
        if cls.any():
            a = np.frombuffer(norm, dtype=np.uint8)
            lead, size = chars.lead[cls], chars.size[cls]
            for k in (0, 1, 2, 3):
                a[lead[size > k] + k] = _SOFT
    return _Normalized(norm, np.zeros(0, dtype=np.int64), chars)


def _forward(pos: np.ndarray, deleted: np.ndarray) -> np.ndarray:
    """Positions before a deletion -> after it (a deleted position maps to the next kept one)."""
    return pos - np.searchsorted(deleted, pos) if deleted.size else pos


def _backward(pos: np.ndarray, deleted: np.ndarray) -> np.ndarray:
    """Kept positions after a deletion -> before it."""
    if not deleted.size:
        return pos
    return pos + np.searchsorted(deleted - np.arange(deleted.size), pos, side="right")


def _normalize_str(text: str, *, words_only: bool = False) -> _Normalized:
    padded = " " + text + " "
    raw = bytearray(padded.encode("utf-8"))
    chars = _NonAscii.of(raw)
    table = chars.lowering()
    if table:
        raw = bytearray(padded.translate(table).encode("utf-8"))
        chars = _NonAscii.of(raw)
    return _normalize_words(raw, chars) if words_only else _normalize_bytes(raw, chars)


def normalize_text(text: str) -> tuple[str, np.ndarray]:
    """Normalise ``text`` for matching; return ``(norm, raw_index)``.

    Words are lower-cased runs of word characters (as Python's ``\\w``) separated by single spaces; a
    run of soft separators (whitespace, apostrophes, a hyphen between two word characters) is one space;
    every other character is a hard boundary written as a space that never merges with its neighbours, so
    a punctuation mark followed or preceded by a space gives two spaces, which no phrase key can cross
    (a mark glued between two words, as in ``and/or``, gives one). ``norm`` starts and ends with a
    space; ``raw_index[i]`` is the position in ``text`` of ``norm[i]`` (``-1`` and ``len(text)`` for the
    padding). Vectorised: byte tables and numpy on the UTF-8 bytes, no Python loop over characters.
    """
    nb = _normalize_str(text)
    a = np.frombuffer(nb.norm, dtype=np.uint8)
    raw_index = nb.to_chars(np.flatnonzero((a & 0xC0) != 0x80)) - 1
    return nb.norm.decode("utf-8"), raw_index.astype(np.int64)


def tokenize_normalized(text: str) -> list[str]:
    """The engine's words of ``text``: maximal runs of word characters in its normalised form."""
    return _normalize_str(text, words_only=True).norm.decode("utf-8").split()

