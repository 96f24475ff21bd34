"""The copy that is safe to post: faces blurred, every piece of metadata gone, orientation applied.

The pixels are copied into a new image, so nothing of the original's EXIF, XMP, GPS, comments or
colour profile can ride along; the colour profile is applied to the pixels first (``to_rgb``), so
colours stay right in sRGB, which is what every browser and social network assumes without one.
Faces are pixelated into a few coarse blocks and then blurred: a Gaussian blur alone can be
partly reversed, a 6-block mosaic cannot be turned back into a face.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, ImageFilter

from boundaries.screening.images.loading import decode
from boundaries.screening.images.result import Box

_BLOCKS = 6  # a blurred face keeps this many blocks across
_JPEG_QUALITY = 90
_LOSSY = {"JPEG", "MPO", "HEIF", "AVIF", "WEBP"}


def clean_copy(data: bytes, *, blur: Sequence[Box] = ()) -> tuple[bytes, str]:
    """``(bytes, media type)``: the image with ``blur`` boxes (displayed pixels) obscured, all
    metadata stripped and its orientation applied. Photos come back as JPEG, everything else as
    PNG; an animation comes back as its first frame. Raises ImageRefused like screen_image."""
    decoded = decode(data, analysis_side=None)
    image = decoded.frames[0]
    for box in blur:
        obscure(image, box)
    # A new image holds only pixels: no info dict, so no EXIF, XMP, ICC, text chunks or comments.
    fresh = Image.frombytes("RGB", image.size, image.tobytes())
    out = io.BytesIO()
    if decoded.format in _LOSSY:
        fresh.save(out, "JPEG", quality=_JPEG_QUALITY, optimize=False)
        return out.getvalue(), "image/jpeg"
    fresh.save(out, "PNG", compress_level=6)
    return out.getvalue(), "image/png"


def obscure(image: Image.Image, box: Box) -> None:
    """Pixelate then blur ``box`` in place, with a margin so the hairline and chin go too."""
    margin_x, margin_y = box.width // 6, box.height // 6
    left = max(0, box.left - margin_x)
    top = max(0, box.top - margin_y)
    right = min(image.width, box.right + margin_x)
    bottom = min(image.height, box.bottom + margin_y)
    if right - left < 2 or bottom - top < 2:
        return
    region = image.crop((left, top, right, bottom))
    w, h = region.size
    small = region.resize((max(1, _BLOCKS), max(1, round(_BLOCKS * h / w))), Image.Resampling.BOX)
    blocks = small.resize((w, h), Image.Resampling.NEAREST)
    image.paste(blocks.filter(ImageFilter.GaussianBlur(radius=max(2, w // 20))), (left, top))
