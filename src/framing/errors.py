"""One exception hierarchy for the whole package.

Every error raised on purpose by :mod:`framing` is a :class:`FramingError`; its message names the bad
value (file, line, parameter, column) so a user can fix the input without reading a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "BusyError",
    "CaseError",
    "ConfigError",
    "CorpusError",
    "FramingError",
    "FramingWarning",
    "LexiconError",
    "ModelError",
    "NotFittedError",
    "NotebookError",
    "OutputError",
    "ParameterError",
    "PartitionError",
    "RawDataChangedError",
    "ReportError",
    "TopicModelError",
    "ValidationSheetError",
]


class FramingError(Exception):
    """Base class of every error raised on purpose by :mod:`framing`."""


class FramingWarning(UserWarning):
    """Base class of every warning issued on purpose by :mod:`framing` (the work goes on).

    The message names the file or document. ``warnings.filterwarnings("ignore", category=framing.FramingWarning)``
    silences them all. Each module's own classes derive from it (:class:`~framing.rawio.CorpusWarning`,
    :class:`~framing.lexicon.LexiconWarning`, :class:`~framing.resampling.MissingGroupWarning` ...) and stay
    :class:`UserWarning` subclasses, so filters written for them, or for ``UserWarning``, keep working.
    """


class ConfigError(FramingError):
    """A study or batch configuration file is malformed (names the file and key)."""


class ParameterError(FramingError, ValueError):
    """A parameter has an unknown name, a wrong type or an invalid value (names it)."""


class CorpusError(FramingError):
    """A corpus cannot be loaded: missing files, bad metadata, duplicate or unsafe ids (lists them)."""


class PartitionError(CorpusError):
    """A partitioned folder (``data/processed/NAME``) is unfinished: no manifest.json, or parts it does not list."""


class RawDataChangedError(CorpusError):
    """A file under data/raw no longer matches its SHA256SUMS manifest (names the file)."""


class LexiconError(FramingError):
    """A lexicon file is malformed (names file and line) or a lexicon is invalid."""


class CaseError(FramingError):
    """A case file is malformed or invalid (names the file, line and key); see :mod:`framing.cases`."""


class ModelError(FramingError):
    """A saved frame model cannot be used: not a model file, another version, other frames (names file and key)."""


class TopicModelError(FramingError):
    """A topic model cannot be fitted with the given data and parameters."""


class ValidationSheetError(FramingError):
    """A coding sheet for validation is malformed (names file, row and column)."""


class OutputError(FramingError, OSError):
    """An output cannot go where it was asked to (names the path and why).

    Refused before anything is computed: a path that is an input (a corpus file, a coded sheet ...), lies inside an
    input corpus folder, inside ``data/raw`` or inside a folder holding a ``SHA256SUMS`` manifest, or a reports
    folder that is or holds the project's own folders. Raised when writing: a folder where a file is to go, a file
    where a folder is needed, a folder that cannot be created. Also an :class:`OSError`, as the failure it replaces.
    """


class ReportError(FramingError):
    """A report cannot be built or rendered (names the file or the missing tool)."""


class NotebookError(FramingError):
    """A notebook failed during a run (names notebook, cell and error; the executed copy is kept)."""


class BusyError(FramingError):
    """A folder is locked by another run (names the folder and the holder's pid, command and start time)."""


if TYPE_CHECKING:
    class NotFittedError(FramingError, ValueError, AttributeError):
        """An estimator of :mod:`framing` was used before ``fit`` (names the estimator).

        Also a :class:`sklearn.exceptions.NotFittedError`, so ``except NotFittedError`` works with either
        import; the class is built on first use, so importing :mod:`framing.errors` does not import sklearn.
        """


def _not_fitted_error() -> type[FramingError]:
    from sklearn.exceptions import NotFittedError as SklearnNotFittedError

    cls = type("NotFittedError", (FramingError, SklearnNotFittedError), {
        "__module__": __name__,
        "__qualname__": "NotFittedError",
        "__doc__": "An estimator of :mod:`framing` was used before ``fit`` (names the estimator); also a "
                   ":class:`sklearn.exceptions.NotFittedError`.",
    })
    globals()["NotFittedError"] = cls
    return cls


def __getattr__(name: str) -> Any:
    # NotFittedError subclasses sklearn's, which is imported only when the class is first asked for
    if name == "NotFittedError":
        return _not_fitted_error()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
