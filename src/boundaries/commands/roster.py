"""`boundaries roster`: import pupils, staff and parents from the school's MIS, invite staff,
anonymise past pupils.

The database, the mail server and the address used in e-mailed links come from the same
settings as the web app (``BOUNDARIES_*``, ``BOUNDARIES_CONFIG``). Exit codes for ``import``:
0 imported (or, with ``--dry-run``, nothing wrong), 1 problems found in the files (nothing was
changed), 64 a usage error (unknown school, unreadable file or mapping).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from boundaries.commands.common import migrated_session, school_by_urn, usage_error
from boundaries.roster.records import Kind, Source
from boundaries.store import SchoolRole

if TYPE_CHECKING:
    from boundaries.roster.importer import ImportResult
    from boundaries.roster.importer import Progress as ProgressCallback
    from boundaries.roster.records import InputFile
    from boundaries.store import School

EXIT_PROBLEMS = 1
# Files with more rows than this get a progress bar (in a terminal).
_PROGRESS_FROM_BYTES = 200_000

app = typer.Typer(
    help="Rosters from the school's MIS: import pupils, staff and parents; invite staff; "
    "anonymise past pupils.",
    no_args_is_help=True,
)
out = Console(highlight=False, soft_wrap=not sys.stdout.isatty())
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Output(StrEnum):
    TEXT = "text"
    JSON = "json"


class DefaultRole(StrEnum):
    STAFF_TEACHER = "staff_teacher"
    STAFF_SUPPORT = "staff_support"


SchoolOption = Annotated[str, typer.Option("--school", help="The school's URN.")]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="The database URL (default: the web app's settings, BOUNDARIES_DATABASE_URL).",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Output,
    typer.Option("--output", help="text for people, json for scripts (stdout holds only JSON)."),
]


def _input_files(paths: list[Path], source: Source) -> list[InputFile]:
    """The files named, with folders opened (their .json files for Wonde, else .csv and .txt)."""
    from boundaries.roster.records import InputFile

    suffixes = (".json",) if source is Source.WONDE else (".csv", ".txt")
    files: list[InputFile] = []
    for path in paths:
        members = (
            sorted(p for p in path.iterdir() if p.suffix.lower() in suffixes and p.is_file())
            if path.is_dir()
            else [path]
        )
        if path.is_dir() and not members:
            usage_error(f"the folder {path} holds no {' or '.join(suffixes)} files")
        for member in members:
            try:
                files.append(InputFile(member.name, member.read_bytes()))
            except OSError as exc:
                usage_error(f"cannot read {member}: {exc.strerror}")
    return files


def _print_result(result: ImportResult, school: School) -> None:
    what = {"pupils": "pupils", "staff": "staff", "contacts": "parents and carers"}[result.kind]
    table = Table(title=f"{what.capitalize()} for {school.name}", show_header=False)
    table.add_column("", style="bold")
    table.add_column("", justify="right")
    rows = [
        ("Rows read", result.rows),
        ("New", result.created),
        ("Updated", result.updated),
        ("Unchanged", result.unchanged),
        ("Left" if result.kind != "contacts" else "Links removed", result.left),
    ]
    if result.skipped:
        label = (
            "Past pupils already 18, not kept"
            if result.kind == "pupils"
            else "Skipped (left before, or no pupil on the roster)"
        )
        rows.append((label, result.skipped))
    if result.anonymised_pupils or result.anonymised_contacts:
        rows.append(("Past pupils anonymised", result.anonymised_pupils))
        rows.append(("Parents and carers anonymised", result.anonymised_contacts))
    for label, count in rows:
        table.add_row(label, f"{count:,}")
    out.print(table)
    for warning in result.warnings:
        out.print(f"[yellow]Note:[/] {escape(warning)}")
    for error in result.errors:
        out.print(f"[red]Problem:[/] {escape(error.describe())}")
    if result.errors:
        count = len(result.errors)
        out.print(
            f"[bold red]Nothing was changed:[/] fix the {count:,} "
            f"problem{'s' if count != 1 else ''} above and import again."
        )
    elif result.dry_run:
        out.print("[bold]Dry run:[/] nothing was changed. Import again without --dry-run.")
    else:
        out.print("[bold green]Imported.[/]")


@app.command("import")
def import_files(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="The MIS export(s): CSV files, or Wonde JSON pages (files or a folder).",
            exists=True,
        ),
    ],
    school: SchoolOption,
    kind: Annotated[Kind, typer.Option("--kind", help="What the files list.")],
    source: Annotated[
        Source, typer.Option("--format", help="Which system wrote them (mapping: see --mapping).")
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="A YAML file naming which column holds which field (and staff roles).",
            dir_okay=False,
        ),
    ] = None,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="The files list everyone: pupils missing get a leaving date, staff missing "
            "have left (accounts disabled), links missing are removed.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and count, but change nothing.")
    ] = False,
    default_role: Annotated[
        DefaultRole,
        typer.Option(
            "--default-role",
            help="The role of staff whose role column is empty or absent.",
        ),
    ] = DefaultRole.STAFF_SUPPORT,
    output: OutputOption = Output.TEXT,
    url: DatabaseOption = None,
) -> None:
    """Import a roster into one school: every row checked, then all of it applied or none."""
    from boundaries.roster.importer import ImportOptions, import_roster
    from boundaries.roster.presets import MappingError, load_mapping

    try:
        column_mapping = load_mapping(mapping) if mapping is not None else None
        if source is Source.MAPPING and column_mapping is None:
            raise MappingError("--format mapping needs a mapping file (--mapping FILE)")
    except MappingError as exc:
        usage_error(str(exc))
    inputs = _input_files(files, source)
    options = ImportOptions(
        kind=kind,
        source=source,
        full=full,
        dry_run=dry_run,
        mapping=column_mapping,
        default_role=SchoolRole(default_role.value),
    )
    large = sum(len(f.data) for f in inputs) >= _PROGRESS_FROM_BYTES
    with migrated_session(url) as session:
        found = school_by_urn(session, school)
        with _progress(enabled=large and output is Output.TEXT and err.is_terminal) as progress:
            try:
                result = import_roster(session, found, inputs, options, progress=progress)
            except MappingError as exc:
                usage_error(str(exc))
        session.commit()
    if output is Output.JSON:
        out.print_json(json.dumps(result.as_dict()))
    else:
        _print_result(result, found)
    if result.errors:
        raise typer.Exit(EXIT_PROBLEMS)


@contextmanager
def _progress(enabled: bool) -> Iterator[ProgressCallback | None]:
    """A Rich progress bar fed by the importer's (stage, done, total) calls."""
    if not enabled:
        yield None
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = int(bar.add_task(stage, total=total))
        bar.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

    with bar:
        yield update


@app.command("anonymise")
def anonymise(school: SchoolOption, url: DatabaseOption = None) -> None:
    """Anonymise past pupils who are 18 or over (policy 6.8), and parents left with no other
    child; the records' ids are kept."""
    from datetime import date

    from boundaries.roster.retention import anonymise_past_pupils

    with migrated_session(url) as session:
        found = school_by_urn(session, school)
        result = anonymise_past_pupils(session, found.id, date.today())
        session.commit()
    out.print(
        f"{result.pupils} past pupil{'s' if result.pupils != 1 else ''} and "
        f"{result.contacts} parent{'s' if result.contacts != 1 else ''} or carer"
        f"{'s' if result.contacts != 1 else ''} anonymised at {escape(found.name)}."
    )


@app.command("invite")
def invite(
    school: SchoolOption, output: OutputOption = Output.TEXT, url: DatabaseOption = None
) -> None:
    """E-mail imported staff who cannot sign in yet a link to choose a password (valid 7 days);
    nobody is invited twice within a week. Exit 1 if any e-mail could not be sent."""
    from boundaries.mail import mailer_for
    from boundaries.roster.invites import invite_staff
    from boundaries.web.settings import load_settings

    try:
        settings = load_settings()
    except Exception as exc:  # bad settings are the user's to fix, not a crash
        usage_error(f"the settings are not valid: {exc}")
    domains = [domain for provider in settings.oidc for domain in provider.allowed_domains]
    with migrated_session(url or settings.database_url) as session:
        found = school_by_urn(session, school)
        result = invite_staff(
            session, found, mailer_for(settings), settings.base_url, sso_domains=domains
        )
    if output is Output.JSON:
        out.print_json(json.dumps(result.as_dict()))
    else:
        for email in result.invited:
            out.print(f"Invited {escape(email)}")
        for email in result.failed:
            out.print(f"[red]Could not send to[/] {escape(email)}; try again later.")
        out.print(
            f"{len(result.invited)} invited, {len(result.recently_invited)} already invited "
            f"in the last 7 days, {len(result.failed)} could not be sent."
        )
    if result.failed:
        raise typer.Exit(EXIT_PROBLEMS)
