"""`boundaries monitoring`: authorisations, log ingest, reports and filtering exports.

A thin edge over :mod:`boundaries.monitoring`, for whoever runs the installation and for logs
too large for the browser. Each command names the person acting (``--by``/``--as``): the same
rules hold as on the web pages (only the headteacher authorises; logs are loaded and reports
run only under an authorisation in force that names the person's role), and the same audit
chain records it. Exit codes: 0 done, 64 a usage error, 77 refused for want of authority (no
authorisation, expired, revoked, role not named, out of scope): the message says which.
"""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from boundaries.commands.common import migrated_session, school_by_urn, usage_error

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from boundaries.monitoring.authorisations import Caller
    from boundaries.store import School

EXIT_REFUSED = 77  # EX_NOPERM from sysexits.h

app = typer.Typer(
    help="`boundaries monitoring`: authorisations, log ingest, reports and filtering exports.",
    no_args_is_help=True,
)
filtering_app = typer.Typer(
    help="The school's allow and block decisions (5.1) and their exports.", no_args_is_help=True
)
app.add_typer(filtering_app, name="filtering")

out = Console(
    highlight=False,
    soft_wrap=not sys.stdout.isatty(),
    width=None if sys.stdout.isatty() else 240,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)

SchoolOption = Annotated[str, typer.Option("--school", help="The school's URN.")]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="The database URL (default: BOUNDARIES_DATABASE_URL, else data/boundaries.sqlite3).",
        show_default=False,
    ),
]
ByOption = Annotated[str, typer.Option("--by", help="The e-mail address of the person acting.")]
AsOption = Annotated[str, typer.Option("--as", help="The e-mail address of the person acting.")]
DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="The data folder (default: the settings' data folder, else ./data).",
        show_default=False,
    ),
]


def refused(message: str) -> NoReturn:
    err.print(f"[red]Refused:[/] {escape(message)}")
    raise typer.Exit(EXIT_REFUSED)


def _caller(session: Session, school: School, email: str) -> Caller:
    from sqlalchemy import func, select

    from boundaries.monitoring.authorisations import caller_for
    from boundaries.store import Person

    person = session.scalars(
        select(Person).where(func.lower(Person.email) == email.strip().lower())
    ).first()
    if person is None:
        usage_error(f"nobody has the e-mail address {email}")
    found = caller_for(session, school, person)
    if not found.roles:
        usage_error(f"{person.name} has no role at {school.name}")
    return found


def _date(text: str | None, option: str) -> date | None:
    from boundaries.registers.training import InvalidDate, parse_optional_date

    try:
        return parse_optional_date(text)
    except InvalidDate as exc:
        usage_error(f"{option}: {exc}")


def data_root(data_dir: Path | None) -> Path:
    """The folder datasets live in: ``monitoring`` in the data folder."""
    if data_dir is None:
        from boundaries.web.settings import load_settings

        try:
            data_dir = Path(getattr(load_settings(), "data_dir", None) or "data")
        except Exception as exc:  # bad settings are the user's to fix, not a crash
            usage_error(f"the settings are not valid: {exc}")
    return data_dir.resolve() / "monitoring"


# -- authorisations ------------------------------------------------------------------------------
@app.command("authorise")
def authorise(
    school: SchoolOption,
    by: ByOption,
    purpose: Annotated[
        str,
        typer.Option(
            help="unauthorised_use, regulatory_compliance, standards_of_service, "
            "prevent_or_detect_crime, protect_the_system or messages_when_away (section 12)."
        ),
    ],
    reason: Annotated[str, typer.Option(help="Why monitoring is needed.")],
    start: Annotated[str, typer.Option("--from", help="First day the logs may cover.")],
    end: Annotated[str, typer.Option("--to", help="Last day the logs may cover.")],
    expires: Annotated[str, typer.Option(help="The last day it may be used.")],
    role: Annotated[
        list[str],
        typer.Option(
            help="A role that may run reports (repeat): headteacher, dsl, hr, it_admin, "
            "trust_admin, trust_hr."
        ),
    ],
    whole_school: Annotated[bool, typer.Option(help="Everyone and every device.")] = False,
    person: Annotated[
        list[str] | None, typer.Option(help="A person in scope, by e-mail (repeat).")
    ] = None,
    device: Annotated[
        list[str] | None, typer.Option(help="A network device in scope, by host name (repeat).")
    ] = None,
    staff_told: Annotated[
        str | None, typer.Option(help="How staff were told that monitoring may happen.")
    ] = None,
    staff_told_on: Annotated[str | None, typer.Option(help="When staff were told.")] = None,
    url: DatabaseOption = None,
) -> None:
    """Record the headteacher's authorisation to monitor (section 12)."""
    from sqlalchemy import func, select

    from boundaries.monitoring import authorisations as auth
    from boundaries.store import Membership, MonitoringPurpose, NetworkDevice, Person

    try:
        chosen = MonitoringPurpose(purpose)
    except ValueError:
        usage_error(
            f"there is no purpose {purpose}; the purposes are: "
            + ", ".join(p.value for p in MonitoringPurpose)
        )
    dates = {
        "--from": _date(start, "--from"),
        "--to": _date(end, "--to"),
        "--expires": _date(expires, "--expires"),
        "--staff-told-on": _date(staff_told_on, "--staff-told-on"),
    }
    with migrated_session(url) as session:
        found = school_by_urn(session, school)
        caller = _caller(session, found, by)
        people: list[int] = []
        for email in person or []:
            pid = session.scalars(
                select(Person.id)
                .join(Membership, Membership.person_id == Person.id)
                .where(func.lower(Person.email) == email.lower(), Membership.school_id == found.id)
            ).first()
            if pid is None:
                usage_error(f"nobody at {found.name} has the e-mail address {email}")
            people.append(pid)
        devices: list[int] = []
        for host in device or []:
            did = session.scalars(
                select(NetworkDevice.id).where(
                    NetworkDevice.school_id == found.id,
                    func.lower(NetworkDevice.hostname) == host.lower(),
                )
            ).first()
            if did is None:
                usage_error(f"{found.name} has no network device called {host}")
            devices.append(did)
        details = auth.AuthorisationDetails(
            purpose=chosen,
            reason=reason,
            whole_school=whole_school,
            people=tuple(people),
            devices=tuple(devices),
            period_start=dates["--from"],
            period_end=dates["--to"],
            expires_on=dates["--expires"],
            staff_told=bool(staff_told),
            staff_told_how=staff_told or "",
            staff_told_on=dates["--staff-told-on"],
            roles=tuple(role),
        )
        try:
            made = auth.authorise(session, found.id, caller, details)
        except auth.InvalidAuthorisation as invalid:
            usage_error(str(invalid))
        session.commit()
        out.print(
            f"Recorded authorisation {made.id} for {escape(found.name)}: "
            f"{auth.PURPOSE_LABELS[made.purpose].lower()}, logs from "
            f"{made.period_start:%d/%m/%Y} to {made.period_end:%d/%m/%Y}, "
            f"expires after {made.expires_on:%d/%m/%Y}."
        )


@app.command("revoke")
def revoke(
    school: SchoolOption,
    by: ByOption,
    authorisation: Annotated[int, typer.Option(help="The authorisation's number.")],
    reason: Annotated[str, typer.Option(help="Why it is being revoked.")],
    url: DatabaseOption = None,
) -> None:
    """Revoke an authorisation: nothing more runs under it."""
    from boundaries.monitoring import authorisations as auth

    with migrated_session(url) as session:
        found = school_by_urn(session, school)
        made = auth.authorisation_in(session, found.id, authorisation)
        if made is None:
            usage_error(f"{found.name} has no authorisation {authorisation}")
        try:
            auth.revoke(session, made, _caller(session, found, by), reason)
        except auth.InvalidAuthorisation as invalid:
            usage_error(str(invalid))
        session.commit()
    out.print(f"Revoked authorisation {authorisation}.")


@app.command("authorisations")
def authorisations(
    school: SchoolOption,
    json_output: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
    url: DatabaseOption = None,
) -> None:
    """List the school's authorisations, newest first, with their status today."""
    from boundaries.monitoring import authorisations as auth
    from boundaries.monitoring.runs import uk_today

    with migrated_session(url) as session:
        found = school_by_urn(session, school)
        today = uk_today()
        rows = [
            {
                "id": a.id,
                "status": auth.status(a, today),
                "purpose": a.purpose.value,
                "authorised_by": a.authorised_by_name,
                "period_start": a.period_start.isoformat(),
                "period_end": a.period_end.isoformat(),
                "expires_on": a.expires_on.isoformat(),
                "whole_school": a.whole_school,
                "roles": auth.roles_named(a),
            }
            for a in auth.school_authorisations(session, found.id)
        ]
    if json_output:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if not rows:
        out.print(f"No authorisations at {escape(found.name)}: no report can run.")
        return
    table = Table(title="Monitoring authorisations", title_justify="left")
    for column in ("number", "status", "purpose", "by", "period", "expires", "roles"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            str(row["id"]),
            str(row["status"]),
            str(row["purpose"]),
            escape(str(row["authorised_by"])),
            f"{_uk(str(row['period_start']))} to {_uk(str(row['period_end']))}",
            _uk(str(row["expires_on"])),
            ", ".join(row["roles"]),  # type: ignore[arg-type]
        )
    out.print(table)


def _uk(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


# -- loading and reports -------------------------------------------------------------------------
@app.command("load")
def load(
    school: SchoolOption,
    as_: AsOption,
    authorisation: Annotated[int, typer.Option(help="The authorisation to load under.")],
    files: Annotated[list[Path], typer.Argument(help="Log files, plain or gzip.")],
    data_dir: DataOption = None,
    url: DatabaseOption = None,
) -> None:
    """Load proxy or filter logs of any size under an authorisation, with a progress bar."""
    from boundaries.monitoring import authorisations as auth
    from boundaries.monitoring import runs

    for path in files:
        if not path.is_file():
            usage_error(f"{path} is not a file")
    root = data_root(data_dir)
    with migrated_session(url) as session:
        found = school_by_urn(session, school)
        caller = _caller(session, found, as_)
        chosen = auth.authorisation_in(session, found.id, authorisation)
        with Progress(
            TextColumn("Reading logs"),
            BarColumn(),
            TextColumn("{task.completed:,} lines"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as progress:
            task = progress.add_task("lines", total=None)

            def advance(lines: int) -> None:
                progress.update(task, completed=lines)

            try:
                dataset = runs.load_logs(
                    session,
                    found.id,
                    caller,
                    chosen,
                    [runs.UploadedFile(path, path.name) for path in files],
                    root,
                    progress=advance,
                )
            except runs.MonitoringRefused as refusal:
                session.commit()  # the refusal is recorded
                refused(refusal.message)
        session.commit()
        out.print(
            f"Loaded logs {dataset.id}: {dataset.lines:,} lines, {dataset.parsed:,} requests "
            f"read, {dataset.malformed:,} not understood."
        )
        for sample in json.loads(dataset.malformed_samples_json)[:5]:
            out.print(
                f"  {escape(sample['file'])} line {sample['line_no']}: {escape(sample['reason'])}"
            )


@app.command("report")
def report(
    school: SchoolOption,
    as_: AsOption,
    dataset: Annotated[int, typer.Option(help="The loaded logs' number.")],
    kind: Annotated[
        str,
        typer.Option(
            help="people, devices, categories, hours, social_in_working_hours, blocked, "
            "top_domains or timeline."
        ),
    ],
    start: Annotated[
        str | None, typer.Option("--from", help="From: 25/11/2026 or '25/11/2026 08:30'.")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--until", help="Until (exclusive), as --from.")
    ] = None,
    moment: Annotated[str | None, typer.Option(help="The timeline's moment, as --from.")] = None,
    window: Annotated[int | None, typer.Option(help="Minutes either side of the moment.")] = None,
    person: Annotated[list[str] | None, typer.Option(help="A person, by e-mail (repeat).")] = None,
    device: Annotated[list[str] | None, typer.Option(help="A device host name (repeat).")] = None,
    category: Annotated[list[str] | None, typer.Option(help="A category (repeat).")] = None,
    domain: Annotated[list[str] | None, typer.Option(help="A domain (repeat).")] = None,
    client: Annotated[list[str] | None, typer.Option(help="A client address (repeat).")] = None,
    blocked: Annotated[str | None, typer.Option(help="yes or no: blocked requests.")] = None,
    social: Annotated[str | None, typer.Option(help="yes or no: social networking.")] = None,
    working_hours: Annotated[
        str | None, typer.Option(help="Working hours as 8-18 (the default).")
    ] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many rows (100).")] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="text, csv, json or pdf.")
    ] = "text",
    output: Annotated[
        Path | None, typer.Option(help="Write to this file (needed for pdf).")
    ] = None,
    engine: Annotated[str, typer.Option(help="duckdb (default) or spark.")] = "duckdb",
    data_dir: DataOption = None,
    url: DatabaseOption = None,
) -> None:
    """Run a report on loaded logs, under their authorisation, and record the run."""
    from boundaries.monitoring import runs
    from boundaries.monitoring.report_forms import parse_filters

    if output_format not in ("text", "csv", "json", "pdf"):
        usage_error("--format must be text, csv, json or pdf")
    if output_format == "pdf" and output is None:
        usage_error("a PDF needs --output FILE")
    if engine not in ("duckdb", "spark"):
        usage_error("--engine must be duckdb or spark")
    values: dict[str, object] = {"kind": kind, "output": "html"}
    for key, text in (("start", start), ("end", end), ("moment", moment)):
        if text:
            day, _, at = text.strip().partition(" ")
            values[key], values[f"{key}_time"] = day, at.strip()
    hours_from, hours_to = "", ""
    if working_hours:
        hours_from, _, hours_to = working_hours.partition("-")
    values.update(
        people=person or [],
        devices=device or [],
        categories=",".join(category or []),
        domains=",".join(domain or []),
        clients=",".join(client or []),
        blocked=blocked or "",
        social=social or "",
        window=str(window) if window is not None else "",
        hours_from=hours_from.strip(),
        hours_to=hours_to.strip(),
        limit=str(limit) if limit is not None else "",
    )
    parsed = parse_filters(values)
    if parsed.errors:
        usage_error("; ".join(f"{key}: {message}" for key, message in parsed.errors.items()))
    assert parsed.kind is not None and parsed.filters is not None
    root = data_root(data_dir)
    with migrated_session(url) as session:
        found = school_by_urn(session, school)
        caller = _caller(session, found, as_)
        loaded = runs.dataset_in(session, found.id, dataset)
        if loaded is None:
            usage_error(f"{found.name} has no loaded logs {dataset}")
        try:
            table, recorded = runs.run(
                session,
                caller,
                loaded,
                parsed.kind,
                parsed.filters,
                output_format,
                root,
                engine=engine,
            )
        except runs.MonitoringRefused as refusal:
            session.commit()  # the refusal is recorded
            refused(refusal.message)
        session.commit()
        if output_format == "pdf":
            assert output is not None
            output.write_bytes(_pdf(session, found, loaded, recorded, table, parsed))
            err.print(f"Wrote {output} (run {recorded.id}).")
            return
    body = _text(table, output_format)
    if output is not None:
        output.write_text(body, encoding="utf-8")
        err.print(f"Wrote {output} (run {recorded.id}).")
    else:
        sys.stdout.write(body)


def _text(table: object, output_format: str) -> str:
    from boundaries.monitoring.report_forms import heading, shown_rows
    from boundaries.monitoring.reports import ReportTable

    assert isinstance(table, ReportTable)
    if output_format == "csv":
        return table.to_csv()
    if output_format == "json":
        return table.to_json() + "\n"
    console = Console(file=io.StringIO(), width=240, highlight=False)
    shown = Table(title_justify="left")
    for column in table.columns:
        shown.add_column(heading(column))
    for row in shown_rows(table):
        shown.add_row(*(escape(v) for v in row))
    console.print(shown)
    assert isinstance(console.file, io.StringIO)
    return console.file.getvalue()


def _pdf(
    session: Session, school: School, dataset: object, run: object, table: object, parsed: object
) -> bytes:
    from boundaries.monitoring.pdf import ReportDocument, report_pdf
    from boundaries.monitoring.report_forms import (
        KIND_LABELS,
        ParsedReport,
        filters_summary,
        heading,
    )
    from boundaries.monitoring.reports import ReportTable
    from boundaries.store import LogDataset, MonitoringAuthorisation, MonitoringRun

    assert isinstance(dataset, LogDataset) and isinstance(run, MonitoringRun)
    assert isinstance(table, ReportTable) and isinstance(parsed, ParsedReport)
    assert parsed.kind is not None and parsed.filters is not None
    authorisation = session.get(MonitoringAuthorisation, dataset.authorisation_id)
    assert authorisation is not None
    return report_pdf(
        ReportDocument(
            school=school,
            authorisation=authorisation,
            dataset=dataset,
            run=run,
            title=KIND_LABELS[parsed.kind],
            filters=filters_summary(session, parsed.filters, parsed.kind),
            table=table,
            headings=[heading(c) for c in table.columns],
        )
    )


# -- filtering -----------------------------------------------------------------------------------
def _decide(school: str, by: str, domain: str, action: str, reason: str, url: str | None) -> None:
    from boundaries.monitoring import filtering as flt
    from boundaries.store import FilteringAction
    from boundaries.web.access import SCHOOL_GRANTS, TRUST_GRANTS, Permission

    allowed = {r.value for r in SCHOOL_GRANTS[Permission.MANAGE_FILTERING]}
    allowed |= {r.value for r in TRUST_GRANTS[Permission.MANAGE_FILTERING]}
    with migrated_session(url) as session:
        found = school_by_urn(session, school)
        caller = _caller(session, found, by)
        if not caller.roles & allowed:
            refused(f"{caller.name}'s role at {found.name} does not include filtering decisions")
        try:
            made = flt.decide(session, found.id, caller, domain, FilteringAction(action), reason)
        except flt.InvalidDecision as invalid:
            usage_error(str(invalid))
        session.commit()
        out.print(f"Recorded: {action} {made.domain} ({escape(made.reason)}).")


DomainArgument = Annotated[str, typer.Argument(help="The site: a domain such as example.com.")]
ReasonOption = Annotated[str, typer.Option(help="Why: the filtering standard asks for it.")]


@filtering_app.command("block")
def block(
    domain: DomainArgument,
    school: SchoolOption,
    by: ByOption,
    reason: ReasonOption,
    url: DatabaseOption = None,
) -> None:
    """Record a decision to block a site and everything under it."""
    _decide(school, by, domain, "block", reason, url)


@filtering_app.command("allow")
def allow(
    domain: DomainArgument,
    school: SchoolOption,
    by: ByOption,
    reason: ReasonOption,
    url: DatabaseOption = None,
) -> None:
    """Record a decision to allow a site and everything under it."""
    _decide(school, by, domain, "allow", reason, url)


EXPORT_FORMATS = ("squid", "squid-blocked", "squid-allowed", "blocked", "allowed")


@filtering_app.command("export")
def export(
    school: SchoolOption,
    export_format: Annotated[
        str,
        typer.Option(
            "--format",
            help="squid (a squid.conf fragment), squid-blocked or squid-allowed (ACL files), "
            "blocked or allowed (plain domain lists).",
        ),
    ] = "squid",
    output: Annotated[Path | None, typer.Option(help="Write to this file.")] = None,
    url: DatabaseOption = None,
) -> None:
    """Export the decisions in force for Squid or as a plain list of domains."""
    from boundaries.monitoring import filtering as flt
    from boundaries.store import FilteringAction

    if export_format not in EXPORT_FORMATS:
        usage_error(f"--format must be one of {', '.join(EXPORT_FORMATS)}")
    with migrated_session(url) as session:
        found = school_by_urn(session, school)
        decisions = flt.current_decisions(session, found.id)
        now = datetime.now(UTC)
        action = FilteringAction.ALLOW if "allowed" in export_format else FilteringAction.BLOCK
        if export_format == "squid":
            body = flt.squid_conf(found, decisions, now)
        elif export_format.startswith("squid-"):
            body = flt.squid_acl_file(found, decisions, action, now)
        else:
            body = flt.domain_list(decisions, action)
    if output is not None:
        output.write_text(body, encoding="utf-8")
        err.print(f"Wrote {output}.")
    else:
        sys.stdout.write(body)
