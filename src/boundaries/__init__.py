"""Boundaries: a school's social media policy, turned into working software.

The public Python interface for screening is :func:`screen`::

    >>> from boundaries import screen
    >>> screen("Lovely sunny day for sports day!").verdict
    'clear'

With the photos or screenshots to be posted, it screens them too and answers with a
:class:`PostCheck` (the text's result and each image's)::

    check = screen("Sports day!", images=["IMG_0042.jpg"], school=SchoolImageProfile(...))
    check.verdict, [image.findings for image in check.screened]

:func:`screen_images` screens pictures alone.

Names are imported on first use, so ``import boundaries.policy`` does not load the detectors.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from boundaries.screening.api import screen, screen_images
    from boundaries.screening.context import ScreeningContext
    from boundaries.screening.images import ImageResult, SchoolImageProfile
    from boundaries.screening.post_check import ImageRefusal, PostCheck
    from boundaries.screening.result import Finding, Result

__all__ = [
    "Finding",
    "ImageRefusal",
    "ImageResult",
    "PostCheck",
    "Result",
    "SchoolImageProfile",
    "ScreeningContext",
    "screen",
    "screen_images",
]
__version__ = "0.1.0"

_LAZY = {
    "screen": "boundaries.screening.api",
    "ScreeningContext": "boundaries.screening.context",
    "Finding": "boundaries.screening.result",
    "Result": "boundaries.screening.result",
    "screen_images": "boundaries.screening.api",
    "PostCheck": "boundaries.screening.post_check",
    "ImageRefusal": "boundaries.screening.post_check",
    "ImageResult": "boundaries.screening.images",
    "SchoolImageProfile": "boundaries.screening.images",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'boundaries' has no attribute {name!r}")
