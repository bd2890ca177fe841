"""Tests for framing.types: the typed contracts match the real classes, and the shared constants."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from framing import types
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
