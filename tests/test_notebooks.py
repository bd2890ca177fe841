"""Notebooks are stored without outputs, carry a kernelspec and a documented parameters cell."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from framing.runner import notebook_parameters

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
COMMON = {"corpus", "corpus_name", "reports_dir"}


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS


def test_strip_outputs_and_write_notebook(tmp_path: Path) -> None:
    from framing.nbtools import has_outputs, strip_outputs, write_notebook

    path = tmp_path / "n.ipynb"
    write_notebook(path, [("parameters", "a: int = 1  # a"), ("code", "a")])
    assert not has_outputs(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "1"}]
    nb["cells"][1]["execution_count"] = 1
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert has_outputs(path)
    assert strip_outputs(path) is True
    assert not has_outputs(path) and strip_outputs(path) is False


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs", []) == [], f"{path.name}: a code cell has outputs"
            assert cell.get("execution_count") is None, f"{path.name}: a code cell has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernelspec_and_documented_parameters(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert "parameters" in code[0].get("metadata", {}).get("tags", []), f"{path.name}: first code cell not tagged"
    specs = notebook_parameters(path)
    assert set(specs) >= COMMON, f"{path.name}: missing common parameters {COMMON - set(specs)}"
    undocumented = [n for n, s in specs.items() if not s.help.strip()]
    assert not undocumented, f"{path.name}: parameters without a help comment: {undocumented}"


def test_study_config_lists_notebooks_in_order() -> None:
    cfg = yaml.safe_load((ROOT / "config" / "study.yaml").read_text(encoding="utf-8"))
    listed = [Path(e["path"] if isinstance(e, dict) else e).name for e in cfg["notebooks"]]
    assert listed == sorted(listed)
    assert set(listed) <= {p.name for p in NOTEBOOKS}


def test_figure_and_table_names_are_unique_across_notebooks() -> None:
    """Two notebooks saving the same figure or table name would overwrite each other's output."""
    import re

    pattern = re.compile(r"""save_(figure|table)\(\s*\w+\s*,\s*f?["']([^"'{]+)["']""")
    seen: dict[tuple[str, str], str] = {}
    clashes = []
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        source = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        for kind, name in set(pattern.findall(source)):
            if (kind, name) in seen and seen[(kind, name)] != path.name:
                clashes.append(f"{kind} {name!r} in {seen[(kind, name)]} and {path.name}")
            seen[(kind, name)] = path.name
    assert seen, "no save_figure/save_table calls found: the pattern is out of date"
    assert not clashes, clashes


def test_parameters_doc_is_current_and_the_vocabulary_is_shared() -> None:
    """docs/parameters.md is generated from the notebooks; a shared name has one type, default and meaning."""
    import yaml

    from framing.nbtools import parameters_markdown
    from framing.runner import notebook_parameters

    cfg = yaml.safe_load((ROOT / "config" / "study.yaml").read_text(encoding="utf-8"))
    notebooks = [ROOT / (e["path"] if isinstance(e, dict) else e) for e in cfg["notebooks"]]
    assert (ROOT / "docs" / "parameters.md").read_text(encoding="utf-8") == parameters_markdown(notebooks)
    specs = {nb.stem: notebook_parameters(nb) for nb in notebooks}
    instrument = ["frames_lexicon", "cues_lexicon", "case", "rule", "window", "strong_weight", "include_negated",
                  "frame_model"]
    for stem in ("02_lexicon_framing", "03_topic_models", "04_blame_attribution", "05_genre_comparison",
                 "06_validation"):  # every notebook that scores frames declares the whole instrument
        assert all(name in specs[stem] for name in instrument), stem
    for stem in ("01_corpus", "02_lexicon_framing", "03_topic_models", "04_blame_attribution",
                 "05_genre_comparison"):  # every notebook over the corpus can work on a genre subset
        assert "genres" in specs[stem], stem
    for name in [*instrument, "seed", "level", "coded", "corpus", "corpus_name", "genres"]:
        variants = {(s[name].type_name, s[name].default) for s in specs.values() if name in s}
        assert len(variants) == 1, (name, variants)


def test_a_run_grouped_by_outlet_titles_its_figures_with_outlet(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """genre_col="outlet" on a tiny table corpus: the figures' titles and legends say outlet, never genre."""
    import re

    import pandas as pd
    import papermill

    texts = ["The council failed the child. Managers were sacked after the inquiry.",
             "Ministers blamed the system. The review found failures in every agency.",
             "The social worker was blamed. Procedures and checklists failed the family.",
             "The government must answer for it. The minister resigned over the failure."]
    corpus = tmp_path / "tiny.csv"
    pd.DataFrame({"doc_id": ["a1", "a2", "b1", "b2"], "text": texts,
                  "outlet": ["Daily A", "Daily A", "Weekly B", "Weekly B"]}).to_csv(corpus, index=False)
    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))  # data/processed/tiny under tmp_path, not the checkout
    monkeypatch.setenv("MPLBACKEND", "Agg")
    reports = tmp_path / "reports"
    params = {"corpus": str(corpus), "corpus_name": "tiny", "genre_col": "outlet", "case": "",
              "reports_dir": str(reports)}
    for name, extra in (("01_corpus", {}), ("02_lexicon_framing", {"coded": [], "n_boot": 20})):
        papermill.execute_notebook(str(ROOT / "notebooks" / f"{name}.ipynb"), str(tmp_path / f"{name}.ipynb"),
                                   parameters={**params, **extra}, kernel_name="python3", progress_bar=False,
                                   cwd=str(tmp_path))
    said = {}  # matplotlib writes each text of an SVG as a comment before its glyphs
    for svg in sorted((reports / "figures").glob("*.svg")):
        said[svg.stem] = re.findall(r"<!-- (.*?) -->", svg.read_text(encoding="utf-8"))
    assert "Blame frames by outlet" in said["frame_shares_by_genre"]
    assert {"Document length by outlet", "outlet"} <= set(said["corpus_document_lengths"])
    assert not {name: [t for t in texts if "genre" in t.lower()] for name, texts in said.items()
                if any("genre" in t.lower() for t in texts)}
    caption = (reports / "tables" / "frames_by_genre.tex").read_text(encoding="utf-8")
    assert "Blame frames by outlet" in caption and "only for outlets with at least 10" in caption
    assert pd.read_csv(reports / "tables" / "frames_by_genre.csv").columns[0] == "genre"  # the column keeps its name


def test_notebook_02_counts_a_models_hits_with_the_lexicons_it_was_trained_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the review: with frame_model set, notebook 02's hit counts, driving terms and KWIC came from the study's
    lexicon (blame_frames) while a model trained on a custom lexicon labelled the frames."""
    import pandas as pd
    import papermill

    from framing.classifier import FrameClassifier, save_model
    from framing.corpus import load_corpus, process_corpus
    from framing.lexicon import Entry, Lexicon, entry_kind

    texts = ["The council failed the child. The worker was blamed after the inquiry.",
             "Ministers blamed the system. The review found failures in every agency.",
             "The social worker was blamed. Procedures and checklists failed the family.",
             "The government must answer for it. The minister resigned over the failure."]
    corpus = tmp_path / "tiny.csv"
    pd.DataFrame({"doc_id": ["a1", "a2", "b1", "b2"], "text": texts, "genre": ["news", "news", "blog", "blog"]}
                 ).to_csv(corpus, index=False)
    # the model's own lexicon, with categories of its own (the review: the model-vs-rule cell scored the rule with
    # the study's blame_frames and stopped on the missing columns)
    words = {"person": "worker", "organisation": "agency", "politics": "minister"}
    mine = Lexicon("mine", "1", tuple(words), tuple(Entry(w, f, entry_kind(w)) for f, w in words.items()))
    cues = Lexicon("my_cues", "1", ("blame",), tuple(Entry(w, "blame", entry_kind(w)) for w in ("failed", "blamed")))
    sents = process_corpus(load_corpus(corpus)).sentences
    codes = pd.DataFrame({f: sents["text"].str.lower().str.contains(w).astype(int) for f, w in words.items()})
    model = save_model(FrameClassifier(mine, cues, C=1.0).fit(sents, codes), tmp_path / "mine.pkl")
    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))  # data/processed/tiny under tmp_path, not the checkout
    monkeypatch.setenv("MPLBACKEND", "Agg")
    reports = tmp_path / "reports"
    papermill.execute_notebook(str(ROOT / "notebooks" / "02_lexicon_framing.ipynb"), str(tmp_path / "02.ipynb"),
                               parameters={"corpus": str(corpus), "corpus_name": "tiny", "case": "", "coded": [],
                                           "n_boot": 20, "reports_dir": str(reports), "frame_model": str(model)},
                               kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    drivers = pd.read_csv(reports / "tables" / "frame_driving_terms.csv")
    # by hand: 'worker' twice (a1, b1), 'agency' once (a2), 'minister' once (b2, not 'Ministers'); blame_frames'
    # council, government ... are not the model's entries
    counted = {(r.category, r.entry): r.n_hits for r in drivers.itertuples()}
    assert counted == {("person", "worker"): 2, ("organisation", "agency"): 1, ("politics", "minister"): 1}
    # the rule beside the model counts with the same lexicon: by hand, its 'organisation' sentences are those
    # naming 'agency' (a2's second sentence), one of the eight; the model's table has the same frames
    versus = pd.read_csv(reports / "tables" / "frames_model_vs_rule.csv")
    assert set(versus["frame"]) == set(words)
    overall = versus[versus["genre"] == "all"].set_index("frame")
    assert overall.loc["organisation", "n_sentences"] == 8 and overall.loc["organisation", "n_rule"] == 1
    printed = "".join("".join(o.get("text", "")) for c in json.loads((tmp_path / "02.ipynb").read_text())["cells"]
                      for o in c.get("outputs", []))  # a stream's text is a list of lines
    assert "lexicon mine 1 (3 entries); cues my_cues; case none; model " in printed
    assert "counted with the lexicons it was trained with (mine, my_cues)" in printed


def test_every_figure_of_the_notebooks_has_a_caption() -> None:
    """A figure lifted into a paper says what it shows (the reviewer: only the .tex tables had captions)."""
    calls = []
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        source = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        for m in re.finditer(r"save_figure\(", source):
            depth, i = 1, m.end()
            while depth and i < len(source):
                depth += {"(": 1, ")": -1}.get(source[i], 0)
                i += 1
            calls.append((path.name, source[m.start():i]))
    assert len(calls) >= 18
    assert [name for name, call in calls if "caption=" not in call] == []


def test_outputs_doc_is_current_and_names_every_file_the_study_writes() -> None:
    """docs/outputs.md (which notebook writes which figure and table) is generated from the notebooks and lists
    every figure and table file name a notebook writes, whether by save_figure/save_table or by path."""
    import yaml

    from framing.nbtools import outputs_markdown

    cfg = yaml.safe_load((ROOT / "config" / "study.yaml").read_text(encoding="utf-8"))
    notebooks = [ROOT / (e["path"] if isinstance(e, dict) else e) for e in cfg["notebooks"]]
    doc = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    assert doc == outputs_markdown(notebooks)
    rows = {line.split(" | ")[0].strip("| "): line for line in doc.splitlines() if line.startswith("| 0")}
    # by hand, from the notebooks: one written by save_figure, one by save_table, one by path
    assert "`frame_shares_by_genre`" in rows["02_lexicon_framing"]
    assert "`validation_general_model_seeds`" in rows["06_validation"]
    assert "`keyness_full`" in rows["05_genre_comparison"] and "`sent_id`" not in doc
