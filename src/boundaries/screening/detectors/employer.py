"""Criticism of the employer and the people connected with it (EM101), and venting about work
(VE101).

EM101 needs a target from the shared workplace cues: the employer ("our head", "Brookfield's SLT",
"the governors", "HR", the council), next to a criticism ("clueless", "a shambles", "couldn't
organise a piss-up", "can't even pay us"). Insults aimed at parents, pupils or colleagues are
harassment (HA101), not criticism of the employer. The
nearest preceding subject decides whom a criticism is about: in "I felt stupid when the head came
in" it is the author, in "Ofsted say our school is..." it is Ofsted. VADER sentiment, which is slow,
runs only on sentences of posts that have a workplace cue: it tempers a criticism in an otherwise
warm sentence and, on its own, flags a strongly negative sentence about a target for review.
VE101 is a venting phrase ("so sick of this job", "another 60-hour week") about work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.normalise import Document
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings
from boundaries.screening.workplace import (
    EMPLOYER_KINDS,
    Cue,
    Hit,
    Kind,
    PhraseMatcher,
    audience_cues,
    negated,
    read_lexicon,
    sentence_of,
    sentences,
    workplace_cues,
)

EM101 = Rule(
    code="EM101",
    name="employer-criticised",
    message="Criticism of the school or people connected with it",
    what="Negative remarks aimed at the school, its leaders, governors, the council, parents or "
    "pupils, posted where the public can read them.",
    example="Brookfield's SLT couldn't organise a piss-up in a brewery.",
    instead="Long week. Looking forward to a quiet weekend with the family.",
    fix="Delete the criticism; raise concerns about the school with your line manager, the "
    "headteacher or through the grievance procedure, not online.",
)
VE101 = Rule(
    code="VE101",
    name="work-venting",
    message="Venting frustration about work",
    what="Posts that let off steam about work: the job, the workload, the school or its people.",
    example="Another 60-hour week, I can't take this place anymore.",
    instead="Busy week! Off for a long walk to recharge.",
    fix="Talk to your line manager, a trusted colleague, your union or Occupational Health "
    "instead of posting; remove the post.",
)

# Criticism counts against the employer (EMPLOYER_KINDS): the school, its leaders (and HR,
# payroll), governors, the trust and the council. Insults aimed at parents, pupils or colleagues
# are harassment (HA101), not EM101.
_REPORTED = re.compile(
    r"\b(?:says?|said|thinks?|thought|reckons?|told\s+(?:us|me|everyone|staff)|claims?|believes?|"
    r"agrees?|admits?|warned|feels?)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:i|i['’]m|i['’]ve|i['’]d|im|me|myself)\b")
_CRITICISM_IDIOMS = re.compile(
    r"\b(?:couldn['’]?t|could\s+not|can['’]?t|cannot)\s+(?:organi[sz]e|run|manage|arrange)\s+"
    r"an?\s+(?:piss|p\*ss|booze|bath|whelk|raffle|chocolate|tea|bun|kids['’]?\s+party|school)"
    r"[\w-]*(?:\s+in\s+an?\s+\w+)?"
    r"|\bno\s+idea\s+what\s+(?:they|he|she)['’]?(?:re|s|\s+are|\s+is)\s+doing\b"
    r"|\b(?:don['’]?t|doesn['’]?t|do\s+not|does\s+not)\s+give\s+a\s+(?:toss|damn|shit|fuck|"
    r"monkey['’]?s|flying\s+\w+)\b"
    # sarcasm and complaint: "can't even pay us right", "have lost my form AGAIN"
    r"|\bcan['’]?t\s+even\s+(?:\w+)"
    r"|\b(?:lost|forgot(?:ten)?|messed\s+up|cocked\s+up|screwed\s+up|got\s+\w+\s+wrong)\b"
    r"[^.!?\n]{0,40}?\bagain\b"
    r"|\b(?:somehow\s+)?expected\s+to\s+do\s+(?:all\s+)?(?:this|that|everything)\b"
)
# "f*ck this marking", "sod this job" (read in doc.plain, where "fück" is "fuck").
_CURSE_WORK = re.compile(
    r"\b(?:fuck|sod|screw|stuff|bugger|bollocks\s+to)\s+(?:this|that|the|all\s+this)\s+"
    r"(?:marking|job|place|school|week|day|planning|paperwork|data|ofsted|sats|meeting|inset|"
    r"lesson|reports?|term|profession|shit)\b"
)
# A curse as typed, disguised or not: "fuck", "f*ck", "fück", "f u c k", "sod", "bugger".
_CURSE_HINT = re.compile(
    r"\bf(?:[^a-z]|u?[^\x00-\x7f]|[a-z]{0,2}[*@#$!]|uck|[uü]k\b)|\b(?:sod|screw|stuff|bugger|"
    r"bollocks)\b"
)
_CURSE_NOUNS = (
    "marking",
    "job",
    "place",
    "school",
    "planning",
    "paperwork",
    "data",
    "ofsted",
    "sats",
    "meeting",
    "inset",
    "lesson",
    "report",
    "term",
    "profession",
)
_HOURS = re.compile(
    r"\b(?P<another>another\s+)?(?P<n>\d{2})[\s-]*(?:hour|hr)s?[\s-]+(?P<unit>week|day)s?\b"
)
# Fallback on sentiment alone stays quiet about illness and accidents: sad, not critical.
_SAD_EVENTS = re.compile(
    r"\b(?:hospital|poorly|ill|illness|accident|injur\w*|cancer|covid|flu|operation|surgery|"
    r"bereave\w*|loss|lost\s+(?:her|his|their)|broke\s+(?:her|his|their)|burgl\w*|broken\s+into|"
    r"fire|flood\w*|storm|snow|rain|traffic|crash\w*|delay\w*|cancel\w*)\b"
)
# Positive idioms that VADER reads as negative ("killing it", "crazy excited").
_POSITIVE_IDIOMS = re.compile(r"\b(?:kill|smash|nail|crush|rock|slay)(?:ed|ing|s)?\s+it\b")
_INTENSIFIERS = re.compile(
    r"\b(?:crazy|insanely|mad|ridiculously|stupidly|scarily|wickedly|terribly|awfully|"
    r"seriously|dead)\s+(?=\w)"
)
_EXTRA_VALENCE = {
    "shambles": -2.2,
    "shambolic": -2.2,
    "feral": -1.8,
    "nightmare": -1.8,
    "gutted": -2.0,
    "fuming": -2.2,
    "livid": -2.2,
    "knackered": -1.2,
    "muppets": -1.5,
    "clowns": -1.2,
    "numpties": -1.5,
    "jobsworth": -1.5,
}


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(_EXTRA_VALENCE)
    return analyzer


def sentiment(text: str) -> float:
    """VADER's compound score for ``text`` (-1..1), with British idioms it misreads fixed."""
    masked = _INTENSIFIERS.sub("very ", _POSITIVE_IDIOMS.sub("excelled", text.lower()))
    return float(_analyzer().polarity_scores(masked)["compound"])


@dataclass(frozen=True, slots=True)
class _Term:
    strength: float
    kinds: frozenset[Kind] | None  # None: any target
    obj: bool  # a verb whose target follows it ("I hate SLT")


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    term: _Term


def _criticism_matcher() -> PhraseMatcher[_Term]:
    entries = []
    for row in read_lexicon("employer-criticism.txt"):
        kinds = (
            frozenset(Kind(k.strip()) for k in row[2].split(",") if k.strip())
            if len(row) > 2
            else None
        )
        term = _Term(float(row[1]), kinds or None, len(row) > 3 and "obj" in row[3])
        entries.append((row[0], term, False, True))
    return PhraseMatcher(entries)


def _venting_matcher() -> PhraseMatcher[tuple[float, bool]]:
    return PhraseMatcher(
        (row[0], (float(row[1]), len(row) > 2 and "work" in row[2]), False, False)
        for row in read_lexicon("employer-venting.txt")
    )


def _word_matcher(name: str) -> PhraseMatcher[bool]:
    return PhraseMatcher((row[0], True, False, False) for row in read_lexicon(name))


class EmployerDetector(Detector):
    rules: ClassVar[tuple[Rule, ...]] = (EM101, VE101)

    _criticism = _criticism_matcher()
    _venting = _venting_matcher()
    _sympathy = _word_matcher("employer-sympathy.txt")
    _national = _word_matcher("employer-national.txt")
    _curse_nouns = PhraseMatcher((w, True, False, True) for w in _CURSE_NOUNS)

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self._work = workplace_cues(context)
        self._audience = audience_cues(context)  # a pupil's name makes a post about work
        _analyzer()  # load VADER's lexicon now, not on the first post

    def detect(self, doc: Document) -> Iterable[Span]:
        cues = self._work.find(doc)
        vents = self._venting.find(doc.text, doc.lower)
        hours = list(_HOURS.finditer(doc.lower))
        # doc.plain is slow: build it only for a curse next to a work word
        if _CURSE_HINT.search(doc.lower) and self._curse_nouns.find(doc.text, doc.lower):
            plain = doc.plain
            for m in _CURSE_WORK.finditer(plain.text):
                start, end = plain.to_original(m.start(), m.end())
                vents.append(Hit(start, end, (0.8, True)))
        if not cues and not vents and not hours:
            return
        scorer = _Sentiment(doc.text)
        bounds = sentences(doc.text)
        sad = [(h.start, h.end) for h in self._sympathy.find(doc.text, doc.lower)]
        if cues:
            yield from self._criticism_spans(doc, cues, bounds, sad, scorer)
        yield from self._venting_spans(doc, cues, bounds, sad, scorer, vents, hours)

    # --- EM101 ---------------------------------------------------------------------------------

    def _criticism_spans(
        self,
        doc: Document,
        cues: tuple[Cue, ...],
        bounds: list[tuple[int, int]],
        sad: list[tuple[int, int]],
        scorer: _Sentiment,
    ) -> Iterator[Span]:
        text, lower = doc.text, doc.lower
        targets = [c for c in cues if c.kind in EMPLOYER_KINDS]
        if not targets:
            return
        about_work = any(c.strength >= 0.6 for c in cues)
        found = [_Found(h.start, h.end, h.value) for h in self._criticism.find(text, lower)]
        found += [
            _Found(m.start(), m.end(), _Term(0.85, None, False))
            for m in _CRITICISM_IDIOMS.finditer(lower)
        ]
        others = [(h.start, h.end) for h in self._national.find(text, lower)]
        others += [(m.start(), m.end()) for m in _FIRST_PERSON.finditer(lower)]
        criticised: set[tuple[int, int]] = set()
        for crit in sorted(found, key=lambda f: f.start):
            if negated(lower, crit.start):
                continue
            s_start, s_end = sentence_of(bounds, crit.start)
            if _inside(sad, s_start, s_end):
                continue
            target = _target_of(crit, targets, others, s_start, s_end, lower)
            if target is None or (crit.term.kinds and target.kind not in crit.term.kinds):
                continue
            strength = target.strength + (0.25 if about_work and target.strength < 0.6 else 0.0)
            if strength < 0.5:
                continue
            score = crit.term.strength - (0.1 if strength < 0.6 else 0.0)
            if target.kind is Kind.COUNCIL:
                score -= 0.1  # bins and potholes: the council is the employer only for some staff
            mood = scorer.of(s_start, s_end)
            if mood >= 0.5:
                score -= 0.2
            elif mood <= -0.5:
                score += 0.05
            start, end = min(crit.start, target.start), max(crit.end, target.end)
            criticised.add((s_start, s_end))
            yield self.span(
                "EM101",
                start,
                end,
                score,
                f"'{text[crit.start : crit.end]}' about {target.text}",
                doc,
            )
        yield from self._negative_sentences(doc, targets, bounds, sad, scorer, criticised, others)

    def _negative_sentences(
        self,
        doc: Document,
        targets: list[Cue],
        bounds: list[tuple[int, int]],
        sad: list[tuple[int, int]],
        scorer: _Sentiment,
        done: set[tuple[int, int]],
        others: list[tuple[int, int]],
    ) -> Iterator[Span]:
        """A strongly negative sentence about a clear target, with no criticism word we know."""
        for s_start, s_end in bounds:
            if (s_start, s_end) in done or _inside(sad, s_start, s_end):
                continue
            strong = [
                t
                for t in targets
                if s_start <= t.start < s_end and t.strength >= 0.6 and t.kind is not Kind.PUPILS
            ]
            if not strong or any(s_start <= o[0] < s_end for o in others):
                continue
            sentence = doc.lower[s_start:s_end]
            if _SAD_EVENTS.search(sentence) or not _has_negative_word(sentence):
                continue  # VADER is slow: only for a sentence with a clearly negative word
            mood = scorer.of(s_start, s_end)
            if mood <= -0.6:
                target = strong[0]
                yield self.span(
                    "EM101",
                    target.start,
                    max(target.end, s_end - len(sentence) + len(sentence.rstrip(" .!?\n"))),
                    0.55,
                    f"negative sentence about {target.text} (sentiment {mood:.2f})",
                    doc,
                )

    # --- VE101 ---------------------------------------------------------------------------------

    def _venting_spans(
        self,
        doc: Document,
        cues: tuple[Cue, ...],
        bounds: list[tuple[int, int]],
        sad: list[tuple[int, int]],
        scorer: _Sentiment,
        vents: list[Hit[tuple[float, bool]]],
        hours: list[re.Match[str]],
    ) -> Iterator[Span]:
        lower = doc.lower
        found: list[tuple[int, int, float, bool]] = []
        for hit in vents:
            strength, about_work = hit.value
            found.append((hit.start, hit.end, strength, about_work))
        for m in hours:
            many = int(m["n"]) >= (50 if m["unit"] == "week" else 11)
            if many:
                found.append(
                    (m.start(), m.end(), 0.65 + (0.1 if m["another"] else 0.0), m["unit"] == "week")
                )
        if not found:
            return
        work = [c for c in cues if c.strength >= 0.5] + self._audience.names(doc)
        best: dict[tuple[int, int], tuple[float, int, int]] = {}
        for start, end, strength, about_work in found:
            if negated(lower, start):
                continue
            s_start, s_end = sentence_of(bounds, start)
            if _inside(sad, s_start, s_end):
                continue
            same_sentence = any(s_start <= c.start < s_end for c in work)
            if not (about_work or work):
                continue
            score = strength + (0.05 if same_sentence else 0.0)
            if cues:  # sentiment only where the post is about work (VADER is slow)
                mood = scorer.of(s_start, s_end)
                if mood >= 0.5 and strength < 0.75:
                    continue  # "exhausted but so proud of the kids"
                if mood <= -0.6:
                    score += 0.1
            key = (s_start, s_end)
            if key not in best or score > best[key][0]:
                best[key] = (score, start, end)
        for (_s, _e), (score, start, end) in sorted(best.items()):
            yield self.span("VE101", start, end, score, f"venting: '{doc.text[start:end]}'", doc)


class _Sentiment:
    """Sentiment of a post's sentences, each computed at most once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cache: dict[tuple[int, int], float] = {}

    def of(self, start: int, end: int) -> float:
        key = (start, end)
        if key not in self._cache:
            self._cache[key] = sentiment(self.text[start:end])
        return self._cache[key]


_TOKEN = re.compile(r"[a-z][a-z'’-]*")


def _has_negative_word(sentence: str) -> bool:
    lexicon = _analyzer().lexicon
    return any(lexicon.get(token, 0.0) <= -1.5 for token in _TOKEN.findall(sentence))


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start <= s < end for s, _e in spans)


def _target_of(
    crit: _Found,
    targets: list[Cue],
    others: list[tuple[int, int]],
    s_start: int,
    s_end: int,
    lower: str,
) -> Cue | None:
    """The target a criticism is about: the nearest subject before it in the sentence (or, for
    "useless SLT" and "I hate SLT", the target just after it); None if that is someone else."""
    in_sentence = [t for t in targets if s_start <= t.start < s_end and not _overlaps(t, crit)]
    before = [t for t in in_sentence if t.end <= crit.start and crit.start - t.end <= 80]
    after = [t for t in in_sentence if t.start >= crit.end and t.start - crit.end <= 30]
    if crit.term.obj:
        return after[0] if after and not _between(others, crit.end, after[0].start) else None
    for target in reversed(before):  # nearest first: "the parents at this school are entitled"
        if _between(others, target.end, crit.start):
            return None  # a nearer subject: "our head said Ofsted were useless"
        if _REPORTED.search(lower, target.end, crit.start):
            return None  # "our head says the new framework is a nightmare": the head only says it
        if crit.term.kinds is None or target.kind in crit.term.kinds:
            return target
    if before:
        return None
    if after and not any(s_start <= o[0] < crit.start for o in others):
        return after[0]
    return None


def _overlaps(cue: Cue, crit: _Found) -> bool:
    return cue.start < crit.end and crit.start < cue.end


def _between(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start <= s and e <= end for s, e in spans)
