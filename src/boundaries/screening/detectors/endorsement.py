"""The employer used to endorse a political cause (EN101) or to promote a product (EN102).

Both need an anchor that puts the school or the author's role behind the message: the school's
name, "our school", "Brookfield staff", "as a teacher at Brookfield" (strong) or "as a teacher"
(weaker: the role, not the employer). EN101 then needs an endorsing verb ("vote", "back", "support",
"stand with", "sign the petition") and a political object (a party, a candidate, the strike, a
petition) in the same sentence; EN102 a commercial offer ("20% off", "use code", "my shop",
"DM for prices") or a recommendation of a business ("I recommend X tutoring"). The school's own
events (the PTA cake sale, the school council election) are not endorsements.
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
    Hit,
    Kind,
    PhraseMatcher,
    sentence_of,
    sentences,
    windowed,
    workplace_cues,
)

EN101 = Rule(
    code="EN101",
    name="employer-endorses-politics",
    message="The school or your role used to back a political cause",
    what="Posts that use the school's name or the author's job there to endorse a party, a "
    "candidate, a strike or a campaign.",
    example="As a teacher at Brookfield I urge every parent to vote Labour on Thursday.",
    instead="I'll be voting on Thursday. Whoever you support, please use your vote!",
    fix="Keep political views personal: don't name the school or your job there when you back a "
    "party, candidate or campaign.",
)
EN102 = Rule(
    code="EN102",
    name="employer-promotes-product",
    message="The school or your role used to promote a product or business",
    what="Posts that use the school's name or the author's job there to sell or recommend a "
    "product, a service or a business.",
    example="Brookfield staff get 20% off at my shop, use code BROOK20!",
    instead="20% off at my shop this weekend, use code SPRING20!",
    fix="Promote your business without naming the school or your role there.",
)

_ROLES = (
    r"(?:teacher|headteacher|head\s+teacher|head|deputy\s+head|teaching\s+assistant|(?-i:TA)|"
    r"governor|member\s+of\s+staff|staff\s+member|educator|school\s+leader|senco|ta)"
)
_ROLE_ANCHOR = re.compile(
    rf"\bas\s+(?:a|an|the|your)\s+(?:\w+\s+){{0,2}}?{_ROLES}\b(?P<at>\s+(?:at|in|of|for|from)\s+"
    r"(?:my|our|a\s+local|the|this)\s+(?:\w+\s+)?(?:school|academy))?"
    rf"|\b(?:i|we)\s+(?:teach|work)\s+(?:at|in)\s+(?:a|my|our|the)\s+(?:\w+\s+)?school\b",
    re.IGNORECASE,
)
_AT = re.compile(r"\s+(?:at|in|of|for|from)\s+", re.IGNORECASE)
_ENDORSE = re.compile(
    r"\b(?:vot(?:e|es|ing|ed)|urge\s+(?:you|everyone|all|every\s+\w+)\s+to|elect|re-?elect|"
    r"support(?:s|ing)?|backs|backing|backed|back\s+(?:the|our|this|a|an|their)|stand(?:s|ing)?\s+(?:with|behind)|endors(?:e|es|ed|ing)|"
    r"campaign(?:s|ing)?\s+(?:for|against)|sign\s+(?:the|this|our|my)\s+petition|"
    r"join\s+(?:the|us\s+(?:on|at)\s+the)\s+(?:march|strike|picket|protest|rally)|"
    r"solidarity\s+with|behind\s+the\s+strike|proud\s+to\s+support|get\s+behind|"
    # "you've got the Brookfield staffroom vote", "has our vote", "gets my vote"
    r"(?:you['’]ve|you\s+have|has|have|gets?|got)\s+(?:got\s+)?(?:the|our|my|all\s+(?:our|the))\s+"
    r"(?:[\w'’-]+\s+){0,2}votes?|our\s+votes?\s+(?:goes|go|is\s+going)\s+to|"
    # "is exactly the Labour MP Northshire needs", "the right choice for Hill Ward"
    r"(?:exactly\s+)?(?:the|what)\s+(?:\w+\s+){0,3}(?:mp|candidate|councillor|mayor|leader|"
    r"government|party|voice)\s+(?:\w+\s+){0,2}(?:needs|deserves)|(?:is|are)\s+the\s+(?:right|"
    r"best|only|obvious|clear)\s+(?:choice|candidate|option|person)|"
    # "says YES to the 20mph campaign! Sign and share"
    r"say(?:s|ing)?\s+(?:yes|no)\s+to|sign\s+and\s+share|retweet\s+if|(?:staff|teachers)\s+for\s+(?=[A-Z])|please\s+sign|sign\s+(?:it|up|now|here|"
    r"today)|add\s+your\s+name)\b",
    re.IGNORECASE,
)
_POLITICAL = re.compile(
    r"\b(?-i:Labour|Tory|Tories|Conservatives?|Lib\s+Dems?|Liberal\s+Democrats?|Reform(?:\s+UK)?|"
    r"Green\s+Party|the\s+Greens|Greens|SNP|Plaid(?:\s+Cymru)?|UKIP)\b"
    r"|\b(?:candidate|councillor|mp|mayoral|general\s+election|local\s+elections?|election|"
    r"by-election|referendum|manifesto|the\s+strike|strike\s+action|strikes|industrial\s+action|"
    r"neu|nasuwt|naht|the\s+union|union['’]s|ballot|petition|protests?|(?:the|a)\s+march|brexit|"
    r"the\s+party|party\s+leader|vote\s+(?:yes|no)|vot(?:e|ing)\s+(?-i:Green)|cllr|"
    r"campaign|mp['’]?s?|council\s+seat|just\s+stop\s+oil|extinction\s+rebellion|"
    r"climate\s+action|(?-i:Corbyn|Starmer|Sunak|Farage|Badenoch|Davey|Reeves|Rayner))\b"
    r"|🗳|#\s*vote\w*|\bfor\s+(?:[A-Z][a-z]+\s+){1,3}(?:ward|west|east|north|south|central|"
    r"seat|constituency)\b",
    re.IGNORECASE,
)
_SCHOOL_POLITICS = re.compile(
    r"\b(?:school\s+council|student\s+council|pupil\s+council|eco\s+council|class\s+rep|"
    r"pupil\s+parliament|house\s+captains?|head\s+(?:boy|girl)|mock\s+election|"
    r"youth\s+parliament)\b",
    re.IGNORECASE,
)
# Charity and school campaigns ("the Walk to School campaign") are not politics.
_CHARITY = re.compile(
    r"\b(?:charity|charities|fundrais\w*|children\s+in\s+need|comic\s+relief|sport\s+relief|"
    r"red\s+nose|walk\s+to\s+school|recycling|litter|reading\s+campaign|anti-bullying|"
    r"road\s+safety\s+week|macmillan|nspcc|poppy\s+appeal|food\s+bank|jeans\s+for\s+genes)\b",
    re.IGNORECASE,
)
# A campaign is political when it is about public decisions: a road, a closure, cuts, a council.
_CIVIC = re.compile(
    r"\b(?:save|keep\s+(?:\w+\s+){1,3}open|closures?|clos(?:e|ing)|cuts?|\d+\s?mph|speed|roads?|"
    r"crossing|traffic|hospital|library|libraries|housing|development|planning|council|petition|"
    r"protest|against|stop\s+the|(?:say|says|saying)\s+(?:yes|no)\s+to|ban|bus\s+route|"
    r"green\s+belt|incinerator|bypass|funding|pay)\b",
    re.IGNORECASE,
)
# A commercial offer. Fixed phrases go through Aho-Corasick; the few with numbers or codes are
# patterns, tried only when their tell-tale character or word is in the post.
_COMMERCIAL_PHRASES = PhraseMatcher(
    (phrase, True, False, False)
    for phrase in (
        "discount code", "promo code", "voucher code", "referral code", "affiliate code",
        "use code", "use my code", "use the code", "my shop", "my business", "my small business",
        "my salon", "my company", "my store", "my etsy", "my website", "my stall",
        "my side hustle", "my tutoring business", "my online shop", "my tutoring", "my tuition",
        "my classes", "link in bio", "link in my bio", "special offer", "staff discount",
        "exclusive offer", "exclusive discount", "free trial", "free consultation", "avon",
        "younique", "herbalife", "forever living", "juice plus", "arbonne", "tupperware",
        "scentsy", "partylite", "neal's yard", "neals yard", "usborne", "book party", "#ad",
        "#gifted", "#sponsored", "#affiliate", "#promo", "#paidpartnership", "#collab",
        "paid partnership", "affiliate link", "book now", "book today", "book your slot",
        "book your place", "book your session", "taking bookings", "taking orders",
        "now taking", "orders open", "order now", "brand ambassador", "official ambassador",
        "ambassador for", "#ambassador", "#brandambassador", "partnered with",
        "in partnership with", "sponsored by", "#sponsor", "my affiliate", "join my team",
        "distributor", "consultant for", "my online business", "referral link",
        "my referral", "2-for-1 at", "2 for 1 at", "two for one at", "buy one get one free at",
        "show your lanyard", "show your school lanyard",
        "show your staff badge", "show your badge", "every classroom should have one",
        "every classroom needs one", "every school should have one",
    )
)  # fmt: skip
_COMMERCIAL = re.compile(
    r"\d{1,2}\s?%\s?off\b|\bcode\s+[A-Z0-9]{4,}\b"
    r"|(?:dm|message|pm|inbox)\s+(?:me\s+)?for\s+(?:prices|rates|details|bookings|info|a\s+quote)"
    r"|£\d+\s*(?:per|an|a|/)\s*(?:hour|hr|session|lesson|class)"
    r"|\boffering\s+(?:\S+\s+){0,3}?(?:tutoring|tuition|lessons|classes|sessions)\b"
    # "my husband's firm is doing a discount for Brookfield staff"
    r"|\b(?:doing|offering|giving|get|gets|got)\s+(?:an?\s+)?(?:\d{1,2}\s?%\s+|special\s+|"
    r"exclusive\s+|great\s+|little\s+)?discount\b|\bdiscount\s+for\b"
    # "tell them Miss M sent you": a referral
    r"|\b(?:tell|say)\s+(?:them|him|her)\s+(?:\w+\s+){1,3}?sent\s+you\b",
    re.IGNORECASE,
)
_COMMERCIAL_TELLS = PhraseMatcher(
    (word, True, False, False) for word in ("%", "code", "for", "£", "offering", "discount", "sent")
)
# "my cake business", "my husband's firm" (not "my local shop", "mind my own business"); tried
# only from each "my".
_MY_BUSINESS = re.compile(
    r"my\s+(?:own\s+|little\s+|new\s+)?(?!(?:local|corner|favourite|fave|usual|nearest|village|"
    r"regular|go-to|old|first)\b)(?:[\w-]+\s+)?(?:business|shop|salon|company|store|stall|"
    r"side\s+hustle|bakery)\b"
    r"|my\s+(?:husband|wife|partner|hubby|mum|mam|dad|sister|brother|friend|son|daughter|"
    r"cousin|auntie|uncle|bestie)['’]s\s+(?:\w+\s+)?(?:firm|business|company|shop|salon|caf[eé]|"
    r"restaurant|garage|gym|bakery|studio)\b",
    re.IGNORECASE,
)
_MY = PhraseMatcher([("my", True, False, False)])
_RECOMMEND = re.compile(
    r"\b(?:highly\s+|strongly\s+|thoroughly\s+|definitely\s+)?recommend(?:s|ed|ing)?\b"
    r"|\bcheck\s+out\b|\bsign\s+up\b|\bgo\s+(?:and\s+)?(?:see|visit|try)\b|\bswear\s+by\b"
    r"|\b(?:the\s+)?best\s+(?=(?:\w+\s+){0,2}(?:tutor|tutoring|company|shop|app|planners?|"
    r"products?)\b)",
    re.IGNORECASE,
)
_PRODUCT = re.compile(
    r"\b(?:tutor|tutors|tutoring|tuition|shop|business|company|brand|products?|app|services?|"
    r"salon|classes|courses?|ltd|limited|website|store|subscription|franchise|clinic|gym|"
    r"studio|agency|planners?|books?)\b",
    re.IGNORECASE,
)
_SCHOOL_EVENT = re.compile(
    r"\b(?:pta|ptfa|friends\s+of|cake\s+sale|bake\s+sale|raffle|tombola|fundrais\w*|book\s+fair|"
    r"uniform\s+(?:shop|sale)|school\s+shop|non-uniform|charity|children\s+in\s+need|"
    r"comic\s+relief|sport\s+relief|school\s+photos?|summer\s+fair|christmas\s+fair|fete|"
    r"open\s+(?:day|evening)|admissions|nursery\s+places|school\s+places|breakfast\s+club|"
    r"after[\s-]school\s+club|holiday\s+club|ofsted)\b",
    re.IGNORECASE,
)


# Words the three patterns need; the (slow) patterns run only when Aho-Corasick finds one.
_WORDS = {
    "endorse": "vot* urge elect* re-elect* support* back* stand* endors* campaign* petition* join* "
    "retweet staff teachers "
    "solidarity behind proud get needs deserves choice candidate option person say* sign add "
    "exactly",
    "commercial": "off code* my dm pm message inbox book* link special staff exclusive free £ avon "
    "younique herbalife forever juice arbonne tupperware scentsy partylite neal* usborne #ad "
    "#gifted #sponsored #affiliate #promo #paidpartnership #collab paid affiliate offering "
    "discount* promo* voucher* referral* taking now orders order ambassador* #ambassador "
    "#brandambassador partnered partnership sponsored #sponsor join distributor consultant "
    "referral 2-for-1 2 two buy free show sent every",
    "recommend": "recommend* check sign go swear best",
}
_GATE = PhraseMatcher(
    (word, group, False, True) for group, words in _WORDS.items() for word in words.split()
)


@dataclass(frozen=True, slots=True)
class _Anchor:
    start: int
    end: int
    text: str
    strength: float  # the school itself (0.9) or only the author's role (0.6)


class EndorsementDetector(Detector):
    rules: ClassVar[tuple[Rule, ...]] = (EN101, EN102)

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self._work = workplace_cues(context)

    def detect(self, doc: Document) -> Iterable[Span]:
        words = _GATE.find(doc.text, doc.lower)
        if not words:
            return
        groups = {hit.value for hit in words}
        anchors = self._anchors(doc)
        if not anchors:
            return
        bounds = sentences(doc.text)
        if "endorse" in groups:
            yield from self._political(doc, anchors, bounds, words)
        if groups & {"commercial", "recommend"}:
            yield from self._commercial(doc, anchors, bounds, words)

    def _anchors(self, doc: Document) -> list[_Anchor]:
        out = []
        for cue in self._work.find(doc):
            if cue.kind is Kind.SCHOOL and cue.identifies:
                out.append(_Anchor(cue.start, cue.end, cue.text, 0.9))
            elif cue.identifies and cue.kind in {Kind.COLLEAGUES, Kind.PUPILS, Kind.MANAGEMENT}:
                out.append(_Anchor(cue.start, cue.end, cue.text, 0.75))  # "our staff", "our SLT"
            elif cue.kind is Kind.SCHOOL and cue.strength >= 0.5:
                out.append(_Anchor(cue.start, cue.end, cue.text, 0.6))  # "the school"
        schools = {a.start: a.end for a in out if a.strength >= 0.9}
        lower = doc.lower
        maybe_role = "as " in lower or "teach" in lower or "work" in lower
        for m in _ROLE_ANCHOR.finditer(doc.text) if maybe_role else ():
            at_school = m["at"] is not None or m.group().lower().endswith("school")
            at = _AT.match(doc.text, m.end())
            if at is not None and at.end() in schools:  # "as a teacher at Brookfield"
                end = schools[at.end()]
                out.append(_Anchor(m.start(), end, doc.text[m.start() : end], 0.9))
                continue
            out.append(_Anchor(m.start(), m.end(), m.group(), 0.85 if at_school else 0.6))
        return sorted(out, key=lambda a: a.start)

    def _political(
        self,
        doc: Document,
        anchors: list[_Anchor],
        bounds: list[tuple[int, int]],
        words: list[Hit[str]],
    ) -> Iterator[Span]:
        text = doc.text
        for verb in windowed(_ENDORSE, text, [w for w in words if w.value == "endorse"], 45, 40):
            s_start, s_end = sentence_of(bounds, verb.start())
            if _SCHOOL_POLITICS.search(text, s_start, s_end):
                continue
            # "Reform would be a disaster for our school. Don't vote for them.": the cause may be
            # in the sentence before the verb
            causes = [
                c
                for c in _POLITICAL.finditer(text, max(0, verb.start() - 120), verb.end() + 60)
                if c.start() >= s_start or verb.start() - c.end() <= 120
            ]
            if not causes:
                continue
            cause = min(causes, key=lambda c: abs(c.start() - verb.start()))
            if cause.group().lower() == "campaign" and (
                _CHARITY.search(text, s_start, s_end)
                or _SCHOOL_EVENT.search(text, s_start, s_end)
                or not _CIVIC.search(text, s_start, s_end)
            ):
                continue  # "Brookfield backs the Eco-Schools campaign": not politics
            near = [a for a in anchors if abs(a.start - verb.start()) <= 200]
            if not near:
                continue
            anchor = max(near, key=lambda a: a.strength)
            score = 0.9 if anchor.strength >= 0.85 else 0.8 if anchor.strength >= 0.75 else 0.6
            start = min(anchor.start, verb.start(), cause.start())
            end = max(anchor.end, verb.end(), cause.end())
            yield self.span(
                "EN101",
                start,
                end,
                score,
                f"'{anchor.text}' behind '{verb.group()}' ({cause.group()})",
                doc,
            )
            return

    def _commercial(
        self,
        doc: Document,
        anchors: list[_Anchor],
        bounds: list[tuple[int, int]],
        words: list[Hit[str]],
    ) -> Iterator[Span]:
        text = doc.text
        offers = [(h.start, h.end) for h in _COMMERCIAL_PHRASES.find(text, doc.lower)]
        tells = [h for h in _COMMERCIAL_TELLS.find(text, doc.lower)]
        offers += [(m.start(), m.end()) for m in windowed(_COMMERCIAL, text, tells, 30, 50)]
        for my in _MY.find(text, doc.lower):
            if not doc.lower.endswith("mind ", 0, my.start):
                m = _MY_BUSINESS.match(text, my.start)
                if m is not None:
                    offers.append((m.start(), m.end()))
        recommend = [w for w in words if w.value == "recommend"]
        for rec in windowed(_RECOMMEND, text, recommend, 20, 30):
            s_start, s_end = sentence_of(bounds, rec.start())
            product = _PRODUCT.search(text, rec.end(), s_end)
            if product is not None and product.start() - rec.end() <= 40:
                offers.append((rec.start(), product.end()))
        for start, end in sorted(offers):
            s_start, s_end = sentence_of(bounds, start)
            if _SCHOOL_EVENT.search(text, s_start, s_end) and not _own_business(
                text, s_start, s_end
            ):
                continue  # the PTA cake sale, the school's open day
            near = [a for a in anchors if abs(a.start - start) <= 150]
            if not near:
                continue
            anchor = max(near, key=lambda a: a.strength)
            score = 0.8 if anchor.strength >= 0.85 else 0.7 if anchor.strength >= 0.75 else 0.55
            yield self.span(
                "EN102",
                min(anchor.start, start),
                max(anchor.end, end),
                score,
                f"'{anchor.text}' used to promote '{text[start:end]}'",
                doc,
            )
            return


def _own_business(text: str, start: int, end: int) -> bool:
    return (
        re.search(r"\bmy\s+(?:shop|business|salon|company|store|etsy)\b", text[start:end], re.I)
        is not None
    )
