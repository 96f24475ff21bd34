"""How pupils' names are read: accent folding, the matching key of a name, and the name
lexicons (short forms, names that are ordinary words, famous names and fixed phrases)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache

from boundaries.screening.lexicon_files import expand, lexicon_text

WORD = re.compile(r"[^\W_]+")


NONWORD = re.compile(r"[\W_]")


# Non-ASCII character -> its accent-free form. Seeded with letters that NFKD does not decompose
# but that people type without the mark ("Łukasz" -> "lukasz"); the rest are added as met.
_FOLD_TABLE: dict[int, str] = {
    ord(k): v
    for k, v in {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ð": "d",
        "þ": "t",
    }.items()
}


def _lexicon(name: str) -> Iterator[str]:
    """Lines of a lexicon without comments and blank lines."""
    for raw in lexicon_text(name).splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            yield line


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in base if not unicodedata.combining(c))
    return stripped if len(stripped) == 1 else char


def _fold_match(match: re.Match[str]) -> str:
    char = match.group()
    folded = _FOLD_TABLE.get(ord(char))
    if folded is None:
        folded = _FOLD_TABLE[ord(char)] = _fold_char(char)  # learnt once, then reused
    return folded


def fold_lower(lower: str) -> str:
    """Lower-case text without accents, one character for one, so offsets are kept. Only the
    non-ASCII characters are visited (``str.translate`` with a dict looks up every character,
    which is ten times slower on a post with one "é" in it)."""
    if lower.isascii():
        return lower
    return _NON_ASCII.sub(_fold_match, lower)


def name_key(name: str) -> str:
    """The form a name is matched in: lower case, no accents, words joined by one space."""
    low = name.lower()
    if len(low) != len(name):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in name)
    return " ".join(WORD.findall(fold_lower(low)))


@cache
def nicknames() -> dict[str, frozenset[str]]:
    """Formal given name -> its short forms."""
    table: dict[str, set[str]] = {}
    for line in _lexicon("nicknames.txt"):
        formal, _, nicks = line.partition(":")
        short = {name_key(n) for n in nicks.split(",") if name_key(n)}
        for name in formal.split("/"):
            table.setdefault(name_key(name), set()).update(short)
    return {k: frozenset(v) for k, v in table.items()}


@cache
def formal_names() -> dict[str, frozenset[str]]:
    """Short form -> the formal names it is short for."""
    table: dict[str, set[str]] = {}
    for formal, nicks in nicknames().items():
        for nick in nicks:
            table.setdefault(nick, set()).add(formal)
    return {k: frozenset(v) for k, v in table.items()}


@cache
def common_words() -> dict[str, frozenset[str]]:
    """Name -> the other senses it has ("word", "verb", "place")."""
    table: dict[str, frozenset[str]] = {}
    for line in _lexicon("common-words-names.txt"):
        name, _, kinds = line.partition(":")
        table[name_key(name)] = frozenset(k.strip() for k in kinds.split(",") if k.strip())
    return table


@cache
def famous_phrases() -> frozenset[str]:
    return frozenset(name_key(p) for line in _lexicon("famous-people.txt") for p in expand(line))


@cache
def given_names() -> frozenset[str]:
    """Every given name the lexicons know: a near miss that is itself a name is another person."""
    names = set(nicknames())
    for nicks in nicknames().values():
        names.update(nicks)
    return frozenset(names)
