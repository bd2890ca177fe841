"""Tests for loading a case file through its check (framing.cases._check): errors refuse, warnings warn."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from test_cases import HEADER, _write

from framing.cases import CaseWarning, check_case, load_case
from framing.cli import main as cli_main
from framing.errors import CaseError


def test_load_refuses_what_the_check_calls_an_error(tmp_path: Path) -> None:
    # line 4 and line 5 hold the same name after normalisation, mapped to different actors and frames
    p = _write(tmp_path, HEADER + "  - {pattern: home office, actor: agencies, frame: systemic}\n"
                                  "  - {pattern: Home-Office, actor: government, frame: political}\n")
    errors = [str(i) for i in check_case(p, base=None) if i.level == "error"]
    assert errors == [f"{p}:5: error: [duplicate] 'Home-Office' is the same as 'home office' after normalisation "
                      "(line 4); line 4 maps it to agencies/systemic, this one to government/political"]
    with pytest.raises(CaseError) as info:
        load_case(p)
    assert errors[0] in str(info.value).splitlines()
    assert str(info.value).startswith(f"{p}: 1 error(s)")


def test_an_entry_that_cannot_match_is_refused_on_load(tmp_path: Path) -> None:
    p = _write(tmp_path, HEADER + "  - {pattern: jane doe, actor: director, frame: individual, exclude: [jane doe]}\n")
    with pytest.raises(CaseError, match=rf"{p}:4: error: \[cannot-match\]"):
        load_case(p)


def test_cli_frames_with_a_case_that_has_errors_fails_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = _write(tmp_path, HEADER + "  - {pattern: ed balls, actor: government, frame: political}\n"
                                  "  - {pattern: Ed Balls, actor: council, frame: systemic}\n")
    out = tmp_path / "frames.csv"
    assert cli_main(["frames", "data/raw", "--out", str(out), "--case", str(p)]) == 2
    err = capsys.readouterr().err
    assert f"{p}:5: error: [duplicate]" in err
    assert not out.exists()
    assert cli_main(["blame", "data/raw", "--out", str(out), "--case", str(p)]) == 2
    assert not out.exists()


def test_warnings_stay_warnings_on_load(tmp_path: Path) -> None:
    # 'acme councillors' (line 5) is matched by the wildcard 'acme council*' (line 4), same actor and frame
    p = _write(tmp_path, HEADER + "  - {pattern: acme council*, actor: council, frame: systemic}\n"
                                  "  - {pattern: acme councillors, actor: council, frame: systemic}\n")
    with pytest.warns(CaseWarning, match=rf"{p}:5: warning: \[shadowed\]"):
        case = load_case(p)
    assert [e.pattern for e in case.entries] == ["acme council*", "acme councillors"]


def test_an_empty_case_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = _write(tmp_path, "case: empty\nentries: []\n")
    issues = check_case(p)
    assert [(i.level, i.code, i.line) for i in issues] == [("warning", "empty", 1)]
    assert cli_main(["case", "check", str(p)]) == 0
    assert "0 error(s), 1 warning(s)" in capsys.readouterr().out
    with pytest.warns(CaseWarning, match="no entries"):
        assert load_case(p).entries == ()


def test_shipped_case_loads_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_case("baby_p")


def test_yaml_syntax_error_names_the_file_and_the_unclosed_brace(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # line 5 opens a flow mapping that is never closed; the parser only notices on line 6, column 5
    p = _write(tmp_path, HEADER + "  - {pattern: a, actor: council, frame: systemic}\n"
                                  "  - {pattern: b, actor: council, frame: systemic\n"
                                  "  - {pattern: c, actor: council, frame: systemic}\n")
    assert cli_main(["case", "check", str(p)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{p}:5: error: [yaml-syntax] invalid YAML: while parsing a flow mapping "
                             "(line 5, column 5): expected ',' or '}'")
    assert "(line 6, column 5)" in out[0] and "<unicode string>" not in out[0]
    with pytest.raises(CaseError, match=rf"{p}:5: error: \[yaml-syntax\]"):
        load_case(p)
