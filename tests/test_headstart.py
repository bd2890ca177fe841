"""Tests for framing.headstart: later notebooks' costliest results computed ahead, found by the notebook's call."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import RAW, ROOT

from framing import headstart, memo, nbtools, topics
from framing.runner import load_study_config, notebook_defaults, notebook_parameters


def _notebook_params(name: str) -> dict[str, object]:
    """The parameters ``framing run`` gives notebook ``name`` of the study (defaults, config, its own)."""
    cfg = load_study_config(root=ROOT)
    (path, own), = [(nb, p) for nb, p in cfg.notebooks if nb.name == name]
    declared = notebook_parameters(path)
    params = {k: v for k, v in cfg.parameters.items() if k in declared} | own
    return notebook_defaults(declared) | params | {"corpus": str(RAW)}


def test_start_does_nothing_for_notebooks_it_does_not_know(tmp_path: Path) -> None:
    assert headstart.start([(tmp_path / "mine.ipynb", {"seed": 1})], tmp_path) is None
    headstart.stop(None)  # and stopping nothing is fine


def test_the_head_start_process_is_stopped_with_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))
    proc = headstart.start([(Path("06_validation.ipynb"), {"coded": []})], tmp_path)
    assert proc is not None
    headstart.stop(proc)
    assert proc.returncode is not None  # ended (finished, or killed by stop)


def test_a_head_start_that_cannot_be_started_leaves_the_notebooks_to_compute(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    def no_process(*_args: object, **_kwargs: object) -> None:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # EAGAIN: no process to spare

    monkeypatch.setattr(subprocess, "Popen", no_process)
    assert headstart.start([(Path("06_validation.ipynb"), {"coded": []})], tmp_path) is None


def test_warmed_topic_refits_are_what_the_notebooks_calls_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))
    params = _notebook_params("03_topic_models.ipynb")
    folder = nbtools.enable_cache()
    assert folder == tmp_path / "data" / "processed" / "cache"
    headstart.warm_topics(params)
    kept = sorted(p.name for p in folder.glob("*.pickle"))
    assert any(n.startswith("choose_k-") for n in kept) and any(n.startswith("stability_by_k-") for n in kept)
    # notebook 03's cells, as written there: they find every entry (no new one) ...
    ctx = nbtools.setup(dict(params), style=False, quiet=True)
    p = params
    texts = topics.topic_units(ctx.processed, p["unit"])["text"].tolist()
    template = topics.TopicModel(model=p["model"], min_df=p["min_df"], random_state=p["seed"])
    k_values = range(p["k_min"], p["k_max"] + 1)
    selection = topics.choose_k(texts, k_values, estimator=template, n_top=p["n_top_terms"], random_state=p["seed"])
    by_k = topics.stability_by_k(texts, k_values, template, p["seeds"], threshold=p["stability_threshold"])
    assert sorted(p.name for p in folder.glob("*.pickle")) == kept
    # ... and what they load is what computing gives
    memo.disable()
    fresh = topics.choose_k(texts, k_values, estimator=template, n_top=p["n_top_terms"], random_state=p["seed"])
    fresh_by_k = topics.stability_by_k(texts, k_values, template, p["seeds"], threshold=p["stability_threshold"])
    pd.testing.assert_frame_equal(selection.table, fresh.table)
    assert selection.best_k == fresh.best_k
    pd.testing.assert_frame_equal(by_k, fresh_by_k)
