"""The rule registry: every detector class and every rule, collected in one place.

``all_rules`` is every rule Boundaries has, the image rules included (the pack maps them and
``boundaries rules`` documents them); ``text_rules`` is the ones the text detectors check.
"""

from __future__ import annotations

from functools import cache

from boundaries.screening.detectors.allegations import AllegationDetector
from boundaries.screening.detectors.base import Detector
from boundaries.screening.detectors.confidential import ConfidentialDetector
from boundaries.screening.detectors.disclaimer import DisclaimerDetector
from boundaries.screening.detectors.employer import EmployerDetector
from boundaries.screening.detectors.endorsement import EndorsementDetector
from boundaries.screening.detectors.harassment import HarassmentDetector
from boundaries.screening.detectors.links import LinkDetector
from boundaries.screening.detectors.offensive import OffensiveDetector
from boundaries.screening.detectors.own_contact import OwnContactDetector
from boundaries.screening.detectors.passwords import PasswordDetector
from boundaries.screening.detectors.personal_data import PersonalDataDetector
from boundaries.screening.detectors.pupil_contact import PupilContactDetector
from boundaries.screening.detectors.pupils import PupilDetector
from boundaries.screening.detectors.sexual import SexualDetector
from boundaries.screening.rules import IMAGE_RULES, Rule

DETECTORS: tuple[type[Detector], ...] = (
    PersonalDataDetector,
    OwnContactDetector,
    PupilDetector,
    OffensiveDetector,
    HarassmentDetector,
    SexualDetector,
    AllegationDetector,
    EmployerDetector,
    ConfidentialDetector,
    EndorsementDetector,
    DisclaimerDetector,
    PupilContactDetector,
    PasswordDetector,
    LinkDetector,
)


@cache
def text_rules() -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for detector in DETECTORS:
        for rule in detector.rules:
            if rule.code in rules:
                raise RuntimeError(f"rule {rule.code} is defined twice")
            rules[rule.code] = rule
    return dict(sorted(rules.items()))


@cache
def all_rules() -> dict[str, Rule]:
    rules = dict(text_rules())
    for rule in IMAGE_RULES:
        if rule.code in rules:
            raise RuntimeError(f"rule {rule.code} is defined twice")
        rules[rule.code] = rule
    return dict(sorted(rules.items()))
