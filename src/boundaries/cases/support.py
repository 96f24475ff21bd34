"""Support for the person who reported (11.8): whom they can turn to besides the school.

The policy names three: a trade union or professional association representative, another
colleague, and the Occupational Health Counselling Service. They matter most when the reporter
feels the incident was not dealt with well, or finds it hard to report to their line manager
or headteacher. Two national services for school staff are listed after them.
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
        "Another colleague can support you through the process and come with you to meetings.",
        "Choose someone you trust; they do not need to be your line manager.",
        "11.8",
    ),
    Signpost(
        "Occupational Health Counselling Service",
        "You can ask for access to confidential counselling through Occupational Health.",
        "Ask HR or your headteacher to refer you, or use the self-referral route if your "
        "employer offers one.",
        "11.8",
    ),
)
NATIONAL_SUPPORT = (
    Signpost(
        "Education Support helpline",
        "Free, confidential emotional support for everyone working in education, at any "
        "time of day.",
        "Telephone 08000 562 561.",
    ),
    Signpost(
        "Professionals Online Safety Helpline (UK Safer Internet Centre)",
        "Advice for people working with children on online issues affecting them, including "
        "getting harmful content about them taken down.",
        "Telephone 0344 381 4772 or e-mail helpline@saferinternet.org.uk.",
    ),
)


def signposts() -> tuple[Signpost, ...]:
    """Every signpost, the policy's own first."""
    return POLICY_SUPPORT + NATIONAL_SUPPORT
