"""Installation settings for screening (as opposed to the per-school context)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

BLOCKLISTS_ENV = "BOUNDARIES_BLOCKLISTS"


@dataclass(frozen=True)
class ScreeningSettings:
    """``blocklists`` is a folder in the UT1 blacklist layout (``CATEGORY/domains``);
    ``blocked_categories`` names the categories the school blocks (None: every category in the
    folder). With no folder, no site is blocked: the default, since the policy leaves it to the
    school."""

    blocklists: Path | None = None
    blocked_categories: tuple[str, ...] | None = None

    @classmethod
    def from_env(cls) -> ScreeningSettings:
        """``BOUNDARIES_BLOCKLISTS=/path/to/ut1`` or ``/path/to/ut1:gambling,dating``."""
        value = os.environ.get(BLOCKLISTS_ENV, "").strip()
        if not value:
            return cls()
        folder, _, cats = value.partition(":")
        categories = tuple(c.strip() for c in cats.split(",") if c.strip()) or None
        return cls(Path(folder), categories)

    def problems(self) -> list[str]:
        """What is wrong with these settings, in words; empty when they can be used.

        A blocklist folder that is missing, or a category it lacks, would otherwise mean links
        go unchecked without anyone knowing."""
        if self.blocklists is None:
            return []
        if not self.blocklists.is_dir():
            return [f"the blocklist folder {self.blocklists} ({BLOCKLISTS_ENV}) does not exist"]
        found = {p.parent.name for p in self.blocklists.glob("*/domains")}
        if not found:
            return [f"the blocklist folder {self.blocklists} has no CATEGORY/domains lists"]
        missing = sorted(set(self.blocked_categories or ()) - found)
        return [
            f"the blocklist folder {self.blocklists} has no category '{name}' "
            f"(it has {', '.join(sorted(found))})"
            for name in missing
        ]


DEFAULT_SETTINGS = ScreeningSettings()
