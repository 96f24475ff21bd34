"""`boundaries editions`: upload, compare and publish editions of a school's policy; follow
and chase its acknowledgement (2.2).

The database, the pack the installation runs with, the mail server and the address used in
e-mailed links come from the same settings as the web app (``BOUNDARIES_*``,
``BOUNDARIES_CONFIG``). Exit codes: 0 done, 64 a usage error (unknown school, a pack that is
not valid, an upload refused).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from boundaries.commands.common import migrated_session, school_by_urn, usage_error

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from boundaries.registers.editions import EditionDiff
    from boundaries.store import School
    from boundaries.web.settings import WebSettings

EXIT_USAGE = 64

app = typer.Typer(
    help="Policy editions: upload, compare and publish; acknowledgements and reminders.",
    no_args_is_help=True,
)
out = Console(highlight=False, soft_wrap=not sys.stdout.isatty())
err = Console(stderr=True, highlight=False, soft_wrap=True)

SchoolOption = Annotated[str, typer.Option("--school", help="The school's URN.")]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="The database URL (default: the web app's settings, BOUNDARIES_DATABASE_URL).",
        show_default=False,
    ),
]
PackFile = Annotated[
    Path, typer.Argument(help="The edition: a policy pack in YAML.", dir_okay=False)
]


def _settings() -> WebSettings:
    from pydantic import ValidationError

    from boundaries.web.settings import load_settings

    try:
        return load_settings()
    except (ValidationError, FileNotFoundError, ValueError) as exc:
        usage_error(f"the settings are not valid: {exc}")


@contextmanager
def _store(url: str | None, urn: str) -> Iterator[tuple[Session, School, WebSettings]]:
    """A session on the migrated database, the school with ``urn``, and the settings."""
    settings = _settings()
    with migrated_session(url or settings.database_url) as session:
        yield session, school_by_urn(session, urn), settings


def _base_text(settings: WebSettings) -> str:
    from boundaries.registers.editions import base_pack_text

    try:
        return base_pack_text(settings.policy_file)
    except OSError as exc:
        usage_error(f"cannot read the policy file {settings.policy_file}: {exc.strerror}")


def _read_pack(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        usage_error(f"cannot read {path}: {exc.strerror}")
    except UnicodeDecodeError as exc:
        usage_error(f"{path} is not UTF-8 text (byte {exc.start} is invalid)")


def _policy_problems(path: Path, problems: list[str]) -> NoReturn:
    err.print(f"[red]Error:[/] {escape(str(path))} is not a valid policy pack:")
    for problem in problems:
        err.print(f"  {escape(problem)}")
    raise typer.Exit(EXIT_USAGE)


def print_diff(diff: EditionDiff, against: str) -> None:
    """The difference, readable in a terminal and in a log: [-removed-] and {+added+} words."""
    out.print(f"[bold]Compared with {escape(against)}[/]")
    if diff.empty:
        out.print("No differences in the clauses, the rules or the document's details.")
        return
    counts = diff.counts
    out.print(
        f"{counts['changed']} clause(s) changed, {counts['added']} added, "
        f"{counts['removed']} removed; {len(diff.rules)} rule setting(s) changed."
    )
    for change_of in diff.document:
        out.print(f"  {escape(change_of.name)}: {escape(change_of.old)} → {escape(change_of.new)}")
    marks = {"added": "+", "removed": "-", "changed": "~"}
    for change in diff.clauses:
        out.print(
            f"\n{marks[change.kind]} {change.clause_id} {escape(change.title)} ({change.kind})"
        )
        if change.kind == "added":
            out.print(Text("  {+" + (change.new_text or "") + "+}", style="green"))
        elif change.kind == "removed":
            out.print(Text("  [-" + (change.old_text or "") + "-]", style="red"))
        else:
            if change.title_changed:
                out.print(f"  title was: {escape(change.old_title or '')}")
            if change.lead_changed:
                out.print("  the sentence this clause follows has changed")
            if change.text_changed:
                line = Text("  ")
                for index, run in enumerate(change.words):
                    if index:
                        line.append(" ")
                    if run.kind == "same":
                        line.append(run.text)
                    elif run.kind == "removed":
                        line.append("[-" + run.text + "-]", style="red")
                    else:
                        line.append("{+" + run.text + "+}", style="green")
                out.print(line)
    if diff.rules:
        out.print("\nRules:")
        for rule in diff.rules:
            out.print(f"  {rule.code} {rule.kind}: {escape('; '.join(rule.details))}")


def _current_for_diff(session: Session, school: School, base_text: str) -> tuple[str, str]:
    """The current edition's text and how to name it."""
    from boundaries.registers.editions import current_edition, edition_label

    current = current_edition(session, school.id)
    if current is None:
        return base_text, "the policy the school has worked to so far (the model policy)"
    return current.pack_yaml, f"the current edition, {edition_label(current)}"


@app.command("upload")
def upload(
    file: PackFile,
    school: SchoolOption,
    publish: Annotated[
        bool, typer.Option("--publish", help="Publish the edition straight away.")
    ] = False,
    url: DatabaseOption = None,
) -> None:
    """Upload a new edition of the school's policy pack (validated first), and show what it
    changes; with --publish, make it the current edition."""
    from boundaries.policy import PolicyError, load_pack_text
    from boundaries.registers.editions import (
        EditionRefused,
        diff_packs,
        edition_label,
        publish_edition,
        upload_edition,
    )

    text = _read_pack(file)
    with _store(url, school) as (session, found, settings):
        base_text = _base_text(settings)
        before_text, against = _current_for_diff(session, found, base_text)
        try:
            uploaded = upload_edition(session, found.id, text, base_text=base_text)
        except PolicyError as exc:
            _policy_problems(file, [str(problem) for problem in exc.problems])
        except EditionRefused as exc:
            usage_error(str(exc))
        for warning in uploaded.warnings:
            err.print(f"[yellow]Warning:[/] {escape(warning)}")
        if publish:
            publish_edition(session, uploaded.edition, None)
        session.commit()
        edition = uploaded.edition
        print_diff(diff_packs(load_pack_text(before_text), uploaded.pack), against)
        state = (
            "published: it is now the current edition"
            if publish
            else f"run `boundaries editions publish --school {found.urn} --edition {edition.id}` "
            "to publish it"
        )
        out.print(f"\nUploaded {escape(edition_label(edition))} for {escape(found.name)}; {state}.")


@app.command("diff")
def diff(file: PackFile, school: SchoolOption, url: DatabaseOption = None) -> None:
    """Show how a pack differs, clause by clause, from the school's current edition (nothing is
    stored)."""
    from boundaries.policy import PolicyError, load_pack_text
    from boundaries.registers.editions import diff_packs

    text = _read_pack(file)
    try:
        new = load_pack_text(text, source=str(file))
    except PolicyError as exc:
        _policy_problems(file, [str(problem) for problem in exc.problems])
    with _store(url, school) as (session, found, settings):
        before_text, against = _current_for_diff(session, found, _base_text(settings))
        print_diff(diff_packs(load_pack_text(before_text), new), against)


@app.command("publish")
def publish(
    school: SchoolOption,
    edition: Annotated[
        int | None,
        typer.Option(
            "--edition", help="The edition's number (default: the newest one not yet published)."
        ),
    ] = None,
    url: DatabaseOption = None,
) -> None:
    """Publish an uploaded edition: it becomes the current edition and everyone is asked to
    acknowledge it."""
    from boundaries.registers.editions import (
        EditionRefused,
        draft_editions,
        edition_in_school,
        edition_label,
        publish_edition,
    )

    with _store(url, school) as (session, found, _):
        if edition is None:
            drafts = draft_editions(session, found.id)
            if not drafts:
                usage_error(f"{found.name} has no uploaded edition waiting to be published")
            chosen = drafts[0]
        else:
            picked = edition_in_school(session, found.id, edition)
            if picked is None:
                usage_error(f"{found.name} has no edition {edition}")
            chosen = picked
        try:
            publish_edition(session, chosen, None)
        except EditionRefused as exc:
            usage_error(str(exc))
        session.commit()
        out.print(
            f"Published {escape(edition_label(chosen))}: it is now the current edition of "
            f"{escape(found.name)}'s policy."
        )


@app.command("status")
def status(school: SchoolOption, url: DatabaseOption = None) -> None:
    """Completion of the current edition's acknowledgements by group, and earlier rounds."""
    from boundaries.registers.acknowledgements import all_rounds
    from boundaries.registers.editions import ensure_current_edition, published_editions

    today = date.today()
    with _store(url, school) as (session, found, settings):
        ensure_current_edition(session, found.id, _base_text(settings))
        session.commit()
        rounds = all_rounds(session, published_editions(session, found.id), found.id, today)
        current = rounds[0]
        out.print(f"[bold]{escape(found.name)}[/]: {escape(current.label)}")
        table = Table("Group", "People", "Acknowledged", "Outstanding", "Complete")
        for group in current.groups:
            shown = f"{group.percent}%" if group.percent is not None else "-"
            table.add_row(
                group.label, str(group.total), str(group.done), str(group.outstanding), shown
            )
        total = f"{current.percent}%" if current.percent is not None else "-"
        table.add_row(
            "All",
            str(current.total),
            str(current.done),
            str(current.total - current.done),
            total,
            style="bold",
        )
        out.print(table)
        if current.outstanding:
            out.print("Outstanding:")
            for person in current.outstanding:
                last = (
                    f"last reminded {person.last_reminder:%d/%m/%Y}"
                    if person.last_reminder
                    else "not reminded yet"
                )
                out.print(
                    f"  {escape(person.name)} ({person.group.label}): "
                    f"{person.days_since_publication} days since publication, {last}"
                )
        for earlier in rounds[1:]:
            shown = f"{earlier.percent}%" if earlier.percent is not None else "-"
            out.print(
                f"Earlier: {escape(earlier.label)}: {earlier.done} of {earlier.total} ({shown})"
            )


@app.command("remind")
def remind(
    school: SchoolOption,
    remind_after: Annotated[
        int, typer.Option(help="Days between reminders to one person.", min=1)
    ] = 7,
    escalate_after: Annotated[
        int, typer.Option(help="Days after publication before line managers are told.", min=0)
    ] = 14,
    url: DatabaseOption = None,
) -> None:
    """E-mail everyone who has not acknowledged the current edition, and tell line managers
    once the edition is old enough."""
    from boundaries.mail import mailer_for
    from boundaries.registers.reminders import send_reminders

    with _store(url, school) as (session, found, settings):
        run = send_reminders(
            session,
            found.id,
            mailer_for(settings),
            date.today(),
            remind_after,
            escalate_after,
            settings.base_url,
            base_text=_base_text(settings),
        )
        session.commit()
    out.print(f"Reminders sent: {len(run.reminded)}; not yet due another: {run.not_due}.")
    for manager, names in run.escalated:
        out.print(f"Told {escape(manager)} about: {escape(', '.join(names))}.")
    if run.failed:
        err.print(
            f"[yellow]Warning:[/] {len(run.failed)} e-mail(s) could not be sent: "
            "check the SMTP settings."
        )
