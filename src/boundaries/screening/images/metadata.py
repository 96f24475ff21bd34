"""What a photo says about itself: EXIF (with its GPS block) and the XMP packet.

Phones write the position, the device and the time into every photo by default; the clean copy
removes all of it. XMP is read with regular expressions, not an XML parser: it is untrusted input
and only a handful of simple properties are wanted.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from PIL import ExifTags, Image

EARTH_RADIUS_M = 6_371_008.8

_MAKE, _MODEL, _SOFTWARE, _DATETIME, _ARTIST, _DESCRIPTION = (
    0x010F,
    0x0110,
    0x0131,
    0x0132,
    0x013B,
    0x010E,
)
_DATETIME_ORIGINAL, _OFFSET_ORIGINAL = 0x9003, 0x9011
_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4


@dataclass(frozen=True)
class PhotoMetadata:
    camera: str = ""
    software: str = ""
    taken_at: str = ""  # ISO 8601
    latitude: float | None = None
    longitude: float | None = None
    author: str = ""
    description: str = ""
    has_xmp: bool = False
    has_icc: bool = False

    @property
    def located(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def as_dict(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for key, value in (
            ("camera", self.camera),
            ("software", self.software),
            ("taken_at", self.taken_at),
            ("author", self.author),
            ("description", self.description),
        ):
            if value:
                found[key] = value
        if self.latitude is not None and self.longitude is not None:
            found["gps"] = f"{self.latitude:.6f}, {self.longitude:.6f}"
        if self.has_xmp:
            found["xmp"] = "present"
        if self.has_icc:
            found["icc_profile"] = "present"
        return found


def read_metadata(exif: Image.Exif, info: dict[str, object]) -> PhotoMetadata:
    xmp = _xmp_text(info)
    make = _text(exif.get(_MAKE)) or _xmp_value(xmp, "tiff:Make")
    model = _text(exif.get(_MODEL)) or _xmp_value(xmp, "tiff:Model")
    camera = model if make and model.lower().startswith(make.lower()) else f"{make} {model}".strip()
    try:
        exif_ifd = exif.get_ifd(ExifTags.IFD.Exif)
        gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # a damaged IFD pointer: keep what the main IFD says
        exif_ifd, gps_ifd = {}, {}
    taken = _exif_time(
        _text(exif_ifd.get(_DATETIME_ORIGINAL)) or _text(exif.get(_DATETIME)),
        _text(exif_ifd.get(_OFFSET_ORIGINAL)),
    ) or _xmp_time(
        _xmp_value(xmp, "exif:DateTimeOriginal")
        or _xmp_value(xmp, "photoshop:DateCreated")
        or _xmp_value(xmp, "xmp:CreateDate")
    )
    lat, lon = _exif_gps(gps_ifd)
    if lat is None or lon is None:
        lat = _xmp_coordinate(_xmp_value(xmp, "exif:GPSLatitude"))
        lon = _xmp_coordinate(_xmp_value(xmp, "exif:GPSLongitude"))
        if lat is None or lon is None:
            lat = lon = None
    return PhotoMetadata(
        camera=camera,
        software=_text(exif.get(_SOFTWARE)) or _xmp_value(xmp, "xmp:CreatorTool"),
        taken_at=taken,
        latitude=lat,
        longitude=lon,
        author=_text(exif.get(_ARTIST)) or _xmp_value(xmp, "dc:creator"),
        description=_text(exif.get(_DESCRIPTION)) or _xmp_value(xmp, "dc:description"),
        has_xmp=bool(xmp),
        has_icc=bool(info.get("icc_profile")),
    )


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


# -- EXIF ---------------------------------------------------------------------------------------
def _text(value: object) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return ""
    return " ".join(value.replace("\x00", " ").split())[:200]


def _exif_time(stamp: str, offset: str) -> str:
    try:
        when = dt.datetime.strptime(stamp[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return ""
    if re.fullmatch(r"[+-]\d\d:\d\d", offset):
        sign = 1 if offset[0] == "+" else -1
        hours, minutes = int(offset[1:3]), int(offset[4:6])
        tz = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
        when = when.replace(tzinfo=tz)
    return when.isoformat()


def _exif_gps(gps: dict[int, object]) -> tuple[float | None, float | None]:
    lat = _dms(gps.get(_GPS_LAT), gps.get(_GPS_LAT_REF), "S")
    lon = _dms(gps.get(_GPS_LON), gps.get(_GPS_LON_REF), "W")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat, lon


def _dms(value: object, ref: object, negative: str) -> float | None:
    if not isinstance(value, tuple | list) or len(value) != 3:
        return None
    try:
        degrees, minutes, seconds = (float(v) for v in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if any(math.isnan(v) or math.isinf(v) for v in (degrees, minutes, seconds)):
        return None
    decimal = degrees + minutes / 60 + seconds / 3600
    return -decimal if _text(ref).upper().startswith(negative) else decimal


# -- XMP ----------------------------------------------------------------------------------------
def _xmp_text(info: dict[str, object]) -> str:
    raw = info.get("xmp") or info.get("XML:com.adobe.xmp") or b""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    return raw[:1_000_000] if isinstance(raw, str) else ""


def _xmp_value(xmp: str, name: str) -> str:
    """A simple property, written as an attribute or as an element (the first list item when it
    is an rdf:Seq, rdf:Bag or rdf:Alt)."""
    if not xmp:
        return ""
    prop = re.escape(name)
    match = re.search(rf'{prop}\s*=\s*"([^"]*)"', xmp) or re.search(
        rf"<{prop}\b[^>]*>\s*(?:<rdf:(?:Seq|Bag|Alt)>\s*<rdf:li\b[^>]*>)?([^<]*)<", xmp
    )
    return _text(match.group(1)) if match else ""


def _xmp_time(value: str) -> str:
    try:
        return dt.datetime.fromisoformat(value).isoformat() if value else ""
    except ValueError:
        return ""


def _xmp_coordinate(value: str) -> float | None:
    """XMP writes a coordinate as "DDD,MM,SSk" or "DDD,MM.mmk", k one of N, S, E, W."""
    match = re.fullmatch(r"(\d{1,3}),(\d{1,2}(?:\.\d+)?)(?:,(\d{1,2}(?:\.\d+)?))?([NSEW])", value)
    if not match:
        return None
    decimal = int(match[1]) + float(match[2]) / 60 + float(match[3] or 0) / 3600
    return -decimal if match[4] in "SW" else decimal
