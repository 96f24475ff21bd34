"""Proxy log benchmark (``make bench-logs``): lines per second for ingest plus the standard
report on DuckDB and on Spark (local), against GoAccess parsing the same Squid file, and peak
memory as the file grows.

The Squid native file (10 million lines by default, ``--lines N`` for a quick run) is
generated once, seeded, into ``benchmarks/.cache/bench-logs`` and reused. Each measurement runs
in its own process so that its peak RSS (from ``wait4``) is its own. The "standard report" is
the people, devices, categories, hours, top domains and blocked reports, run one after another.

Spark reads the Parquet dataset that the DuckDB ingest wrote (the ingest is shared; parsing
text is not what a council would use Spark for), so its figure is ingest time plus Spark's
report time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / ".cache" / "bench-logs"  # git ignores it
SEED = 2026
CHUNK = 500_000
STANDARD = ("people", "devices", "categories", "hours", "top_domains", "blocked")
TARGET_RATIO = 5.0
# GoAccess 1.7's built-in SQUID format expects a syslog prefix ("%^ %^ %^ %v %^: %x.%^ …"),
# so a plain access.log is read with the same specifiers minus the prefix.
GOACCESS_FORMAT = "%x.%^ %~%L %h %^/%s %b %m %U %e %^ %M"

# Sites a school's proxy sees, most requested first (weights fall off as in real logs).
POPULAR = [
    "www.google.com",
    "www.google.co.uk",
    "fonts.googleapis.com",
    "www.gstatic.com",
    "login.microsoftonline.com",
    "outlook.office365.com",
    "teams.microsoft.com",
    "www.bbc.co.uk",
    "www.bbc.com",
    "static.files.bbci.co.uk",
    "www.youtube.com",
    "i.ytimg.com",
    "rr3---sn-aigl6nzr.googlevideo.com",
    "classroom.google.com",
    "docs.google.com",
    "drive.google.com",
    "www.facebook.com",
    "static.xx.fbcdn.net",
    "www.instagram.com",
    "scontent-lhr8-1.cdninstagram.com",
    "www.tiktok.com",
    "v16-webapp.tiktok.com",
    "twitter.com",
    "x.com",
    "pbs.twimg.com",
    "www.snapchat.com",
    "web.snapchat.com",
    "www.reddit.com",
    "www.linkedin.com",
    "discord.com",
    "cdn.discordapp.com",
    "www.pinterest.co.uk",
    "i.pinimg.com",
    "www.wikipedia.org",
    "en.wikipedia.org",
    "upload.wikimedia.org",
    "www.gov.uk",
    "www.sparxmaths.uk",
    "www.educake.co.uk",
    "www.senecalearning.com",
    "quizlet.com",
    "kahoot.it",
    "www.canva.com",
    "www.amazon.co.uk",
    "m.media-amazon.com",
    "www.ebay.co.uk",
    "www.tripadvisor.co.uk",
    "www.mumsnet.com",
    "someone.blogspot.com",
    "medium.com",
    "www.twitch.tv",
    "open.spotify.com",
    "www.roblox.com",
    "www.minecraft.net",
    "ctldl.windowsupdate.com",
    "settings-win.data.microsoft.com",
    "ocsp.digicert.com",
    "www.apple.com",
    "cdn.jsdelivr.net",
    "ajax.googleapis.com",
]
SOCIAL_HINTS = (
    "facebook",
    "instagram",
    "tiktok",
    "twitter",
    "twimg",
    "x.com",
    "snapchat",
    "reddit",
    "discord",
    "pinterest",
    "pinimg",
    "youtube",
    "twitch",
    "fbcdn",
)
WORDS = [
    "oak",
    "river",
    "maths",
    "news",
    "games",
    "art",
    "music",
    "science",
    "tutor",
    "club",
    "revision",
    "cloud",
    "photo",
    "travel",
    "shop",
    "garden",
    "kitchen",
    "sport",
    "code",
    "story",
]
SUFFIXES = [".co.uk", ".com", ".org", ".org.uk", ".net", ".io", ".ac.uk", ".sch.uk"]
PATHS = [
    "/",
    "/index.html",
    "/search?q=homework",
    "/api/v1/items",
    "/static/app.js",
    "/images/logo.png",
    "/watch?v=dQw4w9WgXcQ",
    "/news/education-67000000",
    "/login",
    "/feed/",
    "/p/Cx1y2z3/",
    "/css/site.css",
]
MIMES = [
    "text/html",
    "image/jpeg",
    "image/png",
    "application/json",
    "text/css",
    "application/javascript",
    "image/gif",
    "video/mp4",
]
FORENAMES = [
    "amy",
    "ben",
    "chloe",
    "dan",
    "ella",
    "finn",
    "grace",
    "harry",
    "isla",
    "jack",
    "kate",
    "leo",
    "mia",
    "noah",
    "olivia",
    "piotr",
    "ruby",
    "sam",
    "tom",
    "zara",
]
SURNAMES = [
    "adams",
    "brown",
    "clark",
    "davies",
    "evans",
    "fisher",
    "green",
    "hughes",
    "jones",
    "khan",
    "lewis",
    "morgan",
    "nowak",
    "owen",
    "patel",
    "reid",
    "smith",
    "taylor",
    "walker",
    "young",
]


# -- generating the file ---------------------------------------------------------------------
def _hosts(rng: np.random.Generator) -> tuple[list[str], np.ndarray, np.ndarray]:
    tail = [
        f"{prefix}{WORDS[i % len(WORDS)]}{i}{SUFFIXES[i % len(SUFFIXES)]}"
        for i, prefix in zip(
            range(6000), rng.choice(["www.", "cdn.", "", "static."], 6000), strict=True
        )
    ]
    hosts = POPULAR + tail
    weights = 1.0 / np.arange(1, len(hosts) + 1) ** 0.9  # Zipf-like
    social = np.array([any(h in host for h in SOCIAL_HINTS) for host in hosts])
    return hosts, weights / weights.sum(), social


def generate(path: Path, lines: int) -> None:
    """``lines`` Squid native lines: a school week (Monday 23/11/2026 onwards), 1,500
    devices, 1,200 users when proxy authentication is on, CONNECT for most HTTPS."""
    rng = np.random.default_rng(SEED)
    hosts, weights, social = _hosts(rng)
    users = ["-"] + [
        f"MEADOWBANK\\{f}.{s}{n}" for n in range(3) for f in FORENAMES for s in SURNAMES
    ]
    clients = [f"10.20.{i // 250}.{i % 250 + 1}" for i in range(1500)]
    start = 1795392000.0 + 7.5 * 3600  # 07:30 UTC on Monday 23/11/2026
    span = 4 * 86400 + 11 * 3600  # to Friday 18:30
    temporary = path.with_suffix(".partial")
    with temporary.open("w", encoding="utf-8") as out:
        done = 0
        while done < lines:
            n = min(CHUNK, lines - done)
            base = start + span * done / lines
            stamps = base + np.sort(rng.uniform(0, span * n / lines, n))
            host_ix = rng.choice(len(hosts), n, p=weights)
            is_connect = rng.random(n) < 0.72
            denied = rng.random(n) < np.where(social[host_ix], 0.25, 0.01)
            challenge = rng.random(n) < 0.004
            user_ix = np.where(rng.random(n) < 0.35, rng.integers(1, len(users), n), 0)
            client_ix = rng.integers(0, len(clients), n)
            elapsed = rng.lognormal(5.0, 1.6, n).astype(np.int64)
            size = rng.lognormal(8.0, 1.8, n).astype(np.int64)
            path_ix = rng.integers(0, len(PATHS), n)
            mime_ix = rng.integers(0, len(MIMES), n)
            hit = rng.random(n)
            rows = []
            for i in range(n):
                host = hosts[host_ix[i]]
                if challenge[i]:
                    code, status = "TCP_DENIED", 407
                elif denied[i]:
                    code, status = "TCP_DENIED", 403
                elif is_connect[i]:
                    code, status = "TCP_TUNNEL", 200
                else:
                    code = "TCP_HIT" if hit[i] < 0.15 else "TCP_MISS"
                    status = 304 if hit[i] > 0.95 else 200
                if is_connect[i]:
                    method, url, mime = "CONNECT", f"{host}:443", "-"
                else:
                    method, url = "GET", f"http://{host}{PATHS[path_ix[i]]}"
                    mime = MIMES[mime_ix[i]]
                hier = (
                    "HIER_NONE/-"
                    if code == "TCP_DENIED"
                    else f"HIER_DIRECT/{host_ix[i] % 250}.1.2.3"
                )
                rows.append(
                    f"{stamps[i]:.3f} {elapsed[i]:6d} {clients[client_ix[i]]} {code}/{status:03d} "
                    f"{size[i]} {method} {url} {users[user_ix[i]]} {hier} {mime}\n"
                )
            out.writelines(rows)
            done += n
    temporary.replace(path)


def cached_file(lines: int) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"squid-{lines}.log"
    if not path.exists():
        print(f"Generating {lines:,} Squid lines into {path} (once)…", flush=True)
        began = time.perf_counter()
        generate(path, lines)
        print(f"  done in {time.perf_counter() - began:.1f} s", flush=True)
    return path


# -- measurements, each in its own process -----------------------------------------------------
def child_duckdb(log: Path, out: Path) -> dict[str, Any]:
    from boundaries.monitoring.ingest import ingest_logs
    from boundaries.monitoring.reports import run_reports

    began, began_cpu = time.perf_counter(), time.process_time()
    summary = ingest_logs([log], out)
    ingested, ingested_cpu = time.perf_counter(), time.process_time()
    run_reports(out, STANDARD)
    reported, reported_cpu = time.perf_counter(), time.process_time()
    return {
        "lines": summary.lines,
        "parsed": summary.parsed,
        "malformed": summary.malformed,
        "ingest_s": ingested - began,
        "report_s": reported - ingested,
        # CPU seconds (all threads) of the work alone, without starting Python and imports.
        "ingest_cpu_s": ingested_cpu - began_cpu,
        "report_cpu_s": reported_cpu - ingested_cpu,
    }


def child_spark(dataset_dir: Path) -> dict[str, Any]:
    from boundaries.monitoring.engines import spark_engine
    from boundaries.monitoring.reports import ReportKind, run_report

    began = time.perf_counter()
    spark = spark_engine.session("local[*]")
    started = time.perf_counter()
    for kind in STANDARD:
        run_report(dataset_dir, ReportKind(kind), engine="spark")
    reported = time.perf_counter()
    spark.stop()
    return {"startup_s": started - began, "report_s": reported - started}


def measure(command: list[str], *, capture_json: bool = True) -> tuple[dict[str, Any], float, int]:
    """Run ``command``; its JSON result (with ``cpu_s``, its user + system CPU seconds, all
    threads), wall time and peak RSS in MiB."""
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - began
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed with exit code {process.returncode}")
    result: dict[str, Any] = (
        json.loads(output.decode().strip().splitlines()[-1]) if capture_json else {}
    )
    peak = usage.ru_maxrss // 1024
    result["cpu_s"] = usage.ru_utime + usage.ru_stime
    if "peak_mib" in result:
        peak = max(peak, int(result["peak_mib"]))
    return result, wall, peak


def _self(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), *args]


def prefix_file(source: Path, lines: int) -> Path:
    path = CACHE / f"{source.stem}-first-{lines}.log"
    if not path.exists():
        with source.open("rb") as src, path.open("wb") as dst:
            for n, line in enumerate(src):
                if n >= lines:
                    break
                dst.write(line)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--child", choices=["duckdb", "spark"], help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "duckdb":
        print(json.dumps(child_duckdb(args.log, args.out)))
        return
    if args.child == "spark":
        print(json.dumps(child_spark(args.out)))
        return

    log = cached_file(args.lines)
    size_mib = log.stat().st_size / 2**20
    print(f"File: {log} ({args.lines:,} lines, {size_mib:,.0f} MiB); {os.cpu_count()} cores")
    work = Path(tempfile.mkdtemp(prefix="bench-logs-"))
    rows: list[tuple[str, float, float, int | None, float | None, str]] = []
    try:
        dataset_dir = work / "data"
        duck, _, duck_peak = measure(
            _self("--child", "duckdb", "--log", str(log), "--out", str(dataset_dir))
        )
        duck_time = duck["ingest_s"] + duck["report_s"]
        rows.append(
            (
                "DuckDB: ingest + standard report",
                duck_time,
                args.lines / duck_time,
                duck_peak,
                duck["cpu_s"],
                f"ingest {duck['ingest_s']:.1f} s ({duck['ingest_cpu_s']:.1f} CPU s), "
                f"report {duck['report_s']:.1f} s ({duck['report_cpu_s']:.1f} CPU s)",
            )
        )

        goaccess = shutil.which("goaccess")
        go_rate = None
        if goaccess:
            go, go_wall, go_peak = measure(
                [
                    goaccess,
                    str(log),
                    f"--log-format={GOACCESS_FORMAT}",
                    "--datetime-format=%s",
                    "--no-global-config",
                    "--no-progress",
                    "-o",
                    str(work / "goaccess.json"),
                ],
                capture_json=False,
            )
            go_rate = args.lines / go_wall
            rows.append(
                (
                    "GoAccess 1.7 (Squid format, JSON)",
                    go_wall,
                    go_rate,
                    go_peak,
                    go["cpu_s"],
                    "parse + its panels",
                )
            )
        else:
            print("GoAccess is not installed: run `make goaccess`.")

        if not args.skip_spark:
            spark, _, _ = measure(_self("--child", "spark", "--out", str(dataset_dir)))
            spark_time = duck["ingest_s"] + spark["report_s"]
            rows.append(
                (
                    "Spark local: ingest + standard report",
                    spark_time,
                    args.lines / spark_time,
                    None,  # the JVM is not this process's child: neither its memory
                    None,  # nor its CPU time is measured here
                    f"report {spark['report_s']:.1f} s (+ {spark['startup_s']:.1f} s start)",
                )
            )

        print()
        # Wall time is what a user waits; CPU time (all threads) is fairer on a shared machine.
        print(
            f"{'':40} {'seconds':>8} {'lines/s':>10} {'vs GoAccess':>11} {'CPU s':>7} "
            f"{'lines/CPU s':>11} {'peak MiB':>8}"
        )
        for name, seconds, rate, peak, cpu, note in rows:
            ratio = f"{rate / go_rate:.1f}×" if go_rate else "-"
            cpu_text = f"{cpu:7.1f} {args.lines / cpu:11,.0f}" if cpu else f"{'-':>7} {'-':>11}"
            peak_text = f"{peak:8,d}" if peak is not None else f"{'-':>8}"
            print(
                f"{name:40} {seconds:8.1f} {rate:10,.0f} {ratio:>11} {cpu_text} {peak_text}  {note}"
            )
        if go_rate:
            ratio = (args.lines / duck_time) / go_rate
            verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
            print(f"\nTarget DuckDB ≥ {TARGET_RATIO:.0f}× GoAccess: {ratio:.1f}× ({verdict}).")
            print(f"Per CPU second: {go['cpu_s'] / duck['cpu_s']:.1f}× GoAccess's lines.")

        if not args.skip_memory:
            print("\nPeak memory of ingest + standard report on DuckDB as the file grows:")
            points = sorted({max(1, args.lines // 10), max(1, args.lines * 3 // 10), args.lines})
            for count in points:
                source = log if count == args.lines else prefix_file(log, count)
                if count == args.lines:
                    peak = duck_peak
                    rate = args.lines / duck_time
                else:
                    out = work / f"data-{count}"
                    result, _, peak = measure(
                        _self("--child", "duckdb", "--log", str(source), "--out", str(out))
                    )
                    rate = count / (result["ingest_s"] + result["report_s"])
                    shutil.rmtree(out, ignore_errors=True)
                print(f"  {count:>12,} lines: peak RSS {peak:6,d} MiB, {rate:12,.0f} lines/s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
