"""Sexual content (SX101) and sexualised remarks about children or indecent images of them (SX102).

Each sentence's sexual words are weighed together: one explicit word is enough; slang for body
parts, suggestive words and innuendo need company ("sexy" alone is not reported, "sexy" with
"naked" is). The vocabulary of relationships and sex education ("RSE lesson on puberty",
"sex education evening for parents") is never reported on its own, and a post about teaching,
health or safeguarding damps every score, so that a letter about the RSE curriculum stays clear.
SX102 is a sexual or appearance remark ("fit", "hot", "well developed") within reach of a child
("pupil", "Year 10", "the girls in my class", a pupil's name), or a reference to indecent images
of children.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import ClassVar

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.normalise import Document
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings
from boundaries.screening.wordlists import (
    Match,
    Token,
    cues,
    load,
    sentences,
    tokens,
    words_after,
    words_before,
)

SX101 = Rule(
    code="SX101",
    name="sexual-content",
    message="Sexual content",
    what="Explicit sexual words, or phrasing heavy with sexual innuendo.",
    example="Staff do tonight, who's getting laid? Wink wink.",
    instead="Staff do tonight, looking forward to it!",
    fix="Remove it: the policy bars material of a sexual nature and indecent remarks, "
    "on any account that can be linked to you.",
)
SX102 = Rule(
    code="SX102",
    name="sexualised-remark-about-children",
    message="Sexualised remark about a child",
    what="A sexual or appearance remark about pupils or children, or a reference to indecent "
    "images of children.",
    example="Some of the Year 10 girls are well developed, phwoar.",
    instead="(Do not post it. If you have a concern about a child, tell your designated "
    "safeguarding lead.)",
    fix="Delete it now. Any sexualised remark about a pupil is a safeguarding matter; indecent "
    "images of children are illegal. Speak to the designated safeguarding lead.",
)

_WEIGHTS = {
    "explicit": 0.85,
    "appearance": 0.35,  # only the unambiguous ones ("well fit", "hottie"): see _sexual
    "body": 0.45,
    "suggestive": 0.35,
    "innuendo": 0.35,
    "rse": 0.15,
}
_BODY_FRAME = cues(
    """
    nice big huge massive great lovely her his my your show flash suck lick touch grab
    flashing showing fake small tiny hard wet hairy saggy perky tight
    """
)
# Words of a post about teaching, health or safeguarding: sexual vocabulary there is the subject.
_EDUCATION = cues(
    """
    rse pshe pshce curriculum lesson lessons workshop workshops nurse nhs clinic biology
    science consultation policy training safeguarding nspcc ceop puberty statutory guidance
    webinar leaflet medical doctor gp awareness reproduction education educational unit topic
    scheme esafety safety dsl healthcare health midwife letter parents' information
    """
)
_NEWS = cues(
    """
    jailed convicted sentenced court police charged arrested guilty trial investigation
    prosecuted iwf ceop nspcc reporting training course safeguarding awareness news article
    bbc story headline prison judge offender offenders
    """
)
_CHILD = cues(
    """
    pupil pupils student students child children kid kids kiddies schoolgirl schoolgirls
    schoolboy schoolboys minor minors underage teen teens teenager teenagers teenage juniors
    year7s year8s year9s year10s year11s sixth-former
    """
)
_BOY_GIRL = cues("girl girls boy boys lad lads lass lasses")
# Words that make "girls"/"boys" pupils: without one, "girls' night out" is adults.
_SCHOOL = cues(
    """
    school class classes year form tutor lesson lessons pe playground uniform pupil pupils
    teacher teach teaching taught sir miss register homework detention
    """
)
_CLASS_DETERMINERS = cues("my the our her his this in your")
_COPULA = cues(
    """
    is are was were 's 're look looks looking looked so well proper really very bare dead
    quite seriously getting
    """
)
_NOT_AFTER_LOOKS = cues(
    """
    and for to in into enough outside after from today weather day dinner lunch chocolate
    water food meal summer sun sweaty tired on at as with by under
    """
)
_OWN_VOICE = cues("i i'm me my myself we us our")
_SEXUAL_EMOJI = ("🍆", "🍑", "💦", "🥵", "😈", "👅", "🔞", "😏", "🍒", "🌶")
_AMBIGUOUS_LOOKS = cues("fit hot buff tasty so fit")


class SexualDetector(Detector):
    rules: ClassVar[tuple[Rule, ...]] = (SX101, SX102)

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self.lexicon = load("sexual")
        names: set[str] = set()
        for pupil in context.pupils:
            for part in (pupil.forename, pupil.preferred_name, pupil.surname):
                if part:
                    names.update(part.lower().split())
        self.pupil_names = frozenset(names)

    def detect(self, doc: Document) -> Iterator[Span]:
        toks = tokens(doc)
        if not toks:
            return
        matches = self.lexicon.find(toks)
        if not matches:
            return
        words = {t.word for t in toks}
        educational = not words.isdisjoint(_EDUCATION)
        newsy = not words.isdisjoint(_NEWS)
        schooly = not words.isdisjoint(_SCHOOL)
        children = self._children(toks, schooly)
        for i, j in sentences(toks):
            here = [m for m in matches if i <= m.i < j]
            if not here:
                continue
            yield from self._sexual(toks, here, educational, doc)
            yield from self._about_children(toks, here, children, (i, j), educational, newsy, doc)

    def _sexual(
        self, toks: Sequence[Token], here: list[Match], educational: bool, doc: Document
    ) -> Iterator[Span]:
        """SX101: weigh the sentence's sexual words together (noisy-OR)."""
        cues: list[tuple[float, Match]] = []
        for m in here:
            tag = m.entry.tag
            weight = _WEIGHTS.get(tag)
            if weight is None:
                continue
            if tag == "appearance" and m.entry.term in _AMBIGUOUS_LOOKS:
                continue  # "fit", "hot": weighed only beside a child (SX102)
            if tag == "body":
                if toks[m.i].capital and not toks[m.i].brk:
                    continue  # a name: Dick Whittington, Willy Wonka
                if any(w in _BODY_FRAME for w in words_before(toks, m.i, 2)):
                    weight = 0.8
            cues.append((weight, m))
        emoji = self._emoji(doc, toks, here)
        if not cues:
            return
        miss = 1.0 - emoji
        for weight, _ in cues:
            miss *= 1.0 - weight
        score = 1.0 - miss
        if educational:
            score *= 0.55
        if score < 0.5:
            return
        shown = [m for w, m in cues if w >= 0.35]
        first, last = toks[min(m.i for m in shown)], toks[max(m.j for m in shown) - 1]
        terms = ", ".join(f"'{m.entry.term}'" for m in shown[:3])
        strongest = max(cues, key=lambda c: c[0])[1].entry.tag
        reason = f"explicit sexual term {terms}" if strongest == "explicit" else f"sexual {terms}"
        yield self.span("SX101", first.start, last.end, score, reason, doc, doc.plain)

    @staticmethod
    def _emoji(doc: Document, toks: Sequence[Token], here: list[Match]) -> float:
        """Weight of sexual emoji ("🍆", "🥵", "😈") in the sentence of ``here``."""
        text = doc.original
        if text.isascii():
            return 0.0
        i = min(m.i for m in here)
        j = max(m.j for m in here)
        a, _ = doc.plain.to_original(toks[i].start, toks[i].end)
        _, b = doc.plain.to_original(toks[j - 1].start, toks[j - 1].end)
        window = text[max(0, a - 40) : b + 40]
        count = sum(window.count(e) for e in _SEXUAL_EMOJI)
        return 0.0 if count == 0 else 0.35 if count == 1 else 0.55

    def _children(self, toks: Sequence[Token], schooly: bool) -> list[int]:
        """Indices of tokens that refer to a child or pupil."""
        out: list[int] = []
        for k, tok in enumerate(toks):
            word = tok.word.removesuffix("'s")
            prev = toks[k - 1].word if k > 0 and not tok.brk else ""
            if (
                word in _CHILD
                or (word in _BOY_GIRL and schooly)
                or (word in ("class", "form") and prev in _CLASS_DETERMINERS)
            ):
                out.append(k)
            elif word.isdigit() and prev in ("year", "yr") and int(word) <= 13:
                out.append(k)  # "Year 10"
            elif len(word) in (2, 3) and word[0] == "y" and word[1:].isdigit():
                out.append(k)  # "Y10"
            elif (
                word.isdigit()
                and 0 < int(word) < 18
                and words_after(toks, k + 1, 2)[:1]
                in (
                    ["year"],
                    ["yr"],
                    ["yo"],
                    ["years"],
                )
            ):
                out.append(k)  # "a 14 year old"
            elif (word.isdigit() and 0 < int(word) < 18 and prev == "aged") or (
                tok.capital and word in self.pupil_names
            ):
                out.append(k)
        return out

    def _about_children(
        self,
        toks: Sequence[Token],
        here: list[Match],
        children: list[int],
        sentence: tuple[int, int],
        educational: bool,
        newsy: bool,
        doc: Document,
    ) -> Iterator[Span]:
        """SX102: a sexual or appearance remark beside a child, or abuse images."""
        i, j = sentence
        near = [k for k in children if i <= k < j]
        for m in here:
            tag = m.entry.tag
            if tag == "abuse images":
                term = m.entry.term
                inherent = term not in _NEEDS_CHILD
                if (
                    not inherent
                    and not near
                    and not any(w in _CHILD_OBJECTS for w in words_after(toks, m.j, 3))
                ):
                    score = 0.6
                else:
                    score = 0.9
                if newsy:
                    score = min(score, 0.45)  # a news story or training about the crime
                reason = f"indecent images of children ('{term}')"
                yield self.span(
                    "SX102", toks[m.i].start, toks[m.j - 1].end, score, reason, doc, doc.plain
                )
                continue
            if not near:
                continue
            if tag == "appearance" and m.entry.term in _AMBIGUOUS_LOOKS:
                before, after = words_before(toks, m.i, 2), words_after(toks, m.j, 1)
                if not any(w in _COPULA for w in before) or (
                    after and after[0] in _NOT_AFTER_LOOKS
                ):
                    continue  # "the kids were hot in the hall", "fit and healthy"
            if tag in ("explicit",):
                score = 0.9
            elif tag in ("body", "suggestive", "appearance"):
                score = 0.85
            elif tag in ("innuendo", "attraction"):
                score = 0.65
            else:
                continue  # RSE vocabulary beside pupils is the curriculum
            if educational:
                score *= 0.55
            if score < 0.5:
                continue
            k = min(near, key=lambda c: abs(c - m.i))
            a, b = min(k, m.i), max(k + 1, m.j)
            gap = range(k + 1, m.i) if k < m.i else range(m.j, k)
            if len(gap) > 8 or any(toks[x].word in _OWN_VOICE for x in gap):
                continue  # "kids are at nan's tonight so it's just me, him and ...": not about them
            if k > 0 and toks[k - 1].word in ("year", "yr") and toks[k].word.isdigit():
                k -= 1
            a, b = min(k, m.i), max(k + 1, m.j)
            reason = f"'{m.entry.term}' said of {_child_words(toks, k)}"
            yield self.span("SX102", toks[a].start, toks[b - 1].end, score, reason, doc, doc.plain)


# Phrases that are about children only when a child is named beside them.
_NEEDS_CHILD = frozenset(
    {
        "indecent images",
        "indecent image",
        "indecent photos",
        "indecent photographs",
        "indecent pictures",
        "indecent videos",
        "upskirt",
        "upskirting",
        "nudes of",
        "naked pictures of",
        "naked photos of",
        "naked pics of",
        "nude pictures of",
        "nude photos of",
        "nude pics of",
    }
)
_CHILD_OBJECTS = _CHILD | _BOY_GIRL | {"year", "under"}


def _child_words(toks: Sequence[Token], k: int) -> str:
    word = toks[k].word
    if word in ("year", "yr") and k + 1 < len(toks):
        return f"Year {toks[k + 1].word}"
    return f"'{word}'"
