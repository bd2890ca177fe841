"""Topic x frame associations that partly hold by construction: a topic led by words the frame instrument counts.

A topic whose top terms include words of the frame lexicon or of the case file (``balls`` of the Baby P case,
a political locus) over-represents that frame partly because the instrument labels the sentences holding those
words with it: the association is then circular, not a finding about the texts. :func:`mark_instrument_terms`
adds to a :func:`~framing.topics.topic_frame_association` table, per topic and frame, the topic's top terms the
instrument counts for that frame; :func:`instrument_terms_sentence` says it in words (notebook 03, the report's
findings).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from framing.errors import ParameterError
from framing.topics._base import TERM_SEPARATOR, join_terms
from framing.topics._model import TopicEstimator
from framing.topics._seeded import lexicon_seed_terms, match_seed_terms
from framing.types import DEFAULT_FRAMES_LEXICON, FRAMES

if TYPE_CHECKING:
    from framing.cases import CaseSource

__all__ = ["INSTRUMENT_TERMS_COLUMN", "circular_sentences", "frame_instrument_patterns", "instrument_terms_sentence",
           "mark_instrument_terms", "topic_top_terms"]

INSTRUMENT_TERMS_COLUMN = "instrument_terms"
"""Column of :func:`mark_instrument_terms`: the topic's top terms the frame instrument counts for the frame."""


def frame_instrument_patterns(
    frames_lexicon: str = DEFAULT_FRAMES_LEXICON, case: CaseSource | None = None, frames: Sequence[str] = FRAMES,
) -> dict[str, list[str]]:
    """Return the patterns the frame instrument counts per frame: the frame lexicon's entries and the case's.

    ``frames_lexicon`` is a shipped name or a lexicon file; ``case`` a shipped case name, a case file or
    ``None``/``""`` (no case: the lexicon alone).
    """
    from framing.cases import resolve_case

    lexicon = lexicon_seed_terms(frames_lexicon)
    resolved = resolve_case(case)
    case_lexicon = resolved.frame_lexicon() if resolved is not None else None
    out: dict[str, list[str]] = {}
    for f in frames:
        from_case = [str(t) for t in case_lexicon.terms(f)] if case_lexicon is not None else []
        out[f] = [*lexicon.get(f, []), *from_case]
    return out


def topic_top_terms(model: TopicEstimator, n: int = 10) -> dict[str, list[str]]:
    """Return each topic's ``n`` heaviest terms, keyed by the model's ``topic_labels_`` (heaviest first)."""
    top = model.top_terms(n).sort_values(["topic", "rank"], kind="stable")
    labels = list(getattr(model, "topic_labels_", []))
    terms = top.groupby("topic", sort=True)["term"].agg(list)
    if len(labels) != len(terms):
        raise ParameterError(f"the model has {len(terms)} topics but {len(labels)} topic_labels_")
    return {str(label): [str(t) for t in terms.iloc[i]] for i, label in enumerate(labels)}


def mark_instrument_terms(
    association: pd.DataFrame, top_terms: Mapping[str, Sequence[str]], patterns: Mapping[str, Sequence[str]],
) -> pd.DataFrame:
    """Add ``instrument_terms`` to a topic x frame table: the topic's top terms the instrument counts for the frame.

    ``association`` has ``topic`` and ``frame`` (:func:`~framing.topics.topic_frame_association`);
    ``top_terms`` maps each topic to its top terms (:func:`topic_top_terms`); ``patterns`` each frame to the
    patterns of the frame instrument (:func:`frame_instrument_patterns`), matched as seed terms are
    (:func:`~framing.topics.match_seed_terms`: a word, a prefix, a whole phrase or its word pairs). The terms are
    joined by ``", "`` in the topic's order; empty when none.
    """
    missing = [c for c in ("topic", "frame") if c not in association.columns]
    if missing:
        raise ParameterError(f"association has no column(s) {missing}")
    counted = []
    for topic, frame in zip(association["topic"].astype(str), association["frame"].astype(str), strict=True):
        terms = list(top_terms.get(topic, []))
        hit = set(match_seed_terms(patterns.get(frame, []), terms))
        counted.append(join_terms(t for t in terms if t in hit))
    return association.assign(**{INSTRUMENT_TERMS_COLUMN: counted})


def instrument_terms_sentence(topic: str, frame: str, terms: str) -> str:
    """Say that a topic's association with a frame partly holds by construction (``""`` when ``terms`` is empty)."""
    words = [t for t in terms.split(TERM_SEPARATOR) if t.strip()] if isinstance(terms, str) else []
    if not words:
        return ""
    listed = ", ".join(f"“{w}”" for w in words)
    return (f"The top terms of topic “{topic}” include {listed}, which the frame instrument itself counts for the "
            f"{frame} frame (frame lexicon or case file): its association with that frame partly holds by "
            "construction.")


def circular_sentences(association: pd.DataFrame, min_lift: float = 1.0) -> list[str]:
    """Return the sentences saying which topic x frame associations partly hold by construction.

    One per row of a table marked by :func:`mark_instrument_terms` whose frame is over-represented (lift above
    ``min_lift``) and whose topic's top terms the instrument counts for that frame (:func:`instrument_terms_sentence`).
    """
    if INSTRUMENT_TERMS_COLUMN not in association.columns or "lift" not in association.columns:
        return []
    rows = association[association["lift"].astype(float) > min_lift]
    out = [instrument_terms_sentence(str(t), str(f), terms) for t, f, terms in
           zip(rows["topic"], rows["frame"], rows[INSTRUMENT_TERMS_COLUMN], strict=True)]
    return [s for s in out if s]
