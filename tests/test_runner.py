from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from framing.errors import ConfigError, NotebookError, ParameterError, RawDataChangedError
from framing.nbtools import write_notebook
from framing.runner import (
    check_parameters,
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
    # the corpus is the config's: the study keeps its name, and the override is listed
    assert (prov["study"], prov["overrides"], prov["study_config"]) == ("t", ["n"], {"name": "t",
                                                                                  "path": "config/study.yaml"})
    assert prov["python"] and "pandas" in prov["packages"] and "started" in prov and "finished" in prov
    assert result.provenance_path == tmp_path / "reports" / "provenance.json"


def test_run_study_stops_at_the_first_failure_and_records_it(tiny: Path, tmp_path: Path) -> None:
    shutil.copy(tiny, tmp_path / "tiny2.ipynb")
    cfg = _study(tmp_path, ["tiny.ipynb", "tiny2.ipynb"])
    with pytest.raises(NotebookError):
        run_study(cfg, {"fail": True}, root=tmp_path, progress=False)
    prov = json.loads((tmp_path / "reports" / "provenance.json").read_text())
    assert prov["status"] == "failed" and [n["status"] for n in prov["notebooks"]] == ["failed", "not run"]
    assert "boom" in prov["notebooks"][0]["error"]


def test_unknown_override_lists_the_known_names(tiny: Path, tmp_path: Path) -> None:
    cfg = _study(tmp_path, ["tiny.ipynb"])
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) \['k'\].*'label'"):
        run_study(cfg, {"k": 5}, root=tmp_path, progress=False)


def test_a_study_parameter_the_selected_notebook_does_not_use_is_said_not_refused(tiny: Path,
                                                                                     tmp_path: Path) -> None:
    """The trial's `framing run --notebook 01_corpus -p case=`: `case` is the study's, not notebook 01's."""
    from framing._runner_params import PartialParameterWarning

    cfg = _study(tmp_path, ["tiny.ipynb"], extra="  case: baby_p")
    with pytest.warns(PartialParameterWarning, match=r"study parameter\(s\) \['case'\] not used by the "
                                                     r"notebook\(s\) run here \(tiny\): ignored"):
        run_study(cfg, {"case": "", "n": 10}, root=tmp_path, progress=False)
    prov = json.loads((tmp_path / "reports" / "provenance.json").read_text())
    assert prov["status"] == "ok" and "case" not in prov["notebooks"][0]["parameters"]
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) \['colour'\]"):
        run_study(cfg, {"case": "", "colour": 1}, root=tmp_path, progress=False)


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


def test_reruns_render_the_same_page_whatever_ids_papermill_gave_the_cells(tiny: Path, tmp_path: Path) -> None:
    from framing.report import render_notebook

    pages = []
    for run in ("a", "b"):
        out = tmp_path / run / "tiny.ipynb"
        run_notebook(tiny, out, {"reports_dir": str(tmp_path / "r")}, cwd=tmp_path)
        cells = nbformat.read(out, as_version=4).cells
        assert [c["id"] for c in cells] == [f"cell-{i}" for i in range(len(cells))]
        pages.append(render_notebook(out).read_bytes())
    assert b"cell-id=cell-0" in pages[0] and pages[0] == pages[1]


def test_printed_lines_are_one_output_however_the_kernel_flushed_them(tmp_path: Path) -> None:
    nb = write_notebook(tmp_path / "flush.ipynb", [
        ("parameters", 'reports_dir: str = "reports"  # output folder'),
        ("code", 'import time\nprint("a", flush=True)\ntime.sleep(0.5)\nprint("b", flush=True)\ntime.sleep(0.5)\n'
                 'print("c")'),
    ])
    out = tmp_path / "out.ipynb"
    run_notebook(nb, out, {"reports_dir": str(tmp_path / "r")}, cwd=tmp_path)
    cell = nbformat.read(out, as_version=4).cells[-1]
    # lines the kernel sent apart (flushed, half a second between) are one output, as a faster run gives
    assert [(o["name"], o["text"]) for o in cell.outputs] == [("stdout", "a\nb\nc\n")]


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


# --- issue 13: nothing lost, nothing mixed, no noise -------------------------------------------------
FAULT_PARAMS = '''
label: str = "x"  # a label written to the output
interrupt: str = ""  # name of a signal the notebook sends to the process that runs it
warn: str = ""  # a warning the notebook raises
beat: bool = False  # keep writing into reports_dir after sending the signal
reports_dir: str = "reports"  # output folder
'''

FAULT_BODY = '''
import os, signal, time, warnings
from pathlib import Path
out = Path(reports_dir)
out.mkdir(parents=True, exist_ok=True)
(out / "kernel.pid").write_text(str(os.getpid()))
if warn:
    warnings.warn(warn)
(out / f"{label}.txt").write_text(label)
if interrupt:
    os.kill(os.getppid(), getattr(signal, interrupt))
    for i in range(600):
        if beat:
            out.mkdir(parents=True, exist_ok=True)
            (out / "beat.txt").write_text(str(i))
        time.sleep(0.05)
'''


@pytest.fixture
def faulty(tmp_path: Path) -> Path:
    """A study of two notebooks (a, b) that can warn, or signal the process running them."""
    for name in ("a", "b"):
        write_notebook(tmp_path / f"{name}.ipynb", [("parameters", FAULT_PARAMS), ("code", FAULT_BODY)])
    return _study(tmp_path, ["a.ipynb", "b.ipynb"])


def _cli(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, FRAMING_ROOT=str(tmp_path), PYTHONUNBUFFERED="1")
    return subprocess.Popen([sys.executable, "-m", "framing", *args], cwd=tmp_path, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError):  # a zombie is dead for our purpose
        if Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z"):
            return False
    return True


def test_partial_run_marks_other_notebooks_stale_with_the_earlier_parameters(faulty: Path, tmp_path: Path) -> None:
    run_study(faulty, root=tmp_path, progress=False)
    first = json.loads((tmp_path / "reports" / "provenance.json").read_text())
    run_study(faulty, {"label": "other"}, notebooks=["b"], root=tmp_path, progress=False)
    prov = json.loads((tmp_path / "reports" / "provenance.json").read_text())
    assert prov["status"] == "ok" and prov["parameters"]["label"] == "other"
    by_name = {n["notebook"]: n for n in prov["notebooks"]}
    assert [n["notebook"] for n in prov["notebooks"]] == ["a.ipynb", "b.ipynb"]
    assert by_name["b.ipynb"]["status"] == "ok" and by_name["b.ipynb"]["parameters"]["label"] == "other"
    assert by_name["a.ipynb"]["status"] == "stale"
    assert by_name["a.ipynb"]["from_run"]["parameters"]["label"] == "study"  # the study.yaml value
    assert by_name["a.ipynb"]["from_run"]["started"] == first["started"]
    assert prov["stale"] == ["a.ipynb"] and prov["selected"] == ["b.ipynb"]
    page = (tmp_path / "reports" / "index.html").read_text()
    assert 'id="run-status"' in page and "Stale" in page and "a.ipynb" in page
    # a third, full run makes everything current again
    run_study(faulty, root=tmp_path, progress=False)
    prov = json.loads((tmp_path / "reports" / "provenance.json").read_text())
    assert prov["stale"] == [] and {n["status"] for n in prov["notebooks"]} == {"ok"}
    assert 'id="run-status"' not in (tmp_path / "reports" / "index.html").read_text()


def test_ctrl_c_records_interrupted_and_keeps_earlier_outputs(faulty: Path, tmp_path: Path) -> None:
    run_study(faulty, root=tmp_path, progress=False)
    out = tmp_path / "reports" / "notebooks"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(KeyboardInterrupt):
        run_study(faulty, {"interrupt": "SIGINT"}, root=tmp_path, progress=False)
    prov = json.loads((tmp_path / "reports" / "provenance.json").read_text())
    assert prov["status"] == "interrupted" and prov["interrupted_by"] == "SIGINT"
    assert [n["status"] for n in prov["notebooks"]] == ["interrupted", "not run"]
    assert prov["stale"] == ["a.ipynb", "b.ipynb"]  # what is on disk is the first run's
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing half-written, nothing lost
    page = (tmp_path / "reports" / "index.html").read_text()
    assert "This run was interrupted by SIGINT" in page


def test_sigterm_on_framing_run_is_handled_like_ctrl_c(faulty: Path, tmp_path: Path) -> None:
    proc = _cli(tmp_path, "run", "-p", "interrupt=SIGTERM")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted (SIGTERM)" in err
    prov = json.loads((tmp_path / "reports" / "provenance.json").read_text())
    assert prov["status"] == "interrupted" and prov["interrupted_by"] == "SIGTERM"
    kernel = int((tmp_path / "reports" / "kernel.pid").read_text())
    deadline = time.monotonic() + 20
    while _pid_alive(kernel) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _pid_alive(kernel)
    assert not [p for p in (tmp_path / "reports").rglob("*") if ".tmp" in p.name]


def test_terminal_shows_notebook_warnings_and_no_kernel_noise(faulty: Path, tmp_path: Path) -> None:
    proc = _cli(tmp_path, "run", "-p", "warn=encoding fallback in x.txt")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "framing: warning: a: UserWarning: encoding fallback in x.txt" in err
    for noise in ("IPKernelApp", "KeyboardInterrupt", "Traceback", "ZMQ"):
        assert noise not in err
    prov = json.loads((tmp_path / "reports" / "provenance.json").read_text())
    assert prov["warnings"] == ["a: UserWarning: encoding fallback in x.txt",
                                "b: UserWarning: encoding fallback in x.txt"]
    assert "encoding fallback in x.txt" in (tmp_path / "reports" / "index.html").read_text()


def test_a_second_run_into_a_locked_reports_folder_stops_or_waits(faulty: Path, tmp_path: Path) -> None:
    from framing.errors import BusyError
    from framing.runtime import folder_lock

    with folder_lock(tmp_path / "reports", what="framing run (test)"):
        with pytest.raises(BusyError, match=rf"pid {os.getpid()} \(framing run \(test\)\), started .*--wait"):
            run_study(faulty, root=tmp_path, progress=False)
        assert not (tmp_path / "reports" / "provenance.json").exists()
    lock = folder_lock(tmp_path / "reports", what="holder")
    lock.__enter__()
    threading.Timer(1.0, lock.__exit__, (None, None, None)).start()
    run_study(faulty, root=tmp_path, progress=False, wait=True)  # returns once the holder let go
    assert json.loads((tmp_path / "reports" / "provenance.json").read_text())["status"] == "ok"


def test_a_killed_run_takes_its_kernel_with_it(faulty: Path, tmp_path: Path) -> None:
    env = dict(os.environ, FRAMING_ROOT=str(tmp_path))
    proc = subprocess.Popen(  # no pipes: waiting for them would wait for whoever inherited them
        [sys.executable, "-m", "framing", "run", "-p", "interrupt=SIGKILL", "-p", "beat=true"], cwd=tmp_path,
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    assert proc.wait(timeout=120) == -9
    reports = tmp_path / "reports"
    prov = json.loads((reports / "provenance.json").read_text())  # a killed run is not presented as done
    assert prov["status"] == "running" and prov["pid"] == proc.pid and "finished" not in prov
    assert [n["status"] for n in prov["notebooks"]] == ["pending", "pending"]
    kernel = int((reports / "kernel.pid").read_text())
    shutil.rmtree(reports)
    time.sleep(1.5)  # an orphaned kernel would recreate reports/ within its next beat (0.05 s)
    assert not reports.exists()
    assert not _pid_alive(kernel)


def test_a_kernel_that_dies_is_a_recorded_failure(tmp_path: Path) -> None:
    write_notebook(tmp_path / "die.ipynb", [("parameters", 'reports_dir: str = "reports"  # out'),
                                            ("code", "import os\nos._exit(3)")])
    cfg = _study(tmp_path, ["die.ipynb"])
    with pytest.raises(NotebookError, match=r"die\.ipynb could not run: DeadKernelError"):
        run_study(cfg, root=tmp_path, progress=False)
    prov = json.loads((tmp_path / "reports" / "provenance.json").read_text())
    assert prov["status"] == "failed" and prov["notebooks"][0]["status"] == "failed"


def test_an_override_declared_by_some_notebooks_only_is_named_with_those_that_ignore_it() -> None:
    from framing.runner import PartialParameterWarning, warn_partial_overrides

    specs = {Path("01_corpus.ipynb"): {"corpus": 1}, Path("02_lexicon_framing.ipynb"): {"corpus": 1, "rule": 1},
             Path("05_genre_comparison.ipynb"): {"corpus": 1, "rule": 1}}
    with pytest.warns(PartialParameterWarning, match=r"'rule' is declared by 02_lexicon_framing, "
                                                     r"05_genre_comparison only; 01_corpus do\(es\) not use it"):
        messages = warn_partial_overrides(specs, ["rule", "corpus"])
    assert len(messages) == 1  # 'corpus' is declared by every notebook: nothing to say


def test_framing_pipeline_is_a_compatibility_alias_of_runner_and_provenance() -> None:
    import framing.pipeline as pipeline
    import framing.provenance as provenance
    import framing.runner as runner

    names = ["run_study", "run_notebook", "load_study_config", "notebook_parameters", "check_parameters",
             "notebook_defaults", "StudyConfig", "StudyResult", "NotebookResult", "ParameterSpec",
             "warn_partial_overrides", "PartialParameterWarning"]
    for name in names:
        assert getattr(pipeline, name) is getattr(runner, name), name
    for name in ["collect_inputs", "provenance", "write_provenance", "utc_now", "verify_corpora"]:
        assert getattr(pipeline, name) is getattr(provenance, name), name
    assert set(pipeline.__all__) >= set(runner.__all__) | set(provenance.__all__)


def _kernel_children() -> list[int]:
    """Live ipykernel processes whose parent is this process."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            fields = stat.read_text().split(") ", 1)[1].split()
            cmd = (stat.parent / "cmdline").read_bytes()
            if int(fields[1]) == os.getpid() and fields[0] != "Z" and b"ipykernel" in cmd:
                found.append(int(stat.parent.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs /proc")
def test_each_notebook_gets_a_fresh_kernel_started_ahead_and_none_is_left(tmp_path: Path) -> None:
    # b records the kernel's pid and start time: a kernel started while a ran, not a's kernel reused
    body = ("import os, time\nfrom pathlib import Path\nPath(reports_dir).mkdir(exist_ok=True)\n"
            "(Path(reports_dir) / f'{label}.pid').write_text(str(os.getpid()))\n")
    params = 'label: str = "x"  # l\nreports_dir: str = "r"  # r'
    for name in ("a", "b", "c"):
        write_notebook(tmp_path / f"{name}.ipynb", [("parameters", params), ("code", body.replace("{label}", name))])
    cfg = _study(tmp_path, ["a.ipynb", "b.ipynb", "c.ipynb"])
    run_study(cfg, root=tmp_path, progress=False)
    pids = {n: int((tmp_path / "reports" / f"{n}.pid").read_text()) for n in "abc"}
    assert len(set(pids.values())) == 3  # three kernels
    assert _kernel_children() == []  # the kernels started ahead were all stopped
    assert not any(_pid_alive(p) for p in pids.values())
    # a failing first notebook: the kernel started for the next one is stopped too
    (tmp_path / "a.ipynb").write_text((tmp_path / "a.ipynb").read_text().replace("import os", "1 / 0\\nimport os"))
    with pytest.raises(NotebookError):
        run_study(cfg, root=tmp_path, progress=False)
    assert _kernel_children() == []


def test_a_first_notebook_whose_kernel_cannot_start_fails_as_a_notebook(tmp_path: Path) -> None:
    # the first kernel is started ahead, before the run is checked; a kernelspec that does not exist must still
    # end as the notebook's failure, recorded in provenance.json, not as an error of the run's set-up
    params = 'reports_dir: str = "r"  # r'
    nb = write_notebook(tmp_path / "a.ipynb", [("parameters", params), ("code", "1 + 1")])
    doc = json.loads(nb.read_text(encoding="utf-8"))
    doc["metadata"]["kernelspec"] = {"name": "no-such-kernel-xyz", "display_name": "none", "language": "python"}
    nb.write_text(json.dumps(doc), encoding="utf-8")
    cfg = _study(tmp_path, ["a.ipynb"])
    with pytest.raises(NotebookError, match=r"a\.ipynb"):
        run_study(cfg, root=tmp_path, progress=False)
    prov = json.loads((tmp_path / "reports" / "provenance.json").read_text(encoding="utf-8"))
    assert prov["status"] == "failed" and prov["notebooks"][0]["status"] == "failed"
    assert _kernel_children() == []


def test_an_interruption_while_the_run_is_checked_stops_the_kernel_started_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import framing.runner as runner

    write_notebook(tmp_path / "a.ipynb", [("parameters", 'reports_dir: str = "r"  # r'), ("code", "1 + 1")])
    cfg = _study(tmp_path, ["a.ipynb"])

    def interrupted(path: Path) -> None:  # Ctrl-C (or SIGTERM) while the notebooks' parameters are read
        assert _kernel_children(), "the first kernel is started before the checks"
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "notebook_parameters", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_study(cfg, root=tmp_path, progress=False)
    assert _kernel_children() == []


WRITER = '''
from framing.io import write_csv
from framing.report import record_key_results
import pandas as pd
if n > 0:  # a section that runs only on some inputs (as the coded section on a corpus with a coded sheet)
    write_csv(pd.DataFrame({"x": [n]}), f"{reports_dir}/tables/section.csv")
    record_key_results(reports_dir, {"value": n}, prefix="w")
write_csv(pd.DataFrame({"y": [1]}), f"{reports_dir}/tables/always.csv")
record_key_results(reports_dir, {"always": 1}, prefix="w")
'''


def test_a_notebook_run_again_leaves_nothing_its_earlier_run_wrote_and_this_one_did_not(tmp_path: Path) -> None:
    # outputs of a section that the second run skips must not pass for the second run's (an index reading them
    # would state another run's numbers): framing run removes what the notebook wrote last time before running it
    write_notebook(tmp_path / "w.ipynb", [("parameters", PARAMS), ("code", WRITER)])
    write_notebook(tmp_path / "other.ipynb", [("parameters", PARAMS), ("code", WRITER.replace('prefix="w"',
                                                                                              'prefix="o"')
                                                                           .replace("section.csv", "o.csv")
                                                                           .replace("always.csv", "o_always.csv"))])
    cfg = _study(tmp_path, ["w.ipynb", "other.ipynb"])
    reports = tmp_path / "reports"
    run_study(cfg, {"n": 2}, root=tmp_path, progress=False)
    assert (reports / "tables" / "section.csv").is_file() and (reports / "tables" / "o.csv").is_file()
    keys = json.loads((reports / "key_results.json").read_text())
    assert keys == {"w.value": 2, "w.always": 1, "o.value": 2, "o.always": 1}
    # the second run of w alone skips its section: its table and key are gone; other's outputs stay (stale)
    run_study(cfg, {"n": 0}, notebooks=["w"], root=tmp_path, progress=False)
    assert not (reports / "tables" / "section.csv").exists() and (reports / "tables" / "always.csv").is_file()
    keys = json.loads((reports / "key_results.json").read_text())
    assert keys == {"w.always": 1, "o.value": 2, "o.always": 1}
    assert (reports / "tables" / "o.csv").is_file()
    manifest = (reports / ".outputs" / "w.txt").read_text().splitlines()
    assert sorted(manifest) == ["file\ttables/always.csv", "key\tw.always"]


def test_two_notebooks_of_one_name_are_refused(tiny: Path, tmp_path: Path) -> None:
    # each notebook's executed copy (notebooks/NAME) and output manifest (.outputs/NAME.txt) are kept under its
    # name: a second entry of the same name would overwrite the first's and remove its outputs
    (tmp_path / "other").mkdir()
    shutil.copy(tiny, tmp_path / "other" / "tiny.ipynb")
    cfg = _study(tmp_path, ["tiny.ipynb", "other/tiny.ipynb"])
    with pytest.raises(ConfigError, match=r"entry #2 \(other/tiny.ipynb\) has the name of an earlier entry"):
        load_study_config(cfg, root=tmp_path)


def test_a_symlinked_reports_folder_keeps_its_output_manifest_whole(tmp_path: Path) -> None:
    # the kernel measures written paths against the real reports folder: through a symbolic link too
    write_notebook(tmp_path / "w.ipynb", [("parameters", PARAMS), ("code", WRITER)])
    cfg = _study(tmp_path, ["w.ipynb"])
    (tmp_path / "store").mkdir()
    (tmp_path / "reports").symlink_to(tmp_path / "store")
    run_study(cfg, {"n": 2}, root=tmp_path, progress=False)
    run_study(cfg, {"n": 0}, root=tmp_path, progress=False)
    assert not (tmp_path / "reports" / "tables" / "section.csv").exists()
    assert json.loads((tmp_path / "reports" / "key_results.json").read_text()) == {"w.always": 1}


def test_a_reports_folder_given_through_dot_dot_is_shown_normalised(tmp_path: Path) -> None:
    write_notebook(tmp_path / "w.ipynb", [("parameters", PARAMS), ("code", WRITER)])
    cfg = _study(tmp_path, ["w.ipynb"])
    (tmp_path / "elsewhere").mkdir()
    run_study(cfg, {"n": 1}, root=tmp_path, reports_dir=tmp_path / "elsewhere" / ".." / "rep", progress=False)
    prov = json.loads((tmp_path / "rep" / "provenance.json").read_text(encoding="utf-8"))
    # by hand: "elsewhere/.." cancels out; the executed notebook is rep/notebooks/w.ipynb
    assert [r["output"] for r in prov["notebooks"]] == [str(tmp_path / "rep" / "notebooks" / "w.ipynb")]


def test_an_interrupted_notebook_keeps_its_earlier_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C or SIGTERM while a notebook runs: what its earlier run wrote is as it was (README's promise)."""
    import framing.runner as runner

    write_notebook(tmp_path / "w.ipynb", [("parameters", PARAMS), ("code", WRITER)])
    cfg = _study(tmp_path, ["w.ipynb"])
    reports = tmp_path / "reports"
    run_study(cfg, {"n": 2}, root=tmp_path, progress=False)
    before = {p.name: p.read_bytes() for p in (reports / "tables").iterdir()}
    keys = (reports / "key_results.json").read_bytes()

    def half_then_interrupted(notebook: Path, output: Path, parameters: object, **kw: object) -> None:
        # the kernel had rewritten one table (atomically, as every output is written) and written a new one
        from framing.io import atomic_write_text

        atomic_write_text(reports / "tables" / "always.csv", "y\n99\n")
        atomic_write_text(reports / "tables" / "half.csv", "z\n1\n")
        with open(reports / ".outputs" / "w.txt", "a") as fh:
            fh.write("file\ttables/always.csv\nfile\ttables/half.csv\n")
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run_notebook", half_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_study(cfg, {"n": 2}, root=tmp_path, progress=False)
    assert {p.name: p.read_bytes() for p in (reports / "tables").iterdir()} == before
    assert (reports / "key_results.json").read_bytes() == keys
