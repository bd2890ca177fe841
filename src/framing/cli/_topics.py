"""``framing topics``: a topic model fitted in memory, or batch by batch over partitions (issue 4)."""

from __future__ import annotations

import argparse
import contextlib
import copy
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from framing.cli._backend import (
    _add_backend_args,
    _partitioned_from_args,
    warn_ignored_flags,
    warn_unused_backend_flags,
)
from framing.cli._common import SubParsers, _add_case_arg, _add_corpus_args, _check_out, _processed_from_args
from framing.errors import FramingError, ParameterError
from framing.types import DEFAULT_SEED, ProcessedCorpusLike

__all__: list[str] = []

_K_MAX = 8
"""``--k auto``'s largest k by default: notebook 03's ``k_max``."""


_TOPIC_FLAGS = (("n_topics=", "--k "), ("n_topics", "--k"), ("batch_size=", "--batch-size "),
                ("batch_size", "--batch-size"), ("max_iter=", "--passes "), ("max_iter", "--passes"),
                ("min_df=", "--min-df "), ("min_df", "--min-df"), ("max_df=", "--max-df "), ("max_df", "--max-df"),
                ("max_features=", "--max-features "), ("max_features", "--max-features"),
                ("random_state=", "--seed "), ("random_state", "--seed"), ("sample=", "--sample "))
"""The API's parameter names in topic-model errors, and the ``framing topics`` flags that set them."""


def _flag_words(message: str) -> str:
    """Return ``message`` with the API's parameter names replaced by the ``framing topics`` flags."""
    for name, flag in _TOPIC_FLAGS:
        message = re.sub(rf"(?<![\w-]){re.escape(name)}", flag, message)
    return message


@contextlib.contextmanager
def _topic_flags() -> Iterator[None]:
    """Re-raise a topic model's error, and re-issue its warnings, with the flags the user typed.

    ``--k 40``, not ``n_topics=40``; ``--passes 5``, not ``max_iter=5``.
    """
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
    except FramingError as exc:
        message = _flag_words(str(exc))
        if message == str(exc):
            raise
        named = copy.copy(exc)  # the same error (and its attributes), in the flags' words
        named.args = (message,)
        raise named from exc
    finally:
        for w in caught:
            warnings.warn(_flag_words(str(w.message)), w.category, stacklevel=3)


_LEARNER_FLAGS: dict[str, tuple[str, ...]] = {"batch": ("sample", "batch_size"), "online": ("sample",),
                                               "sample": ("batch_size",)}
"""The ``framing topics`` flags each learner does not use: given with it, they are named in a warning."""


def _vocabulary_flags(args: argparse.Namespace) -> dict[str, Any]:
    """Return the vocabulary flags of ``framing topics``: --min-df, --max-df, --max-features, --case."""
    from framing.topics import case_stop_words

    return {"min_df": args.min_df, "max_df": args.max_df, "max_features": args.max_features,
            "extra_stop_words": case_stop_words(args.case) or None}


def _df_value(text: str) -> int | float:
    """Parse ``--min-df``/``--max-df``: a count of units (``5``) or a share of them (``0.5``), as the API takes them."""
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a count (5) or a share (0.5), got {text!r}") from None


def _topic_corpus(args: argparse.Namespace) -> ProcessedCorpusLike:
    """Return the corpus ``framing topics`` reads in memory (a folder ``framing prepare`` made: as it is)."""
    from framing.topics import PartitionedUnits

    if (Path(args.corpus) / "manifest.json").is_file():
        return PartitionedUnits(args.corpus, args.unit).corpus()
    return _processed_from_args(args)


def _warn_other_learner_flags(args: argparse.Namespace, learner: str) -> None:
    """Warn about the ``framing topics`` flags given that ``learner`` does not use (:data:`_LEARNER_FLAGS`)."""
    warn_ignored_flags(args, _LEARNER_FLAGS[learner], f"--learner {learner}")


def _k_value(text: str) -> int | str:
    """Parse ``--k``: a number of topics, or ``auto`` (chosen by coherence, as notebook 03 chooses it)."""
    if text == "auto":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of topics or 'auto', got {text!r}") from None


def _chosen_k(args: argparse.Namespace, processed: ProcessedCorpusLike) -> int:
    """``--k auto``: the k of :func:`framing.topics.choose_k` from --k-min to --k-max; its table in OUT/k_choice.csv."""
    from framing.io import write_csv
    from framing.topics import TopicModel, check_k_range, choose_k, topic_units

    texts = topic_units(processed, args.unit)["text"].tolist()
    template = TopicModel(model=args.model, random_state=args.seed, max_iter=args.passes, **_vocabulary_flags(args))
    selection = choose_k(texts, check_k_range(args.k_min, args.k_max), estimator=template, random_state=args.seed)
    path = Path(args.out) / "k_choice.csv"
    write_csv(selection.table, path)
    print(f"framing: --k auto: {selection.rule} ({path})")
    return int(selection.best_k)


def _cmd_topics(args: argparse.Namespace) -> int:
    from framing.topics import MIN_TOPICS, fit_topics, write_topic_outputs

    if args.k != "auto" and args.k < MIN_TOPICS:
        raise ParameterError(f"--k must be at least {MIN_TOPICS} (one topic gives every unit the weight 1), "
                             f"got {args.k}")
    if args.k != "auto" and (args.k_min, args.k_max) != (MIN_TOPICS, _K_MAX):
        raise ParameterError("--k-min and --k-max go with --k auto (the range of k tried), not with --k "
                             f"{args.k}")
    _check_out(args, kind="folder")
    learner = args.learner or ("batch" if args.backend == "memory" else "online")
    if args.k == "auto" and learner != "batch":
        raise ParameterError(f"--k auto fits every k of the range on all units in memory (--learner batch); with "
                             f"--learner {learner} give --k a number (choose it on a sample first)")
    if learner == "batch" and args.backend != "memory":
        raise ParameterError(f"--learner batch runs only with --backend memory (got --backend {args.backend}); "
                             "use --learner online or sample")
    _warn_other_learner_flags(args, learner)
    if args.backend == "memory" or (Path(args.corpus) / "manifest.json").is_file():
        warn_unused_backend_flags(args)  # else _partitioned_from_args warns
    if learner != "batch":
        return _cmd_topics_streamed(args, learner)
    processed = _topic_corpus(args)
    with _topic_flags():
        k = _chosen_k(args, processed) if args.k == "auto" else args.k
        fit = fit_topics(processed, k, model=args.model, unit=args.unit, random_state=args.seed,
                         n_terms=args.n_terms, max_iter=args.passes, **_vocabulary_flags(args))
    paths = write_topic_outputs(fit, args.out)
    est = fit.estimator
    print(
        f"framing: {args.model} k={k} on {len(fit.units)} {args.unit} units ({len(est.terms_)} terms, "
        f"{len(est.empty_units_)} empty units left out) -> {paths['doc_topics']}, {paths['topic_terms']}"
    )
    return 0


def _cmd_topics_streamed(args: argparse.Namespace, learner: str) -> int:
    """``framing topics --learner online|sample``: units batch by batch (partitions with stream/dask)."""
    from framing.topics import PartitionedUnits, fit_topics_streamed, topic_units, write_topic_outputs

    sample = 0.1 if args.sample is None else args.sample
    batch_size = 1024 if args.batch_size is None else args.batch_size
    if args.passes is not None and args.passes < 1:
        raise ParameterError(f"--passes must be at least 1, got {args.passes}")
    if not 0 < sample <= 1:
        raise ParameterError(f"--sample must be in (0, 1], got {sample}")
    if batch_size < args.k:
        raise ParameterError(f"--batch-size must be at least --k ({args.k}), got {batch_size}")
    batches: Any
    if args.backend == "memory":
        processed = _topic_corpus(args)
        batches = [topic_units(processed, args.unit)]
        doc_ids = processed.documents["doc_id"].astype(str).tolist()
    else:
        directory = Path(args.corpus)
        if not (directory / "manifest.json").is_file():  # a corpus file or folder: partition it first
            directory = _partitioned_from_args(args, None).directory
        batches, doc_ids = PartitionedUnits(directory, args.unit), None
    with _topic_flags():
        fit = fit_topics_streamed(
            batches, args.k, model=args.model, learner=learner, unit=args.unit, random_state=args.seed,
            n_terms=args.n_terms, doc_ids=doc_ids, progress=not args.quiet, sample=sample,
            batch_size=batch_size, max_iter=args.passes, **_vocabulary_flags(args),
        )
    paths = write_topic_outputs(fit, args.out)
    est = fit.estimator
    how = f"{est.n_iter_} pass(es)" if learner == "online" else f"a {sample:g} sample of {est.n_nonempty_} units"
    print(
        f"framing: {args.model} k={args.k} ({learner}, {how}) on {fit.n_units} {args.unit} units in "
        f"{est.n_batches_} batch(es) ({len(est.terms_)} terms) -> {paths['doc_topics']}, {paths['topic_terms']}"
    )
    return 0


def _add_topics(sub: SubParsers) -> None:
    p = sub.add_parser("topics", help="fit a topic model (LDA/NMF); write doc_topics.csv and topic_terms.csv")
    _add_corpus_args(p)
    p.add_argument("--k", type=_k_value, required=True,
                   help="number of topics (at least 2), or 'auto': the k notebook 03 chooses (the smallest k within "
                        "0.01 of the best mean NPMI from --k-min to --k-max; table in OUT/k_choice.csv; batch learner)")
    p.add_argument("--k-min", type=int, default=2, help="--k auto: the smallest k tried (default 2)")
    p.add_argument("--k-max", type=int, default=_K_MAX, help=f"--k auto: the largest k tried (default {_K_MAX})")
    p.add_argument("--model", choices=["lda", "nmf"], default="nmf", help="topic model (default: nmf)")
    p.add_argument("--unit", choices=["document", "paragraph", "sentence"], default="paragraph",
                   help="unit the model is fitted on, aggregated to documents (default: paragraph)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help=f"random_state of the fit (default: {DEFAULT_SEED}, as the API and notebook 03)")
    p.add_argument("--n-terms", type=int, default=20, help="top terms per topic written (default 20)")
    p.add_argument("--min-df", type=_df_value, default=2,
                   help="a term must occur in at least this many units (or this share of them) (default 2)")
    p.add_argument("--max-df", type=_df_value, default=0.95,
                   help="... and in at most this share of the units (or this many) (default 0.95)")
    p.add_argument("--max-features", type=int, default=None,
                   help="keep only the most frequent terms, this many (default: all)")
    _add_case_arg(p)
    p.add_argument("--out", required=True, help="output directory")
    p.add_argument("--learner", choices=["batch", "online", "sample"], default=None,
                   help="batch: NMF/LDA on all units in memory (default with --backend memory); online: "
                        "MiniBatchNMF / online LDA over the partitions (default with stream/dask); sample: batch "
                        "fit on a seeded sample of units (see docs/topics.md, large corpora)")
    p.add_argument("--sample", type=float, default=None,
                   help="--learner sample: probability that a unit is in the sample (default 0.1)")
    p.add_argument("--batch-size", type=int, default=None,
                   help="--learner online: units per mini-batch (default 1024)")
    p.add_argument("--passes", type=int, default=None,
                   help="iterations at most: --learner online, passes over the partitions (default 10); batch and "
                        "sample, the model's own (LDA passes, default 50; NMF iterations, default 400)")
    p.add_argument("--name", default=None,
                   help="stream/dask: name of the partitioned corpus under data/processed (default: from the path); "
                        "CORPUS may also be a partitioned folder already prepared (with manifest.json)")
    _add_backend_args(p)
    p.set_defaults(handler=_cmd_topics)
