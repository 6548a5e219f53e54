"""`cluster-advisor members import|export`: spreadsheet files as they come, broken ones
explained by line, good rows kept."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import select

from core.members.csv_io import CsvError, export_members, import_members, parse_members_csv
from core.services import Services
from storage.community import Profile
from storage.engine import session_scope
from tests.conftest import clean_env
from tests.test_members_matching import MEMBERS_CSV, organisations, with_profile

HEADER = "name,organization,type,city,offers,needs,telegram"


def _profiles(services: Services) -> list[Profile]:
    with session_scope(services.engine) as session:
        return list(session.exec(select(Profile).order_by(Profile.id)))


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env=clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}"))


def test_semicolon_file_with_bom_and_quoted_keywords_is_read(services: Services) -> None:
    text = ('\ufeffName;Organisation;Typ;Ort;Angebote;Bedarfe;Telegram;Beschreibung\n'
            '"Anna";"NOKIA";"Forschung";"Tampere";"mobile Lösungen; Usability";"CRM";'
            '"@anna_v";"Labor, mobil"\n'
            'Bert;ACME;Unternehmen;Essen;"Logistik, RFID";;;\n')
    report = parse_members_csv(text.encode("utf-8"))
    assert report.problems == []
    anna, bert = report.rows
    assert anna.offers == ("mobile Lösungen", "Usability") and anna.kind == "research"
    assert anna.telegram == "anna_v" and anna.description == "Labor, mobil"
    assert bert.offers == ("Logistik", "RFID") and bert.needs == () and bert.telegram is None
    import_members(services, report)
    assert organisations(services, "mobile solutions") == ["NOKIA"]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"  \n\n", "empty"),
    (b"\x50\x4b\x03\x04\x00\x00binary", "not a text file"),
    ("name,organization,type,city,offers,needs\nJörg,Ö,company,Köln,CRM,\n"
     .encode("latin-1"), "line 2: the file is not UTF-8"),
    (b"vorname,firma\nAnna,NOKIA\n", "missing: name, organization, type, city, offers, needs"),
    (b"name,organization,type,city,offers\nAnna,NOKIA,company,Tampere,CRM\n",
     "missing: needs"),
    (b"name,organization,type,city,offers,needs,name\n", "appears twice"),
    ((HEADER + "\n").encode(), "no members"),
])
def test_broken_files_are_refused_with_a_reason(content: bytes, message: str) -> None:
    with pytest.raises(CsvError, match=message):
        parse_members_csv(content)


def test_bad_rows_are_reported_by_line_and_good_rows_kept() -> None:
    text = "\n".join([
        HEADER,
        "Good One,ACME,company,Essen,CRM;RFID,,",
        ",NoName,company,Essen,CRM,,",
        "Bad Type,ACME,spaceship,Essen,CRM,,",
        "No Keywords,ACME,company,Essen,,,",
        "Bad Telegram,ACME,company,Essen,CRM,,@x y",
        "Too Few,ACME,company",
        '"Multi',
        'line",ACME,research,Bochum,Logistik,,',
        "Good One,ACME,company,Essen,CRM,,",
        "Long," + "x" * 151 + ",company,Essen,CRM,,",
        "Many,ACME,company,Essen," + ";".join(f"k{i}" for i in range(16)) + ",,",
    ]) + "\n"
    report = parse_members_csv(text.encode())
    assert [r.name for r in report.rows] == ["Good One", "Multi line"]
    assert report.rows[1].line == 8
    problems = dict(report.problems)
    assert problems[3] == "name is empty"
    assert "unknown type 'spaceship'" in problems[4]
    assert "no offers and no needs" in problems[5]
    assert "not a Telegram @username" in problems[6]
    assert "3 fields, the header has 7" in problems[7]
    assert problems[10] == "the same member as line 2"
    assert "organization is longer than 150" in problems[11]
    assert "at most 15" in problems[12]


def test_unquoted_keywords_in_a_semicolon_file_are_explained() -> None:
    text = ("name;organization;type;city;offers;needs;telegram\n"
            "Anna;NOKIA;research;Tampere;mobile Lösungen; Usability;CRM;\n"
            "Bert;ACME;company;Essen;CRM;RFID;\n")
    report = parse_members_csv(text.encode())
    [(line, problem)] = report.problems
    assert line == 2 and "must be in quotes" in problem
    assert [r.name for r in report.rows] == ["Bert"]


def test_reimport_updates_instead_of_duplicating_and_leaves_members_profiles_alone(
        services: Services) -> None:
    with_profile(services, 7, offers=["CRM"], needs=[], name="Owned", organization="Mine AG")
    first = (HEADER + "\nAnna,NOKIA,research,Tampere,Usability,CRM,\n"
             "Owned,Mine AG,company,Essen,Hacked,,\n").encode()
    report = parse_members_csv(first)
    import_members(services, report)
    assert report.created == 1 and report.skipped[0][0] == 3
    second = (HEADER + "\nanna,nokia,research,Tampere,Usability;RFID,CRM,\n").encode()
    report = parse_members_csv(second)
    import_members(services, report)
    assert report.updated == 1 and report.created == 0
    profiles = _profiles(services)
    assert len(profiles) == 2
    assert next(p for p in profiles if p.member_telegram_id == 7).offers == ["CRM"]
    assert next(p for p in profiles if p.source == "import").offers == ["Usability", "RFID"]


def test_export_can_be_imported_again_and_neutralises_formulas(services: Services) -> None:
    with_profile(services, 7, offers=["=HYPERLINK(\"x\")", "CRM"], needs=["RFID"],
                 name="+Anna", organization="ACME", username="anna_v")
    text = export_members(services)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["name"] == "'+Anna" and rows[0]["telegram"] == "anna_v"
    assert rows[0]["offers"].startswith("'=HYPERLINK") and rows[0]["visible"] == "yes"
    again = parse_members_csv(text.encode())
    assert again.problems == [] and again.rows[0].name == "+Anna"
    assert again.rows[0].offers == ('=HYPERLINK("x")', "CRM")
    assert again.ignored_columns == ["visible", "source"]


def test_cli_import_reports_lines_keeps_good_rows_and_exports(tmp_path: Path) -> None:
    broken = tmp_path / "members.csv"
    broken.write_text(HEADER + "\nGood,ACME,company,Essen,CRM,,\nBad,ACME,nope,Essen,CRM,,\n",
                      encoding="utf-8")
    result = _cli(tmp_path, "members", "import", str(broken), "--strict")
    assert result.returncode == 1 and "nothing imported" in result.stderr
    result = _cli(tmp_path, "members", "import", str(broken))
    assert result.returncode == 1
    assert f"{broken}:3: unknown type 'nope'" in result.stderr
    assert "Imported 1 new" in result.stdout and "1 bad row(s)" in result.stdout
    good = _cli(tmp_path, "members", "import", str(MEMBERS_CSV))
    assert good.returncode == 0 and "Imported 20 new" in good.stdout, good.stderr
    exported = _cli(tmp_path, "members", "export", "--output", str(tmp_path / "out.csv"))
    assert exported.returncode == 0 and "21 profile(s)" in exported.stderr
    assert "Westfalen Logistik GmbH" in (tmp_path / "out.csv").read_text(encoding="utf-8")
    to_stdout = _cli(tmp_path, "members", "export")
    assert to_stdout.stdout.startswith("name,organization,type,city,offers,needs,telegram")
    missing = _cli(tmp_path, "members", "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and "Cannot read" in missing.stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "\nJörg,Ö,company,Köln,CRM,,\n").encode("latin-1"))
    refused = _cli(tmp_path, "members", "import", str(latin))
    assert refused.returncode == 1 and "not UTF-8" in refused.stderr
    assert "Traceback" not in refused.stderr + missing.stderr + result.stderr
