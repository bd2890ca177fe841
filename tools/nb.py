"""Write a notebook from a list of (kind, source) cells: no outputs, python3 kernelspec, a tagged
parameters cell. Used by the notebook builders in tools/; the stored .ipynb is the source of truth."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def write_notebook(path: str | Path, cells: list[tuple[str, str]]) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python", "pygments_lexer": "ipython3"},
    }
    for kind, source in cells:
        src = source.strip("\n")
        if kind == "md":
            cell = nbformat.v4.new_markdown_cell(src)
        else:
            cell = nbformat.v4.new_code_cell(src)
            if kind == "parameters":
                cell.metadata["tags"] = ["parameters"]
        cell.pop("id", None)
        nb.cells.append(cell)
    nb.nbformat, nb.nbformat_minor = 4, 4
    nbformat.validate(nb)
    Path(path).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    sys.exit("import write_notebook from tools/nb.py")
