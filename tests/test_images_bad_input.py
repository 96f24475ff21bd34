"""Files that are not ordinary photos: each is screened, or refused with a message saying why;
none crashes the screening or spikes memory."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import textwrap
import zlib

import numpy as np
import pytest
from PIL import Image

from boundaries.screening.images import ImageRefused, clean_copy, screen_image
from boundaries.screening.images.loading import MAX_PIXELS, MAX_UPLOAD_BYTES
from tests.images_support import encode, face_crop, gps_exif, scene, with_faces


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny valid-looking PNG whose header claims ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def photo() -> bytes:
    picture, _ = with_faces(scene(900, 700, seed=31), [(250, 150, 300)])
    return encode(picture, quality=90, exif=gps_exif(52.0, -2.7))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"Dear parents, the trip is on Friday.", "not an image we can screen"),
        (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "not an image we can screen"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "not an image we can screen"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not an image we can screen"),
    ],
    ids=["empty", "text", "pdf", "svg", "png-signature-only"],
)
def test_files_that_are_not_images_are_refused_with_a_message(data: bytes, words: str) -> None:
    with pytest.raises(ImageRefused, match=words):
        screen_image(data, filename="upload.jpg", ocr=False)


def test_a_truncated_jpeg_is_refused_as_damaged(photo: bytes) -> None:
    with pytest.raises(ImageRefused, match=r"holiday\.jpg is damaged"):
        screen_image(photo[: len(photo) // 2], filename="holiday.jpg", ocr=False)
    with pytest.raises(ImageRefused, match="damaged"):
        clean_copy(photo[: len(photo) // 3])


def test_a_jpeg_with_corrupt_bytes_in_the_middle_is_screened_or_refused_never_a_crash(
    photo: bytes,
) -> None:
    rng = np.random.default_rng(5)
    for _ in range(6):
        data = bytearray(photo)
        start = int(rng.integers(1000, len(data) - 2000))
        data[start : start + 500] = rng.integers(0, 256, 500, dtype=np.uint8).tobytes()
        try:
            result = screen_image(bytes(data), ocr=False)
        except ImageRefused as refused:
            assert "damaged" in str(refused) or "not an image" in str(refused)
        else:
            assert result.width == 900


def test_an_upload_over_the_byte_limit_is_refused_before_it_is_opened() -> None:
    with pytest.raises(ImageRefused, match=f"up to {MAX_UPLOAD_BYTES // 1_048_576} MB"):
        screen_image(b"\xff\xd8\xff" + bytes(MAX_UPLOAD_BYTES), filename="big.jpg", ocr=False)


def test_huge_dimensions_are_refused_from_the_header_before_decoding() -> None:
    with pytest.raises(ImageRefused, match=r"too large to screen.*up to 50 megapixels"):
        screen_image(_png_claiming(100_000, 100_000), ocr=False)
    with pytest.raises(ImageRefused, match="too large"):
        screen_image(_png_claiming(40_000, 1_000), ocr=False)  # 40 MP, but 40,000 px wide
    with pytest.raises(ImageRefused, match="too large"):
        clean_copy(_png_claiming(9_000, 9_000))
    assert MAX_PIXELS < 9_000 * 9_000


def test_a_decompression_bomb_is_refused_with_memory_staying_bounded() -> None:
    # 9,000 x 9,000 grey pixels (81 MP) compress to about 80 KB; decoding would take 81 MB as
    # grey and 243 MB as RGB. The child process reports its peak memory after the refusal.
    script = textwrap.dedent(
        """
        import io, resource, sys
        from PIL import Image
        from boundaries.screening.images import ImageRefused, screen_image
        bomb = io.BytesIO()
        Image.new("L", (9_000, 9_000)).save(bomb, "PNG", compress_level=6)
        data = bomb.getvalue()
        del bomb
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            screen_image(data, ocr=False)
        except ImageRefused as exc:
            print("refused:", exc)
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print("grew_kb", after - before, "file_kb", len(data) // 1024)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    lines = done.stdout.splitlines()
    assert lines[0].startswith("refused:") and "too large" in lines[0]
    grew_kb = int(lines[1].split()[1])
    assert grew_kb < 30_000, done.stdout  # under 30 MB; decoding would need 81 MB or more


def test_an_animated_gif_is_screened_over_frames_spread_through_it() -> None:
    def frame(seed: int, face: bool = False) -> Image.Image:
        picture = scene(480, 360, seed=seed)
        if face:
            picture, _ = with_faces(picture, [(150, 60, 220)])
        return picture.convert("P", palette=Image.Palette.ADAPTIVE)

    # Seven different frames (Pillow merges identical ones); the face in the fifth, one of the
    # four screened (the first, the last and two evenly between).
    frames = [frame(40 + i, face=i == 4) for i in range(7)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    result = screen_image(out.getvalue(), ocr=False)
    assert result.format == "GIF"
    assert result.metadata["frames"] == "7 frames, 4 screened"
    assert [f.code for f in result.findings] == ["IM102"]
    cleaned, media_type = clean_copy(out.getvalue(), blur=result.face_boxes)
    assert media_type == "image/png"  # the first frame, as a still
    assert Image.open(io.BytesIO(cleaned)).size == (480, 360)


def test_scikit_images_animated_gif_is_screened() -> None:
    from pathlib import Path

    import skimage.data

    path = Path(skimage.data.__file__).parent / "no_time_for_that_tiny.gif"
    result = screen_image(path.read_bytes(), filename=path.name, ocr=False)
    assert result.format == "GIF" and "frames" in result.metadata


def test_an_iphone_heic_photo_is_screened_with_its_metadata() -> None:
    import pillow_heif

    picture, _ = with_faces(scene(480, 360, seed=33), [(140, 60, 220)])
    heif = pillow_heif.from_pillow(picture)
    out = io.BytesIO()
    heif.save(out, quality=80, exif=gps_exif(52.0565, -2.7160).tobytes())
    result = screen_image(out.getvalue(), filename="IMG_0001.HEIC", ocr=False)
    assert result.format == "HEIF"
    assert result.metadata["camera"] == "Apple iPhone 13"
    assert {f.code for f in result.findings} == {"IM102", "IM105"}
    cleaned, media_type = clean_copy(out.getvalue(), blur=result.face_boxes)
    assert media_type == "image/jpeg"
    assert len(Image.open(io.BytesIO(cleaned)).getexif()) == 0


def test_a_cmyk_jpeg_is_screened_in_its_true_colours() -> None:
    picture, _ = with_faces(scene(800, 600, seed=34), [(250, 120, 300)])
    data = encode(picture.convert("CMYK"), quality=92)
    assert Image.open(io.BytesIO(data)).mode == "CMYK"
    result = screen_image(data, ocr=False)
    assert [f.code for f in result.findings] == ["IM102"]
    cleaned, _ = clean_copy(data)
    copy = Image.open(io.BytesIO(cleaned))
    assert copy.mode == "RGB"
    sky = np.asarray(copy)[10, 10].astype(int)
    assert sky[2] > sky[0]  # still a blue sky, not inverted


def _face_in(mode: str) -> Image.Image:
    picture, _ = with_faces(scene(700, 500, seed=35), [(200, 80, 300)])
    if mode == "P+transparency":
        p = picture.convert("P", palette=Image.Palette.ADAPTIVE)
        p.info["transparency"] = 0
        return p
    if mode == "I;16":
        grey = np.asarray(picture.convert("L"), dtype=np.uint16) * 257
        return Image.fromarray(grey)  # uint16: mode I;16
    return picture.convert(mode)


@pytest.mark.parametrize("mode", ["P+transparency", "LA", "I;16", "1", "RGBA"])
def test_pngs_in_odd_modes_are_screened_and_cleaned(mode: str) -> None:
    data = encode(_face_in(mode), "PNG")
    result = screen_image(data, ocr=False)
    assert (result.width, result.height) == (700, 500)
    if mode != "1":  # two-tone pixels leave too little of a face for the detector
        assert [f.code for f in result.findings] == ["IM102"]
    cleaned, media_type = clean_copy(data, blur=result.face_boxes)
    assert media_type == "image/png"
    assert Image.open(io.BytesIO(cleaned)).size == (700, 500)


def test_a_crop_of_one_face_from_a_webp_and_a_tiff_is_screened() -> None:
    for fmt in ("WEBP", "TIFF", "BMP"):
        result = screen_image(encode(face_crop().resize((400, 460)), fmt), ocr=False)
        assert result.format == fmt and [f.code for f in result.findings] == ["IM102"]


def test_a_truncated_jpeg_is_refused_even_after_the_pdf_reports_are_loaded(photo: bytes) -> None:
    import weasyprint  # noqa: F401 - its import switches Pillow to loading truncated images

    with pytest.raises(ImageRefused, match=r"holiday\.jpg is damaged"):
        screen_image(photo[: len(photo) // 2], filename="holiday.jpg", ocr=False)
    with pytest.raises(ImageRefused, match="damaged"):
        clean_copy(photo[: len(photo) // 3])
