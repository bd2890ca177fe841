"""Boilerplate removal with an audit trail.

Rules are data (YAML; the shipped set is ``framing/rules/boilerplate.yaml``): a name, a description and a
Python regular expression. :func:`find_boilerplate` applies them to a raw document and returns the spans to
remove; :func:`mask_spans` blanks those spans out (replacing each character by a newline) so that later
steps keep offsets into the raw text and treat a removed span as a paragraph boundary. Nothing is ever
deleted from the raw text itself; every removal is a row of the ``removed_spans`` table.

Overlapping matches are resolved left to right: the earliest match wins, and on equal starts the longest.
:func:`find_boilerplate_many` gives the same spans for many texts: one scan of all the rules at once over
the joined texts finds the few texts where a rule may match, then one scan per rule over those (rules that need
a text of their own, and texts a match runs across, are scanned one by one).
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from framing.errors import ConfigError
from framing.io import parse_yaml, sha256_bytes
from framing.paths import PACKAGE_DIR
from framing.types import PathLike

__all__ = [
    "DEFAULT_RULES",
    "BoilerplateRule",
    "RemovedSpan",
    "RuleSet",
    "find_boilerplate",
    "find_boilerplate_many",
    "load_rules",
    "mask_spans",
]

DEFAULT_RULES = PACKAGE_DIR / "rules" / "boilerplate.yaml"
"""The shipped boilerplate rules."""

_RULE_KEYS = {"name", "description", "pattern"}


@dataclass(frozen=True)
class BoilerplateRule:
    """One boilerplate rule: a named, documented regular expression."""

    name: str
    pattern: re.Pattern[str]
    description: str = ""


@dataclass(frozen=True)
class RuleSet:
    """An ordered set of rules, with the SHA-256 of the file it came from (for provenance)."""

    rules: tuple[BoilerplateRule, ...]
    source: Path | None = None
    sha256: str = ""


@dataclass(frozen=True)
class RemovedSpan:
    """A span of raw text removed as boilerplate, and the rule that removed it."""

    start: int
    end: int
    rule: str
    text: str


def _line_of(text: str, needle: str) -> int:
    idx = text.find(needle)
    return text.count("\n", 0, idx) + 1 if idx >= 0 else 0


def load_rules(path: PathLike | None = None) -> RuleSet:
    """Load boilerplate rules from a YAML file (default, ``None`` or ``""``: the shipped rules).

    Raises
    ------
    ConfigError
        If the file is not valid YAML, a rule has unknown or missing keys, a duplicate name, or a pattern
        that is not a valid regular expression; the message names the file, line and rule.
    """
    p = Path(path) if path is not None and str(path) != "" else DEFAULT_RULES
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read boilerplate rules ({exc.strerror})") from exc
    text = data.decode("utf-8")
    doc = parse_yaml(text, p)
    if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
        raise ConfigError(f"{p}: expected a mapping with a 'rules' list")
    rules: list[BoilerplateRule] = []
    seen: set[str] = set()
    for i, item in enumerate(doc["rules"], start=1):
        if not isinstance(item, dict):
            raise ConfigError(f"{p}: rule #{i} must be a mapping with name, description, pattern")
        name = str(item.get("name", f"#{i}"))
        line = _line_of(text, f"name: {name}")
        unknown = set(item) - _RULE_KEYS
        if unknown:
            raise ConfigError(f"{p}:{line}: rule {name!r} has unknown key(s) {sorted(unknown)}; "
                              f"allowed: {sorted(_RULE_KEYS)}")
        if "name" not in item or "pattern" not in item:
            raise ConfigError(f"{p}:{line}: rule #{i} needs both 'name' and 'pattern'")
        if name in seen:
            raise ConfigError(f"{p}:{line}: duplicate rule name {name!r}")
        seen.add(name)
        try:
            compiled = re.compile(str(item["pattern"]))
        except re.error as exc:
            raise ConfigError(f"{p}:{line}: rule {name!r} has an invalid pattern: {exc}") from exc
        rules.append(BoilerplateRule(name, compiled, str(item.get("description", "")).strip()))
    return RuleSet(tuple(rules), p, sha256_bytes(data))


def _resolve(text: str, found: list[tuple[int, int, int, str]], offset: int = 0) -> list[RemovedSpan]:
    """Keep the earliest (then longest) of overlapping matches ``(start, -end, rule order, name)``."""
    found.sort()
    out: list[RemovedSpan] = []
    last_end = -1
    for start, neg_end, _, name in found:
        end = -neg_end
        if start >= last_end:
            out.append(RemovedSpan(start - offset, end - offset, name, text[start:end]))
            last_end = end
    return out


def find_boilerplate(text: str, rules: RuleSet) -> list[RemovedSpan]:
    """Return the boilerplate spans of ``text`` (sorted, non-overlapping; empty matches ignored)."""
    found: list[tuple[int, int, int, str]] = []
    for order, rule in enumerate(rules.rules):
        for m in rule.pattern.finditer(text):
            if m.end() > m.start():
                found.append((m.start(), -m.end(), order, rule.name))
    return _resolve(text, found)


_CONTEXT_SENSITIVE = re.compile(r"\\[AZz]|\(\?<?[=!]")
_LEADING_CARET = re.compile(r"(\(\?[aiLmsux]+\))?\^")


def _line_scanner(rule: BoilerplateRule) -> re.Pattern[str] | None:
    """``rule``'s pattern with its leading ``^`` replaced by a newline to search for (much faster).

    Only for multi-line patterns without look-around or string anchors, which then match in a text joined
    with newlines exactly where they match in each text (see :func:`find_boilerplate_many`).
    """
    pattern = rule.pattern
    lead = _LEADING_CARET.match(pattern.pattern)
    if not lead or not pattern.flags & re.MULTILINE or _CONTEXT_SENSITIVE.search(pattern.pattern):
        return None
    try:
        return re.compile((lead.group(1) or "") + "\n(?:" + pattern.pattern[lead.end():] + ")", pattern.flags)
    except re.error:
        return None


def _scan_lines(scanner: re.Pattern[str], joined: str) -> list[tuple[int, int]] | None:
    """Return the spans where the original rule matches in ``joined`` (which starts with a newline).

    ``None`` when the shortcut could differ from a plain scan (a match that is empty or ends just after a
    newline).
    """
    spans: list[tuple[int, int]] = []
    for m in scanner.finditer(joined):
        start, end = m.start() + 1, m.end()
        if end == start or joined[end - 1] == "\n":
            return None
        spans.append((start, end))
    return spans


_UNSAFE_TO_JOIN = re.compile(r"\\[1-9]|\(\?P=|\(\?\(|\(\?>|[*+?}]\+")
"""Back-references, conditionals, atomic groups and possessive quantifiers: a pattern with one (or what looks
like one) is not joined with the others in :func:`_prefilter`."""
_SCOPED_FLAGS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"), (re.ASCII, "a"))


@functools.lru_cache(maxsize=16)
def _prefilter(rules: RuleSet) -> re.Pattern[str] | None:
    """Return all of ``rules``' line scanners (:func:`_line_scanner`) as one alternation.

    The alternation is a newline, then each rule under its own flags; ``None`` when a rule does not fit (no
    line scanner, verbose mode, group references or atomic matching, which a joined pattern could change).

    Where a rule matches at a line start, the alternation matches there too (it tries every rule until one
    matches), unless an earlier match of it runs over that position: so the texts that one scan of it
    touches (:func:`_flagged`) include every text where some rule matches.
    """
    parts = []
    for rule in rules.rules:
        pattern = rule.pattern
        lead = _LEADING_CARET.match(pattern.pattern)
        if (_line_scanner(rule) is None or lead is None or pattern.flags & re.VERBOSE
                or _UNSAFE_TO_JOIN.search(pattern.pattern)):
            return None
        letters = "".join(ch for flag, ch in _SCOPED_FLAGS if pattern.flags & flag)
        parts.append(f"(?{letters}:{pattern.pattern[lead.end():]})")
    try:
        return re.compile("\n(?:" + "|".join(parts) + ")")
    except re.error:  # e.g. the same group name in two rules
        return None


def _flagged(prefilter: re.Pattern[str], joined: str, starts: list[int]) -> list[int]:
    """Return the texts (starting at ``starts`` in ``joined``) that a match of ``prefilter`` touches.

    Every text from the one holding a match's start to the one holding its end (both included).
    """
    spans = [m.span() for m in prefilter.finditer(joined)]
    if not spans:
        return []
    flags = bytearray(len(starts))
    for a, b in spans:
        first = max(bisect.bisect_right(starts, a) - 1, 0)
        last = max(bisect.bisect_right(starts, b) - 1, 0)
        flags[first:last + 1] = b"\x01" * (last + 1 - first)
    return [i for i, f in enumerate(flags) if f]


def find_boilerplate_many(texts: list[str], rules: RuleSet) -> list[list[RemovedSpan]]:
    """:func:`find_boilerplate` for each of ``texts``, with one scan of all the rules at once.

    Then each rule is searched for once over the texts where one may match (:func:`_prefilter`).
    Rules whose pattern starts with ``^`` in multi-line mode (all the shipped rules) search for newlines in
    the texts joined by newlines; a match that runs across two texts sends them to be scanned alone, and a
    rule set the shortcut does not fit is applied text by text.
    """
    scanners = [_line_scanner(rule) for rule in rules.rules]
    if len(texts) < 2 or any(sc is None for sc in scanners):
        return [find_boilerplate(t, rules) for t in texts]
    joined, starts = _joined(texts)
    prefilter = _prefilter(rules)
    if prefilter is not None:
        flagged = _flagged(prefilter, joined, starts)
        if len(flagged) < len(texts):
            out: list[list[RemovedSpan]] = [[] for _ in texts]
            sub = [texts[i] for i in flagged]
            found = _by_rule(sub, rules, scanners, *_joined(sub)) if len(sub) > 1 else [
                find_boilerplate(t, rules) for t in sub]
            for i, spans in zip(flagged, found, strict=True):
                out[i] = spans
            return out
    return _by_rule(texts, rules, scanners, joined, starts)


def _joined(texts: list[str]) -> tuple[str, list[int]]:
    """``texts`` joined by newlines, behind one and followed by one, and where each text starts in it."""
    joined = "\n" + "\n".join(texts) + "\n"
    starts: list[int] = []
    pos = 1
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    return joined, starts


def _by_rule(texts: list[str], rules: RuleSet, scanners: list[re.Pattern[str] | None], joined: str,
             starts: list[int]) -> list[list[RemovedSpan]]:
    """:func:`find_boilerplate_many` with one scan of ``joined`` per rule (its line scanner)."""
    found: dict[int, list[tuple[int, int, int, str]]] = {}
    alone: set[int] = set()
    for order, (rule, scanner) in enumerate(zip(rules.rules, scanners, strict=True)):
        spans = _scan_lines(scanner, joined) if scanner is not None else None
        if spans is None:
            return [find_boilerplate(t, rules) for t in texts]
        for a, b in spans:
            first = bisect.bisect_right(starts, a) - 1
            last = bisect.bisect_right(starts, b - 1) - 1
            if first != last or b > starts[first] + len(texts[first]):
                alone.update(range(first, min(last + 2, len(texts))))
            else:
                found.setdefault(first, []).append((a, -b, order, rule.name))
    return [find_boilerplate(t, rules) if i in alone else _resolve(joined, found.get(i, []), starts[i])
            for i, t in enumerate(texts)]


def mask_spans(text: str, spans: list[RemovedSpan]) -> str:
    """Return ``text`` with each removed span's characters replaced by newlines (offsets preserved)."""
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for span in spans:
        parts.append(text[pos:span.start])
        parts.append("\n" * (span.end - span.start))
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)
