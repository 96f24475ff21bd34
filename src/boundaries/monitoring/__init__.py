"""Lawful monitoring of school internet use (policy sections 5 and 12): proxy and filter logs
read into a Parquet dataset, site categories, and the reports over them on DuckDB or Spark."""
