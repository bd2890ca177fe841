"""Tests of framing.names (what a person name is) and of its users: speaker attribution, the coder rule's persons,
the case draft, ``framing blame`` and ``framing case draft``.

Every expectation is worked out by hand from the texts (offsets counted in characters; "Ó", "ë", "Ł" are one each).
The names are those of a usability trial on a Post Office Horizon corpus, where each was cut or lost by patterns
that knew only A-Z.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

import framing.framerules as fr
from framing.attribution import NoBlameCuesWarning, find_quotations, reporting_clauses
from framing.case_draft import draft_case
from framing.cli import main
from framing.names import FIRST_CHAR, LOWER, UPPER, full_name, split_name

NAMES = ["Zoë Hart", "Zoe Hart", "Seán Ó Súilleabháin", "Sean O'Sullivan", "Sean O’Sullivan", "Siobhán Ní Bhriain",
         "Renée Dupont", "Łukasz Kowalski", "Mary McAleese", "Ian MacDonald", "Jean-Luc Smith-Jones",
         "Ursula von der Leyen", "Theo van Gogh"]


# --- the grammar ----------------------------------------------------------------------------------------------


def test_letter_classes_hold_the_latin_capitals_and_small_letters() -> None:
    upper, lower = re.compile(UPPER), re.compile(LOWER)
    for ch in "AZÀÉÓÞŁŚŽḤ":
        assert upper.fullmatch(ch) and not lower.fullmatch(ch), ch
    for ch in "azßàéóþłśžḥ":
        assert lower.fullmatch(ch) and not upper.fullmatch(ch), ch
    for ch in "0_-'’ Ж":  # a digit, signs, a space, a Cyrillic capital: no letter of a Latin name
        assert not upper.fullmatch(ch) and not lower.fullmatch(ch), ch
    assert FIRST_CHAR == UPPER


@pytest.mark.parametrize("name", NAMES)
def test_a_full_name_is_found_whole(name: str) -> None:
    text = f"The inquiry heard that {name} was blamed."
    found = [m.group() for m in re.finditer(rf"\b{full_name()}\b", text)]
    assert found == [name]


def test_a_possessive_and_a_paragraph_break_are_no_part_of_a_name() -> None:
    text = "wrong way - Howard\n\nTony Blair's government. Ed\nBalls left."
    # "Howard" ends a headline: the blank line ends the name; a single line break does not
    assert [m.group() for m in re.finditer(rf"\b{full_name()}\b", text)] == ["Tony Blair", "Ed\nBalls"]


@pytest.mark.parametrize(("name", "parts"), [
    ("Seán Ó Súilleabháin", ("Seán", "Ó Súilleabháin")),
    ("Ó Súilleabháin", ("", "Ó Súilleabháin")),
    ("Siobhán Ní Bhriain", ("Siobhán", "Ní Bhriain")),
    ("Sean O Sullivan", ("Sean", "O Sullivan")),
    ("Ursula von der Leyen", ("Ursula", "von der Leyen")),
    ("Mary  McAleese", ("Mary", "McAleese")),
    ("Jean-Luc Smith-Jones", ("Jean-Luc", "Smith-Jones")),
    ("Kowalski", ("", "Kowalski")),
])
def test_split_name(name: str, parts: tuple[str, str]) -> None:
    assert split_name(name) == parts


# --- speaker attribution --------------------------------------------------------------------------------------

TRIAL = ("The judge criticised the engineers. Alan Bates led the group action. {n}, a former sub-postmaster from "
         "Kilburn, said she had repaid £36,000 she never took. “They told me I was the only one,” she said.")


@pytest.mark.parametrize("name", NAMES)
def test_she_said_goes_to_the_person_of_the_sentence_before(name: str) -> None:
    # "she" after the quotation: the first person name of the sentence before, the whole name (not Alan Bates,
    # named one sentence earlier, and not a cut "Sean O'" or "Mary Mc")
    q = find_quotations(TRIAL.format(n=name), doc_id="t")
    assert q["speaker"].tolist() == [name]
    assert q.loc[0, "speaker_mention"] == "she" and q.loc[0, "rule"] == "after+pronoun"


@pytest.mark.parametrize("name", ["Seán Ó Súilleabháin", "Łukasz Kowalski", "Siobhán Ní Bhriain", "Mary McAleese",
                                  "Ursula von der Leyen"])
def test_a_named_speaker_before_the_quotation_is_whole(name: str) -> None:
    q = find_quotations(f"{name} said: “The Post Office failed me.”", doc_id="t")
    assert q.loc[0, "speaker_mention"] == name and q.loc[0, "speaker"] == name
    assert q.loc[0, "speaker_start"] == 0 and q.loc[0, "rule"] == "before"


def test_an_honorific_and_surname_with_a_particle_resolve_to_the_full_name() -> None:
    text = "Seán Ó Súilleabháin ran the branch. Mr Ó Súilleabháin said: “I was blamed.”"
    q = find_quotations(text, doc_id="t")
    assert q.loc[0, "speaker_mention"] == "Mr Ó Súilleabháin" and q.loc[0, "speaker"] == "Seán Ó Súilleabháin"


def test_a_reporting_clause_opening_with_a_capital_beyond_ascii_is_found(tmp_path: Path) -> None:
    # the clause pattern runs behind a quick scan for its first character: Ł must be among them
    from framing.corpus import load_corpus, process_corpus

    path = tmp_path / "c.csv"
    text = "Łukasz Kowalski said the council failed. Ó Súilleabháin said: “We failed.”"
    pd.DataFrame({"doc_id": ["d"], "genre": ["news"], "text": [text]}).to_csv(path, index=False)
    c = reporting_clauses(process_corpus(load_corpus(path)))
    got = [(int(r.sent_id), text[r.start:r.end], r.speaker) for r in c.itertuples(index=False)]
    assert got == [(0, "Łukasz Kowalski said", "Łukasz Kowalski"), (1, "Ó Súilleabháin said:", "Ó Súilleabháin")]


def test_a_transcript_label_with_a_name_beyond_ascii_is_a_speaker(tmp_path: Path) -> None:
    # a label "Mr Ó Súilleabháin:" (a particle before the surname) and an office with its holder in brackets
    from framing.corpus import load_corpus, process_corpus

    path = tmp_path / "c.csv"
    text = "The Secretary of State (Łukasz Kowalski): The council failed the child.\n\nMr Ó Súilleabháin: We failed."
    pd.DataFrame({"doc_id": ["d"], "genre": ["news"], "text": [text]}).to_csv(path, index=False)
    c = reporting_clauses(process_corpus(load_corpus(path)))
    got = [(int(r.sent_id), text[r.start:r.end], r.speaker, r.rule) for r in c.itertuples(index=False)]
    assert got == [(0, "The Secretary of State (Łukasz Kowalski):", "Łukasz Kowalski", "label"),
                   (1, "Mr Ó Súilleabháin:", "Mr Ó Súilleabháin", "label")]


# --- the coder rule's persons ---------------------------------------------------------------------------------


@pytest.mark.parametrize("prefilter", [True, False])
def test_person_spans_of_names_beyond_ascii(prefilter: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # the same spans through the prefilter (literal triggers, runs of rows) as by a search of the whole text
    monkeypatch.setattr(fr, "PREFILTER", prefilter)
    texts = ["Mr Ó Súilleabháin was blamed.", "Seán Ó Súilleabháin failed.",
             "Łukasz Kowalski failed.", "Mr Kowalski resigned.",
             "Zoë Hart left.", "Ms Hart failed."]
    spans = fr.person_spans(texts, ["a", "a", "b", "b", "c", "c"])
    persons = spans[spans["kind"] == "person"]
    got = sorted(zip(persons["row"], persons["start"], persons["end"], persons["name"], strict=True))
    # by hand: an honorific + name and the surname inside it; a full name whose surname has an honorific in the
    # document, its first name and its surname (each a later mention by name alone)
    assert got == [
        (0, 0, 17, "Súilleabháin"), (0, 5, 17, "Súilleabháin"),  # Mr Ó Súilleabháin; Súilleabháin
        (1, 0, 4, "Súilleabháin"), (1, 0, 19, "Súilleabháin"), (1, 7, 19, "Súilleabháin"),  # Seán; the name; surname
        (2, 0, 6, "Kowalski"), (2, 0, 15, "Kowalski"), (2, 7, 15, "Kowalski"),  # Łukasz; Łukasz Kowalski; Kowalski
        (3, 0, 11, "Kowalski"), (3, 3, 11, "Kowalski"),  # Mr Kowalski; Kowalski
        (4, 0, 3, "Hart"), (4, 0, 8, "Hart"), (4, 4, 8, "Hart"),  # Zoë; Zoë Hart; Hart
        (5, 0, 7, "Hart"), (5, 3, 7, "Hart"),  # Ms Hart; Hart
    ]


# --- the case draft -------------------------------------------------------------------------------------------

DRAFT_TEXTS = [
    "Zoë Hart, the sub-postmistress, blamed the Post Office. Ms Hart said the investigators failed her. "
    "Seán Ó Súilleabháin blamed the system. Mr Ó Súilleabháin said the board was responsible.",
    "Ms Hart said the Post Office was to blame. Zoë Hart criticised Fujitsu. Mr Ó Súilleabháin blamed ministers. "
    "Seán Ó Súilleabháin said managers failed.",
    "Renée Dupont blamed the council. Ms Dupont said officials failed. Former Post Office investigators were "
    "named. Mr O'Sullivan said the police failed. Sean O'Sullivan blamed the police.",
]


def _draft_corpus(tmp_path: Path) -> Path:
    path = tmp_path / "dr.csv"
    pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(DRAFT_TEXTS))], "genre": "news",
                  "text": DRAFT_TEXTS}).to_csv(path, index=False)
    return path


def test_draft_proposes_names_beyond_ascii_with_their_surnames(tmp_path: Path) -> None:
    from framing.corpus import load_corpus, process_corpus

    table = draft_case(process_corpus(load_corpus(_draft_corpus(tmp_path))), min_count=1).set_index("pattern")
    got = {p: (r.kind, r.mentions, r.documents) for p, r in table.iterrows()}
    # by hand: each full name twice in two documents (d0, d1), its honorific + surname twice; in d2 once each;
    # the surname keeps its particle ("ó súilleabháin") and follows its full name; "Former" opens the sentence,
    # no part of the organisation: "post office" three times (d0, d1, d2)
    assert got == {
        "zoë hart": ("person", 2, 2), "hart": ("surname", 2, 2),
        "seán ó súilleabháin": ("person", 2, 2), "ó súilleabháin": ("surname", 2, 2),
        "renée dupont": ("person", 1, 1), "dupont": ("surname", 1, 1),
        "sean o'sullivan": ("person", 1, 1), "o'sullivan": ("surname", 1, 1),
        "post office": ("organisation", 3, 3),
    }
    order = table.index.tolist()
    assert order.index("ó súilleabháin") == order.index("seán ó súilleabháin") + 1


def test_draft_counts_a_persons_mentions_together(tmp_path: Path) -> None:
    from framing.corpus import load_corpus, process_corpus

    texts = ["Paula Vennells ran the Post Office.", "Paula Vennells said sorry.",
             "Blaming Paula Vennells alone lets the system off.", "Ms Vennells said she was sorry. Ms Vennells left."]
    path = tmp_path / "v.csv"
    pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "genre": "news", "text": texts}).to_csv(path, index=False)
    table = draft_case(process_corpus(load_corpus(path)), min_count=4).set_index("pattern")
    # by hand: the full name in a, b and c (the corpus uses her surname with an honorific, in d; "Blaming" opens
    # the sentence and is no part of her name): 3 mentions; "Ms Vennells" twice in d. Neither reaches 4 alone,
    # together they do (5)
    assert table.index.tolist() == ["paula vennells", "vennells"]
    assert table["mentions"].tolist() == [3, 2] and table["documents"].tolist() == [3, 1]


# --- the command line -----------------------------------------------------------------------------------------


def test_cli_blame_names_a_speaker_beyond_ascii(tmp_path: Path) -> None:
    corpus = tmp_path / "c.csv"
    body = ("Alan Bates led the group action. Łukasz Kowalski, a sub-postmaster, spoke to the inquiry. "
            "“The council failed us,” he said. Seán Ó Súilleabháin said: “The council failed the child.”")
    pd.DataFrame({"id": ["a"], "kind": ["news"], "body": [body]}).to_csv(corpus, index=False)
    out = tmp_path / "blame.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoBlameCuesWarning)
        code = main(["blame", str(corpus), "--out", str(out), "--id-col", "id", "--text-col", "body",
                     "--genre-col", "kind", "-q"])
    assert code == 0
    table = pd.read_csv(out)
    # by hand: "he said" after the first quotation is Łukasz Kowalski (the person of the sentence before, not
    # Alan Bates); the second quotation's speaker is named whole before it
    by_sentence = table.groupby("sent_id")["blamer"].agg(set).to_dict()
    assert by_sentence == {2: {"Łukasz Kowalski"}, 3: {"Seán Ó Súilleabháin"}}


def test_cli_case_draft_proposes_names_beyond_ascii(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "draft.yaml"
    code = main(["case", "draft", str(_draft_corpus(tmp_path)), "--out", str(out), "--min-count", "2",
                 "--case-name", "horizon", "-q"])
    assert code == 0
    text = out.read_text(encoding="utf-8")
    # by hand (test_draft_proposes_names_beyond_ascii_with_their_surnames), at two mentions a person: Zoë Hart
    # (2 + 2), Seán Ó Súilleabháin (2 + 2), Renée Dupont (1 + 1), Sean O'Sullivan (1 + 1) with their surnames,
    # and the Post Office: 9 entries, written as in the texts (not escaped)
    assert "9 draft entries" in capsys.readouterr().out
    for pattern in ("zoë hart", "hart", "seán ó súilleabháin", "ó súilleabháin", "renée dupont", "dupont",
                    "sean o'sullivan", "o'sullivan", "post office"):
        assert re.search(rf"pattern: \"?{re.escape(pattern)}\"?,", text), pattern
    assert "former post office" not in text
