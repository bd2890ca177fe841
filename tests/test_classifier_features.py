"""Tests for framing._classifier_features and the FrameClassifier options it serves (issue 9's model selection).

``following`` (the next sentence's features), ``document`` (document totals or rates), ``words`` (hashed word
features) and ``threshold`` (a fixed or chosen probability threshold). Toy problems with the hand-made lexicons
of tests/test_classifier.py; every expected value is derived by hand from a stated rule or a small table.
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

from framing._classifier_data import _neighbour_row
from framing._classifier_features import WORD_FEATURES, document_block
from framing.classifier import THRESHOLD_GRID, FrameClassifier
from framing.errors import ParameterError
from tests.test_classifier import TEST, TRAIN, _by_word, _model, _table


def test_next_and_previous_rows_stay_in_the_paragraph_whatever_the_row_order() -> None:
    sents = pd.DataFrame({"doc_id": ["b", "a", "a", "b", "a"], "sent_id": [1, 2, 0, 0, 1],
                          "para_id": [0, 1, 0, 0, 0]})
    # by hand: a0 -> a1 (same paragraph), a1 -> none (a2 opens paragraph 1), a2 -> none; b0 -> b1, b1 -> none
    assert _neighbour_row(sents, 1).tolist() == [-1, -1, 4, 0, -1]
    assert _neighbour_row(sents, -1).tolist() == [3, -1, -1, -1, 2]
    with pytest.raises(ParameterError, match="step"):
        _neighbour_row(sents, 2)


def test_document_block_totals_and_rates_by_hand() -> None:
    raw = np.array([[1.0, 0.0], [2.0, 1.0], [0.0, 3.0]])
    docs = ["x", "y", "x"]
    # x: sums (1, 3) over 2 sentences; y: sums (2, 1) over 1 sentence
    totals = document_block(raw, docs, "totals")
    assert np.allclose(totals, np.log1p([[1, 3, 2], [2, 1, 1], [1, 3, 2]]))
    rates = document_block(raw, docs, "rates")
    assert np.allclose(rates, [[0.5, 1.5], [2.0, 1.0], [0.5, 1.5]])
    with pytest.raises(ParameterError, match="document"):
        document_block(raw, docs, "share")


# Stated rule: a sentence is alpha iff the NEXT sentence of its paragraph contains "apple". The positive
# "Pear." (before "The apple.") and the negative "Pear." (alone, or last) open their paragraphs alike, so
# nothing but the next sentence tells them apart.
NEXT_DOCS = {f"n{i}": [["Pear.", "The apple."], ["Plum.", "Fig.", "An apple."], ["Pear."], ["Kiwi.", "Pear."]]
             for i in range(4)}


def _next_apple(table: pd.DataFrame) -> pd.DataFrame:
    low = table["text"].str.lower().str.contains("apple")
    same = table["para_id"].eq(table["para_id"].shift(-1)) & table["doc_id"].eq(table["doc_id"].shift(-1))
    return pd.DataFrame({"alpha": (low.shift(-1, fill_value=False) & same).astype(int), "beta": 0})


def test_following_learns_from_the_next_sentence_and_names_it_in_the_evidence() -> None:
    X = _table(NEXT_DOCS)
    est = _model(following=True).fit(X, _next_apple(X))
    Xt = _table({"t": [["Kiwi.", "My apple."], ["Apple tart."], ["Pear."]]})
    assert est.predict(Xt)[:, 0].tolist() == [1, 0, 0, 0]
    assert _model().fit(X, _next_apple(X)).predict(Xt)[:, 0].tolist() != [1, 0, 0, 0]
    assert {"next:hit:alpha", "paragraph_end"} <= set(est.feature_names_)
    ev = est.evidence(Xt)
    assert list(zip(ev["sent_id"], ev["frame"], ev["source"], ev["entry"], strict=True)) == [
        (0, "alpha", "next", "apple")]
    assert est.label_table(Xt)["evidence"].tolist() == ["alpha: apple (next)", "", "", ""]


def test_document_features_are_the_same_on_every_sentence_of_a_document() -> None:
    X = _table({"a": [["The apple.", "Rain."], ["Blame the banana."]], "b": [["Rain."]]})
    for how, expected in (("totals", {"a": np.log1p([1, 1, 1, 3]), "b": np.log1p([0, 0, 0, 1])}),
                          ("rates", {"a": [1 / 3, 1 / 3, 1 / 3], "b": [0, 0, 0]})):
        est = _model(document=how).fit(X, _by_word(X))
        feats = est._featurize(X)
        cols = [i for i, n in enumerate(feats.names) if n.startswith("doc:") and ":rule:" not in n]
        # frame hits alpha, beta, cue fault (and, for totals, the number of sentences) by hand
        got = feats.matrix[:, cols]
        for row, doc in enumerate(X["doc_id"]):
            assert np.allclose(got[row], expected[doc]), (how, row)


def test_word_features_learn_a_word_no_lexicon_holds() -> None:
    # Stated rule: alpha iff the sentence has the word "mango" (in no lexicon). Each sentence is a paragraph and
    # a mango sentence has a lemon twin of the same length: no other feature tells them apart
    docs = {f"w{i}": [[f"A mango fell {i}."], [f"A lemon fell {i}."], ["The mango was ripe."], ["The lemon was ripe."]]
            for i in range(6)}
    X = _table(docs)
    y = pd.DataFrame({"alpha": X["text"].str.contains("mango").astype(int), "beta": 0})
    est = _model(words=1.0).fit(X, y)
    Xt = _table({"t": [["One mango."], ["One lemon."]]})
    assert est.predict(Xt)[:, 0].tolist() == [1, 0]
    without = _model().fit(X, y).frame_probabilities(Xt)[:, 0]
    assert without[0] == without[1]
    feats = est._featurize(Xt)
    assert feats.matrix.shape[1] == len(est.feature_names_) and sum(n.startswith("word:") for n in
                                                                    est.feature_names_) == WORD_FEATURES
    # each sentence's word block has unit length times the scale
    scaled = _model(words=0.3)._featurize(Xt).matrix[:, -WORD_FEATURES:]
    assert np.allclose(np.sqrt(scaled.multiply(scaled).sum(axis=1)).A.ravel(), [0.3, 0.3])


def test_predictions_use_each_frames_threshold() -> None:
    X = _table(TRAIN)
    est = _model(threshold=0.3).fit(X, _by_word(X))
    assert est.thresholds_.tolist() == [0.3, 0.3]
    Xt = _table(TEST)
    proba = est.frame_probabilities(Xt)
    assert np.array_equal(est.predict(Xt), (proba > 0.3).astype(int))
    est.thresholds_ = np.array([0.999, 0.001])
    assert np.array_equal(est.predict(Xt), np.column_stack([proba[:, 0] > 0.999, proba[:, 1] > 0.001]).astype(int))


def test_a_chosen_threshold_comes_from_the_grid_and_ties_go_to_one_half() -> None:
    # The stated rule separates the toy problem: every threshold of the grid gives F1 = 1 on held-out documents
    # (the learned probabilities are far from the grid's ends), so the tie goes to 0.5
    X = _table(TRAIN)
    est = _model(threshold="auto").fit(X, _by_word(X))
    assert est.get_params()["threshold"] == "auto"
    assert est.thresholds_.tolist() == [0.5, 0.5] and 0.5 in THRESHOLD_GRID


def test_c_from_a_given_list_of_values() -> None:
    X = _table(TRAIN)
    assert _model(C=[0.3]).fit(X, _by_word(X)).C_.tolist() == [0.3, 0.3]  # the only value offered
    chosen = _model(C=(3.0, 0.03)).fit(X, _by_word(X)).C_.tolist()
    assert set(chosen) <= {0.03, 3.0} and len(chosen) == 2
    # from the review: numpy numbers and arrays are numbers too (an array gave a bare ValueError, np.int64 refused)
    assert _model(C=np.array([0.3])).fit(X, _by_word(X)).C_.tolist() == [0.3, 0.3]
    assert _model(C=np.int64(2)).fit(X, _by_word(X)).C_.tolist() == [2.0, 2.0]
    chosen = _model(C=np.array([3.0, 0.03])).fit(X, _by_word(X)).C_.tolist()
    assert set(chosen) <= {0.03, 3.0} and len(chosen) == 2


@pytest.mark.parametrize("bad", [{"C": []}, {"C": [0.1, 0.0]}, {"C": ["x"]}, {"C": np.array([])},
                                 {"C": np.array([0.1, -1.0])}, {"C": True}, {"C": "x"},
                                 {"following": 1}, {"document": True}, {"document": "share"}, {"words": -1.0},
                                 {"words": True}, {"threshold": 1.0}, {"threshold": "low"}, {"threshold": 0}])
def test_bad_options_are_refused_by_name(bad: dict[str, object]) -> None:
    X = _table(TRAIN)
    with pytest.raises(ParameterError, match=next(iter(bad))):
        _model(**bad).fit(X, _by_word(X))


def test_a_model_pickled_before_the_options_labels_as_before() -> None:
    X = _table(TRAIN)
    model = _model().fit(X, _by_word(X))
    state = model.__getstate__()
    for key in ("thresholds_", "following", "document", "words", "threshold"):
        del state[key]  # as models pickled before these options
    old = FrameClassifier.__new__(FrameClassifier)
    old.__setstate__(state)
    assert (old.following, old.document, old.words, old.threshold) == (False, None, 0.0, 0.5)
    Xt = _table(TEST)
    assert np.array_equal(old.predict(Xt), (model.frame_probabilities(Xt) > 0.5).astype(int))
    assert np.array_equal(pickle.loads(pickle.dumps(old)).predict(Xt), old.predict(Xt))
