"""Faces, with the Haar cascades that ship inside opencv-python-headless.

Why these: the models are inside the wheel the project already depends on (no download, no
licence question, nothing to host), they run on one core in tens of milliseconds on a reduced
photo, and their failure modes are well known. A deep detector (OpenCV's YuNet, for example)
finds more faces but its model is not in any package we install. What they miss (measured in
benchmarks/bench_images.py): faces turned more than about 30 degrees from upright, faces in
three-quarter view between the frontal and the profile models, faces smaller than about 2% of
the photo's longest side, and faces partly hidden (hands, hats, masks).

Three cascades vote. The frontal "default" and "alt2" models see the same upright faces with
different false alarms, so a frontal face needs both; a profile (the model is trained on one side
only, so the picture is also searched mirrored) counts alone when the detector is confident, since
the frontal models cannot confirm it. With the second model as the check, the first may be
lenient (two neighbouring windows are enough), which is what finds the small faces of a group.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

Gray = npt.NDArray[np.uint8]
Rect = tuple[int, int, int, int]  # x, y, w, h

DETECT_SIDE = 640  # frontal faces are searched with the photo reduced to this longest side
PROFILE_SIDE = 256  # profiles, at this side (two passes, one mirrored, so a smaller picture)
# The cascades' windows are 24 x 24 (frontal) and 20 x 20 (profile) pixels: frontal faces under
# 24/640 = 3.75% of the photo's longest side are missed, profiles under 20/256 = 8%.
MIN_FACE = 20
SMALL_FACE_SIDE = 1000  # the small-face pass: frontal faces down to 2.4% of the longest side
_FRONTAL_WINDOW = 24
_FRONTAL_STEP = 1.2  # scale step of the frontal search: 1.25 is a third faster but misses faces
_PROFILE_STEP = 1.2
_FRONTAL_MIN_WEIGHT = 2.0  # the lenient first pass needs this final-stage margin
_PROFILE_MIN_WEIGHT = 1.5  # a lone profile needs this level weight (its final-stage margin)

_local = threading.local()  # a CascadeClassifier is not safe to share between threads


@dataclass(frozen=True)
class Face:
    x: int
    y: int
    w: int
    h: int
    score: float  # 0..1: how sure the vote is
    kind: str  # "frontal" or "profile"


def _cascades() -> dict[str, cv2.CascadeClassifier]:
    cascades: dict[str, cv2.CascadeClassifier] | None = getattr(_local, "cascades", None)
    if cascades is None:
        root = cv2.data.haarcascades  # type: ignore[attr-defined]
        cascades = {
            "default": cv2.CascadeClassifier(root + "haarcascade_frontalface_default.xml"),
            "alt2": cv2.CascadeClassifier(root + "haarcascade_frontalface_alt2.xml"),
            "profile": cv2.CascadeClassifier(root + "haarcascade_profileface.xml"),
        }
        for name, cascade in cascades.items():
            if cascade.empty():
                raise RuntimeError(f"OpenCV's {name} face model is missing from the package")
        _local.cascades = cascades
    return cascades


def detect_faces(gray: Gray, *, small_faces: bool = False) -> list[Face]:
    """Faces in a grey image, in that image's pixels. ``small_faces`` adds a pass at up to
    SMALL_FACE_SIDE for the faces too small for the first (a class photo's back row): it costs
    about as much again, so it runs when the photo is already tied to the school."""
    cascades = _cascades()
    small, factor = _reduced(gray, DETECT_SIDE)
    faces = _frontal(cascades, small, None)
    if small_faces:
        fine, fine_factor = _reduced(gray, SMALL_FACE_SIDE)
        if fine_factor > factor * 1.2:  # the picture is larger than the first pass saw
            to_small = factor / fine_factor
            largest = round(2 * _FRONTAL_WINDOW / to_small)  # overlaps the first pass
            for f in _frontal(cascades, fine, largest):
                rect = (round(f.x * to_small), round(f.y * to_small),
                        max(1, round(f.w * to_small)), max(1, round(f.h * to_small)))  # fmt: skip
                faces.append(Face(*rect, score=f.score, kind=f.kind))
    side, pfactor = _reduced(gray, PROFILE_SIDE)
    to_small = factor / pfactor
    mirrored = np.ascontiguousarray(side[:, ::-1])
    sw = side.shape[1]
    profiles = _run(cascades["profile"], side, _PROFILE_STEP, MIN_FACE, 3) + [
        ((sw - x - w, y, w, h), weight)
        for (x, y, w, h), weight in _run(cascades["profile"], mirrored, _PROFILE_STEP, MIN_FACE, 3)
    ]
    for (x, y, w, h), weight in profiles:
        if weight < _PROFILE_MIN_WEIGHT:
            continue
        rect = (round(x * to_small), round(y * to_small), round(w * to_small), round(h * to_small))
        if any(_iou(rect, (f.x, f.y, f.w, f.h)) > 0.2 or _inside(rect, f) for f in faces):
            continue
        faces.append(Face(*rect, score=_score(weight, 0.0), kind="profile"))
    faces = _dedupe(faces)
    back = 1.0 / factor
    return [
        Face(
            round(f.x * back),
            round(f.y * back),
            round(f.w * back),
            round(f.h * back),
            f.score,
            f.kind,
        )
        for f in faces
    ]


def _frontal(
    cascades: dict[str, cv2.CascadeClassifier], gray: Gray, largest: int | None
) -> list[Face]:
    """Frontal faces: the lenient first model, each candidate confirmed by the second."""
    faces = []
    for rect, weight in _run(cascades["default"], gray, _FRONTAL_STEP, MIN_FACE, 2, largest):
        if weight < _FRONTAL_MIN_WEIGHT:
            continue
        confirmed = _confirm(cascades["alt2"], gray, rect)
        if confirmed is not None:
            faces.append(
                Face(*_mean_rect(rect, confirmed), score=_score(weight, 1.0), kind="frontal")
            )
    return faces


def _reduced(gray: Gray, side: int) -> tuple[Gray, float]:
    """The image with its longest side at most ``side``, contrast equalised, and the factor."""
    height, width = gray.shape[:2]
    factor = min(1.0, side / max(height, width))
    small = (
        cv2.resize(
            gray, (round(width * factor), round(height * factor)), interpolation=cv2.INTER_AREA
        )
        if factor < 1.0
        else gray
    )
    return np.asarray(cv2.equalizeHist(small), dtype=np.uint8), factor


def _run(
    cascade: cv2.CascadeClassifier,
    gray: Gray,
    step: float,
    min_size: int,
    neighbours: int,
    max_size: int | None = None,
) -> list[tuple[Rect, float]]:
    rects, _levels, weights = cascade.detectMultiScale3(
        gray,
        scaleFactor=step,
        minNeighbors=neighbours,
        minSize=(min_size, min_size),
        maxSize=(max_size, max_size) if max_size else (0, 0),
        outputRejectLevels=True,
    )
    return [
        ((int(x), int(y), int(w), int(h)), float(weight))
        for (x, y, w, h), weight in zip(rects, np.ravel(weights), strict=False)
    ]


def _confirm(cascade: cv2.CascadeClassifier, gray: Gray, rect: Rect) -> Rect | None:
    """The second frontal model, run only around a candidate (cheap): its box there, or None."""
    x, y, w, h = rect
    pad = w // 2
    left, top = max(0, x - pad), max(0, y - pad)
    crop = gray[top : y + h + pad, left : x + w + pad]
    found = cascade.detectMultiScale(
        crop,
        scaleFactor=1.05,
        minNeighbors=3,
        minSize=(max(12, int(w * 0.6)), max(12, int(h * 0.6))),
        maxSize=(int(w * 1.6) + 1, int(h * 1.6) + 1),
    )
    candidates = [(int(a) + left, int(b) + top, int(c), int(d)) for a, b, c, d in found]
    return _best_overlap(rect, candidates)


def _score(weight: float, bonus: float) -> float:
    """Map a cascade's final-stage margin (and agreement between models) to 0..1."""
    return round(min(1.0, 0.6 + 0.05 * max(0.0, weight) + 0.3 * bonus), 3)


def _iou(a: Rect, b: Rect) -> float:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0, min(ay + ah, by + bh) - max(ay, by))
    inter = ix * iy
    union = aw * ah + bw * bh - inter
    return inter / union if union else 0.0


def _inside(rect: Rect, face: Face) -> bool:
    """The centre of one box lies inside the other."""
    x, y, w, h = rect
    cx, cy = x + w / 2, y + h / 2
    fx, fy = face.x + face.w / 2, face.y + face.h / 2
    return (face.x <= cx <= face.x + face.w and face.y <= cy <= face.y + face.h) or (
        x <= fx <= x + w and y <= fy <= y + h
    )


def _best_overlap(rect: Rect, others: list[Rect]) -> Rect | None:
    best, best_iou = None, 0.3
    for other in others:
        score = _iou(rect, other)
        if score >= best_iou:
            best, best_iou = other, score
    return best


def _mean_rect(a: Rect, b: Rect) -> Rect:
    return (
        round((a[0] + b[0]) / 2),
        round((a[1] + b[1]) / 2),
        round((a[2] + b[2]) / 2),
        round((a[3] + b[3]) / 2),
    )


def _dedupe(faces: list[Face]) -> list[Face]:
    """One box per face: of boxes that overlap, the most confident stays."""
    kept: list[Face] = []
    for face in sorted(faces, key=lambda f: -f.score):
        rect = (face.x, face.y, face.w, face.h)
        if all(_iou(rect, (k.x, k.y, k.w, k.h)) < 0.3 and not _inside(rect, k) for k in kept):
            kept.append(face)
    return kept
