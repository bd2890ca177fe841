"""Negation scopes: negators found by one scan, clause ends and scopes computed with numpy."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

import ahocorasick
import numpy as np

from framing.match._matcher import _literal_database, _scan
from framing.match._normalize import _SOFT

NEGATION_WINDOW = 6
"""How many words after a negator its scope reaches (at most; punctuation ends it earlier)."""


@dataclass(frozen=True)
class _Markers:
    """Negators (and the ``n t`` of n't forms), compiled like a lexicon (one scan finds them all)."""

    automaton: ahocorasick.Automaton
    database: Any
    key_len: np.ndarray
    kind: np.ndarray  # _NEGATOR (a negator word), _NT (``n t ``: the end of an n't form)


_NEGATOR_WORDS = ("not", "no", "never", "none", "nobody", "noone", "nothing", "neither", "nor", "nowhere", "cannot")
_CLAUSE_WORDS = ("but", "however", "although", "though", "whereas", "except", "whilst", "while", "because", "since",
                 "unless", "until", "in", "at", "on", "into", "within", "across", "throughout")
"""Words that end a negation scope: contrast and subordinate clauses, and locative prepositions (in "nor rebuild
confidence in Haringey" the negator denies the rebuilding, not Haringey)."""
_NEGATOR, _NT = 0, 1
_NO_SLOT = _NEGATOR_WORDS.index("no")  # the markers' slot of "no" (negator words first, in this order)
_WORD_RE = re.compile(r"\w+")


@functools.lru_cache(maxsize=1)
def _markers() -> _Markers:
    """The negators (and the ``n t`` of n't forms) as one matcher; clause words are read off the scopes instead."""
    keys = [(f" {w} ".encode(), _NEGATOR) for w in _NEGATOR_WORDS] + [(b"n t ", _NT)]
    auto = ahocorasick.Automaton()
    for i, (k, _) in enumerate(keys):
        auto.add_word(k.decode("latin-1"), i)
    auto.make_automaton()
    database = _literal_database([k for k, _ in keys])
    return _Markers(auto, database, np.asarray([len(k) for k, _ in keys]), np.asarray([c for _, c in keys]))


_WIDTH = 16  # a word as one 16-byte value: its bytes zero-padded, its length in the last byte
_CLAUSE_KEYS = np.zeros((len(_CLAUSE_WORDS), _WIDTH), dtype=np.uint8)
for _i, _w in enumerate(_CLAUSE_WORDS):
    _CLAUSE_KEYS[_i, :len(_w)] = np.frombuffer(_w.encode(), dtype=np.uint8)
    _CLAUSE_KEYS[_i, -1] = len(_w)
_CLAUSE_KEYS_V = _CLAUSE_KEYS.view(f"V{_WIDTH}").ravel()


def _scope_ends(a: np.ndarray, spaces: np.ndarray, i: np.ndarray) -> np.ndarray:
    """End of the scopes opening at the spaces ``spaces[i]``: the leading space of the first of the next
    ``NEGATION_WINDOW`` words that is empty (a hard boundary: two spaces) or a clause word, else the
    ``NEGATION_WINDOW``-th space after the opening (the end of the buffer when there is none)."""
    w = NEGATION_WINDOW
    idx = i[:, None] + np.arange(w + 1)
    exists = idx < spaces.size
    sp = np.where(exists, spaces[np.minimum(idx, spaces.size - 1)], a.size)
    start, length = sp[:, :w] + 1, sp[:, 1:] - sp[:, :w] - 1
    at = np.minimum(start[..., None] + np.arange(_WIDTH), a.size - 1)
    word = np.where(np.arange(_WIDTH) < length[..., None], a[at], 0).astype(np.uint8)
    word[..., -1] = np.minimum(length, 255)
    clause = np.isin(np.ascontiguousarray(word).view(f"V{_WIDTH}")[..., 0], _CLAUSE_KEYS_V) & (length < _WIDTH)
    cut = exists[:, 1:] & ((length == 0) | clause)
    first = np.argmax(cut, axis=1)
    return np.where(cut.any(axis=1), sp[np.arange(i.size), first], sp[:, w])


def _negated(norm: bytearray, start: np.ndarray) -> np.ndarray:
    """Whether each hit starting at ``start`` (positions in ``norm``) lies in a negation scope (:func:`_scopes`)."""
    if start.size == 0:
        return np.zeros(0, dtype=bool)
    return _in_scopes(_scopes(norm), start)


def _in_scopes(scopes: tuple[np.ndarray, np.ndarray], start: np.ndarray) -> np.ndarray:
    """Whether each position ``start`` lies in one of the ``scopes`` (starts, ends) of :func:`_scopes`."""
    scope_s, scope_e = scopes
    if not scope_s.size:
        return np.zeros(start.size, dtype=bool)
    j = np.searchsorted(scope_s, start, side="right") - 1
    inside: np.ndarray = (j >= 0) & (start < scope_e[np.clip(j, 0, None)])
    return inside


def _scopes(norm: bytearray) -> tuple[np.ndarray, np.ndarray]:
    """The negation scopes of a normalised buffer: their starts (sorted) and their ends (running maximum).

    A scope starts after a negator (a negator word, but not *no* before a number, "No 10"; or a word of two or
    more word characters ending in ``n`` followed by the word ``t``: didn't, can't) and ends at the earlier of the
    ``NEGATION_WINDOW``-th space after it and the next clause end (a hard boundary, i.e. a double space, or a
    clause word). The
    negators are found by one scan of the matcher, the clause ends of their scopes with numpy on the words
    after them (:func:`_scope_ends`): clause words, as frequent as "in" and "on", never reach the matcher.
    """
    mk = _markers()
    slot, last = _scan(mk, norm)
    kind = mk.kind[slot]
    a = np.frombuffer(norm, dtype=np.uint8)
    neg_end = last[kind == _NEGATOR]  # the space after the negator word
    # "No 10", "no. 1": a number after "no" makes it the abbreviation of number, no negator
    after = np.minimum(neg_end + 1, max(a.size - 1, 0))
    numbered = (slot[kind == _NEGATOR] == _NO_SLOT) & (neg_end + 1 < a.size) & (a[after] >= 48) & (a[after] <= 57)
    neg_end = neg_end[~numbered]
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
        return scope_s, scope_s
    spaces = np.flatnonzero(a == _SOFT)
    scope_e = np.maximum.accumulate(_scope_ends(a, spaces, np.searchsorted(spaces, scope_s)))
    return scope_s, scope_e
