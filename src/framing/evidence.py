"""Evidence for every number: keyword-in-context (KWIC) rows for frames, actors and key terms.

Every count in the report rests on rows here, read from the raw texts by character offsets:

- :func:`frame_evidence`: every frame-lexicon hit in *every* content sentence (not only the sentences
  labelled with the frame), with ``counted`` saying whether the hit is in a sentence carrying that frame
  and is not negated (the hits behind the frame shares) and the matcher that found it;
- :func:`actor_evidence`: every actor mention (lexicon or resolved pronoun);
- :func:`term_evidence`: every occurrence of given key terms (keyness), found by one compiled regular
  expression over each raw text and placed in its sentence by offset.

:func:`kwic_columns` cuts the context for all rows at once (numpy over the concatenated texts, no loop per
row). :func:`framing.report.write_evidence` writes them as ``REPORTS_DIR/evidence/NAME.csv`` and an HTML page
with one anchored section per category (``NAME.html#CATEGORY``), so the report links each count to its rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from framing.errors import ParameterError
from framing.types import ProcessedCorpusLike, require_tables

__all__ = [
    "actor_evidence",
    "frame_evidence",
    "kwic_columns",
    "term_evidence",
]

_WS = r"\s+"
# code points that re's \s matches (str.isspace), shown as spaces in KWIC context
_SPACE_TABLE = np.array([chr(c).isspace() for c in range(0x3001)] + [False])  # last: any code point above


def _texts(corpus: ProcessedCorpusLike) -> dict[str, str]:
    require_tables(corpus, "evidence", "documents")
    docs = corpus.documents
    return dict(zip(docs["doc_id"].astype(str), docs["text"].astype(str), strict=True))


def _windows(buf: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> pd.Series:
    """Return the strings ``buf[lo:hi]`` for every row at once, runs of spaces folded to one.

    ``buf`` holds UTF-32 code points with whitespace already mapped to spaces and a final 0 (padding).
    """
    n = int((hi - lo).max()) if len(lo) else 0
    if n <= 0:
        return pd.Series([""] * len(lo), dtype="str")
    idx = lo[:, None] + np.arange(n, dtype=np.int64)[None, :]
    idx[idx >= hi[:, None]] = len(buf) - 1  # past the window: the trailing 0 (stripped)
    block = buf.take(idx).view(f"<U{n}").ravel()
    while np.any(np.strings.find(block, "  ") >= 0):  # a few passes: each halves the longest run
        block = np.strings.replace(block, "  ", " ")
    return pd.Series(block.astype(object), dtype="str")


def _word_chars(codes: np.ndarray) -> np.ndarray:
    """Tell which code points are word characters (as ``re`` matches them): Python looks at each distinct one once."""
    uniq, inv = np.unique(codes, return_inverse=True)
    word = np.fromiter((_WORD.match(chr(c)) is not None for c in uniq.tolist()), dtype=bool, count=uniq.size)
    return word[inv.reshape(-1)]


_WORD = re.compile(r"\w")


def kwic_columns(
    texts: Mapping[str, str], doc_id: Sequence[str], start: Sequence[int], end: Sequence[int], *, width: int = 60,
    whole_words: bool = False,
) -> pd.DataFrame:
    """``left``, ``match`` and ``right`` strings for spans ``(doc_id, start, end)`` of the raw texts.

    ``width`` characters of context each side, clipped at the document's edges; runs of whitespace are
    shown as one space. ``whole_words``: a word the width cuts is left out of the context (the first word of
    ``left``, the last of ``right``), as :func:`framing.scoring.kwic` shows it. Vectorised: the texts are
    concatenated once and every window is cut by numpy.
    """
    if isinstance(width, bool) or not isinstance(width, int) or width < 0:
        raise ParameterError(f"width must be a non-negative integer, got {width!r}")
    ids = pd.Series(doc_id, dtype=object).astype(str)
    missing = sorted(set(ids.unique()) - set(texts))
    if missing:
        raise ParameterError(f"kwic: document(s) not in the corpus: {missing[:5]}")
    order = list(texts)
    offset = dict(zip(order, np.cumsum([0, *(len(texts[d]) for d in order)])[:-1].tolist(), strict=True))
    length = {d: len(texts[d]) for d in order}
    buf = np.frombuffer(("".join(texts[d] for d in order) + "\0").encode("utf-32-le"), dtype=np.uint32).copy()
    buf[_SPACE_TABLE[np.minimum(buf, len(_SPACE_TABLE) - 1)]] = ord(" ")
    base = ids.map(offset).to_numpy(dtype=np.int64)
    doc_end = base + ids.map(length).to_numpy(dtype=np.int64)
    s = base + np.asarray(start, dtype=np.int64)
    e = base + np.asarray(end, dtype=np.int64)
    lo, hi = np.maximum(base, s - width), np.minimum(doc_end, e + width)
    left, right = _windows(buf, lo, s), _windows(buf, e, hi)
    if whole_words and len(s):
        # a window edge inside a word (a word character on both sides of it, within the document): that word goes
        cut_left = (lo > base) & (lo < s) & _word_chars(buf[np.maximum(lo - 1, 0)]) & _word_chars(buf[lo])
        cut_right = (hi < doc_end) & (hi > e) & _word_chars(buf[hi]) & _word_chars(buf[np.maximum(hi - 1, 0)])
        left[cut_left] = left[cut_left].str.replace(r"^\w+", "", n=1, regex=True)
        right[cut_right] = right[cut_right].str.replace(r"\w+$", "", n=1, regex=True)
    return pd.DataFrame({"left": left, "match": _windows(buf, s, e), "right": right})


def _with_kwic(rows: pd.DataFrame, corpus: ProcessedCorpusLike, width: int) -> pd.DataFrame:
    ctx = kwic_columns(_texts(corpus), rows["doc_id"].astype(str).tolist(), rows["start"].astype(int).tolist(),
                       rows["end"].astype(int).tolist(), width=width)
    return pd.concat([rows.reset_index(drop=True), ctx], axis=1)


def frame_evidence(
    corpus: ProcessedCorpusLike, hits: pd.DataFrame, table: pd.DataFrame, *, width: int = 60, matcher: str | None = None
) -> pd.DataFrame:
    """Every frame-lexicon hit of every content sentence, in context, marked ``counted`` or not.

    Parameters
    ----------
    corpus : ProcessedCorpus
    hits : DataFrame
        :func:`framing.scoring.lexicon_hits` of the frame lexicon (all sentences).
    table : DataFrame
        :func:`framing.scoring.frame_table`: one row per sentence with a 0/1 column per frame.
    width : int
        Context characters each side.
    matcher : str, optional
        The matcher that found the hits (default :data:`framing.match.MATCHER`).

    Returns
    -------
    DataFrame
        doc_id, sent_id, start, end, category, entry, negated, labelled (the sentence carries the frame),
        counted (labelled and not negated), matcher, left, match, right; in text order.
    """
    from framing.match import MATCHER

    need = {"doc_id", "sent_id", "start", "end", "category", "entry", "negated"}
    if not need <= set(hits.columns):
        raise ParameterError(f"frame_evidence: hits lack column(s) {sorted(need - set(hits.columns))}")
    frames = sorted(set(hits["category"]) & set(table.columns))
    labels = table.melt(id_vars=["doc_id", "sent_id"], value_vars=frames, var_name="category", value_name="on")
    rows = hits[sorted(need)].merge(labels, on=["doc_id", "sent_id", "category"], how="left")
    rows["labelled"] = rows["on"].fillna(0).astype(int).astype(bool)
    rows["counted"] = rows["labelled"] & ~rows["negated"].astype(bool)
    rows["matcher"] = matcher or MATCHER
    rows = rows.sort_values(["doc_id", "start", "end", "category"], kind="stable")
    cols = ["doc_id", "sent_id", "start", "end", "category", "entry", "negated", "labelled", "counted", "matcher"]
    return _with_kwic(rows[cols], corpus, width)


def actor_evidence(corpus: ProcessedCorpusLike, mentions: pd.DataFrame, *, width: int = 60) -> pd.DataFrame:
    """Every actor mention (``framing.attribution.actor_mentions``) in context; ``category`` is the actor."""
    need = {"doc_id", "sent_id", "start", "end", "actor"}
    if not need <= set(mentions.columns):
        raise ParameterError(f"actor_evidence: mentions lack column(s) {sorted(need - set(mentions.columns))}")
    extra = [c for c in ("via", "negated") if c in mentions.columns]
    rows = mentions[["doc_id", "sent_id", "start", "end", "actor", *extra]].rename(columns={"actor": "category"})
    rows = rows.sort_values(["doc_id", "start", "end"], kind="stable")
    return _with_kwic(rows, corpus, width)


def term_evidence(corpus: ProcessedCorpusLike, terms: Iterable[str], *, width: int = 60) -> pd.DataFrame:
    """Every occurrence of ``terms`` (whole words, case-insensitive) in the content sentences, in context.

    One compiled alternation (longest terms first) runs over each raw text; matches outside the content
    sentences (removed boilerplate) are dropped. ``category`` is the term as given.
    """
    wanted = sorted({str(t).strip() for t in terms if str(t).strip()}, key=lambda t: (-len(t), t))
    cols = ["doc_id", "sent_id", "start", "end", "category"]
    if not wanted:
        return _with_kwic(pd.DataFrame(columns=cols).astype({"start": int, "end": int}), corpus, width)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in wanted) + r")(?!\w)",
                         re.IGNORECASE)
    canon = {t.lower(): t for t in wanted}
    found = [(d, m.start(), m.end(), canon.get(re.sub(_WS, " ", m.group(1).lower()), m.group(1)))
             for d, text in _texts(corpus).items() for m in pattern.finditer(text)]
    rows = pd.DataFrame(found, columns=["doc_id", "start", "end", "category"])
    sents = corpus.sentences[["doc_id", "sent_id", "start", "end"]].sort_values(["doc_id", "start"])
    placed = pd.merge_asof(rows.sort_values("start"), sents.rename(columns={"start": "s0", "end": "s1"})
                           .sort_values("s0"), left_on="start", right_on="s0", by="doc_id")
    placed = placed[placed["s1"].notna() & (placed["end"] <= placed["s1"])]
    placed = placed.assign(sent_id=placed["sent_id"].astype(int)).sort_values(["doc_id", "start"], kind="stable")
    return _with_kwic(placed[cols], corpus, width)
