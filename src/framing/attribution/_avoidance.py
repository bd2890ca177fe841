"""Blame avoidance: agentless passives, denials and hedges, and their rates."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from framing.attribution._headline import headline_sentences, headline_voices
from framing.attribution._quotes import corpus_quotations
from framing.attribution._targets import Offsets, voices
from framing.errors import ParameterError
from framing.types import ProcessedCorpusLike, require_tables

# --------------------------------------------------------------------------------------------------
# Blame avoidance
# --------------------------------------------------------------------------------------------------

_BLAME_NOUNS = (r"(?:mistakes?|errors?|failings?|failures?|lessons|opportunit(?:y|ies)|warnings?|signs|concerns|"
                r"problems|blunders?|shortcomings|weaknesses|faults?|oversights?|misjudg(?:e)?ments?)")
_PARTICIPLES = (r"(?:made|identified|missed|learnt|learned|found|overlooked|ignored|committed|noted|raised|"
                r"taken|seen|highlighted|uncovered|exposed|revealed|reported|acknowledged|recognised|recognized)")
_BE = r"(?:was|were|is|are|be|been|being|has\s+been|have\s+been|had\s+been|will\s+be|must\s+be|would\s+be)"
_NO_AGENT = r"(?![^.;:]{0,40}?\bby\b)"

AVOIDANCE_PATTERNS: dict[str, tuple[tuple[str, str], ...]] = {
    "agentless_passive": (
        ("blame noun + passive, no by-agent",
         rf"\b{_BLAME_NOUNS}\b(?:\s+[\w\u2019'\-]+){{0,3}}?\s+{_BE}\s+(?:\w+ly\s+)?{_PARTICIPLES}\b{_NO_AGENT}"),
        ("agentless failing of the victim (the child was failed / let down)",
         r"\b(?:was|were|is|are|been|being|get|got|gets)\s+(?:\w+ly\s+)?(?:failed|let\s+down)\b" + _NO_AGENT
         + r"(?!\s+(?:to|in|at|on|inspections?|tests?|exams?)\b)"),
        ("modal perfect passive (should have been done)",
         r"\b(?:should|could|must|might|ought\s+to)\s+have\s+been\s+(?:\w+ly\s+)?(?:done|noticed|seen|spotted|"
         r"identified|prevented|picked\s+up|acted\s+on|taken|heard|protected|saved)\b" + _NO_AGENT),
    ),
    "denial": (
        ("no agent did it", r"\bno(?:\s+single)?\s+(?:agency|one|body|individual|professional|department|"
                            r"organisation|organization)\s+(?:\w+\s+)?(?:killed|caused|harmed|could\s+have|failed|"
                            r"is\s+to\s+blame|was\s+to\s+blame)\b"),
        ("no-one to blame", r"\b(?:no(?:-|\s)?one|nobody|no\s+single\s+(?:person|individual))\s+"
                            r"(?:is|was|can\s+be|could\s+be|should\s+be|will\s+be|has\s+been)\s+"
                            r"(?:(?:solely|entirely|wholly|really|personally)\s+)?"
                            r"(?:to\s+blame|responsible|at\s+fault|blamed|culpable)\b"),
        ("no one's fault", r"\b(?:no(?:-|\s)?one|nobody|no\s+single\s+(?:person|individual))[\u2019']s\s+"
                           r"(?:fault|responsibility|blame)\b"),
        ("not any one's fault", r"\b(?:not|never)\s+(?:any(?:\s+|-)?one|anybody|any\s+single\s+"
                                r"(?:person|individual))[\u2019']s\s+(?:fault|responsibility)\b"),
        ("no single person", r"\bno\s+single\s+(?:person|individual|agency|professional|organisation|"
                             r"organization)\b"),
        ("nothing to apologise for", r"\bnothing\s+to\s+apologi[sz]e\s+for\b"),
        ("not to blame / not responsible",
         r"\b(?:not|never|in\s+no\s+way)\s+(?:to\s+blame|responsible|at\s+fault|culpable|accountable)\b"),
        ("blameless", r"\bblameless\b"),
        ("could not have prevented",
         r"\bcould\s*(?:not|n[’']t)\s+have\s+(?:been\s+)?(?:prevented|predicted|foreseen|known|stopped)\b"),
        ("cannot stop/predict", r"\b(?:cannot|can\s+not|can[’']t)\s+(?:stop|prevent|predict)\b"),
        ("did nothing wrong", r"\bdid\s+(?:nothing|not\s+do\s+anything)\s+wrong\b"),
    ),
    "hedge": (
        ("appear/seem to", r"\b(?:appears?|appeared|seems?|seemed)\s+to\b"),
        ("may/might/could have", r"\b(?:may|might|could)\s+have\b"),
        ("epistemic adverb", r"\b(?:perhaps|possibly|arguably|apparently|allegedly|reportedly|seemingly|"
                             r"presumably|probably)\b"),
        ("it is understood/thought", r"\bit\s+is\s+(?:understood|thought|believed|alleged|claimed|said|suggested)\b"),
        ("to some extent", r"\bto\s+(?:some|a\s+certain)\s+(?:extent|degree)\b"),
        ("hindsight", r"\b(?:with|in)\s+(?:the\s+benefit\s+of\s+)?hindsight\b"),
    ),
}
"""Blame-avoidance patterns: type -> ((name, regular expression), ...), matched case-insensitively in
each sentence. ``agentless_passive`` needs a blame noun (mistakes, failings, lessons, opportunities,
...) followed within three words by a passive with no ``by`` agent in the next 40 characters (``mistakes
were made``), a passive of *fail*/*let down* with no ``by`` agent (``the child was failed``, ``Peter was let
down``; not ``failed to``/``failed inspections``), or a modal perfect passive (``more should have been
done``); ``denial`` covers explicit denials of responsibility (``nobody is to blame``, ``no one's fault``,
``no single person``, ``not to blame``, ``blameless``, ...);
``hedge`` epistemic hedges (anywhere in the sentence, with or without a blame cue)."""

_JOIN = ".\n"
_AVOID_RES = {t: tuple((n, re.compile(p, re.IGNORECASE)) for n, p in pats) for t, pats in AVOIDANCE_PATTERNS.items()}
AVOIDANCE_COLUMNS: tuple[str, ...] = ("doc_id", "sent_id", "start", "end", "type", "pattern", "matched", "speaker",
                                      "genre")


def blame_avoidance(corpus: ProcessedCorpusLike, *, quotes: pd.DataFrame | None = None,
                    headline_voice: bool = True) -> pd.DataFrame:
    """Find blame-avoidance expressions (:data:`AVOIDANCE_PATTERNS`) in every sentence.

    Parameters
    ----------
    corpus : ProcessedCorpus
        Needs ``documents``, ``paragraphs`` and ``sentences``.
    quotes : DataFrame, optional
        From :func:`corpus_quotations` (computed when omitted).
    headline_voice : bool
        True (default): a match in a document's headline outside any quotation is the publication's, speaker
        ``headline``, as :func:`blame_attribution` gives the blamer ``headline`` under the same switch
        (:func:`headline_sentences`); False: the author's.

    Returns
    -------
    pandas.DataFrame
        doc_id, sent_id, start, end (raw offsets of the match), type (``agentless_passive``, ``denial``,
        ``hedge``), pattern (its name), matched, speaker (``author``, ``headline``, the quotation's speaker or
        ``unattributed``), genre.
    """
    if not isinstance(headline_voice, bool):
        raise ParameterError(f"headline_voice must be True or False, got {headline_voice!r}")
    require_tables(corpus, "blame_avoidance", "documents", "paragraphs", "sentences")
    if quotes is None:
        quotes = corpus_quotations(corpus)
    docs, sents = corpus.documents, corpus.sentences
    # every pattern runs once over all sentences joined by ".\n" (no match crosses it: the patterns match
    # words and spaces, and their "same clause" look-aheads stop at a full stop), then matches go back to
    # their sentences by offset
    texts = sents["text"].astype(str).tolist()
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    at = np.concatenate(([0], np.cumsum(lengths + len(_JOIN))[:-1])) if len(texts) else np.zeros(0, np.int64)
    joined = _JOIN.join(texts)
    found = [(m.start(), m.end(), typ, name, m.group())
             for typ, pats in _AVOID_RES.items() for name, rx in pats for m in rx.finditer(joined)]
    m = pd.DataFrame(found, columns=["jstart", "jend", "type", "pattern", "matched"])
    j = np.searchsorted(at, m["jstart"].to_numpy(np.int64), side="right") - 1
    inside = m["jend"].to_numpy(np.int64) <= at[j] + lengths[j] if len(m) else np.zeros(0, dtype=bool)
    m, j = m[inside], j[inside]
    local = m["jstart"].to_numpy(np.int64) - at[j]
    s0 = sents["start"].to_numpy(np.int64)[j]
    out = pd.DataFrame({
        "doc_id": sents["doc_id"].to_numpy()[j], "sent_id": sents["sent_id"].to_numpy(np.int64)[j],
        "start": s0 + local, "end": s0 + local + (m["jend"].to_numpy(np.int64) - m["jstart"].to_numpy(np.int64)),
        "type": m["type"].to_numpy(), "pattern": m["pattern"].to_numpy(), "matched": m["matched"].to_numpy(),
    }, columns=list(AVOIDANCE_COLUMNS[:-2]))
    off = Offsets(docs["doc_id"], docs["text"])
    out["speaker"] = headline_voices(voices(*off.shift(out), quotes, off), out,
                                     headline_sentences(corpus) if headline_voice else None)
    out["genre"] = out["doc_id"].map(dict(zip(docs["doc_id"], docs["genre"].astype(str), strict=True)))
    for c in ("sent_id", "start", "end"):
        out[c] = out[c].astype(np.int64)
    for c in ("doc_id", "type", "pattern", "matched", "speaker", "genre"):  # as a table built from rows
        out[c] = pd.Series(out[c].tolist(), index=out.index, dtype=None if len(out) else object)
    return out.sort_values(["doc_id", "start", "type", "pattern"], kind="stable").reset_index(drop=True)


def avoidance_rates(
    avoidance: pd.DataFrame, corpus: ProcessedCorpusLike, *, blame: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Blame-avoidance rates per genre and type.

    Returns
    -------
    pandas.DataFrame
        genre, type, n_docs, n_sentences, n_matches, n_sentences_with (sentences with at least one match),
        per_100_sentences (= 100 * n_sentences_with / n_sentences), per_1000_tokens (matches per 1000
        tokens of content sentences) and, when a ``blame`` table is given, n_blame_sentences and
        share_of_blame_sentences (blame sentences that also avoid blame / blame sentences).
    """
    sents = corpus.sentences
    genre_of = dict(zip(corpus.documents["doc_id"], corpus.documents["genre"].astype(str), strict=True))
    g_sent = sents["doc_id"].map(genre_of)
    tokens = sents["n_tokens"] if "n_tokens" in sents.columns else sents["text"].astype(str).str.split().str.len()
    rows = []
    for genre in dict.fromkeys(corpus.documents["genre"].astype(str)):
        sel = g_sent == genre
        n_sent = int(sel.sum())
        n_tok = int(tokens[sel].sum())
        n_docs = int((corpus.documents["genre"].astype(str) == genre).sum())
        bl_keys: set[tuple[str, int]] = set()
        if blame is not None:
            bg = blame[blame["genre"] == genre]
            bl_keys = set(zip(bg["doc_id"], bg["sent_id"].astype(int), strict=True))
        for typ in AVOIDANCE_PATTERNS:
            a = avoidance[(avoidance["genre"] == genre) & (avoidance["type"] == typ)]
            keys = set(zip(a["doc_id"], a["sent_id"].astype(int), strict=True))
            row: dict[str, Any] = {
                "genre": genre, "type": typ, "n_docs": n_docs, "n_sentences": n_sent, "n_matches": len(a),
                "n_sentences_with": len(keys),
                "per_100_sentences": 100 * len(keys) / n_sent if n_sent else np.nan,
                "per_1000_tokens": 1000 * len(a) / n_tok if n_tok else np.nan,
            }
            if blame is not None:
                row["n_blame_sentences"] = len(bl_keys)
                row["share_of_blame_sentences"] = len(keys & bl_keys) / len(bl_keys) if bl_keys else np.nan
            rows.append(row)
    return pd.DataFrame(rows)
