"""Tests for framing.attribution: quotations, speakers, voice, actors, blame, avoidance."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from framing.attribution import (
    AUTHOR,
    UNATTRIBUTED,
    NoBlameCuesWarning,
    UnclosedQuotationWarning,
    actor_frame_matrix,
    actor_mentions,
    avoidance_rates,
    blame_attribution,
    blame_avoidance,
    blame_network,
    corpus_quotations,
    find_quotations,
    quoted_mask,
    reporting_clauses,
    sentence_voice,
    voice_frame_counts,
)
from framing.lexicon import Entry, Lexicon, entry_kind
from framing.plots import plot_blame_network


def _quotes(text: str, **kw: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnclosedQuotationWarning)
        return find_quotations(text, doc_id="t", **kw)  # type: ignore[arg-type]


# --- quotations -------------------------------------------------------------------------------------


def test_straight_double_quotes_and_speaker_before() -> None:
    q = _quotes('Balls said: "We will act now." Then he left.')
    assert q["text"].tolist() == ["We will act now."]
    assert q.loc[0, "speaker"] == "Balls" and q.loc[0, "verb"] == "said" and q.loc[0, "rule"] == "before"
    assert (q.loc[0, "start"], q.loc[0, "end"]) == (12, 30)  # the marks included


def test_curly_quote_speaker_after_with_pronoun() -> None:
    text = "Ed Balls spoke to the press. “I have powers to intervene,” he told journalists."
    q = _quotes(text)
    assert q.loc[0, "text"] == "I have powers to intervene,"
    assert q.loc[0, "speaker_mention"] == "he" and q.loc[0, "verb"] == "told"
    assert q.loc[0, "speaker"] == "Ed Balls"  # the person name of the preceding sentence
    assert q.loc[0, "rule"] == "after+pronoun"
    # the reporting clause runs to the full stop: "he told journalists"
    assert text[q.loc[0, "speaker_start"]:q.loc[0, "clause_end"]] == "he told journalists"


def test_single_quotes_versus_apostrophes() -> None:
    text = ("The inspectors’ report called it ‘a damning verdict’ on children's services; Ball’s aides "
            "didn't comment. He called it 'inadequate' and 'not fit for purpose'.")
    q = _quotes(text)
    assert q["text"].tolist() == ["a damning verdict", "inadequate", "not fit for purpose"]
    assert set(q["kind"]) == {"single"}


def test_unmatched_leading_apostrophe_is_not_a_quote() -> None:
    # a straight ' opening a word with no closing mark in the paragraph is an apostrophe ('tis, 'em)
    q = _quotes("Tell 'em nothing. They're gone.")
    assert q.empty


def test_quotation_spanning_sentences_projected_on_sentences() -> None:
    text = "Jane Collins, chief executive of the trust, said: “It is clear. We have acted.”"
    q = _quotes(text)
    assert len(q) == 1 and q.loc[0, "speaker"] == "Jane Collins"
    assert q.loc[0, "text"] == "It is clear. We have acted."


def test_nested_quotations() -> None:
    text = "“They told me ‘no agency killed the child’ yesterday,” Ms Shoesmith said."
    q = _quotes(text)
    assert q["text"].tolist() == ["They told me ‘no agency killed the child’ yesterday,", "no agency killed the child"]
    assert q["depth"].tolist() == [0, 1]
    assert q.loc[1, "parent"] == 0
    assert q.loc[0, "speaker"] == "Ms Shoesmith"
    assert q.loc[1, "speaker"] == "Ms Shoesmith" and q.loc[1, "rule"] == "nested"


def test_ellipsis_quote_after_lead_in_paragraph() -> None:
    text = ("In their summary judgement, the Inspectors say that there are:\n"
            "“…a number of serious concerns in relation to safeguarding…”\n"
            "They find that:\n"
            "“…the arrangements are inadequate.”")
    q = _quotes(text)
    assert q["text"].str[0].tolist() == ["…", "…"]
    assert q.loc[0, "speaker"] == "the Inspectors" and q.loc[0, "rule"] == "lead-in"
    assert q.loc[1, "speaker_mention"] == "They"
    assert q.loc[1, "speaker"] == "the Inspectors"  # "they" -> the previous attributed speaker


def test_unclosed_quotation_warns_and_falls_back_to_paragraph_end() -> None:
    text = "He said “this never closes. Really.\nNext paragraph here."
    with pytest.warns(UnclosedQuotationWarning,
                      match=r"'doc7'.*offset 8 \(line 1, column 9\).*: \.\.\.He said \[“\]this never closes\. "
                            r"Really\.\.\.\.;"):
        q = find_quotations(text, doc_id="doc7")
    assert len(q) == 1
    assert not q.loc[0, "closed"]
    assert q.loc[0, "end"] == text.index("\n")  # end of the first paragraph
    assert q.loc[0, "text"] == "this never closes. Really."


def test_multi_paragraph_quotation_convention_does_not_warn() -> None:
    text = "Balls said: “First paragraph of the statement.\n“Second paragraph.”"
    q = _quotes(text)  # would raise on a warning
    assert q["continued"].tolist() == [True, False]
    assert q["speaker"].tolist() == ["Balls", "Balls"]  # the second continues the first
    assert q.loc[1, "rule"] == "continued"


def test_she_added_that_and_surname_expansion() -> None:
    text = ("Ed Balls visited. Balls added: “Clearly, such findings raise concerns.”\n"
            "Jane Collins, chief executive of the hospital, said: “More should have been done.” "
            "She added that the review showed “numerous examples” of good work.")
    q = _quotes(text)
    assert q["speaker"].tolist() == ["Ed Balls", "Jane Collins", "Jane Collins"]
    assert q.loc[0, "speaker_mention"] == "Balls"  # expanded to the full name seen earlier
    assert q.loc[2, "speaker_mention"] == "She" and q.loc[2, "verb"] == "added"


def test_continuation_after_the_previous_reporting_clause() -> None:
    q = _quotes('"We act on costs," Mr Eddington said. "For example, we bought six aircraft."')
    assert q["speaker"].tolist() == ["Mr Eddington", "Mr Eddington"]
    assert q["rule"].tolist() == ["after", "continued"]


def test_unattributed_quotation() -> None:
    q = _quotes("The review “misses important opportunities” to learn.")
    assert q.loc[0, "speaker"] is None and q.loc[0, "rule"] == ""


def test_quoted_mask_counts_nested_once() -> None:
    q = pd.DataFrame({"content_start": [2, 4], "content_end": [8, 6]})
    assert quoted_mask(10, q).tolist() == [False, False, True, True, True, True, True, True, False, False]


# --- corpus level -----------------------------------------------------------------------------------


def _corpus(tmp_path: Path, docs: list[tuple[str, str, str]]):  # type: ignore[no-untyped-def]
    from framing.corpus import load_corpus, process_corpus

    path = tmp_path / "corpus.csv"
    pd.DataFrame(docs, columns=["doc_id", "genre", "text"]).to_csv(path, index=False)
    return process_corpus(load_corpus(path))


def _lex(name: str, cats: dict[str, list[str]]) -> Lexicon:
    entries = tuple(Entry(p, c, entry_kind(p)) for c, ps in cats.items() for p in ps)
    return Lexicon(name, "test", tuple(cats), entries)


ACTORS_LEX = _lex("actors", {
    "director": ["shoesmith", "director"],
    "council": ["council"],
    "government": ["ed balls", "balls", "minister"],
    "media": ["journalists"],
})
CUES_LEX = _lex("blame_cues", {"fault": ["failed", "to blame", "inadequate"]})
FRAMES_LEX = _lex("blame_frames", {
    "individual": ["shoesmith"], "systemic": ["council", "procedures"], "political": ["minister"],
})


def test_sentence_voice_share_by_hand(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, [("d1", "news", "Balls said “ab cd” ok. Plain words here.\nHe said “x”.")])
    v = sentence_voice(pc)
    # sentence 0: letters/digits Balls(5) said(4) ab(2) cd(2) ok(2) = 15, quoted ab cd = 4: share 4/15
    assert v.loc[0, "quoted_chars"] == 4
    assert v.loc[0, "quoted_share"] == pytest.approx(4 / 15)
    assert v.loc[0, "voice"] == "mixed" and v.loc[0, "speakers"] == "Balls"
    # "He" has no named antecedent in its own paragraph: the quotation is unattributed
    assert v.loc[2, "speakers"] == UNATTRIBUTED
    assert v.loc[1, "quoted_share"] == 0 and v.loc[1, "voice"] == "authorial" and v.loc[1, "speakers"] == ""


def test_sentence_voice_quote_spanning_sentences(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, [("d1", "news", "Ms Shoesmith said: “We are shocked. No agency killed the child.”")])
    v = sentence_voice(pc)
    assert len(v) == 2
    assert v["speakers"].tolist() == ["Ms Shoesmith", "Ms Shoesmith"]
    assert v.loc[1, "quoted_share"] == 1.0 and v.loc[1, "voice"] == "quoted"
    # sentence 0: Ms(2) Shoesmith(9) said(4) We(2) are(3) shocked(7) = 27 letters, 12 quoted
    assert v.loc[0, "quoted_share"] == pytest.approx(12 / 27)


def test_actor_mentions_pronoun_rule(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, [(
        "d1", "blog",
        "Shoesmith refused to go. She insisted the council was blameless.\nShe was sacked.",
    )])
    a = actor_mentions(pc, lexicon=ACTORS_LEX)
    pron = a[a["via"] == "pronoun"]
    # "She" in the same paragraph as "Shoesmith" (director, capitalised) takes director;
    # "She" in the next paragraph has no antecedent in its paragraph: no mention
    assert pron["matched"].tolist() == ["She"]
    assert pron["actor"].tolist() == ["director"]
    assert pron["antecedent_start"].tolist() == [0]
    assert set(a.loc[a["via"] == "lexicon", "actor"]) == {"director", "council"}


def _blame_corpus(tmp_path: Path):  # type: ignore[no-untyped-def]
    return _corpus(tmp_path, [
        ("d1", "blog", "Shoesmith failed the children. The council was inadequate.\n"
                       "Ed Balls said: “The council failed and Shoesmith is to blame.”\n"
                       "No council failed, the journalists wrote."),
        ("d2", "minister", "We met the council today."),
    ])


def _frames(pc) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    from framing.scoring import frame_table

    return frame_table(pc, FRAMES_LEX, cues=CUES_LEX)


def test_blame_attribution_by_hand(tmp_path: Path) -> None:
    pc = _blame_corpus(tmp_path)
    with pytest.warns(NoBlameCuesWarning, match="'minister'"):
        b = blame_attribution(pc, actors_lexicon=ACTORS_LEX, cues_lexicon=CUES_LEX, frames_lexicon=FRAMES_LEX)
    got = [tuple(r) for r in b[["sent_id", "blamer", "target", "evidence"]].itertuples(index=False)]
    assert got == [
        (0, AUTHOR, "director", "failed"),
        (1, AUTHOR, "council", "inadequate"),
        (2, "Ed Balls", "council", "failed; to blame"),
        (2, "Ed Balls", "director", "failed; to blame"),
        # sentence 3: the cue "failed" is negated (No council failed): no blame; "Ed Balls" in the reporting
        # clause of sentence 2 is the speaker, not a target
    ]
    assert set(b["blamer_actor"]) == {AUTHOR, "government"}
    text = pc.documents.loc[0, "text"]
    row = b.iloc[2]
    assert text[row["start"]:row["end"]] == "Ed Balls said: “The council failed and Shoesmith is to blame.”"
    assert row["voice"] == "quoted"
    # frames of sentence 2 (cue present, council -> systemic, shoesmith -> individual)
    assert row["frame"] == "individual+systemic"
    s, e = map(int, row["evidence_spans"].split(";")[0].split("-"))
    assert text[s:e] == "failed"


def test_blame_in_reported_speech_is_the_speakers(tmp_path: Path) -> None:
    # indirect speech is speech (codebook: who speaks is recorded as voice): its blame is the speaker's
    pc = _corpus(tmp_path, [("d1", "blog", "Ed Balls said the council failed the children.\n"
                                           "According to the minister, Shoesmith failed.\n"
                                           "He said the council failed.\n"
                                           "The council failed, and Ed Balls said nothing.")])
    b = blame_attribution(pc, actors_lexicon=ACTORS_LEX, cues_lexicon=CUES_LEX, frames_lexicon=FRAMES_LEX)
    got = [tuple(r) for r in b[["sent_id", "blamer", "target", "blamer_actor", "voice"]].itertuples(index=False)]
    assert got == [
        (0, "Ed Balls", "council", "government", "reported"),
        (1, "the minister", "director", "government", "reported"),
        # a bare pronoun's referent is not resolved for reported speech: unattributed, not the author
        (2, UNATTRIBUTED, "council", "", "reported"),
        # the cue comes before the clause: the author's (Ed Balls said nothing about it)
        (3, AUTHOR, "council", AUTHOR, "authorial"),
    ]


def test_reported_speech_goes_to_the_nearest_speaker_and_not_to_one_answering_for_itself(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, [("d1", "blog", "Ed Balls said the council failed, while the minister said Shoesmith was "
                                           "to blame.\nThe council denied that Shoesmith failed.")])
    b = blame_attribution(pc, actors_lexicon=ACTORS_LEX, cues_lexicon=CUES_LEX, frames_lexicon=FRAMES_LEX)
    got = [tuple(r) for r in b[["sent_id", "blamer", "target", "voice"]].itertuples(index=False)]
    assert got == [
        (0, "Ed Balls", "council", "reported"),
        (0, "the minister", "director", "reported"),  # the nearest clause before "to blame", not the first one
        # a denial is the council's answer for its own conduct, not blame by the council: the author reports it
        (1, AUTHOR, "director", "authorial"),
    ]
    # a blank case is no case, as on the command line
    pd.testing.assert_frame_equal(
        blame_attribution(pc, actors_lexicon=ACTORS_LEX, cues_lexicon=CUES_LEX, frames_lexicon=FRAMES_LEX, case=""), b)


def test_blame_table_is_empty_but_typed_without_cues(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, [("d1", "news", "The council met."), ("d2", "blog", "Nothing here.")])
    with pytest.warns(NoBlameCuesWarning):
        b = blame_attribution(pc, actors_lexicon=ACTORS_LEX, cues_lexicon=CUES_LEX, frames_lexicon=FRAMES_LEX)
    assert b.empty and list(b.columns[:8]) == ["doc_id", "sent_id", "start", "end", "blamer", "target", "frame",
                                               "evidence"]
    G = blame_network(b)
    assert G.number_of_nodes() == 0
    ax = plot_blame_network(G)
    assert ax.texts[0].get_text() == "no blame sentences with actors"


def test_actor_frame_matrix_and_network(tmp_path: Path) -> None:
    pc = _blame_corpus(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoBlameCuesWarning)
        b = blame_attribution(pc, actors_lexicon=ACTORS_LEX, cues_lexicon=CUES_LEX, frames_lexicon=FRAMES_LEX)
    m = actor_frame_matrix(b, genres=["blog", "minister"]).set_index(["genre", "actor", "frame"])["n_sentences"]
    # director: sentence 0 (individual) and sentence 2 (individual+systemic)
    assert m[("blog", "director", "individual")] == 2
    assert m[("blog", "director", "systemic")] == 1
    # council: sentence 1 (systemic) and 2 (individual+systemic)
    assert m[("blog", "council", "systemic")] == 2
    assert m[("minister", "council", "systemic")] == 0
    assert len(m) == 2 * 13 * 4  # every genre x codebook actor x (3 frames + none)
    G = blame_network(b)
    assert G.edges["author", "director"]["weight"] == 1
    assert G.edges["government", "council"]["weight"] == 1
    assert G.nodes["author"]["role"] == "blamer" and G.nodes["council"]["role"] == "target"
    assert set(blame_network(b, level="speaker").nodes) >= {"Ed Balls"}


def test_blame_avoidance_patterns_and_rates(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, [
        ("d1", "blog", "Mistakes were made. Failings were identified by the inspectors. "
                       "Ms Shoesmith said: “No agency killed the child.”"),
        ("d2", "news", "She had nothing to apologise for. It is understood that she resigned. "
                       "More should have been done. The sky is blue."),
    ])
    a = blame_avoidance(pc)
    got = [tuple(r) for r in a[["doc_id", "type", "matched", "speaker"]].itertuples(index=False)]
    assert got == [
        ("d1", "agentless_passive", "Mistakes were made", AUTHOR),
        # "Failings were identified by the inspectors" has an agent: not agentless
        ("d1", "denial", "No agency killed", "Ms Shoesmith"),
        ("d2", "denial", "nothing to apologise for", AUTHOR),
        ("d2", "hedge", "It is understood", AUTHOR),
        ("d2", "agentless_passive", "should have been done", AUTHOR),
    ]
    r = avoidance_rates(a, pc).set_index(["genre", "type"])
    # news: 4 sentences, 1 with a denial -> 25 per 100 sentences;
    # tokens 6 + 6 + 5 + 4 = 21 -> 1000 * 1 / 21 = 47.619
    assert r.loc[("news", "denial"), "n_sentences"] == 4
    assert r.loc[("news", "denial"), "per_100_sentences"] == pytest.approx(25.0)
    assert r.loc[("news", "denial"), "per_1000_tokens"] == pytest.approx(47.619048)
    # blog: 3 sentences, 1 agentless passive
    assert r.loc[("blog", "agentless_passive"), "per_100_sentences"] == pytest.approx(100 / 3)


def test_voice_frame_counts(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, [("d1", "news", "The council said: “Shoesmith and the minister failed.”")])
    v = voice_frame_counts(pc, lexicon=FRAMES_LEX)
    row = v.iloc[0]
    assert (row["systemic_authorial"], row["systemic_quoted"]) == (1, 0)
    assert (row["individual_authorial"], row["individual_quoted"]) == (0, 1)
    assert (row["political_authorial"], row["political_quoted"]) == (0, 1)


def test_corpus_quotations_on_seeds() -> None:
    root = Path(__file__).resolve().parents[1] / "data" / "raw"
    from framing.corpus import load_corpus, process_corpus

    pc = process_corpus(load_corpus(root))
    q = corpus_quotations(pc)
    by_speaker = q.dropna(subset=["speaker"]).groupby("doc_id")["speaker"].agg(set)
    # hand-checked in the texts: the Inspectors (minister statement), Ms Shoesmith and Ed Balls (blog),
    # Ed Balls and Jane Collins (trade press); the blog names "Sharon Shoesmith" (line 5) before quoting
    # "Ms Shoesmith" (line 7) and no other Shoesmith: one person, under the full name
    assert by_speaker["000_3847d360f0486ec9"] == {"the Inspectors"}
    assert by_speaker["001_e8e8082881e30bfc"] == {"Sharon Shoesmith", "Ed Balls"}
    assert by_speaker["003_6d9a073590bd1138"] == {"Ed Balls", "Jane Collins"}
    assert UNATTRIBUTED not in set(q["speaker"].dropna())


def test_cli_blame_writes_contract_columns(tmp_path: Path) -> None:
    from framing.cli import main

    corpus = tmp_path / "c.csv"
    pd.DataFrame({
        "id": ["a", "b"], "kind": ["news", "blog"],
        "body": ["Ed Balls said: “The council failed the child.”", "A quiet day."],
    }).to_csv(corpus, index=False)
    out = tmp_path / "blame.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(["blame", str(corpus), "--out", str(out), "--id-col", "id", "--text-col", "body",
                     "--genre-col", "kind"])
    assert code == 0
    table = pd.read_csv(out)
    assert list(table.columns) == ["doc_id", "sent_id", "start", "end", "blamer", "target", "frame", "evidence"]
    row = table[(table["blamer"] == "Ed Balls") & (table["target"] == "council")].iloc[0]
    assert (row["doc_id"], row["sent_id"], row["start"]) == ("a", 0, 0)
    assert row["end"] == len("Ed Balls said: “The council failed the child.”")
    assert "fail" in row["evidence"]


# --- issue 9: reporting clauses, targets, case files, more avoidance ------------------------------------


@pytest.mark.parametrize(("text", "speaker", "rule"), [
    # a listed verb before "that ...:" and the quotation
    ("Ed Balls emphasised that the review was clear: “Haringey failed the child.”", "Ed Balls", "before"),
    # any verb-like word before a colon that opens the quotation
    ("Balls thundered: “Haringey failed the child.”", "Balls", "before"),
    # any -ed word after the quotation
    ("“Haringey failed the child,” Balls fumed.", "Balls", "after"),
    # "according to X", after the quotation
    ("“The council failed the child”, according to Ofsted.", "Ofsted", "according"),
    # "according to X", before it
    ("According to Lord Smith the report was “devastating”.", "Lord Smith", "according"),
])
def test_quotations_attributed_whatever_the_verb_and_wherever_the_clause(text: str, speaker: str, rule: str) -> None:
    q = _quotes(text)
    assert q.loc[0, "speaker"] == speaker
    assert q.loc[0, "rule"] == rule


def test_finding_verbs_are_not_speech() -> None:
    # a scare-quoted name followed by "an official document has revealed": no speaker
    q = _quotes("Haringey failed ‘Baby P’, an official document has revealed.")
    assert q.loc[0, "speaker"] is None


def test_reporting_clauses_by_hand(tmp_path: Path) -> None:
    text = ("Ed Balls said Haringey failed the child. According to Ofsted, the council failed. "
            "The council admitted failures. Balls thundered: the council failed. "
            "Jane Roe, the chair, said: “We failed.”")
    pc = _corpus(tmp_path, [("d1", "news", text)])
    c = reporting_clauses(pc)
    got = [(int(r.sent_id), text[r.start:r.end], r.speaker, r.rule) for r in c.itertuples(index=False)]
    assert got == [
        (0, "Ed Balls said", "Ed Balls", "clause"),  # a verb of speech: no "that" needed
        (1, "According to Ofsted", "Ofsted", "according"),
        # sentence 2: "admitted" + object: the council stays a locus, no clause
        (3, "Balls thundered:", "Balls", "clause"),
        (4, "Jane Roe, the chair, said:", "Jane Roe", "quotation"),
    ]


def _target_rows(tmp_path: Path, text: str, **kw: object) -> list[tuple[str, str]]:
    pc = _corpus(tmp_path, [("d1", "news", text)])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoBlameCuesWarning)
        b = blame_attribution(pc, actors_lexicon=ACTORS_LEX, cues_lexicon=CUES_LEX, frames_lexicon=FRAMES_LEX,
                              **kw)  # type: ignore[arg-type]
    return [(r.blamer, r.target) for r in b.itertuples(index=False)]


def test_speaker_in_reporting_clause_is_voice_not_target(tmp_path: Path) -> None:
    # without quotation marks, "Ed Balls said" is voice: only the council is blamed, and by Ed Balls (reported
    # speech is his)
    assert _target_rows(tmp_path, "Ed Balls said the council failed the child.") == [("Ed Balls", "council")]
    assert _target_rows(tmp_path, "According to the minister, the council failed.") == [("the minister", "council")]
    # the clause after the reported words, without quotation marks (the minister is 3 words from the cue)
    assert _target_rows(tmp_path, "The council failed the child, the minister said.") == [
        ("the minister", "council")]
    # the same holds under the old rule (every mention): the clause is excluded there too
    assert _target_rows(tmp_path, "Ed Balls said the council failed the child.", targets="mentioned") == [
        ("Ed Balls", "council")]


def test_targets_are_near_a_cue_in_the_same_clause(tmp_path: Path) -> None:
    far = "The minister spoke at length about many other very different things before the council failed."
    # minister .. failed: 12 words between (spoke at length about many other very different things before
    # the council), more than 8; council .. failed: adjacent
    assert _target_rows(tmp_path, far) == [(AUTHOR, "council")]
    assert _target_rows(tmp_path, far, target_window=11) == [(AUTHOR, "council")]
    assert _target_rows(tmp_path, far, target_window=12) == [(AUTHOR, "council"), (AUTHOR, "government")]
    assert _target_rows(tmp_path, far, targets="mentioned") == [(AUTHOR, "council"), (AUTHOR, "government")]
    # a semicolon separates clauses: the minister is 2 words from the cue but in another clause
    assert _target_rows(tmp_path, "We thank the minister; the council failed.") == [(AUTHOR, "council")]


def test_frame_hit_anchors_a_target(tmp_path: Path) -> None:
    # council .. inadequate: 15 words between; council .. procedures (a systemic frame hit): 2 words
    text = ("The council and its procedures, reviewed over many long months by a team of outside experts, "
            "were inadequate.")
    assert _target_rows(tmp_path, text) == [(AUTHOR, "council")]
    # "practices" is not a frame hit: nothing anchors the council near enough
    assert _target_rows(tmp_path, text.replace("procedures", "practices")) == []


def test_target_parameters_are_validated(tmp_path: Path) -> None:
    from framing.errors import ParameterError

    with pytest.raises(ParameterError, match="targets"):
        _target_rows(tmp_path, "The council failed.", targets="nearby")
    with pytest.raises(ParameterError, match="target_window"):
        _target_rows(tmp_path, "The council failed.", target_window=-1)


def _case_file(tmp_path: Path) -> Path:
    p = tmp_path / "acme.yaml"
    p.write_text("case: acme\nentries:\n"
                 "  - {pattern: acme council, actor: council, frame: systemic}\n"
                 "  - {pattern: jane roe, actor: director, frame: individual}\n", encoding="utf-8")
    return p


def test_case_adds_its_people_to_actor_detection(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, [("d1", "news", "Acme Council failed Jane Roe's team.")])
    without = actor_mentions(pc, lexicon=ACTORS_LEX)
    # without a case only the roles: "Council" (inside "Acme Council") is a council mention, no director
    assert without["actor"].tolist() == ["council"] and without["matched"].tolist() == ["Council"]
    with_case = actor_mentions(pc, lexicon=ACTORS_LEX, case=_case_file(tmp_path))
    assert list(zip(with_case["matched"], with_case["actor"], strict=True)) == [
        ("Acme Council", "council"), ("Jane Roe", "director")]


def test_case_resolves_speakers_and_targets(tmp_path: Path) -> None:
    case = _case_file(tmp_path)
    pc = _corpus(tmp_path, [("d1", "news", "Jane Roe said: “Acme Council failed the child.”")])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoBlameCuesWarning)
        b = blame_attribution(pc, actors_lexicon=ACTORS_LEX, cues_lexicon=CUES_LEX, frames_lexicon=FRAMES_LEX,
                              case=case)
    assert b[["blamer", "target", "blamer_actor", "voice"]].values.tolist() == [
        ["Jane Roe", "council", "director", "quoted"]]
    # the case's frame entries count too: "Acme Council" is systemic (the frame rule itself is scoring's)
    assert "systemic" in b.loc[0, "frame"].split("+")


def test_cli_blame_case_and_targets(tmp_path: Path) -> None:
    from framing.cli import main as cli_main

    src = tmp_path / "c.csv"
    pd.DataFrame([("d1", "news", "Ed Balls said Haringey failed the child.")],
                 columns=["doc_id", "genre", "text"]).to_csv(src, index=False)
    out = tmp_path / "b.csv"
    assert cli_main(["blame", str(src), "--out", str(out)]) == 0
    # without the case "Haringey" and "Ed Balls" are nobody: no target
    assert pd.read_csv(out).empty
    assert cli_main(["blame", str(src), "--out", str(out), "--case", "baby_p"]) == 0
    got = pd.read_csv(out)
    assert list(got.columns) == ["doc_id", "sent_id", "start", "end", "blamer", "target", "frame", "evidence"]
    assert got[["blamer", "target"]].values.tolist() == [["Ed Balls", "council"]]  # reported speech: his
    assert cli_main(["blame", str(src), "--out", str(out), "--case", str(tmp_path / "none.yaml")]) == 2


@pytest.mark.parametrize(("sentence", "pattern"), [
    ("Nobody is to blame for this.", "no-one to blame"),
    ("It was no one's fault.", "no one's fault"),
    ("It is nobody’s fault.", "no one's fault"),
    ("No single person could have seen it all.", "no single person"),
    ("The child was failed.", "agentless failing of the victim (the child was failed / let down)"),
    ("Peter was badly let down.", "agentless failing of the victim (the child was failed / let down)"),
    ("Mistakes were made.", "blame noun + passive, no by-agent"),
])
def test_more_blame_avoidance(tmp_path: Path, sentence: str, pattern: str) -> None:
    pc = _corpus(tmp_path, [("d1", "news", sentence)])
    assert pattern in blame_avoidance(pc)["pattern"].tolist()


@pytest.mark.parametrize("sentence", [
    "Peter was let down by the agencies.",  # a by-agent: the blame is placed
    "The council had failed the child.",  # active voice
    "The council was failed at inspection.",  # a failed inspection, not a victim failed
])
def test_not_agentless_failing(tmp_path: Path, sentence: str) -> None:
    pc = _corpus(tmp_path, [("d1", "news", sentence)])
    a = blame_avoidance(pc)
    assert not a["pattern"].str.startswith("agentless failing").any()


def test_clause_mask_by_hand() -> None:
    import numpy as np

    from framing.attribution import clause_mask

    clauses = pd.DataFrame({"start": [5, 20], "end": [10, 22]})
    starts = np.array([0, 4, 9, 10, 21, 22, 15])
    ends = np.array([5, 6, 12, 12, 25, 30, 20])
    # [0,5) touches 5 only at its end: no; [4,6) and [9,12) overlap [5,10); [10,12) starts at its end: no;
    # [21,25) overlaps [20,22); [22,30) and [15,20) only touch [20,22)
    assert clause_mask(starts, ends, clauses).tolist() == [False, True, True, False, True, False, False]


def test_reporting_clause_after_a_quotation(tmp_path: Path) -> None:
    text = "“The council failed the child,” said Ed Balls. The council agreed."
    pc = _corpus(tmp_path, [("d1", "news", text)])
    c = reporting_clauses(pc)
    # after a quotation the clause runs from the closing mark to the end of the clause (the full stop)
    assert [(text[r.start:r.end], r.speaker, r.rule) for r in c.itertuples(index=False)] == [
        (" said Ed Balls", "Ed Balls", "quotation")]


def test_speaker_actors_and_voice_frames_with_case(tmp_path: Path) -> None:
    from framing.attribution import speaker_actors

    case = _case_file(tmp_path)
    assert speaker_actors(["Jane Roe", "the minister"], lexicon=ACTORS_LEX) == {
        "Jane Roe": None, "the minister": "government"}
    assert speaker_actors(["Jane Roe"], lexicon=ACTORS_LEX, case=case) == {"Jane Roe": "director"}
    pc = _corpus(tmp_path, [("d1", "news", "Jane Roe failed.")])
    without = voice_frame_counts(pc, lexicon=FRAMES_LEX)
    with_case = voice_frame_counts(pc, lexicon=FRAMES_LEX, case=case)
    assert int(without.loc[0, "individual_authorial"]) == 0
    assert int(with_case.loc[0, "individual_authorial"]) == 1  # Jane Roe -> individual in the case file


def test_the_no_blame_cues_warning_names_the_grouping(tmp_path: Path) -> None:
    pc = _blame_corpus(tmp_path)
    with pytest.warns(NoBlameCuesWarning, match=r"^outlet 'minister' has no blame cues"):
        blame_attribution(pc, actors_lexicon=ACTORS_LEX, cues_lexicon=CUES_LEX, frames_lexicon=FRAMES_LEX,
                          group_label="outlet")
