"""Actors: mentions of the codebook actors (lexicon and he/she rule), speakers' actors."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

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


def actor_ids(actors_lexicon: LexiconSource = DEFAULT_ACTORS_LEXICON, case: CaseSource | None = None
              ) -> tuple[str, ...]:
    """Return the actor ids that blame targets can take, in the order tables and figures list them.

    The categories of ``actors_lexicon`` (the shipped ``actors``: the codebook's 13 actors in
    :data:`framing.types.ACTORS` order), then, with a ``case``, the codebook actors its entries use that the
    lexicon lacks (codebook order) and the actor ids it declares in its ``actors`` section (file order). With the
    shipped lexicon and the Baby P case (which declares none): the codebook's 13, as before.

    >>> actor_ids()[:3]
    ('director', 'council', 'social_workers')
    """
    from framing.cases import resolve_case
    from framing.lexicon import load_lexicon

    order = list(load_lexicon(actors_lexicon).categories)
    c = resolve_case(case)
    if c is not None:
        used = {e.actor for e in c.entries} | {a.id for a in c.actors}
        order += [a for a in c.actor_ids if a in used and a not in order]
    return tuple(order)


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
        pron = _pronoun_mentions(sents, base, quotes, lexicon)
        if len(pron):  # (an empty part would turn the actor column's dtype to object)
            rows.append(pron)
    out = pd.concat(rows, ignore_index=True)[list(ACTOR_COLUMNS)]
    out = out.sort_values(["doc_id", "start", "actor"], kind="stable").reset_index(drop=True)
    for c in ("sent_id", "start", "end", "antecedent_start"):
        out[c] = out[c].astype(np.int64)
    return out


def _pronoun_mentions(sents: pd.DataFrame, base: pd.DataFrame, quotes: pd.DataFrame | None,
                      lexicon: LexiconSource) -> pd.DataFrame:
    """Return the mentions by ``he``/``she`` (the pronoun rule of :func:`actor_mentions`): :data:`ACTOR_COLUMNS`.

    The pronouns of all sentences are found in one search over their texts joined by newlines; a pronoun that is
    a quotation's speaker mention takes the actor of the resolved speaker (none if unknown), any other the actor
    of the last mention before it in its paragraph (in order of start) that is capitalised and of a person-type
    actor: one merge per paragraph's candidates, no loop over sentences.
    """
    texts = sents["text"].astype(str).tolist()
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    offsets = np.concatenate(([0], np.cumsum(lengths + 1)[:-1]))
    joined = "\n".join(texts)
    at = np.fromiter((m.start() for m in _HE_SHE_RE.finditer(joined)), dtype=np.int64)
    row = np.searchsorted(offsets, at, side="right") - 1
    start = sents["start"].to_numpy(np.int64)[row] + at - offsets[row]
    width = np.fromiter((2 if joined[a] in "Hh" else 3 for a in at.tolist()), dtype=np.int64, count=len(at))
    pron = pd.DataFrame({
        "doc_id": sents["doc_id"].to_numpy()[row], "sent_id": sents["sent_id"].to_numpy(np.int64)[row],
        "para_id": sents["para_id"].to_numpy()[row], "start": start, "end": start + width,
        "matched": [joined[a:a + w] for a, w in zip(at.tolist(), width.tolist(), strict=True)],
        "negated": False, "i": np.arange(len(at)),
    })
    done = np.zeros(len(pron), dtype=bool)
    parts = []
    if quotes is not None and len(quotes):
        qp = quotes[quotes["speaker_mention"].fillna("").str.lower().isin(["he", "she"])]
        sa = speaker_actors(qp["speaker"].dropna().tolist(), lexicon=lexicon)
        spk = pd.DataFrame({"doc_id": qp["doc_id"].to_numpy(), "start": qp["speaker_start"].to_numpy(np.int64),
                            "actor": [sa.get(x) if isinstance(x, str) else None for x in qp["speaker"]]})
        spk = spk.drop_duplicates(["doc_id", "start"], keep="last")  # as a dict keyed by the mention would
        hit = pron.merge(spk, on=["doc_id", "start"])
        done[hit["i"].to_numpy()] = True
        parts.append(hit[hit["actor"].notna()].assign(via="speaker", antecedent_start=-1))
    cand = base[base["actor"].isin(PERSON_ACTORS) & base["matched"].str[:1].str.isupper()]
    cand = cand.sort_values(["doc_id", "start"], kind="stable")
    cand = pd.DataFrame({"doc_id": cand["doc_id"].to_numpy(), "para_id": cand["para_id"].to_numpy(),
                         "a_start": cand["start"].to_numpy(np.int64), "a_end": cand["end"].to_numpy(np.int64),
                         "actor": cand["actor"].to_numpy(), "rank": np.arange(len(cand))})
    ante = pron[~done].merge(cand, on=["doc_id", "para_id"])
    ante = ante[ante["a_end"].to_numpy() <= ante["start"].to_numpy()]
    ante = ante.sort_values(["i", "rank"], kind="stable").drop_duplicates("i", keep="last")
    parts.append(ante.assign(via="pronoun", antecedent_start=ante["a_start"]))
    out = pd.concat(parts, ignore_index=True).sort_values("i", kind="stable")
    return out[list(ACTOR_COLUMNS)]


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
