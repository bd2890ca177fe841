"""The TrueType subsets that PDF figures embed, kept on disk so that each is computed once.

A PDF figure embeds the fonts it uses as TrueType subsets (``pdf.fonttype: 42``): matplotlib asks fontTools
to subset DejaVu Sans (and its bold face) to the glyphs of the figure, which parses the whole font each time;
that is about three quarters of the time of writing a PDF (0.15 s per font and figure). The same figure uses the
same glyphs in every run, and the subset is a pure function of the font file, the glyphs and the library
versions. :func:`cached_subsets` (used by :func:`framing.plots.save_figure` around its PDF output) keeps each
subset in ``framing-font-subsets/`` of matplotlib's cache folder (``matplotlib.get_cachedir()``, beside
matplotlib's own font list) (one file each: the key, the glyph map as JSON, the subset's bytes)
under a SHA-256 of the matplotlib and fontTools versions, the font file (path, size,
modification time, face index) and the glyph indices, and replays it: the PDF is byte for byte the one
matplotlib writes itself. When the cache folder is not writable, or matplotlib's internals are not the expected
ones, subsets are computed as usual.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from framing.io import atomic_write_bytes

__all__ = ["cached_subsets", "subset_cache_dir"]

_MEMORY: dict[str, tuple[bytes, dict[int, int]]] = {}
_MEMORY_LIMIT = 256


def subset_cache_dir() -> Path:
    """Return the folder of the font subsets (``framing-font-subsets`` in matplotlib's cache folder)."""
    import matplotlib

    return Path(matplotlib.get_cachedir()) / "framing-font-subsets"


class _SubsetBytes:
    """A stand-in for a fontTools ``TTFont`` subset: saves the bytes fontTools wrote for it."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def save(self, file: Any, reorderTables: bool | None = True) -> None:
        file.write(self.data)

    def __enter__(self) -> _SubsetBytes:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


@functools.cache
def _versions() -> str:
    import importlib.metadata

    import matplotlib

    try:
        fonttools = importlib.metadata.version("fonttools")  # matplotlib's own dependency
    except importlib.metadata.PackageNotFoundError:
        fonttools = "?"
    return f"matplotlib {matplotlib.__version__}, fonttools {fonttools}"


def _key(fontfile: Any, glyphs: Iterable[int]) -> str:
    path = str(getattr(fontfile, "path", fontfile))
    stat = os.stat(path)
    parts = [_versions(), path, str(stat.st_size), str(stat.st_mtime_ns),
             str(getattr(fontfile, "face_index", 0)), ",".join(map(str, sorted(int(g) for g in glyphs)))]
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _computed(original: Any, fontfile: Any, glyphs: Any) -> tuple[bytes, dict[int, int]]:
    from matplotlib.backends import _backend_pdf_ps

    with original(fontfile, glyphs) as subset:
        data = _backend_pdf_ps.font_as_file(subset.font).getvalue()
        return data, {int(k): int(v) for k, v in subset.glyph_index_map.items()}


def _lookup(key: str, directory: Path) -> tuple[bytes, dict[int, int]] | None:
    if key in _MEMORY:
        return _MEMORY[key]
    try:
        raw = (directory / f"{key}.ttf-subset").read_bytes()
        stored_key, header, data = raw.split(b"\n", 2)
        mapping = {int(k): int(v) for k, v in json.loads(header).items()}
    except (OSError, ValueError, AttributeError):  # missing or unreadable: computed again
        return None
    if stored_key.decode("ascii", "replace") != key:
        return None
    return data, mapping


def _remember(key: str, value: tuple[bytes, dict[int, int]], directory: Path) -> None:
    if len(_MEMORY) >= _MEMORY_LIMIT:
        _MEMORY.clear()
    _MEMORY[key] = value
    with contextlib.suppress(OSError):
        directory.mkdir(parents=True, exist_ok=True)
        header = json.dumps({str(k): v for k, v in sorted(value[1].items())}).encode("ascii")
        atomic_write_bytes(directory / f"{key}.ttf-subset", key.encode("ascii") + b"\n" + header + b"\n" + value[0])


@contextlib.contextmanager
def cached_subsets(directory: Path | None = None) -> Iterator[None]:
    """Within the block, PDF output reuses the font subsets of earlier figures (module docstring).

    Parameters
    ----------
    directory : path, optional
        Where the subsets are kept (default :func:`subset_cache_dir`).
    """
    try:
        from matplotlib.backends import _backend_pdf_ps
        original = _backend_pdf_ps.get_glyphs_subset
        _backend_pdf_ps.font_as_file  # noqa: B018 (the other internal the PDF backend uses with it)
    except (ImportError, AttributeError):
        yield
        return
    folder = subset_cache_dir() if directory is None else Path(directory)

    @contextlib.contextmanager
    def get_glyphs_subset(fontfile: Any, glyphs: Any) -> Iterator[Any]:
        glyphs = list(glyphs)
        try:
            key = _key(fontfile, glyphs)
        except (OSError, TypeError, ValueError):
            with original(fontfile, glyphs) as subset:
                yield subset
            return
        found = _lookup(key, folder)
        if found is None:
            found = _computed(original, fontfile, glyphs)
            _remember(key, found, folder)
        data, mapping = found
        yield _backend_pdf_ps.SubsetResults(_SubsetBytes(data), dict(mapping))

    _backend_pdf_ps.get_glyphs_subset = get_glyphs_subset
    try:
        yield
    finally:
        _backend_pdf_ps.get_glyphs_subset = original
