"""The features of :class:`framing.classifier.FrameClassifier` and the evidence behind its labels.

Private to :mod:`framing.classifier`. :func:`build_features` turns a sentences table into the feature matrix
(column-wise from the lexicon hits and the rule's table: no loop over sentences or tokens);
:func:`label_evidence` traces each positive label back to the hits behind it, and :func:`evidence_column`
writes them as the ``evidence`` strings of :meth:`~framing.classifier.FrameClassifier.label_table`.

Blocks of features (each ``log1p`` of a count unless said otherwise):

- the sentence's own: non-negated and negated hits per category of the frame and the cue lexicons, the rule's
  labels and ``n_<frame>`` counts, surface cues of who is talked about (:data:`SURFACE`);
- ``context``: the same for the previous sentence of the paragraph, and whether the sentence opens it;
- ``following``: the same for the next sentence of the paragraph, and whether the sentence closes it;
- ``document``: the document's totals (``"totals"``, with its number of sentences) or means per sentence
  (``"rates"``) of non-negated frame and cue hits and of the rule's labels per frame (codebook: a frame is a
  locus of responsibility *for a failure*; a document that talks of no failure and locates no blame anywhere
  gives its sentences' hits less weight);
- sentence length (words), a double quotation mark, a question mark;
- ``words``: the sentence's words and word pairs, hashed (:data:`WORD_FEATURES` columns, binary, each row of
  unit length, times ``words``: the larger, the weaker their penalty relative to the lexicon features'), a
  sparse block beside the dense ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from framing._classifier_data import _count_block, _Features, _neighbour_row, _sentences_table
from framing.errors import ParameterError
from framing.lexicon import LexiconSource, check_category_columns, load_lexicon

__all__ = ["SURFACE", "build_features", "evidence_column", "label_evidence"]

_DQUOTE = r"[\"“”«»]"
SURFACE = {  # case-independent cues of who is talked about (codebook: persons, follow-up sentences)
    "honorific_name": re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Baroness|Judge|Prof)\.?\s+[A-Z][\w'-]+"),
    "pronoun_start": re.compile(r"^\W*(?:He|She|They|It|This|That|These|Those)\b"),
    "third_person": re.compile(r"(?i)\b(?:he|she|him|her|his|hers|himself|herself)\b"),
}
"""Surface cues counted per sentence (``surface:<name>`` features)."""


WORD_FEATURES = 2**16
"""Number of hashed columns of the word features (unigrams and bigrams)."""
DOCUMENT_FEATURES = ("totals", "rates")
"""Values of ``FrameClassifier(document=...)`` besides None (see :func:`document_block`)."""


def document_block(raw: np.ndarray, docs: pd.Series | np.ndarray, how: str = "totals") -> np.ndarray:
    """Per row, its document's column totals (``"totals"``) or means (``"rates"``) of ``raw``.

    ``raw`` (rows x k) holds counts per sentence. ``"totals"``: ``log1p`` of each document's column sums, then
    ``log1p`` of its number of rows (rows x k+1); ``"rates"``: each document's column means, the counts per
    sentence whatever the document's length (rows x k). Each document's figures are repeated on each of its rows
    (rows of one document need not be adjacent).
    """
    if how not in DOCUMENT_FEATURES:
        raise ParameterError(f"document must be None or one of {list(DOCUMENT_FEATURES)}, got {how!r}")
    codes, uniques = pd.factorize(pd.Series(docs).astype(str))
    sums = np.zeros((len(uniques), raw.shape[1] + 1))
    np.add.at(sums, codes, np.column_stack([raw, np.ones(len(codes))]))
    per_doc = np.log1p(sums) if how == "totals" else sums[:, :-1] / sums[:, -1:]
    out: np.ndarray = per_doc[codes]
    return out


def _neighbour_block(own: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Return the rows ``row`` of ``own`` (zeros where ``row`` is -1), then a column marking rows without one."""
    got = np.where((row >= 0)[:, None], own[np.maximum(row, 0)], 0.0)
    return np.column_stack([got, (row < 0).astype(float)])


def build_features(X: Any, *, lexicon: LexiconSource, cues: LexiconSource | None, rule_kwargs: Mapping[str, Any],
                   frames: Sequence[str] | None, context: bool, following: bool = False,
                   document: str | None = None, words: float = 0.0) -> _Features:
    """Features of the sentences of ``X`` (see the module docstring for the blocks).

    ``frames`` (None: every frame the rule reports) are the labels; the features use every category.
    """
    from framing.scoring import FRAME_ID_COLUMNS, frame_table, lexicon_hits

    sents = _sentences_table(X)
    lex = load_lexicon(lexicon)
    check_category_columns(lex, (*FRAME_ID_COLUMNS, "evidence"), prefixes=("n_", "p_"), table="the label table")
    rule = frame_table(sents, lexicon=lex, cues=cues, **rule_kwargs)
    keys = pd.MultiIndex.from_frame(sents[["doc_id", "sent_id"]])
    rule = rule.set_index(["doc_id", "sent_id"]).reindex(keys).reset_index()
    lex_frames = [c for c in lex.categories if c in rule.columns and f"n_{c}" in rule.columns]
    if not lex_frames:
        raise ParameterError(f"frame_table reports none of the categories of lexicon {lex.name!r}")
    labels = lex_frames if frames is None else list(frames)
    unknown = [f for f in labels if f not in lex_frames]
    if unknown:
        raise ParameterError(f"frames {unknown} are not frames of lexicon {lex.name!r} (its frames: {lex_frames})")
    hits = lexicon_hits(sents, lex).assign(lexicon="frames")
    blocks = [_count_block(hits, keys, lex.categories)]
    names = [f"hit:{c}" for c in lex.categories] + [f"hit_negated:{c}" for c in lex.categories]
    doc_cols = list(range(len(lex.categories)))  # non-negated frame hits, cue hits and rule labels: document totals
    doc_names = [f"doc:hit:{c}" for c in lex.categories]
    if cues is not None:
        cue_lex = load_lexicon(cues)
        cue_hits = lexicon_hits(sents, cue_lex).assign(lexicon="cues")
        blocks.append(_count_block(cue_hits, keys, cue_lex.categories))
        doc_cols += [len(names) + i for i in range(len(cue_lex.categories))]
        doc_names += [f"doc:cue:{c}" for c in cue_lex.categories]
        names += [f"cue:{c}" for c in cue_lex.categories] + [f"cue_negated:{c}" for c in cue_lex.categories]
        hits = pd.concat([hits, cue_hits], ignore_index=True)
    blocks.append(rule[lex_frames].to_numpy(dtype=float, na_value=0.0))
    doc_cols += [len(names) + i for i in range(len(lex_frames))]
    doc_names += [f"doc:rule:{f}" for f in lex_frames] + (["doc:sentences"] if document == "totals" else [])
    blocks.append(rule[[f"n_{f}" for f in lex_frames]].to_numpy(dtype=float, na_value=0.0))
    names += [f"rule:{f}" for f in lex_frames] + [f"n:{f}" for f in lex_frames]
    text = sents["text"].astype(str)
    blocks.append(np.column_stack([text.str.count(rx).to_numpy(dtype=float) for rx in SURFACE.values()]))
    names += [f"surface:{n}" for n in SURFACE]
    raw = np.hstack(blocks)
    own = np.log1p(raw)
    prev = _neighbour_row(sents, -1)
    nxt = _neighbour_row(sents, 1)
    parts, own_names = [own], list(names)
    if context:
        parts.append(_neighbour_block(own, prev))
        names += [f"prev:{n}" for n in own_names] + ["paragraph_start"]
    if following:
        parts.append(_neighbour_block(own, nxt))
        names += [f"next:{n}" for n in own_names] + ["paragraph_end"]
    if document is not None:
        parts.append(document_block(raw[:, doc_cols], sents["doc_id"], document))
        names += [f"{n}:{document}" for n in doc_names]
    parts.append(np.column_stack([
        np.log1p(text.str.count(r"\w+").to_numpy(dtype=float)),
        text.str.contains(_DQUOTE, regex=True).to_numpy(dtype=float),
        text.str.contains("?", regex=False).to_numpy(dtype=float),
    ]))
    names += ["log_words", "quotation", "question"]
    matrix: Any = np.hstack(parts)
    if words > 0:
        matrix = _with_words(matrix, text, words)
        names += [f"word:{i}" for i in range(WORD_FEATURES)]
    return _Features(sents, matrix, names, rule, hits, prev, labels, nxt if following else None)


def _with_words(dense: np.ndarray, text: pd.Series, scale: float) -> Any:
    """``dense`` with the hashed word block (times ``scale``) beside it, as one sparse CSR matrix."""
    from scipy import sparse
    from sklearn.feature_extraction.text import HashingVectorizer

    vec = HashingVectorizer(n_features=WORD_FEATURES, ngram_range=(1, 2), alternate_sign=False, binary=True,
                            norm="l2")
    return sparse.hstack([sparse.csr_matrix(dense), vec.transform(text.tolist()) * float(scale)], format="csr")


EVIDENCE_COLUMNS = ["row", "doc_id", "sent_id", "frame", "source", "lexicon", "category", "entry", "matched",
                    "negated", "start", "end"]


def label_evidence(feats: _Features, labels: np.ndarray, frames: Sequence[str], *, context: bool) -> pd.DataFrame:
    """Return the hits behind every positive label of ``labels`` (rows of ``feats``, columns ``frames``).

    For a sentence labelled F: its own F hits and cue hits (``source`` ``sentence``), with ``context`` the F
    hits of the previous sentence of the paragraph (``context``), with the ``following`` features those of the
    next one (``next``); a label with none of them has one row with ``source == "none"``. Columns
    :data:`EVIDENCE_COLUMNS` (``row``: the row of ``feats``).
    """
    cols = EVIDENCE_COLUMNS
    rows_i, frames_j = np.nonzero(labels)
    pos = pd.DataFrame({"row": rows_i, "frame": np.asarray(list(frames), dtype=object)[frames_j]})
    if pos.empty:
        return pd.DataFrame(columns=cols)
    keys = pd.MultiIndex.from_frame(feats.sents[["doc_id", "sent_id"]])
    hits = feats.hits.copy()
    hits["hit_row"] = keys.get_indexer(pd.MultiIndex.from_frame(hits[["doc_id", "sent_id"]]))
    hits = hits.drop(columns=["doc_id", "sent_id"])
    frame_hits = hits[hits["lexicon"] == "frames"]
    own_frame = pos.merge(frame_hits, left_on=["row", "frame"], right_on=["hit_row", "category"])
    own_cue = pos.merge(hits[hits["lexicon"] == "cues"], left_on="row", right_on="hit_row")
    parts = [own_frame.assign(source="sentence"), own_cue.assign(source="sentence")]
    for source, row in (("context", feats.prev if context else None), ("next", feats.following)):
        if row is None:
            continue
        near = pos.assign(near_row=row[pos["row"].to_numpy()])
        near = near[near["near_row"] >= 0].merge(frame_hits, left_on=["near_row", "frame"],
                                                 right_on=["hit_row", "category"])
        parts.append(near.drop(columns="near_row").assign(source=source))
    found = [p for p in parts if not p.empty]
    ev = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=[*cols, "hit_row"])
    covered = pd.MultiIndex.from_frame(ev[["row", "frame"]]) if not ev.empty else pd.MultiIndex.from_tuples(
        [], names=["row", "frame"])
    bare = pos[~pd.MultiIndex.from_frame(pos[["row", "frame"]]).isin(covered)].assign(source="none")
    ev = pd.concat([ev, bare], ignore_index=True)
    ev["doc_id"] = feats.sents["doc_id"].to_numpy()[ev["row"].to_numpy(dtype=np.int64)]
    ev["sent_id"] = feats.sents["sent_id"].to_numpy()[ev["row"].to_numpy(dtype=np.int64)]
    order = {"sentence": 0, "context": 1, "next": 2, "none": 3}
    ev = ev.assign(_s=ev["source"].map(order), _f=ev["frame"].map({f: i for i, f in enumerate(frames)}))
    ev = ev.sort_values(["row", "_f", "_s", "start"], kind="stable")
    return ev[cols].reset_index(drop=True)


def evidence_column(ev: pd.DataFrame, n_rows: int) -> np.ndarray:
    """Return the ``evidence`` strings of a label table of ``n_rows`` rows from :func:`label_evidence`.

    ``frame: entry, entry; ...`` per row; ``(prev)`` / ``(next)`` marks a hit of the previous / next sentence,
    ``(no hit)`` a label with none.
    """
    if ev.empty:
        return np.full(n_rows, "", dtype=object)
    entry = ev["entry"].astype(object).where(ev["source"] != "none", "(no hit)").astype(str)
    mark = ev["source"].map({"context": " (prev)", "next": " (next)"}).fillna("")
    ev = ev.assign(item=entry + mark).drop_duplicates(["row", "frame", "item"])
    per_frame = ev.groupby(["row", "frame"], sort=False)["item"].agg(", ".join).reset_index()
    per_frame["text"] = per_frame["frame"] + ": " + per_frame["item"]
    joined = per_frame.groupby("row", sort=True)["text"].agg("; ".join)
    out: np.ndarray = joined.reindex(range(n_rows), fill_value="").to_numpy()
    return out
