"""Harassment and hate: insults aimed at someone (HA101), slurs and hate speech about a protected
characteristic (HA102), threats and intimidation (HA103).

An insult word alone is not harassment: "I'm such an idiot" and "this weather is pathetic" are
not aimed at anyone. HA101 reports an insult only where the sentence aims it at a target: "you",
a role at the school ("the head", "SLT", "these kids", "Year 9"), anyone else the policy
protects as much ("the bloke at the garage", "whoever nicked the tin", "the ref"), a named
person or an @mention. It reads the words between target and insult, which may only be glue
("is", "such a", "an absolute", a free adjective or two after an article: "a blind muppet");
anything else ("this weather is") breaks the link. Words come from the ``plain`` view, so the
same disguises as for swear words are seen through.

HA102 reads a group (a protected characteristic, alone or before any people noun: "trans
'teachers'", "Eastern European families"), or a word pointing back to one ("they", "the rest"),
followed by a demeaning claim, an exclusion or a denied capacity; a hint of a stereotype beside
a named group ("... lock up your tools"); or exclusion asked as a question ("why should ... be
allowed"). HA103 reads threats of violence, of damage to property, injuries promised on a
condition ("say that again and ..."), wishes of harm, and details posted with an incitement.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import ClassVar

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.detectors.contact_values import find_emails, find_phones
from boundaries.screening.normalise import Document
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings
from boundaries.screening.wordlists import (
    Lexicon,
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
    absolute complete utter massive big little biggest most all bunch lot load pack of group shower
    herd gaggle band
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
    "lying sneaky two-faced smug arrogant greedy little dozy daft thick slimy patronising "
    "condescending snooty nosy gobby mouthy grumpy moody bitter pompous sour sad thieving "
    "cheating backstabbing snivelling scheming stuck-up jumped-up"
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
_PREDICATES = frozenset({"dehumanising", "exclusion", "capability"})
# Words that point back to a group named just before ("they", "them"), and pairs that do
# ("the rest", "that lot", "their sort", "those people").
_THEY = cues("they them they're theyre")
_POINTERS = frozenset(
    {
        ("rest", "the"),
        ("lot", "that"),
        ("lot", "their"),
        ("sort", "their"),
        ("kind", "their"),
        ("people", "those"),
        ("people", "these"),
        ("type", "that"),
    }
)
# Predicates that also describe a passing state ("filthy after forest school", "sick on the
# coach"): a generalisation only when the group is named bare ("Muslims are filthy").
_STATES = cues(
    "dirty filthy disgusting sick stupid thick lazy useless worthless dangerous evil confused"
)
_ALLOWED = cues("allowed teaching near around working let trusted")


# A place or time phrase between a group and its verb: "the immigrants round here are",
# "Muslims in this town are", "the Poles at our school are".
_PLACE_WORDS = cues("round around in at on near from across over here there nowadays these days")
_VERBS_AFTER_PLACE = cues("are is 're should must need needs ought deserve deserves don't do can't")


def _skip_place(gap: list[str]) -> list[str]:
    """The gap with a leading place phrase (up to four words, then a verb) left out."""
    if not gap or gap[0] not in _PLACE_WORDS or gap[0] in _HATE_LINKS:
        return gap
    for k in range(1, min(len(gap), 5)):
        if gap[k] in _VERBS_AFTER_PLACE:
            return gap[k:]
    return gap


def _plural(term: str) -> bool:
    last = term.rsplit(" ", 1)[-1]
    return last.endswith("s") or last in ("people", "men", "women", "children", "folk", "staff")


# Threats: what may come before a violent verb ("I'll", "someone should") ...
_INTENT = cues(
    """
    i'll ill will gonna going wanna want wants wanted 'd i'd would should could let need needs
    like love try dare tempted swear somebody someone
    """
)
# Damage to property needs an intent: "is getting a brick through their window".
_GETTING = cues("getting gets get gonna going deserves deserve i'm im am we're")
_LAUGHING = cues("lol lmao haha hahaha jk joking kidding")
_LAUGH_EMOJI = ("😂", "🤣", "😆", "😅", "😜")
_PROPERTY = cues("car cars tyres tires van house home windows window windscreen bike shed")
# What makes a promised injury a threat: "... or", "say that again and", "don't you dare".
_CONDITION = cues("or else again dare next ever touch touches more find")
_ANYONE_WHO = cues("next whoever anyone anybody")
# A post about an injury or an operation: "won't be walking for a while" is a prognosis.
_INJURY = cues(
    """
    op operation surgery knee knees hip hips ankle ankles injury injured broke broken sprained
    sprain marathon physio physiotherapy stretch stretching fracture fractured cast crutches
    hospital recovery recovering replacement fall falls fell falling slip slips slipped trip
    trips tripped careful
    """
)
# A grievance that makes posting someone's details an incitement ...
_GRIEVANCE = cues(
    """
    slagging slagged bad-mouthing badmouthing slander slandering lies lying spreading reported
    complained grassed snitched troll trolling harassing
    """
)
# ... and the details themselves: a postcode, a mobile number, an e-mail address.
# Where someone lives; phone numbers and e-mail addresses come from contact_values, found once
# per post for the personal-data rules too.
_WHERE_THEY_LIVE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"
    r"|\b\d{1,4} [A-Z][a-z]+ (?:Road|Street|Lane|Avenue|Close|Drive|Way|Crescent|Grove|Court)\b"
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
_GIVE = cues("give gave giving")
_SHOULD = cues("should ought deserves deserve deserved needs need want wants wanted")

_TARGET_SCORES = {
    "you": 0.9,
    "role": 0.85,
    "name": 0.85,
    "mention": 0.85,
    "person": 0.8,
    "place": 0.65,
}


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
        # Only the multi-word targets ("head teacher"), so that a post's "you"s and "he"s do
        # not each start a look-up.
        self.target_phrases = Lexicon(
            line
            for by_length in targets.phrases.values()
            for _, table in by_length
            for entry in table.values()
            for line in (f"[{entry.tag}]", entry.term)
        )
        self.kind = {w: e.tag for w, e in targets.words.items()}
        # Before a weak insult ("cow", "goat"), an insulting adjective also makes it one.
        self.modifiers = (
            _WEAK_MODIFIERS
            | _INTENSIFIERS
            | frozenset(w for w, e in self.insults.words.items() if e.tag == "adjective")
        )
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
        return None

    def _role_phrases(self, toks: Sequence[Token]) -> dict[int, str]:
        """Token indices covered by multi-word targets ("head teacher", "chair of governors")."""
        out: dict[int, str] = {}
        for m in self.target_phrases.find(toks):
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
        k = self._adjectives_before(toks, m)
        steps = 0
        while k >= 0 and steps < 7 and not toks[k + 1].brk:
            word = toks[k].word
            kind = self.target_at(toks, k, phrases)
            if word in _NEGATION:
                return None
            if kind == "self":
                return None
            if kind is not None and kind != "pronoun" and self._possessive(toks, k, m):
                return None  # "the neighbour's fat dog": the dog, not the neighbour
            if kind is not None and kind != "pronoun":
                if kind != "you" and self._after_preposition(toks, k):
                    return None  # "the trip with the kids was a nightmare": not the subject
                return kind, k
            if kind == "pronoun":
                return ("pronoun", k) if word not in ("his", "their", "her") else None
            glue = word in _GLUE or word in self.modifiers
            if not glue and self.insults.lookup(word) is None and not self._coordinated(toks, k):
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
                if toks[k].word.endswith("'s") and k + 1 < len(toks) and not toks[k + 1].brk:
                    return None  # "cripple our people's ability": whose, not who
                between = [t.word for t in toks[m.j : k]]
                if kind == "person" and between not in (["of", "a"], ["of", "an"], ["that"]):
                    return None  # "a nightmare of a woman", not "catches the worm people"
                return kind, k
            if toks[k].word not in _FORWARD_GLUE and not (toks[k].capital and not toks[k].brk):
                break  # glue, or a proper name before the target: "useless Northshire Council"
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
        if j >= 0 and not toks[j + 1].brk and toks[j].word in _PREPOSITIONS:
            # "some of our parents are ...": "of" after a quantifier still names the subject.
            return not (
                toks[j].word == "of" and j > 0 and not toks[j].brk and toks[j - 1].word in _SOME
            )
        return False

    @staticmethod
    def _referring(toks: Sequence[Token], m: Match) -> tuple[str, int] | None:
        """The insult names the person itself: "to the idiot who parked in the disabled bay",
        "some moron has nicked my bike"."""
        if m.entry.tag != "noun" or "vermin" in m.entry.tags or m.entry.term in _NOT_REFERRING:
            return None
        if m.i == 0 or toks[m.i].brk or toks[m.i - 1].word not in _REFERRING:
            return None
        if m.j >= len(toks) or toks[m.j].brk or toks[m.j].word not in _RELATIVE:
            return None
        return "person", m.i

    @staticmethod
    def _coordinated(toks: Sequence[Token], k: int) -> bool:
        """Is word ``k`` the first noun of "a cowboy and an utter waste of space": an article
        before it, "and" after it?"""
        return (
            0 < k < len(toks) - 1
            and toks[k + 1].word in ("and", "or")
            and not toks[k + 1].brk
            and not toks[k].brk
            and toks[k - 1].word in _ARTICLES
        )

    @staticmethod
    def _possessive(toks: Sequence[Token], k: int, m: Match) -> bool:
        """Is target ``k`` written "<target>'s" and owning what follows ("the neighbour's fat
        dog", "Mr Twit's beard"), rather than "<target> is" ("the owner's a lump of lard")?"""
        if not toks[k].word.endswith("'s") or k + 1 >= len(toks):
            return False
        nxt = k + 1
        if nxt == m.i:
            # "the head's useless" (is) or "the neighbour's fat cat" (whose): a noun after
            # the insult makes it the owner's.
            after = m.j
            return (
                m.entry.tag == "adjective"
                and after < len(toks)
                and not toks[after].brk
                and not toks[after].comma
                and toks[after].word.isalpha()
                and toks[after].word not in _GLUE
                and toks[after].word not in _PREPOSITIONS
                and toks[after].word not in _CONJUNCTIONS
            )
        return toks[nxt].word not in _GLUE and toks[nxt].word not in _NEGATION

    def _adjectives_before(self, toks: Sequence[Token], m: Match) -> int:
        """Where the walk back from a noun insult starts: before up to two free adjectives that
        follow an article ("a blind muppet", "a miserable old goat", "a clueless dinosaur")."""
        k = m.i - 1
        if m.entry.tag == "adjective":
            return k
        skipped = 0
        while (
            k >= 0
            and skipped < 2
            and not toks[k + 1].brk
            and not toks[k + 1].comma
            and toks[k].word.isalpha()
            and toks[k].word not in _GLUE
            and toks[k].word not in _NEGATION
            and (not toks[k].capital or toks[k].brk)
            and self.kind.get(toks[k].word) is None
        ):
            k -= 1
            skipped += 1
        if (
            skipped
            and k >= 0
            and not toks[k + 1].brk
            and (toks[k].word in _ARTICLES or toks[k].word in _BE)
        ):
            return k
        return m.i - 1

    def _subject_of(
        self, toks: Sequence[Token], m: Match, phrases: dict[int, str]
    ) -> tuple[str, int] | None:
        """A looser reading for "<target> <a clause> is <insult>": "the supply we had in today
        was a brain-dead slug", "that parent who screamed at me is a vile waste of oxygen".
        Back over glue to a verb "to be", then up to ten words back to a target that opens
        a noun phrase ("the supply", "that parent")."""
        # "has the brains of a boiled cabbage": a comparison is linked by "has" as well as "is".
        links = _BE | _HAVE if m.entry.tag == "comparison" else _BE
        k = self._adjectives_before(toks, m)
        fused = False  # "the bloke next door's a slob": "is" written onto the last word
        while k >= 0 and not toks[k + 1].brk:
            word = toks[k].word
            if word in links:
                break
            if word.endswith("'s") and k + 1 < len(toks) and toks[k + 1].word in _ARTICLES:
                fused = True
                break
            if word not in _GLUE and self.insults.lookup(word) is None:
                break  # "is a cowboy and a liar": other insults are glue too
            k -= 1
        if k < 0 or not (fused or toks[k].word in links):
            return None
        stop = max(-1, k - 11)
        if not fused:
            k -= 1
        while k > stop and not toks[k + 1].brk:
            kind = self.target_at(toks, k, phrases)
            opens = _opens(toks, k)
            if kind in ("role", "person") and k > 0 and toks[k - 1].word in _DETERMINERS:
                opens = _opens(toks, k - 1)
            if kind in ("role", "name", "mention", "person") and opens:
                e = k  # the last word of the target: "Mr Twit's", "the head teacher's"
                while (
                    e + 1 < m.i
                    and not toks[e + 1].brk
                    and (
                        phrases.get(e + 1) is not None
                        or (
                            kind == "name"
                            and toks[e + 1].capital
                            and not toks[e].word.endswith("'s")
                        )
                    )
                ):
                    e += 1
                if self._possessive(toks, e, m):
                    return None  # "Mr Twit's beard is disgusting"
                return kind, k  # the subject of the clause, not "the trip with the kids"
            k -= 1
        return None

    # -- detection -------------------------------------------------------------------------

    def detect(self, doc: Document) -> Iterator[Span]:
        toks = tokens(doc)
        if not toks:
            return
        phrases = self._role_phrases(toks)
        for k in year_groups(doc):
            phrases.setdefault(k, "role")  # "Y9 are vile"
        yield from self._insults(toks, phrases, doc)
        yield from self._hate(toks, phrases, doc)
        yield from self._threats(toks, phrases, doc)

    def _insults(
        self, toks: Sequence[Token], phrases: dict[int, str], doc: Document
    ) -> Iterator[Span]:
        anchored: bool | None = None  # does the post name anyone? Worked out when needed
        for m in self.insults.find(toks):
            tag = m.entry.tag
            if tag == "weak":
                before = words_before(toks, m.i, 2)
                vocative = bool(before) and before[0] in ("you", "ya", "u")
                if before[:1] == ["of"] and before[1:] and before[1] in _COLLECTIVE:
                    before = ["you"]  # "a pack of hyenas", "a bunch of sheep"
                    vocative = True
                modified = bool(before) and before[0] in self.modifiers
                if before[:1] and before[0] in _ARE and m.entry.term in _BEASTS:
                    modified = True  # "the kids are animals": said of people, checked below
                if modified and before[0] in _INTENSIFIERS and m.entry.term in _PRAISE_TOO:
                    modified = False  # "an absolute animal on the pitch"
                if not vocative and not modified:
                    continue
            target = (
                self.aimed_at(toks, m, phrases)
                or self._subject_of(toks, m, phrases)
                or self._referring(toks, m)
            )
            if target is None:
                continue
            kind, k = target
            if kind == "name" and (self._named_for_insult(toks, k) or self._titled(toks, m)):
                continue  # "Mr Twit", "Mr Grumpy": a character named for the word
            if kind == "person" and k < m.i and m.entry.term in _SOFT:
                continue  # "the ref was a joke": said of a stranger, a verdict more than an insult
            if kind == "pronoun":
                if anchored is None:
                    anchored = any(
                        self.target_at(toks, x, phrases) in ("role", "name", "mention", "person")
                        for x in range(len(toks))
                    )
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
            elif kind == "role" and phrases.get(k) == "role" and toks[k].word[0] == "y":
                s, e = doc.plain.to_original(toks[k].start, toks[k].end)
                who = doc.original[s:e]  # "Y5": the plain view reads it "ys"
            while k > 0 and k in phrases and phrases.get(k - 1) == phrases[k] and not toks[k].brk:
                k -= 1  # the whole of "HR team", "head teacher"
            if kind == "name":
                while (
                    k > 0
                    and not toks[k].brk
                    and (toks[k - 1].capital or toks[k - 1].word in _TITLES)
                ):
                    k -= 1  # the whole name: "Dave Jones", "Mrs Patel"
            first, last = min(k, m.i), max(k + 1, m.j)
            if k == m.i:
                reason = f"'{m.entry.term}' used to name someone"
            else:
                reason = f"'{m.entry.term}' aimed at {_describe(kind, who)}"
            yield self.span(
                "HA101", toks[first].start, toks[last - 1].end, score, reason, doc, doc.plain
            )

    def _named_for_insult(self, toks: Sequence[Token], k: int) -> bool:
        """Is the name at ``k`` (after its title) itself an insult word: "Mr Twit is ..."?"""
        if toks[k].word in _TITLES:
            k += 1
        return (
            k < len(toks)
            and toks[k].capital
            and self.insults.lookup(toks[k].word.removesuffix("'s")) is not None
        )

    @staticmethod
    def _titled(toks: Sequence[Token], m: Match) -> bool:
        """Is the insult itself written as a name after a title ("Mr Twit", "Little Miss
        Bossy")?"""
        return m.i > 0 and toks[m.i].capital and toks[m.i - 1].word in _TITLES

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
        spans = sentences(toks)
        subjects = [(g.i, g.j, g, self._generalised(toks, g)) for g in groups]
        subjects += self._references(toks, subjects, spans)
        done: set[int] = set()  # a group found hateful once is enough
        for i0, j0, g, generalised_ok in subjects:
            if id(g) in done:
                continue
            hit = self._hateful(toks, i0, j0, g, generalised_ok, others, spans)
            if hit is None or _rebutted(toks, doc, hit[2] - 1, spans):
                continue
            done.add(id(g))
            score, a, b, what = hit
            if self._reported(toks, a, b - 1):
                score = min(score, 0.6)
            reason = f"{what} about {g.entry.term}"
            yield self.span("HA102", toks[a].start, toks[b - 1].end, score, reason, doc, doc.plain)

    @staticmethod
    def _generalised(toks: Sequence[Token], g: Match) -> str:
        """Does the post speak of the group as a whole? "yes" ("Muslims are", "all women"),
        "the" ("the immigrants", "the SEN kids": perhaps a whole group, perhaps a class), or ""
        (some of its members: "these girls were", "my Polish neighbour")."""
        before = words_before(toks, g.i, 2)
        if any(w in _NEGATION for w in before):
            return ""  # "not all Muslims are ..."
        everyday = g.entry.term in _EVERYDAY_GROUPS
        if not before:
            return "yes"
        first = before[0]
        if first in _GENERALISERS:
            return "" if everyday and first in ("these", "those") else "yes"  # "these girls"
        if first == "the":
            return "the" if not everyday and _plural(g.entry.term) else ""
        return "yes" if first not in _SPECIFIC and not first.isdigit() else ""

    def _references(
        self,
        toks: Sequence[Token],
        subjects: list[tuple[int, int, Match, str]],
        spans: list[tuple[int, int]],
    ) -> list[tuple[int, int, Match, str]]:
        """Words that point back to a group named just before: "they", "them", "the rest",
        "that lot", "their sort", "those people" ("Why do we bend over backwards for the SEN
        kids? Half of them ... and the rest should be ...")."""
        out: list[tuple[int, int, Match, str]] = []
        for i0, j0, g, generalised_ok in subjects:
            if not generalised_ok:
                continue
            # Up to the end of the sentence after the group's.
            limit = next((b for a, b in spans if a <= i0 < b), len(toks))
            limit = next((b for a, b in spans if a == limit), limit)
            for k in range(j0, limit):
                word = toks[k].word
                prev = toks[k - 1].word if k > 0 and not toks[k].brk else ""
                if word in _THEY or (word, prev) in _POINTERS:
                    start = k - 1 if (word, prev) in _POINTERS else k
                    out.append((start, k + 1, g, "the"))  # "they": only the strong claims
        return out

    def _hateful(
        self,
        toks: Sequence[Token],
        i0: int,
        j0: int,
        g: Match,
        generalised_ok: str,
        others: list[Match],
        spans: list[tuple[int, int]],
    ) -> tuple[float, int, int, str] | None:
        """The best hateful reading of the group (or a word pointing back to it) at i0..j0:
        (score, first token, end token, what it is), or None."""
        everyday = g.entry.term in _EVERYDAY_GROUPS
        real = g.i == i0  # the group itself, not "they" pointing back to it
        sentence = next(((a, b) for a, b in spans if a <= i0 < b), (0, len(toks)))
        best: tuple[float, int, int, str] | None = None

        def keep(score: float, o: Match, what: str) -> None:
            nonlocal best
            if best is None or score > best[0]:
                best = (score, min(i0, o.i), max(j0, o.j), what)

        opener = any(o.entry.tag == "opener" and sentence[0] <= o.i < sentence[1] for o in others)
        for o in others:
            tag = o.entry.tag
            if tag == "hate-verb" and real and 0 < i0 - o.j + 1 <= 3 and o.j <= i0:
                # "I hate all ...", "deport the ...": the verb right before the group
                between = [t.word for t in toks[o.j : i0]]
                if all(w in ("all", "the", "these", "those", "them", "a", "any") for w in between):
                    keep(0.6 if everyday else 0.8, o, "hostility")
            elif tag in _PREDICATES and o.i >= j0 and generalised_ok:
                if generalised_ok == "the" and o.entry.term in _STATES:
                    continue  # "the SEN kids came back from forest school. They are filthy!"
                gap = _skip_place([t.word for t in toks[j0 : o.i]])
                if any(toks[k].brk for k in range(j0, o.i + 1)):
                    continue
                if any(w in _NEGATION for w in gap):
                    continue
                if gap and gap[0] in ("was", "were"):
                    continue  # "the girls were filthy after forest school": a day, not a kind
                if opener and len(gap) <= 10:
                    keep(0.8, o, "a demeaning generalisation")  # "I'm not racist but ..."
                    continue
                if len(gap) > 5:
                    continue
                if tag == "dehumanising" and not (gap and gap[0] in _HATE_LINKS):
                    continue
                if tag != "dehumanising" and not all(w in _HATE_LINKS or w in _GLUE for w in gap):
                    continue
                what = "a demeaning statement" if tag == "dehumanising" else "exclusion"
                keep(0.85, o, what)
            elif tag == "insinuation" and generalised_ok and real:
                # "Travellers on the rec again. Lock up your tools": within the next sentence.
                here = next((k for k, (a, b) in enumerate(spans) if a <= i0 < b), 0)
                there = next((k for k, (a, b) in enumerate(spans) if a <= o.i < b), 0)
                if 0 <= there - here <= 1:
                    keep(0.75, o, "a stereotype")
        if best is None and real and generalised_ok:
            best = self._who_should(toks, g)
        return best

    @staticmethod
    def _who_should(toks: Sequence[Token], g: Match) -> tuple[float, int, int, str] | None:
        """ "No way should gay men be allowed to teach", "why should they be allowed near
        kids": the question form of exclusion."""
        before = words_before(toks, g.i, 3)
        if not before or "should" not in before[:2]:
            return None
        if not any(w in ("way", "why", "how") for w in before):
            return None
        after = words_after(toks, g.j, 2)
        if len(after) < 2 or after[0] != "be" or after[1] not in _ALLOWED:
            return None
        start = g.i - before.index("should") - 1
        if before[0] != "should" and before[1] == "should":
            start = g.i - 2
        return 0.8, max(0, start), g.j + 2, "exclusion"

    def _threats(
        self, toks: Sequence[Token], phrases: dict[int, str], doc: Document
    ) -> Iterator[Span]:
        for m in self.threats.find(toks):
            tags = m.entry.tags
            hit: tuple[int, int, float, str] | None = None
            if "threat" in tags:
                hit = (m.i, m.j, 0.85, f"threat '{m.entry.term}'")
            elif "warning" in tags:
                if m.entry.term.endswith(("yourself", "himself", "herself", "themselves")) and (
                    not _HAZARDS.isdisjoint(t.word for t in toks)
                ):
                    continue  # "better watch yourself, the ice is lethal"
                after = words_after(toks, m.j, 2)
                if after[:1] in (["not"], ["missing"], ["missed"], ["that"], ["if"]):
                    continue  # "you'll regret missing it!"
                if after[:2] == ["it", "if"]:
                    continue
                hit = (m.i, m.j, 0.6, f"warning '{m.entry.term}'")
            if hit is None and "harm" in tags:
                hit = self._harm(toks, m, phrases, doc)
            if hit is None and "deserve" in tags:
                hit = self._deserves(toks, m, phrases)
            if hit is None and "passive" in tags:
                hit = self._should_be(toks, m, phrases)
            if hit is None and ("damage" in tags or "menace" in tags):
                hit = self._damage(toks, m)
            if hit is None and "damage verb" in tags:
                hit = self._damage_verb(toks, m)
            if hit is None and "consequence" in tags:
                hit = self._consequence(toks, m)
            if hit is None and "incite" in tags:
                hit = self._incite(toks, m, doc)
            if hit is None:
                continue
            i, j, score, reason = hit
            if self._reported(toks, i, j) and toks[i].quoted:
                score = min(score, 0.6)
            yield self.span("HA103", toks[i].start, toks[j - 1].end, score, reason, doc, doc.plain)

    @staticmethod
    def _damage(toks: Sequence[Token], m: Match) -> tuple[int, int, float, str] | None:
        """'Someone should slash his tyres', 'is getting a brick through their window':
        harm to property, with an intent (not "someone slashed my tyres last night")."""
        before = words_before(toks, m.i, 4)
        if any(w in _NEGATION for w in before):
            return None
        if not any(w in _INTENT or w in _GETTING or w.endswith("'ll") for w in before):
            return None
        what = "threat" if m.entry.tag == "menace" else "threat of damage"
        return m.i, m.j, 0.8, f"{what}: '{m.entry.term}'"

    @classmethod
    def _damage_verb(cls, toks: Sequence[Token], m: Match) -> tuple[int, int, float, str] | None:
        """'Someone should key the head's car': a damage verb, then what it damages within four
        words (not "I'll key in the code")."""
        k = m.j
        if k < len(toks) and toks[k].word in ("in", "into", "out", "up", "off"):
            return None
        while k < len(toks) and k - m.j < 4 and not toks[k].brk:
            if toks[k].word in _PROPERTY:
                hit = cls._damage(toks, Match(m.i, k + 1, m.entry))
                return hit
            k += 1
        return None

    @staticmethod
    def _consequence(toks: Sequence[Token], m: Match) -> tuple[int, int, float, str] | None:
        """'Say that again and you'll be picking your teeth up', '... or he won't be walking
        for a while': an injury promised on a condition."""
        if not _INJURY.isdisjoint(t.word for t in toks):
            return None  # "after his knee op he won't be walking for a while"
        k = m.i - 1
        cue = ""
        while k >= 0 and not toks[k + 1].brk:
            word = toks[k].word
            if word == "again" and k + 1 < m.i and toks[k + 1].word not in ("and", "or"):
                pass  # "if he falls off that wall again he won't ...": a condition, not a dare
            elif word in _CONDITION or (word == "not" and k > 0 and toks[k - 1].word == "better"):
                cue = word
                break
            if word == "if" and not cue:
                cue = "if"
            k -= 1
        if not cue:
            return None
        score = 0.6 if cue == "if" else 0.85
        start = k if cue != "if" else m.i
        return start, m.j, score, f"threat of injury: '{m.entry.term}'"

    @staticmethod
    def _incite(
        toks: Sequence[Token], m: Match, doc: Document
    ) -> tuple[int, int, float, str] | None:
        """'This is the woman who's been slagging me off. <her address>. Have fun': setting
        others on someone whose contact details the post gives."""
        if _GRIEVANCE.isdisjoint(t.word for t in toks):
            return None
        if not (find_phones(doc) or find_emails(doc) or _WHERE_THEY_LIVE.search(doc.text)):
            return None
        return m.i, m.j, 0.75, f"sets others on someone whose details it gives ('{m.entry.term}')"

    def _harm(
        self, toks: Sequence[Token], m: Match, phrases: dict[int, str], doc: Document
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
        if any(t.word in _LAUGHING for t in toks) or any(e in doc.original for e in _LAUGH_EMOJI):
            # "I'll kill him if he's eaten my leftovers 😂": exasperation, said laughing.
            score = 0.45 if kind in (None, "pronoun") else min(score, 0.6)
        return m.i, k + 1, score, f"threat to {verb} {_describe(kind or 'pronoun', toks[k].word)}"

    def _deserves(
        self, toks: Sequence[Token], m: Match, phrases: dict[int, str]
    ) -> tuple[int, int, float, str] | None:
        """'That parent needs a good slap', 'the kids deserve a hiding'."""
        before = words_before(toks, m.i, 3)
        if any(w in _NEGATION for w in before):
            return None
        if not any(w in _DESERVE for w in before):
            # "someone should give that dad a good kicking": give, with an intent before it
            wider = words_before(toks, m.i, 5)
            give = next((n for n, w in enumerate(wider) if w in _GIVE), None)
            if give is None or not any(
                w in _INTENT or w.endswith("'ll") for w in wider[give + 1 : give + 4]
            ):
                return None
        if any(w in _GETTING for w in before):
            # "Next parent who shouts at me is getting a slap": a promise to whoever does it.
            k = m.i - 1
            while k >= 0 and not toks[k + 1].brk:
                if toks[k].word in _ANYONE_WHO:
                    return k, m.j, 0.8, f"'{m.entry.term}' promised to {toks[k].word}"
                k -= 1
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


_OWN_BODY = cues("my his her your their")  # "our head" is the headteacher
_ARTICLES = cues("a an such the absolute total complete utter proper right real")
_SOME = cues("some most half all one many few several none both lots lot rest each any majority")
_HAVE = cues("has have had got 've")
# "an absolute cowboy", "a total dinosaur", "a right tool" (but "an absolute animal on the pitch"
# is praise: see _insults).
_INTENSIFIERS = cues("absolute total complete utter right proper real")
_CONJUNCTIONS = cues("and but or so because cos when if though although since today again")
# Nouns that are a verdict on a thing as often as an insult ("the traffic was a nightmare").
_COLLECTIVE = cues("bunch pack load lot herd gaggle set shower")
# "the idiot who parked ...": an insult used to refer to someone (not "the clown who came").
_REFERRING = cues("the some whatever whichever which what this that")
_RELATIVE = cues("who who's whose that has have had 's decided thought keeps kept")
_NOT_REFERRING = cues("clown clowns fool fools joke nightmare disgrace embarrassment")
_ARE = cues("are is 're 's")
_BEASTS = cues("animals pigs rats")
_REBUTTALS = cues("no nope nah rubbish nonsense wrong actually only hardly not really untrue false")
_HAZARDS = cues(
    "ice icy ladder ladders road roads traffic slippery wet step steps stairs kerb puddles mud"
)
_PRAISE_TOO = cues("animal animals beast")
_SOFT = cues("joke disgrace embarrassment nightmare")
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


def _rebutted(toks: Sequence[Token], doc: Document, k: int, spans: list[tuple[int, int]]) -> bool:
    """Is token ``k`` in a question the next sentence answers back ("Immigrants are on the
    take? No, they pay more in tax")?"""
    here = next((n for n, (a, b) in enumerate(spans) if a <= k < b), None)
    if here is None or here + 1 >= len(spans):
        return False
    end, nxt = spans[here][1] - 1, spans[here + 1][0]
    _, e = doc.plain.to_original(toks[end].start, toks[end].end)
    n_start, _ = doc.plain.to_original(toks[nxt].start, toks[nxt].end)
    return "?" in doc.original[e:n_start] and toks[nxt].word in _REBUTTALS


def _opens(toks: Sequence[Token], k: int) -> bool:
    """Does token ``k`` open a clause, perhaps after a quantifier ("some of the dads")?"""
    if k == 0 or toks[k].brk or toks[k].comma:
        return True
    if k >= 2 and toks[k - 1].word == "of" and toks[k - 2].word in _SOME:
        q = k - 2
        if (
            q > 0
            and toks[q - 1].word in ("the", "a")
            and toks[q].word in ("rest", "lot", "majority")
        ):
            q -= 1
        return q == 0 or toks[q].brk or toks[q].comma
    return False


def _describe(kind: str, who: str) -> str:
    if kind == "you":
        return "you"
    if kind == "mention":
        return f"@{who}"
    if kind == "name":
        return f"{who.title()}"
    if kind == "place":
        return "the school"
    if kind == "pronoun" or who in ("whoever", "people", "folk"):
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
