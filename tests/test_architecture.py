"""The import layering of docs/architecture.md, checked on the code: no module imports one from a higher layer.

Every module of ``src/framing`` is parsed (``ast``, nothing is imported), and every ``framing`` import in it,
at module level or inside a function, is resolved to a top-level module name (a subpackage such as
``framing.topics`` counts as ``topics``; ``from framing import NAME`` resolves through the package's lazy
export table). A module missing from :data:`LAYERS` fails the test, so the map and the document stay complete.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "framing"
DOC = ROOT / "docs" / "architecture.md"

LAYER_NAMES: tuple[str, ...] = ("foundation", "text", "dictionaries", "instruments", "presentation", "orchestration")

LAYERS: dict[str, str] = {
    # 1 foundation
    "errors": "foundation",
    "types": "foundation",
    "paths": "foundation",
    "io": "foundation",
    "memo": "foundation",
    # 2 text
    "corpus": "text",
    "clean": "text",
    "segment": "text",
    "segvec": "text",
    "preparation": "text",
    "rawio": "text",
    "_corpus_read": "text",  # corpus's reading of folders and tables, re-exported by corpus
    "_corpus_columns": "text",  # the table's own doc_id/genre columns kept, mixed-type metadata as text
    "names": "text",  # what a person name is (one grammar for attribution, the coder rule and the case draft)
    # 3 dictionaries
    "lexicon": "dictionaries",
    "match": "dictionaries",
    "rowscan": "dictionaries",
    "_rowscan_scan": "dictionaries",  # rowscan's free functions (literal scans, tries), re-exported by rowscan
    "lexicon_write": "dictionaries",
    "lexicon_check": "dictionaries",
    "lexicon_formats": "dictionaries",
    "cases": "dictionaries",
    # 4 instruments
    "scoring": "instruments",
    "_scoring_signature": "instruments",  # which instrument ran (fingerprints, signature), re-exported by scoring
    "_scoring_groups": "instruments",  # document and group scores, bootstrap shares, re-exported by scoring
    "framerules": "instruments",
    "case_draft": "instruments",  # a draft case file from a corpus (persons and organisations named)
    "_framerules_patterns": "instruments",  # the coder rule's compiled patterns and prefilter triggers
    "_framerules_quotes": "instruments",  # the coder rule's quotations continued over sentences
    "_framerules_names": "instruments",  # the coder rule's later mentions of persons by name alone
    "classifier": "instruments",
    "_classifier_data": "instruments",  # the classifier's inputs, feature helpers and document CV (re-exported)
    "_classifier_features": "instruments",  # the classifier's features and the evidence behind its labels
    "_frame_labels": "instruments",  # label_frames: the rule or a learned model (re-exported by classifier)
    "model_files": "instruments",
    "evidence": "instruments",
    "shares": "instruments",
    "topics": "instruments",
    "attribution": "instruments",
    "compare": "instruments",
    "resampling": "instruments",
    "agreement": "instruments",
    "validate": "instruments",  # the former name of agreement, an alias
    "sections": "instruments",  # the notebooks' costly sections, called by the notebook and the head start
    # 5 presentation
    "plots": "presentation",
    "viz": "presentation",
    "report": "presentation",
    # 6 orchestration
    "runner": "orchestration",
    "_runner_params": "orchestration",  # runner's parameters cells, re-exported by runner
    "_run_outputs": "orchestration",  # what a notebook wrote under framing run (its output manifest), for runner
    "pipeline": "orchestration",  # kept for compatibility: re-exports runner and provenance
    "runtime": "orchestration",
    "headstart": "orchestration",
    "provenance": "orchestration",
    "batch": "orchestration",
    "backends": "orchestration",
    "stream": "orchestration",
    "nbtools": "orchestration",
    "_nbtools_text": "presentation",  # the sentences notebooks print from their results (re-exported by nbtools)
    "apidoc": "orchestration",  # docs/api.md generated from framing.__all__
    "progress": "foundation",
    "cli": "orchestration",
    "__main__": "orchestration",
    "__init__": "orchestration",  # the package root re-exports (lazily) names from every layer
}
"""Layer of each top-level module or subpackage of ``framing`` (lower never imports higher)."""

ROOT_METADATA = {"__version__"}
"""Names of the package root that belong to no layer above the foundation (``from framing import __version__``)."""


def _rank(module: str) -> int:
    return LAYER_NAMES.index(LAYERS[module])


def _top_level(path: Path) -> str:
    """Top-level module of ``path``: ``topics/_model.py`` -> ``topics``, ``io.py`` -> ``io``."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def _lazy_exports() -> dict[str, str]:
    """The package root's ``_EXPORTS`` table (``name -> framing.module``), read with ``ast``."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(t, ast.Name) and t.id == "_EXPORTS" for t in targets):
                return {str(k): str(v) for k, v in ast.literal_eval(node.value).items()}  # type: ignore[arg-type]
    raise AssertionError("src/framing/__init__.py has no _EXPORTS table")


def _imports(path: Path, exports: dict[str, str], source: str | None = None) -> list[tuple[int, str, str]]:
    """``(line, statement, imported top-level module)`` for every framing import in ``path`` (or ``source``)."""
    text = path.read_text(encoding="utf-8") if source is None else source
    tree = ast.parse(text, filename=str(path))
    package_parts = path.relative_to(PACKAGE.parent).parent.parts  # ("framing",) or ("framing", "topics")
    found: list[tuple[int, str, str]] = []
    # ``import framing`` binds the package: what is reached through it (``framing.report.build_index``,
    # ``framing.TopicModel``) is imported too; so is a module named to ``importlib.import_module``
    roots = {a.asname or "framing" for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
             if a.name == "framing" or (a.name.startswith("framing.") and a.asname is None)}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in roots
                and node.attr not in ROOT_METADATA and not node.attr.startswith("__")):
            name = exports.get(node.attr, f"framing.{node.attr}")
            found.append((node.lineno, ast.unparse(node), name.split(".")[1]))
            continue
        if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str) and node.args[0].value.startswith("framing.")
                and (ast.unparse(node.func) in ("import_module", "importlib.import_module"))):
            found.append((node.lineno, ast.unparse(node), node.args[0].value.split(".")[1]))
            continue
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package_parts[: len(package_parts) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module == "framing":  # from framing import X: a submodule, a lazy export or metadata
                names = []
                for alias in node.names:
                    if alias.name in ROOT_METADATA:
                        continue
                    names.append(exports.get(alias.name, f"framing.{alias.name}"))
            else:
                names = [module]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "framing" and len(parts) > 1:
                found.append((node.lineno, ast.unparse(node), parts[1]))
    return sorted(found, key=lambda item: item[0])


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_has_a_layer() -> None:
    missing = sorted({_top_level(p) for p in MODULES} - set(LAYERS))
    assert not missing, (
        f"module(s) {missing} of src/framing are not in the layer map: add each to LAYERS in "
        f"tests/test_architecture.py (one of {', '.join(LAYER_NAMES)}) and to docs/architecture.md"
    )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_higher_layer(path: Path) -> None:
    exports = _lazy_exports()
    here = _top_level(path)
    if here not in LAYERS:
        pytest.fail(f"{path.relative_to(ROOT)}: module {here!r} is not in the layer map (see test above)")
    bad = []
    for line, stmt, target in _imports(path, exports):
        if target not in LAYERS:
            bad.append(f"line {line}: `{stmt}` imports {target!r}, which is not in the layer map")
        elif _rank(target) > _rank(here):
            bad.append(
                f"line {line}: `{stmt}` imports {target!r} ({LAYERS[target]}) from {here!r} ({LAYERS[here]})"
            )
    assert not bad, f"{path.relative_to(ROOT)} imports upward:\n  " + "\n  ".join(bad)


def test_the_checker_sees_upward_imports() -> None:
    """The resolver finds plain, from-, function-level, relative and root-package imports."""
    source = (
        "import framing.report\n"
        "from framing.plots import save_figure\n"
        "def f():\n    from framing import cli, __version__, TopicModel\n"
        "from . import _model\nfrom .. import batch\nimport numpy\n"
        "import framing\nframing.report.build_index()\nx = framing.__file__\n"
        "import importlib\nimportlib.import_module('framing.cli')\n"
    )
    as_if = PACKAGE / "topics" / "_example.py"  # never written: the source is parsed as if it lived there
    targets = [t for _, _, t in _imports(as_if, _lazy_exports(), source)]
    assert targets == ["report", "plots", "cli", "topics", "topics", "batch", "report", "cli"]
    assert [t for t in targets if _rank(t) > _rank("topics")] == ["report", "plots", "cli", "batch", "report", "cli"]


def test_architecture_doc_names_every_module() -> None:
    text = DOC.read_text(encoding="utf-8")
    present = sorted({_top_level(p) for p in MODULES} - {"__init__", "__main__"})
    missing = [m for m in present if f"`{m}`" not in text]
    assert not missing, f"docs/architecture.md does not name module(s) {missing} (write them as `name`)"
    for layer in LAYER_NAMES:
        assert layer in text, f"docs/architecture.md does not name the {layer} layer"


# --------------------------------------------------------------------------------------------------
# declared dependencies = imported dependencies

IMPORT_TO_DIST = {
    "sklearn": "scikit-learn", "yaml": "pyyaml", "ahocorasick": "pyahocorasick", "jupyter_client": "jupyter-client",
    "IPython": "ipython",
}
"""Import names whose distribution (the name in pyproject.toml) differs."""

NOT_IMPORTED = {
    "ipykernel": "the kernel papermill and JupyterLab start (a tool, never imported)",
    "jupyterlab": "`make lab` (a tool, never imported)",
    "hyperscan": "imported by name with importlib in framing.match (optional fast matcher)",
}
"""Declared runtime dependencies that no ``import`` statement names, and why they are declared."""


def _declared() -> set[str]:
    import re
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return {re.split(r"[\s\[<>=!~;]", d, maxsplit=1)[0].lower().replace("_", "-") for d in deps}


def _imported() -> set[str]:
    import sys

    names: set[str] = set()
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module.split(".")[0])
    third = names - set(sys.stdlib_module_names) - {"framing", "__future__"}
    return {IMPORT_TO_DIST.get(n, n).lower() for n in third}


def test_every_import_is_declared_and_every_declaration_used() -> None:
    declared, imported = _declared(), _imported()
    assert not imported - declared, f"imported but not in pyproject.toml dependencies: {sorted(imported - declared)}"
    unused = declared - imported - set(NOT_IMPORTED)
    assert not unused, f"declared in pyproject.toml but never imported by src/framing: {sorted(unused)}"
    assert "vadersentiment" not in declared and "bleach" in declared


def test_contributing_names_no_machine_paths() -> None:
    import re

    text = (ROOT / "docs" / "dev" / "CONTRIBUTING.md").read_text(encoding="utf-8")
    found = re.findall(r"(?:(?<![\w.])/(?:work|home|root|Users|tmp|opt|mnt)/\S*|[A-Za-z]:\\\S+)", text)
    assert not found, f"docs/dev/CONTRIBUTING.md names machine paths: {found}"
