"""Lexicon model, file formats (own YAML, quanteda YAML, LIWC .dic/.dicx), checks, shipped lexicons."""

from __future__ import annotations

import re
import warnings
from contextlib import nullcontext
from pathlib import Path

import pandas as pd
import pytest

from framing.cli import main as cli_main
from framing.errors import LexiconError
from framing.lexicon import (
    Entry,
    Lexicon,
    LexiconWarning,
    check_lexicon,
    entry_kind,
    list_lexicons,
    load_lexicon,
    normalize_pattern,
    pattern_variants,
    save_lexicon,
)
from framing.types import ACTORS, FRAMES

OWN = """\
name: demo
version: "2.1"
description: A demo lexicon.
categories:
  blame:
    description: Fault talk.
    entries:
      - blame*
      - pattern: at fault
        weight: 2
        rationale: a phrase
      - pattern: care*
        exclude: [career*, "child care"]
  people:
    - Social Worker
    - Children’s Services
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def pairs(lex: Lexicon) -> set[tuple[str, str]]:
    return {(e.pattern, e.category) for e in lex.entries}


# --- model ----------------------------------------------------------------------------------------------


def test_entry_kind_and_normalisation() -> None:
    assert entry_kind("resign*") == "prefix"
    assert entry_kind("sacked") == "word"
    assert entry_kind("serious case review") == "phrase"
    assert entry_kind("child protection plan*") == "phrase"
    assert normalize_pattern("Children’s  Services") == "children s services"
    assert normalize_pattern("co–ordination") == "co ordination"
    assert normalize_pattern("Resign*") == "resign*"
    assert pattern_variants("co-ordination") == ["co ordination", "coordination"]
    assert pattern_variants("front-line*") == ["front line*", "frontline*"]
    assert pattern_variants("council") == ["council"]


def test_load_own_yaml(tmp_path: Path) -> None:
    lex = load_lexicon(write(tmp_path, "demo.yaml", OWN))
    assert (lex.name, lex.version, lex.description) == ("demo", "2.1", "A demo lexicon.")
    assert lex.categories == ("blame", "people")
    assert lex.describe("blame") == "Fault talk."
    assert lex.terms("blame") == ["blame*", "at fault", "care*"]
    assert lex.terms("people") == ["Social Worker", "Children’s Services"]
    at_fault = lex.entries[1]
    assert at_fault == Entry("at fault", "blame", "phrase", 2.0, (), "a phrase")
    assert lex.entries[2].exclude == ("career*", "child care")
    assert lex.source is not None and lex.source.name == "demo.yaml"
    with pytest.raises(LexiconError, match="no category 'nope'"):
        lex.terms("nope")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("categories:\n  a: [x\n", r"demo\.yaml:\d+: YAML syntax error"),
        ("name: x\ncolour: red\ncategories:\n  a: [x]\n", r"demo\.yaml:2: unknown key 'colour'"),
        ("categories:\n  a:\n    entries:\n      - pattern: x\n        wieght: 2\n",
         r"demo\.yaml:5: unknown key 'wieght'"),
        ("categories:\n  a: []\n", r"category 'a' has no entries"),
        ("categories:\n  a:\n    description: empty\n", r"demo\.yaml:2: category 'a' has no entries"),
        ("categories:\n  a:\n    - ok\n    - bad*word\n", r"demo\.yaml:4: invalid pattern 'bad\*word'"),
        ("categories:\n  a:\n    - '*x'\n", r"demo\.yaml:3: invalid pattern"),
        ("categories:\n  a:\n    - pattern: x\n      weight: -1\n", r"demo\.yaml:3: weight of 'x' must be a positive"),
        ("categories:\n  a:\n    - weight: 2\n", r"demo\.yaml:3: entry of 'a' has no 'pattern'"),
        ("categories:\n  a: [x]\n  a: [y]\n", r"demo\.yaml:3: duplicate key 'a'"),
        ("version: 1\n", r"missing key 'categories'"),
        ("", r"empty lexicon file"),
    ],
)
def test_malformed_own_yaml_names_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(LexiconError, match=message):
        load_lexicon(write(tmp_path, "demo.yaml", text))


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="no lexicon 'nope_lexicon'"):
        load_lexicon("nope_lexicon")
    with pytest.raises(LexiconError, match=r"unknown lexicon format '\.txt'"):
        load_lexicon(write(tmp_path, "x.txt", "a"))
    with pytest.raises(LexiconError, match="unknown format"):
        save_lexicon(load_lexicon(write(tmp_path, "d.yaml", OWN)), tmp_path / "x.json")


# --- quanteda -----------------------------------------------------------------------------------------------


def test_quanteda_yaml_nested_categories(tmp_path: Path) -> None:
    text = "care:\n  virtue: [kind*, compassion]\n  vice: [harm*]\nfairness: [fair, 'equal rights']\n"
    lex = load_lexicon(write(tmp_path, "mfd.yml", text))
    assert lex.categories == ("care.virtue", "care.vice", "fairness")
    assert pairs(lex) == {("kind*", "care.virtue"), ("compassion", "care.virtue"), ("harm*", "care.vice"),
                          ("fair", "fairness"), ("equal rights", "fairness")}
    assert lex.version == "unversioned" and lex.name == "mfd"


def test_quanteda_bad_shapes(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match=r"mfd\.yml:1: expected a mapping of categories"):
        load_lexicon(write(tmp_path, "mfd.yml", "- kind\n- harm\n"))
    with pytest.raises(LexiconError, match=r"mfd\.yml:1: category 'care' must be a list"):
        load_lexicon(write(tmp_path, "mfd.yml", "care: 3\n"))
    with pytest.raises(LexiconError, match=r"mfd\.yml:2: invalid pattern 'ha\?m'"):
        load_lexicon(write(tmp_path, "mfd.yml", "care:\n  - ha?m\n"))


# --- LIWC .dic --------------------------------------------------------------------------------------------


def test_dic_with_real_world_quirks(tmp_path: Path) -> None:
    text = (
        "\ufeff%\r\n1\tposemo\r\n02 negemo\r\n\r\n%\r\n"
        "happy\t1\r\n\r\n"
        "sad*\t\t2\r\n"  # repeated tab
        "kind of\t1\r\n"  # multi-word (LIWC2015)
        "hate 2\r\n"  # space instead of tab
        "happy\t1\t2\r\n"  # duplicate entry: categories merged
        "like\t(02 134)1/2\t2\r\n"  # LIWC2007 conditional code: skipped, plain ids kept
    )
    lex = load_lexicon(write(tmp_path, "liwc.dic", text))
    assert lex.categories == ("posemo", "negemo")
    assert pairs(lex) == {("happy", "posemo"), ("kind of", "posemo"), ("sad*", "negemo"), ("hate", "negemo"),
                          ("happy", "negemo"), ("like", "negemo")}
    assert {e.kind for e in lex.entries if e.pattern == "sad*"} == {"prefix"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1\tposemo\n%\nhappy\t1\n", r"liwc\.dic:1: a LIWC \.dic file must start"),
        ("%\n1\tposemo\nhappy\t1\n", r"liwc\.dic:3: bad category line 'happy\\t1'"),
        ("%\n1\tposemo\n", r"liwc\.dic:\d+: the category section is not closed"),
        ("%\nx posemo\n%\nhappy\t1\n", r"liwc\.dic:2: bad category line 'x posemo'"),
        ("%\n1\tposemo\n%\nhappy\t1\nsad\t7\n", r"liwc\.dic:5: entry 'sad' refers to undefined category 7"),
        ("%\n1\tposemo\n%\nhappy\n", r"liwc\.dic:4: bad entry line 'happy'"),
        ("%\n1\tposemo\n%\nha*ppy\t1\n", r"liwc\.dic:4: invalid pattern"),
        ("%\n1\tposemo\n%\nha?py\t1\n", r"liwc\.dic:4: invalid pattern"),
        ("%\n1\tposemo\n1\tnegemo\n%\n", r"liwc\.dic:3: category number 1 defined twice"),
    ],
)
def test_bad_dic_names_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(LexiconError, match=message):
        load_lexicon(write(tmp_path, "liwc.dic", text))


def test_foreign_entries_that_cannot_match_are_skipped_with_a_warning(tmp_path: Path) -> None:
    text = "%\n1\tnetspeak\n%\n:)\t1\nlol\t1\nb/c\t1\n"
    with pytest.warns(LexiconWarning, match=r"liwc\.dic: skipped 2 entries .*line 4: ':\)'; 6: 'b/c'"):
        lex = load_lexicon(write(tmp_path, "liwc.dic", text))
    assert pairs(lex) == {("lol", "netspeak")}
    with pytest.warns(LexiconWarning, match="skipped 1 entry"):
        q = load_lexicon(write(tmp_path, "q.yml", "smile: [':-)', grin*]\n"))
    assert pairs(q) == {("grin*", "smile")}


def test_dicx_x_and_weights(tmp_path: Path) -> None:
    text = "DicTerm,Blame,Praise\nfault*,X,\ncredit,,x\nmixed,0.5,2\nnone,,\n"
    lex = load_lexicon(write(tmp_path, "d.dicx", text))
    assert lex.categories == ("Blame", "Praise")
    got = {(e.pattern, e.category, e.weight) for e in lex.entries}
    assert got == {("fault*", "Blame", 1.0), ("mixed", "Blame", 0.5), ("credit", "Praise", 1.0),
                   ("mixed", "Praise", 2.0)}
    with pytest.raises(LexiconError, match=r"d2\.dicx:2: cell 'yes' in column 'Blame'"):
        load_lexicon(write(tmp_path, "d2.dicx", "DicTerm,Blame\nfault,yes\n"))
    with pytest.raises(LexiconError, match=r"d3\.csv:1: header"):
        load_lexicon(write(tmp_path, "d3.csv", "DicTerm\nfault\n"))


# --- round trips ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".yaml", ".dic", ".dicx", ".csv", "quanteda"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    lex = load_lexicon(write(tmp_path, "demo.yaml", OWN))
    if suffix == "quanteda":
        out = save_lexicon(lex, tmp_path / "q.yml", format="quanteda")
    else:
        out = save_lexicon(lex, tmp_path / f"out{suffix}")
    back = load_lexicon(out)
    assert back.categories == lex.categories
    assert pairs(back) == pairs(lex)
    if suffix == ".yaml":
        assert back.entries == lex.entries and back.version == "2.1" and back.describe("blame") == "Fault talk."
    if suffix in (".dicx", ".csv"):
        assert {e.pattern: e.weight for e in back.entries}["at fault"] == 2.0
    fmt = "quanteda" if suffix == "quanteda" else None
    again = save_lexicon(back, tmp_path / f"again{Path(str(out)).suffix}", format=fmt)
    assert Path(again).read_bytes() == Path(out).read_bytes()  # a second trip changes nothing


def test_dic_round_trip_of_shipped_lexicon_is_stable(tmp_path: Path) -> None:
    lex = load_lexicon("blame_frames")
    with pytest.warns(LexiconWarning, match="cannot hold everything"):  # weights, exclusions, rationales
        a = save_lexicon(lex, tmp_path / "a.dic")
    b = save_lexicon(load_lexicon(a), tmp_path / "b.dic")
    assert a.read_text() == b.read_text()
    assert pairs(load_lexicon(b)) == pairs(lex)


# --- checks -----------------------------------------------------------------------------------------------


def make(*items: tuple[str, str], exclude: dict[str, tuple[str, ...]] | None = None) -> Lexicon:
    exclude = exclude or {}
    cats = tuple(dict.fromkeys(c for _, c in items))
    return Lexicon("t", "1", cats, tuple(Entry(p, c, entry_kind(p), exclude=exclude.get(p, ())) for p, c in items))


def codes(lex: Lexicon) -> set[tuple[str, str, str]]:
    return {(i.code, i.category, i.pattern) for i in check_lexicon(lex)}


def test_check_lexicon_finds_problems() -> None:
    lex = make(
        ("resign*", "a"), ("resigned", "a"), ("Resign*", "a"), ("co-ordination", "a"), ("coordination", "a"),
        ("minister", "b"), ("minist*", "c"), ("co*", "c"), ("care*", "d"),
        exclude={"care*": ("careful", "nurse")},
    )
    got = codes(lex)
    assert ("duplicate", "a", "Resign*") in got
    assert ("duplicate", "a", "coordination") in got
    assert ("shadowed", "a", "resigned") in got
    assert ("cross-wildcard", "b", "minister") in got
    assert ("short-wildcard", "c", "co*") in got
    assert ("exclusion-never-applies", "d", "care*") in got  # 'nurse' cannot contain care*
    issues = check_lexicon(lex)
    assert issues[0].level == "error" and issues[-1].level == "warning"
    assert "'careful'" not in str([i for i in issues if i.code == "exclusion-never-applies"])


def test_clean_lexicon_has_no_issues(tmp_path: Path) -> None:
    assert check_lexicon(make(("blame*", "a"), ("at fault", "a"), ("council", "b"))) == []
    dup = write(tmp_path, "dup.dic", "%\n1\ta\n%\nfail*\t1\nfailed\t1\n")
    assert [(i.code, i.pattern) for i in check_lexicon(str(dup))] == [("shadowed", "failed")]


# --- shipped lexicons --------------------------------------------------------------------------------------


def test_shipped_lexicons() -> None:
    assert list_lexicons() == ["actors", "blame_cues", "blame_frames"]
    frames = load_lexicon("blame_frames")
    assert frames.categories == FRAMES
    assert load_lexicon("actors").categories == ACTORS
    for name in list_lexicons():
        lex = load_lexicon(name)
        assert check_lexicon(lex) == [], name
        assert lex.version and lex.description
        for c in lex.categories:
            assert lex.describe(c), (name, c)
            assert len(lex.terms(c)) >= 5, (name, c)
    assert "secretary of state" in frames.terms("political")
    assert "serious case review" in frames.terms("systemic")


def test_case_independent_lexicons_version_2() -> None:
    """blame_frames and blame_cues 2.x: written from the codebook, no names of one case (issue 9)."""
    for name in ("blame_frames", "blame_cues"):
        lex = load_lexicon(name)
        assert lex.version.startswith("2"), name
        assert all(e.rationale.startswith("codebook") for e in lex.entries), name
        words = {w for e in lex.entries for w in e.pattern.rstrip("*").split()}
        for proper in ("shoesmith", "haringey", "balls", "ofsted", "laming", "climbie", "connelly", "cameron"):
            assert proper not in words, (name, proper)
    frames = load_lexicon("blame_frames")
    # every concept named in the codebook's definition of a frame has entries (one example each)
    concepts = {
        "individual": ["social worker", "paediatrician", "misconduct", "incompetence", "sacked", "disciplined",
                       "should resign", "perpetrator", "take the blame", "bonus"],
        "systemic": ["agencies", "co-ordination", "information sharing", "procedures", "quality of practice",
                     "supervision", "risk assessment", "plans", "inspection", "budgets", "outsourcing",
                     "culture", "box-ticking"],
        "political": ["minister", "government", "labour", "councillor", "political accountability",
                      "buck stops here", "intervention", "point-scoring", "press", "public inquiry"],
    }
    for frame, terms in concepts.items():
        missing = [t for t in terms if t not in frames.terms(frame)]
        assert not missing, (frame, missing)


def test_shipped_actors_2_3_a_petition_is_nobody_s_actor() -> None:
    """A petition is the campaign of whoever launched it (MPs, residents, creditors): not the media by itself."""
    from framing.match import match_sentences

    sents = pd.DataFrame({"doc_id": "d", "sent_id": range(3), "start": 0, "end": 0, "text": [
        "Ninety one MPs have signed a petition blaming the minister.",
        "Residents launched a petition against the council.",
        "The newspaper's campaign blamed the council.",
    ]})
    hits = match_sentences(sents, load_lexicon("actors"))
    by_sentence = hits.groupby("sent_id")["category"].agg(set).to_dict()
    assert by_sentence == {0: {"government"}, 1: {"council"}, 2: {"media", "council"}}


def test_shipped_cues_2_3_read_demands_for_answers_and_waste_in_its_two_senses() -> None:
    """2.3: demands that those responsible explain themselves and ordered inquiries are accountability cues;
    radioactive or household waste is material, not the failure of wasting money."""
    from framing.match import match_sentences

    sents = pd.DataFrame({"doc_id": "d", "sent_id": range(5), "start": 0, "end": 0, "text": [
        "Ministers have been asked to explain how the figures leaked.",
        "The first minister has ordered an inquiry into the escape.",
        "Intermediate level waste will be stored in the UK.",
        "The project was a waste of public money.",
        "The inspector expressed concern about the quality of teaching.",
    ]})
    hits = match_sentences(sents, load_lexicon("blame_cues"))
    by_sentence = hits.groupby("sent_id")["category"].agg(set).to_dict()
    assert "accountability" in by_sentence[0] and "accountability" in by_sentence[1]
    assert 2 not in by_sentence  # the material sense has no cue
    assert "failure" in by_sentence[3]
    assert "condemnation" in by_sentence[4]


# --- CLI ------------------------------------------------------------------------------------------------------


def test_cli_lexicon_convert_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bf.dicx"
    assert cli_main(["lexicon", "convert", "blame_frames", str(out)]) == 0
    assert pairs(load_lexicon(out)) == pairs(load_lexicon("blame_frames"))
    assert cli_main(["lexicon", "check", "blame_cues"]) == 0
    bad = write(tmp_path, "bad.yaml", "categories:\n  a: [x, X]\n")
    assert cli_main(["lexicon", "check", str(bad)]) == 1
    assert "duplicate" in capsys.readouterr().out
    broken = write(tmp_path, "broken.dic", "%\n1 a\n%\nx\t9\n")
    assert cli_main(["lexicon", "check", str(broken)]) == 2
    assert "broken.dic:4" in capsys.readouterr().err


# --- honest exchange (issues 12 and 13) ------------------------------------------------------------------


def test_dic_reports_every_undefined_category(tmp_path: Path) -> None:
    text = "%\n1\tposemo\n%\nhappy\t1\nsad\t7\nmad\t9 12\nglad\t7\t1\n"
    with pytest.raises(LexiconError) as info:
        load_lexicon(write(tmp_path, "liwc.dic", text))
    msg = str(info.value)
    assert "liwc.dic:5: entry 'sad' refers to undefined category 7" in msg
    assert "line 6: entry 'mad' refers to undefined categories 9, 12" in msg
    assert "line 7: entry 'glad' refers to undefined category 7" in msg
    assert "3 undefined category number(s): 7, 9, 12; the '%' section declares 1" in msg


def test_dicx_header_and_short_rows_are_checked_with_their_lines(tmp_path: Path) -> None:
    with pytest.warns(LexiconWarning, match=r"t\.dicx:1: the header starts with 'Term', not 'DicTerm'"):
        lex = load_lexicon(write(tmp_path, "t.dicx", "Term,Blame\nfault,X\n"))
    assert pairs(lex) == {("fault", "Blame")}
    with pytest.raises(LexiconError, match=r"h\.dicx:1: the first row \['fault', 'X', ''\] looks like a data row"):
        load_lexicon(write(tmp_path, "h.dicx", "fault,X,\nblame*,,X\n"))
    text = "DicTerm,Blame,Praise\nfault,X\n\ngood,,X\nodd,,\n"  # line 3 blank: later lines keep their numbers
    with pytest.warns(LexiconWarning) as record:
        lex = load_lexicon(write(tmp_path, "s.dicx", text))
    messages = [str(w.message) for w in record]
    assert any("s.dicx: 1 row(s) shorter than the header (missing cells read as empty): line 2 (2 of 3)" in m
               for m in messages)
    assert any("s.dicx: 1 term(s) marked in no category (never counted): line 5 'odd'" in m for m in messages)
    assert pairs(lex) == {("fault", "Blame"), ("good", "Praise")}


EXCHANGE = OWN.replace("      - pattern: care*\n", "      - pattern: precise\n        weight: 0.123456789\n"
                                                  "      - pattern: care*\n")
# What each format keeps, written out by hand from the formats' definitions (docs/lexicons.md)
KEEPS = {
    "own": {"weight", "exclude", "rationale", "meta"},
    "quanteda": set(),
    "dic": set(),
    "dicx": {"weight"},
}


def differences(before: Lexicon, after: Lexicon) -> set[str]:
    """What differs between two lexicons with the same entries in the same order, as 'attribute:pattern'."""
    assert [(e.pattern, e.category) for e in before.entries] == [(e.pattern, e.category) for e in after.entries]
    out = set()
    for a, b in zip(before.entries, after.entries, strict=True):
        for attr in ("weight", "exclude", "rationale"):
            if getattr(a, attr) != getattr(b, attr):
                out.add(f"{attr}:{a.pattern}")
    if (before.version, before.description, before.category_descriptions) != \
            (after.version, after.description, after.category_descriptions):
        out.add("meta")
    return out


@pytest.mark.parametrize("fmt", ["own", "quanteda", "dic", "dicx"])
def test_round_trip_preserves_what_the_format_holds_and_reports_the_rest(tmp_path: Path, fmt: str) -> None:
    lex = load_lexicon(write(tmp_path, "demo.yaml", EXCHANGE))
    out = tmp_path / {"own": "o.yaml", "quanteda": "q.yml", "dic": "d.dic", "dicx": "x.dicx"}[fmt]
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        save_lexicon(lex, out, format=fmt)
    back = load_lexicon(out)
    expected = {f"{attr}:{p}" for attr, p in [("weight", "at fault"), ("weight", "precise"), ("rationale", "at fault"),
                                              ("exclude", "care*")] if attr not in KEEPS[fmt]}
    expected |= set() if "meta" in KEEPS[fmt] else {"meta"}
    assert differences(lex, back) == expected  # preserved: everything the format holds, weights to the last digit
    warned = " ".join(str(w.message) for w in record if issubclass(w.category, LexiconWarning))
    for item in sorted(expected):
        attr, _, pattern = item.partition(":")
        label = {"weight": "weight", "exclude": "exclusion(s)", "rationale": "rationale", "meta": "lexicon: "}[attr]
        assert (f"'{pattern}': " in warned and label in warned) if pattern else label in warned
    assert bool(warned) == bool(expected)
    with pytest.raises(LexiconError, match="without losing information") if expected else nullcontext():
        save_lexicon(lex, tmp_path / f"strict{out.suffix}", format=fmt, strict=True)
    assert (tmp_path / f"strict{out.suffix}").exists() == (not expected)


@pytest.mark.parametrize("target", ["own.yaml", "quanteda.yml"])
def test_an_empty_category_converts_to_a_yaml_that_loads(tmp_path: Path, target: str) -> None:
    dic = load_lexicon(write(tmp_path, "e.dic", "%\n1\tblame\n2\tunused\n%\nfault\t1\n"))
    assert dic.categories == ("blame", "unused")
    fmt = "quanteda" if target.startswith("quanteda") else None
    with pytest.warns(LexiconWarning, match=r"unused: category with no entries \(dropped"):
        out = save_lexicon(dic, tmp_path / target, format=fmt)
    back = load_lexicon(out)
    assert back.categories == ("blame",) and pairs(back) == {("fault", "blame")}
    with pytest.raises(LexiconError, match=r"unused: category with no entries"):
        save_lexicon(dic, tmp_path / f"strict-{target}", format=fmt, strict=True)
    assert not (tmp_path / f"strict-{target}").exists()


def test_a_text_that_would_not_load_is_never_written(tmp_path: Path) -> None:
    lex = Lexicon("t", "unversioned", ("version",), (Entry("fault", "version", "word"),))
    with pytest.raises(LexiconError, match=r"q\.yml: the quanteda text would not load again"):
        save_lexicon(lex, tmp_path / "q.yml", format="quanteda")  # a category named 'version' reads as own YAML
    assert not (tmp_path / "q.yml").exists()


def test_load_lexicon_reuses_a_parsed_file_until_it_changes(tmp_path: Path) -> None:
    import os

    path = write(tmp_path, "cached.yaml", OWN)
    first = load_lexicon(path)
    assert load_lexicon(path) is first
    path.write_text(OWN.replace('version: "2.1"', 'version: "2.2"'),
                    encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = load_lexicon(path)
    assert again is not first and again.version == "2.2"


# --- a LIWC-22 / quanteda user's own dictionaries (usability trial, issue 9/10 follow-up) -----------------


def test_dic_duplicate_category_name_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "dupname.dic", "%\n1\tblame\n2\tblame\n%\nfault\t1\nerror\t2\n")
    with pytest.raises(LexiconError, match=r"dupname\.dic:3: category name 'blame' defined twice \(numbers 1 and 2\)"):
        load_lexicon(path)


@pytest.mark.parametrize(
    ("row", "line", "cell"),
    [("abuse*,0,", 3, "0"), ("harm,-1,", 3, "-1"), ("harm,,-0.5", 3, "-0.5")],
)
def test_dicx_non_positive_weight_names_file_line_and_term(tmp_path: Path, row: str, line: int, cell: str) -> None:
    path = write(tmp_path, "w.dicx", f"DicTerm,blame,govt\nfault,X,\n{row}\nerror,X,\n")
    term = re.escape(row.split(",")[0])
    with pytest.raises(LexiconError, match=rf"w\.dicx:{line}: weight '{cell}' of '{term}' in column '\w+' must be "
                                           "a positive number"):
        load_lexicon(path)


def test_non_utf8_dic_is_read_as_cp1252_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cp.dic"
    path.write_bytes(b"%\n1\tneg\n%\ndon\x92t\t1\ncaf\xe9\t1\n")  # Windows-1252: 0x92 is a right single quote
    with pytest.warns(LexiconWarning, match=r"cp\.dic: not valid UTF-8 \(line 4: byte 0x92\); read as "
                                            r"Windows-1252 \(cp1252\)"):
        lex = load_lexicon(path)
    assert pairs(lex) == {("don\u2019t", "neg"), ("caf\u00e9", "neg")}
    assert lex.dropped == ()  # nothing skipped as punctuation-only, as U+0092 (Latin-1) would have been


def test_utf8_dic_reads_without_an_encoding_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "u.dic", "%\n1\tneg\n%\ndon\u2019t\t1\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pairs(load_lexicon(path)) == {("don\u2019t", "neg")}


def test_decomposed_entries_are_read_composed(tmp_path: Path) -> None:
    path = write(tmp_path, "nfd.dic", "%\n1\temo\n%\ncafe\u0301\t1\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # not skipped as "cannot match words"
        lex = load_lexicon(path)
    assert [e.pattern for e in lex.entries] == ["caf\u00e9"]


def test_strict_convert_refuses_entries_dropped_when_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path, "my.dic", "%\n1\tblame\n2\temo\n%\nfault\t1\n:)\t2\n")
    out = tmp_path / "out.dicx"
    assert cli_main(["lexicon", "convert", str(src), str(out), "--strict"]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert "cannot write" in err and "my.dic: line 6: ':)': cannot match words (dropped when read)" in err
    assert cli_main(["lexicon", "convert", str(src), str(out)]) == 0
    err = capsys.readouterr().err
    assert "out.dicx: the dicx format cannot hold everything" in err and "1 loss(es)" in err and "':)'" in err
    assert pairs(load_lexicon(out)) == {("fault", "blame")}


def test_a_dicx_term_in_no_category_is_a_loss(tmp_path: Path) -> None:
    with pytest.warns(LexiconWarning):
        lex = load_lexicon(write(tmp_path, "n.dicx", "DicTerm,blame\nfault,X\nodd,\n"))
    with pytest.raises(LexiconError, match=r"line 3 'odd': term marked in no category \(dropped when read\)"):
        save_lexicon(lex, tmp_path / "n.yaml", strict=True)


def test_convert_refuses_to_overwrite_its_input(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    text = "%\n1\tblame\n%\nfault\t1\n"
    src = write(tmp_path, "same.dic", text)
    monkeypatch.chdir(tmp_path)
    assert cli_main(["lexicon", "convert", "same.dic", "./sub/../same.dic"]) == 2
    assert "is the input" in capsys.readouterr().err
    assert src.read_text() == text


def test_compound_tail_is_read_checked_and_written(tmp_path: Path) -> None:
    path = tmp_path / "l.yaml"
    path.write_text("name: l\nversion: '1'\ncategories:\n  individual:\n    entries:\n"
                    "      - pattern: fired\n        compound_tail: false\n      - sacked\n", encoding="utf-8")
    lx = load_lexicon(path)
    assert [(e.pattern, e.compound_tail) for e in lx.entries] == [("fired", False), ("sacked", True)]
    out = save_lexicon(lx, tmp_path / "again.yaml")
    assert "compound_tail: false" in out.read_text(encoding="utf-8")
    assert [e.compound_tail for e in load_lexicon(out).entries] == [False, True]
    with pytest.warns(LexiconWarning, match="'fired': compound_tail false"):  # LIWC .dic cannot hold it
        save_lexicon(lx, tmp_path / "l.dic")
    path.write_text(path.read_text(encoding="utf-8").replace("compound_tail: false", "compound_tail: no way"),
                    encoding="utf-8")
    with pytest.raises(LexiconError, match=r"l\.yaml:6: compound_tail of 'fired' must be true or false"):
        load_lexicon(path)
