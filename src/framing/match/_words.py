"""Counts of single-word lexicons scanned on the raw UTF-8 bytes, without the normalisation pass.

:func:`framing.match.count_matrix` (no weights, negated hits included) of a lexicon whose keys are all single
ASCII words or wildcards (``[0-9a-z_]``, no exclusions, at most :data:`RAW_MAX_KEYS` keys) takes this route when
Hyperscan is the matcher. Each key becomes a caseless pattern with its word boundaries as byte classes,
``[^0-9a-z_]council[^0-9a-z_]`` for a word and ``[^0-9a-z_]resign`` for a wildcard, compiled once per lexicon on
first use (about 0.5 ms per key), and the texts, joined as for the other routes, are scanned as they are: no
lower-casing, translate tables or non-ASCII analysis of the whole chunk. Only the hits next to a byte >= 0x80 are
looked at again: the multi-byte character there is decoded with numpy and the hit is kept when that character is
a separator for the normalisation (``’``, NBSP, ``–``, ``£`` ...) and dropped when it is a word character
(``é``, ``𝐀``), so the words are exactly those of :func:`framing.match.tokenize_normalized`. Non-ASCII letters
need no lower-casing because no key holds one, except the Kelvin sign, whose lower case is ``k``: it is one more
pattern of the same database, and a chunk holding it takes the normalised route. Counting is then as on that
route: a span counts once per category. The texts are laid out in a buffer the thread keeps across calls
(:func:`joined_view`): a fresh megabyte-sized ``bytes`` per call cost as much in page faults as the copy itself.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import io
import itertools
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

import framing.match._matcher as fm
from framing.match._compile import CompiledLexicon
from framing.match._matcher import _caseless_database, _scan_database
from framing.match._normalize import _classify
from framing.match._resolve import _expand

RAW_MAX_KEYS = 2000
"""Lexicons with more keys than this keep the normalised route (compiling the caseless patterns costs about
0.5 ms per key, against about 0.02 ms for the literal keys of the normalised route)."""

TEXT_SEP = "\x00\x00"  # between texts of a chunk: two hard boundaries
TEXT_SEP_B = TEXT_SEP.encode()
_BOUNDARY = rb"[^0-9a-z_]"  # caseless: A-Z are word bytes too; bytes >= 0x80 are checked afterwards
_ASCII_WORD = re.compile(rb"[0-9a-z_]+")
_KELVIN = "\u212a".encode()  # the one non-ASCII character whose lower case is ASCII
_Buffer = memoryview | bytes | bytearray


def _text_starts(encoded: Sequence[bytes]) -> np.ndarray:
    """Where each of the ``encoded`` texts starts in the layout ``pad SEP text0 SEP text1 ... SEP pad``."""
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    return 1 + len(TEXT_SEP_B) + np.concatenate(([0], np.cumsum(lengths + len(TEXT_SEP_B))[:-1]))


def joined(encoded: Sequence[bytes], *, mutable: bool = False) -> tuple[bytes | bytearray, np.ndarray]:
    """Lay UTF-8 texts out as ``pad SEP text0 SEP text1 ... SEP pad``; return the buffer (a ``bytearray`` when
    ``mutable``) and where each text starts in it."""
    raw = (bytearray(TEXT_SEP_B) if mutable else TEXT_SEP_B).join([b" ", *encoded, b" "])
    return raw, _text_starts(encoded)


KEEP_MAX = 8_000_000
"""Bytes up to which :func:`joined_view` lays the texts out in the thread's kept buffer (larger layouts are
joined into a new ``bytes``, so a huge document does not stay in memory after its call)."""

_KEPT = threading.local()  # .buffer: the thread's io.BytesIO, reused across calls


@contextlib.contextmanager
def joined_view(encoded: Sequence[bytes]) -> Iterator[tuple[_Buffer, np.ndarray]]:
    """:func:`joined`, read-only, written into a buffer kept by the thread across calls (up to
    :data:`KEEP_MAX` bytes); the view is valid inside the ``with`` block only.

    A new ``bytes`` of a megabyte or more is mapped fresh from the system at every call: its page faults cost
    as much as the join itself (0.4-0.5 ms per MB, measured). ``BytesIO.writelines`` copies the texts in C into
    pages already mapped by the previous call."""
    starts = _text_starts(encoded)
    kept = getattr(_KEPT, "buffer", None)
    if kept is None:
        kept = _KEPT.buffer = io.BytesIO()
    if sum(map(len, encoded)) > KEEP_MAX or getattr(_KEPT, "busy", False):  # too large, or a view still open
        yield joined(encoded)[0], starts
        return
    n = len(encoded)
    parts = [TEXT_SEP_B] * (2 * n + 3)
    parts[0] = parts[-1] = b" "
    parts[2:2 * n + 1:2] = encoded
    kept.seek(0)
    kept.writelines(parts)
    _KEPT.busy = True
    try:
        with kept.getbuffer() as whole, whole[:kept.tell()] as view:
            yield view, starts
    finally:
        _KEPT.busy = False


def count_pairs(start: np.ndarray, cat: np.ndarray, text_start: np.ndarray, k: int, *,
                unique: bool = True) -> np.ndarray:
    """Dense ``len(text_start) x k`` counts of hits (word start, category), each pair counted once.

    Every hit spans one whole word, so a span counts once per category when its (start, category) pair is new:
    the pairs are made unique with one sort of packed integers (``unique=False``: the caller knows they are)
    and counted per text with one ``bincount``."""
    if unique:
        pairs = np.sort(start * k + cat)
        if pairs.size > 1:
            pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
        start, cat = pairs // k, pairs % k
    which = np.searchsorted(text_start, start, side="right") - 1
    n = text_start.size
    return np.bincount(which * k + cat, minlength=n * k).reshape(n, k)


@dataclass(frozen=True)
class _RawRoute:
    """A lexicon compiled for the raw route: its database and, per slot (matcher id), what a hit means."""

    database: Any
    offset: np.ndarray  # word start = position of the hit's last byte - offset
    word: np.ndarray  # bool: a word key (a boundary byte after the word), not a wildcard
    first_cat: np.ndarray  # the first of slot v's distinct categories
    more: np.ndarray  # bool: slot v has other categories, more_cat[more_start[v]:more_start[v + 1]]
    more_start: np.ndarray
    more_cat: np.ndarray
    distinct: bool  # no two slots sharing a category can match the same word: (start, category) pairs are unique
    kelvin: int  # the id of the Kelvin sign's pattern


def _raw_route(cl: CompiledLexicon) -> _RawRoute | None:
    """Compile the lexicon for the raw route, or None when the route does not apply to it."""
    keys = cl.slot_keys
    if not cl.words_only or not keys or len(keys) > RAW_MAX_KEYS or bool(cl.key_block.any()):
        return None
    cores = [key.strip(b" ") for key in keys]
    if not all(map(_ASCII_WORD.fullmatch, cores)):
        return None
    word = np.asarray([key.endswith(b" ") for key in keys], dtype=bool)
    patterns = [_BOUNDARY + core + (_BOUNDARY if w else b"") for core, w in zip(cores, word.tolist(), strict=True)]
    database = _caseless_database([*patterns, re.escape(_KELVIN)])  # found by the same scan, at no cost
    kid = cl.slot_kids[cl.slot_start[:-1]]  # one key of each slot: they share the key's bytes
    cats = [np.unique(cl.entry_cat[cl.key_entry[cl.slot_kids[a:b]]]) for a, b in itertools.pairwise(cl.slot_start)]
    more_start = np.concatenate(([0], np.cumsum([c.size - 1 for c in cats]))).astype(np.int64)
    return _RawRoute(database, cl.key_len[kid] - 2, word, np.asarray([c[0] for c in cats], dtype=np.int64),
                     np.diff(more_start) > 0, more_start, np.concatenate([c[1:] for c in cats]).astype(np.int64),
                     _distinct(cores, word, [set(c.tolist()) for c in cats]), len(keys))


def _distinct(cores: list[bytes], word: np.ndarray, cats: list[set[int]]) -> bool:
    """Tell whether no word can be matched by two slots sharing a category: only a wildcard can share its words
    with another slot (a word key, or a wildcard, whose core starts with the wildcard's)."""
    order = sorted(range(len(cores)), key=cores.__getitem__)
    ordered = [cores[i] for i in order]
    for v in np.flatnonzero(~word).tolist():  # wildcards
        j = bisect.bisect_left(ordered, cores[v])
        while j < len(ordered) and ordered[j].startswith(cores[v]):
            w = order[j]
            if w != v and cats[v] & cats[w]:
                return False
            j += 1
    return True


def raw_route(cl: CompiledLexicon) -> _RawRoute | None:
    """The lexicon compiled for the raw route (on first use, then kept with it), or None when it does not apply."""
    if fm.MATCHER != "hyperscan":
        return None
    if "raw" not in cl.derived:
        cl.derived["raw"] = _raw_route(cl)
    route: _RawRoute | None = cl.derived["raw"]
    return route


@functools.lru_cache(maxsize=4096)
def _word_char(code: int) -> bool:
    """Tell whether the BMP character ``code`` is a word character for the normalisation (once lower-cased)."""
    c = chr(code)
    r = _classify(c)
    return isinstance(r, str) and (r == c or isinstance(_classify(r), str))


def _word_char_at(a: np.ndarray, lead: np.ndarray) -> np.ndarray:
    """Tell whether the UTF-8 character led by each byte at ``lead`` is a word character (above the BMP: yes).

    Decoded with numpy; Python looks at each distinct character once (they are few: only hits next to a
    multi-byte character come here)."""
    last = a.size - 1
    b0 = a[lead].astype(np.int64)
    b1 = a[np.minimum(lead + 1, last)].astype(np.int64) & 0x3F
    b2 = a[np.minimum(lead + 2, last)].astype(np.int64) & 0x3F
    code = np.where(b0 < 0xE0, (b0 & 0x1F) << 6 | b1, (b0 & 0x0F) << 12 | b1 << 6 | b2)
    uniq, inv = np.unique(code, return_inverse=True)
    word = np.fromiter(map(_word_char, uniq.tolist()), dtype=bool, count=uniq.size)
    return (b0 >= 0xF0) | word[inv.reshape(-1)]


def _bounded(raw: _Buffer, start: np.ndarray, last: np.ndarray, word_key: np.ndarray) -> np.ndarray:
    """Which hits have a separator before the word (and after it, for word keys) once multi-byte characters are
    decoded: the patterns let any byte >= 0x80 stand for a boundary."""
    keep = np.ones(start.size, dtype=bool)
    a = np.frombuffer(raw, dtype=np.uint8)  # released on return: the caller's view must be free to go
    before = np.flatnonzero(a[start - 1] >= 0x80)  # the last byte of a multi-byte character
    if before.size:
        lead = start[before] - 2
        for _ in range(2):  # back over continuation bytes to the lead byte (2 to 4 byte characters)
            lead = np.where(a[lead] < 0xC0, lead - 1, lead)
        keep[before] = ~_word_char_at(a, lead)
    after = np.flatnonzero(word_key & (a[last] >= 0x80))  # a lead byte: the character after the word
    if after.size:
        keep[after] &= ~_word_char_at(a, last[after])
    return keep


def raw_word_counts(cl: CompiledLexicon, route: _RawRoute, texts: Sequence[str]) -> np.ndarray | None:
    """Dense ``len(texts) x n_categories`` counts on the raw route, or None when the chunk holds a Kelvin sign."""
    with joined_view(list(map(str.encode, texts))) as (raw, text_start):
        slot, last = _scan_database(route.database, raw)
        if slot.size and slot.max() == route.kelvin:
            return None
        start = last - route.offset[slot]  # the key's leading boundary byte, then the word
        keep = _bounded(raw, start, last, route.word[slot])
    if not keep.all():
        slot, start = slot[keep], start[keep]
    cat = route.first_cat[slot]
    more = route.more[slot]  # the few hits of words listed in several categories count in the others too
    if more.any():
        more_cat, more_at = _expand(route.more_start, route.more_cat, slot[more], start[more])
        cat, start = np.concatenate((cat, more_cat)), np.concatenate((start, more_at))
    return count_pairs(start, cat, text_start, len(cl.lexicon.categories), unique=not route.distinct)
