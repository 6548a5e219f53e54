"""CLI commands for members: `members import|export` and `match`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from bot.cli_support import settings_or_exit, started_services
from core.i18n import LANGUAGES, t
from core.members.csv_export import export_members
from core.members.csv_io import CsvError, import_members, parse_members_csv
from core.members.matching import cli_results

members_app = typer.Typer(no_args_is_help=True, help="Member profiles: import and export.")


def _language(lang: str | None, default: str) -> str:
    """The --lang value, or `default`; exits with a usage error for anything else."""
    if lang is not None and lang not in LANGUAGES:
        typer.echo(f"--lang must be de or en, not {lang!r}.", err=True)
        raise typer.Exit(2)
    return lang or default


@members_app.command("import")
def members_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV with the columns name, organization, type, "
                                              "city, offers, needs, telegram, description "
                                              "(German or English headers; ';' between "
                                              "columns with ',' between keywords, or ',' "
                                              "with ';').")],
    strict: Annotated[bool, typer.Option("--strict", help="Import nothing if any row is "
                                                          "bad.")] = False,
    lang: Annotated[Optional[str], typer.Option(  # noqa: UP045
        help="de or en for the report (default: en).")] = None,
) -> None:
    """Import member profiles; bad rows are reported by line, good rows kept."""
    language = _language(lang, "en")
    try:
        data = file.read_bytes()
    except OSError as exc:
        typer.echo(t(language, "members_csv_cannot_read", file=file,
                     reason=exc.strerror or exc), err=True)
        raise typer.Exit(1) from None
    try:
        report = parse_members_csv(data, lang=language)
    except CsvError as exc:
        typer.echo(f"{file}: {exc}", err=True)
        raise typer.Exit(1) from None
    for note in report.notes:
        typer.echo(f"{file}: {note}", err=True)
    for line, problem in report.problems:
        typer.echo(f"{file}:{line}: {problem}", err=True)
    if report.ignored_columns:
        typer.echo(t(language, "members_csv_ignored_columns", file=file,
                     columns=", ".join(report.ignored_columns)), err=True)
    bad = t(language, "members_csv_bad_rows", count=len(report.problems))
    if strict and report.problems:
        typer.echo(t(language, "members_csv_strict", bad=bad), err=True)
        raise typer.Exit(1)
    with started_services(ctx) as services:
        import_members(services, report)
    for line, reason in report.skipped:
        typer.echo(f"{file}:{line}: " + t(language, "members_csv_skipped", reason=reason),
                   err=True)
    typer.echo(t(language, "members_csv_summary",
                 new=t(language, "members_csv_count_new", count=report.created),
                 updated=t(language, "members_count_profiles", count=report.updated),
                 claimed=t(language, "members_csv_claimed", count=report.claimed)
                 if report.claimed else "",
                 left_out=t(language, "members_csv_left_out", bad=bad)
                 if report.problems else ""))
    if report.problems:
        raise typer.Exit(1)


@members_app.command("export")
def members_export(
    ctx: typer.Context,
    output: Annotated[Optional[Path], typer.Option("--output", "-o",  # noqa: UP045
                                                   help="Write to this file (UTF-8 with "
                                                        "BOM, for Excel) instead of "
                                                        "standard output.")] = None,
    lang: Annotated[Optional[str], typer.Option(  # noqa: UP045
        help="de (German headers, ';') or en (English headers, ','); default: "
             "DEFAULT_LANGUAGE.")] = None,
) -> None:
    """Export every profile as CSV (the import format, plus visible and source)."""
    settings = settings_or_exit()
    language = _language(lang, settings.default_language)
    with started_services(ctx, settings) as services:
        text, count = export_members(services, language)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8-sig")  # the BOM makes Excel read UTF-8
    except OSError as exc:
        typer.echo(t(language, "members_csv_cannot_write", file=output,
                     reason=exc.strerror or exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(t(language, "members_csv_exported", file=output,
                 profiles=t(language, "members_count_profiles", count=count)), err=True)


def match(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Keywords, or - to read one query per line "
                                              "from standard input.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON objects.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=100, help="At most this many results.")] = 10,
) -> None:
    """Find members by keywords (German or English, typos welcome), best first."""
    queries = ([line.strip() for line in sys.stdin if line.strip()] if query == "-"
               else [query])
    with started_services(ctx) as services:
        for text in queries:
            results = cli_results(services, text, limit)
            if as_json:
                sys.stdout.write(json.dumps({"query": text, "results": results},
                                            ensure_ascii=False) + "\n")
                continue
            if not results:
                sys.stdout.write(f"No matching member for {text!r}.\n")
            for number, result in enumerate(results, start=1):
                matched = ", ".join(str(k) for k in result["matched"])  # type: ignore[attr-defined]
                sys.stdout.write(f"{number}. {result['name']} ({result['organization']}) "
                                 f"– {result['score']}"
                                 f"{' – ' + matched if matched else ''}\n")
            if query == "-":
                sys.stdout.write("\n")
        sys.stdout.flush()


def register(app: typer.Typer) -> None:
    """Add this feature's commands and sub-commands to the main CLI."""
    app.add_typer(members_app, name="members")
    app.command("match")(match)
