"""A school's badge and position, kept so that photos identifying it are caught (6.1, 6.2).

The people who manage the policy upload the badge (or logo) and set where the school is; the
image screening gets both as a :class:`SchoolImageProfile`. Input is checked here, in words for
the person setting it: a badge must be a real, reasonably small image, and a position a real
place on Earth (with a warning when it is far outside the UK, the usual sign of latitude and
longitude swapped).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from boundaries.screening.images import SchoolImageProfile
from boundaries.store import School, SchoolBadge, SchoolLocation
from boundaries.store.models import utc_now

MAX_BADGE_BYTES = 2 * 1024 * 1024  # a badge or logo is tens of kilobytes; a photo of one, less
MAX_BADGE_SIDE = 4000
MIN_BADGE_SIDE = 32  # smaller than this has too little detail to be matched in a photo
MAX_BADGES = 5
DEFAULT_RADIUS_M = 500.0
MIN_RADIUS_M = 50.0
MAX_RADIUS_M = 5000.0
_BADGE_FORMATS = {
    "PNG": "image/png",
    "JPEG": "image/jpeg",
    "WEBP": "image/webp",
    "GIF": "image/gif",
}
# The UK, its islands and the Crown dependencies, generously.
_UK_LATITUDE = (49.0, 61.5)
_UK_LONGITUDE = (-11.0, 2.5)


class SettingsError(ValueError):
    """A badge or position that cannot be kept; ``str()`` says why, for the person setting it,
    and ``field`` names what was wrong (latitude, longitude, radius or badge)."""

    def __init__(self, message: str, field: str = "badge") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    radius_m: float = DEFAULT_RADIUS_M

    @property
    def outside_uk(self) -> bool:
        return not (
            _UK_LATITUDE[0] <= self.latitude <= _UK_LATITUDE[1]
            and _UK_LONGITUDE[0] <= self.longitude <= _UK_LONGITUDE[1]
        )

    @property
    def warning(self) -> str:
        """A gentle word when the position is far from the UK; "" otherwise."""
        if not self.outside_uk:
            return ""
        return (
            f"{self.latitude:.5f}, {self.longitude:.5f} is outside the UK. If the school is in "
            "the UK, check that latitude and longitude are not the wrong way round."
        )


def _number(text: str, what: str) -> float:
    cleaned = text.strip().replace("\u2212", "-").rstrip("°")
    if not cleaned:
        raise SettingsError(f"Enter the {what}.", what)
    try:
        value = float(cleaned)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise SettingsError(f"The {what} must be a number in decimal degrees, like 53.80076.", what)
    return value


def parse_location(latitude: str, longitude: str, radius: str = "") -> Location:
    """A position from what a person typed: decimal degrees and a radius in metres."""
    lat = _number(latitude, "latitude")
    lon = _number(longitude, "longitude")
    if not -90.0 <= lat <= 90.0:
        raise SettingsError(
            "The latitude must be between -90 and 90 (the UK is about 50 to 61).", "latitude"
        )
    if not -180.0 <= lon <= 180.0:
        raise SettingsError(
            "The longitude must be between -180 and 180 (the UK is about -8 to 2).", "longitude"
        )
    if lat == 0.0 and lon == 0.0:
        raise SettingsError(
            "0, 0 is in the Atlantic Ocean: enter the school's own position.", "latitude"
        )
    radius_m = DEFAULT_RADIUS_M
    if radius.strip():
        try:
            radius_m = float(radius.strip().removesuffix("m").strip())
        except ValueError:
            raise SettingsError("The distance must be a number of metres.", "radius") from None
        if not (math.isfinite(radius_m) and MIN_RADIUS_M <= radius_m <= MAX_RADIUS_M):
            raise SettingsError(
                f"The distance must be between {MIN_RADIUS_M:.0f} and {MAX_RADIUS_M:.0f} metres.",
                "radius",
            )
    return Location(lat, lon, radius_m)


def parse_lat_lon(text: str, radius: float | None = None) -> Location:
    """``"53.80076,-1.54908"`` (as the CLI takes it) as a position."""
    parts = text.replace(";", ",").split(",")
    if len(parts) != 2:
        raise SettingsError(
            f"{text!r} is not a position: give LAT,LON in decimal degrees, like 53.80076,-1.54908",
            "latitude",
        )
    return parse_location(parts[0], parts[1], "" if radius is None else str(radius))


@dataclass(frozen=True)
class BadgeImage:
    """A badge upload that passed the checks: its type (from its content) and size."""

    media_type: str
    width: int
    height: int


def check_badge(data: bytes) -> BadgeImage:
    """What the badge is, judged by its content, or a :class:`SettingsError` saying why not."""
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise SettingsError("The file is empty.")
    if len(data) > MAX_BADGE_BYTES:
        raise SettingsError(
            f"The badge is {len(data) / 1024 / 1024:.1f} MB; it must be under "
            f"{MAX_BADGE_BYTES // 1024 // 1024} MB. Save it as a smaller PNG or JPEG."
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            width, height = image.size
            if kind not in _BADGE_FORMATS:
                raise SettingsError("The badge must be a PNG, JPEG, WebP or GIF image.")
            if max(width, height) > MAX_BADGE_SIDE:
                raise SettingsError(
                    f"The badge is {width} × {height} pixels; it must be at most {MAX_BADGE_SIDE} "
                    "pixels on each side."
                )
            if min(width, height) < MIN_BADGE_SIDE:
                raise SettingsError(
                    f"The badge is only {width} × {height} pixels: upload one at least "
                    f"{MIN_BADGE_SIDE} pixels on each side, so it can be recognised."
                )
            image.load()  # a truncated or corrupt file fails here, not in every later check
    except SettingsError:
        raise
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        raise SettingsError(
            "The file is not an image that can be read (or it is damaged)."
        ) from None
    if not _recognisable(data):
        raise SettingsError(
            "The badge has too little detail to be recognised in a photo (a plain shape or "
            "colour): upload a larger, sharper image of it, with its emblem and lettering."
        )
    return BadgeImage(_BADGE_FORMATS[kind], width, height)


def _recognisable(data: bytes) -> bool:
    """Whether the image screening finds enough features in the badge to match it in photos:
    a badge it cannot use would be kept and silently never found."""
    from boundaries.screening.images import ImageRefused
    from boundaries.screening.images.badges import compile_badge

    try:
        return compile_badge(data) is not None
    except ImageRefused:
        return False


def school_location(session: Session, school_id: int) -> SchoolLocation | None:
    return session.get(SchoolLocation, school_id)


def set_location(
    session: Session, school_id: int, location: Location, actor_id: int | None
) -> SchoolLocation:
    """Keep the school's position (replacing any before); the caller commits."""
    row = session.get(SchoolLocation, school_id)
    if row is None:
        row = SchoolLocation(school_id=school_id)
        session.add(row)
    row.latitude = location.latitude
    row.longitude = location.longitude
    row.radius_m = location.radius_m
    row.updated_by = actor_id
    row.updated_at = utc_now()
    session.flush()
    return row


def clear_location(session: Session, school_id: int) -> bool:
    """Forget the school's position; whether there was one."""
    return bool(
        session.execute(
            delete(SchoolLocation).where(SchoolLocation.school_id == school_id)
        ).rowcount  # type: ignore[attr-defined]
    )


def badges(session: Session, school_id: int) -> list[SchoolBadge]:
    return list(
        session.scalars(
            select(SchoolBadge).where(SchoolBadge.school_id == school_id).order_by(SchoolBadge.id)
        )
    )


def add_badge(
    session: Session, school_id: int, filename: str, data: bytes, actor_id: int | None
) -> SchoolBadge:
    """Keep one more badge image for the school, checked first; the caller commits."""
    held = session.scalar(
        select(func.count()).select_from(SchoolBadge).where(SchoolBadge.school_id == school_id)
    )
    if (held or 0) >= MAX_BADGES:
        raise SettingsError(
            f"The school already has {MAX_BADGES} badge images: remove one before adding another."
        )
    checked = check_badge(data)
    badge = SchoolBadge(
        school_id=school_id,
        filename=(filename or "badge")[:200],
        media_type=checked.media_type,
        width=checked.width,
        height=checked.height,
        data=data,
        uploaded_by=actor_id,
    )
    session.add(badge)
    session.flush()
    return badge


def remove_badge(session: Session, school_id: int, badge_id: int) -> bool:
    """Remove one of the school's badges (another school's is never touched); whether it went."""
    return bool(
        session.execute(
            delete(SchoolBadge).where(
                SchoolBadge.id == badge_id, SchoolBadge.school_id == school_id
            )
        ).rowcount  # type: ignore[attr-defined]
    )


def school_image_profile(session: Session, school: School) -> SchoolImageProfile:
    """What the image screening needs to know about ``school``, read from the store."""
    where = school_location(session, school.id)
    return SchoolImageProfile(
        badges=tuple(b.data for b in badges(session, school.id)),
        latitude=where.latitude if where else None,
        longitude=where.longitude if where else None,
        radius_m=where.radius_m if where else DEFAULT_RADIUS_M,
        name=school.name,
    )
