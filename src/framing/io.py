"""Atomic, deterministic writing of tables, text and bytes.

Every output of the package goes through these functions: a file is written to a temporary name in
the same directory and moved into place with :func:`os.replace`, so an interrupted run never leaves a
half-written table. Parquet and CSV output is deterministic (no timestamps, stable column order), so
the same inputs give byte-identical files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from framing.errors import ConfigError
from framing.types import PathLike

__all__ = [
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "parse_yaml",
    "read_table",
    "sha256_bytes",
    "sha256_file",
    "write_csv",
    "write_json",
    "write_parquet",
]


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


@contextlib.contextmanager
def atomic_path(path: PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success move it onto ``path`` atomically.

    On any exception (including KeyboardInterrupt) the temporary file is removed and ``path`` is left
    as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; outputs get the permissions of an ordinary file
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def atomic_write_bytes(path: PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def atomic_write_text(path: PathLike, text: str, encoding: str = "utf-8") -> Path:
    r"""Write ``text`` to ``path`` atomically (UTF-8, ``\n`` line ends) and return the path."""
    return atomic_write_bytes(path, text.encode(encoding))


def write_json(path: PathLike, obj: Any) -> Path:
    """Write ``obj`` as indented, key-sorted JSON atomically."""
    return atomic_write_text(path, json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")


def write_parquet(df: pd.DataFrame, path: PathLike) -> Path:
    """Write ``df`` to Parquet atomically and deterministically (no index, no pandas timestamps)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd", write_statistics=False)
    return Path(path)


def write_csv(df: pd.DataFrame, path: PathLike, *, float_format: str | None = "%.6g") -> Path:
    r"""Write ``df`` to CSV atomically (UTF-8, ``\n`` line ends, no index, fixed float format)."""
    with atomic_path(path) as tmp:
        df.to_csv(tmp, index=False, lineterminator="\n", float_format=float_format)
    return Path(path)


def read_table(path: PathLike) -> pd.DataFrame:
    """Read a table written by this module (Parquet or CSV, chosen by extension)."""
    p = Path(path)
    if p.suffix == ".parquet":
        return pd.read_parquet(p)
    return pd.read_csv(p, keep_default_na=False)


def parse_yaml(text: str, source: PathLike) -> Any:
    """Parse YAML ``text`` read from ``source``.

    Raises
    ------
    ConfigError
        On a syntax error, as ``SOURCE:LINE: invalid YAML: ...`` (the line where the parser stopped).
    """
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{source}{where}: invalid YAML: {exc}") from exc


def sha256_bytes(data: bytes) -> str:
    """Return the hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: PathLike, chunk: int = 1 << 20) -> str:
    """Return the hex SHA-256 of the file at ``path`` (read in chunks)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()
