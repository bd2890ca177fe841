"""Partitioned backends on bad input and failed runs (issue 10, "Bad input at scale"): nothing lost silently.

Small generated corpora cut into several partitions (``partition_bytes`` of a few bytes: a line a partition).
Expected messages are written out by hand from the inputs; the memory backend, an independent path through the
code, is the reference where the backends must say the same.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from framing.backends import load_partitioned_corpus, plan_partitions, read_partitioned, run_partitioned
from framing.cli import main
from framing.corpus import load_corpus
from framing.errors import CorpusError, ParameterError, PartitionError
from framing.rawio import CorpusWarning

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
TINY = ["--partition-mb", "0.00001"]  # about 10 bytes: every line of a JSONL file is a partition


def _line(doc_id: str, text: str) -> str:
    return json.dumps({"doc_id": doc_id, "genre": "news", "text": text})


def _write(path: Path, lines: list[str | bytes]) -> Path:
    path.write_bytes(b"".join((x if isinstance(x, bytes) else x.encode("utf-8")) + b"\n" for x in lines))
    return path


def _warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("framing: warning: ")]


# --- 1. every backend says the same about its input ------------------------------------------------------------
@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """Line 3 not JSON, document d3 (line 4) empty, the rest good."""
    return _write(tmp_path / "damaged.jsonl", [
        _line("d0", "The council failed."), _line("d1", "Ministers erred."), "{not json",
        _line("d3", "   "), _line("d4", "The social workers missed it."),
    ])


def test_stream_and_dask_warn_what_memory_warns_with_and_without_quiet(
    damaged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = [
        f"framing: warning: {damaged}: skipped 1 malformed line(s): line 3: Expecting property name enclosed in "
        "double quotes (column 2, char 1)",
        f"framing: warning: {damaged}: skipped 1 empty document(s): ['d3']",
    ]
    said = {}
    for backend, extra in (("memory", []), ("stream", TINY), ("dask", [*TINY, "--scheduler", "synchronous"])):
        for quiet in (["-q"], []):
            args = ["frames", str(damaged), "--out", str(tmp_path / "f.csv"), "--backend", backend,
                    "--on-bad-record", "skip", *quiet, *extra]
            args += ["--processed-dir", str(tmp_path / "p")] if backend != "memory" else []
            assert main(args) == 0
            out, err = capsys.readouterr()
            said[backend, bool(quiet)] = (out, _warnings(err))
    for key, (_, warned) in said.items():
        assert warned == expected, key
    # without -q the partitions' summary counts the bad record and the warnings, not "0 ... skipped"
    summary = said["stream", False][0].splitlines()[0]
    assert "1 bad record(s) skipped, 2 warning(s) about the input (listed above and in manifest.json)" in summary
    manifest = json.loads((tmp_path / "p" / "damaged" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["issues"] == [w.removeprefix("framing: warning: ") for w in expected]


def test_a_malformed_table_row_is_one_skipped_record_in_warning_summary_and_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # a TSV whose line 3 has two fields instead of three: skipped (whatever on_bad_record says) and counted once,
    # in the warning, the summary line and manifest.json, by every backend (it printed "0 bad record(s) skipped")
    tsv = tmp_path / "c.tsv"
    tsv.write_text("doc_id\ttext\tgenre\n1\tThe council failed.\tnews\n2\tbroken row\n"
                   "3\tMinisters erred.\tblog\n", encoding="utf-8")
    expected = [f"framing: warning: {tsv}: skipped 1 malformed row(s): line 3: 2 fields, expected 3"]
    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))  # data/processed/NAME under tmp_path
    for backend, extra in (("memory", []), ("stream", TINY)):
        name = f"c-{backend}"
        assert main(["prepare", str(tsv), "--name", name, "--backend", backend, *extra]) == 0, backend
        out, err = capsys.readouterr()
        assert _warnings(err) == expected, backend
        assert "1 bad record(s) skipped" in out.splitlines()[-1], (backend, out)
        manifest = json.loads((tmp_path / "data" / "processed" / name / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["skipped_records"] == 1, backend
        assert manifest["skipped"] == [f"{tsv}: line 3: 2 fields, expected 3"], backend
    with pytest.warns(CorpusWarning, match="line 3"):
        corpus = load_corpus(tsv)
    assert corpus.skipped == (f"{tsv}: line 3: 2 fields, expected 3",)
    assert corpus.documents["doc_id"].tolist() == ["1", "3"]


def test_empty_documents_of_several_partitions_are_one_warning_as_in_memory(tmp_path: Path) -> None:
    path = _write(tmp_path / "e.jsonl", [_line("d0", "The council failed."), _line("d1", "  "),
                                         _line("d2", "Ministers erred."), _line("d3", "")])
    with pytest.warns(CorpusWarning) as caught:
        run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)  # a line a partition
    assert [str(w.message) for w in caught if "empty" in str(w.message)] == [
        f"{path}: skipped 2 empty document(s): ['d1', 'd3']"]


def test_a_cp1252_partition_is_warned_with_the_line_of_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "enc.jsonl", [_line("d0", "Fine."), _line("d1", "Fine too."),
                                           b'{"doc_id": "d2", "genre": "news", "text": "It\x92s the council."}'])
    offset = path.read_bytes().index(b"\x92")
    with pytest.warns(CorpusWarning) as memory:
        load_corpus(path)
    with pytest.warns(CorpusWarning) as stream:
        run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)
    where = f"{path}: not valid UTF-8 (byte {offset}: b'\\x92', line 3, offset {offset}); read as cp1252 instead"
    assert [str(w.message).startswith(where) for w in memory] == [True]
    assert [str(w.message).startswith(where) for w in stream] == [True]


def test_reading_a_partitioned_preparation_warns_as_reading_the_corpus_does(damaged: Path, tmp_path: Path) -> None:
    with pytest.warns(CorpusWarning):
        run_partitioned(damaged, processed_dir=tmp_path, partition_bytes=10, on_bad_record="skip")
    with pytest.warns(CorpusWarning) as caught:
        processed = load_partitioned_corpus(damaged, processed_dir=tmp_path, on_bad_record="skip")
    assert processed is not None and processed.documents["doc_id"].tolist() == ["d0", "d1", "d4"]
    assert [str(w.message) for w in caught] == [
        f"{damaged}: skipped 1 malformed line(s): line 3: Expecting property name enclosed in double quotes "
        "(column 2, char 1)",
        f"{damaged}: skipped 1 empty document(s): ['d3']",
    ]


# --- 2. a failed run keeps the previous complete run and leaves nothing of its own -------------------------------
def test_a_failed_rerun_keeps_the_previous_complete_run_and_removes_its_parts(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", [_line(f"d{i}", "The council failed.") for i in range(4)])
    first = run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)
    before = {p.relative_to(first.directory): p.read_bytes() for p in first.directory.rglob("*") if p.is_file()}
    assert len([p for p in before if p.parts[0] == "documents"]) == 4
    _write(path, [*(_line(f"d{i}", "The council failed.") for i in range(6)), "{bad"])  # line 7 bad
    with pytest.raises(CorpusError, match=rf"^{path}: 1 bad record\(s\): line 7: .*nothing of this run was kept "
                                          rf"\({first.directory} still holds the previous complete run\)$"):
        run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)
    after = {p.relative_to(first.directory): p.read_bytes() for p in first.directory.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in (tmp_path / "p").iterdir()] == ["c"]  # no temporary folder left


def test_a_failed_first_run_leaves_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", [*(_line(f"d{i}", "The council failed.") for i in range(5)), "[1]"])
    with pytest.raises(CorpusError, match=r"line 6: not a JSON object.*\(.*c was not written\)$"):
        run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10)
    assert list((tmp_path / "p").iterdir()) == []


# --- 3. code and lexicon versions ---------------------------------------------------------------------------------
def _lexicon(path: Path, pattern: str) -> Path:
    path.write_text("name: mine\nversion: '3'\ncategories:\n  individual:\n    entries:\n"
                    f"    - pattern: {pattern}\n", encoding="utf-8")
    return path


def test_the_manifest_records_code_and_lexicon_and_a_lexicon_edited_mid_run_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import framing.backends.run as run_module
    from framing import __version__

    path = _write(tmp_path / "c.jsonl", [_line(f"d{i}", "The council failed.") for i in range(3)])
    lex = _lexicon(tmp_path / "mine.yaml", "council")
    result = run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10,
                             frames={"lexicon": str(lex), "cues": None, "rule": "any"})
    manifest = json.loads((result.directory / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["code"]["framing_version"] == __version__ and len(manifest["code"]["code_sha256"]) == 64
    recorded = manifest["instruments"]["frames"]["lexicon"]
    assert (recorded["name"], recorded["version"]) == ("mine", "3") and "cues" not in manifest["instruments"]["frames"]
    # the same content at another path is the same lexicon; another entry is another
    other = run_partitioned(path, name="c2", processed_dir=tmp_path / "p", partition_bytes=10,
                            frames={"lexicon": str(_lexicon(tmp_path / "copy.yaml", "council")), "cues": None,
                                    "rule": "any"})
    again = json.loads((other.directory / "manifest.json").read_text(encoding="utf-8"))
    assert again["instruments"]["frames"]["lexicon"]["sha256"] == recorded["sha256"]

    real = run_module._run_one

    def edit_before_partition_1(part, *args, **kwargs):  # type: ignore[no-untyped-def]
        if part.index == 1:
            _lexicon(lex, "failed")
        return real(part, *args, **kwargs)

    _lexicon(lex, "council")
    monkeypatch.setattr(run_module, "_run_one", edit_before_partition_1)
    with pytest.raises(PartitionError, match=rf"partition 1 scored frames with another lexicon than this run: mine 3 "
                                             rf"sha256 {recorded['sha256']} here, sha256 (?!{recorded['sha256']})"):
        run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10,
                        frames={"lexicon": str(lex), "cues": None, "rule": "any"})
    assert len(read_partitioned(result.directory, "frames")) == 3  # the previous run is intact


def test_a_partition_made_by_other_code_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import framing.backends.run as run_module

    path = _write(tmp_path / "c.jsonl", [_line(f"d{i}", "The council failed.") for i in range(3)])
    real = run_module._run_one

    def older_worker(part, *args, **kwargs):  # type: ignore[no-untyped-def]
        out = real(part, *args, **kwargs)
        if part.index == 2:
            out["code"] = {"framing_version": "0.0.9", "code_sha256": "0" * 64}
        return out

    monkeypatch.setattr(run_module, "_run_one", older_worker)
    with pytest.raises(PartitionError, match=r"partition 2 was processed by other framing code .*its code 0\.0\.9 "
                                             r"sha256 0{64}, this run's "):
        run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10, backend="dask",
                        scheduler="synchronous")
    assert list((tmp_path / "p").iterdir()) == []


# --- 5. a scheduler that does not answer, or has no worker ----------------------------------------------------------
def test_a_bad_scheduler_address_is_a_one_line_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import framing.backends._execute as execute

    monkeypatch.setattr(execute, "CONNECT_TIMEOUT", 1.0)
    code = main(["prepare", str(RAW), "--backend", "dask", "--scheduler", "tcp://127.0.0.1:1",
                 "--processed-dir", str(tmp_path), "-q"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("framing: error: --scheduler tcp://127.0.0.1:1: no Dask scheduler answered within 1 s")
    assert list(tmp_path.iterdir()) == []


def test_a_scheduler_without_workers_is_warned_about_then_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import LocalCluster

    import framing.backends._execute as execute

    monkeypatch.setattr(execute, "WORKER_WAIT", 1.0)
    said: list[str] = []
    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        with pytest.raises(ParameterError, match=rf"--scheduler {address}: no worker joined the scheduler "
                                                          r"within 1 s; start one with `dask worker"):
            run_partitioned(RAW, processed_dir=tmp_path, backend="dask", scheduler=address, say=said.append)
    assert said == [f"framing: warning: the dask scheduler at {address} has no worker; waiting up to 1 s for one "
                    f"(start it with `dask worker {address}`)"]


# --- 6 and 9. one message per bad input, every bad record with its file and line ------------------------------------
def test_stream_fail_lists_the_bad_lines_of_every_partition_as_memory_does(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", [_line("d0", "A."), "{x", _line("d2", "B."), _line("d3", "C."), "[2]"])
    with pytest.raises(CorpusError) as memory:
        load_corpus(path)
    expected = (f"{path}: 2 bad record(s): line 2: Expecting property name enclosed in double quotes (column 2, "
                "char 1); line 5: not a JSON object (use --on-bad-record skip / on_bad_record='skip' to skip and "
                "count them)")
    assert str(memory.value) == expected
    for backend in ("stream", "dask"):
        with pytest.raises(CorpusError) as part:
            run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10, backend=backend,
                            scheduler="synchronous" if backend == "dask" else None)
        assert str(part.value).startswith(expected + "; nothing of this run was kept"), backend


@pytest.mark.parametrize("size", [10, 100_000])  # a line a partition, and one partition for the whole file
def test_a_failed_run_shows_the_partitions_warnings_before_the_error_as_memory_does(tmp_path: Path, size: int) -> None:
    path = _write(tmp_path / "w.jsonl", [b'{"doc_id": "d0", "genre": "news", "text": "It\x92s the council."}',
                                         _line("d1", "Fine."), "{x"])
    at = path.read_bytes().index(b"\x92")
    where = f"{path}: not valid UTF-8 (byte {at}: b'\\x92', line 1, offset {at}); read as cp1252 instead"
    bad = f"{path}: 1 bad record(s): line 3: Expecting property name enclosed in double quotes"
    with pytest.warns(CorpusWarning) as memory, pytest.raises(CorpusError, match=re.escape(bad)):
        load_corpus(path)
    assert [str(w.message).startswith(where) for w in memory] == [True]
    for backend in ("stream", "dask"):
        with pytest.warns(CorpusWarning) as caught, pytest.raises(CorpusError, match=re.escape(bad)):
            run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=size, backend=backend,
                            scheduler="synchronous" if backend == "dask" else None)
        assert [str(w.message).startswith(where) for w in caught] == [True], backend


def test_the_cli_prints_a_failed_partitioned_run_s_warnings_before_its_error_as_in_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "w.jsonl", [_line("d0", "Fine."), b'{"doc_id": "d1", "genre": "news", "text": "It\x92s."}',
                                         "{x"])
    at = path.read_bytes().index(b"\x92")
    for backend, extra in (("memory", []), ("stream", TINY)):
        args = ["prepare", str(path), "--backend", backend, "--processed-dir", str(tmp_path / "p"), *extra]
        assert main(args) == 2
        lines = [x for x in capsys.readouterr().err.splitlines() if x.startswith("framing: ")]
        assert len(lines) == 2, backend
        assert lines[0].startswith(f"framing: warning: {path}: not valid UTF-8 (byte {at}: b'\\x92', line 2"), backend
        assert lines[1].startswith(f"framing: error: {path}: 1 bad record(s): line 3"), backend


def test_bad_files_of_a_folder_are_all_named_once_with_the_hint_on_every_backend(make_folder, tmp_path: Path) -> None:
    folder = make_folder({"a.txt": "The council failed.", "b.txt": b"%PDF-1.4 x", "c.txt": "Fine.",
                          "d.txt": b"\x00\x01\x02\x03binary"})
    with pytest.raises(CorpusError) as memory:
        load_corpus(folder)
    message = str(memory.value)
    assert message.startswith(f"{folder}: 2 bad record(s): {folder / 'b.txt'}: binary content")
    assert f"; {folder / 'd.txt'}: " in message and message.endswith("to skip and count them)")
    with pytest.raises(CorpusError) as stream:
        run_partitioned(folder, processed_dir=tmp_path / "p", partition_bytes=1)
    assert str(stream.value).startswith(message + "; nothing of this run was kept")
    assert str(stream.value).count(str(folder / "b.txt")) == 1


def test_a_metadata_row_without_a_file_names_its_line(make_folder) -> None:
    folder = make_folder({"a.txt": "The council failed."}, [{"file": "a.txt", "genre": "news"},
                                                          {"file": "missing_file.txt", "genre": "news"}])
    with pytest.raises(CorpusError, match=r"metadata rows without a file: 'missing_file\.txt' "
                                          r"\(metadata\.csv line 3\)"):
        load_corpus(folder)


# --- 7. a folder an interrupted run left -----------------------------------------------------------------------------
@pytest.mark.parametrize("command", [["topics", "--backend", "stream", "--k", "2"], ["topics", "--k", "2"],
                                     ["frames"], ["prepare", "--backend", "stream"]])
def test_an_interrupted_folder_as_input_is_named_as_such(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_partitioned(RAW, name="seeds", processed_dir=tmp_path, partition_bytes=3000)
    (result.directory / "manifest.json").unlink()
    out = ["--out", str(tmp_path / ("t" if command[0] == "topics" else "f.csv"))] if command[0] != "prepare" else []
    code = main([command[0], str(result.directory), *command[1:], *out, "--processed-dir", str(tmp_path / "o")]
                if command[0] != "frames" else [command[0], str(result.directory), *out])
    err = capsys.readouterr().err
    assert code == 2
    assert f"framing: error: {result.directory} holds an interrupted or failed run (no manifest.json): rerun " \
           "prepare" in err


# --- 8. --force, and another command's table ----------------------------------------------------------------------
def test_prepare_reuses_a_current_preparation_unless_forced_and_keeps_the_blame_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--backend", "stream", "--processed-dir", str(tmp_path), "--name", "s", "--partition-mb", "0.003"]
    assert main(["blame", str(RAW), "--out", str(tmp_path / "b.csv"), *common, "-q"]) == 0
    blame = read_partitioned(tmp_path / "s", "blame")
    capsys.readouterr()
    assert main(["prepare", str(RAW), *common]) == 0
    assert "(current preparation reused; --force rebuilds it)" in capsys.readouterr().out
    assert main(["prepare", str(RAW), *common, "--force"]) == 0
    assert "partition(s) (stream);" in capsys.readouterr().out
    assert read_partitioned(tmp_path / "s", "blame").equals(blame)  # blame's table kept, not deleted


def test_a_table_made_from_another_input_is_removed_with_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.jsonl", [_line("d0", "The council failed.")])
    run_partitioned(path, name="n", processed_dir=tmp_path / "p", blame={})
    _write(path, [_line("d0", "The council failed badly.")])
    with pytest.warns(UserWarning, match=r"n: the blame table\(s\) of the previous run there are removed: they were "
                                         r"made from another input"):
        run_partitioned(path, name="n", processed_dir=tmp_path / "p")
    assert not (tmp_path / "p" / "n" / "blame").exists()


# --- 10. options a backend does not use ---------------------------------------------------------------------------
@pytest.mark.parametrize(("backend", "flags", "warning"), [
    ("memory", ["--workers", "2", "--partition-mb", "1"],
     "--workers, --partition-mb have no effect with --backend memory (ignored)"),
    ("stream", ["--scheduler", "tcp://x:1", "--partition-mb", "0.003"],
     "--scheduler has no effect with --backend stream (ignored)"),
])
def test_options_a_backend_ignores_are_warned_about(
    backend: str, flags: list[str], warning: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["frames", str(RAW), "--out", str(tmp_path / "f.csv"), "--backend", backend, "-q", *flags,
                 *(["--processed-dir", str(tmp_path)] if backend != "memory" else [])]) == 0
    assert f"framing: warning: {warning}" in _warnings(capsys.readouterr().err)


def test_a_partition_plan_is_one_line_a_partition_here(tmp_path: Path) -> None:
    """The fixtures above rely on it: ``partition_bytes=10`` (and ``--partition-mb 0.00001``) cut at every line."""
    path = _write(tmp_path / "c.jsonl", [_line(f"d{i}", "x") for i in range(3)])
    assert [p.first_line for p in plan_partitions(path, partition_bytes=10)] == [1, 2, 3]


# --- 4. Ctrl-C on a cluster ----------------------------------------------------------------------------------------
def test_ctrl_c_while_the_local_cluster_starts_is_one_line_and_the_cluster_is_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import distributed
    from distributed.deploy.spec import SpecCluster

    closed: list[bool] = []

    class Starting:
        """Registers itself as distributed's clusters do, then is interrupted in its __init__."""

        shutdown_on_close = True

        def __init__(self, **_: object) -> None:
            SpecCluster._instances.add(self)  # type: ignore[arg-type]
            raise KeyboardInterrupt

        def close(self, timeout: float | None = None) -> None:
            closed.append(True)

    monkeypatch.setattr(distributed, "LocalCluster", Starting)
    code = main(["prepare", str(RAW), "--backend", "dask", "--processed-dir", str(tmp_path), "-q"])
    err = capsys.readouterr().err
    assert code == 130 and closed == [True] and "Traceback" not in err
    assert [line for line in err.splitlines() if line] == [
        f"framing: interrupted (SIGINT); {tmp_path / 'raw'} was not written (this run's partitions went to a "
        "temporary folder, removed); 0 of 1 partition(s) had finished when the run stopped; their parts went with "
        "the run's temporary folder"]
    assert not any(isinstance(c, Starting) for c in SpecCluster._instances)  # the atexit hook will not see it
    assert list(tmp_path.iterdir()) == []


class _Future:
    def __init__(self, key: str) -> None:
        self.key = key


class _Client:
    """Stands in for a distributed Client: two tasks submitted, Ctrl-C while waiting, one still running."""

    def __init__(self) -> None:
        self.cancelled: list[str] = []
        self.asked = 0

    def map(self, task, parts, **_: object):  # type: ignore[no-untyped-def]
        return [_Future(f"t{p.index}") for p in parts]

    def cancel(self, futures, force: bool = False) -> None:  # type: ignore[no-untyped-def]
        self.cancelled = [f.key for f in futures]

    def processing(self) -> dict[str, list[str]]:
        self.asked += 1
        return {"w1": ["t1"]} if self.asked < 3 else {"w1": []}  # t1 ends while the run waits


def test_ctrl_c_with_a_scheduler_cancels_the_submitted_tasks_and_waits_for_the_running_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import distributed

    import framing.backends._execute as execute

    def interrupted(futures):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt
        yield  # a generator, as distributed's as_completed

    monkeypatch.setattr(distributed, "as_completed", interrupted)
    path = _write(tmp_path / "c.jsonl", [_line(f"d{i}", "x") for i in range(2)])
    client, notes = _Client(), []
    with pytest.raises(KeyboardInterrupt):
        execute._gather(client, plan_partitions(path, partition_bytes=10), lambda p: {}, 0, False, lambda r: None,
                        notes)
    assert client.cancelled == ["t0", "t1"] and client.asked == 3 and notes == []


@pytest.mark.parametrize("backend", ["stream", "dask"])
def test_an_error_of_the_run_beside_bad_records_of_two_partitions_is_the_error_shown(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str) -> None:
    """A partition whose tables cannot be written fails the run with that error; the bad records go before it."""
    import framing.backends.run as run_module
    from framing.errors import OutputError

    path = _write(tmp_path / "c.jsonl", [_line("d0", "The council failed."), "{x", "[2]", _line("d3", "Fine.")])
    real = run_module._process

    def disk_full_on_partition_0(part, *args, **kwargs):  # type: ignore[no-untyped-def]
        if part.index == 0:
            raise OutputError(f"{tmp_path}/p/part-00000.parquet: not written: no space left on device")
        return real(part, *args, **kwargs)

    monkeypatch.setattr(run_module, "_process", disk_full_on_partition_0)
    # by hand: lines 2 and 3 are partitions 1 and 2 (a line a partition), one message for both, as in memory
    bad = (f"{path}: 2 bad record(s): line 2: Expecting property name enclosed in double quotes (column 2, char 1); "
           "line 3: not a JSON object (use --on-bad-record skip / on_bad_record='skip' to skip and count them)")
    with pytest.warns(CorpusWarning) as caught, pytest.raises(OutputError, match="no space left on device") as err:
        run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=10, backend=backend,
                        scheduler="synchronous" if backend == "dask" else None)
    assert "bad record" not in str(err.value)
    assert [str(w.message) for w in caught] == [bad]
    assert list((tmp_path / "p").iterdir()) == []  # nothing of the run kept
