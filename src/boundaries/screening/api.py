"""``boundaries.screen``: the one function the CLI, the web app and scripts all call.

``screen(text)`` returns the text's :class:`Result`, as it always has. Given ``images=[...]``
(bytes, paths or ``(filename, bytes)``), it returns a :class:`PostCheck` holding the text's result
and each image's result together; :func:`screen_images` screens pictures alone.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, overload

from boundaries.policy import PolicyPack, load_pack
from boundaries.screening.context import ScreeningContext
from boundaries.screening.engine import Screener
from boundaries.screening.post_check import ImageRefusal, ImageSource, PostCheck, screen_sources
from boundaries.screening.result import Result
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings

if TYPE_CHECKING:
    from boundaries.screening.images import ImageResult, SchoolImageProfile


@overload
def screen(
    text: str,
    context: ScreeningContext | dict[str, Any] | None = None,
    *,
    pack: PolicyPack | None = None,
    settings: ScreeningSettings = DEFAULT_SETTINGS,
    images: None = None,
) -> Result: ...


@overload
def screen(
    text: str,
    context: ScreeningContext | dict[str, Any] | None = None,
    *,
    pack: PolicyPack | None = None,
    settings: ScreeningSettings = DEFAULT_SETTINGS,
    images: Sequence[ImageSource],
    school: SchoolImageProfile | None = None,
    ocr: bool = True,
) -> PostCheck: ...


def screen(
    text: str,
    context: ScreeningContext | dict[str, Any] | None = None,
    *,
    pack: PolicyPack | None = None,
    settings: ScreeningSettings = DEFAULT_SETTINGS,
    images: Sequence[ImageSource] | None = None,
    school: SchoolImageProfile | None = None,
    ocr: bool = True,
) -> Result | PostCheck:
    """Screen ``text`` against the policy and return a :class:`Result`.

    ``context`` is a :class:`ScreeningContext` or a dict in the context JSON layout. Screeners are
    cached per (context, pack, settings), so calling this in a loop does not recompile rosters.

    With ``images`` (the photos or screenshots to be posted with the text), the answer is a
    :class:`PostCheck`: the text's result (None when ``text`` is blank) and each image's
    :class:`~boundaries.screening.images.ImageResult`, or an :class:`ImageRefusal` saying why it
    was not screened. ``school`` gives the school's badges and position; ``ocr=False`` skips
    reading the text in the pictures (faster, but a screenshot naming a pupil is then missed).
    """
    ctx = ScreeningContext.coerce(context)
    if images is None:
        return _screener(ctx, pack, settings).screen(text)
    # The images' own text screening asks for the screener of this very pack object: the same
    # object here means one compiled screener (seconds to build), not two.
    pack = pack or load_pack()
    text_result = _screener(ctx, pack, settings).screen(text) if text.strip() else None
    return PostCheck(
        text_result,
        screen_sources(images, context=ctx, pack=pack, school=school, ocr=ocr, post_text=text),
    )


def screen_images(
    images: Sequence[ImageSource],
    context: ScreeningContext | dict[str, Any] | None = None,
    *,
    pack: PolicyPack | None = None,
    school: SchoolImageProfile | None = None,
    ocr: bool = True,
    post_text: str = "",
) -> tuple[ImageResult | ImageRefusal, ...]:
    """Screen photos or screenshots alone: each one's result, or why it was refused, in order.

    ``post_text`` is the text they will be posted with, which can place a photo in school.
    """
    ctx = ScreeningContext.coerce(context)
    return screen_sources(
        images, context=ctx, pack=pack or load_pack(), school=school, ocr=ocr, post_text=post_text
    )


def screener_for(
    context: ScreeningContext | dict[str, Any] | None = None,
    pack: PolicyPack | None = None,
    settings: ScreeningSettings = DEFAULT_SETTINGS,
) -> Screener:
    """The compiled screener :func:`screen` uses for (context, pack, settings), from its cache:
    for callers that screen many texts, or text and images, in one context."""
    return _screener(ScreeningContext.coerce(context), pack, settings)


_CACHE_SIZE = 16
_cache: OrderedDict[tuple[ScreeningContext, int, ScreeningSettings], tuple[object, Screener]] = (
    OrderedDict()
)
_lock = threading.Lock()


def _screener(
    context: ScreeningContext, pack: PolicyPack | None, settings: ScreeningSettings
) -> Screener:
    """A compiled screener per (context, pack, settings). A pack is keyed by identity (it holds
    lists, so it cannot be hashed); the entry keeps the pack alive, so its id is not reused."""
    key = (context, id(pack), settings)
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] is pack:
            _cache.move_to_end(key)
            return hit[1]
    screener = Screener(pack, context, settings)
    with _lock:
        _cache[key] = (pack, screener)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return screener
