"""``check_lexicon`` finds the same shadowed and cross-category wildcard entries as a plain pairwise
comparison of every entry with every wildcard, without comparing every pair (issue 10)."""

from __future__ import annotations

import numpy as np
import pytest

from framing.lexicon import Entry, Lexicon, check_lexicon, entry_kind, load_lexicon, normalize_pattern


def pairwise(lex: Lexicon) -> list[tuple[str, str, str, str]]:
    """Every (code, category, pattern, wildcard) from comparing each entry with each wildcard."""
    wildcards = [(e.category, normalize_pattern(e.pattern)[:-1], e.pattern) for e in lex.entries
                 if normalize_pattern(e.pattern).endswith("*")]
    out = []
    for e in lex.entries:
        norm = normalize_pattern(e.pattern)
        words = norm.rstrip("*").split(" ")
        for cat, pre, ppat in wildcards:
            if (ppat == e.pattern and cat == e.category) or norm == pre + "*":
                continue
            pw = pre.split(" ")
            if len(pw) == len(words) and words[:-1] == pw[:-1] and words[-1].startswith(pw[-1]):
                if cat == e.category:
                    out.append(("shadowed", e.category, e.pattern, ppat))
                elif " " not in norm:
                    out.append(("cross-wildcard", e.category, e.pattern, ppat))
    return sorted(out)


def found(lex: Lexicon) -> list[tuple[str, str, str, str]]:
    out = []
    for i in check_lexicon(lex):
        if i.code in ("shadowed", "cross-wildcard"):
            out.append((i.code, i.category, i.pattern, i.message.split("'")[1]))
    return sorted(out)


def entry(pattern: str, category: str) -> Entry:
    return Entry(pattern, category, entry_kind(pattern))


def test_hand_worked_shadowing() -> None:
    lex = Lexicon("t", "1", ("a", "b", "c"), tuple(entry(p, c) for p, c in (
        ("resign*", "a"), ("resigned", "a"), ("resignation", "b"), ("re*", "b"),
        ("social work*", "a"), ("social workers", "a"), ("social", "b"),
    )))
    assert found(lex) == sorted([
        ("shadowed", "a", "resigned", "resign*"),         # same category
        ("cross-wildcard", "b", "resignation", "resign*"),  # another category's wildcard
        ("shadowed", "b", "resignation", "re*"),
        ("cross-wildcard", "a", "resigned", "re*"),
        ("cross-wildcard", "a", "resign*", "re*"),
        ("shadowed", "a", "social workers", "social work*"),
    ])
    codes = {(i.code, i.category) for i in check_lexicon(lex)}
    assert ("empty-category", "c") in codes


def random_lexicon(n: int, seed: int) -> Lexicon:
    rng = np.random.default_rng(seed)
    letters = list("abcde")
    entries = []
    for _ in range(n):
        words = ["".join(rng.choice(letters, int(rng.integers(1, 5)))) for _ in range(int(rng.integers(1, 3)))]
        pattern = " ".join(words) + ("*" if rng.random() < 0.3 else "")
        entries.append(entry(pattern, str(rng.choice(["x", "y", "z"]))))
    return Lexicon("r", "1", ("x", "y", "z", "w"), tuple(entries))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_lexicons_agree_with_the_pairwise_comparison(seed: int) -> None:
    lex = random_lexicon(400, seed)
    want = pairwise(lex)
    assert len(want) > 50  # the comparison is not vacuous
    assert found(lex) == want


@pytest.mark.parametrize("name", ["blame_frames", "blame_cues", "actors"])
def test_shipped_lexicons_agree_with_the_pairwise_comparison(name: str) -> None:
    lex = load_lexicon(name)
    assert found(lex) == pairwise(lex)
