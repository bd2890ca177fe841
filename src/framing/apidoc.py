"""The API reference ``docs/api.md``, generated from ``framing.__all__`` (a test checks it is current).

As ``docs/parameters.md`` is generated from the notebooks (:func:`framing.nbtools.write_parameters_doc`), the API
reference is generated from what the package exports: one line per name, with its kind and the first line of its
docstring, grouped by what it is for. The group follows from the module that defines the name (and, for a
scikit-learn estimator, from its class), so a new export lands in its group when the file is regenerated::

    python -c "from framing.apidoc import write_api_doc; write_api_doc()"
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from framing.io import atomic_write_text
from framing.types import PathLike

__all__ = ["API_GROUPS", "api_group", "api_markdown", "write_api_doc"]

API_GROUPS: dict[str, str] = {
    "loading": "Loading: corpora, lexicons and case files",
    "instruments": "Instruments: frames, hits, scores, attribution, comparison, topics",
    "estimators": "Estimators (scikit-learn) and model files",
    "validation": "Validation: coding sheets and agreement with coders",
    "reports": "Reports: notebooks, studies, batch runs and the HTML index",
    "errors": "Errors and warnings",
    "other": "Other",
}
"""Group key -> heading of ``docs/api.md``, in the order of the file."""

_MODULE_GROUPS = {
    "framing.errors": "errors",
    "framing.corpus": "loading", "framing.lexicon": "loading", "framing.cases": "loading",
    "framing.case_draft": "loading",
    "framing.match": "instruments", "framing.scoring": "instruments", "framing.attribution": "instruments",
    "framing.compare": "instruments", "framing.topics": "instruments",
    "framing.classifier": "estimators", "framing.model_files": "estimators",
    "framing.agreement": "validation", "framing.validate": "validation", "framing.shares": "validation",
    "framing.report": "reports", "framing.batch": "reports", "framing.runner": "reports", "framing.pipeline": "reports",
}


def api_group(name: str, module: str, obj: object) -> str:
    """Return the group key of an exported ``name`` (from ``module``): a scikit-learn estimator is an estimator."""
    from sklearn.base import BaseEstimator

    if inspect.isclass(obj) and issubclass(obj, BaseEstimator):
        return "estimators"
    return _MODULE_GROUPS.get(module, "other")


def _kind(obj: object) -> str:
    if inspect.isclass(obj):
        return "warning" if issubclass(obj, Warning) else "error" if issubclass(obj, Exception) else "class"
    return "function" if callable(obj) else type(obj).__name__


def _first_line(obj: object) -> str:
    doc = inspect.getdoc(obj) or ""
    return doc.strip().splitlines()[0] if doc.strip() else "(no docstring)"


def api_markdown() -> str:
    """Return the text of ``docs/api.md``: every name of ``framing.__all__`` once, grouped, one line each."""
    # the package root (orchestration, as this module) and its table of lazy exports: name -> defining module
    exports: dict[str, str] = importlib.import_module("framing")._EXPORTS
    grouped: dict[str, list[str]] = {key: [] for key in API_GROUPS}
    for name in sorted(exports, key=str.lower):
        obj = getattr(importlib.import_module(exports[name]), name)
        grouped[api_group(name, exports[name], obj)].append(
            f"- `{name}` ({_kind(obj)}, `{exports[name]}`): {_first_line(obj)}")
    lines = [
        "# API reference",
        "",
        "Everything `import framing` exports (`framing.__all__`), grouped, with the first line of each docstring;",
        "`help(framing.NAME)` gives the rest. Generated from the package (regenerate:",
        "`python -c \"from framing.apidoc import write_api_doc; write_api_doc()\"`; a test checks this file is",
        "current). Subpackages export more (`framing.topics`, `framing.agreement`, `framing.attribution` ...).",
    ]
    for key, heading in API_GROUPS.items():
        if grouped[key]:
            lines += ["", f"## {heading}", "", *grouped[key]]
    return "\n".join(lines) + "\n"


def write_api_doc(out: PathLike | None = None) -> Path:
    """Write :func:`api_markdown` to ``docs/api.md`` of the project (or ``out``), atomically; return the path."""
    from framing.paths import find_root

    target = Path(out) if out is not None else find_root() / "docs" / "api.md"
    atomic_write_text(target, api_markdown())
    return target
