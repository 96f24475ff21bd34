"""`boundaries reports`: the governors' report (text, CSV or PDF) for a school or a trust, and
the subject access export for one person.

Usage errors (an unknown URN, trust or e-mail; a PDF with nowhere to go) exit 64, as every
other command's do.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boundaries.reports.governors import (
    NO_EDITION,
    PolicyStatus,
    SchoolReport,
    TrustReport,
    school_report,
    trust_report,
    uk_today,
)
from boundaries.reports.pdf import uk_date
from boundaries.store import Person, School, Trust, create_db_engine, session_factory

app = typer.Typer(
    help="Reports: the governors' report and subject access exports.", no_args_is_help=True
)


class ReportFormat(StrEnum):
    TEXT = "text"
    CSV = "csv"
    PDF = "pdf"


DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="The database URL (default: BOUNDARIES_DATABASE_URL, else data/boundaries.sqlite3).",
        show_default=False,
    ),
]


def _usage(message: str) -> NoReturn:
    # Imported here: boundaries.cli imports this module while it is still being set up.
    from boundaries.cli import UsageProblem

    raise UsageProblem(message)


def _school_by_urn(session: Session, urn: str) -> School:
    school = session.scalars(select(School).where(School.urn == urn.strip())).one_or_none()
    if school is None:
        _usage(f"no school has the URN {urn}")
    return school


def _trust_by_name(session: Session, name: str) -> Trust:
    trust = session.scalars(
        select(Trust).where(func.lower(Trust.name) == name.strip().lower())
    ).one_or_none()
    if trust is None:
        _usage(f"no trust is called {name}")
    return trust


# -- text ----------------------------------------------------------------------------------------


def _policy_lines(policy: PolicyStatus) -> list[str]:
    if policy.in_boundaries:
        version = policy.version or "edition without a number"
        edition = f"{version}, published {uk_date(policy.published_at)}"
    else:
        edition = f"{NO_EDITION}: the model policy applies"
    if policy.review_date is None:
        review = "no review date is set"
    else:
        state = (
            "passed: the policy is due for review" if policy.review_passed else "not yet reached"
        )
        review = f"{uk_date(policy.review_date)} ({state})"
    return [f"  Edition in force: {edition}", f"  Review date: {review}"]


def school_text(report: SchoolReport) -> str:
    """The school's report as plain text, for a terminal or a file."""
    a = report.acknowledgements
    lines = [
        f"Governors' report: {report.school_name} (URN {report.urn}), {uk_date(report.today)}",
        "",
        "Policy",
        *_policy_lines(report.policy),
        "",
        f"Policy acknowledgements: {a.acknowledged} of {a.people} ({a.percent_text})",
        f"  {'Group':<16}{'People':>8}{'Acknowledged':>14}{'Completion':>12}",
        *(
            f"  {g.label:<16}{g.people:>8}{g.acknowledged:>14}{g.percent_text:>12}"
            for g in report.groups
        ),
        "",
        "Declarations",
        f"  Awaiting a decision: {report.declarations_open}"
        + (
            f" (the oldest made on {uk_date(report.oldest_open_declaration)})"
            if report.oldest_open_declaration
            else ""
        ),
        f"  Made in all: {report.declarations_total}",
        "",
        "Training",
        f"  Overdue: {report.training_overdue} (for {report.people_with_overdue_training} "
        f"{'person' if report.people_with_overdue_training == 1 else 'people'})",
        *(f"    {c.course}: {c.overdue}" for c in report.overdue_by_course),
        f"  Not yet due: {report.training_not_yet_due}",
        f"  Completed: {report.training_completed}",
        "",
        "Devices",
        f"  Staff: {report.staff}",
        f"  Staff with no phone recorded: {report.devices_unrecorded}",
        f"  Phones reported lost or stolen: {report.devices_lost_or_stolen}",
    ]
    return "\n".join(lines) + "\n"


def trust_text(report: TrustReport) -> str:
    """The trust's report as plain text: a row per school, then the totals."""
    t = report.totals
    width = max([len(s.school_name) for s in report.schools] + [len("All schools"), 6]) + 2
    header = (
        f"  {'School':<{width}}{'Acknowledged':>22}{'Declarations':>14}"
        f"{'Overdue training':>18}{'No phone':>10}  Review date"
    )

    def row(name: str, ack: str, declarations: int, training: int, phones: str, review: str) -> str:
        return f"  {name:<{width}}{ack:>22}{declarations:>14}{training:>18}{phones:>10}  {review}"

    lines = [
        f"Governors' report: {report.trust_name}, {uk_date(report.today)}",
        f"{t.schools} {'school' if t.schools == 1 else 'schools'}",
        "",
        header,
    ]
    for s in report.schools:
        a = s.acknowledgements
        review = uk_date(s.policy.review_date) if s.policy.review_date else "not set"
        if s.policy.review_passed:
            review += " (passed)"
        if not s.policy.in_boundaries:
            review += f"; {NO_EDITION.lower()}"
        lines.append(
            row(
                s.school_name,
                f"{a.acknowledged} of {a.people} ({a.percent_text})",
                s.declarations_open,
                s.training_overdue,
                f"{s.devices_unrecorded} of {s.staff}",
                review,
            )
        )
    lines.append(
        row(
            "All schools",
            f"{t.acknowledged} of {t.people} ({t.percent_text})",
            t.declarations_open,
            t.training_overdue,
            f"{t.devices_unrecorded} of {t.staff}",
            f"{t.reviews_passed} passed",
        )
    )
    return "\n".join(lines) + "\n"


# -- commands ------------------------------------------------------------------------------------


def _write(output: Path | None, data: str | bytes) -> None:
    if output is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data.removeprefix("\ufeff"))  # no byte-order mark in a pipe
        sys.stdout.flush()
        return
    try:
        if isinstance(data, bytes):
            output.write_bytes(data)
        else:
            output.write_text(data, encoding="utf-8", newline="")
    except OSError as exc:
        _usage(f"cannot write {output}: {exc.strerror}")


@app.command("governors")
def governors(
    school: Annotated[
        str | None, typer.Option("--school", help="The school's URN.", show_default=False)
    ] = None,
    trust: Annotated[
        str | None,
        typer.Option(
            "--trust", help="The trust's name: a report on every school in it.", show_default=False
        ),
    ] = None,
    format: Annotated[
        ReportFormat, typer.Option("--format", help="text, csv or pdf (pdf needs --output).")
    ] = ReportFormat.TEXT,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write to this file.", dir_okay=False, show_default=False
        ),
    ] = None,
    policy: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            help="The policy pack in force where a school has published no edition "
            "(default: the bundled model policy).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    url: DatabaseOption = None,
) -> None:
    """The governors' report for one school (--school URN) or for a trust (--trust NAME)."""
    from boundaries.policy import PolicyError, load_pack
    from boundaries.reports.exports import school_csv, trust_csv
    from boundaries.reports.pdf import school_report_pdf, trust_report_pdf

    if (school is None) == (trust is None):
        _usage("give either --school URN or --trust NAME")
    if format is ReportFormat.PDF and output is None:
        _usage("--format pdf needs --output FILE")
    try:
        pack = load_pack(policy)
    except PolicyError as exc:
        _usage(str(exc))
    today = uk_today()
    engine = create_db_engine(url)
    try:
        with session_factory(engine)() as session:
            data: str | bytes
            if school is not None:
                found = _school_by_urn(session, school)
                report = school_report(session, found.id, today, fallback_pack=pack)
                if format is ReportFormat.TEXT:
                    data = school_text(report)
                elif format is ReportFormat.CSV:
                    data = school_csv(report)
                else:
                    data = school_report_pdf(report)
            else:
                assert trust is not None
                group = _trust_by_name(session, trust)
                whole = trust_report(session, group.id, today, fallback_pack=pack)
                if format is ReportFormat.TEXT:
                    data = trust_text(whole)
                elif format is ReportFormat.CSV:
                    data = trust_csv(whole)
                else:
                    data = trust_report_pdf(whole)
    finally:
        engine.dispose()
    _write(output, data)
    if output is not None:
        typer.echo(f"Wrote {output}.", err=True)


@app.command("subject-access")
def subject_access(
    email: Annotated[str, typer.Argument(help="The e-mail address of the person who asked.")],
    school: Annotated[str, typer.Option("--school", help="The school's URN.", show_default=False)],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="The ZIP file to write.", dir_okay=False, show_default=False
        ),
    ],
    url: DatabaseOption = None,
) -> None:
    """Export everything held about one person in a school, for a subject access request.

    Writes a ZIP of JSON files (one per category) with a readable PDF summary.
    """
    from boundaries.reports.pdf import subject_access_pdf
    from boundaries.reports.subject_access import NotInSchool, collect, to_zip

    engine = create_db_engine(url)
    try:
        with session_factory(engine)() as session:
            found = _school_by_urn(session, school)
            person = session.scalars(
                select(Person).where(Person.email == email.strip().lower())
            ).one_or_none()
            if person is None:
                _usage(f"nobody has the e-mail address {email}")
            try:
                export = collect(session, found.id, person.id, datetime.now(UTC))
            except NotInSchool:
                _usage(f"{person.email} has no role in {found.name}")
    finally:
        engine.dispose()
    data = to_zip(export, subject_access_pdf(export))
    _write(output, data)
    records = sum(len(c.records) for c in export.categories)
    typer.echo(
        f"Wrote {output}: {len(export.categories)} categories, {records} records and a PDF summary."
    )
