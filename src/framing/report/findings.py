"""What the study found, stated from its results: the first section of ``reports/index.html``.

Every statement is generated from the files the notebooks wrote (``key_results.json``, ``tables/*.csv``,
``figures/*.csv``), never written by hand, so run on another corpus the index states that corpus's findings.
A finding whose inputs are missing is left out (the index says which notebook would produce it).
Each finding links to the figure, table, KWIC rows and notebook that support it, and says which corpus it is
about (from ``provenance.json``): a finding whose notebooks last ran on another corpus than the latest run's
is marked stale, so findings about two corpora never read as one.

The instruments a finding needs (``shares``, ``topics``, ``agreement``: scipy and scikit-learn, a second of
imports) are imported by the function that reads that finding's table, so building the index of a run without
them (a batch run of a small notebook, ``framing run`` on one notebook) does not load them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import pandas as pd

from framing.paths import report_paths
from framing.report._instrument_sentences import model_caution, other_instrument_sentences, rule_rows
from framing.report._validity_sentences import held_out_sentences as _held_out_sentences
from framing.report.html import read_key_results
from framing.report.kwic import anchor
from framing.report.status import (
    instrument_differences,
    instrument_label,
    notebook_origins,
    read_provenance,
    run_corpus,
    run_instrument,
)
from framing.types import GROUP_LABEL, MIN_DOCS, group_label, plural, with_article

__all__ = ["Finding", "collect_findings", "findings_group_label", "headline"]

FRAMES_FILE = "tables/frames_by_genre.csv"
CODED_FILE = "tables/validation_shares_by_genre.csv"
CORRECTED_FILE = "tables/frames_corrected_by_genre.csv"
CORPUS_FILE = "tables/corpus_by_genre.csv"
VERSUS_RULE_FILE = "tables/frames_model_vs_rule.csv"
NETWORK_FILE = "figures/blame_network.csv"
TOPIC_FRAMES_FILE = "figures/topics_frame_association.csv"
MIN_LIFT = 1.25
"""A stable topic "over-represents" a frame only when the frame's share among the topic's units is at least this
multiple of its share in all units (the lift has no interval: a smaller lift is within the noise of a small
corpus)."""


@dataclass
class Finding:
    """One finding: a title, sentences, an optional small table and links to its evidence."""

    key: str
    title: str
    sentences: list[str]
    table: pd.DataFrame | None = None
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (label, path relative to reports/)
    notebooks: tuple[str, ...] = ()  # stems of the notebooks whose outputs it reads
    corpus: str | None = None  # the corpus it is about (None: no run record says)
    stale: str | None = None  # why it is not about the latest run's corpus or instrument (None: it is)
    instrument: str | None = None  # the frame rule, case and non-default instrument parameters it was made with


def _read(reports: Path, rel: str) -> pd.DataFrame | None:
    path = reports / rel
    if not path.is_file():
        return None
    try:
        return pd.read_csv(path, keep_default_na=True)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError):
        return None


def _links(reports: Path, candidates: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return the candidate links whose target exists (a rendered notebook is preferred to its .ipynb)."""
    out = []
    for label, rel in candidates:
        path, _, fragment = rel.partition("#")
        notebook = (reports / path).with_suffix(".ipynb")
        if path.endswith(".html") and not (reports / path).is_file() and notebook.is_file():
            path = str(Path(path).with_suffix(".ipynb"))
        if (reports / path).is_file():
            out.append((label, path + (f"#{fragment}" if fragment else "")))
    return out


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _genre_docs(reports: Path) -> dict[str, int]:
    """Documents per genre from notebook 01's table (its ``total`` row left out)."""
    corpus = _read(reports, CORPUS_FILE)
    if corpus is None or not {"genre", "documents"} <= set(corpus.columns):
        return {}
    corpus = corpus[~corpus["genre"].astype(str).str.lower().isin(["total", "all"])]
    return {str(g): int(n) for g, n in zip(corpus["genre"], corpus["documents"], strict=True)}


def _leaders(g: pd.DataFrame) -> list[str]:
    """Return the leading frame(s) of one genre's rows of the frames table (counts used where it has them)."""
    from framing.shares import leading_frames

    counts = g.set_index("frame")["n_frame_sentences"] if "n_frame_sentences" in g.columns else None
    return leading_frames(g.set_index("frame")["share"], counts)


def _lead_sentence(genre: str, g: pd.DataFrame) -> str:
    """Say where one genre locates blame: its leading frame, a tie as a tie, or no lead on very few sentences."""
    g = g.sort_values("share", ascending=False, kind="stable")
    ranked = ", ".join(f"{r.frame} {_pct(r.share)}" for r in g.itertuples())
    leaders = _leaders(g)
    counted = {"n_frame_sentences", "n_sentences"} <= set(g.columns)
    if len(leaders) == 1:
        return f"{genre}: blame is located most often in the {leaders[0]} frame ({ranked} of content sentences)."
    if len(leaders) > 1:
        each = f"; {int(g['n_frame_sentences'].iloc[0])} sentences each" if counted else ""
        return (f"{genre}: no single leading frame: blame is located as often in the "
                f"{' as in the '.join(leaders)} frame ({ranked} of content sentences{each}).")
    if not counted or g["n_frame_sentences"].max() <= 0:
        return f"{genre}: no content sentence locates blame in a frame ({ranked})."
    from framing.shares import MIN_LEAD_SENTENCES

    n = int(g["n_sentences"].iloc[0])
    counts = ", ".join(f"{r.frame} {int(r.n_frame_sentences)} ({_pct(r.share)})" for r in g.itertuples())
    return (f"{genre}: too few sentences locate blame to name a leading frame ({counts} of {n} content "
            f"sentences; a lead needs at least {MIN_LEAD_SENTENCES} sentences).")


def instrument_name(results: Mapping[str, Any]) -> str:
    """Name the frame instrument of a run in prose: ``"the lexicon"``, or ``"the model general"``.

    A learned model labelled the frames when its notebooks' ``instrument`` key results start with ``model NAME``
    (:func:`framing.scoring.instrument_signature` with ``model``).
    """
    for key in ("lexicon.instrument", "comparison.instrument", "validation.instrument", "topics.instrument"):
        value = str(results.get(key) or "")
        if value.startswith("model "):
            return f"the model {value.split()[1]}"
    return "the lexicon"


def _frames_finding(reports: Path, group: str = GROUP_LABEL, results: Mapping[str, Any] | None = None
                    ) -> Finding | None:
    shares = _read(reports, FRAMES_FILE)
    if shares is None or not {"genre", "frame", "share"} <= set(shares.columns):
        return None
    name = instrument_name(results or {})
    sentences = [_lead_sentence(str(genre), g) for genre, g in shares.groupby("genre", sort=False)]
    table = shares.pivot(index="genre", columns="frame", values="share").reindex(
        index=list(dict.fromkeys(shares["genre"])), columns=list(dict.fromkeys(shares["frame"]))
    )
    table = table.map(_pct).reset_index()
    source = name.removeprefix("the ")  # the instrument that labelled: lexicon (the rule), or model NAME
    table.insert(1, "source", source)
    order = {g: i for i, g in enumerate(dict.fromkeys(shares["genre"]))}
    coded = _read(reports, CODED_FILE)
    if coded is not None and {"genre", "frame", "source", "share"} <= set(coded.columns):
        coder_rows = coded[coded["source"] != "lexicon"]
        wide = coder_rows.pivot_table(index=["genre", "source"], columns="frame", values="share", sort=False)
        wide = wide.map(_pct).reset_index()
        lex_coded = coded[coded["source"] == "lexicon"].pivot_table(
            index=["genre", "source"], columns="frame", values="share", sort=False
        )
        lex_coded = lex_coded.map(_pct).reset_index().assign(source=f"{source} (coded sentences)")
        table = pd.concat([table, lex_coded, wide], ignore_index=True)
        table = table.sort_values("genre", key=lambda s: s.map(order), kind="stable")
        sentences.append(
            f"Coders and {name} on the same coded sentences are shown side by side: the row '{source} (coded "
            "sentences)' covers the sentences of the coders' majority (a sentence on which the coders tie has no "
            "majority and is left out); where they differ, the coders' shares are the reference."
        )
    rule = str((results or {}).get("lexicon.rule") or "coder")
    versus_rule = _read(reports, VERSUS_RULE_FILE) if name != "the lexicon" else None
    if name != "the lexicon":
        sentences.append(model_caution(name))
        extra = rule_rows(versus_rule, rule, list(table.columns))
        if extra is not None:
            table = pd.concat([table, extra], ignore_index=True).sort_values(
                "genre", key=lambda s: s.map(lambda g: order.get(g, len(order))), kind="stable")
    sentences += other_instrument_sentences(versus_rule, name, rule, group)
    corrected = _read(reports, CORRECTED_FILE)
    if corrected is not None and not {"group", "frame", "corrected_share", "ci_low", "ci_high"} <= set(
            corrected.columns):
        corrected = None
    if coded is None or not {"genre", "frame", "source", "share"} <= set(coded.columns):
        sentences.append(
            f"No coded sentences for this corpus: the shares are {name}'s alone." if corrected is None else
            f"The coders' shares beside {name}'s come from notebook 06 (validation), which has not run into "
            "this reports folder; the corrected shares below use the coded sentences notebook 02 read.")
    if corrected is not None:
        sentences += _corrected_sentences(corrected, group, name)
        table = _with_corrected_rows(table, corrected)
    evidence = _links(reports, [
        ("figure", "figures/frame_shares_by_genre.png"),
        ("table", "tables/frames_by_genre.csv"),
        ("corrected shares", CORRECTED_FILE),
        ("coders vs lexicon", CODED_FILE),
        ("model vs rule", VERSUS_RULE_FILE),
        *((f"KWIC: {f}", f"evidence/kwic_frames.html#{anchor(f)}") for f in dict.fromkeys(shares["frame"])),
        ("KWIC table", "tables/frame_kwic.csv"),
        ("notebook 02", "notebooks/02_lexicon_framing.html"),
        ("notebook 06", "notebooks/06_validation.html"),
    ])
    return Finding("frames", f"Where the texts locate blame, by {group}", sentences,
                   table.rename(columns={"genre": group}), evidence,
                   ("02_lexicon_framing", "06_validation") if coded is not None else ("02_lexicon_framing",))


def _interval(share: float, lo: float, hi: float) -> str:
    """``55% [53–57%]``, or the share alone when the interval is missing or has no width."""
    if pd.isna(lo) or pd.isna(hi) or round(100 * lo) == round(100 * hi) == round(100 * share):
        return _pct(share)
    return f"{_pct(share)} [{100 * lo:.0f}–{_pct(hi)}]"


def _corrected_sentences(corrected: pd.DataFrame, group: str = GROUP_LABEL, name: str = "the lexicon") -> list[str]:
    """State the shares corrected for the instrument's errors on the coded sample (notebook 02's table)."""
    overall = corrected[corrected["group"].astype(str) == "all"]
    if overall.empty:
        return []
    shares = ", ".join(f"{r.frame} {_interval(r.corrected_share, r.ci_low, r.ci_high)}" for r in overall.itertuples())
    lexicon = ""
    if "instrument_share" in overall.columns:
        lexicon = f" ({name} alone: " + ", ".join(
            f"{r.frame} {_pct(r.instrument_share)}" for r in overall.itertuples()) + ")"
    coded = ""
    if {"n_coded", "n_sentences"} <= set(overall.columns):
        first = overall.iloc[0]
        coded = f" on {int(first['n_coded'])} coded of {int(first['n_sentences'])} sentences"
    by_genre = corrected[corrected["group"].astype(str) != "all"]
    has = by_genre[["ci_low", "ci_high"]].notna().all(axis=1)
    some = f"with intervals where {with_article(group)} has enough coded documents (the others descriptive)"
    intervals = ("with their intervals" if has.all() and len(has) else some if has.any()
                 else f"descriptive, without intervals (fewer coded documents per {group} than an interval needs)")
    said = [f"Corrected for {name}'s errors{coded}, the shares of all sentences are {shares}{lexicon}; "
            f"the rows 'corrected' of the table give them by {group}, {intervals}."]
    if "n_undefined" in corrected.columns:
        undefined = corrected[(corrected["n_undefined"] > 0) & corrected[["ci_low", "ci_high"]].notna().all(axis=1)]
        if len(undefined):
            said.append(f"Some bootstrap replicates drew no coded sentence on one side of {name} and have no "
                        "corrected share; the intervals leave them out (" + ", ".join(
                            f"{r.group} {r.frame}: {int(r.n_undefined)}" for r in undefined.itertuples())
                        + " replicates), so read those intervals as resting on the rest.")
    return said


def _with_corrected_rows(table: pd.DataFrame, corrected: pd.DataFrame) -> pd.DataFrame:
    """Add one row per genre with the corrected shares (and interval) under that genre's rows."""
    by_genre = corrected[corrected["group"].astype(str) != "all"].assign(
        cell=lambda d: [_interval(r.corrected_share, r.ci_low, r.ci_high) for r in d.itertuples()])
    if by_genre.empty:
        return table
    wide = by_genre.pivot_table(index="group", columns="frame", values="cell", aggfunc="first", sort=False)
    wide = wide.rename_axis(index="genre", columns=None).reset_index().assign(source="corrected (coded sample)")
    order = {g: i for i, g in enumerate(dict.fromkeys(table["genre"]))}
    out = pd.concat([table, wide[[c for c in table.columns if c in wide.columns]]], ignore_index=True)
    return out.sort_values("genre", key=lambda s: s.map(lambda g: order.get(g, len(order))), kind="stable")


def _blame_finding(reports: Path) -> Finding | None:
    edges = _read(reports, NETWORK_FILE)
    if edges is None or not {"genre", "blamer", "target", "sentences"} <= set(edges.columns):
        return None
    sentences = []
    for genre, g in edges.groupby("genre", sort=False):
        g = g.sort_values(["sentences", "blamer", "target"], ascending=[False, True, True], kind="stable").head(3)
        pairs = "; ".join(f"{r.blamer} → {r.target} ({int(r.sentences)})" for r in g.itertuples())
        sentences.append(f"{genre}: {pairs} blame sentences.")
    if not sentences:
        sentences.append("No blame sentence names an actor as target in this corpus.")
    top_targets = (edges.groupby("target")["sentences"].sum().sort_values(ascending=False, kind="stable")
                   .head(5).index)
    evidence = _links(reports, [
        ("figure", "figures/blame_network.png"),
        ("table", "tables/blame_attribution.csv"),
        ("actor heatmap", "figures/actor_frame_heatmap.png"),
        ("KWIC: actor mentions", "evidence/kwic_actors.html"),
        *((f"KWIC: {t}", f"evidence/kwic_actors.html#{anchor(t)}") for t in top_targets),
        ("notebook 04", "notebooks/04_blame_attribution.html"),
    ])
    return Finding("blame", "Who blames whom", sentences, None, evidence, ("04_blame_attribution",))


def _topics_finding(reports: Path, results: Mapping[str, Any]) -> Finding | None:
    assoc = _read(reports, TOPIC_FRAMES_FILE)
    sentences = []
    if results.get("topics.verdict"):
        sentences.append(str(results["topics.verdict"]))
    if results.get("topics.k") is not None:
        n_stable = results.get("topics.n_stable")
        stable = f", {n_stable} of them agreeing across refits of these units" if n_stable is not None else ""
        model = f" ({str(results['topics.model']).upper()})" if results.get("topics.model") else ""
        sentences.append(f"The free model{model} chose k = {results['topics.k']} topics{stable}.")
        from framing.topics import k_edge_sentence  # here: an index of a run without topics loads no topic model

        edge = k_edge_sentence(results.get("topics.k_edge"), results.get("topics.k_edge_k"))
        if edge:
            sentences.append(edge[:1].upper() + edge[1:] + " (notebook 03, -p k_max=... or -p k_min=...).")
    seeded = _read(reports, "tables/topics_seeded_top_terms.csv")
    if assoc is not None and {"topic", "frame", "lift"} <= set(assoc.columns):
        sentences += _topic_frame_sentences(assoc, seeded)
    if seeded is not None and {"label", "seeds_lead"} <= set(seeded.columns):
        lost = seeded[seeded["seeds_lead"].astype(str).str.lower() == "false"]
        for r in lost.itertuples():
            sentences.append(f"The topic seeded with a frame's terms no longer stands for the frame (its seed terms "
                             "do not lead it, or keep too small a share of its weight) and is labelled by its own "
                             f"words: “{r.label}”; read it by its top terms, not by the frame it started from.")
    if not sentences:
        return None
    evidence = _links(reports, [
        ("figure", "figures/topics_frame_association.png"),
        ("seeded topics", "tables/topics_seeded_top_terms.csv"),
        ("stability", "figures/topics_stability.png"),
        ("top terms", "tables/topics_top_terms.csv"),
        ("KWIC: key terms", "evidence/kwic_key_terms.html"),
        ("notebook 03", "notebooks/03_topic_models.html"),
    ])
    return Finding("topics", "What the topic models add", sentences, None, evidence, ("03_topic_models",))


def _unstable_topics(seeded: pd.DataFrame | None) -> dict[str, float]:
    """Labels of the seeded model's topics marked unstable in ``topics_seeded_top_terms.csv``, with their stability."""
    if seeded is None or not {"label", "unstable"} <= set(seeded.columns):
        return {}
    flagged = seeded[seeded["unstable"].astype(str).str.lower() == "true"]
    stability = flagged["stability"] if "stability" in flagged.columns else pd.Series(float("nan"), flagged.index)
    return {str(label): float(v) for label, v in zip(flagged["label"], stability, strict=True)}


def _topic_frame_sentences(assoc: pd.DataFrame, seeded: pd.DataFrame | None) -> list[str]:
    """State which stable topics of the seeded model over-represent a frame by at least :data:`MIN_LIFT`.

    An unstable topic (its refits disagree) is named as such and not interpreted; a lift below ``MIN_LIFT``
    is not called an over-representation.
    """
    from framing.topics import INSTRUMENT_TERMS_COLUMN, instrument_terms_sentence

    unstable = _unstable_topics(seeded)
    best = assoc.sort_values("lift", ascending=False, kind="stable").drop_duplicates("topic")
    out, weak = [], []
    for r in best.sort_values("topic", kind="stable").itertuples():
        if str(r.topic) in unstable:
            out.append(f"Topic “{r.topic}” of the lexicon-seeded model (NMF) is unstable across refits (stability "
                       f"{unstable[str(r.topic)]:.2f}): do not interpret its association with the frames.")
        elif r.lift >= MIN_LIFT:  # ... and says when the topic is led by words the instrument counts for the frame
            out.append(f"Topic “{r.topic}” of the lexicon-seeded model (NMF) over-represents the {r.frame} frame "
                       f"(lift {r.lift:.2f}).")
            out += [s for s in [instrument_terms_sentence(str(r.topic), str(r.frame),
                                                          getattr(r, INSTRUMENT_TERMS_COLUMN, ""))] if s]
        else:
            weak.append(str(r.topic))
    if weak:
        out.append(f"No frame is over-represented (lift of at least {MIN_LIFT:.2f}) in topic(s) "
                   + ", ".join(f"“{t}”" for t in weak) + ".")
    return out


def _instrument_metrics(reports: Path) -> pd.DataFrame | None:
    """Read notebook 06's per-frame metrics of the rule and the learned option (None when it did not write them)."""
    path = report_paths(reports).tables / "validation_instrument_metrics.csv"
    try:
        return pd.read_csv(path, keep_default_na=True)
    except (OSError, ValueError, pd.errors.ParserError):
        return None


def _corpus_in_sample(m: pd.DataFrame | None) -> bool:
    """Tell whether the rule's figures on the coded corpus are in-sample (``in_sample`` of its metrics)."""
    if m is None or "in_sample" not in m.columns:
        return False
    rule = m[(m["method"] == "rule") & ~m["scope"].astype(str).str.startswith(("heldout-", "devset"))]
    return bool(len(rule)) and bool(rule["in_sample"].astype(str).str.lower().eq("true").all())


def _sealed_below_baseline(m: pd.DataFrame | None) -> list[str] | None:
    """List the rule's frames at or below the always-present baseline on each sealed held-out set (None: none)."""
    if m is None or not {"scope", "method", "frame", "f1", "baseline"} <= set(m.columns):
        return None
    from framing.agreement import SEALED_HELDOUT

    names = m["scope"].astype(str)
    sealed = m[(m["method"] == "rule") & names.str.startswith("heldout-")
               & names.str.removeprefix("heldout-").isin(SEALED_HELDOUT)
               & ~m["frame"].isin(["micro", "macro"])]
    if sealed.empty:
        return None
    weak = sealed[sealed["f1"].astype(float) <= sealed["baseline"].astype(float)]
    return [f"{r.scope.removeprefix('heldout-')} {r.frame} ({float(r.f1):.2f} against {float(r.baseline):.2f})"
            for r in weak.itertuples()]


def _validity_finding(reports: Path, results: Mapping[str, Any]) -> Finding | None:
    frames = sorted(k.split("validation.f1_", 1)[1] for k in results
                    if k.startswith("validation.f1_") and not k.startswith("validation.f1_baseline_"))
    if not frames:  # no coded sheet for the corpus: the other sets' figures, if notebook 06 scored them
        held = _held_out_sentences(results)
        if not held:
            return None
        return Finding("validity", "How valid the instrument is on this corpus",
                       ["No coded sentences for this corpus: its own agreement with coders is unknown.", *held],
                       None, _links(reports, [
                           ("held out and development set", "tables/validation_instrument_summary.csv"),
                           ("notebook 06", "notebooks/06_validation.html")]), ("06_validation",))
    rows = []
    for f in frames:
        f1, base = results.get(f"validation.f1_{f}"), results.get(f"validation.f1_baseline_{f}")
        rows.append({"frame": f, "F1": "" if f1 is None else f"{f1:.2f}",
                     "always-present F1": "" if base is None else f"{base:.2f}",
                     "beats the baseline": "" if f1 is None or base is None else ("yes" if f1 > base else "no")})
    n = results.get("validation.coded_sentences")
    weak = [r["frame"] for r in rows if r["beats the baseline"] == "no"]
    instrument = _instrument_metrics(reports)  # notebook 06's table, read once
    name = instrument_name(results)
    model_in_sample = results.get("validation.model_in_sample")
    in_sample = bool(model_in_sample) if model_in_sample is not None else _corpus_in_sample(instrument)
    why = ("the model was trained on these sentences" if model_in_sample is not None
           else "the lexicons were written reading these sentences")
    sentences = [f"Against {n} coded sentences (the reference coding; the study's coders are automated coding "
                 f"assistants, not people: data/validation/README.md), {name}'s F1 per frame is "
                 + ", ".join(f"{r['frame']} {r['F1']}" for r in rows)
                 + (f" (in-sample: {why})." if in_sample else ".")]
    sealed_weak = _sealed_below_baseline(instrument)
    if sealed_weak is not None:  # the baseline verdict that holds beyond the text the instrument was written on
        sentences.append(
            "On the sealed held-out sets, the rule is at or below the trivial always-present baseline for "
            + "; ".join(sealed_weak) + ": read those frames' shares on a corpus nobody has coded with caution."
            if sealed_weak else "On every sealed held-out set every frame beats the trivial always-present baseline.")
    if weak:
        sentences.append(f"Frames at or below the baseline here ({', '.join(weak)}) should not be interpreted.")
    elif sealed_weak is None:
        sentences.append("Every frame beats the trivial always-present baseline"
                         + (" on these in-sample sentences." if in_sample else "."))
    sentences += _held_out_sentences(results)
    evidence = _links(reports, [
        ("figure", "figures/validation_f1_by_frame.png"),
        ("table", "tables/validation_metrics.csv"),
        ("held out and development set", "tables/validation_instrument_summary.csv"),
        ("confusion", "tables/validation_confusion.csv"),
        ("notebook 06", "notebooks/06_validation.html"),
    ])
    return Finding("validity", "How valid the instrument is on this corpus", sentences, pd.DataFrame(rows), evidence,
                   ("06_validation",))


def _notebook_parameter(provenance: Mapping[str, Any], name: str, stems: tuple[str, ...]) -> Any:
    """Return the value of parameter ``name`` in the first of the notebooks ``stems`` that ran (``None``: none)."""
    records = {PurePath(str(r.get("notebook", ""))).stem: r for r in provenance.get("notebooks") or []
               if isinstance(r, dict)}
    for stem in stems:
        r = records.get(stem)
        value = {**(r.get("defaults") or {}), **(r.get("parameters") or {})}.get(name) if r else None
        if value is not None:
            return value
    return None


def _min_docs(provenance: Mapping[str, Any]) -> int:
    """Return the ``min_docs`` the genre intervals were made with (notebook 05's, else 02's; default 10)."""
    value = _notebook_parameter(provenance, "min_docs", ("05_genre_comparison", "02_lexicon_framing"))
    return value if isinstance(value, int) and not isinstance(value, bool) else MIN_DOCS


def findings_group_label(reports_dir: Path, results: Mapping[str, Any] | None = None) -> str:
    """Return the name of the grouping the findings use (``"outlet"`` for ``genre_col="outlet"``, else ``"genre"``).

    ``corpus.group_label`` of ``key_results.json`` (notebook 01), else :func:`framing.types.group_label` of the
    ``genre_col`` and ``genre_label`` the notebooks ran with (``provenance.json``).
    """
    reports = Path(reports_dir)
    results = read_key_results(report_paths(reports).key_results) if results is None else results
    recorded = results.get("corpus.group_label")
    if isinstance(recorded, str) and recorded.strip():
        return recorded.strip()
    provenance, stems = read_provenance(reports), ("01_corpus", "02_lexicon_framing", "05_genre_comparison")
    return group_label(_notebook_parameter(provenance, "genre_col", stems),
                       _notebook_parameter(provenance, "genre_label", stems))


def _interval_limits(docs: Mapping[str, int], min_docs: int, group: str = GROUP_LABEL) -> list[str]:
    """Say what the genre intervals can show, given the documents per genre and ``min_docs`` (the notebooks' rule)."""
    groups = plural(group)
    few = [g for g, n in docs.items() if n < min_docs]
    out = []
    if few and len(few) == len(docs):
        out.append(f"With fewer than {min_docs} documents in {with_article(group)}, differences between {groups} "
                   f"describe these texts and are not evidence about the {groups}; no figure here is an estimate "
                   "beyond the texts read.")
    elif few:
        out.append(f"{', '.join(few)}: fewer than {min_docs} documents (min_docs), shown without interval: their "
                   f"shares describe these texts, not the {group}; the other {groups}' intervals resample their "
                   "documents.")
    thin = [f"{g} {n}" for g, n in docs.items() if min_docs <= n < MIN_DOCS]
    if thin:
        out.append(f"Intervals are given from {min_docs} documents a {group} (min_docs={min_docs}; the study's default "
                   f"is {MIN_DOCS}): on so few documents ({', '.join(thin)}) an interval is rough and differences "
                   f"between {groups} describe these texts more than the {groups}.")
    return out


def _limits_finding(reports: Path, results: Mapping[str, Any], group: str = GROUP_LABEL) -> Finding | None:
    docs = _genre_docs(reports)
    if not docs:
        return None
    n_docs = sum(docs.values())
    per_genre = ", ".join(f"{g} {n}" for g, n in docs.items())
    sentences = [f"{n_docs} documents ({per_genre})."]
    single = [g for g, n in docs.items() if n < 2]
    if single:
        sentences.append(
            f"{', '.join(single)}: one document, so no interval can be computed over documents; its shares "
            f"describe that text, not the {group}."
        )
    sentences += _interval_limits(docs, _min_docs(read_provenance(reports)), group)
    name = instrument_name(results)
    if name == "the lexicon":
        sentences.append("Frames, actors and blame are counted by explicit lexicon rules: they show where words "
                         "locate blame, not what authors meant; the KWIC tables show every counted word in context.")
    else:
        sentences.append(f"Frames are labelled by {name}, a learned model over the lexicons' evidence, and actors "
                         "and blame are counted by explicit lexicon rules: they show where words locate blame, not "
                         "what authors meant; the KWIC tables show the counted words in context.")
    evidence = _links(reports, [
        ("table", CORPUS_FILE),
        ("figure", "figures/corpus_document_lengths.png"),
        ("notebook 01", "notebooks/01_corpus.html"),
        ("notebook 05", "notebooks/05_genre_comparison.html"),
    ])
    return Finding("limits", "Limits: what these data can and cannot show", sentences, None, evidence,
                   ("01_corpus",))


def collect_findings(reports_dir: Path) -> list[Finding]:
    """Return the findings that the results in ``reports_dir`` support, in reading order."""
    reports = Path(reports_dir)
    results = read_key_results(report_paths(reports).key_results)
    group = findings_group_label(reports, results)
    found = [
        _frames_finding(reports, group, results),
        _blame_finding(reports),
        _topics_finding(reports, results),
        _validity_finding(reports, results),
        _limits_finding(reports, results, group),
    ]
    findings = [f for f in found if f is not None]
    _mark_corpora(findings, read_provenance(reports))
    return findings


def _mark_corpora(findings: list[Finding], provenance: Mapping[str, Any]) -> None:
    """Say which corpus and instrument each finding is about; mark one from another corpus or instrument as stale.

    A finding reading a notebook whose outputs were made with other instrument parameters (rule, window, case,
    lexicons, include_negated ...) than the latest run's is marked, naming them, so results of two rules never
    read as one.
    """
    origins = notebook_origins(provenance)
    latest = run_corpus(provenance)
    latest_instrument = run_instrument(provenance)
    for f in findings:
        present = [origins[nb] for nb in f.notebooks if nb in origins]
        known = [o for o in present if o.corpus]
        corpora = list(dict.fromkeys(str(o.corpus) for o in known))
        f.corpus = ", ".join(corpora) or None
        labels = list(dict.fromkeys(instrument_label(o.instrument) for o in present if o.instrument))
        f.instrument = " / ".join(labels) or None
        other = [o for o in known if latest is not None and o.corpus != latest]
        if other:
            f.stale = (f"Stale: from an earlier run on corpus {other[0].corpus} ({other[0].started}), not about "
                       f"{latest}, the corpus of the latest run; rerun {', '.join(o.notebook for o in other)} "
                       "to state it for that corpus.")
            continue
        changed = [(o, instrument_differences(o.instrument, latest_instrument)) for o in present]
        changed = [(o, d) for o, d in changed if d]
        if changed:
            o, d = changed[0]
            f.stale = (f"Stale: mixes instrument parameters. The outputs of {o.notebook} are from an earlier run "
                       f"({o.started}) with {', '.join(d)}: in brackets the latest run's values; rerun "
                       f"{', '.join(o.notebook for o, _ in changed)} with the same parameters before reading "
                       "these results together.")


def headline(reports_dir: Path) -> str:
    """One line that sums up a run: the leading frame of each genre and the documents per genre.

    The grouping is named by :func:`findings_group_label`. ``""`` when the run has neither (the batch index shows
    it per run).
    """
    reports = Path(reports_dir)
    parts = []
    shares = _read(reports, FRAMES_FILE)
    if shares is not None and {"genre", "frame", "share"} <= set(shares.columns) and len(shares):
        leads = []
        for genre, g in shares.groupby("genre", sort=False):
            leaders = _leaders(g)
            top = _pct(g["share"].max())
            leads.append(f"{genre} {' = '.join(leaders)} {top}" if leaders else f"{genre} none (too few sentences)")
        used = instrument_name(read_key_results(report_paths(reports).key_results)).removeprefix("the ")
        parts.append(f"Leading frame by {findings_group_label(reports)} ({used}): " + ", ".join(leads) + ".")
    docs = _genre_docs(reports)
    if docs:
        parts.append(f"{sum(docs.values())} documents ({', '.join(f'{g} {n}' for g, n in docs.items())}).")
    return " ".join(parts)
