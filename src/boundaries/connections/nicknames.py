"""Common English forenames and the short forms people go by: Bill for William, Peggy for
Margaret, Alfie for Alfred (lexicons/nicknames.csv, one formal name and one nickname a line).

A nickname can belong to several formal names (Alex: Alexander and Alexandra), so the table
answers "could these two forenames be the same person's?", never "are these two formal names
the same?": Alexander and Alexandra are different people.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

from boundaries.connections.names import joined


@dataclass(frozen=True)
class Nicknames:
    """Folded forenames: formal name to its short forms, and short form to its formal names."""

    short_forms: dict[str, frozenset[str]]
    formal_names: dict[str, frozenset[str]]

    def related(self, one: str, other: str) -> bool:
        """Whether two different folded forenames may name the same person: a formal name and
        one of its short forms, either way round (William, Bill). Two short forms of one formal
        name are not related here: Mia and Amy may both be short for Amelia, but a Mia is not
        an Amy. A name is not related to itself."""
        if one == other:
            return False
        return other in self.short_forms.get(one, ()) or one in self.short_forms.get(other, ())

    def variants(self, name: str) -> frozenset[str]:
        """Every folded forename :meth:`related` to ``name`` (not ``name`` itself)."""
        return self.short_forms.get(name, frozenset()) | self.formal_names.get(name, frozenset())

    def known(self, name: str) -> bool:
        """Whether ``name`` is a forename in the table (formal or short)."""
        return name in self.short_forms or name in self.formal_names


def parse(text: str) -> Nicknames:
    """The table from the CSV text (comment lines start with ``#``; a ``formal`` header)."""
    short: dict[str, set[str]] = {}
    formal: dict[str, set[str]] = {}
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for row in csv.reader(io.StringIO("\n".join(lines))):
        if len(row) != 2 or row[0].strip().lower() == "formal":
            continue
        name, nickname = joined(row[0]), joined(row[1])
        if not name or not nickname or name == nickname:
            continue
        short.setdefault(name, set()).add(nickname)
        formal.setdefault(nickname, set()).add(name)
    return Nicknames(
        short_forms={k: frozenset(v) for k, v in short.items()},
        formal_names={k: frozenset(v) for k, v in formal.items()},
    )


@lru_cache(maxsize=1)
def nicknames() -> Nicknames:
    """The bundled table, read once."""
    data = files("boundaries.connections").joinpath("lexicons", "nicknames.csv")
    return parse(data.read_text("utf-8"))
