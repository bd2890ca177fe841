"""Shared constants, the quotation record and small table helpers of :mod:`framing.attribution`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.errors import FramingWarning

if TYPE_CHECKING:  # the dictionaries layer, imported where used (start-up stays light)
    from framing.cases import CaseSource
    from framing.lexicon import LexiconSource

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
    "observe", "observes", "observed", "remark", "remarks", "remarked", "retort", "retorts", "retorted",
    "countered", "protest", "protests", "protested", "contend", "contends", "contended", "assert", "asserts",
    "asserted", "allege", "alleges", "alleged", "demand", "demands", "demanded", "testify", "testifies",
    "testified", "exclaimed", "lament", "laments", "lamented", "reiterate", "reiterates", "reiterated",
    "insist", "signalled", "signaled", "tweeted", "blogged", "boasted", "mused", "recounted", "cautioned",
    "wrote", "apologised", "apologized", "apologises", "apologizes",
)
"""Verbs that introduce reported speech (lower case, all inflections listed). Forms that are more
often nouns (``report(s)``, ``call(s)``, ``note(s)``, ``comment(s)``, ``judge(s)``, ``highlights``)
are left out on purpose. Before a quotation, any other verb-like word (``-ed``/``-s``) also counts when
``:`` or ``that`` follows it (``Balls thundered:``, ``the report concedes that``); after one, any ``-ed``
word followed by punctuation (``"...," Balls fumed.``)."""

OWN_CONDUCT_VERBS: frozenset[str] = frozenset({
    "deny", "denies", "denied", "admit", "admits", "admitted", "accept", "accepts", "accepted", "acknowledge",
    "acknowledges", "acknowledged", "concede", "concedes", "conceded", "apologised", "apologized", "apologises",
    "apologizes"})
"""Reporting verbs of a speaker's answer for his or her own conduct ("Michael Howard denied that he was
responsible", "the council admitted that it had failed"): the speaker is the one whose responsibility is
discussed, a locus of the frame rule (codebook: denials still locate the blame under discussion), and what such
a clause reports is no blame *by* its speaker (:func:`framing.attribution.blame_attribution`)."""

SPEECH_VERBS: frozenset[str] = frozenset({
    "say", "says", "said", "tell", "tells", "told", "add", "adds", "added", "state", "states", "stated", "insist",
    "insists", "insisted", "emphasise", "emphasises", "emphasised", "emphasize", "emphasizes", "emphasized",
    "stress", "stresses", "stressed", "argue", "argues", "argued", "claim", "claims", "claimed", "warn", "warns",
    "warned", "write", "writes", "wrote", "explain", "explains", "explained", "declare", "declares", "declared",
    "remark", "remarks", "remarked", "commented", "observe", "observes", "observed", "retort", "retorts",
    "retorted", "exclaimed", "assert", "asserts", "asserted", "contend", "contends", "contended", "reiterate",
    "reiterates", "reiterated", "tweeted", "blogged", "replied", "answered", "countered",
})
"""Reporting verbs that make a reporting clause outside quotation marks on their own (``Ed Balls said
Haringey failed``). Other listed verbs need ``that``, ``:`` or a comma after them, because their subject
is often the one blamed (``the council admitted failures``, ``the leader announced his resignation``)."""

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


class AttributionWarning(FramingWarning):
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



def _by_doc(df: pd.DataFrame) -> dict[Any, pd.DataFrame]:
    """Split a table by ``doc_id`` once (each part with a fresh 0..n-1 index)."""
    return {d: g.reset_index(drop=True) for d, g in df.groupby("doc_id", sort=False)}


def _empty_like(df: pd.DataFrame) -> pd.DataFrame:
    return df.iloc[0:0].reset_index(drop=True)


def _in_quote_index(starts: np.ndarray, ends: np.ndarray, quotes: pd.DataFrame) -> np.ndarray:
    """Return, for spans (starts, ends), the row position in ``quotes`` holding the span's midpoint.

    Only top-level quotations count; -1 where none holds it.
    """
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



def _with_case(lexicon: LexiconSource, case: CaseSource | None, kind: str) -> LexiconSource:
    """Return ``lexicon`` unchanged without a case; with one, merged with the case's entries.

    ``kind="actors"`` merges per actor id (:meth:`framing.cases.Case.actor_lexicon`), ``kind="frames"`` per frame.
    """
    if case is None:
        return lexicon
    from framing.cases import load_case, merge_lexicons
    from framing.lexicon import load_lexicon

    c = load_case(case)
    if kind == "actors":
        return c.actor_lexicon(base=lexicon)
    base = load_lexicon(lexicon)
    return merge_lexicons(base, c.frame_lexicon(), name=f"{base.name}+{c.name}")


def _match(sentences: pd.DataFrame, lexicon: LexiconSource, negation: bool = True) -> pd.DataFrame:
    from framing.match import match_sentences

    return match_sentences(sentences, lexicon, negation=negation)



def _voice_of(doc_quotes: pd.DataFrame, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    """Return ``author`` outside quotations, else the quotation's speaker (``unattributed`` if none)."""
    idx = _in_quote_index(starts, ends, doc_quotes)
    out = []
    for i in idx:
        if i < 0:
            out.append(AUTHOR)
        else:
            sp = doc_quotes.loc[i, "speaker"]
            out.append(str(sp) if isinstance(sp, str) and sp else UNATTRIBUTED)
    return out
