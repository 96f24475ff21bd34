"""PW: work log-ins and passwords shared (policy 7.3: never share work log-ins or passwords).

Two shapes: a secret given ("the SIMS password is Tiger123", "login: jsmith pw: Summer24!"),
whose span is the secret itself so that redaction hides it; and an account handed over without
the secret ("use my Arbor login", "log in as me"). Whether the account is a work one is decided by
the nearest cue: a work system (SIMS, Arbor, CPOMS, Teams, the school network, the register) or
something that is not work (a café's wifi, Netflix, a game). E-safety advice ("never share your
password", "the most common password is 123456") does not fire.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

import ahocorasick

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.detectors.contact_values import lexicon
from boundaries.screening.normalise import Document
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings

PW101 = Rule(
    code="PW101",
    name="password-shared",
    message="A work log-in or password is shared",
    what="Finds passwords given in a post ('the SIMS password is ...', 'pw: ...'), work "
    "passwords given as a hint ('the Arbor one is the head's dog's name with a 1'), work "
    "accounts handed over ('use my Arbor login', 'log in as me') or left out ('my login's on a "
    "post-it on the monitor'), and codes for doors and machines at work.",
    example="Supply teacher in tomorrow, just use my SIMS login: kmallory / Brookfield24!",
    instead="Supply teacher in tomorrow: the office will set you up with your own SIMS log-in.",
    fix="Never share a work log-in; ask the office or IT to set up an account, and change any "
    "password you have posted.",
    redact_as="PASSWORD",
)

_LABEL = (
    r"pass(?:word|wd|code|phrase)s?|pwd|pw|p/w|pin(?:\s+(?:code|number|no))?"
    r"|log-?in\s+code|access\s+code"
    r"|(?:door|keypad|key\s?pad|alarm|key\s?safe|gate|lock|padlock|entry|photocopier)\s+code"
)
# A label, what it is for, a separator ("is", ":", "="), then the secret, perhaps quoted.
_SECRET_GIVEN = re.compile(
    rf"\b(?P<label>{_LABEL})\b"
    r"(?:\s+(?:for|to|on)\s+(?:the\s+|my\s+|our\s+)?[\w+\-]{1,20}(?:\s+[\w+\-]{1,20}){0,2}?)?"
    r"\s*(?:(?:(?:is|was|are|will\s+be|now|still|currently)\b|=|:|'s|’s|-|–)\s*)+"
    r"(?P<q>[\"'“‘])?(?P<secret>[^\s\"'”’,;()]{1,40})"
)  # matched in doc.lower; the secret is then read from doc.text
_VERB = (
    r"use|using|used|borrow|borrowing|borrowed|have|take|share|shared|sharing|give|gave|giving"
    r"|given|lend|lent|lending|send|sent|passed\s+on|pass\s+on|hand(?:ed)?\s+over|swap|swapped"
    r"|dm|dm'?d|dm'?ed|pm'?d|pm'?ed|messaged|texted|emailed|whatsapped|told|tell|show|showed"
)
# An account word, found first (quick to scan for), then the words before it are read back.
_ACCOUNT = re.compile(
    r"\b(?:log-?ins?|log-?ons?|logons?|passwords?|credentials|account|log-?in\s+details"
    r"|username\s+and\s+password|details)\b"
)
_HANDED_OVER = re.compile(
    rf"(?:\b(?:{_VERB})\s+(?:you\s+|them\s+|him\s+|her\s+|everyone\s+|the\s+\w+\s+)?"
    r"|\b(?:here'?s|here\s+is|here\s+are|these\s+are)\s+)"
    r"my\s+(?:[\w+\-]+\s+){0,3}?$"
)
_AS_ME = re.compile(
    # "log in as me", "log into Tapestry with my details"
    r"\blog(?:ged|ging)?\s*(?:in|on)(?:to)?\s+(?:[\w+\-]+\s+){0,3}?(?:as|with|using)\s+"
    r"(?:me|my\s+(?:details|account|log-?in|username|password))\b"
)
# A door, gate or machine code given as digits: "Gate keypad changed again, it's now 1066",
# "photocopier? Code is 8812". The span is the code.
_DEVICE_CODE = re.compile(
    r"\b(?P<device>(?:door|gate|keypad|key\s?pad|key\s?safe|padlock|photocopier|copier)\b"
    r"|(?<!dress\s)(?<!promo\s)(?<!discount\s)(?<!voucher\s)(?<!booking\s)(?<!referral\s)"
    r"(?<!reference\s)(?<!qr\s)(?<!bar\s)(?<!area\s)(?<!post\s)(?<!zip\s)(?<!tax\s)code\b)"
    r"[^.!?\n\d]{0,40}?(?:\b(?:is|now)|(?:changed|set|reset)\s+to|=|:)\s*(?:still\s+|now\s+)?"
    r"(?P<secret>\d{3,8}[#*]?)(?![\d:.]|\w|\s*(?:years?|yrs|metres?|miles?|yards|feet|ft|people|"
    r"kids|children|pupils|cars|quid|pounds|%|mins?|minutes|hours|seconds|x\b|kg|cm|mm))"
)
# "login: jsmith / Tiger123", "my login is kmallory, Sunflower88", "username jo pw Kestrel9",
# "Staff wifi: BrookfieldStaff / Robin2026". The secret must look like one (see _STRONG).
_LOGIN_GIVEN = re.compile(
    r"\b(?:log-?in|logon|log-?on|username|user\s?name|wi-?fi)\s*(?:details\s+)?"
    # "Twinkl login for anyone who needs it: user / secret": who it is for, then a colon.
    r"(?:(?:is|are)\b|:|=|-|(?<=\s)(?:for|to|on)\s[^:\n.!?]{1,40}?:)?"
    r"\s*(?P<user>[^\s/,;]{2,40})\s*(?:/|,|\band\b|&|\s)\s*"
    r"(?:(?:pw|pwd|password|pass)\s*[:=]?\s*)?(?P<secret>[^\s,;()\"']{3,40})"
)
# A token that can only be a password: letters with digits or symbols, six characters or more.
_STRONG = re.compile(r"(?=[^\s]*[a-zA-Z])(?=[^\s]*[\d!£$%^&*#?@])[^\s,;()\"'/:]{6,40}")
_CREDENTIALS = re.compile(
    r"\s*[:\-–]\s*(?P<user>[^\s/,;]{2,40})\s*(?:/|,|\s)\s*(?P<secret>[^\s,;]{3,40})"
)
_NEGATION = re.compile(
    r"\b(?:never|don'?t|do\s+not|not|no\s+one|nobody|shouldn'?t|should\s+not|mustn'?t"
    r"|must\s+not|won'?t|wouldn'?t|can'?t|cannot|refuse[ds]?|stop)\b[^.!?\n]*$"
)
# E-safety advice and statistics: "a password like Tiger123 is weak", "most common password is".
_ADVICE = re.compile(
    r"\b(?:e\.?g\.?|for\s+example|such\s+as|common|popular|worst|weakest|most\s+used"
    r"|avoid|example|guess(?:able)?|top\s+\d+|never\s+use|don'?t\s+use|instead\s+of)\b[^.!?\n]*$"
)
_SECRET_TRAIL = ".?:…"  # a trailing "!" may be part of it: redact too much, not too little

# A password given as a hint that anyone at work can follow: "the SIMS password is the head's
# dog's name with a 1 on the end", "the Arbor login's the usual one", "same as the wifi".
_HINT_LABEL = re.compile(
    r"\b(?:pass(?:word|wd|code)s?|pwd|pw|log-?ins?|log-?in\s+details|pin|code)\b"
)
_HINT = re.compile(
    r"[^.!?\n]{0,40}?(?:\bis|['’]s|\bare|=|:|\?)\s+(?:it['’]?s\s+)?"
    r"(?:just\s+|still\s+|literally\s+|now\s+)?"
    r"(?P<hint>(?:the\s+|our\s+|my\s+|your\s+)?(?:same\s+(?:as\s+(?!my\b)|one)|usual(?:\s+one)?\b"
    r"|normal\s+one|one\s+(?:we|everyone)\s+(?:always\s+)?use|what\s+it\s+always\s+is"
    r"|(?:[\w-]+['’]s\s+){1,3}(?:name|birthday|initials|reg|postcode)"
    r"|school(?:['’]s)?\s+(?:name|postcode)|postcode|name\s+of\s+(?:the|our|my)\b"
    r"|(?:\w+\s+){0,4}(?:backwards|with\s+(?:an?\s+)?\d+\s+(?:on|at)\s+the\s+(?:end|start)"
    r"|followed\s+by\s+(?:the\s+)?(?:year|\d+)|then\s+the\s+year|plus\s+the\s+year)))"
)
# The secret first: "Kirsty123 is my password for everything at school".
_SECRET_FIRST = re.compile(
    r"(?<![^\s\"'(])(?P<secret>[^\s,;()\"']{6,40})\s+(?:is|was|=)\s+(?:my|the|our)\s+"
    r"(?:[\w+\-]+\s+){0,2}?(?:pass(?:word|wd|code)|pw|pwd|pin|log-?in)\b"
)
# Sharing offered in private: "Anyone need the Arbor login? DM me", "message me for the SIMS
# password", "text me and I'll send you my log-in".
_ACCOUNT_NOUN = r"(?:log-?ins?|passwords?|credentials|log-?in\s+details|passcode)"
_ME = r"(?:dm|pm|message|msg|text|whats\s?app|e-?mail|inbox)\s+me\b"
_OFFER_SHARE = re.compile(
    rf"\b{_ACCOUNT_NOUN}[^.!\n?]{{0,30}}\?\s*(?:just\s+)?{_ME}"
    rf"|\b{_ME}\s+(?:for\s+(?:the\s+|my\s+)?(?:[\w+\-]+\s+){{0,2}}?{_ACCOUNT_NOUN}"
    rf"|and\s+i['’]?ll\s+(?:send|give|share|pass)\s+(?:you\s+)?(?:the|my)\s+"
    rf"(?:[\w+\-]+\s+){{0,2}}?{_ACCOUNT_NOUN})"
)
# Help with a log-in, not the log-in: "forgot your SIMS password? text me and I'll show you".
_HELP = re.compile(r"\b(?:forg[eo]t\w*|reset\w*|locked\s+out|chang\w+|work\s+out|how\s+to)\b")
# A log-in left where anyone can read it: "my Arbor login's on a post-it on the monitor",
# "I've stuck the CPOMS password to the staffroom board".
_LEFT_OUT = re.compile(
    r"\b(?P<who>my|the|our|her|his)\s+(?:[\w+\-]+\s+){0,2}?"
    r"(?:log-?ins?|log-?in\s+details|passwords?|credentials|details|pin)"
    r"(?:['’]s|\s+is|\s+are)?\s+(?:(?:written|stuck|taped|pinned|blu-?tacked|up|left"
    r"|on\s+display)\s+)?(?:on|in|under|to|inside|at\s+the\s+back\s+of|by)\s+"
    r"(?:the\s+|a\s+|my\s+|our\s+)?(?:[\w\-]+\s+){0,3}?"
    r"(?P<place>post-?its?|sticky\s+notes?|notes?|board|noticeboard|whiteboard|wall|monitor"
    r"|screen|desk|drawer|keyboard|fridge|diary|planner|lanyard|pinboard|door|cupboard)\b"
)
_PUT_OUT = re.compile(
    r"\b(?:i'?ve|i\s+have|i|i'?ll)\s+(?:just\s+)?(?:put|written|wrote|left|stuck|pinned"
    r"|taped|blu-?tacked)\s+(?P<who>my|the|our)\s+(?:[\w+\-]+\s+){0,2}?"
    r"(?:log-?ins?|log-?in\s+details|passwords?|credentials|details)\s+"
    r"(?:up\s+)?(?:on|in|under|to|inside|by)\s+(?:the\s+|a\s+|my\s+|our\s+)?"
    r"(?:[\w\-]+\s+){0,3}?(?P<place>post-?its?|sticky\s+notes?|notes?|board|noticeboard"
    r"|whiteboard|wall|monitor|screen|desk|drawer|keyboard|fridge|diary|planner|pinboard|door"
    r"|cupboard)\b"
)


_GATE = ("pass", "pw", "p/w", "pin", "code", "log", "account", "credential", "user", "wifi",
         "wi-fi", "details", "keypad", "key pad", "gate", "door", "padlock")  # fmt: skip
_NONE = 10_000  # distance when a kind of cue is absent
_LATER = re.compile(r"[^\s,;()\"']{6,40}")
_NOT_A_SECRET = re.compile(r"https?:|www\.|@|\d{1,2}[:.]\d\d|\d+(?:am|pm|st|nd|rd|th)\b", re.I)


def _later_secret(text: str, pos: int) -> tuple[int, str] | None:
    """The first token in the next 80 characters of the same paragraph that can only be a
    password ("Biscuit123"), with its start."""
    end = text.find("\n", pos, pos + 80)
    for m in _LATER.finditer(text, pos, end if end >= 0 else pos + 80):
        token = m.group().rstrip(_SECRET_TRAIL)
        if _STRONG.fullmatch(token) and not _NOT_A_SECRET.search(token):
            return m.start(), token
    return None


class PasswordDetector(Detector):
    """Work log-ins and passwords shared: PW101."""

    rules: ClassVar[tuple[Rule, ...]] = (PW101,)

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self._not_secret = frozenset(lexicon("passwords-not-secrets.txt"))
        # Work and not-work cues in one Aho-Corasick automaton, so a window is read once; the
        # school's own names are work cues too ("Brookfield staff: the wifi password is ...").
        self._cues = ahocorasick.Automaton()
        for kind, name in (
            ("work", "passwords-work-systems.txt"),
            ("other", "passwords-not-work.txt"),
        ):
            for cue in lexicon(name):
                self._cues.add_word(cue, (kind, len(cue)))
        for school in context.school.names():
            self._cues.add_word(school.lower(), ("work", len(school)))
        for cue in ("wifi", "wi-fi"):
            self._cues.add_word(cue, ("wifi", len(cue)))
        self._cues.make_automaton()

    def detect(self, doc: Document) -> Iterator[Span]:
        lower = doc.lower
        if not any(cue in lower for cue in _GATE):
            return
        spans = [
            *self._secrets_given(doc),
            *self._logins_given(doc),
            *self._accounts_handed_over(doc),
            *self._hints_given(doc),
            *self._left_out(doc),
            *self._secret_first(doc),
            *self._offered_in_private(doc),
            *self._device_codes(doc),
        ]
        # One secret found two ways ("login: jsmith pw: Tiger123") is one finding: keep the
        # widest span of those that overlap.
        spans.sort(key=lambda s: (s.start, -s.end))
        end = -1
        for span in spans:
            if span.start >= end:
                yield span
                end = span.end

    def _secrets_given(self, doc: Document) -> Iterator[Span]:
        """ "the SIMS password is Tiger123": the span is the secret."""
        text, lower = doc.text, doc.lower
        for m in _SECRET_GIVEN.finditer(lower):
            before = lower[max(0, m.start() - 40) : m.start()]
            if _ADVICE.search(before) or _NEGATION.search(before[-20:]):
                continue
            start = m.start("secret")
            secret = text[start : m.end("secret")].rstrip(_SECRET_TRAIL)
            if len(secret) < 3 or not self._looks_secret(secret, bool(m["q"]), text, m.end()):
                # "my password is my cat's name + 123 lol. Biscuit123": the secret comes later.
                later = _later_secret(text, m.end("secret"))
                if later is None:
                    continue
                start, secret = later
            kind = self._kind(lower, m.start(), m.end())
            # A PIN or a door code is a work secret only near a work cue (not the Airbnb's).
            pin = not m["label"].startswith(("pass", "pw", "p/w"))
            if kind == "not work" or (pin and kind != "work"):
                continue
            if kind == "work":
                score, reason = 0.92, "a work password given in the post"
            else:
                score, reason = 0.6, "a password given in the post"
            yield self.span("PW101", start, start + len(secret), score, reason, doc)

    def _logins_given(self, doc: Document) -> Iterator[Span]:
        """ "my login is kmallory / Sunflower88": a user name and a secret after "login"."""
        text, lower = doc.text, doc.lower
        if "log" not in lower and "user" not in lower and "fi" not in lower:  # wifi, wi-fi
            return
        for m in _LOGIN_GIVEN.finditer(lower):
            if _NEGATION.search(lower[max(0, m.start() - 20) : m.start()]):
                continue
            start = m.start("secret")
            secret = text[start : m.end("secret")].rstrip(_SECRET_TRAIL)
            if not _STRONG.fullmatch(secret) or m["user"] in self._not_secret:
                continue
            kind = self._kind(lower, m.start(), m.end())
            if kind == "not work":
                continue
            score = 0.92 if kind == "work" else 0.6
            reason = "a work log-in and password given" if kind == "work" else "a log-in given"
            yield self.span("PW101", start, start + len(secret), score, reason, doc)

    def _accounts_handed_over(self, doc: Document) -> Iterator[Span]:
        """ "use my Arbor login", "here's my SIMS log-in", "log in as me"."""
        text, lower = doc.text, doc.lower
        found: list[tuple[int, int, str]] = []
        if "my" in lower:
            for m in _ACCOUNT.finditer(lower):
                lead = _HANDED_OVER.search(lower, max(0, m.start() - 60), m.start())
                if lead is not None:
                    found.append((lead.start(), m.end(), m.group()))
        if " me" in lower or " my" in lower:
            found.extend((m.start(), m.end(), "log-in") for m in _AS_ME.finditer(lower))
        for start, end, what in found:
            if _NEGATION.search(lower[max(0, start - 40) : start]):
                continue
            kind = self._kind(lower, start, end)
            if kind == "not work" or (kind == "none" and what in ("account", "details")):
                continue
            if kind == "work":
                score, reason = 0.85, "a work log-in handed over"
            else:
                score, reason = 0.6, "a log-in handed over"
            # "use my SIMS login: kmallory / Brookfield24!": the span takes in the credentials.
            creds = _CREDENTIALS.match(text, end)
            if creds and self._looks_secret(creds["secret"], False, text, creds.end()):
                end = creds.end()
            yield self.span("PW101", start, end, score, reason, doc)

    def _hints_given(self, doc: Document) -> Iterator[Span]:
        """ "the SIMS password is the head's dog's name with a 1 on the end": a work password
        anyone at the school could work out. Only for a work system: "my Netflix password is my
        dog's name" is the author's own business."""
        lower = doc.lower
        for label in _HINT_LABEL.finditer(lower):
            m = _HINT.match(lower, label.end())
            if m is None:
                continue
            before = lower[max(0, label.start() - 40) : label.start()]
            if _ADVICE.search(before) or _NEGATION.search(before[-25:]):
                continue
            if self._kind(lower, label.start(), m.end()) != "work":
                continue
            start, end = label.start(), m.end("hint")
            yield self.span("PW101", start, end, 0.8, "a work password given as a hint", doc)

    def _left_out(self, doc: Document) -> Iterator[Span]:
        """ "my Arbor login's on a post-it on the monitor": a work log-in left for anyone."""
        lower = doc.lower
        if not any(
            p in lower
            for p in (
                "post",
                "note",
                "board",
                "wall",
                "monitor",
                "screen",
                "desk",
                "drawer",
                "keyboard",
                "fridge",
                "diary",
                "door",
            )
        ):
            return  # fmt: skip
        for m in (*_LEFT_OUT.finditer(lower), *_PUT_OUT.finditer(lower)):
            if _NEGATION.search(lower[max(0, m.start() - 30) : m.start()]):
                continue
            if self._kind(lower, m.start(), m.end()) != "work":
                continue
            own = m["who"] in ("my", "our") or "help yourself" in lower
            if not own and not self._names_work(lower, m.start(), m.end()):
                continue  # "the password is on the board in the staffroom": whose, for what?
            score = 0.8 if own else 0.65
            yield self.span("PW101", m.start(), m.end(), score, "a work log-in left out", doc)

    def _secret_first(self, doc: Document) -> Iterator[Span]:
        """ "Kirsty123 is my password for everything at school": the secret before the label."""
        text, lower = doc.text, doc.lower
        for m in _SECRET_FIRST.finditer(lower):
            secret = text[m.start("secret") : m.end("secret")].rstrip(_SECRET_TRAIL)
            if not _STRONG.fullmatch(secret) or _NOT_A_SECRET.search(secret):
                continue
            if _NEGATION.search(lower[max(0, m.start() - 25) : m.start()]):
                continue
            kind = self._kind(lower, m.start(), m.end())
            if kind == "not work":
                continue
            score = 0.92 if kind == "work" else 0.6
            start = m.start("secret")
            yield self.span("PW101", start, start + len(secret), score, "a password given", doc)

    def _offered_in_private(self, doc: Document) -> Iterator[Span]:
        """ "Anyone need the Arbor login? DM me": a work log-in offered to whoever asks."""
        lower = doc.lower
        if " me" not in lower:
            return
        for m in _OFFER_SHARE.finditer(lower):
            lo, hi = max(0, m.start() - 40), min(len(lower), m.end() + 40)
            if _NEGATION.search(lower[lo : m.start()]) or _HELP.search(lower, lo, hi):
                continue
            if not self._names_work(lower, lo, hi):
                continue  # "DM me for the password" with no work system: a club's, a game's?
            reason = "a work log-in offered in private"
            yield self.span("PW101", m.start(), m.end(), 0.75, reason, doc)

    def _device_codes(self, doc: Document) -> Iterator[Span]:
        """ "Gate keypad changed again, it's now 1066": a code for a door or a machine. Sure
        near a work cue; doubtful with none (a keypad at home is rarely posted with its code)."""
        lower = doc.lower
        if (
            "code" not in lower
            and "pad" not in lower
            and "gate" not in lower
            and "door" not in lower
        ):
            return
        for m in _DEVICE_CODE.finditer(lower):
            before = lower[max(0, m.start() - 40) : m.start()]
            if _ADVICE.search(before) or _NEGATION.search(before[-20:]):
                continue
            kind = self._kind(lower, m.start(), m.end())
            loose = m["device"].replace(" ", "") in ("keypad", "keysafe", "padlock", "gate")
            if kind == "not work" or (kind == "none" and not loose):
                continue
            score = 0.85 if kind == "work" else 0.6
            reason = "a work door or machine code given" if kind == "work" else "a door code given"
            yield self.span("PW101", m.start("secret"), m.end("secret"), score, reason, doc)

    def _names_work(self, lower: str, start: int, end: int) -> bool:
        """A work system named inside ``lower[start:end]`` ("the SIMS password")."""
        for last, (kind, length) in self._cues.iter(lower, start, end):
            s, e = last - length + 1, last + 1
            if (
                kind == "work"
                and not (s > 0 and lower[s - 1].isalnum())
                and not (e < len(lower) and lower[e].isalnum())
            ):
                return True
        return False

    def _kind(self, lower: str, start: int, end: int) -> str:
        """ "work", "not work" or "none": the cue nearest ``lower[start:end]`` decides. A wifi
        password with no other cue is taken as not work: a café's, a holiday let's, a friend's."""
        lo, hi = max(0, start - 80), min(len(lower), end + 60)
        best = {"work": _NONE, "other": _NONE, "wifi": _NONE}
        for last, (kind, length) in self._cues.iter(lower, lo, hi):
            s, e = last - length + 1, last + 1
            if (s > 0 and lower[s - 1].isalnum()) or (e < len(lower) and lower[e].isalnum()):
                continue  # inside a word: "teams" in "steamship"
            distance = 0 if s < end and start < e else min(abs(s - end), abs(start - e))
            best[kind] = min(best[kind], distance)
        if best["work"] == best["other"] == _NONE:
            return "not work" if best["wifi"] < _NONE else "none"
        return "work" if best["work"] <= best["other"] else "not work"

    def _looks_secret(self, secret: str, quoted: bool, text: str, end: int) -> bool:
        """A token that is a password, not an ordinary word ("my password is wrong")."""
        if secret.lower() in self._not_secret:
            return False
        if quoted or any(not c.isalpha() for c in secret):
            return True  # digits or symbols: "Tiger123", "Summer24!"
        if secret[1:] != secret[1:].lower() or secret[0].isupper():
            return True  # "tiGer", "Tiger": written as a token, not a word in a sentence
        if secret.endswith(("ing", "ed", "ly")) or len(secret) < 4:
            return False
        # A lower-case word counts only when it ends the clause: "the password is bananas."
        rest = text[end : end + 2]
        return rest == "" or rest[0] in ".!\n,;)" or rest.startswith((" -", " –"))
