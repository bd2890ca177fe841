"""Draft a case file from a corpus: the persons and organisations its texts name, with guessed actors and frames.

Writing a case file (docs/cases.md) from nothing is the slowest step of pointing the instrument at a new case.
:func:`draft_case` proposes entries by rule, and :func:`write_case_draft` writes them as a case file in the
documented format, headed as a DRAFT to review. Every actor and frame is a guess:

* **persons** are the coder rule's person spans (:func:`framing.framerules.person_spans`: honorific + name,
  capitalised full names, later mentions of a surname): frame ``individual``; the actor is that of a role of
  the ``actors`` lexicon next to the name ("social worker Maria Ward", "Maria Ward, the social worker"), else the
  commonest role in the sentences naming the person, else ``agencies`` (a placeholder). A person named
  somewhere with a political office of the frame lexicon -- before the name (:func:`framing.framerules.roles_before`:
  "Home Secretary David Blunkett"), in apposition after it ("Tony Blair, the prime minister"), or held in the
  possessive ("Mr Blair's government") -- or as a councillor ("Cllr Jones") is ``political``, actor
  ``council_politicians`` when the office says council, else ``government``. A person named only as honorific +
  surname, with no role next to it ("Mr Brown"), is returned with ``review`` set and written commented out.
  A full name's surname used alone gets its own entry ("shoesmith" beside "sharon shoesmith") unless two full
  names share it or it is a common word (an English stop word, a word of the shipped lexicons, or a word the
  texts also write in lower case: "ward").
* **organisations** are capitalised names ending in an organisation word ("Haringey Council", "Metropolitan
  Police") and the persons part's acronyms (of three letters or more, unless they spell a name found): frame
  ``systemic``, the actor from the ``actors`` lexicon's entry ending the name (council, police, hospital*, ...)
  or the head word (:data:`HEAD_ACTORS`), else ``agencies``. An acronym that spells the initials of a name
  found in one of its documents ("GOSH") joins that name's entry. Names the ``actors`` lexicon holds whole
  (roles such as "Children's Services") are left out.

Each entry counts its mentions, documents and the mentions in sentences the instrument labels as blame
(:func:`framing.scoring.frame_table`, the case-independent layer). Entries are ranked by blame mentions, then
mentions, then pattern (a stable order); names, spans and counts are computed with compiled patterns over
the texts and pandas, never with a loop over sentences.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from framing._framerules_patterns import _ACRONYM, _FULL_NAME_FAST, _HONORIFIC, _NOT_NAME, _SOURCE_AFTER, _TITLE
from framing.errors import ParameterError
from framing.framerules import _join, person_spans, roles_before
from framing.io import atomic_write_text
from framing.lexicon import Lexicon, LexiconSource, load_lexicon, normalize_pattern, pattern_variants
from framing.match import match_texts, match_texts_many
from framing.names import NAME_PARTS
from framing.rowscan import scan_fast, trie_pattern
from framing.scoring import _sentences, frame_table
from framing.types import (
    ACTORS,
    DEFAULT_ACTORS_LEXICON,
    DEFAULT_CUES_LEXICON,
    DEFAULT_FRAMES_LEXICON,
    PathLike,
    ProcessedCorpusLike,
)

__all__ = ["DRAFT_COLUMNS", "SURNAME_ONLY", "case_draft_yaml", "draft_case", "write_case_draft"]

DRAFT_COLUMNS = ["pattern", "patterns", "actor", "frame", "kind", "mentions", "documents", "blame_mentions",
                 "basis", "example", "review"]
"""Columns of :func:`draft_case`: ``patterns`` is the tuple written (the name as written in lower case, then
its other spellings: an acronym, a plural), ``kind`` ``person``, ``surname`` or ``organisation`` (a politician
is a person with the frame ``political``), ``basis`` says what the actor is guessed from, ``review`` why the
entry is not proposed but left for review ("" for a proposed entry; :data:`SURNAME_ONLY`)."""

SURNAME_ONLY = "a surname the corpus never names in full, with no role next to it"
"""The ``review`` reason of a person the texts name only as honorific + surname ("Mr Brown", "Mr Nasty") and never
with a role next to the name: a bare surname matches every bearer of it and the common word it may also be
(brown, wood, straw), so it is written commented out, for a reviewer who knows the case to uncomment."""

_NAMED_BY_ROLE = ("named with a political office", "role next to the name")

ORG_HEADS = ("Council", "Trust", "Agency", "Service", "Services", "Police", "Constabulary", "Department", "Ministry",
             "Commission", "Authority", "Hospital", "Board", "Office", "Inspectorate", "Directorate", "Court",
             "Executive", "Force", "Prison", "Institute", "Bureau", "Unit", "Centre", "Foundation", "Association")
"""Organisation head words: a capitalised name of up to five words ending in one of them is an organisation."""

HEAD_ACTORS = {"police": "police", "constabulary": "police", "hospital": "health", "trust": "health",
               "nhs": "health", "council": "council", "inspectorate": "inspectors", "commission": "inspectors"}
"""The actor of a head word the ``actors`` lexicon does not end the name with; any other is ``agencies``."""

_CASE_NAME = re.compile(r"[A-Za-z0-9_\-]+")
# opens with a character set (re's quick first-character scan); the lookbehind is the \b before it
_ORG = re.compile(r"[A-Z](?<!\w[A-Z])[\w'’&-]*\s+(?:[A-Z][\w'’&-]*\s+){0,3}(?:" + "|".join(ORG_HEADS) + r")\b")
# the titles opening a name, and any capitalised words before them ("Meanwhile Ms Hutt": Hutt)
_LEAD = re.compile(rf"^(?:[\w'’-]+\s+)*?(?:(?:{_HONORIFIC}|{_TITLE.pattern})\.?\s+)+")
# function words, and words of time that open a capitalised phrase without being part of the name ("Former Post
# Office investigators": Post Office)
_FUNCTION = sorted({w for w in _NOT_NAME if w in ENGLISH_STOP_WORDS} | {"former", "then", "current", "previous"})
_CUT = re.compile(r"(?:['’]s)?(?:\s+(?:" + "|".join(sorted(_NOT_NAME)) + r")\b.*)?$", re.IGNORECASE)
_LEADING_FUNCTION = re.compile(r"^(?:(?:" + "|".join(_FUNCTION) + r")\s+)+", re.IGNORECASE)
_COUNCIL = re.compile(r"council|cllr", re.IGNORECASE)
_APPOSITION = re.compile(r",\s+(?:(?:the|a|an|its|their)\s+)?(?:[A-Z][\w'’-]*\s+)?")
# an office in apposition, with up to two words before it that are no function word ("Tony Blair, the prime
# minister", "Barbara Roche, the immigration minister", but not "Tony Blair, who met the minister" nor "Jo Bloggs,
# and the minister"), or held in the possessive ("Mr Blair's government", "Mr Blair's Labour government")
_OFFICE_AFTER = re.compile(r",\s+(?:(?i:the|a|an|its|their|former)\s+){0,2}(?:(?!(?i:" + "|".join(
    sorted(ENGLISH_STOP_WORDS)) + r")\b)[\w'’-]+\s+){0,2}|['’]s\s+(?:[A-Z][\w'’-]*\s+)?")
# the actors whose roles the frame lexicon's political category also holds without being offices: a press
# campaign is political blame by the codebook, a journalist no politician ("Rebekah Brooks, the tabloid editor")
_NOT_OFFICE_ACTORS = ("media",)
# the codebook's political actors: after a name or held by it, only their roles are offices ("Tony Blair, the prime
# minister", "Mr Blair's government"), not every word of political blame ("Lord Butler's intervention", "Hamish
# MacDonell, political editor of The Scotsman")
_OFFICE_ACTORS = ("government", "council_politicians")


def _check(min_count: object, max_entries: object, case_name: object) -> None:
    for name, value in (("min_count", min_count), ("max_entries", max_entries)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise ParameterError(f"{name} must be an integer >= 1, got {value!r}")
    if not isinstance(case_name, str) or not _CASE_NAME.fullmatch(case_name):
        raise ParameterError(f"case_name must be letters, digits, _ and - (docs/cases.md), got {case_name!r}")


def _norm(forms: pd.Series) -> pd.Series:
    """Return the matching form of names (:func:`framing.lexicon.normalize_pattern`), vectorised."""
    return forms.str.lower().str.replace(r"[\s'’‘ʼ`´′\-‐‑‒–—―−]+", " ", regex=True).str.strip()


def _in_order(sents: pd.DataFrame) -> pd.DataFrame:
    """Sentences by document id, then in document order: the draft does not depend on the table's row order."""
    keys = pd.DataFrame({"d": sents["doc_id"].astype(str).to_numpy(), "s": sents["sent_id"].to_numpy()})
    order = keys.sort_values(["d", "s"], kind="stable").index.to_numpy()
    return sents.iloc[order].reset_index(drop=True)


def _row_spans(at: np.ndarray, offsets: np.ndarray) -> pd.DataFrame:
    """Spans ``at`` (start, end in the texts joined by ``framerules._join``) as ``row, start, end`` in each text."""
    at = at.reshape(-1, 2)
    row = np.searchsorted(offsets, at[:, 0], side="right") - 1
    return pd.DataFrame({"row": row, "start": at[:, 0] - offsets[row], "end": at[:, 1] - offsets[row]})


def _organisation_spans(texts: list[str], ps: pd.DataFrame) -> pd.DataFrame:
    """Organisation spans: the head-word names and the persons part's, nested spans dropped."""
    joined, offsets = _join(texts)
    at = np.asarray([(m.start(), m.end()) for m in _ORG.finditer(joined)], dtype=np.int64)
    spans = pd.concat([_row_spans(at, offsets), ps.loc[ps["kind"] == "organisation", ["row", "start", "end"]]],
                      ignore_index=True)
    return _outermost(spans.drop_duplicates())


def _with_corpus_full_names(texts: list[str], ps: pd.DataFrame) -> pd.DataFrame:
    """Add to the person spans ``ps`` the full names whose surname names a person anywhere in the corpus.

    The coder rule takes a full name for a person only in a document that also uses its surname with an honorific
    (each document on its own); a draft reads the corpus as a whole: "Paula Vennells" in eight documents is a
    person once one of them writes "Ms Vennells". One search of the joined texts (the rule's full-name pattern).
    """
    surnames = set(ps.loc[ps["kind"] == "person", "name"])
    if not surnames:
        return ps
    joined, offsets = _join(texts)
    found = [(m.start("_all"), m.end("_all"), m.group("n").split()[-1]) for m in scan_fast(_FULL_NAME_FAST, joined)]
    # as the rule's persons: not a name of no name word, nor the author of a review or findings (a source)
    found = [f for f in found
             if f[2] in surnames and not any(w.lower() in _NOT_NAME for w in joined[f[0]:f[1]].split())
             and not _SOURCE_AFTER.match(joined, f[1])]
    if not found:
        return ps
    spans = _row_spans(np.asarray([f[:2] for f in found], dtype=np.int64), offsets)
    spans = spans.assign(kind="person", name=[f[2] for f in found])
    return pd.concat([ps, spans], ignore_index=True).drop_duplicates(["row", "start", "end", "kind"])


def _outermost(spans: pd.DataFrame) -> pd.DataFrame:
    """Drop the spans lying inside another span of the same row ("Shoesmith" of "Sharon Shoesmith")."""
    spans = spans.sort_values(["row", "start", "end"], ascending=[True, True, False], kind="stable")
    # ends made to grow with the row, so that one running maximum serves every row
    end = spans["end"].to_numpy(np.int64)
    end = end + spans["row"].to_numpy(np.int64) * (int(end.max(initial=0)) + 1)
    before = np.concatenate([[-1], np.maximum.accumulate(end)[:-1]]) if len(end) else end
    return spans[end > before].reset_index(drop=True)


def _written_lower(texts: list[str], words: set[str]) -> set[str]:
    """Return the ``words`` (lower case) that the texts also write in lower case: ordinary words ("the ward")."""
    if not words:
        return set()
    found = re.findall(r"(?<![\w'’-])(?:" + trie_pattern(sorted(words)) + r")(?![\w'’-])", "\n".join(texts))
    return set(found)


def _actor_by_majority(pairs: pd.DataFrame) -> pd.Series:
    """Return the commonest ``category`` per person ``who`` (ties: the earlier actor of ``ACTORS``)."""
    if pairs.empty:
        return pd.Series(dtype=object)
    n = pairs.groupby(["who", "category"]).size().rename("n").reset_index()
    n["rank"] = n["category"].map({a: i for i, a in enumerate(ACTORS)})
    n = n.sort_values(["who", "n", "rank"], ascending=[True, False, True], kind="stable")
    return n.drop_duplicates("who").set_index("who")["category"]


def _example(text: str, start: int, end: int, width: int = 40) -> str:
    a, b = max(0, start - width), min(len(text), end + width)
    return ("..." if a else "") + " ".join(text[a:b].split()) + ("..." if b < len(text) else "")


def draft_case(
    corpus: ProcessedCorpusLike | pd.DataFrame,
    *,
    min_count: int = 2,
    max_entries: int = 100,
    lexicon: LexiconSource = DEFAULT_FRAMES_LEXICON,
    cues: LexiconSource = DEFAULT_CUES_LEXICON,
    actors: LexiconSource = DEFAULT_ACTORS_LEXICON,
) -> pd.DataFrame:
    """Propose case-file entries for the persons and organisations a corpus names (module docstring).

    Parameters
    ----------
    corpus : ProcessedCorpus or DataFrame
        A processed corpus (its ``sentences``) or a sentences table (doc_id, sent_id, start, end, text).
    min_count : int
        Propose a person or organisation only with at least this many mentions (a surname entry follows its
        full name whatever its own count).
    max_entries : int
        At most this many entries (the best ranked).
    lexicon, cues : str, path or Lexicon
        The case-independent frame and cue lexicons: the blame labels, and the political roles.
    actors : str, path or Lexicon
        The case-independent actor lexicon: the roles next to a name, and the names it already holds.

    Returns
    -------
    DataFrame
        One row per proposed entry, columns :data:`DRAFT_COLUMNS`, in rank order.
    """
    _check(min_count, max_entries, "draft")
    sents = _in_order(_sentences(corpus))
    texts = sents["text"].astype(str).tolist()
    arr = np.asarray(texts, dtype=object)
    docs = sents["doc_id"].astype(str).to_numpy()
    frames_lex, actor_lex = load_lexicon(lexicon), load_lexicon(actors)
    blame = frame_table(sents, lexicon=frames_lex, cues=cues)[list(frames_lex.categories)].to_numpy().any(axis=1)
    frame_hits, role_hits = (h.rename(columns={"text_id": "row"}) for h in match_texts_many(texts, [frames_lex,
                                                                                                  actor_lex]))
    ps = _with_corpus_full_names(texts, person_spans(texts, docs.tolist()))
    common = set(ENGLISH_STOP_WORDS) | set(_NOT_NAME) | {
        w for lex in (frames_lex, actor_lex) for e in lex.entries for w in normalize_pattern(e.pattern).split()}
    people, actor_of = _person_mentions(arr, docs, ps, frame_hits[frame_hits["category"] == "political"],
                                        role_hits, common)
    orgs, org_actor = _organisation_mentions(arr, docs, ps, actor_lex, common)

    # --- one table of mentions, one row per entry
    allm = pd.concat([people, orgs], ignore_index=True)
    allm["blame"] = blame[allm["row"].to_numpy(dtype=np.int64)]
    allm["display"] = allm["form"].str.lower().str.replace(r"[’‘ʼ`´′]", "'", regex=True)
    first = allm.sort_values(["blame", "row", "start"], ascending=[False, True, True], kind="stable")
    first = first.drop_duplicates("key").set_index("key")
    first["example"] = [_example(arr[r], a, b) for r, a, b in zip(first["row"], first["start"], first["end"],
                                                                    strict=True)]
    g = allm.groupby("key")
    table = pd.DataFrame({"mentions": g.size(), "documents": g["doc"].nunique(), "blame_mentions": g["blame"].sum(),
                          "kind": first["kind"], "example": first["example"], "owner": first["owner"],
                          "who": first["who"]})
    table["patterns"] = _spellings(allm).reindex(table.index)
    _guess(table, actor_of, org_actor)
    # a person named only by a surname (no full name anywhere) and by no role next to it: left for review
    bare = (table["kind"] == "person") & (first["words"].reindex(table.index) == 1) & ~table["basis"].isin(
        _NAMED_BY_ROLE)
    table["review"] = np.where(bare, SURNAME_ONLY, "")
    return _rank(table.rename_axis("key").reset_index().assign(pattern=table["patterns"].str[0].to_numpy()),
                 min_count, max_entries)


def _spellings(allm: pd.DataFrame) -> pd.Series:
    """Return the patterns of each entry (``key``): one per normalised form, each as most often written.

    The form equal to the key comes first (the key itself when no mention writes it: "gcse" of "GCSEs").
    """
    n = allm.groupby(["key", "norm", "display"]).size().rename("n").reset_index()
    n = n.sort_values(["key", "norm", "n", "display"], ascending=[True, True, False, True], kind="stable")
    n = n.drop_duplicates(["key", "norm"]).assign(other=lambda d: d["norm"] != d["key"])
    n = n.sort_values(["key", "other", "norm"], kind="stable")
    written = n.groupby("key", sort=True)["display"].agg(tuple)
    has_key = set(n.loc[~n["other"], "key"])
    return pd.Series([w if k in has_key else (k, *w) for k, w in written.items()], index=written.index, dtype=object)


def _person_mentions(arr: np.ndarray, docs: np.ndarray, ps: pd.DataFrame, political: pd.DataFrame,
                     role_hits: pd.DataFrame, common: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the mentions of persons (``key``: full name or surname) and each person's guessed role.

    The second table, per person ``who`` (the full name, or a surname seen alone): ``political``,
    ``council`` (a council role), ``near`` (the commonest actor of a role next to the name) and ``same`` (the
    commonest actor of the roles in the sentences naming the person).
    """
    people = _outermost(ps[ps["kind"] == "person"])
    raw = pd.Series([t[a:b] for t, a, b in zip(arr[people["row"]], people["start"], people["end"], strict=True)],
                    dtype=object)
    # titles off ("Chief Inspector", "Ms"), and a possessor before a full name ("Heat's Charles Gant")
    bare = raw.str.replace(_LEAD, "", regex=True).str.replace(r"^.*?['’]s\s+(?=\S+\s+\S)", "", regex=True)
    form = bare.str.replace(r"\s+", " ", regex=True).str.replace(_CUT, "", regex=True)
    form = form.str.replace(r"['’]s\b.*$", "", regex=True)  # what a name owns is no part of it ("Brown's Budget")
    # a word before a full name that another mention writes without it is no part of the name ("Blaming Paula
    # Vennells" beside "Paula Vennells"): a sentence's capitalised first word
    full_norms = set(_norm(form[form.str.extract(NAME_PARTS)["given"].fillna("") != ""]))
    tail_form = form.str.split(" ", n=1).str[1].astype(object)  # all missing: float, whose fillna("") warns
    cut = ((form.str.count(" ") >= 2) & _norm(tail_form.fillna("")).isin(full_norms)).to_numpy(bool)
    bare = bare.where(~cut, tail_form)
    form = form.where(~cut, tail_form)
    # a name's surname with its particles (framing.names: "Ó Súilleabháin", "van der Leyen"); a form with no given
    # name counts as one word (a surname alone)
    parts = form.str.extract(NAME_PARTS)
    people = people.assign(form=form, norm=_norm(form), doc=docs[people["row"]],
                           name_start=people["start"] + raw.str.len() - bare.str.len(),
                           surname=_norm(parts["surname"].fillna("")),
                           words=np.where(parts["given"].fillna("") != "", 2, 1),
                           council=raw.str.match(r"(?:Cllr|Councillor)\b"))
    # a first name standing alone ("Sharon" for Sharon Shoesmith, "Sir Paul") is no entry of its own: a surname
    # alone ends with the rule's surname (its last word)
    knighted = raw.str.match(r"(?:Sir|Dame)\s").to_numpy(bool)
    last = _norm(people["form"].str.split(" ").str[-1])
    people = people[(people["norm"] != "") & ((people["words"] > 1)
                                              | ((last == _norm(people["name"].str.replace(
                                                  r"['’]s$", "", regex=True))) & ~knighted))]
    full = people[people["words"] > 1]
    owners = full.groupby("surname")["norm"].nunique()
    alone = people["words"] == 1
    common = common | _written_lower(arr.tolist(), set(people.loc[alone, "surname"]) - common)
    single = people[alone & ~people["surname"].isin(common) & (people["surname"].map(owners).fillna(0) <= 1)]
    by_surname = full.drop_duplicates("surname").set_index("surname")["norm"]
    single = single.assign(owner=single["surname"].map(by_surname))
    mentions = pd.concat([full.assign(key=full["norm"], kind="person", owner=None),
                          single.assign(key=single["surname"],
                                        kind=np.where(single["owner"].isna(), "person", "surname"))],
                         ignore_index=True)
    mentions["who"] = mentions["owner"].fillna(mentions["key"])
    # a political office named with a mention makes the person political in that document: before it ("Tory MP
    # X" ... "Mr X"), in apposition after it ("Tony Blair, the prime minister"), or held ("Mr Blair's government")
    offices = political[~_overlapping(political, role_hits[role_hits["category"].isin(_NOT_OFFICE_ACTORS)])]
    held = offices[_overlapping(offices, role_hits[role_hits["category"].isin(_OFFICE_ACTORS)])]
    after = _roles_after(arr, people[["row", "end", "doc", "surname"]], held, _OFFICE_AFTER)
    # the office itself, not what it owns ("Jo Bloggs, the minister's adviser")
    owned = [arr[r][e:e + 2] in ("'s", "’s") for r, e in zip(after["row"], after["role_end"], strict=True)]
    roles = pd.concat([roles_before(arr, people[["row", "start", "doc", "surname"]], offices),
                       after[~np.asarray(owned, dtype=bool)]], ignore_index=True)
    roles = roles.assign(council=[bool(_COUNCIL.search(arr[r][a:b])) for r, a, b in
                                  zip(roles["row"], roles["role_start"], roles["role_end"], strict=True)])
    cols = ["doc", "surname", "council"]
    pol = pd.concat([roles[cols], people.loc[people["council"], cols]])
    pol = pol.groupby(["doc", "surname"])["council"].any()
    pol_of = pd.MultiIndex.from_frame(mentions[["doc", "surname"]])
    mentions["political"] = pol_of.isin(pol.index)
    mentions["council"] = pol.reindex(pol_of).fillna(False).to_numpy(bool)
    # the actor: a role next to the name (before it, or after a comma), else in the same sentences
    near = roles_before(arr, mentions[["row", "name_start", "who"]].rename(columns={"name_start": "start"}),
                        role_hits)
    after = _roles_after(arr, mentions[["row", "end", "who"]], role_hits, _APPOSITION)
    actor_of = mentions.groupby("who")[["political", "council"]].any()
    actor_of["near"] = _actor_by_majority(pd.concat([near[["who", "category"]], after[["who", "category"]]]))
    actor_of["same"] = _actor_by_majority(mentions[["row", "who"]].drop_duplicates().merge(
        role_hits[["row", "category"]]))
    return mentions, actor_of


def _roles_after(arr: np.ndarray, mentions: pd.DataFrame, roles: pd.DataFrame, gap: re.Pattern[str]) -> pd.DataFrame:
    """Pair each mention (``row``, ``end``) with the role hits that follow it across a ``gap`` matched whole.

    Returns ``mentions``'s columns with ``role_start``, ``role_end`` and the roles' ``category``, one row per pair
    (``", the "`` of "Maria Ward, the social worker"; ``"'s "`` of "Mr Blair's government").
    """
    pairs = mentions.merge(roles[["row", "start", "end", "category"]].rename(
        columns={"start": "role_start", "end": "role_end"}), on="row")
    pairs = pairs[pairs["role_start"] >= pairs["end"]]
    between = [arr[r][e:s] for r, e, s in zip(pairs["row"], pairs["end"], pairs["role_start"], strict=True)]
    return pairs[np.asarray([bool(gap.fullmatch(g)) for g in between], dtype=bool)]


def _overlapping(spans: pd.DataFrame, others: pd.DataFrame) -> np.ndarray:
    """Return True for each span (``row``, ``start``, ``end``) that overlaps one of ``others`` in its row."""
    pairs = spans[["row", "start", "end"]].reset_index(drop=True).reset_index().merge(
        others[["row", "start", "end"]], on="row", suffixes=("", "_o"))
    hit = pairs.loc[(pairs["start"] < pairs["end_o"]) & (pairs["start_o"] < pairs["end"]), "index"]
    out = np.zeros(len(spans), dtype=bool)
    out[hit.to_numpy(dtype=np.int64)] = True
    return out


def _organisation_mentions(arr: np.ndarray, docs: np.ndarray, ps: pd.DataFrame, actor_lex: Lexicon,
                           common: set[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Return the mentions of organisations (``key``: the name, or the name an acronym spells) and their actors.

    The actors (by name) are those of the ``actors`` entry ending the name; names it holds whole are dropped.
    """
    orgs = _organisation_spans(arr.tolist(), ps)
    oraw = pd.Series([t[a:b] for t, a, b in zip(arr[orgs["row"]], orgs["start"], orgs["end"], strict=True)],
                     dtype=object).str.replace(r"\s+", " ", regex=True)
    oform = oraw.str.replace(_LEADING_FUNCTION, "", regex=True)
    orgs = orgs.assign(form=oform, norm=_norm(oform), acronym=oform.str.fullmatch(_ACRONYM.pattern))
    named = orgs["norm"].str.split(" ").map(lambda ws: len(ws) > 1 and any(w not in _NOT_NAME for w in ws[:-1]))
    orgs = orgs[(named | orgs["acronym"]) & ~orgs["form"].str.contains("&")]  # "&" cannot be in a pattern
    names = pd.Series(sorted(set(orgs["norm"])), dtype=object)
    tail = match_texts(names.tolist(), actor_lex, negation=False)
    at_end = tail[tail["end"].to_numpy() == names.str.len().to_numpy()[tail["text_id"].to_numpy()]]
    orgs = orgs[~orgs["norm"].isin(names[at_end.loc[at_end["start"] == 0, "text_id"]])]  # a role, held whole
    ends = at_end.drop_duplicates("text_id")
    org_actor = dict(zip(names[ends["text_id"]], ends["category"], strict=True))
    # an acronym spelling the initials of a name found joins the commonest such name
    # an acronym joins a name it spells the initials of and shares a document with (the one that introduces
    # it); of several, the one sharing the most documents
    singular = orgs["form"].str.rstrip("s")  # "GCSEs" -> "GCSE" (a capital S stays: "ONS")
    spell = orgs.loc[~orgs["acronym"], ["form", "norm", "row"]].assign(doc=docs[orgs.loc[~orgs["acronym"], "row"]])
    forms = spell["form"].drop_duplicates()
    initials = pd.Series(forms.str.findall(r"\b[A-Z]").str.join("").to_numpy(), index=forms.to_numpy(), dtype=object)
    spell = spell.assign(acr=spell["form"].map(initials))[["acr", "norm", "doc"]]
    used = pd.DataFrame({"acr": singular[orgs["acronym"]], "doc": docs[orgs.loc[orgs["acronym"], "row"]]})
    spell = spell.astype({"acr": object}).drop_duplicates().merge(used.astype({"acr": object}).drop_duplicates(),
                                                                  on=["acr", "doc"])
    spell = spell.groupby(["acr", "norm"]).size().rename("n").reset_index()
    spell = spell.sort_values(["acr", "n", "norm"], ascending=[True, False, True], kind="stable")
    spelt = spell.drop_duplicates("acr").set_index("acr")["norm"]
    acr_key = singular.map(spelt)
    # an acronym spelling no name found stands alone from three letters (two are mostly things: ID, TV, GM),
    # and never as a common word (a headline's capitals: "AND", "HEAD")
    alone = orgs["acronym"] & acr_key.isna()
    keep = ~alone | ((singular.str.len() >= 3) & ~_norm(singular).isin(common) & ~orgs["norm"].isin(common))
    orgs, acr_key = orgs[keep], acr_key.where(~alone, _norm(singular))[keep]
    orgs = orgs.assign(key=orgs["norm"].where(~orgs["acronym"] | acr_key.isna(), acr_key), doc=docs[orgs["row"]],
                       kind="organisation", owner=None, who=None)
    return orgs, org_actor


def _guess(table: pd.DataFrame, actor_of: pd.DataFrame, org_actor: dict[str, str]) -> None:
    """Fill ``actor``, ``frame`` and ``basis`` of the entries in place."""
    person = (table["kind"] != "organisation").to_numpy()
    role = actor_of.reindex(table["who"].to_numpy())
    pol = person & role["political"].fillna(False).to_numpy(bool)
    council = role["council"].fillna(False).to_numpy(bool)
    near, co = role["near"].astype(object), role["same"].astype(object)
    head = pd.Series(table.index.str.split(" ").str[-1], index=table.index)
    by_head = head.map(lambda h: HEAD_ACTORS.get(h, HEAD_ACTORS.get(h.rstrip("s"), "agencies")))
    org = pd.Series(table.index.map(org_actor), index=table.index, dtype=object).fillna(by_head.astype(object))
    table["frame"] = np.where(pol, "political", np.where(person, "individual", "systemic"))
    table["actor"] = np.where(pol, np.where(council, "council_politicians", "government"),
                              np.where(person, near.fillna(co).fillna("agencies").to_numpy(), org.to_numpy()))
    table["basis"] = np.where(pol, "named with a political office", np.where(
        ~person, "organisation name", np.where(near.notna(), "role next to the name", np.where(
            co.notna(), "roles in the same sentences", "no role seen: agencies is a placeholder"))))


def _rank(table: pd.DataFrame, min_count: int, max_entries: int) -> pd.DataFrame:
    """Rank the entries; a surname entry follows its full name (with its actor and frame); drop duplicates.

    ``min_count`` holds for a person's mentions together: those of the full name and of its surname entry.
    """
    main = table[table["kind"] != "surname"]
    sur_mentions = table.loc[table["kind"] == "surname"].groupby("owner")["mentions"].sum()
    together = main["mentions"] + main["key"].map(sur_mentions).fillna(0).astype(np.int64)
    main = main[together >= min_count].sort_values(
        ["blame_mentions", "mentions", "pattern"], ascending=[False, False, True], kind="stable")
    sur = table[table["kind"] == "surname"].set_index("owner")
    for col in ("actor", "frame"):
        sur[col] = main.set_index("key")[col].reindex(sur.index).to_numpy()
    sur = sur[sur["actor"].notna()].assign(basis="surname of the full name above")
    place = pd.Series(np.arange(len(main)) * 2 + 1, index=main["key"].to_numpy())
    out = pd.concat([main.assign(_o=np.arange(len(main)) * 2), sur.assign(_o=place.reindex(sur.index).to_numpy())])
    out = out.sort_values("_o", kind="stable").reset_index(drop=True)
    # a pattern proposed twice (a surname that is also an organisation's acronym ...) stays with the first
    flat = out["patterns"].map(lambda ps: [v for p in ps for v in pattern_variants(p)]).explode()
    out = out.drop(index=flat.index[flat.duplicated().to_numpy()].unique())
    return out[DRAFT_COLUMNS].head(max_entries).reset_index(drop=True)


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _scalar(value: str) -> str:
    """Return a YAML scalar: plain when YAML reads it back unchanged, else double-quoted."""
    try:
        plain = yaml.safe_load(value) == value and not re.search(r"[,:{}\[\]#]", value)
    except yaml.YAMLError:
        plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def case_draft_yaml(entries: pd.DataFrame, *, case_name: str, source: str = "the corpus") -> str:
    """Return the text of a draft case file (docs/cases.md format) for the entries of :func:`draft_case`."""
    _check(1, 1, case_name)
    review = entries["review"].astype(bool).to_numpy() if "review" in entries else np.zeros(len(entries), bool)
    counts = f"{int((~review).sum())} entries" + (f", {int(review.sum())} more commented out for review"
                                                       if review.any() else "")
    head = [f"# DRAFT case file proposed by `framing case draft` from {source}: {counts}.",
            "# Every actor and frame below is a GUESS BY RULE (docs/cases.md, 'Drafting a case file from your",
            "# corpus'): persons -> individual, persons named with a political office -> political, organisations",
            "# -> systemic; actors from a role next to the name or the organisation's head word. Review each line",
            "# against the codebook before use: delete what is not a person or organisation of the case, correct",
            "# actors and frames, add exclusions, then run  framing case check FILE.",
            f"case: {case_name}", 'version: "0.1-draft"',
            f"description: {_scalar(f'DRAFT from {source}, to review against the codebook')}", "entries:"]
    lines = head if not review.all() else [*head[:-1], "entries: []"]
    for e, left in zip(entries.itertuples(index=False), review, strict=True):
        pats = list(e.patterns)
        pattern = _scalar(pats[0]) if len(pats) == 1 else "[" + ", ".join(_scalar(p) for p in pats) + "]"
        why = (f"draft: {_n(e.mentions, 'mention')} in {_n(e.documents, 'document')}, {e.blame_mentions} in blame "
               f"sentences; actor: {e.basis}; e.g. '{e.example}'")
        entry = [f"  - {{pattern: {pattern}, actor: {e.actor}, frame: {e.frame},",
                 f"     rationale: {json.dumps(why, ensure_ascii=False)}}}"]
        # an entry left for review is written commented out, its reason above it (docs/cases.md)
        lines.extend([f"  # review ({e.review}): uncomment if it names a person of the case",
                      *(f"  #{line[1:]}" for line in entry)] if left else entry)
    return "\n".join(lines) + "\n"


def write_case_draft(entries: pd.DataFrame, path: PathLike, *, case_name: str, source: str = "the corpus",
                     force: bool = False) -> str:
    """Write :func:`case_draft_yaml` atomically to ``path`` and return it; an existing file only with ``force``."""
    if Path(path).exists() and not force:
        raise ParameterError(f"{path}: exists; pass force=True (--force) to overwrite it")
    text = case_draft_yaml(entries, case_name=case_name, source=source)
    atomic_write_text(path, text)
    return text
