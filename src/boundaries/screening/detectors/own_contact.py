"""OC: the member of staff's own personal phone number or e-mail address offered to pupils or
parents (policy 7.2, 7.4, 8.3, 8.6).

A value is the author's own when it matches the context's ``author.personal_phone`` (compared in
E.164, however it is written) or ``author.personal_email``; when the author's details are not
known, a number or address offered in the first person ("text me on", "my email is") to pupils
or parents is the author's own by definition. The school office's number and the school's
e-mail addresses are what the policy asks staff to use, so they never fire.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from boundaries.screening.context import ScreeningContext
from boundaries.screening.detectors.base import Detector, Span
from boundaries.screening.detectors.contact_values import (
    email_offer,
    find_emails,
    find_phones,
    known,
    phone_offer,
)
from boundaries.screening.normalise import Document
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings

OC101 = Rule(
    code="OC101",
    name="own-phone-offered",
    message="Your personal phone number is offered to pupils or parents",
    what="Finds the author's own personal phone number given to pupils or parents, or any "
    "number offered in the first person ('text me on', 'my number is') to them.",
    example="Year 6 parents, any worries about the residential just text me on 07700 900417!",
    instead="Year 6 parents, any worries about the residential please ring the school office "
    "or use the trip mobile.",
    fix="Remove your number; point parents to the school office, the school's messaging app or "
    "the trip mobile, as the policy asks.",
    redact_as="PHONE",
)
OC102 = Rule(
    code="OC102",
    name="own-email-offered",
    message="Your personal e-mail address is offered to pupils or parents",
    what="Finds the author's own personal e-mail address given to pupils or parents, or a "
    "personal address offered in the first person to them.",
    example="Kids, if Google Classroom is down send your homework to kirsty.m84@gmail.com.",
    instead="Kids, if Google Classroom is down send your homework to my school e-mail address.",
    fix="Give your school e-mail address instead; the policy asks staff to use it for "
    "homework and messages.",
    redact_as="EMAIL",
)


class OwnContactDetector(Detector):
    """The author's own contact details offered to pupils or parents: OC101, OC102."""

    rules: ClassVar[tuple[Rule, ...]] = (OC101, OC102)

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        super().__init__(context, settings)
        self._known = known(context)

    def detect(self, doc: Document) -> Iterator[Span]:
        for phone in find_phones(doc):
            offer = phone_offer(doc, phone, self._known)
            if offer is not None:
                yield self.span("OC101", phone.start, phone.end, offer.score, offer.reason, doc)
        for email in find_emails(doc):
            offer = email_offer(doc, email, self._known)
            if offer is not None:
                yield self.span("OC102", email.start, email.end, offer.score, offer.reason, doc)
