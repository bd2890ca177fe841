"""The README names the shipped lexicons' versions: they must be the versions of the files shipped."""

from __future__ import annotations

import re
from pathlib import Path

from framing.lexicon import load_lexicon

ROOT = Path(__file__).resolve().parents[1]


def test_readme_lexicon_versions_are_the_shipped_ones() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    named = re.findall(r"`(blame_frames|blame_cues|actors)` (\d+(?:\.\d+)+)", text)
    assert {name for name, _ in named} == {"blame_frames", "blame_cues", "actors"}, named
    for name, version in named:
        assert version == str(load_lexicon(name).version), f"README.md says {name} {version}"
