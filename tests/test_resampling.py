"""The shared resampling pieces (framing.resampling), checked on hand-computable cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing import resampling as rs
from framing.errors import ParameterError


def test_percentile_interval_of_a_known_array() -> None:
    # 0..100: the q-quantile (linear interpolation) of 0..100 is 100 q, so the 90% interval is (5, 95)
    lo, hi = rs.percentile_interval(np.arange(101.0), 0.90)
    assert lo == pytest.approx(5.0)
    assert hi == pytest.approx(95.0)


def test_percentile_interval_per_column_and_nan() -> None:
    reps = np.column_stack([np.arange(11.0), 10 * np.arange(11.0), np.full(11, np.nan)])
    reps[0, 0] = np.nan  # column 0 is then 1..10 when NaN is skipped
    lo, hi = rs.percentile_interval(reps, 0.5, skip_nan=True)
    # column 0: 1..10, quantile q at position q*9 -> 0.25 -> 1 + 2.25 = 3.25, 0.75 -> 1 + 6.75 = 7.75
    assert lo[0] == pytest.approx(3.25) and hi[0] == pytest.approx(7.75)
    # column 1: 0, 10, ..., 100 -> 25 and 75
    assert lo[1] == pytest.approx(25.0) and hi[1] == pytest.approx(75.0)
    # a column without any replicate gives NaN (and no warning)
    assert np.isnan(lo[2]) and np.isnan(hi[2])


def test_percentile_bounds() -> None:
    assert rs.percentile_bounds(0.95) == pytest.approx([0.025, 0.975])


@pytest.mark.parametrize("n, n_boot", [(1, 3), (7, 50), (30, 200)])
def test_multinomial_weights_sum_to_n(n: int, n_boot: int) -> None:
    w = rs.multinomial_weights(rs.generator(4), n, n_boot)
    assert w.shape == (n_boot, n)
    assert (w.sum(axis=1) == n).all()
    assert (w >= 0).all()


def test_index_weights_count_each_unit() -> None:
    idx = np.array([[0, 0, 2], [1, 2, 2]])
    assert rs.index_weights(idx, 4).tolist() == [[2, 0, 1, 0], [0, 1, 2, 0]]


def test_resample_indices_shape_range_and_weights_sum() -> None:
    idx = rs.resample_indices(rs.generator(1), 9, 40)
    assert idx.shape == (40, 9)
    assert idx.min() >= 0 and idx.max() <= 8
    assert (rs.index_weights(idx, 9).sum(axis=1) == 9).all()


def test_same_seed_same_draws_other_seed_other_draws() -> None:
    def draws(seed: int) -> tuple[np.ndarray, ...]:
        rng = rs.generator(seed)
        return (rs.resample_indices(rng, 12, 20), rs.multinomial_weights(rng, 12, 20),
                rs.sentence_draws(rng, np.array([5, 10]), np.array([0.2, 0.5]), size=(20, 2)))

    a, b, c = draws(20081201), draws(20081201), draws(1)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)
    assert not all(np.array_equal(x, z) for x, z in zip(a, c, strict=True))


def test_sentence_draws_bounds() -> None:
    rng = rs.generator(0)
    n = np.array([0, 4, 10])
    d = rs.sentence_draws(rng, n, np.array([0.5, 0.0, 1.0]), size=(100, 3))
    assert (d[:, 0] == 0).all()  # a document without sentences has no frame sentence
    assert (d[:, 1] == 0).all()  # share 0: never
    assert (d[:, 2] == 10).all()  # share 1: every drawn sentence


def test_ratio_of_sums_nan_where_no_denominator() -> None:
    out = rs.ratio_of_sums(np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([4.0, 0.0]))
    assert out[0].tolist() == [0.25, 0.5]
    assert np.isnan(out[1]).all()


@pytest.mark.parametrize("bad", [0, -1, 2.5, "10", True, None])
def test_bad_n_boot_names_the_parameter(bad: object) -> None:
    with pytest.raises(ParameterError, match=r"n_boot must be an integer >= 1"):
        rs.check_n_boot(bad)


@pytest.mark.parametrize("bad", ["a", -1, 2.5, True, [1, 2]])
def test_bad_random_state_names_the_parameter(bad: object) -> None:
    with pytest.raises(ParameterError, match=r"random_state must be a non-negative integer"):
        rs.generator(bad)  # type: ignore[arg-type]


def test_generator_takes_seeds_and_generators() -> None:
    g = np.random.default_rng(3)
    assert rs.generator(g) is g
    assert rs.generator(np.int64(7)).integers(1000) == np.random.default_rng(7).integers(1000)


def test_n_boot_zero_allowed_where_minimum_is_zero() -> None:
    assert rs.check_n_boot(0, minimum=0) == 0
    assert rs.check_n_boot(np.int64(5)) == 5


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, "0.95", True, None, float("nan")])
def test_bad_level_names_the_parameter(bad: object) -> None:
    with pytest.raises(ParameterError, match=r"level must be in \(0, 1\)"):
        rs.check_level(bad)


def test_level_from_ci_warns_and_takes_ci() -> None:
    assert rs.level_from_ci(0.95, None, "f") == 0.95
    with pytest.warns(FutureWarning, match=r"f\(ci=...\) is deprecated"):
        assert rs.level_from_ci(0.95, 0.8, "f") == 0.8


# ---------------------------------------------------------------------------------------------------
# the four bootstraps use the module: same seed -> same numbers, level and ci agree


def _units() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 24
    w = rng.dirichlet([1.0, 1.0], size=n)
    return pd.DataFrame({"genre": ["news"] * 12 + ["blog"] * 12, "doc_id": [f"d{i // 3}" for i in range(n)],
                         "n_vocab_tokens": rng.integers(5, 30, size=n), "topic_0": w[:, 0], "topic_1": w[:, 1]})


def test_topic_prevalence_ci_is_a_deprecated_alias_of_level() -> None:
    from framing.topics import topic_prevalence

    new = topic_prevalence(_units(), ["topic_0", "topic_1"], n_boot=200, level=0.8, random_state=2)
    with pytest.warns(FutureWarning, match="ci"):
        old = topic_prevalence(_units(), ["topic_0", "topic_1"], n_boot=200, ci=0.8, random_state=2)
    pd.testing.assert_frame_equal(new, old)
    wide = topic_prevalence(_units(), ["topic_0", "topic_1"], n_boot=200, level=0.99, random_state=2)
    assert (wide["ci_high"] - wide["ci_low"] >= new["ci_high"] - new["ci_low"] - 1e-12).all()
    with pytest.raises(ParameterError, match="level"):
        topic_prevalence(_units(), ["topic_0"], level=1.2)


def test_cluster_bootstrap_matches_an_independent_restatement() -> None:
    from framing.compare import cluster_bootstrap_shares

    counts = np.array([[1, 0], [3, 2], [0, 0], [5, 1]])
    n = np.array([4, 6, 2, 10])
    boot = cluster_bootstrap_shares(counts, n, n_boot=50, random_state=9)
    # restated: draw documents with replacement as multinomial counts, then pool the sentences
    rng = np.random.default_rng(9)
    expected = []
    for w in rng.multinomial(4, [0.25] * 4, size=50):
        expected.append((w @ counts) / (w @ n))
    np.testing.assert_allclose(boot, np.array(expected))
    with pytest.raises(ParameterError, match="n_boot"):
        cluster_bootstrap_shares(counts, n, n_boot=0, random_state=9)
