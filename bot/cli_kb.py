"""`cluster-advisor kb …`: the knowledge base on the command line.

`kb check` validates the shipped files; `kb export [FILE]` writes the cluster's own entries
(#12) as TOML in the format of knowledge/content/*.toml (standard output without FILE);
`kb import FILE` checks the whole file first — every problem with its line — and adds or
updates entries by id only when all are right; `kb stats [--lang de|en]` prints per entry
how often it was answered, 👍, 👎 and when it was last asked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from bot.cli_support import settings_or_exit, started_services
from core.i18n import LANGUAGES
from core.questions.transfer import export_toml, import_toml, stats_lines
from knowledge.base import check_knowledge_base

kb_app = typer.Typer(no_args_is_help=True, help="Knowledge base tools.")


@kb_app.command("check")
def kb_check() -> None:
    """Validate the knowledge base files and report every problem."""
    knowledge, problems = check_knowledge_base()
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) found.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Knowledge base OK: {len(knowledge.entries)} entries in "
               f"{len(knowledge.chapters)} chapters, German and English.")


@kb_app.command("export")
def kb_export(ctx: typer.Context,
              file: Annotated[Optional[Path], typer.Argument(  # noqa: UP045
                  help="Write to this file (default: standard output).")] = None) -> None:
    """Write the cluster's own entries as TOML (the format of knowledge/content)."""
    with started_services(ctx) as services:
        text, count = export_toml(services)
    if file is None:
        typer.echo(text, nl=False)
        return
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as exc:
        typer.echo(f"Cannot write {file}: {exc.strerror}.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{count} cluster entr{'y' if count == 1 else 'ies'} written to {file}.")


@kb_app.command("import")
def kb_import(ctx: typer.Context,
              file: Annotated[Path, typer.Argument(help="A TOML file of [[entry]] tables.")]
              ) -> None:
    """Add or update cluster entries by id from a TOML file — all or nothing."""
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        typer.echo(f"{file}: not UTF-8; nothing imported.", err=True)
        raise typer.Exit(1) from None
    except OSError as exc:
        typer.echo(f"Cannot read {file}: {exc.strerror}.", err=True)
        raise typer.Exit(1) from None
    with started_services(ctx) as services:
        result = import_toml(services, text, file=file.name)
    if result.problems:
        for problem in result.problems:
            typer.echo(str(problem), err=True)
        typer.echo(f"{len(result.problems)} problem(s) found; nothing imported.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Imported {result.added + result.updated} entries from {file.name}: "
               f"{result.added} added, {result.updated} updated.")


@kb_app.command("stats")
def kb_stats(ctx: typer.Context,
             lang: Annotated[Optional[str], typer.Option(  # noqa: UP045
                 help="de or en (default: DEFAULT_LANGUAGE).")] = None) -> None:
    """Per entry: asked, 👍, 👎, last asked (most asked first)."""
    settings = settings_or_exit()
    if lang is not None and lang not in LANGUAGES:
        typer.echo(f"--lang must be de or en, not {lang!r}.", err=True)
        raise typer.Exit(2)
    with started_services(ctx, settings) as services:
        lines = stats_lines(services, lang or settings.default_language)
    typer.echo("\n".join(lines) if lines else "No answers given yet.")
