"""Topic models on real news: do k=5 topics recover the five BBC sections, and how fast are the fits.

Reads ``../shared/corpora/bbc-news-2004-2005.jsonl.gz`` (2,225 BBC News articles, five sections; Greene &
Cunningham 2006) and prints:

1. Recovery at k=5: normalised mutual information (arithmetic mean normalisation, scikit-learn's default)
   and purity between each article's dominant topic and its section, for framing's NMF and LDA and for
   gensim's LdaModel on the same vocabulary.
2. Fit times at k = 5, 10, 20 for scikit-learn LDA (framing's backend) beside gensim's LdaModel at matched
   settings, plus NMF for reference. Both LDA implementations get the same document-term matrix (framing's
   vocabulary step: min_df=5, max_df=0.5), batch variational Bayes, 10 passes over the corpus
   (scikit-learn ``max_iter=10``; gensim ``passes=10, update_every=0, chunksize=n_docs``), at most 100
   per-document E-step iterations with a 1e-3 convergence threshold (``max_doc_update_iter=100,
   mean_change_tol=1e-3``; gensim ``iterations=100, gamma_threshold=1e-3``), symmetric priors 1/k,
   one process each. Times are for the fit only (the matrix and gensim's corpus are built beforehand and
   timed separately), best of ``--repeat`` runs, as wall clock and as CPU (process) time; on a shared
   machine CPU time is the steadier figure.

Run from the project root: ``python -m benchmarks.bench_topics [--repeat N] [--ks 5 10 20]``.
Says so and exits 0 when the corpus is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "corpora" / "bbc-news-2004-2005.jsonl.gz"
SEED = 0


def load_bbc(path: Path) -> tuple[list[str], list[str]]:
    """Texts and section labels of the BBC corpus."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [r["text"] for r in rows], [r["category"] for r in rows]


def purity(labels: list[str], clusters: np.ndarray) -> float:
    """Share of articles whose section is the majority section of their cluster."""
    lab = np.unique(np.asarray(labels), return_inverse=True)[1]
    table = np.zeros((int(clusters.max()) + 1, int(lab.max()) + 1), dtype=np.int64)
    np.add.at(table, (clusters, lab), 1)
    return float(table.max(axis=1).sum() / len(labels))


def best_time(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Return the best wall-clock and best CPU (process) time of ``repeat`` calls.

    CPU time is less sensitive to other jobs on a shared machine, wall-clock is what a user waits.
    """
    wall, cpu = float("inf"), float("inf")
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (see the module docstring); return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per timing, best kept (default 1)")
    parser.add_argument("--ks", type=int, nargs="+", default=[5, 10, 20], help="k values to time")
    args = parser.parse_args(argv)
    if not BBC.is_file():
        print(f"bench_topics: BBC corpus absent ({BBC}); nothing to measure")
        return 0

    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.metrics import normalized_mutual_info_score

    from framing.topics import TopicModel

    texts, labels = load_bbc(BBC)
    print(f"bench_topics: {len(texts)} BBC articles, sections: {sorted(set(labels))}")

    t0 = time.perf_counter()
    nmf5 = TopicModel(5, model="nmf", min_df=5, max_df=0.5, random_state=SEED).fit(texts)
    t_nmf_total = time.perf_counter() - t0
    counts = nmf5.doc_term_
    terms = list(nmf5.terms_)
    t0 = time.perf_counter()
    TopicModel(5, min_df=5, max_df=0.5)._make_vectorizer().fit_transform(texts)  # the vocabulary step alone
    t_vocab = time.perf_counter() - t0
    print(
        f"vocabulary: {counts.shape[1]} terms (min_df=5, max_df=0.5, English + study stop words); "
        f"{int(counts.sum())} tokens; built in {t_vocab:.2f} s"
    )

    lda5 = TopicModel(5, model="lda", vocabulary=terms, max_iter=10, random_state=SEED).fit(texts)
    lda5_default = TopicModel(5, model="lda", vocabulary=terms, random_state=SEED).fit(texts)

    print("\n1. Recovery of the five sections at k=5 (dominant topic vs section)")
    print(f"{'model':<36}{'NMI':>8}{'purity':>9}")
    rows: list[tuple[str, np.ndarray]] = [
        ("framing NMF (tf-idf, nndsvda)", np.argmax(nmf5.doc_topic_, axis=1)),
        ("framing LDA (sklearn, 10 passes)", np.argmax(lda5.doc_topic_, axis=1)),
        (f"framing LDA (default, {lda5_default.n_iter_} passes)", np.argmax(lda5_default.doc_topic_, axis=1)),
    ]

    try:
        import gensim  # noqa: F401
        from gensim.corpora import Dictionary
        from gensim.matutils import Sparse2Corpus
        from gensim.models import LdaModel

        have_gensim = True
    except ImportError:
        have_gensim = False
        print("(gensim not installed: gensim rows skipped)")

    int_counts = counts.astype(np.int64)
    if have_gensim:
        t0 = time.perf_counter()
        gcorpus = list(Sparse2Corpus(int_counts, documents_columns=False))
        id2word = Dictionary.from_corpus(gcorpus, id2word=dict(enumerate(terms)))
        t_gcorpus = time.perf_counter() - t0

        def gensim_lda(k: int) -> Any:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return LdaModel(
                    corpus=gcorpus, id2word=id2word, num_topics=k, passes=10, iterations=100,
                    gamma_threshold=1e-3, update_every=0, chunksize=len(gcorpus), alpha="symmetric",
                    eta=None, eval_every=None, random_state=SEED,
                )  # fmt: skip

        g5 = gensim_lda(5)
        theta = np.zeros((len(gcorpus), 5))
        for i, bow in enumerate(gcorpus):
            for t, p in g5.get_document_topics(bow, minimum_probability=0.0):
                theta[i, t] = p
        rows.append(("gensim LdaModel (10 passes)", np.argmax(theta, axis=1)))
    for name, pred in rows:
        print(f"{name:<36}{normalized_mutual_info_score(labels, pred):>8.3f}{purity(labels, pred):>9.3f}")
    print(f"(framing NMF k=5 end to end, vocabulary included: {t_nmf_total:.2f} s)")

    print(f"\n2. Fit times in s, fit only, same matrix, best of {args.repeat}: wall clock / CPU (process) time")
    if have_gensim:
        print(f"   gensim corpus conversion (once): {t_gcorpus:.2f} s")
    print(f"{'k':>4}{'sklearn LDA':>16}{'gensim LDA':>16}{'CPU ratio':>11}{'sklearn NMF':>16}")
    for k in args.ks:

        def sk_lda(k: int = k) -> Any:
            return LatentDirichletAllocation(
                n_components=k, learning_method="batch", max_iter=10, max_doc_update_iter=100,
                mean_change_tol=1e-3, random_state=SEED, n_jobs=1,
            ).fit(int_counts)  # fmt: skip

        def sk_nmf(k: int = k) -> Any:
            return NMF(n_components=k, init="nndsvda", max_iter=400, random_state=SEED).fit(
                nmf5._weighting(counts)
            )

        sk = best_time(sk_lda, args.repeat)
        nm = best_time(sk_nmf, args.repeat)
        if have_gensim:
            gs = best_time(lambda k=k: gensim_lda(k), args.repeat)
            gcol, ratio = f"{gs[0]:.1f} / {gs[1]:.1f}", f"{sk[1] / gs[1]:.2f}"
        else:
            gcol, ratio = "--", "--"
        print(f"{k:>4}{f'{sk[0]:.1f} / {sk[1]:.1f}':>16}{gcol:>16}{ratio:>11}{f'{nm[0]:.1f} / {nm[1]:.1f}':>16}")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
