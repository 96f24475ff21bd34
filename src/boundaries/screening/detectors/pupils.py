"""Pupils named (PU101) or identifiable from a partial name and school context (PU102).

The roster is compiled once per context into one Aho-Corasick automaton whose keys are every name
form (legal forename, preferred name, short forms, surname and the parts of double-barrelled
names), the famous names and fixed phrases that contain a given name ("Harry Styles", "Amazing
Grace") and the school-context cues ("Year 4", "in my class", "IEP"). ``detect`` makes one pass of
the automaton over a word-only, accent-free copy of the post and then judges each hit.

False alarms are as costly as misses. A full name (forename and surname of the same pupil) is
strong evidence in any case. A forename alone needs a reason to be a name at all (a capital where
the post's capitals mean something, or a slot such as "Ruby in Year 3") and a reason to be a pupil
(school context near it); names that are ordinary words ("Will you...", "the roses", "I will mark
the books") are read as words unless the post says otherwise. Staff, the author and parents are
adults, not pupils.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import ClassVar

import ahocorasick
from rapidfuzz.distance import OSA

from boundaries.screening.context import Pupil, ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.normalise import Document
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings

PU101 = Rule(
    code="PU101",
    name="pupil-named",
    message="Names a pupil",
    what=(
        "A pupil on the school's roster named in full: first or preferred name (or a short form "
        "of it) with the surname, in any case, with a possessive or a one-letter slip, or an "
        "initial and surname in a post about school."
    ),
    example="So proud of Ruby Sandhu in Year 3, she read her poem to the whole school today!",
    instead="So proud of one of our Year 3 pupils, who read her poem to the whole school today!",
    fix=(
        "Take the pupil's name out: say 'a pupil' or 'one of our Year 3s', and celebrate pupils "
        "only through the school's official channels, with parental consent."
    ),
    redact_as="PUPIL",
)

PU102 = Rule(
    code="PU102",
    name="pupil-identifiable",
    message="A pupil could be identified",
    what=(
        "A pupil's first name, or first name and surname initial, next to school details such "
        "as a year group, 'in my class' or a behaviour or SEN note, which together could "
        "identify the child."
    ),
    example="Little Ruby in my class finally cracked her times tables today!",
    instead="One of my class finally cracked their times tables today!",
    fix=(
        "Remove the name or initial, or the year group and class details, so that no child "
        "can be identified; share pupils' news only through the school's official channels."
    ),
    redact_as="PUPIL",
)

# How a forename form relates to a pupil, strongest first.
EXACT = 0  # legal forename or preferred name
PART = 1  # one part of a two-part or hyphenated forename ("Lily" of "Lily-Mae")
NICK = 2  # a short form of the legal or preferred forename ("Will" for William)
FORMAL = 3  # the formal name of a pupil whose legal name is a short form ("William" for Will)

# Cue strengths: how much a phrase near a name says "this is about a pupil".
STRONG, MEDIUM, WEAK, ADULT = 3, 2, 1, -1


def _words(text: str) -> frozenset[str]:
    """A word list written as one string, for readability."""
    return frozenset(text.split())


_WORD = re.compile(r"[^\W_]+")
_NONWORD = re.compile(r"[\W_]")
_BRACES = re.compile(r"\{([^{}]*)\}")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_CAPITAL_WORD = re.compile(r"(?<![^\W\d_])[A-ZÀ-ÖØ-Þ][^\W\d_]{3,}")
_SENTENCE_START = re.compile(r"(?:^|[.!?\n])[^\w]*([^\W\d_])")
_PREV_WORD = re.compile(r"([^\W_]+)\.?[^\w.!?\n]*$")
_COMMA = re.compile(r",[ \t]*")
_LIST_BEFORE = re.compile(r"([^\W\d_]+)\s*(?:,|&|\band\b|/)\s*$")
_LIST_AFTER = re.compile(r"\s*(?:,|&|\band\b|/)\s*([^\W\d_]+)")
_OWNED = re.compile(r"['’]s[ \t]+([^\W\d_]+)")
_BEFORE_TO = re.compile(r"([^\W_]+)\W+to\W*$")
_HANDLE = re.compile(r"(?<![\w@])@([\w.\-]+\w)")
_COMPOUND_HANDLE = re.compile(r"\w[._\-\d]")
_INITIAL_BEFORE = re.compile(r"(?<![\w.])([A-Z])\.?[ \t]+$")

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

_NUMBERS = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
)
_NUM = r"(?:\d{1,2}|r|" + "|".join(_NUMBERS) + r")"
_HANDLE_YEAR = re.compile(rf"(?:year|yr|y)({_NUM})s?|(rec|reception|nursery)")

_TITLES = _words(
    """mr mrs miss ms mx dr doctor prof professor sir dame lord lady rev revd reverend father
    fr sister uncle aunt auntie aunty nan nana nanna nanny grandma grandad granddad grandpa granny
    gran grandmother grandfather prince princess king queen saint st coach captain capt cllr
    councillor sgt sergeant officer pc president pope chef judge dj mc madam madame señor
    senor signor herr frau"""
)

# Words just before a name that make the person an adult, a relative or a pet, not a pupil.
_ADULT_BEFORE = _words(
    """son daughter husband wife partner boyfriend girlfriend fiance fiancee hubby mum mom mam
    mummy mommy dad daddy mother brother niece nephew cousin grandson granddaughter grandchild
    stepson stepdaughter stepmum stepdad friend bestie bff mate pal colleague colleagues neighbour
    boss head headteacher headmistress headmaster deputy teacher ta senco governor governors
    caretaker cleaner chair manager principal bursar dog cat puppy kitten pup horse pony hamster
    rabbit bunny pet guineapig goldfish baby babies twins"""
)

_ADULT_AFTER = re.compile(
    r"(?:['’]s)?\s*(?:[,(–—-]\s*)?(?:who\s+is\s+|is\s+)?(?:(?:our|my|the|their|his|her|a)\s+)?"
    r"(?:(?:new|lovely|amazing|brilliant|fab|fabulous|wonderful|old|former|acting|dear|best)\s+)?"
    r"(?:deputy|head\s?teacher|headmistress|headmaster|head\s+of|assistant\s+head|head|"
    r"teacher|teaching\s+assistant|ta|senco|governor|caretaker|colleague|receptionist|"
    r"business\s+manager|office\s+manager|bursar|chair\s+of|lunchtime\s+supervisor|"
    r"dinner\s+lady|cleaner|husband|wife|partner|boyfriend|girlfriend|mum|dad|mother|father|"
    r"sister|brother|daughter|son|niece|nephew|cousin|grandson|granddaughter|friend|bestie|"
    r"neighbour|boss|grandma|grandad|nan|mp|councillor|cllr|vicar|coach|manager|"
    r"dog|cat|puppy|kitten|pony|hamster|rabbit)(?![\w'’])"
)

# Before a common-word name these make it a word ("the roses", "so much joy", "what a joy").
_DETERMINERS = _words(
    """the a an some this that these those every each no any such what how so very too more
    most much less its their another"""
)
# After a name that is also a verb or modal these make it the verb ("Will you", "Mark the books").
_VERB_NEXT = _words(
    """i you we they he she it there this that these those anyone anybody everyone everybody
    someone somebody u ya ye y'all the a an my your our his her their its some any all every each
    no not be been have has do get go need make take see let never always also just probably
    definitely still now soon only really try keep come look give send bring put on off up down
    out over away back me him them us yourself yourselves itself everything anything something
    nothing tomorrow tonight later next"""
)
# Before a name that is also a verb these make it the verb ("I will", "to mark", "we'll hope").
_VERB_PREV = _words(
    """i you we they he she it who which u to will would could should must might may can cannot
    can't won't don't didn't also just always never not please ll d let lets let's"""
)
_PLACE_PREP = _words(
    """in to from at into visit visiting visited via near around across towards toward through
    trip holiday flight flew fly flying drove drive driving live lives lived living moved support
    supports supporter fan fans beat beating beaten against vs versus v"""
)
# After a place-like name, words that make it the place, club or brand ("the Paris trip").
_PLACE_NEXT = _words(
    """trip trips holiday holidays match game games fans fan shirt shirts kit hotel beach flight
    flights airport street road station city centre tour visit stadium team squad manager
    players won lost beat drew nil"""
)
# Before "to", words that make the name after it a person ("well done to Will", not "to will").
_TO_PERSON = _words(
    """done out congratulations congrats thanks thank goodbye bye hello hi love welcome sorry
    said talked spoke wrote gave give read award awarded goes went certificate prize"""
)
# Before "to", words that make the name after it a place ("trip to Paris", not "well done to").
_MOTION = _words(
    """go goes going went gone trip trips holiday holidays flight flights flew fly flying move
    moved moving drive drove travel travelled travelling visit visits journey way back off
    return returned heading head train ferry coach welcome"""
)
# After a name at the start of a sentence, verbs that show it is a person doing something. Not
# "is", "was" or "has": "Summer is here", "Hope was fading".
_PERSON_NEXT = _words(
    """did got gets won wins scored made makes read reads wrote writes came comes said says loved
    loves asked told tells brought finished managed completed achieved earned received tried
    worked played sang danced ran fell cried smiled helped showed painted built learned learnt
    remembered forgot needs needed wanted wants finally went joined left started gave took
    passed failed struggled hated can't couldn't didn't doesn't isn't wasn't hasn't hit kicked
    pushed swore refused spent moved lost found walked sat stood bit threw shouted screamed
    climbed wet thinks thought knows knew became"""
)
# A capitalised word after a forename that does not make it someone else's full name.
_NEXT_OK = _words(
    """i and or but year yr reception nursery class set group form today yesterday tonight this
    in on at from of for with is was has had"""
)
# Surname particles: not matched on their own as part of a surname.
_PARTICLES = _words("de da di do du del della der den van von la le el al bin bint ibn st")
_COSTUME = re.compile(
    r"(?:\bas|\bplay(?:ed|ing|s)?|\bcast\s+as|\bcharacter\s+of|\bpart\s+of|\brole\s+of)\s*$"
)

_SLOT_AFTER = re.compile(
    r"(?:['’]s)?\s*(?:[(\[,:–—-]\s*)?(?:(?:who\s+is|who's|is|was|who\s+was)\s+)?"
    r"(?:(?:in|from|of)\s+)?(?:"
    rf"(?:the\s+)?(?:year|yr|y)\s?(?P<year>{_NUM})(?:['’]?s)?(?!\w)"
    r"|(?P<rec>reception|nursery)\b"
    r"|(?:my|our)\s+(?:class|form|form\s+group|tutor\s+group|set|maths\s+set|reading\s+group|"
    r"group|room)\b"
    r"|class\s+(?:\d{1,2}[a-z]{0,2}|r)\b"
    r"|(?P<code>\d{1,2})[a-z]{1,2}\b)"
)
_COSTUME_WORDS = _words("as play played playing plays of")  # "dressed as Elsa", "part of Mary"
_SLOT_BEFORE_WORDS = _words(
    "r reception receptions nursery pupil student little wee classmate " + " ".join(_NUMBERS)
)
_SLOT_BEFORE = re.compile(
    rf"(?:(?:year|yr|y)\s?(?P<year>{_NUM})(?:['’]?s)?|(?P<rec>reception|nursery)(?:['’]s)?|"
    r"pupil|student|little|wee|classmate)\s*[:,]?\s*$"
)

# School-context cues, matched by the same automaton as the names. Year groups are generated.
_STRONG_CUES = """
in my class|in our class|my class|our class|in class|my form|my form group|my tutor group|
tutor group|form group|my set|my pupils|my students|our pupils|our students|my year|one of my boys|
one of my girls|one of my kids|child in my class|boy in my class|girl in my class|pupil|pupils|
student|students|learner|learners|schoolboy|schoolgirl|classmate|classmates|sen|senco|sendco|iep|
ieps|ehcp|ehc plan|send support|behaviour|behaviour plan|behaviour chart|behavior|detention|
detentions|exclusion|excluded|internal exclusion|isolation|adhd|asd|autism|autistic|dyslexia|
dyslexic|dyspraxia|statemented|one to one|1:1|1 to 1|pupil premium|free school meals|fsm|
looked after child|safeguarding|social services|social worker|child protection|cp plan|
reading age|reading level|reading book|book band|phonics|spellings|spelling test|times tables|
sats|gcse|gcses|mocks|mock exams|predicted grade|parents evening|parents' evening|
parent's evening|parent evening|school report|star of the week|star pupil|headteacher's award|
head teacher's award|headteacher award|house points|house point|dojo|dojos|class dojo|merit|
merits|golden time|sticker chart|reward chart|show and tell|learning support|intervention|
interventions|key stage 1|key stage 2|key stage 3|key stage 4|ks1|ks2|ks3|ks4|eyfs|sixth form|
sixth former|foundation stage|year r|yr r|reception class|in reception|nursery class
"""
_MEDIUM_CUES = """
school|class|classroom|lesson|lessons|homework|teacher|teachers|playground|playtime|play time|
break time|breaktime|lunchtime|lunch time|dinner time|assembly|nativity|sports day|school trip|
residential|register|reception|nursery|school play|school disco|school fair|uniform|book bag|
pe kit|worksheet|handwriting|
spelling|maths|after school club|breakfast club|forest school|swimming lesson|exercise book|
whiteboard
"""
_WEAK_CUES = """
well done|so proud|proud of|proud|certificate|award|star|today|reading|writing|bless|sweetheart|
kids|children|child|little ones|the kids|my lot|term|
little one|cheeky|bless him|bless her|gorgeous|superstar|star of the day
"""
_ADULT_CUES = """
my daughter|my son|my niece|my nephew|my grandson|my granddaughter|my husband|my wife|
my partner|my boyfriend|my girlfriend|my friend|my best friend|my mum|my dad|my sister|
my brother|my cousin|our daughter|our son|my boy|my girl|our dog|my dog|the dog|our cat|my cat|
the cat|puppy|kitten|my baby|our baby|my children|hubby|wedding|anniversary
"""


@dataclass(frozen=True, slots=True)
class _Info:
    """What the detector keeps of one pupil."""

    display: str
    year: str | None  # canonical year group: "4", "R", "N"
    label: str | None  # "Year 4", "Reception"
    initials: frozenset[str]  # first letters of the forename forms (for "A. Smith")
    forenames: tuple[str, ...]  # exact forename keys (legal, preferred), for typo checks
    surnames: tuple[str, ...]  # surname keys and parts, for typo checks
    surname_initial: str | None


class _Key:
    """Everything one automaton key stands for: a key can be a forename of some pupils, a
    surname of others, a famous phrase and a cue at once."""

    __slots__ = (
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
        # For a forename: the surnames of its pupils by length, for one-letter slips.
        self.typo_targets: dict[int, list[tuple[str, int, int]]] = {}


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int  # offsets in doc.text (and doc.lower, and the folded copy)
    end: int
    key: _Key


@dataclass(frozen=True, slots=True)
class _Cue:
    start: int
    end: int
    strength: int
    year: str | None


@dataclass(frozen=True, slots=True)
class _Full:
    """A forename and surname of the same pupil found next to each other (or near misses)."""

    start: int
    end: int
    pupil: int
    level: int  # forename level (EXACT...FORMAL)
    part: bool  # the surname matched is one part of a double-barrelled surname
    typo: bool  # one letter away in the forename or the surname
    middle: bool  # a middle name between the forename and the surname
    surname_start: int


# ----------------------------------------------------------------------------------- lexicons


def _lexicon(name: str) -> Iterator[str]:
    """Lines of a lexicon without comments and blank lines."""
    text = (files("boundaries.screening") / "lexicons" / name).read_text(encoding="utf-8")
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            yield line


def _expand(line: str) -> list[str]:
    """``summer {term,fair}`` -> ``summer term``, ``summer fair``."""
    match = _BRACES.search(line)
    if match is None:
        return [line]
    out: list[str] = []
    for alt in match[1].split(","):
        out.extend(_expand(f"{line[: match.start()]}{alt.strip()}{line[match.end() :]}"))
    return out


def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in base if not unicodedata.combining(c))
    return stripped if len(stripped) == 1 else char


def _fold_lower(lower: str) -> str:
    """Lower-case text without accents, one character for one, so offsets are kept."""
    if lower.isascii():
        return lower
    for char in set(lower):
        if not char.isascii() and ord(char) not in _FOLD_TABLE:
            _FOLD_TABLE[ord(char)] = _fold_char(char)  # learnt once per character, then reused
    return lower.translate(_FOLD_TABLE)


def _key(name: str) -> str:
    """The form a name is matched in: lower case, no accents, words joined by one space."""
    low = name.lower()
    if len(low) != len(name):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in name)
    return " ".join(_WORD.findall(_fold_lower(low)))


@cache
def _nicknames() -> dict[str, frozenset[str]]:
    """Formal given name -> its short forms."""
    table: dict[str, set[str]] = {}
    for line in _lexicon("nicknames.txt"):
        formal, _, nicks = line.partition(":")
        short = {_key(n) for n in nicks.split(",") if _key(n)}
        for name in formal.split("/"):
            table.setdefault(_key(name), set()).update(short)
    return {k: frozenset(v) for k, v in table.items()}


@cache
def _formal_names() -> dict[str, frozenset[str]]:
    """Short form -> the formal names it is short for."""
    table: dict[str, set[str]] = {}
    for formal, nicks in _nicknames().items():
        for nick in nicks:
            table.setdefault(nick, set()).add(formal)
    return {k: frozenset(v) for k, v in table.items()}


@cache
def _common_words() -> dict[str, frozenset[str]]:
    """Name -> the other senses it has ("word", "verb", "place")."""
    table: dict[str, frozenset[str]] = {}
    for line in _lexicon("common-words-names.txt"):
        name, _, kinds = line.partition(":")
        table[_key(name)] = frozenset(k.strip() for k in kinds.split(",") if k.strip())
    return table


@cache
def _famous() -> frozenset[str]:
    return frozenset(_key(p) for line in _lexicon("famous-people.txt") for p in _expand(line))


@cache
def _given_names() -> frozenset[str]:
    """Every given name the lexicons know: a near miss that is itself a name is another person."""
    names = set(_nicknames())
    for nicks in _nicknames().values():
        names.update(nicks)
    return frozenset(names)


def _year(value: str | None) -> str | None:
    """Canonical year group: "Year 4", "Y4", "4", "year four" -> "4"; "Reception" -> "R"."""
    key = _key(value or "")
    if not key:
        return None
    if key in {"r", "reception", "year r", "yr r", "y r", "foundation", "fs2", "eyfs"}:
        return "R"
    if key.startswith("nursery") or key in {"n", "fs1", "pre school", "preschool"}:
        return "N"
    if key.startswith("reception"):
        return "R"
    match = re.fullmatch(r"(?:year|yr|y)?\s*(\d{1,2}|[a-z]+)(?:\s*s)?", key)
    if match is None:
        return None
    word = match[1]
    if word.isdigit():
        return str(int(word))
    if word in _NUMBERS:
        return str(_NUMBERS.index(word) + 1)
    return "R" if word == "r" else None


def _year_label(year: str | None, raw: str | None) -> str | None:
    if year == "R":
        return "Reception"
    if year == "N":
        return "Nursery"
    if year is not None:
        return f"Year {year}"
    return raw


def _cue_phrases() -> Iterator[tuple[str, int, str | None]]:
    """(phrase, strength, year) for every school-context cue."""
    for block, strength in (
        (_STRONG_CUES, STRONG),
        (_MEDIUM_CUES, MEDIUM),
        (_WEAK_CUES, WEAK),
        (_ADULT_CUES, ADULT),
    ):
        for phrase in block.replace("\n", "").split("|"):
            if phrase.strip():
                yield phrase.strip(), strength, _year(phrase) if strength == STRONG else None
    for number in range(1, 14):
        word = _NUMBERS[number - 1]
        for form in (
            f"year {number}",
            f"year{number}",
            f"yr {number}",
            f"yr{number}",
            f"y{number}",
            f"year {word}",
            f"year {number}s",
            f"y{number}s",
            f"yr{number}s",
        ):
            yield form, STRONG, str(number)
    for form in ("reception", "in reception", "year r", "yr r", "reception class"):
        yield form, STRONG, "R"
    yield "nursery", MEDIUM, "N"


def _cue_key(phrase: str) -> str:
    # Cues keep one space per separator (no collapsing), exactly as the scan copy of a post has
    # them: "parents' evening" is "parents  evening" there.
    return _NONWORD.sub(" ", _fold_lower(phrase.lower()))


# ----------------------------------------------------------------------------------- the post


class _Post:
    """One post as the detector reads it, with the few facts about it computed on demand."""

    def __init__(self, doc: Document) -> None:
        self.text = doc.text
        self.lower = doc.lower
        self.folded = _fold_lower(self.lower)
        self.scan = f" {_NONWORD.sub(' ', self.folded)} "
        self._cased: bool | None = None
        self.cues: list[_Cue] = []
        self.famous: list[tuple[int, int]] = []
        self.marked = any(mark in self.text for mark in "@/#\\")  # links, handles, e-mail
        self.linked: set[int] = set()  # pupils whose parent is named in the post
        self.claimed: set[str] = set()  # forenames the post gives to someone other than a pupil

    @property
    def cased(self) -> bool:
        """Whether capitals carry meaning: the post is neither all lower case, all capitals,
        Title Case nor careless about capitals at the start of sentences."""
        if self._cased is None:
            self._cased = _is_cased(self.text)
        return self._cased

    def word_at(self, pos: int) -> str:
        match = _WORD.match(self.folded, pos)
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
            return _COMPOUND_HANDLE.search(token) is not None  # "@sky.b.y6": see _handles
        return start > left and text[start - 1] == "."

    def in_famous(self, start: int, end: int, *, covering: bool = False) -> bool:
        """Inside a famous name or fixed phrase; ``covering``: the phrase covers all of it."""
        if covering:
            return any(fs <= start and fe >= end for fs, fe in self.famous)
        return any(fs < end and fe > start for fs, fe in self.famous)

    def cues_near(self, start: int, end: int, reach: int = 100) -> list[_Cue]:
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


# ----------------------------------------------------------------------------------- detector


class PupilDetector(Detector):
    """Pupils on the roster named (PU101) or identifiable from a first name in context (PU102)."""

    rules: ClassVar[tuple[Rule, ...]] = (PU101, PU102)

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self._info: list[_Info] = []
        self._keys: dict[str, _Key] = {}
        self._adult_full: set[str] = set()
        self._adult_first: set[str] = set()
        for pupil in _roster(context):
            self._add_pupil(pupil)
        self._add_adults(context)
        self._add_parents(context)
        self._common = _common_words()
        self._given = frozenset(
            _given_names()
            | {form for info in self._info for form in info.forenames}
            | self._adult_first
        )
        self._index_typo_targets()
        self._automaton = ahocorasick.Automaton()
        if self._info:
            for phrase in _famous():
                self._entry(phrase).famous = True
            for phrase, strength, year in _cue_phrases():
                key = self._entry(_cue_key(phrase), collapse=False)
                if strength > key.cue or key.cue == 0:  # a school sense beats an adult one
                    key.cue = strength
                key.year = key.year or year
            for text, key in self._keys.items():
                self._automaton.add_word(f" {text} ", key)
            self._automaton.make_automaton()

    # -- building ------------------------------------------------------------------------------

    def _entry(self, text: str, *, collapse: bool = True) -> _Key:
        text = " ".join(text.split()) if collapse else text
        key = self._keys.get(text)
        if key is None:
            key = self._keys[text] = _Key(len(text) + 2)
        return key

    def _add_pupil(self, pupil: Pupil) -> None:
        index = len(self._info)
        forms: dict[str, int] = {}

        def add(form: str, level: int) -> None:
            if form and (form not in forms or forms[form] > level):
                forms[form] = level

        legal, preferred = _key(pupil.forename), _key(pupil.preferred_name or "")
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
                for nick in _nicknames().get(base, ()):
                    add(nick, NICK)
                for formal in _formal_names().get(base, ()):
                    add(formal, FORMAL)
        for form, level in forms.items():
            key = self._entry(form)
            if key.forenames.get(index, 9) > level:
                key.forenames[index] = level

        surnames: list[str] = []
        if pupil.surname:
            whole = _key(pupil.surname)
            surnames.append(whole)
            self._entry(whole).surnames[index] = 0
            joined = _key(re.sub(r"['’`]", "", pupil.surname))
            if joined != whole:  # "O'Brien" typed "OBrien"
                self._entry(joined).surnames.setdefault(index, 0)
                surnames.append(joined)
            parts = [_key(p) for p in re.split(r"[\s\-‐–]+", pupil.surname) if _key(p)]
            if len(parts) > 1:
                for part in parts:
                    if len(part) >= 3 and part not in _PARTICLES:
                        self._entry(part).surnames.setdefault(index, 1)
                        surnames.append(part)
        year = _year(pupil.year_group)
        exact = tuple(f for f, lv in forms.items() if lv == EXACT)
        self._info.append(
            _Info(
                display=pupil.display,
                year=year,
                label=_year_label(year, pupil.year_group),
                initials=frozenset(f[0] for f in exact),
                forenames=exact,
                surnames=tuple(surnames),
                surname_initial=surnames[0][0] if surnames else None,
            )
        )

    def _index_typo_targets(self) -> None:
        """Each forename's surnames by length, so a slip is checked against a handful of them."""
        for key in self._keys.values():
            seen: set[str] = set()
            for index, level in sorted(key.forenames.items(), key=lambda item: item[1]):
                if level >= FORMAL:
                    continue
                for surname in self._info[index].surnames:
                    if len(surname) >= 4 and " " not in surname and surname not in seen:
                        seen.add(surname)
                        key.typo_targets.setdefault(len(surname), []).append(
                            (surname, index, level)
                        )

    def _add_adults(self, context: ScreeningContext) -> None:
        """Staff, the author and parents: their names are adults' names, not pupils'."""
        names = [*context.school.staff, context.author.name or ""]
        names += [parent.name for parent in context.parents]
        for raw in names:
            tokens = _key(re.sub(r"\(.*?\)", " ", raw)).split()
            while tokens and tokens[0] in _TITLES:
                tokens.pop(0)
            tokens = [t for t in tokens if len(t) > 1]
            if not tokens:
                continue
            first = tokens[0]
            self._adult_first.add(first)
            if len(tokens) > 1:
                for form in (
                    {first} | _nicknames().get(first, set()) | _formal_names().get(first, set())
                ):
                    self._adult_full.add(f"{form} {tokens[-1]}")

    def _add_parents(self, context: ScreeningContext) -> None:
        """A parent named in a post makes their child identifiable by first name alone."""
        for parent in context.parents:
            children = set()
            for child in parent.children:
                tokens = _key(child).split()
                if not tokens:
                    continue
                for index, info in enumerate(self._info):
                    if tokens[0] in info.forenames and (
                        len(tokens) == 1 or tokens[-1] in info.surnames
                    ):
                        children.add(index)
            tokens = _key(parent.name).split()
            if not children or len(tokens) < 2:
                continue
            self._entry(" ".join(tokens)).children.update(children)
            self._entry(tokens[-1]).by_title.update(children)

    # -- detecting -----------------------------------------------------------------------------

    def detect(self, doc: Document) -> Iterable[Span]:
        if not self._info:
            return ()
        post = _Post(doc)
        names: list[_Hit] = []
        by_start: dict[int, list[_Hit]] = {}
        for last, key in self._automaton.iter(post.scan):
            # The key is " name " in the scan copy, which has one space more at the front.
            start, end = last - key.length + 1, last - 1
            if key.famous:
                post.famous.append((start, end))
            if key.cue:
                post.cues.append(_Cue(start, end, key.cue, key.year))
            if key.children:
                post.linked |= key.children
            if key.by_title and post.prev_word(start) in _TITLES:
                post.linked |= key.by_title
            if key.forenames or key.surnames:
                hit = _Hit(start, end, key)
                names.append(hit)
                by_start.setdefault(start, []).append(hit)
        if not names:
            return ()
        if len(post.cues) > 1:
            post.cues = _distinct(post.cues)
        names.sort(key=lambda h: (h.start, -h.end))
        for fs, fe in post.famous:  # a name in "Bill Gates" is Bill Gates's all through the post
            post.claimed.update(post.folded[fs:fe].split())
        spans: list[Span] = []
        used: list[tuple[int, int]] = []

        def free(start: int, end: int) -> bool:
            return not any(s < end and e > start for s, e in used)

        if "@" in post.text:
            for span, start, end in self._handles(post, doc):
                used.append((start, end))
                spans.append(span)

        for hit in names:
            if hit.key.forenames and free(hit.start, hit.end):
                full = self._full_name(post, hit, by_start)
                if full is not None:
                    used.append((full.start, full.end))
                    found = self._judge_full(post, full, doc)
                    if found is not None:
                        spans.append(found)
        for hit in names:
            if hit.key.surnames and free(hit.start, hit.end):
                full = self._surname_led(post, hit, by_start)
                if full is not None:
                    used.append((full.start, full.end))
                    found = self._judge_full(post, full, doc)
                    if found is not None:
                        spans.append(found)
                    continue
                initial = self._initial_surname(post, hit, doc)
                if initial is not None:
                    span, start, end = initial
                    used.append((start, end))
                    spans.append(span)
        alone: list[tuple[str, Span]] = []
        for hit in names:
            if hit.key.forenames and free(hit.start, hit.end):
                used.append((hit.start, hit.end))  # the longest form at a place wins
                found = self._alone(post, hit, by_start, doc)
                if found is not None:
                    alone.append((post.folded[hit.start : hit.end], found))
        # "Bill Gates reckons... good luck, Bill": a bare name someone else has in the post.
        spans.extend(span for word, span in alone if word not in post.claimed)
        return spans

    # -- full names ----------------------------------------------------------------------------

    def _full_name(self, post: _Post, hit: _Hit, by_start: dict[int, list[_Hit]]) -> _Full | None:
        """The forename at ``hit`` followed by the same pupil's surname (or a near miss)."""
        forenames = hit.key.forenames
        nxt = post.after_spaces(hit.end)
        if nxt < 0:
            return None
        found = self._pair(forenames, by_start.get(nxt, ()), hit.start, nxt)
        if found is not None:
            return found
        word = post.word_at(nxt)
        if not word:
            return None
        capital = post.text[nxt].isupper()
        # A middle name: "Amy Louise Smith".
        after = post.after_spaces(nxt + len(word))
        if after >= 0 and word not in _NEXT_OK and (capital or not post.cased):
            found = self._pair(forenames, by_start.get(after, ()), hit.start, after, middle=True)
            if found is not None:
                return found
        # One letter out in the surname ("Amy Smtih"), when the word is no one's surname.
        if (
            len(word) >= 4
            and (capital or not post.cased)
            and not any(h.key.surnames for h in by_start.get(nxt, ()))
            and word not in self._given
            and word not in self._common
        ):
            targets = hit.key.typo_targets
            for length in (len(word), len(word) - 1, len(word) + 1):
                for surname, index, level in targets.get(length, ()):
                    if _one_edit(word, surname):
                        return _Full(
                            hit.start, nxt + len(word), index, level, False, True, False, nxt
                        )
        return None

    @staticmethod
    def _pair(
        forenames: dict[int, int],
        surname_hits: Iterable[_Hit],
        start: int,
        surname_start: int,
        *,
        middle: bool = False,
    ) -> _Full | None:
        best: tuple[int, int, int, _Hit] | None = None
        for shit in surname_hits:
            for index, slevel in shit.key.surnames.items():
                level = forenames.get(index)
                if level is None:
                    continue
                rank = (level + slevel, -(shit.end - shit.start), index, shit)
                if best is None or rank[:3] < best[:3]:
                    best = rank
        if best is None:
            return None
        _, _, index, shit = best
        level = forenames[index]
        part = shit.key.surnames[index] > 0
        return _Full(start, shit.end, index, level, part, False, middle, surname_start)

    def _surname_led(self, post: _Post, hit: _Hit, by_start: dict[int, list[_Hit]]) -> _Full | None:
        """Register order ("Smith, Amy") or a one-letter slip in the forename ("Aimy Smith")."""
        text = post.text
        comma = _COMMA.match(text, hit.end)
        if comma is not None:
            for fhit in by_start.get(comma.end(), ()):
                for index, slevel in hit.key.surnames.items():
                    level = fhit.key.forenames.get(index)
                    if (
                        level == EXACT
                        and slevel == 0
                        and (
                            not post.cased
                            or (text[hit.start].isupper() and text[fhit.start].isupper())
                        )
                    ):
                        return _Full(
                            hit.start, fhit.end, index, level, False, False, False, hit.start
                        )
        end = post.before_spaces(hit.start)
        if end < 0:
            return None
        match = _PREV_WORD.search(post.folded, max(0, end - 30), end)
        if match is None or match.end(1) != end:
            return None
        word, start = match[1], match.start(1)
        if (
            len(word) < 4
            or (post.cased and not text[start].isupper())
            or word in self._given
            or word in self._common
        ):
            return None
        for index, slevel in hit.key.surnames.items():
            for forename in self._info[index].forenames:
                if len(forename) >= 4 and _one_edit(word, forename):
                    return _Full(start, hit.end, index, EXACT, slevel > 0, True, False, hit.start)
        return None

    def _judge_full(self, post: _Post, full: _Full, doc: Document) -> Span | None:
        text, start, end = post.text, full.start, full.end
        if post.in_handle(start, end):
            return None
        info = self._info[full.pupil]
        forename = post.word_at(start)
        prev = post.prev_word(start)
        if (
            prev in _TITLES
            or prev in _ADULT_BEFORE
            or (_ADULT_AFTER.match(post.lower, end) and not _possessive(text, end))
        ):
            post.claimed.add(forename)
            return None
        surname_key = " ".join(_WORD.findall(post.folded[full.surname_start : end]))
        exact = full.level == EXACT and not (full.part or full.typo or full.middle)
        score = {EXACT: 0.95, PART: 0.88, NICK: 0.85, FORMAL: 0.72}[full.level]
        if full.part:
            score -= 0.07
        if full.middle:
            score -= 0.03
        if full.typo:
            score = min(score, 0.8)
        if post.cased:
            lower_first = not text[start].isupper()
            lower_last = not text[full.surname_start].isupper()
            if lower_first and lower_last:
                wordy = forename in self._common or surname_key.split()[-1] in self._common
                if wordy:
                    if prev in _DETERMINERS:
                        return None
                    score = min(score, 0.6)
                else:
                    score -= 0.07
            elif lower_first or lower_last:
                score -= 0.03
        cue = _best_cue(post.cues_near(start, end))
        if cue >= STRONG:
            score = min(0.98, score + 0.03)
        if post.in_famous(start, end, covering=True):
            slot = _SLOT_AFTER.match(post.lower, end)
            if exact:
                score = 0.85 if cue >= STRONG else 0.6
            elif slot is not None and not slot[0].lstrip().startswith(","):
                score = 0.75  # "Harry Styles in 4B" is the pupil Harry Stiles after all
            else:
                post.claimed.add(forename)
                return None  # "Harry Styles" is not the pupil Harry Stiles
        if f"{forename} {surname_key.split()[-1]}" in self._adult_full:
            score = min(score, 0.55)  # a member of staff or a parent has the same name
        evidence = doc.norm.text[start:end]
        year = f" ({info.label})" if info.label else ""
        if full.typo:
            reason = f"'{evidence}' is one letter away from {info.display}, a pupil on the roster"
        elif _key(evidence) == _key(info.display) or full.level == EXACT:
            reason = f"'{evidence}' matches a pupil on the roster"
        else:
            reason = f"'{evidence}' matches {info.display}, a pupil on the roster"
        return self.span("PU101", start, end, score, reason + year, doc)

    def _initial_surname(
        self, post: _Post, hit: _Hit, doc: Document
    ) -> tuple[Span, int, int] | None:
        """A pupil's initial and surname ("A. Smith", "A Smith"), only with school context."""
        text = post.text
        match = _INITIAL_BEFORE.search(text, max(0, hit.start - 4), hit.start)
        if match is None:
            return None
        letter = match[1].lower()
        if letter == "i" and "." not in match[0]:
            return None
        pupils = [
            i for i, lv in hit.key.surnames.items() if lv == 0 and letter in self._info[i].initials
        ]
        if not pupils:
            return None
        start = match.start(1)
        prev = post.prev_word(start)
        if prev in _TITLES or prev in _ADULT_BEFORE:
            return None
        if _ADULT_AFTER.match(post.lower, hit.end) and not _possessive(text, hit.end):
            return None
        cues = post.cues_near(start, hit.end)
        if _best_cue(cues) < MEDIUM or _adult_nearby(cues, start, hit.end):
            return None
        info = self._info[pupils[0]]
        year = f" ({info.label})" if info.label else ""
        evidence = text[start : hit.end]
        span = self.span(
            "PU101",
            start,
            hit.end,
            0.8 if _best_cue(cues) >= STRONG else 0.76,
            f"'{evidence}' is the initial and surname of a pupil on the roster{year}",
            doc,
        )
        return span, start, hit.end

    # -- a forename alone ----------------------------------------------------------------------

    def _alone(
        self, post: _Post, hit: _Hit, by_start: dict[int, list[_Hit]], doc: Document
    ) -> Span | None:
        """A pupil's forename without the surname: PU102 when it is used as a name and school
        context (or a parent named in the post) says the person is a pupil."""
        text, start, end = post.text, hit.start, hit.end
        forenames = hit.key.forenames
        best = min(forenames.values())
        if best >= FORMAL or post.in_handle(start, end) or post.in_famous(start, end):
            return None
        word = post.folded[start:end]
        prev = post.prev_word(start)
        if (
            prev in _TITLES
            or prev in _ADULT_BEFORE
            or (prev in _COSTUME_WORDS and _COSTUME.search(post.lower, max(0, start - 30), start))
            or (_ADULT_AFTER.match(post.lower, end) and not _possessive(text, end))
        ):
            post.claimed.add(word)  # an adult, a relative, a pet or a character has this name
            return None
        capital = text[start].isupper()
        cased = post.cased

        nxt = post.after_spaces(end)
        next_word = post.word_at(nxt) if nxt >= 0 else ""
        # Forename and surname initial: "Sam B in Year 4".
        initial = self._with_initial(post, hit, nxt, next_word)
        if initial is not None:
            return self._initial_span(post, hit, initial, doc)
        if next_word and next_word not in _NEXT_OK:
            other = cased and capital and text[nxt].isupper() and not _cue_word(next_word)
            if other or any(h.key.surnames for h in by_start.get(nxt, ())):
                # Someone else's full name ("Ruby Murray", another pupil's "Rose Kelly") or a
                # named thing ("Rose Cottage").
                post.claimed.add(word)
                return None
        if _possessive(text, end) and cased:
            owned = _OWNED.match(text, end)
            if owned is not None and owned[1][0].isupper() and not _cue_word(owned[1].lower()):
                return None  # a titled thing: "Noah's Ark", "Arthur's Seat", "Sophie's World"
        items, list_end = self._list_items(post, start, end)
        if items and any(self._is_word(item) for item in items):
            return None  # "Summer, Autumn, Winter, Spring": a list of words, not of children
        named_list = any(self._is_name(item) for item in items)
        slot_after = _SLOT_AFTER.match(post.lower, end)
        if slot_after is None and named_list:
            slot_after = _SLOT_AFTER.match(post.lower, list_end)  # "Ruby and Jack in Year 3"
        slot_before = (
            _SLOT_BEFORE.search(post.lower, max(0, start - 30), start)
            if prev in _SLOT_BEFORE_WORDS or prev[-1:].isdigit() or prev[:-1].isdigit()
            else None
        )
        little = slot_before is not None and slot_before[0].strip().startswith(("little", "wee"))
        slot = slot_after is not None or (slot_before is not None and not little)
        pupils = list(forenames)
        linked = [i for i in pupils if i in post.linked and forenames[i] < FORMAL]
        kinds = self._common.get(word, frozenset())
        penalty = 0.0
        if kinds:
            if cased and not capital:
                return None  # "the roses", "so much joy": a word, in a post with real capitals
            if prev in _DETERMINERS:
                return None
            if "verb" in kinds and (
                next_word in _VERB_NEXT
                or (prev in _VERB_PREV and not _to_person(post, prev, start))
            ):
                return None  # "Will you", "I will", "Mark the books", "Hope you are well"
            if "place" in kinds and (
                next_word in _PLACE_NEXT or (not slot and _place_use(post, prev, start))
            ):
                return None  # "trip to Paris", "the Jordan trip", "Chelsea fans"
            mid_capital = cased and capital and not post.sentence_initial(start)
            # "Joy scored", "little Ruby", "Amber and Joy": a person. "Summer is", "Hope's":
            # could be the word.
            person = next_word in _PERSON_NEXT or little or named_list
            if not (slot or mid_capital or person):
                return None
            penalty += 0.04
        elif cased and not capital:
            penalty += 0.05
        if linked:
            # "@Kelly Marsh ... Daisy's reading book": the parent makes the child identifiable.
            return self.span(
                "PU102",
                start,
                end,
                0.7 - penalty,
                f"'{text[start:end]}' is the first name of a pupil whose parent is named in the "
                "post" + self._whose(linked),
                doc,
            )
        if best > EXACT and not slot:
            return None  # a short form alone ("Billy") needs "in Year 4" or the like
        if prev in ("our", "my") and not slot:
            return None  # "our Jack got a detention at secondary": the author's own family
        if word in self._adult_first:
            if not slot:
                return None  # a member of staff, the author or a parent has this name
            penalty += 0.05
        cues = post.cues_near(start, end)
        years = {self._info[i].year for i in pupils}
        if None not in years:
            # "Year 6" near a Taylor when the only Taylor is in Year 3 is no evidence for her.
            cues = [c for c in cues if c.year is None or c.year in years]
        score = _alone_score(cues, slot_after is not None)
        if score is None:
            return None
        if little:
            score += 0.03
        if _adult_nearby(cues, start, end):
            score -= 0.1
        year = _slot_year(slot_after, slot_before) or _near_year(cues, start, end)
        matched = [i for i in pupils if year is not None and self._info[i].year == year]
        if matched:
            score = max(score, 0.8 if slot else 0.74)
            pupils = matched
        elif year is not None and all(self._info[i].year for i in pupils):
            # The roster's pupils of that name are all in other years: unless the year is
            # right next to the name ("Evie in Year 4"), the name is probably someone else's.
            if _slot_year(slot_after, slot_before) is None:
                return None
            score = min(score, 0.6)
        score -= penalty
        if score < 0.5:
            return None
        cue = _cue_text(post, cues, slot_after, slot_before, end)
        return self.span(
            "PU102",
            start,
            end,
            min(score, 0.85),
            f"'{text[start:end]}' with '{cue}' nearby could identify a pupil on the roster"
            + self._whose(pupils),
            doc,
        )

    def _list_items(self, post: _Post, start: int, end: int) -> tuple[list[str], int]:
        """Words listed with the name ("Ruby, Jack and Amir", "Summer, Autumn, Winter"), capitalised
        where capitals mean something, and where the list after the name ends."""
        items: list[str] = []
        pos = end
        for _ in range(4):
            match = _LIST_AFTER.match(post.folded, pos)
            if match is None or (post.cased and not post.text[match.start(1)].isupper()):
                break
            items.append(match[1])
            pos = match.end()
        list_end, back = pos, start
        for _ in range(4):
            match = _LIST_BEFORE.search(post.folded, max(0, back - 30), back)
            if match is None or (post.cased and not post.text[match.start(1)].isupper()):
                break
            items.append(match[1])
            back = match.start(1)
        return items, list_end

    def _is_word(self, word: str) -> bool:
        """An ordinary word that is nobody's name here ("winter"; not "summer" if a pupil is)."""
        key = self._keys.get(word)
        return word in self._common and word not in self._given and not (key and key.forenames)

    def _is_name(self, word: str) -> bool:
        key = self._keys.get(word)
        return word in self._given or bool(key and key.forenames)

    def _handles(self, post: _Post, doc: Document) -> Iterator[tuple[Span, int, int]]:
        """Names in compound handles: "@ruby.sandhu" (PU101), "@sky.b.y6", "@ruby_y3" (PU102)."""
        for match in _HANDLE.finditer(post.text):
            if _COMPOUND_HANDLE.search(match[1]) is None:
                continue
            words = [
                (m.start(), m.end(), m[0]) for m in _WORD.finditer(post.folded, *match.span(1))
            ]
            year_match = _HANDLE_YEAR.fullmatch(words[-1][2]) if words else None
            year = _year(year_match[0]) if year_match else None
            for i, (start, end, word) in enumerate(words):
                key = self._keys.get(word)
                if key is None or not key.forenames:
                    continue
                following = words[i + 1][2] if i + 1 < len(words) else ""
                last = words[i + 1][1] if following else end
                surname = self._keys.get(following)
                full = [p for p in key.forenames if surname and p in surname.surnames]
                if full:
                    info = self._info[full[0]]
                    label = f" ({info.label})" if info.label else ""
                    reason = f"the handle '{post.text[match.start() : match.end()]}' names a pupil"
                    yield self.span("PU101", start, last, 0.85, reason + label, doc), start, last
                    break
                pupils = [
                    p
                    for p, level in key.forenames.items()
                    if level < FORMAL
                    and (len(following) == 1 and self._info[p].surname_initial == following)
                ]
                if not pupils and year is None:
                    continue
                if not pupils:
                    pupils, last = [p for p, lv in key.forenames.items() if lv < FORMAL], end
                matched = [p for p in pupils if year is not None and self._info[p].year == year]
                if not matched and (year is None or len(following) != 1):
                    continue  # a first name in a handle says little without the year
                score = 0.8 if matched else 0.65
                reason = (
                    f"the handle '{post.text[match.start() : match.end()]}' gives a pupil's "
                    "first name"
                    + (" and surname initial" if len(following) == 1 else "")
                    + (" with the year group" if year else "")
                )
                span = self.span(
                    "PU102",
                    start,
                    match.end(1),
                    score,
                    reason + self._whose(matched or pupils),
                    doc,
                )
                yield span, start, match.end(1)
                break

    def _with_initial(self, post: _Post, hit: _Hit, nxt: int, next_word: str) -> list[int] | None:
        """Pupils whose forename is ``hit`` and whose surname starts with the letter after it."""
        if len(next_word) != 1 or not next_word.isalpha():
            return None
        text = post.text
        after = nxt + 1
        dotted = after < len(text) and text[after] == "."
        if after < len(text) and (text[after].isalnum() or text[after] in "'’"):
            return None
        letter = next_word
        if (
            letter in "ai"
            and not dotted
            and (
                letter == "i" or not text[nxt].isupper() or not _SLOT_AFTER.match(post.lower, after)
            )
        ):
            return None  # "Will I", "Grace a ...": "A" is an initial only before "in Year 3"
        if post.cased and not text[nxt].isupper():
            return None
        pupils = [
            i
            for i, lv in hit.key.forenames.items()
            if lv < FORMAL and self._info[i].surname_initial == letter
        ]
        return pupils or None

    def _initial_span(
        self, post: _Post, hit: _Hit, pupils: list[int], doc: Document
    ) -> Span | None:
        text = post.text
        nxt = post.after_spaces(hit.end)
        end = nxt + 1
        if end < len(text) and text[end] == "." and not post.sentence_initial(end + 1):
            end += 1
        slot_after = _SLOT_AFTER.match(post.lower, end)
        cues = post.cues_near(hit.start, end)
        best = _best_cue(cues)
        if not post.cased and slot_after is None:
            return None  # "hope u", "will b there": text-speak, not an initial
        if best < MEDIUM and slot_after is None:
            return None  # "Sam B said the match is at 3": any adult could be Sam B
        score = 0.75 if slot_after is not None or best >= STRONG else 0.65
        year = _slot_year(slot_after, None) or _near_year(cues, hit.start, end)
        matched = [i for i in pupils if year is not None and self._info[i].year == year]
        if matched:
            score, pupils = 0.8, matched
        if _adult_nearby(cues, hit.start, end):
            score -= 0.1
        if score < 0.5:
            return None
        evidence = text[hit.start : end]
        return self.span(
            "PU102",
            hit.start,
            end,
            score,
            f"'{evidence}' is a pupil's first name and surname initial" + self._whose(pupils),
            doc,
        )

    def _whose(self, pupils: list[int]) -> str:
        labels = {self._info[i].label for i in pupils}
        if len(labels) == 1 and None not in labels:
            return f" ({labels.pop()})"
        return f" ({len(pupils)} pupils share the name)" if len(pupils) > 1 else ""


# ----------------------------------------------------------------------------------- helpers


def _roster(context: ScreeningContext) -> list[Pupil]:
    """The context's pupils, and parents' children who are not already on it."""
    pupils = list(context.pupils)
    seen = {(_key(p.forename), _key(p.surname or "")) for p in pupils}
    for parent in context.parents:
        for child in parent.children:
            tokens = child.split()
            if not tokens:
                continue
            forename = " ".join(tokens[:-1]) if len(tokens) > 1 else tokens[0]
            surname = tokens[-1] if len(tokens) > 1 else None
            if (_key(forename), _key(surname or "")) not in seen:
                seen.add((_key(forename), _key(surname or "")))
                pupils.append(Pupil(forename=forename, surname=surname))
    return pupils


def _place_use(post: _Post, prev: str, start: int) -> bool:
    """Whether the word before a place-like name makes it the place ("in Paris", "trip to")."""
    if prev != "to":
        return prev in _PLACE_PREP
    before = _BEFORE_TO.search(post.folded, max(0, start - 40), start)
    return before is not None and before[1] in _MOTION


def _to_person(post: _Post, prev: str, start: int) -> bool:
    """Whether "to" follows words after which a person comes ("well done to Jack")."""
    if prev != "to":
        return False
    before = _BEFORE_TO.search(post.folded, max(0, start - 40), start)
    return before is not None and before[1] in _TO_PERSON


def _one_edit(word: str, name: str) -> bool:
    return word != name and OSA.distance(word, name, score_cutoff=1) <= 1


def _possessive(text: str, end: int) -> bool:
    return text[end : end + 2] in ("'s", "’s") or text[end : end + 1] in ("'", "’")


def _distinct(cues: list[_Cue]) -> list[_Cue]:
    """Overlapping cues count once, as the longest ("in my class", not also "my class")."""
    kept: list[_Cue] = []
    for cue in sorted(cues, key=lambda c: (c.start, c.start - c.end)):
        if not kept or cue.start >= kept[-1].end:
            kept.append(cue)
        elif cue.end > kept[-1].end and cue.strength > kept[-1].strength:
            kept[-1] = cue
    return kept


def _best_cue(cues: list[_Cue]) -> int:
    return max((c.strength for c in cues), default=0)


def _adult_nearby(cues: list[_Cue], start: int, end: int) -> bool:
    return any(c.strength == ADULT and c.end > start - 40 and c.start < end + 40 for c in cues)


def _alone_score(cues: list[_Cue], adjacent: bool) -> float | None:
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


def _slot_year(after: re.Match[str] | None, before: re.Match[str] | None) -> str | None:
    for match in (after, before):
        if match is not None:
            if match["year"]:
                return _year(match["year"])
            if match["rec"]:
                return _year(match["rec"])
    return None


def _near_year(cues: list[_Cue], start: int, end: int) -> str | None:
    near = [c for c in cues if c.year and c.end > start - 40 and c.start < end + 40]
    if not near:
        return None
    return min(near, key=lambda c: min(abs(c.start - end), abs(start - c.end))).year


def _cue_word(word: str) -> bool:
    return word in _NEXT_OK or re.fullmatch(r"(?:y|yr|year)\d{1,2}s?", word) is not None


def _cue_text(
    post: _Post,
    cues: list[_Cue],
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
