"""framing: computational framing analysis with lexicons, topic models and reproducible notebooks.

The public API is listed in ``__all__``; names are imported lazily so that ``framing --help`` and
``import framing`` stay fast and a missing optional piece never breaks the rest.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # errors
    "FramingError": "framing.errors",
    "FramingWarning": "framing.errors",
    "ConfigError": "framing.errors",
    "CorpusError": "framing.errors",
    "LexiconError": "framing.errors",
    "ModelError": "framing.errors",
    "NotebookError": "framing.errors",
    "NotFittedError": "framing.errors",
    "ParameterError": "framing.errors",
    "RawDataChangedError": "framing.errors",
    "TopicModelError": "framing.errors",
    "ValidationSheetError": "framing.errors",
    # corpus
    "Corpus": "framing.corpus",
    "ProcessedCorpus": "framing.corpus",
    "load_corpus": "framing.corpus",
    "process_corpus": "framing.corpus",
    "prepare_corpus": "framing.corpus",
    "verify_manifest": "framing.corpus",
    # lexicons and scoring
    "Lexicon": "framing.lexicon",
    "load_lexicon": "framing.lexicon",
    "save_lexicon": "framing.lexicon",
    "check_lexicon": "framing.lexicon",
    "list_lexicons": "framing.lexicon",
    "count_matrix": "framing.match",
    "match_sentences": "framing.match",
    "match_texts": "framing.match",
    "LexiconVectorizer": "framing.scoring",
    "bootstrap_shares": "framing.scoring",
    "document_scores": "framing.scoring",
    "frame_table": "framing.scoring",
    "group_scores": "framing.scoring",
    "kwic": "framing.scoring",
    "lexicon_hits": "framing.scoring",
    "top_terms": "framing.scoring",
    "draft_case": "framing.case_draft",
    "write_case_draft": "framing.case_draft",
    "load_case": "framing.cases",
    "FrameClassifier": "framing.classifier",
    "label_frames": "framing.classifier",
    "load_model": "framing.classifier",
    "save_model": "framing.classifier",
    # attribution and comparison
    "blame_attribution": "framing.attribution",
    "blame_avoidance": "framing.attribution",
    "sentence_voice": "framing.attribution",
    "keyness": "framing.compare",
    "frame_share_intervals": "framing.compare",
    # topic models
    "SeededTopicModel": "framing.topics",
    "TopicModel": "framing.topics",
    "choose_k": "framing.topics",
    "fit_topics": "framing.topics",
    "topic_stability": "framing.topics",
    # agreement with coders (framing.agreement, the subpackage; its function agreement is framing.agreement.agreement)
    "krippendorff_alpha": "framing.agreement",
    "make_coding_sheet": "framing.agreement",
    "read_coding_sheets": "framing.agreement",
    "validate_lexicon": "framing.agreement",
    # the notebook runner, batch runs and reports
    "ReportError": "framing.errors",
    "build_index": "framing.report",
    "run_batch": "framing.batch",
    "run_notebook": "framing.runner",
    "run_study": "framing.runner",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'framing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
