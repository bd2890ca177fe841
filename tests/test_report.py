"""Tests for framing.report: the HTML index, notebook rendering, key results, screenshots."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from framing import plots, report
from framing.report import ReportError

EVIL = "<script>alert('corpus')</script>"
ESCAPED = "&lt;script&gt;alert(&#39;corpus&#39;)&lt;/script&gt;"  # as Jinja2's autoescape writes it
CHROMIUM = Path("/usr/bin/chromium")


def _executed_notebook(path: Path) -> Path:
    """A notebook as papermill leaves it: outputs, including corpus text with markup in it."""
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.metadata["papermill"] = {"duration": 1.25, "exception": None}
    nb.cells = [
        new_markdown_cell("# Lexicon framing\n\n| frame | share |\n|---|---|\n| individual | 0.5 |"),
        new_code_cell(
            "print(doc)",
            outputs=[new_output("stream", name="stdout", text=f"{EVIL}\n")],
            execution_count=1,
        ),
        new_code_cell(
            "display(HTML(doc))",
            outputs=[
                new_output(
                    "display_data",
                    data={"text/html": f"<table><tr><td>{EVIL}</td></tr></table>", "text/plain": "x"},
                )
            ],
            execution_count=2,
        ),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    root = tmp_path / "reports"
    _executed_notebook(root / "notebooks" / "02_lexicon_framing.ipynb")
    fig, ax = plt.subplots(figsize=plots.figure_size(1))
    ax.plot([0, 1], [0, 1])
    plots.save_figure(fig, "frame_shares", root / "figures", data=pd.DataFrame({"x": [0, 1]}))
    plots.save_table(pd.DataFrame({"doc_id": ["d1"], "kwic": [EVIL]}), "kwic", root / "tables")
    report.record_key_results(root, {"note": EVIL, "share": 0.5}, prefix="lexicon")
    (root / "provenance.json").write_text(json.dumps({"study": EVIL, "git": {"commit": "abc"}}))
    return root


def test_build_index_links_everything_and_escapes_corpus_text(reports: Path) -> None:
    index = report.build_index(reports)
    assert index == reports / "index.html"
    page = index.read_text()
    hrefs = set(re.findall(r'href="([^"#]+)"', page))
    assert {
        "notebooks/02_lexicon_framing.html",
        "notebooks/02_lexicon_framing.ipynb",
        "figures/frame_shares.pdf",
        "figures/frame_shares.svg",
        "figures/frame_shares.png",
        "figures/frame_shares.csv",
        "tables/kwic.csv",
        "tables/kwic.tex",
        "provenance.json",
        "key_results.json",
    } <= hrefs
    for href in hrefs:
        assert (reports / href).is_file(), href
    assert 'src="figures/frame_shares.png"' in page
    assert "Lexicon framing" in page  # notebook title from its first heading
    assert "<script" not in page  # the index has no scripts at all, and corpus text is escaped
    assert page.count(ESCAPED) >= 2  # table preview and key result
    assert "lexicon.note" in page and "lexicon.share" in page


def test_rendered_notebook_escapes_outputs_and_has_code_toggle(reports: Path) -> None:
    report.build_index(reports)
    html_text = (reports / "notebooks" / "02_lexicon_framing.html").read_text()
    assert "<script>alert" not in html_text
    assert "&lt;script&gt;alert" in html_text  # stream output and HTML output both shown as text
    assert 'id="framing-code-toggle"' in html_text
    assert "framing-hide-code .jp-CodeCell .jp-Cell-inputWrapper" in html_text
    # the sanitiser keeps ordinary markup: headings and tables
    assert re.search(r"<h1[^>]*>Lexicon framing", html_text)
    assert "<td>individual</td>" in html_text


def test_build_index_is_deterministic_and_handles_empty_reports(tmp_path: Path, reports: Path) -> None:
    first = report.build_index(reports).read_bytes()
    second = report.build_index(reports).read_bytes()
    assert first == second
    empty = tmp_path / "empty"
    empty.mkdir()
    page = report.build_index(empty).read_text()
    assert "No executed notebooks yet" in page and "No figures yet" in page
    with pytest.raises(ReportError, match="not found"):
        report.build_index(tmp_path / "missing")


def test_build_index_does_not_render_again_what_the_caller_rendered(reports: Path) -> None:
    nb = reports / "notebooks" / "02_lexicon_framing.ipynb"
    page = nb.with_suffix(".html")
    page.write_text("rendered while the next notebook ran", encoding="utf-8")
    index = report.build_index(reports, rendered=[nb]).read_text(encoding="utf-8")
    assert page.read_text(encoding="utf-8") == "rendered while the next notebook ran"
    assert 'href="notebooks/02_lexicon_framing.html"' in index
    report.build_index(reports)  # not named: rendered from the notebook
    assert page.read_text(encoding="utf-8") == report.render_notebook(nb, reports / "again.html").read_text(
        encoding="utf-8")


def test_build_index_marks_failed_notebooks(tmp_path: Path) -> None:
    path = _executed_notebook(tmp_path / "notebooks" / "03_topics.ipynb")
    nb = nbformat.read(path, as_version=4)
    nb.metadata["papermill"]["exception"] = True
    nbformat.write(nb, path)
    page = report.build_index(tmp_path, render_notebooks=False).read_text()
    assert '<span class="status-failed">failed</span>' in page


def test_record_key_results_merges_prefixes_and_converts_numpy(tmp_path: Path) -> None:
    report.record_key_results(tmp_path, {"k": np.int64(5), "coherence": np.float64(0.25)}, prefix="topics")
    report.record_key_results(tmp_path, {"share": 0.5, "bad": float("nan")}, prefix="lexicon")
    data = json.loads((tmp_path / "key_results.json").read_text())
    assert data == {"lexicon.bad": None, "lexicon.share": 0.5, "topics.coherence": 0.25, "topics.k": 5}
    assert list(data) == sorted(data)
    with pytest.raises(ReportError, match=r"\['table'\]"):
        report.record_key_results(tmp_path, {"table": {"a": 1}})
    (tmp_path / "key_results.json").write_text("[1, 2]")
    with pytest.raises(ReportError, match="JSON object"):
        report.read_key_results(tmp_path / "key_results.json")


def test_html_table_escapes_all_but_raw_columns() -> None:
    out = report.html_table([{"a": EVIL, "link": '<a href="x">x</a>', "n": 3}], raw_html_columns=["link"])
    assert ESCAPED in out
    assert '<td><a href="x">x</a></td>' in out
    assert '<td class="num">3</td>' in out
    frame = report.html_table(pd.DataFrame({"n": np.array([7], dtype=np.int64), "x": [float("nan")]}))
    assert '<td class="num">7</td>' in frame
    assert '<td class="num"></td>' in frame  # missing values are blank, not "nan"


def test_screenshot_without_chromium_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "p.html"
    page.write_text("<p>x</p>")
    monkeypatch.setenv("FRAMING_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(ReportError, match="apt-get install -y chromium"):
        report.screenshot(page, tmp_path / "p.png")
    assert not (tmp_path / "p.png").exists()


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.is_file(), reason="/usr/bin/chromium absent (Debian: apt-get install -y chromium)")
def test_screenshot_renders_the_index(reports: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRAMING_CHROMIUM", raising=False)
    index = report.build_index(reports)
    png = report.screenshot(index, reports / "index.png", width=800, height=600, chromium=CHROMIUM)
    raw = png.read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(raw[16:20], "big"), int.from_bytes(raw[20:24], "big")) == (800, 600)


# ------------------------------------------------------------------------ rendered notebooks, offline
PNG_1PX = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def _papermill_notebook(path: Path) -> Path:
    """A notebook as papermill leaves it after a run with one parameter overridden."""
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    params = new_code_cell('corpus: str = "data/raw"  # the corpus folder\nn_boot: int = 2000  # bootstrap replicates')
    params.metadata["tags"] = ["parameters"]
    injected = new_code_cell('# Parameters\nn_boot = 50\n')
    injected.metadata["tags"] = ["injected-parameters"]
    wide = "".join(f"<th>column_{i}_with_a_long_name</th>" for i in range(40))
    frame_html = ('<div><style scoped>\n    .dataframe tbody tr th:only-of-type { vertical-align: middle; }\n</style>'
                  f'<table class="dataframe"><thead><tr>{wide}</tr></thead><tbody><tr><td>{EVIL}</td></tr>'
                  "</tbody></table></div>")
    nb.cells = [
        new_markdown_cell("# 02 · Lexicon framing"),
        params,
        injected,
        new_code_cell("table", execution_count=3, outputs=[
            new_output("execute_result", data={"text/html": frame_html, "text/plain": "table"}, execution_count=3)]),
        new_code_cell("plots.save_figure(fig, 'x', figures)", execution_count=4, outputs=[
            new_output("display_data", data={"image/png": PNG_1PX, "text/plain": "<Figure>"})]),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def test_rendered_notebook_is_offline_with_parameters_once_and_no_style_text(tmp_path: Path) -> None:
    page = report.render_notebook(_papermill_notebook(tmp_path / "nb.ipynb")).read_text()
    # no network: no external script, stylesheet or MathJax/require.js loader
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert not re.search(r"<link[^>]*\bhref=\"https?:", page)
    assert not re.search(r"url\(\s*['\"]?https?:", page)
    assert "require.js" not in page and "MathJax.Hub" not in page and "cdnjs" not in page
    # pandas' <style scoped> block is dropped, not shown as text; corpus markup still shows as text
    assert "&lt;style" not in page and "vertical-align: middle; }" not in page
    assert "&lt;script&gt;alert" in page and "<script>alert" not in page
    # the parameters appear once, as one table: value of this run, its default, and the comment
    assert page.count("Parameters of this run") == 1
    assert "n_boot = 50" not in page and 'corpus: str = "data/raw"' not in page
    row = re.search(r'<tr class="set">.*?</tr>', page, re.DOTALL)
    assert row and "n_boot" in row.group(0) and ">50<" in row.group(0) and "default 2000" in row.group(0)
    assert "the corpus folder" in page
    # the figure is shown; wide tables scroll inside their output; code cells fold
    assert f'src="data:image/png;base64,{PNG_1PX}' in page
    assert ".jp-OutputArea-output { overflow-x: auto; }" in page
    assert ".jp-RenderedHTMLCommon table { table-layout: auto; margin-left: 0; width: max-content; }" in page
    assert "framing-folded" in page and 'id="framing-code-toggle"' in page


def test_parameters_table_escapes_values() -> None:
    out = report.parameters_table(f'title: str = "x"  # {EVIL}', f'title = "{EVIL}"')
    assert "<script>" not in out and out.count("&lt;script&gt;") == 2


@pytest.mark.slow
def test_a_saved_figure_is_displayed_in_the_executed_notebook(tmp_path: Path) -> None:
    """save_figure closes the figure, but a notebook still shows it (papermill run, then rendered)."""
    import papermill

    src = tmp_path / "fig.ipynb"
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [new_code_cell(
        "import matplotlib.pyplot as plt\nfrom framing import plots\n"
        "fig, ax = plt.subplots()\nax.plot([0, 1], [1, 0])\n"
        f"plots.save_figure(fig, 'line', {str(tmp_path / 'figures')!r})"
    )]
    nbformat.write(nb, src)
    out = tmp_path / "fig.out.ipynb"
    papermill.execute_notebook(str(src), str(out), kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    executed = nbformat.read(out, as_version=4)
    images = [o for o in executed.cells[0].outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1  # displayed once, not twice
    assert (tmp_path / "figures" / "line.png").is_file()
    assert "data:image/png;base64," in report.render_notebook(out).read_text()


# ------------------------------------------------------------------------------------------ findings
def _study(root: Path) -> Path:
    """A tiny study's results, written by hand: 2 genres, one with a single document."""
    (root / "tables").mkdir(parents=True)
    (root / "figures").mkdir()
    pd.DataFrame({"genre": ["news", EVIL], "documents": [3, 1]}).to_csv(root / "tables" / "corpus_by_genre.csv",
                                                                        index=False)
    pd.DataFrame({
        "genre": ["news", "news", EVIL, EVIL], "frame": ["individual", "systemic"] * 2,
        "share": [0.25, 0.5, 0.4, 0.1], "lo": [0.1, 0.3, 0.2, 0.0], "hi": [0.4, 0.7, 0.6, 0.3],
        "method": ["documents", "documents", "sentences within document (one document)"] * 1 + ["x"],
    }).to_csv(root / "tables" / "frames_by_genre.csv", index=False)
    pd.DataFrame({"genre": ["news", "news"], "blamer": ["author", "government"], "target": ["council", "council"],
                  "sentences": [2, 5]}).to_csv(root / "figures" / "blame_network.csv", index=False)
    report.record_key_results(root, {"f1_individual": 0.6, "f1_baseline_individual": 0.7,
                                     "f1_systemic": 0.8, "f1_baseline_systemic": 0.5, "coded_sentences": 40},
                              prefix="validation")
    fig, ax = plt.subplots(figsize=plots.figure_size(1))
    ax.bar([0, 1], [0.25, 0.5])
    plots.save_figure(fig, "frame_shares_by_genre", root / "figures")
    _papermill_notebook(root / "notebooks" / "02_lexicon_framing.ipynb")
    return root


def test_findings_are_stated_from_the_results(tmp_path: Path) -> None:
    findings = {f.key: f for f in report.collect_findings(_study(tmp_path / "reports"))}
    assert list(findings) == ["frames", "blame", "validity", "limits"]  # no topic results: no topic finding
    frames = findings["frames"]
    assert frames.sentences[0] == ("news: blame is located most often in the systemic frame "
                                   "(systemic 50%, individual 25% of content sentences).")
    assert "No coded sentences for this corpus" in frames.sentences[-1]
    assert ("figure", "figures/frame_shares_by_genre.png") in frames.evidence
    assert ("notebook 02", "notebooks/02_lexicon_framing.ipynb") in frames.evidence  # not rendered yet
    assert findings["blame"].sentences == ["news: government → council (5); author → council (2) blame sentences."]
    assert [label for label, _ in findings["blame"].evidence] == []  # no figure, table or KWIC page written
    validity = findings["validity"]
    assert validity.sentences[0] == (
        "Against 40 coded sentences (the reference coding; the study's coders are automated coding assistants, "
        "not people: data/validation/README.md), the lexicon's F1 per frame is individual 0.60, systemic 0.80."
    )
    assert "hand-coded" not in " ".join(s for f in findings.values() for s in f.sentences)
    assert "(individual) should not be interpreted" in validity.sentences[1]
    limits = findings["limits"].sentences
    assert limits[0] == f"4 documents (news 3, {EVIL} 1)."
    assert limits[1].startswith(f"{EVIL}: one document")


def test_index_opens_with_findings_linked_to_their_evidence(tmp_path: Path) -> None:
    reports = _study(tmp_path / "reports")
    page = report.build_index(reports).read_text()
    assert page.index('id="findings"') < page.index('id="notebooks"') < page.index('id="figures"')
    finding = page[page.index('id="finding-frames"'):page.index('id="finding-blame"')]
    assert 'href="figures/frame_shares_by_genre.png"' in finding
    assert 'href="notebooks/02_lexicon_framing.html"' in finding  # rendered by build_index
    assert 'href="tables/frames_by_genre.csv"' in finding
    assert "<script" not in page and ESCAPED in page
    assert report.headline(reports) == (
        f"Leading frame by genre (lexicon): news systemic 50%, {EVIL} individual 40%. 4 documents (news 3, {EVIL} 1)."
    )


def test_the_frames_finding_says_a_tie_and_no_lead_on_very_few_sentences(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    (root / "tables").mkdir(parents=True)
    pd.DataFrame({  # "judgment": 8 sentences against 8 of 30; "appeal": 2 against 1 of 28; "later": 6 against 2 of 20
        "genre": ["judgment"] * 3 + ["appeal"] * 3 + ["later"] * 3,
        "frame": ["individual", "systemic", "political"] * 3,
        "n_sentences": [30] * 3 + [28] * 3 + [20] * 3,
        "n_frame_sentences": [8, 8, 0, 2, 1, 0, 2, 6, 0],
        "share": [8 / 30, 8 / 30, 0, 2 / 28, 1 / 28, 0, 0.1, 0.3, 0],
    }).to_csv(root / "tables" / "frames_by_genre.csv", index=False)
    frames = {f.key: f for f in report.collect_findings(root)}["frames"]
    assert frames.sentences[:3] == [
        "judgment: no single leading frame: blame is located as often in the individual as in the systemic frame "
        "(individual 27%, systemic 27%, political 0% of content sentences; 8 sentences each).",
        "appeal: too few sentences locate blame to name a leading frame (individual 2 (7%), systemic 1 (4%), "
        "political 0 (0%) of 28 content sentences; a lead needs at least 5 sentences).",
        "later: blame is located most often in the systemic frame (systemic 30%, individual 10%, political 0% of "
        "content sentences).",
    ]
    assert report.headline(root) == ("Leading frame by genre (lexicon): judgment individual = systemic 27%, "
                                     "appeal none (too few sentences), later systemic 30%.")


def test_the_limits_finding_follows_min_docs(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    (root / "tables").mkdir(parents=True)
    pd.DataFrame({"genre": ["a", "b", "c"], "documents": [4, 2, 12]}).to_csv(root / "tables" / "corpus_by_genre.csv",
                                                                           index=False)

    def limits(min_docs: int | None) -> list[str]:
        record = {"notebook": "notebooks/05_genre_comparison.ipynb", "parameters": {}, "defaults": {}}
        if min_docs is not None:
            record["parameters"] = {"min_docs": min_docs}
        (root / "provenance.json").write_text(json.dumps({"notebooks": [record]}))
        return {f.key: f for f in report.collect_findings(root)}["limits"].sentences

    # min_docs 3: b (2) has no interval; a (4) has one, on fewer than the default 10 documents; c (12) is fine
    assert limits(3)[1:3] == [
        "b: fewer than 3 documents (min_docs), shown without interval: their shares describe these texts, not the "
        "genre; the other genres' intervals resample their documents.",
        "Intervals are given from 3 documents a genre (min_docs=3; the study's default is 10): on so few documents "
        "(a 4) an interval is rough and differences between genres describe these texts more than the genres.",
    ]
    assert not any("no figure here is an estimate" in x for x in limits(3))
    # the default, 10: a and b are below it, c is not
    assert limits(None)[1].startswith("a, b: fewer than 10 documents (min_docs), shown without interval")
    assert "no figure here is an estimate beyond the texts read" in limits(20)[1]  # every genre below min_docs


# ---------------------------------------------------------------------------------- headless browser
@pytest.mark.slow
def test_browser_shows_index_and_notebook_as_a_reader_sees_them(tmp_path: Path) -> None:
    if report.find_chromium() is None:
        pytest.skip("no Chromium on PATH and none could be installed (Debian: apt-get install -y chromium; "
                    ".ci/run installs it before make test)")
    reports = _study(tmp_path / "reports")
    index = report.build_index(reports)
    notebook = reports / "notebooks" / "02_lexicon_framing.html"
    for page, width in ((index, 1024), (notebook, 800)):
        seen = report.check_page(page, width=width, height=700)
        assert seen["images"] >= 1 and seen["failed_images"] == [], (page, seen["failed_images"])
        assert seen["overflowing"] == [] and seen["scroll_width"] <= seen["client_width"], (page, seen["overflowing"])
        assert "<script>alert('corpus')</script>" in seen["text"]  # shown as text ...
        assert not any("alert(" in s for s in seen["scripts"])  # ... never run as a script
        shot = report.screenshot(page, tmp_path / f"{page.stem}.png", width=width, height=700)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_browser_check_finds_a_long_word_past_the_edge_and_report_pages_wrap_it(tmp_path: Path) -> None:
    if report.find_chromium() is None:
        pytest.skip("no Chromium on PATH (Debian: apt-get install -y chromium)")
    run_id = "corpus=immigration.jsonl__corpus_name=immigration__id_col=id__genre_col=category__" * 3
    # an h1 whose box fits the page but whose one long word runs past it (the trial's run page)
    bare = tmp_path / "bare.html"
    bare.write_text(f"<!DOCTYPE html><html><body style='margin:0'><h1>{run_id}</h1><p>short</p></body></html>",
                    encoding="utf-8")
    seen = report.check_page(bare, width=800, height=600)
    assert seen["scroll_width"] > seen["client_width"]
    assert [o.split(" ")[0] for o in seen["overflowing"]] == ["h1"]
    # the report's own page: the title wraps anywhere, nothing sticks out
    page = tmp_path / "page.html"
    html = report.render_template("page.html.j2", title=f"failures / {run_id}", subtitle="", body="")
    page.write_text(html, encoding="utf-8")
    seen = report.check_page(page, width=800, height=600)
    assert seen["overflowing"] == [] and seen["scroll_width"] <= seen["client_width"]


def test_validity_finding_states_the_general_models_sealed_figure() -> None:
    from framing.report.findings import _held_out_sentences

    said = _held_out_sentences({"validation.general_model_sealed_mean": 0.48, "validation.rule_sealed_mean": 0.43})
    assert len(said) == 1 and "--model general" in said[0]
    assert "mean macro-F1 of 0.48 on the sealed held-out sets against the rule's 0.43: better than the rule" in said[0]
    worse = _held_out_sentences({"validation.general_model_sealed_mean": 0.40, "validation.rule_sealed_mean": 0.43})
    assert "no better than the rule" in worse[0]
    assert _held_out_sentences({"validation.rule_sealed_mean": 0.43}) == []  # no model figure: nothing said
    # the paired interval decides the verdict: an interval that includes no difference is "not clearly better"
    base = {"validation.general_model_sealed_mean": 0.48, "validation.rule_sealed_mean": 0.43}
    clear = _held_out_sentences({**base, "validation.general_model_difference_lo": 0.02,
                                 "validation.general_model_difference_hi": 0.08})
    assert "better than the rule (difference +0.05, 95% interval [+0.02, +0.08] from a paired bootstrap" in clear[0]
    unclear = _held_out_sentences({**base, "validation.general_model_difference_lo": -0.01,
                                   "validation.general_model_difference_hi": 0.11})
    assert "not clearly better than the rule (difference +0.05, 95% interval [-0.01, +0.11]" in unclear[0]
    # the seeds, where the rule is in-sample and the model left each document out: said with the verdict
    seeds = _held_out_sentences({**base, "validation.general_model_seeds_lodo_case": 0.72,
                                 "validation.rule_seeds_case": 0.77})
    assert len(seeds) == 2 and "scores 0.72 against the rule's 0.77 (in-sample there)" in seeds[1]


def test_validity_finding_states_held_out_and_development_figures() -> None:
    from framing.report.findings import _held_out_sentences

    said = _held_out_sentences({"validation.macro_f1_seeds_LODO_rule": 0.75,
                                "validation.macro_f1_seeds_LODO_classifier": 0.66,
                                "validation.macro_f1_devset_rule": 0.71})
    # on the study's seeds the rule's figure is in-sample: stated, and no verdict drawn from it
    assert "0.66" in said[0] and "0.75" in said[0] and "in-sample" in said[0] and "rule stays" not in said[0]
    assert "0.71" in said[1] and "development set" in said[1] and "optimistic" in said[1]
    mine = _held_out_sentences({"validation.macro_f1_immig_LODO_rule": 0.75,
                                "validation.macro_f1_immig_LODO_classifier": 0.66})
    assert "0.75 for the rule and 0.66 for the learned option" in mine[0] and "rule stays the default" in mine[0]
    held = _held_out_sentences({"validation.macro_f1_devset_rule": 0.71,
                                "validation.macro_f1_heldout_bbc_2_rule": 0.46,
                                "validation.macro_f1_heldout_bbc_1_rule": 0.43,
                                "validation.macro_f1_heldout_bbc_1_classifier": 0.40})
    # the sealed held-out sets' figures come first (the figure to expect), then the read sets' (optimistic), the
    # classifier's left out; then the development set's
    assert "sealed held-out sets bbc-2 0.46;" in held[0] and "bbc-1" not in held[0] and "0.40" not in held[0]
    # the sealed figures come from news about public failures: the sentence says so, and that text of another kind
    # (climate news) is outside the domain the figures validate (usability trial 13)
    assert "the figure to expect on an uncoded corpus of news about a public failure" in held[0]
    assert "nobody has coded:" not in held[0]
    assert held[1].startswith("Every figure of the instrument's validity comes from text about public failures")
    assert "climate news" in held[1] and "outside the domain it was validated in" in held[1]
    assert "bbc-1 0.43" in held[2] and "optimistic" in held[2] and "0.40" not in held[2]
    assert "0.71" in held[3] and "development set" in held[3]
    # with the learned option scored on sealed sets too, the verdict rests on them: mean of bbc-2 and bbc-4
    both = _held_out_sentences({"validation.macro_f1_seeds_LODO_rule": 0.8,
                                "validation.macro_f1_seeds_LODO_classifier": 0.6,
                                "validation.macro_f1_heldout_bbc_2_rule": 0.50,
                                "validation.macro_f1_heldout_bbc_2_classifier": 0.40,
                                "validation.macro_f1_heldout_bbc_4_rule": 0.40,
                                "validation.macro_f1_heldout_bbc_4_classifier": 0.44})
    assert "0.45 for the rule and 0.42 for the learned option" in both[0] and "rule stays the default" in both[0]
    better = _held_out_sentences({"validation.macro_f1_immig_LODO_rule": 0.5,
                                  "validation.macro_f1_immig_LODO_classifier": 0.6})
    assert "learned option does better" in better[0] and len(better) == 1
    assert _held_out_sentences({}) == []


def test_a_document_named_script_shows_as_text_on_every_page(tmp_path: Path) -> None:
    """A document id, a file name and a notebook name holding ``<script>`` are escaped by the templates."""
    reports = tmp_path / "reports"
    name = "<script>x"  # a file name cannot hold "/", so no closing tag here
    _executed_notebook(reports / "notebooks" / f"{name}.ipynb")
    plots.save_table(pd.DataFrame({"doc_id": [EVIL], "n": [3]}), "corpus_documents", reports / "tables")
    (reports / "figures").mkdir()
    (reports / "figures" / f"{name}.png").write_bytes(base64.b64decode(PNG_1PX))  # save_figure refuses such names
    (reports / "provenance.json").write_text(json.dumps({
        "status": "failed", "error": f"document {EVIL}: empty text",
        "notebooks": [{"notebook": EVIL, "status": "stale", "from_run": {"status": "ok", "started": "t"}}],
        "warnings": [f"01_corpus: document {EVIL} skipped"],
    }))
    rows = pd.DataFrame({"category": [EVIL], "doc_id": [EVIL], "kwic": ["the council failed"]})
    _, evidence = report.write_evidence(rows, "kwic_frames", reports, title=EVIL)
    page = report.build_index(reports, render_notebooks=False).read_text()
    for text in (page, evidence.read_text()):
        assert "<script" not in text
    # the id as a table cell, in the banner (stale notebook, error, warning) and in the provenance
    assert f"<td>{ESCAPED}</td>" in page
    assert f"<li><code>{ESCAPED}</code>: from an earlier run (ok, t)</li>" in page
    assert f"({ESCAPED}: empty text)" not in page and f": document {ESCAPED}: empty text</p>" in page
    assert f"<li>01_corpus: document {ESCAPED} skipped</li>" in page
    # file names: text escaped, links URL-quoted
    assert '<a href="notebooks/%3Cscript%3Ex.ipynb">ipynb</a>' in page and "<td>&lt;script&gt;x · " in page
    assert '<img src="figures/%3Cscript%3Ex.png" alt="&lt;script&gt;x">' in page
    # the evidence page: title, section heading and cell
    assert f"<title>{ESCAPED}</title>" in evidence.read_text()
    assert f"<td>{ESCAPED}</td>" in evidence.read_text()


def test_html_table_matches_a_hand_written_table() -> None:
    out = report.html_table([{"a": "x & y", "n": 2.5}, {"a": "z", "n": None}], max_rows=1)
    assert out == (
        "<table>\n<thead><tr><th>a</th><th>n</th></tr></thead>\n<tbody>\n"
        '<tr><td>x &amp; y</td><td class="num">2.5</td></tr>\n'
        '</tbody></table>\n<p class="muted">1 more row(s) not shown.</p>'
    )


def test_status_banner_is_empty_for_a_clean_run_and_names_an_interrupted_one() -> None:
    assert report.run_status_banner({"status": "ok", "notebooks": [{"notebook": "a", "status": "ok"}]}) == ""
    banner = report.run_status_banner(
        {"status": "interrupted", "interrupted_by": "SIGTERM", "finished": "12:00", "error": "stopped <now>"}
    )
    assert banner == (
        '<div class="banner banner-bad" id="run-status">\n'
        "<p><strong>This run was interrupted by SIGTERM</strong> (12:00): stopped &lt;now&gt;</p>\n</div>"
    )


# ------------------------------------------------------------------- findings name their corpus (usability trial)
def _provenance_after_a_partial_run(root: Path) -> None:
    """A full run on corpus A (data/raw as seeds), then ``--notebook 01_corpus`` on corpus B (immig)."""
    earlier = {"status": "ok", "started": "2026-11-30T10:00:00+00:00",
               "parameters": {"corpus": "data/raw", "corpus_name": "seeds"}}
    (root / "provenance.json").write_text(json.dumps({
        "status": "ok", "started": "2026-11-30T11:00:00+00:00",
        "parameters": {"corpus": "/elsewhere/immig.jsonl", "corpus_name": "immig"},
        "notebooks": [
            {"notebook": "notebooks/01_corpus.ipynb", "status": "ok",
             "parameters": {"corpus": "/elsewhere/immig.jsonl", "corpus_name": "immig"}},
            {"notebook": "notebooks/02_lexicon_framing.ipynb", "status": "stale", "from_run": earlier},
            {"notebook": "notebooks/04_blame_attribution.ipynb", "status": "stale", "from_run": earlier},
            {"notebook": "notebooks/06_validation.ipynb", "status": "stale", "from_run": earlier},
        ]}), encoding="utf-8")


def test_findings_say_their_corpus_and_mark_another_corpus_stale(tmp_path: Path) -> None:
    reports = _study(tmp_path / "reports")
    _provenance_after_a_partial_run(reports)
    findings = {f.key: f for f in report.collect_findings(reports)}
    assert {k: f.corpus for k, f in findings.items()} == {"frames": "seeds", "blame": "seeds", "validity": "seeds",
                                                          "limits": "immig"}
    assert findings["limits"].stale is None  # notebook 01 ran on the latest run's corpus
    for key in ("frames", "blame", "validity"):
        assert findings[key].stale is not None and "corpus seeds" in findings[key].stale
        assert "not about immig" in findings[key].stale
    page = report.build_index(reports, render_notebooks=False).read_text()
    frames = page[page.index('id="finding-frames"') - 60:page.index('id="finding-blame"')]
    assert 'class="finding finding-stale"' in frames and "· corpus seeds" in frames
    limits = page[page.index('id="finding-limits"') - 60:]
    assert 'class="finding" id="finding-limits"' in limits and "· corpus immig" in limits


def test_findings_of_one_run_on_one_corpus_are_not_stale(tmp_path: Path) -> None:
    reports = _study(tmp_path / "reports")
    (reports / "provenance.json").write_text(json.dumps({
        "status": "ok", "parameters": {"corpus": "/elsewhere/immig.jsonl", "corpus_name": "seeds"},
        "notebooks": [{"notebook": f"notebooks/{nb}.ipynb", "status": "ok"} for nb in (
            "01_corpus", "02_lexicon_framing", "04_blame_attribution", "06_validation")]}), encoding="utf-8")
    findings = report.collect_findings(reports)
    # corpus_name "seeds" given with another corpus: named after the corpus file, as the notebooks name it
    assert {f.corpus for f in findings} == {"immig"} and all(f.stale is None for f in findings)


def test_the_frames_finding_shows_the_corrected_shares(tmp_path: Path) -> None:
    reports = _study(tmp_path / "reports")
    pd.DataFrame({
        "group": ["news", "news", "all", "all"], "frame": ["individual", "systemic"] * 2,
        "n_sentences": [20, 20, 30, 30], "instrument_share": [0.25, 0.5, 0.3, 0.4],
        "corrected_share": [0.2, 0.45, 0.22, 0.41], "ci_low": [0.1, 0.4, 0.15, 0.35],
        "ci_high": [0.3, 0.5, 0.3, 0.47], "n_coded": [20, 20, 30, 30],
    }).to_csv(reports / "tables" / "frames_corrected_by_genre.csv", index=False)
    frames = next(f for f in report.collect_findings(reports) if f.key == "frames")
    assert ("Corrected for the lexicon's errors on 30 coded of 30 sentences, the shares of all sentences are "
            "individual 22% [15–30%], systemic 41% [35–47%] (the lexicon alone: individual 30%, systemic 40%)") in (
        " ".join(frames.sentences))
    assert frames.table is not None
    row = frames.table[frames.table["source"] == "corrected (coded sample)"].iloc[0]
    assert (row["genre"], row["individual"], row["systemic"]) == ("news", "20% [10–30%]", "45% [40–50%]")
    assert ("corrected shares", "tables/frames_corrected_by_genre.csv") in frames.evidence
    # notebook 06 has not run: the coded sentences exist, so the finding must not say there are none
    text = " ".join(frames.sentences)
    assert "No coded sentences" not in text and "notebook 06 (validation), which has not run" in text
    assert "by genre, with their intervals" in text
    # below min_docs the corrected shares have no interval, and the finding does not claim any
    table = pd.read_csv(reports / "tables" / "frames_corrected_by_genre.csv").assign(ci_low=float("nan"),
                                                                                     ci_high=float("nan"))
    table.to_csv(reports / "tables" / "frames_corrected_by_genre.csv", index=False)
    frames = next(f for f in report.collect_findings(reports) if f.key == "frames")
    text = " ".join(frames.sentences)
    assert "with their intervals" not in text and "by genre, descriptive, without intervals" in text


def test_the_frames_finding_counts_undefined_replicates(tmp_path: Path) -> None:
    """Replicates without a corrected share (framing.shares.corrected_shares, n_undefined) are said, where an
    interval rests on the others; a descriptive row's count (no interval) is not."""
    reports = _study(tmp_path / "reports")
    pd.DataFrame({
        "group": ["news", "blog", "all"], "frame": ["systemic"] * 3, "n_sentences": [20, 10, 30],
        "instrument_share": [0.5, 0.4, 0.47], "corrected_share": [0.45, 0.3, 0.4], "ci_low": [0.4, None, 0.35],
        "ci_high": [0.5, None, 0.45], "n_coded": [20, 10, 30], "n_undefined": [37, 5, 0],
    }).to_csv(reports / "tables" / "frames_corrected_by_genre.csv", index=False)
    frames = next(f for f in report.collect_findings(reports) if f.key == "frames")
    text = " ".join(frames.sentences)
    assert "the intervals leave them out (news systemic: 37 replicates)" in text
    assert "blog systemic" not in text
    assert "with intervals where a genre has enough coded documents (the others descriptive)" in text


def _provenance_with_two_rules(root: Path) -> None:
    """A full run with the coder rule, then ``--notebook 02_lexicon_framing -p rule=cue_window -p window=8``."""
    shared = {"corpus": "data/raw", "corpus_name": "seeds", "case": "baby_p", "frames_lexicon": "blame_frames"}
    earlier = {"status": "ok", "started": "2026-11-30T10:00:00+00:00",
               "parameters": {**shared, "rule": "coder", "window": 10},
               "git": {"code": {"commit": "aaaaaaaaaaaaaaaa", "dirty": False}}}
    declared = {"rule": "coder", "window": 10, "case": "baby_p", "frames_lexicon": "blame_frames"}
    (root / "provenance.json").write_text(json.dumps({
        "status": "ok", "started": "2026-11-30T11:00:00+00:00",
        "parameters": {**shared, "rule": "cue_window", "window": 8},
        "git": {"code": {"commit": "bbbbbbbbbbbbbbbb", "dirty": True}},
        "notebooks": [
            {"notebook": "notebooks/01_corpus.ipynb", "status": "stale", "from_run": earlier,
             "parameters": {"corpus": "data/raw"}},
            {"notebook": "notebooks/02_lexicon_framing.ipynb", "status": "ok",
             "parameters": {**shared, "rule": "cue_window", "window": 8}},
            {"notebook": "notebooks/04_blame_attribution.ipynb", "status": "stale", "from_run": earlier,
             "parameters": declared},
            {"notebook": "notebooks/06_validation.ipynb", "status": "stale", "from_run": earlier,
             "parameters": declared},
        ]}), encoding="utf-8")


def test_findings_from_another_rule_are_marked_and_name_their_rule(tmp_path: Path) -> None:
    reports = _study(tmp_path / "reports")
    _provenance_with_two_rules(reports)
    pd.DataFrame({"genre": ["news"] * 4, "frame": ["individual", "systemic"] * 2,
                  "source": ["lexicon", "lexicon", "coder1", "coder1"], "share": [0.2, 0.5, 0.3, 0.4]}).to_csv(
        reports / "tables" / "validation_shares_by_genre.csv", index=False)  # notebook 06's, with the coder rule
    findings = {f.key: f for f in report.collect_findings(reports)}
    assert findings["limits"].stale is None  # notebook 01 declares no instrument parameter
    for key in ("frames", "blame", "validity"):
        stale = findings[key].stale
        assert stale is not None and "rule coder (not cue_window), window 10 (not 8)" in stale, stale
    assert findings["frames"].instrument == "rule cue_window, case baby_p, window 8 / rule coder, case baby_p"
    assert findings["validity"].instrument == "rule coder, case baby_p"
    page = report.build_index(reports, render_notebooks=False).read_text()
    banner = page[page.index('id="run-status"'):page.index("</div>", page.index('id="run-status"'))]
    assert "06_validation.ipynb</code>: from an earlier run" in banner
    assert "other instrument parameters than this run&#39;s: rule coder (not cue_window)" in banner
    assert "code aaaaaaaaaaaa" in banner  # the earlier run's code, another than this run's
    assert "· rule cue_window, case baby_p, window 8" in page


def test_topic_findings_say_when_the_chosen_k_is_at_the_edge_of_the_range(tmp_path: Path) -> None:
    root = _study(tmp_path / "reports")
    report.record_key_results(root, {"k": 8, "model": "nmf", "k_edge_k": 8, "k_edge": "k_max"}, prefix="topics")
    said = {f.key: f for f in report.collect_findings(root)}["topics"].sentences
    assert said[1].startswith("The largest k tried (k_max=8) has the best mean NPMI: NPMI may keep rising")
    assert "a larger k_max" in said[1]
    report.record_key_results(root, {"k_edge": None}, prefix="topics")
    assert len({f.key: f for f in report.collect_findings(root)}["topics"].sentences) == 1


def test_topic_findings_do_not_interpret_unstable_topics_or_small_lifts(tmp_path: Path) -> None:
    reports = _study(tmp_path / "reports")
    pd.DataFrame({"topic": ["seed:individual", "seed:individual", "free_0", "free_0", "seed:political"],
                  "frame": ["individual", "systemic", "systemic", "individual", "political"],
                  "lift": [2.17, 0.9, 1.02, 0.8, 1.30]}).to_csv(reports / "figures" / "topics_frame_association.csv",
                                                                 index=False)
    pd.DataFrame({"label": ["seed:individual", "free_0", "seed:political"], "stability": [0.56, 0.9, 0.95],
                  "unstable": [True, False, False], "seeds_lead": [True, True, True]}).to_csv(
        reports / "tables" / "topics_seeded_top_terms.csv", index=False)
    report.record_key_results(reports, {"k": 3, "model": "lda"}, prefix="topics")
    topics = next(f for f in report.collect_findings(reports) if f.key == "topics").sentences
    assert topics.pop(0) == "The free model (LDA) chose k = 3 topics."
    assert topics == [
        "Topic “seed:individual” of the lexicon-seeded model (NMF) is unstable across refits (stability 0.56): "
        "do not interpret its association with the frames.",
        "Topic “seed:political” of the lexicon-seeded model (NMF) over-represents the political frame (lift 1.30).",
        "No frame is over-represented (lift of at least 1.25) in topic(s) “free_0”.",
    ]


def test_topic_findings_caution_against_a_seeded_topic_that_lost_its_frame(tmp_path: Path) -> None:
    reports = _study(tmp_path / "reports")
    label = "people / technology / users (was seed:systemic)"
    pd.DataFrame({"label": ["seed:political", label], "stability": [0.9, 0.95], "unstable": [False, False],
                  "seeds_lead": [True, False]}).to_csv(reports / "tables" / "topics_seeded_top_terms.csv", index=False)
    topics = next(f for f in report.collect_findings(reports) if f.key == "topics").sentences
    assert topics == [
        "The topic seeded with a frame's terms no longer stands for the frame (its seed terms do not lead it, or keep "
        f"too small a share of its weight) and is labelled by its own words: “{label}”; read it by its top terms, "
        "not by the frame it started from."
    ]


def test_validity_finding_without_coded_sentences_and_for_another_corpus_scope() -> None:
    from framing.report.findings import _held_out_sentences, _validity_finding

    said = _held_out_sentences({"validation.macro_f1_immig_LODO_rule": 0.55,
                                "validation.macro_f1_immig_LODO_classifier": 0.61,
                                "validation.macro_f1_devset_LODO_classifier": 0.9})
    assert "0.55 for the rule and 0.61 for the learned option" in said[0]
    only_other_sets = _validity_finding(Path("nowhere"), {"validation.macro_f1_heldout_bbc_2_rule": 0.46})
    assert only_other_sets is not None
    assert only_other_sets.sentences[0].startswith("No coded sentences for this corpus")
    assert "held-out sets bbc-2 0.46" in only_other_sets.sentences[1]
    assert _validity_finding(Path("nowhere"), {}) is None


def test_validity_baseline_verdict_rests_on_the_sealed_sets(tmp_path: Path) -> None:
    from framing.report.findings import _corpus_in_sample, _instrument_metrics, _sealed_below_baseline

    tables = tmp_path / "reports" / "tables"
    tables.mkdir(parents=True)
    rows = [("seeds", "rule", "individual", 0.8, 0.3, True), ("seeds-LODO", "rule", "individual", 0.8, 0.3, True),
            ("heldout-bbc-4", "rule", "systemic", 0.28, 0.44, False),  # sealed, below its baseline
            ("heldout-bbc-4", "rule", "individual", 0.50, 0.40, False),
            ("heldout-bbc-4", "rule", "macro", 0.30, 0.50, False),  # the macro row is no frame
            ("heldout-bbc-1", "rule", "political", 0.20, 0.60, False),  # a read set: not the verdict's
            ("heldout-bbc-5", "classifier", "political", 0.20, 0.60, False)]  # the learned option: not the rule
    pd.DataFrame(rows, columns=["scope", "method", "frame", "f1", "baseline", "in_sample"]).to_csv(
        tables / "validation_instrument_metrics.csv", index=False)
    metrics = _instrument_metrics(tmp_path / "reports")
    assert _sealed_below_baseline(metrics) == ["bbc-4 systemic (0.28 against 0.44)"]
    assert _corpus_in_sample(metrics) is True
    assert _instrument_metrics(tmp_path / "nothing") is None and _sealed_below_baseline(None) is None


# ------------------------------------------------------------------------------- the grouping's name
def test_findings_name_the_grouping_recorded_in_the_key_results(tmp_path: Path) -> None:
    root = _study(tmp_path / "reports")
    report.record_key_results(root, {"group_label": "outlet"}, prefix="corpus")  # notebook 01 records it
    findings = {f.key: f for f in report.collect_findings(root)}
    frames = findings["frames"]
    assert frames.title == "Where the texts locate blame, by outlet"
    assert frames.table is not None and list(frames.table.columns)[:2] == ["outlet", "source"]
    limits = findings["limits"].sentences
    # news 3 and EVIL 1 documents, both below min_docs 10 (hand-worked as in the genre test above)
    assert limits[1] == (f"{EVIL}: one document, so no interval can be computed over documents; its shares "
                         "describe that text, not the outlet.")
    assert limits[2] == ("With fewer than 10 documents in an outlet, differences between outlets describe these "
                         "texts and are not evidence about the outlets; no figure here is an estimate beyond the "
                         "texts read.")
    said = " ".join([f.title for f in findings.values()] + [s for f in findings.values() for s in f.sentences])
    assert "genre" not in said
    assert report.headline(root).startswith("Leading frame by outlet (lexicon): news systemic 50%")
    page = report.build_index(root).read_text()
    findings_html = page[page.index('id="findings"'):page.index('id="notebooks"')]
    assert "by outlet" in findings_html and "by genre" not in findings_html


def test_findings_fall_back_to_the_genre_col_the_notebooks_ran_with(tmp_path: Path) -> None:
    root = _study(tmp_path / "reports")
    record = {"notebook": "notebooks/01_corpus.ipynb", "parameters": {"genre_col": "period"},
              "defaults": {"genre_col": "genre"}}
    (root / "provenance.json").write_text(json.dumps({"notebooks": [record]}))
    assert report.findings_group_label(root) == "period"
    assert {f.key: f for f in report.collect_findings(root)}["frames"].title.endswith("by period")
    (root / "provenance.json").write_text(json.dumps({"notebooks": [{**record, "parameters": {}}]}))
    assert report.findings_group_label(root) == "genre"  # the default genre_col: the word stays genre
    labelled = {**record, "parameters": {"genre_col": "mbfc", "genre_label": "outlet bias rating"}}
    (root / "provenance.json").write_text(json.dumps({"notebooks": [labelled]}))
    assert report.findings_group_label(root) == "outlet bias rating"  # the display label, not the column's name


def test_rendered_notebook_prose_names_the_grouping(tmp_path: Path) -> None:
    said = report.relabel_prose("## Frame shares by genre\nA genre's `genre` column; genres, genre_col.", "outlet")
    assert said == "## Frame shares by outlet\nAn outlet's `genre` column; outlets, genre_col."
    assert report.relabel_prose("Genres of a genre", "genre") == "Genres of a genre"
    assert report.relabel_prose("Genres: a genre", "category") == "Categories: a category"
    path = _papermill_notebook(tmp_path / "nb.ipynb")
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source = "# 05 · Comparing genres\n\nA genre with one document is described."
    nb.cells[1].source += '\ngenre_col: str = "genre"  # grouping column\ngenres: list = []  # genres to include'
    nb.cells[2].source += 'genre_col = "outlet"\n'
    nbformat.write(nb, path)
    html = report.render_notebook(path).read_text()
    assert "Comparing outlets" in html and "An outlet with one document is described." in html
    assert "outlets to include" in html  # the parameters' descriptions too
    assert "Comparing genres" not in html and "genres to include" not in html
    assert report.notebook_info(path)["title"] == "05 · Comparing outlets"
    nb.cells[2].source += 'genre_label = "outlet bias rating"\n'  # the display label wins over the column's name
    nbformat.write(nb, path)
    html = report.render_notebook(path).read_text()
    assert "Comparing outlet bias ratings" in html and "Comparing outlets" not in html


def test_validity_finding_names_the_sets_not_scored_and_the_missing_path() -> None:
    from framing.report.findings import _held_out_sentences

    missing = ["the development set: devset_texts ../shared/corpora/bbc.jsonl.gz not found",
               "the Narrative Frames Corpus check: nfc_path ../shared/corpora/nfc.tsv.gz not found"]
    said = _held_out_sentences({"validation.not_scored": missing})
    assert len(said) == 1 and said[0].startswith("Not scored, so missing from these figures: ")
    assert missing[0] in said[0] and missing[1] in said[0] and "../shared" in said[0]
    assert _held_out_sentences({"validation.not_scored": []}) == []  # every set scored: nothing said


def test_topic_finding_says_when_the_instrument_counts_the_topics_top_terms() -> None:
    from framing.report.findings import _topic_frame_sentences

    assoc = pd.DataFrame({"topic": ["report / balls / ed (was seed:political)"] * 2 + ["care / child"] * 2,
                          "frame": ["political", "systemic"] * 2, "lift": [1.77, 0.6, 1.5, 0.9],
                          "instrument_terms": ["balls", "", "", "care"]})
    said = _topic_frame_sentences(assoc, None)  # topics in name order: care / child first
    # care / child over-represents political with no instrument term for it: no such sentence (care is systemic's)
    assert said[0].startswith("Topic “care / child”") and "(lift 1.50)." in said[0]
    assert said[1] == ("Topic “report / balls / ed (was seed:political)” of the lexicon-seeded model (NMF) "
                       "over-represents the political frame (lift 1.77).")
    assert "“balls”, which the frame instrument itself counts for the political frame" in said[2]
    assert "partly holds by construction" in said[2] and len(said) == 3


def test_index_provenance_table_shows_commit_dirty_flag_and_overrides() -> None:
    from framing.report.index import provenance_rows

    rows = provenance_rows({
        "study": "demo", "matcher": "hyperscan", "parameters": {"case": "", "corpus": "mine.jsonl"},
        "overrides": ["case", "corpus"],
        "git": {"project": {"commit": "abc123", "dirty": True, "unclean_inputs": ["data/x.csv"]},
                "code": {"commit": None, "dirty": None}},
    })
    shown = {r["field"]: r["value"] for r in rows}
    assert shown["study"] == "demo" and shown["matcher"] == "hyperscan"
    assert shown["project commit"] == "abc123" and shown["project dirty"] == "yes: uncommitted changes"
    assert shown["project unclean inputs"] == "data/x.csv"
    assert shown["code commit"] == "unknown (not a git checkout)" and shown["code dirty"] == "unknown"
    assert shown["overrides"] == "case='', corpus='mine.jsonl'"
    clean = {r["field"]: r["value"] for r in provenance_rows({"overrides": [], "git": {"project": {
        "commit": "f00", "dirty": False}}})}
    assert clean["overrides"] == "none" and clean["project dirty"] == "no"


def test_findings_name_the_learned_model_when_it_labelled_the_frames() -> None:
    """A run with frame_model set says 'the model general', not 'the lexicon', where it speaks of the labels."""
    from framing.report.findings import _corrected_sentences, instrument_name
    from framing.scoring import instrument_signature

    signature = instrument_signature(case="baby_p", model="general")
    assert signature.startswith("model general sha256:") and "; frames blame_frames" in signature
    assert instrument_name({"lexicon.instrument": signature}) == "the model general"
    assert instrument_name({"lexicon.instrument": instrument_signature(case="baby_p")}) == "the lexicon"
    corrected = pd.DataFrame({"group": ["all"], "frame": ["systemic"], "corrected_share": [0.5], "ci_low": [0.4],
                              "ci_high": [0.6], "instrument_share": [0.55], "n_coded": [60], "n_sentences": [700]})
    said = _corrected_sentences(corrected, "genre", instrument_name({"lexicon.instrument": signature}))
    assert said[0].startswith("Corrected for the model general's errors on 60 coded of 700 sentences")
    assert "(the model general alone: systemic 55%)" in said[0]


def test_a_findings_header_names_a_case_file_by_its_key_not_its_path(tmp_path: Path) -> None:
    """From the second trial: finding headers showed 'case ../immig.yaml' where captions say 'case immig'."""
    from framing.report.status import instrument_label

    case = tmp_path / "cases" / "my_case.yaml"
    case.parent.mkdir()
    case.write_text('case: immig\nversion: "1"\ndescription: d\nentries:\n'
                    "  - {pattern: home office, actor: government, frame: political}\n", encoding="utf-8")
    label = instrument_label({"rule": "coder", "case": str(case), "frames_lexicon": str(tmp_path / "mine.yaml")})
    assert label == "rule coder, case immig, frames_lexicon mine" and str(tmp_path) not in label


def _model_study(root: Path, *, versus_rule: bool = True) -> Path:
    """The tiny study as the general model labelled it, with notebook 02's model-vs-rule table written by hand."""
    from framing.scoring import instrument_signature

    _study(root)
    report.record_key_results(root, {"instrument": instrument_signature(case="baby_p", model="general"),
                                     "rule": "coder", "labelled_by": "model general"}, prefix="lexicon")
    if versus_rule:  # news: model 50% systemic of 20 sentences, rule 10% systemic, 30% individual
        pd.DataFrame({
            "genre": ["news", "news", EVIL, EVIL, "all", "all"], "frame": ["individual", "systemic"] * 3,
            "n_sentences": [20, 20, 10, 10, 30, 30], "n_labels": [5, 10, 4, 1, 9, 11], "n_rule": [6, 2, 4, 1, 10, 3],
            "share": [0.25, 0.5, 0.4, 0.1, 0.3, 11 / 30], "rule_share": [0.3, 0.1, 0.4, 0.1, 1 / 3, 0.1],
            "agreement": [0.95, 0.6, 1.0, 1.0, 29 / 30, 22 / 30], "kappa": [0.87, 0.2, 1.0, 1.0, 0.92, 0.27],
        }).to_csv(root / "tables" / "frames_model_vs_rule.csv", index=False)
    return root


def test_a_model_runs_frame_finding_names_the_model_its_caution_and_the_rule_beside_it(tmp_path: Path) -> None:
    """Usability trial 13: the general model's shares were labelled 'lexicon' and the rule never mentioned."""
    frames = {f.key: f for f in report.collect_findings(_model_study(tmp_path / "reports"))}["frames"]
    table = frames.table
    assert table is not None
    sources = list(table["source"])
    assert "lexicon" not in sources and sources.count("model general") == 2
    rule = table[table["source"] == "rule coder (same sentences)"].set_index("genre")
    assert rule.loc["news", "individual"] == "30%" and rule.loc["news", "systemic"] == "10%"
    said = " ".join(frames.sentences)
    assert "trained on coverage of public failures only" in said and "far more sentences than the rule" in said
    assert ("The rule (coder), computed on the same sentences, gives the shares individual 33%, systemic 10% "
            "against the model general's individual 30%, systemic 37%; sentence by sentence they give the same "
            "label for individual 97% (kappa 0.92), systemic 73% (kappa 0.27)") in said
    # news leads with systemic by the model (10 sentences) and individual by the rule (6): the finding says so
    assert "The leading frame depends on the instrument in 1 of 2 genres (news: systemic by the model, " \
           "individual by the rule)" in said


def test_a_model_run_without_the_comparison_table_says_where_to_look(tmp_path: Path) -> None:
    frames = {f.key: f for f in report.collect_findings(_model_study(tmp_path / "reports", versus_rule=False))}
    said = " ".join(frames["frames"].sentences)
    assert "How far the model general and the rule (coder) agree on this corpus: rerun notebook 02" in said


def test_a_rule_runs_frame_finding_says_the_learned_alternative_exists(tmp_path: Path) -> None:
    frames = {f.key: f for f in report.collect_findings(_study(tmp_path / "reports"))}["frames"]
    assert frames.table is not None and set(frames.table["source"]) == {"lexicon"}
    said = " ".join(frames.sentences)
    assert "A learned alternative, the general model" in said and "-p frame_model=general" in said


def test_the_index_of_a_run_without_figures_or_frames_loads_no_instrument(tmp_path: Path) -> None:
    """A batch worker's index of a small notebook's run: scikit-learn, scipy and matplotlib stay unimported.

    The findings import the instruments they quote (shares, topics, agreement) and the figure cards the plots
    module only when there is such a table or figure: a second of imports for each batch run otherwise.
    """
    import subprocess
    import sys

    run = tmp_path / "run"
    _executed_notebook(run / "notebooks" / "tiny.ipynb")
    (run / "key_results.json").write_text(json.dumps({"tiny.k_squared": 4}), encoding="utf-8")
    code = ("import sys\nfrom framing.report import build_index\n"
            f"build_index({str(run)!r}, title='one run')\n"
            "print(sorted(m for m in ('sklearn', 'scipy', 'matplotlib', 'framing.topics', 'framing.shares') "
            "if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip() == "[]"
    assert "tiny" in (run / "index.html").read_text(encoding="utf-8")
