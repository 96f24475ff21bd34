"""Previews of evidence, derived separately from the originals, which are never altered.

A preview is a small PNG: a thumbnail of a screenshot (Pillow), the first page of a PDF
(pypdfium2, when it is installed: it is a development dependency, so a deployment without it
gets the icon instead), or an icon naming the kind of file for everything else. Previews are
stored in the vault under their own hash, apart from the original they show.
"""

from __future__ import annotations

import io
import warnings
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, ImageOps

from boundaries.cases.sniff import BY_MEDIA_TYPE

THUMBNAIL = (320, 320)
# A screenshot is a few megapixels; anything far beyond is a decompression bomb, not evidence.
MAX_PIXELS = 80_000_000


def preview_png(data: bytes, media_type: str) -> bytes:
    """A PNG preview of ``data`` (of type ``media_type``); an icon when no picture can be made."""
    picture: Image.Image | None = None
    if media_type in ("image/png", "image/jpeg"):
        picture = _image(data)
    elif media_type == "application/pdf":
        picture = _pdf_first_page(data)
    if picture is None:
        return icon_png(media_type)
    return _png(_thumbnail(picture))


def _image(data: bytes) -> Image.Image | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                return None
            image.load()
    except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    # A phone photo is stored sideways with an orientation tag: show it the right way up.
    return ImageOps.exif_transpose(image)


def _pdf_first_page(data: bytes) -> Image.Image | None:
    try:
        import pypdfium2  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        return None
    try:
        document = pypdfium2.PdfDocument(data)
        try:
            if len(document) == 0:
                return None
            page = document[0]
            width, height = page.get_size()
            scale = min(THUMBNAIL[0] / max(width, 1.0), THUMBNAIL[1] / max(height, 1.0), 2.0)
            image: Image.Image = page.render(scale=scale).to_pil()
            page.close()
            return image
        finally:
            document.close()
    except Exception:  # a damaged or encrypted PDF still gets its icon
        return None


def _thumbnail(image: Image.Image) -> Image.Image:
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    small = image.copy()
    small.thumbnail(THUMBNAIL, Image.Resampling.LANCZOS)
    return small


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


@lru_cache(maxsize=16)
def icon_png(media_type: str) -> bytes:
    """A plain document icon with the kind of file written on it."""
    kind = BY_MEDIA_TYPE.get(media_type)
    label = kind.extension.upper() if kind else "FILE"
    image = Image.new("RGB", (160, 200), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.polygon([(20, 10), (110, 10), (140, 40), (140, 190), (20, 190)], outline="#505a5f")
    draw.line([(110, 10), (110, 40), (140, 40)], fill="#505a5f")
    font = _font(28)
    box = draw.textbbox((0, 0), label, font=font)
    draw.text(((160 - (box[2] - box[0])) / 2, 90), label, fill="#0b0c0c", font=font)
    return _png(image)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size)
    except OSError:
        return ImageFont.load_default(size)
