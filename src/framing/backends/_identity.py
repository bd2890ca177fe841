"""What code and which lexicons made a partition: recorded in ``manifest.json`` and checked partition by partition.

A worker started from another checkout, or a lexicon edited while a run goes on, would otherwise mix results of
different instruments in one table without a word. The driver computes :func:`code_identity` and the
fingerprints of the lexicons and case it scores with; each partition task computes them again where it runs,
from the very objects it scores with, and returns them; :func:`check_identity` refuses a result made with
anything else.
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
from collections.abc import Mapping
from typing import Any

from framing.errors import PartitionError
from framing.paths import PACKAGE_DIR
from framing.types import DEFAULT_ACTORS_LEXICON, DEFAULT_CUES_LEXICON, DEFAULT_FRAMES_LEXICON

__all__: list[str] = []

FRAME_LEXICONS: dict[str, str] = {"lexicon": DEFAULT_FRAMES_LEXICON, "cues": DEFAULT_CUES_LEXICON}
"""The lexicon options of :func:`framing.scoring.frame_table` and their defaults."""
BLAME_LEXICONS: dict[str, str] = {"actors_lexicon": DEFAULT_ACTORS_LEXICON, "cues_lexicon": DEFAULT_CUES_LEXICON,
                                  "frames_lexicon": DEFAULT_FRAMES_LEXICON}
"""The lexicon options of :func:`framing.attribution.blame_attribution` and their defaults."""


def _git_commit() -> str | None:
    """Return the git commit of the checkout the package runs from, or ``None`` (not a checkout, no git)."""
    try:
        out = subprocess.run(["git", "-C", str(PACKAGE_DIR), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and len(commit) == 40 else None


@functools.lru_cache(maxsize=1)
def code_identity() -> dict[str, str | None]:
    """Return the framing version, the git commit (when known) and a SHA-256 of the package's Python sources.

    The source hash tells two checkouts apart even when the version number is the same (once per process).
    """
    from framing import __version__

    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return {"framing_version": __version__, "git_commit": _git_commit(), "code_sha256": digest.hexdigest()}


def _fingerprint(obj: Any) -> dict[str, str]:
    """Name, version and a SHA-256 of the content of a loaded lexicon or case (not of where it was read)."""
    name, version = str(getattr(obj, "name", "")), str(getattr(obj, "version", ""))
    fields = getattr(obj, "__dataclass_fields__", {})
    content = repr([(k, getattr(obj, k)) for k in fields if k not in ("path", "source", "description")])
    return {"name": name, "version": version, "sha256": hashlib.sha256(content.encode("utf-8")).hexdigest()}


def resolve_instruments(options: Mapping[str, Any] | None, lexicons: Mapping[str, str]
                        ) -> tuple[dict[str, Any] | None, dict[str, dict[str, str]]]:
    """Load the lexicons (and case) of ``options`` once; return the options holding them and their fingerprints.

    ``lexicons`` maps an option to its default; an option given as ``None`` (no cues) stays ``None``. A ``model``
    option (a model file or a shipped model's name) is loaded (reading the case, if any) and fingerprinted by the
    SHA-256 of its file.
    """
    if options is None:
        return None, {}
    from framing.cases import load_case
    from framing.lexicon import Lexicon, load_lexicon

    out = dict(options)
    found: dict[str, dict[str, str]] = {}
    for key, default in lexicons.items():
        source = out.get(key, default)
        if source is None:
            continue
        out[key] = source if isinstance(source, Lexicon) else load_lexicon(source)
        found[key] = _fingerprint(out[key])
    if out.get("case") is not None and not isinstance(out["case"], Lexicon):
        out["case"] = load_case(out["case"])
        found["case"] = _fingerprint(out["case"])
    if out.get("model") is not None:  # a learned model (framing frames --model): labels instead of the rule
        from framing.model_files import load_model, model_digest, model_path

        path = model_path(out["model"])
        model, header = load_model(path)
        out["model"] = model.with_case(out.get("case"))
        found["model"] = {"name": str(options["model"]), "version": str(header.get("framing_version", "")),
                          "sha256": model_digest(path)}
    return out, found


def check_identity(result: Mapping[str, Any], code: Mapping[str, Any], instruments: Mapping[str, Any],
                   where: str) -> None:
    """Refuse a partition result made with other code or other lexicons than the driver's.

    Raises
    ------
    PartitionError
        Naming the partition, what differs and both fingerprints.
    """
    index = result.get("index")
    theirs_code = result.get("code") or {}
    if theirs_code.get("code_sha256") != code.get("code_sha256"):
        raise PartitionError(
            f"{where}: partition {index} was processed by other framing code (a worker started from another "
            f"checkout?): its code {theirs_code.get('framing_version')} sha256 {theirs_code.get('code_sha256')}, "
            f"this run's {code.get('framing_version')} sha256 {code.get('code_sha256')}; restart the workers "
            "from this checkout")
    theirs = result.get("instruments") or {}
    for table, mine in instruments.items():
        for key, ours in mine.items():
            got = (theirs.get(table) or {}).get(key)
            if got != ours:
                got_sha = got.get("sha256") if isinstance(got, dict) else None
                raise PartitionError(
                    f"{where}: partition {index} scored {table} with another {key} than this run: "
                    f"{ours.get('name')} {ours.get('version')} sha256 {ours.get('sha256')} here, sha256 {got_sha} "
                    "in the partition (was the lexicon edited during the run, or do the workers read another "
                    "file?); run again")
