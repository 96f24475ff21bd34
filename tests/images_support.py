"""Builders for test pictures: made here, or taken at test time from scikit-image's bundled
public-domain samples (never copied into the repository).

The only real face used is scikit-image's astronaut (Eileen Collins, a NASA portrait in the public
domain, shipped inside the package); badges, screenshots, textures and scenes are drawn here.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

RGB = npt.NDArray[np.uint8]
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

# Where the astronaut's face is in skimage.data.astronaut() (512 x 512), with some margin.
ASTRONAUT_FACE = (160, 40, 290, 190)  # left, top, right, bottom


@cache
def astronaut() -> Image.Image:
    from skimage import data

    return Image.fromarray(data.astronaut())


def face_crop() -> Image.Image:
    """The astronaut's head and shoulders: a frontal face, about 90 px wide in a 130 px crop."""
    return astronaut().crop(ASTRONAUT_FACE)


@cache
def sample(name: str) -> Image.Image:
    """A scikit-image sample as RGB."""
    from skimage import data

    array = np.asarray(getattr(data, name)())
    if array.dtype == bool:
        array = array.astype(np.uint8) * 255
    if array.dtype != np.uint8:
        low, high = float(array.min()), float(array.max())
        array = ((array - low) * (255.0 / ((high - low) or 1.0))).astype(np.uint8)
    image = Image.fromarray(array)
    return image.convert("RGB")


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = DEJAVU_BOLD if bold else DEJAVU
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def scene(width: int, height: int, seed: int = 0) -> Image.Image:
    """An outdoor-looking picture with no one in it: sky gradient, textured ground, shapes."""
    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    sky = np.stack([120 + 80 * y, 160 + 60 * y, 230 - 30 * y], axis=-1) * np.ones(
        (1, width, 1), np.float32
    )
    image = Image.fromarray(np.clip(sky, 0, 255).astype(np.uint8))
    ground = sample("grass").resize((width, height // 2))
    image.paste(ground, (0, height - height // 2))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(height // 3, height))
        w, h = (
            int(rng.integers(width // 30, width // 8)),
            int(rng.integers(height // 30, height // 6)),
        )
        colour = tuple(int(c) for c in rng.integers(30, 220, 3))
        draw.rectangle((x0, y0, x0 + w, y0 + h), fill=colour)
    noise = rng.normal(0, 6, (height, width, 3))
    return Image.fromarray(np.clip(np.asarray(image, np.float32) + noise, 0, 255).astype(np.uint8))


def with_faces(
    base: Image.Image, places: Sequence[tuple[int, int, int]], rotate: float = 0.0
) -> tuple[Image.Image, list[tuple[int, int, int, int]]]:
    """Paste the astronaut's face at (x, y, width) places; returns the picture and the face
    boxes (left, top, width, height) where the face itself is."""
    picture = base.copy()
    boxes = []
    crop = face_crop()
    # The face inside the crop (from the detector's box on the full astronaut picture).
    fx, fy, fw, fh = 178 - ASTRONAUT_FACE[0], 68 - ASTRONAUT_FACE[1], 92, 92
    for x, y, width in places:
        factor = width / crop.width
        part = crop.resize((width, round(crop.height * factor)), Image.Resampling.LANCZOS)
        if rotate:
            part = part.rotate(rotate, resample=Image.Resampling.BICUBIC, expand=False)
        picture.paste(part, (x, y))
        boxes.append(
            (x + round(fx * factor), y + round(fy * factor), round(fw * factor), round(fh * factor))
        )
    return picture, boxes


def badge(size: int = 360, name: str = "MEADOWBANK") -> Image.Image:
    """An invented school badge: a shield with a book, stars, a chevron and the school's name."""
    image = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    s = size / 360
    shield = [
        (40 * s, 30 * s),
        (320 * s, 30 * s),
        (320 * s, 190 * s),
        (180 * s, 330 * s),
        (40 * s, 190 * s),
    ]
    draw.polygon(shield, fill=(20, 50, 120), outline=(200, 160, 20))
    draw.line([*shield, shield[0]], fill=(200, 160, 20), width=max(2, int(8 * s)))
    draw.polygon([(60 * s, 170 * s), (180 * s, 90 * s), (300 * s, 170 * s), (300 * s, 200 * s),
                  (180 * s, 120 * s), (60 * s, 200 * s)], fill=(200, 160, 20))  # fmt: skip
    for cx, cy in ((100, 70), (180, 55), (260, 70)):
        _star(draw, cx * s, cy * s, 18 * s, (240, 240, 240))
    draw.rectangle((120 * s, 215 * s, 240 * s, 275 * s), fill=(240, 240, 240))
    draw.line((180 * s, 215 * s, 180 * s, 275 * s), fill=(20, 50, 120), width=max(1, int(4 * s)))
    for i in range(4):
        yy = (228 + 12 * i) * s
        draw.line((130 * s, yy, 170 * s, yy), fill=(90, 90, 90), width=max(1, int(2 * s)))
        draw.line((190 * s, yy, 230 * s, yy), fill=(90, 90, 90), width=max(1, int(2 * s)))
    text_font = font(max(8, int(34 * s)), bold=True)
    draw.text((size / 2, 345 * s), name, fill=(20, 50, 120), font=text_font, anchor="ms")
    return image


def _star(
    draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, colour: tuple[int, int, int]
) -> None:
    points = []
    for i in range(10):
        angle = math.pi / 2 + i * math.pi / 5
        radius = r if i % 2 == 0 else r * 0.45
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill=colour)


def place_badge(
    base: Image.Image,
    mark: Image.Image,
    x: int,
    y: int,
    width: int,
    angle: float = 0.0,
    tilt: float = 0.0,
) -> Image.Image:
    """The badge printed on something in the photo: scaled, rotated and seen at a slant."""
    factor = width / mark.width
    part = mark.resize((width, round(mark.height * factor)), Image.Resampling.LANCZOS)
    if tilt:
        w, h = part.size
        shrink = tilt * h
        # Perspective: the top edge is narrower, as on a jumper seen from below.
        coeffs = _perspective_coeffs(
            [(shrink, 0), (w - shrink, 0), (w, h), (0, h)], [(0, 0), (w, 0), (w, h), (0, h)]
        )
        part = part.transform((w, h), Image.Transform.PERSPECTIVE, coeffs,
                              Image.Resampling.BICUBIC, fillcolor=(255, 255, 255))  # fmt: skip
    if angle:
        part = part.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True,
                           fillcolor=(255, 255, 255))  # fmt: skip
    picture = base.copy()
    picture.paste(part, (x, y))
    return picture


def _perspective_coeffs(
    dst: list[tuple[float, float]], src: list[tuple[float, float]]
) -> list[float]:
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = np.array(rows, dtype=np.float64)
    b = np.array([c for pair in src for c in pair], dtype=np.float64)
    return [float(c) for c in np.linalg.solve(a, b)]


def screenshot(lines: Sequence[str], width: int = 900, size: int = 30) -> Image.Image:
    """A messaging app's conversation: grey and blue bubbles of text on white."""
    text_font = font(size)
    line_height = int(size * 1.5)
    height = 120 + len(lines) * (line_height + 40)
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 80), fill=(245, 245, 247))
    draw.text((width // 2, 40), "Messages", fill=(0, 0, 0), font=font(size, bold=True), anchor="mm")
    y = 110
    for i, line in enumerate(lines):
        mine = i % 2 == 1
        text_width = draw.textlength(line, font=text_font)
        x = width - text_width - 60 if mine else 40
        fill = (0, 122, 255) if mine else (229, 229, 234)
        ink = (255, 255, 255) if mine else (0, 0, 0)
        draw.rounded_rectangle(
            (x - 16, y - 10, x + text_width + 16, y + line_height), 18, fill=fill
        )
        draw.text((x, y), line, fill=ink, font=text_font)
        y += line_height + 40
    return image


def encode(image: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def gps_exif(
    lat: float,
    lon: float,
    *,
    make: str = "Apple",
    model: str = "iPhone 13",
    taken: str = "2026:06:12 10:15:30",
    offset: str = "+01:00",
    orientation: int = 1,
) -> Image.Exif:
    """EXIF as a phone writes it: device, software, time with its offset and the GPS block."""
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0131] = "17.5.1"
    exif[0x0112] = orientation
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = taken
    exif_ifd[0x9011] = offset
    gps = exif.get_ifd(0x8825)
    gps[1] = "N" if lat >= 0 else "S"
    gps[2] = _dms(abs(lat))
    gps[3] = "E" if lon >= 0 else "W"
    gps[4] = _dms(abs(lon))
    return exif


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round((value - degrees - minutes / 60) * 3600, 4)
    return (float(degrees), float(minutes), seconds)


def xmp_packet(lat: str, lon: str, tool: str = "Adobe Lightroom", creator: str = "") -> bytes:
    who = (
        f"<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>" if creator else ""
    )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        f'exif:GPSLatitude="{lat}" exif:GPSLongitude="{lon}" xmp:CreatorTool="{tool}" '
        'xmp:CreateDate="2026-06-12T10:15:30+01:00">'
        f"{who}</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def random_texture(width: int, height: int, seed: int = 0) -> Image.Image:
    """Noise, stripes and blobs: busy pictures that contain no face."""
    rng = random.Random(seed)
    image = Image.new(
        "RGB", (width, height), (rng.randrange(256), rng.randrange(256), rng.randrange(256))
    )
    draw = ImageDraw.Draw(image)
    for _ in range(300):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(3, max(4, width // 12))
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.line((x, y, x + rng.randrange(-r * 3, r * 3), y + rng.randrange(-r * 3, r * 3)),
                      fill=colour, width=rng.randrange(1, 8))  # fmt: skip
    return image


def round_badge(size: int = 360, name: str = "HILLCREST") -> Image.Image:
    """Another invented school's badge: a roundel with a tree, hills and the name around it."""
    image = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    s = size / 360
    draw.ellipse((20 * s, 20 * s, 340 * s, 340 * s), fill=(120, 20, 40), outline=(0, 0, 0),
                 width=max(2, int(6 * s)))  # fmt: skip
    draw.ellipse((70 * s, 70 * s, 290 * s, 290 * s), fill=(250, 240, 220))
    draw.polygon([(80 * s, 250 * s), (150 * s, 180 * s), (210 * s, 230 * s), (280 * s, 170 * s),
                  (290 * s, 250 * s)], fill=(40, 120, 60))  # fmt: skip
    draw.rectangle((172 * s, 120 * s, 188 * s, 215 * s), fill=(90, 60, 30))
    draw.ellipse((130 * s, 80 * s, 230 * s, 160 * s), fill=(30, 100, 40))
    draw.text((size / 2, 48 * s), name, fill=(255, 255, 255), font=font(max(8, int(26 * s)), True),
              anchor="mm")  # fmt: skip
    draw.text((size / 2, 318 * s), "ACADEMY", fill=(255, 255, 255),
              font=font(max(8, int(24 * s)), True), anchor="mm")  # fmt: skip
    return image
