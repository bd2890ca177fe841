"""Comparing genres: keyness of words, and frame shares with document-level uncertainty.

Keyness
-------
For a word *w*, a *target* group (a genre) and a *reference* group (the rest of the corpus, or another
genre), with ``a`` = count of *w* in the target, ``b`` = count in the reference, ``c`` and ``d`` the
token totals of target and reference:

* **Dunning's log-likelihood** G2 in the two-cell form of Rayson & Garside (2000) (the form of the
  Lancaster log-likelihood calculator)::

      E1 = c (a + b) / (c + d)        E2 = d (a + b) / (c + d)
      G2 = 2 [ a ln(a / E1) + b ln(b / E2) ]          (0 ln 0 = 0)

  **No continuity (Yates) correction** is applied; G2 is compared with a chi-square distribution with
  one degree of freedom (``p_value``), which is a rough guide for small counts and ignores that
  tokens cluster in documents (use ``min_count`` and read G2 as a ranking, not as a test).
  ``direction`` is ``+1`` when ``a/c > b/d`` (over-used in the target) and ``-1`` otherwise.
* **Log ratio** (Hardie 2014), an effect size: ``log2( ((a + 0.5)/c) / ((b + 0.5)/d) )`` (0.5 added
  to both counts so that words absent from one side get a finite value).
* **Log-odds ratio with an informative Dirichlet prior** (Monroe, Colaresi & Quinn 2008, eqs. 16-22).
  With prior pseudo-counts ``alpha_w`` (summing to ``alpha0``) and group totals ``n_i``, ``n_j``::

      delta_w = ln[(y_wi + alpha_w) / (n_i + alpha0 - y_wi - alpha_w)]
              - ln[(y_wj + alpha_w) / (n_j + alpha0 - y_wj - alpha_w)]
      var(delta_w) ~= 1 / (y_wi + alpha_w) + 1 / (y_wj + alpha_w)
      z_w = delta_w / sqrt(var(delta_w))

  The prior is informative: ``alpha_w = alpha0 * f_w / N`` where ``f_w / N`` is the word's relative
  frequency in a background (default: the whole corpus being compared). ``alpha0`` (default
  :data:`DEFAULT_ALPHA0` = 100 pseudo-tokens) sets its strength; ``alpha0=None`` uses the raw
  background counts (``alpha0 = N``), a strong prior.

All statistics are computed at once over the whole vocabulary with numpy arrays; counts come from a
sparse document-term matrix (:func:`doc_term_matrix`).

Frame shares
------------
The share of a genre's sentences that carry a frame is a ratio estimate over documents (sentences are
nested in documents), so its uncertainty comes from a **cluster bootstrap**: documents are resampled
with replacement within each genre (multinomial weights, ``n_boot`` replicates), and the share is
recomputed as (frame sentences in the resample) / (sentences in the resample); intervals are
percentile intervals. A genre with fewer than ``min_docs`` documents (default :data:`MIN_DOCS` = 10)
gets **no interval**: the point share is reported with ``method = "descriptive"`` and a
:class:`FewDocumentsWarning`, because a bootstrap over a handful of documents has too few distinct
resamples (3 for 2 documents, 126 for 5) and under-covers badly. With one document (the seed corpus's
single ministerial statement) nothing can be said about the genre beyond that document.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from framing.errors import FramingWarning, ParameterError
from framing.resampling import (
    check_documents_known,
    check_level,
    check_n_boot,
    document_groups,
    generator,
    multinomial_weights,
    percentile_interval,
    ratio_of_sums,
)
from framing.types import DEFAULT_SEED, FRAMES, GROUP_LABEL, MIN_DOCS, ProcessedCorpusLike, plural

__all__ = [
    "DEFAULT_ALPHA0",
    "KEYNESS_COLUMNS",
    "MIN_DOCS",
    "ComparisonWarning",
    "FewDocumentsWarning",
    "SingleGenreWarning",
    "cluster_bootstrap_shares",
    "doc_term_matrix",
    "frame_share_differences",
    "frame_share_intervals",
    "keyness",
    "keyness_by_genre",
    "log_likelihood_g2",
    "log_odds_dirichlet",
    "log_ratio",
    "top_keywords",
]

DEFAULT_ALPHA0 = 100.0
"""Default strength (total pseudo-counts) of the informative Dirichlet prior."""


KEYNESS_COLUMNS: tuple[str, ...] = (
    "target", "reference", "term", "count_target", "count_reference", "per_1000_target",
    "per_1000_reference", "g2", "p_value", "direction", "log_ratio", "log_odds", "log_odds_var", "z",
)


class ComparisonWarning(FramingWarning):
    """Base class of this module's warnings (the analysis goes on with what can be computed)."""


class SingleGenreWarning(ComparisonWarning):
    """The corpus has one genre only: there is nothing to compare it with."""


class FewDocumentsWarning(ComparisonWarning):
    """A genre has fewer documents than ``min_docs``: shares are descriptive, without intervals."""


# --------------------------------------------------------------------------------------------------
# Statistics (vectorised over the vocabulary)
# --------------------------------------------------------------------------------------------------


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``x * ln(y)`` with ``0 * ln(anything) = 0``."""
    out = np.zeros(np.broadcast(x, y).shape, dtype=float)
    np.multiply(x, np.log(y, out=np.ones_like(out), where=x > 0), out=out, where=x > 0)
    return out


def log_likelihood_g2(
    a: np.ndarray | Sequence[float],
    b: np.ndarray | Sequence[float],
    c: float | None = None,
    d: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Dunning's log-likelihood G2 (two-cell form, no Yates correction) for every word.

    Parameters
    ----------
    a, b : array-like
        Counts of each word in the target and in the reference.
    c, d : float, optional
        Token totals of target and reference (default: ``a.sum()`` and ``b.sum()``).

    Returns
    -------
    g2 : ndarray
        ``2 [a ln(a/E1) + b ln(b/E2)]`` with ``E1 = c(a+b)/(c+d)``, ``E2 = d(a+b)/(c+d)``.
    direction : ndarray of int
        +1 where ``a/c > b/d``, -1 where it is smaller, 0 where equal.
    """
    a_ = np.asarray(a, dtype=float)
    b_ = np.asarray(b, dtype=float)
    c_ = float(a_.sum()) if c is None else float(c)
    d_ = float(b_.sum()) if d is None else float(d)
    if c_ <= 0 or d_ <= 0:
        raise ParameterError(f"log_likelihood_g2 needs positive totals, got c={c_}, d={d_}")
    total = a_ + b_
    e1 = c_ * total / (c_ + d_)
    e2 = d_ * total / (c_ + d_)
    g2 = 2.0 * (_xlogy(a_, np.divide(a_, e1, out=np.ones_like(a_), where=e1 > 0))
                + _xlogy(b_, np.divide(b_, e2, out=np.ones_like(b_), where=e2 > 0)))
    direction = np.sign(a_ / c_ - b_ / d_).astype(int)
    return np.maximum(g2, 0.0), direction


def log_ratio(a: np.ndarray | Sequence[float], b: np.ndarray | Sequence[float], c: float, d: float) -> np.ndarray:
    """Hardie's log ratio ``log2(((a + 0.5)/c) / ((b + 0.5)/d))`` (0.5 added to both counts)."""
    a_ = np.asarray(a, dtype=float)
    b_ = np.asarray(b, dtype=float)
    return np.asarray(np.log2(((a_ + 0.5) / c) / ((b_ + 0.5) / d)))


def log_odds_dirichlet(
    y_i: np.ndarray | Sequence[float],
    y_j: np.ndarray | Sequence[float],
    alpha: np.ndarray | Sequence[float],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Log-odds ratio with a Dirichlet prior (Monroe, Colaresi & Quinn 2008), group i vs group j.

    Parameters
    ----------
    y_i, y_j : array-like
        Word counts in the two groups (same vocabulary order).
    alpha : array-like
        Prior pseudo-counts per word (all > 0); ``alpha0 = alpha.sum()``.

    Returns
    -------
    delta : ndarray
        ``ln[(y_i+a)/(n_i+a0-y_i-a)] - ln[(y_j+a)/(n_j+a0-y_j-a)]``.
    variance : ndarray
        ``1/(y_i+a) + 1/(y_j+a)`` (the paper's approximation).
    z : ndarray
        ``delta / sqrt(variance)``.
    """
    yi = np.asarray(y_i, dtype=float)
    yj = np.asarray(y_j, dtype=float)
    al = np.asarray(alpha, dtype=float)
    if yi.shape != yj.shape or yi.shape != al.shape:
        raise ParameterError(f"y_i, y_j and alpha must have the same shape, got {yi.shape}, {yj.shape}, {al.shape}")
    if al.size and not np.all(al > 0):
        raise ParameterError("alpha (prior pseudo-counts) must be > 0 for every word")
    a0 = al.sum()
    ni, nj = yi.sum(), yj.sum()
    delta = np.log((yi + al) / (ni + a0 - yi - al)) - np.log((yj + al) / (nj + a0 - yj - al))
    var = 1.0 / (yi + al) + 1.0 / (yj + al)
    return delta, var, delta / np.sqrt(var)


# --------------------------------------------------------------------------------------------------
# Counts
# --------------------------------------------------------------------------------------------------


def doc_term_matrix(
    texts: Sequence[str],
    *,
    stop_words: Sequence[str] | None = None,
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Count tokens (:data:`framing.segment.TOKEN_PATTERN`, normal forms) per text.

    Returns a sparse (texts x vocabulary) count matrix and the vocabulary (sorted, so outputs are
    deterministic). ``stop_words`` (normal forms) are dropped.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    from framing.segment import TOKEN_PATTERN, normalize

    token_re = re.compile(TOKEN_PATTERN)

    def analyzer(text: str) -> list[str]:
        found = token_re.findall(text)
        return normalize("\n".join(found)).split("\n") if found else []

    vec = CountVectorizer(analyzer=analyzer, stop_words=None, dtype=np.int64)
    X = vec.fit_transform(list(texts)) if len(texts) else sp.csr_matrix((0, 0), dtype=np.int64)
    vocab = np.asarray(vec.get_feature_names_out() if len(texts) else [], dtype=object)
    if stop_words:
        keep = ~np.isin(vocab, np.asarray([normalize(w) for w in stop_words], dtype=object))
        X, vocab = X[:, keep], vocab[keep]
    order = np.argsort(vocab, kind="stable")
    return sp.csr_matrix(X[:, order]), vocab[order]


def _group_counts(X: sp.csr_matrix, labels: Sequence[str], groups: Sequence[str]) -> np.ndarray:
    """Sum rows of X by label: a (groups x vocabulary) dense array (via a sparse indicator product)."""
    lab = np.asarray(labels, dtype=object)
    rows = np.concatenate([np.flatnonzero(lab == g) for g in groups]) if len(groups) else np.array([], int)
    cols = np.concatenate([np.full(int((lab == g).sum()), k) for k, g in enumerate(groups)]) if len(groups) \
        else np.array([], int)
    ind = sp.csr_matrix((np.ones(len(rows)), (cols, rows)), shape=(len(groups), X.shape[0]))
    return np.asarray((ind @ X).toarray(), dtype=float)


def _corpus_genre_texts(corpus: ProcessedCorpusLike) -> tuple[list[str], list[str]]:
    """Content text per document (its sentences joined, boilerplate excluded) and its genre."""
    docs = corpus.documents
    sents = corpus.sentences
    joined = sents.groupby("doc_id", sort=False)["text"].agg(lambda s: "\n".join(map(str, s)))
    texts = [str(joined.get(d, "")) for d in docs["doc_id"]]
    return texts, [str(g) for g in docs["genre"]]


def _count_vector(counts: Any, name: str) -> np.ndarray:
    """Return ``counts`` as a 1-D float array of finite, non-negative counts (else a ParameterError naming ``name``)."""
    if sp.issparse(counts):
        counts = counts.toarray()
    try:
        arr = np.asarray(counts, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{name} must be an array of counts per word, got {type(counts).__name__}: "
                             f"{exc}") from None
    if arr.ndim == 2 and 1 in arr.shape:
        arr = arr.ravel()  # one row or one column: a sparse row, np.matrix from X.sum(axis=0)
    if arr.ndim != 1:
        raise ParameterError(f"{name} must be one count per word (a 1-D array, one row or one column), got shape "
                             f"{arr.shape}")
    bad = np.flatnonzero(~np.isfinite(arr) | (arr < 0))
    if len(bad):
        raise ParameterError(f"{name} must hold finite, non-negative counts; position {int(bad[0])} is "
                             f"{float(arr[bad[0]])!r}" + (f" ({len(bad)} such)" if len(bad) > 1 else ""))
    return arr


def keyness(
    counts_target: np.ndarray,
    counts_reference: np.ndarray,
    vocab: Sequence[str] | np.ndarray,
    *,
    target: str = "target",
    reference: str = "reference",
    alpha: np.ndarray | None = None,
    alpha0: float | None = DEFAULT_ALPHA0,
    min_count: int = 3,
) -> pd.DataFrame:
    """Keyness of every word of the target group against the reference group.

    Parameters
    ----------
    counts_target, counts_reference : array or scipy.sparse matrix
        Counts per word (vocabulary order): finite and non-negative, a 1-D array or one row or column (the
        ``X.sum(axis=0)`` of a sparse document-term matrix, or a sparse row); anything else is a
        :class:`ParameterError` naming the parameter.
    vocab : sequence of str
        The words.
    target, reference : str
        Labels written to the ``target`` and ``reference`` columns.
    alpha : ndarray, optional
        Background counts for the prior (default: ``counts_target + counts_reference``); scaled to sum
        to ``alpha0`` unless ``alpha0`` is None. Words with zero background get 0.01 pseudo-counts.
    alpha0 : float or None
        Prior strength (see the module docstring).
    min_count : int
        Keep only words seen at least this often in target and reference together.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`KEYNESS_COLUMNS`, sorted by ``z`` descending then term.
    """
    a = _count_vector(counts_target, "counts_target")
    b = _count_vector(counts_reference, "counts_reference")
    words = np.asarray(vocab, dtype=object)
    if not (a.shape == b.shape == words.shape):
        raise ParameterError(f"counts and vocab differ in length: {a.shape}, {b.shape}, {words.shape}")
    if min_count < 1:
        raise ParameterError(f"min_count must be >= 1, got {min_count}")
    c, d = a.sum(), b.sum()
    if c <= 0:
        raise ParameterError(f"target group {target!r} has no tokens")
    if d <= 0:
        raise ParameterError(f"reference group {reference!r} has no tokens")
    bg = (a + b) if alpha is None else _count_vector(alpha, "alpha")
    bg = np.where(bg > 0, bg, 0.0)
    prior = bg if alpha0 is None else alpha0 * bg / bg.sum()
    prior = np.where(prior > 0, prior, 0.01)
    g2, direction = log_likelihood_g2(a, b, c, d)
    delta, var, z = log_odds_dirichlet(a, b, prior)
    keep = (a + b) >= min_count
    df = pd.DataFrame({
        "target": target, "reference": reference, "term": words[keep],
        "count_target": a[keep].astype(np.int64), "count_reference": b[keep].astype(np.int64),
        "per_1000_target": 1000 * a[keep] / c, "per_1000_reference": 1000 * b[keep] / d,
        "g2": g2[keep], "p_value": stats.chi2.sf(g2[keep], 1), "direction": direction[keep],
        "log_ratio": log_ratio(a[keep], b[keep], c, d), "log_odds": delta[keep], "log_odds_var": var[keep],
        "z": z[keep],
    }, columns=list(KEYNESS_COLUMNS))
    return df.sort_values(["z", "term"], ascending=[False, True], kind="stable").reset_index(drop=True)


def keyness_by_genre(
    corpus: ProcessedCorpusLike,
    *,
    pairwise: bool = False,
    alpha0: float | None = DEFAULT_ALPHA0,
    min_count: int = 3,
    stop_words: Sequence[str] | None = None,
    genres: Sequence[str] | None = None,
    group_label: str = GROUP_LABEL,
) -> pd.DataFrame:
    """Keyness of each genre against the rest of the corpus (and, with ``pairwise``, each pair).

    The prior's background is the whole corpus (all genres), the same for every comparison. Genres are
    taken in ``genres`` order (default: order of first appearance). With one genre a
    :class:`SingleGenreWarning` names it (calling the grouping ``group_label``, :func:`framing.types.group_label`)
    and an empty table (columns :data:`KEYNESS_COLUMNS`) is returned.
    """
    texts, labels = _corpus_genre_texts(corpus)
    order = list(dict.fromkeys(labels)) if genres is None else [str(g) for g in genres]
    unknown = sorted(set(order) - set(labels))
    if unknown:
        raise ParameterError(f"genres not in the corpus: {unknown}; the corpus has {sorted(set(labels))}")
    empty = pd.DataFrame(columns=list(KEYNESS_COLUMNS))
    if len(order) < 2:
        warnings.warn(
            f"corpus {getattr(corpus, 'name', '?')!r} has one {group_label} only ({order[0] if order else 'none'!r}): "
            f"keyness needs at least two {plural(group_label)}; returning an empty keyness table",
            SingleGenreWarning, stacklevel=2,
        )
        return empty
    X, vocab = doc_term_matrix(texts, stop_words=stop_words)
    G = _group_counts(X, labels, order)
    background = G.sum(axis=0)
    tables = []
    for k, g in enumerate(order):
        rest = G.sum(axis=0) - G[k]
        tables.append(keyness(G[k], rest, vocab, target=g, reference="rest", alpha=background, alpha0=alpha0,
                              min_count=min_count))
    if pairwise:
        for k, h in combinations(range(len(order)), 2):
            tables.append(keyness(G[k], G[h], vocab, target=order[k], reference=order[h], alpha=background,
                                  alpha0=alpha0, min_count=min_count))
    return pd.concat(tables, ignore_index=True)


def top_keywords(table: pd.DataFrame, n: int = 15, *, by: str = "z", reference: str = "rest") -> pd.DataFrame:
    """Return the ``n`` most over-used words per target genre (``by`` = ``"z"`` or ``"g2"``, over-use only).

    Ties are broken by term so the result is deterministic.
    """
    if by not in ("z", "g2"):
        raise ParameterError(f"by must be 'z' or 'g2', got {by!r}")
    if n < 1:
        raise ParameterError(f"n must be >= 1, got {n}")
    t = table[(table["reference"] == reference) & (table["direction"] > 0)]
    if by == "z":
        t = t[t["z"] > 0]
    t = t.sort_values(["target", by, "term"], ascending=[True, False, True], kind="stable")
    out = t.groupby("target", sort=False).head(n)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# Frame shares with cluster bootstrap
# --------------------------------------------------------------------------------------------------


def _frame_indicators(frames: pd.DataFrame, frame_cols: Sequence[str]) -> pd.DataFrame:
    missing = [c for c in ("doc_id", *frame_cols) if c not in frames.columns]
    if missing:
        raise ParameterError(f"frame table lacks column(s) {missing}; it has {list(frames.columns)}")
    ind = frames[["doc_id"]].copy()
    for f in frame_cols:
        ind[f] = (pd.to_numeric(frames[f], errors="coerce").fillna(0) > 0).astype(np.int64)
    return ind


def cluster_bootstrap_shares(
    doc_frame_counts: np.ndarray,
    doc_sentences: np.ndarray,
    *,
    n_boot: int,
    random_state: int,
) -> np.ndarray:
    """Bootstrap replicates of frame shares resampling documents (clusters) with replacement.

    Parameters
    ----------
    doc_frame_counts : ndarray (n_docs, n_frames)
        Sentences carrying each frame, per document.
    doc_sentences : ndarray (n_docs,)
        Sentences per document.
    n_boot : int
        Replicates.
    random_state : int
        Seed for :func:`numpy.random.default_rng`.

    Returns
    -------
    ndarray (n_boot, n_frames)
        ``(w @ counts) / (w @ sentences)`` for multinomial resampling weights ``w`` (a resample of
        documents with replacement is a multinomial draw of how often each document is taken).
    """
    n_boot = check_n_boot(n_boot)
    counts = np.asarray(doc_frame_counts, dtype=float)
    n = np.asarray(doc_sentences, dtype=float)
    w = multinomial_weights(generator(random_state), counts.shape[0], n_boot)
    return ratio_of_sums(w @ counts, w @ n)


def _genre_doc_tables(
    frames: pd.DataFrame, corpus_or_documents: ProcessedCorpusLike | pd.DataFrame, frame_cols: Sequence[str],
    func: str,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per genre: the documents' frame-sentence counts and sentence counts (documents in genre order)."""
    genre_of, where = _genre_series(corpus_or_documents, func)
    ind = _frame_indicators(frames, frame_cols)
    per_doc = ind.groupby("doc_id", sort=True)[list(frame_cols)].sum()
    n_sent = ind.groupby("doc_id", sort=True).size()
    check_documents_known(per_doc.index.to_series(), genre_of.index.to_series(), where, func)
    g = genre_of.reindex(per_doc.index.astype(str))
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for genre in dict.fromkeys(genre_of.tolist()):
        sel = (g == genre).to_numpy()
        out[str(genre)] = (per_doc.to_numpy()[sel], n_sent.to_numpy()[sel])
    return out


def _genre_series(corpus_or_documents: ProcessedCorpusLike | pd.DataFrame, func: str) -> tuple[pd.Series, str]:
    """Each document's genre (indexed by doc_id as text; no value: ``(missing)``, with a warning), and whose."""
    if isinstance(corpus_or_documents, pd.DataFrame):
        docs, where = corpus_or_documents, "the documents table"
    else:
        docs = getattr(corpus_or_documents, "documents", None)
        where = f"corpus {getattr(corpus_or_documents, 'name', '')!s}".rstrip()
    if not isinstance(docs, pd.DataFrame) or not {"doc_id", "genre"} <= set(docs.columns):
        got = (f"a DataFrame with columns {list(map(str, docs.columns))[:8]}" if isinstance(docs, pd.DataFrame)
               else f"a {type(corpus_or_documents).__name__}")
        raise ParameterError(f"{func} needs a ProcessedCorpus or its documents table (doc_id, genre), got {got}")
    genres = pd.Series(docs["genre"].to_numpy(), index=docs["doc_id"].astype(str).to_numpy())
    return document_groups(genres, "genre", where), where


def frame_share_intervals(
    frames: pd.DataFrame,
    corpus_or_documents: ProcessedCorpusLike | pd.DataFrame,
    *,
    frame_cols: Sequence[str] = FRAMES,
    n_boot: int = 2000,
    level: float = 0.95,
    min_docs: int = MIN_DOCS,
    random_state: int = DEFAULT_SEED,
    group_label: str = GROUP_LABEL,
) -> pd.DataFrame:
    """Share of each genre's sentences carrying each frame, with cluster-bootstrap intervals.

    Parameters
    ----------
    frames : DataFrame
        One row per sentence with ``doc_id`` and one column per frame (a sentence carries the frame when
        the value is > 0), e.g. :func:`framing.scoring.frame_table`.
    corpus_or_documents : ProcessedCorpus or DataFrame
        Gives each document's genre (``documents`` with ``doc_id`` and ``genre``): the corpus the frames came
        from. A document without a genre is counted in ``(missing)`` with a ``MissingGroupWarning``; a document
        of ``frames`` it does not have, or a table without ``genre`` (a sentences table), is a
        :class:`ParameterError` naming them (as in :func:`framing.scoring.group_scores`).
    frame_cols : sequence of str
        The frame columns.
    n_boot, level, random_state
        Bootstrap replicates, interval level, seed.
    min_docs : int
        Fewest documents for an interval; below it ``lo``/``hi`` are NaN and ``method`` is
        ``"descriptive"`` (a :class:`FewDocumentsWarning` names the genre).
    group_label : str
        The grouping's name in warnings (:func:`framing.types.group_label`: ``"outlet"`` for ``genre_col="outlet"``).

    Returns
    -------
    pandas.DataFrame
        genre, frame, n_docs, n_sentences, n_frame (sentences with the frame), share, lo, hi, method
        (``"cluster bootstrap"`` or ``"descriptive"``).
    """
    level = check_level(level)
    n_boot = check_n_boot(n_boot)
    tables = _genre_doc_tables(frames, corpus_or_documents, frame_cols, "frame_share_intervals")
    rows = []
    for gi, (genre, (counts, n)) in enumerate(tables.items()):
        k = len(n)
        share = counts.sum(axis=0) / n.sum() if n.sum() > 0 else np.full(len(frame_cols), np.nan)
        if k >= min_docs:
            boot = cluster_bootstrap_shares(counts, n, n_boot=n_boot, random_state=random_state + gi)
            lo, hi = percentile_interval(boot, level, skip_nan=True)
            method = "cluster bootstrap"
        else:
            lo = hi = np.full(len(frame_cols), np.nan)
            method = "descriptive"
            warnings.warn(
                f"{group_label} {genre!r} has {k} document(s) (< min_docs={min_docs}): its frame shares are "
                "descriptive, without intervals",
                FewDocumentsWarning, stacklevel=2,
            )
        for j, f in enumerate(frame_cols):
            rows.append({"genre": genre, "frame": f, "n_docs": k, "n_sentences": int(n.sum()),
                         "n_frame": int(counts[:, j].sum()), "share": share[j], "lo": lo[j], "hi": hi[j],
                         "method": method})
    return pd.DataFrame(rows, columns=["genre", "frame", "n_docs", "n_sentences", "n_frame", "share", "lo", "hi",
                                       "method"])


def frame_share_differences(
    frames: pd.DataFrame,
    corpus_or_documents: ProcessedCorpusLike | pd.DataFrame,
    *,
    frame_cols: Sequence[str] = FRAMES,
    n_boot: int = 2000,
    level: float = 0.95,
    min_docs: int = MIN_DOCS,
    random_state: int = DEFAULT_SEED,
    group_label: str = GROUP_LABEL,
) -> pd.DataFrame:
    """Pairwise differences of frame shares between genres (share of ``genre_a`` minus ``genre_b``).

    Each genre's documents are resampled independently (same seeds as :func:`frame_share_intervals`);
    the interval is the percentile interval of the replicate differences. A pair where either genre
    has fewer than ``min_docs`` documents gets the point difference only (``method="descriptive"``). Warnings
    call the grouping ``group_label`` (:func:`framing.types.group_label`).

    Returns
    -------
    pandas.DataFrame
        genre_a, genre_b, frame, diff, lo, hi, method.
    """
    tables = _genre_doc_tables(frames, corpus_or_documents, frame_cols, "frame_share_differences")
    names = list(tables)
    if len(names) < 2:
        warnings.warn(f"one {group_label} only ({names[0] if names else 'none'!r}): no differences to compute",
                      SingleGenreWarning, stacklevel=2)
    level = check_level(level)
    n_boot = check_n_boot(n_boot)
    boots: dict[str, np.ndarray | None] = {}
    for gi, g in enumerate(names):
        counts, n = tables[g]
        boots[g] = (cluster_bootstrap_shares(counts, n, n_boot=n_boot, random_state=random_state + gi)
                    if len(n) >= min_docs else None)
    rows = []
    for a, b in combinations(names, 2):
        (ca, na), (cb, nb) = tables[a], tables[b]
        diff = ca.sum(axis=0) / na.sum() - cb.sum(axis=0) / nb.sum()
        ba, bb = boots[a], boots[b]
        if ba is not None and bb is not None:
            lo, hi = percentile_interval(ba - bb, level, skip_nan=True)
            method = "cluster bootstrap"
        else:
            lo = hi = np.full(len(frame_cols), np.nan)
            method = "descriptive"
        for j, f in enumerate(frame_cols):
            rows.append({"genre_a": a, "genre_b": b, "frame": f, "diff": diff[j], "lo": lo[j], "hi": hi[j],
                         "method": method})
    return pd.DataFrame(rows, columns=["genre_a", "genre_b", "frame", "diff", "lo", "hi", "method"])
