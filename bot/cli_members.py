"""CLI commands for members: `members import|export` and `match`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from bot.cli_support import started_services

members_app = typer.Typer(no_args_is_help=True, help="Member profiles: import and export.")


@members_app.command("import")
def members_import(
    file: Annotated[Path, typer.Argument(help="CSV with the columns name, organization, type, "
                                              "city, offers, needs, telegram (keywords "
                                              "separated by ';').")],
    strict: Annotated[bool, typer.Option("--strict", help="Import nothing if any row is "
                                                          "bad.")] = False,
) -> None:
    """Import member profiles; bad rows are reported by line, good rows kept."""
    from core.members.csv_io import CsvError, import_members, parse_members_csv

    try:
        data = file.read_bytes()
    except OSError as exc:
        typer.echo(f"Cannot read {file}: {exc.strerror or exc}.", err=True)
        raise typer.Exit(1) from None
    try:
        report = parse_members_csv(data)
    except CsvError as exc:
        typer.echo(f"{file}: {exc}", err=True)
        raise typer.Exit(1) from None
    for line, problem in report.problems:
        typer.echo(f"{file}:{line}: {problem}", err=True)
    if report.ignored_columns:
        typer.echo(f"{file}: ignored columns: {', '.join(report.ignored_columns)}", err=True)
    if strict and report.problems:
        typer.echo(f"--strict: nothing imported, {len(report.problems)} bad row(s).", err=True)
        raise typer.Exit(1)
    with started_services() as services:
        import_members(services, report)
    for line, reason in report.skipped:
        typer.echo(f"{file}:{line}: skipped: {reason}", err=True)
    summary = (f"Imported {report.created} new and updated {report.updated} profile(s)"
               f"{f', {report.claimed} given to their Telegram user' if report.claimed else ''}")
    if report.problems:
        summary += f"; {len(report.problems)} bad row(s) left out (see above)"
    typer.echo(summary + ".")
    if report.problems:
        raise typer.Exit(1)


@members_app.command("export")
def members_export(
    output: Annotated[Optional[Path], typer.Option("--output", "-o",  # noqa: UP045
                                                   help="Write to this file instead of "
                                                        "standard output.")] = None,
) -> None:
    """Export every profile as CSV (the import format, plus visible and source)."""
    from core.members.csv_io import export_members

    with started_services() as services:
        text = export_members(services)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        typer.echo(f"Cannot write {output}: {exc.strerror or exc}.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Exported {text.count(chr(10)) - 1} profile(s) to {output}.", err=True)


def match(
    query: Annotated[str, typer.Argument(help="Keywords, or - to read one query per line "
                                              "from standard input.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON objects.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=100, help="At most this many results.")] = 10,
) -> None:
    """Find members by keywords (German or English, typos welcome), best first."""
    from core.members.matching import cli_results

    queries = ([line.strip() for line in sys.stdin if line.strip()] if query == "-"
               else [query])
    with started_services() as services:
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
