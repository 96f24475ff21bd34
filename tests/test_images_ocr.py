"""Text in pictures: a screenshot of a message naming a pupil is caught, with the name's box.

Tesseract is slow, so the screenshots are small and each is read once per module."""

from __future__ import annotations

import shutil

import pytest

from boundaries.policy import Severity
from boundaries.screening.context import Pupil, School, ScreeningContext
from boundaries.screening.images import ImageResult, screen_image
from tests.images_support import encode, screenshot

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None, reason="Tesseract is not installed (make tesseract)"
)

CONTEXT = ScreeningContext(
    school=School(name="Meadowbank Primary School"),
    pupils=(
        Pupil(forename="Tilly", surname="Marchbank", year_group="Year 5"),
        Pupil(forename="Oscar", surname="Penhallow", year_group="Year 6"),
    ),
)
LINES = [
    "Did you see the assembly today?",
    "Yes! Oscar Penhallow was brilliant",
    "Such a star, tell his mum",
]


@pytest.fixture(scope="module")
def read_screenshot() -> tuple[ImageResult, tuple[int, int]]:
    picture = screenshot(LINES, width=900, size=30)
    return screen_image(encode(picture, "PNG"), context=CONTEXT), picture.size


def test_a_screenshot_naming_a_roster_pupil_is_a_breach_with_the_names_box(
    read_screenshot: tuple[ImageResult, tuple[int, int]],
) -> None:
    result, (width, _) = read_screenshot
    assert "Oscar Penhallow" in result.text
    assert result.verdict == "breach"
    pupil = next(f for f in result.findings if f.code == "PU101")
    assert pupil.clause == "6.10"
    assert pupil.severity is Severity.BREACH
    assert pupil.evidence == "Oscar Penhallow"
    (box,) = pupil.boxes
    # The second bubble is right-aligned, on the second message row.
    assert box.left > width * 0.3
    assert 150 < box.top < 300 and 20 < box.height < 60
    assert box.width > 150


def test_the_text_result_is_the_ordinary_text_screening_of_the_words(
    read_screenshot: tuple[ImageResult, tuple[int, int]],
) -> None:
    result, _ = read_screenshot
    assert result.text_result is not None
    assert result.text_result.text == result.text
    assert {f.rule for f in result.text_result.findings} >= {"PU101"}


def test_a_screenshot_without_pupils_or_problems_is_clear() -> None:
    picture = screenshot(["Are you coming to the pub quiz?", "Yes, see you at eight"], size=28)
    result = screen_image(encode(picture, "PNG"), context=CONTEXT)
    assert "pub quiz" in result.text
    assert result.verdict == "clear", result.findings
