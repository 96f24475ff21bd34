"""Repair Facebook's mojibake: UTF-8 bytes written as ``\\u00XX`` escapes, one per byte.

``json.load`` then yields Latin-1 mojibake ("ZoÃ«" for "Zoë"). Each string is repaired on its own
and only when the repair is certain, so text that is already correct is never damaged.
"""

from __future__ import annotations

import re

# A UTF-8 lead byte followed by a continuation byte, both read as Latin-1: the mark of mojibake.
_MARK = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]")


def repair_text(text: str) -> str:
    """The text as it was meant, or unchanged when it is not mojibake."""
    if text.isascii() or not _MARK.search(text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        # Characters beyond Latin-1, or bytes that are not UTF-8: the text was already right.
        return text


def as_mojibake(text: str) -> str:
    """How Facebook writes the text (UTF-8 bytes as Latin-1 characters); for tests and tools."""
    return text.encode("utf-8").decode("latin-1")
