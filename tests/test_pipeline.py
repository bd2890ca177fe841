from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from framing.errors import ConfigError, NotebookError, ParameterError, RawDataChangedError
from framing.nbtools import write_notebook
from framing.pipeline import (
    check_parameters,
    collect_inputs,
    load_study_config,
    notebook_parameters,
    run_notebook,
    run_study,
)

PARAMS = '''
n: int = 3  # how many
label: str = "x"  # a label
ratio: float = 0.5  # a ratio
flags: list = []  # some flags
fail: bool = False  # raise on purpose
reports_dir: str = "reports"  # output folder
'''

BODY = '''
from pathlib import Path
if fail:
    raise ValueError(f"boom {label}")
Path(reports_dir).mkdir(parents=True, exist_ok=True)
(Path(reports_dir) / f"{label}.txt").write_text(str(n * ratio))
'''


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.ipynb"
    write_notebook(path, [("md", "# tiny"), ("parameters", PARAMS), ("code", BODY)])
    return path


def test_parameters_are_read_with_types_and_help(tiny: Path) -> None:
    specs = notebook_parameters(tiny)
    assert list(specs) == ["n", "label", "ratio", "flags", "fail", "reports_dir"]
    assert specs["n"].type_name == "int" and specs["n"].default == "3" and specs["n"].help == "how many"
    assert specs["flags"].type_name == "list"


def test_check_parameters_reports_all_problems_at_once(tiny: Path) -> None:
    specs = notebook_parameters(tiny)
    check_parameters(specs, {"n": 2, "ratio": 1, "flags": ["a"]})  # int is fine where float is declared
    with pytest.raises(ParameterError) as info:
        check_parameters(specs, {"k": 1, "nn": 2, "n": "three", "fail": 1})
    msg = str(info.value)
    assert "unknown parameter(s) ['k', 'nn']" in msg
    assert "'n' must be int" in msg and "'fail' must be bool" in msg


def test_run_notebook_writes_the_executed_copy(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "tiny.ipynb"
    res = run_notebook(tiny, out, {"n": 4, "label": "ok", "reports_dir": str(tmp_path / "r")}, cwd=tmp_path)
    assert res.output == out and out.is_file()
    assert (tmp_path / "r" / "ok.txt").read_text() == "2.0"
    assert not list(out.parent.glob(".*tmp*"))


def test_failed_notebook_is_kept_and_the_error_names_cell_and_message(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "failed.ipynb"
    with pytest.raises(NotebookError) as info:
        run_notebook(tiny, out, {"fail": True, "label": "zz"}, cwd=tmp_path)
    msg = str(info.value)
    assert "tiny.ipynb" in msg and "cell" in msg and "ValueError: boom zz" in msg
    executed = nbformat.read(out, as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors and errors[0]["evalue"] == "boom zz"


def test_unknown_parameter_is_refused_before_running(tiny: Path, tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="unknown parameter"):
        run_notebook(tiny, tmp_path / "x.ipynb", {"nope": 1})
    assert not (tmp_path / "x.ipynb").exists()


def _study(tmp_path: Path, notebooks: list[str], extra: str = "") -> Path:
    (tmp_path / "config").mkdir(exist_ok=True)
    cfg = tmp_path / "config" / "study.yaml"
    lines = ["name: t", "parameters:", "  reports_dir: reports", "  label: study", extra, "notebooks:"]
    lines += [f"  - path: {nb}" for nb in notebooks]
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return cfg


def test_run_study_writes_notebooks_and_provenance(tiny: Path, tmp_path: Path) -> None:
    cfg = _study(tmp_path, ["tiny.ipynb"])
    result = run_study(cfg, {"n": 10}, root=tmp_path, progress=False)
    assert (tmp_path / "reports" / "notebooks" / "tiny.ipynb").is_file()
    assert (tmp_path / "reports" / "study.txt").read_text() == "5.0"
    prov = json.loads((tmp_path / "reports" / "provenance.json").read_text())
    assert prov["status"] == "ok"
    assert prov["notebooks"][0]["parameters"] == {"reports_dir": "reports", "label": "study", "n": 10}
    assert prov["python"] and "pandas" in prov["packages"] and "started" in prov and "finished" in prov
    assert result.provenance_path == tmp_path / "reports" / "provenance.json"


def test_run_study_stops_at_the_first_failure_and_records_it(tiny: Path, tmp_path: Path) -> None:
    cfg = _study(tmp_path, ["tiny.ipynb", "tiny.ipynb"])
    with pytest.raises(NotebookError):
        run_study(cfg, {"fail": True}, root=tmp_path, progress=False)
    prov = json.loads((tmp_path / "reports" / "provenance.json").read_text())
    assert prov["status"] == "failed" and [n["status"] for n in prov["notebooks"]] == ["failed", "not run"]
    assert "boom" in prov["notebooks"][0]["error"]


def test_unknown_override_lists_the_known_names(tiny: Path, tmp_path: Path) -> None:
    cfg = _study(tmp_path, ["tiny.ipynb"])
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) \['k'\].*'label'"):
        run_study(cfg, {"k": 5}, root=tmp_path, progress=False)


def test_run_study_refuses_changed_raw_data(tiny: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("changed", encoding="utf-8")
    (raw / "SHA256SUMS").write_text("0" * 64 + "  a.txt\n", encoding="utf-8")
    cfg = _study(tmp_path, ["tiny.ipynb"], extra="  corpus: raw")
    with pytest.raises(RawDataChangedError, match=r"a\.txt"):
        run_study(cfg, root=tmp_path, progress=False)


@pytest.mark.parametrize(
    ("text", "message"),
    [("notebooks: []\n", "non-empty list"), ("colour: red\nnotebooks: [a.ipynb]\n", "unknown key"),
     ("notebooks: [{file: a}]\n", "needs a 'path'"), ("notebooks: [\n", "invalid YAML")],
)
def test_bad_study_config_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    cfg = tmp_path / "study.yaml"
    cfg.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_study_config(cfg, root=tmp_path)


def test_collect_inputs_hashes_files_folders_and_skips_outputs(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "y.txt").write_text("y", encoding="utf-8")
    found = collect_inputs({"corpus": "d", "reports_dir": "out", "n": 3}, tmp_path)
    import hashlib

    assert found == {"d/x.txt": hashlib.sha256(b"x").hexdigest()}


def test_outputs_are_readable_like_ordinary_files(tmp_path: Path) -> None:
    import os

    from framing.io import atomic_write_text

    path = atomic_write_text(tmp_path / "x.txt", "x")
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


def test_executed_notebook_records_its_final_path(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "final.ipynb"
    run_notebook(tiny, out, {"reports_dir": str(tmp_path / "r")}, cwd=tmp_path)
    assert nbformat.read(out, as_version=4).metadata["papermill"]["output_path"] == str(out)


def test_provenance_hashes_default_inputs(tmp_path: Path) -> None:
    path = tmp_path / "lex.ipynb"
    write_notebook(path, [("parameters", 'lexicon: str = "blame_frames"  # a shipped lexicon\n'
                                         'reports_dir: str = "reports"  # out'), ("code", "pass")])
    cfg = _study(tmp_path, ["lex.ipynb"])
    run_study(cfg, root=tmp_path, progress=False)
    prov = json.loads((tmp_path / "reports" / "provenance.json").read_text())
    assert prov["notebooks"][0]["defaults"] == {"lexicon": "blame_frames"}
    assert any(k.endswith("lexicons/blame_frames.yaml") for k in prov["inputs"])


def test_yaml_syntax_errors_name_file_and_line(tmp_path: Path) -> None:
    from framing.io import parse_yaml

    assert parse_yaml("a: [1, 2]\n", "x.yaml") == {"a": [1, 2]}
    with pytest.raises(ConfigError, match=r"^cfg\.yaml:3: invalid YAML"):
        parse_yaml("a: 1\nb: 2\n  c: 3\nd: 4\n", "cfg.yaml")  # line 3: a mapping inside a scalar
