"""Checks of a lexicon: duplicates, entries that cannot match, shadowed and cross-category wildcards.

:func:`check_lexicon` (``framing lexicon check FILE``) runs in time linear in the number of entries: each entry
looks up its own prefixes among the wildcards. Re-exported by :mod:`framing.lexicon`.
"""

from __future__ import annotations

from framing.lexicon import Lexicon, LexiconIssue, load_lexicon, normalize_pattern, pattern_variants
from framing.types import PathLike

__all__ = ["check_lexicon"]



def _covers(prefix: str, pattern_norm: str) -> bool:
    """Tell whether wildcard ``prefix`` (normalised, without ``*``) matches the whole of ``pattern_norm``'s last word.

    Every text matching the pattern then also matches the prefix at the same place (used by case-file checks).
    """
    words = pattern_norm.rstrip("*").split(" ")
    pw = prefix.split(" ")
    if len(pw) != len(words):
        return False
    return words[:-1] == pw[:-1] and words[-1].startswith(pw[-1])


def check_lexicon(lexicon: str | PathLike | Lexicon) -> list[LexiconIssue]:
    """Return problems in ``lexicon`` (a Lexicon, shipped name or file): errors first, then warnings.

    Errors: duplicate entries (same normalised pattern twice in a category), entries that cannot match
    (a pattern whose normalised form is empty), exclusions that can never apply (they do not contain the
    entry). Warnings: entries shadowed by a wildcard of the same category (``resigned`` under ``resign*``),
    a word listed under another category's wildcard (LIWC-style tools then count it only once), very short
    wildcards (``a*``, ``co*``), empty categories.
    """
    lexicon = load_lexicon(lexicon)
    issues: list[LexiconIssue] = []
    seen: dict[tuple[str, str], str] = {}
    prefixes: list[tuple[str, str, str]] = []
    for e in lexicon.entries:
        norm = normalize_pattern(e.pattern)
        if e.category not in lexicon.categories:
            issues.append(LexiconIssue("error", "unknown-category", e.category, e.pattern,
                                       "category is not declared by the lexicon"))
        for variant in pattern_variants(e.pattern):
            key = (e.category, variant)
            if key in seen and seen[key] != e.pattern:
                issues.append(LexiconIssue("error", "duplicate", e.category, e.pattern,
                                           f"matches the same text as {seen[key]!r} ({variant!r})"))
                break
            if key in seen:
                issues.append(LexiconIssue("error", "duplicate", e.category, e.pattern, "listed twice"))
                break
        for variant in pattern_variants(e.pattern):
            seen.setdefault((e.category, variant), e.pattern)
        if not norm.rstrip("*").strip():
            issues.append(LexiconIssue("error", "cannot-match", e.category, e.pattern, "empty after normalisation"))
        if norm.endswith("*"):
            prefixes.append((e.category, norm[:-1], e.pattern))
            if len(norm.rstrip("*").split(" ")[-1]) < 3:
                issues.append(LexiconIssue("warning", "short-wildcard", e.category, e.pattern,
                                           "wildcard on fewer than 3 letters matches many unrelated words"))
        for x in e.exclude:
            xn = normalize_pattern(x)
            if not _contains(xn, norm):
                issues.append(LexiconIssue("error", "exclusion-never-applies", e.category, e.pattern,
                                           f"exclusion {x!r} does not contain the entry, so it can never apply"))
    # wildcards by their prefix: an entry is covered by the wildcards whose prefix is a prefix of it ending in
    # its last word (same words before, last word starting with the wildcard's), so each entry looks up
    # only its own prefixes: linear in the number of entries instead of entries x wildcards
    by_prefix: dict[str, list[int]] = {}
    for i, (_, pre, _) in enumerate(prefixes):
        by_prefix.setdefault(pre, []).append(i)
    for e in lexicon.entries:
        norm = normalize_pattern(e.pattern)
        body = norm.rstrip("*")
        last_word = body.rfind(" ") + 1
        found = sorted(i for k in range(last_word, len(body) + 1) for i in by_prefix.get(body[:k], ()))
        for i in found:
            cat, pre, ppat = prefixes[i]
            if ppat == e.pattern and cat == e.category:
                continue
            if norm == pre + "*":  # the same wildcard (in another category: one .dic line, both categories)
                continue
            if cat == e.category:
                issues.append(LexiconIssue("warning", "shadowed", e.category, e.pattern,
                                           f"already matched by wildcard {ppat!r} in the same category"))
            elif " " not in norm:
                issues.append(LexiconIssue(
                    "warning", "cross-wildcard", e.category, e.pattern,
                    f"also matched by wildcard {ppat!r} of {cat!r}: counted in both here, but LIWC-style "
                    "tools that stop at the first wildcard count it only there"))
    used = {e.category for e in lexicon.entries}
    for c in lexicon.categories:
        if c not in used:
            issues.append(LexiconIssue("warning", "empty-category", c, "", "category has no entries"))
    return sorted(issues, key=lambda i: (i.level != "error", i.category, i.pattern, i.code))


def _contains(outer: str, inner: str) -> bool:
    """Tell whether a match of ``outer`` can contain a match of ``inner`` (both normalised)."""
    ow, iw = outer.rstrip("*").split(" "), inner.rstrip("*").split(" ")
    for k in range(len(ow) - len(iw) + 1):
        window = ow[k:k + len(iw)]
        if window[:-1] != iw[:-1]:
            continue
        last_o, last_i = window[-1], iw[-1]
        open_end = outer.endswith("*") and k + len(iw) == len(ow)  # outer's word here may be longer
        if last_o == last_i or (inner.endswith("*") and last_o.startswith(last_i)) \
                or (open_end and last_i.startswith(last_o)):
            return True
    return False
