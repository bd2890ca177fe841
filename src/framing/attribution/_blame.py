"""Blame: who blames whom, the actor x frame matrix, the blame network, frames by voice."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from framing.attribution._actors import _HE_SHE_RE, actor_mentions, speaker_actors
from framing.attribution._base import (
    AUTHOR,
    BLAME_COLUMNS,
    NoBlameCuesWarning,
    _by_doc,
    _empty_like,
    _in_quote_index,
    _match,
    _with_case,
)
from framing.attribution._clauses import _reporting_clauses
from framing.attribution._headline import HEADLINE, headline_sentences, headline_voices
from framing.attribution._quotes import corpus_quotations
from framing.attribution._targets import TARGET_RULES, Offsets, near_pairs, overlaps, speech_voices, voices
from framing.corpus import select_documents
from framing.errors import ParameterError
from framing.types import (
    ACTORS,
    DEFAULT_ACTORS_LEXICON,
    DEFAULT_CUES_LEXICON,
    DEFAULT_FRAMES_LEXICON,
    FRAMES,
    GROUP_LABEL,
    ProcessedCorpusLike,
    require_tables,
)

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

    from framing.cases import CaseSource
    from framing.lexicon import LexiconSource


def _frame_table_with_case(corpus: ProcessedCorpusLike, frames_lexicon: LexiconSource, cues_lexicon: LexiconSource,
                           case: CaseSource | None) -> pd.DataFrame:
    """Run :func:`framing.scoring.frame_table` with the case's entries.

    Passes ``case=`` when ``frame_table`` takes it; otherwise (an older scoring module) the frame lexicon is
    merged with the case's frame entries.
    """
    import inspect

    from framing.scoring import frame_table

    if case is None:
        return frame_table(corpus, frames_lexicon, cues=cues_lexicon)
    if "case" in inspect.signature(frame_table).parameters:
        with_case: dict[str, Any] = {"case": case}
        return frame_table(corpus, frames_lexicon, cues=cues_lexicon, **with_case)
    return frame_table(corpus, _with_case(frames_lexicon, case, "frames"), cues=cues_lexicon)


def _sentence_frames(corpus: ProcessedCorpusLike, frames: pd.DataFrame | None, frames_lexicon: LexiconSource,
                     cues_lexicon: LexiconSource, case: CaseSource | None = None) -> pd.DataFrame:
    """Return doc_id, sent_id and one 0/1 column per frame.

    From ``frames`` when given (e.g. a precomputed :func:`framing.scoring.frame_table`), else from
    :func:`framing.scoring.frame_table` with its default rule.
    """
    if frames is None:
        frames = _frame_table_with_case(corpus, frames_lexicon, cues_lexicon, case)
    out = frames[["doc_id", "sent_id"]].copy()
    for f in FRAMES:
        if f not in frames.columns:
            raise ParameterError(f"frame table lacks column {f!r}; it has {list(frames.columns)}")
        out[f] = (pd.to_numeric(frames[f], errors="coerce").fillna(0) > 0).astype(np.int64)
    return out


def _target_documents(blame_rows: pd.DataFrame, actors: pd.DataFrame | None,
                      actors_lexicon: LexiconSource) -> np.ndarray:
    """Return the documents in which a blame sentence can have a target: the only ones with rows.

    A target is a non-negated actor mention (:func:`actor_mentions`): a hit of the actors lexicon, or ``he``/``she``
    (the pronoun rule). Given ``actors``, its mentions decide; else a blame sentence with a non-negated lexicon hit
    or one of those pronouns (a superset of the sentences with mentions, found without the quotations).
    """
    if actors is not None:
        named = actors.loc[~actors["negated"].astype(bool), ["doc_id", "sent_id"]]
        return np.asarray(named.merge(blame_rows[["doc_id", "sent_id"]], on=["doc_id", "sent_id"])["doc_id"].unique())
    hits = _match(blame_rows, actors_lexicon)
    pronoun = blame_rows["text"].astype(str).str.contains(_HE_SHE_RE).to_numpy(bool)
    found = pd.concat([hits.loc[~hits["negated"].astype(bool), "doc_id"], blame_rows.loc[pronoun, "doc_id"]])
    return np.asarray(found.unique())


def blame_attribution(
    corpus: ProcessedCorpusLike,
    *,
    quotes: pd.DataFrame | None = None,
    actors: pd.DataFrame | None = None,
    frames: pd.DataFrame | None = None,
    actors_lexicon: LexiconSource = DEFAULT_ACTORS_LEXICON,
    cues_lexicon: LexiconSource = DEFAULT_CUES_LEXICON,
    frames_lexicon: LexiconSource = DEFAULT_FRAMES_LEXICON,
    include_negated_cues: bool = False,
    case: CaseSource | None = None,
    targets: str = "responsible",
    target_window: int = 8,
    clauses: pd.DataFrame | None = None,
    group_label: str = GROUP_LABEL,
    headline_voice: bool = True,
) -> pd.DataFrame:
    """Who blames whom: one row per (sentence, blamer, target) for sentences with blame cues.

    Rules (see ``docs/attribution.md``): a sentence is a blame sentence when it has a blame cue (a hit of
    ``cues_lexicon``; negated cues do not count unless ``include_negated_cues``: "nothing to apologise for" is blame
    *avoidance*, see :func:`blame_avoidance`). The *blamer* of a cue is the speaker of the quotation it lies in
    (``unattributed`` for a quotation without a speaker), the speaker of the reporting clause of its sentence when
    it is reported speech outside quotations ("Ed Balls said the council failed"; ``reported_voices``), else
    ``author``; in a document's headline (:func:`headline_sentences`) ``headline`` instead of ``author`` when
    ``headline_voice`` (the publication's voice, not the author's). Actor mentions (lexicon or ``he``/``she`` rule,
    not negated) inside a reporting clause (:func:`reporting_clauses`: ``Ed Balls said:``, ``according to
    Ofsted``) are voice, never targets. With
    ``targets="responsible"`` (default) a blamer's *targets* are the other actors in the same clause as one of its
    cues, or as a frame-lexicon hit in its voice that is not itself an actor mention, at most ``target_window``
    words away; with ``targets="mentioned"`` every other actor of the sentence. The sentence's frames (``frame``)
    come from ``frames`` or :func:`framing.scoring.frame_table`, joined with ``+`` in codebook order, ``none`` when
    no frame.

    Parameters
    ----------
    case : str, path or Case, optional
        A case file: its people and organisations join ``actors_lexicon`` (per actor id) and the frame
        lexicon (per frame). Without one only the case-independent lexicons run.
    targets : {"responsible", "mentioned"}
        The target rule (above).
    target_window : int
        For ``responsible``: the largest number of words between an actor mention and a cue or frame hit.
    clauses : DataFrame, optional
        Precomputed :func:`reporting_clauses`.
    group_label : str
        The grouping's name in the warning about a group without blame cues (:func:`framing.types.group_label`).
    headline_voice : bool
        True (default): the author's blame in a document's headline (its ``title``, or a first paragraph that
        reads as a heading: :func:`headline_sentences`) is the blamer ``headline`` (``voice`` ``headline``);
        quotations and reported speech in it keep their speakers. False: the headline is the author's.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BLAME_COLUMNS`: doc_id, sent_id, start, end (the sentence's raw offsets), blamer,
        target (a codebook actor), frame, evidence (the cue words of that blamer, ``"; "``-joined), genre,
        blamer_actor (the speaker's actor category, ``author`` for the author, ``headline`` for the headline,
        empty if unknown), voice (``authorial``, ``headline``, ``quoted`` or ``reported``), evidence_spans and
        target_spans (``start-end`` raw offsets, ``;``-joined). Sorted by doc_id, sent_id, blamer, target.

    Warns
    -----
    NoBlameCuesWarning
        For each genre without any blame cue (its rows are simply absent).
    """
    if targets not in TARGET_RULES:
        raise ParameterError(f"targets must be one of {', '.join(TARGET_RULES)}, got {targets!r}")
    if isinstance(target_window, bool) or not isinstance(target_window, int) or target_window < 0:
        raise ParameterError(f"target_window must be a non-negative integer, got {target_window!r}")
    if not isinstance(headline_voice, bool):
        raise ParameterError(f"headline_voice must be True or False, got {headline_voice!r}")
    anchor_lexicon = frames_lexicon  # the frame words that anchor targets: with a case, its names too
    from framing.cases import resolve_case

    case = resolve_case(case)  # "" is no case, as on the command line
    if case is not None:  # load and merge once
        actors_lexicon = _with_case(actors_lexicon, case, "actors")
        anchor_lexicon = _with_case(frames_lexicon, case, "frames")
    require_tables(corpus, "blame_attribution", "documents", "paragraphs", "sentences")
    docs = corpus.documents
    sents = corpus.sentences
    cues = _match(sents, cues_lexicon)
    if not include_negated_cues:
        cues = cues[~cues["negated"].astype(bool)]
    blame_sents = cues[["doc_id", "sent_id"]].drop_duplicates()
    blame_rows = sents.merge(blame_sents, on=["doc_id", "sent_id"])  # the blame sentences, with their text, once
    # frames, quotations, actors and clauses depend on their own document alone (the frame rule by design: a corpus
    # is scored in partitions too): found only in the documents where a blame sentence can have a target
    wanted = _target_documents(blame_rows, actors, actors_lexicon)
    part = select_documents(corpus, wanted) if len(wanted) < len(docs) else corpus
    sframes = _sentence_frames(part, frames, frames_lexicon, cues_lexicon, case)
    if quotes is None:
        quotes = corpus_quotations(part)
    if actors is None:
        actors = actor_mentions(part, lexicon=actors_lexicon, quotes=quotes)
    if clauses is None:  # only those that matter here: in or over the blame sentences that mention an actor
        named = actors.loc[~actors["negated"].astype(bool), ["doc_id", "sent_id"]].drop_duplicates()
        within = blame_rows.merge(named, on=["doc_id", "sent_id"])
        clauses = _reporting_clauses(part, quotes, within=within[["doc_id", "start", "end"]])
    genre_of = dict(zip(docs["doc_id"], docs["genre"].astype(str), strict=True))
    with_cues = set(cues["doc_id"].map(genre_of))
    for g in dict.fromkeys(docs["genre"].astype(str)):
        if g not in with_cues:
            warnings.warn(f"{group_label} {g!r} has no blame cues: no blame rows, an empty network for it",
                          NoBlameCuesWarning, stacklevel=2)
    off = Offsets(docs["doc_id"], docs["text"])
    texts = dict(zip(docs["doc_id"], docs["text"].astype(str), strict=True))
    cue_voice, cue_reported, cue_labelled = speech_voices(voices(*off.shift(cues), quotes, off), cues, clauses, sents,
                                                          texts)
    heads = headline_sentences(part) if headline_voice else None
    cue_voice = headline_voices(cue_voice, cues, heads)
    cues = cues.assign(blamer=cue_voice, reported=cue_reported)
    act = actors[~actors["negated"].astype(bool)]
    act = act.assign(gs=off.shift(act)[0], ge=off.shift(act)[1])
    cs, ce = off.shift(clauses)
    act = act[~overlaps(act["gs"].to_numpy(), act["ge"].to_numpy(), cs, ce)]  # speakers are voice
    act = act.merge(blame_sents, on=["doc_id", "sent_id"])[["doc_id", "sent_id", "start", "end", "actor", "gs", "ge"]]
    if targets == "responsible":
        # anchors: the blamer's cues and the frame hits in its voice that are not actor mentions themselves
        fhits = _match(blame_rows, anchor_lexicon)  # anchors pair in the blame sentences only
        fhits = fhits[~fhits["negated"].astype(bool)]
        fgs, fge = off.shift(fhits)
        all_s, all_e = off.shift(actors)
        keep = ~overlaps(fgs, fge, all_s, all_e)
        f = pd.DataFrame({"doc_id": fhits["doc_id"].to_numpy()[keep], "sent_id": fhits["sent_id"].to_numpy()[keep],
                          "gs": fgs[keep], "ge": fge[keep]})
        f["blamer"] = headline_voices(speech_voices(voices(f["gs"].to_numpy(), f["ge"].to_numpy(), quotes, off),
                                                    fhits[keep].reset_index(drop=True), clauses, sents, texts)[0],
                                      f, heads)
        cgs, cge = off.shift(cues)
        anchors = pd.concat([cues[["doc_id", "sent_id", "blamer"]].assign(gs=cgs, ge=cge), f], ignore_index=True)
        pairs = near_pairs(off, act, anchors, target_window, sents)
    else:
        pairs = act.merge(cues[["doc_id", "sent_id", "blamer"]].drop_duplicates(), on=["doc_id", "sent_id"])
    speakers = quotes["speaker"].dropna().tolist() + cues.loc[cues["reported"] | cue_labelled, "blamer"].tolist()
    return _blame_rows(pairs, cues, sents, sframes, genre_of, speaker_actors(speakers, lexicon=actors_lexicon))


def _spans(starts: pd.Series, ends: pd.Series) -> pd.Series:
    return starts.astype(str) + "-" + ends.astype(str)


def _join_by(df: pd.DataFrame, keys: list[str], column: str, sep: str) -> pd.Series:
    """``sep``-join the strings of ``column`` within the groups of ``keys``, in row order (groups as they appear).

    One grouped concatenation (``sum`` of object strings each followed by ``sep``), not a Python call per group.
    """
    joined = (df[column].astype(object) + sep).groupby([df[k] for k in keys], sort=False).sum()
    return (joined.astype(object).str[:-len(sep)] if len(joined) else joined).astype(str)


def _blame_rows(pairs: pd.DataFrame, cues: pd.DataFrame, sents: pd.DataFrame, sframes: pd.DataFrame,
                genre_of: dict[Any, str], sp_actor: dict[str, str | None]) -> pd.DataFrame:
    """Build the blame table from (sentence, blamer, actor mention) pairs and the cues (with their blamer).

    One row per (sentence, blamer, target), evidence from that blamer's cues, columns :data:`BLAME_COLUMNS`.
    """
    keys = ["doc_id", "sent_id", "blamer"]
    cues = cues.sort_values([*keys, "start"], kind="stable")
    cues = cues.assign(span=_spans(cues["start"], cues["end"]), word=cues["matched"].astype(str))
    words = cues.drop_duplicates([*keys, "word"])  # each cue word once, in order of its first occurrence
    ev = pd.concat({"evidence": _join_by(words, keys, "word", "; "),
                    "evidence_spans": _join_by(cues, keys, "span", ";"),
                    "reported": cues.groupby(keys, sort=False)["reported"].any()}, axis=1).reset_index()
    pairs = pairs.drop_duplicates([*keys, "actor", "start", "end"])
    pairs = pairs.sort_values([*keys, "actor", "start"], kind="stable")
    pairs = pairs.assign(span=_spans(pairs["start"], pairs["end"]))
    tg = _join_by(pairs, [*keys, "actor"], "span", ";").rename("target_spans").reset_index()
    out = tg.merge(ev, on=keys, how="inner").rename(columns={"actor": "target"})  # a blamer needs its own cue
    sent = sents[["doc_id", "sent_id", "start", "end"]]
    out = out.merge(sent, on=["doc_id", "sent_id"], how="left")
    # the frame label of every sentence: its frames as bits, each combination's label looked up once
    bits = (sframes[list(FRAMES)].to_numpy() > 0).astype(np.int64) @ (1 << np.arange(len(FRAMES), dtype=np.int64))
    names = np.array(["+".join(f for i, f in enumerate(FRAMES) if code >> i & 1) or "none"
                      for code in range(1 << len(FRAMES))], dtype=object)
    lab = pd.DataFrame({"doc_id": sframes["doc_id"], "sent_id": sframes["sent_id"].astype(np.int64),
                        "frame": pd.Series(names[bits], dtype=str)})
    out = out.merge(lab, on=["doc_id", "sent_id"], how="left")
    out["frame"] = out["frame"].fillna("none")
    out["genre"] = out["doc_id"].map(genre_of)
    authorial, headline = out["blamer"] == AUTHOR, out["blamer"] == HEADLINE
    out["blamer_actor"] = np.where(authorial, AUTHOR, np.where(headline, HEADLINE, out["blamer"].map(
        lambda b: sp_actor.get(str(b)) or "")))
    out["voice"] = np.where(authorial, "authorial", np.where(headline, HEADLINE, np.where(
        out["reported"].to_numpy(bool), "reported", "quoted")))
    out = out[list(BLAME_COLUMNS)]
    for c in ("sent_id", "start", "end"):
        out[c] = out[c].astype(np.int64)
    for c in ("blamer", "target", "blamer_actor", "voice"):
        out[c] = out[c].astype(str)
    return out.sort_values(["doc_id", "sent_id", "blamer", "target"], kind="stable").reset_index(drop=True)


def actor_frame_matrix(blame: pd.DataFrame, *, genres: Sequence[str] | None = None,
                       actors: Sequence[str] | None = None) -> pd.DataFrame:
    """Actor x frame counts per genre from a blame table.

    Counts distinct sentences in which an actor is a blame target, for each frame the sentence carries
    (a sentence with two frames counts once in each; ``none`` for blame sentences without a frame).
    Every actor of ``actors`` and every genre in ``genres`` (default: those in the table) appears, with 0.
    ``actors`` defaults to the codebook's (:data:`framing.types.ACTORS`), then any other target of the table
    (a case's own actor ids, a custom actors lexicon's categories) in sorted order; pass
    :func:`actor_ids` for the order of the lexicon and case the table was made with. Targets not in ``actors``
    are left out.

    Returns
    -------
    pandas.DataFrame
        Long table: genre, actor, frame, n_sentences.
    """
    frames = [*FRAMES, "none"]
    names = list(dict.fromkeys(blame["genre"].astype(str))) if genres is None else [str(g) for g in genres]
    b = blame[["genre", "doc_id", "sent_id", "target", "frame"]].drop_duplicates()
    b = b.assign(frame=b["frame"].str.split("+")).explode("frame")
    counts = b.groupby(["genre", "target", "frame"]).size()
    if actors is None:
        actors = [*ACTORS, *sorted(set(blame["target"].astype(str)) - set(ACTORS))]
    idx = pd.MultiIndex.from_product([names, list(actors), frames], names=["genre", "actor", "frame"])
    counts.index = counts.index.set_names(["genre", "actor", "frame"])
    full = counts.reindex(idx, fill_value=0).rename("n_sentences").reset_index()
    full["n_sentences"] = full["n_sentences"].astype(np.int64)
    return full


def blame_network(blame: pd.DataFrame, *, genre: str | None = None, level: str = "actor") -> nx.DiGraph:
    """Return a directed who-blames-whom graph: blamer -> target, ``weight`` = number of distinct sentences.

    ``level="actor"`` maps speakers to their actor category when known (``Ed Balls`` -> ``government``)
    and keeps the name otherwise; ``level="speaker"`` keeps speaker names. The author is the node
    ``author``. Node attribute ``role``: ``blamer``, ``target`` or ``both``.
    """
    import networkx as nx

    if level not in ("actor", "speaker"):
        raise ParameterError(f"level must be 'actor' or 'speaker', got {level!r}")
    b = blame if genre is None else blame[blame["genre"] == genre]
    src = b["blamer"] if level == "speaker" else b["blamer_actor"].where(b["blamer_actor"] != "", b["blamer"])
    b = b.assign(source=src.astype(str))
    G = nx.DiGraph()
    edges = b[["source", "target", "doc_id", "sent_id"]].drop_duplicates()
    for (s, t), g in edges.groupby(["source", "target"], sort=True):
        G.add_edge(str(s), str(t), weight=len(g))
    for n in G.nodes:
        out_d, in_d = G.out_degree(n), G.in_degree(n)
        G.nodes[n]["role"] = "both" if out_d and in_d else ("blamer" if out_d else "target")
    return G


# --------------------------------------------------------------------------------------------------
# Frames by voice
# --------------------------------------------------------------------------------------------------


def voice_frame_counts(
    corpus: ProcessedCorpusLike, *, quotes: pd.DataFrame | None = None, lexicon: LexiconSource = DEFAULT_FRAMES_LEXICON,
    case: CaseSource | None = None,
) -> pd.DataFrame:
    """Frame-lexicon hits per sentence split into authorial and quoted voice.

    A hit is *quoted* when its midpoint lies inside a top-level quotation. Negated hits are left out. With a
    ``case`` its people and organisations count for their frames too.

    Returns
    -------
    pandas.DataFrame
        doc_id, sent_id, genre, then ``{frame}_authorial`` and ``{frame}_quoted`` hit counts for every
        frame in :data:`framing.types.FRAMES` (one row per sentence, zeros included).
    """
    if quotes is None:
        quotes = corpus_quotations(corpus)
    sents = corpus.sentences
    hits = _match(sents, _with_case(lexicon, case, "frames"))
    hits = hits[~hits["negated"].astype(bool) & hits["category"].isin(FRAMES)].copy()
    voice = np.empty(len(hits), dtype=object)
    quotes_by, empty_q = _by_doc(quotes), _empty_like(quotes)
    for d, g in hits.groupby("doc_id", sort=False):
        dq = quotes_by.get(d, empty_q)
        idx = _in_quote_index(g["start"].to_numpy(), g["end"].to_numpy(), dq)
        voice[hits.index.get_indexer(g.index)] = np.where(idx >= 0, "quoted", "authorial")
    hits["voice"] = voice
    out = sents[["doc_id", "sent_id"]].copy()
    genre_of = dict(zip(corpus.documents["doc_id"], corpus.documents["genre"].astype(str), strict=True))
    out["genre"] = out["doc_id"].map(genre_of)
    counts = hits.groupby(["doc_id", "sent_id", "category", "voice"]).size()
    for f in FRAMES:
        for v in ("authorial", "quoted"):
            key = [(d, s, f, v) for d, s in zip(out["doc_id"], out["sent_id"], strict=True)]
            out[f"{f}_{v}"] = counts.reindex(pd.MultiIndex.from_tuples(key) if key else None,
                                             fill_value=0).to_numpy(dtype=np.int64) if key else np.zeros(0, np.int64)
    return out
