"""The worker: one run executed in its own process (``python -m framing.batch --worker SPEC.json``)."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from framing.batch._results import RUN_FILE
from framing.io import write_json
from framing.paths import report_paths
from framing.provenance import utc_now


def _run_worker(spec_path: Path) -> int:
    """Execute one run (called in a separate process by :func:`run_batch`).

    Writes ``run.json`` last, and only when the run came to an end (its notebooks ran or one failed):
    an interrupted worker exits with status 130 and leaves no ``run.json``, so the batch never installs
    its folder.
    """
    from framing.backends.study import unused_coded_sheets
    from framing.provenance import write_provenance
    from framing.report import build_index
    from framing.runner import run_notebook
    from framing.runtime import Step, execute_steps

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    run_dir = Path(spec["run_dir"])
    root = Path(spec["root"])
    final = spec["final_dir"]
    started, t0 = utc_now(), time.perf_counter()
    steps = []
    for item in spec["notebooks"]:
        src = Path(item["input"])
        params = dict(item["parameters"])
        if item["declares_reports_dir"]:
            params["reports_dir"] = str(run_dir)
        steps.append(Step(src, report_paths(run_dir).notebooks / src.name, params, {
            "notebook": os.path.relpath(src, root), "output": f"notebooks/{src.name}", "parameters": params}))
    outcome = execute_steps(
        steps, lambda step: run_notebook(step.notebook, step.output, step.parameters, cwd=root, validate=False,
                                         reports_dir=run_dir),
        say=lambda line: print(line, flush=True), warn=lambda line: print(f"warning: {line}", flush=True),
    )
    if outcome.status == "interrupted":
        return 130
    run_warnings = [*spec.get("warnings", []), *outcome.warnings]  # the plan's own first, then the notebooks'
    status, error = outcome.status, outcome.error.replace(str(run_dir), final)
    records = outcome.records
    for record in records:
        if "error" in record:
            record["error"] = str(record["error"]).replace(str(run_dir), final)
        record["parameters"] = {
            k: (final if k == "reports_dir" else v) for k, v in record["parameters"].items()
        }
        out = run_dir / record["output"]
        if out.is_file():
            _retarget(out, str(run_dir), final)
    key_results: dict[str, Any] = {}
    try:
        from framing.report import read_key_results

        key_results = read_key_results(report_paths(run_dir).key_results)
    except Exception as exc:  # a malformed key_results.json must not lose the run
        print(f"key results unreadable: {exc}", flush=True)
    # reports_dir is an output, not an input: keep it out of provenance's input hashing
    # (the notebooks' defaults are included: a default lexicon or corpus is an input too)
    prov_records = []
    for r, item in zip(records, spec["notebooks"], strict=True):
        given = {k: v for k, v in r["parameters"].items() if k != "reports_dir"}
        prov_records.append({**r, "parameters": {**item.get("defaults", {}), **given}})
    write_provenance(
        report_paths(run_dir).provenance, spec["parameters"], root,
        batch=spec["batch"], run_id=spec["run_id"], notebooks=prov_records, started=started, finished=utc_now(),
        status=status, cache_key=spec["cache_key"], warnings=run_warnings,
        unused_inputs=unused_coded_sheets([r["parameters"] for r in prov_records], root),
    )
    try:
        build_index(run_dir, title=f"{spec['batch']} / {spec['run_id']}")
    except Exception as exc:  # the run's results stand even if its page cannot be rendered
        print(f"index not built: {exc}", flush=True)
    write_json(run_dir / RUN_FILE, {
        "run_id": spec["run_id"], "status": status, "error": error, "varying": spec["varying"],
        "parameters": spec["parameters"], "elapsed_s": round(time.perf_counter() - t0, 2),
        "cache_key": spec["cache_key"], "cache_parts": spec["cache_parts"], "inputs": spec.get("inputs", {}),
        "notebooks": records, "key_results": key_results, "started": started, "warnings": run_warnings,
    })
    return 0


def _retarget(notebook: Path, tmp: str, final: str) -> None:
    """Show the run's final folder, not its temporary one, in the injected parameters."""
    import nbformat

    from framing.io import atomic_path

    nb = nbformat.read(notebook, as_version=4)
    changed = False
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []) and tmp in cell.source:
            cell.source = cell.source.replace(tmp, final)
            changed = True
    pm = nb.metadata.get("papermill", {})
    pm_params = pm.get("parameters", {})
    if pm_params.get("reports_dir") == tmp:
        pm_params["reports_dir"] = final
        changed = True
    if tmp in str(pm.get("output_path", "")):  # papermill recorded the temporary file name
        pm["output_path"] = str(Path(final) / notebook.relative_to(tmp))
        changed = True
    if changed:
        with atomic_path(notebook) as out:
            nbformat.write(nb, out)



def _main(argv: Sequence[str]) -> int:
    if len(argv) == 2 and argv[0] == "--worker":
        try:
            return _run_worker(Path(argv[1]))
        except KeyboardInterrupt:
            return 130
    print("usage: python -m framing.batch --worker SPEC.json (internal; use `framing batch`)", file=sys.stderr)
    return 2

