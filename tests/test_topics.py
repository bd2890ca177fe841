"""Tests for framing.topics: vocabulary, estimators, coherence (hand-worked), stability, seeded topics,
aggregation, prevalence, frame association, CLI, and a BBC News check (corpora marker)."""

from __future__ import annotations

import gzip
import json
import math
import sys
import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framing.cli import main as cli_main
from framing.errors import FramingError, ParameterError, TopicModelError
from framing.plots import plot_coherence_by_k, plot_prevalence, plot_stability, plot_topic_frames
from framing.topics import (
    STUDY_STOP_WORDS,
    KSelection,
    SeededTopicModel,
    StabilityResult,
    StreamingTopicModel,
    TopicModel,
    aggregate_to_documents,
    align_topics,
    case_stop_words,
    choose_k,
    coherence,
    fit_topics,
    lexicon_seed_terms,
    match_seed_terms,
    representative_units,
    score_units,
    seeded_topic_summary,
    seeded_topic_table,
    stability_by_k,
    stability_verdict,
    topic_frame_association,
    topic_prevalence,
    topic_similarity,
    topic_stability,
    topic_units,
    write_topic_outputs,
)

# Three clearly separated themes (care failures, politics, health), four units each, plus noise words.
CARE = [
    "social workers council failed child protection",
    "council social workers child protection plan failed",
    "child protection social workers council plan",
    "social workers failed child protection council",
]
POLITICS = [
    "minister government inquiry political resign",
    "government minister resign inquiry political pressure",
    "political inquiry minister government",
    "minister political government resign inquiry",
]
HEALTH = [
    "doctor hospital injuries paediatrician notice",
    "paediatrician hospital doctor injuries",
    "hospital injuries doctor paediatrician notice",
    "doctor paediatrician hospital injuries examination",
]
TEXTS = CARE + POLITICS + HEALTH
THEME = [0] * 4 + [1] * 4 + [2] * 4


def _topic_of_theme(model: TopicModel) -> list[int]:
    """For each theme, the topic most units of that theme load on."""
    dominant = np.argmax(model.doc_topic_, axis=1)
    return [int(np.bincount(dominant[np.array(THEME) == t]).argmax()) for t in range(3)]


# ------------------------------------------------------------------------------------ coherence by hand


# Tiny corpus (columns a, b, c, d; rows are units, 1 = term present):
#   u0: a b      u1: a b c      u2: a      u3: c d
# N = 4; D(a)=3, D(b)=2, D(c)=2, D(d)=1; D(a,b)=2, D(a,c)=1, D(b,c)=1, D(b,d)=0.
TINY = np.array(
    [
        [1, 1, 0, 0],
        [1, 1, 1, 0],
        [1, 0, 0, 0],
        [0, 0, 1, 1],
    ]
)


def test_umass_matches_hand_computation() -> None:
    # Topic [a, b, c] (a ranked first). Pairs (lower | higher):
    #   b|a: log((D(a,b)+1)/D(a)) = log(3/3) = 0
    #   c|a: log((D(a,c)+1)/D(a)) = log(2/3) = -0.4054651
    #   c|b: log((D(b,c)+1)/D(b)) = log(2/2) = 0
    #   mean = -0.4054651 / 3 = -0.1351550
    # Topic [b, d]: d|b: log((0+1)/2) = log(0.5) = -0.6931472
    got = coherence([[0, 1, 2]], TINY, measure="umass")
    assert got[0] == pytest.approx((math.log(1.0) + math.log(2 / 3) + math.log(1.0)) / 3)
    assert got[0] == pytest.approx(-0.1351550, abs=1e-6)
    assert coherence([[1, 3]], TINY, measure="umass")[0] == pytest.approx(-0.6931472, abs=1e-6)


def test_umass_is_order_sensitive() -> None:
    # Topic [c, b, a] (c first): b|c: log((1+1)/2)=0; a|c: log((1+1)/2)=0; a|b: log((2+1)/2)=log(1.5)
    # mean = 0.4054651 / 3 = 0.1351550
    assert coherence([[2, 1, 0]], TINY, measure="umass")[0] == pytest.approx(0.1351550, abs=1e-6)


def test_npmi_matches_hand_computation() -> None:
    # P(a)=3/4, P(b)=2/4, P(c)=2/4.
    #   (a,b): P=2/4; PMI=log(0.5/(0.75*0.5))=log(4/3)=0.2876821; -log(0.5)=0.6931472 -> 0.4150375
    #   (a,c): P=1/4; PMI=log(0.25/0.375)=log(2/3)=-0.4054651; -log(0.25)=1.3862944 -> -0.2924813
    #   (b,c): P=1/4; PMI=log(0.25/0.25)=0 -> 0
    #   mean = (0.4150375 - 0.2924813 + 0) / 3 = 0.0408521
    got = coherence([[0, 1, 2]], TINY, measure="npmi")
    assert got[0] == pytest.approx(0.0408521, abs=1e-6)


def test_npmi_edge_conventions() -> None:
    # (b,d) never co-occur -> -1 by convention.
    assert coherence([[1, 3]], TINY, measure="npmi")[0] == -1.0
    # Two terms present in every unit: P(w,v)=1 -> NPMI = 1 (perfect co-occurrence).
    everywhere = np.array([[1, 1], [2, 1], [1, 3]])
    assert coherence([[0, 1]], everywhere, measure="npmi")[0] == 1.0


def test_coherence_accepts_sparse_and_several_topics() -> None:
    import scipy.sparse as sp

    got = coherence(np.array([[0, 1, 2], [1, 3, 0]]), sp.csr_matrix(TINY * 5), measure="npmi")
    # Second topic [b, d, a]: (b,d) -> -1; (b,a) -> 0.4150375; (d,a) never co-occur -> -1
    assert got[0] == pytest.approx(0.0408521, abs=1e-6)
    assert got[1] == pytest.approx((-1 + 0.4150375 - 1) / 3, abs=1e-6)


def test_coherence_rejects_bad_input() -> None:
    with pytest.raises(ParameterError, match="measure"):
        coherence([[0, 1]], TINY, measure="cv")
    with pytest.raises(ParameterError, match="M >= 2"):
        coherence([[0]], TINY)


# ------------------------------------------------------------------------------------ vocabulary


def test_vocabulary_step_removes_stop_words_and_applies_min_df() -> None:
    texts = ["The minister said the council failed", "Mr Smith said the council failed 2008", "council x"]
    m = TopicModel(2, min_df=2, max_df=1.0).fit(texts)
    # 'the' (sklearn list), 'said', 'mr' (study list) removed; '2008' and 'x' are not tokens;
    # 'minister', 'smith' occur in one unit only (< min_df=2).
    assert list(m.terms_) == ["council", "failed"]
    assert {"said", "mr"} <= STUDY_STOP_WORDS


def test_the_case_names_are_stop_words_of_the_case_only(tmp_path: Path) -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from framing.cases import check_case

    names = {"baby", "peter", "connelly"}
    assert not names & STUDY_STOP_WORDS  # case-independent defaults: no name of one case
    assert case_stop_words("baby_p") == ["baby", "peter", "connelly"] and case_stop_words("") == []
    # with the case, the stop list is the one the study always had: the study's outputs stay as they were
    with_case = TopicModel(extra_stop_words=case_stop_words("baby_p")).stop_words()
    assert set(with_case) == set(ENGLISH_STOP_WORDS) | STUDY_STOP_WORDS | names
    texts = ["baby peter council failed", "baby peter council minister", "connelly council failed minister"]
    assert "baby" in TopicModel(2, min_df=2, max_df=1.0).fit(texts).terms_  # another corpus keeps the word
    kept = TopicModel(2, min_df=2, max_df=1.0, extra_stop_words=case_stop_words("baby_p")).fit(texts).terms_
    assert list(kept) == ["council", "failed", "minister"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("case: bad\nentries: []\ntopic_stop_words: baby\n", encoding="utf-8")
    assert any("topic_stop_words' must be a list of words" in str(p) for p in check_case(bad))


def test_bigrams_and_extra_stop_words() -> None:
    texts = ["haringey council report failed", "haringey council report out", "haringey council report ordered"]
    m = TopicModel(2, min_df=3, max_df=1.0, bigrams=True, extra_stop_words=["Report"]).fit(texts)
    # 'report' removed before bigrams form, so 'council report' cannot appear; 'out' is a stop word.
    assert list(m.terms_) == ["council", "haringey", "haringey council"]
    # scikit-learn's list has surprises (Nothman et al. 2018): 'serious' is a stop word
    assert "serious" in TopicModel().stop_words()


def test_max_df_removes_terms_in_every_unit() -> None:
    m = TopicModel(2, min_df=1, max_df=0.9).fit(["council failed", "council minister", "council doctor"])
    assert "council" not in set(m.terms_)


# ------------------------------------------------------------------------------------ estimator


@pytest.mark.parametrize("model", ["nmf", "lda"])
def test_recovers_separated_themes(model: str) -> None:
    m = TopicModel(3, model=model, min_df=2, random_state=0).fit(TEXTS)
    mapping = _topic_of_theme(m)
    assert sorted(mapping) == [0, 1, 2]  # each theme has its own topic
    np.testing.assert_allclose(m.doc_topic_.sum(axis=1), 1.0)
    np.testing.assert_allclose(m.components_.sum(axis=1), 1.0)
    top = m.top_terms(4)
    pol_terms = set(top.loc[top["topic"] == mapping[1], "term"])
    assert pol_terms <= {"minister", "government", "inquiry", "political", "resign"}


def test_same_seed_same_result_and_transform_shapes() -> None:
    a = TopicModel(3, model="lda", min_df=2, random_state=7).fit(TEXTS)
    b = TopicModel(3, model="lda", min_df=2, random_state=7).fit(TEXTS)
    np.testing.assert_array_equal(a.components_, b.components_)
    w = a.transform(["doctor hospital", "", "zzz qqq"])
    assert w.shape == (3, 3)
    assert np.isnan(w[1]).all() and np.isnan(w[2]).all()  # no in-vocabulary token -> NaN
    assert w[0].sum() == pytest.approx(1.0)


def test_empty_units_are_left_out_with_nan_weights() -> None:
    texts = [*TEXTS, "", None, "the and of"]
    m = TopicModel(3, min_df=2).fit(texts)
    assert list(m.empty_units_) == [12, 13, 14]
    assert np.isnan(m.doc_topic_[12:]).all()
    assert list(m.n_tokens_[12:]) == [0, 0, 0]


def test_topic_labels_and_top_terms_table() -> None:
    m = TopicModel(3, min_df=2).fit(TEXTS)
    assert m.topic_labels_ == ["topic_0", "topic_1", "topic_2"]
    t = m.top_terms(5)
    assert list(t.columns) == ["topic", "rank", "term", "weight"]
    assert len(t) == 15
    # weights non-increasing within a topic
    for _, g in t.groupby("topic"):
        assert (np.diff(g["weight"].to_numpy()) <= 1e-12).all()


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"n_topics": 0}, "n_topics"),
        ({"n_topics": 2.5}, "n_topics"),
        ({"model": "plsa"}, "model"),
        ({"min_df": 0}, "min_df"),
        ({"max_df": 1.5}, "max_df"),
        ({"bigrams": "yes"}, "bigrams"),
        ({"extra_stop_words": "council"}, "extra_stop_words"),
        ({"random_state": None}, "random_state"),
        ({"init": "svd"}, "init"),
        ({"max_iter": 0}, "max_iter"),
    ],
)
def test_bad_parameters_name_the_value(params: dict[str, object], name: str) -> None:
    with pytest.raises(ParameterError, match=name):
        TopicModel(**params).fit(TEXTS)  # type: ignore[arg-type]


def test_k_larger_than_units_is_a_clear_error() -> None:
    with pytest.raises(TopicModelError, match=r"n_topics=20 is larger than the number of non-empty units \(12"):
        TopicModel(20, min_df=1).fit(TEXTS)


def test_empty_vocabulary_is_a_clear_error() -> None:
    with pytest.raises(TopicModelError, match=r"empty vocabulary.*min_df=5"):
        TopicModel(2, min_df=5).fit(["the council", "a minister", "of the"])
    with pytest.raises(TopicModelError, match="empty vocabulary"):
        TopicModel(2, min_df=1).fit(["the and", "of a"])


def test_all_units_empty_and_no_units() -> None:
    with pytest.raises(TopicModelError):
        TopicModel(2, min_df=1).fit(["", None])
    with pytest.raises(TopicModelError, match="empty"):
        TopicModel(2).fit([])
    with pytest.raises(ParameterError, match="single string"):
        TopicModel(2).fit("council failed")
    with pytest.raises(ParameterError, match=r"texts\[1\]"):
        TopicModel(2).fit(["council", 3])


def test_errors_are_framing_errors_not_sklearn() -> None:
    for bad in (lambda: TopicModel(5, min_df=1).fit(["council", "minister"]), lambda: TopicModel(1).transform(["x"])):
        with pytest.raises(FramingError):
            bad()


def test_perplexity_only_for_lda() -> None:
    m = TopicModel(3, model="nmf", min_df=2).fit(TEXTS)
    with pytest.raises(TopicModelError, match="lda"):
        m.perplexity(TEXTS)
    lda = TopicModel(3, model="lda", min_df=2).fit(TEXTS)
    assert lda.perplexity(TEXTS) > 1.0
    assert math.isnan(lda.perplexity(["zzz"]))


# ------------------------------------------------------------------------------------ choosing k


def test_choose_k_table_and_rule() -> None:
    sel = choose_k(TEXTS, [2, 3, 4, 40], estimator=TopicModel(min_df=2), n_top=4)
    assert list(sel.table["k"]) == [2, 3, 4]  # 40 > 12 units: skipped and noted
    assert "skipped k=[40]" in sel.rule
    # the rule: smallest k within tolerance of the best NPMI
    best = sel.table["npmi"].max()
    assert sel.best_k == int(sel.table.loc[sel.table["npmi"] >= best - 0.01, "k"].min())
    # k=3: each theme's topic has as top-4 terms words present in exactly the same 4 of 12 units, so every
    # pair has P(w,v) = P(w) = P(v) = 4/12 and NPMI = log(3) / log(3) = 1.
    npmi = dict(zip(sel.table["k"], sel.table["npmi"], strict=True))
    assert npmi[3] == pytest.approx(1.0)
    assert npmi[4] <= npmi[3]
    assert sel.table["perplexity"].isna().all()


def test_choose_k_warns_when_the_best_coherence_is_at_an_edge_of_the_range(monkeypatch: pytest.MonkeyPatch) -> None:
    """Usability trial 13: k_max=8 chose k=8 while NPMI kept rising (k_max=14 chose 10), and nothing said so.

    The mean NPMI of each k is set by hand (every topic of a k-topic model gets the curve's value).
    """
    import warnings

    from framing.errors import FramingWarning

    curve: dict[int, float] = {}
    monkeypatch.setattr(TopicModel, "coherence", lambda self, measure="npmi", n=10, X=None: np.full(
        self.n_topics, curve[self.n_topics] if measure == "npmi" else -1.0))

    def pick(ks: list[int], npmi: list[float]) -> KSelection:
        curve.clear()
        curve.update(zip(ks, npmi, strict=True))
        return choose_k(TEXTS, ks, estimator=TopicModel(min_df=2), n_top=4)

    with pytest.warns(FramingWarning, match=r"the largest k tried \(k_max=4\) has the best mean NPMI.*a larger k_max"):
        rising = pick([2, 3, 4], [0.1, 0.2, 0.3])  # still rising at k_max: the trial's case
    assert (rising.edge, rising.edge_k, rising.best_k) == ("k_max", 4, 4) and "a larger k_max" in rising.rule
    with pytest.warns(FramingWarning, match=r"the smallest k tried \(k_min=3\).*a smaller k_min"):
        falling = pick([3, 4, 5], [0.3, 0.2, 0.1])  # best at k_min, and k=2 was not tried
    assert (falling.edge, falling.edge_k) == ("k_min", 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FramingWarning)  # no warning: a peak inside, or the best at k=2
        peak = pick([2, 3, 4], [0.1, 0.3, 0.2])
        at_two = pick([2, 3, 4], [0.3, 0.2, 0.1])
    assert (peak.edge, peak.best_k) == (None, 3) and "widen" not in peak.rule
    assert (at_two.edge, at_two.best_k) == (None, 2)
    with pytest.warns(FramingWarning, match="k_max=4"):  # within tolerance the rule picks 3, but NPMI is still rising
        flat = pick([2, 3, 4], [0.1, 0.295, 0.3])
    assert (flat.best_k, flat.edge) == (3, "k_max")
    # from the review: a k whose mean NPMI is NaN (no term pair co-occurs) first in the table hid the warning
    with pytest.warns(FramingWarning, match="k_max=4"):
        unknown = pick([2, 3, 4], [float("nan"), 0.2, 0.3])
    assert unknown.edge == "k_max"


def test_choose_k_lda_reports_held_out_perplexity() -> None:
    sel = choose_k(TEXTS, [2, 3], estimator=TopicModel(model="lda", min_df=2), n_top=4, held_out=0.25)
    assert np.isfinite(sel.table["perplexity"]).all()
    assert sel.table["reconstruction_error"].isna().all()
    with pytest.raises(ParameterError, match="held_out"):
        choose_k(TEXTS, [2], held_out=1.5)
    with pytest.raises(ParameterError, match="k_values"):
        choose_k(TEXTS, [1])


# ------------------------------------------------------------------------------------ stability


def test_align_topics_recovers_a_permutation() -> None:
    ref = np.array([[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0]])
    other = ref[[2, 0, 1]]  # reference topic 0 is other's topic 1, 1 -> 2, 2 -> 0
    matched, sim = align_topics(ref, other)
    assert list(matched) == [1, 2, 0]
    np.testing.assert_allclose(sim, 1.0)


def test_stability_high_on_separated_themes_and_threshold_flags() -> None:
    # nndsvda init: runs differ by their seeded 80% subsample of units only
    res = topic_stability(TEXTS, TopicModel(3, min_df=2), seeds=[1, 2, 3], threshold=0.7)
    assert len(res.topics) == 3 and len(res.runs) == 9
    assert res.topics["stability"].min() > 0.9
    assert not res.topics["unstable"].any()
    strict = topic_stability(TEXTS, TopicModel(3, min_df=2), seeds=[1, 2], threshold=1.0)
    # cosine of two different fits is (numerically) below 1 for at least one topic -> flagged
    assert strict.topics["unstable"].any()
    assert (strict.topics["unstable"] == (strict.topics["stability"] < 1.0)).all()


def test_stability_by_k_and_validation() -> None:
    t = stability_by_k(TEXTS, [2, 3, 50], TopicModel(min_df=2), seeds=[1, 2])
    assert list(t["k"]) == [2, 3]
    with pytest.raises(ParameterError, match="seeds"):
        topic_stability(TEXTS, TopicModel(2), seeds=[])
    with pytest.raises(ParameterError, match="threshold"):
        topic_stability(TEXTS, TopicModel(2), threshold=2.0)


# ------------------------------------------------------------------------------------ seeded topics


def test_match_seed_terms_prefix_phrase_and_words() -> None:
    vocab = ["council", "councillor", "councils", "minister", "public", "inquiry", "public inquiry", "plan",
             "social", "social work", "social workers", "director children", "children services"]  # fmt: skip
    assert match_seed_terms(["council*"], vocab) == ["council", "councillor", "councils"]  # unigrams only
    assert match_seed_terms(["public inquiry"], vocab) == ["public inquiry"]  # the phrase itself
    assert match_seed_terms(["Minister"], vocab) == ["minister"]
    # starred phrase: bigrams starting with "social work"
    assert match_seed_terms(["social work*"], vocab) == ["social work", "social workers"]
    # "of" and "'s" drop out as in the vocabulary; the phrase matches its consecutive pairs, not its words
    phrase = ["director of children's services"]
    assert match_seed_terms(phrase, vocab, stop_words=["of"]) == ["director children", "children services"]
    # a phrase none of whose pairs is a term matches nothing (single words are no evidence)
    assert match_seed_terms(["child protection plan"], vocab) == []
    assert match_seed_terms(["zzz*", "", "the"], vocab, stop_words=["the"]) == []


SEEDS = {
    "individual": ["doctor*", "paediatrician"],
    "systemic": ["social work*", "protection"],
    "political": ["minister*", "government"],
}


def test_seeded_model_keeps_frames_on_their_seeds() -> None:
    labels = SeededTopicModel(SEEDS, n_free=2, min_df=2).fit(TEXTS).topic_labels_
    assert labels == ["seed:individual", "seed:systemic", "seed:political", "free_0", "free_1"]
    m = SeededTopicModel(SEEDS, n_free=0, min_df=2).fit(TEXTS)  # three seeds for three themes
    assert m.seed_terms_["systemic"] == ["protection", "social workers"]  # "social work*" -> bigram
    top = m.top_terms(3)

    def words(topic: int) -> set[str]:  # the vocabulary has bigrams by default: split them
        return {w for term in top.loc[top["topic"] == topic, "term"] for w in term.split()}

    assert words(2) <= {"minister", "government", "inquiry", "political", "resign"}
    assert words(0) <= {"doctor", "paediatrician", "hospital", "injuries", "notice"}
    # each seeded topic keeps over twice the weight a flat topic would have on its seed terms (n_seed / n_terms)
    flat = np.array([len(ts) for ts in m.seed_terms_.values()]) / len(m.terms_)
    assert (m.seed_retention_ > 2 * flat).all()
    # health units load on the individual seed, politics units on the political seed
    dom = np.argmax(m.doc_topic_, axis=1)
    assert (dom[8:12] == 0).all() and (dom[4:8] == 2).all()


def test_seeded_model_unmatched_category_and_errors() -> None:
    with pytest.warns(UserWarning, match="zzz"):
        m = SeededTopicModel({**SEEDS, "zzz": ["qqq"]}, n_free=0, min_df=2).fit(TEXTS)
    assert m.unmatched_seeds_ == ["zzz"]
    # a term matched by two categories seeds neither
    both = SeededTopicModel({"a": ["doctor", "hospital"], "b": ["doctor", "minister"]}, n_free=0, min_df=2).fit(TEXTS)
    assert both.ambiguous_seed_terms_ == ["doctor"]
    assert both.seed_terms_ == {"a": ["hospital"], "b": ["minister"]}
    assert len(m.topic_labels_) == 3
    with pytest.raises(TopicModelError, match="no seed category"), pytest.warns(UserWarning):
        SeededTopicModel({"a": ["qqq"]}, min_df=2).fit(TEXTS)
    with pytest.raises(ParameterError, match="n_free"):
        SeededTopicModel(SEEDS, n_free=-1).fit(TEXTS)


def test_lexicon_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "framing.lexicon", None)  # import now fails
    with pytest.raises(TopicModelError, match="seed_terms"):
        lexicon_seed_terms("blame_frames")


def test_seeds_from_the_shipped_lexicon() -> None:
    seeds = lexicon_seed_terms("blame_frames")
    assert set(seeds) == {"individual", "systemic", "political"}
    m = SeededTopicModel(n_free=1, min_df=1).fit(TEXTS)
    assert m.topic_labels_[: len(m.seed_terms_)] == [f"seed:{c}" for c in m.seed_terms_]


def test_seeded_model_composes_a_topic_model_and_leaves_its_parameters_alone() -> None:
    m = SeededTopicModel(SEEDS, n_free=2, min_df=2, random_state=3)
    before = {k: v for k, v in vars(m).items() if not k.endswith("_")}
    params = m.get_params()
    m.fit(TEXTS)
    after = {k: v for k, v in vars(m).items() if not k.endswith("_")}
    assert after == before  # fit sets fitted attributes (trailing underscore) only
    assert m.get_params() == params
    assert not isinstance(m, TopicModel)  # composes one instead
    assert isinstance(m.topic_model_, TopicModel)
    assert m.topic_model_.get_params()["n_topics"] == m.n_topics_ == 5  # three seeds + two free topics
    np.testing.assert_array_equal(m.components_, m.topic_model_.components_)
    # usable wherever a topic model is: stability refits clone it with other seeds
    res = topic_stability(TEXTS, m, seeds=(1, 2), subsample=1.0)
    assert len(res.topics) == 5


def test_seeded_topic_that_drifts_from_its_seeds_is_named_by_its_top_terms() -> None:
    # "pressure" occurs in one politics unit, the five politics words in all four: the political topic cannot
    # keep "pressure" among its three heaviest terms, so it is not seed-led. The health seeds are four of the
    # five words shared by every health unit, so at least one of them is in that topic's top three.
    politics_words = {"minister", "government", "inquiry", "political", "resign"}
    seeds = {
        "individual": ["doctor", "hospital", "injuries", "paediatrician"],
        "political": ["pressure"],
    }
    m = SeededTopicModel(seeds, n_free=1, n_lead=3, min_df=1, random_state=0).fit(TEXTS)
    assert list(m.seed_led_) == [True, False]
    assert m.display_labels_[0] == "seed:individual"
    shown, was = m.display_labels_[1].rsplit(" (was ", 1)
    assert was == "seed:political)"  # named by its own words, flagged with the frame it started from
    assert set(shown.split(" / ")) <= politics_words
    assert len(shown.split(" / ")) == 3
    # the free topic is named by the words of its three heaviest terms, after "free:"
    free_terms = " ".join(map(str, m.terms_[m.top_term_indices(3)[2]])).split()
    assert m.display_labels_[2] == "free: " + " / ".join(dict.fromkeys(free_terms))
    assert m.display_labels_[2] != "free_0" and m.topic_labels_[2] == "free_0"  # the id stays
    table = seeded_topic_table(m, n=4)
    assert list(table.columns) == [
        "topic", "label", "seed", "display_label", "seed_led", "seed_retention", "top_terms",
    ]  # fmt: skip
    assert table["label"].tolist() == ["seed:individual", "seed:political", "free_0"]
    assert table["seed"].tolist() == ["individual", "political", ""]
    assert bool(table["seed_led"].iloc[0]) is True
    assert bool(table["seed_led"].iloc[1]) is False and pd.isna(table["seed_led"].iloc[2])
    assert table["display_label"].iloc[1] == m.display_labels_[1]
    assert math.isnan(table["seed_retention"].iloc[2])
    # four terms, separated by ", " (a space would run a bigram into its neighbours)
    assert [t.split(", ") for t in table["top_terms"]] == [list(map(str, m.terms_[r])) for r in m.top_term_indices(4)]
    with pytest.raises(ParameterError, match="n_lead"):
        SeededTopicModel(seeds, n_lead=0).fit(TEXTS)


def test_a_seeded_topic_keeps_its_frame_name_only_while_its_seeds_keep_a_share_of_its_weight() -> None:
    # one seed word, "minister", of the politics units (no bigrams), one of four words in every unit (with resign
    # in three and pressure in one): it leads the topic, but holds only about a quarter of its weight or less
    seeds = {"political": ["minister"]}
    kw = {"n_free": 2, "n_lead": 4, "min_df": 1, "bigrams": False, "random_state": 0}
    lead_only = SeededTopicModel(seeds, min_retention=0.0, **kw).fit(TEXTS)
    retention = float(lead_only.seed_retention_[0])
    minister = list(lead_only.terms_).index("minister")
    assert retention == pytest.approx(lead_only.components_[0, minister])  # the share of the one seed term
    assert 0.1 < retention < 0.3
    assert list(lead_only.seed_led_) == [True] and lead_only.display_labels_[0] == "seed:political"
    # the default threshold (0.05) keeps it; a threshold above its share takes the frame's name away
    assert list(SeededTopicModel(seeds, **kw).fit(TEXTS).seed_led_) == [True]
    strict = SeededTopicModel(seeds, min_retention=0.3, **kw).fit(TEXTS)
    np.testing.assert_array_equal(strict.components_, lead_only.components_)  # same fit, other name
    assert list(strict.seed_led_) == [False]
    assert strict.display_labels_[0].endswith(" (was seed:political)")
    assert "minister" in strict.display_labels_[0].split(" (was")[0].split(" / ")
    table = seeded_topic_table(strict)
    assert bool(table["seed_led"].iloc[0]) is False and table["display_label"].iloc[0] == strict.display_labels_[0]
    # notebook 03's table takes the model's own labels: the topic's words, flagged, and seeds_lead False
    stab = pd.DataFrame({"stability": [1.0, 1.0, 1.0], "unstable": [False] * 3})
    summary = seeded_topic_summary(strict, None, stab, n=3)
    assert summary["label"].tolist() == strict.display_labels_
    assert summary["seeds_lead"].tolist() == [False, None, None]
    with pytest.raises(ParameterError, match=r"min_retention must be a number in \[0, 1\], got 1.5"):
        SeededTopicModel(seeds, min_retention=1.5).fit(TEXTS)


def test_tfidf_weighting_is_the_documented_formula() -> None:
    # sublinear tf 1 + ln(tf), smooth idf ln((1 + n) / (1 + df)) + 1 over the n NON-EMPTY units, rows of unit
    # length; restated here with numpy on the model's own counts
    texts = ["aa bb", "aa aa cc", "", "bb dd dd dd", "aa"]
    m = TopicModel(2, min_df=1, max_df=1.0, study_stop_words=False, random_state=0).fit(texts)
    assert list(m.terms_) == ["aa", "bb", "cc", "dd"]
    counts = m.doc_term_.toarray()
    keep = counts.sum(axis=1) > 0
    c = counts[keep]
    tf = np.where(c > 0, 1.0 + np.log(np.where(c > 0, c, 1.0)), 0.0)
    idf = np.log((1.0 + c.shape[0]) / (1.0 + (c > 0).sum(axis=0))) + 1.0  # n = 4, not 5
    expected = tf * idf
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(m._weighting(m.doc_term_[keep]).toarray(), expected, rtol=1e-12)
    assert TopicModel(2, model="lda", min_df=1).fit(texts).tfidf_ is None  # LDA factorises raw counts


# ------------------------------------------------------------------------------------ corpus units


def _toy_corpus() -> SimpleNamespace:
    documents = pd.DataFrame(
        {"doc_id": ["d1", "d2", "d3"], "genre": ["news", "blog", "news"], "text": ["RAW1", "RAW2", "RAW3"]}
    )
    paragraphs = pd.DataFrame(
        {
            "doc_id": ["d1", "d1", "d1", "d2"],
            "para_id": [0, 1, 2, 0],
            "text": ["p", "p", "Share this", "p"],
            "is_heading": [True, False, False, False],
        }
    )
    sentences = pd.DataFrame(
        {
            "doc_id": ["d1", "d1", "d1", "d2", "d2"],
            "sent_id": [0, 1, 2, 0, 1],
            "para_id": [0, 1, 1, 0, 0],
            "text": [*CARE[:1], CARE[1], POLITICS[0], POLITICS[1], HEALTH[0]],
        }
    )
    return SimpleNamespace(name="toy", documents=documents, paragraphs=paragraphs, sentences=sentences)


def test_topic_units_built_from_content_sentences() -> None:
    c = _toy_corpus()
    docs = topic_units(c, "document")  # type: ignore[arg-type]
    assert list(docs["doc_id"]) == ["d1", "d2", "d3"]
    assert docs.loc[0, "text"] == f"{CARE[0]} {CARE[1]} {POLITICS[0]}"  # joined sentences, not RAW1
    assert docs.loc[2, "text"] == "" and docs.loc[2, "n_sentences"] == 0  # no content: empty unit
    paras = topic_units(c, "paragraph")  # type: ignore[arg-type]
    # para 2 of d1 ("Share this") has no content sentence: it drops out
    assert list(zip(paras["doc_id"], paras["unit_id"], strict=True)) == [("d1", 0), ("d1", 1), ("d2", 0)]
    assert paras.loc[1, "text"] == f"{CARE[1]} {POLITICS[0]}"
    sents = topic_units(c, "sentence")  # type: ignore[arg-type]
    assert len(sents) == 5 and list(sents["genre"]) == ["news"] * 3 + ["blog"] * 2
    with pytest.raises(ParameterError, match="unit"):
        topic_units(c, "chapter")  # type: ignore[arg-type]


def test_aggregate_to_documents_by_hand() -> None:
    # d1: units [1, 0] with 2 tokens and [0, 1] with 6 tokens -> (2*[1,0] + 6*[0,1]) / 8 = [0.25, 0.75]
    # d2: one NaN unit -> NaN; d3: no unit at all -> NaN
    w = np.array([[1.0, 0.0], [0.0, 1.0], [np.nan, np.nan]])
    out = aggregate_to_documents(["d1", "d1", "d2"], w, np.array([2, 6, 0]), all_doc_ids=["d3", "d1", "d2"])
    assert list(out.columns) == ["doc_id", "topic_0", "topic_1"]
    assert list(out["doc_id"]) == ["d1", "d2", "d3"]
    assert out.loc[0, "topic_0"] == pytest.approx(0.25) and out.loc[0, "topic_1"] == pytest.approx(0.75)
    assert out.loc[1:, ["topic_0", "topic_1"]].isna().all().all()


def test_unknown_parameters_are_parameter_errors() -> None:
    with pytest.raises(ParameterError, match="min_dff"):
        fit_topics(_toy_corpus(), 2, min_dff=1)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="n_topics"):
        choose_k(TEXTS, [2], estimator=SeededTopicModel(SEEDS))  # the seeded model sets its own k


def test_fit_topics_and_written_outputs(tmp_path: Path) -> None:
    c = _toy_corpus()
    fit = fit_topics(c, 2, unit="sentence", min_df=1, random_state=0)  # type: ignore[arg-type]
    assert list(fit.doc_topics.columns) == ["doc_id", "topic_0", "topic_1"]
    assert list(fit.doc_topics["doc_id"]) == ["d1", "d2", "d3"]
    np.testing.assert_allclose(fit.doc_topics.loc[:1, ["topic_0", "topic_1"]].sum(axis=1), 1.0)
    assert fit.doc_topics.loc[2, ["topic_0", "topic_1"]].isna().all()
    paths = write_topic_outputs(fit, tmp_path / "out")
    first = {k: p.read_bytes() for k, p in paths.items()}
    terms = pd.read_csv(paths["topic_terms"])
    assert list(terms.columns) == ["topic", "rank", "term", "weight"]
    fit2 = fit_topics(c, 2, unit="sentence", min_df=1, random_state=0)  # type: ignore[arg-type]
    assert {k: p.read_bytes() for k, p in write_topic_outputs(fit2, tmp_path / "out").items()} == first


# ------------------------------------------------------------------------------------ comparisons


def _units_for_prevalence() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "c"],
            "genre": ["news", "news", "news", "blog"],
            "n_vocab_tokens": [2, 2, 4, 5],
            "topic_0": [1.0, 0.0, 0.5, 0.2],
            "topic_1": [0.0, 1.0, 0.5, 0.8],
        }
    )


def test_prevalence_by_genre_point_estimates_and_intervals() -> None:
    u = _units_for_prevalence()
    p = topic_prevalence(u, ["topic_0", "topic_1"], by="genre", n_boot=200, random_state=1)
    # news: (2*1 + 2*0 + 4*0.5) / 8 = 0.5 for topic_0; blog: 0.2 (one document -> zero-width interval)
    news0 = p[(p["genre"] == "news") & (p["topic"] == "topic_0")].iloc[0]
    blog1 = p[(p["genre"] == "blog") & (p["topic"] == "topic_1")].iloc[0]
    assert news0["prevalence"] == pytest.approx(0.5)
    assert news0["n_resampled"] == 2  # documents a and b
    # doc a alone gives 0.5, doc b alone gives 0.5: every resample gives 0.5
    assert news0["ci_low"] == pytest.approx(0.5) and news0["ci_high"] == pytest.approx(0.5)
    assert blog1["prevalence"] == pytest.approx(0.8)
    assert blog1["ci_low"] == pytest.approx(0.8) and blog1["ci_high"] == pytest.approx(0.8)


def test_prevalence_by_genre_withholds_intervals_below_min_docs() -> None:
    u = _units_for_prevalence()
    every = topic_prevalence(u, ["topic_0", "topic_1"], by="genre", n_boot=200, random_state=1)
    p = topic_prevalence(u, ["topic_0", "topic_1"], by="genre", n_boot=200, random_state=1, min_docs=2)
    blog = p[p["genre"] == "blog"]  # one document (c) < 2: no interval, its prevalence stays 0.2 / 0.8
    assert blog["ci_low"].isna().all() and blog["ci_high"].isna().all()
    assert blog["prevalence"].tolist() == pytest.approx([0.2, 0.8])
    pd.testing.assert_frame_equal(p[p["genre"] == "news"], every[every["genre"] == "news"])  # 2 documents: kept
    by_doc = topic_prevalence(u, ["topic_0"], by="doc_id", n_boot=50, random_state=1, min_docs=5)
    assert by_doc["ci_low"].notna().all()  # documents are not genres: the rule is for genres only


def test_prevalence_by_document_resamples_units() -> None:
    u = _units_for_prevalence()
    p = topic_prevalence(u, ["topic_0", "topic_1"], by="doc_id", n_boot=500, random_state=3)
    a0 = p[(p["doc_id"] == "a") & (p["topic"] == "topic_0")].iloc[0]
    # doc a: units [1,0] and [0,1], equal tokens: point 0.5; resamples give 0, 0.5 or 1
    assert a0["prevalence"] == pytest.approx(0.5)
    assert a0["ci_low"] == pytest.approx(0.0) and a0["ci_high"] == pytest.approx(1.0)
    again = topic_prevalence(u, ["topic_0", "topic_1"], by="doc_id", n_boot=500, random_state=3)
    pd.testing.assert_frame_equal(p, again)
    with pytest.raises(ParameterError, match="by"):
        topic_prevalence(u, ["topic_0"], by="outlet")


def test_topic_frame_association_baseline_is_over_the_sentences_with_weights() -> None:
    # three sentences; the third has no topic weights (no in-vocabulary word). individual frame: 1, 0, 1.
    # baseline over the weighted sentences = 1/2 (not 2/3 over all three); topic a: (0.8*1 + 0.2*0) / 1.0 = 0.8,
    # lift 1.6; topic b: (0.2*1 + 0.8*0) / 1.0 = 0.2, lift 0.4; weighted by the topics' weights (1, 1) they
    # average to the baseline
    weights = pd.DataFrame({"doc_id": ["d", "d", "d"], "sent_id": [0, 1, 2], "a": [0.8, 0.2, np.nan],
                            "b": [0.2, 0.8, np.nan]})
    frames = pd.DataFrame({"doc_id": ["d", "d", "d"], "sent_id": [0, 1, 2], "individual": [1, 0, 1]})
    out = topic_frame_association(weights, frames, ["a", "b"], frame_names=["individual"]).set_index("topic")
    assert out["baseline"].tolist() == [0.5, 0.5]
    assert out["weighted_share"].tolist() == pytest.approx([0.8, 0.2])
    assert out["lift"].tolist() == pytest.approx([1.6, 0.4])


def test_topic_frame_association_by_hand() -> None:
    w = pd.DataFrame(
        {"doc_id": ["a", "a", "b"], "sent_id": [0, 1, 0], "topic_0": [1.0, 0.5, 0.0], "topic_1": [0.0, 0.5, 1.0]}
    )
    f = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b"],
            "sent_id": [0, 1, 0],
            "individual": [1, 0, 1],
            "systemic": [0, 1, 0],
            "political": [0, 0, 0],
        }
    )
    out = topic_frame_association(w, f, ["topic_0", "topic_1"]).set_index(["topic", "frame"])
    # topic_0, individual: (1*1 + 0.5*0 + 0*1) / 1.5 = 2/3; baseline 2/3 -> lift 1
    assert out.loc[("topic_0", "individual"), "weighted_share"] == pytest.approx(2 / 3)
    assert out.loc[("topic_0", "individual"), "lift"] == pytest.approx(1.0)
    # topic_0, systemic: 0.5 / 1.5 = 1/3; baseline 1/3
    assert out.loc[("topic_0", "systemic"), "weighted_share"] == pytest.approx(1 / 3)
    # dominant: sentence a/0 -> topic_0, a/1 tie -> topic_0 (first), b/0 -> topic_1
    assert out.loc[("topic_0", "individual"), "n_dominant"] == 2
    assert out.loc[("topic_0", "individual"), "dominant_share"] == pytest.approx(0.5)
    assert out.loc[("topic_1", "individual"), "dominant_share"] == pytest.approx(1.0)
    assert math.isnan(out.loc[("topic_1", "political"), "lift"])  # baseline 0


def test_representative_units_order() -> None:
    u = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "unit_id": [0, 0, 0],
            "text": ["x", "y", "z"],
            "n_vocab_tokens": [5, 5, 1],
            "topic_0": [0.5, 0.9, 1.0],
        }
    )
    r = representative_units(u, ["topic_0"], n=2, min_tokens=3)
    assert list(r["doc_id"]) == ["b", "a"]  # c has too few tokens
    # equal weights: the longer unit first, then doc_id
    tie = pd.DataFrame({"doc_id": ["a", "b", "c"], "unit_id": [0, 0, 0], "text": ["x", "y", "z"],
                        "n_vocab_tokens": [4, 9, 4], "topic_0": [1.0, 1.0 - 1e-12, 1.0]})  # fmt: skip
    assert list(representative_units(tie, ["topic_0"], n=3)["doc_id"]) == ["b", "a", "c"]


# ------------------------------------------------------------------------------------ CLI


def test_cli_topics_writes_contract_files(tmp_path: Path) -> None:
    src = tmp_path / "corpus.csv"
    pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(6)],
            "genre": ["news"] * 6,
            "text": [". ".join(TEXTS[2 * i : 2 * i + 2]) + "." for i in range(6)],
        }
    ).to_csv(src, index=False)
    out = tmp_path / "out"
    rc = cli_main(["topics", str(src), "--k", "3", "--unit", "sentence", "--seed", "1", "--out", str(out)])
    assert rc == 0
    doc = pd.read_csv(out / "doc_topics.csv")
    assert list(doc.columns) == ["doc_id", "topic_0", "topic_1", "topic_2"]
    assert len(doc) == 6
    terms = pd.read_csv(out / "topic_terms.csv")
    assert list(terms.columns) == ["topic", "rank", "term", "weight"]
    assert cli_main(["topics", str(src), "--k", "99", "--out", str(out)]) == 2


# ------------------------------------------------------------------------------------ limits and errors

# Four units; with min_df=2 the vocabulary is "council" and "failed" (in three units each): three non-empty units,
# two terms. "the of" holds only stop words.
TWO_TERMS = ["council failed", "the council failed", "council failed again", "the of"]


def test_k_limit_names_the_smaller_of_the_units_and_the_vocabulary() -> None:
    with pytest.raises(TopicModelError, match=r"larger than the vocabulary \(2 terms\); choose n_topics <= 2 ") as e:
        TopicModel(3, min_df=2).fit(TWO_TERMS)  # 3 non-empty units would allow 3: the vocabulary says 2
    assert e.value.limit == 2 and "units" not in str(e.value).split(";")[0]
    with pytest.raises(TopicModelError, match=r"non-empty units \(3 of 4\) and the vocabulary \(2 terms\); "
                                              r"choose n_topics <= 2 "):
        TopicModel(50, min_df=2).fit(TWO_TERMS)


def test_one_topic_is_refused_everywhere(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ParameterError, match="n_topics must be an integer >= 2, got 1"):
        TopicModel(1).fit(TEXTS)
    with pytest.raises(ParameterError, match="k_values must be an integer >= 2, got 1"):
        choose_k(TEXTS, [1, 2])
    assert cli_main(["topics", str(_cli_corpus(tmp_path)), "--k", "1", "--out", str(tmp_path / "o")]) == 2
    assert "--k must be at least 2" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_choose_k_says_why_no_k_fits() -> None:
    # an empty vocabulary is not "k too large": its own error, naming min_df, reaches the user
    with pytest.raises(TopicModelError, match=r"empty vocabulary .* min_df=1000") as e:
        choose_k(TEXTS, [2, 3], estimator=TopicModel(min_df=1000))
    assert "could be fitted" not in str(e.value) and "no k" not in str(e.value)
    # every k too large: the error names the largest k that fits (the vocabulary's 2 terms)
    with pytest.raises(TopicModelError, match=r"no k in \[3, 5\] fits .*choose n_topics <= 2 "):
        choose_k(TWO_TERMS, [3, 5], estimator=TopicModel(min_df=2))
    # a k too large beside one that fits is skipped, and the rule says up to which k
    assert "skipped k=[3] (too large for the units or vocabulary: k <= 2)" in choose_k(
        TWO_TERMS, [2, 3], estimator=TopicModel(min_df=2)).rule


def test_choose_k_does_not_choose_a_k_whose_stability_refits_cannot_subsample(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # NPMI made to grow with k, so that the rule would take the largest k; 12 non-empty units, a stability
    # subsample of 0.8 is round(9.6) = 10 units: k = 11 and 12 would raise it, k <= 10 would not
    monkeypatch.setattr(TopicModel, "coherence", lambda self, measure="npmi", n=10, X=None:
                        np.full(len(self.topic_labels_), float(len(self.topic_labels_))))
    sel = choose_k(TEXTS, range(8, 13), estimator=TopicModel(min_df=1))
    assert sel.table["subsample_raised"].tolist() == [False, False, False, True, True]
    assert sel.best_k == 10
    assert "k=[11, 12] not chosen" in sel.rule
    only = choose_k(TEXTS, [11, 12], estimator=TopicModel(min_df=1))
    assert only.best_k == 12 and "their stability says nothing" in only.rule


def test_stability_flags_refits_that_see_all_the_units() -> None:
    with pytest.warns(UserWarning, match=r"k=11 topics on 12 non-empty units: each stability refit draws 11 units"):
        raised = topic_stability(TEXTS, TopicModel(11, min_df=1), seeds=(1,))
    assert raised.subsample_raised
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not topic_stability(TEXTS, TopicModel(3, min_df=1), seeds=(1,)).subsample_raised
        by_k = stability_by_k(TEXTS, [3, 11], TopicModel(min_df=1), seeds=(1,))  # the column, not a warning
    assert by_k["subsample_raised"].tolist() == [False, True]


def test_a_fit_stopped_by_its_iteration_limit_says_so() -> None:
    from sklearn.exceptions import ConvergenceWarning

    with pytest.warns(ConvergenceWarning, match=r"lda with n_topics=3 stopped at max_iter=2 passes without "
                                                r"converging .*raise max_iter"):
        lda = TopicModel(3, model="lda", max_iter=2, min_df=1).fit(TEXTS)
    assert lda.converged_ is False
    with pytest.warns(ConvergenceWarning, match=r"online nmf with n_topics=3 stopped at max_iter=1 passes"):
        StreamingTopicModel(3, max_iter=1, batch_size=12, min_df=1).fit(TEXTS)
    with warnings.catch_warnings():  # choose_k records it in its table instead of warning for every k
        warnings.simplefilter("error", ConvergenceWarning)
        table = choose_k(TEXTS, [2, 3], estimator=TopicModel(model="lda", max_iter=2, min_df=1)).table
    assert table["converged"].tolist() == [False, False]


def test_docs_do_not_call_nndsvda_deterministic_across_seeds() -> None:
    # scikit-learn's nndsvda starts from a randomized SVD seeded by random_state: two seeds, two starts
    from sklearn.decomposition._nmf import _initialize_nmf

    x = np.abs(np.random.default_rng(0).normal(size=(30, 20)))
    assert not np.allclose(_initialize_nmf(x, 4, init="nndsvda", random_state=1)[1],
                           _initialize_nmf(x, 4, init="nndsvda", random_state=2)[1])
    docs = (Path(__file__).resolve().parents[1] / "docs" / "topics.md").read_text(encoding="utf-8")
    for text in (docs, topic_stability.__doc__ or "", TopicModel.__doc__ or ""):
        flat = " ".join(text.split())
        assert "only the subsample varies" not in flat and "(deterministic)" not in flat
        assert '"nndsvda"``, deterministic' not in flat


def _cli_corpus(tmp_path: Path) -> Path:
    src = tmp_path / "corpus.csv"
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(12)], "genre": ["news"] * 12, "text": TEXTS})
    docs.to_csv(src, index=False)
    return src


def test_cli_topics_takes_the_vocabulary_flags_and_names_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, out = _cli_corpus(tmp_path), tmp_path / "out"
    args = ["topics", str(src), "--k", "2", "--unit", "document", "--out", str(out), "-q"]
    assert cli_main([*args, "--min-df", "4", "--max-df", "1.0"]) == 0
    # min_df=4 keeps the words in at least four units: the 14 words of the three themes' four units each
    kept = TopicModel(2, min_df=4, max_df=1.0).fit(TEXTS).terms_
    assert set(pd.read_csv(out / "topic_terms.csv", keep_default_na=False)["term"]) <= set(kept)
    assert len(kept) < len(TopicModel(2, min_df=2).fit(TEXTS).terms_)
    capsys.readouterr()
    assert cli_main([*args, "--min-df", "1000"]) == 2
    err = capsys.readouterr().err
    assert "--min-df 1000" in err and "lower --min-df or raise --max-df" in err and "min_df" not in err
    assert cli_main([*args, "--k", "50"]) == 2
    err = capsys.readouterr().err
    assert "choose --k <= 12" in err and "n_topics" not in err
    assert cli_main([*args, "--seed", "-1"]) == 2
    assert "--seed must be an integer >= 0, got -1" in capsys.readouterr().err
    # options of another learner are named, not silently dropped
    assert cli_main([*args, "--sample", "0.5", "--batch-size", "30"]) == 0
    assert "warning: --sample, --batch-size have no effect with --learner batch (ignored)" in capsys.readouterr().err
    # --passes is the batch model's iteration limit: an LDA stopped by it says so, in the flags' words
    assert cli_main([*args, "--model", "lda", "--passes", "1"]) == 0
    err = capsys.readouterr().err
    assert "warning: lda with --k 2 stopped at --passes 1 passes without converging" in err and "max_iter" not in err
    from framing.cli import build_parser
    from framing.types import DEFAULT_SEED

    assert build_parser().parse_args(["topics", "x", "--k", "2", "--out", "o"]).seed == DEFAULT_SEED


# ------------------------------------------------------------------------------------ BBC News


BBC = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc-news-2004-2005.jsonl.gz"


@pytest.mark.corpora
def test_bbc_sections_recovered_by_nmf() -> None:
    if not BBC.is_file():
        pytest.skip(f"BBC corpus absent: {BBC}")
    from sklearn.metrics import normalized_mutual_info_score

    with gzip.open(BBC, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    texts = [r["text"] for r in rows]
    labels = [r["category"] for r in rows]
    m = TopicModel(5, model="nmf", min_df=5, max_df=0.5, random_state=0).fit(texts)
    pred = np.argmax(m.doc_topic_, axis=1)
    assert normalized_mutual_info_score(labels, pred) > 0.6


# ------------------------------------------------------------------------------------ verdicts, figures


def _stability(values: list[float], threshold: float = 0.7) -> StabilityResult:
    topics_df = pd.DataFrame(
        {"topic": range(len(values)), "stability": values, "min_similarity": values,
         "unstable": [v < threshold for v in values], "top_terms": ["x y"] * len(values)}
    )  # fmt: skip
    runs = pd.DataFrame({"seed": 1, "topic": range(len(values)), "matched_topic": range(len(values)),
                         "similarity": values})  # fmt: skip
    return StabilityResult(topics_df, runs, float(np.mean(values)), threshold, TopicModel())


def test_stability_verdict_says_plainly_when_too_small() -> None:
    ok, msg = stability_verdict(_stability([0.9, 0.95]), n_units=1000)
    assert ok and msg == "all 2 topics are stable across refits (mean matched cosine >= 0.7)."
    ok, msg = stability_verdict(_stability([0.9, 0.5, 0.6]), n_units=80)
    assert not ok
    assert msg.startswith("This corpus is too small for topics that replicate: 80 units (fewer than 500)")
    assert "2 of 3 topics are unstable" in msg and "topic 1, 2" in msg
    assert msg.endswith("single refits go as low as 0.50.")
    # small but every topic passes: no "too small for stable topics ... all topics are stable" (usability trial)
    ok, msg = stability_verdict(_stability([0.9, 0.95]), n_units=80)
    assert not ok and "stable" not in msg
    assert msg == ("This corpus is too small for topics that replicate: 80 units (fewer than 500); treat topics as "
                   "descriptive summaries of these texts, not as themes; the refits of these units agree on all 2 "
                   "topics (mean matched cosine >= 0.7), which shows they are no accident of one fit, not that they "
                   "replicate.")


def test_topic_similarity_and_score_units() -> None:
    m = TopicModel(3, min_df=2).fit(TEXTS)
    sim = topic_similarity(m, m)
    np.testing.assert_allclose(np.diag(sim.to_numpy()), 1.0)
    assert list(sim.index) == m.topic_labels_
    units = pd.DataFrame({"doc_id": ["a", "b"], "unit_id": [0, 0], "text": ["doctor hospital doctor", "zzz"]})
    scored = score_units(m, units)
    assert list(scored["n_vocab_tokens"]) == [3, 0]  # 'doctor' twice + 'hospital'; 'zzz' not in vocabulary
    assert scored.loc[0, m.topic_labels_].sum() == pytest.approx(1.0)
    assert scored.loc[1, m.topic_labels_].isna().all()


def test_figures_have_the_expected_panels() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = pd.DataFrame({"k": [2, 3], "npmi": [0.1, 0.2], "umass": [-1.0, -0.9], "perplexity": [10.0, 12.0]})
    fig = plot_coherence_by_k(table, best_k=3)
    assert [ax.get_ylabel() for ax in fig.axes] == ["NPMI", "UMass", "held-out perplexity"]
    fig2 = plot_stability(_stability([0.9, 0.5]))
    assert len(fig2.axes[0].patches) == 2  # one bar per topic
    assoc = pd.DataFrame({"topic": ["t0", "t0", "t1", "t1"], "frame": ["individual", "systemic"] * 2,
                          "weighted_share": [0.1, 0.2, 0.3, np.nan]})  # fmt: skip
    fig3 = plot_topic_frames(assoc)
    assert sorted(t.get_text() for t in fig3.axes[0].texts) == ["0.10", "0.20", "0.30"]  # NaN cell unlabelled
    prev = pd.DataFrame({"genre": ["blog", "news"], "topic": ["t0", "t0"], "prevalence": [0.2, 0.4],
                         "ci_low": [0.1, 0.4], "ci_high": [0.3, 0.4]})  # fmt: skip
    fig4 = plot_prevalence(prev)
    assert [t.get_text() for t in fig4.legends[0].get_texts()] == ["blog", "news"]  # below the axes
    # a group without an interval (fewer than min_docs documents) is a plain marker: no error bars drawn for it
    from matplotlib.container import ErrorbarContainer

    bare = prev.assign(ci_low=[0.1, np.nan], ci_high=[0.3, np.nan])
    fig5 = plot_prevalence(bare)
    assert [c.get_label() for c in fig5.axes[0].containers if isinstance(c, ErrorbarContainer)] == ["blog"]
    plt.close("all")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 3), min_size=4, max_size=4), min_size=1, max_size=12))
def test_npmi_is_bounded_and_umass_non_positive_for_top_ranked(rows: list[list[int]]) -> None:
    matrix = np.array(rows)
    matrix[:, 0] += 1  # the first-ranked term occurs in every unit, so D(w_l) >= D(w_m, w_l)
    npmi = coherence([[0, 1, 2, 3]], matrix, measure="npmi")[0]
    assert -1.0 - 1e-9 <= npmi <= 1.0 + 1e-9
    # pairs conditioned on term 0: log((D(w_m, w_0) + 1) / N) <= log((N + 1) / N); bounded above
    umass = coherence([[0, 1]], matrix, measure="umass")[0]
    assert umass <= math.log((len(rows) + 1) / len(rows)) + 1e-12


# ------------------------------------------------------------------------------------ notebook


@pytest.mark.slow
def test_notebook_runs_on_the_seeds_and_says_the_corpus_is_too_small(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    papermill = pytest.importorskip("papermill")
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "03.ipynb"
    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))  # the processed corpus is cached here, not in the checkout
    papermill.execute_notebook(
        str(root / "notebooks" / "03_topic_models.ipynb"), str(out), cwd=str(tmp_path), progress_bar=False,
        parameters={"corpus": str(root / "data" / "raw"), "reports_dir": str(tmp_path / "reports"), "k_max": 5,
                    "seeds": [1, 2, 3], "n_boot": 200},
    )  # fmt: skip
    assert (tmp_path / "data" / "processed" / "seeds" / "sentences.parquet").is_file()
    text = out.read_text(encoding="utf-8")
    assert "This corpus is too small for topics that replicate" in text
    for name in ("topics_coherence_by_k", "topics_stability", "topics_prevalence_by_genre", "topics_frame_association"):
        assert (tmp_path / "reports" / "figures" / f"{name}.png").is_file()
    doc_topics = pd.read_csv(tmp_path / "reports" / "tables" / "topics_doc_topics.csv")
    np.testing.assert_allclose(doc_topics.drop(columns="doc_id").sum(axis=1), 1.0, atol=1e-5)


def test_topic_frame_associations_name_the_top_terms_the_instrument_counts() -> None:
    """A topic led by a political locus of the case file (balls) over-represents the political frame partly by
    construction: the column and the sentence say so (hand-made patterns, then the shipped lexicon and case)."""
    from framing import topics

    assoc = pd.DataFrame({"topic": ["t1", "t1", "t2"], "frame": ["political", "systemic", "political"],
                          "lift": [1.8, 0.5, 1.1]})
    patterns = {"political": ["ed balls", "minist*"], "systemic": ["council"]}
    top = {"t1": ["report", "balls", "ministers", "ed balls"], "t2": ["care", "child"]}
    marked = topics.mark_instrument_terms(assoc, top, patterns)
    # "balls" alone is no entry (a phrase's single words are not), "ministers" matches minist*, "ed balls" whole
    assert marked["instrument_terms"].tolist() == ["ministers, ed balls", "", ""]
    said = topics.circular_sentences(marked)
    assert said == ["The top terms of topic “t1” include “ministers”, “ed balls”, which the frame instrument itself "
                    "counts for the political frame (frame lexicon or case file): its association with that frame "
                    "partly holds by construction."]
    assert topics.instrument_terms_sentence("t2", "political", float("nan")) == ""  # an empty CSV cell
    shipped = topics.frame_instrument_patterns("blame_frames", "baby_p")
    assert "balls" in shipped["political"] and "balls" not in topics.frame_instrument_patterns("blame_frames", "")[
        "political"]
    real = topics.mark_instrument_terms(assoc.iloc[:1], {"t1": ["report", "balls", "ed"]}, shipped)
    assert real["instrument_terms"].tolist() == ["balls"]


def test_cli_topics_k_auto_chooses_k_as_choose_k_does(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Usability trial 13: framing topics required --k and had no way to choose it; --k auto chooses as notebook 03."""
    src, out = _cli_corpus(tmp_path), tmp_path / "out"
    rc = cli_main(["topics", str(src), "--k", "auto", "--k-max", "4", "--unit", "document", "--seed", "1",
                   "--out", str(out)])
    assert rc == 0
    # the same choice, restated with the API on the same units (one per document, the corpus's texts)
    want = choose_k(TEXTS, range(2, 5), estimator=TopicModel(random_state=1), random_state=1)
    said = capsys.readouterr().out
    assert f"k={want.best_k} on 12 document units" in said and "--k auto:" in said
    table = pd.read_csv(out / "k_choice.csv")
    assert table["k"].tolist() == [2, 3, 4] and table["npmi"].round(6).tolist() == want.table["npmi"].round(6).tolist()
    assert len(pd.read_csv(out / "doc_topics.csv").columns) == 1 + want.best_k
    # a range without auto, and auto with a learner that does not keep every unit, are refused by name
    assert cli_main(["topics", str(src), "--k", "3", "--k-max", "5", "--out", str(tmp_path / "o2")]) == 2
    assert "--k-min and --k-max go with --k auto" in capsys.readouterr().err
    assert cli_main(["topics", str(src), "--k", "auto", "--learner", "online", "--out", str(tmp_path / "o3")]) == 2
    assert "--k auto fits every k" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # argparse: neither a number nor auto
        cli_main(["topics", str(src), "--k", "many", "--out", str(tmp_path / "o4")])
    assert "expected a number of topics or 'auto', got 'many'" in capsys.readouterr().err
