"""The truth of a run, on the index: failed or interrupted runs, stale notebooks, warnings (issue 13).

:func:`run_status_banner` reads only a provenance record (``provenance.json``, written by
:mod:`framing.runner`); the index template shows the banner right under the title.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from framing.paths import report_paths
from framing.report.html import render_template
from framing.types import PathLike

__all__ = ["run_status_banner", "status_banner"]


def _text(value: object) -> str:
    """Return a provenance value as shown on the page (``None`` is blank)."""
    return "" if value is None else str(value)


def _banner_context(provenance: Mapping[str, Any]) -> dict[str, Any]:
    """Return the plain data of the banner (template ``status.html.j2``) from a provenance record."""
    status = str(provenance.get("status", "ok"))
    records = [r for r in provenance.get("notebooks") or [] if isinstance(r, dict)]
    stale = []
    for r in records:
        if not (r.get("status") == "stale" or r.get("earlier_output")):
            continue
        origin = r.get("from_run") or (r.get("earlier_output") or {}).get("from_run") or {}
        params = origin.get("parameters") or {}
        stale.append({
            "notebook": _text(r.get("notebook")),
            "status": _text(origin.get("status", "?")),
            "started": _text(origin.get("started", "?")),
            "corpus": f", corpus {params['corpus']}" if isinstance(params, dict) and "corpus" in params else "",
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


def status_banner(reports_dir: PathLike) -> str:
    """Return the status banner of the run recorded in ``REPORTS_DIR/provenance.json`` ("" when none)."""
    try:
        data = json.loads((report_paths(reports_dir).provenance).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return run_status_banner(data) if isinstance(data, dict) else ""
