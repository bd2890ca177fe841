"""The truth of a run, on the index: failed or interrupted runs, stale notebooks, warnings (issue 13).

:func:`run_status_banner` reads only a provenance record (``provenance.json``, written by
:mod:`framing.runner`); the index template shows the banner right under the title.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from framing.errors import FramingError
from framing.paths import STUDY_CORPUS_NAME, processed_name, report_paths
from framing.report.html import render_template
from framing.types import INSTRUMENT_DEFAULTS, PathLike

__all__ = ["NotebookOrigin", "instrument_differences", "instrument_label", "notebook_origins", "read_provenance",
           "run_corpus", "run_instrument", "run_status_banner", "status_banner"]


def _text(value: object) -> str:
    """Return a provenance value as shown on the page (``None`` is blank)."""
    return "" if value is None else str(value)


@dataclass(frozen=True)
class NotebookOrigin:
    """Where the outputs of one notebook on disk come from: the corpus they are about, and which run."""

    notebook: str
    corpus: str | None
    earlier: bool
    started: str
    instrument: Mapping[str, Any] = field(default_factory=dict)  # the instrument parameters it declares
    code: str | None = None  # the git commit of the code that made its outputs, when recorded


def _earlier_origin(record: Mapping[str, Any]) -> dict[str, Any] | None:
    """Return the run that produced a notebook's outputs on disk when not the latest (``None``: the latest)."""
    if not (record.get("status") == "stale" or record.get("earlier_output")):
        return None
    origin = record.get("from_run") or (record.get("earlier_output") or {}).get("from_run") or {}
    return origin if isinstance(origin, dict) else {}


def _corpus_of(params: object) -> str | None:
    """Return the name a run's parameters prepared the corpus under (:func:`framing.paths.processed_name`)."""
    if not isinstance(params, Mapping) or not params.get("corpus"):
        return None
    name = str(params.get("corpus_name") or STUDY_CORPUS_NAME)
    try:
        return processed_name(str(params["corpus"]), name)
    except FramingError:
        return name


def _instrument_of(params: object, declared: Collection[str] | None = None) -> dict[str, Any]:
    """Return the instrument parameters (:data:`framing.types.INSTRUMENT_DEFAULTS`) among ``params``.

    With ``declared`` (the names a notebook declares), only those: a notebook that scores no frames has none.
    """
    if not isinstance(params, Mapping):
        return {}
    names = [n for n in INSTRUMENT_DEFAULTS if declared is None or n in declared]
    return {n: params[n] for n in names if n in params}


def run_instrument(provenance: Mapping[str, Any]) -> dict[str, Any]:
    """Return the instrument parameters of the latest run recorded in ``provenance``."""
    return _instrument_of(provenance.get("parameters"))


def _value(value: object) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"{float(value):g}"  # window 10 and 10.0 are one value
    return str(value)


def instrument_differences(instrument: Mapping[str, Any], reference: Mapping[str, Any]) -> list[str]:
    """Name the parameters ``instrument`` and ``reference`` both set, differently.

    ``["rule coder (not cue_window)"]``: the value of ``instrument``, then the one of ``reference``.
    """
    return [f"{n} {_value(instrument[n])} (not {_value(reference[n])})" for n in INSTRUMENT_DEFAULTS
            if n in instrument and n in reference and _value(instrument[n]) != _value(reference[n])]


def instrument_label(instrument: Mapping[str, Any]) -> str:
    """Label an instrument: ``"rule coder, case baby_p"``, then every parameter off the study's default.

    The defaults are :data:`framing.types.INSTRUMENT_DEFAULTS` (``"rule cue_window, case baby_p, window 8"``); with
    ``frame_model`` set, the model is named instead of the rule (``"model general, case baby_p"``). A case file is
    named by its ``case:`` key and a lexicon file by its stem, as every caption names them.
    """
    instrument = _as_shown(instrument)
    model = instrument.get("frame_model")
    if model:  # a learned model labels: it, not the rule, is the instrument
        shown = [f"model {_value(model)}"]
    else:
        shown = [f"rule {_value(instrument['rule'])}"] if "rule" in instrument else []
    shown += [f"case {_value(instrument['case'])}"] if "case" in instrument else []
    shown += [f"{n} {_value(v)}" for n, v in instrument.items()
              if n not in ("rule", "case", "frame_model") and _value(v) != _value(INSTRUMENT_DEFAULTS[n])]
    return ", ".join(shown)


def _as_shown(instrument: Mapping[str, Any]) -> dict[str, Any]:
    """Return instrument parameters as captions show them, never with a machine's path.

    A case by its ``case:`` key (:func:`framing.agreement.case_label`), a lexicon or model file by its stem.
    """
    from framing.agreement import case_label

    out = dict(instrument)
    if out.get("case"):
        out["case"] = case_label(out["case"])
    for name in ("frames_lexicon", "cues_lexicon", "frame_model"):
        if out.get(name):
            out[name] = PurePath(str(out[name])).stem
    return out


def run_corpus(provenance: Mapping[str, Any]) -> str | None:
    """Return the corpus of the latest run recorded in ``provenance`` (its name; ``None`` when not recorded)."""
    return _corpus_of(provenance.get("parameters"))


def notebook_origins(provenance: Mapping[str, Any]) -> dict[str, NotebookOrigin]:
    """Return, per notebook stem (``02_lexicon_framing``), the corpus and run its outputs on disk come from.

    A notebook the latest run executed is about that run's corpus (its own parameters, else the run's); one
    whose outputs are from an earlier run (``stale``, or kept after a failure) is about that run's corpus.
    """
    out = {}
    for r in provenance.get("notebooks") or []:
        if not isinstance(r, dict) or not isinstance(r.get("notebook"), str):
            continue
        origin = _earlier_origin(r)
        if origin is None:
            params = {**(provenance.get("parameters") or {}), **(r.get("defaults") or {}),
                      **(r.get("parameters") or {})}
            started, git = _text(provenance.get("started", "")), provenance.get("git")
        else:
            params, started = origin.get("parameters") or {}, _text(origin.get("started", "?"))
            git = origin.get("git")
        declared = {*(r.get("defaults") or {}), *(r.get("parameters") or {})}
        stem = PurePath(r["notebook"]).stem
        out[stem] = NotebookOrigin(stem, _corpus_of(params), origin is not None, started,
                                   _instrument_of(params, declared), _commit_of(git))
    return out


def _commit_of(git: object) -> str | None:
    """Return the commit (short, ``+dirty`` when the tree had changes) of a provenance ``git`` record's code."""
    code = git.get("code") if isinstance(git, Mapping) else None
    if not isinstance(code, Mapping) or not code.get("commit"):
        return None
    return str(code["commit"])[:12] + ("+dirty" if code.get("dirty") else "")


def _banner_context(provenance: Mapping[str, Any]) -> dict[str, Any]:
    """Return the plain data of the banner (template ``status.html.j2``) from a provenance record."""
    status = str(provenance.get("status", "ok"))
    records = [r for r in provenance.get("notebooks") or [] if isinstance(r, dict)]
    stale = []
    for r in records:
        origin = _earlier_origin(r)
        if origin is None:
            continue
        params = origin.get("parameters") or {}
        declared = {*(r.get("defaults") or {}), *(r.get("parameters") or {})}
        changed = instrument_differences(_instrument_of(params, declared), run_instrument(provenance))
        code, latest_code = _commit_of(origin.get("git")), _commit_of(provenance.get("git"))
        stale.append({
            "notebook": _text(r.get("notebook")),
            "status": _text(origin.get("status", "?")),
            "started": _text(origin.get("started", "?")),
            "corpus": f", corpus {params['corpus']}" if isinstance(params, dict) and "corpus" in params else "",
            "instrument": (f"; other instrument parameters than this run's: {', '.join(changed)}"
                           if changed else ""),
            "code": f"; code {code}" if code and code != latest_code else "",
        })
    return {
        "status": status,
        "state": "was interrupted" if status == "interrupted" else status,
        "how": f" by {provenance['interrupted_by']}" if provenance.get("interrupted_by") else "",
        "started": _text(provenance.get("started", "")),
        "pid": _text(provenance.get("pid", "?")),
        "finished": _text(provenance.get("finished", "")),
        "error": _text(provenance.get("error", "")),
        "stale": stale,
        "warnings": [w for w in provenance.get("warnings") or [] if isinstance(w, str)],
        "kind": "bad" if status != "ok" or stale else "warn",
    }


def run_status_banner(provenance: Mapping[str, Any]) -> str:
    """HTML banner telling the truth of a run from its provenance record (empty for a complete, clean run).

    Names a ``failed`` or ``interrupted`` run (and the signal), the notebooks whose outputs are from an
    earlier run (``stale``, with that run's time and parameters) and the warnings raised inside the
    notebooks. Issue 13; called from :func:`build_index`, reads only ``provenance.json``. Rendered from the
    autoescaped template ``status.html.j2``.
    """
    context = _banner_context(provenance)
    if context["status"] == "ok" and not context["stale"] and not context["warnings"]:
        return ""
    return render_template("status.html.j2", **context)


def read_provenance(reports_dir: PathLike) -> dict[str, Any]:
    """Return the run record ``REPORTS_DIR/provenance.json`` (``{}`` when absent or unreadable)."""
    try:
        data = json.loads((report_paths(reports_dir).provenance).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def status_banner(reports_dir: PathLike) -> str:
    """Return the status banner of the run recorded in ``REPORTS_DIR/provenance.json`` ("" when none)."""
    data = read_provenance(reports_dir)
    return run_status_banner(data) if data else ""
