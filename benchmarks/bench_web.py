"""The web app under load: the JSON check endpoint driven from a second process.

    make bench-web        # or: .venv/bin/python benchmarks/bench_web.py [--workers 2]

A fresh SQLite database in a temporary folder gets the demo schools (invented people) and, if
the largest demo school has fewer, invented pupils until about 1,500 are on its roster, since the
cost of screening grows with the roster. A teacher there gets an API token, and the server runs
as its own process (``boundaries serve``). Then:

1. open loop: 50 users, each sending a check about once a second with random jitter, for
   30 seconds; each send is scheduled whether or not the user's last answer has come back, so
   a slow server cannot slow the load down. Drafts come from the dev and tune corpora.
2. peak: wrk with 50 open connections, flat out for 10 seconds (an httpx loop if wrk is
   missing: ``make wrk`` installs it).

Target (issue): p99 under 100 ms with no errors at 50 users, on a 2-core machine.

The server is measured fresh. Each worker rebuilds a school's screening context once it is old
(``_MAX_AGE_SECONDS`` in roster/screening_context.py), so only a longer ``--seconds`` shows the
state a long-running server settles into.
Other work on the machine skews the figures; the CPU line of each phase says how much there was.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from boundaries.accounts.api_tokens import issue_api_token
from boundaries.demo import birth_window, school_year_start, seed_demo, year_group_name
from boundaries.store import (
    Person,
    Pupil,
    School,
    SchoolRole,
    create_db_engine,
    session_factory,
    upgrade,
)
from boundaries.store.queries import pupils_in_scope

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = ROOT / "benchmarks" / "wrk_check.lua"
# Only the development corpora: test.jsonl and holdout.jsonl stay unseen by anything we tune.
CORPORA = (ROOT / "tests" / "corpus" / "dev.jsonl", ROOT / "tests" / "corpus" / "tune.jsonl")
FALLBACK_POSTS = ROOT / "examples" / "posts.jsonl"
ROSTER_SIZE = 1500
TARGET_P99_MS = 100.0
console = Console()

# Invented names for the pupils added on top of the demo roster.
FORENAMES = (
    "Amelia", "Olivia", "Isla", "Ava", "Freya", "Lily", "Grace", "Poppy", "Evie", "Ivy",
    "Rosie", "Florence", "Willow", "Sienna", "Matilda", "Elsie", "Harper", "Phoebe", "Niamh",
    "Cerys", "Ffion", "Eilidh", "Aoife", "Zofia", "Maja", "Aisha", "Fatima", "Maryam", "Amara",
    "Adaeze", "Priya", "Anaya", "Harleen", "Mei", "Hana", "Ioana", "Lucía", "Nour", "Leila",
    "Yasmin", "Hodan", "Oliver", "Noah", "George", "Leo", "Arthur", "Alfie", "Theo", "Jack",
    "Oscar", "Archie", "Thomas", "Samuel", "Harry", "Henry", "Freddie", "Teddy", "Finley",
    "Reuben", "Muhammad", "Yusuf", "Ibrahim", "Zayn", "Arjun", "Rohan", "Kwame", "Kofi",
    "Tobi", "Rhys", "Dylan", "Callum", "Seán", "Ciarán", "Kacper", "Jakub", "Andrei", "Mateo",
    "Kai", "Riley", "Dawit", "Will", "Rose", "Hope", "Summer", "Storm",
)  # fmt: skip
SURNAMES = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
    "Roberts", "Johnson", "Walker", "Wright", "Robinson", "Thompson", "White", "Hughes",
    "Edwards", "Green", "Hall", "Wood", "Harris", "Clarke", "Jackson", "Turner", "Patel",
    "Khan", "Ahmed", "Hussain", "Chowdhury", "Ali", "Rahman", "Iqbal", "Singh", "Sandhu",
    "Gill", "Sharma", "O'Neill", "O'Brien", "McCarthy", "MacLeod", "Nowak", "Wójcik", "Mazur",
    "Okafor", "Adeyemi", "Okonkwo", "Mensah", "Osei", "Boateng", "Abdi", "Mohamed", "Nguyen",
    "Chen", "Wong", "Popescu", "Yılmaz", "Silva", "Fernandes", "D'Souza", "García", "Ferreira",
    "Bracewell", "Fairbairn", "Whitfield", "Pennington", "Ashworth", "Hargreaves", "Blackwood",
    "Thornbury", "Castellano", "Oyelaran", "Lindqvist", "Marchetti", "Bell", "Fox", "Swan",
    "Moss", "Brook", "Hill", "Field",
)  # fmt: skip
NICKNAMES = {"Oliver": "Olly", "Thomas": "Tom", "Samuel": "Sam", "Florence": "Flo",
             "Matilda": "Tilly", "Muhammad": "Mo", "Theo": "Teddy", "Harry": "Haz"}  # fmt: skip


# --- The database ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixture:
    """What the benchmark's database holds for the load: one school, one teacher's token."""

    url: str
    school_id: int
    school_name: str
    pupils_in_scope: int
    pupils_added: int
    teacher: str
    token: str


def prepare_database(folder: Path, roster_size: int) -> Fixture:
    """Migrate a fresh SQLite file, add the demo data, top the largest school's roster up to
    ``roster_size`` pupils and issue a teacher there an API token."""
    url = f"sqlite:///{folder / 'boundaries.sqlite3'}"
    upgrade(url)
    engine = create_db_engine(url)
    today = date.today()
    try:
        with session_factory(engine)() as session:
            summary = seed_demo(session, today)
            demo_school = max(summary.schools, key=lambda s: s.pupils_on_roll)
            school = session.scalars(select(School).where(School.urn == demo_school.urn)).one()
            teachers = [
                s
                for s in summary.sign_ins
                if s.school == school.name and SchoolRole.STAFF_TEACHER in s.roles
            ]
            # A plain class teacher if there is one: the most common person at the endpoint.
            teacher = min(teachers, key=lambda s: len(s.roles))
            in_scope = len(pupils_in_scope(session, school.id, today))
            added = _add_pupils(session, school, roster_size - in_scope, today)
            person = session.scalars(select(Person).where(Person.email == teacher.email)).one()
            token = issue_api_token(session, person, "bench-web")
            session.commit()
            return Fixture(
                url=url,
                school_id=school.id,
                school_name=school.name,
                pupils_in_scope=len(pupils_in_scope(session, school.id, today)),
                pupils_added=added,
                teacher=teacher.email,
                token=token,
            )
    finally:
        engine.dispose()


def _add_pupils(session: Session, school: School, count: int, today: date) -> int:
    """Invented pupils, the same every run, spread over the year groups the school already has."""
    if count <= 0:
        return 0
    rng = random.Random("bench-web-pupils")
    held = session.scalars(select(Pupil.year_group).where(Pupil.school_id == school.id))
    numbers = sorted({n for g in held if g and (n := _year_number(g)) is not None})
    numbers = numbers or list(range(7))  # no usable year groups: Reception to Year 6
    this_year = school_year_start(today)
    for _ in range(count):
        year = rng.choice(numbers)
        forename = rng.choice(FORENAMES)
        first, last = birth_window(year, this_year)
        born = first + timedelta(days=rng.randrange((last - first).days + 1))
        session.add(
            Pupil(
                school_id=school.id,
                legal_forename=forename,
                preferred_forename=NICKNAMES.get(forename) if rng.random() < 0.4 else None,
                surname=rng.choice(SURNAMES),
                date_of_birth=born,
                year_group=year_group_name(year),
                admission_date=date(this_year, 9, 1),
            )
        )
    session.flush()
    return count


def _year_number(year_group: str) -> int | None:
    if year_group == "Reception":
        return 0
    words = year_group.split()
    return int(words[1]) if len(words) == 2 and words[0] == "Year" and words[1].isdigit() else None


def load_posts() -> list[str]:
    """Draft texts for the load: the dev and tune corpora, else the examples."""
    texts: list[str] = []
    for path in CORPORA:
        if path.exists():
            lines = path.read_text("utf-8").splitlines()
            texts += [json.loads(line)["text"] for line in lines if line.strip()]
    if not texts:
        lines = FALLBACK_POSTS.read_text("utf-8").splitlines()
        texts = [json.loads(line)["text"] for line in lines if line.strip()]
    return [t for t in texts if t.strip()]


# --- The server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def cpu_seconds(self) -> float | None:
        """User and system CPU time of the server and its worker processes so far (Linux)."""
        return _tree_cpu_seconds(self.process.pid)

    def log_tail(self, lines: int = 30, *, access: bool = True) -> str:
        kept = [
            line
            for line in self.log.read_text("utf-8", "replace").splitlines()
            if access or '" 200' not in line
        ]
        return "\n".join(kept[-lines:])


def _tree_cpu_seconds(root: int) -> float | None:
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    ticks: dict[int, int] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces; the fields after it are fixed.
        fields = stat[stat.rindex(")") + 2 :].split()
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        ticks[pid] = int(fields[11]) + int(fields[12])
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += ticks.get(pid, 0)
        todo += children.get(pid, [])
    return total / tick


def _machine_busy_seconds() -> float | None:
    """CPU seconds every process on the machine has used since boot (Linux)."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in first[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuSample:
    """CPU seconds used so far: by the machine, the server, and this process with its finished
    children (wrk). ``None`` where /proc is missing."""

    wall: float
    machine: float | None
    server: float | None
    driver: float


def cpu_sample(server: Server) -> CpuSample:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return CpuSample(
        wall=time.perf_counter(),
        machine=_machine_busy_seconds(),
        server=server.cpu_seconds(),
        driver=own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
    )


def cpu_use(before: CpuSample, after: CpuSample, requests: int) -> dict[str, float | None]:
    """Cores kept busy between two samples by the server, the load driver and everything else
    (other work on the machine makes the figures pessimistic, so it is reported)."""
    wall = after.wall - before.wall
    driver = after.driver - before.driver
    server = machine = None
    if after.server is not None and before.server is not None:
        server = after.server - before.server
    if after.machine is not None and before.machine is not None:
        machine = after.machine - before.machine
    return {
        "server_cores": round(server / wall, 2) if server is not None else None,
        "server_cpu_ms_per_request": (
            round(server * 1000 / requests, 2) if server is not None and requests else None
        ),
        "driver_cores": round(driver / wall, 2),
        "other_cores": (
            round(max(0.0, machine - server - driver) / wall, 2)
            if machine is not None and server is not None
            else None
        ),
    }


@contextmanager
def running_server(folder: Path, fixture: Fixture, workers: int) -> Iterator[Server]:
    """``boundaries serve`` as a separate process, stopped on the way out whatever happens."""
    port = free_port()
    # Only our settings: a BOUNDARIES_CONFIG or block list from the shell would change the load.
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOUNDARIES_")}
    env["BOUNDARIES_DATABASE_URL"] = fixture.url
    env["BOUNDARIES_SECRET_KEY"] = secrets.token_hex(32)
    env["BOUNDARIES_BASE_URL"] = f"http://127.0.0.1:{port}"
    command = Path(sys.executable).with_name("boundaries")
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(command), "serve", "--host", "127.0.0.1", "--port", str(port),
             "--workers", str(workers)],
            cwd=folder,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            # Its own session: Ctrl+C reaches only us, and we stop the server in order.
            start_new_session=True,
        )  # fmt: skip
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        _wait_until_healthy(server)
        yield server
    finally:
        _stop(process)


def _wait_until_healthy(server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(f"the server stopped at start:\n{server.log_tail()}")
            try:
                if client.get(server.base_url + "/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer /healthz in {timeout:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- Load -----------------------------------------------------------------------------------


@dataclass
class Load:
    """What one phase of load saw."""

    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    sent_at: list[float] = field(default_factory=list)  # perf_counter at each answered send
    started: float = field(default_factory=time.perf_counter)
    errors: Counter[str] = field(default_factory=Counter)
    verdicts: Counter[str] = field(default_factory=Counter)
    late_ms: list[float] = field(default_factory=list)  # how late the client sent (open loop)
    cpu: dict[str, float | None] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + sum(self.errors.values())

    def figures(self) -> dict[str, Any]:
        lat = self.latencies_ms
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "rate_per_s": round(self.requests / self.seconds, 1),
            "latency_ms": {
                f"p{q}": round(percentile(lat, q), 1) for q in (50, 75, 90, 99)
            }
            | {"max": round(max(lat, default=0.0), 1)},
            "errors": dict(self.errors),
            "verdicts": dict(self.verdicts),
            "client_late_ms_max": round(max(self.late_ms, default=0.0), 1),
            "cpu": self.cpu,
            "p99_ms_by_window": self.p99_by_window(),
        }  # fmt: skip

    def p99_by_window(self, width: float = 10.0) -> list[float]:
        """p99 in each ``width``-second slice of the phase, to show drift or a one-off stall."""
        count = max(1, math.ceil(self.seconds / width - 0.05))
        windows: list[list[float]] = [[] for _ in range(count)]
        for at, latency in zip(self.sent_at, self.latencies_ms, strict=True):
            # A send a moment after the last slice (a late timer) still belongs to it.
            windows[min(count - 1, max(0, int((at - self.started) // width)))].append(latency)
        return [round(percentile(w, 99), 1) for w in windows]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def _send(client: httpx.AsyncClient, path: str, text: str, load: Load) -> None:
    start = time.perf_counter()
    try:
        response = await client.post(path, json={"text": text})
    except httpx.HTTPError as exc:
        load.errors[type(exc).__name__] += 1
        return
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        load.errors[f"HTTP {response.status_code}"] += 1
        return
    try:
        verdict = response.json()["verdict"]
    except (ValueError, KeyError, TypeError):
        load.errors["unreadable answer"] += 1
        return
    load.latencies_ms.append(elapsed)
    load.sent_at.append(start)
    load.verdicts[str(verdict)] += 1


def _client(server: Server, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=server.base_url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=httpx.Timeout(10.0),
        # Plain HTTP on loopback: no need for each client to load the CA bundle (tens of ms).
        verify=False,
    )


async def open_loop(
    server: Server, path: str, token: str, posts: list[str], users: int, rate: float,
    seconds: float, seed: int = 2026,
) -> Load:  # fmt: skip
    """``users`` users each sending about ``rate`` checks a second for ``seconds``, every send
    on its own schedule (a uniform gap of 0.5 to 1.5 times the mean) and never waiting for the
    previous answer."""
    load = Load(seconds=seconds)
    async with AsyncExitStack() as stack:
        # Every user's client exists before the clock starts, so making them delays no send.
        clients = [await stack.enter_async_context(_client(server, token)) for _ in range(users)]
        before = cpu_sample(server)
        start = time.perf_counter() + 0.2
        end = start + seconds
        load.started = start

        async def user(number: int, client: httpx.AsyncClient) -> None:
            rng = random.Random(seed * 1000 + number)
            due = start + rng.uniform(0, 1 / rate)  # spread the first sends over a second
            mine: set[asyncio.Task[None]] = set()
            while due < end:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                load.late_ms.append((time.perf_counter() - due) * 1000)
                task = asyncio.create_task(_send(client, path, rng.choice(posts), load))
                mine.add(task)
                task.add_done_callback(mine.discard)
                due += rng.uniform(0.5, 1.5) / rate
            if mine:
                await asyncio.gather(*mine)

        await asyncio.gather(*(user(n, c) for n, c in enumerate(clients)))
        load.seconds = seconds  # the sending window; answers may land a moment after it
        load.cpu = cpu_use(before, cpu_sample(server), load.requests)
    return load


async def closed_loop(
    server: Server, path: str, token: str, posts: list[str], connections: int, seconds: float
) -> Load:
    """``connections`` clients sending back to back for ``seconds`` (the stand-in for wrk)."""
    load = Load(seconds=seconds)
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(_client(server, token)) for _ in range(connections)
        ]
        before = cpu_sample(server)
        start = load.started = time.perf_counter()
        end = start + seconds

        async def connection(number: int, client: httpx.AsyncClient) -> None:
            rng = random.Random(number)
            while time.perf_counter() < end:
                await _send(client, path, rng.choice(posts), load)

        await asyncio.gather(*(connection(n, c) for n, c in enumerate(clients)))
        load.seconds = time.perf_counter() - start
        load.cpu = cpu_use(before, cpu_sample(server), load.requests)
    return load


async def warm_up(
    server: Server, path: str, token: str, posts: list[str], workers: int
) -> tuple[float, int]:
    """Send checks until every worker answers quickly; returns the slowest check in ms and the
    number sent. A worker's first check loads the word lists and builds the school's screener,
    which takes seconds, and concurrent first checks in one worker each do it again, so the
    first round sends one check a worker and later rounds fill in any worker it missed."""
    slowest, sent = 0.0, 0
    async with _client(server, token) as client:
        client.timeout = httpx.Timeout(180.0)
        for round_number in range(12):
            size = workers if round_number == 0 else 4 * workers
            load = Load(seconds=1.0)
            await asyncio.gather(
                *(_send(client, path, posts[(sent + i) % len(posts)], load) for i in range(size))
            )
            sent += size
            if load.errors:
                raise RuntimeError(f"warm-up checks failed: {dict(load.errors)}")
            slowest = max(slowest, *load.latencies_ms)
            if round_number >= 2 and max(load.latencies_ms) < 250:
                break
    return slowest, sent


# --- wrk ------------------------------------------------------------------------------------


def run_wrk(
    server: Server, path: str, token: str, posts: list[str], folder: Path, seconds: int,
    connections: int,
) -> dict[str, Any] | None:  # fmt: skip
    """wrk's figures for ``connections`` open connections, or ``None`` when wrk is missing."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    bodies = folder / "bodies.jsonl"
    rng = random.Random(7)
    bodies.write_text(
        "".join(json.dumps({"text": t}) + "\n" for t in rng.sample(posts, min(50, len(posts)))),
        "utf-8",
    )
    env = dict(os.environ, WRK_TOKEN=token, WRK_BODIES=str(bodies))
    before = cpu_sample(server)
    done = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
         "-s", str(WRK_SCRIPT), server.base_url + path],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    after = cpu_sample(server)
    lines = [line for line in done.stdout.splitlines() if line.startswith("WRK_JSON ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    raw = json.loads(lines[-1].removeprefix("WRK_JSON "))
    wall = raw["duration_us"] / 1e6
    figures: dict[str, Any] = {
        "tool": "wrk",
        "connections": connections,
        "requests": raw["requests"],
        "seconds": round(wall, 2),
        "rate_per_s": round(raw["requests"] / wall, 1),
        "latency_ms": {k: round(v / 1000, 1) for k, v in raw["latency_us"].items()},
        "errors": {k: v for k, v in raw["errors"].items() if v},
        "cpu": cpu_use(before, after, raw["requests"]),
        "output": [line for line in done.stdout.splitlines() if not line.startswith("WRK_")],
    }
    return figures


# --- Printing -------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return f"{value:,.1f}"


def print_open_loop(figures: dict[str, Any], users: int, rate: float) -> bool:
    lat = figures["latency_ms"]
    errors = sum(figures["errors"].values())
    passed = bool(lat["p99"] < TARGET_P99_MS and errors == 0)
    table = Table(title=f"Open loop: {users} users, about {rate:g} check/s each")
    for column in ("requests", "rate/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors"):
        table.add_column(column, justify="right")
    table.add_row(f"{figures['requests']:,}", f"{figures['rate_per_s']:,.1f}", _ms(lat["p50"]),
                  _ms(lat["p90"]), _ms(lat["p99"]), _ms(lat["max"]), f"{errors:,}")  # fmt: skip
    console.print(table)
    if figures["errors"]:
        kinds = ", ".join(f"{kind}: {n:,}" for kind, n in sorted(figures["errors"].items()))
        console.print(f"Errors by kind: {kinds}")
    verdicts = ", ".join(f"{v} {n:,}" for v, n in sorted(figures["verdicts"].items()))
    console.print(f"Verdicts: {verdicts}.")
    if len(figures["p99_ms_by_window"]) > 1:
        windows = ", ".join(_ms(v) for v in figures["p99_ms_by_window"])
        console.print(f"p99 in each 10 s, ms: {windows}.")
    print_cpu(figures["cpu"], "this client")
    console.print(f"The latest send left {figures['client_late_ms_max']:.1f} ms behind schedule.")
    verdict = "[green]PASS[/]" if passed else "[red]FAIL[/]"
    console.print(
        f"Target p99 < {TARGET_P99_MS:.0f} ms with no errors: {verdict} "
        f"(p99 {lat['p99']:.1f} ms, {errors:,} errors)."
    )
    return passed


def print_peak(figures: dict[str, Any]) -> None:
    lat = figures["latency_ms"]
    title = f"Peak: {figures['connections']} open connections, {figures['tool']}"
    table = Table(title=title)
    columns = ("requests", "req/s", "p50 ms", "p75 ms", "p90 ms", "p99 ms", "max ms", "errors")
    for column in columns:
        table.add_column(column, justify="right")
    table.add_row(f"{figures['requests']:,}", f"{figures['rate_per_s']:,.1f}", _ms(lat["p50"]),
                  _ms(lat["p75"]), _ms(lat["p90"]), _ms(lat["p99"]),
                  _ms(lat["max"]), f"{sum(figures['errors'].values()):,}")  # fmt: skip
    console.print(table)
    if figures["errors"]:
        kinds = ", ".join(f"{kind}: {n:,}" for kind, n in sorted(figures["errors"].items()))
        console.print(f"Errors by kind: {kinds} (wrk's 'status' is any answer other than 2xx/3xx)")
    print_cpu(figures["cpu"], figures["tool"])


def print_cpu(cpu: dict[str, float | None], driver: str) -> None:
    if cpu["server_cores"] is None:
        return
    console.print(
        f"CPU: the server {cpu['server_cores']:.2f} cores ({cpu['server_cpu_ms_per_request']:.1f} "
        f"ms a check), {driver} {cpu['driver_cores']:.2f}, other processes "
        f"{cpu['other_cores']:.2f}."
    )
    if (cpu["other_cores"] or 0.0) > 0.25:
        console.print(
            "[yellow]Other processes were busy on this machine meanwhile, so these figures are "
            "pessimistic: run again when it is quiet.[/]"
        )


# --- Main -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="open-loop phase length")
    parser.add_argument("--users", type=int, default=50, help="virtual users in the open loop")
    parser.add_argument("--rate", type=float, default=1.0, help="checks a second from each user")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--wrk-seconds", type=int, default=10, help="peak phase length")
    parser.add_argument("--connections", type=int, default=50, help="open connections at peak")
    parser.add_argument("--roster", type=int, default=ROSTER_SIZE, help="pupils on the roster")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this path")
    args = parser.parse_args()
    # Stop the server on `kill` as on Ctrl+C: SystemExit unwinds through running_server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))

    posts = load_posts()
    if hasattr(os, "getloadavg"):
        load_1, load_5, _ = os.getloadavg()
        console.print(
            f"{os.cpu_count()} CPUs; load average {load_1:.2f} (1 min), {load_5:.2f} (5 min)."
        )
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        fixture = prepare_database(folder, args.roster)
        console.print(
            f"{fixture.school_name}: {fixture.pupils_in_scope:,} pupils on the roster "
            f"({fixture.pupils_added:,} invented ones added to the demo's); checks sent as "
            f"{fixture.teacher} with an API token; {len(posts):,} drafts to choose from. "
            f"Database ready in {time.perf_counter() - started:.1f} s."
        )
        path = f"/api/v1/schools/{fixture.school_id}/check"
        report: dict[str, Any] = {
            "workers": args.workers,
            "cpus": os.cpu_count(),
            "school": fixture.school_name,
            "pupils_in_scope": fixture.pupils_in_scope,
            "drafts": len(posts),
        }
        with running_server(folder, fixture, args.workers) as server:
            console.print(
                f"Server: boundaries serve --workers {args.workers} at {server.base_url} "
                f"(process {server.process.pid})."
            )
            first, sent = asyncio.run(warm_up(server, path, fixture.token, posts, args.workers))
            report["warm_up"] = {"checks": sent, "slowest_ms": round(first, 1)}
            console.print(
                f"Warm-up: {sent} checks, the slowest {first:,.0f} ms (a worker's first check "
                "loads the word lists and builds the school's screener)."
            )

            load = asyncio.run(
                open_loop(server, path, fixture.token, posts, args.users, args.rate, args.seconds)
            )
            report["open_loop"] = load.figures() | {"users": args.users, "rate": args.rate}
            report["open_loop"]["passed"] = print_open_loop(
                report["open_loop"], args.users, args.rate
            )

            peak = run_wrk(
                server, path, fixture.token, posts, folder, args.wrk_seconds, args.connections
            )
            if peak is None:
                console.print(
                    "[yellow]wrk is not installed (make wrk installs it): measuring the peak "
                    f"with {args.connections} httpx connections from this process instead.[/]"
                )
                stand_in = asyncio.run(
                    closed_loop(
                        server, path, fixture.token, posts, args.connections, args.wrk_seconds
                    )
                )
                peak = stand_in.figures() | {"tool": "httpx", "connections": args.connections}
            report["peak"] = peak
            print_peak(peak)
            if report["open_loop"]["errors"] or peak["errors"]:
                console.print("The server's log, without its access lines:")
                console.print(server.log_tail(40, access=False), markup=False, highlight=False)
            if server.process.poll() is not None:
                raise RuntimeError(f"the server stopped during the run:\n{server.log_tail()}")

    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
        console.print(f"Figures written to {args.json}.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the server and the temporary folder are gone by now
        console.print("Stopped.")
        sys.exit(130)
