"""The public matching functions: texts cut into chunks, each normalised and scanned once; hits tables, counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd
import scipy.sparse as sp

from framing.errors import ParameterError
from framing.lexicon import Lexicon
from framing.match._compile import CompiledLexicon, compile_lexicon
from framing.match._negation import _in_scopes, _negated, _scopes
from framing.match._normalize import _SOFT, _forward, _NonAscii, _normalize_bytes, _normalize_words, _Normalized
from framing.match._resolve import _exclude, _raw_hits, _resolve
from framing.match._words import TEXT_SEP, count_pairs, joined, raw_route, raw_word_counts
from framing.types import PathLike, text_column

HIT_COLUMNS = ["doc_id", "sent_id", "start", "end", "category", "entry", "matched", "negated", "weight", "token"]
"""Columns of a hits table (``weight`` of the entry; ``token``: index of the hit's first word in its sentence)."""

_CHUNK_CHARS = 2_000_000


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
    raw, starts = joined(encoded, mutable=True)
    chars = _NonAscii.of(cast(bytearray, raw))
    table = chars.lowering()
    if table:  # non-ASCII letters whose lower case differs: lower them at str level (same characters count)
        encoded = [t.translate(table).encode("utf-8") if not t.isascii() else b for t, b in zip(texts, encoded,
                                                                                              strict=True)]
        raw, starts = joined(encoded, mutable=True)
        chars = _NonAscii.of(cast(bytearray, raw))
    buf = cast(bytearray, raw)
    nb = _normalize_words(buf, chars) if words_only else _normalize_bytes(buf, chars)
    return nb, _forward(starts, nb.deleted)


class _Prepared:
    """A chunk normalised once for several lexicons (:func:`match_texts_many`), with its negation scopes."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.nb, self.text_start = _prepare_chunk(texts)
        self._scopes: tuple[np.ndarray, np.ndarray] | None = None

    def negated(self, start: np.ndarray) -> np.ndarray:
        if start.size == 0:
            return np.zeros(0, dtype=bool)
        if self._scopes is None:
            self._scopes = _scopes(self.nb.norm)
        return _in_scopes(self._scopes, start)


def _match_chunk(cl: CompiledLexicon, texts: Sequence[str], *, negation: bool, offsets: bool,
                 prepared: _Prepared | None = None) -> _ChunkHits:
    if prepared is not None:  # normalised for several lexicons (negation and offsets asked for)
        nb, text_start = prepared.nb, prepared.text_start
    else:
        nb, text_start = _prepare_chunk(texts, words_only=cl.words_only and not negation and not offsets)
    kid, start, end, last = _raw_hits(cl, nb.norm)
    if cl.key_headonly.any() and kid.size:  # entries with compound_tail: false; no hit right after a joining hyphen
        joined = cl.key_headonly[kid] & np.isin(start, nb.compound_tail)
        if joined.any():
            kid, start, end, last = kid[~joined], start[~joined], end[~joined], last[~joined]
    keep = _resolve(cl, kid, start, end, last)
    kid, start, end = kid[keep], start[keep], end[keep]
    which = np.searchsorted(text_start, start, side="right") - 1
    if not negation:
        neg = np.zeros(start.size, dtype=bool)
    else:
        neg = prepared.negated(start) if prepared is not None else _negated(nb.norm, start)
    entry = cl.key_entry[kid]
    if not offsets:
        z = np.zeros(0, dtype=np.int64)
        return _ChunkHits(which, z, z, entry, neg, z)
    # character offsets within each text
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    char_start = 1 + len(TEXT_SEP) + np.concatenate(([0], np.cumsum(lengths + len(TEXT_SEP))[:-1]))
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
    if sum(map(len, texts)) + n * len(TEXT_SEP) < _CHUNK_CHARS:  # the usual call: one chunk (as below)
        return [(0, n)]
    cum = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=n) + len(TEXT_SEP))
    bounds: list[tuple[int, int]] = []
    i, base = 0, 0
    while i < n:
        j = max(int(np.searchsorted(cum, base + _CHUNK_CHARS)), i + 1)
        bounds.append((i, j))
        base, i = int(cum[j - 1]), j
    return bounds


def _check_texts(texts: Sequence[str]) -> list[str]:
    texts = list(text_column(texts))
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


def match_texts_many(texts: Sequence[str], lexicons: Sequence[str | PathLike | Lexicon]) -> list[pd.DataFrame]:
    """:func:`match_texts` (with negation) of several lexicons, each chunk normalised once for all of them.

    The same tables as one :func:`match_texts` call per lexicon: normalisation and negation scopes depend on
    the texts only, so they are computed once per chunk and shared.
    """
    cls = [compile_lexicon(lex) for lex in lexicons]
    texts = _check_texts(texts)
    parts: list[list[tuple[_ChunkHits, int]]] = [[] for _ in cls]
    for a, b in _chunk_bounds(texts):
        prepared = _Prepared(texts[a:b])
        for i, cl in enumerate(cls):
            parts[i].append((_match_chunk(cl, texts[a:b], negation=True, offsets=True, prepared=prepared), a))
    return [_hits_frame(cl, texts, p) for cl, p in zip(cls, parts, strict=True)]


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


def _word_counts(cl: CompiledLexicon, texts: Sequence[str]) -> np.ndarray:
    """Dense ``len(texts) x n_categories`` counts of a single-word lexicon, negated hits included.

    The counting route of :func:`count_matrix` for lexicons of words and wildcards: the raw-byte route
    (:mod:`framing.match._words`) when it applies, else the normalised buffer; either way every hit spans one
    whole word and :func:`framing.match._words.count_pairs` counts each (start, category) pair once (what
    :func:`framing.match._resolve._resolve` keeps, without ordering the hits or choosing the hit that stands
    for a span).
    """
    route = raw_route(cl)
    if route is not None:
        counts = raw_word_counts(cl, route, texts)
        if counts is not None:
            return counts
    nb, text_start = _prepare_chunk(texts, words_only=True)
    kid, start, end, _ = _raw_hits(cl, nb.norm)
    entry = cl.key_entry[kid]
    alive = ~cl.key_block[kid]
    if not alive.all():
        _exclude(entry, start, end, alive)
    return count_pairs(start[alive], cl.entry_cat[entry[alive]], text_start, len(cl.lexicon.categories))


def count_matrix(texts: Sequence[str], lexicon: str | PathLike | Lexicon, *, include_negated: bool = True,
                 weighted: bool = False) -> sp.csr_matrix:
    """Count the categories of a lexicon in texts: a dictionary method's document-term counts.

    Parameters
    ----------
    texts : sequence of str
        The texts: a list, Series or array, or a one-column DataFrame (its column; what ``ColumnTransformer``
        passes for ``["text"]``); not a single string nor a table of several columns
        (:func:`framing.types.text_column`). An empty text gives a row of zeros.
    lexicon : str, path or Lexicon
        A shipped name (``blame_frames``), a lexicon file (own or quanteda YAML, LIWC ``.dic``, LIWC-22
        ``.dicx``/``.csv``) or a loaded :class:`~framing.lexicon.Lexicon`.
    include_negated : bool
        Count hits inside negation scopes too (default True). False drops hits that a negator governs
        ("no agency failed").
    weighted : bool
        Sum the entries' weights (``.dicx`` numbers, the own format's ``weight``) instead of counting hits.

    Returns
    -------
    scipy.sparse.csr_matrix, shape (len(texts), n_categories)
        Row ``i`` is ``texts[i]``; column ``j`` is ``lexicon.categories[j]``, in the lexicon's order (the
        ``.dic`` header's order, the ``.dicx`` columns' order), the order of
        ``LexiconVectorizer.get_feature_names_out()``. Integer counts (float sums with ``weighted``).

    Notes
    -----
    What a word is (the same for texts and entries): a maximal run of Unicode word characters (letters, digits,
    ``_``; Python's ``\\w``), lower-cased. Everything else separates words, so unlike LIWC-22:

    - apostrophes split words: ``can't`` is ``can t`` (the entry ``can`` counts in it), ``it's`` is ``it s``,
      ``government's`` counts for ``government``; an entry ``can't`` matches ``can't``, ``can’t`` and
      ``can t``;
    - hyphens split words: ``abuse-related`` counts for ``abuse``; an entry ``co-ordination`` matches
      ``co-ordination``, ``co ordination`` and ``coordination``;
    - other punctuation splits words: ``100,000`` counts for an entry ``100``, ``e.g.`` is ``e g``;
    - a decomposed accent (NFD: ``e`` + U+0301) is no word character and splits ``café`` into ``cafe``;
      entries are read in composed form (NFC), texts are matched as they are: normalise NFD texts with
      ``unicodedata.normalize("NFC", text)`` first.

    A wildcard ``abuse*`` matches words starting with ``abuse``; a phrase matches its words in sequence across
    spaces, apostrophes and hyphens but not across other punctuation. Overlapping hits resolve to the longest
    (docs/lexicons.md, "What a word is").

    Examples
    --------
    >>> from framing import Lexicon, count_matrix
    >>> from framing.lexicon import Entry
    >>> lex = Lexicon("demo", "1", ("blame", "govt"),
    ...               (Entry("fault", "blame", "word"), Entry("minister*", "govt", "prefix")))
    >>> m = count_matrix(["The minister's fault, ministers say.", "No one."], lex)
    >>> m.toarray().tolist()
    [[1, 2], [0, 0]]
    """
    cl = compile_lexicon(lexicon)
    texts = _check_texts(texts)
    rows, cols, vals = [], [], []
    shape = (len(texts), len(cl.lexicon.categories))
    if cl.words_only and include_negated and not weighted and len(cl.automaton):
        k = shape[1]
        for a, b in _chunk_bounds(texts):
            counts = _word_counts(cl, texts[a:b]).ravel()
            cell = np.flatnonzero(counts)  # row-major: the CSR order
            rows.append(cell + a * k)  # the cell's index in the whole matrix
            vals.append(counts[cell])  # int64, from bincount
        cell = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        indptr = np.searchsorted(cell, np.arange(shape[0] + 1) * k)
        return sp.csr_matrix((np.concatenate(vals) if vals else np.zeros(0, dtype=np.int64), cell % k, indptr),
                             shape=shape)
    for a, b in _chunk_bounds(texts):
        h = _match_chunk(cl, texts[a:b], negation=not include_negated, offsets=False)
        keep = ~h.negated
        rows.append(h.text[keep] + a)
        cols.append(cl.entry_cat[h.entry[keep]])
        vals.append(cl.entry_weight[h.entry[keep]] if weighted else np.ones(int(keep.sum()), dtype=np.int64))
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
    return _sentence_hits(sentences, match_texts(_sentence_texts(sentences), lexicon, negation=negation))


def match_sentences_many(sentences: pd.DataFrame,
                         lexicons: Sequence[str | PathLike | Lexicon]) -> list[pd.DataFrame]:
    """:func:`match_sentences` (with negation) of several lexicons, the texts normalised once.

    Each table is the one :func:`match_sentences` gives for that lexicon (:func:`match_texts_many`).
    """
    return [_sentence_hits(sentences, hits) for hits in match_texts_many(_sentence_texts(sentences), lexicons)]


def _sentence_texts(sentences: pd.DataFrame) -> list[str]:
    """Return the texts of a sentences table, after checking it has the columns the hits need."""
    missing = [c for c in ("doc_id", "sent_id", "start", "text") if c not in sentences.columns]
    if missing:
        raise ParameterError(f"sentences table lacks column(s) {missing}")
    texts: list[str] = sentences["text"].astype(str).tolist()
    return texts


def _sentence_hits(sentences: pd.DataFrame, hits: pd.DataFrame) -> pd.DataFrame:
    """Turn :func:`match_texts` hits of the sentences' texts into :data:`HIT_COLUMNS` rows (document offsets)."""
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
