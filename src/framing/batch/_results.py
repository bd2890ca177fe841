"""Outcomes of runs and batches, and the ``run.json`` record a finished run leaves in its folder."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from framing.batch._plan import RunSpec

RUN_FILE = "run.json"


@dataclass
class RunResult:
    """The outcome of one run (``ok``, ``failed``, ``cached`` or ``interrupted``)."""

    run_id: str
    status: str
    varying: dict[str, Any]
    elapsed: float | None = None
    error: str = ""
    key_results: dict[str, Any] = field(default_factory=dict)
    notebooks: list[dict[str, Any]] = field(default_factory=list)
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    """Warnings raised inside the run's notebooks (``NOTEBOOK: Category: message``)."""


@dataclass
class BatchResult:
    """The outcome of :func:`run_batch`."""

    name: str
    out_dir: Path
    runs: list[RunResult]
    elapsed: float
    summary_csv: Path | None = None
    index_html: Path | None = None

    @property
    def failed(self) -> list[RunResult]:
        """Runs whose notebooks failed or whose worker crashed."""
        return [r for r in self.runs if r.status == "failed"]

    @property
    def executed(self) -> list[RunResult]:
        """Runs executed in this call (not taken from the cache)."""
        return [r for r in self.runs if r.status in ("ok", "failed")]

    @property
    def cached(self) -> list[RunResult]:
        """Runs skipped because nothing they depend on changed."""
        return [r for r in self.runs if r.status == "cached"]


def _read_run(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((path / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _result_from_record(run: RunSpec, rec: dict[str, Any], status: str, path: Path) -> RunResult:
    return RunResult(
        run_id=run.run_id, status=status, varying=run.varying, elapsed=rec.get("elapsed_s"),
        error=str(rec.get("error", "")), key_results=dict(rec.get("key_results") or {}),
        notebooks=list(rec.get("notebooks") or []), path=path, warnings=list(rec.get("warnings") or []),
    )



def _earlier_or_interrupted(run: RunSpec, folder: Path, ignore_code: bool) -> RunResult:
    """An unfinished run: its earlier complete result if that is still current (``cached``), else ``interrupted``.

    The folder of an interrupted run is never touched; when it holds an earlier run with other inputs,
    the message says so and the summary links it without presenting its results as current.
    """
    rec = _read_run(folder)
    if rec is None:
        return RunResult(run.run_id, "interrupted", run.varying, error="interrupted before it finished")
    if rec.get("status") == "ok" and _fresh(run, rec, ignore_code):
        return _result_from_record(run, rec, "cached", folder)
    return RunResult(
        run.run_id, "interrupted", run.varying, path=folder,
        error=f"interrupted before it finished; {run.run_id}/ still holds an earlier {rec.get('status')} run "
              f"of {rec.get('started', '?')} with other inputs (stale)",
    )


def _fresh(run: RunSpec, rec: Mapping[str, Any], ignore_code: bool) -> bool:
    """Whether a recorded successful run still matches the planned one."""
    if not ignore_code:
        return rec.get("cache_key") == run.cache_key
    recorded = rec.get("cache_parts") or {}
    return all(recorded.get(k) == v for k, v in run.cache_parts.items() if k != "code")




def rerun_reason(run: RunSpec, rec: Mapping[str, Any]) -> str:
    """Say what changed since a recorded run: ``"inputs (data/raw/a.txt changed), code"``.

    Changed input files are named (changed, new, gone) when the earlier ``run.json`` recorded their hashes.
    """
    old = rec.get("cache_parts") or {}
    out: list[str] = []
    for part, value in run.cache_parts.items():
        if old.get(part) == value:
            continue
        before = rec.get("inputs")
        if part != "inputs" or not isinstance(before, dict):
            out.append(part)
            continue
        now = run.inputs
        files = ([f"{f} changed" for f in now if f in before and before[f] != now[f]]
                 + [f"{f} new" for f in now if f not in before] + [f"{f} gone" for f in before if f not in now])
        out.append(f"inputs ({', '.join(files)})" if files else "inputs")
    return ", ".join(out) or "nothing recorded"
