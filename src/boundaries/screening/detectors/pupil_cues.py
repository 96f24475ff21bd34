"""School context near a name: the cue phrases that say a post is about pupils, with their
strengths, year groups in every spelling, and the "slots" that tie a name to a year or class
("Ruby in Year 3", "little Ruby", "Y4's Sam")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from boundaries.screening.detectors.pupil_names import NONWORD, fold_lower, name_key
from boundaries.screening.detectors.pupil_words import word_set

# Cue strengths: how much a phrase near a name says "this is about a pupil".
STRONG, MEDIUM, WEAK, ADULT = 3, 2, 1, -1


NUMBERS = (
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


NUM = r"(?:\d{1,2}|r|" + "|".join(NUMBERS) + r")"


# Not year_groups.YEAR_WORD: also "yeartwo", "yr r", "rec", and captures the year for the label.
HANDLE_YEAR = re.compile(rf"(?:year|yr|y)({NUM})s?|(rec|reception|nursery)")


# The slots spell year groups inline (with named groups and number words), not from year_groups.
SLOT_AFTER = re.compile(
    r"(?:['’]s)?\s*(?:[(\[,:–—-]\s*)?(?:(?:who\s+is|who's|is|was|who\s+was)\s+)?"
    r"(?:(?:in|from|of)\s+)?(?:"
    rf"(?:the\s+)?(?:year|yr|y)\s?(?P<year>{NUM})(?:['’]?s)?(?!\w)"
    r"|(?P<rec>reception|nursery)\b"
    r"|(?:my|our)\s+(?:class|form|form\s+group|tutor\s+group|set|maths\s+set|reading\s+group|"
    r"group|room)\b"
    r"|class\s+(?:\d{1,2}[a-z]{0,2}|r)\b"
    r"|(?P<code>\d{1,2})[a-z]{1,2}\b)"
)


SLOT_BEFORE_WORDS = word_set(
    "r reception receptions nursery pupil student little wee classmate " + " ".join(NUMBERS)
)


SLOT_BEFORE = re.compile(
    rf"(?:(?:year|yr|y)\s?(?P<year>{NUM})(?:['’]?s)?|(?P<rec>reception|nursery)(?:['’]s)?|"
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
sixth former|foundation stage|year r|yr r|reception class|in reception|nursery class|
leavers disco|leavers' disco|leavers assembly|leavers' assembly|leavers service|leavers' service|
leavers hoodie|leavers hoodies|leavers' hoodies|leavers trip|leavers party|leavers' party|
leavers prom|year 6 leavers|y6 leavers|class assembly|school council|head boy|head girl|
house captain|playground buddy|playground buddies|moving up day|transition day|spelling bee
"""


_MEDIUM_CUES = """
school|class|classroom|lesson|lessons|homework|teacher|teachers|playground|playtime|play time|
break time|breaktime|lunchtime|lunch time|dinner time|assembly|nativity|sports day|school trip|
residential|register|reception|nursery|school play|school disco|school fair|uniform|book bag|
pe kit|worksheet|handwriting|
spelling|maths|after school club|breakfast club|forest school|swimming lesson|exercise book|
whiteboard|leavers|school photo|school photos|class photo|picture day|world book day|
non uniform day|non-uniform day|school prom|prom|swimming gala|school choir|home time|
lunch hall|dinner hall
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


def canonical_year(value: str | None) -> str | None:
    """Canonical year group: "Year 4", "Y4", "4", "year four" -> "4"; "Reception" -> "R"."""
    key = name_key(value or "")
    if not key:
        return None
    if key in {"r", "reception", "year r", "yr r", "y r", "foundation", "fs2", "eyfs"}:
        return "R"
    if key.startswith("nursery") or key in {"n", "fs1", "pre school", "preschool"}:
        return "N"
    if key.startswith("reception"):
        return "R"
    # Own pattern: the prefix is optional and the number may be a word ("four").
    match = re.fullmatch(r"(?:year|yr|y)?\s*(\d{1,2}|[a-z]+)(?:\s*s)?", key)
    if match is None:
        return None
    word = match[1]
    if word.isdigit():
        return str(int(word))
    if word in NUMBERS:
        return str(NUMBERS.index(word) + 1)
    return "R" if word == "r" else None


def year_label(year: str | None, raw: str | None) -> str | None:
    if year == "R":
        return "Reception"
    if year == "N":
        return "Nursery"
    if year is not None:
        return f"Year {year}"
    return raw


def cue_phrases() -> Iterator[tuple[str, int, str | None]]:
    """(phrase, strength, year) for every school-context cue."""
    for block, strength in (
        (_STRONG_CUES, STRONG),
        (_MEDIUM_CUES, MEDIUM),
        (_WEAK_CUES, WEAK),
        (_ADULT_CUES, ADULT),
    ):
        for phrase in block.replace("\n", "").split("|"):
            if phrase.strip():
                yield (
                    phrase.strip(),
                    strength,
                    canonical_year(phrase) if strength == STRONG else None,
                )
    for number in range(1, 14):
        word = NUMBERS[number - 1]
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


def cue_key(phrase: str) -> str:
    # Cues keep one space per separator (no collapsing), exactly as the scan copy of a post has
    # them: "parents' evening" is "parents  evening" there.
    return NONWORD.sub(" ", fold_lower(phrase.lower()))
