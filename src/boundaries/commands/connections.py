"""`boundaries connections`: audit a platform export against the pupil roster (6.8, 9.1, 6.18).

The export is read in memory and nothing of it is written anywhere. The roster comes from a CSV
file of pupils (``--pupils``, with ``--parents`` for parents and carers) or from a school's
roster in the database (``--school URN``; ``--staff EMAIL`` adds that person's declarations).

Exit codes for ``audit``: 0 nothing needs doing, 1 at least one pupil in scope is connected
and not declared (or declared and not accepted), 64 a usage error (unreadable export or roster,
unknown school or person).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape

from boundaries.commands.common import migrated_session, school_by_urn, usage_error

if TYPE_CHECKING:
    from boundaries.connections.audit import AuditReport, Declared
    from boundaries.connections.matching import Roster

EXIT_ACTION_NEEDED = 1

app = typer.Typer(
    help="Audit a platform export (Facebook, Instagram, X, LinkedIn, TikTok, Snapchat) "
    "against the pupil roster.",
    no_args_is_help=True,
)
out = Console(highlight=False, soft_wrap=not sys.stdout.isatty())


class Format(StrEnum):
    TEXT = "text"
    JSON = "json"


def _read_roster_files(pupils: Path, parents: Path | None) -> tuple[Roster, list[str]]:
    from boundaries.connections.matching import Roster
    from boundaries.connections.roster_source import (
        RosterFileError,
        parents_from_csv,
        pupils_from_csv,
    )
    from boundaries.roster.records import InputFile

    problems: list[str] = []
    try:
        read = pupils_from_csv(InputFile(pupils.name, pupils.read_bytes()))
        problems += read.problems
        found_parents = []
        if parents is not None:
            parent_file = parents_from_csv(InputFile(parents.name, parents.read_bytes()))
            problems += parent_file.problems
            found_parents = parent_file.parents
    except OSError as exc:
        usage_error(f"cannot read {exc.filename}: {exc.strerror}")
    except RosterFileError as exc:
        usage_error(str(exc))
    if not read.pupils:
        usage_error(f"{pupils.name} lists no pupils with a forename and a surname")
    return Roster(pupils=read.pupils, parents=found_parents), problems


def _print_report(report: AuditReport, roster: Roster, problems: list[str]) -> None:
    from boundaries.connections.audit import KIND_LABELS, OUTCOME_LABELS, PLATFORM_LABELS

    platforms = ", ".join(PLATFORM_LABELS.get(p, str(p)) for p in report.platforms) or "no platform"
    out.print(
        f"Checked {_count(report.connections_checked, 'connection')} from {escape(platforms)} "
        f"against {_count(len(roster.pupils), 'pupil')} and "
        f"{_count(len(roster.parents), 'parent or carer', 'parents and carers')}."
    )
    for problem in problems:
        out.print(f"[yellow]Roster:[/] {escape(problem)}")
    if not report.connections_checked and (report.unmatchable or report.problems):
        # X's ids, say: saying "nobody found" would sound like an all-clear.
        out.print("[bold yellow]No connection in this export could be checked by name.[/]")
    elif not report.connections_checked:
        out.print("This export lists no friends, followers or connections.")
    elif not report.findings:
        out.print("[bold green]No pupils or parents found among these connections.[/]")
    for finding in report.findings:
        connection = finding.connection
        shown = connection.name or ""
        if connection.handle:
            shown = f"{shown} (@{connection.handle})" if shown else f"@{connection.handle}"
        platform = PLATFORM_LABELS.get(connection.platform, str(connection.platform))
        out.print()
        out.print(
            f"[bold]{escape(OUTCOME_LABELS[finding.outcome])}[/] · {escape(finding.person_name)} "
            f"({escape(finding.status_label)}) · {finding.strength}, score "
            f"{finding.candidate.score:.2f}"
        )
        out.print(f"  {platform}, {KIND_LABELS[connection.kind]}: {escape(shown)}")
        out.print(f"  Why: {escape(finding.candidate.reason)}")
        for step in finding.next_steps:
            out.print(f"  Next: {escape(step)}")
    out.print()
    for label, count in report.unmatchable.items():
        out.print(f"[yellow]Not matched:[/] {count:,} {escape(label)}.")
    for _file, message in report.problems:
        # Each message names its file already.
        out.print(f"[yellow]Not read:[/] {escape(message)}")
    for note in report.notes:
        out.print(f"[yellow]Note:[/] {escape(note)}")
    counts = "; ".join(
        f"{OUTCOME_LABELS[outcome]} ({report.count(outcome)})"
        for outcome in OUTCOME_LABELS
        if report.count(outcome)
    )
    out.print(f"Totals: {counts or 'nobody found'}. Nothing from the export was stored.")


def _count(number: int, one: str, many: str = "") -> str:
    return f"{number:,} {one if number == 1 else many or one + 's'}"


@app.command("audit")
def audit(
    export: Annotated[
        Path,
        typer.Argument(
            help="The export as the platform gave it (a ZIP), or one connections file from it.",
            dir_okay=False,
        ),
    ],
    pupils: Annotated[
        Path | None,
        typer.Option(
            "--pupils",
            help="A CSV file of pupils from SIMS, Arbor, Bromcom or your own: forename and "
            "surname columns (or one Name column), with date of birth and leaving date if you "
            "have them.",
            dir_okay=False,
        ),
    ] = None,
    parents: Annotated[
        Path | None,
        typer.Option(
            "--parents", help="A CSV file of parents and carers (with --pupils).", dir_okay=False
        ),
    ] = None,
    school: Annotated[
        str | None, typer.Option("--school", help="Use this school's roster (its URN).")
    ] = None,
    staff: Annotated[
        str | None,
        typer.Option(
            "--staff",
            help="With --school: the e-mail of the member of staff whose declarations count.",
        ),
    ] = None,
    declared: Annotated[
        list[str] | None,
        typer.Option(
            "--declared",
            help="The name of someone you have declared (repeat for each); shown as declared.",
        ),
    ] = None,
    output: Annotated[
        Format, typer.Option("--format", help="text for people, json for scripts.")
    ] = Format.TEXT,
    today: Annotated[
        str | None,
        typer.Option("--today", help="The day to work out ages and leavers for (YYYY-MM-DD)."),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option("--url", help="The database URL (with --school).", show_default=False),
    ] = None,
) -> None:
    """Find pupils (and parents) among the connections in a platform export.

    Give the roster as --pupils FILE (a CSV with forename and surname columns, and if you have
    them date of birth and leaving date, so that past pupils under 18 count) or as --school URN.
    Each match shows who it seems to be, how sure the match is, why, and what to do next.
    The export is read in memory and nothing from it is stored.

    Exit codes: 0 nothing needs doing; 1 a pupil in scope is connected and not declared (or the
    declaration was not accepted); 64 the export, the roster or an option cannot be used.
    """
    from boundaries.connections.audit import Declared, audit_export
    from boundaries.connections.model import ExportError

    day = date.today()
    if today is not None:
        try:
            day = date.fromisoformat(today)
        except ValueError:
            usage_error(f"--today {today!r} is not a date: write it as YYYY-MM-DD")
    if (pupils is None) == (school is None):
        usage_error("give the roster: either --pupils FILE or --school URN")
    if parents is not None and pupils is None:
        usage_error("--parents goes with --pupils (with --school the database has the parents)")
    if staff is not None and school is None:
        usage_error("--staff goes with --school")
    if not export.is_file():
        usage_error(f"there is no file {export}")
    by_name = Declared.from_names(declared or [])
    problems: list[str] = []
    if pupils is not None:
        roster, problems = _read_roster_files(pupils, parents)
        found = by_name
    else:
        assert school is not None
        roster, found = _school_roster(school, staff, url, day)
        found = Declared(
            found.pupil_ids, found.contact_ids, {**found.names, **by_name.names}, found.platforms
        )
    try:
        report = audit_export(export, export.name, roster, day, found)
    except ExportError as exc:
        usage_error(str(exc))
    except OSError as exc:
        usage_error(f"cannot read {export}: {exc.strerror}")
    if output is Format.JSON:
        data = report.as_dict()
        data["roster"] = {
            "pupils": len(roster.pupils),
            "parents": len(roster.parents),
            "problems": problems,
        }
        out.print_json(json.dumps(data, ensure_ascii=False))
    else:
        _print_report(report, roster, problems)
    if report.needs_action:
        raise typer.Exit(EXIT_ACTION_NEEDED)


def _school_roster(
    urn: str, staff: str | None, url: str | None, day: date
) -> tuple[Roster, Declared]:
    from sqlalchemy import select

    from boundaries.connections.audit import Declared
    from boundaries.connections.roster_source import declared_by, school_roster
    from boundaries.store import Person

    with migrated_session(url) as session:
        found = school_by_urn(session, urn)
        roster = school_roster(session, found.id, day)
        declared = Declared()
        if staff is not None:
            person = session.scalars(
                select(Person).where(Person.email == staff.strip().lower())
            ).first()
            if person is None:
                usage_error(f"nobody has the e-mail address {staff}")
            declared = declared_by(session, found.id, person.id)
    if not roster.pupils:
        usage_error(f"{found.name} has no pupils on its roster: import them first")
    return roster, declared
