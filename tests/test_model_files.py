"""Model files: one fingerprint of a model file (framing.model_files.model_digest)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from framing import model_files
from framing.model_files import MODEL_DIR, model_digest


def test_model_digest_is_the_sha256_of_the_model_file_by_name_or_path(tmp_path: Path) -> None:
    shipped = MODEL_DIR / "general.pkl"
    want = hashlib.sha256(shipped.read_bytes()).hexdigest()  # an independent restatement
    assert model_digest("general") == want and model_digest(shipped) == want
    copy = tmp_path / "mine.pkl"
    shutil.copyfile(shipped, copy)
    with copy.open("ab") as f:
        f.write(b"\0")  # another file: another digest
    assert model_digest(copy) == hashlib.sha256(copy.read_bytes()).hexdigest() != want


def test_partitions_and_the_instrument_signature_fingerprint_a_model_through_model_digest(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the review: backends._identity and instrument_signature each hashed the model file themselves."""
    from framing.backends._identity import FRAME_LEXICONS, resolve_instruments
    from framing.scoring import instrument_signature

    monkeypatch.setattr(model_files, "model_digest", lambda path: "ab" * 32)
    assert instrument_signature(model="general").startswith("model general sha256:abababababab; frames ")
    _, found = resolve_instruments({"model": "general"}, FRAME_LEXICONS)
    assert found["model"]["sha256"] == "ab" * 32
