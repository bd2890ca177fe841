"""A frozen copy of the segmentation as it was before the vectorised path (framing 0.x, PROCESSING_VERSION 2).

``tests/test_segvec.py`` compares :func:`framing.segvec.segment_texts` and :func:`framing.corpus.process_corpus`
with this copy, which calls NLTK's Punkt paragraph by paragraph exactly as the toolkit used to. Do not edit it
to make a test pass: it is the independent restatement of what the seeds' sentences and offsets are.
"""

from __future__ import annotations

import re
import statistics
from functools import lru_cache

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

Span = tuple[int, int]

TOKEN_PATTERN = r"[^\W_]+(?:['\u2019\u2018\u02bc][^\W_]+|[-\u2010\u2011][^\W_]+)*"
_TOKEN_RE = re.compile(TOKEN_PATTERN)
ABBREVIATIONS = frozenset(
    (
        "mr mrs ms dr prof st rev hon gen col lt sgt capt cllr sir jr sr messrs mme mlle vs etc e.g i.e cf "
        "al approx dept fig inc ltd corp plc govt jan feb mar apr jun jul aug sep sept oct nov dec "
        "u.s u.k u.n e.u a.m p.m"
    ).split()
)
_BULLET_RE = re.compile(r"^[ \t]*(?:[\u2013\u2014\u2022\u25cf\u25aa\u00b7*-]|\d{1,2}[.)])[ \t]+")
_CLOSERS = "\"'\u201d\u2019\u00bb)]}"
_LEADING_CLOSERS_RE = re.compile(rf"^[{re.escape(_CLOSERS)}]+(?=\s|$)")
_FINAL_PUNCT = ".!?:;\u2026\"'\u201d\u2019)"


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


def _choose_mode(text: str, lines: list[Span]) -> str:
    lengths = [e - s for s, e in lines if text[s:e].strip()]
    has_blank = any(not text[s:e].strip() for s, e in lines)
    if has_blank and lengths and statistics.median(lengths) < 90:
        return "blank"
    return "line"


def split_paragraphs(text: str, mode: str = "auto") -> list[Span]:
    """Split ``text`` into paragraph spans (stripped of surrounding white space).

    Parameters
    ----------
    text : str
        The text; boilerplate already masked out (replaced by newlines) if cleaning applies.
    mode : {"auto", "line", "blank"}
        ``"line"``: every non-empty line is a paragraph. ``"blank"``: blocks separated by blank lines
        (a bulleted line starts a new block). ``"auto"``: see the module docstring.
    """
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


def iter_sentence_spans(text: str, mode: str = "auto") -> list[tuple[int, Span, list[Span]]]:
    """``(para_id, paragraph_span, sentence_spans)`` for every paragraph of ``text``."""
    return [(para_id, (ps, pe), split_sentences(text, ps, pe))
            for para_id, (ps, pe) in enumerate(split_paragraphs(text, mode))]
