"""`boundaries editions` (being built; see the registers issue)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Policy editions: being built.", no_args_is_help=True)
