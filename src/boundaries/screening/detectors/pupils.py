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
adults, not pupils. A child can also be identified with no first name at all: by initials and a
year group, through a named parent, or by a description that fits one child (:mod:`.pupil_clues`).

The parts live in their own modules: :mod:`.pupil_names` (folding and the name lexicons),
:mod:`.pupil_words` (the words around a name), :mod:`.pupil_cues` (school context and year
groups), :mod:`.pupil_roster` (compiling the roster and the automaton), :mod:`.pupil_post` (the
post as the detector reads it) and :mod:`.pupil_clues`; this module judges the hits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import ClassVar

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.detectors.pupil_clues import (
    Clue,
    descriptions,
    family_children,
    initials,
    parents_children,
)
from boundaries.screening.detectors.pupil_cues import (
    HANDLE_YEAR,
    MEDIUM,
    SLOT_AFTER,
    SLOT_BEFORE,
    SLOT_BEFORE_WORDS,
    STRONG,
    canonical_year,
)
from boundaries.screening.detectors.pupil_names import WORD, common_words, name_key
from boundaries.screening.detectors.pupil_post import (
    COMPOUND_HANDLE,
    Cue,
    FullName,
    Hit,
    Post,
    adult_nearby,
    alone_score,
    best_cue,
    cue_text,
    cue_word,
    distinct_cues,
    near_year,
    one_edit,
    place_use,
    possessive,
    slot_year,
    to_person,
    vocative,
)
from boundaries.screening.detectors.pupil_roster import EXACT, FORMAL, NICK, PART, Roster
from boundaries.screening.detectors.pupil_words import (
    ADULT_AFTER,
    ADULT_BEFORE,
    COSTUME,
    COSTUME_WORDS,
    DETERMINERS,
    NEXT_OK,
    PERSON_NEXT,
    PLACE_NEXT,
    TITLES,
    VERB_NEXT,
    VERB_PREV,
)
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
        "as a year group, 'in my class' or a behaviour or SEN note; a pupil's initials with "
        "their year group ('M.K. in Year 6'); a child picked out through a named parent "
        "('Kelly Marsh's youngest'); or a description that fits one child ('the boy in 4B with "
        "the hearing aids')."
    ),
    example="Little Ruby in my class finally cracked her times tables today!",
    instead="One of my class finally cracked their times tables today!",
    fix=(
        "Remove the name or initial, or the year group and class details, so that no child "
        "can be identified; share pupils' news only through the school's official channels."
    ),
    redact_as="PUPIL",
)

_PREV_WORD = re.compile(r"([^\W_]+)\.?[^\w.!?\n]*$")


_COMMA = re.compile(r",[ \t]*")


_LIST_BEFORE = re.compile(r"([^\W\d_]+)\s*(?:,|&|\band\b|/)\s*$")


_LIST_AFTER = re.compile(r"\s*(?:,|&|\band\b|/)\s*([^\W\d_]+)")


_OWNED = re.compile(r"['’]s[ \t]+([^\W\d_]+)")


_HANDLE = re.compile(r"(?<![\w@])@([\w.\-]+\w)")


_INITIAL_BEFORE = re.compile(r"(?<![\w.])([A-Z])\.?[ \t]+$")


class PupilDetector(Detector):
    """Pupils on the roster named (PU101) or identifiable from a first name in context (PU102)."""

    rules: ClassVar[tuple[Rule, ...]] = (PU101, PU102)

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self._roster = roster = Roster(context)
        self._info = roster.info
        self._keys = roster.keys
        self._adult_full = roster.adult_full
        self._adult_first = roster.adult_first
        self._given = roster.given
        self._automaton = roster.automaton
        self._common = common_words()

    # -- detecting -----------------------------------------------------------------------------

    def detect(self, doc: Document) -> Iterable[Span]:
        # A description fits one child whatever the roster says ("the lad in 6H with the ...").
        spans = [self._clue_span(clue, doc) for clue in descriptions(doc.text, doc.lower)]
        if not self._info:
            return spans
        post = Post(doc)
        names: list[Hit] = []
        by_start: dict[int, list[Hit]] = {}
        parents: list[tuple[int, int, frozenset[int]]] = []
        first_names: list[tuple[int, int, frozenset[int]]] = []  # "Tunde's": needs school context
        for last, key in self._automaton.iter(post.scan):
            # The key is " name " in the scan copy, which has one space more at the front.
            start, end = last - key.length + 1, last - 1
            if key.famous:
                post.famous.append((start, end))
            if key.cue:
                post.cues.append(Cue(start, end, key.cue, key.year))
            if key.children:
                post.linked |= key.children
                parents.append((start, end, frozenset(key.children)))
            if key.by_title and post.prev_word(start) in TITLES:
                post.linked |= key.by_title
                if post.folded[start:end] not in self._roster.staff_names:
                    parents.append((start, end, frozenset(key.by_title)))
            elif (
                key.by_first
                and post.text[start].isupper()
                and post.folded[start:end] not in self._roster.staff_names
            ):
                first_names.append((start, end, frozenset(key.by_first)))
            if key.forenames or key.surnames:
                hit = Hit(start, end, key)
                names.append(hit)
                by_start.setdefault(start, []).append(hit)
        if len(post.cues) > 1:
            post.cues = distinct_cues(post.cues)
        post.school = any(c.strength > 0 for c in post.cues)
        used: list[tuple[int, int]] = [(s.start, s.end) for s in spans]
        for clue in (
            *initials(post, self._roster),
            *parents_children(post, self._roster, parents),
            *parents_children(post, self._roster, first_names, first_name=True),
        ):
            if not any(s < clue.end and e > clue.start for s, e in used):
                used.append((clue.start, clue.end))
                spans.append(self._clue_span(clue, doc))
        if not names:
            return spans
        names.sort(key=lambda h: (h.start, -h.end))
        for fs, fe in post.famous:  # a name in "Bill Gates" is Bill Gates's all through the post
            post.claimed.update(post.folded[fs:fe].split())

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
                    continue
                family = family_children(post, self._roster, hit.key, hit.start, hit.end)
                if family is not None:
                    used.append((family.start, family.end))
                    spans.append(self._clue_span(family, doc))
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

    def _full_name(self, post: Post, hit: Hit, by_start: dict[int, list[Hit]]) -> FullName | None:
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
        if after >= 0 and word not in NEXT_OK and (capital or not post.cased):
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
                    if one_edit(word, surname):
                        return FullName(
                            hit.start, nxt + len(word), index, level, False, True, False, nxt
                        )
        return None

    @staticmethod
    def _pair(
        forenames: dict[int, int],
        surname_hits: Iterable[Hit],
        start: int,
        surname_start: int,
        *,
        middle: bool = False,
    ) -> FullName | None:
        best: tuple[int, int, int, Hit] | None = None
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
        return FullName(start, shit.end, index, level, part, False, middle, surname_start)

    def _surname_led(self, post: Post, hit: Hit, by_start: dict[int, list[Hit]]) -> FullName | None:
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
                        return FullName(
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
                if len(forename) >= 4 and one_edit(word, forename):
                    return FullName(
                        start, hit.end, index, EXACT, slevel > 0, True, False, hit.start
                    )
        return None

    def _judge_full(self, post: Post, full: FullName, doc: Document) -> Span | None:
        text, start, end = post.text, full.start, full.end
        if post.in_handle(start, end):
            return None
        info = self._info[full.pupil]
        forename = post.word_at(start)
        prev = post.prev_word(start)
        if (
            prev in TITLES
            or prev in ADULT_BEFORE
            or (ADULT_AFTER.match(post.lower, end) and not possessive(text, end))
        ):
            post.claimed.add(forename)
            return None
        surname_key = " ".join(WORD.findall(post.folded[full.surname_start : end]))
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
                    if prev in DETERMINERS:
                        return None
                    score = min(score, 0.6)
                else:
                    score -= 0.07
            elif lower_first or lower_last:
                score -= 0.03
        cue = best_cue(post.cues_near(start, end))
        if cue >= STRONG:
            score = min(0.98, score + 0.03)
        if post.in_famous(start, end, covering=True):
            slot = SLOT_AFTER.match(post.lower, end)
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
        elif name_key(evidence) == name_key(info.display) or full.level == EXACT:
            reason = f"'{evidence}' matches a pupil on the roster"
        else:
            reason = f"'{evidence}' matches {info.display}, a pupil on the roster"
        return self.span("PU101", start, end, score, reason + year, doc)

    def _initial_surname(self, post: Post, hit: Hit, doc: Document) -> tuple[Span, int, int] | None:
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
        if prev in TITLES or prev in ADULT_BEFORE:
            return None
        if ADULT_AFTER.match(post.lower, hit.end) and not possessive(text, hit.end):
            return None
        cues = post.cues_near(start, hit.end)
        if best_cue(cues) < MEDIUM or adult_nearby(cues, start, hit.end):
            return None
        info = self._info[pupils[0]]
        year = f" ({info.label})" if info.label else ""
        evidence = text[start : hit.end]
        span = self.span(
            "PU101",
            start,
            hit.end,
            0.8 if best_cue(cues) >= STRONG else 0.76,
            f"'{evidence}' is the initial and surname of a pupil on the roster{year}",
            doc,
        )
        return span, start, hit.end

    def _alone(
        self, post: Post, hit: Hit, by_start: dict[int, list[Hit]], doc: Document
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
        if prev in ADULT_BEFORE and prev not in TITLES:
            # "his little pal Millie C in 6H": a friend, but the initial and the class make the
            # friend a pupil
            nxt = post.after_spaces(end)
            pupils = self._with_initial(post, hit, nxt, post.word_at(nxt) if nxt >= 0 else "")
            after = nxt + 1 + (post.lower[nxt + 1 : nxt + 2] == ".")
            if pupils is not None and SLOT_AFTER.match(post.lower, after):
                return self._initial_span(post, hit, pupils, doc)
        if (
            prev in TITLES
            or prev in ADULT_BEFORE
            or (prev in COSTUME_WORDS and COSTUME.search(post.lower, max(0, start - 30), start))
            or (ADULT_AFTER.match(post.lower, end) and not possessive(text, end))
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
        if next_word and next_word not in NEXT_OK:
            other = cased and capital and text[nxt].isupper() and not cue_word(next_word)
            if other or any(h.key.surnames for h in by_start.get(nxt, ())):
                # Someone else's full name ("Ruby Murray", another pupil's "Rose Kelly") or a
                # named thing ("Rose Cottage").
                post.claimed.add(word)
                return None
        if possessive(text, end) and cased:
            owned = _OWNED.match(text, end)
            if owned is not None and owned[1][0].isupper() and not cue_word(owned[1].lower()):
                return None  # a titled thing: "Noah's Ark", "Arthur's Seat", "Sophie's World"
        if not (post.school or post.linked) and (
            SLOT_AFTER.match(post.lower, end) is None
            and _LIST_AFTER.match(post.folded, end) is None
        ):
            # With no school context and no parent named, only a year or class right after the
            # name ("Ruby (3B)", "Ruby and Jack, 3B") could make it a pupil's.
            return None
        items, list_end = self._list_items(post, start, end)
        if items and any(self._is_word(item) for item in items):
            return None  # "Summer, Autumn, Winter, Spring": a list of words, not of children
        named_list = any(self._is_name(item) for item in items)
        slot_after = SLOT_AFTER.match(post.lower, end)
        if slot_after is None and named_list:
            slot_after = SLOT_AFTER.match(post.lower, list_end)  # "Ruby and Jack in Year 3"
        slot_before = (
            SLOT_BEFORE.search(post.lower, max(0, start - 30), start)
            if prev in SLOT_BEFORE_WORDS or prev[-1:].isdigit() or prev[:-1].isdigit()
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
            if prev in DETERMINERS and not (
                # "a heads up that Daisy's book ...": "that" joins a clause; with her parent named
                # and a capital mid-sentence, Daisy is the child, not the flower
                prev == "that" and linked and cased and capital and not post.sentence_initial(start)
            ):
                return None
            if "verb" in kinds and (
                next_word in VERB_NEXT or (prev in VERB_PREV and not to_person(post, prev, start))
            ):
                return None  # "Will you", "I will", "Mark the books", "Hope you are well"
            if "place" in kinds and (
                next_word in PLACE_NEXT or (not slot and place_use(post, prev, start))
            ):
                return None  # "trip to Paris", "the Jordan trip", "Chelsea fans"
            mid_capital = cased and capital and not post.sentence_initial(start)
            # "Joy scored", "little Ruby", "Amber and Joy": a person. "Summer is", "Hope's":
            # could be the word.
            person = next_word in PERSON_NEXT or little or named_list
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
        score = alone_score(cues, slot_after is not None)
        if score is None and best_cue(cues) >= MEDIUM and vocative(post, start, end, prev):
            score = 0.6  # "Gorgeous dress at the school disco, Amber!": a child spoken to
        if score is None:
            return None
        if little:
            score += 0.03
        if adult_nearby(cues, start, end):
            score -= 0.1
        year = slot_year(slot_after, slot_before) or near_year(cues, start, end)
        matched = [i for i in pupils if year is not None and self._info[i].year == year]
        if matched:
            score = max(score, 0.8 if slot else 0.74)
            pupils = matched
        elif year is not None and all(self._info[i].year for i in pupils):
            # The roster's pupils of that name are all in other years: unless the year is
            # right next to the name ("Evie in Year 4"), the name is probably someone else's.
            if slot_year(slot_after, slot_before) is None:
                return None
            score = min(score, 0.6)
        score -= penalty
        if score < 0.5:
            return None
        cue = cue_text(post, cues, slot_after, slot_before, end)
        return self.span(
            "PU102",
            start,
            end,
            min(score, 0.85),
            f"'{text[start:end]}' with '{cue}' nearby could identify a pupil on the roster"
            + self._whose(pupils),
            doc,
        )

    def _list_items(self, post: Post, start: int, end: int) -> tuple[list[str], int]:
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

    def _handles(self, post: Post, doc: Document) -> Iterator[tuple[Span, int, int]]:
        """Names in compound handles: "@ruby.sandhu" (PU101), "@sky.b.y6", "@ruby_y3" (PU102)."""
        for match in _HANDLE.finditer(post.text):
            if COMPOUND_HANDLE.search(match[1]) is None:
                continue
            words = [(m.start(), m.end(), m[0]) for m in WORD.finditer(post.folded, *match.span(1))]
            year_match = HANDLE_YEAR.fullmatch(words[-1][2]) if words else None
            year = canonical_year(year_match[0]) if year_match else None
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
                initial = len(following) == 1
                if not matched and not initial:
                    continue  # a first name in a handle says little without the year or initial
                # "@harry.s.gaming": a pupil's first name and surname initial, no year: doubtful
                score = 0.8 if matched else 0.65 if year is not None else 0.6
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

    def _with_initial(self, post: Post, hit: Hit, nxt: int, next_word: str) -> list[int] | None:
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
                letter == "i" or not text[nxt].isupper() or not SLOT_AFTER.match(post.lower, after)
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

    def _initial_span(self, post: Post, hit: Hit, pupils: list[int], doc: Document) -> Span | None:
        text = post.text
        nxt = post.after_spaces(hit.end)
        end = nxt + 1
        if end < len(text) and text[end] == "." and not post.sentence_initial(end + 1):
            end += 1
        slot_after = SLOT_AFTER.match(post.lower, end)
        cues = post.cues_near(hit.start, end)
        best = best_cue(cues)
        if not post.cased and slot_after is None:
            return None  # "hope u", "will b there": text-speak, not an initial
        if best < MEDIUM and slot_after is None:
            return None  # "Sam B said the match is at 3": any adult could be Sam B
        score = 0.75 if slot_after is not None or best >= STRONG else 0.65
        year = slot_year(slot_after, None) or near_year(cues, hit.start, end)
        matched = [i for i in pupils if year is not None and self._info[i].year == year]
        if matched:
            score, pupils = 0.8, matched
        if adult_nearby(cues, hit.start, end):
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

    def _clue_span(self, clue: Clue, doc: Document) -> Span:
        return self.span("PU102", clue.start, clue.end, clue.score, clue.reason, doc)

    def _whose(self, pupils: list[int]) -> str:
        labels = {self._info[i].label for i in pupils}
        if len(labels) == 1 and None not in labels:
            return f" ({labels.pop()})"
        return f" ({len(pupils)} pupils share the name)" if len(pupils) > 1 else ""
