"""Merging lexicons: a case-independent lexicon plus the entries of a case file."""

from __future__ import annotations

from dataclasses import replace

from framing.errors import LexiconError
from framing.lexicon import Entry, Lexicon, pattern_variants

__all__ = ["merge_lexicons"]


def merge_lexicons(*lexicons: Lexicon, name: str | None = None) -> Lexicon:
    """Merge lexicons into one; on a duplicate, the entry of the later lexicon wins.

    Two entries are duplicates when they share a normalised form (:func:`framing.lexicon.pattern_variants`:
    ``Children’s services`` and ``children's services`` are the same pattern), whatever their categories:
    the later lexicon's entry replaces the earlier one (so a case file can move ``director`` from one actor
    to another). Categories keep the order of their first appearance; entries keep file order, earlier
    lexicons first.

    Parameters
    ----------
    *lexicons : Lexicon
        At least one lexicon.
    name : str, optional
        Name of the merged lexicon (default: the names joined with ``+``).

    Raises
    ------
    LexiconError
        When no lexicon is given.
    """
    if not lexicons:
        raise LexiconError("merge_lexicons needs at least one lexicon")
    taken: set[str] = set()
    kept: list[list[Entry]] = []
    for lex in reversed(lexicons):
        keep: list[Entry] = []
        for e in lex.entries:
            variants = pattern_variants(e.pattern)
            if not taken.intersection(variants):
                keep.append(e)
        for e in keep:
            taken.update(pattern_variants(e.pattern))
        kept.append(keep)
    entries = tuple(e for part in reversed(kept) for e in part)
    categories = tuple(dict.fromkeys(c for lex in lexicons for c in lex.categories))
    descriptions = tuple(dict(d for lex in lexicons for d in lex.category_descriptions).items())
    first = lexicons[0]
    return replace(
        first, name=name or "+".join(lex.name for lex in lexicons),
        version="+".join(lex.version for lex in lexicons), categories=categories, entries=entries,
        description="; ".join(lex.description for lex in lexicons if lex.description), source=None,
        category_descriptions=descriptions,
    )
