"""Photos and screenshots at the command line and in the Python API (issue 8, interfaces):
``boundaries check --image``, ``boundaries.screen(text, images=...)`` and the school's badge and
position, from options or from the database."""

from __future__ import annotations

import io
import json
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import boundaries
from boundaries.cli import EXIT_USAGE, main
from boundaries.roster import image_profile
from boundaries.screening.images import ImageResult, SchoolImageProfile
from boundaries.screening.post_check import ImageRefusal, PostCheck
from boundaries.screening.result import Result
from boundaries.store import Pupil, School, Trust, TrustKind, create_db_engine, session_factory
from boundaries.store import upgrade as upgrade_database
from tests.images_support import badge, encode, gps_exif, place_badge, scene, screenshot, with_faces

# An invented school at an invented spot in Leeds, and a pupil on its roster.
SCHOOL_LAT, SCHOOL_LON = 53.80076, -1.54908
ROSTER = (
    "forename,surname,preferred_name,date_of_birth,year_group\n"
    "Amelia,Fairbairn,Millie,2016-06-30,Year 4\n"
)
TRIP = "Year 5 had a brilliant trip to the farm today!"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(argv))
    captured = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


@cache
def faces_photo() -> tuple[bytes, tuple[tuple[int, int, int, int], ...]]:
    """A 1000 x 700 photo with two faces, taken at the school (GPS in its EXIF)."""
    picture, boxes = with_faces(scene(1000, 700, seed=3), [(120, 180, 260), (600, 200, 240)])
    return encode(picture, "JPEG", quality=90, exif=gps_exif(SCHOOL_LAT, SCHOOL_LON)), tuple(
        tuple(b) for b in boxes
    )


@cache
def badge_png() -> bytes:
    return encode(badge(360), "PNG")


@cache
def badge_photo() -> bytes:
    """A scene with the school's badge printed on a board, smaller and turned a little."""
    return encode(place_badge(scene(1000, 700, seed=5), badge(360), 560, 200, 220, angle=12))


@cache
def pupil_screenshot() -> bytes:
    return encode(
        screenshot(
            ["Are you coming to the match on Saturday?", "Yes! Millie Fairbairn is playing"]
        ),
        "PNG",
    )


@cache
def empty_scene() -> bytes:
    return encode(scene(900, 600, seed=8), "JPEG", quality=85)


def overlap(a: dict[str, int], b: tuple[int, int, int, int]) -> float:
    """Intersection over union of a reported box and a known one."""
    left, top = max(a["left"], b[0]), max(a["top"], b[1])
    right = min(a["left"] + a["width"], b[0] + b[2])
    bottom = min(a["top"] + a["height"], b[1] + b[3])
    inter = max(0, right - left) * max(0, bottom - top)
    union = a["width"] * a["height"] + b[2] * b[3] - inter
    return inter / union if union else 0.0


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    made = {
        "faces": faces_photo()[0],
        "badge": badge_png(),
        "badge_photo": badge_photo(),
        "screenshot": pupil_screenshot(),
        "scene": empty_scene(),
        "corrupt": faces_photo()[0][:4000],
    }
    paths = {}
    for name, data in made.items():
        suffix = ".png" if name in ("badge", "screenshot") else ".jpg"
        paths[name] = tmp_path / f"{name}{suffix}"
        paths[name].write_bytes(data)
    pupils = tmp_path / "pupils.csv"
    pupils.write_text(ROSTER, encoding="utf-8")
    paths["pupils"] = pupils
    return paths


# -- the check command --------------------------------------------------------------------------
def test_a_photo_of_pupils_on_a_school_trip_exits_2_with_the_face_boxes_in_the_json(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    code, out, _ = run(
        capsys, "check", TRIP, "--image", str(files["faces"]), "--no-ocr", "--format", "json"
    )
    assert code == 2
    report = json.loads(out)
    assert report["verdict"] == "breach"
    assert report["text"]["verdict"] in ("clear", "review", "breach")
    (image,) = report["images"]
    assert image["filename"] == "faces.jpg"
    faces = next(f for f in image["findings"] if f["code"] == "IM101")
    assert faces["clause"] == "6.15" and faces["severity"] == "breach"
    known = faces_photo()[1]
    for face in known:
        assert max(overlap(box, face) for box in faces["boxes"]) > 0.3, (face, faces["boxes"])


def test_text_output_names_each_image_its_findings_where_they_are_and_the_fix(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    code, out, _ = run(capsys, "check", TRIP, "--image", str(files["faces"]), "--no-ocr")
    assert code == 2
    assert "Image 1 of 1: faces.jpg" in out
    assert "1000 × 700 pixels, JPEG" in out
    assert "Verdict: BREACH" in out
    assert "IM101 clause 6.15" in out
    assert " at " in out and "Fix:" in out
    assert "Position (GPS): 53.800760, -1.549080" in out  # the metadata found, in words
    assert "Taken: 12/06/2026 10:15 (UTC+01:00)" in out
    assert "The post's text" in out and "Overall: BREACH" in out


def test_a_screenshot_naming_a_pupil_on_the_roster_is_caught_with_the_name_boxed(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    code, out, _ = run(
        capsys,
        "check",
        "--image",
        str(files["screenshot"]),
        "--pupils",
        str(files["pupils"]),
        "--format",
        "json",
    )
    assert code == 2
    (image,) = json.loads(out)["images"]
    assert "Millie Fairbairn" in image["text"]
    named = [f for f in image["findings"] if f["code"].startswith("PU")]
    assert named and named[0]["boxes"], image["findings"]
    box = named[0]["boxes"][0]
    assert 0 <= box["left"] < image["width"] and 0 <= box["top"] < image["height"]


def test_a_gps_position_near_the_school_is_a_finding_and_one_far_away_only_a_warning(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    photo = str(files["faces"])
    near = f"{SCHOOL_LAT + 0.001},{SCHOOL_LON}"  # about 110 m north
    code, out, _ = run(
        capsys, "check", "--image", photo, "--school-location", near, "--no-ocr", "--format", "json"
    )
    codes = {f["code"] for f in json.loads(out)["images"][0]["findings"]}
    assert "IM104" in codes and code == 2  # the faces are tied to the school by the place
    code, out, _ = run(
        capsys,
        "check",
        "--image",
        photo,
        "--school-location",
        f"{SCHOOL_LAT + 0.001},{SCHOOL_LON}",
        "--radius",
        "60",
        "--no-ocr",
        "--format",
        "json",
    )
    codes = {f["code"] for f in json.loads(out)["images"][0]["findings"]}
    assert "IM104" not in codes and "IM105" in codes
    assert code == 1  # faces with nothing tying them to the school: for a person to review


def test_the_schools_badge_is_found_in_a_photo(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    _, out, _ = run(
        capsys,
        "check",
        "--image",
        str(files["badge_photo"]),
        "--image",
        str(files["scene"]),
        "--school-badge",
        str(files["badge"]),
        "--no-ocr",
        "--format",
        "json",
    )
    with_badge, without = json.loads(out)["images"]
    found = [f for f in with_badge["findings"] if f["code"] == "IM103"]
    assert found and found[0]["boxes"]
    box = found[0]["boxes"][0]
    assert overlap(box, (560, 200, 260, 260)) > 0.2, box
    assert not [f for f in without["findings"] if f["code"] == "IM103"]


def test_clean_copy_writes_each_image_blurred_where_marked_with_no_metadata(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "clean"
    code, out, _ = run(
        capsys,
        "check",
        "--image",
        str(files["faces"]),
        "--image",
        str(files["scene"]),
        "--clean-copy",
        str(folder),
        "--no-ocr",
        "--format",
        "json",
    )
    assert code == 1  # faces alone, with nothing tying them to the school
    report = json.loads(out)
    written = [Path(i["clean_copy"]) for i in report["images"]]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written)
    original = Image.open(io.BytesIO(faces_photo()[0]))
    assert original.getexif().get_ifd(0x8825)  # the original does carry GPS
    with Image.open(written[0]) as copy:
        assert not copy.getexif() and "xmp" not in copy.info and "exif" not in copy.info
        assert copy.size == original.size
        left, top, width, height = faces_photo()[1][0]
        face_box = (left, top, left + width, top + height)
        before = np.asarray(original.convert("L").crop(face_box), dtype=np.float32)
        after = np.asarray(copy.convert("L").crop(face_box), dtype=np.float32)
        # Blurring removes the fine detail: far less difference between neighbouring pixels.
        assert np.abs(np.diff(after, axis=1)).mean() < 0.5 * np.abs(np.diff(before, axis=1)).mean()
    assert "Clean copy" not in out  # JSON only on stdout


def test_a_clean_copy_never_overwrites_a_file_already_there(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "scene-clean.jpg").write_bytes(b"mine")
    run(capsys, "check", "--image", str(files["scene"]), "--clean-copy", str(folder), "--no-ocr")
    assert (folder / "scene-clean.jpg").read_bytes() == b"mine"
    assert (folder / "scene-clean-2.jpg").stat().st_size > 1000


def test_a_clear_photo_exits_0(capsys: pytest.CaptureFixture[str], files: dict[str, Path]) -> None:
    code, out, _ = run(capsys, "check", "--image", str(files["scene"]), "--no-ocr")
    assert code == 0, out
    assert "Verdict: CLEAR" in out


def test_an_image_that_cannot_be_screened_exits_64_and_the_others_are_still_reported(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path]
) -> None:
    code, out, err = run(
        capsys,
        "check",
        TRIP,
        "--image",
        str(files["corrupt"]),
        "--image",
        str(files["faces"]),
        "--no-ocr",
        "--format",
        "json",
    )
    assert code == EXIT_USAGE
    refused, screened = json.loads(out)["images"]
    assert refused["filename"] == "corrupt.jpg" and refused["error"]
    assert screened["verdict"] == "breach"
    assert "1 of 2 image(s) could not be checked" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "hi", "--school-badge", "{badge}"], "--school-badge is for checking images"),
        (["check", "--image", "{scene}", "--school-location", "north"], "not a position"),
        (["check", "--image", "{scene}", "--school-location", "95,1"], "between -90 and 90"),
        (["check", "--image", "{scene}", "--radius", "100"], "--radius is a distance from"),
        (["check", "--image", "{scene}", "--jsonl", "{pupils}"], "cannot go with --jsonl"),
        (["check", "--image", "{missing}"], "cannot read"),
        (
            ["check", "--image", "{scene}", "--school", "1", "--school-badge", "{badge}"],
            "give either --school or",
        ),
        (["check", "--image", "{scene}", "--school-badge", "{pupils}"], "not an image"),
    ],
)
def test_bad_image_options_are_usage_errors(
    capsys: pytest.CaptureFixture[str],
    files: dict[str, Path],
    tmp_path: Path,
    argv: list[str],
    message: str,
) -> None:
    names = {name: str(path) for name, path in files.items()}
    names["missing"] = str(tmp_path / "nope.jpg")
    code, out, err = run(capsys, *(a.format(**names) for a in argv))
    assert code == EXIT_USAGE
    assert message in err, err
    assert out == ""


def test_the_school_option_takes_badge_position_and_roster_from_the_database(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], db_url: str
) -> None:
    upgrade_database(db_url)
    engine = create_db_engine(db_url)
    try:
        with session_factory(engine)() as session:
            trust = Trust(name="Calderside Trust", kind=TrustKind.ACADEMY_TRUST)
            school = School(
                trust=trust, name="Calderside Primary", urn="990001", local_authority="Leeds"
            )
            session.add_all([trust, school])
            session.flush()
            session.add(
                Pupil(
                    school_id=school.id,
                    legal_forename="Amelia",
                    surname="Fairbairn",
                    preferred_forename="Millie",
                    date_of_birth=date(2016, 6, 30),
                    year_group="Year 4",
                )
            )
            image_profile.set_location(
                session, school.id, image_profile.Location(SCHOOL_LAT, SCHOOL_LON, 300), None
            )
            image_profile.add_badge(session, school.id, "crest.png", badge_png(), None)
            session.commit()
    finally:
        engine.dispose()
    code, out, _ = run(
        capsys,
        "check",
        "--image",
        str(files["faces"]),
        "--image",
        str(files["badge_photo"]),
        "--image",
        str(files["screenshot"]),
        "--school",
        "990001",
        "--url",
        db_url,
        "--format",
        "json",
    )
    assert code == 2
    faces, with_badge, shot = json.loads(out)["images"]
    assert "IM104" in {f["code"] for f in faces["findings"]}
    assert "IM103" in {f["code"] for f in with_badge["findings"]}
    assert any(f["code"].startswith("PU") for f in shot["findings"])


def test_an_unknown_school_urn_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], files: dict[str, Path], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    upgrade_database(url)
    code, _, err = run(
        capsys, "check", "--image", str(files["scene"]), "--school", "123456", "--url", url
    )
    assert code == EXIT_USAGE
    assert "no school has the URN 123456" in err


# -- the Python API -----------------------------------------------------------------------------
def test_screen_with_text_alone_still_returns_the_texts_result() -> None:
    result = boundaries.screen("Lovely sunny day for sports day!")
    assert isinstance(result, Result)
    assert result.verdict == "clear"


def test_screen_with_images_returns_the_text_and_every_image_together() -> None:
    check = boundaries.screen(
        TRIP,
        images=[("trip.jpg", faces_photo()[0]), empty_scene(), b"not an image"],
        school=SchoolImageProfile(latitude=SCHOOL_LAT, longitude=SCHOOL_LON, name="Meadowbank"),
        ocr=False,
    )
    assert isinstance(check, PostCheck)
    assert isinstance(check.text, Result)
    trip, plain, bad = check.images
    assert isinstance(trip, ImageResult) and trip.filename == "trip.jpg"
    assert {"IM101", "IM104"} <= {f.code for f in trip.findings}
    assert isinstance(plain, ImageResult) and plain.verdict == "clear"
    assert isinstance(bad, ImageRefusal) and bad.filename == "image-3" and bad.message
    assert check.verdict == "breach" and check.exit_code == 2
    assert check.refused == (bad,)
    report = check.to_dict()
    assert report["images"][2] == {"filename": "image-3", "error": bad.message}
    assert report["images"][0]["findings"][0]["boxes"]


def test_screen_images_takes_paths_and_the_context_as_a_dict(files: dict[str, Path]) -> None:
    context = {
        "pupils": [{"forename": "Amelia", "surname": "Fairbairn", "preferred_name": "Millie"}]
    }
    (shot,) = boundaries.screen_images([files["screenshot"]], context)
    assert isinstance(shot, ImageResult)
    assert shot.filename == "screenshot.png"
    assert any(f.code.startswith("PU") for f in shot.findings)


# -- the school's position, as typed -------------------------------------------------------------
@pytest.mark.parametrize(
    ("lat", "lon", "radius", "field"),
    [
        ("", "-1.5", "", "latitude"),
        ("53.8", "west", "", "longitude"),
        ("91", "-1.5", "", "latitude"),
        ("53.8", "-181", "", "longitude"),
        ("0", "0", "", "latitude"),
        ("nan", "-1.5", "", "latitude"),
        ("53.8", "-1.5", "10", "radius"),
        ("53.8", "-1.5", "lots", "radius"),
    ],
)
def test_a_position_that_is_not_a_real_place_is_refused_naming_the_field(
    lat: str, lon: str, radius: str, field: str
) -> None:
    with pytest.raises(image_profile.SettingsError) as refused:
        image_profile.parse_location(lat, lon, radius)
    assert refused.value.field == field


def test_a_position_outside_the_uk_is_kept_with_a_warning_about_swapped_coordinates() -> None:
    swapped = image_profile.parse_location("-1.54908", "53.80076", "")
    assert swapped.outside_uk and "wrong way round" in swapped.warning
    leeds = image_profile.parse_location(" 53.80076 ", "\u22121.54908°", "250 m")
    assert (leeds.latitude, leeds.longitude, leeds.radius_m) == (53.80076, -1.54908, 250.0)
    assert leeds.warning == ""
