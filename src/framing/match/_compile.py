"""Lexicons compiled into one automaton (and one Hyperscan database): the matcher keys of every pattern."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import ahocorasick
import numpy as np

from framing.errors import LexiconError
from framing.lexicon import Lexicon, load_lexicon, pattern_variants
from framing.match._matcher import _literal_database
from framing.types import PathLike


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
    key_headonly: np.ndarray  # bool: a key of an entry with ``compound_tail: false`` (no hit right after a hyphen)
    entry_cat: np.ndarray  # category index per entry
    entry_weight: np.ndarray
    slot_start: np.ndarray  # matcher id v (a slot) stands for key ids slot_kids[slot_start[v]:slot_start[v + 1]]
    slot_kids: np.ndarray
    database: Any = None  # hyperscan.Database over the same slots (None without hyperscan or keys)
    words_only: bool = False  # every key is a single word or wildcard (no phrase) and no entry is head-only
    slot_keys: tuple[bytes, ...] = ()  # the key of each slot
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # built on first use


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
    key_headonly: list[bool] = []
    slots: dict[bytes, list[int]] = {}
    cat_index = {c: i for i, c in enumerate(lexicon.categories)}

    def add(key: bytes, prefix: bool, entry: int, block: bool) -> None:
        kid = len(key_len)
        key_len.append(len(key))
        key_prefix.append(prefix)
        key_entry.append(entry)
        key_block.append(block)
        key_headonly.append(not block and not lexicon.entries[entry].compound_tail)
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
        database = _literal_database(list(slots))
    return CompiledLexicon(
        lexicon,
        auto,
        np.asarray(key_len, dtype=np.int64),
        np.asarray(key_prefix, dtype=bool),
        np.asarray(key_entry, dtype=np.int64),
        np.asarray(key_block, dtype=bool),
        np.asarray(key_headonly, dtype=bool),
        np.asarray([cat_index[e.category] for e in lexicon.entries], dtype=np.int64),
        np.asarray([e.weight for e in lexicon.entries], dtype=float),
        np.asarray(slot_start, dtype=np.int64),
        np.asarray(slot_kids, dtype=np.int64),
        database,
        # the single-word routes do not know where hyphens stood: a head-only entry takes the general route
        all(b" " not in key.strip(b" ") for key in slots) and not any(key_headonly),
        tuple(slots),
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
