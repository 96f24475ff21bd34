"""The one interface every detector implements, and the span it returns.

Shaped after Presidio's recognizers: a detector declares the rules it can report, is built once
per screening context (so lexicons, automata and rosters are compiled once, not per post) and
returns spans with a score and a reason in words. Detectors are pure: the same text and context
give the same spans, and nothing in ``detect`` does I/O.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from boundaries.screening.context import ScreeningContext
from boundaries.screening.normalise import Document, View
from boundaries.screening.rules import Rule
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings


@dataclass(frozen=True)
class Span:
    """What a detector found: a rule, where (offsets in the ORIGINAL text), how sure, and why."""

    rule: str
    start: int
    end: int
    score: float
    reason: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"empty or negative span {self.start}..{self.end} for {self.rule}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score} for {self.rule} is not between 0 and 1")


class Detector(ABC):
    """Finds spans for one family of rules."""

    rules: ClassVar[tuple[Rule, ...]]

    def __init__(
        self, context: ScreeningContext, settings: ScreeningSettings = DEFAULT_SETTINGS
    ) -> None:
        self.context = context
        self.settings = settings

    @abstractmethod
    def detect(self, doc: Document) -> Iterable[Span]:
        """Yield spans for ``doc``. Build them with :meth:`span` so offsets map back."""

    def span(
        self,
        rule: str,
        start: int,
        end: int,
        score: float,
        reason: str,
        doc: Document,
        view: View | None = None,
    ) -> Span:
        """A span given in ``view`` coordinates (default: ``doc.norm``), mapped to the original."""
        s, e = (view or doc.norm).to_original(start, end)
        return Span(rule, s, e, max(0.0, min(1.0, score)), reason)
