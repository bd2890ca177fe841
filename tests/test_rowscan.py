"""The prefilter of the coder rule's patterns (framing.rowscan): the same matches as a search of the whole text.

The reference is the plain search (``framerules._scan``: every pattern over the whole joined text, as before
the prefilter); texts are generated from a vocabulary that makes the patterns match across rows (names split
over rows, an honorific's full stop ending a row, a colon or a quotation opening the next row, blank rows),
and the comparison runs with both literal matchers (Hyperscan when installed, pyahocorasick).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import _framerules_patterns as pat
from framing import framerules as fr
from framing.corpus import load_corpus, process_corpus
from framing.match import _matcher as fm_matcher
from framing.paths import project_path
from framing.rowscan import RowText, Trigger, fast_pattern, scan_runs
from framing.scoring import frame_table

MATCHERS = ["aho"] + (["hyperscan"] if fm_matcher._hs is not None else [])


@pytest.fixture(autouse=True, params=MATCHERS)
def matcher(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(fm_matcher, "MATCHER", request.param)
    return str(request.param)


# (pattern, searched behind a newline, core mask, glue, glued mask): as _voice_spans and _person_spans run them
SPECS = [
    (fr._PRE_FAST, True, "pre", "pre", None),
    (fr._PRE_SHORT_FAST, True, "speech", "pre_short", None),
    (fr._POST_FAST, False, "post", "none", None),
    (fr._LABEL_FAST, True, "colon", "label", "honorific_dot"),
    (fr._ACCORDING_FAST, False, "according", "none", None),
    (fr._HONORIFIC_NAME_FAST, False, "honorific", "name", "honorific_dot"),
    (fr._ORG_NAME_FAST, False, "organisation", "organisation", None),
    (fr._ACRONYM_FAST, False, "acronym", "none", None),
    (fr._FULL_NAME_FAST, False, None, "name", None),  # core: every row (the rule narrows it to documents)
]

WORDS = ["Mr", "Mr.", "Dr", "Sir", "Chief Inspector", "John", "Smith", "Mary", "Jones", "O'Neil", "McDonald",
         "Child", "Support", "Agency", "Council", "Haringey", "BBC", "CSA", "NHS", "MPs", "said", "says", "told",
         "MPs", "warned", "added", "that", "according", "to", "According", "ACCORDING", "acc\u0130rding",
         "he", "He", "She", "They", "also", "in", "a", "statement", "yesterday", "on", "behalf", "of",
         "the", "report", "review", "(Ed", "Balls)", "Balls):", "Secretary", ":", ",", ".", "?", "!", '"', "“",
         "”", "'", "’s", "-", "–", "1", "2008", "failed", "blame", "é", "ſaid", "\t"]


@st.composite
def texts(draw: st.DrawFn) -> list[str]:
    rows = draw(st.lists(st.lists(st.sampled_from(WORDS), max_size=9), min_size=1, max_size=14))
    seps = draw(st.lists(st.sampled_from([" ", " ", "  ", ""]), min_size=10, max_size=10))
    out = []
    for i, r in enumerate(rows):
        text = ""
        for j, w in enumerate(r):
            text += (seps[(i + j) % len(seps)] if j else "") + w
        out.append(draw(st.sampled_from(["", " "])) + text + draw(st.sampled_from(["", "", " ", "\n"])))
    return out


def _spans(ms: list[re.Match[str]]) -> list[tuple[int, int]]:
    return [m.span("_all") for m in ms]


def _check_same(rows_texts: list[str]) -> None:
    joined, offsets = fr._join(rows_texts)
    lines = "\n" + joined
    rows = RowText(joined, offsets)
    for fast, anchored, core, glue, glued in SPECS:
        text = lines if anchored else joined
        mask = np.ones(len(offsets), dtype=bool) if core is None else core
        got = _spans(fr._runs_scan(fast, text, rows, mask, glue, glued))
        want = _spans(fr._scan(fast, text))
        assert got == want, (fast.pattern[:60], rows_texts)


@settings(max_examples=150, deadline=None)
@given(texts())
def test_prefiltered_scans_find_what_the_whole_text_search_finds(rows_texts: list[str]) -> None:
    _check_same(rows_texts)


def test_matches_running_over_rows_are_found_as_by_the_whole_text_search() -> None:
    # by hand: a name over two rows ("Mr." ends a row), a label whose colon opens the next row, a clause whose
    # quotation opens the next row, an organisation whose first words end the previous row, a blank row between
    rows = ["He met Mr.", "Smith and", "Child Support", "Agency staff.", "Mr Cameron", ": we failed.",
            "Ed Balls said", "", '"It failed."', "Nothing here.", "according to the review, it failed"]
    _check_same(rows)
    joined, offsets = fr._join(rows)
    rt = RowText(joined, offsets)
    names = [m.group("_all") for m in fr._runs_scan(fr._HONORIFIC_NAME_FAST, joined, rt, "honorific", "name",
                                                     "honorific_dot")]
    assert names == ["Mr.\nSmith", "Mr Cameron"]
    orgs = [m.group("_all") for m in fr._runs_scan(fr._ORG_NAME_FAST, joined, rt, "organisation", "organisation")]
    assert orgs == ["Child Support\nAgency"]


def test_trigger_rows_find_literals_caseless_literals_and_capital_runs() -> None:
    rows = ["no trigger here", "he said so", "ACCORDING TO them", "the NHS", "acc\u0130rding to x", "Nhs"]
    joined, offsets = fr._join(rows)
    verb, according, caps = RowText(joined, offsets).trigger_rows(
        [Trigger(("said",)), Trigger(("according to",), caseless=True),
         Trigger(ascii_run=("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 2))])
    assert verb.tolist() == [False, True, False, False, False, False]
    # row 4: İ folds to i under re.IGNORECASE, so the row may hold a match and is kept
    assert according.tolist() == [False, False, True, False, True, False]
    assert caps.tolist() == [False, False, True, True, False, False]


def test_runs_cover_whole_blocks_and_stop_at_cuts() -> None:
    rows = ["A b.", "c d", "e", "f.", "g"]
    joined, offsets = fr._join(rows)
    rt = RowText(joined, offsets)
    core = np.array([False, False, True, False, False])
    # glue letters: "c d" and "e" end with a letter (no cut after them), "A b." and "f." end with a full stop
    start, stop, _ = rt.runs(core, "abcdefg")
    assert (start.tolist(), stop.tolist()) == ([offsets[1]], [offsets[4]])
    # no glue: every row is its own block
    start, stop, _ = rt.runs(core, "")
    assert (start.tolist(), stop.tolist()) == ([offsets[2]], [offsets[3]])


def test_near_counts_only_rows_holding_more_than_whitespace() -> None:
    rows = ["a", "", "  ", "b", "c", "d"]
    joined, offsets = fr._join(rows)
    mask = np.array([False, False, False, False, False, True])
    near = RowText(joined, offsets).near(mask, 2)
    # rows 3 ("b") and 4 ("c") are within two non-blank rows of row 5; row 0 is three non-blank rows away
    assert near.tolist() == [False, False, False, True, True, True]


def test_spaces_to_row_end_counts_runs_of_spaces_and_tabs() -> None:
    rows = ["he said  it \t", "x"]
    joined, offsets = fr._join(rows)
    rt = RowText(joined, offsets)
    at = np.array([6, 0])  # the byte 'd' of "said", 'h'
    assert rt.spaces_to_row_end(at).tolist() == [2, 3]


def test_scan_runs_drops_a_match_inside_the_previous_one() -> None:
    fast = fast_pattern(re.compile(r"\bab\w*"), "[a]")
    text = "abab ab"
    assert _spans(scan_runs(fast, text, [0], [len(text)], [len(text)])) == [(0, 4), (5, 7)]


@pytest.mark.parametrize("case", [None, "baby_p"])
def test_frame_table_is_the_same_with_and_without_the_prefilter(monkeypatch: pytest.MonkeyPatch,
                                                                   case: str | None) -> None:
    sents = process_corpus(load_corpus(project_path("data/raw"))).sentences
    got = frame_table(sents, case=case)
    monkeypatch.setattr(fr, "PREFILTER", False)
    want = frame_table(sents, case=case)
    pd.testing.assert_frame_equal(got, want)
    assert got[["individual", "systemic", "political"]].to_numpy().sum() > 0


def test_voice_and_person_spans_are_the_same_with_and_without_the_prefilter(monkeypatch: pytest.MonkeyPatch) -> None:
    sents = process_corpus(load_corpus(project_path("data/raw"))).sentences
    texts_, docs = sents["text"].tolist(), sents["doc_id"].tolist()
    got = fr.voice_spans(texts_), fr.person_spans(texts_, docs)
    monkeypatch.setattr(fr, "PREFILTER", False)
    want = fr.voice_spans(texts_), fr.person_spans(texts_, docs)
    for g, w in zip(got, want, strict=True):
        pd.testing.assert_frame_equal(g, w)
    assert len(got[0]) > 0 and len(got[1]) > 0


def test_a_literal_of_several_triggers_counts_for_each() -> None:
    joined, offsets = fr._join(["x", "he said", "she told"])
    first, second = RowText(joined, offsets).trigger_rows([Trigger(("said",)), Trigger(("told", "said"))])
    assert first.tolist() == [False, True, False]
    assert second.tolist() == [False, True, True]


@settings(max_examples=100, deadline=None)
@given(texts(), st.lists(st.integers(0, 2), min_size=14, max_size=14))
def test_person_spans_with_documents_are_the_same_with_and_without_the_prefilter(rows_texts: list[str],
                                                                                 doc_steps: list[int]) -> None:
    # documents of a few rows each; names may run from one document's last row into the next one's first
    docs = [f"d{n}" for n in np.cumsum(doc_steps[:len(rows_texts)]).tolist()]
    joined, offsets = fr._join(rows_texts)
    got = fr._person_spans(joined, offsets, docs, RowText(joined, offsets))
    want = fr._person_spans(joined, offsets, docs, None)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True))


def test_a_full_name_never_runs_into_the_next_document() -> None:
    # by hand: "John" ends document a's last sentence (where "Mr Smith" is named), "Smith" opens document b: no
    # name spans the two (b names no Smith of its own), on either path of the scan
    rows = ["Mr Smith came.", "He met John", "Smith arrived."]
    docs = ["a", "a", "b"]
    joined, offsets = fr._join(rows)
    got = fr._person_spans(joined, offsets, docs, RowText(joined, offsets))
    want = fr._person_spans(joined, offsets, docs, None)
    pd.testing.assert_frame_equal(got, want)
    assert sorted(zip(got["row"], got["start"], got["end"], strict=True)) == [(0, 0, 8), (0, 3, 8)]


def test_in_ranges_flags_exactly_the_bytes_of_the_set() -> None:
    from framing.rowscan import _in_ranges

    data = np.frombuffer(bytes(range(256)), dtype=np.uint8)
    for chars in ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "a", "ace", "09abcxyz", "\x00\x7f"):
        flagged = "".join(chr(c) for c in np.flatnonzero(_in_ranges(data, chars)))
        assert flagged == "".join(sorted(set(chars)))


def _per_sentence(pattern: re.Pattern[str], rows_texts: list[str]) -> list[tuple[int, int]]:
    """An independent restatement for patterns that stay inside a sentence: ``finditer`` on each sentence alone."""
    spans = []
    at = 0
    for t in rows_texts:
        t = t.replace("\n", " ")  # as the rule joins them: a newline inside a sentence reads as a space
        spans += [(at + m.start(), at + m.end()) for m in pattern.finditer(t)]
        at += len(t) + 1
    return spans


@settings(max_examples=100, deadline=None)
@given(texts())
def test_patterns_inside_a_sentence_match_as_when_each_sentence_is_searched_alone(rows_texts: list[str]) -> None:
    joined, offsets = fr._join(rows_texts)
    rows = RowText(joined, offsets)
    for plain, fast, core, glue in ((pat._POST, fr._POST_FAST, "post", "none"),
                                    (pat._ACCORDING, fr._ACCORDING_FAST, "according", "none"),
                                    (pat._ACRONYM, fr._ACRONYM_FAST, "acronym", "none")):
        got = _spans(fr._runs_scan(fast, joined, rows, core, glue))
        assert got == _per_sentence(plain, rows_texts), (plain.pattern[:40], rows_texts)


def test_closing_clauses_and_acronyms_of_the_seeds_match_each_sentence_searched_alone() -> None:
    sents = process_corpus(load_corpus(project_path("data/raw"))).sentences["text"].tolist()
    joined, offsets = fr._join(sents)
    rows = RowText(joined, offsets)
    post = _spans(fr._runs_scan(fr._POST_FAST, joined, rows, "post", "none"))
    assert post == _per_sentence(pat._POST, sents) and len(post) > 0
    acronyms = _spans(fr._runs_scan(fr._ACRONYM_FAST, joined, rows, "acronym", "none"))
    assert acronyms == _per_sentence(pat._ACRONYM, sents) and len(acronyms) > 0


@pytest.mark.parametrize("texts_", [[], [""], ["", " "], ["\n", "According to Mr. \nSmith, the agency failed."]])
def test_empty_and_blank_sentences_give_the_same_table_with_and_without_the_prefilter(
        monkeypatch: pytest.MonkeyPatch, texts_: list[str]) -> None:
    sents = pd.DataFrame({"doc_id": ["d"] * len(texts_), "sent_id": list(range(len(texts_))),
                          "start": [0] * len(texts_), "end": [0] * len(texts_), "text": texts_})
    got = frame_table(sents)
    monkeypatch.setattr(fr, "PREFILTER", False)
    pd.testing.assert_frame_equal(got, frame_table(sents))
    assert len(got) == len(texts_)


def test_person_spans_take_missing_document_ids_with_and_without_the_prefilter(monkeypatch: pytest.MonkeyPatch) -> None:
    from framing import framerules

    texts = ["Mr Smith failed.", "Later Mr Smith resigned.", "Smith spoke."]
    for ids, rows in (([None, None, None], {0, 1, 2}),  # one document: the bare surname of the third is found
                      ([None, None, float("nan")], {0, 1})):  # the third is another document: no honorific there
        found = []
        for on in (True, False):
            monkeypatch.setattr(framerules, "PREFILTER", on)
            found.append(framerules.person_spans(texts, ids))
        pd.testing.assert_frame_equal(found[0], found[1])
        assert set(found[0]["row"]) == rows


NAME_WORDS = ["Smith", "Smith-Jones", "Jones", "Jones-Brown", "Brown", "O'Neil", "Neil", "D’Arcy", "Arcy", "Smithé",
              "éSmith", "_Smith", "Smith2", "Smiths", "İSmith", "Smith’s", "Ŝmith", "x", " ", "  ", ".", "-", "’", "\t",
              "𝔖Smith", "Smith𝔖", "Jones-", "-Brown"]
NAMES = [["Smith", "Jones", "Smith-Jones", "O'Neil"], ["Jones-Brown", "Brown", "Neil", "D’Arcy", "Arcy"]]


def _bare_reference(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    """The plain regex: the names joined longest first between word boundaries, searched with finditer."""
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(NAME_WORDS), max_size=8).map("".join), max_size=6))
def test_word_matches_are_those_of_the_names_regex(rows_texts: list[str]) -> None:
    joined, offsets = fr._join(rows_texts)
    starts, ends, found = RowText(joined, offsets).word_matches(NAMES)
    got = list(zip(starts.tolist(), ends.tolist(), found, strict=True))
    assert got == _bare_reference(joined, [n for g in NAMES for n in g])


def test_word_matches_by_hand() -> None:
    # a name at the text's end, overlapping names (the longest at a position; none inside a kept one), a name
    # glued to a letter beyond ASCII (no boundary), an empty text
    joined, offsets = fr._join(["Mr Smith-Jones-Brown met Brown", "", "éSmith Smithé O'Neil"])
    starts, ends, found = RowText(joined, offsets).word_matches(NAMES)
    assert found == ["Smith-Jones", "Brown", "Brown", "O'Neil"]
    assert starts.tolist() == [3, 15, 25, 46]
    assert ends.tolist() == [14, 20, 30, 52]
    empty = RowText(*fr._join([""])).word_matches(NAMES)
    assert empty[0].tolist() == [] and empty[2] == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8)), max_size=30))
def test_non_overlapping_keeps_what_finditer_keeps(spans: list[tuple[int, int]]) -> None:
    from framing.rowscan import _non_overlapping

    by_start = sorted({a: a + n for a, n in sorted(spans, key=lambda s: s[1])}.items())  # one span per start
    starts = np.asarray([a for a, _ in by_start], dtype=np.int64)
    ends = np.asarray([b for _, b in by_start], dtype=np.int64)
    want, end = [], -1  # restated: in order, a span is kept when it starts at or after the last kept one's end
    for a, b in by_start:
        want.append(a >= end)
        end = b if a >= end else end
    assert _non_overlapping(starts, ends).tolist() == want


@settings(max_examples=100, deadline=None)
@given(texts(), st.sampled_from(list(fr._GLUE.values())))
def test_rows_ending_with_a_cut_character_are_flagged_from_their_last_byte(rows_texts: list[str], glue: str) -> None:
    from framing.rowscan import _stop_bytes

    joined, offsets = fr._join(rows_texts)
    rows = joined.split("\n")
    # restated: the row's last character is ASCII, not white space and not in the glue
    want = [r != "" and ord(r[-1]) < 128 and not r[-1].isspace() and r[-1] not in glue for r in rows]
    assert _stop_bytes(glue)[RowText(joined, offsets).last_bytes()].tolist() == want


ROW_CHARS = [" ", "\t", "\u2003", "\x1c", "\r", "\x85", "a", "Z", ".", ":", ";", "“", "”", '"', "é",
             "\U0001f600", "\x00"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(ROW_CHARS), max_size=6).map("".join), min_size=1, max_size=8))
def test_row_ends_blank_rows_and_space_runs_from_bytes(rows_texts: list[str]) -> None:
    joined, offsets = fr._join(rows_texts)
    rows = RowText(joined, offsets)
    lines = joined.split("\n")
    # restated over the strings: the last character, rows of white space only, runs of spaces and tabs
    assert rows.ends_with('."“”:;').tolist() == [r[-1:] in ('.', '"', "“", "”", ":", ";") and r != ""
                                                for r in lines]
    assert rows.nonblank_count().tolist() == np.cumsum([r.strip() != "" for r in lines]).tolist()
    data = joined.encode("utf-8")
    runs = [m.start() for m in re.finditer(rb"[ \t]+", data)]
    assert rows.spaces_between(np.asarray([-1]), np.asarray([len(data)])).tolist() == [len(runs)]
    ends = rows.row_end_bytes()
    want = [sum(1 for s in runs if e0 < s < e) for e0, e in zip([-1, *ends[:-1].tolist()], ends.tolist(), strict=True)]
    assert rows.spaces_between(np.asarray([-1, *ends[:-1].tolist()]), ends).tolist() == want


def test_an_opening_clause_running_into_the_next_row_is_found_row_by_row_as_by_finditer() -> None:
    # by hand: "told" then its hearer on the next row: one clause over two rows, and the next row's own clause
    # ("MPs that ..." does not open one) is not tried inside it; the third row opens its own
    rows_texts = ["The minister told", "MPs that it failed.", "The chief executive said: we failed."]
    joined, offsets = fr._join(rows_texts)
    got = [m.group("c") for m in fr._runs_scan(fr._PRE_FAST, "\n" + joined, RowText(joined, offsets), "pre", "pre")]
    assert got == ["The minister told\nMPs", "The chief executive said"]
    assert got == [m.group("c") for m in fr._scan(fr._PRE_FAST, "\n" + joined)]


def test_gc_paused_pauses_the_collector_and_restores_it_as_it_was() -> None:
    import gc

    from framing.rowscan import gc_paused

    @gc_paused
    def state(fail: bool = False) -> bool:
        if fail:
            raise ValueError("boom")
        return gc.isenabled()

    assert gc.isenabled()
    assert state() is False and gc.isenabled()
    with pytest.raises(ValueError, match="boom"):
        state(fail=True)
    assert gc.isenabled()  # restarted after an error too
    gc.disable()
    try:
        assert state() is False and not gc.isenabled()  # left paused when it was paused
    finally:
        gc.enable()
    assert fr.coder_labels.__name__ == "coder_labels" and "coder rule" in (fr.coder_labels.__doc__ or "")


def test_the_coder_rule_scans_in_threads_as_in_the_main_thread() -> None:
    # the prefilter's literal scans share one compiled database per set of literals: a thread other than the main
    # one scans with its own scratch space (two threads with one scratch fail with ScratchInUseError)
    from concurrent.futures import ThreadPoolExecutor

    rows = [f"Mr Smith{i} said: \"The Child Support Agency failed.\" Mrs Jones{i} left." for i in range(60)]
    docs = [f"d{i % 6}" for i in range(60)]
    joined, offsets = fr._join(rows)
    want = fr._person_spans(joined, offsets, docs, RowText(joined, offsets))
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda _: fr._person_spans(joined, offsets, docs, RowText(joined, offsets)), range(16)))
    assert all(g.equals(want) for g in got) and len(want) > 0
