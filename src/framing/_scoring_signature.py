"""Which frame instrument ran: :func:`lexicon_fingerprint` and :func:`instrument_signature`.

Private; re-exported by :mod:`framing.scoring`.
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING

from framing.lexicon import Lexicon, LexiconSource, load_lexicon
from framing.types import DEFAULT_CUES_LEXICON, DEFAULT_FRAMES_LEXICON

if TYPE_CHECKING:
    from framing.cases import CaseSource

__all__ = ["instrument_signature", "lexicon_fingerprint"]


def lexicon_fingerprint(lexicon: LexiconSource) -> str:
    """``NAME VERSION sha256:HASH12``: which lexicon ran, by a hash of its categories and entries.

    Two lexicons with the same entries (whatever their file format) have the same fingerprint; any change of
    a pattern, category, weight or exclusion changes it.
    """
    lex = load_lexicon(lexicon)
    return _fingerprint(lex, lex.name)


def _fingerprint(lex: Lexicon, name: str) -> str:
    payload = "\n".join([*lex.categories, *(f"{e.category}\t{e.pattern}\t{e.weight:g}\t{'|'.join(e.exclude)}"
                                             for e in lex.entries)])
    return f"{name} {lex.version} sha256:{hashlib.sha256(payload.encode('utf-8')).hexdigest()[:12]}"


def _case_fingerprint(case: CaseSource | Lexicon) -> str:
    """Return a case as the signature names it: its name (``prisons``, not ``case_prisons_frames``), version and hash.

    The hash is that of the case's frame lexicon (:func:`lexicon_fingerprint`); a frame ``Lexicon`` given
    directly is named by its own name.
    """
    if isinstance(case, Lexicon):
        return lexicon_fingerprint(case)
    from framing.cases import load_case

    loaded = load_case(case) if isinstance(case, str | os.PathLike) else case
    return _fingerprint(loaded.frame_lexicon(), loaded.name)


def instrument_signature(lexicon: LexiconSource = DEFAULT_FRAMES_LEXICON,
                         cues: LexiconSource | None = DEFAULT_CUES_LEXICON,
                         case: CaseSource | Lexicon | None = None, *,
                         actors: LexiconSource | None = None, model: str | os.PathLike[str] | None = None) -> str:
    """One line naming the frame instrument a notebook ran: frame lexicon, cue lexicon and case (by its name).

    Notebooks record it with their key results, so a batch or a test can check that every analysis of a run
    used the same instrument. ``actors``, the actors lexicon of an analysis that also finds actors (notebook
    04's blame attribution), is named last (``; actors actors 2.3 ...``). ``model``, a learned model that
    labelled the frames instead of the rule (the notebooks' ``frame_model``), comes first with its file's
    SHA-256 (``model general sha256:...; frames ...``).
    """
    parts = []
    if model is not None and str(model).strip():
        from framing.model_files import model_digest, model_path

        parts.append(f"model {model_path(model).stem} sha256:{model_digest(model)[:12]}")
    parts.append(f"frames {lexicon_fingerprint(lexicon)}")
    if cues is not None:
        parts.append(f"cues {lexicon_fingerprint(cues)}")
    from framing.cases import no_case

    parts.append("case none" if case is None or no_case(case) else f"case {_case_fingerprint(case)}")
    if actors is not None:
        parts.append(f"actors {lexicon_fingerprint(actors)}")
    return "; ".join(parts)
