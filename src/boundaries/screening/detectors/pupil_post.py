"""One post as the pupil detector reads it (a folded, word-only copy for the automaton; cues,
famous names and parents found in it), and the small judgements made on it: whether capitals mean
anything, whether a word is a place, how strongly school context points at a pupil."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from boundaries.screening.detectors.pupil_cues import ADULT, MEDIUM, STRONG, canonical_year
from boundaries.screening.detectors.pupil_names import NONWORD, WORD, fold_lower
from boundaries.screening.detectors.pupil_roster import RosterKey
from boundaries.screening.detectors.pupil_words import (
    MOTION,
    NEXT_OK,
    PLACE_PREP,
    TO_PERSON,
    word_set,
)
from boundaries.screening.normalise import Document
from boundaries.screening.year_groups import YEAR_WORD

_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


_CAPITAL_WORD = re.compile(r"(?<![^\W\d_])[A-ZÀ-ÖØ-Þ][^\W\d_]{3,}")


_SENTENCE_START = re.compile(r"(?:^|[.!?\n])[^\w]*([^\W\d_])")


_BEFORE_TO = re.compile(r"([^\W_]+)\W+to\W*$")


COMPOUND_HANDLE = re.compile(r"\w[._\-\d]")


@dataclass(frozen=True, slots=True)
class Hit:
    start: int  # offsets in doc.text (and doc.lower, and the folded copy)
    end: int
    key: RosterKey


@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    strength: int
    year: str | None


@dataclass(frozen=True, slots=True)
class FullName:
    """A forename and surname of the same pupil found next to each other (or near misses)."""

    start: int
    end: int
    pupil: int
    level: int  # forename level (EXACT...FORMAL)
    part: bool  # the surname matched is one part of a double-barrelled surname
    typo: bool  # one letter away in the forename or the surname
    middle: bool  # a middle name between the forename and the surname
    surname_start: int


class Post:
    """One post as the detector reads it, with the few facts about it computed on demand."""

    def __init__(self, doc: Document) -> None:
        self.text = doc.text
        self.lower = doc.lower
        self.folded = fold_lower(self.lower)
        self.scan = f" {NONWORD.sub(' ', self.folded)} "
        self._cased: bool | None = None
        self.cues: list[Cue] = []
        self.famous: list[tuple[int, int]] = []
        self.marked = any(mark in self.text for mark in "@/#\\")  # links, handles, e-mail
        self.linked: set[int] = set()  # pupils whose parent is named in the post
        self.school = False  # any school-context cue in the post (set once the cues are found)
        self.claimed: set[str] = set()  # forenames the post gives to someone other than a pupil

    @property
    def cased(self) -> bool:
        """Whether capitals carry meaning: the post is neither all lower case, all capitals,
        Title Case nor careless about capitals at the start of sentences."""
        if self._cased is None:
            self._cased = _is_cased(self.text)
        return self._cased

    def word_at(self, pos: int) -> str:
        match = WORD.match(self.folded, pos)
        return match[0] if match else ""

    def after_spaces(self, pos: int) -> int:
        """The next word's start if only spaces or tabs follow ``pos``, else -1."""
        text, n, i = self.text, len(self.text), pos
        while i < n and text[i] in " \t\u00a0":
            i += 1
        return i if i > pos and i < n and text[i].isalnum() else -1

    def before_spaces(self, pos: int) -> int:
        """The end of the previous word if only spaces or tabs come before ``pos``, else -1."""
        text, i = self.text, pos
        while i > 0 and text[i - 1] in " \t\u00a0":
            i -= 1
        return i if i < pos and i > 0 and text[i - 1].isalnum() else -1

    def prev_word(self, pos: int) -> str:
        """The folded word before ``pos`` across spaces and punctuation (one full stop at most:
        "Mr. Smith"), or "" at the start of the text or of a sentence."""
        text, i = self.folded, pos - 1
        stop = max(0, pos - 40)
        while i >= stop and not text[i].isalnum():
            if text[i] in "!?\n" or (text[i] == "." and i + 1 < pos and text[i + 1] == "."):
                return ""
            i -= 1
        end = i + 1
        while i >= stop and text[i].isalnum():
            i -= 1
        return text[i + 1 : end]

    def sentence_initial(self, pos: int) -> bool:
        text, i = self.text, pos - 1
        while i >= 0:
            char = text[i]
            if char == "\n" or char in ".!?…:":
                return True
            if char.isalnum() or char in ",;&":
                return False
            i -= 1
        return True

    def in_handle(self, start: int, end: int) -> bool:
        """Inside an e-mail address, link, @handle or #hashtag."""
        text = self.text
        if not self.marked:
            return start > 0 and text[start - 1] == "." and start > 1 and text[start - 2].isalnum()
        left = start
        while left > 0 and not text[left - 1].isspace():
            left -= 1
        right = end
        while right < len(text) and not text[right].isspace():
            right += 1
        token = text[left:right].rstrip(".,!?;:)'’\"")
        if any(mark in token for mark in ("/", "#", "www.", "\\")) or "@" in token[1:]:
            return True  # a link, a hashtag or an e-mail address
        if token.startswith("@"):
            return COMPOUND_HANDLE.search(token) is not None  # "@sky.b.y6": see _handles
        return start > left and text[start - 1] == "."

    def in_famous(self, start: int, end: int, *, covering: bool = False) -> bool:
        """Inside a famous name or fixed phrase; ``covering``: the phrase covers all of it."""
        if covering:
            return any(fs <= start and fe >= end for fs, fe in self.famous)
        return any(fs < end and fe > start for fs, fe in self.famous)

    def cues_near(self, start: int, end: int, reach: int = 100) -> list[Cue]:
        return [
            c
            for c in self.cues
            if c.end > start - reach
            and c.start < end + reach
            and (c.end <= start or c.start >= end)
        ]


def _is_cased(text: str) -> bool:
    if text == text.lower() or text == text.upper():
        return False
    starts = _SENTENCE_START.findall(text)
    if starts and sum(c.isupper() for c in starts) * 2 < len(starts):
        return False
    words = len(_LONG_WORD.findall(text))
    capitals = len(_CAPITAL_WORD.findall(text))
    return not (words >= 4 and capitals * 10 >= words * 7)  # Title Case: capitals say nothing


def place_use(post: Post, prev: str, start: int) -> bool:
    """Whether the word before a place-like name makes it the place ("in Paris", "trip to")."""
    if prev != "to":
        return prev in PLACE_PREP
    before = _BEFORE_TO.search(post.folded, max(0, start - 40), start)
    return before is not None and before[1] in MOTION


def to_person(post: Post, prev: str, start: int) -> bool:
    """Whether "to" follows words after which a person comes ("well done to Jack")."""
    if prev != "to":
        return False
    before = _BEFORE_TO.search(post.folded, max(0, start - 40), start)
    return before is not None and before[1] in TO_PERSON


def one_edit(word: str, name: str) -> bool:
    return word != name and OSA.distance(word, name, score_cutoff=1) <= 1


def possessive(text: str, end: int) -> bool:
    return text[end : end + 2] in ("'s", "’s") or text[end : end + 1] in ("'", "’")


def distinct_cues(cues: list[Cue]) -> list[Cue]:
    """Overlapping cues count once, as the longest ("in my class", not also "my class")."""
    kept: list[Cue] = []
    for cue in sorted(cues, key=lambda c: (c.start, c.start - c.end)):
        if not kept or cue.start >= kept[-1].end:
            kept.append(cue)
        elif cue.end > kept[-1].end and cue.strength > kept[-1].strength:
            kept[-1] = cue
    return kept


def best_cue(cues: list[Cue]) -> int:
    return max((c.strength for c in cues), default=0)


def adult_nearby(cues: list[Cue], start: int, end: int) -> bool:
    return any(c.strength == ADULT and c.end > start - 40 and c.start < end + 40 for c in cues)


def alone_score(cues: list[Cue], adjacent: bool) -> float | None:
    """How sure school context makes us that a first name is a pupil's."""
    positive = [c.strength for c in cues if c.strength > 0]
    total = sum(positive)
    best = max(positive, default=0)
    if adjacent:
        return 0.72 + (0.02 if best >= STRONG else 0.0)
    if best >= STRONG:
        return 0.68 if total >= 6 else 0.65
    if best == MEDIUM and total >= 6:
        return 0.56  # "school", "class" and "homework" around a name, but nothing specific
    return None


def slot_year(after: re.Match[str] | None, before: re.Match[str] | None) -> str | None:
    for match in (after, before):
        if match is not None:
            if match["year"]:
                return canonical_year(match["year"])
            if match["rec"]:
                return canonical_year(match["rec"])
    return None


def near_year(cues: list[Cue], start: int, end: int) -> str | None:
    near = [c for c in cues if c.year and c.end > start - 40 and c.start < end + 40]
    if not near:
        return None
    return min(near, key=lambda c: min(abs(c.start - end), abs(start - c.end))).year


def cue_word(word: str) -> bool:
    return word in NEXT_OK or re.fullmatch(YEAR_WORD, word) is not None


def cue_text(
    post: Post,
    cues: list[Cue],
    after: re.Match[str] | None,
    before: re.Match[str] | None,
    end: int,
) -> str:
    if after is not None:
        return post.text[after.start() : after.end()].strip(" ,:;-–—([")
    if before is not None:
        return post.text[before.start() : before.end()].strip(" ,:;-–—")
    positive = [c for c in cues if c.strength > 0]
    if not positive:
        return "school context"
    cue = max(positive, key=lambda c: (c.strength, -abs(c.start - end)))
    return post.text[cue.start : cue.end]


# Words before a name that make it the object of a sentence, not someone spoken to ("with Amber,").
_NOT_VOCATIVE_BEFORE = word_set(
    """to with and for from by of at about like than or nor but as said says told tell asked ask
    is was meet met see saw call called named after before behind beside between near sat"""
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|youre|yours|u|ur)\b")


def vocative(post: Post, start: int, end: int, prev: str) -> bool:
    """Whether the name is said to the person: "Gorgeous dress, Amber!", "Millie, you looked
    so grown up", "Loved your haircut today Jayden!"."""
    text = post.text
    i = end
    while i < len(text) and text[i] in " \t":
        i += 1
    if i < len(text) and text[i] not in ",!?.\n" and text[i].isascii():
        return False  # the sentence goes on: "Amber said", "Amber and Joy"
    if prev in _NOT_VOCATIVE_BEFORE:
        return False
    j = start
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    after_comma = j > 0 and text[j - 1] == ","
    if after_comma or post.sentence_initial(start):
        return True
    return _SECOND_PERSON.search(post.lower) is not None
