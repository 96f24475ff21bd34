"""What the image screening knows about the school: its badges and where it is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SchoolImageProfile:
    badges: tuple[bytes, ...] = ()  # the school's badge or logo images, as uploaded
    latitude: float | None = None
    longitude: float | None = None
    radius_m: float = 500.0  # a photo taken within this distance of the school places it there
    name: str = ""

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None
