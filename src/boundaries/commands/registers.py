"""`boundaries registers`: the registers of phones, training, declarations and network devices,
for whoever runs the installation.

A thin edge over :mod:`boundaries.registers`. Exit codes: 0 done, 1 the data had problems
(an import refused, with every problem listed), 64 a usage error (unknown school, unreadable
file, a date that is not a date).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from boundaries.commands.common import migrated_session, school_by_urn, usage_error

EXIT_DATA = 1

app = typer.Typer(
    help="Registers: staff phones, training, declarations and network devices.",
    no_args_is_help=True,
)
training_app = typer.Typer(help="Assign training and list what is overdue.", no_args_is_help=True)
network_app = typer.Typer(help="The school's network devices.", no_args_is_help=True)
app.add_typer(training_app, name="training")
app.add_typer(network_app, name="network")

# Tables are for people: in a terminal they fit it; piped to a file they are not squeezed to 80
# columns, which would cut IMEIs and e-mail addresses short.
out = Console(
    highlight=False,
    soft_wrap=not sys.stdout.isatty(),
    width=None if sys.stdout.isatty() else 240,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Format(StrEnum):
    TEXT = "text"
    CSV = "csv"
    JSON = "json"


SchoolOption = Annotated[str, typer.Option("--school", help="The school's URN.")]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="The database URL (default: BOUNDARIES_DATABASE_URL, else data/boundaries.sqlite3).",
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", help="A table (text), CSV or JSON on stdout.")
]


def _emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: Format, title: str) -> None:
    if fmt is Format.JSON:
        sys.stdout.write(json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is Format.CSV:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row[k] is None else row[k] for k in columns})
        return
    if not rows:
        out.print(f"{title}: none.")
        return
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column.replace("_", " "))
    for row in rows:
        table.add_row(*(escape(_shown(row[c])) for c in columns))
    out.print(table)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"  # ISO in the data, British on screen
    return str(value)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


# -- phones ------------------------------------------------------------------------------------
@app.command("devices")
def devices(
    school: SchoolOption, format: FormatOption = Format.TEXT, url: DatabaseOption = None
) -> None:
    """List the school's recorded phones (7.5) and who has none."""
    from boundaries.registers.devices import people_without_device, school_devices

    with migrated_session(url) as session:
        school_id = school_by_urn(session, school).id
        rows = [
            {
                "name": r.person.name,
                "email": r.person.email,
                "imei": r.device.imei,
                "make": r.device.make,
                "model": r.device.model,
                "phone_number": r.device.phone_number,
                "status": r.device.status.value,
                "status_date": _iso(r.device.status_date),
            }
            for r in school_devices(session, school_id)
        ]
        missing = people_without_device(session, school_id)
    columns = ("name", "email", "imei", "make", "model", "phone_number", "status", "status_date")
    _emit(rows, columns, format, "Phones recorded")
    if format is Format.TEXT:
        names = ", ".join(p.name for p in missing) or "nobody"
        out.print(f"No phone in use recorded ({len(missing)}): {escape(names)}")


# -- training ----------------------------------------------------------------------------------
@training_app.command("assign")
def training_assign(
    school: SchoolOption,
    course: Annotated[str, typer.Option(help="The course or reading, by name.")],
    due: Annotated[str, typer.Option(help="Due by: 31/12/2026 or 2026-12-31.")],
    role: Annotated[
        str | None, typer.Option(help="Only people with this role (default: everyone).")
    ] = None,
    kind: Annotated[str, typer.Option(help="session or reading.")] = "session",
    notes: Annotated[str | None, typer.Option(help="A note on every record.")] = None,
    url: DatabaseOption = None,
) -> None:
    """Give a course to everyone at the school (or one role), due by a date."""
    from boundaries.registers.training import (
        InvalidDate,
        InvalidTraining,
        assign_training,
        parse_date,
    )
    from boundaries.store import SchoolRole, TrainingKind

    try:
        due_date = parse_date(due)
    except InvalidDate as exc:
        usage_error(f"--due: {exc}")
    try:
        chosen_kind = TrainingKind(kind)
    except ValueError:
        usage_error("--kind must be session or reading")
    chosen_role: SchoolRole | None = None
    if role:
        try:
            chosen_role = SchoolRole(role)
        except ValueError:
            usage_error(
                f"there is no role {role}; the roles are: {', '.join(r.value for r in SchoolRole)}"
            )
    with migrated_session(url) as session:
        school_id = school_by_urn(session, school).id
        try:
            result = assign_training(
                session,
                school_id,
                course=course,
                kind=chosen_kind,
                due_date=due_date,
                role=chosen_role,
                notes=notes,
            )
        except InvalidTraining as invalid:
            usage_error(str(invalid))
        session.commit()
    who = f"everyone with the role {chosen_role.value}" if chosen_role else "everyone"
    out.print(
        f"Assigned “{escape(' '.join(course.split()))}” to {who}, due {due_date:%d/%m/%Y}: "
        f"{result.created} new, {result.already} already had it."
    )


@training_app.command("overdue")
def training_overdue(
    school: SchoolOption, format: FormatOption = Format.TEXT, url: DatabaseOption = None
) -> None:
    """List training whose due date has passed without being done."""
    from boundaries.registers.training import overdue_training

    with migrated_session(url) as session:
        school_id = school_by_urn(session, school).id
        rows = [
            {
                "name": r.person.name,
                "email": r.person.email,
                "course": r.record.course,
                "kind": r.record.kind.value,
                "due_date": _iso(r.record.due_date),
            }
            for r in overdue_training(session, school_id)
        ]
    _emit(rows, ("name", "email", "course", "kind", "due_date"), format, "Overdue training")


# -- declarations ------------------------------------------------------------------------------
@app.command("declarations")
def declarations(
    school: SchoolOption,
    status: Annotated[
        str | None,
        typer.Option(
            help="Only this status: pending, accepted, accepted_with_conditions, not_accepted "
            "or withdrawn."
        ),
    ] = None,
    format: FormatOption = Format.TEXT,
    url: DatabaseOption = None,
) -> None:
    """List the school's declarations (8.8, 9.2, 6.18), oldest waiting first."""
    from boundaries.registers.declarations import declarations_for_review
    from boundaries.store import DeclarationStatus

    chosen: DeclarationStatus | None = None
    if status:
        try:
            chosen = DeclarationStatus(status)
        except ValueError:
            usage_error(
                f"there is no status {status}; the statuses are: "
                + ", ".join(s.value for s in DeclarationStatus)
            )
    with migrated_session(url) as session:
        school_id = school_by_urn(session, school).id
        rows = [
            {
                "id": r.declaration.id,
                "declared_by": r.declarer.name,
                "email": r.declarer.email,
                "with": r.declaration.subject_name,
                "subject": r.declaration.subject.value,
                "platform": r.declaration.platform,
                "nature": r.declaration.nature,
                "since": _iso(r.declaration.since),
                "status": r.declaration.status.value,
                "declared_on": _iso(r.declaration.created_at.date()),
            }
            for r in declarations_for_review(session, school_id, chosen)
        ]
    columns = (
        "id",
        "declared_by",
        "email",
        "with",
        "subject",
        "platform",
        "nature",
        "since",
        "status",
        "declared_on",
    )
    _emit(rows, columns, format, "Declarations")


# -- network devices ---------------------------------------------------------------------------
@network_app.command("import")
def network_import(
    file: Annotated[Path, typer.Argument(help="The CSV file of devices.")],
    school: SchoolOption,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and say what would change.")
    ] = False,
    url: DatabaseOption = None,
) -> None:
    """Import the school's network devices from CSV (hostname, mac, ip, kind, location,
    assigned user e-mail, shared). All or nothing; re-importing updates by host name."""
    from boundaries.registers.network_devices import import_network_devices

    try:
        data = file.read_bytes()
    except OSError as exc:
        usage_error(f"cannot read {file}: {exc.strerror or exc}")
    with migrated_session(url) as session:
        school_id = school_by_urn(session, school).id
        with Progress(
            TextColumn("Checking devices"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as progress:
            task = progress.add_task("rows", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            report = import_network_devices(
                session, school_id, data, dry_run=dry_run, progress=advance
            )
        if dry_run:
            session.rollback()
        else:
            session.commit()  # the devices, or only the log of a refused import
    for note in report.notes:
        err.print(escape(note))
    if report.errors:
        for problem in report.errors:
            err.print(f"[red]{escape(str(problem))}[/]")
        err.print(
            f"[red]Not imported:[/] {len(report.errors)} problem"
            f"{'' if len(report.errors) == 1 else 's'} in {report.rows} rows; nothing has changed."
        )
        raise typer.Exit(EXIT_DATA)
    verb = "Would add" if dry_run else "Added"
    out.print(
        f"{verb} {report.created}, {'would update' if dry_run else 'updated'} {report.updated}, "
        f"{report.unchanged} unchanged ({report.rows} rows)."
        + (" Nothing has been changed (dry run)." if dry_run else "")
    )


@network_app.command("list")
def network_list(
    school: SchoolOption, format: FormatOption = Format.TEXT, url: DatabaseOption = None
) -> None:
    """List the school's network devices."""
    from boundaries.registers.network_devices import school_network_devices

    with migrated_session(url) as session:
        school_id = school_by_urn(session, school).id
        rows = [
            {
                "hostname": d.hostname,
                "mac": d.mac,
                "ip": d.ip,
                "kind": d.kind,
                "location": d.location,
                "assigned_to": p.email if p else None,
                "shared": d.shared,
            }
            for d, p in school_network_devices(session, school_id)
        ]
    columns = ("hostname", "mac", "ip", "kind", "location", "assigned_to", "shared")
    _emit(rows, columns, format, "Network devices")
