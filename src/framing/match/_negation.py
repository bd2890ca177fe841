"""Negation scopes: negators and clause-ending words found by one scan, scopes computed with numpy."""

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
    database = _literal_database([k for k, _ in keys])
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

