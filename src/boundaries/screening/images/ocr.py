"""Text in the picture, read by Tesseract, with every character traceable to a box.

The words Tesseract reports are joined into lines (a space between words, a newline between
lines), and each word keeps its character range, so a finding of the text screening (a span of
characters) maps back to the boxes of the words it covers: one box per line of the span.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from boundaries.screening.images.result import Box

OCR_SIDE = 2600  # longer pictures are reduced to this side: enough for phone screenshots
MIN_CONFIDENCE = 30.0  # Tesseract's word confidence (0-100): below this it is usually noise
TIMEOUT_S = 30


class OcrUnavailable(RuntimeError):
    """Tesseract is not installed or did not finish; the message says which."""


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    line: tuple[int, int, int]  # (block, paragraph, line) as Tesseract numbers them
    box: Box


@dataclass(frozen=True)
class ReadText:
    text: str
    words: tuple[Word, ...]

    def boxes_for(self, start: int, end: int) -> tuple[Box, ...]:
        """The union of the word boxes the span [start, end) touches, one box per line."""
        lines: dict[tuple[int, int, int], list[Box]] = {}
        for word in self.words:
            if word.start < end and start < word.end:
                lines.setdefault(word.line, []).append(word.box)
        return tuple(union(boxes) for boxes in lines.values())


def union(boxes: list[Box]) -> Box:
    left = min(b.left for b in boxes)
    top = min(b.top for b in boxes)
    right = max(b.right for b in boxes)
    bottom = max(b.bottom for b in boxes)
    return Box(left, top, right - left, bottom - top)


def read_text(image: Image.Image, *, to_display: float = 1.0) -> ReadText:
    """OCR an RGB image; boxes are multiplied by ``to_display`` to give displayed pixels."""
    import pytesseract  # type: ignore[import-untyped]

    factor = min(1.0, OCR_SIDE / max(image.size))
    if factor < 1.0:
        image = image.resize(
            (round(image.width * factor), round(image.height * factor)), Image.Resampling.LANCZOS
        )
    gray = image.convert("L")
    try:
        data = pytesseract.image_to_data(
            gray,
            lang="eng",
            config="--psm 3",
            output_type=pytesseract.Output.DICT,
            timeout=TIMEOUT_S,
        )
    except pytesseract.TesseractNotFoundError:
        raise OcrUnavailable("Tesseract is not installed (make tesseract)") from None
    except RuntimeError as exc:  # pytesseract raises RuntimeError on its timeout
        raise OcrUnavailable(f"Tesseract did not finish in {TIMEOUT_S} s") from exc
    except pytesseract.TesseractError as exc:
        raise OcrUnavailable(f"Tesseract failed: {exc.message}") from None
    scale = to_display / factor
    parts: list[str] = []
    words: list[Word] = []
    pos = 0
    previous_line: tuple[int, int, int] | None = None
    for i, raw in enumerate(data["text"]):
        word = str(raw).strip()
        if not word or float(data["conf"][i]) < MIN_CONFIDENCE:
            continue
        line = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        if previous_line is not None:
            sep = " " if line == previous_line else "\n"
            parts.append(sep)
            pos += len(sep)
        previous_line = line
        box = Box(
            round(int(data["left"][i]) * scale),
            round(int(data["top"][i]) * scale),
            max(1, round(int(data["width"][i]) * scale)),
            max(1, round(int(data["height"][i]) * scale)),
        )
        words.append(Word(pos, pos + len(word), line, box))
        parts.append(word)
        pos += len(word)
    return ReadText("".join(parts), tuple(words))
