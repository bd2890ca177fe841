"""A head start for ``framing run``: the costliest results of later notebooks computed while earlier ones run.

The notebooks run one after another, each in its own kernel, which leaves the machine's other core mostly idle.
:func:`start` launches one background process (``python -m framing.headstart``, at a lower priority than the
kernels) that computes, from the prepared corpus in ``data/processed``, the costly sections of the notebooks listed
in :data:`WARMERS` with the very parameters the run gives them, and keeps them in the cache of :mod:`framing.memo`
(``data/processed/cache/``). When a notebook reaches the same call, it loads the result (or waits for the
background process to finish it) instead of computing it again. Nothing depends on the head start:

* the cache key holds every input, parameter, lexicon and the code itself, so a notebook that was edited, run
  with other parameters, or run alone with papermill simply computes (and a result is never read stale);
* a failure in the background process is ignored (the notebook computes and reports it); the process is
  stopped when the run ends, fails or is interrupted (and dies with the run on Linux, even after ``kill -9``);
  its cache entries are written atomically.

The head start restates no call of a notebook: a notebook's costly sections are functions of
:mod:`framing.sections` that the notebook calls, and :data:`WARMERS` only names them, in the notebook's order,
with the names of their inputs. :func:`warm` binds each section's keyword-only arguments by name from the
notebook's (resolved) parameters, and ``tests/test_headstart.py`` checks every notebook against its plan (the
same function, the same inputs, every parameter passed unchanged as ``name=name``).

Warmed today: notebook 06's validation beyond the seeds (:func:`framing.sections.validity_beyond_seeds`, the
classifier's cross-validation) and notebook 03's topic refits (:func:`framing.sections.choice_of_k`,
:func:`~framing.sections.stability_at_k`, :func:`~framing.sections.seeded_topics`).
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from framing.types import PathLike

if TYPE_CHECKING:
    from framing.nbtools import NotebookContext

__all__ = ["SOURCES", "WARMERS", "Section", "keyword_parameters", "start", "stop", "warm", "warm_topics",
           "warm_validation"]

_NICENESS = 10  # below the notebooks' kernels: the head start takes what they leave of the CPU


@dataclass(frozen=True)
class Section:
    """One assignment of a notebook, ``target = func(*inputs, name=name, ...)``, that the head start repeats.

    ``func`` is the function's dotted name (imported when the section runs, so that ``framing run`` does not
    import the instruments); ``inputs`` name values of the notebook: a parameter, a :data:`SOURCES` name or an
    earlier section's ``target``. Every keyword-only parameter of the function is the notebook parameter of
    that name.
    """

    target: str
    func: str
    inputs: tuple[str, ...]

    @property
    def function(self) -> Callable[..., Any]:
        """The function ``func`` names."""
        module, _, name = self.func.rpartition(".")
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


def _coded_sheets(ctx: NotebookContext) -> list[Path]:
    with contextlib.redirect_stdout(io.StringIO()):  # the notebook prints which sheets it skips; nobody reads here
        return ctx.coded_sheets()


SOURCES: dict[str, tuple[str, Callable[[NotebookContext], Any]]] = {
    "processed": ("ctx.processed", lambda ctx: ctx.processed),
    "coded_paths": ("ctx.coded_sheets()", _coded_sheets),
}
"""Values a notebook takes from its context: name -> (the notebook's expression, how the head start gets it)."""

WARMERS: dict[str, tuple[Section, ...]] = {
    "03_topic_models.ipynb": (
        Section("units", "framing.topics.topic_units", ("processed", "unit")),
        Section("choice", "framing.sections.choice_of_k", ("units",)),
        Section("stability", "framing.sections.stability_at_k", ("units", "choice")),
        Section("fit", "framing.sections.topics_at_k", ("processed", "choice")),
        Section("seeded_fit", "framing.sections.seeded_topics", ("units", "fit")),
    ),
    "06_validation.ipynb": (
        Section("codes", "framing.sections.coded_sentences", ("processed", "coded_paths")),
        Section("checks", "framing.sections.validity_beyond_seeds", ("processed", "codes")),
    ),
}
"""Notebook file name -> its sections computed ahead, in the notebook's order (see :class:`Section`)."""


def keyword_parameters(func: Callable[..., Any]) -> tuple[str, ...]:
    """Return the keyword-only parameters of ``func``: the notebook parameters a section reads, by name."""
    return tuple(n for n, p in inspect.signature(func).parameters.items() if p.kind is p.KEYWORD_ONLY)


def _missing(value: Any) -> bool:
    """Tell whether the notebook skips a section for this input: none, or an empty list (no coded sheet)."""
    return value is None or (isinstance(value, list | tuple) and not value)


def warm(plan: Sequence[Section], params: Mapping[str, Any]) -> dict[str, Any]:
    """Run the sections of ``plan`` as the notebook does, with the notebook's ``params``; return what they made.

    A section one of whose inputs is missing (``None`` or an empty list, as without a coded sheet) stops the plan:
    the notebook skips it too.
    """
    from framing import nbtools

    ctx = nbtools.setup(dict(params), style=False, quiet=True)
    values: dict[str, Any] = dict(ctx.params)
    for section in plan:
        for name in section.inputs:
            if name not in values and name in SOURCES:
                values[name] = SOURCES[name][1](ctx)
        args = [values[name] for name in section.inputs]
        if any(_missing(a) for a in args):
            break
        func = section.function
        kwargs = {name: values[name] for name in keyword_parameters(func)}
        values[section.target] = func(*args, **kwargs)
    return values


def warm_validation(params: Mapping[str, Any]) -> None:
    """Compute notebook 06's validation beyond the seeds (the classifier's cross-validation) as it calls it."""
    warm(WARMERS["06_validation.ipynb"], params)


def warm_topics(params: Mapping[str, Any]) -> None:
    """Compute notebook 03's choice of k and stability refits as its cells call them."""
    warm(WARMERS["03_topic_models.ipynb"], params)


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
            warm(WARMERS[name], params)
        except Exception:  # the notebook computes it and reports what went wrong
            continue
    return 0


if __name__ == "__main__":
    sys.exit(main())
