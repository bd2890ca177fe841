"""The development set of coded sentence units in texts of another corpus (``../shared/devsets/``).

A development set is a JSON-lines file, one coded unit a line: ``uid``, ``bbc_id`` (the id of a record of the
texts corpus), ``start``/``end`` (character offsets into that record's ``text``), ``text`` (must equal
``record_text[start:end]``) and ``frames`` (the final codes, a list of frame names). The texts are a JSON-lines
corpus (``.gz`` accepted) with ``id`` and ``text`` per record. :func:`load_devset` turns both into a sentences
table whose units are exactly the coded units, so the rule and the classifier can be scored on them.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from framing.errors import FramingError, FramingWarning, ValidationSheetError
from framing.types import FRAMES, PathLike

__all__ = ["DEVSET_CORPUS", "HELDOUT_GLOB", "READ_SOURCE", "Devset", "default_devset_path", "default_heldout_paths",
           "default_texts_path", "held_articles_note", "load_devset", "load_heldout", "model_source",
           "model_training_documents", "read_set_documents", "read_while_written", "shared_articles",
           "without_corpus_articles"]

DEVSET_CORPUS = "../../corpora/bbc-news-2004-2005.jsonl.gz"
"""Where the texts of the shipped development set lie, relative to its folder (its README says so)."""

_PARA_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


@dataclass(frozen=True)
class Devset:
    """A development set ready for scoring.

    Attributes
    ----------
    sentences : DataFrame
        One row per coded unit: doc_id (the record id), sent_id (unit order within the document, from 0),
        para_id (paragraph of the record text, paragraphs separated by blank lines), start, end, text, uid.
    coded : DataFrame
        The final codes in the long layout of :func:`framing.agreement.read_coding_sheets`: doc_id, sent_id,
        start, end, text, one Int8 column per frame, coder (``adjudicated``), notes, source, line.
    documents : DataFrame
        doc_id, text (the whole record text), n_units.
    path : Path
        The coded file.
    corpus_path : Path
        The texts file.
    """

    sentences: pd.DataFrame
    coded: pd.DataFrame
    documents: pd.DataFrame
    path: Path
    corpus_path: Path


def default_devset_path(root: PathLike | None = None) -> Path | None:
    """``../shared/devsets/public-failures/coded.jsonl`` beside the project root, or None when absent.

    ``root``: the project root (default: found from the working directory).
    """
    from framing.paths import find_root

    path = (Path(root) if root is not None else find_root()).parent / "shared" / "devsets" / "public-failures" / (
        "coded.jsonl")
    return path if path.is_file() else None


def default_texts_path(path: PathLike, root: PathLike | None = None) -> Path:
    """Find the texts of a coded set at ``path``.

    :data:`DEVSET_CORPUS` relative to its folder when there, else the BBC corpus in ``../shared/corpora/`` beside
    the project root (where the held-out sets of ``data/validation`` point).
    """
    beside = (Path(path).parent / DEVSET_CORPUS).resolve()
    if beside.is_file():
        return beside
    from framing.paths import find_root

    shared = (Path(root) if root is not None else find_root()).parent / "shared" / "corpora" / Path(DEVSET_CORPUS).name
    return shared if shared.is_file() else beside


HELDOUT_GLOB = "data/validation/heldout-*/coded.jsonl"
"""Where the project keeps its held-out coded sets (relative to the project root)."""

SEALED_HELDOUT = ("bbc-2", "bbc-4", "bbc-5", "bbc-6", "bbc-7", "bbc-11")
"""The held-out sets never read while the instrument was written (their READMEs record every use); sets 1 and 3
were read after their first score and are development sets now. Set 11 was coded in the eleventh session and kept
outside the repository until its one scoring."""

HELD_OUT_MACRO_F1 = (0.36, 0.51)
"""Lowest and highest macro-F1 of the shipped instrument (default lexicons, ``coder`` rule) on the project's
sealed held-out BBC sets (2, 4, 5, 6 and 7: news it was not written for, never read; docs/lexicons.md, "How the
instrument was built and measured"): what to expect on an uncoded corpus, quoted by ``framing frames``."""


def read_while_written(path: PathLike) -> bool:
    """Tell whether a coded set was read while the shipped lexicons and rule were written.

    The project's development set (:func:`default_devset_path`) and its held-out sets that are not sealed
    (``data/validation/heldout-NAME`` with ``NAME`` not in :data:`SEALED_HELDOUT`): the rule's figures there
    are in-sample. A user's own set is not.
    """
    p = Path(path).resolve()
    dev = default_devset_path()
    if dev is not None and p == dev.resolve():
        return True
    read = [q.resolve() for q in default_heldout_paths()
            if q.parent.name.removeprefix("heldout-") not in SEALED_HELDOUT]
    return p in read


def default_heldout_paths(root: PathLike | None = None) -> list[Path]:
    """List the project's held-out coded sets (:data:`HELDOUT_GLOB`), in natural order; empty when there are none.

    Natural order: the numbers in a folder's name compare as numbers (``heldout-bbc-2`` before ``heldout-bbc-11``).
    ``root``: the project root (default: :func:`framing.paths.find_root`).
    """
    from framing.paths import find_root
    from framing.types import natural_key

    return sorted((Path(root) if root is not None else find_root()).glob(HELDOUT_GLOB),
                  key=lambda p: natural_key(p.parent.name))


def load_heldout(paths: Sequence[PathLike], corpus_path: PathLike | None = None, *,
                 frames: Sequence[str] = FRAMES) -> dict[str, Devset]:
    """Load held-out coded sets, keyed by name: the folder name without ``heldout-`` (``bbc-1``).

    Each file is read by :func:`load_devset` (same format and errors); two files of one name are an error.
    """
    out: dict[str, Devset] = {}
    for path in paths:
        p = Path(path)
        name = p.parent.name.removeprefix("heldout-") or p.stem
        if name in out:
            raise ValidationSheetError(f"{p}: a held-out set named {name!r} was already given ({out[name].path})")
        out[name] = load_devset(p, corpus_path, frames=frames)
    return out


def _read_jsonl(path: Path, what: str) -> list[tuple[int, Any]]:
    if not path.is_file():
        raise ValidationSheetError(f"{path}: {what} not found")
    opener: Any = gzip.open if path.suffix == ".gz" else open
    out: list[tuple[int, Any]] = []
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            for n, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    out.append((n, json.loads(raw)))
                except json.JSONDecodeError as exc:
                    raise ValidationSheetError(
                        f"{path}, line {n}, column {exc.colno}: malformed JSON ({exc.msg})") from exc
    except (UnicodeDecodeError, OSError, EOFError) as exc:
        raise ValidationSheetError(f"{path}: cannot read {what} ({exc})") from exc
    return out


def _record_texts(path: Path, wanted: set[str]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for n, rec in _read_jsonl(path, "texts corpus"):
        if not isinstance(rec, dict) or "id" not in rec or "text" not in rec:
            raise ValidationSheetError(f"{path}, line {n}: a record needs keys 'id' and 'text'")
        if str(rec["id"]) in wanted:
            texts[str(rec["id"])] = str(rec["text"])
    return texts


def _unit_problem(path: Path, line: int, key: str, message: str) -> ValidationSheetError:
    return ValidationSheetError(f"{path}, line {line}, key {key!r}: {message}")


def load_devset(path: PathLike, corpus_path: PathLike | None = None, *,
                frames: Sequence[str] = FRAMES) -> Devset:
    """Read a coded development set and build the sentences table of its units.

    Parameters
    ----------
    path : str or PathLike
        The coded JSON-lines file (e.g. ``../shared/devsets/public-failures/coded.jsonl``).
    corpus_path : str or PathLike, optional
        The texts (JSON lines, ``id`` and ``text``); default :func:`default_texts_path`.
    frames : sequence of str
        The frame names; a code outside them is an error.

    Raises
    ------
    ValidationSheetError
        Naming file, line and key: malformed JSON, a missing key, a ``bbc_id`` not in the texts, offsets that
        are not integers or fall outside the text, a unit ``text`` that is not ``text[start:end]``, an unknown
        frame, overlapping or duplicate units.
    """
    p = Path(path)
    cpath = Path(corpus_path) if corpus_path is not None else default_texts_path(p)
    units = _read_jsonl(p, "development set")
    if not units:
        raise ValidationSheetError(f"{p}: no coded units")
    frames = list(frames)
    rows: list[dict[str, Any]] = []
    for n, u in units:
        if not isinstance(u, dict):
            raise ValidationSheetError(f"{p}, line {n}: a unit must be a JSON object")
        for key in ("bbc_id", "start", "end", "text", "frames"):
            if key not in u:
                raise _unit_problem(p, n, key, "missing")
        for key in ("start", "end"):
            if isinstance(u[key], bool) or not isinstance(u[key], int) or u[key] < 0:
                raise _unit_problem(p, n, key, f"{u[key]!r} is not a non-negative integer offset")
        if not isinstance(u["frames"], list) or not all(isinstance(f, str) for f in u["frames"]):
            raise _unit_problem(p, n, "frames", f"{u['frames']!r} is not a list of frame names")
        unknown = sorted(set(u["frames"]) - set(frames))
        if unknown:
            raise _unit_problem(p, n, "frames", f"unknown frame(s) {unknown} (frames: {frames})")
        rows.append({"line": n, "uid": str(u.get("uid", f"line-{n}")), "doc_id": str(u["bbc_id"]),
                     "start": u["start"], "end": u["end"], "text": str(u["text"]), "codes": u["frames"]})
    table = pd.DataFrame(rows)
    texts = _record_texts(cpath, set(table["doc_id"]))
    for r in rows:
        doc = texts.get(r["doc_id"])
        if doc is None:
            raise _unit_problem(p, r["line"], "bbc_id", f"{r['doc_id']!r} is not a record of {cpath}")
        if not r["start"] < r["end"] <= len(doc):
            raise _unit_problem(p, r["line"], "end", f"offsets {r['start']}:{r['end']} are outside the record's "
                                f"text of {len(doc)} characters")
        if doc[r["start"]:r["end"]] != r["text"]:
            raise _unit_problem(p, r["line"], "start", f"text[{r['start']}:{r['end']}] of {r['doc_id']!r} is "
                                f"{doc[r['start']:r['end']][:50]!r}, not the unit's text {r['text'][:50]!r}")
    table = table.sort_values(["doc_id", "start", "end"], kind="stable").reset_index(drop=True)
    same_doc = table["doc_id"].eq(table["doc_id"].shift(1)).to_numpy()
    overlap = same_doc & (table["start"].to_numpy() < table["end"].shift(1, fill_value=0).to_numpy())
    if overlap.any():
        i = int(np.flatnonzero(overlap)[0])
        raise _unit_problem(p, int(table["line"].iloc[i]), "start", f"unit overlaps the unit at line "
                            f"{int(table['line'].iloc[i - 1])} in {table['doc_id'].iloc[i]!r}")
    table["sent_id"] = table.groupby("doc_id", sort=False).cumcount().astype(np.int64)
    table["para_id"] = np.zeros(len(table), dtype=np.int64)
    for doc_id, idx in table.groupby("doc_id", sort=False).indices.items():
        breaks = np.array([m.end() for m in _PARA_BREAK.finditer(texts[doc_id])], dtype=np.int64)
        table.loc[table.index[idx], "para_id"] = np.searchsorted(breaks, table["start"].to_numpy()[idx], side="right")
    sentences = table[["doc_id", "sent_id", "para_id", "start", "end", "text", "uid"]].copy()
    coded = table[["doc_id", "sent_id", "start", "end", "text"]].copy()
    code_sets = table["codes"].map(set)
    for f in frames:
        coded[f] = code_sets.map(lambda s, f=f: int(f in s)).astype("Int8")
    coded["coder"] = "adjudicated"
    coded["notes"] = ""
    coded["source"] = str(p)
    coded["line"] = table["line"].astype(np.int64)
    documents = pd.DataFrame({"doc_id": list(dict.fromkeys(table["doc_id"]))})
    documents["text"] = documents["doc_id"].map(texts)
    documents["n_units"] = documents["doc_id"].map(table["doc_id"].value_counts()).astype(np.int64)
    return Devset(sentences=sentences, coded=coded, documents=documents, path=p, corpus_path=cpath)



def _normalised(texts: pd.Series) -> pd.Series:
    return texts.astype(str).str.replace(r"\s+", " ", regex=True).str.strip()


def shared_articles(set_documents: pd.DataFrame, documents: pd.DataFrame) -> dict[str, str]:
    """Map each article of a coded set that ``documents`` holds too to the (first) corpus document holding it.

    Held: a corpus document has the same text as the article (whitespace aside), whatever its id; or it has the
    article's id as ``original_id`` (a corpus loaded with ``safe_ids=True``: ``business/348`` -> ``business_348``)
    and the texts cannot be compared (no ``text`` column, or an empty text on either side). A document with
    the article's id but another text is *not* the article: a user's own ``politics/025`` is not a BBC training
    article because it shares the name. A corpus can hold an article twice (BBC News 2004-05 has 100 texts twice):
    :func:`holding_documents` gives every holder.
    """
    return {article: docs[0] for article, docs in holding_documents(set_documents, documents).items()}


def holding_documents(set_documents: pd.DataFrame, documents: pd.DataFrame) -> dict[str, list[str]]:
    """Map each article of a coded set that ``documents`` holds to every corpus document holding it, in corpus order.

    Held as :func:`shared_articles` says.
    """
    corpus_of: dict[str, list[str]] = {}
    ids = documents["doc_id"].astype(str)
    corpus_text = (_normalised(documents["text"].fillna("")) if "text" in documents.columns
                   else pd.Series("", index=documents.index))
    set_text = (_normalised(set_documents["text"].fillna("")) if "text" in set_documents.columns
                else pd.Series("", index=set_documents.index))
    by_text: dict[str, list[str]] = {}
    for text, doc in zip(corpus_text[corpus_text != ""], ids[corpus_text != ""], strict=True):
        by_text.setdefault(text, []).append(doc)
    for d, t in zip(set_documents["doc_id"].astype(str), set_text, strict=True):
        if t and t in by_text:
            corpus_of[d] = by_text[t]
    if "original_id" in documents.columns:  # the same id: the same article only where a text is missing
        by_original: dict[str, list[tuple[str, str]]] = {}
        for original, doc, text in zip(documents["original_id"].astype(str), ids, corpus_text, strict=True):
            by_original.setdefault(original, []).append((doc, text))
        for d, t in zip(set_documents["doc_id"].astype(str), set_text, strict=True):
            if d not in corpus_of and d in by_original:
                held = [doc for doc, text in by_original[d] if not (t and text)]
                if held:
                    corpus_of[d] = held
    return corpus_of


HELD_SHOWN = 8
"""How many documents :func:`held_articles_note` names before "and N more"."""

READ_SOURCE = "read while the shipped lexicons were written"
"""What :func:`held_articles_note` says of the articles of the sets read while the lexicons were written."""


def model_source(model: object = None) -> str:
    """Return what :func:`held_articles_note` says of a model's training articles.

    ``model``: the model's name or file as the user gave it; None or empty: the given model (the API's).
    """
    if model is None or not str(model):
        return "the given model was trained on"
    return f"the model {model} was trained on"


def held_articles_note(held: Mapping[str, str], source: str) -> str:
    """Say which corpus documents hold articles of coded sets: the one wording of warnings, notes and captions.

    ``held`` maps a corpus document to the set file holding its article (:func:`model_training_documents`,
    :func:`read_set_documents`); ``source`` says what the articles are (``"the model general was trained on"``,
    ``"read while the shipped lexicons were written"``). Returns ``N document(s) of the corpus hold articles
    SOURCE (DOC, DOC ... and K more; FILE, FILE)``, the documents sorted, at most :data:`HELD_SHOWN` of them
    named; the caller says what follows from it.
    """
    docs = sorted(map(str, held))
    shown = ", ".join(docs[:HELD_SHOWN]) + (f" and {len(docs) - HELD_SHOWN} more" if len(docs) > HELD_SHOWN else "")
    files = ", ".join(dict.fromkeys(str(held[d]) for d in sorted(held, key=str)))
    return f"{len(docs)} document(s) of the corpus hold articles {source} ({shown}; {files})"


def model_training_documents(header: Mapping[str, Any], documents: pd.DataFrame,
                             root: PathLike | None = None) -> dict[str, str]:
    """Map each corpus document that holds an article a model was trained on to the training file it is in.

    The training files are the coded sets in the model's header (``training_files``: the development set's
    format, ``coded.jsonl``; paths relative to ``root``, the project root, as :func:`build_general_model`
    writes them) that are there with their texts; an article is held as :func:`shared_articles` says. A coded
    sheet of the corpus itself is matched by its SHA-256 elsewhere (:func:`sheets_in_training`).
    """
    from framing.paths import find_root

    base = Path(root) if root is not None else find_root()
    given = [Path(str(e.get("path", ""))) for e in header.get("training_files") or [] if isinstance(e, Mapping)]
    return _holding([p if p.is_absolute() else base / p for p in given if p.suffix == ".jsonl"], documents, base)


def read_set_documents(documents: pd.DataFrame, root: PathLike | None = None) -> dict[str, str]:
    """Map each corpus document that holds an article of a set read while the lexicons were written to that set.

    The sets are the development set and the held-out sets that are not sealed (:func:`read_while_written`),
    where they are with their texts; an article is held as :func:`shared_articles` says.
    """
    dev = default_devset_path(root)
    paths = [p for p in [*([dev] if dev is not None else []), *default_heldout_paths(root)] if read_while_written(p)]
    return _holding(paths, documents, root)


def _holding(paths: Sequence[Path], documents: pd.DataFrame, root: PathLike | None) -> dict[str, str]:
    """Map each corpus document holding an article of one of the coded sets at ``paths`` to that set's path."""
    from framing.paths import find_root, shown_path

    base = Path(root) if root is not None else find_root()
    out: dict[str, str] = {}
    for path in paths:
        texts = default_texts_path(path, base)
        if not path.is_file() or not texts.is_file():
            continue
        try:
            coded_set = load_devset(path, texts)
        except FramingError:
            continue  # not a coded set in the development set's format
        for docs in holding_documents(coded_set.documents, documents).values():
            for doc in docs:
                out.setdefault(doc, shown_path(path))
    return out


def without_corpus_articles(devset: Devset, documents: pd.DataFrame | None, *, what: str = "development set"
                            ) -> Devset:
    """Return ``devset`` without the articles that the coded corpus holds too, with a warning naming them.

    An article of the set is the corpus's when a corpus document has the same text (whitespace aside), or its
    id as ``original_id`` (a corpus loaded with ``safe_ids=True``: ``business/348`` -> ``business_348``) where
    the texts cannot be compared (:func:`shared_articles`). Such an article is counted once, as the corpus's:
    left in, it would be coded twice under two ids and could sit on both sides of a cross-validation split.
    ``documents`` is the corpus's documents table (None: nothing to compare, the set is returned as it is).
    """
    import warnings

    if documents is None or documents.empty or devset.documents.empty:
        return devset
    dev_docs = devset.documents
    corpus_of = shared_articles(dev_docs, documents)
    if not corpus_of:
        return devset
    shown = ", ".join(f"{d!r} (corpus {c!r})" for d, c in sorted(corpus_of.items())[:10])
    more = f" and {len(corpus_of) - 10} more" if len(corpus_of) > 10 else ""
    warnings.warn(f"{devset.path}: {len(corpus_of)} article(s) of the {what} are also in the coded corpus (same "
                  f"text, or same original id where a text is missing): {shown}{more}; counted once, as the "
                  f"corpus's (their {what} units are left out)", FramingWarning, stacklevel=3)
    keep_s = ~devset.sentences["doc_id"].isin(corpus_of).to_numpy()
    keep_c = ~devset.coded["doc_id"].isin(corpus_of).to_numpy()
    keep_d = ~dev_docs["doc_id"].isin(corpus_of).to_numpy()
    return Devset(sentences=devset.sentences[keep_s].reset_index(drop=True),
                  coded=devset.coded[keep_c].reset_index(drop=True),
                  documents=dev_docs[keep_d].reset_index(drop=True), path=devset.path, corpus_path=devset.corpus_path)
