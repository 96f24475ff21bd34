"""Screening photos and screenshots before they are posted (policy 6.15, 6.1, 6.2, 6.9).

``screen_image`` finds faces, the school's badge, the place and device in the metadata and the
text in the picture (run through the text screening); ``clean_copy`` makes the copy that is safe
to post: faces blurred, every piece of metadata stripped, orientation applied.

``ImageResult.metadata`` keys (each present only when found): ``camera``, ``software``,
``taken_at`` (ISO 8601), ``gps`` ("lat, lon" in decimal degrees), ``gps_distance_m`` (from the
school, when its position is known), ``author``, ``description``, ``xmp`` ("present"),
``icc_profile`` ("present"), ``frames`` (animations: how many, and how many were screened),
``ocr`` (only when the text could not be read, saying why).
"""

from boundaries.screening.images.clean import clean_copy
from boundaries.screening.images.profile import SchoolImageProfile
from boundaries.screening.images.result import Box, ImageFinding, ImageRefused, ImageResult
from boundaries.screening.images.screen import screen_image

__all__ = [
    "Box",
    "ImageFinding",
    "ImageRefused",
    "ImageResult",
    "SchoolImageProfile",
    "clean_copy",
    "screen_image",
]
