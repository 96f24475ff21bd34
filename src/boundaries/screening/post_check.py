"""A post's words and pictures screened together: what the CLI, the web page and scripts share.

A picture Boundaries will not screen (corrupt, a decompression bomb, not an image) is kept as an
:class:`ImageRefusal` beside the others rather than stopping the whole check, so that one bad
file does not hide what was found in the rest.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boundaries.screening.result import VERDICT_EXIT, Result

if TYPE_CHECKING:
    from boundaries.policy import PolicyPack
    from boundaries.screening.context import ScreeningContext
    from boundaries.screening.images import Box, ImageResult, SchoolImageProfile

# An image to screen: its bytes, a path to it, or (filename, bytes).
ImageSource = bytes | str | os.PathLike[str] | tuple[str, bytes]

_RANK = {"clear": 0, "review": 1, "breach": 2}


@dataclass(frozen=True)
class ImageRefusal:
    """A file that was not screened, and why, in words for the person who sent it."""

    filename: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"filename": self.filename, "error": self.message}


@dataclass(frozen=True)
class PostCheck:
    """The text's result (if there was text) and each image's result or refusal, in order."""

    text: Result | None
    images: tuple[ImageResult | ImageRefusal, ...]

    @property
    def screened(self) -> tuple[ImageResult, ...]:
        return tuple(i for i in self.images if not isinstance(i, ImageRefusal))

    @property
    def refused(self) -> tuple[ImageRefusal, ...]:
        return tuple(i for i in self.images if isinstance(i, ImageRefusal))

    @property
    def verdict(self) -> str:
        """The worst verdict of the text and the screened images. A refused image is not
        "clear": callers must look at :attr:`refused` too (the CLI exits 64 for one)."""
        verdicts = [i.verdict for i in self.screened]
        if self.text is not None:
            verdicts.append(self.text.verdict)
        return worst(verdicts)

    @property
    def exit_code(self) -> int:
        return VERDICT_EXIT[self.verdict]

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "text": self.text.to_dict() if self.text is not None else None,
            "images": [i.to_dict() for i in self.images],
        }


def read_source(source: ImageSource, index: int = 0) -> tuple[str, bytes]:
    """(filename, bytes) of an image source; a path is read here (OSError if it cannot be)."""
    if isinstance(source, bytes):
        return f"image-{index + 1}", source
    if isinstance(source, tuple):
        name, data = source
        return name, data
    path = Path(source)
    return path.name, path.read_bytes()


def screen_sources(
    sources: Iterable[ImageSource],
    *,
    context: ScreeningContext | None = None,
    pack: PolicyPack | None = None,
    school: SchoolImageProfile | None = None,
    ocr: bool = True,
    post_text: str = "",
) -> tuple[ImageResult | ImageRefusal, ...]:
    """Each image screened, or refused with the reason; one bad file does not stop the rest."""
    from boundaries.screening.images import ImageRefused, screen_image

    results: list[ImageResult | ImageRefusal] = []
    for index, source in enumerate(sources):
        name, data = read_source(source, index)
        try:
            results.append(
                screen_image(
                    data,
                    filename=name,
                    context=context,
                    pack=pack,
                    school=school,
                    ocr=ocr,
                    post_text=post_text,
                )
            )
        except ImageRefused as exc:
            results.append(ImageRefusal(name, str(exc)))
    return tuple(results)


def blur_boxes(result: ImageResult) -> tuple[Box, ...]:
    """What the clean copy hides: every box a finding points at (faces, the school's badge,
    text naming a pupil), each once, in the order found."""
    seen: dict[Box, None] = {}
    for finding in result.findings:
        for box in finding.boxes:
            seen.setdefault(box, None)
    return tuple(seen)


def clean_copy_for(data: bytes, result: ImageResult) -> tuple[bytes, str]:
    """The copy that is safe to post: what the findings point at blurred, metadata stripped."""
    from boundaries.screening.images import clean_copy

    return clean_copy(data, blur=blur_boxes(result))


_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
}


def clean_copy_name(filename: str, media_type: str) -> str:
    """``IMG_0042.HEIC`` -> ``IMG_0042-clean.jpg``: the name a clean copy is saved under."""
    stem = Path(filename).stem or "image"
    return f"{stem}-clean{_EXTENSIONS.get(media_type, '.bin')}"


_METADATA_LABELS = {
    "taken_at": "Taken",
    "camera": "Camera",
    "software": "Software",
    "gps": "Position (GPS)",
    "gps_distance_m": "Distance from the school",
    "author": "Author",
    "description": "Description",
    "xmp": "XMP metadata",
    "icc_profile": "Colour profile",
    "frames": "Frames",
    "ocr": "Reading the text",
}


def metadata_in_words(metadata: dict[str, str]) -> list[tuple[str, str]]:
    """An image's metadata as people read it: labels in words, UK dates, distances in metres."""
    return [
        (_METADATA_LABELS.get(key, key.replace("_", " ").capitalize()), _shown(key, value))
        for key, value in metadata.items()
    ]


def _shown(key: str, value: str) -> str:
    """A metadata value as the page shows it: UK dates (the photo's own clock), metres."""
    if key == "taken_at":
        try:
            taken = datetime.fromisoformat(value)
        except ValueError:
            return value
        offset = taken.utcoffset()
        if offset is None:
            return f"{taken:%d/%m/%Y %H:%M}"
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        return f"{taken:%d/%m/%Y %H:%M} (UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d})"
    if key == "gps_distance_m" and value.replace(".", "", 1).isdigit():
        return f"{float(value):,.0f} metres"
    return value


def preview_jpeg(data: bytes, max_side: int = 1280) -> bytes | None:
    """A small JPEG of an image already screened (so known to be safe to decode), turned as it
    is displayed, for drawing the finding boxes over; None if it cannot be drawn."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    _register_heif()
    try:
        with Image.open(io.BytesIO(data)) as opened:
            # JPEG decodes at 1/2, 1/4 or 1/8 scale directly: a 12-megapixel photo in a tenth
            # of the time and memory.
            opened.draft("RGB", (max_side, max_side))
            image = ImageOps.exif_transpose(opened)
            image = _displayable(image)
            image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=80)
            return out.getvalue()
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        return None


def _displayable(image: Any) -> Any:
    """RGB for any mode: transparency on white, 16-bit and float greys scaled to 8 bits."""
    from PIL import Image

    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        backdrop = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(backdrop, image)
    return image.convert("RGB")


_heif_registered = False


def _register_heif() -> None:
    global _heif_registered
    if not _heif_registered:
        from pillow_heif import register_heif_opener

        register_heif_opener(thumbnails=False)  # as the image screening registers it
        _heif_registered = True


def worst(verdicts: Sequence[str]) -> str:
    """The worst of some verdicts ("clear" for none)."""
    return max(verdicts, key=_RANK.__getitem__, default="clear")
