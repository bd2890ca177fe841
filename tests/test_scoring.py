"""Sentence frames, document/group scores, bootstrap intervals, KWIC, driving terms, the vectorizer, the CLI."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from framing import LexiconVectorizer
from framing.cli import main as cli_main
from framing.errors import ParameterError
from framing.lexicon import Entry, Lexicon, entry_kind, save_lexicon
from framing.scoring import (
    bootstrap_shares,
    document_scores,
    frame_table,
    group_scores,
    kwic,
    lexicon_hits,
    top_terms,
)

FRAMES_LEX = Lexicon("f", "1", ("individual", "systemic", "political"), (
    Entry("shoesmith", "individual", "word"),
    Entry("sacked", "individual", "word", weight=2.0),
    Entry("agencies", "systemic", "word"),
    Entry("management", "systemic", "word"),
    Entry("minister*", "political", "prefix"),
))
CUES_LEX = Lexicon("c", "1", ("cue",), (Entry("fail*", "cue", "prefix"), Entry("blame*", "cue", "prefix")))
FRAME_COLUMNS = ["doc_id", "sent_id", "start", "end", "text", "individual", "systemic", "political",
                 "n_individual", "n_systemic", "n_political"]


def corpus_of(docs: dict[str, tuple[str, list[str]]]) -> SimpleNamespace:
    """A minimal processed corpus: each document is its sentences joined by a space."""
    drows, srows = [], []
    for doc_id, (genre, sentences) in docs.items():
        text = " ".join(sentences)
        pos = 0
        for i, s in enumerate(sentences):
            srows.append({"doc_id": doc_id, "sent_id": i, "para_id": 0, "start": pos, "end": pos + len(s), "text": s,
                          "n_tokens": len(s.split())})
            pos += len(s) + 1
        drows.append({"doc_id": doc_id, "genre": genre, "text": text})
    return SimpleNamespace(documents=pd.DataFrame(drows), sentences=pd.DataFrame(srows), name="t")


SMALL = corpus_of({
    "a": ("news", [
        "Shoesmith failed the child.",  # individual + cue
        "The agencies met on Tuesday.",  # systemic term, no cue
        "The minister was sacked.",  # political (no cue) + individual strong (sacked, weight 2)
        "Management is not to blame.",  # systemic + negated cue
    ]),
    "b": ("blog", ["Agencies failed and the minister failed, far from management.", "Nothing here."]),
})


# --- frame_table ------------------------------------------------------------------------------------------------


def test_frame_table_columns_and_cue_sentence_rule() -> None:
    t = frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, rule="cue_sentence", include_negated=False)
    assert list(t.columns) == FRAME_COLUMNS
    assert t[["individual", "systemic", "political"]].to_numpy().tolist() == [
        [1, 0, 0], [0, 0, 0], [1, 0, 0], [0, 0, 0], [0, 1, 1], [0, 0, 0]]
    assert t[["n_individual", "n_systemic", "n_political"]].to_numpy().tolist() == [
        [1, 0, 0], [0, 1, 0], [1, 0, 1], [0, 1, 0], [0, 2, 1], [0, 0, 0]]
    assert t["text"].iloc[0] == "Shoesmith failed the child."


def test_coder_rule_is_the_default() -> None:
    t = frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX)
    assert list(t.columns) == FRAME_COLUMNS
    # 2: the agencies follow a blame sentence of the same paragraph: its signal carries over;
    # 3: 'sacked' (weight 2) is a blame signal for the whole sentence, so the minister is a political locus;
    # 4: the negated cue counts (a denial still locates the blame under discussion)
    assert t[["individual", "systemic", "political"]].to_numpy().tolist() == [
        [1, 0, 0], [0, 1, 0], [1, 0, 1], [0, 1, 0], [0, 1, 1], [0, 0, 0]]


def _coder(sentences: list[str], **kw: bool) -> list[list[int]]:
    t = frame_table(corpus_of({"d": ("news", sentences)}), FRAMES_LEX, cues=CUES_LEX, **kw)
    return t[["individual", "systemic", "political"]].to_numpy().tolist()


def test_coder_rule_persons() -> None:
    # no lexicon entry names Ms Smith: honorific + name is an individual locus
    assert _coder(["Ms Smith failed the children."]) == [[1, 0, 0]]
    assert _coder(["Ms Smith failed the children."], persons=False) == [[0, 0, 0]]
    # a full name is a person when its surname is used with an honorific in the document
    assert _coder(["Mr Jones spoke.", "Alan Jones failed the children."])[1] == [1, 0, 0]


def test_coder_rule_politicians_are_persons_too() -> None:
    # introduced by a political role, a person is a political locus in every mention, and an individual one
    # as well (a minister judged for his own conduct); once held responsible (fault language), his later
    # mentions carry on the discussion of his responsibility
    fault = Lexicon("c", "1", ("fault",), (Entry("fail*", "fault", "prefix"),))

    def labels(sentences: list[str], **kw: bool) -> list[list[int]]:  # one paragraph per sentence
        table = corpus_of({"d": ("news", sentences)}).sentences.assign(para_id=lambda t: t["sent_id"])
        t = frame_table(table, FRAMES_LEX, cues=fault, **kw)
        return t[["individual", "systemic", "political"]].to_numpy().tolist()

    story = ["Minister Alan Hope failed the children.", "Later that year Mr Hope was knighted."]
    assert labels(story) == [[1, 0, 1], [1, 0, 0]]
    assert labels(story, persons=False) == [[0, 0, 1], [0, 0, 0]]
    # not held responsible: a politician is no locus of anything, and is not followed
    assert labels(["Minister Alan Hope opened a school.", "Later that year Mr Hope was knighted."]) == [
        [0, 0, 0], [0, 0, 0]]


def test_coder_rule_a_case_file_decides_for_the_names_it_lists() -> None:
    # the persons rule finds "Mr Balls" (honorific + name): an individual locus ...
    sentences = ["Mr Balls failed the children."]
    assert _coder(sentences) == [[1, 0, 0]]
    # ... unless an entry places the name in another frame: then that frame only
    case = Lexicon("case", "1", ("individual", "systemic", "political"), (Entry("balls", "political", "word"),))
    t = frame_table(corpus_of({"d": ("news", sentences)}), FRAMES_LEX, cues=CUES_LEX, case=case)
    assert t[["individual", "systemic", "political"]].to_numpy().tolist() == [[0, 0, 1]]
    # a name the case file places in the individual frame stays individual
    case = Lexicon("case", "1", ("individual", "systemic", "political"), (Entry("balls", "individual", "word"),))
    t = frame_table(corpus_of({"d": ("news", sentences)}), FRAMES_LEX, cues=CUES_LEX, case=case)
    assert t[["individual", "systemic", "political"]].to_numpy().tolist() == [[1, 0, 0]]


def test_coder_rule_voice() -> None:
    quoted = ['The minister said: "The agencies failed."']
    assert _coder(quoted) == [[0, 1, 0]]  # the speaker is voice, not a locus
    assert _coder(quoted, voice=False) == [[0, 1, 1]]
    closing = ['"The agencies failed," the minister said.']
    assert _coder(closing) == [[0, 1, 0]]


def test_coder_rule_reporting_clauses_are_the_main_clause_speakers_only() -> None:
    # a noun phrase opening the sentence before a speech verb is voice, like "He said the ..."
    assert _coder(["The minister said the agencies failed."]) == [[0, 1, 0]]
    assert _coder(["The minister said the agencies failed."], voice=False) == [[0, 1, 1]]
    # a reporting verb inside a subordinate clause makes no clause of the sentence's opening: Shoesmith resigned
    # (a locus), the minister found (a locus too: no clause opens the sentence)
    assert _coder(["Shoesmith resigned after the minister found that the agencies failed."]) == [[1, 1, 1]]
    # ... but a subordinate clause or phrase set off by commas leaves the main clause's speaker voice, and
    # "since" here is an adverb
    assert _coder(["In May, when the agencies met, the minister said that management failed."]) == [[0, 1, 0]]
    assert _coder(["The minister, speaking after the trial, said that the agencies failed."]) == [[0, 1, 0]]
    assert _coder(["The minister has since said that the agencies failed."]) == [[0, 1, 0]]
    # a speaker answering for his own conduct (denying, admitting) is the one whose responsibility is discussed
    assert _coder(["The minister denied that the agencies failed."]) == [[0, 1, 1]]
    assert _coder(["The minister admitted that the agencies failed."]) == [[0, 1, 1]]


def test_coder_rule_a_party_speaker_named_by_a_bare_noun_phrase_is_voice_but_no_blame_by_itself() -> None:
    bare = frame_table(corpus_of({"d": ("news", ["A Tory spokesman said there were many candidates."])}))
    assert bare["political"].tolist() == [0]
    named = frame_table(corpus_of({"d": ("news", ["Tory MP Nigel Waterson said there were many candidates."])}))
    assert named["political"].tolist() == [1]


def test_coder_rule_agentless_failure_is_systemic_in_a_document_that_locates_blame() -> None:
    cues = Lexicon("c", "1", ("failure", "fault"),
                   (Entry("lost", "failure", "word"), Entry("fail*", "fault", "prefix")))

    def labels(docs: dict[str, list[str]], **kw: bool) -> list[list[int]]:
        t = frame_table(corpus_of({d: ("news", ss) for d, ss in docs.items()}), FRAMES_LEX, cues=cues, **kw)
        return t[["individual", "systemic", "political"]].to_numpy().tolist()

    # a failure with no locus, in a document blaming the agencies: the process failed (codebook: systemic)
    about = {"a": ["The agencies failed the child.", "Records were lost."]}
    assert labels(about) == [[0, 1, 0], [0, 1, 0]]
    assert labels(about, agentless=False) == [[0, 1, 0], [0, 0, 0]]
    # the same sentence in a document that locates no blame anywhere (a match report) is no frame
    assert labels({"b": ["United lost the match.", "The crowd went home."]}) == [[0, 0, 0], [0, 0, 0]]
    # and whether a document locates blame is read document by document
    assert labels({**about, "b": ["United lost the match."]})[2] == [0, 0, 0]


def test_coder_rule_context() -> None:
    lead_in = ["Its failings were many:", "- weak management;"]
    assert _coder(lead_in)[1] == [0, 1, 0]  # the list item inherits the lead-in's blame signal
    assert _coder(lead_in, context=False)[1] == [0, 0, 0]
    follow = ["Shoesmith failed the child.", "She was in charge."]
    assert _coder(follow)[1] == [1, 0, 0]  # a pronoun follow-up inherits locus and signal
    assert _coder(follow, context=False)[1] == [0, 0, 0]


def test_coder_rule_blame_talk_carries_to_the_next_sentence_of_the_paragraph_only() -> None:
    sentences = pd.DataFrame({
        "doc_id": "d", "sent_id": [0, 1, 2, 3], "para_id": [0, 0, 1, 1], "start": 0, "end": 0,
        "text": ["Shoesmith failed the child.", "The agencies met on Tuesday.",  # paragraph 0
                 "The agencies met again.", "Nothing else happened."],  # paragraph 1: no blame talk
    })
    t = frame_table(sentences, FRAMES_LEX, cues=CUES_LEX)
    # the signal carries to the next sentence of the paragraph, not its loci, and not across paragraphs
    assert t[["individual", "systemic", "political"]].to_numpy().tolist() == [
        [1, 0, 0], [0, 1, 0], [0, 0, 0], [0, 0, 0]]
    off = frame_table(sentences, FRAMES_LEX, cues=CUES_LEX, context=False)
    assert off["systemic"].tolist() == [0, 0, 0, 0]


def test_coder_rule_a_quotation_carries_its_opening_signal_to_its_end_and_no_further() -> None:
    def labels(texts: list[str], paras: list[int]) -> list[int]:  # the systemic column
        table = pd.DataFrame({"doc_id": "d", "sent_id": range(len(texts)), "para_id": paras, "start": 0, "end": 0,
                              "text": texts})
        t = frame_table(table, FRAMES_LEX, cues=CUES_LEX, persons=False, voice=False)
        return t["systemic"].tolist()

    # the signal of "failed" (sentence 0) reaches every sentence inside the quotation, the last one too ...
    inside = ['She said: "It all failed.', "We met on Tuesday.", "The agencies met again.", 'The agencies slept."']
    assert labels(inside, [0, 0, 0, 0]) == [0, 0, 1, 1]
    # ... and no sentence after the closing mark, whether it closes with a straight or a curly mark
    closed = ['She said: "It all failed.', 'We met on Tuesday."', "The agencies met again."]
    assert labels(closed, [0, 0, 0]) == [0, 0, 0]
    curly = ["She said: “It all failed.", "We met on Tuesday.”", "The agencies met again."]
    assert labels(curly, [0, 0, 0]) == [0, 0, 0]
    # a paragraph opening with a mark continues the quotation the previous paragraph left open (news style);
    # a paragraph opening without one does not
    assert labels(['She said: "It all failed.', '"The agencies met again."'], [0, 1]) == [0, 1]
    assert labels(['She said: "It all failed.', "The agencies met again."], [0, 1]) == [0, 0]
    # a mark reopening the quotation inside a paragraph (news style, paragraphs run together) continues it, and
    # closing there ends it: the sentence after it is outside
    reopened = ['She said: "It all failed.', '"The agencies met again."', "The agencies met later."]
    assert labels(reopened, [0, 0, 0]) == [0, 1, 0]
    # British style: curly single marks open and close a quotation too; an apostrophe inside a word does not
    # close it; straight single marks are apostrophes far more often, and open nothing
    single = ["She said: ‘It all failed.", "We met on Tuesday’s call.", "The agencies met again.", "We slept.’",
              "The agencies met later."]
    assert labels(single, [0] * 5) == [0, 0, 1, 0, 0]
    assert labels(["She said: ‘It all failed.", "We met on Tuesday.’", "The agencies met again."], [0] * 3) == [0] * 3
    assert labels(["She said: 'It all failed.", "We met on Tuesday.", "The agencies met again."], [0] * 3) == [0] * 3
    # a quoted phrase closed in its own sentence opens nothing
    assert labels(["It was ‘a failure’ of sorts.", "We met on Tuesday.", "The agencies met again."], [0] * 3) == [0] * 3


def test_coder_rule_reads_sentences_in_document_order_whatever_the_table_order() -> None:
    # the pronoun follow-up (b, 1) inherits from (b, 0) and the list item (a, 1) from the lead-in (a, 0) only
    # when the rule reads each document in order: rows given reversed keep their labels, row for row
    corpus = corpus_of({"a": ("news", ["Its failings were many:", "- weak management;"]),
                        "b": ("news", ["Shoesmith failed the child.", "She was in charge."])})
    ordered = frame_table(corpus, FRAMES_LEX, cues=CUES_LEX)
    assert ordered[["individual", "systemic", "political"]].to_numpy().tolist() == [
        [0, 0, 0], [0, 1, 0], [1, 0, 0], [1, 0, 0]]
    backwards = frame_table(corpus.sentences.iloc[::-1], FRAMES_LEX, cues=CUES_LEX)
    assert backwards[["doc_id", "sent_id"]].to_numpy().tolist() == [["b", 1], ["b", 0], ["a", 1], ["a", 0]]
    assert backwards[["individual", "systemic", "political"]].to_numpy().tolist() == [
        [1, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 0]]


def test_coder_rule_questions() -> None:
    assert _coder(["Why did the agencies not act?"]) == [[0, 1, 0]]
    assert _coder(["Why did the agencies not act?"], questions=False) == [[0, 0, 0]]


def test_coder_rule_a_question_to_its_addressee_alone_is_no_blame_talk() -> None:
    # parliamentary forms of address are political loci, but nearly every question in a debate names its
    # addressee: only a locus other than the addressee (or a person found by the rule) makes a question blame talk
    address = Lexicon("f", "1", ("individual", "systemic", "political"), (
        Entry("hon", "political", "word", rationale="codebook political: forms of address to elected members"),
        Entry("agencies", "systemic", "word"), Entry("minister", "political", "word")))

    def labels(sentence: str) -> list[int]:
        t = frame_table(corpus_of({"d": ("news", [sentence])}), address, cues=CUES_LEX)
        return t[["individual", "systemic", "political"]].to_numpy().tolist()[0]

    assert labels("May I thank my hon. Friend for that question?") == [0, 0, 0]
    assert labels("Will my hon. Friend ask why the agencies did not act?") == [0, 1, 1]
    assert labels("Where was the minister?") == [0, 0, 1]
    assert labels("My hon. Friend has failed the children.") == [0, 0, 1]  # with a cue the addressee is a locus
    # Hansard glosses the member addressed with a name in brackets: no blame talk either, unless named otherwise
    assert labels("Will the hon. Member for Tottenham (Mr Lammy) give way?") == [0, 0, 0]
    assert labels("Will Mr Lammy give way?") == [1, 0, 0]


def test_coder_rule_a_title_of_address_is_no_person() -> None:
    # "Mr Speaker", "Mr Deputy Speaker", "Mr President" address an office in a debate; "Mr Smith" names a person
    assert _coder(["Mr Speaker, the agencies failed the children."]) == [[0, 1, 0]]
    assert _coder(["Mr Deputy Speaker, Mr Smith failed the children."]) == [[1, 0, 0]]
    assert _coder(["Mr President, the agencies failed."]) == [[0, 1, 0]]
    # a sentence ending with the title (no full stop) does not make the next sentence's first word a person
    assert _coder(["I am grateful, Mr Deputy Speaker", "Agencies failed the children."])[1] == [0, 1, 0]


def test_shipped_lexicons_read_negligence_idioms_and_removal_from_post() -> None:
    # case-independent cues of personal conduct (negligence named by its idioms) and of sanctions
    sentences = ["The minister was asleep at the wheel.", "Senior managers turned a blind eye to the warnings.",
                 "Ministers passed the buck to the council.", "The director was removed from post.",
                 "The minister was at the wheel of his car.", "Staff described a target culture and a culture of fear."]
    t = frame_table(corpus_of({f"d{i}": ("news", [s]) for i, s in enumerate(sentences)}))
    got = t.sort_values("doc_id")[["individual", "systemic", "political"]].to_numpy().tolist()
    assert got[0][2] == 1 and got[1][1] == 1 and got[2][2] == 1 and got[3][0] == 1
    assert got[4] == [0, 0, 0]
    assert got[5] == [0, 1, 0]  # organisational culture named as such carries the systemic attribution
    # partisan blame named as such stays partisan when it carries the attribution on its own: inside a reporting
    # clause it is still a locus (and a signal), like a party speaking
    sentence = "Those playing politics with the issue said that it had changed."
    clause = frame_table(corpus_of({"d": ("news", [sentence])}))
    assert clause[["individual", "systemic", "political"]].to_numpy().tolist() == [[0, 0, 1]]



def test_shipped_lexicons_read_condemnation_quality_and_office_abuse() -> None:
    # 2.5: condemnation adjectives and outcry, quality judged inadequate in set phrases, abuse of one's office,
    # failure named by its symptoms; written to exercise the entries, each sentence with one new entry as its
    # only cue (the loci are the shipped ones: ministers, the council, the Conservatives, the agency)
    cases = {
        "The Conservatives called the minister irresponsible.": [0, 0, 1],
        "The council's response was not good enough.": [0, 1, 0],
        "The agency fell short of what families expected.": [0, 1, 0],
        "There was a public outcry over the council's handling of the case.": [0, 1, 0],
        "The Conservatives derided the government's record.": [0, 0, 1],
        "Overcrowding was blamed for the riot.": [0, 1, 0],  # a resource locus
        "The prison was overcrowded.": [0, 0, 0],  # a locus with no blame signal
        "The agency's new computer system suffered repeated glitches.": [0, 1, 0],
        "The minister was accused of abuse of office.": [1, 0, 1],
        "The council was sharply criticised.": [0, 1, 0],  # an old cue, for comparison
        "The council's report was published on Monday.": [0, 0, 0],  # a neutral mention stays unlabelled
    }
    t = frame_table(corpus_of({f"d{i:02d}": ("news", [s]) for i, s in enumerate(cases)}))
    got = t.sort_values("doc_id")[["individual", "systemic", "political"]].to_numpy().tolist()
    assert dict(zip(cases, got, strict=True)) == cases

def test_frame_table_rules() -> None:
    any_rule = frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, rule="any")
    assert any_rule[["individual", "systemic", "political"]].to_numpy().tolist() == [
        [1, 0, 0], [0, 1, 0], [1, 0, 1], [0, 1, 0], [0, 1, 1], [0, 0, 0]]
    negated = frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, rule="cue_sentence", include_negated=True)
    assert negated.loc[3, "systemic"] == 1  # 'not to blame' counts when negated cues are included
    plain = frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, rule="cue_sentence", include_negated=False)
    assert plain.loc[3, "systemic"] == 0
    no_strong = frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, rule="cue_sentence", strong_weight=float("inf"))
    assert no_strong.loc[2, "individual"] == 0
    # cue_window: 'management' is 7 words after the nearest cue 'failed' in the blog sentence
    w2 = frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, rule="cue_window", window=2)
    assert w2.loc[4, ["systemic", "political"]].tolist() == [1, 1]
    w0 = frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, rule="cue_window", window=0)
    assert w0.loc[4, ["systemic", "political"]].tolist() == [0, 0]
    sents = corpus_of({"x": ("news", ["Agencies failed and the minister failed, management too."])})
    far = frame_table(sents, FRAMES_LEX, cues=CUES_LEX, rule="cue_window", window=1)
    assert far.loc[0, "n_systemic"] == 2 and far.loc[0, "systemic"] == 1  # 'agencies' is next to 'failed'


def test_frame_table_bad_parameters() -> None:
    with pytest.raises(ParameterError, match="rule must be one of"):
        frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, rule="vibes")
    with pytest.raises(ParameterError, match="window"):
        frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, rule="cue_window", window=-1)
    with pytest.raises(ParameterError, match="needs a cue lexicon"):
        frame_table(SMALL, FRAMES_LEX, cues=None)
    for bad in (-3, 0, float("nan"), "2", True):
        with pytest.raises(ParameterError, match="strong_weight must be a positive number"):
            frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, strong_weight=bad)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="ProcessedCorpus or a sentences DataFrame"):
        frame_table("data/raw", FRAMES_LEX)
    # a rule switch given as text ("false" is truthy) would silently mean True: refused, naming the switch
    for switch in ("include_negated", "persons", "voice", "context", "questions", "agentless"):
        for bad in ("false", 0, None):
            with pytest.raises(ParameterError, match=rf"{switch} must be True or False, got {bad!r}"):
                frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, **{switch: bad})


def test_instrument_signature_of_a_blank_case_is_no_case() -> None:
    from framing.scoring import instrument_signature

    assert instrument_signature("blame_frames", None, "").endswith("; case none")
    assert instrument_signature("blame_frames", None, "") == instrument_signature("blame_frames", None, None)


def test_frame_table_empty_case_is_no_case() -> None:
    # "" means no case file in the notebooks' case parameter and on the command line: the API reads it so too
    none = frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, case=None)
    pd.testing.assert_frame_equal(frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, case=""), none)
    pd.testing.assert_frame_equal(frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, case="  "), none)
    assert frame_table(SMALL.sentences, FRAMES_LEX, cues=None, rule="any").shape == (6, 11)


# --- scores --------------------------------------------------------------------------------------------------


def test_document_and_group_scores_by_hand() -> None:
    t = frame_table(SMALL, FRAMES_LEX, cues=CUES_LEX, rule="cue_sentence", include_negated=False)
    d = document_scores(t, SMALL)
    row = d[(d.doc_id == "a") & (d.frame == "systemic")].iloc[0]
    # doc a: 4 sentences, 4+5+4+5 = 18 tokens, 2 systemic hits, 0 systemic sentences
    assert (row.n_sentences, row.n_tokens, row.n_hits, row.n_frame_sentences) == (4, 18, 2, 0)
    assert row.rate_per_1000 == pytest.approx(1000 * 2 / 18)
    ind = d[(d.doc_id == "a") & (d.frame == "individual")].iloc[0]
    assert ind.share == pytest.approx(0.5)
    assert list(d.columns) == ["doc_id", "genre", "frame", "n_sentences", "n_tokens", "n_hits", "rate_per_1000",
                               "n_frame_sentences", "share"]
    g = group_scores(t, SMALL)
    blog = g[(g.genre == "blog") & (g.frame == "political")].iloc[0]
    assert (blog.n_docs, blog.n_sentences, blog.n_frame_sentences) == (1, 2, 1)
    # blog: 9 + 2 = 11 tokens, 1 political hit
    assert blog.share == pytest.approx(0.5) and blog.rate_per_1000 == pytest.approx(1000 / 11)


def test_bootstrap_shares_withholds_intervals_below_min_docs() -> None:
    """The rule of notebook 05 in notebook 02: no interval for a genre of fewer than min_docs documents."""
    docs = {f"d{i}": ("news", ["Shoesmith failed."] * i + ["Nothing."] * (5 - i)) for i in range(1, 5)}
    docs.update({f"b{i}": ("blog", ["Shoesmith failed.", "Nothing."]) for i in range(2)})
    c = corpus_of(docs)
    t = frame_table(c, FRAMES_LEX, cues=CUES_LEX)
    every = bootstrap_shares(t, c, n_boot=300, random_state=1, min_docs=1)
    b = bootstrap_shares(t, c, n_boot=300, random_state=1, min_docs=3)
    blog = b[b.genre == "blog"]
    assert blog["lo"].isna().all() and blog["hi"].isna().all() and (blog["method"] == "descriptive").all()
    # its share stays: 2 of 4 sentences carry the individual frame
    assert blog.set_index("frame").loc["individual", "share"] == pytest.approx(0.5)
    # news has 4 >= 3 documents: the same interval as without the rule (the blog's draws are made all the same)
    cols = ["genre", "frame", "share", "lo", "hi", "method"]
    pd.testing.assert_frame_equal(b[b.genre == "news"][cols], every[every.genre == "news"][cols])
    assert b[b.genre == "news"]["lo"].notna().all()
    with pytest.raises(ParameterError, match="min_docs"):
        bootstrap_shares(t, c, min_docs=0)


def test_bootstrap_shares_default_min_docs_is_the_notebooks() -> None:
    """The notebooks' default, 10 documents: a genre of 4 documents gets no interval unless asked for."""
    docs = {f"d{i}": ("news", ["Shoesmith failed.", "Nothing."]) for i in range(4)}
    c = corpus_of(docs)
    t = frame_table(c, FRAMES_LEX, cues=CUES_LEX)
    b = bootstrap_shares(t, c, n_boot=50, random_state=1)
    assert b["lo"].isna().all() and (b["method"] == "descriptive").all()
    assert bootstrap_shares(t, c, n_boot=50, random_state=1, min_docs=4)["lo"].notna().all()


def test_documents_without_a_group_value_form_the_missing_group_in_both_functions() -> None:
    docs = {"a": ("news", ["Shoesmith failed.", "Nothing."]), "b": ("news", ["Nothing.", "Nothing.", "Nothing."]),
            "c": ("news", ["Shoesmith failed."])}
    c = corpus_of(docs)
    c.documents["year"] = ["2008", None, "  "]  # b null, c blank: both missing
    t = frame_table(c, FRAMES_LEX, cues=CUES_LEX)
    with pytest.warns(UserWarning, match=r"corpus t: 2 document\(s\) without a value in column 'year', counted in "
                                         r"the group '\(missing\)': b, c"):
        g = group_scores(t, c, by="year")
    ind = g[g.frame == "individual"].set_index("year")
    # by hand: 2008 is a (2 sentences, 1 individual); (missing) is b + c (3 + 1 = 4 sentences, 1 individual)
    assert ind.loc["2008", ["n_docs", "n_sentences", "n_frame_sentences"]].tolist() == [1, 2, 1]
    assert ind.loc["(missing)", ["n_docs", "n_sentences", "n_frame_sentences"]].tolist() == [2, 4, 1]
    assert g.groupby("frame")["n_sentences"].sum().tolist() == [6, 6, 6]  # every sentence of the corpus
    with pytest.warns(UserWarning, match=r"2 document\(s\) without a value in column 'year'"):
        b = bootstrap_shares(t, c, by="year", n_boot=20, random_state=1, min_docs=1)
    bi = b[b.frame == "individual"].set_index("year")
    assert bi.loc["(missing)", ["n_docs", "n_sentences"]].tolist() == [2, 4]
    assert bi.loc["(missing)", "share"] == pytest.approx(1 / 4)


def test_a_numeric_grouping_column_gives_the_same_text_keys_in_both_functions() -> None:
    """A year column with a gap is read as floats: both tables group by "2004", as the corpus wrote it."""
    docs = {"a": ("news", ["Shoesmith failed."]), "b": ("news", ["Nothing."]), "c": ("news", ["Nothing."]),
            "d": ("news", ["Shoesmith failed.", "Nothing."])}
    c = corpus_of(docs)
    c.documents["year"] = [2004.0, 2005.0, float("nan"), 0.5]
    t = frame_table(c, FRAMES_LEX, cues=CUES_LEX)
    with pytest.warns(UserWarning, match="without a value in column 'year'"):
        g = group_scores(t, c, by="year")
    with pytest.warns(UserWarning, match="without a value in column 'year'"):
        b = bootstrap_shares(t, c, by="year", n_boot=5, random_state=1, min_docs=1)
    # 0.5 makes the column not whole numbers: every value is then its shortest float text
    assert sorted(set(g["year"])) == sorted(set(b["year"])) == ["(missing)", "0.5", "2004.0", "2005.0"]
    c.documents["year"] = [2004.0, 2005.0, float("nan"), 2004.0]
    with pytest.warns(UserWarning, match="without a value"):
        g = group_scores(t, c, by="year")
    with pytest.warns(UserWarning, match="without a value"):
        b = bootstrap_shares(t, c, by="year", n_boot=5, random_state=1, min_docs=1)
    assert sorted(set(g["year"])) == sorted(set(b["year"])) == ["(missing)", "2004", "2005"]
    assert g[(g.year == "2004") & (g.frame == "individual")]["n_docs"].tolist() == [2]


def test_bootstrap_shares() -> None:
    docs = {f"d{i}": ("news", ["Shoesmith failed."] * i + ["Nothing."] * (5 - i)) for i in range(1, 5)}
    docs["m"] = ("minister", ["Shoesmith failed.", "Nothing.", "Nothing.", "Nothing."])
    c = corpus_of(docs)
    t = frame_table(c, FRAMES_LEX, cues=CUES_LEX)
    b = bootstrap_shares(t, c, n_boot=500, random_state=1, min_docs=1)
    news = b[(b.genre == "news") & (b.frame == "individual")].iloc[0]
    assert news.share == pytest.approx(10 / 20)
    assert news.lo < news.share < news.hi and news.n_docs == 4
    assert news.method.startswith("documents within group")
    m = b[(b.genre == "minister") & (b.frame == "individual")].iloc[0]
    assert m.share == pytest.approx(0.25) and m.method == "sentences within document (one document)"
    none = b[b.frame == "political"]
    assert (none.lo == 0).all() and (none.hi == 0).all()
    again = bootstrap_shares(t, c, n_boot=500, random_state=1, min_docs=1)
    pd.testing.assert_frame_equal(b, again)
    per_doc = bootstrap_shares(t, c, by="document", n_boot=200)
    d1 = per_doc[(per_doc.doc_id == "d1") & (per_doc.frame == "individual")].iloc[0]
    assert d1.share == pytest.approx(0.2) and 0 <= d1.lo <= 0.2 <= d1.hi <= 1
    with pytest.raises(ParameterError, match="n_boot"):
        bootstrap_shares(t, c, n_boot=0)
    with pytest.raises(ParameterError, match="by must be"):
        bootstrap_shares(t, c, by="planet")
    with pytest.raises(ParameterError, match="level must be"):
        bootstrap_shares(t, c, level=95)
    for bad in ("a", -1, 1.5, True):
        with pytest.raises(ParameterError, match="random_state must be a non-negative integer"):
            bootstrap_shares(t, c, n_boot=10, random_state=bad)  # type: ignore[arg-type]


# --- evidence --------------------------------------------------------------------------------------------------


def test_kwic_and_top_terms() -> None:
    hits = lexicon_hits(SMALL, FRAMES_LEX)
    k = kwic(hits, SMALL, width=8)
    first = k.iloc[0]
    assert (first.left, first.match, first.right) == ("", "Shoesmith", " failed ")
    minister = k[k.entry == "minister*"].iloc[0]
    # 8 characters each side, less the words the width cuts ("tod|ay", "sac|ked")
    assert (minister.left, minister.match, minister.right) == (". The ", "minister", " was ")
    top = top_terms(hits, n=1)
    assert top.loc[top.category == "systemic", "entry"].tolist() == ["agencies"]
    assert top.loc[top.category == "systemic", "n_hits"].tolist() == [2]
    with pytest.raises(ParameterError, match="width"):
        kwic(hits, SMALL, width=-1)
    # an underscore is a word character: a cut "ministry_of_justice" leaves nothing of it
    joined = corpus_of({"u": ("news", ["The ministry_of_justice failed."])})
    cut = kwic(lexicon_hits(joined, CUES_LEX), joined, width=11)
    assert cut.iloc[0]["left"] == " "
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ParameterError, match="n must be a positive integer"):
            top_terms(hits, n=bad)  # type: ignore[arg-type]


# --- vectorizer ---------------------------------------------------------------------------------------------


def test_vectorizer_contract(tmp_path: Path) -> None:
    texts = ["The minister blamed the council.", "No agencies, no Ofsted.", ""]
    v = LexiconVectorizer()
    X = v.fit_transform(texts)
    assert sp.issparse(X) and X.shape == (3, 3)
    assert list(v.get_feature_names_out()) == ["individual", "systemic", "political"]
    # council; minister; agencies (Ofsted is a name of one case: the case-independent lexicon has none)
    assert X.toarray().tolist() == [[0, 1, 1], [0, 1, 0], [0, 0, 0]]
    neg = LexiconVectorizer(include_negated=False).fit_transform(texts)
    assert neg.toarray()[1].tolist() == [0, 0, 0]
    path = save_lexicon(Lexicon("p", "1", ("x",), (Entry("blame*", "x", entry_kind("blame*")),)), tmp_path / "p.dic")
    assert LexiconVectorizer(lexicon=str(path)).fit_transform(texts).toarray().ravel().tolist() == [1, 0, 0]
    assert clone(v).get_params() == {"lexicon": "blame_frames", "include_negated": True, "weighted": False}
    with pytest.raises(ParameterError):
        LexiconVectorizer(include_negated="yes").fit(texts)  # type: ignore[arg-type]
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        LexiconVectorizer().transform(texts)


def test_vectorizer_in_pipeline() -> None:
    texts = ["the minister failed", "the government and minister", "the social worker", "the paediatrician"] * 3
    y = np.array([1, 1, 0, 0] * 3)
    pipe = Pipeline([("lex", LexiconVectorizer()), ("clf", LogisticRegression())]).fit(texts, y)
    assert pipe.predict(["a minister"]).tolist() == [1]
    assert pipe.predict(["a paediatrician"]).tolist() == [0]


# --- integration on the seed corpus ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds() -> object:
    from framing.corpus import load_corpus, process_corpus

    return process_corpus(load_corpus("data/raw"))


def test_seed_corpus_integration(seeds: object) -> None:
    t = frame_table(seeds)
    sents = seeds.sentences  # type: ignore[attr-defined]
    assert len(t) == len(sents) and list(t.columns) == FRAME_COLUMNS
    assert set(t[["individual", "systemic", "political"]].to_numpy().ravel()) <= {0, 1}
    hits = lexicon_hits(seeds, "blame_frames")
    text_of = dict(zip(seeds.documents["doc_id"], seeds.documents["text"], strict=True))  # type: ignore[attr-defined]
    assert all(text_of[d][s:e] == m for d, s, e, m in zip(hits.doc_id, hits.start, hits.end, hits.matched, strict=True))
    # the case-independent layer has roles, not names: 'social worker' is an individual locus, Shoesmith is not
    sw = hits[hits.matched.str.lower() == "social worker"]
    assert len(sw) >= 1 and set(sw.category) == {"individual"}
    assert not hits.matched.str.lower().str.contains("shoesmith").any()
    # Shoesmith's 'no agency killed the child' is a negated hit
    actors = lexicon_hits(seeds, "actors")
    agency = actors[actors.matched == "agency"]
    assert agency.negated.any()


def test_cli_frames(tmp_path: Path, seeds: object) -> None:
    out = tmp_path / "frames.csv"
    assert cli_main(["frames", "data/raw", "--out", str(out)]) == 0
    got = pd.read_csv(out)
    assert list(got.columns) == FRAME_COLUMNS
    assert len(got) == len(seeds.sentences)  # type: ignore[attr-defined]
    out2 = tmp_path / "again.csv"
    assert cli_main(["frames", "data/raw", "--out", str(out2)]) == 0
    assert out.read_bytes() == out2.read_bytes()


def test_coder_rule_sources_and_demonstratives() -> None:
    # the author of a review is its source, not a locus; the agencies are blamed
    assert _coder(["Lord Laming's review blamed the agencies."]) == [[0, 1, 0]]
    assert _coder(["Lord Laming failed the children."]) == [[1, 0, 0]]  # the same person, not named as a source
    # only a personal pronoun carries the previous sentence's locus into a follow-up
    assert _coder(["Shoesmith failed the child.", "That was in March."])[1] == [0, 0, 0]
    assert _coder(["Shoesmith failed the child.", "She was in charge."])[1] == [1, 0, 0]


def test_coder_rule_transcript_speaker_labels_are_voice() -> None:
    # Hansard-style labels name who speaks, not who is blamed
    assert _coder(["Minister Smith: The agencies failed."]) == [[0, 1, 0]]
    assert _coder(["The Secretary (Ms Smith): The agencies failed."]) == [[0, 1, 0]]
    assert _coder(["Minister Smith: The agencies failed."], voice=False) == [[0, 1, 1]]


def test_coder_rule_a_partisan_speaker_is_partisan_blame() -> None:
    # codebook political: partisan credit or blame. A party's member speaking in a story about a failure blames
    # by speaking; the shipped lexicons name parties, not this speaker
    partisan = ['Tory MP Nigel Waterson said he was "amazed" by the figures.']
    plain = ['The spokesman said he was "amazed" by the figures.']
    run = frame_table(corpus_of({"d": ("news", partisan + plain)}))
    assert run["political"].tolist() == [1, 0]
    off = frame_table(corpus_of({"d": ("news", partisan)}), voice=False)
    assert off["political"].tolist() == [0]  # without the voice part a party name needs a cue like any locus


def test_instrument_signature_names_the_case_by_its_name(tmp_path: Path) -> None:
    from framing.scoring import instrument_signature, lexicon_fingerprint

    path = tmp_path / "prisons_case.yaml"
    path.write_text('case: prisons\nversion: "0.1-draft"\nentries:\n'
                    "  - {pattern: home office, actor: agencies, frame: systemic}\n", encoding="utf-8")
    signature = instrument_signature("blame_frames", None, str(path))
    assert signature.startswith("frames blame_frames ") and "; case prisons 0.1-draft sha256:" in signature
    assert "case_prisons_frames" not in signature
    # the hash is that of the case's frame lexicon: the same instrument as before, only named by the case
    from framing.cases import load_case

    frame_hash = lexicon_fingerprint(load_case(str(path)).frame_lexicon()).split()[-1]
    assert signature.endswith(f"case prisons 0.1-draft {frame_hash}")
    assert instrument_signature("blame_frames", None, None).endswith("; case none")


# --- category names that would be columns of the frames table (usability trial, issue 9/10 follow-up) --------


@pytest.mark.parametrize(
    ("categories", "bad"),
    [
        (("text", "govt"), ["'text' would be an identifier column"]),
        (("doc_id", "govt"), ["'doc_id' would be an identifier column"]),
        (("sent_id",), ["'sent_id'"]), (("para_id",), ["'para_id'"]), (("start",), ["'start'"]), (("end",), ["'end'"]),
        (("n_govt", "govt"), ["'n_govt' would be the n_<category> column of category 'govt'"]),
        (("govt", "n_govt"), ["'n_govt' would be the n_<category> column of category 'govt'"]),
    ],
)
def test_frame_table_refuses_category_names_that_are_its_columns(tmp_path: Path, categories: tuple[str, ...],
                                                                  bad: list[str]) -> None:
    from framing.errors import LexiconError

    lex = Lexicon("clash", "unversioned", categories, tuple(Entry(w, c, "word") for w, c in zip(
        ["minister", "fault", "agencies"], categories, strict=False)))
    path = save_lexicon(lex, tmp_path / "clash.dic")
    for source in (path, lex):
        with pytest.raises(LexiconError) as info:
            frame_table(SMALL, source, rule="any", cues=None)
        message = str(info.value)
        assert message.startswith(f"{path}:" if source is path else "clash:")
        for part in bad:
            assert part in message


def test_frame_table_keeps_harmless_category_names() -> None:
    lex = Lexicon("ok", "1", ("texts", "n", "hits_n", "govt"), (Entry("minister*", "govt", "prefix"),
                                                               Entry("agencies", "n", "word")))
    ft = frame_table(SMALL, lex, rule="any", cues=None)
    assert list(ft.columns) == ["doc_id", "sent_id", "start", "end", "text", "texts", "n", "hits_n", "govt",
                                "n_texts", "n_n", "n_hits_n", "n_govt"]
    assert ft["doc_id"].tolist() == SMALL.sentences["doc_id"].tolist()


def test_cli_frames_refuses_a_clashing_lexicon(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dic = tmp_path / "clash.dic"
    dic.write_text("%\n1\ttext\n2\tgovt\n%\nfault\t1\nminister*\t2\n", encoding="utf-8")
    corpus = tmp_path / "c.csv"
    pd.DataFrame({"doc_id": ["a"], "text": ["The minister was at fault."], "genre": ["news"]}).to_csv(corpus,
                                                                                                    index=False)
    out = tmp_path / "f.csv"
    assert cli_main(["frames", str(corpus), "--lexicon", str(dic), "--rule", "any", "--out", str(out), "-q"]) == 2
    assert f"{dic}: category 'text' would be an identifier column" in capsys.readouterr().err
    assert not out.exists()



def test_lexicon_hits_with_a_case_are_the_hits_the_frame_table_counts() -> None:
    """KWIC evidence and drivers read lexicon_hits: with the case file they list every hit behind n_<frame>."""
    from framing.scoring import lexicon_hits
    from framing.types import FRAMES

    corpus = corpus_of({"a": ("news", ["Ofsted failed and Sharon Shoesmith resigned.", "Haringey was blamed."]),
                        "b": ("news", ["The agencies failed the child."])})
    table = frame_table(corpus, case="baby_p")
    for case in ("baby_p", None):
        hits = lexicon_hits(corpus, case=case)
        counted = hits.groupby("category").size()
        if case is not None:  # with the case: exactly the table's counts, frame by frame
            assert {f: int(counted.get(f, 0)) for f in FRAMES} == {f: int(table[f"n_{f}"].sum()) for f in FRAMES}
        # the case-independent layer alone knows none of the case's names
        names = set(hits["entry"].str.lower())
        assert ("ofsted" in names) is (case is not None) and ("haringey" in names) is (case is not None)
    ordered = lexicon_hits(corpus, case="baby_p")
    assert ordered["doc_id"].tolist() == sorted(ordered["doc_id"].tolist())  # text order: a's hits, then b's


def test_instrument_signature_names_the_actors_lexicon_last_when_given() -> None:
    from framing.lexicon import load_lexicon
    from framing.scoring import instrument_signature

    plain = instrument_signature("blame_frames", "blame_cues", "baby_p")
    with_actors = instrument_signature("blame_frames", "blame_cues", "baby_p", actors="actors")
    assert with_actors.startswith(plain + "; actors actors ") and "actors" not in plain
    assert f"actors actors {load_lexicon('actors').version} " in with_actors
