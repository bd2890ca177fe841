from __future__ import annotations

import gzip
import json
import shutil
import warnings
from pathlib import Path

import numpy as np
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
from framing.errors import CorpusError, ParameterError, RawDataChangedError


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


def test_a_metadata_column_the_loader_sets_is_kept_under_original(make_folder) -> None:
    folder = make_folder({"a.txt": "x."}, [{"file": "a.txt", "genre": "news", "doc_id": "A1"}])
    docs = load_corpus(folder).documents
    assert docs["doc_id"].tolist() == ["a"] and docs["original_doc_id"].tolist() == ["A1"]


@pytest.mark.parametrize("bad_id", ["../etc", "a/b", "..", ".hidden"])
def test_unsafe_ids_are_refused(tmp_path: Path, bad_id: str) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"doc_id": [bad_id], "text": ["x."], "genre": ["news"]}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match="unsafe doc_id"):
        load_corpus(path)


def test_unsafe_id_error_names_the_safe_ids_option(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"id": ["business/001"], "text": ["x."], "genre": ["news"]}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match=r"load with safe_ids=True to rewrite them \('business/001' -> "):
        load_corpus(path, id_col="id")
    with pytest.raises(CorpusError, match="load with --safe-ids"):
        load_corpus(path, id_col="id", option_style="flag")


def test_safe_ids_rewrite_unsafe_ids_and_keep_the_originals(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    ids = ["business/001", "ok-2", ".hidden", "a..b", "x\\y"]
    pd.DataFrame({"id": ids, "text": [f"Text {i}." for i in range(5)], "category": ["n"] * 5}).to_json(
        path, orient="records", lines=True)
    docs = load_corpus(path, id_col="id", genre_col="category", safe_ids=True).documents
    # by hand: separators -> '_', a leading '.' -> '_', '..' -> '__'; safe ids unchanged
    assert docs["doc_id"].tolist() == ["business_001", "ok-2", "_hidden", "a__b", "x_y"]
    assert docs["original_id"].tolist() == ids
    processed = process_corpus(load_corpus(path, id_col="id", genre_col="category", safe_ids=True))
    assert set(processed.sentences["doc_id"]) == set(docs["doc_id"])
    with pytest.raises(ParameterError, match="safe_ids must be True or False"):
        load_corpus(path, id_col="id", genre_col="category", safe_ids="yes")  # type: ignore[arg-type]


def test_safe_ids_refuse_ids_that_would_collide(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"doc_id": ["a/1", "a_1", "b"], "text": ["x.", "y.", "z."], "genre": ["n"] * 3}).to_csv(
        path, index=False)
    with pytest.raises(CorpusError, match=r"1 group\(s\) of documents share an id: 'a/1' and 'a_1' -> 'a_1'"):
        load_corpus(path, safe_ids=True)
    taken = tmp_path / "d.csv"
    pd.DataFrame({"doc_id": ["a/1"], "original_id": ["?"], "text": ["x."], "genre": ["n"]}).to_csv(taken, index=False)
    with pytest.raises(CorpusError, match="already has a column 'original_id'"):
        load_corpus(taken, safe_ids=True)


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
        load_corpus(path, option_style="flag")


def test_column_errors_name_the_parameter_by_default_as_notebooks_and_framing_run_call_it(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"id": ["a"], "text": ["x."]}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match=r"'doc_id' \(id_col\), 'genre' \(genre_col\)") as info:
        prepare_corpus(path, processed_dir=tmp_path / "processed")
    assert "--" not in str(info.value)


def test_duplicate_table_ids_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    pd.DataFrame({"doc_id": ["a", "b", "a"], "text": ["x.", "y.", "z."], "genre": ["n"] * 3}).to_csv(path, index=False)
    with pytest.raises(CorpusError, match=r"duplicate doc_id\(s\) in column 'doc_id': 'a' \(line 2, line 4\)"):
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


def test_select_documents_is_the_plain_selection_and_subset_the_users(seeds) -> None:
    from framing.corpus import select_documents

    ids = seeds.documents["doc_id"].tolist()
    part = select_documents(seeds, [ids[3], ids[1], "not-a-document"])
    assert part.documents["doc_id"].tolist() == [ids[1], ids[3]]  # the corpus's order; the unknown id selects nothing
    for name in ("paragraphs", "sentences", "removed_spans"):
        table = getattr(seeds, name)
        want = table[table["doc_id"].isin([ids[1], ids[3]])]
        assert len(getattr(part, name)) == len(want)
        assert getattr(part, name).index.tolist() == list(range(len(want)))
    assert select_documents(seeds, []).sentences.empty  # no ids: no document
    assert len(seeds.subset(doc_ids=[]).documents) == len(ids)  # the user's empty selection: all documents
    with pytest.raises(CorpusError, match="unknown doc_id"):
        seeds.subset(doc_ids=["not-a-document"])


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


# --- bad input: the catalogue of issue 13 ---------------------------------------------------------------

def csv_refused(tmp_path: Path, text: str, pattern: str) -> None:
    """Write ``text`` as c.csv and check that loading it is refused with a message matching ``pattern``."""
    path = tmp_path / "c.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=pattern):
        load_corpus(path)


CSV_HEADER = "doc_id,text,genre,t\nx1,\"A first text, with a comma.\",news,t\nx2,Second text.,blog,t\n"


@pytest.mark.parametrize(("tail", "expected"), [
    # the quote runs to the end of the file: one record over lines 4-6 with two fields
    ("x3,\"The council failed the child,blog,t\nx4,Fourth text.,news,t\nx5,Fifth text.,news,t\n",
     r"c\.csv: unterminated quote\? line 4: a quoted field opens here and is never closed \(the file ends inside "
     r"it, at line 6\)"),
    # a later quote closes it: x3 has four fields, but x4's row sits inside its text
    ("x3,\"The council failed the child,blog,t\nx4,\"Fourth \"\"quoted\"\" text.\",news,t\nx5,Fifth.,news,t\n",
     r"c\.csv: unterminated quote\? line 5 is a complete row \(genre 'news'\) but sits inside a quoted field "
     r"that opens on line 4"),
    # a later stray quote closes it: the genre holds the stray quote
    ("x3,\"Third text,blog\nx4,Fourth text\",news\",t\n",
     r"line 4: column\(s\) \['genre'\] of a record over lines 4-5 hold a stray quote"),
    # a record with too few fields over two lines
    ("x3,\"Third text\nstill third\",blog\n", r"line 4: a record runs over lines 4-5 and has 3 field\(s\), expected 4"),
])
def test_unterminated_quote_stops_naming_file_and_line(tmp_path: Path, tail: str, expected: str) -> None:
    csv_refused(tmp_path, CSV_HEADER + tail, expected)


def test_a_key_column_running_over_lines_is_a_quoting_fault(tmp_path: Path) -> None:
    csv_refused(tmp_path, "doc_id,genre,text\nx1,news,One.\nx2,\"blog,Two.\nx3,news\",Three.\n",
                r"c\.csv: unterminated quote\? line 3: column\(s\) \['genre'\] run over lines 3-4")


def test_a_metadata_csv_with_an_unterminated_quote_is_refused(make_folder) -> None:
    folder = make_folder({"a.txt": "One.", "b.txt": "Two."}, [])
    (folder / "metadata.csv").write_text("file,genre,title\na.txt,news,\"Unclosed title\nb.txt,news,Two\n",
                                         encoding="utf-8")
    with pytest.raises(CorpusError, match=r"metadata\.csv: unterminated quote\? line 2: a quoted field opens here "
                                          r"and is never closed"):
        load_corpus(folder)


def test_legitimate_multi_line_quoted_texts_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    text = "First line, with a comma.\nSecond line, blog, news, and more."
    pd.DataFrame({"doc_id": ["a", "b"], "text": [text, "Other."], "genre": ["news", "blog"]}).to_csv(path, index=False)
    corpus = load_corpus(path)
    assert corpus.documents["text"].tolist() == [text, "Other."]


PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.mark.parametrize(("payload", "expected"), [
    (PNG_HEADER + bytes(range(256)), r"b\.txt: binary content, not text \(a PNG image\)"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", r"b\.txt: binary content, not text \(a PDF document\)"),
    (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", r"b\.txt: binary content, not text \(a ZIP archive"),
    (gzip.compress(b"A text.", mtime=0), r"b\.txt: binary content, not text \(gzip-compressed data"),
    (b"A text\x00 with a NUL.", r"b\.txt: binary content, not text: 1 NUL character\(s\) in 19"),
    ("Mostly text.".encode("utf-16-le"), r"b\.txt: binary content.*UTF-16 or UTF-32 without a byte-order mark"),
    # 10 control characters in 60: 16.7%
    (b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" + b"x" * 50, r"b\.txt: binary content, not text: 10 of 60 "
                                                              r"characters \(16\.7%\) are control characters"),
])
def test_binary_content_is_refused_naming_the_file(make_folder, payload: bytes, expected: str) -> None:
    folder = make_folder({"a.txt": "A real text.", "b.txt": payload})
    with pytest.raises(CorpusError, match=expected):
        load_corpus(folder)


def test_random_bytes_are_refused(make_folder) -> None:
    payload = np.random.default_rng(13).integers(0, 256, size=4096, dtype=np.uint8).tobytes()
    folder = make_folder({"a.txt": "A real text.", "b.txt": payload})
    with pytest.raises(CorpusError, match=r"b\.txt: binary content, not text"):
        load_corpus(folder)


def test_form_feeds_and_a_stray_control_character_are_text(make_folder) -> None:
    text = "Page one.\fPage two.\x1a"
    corpus = load_corpus(make_folder({"a.txt": text}))
    assert corpus.documents["text"].tolist() == [text]


TEXT = "Café “quoted” blame."


@pytest.mark.parametrize(("bom", "codec"), [
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
])
def test_byte_order_marks_are_honoured(make_folder, bom: bytes, codec: str) -> None:
    folder = make_folder({"a.txt": bom + TEXT.encode(codec)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no cp1252 fallback
        corpus = load_corpus(folder)
    assert corpus.documents["text"].tolist() == [TEXT]


def test_a_utf16_table_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"\xff\xfe" + f"doc_id,text,genre\nd1,{TEXT},news\n".encode("utf-16-le"))
    assert load_corpus(path).documents["text"].tolist() == [TEXT]


def test_a_bom_that_does_not_fit_the_bytes_is_an_error(make_folder) -> None:
    folder = make_folder({"a.txt": b"\xff\xfe" + "Text.".encode("utf-16-le") + b"\x00\xd8"})  # lone surrogate
    with pytest.raises(CorpusError, match=r"a\.txt: starts with a UTF-16 LE byte-order mark but byte 12 is not "
                                          r"valid UTF-16 LE"):
        load_corpus(folder)


def test_cp1252_fallback_says_what_share_was_affected(make_folder) -> None:
    # "Café “quoted”." in cp1252 is 14 bytes; é (0xE9, followed by a space), “ (0x93) and ” (0x94) are not UTF-8
    folder = make_folder({"a.txt": "Café “quoted”.".encode("cp1252")})
    with pytest.warns(CorpusWarning, match=r"a\.txt: not valid UTF-8 .* read as cp1252 instead: 3 of 14 bytes "
                                           r"\(21\.4%\) are not valid UTF-8"):
        load_corpus(folder)


def test_null_and_empty_ids_are_located(tmp_path: Path) -> None:
    csv_refused(tmp_path, "doc_id,text,genre\na,One.,news\n,Two.,news\nc,Three.,blog\n ,Four.,blog\n",
                r"c\.csv: column 'doc_id' \(id_col\) is empty \(every document needs an id\) at line 3, line 5")
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text('{"doc_id": "a", "text": "One.", "genre": "news"}\n'
                     '{"doc_id": null, "text": "Two.", "genre": "news"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.jsonl: column 'doc_id' \(--id-col\) is null .* at line 2"):
        load_corpus(jsonl, option_style="flag")
    parquet = tmp_path / "c.parquet"
    pd.DataFrame({"doc_id": ["a", None, "c"], "text": ["x.", "y.", "z."], "genre": ["n"] * 3}).to_parquet(parquet)
    with pytest.raises(CorpusError, match=r"c\.parquet: column 'doc_id' \(id_col\) is null .* at row 2"):
        load_corpus(parquet)


def test_a_json_list_or_object_as_text_is_located(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"doc_id": "a", "text": "One.", "genre": "news"}\n\n'
                    '{"doc_id": "b", "text": ["Two.", "Three."], "genre": "news"}\n'
                    '{"doc_id": "c", "text": {"body": "Four."}, "genre": "news"}\n', encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_corpus(path)
    msg = str(info.value)
    assert "column 'text' (text_col) is a JSON list (the text must be a string) at line 3" in msg
    assert "column 'text' (text_col) is a JSON object (the text must be a string) at line 4" in msg


def test_a_null_genre_is_an_error_not_a_silent_drop(tmp_path: Path, make_folder) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('{"doc_id": "a", "text": "One.", "genre": "news"}\n'
                    '{"doc_id": "b", "text": "Two.", "genre": null}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"c\.jsonl: column 'genre' \(genre_col\) is null .* at line 2"):
        load_corpus(path)
    folder = make_folder({"a.txt": "One.", "b.txt": "Two."}, [{"file": "a.txt", "genre": "news"},
                                                              {"file": "b.txt", "genre": ""}])
    with pytest.raises(CorpusError, match=r"metadata\.csv: column 'genre' is empty .* at line 3"):
        load_corpus(folder)


def test_integer_ids_with_a_float_column_stay_integers(tmp_path: Path) -> None:
    path = tmp_path / "c.parquet"
    pd.DataFrame({"doc_id": [7.0, 12.0], "text": ["x.", "y."], "genre": ["n", "n"]}).to_parquet(path)
    assert load_corpus(path).documents["doc_id"].tolist() == ["7", "12"]


def test_an_id_with_a_path_separator_whose_file_exists_is_called_unsafe(make_folder) -> None:
    folder = make_folder({"c.txt": "One."}, [{"file": "c.txt", "genre": "news"}, {"file": "a/b.txt", "genre": "news"}])
    (folder / "a").mkdir()
    (folder / "a" / "b.txt").write_text("Two.", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"line 3: unsafe file name 'a/b\.txt' \(contains a path separator.*"
                                          r"a/b\.txt exists: move it into") as info:
        load_corpus(folder)
    assert "without a file" not in str(info.value)


# --- bad records: the same policy as the partitioned backends --------------------------------------------------


def _jsonl_with_two_bad_lines(tmp_path: Path) -> Path:
    path = tmp_path / "bad.jsonl"
    good = [json.dumps({"doc_id": f"d{i}", "genre": "news", "text": "The council failed. It said so."})
            for i in range(3)]
    path.write_text("\n".join([good[0], "{not json", good[1], "[1, 2]", good[2]]) + "\n", encoding="utf-8")
    return path


def test_a_bad_jsonl_line_fails_by_default_naming_file_and_line(tmp_path: Path) -> None:
    path = _jsonl_with_two_bad_lines(tmp_path)  # lines 2 and 4 are bad
    with pytest.raises(CorpusError, match=r"bad\.jsonl: 2 bad record\(s\): line 2: .*; line 4: not a JSON object"):
        load_corpus(path)
    with pytest.raises(CorpusError, match=r"bad\.jsonl: 2 bad record\(s\)"):
        prepare_corpus(path, processed_dir=tmp_path / "p")
    assert not (tmp_path / "p" / "bad").exists()


def test_skipped_bad_records_are_counted(tmp_path: Path) -> None:
    path = _jsonl_with_two_bad_lines(tmp_path)
    with pytest.warns(CorpusWarning, match=r"skipped 2 malformed line\(s\): line 2: .*line 4"):
        corpus = load_corpus(path, on_bad_record="skip")
    assert corpus.documents["doc_id"].tolist() == ["d0", "d1", "d2"]
    assert len(corpus.skipped) == 2 and corpus.skipped[0].startswith(f"{path}: line 2: ")
    with pytest.warns(CorpusWarning):
        processed = prepare_corpus(path, processed_dir=tmp_path / "p", on_bad_record="skip")
    manifest = json.loads((processed.directory / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["skipped_records"] == 2 and manifest["on_bad_record"] == "skip"
    with pytest.raises(ParameterError, match="on_bad_record"):
        load_corpus(path, on_bad_record="ignore")


def test_an_unreadable_file_in_a_folder_is_a_bad_record_in_memory_too(make_folder) -> None:
    folder = make_folder({"a.txt": "The council failed.", "b.txt": b"%PDF-1.4 binary", "c.txt": "Ministers erred."})
    with pytest.raises(CorpusError, match=r"b\.txt.*binary content"):
        load_corpus(folder)
    with pytest.warns(CorpusWarning, match=r"skipped 1 malformed file\(s\): .*b\.txt"):
        corpus = load_corpus(folder, on_bad_record="skip")
    assert corpus.documents["doc_id"].tolist() == ["a", "c"] and len(corpus.skipped) == 1


# --- corpora without documents; what prepare leaves and refuses ---------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "tsv", "parquet", "folder"])
def test_a_corpus_with_a_header_and_no_documents_is_a_corpus_error_naming_it(tmp_path: Path, kind: str) -> None:
    if kind == "folder":
        path = tmp_path / "none"
        path.mkdir()
        (path / "metadata.csv").write_text("file,genre\n", encoding="utf-8")
    elif kind == "parquet":
        path = tmp_path / "none.parquet"
        pd.DataFrame({c: pd.Series([], dtype=object) for c in ("doc_id", "text", "genre")}).to_parquet(path)
    else:
        path = tmp_path / f"none.{kind}"
        path.write_text("doc_id,text,genre\n".replace(",", "\t" if kind == "tsv" else ","), encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"^{path}: no documents"):
        load_corpus(path)


def test_prepare_removes_a_killed_preparation_s_temporary_tables_and_nothing_else(make_folder, tmp_path: Path) -> None:
    import os
    import time

    folder = make_folder({"a.txt": "One sentence. Another."})
    out = tmp_path / "processed"
    prepare_corpus(folder, name="t", processed_dir=out)
    half = out / "t" / ".documents.abcdefgh.tmp.parquet"  # what kill -9 during the write of documents leaves
    notes = out / "t" / ".my_notes.tmp.txt"
    for path in (half, notes):
        path.write_bytes(b"PAR1 half")
        os.utime(path, (time.time() - 600, time.time() - 600))
    prepare_corpus(folder, name="t", processed_dir=out, force=True)
    assert not half.exists() and notes.exists()
    assert sorted(p.name for p in (out / "t").iterdir() if p.name.startswith(".")) == [".my_notes.tmp.txt"]


def test_prepare_refuses_an_output_folder_inside_the_corpus_before_reading_it(make_folder, tmp_path: Path,
                                                                             monkeypatch) -> None:
    from framing.errors import OutputError

    folder = make_folder({"a.txt": "One sentence."})
    monkeypatch.setattr("framing.corpus.load_corpus", lambda *a, **k: pytest.fail("the corpus was read"))
    with pytest.raises(OutputError, match=r"^processed_dir .*corpus/corpus: refused, it is inside the input folder"):
        prepare_corpus(folder, processed_dir=folder)
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt", "metadata.csv"]


def test_read_folder_texts_reads_the_rows_files_and_lists_the_unreadable(tmp_path: Path) -> None:
    from framing._corpus_read import read_folder_texts
    from framing.rawio import BadRecordError

    (tmp_path / "a.txt").write_text("Alpha text.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x00binary")
    rows = pd.DataFrame({"doc_id": ["a", "b", "c"], "genre": ["news"] * 3,
                         "source_path": [str(tmp_path / f"{d}.txt") for d in "abc"]}, index=[5, 6, 7])
    skipped: list[str] = []
    out, unreadable = read_folder_texts(rows, "FOLDER", [], "skip", skipped)
    assert out["doc_id"].tolist() == ["a"] and out["text"].tolist() == ["Alpha text."]
    assert out.index.tolist() == [0]
    assert len(unreadable) == 2 and "b.txt: binary content" in unreadable[0] and "c.txt" in unreadable[1]
    assert skipped == [f"FOLDER: {m}" for m in unreadable]
    with pytest.raises(BadRecordError, match=r"FOLDER: 2 bad record\(s\)"):
        read_folder_texts(rows, "FOLDER", [], "fail", [])
