"""Case files: the people, organisations and roles of one case, mapped to codebook actors and frames.

The case-independent lexicons (``blame_frames``, ``blame_cues``, ``actors``) hold no proper names. A case
file adds them for one case: each entry maps a pattern (lexicon syntax: a word, ``prefix*`` or a phrase,
with optional exclusions) to an actor id -- of :data:`framing.types.ACTORS`, or one the file declares in its
``actors`` section (:class:`CaseActor`) -- and a frame of :data:`framing.types.FRAMES`. The study ships
``baby_p``; ``TEMPLATE.yaml`` in this folder is the commented starting point for a user's own case. Format and
examples: ``docs/cases.md``.

>>> from framing.cases import load_case
>>> case = load_case("baby_p")
>>> lex = case.actor_lexicon()        # the ``actors`` lexicon plus the case's names, per actor id
>>> frames = case.frame_lexicon()     # categories individual/systemic/political, entries the case's names
"""

from __future__ import annotations

from framing.cases._check import CaseIssue, CaseWarning, check_case
from framing.cases._merge import merge_lexicons
from framing.cases._model import (
    ACTOR_KEYS,
    CASE_DIR,
    ENTRY_KEYS,
    NO_FRAME,
    RESERVED_ACTOR_IDS,
    TOP_KEYS,
    Case,
    CaseActor,
    CaseEntry,
    CaseSource,
    list_cases,
    load_case,
    no_case,
    resolve_case,
)

__all__ = [
    "ACTOR_KEYS",
    "CASE_DIR",
    "ENTRY_KEYS",
    "NO_FRAME",
    "RESERVED_ACTOR_IDS",
    "TOP_KEYS",
    "Case",
    "CaseActor",
    "CaseEntry",
    "CaseIssue",
    "CaseSource",
    "CaseWarning",
    "check_case",
    "list_cases",
    "load_case",
    "merge_lexicons",
    "no_case",
    "resolve_case",
]
