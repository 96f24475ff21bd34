"""`boundaries monitoring`: authorisations, log ingest, reports and filtering exports."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="`boundaries monitoring`: authorisations, log ingest, reports and filtering exports.",
    no_args_is_help=True,
)
