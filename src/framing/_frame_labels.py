"""One entry point for frame labels: the rule (:func:`framing.scoring.frame_table`) or a learned model.

Re-exported by :mod:`framing.classifier` (and ``framing.label_frames``): the CLI's ``--model``, the notebooks'
``frame_model`` parameter and the batch reports label through :func:`label_frames`.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import pandas as pd

from framing.errors import ParameterError
from framing.types import DEFAULT_CUES_LEXICON, DEFAULT_FRAMES_LEXICON, ProcessedCorpusLike

if TYPE_CHECKING:
    from framing.cases import Case, CaseSource
    from framing.lexicon import Lexicon, LexiconSource

__all__ = ["check_model_options", "label_frames", "labeller_name", "labelling_lexicons", "rule_defaults"]


def label_frames(corpus: ProcessedCorpusLike | pd.DataFrame, *, model: Any = None, **rule_kwargs: Any) -> pd.DataFrame:
    """Label the content sentences with blame frames: the rule, or a learned model when ``model`` is given.

    Parameters
    ----------
    corpus : ProcessedCorpus or DataFrame
        As for :func:`framing.scoring.frame_table`.
    model : str, path, FrameClassifier or None
        ``None`` or ``""``: the rule, :func:`~framing.scoring.frame_table` with ``rule_kwargs``. Else a fitted
        model, a model file or a shipped model's name (``"general"``): its ``label_table`` (the rule's layout plus
        ``p_<frame>`` and ``evidence``), reading the ``case`` of ``rule_kwargs`` if any (``with_case``;
        :class:`framing.classifier.FrameClassifier`).
    **rule_kwargs
        Keyword arguments of :func:`~framing.scoring.frame_table`. With a model, only ``case`` may differ from
        its default: a model labels with the lexicons and rule it was trained with, and a ParameterError names
        any other option given a value of its own.
    """
    from framing.classifier import FrameClassifier
    from framing.model_files import load_model
    from framing.scoring import frame_table

    if model is None or (isinstance(model, str) and not model.strip()):
        return frame_table(corpus, **rule_kwargs)
    case = rule_kwargs.pop("case", None)
    check_model_options(model, rule_kwargs)
    fitted = model if isinstance(model, FrameClassifier) else load_model(model)[0]
    return fitted.with_case(case).label_table(corpus)


def check_model_options(model: Any, rule_kwargs: Mapping[str, Any]) -> None:
    """Refuse options of the rule, other than ``case``, that differ from their defaults while ``model`` labels.

    The defaults are :func:`framing.scoring.frame_table`'s; the ParameterError names each option and its value.
    """
    defaults = {**rule_defaults(), "case": None}
    unknown = sorted(set(rule_kwargs) - set(defaults))
    if unknown:
        raise ParameterError(f"frame_table takes no option(s) {unknown}")
    own = {k: v for k, v in rule_kwargs.items() if k != "case" and v != defaults[k]}
    if own:
        given = ", ".join(f"{k}={v!r}" for k, v in sorted(own.items()))
        raise ParameterError(f"model {model!s} labels with the lexicons and rule it was trained with: {given} would be "
                             "ignored; leave them at their defaults, or label with the rule (no model)")


def labeller_name(model: Any = None, rule: str = "coder") -> str:
    """Name the instrument that labels the frames: ``"model NAME"`` (a model file by its stem), else ``"rule RULE"``.

    >>> labeller_name("general"), labeller_name("models/mine.pkl"), labeller_name("", "cue_window")
    ('model general', 'model mine', 'rule cue_window')
    """
    if model is None or not str(model).strip():
        return f"rule {rule}"
    return f"model {PurePath(str(model)).stem}"


def rule_defaults() -> dict[str, Any]:
    """Return the rule's options and their defaults: :func:`framing.scoring.frame_table`'s, ``case`` aside."""
    from framing.scoring import frame_table

    return {n: p.default for n, p in inspect.signature(frame_table).parameters.items()
            if p.default is not inspect.Parameter.empty and n != "case"}


def labelling_lexicons(model: Any = None, *, lexicon: LexiconSource = DEFAULT_FRAMES_LEXICON,
                       cues: LexiconSource | None = DEFAULT_CUES_LEXICON, case: CaseSource | None = None
                       ) -> tuple[Lexicon, Lexicon | None, Case | None]:
    """Return the frame lexicon, the cue lexicon and the case whose hits :func:`label_frames` counts, loaded.

    Without a model (``None`` or ``""``): ``lexicon``, ``cues`` and ``case``, the rule's. With one (a fitted
    model, a model file or a shipped model's name): the lexicons the model was trained with, which its
    ``n_<frame>`` columns and its evidence count, and the case it labels with (``case``, read as
    :func:`label_frames` reads it, or the case it was trained with), whatever lexicons are given here: hit
    counts shown beside a model's labels come from the model's own dictionaries.
    """
    import warnings

    from framing.cases import resolve_case
    from framing.classifier import FrameClassifier
    from framing.lexicon import load_lexicon
    from framing.model_files import load_model

    if model is None or (isinstance(model, str) and not model.strip()):
        return load_lexicon(lexicon), None if cues is None else load_lexicon(cues), resolve_case(case)
    fitted = model if isinstance(model, FrameClassifier) else load_model(model)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # label_frames warns when a model keeps its own case
        fitted = fitted.with_case(case)
    own_cues = None if fitted.cues is None else load_lexicon(fitted.cues)
    return load_lexicon(fitted.lexicon), own_cues, getattr(fitted, "case_", None)
