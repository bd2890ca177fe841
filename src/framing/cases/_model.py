"""The case-file model: :class:`Case`, :class:`CaseEntry`, :class:`CaseActor` and the YAML reader.

A case file maps the people, organisations and roles of one case to an actor id -- a codebook actor
(:data:`framing.types.ACTORS`) or one the file declares in its ``actors`` section -- and a blame frame
(:data:`framing.types.FRAMES`). The format is documented in ``docs/cases.md``; ``TEMPLATE.yaml`` in this folder
is a commented starting point.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import yaml

from framing.errors import CaseError, ConfigError, LexiconError
from framing.lexicon import Entry, Lexicon, _validate_pattern, entry_kind, load_lexicon, normalize_pattern
from framing.paths import CASE_DIR
from framing.types import ACTORS, FRAMES, PathLike

TOP_KEYS: tuple[str, ...] = ("case", "version", "description", "actors", "entries", "topic_stop_words")
"""Keys of a case file (``case`` and ``entries`` are required).

``actors`` (optional): the case's own actor ids, beyond the codebook's (:data:`framing.types.ACTORS`), each with a
description and, optionally, the frame its entries take by default (:class:`CaseActor`).

``topic_stop_words`` (optional): words that name the case itself and occur in nearly every one of its texts (the
child's names in the Baby P case), removed from topic-model vocabularies when the case is given
(:func:`framing.topics.case_stop_words`), never from another corpus's."""

ENTRY_KEYS: tuple[str, ...] = ("pattern", "actor", "frame", "exclude", "rationale")
"""Keys of one entry (``pattern`` and ``actor`` are required; ``frame`` too unless the entry's actor is declared in
``actors`` with a default frame).

``frame: none`` makes an entry name an actor only: it adds no frame hit, the case-independent frame lexicon decides
the frame of its words (the Baby P case file's bare ``director``)."""

ACTOR_KEYS: tuple[str, ...] = ("description", "frame")
"""Keys of one declared actor in a case file's ``actors`` section (``description`` is required)."""

NO_FRAME = "none"
"""The ``frame`` of an entry that names an actor only (no frame hit)."""

RESERVED_ACTOR_IDS: frozenset[str] = frozenset({"author", "headline", "unattributed", NO_FRAME})
"""Words a declared actor id cannot be: the blame table's voices (``blamer_actor``) and the no-frame label."""

_NAME_RE = re.compile(r"[A-Za-z0-9_\-]+")
_ACTOR_ID_RE = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class CaseEntry:
    """One entry of a case file.

    Parameters
    ----------
    pattern : str
        A lexicon pattern (word, ``prefix*`` or phrase; see :mod:`framing.lexicon`).
    actor : str
        A codebook actor id (one of :data:`framing.types.ACTORS`) or an id the case declares (:class:`CaseActor`).
    frame : str
        The frame a mention locates blame in (one of :data:`framing.types.FRAMES`), or ``"none"``
        (:data:`NO_FRAME`): the entry names an actor only.
    exclude : tuple of str
        Longer expressions in which the pattern does not count.
    rationale : str
        Who or what this is, in one line.
    line : int
        Line of the entry in its file (0 when built in code).
    """

    pattern: str
    actor: str
    frame: str
    exclude: tuple[str, ...] = ()
    rationale: str = ""
    line: int = 0


@dataclass(frozen=True)
class CaseActor:
    """An actor id a case file declares in its ``actors`` section (an actor of its case beyond the codebook's).

    Parameters
    ----------
    id : str
        The actor id (lower case letters, digits and ``_``, starting with a letter; not a codebook actor id).
    description : str
        Who this actor is, in one line (the actor lexicon's category description).
    frame : str
        The frame an entry of this actor takes when it gives none (one of :data:`framing.types.FRAMES`, or ""
        for no default: every entry then names its frame).
    line : int
        Line of the declaration in its file (0 when built in code).
    """

    id: str
    description: str
    frame: str = ""
    line: int = 0


@dataclass(frozen=True)
class Case:
    """The people, organisations and roles of one case, each with an actor id and a frame."""

    name: str
    version: str
    entries: tuple[CaseEntry, ...]
    description: str = ""
    source: Path | None = None
    topic_stop_words: tuple[str, ...] = ()
    actors: tuple[CaseActor, ...] = ()

    @property
    def actor_ids(self) -> tuple[str, ...]:
        """Return the actor ids of the case: the codebook's (:data:`framing.types.ACTORS`), then its declared ones."""
        return (*ACTORS, *(a.id for a in self.actors))

    def frame_lexicon(self) -> Lexicon:
        """Return the case's entries as a frame lexicon: categories the frames, entries the case patterns.

        Entries with ``frame: none`` (an actor only) are left out.
        """
        return Lexicon(
            f"case_{self.name}_frames", self.version, FRAMES,
            tuple(_lexicon_entry(e, e.frame) for e in self.entries if e.frame != NO_FRAME),
            f"case {self.name}: frames of its actors", self.source,
        )

    def case_actor_lexicon(self) -> Lexicon:
        """Return the case's entries alone as an actor lexicon (categories :attr:`actor_ids`)."""
        return Lexicon(
            f"case_{self.name}_actors", self.version, self.actor_ids,
            tuple(_lexicon_entry(e, e.actor) for e in self.entries),
            f"case {self.name}: its actors", self.source,
            category_descriptions=tuple((a.id, a.description) for a in self.actors),
        )

    def actor_lexicon(self, base: str | PathLike | Lexicon = "actors") -> Lexicon:
        """Return the case-independent actor lexicon ``base`` merged with the case's entries per actor id.

        On a duplicate (the same normalised pattern in both) the case's entry wins.
        """
        from framing.cases._merge import merge_lexicons

        merged = merge_lexicons(load_lexicon(base), self.case_actor_lexicon(), name=f"actors+{self.name}")
        return merged


def _lexicon_entry(e: CaseEntry, category: str) -> Entry:
    return Entry(e.pattern, category, entry_kind(e.pattern), 1.0, e.exclude, e.rationale)


# --- reading ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Problem:
    line: int
    code: str
    message: str


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.Node) -> Any:
    """Return the Python value of a scalar node (None for other nodes).

    As safe_load reads it: its tag was resolved when composed.
    """
    if not isinstance(node, yaml.ScalarNode):
        return None
    return _CONSTRUCTOR.construct_object(node)


def _patterns(node: yaml.Node) -> list[tuple[Any, int]]:
    """Return a pattern value: one scalar or a list of scalars (each with its line)."""
    if isinstance(node, yaml.SequenceNode):
        return [(_scalar(n) if isinstance(n, yaml.ScalarNode) else n, _line(n)) for n in node.value]
    return [(_scalar(node) if isinstance(node, yaml.ScalarNode) else node, _line(node))]


def _parse_entry(node: yaml.Node, idx: int, problems: list[_Problem],
                 declared: dict[str, CaseActor], rejected: frozenset[str] = frozenset()) -> list[CaseEntry]:
    """Return the case entries of one ``entries`` item (one per pattern); its problems go to ``problems``.

    An entry whose actor's declaration was reported bad (``rejected``) is left out without a problem for its actor
    or a missing frame: the declaration's problem is the one to fix (no ``unknown actor id`` on every entry that
    uses it); its other keys are checked as usual.
    """
    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        problems.append(_Problem(line, "bad-entry", f"entries[{idx}]: an entry must be a mapping with keys "
                                                    f"{', '.join(ENTRY_KEYS)}"))
        return []
    values: dict[str, yaml.Node] = {}
    ok = True
    for k, v in node.value:
        key = _scalar(k)
        if key not in ENTRY_KEYS:
            problems.append(_Problem(_line(k), "unknown-key",
                                     f"entries[{idx}]: unknown key {key!r} (allowed: {', '.join(ENTRY_KEYS)})"))
            continue
        if key in values:
            problems.append(_Problem(_line(k), "duplicate-key", f"entries[{idx}]: key {key!r} given twice"))
            ok = False
        values[str(key)] = v
    for req in ("pattern", "actor"):
        if req not in values:
            problems.append(_Problem(line, "missing-key", f"entries[{idx}]: missing key {req!r}"))
            ok = False
    actor = _scalar(values["actor"]) if "actor" in values else None
    # an actor whose declaration is reported: no second problem for it, nor for the frame its default would give
    bad_declaration = isinstance(actor, str) and actor in rejected and actor not in declared and actor not in ACTORS
    if bad_declaration:
        ok = False
    elif "actor" in values and actor not in ACTORS and actor not in declared:
        own = f"; declared in 'actors': {', '.join(declared)}" if declared else \
            "; a case declares its own actor ids in its 'actors' section, docs/cases.md"
        problems.append(_Problem(_line(values["actor"]), "unknown-actor",
                                 f"entries[{idx}]: key 'actor': unknown actor id {actor!r} "
                                 f"(one of the codebook's {', '.join(ACTORS)}{own})"))
        ok = False
    default = declared[actor].frame if isinstance(actor, str) and actor in declared else ""
    frame = _scalar(values["frame"]) if "frame" in values else default or None
    if "frame" not in values and not default and not bad_declaration:
        why = f" (actor {actor!r} declares no default frame)" if isinstance(actor, str) and actor in declared else ""
        problems.append(_Problem(line, "missing-key", f"entries[{idx}]: missing key 'frame'{why}"))
        ok = False
    elif "frame" in values and frame not in (*FRAMES, NO_FRAME):
        problems.append(_Problem(_line(values["frame"]), "unknown-frame",
                                 f"entries[{idx}]: key 'frame': unknown frame {frame!r} (one of {', '.join(FRAMES)}, "
                                 f"or {NO_FRAME!r} for an entry that names an actor only)"))
        ok = False
    rationale = _scalar(values["rationale"]) if "rationale" in values else ""
    if not isinstance(rationale, str):
        problems.append(_Problem(_line(values["rationale"]), "bad-value",
                                 f"entries[{idx}]: key 'rationale' must be text"))
        ok = False
    exclude: list[str] = []
    for x, xl in _patterns(values["exclude"]) if "exclude" in values else []:
        try:
            exclude.append(_validate_pattern(x, f"entries[{idx}]: key 'exclude'"))
        except LexiconError as exc:
            problems.append(_Problem(xl, "invalid-pattern", str(exc)))
            ok = False
    pats: list[tuple[str, int]] = []
    if "pattern" in values and isinstance(values["pattern"], yaml.SequenceNode) and not values["pattern"].value:
        problems.append(_Problem(_line(values["pattern"]), "invalid-pattern", f"entries[{idx}]: key 'pattern' is "
                                                                             "an empty list"))
        ok = False
    for p, pl in _patterns(values["pattern"]) if "pattern" in values else []:
        try:
            pats.append((_validate_pattern(p, f"entries[{idx}]: key 'pattern'"), pl))
        except LexiconError as exc:
            code = "cannot-match" if isinstance(p, str) and p.strip() and not normalize_pattern(p).strip("* ") \
                else "invalid-pattern"
            problems.append(_Problem(pl, code, str(exc)))
            ok = False
    if not ok:
        return []
    return [CaseEntry(p, str(actor), str(frame), tuple(exclude), str(rationale or "").strip(), pl) for p, pl in pats]


def _parse(path: Path, text: str) -> tuple[Case | None, list[_Problem]]:
    """Parse a case file; return the case made of the entries that parsed, and every problem found.

    The case is None when the file cannot be read as a case at all.
    """
    try:
        from framing.io import parse_yaml

        parse_yaml(text, path)
    except ConfigError as exc:
        m = re.match(re.escape(str(path)) + r":(\d+):", str(exc))
        msg = str(exc)[len(str(path)):].lstrip(":0123456789 ")
        return None, [_Problem(int(m.group(1)) if m else 0, "yaml-syntax", msg)]
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return None, [_Problem(1, "bad-file", f"a case file is a mapping with keys {', '.join(TOP_KEYS)}")]
    problems: list[_Problem] = []
    top: dict[str, yaml.Node] = {}
    for k, v in root.value:
        key = _scalar(k)
        if key not in TOP_KEYS:
            problems.append(_Problem(_line(k), "unknown-key", f"unknown key {key!r} (allowed: {', '.join(TOP_KEYS)})"))
        else:
            top[str(key)] = v
    for req in ("case", "entries"):
        if req not in top:
            problems.append(_Problem(1, "missing-key", f"missing key {req!r}"))
    name = _scalar(top["case"]) if "case" in top else path.stem
    if "case" in top and not (isinstance(name, str) and _NAME_RE.fullmatch(name)):
        problems.append(_Problem(_line(top["case"]), "bad-value",
                                 f"key 'case': {name!r} is not a name (letters, digits, '_' and '-')"))
    version = _scalar(top["version"]) if "version" in top else "unversioned"
    description = _scalar(top["description"]) if "description" in top else ""
    declared, rejected = _actors(top["actors"], problems) if "actors" in top else ({}, frozenset())
    entries: list[CaseEntry] = []
    if "entries" in top:
        node = top["entries"]
        if not isinstance(node, yaml.SequenceNode):
            problems.append(_Problem(_line(node), "bad-value", "key 'entries' must be a list of entries"))
        else:
            for i, e in enumerate(node.value):
                entries.extend(_parse_entry(e, i, problems, declared, rejected))
    stop_words = _stop_words(top["topic_stop_words"], problems) if "topic_stop_words" in top else ()
    # the entries that parsed, even when others did not, so that a check can report all problems at once
    return Case(str(name), str(version), tuple(entries), str(description or "").strip(), path, stop_words,
                tuple(declared.values())), problems


def _actors(node: yaml.Node, problems: list[_Problem]) -> tuple[dict[str, CaseActor], frozenset[str]]:
    """Return the actors a case file declares (``actors:`` id -> description, or id -> {description, frame}).

    And the ids whose declaration was bad: such a declaration is a problem (file line, key) and is left out; the
    entries that use its id are not reported again (:func:`_parse_entry`). As in an entry, a key given twice in one
    declaration is ``duplicate-key`` (never last-wins) and an unknown key is reported at its own line.
    """
    if not isinstance(node, yaml.MappingNode):
        problems.append(_Problem(_line(node), "bad-value", "key 'actors' must map actor ids to a description or to "
                                                          f"a mapping with keys {', '.join(ACTOR_KEYS)}"))
        return {}, frozenset()
    out: dict[str, CaseActor] = {}
    rejected: set[str] = set()
    for k, v in node.value:
        aid, line = _scalar(k), _line(k)
        actor = _actor(aid, line, v, out, problems)
        if actor is not None:
            out[actor.id] = actor
        elif isinstance(aid, str):
            rejected.add(aid)
    return out, frozenset(rejected)


def _actor(aid: Any, line: int, v: yaml.Node, out: dict[str, CaseActor],
           problems: list[_Problem]) -> CaseActor | None:
    """Return the actor one declaration gives (id ``aid`` at ``line``, value ``v``), or None after its problems."""
    where = f"actors: {aid!r}"
    if not (isinstance(aid, str) and _ACTOR_ID_RE.fullmatch(aid)) or aid in RESERVED_ACTOR_IDS:
        problems.append(_Problem(line, "bad-actor-id", f"{where}: an actor id is lower case letters, digits and "
                                                       "'_', starting with a letter, and not one of "
                                                       f"{', '.join(sorted(RESERVED_ACTOR_IDS))}"))
        return None
    if aid in ACTORS:
        problems.append(_Problem(line, "codebook-actor", f"{where} is a codebook actor id already: declare only "
                                                         "the case's own actors (entries use the codebook's ids "
                                                         "as they are)"))
        return None
    if aid in out:
        problems.append(_Problem(line, "duplicate-key", f"{where} is declared twice (line {out[aid].line})"))
        return None
    fields: dict[str, yaml.Node] = {}
    if isinstance(v, yaml.ScalarNode):
        fields["description"] = v
    elif isinstance(v, yaml.MappingNode):
        key_lines: dict[str, int] = {}
        twice = False
        for fk, fv in v.value:
            key = _scalar(fk)
            if key not in ACTOR_KEYS:  # reported at the key's own line; the declaration's other keys still count
                problems.append(_Problem(_line(fk), "unknown-key", f"{where}: unknown key {key!r} (allowed: "
                                                                   f"{', '.join(ACTOR_KEYS)})"))
            elif key in key_lines:  # never last-wins: which of the two was meant is the author's to say
                problems.append(_Problem(_line(fk), "duplicate-key", f"{where}: key {key!r} given twice (line "
                                                                     f"{key_lines[key]})"))
                twice = True
            else:
                key_lines[str(key)], fields[str(key)] = _line(fk), fv
        if twice:
            return None
    else:
        problems.append(_Problem(_line(v), "bad-value", f"{where}: give a description, or a mapping with keys "
                                                        f"{', '.join(ACTOR_KEYS)}"))
        return None
    desc = _scalar(fields["description"]) if "description" in fields else None
    frame = _scalar(fields["frame"]) if "frame" in fields else ""
    if not (isinstance(desc, str) and desc.strip()):
        at = _line(fields["description"]) if "description" in fields else _line(v)
        problems.append(_Problem(at, "missing-key", f"{where}: a description (text) is required"))
        return None
    if frame != "" and frame not in FRAMES:
        problems.append(_Problem(_line(fields["frame"]), "unknown-frame",
                                 f"{where}: key 'frame': unknown frame {frame!r} (one of {', '.join(FRAMES)})"))
        return None
    return CaseActor(aid, desc.strip(), str(frame), line)


def _stop_words(node: yaml.Node, problems: list[_Problem]) -> tuple[str, ...]:
    """Return the words of ``topic_stop_words`` (lowercased); anything but a list of words is a problem."""
    words = [_scalar(n) if isinstance(n, yaml.ScalarNode) else None for n in getattr(node, "value", [])]
    if not isinstance(node, yaml.SequenceNode) or not all(isinstance(w, str) and w.strip() for w in words):
        problems.append(_Problem(_line(node), "bad-value", "key 'topic_stop_words' must be a list of words"))
        return ()
    return tuple(dict.fromkeys(str(w).strip().lower() for w in words))


def list_cases() -> list[str]:
    """Names of the shipped case files (``baby_p``, ...; the template is not a case)."""
    return sorted(p.stem for p in CASE_DIR.glob("*.yaml") if p.stem != "TEMPLATE")


def _case_path(name_or_path: str | PathLike) -> Path:
    s = str(name_or_path)
    shipped = CASE_DIR / f"{s}.yaml"
    if _NAME_RE.fullmatch(s) and shipped.is_file():
        return shipped
    path = Path(s)
    if not path.is_file():
        raise CaseError(f"no case {s!r}: not a file and not a shipped case (shipped: {', '.join(list_cases())})")
    return path


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CaseError(f"{path}: not UTF-8 text ({exc})") from exc


CaseSource: TypeAlias = "str | PathLike | Case"
"""A case as the instruments take it: a shipped case name, a case file path, or a loaded :class:`Case`
(what :func:`load_case` accepts)."""


def load_case(name_or_path: CaseSource) -> Case:
    """Load a shipped case by name (see :func:`list_cases`) or a case file by path.

    A file is parsed once per modification time and size, then served from a small cache.

    Raises
    ------
    CaseError
        When the file is missing or :func:`framing.cases.check_case` finds errors in it: every error is listed
        as ``framing case check`` prints it, ``FILE:LINE: error: [code] message`` naming the key (YAML syntax,
        unknown key, unknown actor id or frame, invalid pattern, duplicate, an entry that cannot match).
        The check's warnings (without the comparison with an actor lexicon) are issued as
        :class:`~framing.cases.CaseWarning`, once per parse of the file.
    """
    if isinstance(name_or_path, Case):
        return name_or_path
    path = _case_path(name_or_path)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    cached = _LOADED.get(key)
    if cached is not None:
        return cached
    from framing.cases._check import CaseWarning, file_issues  # it imports this module

    case, issues = file_issues(path, _read(path), base=None)
    errors = [str(i) for i in issues if i.level == "error"]
    if case is None or errors:
        raise CaseError(f"{path}: {len(errors)} error(s) in the case file (`framing case check {path}` lists "
                        "them with its warnings):\n" + "\n".join(errors))
    for issue in issues:
        warnings.warn(str(issue), CaseWarning, stacklevel=2)
    if len(_LOADED) >= _CACHE_SIZE:
        _LOADED.pop(next(iter(_LOADED)))
    _LOADED[key] = case
    return case


_CACHE_SIZE = 32
_LOADED: dict[tuple[str, int, int], Case] = {}
"""Cases loaded by path, modification time and size (a frozen :class:`Case` is safe to share): every
``frame_table`` call with a case would otherwise parse the YAML again."""


def no_case(case: object) -> bool:
    """Tell whether ``case`` means no case file: ``None`` or a blank name (``--case ''``, ``case: ""``)."""
    return case is None or (isinstance(case, str) and not case.strip())


def resolve_case(case: str | PathLike | Case | None) -> Case | None:
    """``None`` or a blank name give ``None``; a name, path or :class:`Case` gives the loaded case."""
    return None if no_case(case) else load_case(case)  # type: ignore[arg-type]
