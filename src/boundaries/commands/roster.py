"""`boundaries roster` (being built; see the registers issue)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Roster: being built.", no_args_is_help=True)
