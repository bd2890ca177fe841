"""Readable summaries of agreement results: per-frame verdict lines, the held-out choice, a code map.

Notebook 06 prints what these return, so its sentences are computed from the results of the run; its scope
names and captions name the coded corpus (:func:`coded_scope`, :func:`coded_sentences_words`) and the case by
its name (:func:`case_label`), never by a machine's path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from framing.paths import STUDY_CORPUS_NAME
from framing.types import MIN_DOCS, PathLike

__all__ = [
    "NARRATIVE_FRAMES_CODES",
    "STUDY_CORPUS_NAME",
    "case_label",
    "coded_scope",
    "coded_sentences_words",
    "f1_lines",
    "frame_prevalence",
    "frame_verdicts",
    "held_out_verdict",
    "instrument_summary_caption",
    "model_in_sample_reason",
    "sealed_comparison",
]

NARRATIVE_FRAMES_CODES: dict[str, str] = {
    "RE": "resolution",
    "HI": "human_interest",
    "CO": "conflict",
    "MO": "moral",
    "EC": "economic",
}
"""Code columns of the Narrative Frames Corpus (Frermann et al. 2023) and the frame each one codes."""


def coded_scope(corpus: object) -> str:
    """Return the coded corpus's scope in the validity tables: the corpus's ``name`` (``seeds`` for the study's).

    ``corpus`` is a processed corpus (its ``name``) or a name; one without a name is ``corpus``. The
    leave-one-document-out scope is this name with ``-LODO``.
    """
    name = corpus if isinstance(corpus, str) else getattr(corpus, "name", None)
    return str(name).strip() if name and str(name).strip() else "corpus"


def coded_sentences_words(corpus_name: str) -> str:
    """Return how captions name the coded sentences of the corpus ``corpus_name``.

    ``the coded seed sentences`` for the study's own corpus, else ``the coded sentences of NAME``.
    """
    if corpus_name == STUDY_CORPUS_NAME:
        return "the coded seed sentences"
    return f"the coded sentences of {corpus_name}"


def case_label(case: str | PathLike | None) -> str:
    """Return a case as a caption shows it: its name (the case file's ``case:`` key), ``none`` without one.

    A shipped case is named as given; a case file by the ``case:`` key it declares (its file name when the
    file cannot be read), so no caption carries a machine's path.
    """
    if case is None or not str(case).strip():
        return "none"
    from framing.cases import load_case
    from framing.errors import FramingError

    try:
        return load_case(case).name
    except (FramingError, OSError):
        return Path(str(case)).stem


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
    """Compare the learned option with the rule on text neither was written or fitted on (``None`` if not both scored).

    ``summary`` is :func:`framing.agreement.macro_f1_summary` (``scope``, ``method``, ``macro_f1``, ``sealed``,
    ``in_sample``). The comparison is over the sealed held-out sets scored with both methods (mean macro-F1:
    the classifier trained on the coded corpus, the rule as shipped), when there are any; else held out by
    document in the coded corpus (``scope``, its leave-one-document-out scope), unless the rule's figure there
    is in-sample (the study's seeds, which the rule was written on): then there is no fair comparison and the
    verdict says so.
    """
    rows = summary.copy()
    for col in ("sealed", "in_sample"):
        if col not in rows.columns:
            rows[col] = False
    sealed = rows[rows["sealed"].astype(bool) & ~rows["in_sample"].astype(bool)]
    by_method = {m: dict(zip(g["scope"], g["macro_f1"], strict=True)) for m, g in sealed.groupby("method")}
    compared = sealed_comparison(by_method.get("rule", {}), by_method.get("classifier", {}))
    if compared is not None:
        n, rule, learned = compared
        advice = ("the learned option does better on unseen text; consider `framing frames --model`."
                  if learned > rule else "the rule stays the default.")
        return (f"on the {n} sealed held-out set(s) (never read while the instrument was written), mean "
                f"macro-F1: classifier {learned:.2f} (trained on the coded corpus), rule {rule:.2f}: {advice}")
    held = rows.set_index(["scope", "method"])
    if (scope, "classifier") not in held.index or (scope, "rule") not in held.index:
        return None
    learned, rule = float(held.loc[(scope, "classifier"), "macro_f1"]), float(held.loc[(scope, "rule"), "macro_f1"])
    if bool(held.loc[(scope, "rule"), "in_sample"]):
        return (f"held out by document: classifier {learned:.2f}; the rule's {rule:.2f} is in-sample (the rule was "
                "written reading these documents), so the two are not comparable here and no sealed held-out set "
                "was scored with both: no verdict.")
    advice = ("the learned option does better on unseen documents; consider `framing frames --model`."
              if learned > rule else "the rule stays the default.")
    return f"held out by document: classifier {learned:.2f}, rule {rule:.2f}: {advice}"


def model_in_sample_reason(model: str, sheets: Sequence[PathLike], documents: pd.DataFrame | None) -> str:
    """Say why the model ``model`` (a file or a shipped name) is in-sample on the coded ``sheets`` (``""``: it is not).

    In-sample when a sheet is one of its training files (by SHA-256) or one of ``documents`` holds an article of
    its training sets (:func:`~framing.agreement.model_training_overlap`, :func:`held_articles_note`): its
    agreement with the coders, and shares corrected with it, are then too good. Notebooks 02, 05 and 06 warn with
    it and caption with it (:meth:`framing.nbtools.NotebookContext.model_in_sample`).
    """
    from framing.agreement._devset import held_articles_note, model_source
    from framing.agreement._instrument import model_training_overlap
    from framing.model_files import read_model_header
    from framing.paths import shown_path

    seen, held = model_training_overlap(read_model_header(model), [str(p) for p in sheets], documents)
    if seen:
        return (f"the model {model} was trained on the coded sheet(s) {', '.join(map(shown_path, seen))}: its "
                "agreement with them, and shares corrected with them, are in-sample (too good)")
    if held:
        return (f"{held_articles_note(held, model_source(model))}: where they are coded, its agreement with the "
                "coders is in-sample")
    return ""


def sealed_comparison(rule: Mapping[str, float], learned: Mapping[str, float]) -> tuple[int, float, float] | None:
    """Return ``(n, rule mean, learned mean)`` macro-F1 over the sealed sets scored with both (None: no such set).

    ``rule`` and ``learned`` map a sealed held-out set's name to its macro-F1 (a missing or NaN figure is not
    scored). The learned option replaces the rule as the advice only when its mean is higher: the one comparison
    behind notebook 06's verdict (:func:`held_out_verdict`) and the report's findings.
    """
    both = [k for k, v in rule.items() if pd.notna(v) and pd.notna(learned.get(k))]
    if not both:
        return None
    return (len(both), sum(float(rule[k]) for k in both) / len(both),
            sum(float(learned[k]) for k in both) / len(both))


def instrument_summary_caption(corpus_scope: str, case: str | PathLike | None) -> str:
    """Return the caption of notebook 06's macro-F1 summary: which rows are sealed, and which layers each scored.

    The coded corpus's rows (``corpus_scope``, ``corpus_scope-LODO``) score with the case file ``case`` (when
    one is given); the development set's and held-out sets' rows with the case-independent layer only. The
    ``sealed`` column marks the held-out sets never read while the lexicons were written
    (:data:`framing.agreement.SEALED_HELDOUT`): the range quoted in the README
    (:data:`framing.agreement.HELD_OUT_MACRO_F1`) is over those.
    """
    from framing.agreement._devset import HELD_OUT_MACRO_F1, SEALED_HELDOUT

    label = case_label(case)
    layers = (f"with the case file {label}" if label != "none" else "with the case-independent layer only (no case)")
    low, high = HELD_OUT_MACRO_F1
    return (f"Macro-F1 per scope and method, with the lowest per-frame recall. Rows {corpus_scope} and "
            f"{corpus_scope}-LODO score {layers}; the development set and the held-out sets with the "
            "case-independent layer only. sealed: a held-out set never read while the lexicons were written "
            f"({', '.join(SEALED_HELDOUT)}); the other held-out sets and the development set were read, so their "
            f"figures are optimistic. The range quoted in the README, macro-F1 {low:.2f} to {high:.2f}, is over "
            "the sealed sets.")


def validation_metrics_caption(
    lexicon: str, case: str | PathLike | None, rule: str, corpus_name: str, *, n_coders: int, n_docs: int,
    level: float, n_boot: int, in_sample: bool, automated: bool, model: str = "",
) -> str:
    """Return the caption of notebook 06's ``validation_metrics`` table, complete enough to be lifted into a paper.

    It says which rows are in-sample (``in_sample``: every row, when the lexicons were written reading these
    sentences, as on the study's seeds), what the bootstrap resampled (the ``n_docs`` coded documents, whole,
    not sentences; a row whose interval rests on fewer than :data:`framing.types.MIN_DOCS` documents is noted
    as indicative only) and who coded (``automated``: the coders are automated coding assistants, AI models).
    ``model``: a learned model labelled instead of the rule (the notebooks' ``frame_model``): it is named, and
    ``in_sample`` then means it was trained on these sentences.
    """
    coders = {1: "one coder", 2: "two coders"}.get(n_coders, f"{n_coders} coders")
    who = (f"{coders}, automated coding assistants (AI language models), not human coders" if automated
           else coders)
    docs = f"{n_docs} document{'' if n_docs == 1 else 's'}"
    if n_boot > 0:
        interval = (f"{level:.0%} percentile bootstrap interval, {n_boot} replicates resampling the {docs} whole, "
                    "not sentences" + (f"; with fewer than {MIN_DOCS} documents the intervals are indicative only"
                                       if n_docs < MIN_DOCS else ""))
    else:
        interval = "no bootstrap interval"
    why = "the model was trained on these sentences" if model else "the lexicons were written reading these sentences"
    sample = (f"Every row is in-sample: {why}, so the figures overstate agreement on new text." if in_sample else
              "The rows are out of sample unless the model was trained on these sentences." if model else
              "The rows are out of sample unless the lexicon was written reading these sentences.")
    instrument = (f"Model {model} (case {case_label(case)})" if model else
                  f"Lexicon {lexicon} (case {case_label(case)}, rule {rule})")
    return (f"{instrument} against {coded_sentences_words(corpus_name)} "
            f"({who}): precision, recall, F1 ({interval}) and the all-positive F1 baseline. {sample}")


SHIPPED_SEED_SHEETS = ("seeds_coded.csv", "seeds_coded_coder2.csv")
"""The study's seed coding in ``data/validation/``: two automated coding assistants (AI models), not people
(``data/validation/README.md``)."""


def shipped_coders(paths: Sequence[PathLike]) -> bool:
    """Tell whether every coded sheet of ``paths`` is the study's shipped seed coding (automated coders).

    The shipped sheets (:data:`SHIPPED_SEED_SHEETS` in ``data/validation/``) were coded by automated coding
    assistants; a user's own sheets may be coded by people, so captions say "automated" only for these.
    """
    from framing.paths import project_paths

    shipped = {(project_paths().validation / name).resolve() for name in SHIPPED_SEED_SHEETS}
    return bool(paths) and all(Path(p).resolve() in shipped for p in paths)
