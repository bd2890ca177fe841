"""Workers in subprocesses: started, watched, stopped; finished run folders installed atomically."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from framing.batch._plan import BatchPlan, RunSpec, _literal_defaults
from framing.batch._results import RunResult, _read_run, _result_from_record
from framing.runtime import describe_exit, die_with_parent

_TERMINATE_GRACE_S = 15.0
_UMASK = os.umask(0)
os.umask(_UMASK)


def _worker_preexec() -> None:
    """A worker gets SIGTERM (and stops cleanly, its kernel with it) if the batch process dies."""
    die_with_parent(signal.SIGTERM)



def _install(tmp: Path, final: Path) -> None:
    """Move a finished run folder into place, replacing an older one (never half-written)."""
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}-{threading.get_ident()}")
        os.replace(final, old)
        os.replace(tmp, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, final)


class _Executor:
    """Runs workers in subprocesses (own session, so Ctrl-C reaches only the batch process)."""

    def __init__(self, plan: BatchPlan, jobs: int) -> None:
        self.plan = plan
        self.jobs = jobs
        self.stop = threading.Event()
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.lock = threading.Lock()

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        threads = str(max(1, (os.cpu_count() or 1) // self.jobs))
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(var, threads)
        env.setdefault("PYTHONUNBUFFERED", "1")
        env["FRAMING_ROOT"] = str(self.plan.root)
        return env

    def run_one(self, run: RunSpec) -> RunResult:
        out_dir = self.plan.out_dir
        final = out_dir / run.run_id
        if self.stop.is_set():
            return RunResult(run.run_id, "interrupted", run.varying)
        tmp = Path(tempfile.mkdtemp(prefix=f".{run.run_id}.tmp-", dir=out_dir))
        tmp.chmod(0o777 & ~_UMASK)  # mkdtemp makes 0700; a finished run is as readable as any folder
        try:
            spec = {
                "run_id": run.run_id, "run_dir": str(tmp), "final_dir": str(final), "root": str(self.plan.root),
                "batch": self.plan.config.name, "varying": run.varying, "parameters": run.parameters,
                "cache_key": run.cache_key, "cache_parts": run.cache_parts, "inputs": run.inputs,
                "warnings": list(run.warnings),
                "notebooks": [
                    {"input": str(nb), "parameters": p,
                     "declares_reports_dir": "reports_dir" in _specs(nb),
                     "defaults": {k: v for k, v in _literal_defaults(_specs(nb)).items() if k != "reports_dir"}}
                    for nb, p in run.notebooks
                ],
            }
            spec_path = tmp / ".spec.json"
            spec_path.write_text(json.dumps(spec, default=str), encoding="utf-8")
            t0 = time.perf_counter()
            with open(tmp / "run.log", "wb") as log:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "framing.batch", "--worker", str(spec_path)],
                    stdout=log, stderr=subprocess.STDOUT, cwd=self.plan.root, env=self.env(),
                    start_new_session=True, preexec_fn=_worker_preexec,
                )
                with self.lock:
                    self.procs[run.run_id] = proc
                    if self.stop.is_set():  # Ctrl-C came between the check above and the start
                        with contextlib.suppress(ProcessLookupError, PermissionError):
                            os.killpg(proc.pid, signal.SIGTERM)
                try:
                    code = proc.wait()
                finally:
                    with self.lock:
                        self.procs.pop(run.run_id, None)
            spec_path.unlink(missing_ok=True)
            rec = _read_run(tmp) if code == 0 else None
            if rec is None:  # killed, interrupted or crashed: the run's folder keeps its previous content
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)  # anything the worker left in its group
                tail = (tmp / "run.log").read_text(encoding="utf-8", errors="replace").strip().splitlines()[-8:]
                shutil.rmtree(tmp, ignore_errors=True)
                if self.stop.is_set():
                    return RunResult(run.run_id, "interrupted", run.varying)
                kept = f"; {final} keeps its previous complete run" if _read_run(final) is not None else ""
                error = (f"run {run.run_id}: worker (pid {proc.pid}) {describe_exit(code)} after "
                         f"{time.perf_counter() - t0:.1f} s{kept}")
                return RunResult(run.run_id, "failed", run.varying, elapsed=round(time.perf_counter() - t0, 2),
                                 error=error + (": " + " | ".join(tail) if tail else ""))
            _install(tmp, final)
            return _result_from_record(run, rec, str(rec.get("status", "failed")), final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def terminate_all(self) -> None:
        """Ask every running worker to stop (SIGTERM to its own process group), then force it."""
        with self.lock:
            self.stop.set()
            procs = list(self.procs.values())
        for proc in procs:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + _TERMINATE_GRACE_S
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


_SPECS: dict[Path, dict[str, Any]] = {}


def _specs(nb: Path) -> dict[str, Any]:
    """The notebook's declared parameters (papermill), read once per batch process."""
    if nb not in _SPECS:
        from framing.runner import notebook_parameters

        _SPECS[nb] = dict(notebook_parameters(nb))
    return _SPECS[nb]

