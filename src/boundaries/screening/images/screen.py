"""``screen_image``: faces, the school's badge, metadata and the text in a picture, as findings.

Faces are what 6.15 is about, but a face alone does not make a photo one of pupils. The photo is
tied to the school when the school's badge is in it, its GPS position is near the school, its text
or the post names the school or a pupil, or the post talks about school life (a trip, a class,
sports day). Faces with such a tie are a breach; faces without one go to a person to review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from boundaries.policy import PolicyPack, Severity, load_pack
from boundaries.screening.api import screen
from boundaries.screening.context import ScreeningContext
from boundaries.screening.images.badges import compile_badge, find_badge, photo_features
from boundaries.screening.images.faces import Gray, detect_faces
from boundaries.screening.images.loading import Decoded, decode
from boundaries.screening.images.metadata import PhotoMetadata, distance_m, read_metadata
from boundaries.screening.images.ocr import OCR_SIDE, OcrUnavailable, ReadText, read_text
from boundaries.screening.images.profile import SchoolImageProfile
from boundaries.screening.images.result import (
    Box,
    ImageFinding,
    ImageRefused,
    ImageResult,
    image_verdict,
)
from boundaries.screening.result import Result
from boundaries.screening.rules import IMAGE_RULES

RULES = {rule.code: rule for rule in IMAGE_RULES}
PUPIL_RULES = frozenset({"PU101", "PU102"})

# Words that put a photo in school life, as regular expressions; whole words only ("class" is not
# "classic"). Longer phrases are tried first, so the evidence says "school trip", not "school".
_SCHOOL_PHRASES = (
    r"school\s+trip", r"school\s+play", r"sports\s+day", r"field\s+trip", r"form\s+group",
    r"sixth\s+form", r"key\s+stage", r"open\s+evening", r"parents'?\s+evening",
    r"prize[-\s]giving", r"half[-\s]term", r"our\s+(?:class|pupils|children|kids)",
    r"year\s+(?:1[0-3]|[1-9]|r)\b", r"class(?:es|mates?|room)?", r"pupils?", r"students?",
    r"schools?", r"ks[1-5]", r"reception", r"nursery", r"trip", r"residential", r"nativity",
    r"assembly", r"playground", r"leavers", r"lesson", r"teachers?", r"teaching",
)  # fmt: skip
SCHOOL_WORDS = re.compile(r"\b(?:" + "|".join(_SCHOOL_PHRASES) + r")\b", re.IGNORECASE)


@dataclass
class _Seen:
    faces: list[tuple[Box, float, str]] = field(default_factory=list)
    badges: list[tuple[Box, float, int]] = field(default_factory=list)


def screen_image(
    data: bytes,
    *,
    filename: str = "",
    context: ScreeningContext | None = None,
    pack: PolicyPack | None = None,
    school: SchoolImageProfile | None = None,
    ocr: bool = True,
    post_text: str = "",
) -> ImageResult:
    """Screen one picture. Raises ImageRefused for a file that cannot be screened safely."""
    pack = pack or load_pack()
    ctx = ScreeningContext.coerce(context)
    school = school or SchoolImageProfile()
    decoded = decode(data, filename)
    meta = read_metadata(decoded.exif, decoded.info)
    metadata = meta.as_dict()
    if decoded.frame_count > 1:
        metadata["frames"] = f"{decoded.frame_count} frames, {len(decoded.frames)} screened"

    seen = _Seen(badges=_badges(decoded, school))

    text, text_result, read = "", None, None
    if ocr:
        try:
            read = _read(data, filename, decoded)
        except OcrUnavailable as exc:
            metadata["ocr"] = f"the text in the picture was not read: {exc}"
        if read is not None and read.text.strip():
            text = read.text
            text_result = screen(text, ctx, pack=pack)

    findings: list[ImageFinding] = []
    ties = _school_ties(seen, meta, school, ctx, pack, text, text_result, post_text, metadata)
    # Tied to the school, the photo is searched for small faces too: a breach needs only one
    # face, but the blurred copy must hide every face in the back row.
    seen.faces = _faces(decoded, small_faces=bool(ties))
    if seen.faces:
        code = "IM101" if ties else "IM102"
        _add(findings, pack, code, [b for b, _, _ in seen.faces], _face_evidence(seen, ties),
             max(s for _, s, _ in seen.faces))  # fmt: skip
    for box, score, inliers in seen.badges:
        _add(findings, pack, "IM103", [box],
             f"the school's badge ({inliers} matching features)", score)  # fmt: skip
    if meta.located:
        distance = metadata.get("gps_distance_m")
        where = metadata["gps"]
        if distance is not None and float(distance) <= school.radius_m:
            evidence = f"taken at {where}, {distance} m from the school"
            _add(findings, pack, "IM104", [], evidence, 1.0)
        else:
            _add(findings, pack, "IM105", [], f"taken at {where}", 1.0)
    if text_result is not None and read is not None:
        findings.extend(_text_findings(text_result, read))
    findings.sort(key=lambda f: (-f.severity.rank, f.code))
    return ImageResult(
        filename=filename,
        width=decoded.width,
        height=decoded.height,
        format=decoded.format,
        verdict=image_verdict(findings),
        findings=findings,
        text=text,
        text_result=text_result,
        metadata=metadata,
    )


def _read(data: bytes, filename: str, decoded: Decoded) -> ReadText:
    """OCR at up to OCR_SIDE: a photo reduced for the detectors is decoded again, larger, since
    the text in a photo is small (the decoding costs little beside Tesseract)."""
    image = decoded.frames[0]
    if decoded.scale < 1.0 and max(decoded.width, decoded.height) > max(image.size):
        image = decode(data, filename, analysis_side=OCR_SIDE).frames[0]
    return read_text(image, to_display=decoded.width / image.width)


def _gray(frame: Image.Image) -> Gray:
    return np.asarray(cv2.cvtColor(np.asarray(frame), cv2.COLOR_RGB2GRAY), dtype=np.uint8)


def _faces(decoded: Decoded, *, small_faces: bool) -> list[tuple[Box, float, str]]:
    """Faces in every screened frame, in displayed pixels; one box for a face seen in several
    frames of an animation."""
    found: list[tuple[Box, float, str]] = []
    to_display = 1.0 / decoded.scale
    for frame in decoded.frames:
        for face in detect_faces(_gray(frame), small_faces=small_faces):
            box = _scaled(face.x, face.y, face.w, face.h, to_display)
            if not any(_overlaps(box, other) for other, _, _ in found):
                found.append((box, face.score, face.kind))
    return found


def _badges(decoded: Decoded, school: SchoolImageProfile) -> list[tuple[Box, float, int]]:
    """The school's badges in every screened frame, in displayed pixels."""
    found: list[tuple[Box, float, int]] = []
    to_display = 1.0 / decoded.scale
    badges = [b for b in (compile_badge(data) for data in school.badges) if b is not None]
    if not badges:
        return found
    for frame in decoded.frames:
        points, descriptors, factor = photo_features(_gray(frame))
        for badge in badges:
            match = find_badge(badge, points, descriptors, factor)
            if match is None:
                continue
            xs, ys = match.corners[:, 0] * to_display, match.corners[:, 1] * to_display
            box = _clip(
                Box(
                    int(xs.min()),
                    int(ys.min()),
                    int(np.ceil(xs.max() - xs.min())),
                    int(np.ceil(ys.max() - ys.min())),
                ),
                decoded.width,
                decoded.height,
            )
            if not any(_overlaps(box, other) for other, _, _ in found):
                found.append((box, match.score, match.inliers))
    return found


def _school_ties(
    seen: _Seen,
    meta: PhotoMetadata,
    school: SchoolImageProfile,
    ctx: ScreeningContext,
    pack: PolicyPack,
    text: str,
    text_result: Result | None,
    post_text: str,
    metadata: dict[str, str],
) -> list[str]:
    """What ties the picture to the school, in words; empty when nothing does."""
    ties: list[str] = []
    if seen.badges:
        ties.append("the school's badge is in it")
    if meta.located and school.located:
        assert meta.latitude is not None and meta.longitude is not None
        assert school.latitude is not None and school.longitude is not None
        metres = distance_m(meta.latitude, meta.longitude, school.latitude, school.longitude)
        metadata["gps_distance_m"] = f"{metres:.0f}"
        if metres <= school.radius_m:
            ties.append("it was taken at the school")
    names = [n for n in (school.name, *ctx.school.names()) if n]
    for label, words in (("the picture's text", text), ("the post", post_text)):
        if not words:
            continue
        lowered = words.lower()
        named = next((n for n in names if n.lower() in lowered), None)
        if named:
            ties.append(f"{label} names the school")
        match = SCHOOL_WORDS.search(words)
        if match:
            ties.append(f"{label} says '{match.group(0)}'")
    pupil_results = [text_result] if text_result is not None else []
    if post_text.strip() and ctx.pupils:
        pupil_results.append(screen(post_text, ctx, pack=pack))
    if any(f.rule in PUPIL_RULES for r in pupil_results for f in r.findings):
        ties.append("a pupil is named")
    return ties


def _face_evidence(seen: _Seen, ties: list[str]) -> str:
    count = len(seen.faces)
    faces = "1 face" if count == 1 else f"{count} faces"
    profiles = sum(1 for _, _, kind in seen.faces if kind == "profile")
    if profiles:
        faces += f" ({profiles} in profile)"
    return f"{faces}; {', '.join(ties)}" if ties else faces


def _text_findings(result: Result, read: ReadText) -> list[ImageFinding]:
    return [
        ImageFinding(
            code=f.rule,
            clause=f.clause,
            clauses=f.clauses,
            severity=f.severity,
            message=f.message,
            fix=f.fix,
            boxes=read.boxes_for(f.start, f.end),
            evidence=f.evidence,
            score=f.score,
        )
        for f in result.findings
    ]


def _add(
    findings: list[ImageFinding],
    pack: PolicyPack,
    code: str,
    boxes: list[Box],
    evidence: str,
    score: float,
) -> None:
    """A finding for an image rule, with the severity and clauses the pack gives it; a rule the
    pack does not map, or turns off, reports nothing (as for the text rules)."""
    setting = pack.rules.get(code)
    if setting is None or not setting.enabled:
        return
    threshold = setting.threshold if setting.threshold is not None else pack.thresholds.report
    if score < threshold:
        return
    severity = setting.severity
    if severity is Severity.BREACH and score < pack.thresholds.certain:
        severity = Severity.REVIEW
    rule = RULES[code]
    findings.append(
        ImageFinding(
            code=code,
            clause=setting.primary_clause,
            clauses=tuple(setting.clauses),
            severity=severity,
            message=rule.message,
            fix=rule.fix,
            boxes=tuple(boxes),
            evidence=evidence,
            score=round(score, 3),
        )
    )


def _scaled(x: int, y: int, w: int, h: int, factor: float) -> Box:
    return Box(round(x * factor), round(y * factor), round(w * factor), round(h * factor))


def _clip(box: Box, width: int, height: int) -> Box:
    left, top = max(0, box.left), max(0, box.top)
    right, bottom = min(width, box.right), min(height, box.bottom)
    return Box(left, top, max(0, right - left), max(0, bottom - top))


def _overlaps(a: Box, b: Box) -> bool:
    ix = max(0, min(a.right, b.right) - max(a.left, b.left))
    iy = max(0, min(a.bottom, b.bottom) - max(a.top, b.top))
    inter = ix * iy
    union = a.area + b.area - inter
    return union > 0 and inter / union > 0.3


__all__ = ["ImageRefused", "screen_image"]
