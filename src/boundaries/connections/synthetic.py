"""A seeded generator of invented rosters and connection lists, for the matching benchmark and
its quality test.

Everyone here is invented: forenames and surnames of many origins are drawn at random and put
together, so any resemblance to a real pupil is chance. Famous people are the exception: their
names are public and they stand for the accounts a member of staff follows.

What is planted, and how (``Planted.how``): the pupil's name exactly, their preferred name, a
nickname, a typing slip in either name, accents dropped or added, another alphabet, a fancy
font, upper case, surname first, a middle name, an initial, and user names made from the names
(``amy.smith07``, ``smithamy``, ``amy_s``). Near misses: a pupil's forename with another surname,
a pupil's surname with another forename, famous people, and user names made of ordinary words.

The generator keeps its own name lists and nickname pairs, apart from the matcher's, so that the
benchmark does not simply replay the matcher's tables.
"""

from __future__ import annotations

import json
import random
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from io import BytesIO

from boundaries.connections.matching import Roster, RosterPupil


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FORENAMES = _names(
    "Amy Oliver Grace William Amelia Harry Isla Jack Ava George Mia Noah Ella Leo Freya Oscar "
    "Poppy Charlie Evie Alfie Lily Thomas Sophie Jacob Emily Joshua Chloe James Jessica Daniel "
    "Lucy Samuel Hannah Joseph Ruby Benjamin Holly Matthew Megan Ethan Katie Dylan Ellie Lewis "
    "Eleanor Callum Niamh Rhys Seren Dafydd Cerys Owen Catrin Ewan Eilidh Fraser Ailsa Finlay "
    "Siobhan Ciaran Aoife Cian Saoirse Oisin Mohammed Aisha Ibrahim Fatima Yusuf Zainab Omar "
    "Maryam Bilal Hafsa Zayn Amira Arjun Priya Rohan Ananya Vikram Kavya Aarav Diya Harpreet "
    "Jaspreet Simran Gurpreet Chidi Ngozi Tobi Ayo Kemi Femi Kwame Ama Kofi Adwoa Abdi Hodan "
    "Hamza Ayaan Wei Mei Jun Lian Hao Xin Minh Linh Tuan Anh Jakub Zofia Lukasz Kasia Piotr "
    "Natalia Mateusz Julia Andrei Ioana Mihai Elena Dmitri Anastasia Ivan Olga Sergei Marco "
    "Giulia Luca Sofia Mateo Lucia Diego Ines Tiago Beatriz Kai Leila Reuben Esther Nathan "
    "Imogen Rupert Tabitha Hugo Florence Felix Harriet Jasper Matilda Arlo Ivy Rory Maisie "
    "Alexander Margaret Elizabeth Catherine Edward Robert Richard Michael Christopher Victoria "
    "Rebecca Nicholas Jennifer Patrick Frederick Theodore Isabella Charlotte Olivia Henry"
)
# A few pupils carry accents or other letters, as their MIS records them.
ACCENTED = ("Zoë", "Chloé", "Siân", "Seán", "Łukasz", "Zoé", "José", "Inés", "Björn", "Renée")
SURNAMES = _names(
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Ahmed Hussain Begum Ali "
    "Singh Kaur Shah Sharma Gill Sandhu Okoro Okafor Adeyemi Mensah Boateng Owusu Osei Eze "
    "Nwosu Abdi Farah Warsame Chen Wang Li Zhang Liu Nguyen Tran Pham Kowalski Nowak Wojcik "
    "Lewandowski Popescu Ionescu Ivanov Petrov Rossi Russo Bianchi Garcia Lopez Silva Santos "
    "Murphy Kelly Byrne Doyle Gallagher Quinn Brennan MacLeod Fraser Campbell Cameron Munro "
    "Sinclair Hargreaves Whitfield Fairbairn Ashworth Butterworth Entwistle Pilkington "
    "Sutcliffe Wainwright Holroyd Crowther Llewellyn Pritchard Bowen Vaughan Prosser Meredith "
    "Hughes Morgan Griffiths Rees Price Bennett Cooper Harrison Ward Morris King Baker Turner "
    "Hill Carter Mitchell Parker Collins Bell Shaw Marshall Anderson Ellis Foster Chapman "
    "Holloway Pemberton Thistlethwaite Ravenscroft Blackwood Featherstone Kingsley Lockwood "
    "Ogunleye Balogun Afolabi Chowdhury Rahman Miah Uddin Iqbal Malik Mahmood Bashir Raza "
    "Fitzgerald O'Brien O'Connor O'Neill McCarthy McLaughlin Donnelly Kavanagh Devlin"
)
DOUBLE_SURNAMES = ("Smith-Jones", "Taylor-Brown", "Okafor-Wright", "Ahmed-Hall", "Evans-Price")
NICKNAMES = {
    "William": ("Will", "Bill", "Billy", "Liam"),
    "Elizabeth": ("Lizzie", "Beth", "Libby", "Eliza"),
    "Margaret": ("Maggie", "Peggy", "Meg"),
    "Alexander": ("Alex", "Xander", "Sandy"),
    "Catherine": ("Kate", "Katie", "Cathy"),
    "Edward": ("Ed", "Eddie", "Ted"),
    "Robert": ("Rob", "Robbie", "Bobby"),
    "Richard": ("Rich", "Richie", "Dick"),
    "Michael": ("Mike", "Mikey", "Mick"),
    "Christopher": ("Chris", "Kit"),
    "Victoria": ("Vicky", "Tori"),
    "Rebecca": ("Becky", "Becca"),
    "Nicholas": ("Nick", "Nicky"),
    "Jennifer": ("Jen", "Jenny"),
    "Patrick": ("Pat", "Paddy"),
    "Frederick": ("Fred", "Freddie"),
    "Theodore": ("Theo", "Teddy"),
    "Isabella": ("Bella", "Izzy"),
    "Charlotte": ("Lottie", "Charlie"),
    "Olivia": ("Liv", "Livvy"),
    "Henry": ("Harry", "Hal"),
    "Oliver": ("Olly", "Ollie"),
    "Amelia": ("Millie", "Mia"),
    "Thomas": ("Tom", "Tommy"),
    "James": ("Jim", "Jamie"),
    "Daniel": ("Dan", "Danny"),
    "Samuel": ("Sam", "Sammy"),
    "Joseph": ("Joe", "Joey"),
    "Benjamin": ("Ben", "Benji"),
    "Matthew": ("Matt", "Matty"),
    "Joshua": ("Josh",),
    "Jessica": ("Jess", "Jessie"),
    "Eleanor": ("Ellie", "Nell"),
    "Florence": ("Flo", "Florrie"),
    "Harriet": ("Hattie",),
    "Matilda": ("Tilly", "Tilda"),
    "Alfie": ("Alf",),
    "Jacob": ("Jake",),
    "Nathan": ("Nate",),
    "Imogen": ("Immy",),
    "Anastasia": ("Stacey", "Nastya"),
    "Mohammed": ("Mo",),
    "Natalia": ("Nat",),
    "Rupert": ("Rupe",),
}
FAMOUS = (
    "Harry Styles|harrystyles",
    "Emma Watson|emmawatson",
    "Tom Holland|tomholland2013",
    "Marcus Rashford|marcusrashford",
    "Harry Kane|harrykane",
    "Adele Adkins|adele",
    "Ed Sheeran|teddysphotos",
    "Dua Lipa|dualipa",
    "Stormzy|stormzy",
    "Lewis Hamilton|lewishamilton",
    "Emma Raducanu|emmaraducanu",
    "Bukayo Saka|bukayosaka87",
    "Jude Bellingham|judebellingham",
    "Lucy Bronze|lucybronze",
    "Leah Williamson|leahwilliamson",
    "Chloe Kelly|chloekelly98",
    "Tom Daley|tomdaley",
    "Jessica Ennis-Hill|jessicaennishill",
    "Mo Farah|gomofarah",
    "Joe Wicks|thebodycoach",
    "Gordon Ramsay|gordongram",
    "Jamie Oliver|jamieoliver",
    "Mary Berry|maryberry",
    "David Attenborough|davidattenborough",
    "Zoella|zoella",
    "Joe Sugg|joesugg",
    "Little Mix|littlemix",
    "Raheem Sterling|sterling7",
    "Declan Rice|declanrice",
    "Millie Bobby Brown|milliebobbybrown",
    "Daisy Ridley|daisyridley",
    "Florence Pugh|florencepugh",
    "Idris Elba|idriselba",
    "Jodie Whittaker|jodiewhittaker",
    "Olivia Colman|oliviacolman",
    "Benedict Cumberbatch|cumberbatchweb",
    "Keira Knightley|keiraknightley",
    "Daniel Radcliffe|danielradcliffe",
    "Rupert Grint|rupertgrint",
    "Tyson Fury|gypsyking101",
    "Anthony Joshua|anthonyjoshua",
    "Ellie Goulding|elliegoulding",
    "Sam Smith|samsmith",
    "Lewis Capaldi|lewiscapaldi",
    "Jessie Ware|jessieware",
    "Raye|raye",
    "Central Cee|centralcee",
    "Dave|santandave",
    "KSI|ksi",
    "Emily Atack|emilyatack",
    "Holly Willoughby|hollywilloughby",
    "Phillip Schofield|schofe",
    "Ant McPartlin|antmcpartlin",
    "Declan Donnelly|decdonnelly",
    "Alex Scott|alexscott2",
    "Gary Lineker|garylineker",
    "Ian Wright|ianwright0",
    "Rylan Clark|rylan",
    "Maya Jama|mayajama",
)
WORDS = _names(
    "sunshine footy gamer travel coffee bookworm vintage bluesky dreamer pizza music wild "
    "ocean garden kitchen yoga runner cycling photo daily news bakery puppy kitten rainbow "
    "moon star cosmic pixel retro urban nature craft fitness chef art design beauty style"
)
_KEYBOARD = {
    c: n
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    for i, c in enumerate(row)
    for n in [row[max(i - 1, 0)] + row[min(i + 1, len(row) - 1)]]
}
_FANCY_A = 0x1D4EA  # MATHEMATICAL BOLD SCRIPT SMALL A
_CYRILLIC = {
    "Ivan": "Иван", "Olga": "Ольга", "Sergei": "Сергей", "Dmitri": "Дмитрий",
    "Anastasia": "Анастасия", "Elena": "Елена", "Ivanov": "Иванов", "Petrov": "Петров",
    "Andrei": "Андрей", "Natalia": "Наталья",
}  # fmt: skip


@dataclass(frozen=True)
class Person:
    """One connection as the generator writes it, and who it really is."""

    name: str
    handle: str
    pupil_key: str | None  # the planted pupil, None for everyone else
    how: str  # the variant or near miss, for the breakdown


@dataclass(frozen=True)
class Generated:
    roster: Roster
    people: list[Person]
    today: date


def _strip_accents(text: str) -> str:
    return (
        "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        .replace("Ł", "L")
        .replace("ł", "l")
    )


def _key(text: str) -> str:
    return "".join(c for c in _strip_accents(text).lower() if c.isalpha())


def _variants(forename: str) -> set[str]:
    found = {_key(forename)}
    for formal, shorts in NICKNAMES.items():
        names = {_key(formal), *(_key(s) for s in shorts)}
        if _key(forename) in names:
            found |= names
    return found


def _typo(rng: random.Random, word: str) -> str:
    letters = list(word)
    i = rng.randrange(1, len(letters) - 1)  # keep the first letter, as slips usually do
    kind = rng.choice(("swap", "drop", "double", "key"))
    if kind == "swap" and letters[i] != letters[i + 1]:
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    elif kind == "drop":
        del letters[i]
    elif kind == "double":
        letters.insert(i, letters[i])
    else:
        near = _KEYBOARD.get(letters[i].lower(), "e")
        letters[i] = rng.choice(near)
    typed = "".join(letters)
    return typed if typed.lower() != word.lower() else word[:-1]


def _fancy(text: str) -> str:
    return "".join(
        chr(_FANCY_A + ord(c) - ord("a")) if "a" <= c <= "z" else c for c in text.lower()
    )


def _digits(rng: random.Random) -> str:
    return rng.choice(("", "", str(rng.randint(1, 99)), str(rng.randint(2007, 2015))[2:]))


def _roster(rng: random.Random, size: int, today: date) -> list[RosterPupil]:
    famous = {_key(f.split("|")[0]) for f in FAMOUS}
    pupils: list[RosterPupil] = []
    names: set[str] = set()
    while len(pupils) < size:
        forename = rng.choice(ACCENTED) if rng.random() < 0.03 else rng.choice(FORENAMES)
        surname = rng.choice(DOUBLE_SURNAMES) if rng.random() < 0.02 else rng.choice(SURNAMES)
        # Two pupils of exactly the same name cannot be told apart by any matcher: real
        # schools have few, and the benchmark has none.
        if _key(forename + surname) in famous or _key(forename + surname) in names:
            continue
        names.add(_key(forename + surname))
        preferred = None
        if forename in NICKNAMES and rng.random() < 0.35:
            preferred = rng.choice(NICKNAMES[forename])
        age = rng.randint(11, 17)
        born = today - timedelta(days=age * 365 + rng.randint(0, 364))
        left = today - timedelta(days=rng.randint(30, 700)) if rng.random() < 0.08 else None
        pupils.append(
            RosterPupil(
                key=f"pupil:{len(pupils) + 1}",
                legal_forename=forename,
                surname=surname,
                preferred_forename=preferred,
                date_of_birth=born,
                leaving_date=left,
                year_group=f"Year {min(13, age - 4)}",
            )
        )
    return pupils


def _planted(rng: random.Random, pupil: RosterPupil) -> Person:
    first = pupil.preferred_forename or pupil.legal_forename
    sur = pupil.surname
    f, s = _key(first), _key(sur)
    choices = [
        "exact",
        "preferred or nickname",
        "typo in surname",
        "typo in forename",
        "accents",
        "handle first.last",
        "handle lastfirst",
        "handle first_initial",
        "handle firstlast",
        "initial",
        "surname first",
        "middle name",
        "capitals and emoji",
    ]
    weights = [10, 14, 9, 5, 7, 12, 6, 5, 8, 5, 5, 5, 9]
    how = rng.choices(choices, weights)[0]
    handle = f"{rng.choice(WORDS)}{rng.randint(1, 999)}"
    name = f"{first} {sur}"
    if how == "preferred or nickname":
        nick = NICKNAMES.get(pupil.legal_forename)
        name = f"{rng.choice(nick) if nick else first} {sur}"
    elif how == "typo in surname" and len(s) >= 5:
        name = f"{first} {_typo(rng, sur)}"
    elif how == "typo in forename" and len(f) >= 5:
        name = f"{_typo(rng, first)} {sur}"
    elif how == "accents":
        if first in _CYRILLIC or sur in _CYRILLIC:
            name = f"{_CYRILLIC.get(first, first)} {_CYRILLIC.get(sur, sur)}"
        elif _key(name) != name.replace(" ", "").lower():
            name = _strip_accents(name)
        else:
            name = _fancy(name) if rng.random() < 0.5 else name.replace("e", "é", 1)
    elif how.startswith("handle"):
        name = rng.choice(("", "", first, f"{first} ✨"))
        if how == "handle first.last":
            handle = f"{f}{rng.choice('._')}{s}{_digits(rng)}"
        elif how == "handle lastfirst":
            handle = f"{s}{f}{_digits(rng)}"
        elif how == "handle first_initial":
            handle = f"{f}_{s[0]}{_digits(rng)}"
            name = ""
        else:
            handle = f"{f}{s}{_digits(rng)}"
    elif how == "initial":
        name = f"{first[0]}. {sur}"
    elif how == "surname first":
        name = rng.choice((f"{sur}, {first}", f"{sur.upper()} {first}"))
    elif how == "middle name":
        name = f"{first} {rng.choice(FORENAMES)} {sur}"
    elif how == "capitals and emoji":
        name = rng.choice((name.upper(), f"{name} 💙", f"🌸 {name.lower()} 🌸"))
    else:
        how = "exact"
    return Person(name, handle, pupil.key, how)


def _taken(pupils: list[RosterPupil]) -> set[tuple[str, str]]:
    pairs = set()
    for p in pupils:
        for forename in (p.legal_forename, p.preferred_forename or p.legal_forename):
            for variant in _variants(forename):
                pairs.add((variant, _key(p.surname)))
    return pairs


def _stranger(
    rng: random.Random, taken: set[tuple[str, str]], forename: str = ""
) -> tuple[str, str]:
    """Someone no pupil could be by name: ``forename`` (if given) with another surname."""
    for _attempt in range(500):
        f = forename or rng.choice(FORENAMES)
        s = rng.choice(SURNAMES)
        if (_key(f), _key(s)) not in taken:
            return f, s
    raise ValueError(f"every surname is taken for {forename}")


def _stranger_handle(rng: random.Random, forename: str, surname: str) -> str:
    f, s = _key(forename), _key(surname)
    return rng.choice(
        (
            f"{f}.{s}{_digits(rng)}",
            f"{f}{s}",
            f"{rng.choice(WORDS)}_{f}",
            f"{rng.choice(WORDS)}{rng.randint(1, 999)}",
        )
    )


def _unique_handles(rng: random.Random, people: list[Person]) -> list[Person]:
    """Each account once, as on a real platform: a famous account is followed once, and a user
    name already taken gets digits added."""
    seen: set[str] = set()
    unique = []
    for person in people:
        handle = person.handle
        if person.how == "famous" and handle in seen:
            continue
        while handle in seen:
            handle = f"{person.handle}{rng.randint(1, 999)}"
        seen.add(handle)
        unique.append(Person(person.name, handle, person.pupil_key, person.how))
    return unique


def generate(
    seed: int,
    *,
    pupils: int = 1500,
    connections: int = 2000,
    planted: int = 200,
    near_misses: int = 200,
    today: date = date(2026, 11, 25),
) -> Generated:
    """A roster and a list of connections, the same for the same arguments."""
    rng = random.Random(seed)
    roster = _roster(rng, pupils, today)
    taken = _taken(roster)
    people = [_planted(rng, p) for p in rng.sample(roster, planted)]
    famous = rng.sample(FAMOUS, len(FAMOUS))  # each famous account once
    for _ in range(near_misses):
        kind = rng.choices(("forename", "surname", "famous", "words"), (40, 30, 20, 10))[0]
        pupil = rng.choice(roster)
        if kind == "forename":
            f, s = _stranger(rng, taken, forename=pupil.preferred_forename or pupil.legal_forename)
            people.append(Person(f"{f} {s}", _stranger_handle(rng, f, s), None, "same forename"))
        elif kind == "surname":
            for _attempt in range(50):
                f = rng.choice(FORENAMES)
                if (_key(f), _key(pupil.surname)) not in taken:
                    break
            else:
                continue
            people.append(
                Person(
                    f"{f} {pupil.surname}",
                    _stranger_handle(rng, f, pupil.surname),
                    None,
                    "same surname",
                )
            )
        elif kind == "famous" and famous:
            name, handle = famous.pop().split("|")
            people.append(Person(name, handle, None, "famous"))
        else:
            words = rng.sample(WORDS, 2)
            handle = rng.choice(("_", ".", "")).join(words) + _digits(rng)
            people.append(
                Person(rng.choice(("", words[0].capitalize())), handle, None, "common words")
            )
    people = _unique_handles(rng, people)
    handles = {person.handle for person in people}
    while len(people) < connections:
        f, s = _stranger(rng, taken)
        handle = _stranger_handle(rng, f, s)
        if handle not in handles:
            handles.add(handle)
            people.append(Person(f"{f} {s}", handle, None, "unrelated"))
    rng.shuffle(people)
    return Generated(Roster(pupils=roster), people, today)


def snapchat_zip(people: list[Person], when: datetime | None = None) -> bytes:
    """The people as a Snapchat "My Data" export: ``json/friends.json`` in a ZIP."""
    stamp = (when or datetime(2026, 11, 1, tzinfo=UTC)).strftime("%Y-%m-%d %H:%M:%S UTC")
    friends = [
        {
            "Username": person.handle,
            "Display Name": person.name,
            "Creation Timestamp": stamp,
            "Last Modified Timestamp": stamp,
            "Source": "Added by Username",
        }
        for person in people
    ]
    document = {
        "Friends": friends,
        "Friend Requests Sent": [],
        "Blocked Users": [],
        "Deleted Friends": [],
        "Hidden Friend Suggestions": [],
        "Ignored Snapchatters": [],
        "Pending Requests": [],
        "Shortcuts": [],
    }
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("json/friends.json", json.dumps(document, ensure_ascii=False, indent=2))
        archive.writestr("index.html", "<html><body>My Data</body></html>")
    return buffer.getvalue()


@dataclass(frozen=True)
class Scores:
    """How the matcher did on generated people: pairs reported, right, and planted found."""

    reported: int
    correct: int
    planted: int
    found: int
    missed: dict[str, int]
    wrong: dict[str, int]

    @property
    def precision(self) -> float:
        return self.correct / self.reported if self.reported else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(people: list[Person], reported: list[list[str]]) -> Scores:
    """Compare the pupils reported for each person (their keys) with who was planted.

    Every (connection, pupil) pair reported counts: a planted connection reported as two
    pupils is one right and one wrong.
    """
    pairs = correct = planted = found = 0
    missed: dict[str, int] = {}
    wrong: dict[str, int] = {}
    for person, keys in zip(people, reported, strict=True):
        pairs += len(keys)
        if person.pupil_key is not None:
            planted += 1
            if person.pupil_key in keys:
                found += 1
                correct += 1
            else:
                missed[person.how] = missed.get(person.how, 0) + 1
        for key in keys:
            if key != person.pupil_key:
                wrong[person.how] = wrong.get(person.how, 0) + 1
    return Scores(pairs, correct, planted, found, missed, wrong)
