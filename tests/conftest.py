"""Shared fixtures: the project root, the raw seed corpus, small corpora built on the fly.

A session fixture checks that no test writes into the checkout's ``data/processed/`` (tests write under
``tmp_path``, with ``FRAMING_ROOT`` or ``processed_dir`` pointing there).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from framing.runtime import skip_optional_imports

# as in `framing run` and a batch worker: test modules import nbformat (so jsonschema) when collected, and each
# xdist worker would otherwise build rfc3987_syntax's parsers for nothing (about a second of CPU)
skip_optional_imports()

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
PROCESSED = ROOT / "data" / "processed"


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Files below ``folder`` (relative path -> size, modification time in ns); empty if it is absent."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def changed_files(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    """Paths added, removed or rewritten between two :func:`listing` snapshots."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def pytest_configure(config: pytest.Config) -> None:
    """Know the ``xdist_group`` mark when pytest-xdist is not loaded too (``-p no:xdist`` with --strict-markers)."""
    config.addinivalue_line("markers", "xdist_group(name): tests run on one xdist worker under --dist loadgroup")


def xdist_group_suffix(item: pytest.Item) -> str:
    """``@NAME`` for a test marked ``xdist_group(NAME)``, else ``""``.

    The suffix pytest-xdist gives a test's node id under ``--dist loadgroup`` (its ``remote.py``): the names of
    several marks sorted and joined by ``_``.
    """
    names = {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")}
    return "@" + "_".join(sorted(names)) if names else ""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Give each grouped test its ``@NAME`` node id under ``--dist loadgroup``, so its group runs on one worker.

    pytest-xdist 3.8 does it by assigning ``item._nodeid``; pytest 9.2 derives ``item.nodeid`` from the
    structured ``item._id``, so that assignment is lost and every test of a group was scheduled on its own
    (the module-scoped study of tests/test_study.py ran once per worker, a minute of the suite's time each).
    A version of either that already gave the suffix is left alone.

    The tests marked ``slow`` (notebook runs, batches, mypy: seconds to a minute each) are handed out first, in
    their order, then those of :data:`LONG_UNMARKED` (xdist gives tests to workers in collection order, its groups
    first): the last ones handed out are short, so neither worker idles long while the other finishes one.
    """
    if not config.getoption("loadgroup", default=False):  # set on xdist's workers for --dist loadgroup
        return
    for item in items:
        suffix = xdist_group_suffix(item)
        if suffix and not item.nodeid.endswith(suffix):
            item._id = type(item._id).parse(item.nodeid + suffix)  # type: ignore[attr-defined]
    items.sort(key=_hand_out_rank)  # stable: the order within each rank kept


LONG_UNMARKED = (
    "tests/test_backends.py::test_two_process_dask_cluster_equals_in_process_on_a_generated_corpus",
    "tests/test_topics_streamed.py::test_online_lda_recovers_planted_topics_as_often_as_batch_lda",
    "tests/test_notebooks.py::test_a_run_grouped_by_outlet_titles_its_figures_with_outlet",
    "tests/test_runner.py::test_a_notebook_run_again_leaves_nothing_its_earlier_run_wrote_and_this_one_did_not",
    "tests/test_runner.py::test_terminal_shows_notebook_warnings_and_no_kernel_noise",
    "tests/test_runner.py::test_an_interrupted_notebook_keeps_its_earlier_outputs",
    "tests/test_runner.py::test_a_symlinked_reports_folder_keeps_its_output_manifest_whole",
    "tests/test_validation_own_corpus.py::test_a_given_model_is_in_sample_only_on_a_sheet_it_was_trained_on",
    "tests/test_general_model.py::test_build_general_model_makes_the_shipped_model",
)
"""Tests not marked ``slow`` that took 3 s of CPU or more (kernels and their children included; pytest -n 2
--durations=0 with per-test CPU, 2026-12-01): handed out right after the slow ones, not in the last minute of a
run (test_topics_streamed and test_validation_own_corpus are among the last files collected). A test missing
here only starts later; tests/test_lint.py checks that each name is still a test of its file."""


def _hand_out_rank(item: pytest.Item) -> int:
    """0 for a test marked ``slow``, 1 for one of :data:`LONG_UNMARKED`, 2 for the others."""
    if item.get_closest_marker("slow") is not None:
        return 0
    return 1 if item.nodeid.split("[", 1)[0].removesuffix(xdist_group_suffix(item)) in LONG_UNMARKED else 2


@pytest.fixture(scope="session", autouse=True)
def checkout_data_processed_untouched() -> Iterator[None]:
    """Fail the session if any test wrote into the checkout's data/processed/."""
    before = listing(PROCESSED)
    yield
    changed = changed_files(before, listing(PROCESSED))
    if changed:
        pytest.fail(
            f"tests wrote into the checkout's {PROCESSED}: {changed[:10]}; write under tmp_path "
            "(set FRAMING_ROOT or pass processed_dir)",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def results_cache_off() -> Iterator[None]:
    """Each test starts and ends with :mod:`framing.memo` off (``nbtools.setup`` turns it on for the process)."""
    from framing import memo

    memo.disable()
    yield
    memo.disable()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


@pytest.fixture(scope="session")
def seeds():
    """The seed corpus, processed in memory (no files written)."""
    from framing.corpus import load_corpus, process_corpus

    return process_corpus(load_corpus(RAW, name="seeds"))


MakeFolder = Callable[..., Path]


@pytest.fixture
def make_folder(tmp_path: Path) -> MakeFolder:
    """Build a folder corpus: ``make_folder({"a.txt": "text"}, [{"file": "a.txt", "genre": "news"}])``."""

    def build(files: dict[str, str | bytes], rows: list[dict[str, str]] | None = None, name: str = "corpus") -> Path:
        folder = tmp_path / name
        folder.mkdir()
        for fname, content in files.items():
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            (folder / fname).write_bytes(data)
        if rows is None:
            rows = [{"file": f, "genre": "news"} for f in files]
        if rows:
            with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        return folder

    return build


def seed_sentence_jsonl(path: Path, *, n_docs: int, sizes: tuple[int, int], per_paragraph: int, seed: int,
                        replace: bool = True, genres: tuple[str, ...] = ("news",), year: bool = False) -> Path:
    """Write a JSONL corpus of documents made of the seeds' sentences drawn with a seeded generator.

    Document ``i`` (id ``g000``...) has ``rng.integers(*sizes)`` sentences, ``per_paragraph`` to a paragraph,
    genre ``genres[i % len(genres)]`` and, with ``year``, a ``year`` of 2008 + i % 3.
    """
    import json

    import numpy as np

    from framing.corpus import load_corpus, process_corpus

    sents = process_corpus(load_corpus(RAW)).sentences["text"].tolist()
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_docs):
        picked = rng.choice(len(sents), size=int(rng.integers(*sizes)), replace=replace)
        text = "\n\n".join(" ".join(sents[j] for j in picked[k:k + per_paragraph])
                           for k in range(0, len(picked), per_paragraph))
        row = {"doc_id": f"g{i:03d}", "genre": genres[i % len(genres)], "text": text}
        rows.append(json.dumps(row | ({"year": 2008 + i % 3} if year else {})))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path
