"""Offensive language: strong swear words (OF101), mild language (OF102), and abusive or
degrading phrasing without a swear word (OF103): listed ("a waste of oxygen", "has the brains of
a boiled cabbage", "a festering pile of garbage") or rated offensive by a trained classifier.

Words are matched whole over the ``plain`` view, so disguises ("f*ck", "sh1t", "f u c k",
"fuсk" with a Cyrillic letter, "fück", zero-width characters, "fuuuck") are seen through, and
"Scunthorpe", "class", "cocktail" or "Dickens" never match: they are other words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import ClassVar

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.normalise import Document
from boundaries.screening.profanity_model import ProfanityModel, load_model
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings
from boundaries.screening.wordlists import (
    Match,
    Token,
    cues,
    load,
    sentences,
    tokens,
    word_set,
    words_before,
)

OF101 = Rule(
    code="OF101",
    name="strong-profanity",
    message="Strong swear word",
    what="A strong swear word, however it is spelt or disguised (f*ck, sh1t, f u c k, fuuuck).",
    example="Parents' evening ran until nine. Absolutely f*cking shattered.",
    instead="Parents' evening ran until nine. Absolutely shattered.",
    fix="Take the swear word out: the policy bars language that may be deemed offensive, "
    "and masking letters does not change the word.",
)
OF102 = Rule(
    code="OF102",
    name="mild-language",
    message="Mild language",
    what="A mild swear word or exclamation (crap, bloody, damn, what the hell).",
    example="Bloody printer has jammed again, what the hell.",
    instead="The printer has jammed again.",
    fix="Most readers will not mind; if the post is public or mentions the school, "
    "a plainer word is safer.",
)
OF103 = Rule(
    code="OF103",
    name="offensive-language",
    message="Abusive or degrading language",
    what="Abusive or degrading phrasing without a swear word ('a waste of oxygen', 'has the "
    "brains of a boiled cabbage'), or a sentence a trained classifier (alt-profanity-check) "
    "rates as offensive.",
    example="Whoever came up with the new car park layout is a total waste of oxygen.",
    instead="I'm not a fan of the new car park layout. I hope it settles in.",
    fix="Reword it: say what you disagree with, without the put-down.",
)

# OF103: a sentence is reported when the classifier's probability reaches this. Tuned on the
# Davidson tweets whose row index % 5 != 0 ONLY (rows with index % 5 == 0 are the held-out
# evaluation split of benchmarks/davidson_eval.py, never looked at for tuning): from 0.9 up,
# the tweets that OF103 alone flags were 77-83% offensive, against 59-66% below 0.9. 0.93
# leaves a margin, because staff posts are far cleaner than tweets and false alarms cost as
# much as misses. (``python benchmarks/davidson_eval.py --split tune --sweep`` reprints it.)
OF103_THRESHOLD = 0.93

_STRONG_SCORE = {"strongest": 0.95, "strong": 0.9}
_MASKED_SCORE = 0.85  # "f**k": the author knew the word; less certain which word it was
_AMBIGUOUS_SCORE = 0.8

# The words before an everyday-or-swear word ("knob", "dick", "prick") that make it a swear word:
# "you knob", "a total dick", "suck my dick". A door knob, Moby Dick and a pin prick have none.
_SWEAR_CUES = cues(
    "you ya u ur yer your such total absolute complete utter massive proper right being stupid "
    "suck sucking sucked bunch fucking bloody silly dumb fat lil dat yo"
)
# OF103 from the insults list: these sections are degrading wherever they appear.
_DEGRADING = frozenset({"degrading", "comparison"})
# Before a vermin word, what makes it name-calling: "you maggot", "absolute scum".
_CALLING = cues("you ya u absolute utter total complete right proper such")
_CALLING_ADJECTIVES = cues(
    "slimy snivelling miserable filthy dirty lying sneaky evil nasty horrible vile little two-faced"
)
_BE_WORDS = cues("is are 's 're was were being")
_HAVE = cues("has have had got 've with")
# Vermin that are no one's pets or garden visitors: "they are scum" needs no adjective.
_VERMIN_ONLY = cues(
    "scum vermin parasite parasites maggot maggots cockroach cockroaches leech leeches"
)
_MODEL_TERM = re.compile(r"\w\w+")
_GARDEN = cues(
    """
    garden gardens gardening allotment allotments rake rakes spade spades weed weeds weeding
    soil trowel shed veg vegetable vegetables plot dig digging greenhouse compost seeds
    planting plants border borders tools tool fork
    """
)


class OffensiveDetector(Detector):
    rules: ClassVar[tuple[Rule, ...]] = (OF101, OF102, OF103)

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self.strong = load("offensive-strong")
        self.mild = load("offensive-mild")
        insults = load("insults")
        self.insults = insults
        # The classifier never sees: mild words (OF102's), words judged elsewhere (slurs by
        # HA102, sexual words by SX101, listed insults by HA101 where they are aimed), and
        # everyday words it over-weighs. Degrading nouns stay ("scumbag"): they are OF103's.
        # (Measured on the Davidson tuning split, leaving out the plain insult nouns changed
        # neither precision nor recall, and "To the idiot who parked ..." is HA101, not OF103.)
        self.model_ignores = (
            word_set("offensive-classifier-ignore")
            | frozenset(self.mild.words)
            | frozenset(load("slurs").words)
            | frozenset(load("sexual").words)
            | frozenset(w for w, e in insults.words.items() if "degrading" not in e.tags)
        )
        self.self_words = frozenset(
            w for w, e in load("harassment-targets").words.items() if e.tag == "self"
        )
        self.insult_nouns = frozenset(w for w, e in insults.words.items() if e.tag == "noun")
        self.insult_adjectives = (
            frozenset(w for w, e in insults.words.items() if e.tag == "adjective")
            | _CALLING_ADJECTIVES
        )
        self._model: ProfanityModel | None = None

    @property
    def model(self) -> ProfanityModel:
        if self._model is None:
            self._model = load_model()  # about a second, once per process: only when needed
        return self._model

    def detect(self, doc: Document) -> Iterator[Span]:
        toks = tokens(doc)
        if not toks:
            return
        found = self.strong.find(toks)
        garden = bool(found) and not _GARDEN.isdisjoint(t.word for t in toks)
        strong = [m for m in found if self._is_swearing(m, toks, garden)]
        covered = [False] * len(toks)
        for m in strong:
            for k in range(m.i, m.j):
                covered[k] = True
            yield self._strong_span(m, toks, doc)
        mild = [m for m in self.mild.find(toks) if not any(covered[m.i : m.j])]
        for m in mild:
            for k in range(m.i, m.j):
                covered[k] = True
            tok_i, tok_j = toks[m.i], toks[m.j - 1]
            reason = ""  # the evidence is the word itself
            yield self.span("OF102", tok_i.start, tok_j.end, 0.8, reason, doc, doc.plain)
        yield from self._degrading(toks, covered, doc)
        yield from self._classified(toks, covered, strong, doc)

    def _degrading(
        self, toks: Sequence[Token], covered: list[bool], doc: Document
    ) -> Iterator[Span]:
        """OF103 from the list: degrading phrasing ("a waste of oxygen", "ugly old cow", "has
        the brains of a boiled cabbage"), unless the author says it of themselves ("I'm such a
        moron"). Vermin ("worm", "scum") count only when the sentence calls someone it."""
        compared = False  # "has the brains of a cabbage and the charm of a wet sock"
        for m in self.insults.find(toks):
            tags = m.entry.tags
            before = words_before(toks, m.i, 4)
            if tags.isdisjoint(_DEGRADING) and (
                "vermin" not in tags or not self._called(m, before)
            ):
                continue
            if any(w in self.self_words for w in before):
                continue
            if m.entry.tag == "comparison":
                if "praise too" in tags:
                    continue  # "the charm of a country pub": HA101 judges it where it is aimed
                if not before or not (before[0] in _HAVE or (before[0] == "and" and compared)):
                    continue  # "the charm of a country pub"; "has the charm of a wet sock"
                compared = True
            if m.entry.term.endswith(" of") and m.j < len(toks) and covered[m.j]:
                continue  # "a steaming pile of crap": the swear word speaks for it
            first, last = toks[m.i], toks[m.j - 1]
            reason = f"degrading phrase '{m.entry.term}'"
            yield self.span("OF103", first.start, last.end, 0.7, reason, doc, doc.plain)

    def _called(self, m: Match, before: list[str]) -> bool:
        """Is a vermin word said of someone: "spineless worm", "you maggot", "they are scum"?"""
        if not before:
            return False
        if before[0] in self.insult_adjectives or before[0] in _CALLING:
            return True
        return before[0] in _BE_WORDS and m.entry.term in _VERMIN_ONLY

    def _is_swearing(self, m: Match, toks: Sequence[Token], garden: bool) -> bool:
        if m.entry.tag != "ambiguous":
            return True
        if toks[m.i].capital and not toks[m.i].brk:
            return False  # a name in the middle of a sentence: Moby Dick, Dick Whittington
        if m.entry.term in ("hoe", "hoes"):
            if garden:
                return False  # rakes and hoes
            if m.entry.term == "hoes":
                return True  # the tool is rarely plural outside a garden post
        return any(w in _SWEAR_CUES for w in words_before(toks, m.i, 2))

    def _strong_span(self, m: Match, toks: Sequence[Token], doc: Document) -> Span:
        first, last = toks[m.i], toks[m.j - 1]
        entry = m.entry
        if entry.tag == "ambiguous":
            score, kind = _AMBIGUOUS_SCORE, "swear word"
        else:
            score = _STRONG_SCORE.get(entry.tag, 0.9)
            kind = "strong swear word"
        s, e = doc.plain.to_original(first.start, last.end)
        written = doc.original[s:e]
        if m.how == "masked":
            score = min(score, _MASKED_SCORE)
            reason = f"'{entry.term}', masked as '{written}'"
        elif m.how or written.lower() != entry.term:
            reason = f"'{entry.term}', disguised as '{written}'"
        else:
            reason = "" if kind == "strong swear word" else "a word that swears in this use"
        return self.span("OF101", first.start, last.end, score, reason, doc, doc.plain)

    def _classified(
        self, toks: Sequence[Token], covered: list[bool], strong: list[Match], doc: Document
    ) -> Iterable[Span]:
        """OF103: sentences with no strong swear word that the classifier rates offensive."""
        model = self.model
        push = model.push
        ignores = self.model_ignores
        with_strong = [m.i for m in strong]
        mild_words = {toks[k].word for k, c in enumerate(covered) if c}
        for i, j in sentences(toks):
            if with_strong and any(i <= k < j for k in with_strong):
                continue  # OF101 already speaks for this sentence
            seg = [tok.word for tok in toks[i:j]]
            present = set(seg) - ignores - mild_words
            if not self.self_words.isdisjoint(seg):
                present -= self.insult_nouns  # "I'm such an idiot": not aimed at anyone
            if not present:
                continue
            terms = set()
            for word in present:
                if word.isalpha():
                    terms.add(word)
                else:
                    terms.update(_MODEL_TERM.findall(word))
            if not model.could_reach(sum(push.get(t, 0.0) for t in terms), OF103_THRESHOLD):
                continue  # most sentences stop here, without the arithmetic
            counted = [(k, t) for k in range(i, j) for t in self._terms(toks[k].word, present)]
            prob = model.score_terms(t for _, t in counted)
            if prob < OF103_THRESHOLD:
                continue
            weights = [(k, model.term_weight(t)) for k, t in counted]
            top = max(w for _, w in weights)
            strongest = [k for k, w in weights if w >= 0.5 * top]
            first, last = toks[min(strongest)], toks[max(strongest)]
            best = max(weights, key=lambda kw: kw[1])[0]
            score = 0.5 + 0.3 * (prob - OF103_THRESHOLD) / (1.0 - OF103_THRESHOLD)
            reason = f"classifier rates it {prob:.0%} offensive, mostly for '{toks[best].word}'"
            yield self.span("OF103", first.start, last.end, score, reason, doc, doc.plain)

    @staticmethod
    def _terms(word: str, present: set[str]) -> list[str]:
        """The classifier's terms in one word the sentence keeps (tf counts every occurrence)."""
        if word not in present:
            return []
        if word.isalpha():
            return [word] if len(word) > 1 else []
        return _MODEL_TERM.findall(word)
