"""Writing and cleaning notebooks: stored notebooks carry no outputs and a ``python3`` kernelspec."""

from __future__ import annotations

from pathlib import Path

import nbformat

from framing.io import atomic_write_text
from framing.types import PathLike

__all__ = ["has_outputs", "strip_outputs", "write_notebook"]

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def write_notebook(path: PathLike, cells: list[tuple[str, str]]) -> Path:
    """Write a notebook from ``(kind, source)`` cells; kind is ``md``, ``code`` or ``parameters``.

    The ``parameters`` cell is tagged for papermill; no outputs, no cell ids, a ``python3`` kernelspec.
    """
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
    nb = nbformat.read(str(path), as_version=4)
    return any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code")


def strip_outputs(path: PathLike) -> bool:
    """Remove outputs and execution counts in place (atomically); return whether anything changed."""
    nb = nbformat.read(str(path), as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count")):
            cell.outputs, cell.execution_count = [], None
            changed = True
    if changed:
        atomic_write_text(path, nbformat.writes(nb) + "\n")
    return changed
