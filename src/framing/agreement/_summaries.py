"""Readable summaries of agreement results: per-frame verdict lines, the held-out choice, a code map.

Notebook 06 prints what these return, so its sentences are computed from the results of the run.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

__all__ = [
    "NARRATIVE_FRAMES_CODES",
    "f1_lines",
    "frame_prevalence",
    "frame_verdicts",
    "held_out_verdict",
]

NARRATIVE_FRAMES_CODES: dict[str, str] = {
    "RE": "resolution",
    "HI": "human_interest",
    "CO": "conflict",
    "MO": "moral",
    "EC": "economic",
}
"""Code columns of the Narrative Frames Corpus (Frermann et al. 2023) and the frame each one codes."""


def frame_prevalence(codes: pd.DataFrame, predicted: pd.DataFrame, frames: Sequence[str]) -> pd.DataFrame:
    """Share of units carrying each frame by the human codes and by the instrument.

    Columns ``frame``, ``human``, ``lexicon`` (means of the 0/1 columns ``frames``; missing codes ignored).
    """
    cols = list(frames)
    return pd.DataFrame({
        "human": codes[cols].mean(),
        "lexicon": predicted[cols].mean(),
    }).rename_axis("frame").reset_index()


def f1_lines(metrics: pd.DataFrame, frames: Sequence[str]) -> list[str]:
    """One line per frame: precision, recall, F1 with its interval, the always-present F1 and the support.

    ``metrics`` is indexed by frame with the columns of an agreement report's ``metrics``.
    """
    lines = []
    for f in frames:
        r = metrics.loc[f]
        lines.append(f"{f:>10}: P {r.precision:.2f}  R {r.recall:.2f}  F1 {r.f1:.2f} [{r.f1_low:.2f}, {r.f1_high:.2f}]"
                     f"  (always-present F1 {r.f1_baseline:.2f}; {int(r.support)} of {int(r.n)} sentences coded 1)")
    return lines


def frame_verdicts(
    metrics: pd.DataFrame, alpha: pd.Series, prevalence: pd.DataFrame, frames: Sequence[str]
) -> list[str]:
    """One line per frame: whether F1 beats the always-present baseline, alpha, and both prevalences.

    ``metrics`` is indexed by frame (``f1``, ``f1_baseline``), ``alpha`` maps frame to alpha and
    ``prevalence`` is :func:`frame_prevalence`.
    """
    prev = prevalence.set_index("frame")
    lines = []
    for f in frames:
        verdict = "beats" if metrics.loc[f, "f1"] > metrics.loc[f, "f1_baseline"] else "does NOT beat"
        lines.append(f"{f:>15}: F1 {metrics.loc[f, 'f1']:.2f} {verdict} always-present "
                     f"{metrics.loc[f, 'f1_baseline']:.2f}; alpha {alpha[f]:.2f}; lexicon flags "
                     f"{prev.loc[f, 'lexicon']:.0%} of articles, coders {prev.loc[f, 'human']:.0%}")
    return lines


def held_out_verdict(summary: pd.DataFrame, scope: str = "seeds-LODO") -> str | None:
    """Compare the learned option with the rule held out by document (``None`` when not both were scored).

    ``summary`` is :func:`framing.agreement.macro_f1_summary` (``scope``, ``method``, ``macro_f1``).
    """
    held = summary.set_index(["scope", "method"])["macro_f1"]
    if (scope, "classifier") not in held.index or (scope, "rule") not in held.index:
        return None
    learned, rule = held[(scope, "classifier")], held[(scope, "rule")]
    advice = ("the learned option does better on unseen documents; consider `framing frames --model`."
              if learned > rule else "the rule stays the default.")
    return f"held out by document: classifier {learned:.2f}, rule {rule:.2f}: {advice}"
