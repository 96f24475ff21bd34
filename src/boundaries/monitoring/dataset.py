"""The layout of a monitoring dataset on disk: Parquet files that DuckDB and Spark both read.

``events/*.parquet`` hold one row per request (and, from Squid files, one per malformed line,
with only ``malformed_text`` set). Small tables map what the events hold to what they mean,
one row per distinct value, rebuilt after each ingest: ``hosts.parquet`` (category),
``urls.parquet`` (category of URLs that a ``urls`` list names), ``addresses.parquet``
(device and person of a client address) and ``users.parquet`` (person of a user name).
"""

from __future__ import annotations

from pathlib import Path

EVENTS = "events"
HOSTS = "hosts.parquet"
URLS = "urls.parquet"
ADDRESSES = "addresses.parquet"
USERS = "users.parquet"

# Times are stored without a zone: ``ts`` in UTC, ``local_ts`` (and ``day``, ``hour``,
# ``weekday`` from it) on the school's clock, so that "working hours" means what staff mean.
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("ts", "TIMESTAMP"),
    ("local_ts", "TIMESTAMP"),
    ("day", "DATE"),
    ("hour", "INTEGER"),
    ("weekday", "INTEGER"),  # ISO: Monday 1 … Sunday 7
    ("client", "VARCHAR"),
    ("client_host", "VARCHAR"),
    ("user_name", "VARCHAR"),
    ("method", "VARCHAR"),
    ("url", "VARCHAR"),
    ("host", "VARCHAR"),
    ("status", "INTEGER"),
    ("bytes", "BIGINT"),
    ("elapsed_ms", "BIGINT"),
    ("result", "VARCHAR"),
    ("blocked", "BOOLEAN"),
    ("provider_category", "VARCHAR"),
    ("mime", "VARCHAR"),
    ("format", "VARCHAR"),
    ("file", "VARCHAR"),
    ("malformed_text", "VARCHAR"),
)
HOST_COLUMNS: tuple[tuple[str, str], ...] = (
    ("host", "VARCHAR"),
    ("domain", "VARCHAR"),
    ("category", "VARCHAR"),
    ("social", "BOOLEAN"),
)
URL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("url", "VARCHAR"),
    ("category", "VARCHAR"),
    ("social", "BOOLEAN"),
)
ADDRESS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("address", "VARCHAR"),
    ("device", "VARCHAR"),
    ("device_id", "BIGINT"),
    ("person", "VARCHAR"),
    ("person_name", "VARCHAR"),
    ("person_id", "BIGINT"),
)
USER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("user_name", "VARCHAR"),
    ("person", "VARCHAR"),
    ("person_name", "VARCHAR"),
    ("person_id", "BIGINT"),
)
TABLES: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "events": (EVENTS, EVENT_COLUMNS),
    "hosts": (HOSTS, HOST_COLUMNS),
    "urls": (URLS, URL_COLUMNS),
    "addresses": (ADDRESSES, ADDRESS_COLUMNS),
    "users": (USERS, USER_COLUMNS),
}


def event_files(dataset_dir: Path) -> list[Path]:
    return sorted((dataset_dir / EVENTS).glob("*.parquet"))


def table_files(dataset_dir: Path, table: str) -> list[Path]:
    """The Parquet files holding ``table`` (none if it has not been written yet)."""
    if table == "events":
        return event_files(dataset_dir)
    path = dataset_dir / TABLES[table][0]
    return [path] if path.exists() else []


def sql_literal(value: str) -> str:
    """A string as a DuckDB SQL literal."""
    return "'" + value.replace("'", "''") + "'"
