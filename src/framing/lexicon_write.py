"""Writing lexicons in every format, and saying what a format cannot hold.

What each format keeps (everything else is lost, and :func:`write_lexicon` says so entry by entry):

======================  ===========================================================================
own YAML                everything: weights, exclusions, rationales, descriptions, name and version;
                        not a category with no entries (a YAML lexicon needs entries in every category)
quanteda YAML           categories and patterns (not weights, exclusions, rationales, descriptions,
                        version, empty categories)
LIWC ``.dic``           categories (also empty ones) and patterns
LIWC-22 ``.dicx``       categories (also empty ones), patterns and weights
======================  ===========================================================================

Name and version: the foreign formats have none; a file read back is named after its stem (the name the user
chose for the output, so a different name is not reported), and a version other than ``unversioned`` is reported.
An entry listed twice in a category is written once by ``.dic`` and ``.dicx``. Before a file replaces anything,
its text is parsed again as :func:`framing.lexicon.load_lexicon` would read it, so every file written loads.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from framing.errors import LexiconError
from framing.io import atomic_write_text
from framing.lexicon import Entry, Lexicon, LexiconWarning, parse_lexicon_text
from framing.types import PathLike

__all__ = ["FORMATS", "conversion_losses", "write_lexicon"]

FORMATS = ("own", "quanteda", "dic", "dicx")
_KEEPS: dict[str, frozenset[str]] = {
    "own": frozenset({"weight", "exclude", "rationale", "meta", "duplicates", "compound_tail"}),
    "quanteda": frozenset({"duplicates"}),
    "dic": frozenset({"empty"}),
    "dicx": frozenset({"weight", "empty"}),
}
_BY_SUFFIX = {".yaml": "own", ".yml": "own", ".dic": "dic", ".dicx": "dicx", ".csv": "dicx"}


def _number(w: float) -> str:
    """Format a weight as short text that reads back as the same float (``2``, ``0.5``, ``0.123456789``)."""
    short = f"{w:g}"
    return short if float(short) == w else repr(w)


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit - 3] + "...")


def _entry_losses(e: Entry, keeps: frozenset[str]) -> list[str]:
    lost = []
    if e.weight != 1.0 and "weight" not in keeps:
        lost.append(f"weight {_number(e.weight)}")
    if e.exclude and "exclude" not in keeps:
        lost.append(f"exclusion(s) {list(e.exclude)}")
    if e.rationale and "rationale" not in keeps:
        lost.append(f"rationale {_short(e.rationale)}")
    if not e.compound_tail and "compound_tail" not in keeps:
        lost.append("compound_tail false")
    return lost


def _meta_losses(lexicon: Lexicon) -> list[str]:
    lost = []
    if lexicon.version != "unversioned":
        lost.append(f"version {lexicon.version!r}")
    if lexicon.description:
        lost.append(f"description {_short(lexicon.description)}")
    described = [c for c, d in lexicon.category_descriptions if d]
    if described:
        lost.append(f"description(s) of categor{'y' if len(described) == 1 else 'ies'} {described}")
    return lost


def conversion_losses(lexicon: Lexicon, format: str) -> list[str]:
    """List what writing ``lexicon`` in ``format`` loses, one line per entry, category or lexicon attribute.

    Parameters
    ----------
    lexicon : Lexicon
    format : {"own", "quanteda", "dic", "dicx"}

    Returns
    -------
    list of str
        ``CATEGORY: 'pattern': weight 2, exclusion(s) [...], rationale '...'``, ``CATEGORY: category with no
        entries ...``, ``CATEGORY: 'pattern': listed N times, written once``, ``FILE: line N: ':)': cannot
        match words (dropped when read)`` (what the reader of a foreign format dropped, ``Lexicon.dropped``,
        whatever the output format) and ``lexicon: version ...``; empty when nothing is lost.
    """
    if format not in _KEEPS:
        raise LexiconError(f"unknown lexicon format {format!r} (use one of {list(FORMATS)})")
    keeps = _KEEPS[format]
    losses = []
    for e in lexicon.entries:
        lost = _entry_losses(e, keeps)
        if lost:
            losses.append(f"{e.category}: {e.pattern!r}: {', '.join(lost)}")
    if "duplicates" not in keeps:
        counts = Counter((e.category, e.pattern) for e in lexicon.entries)
        losses += [f"{c}: {p!r}: listed {n} times, written once" for (c, p), n in counts.items() if n > 1]
    if "empty" not in keeps:
        used = {e.category for e in lexicon.entries}
        losses += [f"{c}: category with no entries (dropped: a YAML lexicon needs entries in every category)"
                   for c in lexicon.categories if c not in used]
    losses += [f"{lexicon.source or lexicon.name}: {d}" for d in lexicon.dropped]
    if "meta" not in keeps:
        meta = _meta_losses(lexicon)
        if meta:
            losses.append("lexicon: " + ", ".join(meta))
    return losses


def _dump_own_yaml(lex: Lexicon) -> str:
    cats: dict[str, Any] = {}
    for c in lex.categories:
        items: list[Any] = []
        for e in lex.entries:
            if e.category != c:
                continue
            if e.weight == 1.0 and not e.exclude and not e.rationale and e.compound_tail:
                items.append(e.pattern)
            else:
                d: dict[str, Any] = {"pattern": e.pattern}
                if e.weight != 1.0:
                    d["weight"] = e.weight
                if e.exclude:
                    d["exclude"] = list(e.exclude)
                if e.rationale:
                    d["rationale"] = e.rationale
                if not e.compound_tail:
                    d["compound_tail"] = False
                items.append(d)
        block: dict[str, Any] = {}
        if lex.describe(c):
            block["description"] = lex.describe(c)
        block["entries"] = items
        cats[c] = block
    doc: dict[str, Any] = {"name": lex.name, "version": lex.version}
    if lex.description:
        doc["description"] = lex.description
    doc["categories"] = cats
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110)


def _dump_quanteda(lex: Lexicon) -> str:
    doc = {c: [e.pattern for e in lex.entries if e.category == c] for c in lex.categories}
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110)


def _dump_dic(lex: Lexicon) -> str:
    ids = {c: i for i, c in enumerate(lex.categories, start=1)}
    out = ["%", *(f"{i}\t{c}" for c, i in ids.items()), "%"]
    cats_of: dict[str, list[int]] = {}
    for e in lex.entries:
        got = cats_of.setdefault(e.pattern, [])
        if ids[e.category] not in got:
            got.append(ids[e.category])
    out += ["\t".join([p, *(str(i) for i in sorted(cs))]) for p, cs in cats_of.items()]
    return "\n".join(out) + "\n"


def _dump_dicx(lex: Lexicon) -> str:
    weights: dict[str, dict[str, float]] = {}
    for e in lex.entries:
        weights.setdefault(e.pattern, {})[e.category] = e.weight
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["DicTerm", *lex.categories])
    for p, ws in weights.items():
        w.writerow([p, *(("X" if ws[c] == 1.0 else _number(ws[c])) if c in ws else "" for c in lex.categories)])
    return buf.getvalue()


_DUMPERS = {"own": _dump_own_yaml, "quanteda": _dump_quanteda, "dic": _dump_dic, "dicx": _dump_dicx}


def write_lexicon(lexicon: Lexicon, path: PathLike, *, format: str | None = None, strict: bool = False) -> Path:
    """Write ``lexicon`` to ``path`` atomically, saying what the format loses (see the module docstring).

    Parameters are those of :func:`framing.lexicon.save_lexicon`, which calls this function.

    Warns
    -----
    LexiconWarning
        Listing every loss (:func:`conversion_losses`) when ``strict`` is false.

    Raises
    ------
    LexiconError
        For an unknown format, a lossy conversion under ``strict``, or a text that would not load again.
    """
    p = Path(path)
    fmt = format or _BY_SUFFIX.get(p.suffix.lower(), "")
    if fmt not in _DUMPERS:
        raise LexiconError(f"cannot write {p}: unknown format {format or p.suffix!r} "
                           f"(use .yaml, .yml, .dic, .dicx, .csv or format='quanteda')")
    losses = conversion_losses(lexicon, fmt)
    if losses:
        listing = "; ".join(losses)
        if strict:
            raise LexiconError(f"cannot write {p} without losing information ({fmt} format, strict): "
                               f"{len(losses)} loss(es): {listing}. Nothing written; "
                               + ("fix the entries the reader dropped in the source file" if lexicon.dropped
                                  else "write .yaml to keep everything"))
        warnings.warn(f"{p}: the {fmt} format cannot hold everything in lexicon {lexicon.name!r}; "
                      f"{len(losses)} loss(es): {listing}", LexiconWarning, stacklevel=3)
    if "empty" not in _KEEPS[fmt]:
        used = {e.category for e in lexicon.entries}
        lexicon = replace(lexicon, categories=tuple(c for c in lexicon.categories if c in used))
    text = _DUMPERS[fmt](lexicon)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", LexiconWarning)  # skipped entries were reported when read
            parse_lexicon_text(p, text)
    except LexiconError as exc:
        raise LexiconError(f"cannot write {p}: the {fmt} text would not load again ({exc}); nothing written") \
            from None
    return atomic_write_text(p, text)
