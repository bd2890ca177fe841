"""The Python API as a scikit-learn / pandas user meets it: text inputs, keyed codes, group tables, edge cases.

Each expectation is worked out by hand from a toy lexicon and toy texts written here, not read back from the
code's output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer

from framing import LexiconVectorizer, count_matrix, match_texts
from framing.errors import ParameterError
from framing.lexicon import Entry, Lexicon
from framing.topics import TopicModel
from framing.types import text_column

LEX = Lexicon("demo", "1", ("blame", "govt"),
              (Entry("fault", "blame", "word"), Entry("minister*", "govt", "prefix")))
TEXTS = ["The minister's fault.", "No one.", "Ministers and a fault, a fault."]
# by hand: text 0 blame 1 govt 1; text 1 nothing; text 2 blame 2 govt 1
COUNTS = [[1, 1], [0, 0], [2, 1]]


# --- 1. text inputs: one check for every text estimator ----------------------------------------------------


def test_one_column_dataframe_is_its_column_everywhere() -> None:
    table = pd.DataFrame({"text": TEXTS, "n_tokens": [4, 2, 7]})
    assert count_matrix(table[["text"]], LEX).toarray().tolist() == COUNTS
    assert LexiconVectorizer(LEX).fit_transform(table[["text"]]).toarray().tolist() == COUNTS
    ct = ColumnTransformer([("lex", LexiconVectorizer(LEX), ["text"])])
    out = ct.fit_transform(table)
    assert out.shape == (3, 2)
    assert np.asarray(out.todense() if hasattr(out, "todense") else out).tolist() == COUNTS
    assert count_matrix(np.array(TEXTS, dtype=object)[:, None], LEX).toarray().tolist() == COUNTS
    assert sorted(match_texts(table[["text"]], LEX)["text_id"].tolist()) == [0, 0, 2, 2, 2]
    topics_texts = ["council social workers failed", "minister government policy", "council social workers",
                    "minister government policy reform"] * 3
    frame = pd.DataFrame({"text": topics_texts})
    a = TopicModel(2, min_df=1).fit(frame).transform(frame)
    b = TopicModel(2, min_df=1).fit(topics_texts).transform(topics_texts)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("call", [
    lambda bad: count_matrix(bad, LEX),
    lambda bad: match_texts(bad, LEX),
    lambda bad: LexiconVectorizer(LEX).fit(["x"]).transform(bad),
    lambda bad: TopicModel(2).fit(bad),
])
def test_a_single_string_or_a_wide_table_is_refused(call) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ParameterError, match="single string"):
        call("The council failed.")
    with pytest.raises(ParameterError, match=r"DataFrame with 2 columns \['text', 'n_tokens'\]: pass one text column"):
        call(pd.DataFrame({"text": TEXTS, "n_tokens": [4, 2, 7]}))
    with pytest.raises(ParameterError, match=r"shape \(3, 2\)"):
        call(np.array([TEXTS, TEXTS], dtype=object).T)


def test_text_column_passes_sequences_through() -> None:
    assert text_column(TEXTS) is TEXTS
    series = pd.Series(TEXTS)
    assert text_column(series) is series
    assert text_column(pd.DataFrame({"t": TEXTS})).tolist() == TEXTS


# --- 2. FrameClassifier matches codes to sentences on their keys ---------------------------------------------

TOY_FRAMES = Lexicon("toy_frames", "1", ("alpha", "beta"),
                     (Entry("apple", "alpha", "word"), Entry("banana", "beta", "word")))
TOY_CUES = Lexicon("toy_cues", "1", ("fault",), (Entry("blame*", "fault", "prefix"),))


def _sentences(docs: dict[str, list[str]]) -> pd.DataFrame:
    rows = []
    for doc_id, sents in docs.items():
        pos = 0
        for i, s in enumerate(sents):
            rows.append({"doc_id": doc_id, "sent_id": i, "para_id": i, "start": pos, "end": pos + len(s), "text": s})
            pos += len(s) + 1
    return pd.DataFrame(rows)


# stated rule: alpha iff the sentence says "apple", beta iff it says "banana"
TRAIN = _sentences({f"d{i}": [f"The apple fell {i}.", "Nothing here.", f"A banana rotted {i}.", "Blame the rain.",
                              "Apple and banana.", "Quiet day."] for i in range(8)})
TEST = _sentences({"t0": ["Banana bread.", "An apple a day.", "Rain again.", "Apple, banana."]})
TEST_TRUTH = np.array([[0, 1], [1, 0], [0, 0], [1, 1]])


def _codes(table: pd.DataFrame) -> pd.DataFrame:
    low = table["text"].str.lower()
    return table[["doc_id", "sent_id"]].assign(alpha=low.str.contains("apple").astype(float),
                                               beta=low.str.contains("banana").astype(float))


def _classifier() -> object:
    from framing import FrameClassifier

    return FrameClassifier(TOY_FRAMES, TOY_CUES, C=1.0, rule_params={"rule": "cue_sentence"})


def test_keyed_codes_are_matched_to_sentences_not_rows() -> None:
    shuffled = _codes(TRAIN).sample(frac=1.0, random_state=3)  # the same codes, rows in another order
    assert not np.array_equal(shuffled.index, np.arange(len(TRAIN)))
    model = _classifier().fit(TRAIN, shuffled)  # type: ignore[attr-defined]
    assert np.array_equal(model.predict(TEST), TEST_TRUTH)
    truth = _codes(TEST)
    assert model.score(TEST, truth.iloc[::-1]) == 1.0  # reversed rows, the same codes by key
    # without keys the rows are taken in order (an array, or a frame of codes alone)
    assert model.score(TEST, truth[["alpha", "beta"]]) == 1.0
    # rows swapped in pairs without keys are read in row order: codes [[1,0],[0,1],[1,1],[0,0]] against the
    # predictions [[0,1],[1,0],[0,0],[1,1]]: no true positive in either frame, so F1 0 and 0
    assert model.score(TEST, truth[["alpha", "beta"]].iloc[[1, 0, 3, 2]].reset_index(drop=True)) == 0.0


def test_out_of_fold_labels_take_each_sentence_its_own_codes() -> None:
    from framing.classifier import out_of_fold_labels

    shuffled = _codes(TRAIN).sample(frac=1.0, random_state=5)
    labels = out_of_fold_labels(_classifier(), TRAIN, shuffled, n_splits=4)  # type: ignore[arg-type]
    truth = _codes(TRAIN)  # the stated rule, in the rows of TRAIN
    assert labels[["alpha", "beta"]].to_numpy().tolist() == truth[["alpha", "beta"]].astype(int).to_numpy().tolist()


def test_keyed_codes_that_do_not_match_name_the_first_sentence() -> None:
    codes = _codes(TRAIN)
    with pytest.raises(ParameterError, match=r"no row for sentence \(doc_id, sent_id\) \('d0', 2\) of X"):
        _classifier().fit(TRAIN, codes.drop(index=2))  # type: ignore[attr-defined]
    with pytest.raises(ParameterError, match=r"\('zz', 0\), which is not in X"):
        _classifier().fit(TRAIN, pd.concat([codes, codes.head(1).assign(doc_id="zz")]))  # type: ignore[attr-defined]
    with pytest.raises(ParameterError, match=r"two rows for sentence \(doc_id, sent_id\) \('d0', 0\)"):
        _classifier().fit(TRAIN.head(2), pd.concat([codes.head(1), codes.head(1)]))  # type: ignore[attr-defined]


# --- 3. group tables read the corpus the frames came from, never placeholders -----------------------------------


def _toy_corpus(texts: dict[str, tuple[str, str]], name: str = "toy") -> object:
    from pathlib import Path

    from framing import Corpus, process_corpus

    docs = pd.DataFrame({"doc_id": list(texts), "genre": [g for g, _ in texts.values()],
                         "text": [t for _, t in texts.values()]})
    return process_corpus(Corpus(docs, name, Path(name)))


GROUP_TEXTS = {
    "a": ("news", "The minister failed.\n\nThe fault is clear today."),
    "b": ("news", "No minister here."),
    "c": ("blog", "Quiet."),
}
# tokens by hand: a 3 + 5 = 8, b 3, c 1. Hits (rule "any"): a: govt 1 (minister), blame 1 (fault); b: govt 1
# (negated, counted); c: none. Sentences: a 2, b 1, c 1.


def _toy_frames(corpus: object) -> pd.DataFrame:
    from framing import frame_table

    return frame_table(corpus, lexicon=LEX, cues=None, rule="any")  # type: ignore[arg-type]


def test_group_scores_use_the_corpus_token_counts() -> None:
    from framing import group_scores

    corpus = _toy_corpus(GROUP_TEXTS)
    out = group_scores(_toy_frames(corpus), corpus).set_index(["genre", "frame"])  # type: ignore[arg-type]
    assert out.loc[("news", "govt"), ["n_docs", "n_sentences", "n_tokens", "n_hits"]].tolist() == [2, 3, 11, 2]
    assert out.loc[("news", "govt"), "rate_per_1000"] == pytest.approx(1000 * 2 / 11)
    assert out.loc[("blog", "blame"), ["n_tokens", "n_hits", "rate_per_1000"]].tolist() == [1, 0, 0.0]


@pytest.mark.parametrize("func", ["document_scores", "group_scores", "bootstrap_shares", "frame_share_intervals"])
def test_a_sentences_table_or_a_smaller_corpus_is_refused(func: str) -> None:
    import framing

    call = getattr(framing, func)
    kw = {"frame_cols": ["blame", "govt"], "min_docs": 1} if func == "frame_share_intervals" else {}
    corpus = _toy_corpus(GROUP_TEXTS)
    frames = _toy_frames(corpus)
    with pytest.raises(ParameterError, match=rf"{func} needs a ProcessedCorpus"):
        call(frames, corpus.sentences, **kw)  # type: ignore[attr-defined]
    smaller = corpus.subset(doc_ids=["a"])  # type: ignore[attr-defined]
    with pytest.raises(ParameterError, match=rf"{func}: 2 document\(s\) of the frames table are not in corpus "
                                             r"toy: 'b', 'c'"):
        call(frames, smaller, **kw)


def test_grouping_by_doc_id_is_refused_with_the_way_to_per_document_tables() -> None:
    from framing import bootstrap_shares, group_scores

    corpus = _toy_corpus(GROUP_TEXTS)
    frames = _toy_frames(corpus)
    with pytest.raises(ParameterError, match=r"by='doc_id'.*document_scores"):
        group_scores(frames, corpus, by="doc_id")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match=r"by='doc_id'.*by='document'"):
        bootstrap_shares(frames, corpus, by="doc_id")  # type: ignore[arg-type]


def test_frame_share_intervals_counts_a_document_without_genre_as_missing() -> None:
    from framing import frame_share_intervals
    from framing.resampling import MissingGroupWarning

    corpus = _toy_corpus(GROUP_TEXTS)
    docs = corpus.documents.assign(genre=["news", None, "blog"])  # type: ignore[attr-defined]
    with pytest.warns(MissingGroupWarning, match=r"1 document\(s\) without a value in column 'genre'.*: b$"):
        out = frame_share_intervals(_toy_frames(corpus), docs, frame_cols=["govt"], min_docs=1, n_boot=20)
    assert out.set_index("genre")["n_sentences"].to_dict() == {"news": 2, "(missing)": 1, "blog": 1}


# --- 4. a Corpus built in Python passes the loader's checks ------------------------------------------------------


def _python_corpus(doc_ids: list[object], texts: list[object], genres: list[object] | None = None) -> object:
    from pathlib import Path

    from framing import Corpus, process_corpus

    docs = pd.DataFrame({"doc_id": pd.Series(doc_ids, dtype=object), "genre": genres or ["news"] * len(doc_ids),
                         "text": pd.Series(texts, dtype=object)})
    return process_corpus(Corpus(docs, "py", Path("py")))


def test_integer_ids_become_text_in_every_table() -> None:
    from framing import document_scores, sentence_voice

    p = _python_corpus([1, 2], ["The minister failed. He said so.", "No fault."])
    assert p.documents["doc_id"].tolist() == ["1", "2"]  # type: ignore[attr-defined]
    assert p.sentences["doc_id"].tolist() == ["1", "1", "2"]  # type: ignore[attr-defined]
    assert len(sentence_voice(p)) == 3  # type: ignore[arg-type]
    scores = document_scores(_toy_frames(p), p)  # type: ignore[arg-type]
    assert scores.set_index(["doc_id", "frame"]).loc[("2", "blame"), "n_hits"] == 1
    padded = _python_corpus([" a ", "b"], ["x.", "y."], [" news", "blog"])  # as load_corpus reads them: stripped
    assert padded.documents[["doc_id", "genre"]].to_numpy().tolist() == [["a", "news"], ["b", "blog"]]  # type: ignore[attr-defined]


def test_a_null_text_is_an_empty_document_dropped_with_a_warning() -> None:
    from framing.rawio import CorpusWarning

    with pytest.warns(CorpusWarning, match=r"skipped 1 empty document\(s\): \['b'\]"):
        p = _python_corpus(["a", "b"], ["The council failed.", np.nan])
    assert p.documents["doc_id"].tolist() == ["a"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("ids", "texts", "genres", "message"), [
    ([1, "1"], ["x.", "y."], None, r"duplicate doc_id\(s\) in column 'doc_id': '1' \(row 0, row 1\)"),
    (["a", None], ["x.", "y."], None, r"column 'doc_id' is null \(every document needs an id\) at row 1"),
    (["a", "b"], ["x.", ["y"]], None, r"column 'text' is a JSON list \(the text must be a string\) at document 'b'"),
    (["a", "b"], ["x.", "y."], ["news", None], r"column 'genre' is null .* at document 'b'"),
])
def test_bad_documents_name_document_and_column(ids: list[object], texts: list[object], genres: list[object] | None,
                                                message: str) -> None:
    from framing.errors import CorpusError

    with pytest.raises(CorpusError, match=rf"corpus 'py': .*{message}"):
        _python_corpus(ids, texts, genres)


# --- 5. an empty processed corpus gives empty tables with their columns ----------------------------------------


def test_an_empty_corpus_gives_empty_tables_with_the_documented_columns() -> None:
    from pathlib import Path

    from framing import Corpus, blame_attribution, blame_avoidance, bootstrap_shares, frame_table, process_corpus

    e = _python_corpus([], [])
    assert len(e.documents) == 0 and e.documents["doc_id"].dtype == object  # type: ignore[attr-defined]
    typed = pd.DataFrame({"doc_id": ["a"], "genre": ["news"], "text": ["x."]}, dtype="str").iloc[:0]  # string dtype
    assert len(process_corpus(Corpus(typed, "typed", Path("typed"))).documents) == 0
    blame = blame_attribution(e)  # type: ignore[arg-type]
    assert blame.empty and list(blame.columns) == [  # the docstring's list
        "doc_id", "sent_id", "start", "end", "blamer", "target", "frame", "evidence", "genre", "blamer_actor",
        "voice", "evidence_spans", "target_spans"]
    avoid = blame_avoidance(e)  # type: ignore[arg-type]
    assert avoid.empty and list(avoid.columns) == ["doc_id", "sent_id", "start", "end", "type", "pattern",
                                                   "matched", "speaker", "genre"]
    frames = frame_table(e, lexicon=LEX, cues=None, rule="any")  # type: ignore[arg-type]
    for by, first in (("genre", "genre"), ("document", "doc_id")):
        shares = bootstrap_shares(frames, e, by=by)  # type: ignore[arg-type]
        assert shares.empty and list(shares.columns) == [first, "frame", "n_docs", "n_sentences", "share", "lo",
                                                         "hi", "n_boot", "method"]


# --- 6. errors that name the parameter; empty inputs --------------------------------------------------------------


def test_unknown_rule_params_key_is_a_parameter_error_naming_it() -> None:
    from framing import FrameClassifier

    model = FrameClassifier(TOY_FRAMES, TOY_CUES, rule_params={"bogus": 1})
    with pytest.raises(ParameterError, match=r"rule_params has key\(s\) \['bogus'\] that frame_table does not take"):
        model.fit(TRAIN, _codes(TRAIN))


def test_no_sentence_gives_no_prediction() -> None:
    model = _classifier().fit(TRAIN, _codes(TRAIN))  # type: ignore[attr-defined]
    assert model.predict(TEST.iloc[:0]).shape == (0, 2)
    assert [p.shape for p in model.predict_proba(TEST.iloc[:0])] == [(0, 2), (0, 2)]


def test_keyness_refuses_negative_counts_and_reads_a_sparse_row() -> None:
    import scipy.sparse as sp

    from framing import keyness

    with pytest.raises(ParameterError, match=r"counts_target must hold finite, non-negative counts; position 0 is -1"):
        keyness(np.array([-1, 2, 3, 4]), np.array([2, 8, 5, 1]), list("abcd"), min_count=1)
    with pytest.raises(ParameterError, match=r"counts_reference must be one count per word.*\(2, 2\)"):
        keyness(np.array([1, 2, 3, 4]), np.array([[2, 8], [5, 1]]), list("abcd"), min_count=1)
    dense = keyness(np.array([1, 2, 3, 4]), np.array([2, 8, 5, 1]), list("abcd"), min_count=1)
    matrix = sp.csr_matrix(np.array([[1, 2, 3, 4], [2, 8, 5, 1]]))
    sparse = keyness(matrix[0], matrix[1], list("abcd"), min_count=1)  # sparse rows
    summed = keyness(matrix[:1].sum(axis=0), matrix[1:].sum(axis=0), list("abcd"), min_count=1)  # np.matrix
    pd.testing.assert_frame_equal(sparse, dense)
    pd.testing.assert_frame_equal(summed, dense)
    # d: 4 of 10 target tokens against 1 of 16 reference tokens, Hardie's log ratio with 0.5 added to each count:
    # log2((4.5 / 10) / (1.5 / 16)) = log2(4.8)
    assert dense.set_index("term").loc["d", "log_ratio"] == pytest.approx(np.log2(4.8))


# --- 7. scikit-learn's multi-output convention ----------------------------------------------------------------


def test_predict_proba_follows_the_multi_output_convention() -> None:
    from sklearn.model_selection import GroupKFold, cross_val_predict

    model = _classifier().fit(TRAIN, _codes(TRAIN))  # type: ignore[attr-defined]
    assert [c.tolist() for c in model.classes_] == [[0, 1], [0, 1]]
    proba = model.predict_proba(TEST)
    assert isinstance(proba, list) and [p.shape for p in proba] == [(4, 2), (4, 2)]
    assert np.allclose(proba[0].sum(axis=1), 1.0)
    assert np.array_equal(np.column_stack([p[:, 1] > 0.5 for p in proba]).astype(int), TEST_TRUTH)
    assert np.array_equal(model.frame_probabilities(TEST), np.column_stack([p[:, 1] for p in proba]))
    codes = _codes(TRAIN)[["alpha", "beta"]]
    out = cross_val_predict(_classifier(), TRAIN, codes, groups=TRAIN["doc_id"], cv=GroupKFold(4),
                            method="predict_proba")
    assert [p.shape for p in out] == [(len(TRAIN), 2), (len(TRAIN), 2)]
    held_out = np.column_stack([p[:, 1] > 0.5 for p in out]).astype(int)
    assert np.array_equal(held_out, codes.to_numpy(dtype=int))  # the stated rule, learnt on the other documents


# --- 8. scikit-learn's estimator checks -----------------------------------------------------------------------

# the checks of sklearn.utils.estimator_checks that do not feed a numeric matrix: every one applies to an
# estimator of texts. The others (check_fit_score_takes_y, check_estimators_overwrite_params,
# check_dont_overwrite_parameters, check_estimators_fit_returns_self, check_n_features_in_after_fitting,
# check_positive_only_tag_during_fit, check_readonly_memmap_input, and everything check_estimator runs after
# them) fit on random numbers, which a text estimator refuses with a ParameterError: its tags say so
# (input_tags.string, not two_d_array), and check_estimator skips them, as for CountVectorizer.
API_CHECKS = ["check_estimator_cloneable", "check_estimator_tags_renamed", "check_valid_tag_types",
              "check_estimator_repr", "check_no_attributes_set_in_init",
              "check_do_not_raise_errors_in_init_or_set_params", "check_mixin_order",
              "check_parameters_default_constructible", "check_get_params_invariance", "check_set_params",
              "check_estimators_unfitted"]


def _estimators() -> list[object]:
    from framing import FrameClassifier
    from framing.topics import SeededTopicModel, StreamingTopicModel

    return [LexiconVectorizer(), TopicModel(2), SeededTopicModel(), StreamingTopicModel(2), FrameClassifier()]


@pytest.mark.parametrize("check", API_CHECKS)
@pytest.mark.parametrize("estimator", _estimators(), ids=lambda e: type(e).__name__)
def test_sklearn_api_checks_that_apply_to_text_estimators(estimator: object, check: str) -> None:
    import sklearn.utils.estimator_checks as checks

    getattr(checks, check)(type(estimator).__name__, estimator)


@pytest.mark.parametrize("estimator", _estimators(), ids=lambda e: type(e).__name__)
def test_text_estimators_declare_string_input(estimator: object) -> None:
    import warnings

    from sklearn.utils import get_tags
    from sklearn.utils.estimator_checks import check_estimator

    tags = get_tags(estimator)
    assert tags.input_tags.string and not tags.input_tags.two_d_array
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_estimator(estimator)  # cloneable, then the numeric checks are skipped (not failed)
    assert any("Can't test estimator" in str(w.message) for w in caught)


TOPIC_TEXTS = ["council social workers failed the child", "minister government policy reform",
               "council social workers missed signs", "minister government ordered inquiry"] * 4


@pytest.mark.parametrize("make", [lambda: TopicModel(2, min_df=1),
                                  lambda: LexiconVectorizer(LEX)], ids=["TopicModel", "LexiconVectorizer"])
def test_text_transformers_are_invariant_to_order_and_subsets(make) -> None:  # type: ignore[no-untyped-def]
    def dense(m: object) -> np.ndarray:
        return np.asarray(m.toarray() if hasattr(m, "toarray") else m)  # type: ignore[attr-defined]

    texts = TOPIC_TEXTS + TEXTS
    est = make().fit(texts)
    full = dense(est.transform(texts))
    order = np.random.default_rng(0).permutation(len(texts))
    assert np.allclose(dense(est.transform([texts[i] for i in order])), full[order], equal_nan=True)
    assert np.allclose(dense(est.transform(texts[3:9])), full[3:9], equal_nan=True)
    assert np.allclose(dense(make().fit_transform(texts)), full, equal_nan=True)  # fit is idempotent
    assert len(est.get_feature_names_out()) == full.shape[1]


@pytest.mark.parametrize("make", [lambda: TopicModel(2, min_df=1), lambda: _seeded()], ids=["TopicModel", "Seeded"])
def test_topic_models_name_their_columns(make) -> None:  # type: ignore[no-untyped-def]
    from sklearn.pipeline import make_pipeline

    model = make().fit(TOPIC_TEXTS)
    names = model.get_feature_names_out()
    assert names.tolist() == list(model.topic_labels_)
    out = make().set_output(transform="pandas").fit_transform(pd.Series(TOPIC_TEXTS, index=range(10, 26)))
    assert list(out.columns) == names.tolist() and list(out.index) == list(range(10, 26))
    pipe = make_pipeline(make()).fit(TOPIC_TEXTS)
    assert pipe.get_feature_names_out().tolist() == names.tolist()


def _seeded() -> object:
    from framing.topics import SeededTopicModel

    return SeededTopicModel({"systemic": ["council", "social workers"]}, n_free=1, min_df=1)


# --- 9. one base class for the package's warnings -------------------------------------------------------------


def _warning_classes() -> list[tuple[str, str]]:
    """(module, class) of every class of src/framing whose bases name a ...Warning (read from the source)."""
    import ast
    from pathlib import Path

    import framing

    root = Path(framing.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        module = ".".join(("framing", *path.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(ast.unparse(b).endswith("Warning") for b in node.bases):
                found.append((module, node.name))
    return found


def test_every_package_warning_is_a_framing_warning_and_still_a_user_warning() -> None:
    import importlib

    from framing import FramingWarning

    classes = _warning_classes()
    assert len(classes) >= 13  # CorpusWarning, LexiconWarning, MissingGroupWarning, UnmatchedSeedsWarning ...
    for module, name in classes:
        cls = getattr(importlib.import_module(module), name)
        assert issubclass(cls, FramingWarning) and issubclass(cls, UserWarning), f"{module}.{name}"


def test_seed_terms_without_vocabulary_warn_with_a_class_one_filter_silences() -> None:
    import warnings

    from framing import FramingWarning
    from framing.topics import SeededTopicModel, UnmatchedSeedsWarning

    seeds = {"systemic": ["council"], "political": ["parliament"]}  # "parliament" is in no text
    with pytest.warns(UnmatchedSeedsWarning, match=r"seed categories \['political'\] match no vocabulary term"):
        model = SeededTopicModel(seeds, n_free=1, min_df=1).fit(TOPIC_TEXTS)
    assert model.unmatched_seeds_ == ["political"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=FramingWarning)
        SeededTopicModel(seeds, n_free=1, min_df=1).fit(TOPIC_TEXTS)
    assert not [w for w in caught if issubclass(w.category, UnmatchedSeedsWarning)]


# --- 10. docs/api.md -----------------------------------------------------------------------------------------------


def test_api_doc_is_current_and_lists_every_export_once() -> None:
    from pathlib import Path

    import framing
    from framing.apidoc import api_markdown

    text = api_markdown()
    doc = Path(__file__).resolve().parents[1] / "docs" / "api.md"
    assert doc.read_text(encoding="utf-8") == text, "regenerate: python -c 'from framing.apidoc import " \
                                                     "write_api_doc; write_api_doc()'"
    listed = [line.split("`")[1] for line in text.splitlines() if line.startswith("- `")]
    assert sorted(listed) == sorted(n for n in framing.__all__ if n != "__version__")
    sections = {line: i for i, line in enumerate(text.splitlines()) if line.startswith("## ")}

    def section_of(name: str) -> str:
        at = text.splitlines().index(next(line for line in text.splitlines() if line.startswith(f"- `{name}`")))
        return max((h for h, i in sections.items() if i < at), key=sections.__getitem__)

    # by hand: what each is for
    assert section_of("load_corpus").startswith("## Loading")
    assert section_of("frame_table").startswith("## Instruments")
    assert section_of("TopicModel").startswith("## Estimators")  # defined in framing.topics, an estimator
    assert section_of("krippendorff_alpha").startswith("## Validation")
    assert section_of("run_study").startswith("## Reports")
    assert section_of("FramingWarning").startswith("## Errors and warnings")
    assert "- `keyness` (function, `framing.compare`): Keyness of every word of the target group against the " \
           "reference group." in text


def test_a_python_built_corpus_keeps_ids_unsafe_as_file_names_and_needs_no_genre() -> None:
    """As before the document checks: processing writes no file per document, and no genre is one group."""
    import framing

    docs = pd.DataFrame({"doc_id": ["politics/211", "business/348"], "text": ["The council failed.", "Ministers."]})
    processed = framing.process_corpus(framing.Corpus(docs, "mine", "memory"))
    assert processed.documents["doc_id"].tolist() == ["politics/211", "business/348"]
    assert set(processed.documents["genre"]) == {"all"}
    assert set(processed.sentences["doc_id"]) == {"politics/211", "business/348"}


def test_group_tables_read_a_frames_table_whose_ids_came_back_from_csv_as_numbers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import framing

    docs = pd.DataFrame({"doc_id": [1, 2], "genre": ["news", "blog"],
                         "text": ["The council failed the child.", "Nothing happened."]})
    processed = framing.process_corpus(framing.Corpus(docs, "ids", "memory"))
    path = tmp_path / "f.csv"
    framing.frame_table(processed).to_csv(path, index=False)
    back = pd.read_csv(path)
    assert back["doc_id"].dtype.kind == "i"
    g = framing.group_scores(back, processed)
    assert sorted(set(g["genre"])) == ["blog", "news"]
    assert g[(g.genre == "news") & (g.frame == "systemic")]["n_frame_sentences"].tolist() == [1]
    assert len(framing.bootstrap_shares(back, processed, n_boot=5, min_docs=1)) == 6
