"""Boundaries: a school's social media policy, turned into working software.

The public Python interface for screening is :func:`screen`::

    >>> from boundaries import screen
    >>> screen("Lovely sunny day for sports day!").verdict
    'clear'

Names are imported on first use, so ``import boundaries.policy`` does not load the detectors.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from boundaries.screening.api import screen
    from boundaries.screening.context import ScreeningContext
    from boundaries.screening.result import Finding, Result

__all__ = ["Finding", "Result", "ScreeningContext", "screen"]
__version__ = "0.1.0"

_LAZY = {
    "screen": "boundaries.screening.api",
    "ScreeningContext": "boundaries.screening.context",
    "Finding": "boundaries.screening.result",
    "Result": "boundaries.screening.result",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'boundaries' has no attribute {name!r}")
