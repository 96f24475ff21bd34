"""Normalise text for detection while keeping a map back to the offsets the user wrote.

Two views are built from the original text:

* ``norm``: NFKC, confusable letters folded to Latin, zero-width and other format characters
  removed. Case and punctuation are kept: detectors such as the pupil matcher need capitals.
* ``plain`` (built on first use): ``norm`` without accents, lower case, with the digits and symbols
  that stand for letters inside words turned back into letters ("sh1t", "@ss", "$hit") and
  letters spaced out to dodge filters joined up ("f u c k", "s.h.i.t"). Lexicon detectors read it.

Every character of a view carries the original span it came from, so a detector's span in any view
maps back exactly (design rule: spans always point into the text the user wrote).
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, TypeVar

# Characters that change nothing visible but split words for a filter.
_INVISIBLE = {"\u00ad", "\u034f", "\u061c", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u180e"}

_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
         "@": "a", "$": "s", "!": "i", "|": "l", "€": "e", "£": "l"}  # fmt: skip

_INFIX_ONLY = frozenset("!|@")  # a letter only between letters: "sh!t", not "hello!" or "@dave"

# Single letters separated by one separator, at least three letters long: "f u c k", "s.h.i.t".
_SPACED = re.compile(r"(?<![^\W_])(?:[a-z][ ._\-*]){2,}[a-z](?![^\W_])")


@dataclass(frozen=True)
class View:
    """A transformed copy of the text with, for each character, its span in the original."""

    text: str
    starts: tuple[int, ...] | None = None  # None: same offsets as the original
    ends: tuple[int, ...] | None = None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            pos = (
                self.starts[start]
                if start < len(self.starts)
                else self.ends[-1]
                if self.ends
                else 0
            )
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def from_original(self, start: int, end: int) -> tuple[int, int]:
        """The span of this view that covers original offsets ``start``..``end``: the inverse of
        :meth:`to_original`, to move a span found in one view into another."""
        if self.starts is None or self.ends is None:
            return start, end
        s = bisect_right(self.starts, start) - 1
        e = bisect_left(self.ends, end) + 1
        return max(0, s), max(max(0, s), min(len(self.text), e))


@lru_cache(maxsize=1)
def _confusable_to_latin() -> dict[str, str]:
    """Letters from other scripts that look like a Latin letter ("Ϲ", "а", "ο"), from the
    Unicode confusables data that confusable-homoglyphs ships."""
    path = resources.files("confusable_homoglyphs") / "confusables.json"
    data: dict[str, list[dict[str, str]]] = json.loads(path.read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for char, entries in data.items():
        if len(char) != 1 or char.isascii():
            continue
        for entry in entries:
            glyph = entry.get("c", "")
            if len(glyph) == 1 and glyph.isascii() and glyph.isalpha():
                table[char] = glyph
                break
    return table


def _is_invisible(char: str) -> bool:
    return char in _INVISIBLE or unicodedata.category(char) == "Cf" or "\ufe00" <= char <= "\ufe0f"


@lru_cache(maxsize=1)
def _invisible_chars() -> frozenset[str]:
    return frozenset(chr(c) for c in range(0x80, 0x110000) if _is_invisible(chr(c)))


@lru_cache(maxsize=1)
def _needs_folding() -> frozenset[str]:
    """Every character that ``normalise`` would remove or replace, once the text is NFKC.

    A set, not a regular expression: a character class this large makes ``re`` slow."""
    return _invisible_chars() | frozenset(_confusable_to_latin())


def normalise(text: str) -> View:
    """Build the ``norm`` view of ``text``."""
    if text.isascii():
        return View(text)  # nothing to fold: the common case, kept fast
    if unicodedata.is_normalized("NFKC", text) and _needs_folding().isdisjoint(text):
        return View(text)  # accents and emoji only: nothing to fold either
    confusables = _confusable_to_latin()
    invisible = _invisible_chars()
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        j = i + 1
        if char < "\x80" and (j == n or text[j] < "\x80"):  # ASCII with no accent to follow
            out.append(char)
            starts.append(i)
            ends.append(j)
            i = j
            continue
        if char in invisible:
            i = j
            continue
        while j < n and unicodedata.combining(text[j]):  # a base and its marks are one unit
            j += 1
        for folded in unicodedata.normalize("NFKC", text[i:j]):
            out.append(confusables.get(folded, folded))
            starts.append(i)
            ends.append(j)
        i = j
    return View("".join(out), tuple(starts), tuple(ends))


def _strip_accent(char: str) -> str:
    if char.isascii():
        return char
    base = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in base if not unicodedata.combining(c))
    return stripped if len(stripped) == 1 else char


def plain(norm: View) -> View:
    """Build the ``plain`` view (see the module docstring) from the ``norm`` view."""
    src = norm.text
    n = len(src)
    chars = [_strip_accent(c).lower() for c in src]
    chars = [c if len(c) == 1 else src[k] for k, c in enumerate(chars)]
    # Leetspeak only inside a word that also has letters, so "2024", "£5", "hello!" and "@dave"
    # stay as they are: digits and currency signs next to a letter, punctuation between letters.
    for m in re.finditer(r"[\w@$!|€£]+", src):
        word = m.group()
        if word.isalpha() or not any(c.isalpha() for c in word):
            continue
        for k in range(m.start(), m.end()):
            leet = _LEET.get(src[k])
            if leet is None:
                continue
            before = src[k - 1].isalpha() if k > m.start() else False
            after = src[k + 1].isalpha() if k + 1 < m.end() else False
            # "@ss" and "@rse": a short word led by "@" is a disguise, a longer one a mention.
            leading_at = src[k] == "@" and k == m.start() and after and len(word) <= 4
            if (
                (before and after)
                or leading_at
                or (src[k] not in _INFIX_ONLY and (before or after))
            ):
                chars[k] = leet
    lowered = "".join(chars)
    keep = [True] * n
    for m in _SPACED.finditer(lowered):
        for k in range(m.start() + 1, m.end(), 2):
            keep[k] = False
    base_starts = norm.starts or tuple(range(n))
    base_ends = norm.ends or tuple(range(1, n + 1))
    text = "".join(c for c, k in zip(lowered, keep, strict=True) if k)
    starts = tuple(s for s, k in zip(base_starts, keep, strict=True) if k)
    ends = tuple(e for e, k in zip(base_ends, keep, strict=True) if k)
    return View(text, starts, ends)


T = TypeVar("T")


@dataclass
class Document:
    """The text being screened and its views, built once and shared by every detector."""

    original: str
    norm: View = field(init=False)
    _shared: dict[Callable[..., Any], Any] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.norm = normalise(self.original)

    def shared(self, build: Callable[[Document], T]) -> T:
        """``build(self)``, computed once per document however many detectors ask for it.

        For analyses several detectors read (phone numbers found, words tokenised): the result
        lives and dies with the document, so nothing is kept between posts or shared between
        threads."""
        if build not in self._shared:
            self._shared[build] = build(self)
        result: T = self._shared[build]
        return result

    @property
    def text(self) -> str:
        """The ``norm`` text: what most detectors read."""
        return self.norm.text

    @cached_property
    def lower(self) -> str:
        """``norm`` in lower case, same length, for case-insensitive look-ups."""
        low = self.norm.text.lower()
        if len(low) == len(self.norm.text):
            return low
        return "".join(c.lower() if len(c.lower()) == 1 else c for c in self.norm.text)

    @cached_property
    def plain(self) -> View:
        return plain(self.norm)
