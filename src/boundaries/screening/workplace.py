"""Cues that a post is about the author's workplace and its people, and cues that it addresses
pupils or parents.

Several detectors need the same answers: does "our head", "Brookfield's SLT" or "the caretaker"
point at the author's employer and its people (employer criticism, allegations, staff matters,
endorsement, disclaimers), and does "Year 10s", "kids" or a roster name mean the post speaks to
pupils (pupil contact)? They are answered here, once, so that every detector reads a post the same
way. Offsets are in ``doc.norm`` (the same as ``doc.text`` and ``doc.lower``).

Build :class:`WorkplaceCues` and :class:`AudienceCues` once per context (``workplace_cues`` and
``audience_cues`` share one instance between detectors); ``find`` remembers the last document, so
detectors that run on the same post share one scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from typing import Generic, TypeVar

import ahocorasick

from boundaries.screening.context import ScreeningContext
from boundaries.screening.lexicon_files import lexicon_text
from boundaries.screening.normalise import Document
from boundaries.screening.year_groups import YEAR_NUMBERED, YEAR_OR_EARLY

T = TypeVar("T")


class Kind(StrEnum):
    """What a cue points at."""

    SCHOOL = "school"
    WORK = "work"  # work in general: "at work", "this job"
    MANAGEMENT = "management"
    GOVERNORS = "governors"
    COUNCIL = "council"
    PARENTS = "parents"
    PUPILS = "pupils"
    COLLEAGUES = "colleagues"
    INSPECTION = "inspection"  # Ofsted and inspectors: about work, not the employer


STAFF_KINDS = frozenset({Kind.MANAGEMENT, Kind.COLLEAGUES, Kind.GOVERNORS})
# The employer itself: the school (and trust), its leaders (HR, payroll), governors, the council.
EMPLOYER_KINDS = frozenset({Kind.SCHOOL, Kind.MANAGEMENT, Kind.GOVERNORS, Kind.COUNCIL})


@dataclass(frozen=True, slots=True)
class Cue:
    """One reference to the workplace, its people or an audience, in ``doc.norm`` offsets."""

    start: int
    end: int
    kind: Kind
    text: str
    strength: float  # how surely it means the author's own school (or, for audience, pupils)
    identifies: bool = False  # pins down the employer: the school's name, "my school", "at work"
    person: bool = False  # identifiable people: "our caretaker", "Mrs Okafor", "SLT"
    addressed: bool = False  # audience: spoken to ("Year 10s, add me"), not only mentioned


# --- small text helpers shared by the detectors -------------------------------------------------


@cache
def read_lexicon(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a lexicon file: ``|``-separated fields, ``#`` comments and blank lines skipped."""
    rows = []
    for line in lexicon_text(name).splitlines():
        line = line.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            rows.append(tuple(field.strip() for field in line.split("|")))
    return tuple(rows)


# Sentence ends: . ! ? before a space or the end (not after a title or an initial: "Mr.", "D."),
# line breaks, semicolons, bullets and "|" (bios).
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|[\n;•|]")
_NOT_AN_END = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St)|(?<![\w.])[A-Z])$")
_last_sentences: tuple[str, list[tuple[int, int]]] = ("", [(0, 0)])


def sentences(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of ``text``; together they cover the whole text.
    The last answer is kept, as every detector asks about the same post."""
    global _last_sentences
    last = _last_sentences
    if last[0] is text:
        return last[1]
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group()[0] == "." and _NOT_AN_END.search(text, max(0, m.start() - 4), m.start()):
            continue
        out.append((pos, m.end()))
        pos = m.end()
    if pos < len(text) or not out:
        out.append((pos, len(text)))
    _last_sentences = (text, out)
    return out


def sentence_of(bounds: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence in ``bounds`` that holds offset ``pos``."""
    for start, end in bounds:
        if start <= pos < end:
            return start, end
    return bounds[-1] if bounds else (0, 0)


_NEGATION = re.compile(
    r"(?:\bnot|n['’]t|\bnever|\bno longer|\bfar from|\bhardly)\s+(?:\w+\s+){0,2}$"
)


def negated(lower: str, start: int, reach: int = 24) -> bool:
    """Whether a negation ("not", "isn't", "never", "far from") comes just before ``start``."""
    return _NEGATION.search(lower[max(0, start - reach) : start]) is not None


# --- Aho-Corasick phrase matching --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    start: int
    end: int
    value: T


@dataclass(frozen=True, slots=True)
class _Entry(Generic[T]):
    phrase: str
    value: T
    cased: bool
    suffix: bool
    prefix: bool  # "embezzl*": the phrase may go on ("embezzled", "embezzling")


# Characters that are not part of a word, for the padded copy of a text PhraseMatcher searches.
_NON_WORD = re.compile(r"[\W_]")
_last_padded: tuple[str, str] = ("", " ")


def _padded(lower: str) -> str:
    """ " " + ``lower`` + " ", with every character that is not a letter or digit turned into a
    space (same offsets, shifted by one). Whole words are then found as " word ". The last answer
    is kept: every matcher reads the same post."""
    global _last_padded
    last = _last_padded
    if last[0] is lower:
        return last[1]
    padded = " " + _NON_WORD.sub(" ", lower) + " "
    _last_padded = (lower, padded)
    return padded


class PhraseMatcher(Generic[T]):
    """Whole-word phrases found in one pass (Aho-Corasick) over the lower-case text.

    A phrase may take a plural ending ("colleague" finds "colleagues") unless ``suffix`` is False;
    a ``cased`` phrase must match the original capitals ("TA" is a teaching assistant, "ta" is
    thanks); a phrase ending in ``*`` is a stem ("embezzl*"). Curly and straight apostrophes are
    both found.

    Phrases that begin and end with a letter or digit (nearly all) are searched, with a space at
    each end, in a copy of the text whose other characters are spaces: every match is then a whole
    word, with no per-match checks in Python (the hot path of screening). The few that begin or end
    with a symbol ("#ad", "£", "🤫") are searched as typed, with the checks.
    """

    def __init__(self, entries: Iterable[tuple[str, T, bool, bool]]) -> None:
        self._auto = ahocorasick.Automaton()  # symbol-edged phrases, checked per match
        self._words = ahocorasick.Automaton()  # word-edged phrases, in the padded copy
        table: dict[str, list[_Entry[T]]] = {}
        words: dict[str, list[tuple[_Entry[T], int]]] = {}
        seen: set[tuple[str, int, int, bool, bool]] = set()  # a phrase's two apostrophes: once
        for phrase, value, cased, suffix in entries:
            phrase = " ".join(phrase.split())
            prefix = phrase.endswith("*")
            phrase = phrase.rstrip("*")
            if not phrase:
                continue
            for variant in {phrase, phrase.replace("'", "’")}:
                key = variant.lower()
                entry = _Entry(variant, value, cased, suffix, prefix)
                if not (key[0].isalnum() and key[-1].isalnum()):
                    table.setdefault(key, []).append(entry)
                    continue
                core = _NON_WORD.sub(" ", key)
                endings = ("", "s", "es") if suffix and not prefix else ("",)
                for ending in endings:
                    padded = " " + core + ending + ("" if prefix else " ")
                    once = (padded, id(value), len(ending), cased, prefix)
                    if once not in seen:
                        seen.add(once)
                        words.setdefault(padded, []).append((entry, len(ending)))
        for key, entries_ in table.items():
            self._auto.add_word(key, (key, tuple(entries_)))
        for key, pairs in words.items():
            self._words.add_word(key, (len(key), tuple(pairs)))
        self._symbols = bool(table)
        self._has_words = bool(words)
        self.empty = not table and not words
        if table:
            self._auto.make_automaton()
        if words:
            self._words.make_automaton()

    def find(self, text: str, lower: str) -> list[Hit[T]]:
        """Every match in ``text`` (``lower`` is its lower-case copy, same offsets)."""
        if self.empty:
            return []
        hits: list[Hit[T]] = []
        if self._has_words:
            for last, (size, pairs) in self._words.iter(_padded(lower)):
                start = last - size + 1  # the padded key's leading space: the word's own offset
                for entry, ending in pairs:
                    stop = start + len(entry.phrase) + ending
                    if entry.cased and text[start : start + len(entry.phrase)] != entry.phrase:
                        continue
                    hits.append(Hit(start, stop, entry.value))
        if self._symbols:
            hits += self._find_symbols(text, lower)
        return hits

    def _find_symbols(self, text: str, lower: str) -> list[Hit[T]]:
        hits: list[Hit[T]] = []
        n = len(lower)
        for last, (key, entries) in self._auto.iter(lower):
            start, end = last - len(key) + 1, last + 1
            if key[0].isalnum() and start > 0 and lower[start - 1].isalnum():
                continue
            for entry in entries:
                if entry.cased and text[start:end] != entry.phrase:
                    continue
                stop = end
                if not entry.prefix and key[-1].isalnum() and end < n and lower[end].isalnum():
                    stop = _suffix_end(lower, end) if entry.suffix else -1
                    if stop < 0:
                        continue
                hits.append(Hit(start, stop, entry.value))
        return hits


def windowed(
    pattern: re.Pattern[str], text: str, hits: Iterable[Hit[T]], before: int = 60, after: int = 90
) -> list[re.Match[str]]:
    """Matches of ``pattern`` near the keyword ``hits`` only: a long pattern tried over a whole
    post is slow in Python, tried over a few windows it is cheap. Each match is reported once."""
    # Overlapping windows are merged first: a match that starts in one window and ends (or looks
    # ahead) in the next is then still found.
    spans: list[list[int]] = []
    for hit in sorted(hits, key=lambda h: h.start):
        start, end = max(0, hit.start - before), min(len(text), hit.end + after)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return [m for start, end in spans for m in pattern.finditer(text, start, end)]


def _suffix_end(lower: str, end: int) -> int:
    for suffix in ("s", "es"):
        stop = end + len(suffix)
        if lower.startswith(suffix, end) and (stop >= len(lower) or not lower[stop].isalnum()):
            return stop
    return -1


def leftmost_longest(hits: Iterable[Hit[T]]) -> list[Hit[T]]:
    """Overlapping hits reduced to the longest at each place ("head teacher" over "head")."""
    kept: list[Hit[T]] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.start - h.end)):
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept


def _lexicon_entries(name: str) -> list[tuple[str, tuple[Kind, float, frozenset[str]], bool, bool]]:
    entries = []
    for row in read_lexicon(name):
        phrase, kind, strength = row[0], Kind(row[1]), float(row[2])
        flags = frozenset(f.strip() for f in row[3].split(",")) if len(row) > 3 else frozenset()
        entries.append((phrase, (kind, strength, flags), "cs" in flags, "nos" not in flags))
    return entries


# --- people named by role -----------------------------------------------------------------------

_NUMBERS = "two|three|four|five|six|seven|eight|nine|ten|several|some|both|\\d{1,3}"
_ADJ = (
    r"(?:(?:new|old|former|ex-?|acting|interim|temporary|temp|supply|male|female|young|older|"
    rf"senior|junior|lovely|current|previous|last|other|{YEAR_OR_EARLY}|"
    r"ks\d|key\s+stage\s+\d|pe|maths|english|science|sen|send|school|class|site|"
    r"office|lunchtime|kitchen)\s+){0,2}"
)
_DETERMINER = re.compile(
    rf"\b(?P<det>our|my|the|their|his|her|your|an?|one\s+of\s+(?:our|the|my)|all\s+(?:the|our)|"
    rf"{_NUMBERS})\s+{_ADJ}$",
    re.IGNORECASE,
)
# "hit the head", "over my head", "the head of the river", "head girl": not a headteacher.
_HEAD_BEFORE = re.compile(
    r"\b(?:on|in|into|onto|to|over|off|from|through|above|at|top\s+of|back\s+of|bang\w*|hit\w*|"
    r"bump\w*|lost|lose|use|scratch\w*|shak\w*|shook|nod\w*|turn\w*|rais\w*|bur\w*|keep|kept|"
    r"clear\w*|hold\w*|held|rear\w*)\s+$"
)
# "over our heads", "hit on our head": with "our", only a place or a blow is the body part ("an
# email from our head" is the headteacher).
_HEAD_BEFORE_OURS = re.compile(
    r"\b(?:on|into|onto|over|off|through|above|bang\w*|hit\w*|bump\w*|scratch\w*|shak\w*|"
    r"nod\w*)\s+$"
)
_HEAD_AFTER = re.compile(
    r"\s*(?:of\b(?!\s+(?:year|dep\w*|school|maths|english|science|ks\d|key|phase|pe\b|music|art\b|"
    r"history|geography|sixth|faculty|house|humanities|computing|mfl|languages|the\s+school|our|"
    r"my))|cold|ache|lice|start|first|girl|boy|chef|gardener|coach|waiter|torch|count|height|"
    r"butt|board|shot|on\b|injur|wound|and\s+shoulders|over\s+heels|to\s+head|teacher)"
)
_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame)"
_TITLED = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?[ \t]+(?:[A-Z][a-z]+[ \t]+)?[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*"
)
# Titled names everyone knows (TV, books, brands) that are not colleagues.
_FAMOUS_TITLED = frozenset(row[0].lower() for row in read_lexicon("workplace-famous-titles.txt"))
_POSSESSIVE_PARENT = re.compile(
    r"\b([A-Z][a-z]+)['’]s\s+(?:mum|dad|mam|mother|father|step-?dad|step-?mum|parents|nan|gran)\b"
)
_NOT_NAMES = frozenset(
    [
        "the",
        "this",
        "that",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "everyone",
        "someone",
        "somebody",
        "nobody",
        "today",
        "tomorrow",
        "yesterday",
        "god",
        "jesus",
        "santa",
        "father",
        "mother",
        "mum",
        "dad",
    ]
)


@dataclass(frozen=True, slots=True)
class _Role:
    kind: Kind
    base: float
    parent: bool  # a family role: "my mum" is the author's own, not a school parent
    home: bool  # "my cleaner", "my teacher" are as likely outside school
    cased: bool  # an acronym that is also a word: "TA", "HT"


def _roles() -> dict[str, _Role]:
    roles: dict[str, _Role] = {}
    for row in read_lexicon("workplace-roles.txt"):
        flags = frozenset(f.strip() for f in row[3].split(",")) if len(row) > 3 else frozenset()
        roles[row[0]] = _Role(
            Kind(row[1]), float(row[2]), "parent" in flags, "home" in flags, "cs" in flags
        )
    return roles


def _name_alternation(names: Iterable[str]) -> str:
    return "|".join(
        r"\s+".join(re.escape(w) for w in n.split()) for n in sorted(names, key=len, reverse=True)
    )


def _school_names(context: ScreeningContext) -> list[str]:
    """The school's names and aliases, and each name without a trailing "School"."""
    names = set(context.school.names())
    for name in list(names):
        short = re.sub(r"\s+(?:school|academy)$", "", name, flags=re.IGNORECASE)
        if short != name and len(short) >= 4:
            names.add(short)
    return sorted(names, key=len, reverse=True)


def _name_variants(full: str) -> set[str]:
    """ "Mrs Janet Okafor" -> itself, "Janet Okafor", "Mrs Okafor"."""
    words = full.split()
    variants = {full}
    if words and re.fullmatch(_TITLES + r"\.?", words[0]):
        title, rest = words[0].rstrip("."), words[1:]
        if rest:
            variants.add(" ".join(rest))
            variants.add(f"{title} {rest[-1]}")
    return {v for v in variants if len(v.split()) >= 2}


class WorkplaceCues:
    """Finds references to the author's workplace and its people in a post."""

    def __init__(self, context: ScreeningContext) -> None:
        self.context = context
        entries = _lexicon_entries("workplace.txt")
        for name in _school_names(context):
            entries.append((name, (Kind.SCHOOL, 0.95, frozenset({"id"})), False, False))
        if context.school.local_authority:
            la = context.school.local_authority
            entries.append((la, (Kind.COUNCIL, 0.9, frozenset()), False, False))
        author = context.author.name
        author_variants = _name_variants(author) if author else set()
        for staff in context.school.staff:
            for variant in _name_variants(staff) - author_variants:
                flags = frozenset({"person"})
                entries.append((variant, (Kind.COLLEAGUES, 0.9, flags), False, False))
        # A colleague's first name alone ("Marcus is off again"), written with its capital.
        names_as_words = {row[0] for row in read_lexicon("workplace-name-words.txt")}
        author_first = (author or "").split()[:1]
        for staff in context.school.staff:
            words = [w for w in staff.split() if not re.fullmatch(_TITLES + r"\.?", w)]
            first = words[0] if len(words) >= 2 else ""
            if len(first) >= 3 and first.lower() not in names_as_words and [first] != author_first:
                entries.append((first, (Kind.COLLEAGUES, 0.6, frozenset({"person"})), True, False))
            surname = words[-1] if len(words) >= 2 else ""
            if len(surname) >= 5 and surname.lower() not in names_as_words:
                for form in {surname, surname.upper()}:  # "Whitcombe", "D. WHITCOMBE"
                    flags = frozenset({"person"})
                    entries.append((form, (Kind.COLLEAGUES, 0.6, flags), True, False))
        # The school's confidential projects are the school's own doings ("the merger is shady").
        for term in context.confidential_terms:
            entries.append((term, (Kind.SCHOOL, 0.8, frozenset()), False, False))
        for parent in context.parents:
            for variant in _name_variants(parent.name):
                flags = frozenset({"person"})
                entries.append((variant, (Kind.PARENTS, 0.85, flags), False, False))
        self._matcher = PhraseMatcher(entries)
        self._roles = _roles()
        self._role_of = {name.lower(): role for name, role in self._roles.items()}
        schools = _name_alternation(_school_names(context))
        qual_school = f"|{schools}" if schools else ""
        # A role word found by Aho-Corasick ("caretaker", "TA", "head") counts with the determiner
        # before it ("our", "one of the", "a ... in Year 2"): small regexes anchored at the word.
        self._qual_re = re.compile(
            rf"\s+(?:in|from|at|of|on)\s+(?:{YEAR_OR_EARLY}|"
            r"ks\d|(?:my|our)\s+(?:school|work|class|year|team|department|phase)|school|work|"
            rf"the\s+(?:school|office|kitchen|front\s+desk){qual_school})\b",
            re.IGNORECASE,
        )
        self._role_words = PhraseMatcher(
            (name, True, role.cased, True) for name, role in self._roles.items()
        )
        self._author_words = {w.lower() for w in (author or "").split()}

    def find(self, doc: Document) -> tuple[Cue, ...]:
        """Every workplace cue in ``doc``, in order of position (found once per document)."""
        return doc.shared(self._scan)

    def _scan(self, doc: Document) -> tuple[Cue, ...]:
        text, lower = doc.text, doc.lower
        cues: list[Cue] = []
        for hit in leftmost_longest(self._matcher.find(text, lower)):
            kind, strength, flags = hit.value
            if not _plausible(lower, hit.start, hit.end):
                continue
            if (
                strength < 0.6
                and _ACTS.match(lower, hit.end)
                and lower[hit.start : hit.end] in _ACTORS
            ):
                strength = 0.6  # "the trust only cares about money": an organisation that acts
            cues.append(
                Cue(
                    hit.start,
                    hit.end,
                    kind,
                    text[hit.start : hit.end],
                    strength,
                    identifies="id" in flags,
                    person="person" in flags,
                )
            )
        cues.extend(self._people(text, lower))
        for year in _year_groups(text, lower):  # "Year 9 were feral": pupils, as a target
            kind = Kind.PARENTS if _THEIR_PARENTS.match(lower, year.end) else Kind.PUPILS
            cues.append(
                Cue(year.start, year.end, kind, text[year.start : year.end], 0.6, person=True)
            )
        return tuple(_dedupe(cues))

    def _people(self, text: str, lower: str) -> list[Cue]:
        out: list[Cue] = []
        for hit in leftmost_longest(self._role_words.find(text, lower)):
            det = _DETERMINER.search(text, max(0, hit.start - 45), hit.start)
            if det is None:
                continue
            qual = self._qual_re.match(text, hit.end)
            cue = self._role_cue(det, hit.start, hit.end, qual, text, lower)
            if cue is not None:
                out.append(cue)
        if "M" not in text:
            return out + self._possessive_parents(text)
        for m in _TITLED.finditer(text):
            key = " ".join(m.group().replace(".", "").split()[:2]).lower()
            if key in _FAMOUS_TITLED or set(m.group().lower().split()[1:]) <= self._author_words:
                continue
            out.append(Cue(m.start(), m.end(), Kind.COLLEAGUES, m.group(), 0.7, person=True))
        return out + self._possessive_parents(text)

    @staticmethod
    def _possessive_parents(text: str) -> list[Cue]:
        """ "Daisy's mum", "Jake's dad": a parent at the school, by their child's name."""
        if "'s" not in text and "’s" not in text:
            return []
        out = []
        for m in _POSSESSIVE_PARENT.finditer(text):
            if m.group(1).lower() in _NOT_NAMES:
                continue
            out.append(Cue(m.start(), m.end(), Kind.PARENTS, m.group(), 0.65, person=True))
        return out

    def _role_cue(
        self,
        det_match: re.Match[str],
        role_start: int,
        role_end: int,
        qual: re.Match[str] | None,
        text: str,
        lower: str,
    ) -> Cue | None:
        written = " ".join(lower[role_start:role_end].split())
        for role_text in (written, written[:-1], written[:-2]):  # "TAs", "headmistresses"
            role = self._role_of.get(role_text)
            if role is not None:
                break
        else:
            return None
        start = det_match.start()
        end = qual.end() if qual else role_end
        det = " ".join(det_match["det"].lower().split())
        before_head = _HEAD_BEFORE if det != "our" else _HEAD_BEFORE_OURS
        if role_text == "head" and (
            before_head.search(lower[max(0, start - 20) : start])
            or _HEAD_AFTER.match(lower, role_end)
            or det in {"my", "his", "her", "your", "their"}
        ):
            return None
        if det in {"my", "our"}:
            if role.parent:
                return None  # "my mum": the author's own family
            strength = role.base if role.home and det == "my" else min(0.9, role.base + 0.35)
        elif det == "the":
            strength = role.base
        elif det.startswith("one of"):
            strength = 0.8 if not role.parent else 0.7
        elif det in {"a", "an"}:
            strength = 0.75 if qual else 0.35
        elif det in {"his", "her", "their", "your"}:
            strength = 0.55 if role.parent else 0.45
        else:  # numbers, "all the", "several"
            strength = 0.65
        if qual and det not in {"a", "an"}:
            strength = min(0.95, strength + 0.1)
        return Cue(start, end, role.kind, text[start:end], strength, person=True)


# "The trust has decided", "the trust's idea of": an employer that acts, not trust between people.
_ACTORS = frozenset({"the trust", "the academy", "the council", "the local authority"})
_ACTS = re.compile(
    r"(?:['’]s\b|\s+(?:has|have|had|is|are|was|were|only|just|always|never|said|thought|won['’]t|"
    r"doesn['’]t|don['’]t|can['’]t|couldn['’]t|will|would|should|clearly|really|still|even|keep|"
    r"want|care|need|say|think|expect|seem|refuse|insist|make|take|give|treat|decide|tell|pay|"
    r"cut|ignore|(?!fund|issue)[a-z]{2,}(?:s|ed))\b)"  # a verb: "treats us", "decided", "wants"
)


def _plausible(lower: str, start: int, end: int) -> bool:
    """Drop the readings of an ambiguous phrase that are not about a school."""
    phrase = lower[start:end]
    before = lower[max(0, start - 20) : start]
    after = lower[end : end + 24]
    if phrase.startswith("the trust") and before.endswith(("national ", "nhs ", "wildlife ")):
        return False
    if phrase.startswith("the trust") and re.match(r"\s+(?:between|fund|issues?|in\b)", after):
        return False  # "the trust between us", "a trust fund"
    if "academy" in phrase and (
        after.startswith((" award", " of ", " sports"))
        or re.search(r"(?:football|youth|police|military|dance|drama|stage|sports)\s+$", before)
    ):
        return False
    if phrase == "management" and re.search(
        r"(?:time|behaviou?r|classroom|anger|waste|project|risk|money|stress|pain|weight|"
        r"asset|data|change|crowd|diabetes|people|self|case|pest|event|property)[\s-]+$",
        before,
    ):
        return False
    if phrase in {"the school", "this school"} and re.match(
        r"\s+(?:run|holidays?|hols|of\s+(?:life|hard|thought|rock)|bus|uniform\s+shop)", after
    ):
        return False
    if phrase in {"the council", "our council"} and re.match(
        r"\s+(?:tax|estate|house|flat)", after
    ):
        return False
    if phrase == "teaching" and not re.match(
        r"\s+(?:is|was|has|feels|again|job|career|profession|life)\b|\s*[.!?,]|\s*$", after
    ):
        return False  # only "teaching" the job, not "teaching my son to ride a bike"
    return not (phrase == "to work" and re.match(r"\s+(?:out|together|on|with|through)\b", after))


def _dedupe(cues: list[Cue]) -> list[Cue]:
    """Sort by position; where cues of one kind overlap keep the longer one (the better-qualified
    reading). Cues of different kinds both stay: "a teacher at Brookfield" is a person and names
    the school."""
    out: list[Cue] = []
    last: dict[Kind, int] = {}  # kind -> index in out of its latest cue
    for cue in sorted(cues, key=lambda c: (c.start, c.start - c.end)):
        i = last.get(cue.kind)
        if i is not None and cue.start < out[i].end:
            if cue.end > out[i].end and cue.strength > out[i].strength:
                out[i] = cue
            continue
        last[cue.kind] = len(out)
        out.append(cue)
    return out


# --- audience: pupils and parents ---------------------------------------------------------------

_YEAR_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
# Year groups: "Year 6", "yr 10", "Y6", "my Year 10s". Found from the letter Y (fast), then checked.
# Not year_groups.YEAR_NUMBERED on purpose: case-sensitive "Y6" (not "y6"), "Year six", "Year-6".
_YEAR_FAST = re.compile(
    rf"[Yy](?:(?i:ear|r)\s?-?(?:1[0-3]|[1-9]|(?i:{_YEAR_WORDS}))|(?:1[0-3]|[1-9]))"
)
_YEAR_TAIL = re.compile(
    r"(?P<pl>s\b|['’]s\b)?(?!\s*(?:old|olds|ago|later|on|earlier|before|since)\b)\b", re.IGNORECASE
)
_YEAR_OWN = re.compile(r"\b(?:my|our)\s+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _YearGroup:
    start: int
    end: int
    own: bool  # "my Year 10s"
    plural: bool  # "Year 10s": the pupils, not the year


def _year_groups(text: str, lower: str) -> list[_YearGroup]:
    out = []
    for m in _YEAR_FAST.finditer(text):
        start = m.start()
        if start and text[start - 1].isalnum():
            continue
        if m.group()[1].isdigit() and m.group()[0] == "y":
            continue  # the short form is "Y6", with a capital
        tail = _YEAR_TAIL.match(text, m.end())
        if tail is None or _YEAR_NOT_AFTER.search(lower[max(0, start - 12) : start]):
            continue
        own = _YEAR_OWN.search(lower, max(0, start - 5), start)
        first = own.start() if own else start
        out.append(_YearGroup(first, tail.end(), own is not None, tail["pl"] is not None))
    return out


_CLASS_VOCATIVE = re.compile(r"\bclass\b")
_MY_LEARNERS = re.compile(
    r"\bmy\s+(?:\w+\s+)?(?:top|best|star|reluctant|struggling|weak|weaker|strongest|keenest|keen|"
    rf"little|young|budding|{YEAR_NUMBERED})\s+(?:readers|writers|mathematicians|spellers|"
    r"learners|scientists|athletes|footballers|netballers|artists|singers)\b"
)
# "Year 3 parents", "6B mums and dads": the year group names the parents, not the pupils.
_THEIR_PARENTS = re.compile(
    r"\s+(?:parents?|mums?|dads?|mums\s+(?:and|&)\s+dads|families|carers|parents\s+(?:and|&)\s+"
    r"carers)\b"
)
_YEAR_NOT_AFTER = re.compile(r"(?:last|this|next|every|a|per|each|that|one|same)\s+$")
# "6B", "10X2": a class; but not "5G", "3D", "4K" or "9AM".
_HAS_DIGIT = re.compile(r"\d")
_CLASS_CODE = re.compile(r"\b(?:1[0-3]|[1-9])[A-Z]{1,2}\d?\b")
_NOT_CLASS = frozenset(
    [
        "2D",
        "3D",
        "4D",
        "2G",
        "3G",
        "4G",
        "5G",
        "6G",
        "4K",
        "5K",
        "8K",
        "10K",
        "2FA",
        "1TB",
        "2TB",
        "4WD",
        "3DS",
        "1UP",
        "2X",
        "3X",
        "4X",
        "5X",
        "10X",
        "AM",
        "PM",
    ]
)
_CLASS_WORD = re.compile(
    r"\b(?:class|form|set|group|tutor\s+group)\s+(?:1[0-3]|[1-9])?[A-Za-z]{0,2}$", re.I
)
_VOCATIVE_BEFORE = re.compile(
    r"(?:^|\b)(?:hey|hi|hiya|hello|dear|attention|calling\s+all|to\s+all(?:\s+of)?|to|any\s+of|"
    r"all(?:\s+of)?|those\s+(?:of\s+you\s+)?in|message\s+to|shout\s*-?\s*out\s+to|thanks|"
    r"thank\s+you|well\s+done|congrats|congratulations|good\s+luck|miss\s+you|love\s+you|bye)"
    r"\s*,?\s*(?:(?:my|our|the|you|lovely|amazing|wonderful|former|old|ex|gorgeous)\s+){0,2}$"
    r"|@$",
    re.IGNORECASE,
)
_VOCATIVE_TAIL = re.compile(
    r"(?:,|\b(?:me|us|it|please|now|insta|instagram|snap|snapchat|tiktok|facebook|fb|x|lol|guys|"
    r"everyone|too|back))\s*$",
    re.IGNORECASE,
)
# "@sky.b.y6", "@jec_2015": a handle with a year group or a recent birth year is a pupil's.
# Own year-group form on purpose: inside a handle, with "." "_" "-" separators and no \b.
_PUPIL_HANDLE = re.compile(
    r"@[a-z0-9._]*?(?:(?<![a-z])(?:y|yr|year)[._-]?(?:1[0-3]|[1-9])|20(?:0[89]|1\d|2[0-2]))(?![0-9])"
    r"[a-z0-9._]*"
)
# "@harry.s.gaming", "@ollie_b": a first name and a surname initial, checked against the roster.
_NAME_HANDLE = re.compile(r"@([a-z]+)[._-]([a-z])(?![a-z0-9])")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_NEXT_WORD = re.compile(r"[ \u00a0]([^\W\d_]+(?:[-'’][^\W\d_]+)*)")


@dataclass(frozen=True, slots=True)
class _PupilName:
    display: str
    year: str | None


def addressed(text: str, start: int, end: int) -> bool:
    """Whether the words at start..end are spoken to: "Year 10s, ...", "hi kids", "insta kids!"."""
    line_start = max(text.rfind("\n", 0, start), -1) + 1
    before = text[max(line_start, start - 30) : start]
    if _VOCATIVE_BEFORE.search(before):
        return True
    sentence_start = not before.strip() or before.rstrip()[-1:] in ".!?"
    # "Year 10s, ...", "Year 11 leavers, ...": a sentence that opens by naming its audience
    if sentence_start and re.match(r"(?:\s+[\w'’]+){0,2}\s*[,:!—–-]", text[end : end + 30]):
        return True
    at_end = re.match(r"\s*(?:[!?.]|$|\n|[^\w\s])", text[end : end + 4]) is not None
    return at_end and _VOCATIVE_TAIL.search(before) is not None


class AudienceCues:
    """Finds cues that a post addresses, or is about, pupils (or their parents)."""

    def __init__(self, context: ScreeningContext) -> None:
        entries = _lexicon_entries("workplace-audience.txt")
        self._matcher = PhraseMatcher(entries)
        self._word_names = {row[0].lower() for row in read_lexicon("workplace-name-words.txt")}
        self._forenames: dict[str, list[_PupilName]] = {}
        self._surnames: dict[str, set[str]] = {}  # forename -> surnames on the roster
        for pupil in context.pupils:
            for first in {pupil.forename, pupil.preferred_name or pupil.forename}:
                key = first.lower()
                self._forenames.setdefault(key, []).append(
                    _PupilName(pupil.display, pupil.year_group)
                )
                if pupil.surname:
                    self._surnames.setdefault(key, set()).add(pupil.surname.lower())
        self._first_names = PhraseMatcher((f, True, False, False) for f in self._forenames)
        parents = {" ".join(p.name.lower().split()) for p in context.parents}
        self._parents = PhraseMatcher((p, Kind.PARENTS, False, False) for p in parents)

    def find(self, doc: Document) -> tuple[Cue, ...]:
        """Every audience cue in ``doc`` (kind PUPILS or PARENTS), in order of position."""
        return doc.shared(self._scan)

    def _scan(self, doc: Document) -> tuple[Cue, ...]:
        text, lower = doc.text, doc.lower
        cues: list[Cue] = []
        for hit in leftmost_longest(self._matcher.find(text, lower)):
            kind, strength, _flags = hit.value
            parents = _THEIR_PARENTS.match(lower, hit.end) if kind is Kind.PUPILS else None
            if parents is not None and strength > 0:  # "my class parents": the parents
                cues.append(self._cue(text, hit.start, parents.end(), Kind.PARENTS, strength))
                continue
            cues.append(self._cue(text, hit.start, hit.end, kind, strength))
        for year in _year_groups(text, lower):
            parents = _THEIR_PARENTS.match(lower, year.end)
            if parents is not None:  # "Year 3 parents, text me": the parents are spoken to
                cues.append(self._cue(text, year.start, parents.end(), Kind.PARENTS, 0.85))
                continue
            strength = 0.9 if year.own else 0.85 if year.plural else 0.7
            cues.append(self._cue(text, year.start, year.end, Kind.PUPILS, strength))
        for m in _CLASS_CODE.finditer(text) if _HAS_DIGIT.search(text) else ():
            code = m.group()
            if (
                code in _NOT_CLASS
                or code[-2:] in {"AM", "PM"}
                or text[max(0, m.start() - 1)] in "£$€#"
            ):
                continue
            strength = 0.85 if _CLASS_WORD.search(text[max(0, m.start() - 14) : m.end()]) else 0.55
            parents = _THEIR_PARENTS.match(lower, m.end())
            if parents is not None:
                cues.append(self._cue(text, m.start(), parents.end(), Kind.PARENTS, strength))
                continue
            cues.append(self._cue(text, m.start(), m.end(), Kind.PUPILS, strength))
        for m in _PUPIL_HANDLE.finditer(lower) if "@" in lower else ():
            cues.append(
                Cue(
                    m.start(),
                    m.end(),
                    Kind.PUPILS,
                    text[m.start() : m.end()],
                    0.75,
                    person=True,
                    addressed=True,
                )
            )
        for m in _NAME_HANDLE.finditer(lower) if "@" in lower else ():
            initials = {s[:1] for s in self._surnames.get(m[1], ())}
            if m[2] in initials and not any(c.start == m.start() for c in cues):
                cues.append(
                    Cue(
                        m.start(),
                        m.end(),
                        Kind.PUPILS,
                        text[m.start() : m.end()],
                        0.75,
                        person=True,
                        addressed=True,
                    )
                )
        if "class" in lower:  # "pinky promise, class?": the class spoken to
            for m in _CLASS_VOCATIVE.finditer(lower):
                if addressed(text, m.start(), m.end()):
                    cues.append(self._cue(text, m.start(), m.end(), Kind.PUPILS, 0.7))
        if "my " in lower:  # "my three top readers", "my Y5 mathematicians"
            for m in _MY_LEARNERS.finditer(lower):
                cues.append(self._cue(text, m.start(), m.end(), Kind.PUPILS, 0.75))
        cues.extend(self.names(doc))
        for parent in self._parents.find(text, lower):
            cues.append(self._cue(text, parent.start, parent.end, Kind.PARENTS, 0.85))
        return tuple(_dedupe(cues))

    def _cue(self, text: str, start: int, end: int, kind: Kind, strength: float) -> Cue:
        is_addressed = addressed(text, start, end)
        return Cue(
            start,
            end,
            kind,
            text[start:end],
            strength,
            person=True,
            addressed=is_addressed,
        )

    def names(self, doc: Document) -> list[Cue]:
        """Pupils on the roster named in ``doc``: full names, or first names that are plainly
        names (not "Will you...", not "Harry Styles")."""
        if not self._forenames:
            return []
        return doc.shared(self._find_names)

    def _find_names(self, doc: Document) -> list[Cue]:
        text = doc.text
        out: list[Cue] = []
        for hit in self._first_names.find(text, doc.lower):
            m = _WORD.match(text, hit.start)
            if m is None or m.end() != hit.end:
                continue  # "Amy-Leigh" is not "Amy"
            key = m.group().lower()
            nxt = _NEXT_WORD.match(text, m.end())
            if nxt is not None:
                surname = re.sub(r"['’]s$", "", nxt.group(1).lower())
                # a full name counts in any case: "storm pearce"
                if surname in self._surnames.get(key, set()):
                    stop = nxt.start(1) + len(surname)  # "Amy Smith's": the name, not the "'s"
                    out.append(
                        Cue(
                            m.start(),
                            stop,
                            Kind.PUPILS,
                            text[m.start() : stop],
                            0.95,
                            person=True,
                            addressed=addressed(text, m.start(), nxt.end()),
                        )
                    )
                    continue
                if nxt.group(1)[0].isupper() and nxt.group(1).lower() not in _NOT_NAMES:
                    continue  # "Harry Styles": someone else with a pupil's first name
            if not m.group()[0].isupper():
                continue  # a first name alone must be written as a name
            is_addressed = addressed(text, m.start(), m.end())
            if key in self._word_names:
                if not is_addressed:
                    continue
                strength = 0.6
            else:
                strength = 0.85 if is_addressed else 0.7
            out.append(
                Cue(
                    m.start(),
                    m.end(),
                    Kind.PUPILS,
                    m.group(),
                    strength,
                    person=True,
                    addressed=is_addressed,
                )
            )
        return out


@lru_cache(maxsize=16)
def workplace_cues(context: ScreeningContext) -> WorkplaceCues:
    """The shared :class:`WorkplaceCues` for ``context`` (call at detector build time)."""
    return WorkplaceCues(context)


@lru_cache(maxsize=16)
def audience_cues(context: ScreeningContext) -> AudienceCues:
    """The shared :class:`AudienceCues` for ``context`` (call at detector build time)."""
    return AudienceCues(context)


def find_workplace(doc: Document, context: ScreeningContext) -> tuple[Cue, ...]:
    """Workplace cues in ``doc``. Detectors should keep ``workplace_cues(context)`` instead."""
    return workplace_cues(context).find(doc)


def find_audience(doc: Document, context: ScreeningContext) -> tuple[Cue, ...]:
    """Cues that ``doc`` addresses pupils or parents: "kids", "Year 6", "6B", a pupil's name."""
    return audience_cues(context).find(doc)


# --- people who are not the workplace ------------------------------------------------------------

_OTHER_PEOPLE = re.compile(
    r"(?P<self>\b(?:i|i['’]m|im|i['’]ve|i['’]d|i['’]ll|me|myself|we|we['’]re|we['’]ve|us)\b)"
    r"|(?P<indef>\b(?:someone|somebody|anyone|everyone|nobody|people)\b)"
    r"|(?P<pronoun>\b(?:he|she|they|him|them|he['’]s|she['’]s|they['’]re|they['’]ve)\b)"
    r"|(?P<other>\b(?:my|our)\s+(?:husband|wife|partner|son|daughter|kids|children|boys|girls|child|"
    r"baby|toddler|teenagers?|mum|dad|mam|mother|father|parents|brother|sister|nan|gran|grandad|"
    r"grandma|family|friends?|mates?|neighbours?|dog|cat|puppy|ex|other\s+half|fella|bf|gf|hubby|"
    r"niece|nephew|cousin|aunt|auntie|uncle|in-laws|team)\b"
    r"|\b(?:an?|the|this|that|some|one|two|three)\s+(?:\w+\s+)?(?:man|woman|men|women|guy|guys|"
    r"bloke|lady|person|lad|lads|teenagers?|teens?|youths?|thief|thieves|burglars?|drivers?|"
    r"neighbours?|fans?|players?|referee|ref|politicians?|mps?|ministers?|celebrit(?:y|ies)|"
    r"footballers?|actors?|singers?|officers?|coppers?|cops?|police|customers?|strangers?|kids?|"
    r"boys?|girls?|child|children|pupils?|students?|celebs?|characters?|gang|dogs?|company|"
    r"firm|bank|government|club|shop|landlord|builders?|plumber|electrician|mechanic|garage|"
    r"council\s+worker)\b)"
)


@dataclass(frozen=True, slots=True)
class Other:
    """Someone a post talks about who is not the author's workplace (or is the author)."""

    start: int
    end: int
    kind: str  # "self" (I, we), "pronoun" (he, she), "indef" (everyone) or "other" (my son, a man)


def other_people(lower: str, cues: Sequence[Cue] = ()) -> list[Other]:
    """The author, pronouns and people outside the workplace in ``lower`` (``doc.lower``), less
    any that overlap a workplace cue ("the TA in Year 2" is a cue, not "a person")."""
    out = []
    for m in _OTHER_PEOPLE.finditer(lower):
        kind = m.lastgroup or "other"
        if any(c.start < m.end() and m.start() < c.end for c in cues):
            continue
        out.append(Other(m.start(), m.end(), kind))
    return out


@dataclass(frozen=True, slots=True)
class Subject:
    """Whom a statement is about: a workplace cue, with how surely it is that person."""

    start: int
    end: int
    text: str
    strength: float
    kind: Kind | None = None


_RELATIVE = re.compile(r"\s+(?:who|that|which|from|whose)\b")


def subject_of(
    start: int,
    end: int,
    cues: Sequence[Cue],
    others: Sequence[Other],
    s_start: int,
    lower: str,
    object_within: int = 0,
    far: bool = False,
) -> Subject | None:
    """Who a statement at start..end is about: the nearest person before it in its sentence (a
    workplace cue, or "he"/"she" standing for one just before); failing that, the person after
    "by" or "about" ("called about one of our TAs") or, with ``object_within``, a person that
    many characters after it ("sack half the TAs"). None if the nearest person is someone else.
    With ``far``, "he"/"she" may stand for a colleague named much earlier in a long post, if
    nobody else has been named since."""
    by = _passive_subject(end, cues, lower, _BY)  # "assaulted by the caretaker": the doer
    if by is not None:
        return by
    found = _subject_before(start, end, cues, others, s_start, lower, far)
    if found is None and object_within:
        for cue in cues:
            if end <= cue.start <= end + object_within and cue.person:
                return Subject(cue.start, cue.end, cue.text, _strength(cue), cue.kind)
    return found


def _subject_before(
    start: int,
    end: int,
    cues: Sequence[Cue],
    others: Sequence[Other],
    s_start: int,
    lower: str,
    far: bool = False,
) -> Subject | None:
    people: list[tuple[int, int, Cue | Other]] = [
        (c.start, c.end, c) for c in cues if s_start <= c.start and c.end <= start
    ]
    people += [(o.start, o.end, o) for o in others if s_start <= o.start and o.end <= start]
    people.sort(key=lambda p: p[0])
    if not people or start - people[-1][1] > 100:
        return _passive_subject(end, cues, lower, _AFTER)
    nearest = people[-1][2]
    if isinstance(nearest, Cue):
        # "the man who broke into the school has been arrested": the man, not the school
        for _p_start, p_end, person in people:
            if (
                isinstance(person, Other)
                and person.kind == "other"
                and p_end <= nearest.start
                and _RELATIVE.match(lower, p_end)
            ):
                return None
        return Subject(nearest.start, nearest.end, nearest.text, _strength(nearest), nearest.kind)
    if nearest.kind == "pronoun":  # "he"/"she": the colleague named just before, if any
        earlier = [
            p for p in cues if p.end <= nearest.start and nearest.start - p.end <= 160 and p.person
        ]
        between = [
            o
            for o in others
            if o.kind in {"self", "other"}
            and earlier
            and earlier[-1].end <= o.start < nearest.start
        ]
        if earlier and not between:
            cue = earlier[-1]
            return Subject(cue.start, cue.end, cue.text, _strength(cue) - 0.15, cue.kind)
        if far and nearest.kind == "pronoun" and lower[nearest.start] in "hs":
            # a long post about "a certain member of our senior team ... he": the author's "I"
            # in between does not count, anyone else named does
            named = [p for p in cues if p.end <= nearest.start and p.person]
            if named:
                cue = named[-1]
                if not any(
                    o.kind == "other" and cue.end <= o.start < nearest.start for o in others
                ):
                    return Subject(cue.start, cue.end, cue.text, _strength(cue) - 0.3, cue.kind)
    return None


def _passive_subject(
    end: int, cues: Sequence[Cue], lower: str, after: re.Pattern[str]
) -> Subject | None:
    """ "was assaulted by the caretaker", "the LADO's been called about one of our TAs": the
    person after "by", "about", "against", "regarding" or "involving"."""
    stop = min(len(lower), end + 40)
    found = [after.match(lower, end, stop)] if after is _BY else after.finditer(lower, end, stop)
    for m in found:
        if m is None:
            continue
        for cue in cues:
            if cue.start == m.end():
                return Subject(cue.start, cue.end, cue.text, _strength(cue), cue.kind)
    return None


_AFTER = re.compile(r"\b(?:by|about|against|regarding|involving|for|into|on)\s+")
_BY = re.compile(r"\s+by\s+")  # right after the statement


def _strength(cue: Cue) -> float:
    # As the subject of an accusation, "the head" is a person, not a body part; but "a teacher"
    # (0.35) stays nobody in particular.
    return max(cue.strength, 0.75) if cue.person and cue.strength >= 0.45 else cue.strength
