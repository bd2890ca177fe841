"""Later mentions of the coder rule's persons by name alone (:mod:`framing.framerules`, ``persons``).

A surname used with an honorific, or the first name of a full name, counts again where it stands alone in the
same document; each document's mentions are those it has on its own (a corpus is scored in partitions too).
"""

from __future__ import annotations

import re

import numpy as np

from framing.names import FIRST_CHAR
from framing.rowscan import RowText
from framing.rowscan import fast_pattern as _fast
from framing.rowscan import scan_fast as _scan
from framing.rowscan import trie_pattern as _trie_pattern

__all__: list[str] = []


def _bare_names(joined: str, offsets: np.ndarray, docs: np.ndarray, rows_text: RowText | None,
                by_doc: set[tuple[object, str]], alias: dict[tuple[object, str], str]
                ) -> list[tuple[int, int, str, str]]:
    """Later mentions of a name alone: a surname of ``by_doc`` (document, surname), or a first name of ``alias``.

    A mention counts in its own document only. Without the prefilter, a regex of the names (a trie) over the
    whole text; with it, the same matches from the literal scan of the names (:meth:`RowText.word_matches`).
    """
    surnames = sorted({n for _, n in by_doc})
    firsts = sorted({a for _, a in alias})
    if not surnames and not firsts:
        return []
    if rows_text is None:  # every name opens with a capital of the Latin script (framing.names)
        names = sorted(set(surnames) | set(firsts), key=len, reverse=True)
        bare = _fast(re.compile(r"\b(?:" + _trie_pattern(names) + r")\b"), FIRST_CHAR)
        ms = _scan(bare, joined)
        starts = np.fromiter((m.start("_all") for m in ms), dtype=np.int64, count=len(ms))
        ends = np.fromiter((m.end("_all") for m in ms), dtype=np.int64, count=len(ms))
        found = [m.group("_all") for m in ms]
    else:
        starts, ends, found = rows_text.word_matches([surnames, firsts])
    out = []
    in_doc = docs[np.searchsorted(offsets, starts, side="right") - 1].tolist()
    parsed_to = -1  # the end of the last word parsed by _own_names_inside: later matches inside it are done
    for a, b, name, d in zip(starts.tolist(), ends.tolist(), found, in_doc, strict=True):
        if a < parsed_to:
            continue
        if (d, name) in by_doc:
            out.append((a, b, "person", name))
        elif (d, name) in alias:
            out.append((a, b, "person", alias[(d, name)]))
        elif _JOINED_NAME.search(name):
            # another document's name ("Smith-Jones") may hide one of this document's ("Jones") inside it (a
            # name of one piece cannot: a longer own name at the same place would have been found instead)
            inside, parsed_to = _own_names_inside(joined, a, d, by_doc, alias)
            out += inside
    return out


_JOINED_NAME = re.compile(r"[-'’]")
_TOKEN = re.compile(r"[\w'’-]+")
_PIECE = re.compile(r"\w+")


def _own_names_inside(joined: str, a: int, d: object, by_doc: set[tuple[object, str]],
                      alias: dict[tuple[object, str], str]) -> tuple[list[tuple[int, int, str, str]], int]:
    """Return the names of document ``d`` inside the hyphenated or apostrophised word at ``joined[a:]``, longest first.

    A name of another document found there ("Smith-Jones") is no mention in ``d``, but it must not hide one of
    ``d``'s own names it contains ("Jones"): each document's mentions are what they would be on its own. Returns
    the mentions and the end of the word (the matches of the scan inside it are replaced by these).
    """
    token = _TOKEN.match(joined, a)
    if token is None:
        return [], a
    pieces = [(m.start(), m.end()) for m in _PIECE.finditer(joined, a, token.end())]
    out, i = [], 0
    while i < len(pieces):
        for j in range(len(pieces) - 1, i - 1, -1):
            name = joined[pieces[i][0]:pieces[j][1]]
            if (d, name) in by_doc or (d, name) in alias:
                out.append((pieces[i][0], pieces[j][1], "person", name if (d, name) in by_doc else alias[(d, name)]))
                i = j
                break
        i += 1
    return out, token.end()


def _name_rows(rows: RowText | None, doc_code: np.ndarray, doc_index: dict[object, int],
               pairs: set[tuple[object, str]], named: np.ndarray | None) -> np.ndarray | None:
    """Rows where a full name (:data:`_FULL_NAME`) may count.

    A full name counts only in a document with a surname used with an honorific (``pairs``: document,
    surname) and ends with that surname: a row holding one of its own document's surnames (as a whole
    word), or, near a document's start, any surname within two rows after a row of a document with an
    honorific (``named``). (The second case dates from when a name could run over rows; since a name's words
    are on one line it only widens the rows scanned, which leaves the matches as they are.) None without the
    prefilter.
    """
    if rows is None or named is None:
        return None
    anywhere, own = _own_name_rows(rows, doc_code, doc_index, pairs)
    count = rows.nonblank_count()
    n = len(rows.offsets)
    first_of_doc = np.maximum.accumulate(np.where(np.r_[True, doc_code[1:] != doc_code[:-1]], np.arange(n), 0))
    near_doc_start = count - count[first_of_doc] <= 2
    flags: np.ndarray = own | (anywhere & near_doc_start & rows.after(named, 2))
    return flags


def _own_name_rows(rows: RowText, doc_code: np.ndarray, doc_index: dict[object, int],
                   pairs: set[tuple[object, str]]) -> tuple[np.ndarray, np.ndarray]:
    """Flag the rows holding a name of ``pairs`` (document, name) as a whole word, and those holding their own.

    The second mask keeps a row only when the name found is one of its own document's (``doc_code``, codes
    of ``doc_index``). One literal scan of the names.
    """
    names = sorted({n for _, n in pairs})
    n = len(rows.offsets)
    anywhere, own = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    if names:
        at, which = rows.occurrences(names, words=True)
        position = {nm: i for i, nm in enumerate(names)}
        allowed = np.asarray(sorted(doc_index[d] * len(names) + position[nm] for d, nm in pairs), dtype=np.int64)
        anywhere[at] = True
        own[at[np.isin(doc_code[at].astype(np.int64) * len(names) + which, allowed)]] = True
    return anywhere, own
