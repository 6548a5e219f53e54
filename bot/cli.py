"""`cluster-advisor`: the command line. Heavy imports stay inside the commands so that
`cluster-advisor ask` starts fast and never loads the Telegram library."""

from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bot import cli_members, cli_pitfalls, cli_plan
from bot.cli_support import settings_or_exit, started_services

if TYPE_CHECKING:
    from bot.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Cluster Advisor: a Telegram bot for innovation clusters.")
kb_app = typer.Typer(no_args_is_help=True, help="Knowledge base tools.")
db_app = typer.Typer(no_args_is_help=True, help="Database tools.")
app.add_typer(kb_app, name="kb")
app.add_typer(db_app, name="db")


def _settings() -> Settings:
    return settings_or_exit()


def _configure_logging(settings: Settings) -> None:
    from bot.logging import configure_logging

    configure_logging(settings)


@app.command()
def run() -> None:
    """Run the Telegram bot (long polling); without a token, the console chat."""
    settings = _settings()
    _configure_logging(settings)
    if settings.token is None:
        _chat(settings, member=False)
        return
    from bot.app import run_polling

    run_polling(settings)


@app.command()
def chat(member: Annotated[bool, typer.Option("--member", help="Chat as an ordinary member "
                                                                "instead of a manager.")] = False
         ) -> None:
    """Chat with the advisor in this terminal, as a local manager unless --member."""
    settings = _settings()
    _configure_logging(settings)
    _chat(settings, member=member)


def _chat(settings: Settings, *, member: bool) -> None:
    from bot.console import ConsoleChat
    from core.actor import Role
    from core.services import build_services

    services = build_services(settings)
    try:
        ConsoleChat(services, role=Role.MEMBER if member else Role.MANAGER).run()
    except KeyboardInterrupt:
        pass
    finally:
        services.close()


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, or - to read one per line "
                                                 "from standard input.")],
    lang: Annotated[Optional[str], typer.Option(help="Answer in de or en (default: the "  # noqa: UP045
                                                     "question's language).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON objects.")] = False,
) -> None:
    """Answer one question (or one per line from stdin) without starting the bot."""
    settings = _settings()
    if lang is not None and lang not in ("de", "en"):
        typer.echo(f"--lang must be de or en, not {lang!r}.", err=True)
        raise typer.Exit(2)
    from bot.ask import answer_lines, answer_one

    if question == "-":
        answer_lines(sys.stdin, sys.stdout, settings=settings, lang=lang, as_json=as_json)
    else:
        answer_one(question, sys.stdout, settings=settings, lang=lang, as_json=as_json)


@kb_app.command("check")
def kb_check() -> None:
    """Validate the knowledge base files and report every problem."""
    from knowledge.base import check_knowledge_base

    knowledge, problems = check_knowledge_base()
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.echo(f"{len(problems)} problem(s) found.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Knowledge base OK: {len(knowledge.entries)} entries in "
               f"{len(knowledge.chapters)} chapters, German and English.")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the newest version."""
    settings = _settings()
    from storage.engine import make_engine, upgrade_schema

    engine = make_engine(settings.database_url)
    try:
        upgrade_schema(engine)
    finally:
        engine.dispose()
    where = engine.url.render_as_string(hide_password=True)
    typer.echo(f"Database schema is up to date ({where}).")


@app.command()
def demo() -> None:
    """Fill an empty database with the talk's example cluster (members, action plan)."""
    from core.demo import fill

    with started_services() as services:
        lines = fill(services)
    typer.echo("\n".join(lines) if lines else "Nothing to add: the database is not empty.")


for feature in (cli_members, cli_plan, cli_pitfalls):
    feature.register(app)


def main() -> None:
    """Entry point of the `cluster-advisor` script."""
    logging.captureWarnings(True)
    app()


if __name__ == "__main__":
    main()
