"""Reading proxy and filter logs into a monitoring dataset (Parquet; see ``dataset``).

Each file's format is detected from its first lines (or given); plain and gzip files are both
read, streamed, so memory stays flat however big the file. Squid's native format, by far the
biggest logs, is parsed by DuckDB's CSV reader with one regular expression (RE2, on all cores,
straight into Parquet row groups), which is several times faster than any Python loop; the
other formats are read line by line in Python, spooled in chunks and written the same way.
A malformed line is counted and the first few are kept as samples; it never stops the run.
Afterwards each distinct host, URL, client address and user name is looked up once (categories,
devices and people), and the small tables that hold the answers are rewritten.
"""

from __future__ import annotations

import csv
import gzip
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import duckdb

from boundaries.monitoring import dataset
from boundaries.monitoring.categories import Categories
from boundaries.monitoring.identities import DeviceRef, Identities, PersonRef
from boundaries.monitoring.parsers import FORMATS, ParseError, detect, host_of_url, line_parser
from boundaries.monitoring.parsers import squid as squid_format
from boundaries.monitoring.parsers.record import AUTHORITY_SQL, HOST_SQL, LogRecord

__all__ = [
    "DeviceRef",
    "Identities",
    "IngestSummary",
    "MalformedLine",
    "PersonRef",
    "ingest_logs",
    "refresh_lookups",
]

DEFAULT_ZONE = "Europe/London"
SAMPLE_LIMIT = 20
SAMPLE_POOL = 10_000
CHUNK_LINES = 200_000
MAX_SAMPLE_TEXT = 500
MEMORY_LIMIT = "1GB"
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class MalformedLine:
    """A line that could not be read, where it was and why."""

    file: str
    line_no: int
    text: str
    reason: str


@dataclass
class IngestSummary:
    """What an ingest read. ``formats`` counts the requests read in each format."""

    lines: int = 0
    parsed: int = 0
    malformed: int = 0
    malformed_samples: list[MalformedLine] = field(default_factory=list)
    formats: dict[str, int] = field(default_factory=dict)
    first_at: datetime | None = None
    last_at: datetime | None = None
    files: list[str] = field(default_factory=list)

    def _sample(self, line: MalformedLine, limit: int) -> None:
        if len(self.malformed_samples) < limit:
            self.malformed_samples.append(line)

    def _seen(self, first: datetime | None, last: datetime | None) -> None:
        if first is not None and (self.first_at is None or first < self.first_at):
            self.first_at = first
        if last is not None and (self.last_at is None or last > self.last_at):
            self.last_at = last


# -- files --------------------------------------------------------------------------------------
def is_gzip(path: Path) -> bool:
    with path.open("rb") as raw:
        return raw.read(2) == GZIP_MAGIC


@contextmanager
def open_text(path: Path) -> Iterator[IO[str]]:
    """The file as text, gunzipped if it is gzip (whatever its name); bad bytes replaced."""
    if is_gzip(path):
        with gzip.open(path, "rt", encoding="utf-8", errors="replace", newline=None) as text:
            yield text
    else:
        with path.open(encoding="utf-8", errors="replace", newline=None) as text:
            yield text


def _first_lines(path: Path, count: int = 50) -> list[str]:
    lines: list[str] = []
    with open_text(path) as text:
        for line in text:
            lines.append(line.rstrip("\n"))
            if len(lines) >= count:
                break
    return lines


def _connect(work: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory = {dataset.sql_literal(str(work))}")
    # Rows may be written in any order (a third faster); times are stored with every row.
    con.execute("SET preserve_insertion_order = false")
    return con


# -- the shared last step ---------------------------------------------------------------------
_SPOOL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("epoch_us", "BIGINT"),
    ("elapsed_ms", "BIGINT"),
    ("client", "VARCHAR"),
    ("client_host", "VARCHAR"),
    ("user_name", "VARCHAR"),
    ("method", "VARCHAR"),
    ("url", "VARCHAR"),
    ("host", "VARCHAR"),
    ("status", "INTEGER"),
    ("bytes", "BIGINT"),
    ("result", "VARCHAR"),
    ("blocked", "BOOLEAN"),
    ("provider_category", "VARCHAR"),
    ("mime", "VARCHAR"),
    ("malformed_text", "VARCHAR"),
)


def _events_sql(source: str, log_format: str, file_label: str, zone: str) -> str:
    """The event rows from a relation with the spool's columns: times on both clocks."""
    lit = dataset.sql_literal
    return f"""
        SELECT ts, local_ts, CAST(local_ts AS DATE) AS day,
               CAST(hour(local_ts) AS INTEGER) AS hour,
               CAST(isodow(local_ts) AS INTEGER) AS weekday,
               client, client_host, user_name, method, url, host, status, bytes, elapsed_ms,
               result, blocked, provider_category, mime,
               {lit(log_format)} AS format, {lit(file_label)} AS file, malformed_text
        FROM (
            SELECT *, make_timestamp(epoch_us) AS ts,
                   timezone({lit(zone)}, CAST(make_timestamp(epoch_us) AS TIMESTAMPTZ))
                       AS local_ts
            FROM ({source})
        )
    """


def _copy_to_parquet(con: duckdb.DuckDBPyConnection, sql: str, target: Path) -> int:
    # Snappy rather than zstd: files half as big again (26 against 17 MiB per million Squid
    # lines), but 0.3-0.6 CPU-s less per million lines ingested (measured, DuckDB 2.0).
    row = con.execute(
        f"COPY ({sql}) TO {dataset.sql_literal(str(target))} "
        "(FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)"
    ).fetchone()
    return int(row[0]) if row else 0


def _new_part(dataset_dir: Path) -> Path:
    folder = dataset_dir / dataset.EVENTS
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"part-{uuid.uuid4().hex}.parquet"


# -- Squid native, in DuckDB ---------------------------------------------------------------------
def _squid_source(path: Path) -> str:
    """Squid lines as spool columns. Each line is checked against the Squid pattern (a match
    without captures, which RE2 runs fast) and split on spaces; capturing twelve groups per
    line would take five times as long."""
    lit = dataset.sql_literal
    compression = "gzip" if is_gzip(path) else "none"
    # One VARCHAR column per line: the unit separator never occurs in a log, and if it did,
    # strict_mode=false keeps the line (cut there) rather than failing the file.
    reader = (
        f"read_csv({lit(str(path))}, columns = {{'line': 'VARCHAR'}}, header = false, "
        f"delim = '\x1f', quote = '', escape = '', auto_detect = false, "
        f"compression = {lit(compression)}, strict_mode = false, ignore_errors = true, "
        "store_rejects = true)"
    )
    return f"""
        SELECT
            CASE WHEN ok THEN CAST(split_part(stamp, '.', 1) AS BIGINT) * 1000000
                 + CAST(rpad(CASE WHEN contains(stamp, '.') THEN split_part(stamp, '.', 2)
                                  ELSE '0' END, 6, '0') AS BIGINT)
            END AS epoch_us,
            TRY_CAST(s[1] AS BIGINT) AS elapsed_ms,
            s[2] AS client,
            CAST(NULL AS VARCHAR) AS client_host,
            CASE WHEN s[7] <> '-' THEN s[7] END AS user_name,
            upper(s[5]) AS method,
            url,
            {HOST_SQL} AS host,
            TRY_CAST(split_part(s[3], '/', 2) AS INTEGER) AS status,
            TRY_CAST(s[4] AS BIGINT) AS bytes,
            split_part(s[3], '/', 1) AS result,
            contains(upper(s[3]), 'DENIED') AND NOT ends_with(s[3], '/407') AS blocked,
            CAST(NULL AS VARCHAR) AS provider_category,
            CASE WHEN s[9] <> '-' AND NOT starts_with(s[9], '[') THEN s[9] END AS mime,
            CASE WHEN NOT ok THEN left(line, {MAX_SAMPLE_TEXT}) END AS malformed_text
        FROM (
            SELECT *, {AUTHORITY_SQL} AS authority
            FROM (
                SELECT line, ok, s, stamp, s[6] AS url
                FROM (
                    -- The time, then the rest split on single spaces once the padding
                    -- before the elapsed time is gone. The fields of a malformed line are
                    -- nonsense, and are never read: its time is NULL.
                    SELECT line, ok, split_part(line, ' ', 1) AS stamp,
                           string_split(ltrim(substr(line, strpos(line, ' '))), ' ') AS s
                    FROM (
                        SELECT line,
                               regexp_full_match(line, {lit(squid_format.LINE_PATTERN)}) AS ok
                        FROM {reader}
                        -- Blank lines are skipped. A line starting with a printable ASCII
                        -- character is not blank, and trimming every line costs a copy of it.
                        WHERE line IS NOT NULL
                          AND (ascii(line) BETWEEN 33 AND 126 OR trim(line) <> '')
                    )
                )
            )
        )
    """


def _ingest_squid(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    dataset_dir: Path,
    zone: str,
    summary: IngestSummary,
    sample_limit: int,
) -> None:
    target = _new_part(dataset_dir)
    con.execute("DROP TABLE IF EXISTS reject_errors")
    con.execute("DROP TABLE IF EXISTS reject_scans")
    _copy_to_parquet(con, _events_sql(_squid_source(path), "squid", path.name, zone), target)
    stats = con.execute(
        "SELECT count(*), count(malformed_text), min(ts), max(ts) FROM read_parquet(?)",
        [str(target)],
    ).fetchone()
    assert stats is not None
    rows, bad, first, last = int(stats[0]), int(stats[1]), stats[2], stats[3]
    # Lines DuckDB could not read at all (bytes that are not UTF-8) come with their number.
    rejects = con.execute(
        "SELECT line, csv_line, error_type FROM reject_errors ORDER BY line"
    ).fetchall()
    summary.lines += rows + len(rejects)
    summary.parsed += rows - bad
    summary.malformed += bad + len(rejects)
    summary.formats["squid"] = summary.formats.get("squid", 0) + rows - bad
    summary._seen(_utc(first), _utc(last))
    samples: list[MalformedLine] = []
    if bad:
        # Rows are written in any order, so the sampled texts are looked up in the file, in
        # order: with up to SAMPLE_POOL malformed lines these are exactly the first ones.
        texts = {
            str(r[0])
            for r in con.execute(
                "SELECT malformed_text FROM read_parquet(?) WHERE malformed_text IS NOT NULL "
                f"LIMIT {SAMPLE_POOL}",
                [str(target)],
            ).fetchall()
        }
        samples.extend(_locate(path, texts, sample_limit))
    for line_no, text, error in rejects:
        samples.append(
            MalformedLine(path.name, int(line_no), str(text)[:MAX_SAMPLE_TEXT], _reason(error))
        )
    samples.sort(key=lambda s: s.line_no)
    for sample in samples[:sample_limit]:
        summary._sample(sample, sample_limit)
    if rows == 0:
        target.unlink(missing_ok=True)


def _reason(error: object) -> str:
    if str(error) == "INVALID ENCODING":
        return "the line is not UTF-8 text"
    return f"the line cannot be read ({str(error).lower().replace('_', ' ')})"


def _locate(path: Path, texts: set[str], limit: int) -> list[MalformedLine]:
    """The first ``limit`` lines of the file whose text is among ``texts``, with their line
    numbers, which DuckDB does not keep: one pass that stops as soon as they are found."""
    found: list[MalformedLine] = []
    with open_text(path) as lines:
        for line_no, line in enumerate(lines, start=1):
            # DuckDB cut the line at a unit separator, if it had one.
            text = line.rstrip("\r\n").split("\x1f", 1)[0][:MAX_SAMPLE_TEXT]
            if text in texts:
                found.append(MalformedLine(path.name, line_no, text, "not a Squid native log line"))
                if len(found) >= limit:
                    break
    return found


# -- the other formats, in Python ---------------------------------------------------------------
def _clean(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return text


def _spool_row(record: LogRecord) -> list[str]:
    at = record.at.astimezone(UTC)
    epoch_us = int(at.timestamp()) * 1_000_000 + at.microsecond
    values: tuple[object, ...] = (
        epoch_us,
        record.elapsed_ms,
        record.client,
        record.client_host,
        record.user,
        record.method,
        record.url,
        host_of_url(record.url),
        record.status,
        record.bytes,
        record.result,
        record.blocked,
        record.provider_category,
        record.mime,
        None,
    )
    return [_clean(v) for v in values]


def _spool_source(spool: Path) -> str:
    columns = ", ".join(
        f"{dataset.sql_literal(n)}: {dataset.sql_literal(t)}" for n, t in _SPOOL_COLUMNS
    )
    return (
        f"SELECT * FROM read_csv({dataset.sql_literal(str(spool))}, columns = {{{columns}}}, "
        "header = false, delim = '\t', quote = '', escape = '', auto_detect = false)"
    )


def _ingest_python(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    log_format: str,
    dataset_dir: Path,
    work: Path,
    zone: str,
    summary: IngestSummary,
    sample_limit: int,
    chunk_lines: int,
    smoothwall_columns: Mapping[str, str] | None,
    progress: Callable[[int], None] | None,
) -> None:
    parse = line_parser(log_format, ZoneInfo(zone), smoothwall_columns)
    spool = work / f"spool-{uuid.uuid4().hex}.tsv"
    pending = 0
    first: datetime | None = None
    last: datetime | None = None

    def flush() -> None:
        nonlocal pending
        handle.close()
        if pending:
            sql = _events_sql(_spool_source(spool), log_format, path.name, zone)
            _copy_to_parquet(con, sql, _new_part(dataset_dir))
        pending = 0

    handle = spool.open("w", encoding="utf-8", newline="")
    writer = csv.writer(
        handle, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar=None, lineterminator="\n"
    )
    try:
        with open_text(path) as lines:
            for line_no, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                summary.lines += 1
                try:
                    record = parse(line.rstrip("\r\n"))
                except ParseError as exc:
                    summary.malformed += 1
                    summary._sample(
                        MalformedLine(
                            path.name, line_no, line.rstrip("\r\n")[:MAX_SAMPLE_TEXT], str(exc)
                        ),
                        sample_limit,
                    )
                    continue
                if record is None:  # a header
                    summary.lines -= 1
                    continue
                writer.writerow(_spool_row(record))
                summary.parsed += 1
                summary.formats[log_format] = summary.formats.get(log_format, 0) + 1
                first = record.at if first is None or record.at < first else first
                last = record.at if last is None or record.at > last else last
                pending += 1
                if pending >= chunk_lines:
                    flush()
                    handle = spool.open("w", encoding="utf-8", newline="")
                    writer = csv.writer(
                        handle,
                        delimiter="\t",
                        quoting=csv.QUOTE_NONE,
                        escapechar=None,
                        lineterminator="\n",
                    )
                    if progress is not None:
                        progress(summary.lines)
        flush()
    finally:
        handle.close()
        spool.unlink(missing_ok=True)
    summary._seen(_utc(first), _utc(last))


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _unreadable(path: Path, summary: IngestSummary, sample_limit: int) -> None:
    """A file in no known format: every line is malformed, and nothing is stored."""
    with open_text(path) as lines:
        for line_no, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            summary.lines += 1
            summary.malformed += 1
            summary._sample(
                MalformedLine(
                    path.name,
                    line_no,
                    line.rstrip("\r\n")[:MAX_SAMPLE_TEXT],
                    "the file is in no log format this program reads",
                ),
                sample_limit,
            )


# -- entry point ----------------------------------------------------------------------------------
def ingest_logs(
    paths: Sequence[Path],
    dataset_dir: Path,
    *,
    identities: Identities | None = None,
    categories: Categories | None = None,
    progress: Callable[[int], None] | None = None,
    log_format: str | None = None,
    smoothwall_columns: Mapping[str, str] | None = None,
    zone: str = DEFAULT_ZONE,
    sample_limit: int = SAMPLE_LIMIT,
    chunk_lines: int = CHUNK_LINES,
) -> IngestSummary:
    """Add the requests in ``paths`` to the dataset in ``dataset_dir`` and rebuild its lookup
    tables. ``log_format`` (one of ``FORMATS``) skips detection; ``smoothwall_columns`` maps
    export captions to our column names; ``zone`` is the clock of times written without an
    offset and of working hours; ``progress`` is told the lines read so far."""
    if log_format is not None and log_format not in FORMATS:
        raise ValueError(f"Unknown log format {log_format!r}: use one of {', '.join(FORMATS)}.")
    ZoneInfo(zone)  # an unknown zone fails here, before any work
    dataset_dir.mkdir(parents=True, exist_ok=True)
    summary = IngestSummary()
    work = Path(tempfile.mkdtemp(prefix="ingest-", dir=dataset_dir))
    con = _connect(work)
    try:
        for path in paths:
            summary.files.append(path.name)
            found = log_format or detect(_first_lines(path))
            if found is None:
                _unreadable(path, summary, sample_limit)
            elif found == "squid":
                _ingest_squid(con, path, dataset_dir, zone, summary, sample_limit)
            else:
                _ingest_python(
                    con,
                    path,
                    found,
                    dataset_dir,
                    work,
                    zone,
                    summary,
                    sample_limit,
                    chunk_lines,
                    smoothwall_columns,
                    progress,
                )
            if progress is not None:
                progress(summary.lines)
        refresh_lookups(
            dataset_dir,
            identities or Identities.empty(),
            categories or Categories.builtin(),
            con=con,
        )
    finally:
        con.close()
        shutil.rmtree(work, ignore_errors=True)
    return summary


# -- lookups: once per distinct value -------------------------------------------------------------
def _write_table(
    con: duckdb.DuckDBPyConnection,
    rows: list[tuple[Any, ...]],
    columns: tuple[tuple[str, str], ...],
    target: Path,
    work: Path,
) -> None:
    spool = work / f"lookup-{uuid.uuid4().hex}.tsv"
    with spool.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(
            handle, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar=None, lineterminator="\n"
        )
        for row in rows:
            writer.writerow([_clean(v) for v in row])
    spec = ", ".join(f"{dataset.sql_literal(n)}: {dataset.sql_literal(t)}" for n, t in columns)
    names = ", ".join(n for n, _ in columns)
    source = (
        f"SELECT {names} FROM read_csv({dataset.sql_literal(str(spool))}, columns = {{{spec}}}, "
        "header = false, delim = '\t', quote = '', escape = '', auto_detect = false)"
    )
    temporary = target.with_suffix(".tmp")
    _copy_to_parquet(con, source, temporary)
    temporary.replace(target)  # readers never see a half-written table
    spool.unlink(missing_ok=True)


def _distinct(
    con: duckdb.DuckDBPyConnection, files: list[Path], expression: str, where: str = ""
) -> list[str]:
    if not files:
        return []
    listing = "[" + ", ".join(dataset.sql_literal(str(f)) for f in files) + "]"
    # Malformed Squid lines are stored with no time and nonsense in their other fields.
    condition = f"WHERE ts IS NOT NULL AND {where}" if where else "WHERE ts IS NOT NULL"
    return [
        str(r[0])
        for r in con.execute(
            f"SELECT DISTINCT v FROM (SELECT {expression} AS v FROM read_parquet({listing}) "
            f"{condition}) WHERE v IS NOT NULL"
        ).fetchall()
    ]


def refresh_lookups(
    dataset_dir: Path,
    identities: Identities,
    categories: Categories,
    *,
    con: duckdb.DuckDBPyConnection | None = None,
) -> None:
    """Rebuild the hosts, URLs, addresses and users tables from the events, with the given
    registers and categories (run it again when either changes; the events stay as they are)."""
    own = con is None
    work = Path(tempfile.mkdtemp(prefix="lookups-", dir=dataset_dir))
    connection = _connect(work) if con is None else con
    try:
        files = dataset.event_files(dataset_dir)
        hosts = _distinct(connection, files, "host")
        host_rows = []
        for host in hosts:
            found = categories.lookup(host)
            host_rows.append((host, found.domain, found.category, found.social))
        _write_table(connection, host_rows, dataset.HOST_COLUMNS, dataset_dir / dataset.HOSTS, work)
        ruled = [h for h in hosts if categories.has_url_rules(h)]
        url_rows = []
        if ruled:
            listing = ", ".join(dataset.sql_literal(h) for h in ruled)
            for url in _distinct(connection, files, "url", f"host IN ({listing})"):
                category = categories.category_of_url(url)
                if category is not None:
                    url_rows.append((url, category, categories.is_social_category(category)))
        _write_table(connection, url_rows, dataset.URL_COLUMNS, dataset_dir / dataset.URLS, work)
        address_rows = []
        for address in _distinct(connection, files, "unnest([client, client_host])"):
            device = identities.device_for(address)
            if device is None:
                continue
            person = identities.person_for_device(device)
            address_rows.append(
                (
                    address,
                    device.hostname,
                    device.device_id,
                    person.email if person else None,
                    person.name if person else None,
                    person.person_id if person else None,
                )
            )
        _write_table(
            connection, address_rows, dataset.ADDRESS_COLUMNS, dataset_dir / dataset.ADDRESSES, work
        )
        user_rows = []
        for user in _distinct(connection, files, "user_name"):
            person = identities.person_for_user(user)
            if person is not None:
                user_rows.append((user, person.email, person.name, person.person_id))
        _write_table(connection, user_rows, dataset.USER_COLUMNS, dataset_dir / dataset.USERS, work)
    finally:
        if own:
            connection.close()
        shutil.rmtree(work, ignore_errors=True)
