"""What a rule is. Each detector module defines the rules it checks; ``registry`` collects them.

Like Ruff, every rule documents itself in four short parts: what it finds, why it matters (taken
from the policy pack's clause text, so it is never restated here), an example and the fixed post.
Severity and the clauses a rule supports live in the policy pack, not here, so a school changes
them without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CODE = re.compile(r"^(?P<family>[A-Z]{2})\d{3}$")

FAMILIES = {
    "PD": "personal data",
    "OC": "own contact details",
    "PU": "pupils",
    "OF": "offensive language",
    "HA": "harassment and hate",
    "SX": "sexual content",
    "AL": "allegations",
    "EM": "employer",
    "VE": "venting",
    "CF": "confidential information",
    "EN": "endorsement",
    "DS": "disclaimer",
    "PC": "pupil contact and grooming risk",
    "PW": "passwords",
    "LK": "links",
    "IM": "images",
}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str  # kebab-case, like Ruff's: "pupil-named"
    message: str  # one line, shown with each finding
    what: str  # one sentence: what the rule finds
    example: str  # a post that breaks it
    instead: str  # the same post, fixed
    fix: str  # what to do, shown with each finding
    redact_as: str | None = None  # bracketed label in the redacted text; None: not redacted

    def __post_init__(self) -> None:
        match = _CODE.match(self.code)
        if match is None or match["family"] not in FAMILIES:
            raise ValueError(f"rule code {self.code!r} is not a family prefix and three digits")

    @property
    def family(self) -> str:
        return FAMILIES[self.code[:2]]
