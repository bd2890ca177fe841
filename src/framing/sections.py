"""The costly sections of the study's notebooks, one function each: the notebook and the head start call the same one.

Notebook 03's topic refits and notebook 06's validation beyond the seeds are the study's costliest results, and
``framing run`` computes them ahead in a background process (:mod:`framing.headstart`) while the earlier
notebooks run. So that the background process computes exactly what the notebook will ask for, both call the
functions below, and never restate their calls:

* the inputs of a section (the processed corpus, or what an earlier section returned) are positional;
* the notebook parameters it reads are keyword-only arguments **named as the notebook's parameters**
  (``seed``, ``n_boot``, ``stability_threshold`` ...). The head start binds them by name from the parameters
  the run gives the notebook (:data:`framing.headstart.WARMERS` lists each notebook's sections and their
  inputs), and ``tests/test_headstart.py`` checks that the notebook passes every one of them unchanged
  (``seed=seed``), so the two calls cannot drift apart: a notebook that computes something else changes its
  section here, and the head start follows.

The results themselves are kept by :mod:`framing.memo` (the memoized :func:`framing.topics.choose_k`,
:func:`framing.topics.stability_by_k`, :func:`framing.topics.topic_stability` and
:func:`framing.agreement.instrument_validity`), under a hash of every argument.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sklearn.base import clone

from framing.agreement import (
    Devset,
    InstrumentValidity,
    coded_scope,
    instrument_validity,
    load_devset,
    load_heldout,
    read_coding_sheets,
)
from framing.errors import FramingWarning
from framing.paths import shown_path
from framing.topics import (
    KSelection,
    SeededTopicModel,
    StabilityResult,
    TopicFit,
    TopicModel,
    case_stop_words,
    check_k_range,
    choose_k,
    fit_topics,
    lexicon_seed_terms,
    stability_by_k,
    topic_stability,
)
from framing.types import FRAMES, PathLike, ProcessedCorpusLike

__all__ = [
    "SHARED_HINT",
    "KChoice",
    "SeededTopics",
    "ValidationSetMissingWarning",
    "ValidityChecks",
    "choice_of_k",
    "coded_sentences",
    "general_model_sealed",
    "general_model_seeds",
    "seeded_topics",
    "stability_at_k",
    "topics_at_k",
    "unscored_validation_sets",
    "validity_beyond_seeds",
    "warn_unscored",
]


# --- notebook 03: topic models --------------------------------------------------------------------------------
@dataclass(frozen=True)
class KChoice:
    """Notebook 03's choice of k: the coherence rule (``selection``), stability by k, both in one ``table``."""

    selection: KSelection
    by_k: pd.DataFrame
    table: pd.DataFrame

    @property
    def best_k(self) -> int:
        """The chosen number of topics."""
        return int(self.selection.best_k)


def choice_of_k(units: pd.DataFrame, *, model: str, min_df: int, max_df: float, case: str, k_min: int, k_max: int,
                n_top_terms: int, seeds: Sequence[int], stability_threshold: float, seed: int) -> KChoice:
    """Section "Choosing k": coherence by k (:func:`~framing.topics.choose_k`) and stability by k.

    ``units`` is :func:`framing.topics.topic_units` of the corpus; every k from ``k_min`` to ``k_max`` is fitted
    with a :class:`~framing.topics.TopicModel` of ``model``, ``min_df`` and ``max_df`` (``random_state=seed``;
    the ``case`` file's ``topic_stop_words`` as ``extra_stop_words``) and refitted with each of ``seeds``.
    """
    texts = units["text"].tolist()
    template = TopicModel(model=model, min_df=min_df, max_df=max_df, extra_stop_words=case_stop_words(case),
                          random_state=seed)
    k_values = check_k_range(k_min, k_max)
    selection = choose_k(texts, k_values, estimator=template, n_top=n_top_terms, random_state=seed)
    by_k = stability_by_k(texts, k_values, template, seeds, threshold=stability_threshold)
    shown = selection.table.merge(by_k.drop(columns="subsample_raised"), on="k", how="left")  # choose_k flags it
    return KChoice(selection, by_k, shown)


def stability_at_k(units: pd.DataFrame, choice: KChoice, *, model: str, min_df: int, max_df: float, case: str,
                   seeds: Sequence[int], stability_threshold: float, seed: int) -> StabilityResult:
    """Section "Stability across seeds": the chosen k refitted with each of ``seeds``."""
    estimator = TopicModel(choice.best_k, model=model, min_df=min_df, max_df=max_df,
                           extra_stop_words=case_stop_words(case), random_state=seed)
    return topic_stability(units["text"].tolist(), estimator, seeds, threshold=stability_threshold)


def topics_at_k(corpus: ProcessedCorpusLike, choice: KChoice, *, model: str, unit: str, n_top_terms: int,
                min_df: int, max_df: float, case: str, seed: int) -> TopicFit:
    """Section "Topics at the chosen k": :func:`~framing.topics.fit_topics` at ``choice.best_k``."""
    return fit_topics(corpus, choice.best_k, model=model, unit=unit, random_state=seed, n_terms=n_top_terms,
                      min_df=min_df, max_df=max_df, extra_stop_words=case_stop_words(case))


@dataclass(frozen=True)
class SeededTopics:
    """Notebook 03's lexicon-seeded model, its stability, and how many free topics and units it had."""

    model: SeededTopicModel
    stability: StabilityResult
    n_free: int
    n_units: int


def seeded_topics(units: pd.DataFrame, fit: TopicFit, *, n_free: int, min_df: int, max_df: float, case: str,
                  min_retention: float, seeds: Sequence[int], stability_threshold: float, seed: int) -> SeededTopics:
    """Section "Lexicon-seeded topics": the seeded model and its stability across ``seeds``.

    With too few units that have text for one seeded topic per frame plus ``n_free`` free topics (e.g. with
    ``unit="document"``), fewer free topics are fitted (``n_free`` of the result; ``n_units`` counts the units
    with text, those ``fit``'s model did not leave out). A seeded topic keeps its frame's name only while its
    seed terms keep ``min_retention`` of its weight (:class:`~framing.topics.SeededTopicModel`).
    """
    texts = units["text"].tolist()
    n_units = len(units) - len(fit.estimator.empty_units_)
    n_free_fit = max(0, min(n_free, n_units - len(lexicon_seed_terms())))
    template = SeededTopicModel(n_free=n_free_fit, min_df=min_df, max_df=max_df, min_retention=min_retention,
                                extra_stop_words=case_stop_words(case), random_state=seed)
    fitted = clone(template).fit(texts)
    stability = topic_stability(texts, template, seeds, threshold=stability_threshold)
    return SeededTopics(fitted, stability, n_free_fit, n_units)


# --- notebook 06: validation ----------------------------------------------------------------------------------
def coded_sentences(corpus: ProcessedCorpusLike, coded_paths: Sequence[PathLike]) -> pd.DataFrame | None:
    """Section "The lexicon against the coded sentences": the coded sheets read against the corpus.

    ``None`` when there is no sheet for the corpus (the agreement section is skipped, the other sets are not).
    """
    if not coded_paths:
        return None
    return read_coding_sheets(list(coded_paths), corpus=corpus, frames=FRAMES)


@dataclass(frozen=True)
class ValidityChecks:
    """Notebook 06's checks beyond the seeds: the development set (``None`` when absent), the held-out sets."""

    devset: Devset | None
    heldout: dict[str, Devset]
    result: InstrumentValidity


def validity_beyond_seeds(
    corpus: ProcessedCorpusLike, codes: pd.DataFrame | None, *, devset: PathLike, devset_texts: PathLike,
    heldout: Sequence[PathLike], classifier: bool, frames_lexicon: str, cues_lexicon: str, case: str, rule: str,
    window: int, strong_weight: float, include_negated: bool, n_boot: int, level: float, seed: int,
) -> ValidityChecks:
    """Section "Beyond the seeds": :func:`~framing.agreement.instrument_validity` (the classifier's CV).

    The rule and the learned option on the coded corpus, held out by document, on the development set
    (``devset``, whose units point into ``devset_texts``; left out when either file is absent) and on each
    held-out set of ``heldout`` that exists (all left out without ``devset_texts``). ``case`` ``""`` is none.
    The coded corpus's scopes are named after it (:func:`~framing.agreement.coded_scope`: ``seeds`` and
    ``seeds-LODO`` for the study's own corpus). Without codes (``codes`` ``None``) the rule is still scored
    on the development and held-out sets, which do not depend on the corpus.
    """
    have_texts = Path(devset_texts).is_file()
    dev = load_devset(devset, devset_texts) if Path(devset).is_file() and have_texts else None
    held = load_heldout([q for q in heldout if Path(q).is_file()] if have_texts else [], devset_texts)
    result = instrument_validity(corpus, codes, devset=dev, heldout=held, scope=coded_scope(corpus),
                                 classifier=classifier,
                                 lexicon=frames_lexicon, cues=cues_lexicon, frames=FRAMES, n_boot=n_boot,
                                 level=level, random_state=seed, seed=seed, case=case or None, rule=rule,
                                 window=window, strong_weight=strong_weight, include_negated=include_negated)
    return ValidityChecks(dev, held, result)


class ValidationSetMissingWarning(FramingWarning):
    """A validation set of notebook 06 was not scored because a file it needs is missing (named in the message)."""


SHARED_HINT = ("../shared, the shared folder beside the project (README.md, Quick start), holds the development "
               "set, the held-out sets' texts and the Narrative Frames Corpus")
"""What the warning about unscored validation sets says ``../shared`` is."""


def unscored_validation_sets(
    *, devset: PathLike, devset_texts: PathLike, heldout: Sequence[PathLike], nfc_path: PathLike,
    root: PathLike | None = None,
) -> list[str]:
    """Name each validation set of notebook 06 that cannot be scored, and the missing path (parameter) why.

    One line per set: the development set (``devset`` or ``devset_texts`` missing), each held-out set of
    ``heldout`` (its coded file missing, or ``devset_texts``, the texts its units point into) and the Narrative
    Frames Corpus check (``nfc_path``). Paths are shown as :func:`framing.paths.shown_path` shows them (relative to
    ``root``, the project root by default). An empty list: every set is scored.
    """
    def gone(name: str, path: PathLike) -> str:
        return f"{name} {shown_path(path, root)} not found"

    texts = Path(devset_texts).is_file()
    out = []
    if not Path(devset).is_file() or not texts:
        out.append("the development set: " + gone("devset" if not Path(devset).is_file() else "devset_texts",
                                                 devset if not Path(devset).is_file() else devset_texts))
    without_texts = []
    for q in heldout:
        name = Path(q).parent.name or Path(q).stem
        if not Path(q).is_file():
            out.append(f"held-out set {name}: " + gone("heldout", q))
        elif not texts:
            without_texts.append(name)
    if without_texts:  # one line for the sets that all miss the same texts
        out.append(f"held-out set{'s' if len(without_texts) > 1 else ''} {', '.join(without_texts)}: "
                   + gone("devset_texts", devset_texts) + " (the texts their coded units point into)")
    if not Path(nfc_path).is_file():
        out.append("the Narrative Frames Corpus check: " + gone("nfc_path", nfc_path))
    return out


def warn_unscored(unscored: Sequence[str]) -> None:
    """Warn once (:class:`ValidationSetMissingWarning`) about the sets :func:`unscored_validation_sets` listed.

    A notebook calls it inside :func:`framing.nbtools.printed_warnings`, so the warning is printed and
    ``framing run`` keeps it in ``provenance.json``, the index's warnings and its closing line.
    """
    if unscored:
        warnings.warn("validation sets not scored: " + "; ".join(unscored)
                      + f" ({SHARED_HINT})", ValidationSetMissingWarning, stacklevel=2)


def general_model_sealed() -> pd.DataFrame | None:
    """Return the shipped general model's and the rule's macro-F1 on each sealed held-out set (None: no model).

    From the model's header (``sealed``: macro-F1 per set, computed when it was built and checked against a
    rebuild by the test suite), so this needs neither the held-out texts nor a refit: ``set``, ``general model``,
    ``rule``, ``difference`` and, when the header has them, ``difference lo``/``difference hi`` (the paired
    bootstrap interval of the difference, documents resampled: :func:`framing.agreement.paired_difference`), and a
    last row ``mean``.
    """
    from framing.model_files import shipped_sealed
    from framing.types import natural_key

    sealed = shipped_sealed("general")
    if sealed is None:
        return None
    sets = sealed["sets"]
    rows = [{"set": name, "general model": v["classifier"], "rule": v["rule"]}
            for name, v in sorted(sets.items(), key=lambda kv: natural_key(kv[0]))]
    means = sealed.get("mean_macro_f1") or {}
    rows.append({"set": "mean", "general model": means.get("classifier"), "rule": means.get("rule")})
    out = pd.DataFrame(rows)
    out["difference"] = (out["general model"] - out["rule"]).round(3)
    paired = sealed.get("difference") or {}
    if paired:  # the paired bootstrap of the difference (the same documents drawn for both instruments)
        bounds = {**(paired.get("sets") or {}), "mean": paired.get("mean") or {}}
        for end in ("lo", "hi"):
            out[f"difference {end}"] = [bounds.get(name, {}).get(end) for name in out["set"]]
    return out


def general_model_seeds() -> pd.DataFrame | None:
    """Return the shipped general model's and the rule's macro-F1 on the seeds, without and with the seeds' case.

    From the model's header (``seeds_lodo``, :func:`framing.agreement.seeds_lodo_figures`): the model left each
    seed document out of its training in turn; the rule has no training (its lexicons were written reading the
    seeds). Columns ``instrument``, ``without a case file``, ``case <name>``; None without the figures.
    """
    from framing.model_files import shipped_figures

    lodo = shipped_figures("general", "seeds_lodo")
    if lodo is None or not {"classifier", "rule", "case"} <= set(lodo):
        return None
    names = {"classifier": "general model, each seed document left out of its training",
             "rule": "rule (in-sample: written reading the seeds)"}
    return pd.DataFrame([{"instrument": names[k], "without a case file": lodo[k].get("without_case"),
                          f"case {lodo['case']}": lodo[k].get("with_case")} for k in ("classifier", "rule")])
