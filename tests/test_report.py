"""Tests for framing.report: the HTML index, notebook rendering, key results, screenshots."""

from __future__ import annotations

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
ESCAPED = "&lt;script&gt;alert(&#x27;corpus&#x27;)&lt;/script&gt;"
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
