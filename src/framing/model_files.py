"""Model files of the learned frame labeller (:class:`~framing.classifier.FrameClassifier`).

A model file (:func:`save_model`) is a pickled header: format, framing and scikit-learn versions, frames,
lexicon fingerprints, the case file it was trained with (``case``: name, version, resolved path and SHA-256; the
case's content itself is kept in the estimator, ``case_``, so the model never reads the file again), the
estimator's parameters, whatever provenance the caller adds (training files with their SHA-256,
cross-validation figures, date), and the pickled estimator under ``model``. The header is read
and checked (:func:`read_model_header`, built-in data only) before the estimator is unpickled
(:func:`load_model`). Pickle runs code when loaded: load only model files you made or trust.

The functions are re-exported by :mod:`framing.classifier` (``from framing.classifier import save_model``).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import pickle
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from framing.errors import ModelError, ParameterError
from framing.lexicon import Lexicon, load_lexicon
from framing.types import PathLike

if TYPE_CHECKING:  # the estimator is imported where it is used: framing.classifier re-exports this module
    from framing.classifier import FrameClassifier

__all__ = ["MODEL_DIR", "MODEL_FORMAT", "lexicon_fingerprint", "list_models", "load_model", "model_digest",
           "model_path", "read_model_header", "save_model", "shipped_figures", "shipped_sealed"]

MODEL_DIR = Path(__file__).resolve().parent / "models"
"""Where the shipped models live: ``general.pkl`` (docs/validation.md, "The general model"), named ``general``."""

MODEL_FORMAT = "framing-frame-model"
"""Value of the ``format`` key of a model file's header."""
_MODEL_FORMAT_VERSION = 2
"""Version 2 keeps the case's content in the model (``case_``) and its file's path and digest under ``case``."""
_OLDER_FORMATS = (1,)
"""Format versions still loaded: version 1 models without a case file (one with a case is refused)."""
_HEADER_KEYS = ("format", "format_version", "framing_version", "sklearn_version", "frames", "lexicons", "model")


def lexicon_fingerprint(lexicon: str | PathLike | Lexicon) -> str:
    """SHA-256 over a lexicon's name, version, categories and entries (patterns, weights, exclusions).

    An entry with ``compound_tail: false`` adds it to its part; entries without it hash as before it existed.
    """
    lex = load_lexicon(lexicon)
    parts = [lex.name, lex.version, "|".join(lex.categories)]
    parts += [f"{e.category}\t{e.pattern}\t{e.weight!r}\t{'|'.join(e.exclude)}"
              + ("" if e.compound_tail else "\tcompound_tail=false") for e in lex.entries]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _source_name(source: Any) -> str:
    """Name a lexicon parameter as a user would: the path or name given, or the Lexicon's name."""
    return str(source.name) if isinstance(source, Lexicon) else str(source)


def _minor(version: object) -> str:
    """``"1.9.1"`` -> ``"1.9"``: the part of a scikit-learn version its pickles are compatible within."""
    return ".".join(str(version).split(".")[:2])


def _versions() -> tuple[str, str]:
    import sklearn

    from framing import __version__

    return __version__, sklearn.__version__


def _plain(value: Any) -> Any:
    """``value`` as built-in data the header reader accepts (anything else as its repr)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return repr(value)


def _created() -> str:
    """UTC creation time of a model file: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now.

    With ``SOURCE_DATE_EPOCH`` set, the same training data and parameters give a byte-identical model file.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        if not epoch.isdigit():
            raise ParameterError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, got {epoch!r}")
        try:
            when = _dt.datetime.fromtimestamp(int(epoch), _dt.UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise ParameterError(f"SOURCE_DATE_EPOCH is out of range for a date: {epoch!r}") from exc
    else:
        when = _dt.datetime.now(_dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _case_header(model: FrameClassifier) -> dict[str, Any] | None:
    """Return the ``case`` key of a model's header: the case it was trained with, its file and digest."""
    from framing.io import sha256_file

    case = getattr(model, "case_", None)
    if case is None:
        return None
    source = None if case.source is None else Path(case.source).resolve()
    digest = getattr(model, "case_sha256_", None)  # the file as fit read it (older models: as it is now)
    if digest is None and source is not None and source.is_file():
        digest = sha256_file(source)
    return {"name": case.name, "version": case.version, "path": None if source is None else str(source),
            "sha256": digest, "stored": "content"}


def save_model(model: FrameClassifier, path: PathLike, *, provenance: Mapping[str, Any] | None = None) -> Path:
    """Write a fitted model with its provenance atomically (see the module docstring for the layout).

    ``provenance`` adds keys to the header (training files, CV figures ...); the version, frame and lexicon
    keys are always filled from the running package and the model.
    """
    from framing.classifier import FrameClassifier
    from framing.io import atomic_write_bytes

    if not isinstance(model, FrameClassifier):
        raise ParameterError(f"save_model expects a FrameClassifier, got {type(model).__name__}")
    model._check_fitted()
    framing_version, sklearn_version = _versions()
    header: dict[str, Any] = dict(provenance or {})
    header.setdefault("created", _created())
    header.update({
        "format": MODEL_FORMAT,
        "format_version": _MODEL_FORMAT_VERSION,
        "framing_version": framing_version,
        "sklearn_version": sklearn_version,
        "frames": list(model.frames_),
        "lexicons": dict(model.lexicon_fingerprints_),
        "case": _case_header(model),
        "params": {k: _plain(v) for k, v in model.get_params().items()},
        "model": pickle.dumps(model, protocol=5),
    })
    return atomic_write_bytes(path, pickle.dumps(header, protocol=5))


class _HeaderUnpickler(pickle.Unpickler):
    """Reads only built-in containers and scalars: the header, never an estimator."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"unexpected object {module}.{name} in the header")


def list_models() -> list[str]:
    """Names of the shipped models (``general``): ``--model NAME`` and ``load_model(NAME)`` find them."""
    return sorted(p.stem for p in MODEL_DIR.glob("*.pkl"))


def shipped_sealed(name: str = "general") -> dict[str, Any] | None:
    """Return a shipped model's figures on the sealed held-out sets (its header's ``sealed``), None without them.

    ``{"sets": {SET: {"classifier": F1, "rule": F1}}, "mean_macro_f1": {"classifier": ..., "rule": ...}}``, as
    :func:`framing.agreement.build_general_model` stored them.
    """
    sealed = shipped_figures(name, "sealed")
    return sealed if sealed is not None and sealed.get("sets") else None


def shipped_figures(name: str, key: str) -> dict[str, Any] | None:
    """Return the figures a shipped model's header stores under ``key`` (``sealed``, ``seeds_lodo``), or None."""
    if name not in list_models():
        return None
    figures = read_model_header(name).get(key)
    return figures if isinstance(figures, dict) else None


def model_path(path: PathLike) -> Path:
    """Return the file of a model: ``path`` when it is a file, else the shipped model of that name."""
    p = Path(path)
    shipped = MODEL_DIR / f"{p.name}.pkl"
    if not p.is_file() and str(path) == p.name and shipped.is_file():
        return shipped
    if not p.is_file():
        raise ModelError(f"{p}: model file not found (shipped models: {', '.join(list_models()) or 'none'})")
    return p


def model_digest(path: PathLike) -> str:
    """Return the SHA-256 (hex) of a model file: the one fingerprint of a model, whoever needs it.

    ``path`` is a model file or the name of a shipped model (:func:`model_path`). The partitions of a backend
    run (:func:`framing.backends.resolve_instruments`), the instrument signature of the key results
    (:func:`framing.scoring.instrument_signature`) and a notebook's in-sample check all name a model by it.
    """
    from framing.io import sha256_file

    return sha256_file(model_path(path))


def read_model_header(path: PathLike) -> dict[str, Any]:
    """Read and check a model file's header without unpickling the estimator (errors name file and key).

    ``path`` is a model file or the name of a shipped model (:func:`list_models`).
    """
    import io

    p = model_path(path)
    data = p.read_bytes()
    try:
        header = _HeaderUnpickler(io.BytesIO(data)).load()
    except Exception as exc:  # any unpickling failure means: not one of our model files
        # a pickle (protocol 2 or later: our files) that ends early was cut short, not another kind of file
        if data[:1] == b"\x80" and (isinstance(exc, EOFError) or "truncated" in str(exc)):
            raise ModelError(f"{p}: truncated or damaged model file ({type(exc).__name__}: {exc}); save or copy it "
                             "again") from exc
        raise ModelError(f"{p}: not a framing model file ({type(exc).__name__}: {exc})") from exc
    if not isinstance(header, dict) or header.get("format") != MODEL_FORMAT:
        raise ModelError(f"{p}: not a framing model file (key 'format' is not {MODEL_FORMAT!r})")
    missing = [k for k in _HEADER_KEYS if k not in header]
    if missing:
        raise ModelError(f"{p}: model file lacks key(s) {missing}")
    return header


def _check_case(p: Path, header: Mapping[str, Any], model: FrameClassifier) -> None:
    """Refuse a model whose case file is known only by the path typed at training (saved by an older version)."""
    from framing.cases import no_case

    case = (model.rule_params or {}).get("case")
    if no_case(case) or getattr(model, "case_", None) is not None:
        return
    raise ModelError(f"{p}: saved by an older version of framing (key 'format_version' {header['format_version']!r}): "
                     f"it records its case file only as the path typed at training (key 'params', rule_params "
                     f"case {str(case)!r}), which may name another file or none from here; retrain the model with "
                     "`framing validate train` (the model then keeps the case's content)")


def load_model(path: PathLike, *, frames: Sequence[str] | None = None, check_lexicons: bool = True
               ) -> tuple[FrameClassifier, dict[str, Any]]:
    """Load a model saved by :func:`save_model`; return it and its header (without the pickled model).

    Raises
    ------
    ModelError
        Naming the file and the key: not a model file, another format version, a model saved by another
        framing or scikit-learn version (``framing_version``, ``sklearn_version``), frames other than
        ``frames`` (``frames``), lexicons that changed since training (``lexicons``, naming each changed lexicon;
        ``check_lexicons=False`` skips this check, here and when the model is first used); a model saved by an
        older version that knows its case file only by the path typed at training (``format_version``).

    A model keeps the content of its case file (``case_``): moving, changing or deleting the file after
    training changes nothing (the header's ``case`` says which file and digest it was read from).
    """
    from framing.classifier import FrameClassifier

    p = model_path(path)
    header = read_model_header(p)
    framing_version, sklearn_version = _versions()
    expected = {"format_version": _MODEL_FORMAT_VERSION, "framing_version": framing_version,
                "sklearn_version": sklearn_version}
    for key, want in expected.items():
        if key == "format_version" and header[key] in _OLDER_FORMATS:
            continue
        # scikit-learn keeps its estimators' pickles readable within a minor version (1.9.0 and 1.9.1 alike)
        same = _minor(header[key]) == _minor(want) if key == "sklearn_version" else header[key] == want
        if not same:
            raise ModelError(f"{p}: key {key!r} is {header[key]!r}, this installation needs {want!r}; "
                             "retrain the model with `framing validate train`")
    if frames is not None and list(header["frames"]) != list(frames):
        raise ModelError(f"{p}: key 'frames' is {list(header['frames'])}, expected {list(frames)}")
    try:
        model = pickle.loads(header["model"])
    except Exception as exc:
        raise ModelError(f"{p}: key 'model' does not hold a readable model ({type(exc).__name__}: {exc})") from exc
    if not isinstance(model, FrameClassifier) or not hasattr(model, "estimators_"):
        raise ModelError(f"{p}: key 'model' holds {type(model).__name__}, not a fitted FrameClassifier")
    _check_case(p, header, model)
    if check_lexicons:
        changed = model.changed_lexicons(dict(header["lexicons"]))
        if changed:
            raise ModelError(f"{p}: key 'lexicons': {'; '.join(changed)} changed since the model was trained; "
                             "retrain it")
    model._lexicons_checked = (model.lexicon, model.cues)  # checked here, or skipped on request
    info = {k: v for k, v in header.items() if k != "model"}
    return model, info
