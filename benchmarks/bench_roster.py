"""Importing a council's rosters: 60 schools, 6,000 staff and 60,000 pupils.

    .venv/bin/python benchmarks/bench_roster.py                 # a fresh SQLite database
    .venv/bin/python benchmarks/bench_roster.py --postgres      # and a fresh PostgreSQL schema

Every school's SIMS pupil and staff reports are generated (deterministic, invented names, valid
UPNs, SIMS's quirks: a byte-order mark, padded captions, 06/06/2079, "?" cells), then imported
through the same code the web app and the command line use: read, check every row, plan, apply
as a full import. A second pass imports the same files again, which must change nothing. Time
and peak memory are printed for each.
"""

from __future__ import annotations

import argparse
import codecs
import random
import resource
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select, text
from stdnum.gb import upn as stdnum_upn

from boundaries.roster.importer import ImportOptions, ImportResult, import_roster
from boundaries.roster.records import InputFile, Kind, Source
from boundaries.store import (
    Person,
    Pupil,
    School,
    StaffRecord,
    Trust,
    TrustKind,
    create_db_engine,
    session_factory,
    upgrade,
)

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TODAY = date(2026, 11, 25)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FORENAMES = _words(
    "Amara Benedikt Ciaran Delphine Eilidh Farah Gethin Hollis Ifeoma Jago Keziah Lorcan Mabli "
    "Nnamdi Orla Pranav Quinn Rosalind Saoirse Tobiah Ulrika Vashti Wilhelmina Xanthe Yusra "
    "Zebedee Aurelio Bronwen Cosima Dov Elowen Fenwick Galena Horatio Ianthe Jerome Kasimir "
    "Leocadia Marisol Nerys Osric Perpetua Quillon Rafferty Sidonie Tancred Ulysses Veda"
)
SURNAMES = _words(
    "Abernethy Blackwood Castellane Dunmore Ellery Fairbrother Gallowglass Hetherington "
    "Inchbald Jessop Kettleborough Lindqvist Marchbanks Nethercott Oakhampton Pendragon "
    "Quarrington Ravenscroft Stallybrass Thistlewood Underhill Varcoe Wetherall Yelland "
    "Zennor Ashdown Brackenbury Coldharbour Drinkwater Earnshaw Fothergill Greatorex "
    "Hollingworth Iveson Jolliffe Kilbride Loveridge Moorcroft Nightingale Oddie"
)
PUPIL_HEADER = (
    "Adno,UPN,Legal Surname ,Legal Forename ,Preferred Forename,DOB,Year,Reg ,"
    "Date of Admission,Date of Leaving "
)
STAFF_HEADER = (
    "Staff Code,Title Code,Preferred Forename,Preferred Surname ,Work Email,Role Text,"
    "Employment Start Date,Employment End Date,Line Manager Email"
)
ROLES = ("Class Teacher", "Teaching Assistant", "Teacher of Maths", "Office Manager", "HLTA")


@dataclass
class SchoolFiles:
    urn: str
    name: str
    pupils: InputFile
    staff: InputFile


@dataclass
class Totals:
    seconds: float = 0.0
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    by_kind: dict[str, float] = field(default_factory=dict)

    def add(self, kind: str, result: ImportResult, seconds: float) -> None:
        self.seconds += seconds
        self.by_kind[kind] = self.by_kind.get(kind, 0.0) + seconds
        self.rows += result.rows
        self.created += result.created
        self.updated += result.updated
        self.unchanged += result.unchanged
        self.errors += len(result.errors)


def _uk(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def generate(schools: int, staff: int, pupils: int, seed: int = 2026) -> list[SchoolFiles]:
    """Each school's SIMS reports, the same every run."""
    made: list[SchoolFiles] = []
    for index in range(schools):
        rng = random.Random(seed * 1000 + index)
        estab = 2000 + index
        urn = f"9{index:05d}"
        lines = [PUPIL_HEADER]
        for serial in range(pupils):
            year = rng.randint(0, 6) if index % 3 else rng.randint(7, 13)
            born = date(TODAY.year - year - 5 - (TODAY.month < 9), 9, 1) + timedelta(
                days=rng.randint(0, 364)
            )
            body = f"873{estab:04d}{(TODAY.year - year) % 100:02d}{serial % 1000:03d}"
            upn = stdnum_upn.calc_check_digit(body) + body
            forename = rng.choice(FORENAMES)
            preferred = forename[:3] if rng.random() < 0.1 else "?"
            lines.append(
                ",".join(
                    (
                        f"{index * pupils + serial:06d}",
                        upn if serial < 1000 else "?",
                        rng.choice(SURNAMES),
                        forename,
                        preferred,
                        _uk(born),
                        "R" if year == 0 else str(year),
                        f"{year}{rng.choice('ABC')}",
                        _uk(date(TODAY.year - rng.randint(0, year), 9, 5)),
                        "06/06/2079",
                    )
                )
            )
        pupil_bytes = codecs.BOM_UTF8 + ("\r\n".join(lines) + "\r\n").encode()
        lines = [STAFF_HEADER]
        emails: list[str] = []
        for serial in range(staff):
            forename, surname = rng.choice(FORENAMES), rng.choice(SURNAMES)
            email = f"{forename}.{surname}.{serial}@school{index:02d}.example.org".lower()
            manager = emails[0] if emails and serial % 10 else (emails[-1] if emails else "?")
            lines.append(
                ",".join(
                    (
                        f"S{serial:03d}",
                        rng.choice(("Mr", "Mrs", "Ms", "Dr")),
                        forename,
                        surname,
                        email,
                        rng.choice(ROLES),
                        _uk(date(2010 + rng.randint(0, 15), 9, 1)),
                        "06/06/2079",
                        manager,
                    )
                )
            )
            emails.append(email)
        staff_bytes = codecs.BOM_UTF8 + ("\r\n".join(lines) + "\r\n").encode()
        made.append(
            SchoolFiles(
                urn,
                f"Council School {index + 1:02d}",
                InputFile(f"{urn}_pupils.csv", pupil_bytes),
                InputFile(f"{urn}_staff.csv", staff_bytes),
            )
        )
    return made


def add_schools(url: str, files: list[SchoolFiles]) -> dict[str, int]:
    engine = create_db_engine(url)
    try:
        with session_factory(engine)() as session:
            council = Trust(name="Wyeford Council", kind=TrustKind.COUNCIL)
            schools = [
                School(trust=council, name=f.name, urn=f.urn, local_authority="Wyeford")
                for f in files
            ]
            session.add_all([council, *schools])
            session.commit()
            return {school.urn: school.id for school in schools}
    finally:
        engine.dispose()


def import_all(url: str, files: list[SchoolFiles], ids: dict[str, int]) -> Totals:
    engine = create_db_engine(url)
    totals = Totals()
    try:
        sessions = session_factory(engine)
        for school_files in files:
            for kind, file in (
                (Kind.PUPILS, school_files.pupils),
                (Kind.STAFF, school_files.staff),
            ):
                started = time.perf_counter()
                with sessions() as session:
                    school = session.get(School, ids[school_files.urn])
                    assert school is not None
                    result = import_roster(
                        session,
                        school,
                        [file],
                        ImportOptions(kind, Source.SIMS, full=True, today=TODAY),
                    )
                    session.commit()
                totals.add(str(kind), result, time.perf_counter() - started)
                if result.errors:
                    print(result.errors[0].describe(), file=sys.stderr)
    finally:
        engine.dispose()
    return totals


def counts(url: str) -> tuple[int, int, int]:
    engine = create_db_engine(url)
    try:
        with session_factory(engine)() as session:
            return (
                int(session.scalar(select(func.count(Pupil.id))) or 0),
                int(session.scalar(select(func.count(StaffRecord.id))) or 0),
                int(session.scalar(select(func.count(Person.id))) or 0),
            )
    finally:
        engine.dispose()


@contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-roster-") as folder:
            yield f"sqlite:///{Path(folder) / 'council.sqlite3'}"
        return
    schema = f"bench_roster_{uuid.uuid4().hex[:10]}"
    admin = create_db_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run(kind: str, files: list[SchoolFiles], console: Console, traced: bool) -> None:
    with database(kind) as url:
        upgrade(url)
        ids = add_schools(url, files)
        if traced:
            tracemalloc.start()
        first = import_all(url, files, ids)
        peak_first = tracemalloc.get_traced_memory()[1] if traced else 0
        if traced:
            tracemalloc.reset_peak()
        second = import_all(url, files, ids)
        peak_second = tracemalloc.get_traced_memory()[1] if traced else 0
        if traced:
            tracemalloc.stop()
        pupils, staff, people = counts(url)
    table = Table(title=f"Council import on {kind}")
    for column in ("pass", "rows", "new", "updated", "unchanged", "errors", "seconds", "rows/s"):
        table.add_column(column, justify="right")
    if traced:
        table.add_column("Python peak MiB", justify="right")
    for label, totals, peak in (("first", first, peak_first), ("again", second, peak_second)):
        cells = [
            label,
            f"{totals.rows:,}",
            f"{totals.created:,}",
            f"{totals.updated:,}",
            f"{totals.unchanged:,}",
            f"{totals.errors:,}",
            f"{totals.seconds:.1f}",
            f"{totals.rows / totals.seconds:,.0f}",
        ]
        if traced:
            cells.append(f"{peak / 2**20:.0f}")
        table.add_row(*cells)
    console.print(table)
    console.print(
        f"first pass: pupils {first.by_kind.get('pupils', 0):.1f} s, staff "
        f"{first.by_kind.get('staff', 0):.1f} s; in the store: {pupils:,} pupils, "
        f"{staff:,} staff records, {people:,} people; peak RSS so far {max_rss_mib():.0f} MiB"
    )
    if second.created or second.updated or first.errors or second.errors:
        console.print("[red]The second pass changed something, or there were errors.[/]")
        raise SystemExit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=60)
    parser.add_argument("--staff", type=int, default=100, help="staff per school")
    parser.add_argument("--pupils", type=int, default=1000, help="pupils per school")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also measure Python's peak (slower)"
    )
    args = parser.parse_args()
    console = Console(highlight=False)
    started = time.perf_counter()
    files = generate(args.schools, args.staff, args.pupils)
    size = sum(len(f.pupils.data) + len(f.staff.data) for f in files)
    console.print(
        f"{args.schools} schools, {args.schools * args.staff:,} staff, "
        f"{args.schools * args.pupils:,} pupils: {size / 2**20:.1f} MiB of SIMS reports made in "
        f"{time.perf_counter() - started:.1f} s"
    )
    run("sqlite", files, console, args.tracemalloc)
    if args.postgres:
        run("postgresql", files, console, args.tracemalloc)
    console.print(f"peak RSS of the whole run: {max_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
