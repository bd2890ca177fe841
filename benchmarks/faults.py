"""Fault injection: interrupt real batches and study runs and check that nothing is lost or mixed (issue 13).

Builds a temporary copy of the project (``config/``, ``notebooks/``, ``data/raw/``; the repository is
never written), then replays, against a real batch (notebook 02 over two sentence rules) and a real
study run (notebooks 01 and 02):

* ``kill -9`` of one batch worker, Ctrl-C (SIGINT) and SIGTERM to ``framing batch``, two batches at once;
* SIGINT and SIGTERM to ``framing run``, two runs into one reports folder, a partial run after a full one,
  ``kill -9`` of ``framing run``.

After each case it checks that every complete run is intact (byte for byte), nothing half-written is
visible (no temporary folders or files), no worker or kernel survives, and ``summary.csv``,
``provenance.json`` and ``index.html`` tell the truth. Prints a table: case, expected, observed, pass.
Exit status 1 when a case fails.

Run from the project root: ``python -m benchmarks faults [--keep]`` or ``make faults`` (about 5 minutes
on two free cores).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from framing.paths import ProjectPaths

ROOT = Path(__file__).resolve().parents[1]
BATCH = """name: faults
notebooks: [notebooks/02_lexicon_framing.ipynb]
parameters: {corpus: data/raw, corpus_name: seeds, n_boot: 200}
grid: {rule: [any, cue_sentence]}
"""
RUNS = ("rule=any", "rule=cue_sentence")
STUDY = ("--notebook", "01_corpus", "--notebook", "02_lexicon_framing", "-p", "n_boot=200")
ROWS: list[tuple[str, str, str, bool]] = []


# ------------------------------------------------------------------------------------------ helpers
def _processes() -> dict[int, tuple[int, str]]:
    """Pid -> (parent pid, command line) of every live, non-zombie process."""
    out: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(") ", 1)[1].split()
        if fields[0] != "Z":
            out[int(entry.name)] = (int(fields[1]), cmd)
    return out


def _descendants(pid: int) -> dict[int, str]:
    procs = _processes()
    found: dict[int, str] = {}
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, cmd) in procs.items():
            if ppid == parent and child not in found:
                found[child] = cmd
                frontier.append(child)
    return found


def _alive(pids: list[int]) -> list[int]:
    procs = _processes()
    return [p for p in pids if p in procs]


def _wait_for(cond: Callable[[], Any], timeout: float = 300.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError("condition not met in time")


def _kernels(pid: int) -> list[int]:
    return [p for p, cmd in _descendants(pid).items() if "ipykernel" in cmd]


def _under_way(folder: Path, pid: int) -> bool:
    """Whether the run of process ``pid`` has begun (``provenance.json`` says ``running`` with its pid): the first
    kernel is started ahead, while the run is still being checked, so a live kernel alone does not say so."""
    try:
        prov = _provenance(folder)
    except (OSError, ValueError):
        return False
    return prov.get("status") == "running" and prov.get("pid") == pid


def _workers(pid: int) -> list[int]:
    return [p for p, cmd in _descendants(pid).items() if "framing.batch --worker" in cmd]


def _snapshot(folder: Path) -> dict[str, str]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".framing.lock"}


def _partials(folder: Path) -> list[str]:
    """Temporary folders and files left visible (anything a killed or interrupted run was writing)."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if ".tmp-" in p.name or ".old-" in p.name or ".tmp." in p.name)


def _summary(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "summary.csv", newline="") as fh:
        return {row["run_id"]: row for row in csv.DictReader(fh)}


def _provenance(folder: Path) -> dict[str, Any]:
    return dict(json.loads((folder / "provenance.json").read_text(encoding="utf-8")))


class Project:
    """A throwaway copy of the project and the `framing` processes started in it."""

    def __init__(self, base: Path) -> None:
        self.root = base / "project"
        self.logs = base / "logs"
        self.logs.mkdir(parents=True)
        for name in ("config", "notebooks"):
            shutil.copytree(ROOT / name, self.root / name)
        shutil.copytree(ProjectPaths(ROOT).raw, ProjectPaths(self.root).raw)
        (ProjectPaths(self.root).batch_configs / "faults.yaml").write_text(BATCH, encoding="utf-8")
        self.reports = ProjectPaths(self.root).reports
        self.batch_dir = ProjectPaths(self.root).report.batch / "faults"
        self.n = 0

    def start(self, *args: str) -> tuple[subprocess.Popen[bytes], Path]:
        self.n += 1
        err = self.logs / f"{self.n:02d}.err"
        env = dict(os.environ, FRAMING_ROOT=str(self.root), PYTHONUNBUFFERED="1")
        with open(err, "wb") as fh:
            proc = subprocess.Popen([sys.executable, "-m", "framing", *args], cwd=self.root, env=env,
                                    stdout=subprocess.DEVNULL, stderr=fh, start_new_session=True)
        return proc, err

    def run(self, *args: str, timeout: float = 900) -> tuple[int, str]:
        proc, err = self.start(*args)
        return proc.wait(timeout=timeout), err.read_text(errors="replace")


def record(case: str, expected: str, observed: str, ok: bool) -> None:
    ROWS.append((case, expected, observed, ok))
    print(f"  {'PASS' if ok else 'FAIL'}  {case}: {observed}", flush=True)


def _finish(proc: subprocess.Popen[bytes], err: Path, timeout: float = 300) -> tuple[int, str]:
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        code = proc.wait()
    return code, err.read_text(errors="replace")


# -------------------------------------------------------------------------------------------- cases
def batch_cases(pj: Project) -> None:
    code, err = pj.run("batch", "config/batch/faults.yaml", "--jobs", "2", "-q")
    statuses = {k: v["status"] for k, v in _summary(pj.batch_dir).items()} if code == 0 else {}
    record("batch: first full run", "exit 0, both runs ok", f"exit {code}, {statuses}",
           code == 0 and set(statuses.values()) == {"ok"})
    before = {r: _snapshot(pj.batch_dir / r) for r in RUNS}

    # kill -9 of one worker while its kernel runs
    proc, err_path = pj.start("batch", "config/batch/faults.yaml", "--jobs", "2", "--force", "-q")
    workers = _wait_for(lambda: [w for w in _workers(proc.pid) if _kernels(w)])
    victim = workers[0]
    spec = _descendants(proc.pid)[victim]
    victim_run = next(r for r in RUNS if f".{r}.tmp-" in spec)
    kernels = _kernels(victim)
    os.kill(victim, signal.SIGKILL)
    code, err = _finish(proc, err_path)
    time.sleep(1.5)
    rows = _summary(pj.batch_dir)
    other = next(r for r in RUNS if r != victim_run)
    intact = _snapshot(pj.batch_dir / victim_run) == before[victim_run]
    msg = rows[victim_run]["error"]
    ok = (code == 1 and rows[victim_run]["status"] == "failed" and "killed by SIGKILL" in msg
          and f"run {victim_run}" in msg and intact and rows[other]["status"] == "ok"
          and not _partials(pj.batch_dir) and not _alive(kernels))
    record("batch: kill -9 of a worker", "killed run failed naming run and SIGKILL; its previous folder "
           "byte-identical; other run ok; no temp folder; its kernel dead",
           f"exit {code}; {victim_run} {rows[victim_run]['status']} ('{msg[:60]}...'), folder intact={intact}; "
           f"{other} {rows[other]['status']}; partials={_partials(pj.batch_dir)}; kernels alive={_alive(kernels)}",
           ok)

    for sig in (signal.SIGINT, signal.SIGTERM):
        before = {r: _snapshot(pj.batch_dir / r) for r in RUNS}
        proc, err_path = pj.start("batch", "config/batch/faults.yaml", "--jobs", "1", "--force", "-q")
        first = pj.batch_dir / RUNS[0] / "run.json"
        old_first = first.read_bytes()
        if sig == signal.SIGINT:  # after the first run has been redone, during the second
            _wait_for(lambda f=first, old=old_first: f.is_file() and f.read_bytes() != old)
        _wait_for(lambda p=proc: [w for w in _workers(p.pid) if _kernels(w)])
        family = list(_descendants(proc.pid))
        os.kill(proc.pid, sig)
        code, err = _finish(proc, err_path)
        time.sleep(1.0)
        rows = _summary(pj.batch_dir)
        statuses = {r: rows[r]["status"] for r in RUNS}
        expected = {RUNS[0]: "ok", RUNS[1]: "cached"} if sig == signal.SIGINT else {r: "cached" for r in RUNS}
        unchanged = [r for r in RUNS if _snapshot(pj.batch_dir / r) == before[r]]
        must_be_unchanged = [RUNS[1]] if sig == signal.SIGINT else list(RUNS)
        page = (pj.batch_dir / "index.html").read_text(encoding="utf-8")
        links = all(f'href="{r}/index.html"' in page for r in RUNS)
        prov = _provenance(pj.batch_dir)
        ok = (code == 130 and statuses == expected and set(must_be_unchanged) <= set(unchanged) and links
              and prov.get("interrupted_by") == sig.name and f"interrupted ({sig.name})" in err
              and not _partials(pj.batch_dir) and not _alive(family))
        record(f"batch: {sig.name} to framing batch",
               f"exit 130; runs finished or intact earlier kept with links {expected}; interrupted_by {sig.name}; "
               "workers and kernels stopped; no temp folder",
               f"exit {code}; {statuses}; untouched={unchanged}; links={links}; "
               f"interrupted_by={prov.get('interrupted_by')}; alive={_alive(family)}; "
               f"partials={_partials(pj.batch_dir)}", ok)

    # two batches into the same folder
    first_proc, first_err = pj.start("batch", "config/batch/faults.yaml", "--jobs", "1", "--force", "-q")
    _wait_for(lambda: _workers(first_proc.pid))
    code2, err2 = pj.run("batch", "config/batch/faults.yaml", "--jobs", "1", "--force", "-q")
    code1, _ = _finish(first_proc, first_err)
    statuses = {k: v["status"] for k, v in _summary(pj.batch_dir).items()}
    ok = (code2 == 2 and f"pid {first_proc.pid}" in err2 and "another run is writing here" in err2
          and code1 == 0 and set(statuses.values()) == {"ok"})
    record("batch: two batches at once", "second stops (exit 2) naming the first's pid; first finishes ok",
           f"second exit {code2} ('{err2.strip()[:90]}...'); first exit {code1}, {statuses}", ok)


def study_cases(pj: Project) -> None:
    notebooks = pj.reports / "notebooks"
    code, err = pj.run("run", *STUDY, "-q")
    prov = _provenance(pj.reports)
    record("run: first full run (01, 02)", "exit 0, status ok", f"exit {code}, status {prov.get('status')}",
           code == 0 and prov.get("status") == "ok")

    for sig, during in ((signal.SIGINT, "02_lexicon_framing"), (signal.SIGTERM, "01_corpus")):
        before = _snapshot(notebooks)
        proc, err_path = pj.start("run", *STUDY, "-q")
        if during == "02_lexicon_framing":
            _wait_for(lambda: [n for n in _provenance(pj.reports).get("notebooks", [])
                               if n.get("notebook") == "notebooks/01_corpus.ipynb" and n.get("status") == "ok"
                               and _provenance(pj.reports).get("status") == "running"])
        _wait_for(lambda p=proc: _under_way(pj.reports, p.pid) and _kernels(p.pid))
        family = list(_descendants(proc.pid))
        os.kill(proc.pid, sig)
        code, err = _finish(proc, err_path)
        time.sleep(1.0)
        prov = _provenance(pj.reports)
        page = (pj.reports / "index.html").read_text(encoding="utf-8")
        status = {n["notebook"].split("/")[-1]: n["status"] for n in prov["notebooks"]}
        expected_stale = ["notebooks/02_lexicon_framing.ipynb"] if during != "01_corpus" else [
            "notebooks/01_corpus.ipynb", "notebooks/02_lexicon_framing.ipynb"]
        kept = _snapshot(notebooks)
        rewritten_only_01 = all(kept.get(k) == v for k, v in before.items() if "02_" in k)
        ok = (code == 130 and prov["status"] == "interrupted" and prov.get("interrupted_by") == sig.name
              and prov.get("stale") == expected_stale and f"was interrupted by {sig.name}" in page
              and rewritten_only_01 and not _partials(pj.reports) and not _alive(family)
              and "IPKernelApp" not in err and "Traceback" not in err)
        record(f"run: {sig.name} during {during}",
               f"exit 130; provenance interrupted by {sig.name}, stale {[s.split('/')[-1] for s in expected_stale]}; "
               "index banner; earlier outputs intact; kernel stopped; no kernel noise",
               f"exit {code}; status {prov['status']} by {prov.get('interrupted_by')}; {status}; "
               f"stale {[s.split('/')[-1] for s in prov.get('stale', [])]}; banner={'was interrupted' in page}; "
               f"intact={rewritten_only_01}; alive={_alive(family)}; partials={_partials(pj.reports)}", ok)

    # two runs into one reports folder: the second (another corpus name, one notebook) must not mix in
    first, first_err = pj.start("run", *STUDY, "-q")
    _wait_for(lambda: _kernels(first.pid))
    code2, err2 = pj.run("run", "--notebook", "01_corpus", "-p", "corpus_name=other", "-q")
    code1, _ = _finish(first, first_err)
    prov = _provenance(pj.reports)
    used = {n["parameters"].get("corpus_name") for n in prov["notebooks"]}
    ok = (code2 == 2 and f"pid {first.pid}" in err2 and "--wait" in err2 and code1 == 0
          and prov["status"] == "ok" and prov["stale"] == [] and used == {"seeds"})
    record("run: two runs into one folder", "second stops (exit 2) naming the holder; first ok, all from seeds",
           f"second exit {code2} ('{err2.strip()[:80]}...'); first exit {code1}; status {prov['status']}; "
           f"corpus_name {sorted(used)}", ok)

    # a partial run after a full one: the other notebook is marked stale with the earlier parameters
    full = _provenance(pj.reports)
    code, err = pj.run("run", "--notebook", "01_corpus", "-p", "corpus_name=seeds", "-q")
    prov = _provenance(pj.reports)
    nb02 = next(n for n in prov["notebooks"] if n["notebook"].endswith("02_lexicon_framing.ipynb"))
    page = (pj.reports / "index.html").read_text(encoding="utf-8")
    ok = (code == 0 and nb02["status"] == "stale" and nb02["from_run"]["started"] == full["started"]
          and prov["stale"] == ["notebooks/02_lexicon_framing.ipynb"] and "Stale" in page)
    record("run: partial run (--notebook 01) after a full run",
           "02 marked stale with the earlier run's time and parameters, in provenance and index",
           f"exit {code}; 02 {nb02['status']} from {nb02.get('from_run', {}).get('started')}; "
           f"stale {prov['stale']}; banner={'Stale' in page}", ok)

    # kill -9 of framing run: its kernel dies with it, provenance does not claim a finished run
    proc, err_path = pj.start("run", *STUDY, "-q")
    kernels = _wait_for(lambda: _under_way(pj.reports, proc.pid) and _kernels(proc.pid))
    os.kill(proc.pid, signal.SIGKILL)
    _finish(proc, err_path)
    time.sleep(1.5)
    prov = _provenance(pj.reports)
    ok = prov["status"] == "running" and prov.get("pid") == proc.pid and not _alive(kernels)
    record("run: kill -9 of framing run", "kernel dead; provenance says 'running' (pid), never 'ok'",
           f"kernel alive={_alive(kernels)}; status {prov['status']} pid {prov.get('pid')}", ok)
    code, err = pj.run("run", *STUDY, "-q")
    ok = code == 0 and _provenance(pj.reports)["status"] == "ok" and not _partials(pj.reports)
    record("run: next run after kill -9", "exit 0, ok; leftover temporary files removed",
           f"exit {code}; status {_provenance(pj.reports)['status']}; partials={_partials(pj.reports)}", ok)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks faults", description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary project copy")
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="framing-faults-"))
    print(f"faults: temporary project in {base}; load {os.getloadavg()[0]:.2f}", flush=True)
    t0 = time.perf_counter()
    try:
        pj = Project(base)
        for cases in (batch_cases, study_cases):
            try:
                cases(pj)
            except Exception as exc:  # a case that cannot even be set up is a failure, not a crash
                record(f"{cases.__name__} (setup)", "cases run", f"{type(exc).__name__}: {exc}", False)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print("\n| case | expected | observed | pass |\n|---|---|---|---|")
    for case, expected, observed, ok in ROWS:
        print(f"| {case} | {expected} | {observed} | {'yes' if ok else 'NO'} |")
    print(f"\n{sum(ok for *_, ok in ROWS)}/{len(ROWS)} cases pass in {time.perf_counter() - t0:.0f} s")
    return 0 if ROWS and all(ok for *_, ok in ROWS) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
