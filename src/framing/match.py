"""The matching engine: compiled lexicons, normalised text, longest-match overlaps, negation scopes.

Design (measured in ``benchmarks/bench_lexicon.py``; see ``docs/lexicons.md``)
--------------------------------------------------------------------------------
A chunk of texts (up to ~2 M characters) is normalised in bulk *on its UTF-8 bytes* into a buffer where
every word is separated by spaces, and all patterns of a lexicon are compiled, as space-delimited byte
keys (`` council leader `` for a word or phrase, `` resign`` for a wildcard), into one multi-literal
matcher. One pass over the buffer finds every occurrence of every pattern with word boundaries already
respected, so no Python loop runs over tokens or entries: Python only touches the hits (one small
callback each), and those are resolved with numpy (exclusions, overlaps, negation scopes, text
membership, counts).

The matcher (:data:`MATCHER`) is Hyperscan (the ``hyperscan`` package, literal mode, block scan) when it
is importable and pyahocorasick otherwise; both give identical hits (tested). ``FRAMING_MATCHER=aho``
(environment variable, read at import) forces the pyahocorasick path, ``FRAMING_MATCHER=hyperscan``
requires Hyperscan.

Normalisation on bytes: ``str.encode`` per text and one ``bytearray.join``; ``bytearray.translate``
with a 256-entry table (ASCII letters lower-cased, whitespace and apostrophes to a space, other
punctuation to a hard-boundary byte, hyphens kept for the next step, bytes >= 0x80 unchanged so UTF-8
letters match byte-wise: keys are UTF-8 too); the few distinct non-ASCII characters of a chunk are found
with numpy on the UTF-8 lead bytes (8 bytes at a time) and handled once each (upper-case letters
lower-cased at ``str`` level beforehand, separators such as ``’ – £ NBSP`` overwritten by their class
byte, their continuation bytes merged or deleted); hyphens are decided by their two neighbours and soft
runs merged with numpy on positions; a second ``translate`` deletes the merged bytes and turns hard
boundaries into spaces. Lexicons whose keys are all single words (wildcards included, no phrase) take a
one-``translate`` route for counts when negation is not asked for (:func:`_normalize_words`): hyphens
and soft runs only matter to phrases and negation scopes. Offsets are computed only when hits need them
(``match_texts``/``match_sentences``): byte positions map back to characters with ``searchsorted`` on
the few deleted positions and, for non-ASCII chunks, on the UTF-8 continuation bytes. Negation scopes:
one scan of the same matcher for negators and clause words, then numpy on positions.

Measured (``python -m benchmarks lexicon``: BBC News 2004-2005 replicated to 100 MB, 44,275 texts,
292 single-word/wildcard entries; CPU seconds on a shared 2-core machine, so +-20 % between runs; see
``docs/lexicons.md``). Before (numpy code-point table over UTF-32 + pyahocorasick on a ``str``, pandas
resolution): 2.8-3.3 s, 31-36 MB/s, i.e. 2.8-3.7x the ``liwc`` package's lookup alone (normalisation
~12 ms and scan ~15 ms per MB). Now: 0.5-0.6 s, 168-191 MB/s, 18-22x ``liwc``'s lookup alone and 26-28x
end to end, counts identical. Per MB on the single-word route: encode + join ~0.5 ms, translate ~0.3 ms,
non-ASCII handling ~0.2 ms, Hyperscan ~0.5 ms plus ~0.2-0.3 us per hit callback (~4,300 hits per MB,
the largest single cost), resolution and the sparse matrix ~0.5 ms. With pyahocorasick instead of
Hyperscan (same buffers): ~70-90 MB/s (the automaton scan ~10 ms per MB). The general route (phrases,
negation scopes, offsets; all shipped entries): ~75 MB/s for counts without negated hits and ~58 MB/s
for the hits table, against ~13-19 MB/s before.

Normalisation (the same for text and patterns):

- lower case; curly and straight apostrophes (``’ ‘ ʼ ' ` ´``) are word separators, so ``council’s``
  reads ``council s`` (``council`` matches) and the entry ``children's services`` matches
  ``children’s services``;
- a hyphen of any kind (``- ‐ ‑ ‒ – — −``) *between two word characters* is a word separator too:
  ``co-ordination`` and ``co–ordination`` read ``co ordination``. An entry written with a hyphen
  (``co-ordination``) also matches the closed form (``coordination``), so co-ordination = co–ordination
  = co ordination = coordination. An entry written closed (``coordination``) matches only the closed form:
  write compounds with their hyphen in lexicons;
- runs of whitespace count as one space; any other punctuation (``. , ; : ! ? ( ) " –`` with spaces
  around, ...) is a hard boundary: a phrase never matches across it (nor across sentences or documents).
  A mark glued between two words without spaces (``and/or``, ``U.S.``) separates the words but does not
  stop a phrase.

Word boundaries: a word entry matches whole words only; a wildcard ``resign*`` matches words that start
with ``resign`` (resigned, resignation; not designated) and its hit extends to the end of that word.

Overlaps (longest match wins): a hit whose character span lies inside the span of a longer hit is dropped
(``director of children's services`` beats ``children's services``); of two hits that cross each other,
the longer wins (ties: the earlier). Hits with exactly the same span are all kept (a word listed in two
categories counts in both), but a span counts at most once per category. An entry's exclusions
(``care*`` excluding ``career*``) drop that entry's hits lying inside a match of the exclusion.

Negation scope: a hit is negated when it starts after a negator in the same clause and at most
``NEGATION_WINDOW`` (6) words after it. Negators: not, no, never, none, nobody, no one/no-one, nothing,
neither, nor, nowhere, cannot and ``n't`` forms (didn't, wasn't, can't). The scope ends at punctuation
and at a clause word: but/however/although/though/whereas/except, whilst/while/because/since/unless/until,
and the locative prepositions in/at/on/into/within/across/throughout, so a negator does not reach into a place
or a new clause ("no new start, nor rebuild confidence in Haringey" does not negate Haringey). ``without`` is
*not* a negator: "without effective co-ordination" reports a failure rather than denying one. An entry that
contains its own negator (``nothing to apologise for``) is not negated by it.
"""

from __future__ import annotations

import functools
import importlib
import itertools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick
import numpy as np
import pandas as pd
import scipy.sparse as sp

from framing.errors import LexiconError, ParameterError
from framing.lexicon import Lexicon, load_lexicon, pattern_variants
from framing.types import PathLike

__all__ = [
    "HIT_COLUMNS",
    "MATCHER",
    "NEGATION_WINDOW",
    "CompiledLexicon",
    "compile_lexicon",
    "count_matrix",
    "match_sentences",
    "match_texts",
    "normalize_text",
    "tokenize_normalized",
]

HIT_COLUMNS = ["doc_id", "sent_id", "start", "end", "category", "entry", "matched", "negated", "weight", "token"]
"""Columns of a hits table (``weight`` of the entry; ``token``: index of the hit's first word in its sentence)."""

NEGATION_WINDOW = 6
"""How many words after a negator its scope reaches (at most; punctuation ends it earlier)."""


def _import_hyperscan() -> Any:
    try:
        return importlib.import_module("hyperscan")
    except ImportError:  # pragma: no cover - platforms without a hyperscan wheel
        return None


_hs: Any = _import_hyperscan()


def _choose_matcher() -> str:
    want = os.environ.get("FRAMING_MATCHER", "auto").strip().lower() or "auto"
    if want not in ("auto", "hyperscan", "aho"):
        raise ParameterError(f"environment variable FRAMING_MATCHER must be 'auto', 'hyperscan' or 'aho', got {want!r}")
    if want == "hyperscan" and _hs is None:
        raise ParameterError("FRAMING_MATCHER='hyperscan' but the hyperscan package is not installed")
    return "hyperscan" if want != "aho" and _hs is not None else "aho"


MATCHER: str = _choose_matcher()
"""The multi-pattern matcher in use: ``"hyperscan"`` (default when importable) or ``"aho"`` (pyahocorasick).
Chosen at import from the environment variable ``FRAMING_MATCHER`` (``auto``, ``hyperscan``, ``aho``)."""

_CHUNK_CHARS = 2_000_000
_TEXT_SEP = "\x00\x00"  # between texts of a chunk: two hard boundaries
_TEXT_SEP_B = _TEXT_SEP.encode()

_APOSTROPHES = "'’‘ʼ`´′"
_HYPHENS = "-‐‑‒–—―−"
# byte classes of the working buffer (raw bytes 0x01 and 0x02 are control characters: hard boundaries)
_SOFT, _HARD, _DROP, _HYPH = 32, 1, 2, 45
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
    characters of that buffer (to map byte positions to character positions)."""

    norm: bytearray
    deleted: np.ndarray
    chars: _NonAscii

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
    if chars.lead.size:
        cls = np.asarray([r if isinstance(r := _classify(c), int) else 0 for c in chars.chars], dtype=np.uint8)
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
    soft = a == _SOFT
    drop = np.flatnonzero(soft[1:-1] & soft[:-2]) + 1  # the end padding stays (it may follow a soft run)
    if drop.size or tails.size:
        a[drop] = _DROP
        norm = norm.translate(_FINAL_TABLE, bytes([_DROP]))
        deleted = np.union1d(drop, tails) if tails.size else drop
    else:
        norm = norm.translate(_FINAL_TABLE)
        deleted = drop
    return _Normalized(norm, deleted, chars)


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


@dataclass(frozen=True)
class CompiledLexicon:
    """A lexicon compiled into one automaton (and one Hyperscan database when available). Arrays are
    indexed by key id; keys are UTF-8 byte strings (the automaton holds them decoded as Latin-1)."""

    lexicon: Lexicon
    automaton: ahocorasick.Automaton
    key_len: np.ndarray  # byte length of the key (with its leading space, and trailing space if any)
    key_prefix: np.ndarray  # bool: wildcard (the hit extends to the end of the word)
    key_entry: np.ndarray  # entry index (into lexicon.entries)
    key_block: np.ndarray  # bool: exclusion key (blocks its entry's hits)
    entry_cat: np.ndarray  # category index per entry
    entry_weight: np.ndarray
    slot_start: np.ndarray  # matcher id v (a slot) stands for key ids slot_kids[slot_start[v]:slot_start[v + 1]]
    slot_kids: np.ndarray
    database: Any = None  # hyperscan.Database over the same slots (None without hyperscan or keys)
    words_only: bool = False  # every key (exclusions included) is a single word or wildcard: no phrase


def _keys_for(pattern: str) -> list[tuple[bytes, bool]]:
    """Matcher keys of a pattern: ``(key, is_prefix)``; hyphenated words also get their closed form."""
    out = []
    for v in pattern_variants(pattern):
        star = v.endswith("*")
        out.append(((" " + v.rstrip("*") + ("" if star else " ")).encode("utf-8"), star))
    return out


@functools.lru_cache(maxsize=32)
def _compile_cached(lexicon: Lexicon) -> CompiledLexicon:
    auto = ahocorasick.Automaton()
    key_len: list[int] = []
    key_prefix: list[bool] = []
    key_entry: list[int] = []
    key_block: list[bool] = []
    slots: dict[bytes, list[int]] = {}
    cat_index = {c: i for i, c in enumerate(lexicon.categories)}

    def add(key: bytes, prefix: bool, entry: int, block: bool) -> None:
        kid = len(key_len)
        key_len.append(len(key))
        key_prefix.append(prefix)
        key_entry.append(entry)
        key_block.append(block)
        slots.setdefault(key, []).append(kid)

    for i, e in enumerate(lexicon.entries):
        if e.category not in cat_index:
            raise LexiconError(f"lexicon {lexicon.name!r}: entry {e.pattern!r} has undeclared category {e.category!r}")
        for key, prefix in _keys_for(e.pattern):
            add(key, prefix, i, False)
        for x in e.exclude:
            for key, prefix in _keys_for(x):
                add(key, prefix, i, True)
    slot_start = [0]
    slot_kids: list[int] = []
    for v, (key, kids) in enumerate(slots.items()):
        auto.add_word(key.decode("latin-1"), v)
        slot_kids.extend(kids)
        slot_start.append(len(slot_kids))
    database = None
    if len(auto):
        auto.make_automaton()
        if _hs is not None:
            database = _hs.Database(mode=_hs.HS_MODE_BLOCK)
            database.compile(expressions=list(slots), ids=list(range(len(slots))), elements=len(slots), flags=0,
                             literal=True)
    return CompiledLexicon(
        lexicon,
        auto,
        np.asarray(key_len, dtype=np.int64),
        np.asarray(key_prefix, dtype=bool),
        np.asarray(key_entry, dtype=np.int64),
        np.asarray(key_block, dtype=bool),
        np.asarray([cat_index[e.category] for e in lexicon.entries], dtype=np.int64),
        np.asarray([e.weight for e in lexicon.entries], dtype=float),
        np.asarray(slot_start, dtype=np.int64),
        np.asarray(slot_kids, dtype=np.int64),
        database,
        all(b" " not in key.strip(b" ") for key in slots),
    )


_RECENT: dict[int, tuple[Lexicon, CompiledLexicon]] = {}  # by identity: hashing a Lexicon costs ~0.3 ms


def compile_lexicon(lexicon: str | PathLike | Lexicon) -> CompiledLexicon:
    """Load (if needed) and compile ``lexicon``; compiled lexicons are cached."""
    lex = load_lexicon(lexicon)
    recent = _RECENT.get(id(lex))
    if recent is not None and recent[0] is lex:
        return recent[1]
    cl = _compile_cached(lex)
    if len(_RECENT) >= 32:
        del _RECENT[next(iter(_RECENT))]
    _RECENT[id(lex)] = (lex, cl)
    return cl


def _scan(cl: CompiledLexicon | _Markers, norm: bytearray) -> tuple[np.ndarray, np.ndarray]:
    """Every key occurrence in ``norm``: (slot, position of the key's last byte)."""
    if MATCHER == "hyperscan" and cl.database is not None:
        found: list[int] = []
        add = found.append

        def on_match(slot: int, start: int, end: int, flags: int, context: object) -> None:
            add(slot << 32 | end)  # one int per hit: the callback is the per-hit cost

        cl.database.scan(norm, match_event_handler=on_match)
        packed = np.asarray(found, dtype=np.int64)
        return packed >> 32, (packed & 0xFFFFFFFF) - 1
    flat = np.fromiter(itertools.chain.from_iterable(cl.automaton.iter(norm.decode("latin-1"))), dtype=np.int64)
    return flat[1::2], flat[0::2]


def _word_ends(norm: bytearray, pos: np.ndarray) -> np.ndarray:
    """Position of the first space at or after each of ``pos`` (the buffer ends with one)."""
    a = np.frombuffer(norm, dtype=np.uint8)
    pos = pos.copy()
    todo = np.flatnonzero(a[pos] != _SOFT)
    for _ in range(_WORD_END_PROBES):
        if not todo.size:
            return pos
        pos[todo] += 1
        todo = todo[a[pos[todo]] != _SOFT]
    for i in todo.tolist():  # words longer than the probes (URLs and the like)
        pos[i] = norm.find(b" ", int(pos[i]))
    return pos


def _raw_hits(cl: CompiledLexicon, norm: bytearray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All key occurrences in ``norm`` as (key id, start, end of the *word span*, last byte of the key)."""
    if not len(cl.automaton):
        z = np.zeros(0, dtype=np.int64)
        return z, z, z, z
    slot, slot_last = _scan(cl, norm)
    lo, hi = cl.slot_start[slot], cl.slot_start[slot + 1]
    many = hi - lo
    if (many == 1).all():  # the usual case: one key per matcher id
        kid, last = cl.slot_kids[lo], slot_last
    else:
        last = np.repeat(slot_last, many)
        first = np.repeat(lo - np.concatenate(([0], np.cumsum(many)[:-1])), many)
        kid = cl.slot_kids[first + np.arange(last.size)]
    start = last - cl.key_len[kid] + 2  # skip the leading space
    prefix = cl.key_prefix[kid]
    end = np.where(prefix, last + 1, last)  # word keys end with a space: exclude it
    if prefix.any():
        end[prefix] = _word_ends(norm, last[prefix] + 1)
    return kid, start, end, last


def _exclude(entry: np.ndarray, start: np.ndarray, end: np.ndarray, alive: np.ndarray) -> None:
    """Mark dead (in ``alive``) the hits lying inside a match of one of their entry's exclusions."""
    block = ~alive
    big = int(end.max()) + 1
    b_entry, b_start, b_end = entry[block], start[block], end[block]
    order = np.lexsort((b_start, b_entry))
    b_entry, b_start, b_end = b_entry[order], b_start[order], b_end[order]
    b_key = b_entry * big + b_start
    reach = np.maximum.accumulate(b_entry * big + b_end) - b_entry * big  # running max of ends within an entry
    hits = np.flatnonzero(alive)
    j = np.searchsorted(b_key, entry[hits] * big + start[hits], side="right") - 1
    jj = np.clip(j, 0, None)
    dead = (j >= 0) & (b_entry[jj] == entry[hits]) & (reach[jj] >= end[hits])
    alive[hits[dead]] = False


def _resolve(cl: CompiledLexicon, kid: np.ndarray, start: np.ndarray, end: np.ndarray,
             last: np.ndarray) -> np.ndarray:
    """Indices of the hits that survive exclusions and overlap resolution, ordered by (start, end, category)."""
    if kid.size == 0:
        return np.zeros(0, dtype=np.int64)
    entry = cl.key_entry[kid]
    alive = ~cl.key_block[kid]
    if not alive.all():
        _exclude(entry, start, end, alive)
    idx = np.flatnonzero(alive)
    if idx.size == 0:
        return idx
    # one row per (span, category): the first hit in scan order (key end, then key id) stands for it
    cat = cl.entry_cat[entry[idx]]
    order = np.lexsort((kid[idx], last[idx], cat, end[idx], start[idx]))
    idx, s, e, c = idx[order], start[idx][order], end[idx][order], cat[order]
    first = np.ones(idx.size, dtype=bool)
    first[1:] = (s[1:] != s[:-1]) | (e[1:] != e[:-1]) | (c[1:] != c[:-1])
    idx, s, e = idx[first], s[first], e[first]
    if cl.words_only:  # every hit spans one whole word: spans are equal or disjoint, never nested or crossing
        return idx
    new_span = np.ones(idx.size, dtype=bool)
    new_span[1:] = (s[1:] != s[:-1]) | (e[1:] != e[:-1])
    span_id = np.cumsum(new_span) - 1
    us, ue = s[new_span], e[new_span]
    o = np.lexsort((-ue, us))  # start ascending, longest first
    ss, ee = us[o], ue[o]
    prev_max = np.maximum.accumulate(np.concatenate(([-1], ee[:-1])))
    contained = prev_max >= ee
    rest = o[~contained]
    ss, ee = us[rest], ue[rest]
    prev_max = np.maximum.accumulate(np.concatenate(([-1], ee[:-1])))
    crossing = prev_max > ss
    if not contained.any() and not crossing.any():
        return idx
    keep_span = np.zeros(us.size, dtype=bool)
    keep_span[rest] = True
    if crossing.any():  # crossing spans: greedy, longest first, within each group of crossing spans only
        group = np.cumsum(~crossing)
        for g in np.unique(group[crossing]):
            members = np.flatnonzero(group == g)
            by_length = members[np.lexsort((ss[members], -(ee[members] - ss[members])))]
            taken: list[tuple[int, int]] = []
            for j in by_length:
                if all(ee[j] <= ts or ss[j] >= te for ts, te in taken):
                    taken.append((int(ss[j]), int(ee[j])))
                else:
                    keep_span[rest[j]] = False
    return idx[keep_span[span_id]]


@dataclass(frozen=True)
class _Markers:
    """Negators and clause-ending words, compiled like a lexicon (one scan finds them all)."""

    automaton: ahocorasick.Automaton
    database: Any
    key_len: np.ndarray
    kind: np.ndarray  # _NEGATOR (a negator word), _NT (``n t ``: the end of an n't form), _CLAUSE (clause end)


_NEGATOR_WORDS = ("not", "no", "never", "none", "nobody", "noone", "nothing", "neither", "nor", "nowhere", "cannot")
_CLAUSE_WORDS = ("but", "however", "although", "though", "whereas", "except", "whilst", "while", "because", "since",
                 "unless", "until", "in", "at", "on", "into", "within", "across", "throughout")
"""Words that end a negation scope: contrast and subordinate clauses, and locative prepositions (in "nor rebuild
confidence in Haringey" the negator denies the rebuilding, not Haringey)."""
_NEGATOR, _NT, _CLAUSE = 0, 1, 2
_WORD_RE = re.compile(r"\w+")


@functools.lru_cache(maxsize=1)
def _markers() -> _Markers:
    keys = [(f" {w} ".encode(), _NEGATOR) for w in _NEGATOR_WORDS] + [(b"n t ", _NT)]
    keys += [(f" {w} ".encode(), _CLAUSE) for w in _CLAUSE_WORDS]
    auto = ahocorasick.Automaton()
    for i, (k, _) in enumerate(keys):
        auto.add_word(k.decode("latin-1"), i)
    auto.make_automaton()
    database = None
    if _hs is not None:
        database = _hs.Database(mode=_hs.HS_MODE_BLOCK)
        database.compile(expressions=[k for k, _ in keys], ids=list(range(len(keys))), elements=len(keys), flags=0,
                         literal=True)
    return _Markers(auto, database, np.asarray([len(k) for k, _ in keys]), np.asarray([c for _, c in keys]))


def _negated(norm: bytearray, start: np.ndarray) -> np.ndarray:
    """Whether each hit starting at ``start`` (positions in ``norm``) lies in a negation scope.

    A scope starts after a negator (a negator word, or a word of two or more word characters ending in
    ``n`` followed by the word ``t``: didn't, can't) and ends at the earlier of the ``NEGATION_WINDOW``-th
    space after it and the next clause end (a hard boundary, i.e. a double space, or a clause word). The
    negators and clause words are found by one scan of the matcher, the rest with numpy on positions.
    """
    if start.size == 0:
        return np.zeros(0, dtype=bool)
    mk = _markers()
    slot, last = _scan(mk, norm)
    kind = mk.kind[slot]
    a = np.frombuffer(norm, dtype=np.uint8)
    neg_end = last[kind == _NEGATOR]  # the space after the negator word
    nt_end = np.sort(last[kind == _NT])
    if nt_end.size:  # "X n t ": X (the word ending in n) must have 2+ characters, all word characters
        nt_end = nt_end[a[nt_end - 4] != _SOFT]
        ok = []
        for e in nt_end.tolist():
            word_start = norm.rfind(b" ", 0, e - 3) + 1
            ok.append(_WORD_RE.fullmatch(norm[word_start:e - 2].decode("utf-8")) is not None)
        nt_end = nt_end[np.asarray(ok, dtype=bool)]
    scope_s = np.sort(np.concatenate([neg_end, nt_end]))
    if not scope_s.size:
        return np.zeros(start.size, dtype=bool)
    space = a == _SOFT
    spaces = np.flatnonzero(space)
    clause = np.sort(np.concatenate([np.flatnonzero(space[:-1] & space[1:]),
                                     last[kind == _CLAUSE] - mk.key_len[slot[kind == _CLAUSE]] + 1]))
    i = np.searchsorted(clause, scope_s)
    limit = np.where(i < clause.size, clause[np.minimum(i, clause.size - 1)], len(norm))
    k = np.searchsorted(spaces, scope_s, side="right") + NEGATION_WINDOW - 1
    reach = np.where(k < spaces.size, spaces[np.minimum(k, spaces.size - 1)], len(norm))
    scope_e = np.maximum.accumulate(np.minimum(reach, limit))
    j = np.searchsorted(scope_s, start, side="right") - 1
    return (j >= 0) & (start < scope_e[np.clip(j, 0, None)])


@dataclass
class _ChunkHits:
    text: np.ndarray  # index of the text within the chunk
    start: np.ndarray  # raw offsets within that text (empty when offsets were not asked for)
    end: np.ndarray
    entry: np.ndarray
    negated: np.ndarray
    token: np.ndarray


def _prepare_chunk(texts: Sequence[str], *, words_only: bool = False) -> tuple[_Normalized, np.ndarray]:
    """Normalise a chunk laid out as ``pad SEP text0 SEP text1 ... SEP pad``; return it with the position
    (in ``norm``) where each text starts. ``words_only``: see :func:`_normalize_words`."""
    encoded = list(map(str.encode, texts))
    raw = bytearray(_TEXT_SEP_B).join([b" ", *encoded, b" "])
    chars = _NonAscii.of(raw)
    table = chars.lowering()
    if table:  # non-ASCII letters whose lower case differs: lower them at str level (same characters count)
        encoded = [t.translate(table).encode("utf-8") if not t.isascii() else b for t, b in zip(texts, encoded,
                                                                                              strict=True)]
        raw = bytearray(_TEXT_SEP_B).join([b" ", *encoded, b" "])
        chars = _NonAscii.of(raw)
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    starts = 1 + len(_TEXT_SEP_B) + np.concatenate(([0], np.cumsum(lengths + len(_TEXT_SEP_B))[:-1]))
    nb = _normalize_words(raw, chars) if words_only else _normalize_bytes(raw, chars)
    return nb, _forward(starts, nb.deleted)


def _match_chunk(cl: CompiledLexicon, texts: Sequence[str], *, negation: bool, offsets: bool) -> _ChunkHits:
    nb, text_start = _prepare_chunk(texts, words_only=cl.words_only and not negation and not offsets)
    kid, start, end, last = _raw_hits(cl, nb.norm)
    keep = _resolve(cl, kid, start, end, last)
    kid, start, end = kid[keep], start[keep], end[keep]
    which = np.searchsorted(text_start, start, side="right") - 1
    neg = _negated(nb.norm, start) if negation else np.zeros(start.size, dtype=bool)
    entry = cl.key_entry[kid]
    if not offsets:
        z = np.zeros(0, dtype=np.int64)
        return _ChunkHits(which, z, z, entry, neg, z)
    # character offsets within each text
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    char_start = 1 + len(_TEXT_SEP) + np.concatenate(([0], np.cumsum(lengths + len(_TEXT_SEP))[:-1]))
    base = char_start[which]
    c_start, c_end = nb.to_chars(start) - base, nb.to_chars(end, end=True) - base
    # word index of each hit within its text: count word starts between the text's start and the hit
    a = np.frombuffer(nb.norm, dtype=np.uint8)
    word_start = np.flatnonzero((a[1:] != _SOFT) & (a[:-1] == _SOFT)) + 1
    tok = np.searchsorted(word_start, start) - np.searchsorted(word_start, text_start[which])
    return _ChunkHits(which, c_start, c_end, entry, neg, tok)


def _chunk_bounds(texts: Sequence[str]) -> list[tuple[int, int]]:
    """Consecutive ranges of texts of fewer than ``_CHUNK_CHARS`` characters each (at least one text)."""
    n = len(texts)
    if n == 0:
        return []
    cum = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=n) + len(_TEXT_SEP))
    bounds: list[tuple[int, int]] = []
    i, base = 0, 0
    while i < n:
        j = max(int(np.searchsorted(cum, base + _CHUNK_CHARS)), i + 1)
        bounds.append((i, j))
        base, i = int(cum[j - 1]), j
    return bounds


def _check_texts(texts: Sequence[str]) -> list[str]:
    texts = list(texts)
    if set(map(type, texts)) - {str}:
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise ParameterError(f"texts[{i}] must be a string, got {type(t).__name__}")
    return texts


def match_texts(texts: Sequence[str], lexicon: str | PathLike | Lexicon, *, negation: bool = True) -> pd.DataFrame:
    """Match ``lexicon`` in a list of strings.

    Returns
    -------
    DataFrame
        One row per hit: ``text_id`` (position in ``texts``), ``start``, ``end`` (offsets into that string),
        ``category``, ``entry``, ``matched``, ``negated``, ``weight``, ``token`` (word index of the hit).
    """
    cl = compile_lexicon(lexicon)
    texts = _check_texts(texts)
    parts = [(_match_chunk(cl, texts[a:b], negation=negation, offsets=True), a) for a, b in _chunk_bounds(texts)]
    return _hits_frame(cl, texts, parts)


def _hits_frame(cl: CompiledLexicon, texts: Sequence[str], parts: list[tuple[_ChunkHits, int]]) -> pd.DataFrame:
    lex = cl.lexicon
    if parts:
        text_id = np.concatenate([h.text + a for h, a in parts])
        start = np.concatenate([h.start for h, _ in parts])
        end = np.concatenate([h.end for h, _ in parts])
        entry = np.concatenate([h.entry for h, _ in parts])
        neg = np.concatenate([h.negated for h, _ in parts])
        tok = np.concatenate([h.token for h, _ in parts])
    else:
        text_id = start = end = entry = tok = np.zeros(0, dtype=np.int64)
        neg = np.zeros(0, dtype=bool)
    cats = np.asarray(lex.categories, dtype=object)
    pats = np.asarray([e.pattern for e in lex.entries], dtype=object)
    matched = [texts[t][s:e] for t, s, e in zip(text_id.tolist(), start.tolist(), end.tolist(), strict=True)]
    return pd.DataFrame({
        "text_id": text_id.astype(np.int64),
        "start": start.astype(np.int64),
        "end": end.astype(np.int64),
        "category": pd.Series(cats[cl.entry_cat[entry]] if entry.size else [], dtype=object),
        "entry": pd.Series(pats[entry] if entry.size else [], dtype=object),
        "matched": pd.Series(matched, dtype=object),
        "negated": neg.astype(bool),
        "weight": cl.entry_weight[entry] if entry.size else np.zeros(0),
        "token": tok.astype(np.int64),
    })


def count_matrix(texts: Sequence[str], lexicon: str | PathLike | Lexicon, *, include_negated: bool = True,
                 weighted: bool = False) -> sp.csr_matrix:
    """Return a sparse ``len(texts) x n_categories`` matrix of hit counts (or summed weights)."""
    cl = compile_lexicon(lexicon)
    texts = _check_texts(texts)
    rows, cols, vals = [], [], []
    for a, b in _chunk_bounds(texts):
        h = _match_chunk(cl, texts[a:b], negation=not include_negated, offsets=False)
        keep = ~h.negated
        rows.append(h.text[keep] + a)
        cols.append(cl.entry_cat[h.entry[keep]])
        vals.append(cl.entry_weight[h.entry[keep]] if weighted else np.ones(int(keep.sum()), dtype=np.int64))
    shape = (len(texts), len(cl.lexicon.categories))
    if not rows:
        return sp.csr_matrix(shape, dtype=float if weighted else np.int64)
    m = sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=shape)
    return m.tocsr()


def match_sentences(sentences: pd.DataFrame, lexicon: str | PathLike | Lexicon, *,
                    negation: bool = True) -> pd.DataFrame:
    """Match ``lexicon`` in a sentences table (``doc_id``, ``sent_id``, ``start``, ``text``).

    Returns
    -------
    DataFrame
        One row per hit with :data:`HIT_COLUMNS`: ``start``/``end`` are offsets into the raw document text
        (sentence start + offset in the sentence), ``entry`` is the lexicon pattern, ``matched`` the text.
    """
    missing = [c for c in ("doc_id", "sent_id", "start", "text") if c not in sentences.columns]
    if missing:
        raise ParameterError(f"sentences table lacks column(s) {missing}")
    texts = sentences["text"].astype(str).tolist()
    hits = match_texts(texts, lexicon, negation=negation)
    rows = hits["text_id"].to_numpy()
    out = pd.DataFrame({
        "doc_id": sentences["doc_id"].to_numpy()[rows] if len(rows) else pd.Series([], dtype=object),
        "sent_id": sentences["sent_id"].to_numpy()[rows].astype(np.int64) if len(rows) else np.zeros(0, np.int64),
        "start": sentences["start"].to_numpy()[rows].astype(np.int64) + hits["start"].to_numpy(),
        "end": sentences["start"].to_numpy()[rows].astype(np.int64) + hits["end"].to_numpy(),
    })
    for c in ("category", "entry", "matched", "negated", "weight", "token"):
        out[c] = hits[c].to_numpy()
    return out[HIT_COLUMNS].reset_index(drop=True)
