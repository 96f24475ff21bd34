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


# Rules about pictures. The image screening (``boundaries.screening.images``) checks them, not a
# text detector, so the text rule registry does not list them; their severities and clauses live
# in the policy pack like every other rule's. An example is a picture, described in words.
IMAGE_RULES: tuple[Rule, ...] = (
    Rule(
        code="IM101",
        name="pupil-photo",
        message="Photograph of pupils: faces in a picture taken at or about school",
        what="Faces in a photo that the badge, the place it was taken, the words in it or the post "
        "tie to the school.",
        example="A photo of four children at the farm, posted with 'Year 5 had a brilliant trip "
        "today!'",
        instead="The same post with the copy whose faces are blurred, or a photo of the farm's "
        "tractor with no one in it.",
        fix="Do not post photographs of pupils. Use the copy with the faces blurred, or share "
        "the photo through the school's own channels with parental consent.",
    ),
    Rule(
        code="IM102",
        name="face-photo",
        message="Faces in the picture: check no pupil is in it",
        what="Faces in a photo with nothing that ties it to the school.",
        example="A photo of three people on a beach, posted with 'Lovely day out'.",
        instead="The same photo with the faces blurred, or a photo of the beach alone.",
        fix="Make sure no pupil is in the photo and everyone in it agreed to be posted; the copy "
        "with the faces blurred is safe to use.",
    ),
    Rule(
        code="IM103",
        name="school-badge",
        message="The school's badge or logo is in the picture",
        what="The school's badge or logo (an image the school uploads), found anywhere in a photo "
        "at any size or angle.",
        example="A selfie in a jumper with the school's crest on it.",
        instead="The same selfie in a plain jumper, or cropped above the crest.",
        fix="The badge ties the post to the school: crop it out, or make sure the post is one the "
        "school would be happy to be associated with.",
    ),
    Rule(
        code="IM104",
        name="school-location",
        message="The photo's location data places it at the school",
        what="A GPS position in the photo's metadata within the set distance of the school.",
        example="A photo taken in the school hall whose EXIF data holds the school's position.",
        instead="The clean copy, with every piece of metadata stripped.",
        fix="Post the clean copy: it has the location and all other metadata removed.",
    ),
    Rule(
        code="IM105",
        name="location-data",
        message="The photo carries the position where it was taken",
        what="A GPS position in the photo's metadata, wherever it is.",
        example="A garden photo whose EXIF data holds the position of your home.",
        instead="The clean copy, with every piece of metadata stripped.",
        fix="Post the clean copy, which has the location and other metadata removed; turn off "
        "location tagging in the camera app.",
    ),
)
