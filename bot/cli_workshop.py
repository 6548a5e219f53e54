"""CLI commands for the workshop: `workshop export ID [--format csv|md] [--output FILE]`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from bot.cli_support import settings_or_exit, started_services
from core.i18n import LANGUAGES
from core.workshop.summary import export_csv, export_markdown
from storage.engine import session_scope
from storage.workshop.rounds import get_round

workshop_app = typer.Typer(no_args_is_help=True, help="Workshop rounds (the talk's four steps).")

FORMATS = ("csv", "md")


@workshop_app.command("export")
def export(ctx: typer.Context, round_id: Annotated[int, typer.Argument(help="Round id.")],
           format: Annotated[str, typer.Option("--format", help="csv or md.")] = "csv",
           output: Annotated[Optional[Path], typer.Option(  # noqa: UP045 (typer)
               "--output", "-o", help="Write to this file instead of stdout.")] = None,
           lang: Annotated[Optional[str], typer.Option(  # noqa: UP045
               "--lang", help="de or en (default: DEFAULT_LANGUAGE).")] = None) -> None:
    """Every contribution of a round with its author, as CSV (Excel) or Markdown."""
    if format not in FORMATS:
        typer.echo(f"--format must be csv or md, not {format!r}.", err=True)
        raise typer.Exit(2)
    if lang is not None and lang not in LANGUAGES:
        typer.echo(f"--lang must be de or en, not {lang!r}.", err=True)
        raise typer.Exit(2)
    settings = settings_or_exit()
    language = lang or settings.default_language
    with started_services(ctx, settings) as services:
        with session_scope(services.engine) as session:
            found = get_round(session=session, round_id=round_id)
        if found is None:
            typer.echo(f"There is no workshop round {round_id}.", err=True)
            raise typer.Exit(1)
        content = (export_csv if format == "csv" else export_markdown)(services, found,
                                                                       language)
    if output is None:
        typer.echo(content.decode("utf-8-sig"), nl=False)
    else:
        output.write_bytes(content)
        typer.echo(f"Wrote {output}.")


def register(app: typer.Typer) -> None:
    """Add this feature's commands to the main CLI."""
    app.add_typer(workshop_app, name="workshop")
