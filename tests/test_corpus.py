from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from framing.corpus import (
    CorpusWarning,
    load_corpus,
    prepare_corpus,
    process_corpus,
    summarize_by_genre,
    summarize_removals,
    verify_manifest,
)
from framing.errors import CorpusError, RawDataChangedError


def test_seed_corpus_loads_with_metadata(seeds, raw_dir: Path) -> None:
    docs = seeds.documents
    meta = pd.read_csv(raw_dir / "metadata.csv")
    assert docs["doc_id"].tolist() == [Path(f).stem for f in meta["file"]]
    assert docs["genre"].tolist() == meta["genre"].tolist()
    assert docs["title"].tolist() == meta["title"].tolist()
    for row in docs.itertuples():
        assert (raw_dir / f"{row.doc_id}.txt").read_bytes().decode("utf-8") == row.text
        assert row.n_sentences == int((seeds.sentences.doc_id == row.doc_id).sum())


def test_sentence_offsets_round_trip_for_every_seed_sentence(seeds) -> None:
    raw = dict(zip(seeds.documents.doc_id, seeds.documents.text, strict=True))
    assert len(seeds.sentences) > 100
    for row in seeds.sentences.itertuples():
        assert raw[row.doc_id][row.start:row.end] == row.text
        assert row.text == row.text.strip() and row.text
    for row in seeds.paragraphs.itertuples():
        assert raw[row.doc_id][row.start:row.end] == row.text


def test_sentences_never_overlap_removed_spans(seeds) -> None:
    for doc_id, spans in seeds.removed_spans.groupby("doc_id"):
        sents = seeds.sentences[seeds.sentences.doc_id == doc_id]
        for s in sents.itertuples():
            for r in spans.itertuples():
                assert s.end <= r.start or s.start >= r.end


def test_sent_ids_are_consecutive_per_document(seeds) -> None:
    for _, group in seeds.sentences.groupby("doc_id"):
        assert group["sent_id"].tolist() == list(range(len(group)))


def test_utf8_bom_is_read_and_cp1252_falls_back_with_a_warning(make_folder) -> None:
    folder = make_folder({"a.txt": "\ufeffCafé au lait.".encode(), "b.txt": "Café “quoted”.".encode("cp1252")})
    with pytest.warns(CorpusWarning, match=r"b\.txt.*cp1252"):
        corpus = load_corpus(folder)
    texts = dict(zip(corpus.documents.doc_id, corpus.documents.text, strict=True))
    assert texts["a"] == "Café au lait."
    assert texts["b"] == "Café “quoted”."
    assert any("b.txt" in i for i in corpus.issues)


def test_empty_documents_are_reported_and_skipped(make_folder) -> None:
    folder = make_folder({"a.txt": "Some text.", "b.txt": "  \n "})
    with pytest.warns(CorpusWarning, match=r"empty document.*\['b'\]"):
        corpus = load_corpus(folder)
    assert corpus.documents["doc_id"].tolist() == ["a"]


def test_mismatched_files_and_metadata_are_one_error_listing_all(make_folder) -> None:
    folder = make_folder(
        {"a.txt": "x.", "b.txt": "y."},
        [{"file": "a.txt", "genre": "news"}, {"file": "a.txt", "genre": "blog"}, {"file": "c.txt", "genre": "blog"}],
    )
    with pytest.raises(CorpusError) as info:
        load_corpus(folder)
    msg = str(info.value)
    assert "more than once" in msg and "'a.txt'" in msg
    assert "without a file" in msg and "c.txt" in msg
    assert "without a metadata row" in msg and "b.txt" in msg


def test_missing_metadata_columns_are_named(make_folder) -> None:
    folder = make_folder({"a.txt": "x."}, [{"file": "a.txt", "kind": "news"}])
    with pytest.raises(CorpusError, match=r"missing required column\(s\) \['genre'\]"):
        load_corpus(folder)


@pytest.mark.parametrize("bad_id", ["../etc", "a/b", "..", ".hidden"])
def test_unsafe_ids_are_refused(tmp_path: Path, bad_id: str) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"doc_id": [bad_id], "text": ["x."], "genre": ["news"]}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match="unsafe doc_id"):
        load_corpus(path)


def test_table_formats_and_custom_columns(tmp_path: Path) -> None:
    df = pd.DataFrame({"id": ["d1", "d2"], "body": ["One text.", "Two text."], "kind": ["blog", "news"],
                       "outlet": ["x", "y"]})
    paths = {
        "csv": tmp_path / "c.csv", "tsv": tmp_path / "c.tsv.gz", "jsonl": tmp_path / "c.jsonl.gz",
        "parquet": tmp_path / "c.parquet",
    }
    df.to_csv(paths["csv"], index=False)
    with gzip.open(paths["tsv"], "wt", encoding="utf-8") as fh:
        df.to_csv(fh, index=False, sep="\t")
    with gzip.open(paths["jsonl"], "wt", encoding="utf-8") as fh:
        for rec in df.to_dict("records"):
            fh.write(json.dumps(rec) + "\n")
    df.to_parquet(paths["parquet"])
    for path in paths.values():
        corpus = load_corpus(path, id_col="id", text_col="body", genre_col="kind")
        assert corpus.documents["doc_id"].tolist() == ["d1", "d2"]
        assert corpus.documents["genre"].tolist() == ["blog", "news"]
        assert corpus.documents["outlet"].tolist() == ["x", "y"]
        assert corpus.documents["text"].tolist() == ["One text.", "Two text."]


def test_missing_table_columns_suggest_the_flags(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"id": ["a"], "text": ["x."]}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match=r"'doc_id' \(--id-col\).*'genre' \(--genre-col\)"):
        load_corpus(path)


def test_duplicate_table_ids_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"doc_id": ["a", "b", "a"], "text": ["x.", "y.", "z."], "genre": ["n"] * 3}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match=r"duplicate doc_id.*\['a'\]"):
        load_corpus(path)


def test_malformed_rows_are_reported_with_line_numbers_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "c.tsv"
    path.write_text("doc_id\ttext\tgenre\n1\tgood text.\tnews\n2\tbroken row\n3\tmore text.\tblog\n", encoding="utf-8")
    with pytest.warns(CorpusWarning, match=r"line 3: 2 fields, expected 3"):
        corpus = load_corpus(path)
    assert corpus.documents["doc_id"].tolist() == ["1", "3"]


def test_unsupported_extension_is_named(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    path.write_bytes(b"")
    with pytest.raises(CorpusError, match=r"'\.xlsx'"):
        load_corpus(path)


def test_changed_raw_data_is_refused_naming_the_file(tmp_path: Path, raw_dir: Path) -> None:
    copy = tmp_path / "raw"
    shutil.copytree(raw_dir, copy)
    assert len(verify_manifest(copy)) == 6
    victim = copy / "001_e8e8082881e30bfc.txt"
    victim.chmod(0o644)
    victim.write_text(victim.read_text(encoding="utf-8") + " edited", encoding="utf-8")
    with pytest.raises(RawDataChangedError, match=r"001_e8e8082881e30bfc\.txt"):
        load_corpus(copy)


def test_prepare_caches_and_rebuilds_when_stale(tmp_path: Path, make_folder) -> None:
    folder = make_folder({"a.txt": "First sentence. Second one.\nNo comments:\n"})
    out = tmp_path / "processed"
    first = prepare_corpus(folder, name="t", processed_dir=out)
    assert first.directory == out / "t"
    files = {p.name: p.stat().st_mtime_ns for p in (out / "t").iterdir()}
    assert {"documents.parquet", "sentences.parquet", "paragraphs.parquet", "removed_spans.parquet",
            "manifest.json"} <= set(files)
    again = prepare_corpus(folder, name="t", processed_dir=out)
    assert {p.name: p.stat().st_mtime_ns for p in (out / "t").iterdir()} == files
    pd.testing.assert_frame_equal(again.sentences, first.sentences)
    (folder / "a.txt").write_text("Changed text here.", encoding="utf-8")
    changed = prepare_corpus(folder, name="t", processed_dir=out)
    assert changed.sentences["text"].tolist() == ["Changed text here."]
    assert not list((out / "t").glob(".*tmp*"))


def test_processing_is_deterministic(make_folder, tmp_path: Path) -> None:
    folder = make_folder({"a.txt": "One. Two.", "b.txt": "Three."})
    a = prepare_corpus(folder, name="x", processed_dir=tmp_path / "p1")
    b = prepare_corpus(folder, name="x", processed_dir=tmp_path / "p2")
    for table in ("documents", "sentences", "paragraphs", "removed_spans"):
        assert (a.directory / f"{table}.parquet").read_bytes() == (b.directory / f"{table}.parquet").read_bytes()


def test_summaries(seeds) -> None:
    by_genre = summarize_by_genre(seeds)
    total = by_genre.set_index("genre").loc["total"]
    assert total["documents"] == 5
    assert total["sentences"] == len(seeds.sentences)
    assert total["tokens"] == seeds.sentences["n_tokens"].sum()
    assert by_genre.set_index("genre").loc["news", "documents"] == 2
    removals = summarize_removals(seeds)
    assert removals["spans"].sum() == len(seeds.removed_spans)
    assert (removals["share_of_text"] > 0).all() and (removals["share_of_text"] < 1).all()


def test_subset_by_genre(seeds) -> None:
    blogs = seeds.subset(genres=["blog"])
    assert set(blogs.documents["genre"]) == {"blog"}
    assert set(blogs.sentences["doc_id"]) == set(blogs.documents["doc_id"])
    with pytest.raises(CorpusError, match="unknown genre"):
        seeds.subset(genres=["tweets"])
    assert set(seeds.subset(genres="blog, news").documents["genre"]) == {"blog", "news"}
    with pytest.raises(CorpusError, match=r"unknown genre\(s\) \['\[blog\]'\]"):
        seeds.subset(genres="[blog]")


def test_process_without_boilerplate_keeps_everything(make_folder) -> None:
    corpus = load_corpus(make_folder({"a.txt": "Plain text. Nothing to remove."}))
    processed = process_corpus(corpus)
    assert processed.removed_spans.empty
    assert processed.sentences["text"].tolist() == ["Plain text.", "Nothing to remove."]


def test_a_metadata_column_named_source_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"doc_id": ["a"], "text": ["x."], "genre": ["n"], "source": ["Reuters"]}).to_csv(path, index=False)
    docs = load_corpus(path).documents
    assert docs["source"].tolist() == ["Reuters"]
    assert docs["source_path"].tolist() == [str(path)]


def test_many_unsafe_ids_are_counted_and_truncated(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    ids = [f"business/{i:03d}" for i in range(50)]
    pd.DataFrame({"doc_id": ids, "text": ["x."] * 50, "genre": ["n"] * 50}).to_csv(path, index=False)
    with pytest.raises(CorpusError) as info:
        load_corpus(path)
    msg = str(info.value)
    assert "50 unsafe doc_id(s)" in msg and "'business/000'" in msg and "and 30 more" in msg
    assert "business/049" not in msg
