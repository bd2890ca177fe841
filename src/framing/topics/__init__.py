"""Topic models (LDA and NMF) over sentences, paragraphs or documents.

With choice of k, coherence, stability across seeds, lexicon-seeded topics and comparisons by genre and by
blame frame.

The method notes are in ``docs/topics.md``. In short:

Units
    ``document``: one unit per document, its text the join (``" "``) of its *content* sentences in order
    (the raw text is never used, because it contains boilerplate). ``paragraph``: one unit per row of the
    paragraphs table that holds at least one content sentence, its text the join of those sentences
    (paragraphs made only of removed boilerplate drop out). ``sentence``: one unit per content sentence.
Vocabulary
    Lowercased tokens of two or more letters (:data:`TOKEN_PATTERN`; digits and apostrophes split tokens),
    minus scikit-learn's English stop words, minus :data:`STUDY_STOP_WORDS` (reporting verbs, honorifics
    and calendar words that carry no frame), minus any ``extra_stop_words`` (notebook 03 adds the case
    file's ``topic_stop_words``, :func:`case_stop_words`); then ``min_df`` / ``max_df`` document-frequency
    filters over units and, with ``bigrams=True``, word pairs formed *after* stop-word removal. No NLTK data is needed.
Empty units
    A unit whose text is missing or has no in-vocabulary token is left out of the fit; its topic weights are
    ``NaN`` and it carries no weight when units are aggregated to documents (a documented fallback, not
    an error).
Aggregation to documents
    A document's topic weights are the mean of its units' normalised topic weights, weighted by each unit's
    number of in-vocabulary tokens (the tokens the model saw). A document with no such token gets ``NaN``.

Modules (private; everything public is re-exported here, so ``from framing.topics import X`` works)
    ``_base`` constants, parameter checks, TF-IDF weighting; ``_model`` the estimator (:class:`TopicModel`);
    ``_coherence`` coherence; ``_selection`` choice of k; ``_stability`` stability across seeds;
    ``_seeded`` lexicon-seeded topics; ``_analyses`` corpus units, documents, prevalence, frames;
    ``_online`` the mini-batch / sample learner for large corpora (:class:`StreamingTopicModel`);
    ``_streamed`` partitioned units and the fit over them (:func:`fit_topics_streamed`);
    the topic figures (``plot_*``) live in :mod:`framing.plots` (``framing.plots.topics``).
"""

from __future__ import annotations

from framing.topics._analyses import (
    TopicFit,
    aggregate_to_documents,
    fit_topics,
    representative_units,
    score_units,
    topic_frame_association,
    topic_prevalence,
    topic_units,
    write_topic_outputs,
)
from framing.topics._base import (
    MODELS,
    STUDY_STOP_WORDS,
    TERM_SEPARATOR,
    TOKEN_PATTERN,
    UNITS,
    SubsampleRaisedWarning,
    UnmatchedSeedsWarning,
    case_stop_words,
    join_terms,
    top_terms_text,
)
from framing.topics._circular import (
    INSTRUMENT_TERMS_COLUMN,
    circular_sentences,
    frame_instrument_patterns,
    instrument_terms_sentence,
    mark_instrument_terms,
    topic_top_terms,
)
from framing.topics._coherence import coherence
from framing.topics._model import MIN_TOPICS, TopicEstimator, TopicModel
from framing.topics._online import LEARNERS, StreamingTopicModel
from framing.topics._seeded import (
    MIN_RETENTION,
    SeededTopicModel,
    free_topic_labels,
    lexicon_seed_terms,
    match_seed_terms,
    seeded_topic_label,
    seeded_topic_summary,
    seeded_topic_table,
)
from framing.topics._selection import KSelection, check_k_range, choose_k, k_edge_sentence
from framing.topics._stability import (
    StabilityResult,
    align_topics,
    stability_by_k,
    stability_verdict,
    topic_similarity,
    topic_stability,
)
from framing.topics._streamed import PartitionedUnits, StreamedTopicFit, fit_topics_streamed

__all__ = [
    "INSTRUMENT_TERMS_COLUMN",
    "LEARNERS",
    "MIN_RETENTION",
    "MIN_TOPICS",
    "MODELS",
    "STUDY_STOP_WORDS",
    "TERM_SEPARATOR",
    "TOKEN_PATTERN",
    "UNITS",
    "KSelection",
    "PartitionedUnits",
    "SeededTopicModel",
    "StabilityResult",
    "StreamedTopicFit",
    "StreamingTopicModel",
    "SubsampleRaisedWarning",
    "TopicEstimator",
    "TopicFit",
    "TopicModel",
    "UnmatchedSeedsWarning",
    "aggregate_to_documents",
    "align_topics",
    "case_stop_words",
    "check_k_range",
    "choose_k",
    "circular_sentences",
    "coherence",
    "fit_topics",
    "fit_topics_streamed",
    "frame_instrument_patterns",
    "free_topic_labels",
    "instrument_terms_sentence",
    "join_terms",
    "k_edge_sentence",
    "lexicon_seed_terms",
    "mark_instrument_terms",
    "match_seed_terms",
    "representative_units",
    "score_units",
    "seeded_topic_label",
    "seeded_topic_summary",
    "seeded_topic_table",
    "stability_by_k",
    "stability_verdict",
    "top_terms_text",
    "topic_frame_association",
    "topic_prevalence",
    "topic_similarity",
    "topic_stability",
    "topic_top_terms",
    "topic_units",
    "write_topic_outputs",
]
