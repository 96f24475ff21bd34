"""Confidential information of the employer (CF101-CF104).

* CF101: the school's own confidential terms (``context.confidential_terms``), whole words.
* CF102: an inspection before it is announced: "Ofsted are in tomorrow", "got the call",
  "inspectors next week, keep it quiet". A published report ("our Ofsted report came out, Good!")
  or a past inspection is not.
* CF103: safeguarding details: child-protection plans, referrals to MASH, the LADO or children's
  services, disclosures, social workers, looked-after children. Most terms count only with a child
  in view ("a girl in my class", a pupil's name, "his mum"); training posts and the author's own
  family are left alone.
* CF104: staff matters about a colleague: suspension, discipline, sickness, pay, redundancy. The
  subject must be someone at work ("our deputy", "Mr Bell", "three TAs"), not the author ("I got
  the job!", "I've been signed off") and not a pupil.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import ClassVar

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.normalise import Document
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings
from boundaries.screening.workplace import (
    STAFF_KINDS,
    Cue,
    Hit,
    Kind,
    PhraseMatcher,
    audience_cues,
    leftmost_longest,
    negated,
    other_people,
    read_lexicon,
    sentence_of,
    sentences,
    subject_of,
    workplace_cues,
)

CF101 = Rule(
    code="CF101",
    name="confidential-term",
    message="A name the school keeps confidential",
    what="One of the school's confidential project or plan names, set in the school's context.",
    example="Long meeting about Project Heron today, big changes coming!",
    instead="Long meeting today, looking forward to the weekend!",
    fix="Remove the confidential name and anything about the project; it is not public.",
)
CF102 = Rule(
    code="CF102",
    name="inspection-before-announced",
    message="An inspection mentioned before it is public",
    what="Posts that say Ofsted or other inspectors are coming before the school has announced it.",
    example="Got the call! Ofsted are in tomorrow, keep it quiet.",
    instead="Busy few days ahead, early night for me!",
    fix="Don't post about an inspection until the school has announced it or the report is "
    "published.",
)
CF103 = Rule(
    code="CF103",
    name="safeguarding-details",
    message="Safeguarding or child-protection details",
    what="Details of a child-protection plan, a referral, a disclosure, a social worker or a "
    "looked-after child.",
    example="Had to make a MASH referral for a girl in my class today, heartbreaking.",
    instead="Tough day at work. Big hug for my family tonight.",
    fix="Delete it: safeguarding information is shared only with the DSL and agencies, never "
    "online, even without names.",
)
CF104 = Rule(
    code="CF104",
    name="staff-matters",
    message="A colleague's employment or health matter",
    what="A colleague's discipline, suspension, sickness, pay, redundancy or capability procedure.",
    example="Our deputy is off with stress again and now three TAs are losing their jobs.",
    instead="Thinking of everyone at work this week.",
    fix="Remove it: colleagues' employment and health matters are confidential to them and the "
    "school.",
)

# --- CF102 ------------------------------------------------------------------------------------
_INSPECT = (
    r"(?:ofsted|the\s+inspectors?|inspectors|hmi|siams|(?:an?|the|our)\s+inspection|"
    r"section\s+[58](?:\s+inspection)?|s[58]\s+inspection)"
)
_ARRIVE = (
    r"(?:(?:are|is|['’]re|['’]s|will\s+be|are\s+going\s+to\s+be|were)\s+)?(?:in|coming(?:\s+in)?|"
    r"due(?:\s+in)?|arriving|visiting|here|back|descending|turning\s+up|landing|booked|with\s+us|"
    r"in\s+school)"
)
_WHEN = (
    r"(?P<{name}>tomorrow|next\s+week|on\s+(?:mon|tues|wednes|thurs|fri)day|(?:mon|tues|wednes|thurs|"
    r"fri)day|this\s+week|later\s+this\s+week|in\s+the\s+morning|first\s+thing|any\s+day(?:\s+now)?|"
    r"this\s+term|soon|today|this\s+morning|imminently|(?:the\s+)?next\s+(?:fortnight|few\s+(?:days|"
    r"weeks)|couple\s+of\s+weeks)|within\s+(?:a|the)\s+(?:week|fortnight))"
)
_INSPECTION_SOON = re.compile(
    rf"\b{_INSPECT}\s+(?:{_ARRIVE}\s+)?(?:\w+\s+){{0,2}}?{_WHEN.format(name='when')}\b"
    rf"|\b{_WHEN.format(name='when2')}\s+(?:\w+\s+){{0,3}}?{_INSPECT}\b(?!['’]s|\s+(?:framework|training|report))"
)
_INSPECTION = re.compile(rf"\b{_INSPECT}\b")
_CALL = re.compile(
    r"\b(?:got|had|received|get|getting|took|taken)\s+(?P<q>['\"‘’“”])?(?:the|that|our)\s+"
    r"(?:call|phone\s*call|phonecall)\b|\bthe\s+call\s+(?:came|has\s+come|came\s+in)\b"
)
_SECRECY = re.compile(
    r"\bkeep\s+(?:it|this)\s+(?:quiet|under\s+wraps|hush[\s-]hush|to\s+yourselves?)|\bhush[\s-]hush"
    r"|\bshh+\b|\bdon['’]?t\s+tell\s+anyone|\bcan['’]?t\s+say\s+(?:more|much|anything)"
    r"|\bnot\s+(?:allowed|supposed)\s+to\s+(?:say|tell|post)|\bbefore\s+it['’]?s\s+announced"
    r"|\bnot\s+(?:been\s+|yet\s+)?announced|\bnot\s+public\s+yet|\bnot\s+official\s+yet"
    r"|\bnobody\s+knows\s+yet|\bmum['’]?s\s+the\s+word|\bunder\s+wraps|🤫"
)
_INSPECTION_PAST = re.compile(
    r"\b(?:report|published|came\s+out|rated|judged|graded|outcome|result|verdict|we\s+got|"
    r"survived|went\s+well|last\s+week|yesterday|last\s+month|last\s+year|over\s+now|"
    r"done\s+and\s+dusted|finished|after|post|framework|handbook|training|course|webinar|"
    r"consultation|toolkit|reforms?|report\s+cards?|mock|mocksted|chief\s+inspector)\b"
)
_SCHOOL_TALK = re.compile(
    r"\b(?:you\s+know\s+what\s+that\s+means|lanyards?|deep\s+dives?|sef|the\s+inspection|"
    r"inspectors|ofsted|book\s+looks?|learning\s+walks?)\b"
)
_WHEN_WEAK = {"today", "this morning", "this term", "soon", "any day", "any day now", "imminently"}

# --- CF103 ------------------------------------------------------------------------------------
_CHILD_STRONG = re.compile(
    r"\b(?:an?|one|this|that|the)\s+(?:little\s+|young\s+)?(?:boy|girl|child|kid|lad|pupil|student)"
    r"\s+(?:in|from)\s+(?:my|our|year|reception|nursery|the\s+class|class|y\d)"
    r"|\bone\s+of\s+(?:my|our)\s+(?:kids|pupils|children|boys|girls|students|class|tutees|"
    r"year\s?\d{1,2}s?)\b|\bin\s+my\s+(?:class|form|tutor\s+group)\b|\bmy\s+(?:pupil|student)\b"
    r"|\b(?:year|yr)\s?\d{1,2}\s+(?:boy|girl|child|pupil|student)\b"
    r"|\bone\s+of\s+(?:mine|ours)\b|\b(?:an?|one)\s+(?:year|yr|y)\s?\d{1,2}\b(?!\s+(?:teacher|ta)\b)"
)
_CHILD_WEAK = re.compile(
    r"\b(?:an?|this|that|the)\s+(?:little\s+|young\s+)?(?:boy|girl|child|kid|lad|pupil|student|"
    r"toddler|baby)\b|\b(?:his|her|their)\s+(?:mum|dad|mother|father|parents|stepdad|step-dad|"
    r"family|home|social\s+worker|nan|gran)\b|\bthe\s+family\b"
)
_OWN_FAMILY = re.compile(
    r"\bmy\s+(?:son|daughter|kids|children|child|niece|nephew|grandson|granddaughter|stepson|"
    r"stepdaughter|foster\s+(?:son|daughter|child|children|kids)|brother|sister|mum|dad|"
    r"mother|father|nan|gran|partner|husband|wife)\b"
)
_TRAINING = re.compile(
    r"\b(?:training|course|cpd|level\s+\d|refresher|certificate|module|webinar|conference|"
    r"e-?learning|online\s+learning|policy|policies|audit|quiz|awareness|lanyards?|poster|"
    r"twilight|inset|qualified|qualification|handbook|guidance|kcsie|everyone['’]s\s+"
    r"responsibility|(?:is|are)\s+(?:under(?:funded|staffed)|stretched|overwhelmed))\b"
)
_NEWS = re.compile(
    r"\b(?:news|report\s+says|in\s+the\s+paper|according\s+to|inquiry|review\s+found)\b"
)
_DBS = re.compile(r"\b(?:dbs|full|enhanced|crb)\s+$")

# --- CF104 ------------------------------------------------------------------------------------
_STAFF_TERM_NOT = re.compile(
    r"suspended\s+(?:sentence|ceiling|animation|from\s+the|above|over|in\s+mid|until)"
    r"|signed\s+off\s+(?:on|the|by|my|our|his|her|their|all|it|a|an|that|this)\b"
    r"|resigned\s+(?:to|myself|ourselves)\b"
)
_STAFF_TERM_NOT_BEFORE = re.compile(r"(?:match|game|service|trains?|fixture|play|card|account)\s+$")


_TermHit = Hit[tuple[float, frozenset[str]]]


# Leetspeak inside a word ("h3ron"), letters spaced out ("h e r o n"), or accented letters.
_DISGUISED = re.compile(
    r"[a-z][0-9@$!|*€£]+[a-z]|\b[a-z][ ._\-*][a-z][ ._\-*][a-z]\b|[\u00c0-\u024f]"
)


def _lexicon(name: str) -> PhraseMatcher[tuple[float, frozenset[str]]]:
    entries = []
    for row in read_lexicon(name):
        flags = frozenset(f.strip() for f in row[2].split(",")) if len(row) > 2 else frozenset()
        entries.append((row[0], (float(row[1]), flags), "cs" in flags, True))
    return PhraseMatcher(entries)


class ConfidentialDetector(Detector):
    rules: ClassVar[tuple[Rule, ...]] = (CF101, CF102, CF103, CF104)

    _safeguarding = _lexicon("confidential-safeguarding.txt")
    _staff = _lexicon("confidential-staff.txt")

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        # Matched in doc.plain (leetspeak and spaced letters undone) with any or no separator
        # between the words: "Project Heron", "prOject h3ron", "#ProjectHeron", "project_heron".
        terms = {" ".join(t.lower().split()) for t in context.confidential_terms if t.strip()}
        self._terms = (
            re.compile(
                r"(?<![^\W_])(?:"
                + "|".join(
                    r"[\s_.\-]*".join(map(re.escape, t.split()))
                    for t in sorted(terms, key=len, reverse=True)
                )
                + r")(?![^\W_])"
            )
            if terms
            else None
        )
        self._work = workplace_cues(context)
        self._audience = audience_cues(context)

    def detect(self, doc: Document) -> Iterable[Span]:
        if self._terms is not None:
            yield from self._confidential_terms(doc, self._terms)
        yield from self._inspection(doc)
        safeguarding = leftmost_longest(self._safeguarding.find(doc.text, doc.lower))
        if safeguarding:
            yield from self._safeguarding_spans(doc, safeguarding)
        staff = leftmost_longest(self._staff.find(doc.text, doc.lower))
        if staff:
            yield from self._staff_spans(doc, staff)

    def _confidential_terms(self, doc: Document, terms: re.Pattern[str]) -> Iterator[Span]:
        # As typed first (doc.lower); doc.plain, which is slow to build, only for a disguise.
        view = doc.norm
        found = list(terms.finditer(doc.lower))
        if not found and _DISGUISED.search(doc.lower):
            view = doc.plain
            found = list(terms.finditer(view.text))
        for m in found:
            start, end = view.to_original(m.start(), m.end())
            reason = f"'{doc.original[start:end]}' is confidential"
            yield self.span("CF101", m.start(), m.end(), 0.9, reason, doc, view)

    # --- CF102 -----------------------------------------------------------------------------------

    def _inspection(self, doc: Document) -> Iterator[Span]:
        lower = doc.lower
        if (
            "ofsted" not in lower
            and "inspect" not in lower
            and "hmi" not in lower
            and ("siams" not in lower and "call" not in lower and "section" not in lower)
        ):
            return
        bounds = sentences(doc.text)
        has_inspection = _INSPECTION.search(lower) is not None
        flagged = False
        for m in _INSPECTION_SOON.finditer(lower):
            s_start, s_end = sentence_of(bounds, m.start())
            if _INSPECTION_PAST.search(lower[s_start:s_end]):
                continue
            when = " ".join((m["when"] or m["when2"] or "").split())
            score = 0.6 if when in _WHEN_WEAK else 0.85
            if _SECRECY.search(lower) or _CALL.search(lower):
                score += 0.1
            flagged = True
            yield self.span("CF102", m.start(), m.end(), score, f"inspection '{when}'", doc)
        if flagged:
            return
        for pattern, reason in ((_CALL, "got the call"), (_SECRECY, "inspection kept quiet")):
            for m in pattern.finditer(lower):
                s_start, s_end = sentence_of(bounds, m.start())
                if _INSPECTION_PAST.search(lower[s_start:s_end]):
                    continue
                if has_inspection:
                    score = 0.9 if pattern is _CALL else 0.8
                elif pattern is _CALL and (_SCHOOL_TALK.search(lower) or self._names_school(doc)):
                    # "we've had 'the phone call' #brookfield": quotes mark the code
                    score = 0.75 if m["q"] else 0.6
                else:
                    continue
                yield self.span("CF102", m.start(), m.end(), score, reason, doc)
                return

    def _names_school(self, doc: Document) -> bool:
        return any(c.kind is Kind.SCHOOL and c.identifies for c in self._work.find(doc))

    # --- CF103 -----------------------------------------------------------------------------------

    def _safeguarding_spans(self, doc: Document, hits: list[_TermHit]) -> Iterator[Span]:
        text, lower = doc.text, doc.lower
        names = self._audience.names(doc)
        parents = [c for c in self._work.find(doc) if c.kind is Kind.PARENTS and c.strength >= 0.85]
        strong = bool(names or parents) or _CHILD_STRONG.search(lower) is not None
        weak = strong or _CHILD_WEAK.search(lower) is not None
        if not strong and _OWN_FAMILY.search(lower):
            return  # the author's own family: "my son's social worker"
        at_work = any(c.strength >= 0.6 for c in self._work.find(doc))
        bounds = sentences(text)
        for hit in hits:
            strength, flags = hit.value
            if negated(lower, hit.start, 12) or _DBS.search(
                lower[max(0, hit.start - 10) : hit.start]
            ):
                continue  # "not a safeguarding concern", "DBS disclosure"
            if (
                lower[hit.start : hit.end] == "disclosure"
                and lower[hit.end : hit.end + 1].isalpha()
            ):
                continue
            s_start, s_end = sentence_of(bounds, hit.start)
            if not strong and _TRAINING.search(lower[s_start:s_end]):
                continue  # "did my safeguarding training today"
            if "child" in flags:
                if strong:
                    score = strength + 0.15
                elif weak and at_work:
                    score = strength
                else:
                    continue
            else:
                score = strength + (0.1 if strong else 0.0)
                if not (strong or weak or at_work):
                    score -= 0.15
            if _NEWS.search(lower):
                score -= 0.3
            score = min(score, 0.95)
            yield self.span(
                "CF103",
                hit.start,
                hit.end,
                score,
                f"safeguarding: '{text[hit.start : hit.end]}'",
                doc,
            )

    # --- CF104 -----------------------------------------------------------------------------------

    def _staff_spans(self, doc: Document, hits: list[_TermHit]) -> Iterator[Span]:
        text, lower = doc.text, doc.lower
        cues = self._work.find(doc)
        people = [c for c in cues if c.kind in STAFF_KINDS and c.person]
        orgs = people + [
            c
            for c in cues
            if c.kind in {Kind.SCHOOL, Kind.MANAGEMENT, Kind.COUNCIL} and not c.person
        ]
        if not orgs:
            return
        others = other_people(lower, orgs)
        bounds = sentences(text)
        for hit in hits:
            strength, flags = hit.value
            if (
                _STAFF_TERM_NOT.match(lower, hit.start)
                or _STAFF_TERM_NOT_BEFORE.search(lower[max(0, hit.start - 12) : hit.start])
                or negated(lower, hit.start, 12)
            ):
                continue
            s_start, _s_end = sentence_of(bounds, hit.start)
            candidates: list[Cue] = orgs if "org" in flags else people
            subject = subject_of(
                hit.start,
                hit.end,
                candidates,
                others,
                s_start,
                lower,
                object_within=30 if "obj" in flags else 0,
            )
            if subject is None or subject.strength < 0.5:
                continue
            score = strength - 0.25 * (1.0 - subject.strength)
            yield self.span(
                "CF104",
                min(subject.start, hit.start),
                max(subject.end, hit.end),
                score,
                f"'{text[hit.start : hit.end]}' about {subject.text}",
                doc,
            )
