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
    "AUTHOR",
    "AVOIDANCE_PATTERNS",
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
    "noted", "commented", "write", "writes", "wrote", "called", "criticise", "criticises", "criticised", "criticize", "criticizes", "criticized",
    "condemn", "condemns", "condemned", "acknowledge", "acknowledges", "acknowledged", "reply", "replies",
    "replied", "continue", "continues", "continued", "ask", "asks", "asked", "reported", "suggest", "suggests", "suggested", "believe", "believes", "believed", "highlight",
    "highlighted", "judged", "maintain", "maintains", "maintained",
)
"""Verbs that introduce reported speech (lower case, all inflections listed). Forms that are more
often nouns (``report(s)``, ``call(s)``, ``note(s)``, ``comment(s)``, ``judge(s)``, ``highlights``)
are left out on purpose."""

QUOTE_COLUMNS: tuple[str, ...] = (
    "doc_id", "quote_id", "start", "end", "content_start", "content_end", "kind", "depth", "parent",
    "closed", "continued", "text", "speaker", "speaker_mention", "speaker_start", "speaker_end", "verb",
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
                    stacklevel=2,
                )
            quotes.append(q)
    _assign_nesting(quotes)
    if attribute:
        _attribute_speakers(text, quotes, paras)
    rows = [
        {
            "doc_id": doc_id, "quote_id": i, "start": q.start, "end": q.end, "content_start": q.content_start,
            "content_end": q.content_end, "kind": q.kind, "depth": q.depth, "parent": q.parent,
            "closed": q.closed, "continued": q.continued, "text": text[q.content_start:q.content_end],
            "speaker": q.speaker, "speaker_mention": q.speaker_mention, "speaker_start": q.speaker_start,
            "speaker_end": q.speaker_end, "verb": q.verb, "rule": q.rule,
        }
        for i, q in enumerate(quotes)
    ]
    return _quote_frame(rows)


def _quote_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(QUOTE_COLUMNS))
    int_cols = ["quote_id", "start", "end", "content_start", "content_end", "depth", "parent",
                "speaker_start", "speaker_end"]
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
    """Return ``text`` with quoted content replaced by ``x`` (offsets unchanged)."""
    chars = list(text)
    for q in quotes:
        if q.depth == 0:
            for i in range(q.content_start, q.content_end):
                if not chars[i].isspace():
                    chars[i] = "x"
    return "".join(chars)


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


def _search_pre(ctx: str, base: int) -> tuple[str, int, int, str] | None:
    for m in _PRE_RE.finditer(ctx):
        cleaned = _clean_speaker(m.group("speaker"), base + m.start("speaker"))
        if cleaned is None:
            continue
        sp, s0 = cleaned
        return sp, s0, base + m.end("speaker"), m.group("verb")
    return None


def _search_post(ctx: str, base: int) -> tuple[str, int, int, str] | None:
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
    return sp, s0, base + m.end(grp), verb


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
        if any(w in _NOT_PERSON_WORDS for w in words[1:]) or words[0] in _NOT_PERSON_WORDS - {
            "lord", "lady"
        }:
            if not re.match(_TITLE + r"\s", m.group()):
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
        hit: tuple[str, int, int, str] | None = None
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
        mention, s_start, s_end, verb = hit
        q.speaker_mention, q.speaker_start, q.speaker_end, q.verb, q.rule = mention, s_start, s_end, verb, rule
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
        between = masked[prev.end:q.start]
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
    paras = corpus.paragraphs
    frames = []
    for doc_id, text in zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True):
        p = paras.loc[paras["doc_id"] == doc_id, ["start", "end"]]
        spans = [(int(s), int(e)) for s, e in zip(p["start"], p["end"], strict=True)]
        frames.append(find_quotations(str(text), doc_id=str(doc_id), paragraphs=spans, attribute=attribute))
    if not frames:
        return _quote_frame([])
    return pd.concat(frames, ignore_index=True)


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
        digits of the sentence, 0..1; marks and punctuation do not count), voice (``authorial`` if share is 0, ``quoted`` if 1, ``mixed``
        otherwise), n_quotes (top-level quotations overlapping it), speakers (``"; "``-joined distinct
        speakers in order of appearance; ``unattributed`` for a quotation without one; empty string when
        none).
    """
    if quotes is None:
        quotes = corpus_quotations(corpus)
    sents = corpus.sentences
    out = []
    for doc_id, text in zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True):
        s = sents[sents["doc_id"] == doc_id]
        if s.empty:
            continue
        text = str(text)
        q = quotes[quotes["doc_id"] == doc_id]
        is_char = _alnum_array(text)
        mask = quoted_mask(len(text), q) & is_char
        cq = np.concatenate([[0], np.cumsum(mask)])
        cc = np.concatenate([[0], np.cumsum(is_char)])
        st = s["start"].to_numpy(dtype=np.int64)
        en = s["end"].to_numpy(dtype=np.int64)
        qchars = cq[en] - cq[st]
        nchars = cc[en] - cc[st]
        share = np.divide(qchars, nchars, out=np.zeros(len(st), dtype=float), where=nchars > 0)
        top = q[q["depth"] == 0]
        speakers, nq = [], []
        for a, b in zip(st, en, strict=True):
            ov = top[(top["content_start"] < b) & (top["content_end"] > a)]
            nq.append(len(ov))
            names: list[str] = []
            for sp in ov["speaker"]:
                name = sp if isinstance(sp, str) and sp else UNATTRIBUTED
                if name not in names:
                    names.append(name)
            speakers.append("; ".join(names))
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
