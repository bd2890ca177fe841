"""Voice, actors and blame: who is quoted, who is mentioned, who blames whom.

The module works at document level on the raw text with character offsets (a quotation may span
several sentences) and projects its results onto the corpus's sentences. Method notes, with the exact
rules and their known failure modes, are in ``docs/attribution.md``; in short:

**Quotations** (:func:`find_quotations`) are found per paragraph: one compiled regular expression finds the
quotation marks ``" “ ” ' ‘ ’`` and classifies each by its neighbours (typographic convention); a scan over
those marks with a stack pairs them, so quotations may nest and may span sentences, and a stray mark cannot
flip the reading of the marks after it.

* Double quotes: ``“`` opens, ``”`` closes; a straight ``"`` opens at the paragraph start or after a space or
  opening bracket/dash when a non-space follows, closes after a non-space when no letter or digit follows,
  and otherwise closes an open double quotation or opens one. A closing mark with nothing open is ignored.
  Double quotations do not nest in double ones: an opening mark while one is open ends it there; after a
  sentence end this is a multi-paragraph quotation run together (``continued=True``, no warning), otherwise
  its closing mark is missing (:class:`UnclosedQuotationWarning`).
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
  :class:`UnclosedQuotationWarning` names the document, the offset, line and column, and shows the text
  around the mark.

**Speakers** are found by reporting-verb patterns (:data:`REPORTING_VERBS`) around each top-level
quotation, in this order: after the quotation (``"...," he told journalists``, ``"...," said Balls``);
in the clause before it in the same sentence (``Jane Collins, chief executive of ..., said:``,
``Balls said the review needed ... "the quality of ..."``, ``She added that ...``); in a lead-in
paragraph ending with a colon (``the Inspectors say that there are:`` followed by the quotation in the
next paragraph); otherwise a quotation that directly follows an attributed one in the same or the
previous paragraph continues it. ``he``/``she`` as a speaker resolve to the nearest preceding named
speaker (or, failing that, the first person name of the nearest preceding sentence that has one) in
the same paragraph; ``they`` resolves to the speaker of the nearest preceding attributed quotation
within :data:`SPEAKER_WINDOW` paragraphs. A speaker is a name, a pronoun, or a noun phrase whose head is a noun (not
a date, number, ordinal or participle; no preposition, conjunction or auxiliary inside); ``according to a 2009
analysis by X`` names X. Speaker coreference within a document: a surname on its own or
after a title (``Balls``, ``Mr Davis``) is the full name ending in it (``Ed Balls``, ``David Davis``) when that
full name occurs earlier in the document and no other person with that surname occurs in it.

**Reporting clauses** (:func:`reporting_clauses`): the spans that give a voice (the clause that
attributed a quotation, ``according to X``, ``Ed Balls said ...`` outside quotation marks), one row per
clause with doc_id, sent_id, start, end, speaker: a speaker named only there is voice, not a locus of blame.

**Actors** (:func:`actor_mentions`) come from the case-independent ``actors`` lexicon (roles), merged with
a case file's people and organisations when ``case`` is given (:mod:`framing.cases`; a case may declare actor
ids of its own, listed after the lexicon's by :func:`actor_ids`); a subject pronoun
``he``/``she`` takes the actor of the nearest preceding mention in the same paragraph that is capitalised
(a name or a title) and belongs to a category of persons (:data:`PERSON_ACTORS`).

**Blame** (:func:`blame_attribution`): in every sentence with a blame cue, the *targets* are the actors
the sentence holds responsible: outside reporting clauses, in the same clause as a cue or frame hit of the
blamer and at most ``target_window`` words from it (``targets="mentioned"``: every actor outside reporting
clauses); the *blamer* is the speaker of the quotation a cue lies in, or ``author`` for cues outside
quotations (``unattributed`` for cues in quotations without a speaker; a first-person reporting clause, ``I believe
that ...``, is the author's; after a transcript's speaker label, ``Mr Smith (Con):``, the label's speaker speaks the
rest of the paragraph; what would be the author's in a document's headline, :func:`headline_sentences`, is the
publication's: ``headline``). **Blame avoidance**
(:func:`blame_avoidance`) finds agentless passives (``mistakes were made``, ``the child was failed``),
denials (``nobody is to blame``, ``no one's fault``) and hedges with the regular expressions of
:data:`AVOIDANCE_PATTERNS`.
"""

from __future__ import annotations

from framing.attribution._actors import ACTOR_COLUMNS, actor_ids, actor_mentions, speaker_actors
from framing.attribution._avoidance import AVOIDANCE_COLUMNS, AVOIDANCE_PATTERNS, avoidance_rates, blame_avoidance
from framing.attribution._base import (
    AUTHOR,
    BLAME_CLI_COLUMNS,
    BLAME_COLUMNS,
    PERSON_ACTORS,
    QUOTE_COLUMNS,
    REPORTING_VERBS,
    SPEAKER_WINDOW,
    SPEECH_VERBS,
    UNATTRIBUTED,
    AttributionWarning,
    NoBlameCuesWarning,
    Quotation,
    UnclosedQuotationWarning,
)
from framing.attribution._blame import (
    actor_frame_matrix,
    blame_attribution,
    blame_network,
    voice_frame_counts,
)
from framing.attribution._clauses import CLAUSE_COLUMNS, clause_mask, reporting_clauses
from framing.attribution._headline import HEADLINE, headline_sentences
from framing.attribution._quotes import corpus_quotations, find_quotations, quoted_mask, sentence_voice
from framing.attribution._summaries import (
    QUOTATION_VIEW_COLUMNS,
    actor_sentences_by_genre,
    blame_by_voice,
    blame_network_edges,
    frames_by_voice,
    quotation_table,
    voice_by_genre,
)
from framing.attribution._targets import CLAUSE_BOUNDARY, TARGET_RULES

__all__ = [
    "ACTOR_COLUMNS",
    "AUTHOR",
    "AVOIDANCE_COLUMNS",
    "AVOIDANCE_PATTERNS",
    "BLAME_CLI_COLUMNS",
    "BLAME_COLUMNS",
    "CLAUSE_BOUNDARY",
    "CLAUSE_COLUMNS",
    "HEADLINE",
    "PERSON_ACTORS",
    "QUOTATION_VIEW_COLUMNS",
    "QUOTE_COLUMNS",
    "REPORTING_VERBS",
    "SPEAKER_WINDOW",
    "SPEECH_VERBS",
    "TARGET_RULES",
    "UNATTRIBUTED",
    "AttributionWarning",
    "NoBlameCuesWarning",
    "Quotation",
    "UnclosedQuotationWarning",
    "actor_frame_matrix",
    "actor_ids",
    "actor_mentions",
    "actor_sentences_by_genre",
    "avoidance_rates",
    "blame_attribution",
    "blame_avoidance",
    "blame_by_voice",
    "blame_network",
    "blame_network_edges",
    "clause_mask",
    "corpus_quotations",
    "find_quotations",
    "frames_by_voice",
    "headline_sentences",
    "quotation_table",
    "quoted_mask",
    "reporting_clauses",
    "sentence_voice",
    "speaker_actors",
    "voice_by_genre",
    "voice_frame_counts",
]
