"""``boundaries.screen``: the one function the CLI, the web app and scripts all call."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from boundaries.policy import PolicyPack
from boundaries.screening.context import ScreeningContext
from boundaries.screening.engine import Screener
from boundaries.screening.result import Result
from boundaries.screening.settings import DEFAULT_SETTINGS, ScreeningSettings


def screen(
    text: str,
    context: ScreeningContext | dict[str, Any] | None = None,
    *,
    pack: PolicyPack | None = None,
    settings: ScreeningSettings = DEFAULT_SETTINGS,
) -> Result:
    """Screen ``text`` against the policy and return a :class:`Result`.

    ``context`` is a :class:`ScreeningContext` or a dict in the context JSON layout. Screeners are
    cached per (context, pack, settings), so calling this in a loop does not recompile rosters.
    """
    ctx = ScreeningContext.coerce(context)
    return _screener(ctx, pack, settings).screen(text)


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
