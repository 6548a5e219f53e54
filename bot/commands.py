"""The full `cluster-advisor` command line: the bot, the console chat, database and
knowledge-base tools, and every feature's commands (`bot/features.py`).

The Telegram library is loaded only by `run` with a token (`bot.app`).
"""

from __future__ import annotations

from typing import Annotated

import typer

from bot import features
from bot.ask import ask_command
from bot.cli_kb import kb_app  # kb check, export, import, stats
from bot.cli_settings import settings_or_exit
from bot.cli_support import services_opener, services_or_exit, started_services
from bot.collector import startup
from bot.console import ConsoleChat
from bot.logging import configure_logging
from core.actor import Role
from core.settings import Settings, SettingsError, WebhookSettings, require_webhook
from storage.engine import DatabaseUnavailable, open_database

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Cluster Advisor: a Telegram bot for innovation clusters.")
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
def run(webhook: Annotated[bool, typer.Option(
        "--webhook", help="Receive updates by webhook (WEBHOOK_URL, WEBHOOK_SECRET, "
                          "WEBHOOK_LISTEN, WEBHOOK_PORT) instead of long polling.")] = False,
        ) -> None:
    """Run the Telegram bot (long polling, or --webhook); without a token, the console chat."""
    settings = _settings()
    webhook_settings = _webhook_settings(settings) if webhook else None
    configure_logging(settings)
    if settings.token is None:
        startup.resume()
        _chat(settings, member=False)
        return
    from bot.app import StartupError, run_polling, run_webhook  # Telegram: only when needed

    try:
        if webhook_settings is None:
            run_polling(settings)
        else:
            run_webhook(settings, webhook_settings)
    except StartupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(exc.code) from None
    except DatabaseUnavailable as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


def _webhook_settings(settings: Settings) -> WebhookSettings:
    """The webhook settings, or exit 2 with one line naming the missing or bad one."""
    try:
        return require_webhook(settings)
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


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

