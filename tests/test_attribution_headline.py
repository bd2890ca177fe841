"""Tests for the headline voice of framing.attribution: a headline is the publication's, not the author's.

Hand-made texts: each expectation is read off the text (which line is the title, who speaks in it), never pasted
from the code's output.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from test_attribution import ACTORS_LEX, CUES_LEX, FRAMES_LEX

from framing.attribution import (
    AUTHOR,
    HEADLINE,
    UNATTRIBUTED,
    NoBlameCuesWarning,
    blame_attribution,
    blame_by_voice,
    blame_network,
    headline_sentences,
)
from framing.errors import ParameterError

BODY = "The minister visited the council today."  # no blame cue: only the headline can blame


def _corpus(tmp_path: Path, docs: list[tuple[str, str, str | None]], *, title: bool = True):  # type: ignore[no-untyped-def]
    """A processed table corpus of (doc_id, text, title) rows, genre ``news``; no title column unless ``title``."""
    from framing.corpus import load_corpus, process_corpus

    table = pd.DataFrame(docs, columns=["doc_id", "text", "title"]).assign(genre="news")
    if not title:
        table = table.drop(columns="title")
    path = tmp_path / "corpus.csv"
    table.to_csv(path, index=False)
    return process_corpus(load_corpus(path))


def _rows(pc, **kw: object) -> list[tuple[object, ...]]:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoBlameCuesWarning)
        b = blame_attribution(pc, actors_lexicon=ACTORS_LEX, cues_lexicon=CUES_LEX, frames_lexicon=FRAMES_LEX,
                              **kw)  # type: ignore[arg-type]
    return [tuple(r) for r in b[["doc_id", "sent_id", "blamer", "target", "blamer_actor", "voice"]]
            .itertuples(index=False)]


def test_a_headline_with_a_blame_word_is_the_publications(tmp_path: Path) -> None:
    text = f"Council failed the child\n\n{BODY} Shoesmith failed too."
    pc = _corpus(tmp_path, [("d1", text, "Council failed the child")])
    assert _rows(pc) == [
        ("d1", 0, HEADLINE, "council", HEADLINE, HEADLINE),  # the title line: the publication blames the council
        ("d1", 2, AUTHOR, "director", AUTHOR, "authorial"),  # the body stays the author's
    ]
    # switched off: the headline is the author's again (the rule before this session)
    assert _rows(pc, headline_voice=False) == [
        ("d1", 0, AUTHOR, "council", AUTHOR, "authorial"),
        ("d1", 2, AUTHOR, "director", AUTHOR, "authorial"),
    ]


def test_quoted_speech_in_a_headline_keeps_its_speaker(tmp_path: Path) -> None:
    said = "“The council failed,” says Balls"
    scare = "Shoesmith ‘failed’ the child"
    pc = _corpus(tmp_path, [("d1", f"{said}\n\n{BODY}", said), ("d2", f"{scare}\n\n{BODY}", scare)])
    assert _rows(pc) == [
        # the quotation is Balls's (a reporting clause after it), not the publication's
        ("d1", 0, "Balls", "council", "government", "quoted"),
        # a quotation without a speaker stays unattributed, as in a body sentence
        ("d2", 0, UNATTRIBUTED, "director", "", "quoted"),
    ]


def test_reported_speech_in_a_headline_keeps_its_speaker(tmp_path: Path) -> None:
    title = "Ed Balls said the council failed the child"
    pc = _corpus(tmp_path, [("d1", f"{title}\n\n{BODY}", title)])
    assert _rows(pc) == [("d1", 0, "Ed Balls", "council", "government", "reported")]


def test_a_document_without_a_headline_is_all_the_authors(tmp_path: Path) -> None:
    # the first paragraph is a full sentence (final full stop) and no title names it: no headline
    text = f"The council failed the child.\n\n{BODY}"
    pc = _corpus(tmp_path, [("d1", text, None)])
    assert headline_sentences(pc).empty
    assert _rows(pc) == [("d1", 0, AUTHOR, "council", AUTHOR, "authorial")]
    # the same text without a title column at all
    assert _rows(_corpus(tmp_path, [("d1", text, None)], title=False)) == _rows(pc)


def test_the_title_finds_a_headline_with_final_punctuation_after_a_kicker(tmp_path: Path) -> None:
    # the title ends in a full stop (no heading to the segmenter) and follows a kicker (a heading); its apostrophe
    # and quotation marks are curly in the text, straight in the title column, its case differs
    text = "Child protection\n\nThe council’s ‘inspection’ failed.\n\nShoesmith failed the child."
    pc = _corpus(tmp_path, [("d1", text, "THE COUNCIL'S 'INSPECTION' FAILED")])
    heads = headline_sentences(pc)
    assert heads[["doc_id", "sent_id", "para_id", "rule"]].values.tolist() == [["d1", 1, 1, "title"]]
    assert _rows(pc) == [
        ("d1", 1, HEADLINE, "council", HEADLINE, HEADLINE),
        ("d1", 2, AUTHOR, "director", AUTHOR, "authorial"),
    ]


def test_a_title_found_only_in_the_body_is_no_headline(tmp_path: Path) -> None:
    # the title's words come back as a body sentence after the first body paragraph: not a headline
    text = f"{BODY}\n\nThe council failed the child."
    pc = _corpus(tmp_path, [("d1", text, "The council failed the child.")])
    assert headline_sentences(pc).empty
    assert _rows(pc) == [("d1", 1, AUTHOR, "council", AUTHOR, "authorial")]


def test_without_a_title_a_first_line_that_reads_as_a_heading_is_the_headline(tmp_path: Path) -> None:
    heading = "Council failed the child"  # one short sentence, no final punctuation
    docs = [("d1", f"{heading}\n\n{BODY}", None), ("d2", f"{BODY}\n\n{heading}\n\nShoesmith failed.", None)]
    for pc in (_corpus(tmp_path, docs, title=False), _corpus(tmp_path, docs)):  # no column; a blank title
        heads = headline_sentences(pc)
        # d2's heading-like line is its second paragraph: only a first paragraph is a headline without a title
        assert heads[["doc_id", "sent_id", "rule"]].values.tolist() == [["d1", 0, "heading"]]
        assert _rows(pc) == [
            ("d1", 0, HEADLINE, "council", HEADLINE, HEADLINE),
            ("d2", 1, AUTHOR, "council", AUTHOR, "authorial"),
            ("d2", 2, AUTHOR, "director", AUTHOR, "authorial"),
        ]


def test_headline_voice_is_validated(tmp_path: Path) -> None:
    pc = _corpus(tmp_path, [("d1", BODY, None)])
    with pytest.raises(ParameterError, match="headline_voice"):
        blame_attribution(pc, actors_lexicon=ACTORS_LEX, cues_lexicon=CUES_LEX, frames_lexicon=FRAMES_LEX,
                          headline_voice="no")  # type: ignore[arg-type]


def test_blame_by_voice_counts_the_headline_apart() -> None:
    blame = pd.DataFrame({
        "doc_id": ["a", "a", "a", "b"], "sent_id": [0, 0, 1, 0], "genre": ["g", "g", "g", "g"],
        "blamer": [HEADLINE, HEADLINE, AUTHOR, "Balls"], "target": ["council", "director", "council", "council"],
        "voice": [HEADLINE, HEADLINE, "authorial", "quoted"],
    })
    out = blame_by_voice(blame, ["g"])
    # by hand: one headline sentence (two targets), one author sentence, one quoted
    assert out.loc["g"].to_dict() == {"author": 1, "quoted": 1, "reported": 0, "headline": 1}
    assert "headline" not in blame_by_voice(blame[blame["blamer"] != HEADLINE], ["g"]).columns


def test_seed_ministers_headline_is_not_the_ministers_voice() -> None:
    # the reviewer's case: metadata.csv says the title line of 000 belongs to the republishing blog; its cue
    # "Failed" and its targets (Ed Balls: government, the Sun: media) were the minister's own blame
    from framing.paths import project_paths

    root = project_paths().root
    from framing.corpus import load_corpus, process_corpus

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pc = process_corpus(load_corpus(root / "data" / "raw"))
        blame = blame_attribution(pc, case="baby_p")
    head = blame[blame["doc_id"].str.startswith("000") & (blame["sent_id"] == 0)]
    assert sorted(zip(head["blamer"], head["target"], strict=True)) == [(HEADLINE, "government"),
                                                                      (HEADLINE, "media")]
    minister = blame_network(blame, genre="minister")
    assert not minister.has_edge(AUTHOR, "media") and minister.has_edge(HEADLINE, "media")


def test_cli_blame_headline_voice_flag_keeps_the_contract_columns(tmp_path: Path) -> None:
    from framing.cli import main

    corpus = tmp_path / "c.csv"
    pd.DataFrame({"id": ["a"], "kind": ["news"], "title": ["Council failed the child"],
                  "body": [f"Council failed the child\n\n{BODY}"]}).to_csv(corpus, index=False)
    blamers = {}
    for flag in ("--headline-voice", "--no-headline-voice", None):
        out = tmp_path / f"{flag}.csv"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = main(["blame", str(corpus), "--out", str(out), "--id-col", "id", "--text-col", "body",
                         "--genre-col", "kind", *([flag] if flag else [])])
        assert code == 0
        table = pd.read_csv(out)
        assert list(table.columns) == ["doc_id", "sent_id", "start", "end", "blamer", "target", "frame", "evidence"]
        blamers[flag] = set(zip(table["sent_id"], table["blamer"], table["target"], strict=True))
    # the shipped actors lexicon reads "Council" as the council; the title line is sentence 0
    assert blamers["--headline-voice"] == blamers[None] == {(0, HEADLINE, "council")}
    assert blamers["--no-headline-voice"] == {(0, AUTHOR, "council")}


def test_describe_blame_names_the_headline_voice() -> None:
    from framing import nbtools

    by_voice = pd.DataFrame({"author": [2], "quoted": [1], "reported": [0], "headline": [1]}, index=["minister"])
    edges = pd.DataFrame({"genre": ["minister"], "blamer": [HEADLINE], "target": ["media"], "sentences": [1]})
    assert nbtools.describe_blame(by_voice, edges, {"minister": 1}) == (
        "minister (1 document): 2 blame sentence(s) in the author's own voice, 1 with a quoted blamer, 0 reporting "
        "a speaker's blame, 1 in a headline (the publication's voice); most frequent targets: media (1).")


def test_a_partitioned_run_takes_the_switch_and_records_it(tmp_path: Path) -> None:
    import json

    from framing.backends import read_partitioned, run_partitioned
    from framing.paths import project_paths

    raw = project_paths().root / "data" / "raw"
    seen = {}
    for voice in (True, False):
        result = run_partitioned(raw, name="seeds", processed_dir=tmp_path / str(voice), partition_bytes=3000,
                                 blame={"case": "baby_p", "headline_voice": voice})
        manifest = json.loads((result.directory / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["blame"] == {"case": "baby_p", "headline_voice": str(voice)}  # options are recorded as text
        blame = read_partitioned(result.directory, "blame")
        head = blame[blame["doc_id"].str.startswith("000") & (blame["sent_id"] == 0)]
        seen[voice] = sorted(zip(head["blamer"], head["target"], strict=True))
    # the statement's title line (the republishing blog's) blames the government and the media
    assert seen[True] == [(HEADLINE, "government"), (HEADLINE, "media")]
    assert seen[False] == [(AUTHOR, "government"), (AUTHOR, "media")]


def test_blame_avoidance_in_a_headline_is_the_publications_under_the_same_switch(tmp_path: Path) -> None:
    from framing.attribution import blame_avoidance

    # d1's headline avoids blame in the publication's voice and blames in it; d2's headline quotes a speaker;
    # d3 has no headline (a full stop, no title): its first sentence stays the author's
    head1, head2 = "Nobody is to blame, council failed the child", "“Nobody is to blame,” says Balls"
    pc = _corpus(tmp_path, [("d1", f"{head1}\n\n{BODY} Nobody is to blame.", head1),
                            ("d2", f"{head2}\n\n{BODY}", head2),
                            ("d3", f"Nobody is to blame.\n\n{BODY}", None)])

    def speakers(**kw: object) -> list[tuple[object, ...]]:
        a = blame_avoidance(pc, **kw)  # type: ignore[arg-type]
        a = a[a["type"] == "denial"]
        return [tuple(r) for r in a[["doc_id", "sent_id", "speaker"]].itertuples(index=False)]

    # by hand: "Nobody is to blame" is a denial in d1's headline (sentence 0) and body (sentence 2), in d2's
    # quotation and in d3's first sentence
    assert speakers() == [("d1", 0, HEADLINE), ("d1", 2, AUTHOR), ("d2", 0, "Balls"), ("d3", 0, AUTHOR)]
    assert speakers(headline_voice=False) == [("d1", 0, AUTHOR), ("d1", 2, AUTHOR), ("d2", 0, "Balls"),
                                              ("d3", 0, AUTHOR)]
    # the same switch gives blame_attribution's blamer of the same headline sentence
    for voice in (True, False):
        heads = {r[2] for r in _rows(pc, headline_voice=voice) if r[:2] == ("d1", 0)}
        avoid = {s for d, i, s in speakers(headline_voice=voice) if (d, i) == ("d1", 0)}
        assert heads == avoid == {HEADLINE if voice else AUTHOR}
    with pytest.raises(ParameterError, match="headline_voice"):
        blame_avoidance(pc, headline_voice="no")  # type: ignore[arg-type]
