"""The matching engine: normalisation, boundaries, overlaps, exclusions, negation, offsets.

Every test runs once per matcher (Hyperscan when installed, and the pyahocorasick fallback)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import framing.match._hits as fm_hits
import framing.match._matcher as fm_matcher
import framing.match._negation as fm_negation
import framing.match._words as fm_words
from framing.errors import ParameterError
from framing.lexicon import Entry, Lexicon, entry_kind
from framing.match import (
    HIT_COLUMNS,
    NEGATION_WINDOW,
    compile_lexicon,
    count_matrix,
    match_sentences,
    match_sentences_many,
    match_texts,
    match_texts_many,
    normalize_text,
    tokenize_normalized,
)
from framing.match._words import joined_view, raw_route

MATCHERS = ["aho"] + (["hyperscan"] if fm_matcher._hs is not None else [])  # hyperscan: when it imports


@pytest.fixture(autouse=True, params=MATCHERS)
def matcher(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(fm_matcher, "MATCHER", request.param)  # where the scan looks it up
    yield request.param


def lex(*items: tuple[str, str], exclude: dict[str, tuple[str, ...]] | None = None) -> Lexicon:
    exclude = exclude or {}
    cats = tuple(dict.fromkeys(c for _, c in items))
    return Lexicon("t", "1", cats, tuple(Entry(p, c, entry_kind(p), exclude=exclude.get(p, ())) for p, c in items))


def found(text: str, lexicon: Lexicon, **kw: bool) -> list[tuple[str, str, str]]:
    h = match_texts([text], lexicon, **kw)
    return list(zip(h["category"], h["entry"], h["matched"], strict=True))


# --- normalisation --------------------------------------------------------------------------------------------


def test_normalize_text_by_hand() -> None:
    text = "The Council’s  co-ordination. Ok"
    norm, idx = normalize_text(text)
    assert norm == " the council s co ordination  ok "
    # 'c' of council is raw 4; the space standing for '’' is raw 11; the merged soft run keeps its first char
    assert idx[norm.index("council")] == 4
    assert idx[norm.index(" s ")] == 11
    assert idx[norm.index("ordination")] == 18
    assert idx[0] == -1 and idx[-1] == len(text)  # the padding
    assert tokenize_normalized("Don’t re-sign, Haringey's!") == ["don", "t", "re", "sign", "haringey", "s"]


def test_normalize_keeps_offsets_for_awkward_characters() -> None:
    text = "İstanbul 𝐀 COUNCIL"  # İ lower-cases to two characters in Python; 𝐀 is outside the BMP
    norm, idx = normalize_text(text)
    assert len(idx) == len(norm)
    h = match_texts([text], lex(("council", "a")))
    assert h.loc[0, "matched"] == "COUNCIL" and (h.loc[0, "start"], h.loc[0, "end"]) == (11, 18)


# --- boundaries, case, apostrophes, hyphens --------------------------------------------------------------


def test_wildcards_respect_word_boundaries() -> None:
    lx = lex(("resign*", "a"))
    assert [m for _, _, m in found("He resigned; her resignation; designated; Resign!", lx)] == [
        "resigned", "resignation", "Resign"]
    assert found("unresigned", lx) == []


def test_words_match_whole_words_case_insensitively() -> None:
    lx = lex(("council", "a"))
    assert [m for *_, m in found("COUNCIL councils Council's councillor", lx)] == ["COUNCIL", "Council"]


def test_apostrophe_variants_unified() -> None:
    lx = lex(("children's services", "a"), ("can't", "b"))
    got = found("Children’s Services, childrenʼs services, children's services; can’t CAN'T", lx)
    assert [c for c, *_ in got] == ["a", "a", "a", "b", "b"]


@pytest.mark.parametrize("text", ["co-ordination", "co–ordination", "co‐ordination", "coordination", "co ordination",
                                  "Co-Ordination"])
def test_hyphenated_entry_matches_every_variant(text: str) -> None:
    got = found(f"poor {text} between", lex(("co-ordination", "a")))
    assert got == [("a", "co-ordination", text)]


def test_closed_entry_matches_closed_form_only_and_hyphen_splits_words() -> None:
    assert found("co-ordination", lex(("coordination", "a"))) == []
    assert found("the now-suspended head", lex(("suspended", "a"))) == [("a", "suspended", "suspended")]
    assert found("a dash – suspended", lex(("dash suspended", "a"))) == []  # spaced dash is punctuation


def _head_only(*patterns: str) -> Lexicon:
    """Entries of category ``a`` with ``compound_tail: false`` (not matched as a later part of a compound)."""
    return Lexicon("t", "1", ("a",), tuple(Entry(p, "a", entry_kind(p), compound_tail=False) for p in patterns))


def test_compound_tail_false_drops_hits_joined_to_the_word_before_by_a_hyphen() -> None:
    text = ("A coal-fired plant, a gas–fired one, an oil‐fired one. He was fired. Fired-up staff. "
            "Coal - fired (spaced dash), coal fired, coal--fired, 19-fired.")
    # by hand: kept are "fired" (after "was"), "Fired" (first part of Fired-up), the spaced dash, the space,
    # the double hyphen (two hyphens side by side are punctuation, not a joining hyphen); dropped are the three
    # joined compounds and "19-fired" (a digit is a word character)
    assert [m for *_, m in found(text, _head_only("fired"))] == ["fired", "Fired", "fired", "fired", "fired"]
    # the default (compound_tail true) still counts every one of the nine
    assert len(found(text, lex(("fired", "a")))) == 9
    # counts agree with the hits table, and match_texts_many (one normalisation for several lexicons) too
    assert count_matrix([text, "coal-fired"], _head_only("fired")).toarray().tolist() == [[5], [0]]
    many = match_texts_many([text], [_head_only("fired"), lex(("fired", "a"))])
    assert [len(h) for h in many] == [5, 9]
    # a wildcard or a phrase whose first word is joined is dropped the same way; their other words are free
    assert [m for *_, m in found("coal-firing; firing squad", _head_only("fir*"))] == ["firing"]
    assert [m for *_, m in found("gas-fired plant; fired plant", _head_only("fired plant"))] == ["fired plant"]
    assert [m for *_, m in found("plant-fired; the plant-fired", _head_only("plant fired"))] == ["plant-fired",
                                                                                              "plant-fired"]
    # from the review: a closed-up em dash (US style) or horizontal bar between words is punctuation, no compound
    assert [m for *_, m in found("He was—fired. She was―fired. Coal-fired.", _head_only("fired"))] == ["fired",
                                                                                                      "fired"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab -–‐—’.é1𝐀\n")), max_size=25))
def test_compound_tail_false_follows_the_documented_rule(text: str) -> None:
    # restated: an occurrence of the word "a" is dropped when the character before it is a hyphen of any kind but
    # an em dash or horizontal bar (punctuation, closed up in US style) and the character before that is a word
    # character (a hyphen between two word characters joins them)
    hyphens = "-‐‑‒–−"
    every = match_texts([text], lex(("a", "a")))["start"].tolist()
    joined = [s for s in every if s >= 2 and text[s - 1] in hyphens and (text[s - 2].isalnum() or
                                                                          ord(text[s - 2]) >= 0x10000)]
    kept = match_texts([text], _head_only("a"))["start"].tolist()
    assert kept == [s for s in every if s not in joined]


def test_phrases_do_not_cross_punctuation_or_texts() -> None:
    lx = lex(("council leader", "a"))
    assert found("the council. Leader", lx) == []
    assert found("the council, leader", lx) == []
    assert found("the council\n  leader", lx) == [("a", "council leader", "council\n  leader")]
    h = match_texts(["the council", "leader of it"], lx)
    assert h.empty


# --- overlaps and exclusions ----------------------------------------------------------------------------------


def test_longest_match_wins_when_nested() -> None:
    lx = lex(("children's services", "council"), ("director of children's services", "director"), ("director", "x"))
    assert found("The Director of Children's Services resigned", lx) == [
        ("director", "director of children's services", "Director of Children's Services")]


def test_crossing_matches_longer_wins_then_earlier() -> None:
    lx = lex(("senior management", "a"), ("management oversight board", "b"))
    assert [c for c, *_ in found("senior management oversight board", lx)] == ["b"]
    lx2 = lex(("aa bb", "a"), ("bb cc", "b"))  # same length: the earlier wins
    assert [c for c, *_ in found("aa bb cc", lx2)] == ["a"]


def test_same_span_counts_once_per_category_but_in_every_category() -> None:
    lx = lex(("resign*", "a"), ("resigned", "a"), ("resigned", "b"))
    got = found("she resigned", lx)
    assert sorted(c for c, *_ in got) == ["a", "b"]


def test_exclusions_drop_only_their_entry() -> None:
    lx = lex(("care*", "a"), ("career", "b"), exclude={"care*": ("career*", "child care")})
    got = found("careful care; a career; child care; careers", lx)
    assert got == [("a", "care*", "careful"), ("a", "care*", "care"), ("b", "career", "career")]


# --- negation --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("no agency killed the child", True),
        ("she was not to blame", True),
        ("they never blamed anyone", True),
        ("no-one is blamed", True),
        ("he didn’t blame them", True),
        ("we cannot blame them", True),
        ("nobody here from the whole council blamed", True),  # the 6th word after the negator: in scope
        ("nobody here from the whole local council blamed", False),  # the 7th word: out of scope
        ("nor rebuild confidence in the council blamed", False),  # a locative preposition ends the scope
        ("not because they blamed him", False),  # a subordinate clause ends the scope
        ("not now, blame them", False),  # a comma ends the scope
        ("not him but blame them", False),  # 'but' ends the scope
        ("without any blame", False),  # 'without' is not a negator
        ("they blamed no one", False),  # the negator comes after
        ("no 10 blamed the council", False),  # No 10 (Downing Street), a number after "no": no negator
        ("No. 10 blamed the council", False),
        ("no council blamed 10 people", True),  # a number later in the scope changes nothing
    ],
)
def test_negation_scope(text: str, negated: bool) -> None:
    h = match_texts([text], lex(("blame*", "a"), ("killed", "a")))
    assert len(h) == 1
    assert bool(h.loc[0, "negated"]) is negated


def _negated_by_words(norm: str, starts: list[int]) -> list[bool]:
    """The negation rule restated word by word over a normalised buffer (docs/lexicons.md): a scope opens after
    a negator (or after the ``t`` of an n't form whose word has 2+ word characters) and closes at the leading space
    of the first empty word (a hard boundary) or clause word among the next NEGATION_WINDOW words, else at the
    NEGATION_WINDOW-th space after it; a word starting inside an open scope is negated."""
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^ ]*", norm)]  # "" between two spaces
    words = [w for k, w in enumerate(words) if not (w[2] == "" and k > 0 and words[k - 1][1] == w[0])]
    spaces = [i for i, c in enumerate(norm) if c == " "]
    scopes = []
    for k, (_, end, word) in enumerate(words):
        nt = word == "t" and k > 0 and len(words[k - 1][2]) >= 2 and words[k - 1][2].endswith("n") and \
            re.fullmatch(r"\w+", words[k - 1][2]) is not None and words[k - 1][1] + 1 == words[k][0]
        numbered = word == "no" and k + 1 < len(words) and words[k + 1][2][:1].isdigit()  # "no 10"
        if ((word in fm_negation._NEGATOR_WORDS and not numbered) or nt) and end < len(norm):
            i = spaces.index(end)
            close = spaces[i + NEGATION_WINDOW] if i + NEGATION_WINDOW < len(spaces) else len(norm)
            for m in range(NEGATION_WINDOW):
                if i + m + 1 < len(spaces):
                    nxt = norm[spaces[i + m] + 1:spaces[i + m + 1]]
                    if nxt == "" or nxt in fm_negation._CLAUSE_WORDS:
                        close = spaces[i + m]
                        break
            scopes.append((end, close))
    return [any(s <= p < e for s, e in scopes) for p in starts]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["not", "no", "never", "didn", "t", "n", "can", "in", "on", "but", "throughout",
                                 "blame", "x", "", "é", "nothing", "however", "tt", "10"]), max_size=30))
def test_negation_scopes_agree_with_a_word_by_word_restatement(words: list[str]) -> None:
    norm = "  " + " ".join(words) + "  "  # as a chunk's buffer: hard boundaries (two spaces) around each text
    buf = bytearray(norm.encode("utf-8"))
    starts = sorted({i + 1 for i, c in enumerate(buf) if c == 32 and i + 1 < len(buf) and buf[i + 1] != 32})
    byte_of = {len(norm[:i].encode("utf-8")): i for i in range(len(norm) + 1)}
    got = fm_negation._negated(buf, np.asarray(starts, dtype=np.int64)).tolist()
    assert got == _negated_by_words(norm, [byte_of[b] for b in starts]), norm


def test_entry_with_its_own_negator_is_not_negated() -> None:
    h = match_texts(["she had nothing to apologise for"], lex(("nothing to apologise for", "a"), ("apologise", "b")))
    assert list(h["entry"]) == ["nothing to apologise for"]
    assert not h.loc[0, "negated"]


def test_negation_can_be_switched_off() -> None:
    h = match_texts(["not to blame"], lex(("blame", "a")), negation=False)
    assert not h.loc[0, "negated"]


# --- tables ----------------------------------------------------------------------------------------------------


def test_match_sentences_offsets_into_raw_document() -> None:
    raw = "Intro. The Council failed. Balls resigned?"
    sents = pd.DataFrame({"doc_id": ["d", "d", "d"], "sent_id": [0, 1, 2], "start": [0, 7, 27], "end": [6, 26, 42],
                          "text": [raw[0:6], raw[7:26], raw[27:42]]})
    h = match_sentences(sents, lex(("council", "a"), ("resign*", "b"), ("fail*", "a")))
    assert list(h.columns) == HIT_COLUMNS
    assert list(zip(h["sent_id"], h["start"], h["end"], h["entry"], h["token"], strict=True)) == [
        (1, 11, 18, "council", 1), (1, 19, 25, "fail*", 2), (2, 33, 41, "resign*", 1)]
    assert all(raw[s:e] == m for s, e, m in zip(h["start"], h["end"], h["matched"], strict=True))
    with pytest.raises(ParameterError, match="lacks column"):
        match_sentences(sents.drop(columns="start"), lex(("x", "a")))


def test_empty_inputs() -> None:
    lx = lex(("council", "a"))
    assert match_texts([], lx).empty
    assert match_texts(["", "nothing here"], lx).empty
    empty = pd.DataFrame({"doc_id": [], "sent_id": [], "start": [], "end": [], "text": []})
    assert list(match_sentences(empty, lx).columns) == HIT_COLUMNS
    assert count_matrix([], lx).shape == (0, 1)
    with pytest.raises(ParameterError, match=r"texts\[1\] must be a string"):
        match_texts(["ok", None], lx)  # type: ignore[list-item]


def test_count_matrix_by_hand() -> None:
    lx = lex(("blame*", "blame"), ("council", "actor"), ("council leader", "actor"))
    m = count_matrix(["Blame the council leader, not the council.", "no blame", ""], lx)
    assert m.shape == (3, 2)
    assert m.toarray().tolist() == [[1, 2], [1, 0], [0, 0]]
    m2 = count_matrix(["Blame the council leader, not the council.", "no blame", ""], lx, include_negated=False)
    assert m2.toarray().tolist() == [[1, 1], [0, 0], [0, 0]]


def test_chunking_gives_the_same_hits(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"text {i}: the council failed, not the police" for i in range(50)]
    lx = lex(("council", "a"), ("police", "b"), ("fail*", "c"))
    whole = match_texts(texts, lx)
    monkeypatch.setattr(fm_hits, "_CHUNK_CHARS", 100)
    assert match_texts(texts, lx).equals(whole)
    assert len(whole) == 150 and whole["negated"].sum() == 50


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="abc cab,.-’'\n–Xé", max_size=40), max_size=6))
def test_offsets_always_slice_the_match(texts: list[str]) -> None:
    lx = lex(("ab", "a"), ("ca*", "b"), ("a b", "c"), ("c-ab", "d"))
    h = match_texts(texts, lx)
    for t, s, e, m in zip(h["text_id"], h["start"], h["end"], h["matched"], strict=True):
        assert texts[t][s:e] == m
        assert m[:1].isalpha() and m[-1:].isalpha()


# --- matchers, the byte-level normalisation, the single-word route -------------------------------------------


def test_matcher_choice_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRAMING_MATCHER", "aho")
    assert fm_matcher._choose_matcher() == "aho"
    monkeypatch.setenv("FRAMING_MATCHER", "Auto")
    assert fm_matcher._choose_matcher() == ("hyperscan" if "hyperscan" in MATCHERS else "aho")
    monkeypatch.setenv("FRAMING_MATCHER", "regex")
    with pytest.raises(ParameterError, match=r"FRAMING_MATCHER.*'regex'"):
        fm_matcher._choose_matcher()
    monkeypatch.setattr(fm_matcher, "_hs", None)
    monkeypatch.setenv("FRAMING_MATCHER", "hyperscan")
    with pytest.raises(ParameterError, match="not installed"):
        fm_matcher._choose_matcher()


def test_matcher_in_use_is_the_fixture_one(matcher: str) -> None:
    assert matcher == fm_matcher.MATCHER
    cl = compile_lexicon(lex(("council", "a")))
    assert (cl.database is not None) == ("hyperscan" in MATCHERS)  # compiled whenever hyperscan is installed
    assert match_texts(["The council."], lex(("council", "a")))["matched"].tolist() == ["council"]


def _reference_normalize(text: str) -> str:
    """The documented normalisation, one character at a time (a plain restatement, for comparison)."""
    apostrophes, hyphens = "'’‘ʼ`´′", "-‐‑‒–—―−"

    def cls(c: str) -> str:
        if ord(c) >= 0x10000:
            return "w"
        if c in apostrophes:
            return "s"
        if c in hyphens:
            return "-"
        if c.isalnum() or c == "_":
            return "w"
        return "s" if c.isspace() else "h"

    chars = [" ", *text, " "]
    kinds = ["s", *(cls(c) for c in text), "s"]
    for i, k in enumerate(kinds):  # a hyphen between two word characters is soft, any other is hard
        if k == "-":
            kinds[i] = "s" if kinds[i - 1] == "w" and cls(chars[i + 1]) == "w" and i + 1 < len(chars) - 1 else "h"
    out = []
    for i, (c, k) in enumerate(zip(chars, kinds, strict=True)):
        if k == "w":
            lc = c.lower() if ord(c) < 0x10000 else c
            out.append(lc if len(lc) == 1 else c)
        elif k == "h" or i in (0, len(chars) - 1) or kinds[i - 1] != "s":  # a soft run is one space
            out.append(" ")
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ é É£’'-–—\u00a0\u3000\n.,/İ𝐀😀\u212aΩȺ_1\x00")), max_size=30))
def test_byte_normalisation_follows_the_documented_rules(text: str) -> None:
    norm, raw_index = normalize_text(text)
    assert norm == _reference_normalize(text)
    assert len(raw_index) == len(norm) and raw_index[0] == -1 and raw_index[-1] == len(text)
    for i, ch in enumerate(norm[1:-1], start=1):  # each word character maps back to its raw character
        if ch != " ":
            raw = text[raw_index[i]]
            assert ch == raw or ch == raw.lower()
    assert tokenize_normalized(text) == norm.split()


def test_non_ascii_text_offsets_by_hand() -> None:
    text = "£5m: ÉLITE co–ordination\u00a0\u00a0failed — Council’s"
    lx = lex(("élite", "a"), ("co-ordination failed", "b"), ("council", "c"))
    h = match_texts([text], lx)
    assert list(zip(h["entry"], h["start"], h["end"], h["matched"], h["token"], strict=True)) == [
        ("élite", 5, 10, "ÉLITE", 1),  # words: 5m élite co ordination failed council s
        ("co-ordination failed", 11, 32, "co–ordination\u00a0\u00a0failed", 2),
        ("council", 35, 42, "Council", 5),
    ]


def test_single_word_route_by_hand() -> None:
    lx = lex(("council", "a"), ("resign*", "b"), ("élite", "c"), ("co", "d"), ("care*", "e"), ("careful", "e"),
             exclude={"care*": ("career*",)})
    assert compile_lexicon(lx).words_only
    assert not compile_lexicon(lex(("co-ordination", "a"))).words_only  # hyphenated: also a two-word key
    assert not compile_lexicon(lex(("service", "a"), exclude={"service": ("memorial service",)})).words_only
    texts = ["The COUNCIL’s co–ordination; council\n\n  resigned—ÉLITE £council", "careful careers, care", ""]
    m = count_matrix(texts, lx)
    # council x3 (council’s, council, £council), resigned, ÉLITE, co; careful once per category, care
    assert m.toarray().tolist() == [[3, 1, 1, 1, 0], [0, 0, 0, 0, 2], [0, 0, 0, 0, 0]]
    hits = match_texts(texts, lx)  # the full route agrees
    assert hits.groupby(["text_id", "category"]).size().to_dict() == {
        (0, "a"): 3, (0, "b"): 1, (0, "c"): 1, (0, "d"): 1, (1, "e"): 2}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="abc cab,.-’'\nÉé", max_size=40), max_size=8))
def test_single_word_counts_agree_with_the_hits_route(texts: list[str]) -> None:
    # unweighted counts take the single-word counting route; weighted counts (all weights 1) the hits route
    lx = lex(("ab", "a"), ("ab*", "a"), ("ca*", "b"), ("ab", "b"), ("é*", "c"), ("c", "c"), exclude={"ca*": ("cab*",)})
    assert compile_lexicon(lx).words_only
    assert {e.weight for e in lx.entries} == {1.0}
    fast = count_matrix(texts, lx)
    hits = match_texts(texts, lx)
    want = np.zeros((len(texts), 3), dtype=np.int64)
    np.add.at(want, (hits["text_id"].to_numpy(), hits["category"].map({"a": 0, "b": 1, "c": 2}).to_numpy()), 1)
    assert fast.dtype == np.int64
    assert fast.toarray().tolist() == want.tolist()
    assert fast.toarray().tolist() == count_matrix(texts, lx, weighted=True).toarray().astype(np.int64).tolist()


def _reference_word_counts(texts: list[str], lexicon: Lexicon) -> list[list[int]]:
    """Counts of a single-word lexicon, restated plainly: the words of :func:`_reference_normalize`, one at a time;
    a word counts once in each category that has an entry equal to it or a wildcard it starts with."""
    out = []
    for text in texts:
        row = [0] * len(lexicon.categories)
        for word in _reference_normalize(text).split():
            for j, cat in enumerate(lexicon.categories):
                pats = [e.pattern for e in lexicon.entries if e.category == cat]
                row[j] += any(word == p or (p.endswith("*") and word.startswith(p[:-1])) for p in pats)
        out.append(row)
    return out


def test_raw_route_applies_to_ascii_single_word_lexicons_only(matcher: str) -> None:
    plain = lex(("council", "a"), ("resign*", "b"), ("covid_19", "c"), ("2008", "c"))
    assert (raw_route(compile_lexicon(plain)) is not None) == (matcher == "hyperscan")
    for other in (lex(("élite", "a")),  # a non-ASCII key
                  lex(("council leader", "a")),  # a phrase
                  lex(("co-ordination", "a")),  # hyphenated: also a two-word key
                  lex(("care*", "a"), exclude={"care*": ("career*",)}),  # an exclusion
                  lex(("u.s.", "a"))):  # punctuation inside a key
        assert raw_route(compile_lexicon(other)) is None


def _raw_route_spy(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, for each chunk counted on the single-word route, whether the raw-byte route counted it."""
    used: list[bool] = []
    real = fm_hits.raw_word_counts

    def spy(*args: object, **kw: object) -> np.ndarray | None:
        counts = real(*args, **kw)  # type: ignore[arg-type]
        used.append(counts is not None)
        return counts

    monkeypatch.setattr(fm_hits, "raw_word_counts", spy)
    return used


def test_raw_route_counts_by_hand(matcher: str, monkeypatch: pytest.MonkeyPatch) -> None:
    used = _raw_route_spy(monkeypatch)
    lx = lex(("council", "a"), ("resign*", "b"), ("resignation", "b"), ("council", "c"), ("kids", "c"),
             ("covid_19", "d"), ("2008", "d"))
    texts = [
        "COUNCIL’s council\u00a0council—Council",  # four councils: ’, NBSP and the dash are separators
        "écouncil councilé council𝐀 £council council£ Councils XCouncil COUNCIL_ 9council",  # £council, council£
        "Resigned, RESIGNATION; designated re-signed resign",  # resign* x3, resignation once more in b: x3
        "",  # an empty text
        "covid_19 in 2008, covid-19 and 20080",  # covid_19 and 2008 only (a hyphen splits covid-19)
        "kids and the council",  # a hit at the very end
        "council",  # a hit that is the whole text
    ]
    want = [[4, 0, 4, 0], [2, 0, 2, 0], [0, 3, 0, 0], [0, 0, 0, 0], [0, 0, 0, 2], [1, 0, 2, 0], [1, 0, 1, 0]]
    assert count_matrix(texts, lx).toarray().tolist() == want
    assert _reference_word_counts(texts, lx) == want  # the restatement agrees with the hand count
    assert used == ([True] if matcher == "hyperscan" else [])
    # the Kelvin sign lower-cases to k ("Kids" written with it is "kids"): that chunk takes the normalised route
    kelvin = ["the \u212aids and the council", "council kids"]
    assert count_matrix(kelvin, lx).toarray().tolist() == [[1, 0, 2, 0], [1, 0, 2, 0]]
    assert used[1:] == ([False] if matcher == "hyperscan" else [])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab cAB_1,.-’'\n–\u00a0éÉ𝐀ǅk£İ\x00")), max_size=40),
                max_size=8))
def test_raw_route_counts_agree_with_a_plain_restatement(texts: list[str]) -> None:
    lx = lex(("ab", "a"), ("ab*", "a"), ("ca*", "b"), ("ab", "b"), ("c", "c"), ("b_1", "c"), ("k", "d"),
             ("a", "d"), ("1*", "d"))
    assert count_matrix(texts, lx).toarray().tolist() == _reference_word_counts(texts, lx)


def test_raw_route_chunks_give_the_same_counts(matcher: str, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"Text {i}: the Council’s resignation; é council{i % 3}, councilé {'council' * (i % 2)}"
             for i in range(40)]
    lx = lex(("council", "a"), ("resign*", "b"), ("council1", "c"))
    whole = count_matrix(texts, lx).toarray()
    assert whole.tolist() == _reference_word_counts(texts, lx)
    used = _raw_route_spy(monkeypatch)
    monkeypatch.setattr(fm_hits, "_CHUNK_CHARS", 120)
    assert count_matrix(texts, lx).toarray().tolist() == whole.tolist()
    assert len(used) == (len(fm_hits._chunk_bounds(texts)) if matcher == "hyperscan" else 0) and all(used)


def _layout(texts: list[str]) -> tuple[bytes, list[int]]:
    """The chunk layout restated: a space, then each text after two NUL bytes, two NUL bytes and a space."""
    out, starts = b" ", []
    for t in texts:
        out += b"\x00\x00"
        starts.append(len(out))
        out += t.encode("utf-8")
    return out + b"\x00\x00 ", starts


def test_joined_view_lays_texts_out_as_restated_across_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = [["council " * 50, "é£’", "x"], ["", "kids"], [], ["ab"], ["𝐀 council", "", ""]]  # shrinking and growing
    for texts in calls:
        with joined_view([t.encode() for t in texts]) as (raw, starts):
            want, want_starts = _layout(texts)
            assert bytes(raw) == want  # nothing left over from a longer earlier call
            if texts:
                assert starts.tolist() == want_starts
    monkeypatch.setattr(fm_words, "KEEP_MAX", 10)  # larger layouts: a bytes of their own, the same layout
    with joined_view([b"council " * 5, b"kids"]) as (raw, starts):
        assert isinstance(raw, bytes) and raw == _layout(["council " * 5, "kids"])[0]
        assert starts.tolist() == _layout(["council " * 5, "kids"])[1]


def test_joined_view_nested_in_an_open_view_leaves_it_intact() -> None:
    with joined_view([b"council", b"kids"]) as (outer, _):
        with joined_view([b"resignation " * 20]) as (inner, _):
            assert bytes(inner) == _layout(["resignation " * 20])[0]
        assert bytes(outer) == _layout(["council", "kids"])[0]
    with joined_view([b"x"]) as (again, _):  # the kept buffer is free again
        assert isinstance(again, memoryview) and bytes(again) == _layout(["x"])[0]


def test_raw_route_counts_do_not_see_an_earlier_longer_call(matcher: str) -> None:
    lx = lex(("council", "a"), ("kid*", "b"))
    first = ["the council " * 40 + "kids", "Council"]
    second = ["kid", ""]  # shorter: the kept buffer still holds the first call's bytes past its end
    for texts in (first, second, first[::-1]):
        assert count_matrix(texts, lx).toarray().tolist() == _reference_word_counts(texts, lx)


def test_raw_route_counts_in_threads_equal_the_plain_restatement(matcher: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    lx = lex(("council", "a"), ("kid*", "b"), ("council", "b"))
    calls = [[f"Council {'kids ' * (i % 7)}é council’s" * (1 + i % 5), "", "KID"] for i in range(24)]
    with ThreadPoolExecutor(max_workers=4) as pool:  # each thread lays its texts out in its own kept buffer
        got = list(pool.map(lambda texts: count_matrix(texts, lx).toarray().tolist(), calls))
    assert got == [_reference_word_counts(texts, lx) for texts in calls]
    phrases = lex(("council leader", "a"), ("no one", "b"), ("kid*", "b"))  # the normalised route, in threads too
    with ThreadPoolExecutor(max_workers=4) as pool:
        hits = list(pool.map(lambda texts: match_texts(texts, phrases), calls))
    for texts, h in zip(calls, hits, strict=True):
        assert h.equals(match_texts(texts, phrases))


def _reference_chunks(lengths: list[int], limit: int) -> list[tuple[int, int]]:
    """Chunks restated: texts are taken while the chunk's characters (each text and its separator) stay under
    ``limit``; a chunk holds at least one text."""
    out, i = [], 0
    while i < len(lengths):
        j, total = i, 0
        while j < len(lengths) and total + lengths[j] + 2 < limit:
            total, j = total + lengths[j] + 2, j + 1
        j = max(j, i + 1)
        out.append((i, j))
        i = j
    return out


@pytest.mark.parametrize("lengths", [[], [0], [3], [8], [9], [2, 3], [3, 3], [4, 3], [20, 1, 1], [1, 1, 1, 1, 5]])
def test_chunk_bounds_agree_with_a_restatement(lengths: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fm_hits, "_CHUNK_CHARS", 11)  # one chunk holds less than 11 characters with separators
    assert fm_hits._chunk_bounds(["x" * n for n in lengths]) == _reference_chunks(lengths, 11)


def test_same_results_across_matchers() -> None:
    if len(MATCHERS) < 2:
        pytest.skip("hyperscan is not installed")
    texts = ["No agency co-ordinated the council leader’s review.", "Resignation, not-resigned; the council."]
    lx = lex(("council", "a"), ("council leader", "b"), ("co-ordinat*", "c"), ("resign*", "d"))
    frames = []
    for name in MATCHERS:
        fm_matcher.MATCHER = name
        frames.append(match_texts(texts, lx))
    assert frames[0].equals(frames[1])
    assert frames[0]["entry"].tolist() == ["co-ordinat*", "council leader", "resign*", "resign*", "council"]
    assert np.array_equal(frames[0]["negated"].to_numpy(), [True, True, False, True, False])


def test_many_lexicons_in_one_pass_give_each_lexicon_its_own_hits(monkeypatch: pytest.MonkeyPatch) -> None:
    # the reference: one match_sentences call per lexicon; chunks small enough that the texts span several
    monkeypatch.setattr(fm_hits, "_CHUNK_CHARS", 60)
    sents = pd.DataFrame({"doc_id": ["a", "a", "b"], "sent_id": [0, 1, 0], "start": [0, 40, 0],
                          "text": ["The council did not fail the child.", "Nobody blamed the minister.",
                                   "Social workers failed; the agency was never inspected."]})
    lexicons = ["blame_frames", "blame_cues"]
    many = match_sentences_many(sents, lexicons)
    for got, lex in zip(many, lexicons, strict=True):
        pd.testing.assert_frame_equal(got, match_sentences(sents, lex))
    # by hand: "fail" (after "not") and "never inspected" are negated cue hits
    cues = many[1]
    assert cues["negated"].any() and not cues["negated"].all()
    with pytest.raises(ParameterError, match="text"):
        match_sentences_many(sents.drop(columns="text"), lexicons)


# --- what a word is, as count_matrix documents it (usability trial, issue 9/10 follow-up) ----------------------


def test_words_split_at_apostrophes_hyphens_and_punctuation_unlike_liwc22() -> None:
    lx = Lexicon("w", "1", ("aux", "govt", "num", "cafe"), (
        Entry("can", "aux", "word"), Entry("it", "aux", "word"), Entry("s", "aux", "word"),
        Entry("government", "govt", "word"), Entry("abuse", "govt", "word"),
        Entry("100", "num", "word"), Entry("café", "cafe", "word"),
    ))
    texts = ["I can't say.", "It's the government's abuse-related fault.", "100,000 people", "café", "cafe\u0301"]
    # by hand: "can't" = can + t (aux 1); "It's" = it + s (aux 2), "government's" = government + s (aux 3,
    # govt 1), "abuse-related" = abuse + related (govt 2); "100,000" = 100 + 000; NFD "cafe" + U+0301 is the
    # word "cafe" and a separator, so the composed entry "café" does not match it
    want = [[1, 0, 0, 0], [3, 2, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 0]]
    assert count_matrix(texts, lx).toarray().tolist() == want
    # an entry with an apostrophe matches every apostrophe and the split form; listed beside "can", the longer
    # match wins, so "can" no longer counts inside "can't"
    both = Lexicon("b", "1", ("aux", "negate"), (Entry("can", "aux", "word"), Entry("can't", "negate", "word")))
    assert count_matrix(["can't", "can\u2019t", "can t", "can"], both).toarray().tolist() == [
        [0, 1], [0, 1], [0, 1], [1, 0]]


def test_count_matrix_is_exported_with_a_numpy_docstring() -> None:
    import doctest

    import framing

    assert "count_matrix" in framing.__all__ and framing.count_matrix is count_matrix
    doc = count_matrix.__doc__ or ""
    for section in ("Parameters\n", "Returns\n", "Notes\n", "Examples\n", "csr_matrix"):
        assert section in doc
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in finder.find(count_matrix, "count_matrix", globs={}):
        runner.run(test)
    assert runner.summarize(verbose=False).attempted >= 2
    assert runner.summarize(verbose=False).failed == 0


def test_shipped_fired_and_lying_are_not_matched_as_the_second_part_of_a_compound() -> None:
    # blame_frames (individual: sanctions on persons, personal conduct) and blame_cues (accountability): a
    # coal-fired plant is no sanction and low-lying land no lie; the person fired and the lying minister are
    texts = ["The coal-fired plant and the gas-fired one stand on low-lying land.",
             "The director was fired for lying to the inquiry."]
    frames = match_texts(texts, "blame_frames")
    assert frames.loc[frames["entry"].isin(["fired", "lying"]), ["text_id", "matched"]].values.tolist() == [
        [1, "fired"], [1, "lying"]]
    cues = match_texts(texts, "blame_cues")
    assert cues.loc[cues["entry"] == "fired", "text_id"].tolist() == [1]
