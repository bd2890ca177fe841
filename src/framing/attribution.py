"""Voice, actors and blame: who is quoted, who is mentioned, who blames whom.

The module works at document level on the raw text with character offsets (a quotation may span
several sentences) and projects its results onto the corpus's sentences. Method notes, with the exact
rules and their known failure modes, are in ``docs/attribution.md``; in short:

**Quotations** (:func:`find_quotations`) are found per paragraph by a left-to-right scan over the
quotation marks ``" “ ” ' ‘ ’`` with a stack, so quotations may nest and may span sentences.

* Double quotes: ``“`` opens, ``”`` closes, a straight ``"`` closes an open double quotation and opens
  one otherwise.
* Single quotes: ``‘`` (and a straight ``'`` not preceded by a letter or digit) *may* open; ``’``/``'``
  between two letters or digits is an apostrophe (``don't``, ``children's``, ``Ball’s``); ``’``/``'``
  closes only when a single quotation is open and is not followed by a letter or digit; any other ``’``
  is an apostrophe (``inspectors’ report``). A single opener left unclosed at the end of its paragraph
  was an apostrophe after all and is dropped silently.
* A quotation may start with an ellipsis (``“…a number of serious concerns…”``); the ellipsis is part
  of the quoted content.
* A double quotation still open at the end of its paragraph is closed there (fallback). If the next
  paragraph opens with a double quotation mark, this is the typographic convention for a quotation
  that runs over several paragraphs (``continued=True``, no warning); otherwise an
  :class:`UnclosedQuotationWarning` names the document, the offset and the first words.

**Speakers** are found by reporting-verb patterns (:data:`REPORTING_VERBS`) around each top-level
quotation, in this order: after the quotation (``"...," he told journalists``, ``"...," said Balls``);
in the clause before it in the same sentence (``Jane Collins, chief executive of ..., said:``,
``Balls said the review needed ... "the quality of ..."``, ``She added that ...``); in a lead-in
paragraph ending with a colon (``the Inspectors say that there are:`` followed by the quotation in the
next paragraph); otherwise a quotation that directly follows an attributed one in the same or the
previous paragraph continues it. ``he``/``she`` as a speaker resolve to the nearest preceding named
speaker (or, failing that, the first person name of the nearest preceding sentence that has one) in
the same paragraph; ``they`` resolves to the speaker of the nearest preceding attributed quotation
within :data:`SPEAKER_WINDOW` paragraphs. A surname on its own (``Balls``) is expanded to a full name
that occurs earlier in the document (``Ed Balls``).

**Actors** (:func:`actor_mentions`) come from the ``actors`` lexicon; a subject pronoun ``he``/``she``
takes the actor of the nearest preceding mention in the same paragraph that is capitalised (a name
or a title) and belongs to a category of persons (:data:`PERSON_ACTORS`).

**Blame** (:func:`blame_attribution`): in every sentence with a blame cue, each actor mentioned (other
than the speaker's own mention) is a *target*; the *blamer* is the speaker of the quotation a cue lies
in, or ``author`` for cues outside quotations (``unattributed`` for cues in quotations without a
speaker). **Blame avoidance** (:func:`blame_avoidance`) finds agentless passives around blame terms,
denials and hedges with the regular expressions of :data:`AVOIDANCE_PATTERNS`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.errors import ParameterError
from framing.types import ACTORS, FRAMES, Span

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    from matplotlib.axes import Axes

__all__ = [
    "ACTOR_COLUMNS",
    "AUTHOR",
    "AVOIDANCE_COLUMNS",
    "AVOIDANCE_PATTERNS",
    "BLAME_CLI_COLUMNS",
    "BLAME_COLUMNS",
    "PERSON_ACTORS",
    "QUOTE_COLUMNS",
    "REPORTING_VERBS",
    "SPEAKER_WINDOW",
    "UNATTRIBUTED",
    "AttributionWarning",
    "NoBlameCuesWarning",
    "Quotation",
    "UnclosedQuotationWarning",
    "actor_frame_matrix",
    "actor_mentions",
    "avoidance_rates",
    "blame_attribution",
    "blame_avoidance",
    "blame_network",
    "corpus_quotations",
    "find_quotations",
    "plot_blame_network",
    "quoted_mask",
    "sentence_voice",
    "speaker_actors",
    "voice_frame_counts",
]

AUTHOR = "author"
"""The blamer of a cue outside any quotation: the text's author."""

UNATTRIBUTED = "unattributed"
"""The blamer of a cue inside a quotation whose speaker could not be found."""

SPEAKER_WINDOW = 3
"""How many paragraphs back ``they`` (as a speaker) and continued quotations look for a speaker."""

PERSON_ACTORS: frozenset[str] = frozenset(
    {"director", "social_workers", "health", "police", "management", "government", "council_politicians",
     "perpetrators"}
)
"""Actor categories whose members can be individual persons (antecedents of ``he``/``she``)."""

REPORTING_VERBS: tuple[str, ...] = (
    "say", "says", "said", "tell", "tells", "told", "add", "adds", "added", "state", "states", "stated",
    "warn", "warns", "warned", "insist", "insists", "insisted", "emphasise", "emphasises", "emphasised",
    "emphasize", "emphasizes", "emphasized", "claim", "claims", "claimed", "argue", "argues", "argued",
    "explain", "explains", "explained", "describe", "describes", "described", "find", "finds", "found",
    "conclude", "concludes", "concluded", "announce", "announces", "announced", "admit", "admits",
    "admitted", "deny", "denies", "denied", "declare", "declares", "declared", "urge", "urges", "urged",
    "noted", "commented", "write", "writes", "wrote", "called", "criticise", "criticises", "criticised",
    "criticize", "criticizes", "criticized", "condemn", "condemns", "condemned", "acknowledge",
    "acknowledges", "acknowledged", "reply", "replies", "replied", "continue", "continues", "continued",
    "ask", "asks", "asked", "reported", "suggest", "suggests", "suggested", "believe", "believes",
    "believed", "highlight", "highlighted", "judged", "maintain", "maintains", "maintained", "concede",
    "concedes", "conceded", "stress", "stresses", "stressed", "confirm", "confirms", "confirmed", "agree",
    "agrees", "agreed", "predict", "predicts", "predicted", "recall", "recalls", "recalled", "respond",
    "responds", "responded", "complain", "complains", "complained", "accept", "accepts", "accepted",
    "promise", "promises", "promised", "vow", "vows", "vowed", "pledged", "answered",
)
"""Verbs that introduce reported speech (lower case, all inflections listed). Forms that are more
often nouns (``report(s)``, ``call(s)``, ``note(s)``, ``comment(s)``, ``judge(s)``, ``highlights``)
are left out on purpose."""

QUOTE_COLUMNS: tuple[str, ...] = (
    "doc_id", "quote_id", "start", "end", "content_start", "content_end", "kind", "depth", "parent",
    "closed", "continued", "text", "speaker", "speaker_mention", "speaker_start", "speaker_end", "clause_end",
    "verb",
    "rule",
)
"""Columns of the quotation table (see :func:`find_quotations`)."""

BLAME_COLUMNS: tuple[str, ...] = (
    "doc_id", "sent_id", "start", "end", "blamer", "target", "frame", "evidence", "genre", "blamer_actor",
    "voice", "evidence_spans", "target_spans",
)
"""Columns of the blame table: the CLI's eight contract columns first, then extras."""

BLAME_CLI_COLUMNS: tuple[str, ...] = BLAME_COLUMNS[:8]


class AttributionWarning(UserWarning):
    """Base class of the warnings of this module (the analysis goes on)."""


class UnclosedQuotationWarning(AttributionWarning):
    """A double quotation never closes; it is closed at the end of its paragraph (fallback)."""


class NoBlameCuesWarning(AttributionWarning):
    """A genre (or the whole corpus) has no blame cues: its blame table and network are empty."""


# --------------------------------------------------------------------------------------------------
# Quotations
# --------------------------------------------------------------------------------------------------


@dataclass
class Quotation:
    """One quotation in a document: offsets into the raw text, marks included in ``start:end``."""

    start: int
    end: int
    content_start: int
    content_end: int
    kind: str  # "double" or "single"
    closed: bool = True
    continued: bool = False
    depth: int = 0
    parent: int = -1
    speaker: str | None = None
    speaker_mention: str | None = None
    speaker_start: int = -1
    speaker_end: int = -1
    clause_end: int = -1
    verb: str | None = None
    rule: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


_QUOTE_MARK_RE = re.compile("[\"'\u201c\u201d\u2018\u2019]")
_ALNUM = re.compile(r"[^\W_]")


def _is_alnum(ch: str) -> bool:
    return bool(ch) and bool(_ALNUM.match(ch))


def _scan_paragraph(text: str, ps: int, pe: int) -> tuple[list[Quotation], list[Quotation]]:
    """Scan one paragraph; return (closed quotations, double quotations left open at its end)."""
    stack: list[tuple[str, int]] = []  # (kind, position of the opening mark)
    found: list[Quotation] = []
    for m in _QUOTE_MARK_RE.finditer(text, ps, pe):
        p = m.start()
        ch = text[p]
        prev = text[p - 1] if p > ps else ""
        nxt = text[p + 1] if p + 1 < pe else ""
        if ch in "\u201c\u201d\"":
            is_open_double = any(k == "double" for k, _ in stack)
            if ch == "\u201c" or (ch == '"' and not is_open_double):
                stack.append(("double", p))
                continue
            if not is_open_double:  # a stray closing mark: ignore it
                continue
            while stack and stack[-1][0] != "double":
                stack.pop()  # single "openers" inside were apostrophes
            _, o = stack.pop()
            found.append(Quotation(o, p + 1, o + 1, p, "double"))
            continue
        # single quotation marks and apostrophes
        if _is_alnum(prev) and _is_alnum(nxt):
            continue  # apostrophe inside a word: don't, children's, Ball’s
        single_open = any(k == "single" for k, _ in stack)
        if ch == "\u2018" or (ch == "'" and not _is_alnum(prev) and nxt and not nxt.isspace()):
            if ch == "'" and single_open and not _is_alnum(nxt):
                pass  # a straight mark after punctuation closing an open single quotation
            else:
                stack.append(("single", p))
                continue
        if single_open and not _is_alnum(nxt):
            while stack and stack[-1][0] != "single":
                stack.pop()
            _, o = stack.pop()
            found.append(Quotation(o, p + 1, o + 1, p, "single"))
        # otherwise: an apostrophe (inspectors’ report, ’90s)
    open_doubles = []
    end = pe
    while end > ps and text[end - 1].isspace():
        end -= 1
    for kind, o in stack:
        if kind == "double":
            open_doubles.append(Quotation(o, end, o + 1, end, "double", closed=False))
    return found, open_doubles


def _assign_nesting(quotes: list[Quotation]) -> None:
    """Set ``depth`` and ``parent`` (index of the innermost enclosing quotation) by containment."""
    quotes.sort(key=lambda q: (q.start, -q.end))
    open_idx: list[int] = []
    for i, q in enumerate(quotes):
        while open_idx and quotes[open_idx[-1]].end <= q.start:
            open_idx.pop()
        q.depth = len(open_idx)
        q.parent = open_idx[-1] if open_idx else -1
        open_idx.append(i)


def _default_paragraphs(text: str) -> list[Span]:
    from framing.segment import split_paragraphs

    return split_paragraphs(text)


def find_quotations(
    text: str,
    *,
    doc_id: str = "",
    paragraphs: Sequence[Span] | None = None,
    attribute: bool = True,
) -> pd.DataFrame:
    """Find the quotations of one document and, when ``attribute``, their speakers.

    Parameters
    ----------
    text : str
        The raw document text.
    doc_id : str
        Written to the ``doc_id`` column and named in warnings.
    paragraphs : sequence of (start, end), optional
        Paragraph spans into ``text`` (the corpus's ``paragraphs`` table); default
        :func:`framing.segment.split_paragraphs`. Quotations are scanned within paragraphs.
    attribute : bool
        Find speakers (see the module docstring). With ``False`` the speaker columns stay empty.

    Returns
    -------
    pandas.DataFrame
        One row per quotation, columns :data:`QUOTE_COLUMNS`: ``start``/``end`` include the marks,
        ``content_start``/``content_end`` exclude them; ``kind`` is ``double`` or ``single``; ``depth`` 0
        for top-level quotations, ``parent`` the ``quote_id`` of the enclosing one (-1 if none);
        ``closed`` False for the end-of-paragraph fallback; ``speaker`` the resolved speaker (None if
        unattributed), ``speaker_mention`` and its offsets the words that name it, ``verb`` the
        reporting verb, ``rule`` which rule attributed it.

    Warns
    -----
    UnclosedQuotationWarning
        For each double quotation that never closes (except the multi-paragraph convention).
    """
    paras = sorted(paragraphs) if paragraphs is not None else _default_paragraphs(text)
    return _quote_frame(_quotation_rows(text, doc_id, paras, attribute))


def _quotation_rows(text: str, doc_id: str, paras: Sequence[Span], attribute: bool) -> list[dict[str, Any]]:
    """The rows of :func:`find_quotations` for one document (paragraph spans sorted)."""
    quotes: list[Quotation] = []
    for i, (ps, pe) in enumerate(paras):
        found, still_open = _scan_paragraph(text, ps, pe)
        quotes.extend(found)
        for q in still_open:
            nxt = paras[i + 1] if i + 1 < len(paras) else None
            if nxt is not None and text[nxt[0]:nxt[1]].lstrip()[:1] in ("\u201c", '"'):
                q.continued = True
            else:
                preview = " ".join(text[q.content_start:q.content_end].split()[:8])
                line = text.count("\n", 0, q.start) + 1
                warnings.warn(
                    f"document {doc_id!r}: quotation opened at offset {q.start} (line {line}) never closes: "
                    f"{text[q.start]}{preview}...; treated as quoted up to the end of its paragraph "
                    f"(offset {q.end})",
                    UnclosedQuotationWarning,
                    stacklevel=4,
                )
            quotes.append(q)
    _assign_nesting(quotes)
    if attribute:
        _attribute_speakers(text, quotes, paras)
    return [
        {
            "doc_id": doc_id, "quote_id": i, "start": q.start, "end": q.end, "content_start": q.content_start,
            "content_end": q.content_end, "kind": q.kind, "depth": q.depth, "parent": q.parent,
            "closed": q.closed, "continued": q.continued, "text": text[q.content_start:q.content_end],
            "speaker": q.speaker, "speaker_mention": q.speaker_mention, "speaker_start": q.speaker_start,
            "speaker_end": q.speaker_end, "clause_end": q.clause_end, "verb": q.verb, "rule": q.rule,
        }
        for i, q in enumerate(quotes)
    ]


def _quote_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(QUOTE_COLUMNS))
    int_cols = ["quote_id", "start", "end", "content_start", "content_end", "depth", "parent",
                "speaker_start", "speaker_end", "clause_end"]
    for c in int_cols:
        df[c] = df[c].astype("int64")
    for c in ("closed", "continued"):
        df[c] = df[c].astype(bool)
    for c in ("doc_id", "kind", "text", "rule"):
        df[c] = df[c].astype(object)
    for c in ("speaker", "speaker_mention", "verb"):
        df[c] = df[c].astype(object).where(df[c].notna(), None)
    return df


# --------------------------------------------------------------------------------------------------
# Speakers
# --------------------------------------------------------------------------------------------------

_W = r"[A-Z][\w\u2019'\-]*"
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Lord|Lady|Sir|Dame|Baroness|Baron|Cllr|Councillor|HM)\.?"
_NAME = rf"(?:{_TITLE}\s+)?{_W}(?:\s+(?:(?:of|for|and|the|de|van|von)\s+)?{_W}){{0,4}}"
_DET = r"(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Oo]ne|[Tt]his|[Tt]hat)"
_NOUN_PHRASE = rf"{_DET}\s+(?:[\w\u2019'\-]+\s+){{0,3}}?[\w\u2019'\-]+"
_PRONOUN = r"(?:[Hh]e|[Ss]he|[Tt]hey)"
_VERB = "(?:" + "|".join(sorted(REPORTING_VERBS, key=len, reverse=True)) + ")"
_ADV = r"(?:(?:also|later|then|today|yesterday|previously|recently|repeatedly|once|again|clearly|"\
       r"publicly|further|earlier|has|have|had|had\s+previously|will|would|has\s+also|have\s+also)\s+)"
_SPEAKER = rf"(?P<speaker>{_PRONOUN}|{_NOUN_PHRASE}|{_NAME})"
_APPOS = r"(?:,\s+[^,;:\"\u201c\u201d]{1,160}?,)"
_PRE_RE = re.compile(rf"(?<![\w\-]){_SPEAKER}{_APPOS}?\s+{_ADV}{{0,2}}(?P<verb>{_VERB})\b")
_POST_RE = re.compile(
    rf"^\s*[,.]?\s*(?:(?P<verb>{_VERB})\s+(?P<speaker2>{_NAME}|{_NOUN_PHRASE})|{_SPEAKER}{_APPOS}?\s+"
    rf"{_ADV}{{0,2}}(?P<verb2>{_VERB}))\b"
)
_PERSON_RE = re.compile(
    rf"\b(?:{_TITLE}\s+{_W}(?:\s+{_W})?|[A-Z][a-z\u2019'\-]+\s+[A-Z][a-z\u2019'\-]+(?:\s+[A-Z][a-z\u2019'\-]+)?)"
)
_NOT_PERSON_WORDS = frozenset(
    """act acts council councils commission board trust hospital street services service office department
    secretary minister ministry inspector inspectors inspectorate inspection review report court bailey
    education children children's children’s care primary teaching great north south east west london
    haringey baby standards health healthcare constabulary safeguarding local serious case chief
    executive director assistant deputy leader member members lead government party labour conservative
    house commons lords committee select parliament news times guardian independent sun mail ormond
    the a an in on at of for and but so this that these those it there their his her our we i you
    december november january february march april may june july august september october monday tuesday
    wednesday thursday friday saturday sunday""".split()
)
_LEADING_STOP = frozenset(
    """in on at by for from with after before during yesterday today tonight now then later last this but
    and so also however meanwhile earlier when while as if although though because since""".split()
)
_SENT_BOUNDARY_RE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]*\s+")
_LOWER_START = re.compile(r"[a-z]")


def _mask_quotes(text: str, quotes: Sequence[Quotation]) -> str:
    """Return ``text`` with the non-space characters of quoted content replaced by ``x`` (offsets unchanged)."""
    pieces: list[str] = []
    pos = 0
    for q in sorted((q for q in quotes if q.depth == 0), key=lambda q: q.content_start):
        a, b = max(q.content_start, pos), q.content_end
        if b <= a:
            continue
        pieces.append(text[pos:a])
        pieces.append(_NON_SPACE_RE.sub("x", text[a:b]))
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


_NON_SPACE_RE = re.compile(r"\S")


def _clean_speaker(speaker: str, start: int) -> tuple[str, int] | None:
    """Drop leading sentence adverbs/prepositions caught by the name pattern (``Yesterday Balls``)."""
    words = speaker.split()
    offset = 0
    while len(words) > 1 and words[0].lower() in _LEADING_STOP:
        offset = speaker.index(words[1], offset + len(words[0]))
        words = words[1:]
    if len(words) == 1 and words[0].lower() in _LEADING_STOP:
        return None
    return speaker[offset:], start + offset


def _search_pre(ctx: str, base: int) -> tuple[str, int, int, str, int] | None:
    for m in _PRE_RE.finditer(ctx):
        cleaned = _clean_speaker(m.group("speaker"), base + m.start("speaker"))
        if cleaned is None:
            continue
        sp, s0 = cleaned
        return sp, s0, base + m.end("speaker"), m.group("verb"), base + m.end("verb")
    return None


def _search_post(ctx: str, base: int) -> tuple[str, int, int, str, int] | None:
    m = _POST_RE.match(ctx)
    if not m:
        return None
    if m.group("verb"):
        grp, verb = "speaker2", m.group("verb")
    else:
        grp, verb = "speaker", m.group("verb2")
    cleaned = _clean_speaker(m.group(grp), base + m.start(grp))
    if cleaned is None:
        return None
    sp, s0 = cleaned
    return sp, s0, base + m.end(grp), verb, base + m.end()


_CLAUSE_STOP_RE = re.compile(r"[.;!?:]")


def _clause_end(text: str, verb_end: int, limit: int, after: bool) -> int:
    """End of the reporting clause: after a quotation, up to the next stop (``he told journalists.``);
    before one, through a colon within 40 characters (``said in a statement:``), else the verb's end."""
    m = _CLAUSE_STOP_RE.search(text, verb_end, limit)
    if after:
        return m.start() if m else limit
    if m and text[m.start()] == ":" and m.start() - verb_end <= 40:
        return m.end()
    return verb_end


def _sentence_start(masked: str, pos: int, floor: int) -> int:
    """Start of the sentence holding ``pos`` (search back to ``floor``) in the masked text."""
    last = floor
    for m in _SENT_BOUNDARY_RE.finditer(masked, floor, pos):
        if m.end() <= pos:
            last = m.end()
    return last


def _sentence_end(masked: str, pos: int, ceiling: int) -> int:
    m = _SENT_BOUNDARY_RE.search(masked, pos, ceiling)
    return m.start() + 1 if m else ceiling


def _para_index(paras: Sequence[Span], pos: int) -> int:
    starts = [s for s, _ in paras]
    return max(0, int(np.searchsorted(np.asarray(starts), pos, side="right")) - 1)


def _person_names(masked: str, start: int, end: int) -> list[tuple[int, str]]:
    out = []
    for m in _PERSON_RE.finditer(masked, start, end):
        words = [w.lower() for w in m.group().split()]
        not_person = any(w in _NOT_PERSON_WORDS for w in words[1:]) or words[0] in _NOT_PERSON_WORDS - {
            "lord", "lady"
        }
        if not_person and not re.match(_TITLE + r"\s", m.group()):
            continue
        out.append((m.start(), m.group()))
    return out


def _full_names(masked: str) -> dict[str, str]:
    """Map a surname to the first full name ending in it in the document (``Balls`` -> ``Ed Balls``)."""
    out: dict[str, str] = {}
    for _, name in _person_names(masked, 0, len(masked)):
        parts = name.split()
        if len(parts) >= 2:
            out.setdefault(parts[-1], name)
    return out


def _attribute_speakers(text: str, quotes: list[Quotation], paras: Sequence[Span]) -> None:
    masked = _mask_quotes(text, quotes)
    full = _full_names(masked)
    # named speakers found so far: (position, name, paragraph index)
    named: list[tuple[int, str, int]] = []
    attributed: list[tuple[int, str, int]] = []  # (quote end, speaker, paragraph) for "they"/chains
    top = [q for q in quotes if q.depth == 0]
    # first pass: explicit patterns
    for qi, q in enumerate(top):
        pidx = _para_index(paras, q.start)
        ps, pe = paras[pidx] if paras else (0, len(text))
        prev_end = max([r.end for r in top[:qi] if r.end <= q.start and r.end >= ps], default=ps)
        hit: tuple[str, int, int, str, int] | None = None
        rule = ""
        # 1. after the quotation
        if q.closed:
            nxt_q = min([r.start for r in top[qi + 1:] if r.start >= q.end], default=pe)
            post_end = min(pe, nxt_q, q.end + 120)
            content = text[q.content_start:q.content_end].rstrip()
            after = text[q.end:post_end]
            if content[-1:] in (",", "?", "!", "\u2026") or after.lstrip()[:1] == ",":
                hit = _search_post(after, q.end)
                rule = "after"
        # 2. before the quotation, same sentence
        if hit is None:
            s0 = max(_sentence_start(masked, q.start, ps), prev_end)
            ctx = text[s0:q.start]
            hit = _search_pre(ctx, s0)
            rule = "before"
        # 3. lead-in paragraph ending with a colon
        if hit is None and not text[ps:q.start].strip() and pidx > 0:
            lps, lpe = paras[pidx - 1]
            lead = text[lps:lpe].rstrip()
            if lead.endswith(":"):
                s0 = _sentence_start(masked, lps + len(lead), lps)
                hit = _search_pre(text[s0:lps + len(lead)], s0)
                rule = "lead-in"
        if hit is None:
            continue
        mention, s_start, s_end, verb, v_end = hit
        q.speaker_mention, q.speaker_start, q.speaker_end, q.verb, q.rule = mention, s_start, s_end, verb, rule
        q.clause_end = _clause_end(text, v_end, q.start if s_start < q.start else pe, rule == "after")
        first = mention.split()[0].lower()
        if first in ("he", "she"):
            q.speaker = _resolve_he_she(masked, s_start, ps, named, full)
            q.rule += "+pronoun"
        elif first == "they":
            q.speaker = _resolve_they(attributed, pidx)
            q.rule += "+pronoun"
        else:
            q.speaker = full.get(mention, mention) if " " not in mention else mention
            if not re.match(_DET + r"\s", mention):
                named.append((s_start, q.speaker, pidx))
        if q.speaker:
            attributed.append((q.end, q.speaker, pidx))
    # second pass: continuations of an attributed quotation
    for qi, q in enumerate(top):
        if q.speaker or q.speaker_mention or qi == 0:
            continue
        prev = top[qi - 1]
        pidx, prev_pidx = _para_index(paras, q.start), _para_index(paras, prev.start)
        if prev.speaker is None or pidx - prev_pidx > 1:
            continue
        # the previous quotation's own reporting clause ("...," Mr Eddington said. "For example ...") does
        # not break the chain
        gap_start = max(prev.end, prev.clause_end) if prev.speaker_start >= prev.end else prev.end
        between = masked[gap_start:q.start]
        if _PRE_RE.search(between) or len(between.strip()) > 40:
            continue
        q.speaker, q.rule = prev.speaker, "continued"
    # nested quotations: the outer speaker is the one quoting them
    for q in quotes:
        if q.depth > 0 and q.parent >= 0:
            outer = quotes[q.parent]
            q.speaker, q.rule = outer.speaker, "nested"


def _resolve_he_she(
    masked: str, pos: int, ps: int, named: list[tuple[int, str, int]], full: Mapping[str, str]
) -> str | None:
    """Nearest preceding named speaker in the paragraph, else the first person name of the nearest
    preceding sentence (same paragraph) that has one."""
    for npos, name, _ in reversed(named):
        if ps <= npos < pos:
            return name
    s = _sentence_start(masked, pos, ps)
    while True:
        names = _person_names(masked, s, pos)
        # also single capitalised surnames known from a full name, at the start of a clause
        for m in re.finditer(r"\b[A-Z][a-z\u2019'\-]+\b", masked[s:pos]):
            if m.group() in full:
                names.append((s + m.start(), full[m.group()]))
        if names:
            names.sort()
            name = names[0][1]
            return full.get(name, name) if " " not in name else name
        if s <= ps:
            return None
        s_prev = _sentence_start(masked, s - 1, ps)
        pos, s = s, s_prev
        if s == pos:
            return None


def _resolve_they(attributed: list[tuple[int, str, int]], pidx: int) -> str | None:
    for _, speaker, p in reversed(attributed):
        if pidx - p <= SPEAKER_WINDOW:
            return speaker
    return None


# --------------------------------------------------------------------------------------------------
# Corpus level: quotations and voice per sentence
# --------------------------------------------------------------------------------------------------


def corpus_quotations(corpus: Any, *, attribute: bool = True) -> pd.DataFrame:
    """Run :func:`find_quotations` on every document of a ``ProcessedCorpus``.

    Paragraph spans come from ``corpus.paragraphs``; speakers are mapped to codebook actors later (see
    :func:`blame_attribution`). Returns the concatenated quotation table (columns :data:`QUOTE_COLUMNS`).
    """
    by_doc = {d: g for d, g in corpus.paragraphs.groupby("doc_id", sort=False)}
    rows: list[dict[str, Any]] = []
    for doc_id, text in zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True):
        p = by_doc.get(doc_id)
        spans = [] if p is None else sorted(zip(p["start"].astype(int), p["end"].astype(int), strict=True))
        rows.extend(_quotation_rows(str(text), str(doc_id), spans, attribute))
    return _quote_frame(rows)


def _by_doc(df: pd.DataFrame) -> dict[Any, pd.DataFrame]:
    """Split a table by ``doc_id`` once (each part with a fresh 0..n-1 index)."""
    return {d: g.reset_index(drop=True) for d, g in df.groupby("doc_id", sort=False)}


def _empty_like(df: pd.DataFrame) -> pd.DataFrame:
    return df.iloc[0:0].reset_index(drop=True)


def quoted_mask(n_chars: int, quotes: pd.DataFrame) -> np.ndarray:
    """Boolean array of length ``n_chars``: True where a character lies in quoted content.

    Built with a difference array and a cumulative sum (no per-character loop).
    """
    diff = np.zeros(n_chars + 1, dtype=np.int64)
    if len(quotes):
        np.add.at(diff, quotes["content_start"].to_numpy(dtype=np.int64), 1)
        np.add.at(diff, quotes["content_end"].to_numpy(dtype=np.int64), -1)
    return np.cumsum(diff[:-1]) > 0


def _in_quote_index(starts: np.ndarray, ends: np.ndarray, quotes: pd.DataFrame) -> np.ndarray:
    """For spans (starts, ends) return the row position in ``quotes`` (top-level only) containing the
    span's midpoint, or -1."""
    top = quotes[quotes["depth"] == 0]
    if top.empty or len(starts) == 0:
        return np.full(len(starts), -1, dtype=np.int64)
    qs = top["content_start"].to_numpy(dtype=np.int64)
    qe = top["content_end"].to_numpy(dtype=np.int64)
    order = np.argsort(qs, kind="stable")
    qs, qe = qs[order], qe[order]
    mid = (np.asarray(starts, dtype=np.int64) + np.asarray(ends, dtype=np.int64)) // 2
    j = np.searchsorted(qs, mid, side="right") - 1
    ok = (j >= 0) & (mid < qe[np.clip(j, 0, None)])
    pos = top.index.to_numpy()[order]
    return np.where(ok, pos[np.clip(j, 0, None)], -1)


_NON_ALNUM_RE = re.compile(r"[\W_]")


def _alnum_array(text: str) -> np.ndarray:
    """Boolean array: True at letters and digits (what the quoted share counts)."""
    zeroed = _NON_ALNUM_RE.sub("\0", text)
    return np.frombuffer(zeroed.encode("utf-32-le"), dtype=np.uint32) != 0


def sentence_voice(corpus: Any, quotes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Project quotations onto sentences: the share of each sentence that is quoted, and who speaks.

    Parameters
    ----------
    corpus : ProcessedCorpus
        Needs ``documents`` (doc_id, text) and ``sentences`` (doc_id, sent_id, start, end).
    quotes : DataFrame, optional
        From :func:`corpus_quotations` (computed when omitted).

    Returns
    -------
    pandas.DataFrame
        doc_id, sent_id, start, end, quoted_chars, quoted_share (quoted letters and digits / letters and
        digits of the sentence, 0..1; marks and punctuation do not count), voice (``authorial`` if
        share is 0, ``quoted`` if 1, ``mixed`` otherwise), n_quotes (top-level quotations overlapping
        it), speakers (``"; "``-joined distinct speakers in order of appearance; ``unattributed`` for
        a quotation without one; empty string when none).
    """
    if quotes is None:
        quotes = corpus_quotations(corpus)
    sents_by = _by_doc(corpus.sentences)
    quotes_by, empty_q = _by_doc(quotes), _empty_like(quotes)
    out = []
    for doc_id, text in zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True):
        s = sents_by.get(doc_id)
        if s is None or s.empty:
            continue
        text = str(text)
        q = quotes_by.get(doc_id, empty_q)
        is_char = _alnum_array(text)
        mask = quoted_mask(len(text), q) & is_char
        cq = np.concatenate([[0], np.cumsum(mask)])
        cc = np.concatenate([[0], np.cumsum(is_char)])
        st = s["start"].to_numpy(dtype=np.int64)
        en = s["end"].to_numpy(dtype=np.int64)
        qchars = cq[en] - cq[st]
        nchars = cc[en] - cc[st]
        share = np.divide(qchars, nchars, out=np.zeros(len(st), dtype=float), where=nchars > 0)
        top = q[q["depth"] == 0].sort_values("content_start", kind="stable")
        qs = top["content_start"].to_numpy(dtype=np.int64)
        qe = top["content_end"].to_numpy(dtype=np.int64)
        names_q = [sp if isinstance(sp, str) and sp else UNATTRIBUTED for sp in top["speaker"]]
        # top-level quotations do not overlap, so starts and ends are both sorted: the quotations
        # overlapping [a, b) are those from the first ending after a to the last starting before b
        first = np.searchsorted(qe, st, side="right")
        last = np.searchsorted(qs, en, side="left")
        nq = np.maximum(last - first, 0)
        speakers = [
            "; ".join(dict.fromkeys(names_q[i] for i in range(f, lst))) if lst > f else ""
            for f, lst in zip(first.tolist(), last.tolist(), strict=True)
        ]
        voice = np.where(share <= 0, "authorial", np.where(share >= 1, "quoted", "mixed"))
        out.append(pd.DataFrame({
            "doc_id": s["doc_id"].to_numpy(), "sent_id": s["sent_id"].to_numpy(), "start": st, "end": en,
            "quoted_chars": qchars, "quoted_share": share, "voice": voice, "n_quotes": nq,
            "speakers": speakers,
        }))
    if not out:
        return pd.DataFrame(columns=["doc_id", "sent_id", "start", "end", "quoted_chars", "quoted_share",
                                     "voice", "n_quotes", "speakers"])
    return pd.concat(out, ignore_index=True)


# --------------------------------------------------------------------------------------------------
# Lexicon hits (framing.match) and sentence frames (framing.scoring)
# --------------------------------------------------------------------------------------------------

LexiconLike = Any  # str (shipped lexicon name), path or framing.lexicon.Lexicon


def _match(sentences: pd.DataFrame, lexicon: LexiconLike, negation: bool = True) -> pd.DataFrame:
    from framing.match import match_sentences

    return match_sentences(sentences, lexicon, negation=negation)


def _sentence_frames(corpus: Any, frames: pd.DataFrame | None, frames_lexicon: LexiconLike,
                     cues_lexicon: LexiconLike) -> pd.DataFrame:
    """doc_id, sent_id and one 0/1 column per frame: ``frames`` when given (e.g. a precomputed
    :func:`framing.scoring.frame_table`), else :func:`framing.scoring.frame_table` with its default rule."""
    if frames is None:
        from framing.scoring import frame_table

        frames = frame_table(corpus, frames_lexicon, cues=cues_lexicon)
    out = frames[["doc_id", "sent_id"]].copy()
    for f in FRAMES:
        if f not in frames.columns:
            raise ParameterError(f"frame table lacks column {f!r}; it has {list(frames.columns)}")
        out[f] = (pd.to_numeric(frames[f], errors="coerce").fillna(0) > 0).astype(np.int64)
    return out


# --------------------------------------------------------------------------------------------------
# Actors
# --------------------------------------------------------------------------------------------------

_HE_SHE_RE = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
ACTOR_COLUMNS: tuple[str, ...] = ("doc_id", "sent_id", "para_id", "start", "end", "actor", "matched", "negated",
                                  "via", "antecedent_start")


def actor_mentions(
    corpus: Any, *, lexicon: LexiconLike = "actors", pronouns: bool = True, quotes: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Actor mentions per sentence: lexicon hits plus the documented ``he``/``she`` rule.

    Parameters
    ----------
    corpus : ProcessedCorpus
        Needs ``sentences`` (doc_id, sent_id, para_id, start, end, text) and ``documents`` (doc_id, text).
    lexicon : str, path or Lexicon
        The actors lexicon (default: the shipped ``actors``); its categories are the codebook actors.
    pronouns : bool
        Resolve ``he``/``she``: the pronoun takes the actor of the nearest preceding lexicon mention in
        the same paragraph whose category is in :data:`PERSON_ACTORS` and whose text starts with a capital
        letter (a name or a title: ``Shoesmith``, ``Ed Balls``, ``the Director``); none: no mention.
    quotes : DataFrame, optional
        Quotations (:func:`corpus_quotations`). A ``he``/``she`` that names a quotation's speaker takes
        the actor of the resolved speaker instead (``He described ... as "devastating"`` -> Ed Balls ->
        government), so speaker and actor resolution agree; a speaker without an actor gives no mention.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ACTOR_COLUMNS`; ``start``/``end`` raw offsets,
        ``via`` ``lexicon``, ``pronoun`` or ``speaker`` (a pronoun resolved through the quotation's
        speaker), ``antecedent_start`` the offset of the antecedent mention (-1 otherwise).
    """
    sents = corpus.sentences
    hits = _match(sents, lexicon)
    para = sents.set_index(["doc_id", "sent_id"])["para_id"]
    texts = dict(zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True))
    base = pd.DataFrame({
        "doc_id": hits["doc_id"], "sent_id": hits["sent_id"].astype(np.int64),
        "para_id": para.reindex(list(zip(hits["doc_id"], hits["sent_id"], strict=True))).to_numpy(),
        "start": hits["start"].astype(np.int64), "end": hits["end"].astype(np.int64),
        "actor": hits["category"], "negated": hits["negated"].astype(bool), "via": "lexicon",
        "antecedent_start": -1,
    })
    base["matched"] = [str(texts[d])[s:e] for d, s, e in zip(base["doc_id"], base["start"], base["end"], strict=True)]
    rows = [base]
    if pronouns and len(sents):
        pron = []
        cand = base[base["actor"].isin(PERSON_ACTORS) & base["matched"].str[:1].str.isupper()]
        cand = cand.sort_values(["doc_id", "start"], kind="stable")
        by_para = {k: g for k, g in cand.groupby(["doc_id", "para_id"], sort=False)}
        speaker_at: dict[tuple[Any, int], str | None] = {}
        if quotes is not None and len(quotes):
            qp = quotes[quotes["speaker_mention"].fillna("").str.lower().isin(["he", "she"])]
            sa = speaker_actors(qp["speaker"].dropna().tolist(), lexicon=lexicon)
            for d, st, spk in zip(qp["doc_id"], qp["speaker_start"], qp["speaker"], strict=True):
                speaker_at[(d, int(st))] = sa.get(spk) if isinstance(spk, str) else None
        for d, sid, pid, s0, text in zip(sents["doc_id"], sents["sent_id"], sents["para_id"], sents["start"],
                                         sents["text"], strict=True):
            for m in _HE_SHE_RE.finditer(str(text)):
                pos = int(s0) + m.start()
                g = by_para.get((d, pid))
                if (d, pos) in speaker_at:
                    actor = speaker_at[(d, pos)]
                    if actor is not None:
                        pron.append({"doc_id": d, "sent_id": int(sid), "para_id": pid, "start": pos,
                                     "end": pos + len(m.group()), "actor": actor, "matched": m.group(),
                                     "negated": False, "via": "speaker", "antecedent_start": -1})
                    continue
                if g is None:
                    continue
                prev = g[g["end"] <= pos]
                if prev.empty:
                    continue
                ante = prev.iloc[-1]
                pron.append({"doc_id": d, "sent_id": int(sid), "para_id": pid, "start": pos,
                             "end": pos + len(m.group()), "actor": ante["actor"], "matched": m.group(),
                             "negated": False, "via": "pronoun", "antecedent_start": int(ante["start"])})
        if pron:
            rows.append(pd.DataFrame(pron))
    out = pd.concat(rows, ignore_index=True)[list(ACTOR_COLUMNS)]
    out = out.sort_values(["doc_id", "start", "actor"], kind="stable").reset_index(drop=True)
    for c in ("sent_id", "start", "end", "antecedent_start"):
        out[c] = out[c].astype(np.int64)
    return out


def speaker_actors(speakers: Iterable[str], *, lexicon: LexiconLike = "actors") -> dict[str, str | None]:
    """Map speaker names to codebook actors with the actors lexicon (first, longest hit; None if none)."""
    names = sorted({s for s in speakers if isinstance(s, str) and s})
    if not names:
        return {}
    table = pd.DataFrame({"doc_id": "", "sent_id": np.arange(len(names)), "start": 0, "text": names})
    hits = _match(table, lexicon, negation=False)
    out: dict[str, str | None] = dict.fromkeys(names)
    if len(hits):
        hits = hits.assign(length=hits["end"] - hits["start"])
        hits = hits.sort_values(["sent_id", "length", "start"], ascending=[True, False, True], kind="stable")
        for sid, cat in zip(hits["sent_id"], hits["category"], strict=True):
            if out[names[int(sid)]] is None:
                out[names[int(sid)]] = str(cat)
    return out


# --------------------------------------------------------------------------------------------------
# Blame: who blames whom
# --------------------------------------------------------------------------------------------------


def _voice_of(doc_quotes: pd.DataFrame, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    """``author`` outside quotations, else the quotation's speaker (``unattributed`` if none)."""
    idx = _in_quote_index(starts, ends, doc_quotes)
    out = []
    for i in idx:
        if i < 0:
            out.append(AUTHOR)
        else:
            sp = doc_quotes.loc[i, "speaker"]
            out.append(str(sp) if isinstance(sp, str) and sp else UNATTRIBUTED)
    return out


def blame_attribution(
    corpus: Any,
    *,
    quotes: pd.DataFrame | None = None,
    actors: pd.DataFrame | None = None,
    frames: pd.DataFrame | None = None,
    actors_lexicon: LexiconLike = "actors",
    cues_lexicon: LexiconLike = "blame_cues",
    frames_lexicon: LexiconLike = "blame_frames",
    include_negated_cues: bool = False,
) -> pd.DataFrame:
    """Who blames whom: one row per (sentence, blamer, target) for sentences with blame cues.

    Rules (see ``docs/attribution.md``): a sentence is a blame sentence when it has a blame cue (a hit
    of ``cues_lexicon``; negated cues do not count unless ``include_negated_cues``: "nothing to apologise
    for" is blame *avoidance*, see :func:`blame_avoidance`). The *blamer* of a cue is ``author`` when the
    cue lies outside quotations, the speaker of the quotation it lies in, or ``unattributed`` for a
    quotation without a speaker. Every actor mentioned in the sentence (lexicon or ``he``/``she`` rule,
    not negated, not part of a speaker's own name in the reporting clause) is a *target* of each blamer
    of that sentence. The sentence's frames (``frame``) come from ``frames`` or
    :func:`framing.scoring.frame_table`, joined with ``+`` in codebook order, ``none`` when no frame.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BLAME_COLUMNS`: doc_id, sent_id, start, end (the sentence's raw offsets), blamer,
        target (a codebook actor), frame, evidence (the cue words of that blamer, ``"; "``-joined), genre,
        blamer_actor (the speaker's actor category, ``author`` for the author, empty if unknown), voice
        (``authorial`` or ``quoted``), evidence_spans and target_spans (``start-end`` raw offsets,
        ``;``-joined). Sorted by doc_id, sent_id, blamer, target.

    Warns
    -----
    NoBlameCuesWarning
        For each genre without any blame cue (its rows are simply absent).
    """
    docs = corpus.documents
    sents = corpus.sentences
    if quotes is None:
        quotes = corpus_quotations(corpus)
    if actors is None:
        actors = actor_mentions(corpus, lexicon=actors_lexicon, quotes=quotes)
    cues = _match(sents, cues_lexicon)
    sframes = _sentence_frames(corpus, frames, frames_lexicon, cues_lexicon)
    if not include_negated_cues:
        cues = cues[~cues["negated"].astype(bool)]
    genre_of = dict(zip(docs["doc_id"], docs["genre"].astype(str), strict=True))
    with_cues = set(cues["doc_id"].map(genre_of))
    for g in dict.fromkeys(docs["genre"].astype(str)):
        if g not in with_cues:
            warnings.warn(f"genre {g!r} has no blame cues: no blame rows, an empty network for it",
                          NoBlameCuesWarning, stacklevel=2)
    sp_actor = speaker_actors(quotes["speaker"].dropna().tolist(), lexicon=actors_lexicon)
    flags = (sframes[list(FRAMES)].to_numpy() > 0).tolist()
    labels = ["+".join(f for f, on in zip(FRAMES, row, strict=True) if on) or "none" for row in flags]
    frame_lab = dict(zip(zip(sframes["doc_id"], sframes["sent_id"].astype(int), strict=True), labels, strict=True))
    sent_span = {(d, int(s)): (int(a), int(b)) for d, s, a, b in
                 zip(sents["doc_id"], sents["sent_id"], sents["start"], sents["end"], strict=True)}
    act = actors[~actors["negated"].astype(bool)]
    quotes_by, empty_q = _by_doc(quotes), _empty_like(quotes)
    act_by, empty_act = _by_doc(act), _empty_like(act)
    rows = []
    for doc_id, dcues in cues.groupby("doc_id", sort=True):
        dq = quotes_by.get(doc_id, empty_q)
        voices = _voice_of(dq, dcues["start"].to_numpy(), dcues["end"].to_numpy())
        dcues = dcues.assign(blamer=voices)
        spk = dq[(dq["speaker_start"] >= 0) & (dq["depth"] == 0)]
        spk_spans = list(zip(spk["speaker_start"], np.maximum(spk["speaker_end"], spk["clause_end"]), strict=True))
        dact = act_by.get(doc_id, empty_act)
        if spk_spans:
            own = np.zeros(len(dact), dtype=bool)
            for a, b in spk_spans:
                own |= (dact["start"].to_numpy() < b) & (dact["end"].to_numpy() > a)
            dact = dact[~own]
        for sid, scues in dcues.groupby("sent_id", sort=True):
            targets = dact[dact["sent_id"] == sid]
            if targets.empty:
                continue
            a, b = sent_span[(doc_id, int(sid))]
            for blamer, bc in scues.groupby("blamer", sort=True):
                ev = "; ".join(dict.fromkeys(bc["matched"].astype(str)))
                ev_spans = ";".join(f"{s}-{e}" for s, e in zip(bc["start"], bc["end"], strict=True))
                for target, tg in targets.groupby("actor", sort=True):
                    rows.append({
                        "doc_id": doc_id, "sent_id": int(sid), "start": a, "end": b, "blamer": str(blamer),
                        "target": str(target), "frame": frame_lab.get((doc_id, int(sid)), "none"),
                        "evidence": ev, "genre": genre_of[doc_id],
                        "blamer_actor": AUTHOR if blamer == AUTHOR else (sp_actor.get(str(blamer)) or ""),
                        "voice": "authorial" if blamer == AUTHOR else "quoted", "evidence_spans": ev_spans,
                        "target_spans": ";".join(f"{s}-{e}" for s, e in zip(tg["start"], tg["end"], strict=True)),
                    })
    out = pd.DataFrame(rows, columns=list(BLAME_COLUMNS))
    for c in ("sent_id", "start", "end"):
        out[c] = out[c].astype(np.int64)
    return out.sort_values(["doc_id", "sent_id", "blamer", "target"], kind="stable").reset_index(drop=True)


def actor_frame_matrix(blame: pd.DataFrame, *, genres: Sequence[str] | None = None) -> pd.DataFrame:
    """Actor x frame counts per genre from a blame table.

    Counts distinct sentences in which an actor is a blame target, for each frame the sentence carries
    (a sentence with two frames counts once in each; ``none`` for blame sentences without a frame).
    Every codebook actor and every genre in ``genres`` (default: those in the table) appears, with 0.

    Returns
    -------
    pandas.DataFrame
        Long table: genre, actor, frame, n_sentences.
    """
    frames = [*FRAMES, "none"]
    names = list(dict.fromkeys(blame["genre"].astype(str))) if genres is None else [str(g) for g in genres]
    b = blame[["genre", "doc_id", "sent_id", "target", "frame"]].drop_duplicates()
    b = b.assign(frame=b["frame"].str.split("+")).explode("frame")
    counts = b.groupby(["genre", "target", "frame"]).size()
    idx = pd.MultiIndex.from_product([names, list(ACTORS), frames], names=["genre", "actor", "frame"])
    counts.index = counts.index.set_names(["genre", "actor", "frame"])
    full = counts.reindex(idx, fill_value=0).rename("n_sentences").reset_index()
    full["n_sentences"] = full["n_sentences"].astype(np.int64)
    return full


def blame_network(blame: pd.DataFrame, *, genre: str | None = None, level: str = "actor") -> nx.DiGraph:
    """A directed who-blames-whom graph: blamer -> target, ``weight`` = number of distinct sentences.

    ``level="actor"`` maps speakers to their actor category when known (``Ed Balls`` -> ``government``)
    and keeps the name otherwise; ``level="speaker"`` keeps speaker names. The author is the node
    ``author``. Node attribute ``role``: ``blamer``, ``target`` or ``both``.
    """
    import networkx as nx

    if level not in ("actor", "speaker"):
        raise ParameterError(f"level must be 'actor' or 'speaker', got {level!r}")
    b = blame if genre is None else blame[blame["genre"] == genre]
    src = b["blamer"] if level == "speaker" else b["blamer_actor"].where(b["blamer_actor"] != "", b["blamer"])
    b = b.assign(source=src.astype(str))
    G = nx.DiGraph()
    edges = b[["source", "target", "doc_id", "sent_id"]].drop_duplicates()
    for (s, t), g in edges.groupby(["source", "target"], sort=True):
        G.add_edge(str(s), str(t), weight=len(g))
    for n in G.nodes:
        out_d, in_d = G.out_degree(n), G.in_degree(n)
        G.nodes[n]["role"] = "both" if out_d and in_d else ("blamer" if out_d else "target")
    return G


def plot_blame_network(G: nx.DiGraph, ax: Axes | None = None, *, title: str | None = None) -> Axes:
    """Draw a blame network deterministically as two columns: blamers (left) and targets (right).

    Every node with outgoing edges appears on the left (orange squares), every node with incoming edges on
    the right (blue circles), each column sorted by name; a node that is both (a quoted inspectorate that
    is also criticised) appears on both sides, so self-blame is a straight arrow too. Edge widths grow with
    the number of sentences (the widest is stated in the corner). An empty graph gets a note instead.
    """
    import matplotlib.pyplot as plt
    import networkx as nx

    if ax is None:
        _, ax = plt.subplots()
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    if G.number_of_edges() == 0:
        ax.text(0.5, 0.5, "no blame sentences with actors", ha="center", va="center", transform=ax.transAxes)
        return ax
    left = sorted({str(u) for u, _ in G.edges})
    right = sorted({str(v) for _, v in G.edges})
    H = nx.DiGraph()
    for u, v, d in G.edges(data=True):
        H.add_edge(("b", str(u)), ("t", str(v)), weight=d["weight"])

    def column(names: list[str], side: str, x: float) -> dict[tuple[str, str], tuple[float, float]]:
        k = len(names)
        return {(side, n): (x, 1.0 - (i + 0.5) / k) for i, n in enumerate(names)}

    pos = {**column(left, "b", 0.0), **column(right, "t", 1.0)}
    edges = sorted(H.edges)
    weights = np.array([H.edges[e]["weight"] for e in edges], dtype=float)
    widths = list(0.6 + 3.4 * weights / weights.max())
    nx.draw_networkx_nodes(H, pos, nodelist=[("b", n) for n in left], node_shape="s", node_color="#E69F00",
                           node_size=120, ax=ax)
    nx.draw_networkx_nodes(H, pos, nodelist=[("t", n) for n in right], node_shape="o", node_color="#56B4E9",
                           node_size=120, ax=ax)
    nx.draw_networkx_edges(H, pos, edgelist=edges, width=widths, arrows=True, arrowsize=8, node_size=120,
                           alpha=0.6, edge_color="#444444", ax=ax)
    for n in left:
        ax.text(-0.06, pos[("b", n)][1], n, ha="right", va="center", fontsize=7)
    for n in right:
        ax.text(1.06, pos[("t", n)][1], n, ha="left", va="center", fontsize=7)
    ax.set_xlim(-0.9, 1.9)
    ax.set_ylim(-0.05, 1.05)
    ax.text(1.0, 0.0, f"widest edge: {int(weights.max())} sentences", transform=ax.transAxes, ha="right",
            va="bottom", fontsize=6)
    return ax


# --------------------------------------------------------------------------------------------------
# Blame avoidance
# --------------------------------------------------------------------------------------------------

_BLAME_NOUNS = (r"(?:mistakes?|errors?|failings?|failures?|lessons|opportunit(?:y|ies)|warnings?|signs|concerns|"
                r"problems|blunders?|shortcomings|weaknesses|faults?|oversights?|misjudg(?:e)?ments?)")
_PARTICIPLES = (r"(?:made|identified|missed|learnt|learned|found|overlooked|ignored|committed|noted|raised|"
                r"taken|seen|highlighted|uncovered|exposed|revealed|reported|acknowledged|recognised|recognized)")
_BE = r"(?:was|were|is|are|be|been|being|has\s+been|have\s+been|had\s+been|will\s+be|must\s+be|would\s+be)"
_NO_AGENT = r"(?![^.;:]{0,40}?\bby\b)"

AVOIDANCE_PATTERNS: dict[str, tuple[tuple[str, str], ...]] = {
    "agentless_passive": (
        ("blame noun + passive, no by-agent",
         rf"\b{_BLAME_NOUNS}\b(?:\s+[\w\u2019'\-]+){{0,3}}?\s+{_BE}\s+(?:\w+ly\s+)?{_PARTICIPLES}\b{_NO_AGENT}"),
        ("modal perfect passive (should have been done)",
         r"\b(?:should|could|must|might|ought\s+to)\s+have\s+been\s+(?:\w+ly\s+)?(?:done|noticed|seen|spotted|"
         r"identified|prevented|picked\s+up|acted\s+on|taken|heard|protected|saved)\b" + _NO_AGENT),
    ),
    "denial": (
        ("no agent did it", r"\bno(?:\s+single)?\s+(?:agency|one|body|individual|professional|department|"
                            r"organisation|organization)\s+(?:\w+\s+)?(?:killed|caused|harmed|could\s+have|failed|"
                            r"is\s+to\s+blame|was\s+to\s+blame)\b"),
        ("no-one to blame", r"\bno(?:-|\s)?one\s+(?:is|was|can\s+be)\s+(?:to\s+blame|responsible)\b"),
        ("nothing to apologise for", r"\bnothing\s+to\s+apologi[sz]e\s+for\b"),
        ("not to blame / not responsible",
         r"\b(?:not|never|in\s+no\s+way)\s+(?:to\s+blame|responsible|at\s+fault|culpable|accountable)\b"),
        ("blameless", r"\bblameless\b"),
        ("could not have prevented",
         r"\bcould\s*(?:not|n[’']t)\s+have\s+(?:been\s+)?(?:prevented|predicted|foreseen|known|stopped)\b"),
        ("cannot stop/predict", r"\b(?:cannot|can\s+not|can[’']t)\s+(?:stop|prevent|predict)\b"),
        ("did nothing wrong", r"\bdid\s+(?:nothing|not\s+do\s+anything)\s+wrong\b"),
    ),
    "hedge": (
        ("appear/seem to", r"\b(?:appears?|appeared|seems?|seemed)\s+to\b"),
        ("may/might/could have", r"\b(?:may|might|could)\s+have\b"),
        ("epistemic adverb", r"\b(?:perhaps|possibly|arguably|apparently|allegedly|reportedly|seemingly|"
                             r"presumably|probably)\b"),
        ("it is understood/thought", r"\bit\s+is\s+(?:understood|thought|believed|alleged|claimed|said|suggested)\b"),
        ("to some extent", r"\bto\s+(?:some|a\s+certain)\s+(?:extent|degree)\b"),
        ("hindsight", r"\b(?:with|in)\s+(?:the\s+benefit\s+of\s+)?hindsight\b"),
    ),
}
"""Blame-avoidance patterns: type -> ((name, regular expression), ...), matched case-insensitively in
each sentence. ``agentless_passive`` needs a blame noun (mistakes, failings, lessons, opportunities,
...) followed within three words by a passive with no ``by`` agent in the next 40 characters, or a modal
perfect passive (``more should have been done``); ``denial`` covers explicit denials of responsibility;
``hedge`` epistemic hedges (anywhere in the sentence, with or without a blame cue)."""

_AVOID_RES = {t: tuple((n, re.compile(p, re.IGNORECASE)) for n, p in pats) for t, pats in AVOIDANCE_PATTERNS.items()}
AVOIDANCE_COLUMNS: tuple[str, ...] = ("doc_id", "sent_id", "start", "end", "type", "pattern", "matched", "speaker",
                                      "genre")


def blame_avoidance(corpus: Any, *, quotes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Find blame-avoidance expressions (:data:`AVOIDANCE_PATTERNS`) in every sentence.

    Returns
    -------
    pandas.DataFrame
        doc_id, sent_id, start, end (raw offsets of the match), type (``agentless_passive``, ``denial``,
        ``hedge``), pattern (its name), matched, speaker (``author``, the quotation's speaker or
        ``unattributed``), genre.
    """
    if quotes is None:
        quotes = corpus_quotations(corpus)
    genre_of = dict(zip(corpus.documents["doc_id"], corpus.documents["genre"].astype(str), strict=True))
    rows = []
    for d, sid, s0, text in zip(corpus.sentences["doc_id"], corpus.sentences["sent_id"], corpus.sentences["start"],
                                corpus.sentences["text"], strict=True):
        for typ, pats in _AVOID_RES.items():
            for name, rx in pats:
                for m in rx.finditer(str(text)):
                    rows.append({"doc_id": d, "sent_id": int(sid), "start": int(s0) + m.start(),
                                 "end": int(s0) + m.end(), "type": typ, "pattern": name, "matched": m.group()})
    out = pd.DataFrame(rows, columns=list(AVOIDANCE_COLUMNS[:-2]))
    sp_map: dict[Any, str] = {}
    quotes_by, empty_q = _by_doc(quotes), _empty_like(quotes)
    for d, g in out.groupby("doc_id", sort=False):
        dq = quotes_by.get(d, empty_q)
        sp_map.update(zip(g.index, _voice_of(dq, g["start"].to_numpy(), g["end"].to_numpy()), strict=True))
    out["speaker"] = [sp_map.get(i, AUTHOR) for i in out.index]
    out["genre"] = out["doc_id"].map(genre_of)
    for c in ("sent_id", "start", "end"):
        out[c] = out[c].astype(np.int64)
    return out.sort_values(["doc_id", "start", "type", "pattern"], kind="stable").reset_index(drop=True)


def avoidance_rates(avoidance: pd.DataFrame, corpus: Any, *, blame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Blame-avoidance rates per genre and type.

    Returns
    -------
    pandas.DataFrame
        genre, type, n_docs, n_sentences, n_matches, n_sentences_with (sentences with at least one match),
        per_100_sentences (= 100 * n_sentences_with / n_sentences), per_1000_tokens (matches per 1000
        tokens of content sentences) and, when a ``blame`` table is given, n_blame_sentences and
        share_of_blame_sentences (blame sentences that also avoid blame / blame sentences).
    """
    sents = corpus.sentences
    genre_of = dict(zip(corpus.documents["doc_id"], corpus.documents["genre"].astype(str), strict=True))
    g_sent = sents["doc_id"].map(genre_of)
    tokens = sents["n_tokens"] if "n_tokens" in sents.columns else sents["text"].astype(str).str.split().str.len()
    rows = []
    for genre in dict.fromkeys(corpus.documents["genre"].astype(str)):
        sel = g_sent == genre
        n_sent = int(sel.sum())
        n_tok = int(tokens[sel].sum())
        n_docs = int((corpus.documents["genre"].astype(str) == genre).sum())
        bl_keys: set[tuple[str, int]] = set()
        if blame is not None:
            bg = blame[blame["genre"] == genre]
            bl_keys = set(zip(bg["doc_id"], bg["sent_id"].astype(int), strict=True))
        for typ in AVOIDANCE_PATTERNS:
            a = avoidance[(avoidance["genre"] == genre) & (avoidance["type"] == typ)]
            keys = set(zip(a["doc_id"], a["sent_id"].astype(int), strict=True))
            row: dict[str, Any] = {
                "genre": genre, "type": typ, "n_docs": n_docs, "n_sentences": n_sent, "n_matches": len(a),
                "n_sentences_with": len(keys),
                "per_100_sentences": 100 * len(keys) / n_sent if n_sent else np.nan,
                "per_1000_tokens": 1000 * len(a) / n_tok if n_tok else np.nan,
            }
            if blame is not None:
                row["n_blame_sentences"] = len(bl_keys)
                row["share_of_blame_sentences"] = len(keys & bl_keys) / len(bl_keys) if bl_keys else np.nan
            rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------
# Frames by voice
# --------------------------------------------------------------------------------------------------


def voice_frame_counts(
    corpus: Any, *, quotes: pd.DataFrame | None = None, lexicon: LexiconLike = "blame_frames"
) -> pd.DataFrame:
    """Frame-lexicon hits per sentence split into authorial and quoted voice.

    A hit is *quoted* when its midpoint lies inside a top-level quotation. Negated hits are left out.

    Returns
    -------
    pandas.DataFrame
        doc_id, sent_id, genre, then ``{frame}_authorial`` and ``{frame}_quoted`` hit counts for every
        frame in :data:`framing.types.FRAMES` (one row per sentence, zeros included).
    """
    if quotes is None:
        quotes = corpus_quotations(corpus)
    sents = corpus.sentences
    hits = _match(sents, lexicon)
    hits = hits[~hits["negated"].astype(bool) & hits["category"].isin(FRAMES)].copy()
    voice = np.empty(len(hits), dtype=object)
    quotes_by, empty_q = _by_doc(quotes), _empty_like(quotes)
    for d, g in hits.groupby("doc_id", sort=False):
        dq = quotes_by.get(d, empty_q)
        idx = _in_quote_index(g["start"].to_numpy(), g["end"].to_numpy(), dq)
        voice[hits.index.get_indexer(g.index)] = np.where(idx >= 0, "quoted", "authorial")
    hits["voice"] = voice
    out = sents[["doc_id", "sent_id"]].copy()
    genre_of = dict(zip(corpus.documents["doc_id"], corpus.documents["genre"].astype(str), strict=True))
    out["genre"] = out["doc_id"].map(genre_of)
    counts = hits.groupby(["doc_id", "sent_id", "category", "voice"]).size()
    for f in FRAMES:
        for v in ("authorial", "quoted"):
            key = [(d, s, f, v) for d, s in zip(out["doc_id"], out["sent_id"], strict=True)]
            out[f"{f}_{v}"] = counts.reindex(pd.MultiIndex.from_tuples(key) if key else None,
                                             fill_value=0).to_numpy(dtype=np.int64) if key else np.zeros(0, np.int64)
    return out
