"""Reports on Apache Spark through PySpark, for a council's logs: the same queries, transpiled.

The session is the caller's if one is running (a cluster job, or a test's local session);
otherwise a local one is started with the settings below. Times are read as timestamps without
a zone, and the session clock is UTC, so Spark's values equal DuckDB's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from boundaries.monitoring import dataset
from boundaries.monitoring.engines import normalise_value
from boundaries.monitoring.queries import statement
from boundaries.monitoring.reports import ReportFilters, ReportKind, ReportTable

SPARK_TYPES = {
    "VARCHAR": "STRING",
    "TIMESTAMP": "TIMESTAMP_NTZ",
    "DATE": "DATE",
    "INTEGER": "INT",
    "BIGINT": "BIGINT",
    "BOOLEAN": "BOOLEAN",
}
SESSION_SETTINGS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.parquet.inferTimestampNTZ.enabled": "true",
    "spark.sql.ansi.enabled": "false",
}
LOCAL_SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.ui.showConsoleProgress": "false",
}


def session(master: str = "local[*]", extra: dict[str, str] | None = None) -> Any:
    """The running Spark session, or a new local one."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        spark = active
    else:
        builder = SparkSession.builder.master(master).appName("boundaries-monitoring")
        for key, value in {**LOCAL_SETTINGS, **SESSION_SETTINGS, **(extra or {})}.items():
            builder = builder.config(key, value)
        spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel("ERROR")
    for key, value in SESSION_SETTINGS.items():
        spark.conf.set(key, value)
    return spark


def _register(spark: Any, dataset_dir: Path) -> None:
    from pyspark.sql import functions as F
    from pyspark.sql.types import TimestampType

    for name, (_, columns) in dataset.TABLES.items():
        files = dataset.table_files(dataset_dir, name)
        if files:
            frame = spark.read.parquet(*[str(f) for f in files])
            # Zone-aware timestamps would be turned into the Python process's local time.
            for field in frame.schema.fields:
                if isinstance(field.dataType, TimestampType):
                    frame = frame.withColumn(field.name, F.col(field.name).cast("timestamp_ntz"))
        else:
            ddl = ", ".join(f"{n} {SPARK_TYPES[t]}" for n, t in columns)
            frame = spark.createDataFrame([], schema=ddl)
        frame.createOrReplaceTempView(name)


def run(
    dataset_dir: Path, kind: ReportKind, filters: ReportFilters, spark: Any | None = None
) -> ReportTable:
    spark = spark or session()
    _register(spark, dataset_dir)
    frame = spark.sql(statement(kind, filters, "spark"))
    rows = [tuple(normalise_value(v) for v in row) for row in frame.collect()]
    return ReportTable(kind=kind, columns=list(frame.columns), rows=rows)
