"""The shipped general model (``--model general``): current, never trained on a sealed set, rebuilt the same."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import framing
from framing.agreement import (
    GENERAL_HELDOUT,
    GENERAL_TRAINING,
    SEALED_HELDOUT,
    build_general_model,
    default_devset_path,
)
from framing.errors import ModelError, ParameterError
from framing.io import sha256_file
from framing.model_files import list_models, load_model, model_path, read_model_header
from framing.types import FRAMES

ROOT = Path(__file__).resolve().parents[1]
VALIDATION = ROOT / "data" / "validation"


def test_the_shipped_general_model_loads_with_the_current_lexicons_and_version() -> None:
    """Fails after a change of the lexicons, the features or the version that was not followed by `make model`."""
    assert list_models() == ["general"]
    model, header = load_model("general", frames=FRAMES)  # checks versions and lexicon fingerprints
    assert model.frames_ == list(FRAMES) and header["framing_version"] == framing.__version__
    assert header["case"] is None and not (model.rule_params or {}).get("case")  # the case-independent layer


def test_the_general_model_trained_on_the_readable_coded_sets_and_on_no_sealed_one() -> None:
    digests = {f["sha256"] for f in read_model_header("general")["training_files"]}
    sealed = [VALIDATION / f"heldout-{name}" / "coded.jsonl" for name in SEALED_HELDOUT]
    assert all(p.is_file() for p in sealed) and not digests & {sha256_file(p) for p in sealed}
    # the seed coding and the read held-out sets as they are now (an edit of one of them needs `make model`)
    read = [VALIDATION / "seeds_coded.csv", VALIDATION / "seeds_coded_coder2.csv",
            *(VALIDATION / f"heldout-{name}" / "coded.jsonl" for name in GENERAL_HELDOUT),
            *(VALIDATION / f"training-{name}" / "coded.jsonl" for name in GENERAL_TRAINING)]
    assert {sha256_file(p) for p in read} <= digests
    assert set(GENERAL_HELDOUT) == {"bbc-1", "bbc-3"} and not set(GENERAL_HELDOUT) & set(SEALED_HELDOUT)
    # the training sets are no held-out sets: validate devset and notebook 06 do not score them as such
    held = {p.parent.name for p in VALIDATION.glob("heldout-*/coded.jsonl")}
    assert not held & {f"heldout-{n}" for n in GENERAL_TRAINING}


@pytest.mark.skipif(default_devset_path() is None, reason="needs ../shared (the development set and BBC texts)")
def test_build_general_model_makes_the_shipped_model(tmp_path: Path) -> None:
    """The same data and settings give the same coefficients (the folds of the header's CV do not matter)."""
    from framing.agreement._general import _general_classifier
    from framing.classifier import FrameClassifier
    from framing.model_files import _plain

    # first the settings (GENERAL_PARAMS), without building: a change of them needs `make model`, and building
    # here would score the sealed sets with a model nobody has chosen to measure yet
    settings = {k: _plain(v) for k, v in _general_classifier(None).get_params().items()}
    defaults = {k: _plain(v) for k, v in FrameClassifier().get_params().items()}  # what an older file loads with
    header_params = read_model_header("general")["params"]
    shipped = {k: header_params.get(k, defaults[k]) for k in settings}
    assert shipped == settings, "the general model's settings (GENERAL_PARAMS) changed: run `make model`"
    path, _ = build_general_model(tmp_path / "g.pkl", n_splits=2, seeds_lodo=False)
    rebuilt, header = load_model(path)
    shipped, shipped_header = load_model("general")
    seeds = framing.process_corpus(framing.load_corpus(ROOT / "data" / "raw"))
    assert np.array_equal(rebuilt.frame_probabilities(seeds.sentences), shipped.frame_probabilities(seeds.sentences))
    # its figures on the sealed sets, recomputed: the ones `framing frames --model general` quotes
    assert header["sealed"] == shipped_header["sealed"]
    means = header["sealed"]["mean_macro_f1"]
    assert set(header["sealed"]["sets"]) == set(SEALED_HELDOUT) and means["classifier"] > means["rule"]


def test_a_model_is_a_file_or_a_shipped_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ModelError, match=r"nope: model file not found \(shipped models: general\)"):
        model_path("nope")
    assert model_path("general").name == "general.pkl"
    local = tmp_path / "general"  # a file of that name wins over the shipped model
    local.write_bytes(model_path("general").read_bytes())
    assert model_path(local) == local
    # scikit-learn pickles are read within a minor version: 1.9.0 writes, 1.9.7 reads; 1.8 does not
    from framing import model_files

    monkeypatch.setattr(model_files, "_versions", lambda: (framing.__version__, "1.9.7"))
    assert load_model("general")[0].frames_ == list(FRAMES)
    monkeypatch.setattr(model_files, "_versions", lambda: (framing.__version__, "1.8.2"))
    with pytest.raises(ModelError, match=r"general.pkl: key 'sklearn_version' is '1\.9\.\d+', this installation "
                                         r"needs '1\.8\.2'"):
        load_model("general")


def test_frames_model_general_on_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    proc = subprocess.run([sys.executable, "-m", "framing", "frames", "data/raw", "--model", "general", "--out",
                           str(out), "--processed-dir", str(tmp_path / "processed")],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "on the 6 sealed held-out sets, never trained on or read" in proc.stderr
    assert "trained on coverage of public failures only" in proc.stderr
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert [f"p_{f}" for f in FRAMES] == header[-4:-1] and header[-1] == "evidence"


def test_the_rules_caution_quotes_the_general_models_range_on_the_sealed_sets(tmp_path: Path) -> None:
    sets = read_model_header("general")["sealed"]["sets"]
    low, high = min(v["classifier"] for v in sets.values()), max(v["classifier"] for v in sets.values())
    proc = subprocess.run([sys.executable, "-m", "framing", "frames", "data/raw", "--out", str(tmp_path / "f.csv"),
                           "--processed-dir", str(tmp_path / "processed")],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert f"the shipped general model (--model general, docs/validation.md) at {low:.2f} to {high:.2f} there" in (
        " ".join(proc.stderr.split()))


def test_the_general_models_header_marks_the_rules_figure_in_sample_and_holds_no_machine_path() -> None:
    """The rule was written reading every training set: its CV figure there is in-sample (no fair comparison)."""
    header = read_model_header("general")
    macro = {r["method"]: r for r in header["cv"]["metrics"] if r["frame"] == "macro"}
    assert macro["rule"]["in_sample"] is True and macro["classifier"]["in_sample"] is False
    paths = [f["path"] for f in header["training_files"]] + [header["corpus"]]
    assert not [p for p in paths if Path(p).is_absolute()], paths  # every checkout builds the same file
    assert "data/validation/seeds_coded.csv" in paths and "data/raw" in paths
    # ../shared as it stands beside the project, even where it is a symbolic link (a CI checkout's is)
    assert "../shared/devsets/public-failures/coded.jsonl" in paths


@pytest.mark.skipif(default_devset_path() is None, reason="needs ../shared (the development set and BBC texts)")
def test_the_development_set_is_found_from_the_root_given_not_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from framing.agreement import default_texts_path

    monkeypatch.chdir(tmp_path)
    found = default_devset_path(ROOT)
    assert found is not None and found.is_file()
    held = VALIDATION / "heldout-bbc-1" / "coded.jsonl"
    assert default_texts_path(held, ROOT).is_file()


def test_the_general_model_reads_a_case_file_it_was_not_trained_with(tmp_path: Path) -> None:
    """With a case file, the case's names count in the rule features as they count for the rule (docs/cases.md)."""
    case = tmp_path / "zorb.yaml"
    case.write_text('case: zorb\nversion: "1"\ndescription: a made-up case\nentries:\n'
                    "  - {pattern: zorblat, actor: government, frame: political}\n", encoding="utf-8")
    text = "Zorblat is to blame for the failure of the service."
    sents = pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "para_id": [0], "start": [0], "end": [len(text)],
                          "text": [text]})
    model, _ = load_model("general")
    cased = model.with_case(case)
    political = model.feature_names_.index("n:political")
    assert model._featurize(sents).matrix[0, political] == 0  # the case-independent layer does not know the name
    assert cased._featurize(sents).matrix[0, political] > 0
    # a copy: the shipped model still labels without the case; no case, or its own, changes nothing
    assert not (model.rule_params or {}).get("case") and cased.rule_params == {"case": str(case)}
    assert model.with_case(None) is model and model.with_case("") is model and cased.with_case(case) is cased
    other = tmp_path / "other.yaml"
    other.write_text(case.read_text(encoding="utf-8").replace("zorblat", "quibble"), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"other\.yaml: the model was trained with case file 'zorb'"):
        cased.with_case(other)


def test_frames_model_general_with_a_case_labels_as_the_api_does(tmp_path: Path) -> None:
    out = tmp_path / "f.csv"
    proc = subprocess.run([sys.executable, "-m", "framing", "frames", "data/raw", "--model", "general", "--case",
                           "baby_p", "--out", str(out), "--processed-dir", str(tmp_path / "processed")],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "ignored with --model" not in proc.stderr and "with case file baby_p and" in proc.stderr
    seeds = framing.process_corpus(framing.load_corpus(ROOT / "data" / "raw"))
    expected = load_model("general")[0].with_case("baby_p").label_table(seeds)
    got = pd.read_csv(out, dtype={"doc_id": str})
    assert got[list(FRAMES)].to_numpy().tolist() == expected[list(FRAMES)].astype(int).to_numpy().tolist()
    without = load_model("general")[0].label_table(seeds)
    assert not expected[list(FRAMES)].equals(without[list(FRAMES)])  # the case changes labels on its own corpus


def test_the_seeds_figures_in_the_header_are_the_rules_figures_with_and_without_the_case() -> None:
    """The rule's seeds figures in the header (no training) recomputed by another path: `framing.agreement`."""
    from framing.agreement import agreement, read_coding_sheets
    from framing.scoring import frame_table

    lodo = read_model_header("general")["seeds_lodo"]
    seeds = framing.process_corpus(framing.load_corpus(ROOT / "data" / "raw"))
    coded = read_coding_sheets([VALIDATION / "seeds_coded.csv", VALIDATION / "seeds_coded_coder2.csv"],
                               corpus=seeds, frames=FRAMES)
    for key, case in (("without_case", None), ("with_case", "baby_p")):
        m = agreement(coded, frame_table(seeds, case=case), frames=FRAMES).metrics
        f1 = m.loc[(m["frame"] == "macro") & (m["reference"] == "majority"), "f1"]
        assert lodo["case"] == "baby_p" and lodo["rule"][key] == pytest.approx(float(f1.iloc[0]), abs=5e-4)
    assert set(lodo["classifier"]) == {"with_case", "without_case"}


def test_notebook_06_shows_the_general_models_seeds_figures_from_its_header() -> None:
    from framing.sections import general_model_seeds

    lodo = read_model_header("general")["seeds_lodo"]
    table = general_model_seeds()
    assert table is not None and list(table.columns) == ["instrument", "without a case file", "case baby_p"]
    assert table["instrument"].str.startswith(("general model, each seed document left out", "rule (in-sample")).all()
    assert table.iloc[0, 1:].tolist() == [lodo["classifier"]["without_case"], lodo["classifier"]["with_case"]]
    assert table.iloc[1, 1:].tolist() == [lodo["rule"]["without_case"], lodo["rule"]["with_case"]]


def test_paired_difference_resamples_documents_for_both_instruments_at_once() -> None:
    from framing.agreement import paired_difference

    # one set, three documents, three frames; counts (documents, [tp, fp, fn], frames)
    rule = np.array([[[1, 1, 1], [1, 0, 1], [1, 1, 1]],
                     [[2, 0, 1], [0, 1, 0], [1, 1, 1]],
                     [[0, 1, 1], [1, 1, 0], [1, 0, 1]]], dtype=float)
    same = paired_difference({"s": (rule, rule)}, n_boot=200)
    assert same["sets"]["s"] == {"difference": 0.0, "lo": 0.0, "hi": 0.0} and same["mean"]["difference"] == 0.0
    better = rule.copy()
    better[:, 0, :] += 1  # one more true positive in every document and frame: better on every resample
    better[:, 2, :] = np.maximum(better[:, 2, :] - 1, 0)
    out = paired_difference({"s": (better, rule), "t": (better, rule)}, n_boot=200)
    # by hand: F1 = 2tp / (2tp + fp + fn) per frame of the summed counts, then the mean over frames
    tot_b, tot_r = better.sum(axis=0), rule.sum(axis=0)
    f1 = lambda t: np.mean(2 * t[0] / (2 * t[0] + t[1] + t[2]))  # noqa: E731
    assert out["sets"]["s"]["difference"] == pytest.approx(round(f1(tot_b) - f1(tot_r), 3))
    assert out["sets"]["s"]["lo"] > 0 and out["mean"]["lo"] > 0 and out["n_boot"] == 200


def test_document_counts_sum_to_the_agreement_tables_counts() -> None:
    """The paired bootstrap's per-document counts, summed, are agreement()'s (an independent path)."""
    from framing.agreement import agreement, read_coding_sheets
    from framing.agreement._general import _document_counts
    from framing.scoring import frame_table

    seeds = framing.process_corpus(framing.load_corpus(ROOT / "data" / "raw"))
    coded = read_coding_sheets([VALIDATION / "seeds_coded.csv", VALIDATION / "seeds_coded_coder2.csv"],
                               corpus=seeds, frames=FRAMES)
    predicted = frame_table(seeds)
    counts = _document_counts(coded, predicted).sum(axis=0)
    m = agreement(coded, predicted, frames=FRAMES).metrics.set_index(["reference", "frame"]).loc["majority"]
    for i, kind in enumerate(("tp", "fp", "fn")):
        assert counts[i].tolist() == m.loc[list(FRAMES), kind].astype(float).tolist()


def test_the_general_model_labels_on_every_backend_as_in_memory(tmp_path: Path) -> None:
    """`framing frames --model general --case baby_p` gives the same CSV on stream and dask as in memory."""
    import json

    from framing.cli import main

    outs = {}
    for backend in ("memory", "stream", "dask"):
        outs[backend] = tmp_path / f"{backend}.csv"
        extra = ["--scheduler", "synchronous"] if backend == "dask" else []
        assert main(["frames", str(ROOT / "data" / "raw"), "--model", "general", "--case", "baby_p", "--backend",
                     backend, "--out", str(outs[backend]), "--processed-dir", str(tmp_path / backend), "-q",
                     *extra]) == 0
    memory = outs["memory"].read_bytes()
    assert outs["stream"].read_bytes() == memory and outs["dask"].read_bytes() == memory
    seeds = framing.process_corpus(framing.load_corpus(ROOT / "data" / "raw"))
    expected = load_model("general")[0].with_case("baby_p").label_table(seeds)
    got = pd.read_csv(outs["stream"], dtype={"doc_id": str})
    assert got[list(FRAMES)].to_numpy().tolist() == expected[list(FRAMES)].astype(int).to_numpy().tolist()
    # the partitions record which model labelled them (a partition made with another is refused)
    manifest = json.loads((tmp_path / "stream" / "raw" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["instruments"]["frames"]["model"]["sha256"] == sha256_file(model_path("general"))
    assert manifest["frames"]["model"] == "general" and manifest["frames"]["case"] == "baby_p"


@pytest.mark.skipif(default_devset_path() is None, reason="needs ../shared (the BBC texts)")
def test_a_users_bbc_corpus_holding_training_articles_is_scored_in_sample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A coded document that holds an article of the model's training sets (or of a set read for the rule) makes
    that instrument's row in-sample, with a warning naming the documents."""
    import gzip
    import json

    from framing.cli import main

    wanted = {"politics/025": "training-bbc-8", "politics/028": "heldout-bbc-1", "politics/004": None}
    with gzip.open(ROOT.parent / "shared" / "corpora" / "bbc-news-2004-2005.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [r for r in map(json.loads, f) if r["id"] in wanted]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": r["id"], "text": r["text"], "genre": "news"}) + "\n" for r in rows),
                      encoding="utf-8")
    assert main(["validate", "sheet", str(corpus), "--id-col", "id", "--safe-ids", "--n", "30", "--seed", "1",
                 "--out", str(tmp_path / "sheet.csv")]) == 0
    sheet = pd.read_csv(tmp_path / "sheet.csv")
    sheet[list(FRAMES)] = np.tile([[1, 0, 1], [0, 1, 0]], (len(sheet) // 2 + 1, 1))[: len(sheet)]
    sheet.to_csv(tmp_path / "coded.csv", index=False)
    out = tmp_path / "vd"
    capsys.readouterr()
    assert main(["validate", "devset", "--corpus", str(corpus), "--id-col", "id", "--safe-ids", "--coded",
                 str(tmp_path / "coded.csv"), "--model", "general", "--heldout", "", "--devset", "",
                 "--n-boot", "0", "--out", str(out)]) == 0
    said = " ".join(line for line in capsys.readouterr().err.splitlines() if "document(s) of the corpus hold" in line)
    held = sorted({d for d in sheet["doc_id"] if wanted[d.replace("_", "/")] is not None})
    assert held and all(d in said for d in held) and "politics_004" not in said
    m = pd.read_csv(out / "metrics.csv")
    macro = m[(m["frame"] == "macro") & (m["scope"] == "c")].set_index("method")
    assert bool(macro.loc["model", "in_sample"]) and "training-bbc-8" in macro.loc["model", "note"]
    if "politics_028" in held:  # an article of a set read while the lexicons were written: the rule in part
        assert bool(macro.loc["rule", "in_sample"]) and "heldout-bbc-1" in macro.loc["rule", "note"]


def test_a_model_trained_with_a_case_says_it_labels_with_it_and_the_rule_is_in_sample_on_the_seeds() -> None:
    """From the second trial: a model trained with baby_p applied the case silently (captions said 'case none'),
    and `validate train` on the study's seeds called the rule's figure out-of-sample."""
    import warnings

    from framing.agreement import read_coding_sheets, train_frame_model, warn_few_positives
    from framing.errors import FramingWarning

    seeds = framing.process_corpus(framing.load_corpus(ROOT / "data" / "raw"))
    coded = read_coding_sheets([VALIDATION / "seeds_coded.csv"], corpus=seeds, frames=FRAMES)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = train_frame_model(seeds, coded, n_splits=2, scope="seeds", case="baby_p")
        plain = train_frame_model(seeds, coded, n_splits=2)  # the corpus's own name ('raw'): not the study's scope
    rule = result.metrics[(result.metrics["method"] == "rule")]
    assert rule["in_sample"].all() and not plain.metrics.loc[plain.metrics["method"] == "rule", "in_sample"].any()
    with pytest.warns(FramingWarning, match=r"labels with the case file it was trained with, 'baby_p'"):
        assert result.model.with_case(None) is result.model
    # a frame without coded positives: the message fits what the codes are used for
    metrics = pd.DataFrame({"frame": ["individual"], "support": [0]})
    with pytest.warns(FramingWarning, match=r"its share cannot be corrected from these codes"):
        warn_few_positives(metrics, "s.csv")
    with pytest.warns(FramingWarning, match=r"a model trained on these codes labels it 0 everywhere"):
        warn_few_positives(metrics, "s.csv", training=True)


@pytest.mark.parametrize(("params", "said"), [
    (["-p", "frame_model=generl"], r"parameter 'frame_model' \(02_lexicon_framing\): generl: model file not found"),
    (["-p", "frame_model=general", "-p", "rule=any"], r"rule='any' would be ignored"),
])
def test_framing_run_refuses_a_frame_model_before_any_notebook_runs(
    tmp_path: Path, params: list[str], said: str, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    from framing.cli import main

    monkeypatch.chdir(ROOT)
    assert main(["run", *params, "--reports-dir", str(tmp_path / "r")]) != 0
    err = capsys.readouterr().err
    assert re.search(said, err), err
    assert not (tmp_path / "r" / "notebooks").exists()  # refused before notebook 01 ran


def test_notebooks_with_frame_model_say_when_the_coded_sheets_trained_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the review: with frame_model=general the study's coded seed sheets (its training files) were scored
    as if unseen; now ctx.coded_sheets warns, the caption says in-sample and names the model."""
    import shutil

    from framing import nbtools
    from framing.agreement import validation_metrics_caption

    project = tmp_path / "project"  # a copy of the study's corpus and sheets: nothing prepared in the checkout
    shutil.copytree(ROOT / "data" / "raw", project / "data" / "raw")
    shutil.copytree(VALIDATION, project / "data" / "validation",
                    ignore=shutil.ignore_patterns("heldout-*", "training-*"))
    (project / "config").mkdir()
    (project / "config" / "study.yaml").write_text("notebooks: []\n", encoding="utf-8")
    monkeypatch.setenv("FRAMING_ROOT", str(project))
    params = {"corpus": "data/raw", "corpus_name": "seeds", "reports_dir": str(tmp_path / "r"), "id_col": "doc_id",
              "text_col": "text", "genre_col": "genre", "case": "baby_p", "frame_model": "general",
              "coded": ["data/validation/seeds_coded.csv", "data/validation/seeds_coded_coder2.csv"]}
    ctx = nbtools.setup(params, style=False, quiet=True, cache=False)
    capsys.readouterr()
    sheets = ctx.coded_sheets()
    printed = capsys.readouterr().out
    assert len(sheets) == 2
    assert "warning (InSampleWarning): the model general was trained on the coded sheet(s)" in printed
    assert "seeds_coded.csv" in ctx.model_in_sample(sheets)
    rule = nbtools.setup({**params, "frame_model": ""}, style=False, quiet=True, cache=False)
    assert rule.model_in_sample(sheets) == ""
    caption = validation_metrics_caption("blame_frames.yaml", "baby_p", "coder", "seeds", n_coders=2, n_docs=5,
                                         level=0.95, n_boot=100, in_sample=True, automated=True, model="general")
    assert caption.startswith("Model general (case baby_p) against the coded seed sentences")
    assert "Every row is in-sample: the model was trained on these sentences" in caption


def test_provenance_hashes_the_model_a_run_labelled_with_and_pipeline_keeps_its_names() -> None:
    from framing.pipeline import PROVENANCE_PACKAGES
    from framing.provenance import collect_inputs

    inputs = collect_inputs({"frame_model": "general", "case": "baby_p"}, ROOT)
    model = [k for k in inputs if k.endswith("models/general.pkl")]
    assert len(model) == 1 and inputs[model[0]] == sha256_file(model_path("general"))
    assert "framing" in PROVENANCE_PACKAGES  # the compatibility module still offers every former name


def test_training_sources_name_each_row_by_its_set() -> None:
    from types import SimpleNamespace

    from framing.agreement._general import training_sources

    seeds = SimpleNamespace(sentences=pd.DataFrame({"doc_id": ["s1", "s2"]}))
    sets = [SimpleNamespace(path=Path("x/heldout-bbc-1/coded.jsonl"), sentences=pd.DataFrame({"doc_id": ["b1"]})),
            SimpleNamespace(path=Path("y/public-failures/coded.jsonl"), sentences=pd.DataFrame({"doc_id": ["p1"]}))]
    sents = pd.DataFrame({"doc_id": ["s2", "b1", "p1", "s1", "b1"]})
    assert training_sources(seeds, sets, sents).tolist() == ["seeds", "heldout-bbc-1", "public-failures", "seeds",
                                                             "heldout-bbc-1"]
    with pytest.raises(ParameterError, match="'zz'"):
        training_sources(seeds, sets, pd.DataFrame({"doc_id": ["s1", "zz"]}))


@pytest.mark.skipif(default_devset_path() is None, reason="needs ../shared (the development set and BBC texts)")
def test_leave_one_source_out_never_trains_on_the_source_it_scores(monkeypatch: pytest.MonkeyPatch) -> None:
    from framing.agreement import general_training_data, source_lodo_figures
    from framing.agreement._general import _macro, training_sources
    from framing.agreement._instrument import training_sentences
    from framing.classifier import FrameClassifier
    from framing.scoring import frame_table

    data = general_training_data(ROOT)
    seeds, coded, sets, _ = data
    sents, _labels, _all = training_sentences(seeds, coded, sets, FRAMES)
    source = training_sources(seeds, sets, sents)
    trained: list[set[str]] = []
    fit = FrameClassifier.fit

    def recording_fit(self: FrameClassifier, X: pd.DataFrame, y: object) -> FrameClassifier:
        trained.append(set(X["doc_id"].astype(str)))
        return fit(self, X, y)

    monkeypatch.setattr(FrameClassifier, "fit", recording_fit)
    out = source_lodo_figures(data=data, params={"C": 1.0})  # a fixed C: the folds are under test, not C
    names = ["seeds", "public-failures", "heldout-bbc-1", "heldout-bbc-3", "training-bbc-8", "training-bbc-9",
             "training-bbc-10"]
    assert list(out["classifier"]) == names and list(out["rule"]) == names
    docs = sents["doc_id"].astype(str).to_numpy()
    for name, got in zip(names, trained, strict=True):  # each model saw every other source, nothing of its own
        assert got == set(docs[source != name]), name
    assert out["mean"]["classifier"] == round(float(np.mean(list(out["classifier"].values()))), 3)
    # the rule needs no training: its figure on the held-out seeds is its figure on the whole seed corpus
    assert out["rule"]["seeds"] == _macro(coded, frame_table(seeds))


def test_train_frame_model_passes_the_classifiers_parameters() -> None:
    from framing.agreement import read_coding_sheets, train_frame_model

    seeds = framing.process_corpus(framing.load_corpus(ROOT / "data" / "raw"))
    coded = read_coding_sheets([VALIDATION / "seeds_coded.csv"], corpus=seeds, frames=FRAMES)
    result = train_frame_model(seeds, coded, n_splits=2, model_params={"following": True, "C": 0.1})
    assert result.model.following is True and result.model.C_.tolist() == [0.1, 0.1, 0.1]
    assert "next:hit:individual" in result.model.feature_names_
