"""framing.nbtools.setup, the sentences computed from results, and thin notebooks (issue 11)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from framing import nbtools
from framing.errors import ParameterError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MAX_CELL_LINES = 25


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "study.yaml").write_text("notebooks: []\n", encoding="utf-8")
    pd.DataFrame({
        "doc_id": ["b1", "b2", "n1"],
        "genre": ["blog", "blog", "news"],
        "text": ["The council failed. Nobody listened.", "A second post. It blames the minister.",
                 "Ofsted found failures. The report was damning. Managers resigned."],
    }).to_csv(tmp_path / "docs.csv", index=False)
    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))
    return tmp_path


def _params(**extra: object) -> dict[str, object]:
    base: dict[str, object] = {"corpus": "docs.csv", "corpus_name": "tiny", "reports_dir": "reports",
                               "id_col": "doc_id", "text_col": "text", "genre_col": "genre"}
    return {**base, **extra}


def test_setup_resolves_paths_prepares_the_corpus_and_carries_the_output_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path, monkeypatch)
    ctx = nbtools.setup(_params(frames_lexicon="blame_frames", case="", cues_lexicon="mine.yaml",
                                coded=["a.csv"], rule="any", window=3, pd=pd), style=False)
    assert ctx.params["corpus"] == str(root / "docs.csv")
    assert ctx.params["coded"] == [str(root / "a.csv")]
    assert "pd" not in ctx.params  # modules of the namespace are not parameters
    assert ctx.resolved("frames_lexicon", "cues_lexicon") == ("blame_frames", str(root / "mine.yaml"))
    assert ctx.instrument == {"lexicon": "blame_frames", "cues": str(root / "mine.yaml"), "case": None,
                              "rule": "any", "window": 3}
    assert ctx.figures == root / "reports" / "figures" and ctx.tables == root / "reports" / "tables"
    assert (ctx.n_documents, ctx.genre_order, ctx.n_docs.tolist()) == (3, ["blog", "news"], [2, 1])
    assert ctx.documents_by_genre() == "blog (2), news (1)"
    assert capsys.readouterr().out.strip().endswith(f"tiny: 3 documents, {ctx.n_sentences} content sentences")
    assert (root / "data" / "processed" / "tiny").is_dir()  # cached in the project, not in the checkout


def test_setup_keeps_the_genres_asked_for_and_another_reports_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path, monkeypatch)
    ctx = nbtools.setup(_params(genres=["news"], reports_dir="out/run1"), style=False, quiet=True)
    assert ctx.processed.documents["doc_id"].tolist() == ["n1"]
    assert ctx.figures == root / "out" / "run1" / "figures"
    assert nbtools.setup(_params(genres=[]), style=False, quiet=True).n_documents == 3  # empty list: all


def test_setup_names_a_missing_parameter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, monkeypatch)
    params = _params()
    del params["genre_col"]
    with pytest.raises(ParameterError, match="genre_col"):
        nbtools.setup(params, style=False)
    ctx = nbtools.setup(_params(), style=False, quiet=True)
    with pytest.raises(ParameterError, match="nfc_path"):
        ctx.resolved("nfc_path")


@pytest.mark.parametrize(("bad", "message"), [
    ({"rule": "coders"}, "rule must be one of"),
    ({"rule": "cue_window", "window": -1}, "window must be a non-negative integer, got -1"),
    ({"strong_weight": 0, "rule": "coder"}, "strong_weight must be a positive number"),
    ({"include_negated": "no"}, "include_negated must be True or False, got 'no'"),
    ({"case": "nope"}, "no case 'nope'"),
    ({"n_boot": -1}, "n_boot"),
    ({"level": 95}, "level"),
    ({"seed": "x"}, "seed must be an integer, got 'x'"),
    ({"k_min": 1, "k_max": 8}, r"k_min must be an integer >= 2, got 1"),  # notebook 03's names, not k_values
    ({"k_min": 5, "k_max": 3}, r"k_max must be >= k_min \(5\), got k_max=3"),
])
def test_setup_refuses_a_bad_shared_parameter_before_preparing_the_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: dict[str, object], message: str
) -> None:
    from framing.errors import FramingError

    root = _project(tmp_path, monkeypatch)
    with pytest.raises(FramingError, match=message):
        nbtools.setup(_params(cues_lexicon="blame_cues", **bad), style=False, quiet=True)
    assert not (root / "data" / "processed" / "tiny").exists()  # refused before the corpus was prepared


def test_setup_reads_the_corpus_with_on_bad_record_and_safe_ids_and_checks_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from framing.errors import CorpusError

    root = _project(tmp_path, monkeypatch)
    lines = ['{"doc_id": "a/1", "genre": "news", "text": "The council failed."}', "{broken",
             '{"doc_id": "a/2", "genre": "blog", "text": "Ministers erred."}']
    (root / "bad.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad\.jsonl: 1 bad record\(s\): line 2"):  # the default: fail
        nbtools.setup(_params(corpus="bad.jsonl"), style=False, quiet=True)
    with pytest.raises(CorpusError, match="load with safe_ids=True"):
        nbtools.setup(_params(corpus="bad.jsonl", on_bad_record="skip"), style=False, quiet=True)
    ctx = nbtools.setup(_params(corpus="bad.jsonl", on_bad_record="skip", safe_ids=True), style=False, quiet=True)
    docs = ctx.processed.documents
    assert docs["doc_id"].tolist() == ["a_1", "a_2"] and docs["original_id"].tolist() == ["a/1", "a/2"]
    manifest = json.loads((root / "data" / "processed" / "tiny" / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["on_bad_record"], manifest["safe_ids"], manifest["skipped_records"]) == ("skip", True, 1)
    with pytest.raises(CorpusError, match=r"line 2"):  # what skip prepared is not taken for a fail reading
        nbtools.setup(_params(corpus="bad.jsonl", safe_ids=True), style=False, quiet=True)
    with pytest.raises(ParameterError, match=r"on_bad_record must be one of \['fail', 'skip'\], got 'ignore'"):
        nbtools.setup(_params(on_bad_record="ignore"), style=False, quiet=True)
    with pytest.raises(ParameterError, match=r"safe_ids must be True or False, got 'yes'"):
        nbtools.setup(_params(safe_ids="yes"), style=False, quiet=True)


def test_printed_warnings_prints_after_the_block(capsys: pytest.CaptureFixture[str]) -> None:
    import warnings

    with nbtools.printed_warnings() as caught:
        warnings.warn("document d1.txt: unclosed quotation", UserWarning, stacklevel=1)
        print("inside")
    assert len(caught) == 1
    assert capsys.readouterr().out == "inside\nwarning (UserWarning): document d1.txt: unclosed quotation\n"


def test_printed_warnings_shows_paths_as_outputs_show_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import warnings

    from framing.paths import find_root

    corpus = find_root() / ".." / "shared" / "nfc.tsv.gz"
    with nbtools.printed_warnings(shown=[corpus]):
        warnings.warn(f"{corpus}: skipped 1 malformed row(s): line 213", UserWarning, stacklevel=1)
    said = capsys.readouterr().out
    assert said == "warning (UserWarning): ../shared/nfc.tsv.gz: skipped 1 malformed row(s): line 213\n"
    # a framing warning's message shows the path normalised (ROOT's parent/shared/...): still shown from the root
    from framing.rawio import CorpusWarning

    with nbtools.printed_warnings(shown=[corpus]):
        warnings.warn(f"{corpus}: skipped 1 malformed row(s): line 213", CorpusWarning, stacklevel=1)
    said = capsys.readouterr().out
    assert said == "warning (CorpusWarning): ../shared/nfc.tsv.gz: skipped 1 malformed row(s): line 213\n"


def test_no_notebook_silences_warnings() -> None:
    """A silenced warning reaches neither provenance.json nor the index: cells print them (printed_warnings)."""
    import json
    import re

    silencing = re.compile(r"(simplefilter|filterwarnings)\(\s*[\"']ignore")
    for path in sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            assert not silencing.search("".join(cell["source"])), f"{path.name}, cell {i} silences warnings"


def test_describe_frame_shares_reads_the_table() -> None:
    shares = pd.DataFrame({"genre": ["a", "a", "b", "b"], "frame": ["x", "y"] * 2, "share": [0.5, 0.25, 0.1, 0.6]})
    text = nbtools.describe_frame_shares(shares, ["x", "y"], {"a": 1, "b": 5}, min_docs=3)
    assert text.splitlines() == [
        "a (1 document): most often x (50% of its sentences); y 25%.",
        "b (5 documents): most often y (60% of its sentences); x 10%.",
        "The x frame's share is highest in a (50%) and lowest in b (10%).",
        "The y frame's share is highest in b (60%) and lowest in a (25%).",
        "a: fewer than 3 documents each, so these shares describe those documents, not their genres.",
    ]


def test_describe_frame_shares_says_ties_and_no_lead_on_very_few_sentences() -> None:
    shares = pd.DataFrame({"genre": ["a"] * 3 + ["b"] * 3, "frame": ["x", "y", "z"] * 2,
                           "share": [8 / 30, 8 / 30, 0.0, 2 / 28, 1 / 28, 0.0], "n_frame": [8, 8, 0, 2, 1, 0]})
    text = nbtools.describe_frame_shares(shares, ["x", "y", "z"], {"a": 4, "b": 4}, min_docs=3)
    assert text.splitlines() == [
        "a (4 documents): x and y equally often (27% of its sentences each); z 0%.",
        "b (4 documents): too few frame sentences to name a most frequent frame (x 2, y 1, z 0 sentences; "
        "x 7%, y 4%, z 0%).",
        "The x frame's share is highest in a (27%) and lowest in b (7%).",
        "The y frame's share is highest in a (27%) and lowest in b (4%).",
        "The z frame's share is the same in every genre (0%).",
    ]


def test_describe_blame_and_avoidance_count_from_the_tables() -> None:
    by_voice = pd.DataFrame({"author": [3, 0], "quoted": [1, 2]}, index=pd.Index(["a", "b"], name="genre"))
    edges = pd.DataFrame({"genre": ["a", "a", "a", "b"], "blamer": ["author", "X", "author", "X"],
                          "target": ["council", "council", "police", "police"], "sentences": [2, 1, 1, 2]})
    assert nbtools.describe_blame(by_voice, edges, {"a": 2, "b": 1}, top=1).splitlines() == [
        "a (2 documents): 3 blame sentence(s) in the author's own voice, 1 with a quoted blamer; "
        "most frequent targets: council (3).",
        "b (1 document): 0 blame sentence(s) in the author's own voice, 2 with a quoted blamer; "
        "most frequent targets: police (2).",
    ]
    with_reported = by_voice.assign(reported=[4, 0])
    assert nbtools.describe_blame(with_reported, edges, {"a": 2, "b": 1}, top=1).splitlines()[0] == (
        "a (2 documents): 3 blame sentence(s) in the author's own voice, 1 with a quoted blamer, 4 reporting a "
        "speaker's blame; most frequent targets: council (3).")
    avoid = pd.DataFrame({"type": ["denial", "denial"], "genre": ["a", "a"], "doc_id": ["d1", "d1"]})
    assert nbtools.describe_avoidance(avoid, ["agentless_passive", "denial"], ["a", "b"]).splitlines() == [
        "agentless passive: no match.",
        "denial: 2 match(es) in 1 document (a 2, b 0).",
    ]


# ------------------------------------------------------------------------------------ thin notebooks
def _code_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_thin(path: Path) -> None:
    """One setup call after the parameters; short cells; no figure drawn by hand; no repeated path set-up."""
    cells = _code_cells(path)
    setup, body = cells[1], cells[2:]
    assert "nbtools.setup(" in setup, f"{path.name}: the cell after the parameters must call nbtools.setup"
    source = "\n".join(cells[1:])
    assert source.count("nbtools.setup(") == 1
    for banned in ("plt.subplots", "import matplotlib", "prepare_corpus(", "project_path(", "def "):
        assert banned not in source, f"{path.name}: {banned!r} belongs in the package"
    long = [c.splitlines()[0] for c in body if len(c.splitlines()) > MAX_CELL_LINES]
    assert not long, f"{path.name}: code cells over {MAX_CELL_LINES} lines start with {long}"


SEED_FACTS = re.compile(r"\b(five|5) (seed )?(documents|texts)\b|\b123 sentences\b|children's secretary's statement")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_seed_corpus_finding_is_stated_as_the_users(path: Path) -> None:
    """Counts of the seed corpus appear only in sentences that say they describe the shipped corpus."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        for paragraph in re.split(r"\n\s*\n|\n[*-] ", text):
            if SEED_FACTS.search(paragraph):
                assert re.search(r"shipped|seed validation set", paragraph), (path.name, paragraph[:120])


def test_setup_does_not_file_another_corpus_under_the_studys_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """corpus overridden, corpus_name left at the study's "seeds": the corpus is named after its file (defect 3)."""
    root = _project(tmp_path, monkeypatch)
    ctx = nbtools.setup(_params(corpus_name="seeds"), style=False)
    assert ctx.processed.name == "docs" and ctx.params["corpus_name"] == "docs"
    out = capsys.readouterr().out
    assert "corpus_name 'seeds'" in out and out.strip().endswith(f"docs: 3 documents, {ctx.n_sentences} content "
                                                                 "sentences")
    assert (root / "data" / "processed" / "docs").is_dir() and not (root / "data" / "processed" / "seeds").exists()
    # a name given by the user is kept
    assert nbtools.setup(_params(corpus_name="mine"), style=False, quiet=True).processed.name == "mine"


HEADING_SEED_WORDS = re.compile(r"seed (validation|corpus|sentences)|beyond the seeds|baby p", re.IGNORECASE)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_headings_are_neutral_and_titled_alike(path: Path) -> None:
    """Headings hold for any corpus (no seed or Baby P wording); every title reads "# NN · Title"."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    headings = [line for c in nb["cells"] if c["cell_type"] == "markdown"
                for line in "".join(c["source"]).splitlines() if line.startswith("#")]
    assert re.fullmatch(rf"# {path.name[:2]} · \S.*", headings[0]), headings[0]
    assert not [h for h in headings if HEADING_SEED_WORDS.search(h)]


def test_no_interval_labels_name_the_genres_without_interval() -> None:
    table = pd.DataFrame({"genre": ["news", "news", "feature", "feature", "minister", "minister"],
                          "n_docs": [12, 12, 3, 3, 1, 1], "lo": [0.1, 0.2, None, None, None, None]})
    assert nbtools.no_interval_labels(table) == {"news": "news", "feature": "feature (3 doc., no interval)",
                                                 "minister": "minister (1 doc., no interval)"}
    prev = table.rename(columns={"n_docs": "n_resampled", "lo": "ci_low"})
    assert nbtools.no_interval_labels(prev, n_col="n_resampled", lo="ci_low", sep="\n")["feature"] == (
        "feature\n(3 doc.,\nno interval)")


def test_min_docs_is_one_parameter_of_the_notebooks_that_draw_genre_intervals() -> None:
    from framing.runner import notebook_parameters

    specs = {name: notebook_parameters(ROOT / "notebooks" / name).get("min_docs") for name in (
        "02_lexicon_framing.ipynb", "03_topic_models.ipynb", "05_genre_comparison.ipynb")}
    assert None not in specs.values(), specs
    assert len({(s.type_name, s.default, s.help) for s in specs.values() if s is not None}) == 1


def test_instrument_note_names_the_rule_case_and_every_parameter_off_the_default(tmp_path) -> None:
    import pandas as pd

    from framing.nbtools import NotebookContext

    def note(**params: object) -> str:
        ctx = NotebookContext(processed=None, params=params, figures=tmp_path, tables=tmp_path,  # type: ignore[arg-type]
                              genre_order=[], n_docs=pd.Series(dtype=int))
        return ctx.instrument_note

    study = {"frames_lexicon": "/x/lexicons/blame_frames.yaml", "cues_lexicon": "blame_cues", "case": "baby_p",
             "rule": "coder", "window": 10, "strong_weight": 2.0, "include_negated": True}
    assert note(**study) == " Instrument: rule coder, case baby_p."
    assert note(**{**study, "rule": "cue_window", "window": 8, "case": "", "include_negated": False}) == (
        " Instrument: rule cue_window, case none, window 8, include_negated false.")
    assert note(corpus="data/raw") == ""  # a notebook without instrument parameters


@pytest.mark.parametrize(("reports_dir", "why"), [("data", "it is or holds the data folder"),
                                                  ("notebooks", "it is or holds the source notebooks"),
                                                  (".", "it is or holds the project root")])
def test_setup_refuses_a_reports_dir_over_the_project_s_folders_before_preparing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reports_dir: str, why: str) -> None:
    from framing.errors import OutputError

    root = _project(tmp_path, monkeypatch)
    monkeypatch.setattr("framing.nbtools._prepared", lambda *a, **k: pytest.fail("the corpus was prepared"))
    with pytest.raises(OutputError, match=rf"^reports_dir {root / reports_dir}: refused, {why}"):
        nbtools.setup(_params(reports_dir=reports_dir), style=False, quiet=True)
    assert not (root / "data" / "processed").exists()


def test_describe_frame_shares_names_the_grouping() -> None:
    shares = pd.DataFrame({"genre": ["a", "a", "b", "b"], "frame": ["x", "y"] * 2, "share": [0.5, 0.5, 0.5, 0.5]})
    text = nbtools.describe_frame_shares(shares, ["x"], {"a": 1, "b": 1}, min_docs=3, group_label="outlet")
    assert text.splitlines()[-2:] == [
        "The x frame's share is the same in every outlet (50%).",
        "a, b: fewer than 3 documents each, so these shares describe those documents, not their outlets.",
    ]


def test_frame_model_labels_with_the_general_model_and_refuses_rule_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`frame_model="general"` makes every notebook's frames the model's (reading `case`); a rule option is refused."""
    from framing.classifier import label_frames, load_model
    from framing.errors import ParameterError

    _project(tmp_path, monkeypatch)
    base = _params(frames_lexicon="blame_frames", cues_lexicon="blame_cues", case="baby_p", rule="coder",
                   window=10, strong_weight=2.0, include_negated=True)
    ctx = nbtools.setup({**base, "frame_model": "general"}, style=False, quiet=True)
    frames = ["individual", "systemic", "political"]
    expected = load_model("general")[0].with_case("baby_p").label_table(ctx.processed)
    got = ctx.frames()
    assert got[frames].equals(expected[frames]) and "p_individual" in got
    assert "Instrument: model general, case baby_p." in ctx.instrument_note
    rule = nbtools.setup({**base, "frame_model": ""}, style=False, quiet=True).frames()
    assert rule.equals(label_frames(ctx.processed, case="baby_p")) and "p_individual" not in rule
    with pytest.raises(ParameterError, match=r"model general labels with the lexicons and rule it was trained with: "
                                             r"rule='any' would be ignored"):
        nbtools.setup({**base, "frame_model": "general", "rule": "any"}, style=False, quiet=True)


def test_model_in_sample_is_computed_once_per_model_file_and_says_it_in_the_one_wording(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the review: notebook 06 computed the overlap three times (coded sheets, caption, key results), each
    loading the model's five training sets; and its message was a fourth wording of the CLI's warning."""
    import shutil
    import types

    import framing.agreement._instrument
    from framing.agreement import held_articles_note, model_source
    from framing.model_files import MODEL_DIR
    from framing.nbtools import NotebookContext

    calls: list[tuple[str, ...]] = []

    def overlap(header: object, sheets: list[str], documents: object) -> tuple[list[str], dict[str, str]]:
        calls.append(tuple(sheets))
        return [], {"business_2": "training-bbc-8/coded.jsonl", "business_1": "training-bbc-8/coded.jsonl"}

    monkeypatch.setattr(framing.agreement._instrument, "model_training_overlap", overlap)
    processed = types.SimpleNamespace(documents=pd.DataFrame({"doc_id": ["business_1", "business_2"]}))

    def context(model: str) -> NotebookContext:
        return NotebookContext(processed=processed, params={"frame_model": model},  # type: ignore[arg-type]
                               figures=tmp_path, tables=tmp_path, genre_order=[], n_docs=pd.Series(dtype=int))

    ctx = context("general")
    said = [ctx.model_in_sample(["sheet.csv"]) for _ in range(3)]
    want = (held_articles_note({"business_1": "training-bbc-8/coded.jsonl", "business_2": "training-bbc-8/coded.jsonl"},
                               model_source("general"))
            + ": where they are coded, its agreement with the coders is in-sample")
    assert said == [want] * 3 and calls == [("sheet.csv",)]
    ctx.model_in_sample(["other.csv"])  # other sheets: computed for them
    assert calls == [("sheet.csv",), ("other.csv",)]
    mine = tmp_path / "general.pkl"  # the same name, another file (another digest): computed again
    shutil.copyfile(MODEL_DIR / "general.pkl", mine)
    ctx2 = context(str(mine))
    ctx2.model_in_sample(["sheet.csv"])
    with mine.open("ab") as f:
        f.write(b"\0")
    ctx2.model_in_sample(["sheet.csv"])
    assert len(calls) == 4


def test_hits_beside_a_models_labels_are_counted_with_the_models_own_lexicons(tmp_path: Path) -> None:
    """From the review: with frame_model set, notebook 02 counted hits with the study's lexicon (blame_frames)
    while a model trained on another lexicon labelled the frames, so its counts, drivers and KWIC were not the
    hits behind the labels. ctx.counted_lexicons gives the model's own; the rule's without a model."""
    import json

    import numpy as np

    from framing.classifier import FrameClassifier, save_model
    from framing.corpus import load_corpus, process_corpus
    from framing.lexicon import Entry, Lexicon, entry_kind
    from framing.nbtools import NotebookContext
    from framing.scoring import lexicon_hits

    texts = ["The director failed the boy.", "The agency failed him.", "Rain fell on the town.",
             "The director and the agency were blamed.", "The minister should resign."]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"doc_id": f"d{d}", "genre": "news", "text": " ".join(texts)}) + "\n"
                              for d in range(4)), encoding="utf-8")
    processed = process_corpus(load_corpus(corpus))
    words = {"individual": "director", "systemic": "agency", "political": "minister"}
    mine = Lexicon("mine", "1", tuple(words), tuple(Entry(w, f, entry_kind(w)) for f, w in words.items()))
    cues = Lexicon("my_cues", "1", ("blame",), tuple(Entry(w, "blame", entry_kind(w)) for w in ("failed", "blamed")))
    sents = processed.sentences
    codes = pd.DataFrame({f: sents["text"].str.contains(w).astype(int) for f, w in words.items()})
    path = save_model(FrameClassifier(mine, cues, C=1.0).fit(sents, codes), tmp_path / "mine.pkl")
    params = {"frames_lexicon": "blame_frames", "cues_lexicon": "blame_cues", "case": "", "rule": "coder",
              "frame_model": str(path)}

    def context(**changed: object) -> NotebookContext:
        return NotebookContext(processed=processed, params={**params, **changed}, figures=tmp_path, tables=tmp_path,
                               genre_order=["news"], n_docs=pd.Series({"news": 4}))

    ctx = context()
    frame_lex, cues_lex, case = ctx.counted_lexicons()
    assert (frame_lex.name, cues_lex.name if cues_lex else None, case) == ("mine", "my_cues", None)
    table = ctx.frames()
    hits = lexicon_hits(processed, frame_lex, case=case)
    for f, w in words.items():  # one hit per sentence naming the frame's word: the model's n_<frame>, by hand
        want = sents["text"].str.count(w).to_numpy()
        counted = hits[hits["category"] == f].groupby(["doc_id", "sent_id"]).size()
        got = counted.reindex(pd.MultiIndex.from_frame(sents[["doc_id", "sent_id"]]), fill_value=0).to_numpy()
        assert np.array_equal(got, want) and np.array_equal(table[f"n_{f}"].to_numpy(), want)
    study = lexicon_hits(processed, "blame_frames")  # what the notebook counted before: not the model's hits
    assert set(study["category"]) - set(words) or len(study) != len(hits)
    rule = context(frame_model="", case="baby_p")
    frame_lex, cues_lex, case = rule.counted_lexicons()
    assert (frame_lex.name, cues_lex.name if cues_lex else None, case.name if case else None) == (
        "blame_frames", "blame_cues", "baby_p")


def test_the_grouping_takes_its_display_label_from_genre_label(tmp_path) -> None:
    """Usability trial 13: "Comparing mbfcs", "Blame frames by mbfc"; genre_label names the grouping for readers."""
    import pandas as pd

    from framing.nbtools import NotebookContext
    from framing.runner import notebook_parameters

    def ctx(**params: object) -> NotebookContext:
        return NotebookContext(processed=None, params=params, figures=tmp_path, tables=tmp_path,  # type: ignore[arg-type]
                               genre_order=[], n_docs=pd.Series(dtype=int))

    labelled = ctx(genre_col="mbfc", genre_label="outlet bias rating")
    assert (labelled.group_label, labelled.group_plural) == ("outlet bias rating", "outlet bias ratings")
    assert ctx(genre_col="mbfc", genre_label="").group_label == "mbfc"  # the default: the column's name, as before
    # one vocabulary: every notebook that takes genre_col takes genre_label, with the same default and help
    specs = [notebook_parameters(p).get("genre_label") for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]
    assert len(specs) == 6 and None not in specs
    assert len({(s.type_name, s.default, s.help) for s in specs if s is not None}) == 1
