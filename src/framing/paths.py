"""Where things live: the project root, raw and processed data, reports, configuration.

The root is, in order: the ``FRAMING_ROOT`` environment variable, the nearest parent of the current
directory holding ``config/study.yaml``, or the current directory. All other paths derive from it,
so a test or a batch run can point the whole study elsewhere by passing ``root``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from framing.types import PathLike

__all__ = ["PACKAGE_DIR", "ProjectPaths", "find_root", "project_paths"]

PACKAGE_DIR = Path(__file__).resolve().parent
"""The installed package directory (shipped lexicons, rules, plotting style)."""


def find_root(start: PathLike | None = None) -> Path:
    """Return the project root (see module docstring)."""
    env = os.environ.get("FRAMING_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(start if start is not None else Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "config" / "study.yaml").is_file():
            return candidate
    return here


@dataclass(frozen=True)
class ProjectPaths:
    """The study's directories, all derived from one root."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config"

    @property
    def study_config(self) -> Path:
        return self.config / "study.yaml"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def raw(self) -> Path:
        return self.data / "raw"

    @property
    def processed(self) -> Path:
        return self.data / "processed"

    @property
    def validation(self) -> Path:
        return self.data / "validation"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def figures(self) -> Path:
        return self.reports / "figures"

    @property
    def tables(self) -> Path:
        return self.reports / "tables"

    @property
    def lexicons(self) -> Path:
        """Shipped lexicons (inside the package, so they install with it)."""
        return PACKAGE_DIR / "lexicons"


def project_paths(root: PathLike | None = None) -> ProjectPaths:
    """Return the :class:`ProjectPaths` for ``root`` (default: :func:`find_root`)."""
    return ProjectPaths(Path(root).resolve() if root is not None else find_root())
