"""The ``boundaries`` command: a thin edge over the capability packages.

Exit codes for ``check``: 0 clear, 1 review, 2 breach (the worst over all posts and images), 64
a usage error (bad option, unreadable file, an image that could not be screened, invalid context
or policy), never mistaken for a verdict.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from boundaries.policy import PolicyError, PolicyPack, load_pack
from boundaries.policy.schema import clause_sort_key

if TYPE_CHECKING:
    from boundaries.screening.context import ScreeningContext
    from boundaries.screening.engine import Screener
    from boundaries.screening.images import ImageResult, SchoolImageProfile
    from boundaries.screening.post_check import PostCheck
    from boundaries.screening.result import Result

EXIT_USAGE = 64  # EX_USAGE from sysexits.h

app = typer.Typer(
    name="boundaries",
    help="Check posts against your school's social media policy, and look up the policy itself.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
policy_app = typer.Typer(help="Show or validate a policy pack (the policy as data).")
app.add_typer(policy_app, name="policy")
db_app = typer.Typer(
    help="Set up or inspect the database (BOUNDARIES_DATABASE_URL, else a SQLite file)."
)
app.add_typer(db_app, name="db")
users_app = typer.Typer(help="Add people, set passwords and make API tokens.")
app.add_typer(users_app, name="users")


def _add_capability_commands() -> None:
    # Each capability's commands live in boundaries.commands.<area>; imported here so that
    # `boundaries --help` lists them.
    from boundaries.commands import (
        cases,
        connections,
        editions,
        monitoring,
        registers,
        reports,
        roster,
    )

    app.add_typer(roster.app, name="roster")
    app.add_typer(editions.app, name="editions")
    app.add_typer(registers.app, name="registers")
    app.add_typer(reports.app, name="reports")
    app.add_typer(cases.app, name="cases")
    app.add_typer(monitoring.app, name="monitoring")
    app.add_typer(connections.app, name="connections")


_add_capability_commands()

# Messages are never wrapped, so scripts can grep them; reports wrap only in a terminal.
out = Console(highlight=False, soft_wrap=not sys.stdout.isatty())
err = Console(stderr=True, highlight=False, soft_wrap=True)

SEVERITY_STYLE = {"breach": "bold white on red", "review": "black on yellow", "info": "underline"}
VERDICT_STYLE = {"breach": "bold red", "review": "bold yellow", "clear": "bold green"}


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class UsageProblem(Exception):
    """Bad input from the user: reported in one sentence, exit 64."""


PolicyOption = Annotated[
    Path | None,
    typer.Option(
        "--policy",
        help="A school's own edition of the policy (YAML pack). Default: the bundled model policy.",
        dir_okay=False,
    ),
]


def _load_policy(path: Path | None) -> PolicyPack:
    try:
        pack = load_pack(path)
    except PolicyError as exc:
        raise UsageProblem(str(exc)) from None
    warning = pack.review_warning()
    if warning:
        err.print(f"[yellow]Warning:[/] {escape(warning)}")
    return pack


def _read_text(path: Path) -> str:
    """A file's text, decoded as UTF-8 with any byte-order mark removed; '-' reads stdin."""
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as exc:
        raise UsageProblem(f"cannot read {path}: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageProblem(f"{path} is not UTF-8 text (byte {exc.start} is invalid)") from None


def _context(context_file: Path | None, pupils_file: Path | None) -> ScreeningContext:
    from boundaries.screening.context import (
        EMPTY_CONTEXT,
        ContextError,
        ScreeningContext,
        read_pupils_csv,
    )

    try:
        ctx = ScreeningContext.from_json_file(context_file) if context_file else EMPTY_CONTEXT
        if pupils_file:
            ctx = ctx.with_pupils(read_pupils_csv(pupils_file))
    except ContextError as exc:
        raise UsageProblem(str(exc)) from None
    return ctx


# -- check ----------------------------------------------------------------------------------------


@app.command()
def check(
    text: Annotated[
        str | None,
        typer.Argument(help="The post to check. Omit it to read --file, --jsonl or stdin."),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Read the post from a file ('-' for stdin).")
    ] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option(
            "--jsonl",
            help="Check many posts: one JSON object per line with 'id' and 'text'. "
            "Writes one result per line, in order, with the same 'id'.",
        ),
    ] = None,
    context: Annotated[
        Path | None,
        typer.Option(
            "--context", help="JSON: the school, the author, pupils, parents, confidential terms."
        ),
    ] = None,
    pupils: Annotated[
        Path | None,
        typer.Option(
            "--pupils",
            help="CSV of pupils (forename, surname, preferred_name, date_of_birth, year_group); "
            "added to the context's pupils.",
        ),
    ] = None,
    policy: PolicyOption = None,
    format: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            help="text (a highlighted report) or json. Default: text, or JSON lines with --jsonl.",
        ),
    ] = None,
    image: Annotated[
        list[Path] | None,
        typer.Option(
            "--image",
            metavar="FILE",
            help="A photo or screenshot to be posted (repeat for several), checked with the post "
            "text if you give it: faces, the school's badge, GPS position, text naming pupils.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    school_badge: Annotated[
        list[Path] | None,
        typer.Option(
            "--school-badge",
            metavar="FILE",
            help="An image of the school's badge or logo, to find in the photos (repeatable).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    school_location: Annotated[
        str | None,
        typer.Option(
            "--school-location",
            metavar="LAT,LON",
            help="Where the school is, in decimal degrees (53.80076,-1.54908): a photo whose GPS "
            "position is within --radius of it is a finding.",
        ),
    ] = None,
    radius: Annotated[
        float | None,
        typer.Option(
            "--radius",
            metavar="METRES",
            help="Metres from --school-location that count as at the school (default 500).",
            show_default=False,
        ),
    ] = None,
    school: Annotated[
        str | None,
        typer.Option(
            "--school",
            metavar="URN",
            help="Take the school's badge, position and (unless --context or --pupils is given) "
            "its pupils and staff from the database.",
        ),
    ] = None,
    url: DatabaseOption = None,
    clean_copy: Annotated[
        Path | None,
        typer.Option(
            "--clean-copy",
            metavar="DIR",
            help="Write a copy of each image that is safe to post into DIR: what the findings "
            "point at blurred, every piece of metadata (GPS, device, time) removed.",
            file_okay=False,
        ),
    ] = None,
    ocr: Annotated[
        bool,
        typer.Option(
            "--ocr/--no-ocr",
            help="Read the text in the images (slower; --no-ocr misses screenshots naming pupils).",
        ),
    ] = True,
) -> None:
    """Check a draft post, and the photos or screenshots to go with it, before you publish it.
    Nothing you check is stored.

    Exit code: 0 clear, 1 review, 2 breach (worst over all posts and images); 64 for a usage
    error, including an image that could not be screened (its reason is printed).
    Links are checked against blocked categories when BOUNDARIES_BLOCKLISTS names a folder of
    UT1-style lists (FOLDER, or FOLDER:gambling,dating for some categories only).
    """
    sources = [s for s in (text is not None, file is not None, jsonl is not None) if s]
    if len(sources) > 1:
        raise UsageProblem("give the post as TEXT, --file or --jsonl: only one of them")
    _check_image_options(image, jsonl, school_badge, school_location, radius, school, clean_copy)
    pack = _load_policy(policy)
    ctx = _context(context, pupils)
    profile = None
    if school is not None:
        profile, school_ctx = _school_from_database(school, url)
        if context is None and pupils is None:
            ctx = school_ctx
    elif image:
        profile = _school_from_options(school_badge or [], school_location, radius)
    from boundaries.screening.api import screener_for
    from boundaries.screening.settings import ScreeningSettings

    settings = ScreeningSettings.from_env()
    for problem in settings.problems():
        raise UsageProblem(problem)
    # From the API's cache: the images' text screening then reuses it rather than building another.
    screener = screener_for(ctx, pack, settings)
    for warning in screener.warnings:
        err.print(f"[yellow]Warning:[/] {escape(warning)}")
    if jsonl is not None:
        raise typer.Exit(_check_jsonl(screener, jsonl, format or OutputFormat.JSON))
    if image:
        # With images the post text is optional: stdin is read only when asked for (--file -).
        if text is None and file is not None:
            text = _read_text(file)
        elif text is not None:
            text = text.removeprefix("\ufeff")
        raise typer.Exit(
            _check_images(screener, text, image, ctx, pack, profile, ocr, clean_copy, format)
        )
    if text is None:
        if file is None and sys.stdin.isatty():
            raise UsageProblem("nothing to check: give the post as TEXT, --file, --jsonl or stdin")
        text = _read_text(file or Path("-"))
    elif text.startswith("\ufeff"):
        text = text[1:]
    result = screener.screen(text)
    if format is OutputFormat.JSON:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    else:
        _print_result(result)
    raise typer.Exit(result.exit_code)


def _check_image_options(
    images: list[Path] | None,
    jsonl: Path | None,
    badges: list[Path] | None,
    location: str | None,
    radius: float | None,
    school: str | None,
    clean_copy: Path | None,
) -> None:
    if images and jsonl is not None:
        raise UsageProblem("--image checks one post with its images: it cannot go with --jsonl")
    needs_images = {
        "--school-badge": bool(badges),
        "--school-location": location is not None,
        "--radius": radius is not None,
        "--clean-copy": clean_copy is not None,
    }
    given = [name for name, present in needs_images.items() if present]
    if given and not images:
        raise UsageProblem(f"{given[0]} is for checking images: give the images with --image")
    if school is not None and (badges or location is not None or radius is not None):
        raise UsageProblem(
            "--school takes the badge and position from the database: give either --school or "
            "--school-badge/--school-location/--radius"
        )
    if radius is not None and location is None:
        raise UsageProblem("--radius is a distance from --school-location: give that too")


def _read_image_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageProblem(f"cannot read {path}: {exc.strerror}") from None


def _school_from_options(
    badges: list[Path], location: str | None, radius: float | None
) -> SchoolImageProfile:
    from boundaries.roster.image_profile import SettingsError, check_badge, parse_lat_lon
    from boundaries.screening.images import SchoolImageProfile

    badge_data = []
    for path in badges:
        data = _read_image_file(path)
        try:
            check_badge(data)
        except SettingsError as exc:
            raise UsageProblem(f"--school-badge {path}: {exc}") from None
        badge_data.append(data)
    if location is None:
        return SchoolImageProfile(badges=tuple(badge_data))
    try:
        where = parse_lat_lon(location, radius)
    except SettingsError as exc:
        raise UsageProblem(f"--school-location: {exc}") from None
    if where.warning:
        err.print(f"[yellow]Warning:[/] {escape(where.warning)}")
    return SchoolImageProfile(
        badges=tuple(badge_data),
        latitude=where.latitude,
        longitude=where.longitude,
        radius_m=where.radius_m,
    )


def _school_from_database(urn: str, url: str | None) -> tuple[SchoolImageProfile, ScreeningContext]:
    from datetime import date

    from boundaries.commands.common import migrated_session, school_by_urn
    from boundaries.roster.image_profile import school_image_profile
    from boundaries.roster.screening_context import build_school_context

    with migrated_session(url) as session:
        found = school_by_urn(session, urn)
        return (
            school_image_profile(session, found),
            build_school_context(session, found, date.today()),
        )


def _check_images(
    screener: Screener,
    text: str | None,
    paths: list[Path],
    ctx: ScreeningContext,
    pack: PolicyPack,
    profile: SchoolImageProfile | None,
    ocr: bool,
    clean_dir: Path | None,
    fmt: OutputFormat | None,
) -> int:
    """Screen the post's text (if any) and its images; print; write the clean copies."""
    from boundaries.screening.post_check import PostCheck, screen_sources

    files = [(path.name, _read_image_file(path)) for path in paths]
    text_result = screener.screen(text) if text is not None and text.strip() else None
    check = PostCheck(
        text_result,
        screen_sources(
            files, context=ctx, pack=pack, school=profile, ocr=ocr, post_text=text or ""
        ),
    )
    written = _write_clean_copies(check, files, clean_dir) if clean_dir is not None else {}
    if fmt is OutputFormat.JSON:
        report = check.to_dict()
        for index, entry in enumerate(report["images"]):
            if index in written:
                entry["clean_copy"] = str(written[index])
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
    else:
        _print_post_check(check, written)
    if check.refused:
        err.print(
            f"[red]Error:[/] {len(check.refused)} of {len(files)} image(s) could not be checked"
        )
        return EXIT_USAGE
    return check.exit_code


def _write_clean_copies(
    check: PostCheck, files: list[tuple[str, bytes]], folder: Path
) -> dict[int, Path]:
    """Each screened image's clean copy in ``folder``, by the image's index; names never clash
    and never overwrite a file already there."""
    from boundaries.screening.post_check import ImageRefusal, clean_copy_for, clean_copy_name

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageProblem(f"cannot make the folder {folder}: {exc.strerror}") from None
    written: dict[int, Path] = {}
    for index, (outcome, (_, data)) in enumerate(zip(check.images, files, strict=True)):
        if isinstance(outcome, ImageRefusal):
            continue
        copy, media_type = clean_copy_for(data, outcome)
        name = Path(clean_copy_name(outcome.filename, media_type))
        target, number = folder / name, 1
        while target.exists() or target in written.values():
            number += 1
            target = folder / f"{name.stem}-{number}{name.suffix}"
        try:
            target.write_bytes(copy)
        except OSError as exc:
            raise UsageProblem(f"cannot write {target}: {exc.strerror}") from None
        written[index] = target
    return written


def _print_post_check(check: PostCheck, written: dict[int, Path]) -> None:
    from boundaries.screening.post_check import ImageRefusal

    total = len(check.images)
    for index, outcome in enumerate(check.images):
        out.rule(f"Image {index + 1} of {total}: {outcome.filename}")
        if isinstance(outcome, ImageRefusal):
            out.print(Text.assemble(("Could not check: ", "bold red"), outcome.message))
            continue
        _print_image_result(outcome)
        if index in written:
            out.print(Text.assemble(("Clean copy: ", "bold"), str(written[index])))
    if check.text is not None:
        out.rule("The post's text")
        _print_result(check.text)
    if total > 1 or check.text is not None:
        out.rule()
        verdict = check.verdict
        out.print(Text.assemble(("Overall: ", "bold"), (verdict.upper(), VERDICT_STYLE[verdict])))


def _print_image_result(result: ImageResult) -> None:
    count = len(result.findings)
    noun = "finding" if count == 1 else "findings"
    out.print(f"{result.width} × {result.height} pixels, {escape(result.format)}")
    out.print(Text.assemble(("Verdict: ", "bold"),
                            (result.verdict.upper(), VERDICT_STYLE[result.verdict]),
                            f" ({count} {noun})"))  # fmt: skip
    for f in result.findings:
        line = Text()
        line.append(f"{f.severity.value:<6}", SEVERITY_STYLE[f.severity.value])
        line.append(f" {f.code} clause {f.clause:<6} ")
        if f.boxes:
            where = "; ".join(f"{b.left},{b.top} {b.width}×{b.height}" for b in f.boxes)
            line.append(f"at {where} ", "dim")
        line.append(repr(f.evidence), "bold")
        line.append(f"  {f.message}")
        out.print(line)
        out.print(Text(f"       Fix: {f.fix}", "dim"))
    if result.metadata:
        from boundaries.screening.post_check import metadata_in_words

        out.print(Text("Hidden details in the file:", "bold"))
        for label, value in metadata_in_words(result.metadata):
            out.print(Text(f"  {label}: {value}"))
    if result.text.strip():
        shown = " ".join(result.text.split())
        if len(shown) > 300:
            shown = shown[:299] + "…"
        out.print(Text.assemble(("Text in the image: ", "bold"), shown))


def _check_jsonl(screener: Screener, path: Path, fmt: OutputFormat) -> int:
    from rich.progress import Progress

    # Only "\n" ends a line: U+2028 and friends are allowed, unescaped, inside JSON strings.
    lines = [line.removesuffix("\r") for line in _read_text(path).split("\n")]
    worst, errors = 0, 0
    show_progress = err.is_terminal and len(lines) > 50
    with Progress(console=err, transient=True, disable=not show_progress) as progress:
        task = progress.add_task("Checking posts", total=len(lines))
        for number, line in enumerate(lines, start=1):
            progress.advance(task)
            if not line.strip():
                continue
            post_id, text, problem = _parse_line(line, number)
            if problem is not None:
                errors += 1
                _emit({"id": post_id, "error": problem}, fmt)
                continue
            assert text is not None
            result = screener.screen(text, id=post_id)
            worst = max(worst, result.exit_code)
            if fmt == "json":
                _emit(result.to_dict(), fmt)
            else:
                out.rule(f"id: {post_id}")
                _print_result(result)
    if errors:
        err.print(
            f"[yellow]Warning:[/] {errors} line(s) of {path} could not be checked (see 'error')"
        )
    return worst


def _parse_line(line: str, number: int) -> tuple[Any, str | None, str | None]:
    """(id, text, problem) for one line of a JSON-lines file."""
    try:
        obj = json.loads(line.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        return None, None, f"line {number} is not valid JSON: {exc.msg}"
    if not isinstance(obj, dict):
        return None, None, f"line {number} is not a JSON object with 'id' and 'text'"
    post_id = obj.get("id")
    text = obj.get("text")
    if not isinstance(text, str):
        return post_id, None, f"line {number} has no 'text' string"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return post_id, None, f"line {number} has text that is not valid Unicode (a lone surrogate)"
    return post_id, text.removeprefix("\ufeff"), None


def _emit(obj: dict[str, Any], fmt: OutputFormat) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    else:
        out.print(f"[red]Could not check:[/] {escape(str(obj.get('error')))}")


def _print_result(result: Result) -> None:
    verdict = result.verdict
    count = len(result.findings)
    noun = "finding" if count == 1 else "findings"
    out.print(Text.assemble(("Verdict: ", "bold"), (verdict.upper(), VERDICT_STYLE[verdict]),
                            f" ({count} {noun})"))  # fmt: skip
    if not result.findings:
        out.print("Nothing in this post breaches the policy.")
        return
    post = Text(result.text)
    for f in sorted(result.findings, key=lambda f: f.severity.rank):
        post.stylize(SEVERITY_STYLE[f.severity.value], f.start, f.end)
    out.print(post)
    out.print()
    for f in result.findings:
        line = Text()
        line.append(f"{f.severity.value:<6}", SEVERITY_STYLE[f.severity.value])
        line.append(f" {f.rule} clause {f.clause:<6} ")
        line.append(f"{f.start}-{f.end} ", "dim")
        line.append(repr(f.evidence), "bold")
        line.append(f"  {f.message}")
        out.print(line)
        out.print(Text(f"       Fix: {f.fix}", "dim"))
    if result.redacted != result.text:
        out.print()
        out.print(Text("Redacted: ", "bold") + Text(result.redacted))


# -- rules ----------------------------------------------------------------------------------------


@app.command()
def rules(
    code: Annotated[
        str | None, typer.Argument(help="A rule code, e.g. PU101, for its full page.")
    ] = None,
    policy: PolicyOption = None,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TEXT,
) -> None:
    """List the rules, or show one rule's documentation, with the clauses it supports."""
    from boundaries.screening.docs import rule_page, rule_pages

    pack = _load_policy(policy)
    pages = rule_pages(pack)
    if code is not None:
        code = code.upper()
        if code not in pages:
            raise UsageProblem(f"there is no rule {code}; 'boundaries rules' lists them")
        page = rule_page(pack, code)
        if format == "json":
            sys.stdout.write(json.dumps(page, ensure_ascii=False, indent=2) + "\n")
            return
        _print_rule_page(page)
        return
    if format == "json":
        sys.stdout.write(json.dumps(list(pages.values()), ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"Rules ({pack.title})")
    for column in ("Code", "Name", "Severity", "Clause", "Message"):
        table.add_column(column)
    for page in pages.values():
        severity = page["severity"] if page["enabled"] else "off"
        table.add_row(page["code"], page["name"], severity, page["clause"] or "-", page["message"])
    out.print(table)


def _print_rule_page(page: dict[str, Any]) -> None:
    state = page["severity"] if page["enabled"] else "turned off in this pack"
    out.print(Text.assemble((f"{page['code']} {page['name']}", "bold"), f"  ({state})"))
    out.print(Text(page["message"]))
    out.print()
    out.print(Text("What it finds", "bold"))
    out.print(Text(page["what"]))
    out.print(Text("Why it matters", "bold"))
    for clause in page["why"]:
        out.print(Text(f"{clause['id']} {clause['title']}: ", "italic") + Text(clause["text"]))
    out.print(Text("Example", "bold"))
    out.print(Text(page["example"]))
    out.print(Text("Instead", "bold"))
    out.print(Text(page["instead"]))
    out.print(Text("Fix", "bold"))
    out.print(Text(page["fix"]))


# -- policy ---------------------------------------------------------------------------------------


@policy_app.command("show")
def policy_show(
    clause_id: Annotated[
        str | None, typer.Argument(metavar="[ID]", help="A clause id (6.10) or a section (6).")
    ] = None,
    policy: PolicyOption = None,
) -> None:
    """Show the policy: its details and contents, one clause or one section in full."""
    pack = _load_policy(policy)
    if clause_id is None:
        _print_pack_summary(pack)
        return
    if clause_id.isdigit():
        try:
            section = pack.section(int(clause_id))
        except KeyError:
            raise UsageProblem(f"the policy has no section {clause_id}") from None
        out.print(Text(f"{section.number}. {section.title}", "bold"))
        if section.intro:
            out.print(Text(section.intro.strip()))
        for clause in section.clauses:
            out.print()
            _print_clause(pack, clause.id)
        return
    try:
        pack.clause(clause_id)
    except KeyError:
        raise UsageProblem(
            f"the policy has no clause {clause_id}; 'boundaries policy show' lists them"
        ) from None
    _print_clause(pack, clause_id)


def _print_pack_summary(pack: PolicyPack) -> None:
    out.print(Text(pack.title, "bold"))
    if pack.source:
        out.print(f"Source: {escape(pack.source)}")
    out.print(f"Owner: {escape(pack.owner)}")
    out.print(f"Version: {escape(pack.version or 'not set (the model policy prints none)')}")
    review = (
        f"{pack.review_date:%d/%m/%Y}"
        if pack.review_date
        else "not set (the model policy prints none; set it in your school's edition)"
    )
    out.print(f"Review date: {review}")
    for section in pack.sections:
        out.print()
        out.print(Text(f"{section.number}. {section.title}", "bold"))
        for clause in section.clauses:
            checked = ", ".join(sorted(pack.rules_for_clause(clause.id)))
            line = Text(f"  {clause.id:<6} {clause.title}")
            if checked:
                line.append(f"  [{checked}]", "dim")
            out.print(line)


def _print_clause(pack: PolicyPack, clause_id: str) -> None:
    clause = pack.clause(clause_id)
    out.print(Text(f"{clause.id}  {clause.title}", "bold"))
    if clause.lead:
        out.print(Text(clause.lead, "italic"))
    out.print(Text(clause.text))
    checks = pack.rules_for_clause(clause.id)
    if checks:
        out.print(Text("Checked by:", "bold"))
        for code in sorted(checks, key=lambda c: (c[:2], c)):
            setting = checks[code]
            state = setting.severity.value if setting.enabled else "off"
            primary = " (primary clause)" if setting.primary_clause == clause.id else ""
            out.print(f"  {code}  {state}{primary}")


@policy_app.command("validate")
def policy_validate(
    file: Annotated[Path, typer.Argument(help="The policy pack (YAML) to check.", dir_okay=False)],
) -> None:
    """Check a policy pack against the schema; problems are listed with their line numbers."""
    from boundaries.screening.engine import unknown_rule_warnings

    if not file.is_file():
        raise UsageProblem(f"cannot read {file}: no such file")
    try:
        pack = load_pack(file)
    except PolicyError as exc:
        err.print(f"[red]{escape(str(file))} is not a valid policy pack:[/]")
        for problem in exc.problems:
            err.print(f"  {escape(str(problem))}")
        raise typer.Exit(1) from None
    for unknown in unknown_rule_warnings(pack):
        err.print(f"[yellow]Warning:[/] {escape(unknown)}")
    warning = pack.review_warning()
    if warning:
        err.print(f"[yellow]Warning:[/] {escape(warning)}")
    clauses = sorted(pack.clauses(), key=lambda c: clause_sort_key(c.id))
    out.print(
        f"[green]{escape(str(file))} is a valid policy pack:[/] {len(clauses)} clauses in "
        f"{len(pack.sections)} sections, {len(pack.rules)} rules."
    )


# -- db -------------------------------------------------------------------------------------------


DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="The database URL (default: BOUNDARIES_DATABASE_URL, else data/boundaries.sqlite3).",
        show_default=False,
    ),
]


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@db_app.command("upgrade")
def db_upgrade(url: DatabaseOption = None) -> None:
    """Apply every migration the database is missing."""
    from sqlalchemy.exc import SQLAlchemyError

    from boundaries.store import current_revision, database_url, upgrade

    url = url or database_url()
    try:
        upgrade(url)
        revision = current_revision(url)
    except (SQLAlchemyError, ValueError) as exc:
        reason = getattr(exc, "orig", None) or exc
        raise UsageProblem(f"cannot upgrade the database at {_shown(url)}: {reason}") from None
    out.print(
        f"[green]The database at {escape(_shown(url))} is up to date[/] (revision {revision})."
    )


@db_app.command("status")
def db_status(url: DatabaseOption = None) -> None:
    """Say which revision the database is at; exit 1 when it needs `boundaries db upgrade`."""
    from sqlalchemy.exc import SQLAlchemyError

    from boundaries.store import current_revision, database_url, head_revision

    url = url or database_url()
    try:
        current = current_revision(url)
    except (SQLAlchemyError, ValueError) as exc:
        reason = getattr(exc, "orig", None) or exc
        raise UsageProblem(f"cannot read the database at {_shown(url)}: {reason}") from None
    head = head_revision()
    where = escape(_shown(url))
    if current == head:
        out.print(f"[green]The database at {where} is up to date[/] (revision {head}).")
        return
    state = "has no migrations applied" if current is None else f"is at revision {current}"
    out.print(
        f"[yellow]The database at {where} {state}[/]; the newest is {head}: "
        "run `boundaries db upgrade`."
    )
    raise typer.Exit(1)


# -- the web app -----------------------------------------------------------------------------------


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.", min=1, max=64)] = 1,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Migrate the database, add the demo schools (invented people) and print their "
            "sign-ins first.",
        ),
    ] = False,
) -> None:
    """Run the web app. Settings come from BOUNDARIES_* variables and BOUNDARIES_CONFIG (TOML)."""
    import uvicorn
    from pydantic import ValidationError

    from boundaries.store import NotMigratedError, create_db_engine, require_migrated
    from boundaries.web.settings import load_settings

    try:
        settings = load_settings()
        # Made (or checked) once here, before the workers start and race to make it.
        settings.signing_key()
    except (ValidationError, FileNotFoundError, ValueError) as exc:
        raise UsageProblem(f"the settings are not valid: {exc}") from None
    if demo:
        _seed_demo(settings.database_url)
    engine = create_db_engine(settings.database_url)
    try:
        require_migrated(engine)
    except NotMigratedError as exc:
        raise UsageProblem(str(exc)) from None
    finally:
        engine.dispose()
    address = f"http://{host if host not in ('0.0.0.0', '::') else '127.0.0.1'}:{port}"
    out.print(f"[bold]Boundaries is running at {address}[/] (press Ctrl+C to stop).")
    uvicorn.run(
        "boundaries.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        forwarded_allow_ips=",".join(settings.trusted_proxies),
        log_level="info",
        server_header=False,
    )


def _seed_demo(url: str | None) -> None:
    from boundaries.demo import demo_sign_ins_text, seed_demo
    from boundaries.store import create_db_engine, session_factory, upgrade

    upgrade(url)
    engine = create_db_engine(url)
    try:
        with session_factory(engine)() as session:
            summary = seed_demo(session)
            session.commit()
    finally:
        engine.dispose()
    out.print(demo_sign_ins_text(summary))


def _person_by_email(session: Any, email: str) -> Any:
    from sqlalchemy import select

    from boundaries.store import Person

    person = session.execute(
        select(Person).where(Person.email == email.strip().lower())
    ).scalar_one_or_none()
    if person is None:
        raise UsageProblem(f"nobody has the e-mail address {email}")
    return person


@users_app.command("add")
def users_add(
    email: Annotated[str, typer.Argument(help="Their e-mail address (their sign-in name).")],
    name: Annotated[str, typer.Option(help="Their full name.")],
    school: Annotated[str, typer.Option(help="The school's URN.")],
    role: Annotated[list[str], typer.Option(help="A role in the school (repeat for more).")],
    kind: Annotated[str, typer.Option(help="staff, governor, contractor or volunteer.")] = "staff",
    url: DatabaseOption = None,
) -> None:
    """Add a person with roles in one school (or add roles to someone already known)."""
    from sqlalchemy import select

    from boundaries.store import (
        Membership,
        Person,
        PersonKind,
        School,
        SchoolRole,
        create_db_engine,
        session_factory,
    )

    try:
        roles = [SchoolRole(r) for r in role]
        person_kind = PersonKind(kind)
    except ValueError as exc:
        choices = ", ".join(r.value for r in SchoolRole)
        raise UsageProblem(f"{exc}; the roles are: {choices}") from None
    engine = create_db_engine(url)
    try:
        with session_factory(engine)() as session:
            found = session.execute(select(School).where(School.urn == school)).scalar_one_or_none()
            if found is None:
                raise UsageProblem(f"no school has the URN {school}")
            person = session.execute(
                select(Person).where(Person.email == email.strip().lower())
            ).scalar_one_or_none()
            if person is None:
                person = Person(name=name, email=email, kind=person_kind)
                session.add(person)
                session.flush()
            held = set(
                session.scalars(
                    select(Membership.role).where(
                        Membership.person_id == person.id, Membership.school_id == found.id
                    )
                )
            )
            for new_role in roles:
                if new_role not in held:
                    session.add(Membership(person_id=person.id, school_id=found.id, role=new_role))
            session.commit()
            out.print(
                f"{escape(person.name)} <{escape(person.email)}> has roles in {escape(found.name)}."
            )
    finally:
        engine.dispose()


@users_app.command("password")
def users_password(
    email: Annotated[str, typer.Argument(help="Whose password to set.")],
    url: DatabaseOption = None,
) -> None:
    """Set a person's password (asked for twice, never shown); their sessions end."""
    from boundaries.accounts.passwords import PasswordTooWeak, set_password
    from boundaries.accounts.sessions import end_all_sessions
    from boundaries.store import create_db_engine, session_factory

    password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    engine = create_db_engine(url)
    try:
        with session_factory(engine)() as session:
            person = _person_by_email(session, email)
            try:
                set_password(session, person, password)
            except PasswordTooWeak as exc:
                raise UsageProblem(str(exc)) from None
            end_all_sessions(session, person.id)
            session.commit()
    finally:
        engine.dispose()
    out.print("The password has been changed.")


@users_app.command("token")
def users_token(
    email: Annotated[str, typer.Argument(help="Whose token to make.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "API",
    url: DatabaseOption = None,
) -> None:
    """Make a personal API token (shown once) for `Authorization: Bearer`."""
    from boundaries.accounts.api_tokens import issue_api_token
    from boundaries.store import create_db_engine, session_factory

    engine = create_db_engine(url)
    try:
        with session_factory(engine)() as session:
            token = issue_api_token(session, _person_by_email(session, email), name)
            session.commit()
    finally:
        engine.dispose()
    out.print(token)


# -- entry point ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> NoReturn:
    """Run the app, mapping every usage error to exit 64 so it is never read as a verdict."""
    try:
        code = app(args=argv, standalone_mode=False)
    except UsageProblem as exc:
        err.print(f"[red]Error:[/] {escape(str(exc))}")
        sys.exit(EXIT_USAGE)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("Stopped.")
        sys.exit(130)
    except typer.TyperException as exc:  # bad option, bad value, missing argument
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            err.print(f"[red]Error:[/] {escape(str(exc))}")
        sys.exit(EXIT_USAGE)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
