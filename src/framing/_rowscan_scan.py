"""The free functions of :mod:`framing.rowscan`: literal scans, pattern runs, tries and first-character scans.

Private: :mod:`framing.rowscan` re-exports the public ones (``scan_runs``, ``scan_rows``, ``gc_paused``,
``trie_pattern``, ``fast_pattern``, ``scan_fast``) and its :class:`~framing.rowscan.RowText` uses the others.
"""

from __future__ import annotations

import functools
import gc
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ParamSpec, TypeVar

import numpy as np

from framing.match import _matcher

_T = TypeVar("_T")
_P = ParamSpec("_P")


def _re_word(ch: str) -> bool:
    """Whether ``re`` (str patterns) takes ``ch`` for a word character (alphanumeric or underscore)."""
    return ch.isalnum() or ch == "_"


def _non_overlapping(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Flag the spans (sorted by start, one per start) that ``finditer`` keeps: none starting inside a kept one."""
    keep = np.ones(len(starts), dtype=bool)
    if len(starts) < 2:
        return keep
    # a span starting at or after the end of every span before it is kept; the others (rare) are decided in
    # order against the last kept span, which ends furthest (kept spans do not overlap)
    sure = np.r_[True, starts[1:] >= np.maximum.accumulate(ends)[:-1]]
    last_sure = np.maximum.accumulate(np.where(sure, np.arange(len(starts)), -1))
    end = -1  # the end of the last kept span among the others
    for i in np.flatnonzero(~sure).tolist():
        keep[i] = bool(starts[i] >= max(int(ends[last_sure[i]]), end))
        if keep[i]:
            end = int(ends[i])
    return keep


def _positions_of(data: np.ndarray, byte: int) -> np.ndarray:
    """Return the positions of ``byte`` in ``data``."""
    return np.flatnonzero(data == byte)


def _in_ranges(data: np.ndarray, chars: str) -> np.ndarray:
    """Flag the bytes of ``data`` that are among the ASCII ``chars``, compared range by range (no lookup)."""
    codes = sorted(set(chars.encode("ascii")))
    out = np.zeros(len(data), dtype=bool)
    lo = codes[0]
    for prev, c in itertools.pairwise([*codes, -1]):
        if c != prev + 1:  # a range lo..prev of consecutive codes ends: one subtraction (wrapping) and one compare
            out |= (data - np.uint8(lo)) <= np.uint8(prev - lo)
            lo = c
    return out


@functools.lru_cache(maxsize=64)
def _stop_bytes(glue: str) -> np.ndarray:
    """Flag (256 entries) the ASCII characters (not whitespace) outside ``glue``: a row ending with one is a cut.

    (A row ending with a character beyond ASCII, or empty, ends with a byte >= 0x80: no cut.)
    """
    table = np.zeros(256, dtype=bool)
    table[[c for c in range(128) if not chr(c).isspace() and chr(c) not in glue]] = True
    return table


@functools.lru_cache(maxsize=16)
def _database(keys: tuple[bytes, ...], caseless: tuple[bool, ...]) -> Any:
    """Compile a Hyperscan block-mode database of the literal ``keys`` (id = position), some ASCII-caseless."""
    hs = _matcher._hs
    database = hs.Database(mode=hs.HS_MODE_BLOCK)
    database.compile(expressions=list(keys), ids=list(range(len(keys))), elements=len(keys),
                     flags=[hs.HS_FLAG_CASELESS if c else 0 for c in caseless], literal=True)
    return database


@functools.lru_cache(maxsize=16)
def _automaton(keys: tuple[bytes, ...]) -> Any:
    """Build a pyahocorasick automaton of ``keys`` (decoded as Latin-1; value = position in ``keys``)."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for i, k in enumerate(keys):
        auto.add_word(k.decode("latin-1"), i)
    auto.make_automaton()
    return auto


def _literal_ends(keys: tuple[bytes, ...], caseless: tuple[bool, ...], data: bytes
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Find every occurrence of the byte strings ``keys`` in ``data``: (key index, position of its last byte).

    A caseless key is given in lower case and found whatever the ASCII case of the text. Hyperscan when
    :data:`framing.match._matcher.MATCHER` says so, pyahocorasick otherwise (same occurrences). A key given
    several times (for several triggers) is searched for once and its occurrences go to each.
    """
    owned: dict[tuple[bytes, bool], list[int]] = {}
    for i, kc in enumerate(zip(keys, caseless, strict=True)):
        owned.setdefault(kc, []).append(i)
    unique = tuple(owned)
    owners = list(owned.values())
    if _matcher.MATCHER == "hyperscan" and _matcher._hs is not None:
        found: list[int] = []
        add = found.append

        def on_match(slot: int, start: int, end: int, flags: int, context: object) -> None:
            add(slot << 32 | end)  # one int per occurrence: the callback is the per-occurrence cost

        database = _database(tuple(k for k, _ in unique), tuple(c for _, c in unique))
        # a thread other than the main one scans with its own scratch space (framing.match's: one scan at a time)
        database.scan(data, match_event_handler=on_match, scratch=_matcher._scratch(database))
        packed = np.asarray(found, dtype=np.int64)
        which, at = packed >> 32, (packed & 0xFFFFFFFF) - 1
    else:
        parts = [np.empty(0, np.int64)]
        for flag in (False, True):
            ids = [i for i, (_, c) in enumerate(unique) if c == flag]
            if ids:
                text = (data.lower() if flag else data).decode("latin-1")
                flat = np.fromiter(itertools.chain.from_iterable(
                    _automaton(tuple(unique[i][0] for i in ids)).iter(text)), dtype=np.int64)
                parts.append(np.asarray(ids, dtype=np.int64)[flat[1::2]] << 32 | flat[0::2])
        packed = np.concatenate(parts)
        which, at = packed >> 32, packed & 0xFFFFFFFF
    # each occurrence of a unique key, once per key of ``keys`` that it stands for
    per_key = np.asarray([len(o) for o in owners], dtype=np.int64)
    first = np.concatenate([[0], np.cumsum(per_key)[:-1]])
    flat_owners = np.asarray([i for o in owners for i in o], dtype=np.int64)
    reps = per_key[which]
    inner = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    return flat_owners[np.repeat(first[which], reps) + inner], np.repeat(at, reps)


def scan_runs(fast: re.Pattern[str], text: str, starts: Iterable[int], stops: Iterable[int],
              limits: Iterable[int], shift: int = 0) -> list[re.Match[str]]:
    """Return the matches (``finditer`` semantics) of the pattern behind ``fast`` that start inside the runs.

    ``fast`` is a pattern of :func:`fast_pattern` (a match at every position where the wrapped pattern
    matches, its group ``_all``); ``text`` is searched from each run's start up to its limit
    (:meth:`RowText.runs`), lazily, until a match starts at or after the run's stop. A match starting inside
    the previous kept match is dropped, as ``finditer`` does. ``shift``: ``text`` has ``shift`` characters
    more than the joined rows before them (a newline, for patterns anchored at a row's start); starts and
    stops then fall on the newline before a row, as they should, and the limits move by ``shift``.
    """
    out: list[re.Match[str]] = []
    end = -1
    finditer = fast.finditer
    for a, b, z in zip(starts, stops, limits, strict=True):
        for m in finditer(text, a, z + shift):
            if m.start() >= b:
                break
            if m.start("_all") >= end:
                out.append(m)
                end = m.end("_all")
    return out


def scan_rows(fast: re.Pattern[str], text: str, row_at: np.ndarray, starts: np.ndarray, stops: np.ndarray,
              limits: np.ndarray, shift: int = 1) -> list[re.Match[str]]:
    """Return the matches of :func:`scan_runs` for a pattern anchored at a row's start, tried at each row of the runs.

    ``fast`` matches only at a newline (:func:`fast_pattern` anchored with a newline); ``row_at`` holds the position in
    ``text`` of the newline before each row (the rows' offsets in the joined text: ``text`` has one newline
    more before them). The pattern is tried (``match``, seeing ``text`` up to the run's limit) at each row
    start from the run's start to its stop: the matches ``finditer`` finds there, without the tries it makes
    at the rows after the run, up to its limit, before it gives up.
    """
    out: list[re.Match[str]] = []
    end = -1
    match = fast.match
    rows = np.asarray(row_at, dtype=np.int64)
    first = np.searchsorted(rows, starts, side="left").tolist()
    last = np.searchsorted(rows, stops, side="left").tolist()
    at = rows.tolist()
    for i, j, z in zip(first, last, (np.asarray(limits, dtype=np.int64) + shift).tolist(), strict=True):
        for p in at[i:j]:
            m = match(text, p, z)
            if m is not None and m.start("_all") >= end:
                out.append(m)
                end = m.end("_all")
    return out


def gc_paused(func: Callable[_P, _T]) -> Callable[_P, _T]:
    """Run ``func`` with Python's cyclic garbage collector paused (restarted on return, as it was).

    The searches over joined texts make hundreds of thousands of short-lived objects (match objects, tuples)
    that reference counting frees; each allocation burst also set off the collector, whose full passes over
    every live object cost the coder rule a fifth of its time (BBC, 25 MB). Nothing changes but the timing:
    reference cycles made meanwhile are collected once the collector runs again.
    """

    @functools.wraps(func)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        if not gc.isenabled():
            return func(*args, **kwargs)
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            gc.enable()

    return paused


# --- compiled patterns over joined texts (used by framing.framerules) --------------------------------------


def trie_pattern(words: Sequence[str]) -> str:
    r"""One regex alternation of ``words`` as a trie (Smith, Smith-Jones, Smyth: ``Sm(?:ith(?:\-Jones)?|yth)``).

    At any position it matches what ``|``-joining the words longest first matches (greedy branches try the
    longer word first and back off to shorter ones on the same path), but ``re`` no longer tries every word
    in turn at every position, which made a corpus with thousands of names (or 179 reporting verbs) slow.
    """
    trie: dict[str, Any] = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return build(trie)


def fast_pattern(pattern: re.Pattern[str], first: str) -> re.Pattern[str]:
    r"""Return a pattern finding every position where ``pattern`` matches, with ``re``'s quick first-char scan.

    ``re`` tries a pattern at every position of the text unless it opens with a literal or a character set;
    ``\b`` or ``^`` opening a pattern defeats that scan. The returned pattern opens with ``first`` (a set
    holding every character a match of ``pattern`` can start with, or ``\n`` for a pattern anchored with
    ``^``, searched in the text behind one newline) and runs ``pattern`` as a lookahead capturing group
    ``_all``: :func:`scan_fast` keeps the matches ``pattern.finditer`` would give.
    """
    body, flags = pattern.pattern, pattern.flags
    if flags & re.IGNORECASE:  # a case-insensitive ``first`` would turn the quick scan off: scope the flag
        body, flags = f"(?i:{body})", flags & ~re.IGNORECASE
    if first == "\n":
        return re.compile(rf"\n(?=(?P<_all>{body}))", flags)
    return re.compile(rf"{first}(?<=(?=(?P<_all>{body})){first})", flags)


def scan_fast(fast: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Return the matches of the pattern behind ``fast`` (:func:`fast_pattern`) in ``text`` as ``finditer`` gives them.

    ``fast`` yields a match at every position where the pattern matches; ``finditer`` goes on searching after
    the end of each match, so a candidate starting inside the previous kept match is dropped (the patterns
    wrapped never match the empty string). Positions are those of the match objects' group ``_all``.
    """
    out: list[re.Match[str]] = []
    end = -1
    for m in fast.finditer(text):
        if m.start("_all") >= end:
            out.append(m)
            end = m.end("_all")
    return out
