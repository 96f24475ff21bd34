"""PD: personal data made public: phone numbers, e-mail and postal addresses, dates of birth,
National Insurance numbers and IMEIs (policy 6.6, 6.9, 5.3.3; 7.5 for the IMEI).

Each value is validated (phonenumbers, UK postcode rules, the NINO prefix rules, the IMEI check
digit) and scored with the words around it, as Presidio's recognizers do: "call", "mobile",
"DOB", "lives at" raise a score; "order", "invoice", "ISBN", "£", a venue's name lower it.
A phone number or e-mail address that is the author's own and offered to pupils or parents is
left to :mod:`.own_contact` (OC101/OC102), so one value gives one finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from stdnum import imei as stdnum_imei

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.detectors.contact_values import (
    count_digits,
    email_key,
    email_offer,
    find_emails,
    find_phones,
    is_school_email,
    known,
    lexicon,
    may_spell_a_number,
    number_runs,
    phone_offer,
)
from boundaries.screening.lexicon_files import expand
from boundaries.screening.normalise import Document
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings

PD101 = Rule(
    code="PD101",
    name="phone-number",
    message="A phone number is made public",
    what="Finds UK and international phone numbers, also written in words ('oh seven seven "
    "double oh ...'), using the words around them to tell a phone number from an order number, "
    "a price, a date or a venue's booking line.",
    example="Lost dog near the rec! If you see him please ring my neighbour Sue on 07700 900461.",
    instead="Lost dog near the rec! If you see him please message me privately.",
    fix="Take the number out; ask people to message you privately, or give it to them directly "
    "with the owner's consent.",
    redact_as="PHONE",
)
PD102 = Rule(
    code="PD102",
    name="email-address",
    message="An e-mail address is made public",
    what="Finds e-mail addresses, including ones spelt out or disguised ('name at gmail dot "
    "com', 'name @ example . com', 'my gmail is name84'); role addresses such as office@ and "
    "school addresses are not reported.",
    example="Anyone selling tickets for Saturday? Email my friend Dan at dan.hughes77@gmail.com.",
    instead="Anyone selling tickets for Saturday? Message me and I'll put you in touch.",
    fix="Remove the address; share it privately, and only with the owner's consent.",
    redact_as="EMAIL",
)
PD103 = Rule(
    code="PD103",
    name="postal-address",
    message="A home address or postcode is made public",
    what="Finds UK postcodes and street addresses such as '14 Hollybush Lane' or "
    "'Flat 2, 37 Mill Road'.",
    example="Party at ours Saturday from 7, it's 14 Hollybush Lane, HR4 9AB. Bring a bottle!",
    instead="Party at ours Saturday from 7, message me for the address. Bring a bottle!",
    fix="Take the address out; send it privately to the people who need it.",
    redact_as="ADDRESS",
)
PD104 = Rule(
    code="PD104",
    name="date-of-birth",
    message="A date of birth is made public",
    what="Finds a full date given as someone's date of birth ('born on', 'DOB', 'date of "
    "birth', 'birthday is'); other dates, and the birthdays of pets and public figures, are "
    "not reported.",
    example="My little nephew Alfie was born on 3 March 2019 and he's already reading!",
    instead="My little nephew is only five and he's already reading!",
    fix="Leave the date of birth out; say an age or 'my birthday' instead.",
    redact_as="DATE OF BIRTH",
)
PD105 = Rule(
    code="PD105",
    name="national-insurance-number",
    message="A National Insurance number is made public",
    what="Finds National Insurance numbers that follow HMRC's rules for the two prefix letters.",
    example="New payroll form done, my NI number is JM 12 34 56 C if the office needs it.",
    instead="New payroll form done, I've given the office my details in person.",
    fix="Never post a National Insurance number; give it to payroll through the school's "
    "secure channel.",
    redact_as="NI NUMBER",
)
PD106 = Rule(
    code="PD106",
    name="imei",
    message="A phone's IMEI number is made public",
    what="Finds 15-digit IMEI numbers whose check digit is right, more surely with the word "
    "'IMEI' nearby.",
    example="Phone nicked at the match, IMEI 35-209900-176148-1, keep an eye out on eBay!",
    instead="Phone nicked at the match, reported to the police with its IMEI. Keep an eye out!",
    fix="Keep the IMEI in your own records and give it only to the police or your network.",
    redact_as="IMEI",
)

# Parts of a mailbox name that make it a group's: "brookfieldpta@", "northbyjuniorsfc@".
_ROLE_PARTS = ("pta", "ptfa", "office", "admin", "enquir", "booking", "secretary", "committee",
               "friendsof", "club", "newsletter", "helpdesk", "noreply")  # fmt: skip

# ---------------------------------------------------------------------------------------------
# PD103: postcodes and street addresses

# Found from the inward code ("9AB"), which is quick to scan for, then read back to the outward.
_INWARD = re.compile(r"\d[A-Za-z]{2}\b")
_POSTCODE = re.compile(r"\b[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$")
# Royal Mail's rules for the outward code (area letters, district) and the inward code letters.
_POSTCODE_VALID = re.compile(
    r"(?:[A-PR-UWYZ]\d\d?|[A-PR-UWYZ][A-HK-Y]\d\d?|[A-PR-UWYZ]\d[A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRVWXY]) ?\d[ABD-HJLNP-UW-Z]{2}|GIR ?0AA"
)
_STREET_WORD = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
# Starts at the house number so the scan is quick; a "Flat 2, " before it is taken in after.
_STREET = re.compile(
    r"(?<![\w£$€.,:/\-])\d{1,4}[A-Za-z]?,?\s+"
    rf"(?:{_STREET_WORD}\s+){{1,3}}"
    r"(?P<type>"
    + "|".join(w.capitalize() for w in lexicon("personal-data-street-types.txt"))
    + r")"
    r"\b\.?"
)
_FLAT = re.compile(r"\b(?:Flat|Apartment|Apt|Unit|Maisonette)\.?\s*\d{1,4}[A-Za-z]?,?\s+$")
_NUMBER_THEN_CAPITAL = re.compile(r"\d,?\s+[A-Z]")
# Words that number something other than a house ("Year 6", "room 4"): "year|yr|y" here is the
# word before a number, not a year group pattern, so it does not use year_groups.
_NOT_HOUSE_NUMBER = re.compile(
    r"\b(?:year|yr|y|room|rm|class|group|table|page|p|chapter|platform|gate|bus|route"
    r"|level|stage|step|week|day|aged|age|size|under|over|about|around|nearly|almost"
    r"|all|another|top|scored|won|lost|beat)\.?\s*$",
    re.I,
)
_HOME = re.compile(
    r"\b(?:li(?:ve|ves|ving)\s+(?:at|on|in)|address(?:es)?|(?:my|his|her|their|our|your|new)"
    r"\s+(?:house|home|place|flat)|moved\s+to|moving\s+to|at\s+(?:ours|mine|theirs|his|hers)"
    r"|round\s+at|(?:come|pop)\s+round|stay(?:ing)?\s+at|post\s?code|deliver(?:ed)?\s+to"
    r"|drop(?:\s+\w+)?\s+off\s+at|pick(?:\s+\w+)?\s+up\s+from|house\s+(?:is|at))\b"
)
_NAMED_PLACE = re.compile(
    r"(?:\bat|@)\s+[Tt]he\s+[A-Z][\w'’]*(?:\s+(?:[A-Z][\w'’]*|&|and|of|on|in|the)){0,4}"
    r",?\s*[-–—(]?\s*$"
)
# A street address typed in lower case ("41 orchard street gets done every week"). Only the
# street types that are rarely anything else, and not after words that make the number a
# distance or a count ("a 10 mile road trip", "2 side streets", "the 4 bus lane").
_LOWER_STREET = re.compile(
    r"(?<![\w£$€.,:/\-])\d{1,4}[a-z]?,?[ \t]+"
    r"(?!(?:min|mins|minute|minutes|mile|miles|hour|hours|hr|hrs|km|day|days|week|weeks|year"
    r"|years|main|side|back|the|a|an|of|and|on|in|at|to|for|my|our|your|his|her|their|more"
    r"|other|different|wrong|same|new|old|big|little|long|short|busy|quiet|country|slip|ring"
    r"|bus|cycle|dual|very|so|too|quite|really|pretty|lovely|nice|separate|narrow|steep|i|we"
    r"|they|you|he|she|it|then|pm|am|or|but|is|was|are|x)\b)"
    r"[a-z][a-z'’]+(?:[ \t]+[a-z][a-z'’]+)?[ \t]+"
    r"(?:road|street|lane|avenue|crescent|grove|gardens|terrace)\b(?!-)"
)
_NUMBER_THEN_LOWER = re.compile(r"\d,?[ \t]+[a-z]")
_VENUE = re.compile(
    r"\b(?:venue|centre|center|hall|club|church|chapel|cathedral|school|academy|college"
    r"|leisure|stadium|ground|museum|theatre|cinema|library|hotel|pub|inn|arms|cafe|café"
    r"|restaurant|shop|store|surgery|hospital|clinic|ltd|limited|plc|studio|gallery|market"
    r"|station|pavilion|office|offices|headquarters|hq|garden\s+centre|farm|zoo|castle|trust"
    r"|council|depot|warehouse|unit|estate\s+agents?|open\s+day|meet(?:ing)?\s+(?:at|point))\b"
)

# ---------------------------------------------------------------------------------------------
# PD104: dates of birth

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})[/.\-](?P<m1>\d{1,2})[/.\-](?P<y1>(?:19|20)\d\d|\d\d)"
    r"|(?P<y2>(?:19|20)\d\d)-(?P<m2>\d\d)-(?P<d2>\d\d)"
    rf"|(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<m3>{_MONTHS})\b\.?"
    r"(?:,?\s+(?P<y3>(?:19|20)\d\d|'\d\d))?"
    rf"|(?P<m4>{_MONTHS})\.?\s+(?P<d4>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y4>(?:19|20)\d\d))?"
    r")(?![\w/])",
    re.I,
)
# A birth cue just before the date: "born on the", "DOB:", "date of birth -", "birthday is".
_BORN = re.compile(
    r"\b(?:(?<!-)born|d\.?\s?o\.?\s?bs?\b\.?|dates?\s+of\s+birth|birth\s?dates?|date\s+born)"
    r"[^.!?\n]{0,30}?[\s:=\-]*(?:(?:is|was|:)\s+)?(?:on\s+)?(?:the\s+)?(?:\w+day,?\s+)?$"
)
_BIRTHDAY = re.compile(
    r"\b(?:birthday|b'?day)(?:'s|\s+is|\s+was|:|\s+-)\s*(?:on\s+)?(?:the\s+)?(?:\w+day,?\s+)?$"
)
# A list of dates asked for as dates of birth: "the form wants DOBs ... Jordan 22/10/2015".
_DOB_LIST = re.compile(r"\b(?:d\.?o\.?bs?|dates?\s+of\s+birth|birth\s?dates?)\b")
# Documents that carry a date of birth: "his DBS form says 12 June 1979".
_DOB_DOCUMENT = re.compile(
    r"\b(?:dbs|passport|birth\s+certificate|driving\s+licen[cs]e|licen[cs]e)\b[^.!?\n]{0,25}$"
)
_AFTER_DOB = re.compile(r"^\s*\(?(?:dob|d\.o\.b\.?|date of birth)\b")
# Whose birth it is, read in the sentence before the date: a pet's ("our dog Mabel ... born
# 12/03/2021", "kittens born 2 May, ready now") or a public figure's ("Sir David Attenborough,
# born 8 May 1926", "Roald Dahl was born on 13 September 1916") is not personal data.
_PET = re.compile(
    r"\b(?:dogs?|doggo|cats?|pupp(?:y|ies)|pups?|kittens?|kitty|pon(?:y|ies)|horses?|foals?"
    r"|hamsters?|rabbits?|bunn(?:y|ies)|guinea\s+pigs?|tortoise|budgie|parrot|lambs?|calf"
    r"|calves|goats?|chicks|ducklings|litter|pets?|cockapoo|labrador|spaniel|terrier|retriever"
    r"|dachshund|pug|whippet|collie|sausage\s+dog)\b"
)
_PUBLIC_TITLE = re.compile(
    r"\b(?:Sir|Dame|Lord|King|Queen|Prince|Princess|President|Saint|Pope|the\s+late)\s+[A-Z]"
    r"|\bthe\s+(?:King|Queen|Pope|Prince\s+of\s+Wales|Princess\s+of\s+Wales)\b"
)
_SENTENCE_BEFORE = re.compile(r"[^.!?\n]{0,100}$")
_NAME_WORD = re.compile(r"[a-z]+")
_CAPITALISED = re.compile(r"\b[A-Z][a-zé]+|(?<=\s)(?:of|the)(?=\s)")

# ---------------------------------------------------------------------------------------------
# PD105: National Insurance numbers

_NINO = re.compile(
    r"\b(?P<prefix>[A-Za-z]{2})[ \-]?(?P<digits>\d\d[ \-]?\d\d[ \-]?\d\d)[ \-]?"
    r"(?P<suffix>[A-Da-d])?(?![\w])"
)
_NINO_BAD_PREFIX = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
_NINO_CONTEXT = re.compile(
    r"\b(?:national\s+insurance|n\.?\s?i\.?\s?(?:no|number|num)|nino|my\s+ni|ni\s*(?:is|:))\b"
)

# ---------------------------------------------------------------------------------------------
# PD106: IMEI

_IMEI = re.compile(r"(?<![\w.\-])\d(?:[ \-]?\d){13,15}(?![\w])")
_IMEI_CONTEXT = re.compile(r"\b(?:imei|imeis|serial|\*#06#|handset\s+(?:id|number))\b|\*#06#")
# Reporting-body prefixes most handsets carry (35 and 86 are most common; 01 is the US body).
_IMEI_PREFIXES = ("01", "35", "86", "99", "30", "33", "44", "45", "49", "50", "51", "52", "53")


class PersonalDataDetector(Detector):
    """Personal data in a post: PD101-PD106."""

    rules: ClassVar[tuple[Rule, ...]] = (PD101, PD102, PD103, PD104, PD105, PD106)

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self._known = known(context)
        self._role_mailboxes = frozenset(lexicon("personal-data-role-mailboxes.txt"))
        self._famous = _famous_names()
        self._mononyms = frozenset(lexicon("personal-data-public-figures.txt"))

    def detect(self, doc: Document) -> Iterator[Span]:
        # Every value but an e-mail address needs digits: count them once and skip what can't be.
        digits = count_digits(doc)
        taken: list[tuple[int, int]] = []  # IMEI and NINO spans a phone number must not reuse
        if digits >= 14:
            for span, start, end in self._imeis(doc):
                taken.append((start, end))
                yield span
        if digits >= 6:
            for span, start, end in self._ninos(doc):
                taken.append((start, end))
                yield span
        if digits >= 7 or may_spell_a_number(doc.lower):
            yield from self._phones(doc, taken)
        if digits >= 1:
            yield from self._addresses(doc, digits)
            yield from self._dates_of_birth(doc)
        yield from self._emails(doc)

    # -- PD101 ------------------------------------------------------------------------------

    def _phones(self, doc: Document, taken: list[tuple[int, int]]) -> Iterator[Span]:
        for value in find_phones(doc):
            if value.score < 0.2 or any(s < value.end and value.start < e for s, e in taken):
                continue
            offer = phone_offer(doc, value, self._known)
            if offer is not None and offer.score >= 0.5:
                continue  # OC101 reports it
            score, reason = value.score, value.reason
            if value.key == self._known.own_phone:
                score, reason = max(score, 0.6), "your own personal number, made public"
            yield self.span("PD101", value.start, value.end, score, reason, doc)

    # -- PD102 ------------------------------------------------------------------------------

    def _emails(self, doc: Document) -> Iterator[Span]:
        for value in find_emails(doc):
            offer = email_offer(doc, value, self._known)
            if offer is not None and offer.score >= 0.5:
                continue  # OC102 reports it
            if email_key(value.address) == self._known.own_email:
                score, reason = 0.7, "your own personal e-mail address, made public"
            elif self._role_address(value.local):
                score, reason = 0.3, "an organisation's role address"
            elif is_school_email(value, self._known.school_tokens):
                score, reason = 0.4, "a work e-mail address"
            elif value.obfuscated:
                score, reason = 0.85, "e-mail address, spelt out"
            else:
                score, reason = 0.85, "e-mail address"
            yield self.span("PD102", value.start, value.end, score, reason, doc)

    def _role_address(self, local: str) -> bool:
        """A mailbox for a role or a group ("office@", "letters@", "brookfieldpta@gmail.com"),
        not a person."""
        flat = local.replace(".", "").replace("_", "").replace("-", "")
        if flat in self._role_mailboxes or any(r in flat for r in _ROLE_PARTS):
            return True
        return any(t in flat for t in self._known.school_tokens)

    # -- PD103 ------------------------------------------------------------------------------

    def _addresses(self, doc: Document, digits: int) -> Iterator[Span]:
        text, lower = doc.text, doc.lower
        postcodes = []
        for inward in _INWARD.finditer(text) if digits >= 2 else ():
            m = _POSTCODE.search(text, max(0, inward.start() - 5), inward.end())
            if m is not None and _POSTCODE_VALID.fullmatch(m.group().upper()):
                postcodes.append((m.start(), m.end(), m.group().isupper()))
        used: set[int] = set()
        streets = _STREET.finditer(text) if _NUMBER_THEN_CAPITAL.search(text) else ()
        for m in streets:
            start = m.start()
            flat = _FLAT.search(text, max(0, start - 20), start)
            if flat:
                start = flat.start()
            elif _NOT_HOUSE_NUMBER.search(text[max(0, start - 12) : start]):
                continue
            end = m.end()
            score, reason = 0.65, "street address"
            # Take in the town and postcode that follow: "14 Hollybush Lane, Leominster HR6 8AB".
            for i, (ps, pe, _) in enumerate(postcodes):
                between = text[end:ps]
                if 0 <= ps - end <= 40 and re.fullmatch(
                    r"[\s,]*(?:[A-Z][\w'-]*[\s,]+){0,3}", between
                ):
                    end, score, reason = pe, 0.8, "street address with postcode"
                    used.add(i)
                    break
            score = self._place_score(text, lower, start, score)
            reason = "home address" if score >= 0.85 else reason
            yield self.span("PD103", start, end, score, reason, doc)
        lower_streets = (
            _LOWER_STREET.finditer(text)
            if _lower_street_word(lower) and _NUMBER_THEN_LOWER.search(text)
            else ()
        )
        for m in lower_streets:
            if _NOT_HOUSE_NUMBER.search(text[max(0, m.start() - 12) : m.start()]):
                continue
            score = self._place_score(text, lower, m.start(), 0.6)
            reason = "home address" if score >= 0.85 else "street address"
            yield self.span("PD103", m.start(), m.end(), score, reason, doc)
        for i, (ps, pe, upper) in enumerate(postcodes):
            if i in used:
                continue
            score = self._place_score(text, lower, ps, 0.55 if upper else 0.4)
            yield self.span("PD103", ps, pe, score, "UK postcode", doc)

    @staticmethod
    def _place_score(text: str, lower: str, start: int, score: float) -> float:
        """The nearest cue before an address decides: a home raises it, a venue (whose address
        is public: "Hereford Leisure Centre, HR4 9AB", "at the Red Lion, 14 High Street")
        lowers it."""
        lo = max(0, start - 60)
        before = lower[lo:start]
        home = max((m.end() for m in _HOME.finditer(before)), default=-1)
        venue = max((m.end() for m in _VENUE.finditer(before)), default=-1)
        # "at The Plough, 14 High Street": a named place, unless a home cue introduces it ("she
        # lives at The Old Rectory, 4 Church Lane").
        named = _NAMED_PLACE.search(text, max(0, start - 40), start)
        if named is not None and named.start() - lo >= home:
            return min(score, 0.35)
        if home > venue:
            return min(0.95, max(score + 0.25, 0.85))
        if venue > home:
            return min(score, 0.35)
        return score

    # -- PD104 ------------------------------------------------------------------------------

    def _dates_of_birth(self, doc: Document) -> Iterator[Span]:
        lower = doc.lower
        if not (
            "birth" in lower
            or "born" in lower
            or "bday" in lower
            or "b'day" in lower
            or "b’day" in lower
            or "dob" in lower
            or "d.o.b" in lower
            or "dbs" in lower
            or "passport" in lower
            or "licen" in lower
        ):
            return  # no word that could make a date a date of birth
        for m in _DATE.finditer(doc.text):
            if not _plausible_date(m):
                continue
            before = lower[max(0, m.start() - 40) : m.start()]
            after = lower[m.end() : m.end() + 20]
            has_year = bool(m["y1"] or m["y2"] or m["y3"] or m["y4"])
            if _BORN.search(before) or _AFTER_DOB.match(after):
                score = 0.85 if has_year else 0.55
                reason = "date of birth" if has_year else "day and month of birth"
            elif _BIRTHDAY.search(before):
                score = 0.75 if has_year else 0.4
                reason = "birthday with the year of birth"
            elif has_year and _DOB_LIST.search(lower, max(0, m.start() - 160), m.start()):
                score, reason = 0.7, "date in a list of dates of birth"
            elif has_year and _DOB_DOCUMENT.search(before) and _adult_birth_year(m):
                score, reason = 0.7, "date of birth from an ID document"
            else:
                continue
            if self._not_a_persons(doc, m.start()):
                continue
            yield self.span("PD104", m.start(), m.end(), score, reason, doc)

    def _not_a_persons(self, doc: Document, start: int) -> bool:
        """The birth in the sentence before ``start`` is a pet's or a public figure's."""
        sentence = _SENTENCE_BEFORE.search(doc.text, max(0, start - 100), start)
        lo = sentence.start() if sentence else max(0, start - 100)
        if _PET.search(doc.lower, lo, start) or _PUBLIC_TITLE.search(doc.text, lo, start):
            return True
        # A famous name written with capitals ("Roald Dahl"): "the summer holidays" is not one.
        words = _CAPITALISED.findall(doc.text, lo, start)
        famous = self._famous
        return any(w.lower() in self._mononyms for w in words) or any(
            " ".join(words[i : i + n]).lower() in famous
            for n in (2, 3)
            for i in range(len(words) - n + 1)
        )

    # -- PD105 ------------------------------------------------------------------------------

    def _ninos(self, doc: Document) -> Iterator[tuple[Span, int, int]]:
        lower, text = doc.lower, doc.text
        matches = (
            m
            for start, end in number_runs(doc)
            for m in _NINO.finditer(text, max(0, start - 3), end + 2)
        )
        for m in matches:
            prefix = m["prefix"].upper()
            window = lower[max(0, m.start() - 40) : m.start()] + " " + lower[m.end() : m.end() + 40]
            context = bool(_NINO_CONTEXT.search(window))
            if not (m["suffix"] or context):
                continue
            valid = (
                prefix[0] not in "DFIQUV"
                and prefix[1] not in "DFIOQUV"
                and prefix not in _NINO_BAD_PREFIX
            )
            upper = m["prefix"].isupper() and (m["suffix"] or "A").isupper()
            if valid and context:
                score, reason = 0.95, "National Insurance number"
            elif valid and upper and m["suffix"]:
                score, reason = 0.85, "National Insurance number"
            elif context and m["suffix"]:
                # HMRC never issues this prefix (QQ is its specimen), but it is given as one.
                score, reason = 0.75, "given as a National Insurance number"
            elif valid:
                score, reason = 0.45, "looks like a National Insurance number"
            else:
                continue
            span = self.span("PD105", m.start(), m.end(), score, reason, doc)
            yield span, m.start(), m.end()

    # -- PD106 ------------------------------------------------------------------------------

    def _imeis(self, doc: Document) -> Iterator[tuple[Span, int, int]]:
        lower, text = doc.lower, doc.text
        matches = (
            m
            for start, end in number_runs(doc)
            if end - start >= 14
            for m in _IMEI.finditer(text, start, end)
        )
        for m in matches:
            digits = re.sub(r"\D", "", m.group())
            if not 14 <= len(digits) <= 16:
                continue
            window = lower[max(0, m.start() - 40) : m.start()] + " " + lower[m.end() : m.end() + 15]
            context = bool(_IMEI_CONTEXT.search(window))
            valid = len(digits) == 15 and stdnum_imei.is_valid(digits)
            if context and valid:
                score, reason = 0.92, "IMEI, check digit correct"
            elif context:
                score, reason = 0.7, "given as an IMEI"
            elif valid and digits.startswith(_IMEI_PREFIXES):
                score, reason = 0.55, "15-digit number with a valid IMEI check digit"
            else:
                continue
            yield self.span("PD106", m.start(), m.end(), score, reason, doc), m.start(), m.end()


def _lower_street_word(lower: str) -> bool:
    """A street type _LOWER_STREET looks for is in the post (a quick test before the pattern)."""
    return (
        " road" in lower
        or " street" in lower
        or " lane" in lower
        or " avenue" in lower
        or " grove" in lower
        or " crescent" in lower
        or " gardens" in lower
        or " terrace" in lower
    )


def _famous_names() -> frozenset[str]:
    """Public figures' names from the famous-people lexicon ("sir {a,b}" lines expanded)."""
    names: set[str] = set()
    for line in lexicon("famous-people.txt"):
        for text in expand(line):
            names.add(" ".join(_NAME_WORD.findall(text)))
    return frozenset(n for n in names if " " in n)


def _adult_birth_year(m: re.Match[str]) -> bool:
    """A year an adult was born in (a passport's expiry date is not one)."""
    year = m["y1"] or m["y2"] or m["y3"] or m["y4"] or ""
    return len(year) == 4 and 1920 <= int(year) <= 2008


def _plausible_date(m: re.Match[str]) -> bool:
    """Day 1-31 and month 1-12 (either order for numeric dates: 3/4/2015 may be US style)."""
    if m["d1"]:
        a, b = int(m["d1"]), int(m["m1"])
        return 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12)
    if m["y2"]:
        return 1 <= int(m["m2"]) <= 12 and 1 <= int(m["d2"]) <= 31
    day = m["d3"] or m["d4"]
    return day is not None and 1 <= int(day) <= 31
