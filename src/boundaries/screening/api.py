"""``boundaries.screen``: the one function the CLI, the web app and scripts all call."""

from __future__ import annotations

from functools import lru_cache
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


@lru_cache(maxsize=16)
def _screener(
    context: ScreeningContext, pack: PolicyPack | None, settings: ScreeningSettings
) -> Screener:
    return Screener(pack, context, settings)
