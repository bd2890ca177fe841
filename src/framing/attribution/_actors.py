"""Actors: mentions of the codebook actors (lexicon and he/she rule), speakers' actors."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.attribution._base import PERSON_ACTORS, _match, _with_case
from framing.types import DEFAULT_ACTORS_LEXICON, ProcessedCorpusLike

if TYPE_CHECKING:  # the dictionaries layer, imported where used (start-up stays light)
    from framing.cases import CaseSource
    from framing.lexicon import LexiconSource

# --------------------------------------------------------------------------------------------------
# Actors
# --------------------------------------------------------------------------------------------------

_HE_SHE_RE = re.compile(r"\b(?:[Hh]e|[Ss]he)\b")
ACTOR_COLUMNS: tuple[str, ...] = ("doc_id", "sent_id", "para_id", "start", "end", "actor", "matched", "negated",
                                  "via", "antecedent_start")


def actor_mentions(
    corpus: ProcessedCorpusLike, *, lexicon: LexiconSource = DEFAULT_ACTORS_LEXICON, pronouns: bool = True,
    quotes: pd.DataFrame | None = None, case: CaseSource | None = None,
) -> pd.DataFrame:
    """Actor mentions per sentence: lexicon hits plus the documented ``he``/``she`` rule.

    Parameters
    ----------
    corpus : ProcessedCorpus
        Needs ``sentences`` (doc_id, sent_id, para_id, start, end, text) and ``documents`` (doc_id, text).
    lexicon : str, path or Lexicon
        The actors lexicon (default: the shipped ``actors``, case-independent roles only); its categories
        are the codebook actors.
    pronouns : bool
        Resolve ``he``/``she``: the pronoun takes the actor of the nearest preceding lexicon mention in
        the same paragraph whose category is in :data:`PERSON_ACTORS` and whose text starts with a capital
        letter (a name or a title: ``Shoesmith``, ``Ed Balls``, ``the Director``); none: no mention.
    quotes : DataFrame, optional
        Quotations (:func:`corpus_quotations`). A ``he``/``she`` that names a quotation's speaker takes
        the actor of the resolved speaker instead (``He described ... as "devastating"`` -> Ed Balls ->
        government), so speaker and actor resolution agree; a speaker without an actor gives no mention.

    case : str, path or Case, optional
        A case file (:mod:`framing.cases`): its people and organisations are merged into ``lexicon`` per
        actor id (the case wins on duplicates). Without one only ``lexicon`` runs.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ACTOR_COLUMNS`; ``start``/``end`` raw offsets,
        ``via`` ``lexicon``, ``pronoun`` or ``speaker`` (a pronoun resolved through the quotation's
        speaker), ``antecedent_start`` the offset of the antecedent mention (-1 otherwise).
    """
    lexicon = _with_case(lexicon, case, "actors")
    sents = corpus.sentences
    hits = _match(sents, lexicon)
    para = sents.set_index(["doc_id", "sent_id"])["para_id"]
    texts = dict(zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True))
    base = pd.DataFrame({
        "doc_id": hits["doc_id"], "sent_id": hits["sent_id"].astype(np.int64),
        "para_id": para.reindex(list(zip(hits["doc_id"], hits["sent_id"], strict=True))).to_numpy(),
        "start": hits["start"].astype(np.int64), "end": hits["end"].astype(np.int64),
        "actor": hits["category"], "negated": hits["negated"].astype(bool), "via": "lexicon",
        "antecedent_start": -1,
    })
    base["matched"] = pd.Series([str(texts[d])[s:e] for d, s, e in
                                 zip(base["doc_id"], base["start"], base["end"], strict=True)],
                                index=base.index, dtype=object)
    rows = [base]
    if pronouns and len(sents):
        pron = []
        cand = base[base["actor"].isin(PERSON_ACTORS) & base["matched"].str[:1].str.isupper()]
        cand = cand.sort_values(["doc_id", "start"], kind="stable")
        by_para = {k: g for k, g in cand.groupby(["doc_id", "para_id"], sort=False)}
        speaker_at: dict[tuple[Any, int], str | None] = {}
        if quotes is not None and len(quotes):
            qp = quotes[quotes["speaker_mention"].fillna("").str.lower().isin(["he", "she"])]
            sa = speaker_actors(qp["speaker"].dropna().tolist(), lexicon=lexicon)
            for d, st, spk in zip(qp["doc_id"], qp["speaker_start"], qp["speaker"], strict=True):
                speaker_at[(d, int(st))] = sa.get(spk) if isinstance(spk, str) else None
        for d, sid, pid, s0, text in zip(sents["doc_id"], sents["sent_id"], sents["para_id"], sents["start"],
                                         sents["text"], strict=True):
            for m in _HE_SHE_RE.finditer(str(text)):
                pos = int(s0) + m.start()
                g = by_para.get((d, pid))
                if (d, pos) in speaker_at:
                    actor = speaker_at[(d, pos)]
                    if actor is not None:
                        pron.append({"doc_id": d, "sent_id": int(sid), "para_id": pid, "start": pos,
                                     "end": pos + len(m.group()), "actor": actor, "matched": m.group(),
                                     "negated": False, "via": "speaker", "antecedent_start": -1})
                    continue
                if g is None:
                    continue
                prev = g[g["end"] <= pos]
                if prev.empty:
                    continue
                ante = prev.iloc[-1]
                pron.append({"doc_id": d, "sent_id": int(sid), "para_id": pid, "start": pos,
                             "end": pos + len(m.group()), "actor": ante["actor"], "matched": m.group(),
                             "negated": False, "via": "pronoun", "antecedent_start": int(ante["start"])})
        if pron:
            rows.append(pd.DataFrame(pron))
    out = pd.concat(rows, ignore_index=True)[list(ACTOR_COLUMNS)]
    out = out.sort_values(["doc_id", "start", "actor"], kind="stable").reset_index(drop=True)
    for c in ("sent_id", "start", "end", "antecedent_start"):
        out[c] = out[c].astype(np.int64)
    return out


def speaker_actors(
    speakers: Iterable[str], *, lexicon: LexiconSource = DEFAULT_ACTORS_LEXICON, case: CaseSource | None = None
) -> dict[str, str | None]:
    """Map speaker names to codebook actors with the actors lexicon (first, longest hit; None if none).

    With a ``case`` the lexicon is merged with the case's entries (``Ed Balls`` -> ``government`` needs the
    Baby P case; without it only roles such as ``the minister`` are recognised).
    """
    lexicon = _with_case(lexicon, case, "actors")
    names = sorted({s for s in speakers if isinstance(s, str) and s})
    if not names:
        return {}
    table = pd.DataFrame({"doc_id": "", "sent_id": np.arange(len(names)), "start": 0, "text": names})
    hits = _match(table, lexicon, negation=False)
    out: dict[str, str | None] = dict.fromkeys(names)
    if len(hits):
        hits = hits.assign(length=hits["end"] - hits["start"])
        hits = hits.sort_values(["sent_id", "length", "start"], ascending=[True, False, True], kind="stable")
        for sid, cat in zip(hits["sent_id"], hits["category"], strict=True):
            if out[names[int(sid)]] is None:
                out[names[int(sid)]] = str(cat)
    return out
