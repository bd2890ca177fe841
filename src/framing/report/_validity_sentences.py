"""What the findings say of the instrument beyond the coded corpus: the sentences on its held-out figures.

From notebook 06's key results: the sealed and read held-out sets, the development set, the learned option held
out by document, the shipped general model (its sealed figures, the paired interval of its difference from the
rule, its figures on the study's seeds) and the sets that could not be scored. Re-exported by
:mod:`framing.report.findings`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from framing.paths import STUDY_CORPUS_NAME
from framing.types import natural_key

__all__ = ["OUT_OF_DOMAIN", "held_out_sentences"]

OUT_OF_DOMAIN = ("Every figure of the instrument's validity comes from text about public failures (the Baby P case "
                 "and UK news about other failures): on a corpus about anything else (climate news, sport, "
                 "business) the instrument is outside the domain it was validated in, no figure here says how well "
                 "it does there, and only a coded sample of that corpus can (framing validate sheet, then "
                 "framing validate shares).")
"""Said after the held-out figures: they measure the instrument on one kind of text only."""


def held_out_sentences(results: Mapping[str, Any]) -> list[str]:
    """Say how the instrument does on documents it was not written beside (macro-F1 recorded by notebook 06)."""
    from framing.agreement import SEALED_HELDOUT, sealed_comparison  # scikit-learn: imported when asked

    macro = {k.split("validation.macro_f1_", 1)[1]: v for k, v in results.items()
             if k.startswith("validation.macro_f1_") and isinstance(v, int | float)}
    out = []
    lodo = [k[: -len("_LODO_rule")] for k in macro if k.endswith("_LODO_rule") and not k.startswith("devset_")]
    scope = lodo[0] if len(lodo) == 1 else STUDY_CORPUS_NAME  # the coded corpus's scope: its name
    dev = macro.get("devset_rule")
    in_order = sorted(macro.items(), key=lambda kv: natural_key(kv[0]))  # bbc-2 before bbc-11
    held = {k[len("heldout_"):-len("_rule")].replace("_", "-"): v for k, v in in_order
            if k.startswith("heldout_") and k.endswith("_rule")}
    learned_held = {k[len("heldout_"):-len("_classifier")].replace("_", "-"): v for k, v in in_order
                    if k.startswith("heldout_") and k.endswith("_classifier")}
    sealed = {k: v for k, v in held.items() if k in SEALED_HELDOUT}
    read = {k: v for k, v in held.items() if k not in SEALED_HELDOUT}
    compared = sealed_comparison(sealed, learned_held)
    rule, learned = macro.get(f"{scope}_LODO_rule"), macro.get(f"{scope}_LODO_classifier")
    if compared is not None:  # the comparison on text neither was written or fitted on
        _, r, c = compared
        verdict = "the learned option does better" if c > r else "the rule stays the default"
        out.append(f"On the sealed held-out sets, mean macro-F1 is {r:.2f} for the rule and {c:.2f} for the learned "
                   f"option trained on the coded corpus: {verdict}.")
    if rule is not None and learned is not None:
        if scope == STUDY_CORPUS_NAME:
            out.append(f"Held out by document in the seeds, the learned option trained on the other documents scores "
                       f"{learned:.2f}; the rule's {rule:.2f} there is in-sample (the lexicons were written reading "
                       "these documents), so the two are not compared on the seeds.")
        elif compared is None:
            verdict = ("the learned option does better on unseen documents" if learned > rule
                       else "the rule stays the default")
            out.append(f"Held out by document, macro-F1 is {rule:.2f} for the rule and {learned:.2f} for the learned "
                       f"option trained on the other documents: {verdict}.")
    general = results.get("validation.general_model_sealed_mean")
    rule_sealed = results.get("validation.rule_sealed_mean")
    if isinstance(general, int | float) and isinstance(rule_sealed, int | float):
        verdict = "better than the rule" if general > rule_sealed else "no better than the rule"
        lo, hi = (results.get(f"validation.general_model_difference_{end}") for end in ("lo", "hi"))
        if isinstance(lo, int | float) and isinstance(hi, int | float):
            verdict = ("better than the rule" if lo > 0 else "not clearly better than the rule" if general > rule_sealed
                       else "no better than the rule")
            verdict += (f" (difference {general - rule_sealed:+.2f}, 95% interval [{lo:+.2f}, {hi:+.2f}] from a paired "
                        "bootstrap over the sets' documents)")
        out.append(f"The shipped general model (framing frames --model general), the learned option trained on every "
                   f"coded sentence the project may read and on no sealed set, scores a mean macro-F1 of {general:.2f} "
                   f"on the sealed held-out sets against the rule's {rule_sealed:.2f}: {verdict} on news it was not "
                   "fitted on, and still far from careful coding.")
        on_seeds, rule_seeds = (results.get(f"validation.{k}") for k in ("general_model_seeds_lodo_case",
                                                                          "rule_seeds_case"))
        if isinstance(on_seeds, int | float) and isinstance(rule_seeds, int | float):
            out.append(f"On the study's own documents, each left out of its training in turn and read with the case "
                       f"file, it scores {on_seeds:.2f} against the rule's {rule_seeds:.2f} (in-sample there): the "
                       "rule stays the study's instrument.")
    if sealed:
        out.append("On news about other public failures, coded blind and never read while the lexicons were "
                   "written (sealed held-out sets " + ", ".join(f"{k} {v:.2f}" for k, v in sealed.items())
                   + "; case-independent layer only), the rule's macro-F1 is the figure to expect on an uncoded "
                   "corpus of news about a public failure: read any share computed on such a corpus with it in mind, "
                   "code a sample and correct the shares with it (framing validate shares).")
        out.append(OUT_OF_DOMAIN)
    if read:
        out.append("On the held-out sets whose errors were read while the lexicons were written ("
                   + ", ".join(f"{k} {v:.2f}" for k, v in read.items()) + ") the figures are optimistic.")
    if dev is not None:
        out.append(f"On the development set of such news the rule's macro-F1 is {dev:.2f}, an optimistic figure: "
                   "the set was read while the lexicons were written.")
    unscored = results.get("validation.not_scored")
    if unscored:  # a machine without ../shared: say which sets were not scored, and why
        out.append("Not scored, so missing from these figures: " + "; ".join(map(str, unscored)) + " (../shared, the "
                   "shared folder beside the project, holds them: README.md, Quick start).")
    return out
