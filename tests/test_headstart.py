"""Tests for framing.headstart: later notebooks' costliest results computed ahead, found by the notebook's call."""

from __future__ import annotations

import ast
import inspect
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import RAW, ROOT

from framing import headstart, memo, nbtools, sections, topics
from framing.runner import ParameterSpec, load_study_config, notebook_defaults, notebook_parameters


def _notebook_params(name: str) -> dict[str, object]:
    """The parameters ``framing run`` gives notebook ``name`` of the study (defaults, config, its own)."""
    cfg = load_study_config(root=ROOT)
    (path, own), = [(nb, p) for nb, p in cfg.notebooks if nb.name == name]
    declared = notebook_parameters(path)
    params = {k: v for k, v in cfg.parameters.items() if k in declared} | own
    return notebook_defaults(declared) | params | {"corpus": str(RAW)}


def test_start_does_nothing_for_notebooks_it_does_not_know(tmp_path: Path) -> None:
    assert headstart.start([(tmp_path / "mine.ipynb", {"seed": 1})], tmp_path) is None
    headstart.stop(None)  # and stopping nothing is fine


def test_the_head_start_process_is_stopped_with_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))
    proc = headstart.start([(Path("06_validation.ipynb"), {"coded": []})], tmp_path)
    assert proc is not None
    headstart.stop(proc)
    assert proc.returncode is not None  # ended (finished, or killed by stop)


def test_a_head_start_that_cannot_be_started_leaves_the_notebooks_to_compute(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    def no_process(*_args: object, **_kwargs: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # EAGAIN: no process to spare

    monkeypatch.setattr(subprocess, "Popen", no_process)
    assert headstart.start([(Path("06_validation.ipynb"), {"coded": []})], tmp_path) is None


def test_warmed_topic_refits_are_what_the_notebooks_calls_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))
    params = _notebook_params("03_topic_models.ipynb")
    folder = nbtools.enable_cache()
    assert folder == tmp_path / "data" / "processed" / "cache"
    try:
        headstart.warm_topics(params)
        kept = sorted(p.name for p in folder.glob("*.pickle"))
        for name in ("choose_k", "stability_by_k", "topic_stability"):
            assert any(n.startswith(f"{name}-") for n in kept), name
        # notebook 03's cells, as written there: they find every entry (no new one) ...
        ctx = nbtools.setup(dict(params), style=False, quiet=True)
        p = params
        units = topics.topic_units(ctx.processed, p["unit"])
        choice = sections.choice_of_k(units, model=p["model"], min_df=p["min_df"], max_df=p["max_df"],
                                      case=p["case"], k_min=p["k_min"], k_max=p["k_max"], n_top_terms=p["n_top_terms"],
                                      seeds=p["seeds"], stability_threshold=p["stability_threshold"], seed=p["seed"])
        sections.stability_at_k(units, choice, model=p["model"], min_df=p["min_df"], max_df=p["max_df"],
                                case=p["case"], seeds=p["seeds"], stability_threshold=p["stability_threshold"],
                                seed=p["seed"])
        fit = sections.topics_at_k(ctx.processed, choice, model=p["model"], unit=p["unit"],
                                   n_top_terms=p["n_top_terms"], min_df=p["min_df"], max_df=p["max_df"],
                                   case=p["case"], seed=p["seed"])
        seeded = sections.seeded_topics(units, fit, n_free=p["n_free"], min_df=p["min_df"], max_df=p["max_df"],
                                        case=p["case"], min_retention=p["min_retention"], seeds=p["seeds"],
                                        stability_threshold=p["stability_threshold"], seed=p["seed"])
        assert sorted(p.name for p in folder.glob("*.pickle")) == kept
        assert seeded.n_free == p["n_free"] and seeded.n_units == len(units) - len(fit.estimator.empty_units_)
    finally:
        memo.disable()
    # ... and what they load is what computing gives, restated with the topic functions themselves
    texts = units["text"].tolist()
    template = topics.TopicModel(model=p["model"], min_df=p["min_df"], max_df=p["max_df"],
                                 extra_stop_words=topics.case_stop_words(p["case"]), random_state=p["seed"])
    k_values = range(p["k_min"], p["k_max"] + 1)
    fresh = topics.choose_k(texts, k_values, estimator=template, n_top=p["n_top_terms"], random_state=p["seed"])
    fresh_by_k = topics.stability_by_k(texts, k_values, template, p["seeds"], threshold=p["stability_threshold"])
    pd.testing.assert_frame_equal(choice.selection.table, fresh.table)
    assert choice.best_k == fresh.best_k
    pd.testing.assert_frame_equal(choice.by_k, fresh_by_k)
    assert list(choice.table["k"]) == list(k_values) and "npmi" in choice.table and "mean_stability" in choice.table


def test_the_validation_warmer_keeps_the_notebooks_instrument_validity(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))
    params = _notebook_params("06_validation.ipynb") | {"classifier": False, "n_boot": 20}  # the rule only: quick
    params |= {"coded": [str(ROOT / q) for q in params["coded"]],  # the project's sheets, from the test's root
               "heldout": [str(ROOT / q) for q in params["heldout"]]}
    folder = nbtools.enable_cache()
    assert folder is not None
    try:
        made = headstart.warm(headstart.WARMERS["06_validation.ipynb"], params)
    finally:
        memo.disable()
    assert [p.name.split("-")[0] for p in folder.glob("*.pickle")] == ["instrument_validity"]
    checks = made["checks"]
    assert isinstance(checks, sections.ValidityChecks)
    assert set(checks.result.metrics["method"]) == {"rule"}
    assert len(made["codes"][["doc_id", "sent_id"]].drop_duplicates()) > 0
    # without a coded sheet nothing costly is left (the notebook scores the rule alone on the other sets): the head
    # start stops before it
    assert "checks" not in headstart.warm(headstart.WARMERS["06_validation.ipynb"], params | {"coded": []})


# ---------------------------------------------------------------------------------------------------------------
# The head start repeats each notebook's own call: the same function, the same inputs, the parameters unchanged.

NOTEBOOKS = ROOT / "notebooks"


def _code_cells(path: Path) -> list[str]:
    """The code cells of a notebook after its parameters cell."""
    nb = nbformat.read(str(path), as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])]


def _pairs(node: ast.Assign) -> list[tuple[str, ast.expr]]:
    """``(name, value)`` of each plain name an assignment binds to its own expression (``a, b = x, y`` too)."""
    out: list[tuple[str, ast.expr]] = []
    for target in node.targets:
        if isinstance(target, ast.Name):
            out.append((target.id, node.value))
        elif (isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple)
              and len(target.elts) == len(node.value.elts)):
            out += [(t.id, v) for t, v in zip(target.elts, node.value.elts, strict=True) if isinstance(t, ast.Name)]
    return out


def _resolved_names(node: ast.Assign) -> list[str]:
    """The parameters an assignment rebinds from ``ctx.resolved(...)`` to themselves (names in the same order)."""
    value, target = node.value, node.targets[0]
    if isinstance(value, ast.Subscript) and ast.unparse(value.slice) == "0":
        value, target = value.value, ast.Tuple(elts=[target])
    if not (isinstance(value, ast.Call) and ast.unparse(value.func) == "ctx.resolved" and len(node.targets) == 1):
        return []
    names = [a.value for a in value.args if isinstance(a, ast.Constant)]
    targets = [t.id for t in target.elts if isinstance(t, ast.Name)] if isinstance(target, ast.Tuple) else []
    return names if targets == names else []


def plan_problems(cells: Sequence[str], plan: Sequence[headstart.Section],
                  declared: Mapping[str, ParameterSpec]) -> list[str]:
    """Every way the notebook's ``cells`` compute the sections of ``plan`` otherwise than the head start does."""
    tree = ast.parse("\n\n".join(cells))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    namespace: dict[str, object] = {}
    exec(compile(ast.Module(body=imports, type_ignores=[]), "<notebook imports>", "exec"), namespace)
    assigns = [n for n in ast.walk(tree) if isinstance(n, ast.Assign)]
    stores = Counter(n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
    resolved = Counter(name for a in assigns for name in _resolved_names(a))
    problems: list[str] = []
    known, used = set(declared), set()
    for section in plan:
        func = section.function
        calls = [v for a in assigns for t, v in _pairs(a) if t == section.target and isinstance(v, ast.Call)]
        if len(calls) != 1:
            problems.append(f"{section.target}: assigned from a call {len(calls)} times, not once")
            continue
        call = calls[0]
        try:
            called = eval(compile(ast.Expression(call.func), "<notebook>", "eval"), namespace)
        except Exception as exc:
            called = exc
        if called is not func:
            problems.append(f"{section.target}: calls {ast.unparse(call.func)}, not {section.func}")
        args = [ast.unparse(a) for a in call.args]
        if args != list(section.inputs):
            problems.append(f"{section.target}: inputs {args}, the head start gives {list(section.inputs)}")
        keywords = {k.arg: ast.unparse(k.value) for k in call.keywords}
        expected = {name: name for name in headstart.keyword_parameters(func)}
        if keywords != expected:
            diff = sorted(set(keywords.items()) ^ set(expected.items()), key=str)
            problems.append(f"{section.target}: keywords differ from name=name for each parameter: {diff}")
        problems += [f"{section.target}: {name!r} is no parameter of the notebook"
                     for name in expected if name not in declared]
        problems += [f"{section.target}: input {name!r} is neither a parameter, a source nor an earlier section"
                     for name in section.inputs if name not in known | set(headstart.SOURCES)]
        known.add(section.target)
        used |= set(section.inputs) | set(expected)
    for name in sorted(used):
        if name in headstart.SOURCES:
            expr = headstart.SOURCES[name][0]
            if [ast.unparse(v) for a in assigns for t, v in _pairs(a) if t == name] != [expr] or stores[name] != 1:
                problems.append(f"{name}: not bound once, as {name} = {expr}")
        elif name in declared:
            path_like = name in nbtools.PATH_PARAMETERS + nbtools.RESOURCE_PARAMETERS
            if stores[name] != resolved[name] or resolved[name] != int(path_like):
                problems.append(f"parameter {name!r}: rebound {stores[name]} time(s) in the notebook, "
                                f"{resolved[name]} from ctx.resolved (a path or resource parameter: once)")
        elif stores[name] != 1:
            problems.append(f"{name}: bound {stores[name]} times in the notebook, not once")
    return problems


@pytest.mark.parametrize("name", sorted(headstart.WARMERS))
def test_each_notebook_calls_its_sections_as_the_head_start_does(name: str) -> None:
    path = NOTEBOOKS / name
    problems = plan_problems(_code_cells(path), headstart.WARMERS[name], notebook_parameters(path))
    assert not problems, f"{path}: the notebook and its head start differ:\n  " + "\n  ".join(problems)


def test_every_section_reads_only_notebook_parameters_by_name() -> None:
    for name, plan in headstart.WARMERS.items():
        declared = notebook_parameters(NOTEBOOKS / name)
        for section in plan:
            params = inspect.signature(section.function).parameters
            assert all(params[k].default is inspect.Parameter.empty for k in headstart.keyword_parameters(
                section.function)), f"{section.func}: a section's parameters have no defaults (none is left out)"
            assert set(headstart.keyword_parameters(section.function)) <= set(declared), section.func
    assert headstart.keyword_parameters(sections.choice_of_k) == (
        "model", "min_df", "max_df", "case", "k_min", "k_max", "n_top_terms", "seeds", "stability_threshold", "seed")


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("stability_threshold=stability_threshold, seed=seed)\nk_table",
     "stability_threshold=stability_threshold, seed=seed + 1)\nk_table", "choice: keywords differ"),
    ("seed=seed)\nk_table", ")\nk_table", "choice: keywords differ"),
    ("k_table, k = choice.table", "seeds = seeds[:2]\nk_table, k = choice.table", "parameter 'seeds': rebound 1"),
    ("sections.stability_at_k(units, choice,", "sections.stability_at_k(units[:5], choice,", "stability: inputs"),
    ("fit = sections.topics_at_k(", "fit = topics.fit_topics(", "fit: calls topics.fit_topics"),
    ("units = topics.topic_units(processed, unit)", "units = topics.topic_units(processed, \"sentence\")",
     "units: inputs"),
    ("processed, figures, tables = ctx.processed,", "processed, figures, tables = ctx.processed.subset(),",
     "processed: not bound once"),
])
def test_the_check_sees_a_notebook_that_drifts_from_its_head_start(old: str, new: str, expected: str) -> None:
    path = NOTEBOOKS / "03_topic_models.ipynb"
    cells = _code_cells(path)
    assert sum(old in c for c in cells) == 1, old
    edited = [c.replace(old, new) for c in cells]
    problems = plan_problems(edited, headstart.WARMERS[path.name], notebook_parameters(path))
    assert any(p.startswith(expected) for p in problems), problems


def test_the_check_sees_an_unresolved_path_parameter() -> None:
    path = NOTEBOOKS / "06_validation.ipynb"
    cells = [c.replace('devset, devset_texts, nfc_path, nfc_lexicon = ctx.resolved("devset", "devset_texts", '
                       '"nfc_path", "nfc_lexicon")', 'nfc_path, nfc_lexicon = ctx.resolved("nfc_path", "nfc_lexicon")')
             for c in _code_cells(path)]
    assert cells != _code_cells(path)
    problems = plan_problems(cells, headstart.WARMERS[path.name], notebook_parameters(path))
    assert any(p.startswith("parameter 'devset': rebound 0") for p in problems), problems
