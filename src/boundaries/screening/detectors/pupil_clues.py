"""Pupils identified without their first name (PU102): by initials and a year group ("M.K. in
Year 6"), through a named parent ("Agnieszka Nowak's eldest", "Mrs Nowak's lad") or the family
name ("the Nowak boy in Year 5"), or by a description that fits one child in the school ("the
little lad in Reception with the cochlear implant", "that girl in 6H who broke her leg").

Each finder returns :class:`Clue` objects (offsets in the post); the detector turns them into
spans. A clue needs the school tie in the phrase itself (a year group, a class, a parent on the
roster): "a girl in Year 4 asked me" (any of thirty), "the kids in Year 6 who" (a group) and
"Kelly Marsh's birthday drinks" (no child) are not clues.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from boundaries.screening.detectors.pupil_cues import MEDIUM, SLOT_AFTER, STRONG
from boundaries.screening.detectors.pupil_post import Post, best_cue, near_year, slot_year
from boundaries.screening.detectors.pupil_roster import Roster, RosterKey
from boundaries.screening.detectors.pupil_words import TITLES, word_set


@dataclass(frozen=True, slots=True)
class Clue:
    start: int
    end: int
    score: float
    reason: str


# ------------------------------------------------------------------------ initials and a year

# "M.K.", "M. K.", "MK" as a word of its own; a year group or class must follow (SLOT_AFTER).
# Found by the quick part first; the word boundaries are checked after (much faster in ``re``).
_INITIALS = re.compile(r"([A-Z])(?:\.[ \t]?([A-Z])(\.?)|([A-Z]))")
_JOINED = frozenset("'’&-.")
# Two capitals that are an English word, a subject, a role or an abbreviation, not a child.
_NOT_INITIALS = word_set(
    """am an as at be by do go he hi if in is it me my no of oh ok on or so to up us we ya yo
    pe re dt it ict ta pa hr uk us eu tv pc pr dj mc gp pm mp ai vr id iq fc ps pt ot ks ey yr
    mr ms mx dr st ed ht dh ah la ep sw cp cl fs pp eh sa ma ba bt ee gb ni nb rt dm hq jr sr xl
    hp cd lo og fm ad bc sc ce rc cv tb md ok sn ss"""
)


def initials(post: Post, roster: Roster) -> Iterator[Clue]:
    """A pupil's initials followed by their year group or class: "M.K. in Year 6", "HG (Y4)"."""
    text = post.text
    shouting = text.isupper()
    for m in _INITIALS.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if before.isalnum() or before in _JOINED or after.isalnum() or after in _JOINED:
            continue  # inside a word or an abbreviation: "BBC", "O'Neil", "U.S.A."
        first, second = m[1], m[2] or m[4]
        dotted = m[2] is not None
        pair = (first + second).lower()
        if pair in _NOT_INITIALS or (shouting and not dotted):
            continue
        if post.prev_word(m.start()) in TITLES:
            continue  # "Mrs A.B. in Year 6": a teacher
        slot = SLOT_AFTER.match(post.lower, m.end())
        if slot is None:
            continue
        pupils = roster.by_initials.get(pair, ())
        year = slot_year(slot, None)
        if year is not None:
            pupils = tuple(i for i in pupils if roster.info[i].year == year)
        elif not dotted:
            continue  # "MK in my class": two capitals need the year to mean a child
        if not pupils:
            continue
        score = 0.78 if year is not None else 0.65
        label = roster.info[pupils[0]].label if year is not None else None
        evidence = text[m.start() : m.end()].rstrip()
        where = text[slot.start() : slot.end()].strip(" ,:;-–—([")
        reason = f"the initials '{evidence}' with '{where}' fit a pupil on the roster" + (
            f" ({label})" if label and len(pupils) == 1 else ""
        )
        yield Clue(m.start(), m.end(), score, reason)


# ------------------------------------------------------------------------ a parent's child

# After a parent's name: "'s eldest", "'s little girl", "'s youngest lad", "'s twins".
_CHILD_AFTER = re.compile(
    r"['’]s[ \t]+(?:(?:little|youngest|eldest|oldest|middle|younger|older|twin|new|baby|wee)"
    r"[ \t]+)?(?:eldest|youngest|oldest|middle[ \t]+one|little[ \t]+one|wee[ \t]+one|son|daughter"
    r"|boy|girl|lad|lass|kid|kids|child|children|twins|little[ \t]+man|little[ \t]+lady"
    r"|bairn)(?![\w'’-])"
)
# "the Nowak boy", "the Marsh kids": a pupil's surname between "the" and a child word.
_FAMILY_CHILD = re.compile(
    r"[ \t]+(?:boy|girl|lad|lass|kid|kids|child|children|twins|boys|girls|lads|brothers"
    r"|sisters|siblings)(?![\w'’-])"
)


def parents_children(
    post: Post,
    roster: Roster,
    parents: list[tuple[int, int, frozenset[int]]],
    *,
    first_name: bool = False,
) -> Iterator[Clue]:
    """A child identified through a parent named in the post: "Agnieszka Nowak's eldest", or
    "Tunde's little girl" (a first name alone only with school context: many people share it)."""
    for start, end, children in parents:
        child = _CHILD_AFTER.match(post.lower, end)
        if child is None or not children:
            continue
        cues = post.cues_near(start, child.end())
        best = best_cue(cues)
        if first_name and best < MEDIUM:
            continue  # "Kelly's little girl" with nothing about school: any Kelly
        score = (0.65 if first_name else 0.72) + (0.05 if best >= STRONG else 0.0)
        year = near_year(cues, start, child.end())
        if year is not None and any(roster.info[i].year == year for i in children):
            score = 0.75 if first_name else 0.8
        parent = post.text[start:end]
        yield Clue(
            start,
            child.end(),
            score,
            f"'{post.text[start : child.end()]}' identifies a pupil through their parent, "
            f"{parent}" + (", with school context nearby" if first_name else ""),
        )


def family_children(
    post: Post, roster: Roster, key: RosterKey, start: int, end: int
) -> Clue | None:
    """ "the Nowak boy", "the Marsh twins": a pupil's surname as a family, with school context."""
    if post.prev_word(start) != "the" or not post.text[start].isupper():
        return None
    if post.folded[start:end] in roster.staff_names:
        return None  # "the Okafor kids": a colleague's children
    child = _FAMILY_CHILD.match(post.lower, end)
    if child is None:
        return None
    cues = post.cues_near(start, child.end())
    if best_cue(cues) < MEDIUM:
        return None  # "the Baker boys next door": neighbours, not pupils
    year = near_year(cues, start, child.end())
    score = 0.65
    if year is not None and any(roster.info[i].year == year for i in key.surnames):
        score = 0.72
    evidence = post.text[start : child.end()]
    return Clue(
        start,
        child.end(),
        score,
        f"'{evidence}' names a pupil's family, with school context nearby",
    )


# ------------------------------------------------------------------------ a description

# The (or that) child in a year or class, then what sets them apart: "the boy in Year 4 with the
# hearing aids", "that girl in 6H who broke her leg", "the new girl in Reception who cries".
_DESCRIBED = re.compile(
    r"\b(?:the|that|this)[ \t]+(?:(?:little|new|tall|tiny|small|wee|quiet|only|young|big"
    r"|smiley|shy|ginger|blonde|one)[ \t]+){0,2}"
    r"(?:lad|boy|girl|kid|child|lass|one|pupil|student|twin)[ \t]+(?:in|from)[ \t]+"
    r"(?P<where>(?:year|yr|y)[ \t]?(?:\d{1,2}|r)|reception|nursery|class[ \t]+\w+"
    r"|\d{1,2}[a-z]{1,2}|my[ \t]+class|our[ \t]+class|my[ \t]+form)\b,?[ \t]+"
    r"(?P<what>with[ \t]+(?:the|a|an|his|her|those|that)\b|who(?:['’]s|[ \t]+(?:has|is|was|had"
    r"|uses|wears|can['’]?t|cannot|broke|lost|won|got|always|never|just))\b"
    r"|in[ \t]+the[ \t]+wheelchair|on[ \t]+crutches)"
)
# What sets a child apart that is also special-category or medical data: a stronger finding.
_SENSITIVE = re.compile(
    r"\b(?:implant|hearing[ \t]+aids?|wheelchair|crutches|autis\w*|adhd|asd|diabet\w*|epilep\w*"
    r"|allerg\w*|ehcp|eye[ \t]+patch|cast|stammer|down['’]?s|cerebral|tube|insulin"
    r"|one[ \t]+arm|prosthetic|cancer|chemo)\b"
)


_CLAUSE_END = re.compile(
    r"[ \t]*(?:[,.!?;:()\n]|[ \t][-–—][ \t]|\b(?:is|was|and|but|has|had|during|in|at|on|for|to"
    r"|from|by|after|before|when|because|so|today|yesterday|this|did|does|got|gets)\b)"
)
_TRAIT_WORD = re.compile(r"[\w'’-]+")


def _trait_end(lower: str, pos: int, most: int) -> int:
    """Where a trait after "with the" or "who" ends: the clause's end, ``most`` words at most."""
    stop = _CLAUSE_END.search(lower, pos, pos + 50)
    limit = stop.start() if stop else min(len(lower), pos + 50)
    words = list(_TRAIT_WORD.finditer(lower, pos, limit))[:most]
    return words[-1].end() if words else pos


# "the tallest girl in Year 6", "the only boy in my class": one child by definition.
# "The new boy in 6H" too (not in Reception or Nursery, where every child is new in September);
# "the twins in Reception": one family. A superlative of taste ("the handsomest boy in my class")
# is an opinion, not a fact that picks one child out.
_UNIQUE = re.compile(
    r"\b(?:the|that)[ \t]+(?:only|(?P<most>[a-z]{2,}est)|one[ \t]+and[ \t]+only|(?P<new>new))[ \t]+"
    r"(?:(?:little|new|young|wee)[ \t]+)?(?:lad|boy|girl|kid|child|lass|one|pupil|student)"
    r"[ \t]+(?:in|from)[ \t]+(?P<where>(?:year|yr|y)[ \t]?(?:\d{1,2}|r)|reception|nursery"
    r"|class[ \t]+\w+|\d{1,2}[a-z]{1,2}|my[ \t]+class|our[ \t]+class|my[ \t]+form)\b"
    r"|\b(?:the|our|those|that[ \t]+set[ \t]+of)[ \t]+(?:little[ \t]+)?(?:twins|triplets)[ \t]+"
    r"(?:in|from)[ \t]+(?:(?:year|yr|y)[ \t]?(?:\d{1,2}|r)|reception|nursery|class[ \t]+\w+"
    r"|\d{1,2}[a-z]{1,2}|my[ \t]+class|our[ \t]+class)\b"
)
_OPINION_SUPERLATIVES = word_set(
    """handsomest prettiest cutest loveliest sweetest kindest funniest cheekiest naughtiest
    cleverest smartest brightest nicest happiest friendliest politest chattiest laziest hottest
    coolest best greatest"""
)
# The year or class before the child word: "the Year 4 boy with the hearing aids", "that Y5 lad
# who ...", "the Reception girl who cried all week".
_DESCRIBED_BEFORE = re.compile(
    r"\b(?:the|that|this)[ \t]+(?:(?:little|new|tall|tiny|small|wee|quiet|only|young|big)[ \t]+)?"
    r"(?:(?:year|yr|y)[ \t]?(?:\d{1,2}|r)|reception|nursery|\d{1,2}[a-z]{1,2})[ \t]+"
    r"(?:(?:little|new|tall|tiny|small|wee|quiet|young|big)[ \t]+)?"
    r"(?:lad|boy|girl|kid|child|lass|pupil|student|twin)[ \t]+"
    r"(?P<what>with[ \t]+(?:the|a|an|his|her|those|that)\b|who(?:['’]s|[ \t]+(?:has|is|was|had"
    r"|uses|wears|can['’]?t|cannot|broke|lost|won|got|always|never|just|cried|bit|hit))\b"
    r"|in[ \t]+the[ \t]+wheelchair|on[ \t]+crutches)"
)
_NOT_SUPERLATIVE = word_set("rest test west nest chest guest forest interest honest modest")
_CHILD_NOUNS = word_set("lad boy girl kid child lass one pupil student twin twins triplets")


def _described(lower: str) -> Iterator[re.Match[str]]:
    """Matches of _DESCRIBED, looked for only where a child word comes before " in " or " from "
    (a plain scan for those is many times quicker than running the pattern over the post)."""
    done = 0
    for prep in (" in ", " from ", " with ", " who"):
        i = lower.find(prep)
        while i >= 0:
            word = lower[lower.rfind(" ", 0, i) + 1 : i]
            if word in _CHILD_NOUNS and i > done:
                m = _clue_at(lower, i, prep)
                if m is not None:
                    done = m.end()
                    yield m
            i = lower.find(prep, i + 1)


def _clue_at(lower: str, i: int, prep: str) -> re.Match[str] | None:
    """The description around a child word that ends at ``i``, followed by ``prep``."""
    if prep in (" with ", " who"):
        m = _DESCRIBED_BEFORE.search(lower, max(0, i - 40), i + 30)
    else:
        m = _DESCRIBED.search(lower, max(0, i - 45), i + 60)
        if m is None or not m.start() <= i < m.end():
            m = _UNIQUE.search(lower, max(0, i - 45), i + 40)
            if m is not None and (
                m["most"] in _NOT_SUPERLATIVE
                or m["most"] in _OPINION_SUPERLATIVES
                or (m["new"] and m["where"] in ("reception", "nursery"))
            ):
                m = None
    return m if m is not None and m.start() <= i < m.end() else None


def descriptions(text: str, lower: str) -> Iterator[Clue]:
    """A child picked out by year or class and a trait: "the lad in 6H with the six pack"."""
    for m in _described(lower):
        # The trait runs to the end of the clause, two words at most: "with the cochlear
        # implant", "who broke her leg".
        end = _trait_end(lower, m.end(), 2) if m.groupdict().get("what") else m.end()
        sensitive = _SENSITIVE.search(lower, m.end(), end) is not None
        score = 0.75 if sensitive else 0.68
        evidence = text[m.start() : end]
        yield Clue(
            m.start(),
            end,
            score,
            f"'{evidence}' describes one child in the school"
            + (" by a medical or special need" if sensitive else ""),
        )
