"""Reading the foreign lexicon formats: quanteda YAML dictionaries, LIWC ``.dic`` and LIWC-22 ``.dicx``.

:func:`framing.lexicon.load_lexicon` (through :func:`~framing.lexicon.parse_lexicon_text`) chooses the reader
by extension; the writers are in :mod:`framing.lexicon_write`. An entry that cannot match words (``:)``,
``b/c``) is skipped with a :class:`~framing.lexicon.LexiconWarning` naming its lines; unsupported wildcard
syntax (``?``, ``*`` inside a word) is an error naming file and line.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path
from typing import Any

import yaml

from framing.errors import LexiconError
from framing.lexicon import (
    Entry,
    Lexicon,
    LexiconWarning,
    _line,
    _make_entry,
    _mapping,
    _scalar,
    _validate_pattern,
    entry_kind,
)

__all__ = ["parse_dic", "parse_dicx", "parse_quanteda"]


def _foreign_pattern(pattern: Any, where: str, skipped: list[str]) -> str | None:
    """Validate a pattern of a foreign format: wildcard syntax we do not support is an error; an entry made
    of punctuation (emoticons such as ``:)``, ``b/c``) cannot match normalised text and is skipped."""
    try:
        return _validate_pattern(pattern, where)
    except LexiconError:
        text = str(pattern).strip() if isinstance(pattern, str) else ""
        if not text or "?" in text or "*" in text.rstrip("*"):
            raise  # not a string, empty, or wildcard syntax we do not support: the user must know
        skipped.append(f"{where.rsplit(':', 1)[-1]}: {text!r}")
        return None


def _warn_skipped(path: Path, skipped: list[str]) -> tuple[str, ...]:
    """Warn about the entries skipped while reading ``path``; return them as losses (``Lexicon.dropped``)."""
    if skipped:
        shown = "; ".join(skipped[:5]) + (f"; and {len(skipped) - 5} more" if len(skipped) > 5 else "")
        warnings.warn(f"{path}: skipped {len(skipped)} entr{'y' if len(skipped) == 1 else 'ies'} that cannot match "
                      f"words (punctuation only or inside): line {shown}", LexiconWarning, stacklevel=3)
    return tuple(f"line {s}: cannot match words (dropped when read)" for s in skipped)



def parse_quanteda(path: Path, root: yaml.Node) -> Lexicon:
    """Read a quanteda dictionary (a mapping ``category: [patterns]``, nested keys joined with ``.``)."""
    categories: list[str] = []
    entries: list[Entry] = []
    skipped: list[str] = []

    def walk(node: yaml.Node, prefix: str, line: int) -> None:
        if isinstance(node, yaml.SequenceNode):
            if not node.value:
                raise LexiconError(f"{path}:{line}: category {prefix!r} has no entries")
            categories.append(prefix)
            for item in node.value:
                iw = f"{path}:{_line(item)}"
                p = _foreign_pattern(_scalar(item, iw), iw, skipped)
                if p is not None:
                    entries.append(_make_entry(p, prefix, iw))
        elif isinstance(node, yaml.MappingNode):
            for key, v, ln in _mapping(node, f"{path}:{line}"):
                walk(v, f"{prefix}.{key}" if prefix else key, ln)
        else:
            raise LexiconError(f"{path}:{line}: category {prefix!r} must be a list of patterns or a mapping")

    if not isinstance(root, yaml.MappingNode):
        raise LexiconError(f"{path}:{_line(root)}: expected a mapping of categories (own format or quanteda)")
    walk(root, "", _line(root))
    dropped = _warn_skipped(path, skipped)
    if not categories:
        raise LexiconError(f"{path}:1: no categories")
    return Lexicon(path.stem, "unversioned", tuple(categories), tuple(entries), "", path, dropped=dropped)


# --- LIWC .dic and .dicx ----------------------------------------------------------------------------------


def parse_dic(path: Path, text: str) -> Lexicon:
    """Read a classic LIWC ``.dic`` (``%`` header of numbered categories, then ``pattern<TAB>ids`` lines)."""
    lines = text.lstrip("\ufeff").splitlines()
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines) or lines[i].strip() != "%":
        raise LexiconError(f"{path}:{i + 1}: a LIWC .dic file must start with a line holding '%'")
    ids: dict[str, str] = {}
    i += 1
    while True:
        if i >= len(lines):
            raise LexiconError(f"{path}:{i}: the category section is not closed by a '%' line")
        raw = lines[i].strip()
        i += 1
        if not raw:
            continue
        if raw == "%":
            break
        m = re.fullmatch(r"(\d+)\s+(\S.*)", raw)
        if not m:
            raise LexiconError(f"{path}:{i}: bad category line {raw!r} (expected 'NUMBER<TAB>name')")
        cid, cname = m.group(1).lstrip("0") or "0", m.group(2).strip()
        if cid in ids:
            raise LexiconError(f"{path}:{i}: category number {m.group(1)} defined twice")
        if cname in ids.values():
            first = next(k for k, v in ids.items() if v == cname)
            raise LexiconError(f"{path}:{i}: category name {cname!r} defined twice (numbers {first} and {cid}); "
                               "each category needs its own name")
        ids[cid] = cname
    if not ids:
        raise LexiconError(f"{path}:{i}: no categories in the '%' section")
    cats_of: dict[str, list[str]] = {}
    first_line: dict[str, int] = {}
    skipped: list[str] = []
    undefined: list[tuple[int, str, list[str]]] = []
    for j in range(i, len(lines)):
        raw = lines[j].strip()
        if not raw:
            continue
        fields = [f.strip() for f in raw.split("\t") if f.strip()]
        if len(fields) == 1:
            m = re.fullmatch(r"(.+?)((?:\s+\d+)+)", raw)
            if not m:
                raise LexiconError(f"{path}:{j + 1}: bad entry line {raw!r} (expected 'pattern<TAB>category ids')")
            fields = [m.group(1).strip(), *m.group(2).split()]
        pattern, codes = fields[0], fields[1:]
        nums: list[str] = []
        for code in codes:
            for part in code.split():
                if re.fullmatch(r"\d+", part):
                    nums.append(part.lstrip("0") or "0")
                elif re.fullmatch(r"[(<].*", part) or re.fullmatch(r"[\d/)>]+", part) or "(" in part:
                    continue  # LIWC2007 conditional codes such as (02 134)125/464: not supported, skipped
                else:
                    raise LexiconError(f"{path}:{j + 1}: bad category id {part!r} for {pattern!r}")
        if not nums and not codes:
            raise LexiconError(f"{path}:{j + 1}: entry {pattern!r} has no category ids")
        missing = [n for n in nums if n not in ids]
        if missing:
            undefined.append((j + 1, pattern, missing))
            continue
        checked = _foreign_pattern(pattern, f"{path}:{j + 1}", skipped)
        if checked is None:
            continue
        p = checked
        first_line.setdefault(p, j + 1)
        got = cats_of.setdefault(p, [])
        for n in nums:
            if ids[n] not in got:
                got.append(ids[n])
    if undefined:
        every = sorted({n for *_, ns in undefined for n in ns}, key=int)
        listing = "; line ".join(f"{ln}: entry {p!r} refers to undefined categor{'y' if len(ns) == 1 else 'ies'} "
                                 f"{', '.join(ns)}" for ln, p, ns in undefined)
        raise LexiconError(f"{path}:{listing} ({len(every)} undefined category number(s): {', '.join(every)}; "
                           f"the '%' section declares {', '.join(ids)})")
    dropped = _warn_skipped(path, skipped)
    order = list(ids.values())
    entries = [
        Entry(p, c, entry_kind(p)) for c in order for p, cs in cats_of.items() if c in cs
    ]
    return Lexicon(path.stem, "unversioned", tuple(order), tuple(entries), "", path, dropped=dropped)


def _dicx_header(path: Path, header: list[str], line: int) -> list[str]:
    """Check the header row of a LIWC-22 file; return the category names."""
    cells = [c for c in header[1:] if c]
    if cells and all(c.upper() == "X" or re.fullmatch(r"[-+]?\d*\.?\d+", c) for c in cells):
        raise LexiconError(f"{path}:{line}: the first row {header} looks like a data row, not the header "
                           "'DicTerm,Category1,Category2,...' (category names)")
    if len(header) < 2 or any(not c for c in header[1:]):
        raise LexiconError(f"{path}:{line}: header must be 'DicTerm,Category1,Category2,...' with named categories")
    if header[0].lower() != "dicterm":
        warnings.warn(f"{path}:{line}: the header starts with {header[0]!r}, not 'DicTerm' as LIWC-22 writes it; "
                      "the first column is read as the terms", LexiconWarning, stacklevel=4)
    cats = header[1:]
    if len(set(cats)) != len(cats):
        raise LexiconError(f"{path}:{line}: duplicate category column in header {header}")
    return cats


def _warn_rows(path: Path, what: str, lines: list[str]) -> None:
    if lines:
        shown = ", ".join(lines[:10]) + (f" and {len(lines) - 10} more" if len(lines) > 10 else "")
        warnings.warn(f"{path}: {len(lines)} {what}: line {shown}", LexiconWarning, stacklevel=4)


def parse_dicx(path: Path, text: str) -> Lexicon:
    """Read a LIWC-22 ``.dicx``/``.csv`` (terms in the first column, ``X`` or a weight per category column)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    numbered = [(reader.line_num, r) for r in reader if any(c.strip() for c in r)]
    if not numbered:
        raise LexiconError(f"{path}:1: empty LIWC-22 dictionary")
    header = [c.strip() for c in numbered[0][1]]
    cats = _dicx_header(path, header, numbered[0][0])
    found: dict[str, list[tuple[str, float]]] = {c: [] for c in cats}
    seen: set[tuple[str, str]] = set()
    skipped: list[str] = []
    short: list[str] = []
    unmarked: list[str] = []
    for n, row in numbered[1:]:
        if len(row) > len(header):
            raise LexiconError(f"{path}:{n}: {len(row)} fields but the header has {len(header)}")
        if len(row) < len(header):
            short.append(f"{n} ({len(row)} of {len(header)})")
        checked = _foreign_pattern(row[0].strip(), f"{path}:{n}", skipped)
        if checked is None:
            continue
        p = checked
        if not any(cell.strip() for cell in row[1:]):
            unmarked.append(f"{n} {p!r}")
        for c, cell in zip(cats, row[1:], strict=False):
            cell = cell.strip()
            if not cell:
                continue
            if cell.upper() == "X":
                w = 1.0
            else:
                try:
                    w = float(cell)
                except ValueError:
                    raise LexiconError(f"{path}:{n}: cell {cell!r} in column {c!r} is neither X nor a number") from None
            if not w > 0:
                raise LexiconError(f"{path}:{n}: weight {cell!r} of {p!r} in column {c!r} must be a positive number "
                                   "(X for 1; leave the cell empty for no category)")
            if (p, c) not in seen:
                seen.add((p, c))
                found[c].append((p, w))
    dropped = _warn_skipped(path, skipped)
    _warn_rows(path, "row(s) shorter than the header (missing cells read as empty)", short)
    _warn_rows(path, "term(s) marked in no category (never counted)", unmarked)
    dropped += tuple(f"line {u}: term marked in no category (dropped when read)" for u in unmarked)
    entries = [Entry(p, c, entry_kind(p), w) for c in cats for p, w in found[c]]
    return Lexicon(path.stem, "unversioned", tuple(cats), tuple(entries), "", path, dropped=dropped)
