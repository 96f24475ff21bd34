"""The governors' report as CSV: one row per school, the same columns for a school and a trust.

A trust's file has a row for each school and a last row, "All schools", with the totals, so
that one spreadsheet can take either. Dates are ISO 8601, booleans "yes"/"no", percentages to
one decimal place. The file starts with a byte-order mark because Excel, which most schools
open it in, otherwise misreads any accented name.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date

from boundaries.reports.governors import ROLE_GROUPS, SchoolReport, TrustReport

BOM = "\ufeff"
HEADER: tuple[str, ...] = (
    "school",
    "urn",
    "report_date",
    "edition_in_boundaries",
    "policy_version",
    "policy_published_on",
    "policy_review_date",
    "policy_review_passed",
    "people",
    "acknowledged",
    "acknowledged_percent",
    *(f"{group.key}_{what}" for group in ROLE_GROUPS for what in ("people", "acknowledged")),
    "declarations_open",
    "oldest_open_declaration",
    "training_overdue",
    "people_with_overdue_training",
    "staff",
    "devices_unrecorded",
    "devices_lost_or_stolen",
)
TOTALS_LABEL = "All schools"
# A cell a spreadsheet would take for a formula ("=HYPERLINK(...)" in a school's name).
_FORMULA = re.compile(r"^[=+\-@\t\r]")


def _text(value: str) -> str:
    return "'" + value if _FORMULA.match(value) else value


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _iso(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _percent(acknowledged: int, people: int) -> str:
    return f"{100 * acknowledged / people:.1f}" if people else ""


def school_row(report: SchoolReport) -> list[str]:
    policy = report.policy
    groups = {c.key: c for c in report.groups}
    return [
        _text(report.school_name),
        _text(report.urn),
        report.today.isoformat(),
        _yes_no(policy.in_boundaries),
        _text(policy.version or ""),
        _iso(policy.published_at.date() if policy.published_at else None),
        _iso(policy.review_date),
        _yes_no(policy.review_passed),
        str(report.acknowledgements.people),
        str(report.acknowledgements.acknowledged),
        _percent(report.acknowledgements.acknowledged, report.acknowledgements.people),
        *(
            str(value)
            for group in ROLE_GROUPS
            for value in (groups[group.key].people, groups[group.key].acknowledged)
        ),
        str(report.declarations_open),
        _iso(report.oldest_open_declaration),
        str(report.training_overdue),
        str(report.people_with_overdue_training),
        str(report.staff),
        str(report.devices_unrecorded),
        str(report.devices_lost_or_stolen),
    ]


def totals_row(report: TrustReport) -> list[str]:
    schools = report.schools
    totals = report.totals

    def group_sum(key: str, what: str) -> int:
        return sum(getattr(c, what) for s in schools for c in s.groups if c.key == key)

    oldest = [s.oldest_open_declaration for s in schools if s.oldest_open_declaration]
    return [
        TOTALS_LABEL,
        "",
        report.today.isoformat(),
        # Per-school facts (edition, review date) do not add up: the trust page counts them.
        "",
        "",
        "",
        "",
        "",
        str(totals.people),
        str(totals.acknowledged),
        _percent(totals.acknowledged, totals.people),
        *(
            str(group_sum(group.key, what))
            for group in ROLE_GROUPS
            for what in ("people", "acknowledged")
        ),
        str(totals.declarations_open),
        _iso(min(oldest) if oldest else None),
        str(totals.training_overdue),
        str(sum(s.people_with_overdue_training for s in schools)),
        str(totals.staff),
        str(totals.devices_unrecorded),
        str(sum(s.devices_lost_or_stolen for s in schools)),
    ]


def _write(rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return BOM + buffer.getvalue()


def school_csv(report: SchoolReport) -> str:
    """One school's report: the header and one row."""
    return _write([school_row(report)])


def trust_csv(report: TrustReport) -> str:
    """A trust's report: the header, a row per school, and the totals row."""
    return _write([*(school_row(s) for s in report.schools), totals_row(report)])


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "report"


def school_filename(report: SchoolReport, extension: str) -> str:
    """``governors-report-900101-2026-11-25.csv``: the URN and the ISO date."""
    return f"governors-report-{_slug(report.urn)}-{report.today.isoformat()}.{extension}"


def trust_filename(report: TrustReport, extension: str) -> str:
    """``governors-report-westvale-learning-trust-2026-11-25.pdf``."""
    return f"governors-report-{_slug(report.trust_name)}-{report.today.isoformat()}.{extension}"
