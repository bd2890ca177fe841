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
and soft runs only matter to phrases and negation scopes; when their keys are ASCII words (no exclusions) and
Hyperscan is the matcher, counts skip normalisation altogether: caseless patterns with byte-class boundaries
scan the raw UTF-8 texts and only hits next to a multi-byte character are decoded again (``_words``).
Offsets are computed only when hits need them
(``match_texts``/``match_sentences``): byte positions map back to characters with ``searchsorted`` on
the few deleted positions and, for non-ASCII chunks, on the UTF-8 continuation bytes. Negation scopes:
one scan of the same matcher for the negators, then numpy on positions and on the few words after each
negator (clause words, as frequent as "in" and "on", are compared there rather than scanned for).

Measured (``python -m benchmarks lexicon``: BBC News 2004-2005 replicated to 100 MB, 44,275 texts,
292 single-word/wildcard entries; CPU seconds on a shared 2-core machine, so +-20 % between runs; see
``docs/lexicons.md``). Before (numpy code-point table over UTF-32 + pyahocorasick on a ``str``, pandas
resolution): 2.8-3.3 s, 31-36 MB/s, i.e. 2.8-3.7x the ``liwc`` package's lookup alone (normalisation
~12 ms and scan ~15 ms per MB). Now: 0.5-0.6 s, 168-191 MB/s, 18-22x ``liwc``'s lookup alone and 26-28x
end to end, counts identical. Per MB on the single-word route: encode + join ~0.5 ms, translate ~0.3 ms,
non-ASCII handling ~0.2 ms, Hyperscan ~0.5 ms plus ~0.2-0.3 us per hit callback (~4,300 hits per MB,
the largest single cost), resolution and the sparse matrix ~0.5 ms. With pyahocorasick instead of
Hyperscan (same buffers): ~70-90 MB/s (the automaton scan ~10 ms per MB). Since 2026-11-30 (raw route,
``python -m benchmarks count``: 500-document calls back to back, 696 entries): ~370-400 MB/s, 24-26x
``liwc``'s lookup (was 13-17x in the same runs), 1.6-1.8x the previous route; per MB: encode + join ~0.3 ms,
scan ~0.95 ms, the binding's per-hit call ~0.65 ms (~5,700 hits per MB) and recording them ~0.3 ms, the rest
~0.4 ms. The scan with a callback that does nothing is the floor of any route through this binding: ~33x.
The general route (phrases, negation scopes, offsets; all shipped entries): ~75 MB/s for counts without
negated hits and ~58 MB/s for the hits table, against ~13-19 MB/s before.

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

Modules (private; everything public is re-exported here, so ``from framing.match import X`` works)
    ``_matcher`` the matcher choice (:data:`MATCHER`) and the scan; ``_normalize`` normalisation on bytes;
    ``_compile`` compiled lexicons; ``_resolve`` key occurrences, exclusions, overlaps; ``_negation`` negation
    scopes; ``_words`` counts of single-word ASCII lexicons on raw bytes, the chunk layout; ``_hits`` chunks,
    :func:`match_texts`, :func:`match_sentences`, :func:`count_matrix` (and the ``_many`` forms, several
    lexicons over texts normalised once).
"""

from __future__ import annotations

from framing.match._compile import CompiledLexicon, compile_lexicon
from framing.match._hits import (
    HIT_COLUMNS,
    count_matrix,
    match_sentences,
    match_sentences_many,
    match_texts,
    match_texts_many,
)
from framing.match._matcher import MATCHER
from framing.match._negation import NEGATION_WINDOW
from framing.match._normalize import normalize_text, tokenize_normalized

__all__ = [
    "HIT_COLUMNS",
    "MATCHER",
    "NEGATION_WINDOW",
    "CompiledLexicon",
    "compile_lexicon",
    "count_matrix",
    "match_sentences",
    "match_sentences_many",
    "match_texts",
    "match_texts_many",
    "normalize_text",
    "tokenize_normalized",
]
