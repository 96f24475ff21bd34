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
    Other,
    PhraseMatcher,
    audience_cues,
    leftmost_longest,
    negated,
    other_people,
    read_lexicon,
    sentence_of,
    sentences,
    subject_of,
    windowed,
    workplace_cues,
)
from boundaries.screening.year_groups import YEAR_ANY_SPACED

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
    r"section\s+[58](?:\s+inspection)?|s[58]\s+inspection|"
    # the codes staff use: "the O-word", "the men in grey suits", "the big O"
    r"the\s+o[\s-]?word|the\s+(?:men|women|people|ladies|folk)\s+(?:in|with)\s+(?:the\s+)?grey\s+"
    r"suits|the\s+grey\s+suits|the\s+big\s+o\b|the\s+clipboards|(?:an?\s+|the\s+|our\s+)?"
    r"(?:ofsted\s+|hmi\s+)?monitoring\s+visit|(?:an?\s+|the\s+)?(?:ofsted|hmi|inspection)\s+"
    r"(?:visit|call|team)|(?:(?:the|a|our|his|her|their)\s+)?(?:\w+\s+)?deep[\s-]dives?|inspection|"
    r"(?:(?:we['’]?re|we\s+are|were|we['’]?ll\s+be|we\s+will\s+be|gonna\s+be|going\s+to\s+be)\s+"
    r"(?:being\s+|getting\s+)?|getting\s+)inspected(?!\s+by\s+(?:the\s+)?(?:fire|gas|council|environmental|health|food|hygiene|"
    r"building|electric\w*|insurance|landlord|dvla|mot)))"
)
_ARRIVE = (
    r"(?:(?:are|is|['’]re|['’]s|will\s+be|are\s+going\s+to\s+be|were)\s+)?(?:in|coming(?:\s+in)?|"
    r"due(?:\s+in)?|arriving|arrive|arrives|visiting|here|back|descending|descend|turning\s+up|"
    r"turn\s+up|rock(?:ing)?\s+up|landing|land|booked|with\s+us|in\s+school|on\s+(?:their|its)\s+way|"
    r"(?:got\s+|been\s+|has\s+been\s+|was\s+)?(?:moved\s+(?:up|forward)|brought\s+forward)(?:\s+to)?)"
)
_DAYS = r"(?:mon|tues?|weds?|wed(?:nes)?|thu(?:rs?)?|fri)(?:day)?"
_WHEN = (
    r"(?P<{name}>tomorrow|tmrw|tmw|next\s+week|on\s+"
    + _DAYS
    + r"|"
    + _DAYS
    + r"(?:\s+and\s+"
    + _DAYS
    + r")?|this\s+week|later\s+this\s+week|in\s+the\s+morning|first\s+thing|"
    r"any\s+day(?:\s+now)?|this\s+term|soon|today|this\s+morning|imminently|(?:the\s+)?next\s+"
    r"(?:fortnight|few\s+(?:days|weeks)|couple\s+of\s+(?:days|weeks))|within\s+(?:a|the)\s+"
    r"(?:week|fortnight)|on\s+the\s+\d{{1,2}}(?:st|nd|rd|th)?|(?:in|after)\s+(?:two|three|2|3)\s+"
    r"days|both\s+days|all\s+week)"
)
_INSPECTION_SOON = re.compile(
    rf"\b{_INSPECT}\s+(?:{_ARRIVE}\s+)?(?:\w+\s+){{0,2}}?{_WHEN.format(name='when')}\b"
    rf"|\b{_WHEN.format(name='when2')}[\s,:—–-]+(?:\w+\s+){{0,3}}?{_INSPECT}\b"
    r"(?!['’]s|\s+(?:framework|training|report))"
)
# "the O-word is coming to Brookfield", "Ofsted are on their way": no day, but on its way.
_INSPECTION_COMING = re.compile(
    rf"\b{_INSPECT}\s+(?:(?:is|are|['’]s|['’]re)\s+)?(?:coming|arriving|descending|on\s+(?:their|"
    r"its)\s+way|due)\b(?!\s+(?:out|up\s+with|for\s+(?:all|every)|round\s+to|to\s+(?:check|fix|"
    r"look|inspect|test|service|read|assess|see\s+the)))"
)
# Inspectors of anything ("the gas inspector"): the school inspection only with school talk.
_GENERIC_INSPECTION = re.compile(r"(?:the\s+|an\s+|our\s+)?(?:inspect|monitoring)")
_INSPECTION = re.compile(rf"\b{_INSPECT}\b")
_CALL = re.compile(
    r"\b(?:got|had|received|get|getting|took|taken)\s+(?P<q>['\"‘’“”])?(?:the|that|our)\s+"
    r"(?:call|phone\s*call|phonecall)\b|\bthe\s+(?:phone\s*)?call\s+(?:came|has\s+come|"
    r"came\s+in|finally\s+came|arrived|just\s+came)\b"
)
_SECRECY = re.compile(
    r"\bkeep\s+(?:it|this)\s+(?:quiet|under\s+wraps|hush[\s-]hush|to\s+yourselves?)|\bhush[\s-]hush"
    r"|\bshh+\b|\bdon['’]?t\s+tell\s+anyone|\bcan['’]?t\s+say\s+(?:more|much|anything|yet|why|what)"
    r"|\b(?:a\s+)?reason\s+i\s+can['’]?t\s+(?:say|share|tell)|\bcan['’]?t\s+tell\s+you\s+why"
    r"|\bnot\s+(?:allowed|supposed)\s+to\s+(?:say|tell|post)|\bbefore\s+it['’]?s\s+announced"
    r"|\bnot\s+(?:been\s+|yet\s+)?announced|\bnot\s+public\s+yet|\bnot\s+official\s+yet"
    r"|\bnobody\s+knows\s+yet|\bmum['’]?s\s+the\s+word|\bunder\s+wraps|🤫"
    r"|\b(?:parents|the\s+parents|families)\s+(?:don['’]?t|do\s+not|haven['’]?t\s+been)\s+"
    r"(?:know|been\s+told|told)\s+yet|\bshouldn['’]?t\s+(?:say|be\s+saying)\s+(?:anything|this)"
)
_INSPECTION_PAST = re.compile(
    r"\b(?:report|published|came\s+out|rated|judged|graded|outcome|result|verdict|"
    r"we\s+got\s+(?:good|outstanding|requires|inadequate|a\s+good|an\s+outstanding|our\s+(?:report|"
    r"result))|survived|went\s+well|last\s+week|yesterday|last\s+month|last\s+year|over\s+now|"
    r"done\s+and\s+dusted|finished|after|post|framework|handbook|training|course|webinar|"
    r"consultation|toolkit|reforms?|report\s+cards?|mock|mocksted|chief\s+inspector)\b"
)
_SCHOOL_TALK = re.compile(
    r"\b(?:you\s+know\s+what\s+that\s+means|lanyards?|deep\s+dives?|sef|the\s+inspection|"
    r"inspectors|ofsted|book\s+looks?|learning\s+walks?|display\s+boards?|working\s+walls?|"
    r"the\s+big\s+one|all\s+hands\s+on\s+deck|half[\s-]term)\b"
)
_DEEP_DIVE = re.compile(r"deep[\s-]dive")
# Inspection words that could be any inspection (an MOT, the gas): they need a school context.
_BARE = re.compile(r"(?:an\s+|our\s+)?inspect|inspectors|(?:an?\s+|the\s+|our\s+)?monitoring")
_GENERIC_TALK = frozenset({"inspectors", "the inspection"})
_OTHER_INSPECTION = re.compile(
    r"\b(?:landlord|letting\s+agent|mot|boiler|gas|fire\s+(?:brigade|officer|safety|service)|"
    r"environmental\s+health|food\s+hygiene|hygiene|building\s+control|insurance|scaffold\w*|"
    r"lift|electrics?|meter|car|van|house|flat|kitchen\s+at\s+home)\b"
)
# Words an inspection phrase needs: the (long) patterns run only near them.
_INSPECTION_ANCHORS = PhraseMatcher(
    (w, True, False, True)
    for w in (
        "ofsted", "inspect*", "hmi", "siams", "section", "s5", "s8", "o-word", "o word", "grey",
        "big o", "deep", "clipboards", "monitoring",
    )
)  # fmt: skip
# Words a secrecy phrase starts with: the (long) pattern runs only from them.
_SECRECY_WORDS = PhraseMatcher(
    (w, True, False, True)
    for w in (
        "keep", "hush", "shh*", "don't", "dont", "can't", "cant", "reason", "not", "before",
        "nobody", "mum's", "mums", "under", "🤫", "parents", "families", "shouldn't", "shouldnt",
    )
)  # fmt: skip


def _secrecy(lower: str) -> re.Match[str] | None:
    """The first sign that the news is not to be shared ("keep it quiet", "mum's the word")."""
    words = _SECRECY_WORDS.find(lower, lower)
    found = windowed(_SECRECY, lower, words, 0, 60) if words else []
    return found[0] if found else None


_WHEN_WEAK = {"today", "this morning", "this term", "soon", "any day", "any day now", "imminently"}
# Words the inspection patterns need (the gate before any regular expression runs).
_INSPECTION_WORDS = (
    "ofsted", "inspect", "hmi", "siams", "call", "section", "o-word", "o word", "grey suit",
    "big o", "deep dive", "deep-dive", "clipboards", "monitoring visit",
)  # fmt: skip

# --- CF103 ------------------------------------------------------------------------------------
_CHILD_NOUNS = (
    r"(?:boy|girl|child|kid|lad|lass|pupil|student|little\s+one|littlie|tiddler|baby|youngster)s?"
)
_CHILD_STRONG = re.compile(
    rf"\b(?:an?|one|this|that|the)\s+(?:little\s+|young\s+|\w+est\s+)?{_CHILD_NOUNS}"
    # "year", "y6": only the start of a year group is needed after "a boy in" (no \b follows).
    r"\s+(?:in|from)\s+(?:my|our|year|reception|nursery|the\s+class|class|y\d)"
    r"|\bone\s+of\s+(?:my|our)\s+(?:(?:little|lovely|quiet|youngest|oldest)\s+)?(?:kids|pupils|"
    r"children|boys|girls|students|class|tutees|lads|little\s+ones|littlies|little\s+people|"
    r"tiddlers|babies|lot|families|reception(?:\s+kids)?|nursery(?:\s+kids)?|"
    rf"{YEAR_ANY_SPACED}s?)\b"
    r"|\bone\s+of\s+the\s+(?:kids|children|pupils|boys|girls|students|families)\s+(?:in|from|at)\b"
    r"|\bin\s+my\s+(?:class|form|tutor\s+group|reading\s+group)\b|\bmy\s+(?:pupil|student)\b"
    rf"|\b{YEAR_ANY_SPACED}\s+{_CHILD_NOUNS}\b"
    rf"|\bone\s+of\s+(?:mine|ours)\b|\b(?:an?|one)\s+{YEAR_ANY_SPACED}\b(?!\s+(?:teacher|ta)\b)"
)
_CHILD_WEAK = re.compile(
    r"\b(?:an?|this|that|the)\s+(?:little\s+|young\s+)?(?:boy|girl|child|kid|lad|pupil|student|"
    r"toddler|baby)\b|\b(?:his|her|their)\s+(?:mum|dad|mother|father|parents|stepdad|step-dad|"
    r"family|home|social\s+worker|nan|gran)\b|\bthe\s+family\b"
    r"|\bpoor\s+(?:kid|child|little\s+(?:mite|thing|one|boy|girl)|lamb|mite)\b"
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
    r"\b(?:news|report\s+says|in\s+the\s+paper|according\s+to|inquiry|review\s+found|"
    r"documentary|podcast|programme|article|panorama|dispatches)\b"
)
_DBS = re.compile(r"\b(?:dbs|full|enhanced|crb)\s+$")

# --- CF104 ------------------------------------------------------------------------------------
_STAFF_TERM_NOT = re.compile(
    r"suspended\s+(?:sentence|ceiling|animation|from\s+the|above|over|in\s+mid|until)"
    r"|signed\s+off\s+(?:on|the|by|my|our|his|her|their|all|it|a|an|that|this)\b"
    r"|resigned\s+(?:to|myself|ourselves)\b"
)
_STAFF_TERM_NOT_BEFORE = re.compile(
    r"(?:match|game|service|trains?|fixture|play|card|account|ship|boat|ferry|sub)\s+$"
)
_LET_GO_OF = re.compile(r"let\s+go\s+of\b")
# Pay: a pay-scale point ("the new deputy's on L12", "she's UPS3") or a salary ("he's on £60k").
_PAY = re.compile(
    r"(?-i:\b(?:L|M|U|UPS|MPS|UPR|TLR)\s?\d{1,2}[ab]?\b)"
    r"|\b(?:the\s+)?(?:upper\s+pay\s+(?:scale|range)|leadership\s+(?:scale|spine|pay\s+range))"
    r"|£\s?\d{2,3}(?:,\d{3}|k)\b|\b\d{2,3}k\b(?!\s+(?:steps|run|race|followers))",
    re.IGNORECASE,
)
# ... said of someone: "'s on", "is paid", "earns", "moved to"
_PAY_BEFORE = re.compile(
    r"(?:['’]s|\bis|\bwas|\bare|\bwere|\bbeen|\bgets?|\bgot|\bpaid|\bearning|\bearns?|\bmoved\s+to|"
    r"\bput\s+on|\bgone\s+up\s+to)\s+(?:on\s+)?$",
    re.IGNORECASE,
)
_PAY_GATE = re.compile(
    r"£|\dk\b|\b(?:l|m|u|ups|mps|upr|tlr)\s?\d|upper\s+pay|leadership\s+(?:scale|spine|pay)"
)
# Records that make a date of birth or an NI number a staff record.
_HR_RECORD = re.compile(
    r"\b(?:hr|payroll|personnel|starter|form|file|records?|payslip|pay\s+slip|contract|"
    r"application|dbs)\b",
    re.IGNORECASE,
)
# "Sarah's been signed off with stress": a first name not in the context, just before the matter.
_NAME_BEFORE = re.compile(
    r"(?:^|[\s(\"“‘])(?P<name>[A-Z][a-z]+(?:\s+[A-Z]\.?)?)(?:['’]s|\s+(?:is|was|has|had|"
    r"got|will\s+be))\s+(?P<gap>(?:[a-z-]+\s+){0,3})$"
)
# "Sarah's mum got a written warning": the matter is someone else's.
_NOT_THEIRS = re.compile(
    r"\b(?:mum|mam|dad|husband|wife|partner|son|daughter|brother|sister|friend|boyfriend|"
    r"girlfriend|kid|kids|child|dog|car)\b"
)
# Staff matters that are about work whoever has them ("signed off with stress", "capability").
_HR_ONLY = re.compile(
    r"capab|disciplin|warning|misconduct|grievance|tribunal|signed\s+off|off\s+with\s+(?:stress|"
    r"anxiety|depression|work)|phased\s+return|sick(?:ness)?\s+(?:leave|absence)|long[\s-]term\s+"
    r"sick|suspen|docked|redundan|settlement|managed\s+out"
)
# Capitalised words that are not a colleague's name before "'s been signed off".
_NOT_A_NAME = frozenset(
    (
        "it", "this", "that", "there", "here", "what", "who", "everything", "nothing", "something",
        "everyone", "someone", "nobody", "life", "work", "school", "today", "tomorrow", "yesterday",
        "mum", "mam", "dad", "nan", "gran", "grandad", "grandma", "hubby", "husband", "wife",
        "partner", "son", "daughter", "brother", "sister", "friend", "bestie", "boss", "baby",
        "dog", "cat", "he", "she", "they", "we", "you", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may",
        "june", "july", "august", "september", "october", "november", "december", "christmas",
        "easter", "spurs", "arsenal", "chelsea", "city", "united", "rovers", "the", "and", "but",
        "so", "apparently", "honestly", "word", "rumour", "news", "someone's",
    )
)  # fmt: skip


_TermHit = Hit[tuple[float, frozenset[str]]]
_PAY_FLAGS: frozenset[str] = frozenset()


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
        pay = [Hit(m.start(), m.end(), True) for m in _PAY_GATE.finditer(doc.lower)]
        if pay:  # pay points and salaries, tried only where a "£", "L9" or "UPS" is
            staff += [
                Hit(m.start(), m.end(), (0.75, _PAY_FLAGS))
                for m in windowed(_PAY, doc.text, pay, 8, 30)
                if _PAY_BEFORE.search(doc.text, max(0, m.start() - 20), m.start())
            ]
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
        if not any(word in lower for word in _INSPECTION_WORDS):
            return
        bounds = sentences(doc.text)
        # the long patterns run only near an inspection word (fast), each at most once
        anchors = _INSPECTION_ANCHORS.find(doc.text, lower)
        mentions = [
            Hit(m.start(), m.end(), True)
            for m in (windowed(_INSPECTION, lower, anchors, 50, 40) if anchors else ())
        ]
        call = _CALL.search(lower) if "call" in lower else None
        secret = _secrecy(lower)
        hush = secret is not None or call is not None
        flagged = False
        for m in windowed(_INSPECTION_SOON, lower, mentions, 70, 80) if mentions else ():
            s_start, s_end = sentence_of(bounds, m.start())
            if _INSPECTION_PAST.search(lower[s_start:s_end]) or _OTHER_INSPECTION.search(
                lower, s_start, s_end
            ):
                continue
            when = " ".join((m["when"] or m["when2"] or "").split())
            score = 0.6 if when in _WHEN_WEAK else 0.85
            if _BARE.match(m.group()) and not (hush or self._school_context(doc)):
                continue  # "inspection on the 12th": an MOT, unless the post is about school
            if _DEEP_DIVE.search(m.group()) and not (hush or "ofsted" in lower or "hmi" in lower):
                continue  # a deep dive may be the trust's own review
            if hush:
                score += 0.1
            flagged = True
            yield self.span("CF102", m.start(), m.end(), score, f"inspection '{when}'", doc)
        if flagged:
            return
        for m in windowed(_INSPECTION_COMING, lower, mentions, 0, 60) if mentions else ():
            s_start, s_end = sentence_of(bounds, m.start())
            if _INSPECTION_PAST.search(lower[s_start:s_end]) or _DEEP_DIVE.search(m.group()):
                continue
            if _GENERIC_INSPECTION.match(m.group()) and not (hush or self._school_context(doc)):
                continue
            score = 0.7 + (0.1 if hush else 0.0)
            yield self.span("CF102", m.start(), m.end(), score, "inspection on its way", doc)
            return
        for found, reason in ((call, "got the call"), (secret, "inspection kept quiet")):
            if found is None:
                continue
            m = found
            s_start, s_end = sentence_of(bounds, m.start())
            if _INSPECTION_PAST.search(lower[s_start:s_end]):
                continue
            if mentions:
                score = 0.9 if m is call else 0.8
            elif m is call and (_SCHOOL_TALK.search(lower) or self._names_school(doc)):
                # "we've had 'the phone call' #brookfield": quotes mark the code; the displays
                # and "tomorrow's the big one" say which call it was
                talk = len({t.group() for t in _SCHOOL_TALK.finditer(lower)})
                written = doc.text[m.start() : m.end()].split()
                marked = m["q"] or any(len(w) > 1 and w.isupper() for w in written)
                score = 0.75 if marked else 0.6
                score = min(0.85, score + 0.05 * talk)
            else:
                continue
            yield self.span("CF102", m.start(), m.end(), score, reason, doc)
            return

    def _school_context(self, doc: Document) -> bool:
        lower = doc.lower
        return any(t.group() not in _GENERIC_TALK for t in _SCHOOL_TALK.finditer(lower)) or any(
            c.strength >= 0.6 and c.kind is not Kind.INSPECTION for c in self._work.find(doc)
        )

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

    def _named_colleague(
        self, doc: Document, hit: _TermHit, s_start: int, others: list[Other]
    ) -> Span | None:
        """ "Sarah's been signed off with stress again": someone named just before a clear staff
        matter, though not in the context, is probably a colleague (reported for review)."""
        strength, _flags = hit.value
        if strength < 0.75:
            return None
        text = doc.text
        if not _HR_ONLY.search(doc.lower, hit.start, hit.end) and not any(
            c.strength >= 0.5 for c in self._work.find(doc)
        ):
            return None  # "Dave got the sack from the quiz team": not work
        m = _NAME_BEFORE.search(text, max(s_start, hit.start - 40), hit.start)
        if m is None or m["name"].split()[0].lower() in _NOT_A_NAME or _NOT_THEIRS.search(m["gap"]):
            return None
        if any(o.kind == "other" and s_start <= o.start < m.start() for o in others):
            return None  # "my friend Sarah's been signed off"
        return self.span(
            "CF104",
            m.start("name"),
            hit.end,
            0.6,
            f"'{text[hit.start : hit.end]}' about {m['name']} (a colleague?)",
            doc,
        )

    def _staff_spans(self, doc: Document, hits: list[_TermHit]) -> Iterator[Span]:
        text, lower = doc.text, doc.lower
        cues = self._work.find(doc)
        people = [c for c in cues if c.kind in STAFF_KINDS and c.person]
        orgs = people + [
            c
            for c in cues
            if c.kind in {Kind.SCHOOL, Kind.MANAGEMENT, Kind.COUNCIL} and not c.person
        ]
        others = other_people(lower, orgs)
        bounds = sentences(text)
        hr_record: bool | None = None
        for hit in hits:
            strength, flags = hit.value
            if (
                _STAFF_TERM_NOT.match(lower, hit.start)
                or _STAFF_TERM_NOT_BEFORE.search(lower[max(0, hit.start - 12) : hit.start])
                or _LET_GO_OF.match(lower, hit.start)
                or negated(lower, hit.start, 12)
            ):
                continue
            if "hr" in flags:
                if hr_record is None:
                    hr_record = _HR_RECORD.search(text) is not None
                if not hr_record:
                    continue  # "date of birth" in a reference or a birthday post
            s_start, _s_end = sentence_of(bounds, hit.start)
            if not orgs:
                named = self._named_colleague(doc, hit, s_start, others)
                if named is not None:
                    yield named
                continue
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
            if subject is None:
                named = self._named_colleague(doc, hit, s_start, others)
                if named is not None:
                    yield named
                continue
            if subject.strength < 0.5:
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
