"""Tests for the run's parameter checks (framing._runner_params): the study's case on another corpus, a
wrong case caught before any notebook runs, the corpus named after its path, the shared vocabulary."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from framing.errors import ParameterError
from framing.nbtools import write_notebook
from framing.runner import PartialParameterWarning, StudyCaseWarning, run_study, warn_partial_overrides

SCORING = '''
corpus: str = "data/raw"  # corpus
corpus_name: str = "seeds"  # its name
case: str = "baby_p"  # case file
reports_dir: str = "reports"  # output folder
'''
DESCRIBING = '''
corpus: str = "data/raw"  # corpus
corpus_name: str = "seeds"  # its name
reports_dir: str = "reports"  # output folder
'''
BODY = '''
import json, warnings
from pathlib import Path
Path(reports_dir).mkdir(parents=True, exist_ok=True)
(Path(reports_dir) / "seen.json").write_text(json.dumps({"corpus_name": corpus_name, "case": case}))
print("warning (UnclosedQuotationWarning): document 'd1': quotation opened at offset 7 never closes")
'''


@pytest.fixture
def study(tmp_path: Path) -> Path:
    write_notebook(tmp_path / "scoring.ipynb", [("parameters", SCORING), ("code", BODY)])
    write_notebook(tmp_path / "describing.ipynb", [("parameters", DESCRIBING), ("code", "x = 1")])
    (tmp_path / "config").mkdir()
    cfg = tmp_path / "config" / "study.yaml"
    cfg.write_text("name: t\nparameters:\n  corpus: data/raw\n  corpus_name: seeds\n  case: baby_p\n"
                   "  reports_dir: reports\nnotebooks:\n  - path: describing.ipynb\n  - path: scoring.ipynb\n",
                   encoding="utf-8")
    return cfg


def test_the_studys_case_on_another_corpus_is_a_warning_recorded_in_provenance(study: Path, tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run_study(study, {"corpus": "../mine/immig.jsonl"}, root=tmp_path, progress=False)
    case_warnings = [str(w.message) for w in caught if w.category is StudyCaseWarning]
    assert len(case_warnings) == 1
    assert "the study's case 'baby_p' (case: in config/study.yaml) is applied to corpus '../mine/immig.jsonl'" \
        in case_warnings[0] and "-p case=FILE" in case_warnings[0] and "-p case= " in case_warnings[0]
    # 'case' and 'corpus' are the study's shared vocabulary: no "declared by ... only" for them
    assert not [w for w in caught if w.category is PartialParameterWarning]
    prov = json.loads((tmp_path / "reports" / "provenance.json").read_text(encoding="utf-8"))
    # the run's own warning first, then the one the notebook's cell caught and printed on stdout
    assert prov["warnings"] == [
        f"StudyCaseWarning: {case_warnings[0]}",
        "scoring: UnclosedQuotationWarning: document 'd1': quotation opened at offset 7 never closes"]
    assert result.warnings == prov["warnings"]
    # corpus given, corpus_name not: named after the corpus file, never the study's 'seeds'
    seen = json.loads((tmp_path / "reports" / "seen.json").read_text(encoding="utf-8"))
    assert seen == {"corpus_name": "immig", "case": "baby_p"}


def test_no_warning_without_a_case_or_on_the_studys_own_corpus(study: Path, tmp_path: Path) -> None:
    for overrides in ({"corpus": "../mine/txt/", "case": ""}, {"corpus": "./data/raw"}):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            run_study(study, overrides, root=tmp_path, progress=False, notebooks=["scoring"])
        assert not [w for w in caught if w.category is StudyCaseWarning], overrides
    seen = json.loads((tmp_path / "reports" / "seen.json").read_text(encoding="utf-8"))
    assert seen["corpus_name"] == "seeds"  # ./data/raw is the study's own corpus: it keeps the study's name


def test_a_wrong_case_is_refused_before_any_notebook_runs(study: Path, tmp_path: Path) -> None:
    with pytest.raises(ParameterError) as info:
        run_study(study, {"case": "immigration"}, root=tmp_path, progress=False)
    msg = str(info.value)
    assert msg.startswith("parameter 'case' (scoring): no case 'immigration'") and "known cases: baby_p" in msg
    assert not (tmp_path / "reports" / "notebooks").exists()
    bad = tmp_path / "dup.yaml"
    bad.write_text("case: d\nentries:\n  - {pattern: ed balls, actor: government, frame: political}\n"
                   "  - {pattern: Ed Balls, actor: council, frame: systemic}\n", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"(?s)parameter 'case' \(scoring\): .*dup\.yaml:4: error: \[duplicate\]"):
        run_study(study, {"case": "dup.yaml"}, root=tmp_path, progress=False)  # relative to the project root
    assert not (tmp_path / "reports" / "notebooks").exists()


def test_shared_names_are_not_called_partial_overrides() -> None:
    specs = {Path("01_corpus.ipynb"): {"corpus": 1}, Path("02_lexicon_framing.ipynb"): {"corpus": 1, "case": 1,
                                                                                       "n_terms": 1}}
    with pytest.warns(PartialParameterWarning) as caught:
        messages = warn_partial_overrides(specs, ["case", "n_terms"], shared={"corpus": "data/raw", "case": "baby_p"})
    assert messages == ["parameter 'n_terms' is declared by 02_lexicon_framing only; 01_corpus do(es) not use it"]
    assert len(caught) == 1


def test_the_study_is_named_as_a_config_with_overrides_when_the_corpus_is_another(tmp_path: Path) -> None:
    from framing._runner_params import study_label

    study = {"corpus": "data/raw", "case": "baby_p"}
    # the study's own corpus (given again, another spelling of the same path): the study's name
    own = study_label("baby-p-blame-framing", "config/study.yaml", True, study, {"corpus": "./data/raw"}, tmp_path)
    assert own == {"study": "baby-p-blame-framing", "study_config": {"name": "baby-p-blame-framing",
                                                                     "path": "config/study.yaml"},
                   "corpus": "./data/raw", "overrides": ["corpus"]}
    assert study_label("baby-p-blame-framing", "config/study.yaml", True, study, {}, tmp_path)["corpus"] == "data/raw"
    other = study_label("baby-p-blame-framing", "config/study.yaml", True, study,
                        {"corpus": "../h.csv", "genre_col": "outlet", "reports_dir": "r"}, tmp_path)
    assert other["study"] == "shipped study config (baby-p-blame-framing) with overrides: corpus, genre_col"
    assert other["corpus"] == "../h.csv" and other["overrides"] == ["corpus", "genre_col"]
    mine = study_label("horizon", "../h.yaml", False, study, {"corpus": "../h2.csv"}, tmp_path)
    assert mine["study"] == "horizon with overrides: corpus"
