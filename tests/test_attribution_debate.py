"""Tests for framing.attribution on parliamentary debate and blog text (the user trial of issue 9's ``framing blame``).

Every expected value is read off the hand-written sentence by the rules of docs/attribution.md: adverbs between a
speaker and the reporting verb (section 2), first-person reporting clauses and Hansard speaker labels (section 5),
the political roles of the ``actors`` lexicon (section 4).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from test_attribution import _corpus

from framing.attribution import NoBlameCuesWarning, blame_attribution, find_quotations, reporting_clauses


def _blame(tmp_path: Path, text: str, **kw: object) -> pd.DataFrame:
    """The blame table of one document (the shipped lexicons)."""
    pc = _corpus(tmp_path, [("d1", "debate", text)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoBlameCuesWarning)
        return blame_attribution(pc, **kw)  # type: ignore[arg-type]


def _rows(tmp_path: Path, text: str) -> list[tuple[int, str, str]]:
    return [(int(r.sent_id), r.blamer, r.target) for r in _blame(tmp_path, text).itertuples(index=False)]


# --- 3. adverbs between the speaker and the reporting verb ------------------------------------------------------


@pytest.mark.parametrize(("text", "speaker"), [
    ("Sir David Nicholson now says that ‘nobody could have known’.", "Sir David Nicholson"),
    ("Sir David Nicholson still says that ‘nobody could have known’.", "Sir David Nicholson"),
    ("The minister last night insisted that “we were right”.", "The minister"),
    ("Ed Balls has also previously said that “the review was clear”.", "Ed Balls"),
    ("Ms Hughes publicly stated: “The council failed.”", "Ms Hughes"),
    ("“The council failed,” Ed Balls bluntly said.", "Ed Balls"),
])
def test_adverbs_of_time_and_manner_before_the_reporting_verb(text: str, speaker: str) -> None:
    q = find_quotations(text, doc_id="t")
    assert q.loc[0, "speaker"] == speaker


def test_adverb_in_a_reporting_clause_without_quotation_marks(tmp_path: Path) -> None:
    # "Ed Balls still says" is the clause: the council is blamed by Ed Balls (reported speech), not by the author
    assert _rows(tmp_path, "Ed Balls still says the council failed the child.") == [(0, "Ed Balls", "council")]


# --- 4. ministers, departments and offices of national government, Members by Hansard's forms of address ----------


@pytest.mark.parametrize("text", [
    "The Justice Secretary failed to act.",
    "The Chancellor failed to act.",
    "The Treasury failed.",
    "Downing Street failed.",
    "The Secretary of State for Work and Pensions failed.",
    "The Defence Secretary failed.",
    "The Northern Ireland Secretary failed.",
    "The Department for Education failed.",
    "The hon. Gentleman failed.",
    "The hon. Lady failed.",
    "My honourable friend failed.",
    "Successive governments failed.",
])
def test_political_roles_are_government_targets(tmp_path: Path, text: str) -> None:
    assert _rows(tmp_path, text) == [(0, "author", "government")]


def test_a_universitys_chancellor_is_no_minister(tmp_path: Path) -> None:
    assert _rows(tmp_path, "The vice-chancellor failed.") == []


def test_a_member_named_in_brackets_is_one_clause_with_the_cue(tmp_path: Path) -> None:
    # "(Mrs May)" is an aside: "hon." and "failed" are in one clause, 7 words apart
    text = "The right hon. Member for Maidenhead (Mrs May) failed to act."
    assert _rows(tmp_path, text) == [(0, "author", "government")]


def test_brackets_separate_their_inside_but_not_the_text_around_them(tmp_path: Path) -> None:
    # the council stands before the aside and the cue after it: one clause; the police inside it: another clause
    assert _rows(tmp_path, "The council (and the police) failed the child.") == [(0, "author", "council")]
    assert _rows(tmp_path, "The council failed the child (unlike the police).") == [(0, "author", "council")]
    # two asides: a mention in one and a cue in the other are in different clauses
    assert _rows(tmp_path, "The story (of the police) ended (it failed).") == []


# --- 1. first-person reporting clauses are the author's ------------------------------------------------------------


@pytest.mark.parametrize(("text", "target"), [
    ("I believe that the council failed.", "council"),
    ("As I said at col. 345, the agency failed.", "agencies"),
    ("We said last year that the council had failed.", "council"),
])
def test_first_person_reporting_clause_is_the_author(tmp_path: Path, text: str, target: str) -> None:
    b = _blame(tmp_path, text)
    assert [(r.blamer, r.target, r.voice) for r in b.itertuples(index=False)] == [("author", target, "authorial")]


# --- 2. Hansard speaker labels: the label's speaker speaks the paragraph -------------------------------------------


def test_label_speaker_is_the_blamer_of_the_paragraph(tmp_path: Path) -> None:
    text = ("The Prime Minister: The council failed the children. The agency failed.\n\n"
            "The police failed.")
    b = _blame(tmp_path, text)
    got = [(int(r.sent_id), r.blamer, r.target, r.blamer_actor, r.voice) for r in b.itertuples(index=False)]
    # the label is voice: the Prime Minister (a minister: government) is no target of his own speech
    assert got == [(0, "The Prime Minister", "council", "government", "quoted"),
                   (1, "The Prime Minister", "agencies", "government", "quoted"),
                   (2, "author", "police", "author", "authorial")]


@pytest.mark.parametrize(("text", "blamer", "target"), [
    ("Mr Smith (Con): The Government failed the children.", "Mr Smith", "government"),
    ("Mr Smith (Con): I said last year that the council had failed.", "Mr Smith", "council"),
    ("The Secretary of State (Ed Balls): The council failed.", "Ed Balls", "council"),
    ("Mr Speaker: Order. The agency failed.", "Mr Speaker", "agencies"),
    # reported speech inside a speech stays the reported speaker's
    ("Mr Smith (Con): The minister said the council failed.", "The minister", "council"),
])
def test_label_speakers(tmp_path: Path, text: str, blamer: str, target: str) -> None:
    assert [(r[1], r[2]) for r in _rows(tmp_path, text)] == [(blamer, target)]


def test_labels_are_reporting_clauses(tmp_path: Path) -> None:
    text = "Mr Smith (Con): The council failed.\n\nThe Secretary of State (Ed Balls): It did."
    c = reporting_clauses(_corpus(tmp_path, [("d1", "debate", text)]))
    got = [(text[r.start:r.end], r.speaker, r.rule) for r in c.itertuples(index=False)]
    assert got == [("Mr Smith (Con):", "Mr Smith", "label"),
                   ("The Secretary of State (Ed Balls):", "Ed Balls", "label")]


def test_a_heading_ending_in_a_colon_is_no_speaker(tmp_path: Path) -> None:
    # blog and news headings open a line with a word and a colon too: no person, office or bracket, no label
    for heading in ("Update", "Analysis", "The Verdict"):
        rows = _rows(tmp_path, f"Intro.\n\n{heading}: The council failed the child.")
        assert rows == [(1, "author", "council")], heading


def test_a_quotation_the_author_gives_as_his_own_is_the_authors(tmp_path: Path) -> None:
    assert _rows(tmp_path, "“The council failed the child,” I said.") == [(0, "author", "council")]
    # ... and in a labelled speech the label's speaker's
    labelled = _rows(tmp_path, "Mr Smith (Con): “The council failed the child,” I said to the Minister.")
    assert [(r[1], r[2]) for r in labelled] == [("Mr Smith", "council")]


def test_a_transcript_speech_runs_over_paragraphs_to_the_next_label(tmp_path: Path) -> None:
    text = ("Mr Smith (Con): The council failed the child.\n\nThe agency failed too.\n\n"
            "Ms Jones (Lab): The police failed.\n\nThe council failed again.")
    assert _rows(tmp_path, text) == [(0, "Mr Smith", "council"), (1, "Mr Smith", "agencies"),
                                     (2, "Ms Jones", "police"), (3, "Ms Jones", "council")]
    # a lone label (a quoted exchange in a blog post): its own paragraph only
    lone = _rows(tmp_path, "Mr Smith (Con): The council failed the child.\n\nThe agency failed too.")
    assert lone == [(0, "Mr Smith", "council"), (1, "author", "agencies")]
