"""Safe decoding: size limits before any pixel is decoded, one clear message for every bad file.

An upload is checked in this order: its size in bytes, its format (only photo and screenshot
formats are opened: Pillow can read forty formats and every decoder is attack surface), its
dimensions from the header (a 100-byte PNG can claim 100,000 x 100,000 pixels), then the pixels.
For analysis a JPEG is decoded at a reduced scale by the decoder itself (DCT scaling), which is
the single biggest saving on a 12-megapixel photo; the clean copy decodes at full size.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from boundaries.screening.images.result import ImageRefused

MAX_UPLOAD_BYTES = 40 * 1024 * 1024
MAX_PIXELS = 50_000_000  # 50 megapixels: above any phone camera's default photo
MAX_SIDE = 30_000
ANALYSIS_SIDE = 1000  # a 12 MP JPEG is decoded at a quarter of its size (1000 x 750) to screen
MAX_FRAMES_SCREENED = 4  # animations: this many frames, spread over the animation
ALLOWED_FORMATS = ("JPEG", "MPO", "PNG", "GIF", "WEBP", "HEIF", "AVIF", "BMP", "TIFF")

# Pillow's own guard, lowered to ours: Pillow warns above it and refuses above twice it, so a
# file whose header we did not check (a frame inside a container) still cannot exhaust memory.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
# Pillow's warning becomes an error (then ImageRefused). Set once for the process rather than with
# warnings.catch_warnings() per call, which is not thread-safe in the web app.
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)

_heif_registered = False


def _register_heif() -> None:
    """iPhones save HEIC; pillow-heif teaches Pillow to open it (once per process)."""
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener(thumbnails=False)
        _heif_registered = True


Gray = npt.NDArray[np.uint8]


@dataclass
class Decoded:
    """An image ready for analysis, with what is needed to map boxes back to the original."""

    frames: list[Image.Image]  # RGB, orientation applied, possibly reduced in size
    width: int  # the image as displayed (after orientation), in pixels
    height: int
    format: str
    exif: Image.Exif
    info: dict[str, object] = field(default_factory=dict)
    frame_count: int = 1

    @property
    def scale(self) -> float:
        """Analysis pixels per displayed pixel (1.0 when decoded at full size)."""
        return self.frames[0].width / self.width if self.width else 1.0


def _formats() -> list[str]:
    # MPO (multi-picture JPEG from phones) is opened by the JPEG plugin, so is not in Image.OPEN.
    Image.init()
    return [f for f in ALLOWED_FORMATS if f in Image.OPEN]


def open_image(data: bytes, filename: str = "") -> Image.Image:
    """Open (header only) after the byte and format checks; the dimensions are checked too."""
    name = filename or "the file"
    if not data:
        raise ImageRefused(f"{name} is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImageRefused(
            f"{name} is {len(data) / 1_048_576:.0f} MB; images up to "
            f"{MAX_UPLOAD_BYTES // 1_048_576} MB can be screened"
        )
    _register_heif()
    # WeasyPrint (the PDF reports) sets this process-wide switch on import, which would make a
    # truncated photo decode half grey instead of being refused: put it back every time. Our own
    # PDFs only embed images we made, so WeasyPrint loses nothing by it.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image = Image.open(io.BytesIO(data), formats=_formats())
    except UnidentifiedImageError:
        raise ImageRefused(
            f"{name} is not an image we can screen (JPEG, PNG, GIF, WebP, HEIC, AVIF, BMP "
            "or TIFF), or it is damaged"
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_big(name) from None
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as exc:
        raise ImageRefused(f"{name} is damaged and cannot be read ({_reason(exc)})") from None
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageRefused(f"{name} has no pixels")
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise _too_big(name, width, height)
    return image


def decode(
    data: bytes, filename: str = "", *, analysis_side: int | None = ANALYSIS_SIDE
) -> Decoded:
    """Decode for analysis: RGB frames, orientation applied, the longest side near
    ``analysis_side`` when the decoder can reduce cheaply (None: full size)."""
    name = filename or "the file"
    image = open_image(data, filename)
    fmt = image.format or "unknown"
    original_size = image.size  # before draft() reduces it
    try:
        exif = image.getexif()
    except Exception:  # a damaged EXIF block: screen the pixels without it
        exif = Image.Exif()
    info = {str(key): value for key, value in image.info.items()}
    frame_count = int(getattr(image, "n_frames", 1) or 1)
    try:
        frames = [_prepare(frame, analysis_side) for frame in _frames(image, frame_count)]
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_big(name) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError) as exc:
        raise ImageRefused(f"{name} is damaged and cannot be read ({_reason(exc)})") from None
    except MemoryError:
        raise _too_big(name) from None
    width, height = _displayed_size(original_size, exif)
    return Decoded(frames, width, height, fmt, exif, info, frame_count)


def _frames(image: Image.Image, frame_count: int) -> list[Image.Image]:
    """The frames to screen: all of a still, up to MAX_FRAMES_SCREENED spread over an animation."""
    if frame_count <= 1:
        return [image]
    wanted = sorted(
        {
            round(i * (frame_count - 1) / (MAX_FRAMES_SCREENED - 1))
            for i in range(MAX_FRAMES_SCREENED)
        }
    )
    frames = []
    for index in wanted:
        image.seek(index)
        frames.append(image.copy())
    return frames


def _prepare(image: Image.Image, analysis_side: int | None) -> Image.Image:
    return orient(load_pixels(image, analysis_side))


def load_pixels(image: Image.Image, analysis_side: int | None) -> Image.Image:
    """Decode the pixels, at a reduced scale where the format allows (JPEG's DCT scaling decodes
    at 1/2, 1/4 or 1/8 size, never below the size asked for)."""
    if analysis_side is not None and image.format in ("JPEG", "MPO"):
        w, h = image.size
        factor = max(w, h) / analysis_side
        if factor >= 2:
            image.draft("RGB", (max(1, int(w / factor)), max(1, int(h / factor))))
    image.load()
    return image


def orient(image: Image.Image) -> Image.Image:
    """The picture as displayed: EXIF orientation applied, 8-bit RGB."""
    oriented = ImageOps.exif_transpose(image) or image
    return to_rgb(oriented)


def to_rgb(image: Image.Image) -> Image.Image:
    """Any mode as 8-bit RGB: transparency over white (as a post shows it), 16-bit and float
    images scaled to their range, CMYK and colour-managed images converted to sRGB."""
    mode = image.mode
    if mode == "RGB" and "icc_profile" not in image.info:
        return image
    if "icc_profile" in image.info and mode in ("RGB", "CMYK"):
        converted = _to_srgb(image)
        if converted is not None:
            return converted
    if mode in ("I;16", "I;16B", "I;16L", "I", "F") or mode.startswith("I;16"):
        arr = np.asarray(image, dtype=np.float64)
        low, high = float(arr.min()), float(arr.max())
        scaled = (arr - low) * (255.0 / (high - low)) if high > low else np.zeros_like(arr)
        return Image.fromarray(scaled.astype(np.uint8), "L").convert("RGB")
    if mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    elif mode == "P":
        return image.convert("RGB")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


_SRGB = ImageCms.createProfile("sRGB")


def _to_srgb(image: Image.Image) -> Image.Image | None:
    """Apply the embedded colour profile, so the picture keeps its colours once the profile is
    stripped (an iPhone's Display P3 photo looks dull read as sRGB). None if the profile is bad."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
        converted = ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None
    return converted


def _displayed_size(size: tuple[int, int], exif: Image.Exif) -> tuple[int, int]:
    orientation = exif.get(0x0112, 1)
    # Orientations 5 to 8 turn the picture a quarter, swapping width and height.
    return (size[1], size[0]) if orientation in (5, 6, 7, 8) else size


def _too_big(name: str, width: int = 0, height: int = 0) -> ImageRefused:
    dims = f" ({width:,} x {height:,} pixels)" if width else ""
    return ImageRefused(
        f"{name} is too large to screen{dims}; images up to {MAX_PIXELS // 1_000_000} megapixels "
        "can be screened"
    )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:120]
