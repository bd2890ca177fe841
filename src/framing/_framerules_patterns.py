"""The vocabulary of the coder rule (:mod:`framing.framerules`): its compiled patterns and their prefilter triggers.

Private: reporting clauses, speaker labels, names, organisations, list items and pronoun openings as compiled
``re`` patterns, each also with a quick first-character scan (``*_FAST``), and what the prefilter
(:mod:`framing.rowscan`) needs to know of each: the literals every match holds (``_TRIGGERS``), the characters it
crosses rows after (``_GLUE``), and how its search ends (``_LOCAL``, ``_ROW_BY_ROW``). :mod:`framing.framerules`
searches them.
"""

from __future__ import annotations

import re

from framing.attribution._base import OWN_CONDUCT_VERBS, REPORTING_VERBS, SPEECH_VERBS
from framing.names import FIRST_CHAR, PARTICLE, UPPER, full_name
from framing.rowscan import Trigger
from framing.rowscan import fast_pattern as _fast
from framing.rowscan import trie_pattern as _trie_pattern

# one vocabulary with framing.attribution: any reporting verb before ':'/that/a quotation or closing the
# sentence; only the speech verbs (said, told, warned ...) in a bare clause opening the sentence
# (as tries: the same matches as the verbs joined longest first, without trying each verb at each position)
# the verbs of a speaker's answer for his or her own conduct (OWN_CONDUCT_VERBS) make no reporting clause here
_VERBS = _trie_pattern(sorted(set(REPORTING_VERBS) - OWN_CONDUCT_VERBS))
_SPEECH = _trie_pattern(sorted(set(SPEECH_VERBS)))
# speaker then verb, the clause opening the sentence and introducing the quotation or reported content
# between the verb and the quotation only an adverbial ("said in a statement:", "said yesterday that") or, after a
# verb of telling, its hearer ("told MPs that"); anything else there is reported content, not the clause
_BOUNDARY = r"(?=\s*:|\s*,?\s*[\"“]|\s+that\b)"
_ADVERBIAL = (r"(?:,?\s+(?:in|on|at|to|during|yesterday|today|tonight|last|this|earlier|later|also|then|after|before|"
              r"from|on\s+behalf|via|through|when|while|again|repeatedly|publicly|privately)\b[^\n\"“”:;.]{0,40}?"
              rf"{_BOUNDARY})?")
_HEARER = r"(?:told|tells|telling|informed|informs|assured|assures|reminded|reminds|warned|warns)"
# the first letters of the verbs: a lookahead that lets re skip the verb alternatives at most positions of _PRE's
# lazy scan (it changes no match: every verb starts with one of them)
_VERB_FIRST = "(?=[" + "".join(sorted({v[0] for v in REPORTING_VERBS} | {h[0] for h in _HEARER[3:-1].split("|")}))
_VERB_FIRST += "])"
# the speaker of an opening clause is the sentence's subject: no subordinating word stands before the verb ("Dr
# Marsh resigned after inspectors found that ...": the clause, if any, is the inspectors', and Dr Marsh no voice),
# except in a clause or phrase that a comma closes before the verb ("In November, when he surprised MPs, Mr
# Johnson said:", "The minister, speaking after the trial, said that"); not "since" and "once", mostly adverbs
# here ("has since said")
_SUBORDINATE = "(?:" + _trie_pattern(sorted(("after", "before", "when", "because", "although", "though", "while",
                                              "whilst", "until", "unless", "if"))) + ")"
# a subordinating word that no comma follows before the end of the clause text: a match of _PRE holding one is
# dropped (framerules._voice_spans; the same as forbidding it in _PRE's lazy prefix, where it would be slower:
# the earliest verb is found first, so no shorter match exists)
_SUBORDINATE_OPEN = re.compile(rf"\b{_SUBORDINATE}\b(?![^,\n\"“”:;]*,)")
_PRE = re.compile(
    rf"^(?P<c>[^\n\"“”:;]{{1,140}}?\b{_VERB_FIRST}(?:{_HEARER}\s+[^\n\"“”:;.]{{1,40}}?{_BOUNDARY}|(?:{_VERBS})\b{_ADVERBIAL}))"
    rf"(?=\s*:|\s*,?\s*[\"“]|\s+that\b|[ \t][^\n:;]*?(?:[:\"“]|\bthat\b))",
    re.MULTILINE)
# a pronoun, a capitalised name or a noun phrase opening the sentence as the subject of a reporting verb ("He said
# the ...", "Scotland Yard said the ...", "The prison governor said the ..."); a noun phrase (group ``np``) is voice
# too, but not a partisan speaker's blame by itself (framerules: only clauses that introduce a quotation or 'that',
# or name their speaker, make a party's speaker the signal: "A Tory spokesman said there were ...")
_PRE_SHORT = re.compile(rf"^(?P<c>(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|(?:{UPPER}[\w'’.-]*\s+){{0,3}}{UPPER}[\w'’.-]*"
                        rf"|(?P<np>(?:The|A|An|Its|His|Her|Their)\s+(?:[\w'’.-]+\s+){{0,3}}[\w'’.-]+))\s+"
                        rf"(?:also\s+|then\s+|now\s+|later\s+)?(?:{_SPEECH})\b)", re.MULTILINE)
# the clause closing the sentence after a comma or a closing quote (", said the spokesman.", ", a report says."); not
# a clause whose verb takes a 'that' clause (", the minister said that management failed.": reported content)
_POST = re.compile(rf"[,\"”][ \t]*(?P<c>(?:[\w'’.-]+[ \t]+){{0,8}}(?:{_VERBS})(?![ \t]+that\b)"
                   rf"(?:[ \t]+[\w'’.-]+){{0,5}})[.!?]?[\"”]?[ \t]*$", re.MULTILINE)
# a speaker label of a transcript (Hansard, interviews): "Mr Cameron:", "The Secretary of State (Ed Balls):"
# a capitalised word, after a particle of a name ("Mr Ó Súilleabháin:")
_LABEL_WORD = rf"(?:{PARTICLE}\s+)?{UPPER}[\w'’-]+"
_LABEL = re.compile(rf"^(?P<c>(?:(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?\s+)?{_LABEL_WORD}"
                    rf"(?:\s+{_LABEL_WORD}){{0,3}}"
                    rf"|[^:\n\"“”]{{1,120}}\({UPPER}[^)\n]{{1,60}}\))\s*:(?=\s)", re.MULTILINE)
_ACCORDING = re.compile(r"\baccording to\b[^\n,.;:\"“”]{1,60}", re.IGNORECASE)

_HONORIFIC = (r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Sir|Dame|Lord|Lady|Baroness|Baron|Professor|Prof|Judge|Justice|Rev|"
              r"Reverend|Cllr|Councillor|Det|Insp|Supt|Sgt|PC|Chief Inspector|Inspector|Superintendent)")
_ADDRESS = re.compile(r"(?:Deputy\s+)?(?:Speaker|President|Chairman|Chair|Mayor|Chancellor)")
_TITLE = re.compile(_HONORIFIC + r"|Chief|Deputy|Assistant|Senior|Inspector|Secretary|Minister")
# a name: the words of framing.names (one grammar with attribution and the case draft: Zoë, Łukasz, O'Sullivan,
# McAleese, Smith-Jones, Seán Ó Súilleabháin, von der Leyen); never a possessive ("Ferguson's" is Ferguson)
# the words of a name are on one line: a name never runs on into the next sentence or document of the joined text
_NAME_SEP = r"[^\S\n]+"
_HONORIFIC_NAME = re.compile(rf"\b{_HONORIFIC}\.?\s+(?P<n>{full_name(_NAME_SEP, '{0,2}')})\b")
_FULL_NAME = re.compile(rf"\b(?P<n>{full_name(_NAME_SEP)})\b")
# capitalised words that make a capitalised sequence something other than a person's name
_NOT_NAME = frozenset("""
the a an in on at of for and but or if when while after before since this that these those there here it
its he she they we i his her their our my you your as by with from to into over under no not all any
some many most more every each one two three four five six seven eight nine ten first second third last
new old monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december christmas easter today yesterday tomorrow
council agency office department trust hospital service services board authority commission committee
institution airways airlines air lines company corporation group unit centre center partnerships
foundation association union university school college court house commons lords parliament government
ministry party police force prison street road square bank news radio programme times guardian mail sun
mirror express telegraph bbc itv channel review report inquiry act bill fund organisation organization
standards directorate secretary minister chancellor president mayor leader chief executive director
manager chairman spokesman spokeswoman officer official judge doctor professor family children child
baby peter boy girl mother father kingdom united states america britain british england english london
scotland wales welsh scottish irish europe european american labour conservative tory tories liberal
democrat democrats lib dem dems
""".split())
_ORG_WORDS = ("Agency|Council|Office|Department|Trust|Hospital|Service|Services|Board|Authority|Commission|"
              "Inspectorate|Institution|Airways|Airlines|Lines|Company|Corporation|Unit|Centre|Partnerships|"
              "Foundation|Association|Directorate|Executive|Team|Force|Constabulary|Prison|Institute|Bureau")
_ORG_NAME = re.compile(rf"\b(?:[A-Z][\w'’&-]+\s+){{0,4}}(?:{_ORG_WORDS})\b")
_ACRONYM = re.compile(r"\b(?!(?:MP|MPs|MEP|PM|UK|US|USA|EU|UN|BBC|ITV|TV|PMQs|SNP|UKIP|DUP|OK|AM|PM|GMT|BST|"
                      r"II|III|IV|QC|OBE|MBE|CBE|KBE|PC|Dr|Mr|Ms)\b)[A-Z]{2,5}s?\b")
_PRONOUN_START = re.compile(r"^\W*(?:he|she|it|they|his|her|its|their)\b", re.IGNORECASE)
_SOURCE_AFTER = re.compile(r"(?:['’]s)?\s+(?:review|report|inquiry|findings|recommendations|investigation)\b"
                           r"|\s+in\s+(?:his|her|their)\s+(?:findings|report|review)\b", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*(?:[-–—•*·▪●]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
# _LIST_ITEM and _PRONOUN_START as lookaheads after the newline that opens a sentence in the joined texts
# (_join; one search over all sentences): whitespace other than the newline stands for \s, so no match reaches
# into the next sentence
_LIST_ITEM_LINE = re.compile(r"\n(?=[^\S\n]*(?:[-–—•*·▪●]|\(?\d{1,2}[.)]|\(?[a-z][.)])[^\S\n]+)")
_PRONOUN_START_LINE = re.compile(r"\n(?=[^\w\n]*(?:he|she|it|they|his|her|its|their)\b)", re.IGNORECASE)


# the same patterns with a quick first-character scan (_fast); "according to" opens with a or A only (no other
# character is a or A under IGNORECASE), every honorific, organisation and acronym with a capital A-Z, a full
# name with a capital of the Latin script (framing.names.FIRST_CHAR: Łukasz Kowalski)
_PRE_FAST, _PRE_SHORT_FAST, _LABEL_FAST = (_fast(p, "\n") for p in (_PRE, _PRE_SHORT, _LABEL))
_ACCORDING_FAST = _fast(_ACCORDING, "[aA]")
_HONORIFIC_NAME_FAST, _ORG_NAME_FAST, _ACRONYM_FAST = (_fast(p, "[A-Z]") for p in (_HONORIFIC_NAME, _ORG_NAME,
                                                                                   _ACRONYM))
_FULL_NAME_FAST = _fast(_FULL_NAME, FIRST_CHAR)
_POST_FAST = _fast(_POST, "[,\"”]")

# --- the prefilter (framing.rowscan): where each pattern can match, and which characters it crosses rows after --
_WORD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
_HONORIFICS = tuple(_HONORIFIC[3:-1].split("|"))
# what every match holds: a reporting verb (or a verb of telling), a speech verb, a colon, "according to",
# an honorific, an organisation word, two capitals; ``marker``: what must follow an opening clause (':', a
# quotation mark, 'that'); ``honorific_dot``: a row ending with an honorific's full stop ("Mr.") that a name
# may go on after
# (every verb, honorific, organisation word and name stands between word boundaries in the patterns: whole words)
_TRIGGERS = {
    "verb": Trigger(tuple(sorted(set(REPORTING_VERBS) | set(_HEARER[3:-1].split("|")))), words=True),
    "speech": Trigger(tuple(sorted(set(SPEECH_VERBS))), words=True),
    "colon": Trigger((":",)),
    "according": Trigger(("according to",), caseless=True, words=True),
    "marker": Trigger((":", '"', "“", "that"), by_bytes=True),
    "honorific": Trigger(_HONORIFICS, words=True),
    "honorific_dot": Trigger(tuple(h + ".\n" for h in _HONORIFICS)),
    "organisation": Trigger(tuple(_ORG_WORDS.split("|")), words=True),
    "acronym": Trigger(ascii_run=("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 2)),
}
# the ASCII characters after which a match may run on, through whitespace, into the next row (a name's last
# letter, a verb, a comma, a closing bracket before a label's colon; a full stop only after an honorific)
_PRE_BYTES = 4 * 140 + max(len(v.encode()) for v in _TRIGGERS["verb"].literals)  # verb's last byte, at most
_GLUE = {"pre": _WORD + ",", "pre_short": _WORD + "'.-", "label": _WORD + "'-)", "name": _WORD + "'-",
         "organisation": _WORD + "'&-", "none": ""}


# the patterns whose lookarounds read at most the character after a match (``\b``, ``$``, ``(?=\s)``): as no
# match crosses a cut, their search ends with the run (:meth:`framing.rowscan.RowText.runs`, local); the opening
# clause (_PRE) is the one pattern with lookaheads reaching past a cut (``\s*:``, ``\s+that\b``)
_LOCAL = frozenset({_PRE_SHORT_FAST, _POST_FAST, _LABEL_FAST, _ACCORDING_FAST, _HONORIFIC_NAME_FAST,
                    _FULL_NAME_FAST, _ORG_NAME_FAST, _ACRONYM_FAST})
# the patterns anchored at a row's start whose runs are short (a few rows): tried row by row
# (:func:`framing.rowscan.scan_rows`) rather than searched on through the rows after each run
_ROW_BY_ROW = frozenset({_PRE_FAST, _LABEL_FAST})
