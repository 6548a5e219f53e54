"""`cluster-advisor members import|export`: spreadsheet files as they come (German Excel
with `;`, UTF-8 with or without BOM, Windows-1252 from an older Excel), broken ones explained
by line in the report's language, good rows kept."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlmodel import select

from core.members.csv_export import export_members
from core.members.csv_io import CsvError, import_members, parse_members_csv
from core.services import Services
from storage.engine import session_scope
from storage.members.tables import Profile
from tests.members.support import MEMBERS_CSV, cli, organisations, with_profile

HEADER = "name,organization,type,city,offers,needs,telegram"
GERMAN_HEADER = "Name;Organisation;Art;Ort/Region;Angebote;Bedarfe;Telegram;Beschreibung"


def _profiles(services: Services) -> list[Profile]:
    with session_scope(services.engine) as session:
        return list(session.exec(select(Profile).order_by(Profile.id)))


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


def test_german_excel_file_with_commas_between_keywords_is_read() -> None:
    text = (GERMAN_HEADER + "\n"
            "Anna;NOKIA;Politik/Verwaltung;Tampere;Logistik, RFID, CRM;Pilotkunden;;\n"
            "Bert;ACME;Cluster/Netzwerk;Essen;Matchmaking;Logistik, Förderung;;\n")
    for data in (text.encode("utf-8"), text.encode("utf-8-sig")):
        report = parse_members_csv(data, lang="de")
        assert report.problems == [] and report.notes == []
        anna, bert = report.rows
        assert anna.offers == ("Logistik", "RFID", "CRM") and anna.kind == "public"
        assert bert.needs == ("Logistik", "Förderung") and bert.kind == "cluster"


def test_a_windows_1252_file_from_an_older_excel_is_read_and_said_so() -> None:
    text = (GERMAN_HEADER + "\n"
            "Jörg Weiß;Müller & Söhne – Werkzeugbau;Unternehmen;Köln;Fräsen, Prüfstände;"
            "Förderung;;Preis 5 €\n")
    report = parse_members_csv(text.encode("cp1252"), lang="de")
    [row] = report.rows
    assert row.name == "Jörg Weiß" and row.organization == "Müller & Söhne – Werkzeugbau"
    assert row.offers == ("Fräsen", "Prüfstände") and row.description == "Preis 5 €"
    [note] = report.notes
    assert "Windows-1252" in note and "CSV UTF-8" in note


def test_a_file_that_is_neither_utf8_nor_windows_1252_says_how_to_save_it() -> None:
    data = (HEADER + "\nAnna,ACME,company,Essen,CRM,,\nBert,AC\x81ME,company,Essen,CRM,,\n"
            ).encode("latin-1")
    with pytest.raises(CsvError) as english:
        parse_members_csv(data)
    assert "line 3" in str(english.value) and "'CSV UTF-8 (Comma delimited) (*.csv)'" in str(
        english.value)
    with pytest.raises(CsvError) as german:
        parse_members_csv(data, lang="de")
    assert "Zeile 3" in str(german.value) and "„CSV UTF-8 (durch Trennzeichen getrennt)" in str(
        german.value)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"  \n\n", "empty"),
    (b"\x50\x4b\x03\x04\x00\x00binary", "not a CSV text file"),
    ("name,organization\n".encode("utf-16"), "not a CSV text file"),
    (b"vorname,nachname\nAnna,Virtanen\n",
     "missing: name, organization, type, city, offers, needs"),
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
    assert "3 cells, but the header has 7 columns" in problems[7]
    assert problems[10] == "the same member as line 2"
    assert "organization is longer than 150" in problems[11]
    assert "at most 15" in problems[12]


def test_row_problems_are_in_the_language_asked_for() -> None:
    text = "\n".join([GERMAN_HEADER, ";ACME;Unternehmen;Essen;CRM;;;",
                      "Bert;ACME;Raumschiff;Essen;CRM;;;", "Kurz;ACME"]) + "\n"
    problems = dict(parse_members_csv(text.encode(), lang="de").problems)
    assert problems[2] == "Name ist leer"
    assert "Unbekannte Art „Raumschiff“" in problems[3] and "Politik/Verwaltung" in problems[3]
    assert problems[4] == "2 Zellen, die Kopfzeile hat aber 8 Spalten"


def test_semicolons_between_columns_and_between_keywords_are_explained() -> None:
    text = ("name;organization;type;city;offers;needs;telegram\n"
            "Anna;NOKIA;research;Tampere;mobile Lösungen; Usability;CRM;\n"
            "Bert;ACME;company;Essen;CRM;RFID;\n")
    report = parse_members_csv(text.encode())
    [(line, problem)] = report.problems
    assert line == 2 and "separates the columns with ';'" in problem
    assert "Separate keywords with ','" in problem and "the header has" not in problem
    assert [r.name for r in report.rows] == ["Bert"]
    [(_, german)] = parse_members_csv(text.encode(), lang="de").problems
    assert "trennt „;“ die Spalten – und auch die Stichworte" in german


def test_empty_columns_of_a_spreadsheet_range_are_ignored() -> None:
    text = HEADER.replace(",", ";") + ";;\nAnna;NOKIA;research;Tampere;CRM;;;;\n"
    report = parse_members_csv(text.encode())
    assert report.problems == [] and report.rows[0].name == "Anna"


def test_excels_sep_line_is_understood() -> None:
    text = "sep=;\n" + GERMAN_HEADER + "\nAnna;NOKIA;Forschung;Tampere;CRM, RFID;;;\n"
    report = parse_members_csv(text.encode())
    assert report.problems == [] and report.rows[0].offers == ("CRM", "RFID")
    assert report.rows[0].line == 3


@pytest.mark.parametrize("written", ["'@anna_v", '"""@anna_v"""', "@anna_v ", " 'anna_v'",
                                     "https://t.me/Anna_V", "„@anna_v“"])
def test_usernames_are_stored_without_stray_quotes(written: str) -> None:
    text = f"{HEADER}\nAnna,NOKIA,research,Tampere,CRM,,{written}\n"
    report = parse_members_csv(text.encode())
    assert report.problems == [] and report.rows[0].telegram == "anna_v"


@pytest.mark.parametrize(("written", "problem"), [
    ("@" + "a" * 33, "has 33 characters; Telegram @usernames have at most 32"),
    ("@anna.v", "not a Telegram @username"),
    ("@anna v", "not a Telegram @username"),
    ("@1anna", "not a Telegram @username"),
    ("@ann", "not a Telegram @username"),
])
def test_impossible_usernames_are_refused_per_row(written: str, problem: str) -> None:
    text = f"{HEADER}\nAnna,NOKIA,research,Tampere,CRM,,{written}\nBert,ACME,company,Essen,CRM,,\n"
    report = parse_members_csv(text.encode())
    [(line, message)] = report.problems
    assert line == 2 and problem in message
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
    text, count = export_members(services, "en")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert count == 1 and rows[0]["name"] == "'+Anna" and rows[0]["telegram"] == "anna_v"
    assert rows[0]["offers"].startswith("'=HYPERLINK") and rows[0]["visible"] == "yes"
    again = parse_members_csv(text.encode())
    assert again.problems == [] and again.rows[0].name == "+Anna"
    assert again.rows[0].offers == ('=HYPERLINK("x")', "CRM")
    assert again.ignored_columns == ["visible", "source"]


def test_german_export_has_german_headers_semicolons_and_imports_again(
        services: Services) -> None:
    with_profile(services, 7, offers=["Logistik", "RFID"], needs=["CRM"], name="Anna",
                 organization="NOKIA", username="anna_v", visible=False)
    text, _ = export_members(services, "de")
    header, row = text.splitlines()
    assert header == GERMAN_HEADER + ";Sichtbar;Quelle"
    assert row == "Anna;NOKIA;Unternehmen;Essen;Logistik, RFID;CRM;anna_v;;nein;Mitglied"
    again = parse_members_csv(text.encode(), lang="de")
    assert again.problems == [] and again.ignored_columns == ["Sichtbar", "Quelle"]
    assert again.rows[0].offers == ("Logistik", "RFID") and again.rows[0].kind == "company"
    english, _ = export_members(services, "en")
    assert english.splitlines()[1] == ("Anna,NOKIA,Company,Essen,Logistik; RFID,CRM,anna_v,,no,"
                                       "member")
    assert parse_members_csv(english.encode()).rows[0].offers == ("Logistik", "RFID")


def test_cli_import_reports_lines_keeps_good_rows_and_exports(tmp_path: Path) -> None:
    broken = tmp_path / "members.csv"
    broken.write_text(HEADER + "\nGood,ACME,company,Essen,CRM,,\nBad,ACME,nope,Essen,CRM,,\n",
                      encoding="utf-8")
    result = cli(tmp_path, "members", "import", str(broken), "--strict")
    assert result.returncode == 1 and "nothing imported, 1 bad row" in result.stderr
    result = cli(tmp_path, "members", "import", str(broken))
    assert result.returncode == 1
    assert f"{broken}:3: unknown type 'nope'" in result.stderr
    assert "Imported 1 new profile and updated 0 profiles; 1 bad row left out" in result.stdout
    good = cli(tmp_path, "members", "import", str(MEMBERS_CSV))
    assert good.returncode == 0 and "Imported 20 new profiles" in good.stdout, good.stderr
    exported = cli(tmp_path, "members", "export", "--lang", "en", "--output",
                   str(tmp_path / "out.csv"))
    assert exported.returncode == 0 and "Exported 21 profiles" in exported.stderr
    written = (tmp_path / "out.csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbfname,organization")  # the BOM: Excel reads UTF-8
    assert "Westfalen Logistik GmbH" in written.decode("utf-8-sig")
    to_stdout = cli(tmp_path, "members", "export", "--lang", "en")
    assert to_stdout.stdout.startswith("name,organization,type,city,offers,needs,telegram")
    german = cli(tmp_path, "members", "export")  # DEFAULT_LANGUAGE is de
    assert german.stdout.startswith(GERMAN_HEADER + ";Sichtbar;Quelle")
    missing = cli(tmp_path, "members", "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and "Cannot read" in missing.stderr
    bad_lang = cli(tmp_path, "members", "export", "--lang", "fr")
    assert bad_lang.returncode == 2 and "--lang must be de or en" in bad_lang.stderr
    assert "Traceback" not in missing.stderr + result.stderr + bad_lang.stderr


def test_cli_import_speaks_german_when_asked_and_reads_old_excel_files(tmp_path: Path) -> None:
    old = tmp_path / "alt.csv"
    old.write_bytes((GERMAN_HEADER + "\nJörg;Ölwerk;Unternehmen;Köln;Fräsen;;;\n"
                     "Bert;ACME;Raumschiff;Essen;CRM;;;\n").encode("cp1252"))
    result = cli(tmp_path, "members", "import", str(old), "--lang", "de")
    assert result.returncode == 1, result.stderr
    assert "Als Windows-1252 gelesen" in result.stderr
    assert f"{old}:3: Unbekannte Art „Raumschiff“" in result.stderr
    assert ("1 neues Profil importiert, 0 Profile aktualisiert; 1 fehlerhafte Zeile "
            "ausgelassen (siehe oben).") in result.stdout
    unreadable = tmp_path / "kaputt.csv"
    unreadable.write_bytes(GERMAN_HEADER.encode() + b"\nJ\x81rg;A;Unternehmen;K;CRM;;;\n")
    refused = cli(tmp_path, "members", "import", str(unreadable), "--lang", "de")
    assert refused.returncode == 1 and "weder UTF-8 noch Windows-1252" in refused.stderr
    assert "Traceback" not in result.stderr + refused.stderr
