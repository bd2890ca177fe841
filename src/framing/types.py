"""Type aliases shared across the package (one place, as in textacy)."""

from __future__ import annotations

import os
from typing import TypeAlias

PathLike: TypeAlias = str | os.PathLike[str]
DocId: TypeAlias = str
Span: TypeAlias = tuple[int, int]
"""A half-open character span ``(start, end)`` into a raw document text."""

Frame: TypeAlias = str
"""A blame frame name: ``individual``, ``systemic`` or ``political``."""

FRAMES: tuple[str, ...] = ("individual", "systemic", "political")
"""The study's three blame frames, in the codebook's order."""

GENRES: tuple[str, ...] = ("minister", "blog", "news")
"""The seed corpus's genres, in the study's order."""

ACTORS: tuple[str, ...] = (
    "director",
    "council",
    "social_workers",
    "health",
    "police",
    "agencies",
    "management",
    "safeguarding_board",
    "inspectors",
    "government",
    "council_politicians",
    "perpetrators",
    "media",
)
"""The codebook's actor set (who can be held responsible)."""

FRAME_RULES: tuple[str, ...] = ("coder", "any", "cue_sentence", "cue_window")
"""The sentence decision rules of :func:`framing.scoring.frame_table` (the first is the default)."""

__all__ = ["ACTORS", "FRAMES", "FRAME_RULES", "GENRES", "DocId", "Frame", "PathLike", "Span"]
