"""Kept for compatibility: the notebook runner's former name.

The papermill runner is :mod:`framing.runner` and the provenance record :mod:`framing.provenance`; this module
re-exports their public names, so ``from framing.pipeline import run_study`` (and every other name it
offered) keeps working. New code imports from :mod:`framing.runner` / :mod:`framing.provenance`.
"""

from __future__ import annotations

from framing.provenance import (
    CORPUS_RESOURCES,
    NOTEBOOK_RESOURCES,
    OUTPUT_PARAMETERS,
    collect_inputs,
    corpus_paths,
    git_state,
    package_versions,
    project_dependencies,
    provenance,
    utc_now,
    verify_corpora,
    write_provenance,
)
from framing.runner import (
    KERNEL_ARGUMENTS,
    NotebookResult,
    ParameterSpec,
    PartialParameterWarning,
    StudyCaseWarning,
    StudyConfig,
    StudyResult,
    check_parameters,
    load_study_config,
    notebook_defaults,
    notebook_parameters,
    run_notebook,
    run_study,
    warn_partial_overrides,
)

__all__ = [
    "CORPUS_RESOURCES",
    "KERNEL_ARGUMENTS",
    "NOTEBOOK_RESOURCES",
    "OUTPUT_PARAMETERS",
    "PROVENANCE_PACKAGES",
    "NotebookResult",
    "ParameterSpec",
    "PartialParameterWarning",
    "StudyCaseWarning",
    "StudyConfig",
    "StudyResult",
    "check_parameters",
    "collect_inputs",
    "corpus_paths",
    "git_state",
    "load_study_config",
    "notebook_defaults",
    "notebook_parameters",
    "package_versions",
    "project_dependencies",
    "provenance",
    "run_notebook",
    "run_study",
    "utc_now",
    "verify_corpora",
    "warn_partial_overrides",
    "write_provenance",
]

PROVENANCE_PACKAGES = (
    "framing", "numpy", "scipy", "pandas", "pyarrow", "scikit-learn", "nltk", "matplotlib", "papermill",
    "nbformat", "nbconvert", "ipykernel", "pyyaml", "pyahocorasick", "vadersentiment", "networkx",
)
"""Kept for compatibility: the packages provenance recorded before the tenth session. It now records framing's
declared dependencies as installed (:func:`framing.provenance.package_versions`)."""
