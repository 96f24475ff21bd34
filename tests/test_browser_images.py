"""Photos on the self-check page in a real browser (issue 8): a teacher adds a trip photo to a
draft, sees the faces boxed over it with the clause and the fix, and downloads the clean copy;
a headteacher sets the school's badge and location. Both pages are checked with axe-core."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.browser_fixtures import assert_no_sideways_scroll, sign_in, tab_until
from tests.browser_support import (
    LiveServer,
    Watch,
    axe_violations,
    check_vendored_axe,
    describe_violations,
    serve_axe,
)
from tests.images_support import badge, encode, gps_exif, scene, with_faces

TRIP = "Year 5 had a brilliant trip to the farm today!"
LAT, LON = 53.80076, -1.54908


@cache
def trip_photo() -> bytes:
    picture, _ = with_faces(scene(900, 600, seed=3), [(100, 150, 240), (540, 170, 220)])
    return encode(picture, "JPEG", quality=90, exif=gps_exif(LAT, LON))


def test_a_teacher_checks_a_trip_photo_sees_the_faces_boxed_and_downloads_the_clean_copy(
    page: Page, server: LiveServer, watch: Watch, viewport: str
) -> None:
    check_vendored_axe()
    serve_axe(page, server.url)
    sign_in(page, server)
    page.get_by_label("Your draft post").fill(TRIP)
    page.get_by_label("Add photos or screenshots").set_input_files(
        files=[{"name": "trip.jpg", "mimeType": "image/jpeg", "buffer": trip_photo()}]
    )
    page.get_by_role("button", name="Check photos").click()

    results = page.locator("#image-results")
    expect(results.locator("#image-verdict h3")).to_have_text(
        "Do not post these photos as they are"
    )
    boxes = results.locator("svg .image-box-line")
    expect(boxes).to_have_count(2)
    for index in range(2):
        box = boxes.nth(index).bounding_box()
        assert box is not None and box["width"] > 10 and box["height"] > 10
    expect(results.get_by_role("img", name="trip.jpg, with 2 areas marked")).to_be_visible()
    finding = results.locator(".finding").filter(has_text="Rule IM101")
    expect(finding.get_by_role("link", name="Clause 6.15")).to_have_attribute(
        "href", f"/schools/{server.world.meadowbank}/policy#clause-6.15"
    )
    expect(finding).to_contain_text("How to fix it:")
    # The draft was checked too, by the text check, unchanged.
    expect(page.locator("#results #verdict")).to_be_visible()

    with page.expect_download() as downloading:
        results.get_by_role("link", name="Download the clean copy of trip.jpg").click()
    download = downloading.value
    assert download.suggested_filename == "trip-clean.jpg"
    saved = download.path()
    assert saved is not None
    with Image.open(Path(saved)) as copy:
        assert copy.size == (900, 600)
        assert not copy.getexif() and "exif" not in copy.info

    if viewport == "phone":
        assert_no_sideways_scroll(page, "check, with photo results")
    violations = axe_violations(page, server.url)
    assert not violations, describe_violations("check page with photo results", violations)
    assert watch.csp_complaints() == [], "the CSP blocked something the photo check needs"


@pytest.mark.parametrize("viewport", ["desktop"])
def test_a_headteacher_sets_the_badge_and_location_on_an_accessible_page(
    page: Page, server: LiveServer, watch: Watch, tmp_path: Path
) -> None:
    check_vendored_axe()
    serve_axe(page, server.url)
    sign_in(page, server, "headteacher")
    page.get_by_role("link", name="set the school's badge and location").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The school's badge and location")

    page.get_by_label("Latitude").fill("95")
    page.get_by_label("Longitude").fill(str(LON))
    page.get_by_role("button", name="Save the location").click()
    expect(page.get_by_role("alert")).to_contain_text("The latitude must be between -90 and 90")
    violations = axe_violations(page, server.url)
    assert not violations, describe_violations("settings with an error", violations)

    page.get_by_label("Latitude").fill(str(LAT))
    page.get_by_role("button", name="Save the location").click()
    expect(page.get_by_role("status")).to_have_text("The school's location has been saved.")
    crest = tmp_path / "crest.png"
    crest.write_bytes(encode(badge(240), "PNG"))
    page.get_by_label("Add an image of the badge").set_input_files(crest)
    page.get_by_role("button", name="Add the badge").click()
    expect(page.get_by_role("status")).to_have_text("The badge has been added.")
    expect(page.get_by_role("img", name="Badge image 1: crest.png")).to_be_visible()
    violations = axe_violations(page, server.url)
    assert not violations, describe_violations("settings with a badge and location", violations)

    # Put things back: the other browser tests share this school.
    page.get_by_role("button", name="Remove crest.png").click()
    expect(page.get_by_role("status")).to_have_text("The badge has been removed.")
    page.get_by_role("button", name="Remove the location").click()
    expect(page.get_by_role("status")).to_have_text("The school's location has been removed.")
    assert watch.csp_complaints() == []


@pytest.mark.parametrize("viewport", ["desktop"])
def test_the_photo_check_works_by_keyboard_alone(page: Page, server: LiveServer) -> None:
    sign_in(page, server)
    order = tab_until(page, "button#image-submit", limit=30)
    assert order[-1] == "button#image-submit", f"Tab never reached Check photos: {order}"
    assert order.index("textarea#draft") < order.index("input#images") < len(order) - 1
    page.get_by_label("Add photos or screenshots").set_input_files(
        files=[{"name": "trip.jpg", "mimeType": "image/jpeg", "buffer": trip_photo()}]
    )
    page.locator("#image-submit").focus()
    page.keyboard.press("Enter")
    download = page.get_by_role("link", name="Download the clean copy of trip.jpg")
    expect(download).to_be_visible()
    # The finding's clause link and the download are reachable from the button, in page order.
    order = tab_until(page, "a: Download the clean copy of trip.jpg", limit=15)
    assert order[-1] == "a: Download the clean copy of trip.jpg", order
    assert any(step.startswith("a: Clause 6.15") for step in order), order
