"""Tests for framing.attribution's quotation pairing on press text and speaker coreference (hand-worked texts).

Every expected value below is read off the hand-written text: the quoted spans by the typographic convention
(docs/attribution.md, section 1), the speakers by the rules of section 2.
"""

from __future__ import annotations

import gzip
import json
import warnings
from pathlib import Path

import pandas as pd
import pytest
from conftest import CORPORA
from test_attribution import _corpus, _lex

from framing.attribution import (
    AUTHOR,
    UnclosedQuotationWarning,
    blame_attribution,
    blame_network,
    find_quotations,
    sentence_voice,
)


def _quotes(text: str) -> pd.DataFrame:
    """Quotations of ``text``; any UnclosedQuotationWarning fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnclosedQuotationWarning)
        return find_quotations(text, doc_id="t")


def _quotes_warned(text: str) -> tuple[pd.DataFrame, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        q = find_quotations(text, doc_id="doc9")
    return q, [str(w.message) for w in caught if issubclass(w.category, UnclosedQuotationWarning)]


# --- pairing: BBC/press conventions ------------------------------------------------------------------

# the trial's politics_028: a two-paragraph quotation whose paragraphs were run together (the first part has
# no closing mark, the second opens with one), then a narrative sentence
RUN_TOGETHER = ('Mark Oaten said the loss of memory was worrying. He told BBC News: "I\'m concerned that '
                'officials forgot what happened. "That must be bad for government." The Tories criticised '
                'the Lib Dem stance.')


def test_quotation_running_on_after_a_sentence_end_is_one_voice() -> None:
    q = _quotes(RUN_TOGETHER)  # no "never closes" warning
    assert q["text"].tolist() == ["I'm concerned that officials forgot what happened.",
                                  "That must be bad for government."]
    # the first part has no closing mark: it ends before the next opening mark and runs on in it
    assert q["closed"].tolist() == [False, True]
    assert q["continued"].tolist() == [True, False]
    # "He told" -> the person named in the previous sentence (not the party "Lib Dem", not "BBC News")
    assert q["speaker"].tolist() == ["Mark Oaten", "Mark Oaten"]
    assert q["rule"].tolist() == ["before+pronoun", "continued"]


def test_speaker_after_the_last_part_of_a_run_together_quotation() -> None:
    q = _quotes('"We failed. "We are sorry," Mr Smith said.')
    assert q["text"].tolist() == ["We failed.", "We are sorry,"]
    assert q["speaker"].tolist() == ["Mr Smith", "Mr Smith"]
    assert q["rule"].tolist() == ["continued", "after"]


def test_run_together_quotation_projected_on_sentences(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, [("d1", "news", RUN_TOGETHER)])
    v = sentence_voice(pc)
    # sentences: narrative; "He told ... happened."; "That must be bad ..."; "The Tories criticised ..."
    assert v["voice"].tolist() == ["authorial", "mixed", "quoted", "authorial"]
    assert v["speakers"].tolist() == ["", "Mark Oaten", "Mark Oaten", ""]


def test_run_together_quotation_blamer_is_the_speaker_and_narrative_is_the_author(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, [("d1", "news", RUN_TOGETHER)])
    b = blame_attribution(pc, actors_lexicon=_lex("actors", {"government": ["government"],
                                                             "council_politicians": ["lib dem"]}),
                          cues_lexicon=_lex("blame_cues", {"fault": ["bad", "criticised"]}),
                          frames_lexicon=_lex("blame_frames", {"individual": ["officials"], "systemic": ["system"],
                                                               "political": ["government"]}))
    got = [tuple(r) for r in b[["sent_id", "blamer", "target", "evidence"]].itertuples(index=False)]
    # sentence 2 ("That must be bad for government.") is Mark Oaten's, not the author's; sentence 3 (The Tories
    # criticised the Lib Dem stance.) is the author's, not an unattributed quotation's
    assert got == [(2, "Mark Oaten", "government", "bad"), (3, AUTHOR, "council_politicians", "criticised")]


def test_quotes_inside_a_sentence_and_closing_in_a_later_sentence() -> None:
    text = ('He accused the government of being "pathetic" and of "surrendering" on the issue. '
            '"We failed. We are sorry. We will act," she said.')
    q = _quotes(text)
    assert q["text"].tolist() == ["pathetic", "surrendering", "We failed. We are sorry. We will act,"]
    assert q["kind"].tolist() == ["double"] * 3
    assert q["closed"].all()


def test_a_stray_closing_mark_does_not_flip_the_later_quotes() -> None:
    # '5%"' has no opening mark: by parity it would open a quotation that the opening mark of "no" closes,
    # and "no" would open one that never closes
    q = _quotes('Costs rose by 5%" in the year. Mr Smith said "no" to it and called it "absurd".')
    assert q["text"].tolist() == ["no", "absurd"]


def test_a_stray_opening_mark_is_cut_at_the_next_opening_mark() -> None:
    text = 'The bill had "the feel of a stunt, Mr Jack said: "It is wrong." He called it "nothing".'
    q, warned = _quotes_warned(text)
    # the mark before "the" never closes; the mark before "It" opens a quotation of its own (not after a
    # sentence end): the first is closed before it, with a warning, and the later pairs stay right
    assert q["text"].tolist() == ["the feel of a stunt, Mr Jack said:", "It is wrong.", "nothing"]
    assert q["closed"].tolist() == [False, True, True]
    assert q["continued"].tolist() == [False, False, False]
    assert len(warned) == 1
    assert "document 'doc9'" in warned[0] and "offset 13 (line 1, column 14)" in warned[0]
    assert '...The bill had ["]the feel of a stunt, Mr Jack s...' in warned[0]
    assert "up to the next opening mark (offset 48)" in warned[0]


def test_each_paragraph_starts_afresh() -> None:
    text = ('He said "this one never closes.\n\n'
            'Ms Jones said: "A new paragraph." Then "another".')
    q, warned = _quotes_warned(text)
    assert q["text"].tolist() == ["this one never closes.", "A new paragraph.", "another"]
    assert q["closed"].tolist() == [False, True, True]
    assert q.loc[1, "speaker"] == "Ms Jones"
    assert len(warned) == 1
    assert "offset 8 (line 1, column 9)" in warned[0]
    assert '...He said ["]this one never closes....' in warned[0]  # the excerpt stays on its line


def test_closing_mark_at_the_end_of_a_paragraph_is_not_an_opening() -> None:
    # the trial's report: a closing mark at a paragraph's end read as an opening that "never closes"
    text = 'He said: "It must be bad. "It must be bad for confidence in the system."\nNext.'
    q = _quotes(text)
    assert q["text"].tolist() == ["It must be bad.", "It must be bad for confidence in the system."]
    assert q["end"].tolist()[-1] == text.index("\n")


def test_multi_paragraph_quotation_with_straight_marks() -> None:
    text = 'Mr Brown said: "First paragraph of the speech.\n\n"Second paragraph of it."\n\nThe end.'
    q = _quotes(text)
    assert q["text"].tolist() == ["First paragraph of the speech.", "Second paragraph of it."]
    assert q["continued"].tolist() == [True, False]
    assert q["speaker"].tolist() == ["Mr Brown", "Mr Brown"]


def test_opening_after_a_bracket_or_dash_and_marks_between_non_spaces() -> None:
    # '("' and '—"' open; '",' closes (the comma is outside); '"' between two non-spaces goes by parity
    q = _quotes('The plan ("a sham") failed \u2014"a disgrace", she said, and "x"y"z" too.')
    assert q["text"].tolist() == ["a sham", "a disgrace", "x", "z"]


# --- speaker coreference -----------------------------------------------------------------------------

DAVIS = ('Tory spokesman David Davis told MPs the UK was losing its veto. '
         'Mr Blunkett said the UK would keep its powers.\n'
         '"The government is employing the politics of confusion," argued Mr Davis. '
         '"It failed," said Davis.')


def test_title_and_surname_resolve_to_the_full_name_seen_first() -> None:
    q = _quotes(DAVIS)
    assert q["speaker_mention"].tolist() == ["Mr Davis", "Davis"]
    assert q["speaker"].tolist() == ["David Davis", "David Davis"]


def test_surname_before_the_full_name_or_shared_by_two_people_is_kept() -> None:
    before = _quotes('"It failed," said Mr Davis. Later David Davis left.')
    assert before.loc[0, "speaker"] == "Mr Davis"  # the full name comes after the mention
    two = _quotes('David Davis and Tom Davis met. "It failed," said Mr Davis.')
    assert two.loc[0, "speaker"] == "Mr Davis"  # two people named Davis: ambiguous
    other = _quotes('David Davis spoke. "It failed," said Tom Davis.')
    assert other.loc[0, "speaker"] == "Tom Davis"  # another first name: another person


def test_full_name_seen_in_the_possessive() -> None:
    q = _quotes('Tony Blair\u2019s government fell. "We tried," said Mr Blair.')
    assert q.loc[0, "speaker"] == "Tony Blair"


def test_full_name_after_a_role_is_found() -> None:
    # "Home Secretary David" is no person; the search goes on from "Secretary" and finds "David Blunkett"
    q = _quotes('Home Secretary David Blunkett spoke. "We act," said Mr Blunkett.')
    assert q.loc[0, "speaker"] == "David Blunkett"


def test_pronoun_speaker_takes_the_full_name() -> None:
    q = _quotes('David Davis spoke first. Then Mr Davis stood up. He said: "It failed."')
    assert q.loc[0, "speaker"] == "David Davis"  # He -> Mr Davis (nearest person name) -> David Davis


def test_one_node_in_the_blame_network(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, [("d1", "news", DAVIS + " The council failed.")])
    b = blame_attribution(pc, actors_lexicon=_lex("actors", {"government": ["the government"],
                                                             "council": ["council"]}),
                          cues_lexicon=_lex("blame_cues", {"fault": ["failed", "confusion"]}),
                          frames_lexicon=_lex("blame_frames", {"individual": ["shoesmith"],
                                                               "political": ["government"],
                                                               "systemic": ["council"]}))
    got = [tuple(r) for r in b[["sent_id", "blamer", "target"]].itertuples(index=False)]
    # sentence 2 ("The government is employing ... confusion," argued Mr Davis.): David Davis blames the
    # government; sentence 4 (The council failed.): the author blames the council; "It failed," has no actor
    assert got == [(2, "David Davis", "government"), (4, AUTHOR, "council")]
    G = blame_network(b, level="speaker")
    assert sorted(G.nodes) == ["David Davis", AUTHOR, "council", "government"]


# --- the BBC News corpus (../shared/corpora, when present) ------------------------------------------

BBC = CORPORA / "bbc-news-2004-2005.jsonl.gz"


@pytest.mark.corpora
def test_bbc_politics_quotations(tmp_path: Path) -> None:
    if not BBC.is_file():
        pytest.skip(f"{BBC} not present")
    with gzip.open(BBC, "rt", encoding="utf-8") as fh:
        rows = [r for r in map(json.loads, fh) if r["category"] == "politics"][:100]  # politics/001-100
    pc = _corpus(tmp_path, [(r["id"].replace("/", "_"), r["category"], r["text"]) for r in rows])
    from framing.attribution import corpus_quotations

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        q = corpus_quotations(pc)
    messages = [str(w.message) for w in caught if issubclass(w.category, UnclosedQuotationWarning)]
    # every warning names its document and shows the text around the mark, the mark in brackets
    assert all(m.startswith("document 'politics_") and '["]' in m for m in messages)
    assert all(len(m.split('["]')[0].rsplit(": ...", 1)[-1].strip()) > 0 for m in messages)
    # the trial's article (read by hand): two quotations of two parts each, Mark Oaten's, and no warning
    assert not any("'politics_028'" in m for m in messages)
    q28 = q[(q["doc_id"] == "politics_028") & (q["depth"] == 0)]
    assert [t[:22] for t in q28["text"]] == ["I'm extremely concerne", "That must be bad for g",
                                             "There is a strong case", "So we do need to under"]
    assert q28["speaker"].tolist() == ["Mark Oaten"] * 4
    assert q28["continued"].tolist() == [True, False, True, False]
    # top-level double quotations do not overlap, and a closed one starts and ends with a mark
    top = q[(q["depth"] == 0) & (q["kind"] == "double")].sort_values(["doc_id", "start"])
    nxt_start = top.groupby("doc_id")["start"].shift(-1)
    assert bool((nxt_start.isna() | (top["end"] <= nxt_start)).all())
    texts = dict(zip(pc.documents["doc_id"], pc.documents["text"], strict=True))
    closed = top[top["closed"]]
    assert all(texts[d][s] == '"' and texts[d][e - 1] == '"'
               for d, s, e in zip(closed["doc_id"], closed["start"], closed["end"], strict=True))
