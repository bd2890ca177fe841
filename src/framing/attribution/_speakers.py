"""Speakers: reporting-verb patterns around quotations and pronoun resolution."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from framing.attribution._base import REPORTING_VERBS, SPEAKER_WINDOW, Quotation
from framing.names import NAME_WORD, PARTICLE, UPPER, full_name, split_name
from framing.rowscan import trie_pattern
from framing.types import Span

# --------------------------------------------------------------------------------------------------
# Speakers
# --------------------------------------------------------------------------------------------------

# a capitalised word (of a name, an office or a body: "Alan Bates", "Home Secretary", "Scotland Yard"), opening with
# a capital of the Latin script (framing.names: Zoë, Łukasz, Ó); the words between two of them: a particle of a
# name (Seán Ó Súilleabháin, Ursula von der Leyen) or a connective of an office's title (Secretary of State)
_W = rf"{UPPER}[\w\u2019'\-]*"
_TITLE = r"(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor|Lord|Lady|Sir|Dame|Baroness|Baron|Cllr|Councillor|HM)\.?"
_NAME = rf"(?:{_TITLE}\s+)?{_W}(?:\s+(?:(?:of|for|and|the|{PARTICLE})\s+(?:{PARTICLE}\s+)?)?{_W}){{0,4}}"
_DET = r"(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Oo]ne|[Tt]his|[Tt]hat)"
_FUNCTION_WORDS = (
    "a an the this that these those his her its their our my your he she it they we i you who whom whose which what "
    "by in to at on for from with across behind about against among into onto over under after before since during "
    "within without through between toward towards around near of and or but nor if because while although though "
    "when where whether as than not no is are was were be been has have had will would can could should may might "
    "must do does did"
).split()
"""Words that cannot stand inside a determiner-led speaker (:data:`_NOUN_PHRASE`): determiners, pronouns,
prepositions, conjunctions and auxiliaries. A noun phrase that holds one is a clause's fragment (``the EPA to
intervene in``, ``the first by a``, ``The order encourages federal and``), not who speaks; ``of`` joins two noun
phrases (``a number of people``, ``the chair of the committee``), as ``for`` does (``a spokesman for the council``)."""
_NP_WORD = rf"(?!(?i:{'|'.join(_FUNCTION_WORDS)})\b)[\w\u2019'\-]+"
_JOIN = rf"(?:(?:of|for)(?:\s+the)?|and(?=\s+{UPPER}))"
_POSTMOD = r"(?:at|in|on\s+behalf\s+of|on|from|within|with|by)(?:\s+(?:the|an?|its|his|her|their))?"
"""A prepositional post-modifier's opening inside a noun-phrase speaker (``A spokesman at the council``, ``The judge
in the case``, ``A man from Tottenham``, ``The review by Lord Laming``, ``A spokesman on behalf of the family``): the
preposition and an optional determiner; the noun words after it are the phrase's own."""
_NOT_BEFORE_POSTMOD = "".join(rf"(?<!\b{v}\s)" for v in (
    "come", "comes", "came", "go", "goes", "went", "appear", "appears", "remain", "remains", "stay", "stays",
    "sit", "sits", "stand", "stands", "arrive", "arrives", "live", "lives", "began", "begin", "begins", "took",
    "take", "takes"))
"""Verbs that take a place after them (``His comments come in a BBC documentary called``): the preposition after one
opens no post-modifier of a speaker, it ends the clause's verb (one lookbehind per verb, each of fixed width)."""
_NOUN_PHRASE = rf"{_DET}\s+(?:(?:{_NP_WORD}|{_JOIN}|{_NOT_BEFORE_POSTMOD}{_POSTMOD})\s+){{0,4}}?{_NP_WORD}"
"""A speaker named by a noun phrase: a determiner, at most five words of a noun phrase (``of``, ``for``, ``of the`` and
``for the`` may join two: ``a spokesman for the council``, ``The head of the Environmental Protection Agency``; so
may ``and`` before a capital: ``the Trade and Industry Secretary``; so may a post-modifier's preposition
(:data:`_POSTMOD`): ``A spokeswoman at the Department for Education``), none a function word
(:data:`_FUNCTION_WORDS`); its head is checked by :func:`_grammatical_speaker`."""
_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_NOT_HEAD = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday first second third fourth fifth last next previous
    former latest recent earlier later false true new old same other such own whole few many several more most
    much each every all both either neither any some""".split()
) | frozenset(_MONTHS)
"""Words that end no speaker's noun phrase: dates and days, ordinals and adjectives that need a noun (``a December
report``, ``his previous claim``, ``a false claim``: the verb-like word after them is that noun)."""
_SINGULAR_DET = frozenset({"a", "an", "one", "this", "that"})
_SOURCE_WORD = rf"(?![a-z][\w\u2019'\-]*(?:ed|ing)\b){_NP_WORD}"
_DATE = (rf"(?:(?:(?i:{'|'.join(_MONTHS)})\.?\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?(?:\d{{4}},?\s+)?)"
         rf"|\d{{4}}\s+)")
"""A date inside a noun phrase (``a 2009 analysis``, ``a December report``, ``the July 1, 2017 New York Times``)."""
_SOURCE_NP = rf"{_DET}\s+{_DATE}?(?:{_SOURCE_WORD}\s+){{0,3}}?{_SOURCE_WORD}"
_GREEDY_NP = rf"{_DET}\s+{_DATE}?(?:(?:{_SOURCE_WORD}|{_JOIN})\s+){{0,3}}{_SOURCE_WORD}(?![\w\u2019'\-])"
"""The noun phrase of ``according to``, as long as it goes (nothing follows it to end it, as a verb ends the subject
of a reporting clause), and without participles (``the report published last week``: ``the report``)."""
_PRONOUN = r"(?:[Hh]e|[Ss]he|[Tt]hey)"
_VERB = ("(?:" + trie_pattern(sorted(set(REPORTING_VERBS))) + ")"
         r"(?!(?<=\bstate)\s+(?!that\b)[a-z]|(?<=\bstates)\s+(?:and|or|of|to|in|with|where|which|who|like|such)\b)")
"""The reporting verbs as a trie: the same matches as the verbs joined longest first (each use is followed by a word
boundary or a space), without ``re`` trying each verb in turn at each position. *state* and *states* are nouns as
often: not a verb before a word other than *that* (``his home state of Texas``, ``The Oregon state legislative
session``), nor *states* before a conjunction or preposition (``gives states and utilities``)."""
_ADV_TIME = ("now", "still", "since", "then", "later", "again", "once", "previously", "recently", "earlier",
             "already", "subsequently", "afterwards", "originally", "initially", "first", "finally", "today",
             "tonight", "yesterday", "last\\s+(?:night|week|weekend|month|year)",
             "this\\s+(?:morning|afternoon|evening|week|month|year)")
_ADV_MANNER = ("also", "further", "clearly", "publicly", "privately", "openly", "repeatedly", "firmly", "strongly",
               "bluntly", "flatly", "angrily", "frankly", "candidly", "categorically", "explicitly", "emphatically",
               "consistently", "simply", "quietly", "bitterly")
_AUXILIARY = ("has", "have", "had", "will", "would")
_AUX = "(?:" + "|".join(_AUXILIARY) + r")\s+"
_ADV = f"(?:(?:{_AUX})?(?:" + "|".join((*_ADV_TIME, *_ADV_MANNER)) + rf")\s+|{_AUX})"
"""What may stand between a speaker and the reporting verb, at most two of them (``Sir David Nicholson now says``,
``he has repeatedly said``, ``the minister last night insisted``, ``Ed Balls has also previously said``): an
adverb of time or of manner that reporting clauses take, after an optional auxiliary, or an auxiliary alone (a
closed list: an open ``-ly`` pattern would take nouns such as *family*)."""
_PREPOSITIONS = ("in", "on", "at", "by", "of", "for", "from", "with", "across", "behind", "among", "about", "against",
                 "into", "onto", "over", "under", "within", "without", "through", "between", "toward", "towards",
                 "around", "near", "like", "via")
_NOT_OBJECT = "".join(rf"(?<!\b{p}\s)" for p in _PREPOSITIONS)
"""A noun-phrase speaker is the subject of its clause, never the object of a preposition: ``activists at the event
said`` is not *the event*'s speech (one lookbehind per preposition: each is of fixed width). A name is checked after
its match instead (:data:`_AFTER_PREPOSITION_RE` in :func:`_search_pre`): a lookbehind would only move the match to
the name's next word (``at Harvard University said``: *University*)."""
_AFTER_PREPOSITION_RE = re.compile(rf"(?<![\w\-])(?:{'|'.join(_PREPOSITIONS)})\s+$")
"""The text before a name ends with a (lower-case) preposition: the name is that preposition's object (``A man from
Tottenham said``: not *Tottenham*; ``leaders in Europe said``: not *Europe*)."""
_HEAD_BEFORE_RE = re.compile(
    rf"(?:(?<![\w\-]){_NOT_OBJECT}{_DET}\s+(?:(?:{_NP_WORD}|{_JOIN})\s+){{0,4}}"
    rf"|(?:^|(?<=[,;:(]\s))(?!(?i:[\w\u2019'\-]*(?:ing|ed))\b)(?:{_NP_WORD}\s+){{1,3}})$"
)
"""The noun phrase that a preposition's object post-modifies, just before the preposition: a determiner phrase
(``A spokesman`` in ``A spokesman for Reporters Without Borders, which tracks ..., described``, where the function word
*Without* cut :data:`_NOUN_PHRASE`; ``The head of children's services`` in ``... at Haringey said``, too long for it),
or, at the clause's start, up to three words without a determiner (``Officials`` in ``Officials at Haringey Council
said``, ``detainee 'A'`` in ``In a statement, detainee 'A' in Woodhill Prison said``), the first no participle
(``Speaking in Parliament Ed Balls said``: not *Speaking*)."""
_SPEAKER = rf"(?P<speaker>{_PRONOUN}|{_NOT_OBJECT}{_NOUN_PHRASE}|{_NAME})"
_APPOS = r"(?:,\s+[^,;:\"\u201c\u201d]{1,160}?,)"
_NOT_FINDING = (r"(?!(?:revealed|showed|emerged|disclosed|established|learned|learnt|confirmed|"
                r"include[sd]?|involve[sd]?|comprise[sd]?|contain(?:s|ed)|list(?:s|ed)|cover(?:s|ed)|"
                r"concern(?:s|ed)|means|follows|was|is|has|does)\b)")
"""Verb-like words that introduce findings or lists rather than speech ("..., an official document has
revealed", "The failings included:")."""
_ANY_VERB = rf"{_NOT_FINDING}[a-z]{{3,}}(?:ed|es|s)"
_PRE_RE = re.compile(rf"(?<![\w\-]){_SPEAKER}{_APPOS}?\s+{_ADV}{{0,2}}(?P<verb>{_VERB})\b")
_NAMED_SPEAKER = rf"(?P<speaker>{_PRONOUN}|{_NAME})"
_PRE_ANY_RE = re.compile(
    rf"(?<![\w\-]){_NAMED_SPEAKER}{_APPOS}?\s+{_ADV}{{0,2}}(?P<verb>{_ANY_VERB})(?=\s*:|\s+that\b)"
)
_POST_RE = re.compile(
    rf"^\s*[,.]?\s*(?:(?P<verb>{_VERB})\s+(?P<speaker2>{_NAME}|{_NOUN_PHRASE})|{_SPEAKER}{_APPOS}?\s+"
    rf"{_ADV}{{0,2}}(?P<verb2>{_VERB}|{_NOT_FINDING}[a-z]{{3,}}ed(?=\s*[.,;!?])))\b"
)
_OWNED = rf"['\u2019]s?\s+(?=[a-z])(?:{_SOURCE_WORD}\s+){{0,3}}{_SOURCE_WORD}(?![\w\u2019'\-])"
"""What a possessive name owns in ``according to`` (``Lord Laming['s report]``, ``Ofsted['s chief inspector]``): a
common noun, lower-case; a name after the possessive is part of the name (``France's Le Figaro``)."""
_ACCORDING_RE = re.compile(
    rf"\b[Aa]ccording\s+to\s+(?:{_SOURCE_NP}\s+(?:by|from)\s+(?:the\s+)?(?={UPPER})|(?:[Tt]he\s+)?{_DATE}(?={UPPER}))?"
    rf"(?P<speaker>{_NAME}(?={_OWNED})|{_NAME}|{_GREEDY_NP})(?:{_OWNED})?"
)
"""``according to X``: X a name (``according to Ofsted``), a noun phrase (``according to the poll``, ``according to
a 2009 analysis``), the author of a document (``according to a 2009 analysis by The New York Times``: *The New York
Times*; ``a December report from the International Crisis Group``: *International Crisis Group*), a dated
publication (``according to the July 1, 2017 New York Times``: *New York Times*) or the owner of a possessive
(``according to Lord Laming's report``: *Lord Laming*, as the author of ``the report by Lord Laming`` is; ``Ofsted's
chief inspector``: *Ofsted*; the match runs on to the end of the owned noun, :data:`_OWNED`)."""
_PERSON_RE = re.compile(rf"\b(?:{_TITLE}\s+(?:{full_name(given='{0,1}')}|{_W}(?:\s+{_W})?)|{full_name()})(?!\w)")
_NOT_PERSON_WORDS = frozenset(
    """act acts council councils commission board trust hospital street services service office department
    secretary minister ministry inspector inspectors inspectorate inspection review report court bailey
    education children children's children’s care primary teaching great north south east west london
    baby standards health healthcare constabulary safeguarding local serious case chief
    executive director assistant deputy leader member members lead government party labour conservative
    house commons lords committee select parliament news times guardian independent sun mail
    liberal lib dem dems democrat democrats tory tories
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
    """Drop leading sentence adverbs/prepositions caught by the name pattern (``Yesterday Balls``).

    None when no speaker is left, or when what is left is no speaker (:func:`_grammatical_speaker`).
    """
    words = speaker.split()
    offset = 0
    while len(words) > 1 and words[0].lower() in _LEADING_STOP:
        offset = speaker.index(words[1], offset + len(words[0]))
        words = words[1:]
    if len(words) == 1 and words[0].lower() in _LEADING_STOP:
        return None
    if not _grammatical_speaker(words):
        return None
    return speaker[offset:], start + offset


def _grammatical_speaker(words: Sequence[str]) -> bool:
    """Tell whether ``words`` can name a speaker: a name, a pronoun, or a noun phrase with a noun for its head.

    A determiner-led phrase (``the minister``, ``a spokesman for``...) is no speaker when it has no head word, when its
    head is a date, a number, a day, an ordinal or an adjective that needs a noun (:data:`_NOT_HEAD`: ``a 2009``,
    ``the July``, ``a false``), a participle (``the trade organization representing``, ``the programme
    investigated``), or a plural after a singular determiner (``that gives``). Names and pronouns pass, but for a
    possessive (``Scott's``): it modifies the noun after it.
    """
    if words and _POSSESSIVE_END.search(words[-1]):
        return False  # a possessive modifies the noun after it ("Scott's alleged", "President Trump's claims")
    if len(words) < 2 or words[0].lower() not in _DETERMINERS:
        return True
    head = _POSSESSIVE_RE.sub("", words[-1])
    if head.islower() and (head.endswith("ed") or head.endswith("ing")):
        return False  # a participle ("the programme investigated", "the trade organization representing"), not a
        # name that ends so ("The review by Lord Laming", "the King")
    head = head.lower()
    if not head or head[0].isdigit() or head in _NOT_HEAD or head in _FUNCTION_SET:
        return False
    plural = head.endswith("s") and not head.endswith(("ss", "us", "is", "ics", "ews"))
    return not (words[0].lower() in _SINGULAR_DET and plural and len(words) == 2)


_POSSESSIVE_END = re.compile("['\u2019]s?$")
_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "one", "this", "that"})
_FUNCTION_SET = frozenset(_FUNCTION_WORDS)


def _search_pre(ctx: str, base: int) -> tuple[str, int, int, str, int] | None:
    """Return the first speaker + reporting verb in ``ctx``.

    A listed verb, else any verb-like word before ``:`` or ``that``.
    """
    for rx in (_PRE_RE, _PRE_ANY_RE):
        for m in rx.finditer(ctx):
            speaker, start = m.group("speaker"), m.start("speaker")
            prep = _AFTER_PREPOSITION_RE.search(ctx, max(0, start - 20), start)
            if prep is not None:  # a preposition's object ("detainee 'A' in Woodhill Prison said"): its head speaks
                head = _HEAD_BEFORE_RE.search(ctx, 0, prep.start())
                if head is None:
                    continue  # none: no speaker here; the search goes on after the verb
                speaker, start = ctx[head.start():m.end("speaker")], head.start()
            cleaned = _clean_speaker(speaker, base + start)
            if cleaned is None:
                continue
            sp, s0 = cleaned
            return sp, s0, base + m.end("speaker"), m.group("verb"), base + m.end("verb")
    return None


def _search_according(ctx: str, base: int) -> tuple[str, int, int, str, int] | None:
    """``according to X`` anywhere in ``ctx``."""
    m = _ACCORDING_RE.search(ctx)
    if m is None:
        return None
    cleaned = _clean_speaker(m.group("speaker"), base + m.start("speaker"))
    if cleaned is None:
        return None
    sp, s0 = cleaned
    return sp, s0, base + m.end("speaker"), "according to", base + m.end()


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
    """Return the end of the reporting clause.

    After a quotation, up to the next stop (``he told journalists.``); before one, through a colon within 40
    characters (``said in a statement:``), else the verb's end.
    """
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


def _para_index(starts: list[int], pos: int) -> int:
    """Index of the paragraph holding ``pos`` (``starts``: the paragraphs' sorted starts; 0 before the first)."""
    return max(0, bisect_right(starts, pos) - 1)


def _person_names(masked: str, start: int, end: int) -> list[tuple[int, str]]:
    """Person names in ``masked[start:end]``: (offset, name), a title + name or two or three capitalised words.

    A candidate holding an organisation, place or role word (``Home Secretary David``) or starting with a
    sentence adverb (``Then Mr Davis``) is rejected and the search goes on from its second word, so the name
    inside it (``David Blunkett``, ``Mr Davis``) is still found.
    """
    out = []
    pos = start
    while (m := _PERSON_RE.search(masked, pos, end)) is not None:
        words = [w.lower() for w in m.group().split()]
        not_person = any(w in _NOT_PERSON_WORDS for w in words[1:]) or words[0] in _NOT_PERSON_WORDS - {
            "lord", "lady"
        }
        if (not_person and not _TITLE_START_RE.match(m.group())) or words[0] in _LEADING_STOP:
            nxt = _NEXT_WORD_RE.search(masked, m.start() + 1, m.end())
            pos = nxt.start() if nxt else m.end()
            continue
        out.append((m.start(), m.group()))
        pos = m.end()
    return out


_TITLE_START_RE = re.compile(_TITLE + r"\s")
_TITLES_RE = re.compile(rf"^(?:{_TITLE}\s+)+")
_NEXT_WORD_RE = re.compile(r"(?<=\s)\S")
_POSSESSIVE_RE = re.compile("['\u2019]s?$")


class _PersonNames:
    """The person names of one document, for speaker coreference within it.

    A name of two or more words after its titles (``David Davis``, ``Sir Alan Budd``) is a *full name*; its last
    word the surname. :meth:`resolve` maps a later mention by surname (``Mr Davis``, ``Davis``, ``Mr David
    Davis``) to the first full name with that surname, when that full name occurs before the mention and no
    other full name in the document has the same surname (``Ed Balls`` and ``Yvette Balls``: ambiguous, kept).
    """

    def __init__(self, masked: str) -> None:
        self._masked: str | None = masked  # read on first use: a document whose quotations name nobody never is
        self.first: dict[str, tuple[int, str]] = {}  # surname -> (offset, first full name as written)
        self.people: dict[str, set[str]] = {}  # surname -> the distinct full names without titles

    def _load(self) -> None:
        if self._masked is None:
            return
        masked, self._masked = self._masked, None
        for pos, found in _person_names(masked, 0, len(masked)):
            name = _POSSESSIVE_RE.sub("", found)  # Tony Blair's government -> Tony Blair
            given, surname = split_name(_TITLES_RE.sub("", name))
            if given:  # a given name and a surname ("Mr Ó Súilleabháin" is a surname with its particle)
                last = surname.split()[-1]
                self.first.setdefault(last, (pos, " ".join(name.split())))  # a name wrapped over lines: one line
                self.people.setdefault(last, set()).add(f"{given} {surname}")

    def resolve(self, mention: str, pos: int) -> str:
        """Return the full name that ``mention`` (at offset ``pos``) refers to, else ``mention`` unchanged."""
        given, surname = split_name(_TITLES_RE.sub("", mention))
        if not surname:
            return mention
        self._load()
        last = surname.split()[-1]
        known = self.first.get(last)
        if known is None or known[0] > pos or len(self.people[last]) > 1:
            return mention
        if given and f"{given} {surname}" not in self.people[last]:
            return mention  # another first name: not the same person (``Tom Davis`` after ``David Davis``)
        if not given and len(surname.split()) > 1 and not any(p.endswith(" " + surname) for p in self.people[last]):
            return mention  # other particles: not the same surname (``Mac Bride`` after ``Seán Ó Bride``)
        return known[1]

    def surname_mentions(self, masked: str, start: int, end: int) -> list[tuple[int, str]]:
        """Return the surnames of full names seen in the document that ``masked[start:end]`` mentions alone.

        As (offset, name): the full name when :meth:`resolve` finds one, else the surname.
        """
        self._load()
        return [(m.start(), self.resolve(m.group(), m.start()))
                for m in _CAPITALISED_RE.finditer(masked, start, end) if m.group() in self.first]


_CAPITALISED_RE = re.compile(rf"\b{NAME_WORD}\b")


def _attribute_speakers(text: str, quotes: list[Quotation], paras: Sequence[Span]) -> None:
    masked = _mask_quotes(text, quotes)
    names = _PersonNames(masked)
    para_starts = [ps for ps, _ in paras]
    # named speakers found so far: (position, name, paragraph index)
    named: list[tuple[int, str, int]] = []
    attributed: list[tuple[int, str, int]] = []  # (quote end, speaker, paragraph) for "they"/chains
    top = [q for q in quotes if q.depth == 0]
    # first pass: explicit patterns
    for qi, q in enumerate(top):
        pidx = _para_index(para_starts, q.start)
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
        # 2b. "according to X" in the sentence (before or after the quotation)
        if hit is None:
            s0 = max(_sentence_start(masked, q.start, ps), prev_end)
            hit = _search_according(masked[s0:_sentence_end(masked, q.end, pe)], s0)
            rule = "according"
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
            q.speaker = _resolve_he_she(masked, s_start, ps, named, names)
            q.rule += "+pronoun"
        elif first == "they":
            q.speaker = _resolve_they(attributed, pidx)
            q.rule += "+pronoun"
        else:
            q.speaker = names.resolve(mention, s_start)
            if not re.match(_DET + r"\s", mention):
                named.append((s_start, q.speaker, pidx))
        if q.speaker:
            attributed.append((q.end, q.speaker, pidx))
    # second pass: continuations of an attributed quotation
    for qi, q in enumerate(top):
        if q.speaker or q.speaker_mention or qi == 0:
            continue
        prev = top[qi - 1]
        pidx, prev_pidx = _para_index(para_starts, q.start), _para_index(para_starts, prev.start)
        if prev.speaker is None or pidx - prev_pidx > 1:
            continue
        # the previous quotation's own reporting clause ("...," Mr Eddington said. "For example ...") does
        # not break the chain
        gap_start = max(prev.end, prev.clause_end) if prev.speaker_start >= prev.end else prev.end
        between = masked[gap_start:q.start]
        if _PRE_RE.search(between) or len(between.strip()) > 40:
            continue
        q.speaker, q.rule = prev.speaker, "continued"
    # a quotation that runs on in the next one is the same quotation: it takes that one's speaker when it has
    # none ("We failed. "We are sorry," Mr Smith said.)
    for qi in range(len(top) - 2, -1, -1):
        q, nxt = top[qi], top[qi + 1]
        if q.continued and not q.speaker and not q.speaker_mention and nxt.speaker:
            q.speaker, q.rule = nxt.speaker, "continued"
    # nested quotations: the outer speaker is the one quoting them
    for q in quotes:
        if q.depth > 0 and q.parent >= 0:
            outer = quotes[q.parent]
            q.speaker, q.rule = outer.speaker, "nested"


def _resolve_he_she(
    masked: str, pos: int, ps: int, named: list[tuple[int, str, int]], names: _PersonNames
) -> str | None:
    """Return the nearest preceding named speaker in the paragraph.

    Else the first person name of the nearest preceding sentence (same paragraph) that has one, resolved to
    its full name (:class:`_PersonNames`).
    """
    for npos, name, _ in reversed(named):
        if ps <= npos < pos:
            return name
    s = _sentence_start(masked, pos, ps)
    while True:
        # person names, and single capitalised surnames known from a full name
        found = _person_names(masked, s, pos) + names.surname_mentions(masked, s, pos)
        if found:
            npos, name = min(found)
            return names.resolve(name, npos)
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
