"""Another grouping column than ``genre`` and the table's own ``genre``/``doc_id``; metadata of mixed types."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from framing.backends import read_partitioned, run_partitioned
from framing.cli import main
from framing.corpus import load_corpus, prepare_corpus
from framing.errors import CorpusError
from framing.rawio import CorpusWarning

ROWS = [  # two outlets, two genres: the grouping column and the table's own genre differ on every row but one
    {"doc_id": "g1", "outlet": "Guardian", "genre": "news", "date": "2019-12-16", "text": "The Post Office failed."},
    {"doc_id": "g2", "outlet": "Guardian", "genre": "opinion", "date": "2021-04-23", "text": "Ministers failed."},
    {"doc_id": "t1", "outlet": "Telegraph", "genre": "news", "date": "2024-01-10", "text": "Bosses failed them."},
]


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl", "parquet"])
def test_another_group_column_keeps_the_tables_own_genre_as_original_genre(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"c.{fmt}"
    df = pd.DataFrame(ROWS)
    if fmt == "jsonl":
        _jsonl(path, ROWS)
    elif fmt == "parquet":
        df.to_parquet(path)
    else:
        df.to_csv(path, index=False, sep="," if fmt == "csv" else "\t")
    docs = load_corpus(path, genre_col="outlet").documents
    assert docs["genre"].tolist() == ["Guardian", "Guardian", "Telegraph"]
    assert docs["original_genre"].tolist() == ["news", "opinion", "news"]
    # the chosen column is the group (genre) and stays under its own name, so a user can name it as written
    assert docs["outlet"].tolist() == ["Guardian", "Guardian", "Telegraph"]


def test_another_id_column_keeps_the_tables_own_doc_id_as_original_doc_id(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame([{"id": f"x{i}", **r} for i, r in enumerate(ROWS)]).to_csv(path, index=False)
    docs = load_corpus(path, id_col="id").documents
    assert docs["doc_id"].tolist() == ["x0", "x1", "x2"]
    assert docs["original_doc_id"].tolist() == ["g1", "g2", "t1"]
    assert docs["genre"].tolist() == ["news", "opinion", "news"]


def test_a_text_column_not_chosen_is_kept_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame([{"doc_id": "a", "genre": "n", "body": "The board failed.", "text": "summary"}]).to_csv(
        path, index=False)
    docs = load_corpus(path, text_col="body").documents
    assert docs["text"].tolist() == ["The board failed."]
    assert docs["original_text"].tolist() == ["summary"]


def test_an_existing_original_column_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame([{**r, "original_genre": "x"} for r in ROWS]).to_csv(path, index=False)
    with pytest.raises(CorpusError, match=r"c\.csv: column\(s\) \['genre'\] .* \['original_genre'\] exist already"):
        load_corpus(path, genre_col="outlet")


def test_a_folder_groups_by_genre_col_and_keeps_its_own_genre_and_doc_id(make_folder) -> None:
    folder = make_folder({"a.txt": "The council failed.", "b.txt": "The minister failed."},
                         [{"file": "a.txt", "genre": "news", "outlet": "BBC", "doc_id": "A1"},
                          {"file": "b.txt", "genre": "blog", "outlet": "Sean", "doc_id": "B1"}])
    docs = load_corpus(folder, genre_col="outlet").documents
    assert docs["doc_id"].tolist() == ["a", "b"]  # file stems
    assert docs["genre"].tolist() == ["BBC", "Sean"]
    assert docs["original_genre"].tolist() == ["news", "blog"]
    assert docs["original_doc_id"].tolist() == ["A1", "B1"]
    with pytest.raises(CorpusError, match=r"missing required column\(s\) \['region'\]"):
        load_corpus(folder, genre_col="region")


@pytest.mark.parametrize(("backend", "scheduler"), [("stream", None), ("dask", "synchronous")])
def test_another_group_column_on_the_partitioned_backends(tmp_path: Path, backend: str,
                                                          scheduler: str | None) -> None:
    path = _jsonl(tmp_path / "c.jsonl", ROWS)
    result = run_partitioned(path, backend=backend, scheduler=scheduler, processed_dir=tmp_path / "p",
                             partition_bytes=100, genre_col="outlet")
    assert result.n_partitions >= 2
    docs = read_partitioned(result.directory, "documents")
    assert docs["genre"].tolist() == ["Guardian", "Guardian", "Telegraph"]
    assert docs["original_genre"].tolist() == ["news", "opinion", "news"]


def test_cli_frames_with_another_group_column_on_a_table_with_genre(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame(ROWS).to_csv(path, index=False)
    out = tmp_path / "f.csv"
    assert main(["frames", str(path), "--genre-col", "outlet", "--out", str(out), "--quiet"]) == 0
    assert pd.read_csv(out)["doc_id"].drop_duplicates().tolist() == ["g1", "g2", "t1"]


def test_jsonl_metadata_of_mixed_types_is_kept_as_text_with_a_warning(tmp_path: Path) -> None:
    rows = [dict(r) for r in ROWS]
    rows[1]["date"] = 20210424  # a number on line 2
    rows[2]["date"] = {"y": 2024}  # an object on line 3
    path = _jsonl(tmp_path / "c.jsonl", rows)
    with pytest.warns(CorpusWarning, match=r"c\.jsonl: column 'date' holds text and a number first at line 2, "
                                           r"a JSON object first at line 3: kept as text"):
        docs = load_corpus(path).documents
    assert docs["date"].tolist() == ["2019-12-16", "20210424", '{"y": 2024}']
    with pytest.warns(CorpusWarning, match="column 'date'"):
        prepared = prepare_corpus(path, processed_dir=tmp_path / "p")  # wrote Parquet: no ArrowTypeError
    assert prepared.documents["date"].tolist() == ["2019-12-16", "20210424", '{"y": 2024}']


def test_missing_values_stay_missing_and_one_type_is_left_alone(tmp_path: Path) -> None:
    rows = [dict(r) for r in ROWS]
    rows[0]["date"] = None
    del rows[1]["date"]
    for r, n in zip(rows, [3, 1, 2], strict=True):
        r["pages"] = n
    path = _jsonl(tmp_path / "c.jsonl", rows)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", CorpusWarning)  # text and missing values only: nothing mixed
        docs = load_corpus(path).documents
    assert docs["date"].isna().tolist() == [True, True, False]
    assert docs["pages"].tolist() == [3, 1, 2]


def test_mixed_types_across_partitions_read_as_text_as_in_memory(tmp_path: Path) -> None:
    rows = [dict(r) for r in ROWS]
    rows[1]["date"] = 20210424  # alone in its partition: that part's column is a number, the others' text
    path = _jsonl(tmp_path / "c.jsonl", rows)
    result = run_partitioned(path, backend="stream", processed_dir=tmp_path / "p", partition_bytes=100)
    assert result.n_partitions == 3
    with pytest.warns(CorpusWarning, match=r"column 'date' holds text and a number first at document g2"):
        docs = read_partitioned(result.directory, "documents")
    assert docs["date"].tolist() == ["2019-12-16", "20210424", "2024-01-10"]


def test_a_document_without_a_group_value_is_refused_naming_the_grouping(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"doc_id": ["a", "b"], "text": ["x.", "y."], "genre": ["news", ""],
                  "outlet": ["The Guardian", ""]}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match=r"column 'outlet' .*every document needs an outlet"):
        load_corpus(path, genre_col="outlet")
    with pytest.raises(CorpusError, match=r"column 'genre' .*every document needs a genre"):
        load_corpus(path)


def test_the_grouping_column_is_a_document_column_under_its_own_name_for_tables_and_folders(tmp_path: Path) -> None:
    """The trial's `--genre-col section`: `--keep-columns section`, strata and by="section" all refused it."""
    from framing.corpus import check_document_columns, process_corpus
    from framing.scoring import frame_table, group_scores

    table = _jsonl(tmp_path / "c.jsonl", [{"id": f"d{i}", "section": s, "year": 2004 + i, "text": "Ministers failed."}
                                          for i, s in enumerate(["visa", "visa", "asylum"])])
    folder = tmp_path / "folder"
    folder.mkdir()
    for i in range(3):
        (folder / f"d{i}.txt").write_text("Ministers failed.", encoding="utf-8")
    (folder / "metadata.csv").write_text("file,section,year\nd0.txt,visa,2004\nd1.txt,visa,2005\nd2.txt,asylum,2006\n",
                                         encoding="utf-8")
    for corpus in (load_corpus(table, id_col="id", genre_col="section"), load_corpus(folder, genre_col="section")):
        docs = corpus.documents
        assert docs["genre"].tolist() == docs["section"].tolist() == ["visa", "visa", "asylum"]
        check_document_columns(docs, ["section", "year"])  # no ParameterError
        processed = process_corpus(corpus)
        g = group_scores(frame_table(processed), processed, by="section")
        assert sorted(set(g["section"])) == ["asylum", "visa"]
        assert g.loc[g["section"] == "visa", "n_docs"].tolist() == [2, 2, 2]


def test_a_folders_genres_are_read_as_a_tables_are(tmp_path: Path) -> None:
    """A genre written " news " in metadata.csv is "news", as in a CSV table, before and after processing."""
    from framing.corpus import process_corpus

    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text("The council failed.", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text('file,genre\na.txt," news "\nb.txt,blog\n', encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.documents["genre"].tolist() == ["news", "blog"]
    assert process_corpus(corpus).documents["genre"].tolist() == ["news", "blog"]
