"""`boundaries cases`: verify the audit chain and evidence, bundles and retention.

A thin edge over :mod:`boundaries.cases`. Exit codes: 0 all holds (or done), 1 something does
not hold (verify names the first break of each chain and each missing or altered file), 64 a
usage error (unknown school or case, unreadable retention file).
"""

from __future__ import annotations

import getpass
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from boundaries.commands.common import migrated_session, school_by_urn, usage_error

if TYPE_CHECKING:
    from boundaries.cases.trail import Actor

EXIT_BROKEN = 1

app = typer.Typer(
    help="`boundaries cases`: verify the audit chain and evidence, bundles and retention.",
    no_args_is_help=True,
)
# No emoji codes: a chain is named "cases:school:12", which Rich would turn into a picture.
out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="The database URL (default: BOUNDARIES_DATABASE_URL, else data/boundaries.sqlite3).",
        show_default=False,
    ),
]
SchoolOption = Annotated[
    str | None, typer.Option("--school", help="Only this school (its URN).", show_default=False)
]


def _command_actor(what: str) -> Actor:
    from boundaries.cases.trail import Actor

    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container): say so, do not crash
        user = "unknown user"
    return Actor(None, f"boundaries cases {what} (command line, {user})")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


@app.command("verify")
def verify(school: SchoolOption = None, url: DatabaseOption = None) -> None:
    """Recompute every case audit chain and every evidence file's SHA-256; name what breaks."""
    from boundaries.cases.vault import vault_from_settings
    from boundaries.cases.verify import count_work, verify_cases

    vault = vault_from_settings()
    started = time.perf_counter()
    with migrated_session(url) as session:
        school_id = school_by_urn(session, school).id if school else None
        entries, files = count_work(session, school_id)
        with _progress() as progress:
            tasks = {
                "entries": progress.add_task("Audit entries", total=entries),
                "files": progress.add_task("Evidence files", total=files),
            }

            def advance(what: str, done: int) -> None:
                progress.advance(tasks[what], done)

            report = verify_cases(session, vault, school_id, progress=advance)
    elapsed = time.perf_counter() - started
    summary = (
        f"{report.entries_checked:,} audit entries in {len(report.chains)} chain"
        f"{'' if len(report.chains) == 1 else 's'} and {report.files_checked:,} evidence files "
        f"in {elapsed:.2f} s ({vault.describe()})"
    )
    if report.ok:
        out.print(f"All holds: {summary}.")
        return
    for line in report.lines():
        err.print(f"[red]{escape(line)}[/]")
    broken = len(report.broken_chains)
    err.print(
        f"[red]Does not hold:[/] {broken} broken chain{'' if broken == 1 else 's'}, "
        f"{len(report.evidence_problems)} evidence problem"
        f"{'' if len(report.evidence_problems) == 1 else 's'}; checked {escape(summary)}."
    )
    raise typer.Exit(EXIT_BROKEN)


@app.command("purge")
def purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only list what would be purged; change nothing.")
    ] = False,
    school: SchoolOption = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="A TOML file of retention periods by outcome ([periods] table).",
            show_default=False,
        ),
    ] = None,
    url: DatabaseOption = None,
) -> None:
    """Purge closed cases past their retention period (never open ones or those on hold)."""
    from boundaries.cases import retention
    from boundaries.cases.vault import LocalVault, vault_from_settings
    from boundaries.store import Case

    periods = dict(retention.DEFAULT_PERIODS)
    if config is not None:
        try:
            periods = retention.load_periods(config)
        except retention.RetentionConfigError as exc:
            usage_error(str(exc))
    vault = vault_from_settings()
    now = datetime.now(UTC)
    actor = _command_actor("purge")
    if isinstance(vault, LocalVault) and not dry_run:
        swept = vault.sweep_abandoned()
        if swept:
            out.print(
                f"Removed {swept} unfinished upload{'' if swept == 1 else 's'} (over a day old)."
            )
    with migrated_session(url) as session:
        school_id = school_by_urn(session, school).id if school else None
        due = [c for c in retention.review(session, now, periods, school_id=school_id) if c.due]
        if not due:
            out.print("Nothing is due for purging.")
            return
        for candidate in due:
            out.print(f"Case {candidate.case_id}: {escape(candidate.why)}")
        if dry_run:
            out.print(f"Would purge {len(due)} case{'' if len(due) == 1 else 's'} (dry run).")
            return
        done = 0
        with _progress() as progress:
            task = progress.add_task("Purging", total=len(due))
            for candidate in due:
                case = session.get(Case, candidate.case_id)
                if case is not None:
                    retention.purge_case(session, vault, case, actor, now, periods)
                    done += 1
                progress.advance(task)
    out.print(f"Purged {done} case{'' if done == 1 else 's'}; each left a purge record.")


@app.command("bundle")
def bundle(
    case_id: Annotated[int, typer.Argument(help="The case's number.")],
    out_dir: Annotated[Path, typer.Option("--out", help="The folder to write the bundle into.")],
    url: DatabaseOption = None,
) -> None:
    """Write the case bundle PDF and the ZIP of originals (with SHA256SUMS) into a folder."""
    from boundaries.cases.bundle import load_bundle, render_pdf, write_zip
    from boundaries.cases.trail import record
    from boundaries.cases.vault import vault_from_settings
    from boundaries.store import Case

    vault = vault_from_settings()
    actor = _command_actor("bundle")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        usage_error(f"cannot make {out_dir}: {exc.strerror or exc}")
    with migrated_session(url) as session:
        case = session.get(Case, case_id) if 0 < case_id < 2**31 else None
        if case is None:
            usage_error(f"there is no case {case_id}")
        record(session, case, actor, "case.exported", {"format": "pdf+zip", "via": "command"})
        session.commit()
        loaded = load_bundle(session, vault, case, actor.name)
        pdf = render_pdf(loaded)
        pdf_path = out_dir / f"case-{case.id}-bundle.pdf"
        zip_path = out_dir / f"case-{case.id}-originals.zip"
        pdf_path.write_bytes(pdf)
        with zip_path.open("wb") as handle:
            manifest = write_zip(loaded, vault, handle, pdf=pdf)
    out.print(f"Wrote {pdf_path} and {zip_path} ({len(manifest)} files in SHA256SUMS).")
    if sys.stdout.isatty():
        out.print("Check the originals with: unzip the ZIP, then sha256sum -c SHA256SUMS")


@app.command("overdue")
def overdue(school: SchoolOption = None, url: DatabaseOption = None) -> None:
    """E-mail the person each overdue case task falls to (once per task), naming only the case's
    link and the deadline, never its details. Run it daily, for example from cron."""
    from pydantic import ValidationError

    from boundaries.cases.tasks import send_overdue_alerts
    from boundaries.mail import mailer_for
    from boundaries.web.settings import load_settings

    try:
        settings = load_settings()
    except (ValidationError, FileNotFoundError, ValueError) as exc:
        usage_error(f"the settings are not valid: {exc}")
    with migrated_session(url or settings.database_url) as session:
        school_id = school_by_urn(session, school).id if school else None
        done = send_overdue_alerts(
            session, mailer_for(settings), settings.base_url, school_id=school_id
        )
    out.print(f"Overdue tasks chased: {len(done)}.")
