"""Person names: what a name is, written once for every part of the package that finds one.

Speaker attribution (:mod:`framing.attribution`), the coder rule's persons (:mod:`framing.framerules`) and the
case-file draft (:mod:`framing.case_draft`) all look for person names in running text. They share this grammar
(``re`` pattern pieces, Unicode-aware; docs/attribution.md, "What a name is"):

* a **name word** opens with a capital letter of the Latin script (A-Z and the accented capitals: Ł, Ó, Ž, É ...)
  and goes on with lower-case letters (Zoë, Renée, Łukasz, Súilleabháin). It may have a prefix joined to it: an
  apostrophe after one capital (O'Sullivan, O’Sullivan, D'Arcy: straight or curly) or Mc, Mac, Fitz before a
  capital (McAleese, MacDonald, FitzGerald); and hyphenated parts (Jean-Luc, Smith-Jones). A possessive is
  no part of it (Ferguson's: Ferguson).
* a **particle** stands before a surname as a word of its own: the Irish Ó, O, Ní, Nic, Mac, Mhic, Uí, Ua (Seán Ó
  Súilleabháin, Siobhán Ní Bhriain) and lower-case particles (de, van, von, der, den, da, di, du, del, della, le,
  la, dos, das, ter, ten, bin, ibn: Ursula von der Leyen).
* a **surname** is a name word with the particles before it (Ó Súilleabháin, van der Leyen, Kowalski); a **full
  name** one or two name words and a surname (Seán Ó Súilleabháin, Mary McAleese).

The classes of capitals and lower-case letters are built from :meth:`str.isupper` and :meth:`str.islower` over
the Latin blocks (Basic Latin to Latin Extended-B, Latin Extended Additional), so a name in another script is not
taken for one (nor is a capital of another script the start of one).
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["FIRST_CHAR", "LOWER", "NAME_PARTS", "NAME_WORD", "PARTICLE", "UPPER", "WORD_SEP", "full_name", "split_name",
           "surname"]

_LATIN_BLOCKS = ((0x41, 0x24F), (0x1E00, 0x1EFF))


def _char_class(keep: Callable[[str], bool]) -> str:
    """Return a ``re`` character class (with brackets) of the letters of the Latin blocks that ``keep`` accepts."""
    codes = [c for lo, hi in _LATIN_BLOCKS for c in range(lo, hi + 1) if chr(c).isalpha() and keep(chr(c))]
    ranges: list[tuple[int, int]] = []
    for c in codes:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1] = (ranges[-1][0], c)
        else:
            ranges.append((c, c))
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return f"[{body}]"


UPPER = _char_class(str.isupper)
"""A capital letter of the Latin script (A-Z, À-Þ, Ł, Ó, Ž, Ḥ ...): a ``re`` character class."""
LOWER = _char_class(str.islower)
"""A lower-case letter of the Latin script (a-z, ß, à-ÿ, ł, ž ...): a ``re`` character class."""
FIRST_CHAR = UPPER
"""The characters a name word opens with (for :func:`framing.rowscan.fast_pattern`'s quick first-character scan)."""

_APOSTROPHE = "['\u2019]"
NAME_WORD = (rf"(?:{UPPER}{_APOSTROPHE}|Ma?c(?={UPPER})|Fitz(?={UPPER}))?{UPPER}{LOWER}+"
             rf"(?:-{UPPER}?{LOWER}+)*")
"""One capitalised word of a name (Zoë, Łukasz, O'Sullivan, O’Sullivan, McAleese, Jean-Luc, Smith-Jones)."""

_PARTICLES_UPPER = ("Ó", "O", "Ní", "Nic", "Mac", "Mhic", "Uí", "Ua")
_PARTICLES_LOWER = ("de", "van", "von", "der", "den", "da", "di", "du", "del", "della", "le", "la", "dos", "das",
                    "ter", "ten", "bin", "ibn")
PARTICLE = "(?:" + "|".join(sorted(_PARTICLES_UPPER + _PARTICLES_LOWER, key=len, reverse=True)) + ")"
"""A particle standing before a surname as a word of its own (Ó, Ní, Mac, de, van, von der ...)."""


WORD_SEP = r"[^\S\n]*(?:\n[^\S\n]*)?(?<=\s)"
"""What stands between the words of a name: whitespace holding at most one line break (a name may be wrapped onto
the next line, never run on over a blank line into the next paragraph: "Howard" of a headline is no given name of
the "Tony Blair" opening the text)."""


def surname(sep: str = WORD_SEP) -> str:
    """Return the pattern of a surname: a name word after at most two particles, words apart by ``sep``."""
    return rf"(?:{PARTICLE}{sep}(?:{PARTICLE}{sep})?)?{NAME_WORD}"


def full_name(sep: str = WORD_SEP, given: str = "{1,2}") -> str:
    """Return the pattern of a full name: ``given`` name words (a repeat, ``{1,2}``) and a surname, apart by ``sep``.

    ``sep`` is what stands between words (:data:`WORD_SEP`; the coder rule's keeps a name on one line).
    """
    return rf"(?:{NAME_WORD}{sep}){given}{surname(sep)}"


NAME_PARTS = re.compile(rf"^(?:(?P<given>.*?)\s+)??(?P<surname>(?:{PARTICLE}\s+){{0,2}}\S+)$")
"""A name without titles (whitespace made single spaces) as its given names (group ``given``, missing when there are
none) and its surname with the particles before it (``surname``): :func:`split_name`, and its vectorised use
(``Series.str.extract``)."""


def split_name(name: str) -> tuple[str, str]:
    """Split a name (without titles) into its given names and its surname with its particles.

    ``"Seán Ó Súilleabháin"`` -> ``("Seán", "Ó Súilleabháin")``; ``"Ó Súilleabháin"`` -> ``("", "Ó
    Súilleabháin")``; ``"Ursula von der Leyen"`` -> ``("Ursula", "von der Leyen")``; a name of one word is a
    surname. Whitespace inside the name becomes one space.
    """
    m = NAME_PARTS.match(" ".join(name.split()))
    if m is None:  # an empty name
        return "", ""
    return m.group("given") or "", m.group("surname")
