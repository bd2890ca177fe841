"""The truth of a run, on the index: failed or interrupted runs, stale notebooks, warnings (issue 13).

:func:`run_status_banner` reads only a provenance record (``provenance.json``, written by
:mod:`framing.runner`); the index template shows the banner right under the title.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from framing.paths import report_paths
from framing.report.html import esc
from framing.types import PathLike

__all__ = ["run_status_banner", "status_banner"]


def run_status_banner(provenance: Mapping[str, Any]) -> str:
    """HTML banner telling the truth of a run from its provenance record (empty for a complete, clean run).

    Names a ``failed`` or ``interrupted`` run (and the signal), the notebooks whose outputs are from an
    earlier run (``stale``, with that run's time and parameters) and the warnings raised inside the
    notebooks. Issue 13; called from :func:`build_index`, reads only ``provenance.json``.
    """
    parts: list[str] = []
    status = str(provenance.get("status", "ok"))
    if status == "running":
        parts.append(f"<p><strong>This run has not finished</strong> (started {esc(provenance.get('started', ''))}, "
                     f"pid {esc(provenance.get('pid', '?'))}): it is still running or was killed; outputs of "
                     "notebooks not marked ok below may be from an earlier run.</p>")
    elif status != "ok":
        how = f" by {provenance['interrupted_by']}" if provenance.get("interrupted_by") else ""
        parts.append(f"<p><strong>This run {esc('was interrupted' if status == 'interrupted' else status)}"
                     f"{esc(how)}</strong> ({esc(provenance.get('finished', ''))}): {esc(provenance.get('error', ''))}"
                     "</p>")
    records = [r for r in provenance.get("notebooks") or [] if isinstance(r, dict)]
    stale = [r for r in records if r.get("status") == "stale" or r.get("earlier_output")]
    if stale:
        items = []
        for r in stale:
            origin = r.get("from_run") or (r.get("earlier_output") or {}).get("from_run") or {}
            params = origin.get("parameters") or {}
            corpus = f", corpus {params['corpus']}" if isinstance(params, dict) and "corpus" in params else ""
            items.append(f"<li><code>{esc(r.get('notebook'))}</code>: from an earlier run "
                         f"({esc(origin.get('status', '?'))}, {esc(origin.get('started', '?'))}{esc(corpus)})</li>")
        parts.append("<p><strong>Stale:</strong> these outputs were not produced by this run:</p>"
                     f"<ul>{''.join(items)}</ul>")
    warnings_ = [w for w in provenance.get("warnings") or [] if isinstance(w, str)]
    if warnings_:
        listed = "".join(f"<li>{esc(w)}</li>" for w in warnings_)
        parts.append(f"<p><strong>Warnings</strong> raised inside the notebooks:</p><ul>{listed}</ul>")
    if not parts:
        return ""
    kind = "bad" if status != "ok" or stale else "warn"
    return f'<div class="banner banner-{kind}" id="run-status">\n' + "\n".join(parts) + "\n</div>"


def status_banner(reports_dir: PathLike) -> str:
    """Return the status banner of the run recorded in ``REPORTS_DIR/provenance.json`` ("" when none)."""
    try:
        data = json.loads((report_paths(reports_dir).provenance).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return run_status_banner(data) if isinstance(data, dict) else ""
