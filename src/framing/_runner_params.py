"""A notebook's ``parameters`` cell, read and checked: the parameters part of :mod:`framing.runner`.

Private: :mod:`framing.runner` re-exports every name (``from framing.runner import notebook_parameters``).

* :func:`notebook_parameters` reads a notebook's ``parameters`` cell (names, inferred types, defaults and
  the comment that documents each), as ``papermill --help-notebook`` does; :func:`notebook_defaults` gives the
  defaults' values.
* :func:`check_parameters` validates a parameter dictionary against those declarations and reports every
  unknown name and wrong type at once; :func:`warn_partial_overrides` says which notebooks ignore a parameter
  given to a run.
* ``_name_the_corpus`` names a corpus given without ``corpus_name`` after its path; ``_check_cases`` loads every
  case a run will use before any notebook runs and warns (:class:`StudyCaseWarning`) when the study's case is
  applied to another corpus.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from framing.errors import FramingWarning, NotebookError, ParameterError
from framing.paths import corpus_stem
from framing.runtime import skip_optional_imports
from framing.types import PathLike

__all__ = [
    "ParameterSpec",
    "PartialParameterWarning",
    "StudyCaseWarning",
    "check_parameters",
    "notebook_defaults",
    "notebook_parameters",
    "study_label",
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


class StudyCaseWarning(FramingWarning):
    """The study's own case file (``case`` in ``config/study.yaml``) is applied to another corpus."""


class PartialParameterWarning(FramingWarning):
    """A parameter given to a run is declared by only some of its notebooks (the others do not use it)."""


def warn_partial_overrides(specs: Mapping[Path, Mapping[str, Any]], names: Iterable[str], *,
                           shared: Iterable[str] = ()) -> list[str]:
    """Warn, for each of ``names`` declared by some but not all notebooks of ``specs``, which ones ignore it.

    ``framing run -p n_terms=20`` changes every notebook that declares ``n_terms``; this says which notebooks
    do not declare it, so that nobody believes an analysis used a value it never saw. Names in ``shared``,
    the study's shared vocabulary (the ``parameters`` of ``config/study.yaml``: ``corpus``, ``case``,
    ``rule``, ``coded`` ...), are given to every notebook that uses them by
    design, and are not named. Returns the messages (also issued as :class:`PartialParameterWarning`).
    """
    messages = []
    common = set(shared)
    for name in dict.fromkeys(n for n in names if n not in common):
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


def _name_the_corpus(overrides: dict[str, Any], specs: Mapping[Path, Mapping[str, Any]],
                     study: Mapping[str, Any], base: Path) -> dict[str, Any]:
    """Give ``corpus_name`` a name derived from ``corpus`` when ``corpus`` is overridden and ``corpus_name`` is not.

    ``-p corpus=../mycase/immig.jsonl`` alone would otherwise prepare and report the user's corpus under the
    study's name (``seeds``); it becomes ``immig`` (the file or folder name without extensions, as
    ``framing prepare`` names it). The study's own corpus (``corpus`` of ``study``, the configuration's
    parameters; paths relative to ``base``) keeps the study's name.
    """
    corpus, own = overrides.get("corpus"), study.get("corpus")
    if "corpus_name" in overrides or not isinstance(corpus, str) or not corpus.strip() \
            or not any("corpus_name" in declared for declared in specs.values()) \
            or (isinstance(own, str) and _same_path(corpus, own, base)):
        return overrides
    return {**overrides, "corpus_name": corpus_stem(corpus)}


def study_label(name: str, config: str, shipped: bool, study: Mapping[str, Any], overrides: Mapping[str, Any],
                base: Path) -> dict[str, Any]:
    """Return the provenance fields that name a run's study: ``study``, ``corpus`` and ``overrides``.

    ``study`` is the configuration's ``name`` when the run reads the configuration's corpus; when ``-p corpus=``
    gives another, the run is not that study: ``"shipped study config (NAME) with overrides: corpus, ..."``
    (``shipped``: the configuration is the project's ``config/study.yaml``), else ``"NAME with overrides: ..."``.
    ``corpus`` is the corpus the run read; ``overrides`` the parameters given on top of ``config``.
    """
    names = sorted(k for k in overrides if k != "reports_dir")
    corpus, own = overrides.get("corpus", study.get("corpus")), study.get("corpus")
    other = isinstance(corpus, str) and not (isinstance(own, str) and _same_path(corpus, own, base))
    label = name if not other else (
        f"{'shipped study config (' + name + ')' if shipped else name} with overrides: {', '.join(names)}")
    return {"study": label, "study_config": {"name": name, "path": config}, "corpus": corpus, "overrides": names}


def _check_cases(study: Mapping[str, Any], config_name: str, overrides: Mapping[str, Any],
                 full: Sequence[tuple[Path, Mapping[str, Any]]], base: Path, *, where: str = "") -> list[str]:
    """Load every ``case`` the run will use, before any notebook runs; say when the study's case meets another corpus.

    ``study``: the study configuration's parameters (``config_name`` its file name); ``overrides``: the
    parameters the user gave (``-p``, or a batch run's parameters: a ``case`` given there is never warned about);
    ``full``: each notebook's parameters with its defaults; ``base``: the project root. ``where`` (a batch run,
    ``"run RUN_ID"``) starts each message. The one check of ``framing run`` and of every run of ``framing batch``;
    it also loads each ``frame_model`` and ``rules`` file the run names.

    Returns the run's warnings (``StudyCaseWarning: ...``, also issued as :class:`StudyCaseWarning`).

    Raises
    ------
    ParameterError
        A ``case`` that is neither a shipped case nor a case file, or a case file with errors: names the
        parameter, the notebooks and the shipped cases.
    """
    from framing.cases import list_cases, load_case
    from framing.errors import CaseError

    study_corpus = study.get("corpus")
    messages: list[str] = []
    for case in dict.fromkeys(p.get("case") for _, p in full):
        if not isinstance(case, str) or not case:
            continue
        users = [nb.stem for nb, p in full if p.get("case") == case]
        candidate = Path(case) if Path(case).is_absolute() else base / case
        try:
            load_case(candidate if candidate.is_file() else case)
        except CaseError as exc:
            raise ParameterError(
                f"{where + ': ' if where else ''}parameter 'case' ({', '.join(users)}): {exc}\n(known cases: "
                f"{', '.join(list_cases())}; or a case file's path, or -p case= for none)") from None
        corpora = dict.fromkeys(str(p.get("corpus")) for _, p in full if p.get("case") == case)
        other = [c for c in corpora if study_corpus is not None and not _same_path(c, str(study_corpus), base)]
        if "case" in overrides or case != study.get("case") or not other:
            continue
        message = (f"{where + ': ' if where else ''}"
                   f"the study's case {case!r} (case: in {config_name}) is applied to corpus {other[0]!r}, not to "
                   f"the study's own corpus {study_corpus!r}: its people and organisations label frames and blame "
                   f"targets in these texts. Pass -p case=FILE with a case file for your corpus (docs/cases.md; "
                   f"framing case check FILE), or -p case= to run the case-independent lexicons only")
        warnings.warn(message, StudyCaseWarning, stacklevel=2)
        messages.append(f"{StudyCaseWarning.__name__}: {message}")
    _check_frame_models(full, base, where)
    _check_rules(full, base, where)
    return messages


def _check_rules(full: Sequence[tuple[Path, Mapping[str, Any]]], base: Path, where: str) -> None:
    """Refuse, before any notebook runs, a ``rules`` file that is missing or not a boilerplate rules file."""
    from framing.backends.study import _rules_path

    for rules in dict.fromkeys(p.get("rules") for _, p in full if p.get("rules")):
        try:
            _rules_path(rules, base)
        except ParameterError as exc:
            users = [nb.stem for nb, p in full if p.get("rules") == rules]
            raise ParameterError(f"{where + ': ' if where else ''}{exc} ({', '.join(users)})") from None


def _check_frame_models(full: Sequence[tuple[Path, Mapping[str, Any]]], base: Path, where: str) -> None:
    """Refuse, before any notebook runs, a ``frame_model`` that cannot label with a notebook's other parameters."""
    from framing.errors import FramingError
    from framing.nbtools import check_frame_model
    from framing.paths import project_resource

    for nb, p in full:
        if not p.get("frame_model"):
            continue
        resolved = {k: project_resource(p[k], root=base) for k in ("frame_model", "case") if k in p}  # as setup does
        try:
            check_frame_model({**p, **resolved})
        except FramingError as exc:
            raise ParameterError(f"{where + ': ' if where else ''}parameter 'frame_model' ({nb.stem}): {exc}") from None


def _same_path(a: str, b: str, base: Path) -> bool:
    """Whether two path parameters (relative to the project root ``base``) name the same file or folder."""
    pa, pb = (Path(x) if Path(x).is_absolute() else base / x for x in (a, b))
    return pa.resolve() == pb.resolve()
