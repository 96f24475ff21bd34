"""Year groups named in text ("Year 6", "year10", "Y6", "yr 10"): the regex fragments the
detectors share, so the concept has one definition. Lower-case fragments: callers compile them
with re.IGNORECASE or search doc.lower. Deliberately no imports, so any module can use it."""

from __future__ import annotations

# "Year 6", "year10", "y6" (no space after the bare "y"), no plural: a pupil's year group.
YEAR_NUMBERED = r"(?:year\s?\d{1,2}|y\d{1,2})"

# The same, plus the years before Year 1: "in Reception", "our nursery TA".
YEAR_OR_EARLY = rf"(?:{YEAR_NUMBERED}|reception|nursery)"

# One word: "y6", "yr10", "year6s" (a token, so no space; plural allowed).
YEAR_WORD = r"(?:year|yr|y)\d{1,2}s?"

# Any spelling with an optional space: "yr 10", "y 6" too, for phrases that already need a
# child word around it ("a Year 4 boy", "one of my Y6s").
YEAR_ANY_SPACED = r"(?:year|yr|y)\s?\d{1,2}"
