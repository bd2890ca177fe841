"""The matching engine: compiled lexicons, normalised text, longest-match overlaps, negation scopes.

Design (measured in ``benchmarks/bench_lexicon.py``; see ``docs/lexicons.md``)
--------------------------------------------------------------------------------
Text is normalised in bulk (a chunk of many sentences or documents at once) into a string where every
word is separated by spaces, and all patterns are put into one Aho-Corasick automaton (pyahocorasick, C)
as space-delimited keys (`` council leader `` for a word or phrase, `` resign`` for a wildcard). One
pass over the chunk finds every occurrence of every pattern with word boundaries already respected, so
there is no Python loop over tokens or entries: Python only touches the hits, and those are processed
with numpy. Measured on 2 MB of news: normalisation ~19 ms, the scan ~15 ms; splitting into Python tokens
and hashing them (the token-lookup alternative) costs ~48 ms before any lookup, and a trie-shaped regular
expression scans ~2x slower than the automaton.

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
and at but/however/although/though/whereas/except. ``without`` is *not* a negator: "without effective
co-ordination" reports a failure rather than denying one. An entry that contains its own negator
(``nothing to apologise for``) is not negated by it.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import ahocorasick
import numpy as np
import pandas as pd
import scipy.sparse as sp

from framing.errors import LexiconError, ParameterError
from framing.lexicon import Lexicon, load_lexicon, pattern_variants
from framing.types import PathLike

__all__ = [
    "HIT_COLUMNS",
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

_SPACE = 32
_LUT_SIZE = 0x10000  # the Basic Multilingual Plane; code points above it are word characters, kept as they are
_NEGATOR_RE = re.compile(
    r"(?<= )(?:not|no|never|none|nobody|no one|noone|nothing|neither|nor|nowhere|cannot|\w+n t)(?= )"
)
_CLAUSE_END_RE = re.compile(r"  | (?:but|however|although|though|whereas|except) ")
_CHUNK_CHARS = 2_000_000
_TEXT_SEP = "\x00\x00"  # between texts of a chunk: two hard boundaries


_HARD_CP, _HYPHEN_CP = 1, 45


@functools.lru_cache(maxsize=1)
def _lut() -> np.ndarray:
    """Lookup table over the BMP giving each code point's normalised form: the lower-case letter for word
    characters (Python's ``\\w``; 1:1 lower-casing only), a space for soft separators (whitespace and
    apostrophes), ``-`` for hyphens and dashes (decided by context later) and ``\\x01`` for hard ones."""
    lut = np.full(_LUT_SIZE, _HARD_CP, dtype=np.uint32)
    for i in range(_LUT_SIZE):
        c = chr(i)
        if c.isalnum() or c == "_":
            lc = c.lower()
            lut[i] = ord(lc) if len(lc) == 1 else i
        elif c.isspace():
            lut[i] = _SPACE
    for c in "'’‘ʼ`´′":
        lut[ord(c)] = _SPACE
    for c in "-‐‑‒–—―−":
        lut[ord(c)] = _HYPHEN_CP
    return lut


def _normalize_codes(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Normalised code points, padded with a space at each end (soft runs merged, hard boundaries still
    ``\\x01``), and for each of them its raw position (``-1`` and ``len(text)`` for the padding)."""
    lut = _lut()
    arr = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    n = arr.size
    g = np.empty(n + 2, dtype=np.uint32)
    g[0] = g[-1] = _SPACE
    if n and int(arr.max()) >= _LUT_SIZE:
        g[1:-1] = np.where(arr < _LUT_SIZE, lut[np.minimum(arr, _LUT_SIZE - 1)], arr)
    else:
        np.take(lut, arr, out=g[1:-1])
    hyphen = np.flatnonzero(g == _HYPHEN_CP)
    if hyphen.size:  # never at the padded ends
        before, after = g[hyphen - 1], g[hyphen + 1]
        word = (before != _SPACE) & (before != _HARD_CP) & (before != _HYPHEN_CP) \
            & (after != _SPACE) & (after != _HARD_CP) & (after != _HYPHEN_CP)
        g[hyphen] = _HARD_CP
        g[hyphen[word]] = _SPACE
    soft = g == _SPACE
    keep = np.empty(n + 2, dtype=bool)
    keep[0] = True
    np.logical_not(soft[1:] & soft[:-1], out=keep[1:])
    keep[-1] = True  # the end padding stays (it may follow a soft run)
    return g[keep], np.flatnonzero(keep) - 1


def normalize_text(text: str) -> tuple[str, np.ndarray]:
    """Normalise ``text`` for matching; return ``(norm, raw_index)``.

    Words are lower-cased runs of word characters (as Python's ``\\w``) separated by single spaces; a
    run of soft separators (whitespace, apostrophes, a hyphen between two word characters) is one space;
    every other character is a hard boundary written as a space that never merges with its neighbours, so
    a punctuation mark followed or preceded by a space gives two spaces, which no phrase key can cross
    (a mark glued between two words, as in ``and/or``, gives one). ``norm`` starts and ends with a
    space; ``raw_index[i]`` is the position in ``text`` of ``norm[i]`` (``-1`` and ``len(text)`` for the
    padding). Vectorised: numpy on the code points with a lookup table, no Python loop over characters.
    """
    codes, raw_index = _normalize_codes(text)
    return codes.tobytes().decode("utf-32-le").replace("\x01", " "), raw_index


def tokenize_normalized(text: str) -> list[str]:
    """The engine's words of ``text``: maximal runs of word characters in its normalised form."""
    return normalize_text(text)[0].split()


@dataclass(frozen=True)
class CompiledLexicon:
    """A lexicon compiled into one automaton. Arrays are indexed by key id."""

    lexicon: Lexicon
    automaton: ahocorasick.Automaton
    key_len: np.ndarray  # length of the automaton key (with its leading space, and trailing space if any)
    key_prefix: np.ndarray  # bool: wildcard (the hit extends to the end of the word)
    key_entry: np.ndarray  # entry index (into lexicon.entries)
    key_block: np.ndarray  # bool: exclusion key (blocks its entry's hits)
    entry_cat: np.ndarray  # category index per entry
    entry_weight: np.ndarray
    slot_start: np.ndarray  # automaton value v (a slot) stands for key ids slot_kids[slot_start[v]:slot_start[v + 1]]
    slot_kids: np.ndarray


def _keys_for(pattern: str) -> list[tuple[str, bool]]:
    """Automaton keys of a pattern: ``(key, is_prefix)``; hyphenated words also get their closed form."""
    out = []
    for v in pattern_variants(pattern):
        star = v.endswith("*")
        out.append((" " + v.rstrip("*") + ("" if star else " "), star))
    return out


@functools.lru_cache(maxsize=32)
def _compile_cached(lexicon: Lexicon) -> CompiledLexicon:
    auto = ahocorasick.Automaton()
    key_len: list[int] = []
    key_prefix: list[bool] = []
    key_entry: list[int] = []
    key_block: list[bool] = []
    slots: dict[str, list[int]] = {}
    cat_index = {c: i for i, c in enumerate(lexicon.categories)}

    def add(key: str, prefix: bool, entry: int, block: bool) -> None:
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
        auto.add_word(key, v)
        slot_kids.extend(kids)
        slot_start.append(len(slot_kids))
    if len(auto):
        auto.make_automaton()
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
    )


def compile_lexicon(lexicon: str | PathLike | Lexicon) -> CompiledLexicon:
    """Load (if needed) and compile ``lexicon``; compiled lexicons are cached."""
    return _compile_cached(load_lexicon(lexicon))


def _raw_hits(cl: CompiledLexicon, norm: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All key occurrences in ``norm`` as (key id, start, end) of the *word span* in ``norm``."""
    if not len(cl.automaton):
        z = np.zeros(0, dtype=np.int64)
        return z, z, z
    flat = np.fromiter(itertools.chain.from_iterable(cl.automaton.iter(norm)), dtype=np.int64)
    slot_last = flat[0::2]
    slot = flat[1::2]
    lo, hi = cl.slot_start[slot], cl.slot_start[slot + 1]
    many = hi - lo
    if (many == 1).all():  # the usual case: one key per automaton value
        kid, last = cl.slot_kids[lo], slot_last
    else:
        last = np.repeat(slot_last, many)
        first = np.repeat(lo - np.concatenate(([0], np.cumsum(many)[:-1])), many)
        kid = cl.slot_kids[first + np.arange(last.size)]
    start = last - cl.key_len[kid] + 2  # skip the leading space
    prefix = cl.key_prefix[kid]
    end = np.where(prefix, last + 1, last)  # word keys end with a space: exclude it
    if prefix.any():
        find = norm.find
        end[prefix] = np.fromiter((find(" ", e) for e in (last[prefix] + 1).tolist()), dtype=np.int64,
                                  count=int(prefix.sum()))
    return kid, start, end


def _resolve(cl: CompiledLexicon, kid: np.ndarray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Indices of the hits that survive exclusions and overlap resolution, in text order."""
    if kid.size == 0:
        return np.zeros(0, dtype=np.int64)
    entry = cl.key_entry[kid]
    block = cl.key_block[kid]
    alive = ~block
    if block.any():
        b = pd.DataFrame({"entry": entry[block], "bs": start[block], "be": end[block]})
        h = pd.DataFrame({"entry": entry[alive], "hs": start[alive], "he": end[alive], "i": np.flatnonzero(alive)})
        m = h.merge(b, on="entry")
        dead = m.loc[(m.hs >= m.bs) & (m.he <= m.be), "i"].to_numpy()
        alive[dead] = False
    idx = np.flatnonzero(alive)
    if idx.size == 0:
        return idx
    # one row per (span, category): dedupe
    cat = cl.entry_cat[entry[idx]]
    frame = pd.DataFrame({"s": start[idx], "e": end[idx], "c": cat, "i": idx})
    frame = frame.sort_values(["s", "e", "c", "i"], kind="stable").drop_duplicates(["s", "e", "c"])
    spans = frame[["s", "e"]].drop_duplicates().sort_values(["s", "e"], ascending=[True, False], kind="stable")
    s = spans["s"].to_numpy()
    e = spans["e"].to_numpy()
    prev_max = np.maximum.accumulate(np.concatenate(([-1], e[:-1])))
    contained = prev_max >= e
    s, e = s[~contained], e[~contained]
    prev_max = np.maximum.accumulate(np.concatenate(([-1], e[:-1])))
    crossing = prev_max > s
    if crossing.any():  # crossing spans: greedy, longest first, within each group of crossing spans only
        keep = np.ones(s.size, dtype=bool)
        group = np.cumsum(~crossing)
        for g in np.unique(group[crossing]):
            members = np.flatnonzero(group == g)
            order = members[np.lexsort((s[members], -(e[members] - s[members])))]
            taken: list[tuple[int, int]] = []
            for j in order:
                if all(e[j] <= ts or s[j] >= te for ts, te in taken):
                    taken.append((int(s[j]), int(e[j])))
                else:
                    keep[j] = False
        s, e = s[keep], e[keep]
    good = pd.MultiIndex.from_arrays([s, e])
    kept = frame[pd.MultiIndex.from_arrays([frame["s"].to_numpy(), frame["e"].to_numpy()]).isin(good)]
    return kept.sort_values(["s", "e", "c"], kind="stable")["i"].to_numpy()


def _negated(norm: str, start: np.ndarray) -> np.ndarray:
    """Whether each hit starting at ``start`` (positions in ``norm``) lies in a negation scope."""
    if start.size == 0:
        return np.zeros(0, dtype=bool)
    scope_s: list[int] = []
    scope_e: list[int] = []
    for m in _NEGATOR_RE.finditer(norm):
        s = m.end()
        stop = _CLAUSE_END_RE.search(norm, s)
        limit = stop.start() if stop else len(norm)
        pos = s
        for _ in range(NEGATION_WINDOW):
            nxt = norm.find(" ", pos + 1)
            if nxt < 0 or nxt > limit:
                pos = limit
                break
            pos = nxt
        scope_s.append(s)
        scope_e.append(min(pos, limit))
    if not scope_s:
        return np.zeros(start.size, dtype=bool)
    ss = np.asarray(scope_s)
    se = np.maximum.accumulate(np.asarray(scope_e))
    j = np.searchsorted(ss, start, side="right") - 1
    return (j >= 0) & (start < se[np.clip(j, 0, None)])


@dataclass
class _ChunkHits:
    text: np.ndarray  # index of the text within the chunk
    start: np.ndarray  # raw offsets within that text
    end: np.ndarray
    entry: np.ndarray
    negated: np.ndarray
    token: np.ndarray


def _match_chunk(cl: CompiledLexicon, texts: Sequence[str], negation: bool, tokens: bool = True) -> _ChunkHits:
    joined = _TEXT_SEP.join(texts)
    norm, raw_index = normalize_text(joined)
    kid, start, end = _raw_hits(cl, norm)
    keep = _resolve(cl, kid, start, end)
    kid, start, end = kid[keep], start[keep], end[keep]
    raw_s = raw_index[start]
    raw_e = raw_index[end - 1] + 1
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    offsets = np.concatenate(([0], np.cumsum(lengths + len(_TEXT_SEP))[:-1]))
    which = np.searchsorted(offsets, raw_s, side="right") - 1
    neg = _negated(norm, start) if negation else np.zeros(start.size, dtype=bool)
    if not tokens:
        z = np.zeros(start.size, dtype=np.int64)
        return _ChunkHits(which, raw_s - offsets[which], raw_e - offsets[which], cl.key_entry[kid], neg, z)
    # word index of each hit within its text: count word starts between the text's start and the hit
    arr = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32)
    word_start = np.flatnonzero((arr[1:] != _SPACE) & (arr[:-1] == _SPACE)) + 1
    text_norm_start = np.searchsorted(raw_index, offsets) if len(texts) else np.zeros(0, np.int64)
    tok = np.searchsorted(word_start, start) - np.searchsorted(word_start, text_norm_start[which])
    return _ChunkHits(which, raw_s - offsets[which], raw_e - offsets[which], cl.key_entry[kid], neg, tok)


def _iter_chunks(texts: Sequence[str]) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    i, n = 0, len(texts)
    while i < n:
        size, j = 0, i
        while j < n and (j == i or size + len(texts[j]) < _CHUNK_CHARS):
            size += len(texts[j]) + len(_TEXT_SEP)
            j += 1
        bounds.append((i, j))
        i = j
    return bounds


def match_texts(texts: Sequence[str], lexicon: str | PathLike | Lexicon, *, negation: bool = True) -> pd.DataFrame:
    """Match ``lexicon`` in a list of strings.

    Returns
    -------
    DataFrame
        One row per hit: ``text_id`` (position in ``texts``), ``start``, ``end`` (offsets into that string),
        ``category``, ``entry``, ``matched``, ``negated``, ``weight``, ``token`` (word index of the hit).
    """
    cl = compile_lexicon(lexicon)
    texts = [_check_text(t, i) for i, t in enumerate(texts)]
    parts = []
    for a, b in _iter_chunks(texts):
        h = _match_chunk(cl, texts[a:b], negation)
        parts.append((h, a))
    return _hits_frame(cl, texts, parts)


def _check_text(t: object, i: int) -> str:
    if not isinstance(t, str):
        raise ParameterError(f"texts[{i}] must be a string, got {type(t).__name__}")
    return t


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
    rows, cols, vals = [], [], []
    texts = [_check_text(t, i) for i, t in enumerate(texts)]
    for a, b in _iter_chunks(texts):
        h = _match_chunk(cl, texts[a:b], negation=not include_negated, tokens=False)
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
