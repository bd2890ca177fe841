"""Tests for framing.runtime: exit descriptions, warnings from notebooks, stale records (issue 13)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from framing.runtime import carry_earlier, describe_exit, notebook_warnings


def test_describe_exit_names_the_signal() -> None:
    assert describe_exit(-9) == "was killed by SIGKILL (signal 9)"
    assert describe_exit(-15) == "was killed by SIGTERM (signal 15)"
    assert describe_exit(1) == "exited with status 1"
    assert describe_exit(130) == "exited with status 130 (SIGINT)"
    assert describe_exit(None) == "is still running"


def test_notebook_warnings_reads_stderr_outputs_once_each(tmp_path: Path) -> None:
    stderr = ("/x/corpus.py:88: UserWarning: a.txt: decoded as cp1252 (3% of bytes)\n"
              "  warnings.warn(msg)\n")
    nb = {"cells": [
        {"cell_type": "code", "outputs": [{"output_type": "stream", "name": "stderr", "text": [stderr]}]},
        {"cell_type": "code", "outputs": [
            {"output_type": "stream", "name": "stdout", "text": "UserWarning: printed, not warned\n"},
            {"output_type": "stream", "name": "stderr", "text": stderr + "RuntimeWarning: b skipped\n"}]},
    ]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    assert notebook_warnings(path) == ["UserWarning: a.txt: decoded as cp1252 (3% of bytes)",
                                       "RuntimeWarning: b skipped"]
    assert notebook_warnings(tmp_path / "missing.ipynb") == []


def test_notebook_warnings_reads_the_warnings_a_cell_caught_and_printed(tmp_path: Path) -> None:
    # what framing.nbtools.printed_warnings prints on stdout after the block it guards
    stdout = ("12 quotations\n"
              "warning (UnclosedQuotationWarning): document 'p28': quotation opened at offset 740 never closes\n"
              "a warning (UserWarning): inside a sentence is not one\n")
    nb = {"cells": [{"cell_type": "code", "outputs": [{"output_type": "stream", "name": "stdout", "text": stdout}]}]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    assert notebook_warnings(path) == [
        "UnclosedQuotationWarning: document 'p28': quotation opened at offset 740 never closes"]


def test_carry_earlier_keeps_the_run_that_produced_each_output() -> None:
    code1 = {"code": {"commit": "c1", "dirty": False}}
    first = {"status": "ok", "started": "T1", "finished": "T1b", "parameters": {"corpus": "data/raw"},
             "git": code1, "notebooks": [{"notebook": "a", "status": "ok"}, {"notebook": "b", "status": "ok"}]}
    # run 2 reran only b, on another corpus: a is stale, from run 1
    second_records, stale = carry_earlier([{"notebook": "b", "status": "ok"}], first, ["a", "b"], lambda r: True)
    assert stale == ["a"]
    assert second_records[0]["status"] == "stale" and second_records[0]["from_run"]["started"] == "T1"
    second = {"status": "ok", "started": "T2", "parameters": {"corpus": "other"}, "notebooks": second_records}
    # run 3 reran b again: a is still from run 1 (not from run 2, which did not produce it)
    third, stale = carry_earlier([{"notebook": "b", "status": "interrupted"}], second, ["a", "b"], lambda r: True)
    assert stale == ["a", "b"]
    assert third[0]["from_run"]["parameters"] == {"corpus": "data/raw"}
    assert third[0]["from_run"]["git"] == code1  # the code that made a's outputs, two runs later
    assert second_records[0]["from_run"]["git"] == code1
    assert third[1]["earlier_output"]["from_run"]["started"] == "T2"
    # an output that is gone is not claimed
    assert carry_earlier([], first, ["a", "b"], lambda r: False) == ([], [])


def test_preload_code_imports_what_the_notebook_imports_and_binds_no_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from framing.runtime import preload_code

    (tmp_path / "framing_preload_probe.py").write_text("LOADED = True\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "framing_preload_probe", raising=False)
    nb = {"cells": [
        {"cell_type": "code", "source": "import json as j\nx = 1"},
        {"cell_type": "code", "source": "%matplotlib inline"},  # not Python: skipped
        {"cell_type": "code", "source": ["from framing_preload_probe import LOADED\n", "import not_a_module_xyz\n"]},
        {"cell_type": "markdown", "source": "import os"},
    ]}
    code = preload_code(nb)
    for stmt in ("import json as j", "from framing_preload_probe import LOADED", "import not_a_module_xyz"):
        assert repr(stmt) in code
    assert "import os" not in code
    namespace: dict[str, object] = {}
    exec(code, namespace)  # the missing module is skipped, the others are loaded
    assert set(namespace) == {"__builtins__"} and "framing_preload_probe" in sys.modules
    assert preload_code({"cells": [{"cell_type": "code", "source": "x = 1"}]}) == ""


def test_skipped_optional_imports_leave_notebook_reading_and_validation_working(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from framing.runtime import skip_optional_imports\n"
        "skip_optional_imports()\n"
        "import nbformat\n"
        "try:\n    import rfc3987_syntax\nexcept ImportError:\n    print('skipped')\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1 + 1')])\n"
        "nbformat.validate(nb)\n"
        "bad = nbformat.v4.new_notebook(); bad['cells'] = [{'cell_type': 'code'}]\n"
        "try:\n    nbformat.validate(bad)\nexcept nbformat.ValidationError:\n    print('invalid found')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert done.stdout.split() == ["skipped", "invalid", "found"]


def test_preload_code_of_a_notebook_file_is_parsed_once_and_again_when_it_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from framing import runtime
    from framing.nbtools import write_notebook

    calls = []
    original = runtime.preload_code
    monkeypatch.setattr(runtime, "preload_code", lambda nb: calls.append(1) or original(nb))
    nb = write_notebook(tmp_path / "a.ipynb", [("code", "import json\nx = 1")])
    first = runtime.notebook_preload_code(nb)
    assert "'import json'" in first
    assert runtime.notebook_preload_code(nb) == first and len(calls) == 1  # kept
    write_notebook(nb, [("code", "import csv, json")])
    assert "'import csv, json'" in runtime.notebook_preload_code(nb) and len(calls) == 2  # the file changed


def test_a_kernel_that_dies_at_start_up_is_started_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time
    from types import SimpleNamespace

    import framing.runtime
    from framing.runtime import KERNEL_START_ATTEMPTS, Step, execute_steps

    slept: list[float] = []  # the pauses before each new start, recorded instead of waited (3 s of the suite)
    monkeypatch.setattr(framing.runtime, "time", SimpleNamespace(sleep=slept.append, perf_counter=time.perf_counter,
                                                                 monotonic=time.monotonic))
    calls: list[str] = []

    def flaky(step: Step) -> None:  # the kernel dies before its first reply twice, then runs
        calls.append(step.notebook.name)
        if len(calls) < 3:
            raise RuntimeError("Kernel died before replying to kernel_info")

    step = Step(tmp_path / "01_a.ipynb", tmp_path / "out.ipynb", {})
    out = execute_steps([step], flaky)
    assert KERNEL_START_ATTEMPTS == 3 and calls == ["01_a.ipynb"] * 3
    assert out.status == "ok" and step.record["status"] == "ok"
    assert len(out.warnings) == 2 and all("KernelStartWarning" in w and "01_a" in w for w in out.warnings)
    assert len(slept) == 2 and 0 < slept[0] < slept[1]  # a pause before each new start, longer each time

    # a kernel that never starts fails the notebook after the last attempt; any other error is not retried
    never = Step(tmp_path / "02_b.ipynb", tmp_path / "out2.ipynb", {})
    calls.clear()
    failed = execute_steps([never], lambda s: _always_dead(calls))
    assert failed.status == "failed" and calls == ["x"] * KERNEL_START_ATTEMPTS
    assert "Kernel died before replying" in failed.error
    assert len(slept) == 2 + KERNEL_START_ATTEMPTS - 1  # no pause after the last attempt
    calls.clear()
    other = execute_steps([Step(tmp_path / "03_c.ipynb", tmp_path / "o3.ipynb", {})], lambda s: _other(calls))
    assert other.status == "failed" and calls == ["y"]


def _always_dead(calls: list[str]) -> None:
    calls.append("x")
    raise RuntimeError("Kernel died before replying to kernel_info")


def _other(calls: list[str]) -> None:
    calls.append("y")
    raise RuntimeError("something else")


def test_remove_leftovers_removes_only_temporary_names_of_the_reports_own_folders(tmp_path: Path) -> None:
    from framing.runtime import remove_leftovers

    reports = tmp_path / "reports"
    leftovers = [reports / ".index.abcdefgh.tmp.html", reports / "figures" / ".f.k3x_9qa2.tmp.png",
                 reports / "tables" / ".t.abcdefgh.tmp.csv", reports / "notebooks" / ".01.abcdefgh.tmp.ipynb",
                 reports / "evidence" / ".e.abcdefgh.tmp.html"]
    kept = [reports / ".my_notes.tmp.txt", reports / "data" / "raw" / ".my_notes.tmp.txt",
            reports / "data" / "raw" / ".metadata.abcdefgh.tmp.csv",
            reports / "figures" / "sub" / ".f.abcdefgh.tmp.png", reports / "batch" / ".x.abcdefgh.tmp.csv",
            reports / "tables" / "t.csv"]
    for path in leftovers + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    remove_leftovers(reports)
    assert [p for p in leftovers if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []


def test_folder_lock_on_a_file_is_an_output_error_naming_it(tmp_path: Path) -> None:
    from framing.errors import OutputError
    from framing.runtime import folder_lock

    (tmp_path / "somefile").write_text("x")
    with pytest.raises(OutputError, match=r"somefile: cannot write the folder here: it is a file"), \
            folder_lock(tmp_path / "somefile", what="test"):
        pass
    assert (tmp_path / "somefile").read_text() == "x"


def test_stop_kernel_ends_the_preloading_at_once(tmp_path) -> None:
    """A kernel started ahead and stopped while it preloads (a run refused on its parameters) is stopped at once:
    the preloading thread stopped waiting on a kernel that is gone (it waited up to 5 s in the join)."""
    import threading

    from framing.runtime import stop_kernel

    class FakeKernel:  # never answers: the preload would wait for its whole timeout
        def get_connection_info(self) -> dict:
            return {}

        async def shutdown_kernel(self, now: bool = False) -> None:
            return None

    km = FakeKernel()
    km.framing_stopped = threading.Event()
    waited = threading.Event()

    def preload(km, code) -> None:  # the loop of runtime._preload: short waits, stopped by the event
        while not km.framing_stopped.wait(0.05):
            waited.set()

    km.framing_preload = threading.Thread(target=preload, args=(km, ""), daemon=True)
    km.framing_preload.start()
    assert waited.wait(2)
    stop_kernel(km)
    assert not km.framing_preload.is_alive() and km.framing_stopped.is_set()


class _FakeClient:
    """A kernel client whose shell channel answers from ``replies`` (None: nothing yet), recording each call."""

    def __init__(self, replies: list[dict | None], on_wait=None) -> None:
        self.replies, self.on_wait = replies, on_wait
        self.waits: list[float] = []
        self.calls: list[tuple] = []

    def load_connection_info(self, info: dict) -> None:
        self.calls.append(("load", info))

    def start_channels(self, **kw) -> None:
        self.calls.append(("start_channels", kw))

    def stop_channels(self) -> None:
        self.calls.append(("stop_channels",))

    def kernel_info(self) -> str:
        self.calls.append(("kernel_info",))
        return "info-1"

    def execute(self, code: str, **kw) -> str:
        self.calls.append(("execute", code, kw))
        return "exec-1"

    def get_shell_msg(self, timeout: float) -> dict:
        import queue

        self.waits.append(timeout)
        if self.on_wait is not None:
            self.on_wait(len(self.waits))
        reply = self.replies.pop(0) if self.replies else None
        if reply is None:
            raise queue.Empty
        return reply


class _FakeManager:
    """A kernel manager whose kernel process has exited with ``code`` (None: still running)."""

    def __init__(self, code: int | None = None) -> None:
        import threading
        from types import SimpleNamespace

        self.provisioner = SimpleNamespace(process=SimpleNamespace(poll=lambda: code))
        self.framing_stopped = threading.Event()

    def get_connection_info(self) -> dict:
        return {"key": "k"}


def test_the_preloading_waits_in_short_steps_and_ends_when_stopped_or_the_kernel_is_gone() -> None:
    """Every wait on the kernel is at most _PRELOAD_STEP_S: stop_kernel, or a kernel process that exited, ends it
    at the next step (jupyter_client's wait_for_ready waited a second per step: a refused run took 2 s to stop)."""
    from framing.runtime import _PRELOAD_STEP_S, _shell_reply

    assert _PRELOAD_STEP_S <= 0.1
    km = _FakeManager()
    kc = _FakeClient([None] * 100, on_wait=lambda n: n == 3 and km.framing_stopped.set())
    assert not _shell_reply(kc, km, km.framing_stopped, float("inf"), lambda m: True, ask=kc.kernel_info)
    assert kc.waits == [_PRELOAD_STEP_S] * 3 and ("kernel_info",) in kc.calls  # asked, then stopped after 3 steps
    gone = _FakeManager(code=-9)
    kc = _FakeClient([{"msg_type": "kernel_info_reply"}])
    assert not _shell_reply(kc, gone, gone.framing_stopped, float("inf"), lambda m: True, ask=kc.kernel_info)
    assert kc.waits == [] and kc.calls == []  # a kernel that exited is not asked
    kc, km = _FakeClient([None, {"msg_type": "status"}, {"msg_type": "kernel_info_reply"}, None]), _FakeManager()
    assert _shell_reply(kc, km, km.framing_stopped, float("inf"), lambda m: m["msg_type"] == "kernel_info_reply",
                        ask=kc.kernel_info)
    assert len(kc.waits) == 3  # the reply of the third step ends the wait


def test_the_preloading_runs_the_code_silently_without_a_heartbeat_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """_preload: channels without heartbeat (its thread took a second to stop), ready on kernel_info_reply, the
    code executed silently, its reply awaited by msg id, the channels stopped."""
    import jupyter_client.blocking

    from framing.runtime import _preload

    kc = _FakeClient([{"msg_type": "kernel_info_reply"}, {"msg_type": "execute_reply", "parent_header": {}},
                      {"msg_type": "execute_reply", "parent_header": {"msg_id": "exec-1"}}, {"msg_type": "late"}])
    monkeypatch.setattr(jupyter_client.blocking, "BlockingKernelClient", lambda: kc)
    _preload(_FakeManager(), "import json\n")
    assert kc.calls[:3] == [("load", {"key": "k"}), ("start_channels", {"hb": False}), ("kernel_info",)]
    assert ("execute", "import json\n", {"silent": True, "store_history": False}) in kc.calls
    assert kc.calls[-1] == ("stop_channels",) and kc.replies == [{"msg_type": "late"}]


def test_a_warning_every_notebook_gives_is_shown_once_in_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Usability trial 13: the corpus's skipped-row warning was printed seven times in one run, once per notebook."""
    import framing.runtime
    from framing.runtime import Step, execute_steps

    skipped = "CorpusWarning: corpus.tsv: skipped 1 malformed row(s): line 213"
    own = {"o1.ipynb": [skipped], "o2.ipynb": [skipped, "FewDocumentsWarning: genre 'x' has 1 document(s)"],
           "o3.ipynb": [skipped]}
    monkeypatch.setattr(framing.runtime, "notebook_warnings", lambda output: own[Path(output).name])
    steps = [Step(tmp_path / f"0{i}_n.ipynb", tmp_path / f"o{i}.ipynb", {}) for i in (1, 2, 3)]
    shown: list[str] = []
    out = execute_steps(steps, lambda step: None, warn=shown.append)
    assert shown == [f"01_n: {skipped}", "02_n: CorpusWarning, as 01_n above",
                     "02_n: FewDocumentsWarning: genre 'x' has 1 document(s)", "03_n: CorpusWarning, as 01_n above"]
    # the records and the outcome keep every notebook's warnings in full (provenance.json, the report's index)
    assert out.warnings == [f"01_n: {skipped}", f"02_n: {skipped}", "02_n: FewDocumentsWarning: genre 'x' has 1 "
                            "document(s)", f"03_n: {skipped}"]
    assert [s.record["warnings"] for s in steps] == [own["o1.ipynb"], own["o2.ipynb"], own["o3.ipynb"]]
