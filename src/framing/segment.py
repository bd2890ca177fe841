"""Paragraphs, sentences and tokens with character offsets into the raw text.

Everything here is a pure function of a text (and, for paragraphs, of a mask of removed boilerplate),
built from NLTK pieces that need no downloaded data:

* **paragraphs** are lines (``mode="line"``), or blocks separated by blank lines (``mode="blank"``);
  ``"auto"`` chooses ``"blank"`` for hard-wrapped text (blank lines present and a median line length
  under 90 characters) and ``"line"`` otherwise. A line that starts with a list bullet (``– • - *``) always
  starts a new paragraph.
* **sentences** come from NLTK's Punkt tokenizer with its default parameters plus a list of English
  abbreviations (``Mr``, ``Ms``, ``Dr``, ``St``, ...), applied within each paragraph, so headings and
  list items without final punctuation are sentences of their own. A closing quotation mark or bracket
  that Punkt leaves at the start of the next sentence is moved back to the sentence it closes.
* **tokens** match :data:`TOKEN_PATTERN` (letters and digits, with internal apostrophes and hyphens);
  their normal form is lower-cased with curly apostrophes unified (``children’s`` -> ``children's``).

Offsets are half-open ``(start, end)`` spans into the text passed in: ``text[start:end]`` is the unit.

These functions define the segmentation, one text and one paragraph at a time. Corpora are segmented by
:func:`framing.segvec.segment_texts`, which gives the same spans for many texts at once without Python loops
over lines or sentences (a test compares the two on the seeds, BBC News and generated texts).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

from framing.errors import ParameterError
from framing.types import Span

if TYPE_CHECKING:  # NLTK is imported when a text is first split (importing it costs about a second)
    from nltk.tokenize.punkt import PunktSentenceTokenizer

__all__ = [
    "ABBREVIATIONS",
    "APOSTROPHES",
    "TOKEN_PATTERN",
    "ParagraphMode",
    "count_tokens",
    "is_heading",
    "normalize",
    "split_paragraphs",
    "split_sentences",
    "tokenize",
]

ParagraphMode = Literal["auto", "line", "blank"]

APOSTROPHES = "\u2019\u2018\u02bc\u2032`"
"""Characters unified to the straight apostrophe ``'`` in token normal forms."""

TOKEN_PATTERN = r"[^\W_]+(?:['\u2019\u2018\u02bc][^\W_]+|[-\u2010\u2011][^\W_]+)*"
"""A token: letters/digits, with internal apostrophes (``children's``) and hyphens (``co-ordination``)."""

_TOKEN_RE = re.compile(TOKEN_PATTERN)
_APOS_TABLE = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))

ABBREVIATIONS: frozenset[str] = frozenset(
    (
        "mr mrs ms dr prof st rev hon gen col lt sgt capt cllr sir jr sr messrs mme mlle vs etc e.g i.e cf "
        "al approx dept fig inc ltd corp plc govt jan feb mar apr jun jul aug sep sept oct nov dec "
        "u.s u.k u.n e.u a.m p.m"
    ).split()
)
"""Abbreviations (lower case, without the final full stop) that do not end a sentence."""

_BULLET_RE = re.compile(r"^[ \t]*(?:[\u2013\u2014\u2022\u25cf\u25aa\u00b7*-]|\d{1,2}[.)])[ \t]+")
_CLOSERS = "\"'\u201d\u2019\u00bb)]}"
_LEADING_CLOSERS_RE = re.compile(rf"^[{re.escape(_CLOSERS)}]+(?=\s|$)")
_FINAL_PUNCT = ".!?:;\u2026\"'\u201d\u2019)"


def normalize(text: str) -> str:
    """Lower-case ``text`` and unify curly apostrophes to ``'`` (the token normal form)."""
    return text.translate(_APOS_TABLE).lower()


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """Return ``(start, end, norm)`` for every token of ``text`` (see :data:`TOKEN_PATTERN`)."""
    return [(m.start(), m.end(), normalize(m.group())) for m in _TOKEN_RE.finditer(text)]


def count_tokens(text: str) -> int:
    """Return the number of tokens in ``text`` (the same tokens as :func:`tokenize`)."""
    return sum(1 for _ in _TOKEN_RE.finditer(text))


def _line_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        spans.append((pos, pos + len(line.rstrip("\r\n"))))
        pos += len(line)
    return spans


def _strip(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _choose_mode(text: str, lines: list[Span]) -> Literal["line", "blank"]:
    lengths = [e - s for s, e in lines if text[s:e].strip()]
    has_blank = any(not text[s:e].strip() for s, e in lines)
    if has_blank and lengths and statistics.median(lengths) < 90:
        return "blank"
    return "line"


def split_paragraphs(text: str, mode: ParagraphMode = "auto") -> list[Span]:
    """Split ``text`` into paragraph spans (stripped of surrounding white space).

    Parameters
    ----------
    text : str
        The text; boilerplate already masked out (replaced by newlines) if cleaning applies.
    mode : {"auto", "line", "blank"}
        ``"line"``: every non-empty line is a paragraph. ``"blank"``: blocks separated by blank lines
        (a bulleted line starts a new block). ``"auto"``: see the module docstring.
    """
    if mode not in ("auto", "line", "blank"):
        raise ParameterError(f"paragraph mode must be 'auto', 'line' or 'blank', got {mode!r}")
    lines = _line_spans(text)
    if mode == "auto":
        mode = _choose_mode(text, lines)
    out: list[Span] = []
    if mode == "line":
        for s, e in lines:
            span = _strip(text, s, e)
            if span:
                out.append(span)
        return out
    block: list[Span] = []

    def flush() -> None:
        if block:
            span = _strip(text, block[0][0], block[-1][1])
            if span:
                out.append(span)
            block.clear()

    for s, e in lines:
        line = text[s:e]
        if not line.strip():
            flush()
            continue
        if block and _BULLET_RE.match(line):
            flush()
        block.append((s, e))
    flush()
    return out


@lru_cache(maxsize=1)
def _punkt() -> PunktSentenceTokenizer:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Split ``text[start:end]`` (one paragraph) into sentence spans with offsets into ``text``.

    Lines inside the span are not sentence boundaries by themselves (a paragraph in ``"blank"`` mode
    may be hard-wrapped); use :func:`split_paragraphs` first so that headings and list items stand alone.
    """
    stop = len(text) if end is None else end
    chunk = text[start:stop]
    raw = list(_punkt().span_tokenize(chunk))
    spans: list[list[int]] = []
    for s, e in raw:
        piece = chunk[s:e]
        moved = _LEADING_CLOSERS_RE.match(piece)
        if moved and spans:
            spans[-1][1] = s + moved.end()
            s += moved.end()
        stripped = _strip(chunk, s, e)
        if stripped:
            spans.append([stripped[0], stripped[1]])
    return [(start + s, start + e) for s, e in spans]


def is_heading(paragraph: str, n_sentences: int) -> bool:
    """Whether a paragraph reads as a heading: one short sentence without final punctuation, no bullet."""
    p = paragraph.strip()
    return (
        n_sentences == 1
        and 0 < len(p) <= 120
        and p[-1] not in _FINAL_PUNCT
        and not _BULLET_RE.match(p)
    )


def iter_sentence_spans(text: str, mode: ParagraphMode = "auto") -> Iterable[tuple[int, Span, list[Span]]]:
    """Yield ``(para_id, paragraph_span, sentence_spans)`` for every paragraph of ``text``."""
    for para_id, (ps, pe) in enumerate(split_paragraphs(text, mode)):
        yield para_id, (ps, pe), split_sentences(text, ps, pe)
