"""Support for the person who reported (11.8): whom they can turn to besides the school.

The policy names three: a trade union or professional association representative, another
colleague, and the Occupational Health Counselling Service. They matter most when the reporter
feels the incident was not dealt with well, or finds it hard to report to their line manager
or headteacher. Two national services for school staff are listed after them; their numbers
were checked against the services' own published details (Education Support's helpline
08000 562 561, open 24 hours a day; the UK Safer Internet Centre's Professionals Online Safety
Helpline, 0344 381 4772 and helpline@saferinternet.org.uk). Check them again when the policy
is reviewed: services change their numbers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Signpost:
    """One place to get support, and what it can do."""

    title: str
    what: str
    how: str = ""
    clause: str = ""


POLICY_SUPPORT = (
    Signpost(
        "Your trade union or professional association",
        "A representative can support you through the process, especially if you feel the "
        "incident has not been dealt with well, or find it hard to report to your line "
        "manager or headteacher.",
        "Contact your workplace representative or your union's regional office.",
        "11.8",
    ),
    Signpost(
        "A colleague",
        "Another colleague can support you through the process.",
        "Choose someone you trust; it does not have to be your line manager.",
        "11.8",
    ),
    Signpost(
        "Occupational Health Counselling Service",
        "You may ask for access to the Occupational Health Counselling Service.",
        "Ask HR or your headteacher how to reach it.",
        "11.8",
    ),
)
NATIONAL_SUPPORT = (
    Signpost(
        "Education Support helpline",
        "A free, confidential helpline for everyone working in education, open 24 hours a day.",
        "Telephone 08000 562 561.",
    ),
    Signpost(
        "Professionals Online Safety Helpline (UK Safer Internet Centre)",
        "Advice for people who work with children on online safety problems, including "
        "their own online reputation and harmful content about them.",
        "Telephone 0344 381 4772 or e-mail helpline@saferinternet.org.uk.",
    ),
)


def signposts() -> tuple[Signpost, ...]:
    """Every signpost, the policy's own first."""
    return POLICY_SUPPORT + NATIONAL_SUPPORT
