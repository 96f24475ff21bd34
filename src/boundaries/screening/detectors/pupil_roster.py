"""The roster compiled once per context: every name form of every pupil (legal, preferred,
short and formal forms, surnames and their parts), the adults' names (staff, the author,
parents), parents linked to their children, and one Aho-Corasick automaton over all of them and
the famous names and school-context cues."""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from boundaries.screening.context import Pupil, ScreeningContext
from boundaries.screening.detectors.pupil_cues import (
    canonical_year,
    cue_key,
    cue_phrases,
    year_label,
)
from boundaries.screening.detectors.pupil_names import (
    famous_phrases,
    formal_names,
    given_names,
    name_key,
    nicknames,
)
from boundaries.screening.detectors.pupil_words import PARTICLES, TITLES

# How a forename form relates to a pupil, strongest first.
EXACT = 0  # legal forename or preferred name
PART = 1  # one part of a two-part or hyphenated forename ("Lily" of "Lily-Mae")
NICK = 2  # a short form of the legal or preferred forename ("Will" for William)
FORMAL = 3  # the formal name of a pupil whose legal name is a short form ("William" for Will)


@dataclass(frozen=True, slots=True)
class PupilInfo:
    """What the detector keeps of one pupil."""

    display: str
    year: str | None  # canonical year group: "4", "R", "N"
    label: str | None  # "Year 4", "Reception"
    initials: frozenset[str]  # first letters of the forename forms (for "A. Smith")
    forenames: tuple[str, ...]  # exact forename keys (legal, preferred), for typo checks
    surnames: tuple[str, ...]  # surname keys and parts, for typo checks
    surname_initial: str | None


class RosterKey:
    """Everything one automaton key stands for: a key can be a forename of some pupils, a
    surname of others, a famous phrase and a cue at once."""

    __slots__ = (
        "by_first",
        "by_title",
        "children",
        "cue",
        "famous",
        "forenames",
        "length",
        "surnames",
        "typo_targets",
        "year",
    )

    def __init__(self, length: int) -> None:
        self.length = length
        self.forenames: dict[int, int] = {}  # pupil index -> best level of this form for them
        self.surnames: dict[int, int] = {}  # pupil index -> 0 whole surname, 1 one part of it
        self.famous = False
        self.cue = 0
        self.year: str | None = None
        self.children: set[int] = set()  # a parent's full name: their children on the roster
        self.by_title: set[int] = set()  # a parent's surname: their children, after "Mrs" etc.
        self.by_first: set[int] = set()  # a parent's first name: their children ("Tunde's girl")
        # For a forename: the surnames of its pupils by length, for one-letter slips.
        self.typo_targets: dict[int, list[tuple[str, int, int]]] = {}


def roster_pupils(context: ScreeningContext) -> list[Pupil]:
    """The context's pupils, and parents' children who are not already on it."""
    pupils = list(context.pupils)
    seen = {(name_key(p.forename), name_key(p.surname or "")) for p in pupils}
    for parent in context.parents:
        for child in parent.children:
            tokens = child.split()
            if not tokens:
                continue
            forename = " ".join(tokens[:-1]) if len(tokens) > 1 else tokens[0]
            surname = tokens[-1] if len(tokens) > 1 else None
            if (name_key(forename), name_key(surname or "")) not in seen:
                seen.add((name_key(forename), name_key(surname or "")))
                pupils.append(Pupil(forename=forename, surname=surname))
    return pupils


class Roster:
    """Every name form on the roster, the adults' names and the automaton that finds them all."""

    def __init__(self, context: ScreeningContext) -> None:
        self.info: list[PupilInfo] = []
        self.keys: dict[str, RosterKey] = {}
        self.adult_full: set[str] = set()  # staff, the author and parents: "will jones"
        self.adult_first: set[str] = set()
        self.staff_names: set[str] = set()  # staff's and the author's first names and surnames
        for pupil in roster_pupils(context):
            self._add_pupil(pupil)
        self._add_adults(context)
        self._add_parents(context)
        # Forename initial and surname initial -> pupils ("mk" for Mark Kowalczyk), for "M.K.".
        by_initials: dict[str, list[int]] = {}
        for index, info in enumerate(self.info):
            if info.surname_initial:
                for first in info.initials:
                    by_initials.setdefault(first + info.surname_initial, []).append(index)
        self.by_initials = {pair: tuple(found) for pair, found in by_initials.items()}
        self.given = frozenset(
            given_names()
            | {form for info in self.info for form in info.forenames}
            | self.adult_first
        )
        self._index_typo_targets()
        self.automaton = ahocorasick.Automaton()
        if self.info:
            for phrase in famous_phrases():
                self.entry(phrase).famous = True
            for phrase, strength, year in cue_phrases():
                key = self.entry(cue_key(phrase), collapse=False)
                if strength > key.cue or key.cue == 0:  # a school sense beats an adult one
                    key.cue = strength
                key.year = key.year or year
            for text, key in self.keys.items():
                self.automaton.add_word(f" {text} ", key)
            self.automaton.make_automaton()

    def entry(self, text: str, *, collapse: bool = True) -> RosterKey:
        text = " ".join(text.split()) if collapse else text
        key = self.keys.get(text)
        if key is None:
            key = self.keys[text] = RosterKey(len(text) + 2)
        return key

    def _add_pupil(self, pupil: Pupil) -> None:
        index = len(self.info)
        forms: dict[str, int] = {}

        def add(form: str, level: int) -> None:
            if form and (form not in forms or forms[form] > level):
                forms[form] = level

        legal, preferred = name_key(pupil.forename), name_key(pupil.preferred_name or "")
        for name in (legal, preferred):
            if not name:
                continue
            add(name, EXACT)
            parts = name.split()
            if len(parts) > 1:
                add("".join(parts), EXACT)  # "Lily-Mae" typed "Lilymae"
                for part in parts:
                    if len(part) >= 2:
                        add(part, PART)
            for base in {name, parts[0]}:
                for nick in nicknames().get(base, ()):
                    add(nick, NICK)
                for formal in formal_names().get(base, ()):
                    add(formal, FORMAL)
        for form, level in forms.items():
            key = self.entry(form)
            if key.forenames.get(index, 9) > level:
                key.forenames[index] = level

        surnames: list[str] = []
        if pupil.surname:
            whole = name_key(pupil.surname)
            surnames.append(whole)
            self.entry(whole).surnames[index] = 0
            joined = name_key(re.sub(r"['’`]", "", pupil.surname))
            if joined != whole:  # "O'Brien" typed "OBrien"
                self.entry(joined).surnames.setdefault(index, 0)
                surnames.append(joined)
            parts = [name_key(p) for p in re.split(r"[\s\-‐–]+", pupil.surname) if name_key(p)]
            if len(parts) > 1:
                for part in parts:
                    if len(part) >= 3 and part not in PARTICLES:
                        self.entry(part).surnames.setdefault(index, 1)
                        surnames.append(part)
        year = canonical_year(pupil.year_group)
        exact = tuple(f for f, lv in forms.items() if lv == EXACT)
        self.info.append(
            PupilInfo(
                display=pupil.display,
                year=year,
                label=year_label(year, pupil.year_group),
                initials=frozenset(f[0] for f in exact),
                forenames=exact,
                surnames=tuple(surnames),
                surname_initial=surnames[0][0] if surnames else None,
            )
        )

    def _index_typo_targets(self) -> None:
        """Each forename's surnames by length, so a slip is checked against a handful of them."""
        for key in self.keys.values():
            seen: set[str] = set()
            for index, level in sorted(key.forenames.items(), key=lambda item: item[1]):
                if level >= FORMAL:
                    continue
                for surname in self.info[index].surnames:
                    if len(surname) >= 4 and " " not in surname and surname not in seen:
                        seen.add(surname)
                        key.typo_targets.setdefault(len(surname), []).append(
                            (surname, index, level)
                        )

    def _add_adults(self, context: ScreeningContext) -> None:
        """Staff, the author and parents: their names are adults' names, not pupils'."""
        staff = [*context.school.staff, context.author.name or ""]
        names = [*staff, *(parent.name for parent in context.parents)]
        for number, raw in enumerate(names):
            tokens = name_key(re.sub(r"\(.*?\)", " ", raw)).split()
            while tokens and tokens[0] in TITLES:
                tokens.pop(0)
            tokens = [t for t in tokens if len(t) > 1]
            if not tokens:
                continue
            first = tokens[0]
            self.adult_first.add(first)
            if number < len(staff):
                # "Mrs Okafor's daughter", "Janet's youngest": a colleague's child, not a pupil.
                self.staff_names.add(first)
                self.staff_names.add(tokens[-1])
            if len(tokens) > 1:
                for form in (
                    {first} | nicknames().get(first, set()) | formal_names().get(first, set())
                ):
                    self.adult_full.add(f"{form} {tokens[-1]}")

    def _add_parents(self, context: ScreeningContext) -> None:
        """A parent named in a post makes their child identifiable by first name alone."""
        for parent in context.parents:
            children = set()
            for child in parent.children:
                tokens = name_key(child).split()
                if not tokens:
                    continue
                for index, info in enumerate(self.info):
                    if tokens[0] in info.forenames and (
                        len(tokens) == 1 or tokens[-1] in info.surnames
                    ):
                        children.add(index)
            tokens = name_key(parent.name).split()
            if not children or len(tokens) < 2:
                continue
            self.entry(" ".join(tokens)).children.update(children)
            self.entry(tokens[-1]).by_title.update(children)
            self.entry(tokens[0]).by_first.update(children)
