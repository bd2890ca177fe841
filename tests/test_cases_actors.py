"""A case file's own actors (the ``actors`` section), ``frame: none`` entries, and the case-independent actors layer."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from framing.attribution import NoBlameCuesWarning, actor_frame_matrix, actor_ids, blame_attribution
from framing.cases import CaseActor, check_case, load_case
from framing.cli import main as cli_main
from framing.errors import CaseError
from framing.lexicon import load_lexicon, normalize_pattern
from framing.match import match_texts
from framing.types import ACTORS, FRAMES

CLIMATE = """case: climate
version: "0.1"
description: blame for climate change in news
actors:
  industry: {description: fossil-fuel companies, frame: systemic}
  activists: activists and environmental groups
entries:
  - {pattern: [exxonmobil, exxon], actor: industry}
  - {pattern: [greta thunberg, thunberg], actor: activists, frame: individual}
  - {pattern: greenpeace, actor: activists, frame: systemic}
  - {pattern: donald trump, actor: government, frame: political}
"""


def _write(tmp_path: Path, body: str, name: str = "case.yaml") -> Path:
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p


def _corpus(tmp_path: Path, docs: list[tuple[str, str, str]]):  # type: ignore[no-untyped-def]
    from framing.corpus import load_corpus, process_corpus

    path = tmp_path / "corpus.csv"
    pd.DataFrame(docs, columns=["doc_id", "genre", "text"]).to_csv(path, index=False)
    return process_corpus(load_corpus(path))


# --- the actors section --------------------------------------------------------------------------------


def test_declared_actors_load_with_their_default_frame(tmp_path: Path) -> None:
    case = load_case(_write(tmp_path, CLIMATE))
    assert case.actors == (CaseActor("industry", "fossil-fuel companies", "systemic", 5),
                           CaseActor("activists", "activists and environmental groups", "", 6))
    assert case.actor_ids == (*ACTORS, "industry", "activists")
    by_pattern = {e.pattern: (e.actor, e.frame) for e in case.entries}
    assert by_pattern["exxon"] == ("industry", "systemic")  # the actor's default frame
    assert by_pattern["thunberg"] == ("activists", "individual")  # an entry's own frame wins
    lex = case.actor_lexicon()
    assert lex.categories == (*ACTORS, "industry", "activists")
    assert lex.describe("industry") == "fossil-fuel companies"
    hits = match_texts(["Exxon funded it, Greenpeace said, and Donald Trump's officials agreed."], lex)
    assert sorted(zip(hits["matched"].str.lower(), hits["category"], strict=True)) == [
        ("donald trump", "government"), ("exxon", "industry"), ("greenpeace", "activists"),
        ("officials", "management")]


def test_check_accepts_declared_ids_and_reports_undeclared_ones(tmp_path: Path) -> None:
    p = _write(tmp_path, CLIMATE + "  - {pattern: koch, actor: lobby, frame: systemic}\n"
                                   "  - {pattern: shell, actor: industy, frame: systemic}\n")
    issues = [i for i in check_case(p) if i.level == "error"]
    assert [(i.code, i.line) for i in issues] == [("unknown-actor", 12), ("unknown-actor", 13)]
    assert "'lobby'" in issues[0].message and "declared in 'actors': industry, activists" in issues[0].message
    with pytest.raises(CaseError, match=rf"{p}:13:.*'industy'"):
        load_case(p)


def test_the_trial_case_without_an_actors_section_still_fails(tmp_path: Path) -> None:
    p = _write(tmp_path, 'case: climate\nentries:\n  - {pattern: exxon, actor: industry, frame: systemic}\n')
    (issue,) = check_case(p)
    assert (issue.code, issue.line) == ("unknown-actor", 3)
    assert "'actors' section" in issue.message  # says how to declare it


@pytest.mark.parametrize(("section", "line", "code", "needle"), [
    ("  government: national governments\n", 5, "codebook-actor", "'government' is a codebook actor id"),
    ("  Industry: companies\n", 5, "bad-actor-id", "lower case"),
    ("  author: the writer\n", 5, "bad-actor-id", "not one of author"),
    ("  industry: {description: companies, frame: moral}\n", 5, "unknown-frame", "unknown frame 'moral'"),
    ("  industry: {description: companies, colour: red}\n", 5, "unknown-key", "colour"),
    ("  industry: {frame: systemic}\n", 5, "missing-key", "description"),
    ("  industry: a\n  industry: b\n", 6, "duplicate-key", "declared twice (line 5)"),
])
def test_bad_declarations_name_line_and_key(tmp_path: Path, section: str, line: int, code: str, needle: str) -> None:
    p = _write(tmp_path, f'case: c\nversion: "1"\ndescription: d\nactors:\n{section}entries: []\n')
    issues = [i for i in check_case(p) if i.level == "error"]
    assert any(i.code == code and i.line == line and needle in i.message for i in issues), issues


def test_an_entry_without_a_frame_needs_its_actors_default(tmp_path: Path) -> None:
    p = _write(tmp_path, CLIMATE + "  - {pattern: sierra club, actor: activists}\n"
                                   "  - {pattern: the epa, actor: government}\n")
    errors = [(i.line, i.message) for i in check_case(p) if i.level == "error"]
    assert errors == [(12, "entries[4]: missing key 'frame' (actor 'activists' declares no default frame)"),
                      (13, "entries[5]: missing key 'frame'")]


def test_frame_none_names_an_actor_only(tmp_path: Path) -> None:
    p = _write(tmp_path, 'case: c\nentries:\n  - {pattern: jane doe, actor: director, frame: individual}\n'
                         '  - {pattern: town hall, actor: council, frame: none}\n')
    case = load_case(p)
    assert [e.pattern for e in case.frame_lexicon().entries] == ["jane doe"]
    assert [(e.pattern, e.category) for e in case.case_actor_lexicon().entries] == [
        ("jane doe", "director"), ("town hall", "council")]


# --- blame with a case's own actors ---------------------------------------------------------------------

DOCS = [
    ("d1", "news", "Exxon is to blame for the failure, critics said."),
    ("d2", "news", "Donald Trump is responsible for the failure of the talks."),
    ("d3", "blog", "Greta Thunberg accused the government of failure."),
]


def _blame(tmp_path: Path, **kw: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoBlameCuesWarning)
        return blame_attribution(_corpus(tmp_path, DOCS), **kw)  # type: ignore[arg-type]


def test_blame_targets_take_the_cases_own_actors(tmp_path: Path) -> None:
    case = _write(tmp_path, CLIMATE, "climate.yaml")
    b = _blame(tmp_path, case=case)
    targets = {(r.doc_id, r.target) for r in b.itertuples(index=False)}
    assert ("d1", "industry") in targets and ("d2", "government") in targets
    assert ("d3", "government") in targets
    order = actor_ids("actors", case)
    assert order == (*ACTORS, "industry", "activists")
    m = actor_frame_matrix(b, genres=["news", "blog"], actors=order)
    assert list(dict.fromkeys(m["actor"])) == list(order)
    industry = m[(m["genre"] == "news") & (m["actor"] == "industry")].set_index("frame")["n_sentences"]
    assert int(industry.sum()) >= 1
    # without actors=, the codebook's first, then the table's other targets, sorted
    assert list(dict.fromkeys(actor_frame_matrix(b)["actor"]))[len(ACTORS):] == ["activists", "industry"]


def test_actor_ids_with_a_custom_lexicon_and_the_baby_p_case(tmp_path: Path) -> None:
    lex = tmp_path / "climate_actors.yaml"
    lex.write_text("name: climate_actors\nversion: '1'\ncategories:\n  industry:\n    entries: [exxon]\n"
                   "  government:\n    entries: [government]\n", encoding="utf-8")
    assert actor_ids(lex) == ("industry", "government")
    # the Baby P case adds the codebook actors its entries use, in codebook order, after the lexicon's own
    assert actor_ids(lex, "baby_p") == ("industry", "government", *(a for a in ACTORS if a != "government"))
    assert actor_ids() == actor_ids("actors", "baby_p") == ACTORS  # the study's 13, unchanged


def test_cli_blame_case_and_actors(tmp_path: Path) -> None:
    corpus = tmp_path / "c.csv"
    pd.DataFrame(DOCS, columns=["doc_id", "genre", "text"]).to_csv(corpus, index=False)
    case = _write(tmp_path, CLIMATE, "climate.yaml")
    out = tmp_path / "blame.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert cli_main(["blame", str(corpus), "--out", str(out), "--case", str(case)]) == 0
    assert "industry" in set(pd.read_csv(out)["target"])
    lex = tmp_path / "mine.yaml"
    lex.write_text("name: mine\nversion: '1'\ncategories:\n  oil:\n    entries: [exxon]\n  politicians:\n"
                   "    entries: [donald trump]\n", encoding="utf-8")
    out2 = tmp_path / "blame2.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert cli_main(["blame", str(corpus), "--out", str(out2), "--actors", str(lex)]) == 0
    assert set(pd.read_csv(out2)["target"]) == {"oil", "politicians"}


# --- the case-independent actors layer -------------------------------------------------------------------


def test_actors_lexicon_keeps_no_child_protection_reading() -> None:
    base = load_lexicon("actors")
    assert base.categories == ACTORS
    patterns = {normalize_pattern(e.pattern) for e in base.entries}
    assert not patterns & {"director", "town hall", "borough", "practitioner*", "front-line staff"}
    text = ["The Sierra Club's director spoke at a CNN climate town hall in the borough."]
    assert match_texts(text, base).empty  # no actor in climate news
    with_case = load_case("baby_p").actor_lexicon()
    hits = match_texts(["The director and the town hall failed; the borough's practitioners too."], with_case)
    assert sorted(zip(hits["matched"].str.lower(), hits["category"], strict=True)) == [
        ("borough", "council"), ("director", "director"), ("practitioners", "social_workers"),
        ("town hall", "council")]
    # the moved roles are the case's actors only: they add no frame hit (the frame lexicon decides)
    frames = {normalize_pattern(e.pattern) for e in load_case("baby_p").frame_lexicon().entries}
    assert not frames & {"director", "town hall", "borough"}
    assert all(e.frame in (*FRAMES, "none") for e in load_case("baby_p").entries)


def test_heatmap_rows_follow_the_actor_order(tmp_path: Path) -> None:
    from framing.plots import actor_frame_heatmap

    case = _write(tmp_path, CLIMATE, "climate.yaml")
    order = actor_ids("actors", case)
    m = actor_frame_matrix(_blame(tmp_path, case=case), genres=["news", "blog"], actors=order)
    fig = actor_frame_heatmap(m, ["news", "blog"], {"news": 2, "blog": 1}, actors=order)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[-2:] == ["industry", "activists"] and len(labels) == len(ACTORS) + 2


def test_cli_blame_actors_streamed_as_in_memory(tmp_path: Path) -> None:
    corpus = tmp_path / "c.csv"
    pd.DataFrame(DOCS, columns=["doc_id", "genre", "text"]).to_csv(corpus, index=False)
    case = _write(tmp_path, CLIMATE, "climate.yaml")
    outs = [tmp_path / "memory.csv", tmp_path / "stream.csv"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert cli_main(["blame", str(corpus), "--out", str(outs[0]), "--case", str(case)]) == 0
        assert cli_main(["blame", str(corpus), "--out", str(outs[1]), "--case", str(case), "--backend", "stream",
                         "--name", "c_stream", "--processed-dir", str(tmp_path / "processed")]) == 0
    assert outs[0].read_bytes() == outs[1].read_bytes()
    assert "industry" in set(pd.read_csv(outs[1])["target"])


# --- the actors section is checked as strictly as the entries (issue 9 review) ----------------------------

_ACTOR_LINES = "case: c\nactors:\n  {actor}:\n{keys}entries:\n  - pattern: exxon\n    actor: {actor}\n"
"""A case declaring one actor on line 3, its keys from line 4, then one entry that uses it."""

def test_a_key_given_twice_in_a_declaration_is_a_duplicate_not_last_wins(tmp_path: Path) -> None:
    p = _write(tmp_path, _ACTOR_LINES.format(actor="oil_firms", keys="    description: Oil companies\n"  # 4
                                                                      "    description: Fossil firms\n"   # 5
                                                                      "    frame: systemic\n"           # 6
                                                                      "    frame: political\n"))        # 7
    errors = [(i.line, i.code, i.message) for i in check_case(p) if i.level == "error"]
    assert errors == [
        (5, "duplicate-key", "actors: 'oil_firms': key 'description' given twice (line 4)"),
        (7, "duplicate-key", "actors: 'oil_firms': key 'frame' given twice (line 6)"),
    ]  # and entries[0], which uses oil_firms, is not reported again (neither its actor nor its frame)
    with pytest.raises(CaseError, match=rf"{p}:5: error: \[duplicate-key\]"):
        load_case(p)


def test_an_unknown_key_in_a_declaration_is_reported_at_its_own_line(tmp_path: Path) -> None:
    p = _write(tmp_path, _ACTOR_LINES.format(actor="regulators", keys="    description: Regulators\n"  # 4
                                                                       "    frame: systemic\n"          # 5
                                                                       "    colour: red\n"))            # 6
    errors = [(i.line, i.code, i.message) for i in check_case(p) if i.level == "error"]
    # the entry takes the declaration's frame: no 'missing frame' nor 'unknown actor id' on its lines
    assert errors == [(6, "unknown-key", "actors: 'regulators': unknown key 'colour' (allowed: description, frame)")]


@pytest.mark.parametrize(("declaration", "line", "code"), [
    ("  activists:\n    description: Activists\n    frame: none\n", 5, "unknown-frame"),  # frame: line 5
    ("  activists: ''\n", 3, "missing-key"),
    ("  Activists: Activists\n", 3, "bad-actor-id"),
    ("  activists: [a, list]\n", 3, "bad-value"),
])
def test_a_bad_declaration_is_reported_once_not_on_its_entries(
        tmp_path: Path, declaration: str, line: int, code: str) -> None:
    entries = "entries:\n  - {pattern: greenpeace, actor: activists}\n  - {pattern: sierra club, actor: activists}\n" \
        if code != "bad-actor-id" else "entries:\n  - {pattern: greenpeace, actor: Activists}\n"
    p = _write(tmp_path, "case: c\nactors:\n" + declaration + entries)
    errors = [(i.line, i.code) for i in check_case(p) if i.level == "error"]
    assert errors == [(line, code)]


def test_an_entry_of_a_bad_declaration_keeps_its_other_problems(tmp_path: Path) -> None:
    p = _write(tmp_path, "case: c\nactors:\n  activists: ''\nentries:\n"   # declaration on line 3
                         "  - {pattern: greenpeace, actor: activists, colour: green}\n")  # the entry on line 5
    errors = [(i.line, i.code) for i in check_case(p) if i.level == "error"]
    assert errors == [(3, "missing-key"), (5, "unknown-key")]


def test_a_codebook_id_declared_again_leaves_its_entries_valid(tmp_path: Path) -> None:
    p = _write(tmp_path, "case: c\nactors:\n  council: the council\nentries:\n"
                         "  - {pattern: acme council, actor: council, frame: systemic}\n")
    from framing.cases._model import _parse, _read

    assert [(i.line, i.code) for i in check_case(p) if i.level == "error"] == [(3, "codebook-actor")]
    case, _ = _parse(p, _read(p))  # the entries that parsed, as the check reads them
    assert case is not None and [(e.pattern, e.actor) for e in case.entries] == [("acme council", "council")]
