"""Tests for framing.cases: the case-file loader, checker, merge and the ``framing case`` command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from framing.cases import Case, CaseEntry, check_case, list_cases, load_case, merge_lexicons, resolve_case
from framing.cases._model import CASE_DIR
from framing.cli import main as cli_main
from framing.errors import CaseError, FramingError
from framing.lexicon import Entry, Lexicon, load_lexicon, normalize_pattern
from framing.match import match_texts
from framing.types import ACTORS, FRAMES

HEADER = 'case: test\nversion: "1"\nentries:\n'


def _write(tmp_path: Path, body: str, name: str = "case.yaml") -> Path:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


# --- loading ------------------------------------------------------------------------------------------


def test_load_minimal_case_by_path(tmp_path: Path) -> None:
    p = _write(tmp_path, HEADER + "  - {pattern: jane doe, actor: director, frame: individual, rationale: the DCS}\n"
                                  "  - pattern: [acme council, acme]\n    actor: council\n    frame: systemic\n")
    case = load_case(p)
    assert case.name == "test" and case.version == "1" and case.source == p
    assert case.entries == (
        CaseEntry("jane doe", "director", "individual", (), "the DCS", 4),
        CaseEntry("acme council", "council", "systemic", (), "", 5),
        CaseEntry("acme", "council", "systemic", (), "", 5),
    )
    assert load_case(case) is case
    assert resolve_case(None) is None and resolve_case(p) == case


def test_a_case_file_is_parsed_once_until_it_changes(tmp_path: Path) -> None:
    import os

    p = _write(tmp_path, HEADER + "  - {pattern: jane doe, actor: director, frame: individual}\n")
    first = load_case(p)
    assert load_case(str(p)) is first  # served from the cache: the same object
    p.write_text(HEADER + "  - {pattern: john roe, actor: director, frame: political}\n", encoding="utf-8")
    os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns + 1_000_000_000))
    changed = load_case(p)
    assert changed is not first and [e.pattern for e in changed.entries] == ["john roe"]
    bad = _write(tmp_path, HEADER + "  - {pattern: x, actor: nobody, frame: individual}\n", "bad.yaml")
    for _ in range(2):  # an invalid file is never cached: it fails every time
        with pytest.raises(CaseError, match=r"bad\.yaml"):
            load_case(bad)


def test_shipped_cases_and_template() -> None:
    assert list_cases() == ["baby_p"]  # the template is not a case
    baby = load_case("baby_p")
    assert baby.name == "baby_p" and len(baby.entries) > 50
    assert all(e.actor in ACTORS and e.frame in (*FRAMES, "none") for e in baby.entries)
    assert baby.actors == ()  # the study's case declares no actor of its own: the 13 stay the contract
    template = load_case(CASE_DIR / "TEMPLATE.yaml")
    assert template.name == "my_case" and template.entries
    assert check_case("baby_p") == []
    assert [i for i in check_case(CASE_DIR / "TEMPLATE.yaml") if i.level == "error"] == []


def test_baby_p_maps_the_issue_examples() -> None:
    by_pattern = {e.pattern: (e.actor, e.frame) for e in load_case("baby_p").entries}
    assert by_pattern["sharon shoesmith"] == ("director", "individual")
    assert by_pattern["haringey council"] == ("council", "systemic")
    assert by_pattern["ed balls"] == ("government", "political")
    assert by_pattern["ofsted"] == ("inspectors", "systemic")
    assert by_pattern["coughlin"] == ("director", "individual")
    assert by_pattern["the sun"][0] == "media"


def test_actors_lexicon_has_no_proper_names() -> None:
    base = load_lexicon("actors")
    assert base.categories == ACTORS
    names = {normalize_pattern(e.pattern) for e in load_case("baby_p").entries}
    assert not names & {normalize_pattern(e.pattern) for e in base.entries}
    for e in base.entries:  # roles only: nothing that names this case
        assert not re.search(r"haringey|shoesmith|balls|ofsted|laming|connelly|climbi", e.pattern)


def test_frame_lexicon_and_actor_lexicon(tmp_path: Path) -> None:
    p = _write(tmp_path, HEADER + "  - {pattern: jane doe, actor: director, frame: individual}\n"
                                  "  - {pattern: acme, actor: council, frame: systemic}\n"
                                  "  - {pattern: director, actor: management, frame: individual}\n")
    case = load_case(p)
    fl = case.frame_lexicon()
    assert fl.categories == FRAMES
    assert [(e.pattern, e.category) for e in fl.entries] == [
        ("jane doe", "individual"), ("acme", "systemic"), ("director", "individual")]
    al = case.actor_lexicon()
    # the case's own entries are there under their actor ids
    assert ("jane doe", "director") in [(e.pattern, e.category) for e in al.entries]
    # the case wins on a duplicate: 'director' is now management only
    assert [e.category for e in al.entries if e.pattern == "director"] == ["management"]
    # base entries the case does not touch stay
    assert ("social worker*", "social_workers") in [(e.pattern, e.category) for e in al.entries]
    hits = match_texts(["Jane Doe told Acme's social workers."], al)
    assert sorted(zip(hits["matched"].str.lower(), hits["category"], strict=True)) == [
        ("acme", "council"), ("jane doe", "director"), ("social workers", "social_workers")]


def test_merge_lexicons_later_wins_after_normalisation() -> None:
    a = Lexicon("a", "1", ("x", "y"), (Entry("children's services", "x", "phrase"), Entry("keep", "y", "word")))
    b = Lexicon("b", "2", ("y", "z"), (Entry("Children’s  Services", "z", "phrase"),))
    m = merge_lexicons(a, b)
    assert m.categories == ("x", "y", "z")
    assert [(e.pattern, e.category) for e in m.entries] == [("keep", "y"), ("Children’s  Services", "z")]
    assert m.name == "a+b"
    with pytest.raises(FramingError):
        merge_lexicons()


# --- errors: each names file, line and key -----------------------------------------------------------


@pytest.mark.parametrize(("body", "line", "needle"), [
    (HEADER + "  - {pattern: a, actor: director, frame: individual}\n  - pattern: a: b\n", 5, "invalid YAML"),
    (HEADER + "  - {pattern: jane doe, actor: director, frame: individual, colour: red}\n", 4, "unknown key 'colour'"),
    ('case: t\nentries: []\nauthor: me\n', 3, "unknown key 'author'"),
    (HEADER + "  - pattern: jane doe\n    actor: headteacher\n    frame: individual\n", 5,
     "key 'actor': unknown actor id 'headteacher'"),
    (HEADER + "  - pattern: jane doe\n    actor: director\n    frame: personal\n", 6,
     "key 'frame': unknown frame 'personal'"),
    (HEADER + "  - {pattern: 'jane*doe', actor: director, frame: individual}\n", 4, "invalid pattern 'jane*doe'"),
    (HEADER + "  - {actor: director, frame: individual}\n", 4, "missing key 'pattern'"),
    ("entries: []\n", 1, "missing key 'case'"),
    (HEADER + "  - just a string\n", 4, "an entry must be a mapping"),
    (HEADER + "  - pattern: jane doe\n    actor: director\n    actor: council\n    frame: individual\n", 6,
     "key 'actor' given twice"),
    (HEADER + "  - {pattern: [], actor: director, frame: individual}\n", 4, "key 'pattern' is an empty list"),
])
def test_load_errors_name_file_line_and_key(tmp_path: Path, body: str, line: int, needle: str) -> None:
    p = _write(tmp_path, body)
    with pytest.raises(CaseError) as info:
        load_case(p)
    msg = str(info.value)
    assert f"{p}:{line}:" in msg and needle in msg
    issues = check_case(p)
    assert any(i.level == "error" and i.line == line and needle in i.message for i in issues)


def test_all_problems_are_listed(tmp_path: Path) -> None:
    p = _write(tmp_path, HEADER + "  - {pattern: a, actor: boss, frame: individual}\n"
                                  "  - {pattern: b, actor: director, frame: moral}\n")
    with pytest.raises(CaseError) as info:
        load_case(p)
    assert f"{p}:4:" in str(info.value) and f"{p}:5:" in str(info.value)


def test_missing_case() -> None:
    with pytest.raises(CaseError, match="not a file and not a shipped case"):
        load_case("no_such_case")


# --- check: duplicates and entries that cannot match ---------------------------------------------------


def test_check_duplicates(tmp_path: Path) -> None:
    p = _write(tmp_path, HEADER + "  - {pattern: ed balls, actor: government, frame: political}\n"
                                  "  - {pattern: Ed  Balls, actor: government, frame: political}\n"
                                  "  - {pattern: ed-balls, actor: government, frame: political}\n"
                                  "  - {pattern: acme, actor: council, frame: systemic}\n"
                                  "  - {pattern: acme, actor: council, frame: systemic}\n"
                                  "  - {pattern: children’s unit, actor: council, frame: systemic}\n"
                                  "  - {pattern: children's unit, actor: health, frame: systemic}\n")
    issues = [i for i in check_case(p, base=None) if i.code == "duplicate"]
    assert [(i.line, i.level) for i in issues] == [(5, "error"), (6, "error"), (8, "error"), (10, "error")]
    assert "listed twice" in issues[2].message
    assert "after normalisation" in issues[0].message
    assert "council/systemic" in issues[3].message and "health/systemic" in issues[3].message


def test_check_cannot_match(tmp_path: Path) -> None:
    p = _write(tmp_path, HEADER + "  - {pattern: acme, actor: council, frame: systemic, exclude: [acme]}\n"
                                  "  - {pattern: doe, actor: director, frame: individual, exclude: [jane roe]}\n"
                                  "  - {pattern: \"'\", actor: director, frame: individual}\n")
    issues = check_case(p, base=None)
    got = {(i.line, i.code) for i in issues}
    assert (6, "cannot-match") in got  # empty after normalisation
    # the entry-level checks run on the entries that parsed, beside the malformed one
    assert {(4, "cannot-match"), (5, "exclusion-never-applies")} <= got
    p2 = _write(tmp_path, HEADER + "  - {pattern: acme, actor: council, frame: systemic, exclude: [acme]}\n"
                                   "  - {pattern: doe, actor: director, frame: individual, exclude: [jane roe]}\n",
                "two.yaml")
    got2 = {(i.line, i.code, i.level) for i in check_case(p2, base=None)}
    assert got2 == {(4, "cannot-match", "error"), (5, "exclusion-never-applies", "error")}


def test_check_shadowed_and_base(tmp_path: Path) -> None:
    p = _write(tmp_path, HEADER + "  - {pattern: acme*, actor: council, frame: systemic}\n"
                                  "  - {pattern: acmeton, actor: council, frame: systemic}\n"
                                  "  - {pattern: acmeville, actor: police, frame: systemic}\n"
                                  "  - {pattern: social worker, actor: social_workers, frame: individual}\n"
                                  "  - {pattern: police, actor: government, frame: political}\n")
    got = {(i.line, i.code, i.level) for i in check_case(p)}
    assert got == {(5, "shadowed", "warning"), (6, "also-matched", "warning"), (7, "in-base", "warning"),
                   (8, "overrides-base", "warning")}
    assert {i.code for i in check_case(p, base=None)} == {"shadowed", "also-matched"}


# --- CLI ------------------------------------------------------------------------------------------------


def test_cli_case_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path, HEADER + "  - {pattern: jane doe, actor: director, frame: individual}\n", "good.yaml")
    assert cli_main(["case", "check", str(good)]) == 0
    assert "0 error(s)" in capsys.readouterr().out
    bad = _write(tmp_path, HEADER + "  - {pattern: a, actor: director, frame: individual}\n"
                                    "  - {pattern: a, actor: director, frame: individual}\n", "bad.yaml")
    assert cli_main(["case", "check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:5: error: [duplicate]" in out
    broken = _write(tmp_path, HEADER + "  - {pattern: a, actor: nobody, frame: individual}\n", "broken.yaml")
    assert cli_main(["case", "check", str(broken)]) == 1
    assert f"{broken}:4: error: [unknown-actor]" in capsys.readouterr().out
    assert cli_main(["case", "check", str(tmp_path / "missing.yaml")]) == 2
    assert cli_main(["case", "check", "baby_p"]) == 0
    assert cli_main(["case", "list"]) == 0
    assert "baby_p" in capsys.readouterr().out


def test_case_is_frozen() -> None:
    case = load_case("baby_p")
    assert isinstance(case, Case)
    with pytest.raises(AttributeError):
        case.name = "other"  # type: ignore[misc]


def test_cli_frames_takes_a_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pandas as pd

    with_case, without = tmp_path / "with.csv", tmp_path / "without.csv"
    assert cli_main(["frames", "data/raw", "--out", str(with_case), "--case", "baby_p"]) == 0
    assert cli_main(["frames", "data/raw", "--out", str(without)]) == 0
    a, b = pd.read_csv(with_case), pd.read_csv(without)
    named = a["text"].str.contains("Shoesmith")
    assert named.any()
    assert (a.loc[named, "n_individual"] >= 1).all()  # the case file names her: an individual locus
    assert (a.loc[named, "n_individual"] > b.loc[named, "n_individual"]).all()  # no name in the generic layer
    missing = tmp_path / "missing.yaml"
    assert cli_main(["frames", "data/raw", "--out", str(tmp_path / "x.csv"), "--case", str(missing)]) == 2
    assert "missing.yaml" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_check_reports_every_problem_at_once(tmp_path: Path) -> None:
    p = _write(tmp_path, HEADER + "  - {pattern: ed balls, actor: government, frame: political}\n"
                                  "  - {pattern: Ed  Balls, actor: government, frame: political}\n"
                                  "  - {pattern: x, actor: govt, frame: political}\n")
    got = [(i.line, i.code) for i in check_case(p, base=None)]
    assert got == [(5, "duplicate"), (6, "unknown-actor")]
    with pytest.raises(CaseError) as info:
        load_case(p)
    assert f"{p}:6:" in str(info.value)
