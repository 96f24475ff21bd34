"""Image screening on the self-check page: photos and screenshots before they are posted (6.15),
and the school's badge and position that let a photo be tied to it (6.1, 6.2).

Nothing uploaded to the check is kept. Each upload is read into memory for the one request
(Starlette spools a large one to an unnamed temporary file, gone when the request ends),
screened, and answered with everything the page needs inside the response itself: a small
preview and the clean copy as ``data:`` URLs, which the CSP's ``img-src 'self' data:`` allows.
There is no stored copy to fetch later, so none to leak, expire or delete; the price is a larger
response (the clean copy travels base64-encoded, a third bigger), which the size and count limits
below keep within a few tens of megabytes.
"""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath, PureWindowsPath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from boundaries.policy import PolicyPack
from boundaries.roster import image_profile as settings
from boundaries.screening.images import ImageResult
from boundaries.screening.post_check import (
    ImageRefusal,
    blur_boxes,
    clean_copy_for,
    clean_copy_name,
    metadata_in_words,
    preview_jpeg,
    screen_sources,
    worst,
)
from boundaries.web.access import Permission
from boundaries.web.auth import MAX_ROW_ID, Db, NotFound, SchoolScope, in_school
from boundaries.web.routes.schools import MAX_DRAFT_CHARS, clause_anchor
from boundaries.web.state import app_state
from boundaries.web.templating import Pages

router = APIRouter(include_in_schema=False)
pages = Pages()

UsesSchool = Annotated[SchoolScope, Depends(in_school(Permission.USE_SCHOOL))]
ManagesPolicy = Annotated[SchoolScope, Depends(in_school(Permission.MANAGE_POLICY))]
Draft = Annotated[str, Form(max_length=MAX_DRAFT_CHARS)]
Short = Annotated[str, Form(max_length=100)]
Uploads = Annotated[list[UploadFile], File()]

MAX_IMAGES = 5
# Decoding a 12-megapixel photo takes ~40 MB and a core: at most this many checks run at once, so
# that a burst of uploads queues rather than exhausting the server's memory.
MAX_CONCURRENT_CHECKS = 2
_checking = threading.BoundedSemaphore(MAX_CONCURRENT_CHECKS)
MAX_IMAGE_BYTES = 15 * 1024 * 1024  # a 12-megapixel JPEG is 3 to 8 MB; a 48-megapixel HEIC, ~15
ACCEPT = "image/jpeg,image/png,image/heic,image/heif,image/webp,image/gif,.heic,.heif"
SEVERITY_WORDS = {"breach": "Breach", "review": "Review", "info": "Note"}


def _filename(raw: str | None, index: int) -> str:
    """The upload's own name, without any folder a browser sent, for display and the copy."""
    name = PureWindowsPath(PurePosixPath(raw or "").name).name.strip()
    return (name or f"image-{index + 1}")[:120]


@dataclass
class Uploaded:
    """What the image form sent: each file's name and bytes, and what was wrong."""

    files: list[tuple[str, bytes]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_uploads(uploads: list[UploadFile]) -> Uploaded:
    """The chosen files, each read up to the limit; too many or too large ones are named."""
    chosen = [upload for upload in uploads if upload.filename]
    form = Uploaded()
    if not chosen:
        form.problems.append("Choose at least one photo or screenshot to check.")
        return form
    if len(chosen) > MAX_IMAGES:
        form.problems.append(f"Choose at most {MAX_IMAGES} images at a time.")
        return form
    for index, upload in enumerate(chosen):
        name = _filename(upload.filename, index)
        data = upload.file.read(MAX_IMAGE_BYTES + 1)
        if len(data) > MAX_IMAGE_BYTES:
            form.problems.append(
                f"{name} is larger than {MAX_IMAGE_BYTES // 1024 // 1024} MB: "
                "choose a smaller copy of it."
            )
        elif not data:
            form.problems.append(f"{name} is empty.")
        else:
            form.files.append((name, data))
    return form


def _data_url(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f} MB"
    return f"{max(1, round(count / 1024))} KB"


def _clause_title(pack: PolicyPack, clause: str) -> str:
    try:
        return pack.clause(clause).title
    except KeyError:
        return ""


def image_view(
    pack: PolicyPack, result: ImageResult, data: bytes, school_id: int, number: int
) -> dict[str, Any]:
    """One screened image as the page shows it: a preview with the boxes numbered by finding,
    each finding in words, the metadata found and the clean copy to download."""
    findings, boxes = [], []
    longest = max(result.width, result.height, 1)
    tag = max(12.0, longest / 22)  # the number tags stay readable when the photo is scaled down
    for index, finding in enumerate(result.findings, start=1):
        severity = finding.severity.value
        findings.append(
            {
                "number": index,
                "code": finding.code,
                "severity": severity,
                "severity_word": SEVERITY_WORDS.get(severity, severity),
                "clause": finding.clause,
                "clause_title": _clause_title(pack, finding.clause),
                "clause_link": f"/schools/{school_id}/policy#{clause_anchor(finding.clause)}",
                "message": finding.message,
                "evidence": finding.evidence,
                "fix": finding.fix,
                "areas": len(finding.boxes),
            }
        )
        for box in finding.boxes:
            boxes.append(
                {
                    "x": box.left,
                    "y": box.top,
                    "width": box.width,
                    "height": box.height,
                    "number": index,
                    "severity": severity,
                    # The tag sits above the box, or inside it at the top edge of the picture.
                    "tag_x": box.left,
                    "tag_y": box.top - tag if box.top >= tag else box.top,
                }
            )
    preview = preview_jpeg(data)
    copy, media_type = clean_copy_for(data, result)
    return {
        "number": number,
        "id": f"image-{number}",
        "filename": result.filename,
        "width": result.width,
        "height": result.height,
        "format": result.format,
        "verdict": result.verdict,
        "findings": findings,
        "boxes": boxes,
        "tag": round(tag, 1),
        "preview": _data_url("image/jpeg", preview) if preview else None,
        "metadata": metadata_in_words(result.metadata),
        "text": " ".join(result.text.split()),
        "blurred": len(blur_boxes(result)),
        "clean_url": _data_url(media_type, copy),
        "clean_name": clean_copy_name(result.filename, media_type),
        "clean_size": _size(len(copy)),
    }


def check_images(
    request: Request, scope: SchoolScope, db: Db, files: list[tuple[str, bytes]], text: str
) -> tuple[list[dict[str, Any]], list[str]]:
    """Screen the uploads in the school's context (its roster, badge and position); each
    image's view, and what the school has not set up (so could not be looked for)."""
    state = app_state(request)
    pack = state.pack_for(db, scope.school.id)
    context = state.contexts.get(db, scope.school)
    profile = settings.school_image_profile(db, scope.school)
    missing = [
        what
        for what, present in (("badge", bool(profile.badges)), ("location", profile.located))
        if not present
    ]
    views: list[dict[str, Any]] = []
    with _checking:
        outcomes = screen_sources(files, context=context, pack=pack, school=profile, post_text=text)
        for number, (outcome, (_, data)) in enumerate(zip(outcomes, files, strict=True), start=1):
            if isinstance(outcome, ImageRefusal):
                views.append(
                    {"number": number, "filename": outcome.filename, "error": outcome.message}
                )
            else:
                views.append(image_view(pack, outcome, data, scope.school.id, number))
    return views, missing


@router.post("/schools/{school_id}/check/images")
def check_images_route(
    request: Request,
    scope: UsesSchool,
    db: Db,
    images: Uploads = [],  # noqa: B006 - FastAPI copies defaults
    text: Draft = "",
) -> Response:
    uploaded = read_uploads(images)
    views, missing = (
        check_images(request, scope, db, uploaded.files, text)
        if not uploaded.problems
        else ([], [])
    )
    context = {
        "school": scope.school,
        "image_problems": uploaded.problems,
        "image_views": views,
        "image_overall": worst([v["verdict"] for v in views if "verdict" in v]),
        "with_text": bool(text.strip()),
        "not_set_up": missing,
        "may_set_up": scope.principal.may(Permission.MANAGE_POLICY, scope.school),
    }
    if request.headers.get("hx-request") == "true":
        # HTMX swaps only successful answers: the problem is shown in the results either way.
        return pages.render(request, "check_images_results.html", context)
    pack = app_state(request).pack_for(db, scope.school.id)
    context.update(
        {
            "text": "",
            "result": None,
            "findings": [],
            "max_chars": MAX_DRAFT_CHARS,
            "review_warning": pack.review_warning(date.today()),
        }
    )
    return pages.render(request, "check.html", context, 400 if uploaded.problems else 200)


# -- the school's badge and position --------------------------------------------------------------
def _settings_page(
    request: Request,
    scope: SchoolScope,
    db: Db,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    saved: str = "",
    status: int = 200,
) -> Response:
    where = settings.school_location(db, scope.school.id)
    location = settings.Location(where.latitude, where.longitude, where.radius_m) if where else None
    badge_rows = [
        {
            "id": badge.id,
            "filename": badge.filename,
            "width": badge.width,
            "height": badge.height,
            "size": _size(len(badge.data)),
            "uploaded_at": badge.uploaded_at,
            "url": _data_url(badge.media_type, badge.data),
        }
        for badge in settings.badges(db, scope.school.id)
    ]
    shown = values or (
        {
            "latitude": f"{where.latitude:.6f}",
            "longitude": f"{where.longitude:.6f}",
            "radius": f"{where.radius_m:.0f}",
        }
        if where
        else {"radius": f"{settings.DEFAULT_RADIUS_M:.0f}"}
    )
    return pages.render(
        request,
        "images_settings.html",
        {
            "school": scope.school,
            "location": location,
            "badges": badge_rows,
            "errors": errors or {},
            "values": shown,
            "saved": saved,
            "max_badges": settings.MAX_BADGES,
            "max_badge_mb": settings.MAX_BADGE_BYTES // 1024 // 1024,
            "min_radius": int(settings.MIN_RADIUS_M),
            "max_radius": int(settings.MAX_RADIUS_M),
        },
        status,
    )


SAVED_MESSAGES = {
    "location": "The school's location has been saved.",
    "location-removed": "The school's location has been removed.",
    "badge": "The badge has been added.",
    "badge-removed": "The badge has been removed.",
}


@router.get("/schools/{school_id}/image-settings")
def image_settings(request: Request, scope: ManagesPolicy, db: Db, saved: str = "") -> Response:
    return _settings_page(request, scope, db, saved=SAVED_MESSAGES.get(saved, ""))


def _redirect(scope: SchoolScope, saved: str) -> RedirectResponse:
    return RedirectResponse(
        f"/schools/{scope.school.id}/image-settings?saved={saved}", status_code=303
    )


@router.post("/schools/{school_id}/image-settings/location")
def set_location(
    request: Request,
    scope: ManagesPolicy,
    db: Db,
    latitude: Short = "",
    longitude: Short = "",
    radius: Short = "",
    remove: Short = "",
) -> Response:
    if remove:
        settings.clear_location(db, scope.school.id)
        db.commit()
        return _redirect(scope, "location-removed")
    values = {"latitude": latitude, "longitude": longitude, "radius": radius}
    try:
        location = settings.parse_location(latitude, longitude, radius)
    except settings.SettingsError as exc:
        return _settings_page(
            request, scope, db, errors={exc.field: str(exc)}, values=values, status=400
        )
    settings.set_location(db, scope.school.id, location, scope.principal.person_id)
    db.commit()
    return _redirect(scope, "location")


@router.post("/schools/{school_id}/image-settings/badges")
def add_badge(
    request: Request,
    scope: ManagesPolicy,
    db: Db,
    badge: Annotated[UploadFile | None, File()] = None,
) -> Response:
    if badge is None or not badge.filename:
        return _settings_page(
            request, scope, db, errors={"badge": "Choose an image of the badge."}, status=400
        )
    data = badge.file.read(settings.MAX_BADGE_BYTES + 1)
    try:
        settings.add_badge(
            db, scope.school.id, _filename(badge.filename, 0), data, scope.principal.person_id
        )
    except settings.SettingsError as exc:
        db.rollback()
        return _settings_page(request, scope, db, errors={"badge": str(exc)}, status=400)
    db.commit()
    return _redirect(scope, "badge")


@router.post("/schools/{school_id}/image-settings/badges/{badge_id}/delete")
def remove_badge(request: Request, scope: ManagesPolicy, db: Db, badge_id: int) -> Response:
    # Another school's badge, or one already gone, is "not found": ids reveal nothing.
    if not 0 < badge_id <= MAX_ROW_ID or not settings.remove_badge(db, scope.school.id, badge_id):
        raise NotFound()
    db.commit()
    return _redirect(scope, "badge-removed")
