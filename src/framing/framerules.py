"""The ``coder`` sentence rule: read a sentence the way the codebook tells a coder to.

A sentence carries frame F when it has a **locus** of F and a **blame signal** (docs/lexicons.md, "The
coder rule"). Each part below is switchable by a parameter of :func:`framing.scoring.frame_table`:

Loci (where)
    Hits of the frame lexicon (and of a case file's frame lexicon), plus, for ``persons=True``: a
    person named by honorific and name ("Ms Shoesmith", "Dr Jones", "Sir John") or by a capitalised full
    name whose surname is used with an honorific in the document ("Doug Smith" ... "Mr Smith"), and later
    mentions of that surname or first name, are *individual* loci; a person introduced by a political role
    ("Work and Pensions Secretary Alan Johnson") is a *political* locus in every mention, and an *individual*
    one too (a politician is a person: blame on him locates it in his own conduct as well as in his office,
    as the codebook's "a minister judged for personal conduct"); an organisation's
    capitalised name ending in an organisation word ("Child Support Agency") or an acronym ("CSA") is a
    *systemic* locus, even when no lexicon names them; a name that an entry (a case file's) places in another
    frame keeps that frame only. The author of a review or of findings ("Lord Laming's review") is its source,
    not a locus.
Voice (``voice=True``)
    A speaker named only in a reporting clause ("Ed Balls said:", "..., the report said.", "according to
    X") or in a transcript's speaker label ("Mr Cameron:") is voice, not a locus: loci inside the clause are
    not counted, except partisan actors (:data:`PARTISAN`).
Blame signal (that)
    A cue (negated or not: a denial still locates the blame under discussion), an entry of weight >=
    ``strong_weight``, or (``questions=True``) a question that names a locus (rhetorical questions).
Agentless (``agentless=True``)
    A failure reported with no locus at all is a failure of the process: a systemic locus, in a document that
    locates blame somewhere (one of its sentences has a locus and a signal), so that a match lost or a
    target missed in a report about no failure is none.
Context (``context=True``)
    A sentence inherits the blame signal (not the loci) of the previous sentence of its paragraph: blame talk
    runs on into the next breath. A list item inherits the signal and loci of its lead-in (a sentence ending in
    ``:``); a sentence inside a quotation opened by an earlier sentence inherits the signal of that sentence,
    to the closing mark, over paragraphs too (:func:`_quotation_openers`); a follow-up sentence
    that opens with a personal pronoun (He, She, It, They ...) inherits the loci and the signal of the
    previous sentence of its paragraph. With ``persons``, a person (politicians included) held responsible
    (fault or accountability language) is followed through the rest of the document by name.

Everything is computed with compiled patterns over the texts and numpy over sentence arrays; the Python
loops run over frames (a handful) and over regex matches of names, never over tokens or sentences. Each pattern
runs only around the sentences holding its trigger (:mod:`framing.rowscan`; :data:`PREFILTER`), with the same
matches as a search of all of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from framing._framerules_names import _bare_names, _name_rows
from framing._framerules_patterns import (
    _ACCORDING_FAST,
    _ACRONYM_FAST,
    _ADDRESS,
    _FULL_NAME_FAST,
    _GLUE,
    _HONORIFIC_NAME_FAST,
    _LABEL_FAST,
    _LIST_ITEM_LINE,
    _LOCAL,
    _NOT_NAME,
    _ORG_NAME_FAST,
    _POST_FAST,
    _PRE_BYTES,
    _PRE_FAST,
    _PRE_SHORT_FAST,
    _PRONOUN_START_LINE,
    _ROW_BY_ROW,
    _SOURCE_AFTER,
    _SUBORDINATE_OPEN,
    _TITLE,
    _TRIGGERS,
)
from framing._framerules_quotes import _opening, _quotation_openers
from framing.rowscan import RowText, gc_paused, scan_rows, scan_runs
from framing.rowscan import scan_fast as _scan

__all__ = ["ADDRESS", "PARTISAN", "coder_labels", "person_spans", "roles_before", "voice_spans"]


def _spans(matches: list[re.Match[str]], group: str = "c", shift: int = 0) -> tuple[np.ndarray, np.ndarray]:
    if not matches:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    arr = np.asarray([(m.start(group), m.end(group)) for m in matches], dtype=np.int64) - shift
    return arr[:, 0], arr[:, 1]


# --- the prefilter (framing.rowscan) --------------------------------------------------------------------------
PREFILTER = True
"""Search the patterns only over the blocks of rows holding their trigger (:mod:`framing.rowscan`; same
matches as a search of the whole text). Tests set it to False to compare with the whole-text search."""


def _trigger_masks(rows: RowText) -> dict[str, np.ndarray]:
    """Return the rows holding each trigger (one scan for all), and the narrower rows of the clause patterns."""

    def make() -> dict[str, np.ndarray]:
        ends = dict(zip(_TRIGGERS, rows.trigger_ends(list(_TRIGGERS.values())), strict=True))
        masks = {}
        for name, at in ends.items():
            masks[name] = np.zeros(len(rows.offsets), dtype=bool)
            masks[name][rows.rows_of_bytes(at)] = True
        # a closing clause (_POST) opens with a comma or a quotation mark at most eight words before its verb
        # (nine runs of spaces) and ends its row at most five words after it (six runs of spaces)
        verb = ends["verb"]
        verb = verb[rows.spaces_to_row_end(verb) <= 6]
        opener = rows.sequence_ends([b",", b'"', "”".encode()])
        before = np.searchsorted(opener, verb, side="left") - 1
        has = before >= 0
        q = opener[np.maximum(before, 0)] if opener.size else np.zeros_like(verb)
        has &= rows.rows_of_bytes(q) == rows.rows_of_bytes(verb)
        has &= rows.spaces_between(q, verb) <= 9
        post = np.zeros(len(rows.offsets), dtype=bool)
        post[rows.rows_of_bytes(verb[has])] = True
        masks["post"] = post
        # an opening clause (_PRE) starts its row, its verb within 140 characters (at most 4 bytes each) and
        # before any quotation mark, colon or semicolon; ':', a quotation mark or 'that' follows the verb in
        # its row or, when the clause ends its row (which then does not end with . " “ ” : or ;), through
        # whitespace at the start of one of the next rows
        verb = ends["verb"]
        verb_row = rows.rows_of_bytes(verb)
        stop = rows.first_in_row(rows.sequence_ends([b'"', b":", b";", "“".encode(), "”".encode()]))
        opening = (verb < stop[verb_row]) & (verb - rows.row_start_bytes()[verb_row] <= _PRE_BYTES)
        first_verb = np.full(len(rows.offsets), np.iinfo(np.int64).max)
        np.minimum.at(first_verb, verb_row[opening], verb[opening])
        last_marker = np.full(len(rows.offsets), -1)
        np.maximum.at(last_marker, rows.rows_of_bytes(ends["marker"]), ends["marker"])
        open_end = ~rows.ends_with('."“”:;')
        masks["pre"] = (first_verb < last_marker) | (
            (first_verb < np.iinfo(np.int64).max) & open_end & rows.near(masks["marker"], 3))
        return masks

    return rows.cached("framerules", make)


def _runs_scan(fast: re.Pattern[str], text: str, rows: RowText | None, core: str | np.ndarray | None, glue: str,
               glued: str | None = None) -> list[re.Match[str]]:
    """:func:`_scan` of ``text``, or with ``rows``, only over the blocks holding a ``core`` row (same matches).

    ``text`` is the joined rows, or (for a pattern anchored at a row's start) the same behind one newline;
    ``core`` names a mask of :func:`_trigger_masks` or is a mask, ``glue`` names an entry of :data:`_GLUE`,
    ``glued`` a mask of rows whose end does not cut (:meth:`framing.rowscan.RowText.runs`).
    """
    if rows is None or core is None:
        return _scan(fast, text)
    masks = _trigger_masks(rows)
    rows_core = masks[core] if isinstance(core, str) else core
    runs = rows.runs(rows_core, _GLUE[glue], masks[glued] if glued is not None else None, fast in _LOCAL)
    if fast in _ROW_BY_ROW:
        return scan_rows(fast, text, rows.offsets, *runs, shift=len(text) - len(rows.joined))
    return scan_runs(fast, text, *runs, shift=len(text) - len(rows.joined))


def _join(texts: Sequence[str]) -> tuple[str, np.ndarray]:
    """Join texts with newlines (sentences hold no newline after this) and return each text's offset."""
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    joined = "\n".join(texts)
    if joined.count("\n") > max(len(texts) - 1, 0):  # newlines inside texts become spaces
        if "\x00" in joined:
            joined = "\n".join([t.replace("\n", " ") for t in texts])
        else:
            joined = "\x00".join(texts).replace("\n", " ").replace("\x00", "\n")
    offsets = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]) if len(texts) else np.empty(0, np.int64)
    return joined, offsets


def voice_spans(texts: Sequence[str]) -> pd.DataFrame:
    """Reporting-clause spans per text: ``row, start, end`` (offsets into the text).

    A clause opening the sentence before a colon, a quotation or "that" ("Ed Balls said in a statement:"),
    a short clause opening the sentence ("Scotland Yard said the ..."), a clause closing it after a comma or
    a closing quotation mark (", said the spokesman."), "according to X", and a transcript's speaker label
    ("Mr Cameron:", "The Secretary of State (Ed Balls):").
    """
    joined, offsets = _join(texts)
    return _voice_spans(joined, offsets, RowText(joined, offsets) if PREFILTER else None)


def _voice_spans(joined: str, offsets: np.ndarray, rows: RowText | None = None) -> pd.DataFrame:
    """:func:`voice_spans` of the texts joined by :func:`_join` (``rows``: searched through the prefilter)."""
    lines = "\n" + joined  # the patterns anchored with ^ are searched for behind a newline: offsets shift by 1
    short = _runs_scan(_PRE_SHORT_FAST, lines, rows, "speech", "pre_short")
    opening = [m for m in _runs_scan(_PRE_FAST, lines, rows, "pre", "pre")
               if not _subordinate_before(lines, m.start("c"), m.end("c"))]
    parts = [_spans(opening, shift=1),
             _spans(short, shift=1),
             _spans(_runs_scan(_POST_FAST, joined, rows, "post", "none")),
             _spans(_runs_scan(_LABEL_FAST, lines, rows, "colon", "label", "honorific_dot"), shift=1),
             _spans(_runs_scan(_ACCORDING_FAST, joined, rows, "according", "none"), group="_all")]
    starts = np.concatenate([p[0] for p in parts])
    ends = np.concatenate([p[1] for p in parts])
    row = np.searchsorted(offsets, starts, side="right") - 1
    noun_phrase = np.zeros(len(starts), dtype=bool)  # the spans of _PRE_SHORT (the second part) opening with a
    at = len(parts[0][0])                              # noun phrase (its group np)
    noun_phrase[at:at + len(short)] = np.fromiter((m.group("np") is not None for m in short), dtype=bool,
                                                  count=len(short))
    return pd.DataFrame({"row": row, "start": starts - offsets[row], "end": ends - offsets[row],
                         "noun_phrase": noun_phrase})


def _subordinate_before(text: str, start: int, end: int) -> bool:
    """Tell whether a subordinating word no comma closes stands in ``text[start:end]`` (an opening clause's span).

    The comma is looked for up to the end of the line (or a quotation mark, colon or semicolon), as far as _PRE's
    prefix could reach; a match of :data:`_SUBORDINATE_OPEN` starting before ``end`` makes the clause a subordinate
    clause's, not the sentence's opening (:data:`_PRE`).
    """
    line_end = text.find("\n", end)  # the lookahead of _SUBORDINATE_OPEN stops at the line's end anyway
    found = _SUBORDINATE_OPEN.search(text, start, line_end if line_end >= 0 else len(text))
    return found is not None and found.start() < end


def person_spans(texts: Sequence[str], doc_ids: Sequence[str]) -> pd.DataFrame:
    """Persons and organisations named in each text: ``row, start, end, kind, name``.

    ``kind`` is ``person`` or ``organisation``; ``name`` is a person's surname or the organisation's name.

    Persons: honorific + name, capitalised full names (two or three capitalised words none of which is a
    common or institutional word), and later mentions of a surname seen so in the same document.
    Organisations: a capitalised name ending in an organisation word, and acronyms.
    """
    joined, offsets = _join(texts)
    return _person_spans(joined, offsets, doc_ids, RowText(joined, offsets) if PREFILTER else None)


def _person_spans(joined: str, offsets: np.ndarray, doc_ids: Sequence[str],
                  rows_text: RowText | None = None) -> pd.DataFrame:
    """:func:`person_spans` of the texts joined by :func:`_join` (``rows_text``: through the prefilter)."""
    # ids as text: a missing id (None, NaN) is a document too, which factorize would code -1 and lose
    docs = np.asarray(doc_ids, dtype=object).astype(str).astype(object)
    doc_code, doc_uniques = pd.factorize(docs) if rows_text is not None else (np.empty(0, np.int64), [])
    doc_index = {d: i for i, d in enumerate(doc_uniques)}

    def found(fast: re.Pattern[str], core: str | np.ndarray | None, glue: str,
              glued: str | None = None) -> tuple[list[re.Match[str]], list[object]]:
        """Return the matches of a pattern (:func:`_runs_scan`) and the document of each."""
        ms = _runs_scan(fast, joined, rows_text, core, glue, glued)
        at = np.fromiter((m.start("_all") for m in ms), dtype=np.int64, count=len(ms))
        return ms, docs[np.searchsorted(offsets, at, side="right") - 1].tolist()

    def doc_rows(ms: list[re.Match[str]]) -> np.ndarray | None:
        """Flag the rows of the documents where one of the matches ``ms`` starts (None without the prefilter)."""
        if rows_text is None:
            return None
        at = np.fromiter((m.start("_all") for m in ms), dtype=np.int64, count=len(ms))
        has = np.zeros(len(offsets) + 1, dtype=bool)
        has[doc_code[np.searchsorted(offsets, at, side="right") - 1]] = True
        flags: np.ndarray = has[doc_code]
        return flags

    rows: list[tuple[int, int, str, str]] = []
    honorific, hon_docs = found(_HONORIFIC_NAME_FAST, "honorific", "name", "honorific_dot")
    # an office addressed by its title ("Mr Speaker", "Mr Deputy Speaker", "Mr President") is a form of
    # address in a debate or meeting, not a person named; a match that runs on through the end of its sentence
    # ("... Mr Speaker" + "Balls failed ...") is dropped with it
    keep = [not _ADDRESS.fullmatch(m.group("n").split("\n", 1)[0].rstrip()) for m in honorific]
    honorific = [m for m, k in zip(honorific, keep, strict=True) if k]
    hon_docs = [d for d, k in zip(hon_docs, keep, strict=True) if k]
    surnames = [m.group("n").split()[-1] for m in honorific]
    rows += [(m.start("_all"), m.end("_all"), "person", n) for m, n in zip(honorific, surnames, strict=True)]
    by_doc = set(zip(hon_docs, surnames, strict=True))  # (document, surname used with an honorific)
    alias: dict[tuple[object, str], str] = {}
    # a capitalised full name is a person when its surname is used with an honorific in the same document
    # ("Doug Smith" ... "Mr Smith"); other capitalised sequences are too often places, events or bodies
    # (prefilter: :func:`_name_rows`)
    with_surname = _name_rows(rows_text, doc_code, doc_index, by_doc, doc_rows(honorific))
    for m, d in zip(*found(_FULL_NAME_FAST, with_surname, "name"), strict=True):
        words = m.group("n").split()
        if (d, words[-1]) in by_doc and not any(w.lower() in _NOT_NAME for w in words):
            rows.append((m.start("_all"), m.end("_all"), "person", words[-1]))
            if not _TITLE.fullmatch(words[0]):
                alias[(d, words[0])] = words[-1]  # "Doug" of "Doug Smith" is Smith
    for fast, core, glue in ((_ORG_NAME_FAST, "organisation", "organisation"), (_ACRONYM_FAST, "acronym", "none")):
        rows += [(m.start("_all"), m.end("_all"), "organisation", m.group("_all"))
                 for m in _runs_scan(fast, joined, rows_text, core, glue)]
    rows += _bare_names(joined, offsets, docs, rows_text, by_doc, alias)
    # the author of a review or of findings is their source, not a locus ("Lord Laming's Review", "Laming in his
    # findings"): as with a reporting clause, the person speaks rather than being held responsible
    source = _SOURCE_AFTER.match
    rows = [r for r in rows if r[2] != "person" or not source(joined, r[1])]
    if not rows:
        return pd.DataFrame({"row": np.empty(0, np.int64), "start": np.empty(0, np.int64),
                             "end": np.empty(0, np.int64), "kind": np.empty(0, object), "name": np.empty(0, object)})
    arr = pd.DataFrame(rows, columns=["start", "end", "kind", "name"]).drop_duplicates(["start", "end", "kind"])
    row = np.searchsorted(offsets, arr["start"].to_numpy(), side="right") - 1
    return pd.DataFrame({"row": row, "start": arr["start"].to_numpy() - offsets[row],
                         "end": arr["end"].to_numpy() - offsets[row], "kind": arr["kind"].to_numpy(),
                         "name": arr["name"].to_numpy()})


def _inside(rows: np.ndarray, starts: np.ndarray, spans: pd.DataFrame) -> np.ndarray:
    """Flag the hits whose (row, start) lies inside one of ``spans`` of the same row."""
    out = np.zeros(len(rows), dtype=bool)
    if len(rows) == 0 or spans.empty:
        return out
    pairs = pd.DataFrame({"i": np.arange(len(rows)), "row": rows, "pos": starts}).merge(
        spans[["row", "start", "end"]], on="row")
    hit = pairs.loc[(pairs["pos"] >= pairs["start"]) & (pairs["pos"] < pairs["end"]), "i"].to_numpy()
    out[hit] = True
    return out


def _previous_in_paragraph(doc: np.ndarray, para: np.ndarray) -> np.ndarray:
    """Index of the previous row of the same document and paragraph (-1 at a paragraph start)."""
    prev = np.arange(len(doc)) - 1
    same = np.zeros(len(doc), dtype=bool)
    if len(doc) > 1:
        same[1:] = (doc[1:] == doc[:-1]) & (para[1:] == para[:-1])
    return np.where(same, prev, -1)


ADDRESS = "codebook political: forms of address"
"""Rationale prefix marking parliamentary forms of address ("hon. Member", "right hon. Friend"): political loci,
but in a debate nearly every question names its addressee, so they alone do not make a question (``questions``)
blame talk."""

PARTISAN = "codebook political: partisan"
"""Rationale prefix marking the entries of partisan actors (parties and their members): a speaker's party
stays a locus inside a reporting clause, because the codebook's political frame includes partisan blame
(one party blaming another)."""


HELD_RESPONSIBLE = ("fault", "accountability")
"""Cue facets that hold someone responsible (not only report a failure): a person named in such a sentence
is followed through the rest of the document (:func:`coder_labels`, persons)."""


@gc_paused
def coder_labels(
    sents: pd.DataFrame,
    loci: pd.DataFrame,
    cues: pd.DataFrame,
    frames: Sequence[str],
    *,
    persons: bool = True,
    voice: bool = True,
    context: bool = True,
    questions: bool = True,
    agentless: bool = True,
) -> np.ndarray:
    """Frame labels (n_sentences x n_frames, bool) under the coder rule (module docstring).

    Parameters
    ----------
    sents : DataFrame
        Sentences in document order (doc_id, para_id, sent_id), with ``doc_id``, ``text`` and ``para_id``.
    loci : DataFrame
        Frame hits: ``row`` (position in ``sents``), ``frame`` (index into ``frames``), ``start`` (offset in
        the sentence), ``strong`` (weight >= strong_weight) and ``partisan`` (see :data:`PARTISAN`).
    cues : DataFrame
        Cue hits: ``row`` and ``category`` (the cue lexicon's facet; ``failure`` drives ``agentless``).
    frames : sequence of str
        The frame names (columns of the result).
    persons, voice, context, questions, agentless : bool
        The parts of the rule (module docstring).
    """
    n, k = len(sents), len(frames)
    fidx = {f: i for i, f in enumerate(frames)}
    texts = sents["text"].astype(str).tolist()
    rows = loci["row"].to_numpy(dtype=np.int64)
    keep = np.ones(len(rows), dtype=bool)
    joined, offsets = _join(texts) if voice or persons or context else ("", np.empty(0, np.int64))
    rows_text = RowText(joined, offsets) if PREFILTER and (voice or persons) else None
    vspans = (_voice_spans(joined, offsets, rows_text) if voice
              else pd.DataFrame(columns=["row", "start", "end", "noun_phrase"]))
    if voice:
        keep &= ~_inside(rows, loci["start"].to_numpy(dtype=np.int64), vspans) | loci["partisan"].to_numpy(bool)
    own = np.zeros((n, k), dtype=bool)
    own[rows[keep], loci["frame"].to_numpy(dtype=np.int64)[keep]] = True
    # the loci that make a question blame talk: all but a debate's forms of address (ADDRESS)
    address = loci["address"].to_numpy(bool) if "address" in loci.columns else np.zeros(len(rows), dtype=bool)
    asked = np.zeros((n, k), dtype=bool)
    asked[rows[keep & ~address], loci["frame"].to_numpy(dtype=np.int64)[keep & ~address]] = True
    signal = np.zeros(n, dtype=bool)
    signal[cues["row"].to_numpy(dtype=np.int64)] = True
    signal[rows[keep & loci["strong"].to_numpy(bool)]] = True
    if voice:
        # a partisan speaker: the codebook's partisan blame (one party blaming another) is itself the signal
        # (not a speaker named by a bare noun phrase, "A UKIP spokesman said there were ...": _PRE_SHORT's np)
        named = vspans[~vspans["noun_phrase"].to_numpy(bool)]
        speaking = _inside(rows, loci["start"].to_numpy(dtype=np.int64), named) & loci["partisan"].to_numpy(bool)
        signal[rows[speaking]] = True
    ps = _person_spans(joined, offsets, sents["doc_id"].astype(str).tolist(), rows_text) if persons else None
    if ps is not None:
        if voice and not ps.empty:
            ps = ps[~_inside(ps["row"].to_numpy(), ps["start"].to_numpy(), vspans)]
        if "individual" in fidx and not ps.empty:
            # a name that a lexicon entry (a case file's) places in another frame is that frame's locus, not a
            # person found by the rule: "Mr Balls" with Ed Balls political, "Laming" with his review systemic
            named = loci[loci["frame"] != fidx["individual"]][["row", "start", "end"]]
            people = (ps["kind"] == "person").to_numpy()
            ps = ps[~(people & _inside(ps["row"].to_numpy(), ps["end"].to_numpy() - 1, named))]
        if "political" in fidx:
            ps = _political_persons(sents, ps, loci[loci["frame"] == fidx["political"]])
        # a politician is a person too: blame on a named politician also locates it in the person and his or
        # her own conduct (codebook: "a minister judged for personal conduct"), besides the office
        # a name in brackets glosses the member or office just named ("the hon. Member for Tottenham (Mr Lammy)",
        # Hansard's convention): like the form of address it glosses, it alone makes no question blame talk
        ps_rows = ps["row"].to_numpy(dtype=np.int64)
        gloss = _bracketed(joined, offsets[ps_rows] + ps["start"].to_numpy(), offsets[ps_rows] + ps["end"].to_numpy())
        for kind, frame in (("person", "individual"), ("organisation", "systemic"), ("politician", "political"),
                            ("politician", "individual")):
            if frame in fidx:
                of_kind = (ps["kind"] == kind).to_numpy()
                own[ps_rows[of_kind], fidx[frame]] = True
                asked[ps_rows[of_kind & ~gloss], fidx[frame]] = True
    if agentless and "systemic" in fidx:
        # a failure reported with no locus at all is a failure of the process (codebook: systemic)
        failed = np.zeros(n, dtype=bool)
        failed[cues.loc[cues["category"] == "failure", "row"].to_numpy(dtype=np.int64)] = True
        agentless_rows = failed & ~own.any(axis=1)
        # ... when it is the failure the document discusses: a document locating blame somewhere (a locus with
        # a signal in one of its sentences), not a match lost or a share price missing its target
        doc_code = pd.factorize(sents["doc_id"].astype(str))[0]
        blames = np.zeros(doc_code.max() + 1 if n else 0, dtype=bool)
        blames[doc_code[(own & signal[:, None]).any(axis=1)]] = True
        agentless_rows &= blames[doc_code]
        own[agentless_rows, fidx["systemic"]] = asked[agentless_rows, fidx["systemic"]] = True
    if questions:
        is_q = sents["text"].astype(str).str.rstrip(" \"”’')").str.endswith("?").to_numpy()
        signal |= is_q & asked.any(axis=1)
    labels = own & signal[:, None]
    if context:
        labels = _context(sents, own, signal, vspans if voice else None, (joined, offsets), rows_text)
    if ps is not None and "individual" in fidx:
        # who was held responsible: an individual label backed by fault or accountability language
        held = np.zeros(n, dtype=bool)
        held[cues.loc[cues["category"].isin(HELD_RESPONSIBLE), "row"].to_numpy(dtype=np.int64)] = True
        held |= np.isin(np.arange(n), rows[keep & loci["strong"].to_numpy(bool)])
        labels[:, fidx["individual"]] |= _blamed_person_mentions(sents, ps, labels[:, fidx["individual"]] & held)
    return labels


def _bracketed(joined: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Flag the spans ``joined[start:end]`` (names) that close a short bracket: "(Mr Lammy)", and its "Lammy".

    Only the spans ending before a ")" (found with one search of the text) are looked at one by one.
    """
    closing = np.fromiter((m.start() for m in re.finditer(r"\)", joined)), dtype=np.int64)
    out = np.isin(ends, closing)
    for i in np.flatnonzero(out):
        start = int(starts[i])
        opening = joined.rfind("(", max(0, start - 16), start)
        out[i] = opening >= 0 and ")" not in joined[opening:start] and "\n" not in joined[opening:start]
    return out


def _political_persons(sents: pd.DataFrame, ps: pd.DataFrame, political: pd.DataFrame) -> pd.DataFrame:
    """Mark as ``politician`` every mention of a person introduced by a political role in the same document.

    "Work and Pensions Secretary Alan Johnson", "Tory MP Nigel Waterson": a political hit ending at most one
    word before the name makes the person, and every later "Mr Johnson" of the document, a political locus
    (codebook: elected politicians and ministers) rather than an individual one.
    """
    people = ps[ps["kind"] == "person"]
    if people.empty or political.empty:
        return ps
    pairs = roles_before(sents["text"].astype(str).to_numpy(), people, political)
    if pairs.empty:
        return ps
    doc = sents["doc_id"].astype(str).to_numpy()
    roles = set(zip(doc[pairs["row"].to_numpy()], pairs["name"], strict=True))
    out = ps.copy()
    is_pol = [(d, nm) in roles for d, nm in zip(doc[out["row"].to_numpy()], out["name"].tolist(), strict=True)]
    out.loc[np.asarray(is_pol) & (out["kind"] == "person").to_numpy(), "kind"] = "politician"
    return out


def roles_before(texts: np.ndarray, people: pd.DataFrame, roles: pd.DataFrame) -> pd.DataFrame:
    """Pair each person mention with a role hit ending at most one word before it ("Tory MP Nigel Waterson").

    ``people`` has ``row`` (index into ``texts``) and ``start``; ``roles`` has ``row``, ``start`` and ``end``
    (offsets into the same texts). Returns ``people``'s columns, ``index`` (its index), ``role_start``,
    ``role_end`` and ``roles``'s other columns, one row per pair: the role ends at most 16 characters and one
    word before the name, with no comma between.
    """
    spans = roles.rename(columns={"start": "role_start", "end": "role_end"})
    pairs = people.reset_index().merge(spans, on="row")
    gap = pairs["start"] - pairs["role_end"]
    pairs = pairs[(gap >= 0) & (gap <= 16)]
    between = [texts[r][e:s] for r, e, s in zip(pairs["row"], pairs["role_end"], pairs["start"], strict=True)]
    return pairs[np.asarray([len(b.split()) <= 1 and "," not in b for b in between], dtype=bool)]


def _blamed_person_mentions(sents: pd.DataFrame, ps: pd.DataFrame, individual: np.ndarray) -> np.ndarray:
    """Sentences naming a person who was held responsible earlier in the same document.

    Coreference by name: once a sentence of a document locates blame in "Mr Smith", its later sentences
    naming Smith continue the discussion of his responsibility (his departure, whether he is still in post).
    """
    out = np.zeros(len(sents), dtype=bool)
    people = ps[ps["kind"].isin(("person", "politician"))]
    if people.empty:
        return out
    doc = sents["doc_id"].astype(str).to_numpy()
    mentions = pd.DataFrame({"row": people["row"].to_numpy(dtype=np.int64), "name": people["name"].to_numpy()})
    mentions["doc"] = doc[mentions["row"].to_numpy()]
    mentions["blamed"] = individual[mentions["row"].to_numpy()]
    first = mentions[mentions["blamed"]].groupby(["doc", "name"])["row"].min().rename("first").reset_index()
    later = mentions.merge(first, on=["doc", "name"])
    out[later.loc[later["row"] > later["first"], "row"].to_numpy(dtype=np.int64)] = True
    return out


def _context(sents: pd.DataFrame, own: np.ndarray, signal: np.ndarray, vspans: pd.DataFrame | None,
             joined: tuple[str, np.ndarray], rows_text: RowText | None = None) -> np.ndarray:
    """Labels after the context rules: blame talk running on, list items, quotation continuations, pronouns."""
    n = len(sents)
    doc = sents["doc_id"].astype(str).to_numpy()
    para = sents["para_id"].to_numpy() if "para_id" in sents.columns else np.zeros(n, dtype=np.int64)
    prev = _previous_in_paragraph(doc, para)
    has_prev = prev >= 0
    loci_all = own.copy()
    sig_all = signal.copy()
    # a sentence continues the blame talk of the previous sentence of its paragraph: it inherits its signal (not
    # its loci), so a locus named in the next breath ("The agencies failed her. Social services had been warned.")
    # is read as the coder reads it, in context
    sig_all[has_prev] |= signal[prev[has_prev]]
    text_s = sents["text"].astype(str)
    # list items inherit the lead-in: the nearest earlier sentence of the document ending in ':'
    lead = text_s.str.rstrip().str.endswith(":").to_numpy()
    lead_idx = np.where(lead, np.arange(n), -1)
    last_lead = np.maximum.accumulate(lead_idx) if n else lead_idx
    prev_lead = np.concatenate([[-1], last_lead[:-1]]) if n else last_lead
    same_doc_lead = prev_lead >= 0
    same_doc_lead[same_doc_lead] = doc[prev_lead[same_doc_lead]] == doc[same_doc_lead]
    item = (_opening(_LIST_ITEM_LINE, *joined) | (has_prev & lead[np.maximum(prev, 0)])) & same_doc_lead
    src = prev_lead[item]
    sig_all[item] |= signal[src]
    loci_all[item] |= own[src]
    # quotation continuation: a sentence inside a quotation opened by an earlier sentence inherits the opener's
    # signal, however many sentences the quotation runs over, into the next paragraph too (news style)
    opener = _quotation_openers(*joined, doc, para, rows_text)
    inside = opener >= 0
    sig_all[inside] |= sig_all[opener[inside]]
    # pronoun follow-ups inherit the previous sentence's loci and signal;
    # not when the pronoun is the speaker of a reporting clause ("He said: ...")
    speaks = np.zeros(n, dtype=bool)
    if vspans is not None and not vspans.empty:
        speaks[vspans.loc[vspans["start"] == 0, "row"].to_numpy(dtype=np.int64)] = True
    follow = has_prev & _opening(_PRONOUN_START_LINE, *joined) & ~speaks
    sig_all[follow] |= sig_all[prev[follow]]
    loci_all[follow] |= loci_all[prev[follow]]
    labels: np.ndarray = loci_all & sig_all[:, None]
    return labels
