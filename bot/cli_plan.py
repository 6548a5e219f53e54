"""CLI commands for plan import/export, reminders run-once.

`plan import FILE.csv [--strict] [--lang de|en]`, `plan export --format csv|ics
[--output FILE] [--lang de|en]`, `reminders run-once [--at ISO-DATETIME]`; --lang chooses
the language of the report and of the exported file (default: DEFAULT_LANGUAGE). The
Telegram library (with `handlers.render`, its adapter) is loaded only by `reminders
run-once`, as `bot.cli` loads it only for `run`: every `cluster-advisor` command imports
this module, and `ask` must start fast.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from bot.cli_support import settings_or_exit, started_services
from bot.logging import configure_logging
from core.action_plan.csv_import import import_csv
from core.action_plan.reminders import PassReport, recover_in_flight, run_pass
from core.action_plan.transfer import csv_export, ics_export
from core.i18n import LANGUAGES, t
from core.reply import to_plain_text
from core.services import Services
from core.settings import Settings
from handlers.render import TelegramSender
from handlers.throttle import ChatThrottle  # a long 429 for one chat never stalls run-once

MAX_REMARKS = 20  # notes and skipped rows shown (every bad row is always shown)

plan_app = typer.Typer(no_args_is_help=True, help="Action plan: import and export.")
reminders_app = typer.Typer(no_args_is_help=True, help="Deadline reminders and the digest.")


def _language(lang: str | None, settings: Settings) -> str:
    """The --lang value, or DEFAULT_LANGUAGE; exits with a usage error for anything else."""
    if lang is not None and lang not in LANGUAGES:
        typer.echo(f"--lang must be de or en, not {lang!r}.", err=True)
        raise typer.Exit(2)
    return lang or settings.default_language


@plan_app.command("import")
def plan_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV with the columns of `plan export` (German "
                                              "or English headers).")],
    strict: Annotated[bool, typer.Option("--strict", help="Import nothing if any row is "
                                                          "bad.")] = False,
    lang: Annotated[Optional[str], typer.Option(  # noqa: UP045
        help="de or en for the report (default: DEFAULT_LANGUAGE).")] = None,
) -> None:
    """Import action items from a CSV file (UTF-8, `,` or `;`); bad rows are reported."""
    settings = settings_or_exit()
    language = _language(lang, settings)
    try:
        data = file.read_bytes()
    except OSError as exc:
        typer.echo(t(language, "plan_import_unreadable", file=file,
                     reason=exc.strerror or exc), err=True)
        raise typer.Exit(1) from None
    with started_services(ctx, settings) as services:
        report = import_csv(services, data, strict=strict, lang=language)
    for line, reason in sorted(report.errors):
        where = f"{file.name}:{line}: " if line else f"{file.name}: "
        typer.echo(where + to_plain_text(reason), err=True)
    remarks = report.skipped + report.notes
    for line, reason in remarks[:MAX_REMARKS]:
        typer.echo(f"{file.name}:{line}: {to_plain_text(reason)}")
    if len(remarks) > MAX_REMARKS:
        typer.echo(t(language, "plan_import_more_remarks", count=len(remarks) - MAX_REMARKS))
    if report.errors and (strict or not report.imported):
        key = "plan_import_nothing_strict" if strict else "plan_import_nothing"
        typer.echo(t(language, key, count=len(report.errors)), err=True)
        raise typer.Exit(1)
    typer.echo("; ".join(t(language, key, count=count) for key, count in (
        ("plan_import_imported", len(report.imported)),
        ("plan_import_skipped", len(report.skipped)),
        ("plan_import_bad_rows", len(report.errors)))) + ".")
    if report.errors:
        raise typer.Exit(1)


@plan_app.command("export")
def plan_export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="csv (for Excel) or ics (for "
                                                      "calendars).")] = "csv",
    output: Annotated[Optional[Path], typer.Option(  # noqa: UP045
        "--output", "-o", help="File to write (default: standard output).")] = None,
    lang: Annotated[Optional[str], typer.Option(  # noqa: UP045
        help="de or en: headers, separator and dates (default: DEFAULT_LANGUAGE).")] = None,
) -> None:
    """Export the plan as CSV or as an iCalendar file with one all-day event per deadline."""
    settings = settings_or_exit()
    if fmt not in ("csv", "ics"):
        typer.echo(f"--format must be csv or ics, not {fmt!r}.", err=True)
        raise typer.Exit(2)
    language = _language(lang, settings)
    with started_services(ctx, settings) as services:
        export = csv_export if fmt == "csv" else ics_export
        data = export(services, language)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        typer.echo(t(language, "plan_export_unwritable", file=output,
                     reason=exc.strerror or exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(t(language, "plan_export_written", file=output, count=len(data)))


def _moment(at: str | None, settings: Settings) -> datetime | None:
    """The --at value as a moment (cluster time zone unless it has an offset)."""
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
    from telegram.ext import ExtBot

    assert settings.token is not None
    recover_in_flight(services)
    bot: ExtBot[None] = ExtBot(settings.token, base_url=settings.telegram_api_base_url,
                               rate_limiter=ChatThrottle(
                                   overall=(settings.telegram_messages_per_second, 1.0)))
    async with bot:
        return await run_pass(services, TelegramSender(bot), now)


@reminders_app.command("run-once")
def run_once(
    ctx: typer.Context,
    at: Annotated[Optional[str], typer.Option(  # noqa: UP045
        help="Run as of this moment (ISO, e.g. 2026-12-01T09:00; cluster time zone "
             "unless given).")] = None,
) -> None:
    """One reminder and digest pass through the Telegram API; running it twice sends nothing
    new. Don't run it while the bot runs: the bot does the same every minute."""
    from telegram.error import InvalidToken, TelegramError

    settings = settings_or_exit()
    if settings.token is None:
        typer.echo("TELEGRAM_BOT_TOKEN is not set: reminders are sent through Telegram.",
                   err=True)
        raise typer.Exit(2)
    now = _moment(at, settings)
    configure_logging(settings)
    with started_services(ctx, settings) as services:
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
