"""Harassment and hate: insults aimed at someone (HA101), slurs and hate speech about a protected
characteristic (HA102), threats and intimidation (HA103).

An insult word alone is not harassment: "I'm such an idiot" and "this weather is pathetic" are
not aimed at anyone. HA101 reports an insult only where the sentence aims it at a target: "you",
a role at the school ("the head", "SLT", "these kids", "Year 9"), a named person or an
@mention. It reads the words between target and insult, which may only be glue ("is", "such
a", "an absolute"); anything else ("this weather is") breaks the link. Words come from the
``plain`` view, so the same disguises as for swear words are seen through.
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

HA101 = Rule(
    code="HA101",
    name="insult-aimed-at-someone",
    message="Insult aimed at a person or group",
    what="An insult aimed at someone: you, a colleague, a role at the school, parents, pupils, "
    "a named person or an @mention.",
    example="Honestly the governors are a bunch of clueless idiots.",
    instead="I disagree with the governors' decision and have asked to discuss it.",
    fix="Take the insult out. Disagree with the decision, not the person; raise a concern "
    "with your line manager rather than online.",
)
HA102 = Rule(
    code="HA102",
    name="hate-speech",
    message="Slur or hate speech",
    what="A slur, or a demeaning statement about people who share a protected characteristic "
    "(race, religion, sex, sexual orientation, gender identity, disability).",
    example="Typical, all the immigrants round here are scroungers.",
    instead="(Do not post it.)",
    fix="Remove it: the policy requires you to comply with equality law online. If you are "
    "reporting words someone else used, describe them rather than repeat them.",
)
HA103 = Rule(
    code="HA103",
    name="threat",
    message="Threat or intimidation",
    what="A threat of violence or harm, or words meant to intimidate ('watch your back').",
    example="That parent at pick-up needs a good slap. Watch your back, mate.",
    instead="(Do not post it. If someone is threatening you, tell your headteacher.)",
    fix="Remove it. If you are being threatened or bullied, keep a record and report it to "
    "your line manager or headteacher instead of replying.",
)

# Glue that may stand between a target and its insult: "you are such an absolute idiot",
# "the head is really useless", "SLT are a bunch of clowns".
_GLUE = cues(
    """
    a an the such so too really very totally utterly completely absolutely literally actually
    genuinely truly honestly just bloody fucking fking effing flipping proper right total
    absolute complete utter massive big little biggest most all bunch lot load pack of group
    is are was were am be being been become becoming seem seems seemed look looks looking
    looked sound sounds like act acting one incredibly extremely pretty quite bit and as still
    always now officially clearly obviously definitely seriously r re 's 're 'm what how kind
    sort has have had got gets getting
    """
)
_NEGATION = cues(
    "not never isn't aren't wasn't weren't ain't no nobody neither nor don't doesn't didn't "
    "isnt arent wasnt werent dont doesnt didnt hardly"
)
_TITLES = cues("mr mrs ms miss mx dr sir madam prof mister")
# Words before a weak insult ("cow", "pig", "snake") that make it one: "silly cow".
_WEAK_MODIFIERS = cues(
    "silly stupid fat old ugly miserable lazy useless nasty evil sly dirty filthy horrible vile "
    "lying sneaky two-faced smug arrogant greedy little dozy daft thick slimy"
)
# Words that make a slur or hate statement reported speech, a quotation or a lesson about it.
_REPORTED = cues(
    """
    called call calling shouted shouting said saying says word words term terms slur slurs
    language used using use heard reported report incident incidents challenge challenged
    challenging tackle tackling banter homophobic racist racism sexist transphobic ableist
    unacceptable offensive n-word assembly lesson lessons discussed discuss discussing explain
    explained explaining why meaning history historical
    """
)
# "all <group> are <bad>": present tense generalises; "the girls were filthy" describes a day.
_HATE_LINKS = cues(
    "are is 're 's should must need needs ought deserve deserves don't do can't cannot "
    "shouldn't aren't all just"
)
_GENERALISERS = cues("all most typical bloody fucking these those every any")
_SPECIFIC = cues(
    "the our my your his her their some two three four five few several year yr our these this that"
)
# Groups that are also everyday subjects ("the girls", "the men"): need "all", "typical"...
_EVERYDAY_GROUPS = cues(
    "women woman girls females men males disabled feminists foreigners foreigner"
)
# Threats: what may come before a violent verb ("I'll", "someone should") ...
_INTENT = cues(
    """
    i'll ill will gonna going wanna want wants wanted 'd i'd would should could let need needs
    like love try dare tempted swear somebody someone
    """
)
# ... and after its object, when the "threat" is banter: "I'll hit you up", "smash you at darts".
_NOT_AFTER_OBJECT = cues(
    "up out at over later tomorrow off with back for a an some across through round into"
)
_BODY = cues("face head mouth gob teeth nose throat stomach gut guts balls neck back legs eye eyes")
_PARTICLE = {"beat": "up", "knock": "out"}
_DESERVE = cues(
    """
    deserve deserves deserved deserving need needs needed want wants wanted asking getting get
    gets given
    """
)
_SHOULD = cues("should ought deserves deserve deserved needs need want wants wanted")

_TARGET_SCORES = {"you": 0.9, "role": 0.85, "name": 0.85, "mention": 0.85, "place": 0.65}


class HarassmentDetector(Detector):
    rules: ClassVar[tuple[Rule, ...]] = (HA101, HA102, HA103)

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self.insults = load("insults")
        self.slurs = load("slurs")
        self.groups = load("harassment-groups")
        self.threats = load("threats")
        targets = load("harassment-targets")
        self.targets = targets
        self.kind = {w: e.tag for w, e in targets.words.items()}
        self.names = _context_names(context)

    # -- targets ---------------------------------------------------------------------------

    def target_at(self, toks: Sequence[Token], k: int, phrases: dict[int, str]) -> str | None:
        """What kind of target token ``k`` is: you, self, pronoun, role, place, name, mention."""
        tok = toks[k]
        if tok.mention:
            return "mention"
        if k in phrases:
            return phrases[k]
        word = tok.word
        for suffix in ("'s", "'re"):
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                word = word[: -len(suffix)]
        kind = self.kind.get(word)
        if kind is not None:
            if word in ("head", "heads") and k > 0 and toks[k - 1].word in _OWN_BODY:
                return None  # "my head is useless today"
            return kind
        if word in self.names and (
            tok.capital or (k > 0 and toks[k - 1].capital and toks[k - 1].word in self.names)
        ):
            return "name"  # "Storm pearce": a known forename with its surname in lower case
        if k > 0 and toks[k - 1].word in _TITLES and (tok.capital or not tok.brk):
            return "name"
        if word in _TITLES and k + 1 < len(toks) and toks[k + 1].capital:
            return "name"
        if word == "year" and k + 1 < len(toks) and toks[k + 1].word.isdigit():
            return "role"  # "Year 9"
        if word.isdigit() and k > 0 and toks[k - 1].word in ("year", "yr"):
            return "role"
        if len(word) in (2, 3) and word[0] == "y" and word[1:].isdigit():
            return "role"  # "Y9", "y10"
        return None

    def _role_phrases(self, toks: Sequence[Token]) -> dict[int, str]:
        """Token indices covered by multi-word targets ("head teacher", "chair of governors")."""
        out: dict[int, str] = {}
        for m in self.targets.find(toks):
            if m.j - m.i > 1:
                for k in range(m.i, m.j):
                    out[k] = m.entry.tag
        return out

    def aimed_at(
        self, toks: Sequence[Token], m: Match, phrases: dict[int, str], forward: bool = True
    ) -> tuple[str, int] | None:
        """The target an insult at ``m`` is aimed at, and its token index, or None.

        Backwards over glue to a target ("the head is such a ... idiot"), stopping at the
        author ("I'm such an idiot") or any other word ("this weather is pathetic"); then
        forwards over a determiner or two ("useless governors", "what an idiot that parent is").
        """
        k = m.i - 1
        steps = 0
        while k >= 0 and steps < 7 and not toks[k + 1].brk:
            word = toks[k].word
            kind = self.target_at(toks, k, phrases)
            if word in _NEGATION:
                return None
            if kind == "self":
                return None
            if kind is not None and kind != "pronoun":
                if kind != "you" and self._after_preposition(toks, k):
                    return None  # "the trip with the kids was a nightmare": not the subject
                return kind, k
            if kind == "pronoun":
                return ("pronoun", k) if word not in ("his", "their", "her") else None
            glue = word in _GLUE or word in _WEAK_MODIFIERS
            if not glue and self.insults.lookup(word) is None:
                break
            k -= 1
            steps += 1
        if not forward:
            return None
        k = m.j
        steps = 0
        while k < len(toks) and steps < 3 and not toks[k].brk and not toks[k].comma:
            kind = self.target_at(toks, k, phrases)
            if kind is not None and kind not in ("self", "pronoun", "you"):
                return kind, k
            if toks[k].word not in _FORWARD_GLUE:
                break
            k += 1
            steps += 1
        return None

    @staticmethod
    def _after_preposition(toks: Sequence[Token], k: int) -> bool:
        j = k - 1
        if j >= 0 and not toks[k].brk and toks[j].word in _DETERMINERS:
            j -= 1
            if toks[j + 1].brk:
                return False
        return j >= 0 and not toks[j + 1].brk and toks[j].word in _PREPOSITIONS

    def _subject_of(
        self, toks: Sequence[Token], m: Match, phrases: dict[int, str]
    ) -> tuple[str, int] | None:
        """A looser reading for "<target> <a clause> is <insult>": "the supply we had in today
        was a brain-dead slug", "that parent who screamed at me is a vile waste of oxygen".
        Back over glue to a verb "to be", then up to ten words back to a target that opens
        a noun phrase ("the supply", "that parent")."""
        k = m.i - 1
        while k >= 0 and not toks[k + 1].brk and toks[k].word in _GLUE:
            if toks[k].word in _BE:
                break
            k -= 1
        if k < 0 or toks[k].word not in _BE:
            return None
        stop = max(-1, k - 11)
        k -= 1
        while k > stop and not toks[k + 1].brk:
            kind = self.target_at(toks, k, phrases)
            opens = k == 0 or toks[k].brk or toks[k].comma
            if kind == "role" and k > 0 and toks[k - 1].word in _DETERMINERS:
                opens = k - 1 == 0 or toks[k - 1].brk or toks[k - 1].comma
            if kind in ("role", "name", "mention") and opens:
                return kind, k  # the subject of the clause, not "the trip with the kids"
            k -= 1
        return None

    # -- detection -------------------------------------------------------------------------

    def detect(self, doc: Document) -> Iterator[Span]:
        toks = tokens(doc)
        if not toks:
            return
        phrases = self._role_phrases(toks)
        yield from self._insults(toks, phrases, doc)
        yield from self._hate(toks, phrases, doc)
        yield from self._threats(toks, phrases, doc)

    def _insults(
        self, toks: Sequence[Token], phrases: dict[int, str], doc: Document
    ) -> Iterator[Span]:
        anchored = any(
            self.target_at(toks, k, phrases) in ("role", "name", "mention")
            for k in range(len(toks))
        )
        for m in self.insults.find(toks):
            tag = m.entry.tag
            if tag == "weak":
                before = words_before(toks, m.i, 1)
                vocative = bool(before) and before[0] in ("you", "ya", "u")
                if not vocative and not (before and before[0] in _WEAK_MODIFIERS):
                    continue
            target = self.aimed_at(toks, m, phrases) or self._subject_of(toks, m, phrases)
            if target is None:
                continue
            kind, k = target
            if kind == "pronoun":
                if not anchored:
                    continue  # "he's an idiot" about a footballer: nobody at school is named
                score, who = 0.7, toks[k].word
            else:
                score = _TARGET_SCORES.get(kind, 0.85)
                who = "you" if kind == "you" else toks[k].word
                if kind == "role" and words_before(toks, k, 1) == ["my"] and who in _OWN:
                    score = 0.6  # "my kids": the author's own children, perhaps
            if kind == "role" and toks[k].word.isdigit() and k > 0:
                k -= 1  # "Year 9"
                who = f"{toks[k].word} {toks[k + 1].word}"
            if kind == "name":
                while (
                    k > 0
                    and not toks[k].brk
                    and (toks[k - 1].capital or toks[k - 1].word in _TITLES)
                ):
                    k -= 1  # the whole name: "Dave Jones", "Mrs Patel"
            first, last = min(k, m.i), max(k + 1, m.j)
            reason = f"'{m.entry.term}' aimed at {_describe(kind, who)}"
            yield self.span(
                "HA101", toks[first].start, toks[last - 1].end, score, reason, doc, doc.plain
            )

    def _reported(self, toks: Sequence[Token], i: int, j: int) -> bool:
        """Is the sentence around tokens i..j quoting or reporting words, not using them?"""
        for a, b in sentences(toks):
            if a <= i < b:
                if toks[i].quoted:
                    return True
                return any(toks[k].word in _REPORTED for k in range(a, b) if not i <= k < j)
        return False

    def _hate(
        self, toks: Sequence[Token], phrases: dict[int, str], doc: Document
    ) -> Iterator[Span]:
        for m in self.slurs.find(toks):
            entry = m.entry
            kinds = sorted(entry.tags - {"ambiguous"})
            kind = kinds[0] if kinds else "protected characteristic"
            before = words_before(toks, m.i, 2)
            aimed = self.aimed_at(toks, m, phrases) is not None or any(
                w in _SLUR_CUES for w in before
            )
            if "ambiguous" in entry.tags:
                if not aimed:
                    continue
                score = 0.75
            else:
                score = 0.9
            if self._reported(toks, m.i, m.j):
                score = min(score, 0.6)  # quoted or reported: a person should look
            reason = f"slur ({kind})"
            first, last = toks[m.i], toks[m.j - 1]
            yield self.span("HA102", first.start, last.end, score, reason, doc, doc.plain)
        yield from self._hate_statements(toks, doc)

    def _hate_statements(self, toks: Sequence[Token], doc: Document) -> Iterator[Span]:
        found = self.groups.find(toks)
        for m in found:
            if m.entry.tag == "standalone":
                score = 0.6 if self._reported(toks, m.i, m.j) else 0.75
                reason = f"hostile to people of another origin or faith: '{m.entry.term}'"
                yield self.span(
                    "HA102", toks[m.i].start, toks[m.j - 1].end, score, reason, doc, doc.plain
                )
        groups = [m for m in found if m.entry.tag == "group"]
        if not groups:
            return
        others = [m for m in found if m.entry.tag not in ("group", "standalone")]
        for g in groups:
            before = words_before(toks, g.i, 2)
            everyday = g.entry.term in _EVERYDAY_GROUPS
            if any(w in _NEGATION for w in before):
                continue  # "not all Muslims are ..."
            generalised = bool(before) and before[0] in _GENERALISERS
            bare = not before or (before[0] not in _SPECIFIC and not before[0].isdigit())
            if everyday and generalised and before[0] in ("these", "those"):
                generalised_ok = False  # "these girls were ...": a day out, not a generalisation
            else:
                generalised_ok = generalised or bare
            best: tuple[float, Match] | None = None
            for o in others:
                tag = o.entry.tag
                if tag == "hate-verb" and 0 < g.i - o.j + 1 <= 3 and o.j <= g.i:
                    # "I hate all ...", "deport the ...": the verb right before the group
                    between = [t.word for t in toks[o.j : g.i]]
                    if all(w in ("all", "the", "these", "those", "them") for w in between):
                        score = 0.6 if everyday else 0.8
                        best = max(best or (0.0, o), (score, o), key=lambda x: x[0])
                elif tag in ("dehumanising", "exclusion") and o.i >= g.j and generalised_ok:
                    gap = [t.word for t in toks[g.j : o.i]]
                    if len(gap) > 5 or any(toks[k].brk for k in range(g.j, o.i + 1)):
                        continue
                    if any(w in _NEGATION for w in gap):
                        continue
                    if tag == "dehumanising" and not (gap and gap[0] in _HATE_LINKS):
                        continue
                    if (
                        tag == "exclusion"
                        and gap
                        and not all(w in _HATE_LINKS or w in _GLUE for w in gap)
                    ):
                        continue
                    if gap and gap[0] in ("was", "were"):
                        continue
                    score = 0.85
                    best = max(best or (0.0, o), (score, o), key=lambda x: x[0])
            if best is None:
                continue
            score, o = best
            i, j = min(g.i, o.i), max(g.j, o.j)
            if self._reported(toks, i, j):
                score = min(score, 0.6)
            reason = f"demeaning statement about {g.entry.term}"
            yield self.span("HA102", toks[i].start, toks[j - 1].end, score, reason, doc, doc.plain)

    def _threats(
        self, toks: Sequence[Token], phrases: dict[int, str], doc: Document
    ) -> Iterator[Span]:
        for m in self.threats.find(toks):
            tags = m.entry.tags
            hit: tuple[int, int, float, str] | None = None
            if "threat" in tags:
                hit = (m.i, m.j, 0.85, f"threat '{m.entry.term}'")
            elif "warning" in tags:
                after = words_after(toks, m.j, 2)
                if after[:1] in (["not"], ["missing"], ["missed"], ["that"], ["if"]):
                    continue  # "you'll regret missing it!"
                if after[:2] == ["it", "if"]:
                    continue
                hit = (m.i, m.j, 0.6, f"warning '{m.entry.term}'")
            if hit is None and "harm" in tags:
                hit = self._harm(toks, m, phrases)
            if hit is None and "deserve" in tags:
                hit = self._deserves(toks, m, phrases)
            if hit is None and "passive" in tags:
                hit = self._should_be(toks, m, phrases)
            if hit is None:
                continue
            i, j, score, reason = hit
            if self._reported(toks, i, j) and toks[i].quoted:
                score = min(score, 0.6)
            yield self.span("HA103", toks[i].start, toks[j - 1].end, score, reason, doc, doc.plain)

    def _harm(
        self, toks: Sequence[Token], m: Match, phrases: dict[int, str]
    ) -> tuple[int, int, float, str] | None:
        """'I'll slap him', 'someone should punch the head': intent, a violent verb, a person."""
        before = words_before(toks, m.i, 3)
        if not any(w in _INTENT or w.endswith("'ll") for w in before):
            return None
        if any(w in _NEGATION for w in before):
            return None
        k = m.j
        while k < len(toks) and not toks[k].brk and toks[k].word in _DETERMINERS and k - m.j < 2:
            k += 1
        if k >= len(toks) or toks[k].brk:
            return None
        kind = self.target_at(toks, k, phrases)
        object_words = {"him", "her", "them", "you", "ya", "u", "yous", "y'all"}
        if kind in (None, "self", "place") and toks[k].word not in object_words:
            return None
        after = words_after(toks, k + 1, 2)
        verb = m.entry.term
        if verb in _PARTICLE:
            if not after or after[0] != _PARTICLE[verb]:
                return None
        elif after and after[0] in _NOT_AFTER_OBJECT:
            return None
        elif (
            after and after[0] == "in" and not any(w in _BODY for w in words_after(toks, k + 2, 3))
        ):
            return None  # "I'll beat you in the race", not "punch you in the face"
        score = 0.6 if "could" in before else 0.85 if kind in ("you", "role", "name") else 0.75
        return m.i, k + 1, score, f"threat to {verb} {_describe(kind or 'pronoun', toks[k].word)}"

    def _deserves(
        self, toks: Sequence[Token], m: Match, phrases: dict[int, str]
    ) -> tuple[int, int, float, str] | None:
        """'That parent needs a good slap', 'the kids deserve a hiding'."""
        before = words_before(toks, m.i, 3)
        if not any(w in _DESERVE for w in before):
            return None
        if any(w in _NEGATION for w in before):
            return None
        return self._subject_target(toks, m, phrases, 7, f"'{m.entry.term}' wished on")

    def _should_be(
        self, toks: Sequence[Token], m: Match, phrases: dict[int, str]
    ) -> tuple[int, int, float, str] | None:
        """'The head should be shot', 'they want stringing up'."""
        before = words_before(toks, m.i, 3)
        if "be" not in before or not any(w in _SHOULD for w in before):
            return None
        if any(w in _NEGATION for w in before):
            return None
        return self._subject_target(toks, m, phrases, 7, f"'{m.entry.term}' wished on")

    def _subject_target(
        self, toks: Sequence[Token], m: Match, phrases: dict[int, str], reach: int, what: str
    ) -> tuple[int, int, float, str] | None:
        k = m.i - 1
        while k >= 0 and m.i - k <= reach and not toks[k + 1].brk:
            kind = self.target_at(toks, k, phrases)
            if kind == "self":
                return None
            if kind is not None and kind != "place":
                score = 0.7 if kind == "pronoun" else 0.85
                return k, m.j, score, f"{what} {_describe(kind, toks[k].word)}"
            k -= 1
        return None


_OWN_BODY = cues("my his her your their our")
_OWN = cues("kids kid children child boys girls")
_FORWARD_GLUE = cues(
    "the our this that these those a an of at in on from running who bloody fucking lot bunch "
    "called new"
)
_DETERMINERS = cues("the that this those these our your his her their a")
_BE = cues("is are was were 's 're been")
_PREPOSITIONS = cues("with to for about from at of in on by into onto than like without")
# Words before a slur with another meaning that make it the slur: "you ...", "a dirty ...".
_SLUR_CUES = cues(
    """
    you ya u ur your a an such dirty filthy fucking bloody stupid little fat typical bunch
    those these them dat some total absolute
    """
)


def _describe(kind: str, who: str) -> str:
    if kind == "you":
        return "you"
    if kind == "mention":
        return f"@{who}"
    if kind == "name":
        return f"{who.title()}"
    if kind == "place":
        return "the school"
    if kind == "pronoun":
        return f"'{who}'"
    return f"the {who}"


def _context_names(context: ScreeningContext) -> frozenset[str]:
    """Lower-case parts of every name the context knows (staff, parents, pupils), but not the
    author's own, matched only where the post writes them with a capital."""
    names: set[str] = set()
    parts = list(context.school.staff) + [p.name for p in context.parents]
    for pupil in context.pupils:
        parts.extend(p for p in (pupil.forename, pupil.surname, pupil.preferred_name) if p)
    own = set((context.author.name or "").lower().split())
    for name in parts:
        for part in name.lower().replace("-", " ").split():
            if len(part) > 1 and part not in own and part not in _TITLES:
                names.add(part)
    return frozenset(names)
