"""Topic models on large corpora (framing.topics._online, framing.topics._streamed): the mini-batch and sample
learners over batches, partitioned units, and ``framing topics --learner/--backend``.

References are independent of the code under test: scikit-learn's CountVectorizer over all texts at once for
the vocabulary, :func:`framing.topics.topic_units` on the whole corpus for the partitioned units, planted
topics (and an NMI written out here from its definition) for recovery, weak references for bounded batches.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import seed_sentence_jsonl
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from framing.backends import run_partitioned
from framing.cli import main
from framing.corpus import load_corpus, process_corpus
from framing.errors import CorpusError, ParameterError, TopicModelError
from framing.topics import (
    STUDY_STOP_WORDS,
    TOKEN_PATTERN,
    PartitionedUnits,
    StreamingTopicModel,
    aggregate_to_documents,
    fit_topics_streamed,
    topic_units,
)

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


# --------------------------------------------------------------------------------------------------
# planted topics and NMI from its definition


def nmi(a: np.ndarray, b: np.ndarray) -> float:
    """Normalised mutual information, arithmetic-mean normalisation: I(A;B) / ((H(A) + H(B)) / 2)."""
    ai = np.unique(a, return_inverse=True)[1]
    bi = np.unique(b, return_inverse=True)[1]
    p = np.zeros((ai.max() + 1, bi.max() + 1))
    np.add.at(p, (ai, bi), 1.0)
    p /= p.sum()
    pa, pb = p.sum(axis=1), p.sum(axis=0)
    nz = p > 0
    mi = float((p[nz] * np.log(p[nz] / np.outer(pa, pb)[nz])).sum())

    def h(q: np.ndarray) -> float:
        q = q[q > 0]
        return float(-(q * np.log(q)).sum())

    return mi / ((h(pa) + h(pb)) / 2)


def test_nmi_helper_on_hand_worked_cases() -> None:
    planted = np.array([0, 0, 1, 1, 2, 2])
    assert nmi(planted, np.array([5, 5, 3, 3, 9, 9])) == pytest.approx(1.0)  # a relabelling
    # two of three equal clusters merged: I = H(pred) = H(2/3, 1/3) = 0.6365, H(planted) = log 3 = 1.0986
    merged = np.array([0, 0, 0, 0, 1, 1])
    h_pred = -(2 / 3 * np.log(2 / 3) + 1 / 3 * np.log(1 / 3))
    assert nmi(planted, merged) == pytest.approx(h_pred / ((np.log(3) + h_pred) / 2))
    assert nmi(planted, merged) == pytest.approx(0.7337, abs=1e-4)


def _words(rng: np.random.Generator, n: int, taken: set[str]) -> list[str]:
    letters = np.array(list("bcdfghjklmnpqrstvwxz"))
    out: list[str] = []
    while len(out) < n:
        w = "".join(rng.choice(letters, 6))
        if w not in taken:
            taken.add(w)
            out.append(w)
    return out


def planted_corpus(n_docs: int = 600, k: int = 3, seed: int = 7) -> tuple[list[str], np.ndarray]:
    """``k`` topics of 30 words each (disjoint), plus 20 background words; a document draws 40 words, 90% from
    its topic and 10% from the background. Topics are assigned to documents in random order."""
    rng = np.random.default_rng(seed)
    taken: set[str] = set()
    topics = [_words(rng, 30, taken) for _ in range(k)]
    background = _words(rng, 20, taken)
    labels = rng.integers(0, k, n_docs)
    texts = []
    for lab in labels:
        own = rng.choice(topics[lab], 36)
        noise = rng.choice(background, 4)
        texts.append(" ".join(rng.permutation(np.concatenate([own, noise]))))
    return texts, labels


@pytest.fixture(scope="module")
def planted() -> tuple[list[str], np.ndarray]:
    return planted_corpus()


def _batches(texts: list[str], size: int) -> list[list[str]]:
    return [texts[i:i + size] for i in range(0, len(texts), size)]


# --------------------------------------------------------------------------------------------------
# recovery


def test_online_nmf_recovers_planted_topics(planted: tuple[list[str], np.ndarray]) -> None:
    # Threshold 0.9: a model that finds all three topics scores 1.0; one that merges two of them scores
    # 0.734 (test_nmi_helper_on_hand_worked_cases), so 0.9 separates recovery from a merge.
    texts, labels = planted
    est = StreamingTopicModel(3, batch_size=64, random_state=0).fit_batches(_batches(texts, 100))
    dominant = np.nanargmax(est.transform(texts), axis=1)
    assert nmi(labels, dominant) > 0.9
    assert est.n_units_ == 600 and est.n_nonempty_ == 600 and est.n_batches_ == 6


def test_online_lda_recovers_planted_topics_as_often_as_batch_lda(planted: tuple[list[str], np.ndarray]) -> None:
    # LDA's variational fit has local optima in which two topics merge (NMI 0.734): on this corpus the
    # in-memory batch LDA merges for 2 of the seeds 0-7, so the online fit is asked to recover the topics
    # (NMI > 0.9, as above) for at least 5 of the 8 seeds, and for at least as many as batch LDA less one.
    from framing.topics import TopicModel

    texts, labels = planted
    online = [
        nmi(labels, np.nanargmax(StreamingTopicModel(3, model="lda", batch_size=128, random_state=s)
                                 .fit_batches(_batches(texts, 100)).transform(texts), axis=1))
        for s in range(8)
    ]  # fmt: skip
    batch = [nmi(labels, np.nanargmax(TopicModel(3, model="lda", random_state=s).fit(texts).doc_topic_, axis=1))
             for s in range(8)]
    assert sum(v > 0.9 for v in online) >= 5
    assert sum(v > 0.9 for v in online) >= sum(v > 0.9 for v in batch) - 1
    assert min(online) > 0.7  # at worst a merge of two topics, never noise


def test_sample_learner_recovers_planted_topics(planted: tuple[list[str], np.ndarray]) -> None:
    texts, labels = planted
    est = StreamingTopicModel(3, learner="sample", sample=0.25, random_state=0).fit_batches(_batches(texts, 100))
    assert nmi(labels, np.nanargmax(est.transform(texts), axis=1)) > 0.9
    # about a quarter of the units were fitted: 150 expected, binomial sd about 10.6
    assert 110 <= est.n_nonempty_ <= 190
    assert est.sample_model_.doc_topic_.shape == (est.n_nonempty_, 3)


# --------------------------------------------------------------------------------------------------
# determinism


def test_same_seed_same_topics_byte_for_byte(planted: tuple[list[str], np.ndarray]) -> None:
    texts, _ = planted
    batches = _batches(texts, 100)
    a = StreamingTopicModel(3, batch_size=64, random_state=3).fit_batches(batches)
    b = StreamingTopicModel(3, batch_size=64, random_state=3).fit_batches(batches)
    c = StreamingTopicModel(3, batch_size=64, random_state=4).fit_batches(batches)
    assert a.components_.tobytes() == b.components_.tobytes()
    assert a.transform(texts).tobytes() == b.transform(texts).tobytes()
    assert a.components_.tobytes() != c.components_.tobytes()  # the seed shuffles the mini-batches


@pytest.mark.parametrize("model", ["nmf", "lda"])
def test_cached_counts_give_the_same_topics(planted: tuple[list[str], np.ndarray], model: str) -> None:
    texts, _ = planted
    batches = _batches(texts, 100)
    kw = {"model": model, "batch_size": 64, "max_iter": 3, "random_state": 1}
    cached = StreamingTopicModel(3, **kw).fit_batches(batches)
    fresh = StreamingTopicModel(3, cache_counts=False, **kw).fit_batches(batches)
    assert cached.components_.tobytes() == fresh.components_.tobytes()


def test_fit_on_texts_is_one_batch(planted: tuple[list[str], np.ndarray]) -> None:
    texts, _ = planted
    a = StreamingTopicModel(3, max_iter=2, random_state=0).fit(texts)
    b = StreamingTopicModel(3, max_iter=2, random_state=0).fit_batches([texts])
    assert a.components_.tobytes() == b.components_.tobytes()
    assert a.n_batches_ == 1


# --------------------------------------------------------------------------------------------------
# the vocabulary pass


@pytest.mark.parametrize(("min_df", "max_df", "bigrams"), [(2, 0.95, False), (0.01, 40, False), (3, 0.5, True)])
def test_vocabulary_pass_equals_countvectorizer_on_everything(
    seeds: object, min_df: float, max_df: float, bigrams: bool
) -> None:
    texts = topic_units(seeds, "sentence")["text"].tolist()  # type: ignore[arg-type]
    reference = CountVectorizer(
        token_pattern=TOKEN_PATTERN, stop_words=sorted(ENGLISH_STOP_WORDS | STUDY_STOP_WORDS),
        min_df=min_df, max_df=max_df, ngram_range=(1, 2) if bigrams else (1, 1),
    ).fit(texts)  # fmt: skip
    est = StreamingTopicModel(3, min_df=min_df, max_df=max_df, bigrams=bigrams, max_iter=1)
    est.fit_batches(_batches(texts, 17))
    assert list(est.terms_) == list(reference.get_feature_names_out())


def test_tfidf_weighting_equals_the_in_memory_one(seeds: object) -> None:
    from framing.topics import TopicModel

    texts = topic_units(seeds, "paragraph")["text"].tolist()  # type: ignore[arg-type]
    online = StreamingTopicModel(3, max_iter=1).fit_batches(_batches(texts, 9))
    memory = TopicModel(3).fit(texts)
    assert list(online.terms_) == list(memory.terms_)
    assert online.tfidf_ is not None and memory.tfidf_ is not None
    np.testing.assert_allclose(online.tfidf_.idf_, memory.tfidf_.idf_, rtol=1e-12)


# --------------------------------------------------------------------------------------------------
# bounded batches


class _Text(str):
    """A str that can be weakly referenced: tells whether a batch's texts are still held."""


class RecordingBatches:
    """Re-iterable batches made on demand; records how many earlier batches are alive when one is made."""

    def __init__(self, texts: list[str], size: int) -> None:
        self.chunks = _batches(texts, size)
        self.made = 0
        self.alive_at_creation: list[int] = []
        self._refs: list[weakref.ref[_Text]] = []

    def __iter__(self) -> Iterator[list[str]]:
        for chunk in self.chunks:
            self.alive_at_creation.append(sum(r() is not None for r in self._refs))
            batch = [_Text(t) for t in chunk]
            self._refs = [r for r in self._refs if r() is not None] + [weakref.ref(t) for t in batch]
            self.made += 1
            yield batch
            del batch


@pytest.mark.parametrize("cache", [True, False])
def test_the_fit_holds_at_most_one_batch(planted: tuple[list[str], np.ndarray], cache: bool) -> None:
    texts, _ = planted
    source = RecordingBatches(texts, 100)
    est = StreamingTopicModel(3, batch_size=64, max_iter=3, tol=1e-9, cache_counts=cache).fit_batches(source)
    # vocabulary pass + count pass (+ one read per mini-batch pass without the cache)
    assert source.made == 6 * (2 + (0 if cache else est.n_iter_))
    # when a batch is made, only the one just consumed may still be referenced: never two batches of text
    assert max(source.alive_at_creation) <= 100
    assert source.alive_at_creation[1] <= 100


def test_partitioned_units_reads_one_partition_at_a_time(partitioned: Path) -> None:
    units = PartitionedUnits(partitioned, "paragraph")
    assert len(units) >= 3
    it = iter(units)
    next(it)
    assert units.reads == 1  # lazy: one part read, not the whole corpus
    fit = fit_topics_streamed(units, 3, max_iter=2, batch_size=32, random_state=0)
    # vocabulary, counts, scoring: three passes over every partition (the mini-batch passes read the cache)
    assert units.reads == 1 + 3 * len(units)
    assert fit.n_units == sum(len(units.read(p)) for p in units.parts)


# --------------------------------------------------------------------------------------------------
# partitioned corpora


@pytest.fixture(scope="module")
def generated_jsonl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """80 documents of 2-10 sentences drawn (seeded) from the seeds' sentences, as JSONL."""
    return seed_sentence_jsonl(tmp_path_factory.mktemp("topics-jsonl") / "gen.jsonl", n_docs=80, sizes=(2, 11),
                               per_paragraph=2, seed=11, replace=False)


@pytest.fixture(scope="module")
def partitioned(generated_jsonl: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("topics-processed")
    result = run_partitioned(generated_jsonl, name="gen", processed_dir=out, partition_bytes=8_000,
                             say=lambda _m: None)
    assert result.n_partitions >= 3
    return result.directory


@pytest.mark.parametrize("unit", ["document", "paragraph", "sentence"])
def test_partitioned_units_are_the_whole_corpus_units(generated_jsonl: Path, partitioned: Path, unit: str) -> None:
    got = pd.concat(list(PartitionedUnits(partitioned, unit)), ignore_index=True)
    want = topic_units(process_corpus(load_corpus(generated_jsonl)), unit)
    got = got.sort_values(["doc_id", "unit_id"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_documents_split_over_batches_are_combined_by_tokens(planted: tuple[list[str], np.ndarray]) -> None:
    texts, _ = planted
    units = pd.DataFrame({"doc_id": [f"d{i // 4:03d}" for i in range(len(texts))], "text": texts})
    batches = [units.iloc[i:i + 90] for i in range(0, len(units), 90)]  # 90 is not a multiple of 4
    # LDA: a unit's weights do not depend on the other units it is transformed with (NMF's do, slightly:
    # scikit-learn starts and stops its solve on the whole matrix it is given)
    fit = fit_topics_streamed(batches, 3, model="lda", max_iter=2, batch_size=64, random_state=0)
    est = fit.estimator
    n_tokens = np.asarray(est.count_matrix(texts).sum(axis=1)).ravel()
    want = aggregate_to_documents(units["doc_id"].tolist(), est.transform(texts), n_tokens)
    np.testing.assert_allclose(fit.doc_topics[est.topic_labels_].to_numpy(), want[est.topic_labels_].to_numpy(),
                               rtol=1e-12)
    assert fit.doc_topics["doc_id"].tolist() == want["doc_id"].tolist()


def test_cli_topics_stream_backend(generated_jsonl: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    common = [str(generated_jsonl), "--k", "3", "--backend", "stream", "--partition-mb", "0.008", "--passes", "2",
              "--batch-size", "32", "-q", "--processed-dir", str(tmp_path / "proc")]
    assert main(["topics", *common, "--out", str(tmp_path / "a")]) == 0
    assert main(["topics", *common, "--out", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "(online, 2 pass(es))" in out and "batch(es)" in out
    for name in ("doc_topics.csv", "topic_terms.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    doc_topics = pd.read_csv(tmp_path / "a" / "doc_topics.csv")
    assert list(doc_topics.columns) == ["doc_id", "topic_0", "topic_1", "topic_2"]  # the command's contract
    assert doc_topics["doc_id"].tolist() == [f"g{i:03d}" for i in range(80)]
    np.testing.assert_allclose(doc_topics[["topic_0", "topic_1", "topic_2"]].sum(axis=1), 1.0, atol=1e-5)
    terms = pd.read_csv(tmp_path / "a" / "topic_terms.csv")
    assert list(terms.columns) == ["topic", "rank", "term", "weight"]
    # a folder already prepared is read as it is
    assert main(["topics", str(tmp_path / "proc" / "gen"), "--k", "3", "--backend", "stream", "--passes", "2",
                 "--batch-size", "32", "-q", "--out", str(tmp_path / "c")]) == 0
    assert (tmp_path / "c" / "doc_topics.csv").read_bytes() == (tmp_path / "a" / "doc_topics.csv").read_bytes()


def test_cli_refuses_batch_learner_on_partitions(generated_jsonl: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["topics", str(generated_jsonl), "--k", "3", "--backend", "stream", "--learner", "batch",
                 "--out", str(tmp_path)])
    assert code == 2
    assert "--learner batch" in capsys.readouterr().err


@pytest.mark.parametrize(("flags", "named"), [(["--passes", "0"], "--passes"), (["--sample", "0"], "--sample"),
                                             (["--batch-size", "2"], "--batch-size")])
def test_cli_names_bad_flags(flags: list[str], named: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["topics", str(RAW), "--k", "3", "--learner", "online", *flags, "--out", str(tmp_path)]) == 2
    assert f"{named} must" in capsys.readouterr().err


def test_cli_sample_learner_in_memory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["topics", str(RAW), "--k", "2", "--learner", "sample", "--sample", "0.9", "-q",
                 "--out", str(tmp_path)]) == 0
    assert "(sample, a 0.9 sample of" in capsys.readouterr().out
    doc_topics = pd.read_csv(tmp_path / "doc_topics.csv")
    assert len(doc_topics) == 5 and list(doc_topics.columns) == ["doc_id", "topic_0", "topic_1"]


# --------------------------------------------------------------------------------------------------
# errors


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"learner": "gibbs"}, "learner"),
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 2}, "batch_size"),  # fewer than n_topics
        ({"sample": 0.0}, "sample"),
        ({"sample": 1.5}, "sample"),
        ({"tol": 0.0}, "tol"),
        ({"learning_decay": 0.0}, "learning_decay"),
        ({"learning_offset": -1.0}, "learning_offset"),
        ({"forget_factor": 2.0}, "forget_factor"),
        ({"cache_counts": "yes"}, "cache_counts"),
        ({"progress": 1}, "progress"),
        ({"max_iter": 0}, "max_iter"),
        ({"model": "plsa"}, "model"),
        ({"min_df": 0}, "min_df"),
    ],
)
def test_bad_parameters_are_named(params: dict[str, object], name: str) -> None:
    with pytest.raises(ParameterError, match=rf"^{name} "):
        StreamingTopicModel(3, **params).fit_batches([["alpha beta gamma", "beta gamma delta"]])  # type: ignore[arg-type]


def test_one_shot_iterators_are_refused() -> None:
    gen = (b for b in [["alpha beta", "beta gamma"]])
    with pytest.raises(ParameterError, match="re-iterable"):
        StreamingTopicModel(2).fit_batches(gen)
    with pytest.raises(ParameterError, match="batches must be an iterable"):
        StreamingTopicModel(2).fit_batches("alpha beta")


def test_empty_and_too_small_corpora(planted: tuple[list[str], np.ndarray]) -> None:
    with pytest.raises(TopicModelError, match="no units"):
        StreamingTopicModel(2).fit_batches([[], []])
    with pytest.raises(TopicModelError, match="n_topics=5 is larger than the number of non-empty units"):
        StreamingTopicModel(5, min_df=1, batch_size=8).fit_batches([["alpha beta", "gamma delta"], ["beta gamma"]])
    with pytest.raises(TopicModelError, match="empty vocabulary"):
        StreamingTopicModel(2, max_df=1.0).fit_batches([["alpha beta", "gamma delta"]])  # every term in one unit
    with pytest.raises(TopicModelError, match=r"max_df=0\.95 corresponds to fewer units than min_df=50"):
        StreamingTopicModel(2, min_df=50).fit_batches([["alpha beta", "gamma delta"]])
    with pytest.raises(TopicModelError, match="sample"):
        StreamingTopicModel(2, learner="sample", sample=1e-9).fit_batches([["alpha beta", "gamma delta"]])
    with pytest.raises(TopicModelError, match="pass X"):
        StreamingTopicModel(3, max_iter=1).fit(planted[0]).coherence()


def test_partitioned_units_need_a_complete_run(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=str(tmp_path)):
        PartitionedUnits(tmp_path)
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")  # a manifest but no tables: never 0 batches
    with pytest.raises(CorpusError, match=r"no tables to read: neither part files .* nor documents\.parquet"):
        PartitionedUnits(tmp_path)


@pytest.mark.parametrize("unit", ["document", "sentence"])
def test_a_folder_prepared_in_memory_is_read_as_it_is(generated_jsonl: Path, tmp_path: Path, unit: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from framing.corpus import prepare_corpus

    prepared = prepare_corpus(generated_jsonl, name="gen", processed_dir=tmp_path / "processed")
    folder = tmp_path / "processed" / "gen"
    assert (folder / "sentences.parquet").is_file() and not (folder / "sentences").exists()
    batches = list(PartitionedUnits(folder, unit))
    assert len(batches) == 1  # one partition: the whole corpus
    pd.testing.assert_frame_equal(batches[0], topic_units(prepared, unit), check_dtype=False)
    # framing topics reads the folder (memory and stream backends) as it reads the corpus it was prepared from
    args = ["--k", "3", "--unit", unit, "-q"]
    assert main(["topics", str(generated_jsonl), *args, "--out", str(tmp_path / "a")]) == 0
    assert main(["topics", str(folder), *args, "--out", str(tmp_path / "b")]) == 0
    for name in ("doc_topics.csv", "topic_terms.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert main(["topics", str(folder), *args, "--backend", "stream", "--out", str(tmp_path / "c")]) == 0
    assert len(pd.read_csv(tmp_path / "c" / "doc_topics.csv")) == len(prepared.documents)
    with pytest.raises(ParameterError, match="unit"):
        PartitionedUnits(tmp_path, "chapter")
