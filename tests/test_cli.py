from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from framing import __version__
from framing.cli import _parse_assignments, main
from framing.corpus import load_corpus, process_corpus
from framing.errors import ParameterError


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"framing {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("run", "prepare", "verify"):
        assert command in out


def test_python_dash_m_works() -> None:
    proc = subprocess.run([sys.executable, "-m", "framing", "--version"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and proc.stdout.strip() == f"framing {__version__}"


def test_prepare_and_errors_exit_with_a_message(make_folder, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))
    folder = make_folder({"a.txt": "One sentence. Another."})
    assert main(["prepare", str(folder), "--name", "mine"]) == 0
    assert "2 sentences" in capsys.readouterr().out
    assert (tmp_path / "data" / "processed" / "mine" / "sentences.parquet").is_file()
    assert main(["prepare", str(tmp_path / "nowhere")]) == 2
    assert "corpus not found" in capsys.readouterr().err


def test_corpus_errors_on_the_command_line_name_the_flag_and_the_line(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))
    bad = tmp_path / "bad.csv"
    bad.write_text('id,text,kind\na,"One text.",news\n,Two text.,blog\n', encoding="utf-8")
    assert main(["prepare", str(bad), "--id-col", "id", "--genre-col", "kind"]) == 2
    err = capsys.readouterr().err
    assert "bad.csv: column 'id' (--id-col) is empty (every document needs an id) at line 3" in err
    assert main(["frames", str(bad), "--genre-col", "kind", "--out", str(tmp_path / "f.csv")]) == 2
    assert "'doc_id' (--id-col)" in capsys.readouterr().err
    assert not (tmp_path / "f.csv").exists()


def test_verify_reports_the_manifest(raw_dir: Path, capsys) -> None:
    assert main(["verify", str(raw_dir)]) == 0
    assert "6 file(s) match" in capsys.readouterr().out


def test_parse_assignments_reads_yaml_values() -> None:
    assert _parse_assignments(["k=5", "genres=[blog, news]", "name=seeds", "flag=true", "empty="]) == {
        "k": 5, "genres": ["blog", "news"], "name": "seeds", "flag": True, "empty": ""}
    with pytest.raises(ParameterError, match="NAME=VALUE"):
        _parse_assignments(["novalue"])


def test_warnings_are_printed_plainly(tmp_path: Path, capsys) -> None:
    path = tmp_path / "c.tsv"
    path.write_text("doc_id\ttext\tgenre\n1\tThe council failed.\tnews\n2\tbroken\n", encoding="utf-8")
    assert main(["frames", str(path), "--out", str(tmp_path / "f.csv")]) == 0
    err = capsys.readouterr().err
    assert "framing: warning:" in err and "line 3: 2 fields, expected 3" in err
    assert ".py:" not in err  # no source file and line (corpus.py, _corpus_read.py, rawio.py ...)


def test_frames_says_how_far_to_trust_the_shipped_instrument(tmp_path: Path, capsys) -> None:
    from framing.agreement import HELD_OUT_MACRO_F1

    path = tmp_path / "c.tsv"
    path.write_text("doc_id\ttext\tgenre\n1\tThe council failed.\tnews\n", encoding="utf-8")
    assert main(["frames", str(path), "--out", str(tmp_path / "f.csv")]) == 0
    err = capsys.readouterr().err
    low, high = HELD_OUT_MACRO_F1
    assert f"macro-F1 {low:.2f} to {high:.2f}" in err and "framing validate shares" in err
    # not with --quiet, and not for another rule, whose figures these are not
    assert main(["frames", str(path), "--out", str(tmp_path / "f.csv"), "--quiet"]) == 0
    assert "macro-F1" not in capsys.readouterr().err
    assert main(["frames", str(path), "--out", str(tmp_path / "f.csv"), "--rule", "any"]) == 0
    assert "macro-F1" not in capsys.readouterr().err
    # the same note on a partitioned backend
    assert main(["frames", str(path), "--out", str(tmp_path / "g.csv"), "--backend", "stream",
                 "--processed-dir", str(tmp_path / "processed")]) == 0
    assert f"macro-F1 {low:.2f} to {high:.2f}" in capsys.readouterr().err


def test_frames_takes_the_rule_parameters_of_frame_table(tmp_path: Path, capsys) -> None:
    from framing.scoring import frame_table

    path = tmp_path / "c.tsv"
    path.write_text("doc_id\ttext\tgenre\n1\tMs Smith failed the children. Records were lost.\tnews\n"
                    "2\tUnited lost the match on Saturday. The crowd went home.\tnews\n", encoding="utf-8")
    processed = process_corpus(load_corpus(path))
    cases = [["--no-persons"], ["--no-agentless", "--no-context"], ["--rule", "cue_window", "--window", "1"],
             ["--rule", "cue_sentence", "--strong-weight", "inf"], ["--no-voice", "--no-questions"]]
    for flags in cases:
        out = tmp_path / "f.csv"
        assert main(["frames", str(path), "--out", str(out), "-q", *flags]) == 0
        kw = {"persons": "--no-persons" not in flags, "agentless": "--no-agentless" not in flags,
              "context": "--no-context" not in flags, "voice": "--no-voice" not in flags,
              "questions": "--no-questions" not in flags}
        if "--rule" in flags:
            kw["rule"] = flags[flags.index("--rule") + 1]
        if "--window" in flags:
            kw["window"] = 1
        if "--strong-weight" in flags:
            kw["strong_weight"] = float("inf")
        expected = frame_table(processed, **kw)
        got = pd.read_csv(out)
        assert got[["individual", "systemic", "political"]].to_numpy().tolist() == \
            expected[["individual", "systemic", "political"]].to_numpy().tolist(), flags
    # the switches change the labels (else the comparison above proves nothing): Ms Smith is a person locus
    assert main(["frames", str(path), "--out", str(tmp_path / "on.csv"), "-q"]) == 0
    assert main(["frames", str(path), "--out", str(tmp_path / "off.csv"), "-q", "--no-persons"]) == 0
    assert pd.read_csv(tmp_path / "on.csv")["individual"].tolist()[0] == 1
    assert pd.read_csv(tmp_path / "off.csv")["individual"].tolist()[0] == 0
    # a part switched off is not the shipped instrument: no note of its validity
    capsys.readouterr()
    assert main(["frames", str(path), "--out", str(tmp_path / "off.csv"), "--no-context"]) == 0
    assert "macro-F1" not in capsys.readouterr().err


LOSSY = """\
name: demo
version: "2.1"
categories:
  blame:
    - pattern: at fault
      weight: 2
    - pattern: care*
      exclude: [career*]
      rationale: care failures
    - blame*
"""


def test_lexicon_convert_lists_losses_and_strict_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "demo.yaml"
    src.write_text(LOSSY, encoding="utf-8")
    out = tmp_path / "demo.dic"
    assert main(["lexicon", "convert", str(src), str(out), "--strict"]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "blame: 'at fault': weight 2" in err and not out.exists()
    assert main(["lexicon", "convert", str(src), str(out)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("framing: warning: ") and "3 loss(es)" in err
    assert "blame: 'at fault': weight 2" in err
    assert "blame: 'care*': exclusion(s) ['career*'], rationale 'care failures'" in err
    assert "lexicon: version '2.1'" in err
    assert out.read_text(encoding="utf-8") == "%\n1\tblame\n%\nat fault\t1\ncare*\t1\nblame*\t1\n"
    back = tmp_path / "back.yaml"  # own YAML holds everything: no warning, nothing refused
    assert main(["lexicon", "convert", str(src), str(back), "--strict"]) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.parametrize("backend", ["memory", "stream"])
def test_on_bad_record_is_the_same_on_every_backend_and_command(backend: str, tmp_path: Path, capsys,
                                                                monkeypatch) -> None:
    import json

    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))
    path = tmp_path / "bad.jsonl"
    good = [json.dumps({"id": f"d{i}", "genre": "news", "text": "The council failed. It said so."}) for i in range(3)]
    path.write_text("\n".join([good[0], good[1], '{"id": "x", "text": "broken', good[2], '["a"]']) + "\n",
                    encoding="utf-8")  # lines 3 and 5 are bad
    common = [str(path), "--id-col", "id", "--backend", backend, "-q"]
    out = tmp_path / "out.csv"
    for command in (["prepare", "--name", "b"], ["frames", "--out", str(out)], ["blame", "--out", str(out)],
                    ["topics", "--k", "2", "--out", str(tmp_path / "t")]):
        assert main([command[0], *common, *command[1:]]) == 2, command
        err = capsys.readouterr().err
        assert "bad.jsonl: 2 bad record(s): line 3: " in err and "line 5: not a JSON object" in err, command
    assert not out.exists()
    assert main(["prepare", *common, "--name", "b", "--on-bad-record", "skip"]) == 0
    printed = capsys.readouterr().out
    assert "framing: b: 3 documents, 6 sentences" in printed and "; 2 bad record(s) skipped" in printed


def test_topics_errors_name_the_flags(tmp_path: Path, capsys) -> None:
    # the five seed documents cannot hold 40 document-level topics
    assert main(["topics", "data/raw", "--k", "40", "--unit", "document", "--out", str(tmp_path / "t"), "-q"]) == 2
    err = capsys.readouterr().err
    assert "--k 40 is larger than the number of non-empty units (5 of 5); choose --k <= 5" in err
    assert "n_topics" not in err and not (tmp_path / "t").exists()


def _toy_model(tmp_path: Path, corpus: Path, cv: dict | None) -> Path:
    """A FrameClassifier fitted on ``corpus`` (every code 0: constant models) and saved with ``cv`` figures."""
    import pandas as pd

    from framing.classifier import FrameClassifier, save_model
    from framing.corpus import load_corpus, process_corpus

    sents = process_corpus(load_corpus(corpus)).sentences
    y = pd.DataFrame(0.0, index=range(len(sents)), columns=["individual", "systemic", "political"])
    model = FrameClassifier(C=1.0).fit(sents, y)
    return save_model(model, tmp_path / "m.pkl", provenance=None if cv is None else {"cv": cv})


def test_frames_with_a_model_notes_its_figures_and_warns_of_ignored_flags(tmp_path: Path, capsys) -> None:
    path = tmp_path / "c.tsv"
    path.write_text("doc_id\ttext\tgenre\n1\tThe council failed.\tnews\n2\tThe minister resigned.\tnews\n",
                    encoding="utf-8")
    cv = {"folds": "GroupKFold(3)", "macro_f1": [{"method": "classifier", "macro_f1": 0.25},
                                                 {"method": "rule", "macro_f1": 0.5}]}
    model = _toy_model(tmp_path, path, cv)
    out = str(tmp_path / "f.csv")
    assert main(["frames", str(path), "--model", str(model), "--out", out]) == 0
    err = capsys.readouterr().err
    assert "cross-validated macro-F1 0.25 (GroupKFold(3); the rule's on the same held-out documents 0.50)" in err
    assert "only as good as its training codes" in err and "warning" not in err
    args = ["frames", str(path), "--model", str(model), "--out", out, "--lexicon", "other.yaml", "--rule", "any",
            "--case", "baby_p", "--no-include-negated"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "framing: warning: --lexicon, --rule, --no-include-negated ignored with --model" in err
    assert "--case is the one option it takes" in err  # the case file is read by the model (with_case)
    assert main([*args, "--quiet"]) == 0  # the warning stays, the note goes
    err = capsys.readouterr().err
    assert "ignored with --model" in err and "training codes" not in err
    # a model saved without CV figures says so
    bare = _toy_model(tmp_path, path, None)
    assert main(["frames", str(path), "--model", str(bare), "--out", out]) == 0
    assert "no cross-validated figures recorded" in capsys.readouterr().err


def test_validate_train_without_corpus_says_the_default_is_the_seeds(tmp_path: Path, capsys) -> None:
    sheet = tmp_path / "mine.csv"
    sheet.write_text("doc_id,sent_id,individual,systemic,political\nbusiness_348,0,0,1,0\n", encoding="utf-8")
    assert main(["validate", "train", str(sheet), "--out", str(tmp_path / "m.pkl")]) == 2
    err = capsys.readouterr().err
    assert "unknown doc_id 'business_348'" in err
    assert "by default data/raw: the study's seed corpus" in err and "--corpus PATH" in err


def test_safe_ids_flag_loads_unsafe_ids_and_the_refusal_names_it(tmp_path: Path, capsys) -> None:
    import pandas as pd

    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "business/001", "text": "The council failed.", "category": "business"}\n',
                    encoding="utf-8")
    out = tmp_path / "f.csv"
    args = ["frames", str(path), "--id-col", "id", "--genre-col", "category", "--out", str(out), "-q"]
    assert main(args) == 2
    assert "load with --safe-ids to rewrite them" in capsys.readouterr().err and not out.exists()
    assert main([*args, "--safe-ids"]) == 0
    assert pd.read_csv(out)["doc_id"].tolist() == ["business_001"]
    memory = out.read_bytes()
    assert main([*args, "--safe-ids", "--backend", "stream", "--processed-dir", str(tmp_path / "p")]) == 0
    assert out.read_bytes() == memory  # the partitioned backends rewrite ids as the memory backend does


def test_an_error_about_a_parameter_names_the_flag_given(tmp_path: Path, capsys) -> None:
    path = tmp_path / "c.tsv"
    path.write_text("doc_id\ttext\tgenre\n1\tThe council failed.\tnews\n", encoding="utf-8")
    assert main(["blame", str(path), "--out", str(tmp_path / "b.csv"), "--target-window", "-1"]) == 2
    assert "framing: error: --target-window must be a non-negative integer, got -1" in capsys.readouterr().err
    assert main(["frames", str(path), "--out", str(tmp_path / "f.csv"), "--rule", "cue_window", "--window=-2"]) == 2
    assert "framing: error: --window must be a non-negative integer, got -2" in capsys.readouterr().err


def test_frames_warns_when_the_coder_rule_is_given_a_lexicon_of_other_categories(tmp_path: Path, capsys) -> None:
    path = tmp_path / "c.tsv"
    path.write_text("doc_id\ttext\tgenre\n1\tThe minister failed.\tnews\n", encoding="utf-8")
    dic = tmp_path / "my.dic"
    dic.write_text("%\n1\tgovt\n2\tsad\n%\nminister*\t1\nfailed\t2\n", encoding="utf-8")
    assert main(["frames", str(path), "--out", str(tmp_path / "f.csv"), "--lexicon", str(dic), "-q"]) == 0
    assert "none of them a blame frame" in capsys.readouterr().err
    # not with --rule any (plain counts), nor with the shipped lexicon
    assert main(["frames", str(path), "--out", str(tmp_path / "f.csv"), "--lexicon", str(dic), "--rule", "any"]) == 0
    assert main(["frames", str(path), "--out", str(tmp_path / "f.csv"), "-q"]) == 0
    assert "none of them a blame frame" not in capsys.readouterr().err


@pytest.mark.parametrize("backend", ["memory", "stream"])
def test_frames_and_blame_keep_the_document_columns_asked_for(tmp_path: Path, capsys, backend: str) -> None:
    corpus = tmp_path / "c.csv"
    pd.DataFrame({"doc_id": ["a", "b"], "genre": ["news", "blog"], "outlet": ["The Guardian", "Seán’s Blog"],
                  "date": ["2024-01-02", ""],
                  "text": ["The council is to blame. Nothing else.", "The minister must resign over it."]}
                 ).to_csv(corpus, index=False)
    plain, kept = tmp_path / "plain.csv", tmp_path / "kept.csv"
    flags = ["--backend", backend, "-q"]
    if backend != "memory":
        flags += ["--processed-dir", str(tmp_path / "processed")]
    assert main(["frames", str(corpus), "--out", str(plain), *flags]) == 0
    assert main(["frames", str(corpus), "--out", str(kept), "--keep-columns", "outlet,date", *flags]) == 0
    before, after = pd.read_csv(plain, keep_default_na=False), pd.read_csv(kept, keep_default_na=False)
    assert list(after.columns) == [*before.columns, "outlet", "date"]  # the output's own columns first, unchanged
    pd.testing.assert_frame_equal(after[list(before.columns)], before)
    by_doc = {"a": ("The Guardian", "2024-01-02"), "b": ("Seán’s Blog", "")}
    assert list(zip(after["outlet"], after["date"], strict=True)) == [by_doc[d] for d in after["doc_id"]]
    blame = tmp_path / "blame.csv"
    assert main(["blame", str(corpus), "--out", str(blame), "--keep-columns", "genre", *flags]) == 0
    rows = pd.read_csv(blame, keep_default_na=False)
    assert list(rows.columns)[-1] == "genre" and not rows.empty
    assert rows["genre"].tolist() == [{"a": "news", "b": "blog"}[d] for d in rows["doc_id"]]
    capsys.readouterr()
    assert main(["frames", str(corpus), "--out", str(tmp_path / "x.csv"), "--keep-columns", "outlets", *flags]) == 2
    err = capsys.readouterr().err
    assert "keep_columns: no document column(s) ['outlets']" in err and "'outlet'" in err


def test_kept_metadata_is_written_as_the_corpus_had_it_on_every_backend(tmp_path: Path, capsys) -> None:
    import json

    corpus = tmp_path / "m.jsonl"
    rows = [{"doc_id": f"d{i}", "genre": "news", "text": "The council is to blame.",
             "score": None if i == 3 else 29629608 + i, "ratio": 0.123456789 * (i + 1),
             "date": "2021-04-01" if i < 20 else 20210424} for i in range(40)]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    outs = {}
    for backend in ("memory", "stream"):
        out = tmp_path / f"{backend}.csv"
        extra = [] if backend == "memory" else ["--partition-mb", "0.001", "--processed-dir", str(tmp_path / "p")]
        assert main(["frames", str(corpus), "--out", str(out), "--keep-columns", "score,ratio,date", "-q",
                     "--backend", backend, *extra]) == 0
        outs[backend] = out.read_text(encoding="utf-8")
        assert "column 'date' holds text and a number" in capsys.readouterr().err  # kept as text, with a warning
    assert outs["memory"] == outs["stream"]
    table = pd.read_csv(tmp_path / "memory.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    assert table.loc["d0", "score"] == "29629608" and table.loc["d3", "score"] == ""  # no 2.96296e+07
    assert float(table.loc["d7", "ratio"]) == 0.123456789 * 8  # every digit kept
    assert table.loc["d0", "date"] == "2021-04-01" and table.loc["d25", "date"] == "20210424"


def test_validate_warns_of_documents_holding_set_articles_in_the_one_wording(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's two warnings (the model's training articles, the articles read for the rule) use the formatter
    of the metrics notes and the notebooks (:func:`framing.agreement.held_articles_note`)."""
    import framing.agreement
    from framing.agreement import READ_SOURCE, InSampleWarning, held_articles_note, model_source
    from framing.cli._validate import _load_model_for, _read_documents
    from framing.types import FRAMES

    held = {f"doc{i}": "training-bbc-8/coded.jsonl" for i in range(9)}
    monkeypatch.setattr(framing.agreement, "model_training_overlap", lambda header, sheets, documents: ([], held))
    monkeypatch.setattr(framing.agreement, "read_set_documents", lambda documents: {"doc0": "heldout-bbc-1"})
    documents = pd.DataFrame({"doc_id": list(held)})
    with pytest.warns(InSampleWarning) as caught:
        _load_model_for("general", FRAMES, documents=documents)
        _read_documents(documents, "immig")
    assert [str(w.message) for w in caught] == [
        f"{held_articles_note(held, model_source('general'))}: its labels there are in-sample; leave them out of the "
        "coded sample to measure it",
        f"{held_articles_note({'doc0': 'heldout-bbc-1'}, READ_SOURCE)}: the rule's figures there are in-sample in part"]
