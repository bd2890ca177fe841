"""Tests for framing.evidence and framing.report.write_evidence: KWIC rows behind every count."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from framing.errors import ParameterError
from framing.evidence import actor_evidence, frame_evidence, kwic_columns, term_evidence
from framing.report import anchor, write_evidence

TEXTS = {"d1": "The council failed.\nStaff were  not to blame.", "d2": "Ministers <script>x</script> failed."}


def _corpus() -> SimpleNamespace:
    docs = pd.DataFrame({"doc_id": list(TEXTS), "text": list(TEXTS.values())})
    sents = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "sent_id": [0, 1, 0], "start": [0, 20, 0],
                          "end": [19, 46, 37]})
    return SimpleNamespace(documents=docs, sentences=sents)


def test_kwic_columns_cut_context_at_document_edges_and_fold_whitespace() -> None:
    # "council" is d1[4:11]; "blame" is d1[39:44] (after "were  not to "); "failed" is d2[29:35]
    out = kwic_columns(TEXTS, ["d1", "d1", "d2"], [4, 39, 29], [11, 44, 35], width=6)
    assert out.to_dict("list") == {
        "left": ["The ", "ot to ", "ript> "],
        "match": ["council", "blame", "failed"],
        "right": [" faile", ".", "."],
    }
    assert kwic_columns(TEXTS, ["d1"], [4], [11], width=0).loc[0, "left"] == ""
    with pytest.raises(ParameterError, match="not in the corpus"):
        kwic_columns(TEXTS, ["d9"], [0], [1])


def test_kwic_columns_whole_words_leave_out_a_word_the_width_cuts() -> None:
    # "failed" is d2[29:35] as above: the 4 characters before it are "pt> ", inside "script": "pt" goes.
    # In "Zoë Brontë blamed Łódź officials", "blamed" is [11:17]: 4 characters each side are "ntë " and " Łód"
    # (inside "Brontë" and "Łódź": ź is a word character): whole words leave "ntë" and "Łód" out
    texts = {**TEXTS, "d3": "Zoë Brontë blamed Łódź officials"}
    cut = kwic_columns(texts, ["d3", "d2"], [11, 29], [17, 35], width=4, whole_words=True)
    assert cut.to_dict("list") == {"left": [" ", "> "], "match": ["blamed", "failed"], "right": [" ", "."]}
    kept = kwic_columns(texts, ["d3"], [11], [17], width=4)
    assert kept.loc[0, ["left", "right"]].tolist() == ["ntë ", " Łód"]
    # a window that ends at a word's edge cuts nothing: "Brontë " is [4:11] before "blamed", 7 characters
    assert kwic_columns(texts, ["d3"], [11], [17], width=7, whole_words=True).loc[0, "left"] == "Brontë "


def test_frame_evidence_keeps_every_hit_and_marks_the_counted_ones() -> None:
    hits = pd.DataFrame({
        "doc_id": ["d1", "d1", "d2"], "sent_id": [0, 1, 0], "start": [4, 39, 0], "end": [11, 44, 9],
        "category": ["systemic", "individual", "political"], "entry": ["council", "blame", "minister*"],
        "negated": [False, True, False],
    })
    table = pd.DataFrame({"doc_id": ["d1", "d1", "d2"], "sent_id": [0, 1, 0], "systemic": [1, 0, 0],
                          "individual": [0, 1, 0], "political": [0, 0, 0]})
    rows = frame_evidence(_corpus(), hits, table, width=4, matcher="aho")
    assert rows["match"].tolist() == ["council", "blame", "Ministers"]
    assert rows["labelled"].tolist() == [True, True, False]  # the d2 sentence is not labelled political
    assert rows["counted"].tolist() == [True, False, False]  # the negated hit does not count
    assert set(rows["matcher"]) == {"aho"}


def test_actor_and_term_evidence_find_every_occurrence_in_content_sentences() -> None:
    mentions = pd.DataFrame({"doc_id": ["d1"], "sent_id": [1], "start": [20], "end": [25], "actor": ["social_workers"],
                             "via": ["lexicon"], "genre": ["news"]})
    actors = actor_evidence(_corpus(), mentions, width=3)
    assert actors[["category", "match", "via"]].values.tolist() == [["social_workers", "Staff", "lexicon"]]
    terms = term_evidence(_corpus(), ["failed", "were not"], width=3)
    assert terms[["doc_id", "sent_id", "start", "category", "match"]].values.tolist() == [
        ["d1", 0, 12, "failed", "failed"],
        ["d1", 1, 26, "were not", "were not"],  # "were  not": any whitespace inside a term, shown as one space
        ["d2", 0, 29, "failed", "failed"],
    ]


def test_write_evidence_writes_csv_and_an_escaped_anchored_page(tmp_path: Path) -> None:
    rows = pd.DataFrame({"doc_id": ["d2", "d1"], "category": ["political", "systemic"], "left": ["<script>", ""],
                         "match": ["x", "y"], "right": ["", ""], "counted": [True, False]})
    csv, page = write_evidence(rows, "kwic_frames", tmp_path)
    assert csv == tmp_path / "evidence" / "kwic_frames.csv" and csv.is_file()
    html = page.read_text()
    assert f'id="{anchor("political")}"' in html and 'id="kwic-systemic"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "systemic: 1 row, 0 counted" in html
    with pytest.raises(ParameterError, match="category"):
        write_evidence(rows.drop(columns="category"), "x", tmp_path)
