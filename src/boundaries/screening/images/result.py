"""What screening an image returns: findings with boxes in the picture, the OCR text, metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from boundaries.policy.schema import Severity
from boundaries.screening.result import Result


class ImageRefused(ValueError):
    """A file we will not screen; ``str()`` is the message for the user."""


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels of the image as displayed (after EXIF orientation)."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def area(self) -> int:
        return self.width * self.height

    def to_dict(self) -> dict[str, int]:
        return {"left": self.left, "top": self.top, "width": self.width, "height": self.height}


@dataclass(frozen=True)
class ImageFinding:
    code: str
    clause: str  # the rule's primary clause id in the pack
    clauses: tuple[str, ...]
    severity: Severity
    message: str
    fix: str
    boxes: tuple[Box, ...]
    evidence: str  # what was seen, in words ("3 faces; the school's badge")
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "clause": self.clause,
            "clauses": list(self.clauses),
            "severity": self.severity.value,
            "message": self.message,
            "fix": self.fix,
            "boxes": [b.to_dict() for b in self.boxes],
            "evidence": self.evidence,
            "score": self.score,
        }


@dataclass
class ImageResult:
    filename: str
    width: int
    height: int
    format: str  # "JPEG", "PNG", "GIF", "WEBP", "HEIF", ...
    verdict: str  # "breach" | "review" | "clear", like text results
    findings: list[ImageFinding] = field(default_factory=list)
    text: str = ""  # OCR text, "" if none
    text_result: Result | None = None  # the OCR text run through the text screening
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def face_boxes(self) -> tuple[Box, ...]:
        """Every box a face finding points at: what the blurred copy blurs."""
        return tuple(b for f in self.findings if f.code in FACE_CODES for b in f.boxes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "width": self.width,
            "height": self.height,
            "format": self.format,
            "verdict": self.verdict,
            "findings": [f.to_dict() for f in self.findings],
            "text": self.text,
            "text_result": self.text_result.to_dict() if self.text_result else None,
            "metadata": dict(self.metadata),
        }


# Filled by the rules module's codes; kept here so the result does not import the rules.
FACE_CODES = frozenset({"IM101", "IM102"})


def image_verdict(findings: list[ImageFinding]) -> str:
    """The worst severity; info findings never change the verdict."""
    worst = max((f.severity.rank for f in findings), default=0)
    return {0: "clear", 1: "review", 2: "breach"}[worst]
