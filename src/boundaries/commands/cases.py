"""`boundaries cases`: verify the audit chain and evidence, bundles and retention."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="`boundaries cases`: verify the audit chain and evidence, bundles and retention.",
    no_args_is_help=True,
)
