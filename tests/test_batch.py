"""Tests for framing.batch: run ids, batch files, validation, parallel runs, cache, Ctrl-C."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from framing.batch import batch_run_ids, load_batch_config, make_run_id, plan_batch, run_batch
from framing.errors import ConfigError, ParameterError

PARAMETERS = (
    'corpus: str = "data/raw"  # the corpus folder\n'
    'corpus_name: str = "seeds"  # name of the processed corpus\n'
    'reports_dir: str = "reports"  # where outputs go\n'
    "k: int = 3  # number of topics\n"
    "genres: list = []  # genre subset (empty: all)\n"
    "fail: bool = False  # raise on purpose\n"
    "sleep_s: float = 0.0  # seconds to wait"
)
BODY = (
    "import json, pathlib, time\n"
    "out = pathlib.Path(reports_dir)\n"
    "out.mkdir(parents=True, exist_ok=True)\n"
    "time.sleep(sleep_s)\n"
    "if fail:\n"
    "    raise ValueError(f'boom k={k}')\n"
    "(out / 'key_results.json').write_text(json.dumps({'k_squared': k * k, 'n_genres': len(genres)}))\n"
    "print('<script>alert(1)</script>')"
)


def _tiny_notebook(path: Path) -> Path:
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    params = new_code_cell(PARAMETERS)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [new_markdown_cell("# Tiny"), params, new_code_cell(BODY)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # other developers edit the package while tests run; its code hash is tested on its own below
    monkeypatch.setattr("framing.batch._plan._code_hash", lambda: "code-v1")
    _tiny_notebook(tmp_path / "notebooks" / "tiny.ipynb")
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "a.txt").write_text("some text\n")
    (tmp_path / "config" / "batch").mkdir(parents=True)
    return tmp_path


def _parameters_notebook(path: Path, parameters: str) -> Path:
    """A notebook of a parameters cell (``parameters``, its source) and one cell that does nothing."""
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    params = new_code_cell(parameters)
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, new_code_cell("x = 1")]
    nbformat.write(nb, path)
    return path


def _batch(project: Path, name: str, text: str) -> Path:
    path = project / "config" / "batch" / f"{name}.yaml"
    path.write_text(text)
    return path


# ------------------------------------------------------------------------------------------- run ids
def test_make_run_id_is_readable_and_safe() -> None:
    assert make_run_id({"genre": "blog", "k": 5}) == "genre=blog__k=5"
    assert make_run_id({"genres": ["minister", "news"]}) == "genres=minister+news"
    assert make_run_id({"genres": []}) == "genres=empty"
    assert make_run_id({"corpus": "../shared/corpora/guardian/"}) == "corpus=guardian"
    assert make_run_id({"lexicon": "my lexicon (v2)"}) == "lexicon=my-lexicon-v2"
    assert make_run_id({"flag": True, "x": None}) == "flag=true__x=none"
    assert make_run_id({"case": "", "rule": "coder"}) == "case=none__rule=coder"  # not 'case=__rule=coder'
    assert make_run_id({}) == "default"


def test_make_run_id_shortens_long_ids_with_a_hash() -> None:
    a = make_run_id({"lexicon": "x" * 200, "k": 1})
    b = make_run_id({"lexicon": "x" * 200, "k": 2})
    assert len(a) <= 80 and len(b) <= 80
    assert a.startswith("lexicon=xxx")
    assert a != b
    assert a.rsplit("__", 1)[1].isalnum() and len(a.rsplit("__", 1)[1]) == 8


def test_batch_run_ids_put_the_grid_first_and_tell_entries_apart_by_one_parameter() -> None:
    runs = [{"corpus": "../work/immigration.jsonl", "corpus_name": "immigration", "id_col": "id",
             "genre_col": "category", "case": "../work/immigration_case.yaml"},
            {"corpus": "../work/prisons", "corpus_name": "prisons", "case": "../work/prisons_case.yaml"}]
    assert batch_run_ids(runs, {"rule": ["coder", "any"]}) == [
        "rule=coder__corpus=immigration.jsonl", "rule=any__corpus=immigration.jsonl",
        "rule=coder__corpus=prisons", "rule=any__corpus=prisons"]
    # no single parameter tells the entries apart: every one that differs; c (the same everywhere) left out
    entries = [{"a": 1, "b": 1, "c": 9}, {"a": 1, "b": 2, "c": 9}, {"a": 2, "b": 1, "c": 9}]
    assert batch_run_ids(entries, {}) == ["a=1__b=1", "a=1__b=2", "a=2__b=1"]
    # one entry: all its parameters without a grid, none with one; nothing at all: default
    assert batch_run_ids([{"k": 2, "genres": ["blog"]}], {}) == ["k=2__genres=blog"]
    assert batch_run_ids([{"corpus": "data/raw"}], {"k": [2, 3]}) == ["k=2", "k=3"]
    assert batch_run_ids([], {}) == ["default"]
    # the grid's part is never cut, even past the maximum; only the entry's part becomes a hash
    long_value = "x" * 100
    ids = batch_run_ids([{"corpus": "a" * 60}, {"corpus": "b" * 60}], {"lexicon": [long_value]})
    head = f"lexicon={long_value}"
    assert all(i.startswith(head + "__") and len(i) == len(head) + 2 + 8 for i in ids)
    assert ids[0] != ids[1]
    # an entry part that does not fit is cut after the grid's part, with a hash
    ids = batch_run_ids([{"corpus": "a" * 90}, {"corpus": "b" * 90}], {"rule": ["coder"]})
    assert [len(i) for i in ids] == [80, 80] and ids[0].startswith("rule=coder__corpus=aaa") and ids[0] != ids[1]
    assert batch_run_ids([{"corpus": "a" * 90}, {"corpus": "b" * 90}], {"rule": ["coder"]}) == ids  # stable


# ------------------------------------------------------------------------------------------- config
def test_load_batch_config_rejects_malformed_files(project: Path) -> None:
    cases = {
        "bad1": ("notebooks: [notebooks/tiny.ipynb]\ngird: {k: [1]}\n", r"unknown key\(s\) \['gird'\]"),
        "bad2": ("notebooks: [notebooks/tiny.ipynb]\ngrid: {k: 5}\n", r"grid\.k must be a non-empty list"),
        "bad3": (
            "notebooks: [notebooks/tiny.ipynb]\ngrid: {k: [1, 2]}\nruns: [{k: 3}]\n",
            r"runs entry #1 sets \['k'\]",
        ),
        "bad4": ("notebooks: [notebooks/tiny.ipynb]\ngrid: {k: [1\n", r"bad4\.yaml:\d+: invalid YAML"),
    }
    for name, (text, message) in cases.items():
        path = _batch(project, name, text)
        with pytest.raises(ConfigError, match=message):
            load_batch_config(path, root=project)


def test_a_bare_batch_name_is_found_in_config_batch_and_a_missing_one_says_where_it_looked(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "data")  # not the project root: the name must resolve against the root
    path = _batch(project, "demo", "notebooks: [notebooks/tiny.ipynb]\ngrid: {k: [2]}\n")
    assert load_batch_config("demo", root=project).path == path
    with pytest.raises(ConfigError) as info:
        load_batch_config("failures", root=project)
    message = str(info.value)
    assert message.startswith("failures: batch file not found (looked at ")
    assert str(project / "config" / "batch" / "failures.yaml") in message
    assert str(project / "failures") in message


def test_plan_expands_runs_times_grid(project: Path) -> None:
    path = _batch(
        project,
        "demo",
        "notebooks: [notebooks/tiny.ipynb]\n"
        "parameters: {corpus_name: seeds}\n"
        "grid: {k: [2, 3]}\n"
        "runs: [{genres: [blog]}, {genres: [news, minister]}]\n",
    )
    plan = plan_batch(path, root=project)
    assert [r.run_id for r in plan.runs] == [  # the grid first, then what tells the entries apart
        "k=2__genres=blog",
        "k=3__genres=blog",
        "k=2__genres=news+minister",
        "k=3__genres=news+minister",
    ]
    assert plan.out_dir == project / "reports" / "batch" / "demo"
    (nb, params) = plan.runs[0].notebooks[0]
    assert nb == project / "notebooks" / "tiny.ipynb"
    assert params == {"corpus_name": "seeds", "genres": ["blog"], "k": 2}


def test_plan_reports_all_parameter_problems_at_once(project: Path) -> None:
    path = _batch(
        project,
        "bad",
        "notebooks: [notebooks/tiny.ipynb]\n"
        "parameters: {n_topics: 4}\n"
        "grid: {k: [2, five]}\n"
        "runs: [{genres: blog}, {genre: [blog]}]\n",
    )
    with pytest.raises(ParameterError) as info:
        plan_batch(path, root=project)
    message = str(info.value)
    assert "['genre', 'n_topics'] are declared by none of the notebooks" in message
    assert "'k' must be int, got str 'five'" in message
    assert "'genres' must be list, got str 'blog'" in message
    assert not (project / "reports").exists()  # nothing ran, nothing written


def test_cache_key_follows_notebook_parameters_inputs_and_code(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _batch(project, "demo", "notebooks: [notebooks/tiny.ipynb]\ngrid: {k: [2, 3]}\n")
    keys = [r.cache_key for r in plan_batch(path, root=project).runs]
    assert keys[0] != keys[1]
    assert [r.cache_key for r in plan_batch(path, root=project).runs] == keys  # stable
    (project / "data" / "raw" / "a.txt").write_text("changed\n")
    after_input = [r.cache_key for r in plan_batch(path, root=project).runs]
    assert after_input[0] != keys[0]
    monkeypatch.setattr("framing.batch._plan._code_hash", lambda: "code-v2")
    after_code = [r.cache_key for r in plan_batch(path, root=project).runs]
    assert after_code[0] != after_input[0]
    nb_path = project / "notebooks" / "tiny.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(new_code_cell("x = 1"))
    nbformat.write(nb, nb_path)
    assert plan_batch(path, root=project).runs[0].cache_key not in (keys[0], after_input[0], after_code[0])


def test_the_rerun_reason_names_the_changed_input_files(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from framing.batch._results import rerun_reason

    path = _batch(project, "demo", "notebooks: [notebooks/tiny.ipynb]\ngrid: {k: [2]}\n")
    before = plan_batch(path, root=project).runs[0]
    rec = {"cache_parts": before.cache_parts, "inputs": before.inputs}  # what run.json records
    assert rerun_reason(before, rec) == "nothing recorded"
    (project / "data" / "raw" / "a.txt").write_text("changed\n")
    (project / "data" / "raw" / "b.txt").write_text("new\n")
    monkeypatch.setattr("framing.batch._plan._code_hash", lambda: "code-v2")
    after = plan_batch(path, root=project).runs[0]
    assert rerun_reason(after, rec) == "inputs (data/raw/a.txt changed, data/raw/b.txt new), code"
    # a run.json of an earlier version, without the files' hashes: the part only
    assert rerun_reason(after, {"cache_parts": before.cache_parts}) == "inputs, code"


# ---------------------------------------------------------------------------------- execution
@pytest.mark.slow
def test_run_batch_parallel_failures_summary_and_cache(project: Path) -> None:
    path = _batch(
        project,
        "demo",
        "description: demo <b>batch</b>\n"
        "notebooks: [notebooks/tiny.ipynb]\n"
        "runs: [{k: 2, genres: [blog]}, {k: 3}, {k: 4, fail: true}]\n",
    )
    result = run_batch(path, root=project, jobs=2, progress=False)
    out = project / "reports" / "batch" / "demo"
    status = {r.run_id: r.status for r in result.runs}
    assert status == {"k=2": "ok", "k=3": "ok", "k=4": "failed"}  # k alone tells the entries apart
    assert [r.run_id for r in result.failed] == ["k=4"]
    failed = result.failed[0]
    assert "cell 3" in failed.error and "ValueError: boom k=4" in failed.error
    assert (out / "k=4" / "notebooks" / "tiny.ipynb").is_file()  # kept for inspection

    ok_dir = out / "k=2"
    assert json.loads((ok_dir / "key_results.json").read_text()) == {"k_squared": 4, "n_genres": 1}
    for name in ("notebooks/tiny.ipynb", "notebooks/tiny.html", "provenance.json", "run.json", "index.html"):
        assert (ok_dir / name).is_file(), name
    executed = (ok_dir / "notebooks" / "tiny.ipynb").read_text()
    assert ".tmp-" not in executed  # injected reports_dir shows the final folder
    assert str(ok_dir) in executed
    assert "&lt;script&gt;alert(1)" in (ok_dir / "notebooks" / "tiny.html").read_text()
    run_prov = json.loads((ok_dir / "provenance.json").read_text())
    # the notebook's default corpus is an input, and so are the cleaning rules that prepare a corpus (a package
    # file, outside this temporary project: shown whole)
    inputs = list(run_prov["inputs"])
    assert "data/raw/a.txt" in inputs and len(inputs) == 2
    assert next(k for k in inputs if k != "data/raw/a.txt").endswith("framing/rules/boilerplate.yaml")
    assert run_prov["status"] == "ok" and run_prov["run_id"] == "k=2"
    assert not [p for p in out.iterdir() if ".tmp-" in p.name or ".old-" in p.name]

    with open(out / "summary.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["run_id"] for r in rows] == ["k=2", "k=3", "k=4"]
    assert [r["k_squared"] for r in rows] == ["4", "9", ""]
    assert [r["genres"] for r in rows] == ["[blog]", "", ""]
    assert rows[2]["status"] == "failed" and "boom k=4" in rows[2]["error"]
    page = (out / "index.html").read_text()
    assert 'href="k=2/notebooks/tiny.html"' in page
    assert "demo &lt;b&gt;batch&lt;/b&gt;" in page
    prov = json.loads((out / "provenance.json").read_text())
    assert prov["status"] == "failed" and len(prov["runs"]) == 3

    # rerun: the two good runs come from the cache, the failed one runs again
    before = (ok_dir / "run.json").read_bytes()
    again = run_batch(path, root=project, jobs=2, progress=False)
    assert [r.status for r in again.runs] == ["cached", "cached", "failed"]
    assert (ok_dir / "run.json").read_bytes() == before
    assert again.runs[0].key_results == {"k_squared": 4, "n_genres": 1}


@pytest.mark.slow
def test_the_batch_provenance_records_the_reports_folder_used(project: Path) -> None:
    path = _batch(project, "one", "notebooks: [notebooks/tiny.ipynb]\nruns: [{k: 2}]\n")
    run_batch(path, root=project, jobs=1, progress=False, reports_dir="elsewhere")
    prov = json.loads((project / "elsewhere" / "batch" / "one" / "provenance.json").read_text())
    assert prov["parameters"]["reports_dir"] == "elsewhere"  # not the study's default, reports


def test_force_reruns_cached_runs_and_code_changes_can_be_ignored(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _batch(project, "one", "notebooks: [notebooks/tiny.ipynb]\nruns: [{k: 2}]\n")
    assert [r.status for r in run_batch(path, root=project, jobs=1, progress=False).runs] == ["ok"]
    assert [r.status for r in run_batch(path, root=project, jobs=1, progress=False).runs] == ["cached"]
    monkeypatch.setattr("framing.batch._plan._code_hash", lambda: "code-v2")
    statuses = [r.status for r in run_batch(path, root=project, jobs=1, ignore_code=True, progress=False).runs]
    assert statuses == ["cached"]
    assert [r.status for r in run_batch(path, root=project, jobs=1, force=True, progress=False).runs] == ["ok"]


def _finish(proc: subprocess.Popen[Any], timeout: float) -> str:
    """Wait for a `framing` process and return its stderr; kill its process group if it hangs."""
    try:
        _, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return str(err)


@pytest.mark.slow
def test_ctrl_c_keeps_finished_runs_and_removes_unfinished(project: Path) -> None:
    path = _batch(
        project, "slow", "notebooks: [notebooks/tiny.ipynb]\nruns: [{k: 1}, {k: 2, sleep_s: 120.0}]\n"
    )
    out = project / "reports" / "batch" / "slow"
    env = dict(os.environ, FRAMING_ROOT=str(project))
    proc = subprocess.Popen(
        [sys.executable, "-m", "framing", "batch", str(path), "--jobs", "1", "-q"],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:  # wait until run 1 is in place and run 2 has started
            if (out / "k=1" / "run.json").is_file() and any(p.name.startswith(".k=2") for p in out.iterdir()):
                break
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.2)
        time.sleep(2.0)  # let the second worker start its kernel
        os.kill(proc.pid, signal.SIGINT)
    finally:
        err = _finish(proc, 60)
    assert proc.returncode == 130, err
    assert json.loads((out / "k=1" / "run.json").read_text())["status"] == "ok"
    assert not (out / "k=2__sleep_s=120.0").exists()
    assert not [p.name for p in out.iterdir() if ".tmp-" in p.name]
    with open(out / "summary.csv", newline="") as fh:
        assert [r["status"] for r in csv.DictReader(fh)] == ["ok", "interrupted"]


# ------------------------------------------------------------------- issue 13: faults of real users
FAULT_BODY = (
    "import os, pathlib, signal, time, json\n"
    "out = pathlib.Path(reports_dir)\n"
    "out.mkdir(parents=True, exist_ok=True)\n"
    "pathlib.Path(f'kernel-k{k}.pid').write_text(str(os.getpid()))\n"
    "(out / 'key_results.json').write_text(json.dumps({'k_squared': k * k, 'n_genres': len(genres)}))\n"
    "trigger = pathlib.Path(f'signal-at-k{k}.json')\n"
    "if trigger.is_file():\n"
    "    target, name = json.loads(trigger.read_text())\n"
    "    os.kill(target or os.getppid(), getattr(signal, name))\n"
    "    for i in range(1200):\n"
    "        out.mkdir(parents=True, exist_ok=True)\n"
    "        (out / 'beat.txt').write_text(str(i))\n"
    "        time.sleep(0.05)\n"
)


@pytest.fixture
def faulty(project: Path) -> Path:
    """The project with a notebook that signals a process when ``signal-at-kK.json`` exists in the root."""
    nb = nbformat.read(project / "notebooks" / "tiny.ipynb", as_version=4)
    nb.cells[2] = new_code_cell(FAULT_BODY)
    nbformat.write(nb, project / "notebooks" / "faulty.ipynb")
    return project


def _trigger(project: Path, k: int, name: str, pid: int = 0) -> None:
    """Make the run with this k send signal ``name`` to ``pid`` (0: the worker running the notebook)."""
    (project / f"signal-at-k{k}.json").write_text(json.dumps([pid, name]))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return not Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except OSError:
        return False


def _rows(out: Path) -> list[dict[str, str]]:
    with open(out / "summary.csv", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.slow
def test_a_killed_worker_leaves_the_previous_complete_run_in_place(faulty: Path) -> None:
    # the earlier complete run of k=1 (k=2 needs none: it only shows the batch goes on after the killed run)
    path = _batch(faulty, "kill", "notebooks: [notebooks/faulty.ipynb]\nruns: [{k: 1}]\n")
    run_batch(path, root=faulty, jobs=1, progress=False)
    out = faulty / "reports" / "batch" / "kill"
    _batch(faulty, "kill", "notebooks: [notebooks/faulty.ipynb]\nruns: [{k: 1}, {k: 2}]\n")
    before = {p.relative_to(out / "k=1").as_posix(): p.read_bytes() for p in (out / "k=1").rglob("*") if p.is_file()}
    _trigger(faulty, 1, "SIGKILL")
    result = run_batch(path, root=faulty, jobs=1, force=True, progress=False)
    killed = result.runs[0]
    assert killed.status == "failed"
    assert "run k=1" in killed.error and "killed by SIGKILL" in killed.error
    assert "keeps its previous complete run" in killed.error
    assert result.runs[1].status == "ok"  # the other run is not affected
    kernel = int((faulty / "kernel-k1.pid").read_text())
    time.sleep(1.5)  # an orphaned kernel would write its next beat within 0.05 s
    after = {p.relative_to(out / "k=1").as_posix(): p.read_bytes() for p in (out / "k=1").rglob("*") if p.is_file()}
    assert after == before
    assert not [p.name for p in out.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    assert not _alive(kernel)
    assert [r["status"] for r in _rows(out)] == ["failed", "ok"]


@pytest.mark.slow
def test_ctrl_c_keeps_runs_finished_earlier_as_they_are(faulty: Path) -> None:
    path = _batch(faulty, "intr", "notebooks: [notebooks/faulty.ipynb]\nruns: [{k: 1}, {k: 2}]\n")
    run_batch(path, root=faulty, jobs=1, progress=False)
    out = faulty / "reports" / "batch" / "intr"
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["k=1", "k=2"]  # k=3, k=4: no earlier result
    _batch(faulty, "intr", "notebooks: [notebooks/faulty.ipynb]\nruns: [{k: 1}, {k: 2}, {k: 3}, {k: 4}]\n")
    _trigger(faulty, 2, "SIGINT", os.getpid())
    with pytest.raises(KeyboardInterrupt):
        run_batch(path, root=faulty, jobs=1, force=True, progress=False)
    rows = _rows(out)
    # k=1 reran and finished; k=2 was interrupted but its earlier run (same inputs) stands; k=3, k=4 never ran
    assert [(r["run_id"], r["status"]) for r in rows] == [
        ("k=1", "ok"), ("k=2", "cached"), ("k=3", "interrupted"), ("k=4", "interrupted")]
    assert [r["k_squared"] for r in rows] == ["1", "4", "", ""]
    page = (out / "index.html").read_text()
    assert 'href="k=1/index.html"' in page and 'href="k=2/index.html"' in page
    assert json.loads((out / "k=2" / "run.json").read_text())["status"] == "ok"
    assert not [p.name for p in out.iterdir() if ".tmp-" in p.name]
    prov = json.loads((out / "provenance.json").read_text())
    assert prov["status"] == "interrupted" and prov["interrupted_by"] == "SIGINT"


@pytest.mark.slow
def test_sigterm_on_batch_stops_workers_and_kernels(faulty: Path) -> None:
    path = _batch(faulty, "term", "notebooks: [notebooks/faulty.ipynb]\nruns: [{k: 1}]\n")
    out = faulty / "reports" / "batch" / "term"
    env = dict(os.environ, FRAMING_ROOT=str(faulty))
    proc = subprocess.Popen(
        [sys.executable, "-m", "framing", "batch", str(path), "--jobs", "1", "-q"],
        cwd=faulty, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    _trigger(faulty, 1, "SIGTERM", proc.pid)  # the notebook sends SIGTERM to `framing batch`
    err = _finish(proc, 120)
    assert proc.returncode == 130, err
    assert "interrupted (SIGTERM)" in err
    kernel = int((faulty / "kernel-k1.pid").read_text())
    deadline = time.monotonic() + 20
    while _alive(kernel) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(kernel)
    time.sleep(1.0)
    assert not (out / "k=1").exists()
    assert not [p.name for p in out.iterdir() if ".tmp-" in p.name]
    assert [r["status"] for r in _rows(out)] == ["interrupted"]
    assert json.loads((out / "provenance.json").read_text())["interrupted_by"] == "SIGTERM"


def test_batch_checks_the_raw_data_manifest_before_any_run(project: Path) -> None:
    from framing.errors import RawDataChangedError

    (project / "data" / "raw" / "SHA256SUMS").write_text("0" * 64 + "  a.txt\n")
    path = _batch(project, "manifest", "notebooks: [notebooks/tiny.ipynb]\nruns: [{k: 1}, {k: 2}]\n")
    with pytest.raises(RawDataChangedError, match=r"a\.txt"):
        run_batch(path, root=project, jobs=1, progress=False)
    assert not (project / "reports" / "batch" / "manifest").exists()


def test_a_second_batch_into_the_same_folder_stops_naming_the_holder(project: Path) -> None:
    from framing.errors import BusyError
    from framing.runtime import folder_lock

    path = _batch(project, "busy", "notebooks: [notebooks/tiny.ipynb]\nruns: [{k: 1}]\n")
    with (folder_lock(project / "reports" / "batch" / "busy", what="framing batch busy"),
          pytest.raises(BusyError, match=rf"pid {os.getpid()} \(framing batch busy\)")):
        run_batch(path, root=project, jobs=1, progress=False)
    assert not (project / "reports" / "batch" / "busy" / "summary.csv").exists()


def test_warnings_inside_a_run_are_shown_and_kept(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nb = nbformat.read(project / "notebooks" / "tiny.ipynb", as_version=4)
    nb.cells[2] = new_code_cell("import warnings\nwarnings.warn(f'document d{k}.txt skipped: empty')")
    nbformat.write(nb, project / "notebooks" / "warner.ipynb")
    path = _batch(project, "warn", "notebooks: [notebooks/warner.ipynb]\nruns: [{k: 7}]\n")
    result = run_batch(path, root=project, jobs=1, progress=False)
    expected = "warner: UserWarning: document d7.txt skipped: empty"
    assert result.runs[0].warnings == [expected]
    assert f"framing: warning: run k=7: {expected}" in capsys.readouterr().err
    run_dir = project / "reports" / "batch" / "warn" / "k=7"
    assert json.loads((run_dir / "provenance.json").read_text())["warnings"] == [expected]


def test_batch_index_is_escaped_and_links_what_exists(tmp_path: Path) -> None:
    """The index page (a Jinja2 template, autoescaped) from hand-made results; no worker runs."""
    from framing.batch import BatchConfig, BatchPlan, BatchResult, RunResult, RunSpec, write_summary

    out = tmp_path / "reports" / "batch" / "demo"
    (out / "k=1" / "notebooks").mkdir(parents=True)
    (out / "k=1" / "index.html").write_text("x")
    (out / "k=1" / "notebooks" / "a.html").write_text("x")
    (out / "k=1" / "notebooks" / "b.ipynb").write_text("x")
    cfg = BatchConfig(path=tmp_path / "demo.yaml", name="demo", notebooks=(), parameters={}, grid={}, runs=(),
                      description="<b>bold</b> & 'q'")
    specs = (RunSpec("k=1", {"k": 1}, {"k": 1}, (), "key"), RunSpec("k=<2>", {"k": "<2>"}, {}, (), "key"))
    notebooks = [{"output": "notebooks/a.ipynb", "status": "ok"}, {"output": "notebooks/b.ipynb", "status": "ok"},
                 {"output": "notebooks/c.ipynb", "status": None}]
    runs = [RunResult("k=1", "ok", {"k": 1}, elapsed=2.26, key_results={"x.f": 0.123456, "x.l": [1, 2.5]},
                      notebooks=notebooks),
            RunResult("k=<2>", "failed", {"k": "<2>"}, error="boom <script>alert(1)</script>")]
    _, index = write_summary(BatchPlan(cfg, specs, out, tmp_path), BatchResult("demo", out, runs, 3.04))
    page = index.read_text()
    assert "<title>Batch: demo</title>" in page and '<p class="muted">1 ok, 1 failed; 3.0 s</p>' in page
    assert "<p>&lt;b&gt;bold&lt;/b&gt; &amp; &#39;q&#39;</p>" in page
    # one row per run, the parameters in one cell; the key results below, one row per key, one column per run
    assert ("<thead><tr><th>run</th><th>status</th><th>headline</th><th>parameters</th><th>duration (s)</th>"
            "<th>notebooks</th><th>error</th></tr></thead>") in page
    assert ('<tr><td class="id"><a href="k=1/index.html">k=1</a></td><td><span class="status-ok">ok</span></td>'
            '<td class="headline"></td><td class="id">k: 1</td><td class="num">2.3</td>'
            '<td><a href="k=1/notebooks/a.html">a</a> (ok)<br><a href="k=1/notebooks/b.ipynb">b</a> (ok)<br>c ()'
            '</td><td class="id"></td></tr>') in page
    assert ('<tr><td class="id">k=&lt;2&gt;</td><td><span class="status-failed">failed</span></td>'
            '<td class="headline"></td><td class="id">k: &lt;2&gt;</td><td></td><td></td>'
            '<td class="id">boom &lt;script&gt;alert(1)&lt;/script&gt;</td></tr>') in page
    assert ('<thead><tr><th>key result</th><th class="id"><a href="k=1/index.html">k=1</a></th>'
            '<th class="id">k=&lt;2&gt;</th></tr></thead>') in page
    assert '<tr><td class="key">x.f</td><td class="num">0.1235</td><td></td></tr>' in page
    assert '<tr><td class="key">x.l</td><td>1, 2.5</td><td></td></tr>' in page
    assert "<script>" not in page and "<b>" not in page


def test_a_grid_over_the_studys_shared_vocabulary_is_not_a_partial_override(project: Path) -> None:
    import warnings

    from framing.runner import PartialParameterWarning

    other = project / "notebooks" / "other.ipynb"
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    params = new_code_cell('corpus: str = "data/raw"  # the corpus\nreports_dir: str = "reports"  # outputs')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params]
    nbformat.write(nb, other)
    # k is in the study's parameters (shared vocabulary), genres is not; 'other' declares neither
    (project / "config" / "study.yaml").write_text(
        "name: s\nparameters:\n  corpus: data/raw\n  k: 3\nnotebooks:\n  - notebooks/tiny.ipynb\n"
        "  - notebooks/other.ipynb\n", encoding="utf-8")
    cfg = _batch(project, "g", "notebooks: [notebooks/tiny.ipynb, notebooks/other.ipynb]\n"
                               "grid:\n  k: [2, 3]\n  genres: [[blog]]\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan_batch(cfg, root=project)
    partial = [str(w.message) for w in caught if w.category is PartialParameterWarning]
    assert partial == ["parameter 'genres' is declared by tiny only; other do(es) not use it"]
    assert [r.run_id for r in plan_batch(cfg, root=project).runs] == ["k=2__genres=blog", "k=3__genres=blog"]


def test_a_batch_run_with_the_studys_case_on_another_corpus_warns_as_framing_run_does(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import warnings

    from framing.runner import StudyCaseWarning

    _parameters_notebook(project / "notebooks" / "scoring.ipynb",
                         'corpus: str = "data/raw"  # the corpus\ncase: str = "baby_p"  # case file\n'
                         'reports_dir: str = "reports"  # outputs')
    (project / "config" / "study.yaml").write_text(
        "name: s\nparameters:\n  corpus: data/raw\n  case: baby_p\nnotebooks:\n  - notebooks/scoring.ipynb\n",
        encoding="utf-8")
    cfg = _batch(project, "cases", "notebooks: [notebooks/scoring.ipynb]\nruns:\n  - {corpus: ../mine.jsonl}\n"
                                   "  - {corpus: ../mine.jsonl, case: ''}\n  - {corpus: ./data/raw}\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = plan_batch(cfg, root=project)
    said = [str(w.message) for w in caught if w.category is StudyCaseWarning]
    first = plan.runs[0].run_id
    # only the run that keeps the study's case and reads another corpus; in framing run's words, naming the run
    assert len(said) == 1 and said[0].startswith(
        f"run {first}: the study's case 'baby_p' (case: in config/study.yaml) is applied to corpus '../mine.jsonl', "
        "not to the study's own corpus 'data/raw'") and "-p case= " in said[0]
    assert plan.runs[0].warnings == (f"StudyCaseWarning: {said[0]}",)
    assert plan.runs[1].warnings == () and plan.runs[2].warnings == ()
    # the run keeps it in its provenance.json, as framing run does, and the terminal shows it once (when planned)
    one = _batch(project, "one", "notebooks: [notebooks/scoring.ipynb]\nruns: [{corpus: ../mine.jsonl}]\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run_batch(one, root=project, jobs=1, progress=False)
    assert result.runs[0].status == "ok", result.runs[0].error
    [message] = [str(w.message) for w in caught if w.category is StudyCaseWarning]
    run_dir = project / "reports" / "batch" / "one" / result.runs[0].run_id
    assert json.loads((run_dir / "provenance.json").read_text())["warnings"] == [f"StudyCaseWarning: {message}"]
    assert "the study's case" not in capsys.readouterr().err
    # an unknown case stops the batch before any run, naming the run and the parameter, as framing run does
    bad = _batch(project, "bad", "notebooks: [notebooks/scoring.ipynb]\nruns: [{case: immigration}]\n")
    with pytest.raises(ParameterError, match=r"run case=immigration: parameter 'case' \(scoring\): no case"):
        plan_batch(bad, root=project)


@pytest.mark.parametrize(("run", "said"), [
    ("{frame_model: generl}", r"run frame_model=generl: parameter 'frame_model' \(labels\): generl: model file not "
                              r"found"),
    ("{frame_model: general, rule: any}", r"parameter 'frame_model' \(labels\): .*rule='any' would be ignored"),
])
def test_a_batch_without_a_study_configuration_refuses_a_frame_model_before_any_run(
    project: Path, run: str, said: str
) -> None:
    """From the review: without config/study.yaml, framing batch checked frame_model only when a notebook ran;
    framing run refuses it up front (nbtools.check_frame_model), and the batch now does so through the same check."""
    _parameters_notebook(project / "notebooks" / "labels.ipynb",
                         'corpus: str = "data/raw"  # the corpus\nframe_model: str = ""  # a model\n'
                         'rule: str = "coder"  # the rule\nreports_dir: str = "reports"  # outputs')
    assert not (project / "config" / "study.yaml").exists()  # no study configuration
    cfg = _batch(project, "models", f"notebooks: [notebooks/labels.ipynb]\nruns:\n  - {run}\n  - {{frame_model: ''}}\n")
    with pytest.raises(ParameterError, match=said):
        plan_batch(cfg, root=project)
    assert not (project / "reports").exists()  # refused before any run
    fine = _batch(project, "fine", "notebooks: [notebooks/labels.ipynb]\nruns: [{frame_model: general}]\n")
    assert [r.run_id for r in plan_batch(fine, root=project).runs] == ["frame_model=general"]


def test_a_batch_refuses_a_missing_or_bad_rules_file_before_any_run(project: Path) -> None:
    """From the review: framing run refuses a missing or bad boilerplate rules file up front; framing batch started
    kernels for each run and let them fail inside their notebooks."""
    _parameters_notebook(project / "notebooks" / "clean.ipynb",
                         'corpus: str = "data/raw"  # the corpus\nrules: str = ""  # boilerplate rules\n'
                         'reports_dir: str = "reports"  # outputs')
    (project / "bad_rules.yaml").write_text("not: [a, rules, file\n", encoding="utf-8")
    cfg = _batch(project, "rules", "notebooks: [notebooks/clean.ipynb]\n"
                 "runs: [{rules: missing_rules.yaml}, {rules: bad_rules.yaml}, {rules: ''}]\n")
    with pytest.raises(ParameterError) as err:
        plan_batch(cfg, root=project)
    said = str(err.value)
    assert "run rules=missing_rules.yaml: parameter 'rules'" in said and "missing_rules.yaml" in said
    assert "run rules=bad_rules.yaml: parameter 'rules'" in said and "(clean)" in said
    assert not (project / "reports").exists()  # refused before any run
