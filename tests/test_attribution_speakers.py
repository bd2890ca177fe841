"""Who speaks in a reporting clause: a name, a pronoun, a role or an organisation; never a date or a fragment.

The sentences are those of a usability trial on climate-change news (the Narrative Frames Corpus) whose blame
table had 22 of 99 named blamers that were determiner-led fragments ("a 2009", "the July", "a false", "that gives").
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from framing.attribution import NoBlameCuesWarning, blame_attribution, reporting_clauses
from framing.attribution._speakers import _grammatical_speaker, _search_according, _search_pre


def _corpus(tmp_path: Path, texts: list[str]):  # type: ignore[no-untyped-def]
    from framing.corpus import load_corpus, process_corpus

    path = tmp_path / "corpus.csv"
    pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "genre": "news", "text": texts}).to_csv(
        path, index=False)
    return process_corpus(load_corpus(path))


@pytest.mark.parametrize(("text", "speaker"), [
    ("It was shoddy scholarship, according to a 2009 analysis by The New York Times.", "The New York Times"),
    ("Gangs grow, according to a December report from the International Crisis Group.", "International Crisis Group"),
    ("He has moved to undo the rules, according to the July 1, 2017 New York Times.", "New York Times"),
    ("Most voters care, according to a 2018 poll.", "a 2018 poll"),
    ("Most voters care, according to the poll, which has a margin of error.", "the poll"),
    ("Emissions rose, according to the Sierra Club.", "the Sierra Club"),
    ("Emissions rose, according to the report published last week.", "the report"),
    ("Emissions rose, according to the head of the EPA.", "the head of the EPA"),
    ("Emissions rose, according to Ofsted.", "Ofsted"),
])
def test_according_to_names_the_source_not_a_date(text: str, speaker: str) -> None:
    found = _search_according(text, 0)
    assert found is not None and found[0] == speaker
    assert found[3] == "according to"


@pytest.mark.parametrize("text", [
    "Mr. O'Rourke was less clear about whether people in his home state of Texas should be kept from there.",
    "The Oregon state legislative session ends on June 30.",
    "His agency finalized a rule on coal ash that gives states and utilities more flexibility.",
    "Zinke blamed the media, not the authors, for a false claim that he and the White House pushed last week.",
    "President Trump on Monday once again backed off his previous claim that climate change is a hoax.",
    "The 2015 decision allowed the EPA to intervene in states that fail to meet the standards.",
    "The lawsuit was the first by a state seeking to hold oil companies responsible.",
    "Organizers of efforts to curb the crisis across the country say the US is still trying.",
    "Activists at the event said Congress needed to take action.",
    "The motive behind Scott's alleged science denial has received attention.",
    "The order encourages federal and state regulators to speed up reviews.",
])
def test_no_speaker_in_a_fragment(text: str) -> None:
    found = _search_pre(text, 0)
    assert found is None or found[0] in ("he", "He"), found  # a pronoun may speak; no fragment does


@pytest.mark.parametrize(("text", "speaker"), [
    ("The council said the review was wrong.", "The council"),
    ("A spokesman for the council said it failed.", "A spokesman for the council"),
    ("The chair of the committee said that it failed.", "The chair of the committee"),
    ("A number of people said they supported him.", "A number of people"),
    ("The Natural Resources Defense Council told CNN that Pruitt failed.", "The Natural Resources Defense Council"),
    ("The minister's spokesman said that the agency failed.", "The minister's spokesman"),
    ("In Haringey, Ed Balls said the council failed.", "Ed Balls"),
    ("The organizers said their goal was to shut it down.", "The organizers"),
])
def test_speakers_that_stay(text: str, speaker: str) -> None:
    found = _search_pre(text, 0)
    assert found is not None and found[0] == speaker


@pytest.mark.parametrize(("words", "ok"), [
    ("a 2009", False), ("a December", False), ("the July", False), ("a false", False), ("his previous", False),
    ("that gives", False), ("the first by a", False), ("the trade organization representing", False),
    ("the programme investigated", False), ("President Trump's", False),
    ("the minister", True), ("a 2009 analysis", True), ("The NGO", True), ("a federal court", True),
    ("the news", True), ("this analysis", True), ("Ed Balls", True), ("he", True),
])
def test_grammatical_speaker(words: str, ok: bool) -> None:
    assert _grammatical_speaker(words.split()) is ok


def test_blame_table_names_the_analysis_author(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, [
        "The rule failed the public, according to a 2009 analysis by The New York Times.",
        "The government is to blame, according to a December report from the International Crisis Group.",
    ])
    clauses = reporting_clauses(pc)
    assert clauses["speaker"].tolist() == ["The New York Times", "International Crisis Group"]
    text = pc.documents.set_index("doc_id")["text"]
    spans = [text[d][s:e] for d, s, e in zip(clauses["doc_id"], clauses["start"], clauses["end"], strict=True)]
    assert spans == ["according to a 2009 analysis by The New York Times",
                     "according to a December report from the International Crisis Group"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoBlameCuesWarning)
        blame = blame_attribution(pc)
    assert set(blame["blamer"]) <= {"The New York Times", "International Crisis Group"}
    assert ("d1", "International Crisis Group", "government") in set(
        zip(blame["doc_id"], blame["blamer"], blame["target"], strict=True))
