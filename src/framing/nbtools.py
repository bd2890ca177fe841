"""Notebook tools: one setup call per notebook, and stored notebooks without outputs.

:func:`setup` is the one call after a notebook's parameters cell: it resolves the path parameters against
the project root, prepares the processed corpus (or reads what ``framing run --backend stream|dask`` prepared;
restricted to ``genres``), applies the plot style and returns
a :class:`NotebookContext`. :func:`write_notebook`, :func:`strip_outputs` and :func:`has_outputs` keep stored
notebooks free of outputs with a ``python3`` kernelspec.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from framing._nbtools_text import describe_avoidance, describe_blame, describe_frame_shares, no_interval_labels
from framing.errors import ParameterError, normalized_paths
from framing.io import atomic_write_text, check_reports_dir
from framing.paths import processed_name, project_path, project_resource, report_paths, shown_path
from framing.rawio import check_reading_options
from framing.types import READING_DEFAULTS, PathLike, group_label, plural

if TYPE_CHECKING:  # pragma: no cover
    from framing.cases import Case
    from framing.corpus import ProcessedCorpus
    from framing.lexicon import Lexicon

__all__ = [
    "PATH_PARAMETERS",
    "READING_PARAMETERS",
    "RESOURCE_PARAMETERS",
    "NotebookContext",
    "check_frame_model",
    "describe_avoidance",
    "describe_blame",
    "describe_frame_shares",
    "has_outputs",
    "no_interval_labels",
    "outputs_markdown",
    "parameters_markdown",
    "printed_warnings",
    "setup",
    "strip_outputs",
    "write_notebook",
    "write_parameters_doc",
]

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def write_notebook(path: PathLike, cells: list[tuple[str, str]]) -> Path:
    """Write a notebook from ``(kind, source)`` cells; kind is ``md``, ``code`` or ``parameters``.

    The ``parameters`` cell is tagged for papermill; no outputs, no cell ids, a ``python3`` kernelspec.
    """
    import nbformat  # not at module level: a notebook kernel imports nbtools, never needs nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"}}
    for kind, source in cells:
        src = source.strip("\n")
        if kind == "md":
            cell = nbformat.v4.new_markdown_cell(src)
        elif kind in ("code", "parameters"):
            cell = nbformat.v4.new_code_cell(src)
            if kind == "parameters":
                cell.metadata["tags"] = ["parameters"]
        else:
            raise ValueError(f"cell kind must be 'md', 'code' or 'parameters', got {kind!r}")
        cell.pop("id", None)
        nb.cells.append(cell)
    nb.nbformat, nb.nbformat_minor = 4, 4
    nbformat.validate(nb)
    return atomic_write_text(path, nbformat.writes(nb) + "\n")


def has_outputs(path: PathLike) -> bool:
    """Whether any code cell of the notebook at ``path`` has outputs or an execution count."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    return any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code")


def strip_outputs(path: PathLike) -> bool:
    """Remove outputs and execution counts in place (atomically); return whether anything changed."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            cell.outputs, cell.execution_count = [], None
            changed = True
    if changed:
        atomic_write_text(path, nbformat.writes(nb) + "\n")
    return changed


# ------------------------------------------------------------------------------------ notebook setup
PATH_PARAMETERS: tuple[str, ...] = (
    "corpus", "reports_dir", "coded", "devset", "devset_texts", "heldout", "nfc_path", "nfc_lexicon", "rules",
)
"""Notebook parameters that are file or folder paths, resolved against the project root."""

RESOURCE_PARAMETERS: tuple[str, ...] = ("frames_lexicon", "cues_lexicon", "case", "actors_lexicon", "frame_model")
"""Notebook parameters that name a shipped lexicon, case or model, or give a file (resolved when a file)."""

READING_PARAMETERS: tuple[str, ...] = tuple(READING_DEFAULTS)
"""Notebook parameters that say how the corpus is read (:data:`framing.types.READING_DEFAULTS`)."""

_INSTRUMENT: tuple[tuple[str, str], ...] = (
    ("frames_lexicon", "lexicon"), ("cues_lexicon", "cues"), ("case", "case"), ("rule", "rule"),
    ("window", "window"), ("strong_weight", "strong_weight"), ("include_negated", "include_negated"),
)


@dataclass(frozen=True)
class NotebookContext:
    """What every notebook needs after its parameters cell: made by :func:`setup`.

    Attributes
    ----------
    processed : ProcessedCorpus
        The processed corpus (restricted to ``genres`` when the notebook declares that parameter).
    params : dict
        The notebook's parameters, path parameters resolved against the project root.
    figures, tables : Path
        Output folders (``reports_dir/figures``, ``reports_dir/tables``; :class:`framing.paths.ProjectPaths`
        for the default ``reports_dir``).
    genre_order : list of str
        Genres in order of first appearance.
    n_docs : Series
        Documents per genre, in ``genre_order``.
    """

    processed: ProcessedCorpus
    params: dict[str, Any]
    figures: Path
    tables: Path
    genre_order: list[str]
    n_docs: pd.Series
    _in_sample: dict[tuple[str, str, tuple[str, ...]], str] = field(default_factory=dict, init=False, repr=False,
                                                                    compare=False)

    @property
    def reports_dir(self) -> str:
        """The resolved ``reports_dir`` parameter."""
        return str(self.params["reports_dir"])

    @property
    def n_documents(self) -> int:
        """Number of documents in the processed corpus."""
        return len(self.processed.documents)

    @property
    def n_sentences(self) -> int:
        """Number of content sentences in the processed corpus."""
        return len(self.processed.sentences)

    def resolved(self, *names: str) -> tuple[Any, ...]:
        """Return the (resolved) values of the parameters ``names``, in order, to rebind in the notebook."""
        missing = [n for n in names if n not in self.params]
        if missing:
            raise ParameterError(f"setup: the notebook declares no parameter(s) {missing}")
        return tuple(self.params[n] for n in names)

    @property
    def instrument(self) -> dict[str, Any]:
        """Keyword arguments of :func:`framing.scoring.frame_table` from the instrument parameters.

        ``frames_lexicon`` becomes ``lexicon``, ``cues_lexicon`` ``cues``; an empty ``case`` is ``None``.
        """
        out = {arg: self.params[name] for name, arg in _INSTRUMENT if name in self.params}
        if "case" in out:
            out["case"] = out["case"] or None
        return out

    def frames(self, processed: Any = None) -> pd.DataFrame:
        """Label ``processed`` (default: the notebook's corpus) with the study's frame instrument.

        The rule with :attr:`instrument`, or the learned model of the ``frame_model`` parameter (reading
        ``case``) when it is set: :func:`framing.classifier.label_frames`.
        """
        from framing.classifier import label_frames

        corpus = self.processed if processed is None else processed
        return label_frames(corpus, model=self.params.get("frame_model") or None, **self.instrument)

    def counted_lexicons(self) -> tuple[Lexicon, Lexicon | None, Case | None]:
        """Return the frame lexicon, cue lexicon and case the labels of :meth:`frames` count hits with, loaded.

        The instrument parameters' for the rule; a ``frame_model``'s own lexicons and the case it labels with
        (:func:`framing._frame_labels.labelling_lexicons`), so hits shown beside a model's labels are its own.
        """
        from framing._frame_labels import labelling_lexicons

        kw = {k: v for k, v in self.instrument.items() if k in ("lexicon", "cues", "case")}
        return labelling_lexicons(self.params.get("frame_model") or None, **kw)

    @property
    def instrument_note(self) -> str:
        """A caption's closing sentence naming the frame instrument: ``" Instrument: rule coder, case baby_p."``.

        The rule and the case (by its name, :func:`framing.agreement.case_label`), then every instrument
        parameter off the study's default (:data:`framing.types.INSTRUMENT_DEFAULTS`: ``window 8``), so a variant's
        tables say they are one. ``""`` when the notebook declares no instrument parameter.
        """
        from framing.report.status import instrument_label
        from framing.types import INSTRUMENT_DEFAULTS

        params = {n: self.params[n] for n in INSTRUMENT_DEFAULTS if n in self.params}
        if params.get("frame_model") and not params.get("case"):  # a model trained with a case labels with it
            from framing.model_files import read_model_header

            params["case"] = str((read_model_header(params["frame_model"]).get("case") or {}).get("name") or "")
        label = instrument_label(params)
        return f" Instrument: {label}." if label else ""

    def summary(self) -> str:
        """One line: corpus name, documents and content sentences."""
        return f"{self.processed.name}: {self.n_documents} documents, {self.n_sentences} content sentences"

    @property
    def group_label(self) -> str:
        """The name of the grouping: ``genre_label``, else ``genre_col`` (:func:`framing.types.group_label`).

        ``"outlet"`` for ``genre_col="outlet"``; titles, captions, prose and findings use it.
        """
        return group_label(self.params.get("genre_col"), self.params.get("genre_label"))

    @property
    def group_plural(self) -> str:
        """:attr:`group_label` in the plural (``"outlets"``, ``"genres"``)."""
        return plural(self.group_label)

    def documents_by_genre(self) -> str:
        """Documents per genre as words: ``"minister (1), blog (2), news (2)"``."""
        return ", ".join(f"{g} ({int(n)})" for g, n in self.n_docs.items())

    def coded_sheets(self) -> list[Path]:
        """Return the ``coded`` sheets made for this corpus; print why any other sheet is skipped."""
        from framing.agreement import sheets_for_corpus

        coded = self.params.get("coded")
        paths, skipped = sheets_for_corpus([coded] if isinstance(coded, str) else list(coded or []),
                                           self.processed)
        for reason in skipped:
            print("skipped coded sheet:", reason)
        reason = self.model_in_sample(paths)
        if reason:
            from framing.agreement import InSampleWarning

            with printed_warnings():
                warnings.warn(reason, InSampleWarning, stacklevel=2)
        return list(paths)

    def model_in_sample(self, sheets: Sequence[PathLike]) -> str:
        """Say why the ``frame_model`` is in-sample on the coded ``sheets`` (``""``: it is not, or no model labels).

        In-sample when a sheet is one of its training files (by SHA-256) or a coded document holds an article of
        its training sets (:func:`framing.agreement.model_training_documents`): its agreement with the coders,
        and shares corrected with it, are then too good.
        """
        model = self.params.get("frame_model")
        if not model or not sheets:
            return ""
        from framing.model_files import model_digest

        # the overlap reads the model's training sets (a fraction of a second): once per model file and sheets
        key = (str(model), model_digest(model), tuple(map(str, sheets)))
        if key not in self._in_sample:
            from framing.agreement import model_in_sample_reason

            self._in_sample[key] = model_in_sample_reason(str(model), key[2], self.processed.documents)
        return self._in_sample[key]


def _output_dirs(reports_dir: str) -> tuple[Path, Path]:
    """``figures`` and ``tables`` of ``reports_dir`` (:func:`framing.paths.report_paths`)."""
    out = report_paths(reports_dir)
    return out.figures, out.tables


def setup(
    params: Mapping[str, Any], *, style: bool = True, show_issues: bool = True, quiet: bool = False,
    cache: bool = True,
) -> NotebookContext:
    """Prepare a notebook after its parameters cell: paths, processed corpus, plot style.

    Parameters
    ----------
    params : mapping
        The notebook's namespace (``globals()``) or any mapping with its parameters: ``corpus``,
        ``corpus_name``, ``reports_dir``, ``id_col``, ``text_col``, ``genre_col`` are required; ``genres``
        (an empty list keeps every genre), ``on_bad_record`` (``"fail"`` or ``"skip"``, default ``"fail"``) and
        ``safe_ids`` (default ``False``), how the corpus is read (:func:`framing.corpus.load_corpus`), ``rules``
        (a boilerplate rules file, default ``""``: the shipped rules; :func:`framing.clean.load_rules`), the path
        parameters (:data:`PATH_PARAMETERS`) and the lexicon and case parameters (:data:`RESOURCE_PARAMETERS`)
        are used when present.
    style : bool
        Apply the study's plot style (:func:`framing.plots.use_style`) for the rest of the session.
    show_issues : bool
        Print the corpus's loading notes (skipped rows, repaired encodings).
    quiet : bool
        Print nothing (not even the one-line summary).
    cache : bool
        Keep the costliest results (the classifier's cross-validation, the topic refits) in
        ``data/processed/cache/`` under a hash of their inputs and load them on the next identical call
        (:mod:`framing.memo`; ``framing run`` computes them ahead while the earlier notebooks run).

    Returns
    -------
    NotebookContext

    Raises
    ------
    OutputError
        Before the corpus is prepared, when ``reports_dir`` is or holds the project root, ``data/`` or a part of
        it, the source notebooks or the corpus folder, or lies inside one of them
        (:func:`framing.io.check_reports_dir`).
    """
    required = ("corpus", "corpus_name", "reports_dir", "id_col", "text_col", "genre_col")
    missing = [n for n in required if n not in params]
    if missing:
        raise ParameterError(f"setup: missing notebook parameter(s) {missing}")
    resolved: dict[str, Any] = {
        k: v for k, v in params.items() if not k.startswith("_") and isinstance(v, _PARAMETER_TYPES)
    }
    resolved = {**READING_DEFAULTS, **resolved}
    check_reading_options(resolved["on_bad_record"], resolved["safe_ids"])
    for name in PATH_PARAMETERS:
        if name in resolved:
            resolved[name] = project_path(resolved[name])
    resolved["corpus_name"] = _corpus_name(resolved, quiet)
    for name in RESOURCE_PARAMETERS:
        if name in resolved:
            resolved[name] = project_resource(resolved[name])
    _check_values(resolved)
    check_reports_dir(resolved["reports_dir"], corpora=[resolved["corpus"]])  # never over the project's folders
    from framing.plots import use_style

    processed = _prepared(resolved)
    if cache:
        enable_cache()
    if "genres" in resolved:
        processed = processed.subset(genres=resolved["genres"] or None)
    if style:
        use_style()
    genre_order = list(dict.fromkeys(processed.documents["genre"]))
    n_docs = processed.documents["genre"].value_counts().reindex(genre_order)
    figures, tables = _output_dirs(resolved["reports_dir"])
    ctx = NotebookContext(processed, resolved, figures, tables, genre_order, n_docs)
    if not quiet:
        if show_issues:
            for issue in processed.issues:
                print("note:", issue)
        print(ctx.summary())
        by_hand = _by_hand_note(resolved["reports_dir"])
        if by_hand:
            print(by_hand)
    return ctx


def check_frame_model(params: Mapping[str, Any]) -> None:
    """Refuse a ``frame_model`` parameter that cannot label with the other instrument parameters, naming why.

    The model must load (version, lexicons), read the ``case`` (a model trained with another case file refuses
    it) and take the rule's parameters at their defaults (:func:`framing.classifier.check_model_options`).
    ``""`` or no ``frame_model``: nothing to check. ``framing run`` calls it before any notebook runs.
    """
    if not params.get("frame_model"):
        return
    import warnings

    from framing.classifier import check_model_options, load_model

    model, _ = load_model(params["frame_model"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the notebooks warn when they label
        model.with_case(params.get("case") or None)
    names = {name: arg for name, arg in _INSTRUMENT if name in params and arg != "case"}
    check_model_options(params["frame_model"], {arg: params[name] for name, arg in names.items()})


def _check_values(resolved: Mapping[str, Any]) -> None:
    """Refuse a bad value of the shared parameters now, naming it, not cells later after the corpus is prepared.

    The frame rule's (``rule``, ``window``, ``strong_weight``, ``include_negated``), the case file's (it must
    load: ``""`` is none), the intervals' (``n_boot`` >= 0, ``level`` in (0, 1), ``seed`` an integer) and the
    topic models' range of k (``k_min`` >= 2, ``k_max`` >= ``k_min``), each checked by the function that uses
    it, so the message is the same as there.
    """
    from framing.cases import resolve_case
    from framing.resampling import check_level, check_n_boot
    from framing.scoring import _check_rule, _check_switches

    if "rule" in resolved:
        _check_rule(resolved["rule"], resolved.get("window", 10), resolved.get("cues_lexicon") or None,
                    resolved.get("strong_weight", 2.0))
    if "include_negated" in resolved:
        _check_switches(include_negated=resolved["include_negated"])
    if "case" in resolved:
        resolve_case(resolved["case"])
    check_frame_model(resolved)
    if "n_boot" in resolved:
        check_n_boot(resolved["n_boot"], minimum=0)
    if "level" in resolved:
        check_level(resolved["level"])
    seed = resolved.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ParameterError(f"seed must be an integer, got {seed!r}")
    if "k_min" in resolved or "k_max" in resolved:
        from framing.topics import check_k_range

        check_k_range(resolved.get("k_min"), resolved.get("k_max"))


def _by_hand_note(reports_dir: str) -> str | None:
    """Return a note for a notebook run by hand (JupyterLab) into a report ``framing run`` made, else ``None``.

    Under ``framing run`` the kernel knows its output manifest (:data:`framing.io.OUTPUTS_ENV`); by hand it does
    not: what the notebook writes replaces the report's files without any record, so the report's index and
    provenance then describe a run whose outputs are partly this one's.
    """
    from framing.io import OUTPUTS_ENV

    if os.environ.get(OUTPUTS_ENV) or not report_paths(reports_dir).provenance.is_file():
        return None
    return (f"note: run by hand, this notebook writes into {reports_dir}, a report made by framing run: its index "
            "and provenance.json will not know it. To experiment, set reports_dir to another folder (e.g. "
            "\"reports/scratch\"); to refresh the report, use framing run --notebook NAME.")


_PARAMETER_TYPES = (str, int, float, bool, list, tuple, type(None))


def _corpus_name(resolved: Mapping[str, Any], quiet: bool) -> str:
    """Return ``corpus_name``, unless it is the study's ``seeds`` given with another corpus.

    See :func:`framing.paths.processed_name`; a note says which name the corpus gets instead.
    """
    name = processed_name(resolved["corpus"], str(resolved["corpus_name"]))
    if name != resolved["corpus_name"] and not quiet:
        print(f"note: corpus_name {resolved['corpus_name']!r} names the study's own corpus (data/raw); this corpus is "
              f"prepared and reported as {name!r} (set corpus_name, or -p corpus_name=NAME with framing run, to "
              "choose another name)")
    return name


def enable_cache() -> Path | None:
    """Turn on :mod:`framing.memo` in ``data/processed/cache/`` of the project (``None``: not writable, left off)."""
    from framing import memo
    from framing.paths import project_paths

    try:
        return memo.enable(project_paths().processed / "cache")
    except OSError:
        return None


def _prepared(resolved: Mapping[str, Any]) -> ProcessedCorpus:
    """Return what ``framing run --backend stream|dask`` prepared, if current, else prepare the corpus here.

    :func:`framing.backends.load_partitioned_corpus` reads the partitioned tables of ``data/processed/NAME/``
    when their manifest matches the corpus read with the same :data:`READING_PARAMETERS`; otherwise
    :func:`framing.corpus.prepare_corpus` (cached) runs with them.
    """
    from framing.backends import load_partitioned_corpus
    from framing.corpus import prepare_corpus

    options = {"name": resolved["corpus_name"], **{k: resolved[k] for k in READING_PARAMETERS}}
    found = load_partitioned_corpus(resolved["corpus"], **options)
    return found if found is not None else prepare_corpus(resolved["corpus"], **options)


@contextmanager
def printed_warnings(shown: Sequence[PathLike] = ()) -> Iterator[list[warnings.WarningMessage]]:
    """Record every warning of the block and print them after it (the analysis goes on).

    Printed as ``warning (Category): message``, the line ``framing run`` reads back into ``provenance.json``,
    the index's warnings and its closing line (:func:`framing.runtime.notebook_warnings`); a path of ``shown``
    named in a message is printed as :func:`framing.paths.shown_path` shows it (``../shared/...``, not the
    machine's folders). Never silence a cell's warnings instead: they would reach none of those.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught
    for w in caught:
        message = str(w.message)
        for path in shown:  # as given, and as the message shows it (framing.errors.normalized_paths)
            for form in dict.fromkeys((str(path), normalized_paths(str(path)))):
                message = message.replace(form, shown_path(path))
        print(f"warning ({w.category.__name__}): {message}")


# --- the parameter vocabulary, documented from the notebooks ------------------------------------------


def parameters_markdown(notebooks: Sequence[PathLike]) -> str:
    """Document every notebook parameter once: name, type, default, help, and the notebooks declaring it.

    The text of ``docs/parameters.md`` (a test checks the file is current). A name declared with different
    types or defaults in different notebooks is listed once per variant, so a divergence shows.
    """
    from framing.runner import notebook_parameters

    specs = {Path(nb): notebook_parameters(nb) for nb in notebooks}
    variants: dict[str, dict[tuple[str, str, str], list[str]]] = {}
    for nb, declared in specs.items():
        for name, spec in declared.items():
            key = (spec.type_name, spec.default, spec.help)
            variants.setdefault(name, {}).setdefault(key, []).append(nb.stem)
    lines = [
        "# Notebook parameters",
        "",
        "One vocabulary for every notebook and for `config/study.yaml`, generated from the notebooks' `parameters`",
        "cells (regenerate: `python -c \"from framing.nbtools import write_parameters_doc; write_parameters_doc()\"`;",
        "a test checks this file is current). `framing run -p NAME=VALUE` and batch grids give a value to every",
        "notebook that declares NAME; a name no selected notebook declares is refused, and one declared by only some",
        "notebooks is named in a warning with the notebooks that ignore it, unless it belongs to the study's shared",
        "vocabulary (the `parameters` of `config/study.yaml`: `corpus`, `case`, `rule`, `coded` ...), which every",
        "notebook that uses it takes by design. `framing run -p corpus=PATH` without `corpus_name` names a corpus",
        "other than the study's own after PATH (its file or folder name without extensions), never `seeds`; `case` is",
        "loaded and checked before any notebook runs, and the study's case (`baby_p`) applied to a corpus other than",
        "the study's own is a warning that names `-p case=FILE` and `-p case=` (in `framing batch`, for each run that",
        "does not set `case`, naming the run).",
        "",
        "| parameter | type | default | meaning | notebooks |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, found in variants.items():
        for (type_name, default, help_text), where in found.items():
            cells = [f"`{name}`", type_name, f"`{default}`", help_text.replace("|", "\\|"), ", ".join(where)]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def outputs_markdown(notebooks: Sequence[PathLike]) -> str:
    """List what each notebook writes into ``reports/``: its figures and tables, by name (``docs/outputs.md``).

    Read from the notebooks' code (parsed): every ``save_figure(fig, "NAME", ...)`` and ``save_table(x, "NAME",
    ...)`` call with a literal name and every file written by path (``tables / "NAME.csv"``), in order (a test
    checks the file is current).
    """
    import ast
    import json

    lines = [
        "# What each notebook writes",
        "",
        "Which notebook writes which figure and table of `reports/`, generated from the notebooks' code (regenerate:",
        "`python -c \"from framing.nbtools import write_parameters_doc; write_parameters_doc()\"`, which writes this",
        "file beside docs/parameters.md; a test checks it is current). `make report` (or `framing run`) writes them",
        "all; `framing run --notebook NN` one notebook's. A figure is `figures/NAME.pdf`, `.svg`, `.png` (300 dpi),",
        "with `NAME.csv` (its numbers) and `NAME.caption.txt` (what it shows); a table is `tables/NAME.csv` and",
        "`NAME.tex` (booktabs, with its caption). Seeds and bootstrap replicates are notebook parameters",
        "(docs/parameters.md: `seed`, `n_boot`, `level`), so the same parameters give the same files, byte for byte.",
        "",
        "| notebook | figures | tables |",
        "| --- | --- | --- |",
    ]
    for nb in notebooks:
        cells = json.loads(Path(nb).read_text(encoding="utf-8"))["cells"]
        found: dict[str, list[str]] = {"figure": [], "table": []}
        for cell in (c for c in cells if c["cell_type"] == "code"):
            named: list[tuple[ast.expr, str, ast.expr | None]] = []
            for n in ast.walk(ast.parse("".join(cell["source"]))):
                called = getattr(n.func, "attr", getattr(n.func, "id", "")) if isinstance(n, ast.Call) else ""
                if isinstance(n, ast.Call) and called in ("save_figure", "save_table"):
                    named.append((n, called.removeprefix("save_"), n.args[1] if len(n.args) > 1 else None))
                elif isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div) and isinstance(n.left, ast.Name) \
                        and n.left.id in ("tables", "figures"):  # a file written by path: tables / "NAME.csv"
                    named.append((n, n.left.id.removesuffix("s"), n.right))
            for _node, kind, name in sorted(named, key=lambda t: (t[0].lineno, t[0].col_offset)):
                if isinstance(name, ast.Constant) and isinstance(name.value, str):
                    stem = Path(name.value).stem
                    if stem not in found[kind]:
                        found[kind].append(stem)
        lines.append(f"| {Path(nb).stem} | " + " | ".join(", ".join(f"`{n}`" for n in found[k]) or "--"
                                                       for k in ("figure", "table")) + " |")
    return "\n".join(lines) + "\n"


def write_parameters_doc(config: PathLike | None = None, out: PathLike | None = None) -> Path:
    """Write :func:`parameters_markdown` of the study's notebooks to ``docs/parameters.md`` (atomically).

    :func:`outputs_markdown` goes beside it, as ``outputs.md``.
    """
    from framing.paths import find_root
    from framing.runner import load_study_config

    base = find_root()
    cfg = load_study_config(config, root=base)
    target = Path(out) if out is not None else base / "docs" / "parameters.md"
    notebooks = [nb for nb, _ in cfg.notebooks]
    atomic_write_text(target, parameters_markdown(notebooks))
    atomic_write_text(target.with_name("outputs.md"), outputs_markdown(notebooks))
    return target
