"""Notebook 06 on a machine without ../shared: which validation sets are not scored, and why (loudly)."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from framing import nbtools, sections
from framing.runtime import notebook_warnings


def _layout(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    """A project folder with its own held-out sets, beside no ``shared`` folder; the notebook's default paths."""
    root = tmp_path / "project"
    for name in ("heldout-bbc-1", "heldout-bbc-2"):
        (root / "data" / "validation" / name).mkdir(parents=True)
        (root / "data" / "validation" / name / "coded.jsonl").write_text("{}\n", encoding="utf-8")
    shared = root / ".." / "shared"
    params: dict[str, object] = {
        "devset": shared / "devsets" / "public-failures" / "coded.jsonl",
        "devset_texts": shared / "corpora" / "bbc-news-2004-2005.jsonl.gz",
        "heldout": [root / "data" / "validation" / f"heldout-bbc-{i}" / "coded.jsonl" for i in (1, 2, 3)],
        "nfc_path": shared / "corpora" / "narrative-frames" / "articles_metadata.tsv.gz",
    }
    return root, params


def test_without_shared_every_set_is_named_with_the_missing_path(tmp_path: Path) -> None:
    root, params = _layout(tmp_path)
    assert not (tmp_path / "shared").exists()
    said = sections.unscored_validation_sets(**params, root=root)  # type: ignore[arg-type]
    assert said == [
        "the development set: devset ../shared/devsets/public-failures/coded.jsonl not found",
        "held-out set heldout-bbc-3: heldout data/validation/heldout-bbc-3/coded.jsonl not found",
        "held-out sets heldout-bbc-1, heldout-bbc-2: devset_texts ../shared/corpora/bbc-news-2004-2005.jsonl.gz "
        "not found (the texts their coded units point into)",
        "the Narrative Frames Corpus check: nfc_path ../shared/corpora/narrative-frames/articles_metadata.tsv.gz "
        "not found",
    ]


def test_with_shared_nothing_is_said(tmp_path: Path) -> None:
    root, params = _layout(tmp_path)
    for key in ("devset", "devset_texts", "nfc_path"):
        Path(params[key]).parent.mkdir(parents=True, exist_ok=True)  # type: ignore[arg-type]
        Path(params[key]).write_text("x", encoding="utf-8")  # type: ignore[arg-type]
    params["heldout"] = list(params["heldout"])[:2]  # type: ignore[call-overload]
    assert sections.unscored_validation_sets(**params, root=root) == []  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sections.warn_unscored([])  # nothing to say: no warning


def test_the_warning_is_printed_so_that_a_run_keeps_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """As notebook 06 calls it: inside printed_warnings, whose line framing run reads back into provenance.json."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    root, params = _layout(tmp_path)
    unscored = sections.unscored_validation_sets(**params, root=root)  # type: ignore[arg-type]
    with nbtools.printed_warnings():
        sections.warn_unscored(unscored)
    out = capsys.readouterr().out
    assert out.startswith("warning (ValidationSetMissingWarning): validation sets not scored: the development set")
    assert "../shared, the shared folder beside the project" in out and out.count("\n") == 1
    cell = new_code_cell("...", outputs=[new_output("stream", name="stdout", text=out)])
    executed = tmp_path / "06.ipynb"
    nbformat.write(new_notebook(cells=[cell]), executed)
    kept = notebook_warnings(executed)
    assert len(kept) == 1 and kept[0].startswith("ValidationSetMissingWarning: validation sets not scored")
    assert "nfc_path ../shared/corpora/narrative-frames/articles_metadata.tsv.gz not found" in kept[0]


def test_notebook_06_warns_about_the_sets_it_did_not_score() -> None:
    """The notebook calls the check inside printed_warnings and records it for the findings (key result)."""
    import json
    import re

    nb = json.loads((Path(__file__).resolve().parents[1] / "notebooks" / "06_validation.ipynb").read_text())
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    cell = next(c for c in code if "unscored_validation_sets" in c)
    assert re.search(r"with nbtools\.printed_warnings\(\):[^\n]*\n\s+sections\.warn_unscored\(unscored\)", cell)
    assert '{"not_scored": unscored}' in cell
