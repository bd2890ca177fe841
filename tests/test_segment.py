from __future__ import annotations

import pytest

from framing.errors import ParameterError
from framing.segment import count_tokens, is_heading, normalize, split_paragraphs, split_sentences, tokenize


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_titles_are_not_sentence_ends() -> None:
    text = "Ms Shoesmith was sacked. Mr Balls and Dr. Smith met Mrs. Jones. It was late."
    assert sentences(text) == ["Ms Shoesmith was sacked.", "Mr Balls and Dr. Smith met Mrs. Jones.", "It was late."]


def test_straight_and_curly_closing_quotes_stay_with_their_sentence() -> None:
    text = 'He said "it is over." Then he left. She said “it is devastating.” He told Dr. Who.'
    got = sentences(text)
    assert got == ['He said "it is over."', "Then he left.", "She said “it is devastating.”", "He told Dr. Who."]


def test_sentence_offsets_round_trip_with_leading_offset() -> None:
    text = "xx First one. Second one? Third!"
    spans = split_sentences(text, 3, len(text))
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one?", "Third!"]


def test_line_mode_keeps_headings_and_list_items_apart() -> None:
    text = "Management\nThe council failed.\n– poor plans;\n– weak oversight;\n"
    paras = [text[s:e] for s, e in split_paragraphs(text, "line")]
    assert paras == ["Management", "The council failed.", "– poor plans;", "– weak oversight;"]


def test_blank_mode_joins_wrapped_lines_but_splits_bullets() -> None:
    text = "A wrapped\nparagraph here.\n\n• one\n• two\n\nEnd."
    paras = [text[s:e] for s, e in split_paragraphs(text, "blank")]
    assert paras == ["A wrapped\nparagraph here.", "• one", "• two", "End."]


def test_auto_mode_picks_blank_for_hard_wrapped_text() -> None:
    wrapped = "short line one\nshort line two.\n\nanother block\nof text."
    assert len(split_paragraphs(wrapped, "auto")) == 2
    long_lines = ("x" * 200 + ".\n\n") * 3
    assert len(split_paragraphs(long_lines, "auto")) == 3


def test_unknown_paragraph_mode_names_the_value() -> None:
    with pytest.raises(ParameterError, match="'pages'"):
        split_paragraphs("text", "pages")  # type: ignore[arg-type]


def test_tokens_lowercase_and_unify_apostrophes() -> None:
    toks = tokenize("The Children’s co-ordination, no-one's fault")
    assert [t[2] for t in toks] == ["the", "children's", "co-ordination", "no-one's", "fault"]
    text = "The Children’s"
    assert [text[s:e] for s, e, _ in toks[:2]] == ["The", "Children’s"]
    assert normalize("Children’s") == normalize("children's") == "children's"
    assert count_tokens("Two words.") == 2


def test_heading_detection() -> None:
    assert is_heading("Risk assessment, record keeping and planning", 1)
    assert not is_heading("The council failed.", 1)
    assert not is_heading("– poor plans", 1)
    assert not is_heading("Two sentences here", 2)
