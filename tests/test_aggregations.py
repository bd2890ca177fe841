"""Aggregations moved out of the notebooks (issue 11): each checked on a small table made by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from framing import attribution as at
from framing.agreement import f1_lines, frame_prevalence, frame_verdicts, held_out_verdict
from framing.errors import ParameterError
from framing.scoring import frame_counts, labelled_hits

DOCS = pd.DataFrame({"doc_id": ["d1", "d2"], "genre": ["a", "b"]})


def _hits(rows: list[tuple[str, int, str, bool]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "category", "negated"])


def test_frame_counts_counts_sentences_hits_and_negated_hits() -> None:
    table = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "sent_id": [0, 1, 0],
                          "x": [1, 0, 1], "y": [0, 0, 1], "n_x": [2, 1, 1], "n_y": [0, 0, 3]})
    hits = _hits([("d1", 0, "x", False), ("d1", 0, "x", True), ("d1", 1, "x", True), ("d2", 0, "y", False)])
    out = frame_counts(table, hits, ["x", "y"])
    assert out.to_dict("list") == {"frame": ["x", "y"], "sentences with the frame": [2, 1], "hits": [4, 3],
                                   "negated hits": [2, 0]}


def test_labelled_hits_keeps_hits_in_sentences_carrying_their_frame() -> None:
    table = pd.DataFrame({"doc_id": ["d1", "d1"], "sent_id": [0, 1], "x": [1, 0], "y": [0, 1]})
    hits = _hits([("d1", 0, "x", False), ("d1", 0, "y", False), ("d1", 1, "x", False), ("d1", 1, "y", True)])
    out = labelled_hits(hits, table, ["x", "y"])
    assert list(zip(out["sent_id"], out["category"], strict=True)) == [(0, "x"), (1, "y")]


def test_quotation_table_keeps_top_level_quotations_and_names_the_unattributed() -> None:
    quotes = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "depth": [0, 1, 0], "start": [0, 5, 3], "end": [9, 8, 7],
                           "speaker": ["Ann", "Bob", None], "speaker_mention": ["Ann", "Bob", None],
                           "verb": ["said", "said", None], "rule": ["r", "r", None], "closed": [True] * 3,
                           "text": ["one\ntwo", "x", "abcdef"]})
    out = at.quotation_table(quotes, DOCS)
    assert out["doc_id"].tolist() == ["d1", "d2"]
    assert out["genre"].tolist() == ["a", "b"]
    assert out["speaker"].tolist() == ["Ann", "(unattributed)"]
    assert out["text"].tolist() == ["one two", "abcdef"]  # whole, on one line
    # a cut is marked: 5 characters, the last an ellipsis; a text that fits is left alone
    assert at.quotation_table(quotes, DOCS, text_chars=5)["text"].tolist() == ["one …", "abcd…"]
    assert at.quotation_table(quotes, DOCS, text_chars=7)["text"].tolist() == ["one two", "abcdef"]
    with pytest.raises(ParameterError, match="text_chars"):
        at.quotation_table(quotes, DOCS, text_chars=0)


def test_voice_by_genre_counts_quoted_voice_in_the_given_genre_order() -> None:
    voice = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "sent_id": [0, 1, 0], "n_quotes": [0, 2, 1],
                          "quoted_share": [0.0, 0.5, 1.0], "voice": ["authorial", "mixed", "quoted"]})
    quotes = pd.DataFrame({"doc_id": ["d1", "d1", "d1", "d2"], "depth": [0, 0, 1, 0],
                           "speaker": ["X", None, "Y", None]})
    out = at.voice_by_genre(voice, quotes, DOCS, ["b", "a", "c"]).set_index("genre")
    assert out.index.tolist() == ["b", "a", "c"]
    assert out.loc["a", ["n_sentences", "sentences_with_quotes", "quoted_sentences"]].tolist() == [2, 1, 0]
    assert out.loc["a", "mean_quoted_share"] == pytest.approx(0.25)
    assert out.loc["b", ["n_sentences", "sentences_with_quotes", "quoted_sentences"]].tolist() == [1, 1, 1]
    assert out["quotations"].tolist() == [1, 2, 0]  # the nested quotation is not counted
    assert out["attributed"].tolist() == [0, 1, 0]
    assert np.isnan(out.loc["c", "n_sentences"])  # a genre without sentences has no counts


def test_frames_by_voice_sums_by_genre() -> None:
    counts = pd.DataFrame({"genre": ["a", "b", "a"], "x_authorial": [1, 2, 3], "x_quoted": [0, 1, 1]})
    out = at.frames_by_voice(counts, ["b", "a"], frames=["x"])
    assert out.to_dict("list") == {"genre": ["b", "a"], "x_authorial": [2, 4], "x_quoted": [1, 1]}


def test_actor_sentences_by_genre_counts_sentences_not_mentions_and_skips_negated() -> None:
    actors = pd.DataFrame({"doc_id": ["d1", "d1", "d1", "d2"], "sent_id": [0, 0, 1, 0],
                           "actor": ["council", "council", "council", "police"],
                           "negated": [False, False, True, False]})
    out = at.actor_sentences_by_genre(actors, DOCS, ["a", "b"], names=["council", "police", "judge"])
    assert out.loc["council"].tolist() == [1, 0]  # two mentions in one sentence; the negated one is out
    assert out.loc["police"].tolist() == [0, 1]
    assert out.loc["judge"].tolist() == [0, 0]


BLAME = pd.DataFrame({
    "doc_id": ["d1", "d1", "d1", "d2", "d2"],
    "sent_id": [0, 0, 1, 0, 1],
    "genre": ["a", "a", "a", "b", "b"],
    "blamer": ["author", "author", "Ed Balls", "author", "author"],
    "blamer_actor": ["", "", "government", "", ""],
    "target": ["council", "police", "council", "council", "council"],
})


def test_blame_by_voice_counts_each_blamer_once_per_sentence() -> None:
    out = at.blame_by_voice(BLAME, ["a", "b"])
    assert out.loc["a"].to_dict() == {"author": 1, "quoted": 1}
    assert out.loc["b"].to_dict() == {"author": 2, "quoted": 0}
    # with the blame table's voice column, reported speech is counted apart from quotations
    voiced = BLAME.assign(voice=["authorial", "authorial", "reported", "authorial", "authorial"])
    out = at.blame_by_voice(voiced, ["a", "b"])
    assert out.loc["a"].to_dict() == {"author": 1, "quoted": 0, "reported": 1}
    assert out.loc["b"].to_dict() == {"author": 2, "quoted": 0, "reported": 0}


def test_blame_network_edges_lists_each_genre_with_sentence_weights() -> None:
    out = at.blame_network_edges(BLAME, ["b", "a"], level="actor")
    rows = sorted(map(tuple, out[["genre", "blamer", "target", "sentences"]].to_numpy().tolist()))
    assert rows == [("a", "author", "council", 1), ("a", "author", "police", 1),
                    ("a", "government", "council", 1), ("b", "author", "council", 2)]
    speakers = at.blame_network_edges(BLAME, ["a"], level="speaker")
    assert "Ed Balls" in set(speakers["blamer"])


def test_frame_prevalence_and_verdicts_read_the_metrics() -> None:
    codes = pd.DataFrame({"x": [1, 0, 1, 1], "y": [0, 0, 0, 1]})
    pred = pd.DataFrame({"x": [1, 1, 1, 1], "y": [0, 0, 1, 1]})
    prev = frame_prevalence(codes, pred, ["x", "y"])
    assert prev.to_dict("list") == {"frame": ["x", "y"], "human": [0.75, 0.25], "lexicon": [1.0, 0.5]}
    metrics = pd.DataFrame({"f1": [0.9, 0.4], "f1_baseline": [0.86, 0.5]}, index=["x", "y"])
    lines = frame_verdicts(metrics, pd.Series({"x": 0.5, "y": -0.1}), prev, ["x", "y"])
    assert lines[0] == "              x: F1 0.90 beats always-present 0.86; alpha 0.50; lexicon flags 100% of " \
                       "articles, coders 75%"
    assert "y: F1 0.40 does NOT beat always-present 0.50; alpha -0.10; lexicon flags 50%" in lines[1]


def test_f1_lines_state_interval_baseline_and_support() -> None:
    m = pd.DataFrame({"precision": [0.5], "recall": [0.25], "f1": [1 / 3], "f1_low": [0.1], "f1_high": [0.6],
                      "f1_baseline": [0.4], "support": [4], "n": [10]}, index=["x"])
    assert f1_lines(m, ["x"]) == ["         x: P 0.50  R 0.25  F1 0.33 [0.10, 0.60]  (always-present F1 0.40; "
                                  "4 of 10 sentences coded 1)"]


def test_held_out_verdict_prefers_the_rule_unless_the_classifier_does_better() -> None:
    summary = pd.DataFrame({"scope": ["seeds-LODO", "seeds-LODO"], "method": ["rule", "classifier"],
                            "macro_f1": [0.6, 0.5]})
    assert held_out_verdict(summary) == "held out by document: classifier 0.50, rule 0.60: the rule stays the default."
    better = summary.assign(macro_f1=[0.5, 0.7])
    assert "the learned option does better" in str(held_out_verdict(better))
    assert held_out_verdict(summary[summary["method"] == "rule"]) is None


def test_seeded_topic_summary_checks_row_counts() -> None:
    from framing.topics import SeededTopicModel, seeded_topic_summary

    texts = ["council failed social workers", "minister resigned inquiry", "police failed child",
             "council management failure", "social workers blamed", "minister inquiry political"] * 2
    with pytest.warns(UserWarning, match="match no vocabulary term"):
        model = SeededTopicModel(n_free=1, min_df=1, random_state=0).fit(texts)
    k = len(model.topic_labels_)
    labels = pd.DataFrame({"label": [f"t{i}" for i in range(k)], "seeds_lead": [True] * k})
    stab = pd.DataFrame({"stability": np.linspace(0.1, 0.9, k), "unstable": [True] + [False] * (k - 1)})
    out = seeded_topic_summary(model, labels, stab, n=3)
    assert out.columns.tolist() == ["label", "topic", "top_terms", "seed_retention", "stability", "unstable",
                                    "seeds_lead"]
    assert out["label"].tolist() == labels["label"].tolist()
    terms = model.top_terms(3)
    assert out["top_terms"].tolist() == [", ".join(terms[terms["topic"] == i].sort_values("rank")["term"])
                                         for i in range(k)]
    assert out["seed_retention"].isna().tolist() == [False] * len(model.seed_retention_) + [True] * (
        k - len(model.seed_retention_))
    with pytest.raises(ParameterError, match="labels 1 rows"):
        seeded_topic_summary(model, labels.head(1), stab)


def test_sealed_comparison_averages_only_the_sets_scored_with_both_methods() -> None:
    from framing.agreement import sealed_comparison

    rule = {"bbc-2": 0.5, "bbc-4": 0.4, "bbc-5": 0.3}
    learned = {"bbc-2": 0.3, "bbc-4": float("nan"), "bbc-9": 0.9}  # bbc-4 not scored; bbc-9 has no rule figure
    n, r, c = sealed_comparison(rule, learned)
    assert (n, r, c) == (1, 0.5, 0.3)
    n, r, c = sealed_comparison(rule, {"bbc-2": 0.6, "bbc-5": 0.5})
    assert n == 2 and r == pytest.approx(0.4) and c == pytest.approx(0.55)
    assert sealed_comparison(rule, {}) is None
    assert sealed_comparison({"bbc-2": float("nan")}, {"bbc-2": 0.5}) is None
