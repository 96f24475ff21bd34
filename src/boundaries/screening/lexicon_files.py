"""The lexicon files shipped in ``screening/lexicons/``: one place that reads them, and the brace
shorthand they share (``fuck{,s,ed}``, ``sir {elton john,david attenborough}``).

Each detector family parses its own line format (rows with ``|`` fields, tagged words, phrases);
what they share, reading the file once and expanding braces, lives here.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

_BRACES = re.compile(r"\{([^{}]*)\}")


@cache
def lexicon_text(name: str) -> str:
    """The text of ``lexicons/<name>`` (read once per process)."""
    return (files("boundaries.screening") / "lexicons" / name).read_text(encoding="utf-8")


def expand(pattern: str) -> list[str]:
    """``fuck{,s,ed}`` -> ``["fuck", "fucks", "fucked"]``; several braces multiply, and spacing
    is tidied. Braces do not nest: nested groups would multiply beyond reason."""
    m = _BRACES.search(pattern)
    if m is None:
        return [" ".join(pattern.split())]
    head, tail = pattern[: m.start()], pattern[m.end() :]
    return [x for alt in m.group(1).split(",") for x in expand(head + alt.strip() + tail)]
