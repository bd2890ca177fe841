"""What the findings say of the instrument that labelled the frames, and of the other one.

A learned model (``frame_model``) and the dictionary rule can locate blame differently on the same corpus (on
climate news the rule said "systemic" in every group, the general model "political"). So the frame finding names
the instrument that labelled, carries the model's caution when a model labelled, and sets the rule beside it
(notebook 02's ``tables/frames_model_vs_rule.csv``, :func:`framing.shares.instrument_agreement`); a rule run says
where to look for the model. Re-exported by :mod:`framing.report.findings`.
"""

from __future__ import annotations

import pandas as pd

from framing.types import plural

__all__ = ["MODEL_CAUTION", "RULE_PREFIX", "model_caution", "other_instrument_sentences", "rule_rows"]

RULE_PREFIX = "rule "
"""The rows the rule adds to a model run's findings table are named ``rule RULE (same sentences)``."""

MODEL_CAUTION = ("trained on coverage of public failures only (news where blame is talked about in most paragraphs), "
                 "it labels far more sentences than the rule on other text (BBC News 2004-05: 37% of sentences "
                 "against the rule's 18%; docs/validation.md, \"The general model\")")
"""The general model's caution, as ``framing frames --model general`` prints it (docs/validation.md)."""


def model_caution(name: str) -> str:
    """Return the caution a finding carries when the learned model ``name`` (``"the model general"``) labelled."""
    if name == "the model general":
        return (f"These labels are {name}'s, not a coder's: {MODEL_CAUTION}; on a corpus about something else its "
                "shares run higher than the rule's for that reason alone, so validate it on a coded sample of this "
                "corpus before reporting them (framing validate shares --model general).")
    return (f"These labels are {name}'s, not a coder's: a learned model is only as good as the coded sentences it "
            "was trained on, and labels text unlike them with unknown accuracy; validate it on a coded sample of "
            "this corpus before reporting its shares (framing validate shares --model FILE).")


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _leads(table: pd.DataFrame, share: str, count: str) -> dict[str, list[str]]:
    """Leading frame(s) of each group (``all`` left out) by the column ``share`` (counts in ``count``)."""
    from framing.shares import leading_frames  # here, not at import: an index without frames loads no instrument

    out = {}
    for genre, g in table[table["genre"].astype(str) != "all"].groupby("genre", sort=False):
        out[str(genre)] = leading_frames(g.set_index("frame")[share], g.set_index("frame")[count])
    return out


def other_instrument_sentences(versus_rule: pd.DataFrame | None, name: str, rule: str, group: str) -> list[str]:
    """Say how the rule's labels compare with the model's on this corpus, or where to look for the other instrument.

    ``versus_rule`` is notebook 02's ``frames_model_vs_rule`` table (None on a rule run, or when the notebook did
    not write it); ``name`` the instrument in prose (``"the model general"``, ``"the lexicon"``); ``rule`` the
    rule parameter; ``group`` the grouping's name.
    """
    if name == "the lexicon":
        return ["A learned alternative, the general model, can label the same sentences (rerun with "
                "-p frame_model=general; docs/validation.md, \"The general model\"): it was " + MODEL_CAUTION
                + ". Its report then sets the two instruments' shares side by side and says how often they agree."]
    if versus_rule is None or not {"genre", "frame", "share", "rule_share", "agreement", "kappa", "n_labels",
                                   "n_rule"} <= set(versus_rule.columns):
        return [f"How far {name} and the rule ({rule}) agree on this corpus: rerun notebook 02 "
                "(tables/frames_model_vs_rule.csv) or label it with both (framing frames, with and without --model)."]
    overall = versus_rule[versus_rule["genre"].astype(str) == "all"]
    said = [f"The rule ({rule}), computed on the same sentences, gives the shares "
            + ", ".join(f"{r.frame} {_pct(r.rule_share)}" for r in overall.itertuples())
            + f" against {name}'s " + ", ".join(f"{r.frame} {_pct(r.share)}" for r in overall.itertuples())
            + "; sentence by sentence they give the same label for "
            + ", ".join(f"{r.frame} {_pct(r.agreement)}" + ("" if pd.isna(r.kappa) else f" (kappa {r.kappa:.2f})")
                        for r in overall.itertuples()) + " of the sentences (the rows 'rule' of the table)."]
    model_leads, rule_leads = _leads(versus_rule, "share", "n_labels"), _leads(versus_rule, "rule_share", "n_rule")
    differ = [g for g in model_leads if model_leads[g] != rule_leads.get(g)]
    if differ:
        said.append(f"The leading frame depends on the instrument in {len(differ)} of {len(model_leads)} "
                    f"{plural(group)} (" + "; ".join(
                        f"{g}: {' = '.join(model_leads[g]) or 'none'} by the model, "
                        f"{' = '.join(rule_leads.get(g) or []) or 'none'} by the rule" for g in differ)
                    + "): do not report it as a finding of the texts without saying which instrument found it.")
    else:
        said.append(f"The leading frame of every {group} is the same by both instruments.")
    return said


def rule_rows(versus_rule: pd.DataFrame | None, rule: str, columns: list[str]) -> pd.DataFrame | None:
    """Return the rule's shares by group as rows of the findings table (``source``: ``rule RULE (same sentences)``)."""
    if versus_rule is None or not {"genre", "frame", "rule_share"} <= set(versus_rule.columns):
        return None
    by_group = versus_rule[versus_rule["genre"].astype(str) != "all"]
    wide = by_group.pivot_table(index="genre", columns="frame", values="rule_share", sort=False).map(_pct)
    wide = wide.rename_axis(columns=None).reset_index().assign(source=f"{RULE_PREFIX}{rule} (same sentences)")
    return wide[[c for c in columns if c in wide.columns]]
