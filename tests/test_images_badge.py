"""The school's badge in a photo (6.1, 6.2): found at any size, angle and slant, and not found in
pictures that do not hold it."""

from __future__ import annotations

import pytest
from PIL import Image

from boundaries.policy import Severity
from boundaries.screening.images import SchoolImageProfile, screen_image
from tests.images_support import (
    badge,
    encode,
    place_badge,
    random_texture,
    round_badge,
    sample,
    scene,
)

BADGE = badge()
SCHOOL = SchoolImageProfile(badges=(encode(BADGE, "PNG"),), name="Meadowbank Primary School")


def _badge_finding(picture: Image.Image) -> list[tuple[int, int, int, int]]:
    result = screen_image(encode(picture, quality=90), ocr=False, school=SCHOOL)
    return [
        (b.left, b.top, b.width, b.height)
        for f in result.findings
        if f.code == "IM103"
        for b in f.boxes
    ]


@pytest.mark.parametrize(
    ("width", "angle", "tilt"),
    [(420, 0.0, 0.0), (160, 0.0, 0.0), (300, 35.0, 0.0), (260, -80.0, 0.0), (320, 10.0, 0.2)],
    ids=["large", "small", "rotated", "quarter-turn", "slanted"],
)
def test_the_badge_is_found_at_any_size_angle_or_slant_with_its_box(
    width: int, angle: float, tilt: float
) -> None:
    picture = place_badge(scene(1600, 1200, seed=11), BADGE, 700, 500, width, angle, tilt)
    (box,) = _badge_finding(picture)
    left, top, w, h = box
    centre_x, centre_y = 700 + width / 2, 500 + width / 2
    assert abs(left + w / 2 - centre_x) < width * 0.6 + 40
    assert abs(top + h / 2 - centre_y) < width * 0.6 + 40
    assert 0.5 * width < max(w, h) < 2.2 * width


def test_a_badge_finding_cites_6_2_and_6_1_and_ties_faces_to_the_school() -> None:
    from tests.images_support import with_faces

    picture, _ = with_faces(scene(1600, 1200, seed=12), [(200, 250, 300)])
    picture = place_badge(picture, BADGE, 1000, 600, 300)
    result = screen_image(encode(picture), ocr=False, school=SCHOOL)
    codes = {f.code: f for f in result.findings}
    assert codes["IM103"].clauses == ("6.2", "6.1")
    assert codes["IM103"].severity is Severity.REVIEW
    assert codes["IM101"].severity is Severity.BREACH
    assert "badge" in codes["IM101"].evidence


@pytest.mark.parametrize("name", ["astronaut", "coffee", "chelsea", "rocket", "logo", "text"])
def test_no_badge_is_found_in_pictures_that_do_not_hold_it(name: str) -> None:
    assert _badge_finding(sample(name)) == []


def test_another_schools_badge_and_busy_textures_are_not_taken_for_ours() -> None:
    other = round_badge()
    picture = place_badge(scene(1600, 1200, seed=13), other, 600, 400, 360)
    assert _badge_finding(picture) == []
    assert _badge_finding(random_texture(1600, 1200, seed=5)) == []


def test_a_badge_too_plain_to_match_is_ignored_rather_than_matched_everywhere() -> None:
    plain = Image.new("RGB", (300, 300), (20, 50, 120))
    school = SchoolImageProfile(badges=(encode(plain, "PNG"),))
    result = screen_image(encode(scene(1200, 900, seed=2)), ocr=False, school=school)
    assert result.findings == []
