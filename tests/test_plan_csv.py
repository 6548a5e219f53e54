"""Import and export: CSV as Excel writes it (BOM, semicolons), broken files reported by line,
--strict, the CLI's exit codes, and an .ics that calendars accept."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlmodel import select

from core.action_plan.transfer import csv_export, ics_export, import_csv
from core.services import Services, build_services
from storage.engine import session_scope
from storage.plan import PlanItem
from tests.conftest import clean_env, make_settings
from tests.test_plan_support import add_item, berlin, manager, person

DATA = Path(__file__).parent / "data"


def _items(services: Services) -> list[PlanItem]:
    with session_scope(services.engine) as session:
        return list(session.exec(select(PlanItem).order_by(PlanItem.id)).all())  # type: ignore[arg-type]


def _import(services: Services, name: str, *, strict: bool = False, lang: str = "en"):  # type: ignore[no-untyped-def]
    return import_csv(services, (DATA / name).read_bytes(), strict=strict, lang=lang)


def test_comma_separated_utf8_file_is_imported(services: Services) -> None:
    report = _import(services, "plan_good.csv")
    assert report.errors == [] and len(report.imported) == 3
    first, second, third = _items(services)
    assert first.responsible_username == "anna_berg" and first.kpi == "3 Zirkel"
    assert first.participant_groups == ["research", "companies"]
    assert second.status == "in_progress" and second.responsible_name == "CARS"
    assert second.participant_groups == ["research", "companies", "politics", "public_sector",
                                         "others"]
    assert third.status == "done" and third.deadline == date(2020, 1, 15)
    assert any("anna_berg" in note for _, note in report.notes)


def test_german_excel_file_with_bom_semicolons_and_quotes_is_imported(
        services: Services) -> None:
    report = _import(services, "plan_excel_de.csv", lang="de")
    assert report.errors == [], report.errors
    first, second = _items(services)
    assert first.action == "Antrag; mit Semikolon" and first.deadline == date(2030, 12, 31)
    assert first.kpi == "2 Anträge je Jahr" and first.status == "open"
    assert first.participant_groups == ["research", "cluster"]
    assert second.status == "in_progress" and second.deadline.month == 3


def test_bad_rows_are_reported_by_line_and_the_good_ones_imported(services: Services) -> None:
    report = _import(services, "plan_bad_rows.csv")
    lines = {line: reason for line, reason in report.errors}
    assert sorted(lines) == [3, 4, 5, 7, 8]
    assert "irgendwann" in lines[3] and "Topic must not be empty" in lines[4]
    assert "vielleicht" in lines[5] and "03/04/2030" in lines[7]
    assert "responsible" in lines[8]
    assert [i.topic for i in _items(services)] == ["Gut eins", "Gut zwei"]
    assert _items(services)[1].status == "done"


def test_strict_import_imports_nothing_when_a_row_is_bad(services: Services) -> None:
    report = _import(services, "plan_bad_rows.csv", strict=True)
    assert len(report.errors) == 5 and report.imported == []
    assert _items(services) == []


@pytest.mark.parametrize(("name", "content", "line", "expected"), [
    ("plan_empty.csv", None, 0, "empty"),
    ("blank.csv", b"\n\n  \n", 0, "empty"),
    ("bom_only.csv", b"\xef\xbb\xbf", 0, "empty"),
    ("plan_wrong_header.csv", None, 1, "topic, action, responsible missing"),
    ("header_only.csv", b"topic,action,deadline,responsible\n", 0, "only a header"),
    ("latin1.csv", "topic;action;deadline;responsible\nFörderung;Antrag;2030-01-01;CARS\n"
     .encode("cp1252"), 2, "not UTF-8"),
    ("too_many.csv", b"topic,action,deadline,responsible\nA,B,2030-01-01,CARS,extra,x\n", 2,
     "6 fields instead of 4"),
])
def test_broken_files_are_refused_with_line_and_reason(
        services: Services, tmp_path: Path, name: str, content: bytes | None, line: int,
        expected: str) -> None:
    data = (DATA / name).read_bytes() if content is None else content
    report = import_csv(services, data, strict=False, lang="en")
    assert report.imported == []
    assert report.errors and report.errors[0][0] == line, report.errors
    assert expected in report.errors[0][1], report.errors


def test_reimporting_the_same_file_skips_what_is_already_there(services: Services) -> None:
    _import(services, "plan_good.csv")
    again = _import(services, "plan_good.csv")
    assert again.imported == [] and len(again.skipped) == 3 and again.errors == []
    assert len(_items(services)) == 3


def test_csv_export_imports_back_into_an_empty_plan(services: Services, tmp_path: Path) -> None:
    person(services, 7)
    boss = manager(services)
    add_item(services, boss, deadline=date(2030, 5, 1), responsible="@user7",
             topic="=HYPERLINK(\"http://evil\")", action="a; b, \"c\"", now=berlin(2026, 1, 1))
    add_item(services, boss, deadline=date(2031, 1, 1), responsible="@later_user",
             topic="Zweites", now=berlin(2026, 1, 1))
    exported = csv_export(services, "de")
    assert exported.startswith(b"\xef\xbb\xbf") and b";" in exported.splitlines()[0]
    assert b"'=HYPERLINK" in exported, "formulas are defused for Excel"
    other = build_services(make_settings(f"sqlite:///{tmp_path / 'other.sqlite3'}"))
    try:
        report = import_csv(other, exported, strict=True, lang="de")
        assert report.errors == [], report.errors
        first, second = _items(other)
    finally:
        other.close()
    assert first.topic == "=HYPERLINK(\"http://evil\")" and first.action == "a; b, \"c\""
    assert first.deadline == date(2030, 5, 1)
    assert second.responsible_username == "later_user"


def test_ics_has_one_all_day_event_per_deadline_that_parses_back(services: Services) -> None:
    boss = manager(services)
    first = add_item(services, boss, deadline=date(2030, 5, 1), responsible="CARS",
                     topic="Thema <b>", now=berlin(2026, 1, 1))
    add_item(services, boss, deadline=date(2030, 6, 1), responsible="AUTO",
             now=berlin(2026, 1, 1))
    calendar = Calendar.from_ical(ics_export(services, "de"))
    assert calendar.get("VERSION") == "2.0" and calendar.get("PRODID")
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    uids = {str(event.get("UID")) for event in events}
    assert len(uids) == 2
    event = events[0]
    assert event.decoded("DTSTART") == date(2030, 5, 1)
    assert event.decoded("DTEND") == date(2030, 5, 1) + timedelta(days=1)
    assert event.get("DTSTAMP") is not None
    assert str(event.get("SUMMARY")) == f"#{first.id} Thema <b>: Aktion"
    assert "CARS" in str(event.get("DESCRIPTION"))


# ---------------------------------------------------------------------- the CLI
def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_import_reports_lines_and_strict_exits_1(tmp_path: Path) -> None:
    strict = _cli(tmp_path, "plan", "import", str(DATA / "plan_bad_rows.csv"), "--strict")
    assert strict.returncode == 1
    assert "plan_bad_rows.csv:3:" in strict.stderr and "--strict" in strict.stderr
    partial = _cli(tmp_path, "plan", "import", str(DATA / "plan_bad_rows.csv"))
    assert partial.returncode == 1 and "Imported 2 item(s)" in partial.stdout
    good = _cli(tmp_path, "plan", "import", str(DATA / "plan_excel_de.csv"))
    assert good.returncode == 0, good.stderr
    missing = _cli(tmp_path, "plan", "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and "Cannot read" in missing.stderr


def test_cli_export_writes_csv_and_ics(tmp_path: Path) -> None:
    assert _cli(tmp_path, "demo").returncode == 0
    ics = _cli(tmp_path, "plan", "export", "--format", "ics", "--output",
               str(tmp_path / "plan.ics"))
    assert ics.returncode == 0, ics.stderr
    events = Calendar.from_ical((tmp_path / "plan.ics").read_bytes()).walk("VEVENT")
    assert len(events) == 2
    csv_out = _cli(tmp_path, "plan", "export", "--lang", "en")
    assert csv_out.returncode == 0 and "CARS" in csv_out.stdout and "AUTO" in csv_out.stdout
    bad = _cli(tmp_path, "plan", "export", "--format", "pdf")
    assert bad.returncode == 2 and "csv or ics" in bad.stderr
