"""Contact with pupils outside professional boundaries (PC101-PC104).

* PC101: seeking social contact: "add me", "follow me on insta", "meet up after school".
* PC102: moving to a private channel: "DM me", "add me on snap", "text me", "my number is".
* PC103: secrecy: "don't tell your parents", "our little secret", "delete these messages".
* PC104: remarks on a pupil's appearance: "you looked gorgeous in your prom dress".

Every one of them needs pupils as the audience or the target, from the shared audience cues:
"Year 10s", "kids" (spoken to), "my students", "6B", a pupil's name. "DM me for the recipe" to
friends, or "parents, message me with questions", stays quiet; so does a message that points to
the school's own channels (Teams, Google Classroom, the school e-mail).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.normalise import Document
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings
from boundaries.screening.workplace import (
    Cue,
    Hit,
    Kind,
    PhraseMatcher,
    audience_cues,
    negated,
    sentence_of,
    sentences,
    windowed,
)

PC101 = Rule(
    code="PC101",
    name="pupil-social-contact",
    message="Seeking social contact with pupils",
    what="Inviting pupils (or past pupils under 18) to friend, follow or add you, or to meet up "
    "outside school.",
    example="Any of my Year 10s who want to add me, I'm on insta!",
    instead="Year 10: any questions about the exam, ask me in class or on Teams.",
    fix="Don't invite pupils to connect or meet socially; use the school's own channels for work.",
)
PC102 = Rule(
    code="PC102",
    name="pupil-private-channel",
    message="Moving pupils to a private channel",
    what="Asking pupils to message you privately, add you on Snapchat or WhatsApp, or text you.",
    example="Year 11, DM me if you're worried about your mocks.",
    instead="Year 11, if you're worried about your mocks, come and see me or message me on Teams.",
    fix="Keep contact with pupils on the school's channels (school e-mail, Teams, the school "
    "app), open to scrutiny.",
)
PC103 = Rule(
    code="PC103",
    name="pupil-secrecy",
    message="Asking pupils to keep secrets",
    what="Secrecy with pupils: not telling their parents, keeping things between you, deleting "
    "messages.",
    example="Well done 6B, extra golden time tomorrow but don't tell your parents, our little "
    "secret!",
    instead="Well done 6B, extra golden time tomorrow!",
    fix="Never ask pupils to keep anything from their parents or the school; remove the post and "
    "tell the DSL if a pupil has been messaged.",
)
PC104 = Rule(
    code="PC104",
    name="pupil-appearance",
    message="A remark on a pupil's appearance",
    what="Comments on how a pupil looks, especially their body or clothes.",
    example="You looked gorgeous in your prom dress, Amy!",
    instead="Well done to all our Year 11s on a brilliant prom night!",
    fix="Praise effort and achievement, never a pupil's looks or body.",
)

# (rule, base score, pattern) searched in doc.lower.
_ACTIONS: tuple[tuple[str, float, re.Pattern[str]], ...] = (
    (
        "PC101",
        0.85,
        re.compile(
            r"\badd\s+me\b(?!\s+(?:to\s+(?:the\s+)?(?:list|rota|group|email|mailing|register|"
            r"spreadsheet|whatsapp\s+group|class\s+page)|on\s+(?:teams|classroom|dojo|snap\w*|"
            r"whatsapp|kik|discord|telegram|signal|wickr|messenger)))"
            r"|\bfollow(?:ed|ing)?\s+you\s+(?:back|on)\b|\baccept(?:ed)?\s+your\s+(?:friend\s+)?"
            r"request\b|\b(?:play|game|gaming|hang)\s+(?:\w+\s+)?with\s+me\b|\bjoin\s+me\s+on\b"
            r"|\bmy\s+(?:minecraft|roblox|fortnite|xbox|playstation|psn|discord|gaming)\s+(?:server|"
            r"account|gamertag|id|world|name)\b"
            r"|\bfriend\s+me\b|\bsend\s+me\s+a\s+(?:friend\s+)?request\b"
            r"|\baccept\s+my\s+(?:friend\s+)?request\b|\brequest\s+me\b"
            r"|\bfollow\s+me\s+(?:on|at|@|back|over\s+on)\b|\bfollow\s+my\s+(?:insta\w*|page|"
            r"account|tiktok|channel|snap|twitter)\b|\bgive\s+me\s+a\s+follow\b|\bfind\s+me\s+on\b"
            r"|\blook\s+me\s+up\s+on\b|\bmy\s+(?:insta\w*|snap\w*|tiktok|facebook|fb|ig|twitter)\s+"
            r"(?:is|handle|name|@)|\bsubscribe\s+to\s+my\s+(?:channel|youtube)\b"
            r"|\bmeet(?:ing)?\s+up\b|\bhang(?:ing)?\s+out\b|\bcome\s+(?:round|over)\b|\bpop\s+round\b"
            r"|\bgrab\s+an?\s+(?:coffee|drink|milkshake|bite|burger|maccies|mcdonald['’]?s)\b"
            r"|\bgo\s+for\s+an?\s+(?:drink|coffee|pizza|burger|milkshake)\b|\bgive\s+you\s+a\s+lift\b"
            r"|\blift\s+home\b|\bsleepover\b|\bcome\s+to\s+mine\b|\bparty\s+at\s+mine\b"
            r"|\bhit\s+me\s+up\b|\bbe\s+friends\s+on\b|\bfriends\s+on\s+(?:facebook|fb|insta\w*|snap\w*)"
        ),
    ),
    ("PC101", 0.5, re.compile(r"\bmeet\s+me\b|\bkeep\s+in\s+touch\b|\bstay\s+in\s+touch\b")),
    (
        "PC102",
        0.85,
        re.compile(
            r"\b(?:dm|pm|inbox|message|msg|text|whatsapp|snap|snapchat|facetime|ping)\s+me\b"
            r"|\bsend\s+me\s+an?\s+(?:message|dm|pm|text|snap|private\s+message)\b"
            r"|\bdrop\s+me\s+an?\s+(?:message|line|text|dm)\b|\bslide\s+into\s+my\s+dms?\b"
            r"|\bin\s+my\s+dms\b|\bprivate\s+message\b|\bmessage\s+me\s+privately\b"
            r"|\badd\s+me\s+on\s+(?:snap\w*|whatsapp|kik|discord|telegram|signal|wickr|messenger)\b"
            r"|\bmy\s+(?:number|mobile|phone\s+number|personal\s+number|whatsapp|snap\w*|discord)\s+"
            r"is\b|\bhere['’]?s\s+my\s+number\b|\b(?:ring|call)\s+me\s+on\b"
            # "email me" is fine on the school address, not on a personal one
            r"|\be-?mail\s+me\b(?=[^\n]{0,60}?(?:gmail|hotmail|yahoo|outlook|icloud|btinternet|aol|"
            r"live\.|\(at\)|\[at\]|\sat\s+\w+\s*(?:dot|\(dot\))))"
        ),
    ),
    (
        "PC103",
        0.9,
        re.compile(
            r"\b(?:don['’]?t|dont|do\s+not|never)\s+tell\s+(?:your|ur|their|his|her)\s+(?:mums?|"
            r"moms?|mams?|dads?|parents|nan|gran|carers?|family|teachers?|friends)\b"
            r"|\bwhat\s+happens\s+in\s+[^.!?\n]{1,40}?\s+stays\s+in\b"
            r"|\bno\s+need\s+to\s+tell\s+(?:your|ur)\s+(?:mum|parents|dad)\b"
            r"|\bour\s+(?:little\s+)?secret\b|\bit['’]?ll\s+be\s+our\s+secret\b"
            r"|\bdelete\s+(?:these|this|the|our|those|my|your|all\s+(?:the|our|my|these)|all)\s+"
            r"(?:messages?|texts?|chats?|conversations?|dms?|pics?|photos?|snaps?|pictures?)\b"
            r"|\b(?:make\s+sure|remember)\s+(?:to|you)\s+delete\b"
            r"|\bdon['’]?t\s+let\s+(?:anyone|your\s+(?:mum|parents|dad))\s+(?:see|know|find\s+out)\b"
        ),
    ),
    (
        "PC103",
        0.75,
        re.compile(
            r"\b(?:don['’]?t|dont|do\s+not|never)\s+tell\s+(?:anyone|anybody|no\s+one|nobody|"
            r"the\s+others|other\s+teachers)\b"
            r"|\bkeep\s+(?:this|it|that)\s+(?:between\s+(?:us|you\s+and\s+me|ourselves)|"
            r"(?:a\s+)?secret|to\s+yourselves?|quiet)\b"
            r"|\b(?:just\s+)?between\s+(?:you\s+and\s+me|us|ourselves)\b"
            r"|\b(?:nobody|no\s+one|no-one)\s+(?:else\s+)?(?:needs|has|have|is\s+allowed|"
            r"are\s+allowed|gets)\s+to\s+know\b|\byou\s+can\s+trust\s+me\b"
        ),
    ),
    ("PC103", 0.55, re.compile(r"🤐|🤫|\byou\s+know\s+the\s+rules\b")),
)
_OFFICIAL = re.compile(
    r"\b(?:teams|google\s+classroom|classroom|class\s*dojo|dojo|seesaw|tapestry|"
    r"school\s+e-?mail|work\s+e-?mail|school\s+app|satchel|show\s+my\s+homework|firefly|arbor|"
    r"parentmail|weduc|the\s+(?:school\s+)?office|eschools|epraise|school\s+(?:account|page|"
    r"website)|class\s+page|the\s+school['’]s\s+\w+)\b"
)
_OUTSIDE = re.compile(
    r"\b(?:outside\s+(?:of\s+)?school|after\s+school|at\s+the\s+weekend|this\s+weekend|in\s+town|"
    r"at\s+the\s+park|tonight|at\s+mine|my\s+(?:house|place|flat)|the\s+cinema|mcdonald['’]?s|"
    r"maccies|costa|starbucks|for\s+a\s+drink|the\s+pub|in\s+the\s+holidays)\b"
)
_TEASER = re.compile(
    r"\b(?:surprise|spoiler|big\s+reveal|find\s+out|guess|wait\s+and\s+see|tomorrow|announcement|"
    r"santa|christmas|present)\b"
)

# --- PC104 ------------------------------------------------------------------------------------
_SEXUAL_LOOKS = re.compile(
    r"\b(?:look(?:s|ed|ing)?|you['’]?re|you\s+are|so|really|well|proper)\s+(?:so\s+|really\s+)?"
    r"(?:hot|fit|sexy|peng|tasty)\b"
    r"|\b(?:lovely|nice|great|amazing|sexy|long|gorgeous|fit|perfect|cracking)\s+(?:legs|bum|"
    r"bottom|figure|body|curves|lips|thighs|boobs|chest|arse|ass)\b"
    r"|\b(?:hottie|jailbait|stunner|cleavage|busty|curvy)\b"
    r"|\bin\s+(?:your|her|that|those|his)\s+(?:bikini|swimsuit|swimming\s+costume|leotard|"
    r"shorts|crop\s+top|tight\w*|leggings|underwear|short\s+skirt|skirt)\b"
    r"|\bturning\s+into\s+a\s+(?:beautiful|lovely|gorgeous|stunning|pretty)\s+young\s+"
    r"(?:woman|lady|man)\b|\bfilled\s+out\b|\bas\s+(?:hot|fit|sexy)\b"
    r"|\b(?:got|has|have|with)\s+(?:the|a|such\s+a|a\s+(?:lovely|great|nice))\s+(?:figure|body|bum|"
    r"legs)\b"
)
# Remarks on a pupil's size or looks that mock rather than flatter.
_MOCKING_LOOKS = re.compile(
    r"\b(?:so\s+|really\s+|getting\s+|got\s+)?(?:chubby|fat|podgy|tubby|porky|chunky|skinny|"
    r"lanky|spotty|ugly|minging|munter|heartbreaker)\b|\bput\s+on\s+(?:so\s+much\s+|a\s+lot\s+of\s+)?"
    r"weight\b|\bpiled\s+on\s+the\s+pounds\b"
)
_ATTRACTIVE = re.compile(
    r"\b(?:gorgeous|beautiful|stunning|pretty|cute|handsome|attractive|good[\s-]looking|"
    r"looked\s+amazing|looking\s+good|a\s+looker|all\s+grown\s+up|so\s+grown\s+up)\b"
)
# "stunning performance", "beautiful handwriting", "pretty good": not about looks.
_NOT_LOOKS = re.compile(
    r"\s+(?:idea|ideas|costumes?|display|cards?|pictures?|drawings?|story|stories|songs?|poems?|"
    r"voices?|handwriting|work|effort|performance|singing|dancing|acting|job|goal|save|shot|try|"
    r"results?|writing|artwork|art|paintings?|baking|cakes?|day|time|trip|weather|morning|"
    r"evening|play|show|assembly|concert|nativity|moment|photos?|views?|place|sunset|music|"
    r"teamwork|manners|kindness|behaviour|sound|harmony|harmonies|garden|classroom)\b"
)
_PRETTY_ADVERB = re.compile(r"\s+(?!girl\b|in\b|as\b|today\b|tonight\b|x+\b)[a-z]")
_GROUP = re.compile(
    r"\b(?:you\s+all|all\s+of\s+you|you\s+were\s+all|you\s+guys|everyone|everybody|"
    r"all\s+the|the\s+whole)\b"
)
_ADMIRING = re.compile(r"\b(?:girls|boys|lads|ladies)\b|😍|🔥|🥵|😘|💋|😏")
_ADDRESSEE = re.compile(r"\b(?:you|your|you['’]re|she|her|he|his)\b")
_ONE_PUPIL = re.compile(
    r"\b(?:an?|one|this|that)\s+(?:\w+\s+)?(?:girl|boy|student|pupil|lad)\s+(?:in|from)\s+"
    r"(?:my|our|year|y\d|the\s+class|class|\d)|\bone\s+of\s+(?:my|our)\s+(?:students|pupils|"
    r"girls|boys|year)"
)
_SCHOOL_OCCASION = re.compile(
    r"\b(?:prom|leavers['’]?|school\s+disco|your\s+uniform|school\s+uniform|in\s+school|"
    r"year\s+\d+\s+(?:girl|boy)s?|sixth\s+form)\b"
)
_FAMILY = re.compile(
    r"\bmy\s+(?:(?:little|baby|eldest|youngest|beautiful|gorgeous)\s+)?(?:daughter|son|niece|"
    r"nephew|granddaughter|grandson|goddaughter|godson|girl|boy|girls|boys|baby|wife|husband|"
    r"partner|sister|brother|cousin|bestie|best\s+friend|friend|mum|mam|nan|step-?daughter|"
    r"step-?son)\b|\bhappy\s+birthday\b|\bhappy\s+anniversary\b"
)


# Words each group of patterns needs: Aho-Corasick finds them in one pass, and the (slow) patterns
# and the audience scan run only when one is there.
_WORDS = {
    "PC101": "add friend* request* follow* subscribe meet* hang* come pop grab drink coffee pizza "
    "burger milkshake maccies mcdonald* lift sleepover party hit accept* play* game* gaming join "
    "minecraft roblox fortnite xbox playstation psn discord touch insta* snap* tiktok facebook "
    "fb ig twitter find look",
    "PC102": "dm pm inbox message* msg text* whatsapp snap* facetime ping send drop slide dms "
    "private add number mobile here's here’s ring call email e-mail discord",
    "PC103": "tell secret* delete* know between trust stays quiet yourself yourselves see rules "
    "🤐 🤫",
    "PC104": "hot fit sexy peng tasty legs bum bottom figure body curves lips thighs boobs chest "
    "arse ass hottie jailbait stunner cleavage busty curvy bikini swimsuit swimming leotard "
    "shorts crop tight* leggings underwear skirt young filled weight pounds chubby fat podgy "
    "tubby porky chunky skinny lanky spotty ugly minging munter heartbreaker gorgeous beautiful "
    "stunning pretty cute handsome attractive good-looking good looking looked looker grown",
}
_GATE = PhraseMatcher(
    (word, rule, False, True) for rule, words in _WORDS.items() for word in words.split()
)


@dataclass(frozen=True, slots=True)
class _Audience:
    cue: Cue
    factor: float  # how surely the action is aimed at pupils (0..1)


class PupilContactDetector(Detector):
    rules: ClassVar[tuple[Rule, ...]] = (PC101, PC102, PC103, PC104)

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self._audience = audience_cues(context)

    def detect(self, doc: Document) -> Iterable[Span]:
        words = _GATE.find(doc.text, doc.lower)
        if not words:
            return
        rules = {hit.value for hit in words}
        pupils = [c for c in self._audience.find(doc) if c.kind is Kind.PUPILS and c.strength > 0]
        if not pupils:
            return
        bounds = sentences(doc.text)
        yield from self._actions(doc, pupils, bounds, words)
        if "PC104" in rules:
            yield from self._appearance(doc, pupils, bounds)

    def _actions(
        self,
        doc: Document,
        pupils: list[Cue],
        bounds: list[tuple[int, int]],
        words: list[Hit[str]],
    ) -> Iterator[Span]:
        lower = doc.lower
        for rule, base, pattern in _ACTIONS:
            near = [w for w in words if w.value == rule]
            for m in windowed(pattern, lower, near, 40, 70) if near else ():
                if negated(lower, m.start(), 10) and rule != "PC103":
                    continue
                s_start, s_end = sentence_of(bounds, m.start())
                sentence = lower[s_start:s_end]
                if rule != "PC103" and _OFFICIAL.search(sentence):
                    continue  # "message me on Teams": the school's own channel
                audience = _aimed_at(pupils, m.start(), s_start, s_end)
                if audience is None:
                    continue
                score = base * audience.factor
                if rule == "PC101" and _OUTSIDE.search(sentence):
                    score = max(score, 0.85 * audience.factor) + 0.05
                if base < 0.9 and rule == "PC103" and _TEASER.search(sentence):
                    score -= 0.25  # "don't tell anyone, big surprise tomorrow!"
                yield self.span(
                    rule,
                    m.start(),
                    m.end(),
                    score,
                    f"'{doc.text[m.start() : m.end()]}' to {audience.cue.text}",
                    doc,
                )

    def _appearance(
        self, doc: Document, pupils: list[Cue], bounds: list[tuple[int, int]]
    ) -> Iterator[Span]:
        lower = doc.lower
        names: list[Cue] | None = None
        for pattern, sexual in (
            (_SEXUAL_LOOKS, True),
            (_ATTRACTIVE, False),
            (_MOCKING_LOOKS, False),
        ):
            for m in pattern.finditer(lower):
                s_start, s_end = sentence_of(bounds, m.start())
                sentence = lower[s_start:s_end]
                if _FAMILY.search(sentence) or negated(lower, m.start(), 10):
                    continue
                if not sexual and (
                    _NOT_LOOKS.match(lower, m.end())
                    or (m.group() in {"pretty", "cute"} and _PRETTY_ADVERB.match(lower, m.end()))
                ):
                    continue
                if names is None:
                    names = self._audience.names(doc)
                in_sentence = [c for c in pupils if s_start <= c.start < s_end]
                named = [c for c in names if s_start <= c.start < s_end]
                one = named or _ONE_PUPIL.search(sentence) is not None
                spoken_to = _ADDRESSEE.search(sentence) is not None and any(
                    c.addressed or c.strength >= 0.85 for c in pupils
                )
                group = bool(in_sentence) or _GROUP.search(sentence) is not None
                if _GROUP.search(sentence) and not named:
                    one = spoken_to = False  # "you all looked stunning": the class, not one pupil
                if sexual and (one or spoken_to or group):
                    score = 0.9
                elif one or spoken_to:
                    score = 0.75
                elif group and _ADMIRING.search(sentence):
                    score = 0.6  # "Year 6 girls you all looked GORGEOUS 😍"
                elif group:
                    score = 0.4  # "the class looked smart for the photo": not about one pupil
                else:
                    continue
                if score < 0.5 and not (one or spoken_to) and _SCHOOL_OCCASION.search(sentence):
                    score = 0.45
                target = (named or in_sentence or pupils)[0].text
                yield self.span(
                    "PC104",
                    m.start(),
                    m.end(),
                    score,
                    f"'{doc.text[m.start() : m.end()]}' about a pupil ({target})",
                    doc,
                )


def _aimed_at(pupils: list[Cue], pos: int, s_start: int, s_end: int) -> _Audience | None:
    """The pupil audience an action at ``pos`` is aimed at, and how surely."""
    best: _Audience | None = None
    for cue in pupils:
        same = s_start <= cue.start < s_end
        near = abs(cue.start - pos) <= 120
        if cue.addressed and (same or near):
            factor = 1.0 if cue.strength >= 0.75 else 0.95
        elif same:
            factor = 0.95 if cue.strength >= 0.75 else 0.8
        elif cue.addressed or cue.strength >= 0.85:
            factor = 0.8
        else:
            continue
        if cue.strength < 0.5:
            factor -= 0.2
        if best is None or factor > best.factor:
            best = _Audience(cue, factor)
    return best
