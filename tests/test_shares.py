"""Tests for framing.shares: lexicon and coders' frame shares by genre, on the same sentences."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from framing.errors import ParameterError
from framing.shares import coded_frame_shares, corrected_shares, instrument_agreement

ROOT = Path(__file__).resolve().parents[1]


def test_coded_frame_shares_by_hand() -> None:
    documents = pd.DataFrame({"doc_id": ["n1", "b1"], "genre": ["news", "blog"]})
    # four coded sentences: n1/0, n1/1, b1/0, b1/1; two coders who disagree once (n1/1, individual)
    codes = pd.DataFrame({
        "doc_id": ["n1", "n1", "b1", "b1"] * 2,
        "sent_id": [0, 1, 0, 1] * 2,
        "coder": ["ann"] * 4 + ["bob"] * 4,
        "individual": [1, 1, 0, 0, 1, 0, 0, 0],
        "systemic": [0, 0, 1, 1, 0, 0, 1, 1],
    })
    # the lexicon labels one uncoded sentence too (n1/2): it must not count
    predicted = pd.DataFrame({
        "doc_id": ["n1", "n1", "n1", "b1", "b1"], "sent_id": [0, 1, 2, 0, 1],
        "individual": [1, 0, 1, 0, 0], "systemic": [0, 0, 1, 1, 0],
    })
    out = coded_frame_shares(codes, predicted, documents, ["individual", "systemic"])
    got = {(r.genre, r.frame, r.source): (r.share, r.n_sentences) for r in out.itertuples()}
    # n1/1 individual: one coder against one, a tie: no majority, so neither the majority nor the lexicon
    # row counts it; the lexicon row covers n1/0 alone (n1/2 is not coded), where the lexicon says 1
    assert got[("news", "individual", "lexicon")] == (1.0, 1)
    assert got[("news", "individual", "ann")] == (1.0, 2)
    assert got[("news", "individual", "bob")] == (0.5, 2)
    assert got[("news", "individual", "majority")] == (1.0, 1)
    assert got[("blog", "systemic", "lexicon")] == (0.5, 2)
    assert got[("blog", "systemic", "majority")] == (1.0, 2)
    row = out.set_index(["genre", "frame", "source"])
    assert row.loc[("news", "individual", "majority"), "n_tied"] == 1
    assert row.loc[("news", "individual", "lexicon"), "n_tied"] == 1
    assert row.loc[("news", "individual", "ann"), "n_tied"] == 0
    assert row.loc[("news", "individual", "bob"), "lexicon_share"] == 0.5  # the lexicon on n1/0, n1/1: 1, 0
    assert row.loc[("blog", "systemic", "majority"), "n_tied"] == 0
    # order: genres as in documents, then frames, then lexicon, coders, majority
    assert list(out["genre"].unique()) == ["news", "blog"]
    assert list(out[(out.genre == "news") & (out.frame == "individual")]["source"]) == [
        "lexicon", "ann", "bob", "majority"]


def test_coded_frame_shares_majority_of_three_coders_and_not_coded_cells() -> None:
    """The majority is more than half of the coders who coded the sentence, not unanimity; a "not coded" cell
    (missing) leaves the sentence out of that coder's row and of the vote, for that frame only."""
    documents = pd.DataFrame({"doc_id": ["n1"], "genre": ["news"]})
    votes = {  # sentence: codes of a, b, c (None: not coded)
        0: (1, 1, 0),  # majority 1 (two of three; not unanimous)
        1: (0, 0, 1),  # majority 0
        2: (1, 1, 1),  # 1
        3: (1, 0, None),  # one against one: a tie, no majority
        4: (None, None, 1),  # one coder coded it: 1
    }
    codes = pd.DataFrame([("n1", s, coder, v[i], 1) for s, v in votes.items() for i, coder in enumerate("abc")],
                         columns=["doc_id", "sent_id", "coder", "f", "g"])
    codes["f"] = pd.array(codes["f"], dtype="Int8")  # read_coding_sheets' dtype: missing = not coded
    predicted = pd.DataFrame({"doc_id": ["n1"] * 5, "sent_id": range(5), "f": [0, 1, 1, 1, 0], "g": 0})
    out = coded_frame_shares(codes, predicted, documents, ["f", "g"]).set_index(["frame", "source"])
    f = out.loc["f"]
    # majority over s0, s1, s2, s4: 1, 0, 1, 1; s3 tied
    assert (f.loc["majority", "share"], f.loc["majority", "n_sentences"], f.loc["majority", "n_tied"]) == (
        0.75, 4, 1)
    # the lexicon on the same four sentences: 0, 1, 1, 0
    assert (f.loc["lexicon", "share"], f.loc["lexicon", "n_sentences"]) == (0.5, 4)
    assert (f.loc["a", "share"], f.loc["a", "n_sentences"]) == (0.75, 4)  # s0-s3: 1, 0, 1, 1
    assert (f.loc["b", "share"], f.loc["b", "n_sentences"]) == (0.5, 4)  # s0-s3: 1, 0, 1, 0
    assert (f.loc["c", "share"], f.loc["c", "n_sentences"]) == (0.75, 4)  # s0, s1, s2, s4: 0, 1, 1, 1
    assert f.loc["a", "lexicon_share"] == 0.75  # the lexicon on a's sentences s0-s3: 0, 1, 1, 1
    assert f.loc["c", "lexicon_share"] == 0.5  # on c's s0, s1, s2, s4: 0, 1, 1, 0
    # frame g: every cell coded, all say 1; the missing cells of f do not touch it
    assert out.loc[("g", "majority"), "n_sentences"] == 5 and out.loc[("g", "a"), "n_sentences"] == 5
    assert out.loc[("g", "lexicon"), "share"] == 0.0 and out.loc[("g", "majority"), "share"] == 1.0
    with pytest.raises(ParameterError, match=r"codes column 'g' holds 2 \(doc_id 'n1' sent_id 0\)"):
        coded_frame_shares(codes.assign(g=2), predicted, documents, ["f", "g"])


def test_coded_frame_shares_names_a_missing_column() -> None:
    docs = pd.DataFrame({"doc_id": ["d"], "genre": ["news"]})
    codes = pd.DataFrame({"doc_id": ["d"], "sent_id": [0], "coder": ["a"]})
    with pytest.raises(ParameterError, match=r"codes lacks column\(s\) \['individual'\]"):
        coded_frame_shares(codes, codes, docs, ["individual"])


# --- corrected_shares: the whole corpus's shares corrected by a coded sample -----------------------------------


def _corpus(labels: dict[str, list[int]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Instrument labels (one frame, ``f``) of documents given as lists of 0/1, and their documents table."""
    rows = [(d, i, v) for d, vs in labels.items() for i, v in enumerate(vs)]
    predicted = pd.DataFrame(rows, columns=["doc_id", "sent_id", "f"])
    documents = pd.DataFrame({"doc_id": list(labels), "genre": ["news"] * len(labels)})
    return predicted, documents


def test_corrected_shares_by_hand() -> None:
    # 20 sentences, 5 labelled by the instrument (share 0.25); coded: 4 of its positives, 3 truly positive
    # (PPV 3/4), and 4 of its negatives, 1 truly positive (FOR 1/4): 0.25 * 0.75 + 0.75 * 0.25 = 0.375
    predicted, documents = _corpus({"a": [1, 1, 1, 1, 1, 0, 0, 0, 0, 0], "b": [0] * 10})
    codes = pd.DataFrame({"doc_id": ["a"] * 8, "sent_id": [0, 1, 2, 3, 5, 6, 7, 8], "f": [1, 1, 1, 0, 1, 0, 0, 0]})
    out = corrected_shares(predicted, codes, documents, ["f"], n_boot=0)
    row = out[out["group"] == "all"].iloc[0]
    assert row["instrument_share"] == pytest.approx(0.25)
    assert row["ppv"] == pytest.approx(0.75) and row["false_omission"] == pytest.approx(0.25)
    assert row["corrected_share"] == pytest.approx(0.375)
    assert row["n_sentences"] == 20 and row["n_coded"] == 8
    assert np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])
    assert list(out["group"]) == ["news", "all"]


def test_corrected_shares_of_a_fully_coded_corpus_are_the_coders_shares() -> None:
    rng = np.random.default_rng(1)
    predicted, documents = _corpus({f"d{i}": list(rng.integers(0, 2, 12)) for i in range(6)})
    truth = rng.integers(0, 2, len(predicted))
    codes = predicted[["doc_id", "sent_id"]].assign(f=truth)
    out = corrected_shares(predicted, codes, documents, ["f"], n_boot=0)
    assert out.loc[out["group"] == "all", "corrected_share"].iloc[0] == pytest.approx(truth.mean())


def test_two_coders_who_disagree_count_half() -> None:
    predicted, documents = _corpus({"a": [1, 0, 0, 0]})
    codes = pd.DataFrame({"doc_id": ["a"] * 4, "sent_id": [0, 0, 1, 1], "coder": ["x", "y", "x", "y"],
                          "f": [1, 0, 0, 0]})
    out = corrected_shares(predicted, codes, documents, ["f"], n_boot=0)
    row = out[out["group"] == "all"].iloc[0]
    # PPV 0.5 (one coder of two), FOR 0: 0.25 * 0.5
    assert row["ppv"] == pytest.approx(0.5) and row["corrected_share"] == pytest.approx(0.125)


def test_corrected_shares_recover_the_truth_that_a_biased_instrument_misses() -> None:
    """A simulated corpus: the frame is in 70% of news sentences and 10% of blog sentences; the instrument
    finds 60% of them and labels 30% of the others, so it sees about 0.51 and 0.33: the genre gap shrinks
    from 0.6 to 0.2. A random sample of 20% of the sentences, coded, corrects both genres."""
    rng = np.random.default_rng(7)
    n_docs, per_doc = 400, 12
    genre = np.where(np.arange(n_docs) < 200, "news", "blog")
    rate = np.where(genre == "news", 0.7, 0.1)
    truth = rng.random((n_docs, per_doc)) < rate[:, None]
    said = np.where(truth, rng.random(truth.shape) < 0.6, rng.random(truth.shape) < 0.3)
    doc_ids = np.repeat([f"d{i:03d}" for i in range(n_docs)], per_doc)
    predicted = pd.DataFrame({"doc_id": doc_ids, "sent_id": np.tile(np.arange(per_doc), n_docs),
                              "f": said.ravel().astype(int)})
    documents = pd.DataFrame({"doc_id": [f"d{i:03d}" for i in range(n_docs)], "genre": genre})
    sample = rng.choice(len(predicted), size=len(predicted) // 5, replace=False)
    codes = predicted.iloc[sample][["doc_id", "sent_id"]].assign(f=truth.ravel()[sample].astype(int))
    out = corrected_shares(predicted, codes, documents, ["f"], n_boot=500, random_state=3).set_index("group")
    for g in ("news", "blog"):
        true_share = truth[genre == g].mean()
        assert abs(out.loc[g, "instrument_share"] - true_share) > 0.15  # the instrument is far off ...
        assert abs(out.loc[g, "corrected_share"] - true_share) < 0.06  # ... the correction is not
        assert out.loc[g, "ci_low"] <= true_share <= out.loc[g, "ci_high"]
        assert out.loc[g, "rates"] == "group"
    assert abs(out.loc["all", "corrected_share"] - truth.mean()) < 0.04
    # PPV depends on how common the frame is: far higher in news than in blogs, for the same instrument
    assert out.loc["news", "ppv"] > 0.6 > 0.3 > out.loc["blog", "ppv"]


def test_a_group_with_too_few_coded_sentences_borrows_the_pooled_rates() -> None:
    predicted = pd.DataFrame({"doc_id": ["a"] * 10 + ["b"] * 10, "sent_id": list(range(10)) * 2,
                              "f": [1] * 5 + [0] * 5 + [1] * 5 + [0] * 5})
    documents = pd.DataFrame({"doc_id": ["a", "b"], "genre": ["news", "blog"]})
    # news: all 10 coded (PPV 4/5, FOR 1/5); blog: two coded (one of each side), fewer than min_coded
    codes = pd.DataFrame({"doc_id": ["a"] * 10 + ["b"] * 2, "sent_id": [*range(10), 0, 5],
                          "f": [1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1]})  # news, then blog
    out = corrected_shares(predicted, codes, documents, ["f"], n_boot=0).set_index("group")
    assert out.loc["news", "rates"] == "group" and out.loc["news", "corrected_share"] == pytest.approx(0.5)
    assert out.loc["blog", "rates"] == "pooled"
    # pooled over the 12 coded sentences: PPV 4/6, FOR 2/6; blog share 0.5 -> 0.5 * 4/6 + 0.5 * 2/6 = 0.5
    assert out.loc["blog", "ppv"] == pytest.approx(4 / 6)
    assert out.loc["blog", "corrected_share"] == pytest.approx(0.5)
    strict = corrected_shares(predicted, codes, documents, ["f"], n_boot=0, min_coded=1).set_index("group")
    assert strict.loc["blog", "rates"] == "group" and strict.loc["blog", "corrected_share"] == pytest.approx(0.5)
    assert strict.loc["blog", "ppv"] == pytest.approx(0.0)


def test_corrected_shares_bootstrap_is_seeded() -> None:
    predicted, documents = _corpus({f"d{i}": [1, 0, 1, 0, 0] for i in range(8)})
    codes = predicted.sample(20, random_state=0).assign(f=lambda t: (t["sent_id"] < 2).astype(int))
    a = corrected_shares(predicted, codes, documents, ["f"], n_boot=200, random_state=5, min_docs=1)
    b = corrected_shares(predicted, codes, documents, ["f"], n_boot=200, random_state=5, min_docs=1)
    pd.testing.assert_frame_equal(a, b)
    assert (a["ci_low"] <= a["corrected_share"]).all() and (a["corrected_share"] <= a["ci_high"]).all()


def test_corrected_shares_refuses_bad_input() -> None:
    predicted, documents = _corpus({"a": [1, 0]})
    with pytest.raises(ParameterError, match=r"not in predicted, e.g. doc_id 'zz' sent_id 0"):
        corrected_shares(predicted, pd.DataFrame({"doc_id": ["zz"], "sent_id": [0], "f": [1]}), documents, ["f"])
    with pytest.raises(ParameterError, match=r"codes lacks column\(s\) \['f'\]"):
        corrected_shares(predicted, predicted[["doc_id", "sent_id"]], documents, ["f"])
    with pytest.raises(ParameterError, match="codes is empty"):
        corrected_shares(predicted, predicted.iloc[:0], documents, ["f"])
    with pytest.raises(ParameterError, match="n_boot"):
        corrected_shares(predicted, predicted, documents, ["f"], n_boot=-1)
    with pytest.raises(ParameterError, match="min_coded"):
        corrected_shares(predicted, predicted, documents, ["f"], min_coded=0)
    with pytest.raises(ParameterError, match="document 'a' of predicted has no 'genre'"):
        corrected_shares(predicted, predicted, documents.assign(doc_id="b"), ["f"])


def test_cli_validate_shares_on_the_fully_coded_seeds(tmp_path: Path) -> None:
    """Every seed sentence is coded: a genre's corrected share is its coders' mean share, read from the sheets."""
    from framing.cli import main

    sheets = [ROOT / "data" / "validation" / f"seeds_coded{s}.csv" for s in ("", "_coder2")]
    out = tmp_path / "shares.csv"
    args = ["validate", "shares", str(ROOT / "data" / "raw"), "--case", "baby_p", "--n-boot", "50", "--out", str(out)]
    assert main([*args[:3], *[a for p in sheets for a in ("--coded", str(p))], *args[3:]]) == 0
    table = pd.read_csv(out)
    assert list(table["group"].unique()) == ["minister", "blog", "news", "all"]
    coded = pd.concat([pd.read_csv(p) for p in sheets]).groupby(["doc_id", "sent_id"]).mean(numeric_only=True)
    meta = pd.read_csv(ROOT / "data" / "raw" / "metadata.csv")
    genre_of = dict(zip(meta["file"].str.removesuffix(".txt"), meta["genre"], strict=True))
    genre = coded.reset_index()["doc_id"].map(genre_of).to_numpy()
    for frame in ("individual", "systemic", "political"):
        by_hand = coded[frame].groupby(genre).mean()
        got = table[table["frame"] == frame].set_index("group")
        for g in ("minister", "blog", "news"):
            assert got.loc[g, "rates"] == "group"
            assert got.loc[g, "corrected_share"] == pytest.approx(by_hand[g], abs=1e-6)  # CSV: 6 decimals
        assert got.loc["all", "corrected_share"] == pytest.approx(coded[frame].mean(), abs=1e-6)
    assert main(["validate", "shares", str(ROOT / "data" / "raw"), "--coded", str(tmp_path / "none.csv"),
                 "--out", str(tmp_path / "x.csv")]) == 2
    assert not (tmp_path / "x.csv").exists()


def test_corrected_shares_give_no_interval_below_min_docs() -> None:
    # news: 12 documents (>= min_docs 10), blog 2, minister 1; the corpus row: 15 documents
    labels = {f"n{i:02d}": [1, 0, 0, 1] for i in range(12)} | {"b1": [1, 0], "b2": [0, 1], "m1": [1, 1, 0]}
    predicted, documents = _corpus(labels)
    documents["genre"] = ["news"] * 12 + ["blog", "blog", "minister"]
    codes = predicted[["doc_id", "sent_id"]].assign(f=(predicted["sent_id"] % 2).to_numpy())
    out = corrected_shares(predicted, codes, documents, ["f"], n_boot=200).set_index("group")
    assert out["n_docs"].to_dict() == {"news": 12, "blog": 2, "minister": 1, "all": 15}
    for few in ("blog", "minister"):
        assert np.isnan(out.loc[few, "ci_low"]) and np.isnan(out.loc[few, "ci_high"])
        assert out.loc[few, "method"] == "descriptive"
    for enough in ("news", "all"):
        assert out.loc[enough, "ci_low"] <= out.loc[enough, "corrected_share"] <= out.loc[enough, "ci_high"]
        assert out.loc[enough, "method"] == "bootstrap over coded documents"
    # min_docs=1 gives every group its bootstrap interval (the minister's: one document, no width)
    every = corrected_shares(predicted, codes, documents, ["f"], n_boot=200, min_docs=1).set_index("group")
    assert every.loc["minister", "ci_low"] == every.loc["minister", "ci_high"]
    with pytest.raises(ParameterError, match="min_docs"):
        corrected_shares(predicted, codes, documents, ["f"], n_boot=0, min_docs=0)


def test_an_interval_needs_min_docs_coded_documents() -> None:
    """Twenty documents, only one of them coded: the bootstrap over coded documents has one document to draw,
    so there is no interval whatever the corpus's size (issue 9: the rule counted the corpus's documents)."""
    predicted, documents = _corpus({f"d{i:02d}": [1, 0, 1, 0, 1] for i in range(20)})
    codes = predicted[predicted["doc_id"] == "d00"].assign(f=[1, 1, 0, 0, 0])
    out = corrected_shares(predicted, codes, documents, ["f"], n_boot=500, min_coded=1).set_index("group")
    for g in ("news", "all"):
        assert out.loc[g, "n_docs"] == 20 and out.loc[g, "n_coded_docs"] == 1
        assert np.isnan(out.loc[g, "ci_low"]) and np.isnan(out.loc[g, "ci_high"])
        assert out.loc[g, "method"] == "descriptive"
    # d00: the instrument's positives s0, s2, s4 coded 1, 0, 0 (PPV 1/3); its negatives s1, s3 coded 1, 0 (FOR 1/2)
    assert out.loc["news", "ppv"] == pytest.approx(1 / 3) and out.loc["news", "false_omission"] == pytest.approx(0.5)
    # ten coded documents reach min_docs (10): an interval
    ten = predicted[predicted["doc_id"] < "d10"].assign(f=lambda t: (t["sent_id"] < 2).astype(int))
    out = corrected_shares(predicted, ten, documents, ["f"], n_boot=200).set_index("group")
    assert out.loc["news", "n_coded_docs"] == 10 and out.loc["news", "method"] == "bootstrap over coded documents"
    assert out.loc["news", "ci_low"] <= out.loc["news", "corrected_share"] <= out.loc["news", "ci_high"]


def test_a_not_coded_cell_is_left_out_of_its_frame_only() -> None:
    predicted, documents = _corpus({"a": [1, 1, 0, 0]})
    predicted["g"] = [1, 1, 0, 0]
    codes = pd.DataFrame({"doc_id": ["a"] * 4, "sent_id": range(4), "coder": "x",
                          "f": pd.array([1, None, 0, 1], dtype="Int8"), "g": [1, 0, 0, 1]})
    out = corrected_shares(predicted, codes, documents, ["f", "g"], n_boot=0, min_coded=1)
    f = out[(out["group"] == "all") & (out["frame"] == "f")].iloc[0]
    # f: positives coded s0 (1) -> PPV 1; negatives s2 0, s3 1 -> FOR 1/2; 0.5 * 1 + 0.5 * 0.5
    assert f["ppv"] == pytest.approx(1.0) and f["false_omission"] == pytest.approx(0.5)
    assert f["corrected_share"] == pytest.approx(0.75) and f["n_coded"] == 3
    g = out[(out["group"] == "all") & (out["frame"] == "g")].iloc[0]
    # g: all four coded; PPV 1/2, FOR 1/2 -> 0.5
    assert g["corrected_share"] == pytest.approx(0.5) and g["n_coded"] == 4
    # a second coder who coded s1: the sentence's code is that coder's alone (0), so PPV 1/2 -> 0.5
    both = pd.concat([codes, pd.DataFrame({"doc_id": ["a"], "sent_id": [1], "coder": ["y"], "f": [0], "g": [0]})])
    out = corrected_shares(predicted, both, documents, ["f"], n_boot=0, min_coded=1)
    assert out["corrected_share"].iloc[-1] == pytest.approx(0.5) and out["n_coded"].iloc[-1] == 4


def _two_sided_group() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Group ``a``: document a1 holds only instrument positives (coded 6 of 10 positive), a2 only negatives
    (2 of 10). Group ``b``: ten alike documents, each 4 positives (3 coded positive) and 4 negatives (2)."""
    labels = {"a1": [1] * 10, "a2": [0] * 10} | {f"b{i}": [1] * 4 + [0] * 4 for i in range(10)}
    predicted, documents = _corpus(labels)
    documents["genre"] = ["a", "a"] + ["b"] * 10
    truth = {"a1": [1] * 6 + [0] * 4, "a2": [1] * 2 + [0] * 8} | {f"b{i}": [1, 1, 1, 0, 1, 1, 0, 0] for i in range(10)}
    codes = predicted[["doc_id", "sent_id"]].assign(f=[v for d in labels for v in truth[d]])
    return predicted, codes, documents


def test_every_replicate_borrows_the_pooled_rate_as_the_point_estimate_does() -> None:
    """A replicate of group a draws {a1, a1}, {a1, a2} or {a2, a2}. Its share is 0.5; by hand:
    {a1, a2}: 0.5 * 0.6 + 0.5 * 0.2 = 0.4 (half of the replicates);
    {a1, a1}: no coded negative, FOR borrowed from the pooled sample (b's 20/40): 0.5 * 0.6 + 0.5 * 0.5 = 0.55;
    {a2, a2}: no coded positive, PPV borrowed (b's 30/40): 0.5 * 0.75 + 0.5 * 0.2 = 0.475.
    b's documents are alike, so every replicate of b (and of the pooled rates) is b's own. The interval runs
    from the least to the largest of the three (each drawn a quarter of the time or more)."""
    predicted, codes, documents = _two_sided_group()
    out = corrected_shares(predicted, codes, documents, ["f"], n_boot=400, min_docs=1, random_state=11)
    a = out.set_index("group").loc["a"]
    assert a["corrected_share"] == pytest.approx(0.4) and a["rates"] == "group"
    assert a["ci_low"] == pytest.approx(0.4) and a["ci_high"] == pytest.approx(0.55)
    assert a["n_undefined"] == 0
    b = out.set_index("group").loc["b"]
    assert b["corrected_share"] == pytest.approx(0.5 * 0.75 + 0.5 * 0.5) == b["ci_low"] == b["ci_high"]


def test_an_undefined_replicate_is_counted_not_dropped_silently() -> None:
    """Group a alone: a replicate {a1, a1} has no coded negative anywhere (nor pooled), {a2, a2} no coded
    positive: neither has an estimate. About half of the replicates are such; the interval comes from the
    others ({a1, a2}: 0.4) and ``n_undefined`` says how many were left out."""
    predicted, codes, documents = _two_sided_group()
    keep = documents["genre"] == "a"
    predicted, codes = (t[t["doc_id"].isin(documents.loc[keep, "doc_id"])] for t in (predicted, codes))
    out = corrected_shares(predicted, codes, documents[keep], ["f"], n_boot=400, min_docs=1, random_state=11)
    for row in out.itertuples():
        assert row.corrected_share == pytest.approx(0.4)
        assert 140 < row.n_undefined < 260  # binomial(400, 1/2): mean 200, sd 10
        assert row.ci_low == pytest.approx(0.4) and row.ci_high == pytest.approx(0.4)


def test_corrected_shares_do_not_depend_on_the_row_order_of_codes() -> None:
    rng = np.random.default_rng(3)
    predicted, documents = _corpus({f"d{i:02d}": list(rng.integers(0, 2, 12)) for i in range(30)})
    codes = predicted[predicted["doc_id"] < "d15"].assign(f=lambda t: (rng.random(len(t)) < 0.35).astype(int))
    a = corrected_shares(predicted, codes, documents, ["f"], n_boot=300, random_state=5)
    b = corrected_shares(predicted, codes.sample(frac=1, random_state=0), documents, ["f"], n_boot=300,
                         random_state=5)
    assert a["method"].iloc[0] == "bootstrap over coded documents"
    pd.testing.assert_frame_equal(a, b)


def test_leading_frames_says_a_tie_and_names_no_lead_on_very_few_sentences() -> None:
    from framing.shares import MIN_LEAD_SENTENCES, leading_frames

    assert MIN_LEAD_SENTENCES == 5
    # 8 sentences against 8 of 30: a tie, in table order
    assert leading_frames({"individual": 8 / 30, "systemic": 8 / 30, "political": 0.0},
                          {"individual": 8, "systemic": 8, "political": 0}) == ["individual", "systemic"]
    # 2 sentences against 1: no lead
    assert leading_frames({"individual": 2 / 28, "systemic": 1 / 28}, {"individual": 2, "systemic": 1}) == []
    assert leading_frames({"individual": 0.5, "systemic": 0.2}, {"individual": 5, "systemic": 2}) == ["individual"]
    assert leading_frames({"individual": 0.0, "systemic": 0.0}) == []  # no frame sentence at all
    assert leading_frames({"individual": 0.1, "systemic": 0.3}) == ["systemic"]  # shares alone: no count rule


def test_instrument_agreement_by_hand() -> None:
    """Two instruments' labels of five sentences in two genres; shares, agreement and kappa worked by hand."""
    docs = pd.DataFrame({"doc_id": ["b", "a"], "genre": ["blog", "news"]})
    model = pd.DataFrame({"doc_id": ["a", "a", "a", "b", "b"], "sent_id": [0, 1, 2, 0, 1],
                          "individual": [1, 1, 0, 0, 1], "political": [0, 0, 0, 1, 1]})
    rule = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "sent_id": [0, 2, 0, 1],  # (a, 1) missing: unlabelled
                         "individual": [1, 0, 0, 0], "political": [0, 0, 1, 1]})
    out = instrument_agreement(model, rule, docs, ["individual", "political"]).set_index(["genre", "frame"])
    assert list(out.index.get_level_values(0).unique()) == ["blog", "news", "all"]  # documents' order, then all
    ind = out.loc[("all", "individual")]
    # model 1,1,0,0,1 against rule 1,0,0,0,0: 3 of 5 the same; shares 3/5 and 1/5
    assert ind["n_sentences"] == 5 and ind["n_labels"] == 3 and ind["n_rule"] == 1
    assert ind["agreement"] == pytest.approx(0.6) and ind["share"] == pytest.approx(0.6)
    # chance agreement 0.6 * 0.2 + 0.4 * 0.8 = 0.44; kappa (0.6 - 0.44) / 0.56
    assert ind["kappa"] == pytest.approx(0.16 / 0.56)
    news = out.loc[("news", "individual")]
    assert news["n_sentences"] == 3 and news["agreement"] == pytest.approx(2 / 3) and news["rule_share"] == \
        pytest.approx(1 / 3)
    # every blog sentence political for both: they agree on all, and kappa is undefined (no variation)
    blog = out.loc[("blog", "political")]
    assert blog["agreement"] == 1.0 and np.isnan(blog["kappa"])
    with pytest.raises(ParameterError, match="rule lacks column"):
        instrument_agreement(model, rule.drop(columns="political"), docs, ["individual", "political"])


def test_instrument_agreement_with_a_group_called_all() -> None:
    """From the review: a corpus without a genre column has the one genre 'all', the name of the overall rows;
    the group and the overall rows made a duplicate index and the comparison stopped."""
    from framing.shares import instrument_agreement

    keys = {"doc_id": ["a", "a", "b", "b"], "sent_id": [0, 1, 0, 1]}
    model = pd.DataFrame({**keys, "systemic": [1, 1, 0, 0]})
    rule = pd.DataFrame({**keys, "systemic": [1, 0, 0, 0]})
    one = instrument_agreement(model, rule, pd.DataFrame({"doc_id": ["a", "b"], "genre": ["all", "all"]}),
                               ["systemic"])
    # by hand: 4 sentences, the model labels 2, the rule 1, they agree on 3
    assert one[["genre", "n_sentences", "n_labels", "n_rule"]].values.tolist() == [["all", 4, 2, 1]]
    assert one["agreement"].tolist() == [0.75]
    two = instrument_agreement(model, rule, pd.DataFrame({"doc_id": ["a", "b"], "genre": ["all", "news"]}),
                               ["systemic"])
    assert two[["genre", "n_sentences", "n_labels", "n_rule"]].values.tolist() == [
        ["all (group)", 2, 2, 1], ["news", 2, 0, 0], ["all", 4, 2, 1]]
