"""Building the paragraphs, sentences and removed-spans tables of a corpus, column by column.

The documents are cut into batches of about :data:`BATCH_CHARS` characters (this bounds the working
memory); in each batch boilerplate is found for all documents at once
(:func:`framing.clean.find_boilerplate_many`: one scan of all the rules, then each rule over the few documents
where one may match), the batch is segmented at once (:func:`framing.segvec.segment_texts`) and each
table is assembled from arrays. :func:`framing.corpus.process_corpus` is the public entry point.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from framing.clean import RuleSet, find_boilerplate_many, mask_spans
from framing.progress import progress_bar
from framing.segment import ParagraphMode
from framing.segvec import MAX_SENTENCE_TOKENS, segment_texts, span_texts

__all__ = ["BATCH_CHARS", "MAX_SENTENCE_TOKENS", "build_tables"]

BATCH_CHARS = 4_000_000
"""Texts are cleaned and segmented in batches of about this many characters (bounds the working memory)."""


def _batches(lengths: list[int], size: int) -> list[slice]:
    out: list[slice] = []
    start, total = 0, 0
    for i, n in enumerate(lengths):
        total += n
        if total >= size:
            out.append(slice(start, i + 1))
            start, total = i + 1, 0
    if start < len(lengths):
        out.append(slice(start, len(lengths)))
    return out


def _int_columns(df: pd.DataFrame) -> pd.DataFrame:
    for col in ("para_id", "sent_id", "start", "end", "n_tokens"):
        if col in df.columns:
            df[col] = df[col].astype("int64")
    return df


def build_tables(
    ids: list[str],
    texts: list[str],
    rules: RuleSet,
    *,
    paragraph_mode: ParagraphMode = "auto",
    max_sentence_tokens: int | None = MAX_SENTENCE_TOKENS,
    progress: bool = False,
    desc: str = "prepare",
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """Clean and segment ``texts`` (ids ``ids``); return paragraphs, sentences, removed spans, long documents.

    The tables have the columns of :class:`framing.corpus.ProcessedCorpus`; the last item lists the ids of
    documents whose over-long sentences were split (see :func:`framing.segvec.segment_texts`).
    """
    parts: dict[str, list[pd.DataFrame]] = {"paragraphs": [], "sentences": []}
    removed_rows: list[tuple[Any, ...]] = []
    long_docs: list[str] = []
    with progress_bar(len(texts), enabled=progress, desc=desc) as bar:
        for batch in _batches([len(t) for t in texts], BATCH_CHARS):
            raw, names = texts[batch], ids[batch]
            removed = find_boilerplate_many(raw, rules)
            masked = [mask_spans(t, r) for t, r in zip(raw, removed, strict=True)]
            seg = segment_texts(masked, paragraph_mode, max_sentence_tokens=max_sentence_tokens)
            long_docs += [names[i] for i in seg.long_docs]
            doc_ids = np.asarray(names, dtype=object)
            parts["paragraphs"].append(pd.DataFrame({
                "doc_id": doc_ids[seg.para_doc], "para_id": seg.para_id, "start": seg.para_start,
                "end": seg.para_end, "text": span_texts(raw, seg.para_doc, seg.para_start, seg.para_end),
                "is_heading": seg.para_heading.astype(bool),
            }))
            parts["sentences"].append(pd.DataFrame({
                "doc_id": doc_ids[seg.sent_doc], "sent_id": seg.sent_id, "para_id": seg.sent_para,
                "start": seg.sent_start, "end": seg.sent_end,
                "text": span_texts(raw, seg.sent_doc, seg.sent_start, seg.sent_end), "n_tokens": seg.sent_tokens,
            }))
            removed_rows += [(d, r.start, r.end, r.rule, r.text) for d, spans in zip(names, removed, strict=True)
                             for r in spans]
            bar.update(len(raw), sum(map(len, raw)))
    columns = {"paragraphs": ["doc_id", "para_id", "start", "end", "text", "is_heading"],
               "sentences": ["doc_id", "sent_id", "para_id", "start", "end", "text", "n_tokens"]}
    tables = {
        name: _int_columns(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns[name]))
        for name, frames in parts.items()
    }
    tables["paragraphs"]["is_heading"] = tables["paragraphs"]["is_heading"].astype(bool)
    removed = _int_columns(pd.DataFrame(removed_rows, columns=["doc_id", "start", "end", "rule", "text"]))
    return tables["paragraphs"], tables["sentences"], removed, long_docs
