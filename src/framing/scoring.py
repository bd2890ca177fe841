"""Scores and evidence from lexicon hits: sentence frames, document and group scores, intervals, KWIC.

Sentence frame rule (``rule`` of :func:`frame_table`; see ``docs/lexicons.md``)
--------------------------------------------------------------------------------
A frame lexicon (``blame_frames``) says *where* blame is located; a cue lexicon (``blame_cues``) says *that*
there is blame (fault, failure, condemnation, accountability); a case file (``case=``, docs/cases.md) adds the
people and organisations of one case as loci. Negated hits count unless ``include_negated=False`` (a denial
still locates the blame under discussion; the ``negated`` column of the hits records it).

- ``"coder"`` (default): reads a sentence the way the codebook tells a coder to: a locus and a blame signal,
  with persons and organisations found by name, reporting clauses treated as voice, rhetorical questions,
  and context from the lead-in of a list, an open quotation or the previous sentence
  (:mod:`framing.framerules`; each part switchable).
- ``"any"``: a sentence carries frame F when it has at least one F hit.
- ``"cue_sentence"``: ... when it has an F hit and a blame cue anywhere in the same sentence, or
  an F hit of weight >= ``strong_weight`` (entries that carry blame by themselves: ``sacked``,
  ``box-ticking``, ``buck stops here``).
- ``"cue_window"``: as ``cue_sentence`` but the cue must lie within ``window`` words of the F hit.

A sentence may carry several frames. ``n_F`` columns count F hits whatever the rule (so users can apply
their own rule). Document frame share = share of the document's content sentences that carry F.

Speed: matching is one literal scan per chunk of sentences (Hyperscan, or pyahocorasick where Hyperscan is not
installed; :mod:`framing.match`); everything
after it is vectorised pandas/numpy (no loop over tokens or entries).
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from framing._scoring_groups import bootstrap_shares, document_scores, group_scores
from framing._scoring_signature import instrument_signature, lexicon_fingerprint
from framing.errors import NotFittedError, ParameterError
from framing.framerules import ADDRESS, PARTISAN, coder_labels
from framing.lexicon import Lexicon, LexiconSource, check_category_columns, load_lexicon
from framing.match import compile_lexicon, count_matrix, match_sentences, match_sentences_many
from framing.types import (
    DEFAULT_CUES_LEXICON,
    DEFAULT_FRAMES_LEXICON,
    FRAME_RULES,
    ProcessedCorpusLike,
    require_tables,
    text_column,
    text_input_tags,
)

if TYPE_CHECKING:
    from framing.cases import CaseSource

__all__ = [
    "FRAME_ID_COLUMNS",
    "RULES",
    "LexiconVectorizer",
    "bootstrap_shares",
    "document_scores",
    "frame_counts",
    "frame_kwic",
    "frame_table",
    "group_scores",
    "instrument_signature",
    "kwic",
    "labelled_hits",
    "lexicon_fingerprint",
    "lexicon_hits",
    "top_terms",
]

RULES = FRAME_RULES
"""The sentence decision rules of :func:`frame_table`."""
FRAME_ID_COLUMNS = ("doc_id", "sent_id", "para_id", "start", "end", "text")
"""Identifier columns of :func:`frame_table` (``para_id`` is read, not written): no frame category may be named so."""

def _sentences(corpus: ProcessedCorpusLike | pd.DataFrame) -> pd.DataFrame:
    sents = getattr(corpus, "sentences", corpus)
    if not isinstance(sents, pd.DataFrame):
        raise ParameterError(f"corpus must be a ProcessedCorpus or a sentences DataFrame, got {type(corpus).__name__}")
    missing = [c for c in ("doc_id", "sent_id", "start", "end", "text") if c not in sents.columns]
    if missing:
        raise ParameterError(f"sentences table lacks column(s) {missing}")
    return sents


def lexicon_hits(corpus: ProcessedCorpusLike | pd.DataFrame, lexicon: LexiconSource = DEFAULT_FRAMES_LEXICON, *,
                 negation: bool = True, case: CaseSource | Lexicon | None = None) -> pd.DataFrame:
    """Every hit of ``lexicon`` in the content sentences of ``corpus`` (see :func:`framing.match.match_sentences`).

    With ``case`` (a case file's name or path, as :func:`frame_table` takes it) the hits of the case file's frame
    entries in the lexicon's categories are added, as :func:`frame_table` counts them: the hits behind its
    ``n_<frame>`` columns, case included, in text order.
    """
    case_lex = _case_frame_lexicon(case)
    if case_lex is None:
        return match_sentences(_sentences(corpus), lexicon, negation=negation)
    lex, sents = load_lexicon(lexicon), _sentences(corpus)
    own, extra = (match_sentences(sents, x, negation=negation) for x in (lex, case_lex))
    hits = _with_case_hits(own, extra, lex.categories)
    doc_order = {d: i for i, d in enumerate(dict.fromkeys(sents["doc_id"]))}
    order = hits.assign(_doc=hits["doc_id"].map(doc_order)).sort_values(["_doc", "start", "end"], kind="stable")
    return hits.loc[order.index].reset_index(drop=True)


def _keyed_counts(hits: pd.DataFrame, keys: pd.DataFrame, categories: Sequence[str]) -> np.ndarray:
    """Return a (len(keys) x len(categories)) count matrix of ``hits`` per (doc_id, sent_id) row of ``keys``."""
    out = np.zeros((len(keys), len(categories)), dtype=np.int64)
    if hits.empty:
        return out
    index = pd.MultiIndex.from_frame(keys[["doc_id", "sent_id"]])
    rows = index.get_indexer(pd.MultiIndex.from_frame(hits[["doc_id", "sent_id"]]))
    cat_idx = {c: i for i, c in enumerate(categories)}
    cols = hits["category"].map(cat_idx).to_numpy()
    ok = (rows >= 0) & ~pd.isna(cols)
    np.add.at(out, (rows[ok], cols[ok].astype(np.int64)), 1)
    return out


def _with_case_hits(own: pd.DataFrame, case_hits: pd.DataFrame, categories: Sequence[str]) -> pd.DataFrame:
    """Return the frame lexicon's hits and the case file's in its categories: the hits the frame table counts."""
    return pd.concat([own, case_hits[case_hits["category"].isin(list(categories))]], ignore_index=True)


def _case_frame_lexicon(case: CaseSource | Lexicon | None) -> Lexicon | None:
    """Return the frame lexicon of a case file (a name, a path, a ``Case`` or directly a frame ``Lexicon``)."""
    from framing.cases import load_case, no_case  # dictionaries layer; imported here to keep start-up light

    if case is None or no_case(case):
        return None  # "" is no case, as the notebooks' ``case`` parameter and the CLI's ``--case ''`` read it
    if isinstance(case, Lexicon):
        return case
    loaded = load_case(case) if isinstance(case, str | os.PathLike) else case
    frame_lex: Lexicon = loaded.frame_lexicon()
    return frame_lex


def _check_switches(**switches: Any) -> None:
    """Refuse a rule switch that is not a bool (``"false"`` is truthy: it would silently mean True)."""
    for name, value in switches.items():
        if not isinstance(value, bool | np.bool_):
            raise ParameterError(f"{name} must be True or False, got {value!r}")


def _check_rule(rule: str, window: int, cues: LexiconSource | None, strong_weight: float = 2.0) -> None:
    if rule not in RULES:
        raise ParameterError(f"rule must be one of {RULES}, got {rule!r}")
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise ParameterError(f"window must be a non-negative integer, got {window!r}")
    if (isinstance(strong_weight, bool) or not isinstance(strong_weight, (int, float, np.integer, np.floating))
            or not strong_weight > 0):
        raise ParameterError(f"strong_weight must be a positive number (inf disables), got {strong_weight!r}")
    if rule != "any" and cues is None:
        raise ParameterError(f"rule {rule!r} needs a cue lexicon (cues=None given)")


def frame_table(
    corpus: ProcessedCorpusLike | pd.DataFrame,
    lexicon: LexiconSource = DEFAULT_FRAMES_LEXICON,
    *,
    cues: LexiconSource | None = DEFAULT_CUES_LEXICON,
    case: CaseSource | Lexicon | None = None,
    rule: str = "coder",
    window: int = 10,
    strong_weight: float = 2.0,
    include_negated: bool = True,
    persons: bool = True,
    voice: bool = True,
    context: bool = True,
    questions: bool = True,
    agentless: bool = True,
) -> pd.DataFrame:
    """One row per content sentence with 0/1 frame labels and hit counts.

    Parameters
    ----------
    corpus : ProcessedCorpus or DataFrame
        A processed corpus (its ``sentences``) or a sentences table (doc_id, sent_id, start, end, text;
        ``para_id`` is used by the context rules when present).
    lexicon : str, path or Lexicon
        The case-independent frame lexicon (default ``blame_frames``); its categories become the frame columns.
    cues : str, path, Lexicon or None
        The cue lexicon (all its categories are cues). Required by every rule but ``any``.
    case : str, path, Case, Lexicon or None
        A case file (``baby_p`` or a path; see docs/cases.md) whose people and organisations are frame loci
        too. Without one (``None`` or ``""``) only the case-independent lexicons run.
    rule : {"coder", "any", "cue_sentence", "cue_window"}
        The decision rule (module docstring; ``coder`` in :mod:`framing.framerules`).
    window : int
        For ``cue_window``: the largest distance in words between a frame hit and a cue.
    strong_weight : float
        Frame entries with at least this weight count without a cue; a positive number (``inf`` disables).
    include_negated : bool
        Count negated hits too (default: yes; a denial still locates the blame under discussion, and the
        ``negated`` column of the hits records it as blame avoidance).
    persons, voice, context, questions, agentless : bool
        The parts of the ``coder`` rule (:mod:`framing.framerules`); ignored by the other rules.

    Returns
    -------
    DataFrame
        ``doc_id, sent_id, start, end, text``, one 0/1 column per frame, then ``n_<frame>`` counts.
    """
    _check_rule(rule, window, cues, strong_weight)
    _check_switches(include_negated=include_negated, persons=persons, voice=voice, context=context,
                    questions=questions, agentless=agentless)
    sents = _sentences(corpus)
    lex = load_lexicon(lexicon)
    check_category_columns(lex, FRAME_ID_COLUMNS)
    frames = list(lex.categories)
    cols = ["doc_id", "sent_id", "start", "end", "text"] + (["para_id"] if "para_id" in sents.columns else [])
    out = sents[cols].reset_index(drop=True).copy()
    case_lex = _case_frame_lexicon(case)
    # every lexicon in one pass over the texts (normalised once): frames, the case's frame lexicon, cues
    matched = match_sentences_many(out, [lex] + ([case_lex] if case_lex is not None else [])
                                   + ([load_lexicon(cues)] if rule != "any" and cues is not None else []))
    hits = matched[0] if case_lex is None else _with_case_hits(matched[0], matched[1], frames)
    if not include_negated:
        hits = hits[~hits["negated"]]
    counts = _keyed_counts(hits, out, frames)
    if rule == "any":
        labels = counts > 0
    else:
        assert cues is not None
        cue_hits = matched[-1]
        if not include_negated:
            cue_hits = cue_hits[~cue_hits["negated"]]
        ok = hits["weight"].to_numpy() >= strong_weight
        if rule == "coder":
            lexicons = [lex] + ([case_lex] if case_lex is not None else [])
            labels = _coder(out, hits, cue_hits, ok, frames, lexicons, persons=persons, voice=voice,
                            context=context, questions=questions, agentless=agentless)
        else:
            if rule == "cue_sentence":
                with_cue = pd.MultiIndex.from_frame(hits[["doc_id", "sent_id"]]).isin(
                    pd.MultiIndex.from_frame(cue_hits[["doc_id", "sent_id"]]))
            else:
                pairs = hits.reset_index(drop=True).reset_index().merge(
                    cue_hits[["doc_id", "sent_id", "token"]].rename(columns={"token": "cue_token"}),
                    on=["doc_id", "sent_id"])
                close = pairs.loc[(pairs["token"] - pairs["cue_token"]).abs() <= window, "index"].unique()
                with_cue = np.isin(np.arange(len(hits)), close)
            counted = hits[ok | np.asarray(with_cue, dtype=bool)]
            labels = _keyed_counts(counted, out, frames) > 0
    out = out.drop(columns=[c for c in ("para_id",) if c in out.columns])
    for j, f in enumerate(frames):
        out[f] = labels[:, j].astype(np.int64)
    for j, f in enumerate(frames):
        out[f"n_{f}"] = counts[:, j]
    return out


def _row_index(hits: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    index = pd.MultiIndex.from_frame(keys[["doc_id", "sent_id"]])
    return np.asarray(index.get_indexer(pd.MultiIndex.from_frame(hits[["doc_id", "sent_id"]])), dtype=np.int64)


def _coder(out: pd.DataFrame, hits: pd.DataFrame, cue_hits: pd.DataFrame, strong: np.ndarray,
           frames: Sequence[str], lexicons: Sequence[Lexicon], **parts: bool) -> np.ndarray:
    """Labels of the coder rule, computed in document order and returned in the order of ``out``."""
    keys = ["_d"] + (["para_id"] if "para_id" in out.columns else []) + ["sent_id"]
    key_frame = out[keys[1:]].assign(_d=pd.factorize(out["doc_id"])[0])  # no text column to reorder
    order = key_frame.sort_values(keys, kind="stable").index.to_numpy()
    in_order = bool((order == np.arange(len(out))).all())  # a processed corpus's sentences already are
    rank = np.empty(len(out), dtype=np.int64)
    rank[order] = np.arange(len(out))
    hit_rows = _row_index(hits, out)
    partisan = {e.pattern for lex in lexicons for e in lex.entries if e.rationale.startswith(PARTISAN)}
    address = {e.pattern for lex in lexicons for e in lex.entries if e.rationale.startswith(ADDRESS)}
    loci = pd.DataFrame({
        "row": rank[hit_rows],
        "frame": hits["category"].map({f: i for i, f in enumerate(frames)}).to_numpy(dtype=np.int64),
        "start": hits["start"].to_numpy(dtype=np.int64) - out["start"].to_numpy(dtype=np.int64)[hit_rows],
        "end": hits["end"].to_numpy(dtype=np.int64) - out["start"].to_numpy(dtype=np.int64)[hit_rows],
        "strong": np.asarray(strong, dtype=bool),
        "partisan": hits["entry"].isin(partisan).to_numpy(),
        "address": hits["entry"].isin(address).to_numpy(),
    })
    cues = pd.DataFrame({"row": rank[_row_index(cue_hits, out)], "category": cue_hits["category"].to_numpy()})
    sents = out.reset_index(drop=True) if in_order else out.iloc[order].reset_index(drop=True)
    labels = coder_labels(sents, loci, cues, frames, **parts)
    return labels if in_order else labels[rank]


def kwic(hits: pd.DataFrame, corpus: ProcessedCorpusLike, *, width: int = 60) -> pd.DataFrame:
    """Keyword-in-context rows for ``hits`` (from :func:`lexicon_hits`), from the raw document texts.

    Returns
    -------
    DataFrame
        doc_id, sent_id, start, end, category, entry, negated, left, match, right: up to ``width`` characters
        of context on each side, in whole words (a word the width cuts is left out), line breaks shown as
        spaces; the context may cross sentence boundaries.
    """
    from framing.evidence import kwic_columns

    require_tables(corpus, "kwic", "documents")
    docs = corpus.documents
    out = hits[["doc_id", "sent_id", "start", "end", "category", "entry", "negated"]].reset_index(drop=True)
    ctx = kwic_columns(dict(zip(docs["doc_id"].astype(str), docs["text"].astype(str), strict=True)),
                       out["doc_id"].astype(str).tolist(), out["start"].astype(int).tolist(),
                       out["end"].astype(int).tolist(), width=width, whole_words=True)
    return pd.concat([out, ctx], axis=1)


def top_terms(hits: pd.DataFrame, *, n: int = 10, include_negated: bool = False) -> pd.DataFrame:
    """Return the entries that drive each category: category, entry, n_hits, n_docs, share (of the category's hits).

    ``hits`` is the table of :func:`lexicon_hits`; ``n`` (a positive integer) is the number of entries kept per
    category.
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ParameterError(f"n must be a positive integer, got {n!r}")
    h = hits if include_negated else hits[~hits["negated"].astype(bool)]
    if h.empty:
        return pd.DataFrame(columns=["category", "entry", "n_hits", "n_docs", "share"])
    g = h.groupby(["category", "entry"], sort=False)
    out = g.agg(n_hits=("doc_id", "size"), n_docs=("doc_id", "nunique")).reset_index()
    out["share"] = out["n_hits"] / out.groupby("category")["n_hits"].transform("sum")
    cat_order = {c: i for i, c in enumerate(dict.fromkeys(hits["category"]))}
    out = out.assign(_c=out["category"].map(cat_order))
    out = out.sort_values(["_c", "n_hits", "entry"], ascending=[True, False, True], kind="stable")
    return out.groupby("category", sort=False).head(n).drop(columns="_c").reset_index(drop=True)


class LexiconVectorizer(TransformerMixin, BaseEstimator):
    """Count lexicon categories in texts: a scikit-learn transformer.

    Parameters
    ----------
    lexicon : str, path or Lexicon
        A shipped name (``blame_frames``) or a lexicon file in any supported format.
    include_negated : bool
        Count hits inside negation scopes too (default True: plain dictionary counts, as LIWC does). Words are
        runs of letters and digits: apostrophes and hyphens split them, unlike LIWC-22 (``can't`` counts for
        ``can``; :func:`framing.match.count_matrix`, docs/lexicons.md "What a word is").
    weighted : bool
        Sum entry weights instead of counting hits.

    Attributes
    ----------
    lexicon_ : Lexicon
        The loaded lexicon.
    feature_names_out_ : ndarray of str
        The category names (columns of the output).
    """

    def __init__(self, lexicon: LexiconSource = DEFAULT_FRAMES_LEXICON, *, include_negated: bool = True,
                 weighted: bool = False) -> None:
        self.lexicon = lexicon
        self.include_negated = include_negated
        self.weighted = weighted

    def fit(self, X: Sequence[str], y: Any = None) -> LexiconVectorizer:
        """Load and compile the lexicon (``X`` is not used, as in a dictionary method)."""
        for name in ("include_negated", "weighted"):
            if not isinstance(getattr(self, name), bool):
                raise ParameterError(f"{name} must be True or False, got {getattr(self, name)!r}")
        self.lexicon_ = load_lexicon(self.lexicon)
        compile_lexicon(self.lexicon_)
        self.feature_names_out_ = np.asarray(self.lexicon_.categories, dtype=object)
        self.n_features_out_ = len(self.lexicon_.categories)
        return self

    def transform(self, X: Sequence[str]) -> sp.csr_matrix:
        """Return a sparse (texts x categories) matrix of counts (or weights)."""
        if not hasattr(self, "lexicon_"):
            raise NotFittedError("LexiconVectorizer is not fitted yet; call fit or fit_transform first")
        return count_matrix(text_column(X, "X"), self.lexicon_, include_negated=self.include_negated,
                            weighted=self.weighted)

    def __sklearn_tags__(self) -> Any:
        """Declare string input (texts, as ``CountVectorizer``): :func:`framing.types.text_input_tags`."""
        return text_input_tags(super().__sklearn_tags__())

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Return the category names."""
        if not hasattr(self, "feature_names_out_"):
            raise NotFittedError("LexiconVectorizer is not fitted yet; call fit or fit_transform first")
        return self.feature_names_out_.copy()


def frame_counts(frames: pd.DataFrame, hits: pd.DataFrame, categories: Sequence[str]) -> pd.DataFrame:
    """Per frame: sentences carrying it, its hits and its negated hits.

    ``frames`` is :func:`frame_table` (``FRAME`` and ``n_FRAME`` columns), ``hits`` :func:`lexicon_hits`
    of the frame lexicon. Columns ``frame``, ``sentences with the frame``, ``hits``, ``negated hits``.
    """
    return pd.DataFrame({
        "frame": list(categories),
        "sentences with the frame": [int(frames[f].sum()) for f in categories],
        "hits": [int(frames[f"n_{f}"].sum()) for f in categories],
        "negated hits": [int(((hits.category == f) & hits.negated).sum()) for f in categories],
    })


def labelled_hits(hits: pd.DataFrame, frames: pd.DataFrame, categories: Sequence[str]) -> pd.DataFrame:
    """Return the rows of ``hits`` whose sentence carries the hit's frame in ``frames`` (:func:`frame_table`)."""
    labelled = frames.melt(id_vars=["doc_id", "sent_id"], value_vars=list(categories), var_name="category",
                           value_name="on")
    keys = labelled[labelled.on == 1][["doc_id", "sent_id", "category"]]
    return hits.merge(keys, on=["doc_id", "sent_id", "category"])


def frame_kwic(
    hits: pd.DataFrame, cue_hits: pd.DataFrame, corpus: ProcessedCorpusLike, *, width: int = 60,
    include_negated: bool = False
) -> pd.DataFrame:
    """:func:`kwic` rows of ``hits`` with a ``cues`` column: the sentence's blame cues, comma-joined.

    Cues are lowercased and listed once each, in order of appearance; negated cues count only with
    ``include_negated``. A sentence without a cue gets ``""``.
    """
    kept = cue_hits[~cue_hits.negated | include_negated]
    cues = (kept.groupby(["doc_id", "sent_id"])["matched"]
            .agg(lambda s: ", ".join(dict.fromkeys(s.str.lower()))).rename("cues").reset_index())
    return kwic(hits, corpus, width=width).merge(cues, on=["doc_id", "sent_id"], how="left").fillna({"cues": ""})
