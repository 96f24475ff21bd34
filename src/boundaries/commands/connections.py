"""`boundaries connections`: audit a platform export against the pupil roster."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="`boundaries connections`: audit a platform export against the pupil roster.",
    no_args_is_help=True,
)
