"""Partitioned backends (framing.backends): partition planning, bad records, and results identical to the
in-process path (the reference is :func:`framing.corpus.process_corpus` + :func:`framing.scoring.frame_table`
over the whole corpus in memory, an independent path through the code)."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from conftest import seed_sentence_jsonl

from framing.backends import plan_partitions, read_partition, read_partitioned, run_partitioned
from framing.backends.run import write_partitioned_csv
from framing.cli import main
from framing.corpus import load_corpus, process_corpus
from framing.errors import CorpusError, ParameterError, PartitionError
from framing.scoring import frame_table

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
TABLES = ("documents", "paragraphs", "sentences", "removed_spans", "frames", "blame")


def _reference(source: Path, case: str | None = None, *, safe_ids: bool = False) -> dict[str, pd.DataFrame]:
    from framing.attribution import blame_attribution

    processed = process_corpus(load_corpus(source, safe_ids=safe_ids))
    out = {t: getattr(processed, t) for t in TABLES[:-2]}
    out["frames"] = frame_table(processed)
    out["blame"] = blame_attribution(processed, case=case)
    return out


def _roundtrip(df: pd.DataFrame) -> pd.DataFrame:
    buf = io.BytesIO()
    df.reset_index(drop=True).to_parquet(buf, index=False)
    buf.seek(0)
    return pd.read_parquet(buf)


def _assert_same(directory: Path, ref: dict[str, pd.DataFrame], *, sort: bool) -> None:
    for t in TABLES:
        if t == "blame" and not (directory / t).is_dir():
            continue
        got, want = read_partitioned(directory, t), _roundtrip(ref[t])
        if sort:
            keys = [c for c in ("doc_id", "sent_id", "para_id", "start") if c in got.columns]
            got = got.sort_values(keys, kind="stable").reset_index(drop=True)
            want = want.sort_values(keys, kind="stable").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want, obj=t)
        assert got.to_csv(index=False) == want.to_csv(index=False), t


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """60 documents of 2-12 sentences drawn (seeded) from the seeds' sentences, as JSONL."""
    return seed_sentence_jsonl(tmp_path_factory.mktemp("gen") / "gen.jsonl", n_docs=60, sizes=(2, 13),
                               per_paragraph=3, seed=7, genres=("news", "blog"), year=True)


def test_jsonl_partitions_cut_at_line_ends_with_file_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    lines = [json.dumps({"doc_id": f"d{i}", "genre": "news", "text": "x" * 10}) for i in range(6)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    width = len(lines[0]) + 1  # every line has the same length here
    parts = plan_partitions(path, partition_bytes=width + 1)  # a target inside line 2 -> two lines a part
    assert [(p.start, p.end, p.first_line) for p in parts] == [
        (0, 2 * width, 1), (2 * width, 4 * width, 3), (4 * width, 6 * width, 5)]
    corpus, skipped = read_partition(parts[1])
    assert corpus.documents["doc_id"].tolist() == ["d2", "d3"] and skipped == []


def test_bad_jsonl_line_fails_by_default_naming_the_line_and_is_counted_when_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    good = [json.dumps({"doc_id": f"d{i}", "genre": "news", "text": "The council failed. It said so."})
            for i in range(4)]
    truncated = '{"doc_id": "bad_1", "text": "cut off'  # the string opens at the 29th character (char 28)
    path.write_text("\n".join([good[0], good[1], "{not json", good[2], "[1, 2]", good[3], truncated]) + "\n",
                    encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.jsonl: 3 bad record\(s\): line 3: .*line 5: not a JSON object; "
                                          r"line 7: Unterminated string starting at \(column 29, char 28\)"):
        run_partitioned(path, processed_dir=tmp_path / "p")
    result = run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=40, on_bad_record="skip")
    assert result.counts["documents"] == 4 and result.counts["sentences"] == 8
    assert len(result.skipped) == 3 and "line 3" in result.skipped[0] and "line 5" in result.skipped[1]
    assert result.skipped[2] == f"{path}: line 7: Unterminated string starting at (column 29, char 28)"
    manifest = json.loads((result.directory / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["skipped_records"] == 3 and manifest["counts"]["documents"] == 4
    assert manifest["skipped"][2] == result.skipped[2]


def test_unreadable_file_in_a_folder_is_a_bad_record(make_folder, tmp_path: Path) -> None:
    folder = make_folder({"a.txt": "The council failed.", "b.txt": b"%PDF-1.4 binary", "c.txt": "Ministers erred."})
    with pytest.raises(CorpusError, match=r"b\.txt.*binary content"):
        run_partitioned(folder, processed_dir=tmp_path / "p", partition_bytes=1)
    result = run_partitioned(folder, processed_dir=tmp_path / "p", partition_bytes=1, on_bad_record="skip")
    assert result.n_partitions == 3 and result.counts["documents"] == 2 and len(result.skipped) == 1
    assert read_partitioned(result.directory, "documents")["doc_id"].tolist() == ["a", "c"]


def test_duplicate_ids_across_partitions_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    rows = [{"doc_id": "same", "genre": "news", "text": "One sentence."}] * 2
    path.write_text("\n".join(map(json.dumps, rows)) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"^{path}: duplicate doc_id\(s\) in column 'doc_id': 'same' "
                                          r"\(line 1 of partition 0, line 2 of partition 1\)"):
        run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=1)
    assert list((tmp_path / "p").iterdir()) == []  # no folder, no temporary folder, no part left behind


def test_duplicate_ids_are_refused_as_soon_as_the_second_partition_is_read(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import framing.backends.run as run_module

    path = tmp_path / "dup.jsonl"
    rows = [{"doc_id": i, "genre": "news", "text": "One sentence."} for i in ("a", "b", "a", "c", "d")]
    path.write_text("\n".join(map(json.dumps, rows)) + "\n", encoding="utf-8")
    real, seen = run_module._run_one, []

    def counting(part, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(part.index)
        return real(part, *args, **kwargs)

    monkeypatch.setattr(run_module, "_run_one", counting)
    with pytest.raises(CorpusError, match=r"'a' \(line 1 of partition 0, line 3 of partition 2\)"):
        run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=1)
    assert seen == [0, 1, 2]  # partitions 3 and 4 never processed


def test_memory_backend_names_the_lines_of_a_duplicate_id(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    rows = [{"doc_id": i, "genre": "news", "text": "One sentence."} for i in ("a", "b", "a", "b", "a")]
    path.write_text("\n".join(map(json.dumps, rows)) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"^{path}: duplicate doc_id\(s\) in column 'doc_id': "
                                          r"'a' \(line 1, line 3, line 5\); 'b' \(line 2, line 4\)$"):
        load_corpus(path)


def test_a_corpus_without_documents_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text(json.dumps({"doc_id": "a", "genre": "news", "text": "  "}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"empty\.jsonl: the corpus has no non-empty documents"):
        run_partitioned(path, processed_dir=tmp_path / "p")
    assert not (tmp_path / "p" / "empty" / "manifest.json").exists()


def test_parameters_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="backend"):
        run_partitioned(RAW, backend="spark", processed_dir=tmp_path)
    with pytest.raises(ParameterError, match="on_bad_record"):
        run_partitioned(RAW, on_bad_record="ignore", processed_dir=tmp_path)
    with pytest.raises(ParameterError, match="partition_bytes"):
        plan_partitions(RAW, partition_bytes=0)


def test_stream_and_synchronous_dask_equal_in_process_on_the_seeds(tmp_path: Path) -> None:
    ref = _reference(RAW, case="baby_p")
    for backend, scheduler in (("stream", None), ("dask", "synchronous")):
        result = run_partitioned(RAW, name="seeds", backend=backend, scheduler=scheduler, frames={},
                                 blame={"case": "baby_p"}, processed_dir=tmp_path / backend, partition_bytes=3000)
        assert result.n_partitions >= 3
        assert result.counts == {"documents": 5, "paragraphs": len(ref["paragraphs"]),
                                 "sentences": len(ref["sentences"]), "removed_spans": len(ref["removed_spans"]),
                                 "frames": len(ref["sentences"]), "blame": len(ref["blame"])}
        assert len(ref["blame"]) > 0
        _assert_same(result.directory, ref, sort=False)


def _unsafe_ids(generated: Path, path: Path) -> Path:
    """``generated`` with ids unsafe as file names: ``g001`` -> ``news/g001`` (one of three with a leading ``.``)."""
    rows = [json.loads(line) for line in generated.read_text(encoding="utf-8").splitlines()]
    for i, row in enumerate(rows):
        row["doc_id"] = ("." if i % 3 == 0 else "") + f"{row['genre']}/{row['doc_id']}"
    path.write_text("\n".join(map(json.dumps, rows)) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("backend", "scheduler"), [("stream", None), ("dask", "synchronous")])
def test_safe_ids_on_the_partitioned_backends_equal_in_process(backend: str, scheduler: str | None,
                                                               generated: Path, tmp_path: Path) -> None:
    path = _unsafe_ids(generated, tmp_path / "unsafe.jsonl")
    with pytest.raises(CorpusError, match=r"unsafe doc_id\(s\).*safe_ids=True"):
        run_partitioned(path, backend=backend, scheduler=scheduler, processed_dir=tmp_path / "p", partition_bytes=2000)
    result = run_partitioned(path, backend=backend, scheduler=scheduler, frames={}, processed_dir=tmp_path / "p",
                             partition_bytes=2000, safe_ids=True)
    assert result.n_partitions >= 3
    ref = _reference(path, safe_ids=True)
    _assert_same(result.directory, ref, sort=False)
    docs = read_partitioned(result.directory, "documents")
    # the rule stated by hand: separators become "_", a leading "." becomes "_"
    assert docs["doc_id"].tolist()[:2] == ["_news_g000", "blog_g001"]
    assert docs["original_id"].tolist()[:2] == [".news/g000", "blog/g001"]


def test_two_ids_that_become_one_are_refused_across_partitions(tmp_path: Path) -> None:
    path = tmp_path / "clash.jsonl"
    rows = [{"doc_id": i, "genre": "news", "text": "One sentence."} for i in ("a/b", "c", "a_b")]
    path.write_text("\n".join(map(json.dumps, rows)) + "\n", encoding="utf-8")
    assert len(plan_partitions(path, partition_bytes=1)) == 3  # each id in its own partition
    for size in (1, 10_000):  # across partitions, and within the one partition (the memory backend's check)
        with pytest.raises(CorpusError, match=r"safe ids would make 1 group\(s\) of documents share an id: "
                                              r"'a/b' and 'a_b' -> 'a_b'"):
            run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=size, safe_ids=True)
    with pytest.raises(CorpusError, match=r"'a/b' and 'a_b' -> 'a_b'"):
        load_corpus(path, safe_ids=True)
    assert not (tmp_path / "p" / "clash" / "manifest.json").exists()


def test_one_id_repeated_across_partitions_with_safe_ids_is_a_duplicate_not_a_clash(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    rows = [{"doc_id": i, "genre": "news", "text": "One sentence."} for i in ("a/b", "c", "a/b")]
    path.write_text("\n".join(map(json.dumps, rows)) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"duplicate doc_id\(s\) in column 'doc_id': 'a_b' \(line 1 of partition "
                                          r"0, line 3 of partition 2\); ids must be unique across the whole corpus"):
        run_partitioned(path, processed_dir=tmp_path / "p", partition_bytes=1, safe_ids=True)


def test_a_preparation_is_current_only_for_the_same_bad_record_policy_and_safe_ids(tmp_path: Path) -> None:
    from framing.backends import current_partitioned, load_partitioned_corpus

    path = tmp_path / "c.jsonl"
    path.write_text('{"doc_id": "a", "genre": "news", "text": "The council failed."}\n{oops\n', encoding="utf-8")
    run_partitioned(path, processed_dir=tmp_path / "p", on_bad_record="skip")
    assert current_partitioned(path, processed_dir=tmp_path / "p", on_bad_record="skip") is not None
    # a fail reading must not take what a skip reading prepared (it must fail, naming the line) ...
    assert current_partitioned(path, processed_dir=tmp_path / "p") is None
    assert load_partitioned_corpus(path, processed_dir=tmp_path / "p") is None
    # ... nor a reading with safe ids one without
    assert current_partitioned(path, processed_dir=tmp_path / "p", on_bad_record="skip", safe_ids=True) is None
    with pytest.raises(ParameterError, match="safe_ids must be True or False"):
        run_partitioned(path, processed_dir=tmp_path / "p", safe_ids="yes")  # type: ignore[arg-type]


def test_the_manifest_records_an_option_not_given_as_null(tmp_path: Path) -> None:
    result = run_partitioned(RAW, name="seeds", processed_dir=tmp_path, frames={"case": None, "rule": "any"},
                             blame={"case": "baby_p"})
    manifest = json.loads((result.directory / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["frames"] == {"case": None, "rule": "any"} and manifest["blame"] == {"case": "baby_p"}


def test_an_unfinished_partitioned_folder_is_refused_unless_allowed(tmp_path: Path) -> None:
    result = run_partitioned(RAW, name="seeds", processed_dir=tmp_path, partition_bytes=3000)
    directory = result.directory
    parts = sorted((directory / "sentences").glob("part-*.parquet"))
    assert len(parts) >= 3
    per_part = [len(pd.read_parquet(p)) for p in parts]
    assert len(read_partitioned(directory, "sentences")) == sum(per_part)
    # a failed run: part 1 is missing but the rest is there (the manifest lists it)
    parts[1].unlink()
    with pytest.raises(PartitionError, match=rf"{directory}: sentences has {len(parts) - 1} part\(s\) on disk, "
                                             rf"manifest.json lists {len(parts)}; missing \['part-00001"):
        read_partitioned(directory, "sentences")
    with pytest.raises(PartitionError, match=r"manifest\.json lists"):
        write_partitioned_csv(directory, "sentences", tmp_path / "s.csv")
    # an interrupted run: no manifest at all
    (directory / "manifest.json").unlink()
    with pytest.raises(PartitionError, match=rf"{directory} holds an interrupted or failed run \(no manifest.json; "
                                             rf"{len(parts) - 1} sentences part\(s\) on disk\): rerun prepare"):
        read_partitioned(directory, "sentences")
    with pytest.warns(UserWarning, match=rf"incomplete.*{directory}.*{len(parts) - 1} sentences part"):
        got = read_partitioned(directory, "sentences", allow_incomplete=True)
    assert len(got) == sum(per_part) - per_part[1]


def test_ctrl_c_on_frames_says_which_partitions_finished_not_the_run_wording(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import framing.backends.run as run_module

    real = run_module._run_one

    def first_then_ctrl_c(part, *args, **kwargs):  # type: ignore[no-untyped-def]
        if part.index == 1:
            raise KeyboardInterrupt
        return real(part, *args, **kwargs)

    monkeypatch.setattr(run_module, "_run_one", first_then_ctrl_c)
    out = tmp_path / "f.csv"
    code = main(["frames", str(RAW), "--out", str(out), "--backend", "stream", "--processed-dir", str(tmp_path),
                 "--name", "seeds", "--partition-mb", "0.003", "-q"])
    err = capsys.readouterr().err
    assert code == 130 and not out.exists()
    assert "provenance.json" not in err and "index.html" not in err
    n_parts = len(plan_partitions(RAW, partition_bytes=int(0.003 * 1024 * 1024)))
    assert f"{tmp_path / 'seeds'} was not written (this run's partitions went to a temporary folder, removed)" in err
    assert f"1 of {n_parts} partition(s) had finished when the run stopped" in err
    assert f"{out} not written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing half-written, no temporary folder
    # over a previous complete run: it is left as it was, and the message says so
    monkeypatch.setattr(run_module, "_run_one", real)
    assert main(["prepare", str(RAW), "--backend", "stream", "--processed-dir", str(tmp_path), "--name", "seeds",
                 "--partition-mb", "0.003", "-q"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(run_module, "_run_one", first_then_ctrl_c)
    before = (tmp_path / "seeds" / "manifest.json").read_bytes()
    assert main(["frames", str(RAW), "--out", str(out), "--backend", "stream", "--processed-dir", str(tmp_path),
                 "--name", "seeds", "--partition-mb", "0.003", "-q"]) == 130
    err = capsys.readouterr().err
    assert f"{tmp_path / 'seeds'} still holds the previous complete run (its manifest.json)" in err
    assert (tmp_path / "seeds" / "manifest.json").read_bytes() == before
    assert len(read_partitioned(tmp_path / "seeds", "sentences")) > 0
    assert not (tmp_path / "seeds" / "frames").exists()


def test_ctrl_c_while_the_csv_is_written_says_the_preparation_is_this_run_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import framing.backends as backends

    def ctrl_c(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(backends, "write_partitioned_csv", ctrl_c)
    out = tmp_path / "f.csv"
    code = main(["frames", str(RAW), "--out", str(out), "--backend", "stream", "--processed-dir", str(tmp_path),
                 "--name", "seeds", "--partition-mb", "0.003", "-q"])
    err = capsys.readouterr().err
    n_parts = len(plan_partitions(RAW, partition_bytes=int(0.003 * 1024 * 1024)))
    assert code == 130 and not out.exists()
    assert f"{tmp_path / 'seeds'} holds this run's complete preparation ({n_parts} partition(s), manifest.json)" in err
    assert "previous complete run" not in err


@pytest.mark.parametrize("command", ["frames", "blame"])
def test_quiet_prints_the_same_one_summary_line_on_every_backend(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "o.csv"
    lines = {}
    for backend in ("memory", "stream", "dask"):
        extra = ["--processed-dir", str(tmp_path / backend), "--partition-mb", "0.003"] if backend != "memory" else []
        extra += ["--scheduler", "synchronous"] if backend == "dask" else []
        assert main([command, str(RAW), "--out", str(out), "--backend", backend, "-q", *extra]) == 0
        lines[backend] = capsys.readouterr().out.splitlines()
    assert len(lines["memory"]) == 1 and lines["stream"] == lines["memory"] == lines["dask"]
    table = pd.read_csv(out)
    if command == "frames":  # the counts in the line, restated from the CSV
        individual = table["individual"].sum()
        assert lines["memory"][0].startswith(f"framing: {len(table)} sentences (individual {individual}, ")
    else:
        n_sent = len(table[["doc_id", "sent_id"]].drop_duplicates())
        assert lines["memory"][0] == (f"framing: {len(table)} (sentence, blamer, target) row(s) from {n_sent} blame "
                                      f"sentence(s) -> {out}")
    # without -q the partitioned backends add the partitions' summary before the same line
    assert main([command, str(RAW), "--out", str(out), "--backend", "stream", "--processed-dir", str(tmp_path / "s2"),
                 "--partition-mb", "0.003"]) == 0
    loud = capsys.readouterr().out.splitlines()
    assert len(loud) == 2 and "partition(s) (stream)" in loud[0] and loud[1] == lines["memory"][0]


class _RecordingBar:
    """Stands in for framing.progress.progress_bar: records the total and every update."""

    def __init__(self) -> None:
        self.total: int | None = None
        self.updates: list[tuple[int, int]] = []

    @contextlib.contextmanager
    def __call__(self, total: int, **_: object) -> Iterator[_RecordingBar]:
        self.total = total
        yield self

    def update(self, documents: int, chars: int) -> None:
        self.updates.append((documents, chars))


def test_stream_backend_advances_a_progress_bar_per_partition(generated: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import framing.backends._execute as backend_execute

    bar = _RecordingBar()
    monkeypatch.setattr(backend_execute, "progress_bar", bar)
    result = run_partitioned(generated, backend="stream", processed_dir=tmp_path, partition_bytes=4000,
                             progress=True)
    # one update per partition; the JSON-lines partitions cover the whole file, byte for byte
    assert bar.total == result.n_partitions == len(bar.updates) >= 4
    assert sum(n for n, _ in bar.updates) == result.n_partitions
    assert sum(b for _, b in bar.updates) == generated.stat().st_size


def test_two_process_dask_cluster_equals_in_process_on_a_generated_corpus(generated: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import framing.backends._execute as backend_execute

    ref = _reference(generated)
    said: list[str] = []
    bar = _RecordingBar()
    monkeypatch.setattr(backend_execute, "progress_bar", bar)
    result = run_partitioned(generated, backend="dask", workers=2, frames={}, blame={}, processed_dir=tmp_path,
                             partition_bytes=4000, say=said.append, progress=True)
    assert result.n_partitions >= 4 and result.counts["documents"] == 60
    # the bar advances as partitions finish on the workers: once per partition, every byte counted
    assert bar.total == len(bar.updates) == result.n_partitions
    assert sum(b for _, b in bar.updates) == generated.stat().st_size
    assert said and "LocalCluster with 2 worker(s)" in said[0] and "dashboard" in said[0]
    _assert_same(result.directory, ref, sort=True)
    out = write_partitioned_csv(result.directory, "frames", tmp_path / "frames.csv")
    expected = io.StringIO()
    ref["frames"].to_csv(expected, index=False, lineterminator="\n", float_format="%.6g")
    assert out.read_text(encoding="utf-8") == expected.getvalue()


def test_a_bad_record_on_a_dask_cluster_is_one_error_without_worker_tracebacks(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.jsonl"
    good = json.dumps({"doc_id": "d1", "genre": "news", "text": "The council failed."})
    path.write_text("\n".join([good, '{"doc_id": "bad_1", "text": "cut']) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.jsonl: 1 bad record\(s\): line 2: Unterminated string"):
        run_partitioned(path, backend="dask", workers=1, processed_dir=tmp_path / "p", say=lambda _: None)
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Compute Failed" not in err and "distributed" not in err, err


def test_dask_workers_ignore_ctrl_c() -> None:
    import signal

    from framing.backends._dask_worker import dask_setup

    before = signal.getsignal(signal.SIGINT)
    try:
        dask_setup(None)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)


def test_parquet_row_groups_become_partitions(generated: Path, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    df = pd.read_json(generated, lines=True, dtype={"doc_id": str})
    path = tmp_path / "gen.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=10)
    parts = plan_partitions(path, partition_bytes=1)
    assert [p.row_groups for p in parts] == [(g,) for g in range(6)] and [p.start for p in parts] == list(
        range(0, 60, 10))
    result = run_partitioned(path, frames={}, processed_dir=tmp_path / "p", partition_bytes=1)
    _assert_same(result.directory, _reference(path), sort=False)


def test_cli_frames_and_blame_stream_write_the_same_csv_as_memory(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frames", str(RAW), "--out", str(tmp_path / "mem.csv"), "-q"]) == 0
    assert main(["frames", str(RAW), "--out", str(tmp_path / "stream.csv"), "--backend", "stream",
                 "--partition-mb", "0.003", "--processed-dir", str(tmp_path / "p"), "--name", "seeds"]) == 0
    assert (tmp_path / "mem.csv").read_bytes() == (tmp_path / "stream.csv").read_bytes()
    assert "0 bad record(s) skipped" in capsys.readouterr().out
    for backend in ("memory", "stream"):
        assert main(["blame", str(RAW), "--case", "baby_p", "--out", str(tmp_path / f"blame-{backend}.csv"),
                     "--backend", backend, "--partition-mb", "0.003", "--processed-dir", str(tmp_path / "p"),
                     "-q"]) == 0
    assert (tmp_path / "blame-memory.csv").read_bytes() == (tmp_path / "blame-stream.csv").read_bytes()
    assert len(list((tmp_path / "p" / "seeds" / "frames").glob("part-*.parquet"))) >= 3


# --- the study on a backend (framing.backends.study, framing run --backend) ----------------------------------


def test_partitioned_preparation_is_read_back_as_the_in_memory_corpus(tmp_path: Path) -> None:
    from framing.backends import load_partitioned_corpus

    ref = process_corpus(load_corpus(RAW))
    run_partitioned(RAW, name="seeds", backend="dask", scheduler="synchronous", processed_dir=tmp_path,
                    partition_bytes=3000)
    got = load_partitioned_corpus(RAW, name="seeds", processed_dir=tmp_path)
    assert got is not None and got.name == "seeds" and got.directory == tmp_path / "seeds"
    for t in ("documents", "paragraphs", "sentences", "removed_spans"):
        pd.testing.assert_frame_equal(getattr(got, t), _roundtrip(getattr(ref, t)), obj=t)
    # other column options, another name: not this preparation
    assert load_partitioned_corpus(RAW, name="seeds", id_col="file", processed_dir=tmp_path) is None
    assert load_partitioned_corpus(RAW, name="other", processed_dir=tmp_path) is None


def test_a_changed_corpus_makes_the_partitioned_preparation_stale(make_folder, tmp_path: Path) -> None:
    from framing.backends import current_partitioned, load_partitioned_corpus

    folder = make_folder({"a.txt": "The council failed. It said so.", "b.txt": "Ministers resigned."},
                         [{"file": "a.txt", "genre": "news"}, {"file": "b.txt", "genre": "blog"}])
    run_partitioned(folder, name="c", processed_dir=tmp_path / "p")
    assert current_partitioned(folder, name="c", processed_dir=tmp_path / "p") is not None
    (folder / "b.txt").write_text("Ministers resigned at once.", encoding="utf-8")
    assert current_partitioned(folder, name="c", processed_dir=tmp_path / "p") is None
    assert load_partitioned_corpus(folder, name="c", processed_dir=tmp_path / "p") is None


def test_prepare_study_corpora_prepares_each_corpus_once_then_reuses_it(tmp_path: Path) -> None:
    from framing.backends.study import prepare_study_corpora

    sets = [{"corpus": str(RAW), "corpus_name": "seeds", "id_col": "doc_id"}, {"corpus": str(RAW),
            "corpus_name": "seeds"}, {"other": 1}]
    assert prepare_study_corpora(sets, tmp_path, backend="memory") == []
    said: list[str] = []
    first = prepare_study_corpora(sets, tmp_path, backend="stream", say=said.append)
    assert len(first) == 1 and not first[0]["cached"] and first[0]["backend"] == "stream"
    assert first[0]["counts"]["documents"] == 5 and first[0]["partitions"] == 1
    assert (tmp_path / "data" / "processed" / "seeds" / "sentences" / "part-00000.parquet").is_file()
    assert said and "seeds prepared on stream: 5 documents" in said[0]
    again = prepare_study_corpora(sets, tmp_path, backend="stream")
    assert again[0]["cached"] and again[0]["counts"] == first[0]["counts"]
    with pytest.raises(ParameterError, match="backend must be one of"):
        prepare_study_corpora(sets, tmp_path, backend="spark")
    with pytest.raises(ParameterError, match="dask backend only"):
        prepare_study_corpora(sets, tmp_path, backend="stream", scheduler="tcp://127.0.0.1:8786")


def test_notebook_setup_reads_the_partitioned_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from framing import nbtools
    from framing.backends.study import prepare_study_corpora

    prepare_study_corpora([{"corpus": str(RAW), "corpus_name": "seeds"}], tmp_path, backend="stream")
    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))
    ctx = nbtools.setup({"corpus": str(RAW), "corpus_name": "seeds", "reports_dir": "reports", "id_col": "doc_id",
                         "text_col": "text", "genre_col": "genre"}, style=False, quiet=True)
    processed = tmp_path / "data" / "processed" / "seeds"
    assert ctx.processed.directory == processed
    assert not (processed / "sentences.parquet").exists()  # read from the parts, not prepared again in memory
    ref = process_corpus(load_corpus(RAW))
    pd.testing.assert_frame_equal(ctx.processed.sentences, _roundtrip(ref.sentences))


@pytest.mark.parametrize(("text", "message"), [
    ("backend: spark\n", "'backend' must be one of"),
    ("backend: stream\nscheduler: tcp://h:8786\n", "'scheduler' must be"),
])
def test_study_config_checks_backend_and_scheduler(tmp_path: Path, text: str, message: str) -> None:
    from framing.errors import ConfigError
    from framing.runner import load_study_config

    cfg = tmp_path / "study.yaml"
    cfg.write_text(text + "notebooks: [a.ipynb]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_study_config(cfg, root=tmp_path)
    assert str(cfg) in str(info.value)
    cfg.write_text("backend: dask\nscheduler: tcp://h:8786\nnotebooks: [a.ipynb]\n", encoding="utf-8")
    loaded = load_study_config(cfg, root=tmp_path)
    assert (loaded.backend, loaded.scheduler) == ("dask", "tcp://h:8786")


def test_a_partitioned_run_removes_a_killed_run_s_temporary_manifest_and_refuses_the_corpus_folder(
        tmp_path: Path) -> None:
    import os
    import shutil
    import time

    from framing.errors import OutputError

    folder = tmp_path / "c"
    shutil.copytree(RAW, folder)
    (folder / "SHA256SUMS").unlink()
    out = tmp_path / "p" / "seeds"
    out.mkdir(parents=True)
    half, notes = out / ".manifest.abcdefgh.tmp.json", out / ".my_notes.tmp.txt"
    for path in (half, notes):
        path.write_text("{")
        os.utime(path, (time.time() - 600, time.time() - 600))
    run_partitioned(folder, name="seeds", processed_dir=tmp_path / "p", partition_bytes=3000)
    assert not half.exists() and notes.exists() and (out / "manifest.json").is_file()
    with pytest.raises(OutputError, match=r"^processed_dir .*c/seeds: refused, it is inside the input folder"):
        run_partitioned(folder, name="seeds", processed_dir=folder)
    assert not (folder / "seeds").exists()
