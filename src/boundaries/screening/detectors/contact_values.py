"""Phone numbers and e-mail addresses in a post, and whether one is offered to pupils or parents.

Shared by :mod:`.personal_data` (PD101/PD102: someone's details made public) and
:mod:`.own_contact` (OC101/OC102: the author's own details offered to pupils or parents), so a
number is found, scored and judged the same way by both, and a number that is an OC finding is
not reported a second time as PD.

Phone numbers follow Presidio's recipe (phonenumbers for validity, context words to raise or lower
the score) but are kept cheap: a candidate regex finds digit runs of phone length first, and only
those are parsed. UK formats come first (region GB); numbers in international (+) form and the
national formats of other countries are found too, with lower confidence unless the words around
them say "phone".
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache, lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

from boundaries.screening.context import ScreeningContext
from boundaries.screening.lexicon_files import lexicon_text
from boundaries.screening.normalise import Document
from boundaries.screening.year_groups import YEAR_NUMBERED

# ---------------------------------------------------------------------------------------------
# Lexicons


@cache
def lexicon(name: str) -> tuple[str, ...]:
    """A lexicon file: one entry a line, ``#`` comments, blank lines ignored, lower case."""
    text = lexicon_text(name)
    entries = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return tuple(e for e in entries if e)


def words_pattern(entries: tuple[str, ...]) -> str:
    """An alternation of lexicon entries as whole words, longest first."""
    alts = sorted({re.escape(e).replace(r"\ ", r"\s+") for e in entries}, key=len, reverse=True)
    return r"\b(?:" + "|".join(alts) + r")\b"


# ---------------------------------------------------------------------------------------------
# Phone numbers

# A phone-length run: an optional + or 00, then digits and (bracketed) groups joined by at most
# one separator, then an optional extension. Digits are counted afterwards (7 to 15, as E.164).
# Not preceded by a word character or money sign, so "£1 000 000" and "AB123456C" stay out.
_PHONE = re.compile(
    r"(?<![\w£$€#@/.\-])"
    r"(?P<num>(?:(?:\+|\b00)[ ]?)?(?:\(\d{1,5}\)|\d)"
    r"(?:[ .\-\u2010-\u2013]?(?:\(\d{1,5}\)|\d)){6,20})"
    r"(?P<ext>[ ]?(?:x|ext\.?|extn\.?)[ ]?\d{1,6})?"
    r"(?![\w/]|\.\d)"
)
_DIGIT = re.compile(r"\d")
_NUMBER_RUN = re.compile(r"[+(\d][\d() .\-\u2010-\u2013]*")
# Shapes that are dates, times or year ranges, never phone numbers.
_NOT_PHONE = re.compile(
    r"\d{1,2}[./\-]\d{1,2}[./\-](?:19|20)?\d\d"  # 12.03.2024, 12-03-24
    r"|(?:19|20)\d\d[./\-]\d{1,2}[./\-]\d{1,2}"  # 2024-03-12
    r"|\d{1,2}[.:]\d\d\s?[-\u2010-\u2013]\s?\d{1,2}[.:]\d\d"  # 9.30-11.30
    r"|(?:19|20)\d\d\s?[-\u2010-\u2013/]\s?(?:19|20)?\d\d"  # 2023-2024
    r"|\d{3}-\d\d-\d{4}"  # a US social security number
)
# UK national numbers: geographic 01/02, non-geographic 03, mobile 07, 08/09 services, 05 VoIP.
_UK_NATIONAL = re.compile(r"0(?:[1237]\d{8,9}|5[56]\d{8}|8\d{8,9}|9\d{9})")
# North American (555) 123-4567, 555-123-4567, 555.123.4567.
_NANP = re.compile(r"(?:\+?1[ .\-]?)?(?:\(\d{3}\)[ ]?|\d{3}[ .\-])\d{3}[ .\-]\d{4}")
_SERVICE_TYPES = {
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.UAN,
}
_OTHER_REGIONS = ("US", "FR", "DE", "IN", "AU", "IE", "ES", "IT", "NL", "BR", "IL", "CH", "ZA")

# Context words, looked for in the text just before a number (and labels just after it).
_PHONE_STRONG = re.compile(
    r"\b(?:call(?:ing|ed|s)?|ring(?:ing|s)?|rang|text(?:ing|ed|s)?|txt|phone[sd]?|tel(?:ephone)?"
    r"|mob(?:ile)?|cell(?:phone)?|whats\s?app|sms|fax|message[sd]?|msg|dial(?:led)?|landline"
    r"|answering|facetime|voicemail|(?:my|his|her|their|your)\s+(?:\w+\s+)?(?:number|no\.?)"
    r"|contact\s+(?:me|him|her|them|us)\s+on)\b"
    r"|\b[tmph]\s?:|\bph\.?:|\U0001f4de|\u260e|\U0001f4f1"
)
_PHONE_WEAK = re.compile(r"\b(?:number|no|contact|reach|digits|desk|get\s+hold)\b")
_PHONE_AFTER = re.compile(r"^[\s\-(]*(?:office|fax|mobile|mob|home|work|cell|desk|tel|[mhw]\))")
_PHONE_NEGATIVE = re.compile(
    r"\b(?:order|ref(?:erence)?|invoice|isbn|issn|account|acct|a/c|sort\s+code|booking|ticket"
    r"|tracking|parcel|consignment|serial|barcode|membership|(?:case|policy)\s+(?:no|number|ref)"
    r"|crime|claim|registration|vat|iban|bic|swift|company\s+(?:no|number|reg)|charity|utr|nhs"
    r"|national\s+insurance|licen[cs]e|social\s+security|ssn|passport|driver'?s|credit|debit"
    r"|insurance|pension|payroll|employee|staff\s+(?:no|number|id)|student\s+(?:no|number|id)"
    r"|ni\s+(?:no|number)|imei|card\s+(?:no|number)|cc|receipt|transaction|product|sku"
    r"|(?:pin|sort|discount|promo|voucher|access|door)\s+code|lottery|lotto|postcode"
    r"|id\s+(?:no|number)|score[sd]?|population|followers|views|steps|miles|km|votes)\b|[£$€]"
)
# The number belongs to an organisation (the school office, a helpline): public, not personal.
_PHONE_ORGANISATION = re.compile(
    r"\b(?:(?:the|school|main|front|general)\s+office|switchboard|helpline|hotline"
    r"|(?:call|ring|phone|contact)\s+(?:the\s+)?reception|reception\s+(?:desk|on|number|line)"
    r"|freephone|childline|samaritans|(?:school|work|trip|office|class)(?:'s)?\s+"
    r"(?:phone|mobile|number|line|landline|no)|(?:call|ring|phone|contact)\s+the\s+school"
    r"|school\s+on)\b|\boffice\s*:"
)


@dataclass(frozen=True)
class PhoneValue:
    """A phone number found in ``doc.norm`` with its score and why."""

    start: int
    end: int
    score: float
    reason: str
    key: str  # comparable form (E.164 when phonenumbers can parse it) for matching the author's
    organisation: bool  # introduced as an organisation's number (school office, helpline)


@dataclass(frozen=True)
class EmailValue:
    start: int
    end: int
    address: str  # lower case, "(at)"/"dot" forms rewritten
    local: str
    domain: str
    obfuscated: bool


@lru_cache(maxsize=4096)
def phone_key(raw: str) -> str:
    """A form of a phone number that is the same however it is written (E.164 where possible)."""
    digits = "".join(_DIGIT.findall(raw))
    try:
        number = phonenumbers.parse(raw, "GB")
    except phonenumbers.NumberParseException:
        return digits
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=4096)
def _judge_number(num: str, digits: str) -> tuple[float, str] | None:
    """Base score (before context) and a description for a candidate, or None if not a phone."""
    international = num.startswith("+") or num.startswith("00")
    if international:
        try:
            parsed = phonenumbers.parse("+" + digits[2:] if num.startswith("00") else num, None)
        except phonenumbers.NumberParseException:
            return 0.25, "number in international form"
        if parsed.country_code == 44:
            national = "0" + str(parsed.national_number)
            judged = _judge_uk(national) if _UK_NATIONAL.fullmatch(national) else None
            return judged or (0.3, "number in international form")
        if phonenumbers.is_valid_number(parsed):
            mobile = phonenumbers.number_type(parsed) == PhoneNumberType.MOBILE
            return 0.85, f"international {'mobile' if mobile else 'phone'} number"
        if phonenumbers.is_possible_number(parsed):
            return 0.6, "international phone number"
        return 0.3, "number in international form"
    if digits.startswith("0"):
        if _UK_NATIONAL.fullmatch(digits):
            return _judge_uk(digits)
        return (0.45, "phone number") if _valid_elsewhere(digits) else (0.3, "phone number")
    if _NANP.fullmatch(num) and len(digits) in (10, 11):
        return 0.55, "North American phone number"
    return (0.4, "phone number") if _valid_elsewhere(digits) else (0.25, "phone number")


def _judge_uk(digits: str) -> tuple[float, str]:
    """A number in UK national form (leading 0). Ofcom's drama ranges (07700 900xxx) are not
    "valid" to phonenumbers but are what people write in examples, so the shape decides."""
    if digits.startswith("07") and len(digits) == 11:
        return (0.3, "UK pager number") if digits.startswith("076") else (0.85, "UK mobile number")
    try:
        kind = phonenumbers.number_type(phonenumbers.parse(digits, "GB"))
    except phonenumbers.NumberParseException:  # pragma: no cover - digits always parse
        return 0.3, "phone number"
    if kind in _SERVICE_TYPES:
        return 0.3, "UK service number"  # 0800, 0845, 03xx: organisations, not people
    return 0.75, "UK phone number"


def _valid_elsewhere(digits: str) -> bool:
    """Valid as a national number of one of the other regions (each try costs a parse, so only
    for lengths national numbers have)."""
    if not 7 <= len(digits) <= 12:
        return False
    for region in _OTHER_REGIONS:
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(digits, region)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


_FIRST_PERSON = re.compile(r"\b(?:me|my|i'?m|i\s+am|mine)\b")


@cache
def _business() -> re.Pattern[str]:
    return re.compile(words_pattern(lexicon("contact-business-words.txt")))


# After a landline, what it is for: "01632 960555 to book", "... for reservations".
_BOOKING_AFTER = re.compile(
    r"[\s,\-–(]*(?:to\s+(?:book|reserve)|for\s+(?:bookings|reservations|tickets|a\s+table"
    r"|table\s+bookings)|box\s+office|bookings|reservations)\b"
)
# A venue named with "the" and capitals just before a landline: "quiz at The Red Lion, ring".
_NAMED_VENUE = re.compile(r"\b(?:at|@)\s+[Tt]he\s+[A-Z][\w'’&]*(?:\s+[A-Z][\w'’&]*){0,3}")


def _organisation(before: str, landline: bool, text_before: str = "") -> bool:
    """Introduced as an organisation's number ("ring the school office on"; a firm's or a
    venue's landline after its name), with no "me"/"my" after that ("I'm in the office all day,
    text me on" is still personal)."""
    ends = [m.end() for m in _PHONE_ORGANISATION.finditer(before)]
    if landline:
        ends += [m.end() for m in _business().finditer(before)]
        if "the " in before:
            shift = len(before) - len(text_before)
            ends += [m.end() + shift for m in _NAMED_VENUE.finditer(text_before)]
    return bool(ends) and not _FIRST_PERSON.search(before, max(ends))


def find_phones(doc: Document) -> tuple[PhoneValue, ...]:
    """Phone numbers in ``doc.norm`` scored with their context, found once per document."""
    return _cached(doc).phones


def find_emails(doc: Document) -> tuple[EmailValue, ...]:
    return _cached(doc).emails


def count_digits(doc: Document) -> int:
    """How many digits the post has (counted once, with the phone numbers and addresses)."""
    return _cached(doc).digits


def number_runs(doc: Document) -> tuple[tuple[int, int], ...]:
    """Where runs of digits and separators six characters or longer are: the only places a
    phone number, an NI number or an IMEI can be."""
    return _cached(doc).runs


# Numbers written in words: "oh seven seven double oh nine ...", "zero seven seven zero zero,
# nine zero zero ...". Looked for only when a word for nought is in the post (a UK number in
# national form starts with one); digit groups may be mixed in ("07700 nine double oh four").
_SPELT_DIGITS = {
    "oh": "0", "o": "0", "zero": "0", "nought": "0", "one": "1", "two": "2", "three": "3",
    "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
_SPELT_NUM_TOKEN = (
    r"(?:(?:double|triple|treble)\s+)?(?:oh|o|zero|nought|one|two|three|four|five|six|seven"
    r"|eight|nine|\d{1,5})"
)
_SPELT_NUMBER = re.compile(
    rf"(?<![\w£$€])(?:oh|o|zero|nought|0\d{{0,4}})(?:[ \t,\-–]{{1,3}}{_SPELT_NUM_TOKEN}){{5,13}}"
    r"(?![\w£$€])"
)
# "double oh," : the word doubled, without the comma after it
_SPELT_PART = re.compile(r"(double|triple|treble)\s+([a-z]+|\d)|(\d+)|([a-z]+)")


def may_spell_a_number(lower: str) -> bool:
    """Whether a post with too few digits for a phone number could still write one in words."""
    return "oh " in lower or "zero" in lower or "nought" in lower


def _spelt_phones(lower: str) -> list[tuple[int, int, str, str, bool]]:
    """Phone numbers written (partly) in words, as (start, end, digits, digits, True)."""
    if not may_spell_a_number(lower):
        return []
    found = []
    for m in _SPELT_NUMBER.finditer(lower):
        digits, words = [], 0
        for part in _SPELT_PART.finditer(m.group()):
            if part[1]:
                digit = _SPELT_DIGITS.get(part[2], part[2] if part[2].isdigit() else "")
                digits.append(digit * {"double": 2, "triple": 3, "treble": 3}[part[1]])
                words += 1
            elif part[3]:
                digits.append(part[3])
            else:
                digits.append(_SPELT_DIGITS.get(part[4], ""))
                words += 1
        number = "".join(digits)
        if words >= 3 and _UK_NATIONAL.fullmatch(number):
            found.append((m.start(), m.end(), number, number, True))
    return found


def _find_phones(
    text: str, lower: str, digit_count: int, runs: tuple[tuple[int, int], ...]
) -> tuple[PhoneValue, ...]:
    matches = []
    if digit_count >= 7:
        # The phone pattern is run only over runs of digits and separators long enough to hold
        # a number (with room for an extension after): scanning all the text costs more.
        for run_start, run_end in runs:
            if run_end - run_start < 7:
                continue
            for m in _PHONE.finditer(text, run_start, run_end + 12):
                num = m["num"].strip()
                digits = "".join(_DIGIT.findall(num))
                if 7 <= len(digits) <= 15 and not _NOT_PHONE.fullmatch(num):
                    start = m.start("num") + (len(m["num"]) - len(m["num"].lstrip()))
                    matches.append((start, m.end(), num, digits, False))
    spelt = _spelt_phones(lower)
    if spelt:
        matches = [m for m in matches if not any(s < m[1] and m[0] < e for s, e, *_ in spelt)]
        matches = sorted(matches + spelt)
    if not matches:
        return ()
    found: list[PhoneValue] = []
    for i, (start, end, num, digits, in_words) in enumerate(matches):
        judged = _judge_number(num, digits)
        if judged is None:
            continue
        score, reason = judged
        if in_words:
            reason += ", written in words"
        prev_end = matches[i - 1][1] if i else 0
        next_start = matches[i + 1][0] if i + 1 < len(matches) else len(text)
        lo = max(prev_end, start - 45)
        before = lower[lo:start]
        after = lower[end : min(next_start, end + 20)]
        landline = "mobile number" not in reason
        organisation = _organisation(before, landline, text[lo:start] if landline else "") or (
            landline
            and ("to " in after or "for " in after or "box" in after or "ings" in after)
            and _BOOKING_AFTER.match(after) is not None
        )
        negative = _PHONE_NEGATIVE.search(before[-25:])
        if _PHONE_STRONG.search(before) or _PHONE_AFTER.match(after):
            score += 0.3
        elif not negative and _PHONE_WEAK.search(before):
            score += 0.15
        if negative:
            score -= 0.5  # "order no. 07700 900123": a reference that happens to look like one
        if organisation:
            score = min(score, 0.35)
            reason = "an organisation's number"
        found.append(
            PhoneValue(
                start,
                end,
                round(max(0.0, min(0.97, score)), 3),
                reason,
                phone_key(num),
                organisation,
            )
        )
    return tuple(found)


# ---------------------------------------------------------------------------------------------
# E-mail addresses

_EMAIL = re.compile(
    r"(?<![\w.%+\-@])[A-Za-z0-9](?:[A-Za-z0-9._%+'\-]{0,62}[A-Za-z0-9_\-])?"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b(?!@)"
)
# "jo.smith (at) gmail dot com", "jo [at] gmail [dot] com", "jo at gmail dot com", and the "@"
# or "." written with spaces or brackets round it: "jo.smith @ gmail . com", "jo[@]gmail[.]com".
_SPELT_AT = r"(?:\s*(?:\(at\)|\[at\]|\{at\}|\(a\)|\[@\]|\(@\)|@)\s*|\s+at\s+)"
_SPELT_DOT_RE = r"(?:\s*(?:\(dot\)|\[dot\]|\{dot\}|\[\.\]|\(\.\))\s*|\s+dot\s+|\s+\.\s+|\.)"
_EMAIL_SPELT = re.compile(
    rf"\b(?P<local>[a-z0-9][a-z0-9._\-]{{0,40}}(?:{_SPELT_DOT_RE}[a-z0-9_\-]{{1,40}}){{0,2}})"
    rf"{_SPELT_AT}"
    rf"(?P<domain>[a-z0-9\-]{{2,40}}(?:{_SPELT_DOT_RE}[a-z0-9\-]{{2,20}}){{0,3}})\b"
)
# "kirsty dot mallory84 at gmail": a provider named without its ending.
_PROVIDER_STEMS = {
    "gmail": "gmail.com", "googlemail": "gmail.com", "hotmail": "hotmail.com",
    "outlook": "outlook.com", "yahoo": "yahoo.com", "icloud": "icloud.com", "aol": "aol.com",
    "btinternet": "btinternet.com", "protonmail": "protonmail.com",
}  # fmt: skip
# Words before "at gmail" that are not the name of a mailbox: "email me at gmail".
_NOT_LOCAL = {"me", "us", "you", "him", "her", "them", "it", "this", "that", "one", "mine"}
_SPELT_DOT = re.compile(_SPELT_DOT_RE)
_PLAIN_AT = re.compile(r"\s+at\s+")


def _spelt_hint(lower: str) -> bool:
    """Words without which a plain "jo at gmail dot com" is not worth looking for."""
    return (
        " dot " in lower
        or "mail" in lower
        or "yahoo" in lower
        or "icloud" in lower
        or "outlook" in lower
        or "btinternet" in lower
        or "aol." in lower
        or "live." in lower
    )


_TLD_END = re.compile(r"\.(?:com|co\.uk|org|org\.uk|net|uk|me|io|ie|info|me\.uk|ac\.uk|edu)$")
# Just before a spelt-out address, words that say it is one: "her email is jo at example dot
# com" is an address at any domain, not only at a mail provider's.
_EMAIL_CUE = re.compile(r"\b(?:e-?mail|mail|inbox|address|contact|write\s+to|reach)\b")
# "my gmail is kirsty.mallory84", "my gmail — kirsty.mallory84": the provider named, the domain
# left out. The mailbox name must look like one (a digit, a dot or an underscore in it).
_PROVIDER_NAMED = re.compile(
    r"\b(?:my|his|her|their|our)\s+(?:personal\s+|own\s+|home\s+)?"
    r"(?P<provider>gmail|googlemail|hotmail|outlook|yahoo|icloud|btinternet)"
    r"(?:\s+(?:address|account|e-?mail|one))?(?:\s+(?:is|'s)|'s)?\s*[:=—–\-]?\s*"
    r"(?P<local>[a-z0-9][a-z0-9._\-]{1,40}[a-z0-9])(?![\w@.]*@)"
)
_MAILBOX_LIKE = re.compile(r"[\d._]")


def _find_emails(text: str, lower: str) -> tuple[EmailValue, ...]:
    found: list[EmailValue] = []
    if "@" in text:
        for m in _EMAIL.finditer(text):
            address = m.group().lower()
            local, _, domain = address.partition("@")
            found.append(EmailValue(m.start(), m.end(), address, local, domain, False))
    bracketed = "(at)" in lower or "[at]" in lower or "{at}" in lower or "(a)" in lower
    # "jo.smith @ gmail.com", "jo[@]gmail[.]com"; not " @jo", a handle.
    spaced = "@" in text and ("@ " in lower or "[@]" in lower or "(@)" in lower)
    if bracketed or spaced or (" at " in lower and _spelt_hint(lower)):
        pos = 0
        while (spelt := _EMAIL_SPELT.search(lower, pos)) is not None:
            # On a miss, look again from the "domain": in "email me at jo dot smith at gmail dot
            # com" the first try reads "me" as the name and "jo.smith" as the domain.
            pos = spelt.start("domain")
            domain = _SPELT_DOT.sub(".", spelt["domain"])
            domain = _PROVIDER_STEMS.get(domain, domain)
            if not _TLD_END.search(domain) or any(v.start <= spelt.start() < v.end for v in found):
                continue
            if spelt["local"] in _NOT_LOCAL:
                continue
            # A plain "at ... dot" is an address only for a mail provider's domain or after a
            # word such as "email": "look at bbc dot co dot uk" is a web site, "jo at gmail dot
            # com" and "her email is jo at example dot com" are addresses.
            if (
                _PLAIN_AT.fullmatch(lower, spelt.end("local"), spelt.start("domain"))
                and domain not in personal_email_domains()
                and not _EMAIL_CUE.search(lower, max(0, spelt.start() - 40), spelt.start())
            ):
                continue
            local = _SPELT_DOT.sub(".", spelt["local"])
            found.append(
                EmailValue(spelt.start(), spelt.end(), f"{local}@{domain}", local, domain, True)
            )
            pos = spelt.end()
    if (
        "gmail" in lower
        or "hotmail" in lower
        or "yahoo" in lower
        or "icloud" in lower
        or "outlook" in lower
        or "btinternet" in lower
    ):
        for named in _PROVIDER_NAMED.finditer(lower):
            local = named["local"]
            if not _MAILBOX_LIKE.search(local) or any(
                v.start < named.end() and named.start() < v.end for v in found
            ):
                continue
            domain = _PROVIDER_STEMS.get(named["provider"], named["provider"] + ".com")
            found.append(
                EmailValue(
                    named.start("local"), named.end(), f"{local}@{domain}", local, domain, True
                )
            )
    return tuple(found)


# ---------------------------------------------------------------------------------------------
# Found once per document (Document.shared): PD and OC both ask about the same post.


@dataclass(frozen=True)
class _Found:
    phones: tuple[PhoneValue, ...]
    emails: tuple[EmailValue, ...]
    digits: int
    runs: tuple[tuple[int, int], ...]


def _scan(doc: Document) -> _Found:
    text, lower = doc.text, doc.lower
    digits = len(_DIGIT.findall(text))
    runs = (
        tuple(m.span() for m in _NUMBER_RUN.finditer(text) if m.end() - m.start() >= 6)
        if digits >= 6
        else ()
    )
    return _Found(_find_phones(text, lower, digits, runs), _find_emails(text, lower), digits, runs)


def _cached(doc: Document) -> _Found:
    return doc.shared(_scan)


# ---------------------------------------------------------------------------------------------
# Is a value the author's own, offered to pupils or parents?

# Words that put pupils or parents in the audience: who they are, or school business only they
# share ("Harry's reading log", "the permission slip").
# "yr 10" is spelt out beside YEAR_NUMBERED, not YEAR_ANY_SPACED: that would also take "y 6".
_AUDIENCE = re.compile(
    r"\b(?:pupils?|parents?|students?|carers?|guardians?|mums|dads|mums\s+and\s+dads|kids"
    r"|children|families|class(?:es)?|form\s+group|my\s+form|tutor\s+group|tutees"
    rf"|{YEAR_NUMBERED}s?|yr\s?\d{{1,2}}|reception\s+class|nursery|boys\s+and\s+girls"
    r"|homework|revision|coursework|assignments?|classwork|gcses?|a\s?-?levels?|sats|mocks"
    r"|reading\s+(?:book|log|record|diary|folder)s?|spellings|phonics|times\s+tables"
    r"|parents'?\s+evening|permission\s+slips?|consent\s+forms?|school\s+trip|residential"
    r"|pick-?\s?up|drop-?\s?off|sports\s+day|nativity|school\s+play|book\s+bags?"
    r")\b"
)
_WORD = re.compile(r"[a-z][a-z'\-]*")


def _people(context: ScreeningContext) -> frozenset[str]:
    """Parents and their children (and pupils) by full name, lower case: a post that names one
    is addressed to, or about, pupils and parents."""
    names = {p.name for p in context.parents}
    names.update(child for p in context.parents for child in p.children)
    names.update(f"{p.forename} {p.surname}" for p in context.pupils if p.surname)
    names.update(f"{p.preferred_name} {p.surname}" for p in context.pupils if p.preferred_name)
    return frozenset(" ".join(_WORD.findall(n.lower())) for n in names if " " in n.strip())


def _names_someone(text: str, people: frozenset[str]) -> bool:
    if not people:
        return False
    words = _WORD.findall(text)
    return any(f"{a} {b}" in people for a, b in itertools.pairwise(words))


def _audience(text: str, known: Known) -> bool:
    return bool(_AUDIENCE.search(text)) or _names_someone(text, known.people)


def email_key(address: str) -> str:
    """An address as the mailbox sees it: lower case, no "+tag", and for Gmail no dots
    ("kirsty.mallory84@gmail.com" and "kirstymallory84@gmail.com" are one mailbox)."""
    local, _, domain = address.strip().lower().partition("@")
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        return local.replace(".", "") + "@gmail.com"
    return f"{local}@{domain}"


_OFFER_PHONE = re.compile(
    r"\b(?:(?:text|txt|call|ring|phone|message|msg|whats\s?app|facetime|buzz|contact|reach|bell)"
    r"\s+me|get\s+(?:hold\s+of|in\s+touch\s+with)\s+me|give\s+me\s+a\s+(?:ring|call|bell|text|buzz)"
    r"|drop\s+me\s+a\s+(?:text|line|message|call)|my\s+(?:personal\s+|private\s+|own\s+|home\s+"
    r"|mobile\s+|phone\s+|work\s+)*(?:number|mobile|phone|no\.?|digits|cell|whats\s?app)"
    r"|i'?m\s+on|me\s+on|you\s+can\s+(?:text|call|ring|reach|contact))\b"
)
_OFFER_EMAIL = re.compile(
    r"\b(?:(?:e-?mail|mail|message|contact|reach|write\s+to)\s+me|drop\s+me\s+an?\s+(?:e-?mail|line)"
    r"|my\s+(?:personal\s+|private\s+|own\s+|home\s+|other\s+)*(?:e-?mail|address|inbox|gmail"
    r"|hotmail|outlook|icloud|yahoo)|send\s+(?:\w+\s+){0,3}(?:to\s+me|to\s+my|there|here|over)"
    r"|you\s+can\s+(?:e-?mail|send|contact|reach)(?!\s+(?:him|her|them|he|she|his)\b)"
    r"|me\s+at)\b"
)
# An imperative right before the address: "send your homework to", "email", "contact ... at".
_SEND_TO = re.compile(
    r"\b(?:send\s+(?:\w+\s+){0,3}(?:to|over\s+to)|e-?mail|contact|write\s+to|reach)"
    r"(?:\s+(?:me|us))?(?:\s+(?:at|on|via))?\s*$"  # not "E-mail:", a label
)
_PERSONAL_MARKER = re.compile(r"\bmy\s+(?:own\s+)?(?:personal|private|home|own)\b")
_SCHOOL_DOMAIN_WORDS = (
    "school", "academy", "primary", "college", "trust", "infant", "junior", "nursery", "learning",
)  # fmt: skip
_GENERIC_NAME_WORDS = {
    "the", "school", "primary", "academy", "junior", "infant", "infants", "nursery", "ce", "c",
    "of", "e", "rc", "church", "england", "catholic", "community", "high", "secondary", "college",
    "st", "saint", "and", "trust", "federation", "vc", "va", "cofe", "church-of-england",
}  # fmt: skip


def school_tokens(context: ScreeningContext) -> tuple[str, ...]:
    """Distinctive words of the school's names, as they would appear in its web domain."""
    tokens: set[str] = set()
    for name in context.school.names():
        words = re.findall(r"[a-z0-9]+", name.lower().replace("'", ""))
        distinctive = [w for w in words if w not in _GENERIC_NAME_WORDS]
        tokens.update(w for w in distinctive if len(w) >= 4)
        if distinctive:
            tokens.add("".join(distinctive))
    return tuple(sorted(tokens))


def is_school_email(value: EmailValue, tokens: tuple[str, ...]) -> bool:
    """A work address: .sch.uk, an institution's domain, or one carrying the school's name."""
    domain = value.domain
    if domain.endswith((".sch.uk", ".ac.uk", ".gov.uk", ".nhs.uk", ".nhs.net")):
        return True
    label = domain.rsplit(".", 2)[0]
    return any(w in label for w in _SCHOOL_DOMAIN_WORDS) or any(t in label for t in tokens)


@cache
def personal_email_domains() -> frozenset[str]:
    return frozenset(lexicon("contact-personal-email-domains.txt"))


@dataclass(frozen=True)
class Offer:
    """The author's own contact detail, offered to pupils or parents: an OC finding."""

    score: float
    reason: str


def _window(doc: Document, start: int, end: int) -> tuple[str, str]:
    """The text around a value that can address it to someone: 140 before, 80 after."""
    return doc.lower[max(0, start - 140) : start], doc.lower[end : end + 80]


@dataclass(frozen=True)
class Known:
    """What the context says about whose details are whose, compiled once per detector (hashing
    a context with a big roster on every post would cost more than the rest of the check)."""

    own_phone: str | None  # phone_key of the author's personal number
    own_email: str | None  # email_key of the author's personal address
    school_tokens: tuple[str, ...]
    people: frozenset[str]  # parents, their children and pupils by full name, lower case


def known(context: ScreeningContext) -> Known:
    author = context.author
    return Known(
        phone_key(author.personal_phone) if author.personal_phone else None,
        email_key(author.personal_email) if author.personal_email else None,
        school_tokens(context),
        _people(context),
    )


def phone_offer(doc: Document, value: PhoneValue, known: Known) -> Offer | None:
    """OC101: is ``value`` the author's personal number offered to pupils or parents?"""
    if value.organisation or value.score < 0.5:
        return None
    before, after = _window(doc, value.start, value.end)
    audience = _audience(before, known) or _audience(after, known)
    offer = _OFFER_PHONE.search(before[-60:]) or _OFFER_PHONE.search(after[:40])
    own = known.own_phone
    if own and own == value.key:
        if audience and offer:
            return Offer(0.92, "it is your personal number, with an invitation to use it")
        if audience:
            return Offer(0.8, "it is your personal number, in a post to pupils or parents")
        return None
    if audience and offer:
        # A number offered in the first person to pupils or parents is the author's own, unless
        # the author's registered number is known and this is a different one (a trip phone?).
        if own:
            return Offer(0.65, "offered in the first person ('text me on')")
        return Offer(0.8, "offered in the first person ('text me on')")
    return None


def email_offer(doc: Document, value: EmailValue, known: Known) -> Offer | None:
    """OC102: is ``value`` the author's personal e-mail address offered to pupils or parents?"""
    if is_school_email(value, known.school_tokens):
        return None  # the work address is what 8.3 asks staff to use
    before, after = _window(doc, value.start, value.end)
    audience = _audience(before, known) or _audience(after, known)
    offer = (
        _OFFER_EMAIL.search(before[-60:])
        or _SEND_TO.search(before[-40:])
        or _OFFER_EMAIL.search(after[:60])
    )
    own = known.own_email
    if own and own == email_key(value.address):
        if audience and offer:
            return Offer(0.92, "it is your personal address, with an invitation to use it")
        if audience:
            return Offer(0.8, "it is your personal address, in a post to pupils or parents")
        return None
    if audience and offer:
        personal = value.domain in personal_email_domains() or _PERSONAL_MARKER.search(before)
        if own and not personal:
            return Offer(0.65, "offered in the first person ('e-mail me at')")
        return Offer(
            0.85 if personal else 0.75,
            "offered in the first person ('e-mail me at')",
        )
    return None
