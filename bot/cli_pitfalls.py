"""CLI commands for the pitfalls: `health [--json]`, `funding set|show|founded|delete`."""

from __future__ import annotations

import json
from typing import Annotated, Optional

import typer

from bot.cli_support import settings_or_exit, started_services
from core.i18n import LANGUAGES
from core.pitfalls.formatting import euros
from core.pitfalls.funding import (
    all_shares,
    amounts_of,
    founded,
    overview,
    save_year,
    this_year,
)
from core.pitfalls.funding_curve import (
    SOURCES,
    InputError,
    parse_amount,
    parse_year,
    parse_year_word,
)
from core.pitfalls.funding_entry import explain
from core.pitfalls.health import as_json as health_json
from core.pitfalls.health import assess, render
from core.reply import to_plain_text
from core.services import Services
from storage.engine import session_scope
from storage.pitfalls.funding import (
    delete_funding,
    funding_years,
    get_funding,
    store_founded_year,
)

funding_app = typer.Typer(no_args_is_help=True,
                          help="The cluster's funding per year and source (in euros).")

LangOption = Annotated[Optional[str], typer.Option(  # noqa: UP045 (typer needs Optional)
    "--lang", help="Language of advice and text: de or en (default: DEFAULT_LANGUAGE).")]
Amount = Annotated[Optional[str], typer.Option(  # noqa: UP045
    help="Whole euros (e.g. 20000 or 20.000). For a year already recorded, omitted sources "
         "keep their value; for a new year they are 0.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before deleting.")]


def _language(lang: str | None, default: str) -> str:
    if lang is None:
        return default
    if lang not in LANGUAGES:
        typer.echo(f"--lang must be de or en, not {lang!r}.", err=True)
        raise typer.Exit(2)
    return lang


def _english(error: InputError) -> str:
    """The reason for a bad input, as one English line."""
    return to_plain_text(explain("en", error))


def health(ctx: typer.Context, as_json: JsonOption = False, lang: LangOption = None) -> None:
    """The five pitfalls judged from the cluster's data: ok, warn, alert or unknown."""
    settings = settings_or_exit()
    language = _language(lang, settings.default_language)
    with started_services(ctx, settings) as services:
        if as_json:
            typer.echo(json.dumps(health_json(services, language), ensure_ascii=False,
                                  indent=2))
        else:
            typer.echo(to_plain_text(render(services, language, assess(services))))


@funding_app.command("set")
def funding_set(
    ctx: typer.Context,
    year: Annotated[str, typer.Argument(help="The calendar year, e.g. 2025.")],
    fees: Amount = None, public: Amount = None, services: Amount = None,
    projects: Amount = None,
) -> None:
    """Record (or correct) one year: membership fees, public funding, services, projects."""
    options = dict(zip(("--fees", "--public", "--services", "--projects"),
                       (fees, public, services, projects), strict=True))
    given: dict[str, int | None] = {}
    for (option, text), source in zip(options.items(), SOURCES, strict=True):
        try:
            given[source] = None if text is None else parse_amount(text)
        except InputError as error:
            typer.echo(f"{option} {text!r}: {_english(error)}", err=True)
            raise typer.Exit(1) from None
    with started_services(ctx, settings_or_exit()) as advisor:
        try:
            number = parse_year(year, this_year=this_year(advisor),
                                founded=founded(advisor).year)
        except InputError as error:
            typer.echo(f"year {year!r}: {_english(error)}", err=True)
            raise typer.Exit(1) from None
        with session_scope(advisor.engine) as session:
            row = get_funding(session=session, year=number)
            before = {s: int(getattr(row, s)) if row else 0 for s in SOURCES}
        amounts = {s: before[s] if given[s] is None else int(given[s] or 0) for s in SOURCES}
        save_year(advisor, number, amounts, None)
        _show(advisor, advisor.settings.default_language)


def _show(advisor: Services, lang: str) -> None:
    typer.echo(to_plain_text(overview(advisor, lang).text))


@funding_app.command("show")
def funding_show(ctx: typer.Context, as_json: JsonOption = False,
                 lang: LangOption = None) -> None:
    """Every recorded year with its shares and where the cluster stands against the curve."""
    settings = settings_or_exit()
    language = _language(lang, settings.default_language)
    with started_services(ctx, settings) as advisor:
        if not as_json:
            _show(advisor, language)
            return
        records, start = all_shares(advisor)
        typer.echo(json.dumps({"founded": start.year, "founded_from": start.source, "years": [
            {"year": row.year, **amounts_of(row), "total": shares.total,
             "public_percent": None if shares.public is None else round(shares.public, 1),
             "cluster_year": shares.age, "recommended_public_percent": shares.target}
            for row, shares in records]}, ensure_ascii=False, indent=2))


@funding_app.command("founded")
def funding_founded(ctx: typer.Context,
                    year: Annotated[str, typer.Argument(help="The founding year.")]) -> None:
    """Store the founding year (the CLUSTER_FOUNDED setting wins when it is set)."""
    with started_services(ctx, settings_or_exit()) as advisor:
        start = founded(advisor)
        if start.source == "setting":
            typer.echo(f"CLUSTER_FOUNDED={start.year} is set and takes precedence; change it "
                       "in .env or the environment.", err=True)
            raise typer.Exit(2)
        try:
            number = parse_year(year, this_year=this_year(advisor), founding=True)
        except InputError as error:
            typer.echo(f"year {year!r}: {_english(error)}", err=True)
            raise typer.Exit(1) from None
        with session_scope(advisor.engine) as session:
            store_founded_year(session=session, year=number)
        typer.echo(f"Founding year {number} stored.")


@funding_app.command("delete")
def funding_delete(ctx: typer.Context,
                   year: Annotated[str, typer.Argument(help="The recorded year, e.g. 2025.")],
                   yes: YesOption = False) -> None:
    """Delete the record of one year (asks first unless --yes)."""
    try:
        number = parse_year_word(year)
    except InputError as error:
        typer.echo(f"year {year!r}: {_english(error)}", err=True)
        raise typer.Exit(1) from None
    with started_services(ctx, settings_or_exit()) as advisor:
        with session_scope(advisor.engine) as session:
            row = get_funding(session=session, year=number)
            total = row.total if row is not None else 0
            recorded = [r.year for r in funding_years(session=session)]
        if row is None:
            listed = ", ".join(map(str, recorded)) or "none"
            typer.echo(f"No funding is recorded for {number}, so nothing was deleted "
                       f"(recorded years: {listed}).", err=True)
            raise typer.Exit(1)
        if not yes:
            typer.confirm(f"Delete the funding record of {number} (total "
                          f"{euros(total, 'en')})?", abort=True)
        with session_scope(advisor.engine) as session:
            delete_funding(session=session, year=number)
        typer.echo(f"Funding record of {number} deleted.")


def register(app: typer.Typer) -> None:
    """Add this feature's commands and sub-commands to the main CLI."""
    app.command("health")(health)
    app.add_typer(funding_app, name="funding")
