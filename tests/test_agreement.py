"""Tests for framing.agreement: coding sheets, sheet import, Krippendorff's alpha, agreement tables.

Every expected value below is worked out by hand in the comments (or taken from Krippendorff 2011).
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from framing.agreement import (
    NOT_CODED,
    SHEET_COLUMNS,
    agreement,
    allocate_sample,
    document_predictions,
    krippendorff_alpha,
    make_coding_sheet,
    parse_binary_codes,
    read_coding_sheet,
    read_coding_sheets,
    threshold_curve,
    write_coding_sheet,
    write_validation_report,
)
from framing.corpus import ProcessedCorpus
from framing.errors import ParameterError, ValidationSheetError

NAN = np.nan
ROOT = Path(__file__).resolve().parents[1]
NFC = ROOT.parent / "shared" / "corpora" / "narrative-frames" / "articles_metadata.tsv.gz"


# --- a tiny hand-made processed corpus ---------------------------------------------------------------

SENTS = {
    # doc_id: (genre, [sentence texts]); documents are the sentences joined by one space
    "a": ("minister", ["The minister spoke.", "The council failed.", "Officials must resign."]),
    "b": ("blog", [f"Blog sentence {i}." for i in range(6)]),
    "c": ("news", [f"News sentence {i}." for i in range(9)]),
}


def _corpus() -> ProcessedCorpus:
    docs, sents = [], []
    for doc_id, (genre, texts) in SENTS.items():
        full = " ".join(texts)
        pos = 0
        for i, t in enumerate(texts):
            start = full.index(t, pos)
            sents.append(
                {
                    "doc_id": doc_id,
                    "sent_id": i,
                    "para_id": 0,
                    "start": start,
                    "end": start + len(t),
                    "text": t,
                    "n_tokens": len(t.split()),
                }
            )
            pos = start + len(t)
        docs.append({"doc_id": doc_id, "genre": genre, "text": full})
    empty = pd.DataFrame(columns=["doc_id", "start", "end", "rule", "text"])
    paras = pd.DataFrame(columns=["doc_id", "para_id", "start", "end", "text", "is_heading"])
    return ProcessedCorpus(pd.DataFrame(docs), paras, pd.DataFrame(sents), empty, "tiny")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "doc_id,sent_id,start,end,text,individual,systemic,political,coder,notes\n"


# --- allocation ----------------------------------------------------------------------------------------


def test_allocate_proportional_without_binding_minimum() -> None:
    # targets 10 * (10, 30, 60) / 100 = (1, 3, 6), all integers
    assert allocate_sample([10, 30, 60], 10, min_per_stratum=0).tolist() == [1, 3, 6]


def test_allocate_minimum_then_largest_shortfall() -> None:
    # base (5, 5, 5); targets (2, 6, 12); the 5 remaining units all go to the third stratum
    # (shortfalls -3, 1, 7 -> after four more it is 12 - 9 = 3 > 1, after five 2 > 1): (5, 5, 10)
    assert allocate_sample([10, 30, 60], 20, min_per_stratum=5).tolist() == [5, 5, 10]


def test_allocate_small_stratum_taken_whole_and_capped() -> None:
    # the first stratum has only 2 units: all of them; the rest go to the second
    assert allocate_sample([2, 100], 10, min_per_stratum=5).tolist() == [2, 8]
    assert allocate_sample([3, 4], 7, min_per_stratum=1).tolist() == [3, 4]


def test_allocate_rejects_impossible_sizes() -> None:
    with pytest.raises(ParameterError, match="n=11"):
        allocate_sample([5, 5], 11)
    with pytest.raises(ParameterError, match="minimum per stratum"):
        allocate_sample([10, 10, 10], 4, min_per_stratum=2)


# --- coding sheets -------------------------------------------------------------------------------------


def test_sheet_columns_strata_and_context() -> None:
    corpus = _corpus()
    # strata in sorted order blog 6, minister 3, news 9 (18 sentences); n=9, min 2:
    # targets (3, 1.5, 4.5), base (2, 2, 2), shortfalls (1, -0.5, 2.5) -> news (now 1.5), news (0.5),
    # blog (1 > 0.5): allocation blog 3, minister 2, news 4
    sheet = make_coding_sheet(corpus, 9, min_per_stratum=2, random_state=1)
    assert tuple(sheet.columns) == SHEET_COLUMNS
    assert sheet["genre"].value_counts().to_dict() == {"news": 4, "blog": 3, "minister": 2}
    assert not sheet.duplicated(["doc_id", "sent_id"]).any()
    assert list(sheet.itertuples(index=False)) == sorted(sheet.itertuples(index=False), key=lambda r: (r[0], r[1]))
    for col in ("individual", "systemic", "political", "coder", "notes"):
        assert (sheet[col] == "").all()
    texts = {(d, i): t for d, (_, ts) in SENTS.items() for i, t in enumerate(ts)}
    for row in sheet.itertuples(index=False):
        assert row.text == texts[(row.doc_id, row.sent_id)]
        assert row.context_before == texts.get((row.doc_id, row.sent_id - 1), "")
        assert row.context_after == texts.get((row.doc_id, row.sent_id + 1), "")
        assert corpus.documents.set_index("doc_id").loc[row.doc_id, "text"][row.start : row.end] == row.text


def test_sheet_is_seeded_and_blind() -> None:
    corpus = _corpus()
    one = make_coding_sheet(corpus, 9, min_per_stratum=2, random_state=7)
    two = make_coding_sheet(corpus, 9, min_per_stratum=2, random_state=7)
    pd.testing.assert_frame_equal(one, two)
    draws = {tuple(make_coding_sheet(corpus, 9, min_per_stratum=2, random_state=s)["text"]) for s in range(6)}
    assert len(draws) > 1
    assert not any(c.startswith("n_") or c in ("score", "hits", "lexicon") for c in one.columns)


def test_sheet_simple_random_and_unknown_strata() -> None:
    corpus = _corpus()
    sheet = make_coding_sheet(corpus, 18, strata=None, random_state=0)
    assert len(sheet) == 18
    with pytest.raises(ParameterError, match="'outlet'"):
        make_coding_sheet(corpus, 5, strata="outlet", random_state=0)


def test_written_sheet_round_trips_once_coded(tmp_path: Path) -> None:
    corpus = _corpus()
    sheet = make_coding_sheet(corpus, 6, min_per_stratum=2, random_state=3)
    sheet[["individual", "systemic", "political"]] = "0"
    sheet["coder"] = "ann"
    path = write_coding_sheet(sheet, tmp_path / "sheet.csv")
    coded = read_coding_sheet(path, corpus=corpus)
    assert len(coded) == 6
    assert coded["coder"].unique().tolist() == ["ann"]
    assert (coded["systemic"] == 0).all()
    assert coded["line"].tolist() == list(range(2, 8))


# --- reading coded sheets -------------------------------------------------------------------------------


def test_read_valid_sheet_types_and_not_coded(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "ann.csv",
        HEADER
        + "a,1,20,39,The council failed.,0,1,0,,\n"
        + f"a,2,40,62,Officials must resign., 1 ,0,,,{NOT_CODED.upper()}: political unclear\n",
    )
    coded = read_coding_sheet(path, corpus=_corpus())
    assert coded["coder"].tolist() == ["ann", "ann"]  # blank coder -> file stem
    assert coded["individual"].tolist() == [0, 1]
    assert str(coded["political"].dtype) == "Int8"
    assert coded["political"].isna().tolist() == [False, True]
    assert coded["sent_id"].tolist() == [1, 2]


def test_missing_column_names_file_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", "doc_id,sent_id,individual,systemic\na,0,0,0\n")
    with pytest.raises(ValidationSheetError, match=r"s\.csv, line 1: missing required column\(s\) 'political'"):
        read_coding_sheet(path)


def test_bad_code_names_line_and_column_across_multiline_text(tmp_path: Path) -> None:
    # the first record spans lines 2-3 (quoted newline), so the bad record starts on line 4
    path = _write(
        tmp_path / "s.csv",
        HEADER + 'b,0,,,"Blog\nsentence 0.",0,0,0,x,\n' + "b,1,,,Blog sentence 1.,0,2,0,x,\n",
    )
    with pytest.raises(ValidationSheetError, match=r"s\.csv, line 4, column 'systemic': '2' is not a code"):
        read_coding_sheet(path)


def test_blank_code_without_note_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", HEADER + "b,0,,,,0,,1,x,unsure\n")
    with pytest.raises(ValidationSheetError, match=r"line 2, column 'systemic': blank code"):
        read_coding_sheet(path)


def test_non_integer_sent_id(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", HEADER + "b,1.5,,,,0,0,1,x,\n")
    with pytest.raises(ValidationSheetError, match=r"line 2, column 'sent_id': '1.5' is not an integer"):
        read_coding_sheet(path)


def test_duplicate_rows_name_both_lines(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", HEADER + "b,0,,,,0,0,1,x,\nb,1,,,,0,0,1,x,\nb,0,,,,1,0,1,x,\n")
    with pytest.raises(ValidationSheetError, match=r"line 4, column 'sent_id': duplicate row .*first at line 2"):
        read_coding_sheet(path)
    # the same unit coded by two coders in one file is fine
    ok = _write(tmp_path / "t.csv", HEADER + "b,0,,,,0,0,1,x,\nb,0,,,,1,0,1,y,\n")
    assert read_coding_sheet(ok)["coder"].tolist() == ["x", "y"]


def test_unknown_ids_and_offsets_against_corpus(tmp_path: Path) -> None:
    corpus = _corpus()
    path = _write(
        tmp_path / "s.csv",
        HEADER + "zz,0,,,,0,0,0,x,\n" + "a,3,,,,0,0,0,x,\n" + "a,1,21,39,,0,0,0,x,\n" + "a,2,,,Other words.,0,0,0,x,\n",
    )
    with pytest.raises(ValidationSheetError) as info:
        read_coding_sheet(path, corpus=corpus)
    msg = str(info.value)
    assert "4 problems" in msg
    assert "line 2, column 'doc_id': unknown doc_id 'zz'" in msg
    assert "line 3, column 'sent_id': doc_id 'a' has no content sentence with sent_id 3" in msg
    assert "line 4, column 'start': 21 does not match the corpus sentence (20)" in msg
    assert "line 5, column 'text': text differs" in msg


def test_every_problem_in_one_pass_codes_blanks_and_unknown_ids(tmp_path: Path) -> None:
    # line 2: 'yes' is not a code; line 3: a blank code; line 4: sent 9999 does not exist; line 5: edited text;
    # line 6: blank doc_id (its row cannot be looked up in the corpus, and is not reported twice)
    path = _write(
        tmp_path / "s.csv",
        HEADER + "a,0,,,,yes,0,0,x,\n" + "a,1,,,,0,,0,x,\n" + "b,9999,,,,0,0,0,x,\n"
        + "a,2,,,Officials may resign.,0,0,0,x,\n" + ",3,,,,0,0,0,x,\n",
    )
    with pytest.raises(ValidationSheetError) as info:
        read_coding_sheet(path, corpus=_corpus())
    msg = str(info.value)
    assert "5 problems" in msg
    assert "line 2, column 'individual': 'yes' is not a code" in msg
    assert "line 3, column 'systemic': blank code" in msg
    assert "line 4, column 'sent_id': doc_id 'b' has no content sentence with sent_id 9999" in msg
    assert "line 5, column 'text': text differs" in msg
    assert "line 6, column 'doc_id': blank doc_id" in msg


def test_several_files_one_per_coder(tmp_path: Path) -> None:
    one = _write(tmp_path / "ann.csv", HEADER + "b,0,,,,0,0,1,,\n")
    two = _write(tmp_path / "bob.csv", HEADER + "b,0,,,,0,1,1,,\n")
    coded = read_coding_sheets([one, two])
    assert sorted(coded["coder"]) == ["ann", "bob"]
    same = _write(tmp_path / "ann2.csv", HEADER + "b,0,,,,0,1,1,ann,\n")
    with pytest.raises(ValidationSheetError, match=r"ann2\.csv, line 2, column 'coder': coder 'ann' already coded"):
        read_coding_sheets([one, same])


# --- Krippendorff's alpha -------------------------------------------------------------------------------


def test_alpha_hand_worked_binary_with_missing_values() -> None:
    # coders x units; unit 4 has a single value and is not pairable.
    # unit 1: (1, 1)      m=2 -> o11 += 2/1 = 2
    # unit 2: (0, 1, 1)   m=3 -> o00 += 0, o11 += (4-2)/2 = 1, o01 = o10 += 1*2/2 = 1
    # unit 3: (0, 0, 0)   m=3 -> o00 += (9-3)/2 = 3
    # o00 = 3, o11 = 3, o01 = o10 = 1; n0 = n1 = 4, n = 8
    # alpha = 1 - (n-1) (o01 + o10) / (n0 n1 + n1 n0) = 1 - 7 * 2 / 32 = 0.5625
    data = [[1, 0, 0, 1], [1, 1, 0, NAN], [NAN, 1, 0, NAN]]
    assert krippendorff_alpha(data) == pytest.approx(0.5625)
    assert krippendorff_alpha(np.array(data, dtype=float)) == pytest.approx(0.5625)


def test_alpha_krippendorff_2011_binary_two_coders() -> None:
    # Krippendorff (2011), section A: alpha = 0.095
    # by hand: o00 = 10, o11 = 2, o01 = o10 = 4, n0 = 14, n1 = 6, n = 20 -> 1 - 19 * 8 / 168 = 0.0952
    data = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
    assert krippendorff_alpha(data) == pytest.approx(1 - 19 * 8 / 168)
    assert round(krippendorff_alpha(data), 3) == 0.095


def test_alpha_krippendorff_2011_four_coders_missing_values() -> None:
    # Krippendorff (2011), section C (4 observers, 12 units, missing data): nominal .743, ordinal .815,
    # interval .849, ratio .797
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
    expected = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}
    for level, value in expected.items():
        assert round(krippendorff_alpha(data, level=level), 3) == value  # type: ignore[arg-type]


def test_alpha_edge_cases() -> None:
    assert krippendorff_alpha([[0, 1, 1], [0, 1, 1]]) == 1.0
    # systematic disagreement: o01 = o10 = 2, n0 = n1 = 2, n = 4 -> 1 - 3 * 4 / 8 = -0.5
    assert krippendorff_alpha([[0, 1], [1, 0]]) == pytest.approx(-0.5)
    assert np.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))  # no variation: undefined
    assert np.isnan(krippendorff_alpha([[1, NAN], [NAN, 0]]))  # nothing pairable
    with pytest.raises(ParameterError, match="level"):
        krippendorff_alpha([[0, 1]], level="fuzzy")  # type: ignore[arg-type]


# --- agreement -----------------------------------------------------------------------------------------


def _pred(rows: list[tuple[str, int, int, int, int]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["doc_id", "sent_id", "individual", "systemic", "political"])
    df["text"] = [f"{d}-{s}" for d, s in zip(df["doc_id"], df["sent_id"], strict=True)]
    df["start"], df["end"] = 0, 1
    for f in ("individual", "systemic", "political"):
        df[f"n_{f}"] = df[f] * 2
    return df


def _coded(rows: list[tuple[str, int, str, float, float, float]]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["doc_id", "sent_id", "coder", "individual", "systemic", "political"])
    for f in ("individual", "systemic", "political"):
        df[f] = df[f].astype("Int8") if not df[f].isna().any() else pd.array(df[f], dtype="Int8")
    return df


def test_agreement_one_coder_hand_counts() -> None:
    # units a0..a5, one coder; lexicon vs human per frame:
    # individual human 1 1 0 0 1 0, lexicon 1 0 1 0 1 0 -> tp 2, fp 1, fn 1, tn 2: P = R = F1 = 2/3
    # systemic   human 1 1 1 0 0 0, lexicon 1 1 1 1 0 0 -> tp 3, fp 1, fn 0, tn 2: P 3/4, R 1, F1 6/7
    # political  human 0 0 0 0 0 0, lexicon 0 0 0 0 0 0 -> tp 0: P, R, F1 undefined (NaN)
    # micro: tp 5, fp 2, fn 1 -> P 5/7, R 5/6, F1 10/13; macro F1 = (2/3 + 6/7) / 2
    human = [(1, 1, 0), (1, 1, 0), (0, 1, 0), (0, 0, 0), (1, 0, 0), (0, 0, 0)]
    lex = [(1, 1, 0), (0, 1, 0), (1, 1, 0), (0, 1, 0), (1, 0, 0), (0, 0, 0)]
    coded = _coded([("a", i, "ann", *map(float, h)) for i, h in enumerate(human)])
    pred = _pred([("a", i, *p) for i, p in enumerate(lex)])
    rep = agreement(coded, pred)
    m = rep.metrics.set_index("frame")
    assert m.loc["individual", ["tp", "fp", "fn", "tn"]].tolist() == [2, 1, 1, 2]
    assert m.loc["individual", "f1"] == pytest.approx(2 / 3)
    assert m.loc["systemic", "precision"] == pytest.approx(3 / 4)
    assert m.loc["systemic", "recall"] == 1.0
    assert m.loc["systemic", "f1"] == pytest.approx(6 / 7)
    assert m.loc["political", ["precision", "recall", "f1"]].isna().all()
    assert m.loc["micro", "f1"] == pytest.approx(10 / 13)
    assert m.loc["micro", "precision"] == pytest.approx(5 / 7)
    assert m.loc["macro", "f1"] == pytest.approx((2 / 3 + 6 / 7) / 2)
    # trivial "always 1" baseline 2 s / (n + s): individual 6/9, systemic 6/9, political 0; micro 12/24
    assert m.loc["individual", "f1_baseline"] == pytest.approx(6 / 9)
    assert m.loc["political", "f1_baseline"] == 0.0
    assert m.loc["micro", "f1_baseline"] == pytest.approx(12 / 24)
    # the macro baseline averages the frames the macro F1 averages (political's F1 is undefined: left out of both)
    assert m.loc["macro", "f1_baseline"] == pytest.approx((6 / 9 + 6 / 9) / 2)
    # one coder: the reference is that coder, named after them (not "majority")
    assert set(rep.metrics["reference"]) == {"ann"} and set(rep.confusion["reference"]) == {"ann"}
    from framing.agreement import main_reference, reference_name

    assert main_reference(rep.metrics) == "ann" and main_reference(rep.confusion) == "ann"
    assert (reference_name(["ann"]), reference_name(["ann", "bob"]), reference_name([""])) == ("ann", "majority",
                                                                                               "coder")

    conf = rep.confusion.set_index(["frame", "coded"])
    assert conf.loc[("individual", 1), ["lexicon_0", "lexicon_1"]].tolist() == [1, 2]
    assert conf.loc[("individual", 0), ["lexicon_0", "lexicon_1"]].tolist() == [2, 1]

    mis = rep.misclassified
    # the reference column is the coding, whoever coded it (the study's coders are AI models, not humans)
    assert "coded" in mis.columns and "human" not in mis.columns and "human" not in rep.confusion.columns
    assert mis[["sent_id", "frame", "error"]].values.tolist() == [
        [1, "individual", "false_negative"],
        [2, "individual", "false_positive"],
        [3, "systemic", "false_positive"],
    ]
    assert mis["text"].tolist() == ["a-1", "a-2", "a-3"]
    assert mis["n_hits"].tolist() == [0, 2, 2]

    a = rep.alpha.set_index(["frame", "comparison"])["alpha"]
    assert np.isnan(a[("individual", "coders")])  # one coder: no agreement between coders
    # individual lexicon~majority: pairs (1,1) (1,0) (0,1) (0,0) (1,1) (0,0): o01 = o10 = 2,
    # n0 = n1 = 6, n = 12 -> 1 - 11 * 4 / 72 = 7/18
    assert a[("individual", "lexicon~majority")] == pytest.approx(1 - 11 * 4 / 72)
    assert a[("individual", "lexicon+coders")] == pytest.approx(1 - 11 * 4 / 72)


def test_agreement_two_coders_majority_ties_and_per_coder() -> None:
    # one frame (systemic); units 0-3; coders ann, bob; bob did not code unit 3
    # unit: ann bob -> majority; lexicon
    #  0:    1   1  -> 1;        1   tp
    #  1:    1   0  -> tie (NaN); 1  excluded from majority metrics
    #  2:    0   0  -> 0;        1   fp
    #  3:    1   -  -> 1;        0   fn
    rows = [
        ("d", 0, "ann", 1),
        ("d", 0, "bob", 1),
        ("d", 1, "ann", 1),
        ("d", 1, "bob", 0),
        ("d", 2, "ann", 0),
        ("d", 2, "bob", 0),
        ("d", 3, "ann", 1),
    ]
    coded = pd.DataFrame(rows, columns=["doc_id", "sent_id", "coder", "systemic"])
    coded["systemic"] = coded["systemic"].astype("Int8")
    pred = pd.DataFrame({"doc_id": "d", "sent_id": [0, 1, 2, 3], "systemic": [1, 1, 1, 0]})
    rep = agreement(coded, pred, frames=["systemic"])
    m = rep.metrics[rep.metrics["frame"] == "systemic"].set_index("reference")
    assert m.loc["majority", ["n", "tp", "fp", "fn", "tn"]].tolist() == [3, 1, 1, 1, 0]
    # against ann: human 1 1 0 1, lexicon 1 1 1 0 -> tp 2, fp 1, fn 1
    assert m.loc["ann", ["tp", "fp", "fn", "tn"]].tolist() == [2, 1, 1, 0]
    # against bob (units 0-2): human 1 0 0, lexicon 1 1 1 -> tp 1, fp 2
    assert m.loc["bob", ["n", "tp", "fp", "fn"]].tolist() == [3, 1, 2, 0]
    a = rep.alpha.set_index("comparison")["alpha"]
    # coders: pairable units 0-2: (1,1) (1,0) (0,0) -> o11 = 2, o00 = 2, o01 = o10 = 1; n0 = n1 = 3, n = 6
    # alpha = 1 - 5 * 2 / 18 = 4/9
    assert a["coders"] == pytest.approx(4 / 9)
    assert {"lexicon~ann", "lexicon~bob", "lexicon+coders", "lexicon~majority"} <= set(a.index)


def test_not_coded_cells_are_left_out_of_metrics(tmp_path: Path) -> None:
    # unit 1's political code is "not coded": political is compared on 2 units, the other frames on 3
    path = _write(
        tmp_path / "ann.csv", HEADER + "a,0,,,,1,0,1,,\n" + f"a,1,,,,0,1,,,{NOT_CODED}\n" + "a,2,,,,0,0,0,,\n"
    )
    coded = read_coding_sheet(path)
    pred = _pred([("a", 0, 1, 0, 1), ("a", 1, 0, 1, 1), ("a", 2, 0, 0, 0)])
    m = agreement(coded, pred).metrics.set_index("frame")
    assert m.loc["political", ["n", "tp", "fp"]].tolist() == [2, 1, 0]
    assert m.loc["systemic", "n"] == 3


def test_agreement_bootstrap_is_seeded() -> None:
    rng = np.random.default_rng(0)
    human = rng.integers(0, 2, size=(40, 3))
    lex = np.where(rng.random((40, 3)) < 0.8, human, 1 - human)
    coded = _coded([("a", i, "ann", *map(float, h)) for i, h in enumerate(human)])
    pred = _pred([("a", i, *map(int, p)) for i, p in enumerate(lex)])
    one = agreement(coded, pred, n_boot=200, random_state=5).metrics
    two = agreement(coded, pred, n_boot=200, random_state=5).metrics
    pd.testing.assert_frame_equal(one, two)
    assert (one["f1_low"] <= one["f1_high"]).all()
    assert ((one["f1_low"] <= one["f1"]) & (one["f1"] <= one["f1_high"])).all()
    assert agreement(coded, pred).metrics["f1_low"].isna().all()


def test_agreement_requires_predictions_for_every_coded_unit() -> None:
    coded = _coded([("a", 0, "ann", 1.0, 0.0, 0.0), ("a", 9, "ann", 1.0, 0.0, 0.0)])
    pred = _pred([("a", 0, 1, 0, 0)])
    with pytest.raises(ParameterError, match="not in the predictions"):
        agreement(coded, pred)


def test_validation_report_written_deterministically(tmp_path: Path) -> None:
    coded = _coded([("a", i, "ann", float(i % 2), 1.0, 0.0) for i in range(4)])
    pred = _pred([("a", i, 1, 1, i % 2) for i in range(4)])
    rep = agreement(coded, pred, n_boot=50, random_state=1)
    first = write_validation_report(rep, tmp_path / "one")
    second = write_validation_report(agreement(coded, pred, n_boot=50, random_state=1), tmp_path / "two")
    assert sorted(p.name for p in first.values()) == ["alpha.csv", "confusion.csv", "metrics.csv", "misclassified.csv"]
    for name, path in first.items():
        assert path.read_bytes() == second[name].read_bytes()


# --- document level -------------------------------------------------------------------------------------


def test_document_predictions_and_threshold_curve() -> None:
    table = pd.DataFrame(
        {
            "doc_id": ["x", "x", "x", "y", "y"],
            "conflict": [1, 1, 0, 0, 1],
            "n_conflict": [2, 1, 0, 0, 3],
        }
    )
    # sentences: x 2, y 1; hits: x 3, y 3; share: x 2/3, y 1/2; z has no sentences
    docs = document_predictions(table, ["conflict"], threshold=2, documents=["x", "y", "z"])
    assert docs["doc_id"].tolist() == ["x", "y", "z"]
    assert docs["conflict"].tolist() == [1, 0, 0]
    assert docs["score_conflict"].tolist() == [2.0, 1.0, 0.0]
    hits = document_predictions(table, ["conflict"], threshold=3, measure="hits")
    assert hits["conflict"].tolist() == [1, 1]
    share = document_predictions(table, ["conflict"], threshold=0.6, measure="share")
    assert share["conflict"].tolist() == [1, 0]

    gold = pd.DataFrame({"doc_id": ["x", "y", "z"], "conflict": pd.array([1, 1, pd.NA], dtype="Int8")})
    curve = threshold_curve(docs, gold, ["conflict"], [1, 2, 3]).set_index("threshold")
    # t=1: x, y predicted; both positive -> P 1, R 1; t=2: x only -> R 1/2, F1 2/3; t=3: none -> P NaN, R 0
    assert curve.loc[1.0, "f1"] == 1.0
    assert curve.loc[2.0, "recall"] == 0.5
    assert curve.loc[2.0, "f1"] == pytest.approx(2 / 3)
    assert np.isnan(curve.loc[3.0, "precision"]) and curve.loc[3.0, "recall"] == 0.0


def test_parse_binary_codes_reports_bad_cells() -> None:
    table = pd.DataFrame({"ID": ["1", "2", "3"], "CO": ["True", "false", "False)"], "EC": [True, "", "1"]})
    codes, problems = parse_binary_codes(table, {"CO": "conflict", "EC": "economic"}, id_col="ID")
    assert codes["conflict"].tolist()[:2] == [1, 0] and pd.isna(codes["conflict"].iloc[2])
    assert codes["economic"].tolist()[0] == 1 and pd.isna(codes["economic"].iloc[1])
    assert codes["economic"].iloc[2] == 1
    assert problems[["doc_id", "column", "value"]].values.tolist() == [["3", "CO", "False)"], ["2", "EC", ""]]


def test_document_level_agreement_with_parsed_codes() -> None:
    table = pd.DataFrame({"doc_id": ["1", "2", "3", "4"], "CO": ["True", "True", "False", "??"]})
    codes, problems = parse_binary_codes(table, {"CO": "conflict"})
    pred = pd.DataFrame({"doc_id": ["1", "2", "3", "4"], "conflict": [1, 0, 0, 1]})
    rep = agreement(codes, pred, frames=["conflict"], unit_cols=["doc_id"])
    row = rep.metrics.set_index("frame").loc["conflict"]
    # doc 4 has no valid code: n = 3; tp 1 (doc 1), fn 1 (doc 2), tn 1 (doc 3)
    assert row[["n", "tp", "fp", "fn", "tn"]].tolist() == [3, 1, 0, 1, 1]
    assert len(problems) == 1


# --- CLI -------------------------------------------------------------------------------------------------


def _csv_corpus(tmp_path: Path) -> Path:
    rows = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3"],
            "genre": ["blog", "news", "news"],
            "text": [
                "The director failed the child. The council must answer for it. Ministers stayed silent.",
                "Agencies did not share information. The review was published today. Nobody resigned.",
                "The minister ordered an inquiry. Social workers were overworked. The weather was cold.",
            ],
        }
    )
    path = tmp_path / "corpus.csv"
    rows.to_csv(path, index=False)
    return path


def test_cli_sheet_then_score(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from framing.cli import main

    corpus = _csv_corpus(tmp_path)
    sheet = tmp_path / "sheet.csv"
    assert (
        main(
            ["validate", "sheet", str(corpus), "--n", "6", "--out", str(sheet), "--seed", "3", "--min-per-stratum", "2"]
        )
        == 0
    )
    df = pd.read_csv(sheet, keep_default_na=False, dtype=str)
    assert list(df.columns) == list(SHEET_COLUMNS)
    assert len(df) == 6
    df["individual"] = "1"
    df["systemic"] = "0"
    df["political"] = "0"
    df.to_csv(tmp_path / "ann.csv", index=False)

    # a stand-in scorer: the lexicon says "individual" everywhere except in sentence 0 of each document
    def fake_frame_table(corpus: ProcessedCorpus, lexicon: str = "blame_frames") -> pd.DataFrame:
        out = corpus.sentences[["doc_id", "sent_id", "start", "end", "text"]].copy()
        out["individual"] = (out["sent_id"] > 0).astype(int)
        out["systemic"], out["political"] = 0, 0
        for f in ("individual", "systemic", "political"):
            out[f"n_{f}"] = out[f]
        return out

    fake = types.ModuleType("framing.scoring")
    fake.frame_table = fake_frame_table  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "framing.scoring", fake)
    out = tmp_path / "out"
    assert (
        main(
            [
                "validate",
                "score",
                str(corpus),
                "--coded",
                str(tmp_path / "ann.csv"),
                "--out",
                str(out),
                "--n-boot",
                "20",
            ]
        )
        == 0
    )
    metrics = pd.read_csv(out / "metrics.csv").set_index("frame")
    n_first = int((df["sent_id"] == "0").sum())
    assert metrics.loc["individual", "tp"] == 6 - n_first
    assert metrics.loc["individual", "fn"] == n_first
    assert {p.name for p in out.iterdir()} == {"metrics.csv", "confusion.csv", "misclassified.csv", "alpha.csv"}


def test_cli_score_reports_bad_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from framing.cli import main

    corpus = _csv_corpus(tmp_path)
    bad = _write(tmp_path / "bad.csv", HEADER + "d9,0,,,,1,0,0,x,\n")
    assert main(["validate", "score", str(corpus), "--coded", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "bad.csv, line 2, column 'doc_id': unknown doc_id 'd9'" in capsys.readouterr().err


# --- the project's validation set and the Narrative Frames Corpus (when present) --------------------------


def test_seed_validation_set_when_present() -> None:
    path = ROOT / "data" / "validation" / "seeds_coded.csv"
    from framing.corpus import load_corpus, process_corpus

    corpus = process_corpus(load_corpus(ROOT / "data" / "raw"))
    coded = read_coding_sheet(path, corpus=corpus)
    assert set(coded["doc_id"]) <= set(corpus.documents["doc_id"])


def test_a_sheet_of_the_whole_corpus_reads_against_a_genre_subset(tmp_path: Path) -> None:
    # the shipped genre batch runs the study on one genre with the seeds' coding of all five documents: the rows
    # of the documents the subset left out are not errors, they are left out (with a warning)
    from framing.corpus import load_corpus, process_corpus

    path = ROOT / "data" / "validation" / "seeds_coded.csv"
    corpus = process_corpus(load_corpus(ROOT / "data" / "raw"))
    news = corpus.subset(genres=["news"])
    news_ids = set(news.documents["doc_id"])
    assert news.excluded == frozenset(set(corpus.documents["doc_id"]) - news_ids) and not corpus.excluded
    with pytest.warns(UserWarning, match=r"coded row\(s\) of 3 document\(s\) outside the selected part"):
        coded = read_coding_sheet(path, corpus=news)
    whole = read_coding_sheet(path, corpus=corpus)
    assert set(coded["doc_id"]) == news_ids and len(coded) == int(whole["doc_id"].isin(news_ids).sum())
    # a subset of a subset remembers every document left out; a document of no corpus is still an error
    assert news.subset(doc_ids=[sorted(news_ids)[0]]).excluded == frozenset(set(corpus.documents["doc_id"])) - {
        sorted(news_ids)[0]}
    bad = tmp_path / "bad.csv"
    pd.read_csv(path).assign(doc_id="nowhere").head(2).to_csv(bad, index=False)
    with pytest.raises(ValidationSheetError, match="unknown doc_id 'nowhere'"):
        read_coding_sheet(bad, corpus=news)


def test_seed_validation_set_against_the_shipped_lexicon() -> None:
    path = ROOT / "data" / "validation" / "seeds_coded.csv"
    from framing.agreement import validate_lexicon
    from framing.corpus import load_corpus, process_corpus

    corpus = process_corpus(load_corpus(ROOT / "data" / "raw"))
    report = validate_lexicon(corpus, read_coding_sheet(path, corpus=corpus), n_boot=0)
    m = report.metrics.set_index("frame")
    # every content sentence is coded once; the coder's own counts (data/validation/README.md): 23, 67, 20
    assert (m.loc[["individual", "systemic", "political"], "n"] == len(corpus.sentences)).all()
    assert m.loc[["individual", "systemic", "political"], "support"].tolist() == [23, 67, 20]
    mis = report.misclassified
    assert len(mis) == int(m.loc["micro", "fp"] + m.loc["micro", "fn"])


NFC_CODES = {"RE": "resolution", "HI": "human_interest", "CO": "conflict", "MO": "moral", "EC": "economic"}


@pytest.fixture(scope="module")
def nfc_corpus():
    """The Narrative Frames Corpus as loaded by the corpus loader (skips when the corpus is absent)."""
    if not NFC.is_file():
        pytest.skip(f"{NFC} absent")
    import warnings

    from framing.corpus import load_corpus

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the malformed row is reported in .issues
        return load_corpus(NFC, id_col="ID", genre_col="source")


@pytest.mark.corpora
def test_narrative_frames_document_level_validation_runs(nfc_corpus) -> None:
    from framing.corpus import process_corpus
    from framing.scoring import frame_table

    corpus = process_corpus(nfc_corpus)
    cols = NFC_CODES
    frames = list(cols.values())
    codes, _ = parse_binary_codes(corpus.documents, cols)
    table = frame_table(
        corpus, lexicon=ROOT / "data" / "validation" / "narrative_frames_lexicon.yaml", cues=None, rule="any"
    )
    docs = document_predictions(table, frames, threshold=2, documents=corpus.documents["doc_id"])
    assert len(docs) == len(corpus.documents)
    m = agreement(codes, docs, frames=frames, unit_cols=["doc_id"]).metrics.set_index("frame")
    # all loaded articles are compared; article 716 lacks a valid economic code
    assert m.loc["conflict", "n"] == len(corpus.documents)
    assert m.loc["economic", "n"] == len(corpus.documents) - 1
    # the corpus's own code counts among the loaded articles (computed from the True/False cells)
    assert m.loc["moral", "support"] == int((corpus.documents["MO"] == "True").sum())


@pytest.mark.corpora
def test_narrative_frames_codes_report_malformed_rows(nfc_corpus) -> None:
    docs = nfc_corpus.documents
    # the loader skips the row with too few fields (article 405, line 213) and says so, naming the line
    assert any("malformed row" in i and "line 213" in i for i in nfc_corpus.issues)
    # and counts it once among the skipped records (what the summary line, manifest.json and provenance report)
    assert len(nfc_corpus.skipped) == 1 and nfc_corpus.skipped[0].endswith("line 213: 5 fields, expected 10")
    assert "405" not in set(docs["doc_id"])
    codes, problems = parse_binary_codes(docs, NFC_CODES)
    assert len(codes) == len(docs) >= 427
    # article 716 has EC == "False)": reported, left missing, its other codes kept
    assert ["716", "EC", "False)"] in problems[["doc_id", "column", "value"]].values.tolist()
    row = codes.set_index("doc_id").loc["716"]
    assert pd.isna(row["economic"]) and row["conflict"] == 0


def test_sheets_for_another_corpus_are_skipped_with_a_reason(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from framing.agreement import sheets_for_corpus

    corpus = SimpleNamespace(name="mine", documents=pd.DataFrame({"doc_id": ["a", "b"]}))
    ours = tmp_path / "ours.csv"
    pd.DataFrame({"doc_id": ["a", "zz"], "sent_id": [0, 1]}).to_csv(ours, index=False)
    theirs = tmp_path / "theirs.csv"
    pd.DataFrame({"doc_id": ["x", "y"], "sent_id": [0, 0]}).to_csv(theirs, index=False)
    usable, skipped = sheets_for_corpus([ours, theirs, tmp_path / "gone.csv"], corpus)
    assert usable == [ours]
    assert len(skipped) == 2
    assert "theirs.csv: codes documents of another corpus" in skipped[0] and "'mine'" in skipped[0]
    assert "gone.csv: not found" in skipped[1]


# --- the development set: loader, rule vs classifier (issue 9) ----------------------------------------

# A record text with three paragraphs (blank lines between them); the units are its four sentences.
DEV_TEXT = "Failure at the agency\n\nThe minister blamed the director. He resigned.\n\n  \nNobody else was named."
DEV_UNITS = [  # (start, end, frames), offsets counted by hand on DEV_TEXT
    (0, 21, ["systemic"]),
    (23, 56, ["individual"]),
    (57, 69, ["individual"]),
    (74, 96, []),
]


def _devset_files(tmp_path: Path, units: list[dict[str, object]] | None = None, raw_lines: list[str] | None = None
                  ) -> tuple[Path, Path]:
    import gzip
    import json

    texts = tmp_path / "texts.jsonl.gz"
    with gzip.open(texts, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "news/1", "text": DEV_TEXT}) + "\n")
        fh.write(json.dumps({"id": "news/2", "text": "Unrelated."}) + "\n")
    if units is None:
        units = [{"uid": f"u{i}", "bbc_id": "news/1", "start": s, "end": e, "text": DEV_TEXT[s:e], "frames": f}
                 for i, (s, e, f) in enumerate(DEV_UNITS)]
    coded = tmp_path / "coded.jsonl"
    lines = raw_lines if raw_lines is not None else [json.dumps(u) for u in units]
    coded.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return coded, texts


def test_devset_loader_builds_units_paragraphs_and_codes(tmp_path: Path) -> None:
    from framing.agreement import load_devset

    assert DEV_TEXT[23:56] == "The minister blamed the director." and DEV_TEXT[74:96] == "Nobody else was named."
    coded, texts = _devset_files(tmp_path)
    dev = load_devset(coded, texts)
    s = dev.sentences
    assert s["doc_id"].tolist() == ["news/1"] * 4
    assert s["sent_id"].tolist() == [0, 1, 2, 3]
    # paragraph breaks at 21-23 ("\n\n") and 69-74 ("\n\n  \n"): paragraphs 0, 1, 1, 2
    assert s["para_id"].tolist() == [0, 1, 1, 2]
    assert s["text"].tolist() == [DEV_TEXT[a:b] for a, b, _ in DEV_UNITS]
    c = dev.coded
    assert c[["individual", "systemic", "political"]].astype(int).to_numpy().tolist() == [
        [0, 1, 0], [1, 0, 0], [1, 0, 0], [0, 0, 0]]
    assert c["line"].tolist() == [1, 2, 3, 4] and set(c["coder"]) == {"adjudicated"}
    assert dev.documents["n_units"].tolist() == [4]


@pytest.mark.parametrize(
    "change,pattern",
    [
        ({"start": 24}, r"coded\.jsonl, line 2, key 'start': text\[24:56\]"),
        ({"bbc_id": "news/404"}, r"coded\.jsonl, line 2, key 'bbc_id': 'news/404' is not a record"),
        ({"end": 999}, r"coded\.jsonl, line 2, key 'end': offsets 23:999 are outside"),
        ({"start": "23"}, r"coded\.jsonl, line 2, key 'start': '23' is not a non-negative integer"),
        ({"frames": ["moral"]}, r"coded\.jsonl, line 2, key 'frames': unknown frame"),
    ],
)
def test_devset_loader_errors_name_file_line_and_key(tmp_path: Path, change: dict[str, object], pattern: str) -> None:
    from framing.agreement import load_devset

    units = [{"uid": f"u{i}", "bbc_id": "news/1", "start": s, "end": e, "text": DEV_TEXT[s:e], "frames": f}
             for i, (s, e, f) in enumerate(DEV_UNITS)]
    units[1] = {**units[1], **change}
    coded, texts = _devset_files(tmp_path, units)
    with pytest.raises(ValidationSheetError, match=pattern):
        load_devset(coded, texts)


def test_devset_loader_refuses_overlapping_units(tmp_path: Path) -> None:
    from framing.agreement import load_devset

    units = [{"bbc_id": "news/1", "start": s, "end": e, "text": DEV_TEXT[s:e], "frames": f} for s, e, f in DEV_UNITS]
    units.append({**units[1], "start": 27, "text": DEV_TEXT[27:56]})  # line 5: inside the unit of line 2
    coded, texts = _devset_files(tmp_path, units)
    with pytest.raises(ValidationSheetError, match=r"line 5, key 'start': unit overlaps the unit at line 2"):
        load_devset(coded, texts)


def test_devset_loader_bad_json_and_missing_key(tmp_path: Path) -> None:
    from framing.agreement import load_devset

    coded, texts = _devset_files(tmp_path, raw_lines=['{"bbc_id": "news/1", "start": 0, "end": 21, '
                                                      '"text": "Failure at the agency", "frames": []}',
                                                      '{"bbc_id": "news/1", "start": 23,'])
    with pytest.raises(ValidationSheetError, match=r"coded\.jsonl, line 2, column \d+: malformed JSON"):
        load_devset(coded, texts)
    coded, texts = _devset_files(tmp_path, raw_lines=['{"start": 0, "end": 21, "text": "x", "frames": []}'])
    with pytest.raises(ValidationSheetError, match=r"line 1, key 'bbc_id': missing"):
        load_devset(coded, texts)
    coded, texts = _devset_files(tmp_path)
    with pytest.raises(ValidationSheetError, match="texts corpus not found"):
        load_devset(coded, tmp_path / "nowhere.jsonl")


DEVSET = ROOT.parent / "shared" / "devsets" / "public-failures" / "coded.jsonl"
BBC = ROOT.parent / "shared" / "corpora" / "bbc-news-2004-2005.jsonl.gz"


@pytest.mark.skipif(not (DEVSET.is_file() and BBC.is_file()), reason="../shared devset or BBC corpus absent")
def test_real_devset_units_are_slices_of_their_articles() -> None:
    import gzip
    import json

    from framing.agreement import load_devset

    dev = load_devset(DEVSET)
    raw_units = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {u["bbc_id"] for u in raw_units}
    with gzip.open(BBC, "rt", encoding="utf-8") as fh:
        texts = {r["id"]: r["text"] for r in map(json.loads, fh) if r["id"] in wanted}
    assert len(dev.sentences) == len(raw_units) == 145
    for row in dev.sentences.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.text
    # the README's totals: individual 26, systemic 70, political 22 units
    assert dev.coded[["individual", "systemic", "political"]].astype(int).sum().tolist() == [26, 70, 22]


def test_instrument_validity_rule_lodo_equals_pooled_and_classifier_scopes() -> None:
    from framing.agreement import Devset, instrument_validity, macro_f1_summary
    from framing.lexicon import Entry, Lexicon, entry_kind

    frames_lex = Lexicon("f", "1", ("individual", "systemic"), (
        Entry("director", "individual", entry_kind("director")), Entry("agency", "systemic", entry_kind("agency"))))
    texts = ["The director failed.", "The agency failed.", "Rain fell.", "The director and the agency."]
    rows = [(f"d{d}", i, 0, 0, len(t), t) for d in range(4) for i, t in enumerate(texts)]
    sents = pd.DataFrame(rows, columns=["doc_id", "sent_id", "para_id", "start", "end", "text"])
    # codes follow the words: individual iff "director", systemic iff "agency"
    coded = sents[["doc_id", "sent_id"]].assign(
        individual=sents["text"].str.contains("director").astype(int),
        systemic=sents["text"].str.contains("agency").astype(int), coder="a")
    dev_s = sents[sents["doc_id"].isin(["d0", "d1"])].assign(doc_id=lambda d: "x" + d["doc_id"])
    dev_c = coded[coded["doc_id"].isin(["d0", "d1"])].assign(doc_id=lambda d: "x" + d["doc_id"])
    dev = Devset(sentences=dev_s, coded=dev_c, documents=pd.DataFrame(), path=Path("x"), corpus_path=Path("y"))
    v = instrument_validity(sents, coded, devset=dev, lexicon=frames_lex, cues=None, rule="any",
                            frames=["individual", "systemic"], n_boot=50)
    m = v.metrics
    assert list(dict.fromkeys(zip(m["scope"], m["method"], strict=True))) == [
        ("seeds", "rule"), ("seeds-LODO", "rule"), ("seeds-LODO", "classifier"), ("devset", "rule"),
        ("devset", "classifier"), ("devset-LODO", "classifier")]
    cols = ["frame", "tp", "fp", "fn", "f1", "lo", "hi"]
    pooled = m[(m["scope"] == "seeds") & (m["method"] == "rule")][cols].reset_index(drop=True)
    lodo = m[(m["scope"] == "seeds-LODO") & (m["method"] == "rule")][cols].reset_index(drop=True)
    pd.testing.assert_frame_equal(pooled, lodo)
    # rule "any" with these lexicons reproduces the codes exactly: 8 individual and 8 systemic sentences
    ind = m[(m["scope"] == "seeds") & (m["frame"] == "individual")].iloc[0]
    assert (ind["tp"], ind["fp"], ind["fn"], ind["f1"]) == (8, 0, 0, 1.0)
    assert ind["baseline"] == pytest.approx(2 * 8 / (16 + 8))
    summary = macro_f1_summary(v).set_index(["scope", "method"])
    assert summary.loc[("devset", "rule"), "macro_f1"] == 1.0
    assert {"note"} <= set(m.columns) and "equals its pooled figure" in v.notes[0]


def test_macro_f1_summary_hand_table() -> None:
    from framing.agreement import macro_f1_summary

    m = pd.DataFrame({
        "scope": ["s"] * 3, "method": ["rule"] * 3, "frame": ["a", "b", "macro"],
        "recall": [0.5, 0.25, 0.375], "f1": [0.6, 0.4, 0.5], "lo": [NAN, NAN, 0.3], "hi": [NAN, NAN, 0.7]})
    out = macro_f1_summary(m).iloc[0]
    assert (out["macro_f1"], out["lo"], out["hi"], out["min_recall"], out["min_recall_frame"]) == (
        0.5, 0.3, 0.7, 0.25, "b")
    assert not out["sealed"]  # the coded corpus: not a held-out set
    assert out["note"] == ""  # no note in the metrics: none here
    # the macro row's note says its interval rests on 8 documents: the summary keeps that part of it only
    noted = macro_f1_summary(m.assign(note=["", "", "sealed; interval over 8 documents: indicative only"])).iloc[0]
    assert noted["note"] == "interval over 8 documents: indicative only"


def test_macro_f1_summary_marks_the_sealed_held_out_sets() -> None:
    from framing.agreement import SEALED_HELDOUT, macro_f1_summary

    scopes = ["seeds", "devset", "heldout-bbc-1", "heldout-bbc-2", "heldout-bbc-4", "heldout-bbc-5", "heldout-bbc-6",
              "heldout-bbc-7", "heldout-x"]
    m = pd.DataFrame({"scope": scopes, "method": "rule", "frame": "macro", "recall": 0.5, "f1": 0.5,
                      "lo": NAN, "hi": NAN})
    out = macro_f1_summary(m).set_index("scope")["sealed"]
    assert SEALED_HELDOUT == ("bbc-2", "bbc-4", "bbc-5", "bbc-6", "bbc-7", "bbc-11")
    assert out.to_dict() == {"seeds": False, "devset": False, "heldout-bbc-1": False, "heldout-bbc-2": True,
                             "heldout-bbc-4": True, "heldout-bbc-5": True, "heldout-bbc-6": True,
                             "heldout-bbc-7": True, "heldout-x": False}


def test_cli_validate_train_then_frames_with_model(tmp_path: Path) -> None:
    import pickle

    from framing.cli import main
    from framing.io import sha256_file

    sheet = ROOT / "data" / "validation" / "seeds_coded.csv"
    model = tmp_path / "model.pkl"
    assert main(["validate", "train", str(sheet), "--out", str(model), "--corpus", str(ROOT / "data" / "raw"),
                 "--n-boot", "0"]) == 0
    header = pickle.loads(model.read_bytes())
    assert header["training_files"] == [{"path": str(sheet), "sha256": sha256_file(sheet)}]
    assert header["frames"] == ["individual", "systemic", "political"]
    assert {r["method"] for r in header["cv"]["metrics"]} == {"classifier", "rule"}
    out = tmp_path / "frames.csv"
    assert main(["frames", str(ROOT / "data" / "raw"), "--model", str(model), "--out", str(out)]) == 0
    table = pd.read_csv(out, keep_default_na=False)
    assert {"individual", "n_individual", "p_individual", "evidence"} <= set(table.columns)
    labelled = table[table["individual"] == 1]
    assert (labelled["evidence"].str.contains("individual: ")).all()
    # the model's labels can be corrected by a coded sample too; its instrument shares are the model's own
    shares = tmp_path / "shares.csv"
    assert main(["validate", "shares", str(ROOT / "data" / "raw"), "--coded", str(sheet), "--model", str(model),
                 "--n-boot", "0", "--out", str(shares)]) == 0
    corrected = pd.read_csv(shares).set_index(["group", "frame"])
    assert corrected.loc[("all", "individual"), "instrument_share"] == pytest.approx(table["individual"].mean(),
                                                                                    abs=1e-6)


def test_cli_frames_refuses_a_bad_model_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from framing.cli import main

    bad = tmp_path / "bad.pkl"
    bad.write_bytes(b"junk")
    assert main(["frames", str(ROOT / "data" / "raw"), "--model", str(bad), "--out", str(tmp_path / "f.csv")]) == 2
    assert "bad.pkl: not a framing model file" in capsys.readouterr().err
    assert not (tmp_path / "f.csv").exists()


def test_cli_validate_score_takes_a_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The seed coding scored with and without the Baby P case file: its politicians are political loci."""
    from framing.cli import main

    coded = [str(ROOT / "data" / "validation" / "seeds_coded.csv")]
    args = ["validate", "score", str(ROOT / "data" / "raw"), "--coded", coded[0], "--n-boot", "0"]
    assert main([*args, "--out", str(tmp_path / "without")]) == 0
    assert main([*args, "--case", "baby_p", "--out", str(tmp_path / "with")]) == 0
    pick = {}
    for name in ("without", "with"):
        m = pd.read_csv(tmp_path / name / "metrics.csv")
        row = m[(m["frame"] == "political") & (m["reference"] == m["reference"].iloc[0])]
        pick[name] = int(row["predicted"].iloc[0])
    assert pick["with"] > pick["without"]  # Ed Balls, Meehan, Santry are loci only through the case file
    assert main([*args, "--case", str(tmp_path / "no_such_case.yaml"), "--out", str(tmp_path / "x")]) == 2
    assert "no_such_case.yaml" in capsys.readouterr().err


@pytest.mark.skipif(not (DEVSET.is_file() and BBC.is_file()), reason="../shared devset or BBC corpus absent")
def test_cli_validate_score_reports_the_development_set_beside_the_corpus(tmp_path: Path) -> None:
    from framing.cli import main

    coded = str(ROOT / "data" / "validation" / "seeds_coded.csv")
    assert main(["validate", "score", str(ROOT / "data" / "raw"), "--coded", coded, "--n-boot", "0",
                 "--devset", str(DEVSET), "--out", str(tmp_path / "o")]) == 0
    table = pd.read_csv(tmp_path / "o" / "instrument.csv")
    assert set(table["scope"]) == {"seeds", "seeds-LODO", "devset"} and set(table["method"]) == {"rule"}
    dev = table[(table["scope"] == "devset") & (table["frame"] == "individual")].iloc[0]
    assert dev["n"] == 145 and dev["support"] == 26  # the development set's README: 26 individual units
    # the same texts in a folder of another name are another corpus: its rows are named after it, not "seeds"
    import shutil

    shutil.copytree(ROOT / "data" / "raw", tmp_path / "mine")
    assert main(["validate", "score", str(tmp_path / "mine"), "--coded", coded, "--n-boot", "0",
                 "--devset", str(DEVSET), "--out", str(tmp_path / "m")]) == 0
    assert set(pd.read_csv(tmp_path / "m" / "instrument.csv")["scope"]) == {"mine", "mine-LODO", "devset"}
    # another corpus that happens to be called "seeds" is never filed under the study's scope
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "elsewhere" / "seeds")
    assert main(["validate", "score", str(tmp_path / "elsewhere" / "seeds"), "--coded", coded, "--n-boot", "0",
                 "--devset", str(DEVSET), "--out", str(tmp_path / "s")]) == 0
    assert set(pd.read_csv(tmp_path / "s" / "instrument.csv")["scope"]) == {"seeds-other", "seeds-other-LODO",
                                                                            "devset"}


def test_held_out_sets_are_scored_after_everything_else_and_never_trained_on() -> None:
    from framing.agreement import Devset, instrument_validity

    frames_lex, sents, coded = _director_agency(n_docs=3)
    # a held-out set whose codes contradict the words: the rule "any" gets every individual code wrong there
    ho_s = sents[sents["doc_id"] == "d0"].assign(doc_id="h0")
    ho_c = coded[coded["doc_id"] == "d0"].assign(doc_id="h0", individual=lambda d: 1 - d["individual"])
    ho = Devset(sentences=ho_s, coded=ho_c, documents=pd.DataFrame(), path=Path("h"), corpus_path=Path("t"))
    v = instrument_validity(sents, coded, heldout={"bbc-9": ho}, lexicon=frames_lex, cues=None, rule="any",
                            frames=["individual", "systemic"], n_boot=0)
    m = v.metrics
    scopes = list(dict.fromkeys(zip(m["scope"], m["method"], strict=True)))
    assert scopes[-2:] == [("heldout-bbc-9", "rule"), ("heldout-bbc-9", "classifier")]
    # a set keyed by its folder name is not named "heldout-heldout-..."
    by_folder = instrument_validity(sents, coded, heldout={"heldout-bbc-9": ho}, lexicon=frames_lex, cues=None,
                                    rule="any", frames=["individual", "systemic"], n_boot=0, classifier=False)
    assert set(by_folder.metrics["scope"]) >= {"heldout-bbc-9"} and not by_folder.metrics["scope"].str.startswith(
        "heldout-heldout").any()
    ind = m[(m["scope"] == "heldout-bbc-9") & (m["method"] == "rule") & (m["frame"] == "individual")].iloc[0]
    # by hand: "director" in sentences 0 and 3 (predicted 1, coded 0); sentences 1 and 2 coded 1, predicted 0
    assert (ind["tp"], ind["fp"], ind["fn"]) == (0, 2, 2)
    sys_ = m[(m["scope"] == "heldout-bbc-9") & (m["method"] == "rule") & (m["frame"] == "systemic")].iloc[0]
    assert (sys_["tp"], sys_["fp"], sys_["fn"]) == (2, 0, 0)
    # the classifier was trained on the coded corpus only: it learned the words, so it is wrong there too
    cls = m[(m["scope"] == "heldout-bbc-9") & (m["method"] == "classifier") & (m["frame"] == "individual")].iloc[0]
    assert cls["tp"] == 0


def test_load_heldout_names_sets_by_folder_and_refuses_two_of_one_name(tmp_path: Path) -> None:
    from framing.agreement import load_heldout

    a, b = tmp_path / "heldout-news-1", tmp_path / "other" / "heldout-news-1"
    for folder in (a, b):
        folder.mkdir(parents=True)
        _coded, texts = _devset_files(folder)
    sets = load_heldout([a / "coded.jsonl"], texts)
    assert list(sets) == ["news-1"] and len(sets["news-1"].sentences) == 4
    with pytest.raises(ValidationSheetError, match=r"other/heldout-news-1/coded\.jsonl: a held-out set named "
                                                   r"'news-1' was already given"):
        load_heldout([a / "coded.jsonl", b / "coded.jsonl"], texts)


@pytest.mark.skipif(not BBC.is_file(), reason="../shared BBC corpus absent")
def test_the_quoted_held_out_range_is_that_of_the_sealed_sets() -> None:
    # framing frames quotes HELD_OUT_MACRO_F1: the lowest and highest macro-F1 of the shipped instrument on the
    # sealed sets (2, 4, 5, 6 and 7, whose READMEs say they were never read); restated here from the codes
    from framing.agreement import HELD_OUT_MACRO_F1, default_heldout_paths, load_heldout
    from framing.scoring import frame_table

    sets = load_heldout(default_heldout_paths())
    macro = []
    for name in ("bbc-2", "bbc-4", "bbc-5", "bbc-6", "bbc-7"):
        coded = sets[name].coded
        labels = frame_table(sets[name].sentences).merge(coded, on=["doc_id", "sent_id"], suffixes=("", "_code"))
        f1 = []
        for f in ("individual", "systemic", "political"):
            code, label = labels[f + "_code"].astype(bool), labels[f].astype(bool)
            tp = int((code & label).sum())
            f1.append(2 * tp / (int(code.sum()) + int(label.sum())))
        macro.append(sum(f1) / 3)
    assert (round(min(macro), 2), round(max(macro), 2)) == HELD_OUT_MACRO_F1
    from framing.agreement import SEALED_HELDOUT

    # the sealed sets are those whose README records them as such
    readmes = [Path(p).parent / "README.md" for p in default_heldout_paths()]  # natural order
    said = tuple(r.parent.name.removeprefix("heldout-") for r in readmes if "\nSealed:" in r.read_text("utf-8"))
    assert SEALED_HELDOUT == said == ("bbc-2", "bbc-4", "bbc-5", "bbc-6", "bbc-7", "bbc-11")


@pytest.mark.skipif(not BBC.is_file(), reason="../shared BBC corpus absent")
def test_shipped_heldout_sets_match_their_readmes() -> None:
    from framing.agreement import default_heldout_paths, load_heldout

    sets = load_heldout(default_heldout_paths())
    assert list(sets) == ["bbc-1", "bbc-2", "bbc-3", "bbc-4", "bbc-5", "bbc-6", "bbc-7", "bbc-11"]  # natural order
    # the READMEs' totals (units; individual, systemic, political units)
    assert [len(v.sentences) for v in sets.values()] == [162, 191, 190, 170, 175, 202, 201, 165]
    counts = {k: v.coded[["individual", "systemic", "political"]].astype(int).sum().tolist() for k, v in sets.items()}
    assert counts == {"bbc-1": [30, 36, 33], "bbc-2": [38, 40, 61], "bbc-3": [42, 49, 52], "bbc-4": [34, 48, 36],
                      "bbc-5": [23, 31, 83], "bbc-6": [58, 34, 79], "bbc-7": [21, 53, 38], "bbc-11": [41, 16, 38]}
    docs = [set(v.sentences["doc_id"]) for v in sets.values()]
    assert all(not docs[i] & docs[j] for i in range(len(docs)) for j in range(i + 1, len(docs)))  # no article twice
    if DEVSET.is_file():  # and none of their articles is in the development set
        from framing.agreement import load_devset

        dev_docs = set(load_devset(DEVSET).sentences["doc_id"])
        assert all(not set(v.sentences["doc_id"]) & dev_docs for v in sets.values())


def test_the_former_name_framing_validate_re_exports_the_same_objects() -> None:
    import framing.agreement
    import framing.validate
    from framing.validate import read_coding_sheets as old_name

    assert old_name is framing.agreement.read_coding_sheets
    assert framing.validate.__all__ == framing.agreement.__all__
    assert all(getattr(framing.validate, n) is getattr(framing.agreement, n) for n in framing.agreement.__all__)
    with pytest.raises(AttributeError, match=r"framing\.agreement"):
        framing.validate._sheets  # noqa: B018  (private modules are not re-exported)


def _director_agency(n_docs: int = 4) -> tuple[Any, pd.DataFrame, pd.DataFrame]:
    """A two-frame lexicon, ``n_docs`` documents of four sentences, and codes that follow its words."""
    from framing.lexicon import Entry, Lexicon, entry_kind

    frames_lex = Lexicon("f", "1", ("individual", "systemic"), (
        Entry("director", "individual", entry_kind("director")), Entry("agency", "systemic", entry_kind("agency"))))
    texts = ["The director failed.", "The agency failed.", "Rain fell.", "The director and the agency."]
    sents = pd.DataFrame([(f"d{d}", i, 0, 0, len(t), t) for d in range(n_docs) for i, t in enumerate(texts)],
                         columns=["doc_id", "sent_id", "para_id", "start", "end", "text"])
    coded = sents[["doc_id", "sent_id"]].assign(individual=sents["text"].str.contains("director").astype(int),
                                                systemic=sents["text"].str.contains("agency").astype(int), coder="a")
    return frames_lex, sents, coded


def test_instrument_validity_names_the_coded_corpus_scopes_after_the_corpus() -> None:
    from framing.agreement import instrument_validity

    frames_lex, sents, coded = _director_agency()
    v = instrument_validity(sents, coded, scope="immig", lexicon=frames_lex, cues=None, rule="any",
                            frames=["individual", "systemic"], n_boot=0, classifier=False)
    assert list(dict.fromkeys(v.metrics["scope"])) == ["immig", "immig-LODO"]
    assert v.notes == ["immig-LODO, rule: the rule has no training: its leave-one-document-out figure equals its "
                       "pooled figure."]


def test_instrument_validity_without_codes_still_scores_the_rule_on_the_other_sets() -> None:
    """No coded sheet for the corpus: the development and held-out sets do not depend on it (defect 2)."""
    from framing.agreement import Devset, instrument_validity

    frames_lex, sents, coded = _director_agency()
    # a development set that agrees with the words, a held-out set whose individual codes contradict them
    dev = Devset(sentences=sents[sents["doc_id"] == "d0"].assign(doc_id="x0"),
                 coded=coded[coded["doc_id"] == "d0"].assign(doc_id="x0"),
                 documents=pd.DataFrame(), path=Path("x"), corpus_path=Path("y"))
    ho = Devset(sentences=sents[sents["doc_id"] == "d1"].assign(doc_id="h1"),
                coded=coded[coded["doc_id"] == "d1"].assign(doc_id="h1", individual=lambda d: 1 - d["individual"]),
                documents=pd.DataFrame(), path=Path("h"), corpus_path=Path("t"))
    v = instrument_validity(sents, None, devset=dev, heldout={"bbc-9": ho}, lexicon=frames_lex, cues=None,
                            rule="any", frames=["individual", "systemic"], n_boot=0)
    m = v.metrics
    assert list(dict.fromkeys(zip(m["scope"], m["method"], strict=True))) == [("devset", "rule"),
                                                                              ("heldout-bbc-9", "rule")]
    # by hand: on the development set "director" is in sentences 0 and 3, both coded 1; nothing else fires
    dev_ind = m[(m["scope"] == "devset") & (m["frame"] == "individual")].iloc[0]
    assert (dev_ind["tp"], dev_ind["fp"], dev_ind["fn"], dev_ind["tn"]) == (2, 0, 0, 2)
    # on the held-out set the individual codes are flipped: sentences 0 and 3 fp, sentences 1 and 2 fn
    ho_ind = m[(m["scope"] == "heldout-bbc-9") & (m["frame"] == "individual")].iloc[0]
    assert (ho_ind["tp"], ho_ind["fp"], ho_ind["fn"]) == (0, 2, 2)
    assert any("no coded sentences of the corpus" in n for n in v.notes)
    # nothing to score at all: empty tables with their columns, no error
    empty = instrument_validity(sents, None, lexicon=frames_lex, cues=None, rule="any",
                                frames=["individual", "systemic"], n_boot=0)
    assert empty.metrics.empty and "scope" in empty.metrics.columns


def test_coded_scope_and_caption_words_keep_the_study_wording_only_for_the_seeds(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from framing.agreement import case_label, coded_scope, coded_sentences_words

    assert coded_scope(SimpleNamespace(name="seeds")) == "seeds"
    assert coded_scope(SimpleNamespace(name="immig")) == "immig"
    assert coded_scope(pd.DataFrame()) == "corpus"
    assert coded_sentences_words("seeds") == "the coded seed sentences"
    assert coded_sentences_words("immig") == "the coded sentences of immig"
    case = tmp_path / "deep" / "immig_case.yaml"
    case.parent.mkdir()
    case.write_text("case: immigration_2005\nversion: '1'\nentries:\n  - pattern: [home office]\n"
                    "    actor: government\n    frame: political\n", encoding="utf-8")
    assert case_label(str(case)) == "immigration_2005"  # the case: key, never the file's path
    broken = tmp_path / "deep" / "broken_case.yaml"
    broken.write_text("case: [\n", encoding="utf-8")
    assert case_label(str(broken)) == "broken_case"  # unreadable: its file name, still no path
    assert case_label("baby_p") == "baby_p" and case_label("") == "none" and case_label(None) == "none"


def test_training_warns_when_the_model_is_below_the_rule() -> None:
    import warnings

    from framing.agreement._instrument import _warn_if_below_rule

    def table(learned: float, rule: float) -> pd.DataFrame:
        return pd.DataFrame({"scope": ["cv"] * 4, "method": ["classifier", "classifier", "rule", "rule"],
                             "frame": ["a", "macro", "a", "macro"], "f1": [0.9, learned, 0.1, rule]})

    with pytest.warns(UserWarning, match=r"macro-F1 \(0\.103\) is below the rule's .* \(0\.406\)"):
        _warn_if_below_rule(table(0.103, 0.406))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _warn_if_below_rule(table(0.5, 0.406))  # better: no warning
        _warn_if_below_rule(table(0.406, 0.406))  # as good: none
        _warn_if_below_rule(table(NAN, 0.406))  # no figure: none


def _overlapping_devset() -> tuple[Any, pd.DataFrame, Any, Any]:
    """A corpus of four documents (d0 loaded from 'news/0' with safe ids) and a development set of three
    articles: 'news/0' (d0 by original id: its text is missing, so the texts cannot be compared), 'x1' (d1's
    text, whitespace aside) and 'x9' (new)."""
    from framing.agreement import Devset

    frames_lex, sents, coded = _director_agency()
    body = " ".join(sents.loc[sents["doc_id"] == "d1", "text"])
    documents = pd.DataFrame({"doc_id": ["d0", "d1", "d2", "d3"], "original_id": ["news/0", "d1", "d2", "d3"],
                              "text": ["d0 text", body, "d2 text", "d3 text"]})
    corpus = types.SimpleNamespace(sentences=sents, documents=documents)
    dev_s = pd.concat([sents[sents["doc_id"] == d].assign(doc_id=n) for d, n in (("d0", "news/0"), ("d1", "x1"),
                                                                                  ("d2", "x9"))], ignore_index=True)
    dev_c = pd.concat([coded[coded["doc_id"] == d].assign(doc_id=n) for d, n in (("d0", "news/0"), ("d1", "x1"),
                                                                                  ("d2", "x9"))], ignore_index=True)
    dev_docs = pd.DataFrame({"doc_id": ["news/0", "x1", "x9"], "text": [None, body.replace(" ", "\n  "),
                                                                         "x9 text"]})
    dev = Devset(sentences=dev_s, coded=dev_c, documents=dev_docs, path=Path("dev.jsonl"), corpus_path=Path("t"))
    return frames_lex, coded, corpus, dev


def test_devset_articles_in_the_coded_corpus_are_counted_once() -> None:
    from framing.agreement import train_frame_model, without_corpus_articles

    frames_lex, coded, corpus, dev = _overlapping_devset()
    with pytest.warns(UserWarning, match=r"dev\.jsonl: 2 article\(s\) of the development set are also in the coded "
                                         r"corpus .*'news/0' \(corpus 'd0'\), 'x1' \(corpus 'd1'\); counted once"):
        kept = without_corpus_articles(dev, corpus.documents)
    assert sorted(set(kept.sentences["doc_id"])) == ["x9"] and sorted(set(kept.coded["doc_id"])) == ["x9"]
    assert kept.documents["doc_id"].tolist() == ["x9"]
    # training: 16 coded corpus sentences + the 4 of x9 (not 16 + 12: d0 and d1 would be there twice)
    with pytest.warns(UserWarning, match="counted once"):
        result = train_frame_model(corpus, coded, devset=dev, n_splits=2, lexicon=frames_lex, cues=None, rule="any",
                                   frames=["individual", "systemic"])
    assert len(result.folds) == 20 and set(result.folds["doc_id"]) == {"d0", "d1", "d2", "d3", "x9"}
    # only the coded documents count: without codes for d0 and d1, their articles stay in the set
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        same = without_corpus_articles(dev, corpus.documents[corpus.documents["doc_id"].isin(["d2", "d3"])])
    assert len(same.sentences) == 12


def test_sheet_may_name_documents_by_their_original_id(tmp_path: Path) -> None:
    corpus = _corpus()
    documents = corpus.documents.assign(original_id=["news/a", "b", "c"])
    renamed = ProcessedCorpus(documents, corpus.paragraphs, corpus.sentences, corpus.removed_spans, "tiny")
    path = _write(tmp_path / "s.csv", HEADER + "news/a,1,20,39,The council failed.,0,1,0,x,\n"
                  + "a,2,40,62,Officials must resign.,1,0,0,x,\n")
    with pytest.warns(UserWarning, match=r"s\.csv: 1 row\(s\) name documents by their original id \(e\.g\. "
                                         r"'news/a', the corpus's 'a'\)"):
        coded = read_coding_sheet(path, corpus=renamed)
    assert coded["doc_id"].tolist() == ["a", "a"] and coded["sent_id"].tolist() == [1, 2]
    with pytest.raises(ValidationSheetError, match="unknown doc_id 'news/a'"):
        read_coding_sheet(path, corpus=corpus)  # without original ids the old id is unknown


def test_instrument_summary_caption_names_sealed_sets_and_layers() -> None:
    from framing.agreement import HELD_OUT_MACRO_F1, instrument_summary_caption

    text = instrument_summary_caption("seeds", "baby_p")
    assert "Rows seeds and seeds-LODO score with the case file baby_p" in text
    assert "the development set and the held-out sets with the case-independent layer only" in text
    low, high = HELD_OUT_MACRO_F1  # the quoted range, itself checked by recomputation above
    assert "(bbc-2, bbc-4, bbc-5, bbc-6, bbc-7, bbc-11)" in text
    assert f"macro-F1 {low:.2f} to {high:.2f}, is over the sealed sets" in text
    assert "score with the case-independent layer only (no case)" in instrument_summary_caption("mine", "")


def test_cluster_bootstrap_resamples_whole_documents() -> None:
    """F1 depends on counts only up to scale: documents of three identical sentences resampled whole give the
    intervals of the same documents with one sentence each, resampled sentence by sentence (same seed)."""
    human = [(1, 0), (1, 1), (0, 1), (0, 0), (1, 0), (0, 1), (1, 1), (0, 0)]
    lex = [(1, 0), (0, 1), (1, 1), (0, 0), (1, 1), (0, 1), (1, 0), (1, 0)]
    frames = ["individual", "systemic"]

    def tables(copies: int) -> tuple[pd.DataFrame, pd.DataFrame]:
        coded = pd.DataFrame([(f"d{d}", k, "ann", *h) for d, h in enumerate(human) for k in range(copies)],
                             columns=["doc_id", "sent_id", "coder", *frames])
        pred = pd.DataFrame([(f"d{d}", k, *p) for d, p in enumerate(lex) for k in range(copies)],
                            columns=["doc_id", "sent_id", *frames])
        return coded, pred

    one = agreement(*tables(1), frames=frames, n_boot=300, random_state=7).metrics
    whole = agreement(*tables(3), frames=frames, n_boot=300, random_state=7, cluster="doc_id").metrics
    pd.testing.assert_frame_equal(one[["frame", "f1", "f1_low", "f1_high"]],
                                  whole[["frame", "f1", "f1_low", "f1_high"]])
    # resampled sentence by sentence, the 24 copies look like 24 independent sentences: narrower intervals
    apart = agreement(*tables(3), frames=frames, n_boot=300, random_state=7).metrics
    width = lambda m: (m["f1_high"] - m["f1_low"]).to_numpy()  # noqa: E731
    assert (width(apart) < width(whole)).all()
    with pytest.raises(ParameterError, match="'para_id'"):
        agreement(*tables(1), frames=frames, n_boot=10, cluster="para_id")


def test_instrument_validity_marks_the_rule_in_sample_on_the_study_seeds() -> None:
    from framing.agreement import held_out_verdict, instrument_validity, macro_f1_summary

    frames_lex, sents, coded = _director_agency()
    kw = {"lexicon": frames_lex, "cues": None, "rule": "any", "frames": ["individual", "systemic"], "n_boot": 0,
          "classifier": False}
    seeds = instrument_validity(sents, coded, scope="seeds", **kw)
    mine = instrument_validity(sents, coded, scope="immig", **kw)
    assert seeds.metrics["in_sample"].all() and not mine.metrics["in_sample"].any()
    assert "in-sample" in seeds.notes[0] and "in-sample" not in mine.notes[0]
    # the verdict does not compare an in-sample rule with an out-of-fold classifier
    summary = macro_f1_summary(seeds.metrics)
    lodo = pd.DataFrame({"scope": ["seeds-LODO"] * 2, "method": ["rule", "classifier"], "macro_f1": [0.8, 0.6],
                         "sealed": False, "in_sample": [True, False]})
    assert "no verdict" in str(held_out_verdict(lodo)) and "rule stays" not in str(held_out_verdict(lodo))
    assert bool(summary["in_sample"].all())


def test_held_out_verdict_rests_on_the_sealed_sets_when_there_are_any() -> None:
    from framing.agreement import held_out_verdict

    rows = [("seeds-LODO", "rule", 0.8, False, True), ("seeds-LODO", "classifier", 0.6, False, False),
            ("heldout-a", "rule", 0.40, True, False), ("heldout-a", "classifier", 0.50, True, False),
            ("heldout-b", "rule", 0.50, True, False), ("heldout-b", "classifier", 0.56, True, False),
            ("heldout-c", "rule", 0.90, False, False), ("heldout-c", "classifier", 0.10, False, False),
            ("heldout-d", "rule", 0.10, True, False), ("heldout-d", "classifier", 0.95, True, True)]
    summary = pd.DataFrame(rows, columns=["scope", "method", "macro_f1", "sealed", "in_sample"])
    # sealed and out-of-sample with both methods: a and b only (c was read, d's classifier is in-sample)
    verdict = held_out_verdict(summary)
    assert verdict is not None and "2 sealed held-out set(s)" in verdict
    assert "classifier 0.53" in verdict and "rule 0.45" in verdict and "learned option does better" in verdict


def test_given_model_trained_on_a_set_is_scored_in_sample_there(tmp_path: Path) -> None:
    from framing.agreement import Devset, instrument_validity
    from framing.classifier import FrameClassifier
    from framing.io import sha256_file

    frames_lex, sents, coded = _director_agency()
    frames = ["individual", "systemic"]
    files = {}
    for name in ("seen", "unseen"):
        files[name] = tmp_path / f"{name}.jsonl"
        files[name].write_text(name, encoding="utf-8")  # the digest is what counts
    sets = {n: Devset(sentences=sents[sents["doc_id"] == "d0"].assign(doc_id=f"{n}0"),
                      coded=coded[coded["doc_id"] == "d0"].assign(doc_id=f"{n}0"),
                      documents=pd.DataFrame(), path=files[n], corpus_path=Path("t")) for n in files}
    model = FrameClassifier(frames_lex, None, rule_params={"rule": "any"}).fit(
        sents, coded.set_index(["doc_id", "sent_id"]).loc[list(zip(sents["doc_id"], sents["sent_id"],
                                                                       strict=True)), frames].reset_index(drop=True))
    v = instrument_validity(sents, coded, heldout=sets, model=model, lexicon=frames_lex, cues=None, rule="any",
                            frames=frames, n_boot=0, scope="immig", model_training=[sha256_file(files["seen"])])
    macro = v.metrics[(v.metrics["frame"] == "macro") & (v.metrics["method"] == "model")].set_index("scope")
    assert bool(macro.loc["heldout-seen", "in_sample"]) and "trained on this set" in macro.loc["heldout-seen", "note"]
    assert not bool(macro.loc["heldout-unseen", "in_sample"])


def test_a_given_model_and_a_classifier_trained_here_have_their_own_method() -> None:
    """From the usability trial: ``validate devset --model general`` and the classifier trained on the coded
    corpus both said ``classifier``, so a reader could not tell the given model's rows from the trained one's."""
    from framing.agreement import METHODS, Devset, instrument_validity
    from framing.classifier import FrameClassifier

    frames_lex, sents, coded = _director_agency()
    frames = ["individual", "systemic"]
    other = Devset(sentences=sents[sents["doc_id"] == "d0"].assign(doc_id="o0"),
                   coded=coded[coded["doc_id"] == "d0"].assign(doc_id="o0"), documents=pd.DataFrame(),
                   path=Path("o.jsonl"), corpus_path=Path("t"))
    model = FrameClassifier(frames_lex, None, rule_params={"rule": "any"}).fit(sents, coded)
    kw = {"heldout": {"o": other}, "lexicon": frames_lex, "cues": None, "rule": "any", "frames": frames,
          "n_boot": 0, "scope": "immig"}
    given = instrument_validity(sents, coded, model=model, **kw)
    trained = instrument_validity(sents, coded, **kw)
    pairs = {(s, m) for s, m in given.metrics[["scope", "method"]].itertuples(index=False)}
    # the leave-one-document-out rows are always a classifier trained here; the given model labels as it is
    assert pairs == {("immig", "rule"), ("immig-LODO", "rule"), ("immig-LODO", "classifier"), ("immig", "model"),
                     ("heldout-o", "rule"), ("heldout-o", "model")}
    pairs = {(s, m) for s, m in trained.metrics[["scope", "method"]].itertuples(index=False)}
    assert pairs == {("immig", "rule"), ("immig-LODO", "rule"), ("immig-LODO", "classifier"), ("heldout-o", "rule"),
                     ("heldout-o", "classifier")}
    assert set(METHODS) == {"rule", "classifier", "model"}
    confusion = {(s, m) for s, m in given.confusion[["scope", "method"]].itertuples(index=False)}
    assert confusion == {(s, m) for s, m in given.metrics[["scope", "method"]].itertuples(index=False)}


def test_classifier_on_other_sets_runs_without_the_corpus_case_file() -> None:
    from framing.agreement._instrument import _without_case
    from framing.classifier import FrameClassifier

    model = FrameClassifier(rule_params={"case": "baby_p", "rule": "any"})
    other = _without_case(model)
    assert other.rule_params == {"rule": "any"} and model.rule_params == {"case": "baby_p", "rule": "any"}
    plain = FrameClassifier(rule_params={"rule": "any"})
    assert _without_case(plain) is plain


def test_one_document_has_no_document_bootstrap_interval() -> None:
    # every replicate of a one-document cluster bootstrap is that document: no interval, not a zero-width one
    coded = pd.DataFrame([("d0", i, "ann", i % 2, (i // 2) % 2) for i in range(40)],
                         columns=["doc_id", "sent_id", "coder", "individual", "systemic"])
    pred = pd.DataFrame([("d0", i, (i // 3) % 2, (i // 4) % 2) for i in range(40)],
                        columns=["doc_id", "sent_id", "individual", "systemic"])
    m = agreement(coded, pred, frames=["individual", "systemic"], n_boot=200, random_state=1, cluster="doc_id").metrics
    assert m["f1_low"].isna().all() and m["f1_high"].isna().all() and m["f1"].notna().all()
    apart = agreement(coded, pred, frames=["individual", "systemic"], n_boot=200, random_state=1).metrics
    assert (apart["f1_low"] < apart["f1_high"]).all()


def test_a_duplicate_row_is_named_with_plain_values_not_numpy_reprs(tmp_path: Path) -> None:
    path = _write(tmp_path / "s.csv", HEADER + "b,3,,,,0,0,1,x,\nb,3,,,,1,0,1,x,\n")
    with pytest.raises(ValidationSheetError) as info:
        read_coding_sheet(path)
    assert "duplicate row (doc_id='b', sent_id=3, coder='x'; first at line 2)" in str(info.value)
    assert "np." not in str(info.value)


@pytest.mark.parametrize("blank_lines", ["", "\n\n"])
def test_a_sheet_with_a_header_and_no_rows_is_refused_naming_it(tmp_path: Path, blank_lines: str) -> None:
    path = _write(tmp_path / "c5.csv", HEADER + blank_lines)
    with pytest.raises(ValidationSheetError, match=rf"^{path}: no coded rows"):
        read_coding_sheet(path)


def test_intervals_over_fewer_than_ten_documents_are_marked_indicative() -> None:
    from framing.agreement import agreement, few_documents_note

    # n documents of two sentences each, coded 1 then 0 for frame a; the lexicon says 1 on both sentences of every
    # other document (tp and fp in half the documents): an interval with width, over n documents
    def metrics(n: int, cluster: str | None = "doc_id") -> pd.DataFrame:
        units = [(f"d{i:02d}", k) for i in range(n) for k in (0, 1)]
        coded = pd.DataFrame(units, columns=["doc_id", "sent_id"]).assign(a=[1, 0] * n, coder="ann")
        pred = pd.DataFrame(units, columns=["doc_id", "sent_id"]).assign(a=[1 if i % 2 == 0 else 0 for i in
                                                                            range(n) for _ in (0, 1)])
        return agreement(coded, pred, frames=["a"], n_boot=200, random_state=3, cluster=cluster).metrics

    few = metrics(9).set_index("frame")
    assert few.loc["a", "ci_note"] == "interval over 9 documents: indicative only" == few_documents_note(9)
    assert few.loc["a", "f1_low"] < few.loc["a", "f1_high"]  # the interval is kept
    assert (metrics(10)["ci_note"] == "").all()  # ten documents: no note
    assert (metrics(5, cluster=None)["ci_note"] == "").all()  # sentences resampled: not a document interval
    assert few_documents_note(1) == "interval over 1 document: indicative only"


def test_validation_metrics_caption_says_in_sample_resampling_and_coders() -> None:
    from framing.agreement import shipped_coders, validation_metrics_caption
    from framing.paths import project_paths

    seeds = validation_metrics_caption("blame_frames", "baby_p", "coder", "seeds", n_coders=2, n_docs=5,
                                       level=0.95, n_boot=2000, in_sample=True, automated=True)
    assert "two coders, automated coding assistants (AI language models), not human coders" in seeds
    assert "2000 replicates resampling the 5 documents whole, not sentences" in seeds
    assert "with fewer than 10 documents the intervals are indicative only" in seeds
    assert "Every row is in-sample: the lexicons were written reading these sentences" in seeds
    mine = validation_metrics_caption("mine.yaml", "", "any", "immig", n_coders=1, n_docs=40, level=0.9,
                                      n_boot=500, in_sample=False, automated=False)
    assert "(one coder)" in mine and "automated" not in mine and "indicative" not in mine
    assert "90% percentile bootstrap interval, 500 replicates resampling the 40 documents whole" in mine
    assert "out of sample" in mine and "case none" in mine
    validation = project_paths().validation
    assert shipped_coders([validation / "seeds_coded.csv", validation / "seeds_coded_coder2.csv"])
    assert not shipped_coders([validation / "seeds_coded.csv", "my_sheet.csv"]) and not shipped_coders([])


def test_an_article_is_held_by_its_text_and_by_its_id_only_where_a_text_is_missing() -> None:
    """From the review: matching by original id alone flagged a user's unrelated document called like a BBC
    training article (``politics/025``) as that article, so a model's figures on it were called in-sample."""
    from framing.agreement import shared_articles

    articles = pd.DataFrame({"doc_id": ["politics/025", "politics/026", "tech/001", "sport/009"],
                             "text": ["The minister resigned.\n\nHe said sorry.", "Another story.", None, "Goal!"]})
    documents = pd.DataFrame({
        "doc_id": ["politics_025", "politics_026", "mine", "tech_001", "sport_009"],
        "original_id": ["politics/025", "politics/026", "mine", "tech/001", "sport/009"],
        "text": ["My own essay about politics.", "Another   story.\n", "The minister resigned. He said sorry.",
                 "anything", ""]})
    assert shared_articles(articles, documents) == {
        "politics/025": "mine",  # the same text under another name: the article; the same name, another text: not
        "politics/026": "politics_026",  # same id, same text (whitespace aside)
        "tech/001": "tech_001",  # same id, the article's text unknown: taken as the article
        "sport/009": "sport_009",  # same id, the corpus document's text empty: taken as the article
    }
    unrelated = documents.assign(text=["a", "b", "c", "d", "e"])  # every text differs: no article is held
    assert shared_articles(articles[articles["text"].notna()], unrelated) == {}


def test_an_article_the_corpus_holds_twice_marks_both_documents() -> None:
    """From the review: the text -> document map kept one of two duplicates (BBC News 2004-05 has 100 texts twice),
    so the other copy of a training article was not called in-sample."""
    from framing.agreement import holding_documents, shared_articles

    articles = pd.DataFrame({"doc_id": ["business/001"], "text": ["Profits rose at the bank."]})
    documents = pd.DataFrame({"doc_id": ["a", "b", "c"],
                              "text": ["Profits rose at the bank.", "Profits  rose at the bank.\n", "Other."]})
    assert holding_documents(articles, documents) == {"business/001": ["a", "b"]}
    assert shared_articles(articles, documents) == {"business/001": "a"}  # the first holder


def test_model_training_documents_match_a_training_article_by_its_text(tmp_path: Path) -> None:
    import gzip
    import json

    from framing.agreement import model_training_documents

    texts = {"politics/025": "The minister resigned. He said sorry.", "tech/001": "A new phone."}
    (tmp_path / "corpora").mkdir()
    with gzip.open(tmp_path / "corpora" / "bbc-news-2004-2005.jsonl.gz", "wt", encoding="utf-8") as f:
        f.writelines(json.dumps({"id": k, "text": v}) + "\n" for k, v in texts.items())
    coded = tmp_path / "sets" / "training-x" / "coded.jsonl"
    coded.parent.mkdir(parents=True)
    coded.write_text("".join(json.dumps({"uid": f"u{i}", "bbc_id": k, "start": 0, "end": 12, "text": v[:12],
                                         "frames": []}) + "\n" for i, (k, v) in enumerate(texts.items())),
                     encoding="utf-8")
    header = {"training_files": [{"path": str(coded), "sha256": "0" * 64}]}
    documents = pd.DataFrame({"doc_id": ["politics_025", "tech_001", "copy"],
                              "original_id": ["politics/025", "tech/001", "copy"],
                              "text": ["My own essay, not the BBC's.", "A new\nphone.", texts["politics/025"]]})
    held = model_training_documents(header, documents, root=tmp_path)
    assert sorted(held) == ["copy", "tech_001"]  # politics_025 only shares the training article's name


def test_held_articles_note_is_the_one_wording_of_documents_holding_set_articles() -> None:
    """From the review: the message was built four ways (8 names and "and N more", 5 names and "...")."""
    from framing.agreement import READ_SOURCE, held_articles_note, model_source

    held = {f"d{i:02d}": ("sets/b.jsonl" if i % 2 else "sets/a.jsonl") for i in range(10, 0, -1)}
    assert held_articles_note(held, model_source("general")) == (
        "10 document(s) of the corpus hold articles the model general was trained on (d01, d02, d03, d04, d05, d06, "
        "d07, d08 and 2 more; sets/b.jsonl, sets/a.jsonl)")
    assert held_articles_note({"x": "s.jsonl"}, READ_SOURCE) == (
        "1 document(s) of the corpus hold articles read while the shipped lexicons were written (x; s.jsonl)")
    assert model_source(None) == model_source("") == "the given model was trained on"


def test_the_metrics_notes_say_which_documents_hold_set_articles_in_that_wording() -> None:
    from framing.agreement import READ_SOURCE, held_articles_note, instrument_validity, model_source
    from framing.agreement._instrument import MODEL_IN_SAMPLE_NOTE
    from framing.classifier import FrameClassifier

    frames_lex, sents, coded = _director_agency()
    frames = ["individual", "systemic"]
    coded = coded.assign(source="sheet.csv")  # a sheet that is not among the model's training files
    model = FrameClassifier(frames_lex, None, rule_params={"rule": "any"}).fit(sents, coded)
    model_docs = {"d1": "training-x/coded.jsonl", "d0": "training-y/coded.jsonl", "elsewhere": "z.jsonl"}
    v = instrument_validity(sents, coded, model=model, classifier=True, lexicon=frames_lex, cues=None, rule="any",
                            frames=frames, n_boot=0, scope="immig", model_training=["0" * 64],
                            model_documents=model_docs, read_documents={"d2": "heldout-bbc-1/coded.jsonl"})
    macro = v.metrics[v.metrics["frame"] == "macro"].set_index(["scope", "method"])
    assert macro.loc[("immig", "model"), "note"] == f"{MODEL_IN_SAMPLE_NOTE}: " + held_articles_note(
        {"d0": "training-y/coded.jsonl", "d1": "training-x/coded.jsonl"}, model_source(None))  # coded ones only
    assert macro.loc[("immig", "rule"), "note"] == "in-sample in part: " + held_articles_note(
        {"d2": "heldout-bbc-1/coded.jsonl"}, READ_SOURCE)


def _nfc_walkthrough() -> tuple[str, str]:
    """The text of docs/validation.md section 5 and the Python code block in it."""
    import re

    doc = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    section = doc[doc.index("## 5. "):doc.index("## 6. ")]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1, "section 5 holds one Python block"
    return section, blocks[0]


def _calls(tree: Any, names: set[str]) -> dict[str, dict[str, tuple[str, Any]]]:
    """Keyword arguments of the calls to ``names`` in ``tree``: ``("literal", value)`` or ``("code", source)``."""
    import ast

    out: dict[str, dict[str, tuple[str, Any]]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
            out[node.func.id] = {k.arg: (("literal", k.value.value) if isinstance(k.value, ast.Constant)
                                         else ("code", ast.unparse(k.value))) for k in node.keywords if k.arg}
    return out


def test_the_nfc_walkthrough_calls_what_notebook_06_calls_with_its_defaults() -> None:
    import ast
    import json

    _, code = _nfc_walkthrough()
    cells = json.loads((ROOT / "notebooks" / "06_validation.ipynb").read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    defaults = {}  # the parameters cell: name: type = default  # help
    for stmt in ast.parse(sources[0]).body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            defaults[stmt.target.id] = ast.literal_eval(stmt.value)
    nfc_cells = ast.parse("\n".join(s for s in sources[1:] if "nfc" in s))
    names = {"load_corpus", "parse_binary_codes", "frame_table", "document_predictions", "agreement"}
    documented, notebook = _calls(ast.parse(code), names), _calls(nfc_cells, names)
    assert set(documented) == set(notebook) == names
    checked = 0
    for func in sorted(names):
        assert set(documented[func]) == set(notebook[func]), func
        for key, (kind, value) in notebook[func].items():
            if kind == "literal":  # cues=None, rule="any", id_col="ID", measure="sentences" ...
                assert documented[func][key] == ("literal", value), (func, key)
            elif value in defaults:  # a notebook parameter (nfc_lexicon, nfc_threshold, n_boot, seed ...): its default
                assert documented[func][key] == ("literal", defaults[value]), (func, key)
            else:  # a variable of the section (the corpus, the frames ...): the same role, named as the page does
                continue
            checked += 1
    assert checked >= 12  # the literals and parameters above, not a vacuous comparison


@pytest.mark.corpora
def test_the_nfc_walkthrough_runs_and_prints_the_figures_it_quotes(monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    if not NFC.is_file():
        pytest.skip(f"{NFC} absent")
    section, code = _nfc_walkthrough()
    monkeypatch.chdir(ROOT)  # the page's paths are relative to the project root
    scope: dict[str, Any] = {}
    exec(compile(code, "docs/validation.md (section 5)", "exec"), scope)
    macro = scope["metrics"].loc["macro"]
    quoted = re.search(r"macro precision ([\d.]+), recall ([\d.]+), F1 ([\d.]+) \[([\d.]+), ([\d.]+)\]", section)
    assert quoted is not None
    assert [float(x) for x in quoted.groups()] == [
        round(float(macro[c]), 2) for c in ("precision", "recall", "f1", "f1_low", "f1_high")]
    assert len(scope["corpus"].documents) == 427
    assert any("line 213" in str(w.message) for w in scope["said"])
