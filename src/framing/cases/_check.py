"""Checking a case file: malformed entries, duplicates and entries that cannot match, by file and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from framing.cases._model import Case, _case_path, _parse, _read
from framing.errors import FramingWarning
from framing.lexicon import Lexicon, load_lexicon, normalize_pattern, pattern_variants
from framing.lexicon_check import _contains, _covers
from framing.types import PathLike

__all__ = ["CaseIssue", "CaseWarning", "check_case", "file_issues"]


@dataclass(frozen=True)
class CaseIssue:
    """A problem found by :func:`check_case`; printed as ``FILE:LINE: level: [code] message``."""

    level: Literal["error", "warning"]
    code: str
    path: Path
    line: int
    pattern: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.level}: [{self.code}] {self.message}"


def _entry_issues(case: Case, path: Path, base: Lexicon | None) -> list[CaseIssue]:
    issues: list[CaseIssue] = []

    def add(level: Literal["error", "warning"], code: str, line: int, pattern: str, msg: str) -> None:
        issues.append(CaseIssue(level, code, path, line, pattern, msg))

    seen: dict[str, int] = {}
    for i, e in enumerate(case.entries):
        norm = normalize_pattern(e.pattern)
        for variant in pattern_variants(e.pattern):
            if variant in seen:
                o = case.entries[seen[variant]]
                same = (o.actor, o.frame) == (e.actor, e.frame)
                how = "listed twice" if o.pattern == e.pattern else f"the same as {o.pattern!r} after normalisation"
                detail = "" if same else (f"; line {o.line} maps it to {o.actor}/{o.frame}, "
                                          f"this one to {e.actor}/{e.frame}")
                add("error", "duplicate", e.line, e.pattern,
                    f"{e.pattern!r} is {how} (line {o.line}){detail}")
                break
        for variant in pattern_variants(e.pattern):
            seen.setdefault(variant, i)
        for x in e.exclude:
            xn = normalize_pattern(x)
            if xn.rstrip("*") == norm.rstrip("*") and (xn.endswith("*") or not norm.endswith("*")):
                add("error", "cannot-match", e.line, e.pattern,
                    f"{e.pattern!r} is excluded by its own exclusion {x!r}: it can never match")
            elif not _contains(xn, norm):
                add("error", "exclusion-never-applies", e.line, e.pattern,
                    f"exclusion {x!r} of {e.pattern!r} does not contain it, so it can never apply")
    prefixes = [(e, normalize_pattern(e.pattern)[:-1]) for e in case.entries if e.pattern.endswith("*")]
    for e in case.entries:
        norm = normalize_pattern(e.pattern)
        for p, pre in prefixes:
            if p is e or norm == pre + "*" or not _covers(pre, norm):
                continue
            if (p.actor, p.frame) == (e.actor, e.frame):
                add("warning", "shadowed", e.line, e.pattern,
                    f"{e.pattern!r} is already matched by the wildcard {p.pattern!r} (line {p.line}) with the same "
                    "actor and frame: the entry adds nothing")
            else:
                add("warning", "also-matched", e.line, e.pattern,
                    f"{e.pattern!r} ({e.actor}/{e.frame}) is also matched by the wildcard {p.pattern!r} (line "
                    f"{p.line}, {p.actor}/{p.frame}): a mention counts for both")
    if base is not None:
        base_of = {v: b for b in base.entries for v in pattern_variants(b.pattern)}
        base_prefixes = [(b, normalize_pattern(b.pattern)[:-1]) for b in base.entries if b.pattern.endswith("*")]
        for e in case.entries:
            b = next((base_of[v] for v in pattern_variants(e.pattern) if v in base_of), None)
            if b is None:
                norm = normalize_pattern(e.pattern)
                w = next((w for w, pre in base_prefixes if _covers(pre, norm)), None)
                if w is not None and w.category == e.actor:
                    add("warning", "in-base", e.line, e.pattern,
                        f"{e.pattern!r} is already matched by {w.pattern!r} of the case-independent {base.name!r} "
                        f"lexicon as {w.category}")
                elif w is not None:
                    add("warning", "also-matched", e.line, e.pattern,
                        f"{e.pattern!r} ({e.actor}) is also matched by {w.pattern!r} of the case-independent "
                        f"{base.name!r} lexicon ({w.category}): a mention counts for both")
                continue
            if b.category == e.actor:
                add("warning", "in-base", e.line, e.pattern,
                    f"{e.pattern!r} is already in the case-independent {base.name!r} lexicon as {b.category}")
            else:
                add("warning", "overrides-base", e.line, e.pattern,
                    f"{e.pattern!r} is {b.category} in the {base.name!r} lexicon; this case makes it {e.actor}")
    return issues


class CaseWarning(FramingWarning):
    """A case file loads but something in it is likely a mistake (as :func:`check_case` warns)."""


def check_case(path: str | PathLike, *, base: str | PathLike | Lexicon | None = "actors") -> list[CaseIssue]:
    """Return the problems of a case file (a path or a shipped name): errors first, then warnings.

    Errors: YAML syntax, unknown keys, missing keys, unknown actor ids or frames, invalid patterns (as
    :func:`load_case` reports them, but all of them), duplicates (the same normalised pattern twice: ``Ed
    Balls`` and ``ed  balls``, ``Children’s`` and ``children's``), entries that cannot match (empty after
    normalisation, excluded by their own exclusion) and exclusions that never apply. Warnings: a case with no
    entries (``entries: []``: it adds nothing), entries shadowed by a wildcard of the same case with the same
    actor and frame, words also matched by a wildcard with another actor or frame, and entries already in (or
    overriding) the ``base`` actor lexicon (``None``: skip that check).
    """
    p = _case_path(path)
    return file_issues(p, _read(p), base=base)[1]


def file_issues(p: Path, text: str, *, base: str | PathLike | Lexicon | None) -> tuple[Case | None, list[CaseIssue]]:
    """Parse the case file ``p`` (its ``text``) and return the case and every issue, sorted as :func:`check_case`.

    :func:`framing.cases.load_case` uses it with ``base=None``: it refuses a file with errors, warns otherwise.
    """
    case, problems = _parse(p, text)
    issues = [CaseIssue("error", pr.code, p, pr.line, "", pr.message) for pr in problems]
    if case is not None:
        issues.extend(_entry_issues(case, p, None if base is None else load_lexicon(base)))
        if not case.entries and not problems:
            issues.append(CaseIssue("warning", "empty", p, 1, "", "the case has no entries: it adds no names to the "
                                    "case-independent lexicons (the same as running without a case, case: \"\")"))
    return case, sorted(issues, key=lambda i: (i.level != "error", i.line, i.code))
