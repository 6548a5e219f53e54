"""CLI commands for events: `events list`, `events plan ID` (the slot plan),
`events export ID --what participants|schedule [--lang de|en] [--output FILE]` and
`events kpis [--lang de|en] [--output FILE]` (the KPIs per year as CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from bot.cli_support import settings_or_exit, started_services
from core.events.common import now, when
from core.events.exports import kpis_csv, participants_csv, schedule_csv
from core.events.schedule import plan_event
from core.i18n import LANGUAGES
from storage.engine import session_scope
from storage.events.events import all_events, get_event
from storage.events.kpis import counted_kpis

events_app = typer.Typer(no_args_is_help=True, help="Events: slot plan, exports, KPIs.")


def _language(lang: str | None, default: str) -> str:
    if lang is not None and lang not in LANGUAGES:
        typer.echo(f"--lang must be de or en, not {lang!r}.", err=True)
        raise typer.Exit(2)
    return lang or default


def _write(content: bytes, output: Path | None) -> None:
    if output is None:
        typer.echo(content.decode("utf-8-sig"), nl=False)
    else:
        output.write_bytes(content)
        typer.echo(f"Written to {output}.")


@events_app.command("list")
def events_list(ctx: typer.Context) -> None:
    """Every event with its id, start and title."""
    settings = settings_or_exit()
    with started_services(ctx, settings) as services, session_scope(services.engine) as s:
        for event in all_events(session=s):
            mark = " (cancelled)" if event.cancelled_at else ""
            typer.echo(f"{event.id}\t{when(services, event.starts_at, 'en')}\t"
                       f"{event.title}{mark}")


@events_app.command("plan")
def events_plan(ctx: typer.Context, event_id: Annotated[int, typer.Argument()]) -> None:
    """Give every accepted meeting without a slot one (nobody double-booked)."""
    settings = settings_or_exit()
    with started_services(ctx, settings) as services:
        result = plan_event(services, event_id)
    if result is None:
        typer.echo(f"Event {event_id} does not exist or has no meeting window.", err=True)
        raise typer.Exit(1)
    planned, left, _ = result
    typer.echo(f"{planned} meeting(s) planned, {left} without a common free slot.")


@events_app.command("export")
def events_export(
    ctx: typer.Context,
    event_id: Annotated[int, typer.Argument()],
    what: Annotated[str, typer.Option(help="participants or schedule")] = "participants",
    lang: Annotated[Optional[str], typer.Option(help="de or en")] = None,  # noqa: UP045
    output: Annotated[Optional[Path], typer.Option(help="file to write")] = None,  # noqa: UP045
) -> None:
    """Participants or schedule of an event as CSV (German Excel style for de)."""
    settings = settings_or_exit()
    if what not in ("participants", "schedule"):
        typer.echo("--what must be participants or schedule.", err=True)
        raise typer.Exit(2)
    language = _language(lang, settings.default_language)
    with started_services(ctx, settings) as services:
        with session_scope(services.engine) as session:
            if get_event(session=session, event_id=event_id) is None:
                typer.echo(f"Event {event_id} does not exist.", err=True)
                raise typer.Exit(1)
        make = participants_csv if what == "participants" else schedule_csv
        _write(make(services, event_id, language), output)


@events_app.command("kpis")
def events_kpis(
    ctx: typer.Context,
    lang: Annotated[Optional[str], typer.Option(help="de or en")] = None,  # noqa: UP045
    output: Annotated[Optional[Path], typer.Option(help="file to write")] = None,  # noqa: UP045
) -> None:
    """The counted KPIs per year as CSV (events, participants, talks, projects)."""
    settings = settings_or_exit()
    language = _language(lang, settings.default_language)
    with started_services(ctx, settings) as services, session_scope(services.engine) as s:
        kpis = counted_kpis(session=s, now=now())
    _write(kpis_csv(kpis, language), output)


def register(app: typer.Typer) -> None:
    """Add `events …` to the `cluster-advisor` app."""
    app.add_typer(events_app, name="events")
