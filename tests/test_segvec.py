"""The vectorised segmentation gives exactly the paragraphs, sentences, offsets and token counts of the
per-paragraph NLTK Punkt implementation (frozen in ``tests/frozen_segment.py``), on the seeds, on BBC News
(when ``../shared/corpora`` is present) and on generated texts full of the characters Punkt treats specially.
"""

from __future__ import annotations

import gzip
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import CORPORA, RAW
from frozen_segment import count_tokens, is_heading, iter_sentence_spans

from framing.clean import find_boilerplate, find_boilerplate_many, load_rules, mask_spans
from framing.corpus import Corpus, CorpusWarning, load_corpus, process_corpus
from framing.errors import ParameterError
from framing.segvec import segment_texts

BBC = CORPORA / "bbc-news-2004-2005.jsonl.gz"

Rows = tuple[list[tuple[object, ...]], list[tuple[object, ...]]]


def reference(texts: list[str], mode: str = "auto") -> Rows:
    """Paragraph and sentence rows from the frozen per-paragraph implementation."""
    paras: list[tuple[object, ...]] = []
    sents: list[tuple[object, ...]] = []
    for d, text in enumerate(texts):
        sent_id = 0
        for para_id, (ps, pe), spans in iter_sentence_spans(text, mode):
            paras.append((d, para_id, ps, pe, is_heading(text[ps:pe], len(spans))))
            for s, e in spans:
                sents.append((d, sent_id, para_id, s, e, count_tokens(text[s:e])))
                sent_id += 1
    return paras, sents


def vectorised(texts: list[str], mode: str = "auto") -> Rows:
    b = segment_texts(texts, mode)  # type: ignore[arg-type]
    paras = list(zip(b.para_doc.tolist(), b.para_id.tolist(), b.para_start.tolist(), b.para_end.tolist(),
                     b.para_heading.tolist(), strict=True))
    sents = list(zip(b.sent_doc.tolist(), b.sent_id.tolist(), b.sent_para.tolist(), b.sent_start.tolist(),
                     b.sent_end.tolist(), b.sent_tokens.tolist(), strict=True))
    return paras, sents


def assert_same(texts: list[str], mode: str = "auto") -> None:
    want_p, want_s = reference(texts, mode)
    got_p, got_s = vectorised(texts, mode)
    for want, got, what in ((want_p, got_p, "paragraph"), (want_s, got_s, "sentence")):
        for i, (w, g) in enumerate(zip(want, got, strict=False)):
            assert w == g, f"{what} {i} differs (mode {mode}): want {w}, got {g}; text {texts[int(w[0])]!r}"  # type: ignore[call-overload]
        assert len(want) == len(got), f"{len(want)} {what}s expected, got {len(got)}"


def masked(texts: list[str]) -> list[str]:
    rules = load_rules()
    return [mask_spans(t, find_boilerplate(t, rules)) for t in texts]


def bbc_texts(n: int | None = None) -> list[str]:
    if not BBC.is_file():
        pytest.skip(f"{BBC} not present")
    with gzip.open(BBC, "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()]
    return texts if n is None else texts[::max(1, len(texts) // n)]


def test_seeds_segment_exactly_as_before() -> None:
    texts = masked(load_corpus(RAW).documents["text"].tolist())
    _, want_s = reference(texts)
    assert len(want_s) > 100  # the comparison is not vacuous
    assert_same(texts)


def test_bbc_sample_segments_exactly_as_before() -> None:
    texts = masked(bbc_texts(300))
    assert_same(texts)


@pytest.mark.parametrize("mode", ["line", "blank"])
def test_bbc_sample_in_both_paragraph_modes(mode: str) -> None:
    assert_same(bbc_texts(60), mode)


# characters and words Punkt treats specially: abbreviations, initials, numbers, ellipses, every kind of
# quotation mark and bracket, several kinds of white space and line break, list bullets
PIECES = ["word", "Word", "the", "The", "Mr.", "mr.", "Dr", "U.S.", "e.g.", "J.", "j.", "2008.", "5.5", "No.",
          "etc.", ".", "..", "...", "?", "!", "?!", ",", ";", ":", "--", "-", '"', "'", "\u201c", "\u201d", "\u2018",
          "\u2019", "(", ")", "[", "]", "{", "}", "\xab", "\xbb", "*", "@", "&", "#", "children\u2019s", "co-op",
          "x_y", "\u00e9t\u00e9", "\u0130stanbul", "\u00b2", "\u0661\u0662", " ", " ", " ", "  ", "\n", "\n\n", "\t",
          "\xa0", "\r\n", "\r", "\u2028", "\x85", "\x0c", "\u2022 ", "- ", "1. ", "12) ", "\u2013 "]


def generated(seed: int, n: int) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    batches = []
    for _ in range(n):
        texts = []
        for _ in range(int(rng.integers(1, 6))):
            k = int(rng.integers(0, 60))
            idx = rng.integers(0, len(PIECES), k)
            glue = rng.random(k) < 0.5
            texts.append("".join(PIECES[i] + (" " if g else "") for i, g in zip(idx, glue, strict=True)))
        batches.append(texts)
    return batches


@pytest.mark.parametrize("seed", [0, 1])
def test_generated_texts_segment_exactly_as_before(seed: int) -> None:
    for texts in generated(seed, 120):
        for mode in ("auto", "line", "blank"):
            assert_same(texts, mode)


@pytest.mark.parametrize("text", [
    'He said "it is over." Then he left. She said \u201cit is devastating.\u201d He told Dr. Who.',
    "Mr. Smith.\u201d He left. J. K. Rowling wrote. In 2008. The end... And then? Yes! (Really.) Done.",
    "Very bad acting!!! I promise. Is it?! Yes. U.S. officials met. The U.S. Army left.",
    "Ends with a closer.' \" Next one. x. .y and . . . dots",
    "x. " + "\u201d" * 3000 + " Y. z",  # runs longer than the few steps taken one at a time
    "a\n" + " " * 500 + "\u2022 b\n" + "\n" * 40 + "c.      " + " " * 100 + "D",
    # long words after a candidate and long white-space runs before a sentence end (sorted run ends and starts)
    "Counterrevolutionaries. Incomprehensibilities gathered.\t\t\t\t\t\t\t\t\t\t\n" + " " * 20 + "Extraordinarily. "
    "Dr. Internationalisation. e.g. responsibilities!!!" + "\u201d" * 9 + " Next" + " " * 30,
    "",
    "   \n\n  ",
])
def test_hand_picked_punkt_cases(text: str) -> None:
    assert_same([text, text + " Tail sentence."])


def test_sentences_keep_the_known_decisions() -> None:
    # hand-worked: titles and initials before a capital do not end sentences, a number before a capital does
    b = segment_texts(["Mr. Brown met J. Smith. It was 2008. Then Mrs. Jones left."])
    text = "Mr. Brown met J. Smith. It was 2008. Then Mrs. Jones left."
    got = [text[s:e] for s, e in zip(b.sent_start.tolist(), b.sent_end.tolist(), strict=True)]
    assert got == ["Mr. Brown met J. Smith.", "It was 2008.", "Then Mrs. Jones left."]
    assert b.sent_tokens.tolist() == [5, 3, 4]


def test_unknown_paragraph_mode_names_the_value() -> None:
    with pytest.raises(ParameterError, match="'pages'"):
        segment_texts(["x"], "pages")  # type: ignore[arg-type]


def frozen_tables(texts: list[str], ids: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The paragraphs and sentences tables as the per-document loop built them before."""
    rules = load_rules()
    paras, sents = [], []
    for doc_id, text in zip(ids, texts, strict=True):
        m = mask_spans(text, find_boilerplate(text, rules))
        sent_id = 0
        for para_id, (ps, pe), spans in iter_sentence_spans(m):
            paras.append((doc_id, para_id, ps, pe, text[ps:pe], is_heading(text[ps:pe], len(spans))))
            for s, e in spans:
                sents.append((doc_id, sent_id, para_id, s, e, text[s:e], count_tokens(text[s:e])))
                sent_id += 1
    p = pd.DataFrame(paras, columns=["doc_id", "para_id", "start", "end", "text", "is_heading"])
    s = pd.DataFrame(sents, columns=["doc_id", "sent_id", "para_id", "start", "end", "text", "n_tokens"])
    return p, s


def test_process_corpus_tables_equal_the_frozen_per_document_build(seeds) -> None:
    docs = seeds.documents
    want_p, want_s = frozen_tables(docs["text"].tolist(), docs["doc_id"].tolist())
    pd.testing.assert_frame_equal(seeds.paragraphs, want_p)
    pd.testing.assert_frame_equal(seeds.sentences, want_s)
    assert (docs["n_sentences"].tolist()
            == want_s.groupby("doc_id", sort=False).size().reindex(docs["doc_id"]).fillna(0).astype(int).tolist())


def test_process_corpus_in_several_batches_equals_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import framing.preparation as prep

    corpus = load_corpus(RAW)
    whole = process_corpus(corpus)
    monkeypatch.setattr(prep, "BATCH_CHARS", 1)  # one document a batch
    parts = process_corpus(corpus)
    for table in ("documents", "paragraphs", "sentences", "removed_spans"):
        pd.testing.assert_frame_equal(getattr(whole, table), getattr(parts, table))


# --- issue 13: a document without sentence punctuation -------------------------------------------------


def corpus_of(texts: dict[str, str]) -> Corpus:
    docs = pd.DataFrame({"doc_id": list(texts), "genre": "blog", "text": list(texts.values())})
    return Corpus(docs, "t", RAW)


def test_text_without_punctuation_is_split_at_lines_then_by_length_with_a_warning() -> None:
    lines = ["word " * 150, "other " * 120, "third " * 450]
    text = "\n".join(line.strip() for line in lines)  # in blank mode: one paragraph, one Punkt "sentence"
    ok = "A normal sentence. Another one."
    with pytest.warns(CorpusWarning, match=r"1 document\(s\).*more than 200 tokens.*: runon"):
        pc = process_corpus(corpus_of({"fine": ok, "runon": text}), paragraph_mode="blank")
    sents = pc.sentences[pc.sentences["doc_id"] == "runon"]
    # 150 and 120 tokens stay whole (their own lines); 450 tokens -> 200 + 200 + 50
    assert sents["n_tokens"].tolist() == [150, 120, 200, 200, 50]
    assert sents["sent_id"].tolist() == [0, 1, 2, 3, 4]
    for row in sents.itertuples():
        assert row.text == text[row.start:row.end] and row.text == row.text.strip()
    assert pc.sentences.loc[pc.sentences["doc_id"] == "fine", "n_tokens"].tolist() == [3, 2]
    assert any("runon" in issue for issue in pc.issues)


def test_the_limit_is_a_parameter_and_none_turns_it_off() -> None:
    text = " ".join(["w"] * 30)
    with pytest.warns(CorpusWarning, match="more than 10 tokens"):
        pc = process_corpus(corpus_of({"d": text}), max_sentence_tokens=10)
    assert pc.sentences["n_tokens"].tolist() == [10, 10, 10]
    assert pc.sentences["start"].tolist() == [0, 20, 40]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pc = process_corpus(corpus_of({"d": text}), max_sentence_tokens=None)
    assert pc.sentences["n_tokens"].tolist() == [30]
    with pytest.raises(ParameterError, match="max_sentence_tokens"):
        segment_texts([text], max_sentence_tokens=0)


# --- boilerplate over many texts at once ---------------------------------------------------------------


def test_boilerplate_over_joined_texts_equals_text_by_text() -> None:
    rules = load_rules()
    texts = ["Your support helps us to tell the story of x", "more\nYour support makes all the difference. ok",
             "Comments\n", "Posted by Ann at 5pm", "12 March 2009", "Share this\n\n", "Comments (3):", "\nComments",
             "x\nYour support helps us to tell the story\nand Your donation makes all the difference.\nComments",
             *load_corpus(RAW).documents["text"].tolist()]
    want = [find_boilerplate(t, rules) for t in texts]
    assert sum(map(len, want)) >= 10
    assert find_boilerplate_many(texts, rules) == want


def test_boilerplate_rules_without_a_leading_caret_fall_back_to_text_by_text(tmp_path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - name: tail\n    pattern: 'Comments\\Z'\n  - name: word\n    pattern: 'xyz'\n",
                    encoding="utf-8")
    rules = load_rules(path)
    texts = ["a xyz Comments", "Comments\nb", "xy", "zxyz"]
    got = find_boilerplate_many(texts, rules)
    assert [[(s.start, s.end, s.rule) for s in spans] for spans in got] == [
        [(2, 5, "word"), (6, 14, "tail")], [], [], [(1, 4, "word")]]


def test_character_classes_equal_a_per_character_restatement(monkeypatch: pytest.MonkeyPatch) -> None:
    import framing.segvec as sv

    def expected(ch: str) -> int:
        bits = 0
        for bit, test in ((sv.SPACE, ch.isspace()), (sv.ALNUM, ch.isalnum()), (sv.BULLET, ch.isdecimal())):
            bits |= bit if test else 0
        for bit, chars in sv._CLASS_CHARS.items():
            bits |= bit if ch in chars else 0
        return bits

    # fresh tables: the first call fills them (unseen code points), the second only looks up
    monkeypatch.setattr(sv, "_TABLE", np.zeros(0x110000, dtype=np.uint16))
    monkeypatch.setattr(sv, "_KNOWN", np.zeros(0x110000, dtype=bool))
    first = "Ab 9.\n\r\t\xa0\u2028\u2019\u201d\u2022\u0661\u00b2-*\U0001f600\U0010ffff\x00"
    second = first[::-1] + "zZ?!\u00e9\u0130\x85"
    for text in (first, second, first + second):
        got = sv._classes(sv.code_points(text)).tolist()
        assert got == [expected(ch) for ch in text], text
    assert sv._classes(sv.code_points("")).tolist() == []
    assert expected(" ") == sv.SPACE | sv.ASCII_WS | sv.BLANK  # the restatement itself, worked by hand
    assert expected("-") == sv.BULLET | sv.JOINER | sv.HYPHEN
