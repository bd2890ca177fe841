"""Tests for framing.rawio: what the cp1252 fallback says about the bytes it replaced."""

from __future__ import annotations

import pytest

from framing.rawio import CorpusWarning, decode_text


def test_cp1252_fallback_says_how_many_bytes_were_replaced_and_where() -> None:
    # line 1 is 10 bytes (0-9); on line 2, 0xE9 (é) at 13, 0x81 at 15 and 0x9D at 21: 3 bytes not UTF-8, the last
    # two undefined in cp1252; 28 bytes in all
    data = b"Line one.\nCaf\xe9 \x81 and \x9d end.\n"
    issues: list[str] = []
    with pytest.warns(CorpusWarning) as caught:
        text = decode_text(data, "x.txt", issues)
    assert text.count("\ufffd") == 2 and text[15] == text[21] == "\ufffd" and text[13] == "é"
    msg = str(caught[0].message)
    assert issues == [msg]
    assert msg.startswith("x.txt: not valid UTF-8 (byte 13: b'\\xe9', line 2, offset 13); read as cp1252 instead: "
                          "3 of 28 bytes (10.7%) are not valid UTF-8")
    assert ("2 byte(s) undefined in cp1252 were replaced by U+FFFD (the replacement character, the original "
            "characters are lost): line 2, offset 15 (b'\\x81'); line 2, offset 21 (b'\\x9d')") in msg


def test_cp1252_fallback_without_undefined_bytes_replaces_nothing() -> None:
    with pytest.warns(CorpusWarning, match="no byte was replaced"):
        assert decode_text("Café “quoted”.".encode("cp1252"), "y.txt", []) == "Café “quoted”."


def test_only_the_first_five_replaced_bytes_are_located() -> None:
    with pytest.warns(CorpusWarning) as caught:
        decode_text(b"a" + b"\x81" * 7, "z.txt", [])
    msg = str(caught[0].message)
    assert "7 byte(s) undefined" in msg and "line 1, offset 5 (b'\\x81') and 2 more" in msg
    assert "offset 6" not in msg
