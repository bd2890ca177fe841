"""Tests for framing.classifier: the FrameClassifier estimator, document-grouped CV and model files.

The toy problems use two tiny hand-made lexicons (frames ``alpha``: "apple", ``beta``: "banana"; cue
``fault``: "blame*"), so they do not depend on the shipped lexicons, which change as the instrument improves.
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from framing.classifier import (
    FrameClassifier,
    document_folds,
    load_model,
    out_of_fold_labels,
    read_model_header,
    save_model,
)
from framing.errors import ModelError, ParameterError
from framing.lexicon import Entry, Lexicon, entry_kind

FRAMES_LEX = Lexicon("toy_frames", "1", ("alpha", "beta"),
                     (Entry("apple", "alpha", entry_kind("apple")), Entry("banana", "beta", entry_kind("banana"))))
CUES_LEX = Lexicon("toy_cues", "1", ("fault",), (Entry("blame*", "fault", entry_kind("blame*")),))


def _table(docs: dict[str, list[list[str]]]) -> pd.DataFrame:
    """A sentences table from {doc_id: [paragraph [sentence, ...], ...]} with offsets of a text joined by
    single spaces within paragraphs and blank lines between them."""
    rows = []
    for doc_id, paras in docs.items():
        pos, sent_id = 0, 0
        for para_id, para in enumerate(paras):
            for s in para:
                rows.append({"doc_id": doc_id, "sent_id": sent_id, "para_id": para_id, "start": pos,
                             "end": pos + len(s), "text": s})
                pos += len(s) + 1
                sent_id += 1
            pos += 1
    return pd.DataFrame(rows)


# Stated rule of the first toy problem: a sentence is ``alpha`` iff it contains the word "apple", ``beta`` iff it
# contains "banana" -- with or without a blame cue (so the cue_sentence rule misses the cue-less ones).
TRAIN = {
    f"d{i}": [[f"The apple fell {i}.", "Nothing here at all today.", f"A banana rotted {i}.", "Blame the weather."],
              ["The apple and the banana were blamed.", "Quiet day.", "A banana and a pear in a long bowl.",
               "Apple."]]
    for i in range(12)
}
TEST = {"t0": [["Banana bread.", "An apple a day.", "Rain again."]], "t1": [["Blame the rain.", "Apple, banana."]]}


def _by_word(table: pd.DataFrame) -> pd.DataFrame:
    low = table["text"].str.lower()
    return pd.DataFrame({"alpha": low.str.contains("apple").astype(int),
                         "beta": low.str.contains("banana").astype(int)})


def _model(**kw: object) -> FrameClassifier:
    kw.setdefault("C", 1.0)  # a fixed C: the toy problems test learning, not the choice of C
    return FrameClassifier(FRAMES_LEX, CUES_LEX, rule_params={"rule": "cue_sentence"}, **kw)  # type: ignore[arg-type]


def test_parameters_unchanged_by_fit_and_clone() -> None:
    est = _model(C=0.5, seed=7)
    before = est.get_params()
    X = _table(TRAIN)
    est.fit(X, _by_word(X))
    assert est.get_params() == before
    twin = clone(est)
    assert twin.get_params() == before
    assert not hasattr(twin, "estimators_")
    assert est.frames_ == ["alpha", "beta"]


def test_learns_stated_rule_and_pickles() -> None:
    X = _table(TRAIN)
    est = _model().fit(X, _by_word(X))
    Xt = _table(TEST)
    # by the stated rule: t0 = banana, apple, nothing; t1 = nothing, both
    expected = np.array([[0, 1], [1, 0], [0, 0], [0, 0], [1, 1]])
    assert np.array_equal(est.predict(Xt), expected)
    proba = est.frame_probabilities(Xt)
    assert proba.shape == (5, 2) and ((proba > 0.5) == expected.astype(bool)).all()
    assert ((est.decision_function(Xt) > 0) == expected.astype(bool)).all()
    again = pickle.loads(pickle.dumps(est))
    assert np.array_equal(again.frame_probabilities(Xt), proba)


def test_context_feature_uses_previous_sentence_of_paragraph() -> None:
    # Stated rule: a sentence is alpha iff the previous sentence of its paragraph contains "apple".
    # Each sentence with "apple" is the last of a paragraph or followed by a plain one; "Pear." never has apple.
    docs = {f"c{i}": [["The apple.", "Pear.", "Plum."], ["Fig.", "An apple.", "Pear."], ["Apple tart."],
                      ["Pear.", "Kiwi."]] for i in range(3)}
    X = _table(docs)
    low = X["text"].str.lower().str.contains("apple")
    prev_apple = low.shift(1, fill_value=False) & X["para_id"].eq(X["para_id"].shift(1)) & X["doc_id"].eq(
        X["doc_id"].shift(1))
    y = pd.DataFrame({"alpha": prev_apple.astype(int), "beta": 0})
    est = _model().fit(X, y)
    # "Pear." after "Apple tart." would be alpha if paragraphs were ignored: here it opens a new paragraph
    Xt = _table({"n": [["Apple tart."], ["Pear.", "Plum."], ["My apple.", "Pear."]]})
    assert est.predict(Xt)[:, 0].tolist() == [0, 0, 0, 0, 1]
    no_ctx = _model(context=False).fit(X, y)
    assert no_ctx.predict(Xt)[:, 0].tolist() != [0, 0, 0, 0, 1]


def test_auto_c_is_chosen_from_the_grid_per_frame() -> None:
    from framing.classifier import C_GRID

    X = _table({k: v for k, v in TRAIN.items() if k in ("d0", "d1", "d2", "d3")})
    est = _model(C="auto").fit(X, _by_word(X))
    assert est.get_params()["C"] == "auto"
    assert len(est.C_) == 2 and set(est.C_.tolist()) <= set(C_GRID)
    fixed = _model(C=0.3).fit(X, _by_word(X))
    assert fixed.C_.tolist() == [0.3, 0.3]


def test_learns_persons_without_lexicon_hits() -> None:
    # Stated rule: alpha iff the sentence names a person by honorific + name ("Ms Reed", "Dr Khan"); no sentence
    # has a lexicon hit, so only the case-independent surface features can carry the label.
    people = ["Ms Reed", "Dr Khan", "Mr Osei", "Sir John", "Mrs Dale", "Lord Hale"]
    docs = {f"p{i}": [[f"{people[i % 6]} left early.", "The rain kept on.", f"Then {people[(i + 1) % 6]} spoke.",
                       "Roads were closed."]] for i in range(8)}
    X = _table(docs)
    y = pd.DataFrame({"alpha": X["text"].str.contains(r"(?:Ms|Dr|Mr|Sir|Mrs|Lord) [A-Z]").astype(int), "beta": 0})
    est = _model().fit(X, y)
    Xt = _table({"q": [["Dr Patel resigned.", "Snow fell all day.", "Ms Grey was told."]]})
    assert est.predict(Xt)[:, 0].tolist() == [1, 0, 1]


def test_missing_codes_are_context_only() -> None:
    X = _table(TRAIN)
    y = _by_word(X).astype(float)
    y.loc[0:3, "alpha"] = np.nan
    est = _model().fit(X, y)
    assert est.n_train_.tolist() == [len(X) - 4, len(X)]


def test_evidence_lists_hits_behind_labels() -> None:
    X = _table(TRAIN)
    est = _model().fit(X, _by_word(X))
    Xt = _table({"e": [["Blame the apple.", "Rain."]]})
    ev = est.evidence(Xt)
    # sentence 0 is alpha: its alpha hit "apple" and its cue "blame*"; nothing for sentence 1 (no label)
    got = sorted(zip(ev["sent_id"], ev["frame"], ev["source"], ev["entry"], strict=True))
    assert got == [(0, "alpha", "sentence", "apple"), (0, "alpha", "sentence", "blame*")]
    text = Xt["text"].iloc[0]
    row = ev[ev["entry"] == "apple"].iloc[0]
    assert text[int(row["start"]):int(row["end"])].lower() == "apple"
    table = est.label_table(Xt)
    assert table["evidence"].tolist() == ["alpha: blame*, apple", ""]  # entries in text order
    assert table[["alpha", "beta"]].to_numpy().tolist() == [[1, 0], [0, 0]]
    assert {"n_alpha", "p_alpha", "start", "end", "text"} <= set(table.columns)


@pytest.mark.parametrize("bad", [{"C": -1.0}, {"C": "big"}, {"seed": "x"}, {"context": "yes"},
                                 {"class_weight": "auto"}])
def test_bad_parameters_are_refused_in_fit(bad: dict[str, object]) -> None:
    X = _table(TRAIN)
    est = _model(**bad)
    with pytest.raises(ParameterError, match=next(iter(bad))):
        est.fit(X, _by_word(X))


def test_bad_labels() -> None:
    X = _table(TRAIN)
    with pytest.raises(ParameterError, match="frame column"):
        _model().fit(X, pd.DataFrame({"alpha": np.zeros(len(X))}))
    with pytest.raises(ParameterError, match="0, 1 or missing"):
        _model().fit(X, np.full((len(X), 2), 2.0))


def test_document_folds_never_share_a_document() -> None:
    groups = np.array(["a", "a", "b", "c", "c", "c", "d", "b"])
    lodo = document_folds(groups)
    assert len(lodo) == 4
    for train, test in lodo:
        assert set(groups[train]).isdisjoint(groups[test])
        assert len(set(groups[test])) == 1
        assert sorted(np.r_[train, test].tolist()) == list(range(len(groups)))
    for train, test in document_folds(groups, n_splits=2):
        assert set(groups[train]).isdisjoint(groups[test])
    with pytest.raises(ParameterError, match="n_splits"):
        document_folds(groups, n_splits=5)
    with pytest.raises(ParameterError, match="two documents"):
        document_folds(["a", "a"])


def test_out_of_fold_labels_hold_out_whole_documents() -> None:
    X = _table({**TRAIN, **TEST})
    y = _by_word(X)
    oof = out_of_fold_labels(_model(), X, y)
    assert oof[["doc_id", "sent_id"]].to_numpy().tolist() == X[["doc_id", "sent_id"]].to_numpy().tolist()
    folds_per_doc = oof.groupby("doc_id")["fold"].nunique()
    assert (folds_per_doc == 1).all() and oof["fold"].nunique() == X["doc_id"].nunique()
    # only the two test documents may be held out; the training documents are always trained on
    some = out_of_fold_labels(_model(), X, y, evaluate=X["doc_id"].isin(["t0", "t1"]).to_numpy())
    assert set(some["doc_id"]) == {"t0", "t1"}
    assert some[["alpha", "beta"]].to_numpy().tolist() == [[0, 1], [1, 0], [0, 0], [0, 0], [1, 1]]


# --- model files -------------------------------------------------------------------------------------


@pytest.fixture()
def saved(tmp_path: Path) -> tuple[Path, FrameClassifier]:
    X = _table(TRAIN)
    est = _model().fit(X, _by_word(X))
    path = save_model(est, tmp_path / "m.pkl", provenance={"training_files": [{"path": "x.csv", "sha256": "0"}]})
    return path, est


def test_model_roundtrip(saved: tuple[Path, FrameClassifier]) -> None:
    path, est = saved
    model, info = load_model(path, frames=["alpha", "beta"])
    Xt = _table(TEST)
    assert np.array_equal(model.frame_probabilities(Xt), est.frame_probabilities(Xt))
    assert info["frames"] == ["alpha", "beta"] and info["training_files"][0]["path"] == "x.csv"
    assert "model" not in info and {"framing_version", "sklearn_version", "created", "lexicons"} <= set(info)
    # the header holds built-in data only (lexicon objects as their repr), so it reads without unpickling code
    assert info["params"]["rule_params"] == {"rule": "cue_sentence"}
    assert info["params"]["lexicon"].startswith("Lexicon(name='toy_frames'")


def test_model_file_is_reproducible_under_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    X = _table(TRAIN)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1228089600")  # 2008-12-01T00:00:00Z
    a = save_model(_model().fit(X, _by_word(X)), tmp_path / "a.pkl")
    b = save_model(_model().fit(X, _by_word(X)), tmp_path / "b.pkl")
    assert a.read_bytes() == b.read_bytes()
    assert read_model_header(a)["created"] == "2008-12-01T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(ParameterError, match=r"SOURCE_DATE_EPOCH.*'yesterday'"):
        save_model(_model().fit(X, _by_word(X)), tmp_path / "c.pkl")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999999999")
    with pytest.raises(ParameterError, match="out of range"):
        save_model(_model().fit(X, _by_word(X)), tmp_path / "c.pkl")
    assert not (tmp_path / "c.pkl").exists()


def _rewrite(path: Path, **changes: object) -> None:
    header = pickle.loads(path.read_bytes())
    header.update(changes)
    path.write_bytes(pickle.dumps(header))


@pytest.mark.parametrize("key,value", [("framing_version", "0.0.1"), ("sklearn_version", "0.1"),
                                       ("format_version", 99)])
def test_model_from_other_version(saved: tuple[Path, FrameClassifier], key: str, value: object) -> None:
    path, _ = saved
    _rewrite(path, **{key: value})
    with pytest.raises(ModelError, match=rf"m\.pkl: key '{key}'"):
        load_model(path)


def test_model_for_other_frames_or_lexicons(saved: tuple[Path, FrameClassifier]) -> None:
    path, _ = saved
    with pytest.raises(ModelError, match=r"m\.pkl: key 'frames'"):
        load_model(path, frames=["individual", "systemic", "political"])
    _rewrite(path, lexicons={"lexicon": "0" * 64, "cues": "0" * 64})
    with pytest.raises(ModelError, match=r"key 'lexicons'"):
        load_model(path)
    assert load_model(path, check_lexicons=False)[0].frames_ == ["alpha", "beta"]


def test_garbage_and_foreign_files(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.pkl"
    garbage.write_bytes(b"\x00 definitely not a model")
    with pytest.raises(ModelError, match=r"garbage\.pkl: not a framing model file"):
        load_model(garbage)
    foreign = tmp_path / "foreign.pkl"
    foreign.write_bytes(pickle.dumps(["a", "list"]))
    with pytest.raises(ModelError, match=r"foreign\.pkl: not a framing model file \(key 'format'"):
        load_model(foreign)
    estimator_only = tmp_path / "bare.pkl"  # a pickled estimator is refused without being unpickled
    estimator_only.write_bytes(pickle.dumps(_model()))
    with pytest.raises(ModelError, match=r"bare\.pkl: not a framing model file"):
        load_model(estimator_only)
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "missing.pkl")
    incomplete = tmp_path / "incomplete.pkl"
    incomplete.write_bytes(pickle.dumps({"format": "framing-frame-model"}))
    with pytest.raises(ModelError, match="lacks key"):
        load_model(incomplete)


# --- lexicons changed after fit (also without a model file), score ------------------------------------


def _fit_on_file(tmp_path: Path) -> tuple[Path, FrameClassifier]:
    from framing.lexicon import save_lexicon

    path = tmp_path / "frames.yaml"
    save_lexicon(FRAMES_LEX, path)
    X = _table(TRAIN)
    return path, FrameClassifier(str(path), CUES_LEX, C=1.0, rule_params={"rule": "cue_sentence"}).fit(X, _by_word(X))


def test_unpickled_model_refuses_a_changed_lexicon(tmp_path: Path) -> None:
    from framing.lexicon import save_lexicon

    path, est = _fit_on_file(tmp_path)
    blob = pickle.dumps(est)
    Xt = _table(TEST)
    assert pickle.loads(blob).predict(Xt).shape == (5, 2)  # unchanged lexicon: fine
    save_lexicon(Lexicon("toy_frames", "2", ("alpha", "beta"), (Entry("pear", "alpha", entry_kind("pear")),
                                                                 Entry("banana", "beta", entry_kind("banana")))), path)
    for use in ("predict", "predict_proba", "decision_function", "label_table", "evidence"):
        model = pickle.loads(blob)
        with pytest.raises(ModelError, match=rf"frame lexicon '{path}' \(parameter lexicon\) changed since"):
            getattr(model, use)(Xt)


def test_lexicon_check_costs_once_per_object(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import framing.classifier as clf

    _, est = _fit_on_file(tmp_path)
    model = pickle.loads(pickle.dumps(est))
    calls: list[object] = []
    real = clf.lexicon_fingerprint
    monkeypatch.setattr(clf, "lexicon_fingerprint", lambda lex: calls.append(lex) or real(lex))
    Xt = _table(TEST)
    model.predict(Xt)
    assert len(calls) == 2  # frame and cue lexicon, once
    model.predict_proba(Xt)
    model.label_table(Xt)
    assert len(calls) == 2
    pickle.loads(pickle.dumps(model)).predict(Xt)  # a new object checks again
    assert len(calls) == 4


def test_load_model_names_the_changed_lexicon(saved: tuple[Path, FrameClassifier]) -> None:
    path, _ = saved
    _rewrite(path, lexicons={"lexicon": "0" * 64, "cues": "0" * 64})
    with pytest.raises(ModelError) as err:
        load_model(path)
    msg = str(err.value)
    assert "the frame lexicon 'toy_frames' (parameter lexicon)" in msg
    assert "the cue lexicon 'toy_cues' (parameter cues)" in msg
    assert "lexicon lexicon" not in msg
    # check_lexicons=False skips the check on first use too
    model, _ = load_model(path, check_lexicons=False)
    assert model.predict(_table(TEST)).shape == (5, 2)


def test_macro_f1_by_hand() -> None:
    from framing.classifier import macro_f1

    nan = np.nan
    codes = np.array([[1, 0, 0], [0, nan, 0], [1, 1, nan], [nan, 0, 0]])
    pred = np.array([[1, 0, 0], [1, 1, 0], [0, 1, 1], [1, 1, 0]])
    # frame 0, rows 0-2: truth 1 0 1, pred 1 1 0 -> TP 1 FP 1 FN 1 -> 2/4 = 0.5
    # frame 1, rows 0 2 3: truth 0 1 0, pred 0 1 1 -> TP 1 FP 1 FN 0 -> 2/3
    # frame 2, rows 0 1 3: no positive coded or predicted (row 2's 1 is uncoded) -> no F1, left out
    assert macro_f1(codes, pred) == pytest.approx((0.5 + 2 / 3) / 2)
    assert macro_f1(np.zeros((2, 2)), np.zeros((2, 2), dtype=int)) == 1.0


def test_score_is_macro_f1_over_coded_cells_and_works_in_model_selection() -> None:
    from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score

    X = _table(TRAIN)
    y = _by_word(X).astype(float)
    y.iloc[::3, 0] = np.nan
    y.iloc[1::4, 1] = np.nan
    est = _model().fit(X, y)
    # the toy rule is learned exactly (test_learns_stated_rule_and_pickles), so every coded cell is right
    assert est.score(X, y) == pytest.approx(1.0)
    wrong = y.copy()
    wrong["alpha"] = 1 - wrong["alpha"]  # alpha: TP 0 -> F1 0; beta: 1 -> macro 0.5
    assert est.score(X, wrong) == pytest.approx(0.5)
    scores = cross_val_score(_model(), X, y, groups=X["doc_id"], cv=GroupKFold(3))
    assert scores.shape == (3,) and np.isfinite(scores).all() and (scores > 0.9).all()
    grid = GridSearchCV(_model(), {"C": [0.1, 1.0]}, cv=GroupKFold(3)).fit(X, y, groups=X["doc_id"])
    assert grid.best_params_["C"] in (0.1, 1.0) and np.isfinite(grid.best_score_)


@pytest.mark.parametrize(("categories", "bad"), [
    (("individual", "evidence"), "'evidence' would be an identifier column of the label table"),
    (("govt", "p_govt"), "'p_govt' would be the p_<category> column of category 'govt' of the label table"),
    (("text",), "'text' would be an identifier column"),
])
def test_fit_refuses_category_names_that_are_label_table_columns(categories: tuple[str, ...], bad: str) -> None:
    from framing.errors import LexiconError

    lex = Lexicon("clash", "1", categories, tuple(Entry("minister", c, "word") for c in categories))
    sents = pd.DataFrame({"doc_id": ["a", "a"], "sent_id": [0, 1], "start": [0, 20], "end": [19, 30],
                          "text": ["The minister failed.", "Fine."]})
    y = pd.DataFrame({c: [1, 0] for c in categories})
    with pytest.raises(LexiconError, match=rf"^clash: .*{re.escape(bad)}"):
        FrameClassifier(lexicon=lex, cues=None).fit(sents, y)


def test_a_model_pickled_before_the_multi_output_layout_gets_classes_per_frame() -> None:
    model = _model().fit(_table(TRAIN), _by_word(_table(TRAIN)))
    state = model.__getstate__()
    state["classes_"] = np.array([0, 1])  # as models pickled before it kept one array for all frames
    del state["frames"]  # ... and before the frames parameter
    old = FrameClassifier.__new__(FrameClassifier)
    old.__setstate__(state)
    assert [c.tolist() for c in old.classes_] == [[0, 1], [0, 1]] and old.frames is None
    assert [p.shape for p in old.predict_proba(_table(TEST))] == [(5, 2), (5, 2)]
