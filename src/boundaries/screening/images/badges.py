"""The school's badge in a photo: ORB features, Lowe's ratio test and a RANSAC homography.

ORB because it is free of patents, in every OpenCV build and fast (about 20 ms for a reduced
photo); its binary descriptors are rotation-invariant and its image pyramid covers scale. A
badge is compiled at two sizes, so one printed small on a jumper still meets features of its
own size. A match needs a homography with enough inliers that maps the badge to a plausible,
convex quadrilateral: chance matches between unrelated pictures do not agree on one.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from boundaries.screening.images.loading import decode

Gray = npt.NDArray[np.uint8]
Points = npt.NDArray[np.float32]

BADGE_SIDES = (480, 200)  # a badge is compiled at these longest sides
PHOTO_SIDE = 1024  # the photo's longest side for matching
PHOTO_FEATURES = 2000
BADGE_FEATURES = 600
RATIO = 0.8  # Lowe's ratio test
MIN_INLIERS = 15
MIN_INLIER_SHARE = 0.25  # of the matches that passed the ratio test
REPROJECTION_PX = 5.0


@dataclass(frozen=True)
class CompiledBadge:
    points: Points  # keypoint positions in the badge's reference frame (largest size)
    descriptors: npt.NDArray[np.uint8]
    width: int  # the reference frame
    height: int


@dataclass(frozen=True)
class BadgeMatch:
    corners: Points  # the badge's four corners in the photo's pixels (4 x 2)
    inliers: int
    score: float


_cache: OrderedDict[str, CompiledBadge | None] = OrderedDict()
_lock = threading.Lock()


def compile_badge(data: bytes) -> CompiledBadge | None:
    """The badge's features (cached by content); None when it has too few to be found."""
    key = hashlib.sha256(data).hexdigest()
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    compiled = _compile(data)
    with _lock:
        _cache[key] = compiled
        while len(_cache) > 32:
            _cache.popitem(last=False)
    return compiled


def _compile(data: bytes) -> CompiledBadge | None:
    rgb = np.asarray(decode(data, "the badge").frames[0])
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    height, width = gray.shape
    ref_factor = BADGE_SIDES[0] / max(height, width)
    ref_w, ref_h = round(width * ref_factor), round(height * ref_factor)
    orb = cv2.ORB.create(nfeatures=BADGE_FEATURES, scaleFactor=1.2, nlevels=8, edgeThreshold=15)
    all_points: list[Points] = []
    all_desc: list[npt.NDArray[np.uint8]] = []
    for side in BADGE_SIDES:
        factor = side / max(height, width)
        size = (max(8, round(width * factor)), max(8, round(height * factor)))
        resized = cv2.resize(
            gray, size, interpolation=cv2.INTER_AREA if factor < 1 else cv2.INTER_CUBIC
        )
        # A margin lets ORB describe corners at the badge's own edge.
        padded = cv2.copyMakeBorder(resized, 16, 16, 16, 16, cv2.BORDER_REPLICATE)
        keypoints, descriptors = orb.detectAndCompute(padded, None)
        if descriptors is None:
            continue
        pts = np.array([kp.pt for kp in keypoints], dtype=np.float32) - 16.0
        all_points.append(pts * np.float32(ref_w / size[0]))
        all_desc.append(np.asarray(descriptors, dtype=np.uint8))
    if not all_desc or sum(len(d) for d in all_desc) < MIN_INLIERS * 2:
        return None
    return CompiledBadge(np.vstack(all_points), np.vstack(all_desc), ref_w, ref_h)


def photo_features(gray: Gray) -> tuple[Points, npt.NDArray[np.uint8] | None, float]:
    """ORB features of the photo at PHOTO_SIDE, and the factor from the given image's pixels."""
    height, width = gray.shape
    factor = min(1.0, PHOTO_SIDE / max(height, width))
    small = (
        cv2.resize(
            gray, (round(width * factor), round(height * factor)), interpolation=cv2.INTER_AREA
        )
        if factor < 1
        else gray
    )
    orb = cv2.ORB.create(nfeatures=PHOTO_FEATURES, scaleFactor=1.2, nlevels=8, fastThreshold=12)
    keypoints, descriptors = orb.detectAndCompute(small, None)
    points = np.array([kp.pt for kp in keypoints], dtype=np.float32).reshape(-1, 2)
    if descriptors is None:
        return points, None, factor
    return points, np.asarray(descriptors, dtype=np.uint8), factor


def find_badge(
    badge: CompiledBadge, points: Points, descriptors: npt.NDArray[np.uint8] | None, factor: float
) -> BadgeMatch | None:
    """Where the badge is in the photo (in the pixels ``photo_features`` was given), or None."""
    if descriptors is None or len(descriptors) < MIN_INLIERS:
        return None
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    pairs = matcher.knnMatch(badge.descriptors, descriptors, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < RATIO * p[1].distance]
    if len(good) < MIN_INLIERS:
        return None
    src = badge.points[[m.queryIdx for m in good]].reshape(-1, 1, 2)
    dst = points[[m.trainIdx for m in good]].reshape(-1, 1, 2)
    homography, mask = cv2.findHomography(src, dst, cv2.RANSAC, REPROJECTION_PX)
    if homography is None or mask is None:
        return None
    inliers = int(mask.sum())
    if inliers < MIN_INLIERS or inliers < MIN_INLIER_SHARE * len(good):
        return None
    corners = np.array(
        [[0, 0], [badge.width, 0], [badge.width, badge.height], [0, badge.height]], dtype=np.float32
    ).reshape(-1, 1, 2)
    projected = np.asarray(cv2.perspectiveTransform(corners, homography), np.float32).reshape(4, 2)
    if not _plausible(projected, badge):
        return None
    score = min(1.0, 0.6 + 0.02 * inliers)
    return BadgeMatch(np.asarray(projected / factor, dtype=np.float32), inliers, round(score, 3))


def _plausible(quad: Points, badge: CompiledBadge) -> bool:
    """A convex quadrilateral of sensible size and shape: a real view of a flat badge."""
    if not np.all(np.isfinite(quad)):
        return False
    if not cv2.isContourConvex(quad.reshape(-1, 1, 2).astype(np.float32)):
        return False
    area = abs(float(cv2.contourArea(quad)))
    if area < 24 * 24:
        return False
    sides = [float(np.linalg.norm(quad[i] - quad[(i + 1) % 4])) for i in range(4)]
    if min(sides) < 8 or max(sides) / min(sides) > 8 * max(badge.width, badge.height) / min(
        badge.width, badge.height
    ):
        return False
    # Opposite sides of a flat badge seen in perspective stay within a factor of 4 (a view at
    # about 70 degrees from square on); beyond that a "match" is chance points in a line.
    return max(sides[0], sides[2]) < 4 * min(sides[0], sides[2]) and max(
        sides[1], sides[3]
    ) < 4 * min(sides[1], sides[3])
