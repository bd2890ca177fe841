"""One exception hierarchy for the whole package.

Every error raised on purpose by :mod:`framing` is a :class:`FramingError`; its message names the bad
value (file, line, parameter, column) so a user can fix the input without reading a traceback.
"""

from __future__ import annotations

import os
import re
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
    "normalized_paths",
    "tidy_path",
]

# what ends a path-like word of a message: a blank, a quote, a bracket or a list separator (a file name is rarely
# written with them); the message is split on them once (linear), and each word holding "/." is looked at alone
_WORD_END = re.compile(r"([\s'\"`()\[\]{}<>,;|]+)")


def tidy_path(word: str) -> str:
    """Return ``word`` normalised (:func:`os.path.normpath`) when it is a path of this machine that names the same file.

    Only what normalising shortens (``a/../b``, ``a/./b``; a leading ``../``, above the working directory or the
    project root, stays), only when the folder before the first ``.``/``..`` segment exists (so a regular
    expression such as ``^foo/../bar$``, a URL or an excerpt's ``a/./b`` is not a path), and only when no symbolic
    link makes ``link/..`` another folder than the one the shortened path names. A ``:LINE:`` after a file name is
    kept as it is.
    """
    if "/." not in word or "://" in word or not word.strip("./"):
        return word
    parts = word.split("/")
    first = next((i for i, p in enumerate(parts) if i and p in (".", "..") and parts[i - 1] not in ("", ".", "..")),
                 None)
    if first is None:
        return word
    folder = "/".join(parts[:first]) or "/"
    if not os.path.isdir(folder):
        return word
    tidy = os.path.normpath(word)
    return tidy if os.path.realpath(word) == os.path.realpath(tidy) else word


def normalized_paths(text: str) -> str:
    """Return ``text`` with every path in it normalised where that names the same file (:func:`tidy_path`).

    ``/home/me/main/../shared/a.csv`` becomes ``/home/me/shared/a.csv`` and ``data/../x`` becomes ``x`` where
    ``/home/me/main`` and ``data`` are folders; the one place where the messages of :class:`FramingError` and
    :class:`FramingWarning` get their paths tidied: both apply it to their message when raised or issued, so no
    message shows a path as it was joined. A leading ``../`` (a path above the working directory or the project
    root, as :func:`framing.paths.shown_path` writes it), URLs, words that are not paths of this machine and
    paths through a symbolic link that ``..`` would leave are kept as written.
    """
    if "/." not in text:
        return text
    return "".join(tidy_path(word) if "/." in word else word for word in _WORD_END.split(text))


def _tidy_args(args: tuple[Any, ...]) -> tuple[Any, ...]:
    return (normalized_paths(args[0]), *args[1:]) if args and isinstance(args[0], str) else args


class FramingError(Exception):
    """Base class of every error raised on purpose by :mod:`framing`.

    Its message shows paths normalised (:func:`normalized_paths`), whoever formatted it.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.args = _tidy_args(self.args)


class FramingWarning(UserWarning):
    """Base class of every warning issued on purpose by :mod:`framing` (the work goes on).

    The message names the file or document. ``warnings.filterwarnings("ignore", category=framing.FramingWarning)``
    silences them all. Each module's own classes derive from it (:class:`~framing.rawio.CorpusWarning`,
    :class:`~framing.lexicon.LexiconWarning`, :class:`~framing.resampling.MissingGroupWarning` ...) and stay
    :class:`UserWarning` subclasses, so filters written for them, or for ``UserWarning``, keep working. Its message
    shows paths normalised (:func:`normalized_paths`).
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.args = _tidy_args(self.args)


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
