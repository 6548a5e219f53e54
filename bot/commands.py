"""The full `cluster-advisor` command line: the bot, the console chat, database and
knowledge-base tools, and every feature's commands (`bot/features.py`).

The Telegram library is loaded only by `run` with a token (`bot.app`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from bot import features
from bot.ask import ask_command
from bot.cli_settings import settings_or_exit
from bot.cli_support import services_opener, services_or_exit, started_services
from bot.console import ConsoleChat
from bot.logging import configure_logging
from core.actor import Role
from core.settings import Settings
from knowledge.base import check_knowledge_base
from storage.engine import DatabaseUnavailable, open_database

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Cluster Advisor: a Telegram bot for innovation clusters.")
kb_app = typer.Typer(no_args_is_help=True, help="Knowledge base tools.")
db_app = typer.Typer(no_args_is_help=True, help="Database tools.")
app.add_typer(kb_app, name="kb")
app.add_typer(db_app, name="db")


@app.callback()
def main_options(ctx: typer.Context) -> None:
    """Cluster Advisor: a Telegram bot for innovation clusters."""
    ctx.obj = services_opener(features.registry())


def _settings() -> Settings:
    return settings_or_exit()


@app.command()
def run() -> None:
    """Run the Telegram bot (long polling); without a token, the console chat."""
    settings = _settings()
    configure_logging(settings)
    if settings.token is None:
        _chat(settings, member=False)
        return
    from bot.app import StartupError, run_polling  # the Telegram library: only when needed

    try:
        run_polling(settings)
    except StartupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(exc.code) from None
    except DatabaseUnavailable as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


@app.command()
def chat(member: Annotated[bool, typer.Option("--member", help="Chat as an ordinary member "
                                                                "instead of a manager.")] = False
         ) -> None:
    """Chat with the advisor in this terminal, as a local manager unless --member."""
    settings = _settings()
    configure_logging(settings)
    _chat(settings, member=member)


def _chat(settings: Settings, *, member: bool) -> None:
    services = services_or_exit(settings, features.registry())
    try:
        ConsoleChat(services, role=Role.MEMBER if member else Role.MANAGER).run()
    except KeyboardInterrupt:
        pass
    finally:
        services.close()

app.command("ask")(ask_command)


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


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the newest version."""
    settings = _settings()
    try:
        engine = open_database(settings.database_url)
    except DatabaseUnavailable as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    engine.dispose()
    where = engine.url.render_as_string(hide_password=True)
    typer.echo(f"Database schema is up to date ({where}).")


@app.command()
def demo(ctx: typer.Context) -> None:
    """Fill an empty database with the talk's example cluster (members, action plan)."""
    with started_services(ctx) as services:
        lines = services.registry.fill_demo(services)
    typer.echo("\n".join(lines) if lines else "Nothing to add: the database is not empty.")


features.add_cli_commands(app)

