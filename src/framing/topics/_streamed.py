"""Topic models over a partitioned corpus: units read one partition at a time, fitted and scored in passes.

:class:`PartitionedUnits` turns the partitioned Parquet tables that ``framing prepare --backend stream|dask``
writes (``data/processed/NAME/{documents,paragraphs,sentences}/part-NNNNN.parquet`` and ``manifest.json``)
into a re-iterable of unit batches, one per partition (:func:`topic_units` on the partition's tables; a
document never spans partitions, so the units are those of the whole corpus). :func:`fit_topics_streamed`
fits a :class:`StreamingTopicModel` on any such batches and scores them in one more pass, aggregating to
documents as :func:`fit_topics` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.errors import CorpusError, ParameterError, TopicModelError
from framing.progress import progress_bar
from framing.topics._analyses import aggregate_to_documents, topic_units
from framing.topics._base import UNITS, _check_choice, _check_int
from framing.topics._online import StreamingTopicModel, batch_texts
from framing.types import DEFAULT_SEED, PathLike

__all__ = ["PartitionedUnits", "StreamedTopicFit", "fit_topics_streamed"]

_COLUMNS = {
    "documents": ["doc_id", "genre"],
    "paragraphs": ["doc_id", "para_id"],
    "sentences": ["doc_id", "sent_id", "para_id", "text"],
}


_WHOLE = ""
"""The one "part" of a corpus prepared in memory: its tables are ``TABLE.parquet`` in the folder itself."""


@dataclass(frozen=True)
class _PartitionTables:
    """The tables of one partition that :func:`topic_units` reads (a ``ProcessedCorpusLike``)."""

    name: str
    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    removed_spans: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Not read (the units are built from content sentences); empty."""


class PartitionedUnits:
    """The topic units of a partitioned corpus, one DataFrame per partition, read when iterated.

    Parameters
    ----------
    directory : path
        A folder written by ``framing prepare --backend stream|dask`` (``manifest.json`` and the
        ``documents``, ``paragraphs`` and ``sentences`` parts), or by ``framing prepare`` in memory
        (``manifest.json`` and ``documents.parquet``, ``paragraphs.parquet``, ``sentences.parquet``: read as
        one partition).
    unit : {"document", "paragraph", "sentence"}, default "paragraph"

    Iterating yields, for each partition in order, :func:`topic_units` of that partition
    (``doc_id, unit_id, genre, text, n_sentences``); only the columns needed are read. A folder with neither
    layout (no part files and no tables) is a :class:`~framing.errors.CorpusError`, never zero batches.
    ``reads`` counts the partitions read so far (a check that iteration is lazy).
    """

    def __init__(self, directory: PathLike, unit: str = "paragraph") -> None:
        _check_choice("unit", unit, UNITS)
        self.directory = Path(directory)
        self.unit = unit
        if not (self.directory / "manifest.json").is_file():
            raise CorpusError(
                f"{self.directory}: no manifest.json: not a complete partitioned corpus "
                "(run `framing prepare CORPUS --backend stream` first, or it was interrupted)"
            )
        names = {t: sorted(p.name for p in (self.directory / t).glob("part-*.parquet")) for t in _COLUMNS}
        if not any(names.values()):
            whole = [self.directory / f"{t}.parquet" for t in _COLUMNS]
            if not all(p.is_file() for p in whole):
                raise CorpusError(
                    f"{self.directory}: no tables to read: neither part files (documents/, paragraphs/, "
                    "sentences/part-NNNNN.parquet, framing prepare --backend stream|dask) nor "
                    f"{', '.join(p.name for p in whole)} (framing prepare)"
                )
            names = {t: [_WHOLE] for t in _COLUMNS}  # a corpus prepared in memory: one partition
        for table in ("documents", "paragraphs"):
            if names[table] != names["sentences"]:
                raise CorpusError(
                    f"{self.directory}: the {table}/ and sentences/ parts differ "
                    f"({len(names[table])} and {len(names['sentences'])} part files)"
                )
        self.parts: list[str] = names["sentences"]
        self.reads = 0

    def __len__(self) -> int:
        return len(self.parts)

    def __iter__(self) -> Iterator[pd.DataFrame]:
        for name in self.parts:
            yield self.read(name)

    def _path(self, table: str, part: str) -> Path:
        return self.directory / f"{table}.parquet" if part == _WHOLE else self.directory / table / part

    def tables(self, part: str) -> _PartitionTables:
        """Read the documents, paragraphs and sentences of one part file (``part-NNNNN.parquet``)."""
        frames = {t: pd.read_parquet(self._path(t, part), columns=cols) for t, cols in _COLUMNS.items()}
        self.reads += 1
        return _PartitionTables(self.directory.name, frames["documents"], frames["paragraphs"], frames["sentences"])

    def read(self, part: str) -> pd.DataFrame:
        """Return the units of one part file."""
        return topic_units(self.tables(part), self.unit)

    def doc_ids(self) -> list[str]:
        """Every document id of the corpus (the ``doc_id`` column of the documents parts)."""
        return [
            str(d) for p in self.parts
            for d in pd.read_parquet(self._path("documents", p), columns=["doc_id"])["doc_id"]
        ]  # fmt: skip

    def corpus(self) -> _PartitionTables:
        """Return the tables of every partition in one (a ``ProcessedCorpusLike`` for :func:`fit_topics`)."""
        parts = [self.tables(p) for p in self.parts]
        return _PartitionTables(
            self.directory.name,
            *(pd.concat([getattr(t, name) for t in parts], ignore_index=True) for name in _COLUMNS),
        )


@dataclass(frozen=True)
class StreamedTopicFit:
    """A topic model fitted batch by batch (see :func:`fit_topics_streamed`).

    Attributes
    ----------
    estimator : StreamingTopicModel
    unit : str
    doc_topics : DataFrame
        ``doc_id, topic_0, ...``, as :attr:`TopicFit.doc_topics` (sorted by ``doc_id``).
    topic_terms : DataFrame
        ``topic, rank, term, weight``.
    n_units : int
        Units scored.
    """

    estimator: StreamingTopicModel
    unit: str
    doc_topics: pd.DataFrame
    topic_terms: pd.DataFrame
    n_units: int


def _score_batch(est: StreamingTopicModel, units: pd.DataFrame) -> pd.DataFrame:
    """Document weights of one batch, with each document's in-vocabulary tokens (``_tokens``)."""
    texts = batch_texts(units)
    n_tokens = np.asarray(est.count_matrix(texts).sum(axis=1)).ravel()
    weights = est.transform(texts)
    ids = np.asarray(units["doc_id"].astype(str).tolist(), dtype=object)
    docs = aggregate_to_documents(list(ids), weights, n_tokens, labels=est.topic_labels_)
    ok = (n_tokens > 0) & ~np.isnan(weights).any(axis=1)
    tokens = pd.Series(np.where(ok, n_tokens, 0.0)).groupby(ids).sum()
    docs["_tokens"] = tokens.reindex(docs["doc_id"]).to_numpy()
    return docs


def _combine_split_documents(doc_topics: pd.DataFrame, labels: list[str]) -> pd.DataFrame:
    """Merge the rows of documents spread over several batches, weighting each by its tokens."""
    split = doc_topics["doc_id"].duplicated(keep=False)
    if not split.any():
        return doc_topics
    rows = doc_topics[split]
    merged = aggregate_to_documents(rows["doc_id"].tolist(), rows[labels].to_numpy(), rows["_tokens"].to_numpy(),
                                    labels=labels)
    return pd.concat([doc_topics[~split], merged], ignore_index=True)


def fit_topics_streamed(
    batches: Iterable[pd.DataFrame],
    k: int,
    *,
    model: str = "nmf",
    learner: str = "online",
    unit: str = "paragraph",
    random_state: int = DEFAULT_SEED,
    n_terms: int = 20,
    doc_ids: Sequence[str] | None = None,
    progress: bool = False,
    **params: Any,
) -> StreamedTopicFit:
    """Fit a :class:`StreamingTopicModel` on unit batches and aggregate its weights to documents.

    Parameters
    ----------
    batches : re-iterable of DataFrame
        Units (``doc_id``, ``text``), e.g. :class:`PartitionedUnits`; read once per pass, then once to score.
    k, model, learner, random_state
        The model's ``n_topics``, ``model``, ``learner`` and ``random_state``; ``params`` are further
        :class:`StreamingTopicModel` parameters (``min_df``, ``batch_size``, ``max_iter`` ...).
    unit : str
        The unit the batches hold (recorded in the result).
    n_terms : int
        Top terms per topic in ``topic_terms``.
    doc_ids : sequence of str, optional
        Every document of the corpus (default: :meth:`PartitionedUnits.doc_ids` for partitioned units, else
        the documents of the units): documents with no unit get NaN weights, as in :func:`fit_topics`.
    progress : bool
        Progress bars for the passes.

    Returns
    -------
    StreamedTopicFit
        Weights of a document split over several batches are combined by their token counts, so the
        aggregation is that of :func:`aggregate_to_documents` on all units.
    """
    _check_choice("unit", unit, UNITS)
    _check_int("n_terms", n_terms)
    est = StreamingTopicModel(k, model=model, learner=learner, random_state=random_state, progress=progress,
                              **params)
    est.fit_batches(batches)
    parts: list[pd.DataFrame] = []
    n_units = 0
    with progress_bar(est.n_units_, enabled=progress, desc="scoring", unit="unit") as bar:
        for units in batches:
            if not isinstance(units, pd.DataFrame) or not {"doc_id", "text"} <= set(units.columns):
                raise ParameterError("fit_topics_streamed needs batches of units: DataFrames with doc_id and text")
            parts.append(_score_batch(est, units))
            n_units += len(units)
            bar.update(len(units), int(units["text"].str.len().sum()))
    if not parts:
        raise TopicModelError("no batches of units to score")
    doc_topics = _combine_split_documents(pd.concat(parts, ignore_index=True), est.topic_labels_)
    if doc_ids is None and isinstance(batches, PartitionedUnits):
        doc_ids = batches.doc_ids()
    everything = sorted(set(map(str, doc_ids or ())) | set(doc_topics["doc_id"]))
    doc_topics = doc_topics.drop(columns="_tokens").set_index("doc_id").reindex(everything)
    doc_topics.index.name = "doc_id"
    return StreamedTopicFit(est, unit, doc_topics.reset_index(), est.top_terms(n_terms), n_units)
