"""Hits of a compiled lexicon in a normalised buffer: key occurrences, exclusions, longest-match overlaps."""

from __future__ import annotations

import numpy as np

from framing.match._compile import CompiledLexicon
from framing.match._matcher import _scan
from framing.match._normalize import _SOFT, _WORD_END_PROBES


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


def _expand(indptr: np.ndarray, values: np.ndarray, ids: np.ndarray,
            payload: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each ``id`` stands for ``values[indptr[id]:indptr[id + 1]]``: one row per value, its payload repeated."""
    lo, hi = indptr[ids], indptr[ids + 1]
    many = hi - lo
    if (many == 1).all():  # the usual case: one value per id
        return values[lo], payload
    out = np.repeat(payload, many)
    first = np.repeat(lo - np.concatenate(([0], np.cumsum(many)[:-1])), many)
    return values[first + np.arange(out.size)], out


def _raw_hits(cl: CompiledLexicon, norm: bytearray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All key occurrences in ``norm`` as (key id, start, end of the *word span*, last byte of the key)."""
    if not len(cl.automaton):
        z = np.zeros(0, dtype=np.int64)
        return z, z, z, z
    kid, last = _expand(cl.slot_start, cl.slot_kids, *_scan(cl, norm))  # a slot stands for one key or more
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

