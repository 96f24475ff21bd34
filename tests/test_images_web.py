"""Photos and screenshots on the self-check page, and the school's badge and location settings
(issue 8): what is found is drawn over the picture, the clean copy comes back in the same answer,
and nothing uploaded to the check is kept."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import Engine, MetaData, func, select
from sqlalchemy.orm import Session

from boundaries.roster import image_profile
from boundaries.store import (
    School,
    SchoolBadge,
    create_db_engine,
    session_factory,
    upgrade,
)
from boundaries.web.routes.images import MAX_IMAGE_BYTES, MAX_IMAGES
from tests.images_support import badge, encode, gps_exif, place_badge, scene, screenshot, with_faces
from tests.web_support import World, build_world, sign_in

# Meadowbank's invented position, and a photo taken 5 m from it.
LAT, LON = 53.80076, -1.54908
TRIP = "Year 5 had a brilliant trip to the farm today!"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(f"sqlite:///{tmp_path_factory.mktemp('images-web') / 'store.sqlite3'}")


@pytest.fixture(scope="module")
def app(world: World) -> FastAPI:
    return world.app()


@pytest.fixture(scope="module")
def teacher(app: FastAPI, world: World) -> Iterator[tuple[TestClient, str]]:
    with TestClient(app, base_url="https://testserver") as client:
        yield client, sign_in(client, world.by_role["staff_teacher"])


@pytest.fixture(scope="module")
def head(app: FastAPI, world: World) -> Iterator[tuple[TestClient, str]]:
    with TestClient(app, base_url="https://testserver") as client:
        yield client, sign_in(client, world.by_role["headteacher"])


@cache
def faces_photo() -> bytes:
    picture, _ = with_faces(scene(900, 600, seed=3), [(100, 150, 240), (540, 170, 220)])
    return encode(picture, "JPEG", quality=90, exif=gps_exif(LAT, LON))


@cache
def pupil_screenshot() -> bytes:
    # Olly Hargreaves is on Meadowbank's roster (tests/web_support.py).
    return encode(screenshot(["Who scored?", "Olly Hargreaves got two goals!"]), "PNG")


@cache
def badge_png() -> bytes:
    return encode(badge(360), "PNG")


@cache
def badge_photo() -> bytes:
    return encode(place_badge(scene(900, 600, seed=5), badge(360), 480, 160, 220, angle=10))


def check(
    client: TestClient,
    token: str,
    school_id: int,
    files: list[tuple[str, bytes, str]],
    text: str = "",
    htmx: bool = True,
) -> str:
    response = client.post(
        f"/schools/{school_id}/check/images",
        data={"csrf_token": token, "text": text},
        files=[("images", f) for f in files],
        headers={"HX-Request": "true"} if htmx else {},
    )
    assert response.status_code == 200, response.text[:500]
    return response.text


class Elements(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def data_url_bytes(url: str) -> bytes:
    head, _, payload = url.partition(",")
    assert head.startswith("data:image/") and head.endswith(";base64")
    return base64.b64decode(payload)


# -- the check -----------------------------------------------------------------------------------
def test_a_trip_photo_shows_the_face_boxes_over_the_picture_and_the_clause_with_its_fix(
    teacher: tuple[TestClient, str], world: World
) -> None:
    client, token = teacher
    html = check(client, token, world.meadowbank, [("trip.jpg", faces_photo(), "image/jpeg")], TRIP)
    elements = Elements(html).found
    (svg,) = [attrs for tag, attrs in elements if tag == "svg"]
    assert svg["viewbox"] == "0 0 900 600"
    (image,) = [attrs for tag, attrs in elements if tag == "image"]
    preview = Image.open(io.BytesIO(data_url_bytes(image["href"])))
    assert preview.format == "JPEG" and not preview.getexif()
    lines = [a for tag, a in elements if tag == "rect" and a.get("class") == "image-box-line"]
    assert len(lines) == 2
    lefts = sorted(int(a["x"]) for a in lines)
    assert abs(lefts[0] - 136) < 40 and abs(lefts[1] - 568) < 40  # where the faces are
    assert "Do not post these photos as they are" in html
    assert f'href="/schools/{world.meadowbank}/policy#clause-6.15"' in html
    assert "Rule IM101" in html and "How to fix it:" in html
    assert "Position (GPS)" in html  # the hidden details, in words
    assert "Taken</dt><dd>12/06/2026 10:15 (UTC+01:00)" in html  # British dates
    # Meadowbank has set neither, and a teacher is not the one to set them.
    assert "The school has not set its badge or its location" in html
    assert "/image-settings" not in html


def test_the_clean_copy_is_in_the_answer_blurred_and_stripped_of_metadata(
    teacher: tuple[TestClient, str], world: World
) -> None:
    client, token = teacher
    html = check(client, token, world.meadowbank, [("IMG_0042.jpg", faces_photo(), "image/jpeg")])
    (link,) = [a for tag, a in Elements(html).found if tag == "a" and "download" in a]
    assert link["download"] == "IMG_0042-clean.jpg"
    copy = Image.open(io.BytesIO(data_url_bytes(link["href"])))
    assert copy.size == (900, 600)
    assert not copy.getexif() and "exif" not in copy.info
    assert "2 marked areas blurred" in html


def test_a_screenshot_naming_a_pupil_on_the_roster_is_caught_on_the_page(
    teacher: tuple[TestClient, str], world: World
) -> None:
    client, token = teacher
    html = check(client, token, world.meadowbank, [("chat.png", pupil_screenshot(), "image/png")])
    assert re.search(r"Rule PU10\d", html), html[:3000]
    assert "Olly Hargreaves" in html  # in the text read from the picture
    assert "image-box-line" in html  # and boxed where it is


def test_the_badge_and_location_a_leader_sets_make_photos_identify_the_school(
    head: tuple[TestClient, str], teacher: tuple[TestClient, str], world: World
) -> None:
    leader, leader_token = head
    school = world.meadowbank
    response = leader.post(
        f"/schools/{school}/image-settings/badges",
        data={"csrf_token": leader_token},
        files={"badge": ("crest.png", badge_png(), "image/png")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    response = leader.post(
        f"/schools/{school}/image-settings/location",
        data={"csrf_token": leader_token, "latitude": str(LAT), "longitude": str(LON)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = leader.get(response.headers["location"]).text
    assert "The school&#39;s location has been saved." in page
    assert "53.800760, -1.549080" in page and "crest.png" in page
    client, token = teacher
    try:
        html = check(
            client,
            token,
            school,
            [("board.jpg", badge_photo(), "image/jpeg"), ("trip.jpg", faces_photo(), "image/jpeg")],
        )
        assert "Rule IM103" in html  # the badge
        assert "Rule IM104" in html  # taken at the school
    finally:
        with session_factory(create_db_engine(world.url))() as session:
            for row in image_profile.badges(session, school):
                image_profile.remove_badge(session, school, row.id)
            image_profile.clear_location(session, school)
            session.commit()


def test_without_javascript_the_whole_check_page_comes_back_with_the_results(
    teacher: tuple[TestClient, str], world: World
) -> None:
    client, token = teacher
    html = check(
        client, token, world.meadowbank, [("trip.jpg", faces_photo(), "image/jpeg")], htmx=False
    )
    assert "<html" in html and 'id="draft"' in html and 'id="image-results"' in html
    assert "Rule IM10" in html


def test_an_iphone_heic_photo_is_shown_boxed_and_its_clean_copy_is_a_jpeg(
    teacher: tuple[TestClient, str], world: World
) -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()  # so that Pillow can write HEIC, as an iPhone does
    picture, _ = with_faces(scene(800, 600, seed=4), [(200, 150, 260)])
    out = io.BytesIO()
    picture.save(out, "HEIF", exif=gps_exif(LAT, LON))
    client, token = teacher
    html = check(client, token, world.meadowbank, [("IMG_0007.HEIC", out.getvalue(), "image/heic")])
    elements = Elements(html).found
    (image,) = [a for tag, a in elements if tag == "image"]
    assert Image.open(io.BytesIO(data_url_bytes(image["href"]))).size == (800, 600)
    (link,) = [a for tag, a in elements if tag == "a" and "download" in a]
    assert link["download"] == "IMG_0007-clean.jpg"
    assert link["href"].startswith("data:image/jpeg;base64,")
    assert "image-box-line" in html


def test_a_file_that_is_not_an_image_is_refused_in_words_beside_the_others(
    teacher: tuple[TestClient, str], world: World
) -> None:
    client, token = teacher
    html = check(
        client,
        token,
        world.meadowbank,
        [
            ("notes.jpg", b"%PDF-1.7 not a photo at all", "image/jpeg"),
            ("trip.jpg", faces_photo(), "image/jpeg"),
        ],
    )
    assert "This file was not checked:" in html
    assert "Rule IM10" in html


@pytest.mark.parametrize("problem", ["none", "too many", "too large", "empty"])
def test_uploads_outside_the_limits_are_refused_with_the_reason(
    teacher: tuple[TestClient, str], world: World, problem: str
) -> None:
    client, token = teacher
    small = encode(scene(64, 64), "PNG")
    files = {
        "none": [],
        "too many": [(f"p{i}.png", small, "image/png") for i in range(MAX_IMAGES + 1)],
        "too large": [("huge.jpg", b"\xff\xd8" + b"0" * MAX_IMAGE_BYTES, "image/jpeg")],
        "empty": [("empty.jpg", b"", "image/jpeg")],
    }[problem]
    response = client.post(
        f"/schools/{world.meadowbank}/check/images",
        data={"csrf_token": token},
        files=[("images", f) for f in files] or None,
    )
    assert response.status_code == 400
    assert "The photos were not checked:" in response.text
    message = {
        "none": "Choose at least one photo",
        "too many": f"at most {MAX_IMAGES} images",
        "too large": "huge.jpg is larger than 15 MB",
        "empty": "empty.jpg is empty",
    }[problem]
    assert message in response.text


def table_counts(engine: Engine) -> dict[str, int]:
    metadata = MetaData()
    metadata.reflect(engine)
    with Session(engine) as session:
        return {
            name: session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in metadata.tables.items()
        }


def test_nothing_uploaded_to_the_check_is_stored(
    teacher: tuple[TestClient, str], world: World
) -> None:
    client, token = teacher
    engine = create_db_engine(world.url)
    try:
        before = table_counts(engine)
        check(client, token, world.meadowbank, [("chat.png", pupil_screenshot(), "image/png")])
        after = table_counts(engine)
    finally:
        engine.dispose()
    changed = {name for name in before if before[name] != after[name]}
    # Only the sign-in bookkeeping may move (a session's last-seen time is not a row).
    assert changed <= {"web_session", "sign_in_attempt"}, changed


def test_the_results_carry_no_inline_script_or_style(
    teacher: tuple[TestClient, str], world: World
) -> None:
    client, token = teacher
    html = check(client, token, world.meadowbank, [("trip.jpg", faces_photo(), "image/jpeg")], TRIP)
    for tag, attrs in Elements(html).found:
        assert tag not in ("script", "style")
        assert "style" not in attrs and not any(name.startswith("on") for name in attrs)


def test_the_check_page_offers_the_photo_check_and_leaders_the_settings_link(
    teacher: tuple[TestClient, str], head: tuple[TestClient, str], world: World
) -> None:
    teacher_page = teacher[0].get(f"/schools/{world.meadowbank}/check").text
    assert 'name="images"' in teacher_page and 'enctype="multipart/form-data"' in teacher_page
    assert "/image-settings" not in teacher_page
    leader_page = head[0].get(f"/schools/{world.meadowbank}/check").text
    assert f"/schools/{world.meadowbank}/image-settings" in leader_page


# -- the settings --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"latitude": "95", "longitude": "-1.5"}, "latitude must be between -90 and 90"),
        ({"latitude": "53.8", "longitude": "east"}, "longitude must be a number"),
        ({"latitude": "53.8", "longitude": "-1.5", "radius": "9000"}, "between 50 and 5000"),
    ],
)
def test_a_location_that_is_not_a_real_place_is_refused_and_the_form_kept(
    head: tuple[TestClient, str], world: World, form: dict[str, str], message: str
) -> None:
    client, token = head
    response = client.post(
        f"/schools/{world.meadowbank}/image-settings/location", data={"csrf_token": token, **form}
    )
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert f'value="{form["latitude"]}"' in response.text


def test_swapped_coordinates_are_saved_with_a_warning_and_can_be_removed(
    head: tuple[TestClient, str], world: World
) -> None:
    client, token = head
    url = f"/schools/{world.meadowbank}/image-settings/location"
    saved = client.post(url, data={"csrf_token": token, "latitude": "-1.549", "longitude": "53.8"})
    assert "wrong way round" in saved.text
    removed = client.post(url, data={"csrf_token": token, "remove": "1"})
    assert "The school&#39;s location has been removed." in removed.text
    with session_factory(create_db_engine(world.url))() as session:
        assert image_profile.school_location(session, world.meadowbank) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not really", "not an image that can be read"),
        (b"", "Choose an image of the badge"),
        ("tiny", "only 16 × 16 pixels"),
        ("bmp", "must be a PNG, JPEG, WebP or GIF"),
        ("plain", "too little detail to be recognised"),
    ],
)
def test_a_badge_that_cannot_be_used_is_refused_with_the_reason(
    head: tuple[TestClient, str], world: World, data: bytes | str, message: str
) -> None:
    client, token = head
    if data == "tiny":
        data = encode(badge(16), "PNG")
    elif data == "bmp":
        data = encode(badge(64), "BMP")
    elif data == "plain":
        data = encode(Image.new("RGB", (200, 200), (20, 50, 120)), "PNG")
    assert isinstance(data, bytes)
    response = client.post(
        f"/schools/{world.meadowbank}/image-settings/badges",
        data={"csrf_token": token},
        files={"badge": ("crest.png", data, "image/png")} if data else {"badge": ("", b"", "")},
    )
    assert response.status_code == 400
    assert message in response.text


def test_another_schools_badge_cannot_be_removed(
    head: tuple[TestClient, str], world: World
) -> None:
    with session_factory(create_db_engine(world.url))() as session:
        theirs = image_profile.add_badge(session, world.brookside, "theirs.png", badge_png(), None)
        session.commit()
        badge_id = theirs.id
    client, token = head
    response = client.post(
        f"/schools/{world.meadowbank}/image-settings/badges/{badge_id}/delete",
        data={"csrf_token": token},
    )
    assert response.status_code == 404
    with session_factory(create_db_engine(world.url))() as session:
        assert session.get(SchoolBadge, badge_id) is not None


# -- storage, on both databases ------------------------------------------------------------------
def test_a_schools_badges_and_position_make_its_image_profile(db_url: str) -> None:
    upgrade(db_url)
    engine = create_db_engine(db_url)
    try:
        with session_factory(engine)() as session:
            from boundaries.store import Trust, TrustKind

            trust = Trust(name="Calderside Trust", kind=TrustKind.ACADEMY_TRUST)
            one = School(trust=trust, name="Calderside", urn="990011", local_authority="Leeds")
            two = School(trust=trust, name="Airedale", urn="990012", local_authority="Leeds")
            session.add_all([trust, one, two])
            session.flush()
            assert image_profile.school_image_profile(session, one).badges == ()
            first = image_profile.add_badge(session, one.id, "a.png", badge_png(), None)
            image_profile.add_badge(session, two.id, "b.png", encode(badge(200), "PNG"), None)
            image_profile.set_location(session, one.id, image_profile.Location(LAT, LON), None)
            image_profile.set_location(
                session, one.id, image_profile.Location(LAT, LON, 250.0), None
            )
            session.commit()
            profile = image_profile.school_image_profile(session, one)
            assert profile.badges == (badge_png(),)
            assert (profile.latitude, profile.longitude, profile.radius_m) == (LAT, LON, 250.0)
            assert profile.name == "Calderside"
            assert first.media_type == "image/png" and (first.width, first.height) == (360, 360)
            assert not image_profile.remove_badge(session, two.id, first.id)  # not theirs
            assert image_profile.remove_badge(session, one.id, first.id)
            for _ in range(image_profile.MAX_BADGES):
                image_profile.add_badge(session, one.id, "c.png", badge_png(), None)
            with pytest.raises(image_profile.SettingsError, match="remove one"):
                image_profile.add_badge(session, one.id, "d.png", badge_png(), None)
            assert image_profile.clear_location(session, one.id)
            session.commit()
            assert image_profile.school_image_profile(session, one).latitude is None
    finally:
        engine.dispose()
