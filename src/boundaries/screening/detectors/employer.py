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
from boundaries.screening.detectors.allegations import about_fiction, allegation_finder
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
    windowed,
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
# The author as a subject ("our head said I was useless"): nearer than the target, it is whom a
# criticism is about. "Payroll have underpaid me" keeps payroll as the subject.
_FIRST_PERSON = re.compile(r"\b(?:i|i['’]m|i['’]ve|i['’]d|im|myself)\b")
_IDIOMS: tuple[tuple[float, str], ...] = (
    (
        0.85,
        r"\b(?:couldn['’]?t|could\s+not|can['’]?t|cannot)\s+(?:organi[sz]e|run|manage|arrange)\s+"
        r"an?\s+(?:piss|p\*ss|booze|bath|whelk|raffle|chocolate|tea|bun|kids['’]?\s+party|school)"
        r"[\w-]*(?:\s+in\s+an?\s+\w+)?"
        # the "X in a Y" idiom with any X: "couldn't run a tombola in a village hall"
        r"|\b(?:couldn['’]?t|could\s+not|can['’]?t|cannot)\s+(?:organi[sz]e|run|manage|arrange|"
        r"plan|lead)\s+an?\s+[\w-]+(?:\s+[\w-]+)?\s+in\s+an?\s+\w+"
        r"|\b(?:couldn['’]?t|could\s+not|can['’]?t|cannot|wouldn['’]?t)\s+(?:find|fight|think|plan|"
        r"manage|organi[sz]e|talk|lead|teach|budget|email|navigate)\s+(?:(?:their|his|her|its|"
        r"our)\s+)?way\s+out\s+of\s+an?\s+(?:wet\s+)?paper\s+bag"
        r"|\bwouldn['’]?t\s+know\s+(?:\w+\s+){1,4}?if\s+it\s+(?:bit|hit|slapped|smacked|kicked)\s+"
        r"(?:them|him|her)"
        r"|\bno\s+idea\s+what\s+(?:they|he|she)['’]?(?:re|s|\s+are|\s+is)\s+doing\b"
        r"|\b(?:don['’]?t|doesn['’]?t|do\s+not|does\s+not)\s+give\s+a\s+(?:toss|damn|shit|fuck|"
        r"monkey['’]?s|flying\s+\w+)\b",
    ),
    (
        # "haven't the faintest idea", "hasn't got the foggiest"
        0.8,
        r"\b(?:haven['’]?t|hasn['’]?t|have\s+not|has\s+not|don['’]?t\s+have|doesn['’]?t\s+have|"
        r"ha(?:ve|s)\s+(?:got\s+)?no|not\s+got)\s+(?:got\s+)?(?:the\s+|a\s+)?(?:faintest|"
        r"foggiest|slightest|remotest|first|earthly)\b(?:\s+(?:idea|clue|notion))?"
        r"|\b(?:out\s+of\s+(?:their|his|her|its)\s+depth|in\s+over\s+(?:their|his|her)\s+heads?|"
        r"asleep\s+at\s+the\s+wheel|headless\s+chickens?|all\s+talk\s+and\s+no\s+(?:action|"
        r"trousers)|lights\s+are\s+on\s+but\s+no(?:body|\s*one)['’]?s\s+home)\b"
        # "the trust only cares about money", "cares more about league tables than the kids"
        r"|\b(?:only|just)\s+cares?\s+about\s+(?:the\s+)?(?:money|profits?|budgets?|results|data|"
        r"numbers|league\s+tables|ofsted|appearances|image|(?:their|his|her|its)\s+(?:own\s+)?"
        r"(?:\w+\s+)?(?:image|reputation|careers?|bonus(?:es)?|salar(?:y|ies)|pensions?|ratings?|"
        r"cv|backs?))\b"
        r"|\bcares?\s+more\s+about\s+(?:\w+\s+){1,4}?than\s+(?:(?:the|their|its|our)\s+)?"
        r"(?:kids|children|pupils|staff|us|people|teachers)\b"
        r"|\b(?:don['’]?t|doesn['’]?t|do\s+not|does\s+not|never)\s+(?:actually\s+|really\s+|even\s+)?"
        r"cared?\s+about\s+(?:the\s+|their\s+|its\s+|our\s+)?(?:\w+\s+){0,2}?(?:staff|us|teachers|"
        r"kids|children|pupils|wellbeing|workload|schools?|families|education|send|classrooms?)\b",
    ),
    (
        # sarcastic praise: "great leadership... not", "The trust's idea of 'consultation' is"
        0.8,
        r"\b(?:great|brilliant|amazing|fantastic|fab|superb|stellar|inspiring|excellent|wonderful|"
        r"strong|outstanding|top|quality|solid|first-class|world-class)\s+(?:\w+\s+)?(?:leadership|"
        r"management|decision(?:-making)?|planning|communication|idea|support|work|job|move|"
        r"service|organisation|thinking|governance)\s*(?:…|\.{2,}|-+|—|–|,)?\s*(?:not|#not)\b"
        r"(?!\s+[a-z])"
        r"|\b(?:idea|version|definition)\s+of\s+['‘\"“][^'’\"”\n]{2,30}['’\"”]\s+(?:is|was|means|"
        r"seems)\b",
    ),
    (
        # sarcasm and complaint: "can't even pay us right", "have lost my form AGAIN", "got my pay
        # wrong for the third month running"
        0.85,
        r"\bcan['’]?t\s+even\s+(?:\w+)"
        r"|\b(?:lost|forgot(?:ten)?|messed\s+up|cocked\s+up|screwed\s+up|ballsed\s+up|"
        r"mucked\s+up|botched|got\s+\w+\s+wrong|underpaid|overpaid|overcharged|ignored|"
        r"cancelled|moved|changed)\b[^!?\n]{0,40}?\b(?:again|yet\s+again)\b"
        r"|\b(?:somehow\s+)?expected\s+to\s+do\s+(?:all\s+)?(?:this|that|everything)\b",
    ),
    (
        0.75,
        r"\b(?:got|get|gets|getting)\s+(?:\w+\s+){0,2}?wrong\s+(?:again|yet\s+again|as\s+usual|"
        r"as\s+always|every\s+(?:single\s+)?(?:time|month|week|term)|for\s+the\s+(?:second|third|"
        r"fourth|fifth|sixth|nth|umpteenth|\d+(?:st|nd|rd|th))\s+(?:time|month|week|year|term)|"
        r"(?:two|three|four|five|six|\d+)\s+(?:times|months|weeks)\s+(?:running|in\s+a\s+row))"
        r"|\b(?:always|constantly|keeps?|forever)\s+(?:get(?:s|ting)?)\s+(?:\w+\s+){0,2}?wrong\b",
    ),
    (
        # never there: "our head is never actually in school"
        0.6,
        r"\b(?:is|are)\s+never\s+(?:actually\s+|even\s+|ever\s+)?(?:in\s+school|here|around|"
        r"in\s+the\s+building|on\s+site|available|in\s+(?:his|her|their)\s+office)\b",
    ),
    (
        # "#OperationBluebell more like Operation Sack Half The TAs": a mocking new name
        0.6,
        r"(?<=\S)\s+more\s+like\s+(?=\S)",
    ),
)
_CRITICISM_IDIOMS = tuple((strength, re.compile(p)) for strength, p in _IDIOMS)
# Words each idiom needs (by its place in _IDIOMS): the idioms run only near them.
_IDIOM_WORDS = (
    "couldn't couldnt could can't cant cannot wouldn't wouldnt idea give",
    "faintest foggiest slightest remotest earthly first depth heads head asleep headless talk "
    "lights cares care cared",
    "not #not idea version definition",
    "even again expected underpaid overpaid overcharged ignored cancelled",
    "wrong",
    "never",
    "like",
)
_IDIOM_GATE = PhraseMatcher(
    (word, i, False, True) for i, words in enumerate(_IDIOM_WORDS) for word in words.split()
)
# Rhetorical questions about the employer: the sentence must be a question; the target may come
# anywhere in it ("Who at the trust thought this was a good idea?").
_RHETORICAL = re.compile(
    r"\bwho\s+(?:on\s+earth\s+|the\s+hell\s+|exactly\s+)?(?:\w+\s+){0,4}?(?:thought|decided|"
    r"agreed)\s+(?:this|that|it)\s+(?:was|would\s+be)\s+(?:a\s+)?(?:good|great|sensible|clever|"
    r"smart)\s+idea"
    r"|\bwhat\s+(?:exactly\s+|actually\s+|even\s+)?(?:do|does|did)\s+(?:\w+\s+){1,4}?"
    r"(?:actually\s+|even\s+)?do(?:\s+all\s+day|\s+in\s+school|\s+here|\s+exactly|\s+anyway|"
    r"\s+for\s+(?:their|his|her)\s+money)?\s*\?"
    r"|\b(?:does|do)\s+(?:anyone|anybody)\s+(?:at|in|on|from)\s+(?:\w+\s+){1,4}?(?:actually|even|"
    r"ever)\b"
    r"|\bhow\s+(?:is|are|was|were|has|have)\s+(?:\w+\s+){1,5}?(?:still\s+(?:in\s+(?:a\s+)?job|"
    r"employed|in\s+charge|allowed)|allowed\s+to|paid\s+(?:so\s+much|more|that))"
    r"|\bwhat\s+planet\s+(?:are|is)\s+\w+\s+on\b"
    r"|\b(?:are|is)\s+(?:they|he|she)\s+(?:for\s+real|serious|having\s+a\s+laugh|kidding)\b"
    r"|\bis\s+it\s+(?:really\s+)?too\s+much\s+to\s+ask\b"
    r"|\bwhy\s+(?:on\s+earth|the\s+hell|tf|the\s+heck)\b"
    r"|\bwhy\s+(?:do|does|did|would|will|is|are)\s+(?:\w+\s+){1,4}?(?:think|keep|insist|bother|"
    r"expect)\b[^?\n]*\?"
)
_RHETORICAL_GATE = re.compile(r"\?")
# Scare quotes around management-speak ("a 'consultation'", "always 'at a meeting'"): sarcasm.
_SCARE_QUOTE = re.compile(r"['‘\"“](?P<q>[a-z][^'’\"”\n]{1,40}?)['’\"”](?![a-z])")
_BUZZWORD = re.compile(
    r"\b(?:consult\w*|initiatives?|well-?being|support\w*|strateg\w*|vision|values|integrity|"
    r"efficienc\w*|restructur\w*|streamlin\w*|opportunit\w*|feedback|open[\s-]door|family|"
    r"team|transparen\w*|priorit\w*|collaborat\w*|consisten\w*|listening|voice|budget|"
    r"meetings?|busy|working\s+from\s+home|review|process|journey|going\s+forward|"
    r"conversations?|coaching|development|workload|reduction|free\s+up|flexib\w*|"
    r"communicat\w*|leadership|change|savings|reasons|cpd|empower\w*|ownership|trust)\b"
)
# "pay rise much??": a mocking question tag.
_MUCH = re.compile(r"\b\w+(?:\s+\w+)?\s+much\s*\?")
# "HR lost my form. Again. Brilliant.": a one-word sentence after a complaint.
_ONE_WORD = re.compile(
    r"(?:^|[.!?]\s+)(brilliant|great|fantastic|marvellous|lovely|perfect|superb|wonderful|cheers|"
    r"genius|classic|amazing|fab|super|again|typical|nice)[.!]+(?=\s|$)"
)
_NOT_END = re.compile(r"[….,—–-]\s*#?not\b(?!\s+[a-z])")
# "Brilliant leadership this week... NOT": praise taken back.
_NOT_TAG = re.compile(
    r"\b(?:great|brilliant|amazing|fantastic|fab|superb|stellar|inspiring|excellent|wonderful|"
    r"strong|outstanding|top|quality|solid|first-class|world-class|lovely|fair|thanks|well\s+done|"
    r"well\s+(?:organised|planned|managed|run))\b[^.!?\n]{0,60}?(?:…|\.{2,}|-+|—|–|,)\s*(?:not|#not)"
    r"\b(?!\s+[a-z])"
)
_POSITIVE_EMOJI = re.compile(r"[🥰😊❤💕😍🤗💖💙💜🙏🎉🥳]")
# Laughter and fondness: "😂", "lol", "bless him", "legend". Found once per post (a regular
# expression that starts with an emoji is slow to search).
_LAUGHS = PhraseMatcher(
    (w, True, False, False)
    for w in ("😂", "🤣", "lol", "lols", "haha*", "bless him", "bless her", "bless them", "legend")
)
_last_laughs: tuple[str, list[int]] = ("", [])


def _laughing(lower: str, start: int, end: int) -> bool:
    """Whether there is laughter or fondness between ``start`` and ``end``."""
    global _last_laughs
    last = _last_laughs  # one read: another thread may replace it between two
    if last[0] is not lower:
        last = _last_laughs = (lower, [h.start for h in _LAUGHS.find(lower, lower)])
    return any(start <= pos < end for pos in last[1])


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
# Workload past its limits: "marking till midnight", "another weekend of planning", "30 reports
# due Friday", "no lunch break again".
# "so tired of this job", "Teaching is slowly breaking me", "the dread has set in".
_WEARY = re.compile(
    r"\b(?:so\s+|really\s+|sick\s+and\s+|utterly\s+|completely\s+)?(?:tired|sick|fed\s+up|done|over)"
    r"\s+(?:of|with)\s+(?:this|my|the)\s+(?:job|place|school|profession|career|work|workload|"
    r"marking|planning|paperwork|meetings?|data)\b"
    r"|\b(?:is|are|['’]s|['’]re)\s+(?:\w+ly\s+)?(?:breaking|killing|destroying|draining|crushing|"
    r"wrecking|ruining)\s+me\b"
    r"|\b(?:the\s+)?(?:sunday\s+(?:night\s+)?)?dread\s+(?:has\s+|is\s+)?(?:set|setting|"
    r"kicking|kicked|creeping|crept)\s+in\b"
)
_WEARY_WORDS = PhraseMatcher(
    (w, True, False, True)
    for w in ("tired", "sick", "fed", "done", "over", "breaking", "killing", "destroying",
              "draining", "crushing", "wrecking", "ruining", "dread")
)  # fmt: skip
_WORKLOAD = re.compile(
    r"\b(?:marking|planning|working|writing\s+reports|report\s+writing|doing\s+reports|emails?|"
    r"data|on\s+the\s+laptop)\s+(?:till|until|til|['’]til|past|gone)\s+(?:midnight|\d{1,2}(?:[.:]\d{2})?"
    r"\s*(?:am|pm)?|late|the\s+early\s+hours|(?:stupid|silly)\s+o['’]?clock)"
    r"|\banother\s+(?:evening|night|weekend|sunday|saturday|half[\s-]term|holiday|bank\s+holiday|"
    r"lunch\s*(?:time|break)?)\s+(?:of\s+|spent\s+)?(?:marking|planning|working|doing\s+reports|"
    r"report\s+writing|on\s+(?:the\s+)?data|lesson\s+planning|at\s+my\s+desk|on\s+the\s+laptop|"
    r"in\s+school)"
    r"|\b\d{2,3}\s+(?:reports?|books|scripts|papers|assessments|essays|emails|plans|observations)\s+"
    r"(?:to\s+(?:mark|write|do|finish|go|read|answer)|due|left|still\s+to)"
    r"|\b(?:no|zero|not\s+(?:a|one))\s+(?:lunch\s*(?:break)?|break|breaks)\s+(?:again|all\s+week|"
    r"all\s+term|this\s+week)"
    r"|\b(?:working|worked)\s+(?:through|every)\s+(?:lunch|my\s+lunch|break|weekend|evening|"
    r"holiday|half\s+term)"
)
_WORKLOAD_WORDS = PhraseMatcher(
    (w, True, False, True)
    for w in (
        "till", "until", "til", "'til", "past", "gone", "another", "reports", "books", "scripts",
        "papers", "assessments", "essays", "emails", "plans", "observations", "lunch", "break",
        "breaks", "working", "worked",
    )
)  # fmt: skip
# Home projects: "this job is breaking me 😂 #DIY" is the bathroom, not work.
_HOME_PROJECT = re.compile(
    r"#diy\b|\b(?:diy|tiling|tiled|grouting|decorating|wallpaper\w*|plaster(?:ing|ed)|flat[\s-]?pack|"
    r"ikea|renovat\w*|the\s+(?:garden|allotment|shed|loft|bathroom|extension|fence|decking|"
    r"patio|kitchen\s+cupboards)|moving\s+house|house\s+move|potty\s+training|teething|newborn|"
    r"sleep\s+regression|wedding\s+planning|marathon\s+training)\b"
)
_GENERIC_JOB = frozenset({"this job", "my job", "the job", "the day job"})
# Fallback on sentiment alone stays quiet about illness and accidents: sad, not critical.
_SAD_EVENTS = re.compile(
    r"\b(?:hospital|poorly|ill|illness|accident|injur\w*|cancer|covid|flu|operation|surgery|"
    r"bereave\w*|loss|lost\s+(?:her|his|their)|broke\s+(?:her|his|their)|burgl\w*|broken\s+into|"
    r"fire|flood\w*|storm|snow|rain|traffic|crash\w*|delay\w*|cancel\w*|migraine|headache|"
    r"unwell|sick\s+bay|poor\s+thing|bless\s+(?:her|him|them))\b"
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
    _sarcasm_words = PhraseMatcher(
        (row[0], float(row[1]), False, False) for row in read_lexicon("employer-sarcasm.txt")
    )

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self._work = workplace_cues(context)
        self._audience = audience_cues(context)  # a pupil's name makes a post about work
        self._allegations = allegation_finder(context)
        _analyzer()  # load VADER's lexicon now, not on the first post

    def detect(self, doc: Document) -> Iterable[Span]:
        cues = self._work.find(doc)
        vents = self._venting.find(doc.text, doc.lower)
        hours = list(_HOURS.finditer(doc.lower))
        # doc.plain is slow: build it only for a curse next to a work word
        if _CURSE_HINT.search(doc.lower) and self._curse_nouns.find(doc.text, doc.lower):
            plain = doc.plain
            for m in _CURSE_WORK.finditer(plain.text):
                # Hits are in doc.norm's offsets, like every other finder's here.
                start, end = doc.norm.from_original(*plain.to_original(m.start(), m.end()))
                vents.append(Hit(start, end, (0.8, True)))
        if not cues and not vents and not hours:
            return
        scorer = _Sentiment(doc.text)
        bounds = sentences(doc.text)
        sad = [(h.start, h.end) for h in self._sympathy.find(doc.text, doc.lower)]
        if cues and not about_fiction(doc):
            yield from self._criticism_spans(doc, cues, bounds, sad, scorer)
            yield from self._allegation_spans(doc)
        yield from self._venting_spans(doc, cues, bounds, sad, scorer, vents, hours)

    # --- EM101 ---------------------------------------------------------------------------------

    def _allegation_spans(self, doc: Document) -> Iterator[Span]:
        """An allegation against the school, its leaders or governors ("the head's been cooking
        the attendance figures") is criticism of the employer too."""
        for found in self._allegations.find(doc):
            if found.subject.kind not in EMPLOYER_KINDS:
                continue  # colleagues and parents: AL101 (and harassment), not EM101
            near = found.start - found.subject.end <= 100  # else only the accusation
            yield self.span(
                "EM101",
                min(found.subject.start, found.start) if near else found.start,
                max(found.subject.end, found.end),
                found.score - 0.05,
                f"{found.label} alleged of {found.subject.text}",
                doc,
            )

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
        idiom_words = _IDIOM_GATE.find(text, lower)
        for i in {h.value for h in idiom_words}:
            strength, pattern = _CRITICISM_IDIOMS[i]
            near = [h for h in idiom_words if h.value == i]
            found += [
                _Found(m.start(), m.end(), _Term(strength, None, False))
                for m in windowed(pattern, lower, near, 90, 90)
            ]
        others = [(h.start, h.end) for h in self._national.find(text, lower)]
        others += [(m.start(), m.end()) for m in _FIRST_PERSON.finditer(lower)]
        criticised: set[tuple[int, int]] = set()
        for crit in sorted(found, key=lambda f: f.start):
            if negated(lower, crit.start) or _NOTHING_BUT.match(lower, crit.end):
                continue  # "not clueless"; "tests do nothing but put kids off" is about the tests
            s_start, s_end = sentence_of(bounds, crit.start)
            if _inside(sad, s_start, s_end):
                continue
            if crit.term.strength < 0.75 and _laughing(lower, s_start, s_end + 40):
                continue  # "turned a blind eye to the silly string 😂 legend": fondness
            target = _target_of(crit, targets, others, s_start, s_end, lower)
            if target is None or (crit.term.kinds and target.kind not in crit.term.kinds):
                continue
            strength = _strength(target, about_work)
            if strength < 0.5:
                continue
            score = crit.term.strength - (0.1 if strength < 0.6 else 0.0)
            if target.kind is Kind.COUNCIL:
                score -= 0.1  # bins and potholes: the council is the employer only for some staff
            # a warm sentence tempers a criticism ("Our head is brilliant, not clueless like
            # some"); VADER is slow, so it runs only where there is a warm word
            if scorer.has_positive(s_start, s_end) and scorer.of(s_start, s_end) >= 0.5:
                score -= 0.2
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
        if "?" in lower:
            yield from self._rhetorical(doc, targets, bounds, sad, criticised, about_work)
        yield from self._sarcasm(doc, targets, bounds, sad, criticised, about_work)
        yield from self._negative_sentences(doc, targets, bounds, sad, scorer, criticised, others)

    def _rhetorical(
        self,
        doc: Document,
        targets: list[Cue],
        bounds: list[tuple[int, int]],
        sad: list[tuple[int, int]],
        done: set[tuple[int, int]],
        about_work: bool,
    ) -> Iterator[Span]:
        """ "What does SLT actually do all day?": a mocking question about the employer."""
        lower = doc.lower
        for m in _RHETORICAL.finditer(lower):
            s_start, s_end = sentence_of(bounds, m.start())
            if (s_start, s_end) in done or "?" not in lower[m.start() : s_end + 1]:
                continue
            if _inside(sad, s_start, s_end) or negated(lower, m.start()):
                continue
            in_sentence = [
                t
                for t in targets
                if s_start <= t.start < s_end
                and _strength(t, about_work) >= 0.5
                and not _bins_and_potholes(t)
            ]
            if not in_sentence:
                continue
            if _POSITIVE_EMOJI.search(doc.text, s_start, s_end + 80) or _laughing(
                lower, s_start, s_end + 80
            ):
                continue  # "What does our head actually do on a Saturday? Parkrun! 🏃"
            target = min(in_sentence, key=lambda t: abs(t.start - m.start()))
            score = 0.6 if m.group().startswith("why") else 0.7
            done.add((s_start, s_end))
            yield self.span(
                "EM101",
                min(m.start(), target.start),
                max(m.end(), target.end),
                score,
                f"mocking question '{doc.text[m.start() : m.end()]}' about {target.text}",
                doc,
            )

    def _sarcasm(
        self,
        doc: Document,
        targets: list[Cue],
        bounds: list[tuple[int, int]],
        sad: list[tuple[int, int]],
        done: set[tuple[int, int]],
        about_work: bool,
    ) -> Iterator[Span]:
        """Sarcasm near the employer: markers in the target's sentence and the two after it."""
        text, lower = doc.text, doc.lower
        markers: list[tuple[int, int, str, float]] = [
            (h.start, h.end, lower[h.start : h.end], h.value)
            for h in self._sarcasm_words.find(text, lower)
        ]
        if "'" in text or "‘" in text or '"' in text or "“" in text:
            for m in _SCARE_QUOTE.finditer(text):
                if m.start() and text[m.start() - 1] not in " \t\n(":
                    continue  # an apostrophe ("the trust's"), not an opening quote
                quoted = m["q"].lower()
                if len(quoted.split()) > 7:
                    continue
                weight = 0.5 if _BUZZWORD.search(quoted) else 0.3
                markers.append((m.start(), m.end(), quoted, weight))
        if "much" in lower:
            markers += [(m.start(), m.end(), "much?", 0.6) for m in _MUCH.finditer(lower)]
        markers += [
            (m.start(1), m.end(1), m.group(1), 0.5 if m.group(1) != "again" else 0.45)
            for m in _ONE_WORD.finditer(lower)
        ]
        if "not" in lower and _NOT_END.search(lower):
            markers += [(m.start(), m.end(), "... not", 1.0) for m in _NOT_TAG.finditer(lower)]
        if not markers:
            return
        for target in targets:
            if _strength(target, about_work) < 0.5 or _bins_and_potholes(target):
                continue
            t_start, t_end = sentence_of(bounds, target.start)
            if (t_start, t_end) in done or _inside(sad, t_start, t_end):
                continue
            stop = t_end
            for b_start, b_end in bounds:  # the two sentences after: "Must be nice."
                if b_start >= t_end and b_start - t_end <= 160:
                    stop = max(stop, b_end)
            seen: dict[str, float] = {}
            for m_start, _m_end, phrase, weight in markers:
                if t_start <= m_start < stop:
                    seen[phrase] = max(weight, seen.get(phrase, 0.0))
            total = sum(seen.values())
            if total < 0.7 or _POSITIVE_EMOJI.search(text, t_start, stop):
                continue
            if max(seen.values()) < 0.5 and total < 1.0:
                continue  # "nice one 👏" is as often sincere: weak markers only count together
            score = 0.6 if total < 1.0 else 0.7 if total < 1.4 else 0.8
            done.add((t_start, t_end))
            yield self.span(
                "EM101",
                target.start,
                target.end,
                score,
                f"sarcasm about {target.text} ({', '.join(sorted(seen))})",
                doc,
            )

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
                if s_start <= t.start < s_end
                and t.strength >= 0.6
                and t.kind is not Kind.PUPILS
                and not _bins_and_potholes(t)
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
        weary_words = _WEARY_WORDS.find(doc.text, lower)
        for m in windowed(_WEARY, lower, weary_words, 30, 50) if weary_words else ():
            job = re.search(r"job|place|school|profession|career|work|marking|planning", m.group())
            found.append((m.start(), m.end(), 0.8 if job else 0.65, job is not None))
        load_words = _WORKLOAD_WORDS.find(doc.text, lower)
        if load_words:
            found += [
                (m.start(), m.end(), 0.65, True)
                for m in windowed(_WORKLOAD, lower, load_words, 40, 60)
            ]
        for m in hours:
            many = int(m["n"]) >= (50 if m["unit"] == "week" else 11)
            if many:
                found.append(
                    (m.start(), m.end(), 0.65 + (0.1 if m["another"] else 0.0), m["unit"] == "week")
                )
        if not found:
            return
        work = [c for c in cues if c.strength >= 0.5] + self._audience.names(doc)
        if _HOME_PROJECT.search(lower) and all(
            c.kind is Kind.WORK and lower[c.start : c.end] in _GENERIC_JOB for c in work
        ):
            return  # "tiling the bathroom, this job is breaking me 😂"
        # several signs of venting in one post ("running on empty... nothing left") add up
        distinct = {lower[start:end] for start, end, _s, _w in found if not negated(lower, start)}
        bonus = min(0.1, 0.05 * (len(distinct) - 1))
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
            if strength < 0.7 and _laughing(lower, s_start, s_end):
                continue  # "I give up trying to keep the classroom tidy 😂": a light joke
            score = strength + (0.05 if same_sentence else 0.0) + bonus
            if cues:  # sentiment only where the post is about work (VADER is slow)
                mood = scorer.of(s_start, s_end) if scorer.has_feeling(s_start, s_end) else 0.0
                if mood >= 0.5 and strength < 0.75:
                    continue  # "exhausted but so proud of the kids"
                if mood <= -0.6:
                    score += 0.1
            key = (s_start, s_end)
            if key not in best or score > best[key][0]:
                best[key] = (score, start, end)
        for (_s, _e), (score, start, end) in sorted(best.items()):
            yield self.span("VE101", start, end, score, "", doc)


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

    def has_positive(self, start: int, end: int) -> bool:
        """Whether VADER could find ``start..end`` warm: a warm word, or an emoji."""
        return self._strongest(start, end)[0] >= 1.0

    def has_feeling(self, start: int, end: int) -> bool:
        """Whether VADER could find ``start..end`` warm or bitter at all."""
        high, low = self._strongest(start, end)
        return high >= 1.0 or low <= -1.2

    def _strongest(self, start: int, end: int) -> tuple[float, float]:
        span = self.text[start:end]
        if not span.isascii():
            return (9.0, -9.0)  # emoji: VADER reads their descriptions
        lexicon = _analyzer().lexicon
        values = [lexicon.get(t, 0.0) for t in _TOKEN.findall(span.lower())]
        return (max(values, default=0.0), min(values, default=0.0))


_TOKEN = re.compile(r"[a-z][a-z'’-]*")


def _has_negative_word(sentence: str) -> bool:
    lexicon = _analyzer().lexicon
    return any(lexicon.get(token, 0.0) <= -1.5 for token in _TOKEN.findall(sentence))


_NOTHING_BUT = re.compile(r"\s+but\b")


def _strength(target: Cue, about_work: bool) -> float:
    """How surely a target is the author's employer; "the school" counts in a post about work."""
    return target.strength + (0.25 if about_work and target.strength < 0.6 else 0.0)


def _bins_and_potholes(target: Cue) -> bool:
    """ "The council have once again failed to empty our bins 🙄": an unnamed council is the
    employer only for some staff, so sarcasm and mocking questions about it are left alone; the
    named local authority still counts."""
    return target.kind is Kind.COUNCIL and target.strength < 0.85


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
