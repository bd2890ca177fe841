"""Agreement of frames with human codes: coding sheets, agreement, error analysis, the development set.

Named for what it measures: agreement with coders, not input validation (``framing.validate``, the former
name, stays importable as an alias; the command is still ``framing validate``).

The workflow has three steps.

1. **Coding sheet.** :func:`make_coding_sheet` draws a stratified random sample of content sentences and
   lays it out for human coders (:data:`SHEET_COLUMNS`): ids and character offsets, the genre, the
   sentence with one sentence of context on each side, one empty 0/1 column per frame, ``coder`` and
   ``notes``. The sheet never shows lexicon output, so coding is blind to the lexicon.
   :func:`write_coding_sheet` writes it as CSV through :mod:`framing.io`.
2. **Import.** :func:`read_coding_sheet` / :func:`read_coding_sheets` read coded sheets back and check
   them: required columns, codes in {0, 1}, integer ``sent_id``, known ``doc_id``/``sent_id`` (and
   matching offsets and text) against a corpus, no duplicate (coder, unit). Each problem is reported
   with :class:`framing.errors.ValidationSheetError` naming the file, the 1-based line of the CSV and the
   column. A blank code is an error unless the row's ``notes`` says ``not coded`` (then the blank
   cells of that row are missing values).
3. **Agreement.** :func:`agreement` compares lexicon predictions with the human codes: precision,
   recall and F1 per frame (with micro and macro averages and optional seeded bootstrap intervals),
   a 2x2 confusion table per frame, the misclassified units with their text, and Krippendorff's alpha
   (:func:`krippendorff_alpha`) between coders and between lexicon and coders.
   :func:`validate_lexicon` runs the lexicon on a corpus (:func:`framing.scoring.frame_table`) and
   calls :func:`agreement`; :func:`write_validation_report` writes the four tables.

The same functions work at document level (``unit_cols=("doc_id",)``): :func:`document_predictions`
aggregates sentence-level frames to documents with a threshold and :func:`parse_binary_codes` reads
True/False hand codes from a metadata table (for example the Narrative Frames Corpus), reporting
malformed cells instead of failing.

The package is split by job: ``_sheets`` (coding sheets), ``_metrics`` (alpha, P/R/F1, bootstrap),
``_documents`` (document level), ``_devset`` (:func:`load_devset`: a coded development set in another corpus),
``_instrument`` (:func:`instrument_validity`: rule and learned classifier, leave-one-document-out and the
development set; :func:`train_frame_model`), ``_general`` (:func:`build_general_model`: the shipped general
model, and :func:`source_lodo_figures`: its selection by leave-one-source-out); this module re-exports their
public names.
"""

from __future__ import annotations

from framing.agreement._devset import (
    DEVSET_CORPUS,
    HELD_OUT_MACRO_F1,
    HELDOUT_GLOB,
    READ_SOURCE,
    SEALED_HELDOUT,
    Devset,
    default_devset_path,
    default_heldout_paths,
    default_texts_path,
    held_articles_note,
    holding_documents,
    load_devset,
    load_heldout,
    model_source,
    model_training_documents,
    read_set_documents,
    shared_articles,
    without_corpus_articles,
)
from framing.agreement._documents import document_predictions, parse_binary_codes, threshold_curve
from framing.agreement._general import (
    GENERAL_CASE,
    GENERAL_HELDOUT,
    GENERAL_PARAMS,
    GENERAL_SHEETS,
    GENERAL_TRAINING,
    build_general_model,
    general_training_data,
    paired_difference,
    seeds_lodo_figures,
    source_lodo_figures,
)
from framing.agreement._instrument import (
    METHODS,
    METRIC_COLUMNS,
    InSampleWarning,
    InstrumentValidity,
    TrainResult,
    coded_labels,
    instrument_validity,
    macro_f1_summary,
    model_training_overlap,
    sheets_in_training,
    train_frame_model,
    training_digests,
    training_provenance,
)
from framing.agreement._metrics import (
    FEW_DOCUMENTS_PATTERN,
    MIN_CODED_POSITIVES,
    NO_TP_INTERVAL_NOTE,
    AlphaLevel,
    FewPositivesWarning,
    ValidationReport,
    agreement,
    coded_positives,
    coded_sources,
    coder_matrix,
    few_documents_note,
    krippendorff_alpha,
    main_reference,
    reference_name,
    validate_lexicon,
    warn_few_positives,
    write_validation_report,
)
from framing.agreement._sheets import (
    NOT_CODED,
    SHEET_COLUMNS,
    VALIDATION_SET_COLUMNS,
    allocate_sample,
    make_coding_sheet,
    read_coding_sheet,
    read_coding_sheets,
    sheets_for_corpus,
    write_coding_sheet,
)
from framing.agreement._summaries import (
    NARRATIVE_FRAMES_CODES,
    STUDY_CORPUS_NAME,
    case_label,
    coded_scope,
    coded_sentences_words,
    f1_lines,
    frame_prevalence,
    frame_verdicts,
    held_out_verdict,
    instrument_summary_caption,
    model_in_sample_reason,
    sealed_comparison,
    shipped_coders,
    validation_metrics_caption,
)

__all__ = [
    "DEVSET_CORPUS",
    "FEW_DOCUMENTS_PATTERN",
    "GENERAL_CASE",
    "GENERAL_HELDOUT",
    "GENERAL_PARAMS",
    "GENERAL_SHEETS",
    "GENERAL_TRAINING",
    "HELDOUT_GLOB",
    "HELD_OUT_MACRO_F1",
    "METHODS",
    "METRIC_COLUMNS",
    "MIN_CODED_POSITIVES",
    "NARRATIVE_FRAMES_CODES",
    "NOT_CODED",
    "NO_TP_INTERVAL_NOTE",
    "READ_SOURCE",
    "SEALED_HELDOUT",
    "SHEET_COLUMNS",
    "STUDY_CORPUS_NAME",
    "VALIDATION_SET_COLUMNS",
    "AlphaLevel",
    "Devset",
    "FewPositivesWarning",
    "InSampleWarning",
    "InstrumentValidity",
    "TrainResult",
    "ValidationReport",
    "agreement",
    "allocate_sample",
    "build_general_model",
    "case_label",
    "coded_labels",
    "coded_positives",
    "coded_scope",
    "coded_sentences_words",
    "coded_sources",
    "coder_matrix",
    "default_devset_path",
    "default_heldout_paths",
    "default_texts_path",
    "document_predictions",
    "f1_lines",
    "few_documents_note",
    "frame_prevalence",
    "frame_verdicts",
    "general_training_data",
    "held_articles_note",
    "held_out_verdict",
    "holding_documents",
    "instrument_summary_caption",
    "instrument_validity",
    "krippendorff_alpha",
    "load_devset",
    "load_heldout",
    "macro_f1_summary",
    "main_reference",
    "make_coding_sheet",
    "model_in_sample_reason",
    "model_source",
    "model_training_documents",
    "model_training_overlap",
    "paired_difference",
    "parse_binary_codes",
    "read_coding_sheet",
    "read_coding_sheets",
    "read_set_documents",
    "reference_name",
    "sealed_comparison",
    "seeds_lodo_figures",
    "shared_articles",
    "sheets_for_corpus",
    "sheets_in_training",
    "shipped_coders",
    "source_lodo_figures",
    "threshold_curve",
    "train_frame_model",
    "training_digests",
    "training_provenance",
    "validate_lexicon",
    "validation_metrics_caption",
    "warn_few_positives",
    "without_corpus_articles",
    "write_coding_sheet",
    "write_validation_report",
]
