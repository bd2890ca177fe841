"""Lexicons: a small auditable model and its file formats.

A :class:`Lexicon` has a name, a version, ordered categories and :class:`Entry` objects. An entry is a
word (``sacked``), a wildcard prefix (``resign*``: any word starting with ``resign``) or a multi-word
phrase (``serious case review``; its last word may end in ``*``), with an optional weight, exclusions,
a one-line rationale and ``compound_tail: false`` (not matched as the second part of a hyphenated compound).

Formats (read by :func:`load_lexicon`, written by :func:`save_lexicon`, chosen by extension):

- ``.yaml``/``.yml``: the package's own format (see ``docs/lexicons.md``) or a quanteda dictionary
  (a mapping ``category: [patterns]``, possibly nested; detected when the keys ``categories``/``version``
  are absent). Write quanteda with ``save_lexicon(lex, path, format="quanteda")``.
- ``.dic``: classic LIWC (``%`` header with numbered categories, then ``pattern<TAB>ids``). Blank lines,
  repeated tabs, space separators, a BOM, CRLF line ends and duplicate patterns are tolerated; LIWC2007
  conditional codes such as ``(02 134)125/464`` are skipped (only plain category ids are used).
- ``.dicx``/``.csv``: LIWC-22 (first column the term, one column per category, ``X`` or a number as weight).

Weights, exclusions, rationales and ``compound_tail`` exist only in the own YAML format (weights also in
``.dicx``); writing another format says what it drops, entry by entry (:func:`save_lexicon`, ``strict=True`` to
refuse). In the foreign formats an entry that cannot match words (``:)``, ``b/c``) is skipped with a
:class:`LexiconWarning` naming its lines; unsupported wildcard syntax (``?``, ``*`` inside a word) is an error,
as in the own format.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, TypeAlias

import yaml

from framing.errors import FramingWarning, LexiconError
from framing.paths import PACKAGE_DIR
from framing.types import PathLike

__all__ = [
    "Entry",
    "EntryKind",
    "Lexicon",
    "LexiconIssue",
    "LexiconSource",
    "LexiconWarning",
    "check_category_columns",
    "check_lexicon",
    "entry_kind",
    "list_lexicons",
    "load_lexicon",
    "normalize_pattern",
    "parse_lexicon_text",
    "pattern_variants",
    "save_lexicon",
]

EntryKind = Literal["word", "prefix", "phrase"]
LEXICON_DIR = PACKAGE_DIR / "lexicons"

_APOSTROPHES = "'’‘ʼ`´′"
_HYPHENS = "-‐‑‒–—―−"
_PATTERN_RE = re.compile(r"^[\w'’‘ʼ`´′\-‐‑‒–—―−]+(?: [\w'’‘ʼ`´′\-‐‑‒–—―−]+)*\*?$")
_SEPARATORS_RE = re.compile("[" + re.escape(_APOSTROPHES + _HYPHENS) + r"\s]+")
_INNER_HYPHEN_RE = re.compile("(?<=\\w)[" + re.escape(_HYPHENS) + "](?=\\w)")
_TOP_KEYS = {"name", "version", "description", "categories"}
_CATEGORY_KEYS = {"description", "entries"}
_ENTRY_KEYS = {"pattern", "weight", "exclude", "rationale", "compound_tail"}


class LexiconWarning(FramingWarning):
    """Entries of a foreign lexicon (.dic, .dicx, quanteda) that were skipped because they cannot match."""


@dataclass(frozen=True)
class Entry:
    """One lexicon entry.

    Parameters
    ----------
    pattern : str
        The pattern as written: ``word``, ``prefix*`` or ``a multi word phrase`` (last word may end in ``*``).
    category : str
        The category it counts for.
    kind : {"word", "prefix", "phrase"}
        What kind of pattern it is (see :func:`entry_kind`).
    weight : float
        A weight (default 1). Scoring rules may treat heavy entries as strong evidence on their own.
    exclude : tuple of str
        Longer expressions in which this entry does not count (``care*`` excluding ``career*``).
    rationale : str
        One line saying why the entry is there.
    compound_tail : bool
        Whether the entry also matches as the second (or a later) part of a hyphenated compound (default True:
        ``fired`` in "coal-fired"). False: a hit whose first word follows a hyphen joining it to the word before
        is dropped, so ``fired`` still counts in "fired", "was fired" and "fired-up", not in "coal-fired"
        (docs/lexicons.md, "Hyphens").
    """

    pattern: str
    category: str
    kind: EntryKind
    weight: float = 1.0
    exclude: tuple[str, ...] = ()
    rationale: str = ""
    compound_tail: bool = True


@dataclass(frozen=True)
class Lexicon:
    """A named, versioned set of categories and entries."""

    name: str
    version: str
    categories: tuple[str, ...]
    entries: tuple[Entry, ...]
    description: str = ""
    source: Path | None = None
    category_descriptions: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    dropped: tuple[str, ...] = field(default=(), compare=False)
    """Entries the reader of a foreign format dropped (``line N: ':)' ...``); losses for ``save_lexicon``."""

    def terms(self, category: str) -> list[str]:
        """Return the patterns of ``category`` in file order.

        Raises
        ------
        LexiconError
            If ``category`` is not a category of this lexicon.
        """
        if category not in self.categories:
            raise LexiconError(f"lexicon {self.name!r} has no category {category!r}; it has {list(self.categories)}")
        return [e.pattern for e in self.entries if e.category == category]

    def describe(self, category: str) -> str:
        """Return the description of ``category`` ("" when none)."""
        return dict(self.category_descriptions).get(category, "")

    def subset(self, kinds: Iterable[EntryKind]) -> Lexicon:
        """Return a copy keeping only entries of the given kinds."""
        keep = set(kinds)
        return replace(self, entries=tuple(e for e in self.entries if e.kind in keep))


@dataclass(frozen=True)
class LexiconIssue:
    """A problem found by :func:`check_lexicon`: ``level`` is ``error`` or ``warning``."""

    level: Literal["error", "warning"]
    code: str
    category: str
    pattern: str
    message: str

    def __str__(self) -> str:
        """Return ``LEVEL: [CODE] CATEGORY: 'PATTERN': MESSAGE``."""
        return f"{self.level}: [{self.code}] {self.category}: {self.pattern!r}: {self.message}"


# --- patterns ---------------------------------------------------------------------------------------


def normalize_pattern(pattern: str) -> str:
    """Return the matching form of a pattern: lower case, apostrophes and hyphens as spaces, single spaces.

    ``Children’s Services`` -> ``children s services``; ``co-ordination`` -> ``co ordination``. A trailing
    ``*`` is kept. The matcher normalises text the same way (see :mod:`framing.match`).
    """
    star = pattern.endswith("*")
    body = pattern[:-1] if star else pattern
    body = body.lower()
    body = _SEPARATORS_RE.sub(" ", body).strip()
    return body + ("*" if star else "")


def pattern_variants(pattern: str) -> list[str]:
    """Return the normalised forms a pattern matches (a trailing ``*`` kept).

    A pattern with a hyphen inside a word also matches its closed form: ``co-ordination`` gives
    ``co ordination`` and ``coordination``.
    """
    star = "*" if pattern.endswith("*") else ""
    variants = {normalize_pattern(pattern)}
    body = pattern.rstrip("*")
    if _INNER_HYPHEN_RE.search(body):
        variants.add(normalize_pattern(_INNER_HYPHEN_RE.sub("", body)) + star)
    return sorted(variants)


def entry_kind(pattern: str) -> EntryKind:
    """Infer the kind of ``pattern``: ``phrase`` if it has a space, ``prefix`` if it ends in ``*``, else ``word``."""
    if " " in pattern.strip():
        return "phrase"
    return "prefix" if pattern.endswith("*") else "word"


def _validate_pattern(pattern: Any, where: str) -> str:
    if not isinstance(pattern, str):
        raise LexiconError(f"{where}: pattern must be a string, got {pattern!r}")
    p = " ".join(unicodedata.normalize("NFC", pattern).split())  # a decomposed accent (NFD) is no word character
    if not p or not _PATTERN_RE.match(p) or not normalize_pattern(p).rstrip("*").strip():
        raise LexiconError(
            f"{where}: invalid pattern {pattern!r} (letters, digits, apostrophes, hyphens and single spaces; "
            "'*' only at the end)"
        )
    return p


def _make_entry(pattern: Any, category: str, where: str, weight: Any = 1.0, exclude: Any = (),
                rationale: Any = "", compound_tail: Any = True) -> Entry:
    p = _validate_pattern(pattern, where)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
        raise LexiconError(f"{where}: weight of {p!r} must be a positive number, got {weight!r}")
    if isinstance(exclude, str):
        exclude = [exclude]
    if not isinstance(exclude, list | tuple):
        raise LexiconError(f"{where}: exclude of {p!r} must be a list of patterns, got {exclude!r}")
    excl = tuple(_validate_pattern(x, where) for x in exclude)
    if not isinstance(rationale, str):
        raise LexiconError(f"{where}: rationale of {p!r} must be a string, got {rationale!r}")
    if not isinstance(compound_tail, bool):
        raise LexiconError(f"{where}: compound_tail of {p!r} must be true or false, got {compound_tail!r}")
    return Entry(p, category, entry_kind(p), float(weight), excl, rationale.strip(), compound_tail)


def check_category_columns(lexicon: Lexicon, reserved: Iterable[str], *, prefixes: Iterable[str] = ("n_",),
                           table: str = "the frames table") -> None:
    """Refuse category names that would collide as columns of a table built from them.

    A table such as :func:`framing.scoring.frame_table` has identifier columns (``reserved``) and, per
    category ``C``, a column ``C`` and columns ``PREFIX + C`` (``n_C``); a category named like any of those
    would overwrite it silently.

    Raises
    ------
    LexiconError
        Naming the lexicon file (or name), the category and the column it collides with.
    """
    where = lexicon.source or lexicon.name
    taken = {c: "an identifier column" for c in reserved}
    for c in lexicon.categories:
        for pre in prefixes:
            taken.setdefault(pre + c, f"the {pre}<category> column of category {c!r}")
    bad = [f"category {c!r} would be {taken[c]} of {table}" for c in lexicon.categories if c in taken]
    if bad:
        raise LexiconError(f"{where}: {'; '.join(bad)}; rename the categor{'y' if len(bad) == 1 else 'ies'} "
                           f"(reserved: {', '.join(reserved)}, and {'/'.join(prefixes)}<category>)")


# --- own YAML format ---------------------------------------------------------------------------------


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _scalar(node: yaml.Node, where: str) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise LexiconError(f"{where}: expected a single value, got a {type(node).__name__.replace('Node', '').lower()}")
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _mapping(node: yaml.Node, where: str) -> list[tuple[str, yaml.Node, int]]:
    if not isinstance(node, yaml.MappingNode):
        raise LexiconError(f"{where}: expected a mapping")
    out = []
    seen: set[str] = set()
    for k, v in node.value:
        key = str(_scalar(k, f"{where}"))
        if key in seen:
            raise LexiconError(f"{where.split(':')[0]}:{_line(k)}: duplicate key {key!r}")
        seen.add(key)
        out.append((key, v, _line(k)))
    return out


def _read_yaml_node(path: Path, text: str) -> yaml.Node:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else "?"
        raise LexiconError(f"{path}:{line}: YAML syntax error: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: YAML syntax error: {exc}") from exc
    if node is None:
        raise LexiconError(f"{path}:1: empty lexicon file")
    return node


def _parse_own_yaml(path: Path, root: yaml.Node) -> Lexicon:
    top = {k: (v, ln) for k, v, ln in _mapping(root, f"{path}:{_line(root)}")}
    for key, (_, ln) in top.items():
        if key not in _TOP_KEYS:
            raise LexiconError(f"{path}:{ln}: unknown key {key!r} (expected one of {sorted(_TOP_KEYS)})")
    if "categories" not in top:
        raise LexiconError(f"{path}:1: missing key 'categories'")
    name = str(_scalar(top["name"][0], f"{path}:{top['name'][1]}")) if "name" in top else path.stem
    version = str(_scalar(top["version"][0], f"{path}:{top['version'][1]}")) if "version" in top else "unversioned"
    description = str(_scalar(top["description"][0], f"{path}:{top['description'][1]}") or "") \
        if "description" in top else ""
    cats_node, cats_line = top["categories"]
    categories: list[str] = []
    descriptions: list[tuple[str, str]] = []
    entries: list[Entry] = []
    for cat, cnode, cline in _mapping(cats_node, f"{path}:{cats_line}"):
        where = f"{path}:{cline}"
        if not re.fullmatch(r"[A-Za-z_][\w.\-]*", cat):
            raise LexiconError(f"{where}: invalid category name {cat!r}")
        items: yaml.Node | None = None
        if isinstance(cnode, yaml.SequenceNode):
            items = cnode
        else:
            for key, v, ln in _mapping(cnode, where):
                if key not in _CATEGORY_KEYS:
                    raise LexiconError(f"{path}:{ln}: unknown key {key!r} in category {cat!r} "
                                       f"(expected one of {sorted(_CATEGORY_KEYS)})")
                if key == "description":
                    descriptions.append((cat, str(_scalar(v, f"{path}:{ln}") or "").strip()))
                else:
                    items = v
        if items is None or (isinstance(items, yaml.ScalarNode) and not items.value):
            raise LexiconError(f"{where}: category {cat!r} has no entries")
        if not isinstance(items, yaml.SequenceNode):
            raise LexiconError(f"{path}:{_line(items)}: entries of {cat!r} must be a list")
        if not items.value:
            raise LexiconError(f"{where}: category {cat!r} has no entries")
        categories.append(cat)
        for item in items.value:
            iw = f"{path}:{_line(item)}"
            if isinstance(item, yaml.ScalarNode):
                entries.append(_make_entry(_scalar(item, iw), cat, iw))
                continue
            fields: dict[str, Any] = {}
            for key, v, ln in _mapping(item, iw):
                if key not in _ENTRY_KEYS:
                    raise LexiconError(f"{path}:{ln}: unknown key {key!r} in an entry of {cat!r} "
                                       f"(expected one of {sorted(_ENTRY_KEYS)})")
                if key == "exclude" and isinstance(v, yaml.SequenceNode):
                    fields[key] = [_scalar(x, f"{path}:{_line(x)}") for x in v.value]
                else:
                    fields[key] = _scalar(v, f"{path}:{ln}")
            if "pattern" not in fields:
                raise LexiconError(f"{iw}: entry of {cat!r} has no 'pattern'")
            entries.append(_make_entry(fields["pattern"], cat, iw, fields.get("weight", 1.0),
                                       fields.get("exclude", ()) or (), fields.get("rationale", "") or "",
                                       fields.get("compound_tail", True)))
    if not categories:
        raise LexiconError(f"{path}:{cats_line}: no categories")
    return Lexicon(name, version, tuple(categories), tuple(entries), description, path, tuple(descriptions))


# --- public loading/saving ----------------------------------------------------------------------------


LexiconSource: TypeAlias = "str | PathLike | Lexicon"
"""A lexicon as every instrument takes it: a shipped name, a file path, or a loaded :class:`Lexicon`
(what :func:`load_lexicon` accepts)."""


def list_lexicons() -> list[str]:
    """Return the names of the shipped lexicons (``blame_frames``, ``blame_cues``, ``actors``, ...)."""
    return sorted(p.stem for p in LEXICON_DIR.glob("*.yaml"))


def load_lexicon(name_or_path: LexiconSource) -> Lexicon:
    """Load a shipped lexicon by name, or a lexicon file in any supported format.

    Parameters
    ----------
    name_or_path : str, path or Lexicon
        A shipped name (see :func:`list_lexicons`), or a path to ``.yaml``/``.yml`` (own or quanteda),
        ``.dic`` (LIWC) or ``.dicx``/``.csv`` (LIWC-22). A :class:`Lexicon` is returned unchanged.

    Raises
    ------
    LexiconError
        When the file is missing or malformed (the message names file and line).
    """
    if isinstance(name_or_path, Lexicon):
        return name_or_path
    s = str(name_or_path)
    shipped = LEXICON_DIR / f"{s}.yaml"
    if re.fullmatch(r"[\w\-]+", s) and shipped.is_file():
        path = shipped
    else:
        path = Path(s)
        if not path.is_file():
            raise LexiconError(
                f"no lexicon {s!r}: not a file and not a shipped lexicon (shipped: {', '.join(list_lexicons())})"
            )
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    cached = _LOADED.get(key)
    if cached is not None:
        return cached
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        lexicon = parse_lexicon_text(path, _read_lexicon_text(path))
    for w in caught:  # a file that warns is parsed (and warns) again on every load: not cached
        warnings.warn(w.message, w.category, stacklevel=2)
    if not caught:
        if len(_LOADED) >= _CACHE_SIZE:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = lexicon
    return lexicon


def _read_lexicon_text(path: Path) -> str:
    """Read a lexicon file as UTF-8, or as Windows-1252 when it is not valid UTF-8.

    cp1252 is what LIWC dictionaries made on Windows use; the fallback warns (:class:`LexiconWarning`) naming
    the file, the encoding and the first bad byte with its line. The five bytes cp1252 leaves undefined
    become U+FFFD.
    """
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        warnings.warn(f"{path}: not valid UTF-8 (line {line}: byte 0x{data[exc.start]:02X}); read as Windows-1252 "
                      "(cp1252); re-save the file as UTF-8 if that is wrong", LexiconWarning, stacklevel=3)
        return data.decode("cp1252", errors="replace")


_CACHE_SIZE = 32
_LOADED: dict[tuple[str, int, int], Lexicon] = {}
"""Lexicons parsed by :func:`load_lexicon`, keyed by file, modification time and size (a changed file is parsed
again); a :class:`Lexicon` is immutable, so callers share one object."""


def parse_lexicon_text(path: Path, text: str) -> Lexicon:
    """Parse the ``text`` of a lexicon file; ``path`` gives the format (its extension) and names it in messages."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        root = _read_yaml_node(path, text)
        if isinstance(root, yaml.MappingNode) and any(
            isinstance(k, yaml.ScalarNode) and k.value in ("categories", "version") for k, _ in root.value
        ):
            return _parse_own_yaml(path, root)
        from framing.lexicon_formats import parse_quanteda  # the readers use this module's model

        return parse_quanteda(path, root)
    if suffix == ".dic":
        from framing.lexicon_formats import parse_dic

        return parse_dic(path, text)
    if suffix in (".dicx", ".csv"):
        from framing.lexicon_formats import parse_dicx

        return parse_dicx(path, text)
    raise LexiconError(f"{path}: unknown lexicon format {suffix!r} (use .yaml, .yml, .dic, .dicx or .csv)")


def save_lexicon(lexicon: Lexicon, path: PathLike, *, format: str | None = None, strict: bool = False) -> Path:
    """Write ``lexicon`` to ``path`` atomically; the format follows the extension.

    A format that cannot hold everything (weights, exclusions, rationales, descriptions, a category with no
    entries) gets a :class:`LexiconWarning` listing what is lost, entry by entry; the written file is parsed
    again before it replaces anything, so every file written loads. See :mod:`framing.lexicon_write`.

    Parameters
    ----------
    lexicon : Lexicon
    path : path
        ``.yaml``/``.yml`` (own format), ``.dic``, ``.dicx``/``.csv``.
    format : {"own", "quanteda", "dic", "dicx"}, optional
        Overrides the extension (``quanteda`` writes a quanteda YAML dictionary).
    strict : bool
        Refuse (:class:`~framing.errors.LexiconError`, nothing written) instead of warning when information
        would be lost.
    """
    from framing.lexicon_write import write_lexicon  # the writers use this module's parsers

    return write_lexicon(lexicon, path, format=format, strict=strict)


def check_lexicon(lexicon: LexiconSource) -> list[LexiconIssue]:
    """Return problems in ``lexicon`` (a Lexicon, shipped name or file): errors first, then warnings.

    See :func:`framing.lexicon_check.check_lexicon` (imported here on first use: the checks need this module).
    """
    from framing.lexicon_check import check_lexicon as check

    return check(lexicon)
