"""Faces in photos (6.15): tied to the school they are a breach, on their own a review, and the
clean copy blurs them."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from boundaries.policy import Severity
from boundaries.screening.context import Pupil, School, ScreeningContext
from boundaries.screening.images import Box, SchoolImageProfile, clean_copy, screen_image
from tests.images_support import encode, random_texture, sample, scene, with_faces

CONTEXT = ScreeningContext(
    school=School(name="Meadowbank Primary School"),
    pupils=(Pupil(forename="Tilly", surname="Marchbank", year_group="Year 5"),),
)


@pytest.fixture(scope="module")
def group_photo() -> tuple[bytes, list[tuple[int, int, int, int]]]:
    picture, faces = with_faces(scene(1600, 1200, seed=3), [(150, 300, 300), (900, 350, 240)])
    return encode(picture, quality=88), faces


def _covers(boxes: tuple[Box, ...], face: tuple[int, int, int, int]) -> bool:
    x, y, w, h = face
    cx, cy = x + w / 2, y + h / 2
    return any(b.left <= cx <= b.right and b.top <= cy <= b.bottom for b in boxes)


def test_faces_with_a_school_trip_in_the_post_are_a_breach_of_6_15_with_the_face_boxes(
    group_photo: tuple[bytes, list[tuple[int, int, int, int]]],
) -> None:
    data, faces = group_photo
    result = screen_image(data, context=CONTEXT, ocr=False, post_text="Great school trip today!")
    assert result.verdict == "breach"
    finding = next(f for f in result.findings if f.code == "IM101")
    assert finding.clause == "6.15"
    assert finding.severity is Severity.BREACH
    assert len(finding.boxes) == 2
    assert all(_covers(finding.boxes, face) for face in faces)
    assert "trip" in finding.evidence
    assert "blurred" in finding.fix


def test_faces_in_a_photo_naming_a_roster_pupil_in_the_post_are_a_breach(
    group_photo: tuple[bytes, list[tuple[int, int, int, int]]],
) -> None:
    data, _ = group_photo
    result = screen_image(data, context=CONTEXT, ocr=False, post_text="Well done Tilly Marchbank")
    assert [f.code for f in result.findings] == ["IM101"]
    assert "pupil" in result.findings[0].evidence


def test_faces_with_nothing_tying_them_to_a_school_go_to_review(
    group_photo: tuple[bytes, list[tuple[int, int, int, int]]],
) -> None:
    data, _ = group_photo
    result = screen_image(data, ocr=False, post_text="Lovely day at the beach")
    assert result.verdict == "review"
    assert [f.code for f in result.findings] == ["IM102"]
    assert result.findings[0].severity is Severity.REVIEW


def test_the_astronaut_portrait_from_scikit_image_has_one_face_where_her_face_is() -> None:
    result = screen_image(encode(sample("astronaut"), "PNG"), ocr=False)
    (finding,) = result.findings
    (box,) = finding.boxes
    assert _covers((box,), (180, 70, 90, 90))
    assert 60 <= box.width <= 140


@pytest.mark.parametrize("name", ["coffee", "chelsea", "rocket", "brick", "page", "horse"])
def test_pictures_without_people_are_clear(name: str) -> None:
    result = screen_image(encode(sample(name), "PNG"), ocr=False, post_text="Class trip")
    assert result.verdict == "clear", result.findings


def test_busy_textures_and_an_empty_scene_raise_no_face() -> None:
    for picture in (random_texture(1200, 900, seed=7), scene(1600, 1200, seed=9)):
        assert screen_image(encode(picture), ocr=False).findings == []


def test_a_large_photo_reduced_for_analysis_gives_boxes_in_its_own_pixels() -> None:
    # A 2400 x 1800 JPEG is decoded at half size for analysis; the boxes come back full size.
    picture, faces = with_faces(scene(2400, 1800, seed=4), [(800, 600, 500)])
    result = screen_image(encode(picture, quality=85), ocr=False)
    assert (result.width, result.height) == (2400, 1800)
    (finding,) = result.findings
    assert _covers(finding.boxes, faces[0])
    assert finding.boxes[0].width > 250


def test_the_blurred_copy_hides_the_faces_and_keeps_the_rest(
    group_photo: tuple[bytes, list[tuple[int, int, int, int]]],
) -> None:
    data, faces = group_photo
    result = screen_image(data, ocr=False)
    cleaned, media_type = clean_copy(data, blur=result.face_boxes)
    assert media_type == "image/jpeg"
    assert screen_image(cleaned, ocr=False).findings == []
    before = np.asarray(Image.open(io.BytesIO(data)).convert("L"), dtype=np.float32)
    after = np.asarray(Image.open(io.BytesIO(cleaned)).convert("L"), dtype=np.float32)
    x, y, w, h = faces[0]
    inside = np.abs(before[y : y + h, x : x + w] - after[y : y + h, x : x + w]).mean()
    outside = np.abs(before[1000:, :] - after[1000:, :]).mean()
    assert inside > 15 > 3 > outside


def test_a_school_profile_name_in_the_post_ties_the_photo_to_the_school(
    group_photo: tuple[bytes, list[tuple[int, int, int, int]]],
) -> None:
    data, _ = group_photo
    school = SchoolImageProfile(name="Hillcrest Academy")
    result = screen_image(data, ocr=False, school=school, post_text="Hillcrest Academy fun run")
    assert result.findings[0].code == "IM101"
    assert "names the school" in result.findings[0].evidence


def test_a_photo_tied_to_the_school_is_searched_for_the_small_faces_of_a_back_row() -> None:
    # Faces 40 px wide in a 1600 px photo (2.5%) are below the first pass's smallest face.
    picture, faces = with_faces(
        scene(1600, 1200, seed=6), [(200, 300, 56), (700, 320, 56), (1200, 340, 56)]
    )
    data = encode(picture, quality=92)
    assert screen_image(data, ocr=False).findings == []
    result = screen_image(data, context=CONTEXT, ocr=False, post_text="Our class at the farm")
    finding = next(f for f in result.findings if f.code == "IM101")
    assert sum(_covers(finding.boxes, face) for face in faces) >= 2
