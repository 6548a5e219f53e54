"""CLI commands for plan import/export, reminders run-once.

`plan import FILE.csv [--strict]`, `plan export --format csv|ics [--output FILE]`,
`reminders run-once [--at ISO-DATETIME]`. Heavy imports stay inside the commands.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bot.cli_support import settings_or_exit, started_services

if TYPE_CHECKING:
    from datetime import datetime

    from bot.settings import Settings
    from core.action_plan.reminders import PassReport
    from core.services import Services

MAX_REMARKS = 20  # notes and skipped rows shown (every bad row is always shown)

plan_app = typer.Typer(no_args_is_help=True, help="Action plan: import and export.")
reminders_app = typer.Typer(no_args_is_help=True, help="Deadline reminders and the digest.")


def _plain(text: str) -> str:
    from bot.console import to_plain_text

    return to_plain_text(text)


@plan_app.command("import")
def plan_import(
    file: Annotated[Path, typer.Argument(help="CSV with columns topic, action, deadline, "
                                              "responsible, participants, kpi, status.")],
    strict: Annotated[bool, typer.Option("--strict", help="Import nothing if any row is "
                                                          "bad.")] = False,
) -> None:
    """Import action items from a CSV file (UTF-8, `,` or `;`); bad rows are reported."""
    settings = settings_or_exit()
    try:
        data = file.read_bytes()
    except OSError as exc:
        typer.echo(f"Cannot read {file}: {exc.strerror or exc}.", err=True)
        raise typer.Exit(1) from None
    from core.action_plan.transfer import import_csv

    with started_services(settings) as services:
        report = import_csv(services, data, strict=strict, lang=settings.default_language)
    for line, reason in sorted(report.errors):
        where = f"{file.name}:{line}: " if line else f"{file.name}: "
        typer.echo(where + _plain(reason), err=True)
    remarks = report.skipped + report.notes
    for line, reason in remarks[:MAX_REMARKS]:
        typer.echo(f"{file.name}:{line}: {_plain(reason)}")
    if len(remarks) > MAX_REMARKS:
        typer.echo(f"… and {len(remarks) - MAX_REMARKS} more remark(s) like these.")
    if report.errors and (strict or not report.imported):
        typer.echo(f"Nothing imported: {len(report.errors)} problem(s)"
                   + (" (--strict)." if strict else "."), err=True)
        raise typer.Exit(1)
    typer.echo(f"Imported {len(report.imported)} item(s); skipped {len(report.skipped)}; "
               f"{len(report.errors)} bad row(s).")
    if report.errors:
        raise typer.Exit(1)


@plan_app.command("export")
def plan_export(
    fmt: Annotated[str, typer.Option("--format", help="csv (for Excel) or ics (for "
                                                      "calendars).")] = "csv",
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--output", "-o", help="File to write (default: standard output).")] = None,
    lang: Annotated[Optional[str], typer.Option(  # noqa: UP045
        help="de or en (default: DEFAULT_LANGUAGE).")] = None,
) -> None:
    """Export the plan as CSV or as an iCalendar file with one all-day event per deadline."""
    settings = settings_or_exit()
    if fmt not in ("csv", "ics"):
        typer.echo(f"--format must be csv or ics, not {fmt!r}.", err=True)
        raise typer.Exit(2)
    if lang is not None and lang not in ("de", "en"):
        typer.echo(f"--lang must be de or en, not {lang!r}.", err=True)
        raise typer.Exit(2)
    from core.action_plan.transfer import csv_export, ics_export

    with started_services(settings) as services:
        export = csv_export if fmt == "csv" else ics_export
        data = export(services, lang or settings.default_language)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        typer.echo(f"Cannot write {output}: {exc.strerror or exc}.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Wrote {output} ({len(data):,} bytes).")


def _moment(at: str | None, settings: Settings) -> datetime | None:
    from datetime import datetime

    if at is None:
        return None
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        typer.echo(f"--at must be an ISO date and time such as 2026-12-01T09:00, not {at!r}.",
                   err=True)
        raise typer.Exit(2) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.tz)


async def _pass_once(services: Services, settings: Settings, now: datetime | None
                     ) -> PassReport:
    from telegram.ext import AIORateLimiter, ExtBot

    from core.action_plan.reminders import recover_in_flight, run_pass
    from handlers.action_plan import TelegramSender

    assert settings.token is not None
    recover_in_flight(services)
    bot: ExtBot[int] = ExtBot(settings.token, base_url=settings.telegram_api_base_url,
                               rate_limiter=AIORateLimiter(max_retries=3))
    async with bot:
        return await run_pass(services, TelegramSender(bot), now)


@reminders_app.command("run-once")
def run_once(
    at: Annotated[Optional[str], typer.Option(  # noqa: UP045
        help="Run as of this moment (ISO, e.g. 2026-12-01T09:00; cluster time zone "
             "unless given).")] = None,
) -> None:
    """One reminder and digest pass through the Telegram API; running it twice sends nothing
    new. Don't run it while the bot runs: the bot does the same every minute."""
    settings = settings_or_exit()
    if settings.token is None:
        typer.echo("TELEGRAM_BOT_TOKEN is not set: reminders are sent through Telegram.",
                   err=True)
        raise typer.Exit(2)
    now = _moment(at, settings)
    import asyncio

    from telegram.error import InvalidToken, TelegramError

    from bot.logging import configure_logging

    configure_logging(settings)
    with started_services(settings) as services:
        try:
            report = asyncio.run(_pass_once(services, settings, now))
        except InvalidToken:
            typer.echo("Telegram refused TELEGRAM_BOT_TOKEN (check it with @BotFather).",
                       err=True)
            raise typer.Exit(2) from None
        except TelegramError as exc:
            typer.echo(f"Telegram is not reachable: {exc}", err=True)
            raise typer.Exit(1) from None
    typer.echo(report.summary())
    if report.failed:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this feature's commands and sub-commands to the main CLI."""
    app.add_typer(plan_app, name="plan")
    app.add_typer(reminders_app, name="reminders")
