"""Views about work without saying they are the author's own (DS101, info).

A post needs a disclaimer when it (1) identifies the employer (the school's name, "my school",
"at work", "my class", "as a teacher"), (2) gives a view (a stance such as "I think", "schools
should", "unpopular opinion", or a judgement such as "ridiculous", "a joke") (3) about work (a
work issue such as SATs, Ofsted, the marking policy, or a workplace cue in the same sentence),
and (4) has no disclaimer ("views my own", "personal views", "not the views of my employer").
Upbeat posts about school events ("Great trip to the zoo with Year 5!") give no view and stay
quiet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.normalise import Document
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings
from boundaries.screening.workplace import (
    Kind,
    PhraseMatcher,
    read_lexicon,
    sentence_of,
    sentences,
    workplace_cues,
)

DS101 = Rule(
    code="DS101",
    name="no-views-my-own",
    message="Views about work without a 'views my own' disclaimer",
    what="Opinions about work, in a post that identifies the school, without saying the views are "
    "the author's own.",
    example="I think the new marking policy at Brookfield is a waste of everyone's time.",
    instead="I think the new marking policy is a waste of everyone's time. (Views my own.)",
    fix="Add 'views my own' (or 'these are my personal views, not my employer's'), or leave out "
    "which school you work at.",
)

_DISCLAIMER = re.compile(
    r"\b(?:all\s+)?(?:views|opinions|thoughts|tweets|posts)\s+(?:are\s+|expressed\s+(?:here\s+)?"
    r"(?:are\s+)?)?(?:(?:all\s+|entirely\s+|solely\s+)?my\s+own|mine|personal)\b"
    r"|\bmy\s+own\s+(?:views|opinions)\b|\bpersonal\s+(?:views?|opinions?|capacity)\b"
    r"|\bnot\s+(?:the\s+views\s+of|those\s+of|representative\s+of|on\s+behalf\s+of|speaking\s+for)"
    r"\s+(?:my\s+)?(?:employer|school|work|workplace)"
    r"|\b(?:rts?|retweets|likes|shares)\s*(?:≠|!=|are\s+not|aren['’]t|do\s+not\s+(?:equal|mean)|"
    r"don['’]t\s+(?:equal|mean))\s*endorse\w*"
    r"|\bspeaking\s+(?:for\s+myself|personally)\b|\bi\s+speak\s+(?:only\s+)?for\s+myself\b"
    r"|#\s*views\s*my\s*own|#\s*myviews|#\s*personalviews",
    re.IGNORECASE,
)
# Words a disclaimer needs; the (slow) disclaimer pattern runs only when one is there.
_DISCLAIMER_WORDS = PhraseMatcher(
    (word, True, False, True)
    for word in (
        "view*", "opinion*", "thought*", "tweet*", "post*", "personal*", "rt", "retweet*",
        "like*", "share*", "speak*", "#view*", "#myview*", "#personalview*", "employer*",
    )
)  # fmt: skip
_ROLE = re.compile(
    r"\b(?:as\s+an?\s+(?:\w+\s+)?(?:teacher|headteacher|head\s+teacher|teaching\s+assistant|"
    r"educator|school\s+leader|senco)|i['’]?m\s+an?\s+(?:\w+\s+)?(?:teacher|ta|headteacher)|"
    r"i\s+teach\b)",
    re.IGNORECASE,
)
_UPBEAT = re.compile(
    r"\b(?:great|amazing|brilliant|fab|fabulous|fantastic|wonderful|lovely|proud|well\s+done|"
    r"congrat\w*|thank\s+you|thanks|superb|awesome|loved|enjoyed|fun|best)\b|[!🎉😊😀🥳❤💙]",
    re.IGNORECASE,
)


# A call to vote is EN101's business (the employer behind a party), not a view on education.
_ELECTION = re.compile(
    r"\bvot(?:e|ing)\s+(?:for\s+)?(?-i:[A-Z])|\b(?:general|local|by-)\s*elections?\b|"
    r"\bpolling\s+(?:day|station)\b|\bmanifesto\b",
    re.IGNORECASE,
)


def _opinions() -> PhraseMatcher[str]:
    entries = []
    for row in read_lexicon("disclaimer-opinion.txt"):
        cased = len(row) > 2 and "cs" in row[2]
        entries.append((row[0], row[1], cased, False))
    return PhraseMatcher(entries)


class DisclaimerDetector(Detector):
    rules: ClassVar[tuple[Rule, ...]] = (DS101,)

    _opinion = _opinions()

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self._work = workplace_cues(context)

    def detect(self, doc: Document) -> Iterable[Span]:
        text, lower = doc.text, doc.lower
        markers = self._opinion.find(text, lower)
        views = [h for h in markers if h.value in {"stance", "judge", "policy"}]
        if not views:
            return
        cues = self._work.find(doc)
        identifying = [
            (c.start, c.end, c.text, _identifies(c.kind, c.strength))
            for c in cues
            if c.identifies or (c.kind is Kind.SCHOOL and c.strength >= 0.9)
        ]
        if "teach" in lower or "educator" in lower or "leader" in lower or "senco" in lower:
            identifying += [(m.start(), m.end(), m.group(), 0.6) for m in _ROLE.finditer(text)]
        if not identifying:
            return
        if _DISCLAIMER_WORDS.find(text, lower) and _DISCLAIMER.search(text):
            return
        if "vot" in lower and _ELECTION.search(text):
            return  # "As a teacher at Brookfield... vote Labour. Our kids deserve better."
        topics = [h for h in markers if h.value == "topic"]
        about_work = [c for c in cues if c.strength >= 0.5]
        bounds = sentences(text)
        best: tuple[float, int, int, str] | None = None
        for view in views:
            s_start, s_end = sentence_of(bounds, view.start)
            # "...the new assessment framework. Honestly it makes no sense.": the topic may be in
            # the sentence before
            p_start = sentence_of(bounds, s_start - 1)[0] if s_start > 0 else s_start
            on_topic = view.value == "policy" or any(p_start <= t.start < s_end for t in topics)
            at_work = any(s_start <= c.start < s_end for c in about_work)
            # A stance ("I think", "why is") needs a work issue to be a view about work; a
            # judgement ("ridiculous") next to the school is one already.
            if not on_topic and (view.value == "stance" or not at_work):
                continue  # "I think my class had the best time today!", "why is the printer..."
            strength = max(s for _s, _e, _t, s in identifying)
            score = 0.75 if strength >= 0.9 else 0.65 if strength >= 0.75 else 0.55
            if view.value in {"judge", "policy"} and on_topic:
                score += 0.05
            if view.value == "judge" and not on_topic and _UPBEAT.search(text, s_start, s_end):
                continue
            if (
                view.value in {"stance", "policy"}
                and _UPBEAT.search(text, s_start, s_end)
                and not any(h.value == "judge" and s_start <= h.start < s_end for h in markers)
            ):
                continue  # "I think my class smashed their spelling tests!": pride, not a view
            if best is None or score > best[0]:
                best = (score, s_start, s_end, text[view.start : view.end])
        if best is None:
            return
        score, s_start, s_end, marker = best
        start, end = _trim(text, s_start, s_end)
        named = max(identifying, key=lambda i: i[3])[2]
        yield self.span(
            "DS101",
            start,
            end,
            score,
            f"a view ('{marker}') about work, with '{named}' named and no 'views my own'",
            doc,
        )


def _identifies(kind: Kind, strength: float) -> float:
    if kind is Kind.SCHOOL:
        return max(strength, 0.9)  # the school's name, "my school", "our academy"
    if kind is Kind.WORK:
        return 0.75  # "at work", "my workplace"
    return 0.65  # "my class", "our staff", "our SLT"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
