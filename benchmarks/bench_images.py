"""Image screening: speed on 12-megapixel photos, and how well faces and badges are found.

    .venv/bin/python benchmarks/bench_images.py            # everything (about two minutes)
    .venv/bin/python benchmarks/bench_images.py --quick    # fewer photos and conditions

Speed: synthesised 4000 x 3000 JPEG photos (a scene with faces of several sizes, the school's
badge on half of them, EXIF with GPS) are screened step by step on one core (OpenCV limited to one
thread). Times are CPU seconds (os.times), so other work on a shared
machine does not inflate them (Tesseract's CPU time, a child process, is included); wall-clock
figures are printed alongside.

Quality: recall and false alarms of the face detector on scikit-image's bundled public-domain
samples (the astronaut portrait, the cameraman; pictures without people), on the LFW subset that
scikit-image ships (100 face crops, 100 non-face crops, 25 x 25 pixels), and on pictures made here
(the astronaut's face pasted into scenes at many sizes, turned, mirrored, darkened, compressed or
half covered; textures, empty scenes and message screenshots with no face). Badge matching is
measured the same way. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageEnhance

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test-picture builders live in tests/images_support.py

from boundaries.screening.images import SchoolImageProfile, clean_copy, screen_image  # noqa: E402
from boundaries.screening.images.badges import compile_badge, find_badge, photo_features  # noqa: E402
from boundaries.screening.images.faces import Face, detect_faces  # noqa: E402
from boundaries.screening.images.loading import (  # noqa: E402
    ANALYSIS_SIDE,
    load_pixels,
    open_image,
    orient,
)
from boundaries.screening.images.metadata import read_metadata  # noqa: E402
from boundaries.screening.images.ocr import OCR_SIDE, read_text  # noqa: E402
from tests.images_support import (  # noqa: E402
    badge,
    encode,
    gps_exif,
    place_badge,
    random_texture,
    round_badge,
    sample,
    scene,
    screenshot,
    with_faces,
)

T = TypeVar("T")
TRIP = "Year 5 had a brilliant school trip today!"
UNTIED = "screen_image (a)"
TIED = "screen_image (b)"


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Tesseract runs as a child)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class Clock:
    """CPU and wall time per step."""

    def __init__(self) -> None:
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.wall: dict[str, list[float]] = defaultdict(list)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        cpu, wall = _cpu(), time.perf_counter()
        yield
        self.cpu[name].append(_cpu() - cpu)
        self.wall[name].append(time.perf_counter() - wall)

    def run(self, name: str, fn: Callable[[], T]) -> T:
        with self.step(name):
            return fn()


def synthesise_photos(count: int, mark: Image.Image) -> list[bytes]:
    photos = []
    for i in range(count):
        base = scene(4000, 3000, seed=100 + i)
        picture, _ = with_faces(
            base, [(400 + 300 * i, 700, 420), (1700, 800, 300), (2700, 900, 220)]
        )
        if i % 2 == 0:
            picture = place_badge(picture, mark, 3000, 1900, 380, angle=15.0 * i, tilt=0.1)
        photos.append(encode(picture, quality=90, exif=gps_exif(52.0565, -2.7160)))
    return photos


def bench_speed(count: int, ocr_runs: int) -> None:
    cv2.setNumThreads(1)
    mark = badge()
    badge_bytes = encode(mark, "PNG")
    school = SchoolImageProfile(badges=(badge_bytes,), latitude=52.0565, longitude=-2.7160)
    # Another school: its badge is looked for but not there, and it is 5 km away, so nothing ties
    # the photos to it and the small-face pass does not run.
    elsewhere = SchoolImageProfile(
        badges=(encode(round_badge(), "PNG"),), latitude=52.1015, longitude=-2.7160
    )
    compiled = compile_badge(badge_bytes)
    assert compiled is not None
    photos = synthesise_photos(count, mark)
    screen_image(photos[0], ocr=False, school=school)  # warm-up: cascades, badge, pack
    clock = Clock()
    for data in photos:
        image = clock.run("decode", lambda: load_pixels(open_image(data), ANALYSIS_SIDE))  # noqa: B023
        rgb = clock.run("orientation", lambda: orient(image))  # noqa: B023
        with clock.step("faces"):
            gray = cv2.cvtColor(np.asarray(rgb), cv2.COLOR_RGB2GRAY)
            detect_faces(gray)
        with clock.step("badge"):
            points, descriptors, factor = photo_features(gray)
            find_badge(compiled, points, descriptors, factor)
        clock.run("metadata", lambda: read_metadata(image.getexif(), dict(image.info)))  # noqa: B023
        clock.run(UNTIED, lambda: screen_image(data, ocr=False, school=elsewhere))  # noqa: B023
        clock.run(TIED, lambda: screen_image(data, ocr=False, school=school, post_text=TRIP))  # noqa: B023
        with clock.step("faces, small-face pass too"):
            detect_faces(gray, small_faces=True)
        clock.run("clean copy (full size)", lambda: clean_copy(data))  # noqa: B023
    for data in photos[:ocr_runs]:
        rgb = orient(load_pixels(open_image(data), OCR_SIDE))
        clock.run("OCR (photo)", lambda: read_text(rgb))  # noqa: B023
    shot = screenshot(["Did you see the assembly today?", "Yes! Oscar was brilliant"] * 3)
    for _ in range(ocr_runs):
        clock.run("OCR (screenshot 900 px)", lambda: read_text(shot))

    print(f"\n== Speed: {count} synthesised 12-megapixel photos (4000 x 3000 JPEG), one core ==")
    print("screen_image without OCR: (a) nothing ties the photo to the school; (b) tied to it")
    print("(its badge, its position, a school trip post), so the small-face pass runs too")
    print(f"{'step':<28}{'CPU ms (median)':>16}{'CPU ms (max)':>14}{'wall ms (median)':>18}")
    steps = ["decode", "orientation", "faces", "badge", "metadata"]
    shown = [*steps, UNTIED, TIED,
             "faces, small-face pass too", "clean copy (full size)", "OCR (photo)",
             "OCR (screenshot 900 px)"]  # fmt: skip
    for name in shown:
        if name not in clock.cpu:
            continue
        cpu, wall = clock.cpu[name], clock.wall[name]
        print(f"{name:<28}{statistics.median(cpu) * 1000:>16.0f}{max(cpu) * 1000:>14.0f}"
              f"{statistics.median(wall) * 1000:>18.0f}")  # fmt: skip
    total = sum(statistics.median(clock.cpu[s]) for s in steps)
    for label in (UNTIED, TIED):
        whole = statistics.median(clock.cpu[label])
        print(f"{label.strip()}: {whole * 1000:.0f} ms CPU = {1 / whole:.1f} photos per second")
    print(f"sum of the steps (first face pass only): {total * 1000:.0f} ms; target: under 300 ms")


# -- faces ---------------------------------------------------------------------------------------
def _hit(faces: list[Face], box: tuple[int, int, int, int]) -> bool:
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2
    return any(abs(f.x + f.w / 2 - cx) < w / 2 and abs(f.y + f.h / 2 - cy) < h / 2 for f in faces)


def _gray(picture: Image.Image) -> np.ndarray:
    return cv2.cvtColor(np.asarray(picture.convert("RGB")), cv2.COLOR_RGB2GRAY)


def bench_faces(quick: bool) -> None:
    print("\n== Faces: scikit-image's bundled samples ==")
    for name, expected in (
        ("astronaut", "1 frontal face"),
        ("camera", "1 face, turned, in shadow"),
    ):
        found = detect_faces(_gray(sample(name)))
        print(f"{name:<22} has {expected:<28} found {len(found)}")
    no_people = ["coffee", "chelsea", "rocket", "brick", "text", "page", "moon", "horse",
                 "hubble_deep_field", "immunohistochemistry", "logo", "retina", "grass", "gravel",
                 "colorwheel", "clock", "cell", "checkerboard", "microaneurysms"]  # fmt: skip
    alarms = {n: len(detect_faces(_gray(sample(n)))) for n in no_people}
    flagged = {n: c for n, c in alarms.items() if c}
    print(f"{len(no_people)} samples without people: {sum(alarms.values())} false faces "
          f"({', '.join(f'{n}: {c}' for n, c in flagged.items()) or 'none'})")  # fmt: skip
    coins = len(detect_faces(_gray(sample("coins"))))
    print(f"coins (Greek coins, some with portrait heads; not counted either way): {coins} found")

    from skimage import data

    lfw = data.lfw_subset()
    hits = [bool(detect_faces(_lfw(a))) for a in lfw]
    print(f"LFW subset (25 x 25 crops, upscaled to 100 px with a border): faces found "
          f"{sum(hits[:100])}/100, non-faces flagged {sum(hits[100:])}/100")  # fmt: skip

    print("\n== Faces: the astronaut's face pasted into 1600 x 1200 scenes (3 per picture) ==")
    sizes = [20, 28, 36, 48, 64, 96, 160] if not quick else [28, 48, 96]
    print("face width (px, and % of the longest side) -> recall (first pass; with the small-face")
    print("pass that runs when the photo is tied to the school)")
    for width in sizes:
        first, both = _recall(width / 0.71), _recall(width / 0.71, small_faces=True)
        print(f"  {width:>4} px ({100 * width / 1600:4.1f}%): {first:.2f}; {both:.2f}")
    print("conditions (face 120 px) -> recall")
    conditions: dict[str, Callable[[Image.Image], Image.Image]] = {
        "upright": lambda p: p,
        "mirrored": lambda p: p.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
        "darkened to 35%": lambda p: ImageEnhance.Brightness(p).enhance(0.35),
        "low contrast (40%)": lambda p: ImageEnhance.Contrast(p).enhance(0.4),
        "greyscale": lambda p: p.convert("L").convert("RGB"),
        "JPEG quality 20": lambda p: Image.open(__import__("io").BytesIO(encode(p, quality=20))),
        "photo turned 90 degrees": lambda p: p.transpose(Image.Transpose.ROTATE_90),
    }
    for label, change in conditions.items():
        print(f"  {label:<26}{_recall(170, change=change):.2f}")
    for angle in (10, 20, 30, 45) if not quick else (20, 45):
        print(f"  {'face tilted ' + str(angle) + ' degrees':<26}{_recall(170, rotate=angle):.2f}")
    print(f"  {'lower half covered':<26}{_recall(170, cover=True):.2f}")

    print("\n== Faces: pictures made here with no face ==")
    made = (
        [("texture", random_texture(1600, 1200, seed=s)) for s in range(10)]
        + [("scene", scene(1600, 1200, seed=200 + s)) for s in range(10)]
        + [("screenshot", screenshot(["Meeting moved to 3pm", "OK, see you there"] * (1 + s % 3)))
           for s in range(5)]
        + [("badge", badge()), ("badge", round_badge())]
    )  # fmt: skip
    counts: dict[str, list[int]] = defaultdict(list)
    fine: dict[str, list[int]] = defaultdict(list)
    for kind, picture in made:
        counts[kind].append(len(detect_faces(_gray(picture))))
        fine[kind].append(len(detect_faces(_gray(picture), small_faces=True)))
    for kind, found in counts.items():
        print(f"  {len(found)} {kind}s: {sum(found)} false faces "
              f"({sum(fine[kind])} with the small-face pass)")  # fmt: skip


def _lfw(crop: np.ndarray) -> np.ndarray:
    gray = cv2.resize((crop * 255).astype(np.uint8), (100, 100), interpolation=cv2.INTER_CUBIC)
    return cv2.copyMakeBorder(gray, 50, 50, 50, 50, cv2.BORDER_REPLICATE)


def _recall(
    crop_width: float,
    *,
    rotate: float = 0.0,
    change: Callable[[Image.Image], Image.Image] | None = None,
    cover: bool = False,
    pictures: int = 4,
    small_faces: bool = False,
) -> float:
    found = total = 0
    for seed in range(pictures):
        w = round(crop_width)
        places = [(150 + 60 * seed, 250, w), (700, 350 + 40 * seed, w), (1200, 600, w)]
        picture, boxes = with_faces(scene(1600, 1200, seed=300 + seed), places, rotate=rotate)
        if cover:
            draw = ImageDraw.Draw(picture)
            for x, y, bw, bh in boxes:
                draw.rectangle((x, y + bh // 2, x + bw, y + bh), fill=(40, 40, 40))
        if change is not None:
            turned = change(picture)
            if turned.size != picture.size:  # turned a quarter: map the boxes the same way
                boxes = [(y, picture.width - x - bw, bh, bw) for x, y, bw, bh in boxes]
            picture = turned
            if _mirrors(change):
                boxes = [(picture.width - x - bw, y, bw, bh) for x, y, bw, bh in boxes]
        faces = detect_faces(_gray(picture), small_faces=small_faces)
        found += sum(_hit(faces, b) for b in boxes)
        total += len(boxes)
    return found / total


def _mirrors(change: Callable[[Image.Image], Image.Image]) -> bool:
    probe = Image.new("RGB", (2, 1), (0, 0, 0))
    probe.putpixel((0, 0), (255, 255, 255))
    after = change(probe)
    return after.size == (2, 1) and after.convert("RGB").getpixel((1, 0)) == (255, 255, 255)


# -- badges --------------------------------------------------------------------------------------
def bench_badges(quick: bool) -> None:
    mark = badge()
    compiled = compile_badge(encode(mark, "PNG"))
    assert compiled is not None

    def found_in(picture: Image.Image) -> bool:
        points, descriptors, factor = photo_features(_gray(picture))
        return find_badge(compiled, points, descriptors, factor) is not None

    print("\n== Badge: the school's badge placed in 1600 x 1200 scenes ==")
    widths = [50, 70, 100, 150, 250, 450] if not quick else [70, 150, 450]
    angles = [0, 30, 90, 180] if not quick else [0, 90]
    tilts = [0.0, 0.2, 0.35]
    for width in widths:
        row = []
        for tilt in tilts:
            hits = sum(
                found_in(
                    place_badge(scene(1600, 1200, seed=400 + a), mark, 600, 400, width, angle, tilt)
                )
                for a, angle in enumerate(angles)
            )
            row.append(f"slant {tilt:.2f}: {hits}/{len(angles)}")
        print(f"  badge {width:>3} px wide ({100 * width / 1600:4.1f}%): " + "; ".join(row))
    jpeg = place_badge(scene(1600, 1200, seed=450), mark, 500, 500, 200, 20)
    low = Image.open(__import__("io").BytesIO(encode(jpeg, quality=25)))
    print(f"  JPEG quality 25, 200 px, turned 20 degrees: {'found' if found_in(low) else 'missed'}")

    negatives = (
        [sample(n) for n in ("astronaut", "coffee", "chelsea", "rocket", "logo", "text", "page",
                             "brick", "coins", "camera", "hubble_deep_field", "retina")]
        + [random_texture(1600, 1200, seed=s) for s in range(6)]
        + [scene(1600, 1200, seed=500 + s) for s in range(6)]
        + [place_badge(scene(1600, 1200, seed=520), round_badge(), 500, 400, 360)]
    )  # fmt: skip
    alarms = sum(found_in(p) for p in negatives)
    print(f"  {len(negatives)} pictures without the badge (samples, textures, scenes, another "
          f"school's badge): {alarms} false matches")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer photos and conditions")
    parser.add_argument("--speed", action="store_true", help="the speed figures only")
    args = parser.parse_args()
    bench_speed(4 if args.quick else 8, 1 if args.quick else 2)
    if not args.speed:
        bench_faces(args.quick)
        bench_badges(args.quick)


if __name__ == "__main__":
    main()
