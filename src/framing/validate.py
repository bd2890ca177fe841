"""Former name of :mod:`framing.agreement`, kept so that ``from framing.validate import ...`` keeps working.

Agreement with coders is not input validation, so the subpackage is :mod:`framing.agreement`; this module
re-exports its public names (the same objects) for code and notebooks written against the old name. New code
imports :mod:`framing.agreement`. The command ``framing validate ...`` keeps its name (a CLI contract).
"""

from __future__ import annotations

from typing import Any

import framing.agreement as _agreement

__all__ = list(_agreement.__all__)


def __getattr__(name: str) -> Any:
    """Return the public name ``name`` of :mod:`framing.agreement`."""
    if name in _agreement.__all__:
        return getattr(_agreement, name)
    raise AttributeError(f"module 'framing.validate' has no attribute {name!r} (see framing.agreement)")


def __dir__() -> list[str]:
    """List the re-exported public names."""
    return sorted(__all__)
