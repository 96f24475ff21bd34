"""`boundaries reports` (being built; see the registers issue)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Reports: being built.", no_args_is_help=True)
