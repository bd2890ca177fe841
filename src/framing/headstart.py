"""A head start for ``framing run``: the costliest results of later notebooks computed while earlier ones run.

The notebooks run one after another, each in its own kernel, which leaves the machine's other core mostly idle.
:func:`start` launches one background process (``python -m framing.headstart``, at a lower priority than the
kernels) that computes, from the prepared corpus in ``data/processed``, the results of the notebooks listed in
:data:`WARMERS` with the very parameters the run gives them, and keeps them in the cache of :mod:`framing.memo`
(``data/processed/cache/``). When a notebook reaches the same call, it loads the result (or waits for the
background process to finish it) instead of computing it again. Nothing depends on the head start:

* the cache key holds every input, parameter, lexicon and the code itself, so a notebook that was edited, run
  with other parameters, or run alone with papermill simply computes (and a result is never read stale);
* a failure in the background process is ignored (the notebook computes and reports it); the process is
  stopped when the run ends, fails or is interrupted (and dies with the run on Linux, even after ``kill -9``);
  its cache entries are written atomically.

Warmed today: notebook 06's :func:`framing.agreement.instrument_validity` (the classifier's cross-validation)
and notebook 03's topic refits (:func:`framing.topics.choose_k`, :func:`framing.topics.stability_by_k`,
:func:`framing.topics.topic_stability` of the chosen k and of the lexicon-seeded model).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from framing.types import PathLike

__all__ = ["WARMERS", "start", "stop", "warm_topics", "warm_validation"]

_NICENESS = 10  # below the notebooks' kernels: the head start takes what they leave of the CPU


def _context(params: Mapping[str, Any]) -> Any:
    from framing import nbtools

    return nbtools.setup(dict(params), style=False, quiet=True)


def warm_validation(params: Mapping[str, Any]) -> None:
    """Compute notebook 06's :func:`~framing.agreement.instrument_validity` as its cells call it."""
    import contextlib
    import io

    from framing.agreement import instrument_validity, load_devset, load_heldout, read_coding_sheets
    from framing.types import FRAMES

    p = dict(params)
    if not p.get("coded"):
        return
    ctx = _context(p)
    with contextlib.redirect_stdout(io.StringIO()):
        coded_paths = ctx.coded_sheets()
    if not coded_paths:
        return
    processed = ctx.processed
    frames_lexicon, cues_lexicon, case = ctx.resolved("frames_lexicon", "cues_lexicon", "case")
    devset, devset_texts = ctx.resolved("devset", "devset_texts")
    heldout = ctx.resolved("heldout")[0]
    codes = read_coding_sheets(coded_paths, corpus=processed, frames=FRAMES)
    dev = load_devset(devset, devset_texts) if Path(devset).is_file() and Path(devset_texts).is_file() else None
    held_paths = [q for q in heldout if Path(q).is_file()] if Path(devset_texts).is_file() else []
    held = load_heldout(held_paths, devset_texts)
    instrument_validity(processed, codes, devset=dev, heldout=held, classifier=p["classifier"],
                        lexicon=frames_lexicon, cues=cues_lexicon, frames=FRAMES, n_boot=p["n_boot"],
                        level=p["level"], random_state=p["seed"], seed=p["seed"], case=case or None,
                        rule=p["rule"], window=p["window"], strong_weight=p["strong_weight"],
                        include_negated=p["include_negated"])


def warm_topics(params: Mapping[str, Any]) -> None:
    """Compute notebook 03's choice of k and stability refits as its cells call them."""
    from framing import topics

    p = dict(params)
    ctx = _context(p)
    units = topics.topic_units(ctx.processed, p["unit"])
    texts = units["text"].tolist()
    template = topics.TopicModel(model=p["model"], min_df=p["min_df"], random_state=p["seed"])
    k_values = range(p["k_min"], p["k_max"] + 1)
    selection = topics.choose_k(texts, k_values, estimator=template, n_top=p["n_top_terms"], random_state=p["seed"])
    topics.stability_by_k(texts, k_values, template, p["seeds"], threshold=p["stability_threshold"])
    best = topics.TopicModel(selection.best_k, model=p["model"], min_df=p["min_df"], random_state=p["seed"])
    topics.topic_stability(texts, best, p["seeds"], threshold=p["stability_threshold"])
    # the seeded model's refits, with as many free topics as the notebook can fit
    fit = topics.fit_topics(ctx.processed, selection.best_k, model=p["model"], unit=p["unit"],
                            random_state=p["seed"], n_terms=p["n_top_terms"], min_df=p["min_df"])
    n_nonempty = len(units) - len(fit.estimator.empty_units_)
    n_free = max(0, min(p["n_free"], n_nonempty - len(topics.lexicon_seed_terms())))
    seeded = topics.SeededTopicModel(n_free=n_free, min_df=p["min_df"], random_state=p["seed"])
    topics.topic_stability(texts, seeded, p["seeds"], threshold=p["stability_threshold"])


WARMERS: dict[str, Callable[[Mapping[str, Any]], None]] = {
    "03_topic_models.ipynb": warm_topics,
    "06_validation.ipynb": warm_validation,
}
"""Notebook file name -> the function that computes its costly results ahead (with the notebook's parameters)."""


def start(plan: Sequence[tuple[Path, Mapping[str, Any]]], root: PathLike) -> subprocess.Popen[bytes] | None:
    """Start the head start for the notebooks of ``plan`` (path, all parameters) that :data:`WARMERS` knows.

    Returns the background process (``None`` when no notebook of the plan is known). Its output goes to
    ``/dev/null``; it dies with this process (:func:`framing.runtime.die_with_parent`).
    """
    from framing.runtime import die_with_parent

    jobs = [[nb.name, dict(params)] for nb, params in plan if nb.name in WARMERS]
    if not jobs:
        return None
    env = dict(os.environ, FRAMING_ROOT=str(Path(root)))

    def child_setup() -> None:
        die_with_parent()
        os.nice(_NICENESS)

    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "framing.headstart"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, cwd=str(root), env=env, preexec_fn=child_setup,
        )
    except (OSError, subprocess.SubprocessError):  # no process to spare (EAGAIN, ENOMEM): the notebooks compute
        return None
    assert proc.stdin is not None
    try:
        proc.stdin.write(json.dumps(jobs, default=str).encode("utf-8"))
        proc.stdin.close()
    except OSError:  # it died at once: the notebooks compute
        stop(proc)
        return None
    return proc


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    """Stop the background process of :func:`start` (no error if it has finished)."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def main() -> int:
    """Read the jobs (JSON on stdin) and warm each one; a failing job is skipped (its notebook computes it)."""
    from framing import nbtools

    jobs = json.loads(sys.stdin.read() or "[]")
    if nbtools.enable_cache() is None:
        return 0
    for name, params in jobs:
        try:
            WARMERS[name](params)
        except Exception:  # the notebook computes it and reports what went wrong
            continue
    return 0


if __name__ == "__main__":
    sys.exit(main())
