"""Sexual content (SX101) and sexualised remarks about children or indecent images of them (SX102).

Each sentence's sexual words are weighed together: one explicit word is enough; slang for body
parts, suggestive words and innuendo need company ("sexy" alone is not reported, "sexy" with
"naked" is). The vocabulary of relationships and sex education ("RSE lesson on puberty",
"sex education evening for parents") is never reported on its own, and a post about teaching,
health or safeguarding damps every score, so that a letter about the RSE curriculum stays clear.
Weak hints ("in bed", "naughty") tip suggestive words over; two sexual emoji ("🍆🍑") are enough
alone. SX102 is a sexual or appearance remark ("fit", "hot", "well developed", "could pass for
18") within reach of a child ("pupil", "Year 10", "Y6", "the girls in my class", a pupil's name,
or in a post about pupils "hot little bodies"), clothes dwelt on with a leer, or a reference to
indecent images of children; innuendo, a wish to be younger and leering emoji nearby raise it.
Innuendo in a post reported under SX102 is about the children, so it is not reported again as
SX101 unless it is explicit or about an adult ("his mum is well fit").
"""

from __future__ import annotations

import re
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
    year_groups,
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
    teacher teach teaching taught sir miss register homework detention netball gala sports
    gymnastics nativity leavers residential
    """
)
_CLASS_DETERMINERS = cues("my the our her his this in your")
_COPULA = cues(
    """
    is are was were 's 're look looks looking looked so well proper really very bare dead
    quite seriously getting that too they're she's he's theyre shes hes real super
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
# Emoji that are sexual on their own, two together: "what we got up to 🍆🍑".
_STRONG_EMOJI = ("🍆", "🍑", "💦", "👅", "🔞")
# A leer beside a child ("... phwoar 😏", "... wish I was younger 😉"); "🔥" only with a body.
_LEER_EMOJI = ("😏", "😉", "🥵", "🤤", "😈", "👀", "👅", "💦", "😜", "🫦")
_FOOD = cues(
    """
    salad recipe recipes soup curry veg vegetables allotment harvest grow grew growing market
    smoothie cook cooking roast baking bake crumble jam chutney fruit greenhouse garden
    """
)
# Adults a sexual remark can be about: "his mum is well fit" stands apart from a remark about
# the child in the same sentence.
_ADULTS = cues(
    """
    mum mums mom dad dads mother father wife husband hubby boyfriend girlfriend partner teacher
    teachers colleague colleagues supply ta man woman bloke guy lady fella milf dilf
    """
)
_HINT = 0.2
# Tags that can be reported (the rest only add weight): the detector stops without one.
_CAN_FIRE = frozenset(
    {
        "explicit",
        "body",
        "suggestive",
        "appearance",
        "innuendo",
        "attraction",
        "prospect",
        "longing",
        "clothing",
        "abuse images",
    }
)
# A class written as its code: "the boys in 6B", "4H".
_CLASS_CODE = re.compile(r"\b(?:in|from|of) (?:[1-9]|1[0-3])[A-Z]\b")
# Cues that raise an SX102 remark, in its sentence or the next: weight each adds.
_BOOSTERS = {"innuendo": 0.35, "attraction": 0.4, "prospect": 0.4, "longing": 0.45}


class _Emoji:
    """The sexual emoji of a post, counted once."""

    def __init__(self, text: str) -> None:
        self.text = text
        if text.isascii():
            self.strong = 0
            self.leer = 0.0
            self.fire = False
            return
        self.strong = sum(text.count(e) for e in _STRONG_EMOJI)
        leers = sum(text.count(e) for e in _LEER_EMOJI)
        self.leer = 0.0 if leers == 0 else 0.3 if leers == 1 else 0.45
        self.fire = "🔥" in text

    def near(self, doc: Document, toks: Sequence[Token], sentence: tuple[int, int]) -> float:
        """Weight of sexual emoji in the sentence, or just after it ("... last night 😈")."""
        if self.text.isascii():
            return 0.0
        i, j = sentence
        a, _ = doc.plain.to_original(toks[i].start, toks[i].end)
        _, b = doc.plain.to_original(toks[j - 1].start, toks[j - 1].end)
        window = self.text[max(0, a - 10) : b + 40]
        count = sum(window.count(e) for e in _SEXUAL_EMOJI)
        return 0.0 if count == 0 else 0.35 if count == 1 else 0.55


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
        if not any(m.entry.tag in _CAN_FIRE for m in matches) and (
            doc.original.isascii() or not any(e in doc.original for e in _STRONG_EMOJI)
        ):
            return  # nothing here can be reported: "boyfriend", "skirts", RSE words alone
        emoji = _Emoji(doc.original)
        words = {t.word for t in toks}
        educational = not words.isdisjoint(_EDUCATION)
        newsy = not words.isdisjoint(_NEWS)
        years = year_groups(doc)
        schooly = (
            bool(years) or not words.isdisjoint(_SCHOOL) or _CLASS_CODE.search(doc.text) is not None
        )
        children = self._children(toks, schooly, matches, years)
        spans = sentences(toks)
        about_children: list[Span] = []
        sexual: list[tuple[Span, bool]] = []
        for n, (i, j) in enumerate(spans):
            here = [m for m in matches if i <= m.i < j]
            if not here:
                continue
            found = self._sexual(toks, here, (i, j), emoji, educational, doc)
            if found is not None:
                sexual.append(found)
            nxt = spans[n + 1] if n + 1 < len(spans) else (j, j)
            extra = [m for m in matches if nxt[0] <= m.i < nxt[1] and m.entry.tag in _BOOSTERS]
            about_children.extend(
                self._about_children(
                    toks, here, extra, children, (i, j), emoji, educational, newsy, doc
                )
            )
        if not sexual and not about_children and emoji.strong >= 2 and not educational:
            sexual.extend(self._emoji_only(doc, words))
        yield from about_children
        reported = any(s.score >= 0.5 for s in about_children)
        for span, adult in sexual:
            # A post already reported for sexualising children: its innuendo ("Phwoar.") is
            # about them too, unless it is explicit or names an adult ("his mum is well fit").
            if not reported or adult:
                yield span

    def _sexual(
        self,
        toks: Sequence[Token],
        here: list[Match],
        sentence: tuple[int, int],
        emoji: _Emoji,
        educational: bool,
        doc: Document,
    ) -> tuple[Span, bool] | None:
        """SX101: weigh the sentence's sexual words together (noisy-OR). Returns the span and
        whether it stands apart from any remark about children (explicit, or about an adult)."""
        cues: list[tuple[float, Match]] = []
        hints: list[float] = []
        for m in here:
            tag = m.entry.tag
            if tag == "hint":
                hints.append(_HINT)
                continue
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
        if not cues:
            return None
        miss = 1.0 - emoji.near(doc, toks, sentence)
        for weight, _ in cues:
            miss *= 1.0 - weight
        for weight in hints[:2]:
            miss *= 1.0 - weight
        score = 1.0 - miss
        if educational:
            score *= 0.55
        if score < 0.5:
            return None
        shown = [m for w, m in cues if w >= 0.35]
        first, last = toks[min(m.i for m in shown)], toks[max(m.j for m in shown) - 1]
        terms = ", ".join(f"'{m.entry.term}'" for m in shown[:3])
        strongest = max(cues, key=lambda c: c[0])[1].entry.tag
        reason = f"explicit sexual term {terms}" if strongest == "explicit" else f"sexual {terms}"
        a, b = min(m.i for m in shown), max(m.j for m in shown)
        adult = strongest == "explicit" or any(
            toks[k].word.removesuffix("'s") in _ADULTS
            for k in range(max(0, a - 4), min(len(toks), b + 2))
        )
        span = self.span("SX101", first.start, last.end, score, reason, doc, doc.plain)
        return span, adult

    def _emoji_only(self, doc: Document, words: set[str]) -> list[tuple[Span, bool]]:
        """SX101 for a post whose sexual content is all emoji ("last night 🍆🍑💦")."""
        if not words.isdisjoint(_FOOD):
            return []  # "peach and aubergine salad 🍑🍆"
        text = doc.norm.text
        spots = [text.find(e) for e in _STRONG_EMOJI if e in text]
        if not spots:
            return []
        start = min(spots)
        end = max(text.find(e) + len(e) for e in _STRONG_EMOJI if e in text)
        span = self.span("SX101", start, end, 0.6, "sexual emoji", doc)
        return [(span, True)]

    def _children(
        self, toks: Sequence[Token], schooly: bool, matches: list[Match], years: frozenset[int]
    ) -> list[int]:
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
            elif k in years:
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
        if schooly or out:
            # "so many hot little bodies", "sexy little things": children by a phrase, in a
            # post about pupils.
            out.extend(m.i for m in matches if m.entry.tag == "child body")
            out.sort()
        return out

    def _about_children(
        self,
        toks: Sequence[Token],
        here: list[Match],
        extra: list[Match],
        children: list[int],
        sentence: tuple[int, int],
        emoji: _Emoji,
        educational: bool,
        newsy: bool,
        doc: Document,
    ) -> Iterator[Span]:
        """SX102: a sexual or appearance remark beside a child, or abuse images. Innuendo,
        longing ("wish I was 20 years younger") and leering emoji nearby raise the score."""
        i, j = sentence
        near = [k for k in children if i <= k < j]
        child_body = {m.i: m.j for m in here if m.entry.tag == "child body"}
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
            near_m = [k for k in near if k != m.i]
            if not near_m:
                continue
            k = min(near_m, key=lambda c: abs(c - m.i))
            if tag == "appearance" and m.entry.term in _AMBIGUOUS_LOOKS:
                before, after = words_before(toks, m.i, 2), words_after(toks, m.j, 1)
                attributive = k == m.j and k in child_body  # "hot little bodies"
                if not attributive and (
                    not any(w in _COPULA for w in before)
                    or (after and after[0] in _NOT_AFTER_LOOKS)
                ):
                    continue  # "the kids were hot in the hall", "fit and healthy"
            if tag == "explicit":
                score = 0.9
            elif tag in ("body", "suggestive", "appearance"):
                score = 0.85
            elif tag in ("innuendo", "attraction"):
                score = 0.65
            elif tag in ("prospect", "longing"):
                score = 0.45
            elif tag == "clothing":
                # "those little legs in netball skirts 🔥🔥": a leer, not a kit reminder.
                leered = emoji.leer or (emoji.fire and k in child_body)
                score = 0.75 if leered else 0.0
            else:
                continue  # RSE vocabulary beside pupils is the curriculum
            if score <= 0.0:
                continue
            gap = range(k + 1, m.i) if k < m.i else range(m.j, k)
            if len(gap) > 8 or any(toks[x].word in _OWN_VOICE for x in gap):
                continue  # "kids are at nan's tonight so it's just me, him and ...": not about them
            miss = 1.0 - score
            for o in here + extra:
                if o is not m and o.entry.tag in _BOOSTERS:
                    miss *= 1.0 - _BOOSTERS[o.entry.tag]
            if tag != "clothing":
                miss *= 1.0 - emoji.leer
            score = min(0.95, 1.0 - miss)
            if educational:
                score *= 0.55
            if score < 0.5:
                continue
            if k > 0 and toks[k - 1].word in ("year", "yr") and toks[k].word.isdigit():
                k -= 1
            end = child_body.get(k, k + 1)
            a, b = min(k, m.i), max(end, m.j)
            if k in child_body:
                who = "'" + " ".join(t.word for t in toks[k:end]) + "'"
            else:
                who = _child_words(toks, k)
            reason = f"'{m.entry.term}' said of {who}"
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
