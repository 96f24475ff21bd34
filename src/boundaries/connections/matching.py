"""Finding pupils (and parents) among a member of staff's connections (6.8, 9.1, 6.18).

The roster is indexed once (:class:`RosterIndex`): surnames to people, forenames and their
nicknames to people, and the surnames kept for spelling-tolerant look-ups with RapidFuzz. Each
connection is then read in a few ways (its display name forwards and backwards, its handle split
at dots and underscores or at a known forename or surname) and every reading is looked up.

A match needs both a forename (or its nickname, or an initial) and a surname: a connection
that shares only a surname, or only a forename, with a pupil is never reported as a pupil. A
name that is itself a known forename or surname is read as that name, not as a typing slip for
a pupil's similar one ("Amy Johnson" is not "Amy Johnston"), and a name spelt slightly
differently is at most a possible match. An initial counts only when it points at one or two
people on the roster, and initials alone never make a strong match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from rapidfuzz import process
from rapidfuzz.distance import OSA

from boundaries.connections.model import Connection
from boundaries.connections.names import common_surnames, fold, tokens, was_folded
from boundaries.connections.nicknames import Nicknames, nicknames

# A match at or above REPORTED is shown; at or above STRONG it is called a strong match.
REPORTED = 0.6
STRONG = 0.85
# Matches of one connection this far below its best are dropped: the best reading explains it.
_SHADOWED = 0.08
# A name spelt slightly differently may be a typing slip or another person's real name (Parkes,
# Parker), so it is never more than a possible match, and never with another doubt beside it.
_SLIP = 0.75
# Evidence made only of initials is never called strong, however many sources agree: "J. Smith"
# and "jsmith" say the same thing twice.
_INITIALS_CEILING = 0.84
_MIN_FUZZY = 4  # shorter names are too easily one letter from another real name
_MAX_BY_INITIAL = 2  # an initial that fits more people than this is not reported
_HANDLE_SPLIT_MIN = 2  # "al" + "smith" is fine, "a" + "smith" is an initial reading
_NOISE = re.compile(r"\((?:she|he|they)/\w+\)|\b(?:official|real|backup|private|priv)\b", re.I)


class PupilStatus(StrEnum):
    """Where a pupil stands under the policy on the day of the audit (6.8)."""

    CURRENT = "current"
    LEFT = "left"  # left, under 18 (or age unknown): still covered
    OUT_OF_SCOPE = "out_of_scope"  # left and 18 or over


STATUS_LABELS = {
    PupilStatus.CURRENT: "current pupil",
    PupilStatus.LEFT: "left, under 18",
    PupilStatus.OUT_OF_SCOPE: "18 or over and out of scope",
}


class PersonKind(StrEnum):
    PUPIL = "pupil"
    PARENT = "parent"


@dataclass(frozen=True)
class RosterPupil:
    """A pupil as the matcher needs them; ``key`` is unique within one roster."""

    key: str
    legal_forename: str
    surname: str
    preferred_forename: str | None = None
    date_of_birth: date | None = None
    leaving_date: date | None = None
    year_group: str | None = None
    pupil_id: int | None = None

    @property
    def name(self) -> str:
        preferred = (self.preferred_forename or "").strip()
        if preferred and preferred != self.legal_forename:
            return f"{preferred} ({self.legal_forename}) {self.surname}"
        return f"{self.legal_forename} {self.surname}"

    def status(self, today: date) -> PupilStatus:
        if self.leaving_date is None or self.leaving_date > today:
            return PupilStatus.CURRENT
        born = self.date_of_birth
        if born is not None and _age(born, today) >= 18:
            return PupilStatus.OUT_OF_SCOPE
        return PupilStatus.LEFT


@dataclass(frozen=True)
class RosterParent:
    """A parent or carer of a pupil at the school (6.18)."""

    key: str
    forename: str
    surname: str
    children: tuple[str, ...] = ()
    contact_id: int | None = None

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}".strip()


@dataclass(frozen=True)
class Roster:
    """Everyone a connection may be checked against."""

    pupils: Sequence[RosterPupil] = ()
    parents: Sequence[RosterParent] = ()


@dataclass(frozen=True)
class Candidate:
    """One person on the roster a connection seems to be, with the evidence in words."""

    person: RosterPupil | RosterParent
    score: float
    reasons: tuple[str, ...]
    by_initial: bool = False  # every piece of evidence was an initial

    @property
    def kind(self) -> PersonKind:
        return PersonKind.PUPIL if isinstance(self.person, RosterPupil) else PersonKind.PARENT

    @property
    def strong(self) -> bool:
        return self.score >= STRONG

    @property
    def reason(self) -> str:
        text = "; ".join(self.reasons)
        return text[:1].upper() + text[1:] + "."


@dataclass
class _Person:
    person: RosterPupil | RosterParent
    # folded forename -> how it is known ("legal forename", "preferred name", "forename")
    forenames: dict[str, str] = field(default_factory=dict)
    initials: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class _Reading:
    forename: str  # folded; one letter for an initial
    surname: str  # folded; one letter for a surname initial
    source: str  # in words, for the reason: 'the name “Amy Smith”'
    weight: float  # how much a reading of this shape is trusted
    typed: bool = False  # from a display name (so a typing slip is plausible)
    swapped: bool = False  # surname first without a comma to say so ("SMITH Amy", smith.amy)


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _could_be_a_slip(typed: str, name: str) -> bool:
    """Whether ``typed`` may be ``name`` mistyped, rather than another name.

    Slips rarely touch the first letter (Bethan is not Ethan), and names that differ only in
    their last letter are usually different names (Louis and Louise, Jenkin and Jenkins, Parke,
    Parker and Parkes), except for a doubled last letter typed once (Campbel, Marshal), the
    commonest slip of all, and a last y for i, as names from Russian and Ukrainian are spelt
    both ways (Dmitriy, Dmitri; Sergey, Sergei).
    """
    if typed[:1] != name[:1]:
        return False
    shorter, longer = sorted((typed, name), key=len)
    if len(longer) == len(shorter) + 1 and longer[:-1] == shorter:
        return longer[-1] == longer[-2] or longer[-2:] == "iy"
    if len(typed) == len(name) and typed[:-1] == name[:-1]:
        return {typed[-1], name[-1]} == {"i", "y"}
    return True


def _forename_keys(forename: str) -> list[str]:
    # "Amy-Jo" is known as amyjo, and by its first part amy; "Mary Jane" likewise.
    parts = tokens(forename)
    keys = ["".join(parts)] if parts else []
    if len(parts) > 1:
        keys.append(parts[0])
    return keys


def _surname_keys(surname: str) -> list[tuple[str, bool]]:
    """Folded keys for a surname, each with whether it is only part of it."""
    parts = tokens(surname)
    if not parts:
        return []
    keys = [("".join(parts), False)]
    if len(parts) > 1:
        # Smith-Jones may go by Smith or Jones; "van der Berg" by Berg.
        keys += [(p, True) for p in parts if len(p) >= 3 and p not in _PARTICLES]
    return keys


_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "la", "le"})


class RosterIndex:
    """The roster, indexed once for many connections."""

    def __init__(self, roster: Roster, today: date, table: Nicknames | None = None) -> None:
        self.today = today
        self.nicknames = table or nicknames()
        self.people: list[_Person] = []
        self.by_surname: dict[str, list[tuple[int, bool]]] = {}
        self.known_forenames: set[str] = set()
        for pupil in roster.pupils:
            entry = _Person(pupil)
            for key in _forename_keys(pupil.legal_forename):
                entry.forenames.setdefault(key, "legal forename")
            for key in _forename_keys(pupil.preferred_forename or ""):
                entry.forenames.setdefault(key, "preferred name")
            self._add(entry, pupil.surname)
        for parent in roster.parents:
            entry = _Person(parent)
            for key in _forename_keys(parent.forename):
                entry.forenames.setdefault(key, "forename")
            self._add(entry, parent.surname)
        self.known_surnames = frozenset(self.by_surname) | common_surnames()
        self._surname_choices = list(self.by_surname)
        self._fuzzy_cache: dict[str, list[tuple[str, int]]] = {}

    def _add(self, entry: _Person, surname: str) -> None:
        keys = _surname_keys(surname)
        if not entry.forenames or not keys:
            return  # nobody can be matched without a forename and a surname
        index = len(self.people)
        self.people.append(entry)
        entry.initials = {key[0] for key in entry.forenames}
        self.known_forenames.update(entry.forenames)
        for key, partial in keys:
            self.by_surname.setdefault(key, []).append((index, partial))

    # -- look-ups -------------------------------------------------------------------------------
    def is_surname(self, text: str) -> bool:
        return text in self.by_surname

    def is_forename(self, text: str) -> bool:
        return text in self.known_forenames or self.nicknames.known(text)

    def _close_surnames(self, surname: str) -> list[tuple[str, int]]:
        """Roster surnames one typing slip from ``surname`` (two for long names)."""
        cached = self._fuzzy_cache.get(surname)
        if cached is not None:
            return cached
        found: list[tuple[str, int]] = []
        if len(surname) >= _MIN_FUZZY and surname not in self.known_surnames:
            limit = 2 if len(surname) >= 8 else 1
            found = [
                (choice, int(distance))
                for choice, distance, _ in process.extract(
                    surname,
                    self._surname_choices,
                    scorer=OSA.distance,
                    score_cutoff=limit,
                    limit=8,
                )
                if abs(len(choice) - len(surname)) <= limit
                and len(choice) >= _MIN_FUZZY
                and _could_be_a_slip(surname, choice)
            ]
        self._fuzzy_cache[surname] = found
        return found

    def _forename_evidence(self, person: _Person, forename: str, typed: bool) -> tuple[float, str]:
        """How well ``forename`` fits the person, and why; (0, "") when it does not."""
        known_as = person.forenames.get(forename)
        if known_as is not None:
            return 1.0, f"the {known_as}"
        if len(forename) == 1:
            return (0.7, "the initial of the forename") if forename in person.initials else (0, "")
        for key, known_as in person.forenames.items():
            if self.nicknames.related(forename, key):
                # A pupil known by a preferred name is less likely to use another form of the
                # legal one.
                weight = 0.8 if known_as == "legal forename" and len(person.forenames) > 1 else 0.9
                return (
                    weight,
                    f"the {known_as} by a usual nickname or full form (“{forename.capitalize()}”)",
                )
        if typed and len(forename) >= _MIN_FUZZY and not self.is_forename(forename):
            limit = 2 if len(forename) >= 8 else 1
            for key, known_as in person.forenames.items():
                if (
                    len(key) >= _MIN_FUZZY
                    and OSA.distance(forename, key) <= limit
                    and _could_be_a_slip(forename, key)
                ):
                    return _SLIP, f"the {known_as} (spelt slightly differently)"
        return 0, ""

    def _surname_people(self, surname: str, typed: bool) -> list[tuple[int, float, str]]:
        if len(surname) == 1:
            return []  # surname initials are handled with the forename (see _initial_readings)
        found = [
            (index, 0.8 if partial else 1.0, "part of the surname" if partial else "the surname")
            for index, partial in self.by_surname.get(surname, ())
        ]
        if not found and typed:
            for choice, _distance in self._close_surnames(surname):
                found += [
                    (index, _SLIP, "the surname (spelt slightly differently)")
                    for index, partial in self.by_surname[choice]
                    if not partial
                ]
        return found

    def candidates(self, reading: _Reading) -> list[tuple[int, float, list[str]]]:
        """People a reading fits, with a score and the evidence."""
        found: list[tuple[int, float, list[str]]] = []
        if reading.swapped and self.is_forename(reading.surname):
            # "Thomas James" is Thomas James, not James Thomas written surname first.
            return []
        if len(reading.surname) == 1:
            # "amy_s", "Amy S.": a forename and the surname's initial
            for person_index in self._by_forename_and_initial(reading.forename, reading.surname):
                person = self.people[person_index]
                score, why = self._forename_evidence(person, reading.forename, False)
                if score >= 0.9:
                    found.append(
                        (person_index, 0.72 * reading.weight, [why, "the initial of the surname"])
                    )
            return _few(found)
        for person_index, surname_score, surname_why in self._surname_people(
            reading.surname, reading.typed
        ):
            person = self.people[person_index]
            forename_score, forename_why = self._forename_evidence(
                person, reading.forename, reading.typed
            )
            if not forename_score:
                continue
            if len(reading.forename) == 1:
                if surname_score < 1.0:
                    continue  # an initial needs the whole surname, exactly
            elif forename_score * surname_score < 0.7:
                continue  # two uncertain halves do not make a match
            found.append(
                (
                    person_index,
                    forename_score * surname_score * reading.weight,
                    [forename_why, surname_why],
                )
            )
        return _few(found) if len(reading.forename) == 1 else found

    def _by_forename_and_initial(self, forename: str, initial: str) -> list[int]:
        if len(forename) < 3:
            return []
        matches = []
        for surname, entries in self.by_surname.items():
            if not surname.startswith(initial):
                continue
            for person_index, partial in entries:
                if partial:
                    continue
                person = self.people[person_index]
                if forename in person.forenames or any(
                    self.nicknames.related(forename, key) for key in person.forenames
                ):
                    matches.append(person_index)
        return matches


def _few(found: list[tuple[int, float, list[str]]]) -> list[tuple[int, float, list[str]]]:
    """Matches by an initial: kept when they point at one person, or (less certain) two."""
    people = {person_index for person_index, _, _ in found}
    if len(people) > _MAX_BY_INITIAL:
        return []
    if len(people) == 1:
        return found
    return [
        (i, score * 0.9, [*why, "(one of two people on the roster who fit)"])
        for i, score, why in found
    ]


# -- reading a connection ------------------------------------------------------------------------
def _name_readings(name: str) -> list[_Reading]:
    if not name.strip():
        return []
    source = f"the name “{' '.join(name.split())}”"
    text = _NOISE.sub(" ", name)
    if "," in text:
        # "Smith, Amy": the surname first, as LinkedIn and some exports write it.
        before, _, after = text.partition(",")
        surname_parts, forename_parts = tokens(before), tokens(after)
        if surname_parts and forename_parts:
            return _from_words(forename_parts[:1], [surname_parts], source, 1.0)
    written = [word for word in text.split() if tokens(word)]
    words = [tokens(word) for word in written]
    if len(words) == 1:
        if len(words[0]) == 1:
            return _run_together_readings(words[0][0], source, 0.9)
        words = [[part] for part in words[0]]  # "Amy-Smith", "amy.smith" as one word
    if len(words) < 2:
        return []
    readings = _from_words(words[0], words[1:], source, 1.0)
    # Surname first: "SMITH Amy" says so with its capitals; "Craig Owen" is far more often a
    # Craig than an Owen Craig written backwards, so without them it is only a possible match.
    if len(words) == 2:
        capitals = written[0].isupper() and not written[1].isupper()
        readings += [
            _Reading(r.forename, r.surname, source, 0.9 if capitals else 0.75, True, swapped=True)
            for r in _from_words(words[1], words[:1], source, 1.0)
            if len(r.forename) > 1 and len(r.surname) > 1
        ]
    return readings


def _from_words(
    first: list[str], rest: list[list[str]], source: str, weight: float
) -> list[_Reading]:
    """Readings of a forename word (its parts) followed by the other words of a name."""
    forenames = ["".join(first)] + ([first[0]] if len(first) > 1 else [])
    last = rest[-1]
    surnames = [("".join(last), weight)]
    if len(last) > 1:
        # Smith-Jones on the platform, Jones at school: possible, less certain.
        surnames += [(part, weight * 0.8) for part in last if len(part) >= 3]
    if len(rest) >= 2:
        # A double surname written with a space ("Amy Smith Jones"), or a middle name ignored.
        surnames.append(("".join(rest[-2]) + "".join(last), weight))
        forenames.append("".join(first) + "".join(rest[0]))
    return [
        _Reading(forename, surname, source, w, True)
        for forename in forenames
        for surname, w in surnames
    ]


def _handle_readings(handle: str) -> list[_Reading]:
    if not handle.strip():
        return []
    source = f"the user name “{handle}”"
    parts = [p for p in re.split(r"[^a-z]+", fold(handle)) if p]
    if not parts:
        return []
    if len(parts) == 1:
        return _run_together_readings(parts[0], source, 0.9)
    first, last = parts[0], parts[-1]
    readings = [
        _Reading(first, last, source, 0.95),
        _Reading(last, first, source, 0.9, swapped=True),  # smith.amy
    ]
    if len(parts) >= 3:
        readings.append(_Reading(first, parts[1], source, 0.9))
    return readings


def _run_together_readings(text: str, source: str, weight: float) -> list[_Reading]:
    """``amysmith``, ``smithamy``, ``asmith``: held whole (no surname yet) until
    :func:`_splits` tries every cut against the roster's forenames and surnames."""
    return [_Reading(text, "", source, weight)]


def _splits(index: RosterIndex, reading: _Reading) -> list[_Reading]:
    text = reading.forename
    found: list[_Reading] = []
    for cut in range(1, len(text)):
        head, tail = text[:cut], text[cut:]
        named = len(head) >= _HANDLE_SPLIT_MIN and index.is_forename(head)
        initial = len(head) == 1 and len(tail) >= 4  # asmith: an initial and a surname
        if (named or initial) and len(tail) >= 3 and index.is_surname(tail):
            found.append(_Reading(head, tail, reading.source, reading.weight))
        surname_first = len(head) >= 3 and index.is_surname(head)
        if surname_first and len(tail) >= _HANDLE_SPLIT_MIN and index.is_forename(tail):
            found.append(_Reading(tail, head, reading.source, reading.weight * 0.95, swapped=True))
    # "amys" is not read as Amy S.: without a separator a last letter is too often part of the
    # word (jacks, toms); "amy_s" is read, by _handle_readings.
    return found


def _readings(index: RosterIndex, connection: Connection) -> list[_Reading]:
    named: list[_Reading] = []
    for reading in _name_readings(connection.name):
        # A run of letters ("amysmith") is split against the roster's forenames and surnames.
        named += _splits(index, reading) if not reading.surname else [reading]
    handled: list[_Reading] = []
    for reading in _handle_readings(connection.handle):
        handled += _splits(index, reading) if not reading.surname else [reading]
    if any(len(r.forename) > 1 and len(r.surname) > 1 for r in named):
        # The display name gives a whole name: an initial in the user name adds nothing to it
        # when they agree, and when they do not ("Luke Pain", luke_p) it is the same person's.
        handled = [r for r in handled if len(r.forename) > 1 and len(r.surname) > 1]
    return named + handled


def match_connection(index: RosterIndex, connection: Connection) -> list[Candidate]:
    """Everyone on the roster ``connection`` seems to be, best first; empty when nobody."""
    # person -> reading source -> (score, evidence, the name read): the best reading of each
    seen: dict[int, dict[str, tuple[float, str, tuple[str, str]]]] = {}
    initial_only: dict[int, bool] = {}
    for reading in _readings(index, connection):
        initial = len(reading.forename) == 1 or len(reading.surname) == 1
        for person_index, score, why in index.candidates(reading):
            initial_only[person_index] = initial_only.get(person_index, True) and initial
            evidence = f"{reading.source} matches {' and '.join(why)}"
            by_source = seen.setdefault(person_index, {})
            if score > by_source.get(reading.source, (0.0, "", ("", "")))[0]:
                read_as = (reading.forename, reading.surname)
                by_source[reading.source] = (score, evidence, read_as)
    if not seen:
        return []
    scored: dict[int, tuple[float, list[str]]] = {}
    for person_index, by_source in seen.items():
        best = max(score for score, _, _ in by_source.values())
        score = best
        if len({read_as for _, _, read_as in by_source.values()}) > 1:
            # A display name and a user name that say different things about the person
            # ("P. Chaudhry", priya_c) make each other more certain. Saying the same name twice
            # ("Chloe Taylor", chloetaylor) is one piece of evidence, not two.
            doubt = 1.0
            for found, _, _ in by_source.values():
                doubt *= 1 - found
            score = min(0.99, max(best, 1 - doubt))
        if initial_only[person_index]:
            score = min(score, _INITIALS_CEILING)
        reasons = [evidence for _, evidence, _ in sorted(by_source.values(), reverse=True)]
        scored[person_index] = (score, reasons)
    ceiling = max(score for score, _ in scored.values())
    folded = bool(connection.name) and was_folded(connection.name)
    candidates = [
        Candidate(
            index.people[person_index].person,
            round(score, 3),
            (*reasons, *_folding_note(connection.name, index.people[person_index].person, folded)),
            by_initial=initial_only[person_index],
        )
        for person_index, (score, reasons) in scored.items()
        if score >= REPORTED and score >= ceiling - _SHADOWED
    ]
    candidates.sort(key=lambda c: (-c.score, c.person.name))
    if len(candidates) > _MAX_BY_INITIAL and all(c.by_initial for c in candidates):
        return []  # an initial shared by many people on the roster says nothing
    return candidates


def _folding_note(name: str, person: RosterPupil | RosterParent, folded: bool) -> tuple[str, ...]:
    """Say that accents or letters were read as plain ones, unless the roster spells them so."""
    if not folded:
        return ()
    written = {unicodedata.normalize("NFC", word) for word in person.name.lower().split()}
    unusual = [w for w in unicodedata.normalize("NFC", name).lower().split() if not w.isascii()]
    if all(word in written for word in unusual):
        return ()
    return ("accents, another alphabet or a decorative font were read as plain letters",)


def match_all(
    index: RosterIndex, connections: Iterable[Connection]
) -> list[tuple[Connection, list[Candidate]]]:
    """Each connection that matches someone, with its candidates, in the order given."""
    found = []
    for connection in connections:
        candidates = match_connection(index, connection)
        if candidates:
            found.append((connection, candidates))
    return found


def folded_name(name: str) -> str:
    """A name as compared with a declaration's name: folded, single spaces."""
    return " ".join(tokens(fold(name)))
