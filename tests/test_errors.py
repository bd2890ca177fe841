"""Tests for framing.errors: one not-fitted error for every estimator of the package; paths in messages."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError as SklearnNotFittedError

import framing
from framing.errors import FramingError, NotFittedError

SENTS = pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "start": [0], "end": [18], "text": ["The council failed."]})


def _unfitted_uses() -> dict[str, Callable[[], object]]:
    from framing.classifier import FrameClassifier
    from framing.scoring import LexiconVectorizer
    from framing.topics import SeededTopicModel, TopicModel

    return {
        "LexiconVectorizer": lambda: LexiconVectorizer().transform(["The council failed."]),
        "LexiconVectorizer.get_feature_names_out": lambda: LexiconVectorizer().get_feature_names_out(),
        "FrameClassifier": lambda: FrameClassifier().predict(SENTS),
        "TopicModel": lambda: TopicModel(3).transform(["a b c"]),
        "SeededTopicModel": lambda: SeededTopicModel().transform(["a b c"]),
    }


@pytest.mark.parametrize("use", sorted(_unfitted_uses()))
def test_not_fitted_is_both_a_framing_and_a_sklearn_error(use: str) -> None:
    with pytest.raises(NotFittedError) as err:
        _unfitted_uses()[use]()
    assert isinstance(err.value, FramingError)
    assert isinstance(err.value, SklearnNotFittedError)
    assert isinstance(err.value, ValueError) and isinstance(err.value, AttributeError)
    assert use.split(".")[0] in str(err.value) and "fit" in str(err.value)


def test_not_fitted_error_is_one_class_exported_from_framing() -> None:
    import pickle

    assert framing.NotFittedError is NotFittedError
    assert issubclass(NotFittedError, FramingError) and issubclass(NotFittedError, SklearnNotFittedError)
    assert type(pickle.loads(pickle.dumps(NotFittedError("x")))) is NotFittedError


def test_importing_errors_does_not_import_sklearn() -> None:
    code = "import sys, framing.errors; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_evidence_and_case_functions_are_exported_from_framing() -> None:
    from framing.cases import load_case
    from framing.scoring import kwic, lexicon_hits, top_terms

    assert {"lexicon_hits", "kwic", "top_terms", "load_case", "NotFittedError"} <= set(framing.__all__)
    assert (framing.lexicon_hits, framing.kwic, framing.top_terms, framing.load_case) == (
        lexicon_hits, kwic, top_terms, load_case)


def test_messages_of_errors_and_warnings_show_paths_normalised(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import pickle
    import warnings

    from framing.errors import CorpusError, FramingWarning, OutputError, ParameterError, normalized_paths
    from framing.rawio import CorpusWarning

    # by hand: "main/.." and "data/.." cancel where main and data are folders, "./" inside a path goes; a leading
    # "../", a URL, a word that is no path here (a regex, an excerpt, a ratio) and a path through a symbolic link
    # that ".." would leave stay as written (the review: lexical normalising named another file, rewrote regexes)
    (tmp_path / "main").mkdir()
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "real" / "sub")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    x = str(tmp_path)
    text = (f"{x}/main/../shared/devsets/coded.jsonl:3: bad; see data/../y.csv, data/./z.csv, 'a/./b' and "
            f"../shared/c (http://h/a/../b) ...said; {x}/link/../f.csv; regex ^foo/../bar$; ratio 3/.. not")
    want = (f"{x}/shared/devsets/coded.jsonl:3: bad; see y.csv, data/z.csv, 'a/./b' and ../shared/c "
            f"(http://h/a/../b) ...said; {x}/link/../f.csv; regex ^foo/../bar$; ratio 3/.. not")
    assert normalized_paths(text) == want
    long = "a" + "/." * 40000  # a long word: looked at once, no backtracking
    assert normalized_paths(long) == long
    for cls in (CorpusError, ParameterError, OutputError):
        err = cls(text)
        assert str(err) == want and isinstance(err, CorpusError | ParameterError | OutputError)
        assert str(pickle.loads(pickle.dumps(err))) == want  # a worker's error reaches the parent the same
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn(text, CorpusWarning, stacklevel=1)
        warnings.warn(text, FramingWarning, stacklevel=1)
    assert [str(w.message) for w in caught] == [want, want]
    # what the CLI prints for a corpus path written through ".."
    from framing.cli import main

    (tmp_path / "study").mkdir()  # a checkout beside ../shared
    missing = tmp_path / "study" / ".." / "shared" / "nope.jsonl"
    assert main(["frames", str(missing), "--out", str(tmp_path / "f.csv")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path}/shared/nope.jsonl: corpus not found" in err and "/../" not in err
