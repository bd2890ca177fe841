"""Validation on a user's own corpus tells the truth (issue 9, "Validation that tells the truth").

A small JSONL corpus with ids in column ``id`` and the grouping in ``section`` (as a user's BBC corpus), coded
sheets made by ``framing validate sheet`` and coded here by a keyword rule written in this file (so every expected
value is worked out from the texts below, not from the code under test).
"""

from __future__ import annotations

import json
import pickle
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.cli import main

FRAMES = ["individual", "systemic", "political"]

# each document: (section, sentences). Coding rule of this file: "director"/"officer" -> individual,
# "council"/"agency"/"procedures" -> systemic, "minister"/"government" -> political.
DOCS = {
    "n1": ("home", ["The director failed the child and must resign.", "The council procedures failed badly.",
                    "It rained on Tuesday.", "The minister blamed the government."]),
    "n2": ("home", ["The officer ignored the warnings.", "The agency was understaffed for years.",
                    "Crowds gathered outside.", "The government must answer for this failure."]),
    "n3": ("world", ["The director was suspended after the review.", "The council failed to share information.",
                     "The weather was cold.", "Ministers stayed silent about the failure."]),
    "n4": ("world", ["The officer was sacked for misconduct.", "The agency procedures were flawed.",
                     "A spokesman declined to comment.", "The minister ordered an inquiry into the council."]),
}
_CODE_WORDS = {"individual": ("director", "officer"), "systemic": ("council", "agency", "procedures"),
               "political": ("minister", "government")}


def _code(text: str, frame: str) -> int:
    return int(any(w in text.lower() for w in _CODE_WORDS[frame]))


def write_corpus(folder: Path, name: str = "mycorpus") -> Path:
    """Write the corpus as JSONL with ``id``, ``text`` and ``section``."""
    path = folder / f"{name}.jsonl"
    lines = [json.dumps({"id": d, "text": " ".join(s), "section": sec}) for d, (sec, s) in DOCS.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def corpus_args(corpus: Path) -> list[str]:
    return [str(corpus), "--id-col", "id", "--genre-col", "section"]


def learning_corpus_args(corpus: Path) -> list[str]:
    return ["--corpus", str(corpus), "--id-col", "id", "--genre-col", "section"]


def write_sheet(folder: Path, corpus: Path, name: str, docs: list[str] | None = None, *, not_coded: int = 0,
                coder: str = "ann", frames: tuple[str, ...] = tuple(FRAMES)) -> Path:
    """A coded sheet of every sentence of ``docs`` (default all), coded by this file's keyword rule.

    ``not_coded``: the first so many rows are left blank and marked ``not coded``.
    """
    blank = folder / f"_{name}_blank.csv"
    assert main(["validate", "sheet", *corpus_args(corpus), "--n", "16", "--strata", "none",
                 "--out", str(blank)]) == 0
    sheet = pd.read_csv(blank, dtype=str, keep_default_na=False)
    if docs is not None:
        sheet = sheet[sheet["doc_id"].isin(docs)]
    sheet = sheet.sort_values(["doc_id", "sent_id"], key=lambda c: c.astype(int) if c.name == "sent_id" else c)
    for f in FRAMES:
        sheet[f] = [str(_code(t, f)) if f in frames else "0" for t in sheet["text"]]
    sheet["coder"] = coder
    sheet = sheet.reset_index(drop=True)
    if not_coded:
        sheet.loc[: not_coded - 1, FRAMES] = ""
        sheet.loc[: not_coded - 1, "notes"] = "not coded"
    out = folder / f"{name}.csv"
    sheet.to_csv(out, index=False)
    blank.unlink()
    return out


@pytest.fixture()
def own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The corpus and a sheet coding all of it; no development set (the shared one is another corpus)."""
    import framing.agreement

    monkeypatch.setattr(framing.agreement, "default_devset_path", lambda: None)
    corpus = write_corpus(tmp_path)
    return corpus, write_sheet(tmp_path, corpus, "sheet_all")


def _metrics(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "metrics.csv", keep_default_na=False, na_values=[""])


# --- 1. the user's corpus is named as itself, its rule rows are not in-sample ------------------------------


def test_validate_devset_names_the_users_corpus_and_keeps_its_rule_out_of_sample(own: tuple[Path, Path],
                                                                                 tmp_path: Path) -> None:
    corpus, sheet = own
    out = tmp_path / "v"
    assert main(["validate", "devset", "--coded", str(sheet), *learning_corpus_args(corpus), "--heldout", "",
                 "--rule-only", "--n-boot", "0", "--out", str(out)]) == 0
    m = _metrics(out)
    assert list(dict.fromkeys(m["scope"])) == ["mycorpus", "mycorpus-LODO"]  # the file's stem, not "seeds"
    assert not m["in_sample"].any()
    assert not m["note"].fillna("").str.contains("in-sample").any()
    # by hand (this file's codes against the rule): political is found in the four political sentences only
    political = m[(m["scope"] == "mycorpus") & (m["frame"] == "political")].iloc[0]
    assert (political["tp"], political["fn"], political["support"]) == (4, 0, 4)


# --- 2. a given model is in-sample only on the sheets it was trained on --------------------------------------


def test_a_given_model_is_in_sample_only_on_a_sheet_it_was_trained_on(own: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, sheet_all = own
    model = tmp_path / "m.pkl"
    assert main(["validate", "train", str(sheet_all), *learning_corpus_args(corpus), "--n-boot", "0",
                 "--out", str(model)]) == 0
    # a second coder's sheet of the same sentences: another file, never trained on
    other = write_sheet(tmp_path, corpus, "sheet_bob", coder="bob")
    rows = {}
    for name, sheet in (("trained", sheet_all), ("other", other)):
        out = tmp_path / name
        assert main(["validate", "devset", "--coded", str(sheet), *learning_corpus_args(corpus), "--heldout", "",
                     "--model", str(model), "--n-boot", "0", "--out", str(out)]) == 0
        m = _metrics(out)
        rows[name] = m[(m["scope"] == "mycorpus") & (m["method"] == "model") & (m["frame"] == "macro")].iloc[0]
    assert bool(rows["trained"]["in_sample"]) and "trained on this set" in rows["trained"]["note"]
    assert str(sheet_all) in rows["trained"]["note"]
    assert not bool(rows["other"]["in_sample"]) and "none of these coded sheets" in rows["other"]["note"]


def test_model_on_coded_reads_the_digests_of_the_sheets(tmp_path: Path) -> None:
    from framing.agreement._instrument import _model_on_coded
    from framing.io import sha256_file

    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("a", encoding="utf-8")
    b.write_text("b", encoding="utf-8")
    coded = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "source": [str(b)]})
    assert _model_on_coded(coded, [sha256_file(a)])[0] is False
    assert _model_on_coded(coded, [sha256_file(a), sha256_file(b)])[0] is True
    assert _model_on_coded(coded, [])[0] is True  # no provenance: nothing shows it is out of sample
    assert _model_on_coded(coded.drop(columns="source"), [sha256_file(a)])[0] is True


# --- 4. shares corrected with the model's own training sheet warn ----------------------------------------------


def test_shares_with_the_models_training_sheet_warn_naming_sheet_and_model(
        own: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from framing.agreement import InSampleWarning
    from framing.cli._validate import _load_model_for

    corpus, sheet_all = own
    model = tmp_path / "m.pkl"
    assert main(["validate", "train", str(sheet_all), *learning_corpus_args(corpus), "--n-boot", "0",
                 "--out", str(model)]) == 0
    args = ["validate", "shares", *corpus_args(corpus), "--model", str(model), "--n-boot", "0", "--quiet"]
    capsys.readouterr()
    assert main([*args, "--coded", str(sheet_all), "--out", str(tmp_path / "s1.csv")]) == 0
    warned = [line for line in capsys.readouterr().err.splitlines() if "the model" in line and "trained on" in line]
    assert len(warned) == 1 and str(sheet_all) in warned[0] and str(model) in warned[0]
    other = write_sheet(tmp_path, corpus, "sheet_bob", coder="bob")
    capsys.readouterr()
    assert main([*args, "--coded", str(other), "--out", str(tmp_path / "s2.csv")]) == 0
    err = capsys.readouterr().err
    assert "trained on:" not in err and "in-sample" not in err
    # the warning's class, as the API gives it
    with pytest.warns(InSampleWarning, match="m.pkl"):
        _load_model_for(str(model), FRAMES, [str(sheet_all)])
    with warnings.catch_warnings():
        warnings.simplefilter("error", InSampleWarning)
        _load_model_for(str(model), FRAMES, [str(other)])


# --- 8. a model for other frames is refused before labelling, naming the model --------------------------------


def test_shares_refuse_a_model_for_other_frames_naming_it(own: tuple[Path, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from framing.classifier import FrameClassifier

    corpus, sheet_all = own
    model = tmp_path / "two.pkl"
    assert main(["validate", "train", str(sheet_all), *learning_corpus_args(corpus), "--n-boot", "0",
                 "--frames", "individual,political", "--out", str(model)]) == 0
    capsys.readouterr()

    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("labelled the corpus before checking the model's frames")

    monkeypatch.setattr(FrameClassifier, "label_table", refuse)
    assert main(["validate", "shares", *corpus_args(corpus), "--coded", str(sheet_all), "--model", str(model),
                 "--n-boot", "0", "--out", str(tmp_path / "s.csv")]) == 2
    err = capsys.readouterr().err
    assert "two.pkl" in err and "'frames'" in err and "['individual', 'political']" in err
    assert not (tmp_path / "s.csv").exists()


# --- 7. validate train --frames trains on those frames --------------------------------------------------------


def test_validate_train_takes_frames(own: tuple[Path, Path], tmp_path: Path) -> None:
    from framing.classifier import load_model

    corpus, _ = own
    sheet = write_sheet(tmp_path, corpus, "two_frames", frames=("individual", "political"))
    frame = pd.read_csv(sheet)
    sheet2 = tmp_path / "two_cols.csv"
    frame.drop(columns="systemic").to_csv(sheet2, index=False)  # a sheet coding only the two frames
    model = tmp_path / "m.pkl"
    assert main(["validate", "train", str(sheet2), *learning_corpus_args(corpus), "--n-boot", "0",
                 "--frames", "individual,political", "--out", str(model)]) == 0
    est, header = load_model(model, frames=["individual", "political"])
    assert est.frames_ == ["individual", "political"] and header["frames"] == ["individual", "political"]
    assert est.predict(est_sentences(corpus)).shape == (16, 2)


def est_sentences(corpus: Path) -> pd.DataFrame:
    from framing.corpus import load_corpus, process_corpus

    return process_corpus(load_corpus(corpus, id_col="id", genre_col="section")).sentences


# --- 10. model files: damaged files, resolved provenance, the note's advice -----------------------------------


def test_a_truncated_model_file_is_called_truncated_and_junk_is_not(own: tuple[Path, Path], tmp_path: Path) -> None:
    from framing.classifier import read_model_header
    from framing.errors import ModelError

    corpus, sheet = own
    model = tmp_path / "m.pkl"
    assert main(["validate", "train", str(sheet), *learning_corpus_args(corpus), "--n-boot", "0",
                 "--out", str(model)]) == 0
    cut = tmp_path / "cut.pkl"
    cut.write_bytes(model.read_bytes()[:200])
    with pytest.raises(ModelError, match=r"cut\.pkl: truncated or damaged model file"):
        read_model_header(cut)
    junk = tmp_path / "junk.pkl"
    junk.write_bytes(b"junk")
    with pytest.raises(ModelError, match=r"junk\.pkl: not a framing model file"):
        read_model_header(junk)


def test_model_header_stores_resolved_paths(own: tuple[Path, Path], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    corpus, sheet = own
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "train", sheet.name, *learning_corpus_args(Path(corpus.name)), "--n-boot", "0",
                 "--out", "m.pkl"]) == 0
    header = pickle.loads((tmp_path / "m.pkl").read_bytes())
    assert header["corpus"] == str(tmp_path.resolve() / corpus.name)
    assert [f["path"] for f in header["training_files"]] == [str(tmp_path.resolve() / sheet.name)]


def test_frames_model_note_points_to_checking_on_ones_own_sheet() -> None:
    from framing.cli._validate import _model_note

    note = _model_note("m.pkl", {})
    assert "validate devset --corpus CORPUS --coded SHEET.csv --model m.pkl" in note


# --- 3. a model keeps its case file's content -----------------------------------------------------------------

CASE = ("case: mine\nversion: '1'\nentries:\n  - pattern: [spokesman]\n    actor: government\n    frame: political\n")
"""A case naming the spokesman of sentence n4/2 ("A spokesman declined to comment.") a political locus."""


def _spokesman_row(table: pd.DataFrame) -> pd.Series:
    return table[(table["doc_id"] == "n4") & (table["sent_id"] == 2)].iloc[0]


def test_a_model_keeps_its_case_whatever_happens_to_the_file(own: tuple[Path, Path], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from framing.classifier import load_model
    from framing.io import sha256_file

    corpus, sheet = own
    train, other = tmp_path / "train", tmp_path / "other"
    train.mkdir()
    other.mkdir()
    (train / "case.yaml").write_text(CASE, encoding="utf-8")
    digest = sha256_file(train / "case.yaml")
    monkeypatch.chdir(train)
    assert main(["validate", "train", str(sheet), *learning_corpus_args(corpus), "--case", "case.yaml",
                 "--n-boot", "0", "--out", "m.pkl"]) == 0
    header = pickle.loads((train / "m.pkl").read_bytes())
    assert header["case"]["path"] == str((train / "case.yaml").resolve()) and header["case"]["sha256"] == digest
    assert header["case"]["name"] == "mine"
    # run from another directory, where "case.yaml" is another file that names nobody political
    monkeypatch.chdir(other)
    (other / "case.yaml").write_text(CASE.replace("political", "individual").replace("government", "director"),
                                     encoding="utf-8")
    sents = est_sentences(corpus)
    model, _ = load_model(train / "m.pkl")
    # the spokesman is political through the case read at training: one political hit for the rule features
    assert _spokesman_row(model.label_table(sents))["n_political"] == 1
    # the training case file edited, then deleted: the model still reads the case it was trained with
    (train / "case.yaml").write_text(CASE.replace("spokesman", "nobody at all"), encoding="utf-8")
    assert _spokesman_row(load_model(train / "m.pkl")[0].label_table(sents))["n_political"] == 1
    (train / "case.yaml").unlink()
    out = other / "frames.csv"
    assert main(["frames", *corpus_args(corpus), "--model", str(train / "m.pkl"), "--out", str(out),
                 "--quiet"]) == 0
    assert _spokesman_row(pd.read_csv(out))["n_political"] == 1


def test_the_header_names_the_case_file_as_fit_read_it_not_as_it_is_when_saved(own: tuple[Path, Path],
                                                                              tmp_path: Path) -> None:
    from framing.classifier import FrameClassifier, save_model
    from framing.io import sha256_file

    corpus, _sheet = own
    case = tmp_path / "case.yaml"
    case.write_text(CASE, encoding="utf-8")
    read = sha256_file(case)
    sents = est_sentences(corpus)
    codes = pd.DataFrame({f: (sents["sent_id"] % 2 == i).astype(float) for i, f in enumerate(FRAMES)})
    model = FrameClassifier(C=1.0, rule_params={"case": str(case)}).fit(sents, codes)
    case.write_text(CASE + "  - pattern: [nobody]\n    actor: government\n    frame: political\n", encoding="utf-8")
    header = pickle.loads(save_model(model, tmp_path / "m.pkl").read_bytes())
    assert header["case"]["sha256"] == read != sha256_file(case)


def _as_format_1(model_path: Path, out: Path) -> Path:
    """Rewrite a model file as the first format wrote it: no ``case`` key, no ``case_`` in the estimator."""
    header = pickle.loads(model_path.read_bytes())
    est = pickle.loads(header["model"])
    del est.case_
    header.pop("case")
    header.update(format_version=1, model=pickle.dumps(est, protocol=5))
    out.write_bytes(pickle.dumps(header, protocol=5))
    return out


def test_an_older_model_with_a_case_path_is_refused_and_one_without_loads(own: tuple[Path, Path], tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from framing.classifier import load_model
    from framing.errors import ModelError

    corpus, sheet = own
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "train", str(sheet), *learning_corpus_args(corpus), "--case", "case.yaml",
                 "--n-boot", "0", "--out", "with.pkl"]) == 0
    assert main(["validate", "train", str(sheet), *learning_corpus_args(corpus), "--n-boot", "0",
                 "--out", "without.pkl"]) == 0
    old_with = _as_format_1(tmp_path / "with.pkl", tmp_path / "old_with.pkl")
    with pytest.raises(ModelError, match=r"old_with\.pkl: saved by an older version of framing .*'case\.yaml'"):
        load_model(old_with)
    old_without = _as_format_1(tmp_path / "without.pkl", tmp_path / "old_without.pkl")
    model, header = load_model(old_without)
    assert header["format_version"] == 1 and model.frames_ == FRAMES


# --- 5. few coded positives: a warning, and no zero-width interval --------------------------------------------


def test_no_true_positive_gives_no_interval_rather_than_zero_width() -> None:
    from framing.agreement import NO_TP_INTERVAL_NOTE, agreement

    # three documents of two sentences. Frame a: coded 1 in d0/0, d0/1, d1/0, d1/1; predicted only in d2/0 and d2/1
    # (tp 0, fp 2, fn 4: F1 0, and 0 in every resample). Frame b: coded 1 in d0/0, d1/0, d2/0, predicted in d0/0
    # and d1/0 (tp 2, fn 1: F1 2*2/(2*2+1) = 0.8, an interval with width).
    units = [("d0", 0), ("d0", 1), ("d1", 0), ("d1", 1), ("d2", 0), ("d2", 1)]
    coded = pd.DataFrame(units, columns=["doc_id", "sent_id"]).assign(
        a=[1, 1, 1, 1, 0, 0], b=[1, 0, 1, 0, 1, 0], coder="ann")
    pred = pd.DataFrame(units, columns=["doc_id", "sent_id"]).assign(a=[0, 0, 0, 0, 1, 1], b=[1, 0, 1, 0, 0, 0])
    m = agreement(coded, pred, frames=["a", "b"], n_boot=200, random_state=1, cluster="doc_id").metrics
    m = m.set_index("frame")
    assert m.loc["a", "f1"] == 0.0 and np.isnan(m.loc["a", "f1_low"]) and np.isnan(m.loc["a", "f1_high"])
    assert m.loc["a", "ci_note"] == NO_TP_INTERVAL_NOTE
    assert m.loc["b", "f1"] == pytest.approx(0.8) and m.loc["b", "f1_low"] <= 0.8 <= m.loc["b", "f1_high"]
    # b's interval resamples the three documents: it is kept, and marked indicative
    assert m.loc["b", "ci_note"] == "interval over 3 documents: indicative only"
    assert m.loc["macro", "ci_note"] == "interval over 3 documents: indicative only"
    # without a bootstrap nothing is said about intervals
    assert (agreement(coded, pred, frames=["a", "b"]).metrics["ci_note"] == "").all()


def test_warn_few_positives_names_frame_count_and_sheet() -> None:
    from framing.agreement import MIN_CODED_POSITIVES, FewPositivesWarning, warn_few_positives

    assert MIN_CODED_POSITIVES == 10
    m = pd.DataFrame({"frame": ["a", "b", "c", "micro", "macro"], "reference": "ann", "support": [4, 10, 0, 14, 14]})
    with pytest.warns(FewPositivesWarning) as caught:
        messages = warn_few_positives(m, "s.csv")
    assert len(messages) == 2 == len(caught)  # b has ten: enough; micro and macro are no frames
    assert messages[0].startswith("s.csv: frame 'a' has only 4 coded positive(s) (fewer than 10)")
    assert messages[1].startswith("s.csv: frame 'c' has no coded positive")


def test_validate_score_prints_macro_f1_and_counts_coded_rows_only(own: tuple[Path, Path], tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import re

    corpus, _ = own
    sheet = write_sheet(tmp_path, corpus, "partly", not_coded=2)  # 16 rows, the first two marked not coded
    capsys.readouterr()
    assert main(["validate", "score", *corpus_args(corpus), "--coded", str(sheet), "--n-boot", "0",
                 "--out", str(tmp_path / "o")]) == 0
    captured = capsys.readouterr()
    line = next(x for x in captured.out.splitlines() if "coded row(s)" in x)
    assert "14 coded row(s) (2 row(s) marked not coded left out)" in line
    m = pd.read_csv(tmp_path / "o" / "metrics.csv").set_index("frame")
    printed = float(re.search(r"macro-F1 ([0-9.]+)", line).group(1))  # type: ignore[union-attr]
    # the macro is the mean of the three frames' F1 (all defined here), not the pooled micro figure
    assert printed == pytest.approx(m.loc[FRAMES, "f1"].mean(), abs=5e-4)
    assert f"micro-F1 {m.loc['micro', 'f1']:.3f}" in line
    # every frame has fewer than ten coded positives in 14 rows: one warning each, naming the sheet
    assert captured.err.count("coded positive(s) (fewer than 10)") == 3 and str(sheet) in captured.err


# --- 6. classifier and rule compared over the same frames -----------------------------------------------------


def test_train_compares_both_macros_over_the_frames_with_positives(own: tuple[Path, Path], tmp_path: Path) -> None:
    from framing.agreement import FewPositivesWarning, read_coding_sheets, train_frame_model
    from framing.corpus import load_corpus, process_corpus

    corpus, _ = own
    sheet = write_sheet(tmp_path, corpus, "no_political", frames=("individual", "systemic"))  # political all 0
    processed = process_corpus(load_corpus(corpus, id_col="id", genre_col="section"))
    coded = read_coding_sheets([sheet], corpus=processed)
    with pytest.warns(FewPositivesWarning, match=r"frame 'political' has no coded positive"):
        result = train_frame_model(processed, coded, n_boot=0)
    m = result.metrics
    for method in ("classifier", "rule"):
        rows = m[m["method"] == method].set_index("frame")
        assert rows.loc["macro", "f1"] == pytest.approx(rows.loc[["individual", "systemic"], "f1"].mean())
        assert "over the frames with coded positives (individual, systemic)" in rows.loc["macro", "note"]
        assert "no coded positive" in rows.loc["political", "note"]
        assert rows.loc["political", "support"] == 0
    # the rule labels the four political sentences political: F1 0 there, which must not pull its macro down
    rule = m[m["method"] == "rule"].set_index("frame")
    assert rule.loc["political", "predicted"] == 4 and rule.loc["political", "f1"] == 0.0


def test_validate_shares_warns_about_frames_with_few_coded_positives(own: tuple[Path, Path], tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from framing.agreement import coded_positives

    corpus, sheet = own
    assert main(["validate", "shares", *corpus_args(corpus), "--coded", str(sheet), "--n-boot", "0", "--quiet",
                 "--out", str(tmp_path / "s.csv")]) == 0
    err = capsys.readouterr().err
    # this file's codes: individual in n1/0, n2/0, n3/0, n4/0; systemic in the four sentence 1s and n4/3;
    # political in the four sentence 3s
    for frame, n in (("individual", 4), ("systemic", 5), ("political", 4)):
        assert f"frame '{frame}' has only {n} coded positive(s) (fewer than 10)" in err
    # two coders who split on a sentence: no majority, no positive
    codes = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "sent_id": [0, 0, 0, 0], "coder": ["x", "y", "x", "y"],
                          "individual": [1, 0, 1, 1]})
    assert coded_positives(codes, ["individual"])["support"].tolist() == [1]


def test_validate_devset_compares_every_method_over_the_frames_with_positives(own: tuple[Path, Path],
                                                                              tmp_path: Path) -> None:
    corpus, _ = own
    sheet = write_sheet(tmp_path, corpus, "no_political", frames=("individual", "systemic"))  # political all 0
    out = tmp_path / "v"
    assert main(["validate", "devset", "--coded", str(sheet), *learning_corpus_args(corpus), "--heldout", "",
                 "--n-boot", "20", "--out", str(out)]) == 0
    m = _metrics(out)
    groups = m.groupby(["scope", "method"], sort=False)
    assert set(groups.groups) == {("mycorpus", "rule"), ("mycorpus-LODO", "rule"), ("mycorpus-LODO", "classifier")}
    for _, rows in groups:
        rows = rows.set_index("frame")
        assert list(rows.index) == [*FRAMES, "micro", "macro"]
        assert rows.loc["macro", "f1"] == pytest.approx(rows.loc[["individual", "systemic"], "f1"].mean())
        assert "over the frames with coded positives (individual, systemic)" in rows.loc["macro", "note"]
        assert "no coded positive" in rows.loc["political", "note"] and rows.loc["political", "support"] == 0
        # micro pools the two frames' counts only
        assert rows.loc["micro", "tp"] == rows.loc["individual", "tp"] + rows.loc["systemic", "tp"]
    conf = pd.read_csv(out / "confusion.csv")
    assert conf.groupby(["scope", "method"]).size().eq(2 * len(FRAMES)).all()  # every frame's 2x2 table kept
