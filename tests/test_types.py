"""Tests for framing.types: the typed contracts match the real classes, and the shared constants."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from framing import types
from framing.errors import ParameterError
from framing.types import (
    DEFAULT_CUES_LEXICON,
    DEFAULT_FRAMES_LEXICON,
    DEFAULT_SEED,
    LexiconLike,
    ProcessedCorpusLike,
)


def test_the_processed_corpus_satisfies_the_contract(seeds) -> None:
    assert isinstance(seeds, ProcessedCorpusLike)
    empty = pd.DataFrame()
    stand_in = SimpleNamespace(name="x", documents=empty, paragraphs=empty, sentences=empty, removed_spans=empty)
    assert isinstance(stand_in, ProcessedCorpusLike)
    assert not isinstance(SimpleNamespace(name="x", documents=empty), ProcessedCorpusLike)  # tables missing


def test_the_shipped_lexicons_satisfy_the_contract_and_the_defaults_name_them() -> None:
    from framing.lexicon import list_lexicons, load_lexicon

    frames = load_lexicon(DEFAULT_FRAMES_LEXICON)
    assert isinstance(frames, LexiconLike)
    assert set(frames.categories) == set(types.FRAMES)
    assert {DEFAULT_FRAMES_LEXICON, DEFAULT_CUES_LEXICON} <= set(list_lexicons())
    assert isinstance(load_lexicon(DEFAULT_CUES_LEXICON), LexiconLike)


def test_the_default_seed_is_the_studys() -> None:
    assert (DEFAULT_FRAMES_LEXICON, DEFAULT_CUES_LEXICON, DEFAULT_SEED) == ("blame_frames", "blame_cues", 20081201)
    assert set(types.__all__) >= {"DEFAULT_SEED", "ProcessedCorpusLike", "LexiconLike", "SeedTerms", "LexiconSpec"}


def test_the_actor_lexicon_default_is_shipped() -> None:
    from framing.lexicon import list_lexicons

    assert types.DEFAULT_ACTORS_LEXICON == "actors" and "actors" in list_lexicons()


TYPED_PARAMETERS = {"corpus", "corpus_or_documents", "lexicon", "cues", "frames_lexicon", "cues_lexicon",
                    "actors_lexicon", "case"}


def _public_callables() -> list[tuple[str, object]]:
    import importlib
    import inspect
    import pkgutil

    import framing

    found = []
    for info in pkgutil.walk_packages(framing.__path__, "framing."):
        if info.name.rsplit(".", 1)[-1].startswith("_") and not info.ispkg:
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", "").split(".")[0] != "framing":
                continue
            if inspect.isclass(obj):
                found.append((f"{obj.__module__}.{name}.__init__", obj.__init__))
            elif inspect.isfunction(obj):
                found.append((f"{obj.__module__}.{name}", obj))
    return found


def test_no_public_function_takes_a_corpus_lexicon_or_case_as_any() -> None:
    import inspect

    untyped = []
    for qualname, func in _public_callables():
        try:
            params = inspect.signature(func).parameters  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        for p in params.values():
            annotation = p.annotation if isinstance(p.annotation, str) else getattr(p.annotation, "__name__", "")
            if p.name in TYPED_PARAMETERS and (annotation == "Any" or annotation.startswith("Any ")
                                               or annotation == inspect.Parameter.empty):
                untyped.append(f"{qualname}({p.name}: {annotation})")
    assert not untyped, untyped


def test_the_grouping_is_named_after_genre_col() -> None:
    assert [types.group_label(c) for c in ("outlet", "period", "genre", "", "  ", None)] == [
        "outlet", "period", "genre", "genre", "genre", "genre"]
    assert types.group_label() == types.GROUP_LABEL == "genre"
    # the display label (notebooks' genre_label) wins over the column's name; empty, the column's name is said
    assert types.group_label("mbfc", "outlet bias rating") == "outlet bias rating"
    assert [types.group_label("mbfc", x) for x in ("", "  ", None)] == ["mbfc"] * 3
    assert types.group_label("genre", "source type") == "source type"
    assert [types.plural(w) for w in ("genre", "outlet", "category", "day", "class", "speech")] == [
        "genres", "outlets", "categories", "days", "classes", "speeches"]
    assert [types.with_article(w) for w in ("outlet", "period", "Outlet", "genre")] == [
        "an outlet", "a period", "an Outlet", "a genre"]


@pytest.mark.parametrize("func", ["blame_attribution", "sentence_voice", "blame_avoidance"])
def test_a_function_of_a_processed_corpus_given_a_sentences_table_says_what_it_needs(func: str) -> None:
    import framing

    sentences = pd.DataFrame({"doc_id": ["a"], "sent_id": [0], "start": [0], "end": [9], "text": ["He failed."]})
    with pytest.raises(ParameterError, match=rf"^{func} needs a ProcessedCorpus \(from framing.process_corpus or "
                                             r"framing.prepare_corpus\) with its documents, paragraphs and sentences "
                                             r"tables; got a DataFrame$"):
        getattr(framing, func)(sentences)
    with pytest.raises(ParameterError, match=r"kwic needs a ProcessedCorpus .* documents table; got a DataFrame$"):
        framing.kwic(pd.DataFrame(columns=["doc_id", "start", "end"]), sentences)
    half = SimpleNamespace(documents=pd.DataFrame(), sentences=sentences)
    with pytest.raises(ParameterError, match=r"got a SimpleNamespace without paragraphs$"):
        getattr(framing, func)(half)


def test_natural_key_orders_numbered_sets_as_numbers() -> None:
    """Held-out set 11 came after set 7 in every table only by luck of the alphabet (bbc-11 < bbc-2 as text)."""
    from framing.types import natural_key

    names = ["bbc-11", "bbc-2", "bbc-1", "bbc-7", "training-bbc-10", "training-bbc-9"]
    assert sorted(names, key=natural_key) == ["bbc-1", "bbc-2", "bbc-7", "bbc-11", "training-bbc-9",
                                              "training-bbc-10"]


def test_the_general_models_sealed_table_lists_the_sets_in_natural_order(monkeypatch: pytest.MonkeyPatch) -> None:
    import framing.model_files
    from framing.sections import general_model_sealed

    header = {"sets": {"bbc-11": {"classifier": 0.3, "rule": 0.4}, "bbc-2": {"classifier": 0.5, "rule": 0.4}},
              "mean_macro_f1": {"classifier": 0.4, "rule": 0.4}}
    monkeypatch.setattr(framing.model_files, "shipped_sealed", lambda name: header)
    table = general_model_sealed()
    assert table is not None and list(table["set"]) == ["bbc-2", "bbc-11", "mean"]
    assert list(table["difference"]) == [0.1, -0.1, 0.0]
