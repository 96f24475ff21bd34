"""Metadata (6.2, 6.9): the GPS position places a photo at the school; device and time are read
from EXIF and XMP; the clean copy carries none of it."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from boundaries.policy import Severity
from boundaries.screening.images import SchoolImageProfile, clean_copy, screen_image
from boundaries.screening.images.metadata import distance_m
from tests.images_support import encode, gps_exif, scene, with_faces, xmp_packet

# An invented school position in Hereford, and places around it.
SCHOOL = SchoolImageProfile(latitude=52.0565, longitude=-2.7160, radius_m=500, name="Meadowbank")
NEAR = (52.0580, -2.7150)  # about 180 m away
FAR = (52.1000, -2.7160)  # about 4.8 km away


def _photo() -> Image.Image:
    return scene(800, 600, seed=21)


def test_haversine_distance_matches_a_known_figure() -> None:
    # One degree of latitude is about 111.2 km everywhere.
    assert distance_m(52.0, -2.7, 53.0, -2.7) == pytest.approx(111_195, rel=1e-3)
    assert distance_m(*NEAR, SCHOOL.latitude, SCHOOL.longitude) == pytest.approx(180, abs=15)  # type: ignore[arg-type]


def test_a_gps_position_near_the_school_is_a_finding_with_the_distance() -> None:
    data = encode(_photo(), exif=gps_exif(*NEAR))
    result = screen_image(data, ocr=False, school=SCHOOL)
    (finding,) = result.findings
    assert finding.code == "IM104"
    assert finding.clause == "6.2"
    assert finding.severity is Severity.REVIEW
    assert result.verdict == "review"
    assert 150 <= float(result.metadata["gps_distance_m"]) <= 210
    assert result.metadata["gps"] == "52.058000, -2.715000"


def test_a_position_far_from_the_school_is_noted_but_does_not_change_the_verdict() -> None:
    result = screen_image(encode(_photo(), exif=gps_exif(*FAR)), ocr=False, school=SCHOOL)
    assert [f.code for f in result.findings] == ["IM105"]
    assert result.findings[0].severity is Severity.INFO
    assert result.verdict == "clear"


def test_faces_in_a_photo_taken_at_the_school_are_a_breach_even_with_no_words() -> None:
    picture, _ = with_faces(scene(1200, 900, seed=22), [(300, 200, 300)])
    result = screen_image(encode(picture, exif=gps_exif(*NEAR)), ocr=False, school=SCHOOL)
    faces = next(f for f in result.findings if f.code == "IM101")
    assert faces.severity is Severity.BREACH
    assert "taken at the school" in faces.evidence


def test_device_and_time_are_read_from_exif_with_the_time_offset() -> None:
    exif = gps_exif(*FAR, make="Apple", model="iPhone 13", taken="2026:06:12 10:15:30")
    result = screen_image(encode(_photo(), exif=exif), ocr=False)
    assert result.metadata["camera"] == "Apple iPhone 13"
    assert result.metadata["taken_at"] == "2026-06-12T10:15:30+01:00"
    assert result.metadata["software"] == "17.5.1"


def test_a_position_in_the_xmp_packet_is_read_when_exif_has_none() -> None:
    data = encode(_photo(), xmp=xmp_packet("52,3.48N", "2,42.9W", creator="A. Teacher"))
    result = screen_image(data, ocr=False, school=SCHOOL)
    assert result.metadata["xmp"] == "present"
    assert result.metadata["software"] == "Adobe Lightroom"
    assert result.metadata["author"] == "A. Teacher"
    assert result.metadata["taken_at"] == "2026-06-12T10:15:30+01:00"
    assert [f.code for f in result.findings] == ["IM104"]


def test_a_png_with_an_exif_chunk_is_read_too() -> None:
    data = encode(_photo(), "PNG", exif=gps_exif(*NEAR))
    assert [f.code for f in screen_image(data, ocr=False, school=SCHOOL).findings] == ["IM104"]


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_the_clean_copy_has_no_exif_no_xmp_no_gps_and_no_colour_profile(fmt: str) -> None:
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    options: dict[str, object] = {"exif": gps_exif(*NEAR), "icc_profile": profile}
    if fmt != "PNG":
        options["xmp"] = xmp_packet("52,3.48N", "2,42.9W")
    data = encode(_photo(), fmt, **options)
    before = screen_image(data, ocr=False, school=SCHOOL)
    assert "gps" in before.metadata

    cleaned, media_type = clean_copy(data)
    copy = Image.open(io.BytesIO(cleaned))
    assert media_type == ("image/png" if fmt == "PNG" else "image/jpeg")
    assert len(copy.getexif()) == 0
    assert not any(key in copy.info for key in ("exif", "xmp", "icc_profile", "XML:com.adobe.xmp"))
    assert b"Exif" not in cleaned and b"xpacket" not in cleaned and b"ICC_PROFILE" not in cleaned
    after = screen_image(cleaned, ocr=False, school=SCHOOL)
    assert after.metadata == {} and after.findings == []


def test_orientation_is_applied_so_boxes_are_in_the_picture_as_shown() -> None:
    # Stored landscape with "rotate 90 clockwise to display" (6): shown as portrait.
    picture, _ = with_faces(scene(1200, 900, seed=23), [(400, 200, 320)])
    stored = picture.transpose(Image.Transpose.ROTATE_90)  # what the camera sensor wrote
    data = encode(stored, exif=gps_exif(*FAR, orientation=6))
    result = screen_image(data, ocr=False)
    assert (result.width, result.height) == (1200, 900)
    face = next(f for f in result.findings if f.code == "IM102").boxes[0]
    assert 400 < face.left + face.width / 2 < 720 and 200 < face.top + face.height / 2 < 520
    cleaned, _ = clean_copy(data)
    copy = Image.open(io.BytesIO(cleaned))
    assert copy.size == (1200, 900)
    assert 0x0112 not in copy.getexif()
