"""A notebook's ``parameters`` cell, read and checked: the parameters part of :mod:`framing.runner`.

Private: :mod:`framing.runner` re-exports every name (``from framing.runner import notebook_parameters``).

* :func:`notebook_parameters` reads a notebook's ``parameters`` cell (names, inferred types, defaults and
  the comment that documents each), as ``papermill --help-notebook`` does; :func:`notebook_defaults` gives the
  defaults' values.
* :func:`check_parameters` validates a parameter dictionary against those declarations and reports every
  unknown name and wrong type at once; :func:`warn_partial_overrides` says which notebooks ignore a parameter
  given to a run.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framing.errors import NotebookError, ParameterError
from framing.runtime import skip_optional_imports
from framing.types import PathLike

__all__ = [
    "ParameterSpec",
    "PartialParameterWarning",
    "check_parameters",
    "notebook_defaults",
    "notebook_parameters",
    "warn_partial_overrides",
]


@dataclass(frozen=True)
class ParameterSpec:
    """A parameter declared in a notebook's ``parameters`` cell."""

    name: str
    type_name: str
    default: str
    help: str


def notebook_parameters(path: PathLike) -> dict[str, ParameterSpec]:
    """Return the parameters declared in the notebook's ``parameters`` cell, in order."""
    skip_optional_imports()
    import papermill

    p = Path(path)
    if not p.is_file():
        raise NotebookError(f"{p}: notebook not found")
    specs = papermill.inspect_notebook(str(p))
    return {
        name: ParameterSpec(name, str(s.get("inferred_type_name", "None")), str(s.get("default", "")),
                            str(s.get("help", "")))
        for name, s in specs.items()
    }


_TYPE_CHECKS: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (int, float),
    "str": (str,),
    "bool": (bool,),
    "list": (list, tuple),
    "dict": (dict,),
}


def _type_ok(type_name: str, value: Any) -> bool:
    base = type_name.split("[")[0].strip().lower()
    if value is None or base not in _TYPE_CHECKS:
        return True  # undeclared or Optional types: accepted as given
    if base in ("int", "float") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPE_CHECKS[base])


class PartialParameterWarning(UserWarning):
    """A parameter given to a run is declared by only some of its notebooks (the others do not use it)."""


def warn_partial_overrides(specs: Mapping[Path, Mapping[str, Any]], names: Iterable[str]) -> list[str]:
    """Warn, for each of ``names`` declared by some but not all notebooks of ``specs``, which ones ignore it.

    ``framing run -p frames_lexicon=my.dic`` changes every notebook that declares ``frames_lexicon``; this says
    which notebooks do not declare it, so that nobody believes an analysis used a value it never saw.
    Returns the messages (also issued as :class:`PartialParameterWarning`).
    """
    messages = []
    for name in dict.fromkeys(names):
        ignoring = [nb.stem for nb, declared in specs.items() if name not in declared]
        if ignoring and len(ignoring) < len(specs):
            using = [nb.stem for nb, declared in specs.items() if name in declared]
            messages.append(f"parameter {name!r} is declared by {', '.join(using)} only; "
                            f"{', '.join(ignoring)} do(es) not use it")
    for message in messages:
        warnings.warn(message, PartialParameterWarning, stacklevel=2)
    return messages


def check_parameters(
    specs: Mapping[str, ParameterSpec], parameters: Mapping[str, Any], *, where: str = "notebook"
) -> None:
    """Raise :class:`ParameterError` listing every unknown name and wrongly typed value at once.

    Types are those papermill infers from the defaults (``int``, ``float``, ``str``, ``bool``, ``list``,
    ``dict``); an ``int`` is accepted where a ``float`` is declared; ``None`` defaults accept anything.
    """
    problems: list[str] = []
    unknown = [n for n in parameters if n not in specs]
    if unknown:
        problems.append(f"unknown parameter(s) {unknown}; known: {sorted(specs)}")
    for name, value in parameters.items():
        spec = specs.get(name)
        if spec is not None and not _type_ok(spec.type_name, value):
            problems.append(f"parameter {name!r} must be {spec.type_name}, got {type(value).__name__} {value!r}")
    if problems:
        raise ParameterError(f"{where}: " + "; ".join(problems))


def notebook_defaults(specs: Mapping[str, ParameterSpec]) -> dict[str, Any]:
    """Return the default values of declared parameters (literals only; others are skipped)."""
    out: dict[str, Any] = {}
    for name, spec in specs.items():
        try:
            out[name] = ast.literal_eval(spec.default)
        except (ValueError, SyntaxError):
            continue
    return out
