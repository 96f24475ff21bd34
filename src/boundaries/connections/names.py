"""Names as the matcher compares them: folded to plain lower-case letters.

Accents go (Zoë, Zoe), letters with no decomposition are spelt out (ß, æ, ø, ł), Greek and
Cyrillic are transliterated, and the "fancy fonts" people use in display names (𝓐𝓶𝔂, Ａｍｙ)
become ordinary letters through NFKC. What is left is split into name tokens.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib.resources import files

_SPECIAL = {
    "ß": "ss",
    "æ": "ae",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "œ": "oe",
    "ŀ": "l",
    "ħ": "h",
    "ŋ": "ng",
}
# BGN/PCGN-style romanisation, simplified: enough to read a Russian, Ukrainian, Bulgarian or
# Greek name as it is usually written in English.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ye",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}  # fmt: skip
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}  # fmt: skip
_TABLE = str.maketrans({**_SPECIAL, **_CYRILLIC, **_GREEK})
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_LETTERS = re.compile(r"[a-z]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """``text`` in lower-case ASCII where it can be: no accents, other alphabets romanised.

    Apostrophes are dropped (O'Brien, OBrien); every other character is kept, so callers can
    still split on spaces, dots and digits.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    # Accents first (so that "й" keeps its breve for the table, decompose after translating).
    text = text.translate(_TABLE)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    # Letters that decompose into a base letter plus a mark not handled above (e.g. Greek tonos)
    text = text.translate(_TABLE)
    return _APOSTROPHES.sub("", text)


def tokens(text: str) -> list[str]:
    """The runs of letters in the folded ``text``: "Amy-Jo O'Brien" is amy, jo, obrien."""
    return _LETTERS.findall(fold(text))


def joined(text: str) -> str:
    """All the letters of the folded ``text`` run together: "Smith-Jones" is smithjones."""
    return "".join(tokens(text))


def was_folded(original: str) -> bool:
    """Whether folding changed more than case and punctuation (accents, another alphabet)."""
    plain = re.sub(r"[^a-z]", "", original.lower())
    return plain != joined(original)


def _words(resource: str) -> list[str]:
    text = files("boundaries.connections").joinpath("lexicons", resource).read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def common_surnames() -> frozenset[str]:
    """Common UK surnames, folded (lexicons/surnames.txt)."""
    return frozenset(joined(word) for line in _words("surnames.txt") for word in line.split())
