"""Tests for framing.compare: keyness statistics against values worked out by hand."""

from __future__ import annotations

import math
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from framing.compare import (
    FewDocumentsWarning,
    SingleGenreWarning,
    cluster_bootstrap_shares,
    doc_term_matrix,
    frame_share_differences,
    frame_share_intervals,
    keyness,
    keyness_by_genre,
    log_likelihood_g2,
    log_odds_dirichlet,
    log_ratio,
    top_keywords,
)
from framing.errors import ParameterError

LN2 = math.log(2)


def test_g2_by_hand() -> None:
    # word 1: a=10, b=5, c=100, d=200: E1 = 100*15/300 = 5, E2 = 200*15/300 = 10
    #   G2 = 2 [10 ln(10/5) + 5 ln(5/10)] = 2 [10 ln2 - 5 ln2] = 10 ln2 = 6.931472
    # word 2: a=0, b=10: E1 = 100*10/300 = 3.3333, E2 = 200*10/300 = 6.6667
    #   G2 = 2 [0 + 10 ln(10/6.6667)] = 20 ln(1.5) = 8.109302 (under-used: direction -1)
    # word 3: a=2, b=4: E1 = 100*6/300 = 2, E2 = 4: G2 = 0, rates equal: direction 0
    g2, direction = log_likelihood_g2([10, 0, 2], [5, 10, 4], 100, 200)
    assert g2 == pytest.approx([10 * LN2, 20 * math.log(1.5), 0.0], abs=1e-9)
    assert g2[0] == pytest.approx(6.931472, abs=1e-6)
    assert g2[1] == pytest.approx(8.109302, abs=1e-6)
    assert direction.tolist() == [1, -1, 0]


def test_g2_equal_totals_by_hand() -> None:
    # a=0, b=10, c=d=100: E1 = E2 = 5; G2 = 2 [0 + 10 ln(10/5)] = 20 ln2 = 13.862944
    g2, _ = log_likelihood_g2([0], [10], 100, 100)
    assert g2[0] == pytest.approx(13.862944, abs=1e-6)


def test_g2_rejects_empty_total() -> None:
    with pytest.raises(ParameterError, match="c=0"):
        log_likelihood_g2([0, 0], [1, 2])


def test_log_ratio_by_hand() -> None:
    # log2(((10 + 0.5)/100) / ((5 + 0.5)/200)) = log2(0.105 / 0.0275) = log2(3.818182) = 1.932886
    assert log_ratio([10], [5], 100, 200)[0] == pytest.approx(1.932886, abs=1e-6)


def test_log_odds_symmetric_by_hand() -> None:
    # y_i = [3, 1], y_j = [1, 3], alpha = [1, 1]: n_i = n_j = 4, alpha0 = 2
    # word 0: ln((3+1)/(4+2-3-1)) - ln((1+1)/(4+2-1-1)) = ln(4/2) - ln(2/4) = 2 ln2 = 1.386294
    #         var = 1/(3+1) + 1/(1+1) = 0.75; z = 1.386294 / sqrt(0.75) = 1.600754
    delta, var, z = log_odds_dirichlet([3, 1], [1, 3], [1, 1])
    assert delta == pytest.approx([2 * LN2, -2 * LN2])
    assert var == pytest.approx([0.75, 0.75])
    assert z[0] == pytest.approx(1.600754, abs=1e-6)
    assert z[1] == pytest.approx(-1.600754, abs=1e-6)


def test_log_odds_asymmetric_by_hand() -> None:
    # y_i = [5, 0, 5] (n_i = 10), y_j = [2, 6, 2] (n_j = 10), alpha = [0.5, 0.5, 1] (alpha0 = 2)
    # word 0: ln(5.5 / (10+2-5-0.5)) - ln(2.5 / (10+2-2-0.5)) = ln(5.5/6.5) - ln(2.5/9.5)
    #       = -0.167054 - (-1.335001) = 1.167947; var = 1/5.5 + 1/2.5 = 0.581818; z = 1.167947 / 0.762770 = 1.531191
    # word 1: ln(0.5 / 11.5) - ln(6.5 / 5.5) = -3.135494 - 0.167054 = -3.302548
    #       var = 1/0.5 + 1/6.5 = 2.153846; z = -3.302548 / 1.467599 = -2.250307
    delta, var, z = log_odds_dirichlet([5, 0, 5], [2, 6, 2], [0.5, 0.5, 1])
    assert delta[0] == pytest.approx(1.167947, abs=1e-6)
    assert var[0] == pytest.approx(0.581818, abs=1e-6)
    assert z[0] == pytest.approx(1.531191, abs=1e-6)
    assert delta[1] == pytest.approx(-3.302548, abs=1e-6)
    assert z[1] == pytest.approx(-2.250307, abs=1e-6)


def test_log_odds_rejects_zero_prior() -> None:
    with pytest.raises(ParameterError, match="alpha"):
        log_odds_dirichlet([1, 2], [2, 1], [1, 0])


def test_keyness_prior_from_background_counts() -> None:
    # alpha0=None: alpha = background counts a + b = [4, 4]; y_i = [3, 1], y_j = [1, 3]
    # word "x": ln((3+4)/(4+8-3-4)) - ln((1+4)/(4+8-1-4)) = ln(7/5) - ln(5/7) = 2 ln(1.4) = 0.672944
    #           var = 1/7 + 1/5 = 0.342857; z = 0.672944 / 0.585540 = 1.149272
    t = keyness(np.array([3, 1]), np.array([1, 3]), ["x", "y"], alpha0=None, min_count=1)
    row = t.set_index("term").loc["x"]
    assert row["log_odds"] == pytest.approx(0.672944, abs=1e-6)
    assert row["z"] == pytest.approx(1.149272, abs=1e-6)
    assert t["term"].tolist() == ["x", "y"]  # sorted by z descending


def test_keyness_scaled_prior_and_min_count() -> None:
    # alpha0 = 2 spread by background [4, 4] -> alpha = [1, 1]: the symmetric case above (z = 1.600754)
    t = keyness(np.array([3, 1, 1]), np.array([1, 3, 0]), ["x", "y", "rare"], alpha0=2 * 9 / 8, min_count=2)
    assert "rare" not in set(t["term"])  # seen once in total < min_count 2
    # with the rare word's background 1 the prior is alpha0 * [4, 4, 1] / 9 = [1, 1, 0.25]
    x = t.set_index("term").loc["x"]
    assert x["per_1000_target"] == pytest.approx(1000 * 3 / 5)
    assert x["count_reference"] == 1
    delta = math.log(4 / (5 + 2.25 - 4)) - math.log(2 / (4 + 2.25 - 2))
    assert x["log_odds"] == pytest.approx(delta)


def test_keyness_rejects_empty_reference() -> None:
    with pytest.raises(ParameterError, match="'rest'"):
        keyness(np.array([1, 2]), np.array([0, 0]), ["a", "b"], reference="rest")


def test_doc_term_matrix_normalises_apostrophes() -> None:
    X, vocab = doc_term_matrix(["Children’s services, children's.", "Services"])
    assert vocab.tolist() == ["children's", "services"]
    assert X.toarray().tolist() == [[2, 1], [0, 1]]


def _corpus(genres: list[str], texts: list[str]) -> SimpleNamespace:
    ids = [f"d{i}" for i in range(len(texts))]
    return SimpleNamespace(
        name="toy",
        documents=pd.DataFrame({"doc_id": ids, "genre": genres}),
        sentences=pd.DataFrame({"doc_id": ids, "sent_id": 0, "text": texts}),
    )


def test_keyness_by_genre_by_hand() -> None:
    # A: blame blame council -> [blame 2, council 1, report 0], c = 3
    # B: council council report -> [0, 2, 1], d = 3
    # "blame" for A vs rest: E1 = E2 = 3*2/6 = 1; G2 = 2 [2 ln(2/1) + 0] = 4 ln2 = 2.772589
    corpus = _corpus(["A", "B"], ["Blame blame council.", "Council council report."])
    t = keyness_by_genre(corpus, min_count=1, pairwise=True)
    a = t[(t["target"] == "A") & (t["reference"] == "rest")].set_index("term")
    assert a.loc["blame", "g2"] == pytest.approx(4 * LN2)
    assert a.loc["blame", "direction"] == 1
    assert set(t["reference"]) == {"rest", "B"}
    top = top_keywords(t, n=1)
    assert top.set_index("target").loc["A", "term"] == "blame"
    assert top.set_index("target").loc["B", "term"] in {"council", "report"}


def test_keyness_single_genre_warns_and_returns_empty() -> None:
    corpus = _corpus(["news", "news"], ["a b c", "b c d"])
    with pytest.warns(SingleGenreWarning, match="'news'"):
        t = keyness_by_genre(corpus)
    assert t.empty and "g2" in t.columns


def test_keyness_by_genre_unknown_genre() -> None:
    with pytest.raises(ParameterError, match="opinion"):
        keyness_by_genre(_corpus(["A", "B"], ["a", "b"]), genres=["A", "opinion"])


def _frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    # genre X: d1 has 2 sentences (1 individual), d2 has 3 sentences (0 individual): share 1/5 = 0.2
    # genre Y: d3 has 2 sentences, both individual: share 1.0
    frames = pd.DataFrame({
        "doc_id": ["d1", "d1", "d2", "d2", "d2", "d3", "d3"],
        "individual": [1, 0, 0, 0, 0, 2, 1],
        "systemic": [0, 0, 1, 0, 0, 0, 0],
        "political": [0, 0, 0, 0, 0, 0, 0],
    })
    docs = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "genre": ["X", "X", "Y"]})
    return frames, docs


def test_cluster_bootstrap_values_are_resample_ratios() -> None:
    # two documents: (1 of 2) and (0 of 3). Resamples {d1,d1}: 2/4 = 0.5; {d1,d2}: 1/5 = 0.2; {d2,d2}: 0
    boot = cluster_bootstrap_shares(np.array([[1], [0]]), np.array([2, 3]), n_boot=400, random_state=1)
    assert set(np.round(boot[:, 0], 6)) <= {0.5, 0.2, 0.0}
    assert len(set(np.round(boot[:, 0], 6))) == 3
    again = cluster_bootstrap_shares(np.array([[1], [0]]), np.array([2, 3]), n_boot=400, random_state=1)
    assert np.array_equal(boot, again)


def test_frame_share_intervals_descriptive_below_min_docs() -> None:
    frames, docs = _frames()
    with pytest.warns(FewDocumentsWarning, match="'Y' has 1 document"):
        t = frame_share_intervals(frames, docs, n_boot=50, min_docs=2)
    x = t[(t["genre"] == "X") & (t["frame"] == "individual")].iloc[0]
    assert x["share"] == pytest.approx(0.2) and x["method"] == "cluster bootstrap"
    assert 0.0 <= x["lo"] <= 0.2 <= x["hi"] <= 0.5
    y = t[(t["genre"] == "Y") & (t["frame"] == "individual")].iloc[0]
    assert y["share"] == 1.0 and y["method"] == "descriptive" and np.isnan(y["lo"])


def test_frame_share_differences_point_estimate() -> None:
    frames, docs = _frames()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FewDocumentsWarning)
        d = frame_share_differences(frames, docs, n_boot=50, min_docs=2)
    row = d[d["frame"] == "individual"].iloc[0]
    # X - Y = 0.2 - 1.0 = -0.8; Y has one document: no interval
    assert (row["genre_a"], row["genre_b"]) == ("X", "Y")
    assert row["diff"] == pytest.approx(-0.8)
    assert row["method"] == "descriptive" and np.isnan(row["hi"])


def test_frame_shares_missing_column() -> None:
    frames, docs = _frames()
    with pytest.raises(ParameterError, match="political"):
        frame_share_intervals(frames.drop(columns="political"), docs)


def test_warnings_name_the_grouping_as_the_user_named_it() -> None:
    frames, docs = _frames()
    with pytest.warns(FewDocumentsWarning, match=r"^outlet 'Y' has 1 document\(s\)"):
        frame_share_intervals(frames, docs, n_boot=20, min_docs=2, group_label="outlet")
    with pytest.warns(FewDocumentsWarning, match=r"^genre 'Y' has 1 document\(s\)"):  # the default
        frame_share_intervals(frames, docs, n_boot=20, min_docs=2)
    one = docs.assign(genre="X")
    with pytest.warns(SingleGenreWarning, match=r"^one period only \('X'\)"):
        frame_share_differences(frames, one, n_boot=20, group_label="period")
    with pytest.warns(SingleGenreWarning, match="has one category only .* needs at least two categories;"):
        keyness_by_genre(_corpus(["news", "news"], ["a b c", "b c d"]), group_label="category")
