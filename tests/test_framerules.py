"""The coder rule's helpers (framing.framerules) that are not covered through frame_table."""

from __future__ import annotations

import re

import numpy as np

from framing._framerules_patterns import (
    _ACCORDING,
    _ACRONYM,
    _FULL_NAME,
    _HONORIFIC_NAME,
    _LABEL,
    _LIST_ITEM,
    _LIST_ITEM_LINE,
    _ORG_NAME,
    _PRE,
    _PRE_SHORT,
    _PRONOUN_START,
    _PRONOUN_START_LINE,
    _VERB_FIRST,
)
from framing.framerules import _join, _opening, person_spans, voice_spans
from framing.rowscan import fast_pattern as _fast
from framing.rowscan import scan_fast as _scan
from framing.rowscan import trie_pattern as _trie_pattern


def test_trie_pattern_matches_the_longest_name_that_ends_at_a_word_boundary() -> None:
    bare = re.compile(r"\b(?:" + _trie_pattern(["Smith", "Smith-Jones", "Smyth", "Sm"]) + r")\b")
    text = "Smith-Jones met Smith-Brown, Smyth and Smithers; Sm."
    # by hand: Smith-Jones whole; Smith of Smith-Brown (word boundary before '-'); Smyth; not Smithers; Sm
    assert [m.group(0) for m in bare.finditer(text)] == ["Smith-Jones", "Smith", "Smyth", "Sm"]
    assert [m.start() for m in bare.finditer(text)] == [0, 16, 29, 49]


def test_trie_pattern_agrees_with_the_longest_first_alternation_on_random_texts() -> None:
    rng = np.random.default_rng(3)
    letters = list("abAB-'’ ")
    for _ in range(200):
        names = sorted({"".join(rng.choice(letters[:5], size=int(rng.integers(1, 5)))).strip("-'")
                        for _ in range(int(rng.integers(1, 8)))} - {""}, key=len, reverse=True)
        if not names:
            continue
        text = "".join(rng.choice(letters, size=60))
        plain = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")
        trie = re.compile(r"\b(?:" + _trie_pattern(names) + r")\b")
        assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)], (names, text)


def test_later_mentions_of_a_surname_are_persons_of_that_document_only() -> None:
    texts = ["Ms Shoesmith resigned.", "Shoesmith and Doug Smith spoke.", "Mr Smith left. Shoesmith too."]
    spans = person_spans(texts, ["a", "a", "b"])
    persons = spans[spans["kind"] == "person"]
    # doc a: "Ms Shoesmith" (0-12) and the surname inside it (3-12) in row 0, the bare "Shoesmith" in row 1;
    # "Doug Smith" is no person in doc a (no "Mr Smith" there); doc b: "Mr Smith" (0-8) and its surname (3-8)
    # in row 2, but its "Shoesmith" (15-24) is a name of doc a only
    got = sorted(zip(persons["row"], persons["start"], persons["end"], persons["name"], strict=True))
    assert got == [(0, 0, 12, "Shoesmith"), (0, 3, 12, "Shoesmith"), (1, 0, 9, "Shoesmith"), (2, 0, 8, "Smith"),
                   (2, 3, 8, "Smith")]


def test_a_reporting_clause_ends_at_its_verb_and_leaves_the_reported_content_out() -> None:
    texts = ["A council spokeswoman confirmed Mr Smith was still in post and that he would stay.",
             'He said in a statement: "It failed."',
             "She told MPs that the agency failed.",
             'Mr Lewis described the existence of the Potato Council as "surprising".']
    spans = voice_spans(texts)
    # the widest clause found in each text (a short subject + speech verb may also be found on its own)
    widest = spans.assign(n=spans["end"] - spans["start"]).sort_values(["row", "n"]).groupby("row").tail(1)
    got = [(int(r), texts[int(r)][int(s):int(e)]) for r, s, e in zip(widest["row"], widest["start"], widest["end"],
                                                                       strict=True)]
    # by hand: the speaker and the verb (with an adverbial, or the hearer of "told"); never "Mr Smith ... post"
    # or "the existence of the Potato Council", which are what is reported
    assert got == [(0, "A council spokeswoman confirmed"), (1, "He said in a statement"), (2, "She told MPs"),
                   (3, "Mr Lewis described")]


def test_fast_scan_keeps_what_finditer_finds_when_candidates_overlap() -> None:
    text = "The Child Support Agency and the CSA met. Child Support Agency staff"
    fast = _scan(_fast(_ORG_NAME, "[A-Z]"), text)
    # by hand: "The Child Support Agency" (0-24; "The" is capitalised), then "Child Support Agency" (42-62);
    # the candidates inside the first ("Child ...", "Support Agency", "Agency") are not matches of finditer
    assert [m.span("_all") for m in fast] == [(0, 24), (42, 62)]
    lines = "\nHe said the council failed.\nMr Cameron: no"
    assert [m.span("_all") for m in _scan(_fast(_PRE_SHORT, "\n"), lines)] == [(1, 8)]
    # "He said the council failed." fills 1-27, a newline 28, "Mr Cameron:" 29-40
    assert [m.span("_all") for m in _scan(_fast(_LABEL, "\n"), lines)] == [(29, 40)]


def test_fast_scan_agrees_with_finditer_on_random_texts() -> None:
    rng = np.random.default_rng(5)
    words = ["Mr", "Smith", "Doug", "Child", "Support", "Agency", "CSA", "MP", "said", "told", "MPs", "that",
             "According", "according", "to", "the", "council", ":", ",", '"', "\n", "Sir", "John", "O'Neill",
             "Council", "he", "He", "Services", "Service", "warned"]
    cases = [(_PRE, "\n"), (_PRE_SHORT, "\n"), (_LABEL, "\n"), (_ACCORDING, "[aA]"), (_HONORIFIC_NAME, "[A-Z]"),
             (_FULL_NAME, "[A-Z]"), (_ORG_NAME, "[A-Z]"), (_ACRONYM, "[A-Z]")]
    without_first = re.compile(_PRE.pattern.replace(_VERB_FIRST, ""), _PRE.flags)
    assert without_first.pattern != _PRE.pattern
    for _ in range(300):
        text = " ".join(rng.choice(words, size=int(rng.integers(1, 40))))
        for pattern, first in cases:
            subject, shift = ("\n" + text, 1) if first == "\n" else (text, 0)
            got = [(m.start("_all") - shift, m.end("_all") - shift) for m in _scan(_fast(pattern, first), subject)]
            assert got == [m.span() for m in pattern.finditer(text)], (pattern.pattern[:30], text)
        # the verbs' first-letter lookahead of _PRE changes no match
        assert [m.span() for m in _PRE.finditer(text)] == [m.span() for m in without_first.finditer(text)], text


def test_join_turns_newlines_inside_texts_into_spaces_and_gives_each_offset() -> None:
    # by hand: "a b" at 0, "c" at 4, "" at 6, "d " at 7; a NUL inside a text takes the other route, same result
    assert _join(["a\nb", "c", "", "d\n"])[0] == "a b\nc\n\nd "
    assert _join(["a\nb", "c", "", "d\n"])[1].tolist() == [0, 4, 6, 7]
    assert _join(["a\x00\nb", "c"])[0] == "a\x00 b\nc"
    assert _join(["ab", "c"])[0] == "ab\nc" and _join([])[1].tolist() == []


def test_sentence_openings_found_in_the_joined_texts_are_those_of_each_text() -> None:
    texts = ["- the council", "1.", "(a) He failed", "\n He said", "he", "Her\nreport", "", "  * x", "the"]
    # by hand: list items "- the council", "(a) He failed", "  * x" ("1." lacks the space after it);
    # pronoun openings "\n He said", "he", "Her\nreport" (not "(a) He": "(" then "a" is a word first)
    assert _opening(_LIST_ITEM_LINE, *_join(texts)).tolist() == [1, 0, 1, 0, 0, 0, 0, 1, 0]
    assert _opening(_PRONOUN_START_LINE, *_join(texts)).tolist() == [0, 0, 0, 1, 1, 1, 0, 0, 0]
    rng = np.random.default_rng(9)
    parts = ["-", "•", "1.", "(a)", "a)", "12)", "He", "she", "theirs", "it", "x", " ", "\n", "\r", "\u2028", '"', "("]
    for _ in range(300):
        texts = ["".join(rng.choice(parts, size=int(rng.integers(0, 6)))) for _ in range(int(rng.integers(1, 6)))]
        joined = _join(texts)
        assert _opening(_LIST_ITEM_LINE, *joined).tolist() == [bool(_LIST_ITEM.match(t)) for t in texts], texts
        assert _opening(_PRONOUN_START_LINE, *joined).tolist() == [bool(_PRONOUN_START.match(t)) for t in texts], texts


def test_an_irish_surname_with_a_typographic_apostrophe_is_a_name() -> None:
    # "O’Donovan" (U+2019, as newspapers print it) is found like "O'Donovan", on both paths of the scan
    import framing.framerules as fr

    texts = ["Ms O’Donovan was criticised.", "Ms O'Donovan was criticised."]
    for prefilter in (True, False):
        old, fr.PREFILTER = fr.PREFILTER, prefilter
        try:
            spans = person_spans(texts, ["a", "b"])
        finally:
            fr.PREFILTER = old
        persons = spans[spans["kind"] == "person"]
        # by hand: "Ms O’Donovan" is 0-12 and its surname 3-12, in each row
        assert sorted(zip(persons["row"], persons["start"], persons["end"], persons["name"], strict=True)) == [
            (0, 0, 12, "O’Donovan"), (0, 3, 12, "O’Donovan"), (1, 0, 12, "O'Donovan"), (1, 3, 12, "O'Donovan")]


def test_a_possessive_is_no_part_of_a_name() -> None:
    spans = person_spans(["Sir Alex Ferguson's side won.", "Ferguson left."], ["a", "a"])
    persons = spans[spans["kind"] == "person"]
    # by hand: "Sir Alex Ferguson" (0-17), its surname "Ferguson" (9-17); the bare "Ferguson" of row 1 (0-8)
    assert set(persons["name"]) == {"Ferguson"}
    assert sorted(zip(persons["row"], persons["start"], persons["end"], strict=True)) == [(0, 0, 17), (0, 9, 17),
                                                                                           (1, 0, 8)]


def test_the_persons_of_a_document_do_not_depend_on_the_other_documents() -> None:
    # a corpus is scored in partitions (stream, Dask): each document's persons must be those it has alone. Another
    # document's longer name ("Smith-Jones") must not hide this one's ("Jones") where the text holds both
    import framing.framerules as fr

    rng = np.random.default_rng(11)
    names = ["Smith", "Jones", "Smith-Jones", "Neill", "O'Neill", "O’Neill", "Neill-Smith", "Ferguson", "Ferguson's"]
    # a sentence may end in a name with no full stop (a headline): the next one, or the next document, must not
    # become part of it
    frames = ["Mr {} resigned.", "{} was blamed.", "The {} report failed.", "Dr {} and {} met.", "{} said so.",
              "Mr {}", "Later {}-{} spoke", "Ms {} {}"]
    for _ in range(150):
        docs = {}
        for d in range(3):
            sents = []
            for _ in range(int(rng.integers(1, 4))):
                frame = frames[int(rng.integers(len(frames)))]
                sents.append(frame.format(*(names[int(rng.integers(len(names)))] for _ in range(frame.count("{}")))))
            docs[f"d{d}"] = sents
        texts = [t for sents in docs.values() for t in sents]
        ids = [d for d, sents in docs.items() for _ in sents]
        for prefilter in (True, False):
            old, fr.PREFILTER = fr.PREFILTER, prefilter
            try:
                together = person_spans(texts, ids)
                first = 0
                for d, sents in docs.items():
                    alone = person_spans(sents, [d] * len(sents))
                    mine = together[(together["row"] >= first) & (together["row"] < first + len(sents))]
                    got = sorted(zip(mine["row"] - first, mine["start"], mine["end"], mine["kind"], mine["name"],
                                     strict=True))
                    want = sorted(zip(alone["row"], alone["start"], alone["end"], alone["kind"], alone["name"],
                                      strict=True))
                    assert got == want, (docs, d, prefilter)
                    first += len(sents)
            finally:
                fr.PREFILTER = old
