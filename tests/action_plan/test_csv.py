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

from core.action_plan.csv_import import import_csv
from core.action_plan.transfer import csv_export, ics_export
from core.i18n import t
from core.router import run_command
from core.services import Services
from storage.action_plan.tables import PlanItem
from storage.engine import session_scope
from tests.action_plan.support import add_item, add_line, berlin, manager, person, press
from tests.conftest import clean_env, make_settings, start_services

DATA = Path(__file__).parent.parent / "data"


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
    assert "irgendwann" in lines[3] and lines[4] == "The column “Topic” is empty."
    assert "vielleicht" in lines[5] and "03/04/2030" in lines[7]
    assert lines[8] == "The column “Responsible” is empty."
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
    ("plan_wrong_header.csv", None, 1, "missing columns: Topic, Action, Responsible"),
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
    other = start_services(make_settings(f"sqlite:///{tmp_path / 'other.sqlite3'}"))
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
    partial = _cli(tmp_path, "plan", "import", str(DATA / "plan_bad_rows.csv"), "--lang", "en")
    assert partial.returncode == 1
    assert "2 actions imported; 0 skipped; 5 bad rows." in partial.stdout
    assert "plan_bad_rows.csv:4: The column “Topic” is empty." in partial.stderr
    good = _cli(tmp_path, "plan", "import", str(DATA / "plan_excel_de.csv"), "--lang", "de")
    assert good.returncode == 0, good.stderr
    assert "2 Aufgaben importiert; 0 übersprungen; 0 fehlerhafte Zeilen." in good.stdout
    missing = _cli(tmp_path, "plan", "import", str(tmp_path / "nope.csv"), "--lang", "en")
    assert missing.returncode == 1 and "Cannot read" in missing.stderr
    wrong = _cli(tmp_path, "plan", "import", str(DATA / "plan_good.csv"), "--lang", "fr")
    assert wrong.returncode == 2 and "--lang" in wrong.stderr


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


def test_an_unreadable_field_is_reported_not_raised(services: Services) -> None:
    data = ("topic,action,deadline,responsible,participants,kpi,status\n"
            f'"{"x" * 200_000}",a,31.12.2027,,,,open\n').encode()
    report = import_csv(services, data, strict=False, lang="de")
    assert report.errors and "nicht lesen" in report.errors[0][1]


# ---------------------------------------------------------------- in the reader's language
def _lines(exported: bytes) -> list[str]:
    assert exported.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return exported.decode("utf-8-sig").splitlines()


def test_export_has_the_readers_headers_separator_dates_and_words(services: Services) -> None:
    person(services, 7)
    boss = manager(services)
    add_item(services, boss, deadline=date(2030, 5, 1), responsible="@user7",
             now=berlin(2026, 1, 1))
    press(services, boss, "progress", 1)
    german, english = _lines(csv_export(services, "de")), _lines(csv_export(services, "en"))
    assert german == ["ID;Thema;Aktion;Frist;Verantwortlich;Beteiligte;KPI / Indikator;Status",
                      "1;Thema;Aktion;01.05.2030;'@user7;;;in Arbeit"]
    assert english == ["ID,Topic,Action,Deadline,Responsible,Participants,KPI / indicator,"
                       "Status", "1,Thema,Aktion,2030-05-01,'@user7,,,in progress"]


@pytest.mark.parametrize(("written", "read"), [("de", "en"), ("en", "de")])
def test_either_languages_export_imports_back(services: Services, tmp_path: Path,
                                              written: str, read: str) -> None:
    person(services, 7)
    boss = manager(services)
    add_line(services, "Thema | Aktion | 31.12.2070 | @user7 | Forschung, IHK | 3 Zirkel", boss)
    press(services, boss, "progress", 1)
    exported = csv_export(services, written)
    other = start_services(make_settings(f"sqlite:///{tmp_path / 'other.sqlite3'}"))
    try:
        report = import_csv(other, exported, strict=True, lang=read)
        assert report.errors == [], report.errors
        (item,) = _items(other)
    finally:
        other.close()
    assert (item.topic, item.action, item.deadline, item.status) == (
        "Thema", "Aktion", date(2070, 12, 31), "in_progress")
    assert item.responsible_username == "user7" and item.kpi == "3 Zirkel"
    assert item.participant_groups == ["research"] and item.participants == "IHK"


def test_plan_export_command_sends_the_csv_in_the_users_language(services: Services) -> None:
    add_line(services, "Thema | Aktion | 31.12.2070 | CARS")
    english = person(services, 8, language="en")
    german = person(services, 9, language="de")
    files = {lang: run_command(services, who, "plan_export", "").attachments
             for lang, who in (("en", english), ("de", german))}
    assert [f.filename for f in files["en"]] == ["action-plan.csv", "action-plan.ics"]
    assert [f.filename for f in files["de"]] == ["aktionsplan.csv", "aktionsplan.ics"]
    assert _lines(files["en"][0].content)[0].startswith("ID,Topic,Action,Deadline,")
    assert _lines(files["de"][0].content)[0].startswith("ID;Thema;Aktion;Frist;")


def test_quotes_excel_puts_around_a_username_are_not_stored(services: Services) -> None:
    data = ("Thema;Aktion;Frist;Verantwortlich\n"
            "A;Aktion;31.12.2030;'@anna_berg\n"
            'B;Aktion;31.12.2030;"""@anna_berg"""\n'
            "C;Aktion;31.12.2030;‘@anna_berg’\n"
            "D;Aktion;31.12.2030;'@anna_berg'\n"
            "E;Aktion;31.12.2030;„Anna Berg“\n").encode()
    report = import_csv(services, data, strict=True, lang="de")
    assert report.errors == [], report.errors
    items = _items(services)
    assert [i.responsible_username for i in items[:4]] == ["anna_berg"] * 4
    assert items[4].responsible_name == "Anna Berg"


def test_row_problems_read_as_problems_of_a_file(services: Services) -> None:
    data = (b"Thema;Aktion;Frist;Verantwortlich\n"
            b"A;Aktion;31.12.2030;ich\n"
            b"B;Aktion;31.12.2030;CARS\n"
            b"B;Aktion;31.12.2030;CARS\n"
            b";Aktion;31.12.2030;CARS\n"
            b"C;Aktion;;CARS\n")
    report = import_csv(services, data, strict=False, lang="de")
    assert report.errors == [(2, t("de", "plan_csv_responsible_self", typed="ich")),
                             (5, "Die Spalte „Thema“ ist leer."),
                             (6, "Die Spalte „Frist“ ist leer.")]
    assert report.skipped == [(4, "gleiche Aufgabe wie in Zeile 3 – übersprungen.")]
    wrong = import_csv(services, b"Name;Datum\nA;B\n", strict=False, lang="de")
    assert wrong.errors[0][1].startswith("Die Kopfzeile passt nicht – fehlende Spalten: "
                                         "Thema, Aktion, Frist, Verantwortlich")
