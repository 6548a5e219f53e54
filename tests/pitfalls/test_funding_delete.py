"""Funding (issue #10): a recorded year can be deleted after a confirmation button (and with
`cluster-advisor funding delete YEAR`); a year recorded as all zero is shown as 0 € and
counts as recorded. Bad input – a year that isn't there, forged buttons, a year that is no
number – changes nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import select

from core.actor import Role
from core.i18n import t
from core.pitfalls.health import assess, evidence_lines
from core.reply import Reply
from core.router import press_button, run_command
from core.services import Services
from storage.engine import session_scope
from storage.pitfalls.tables import Funding
from tests.conftest import actor, clean_env
from tests.pitfalls.support import FUNDING


def stored(services: Services) -> dict[int, int]:
    """Year -> total of every stored record."""
    with session_scope(services.engine) as session:
        return {row.year: row.total for row in session.exec(select(Funding)).all()}


@pytest.fixture
def manager(services: Services):
    return actor(services, 42, language_code="en")


def record(services: Services, manager, *lines: str) -> None:
    for line in lines:
        assert run_command(services, manager, "funding", line).text.startswith("✅"), line


def buttons(reply: Reply) -> list[str]:
    return [choice.data for choice in reply.flat_choices]


# ------------------------------------------------------------------------------ delete
def test_delete_asks_first_and_only_the_button_deletes(services: Services, manager) -> None:
    record(services, manager, "2024 10000 82000 4000 4000", "2025 1 2 3 4")
    question = run_command(services, manager, "funding", "delete 2025")
    assert question.text.startswith("🗑 <b>Delete 2025?</b>\n<b>2025</b>: €10 · public share")
    assert "fees €1 · public funding €2 · services €3 · projects €4" in question.text
    assert buttons(question) == [FUNDING.data("delete", 2025), FUNDING.data("keep", 2025)]
    assert [c.label for c in question.flat_choices] == ["🗑 Yes, delete 2025", "✖ Cancel"]
    assert stored(services) == {2024: 100_000, 2025: 10}  # asking deletes nothing

    done = press_button(services, manager, FUNDING.data("delete", 2025))
    assert done.edit and done.text.startswith("🗑 2025 deleted.")
    assert "<b>2024</b>" in done.text and "<b>2025</b>" not in done.text
    assert [a.filename for a in done.attachments] == ["funding.png"]
    assert stored(services) == {2024: 100_000}

    again = press_button(services, manager, FUNDING.data("delete", 2025))  # pressed twice
    assert again.notice_only
    assert again.notice == ("Nothing is recorded for 2025, so nothing was deleted. "
                            "1 year is recorded: 2024.")
    assert stored(services) == {2024: 100_000}


def test_cancel_under_the_question_deletes_nothing(services: Services, manager) -> None:
    record(services, manager, "2024 1 1 1 1")
    run_command(services, manager, "funding", "delete 2024")
    kept = press_button(services, manager, FUNDING.data("keep", 2024))
    assert kept.edit and kept.text == "Nothing deleted – 2024 stays recorded." and not kept.choices
    assert stored(services) == {2024: 4}


def test_delete_in_german_and_a_year_before_the_founding_year(services: Services) -> None:
    german = actor(services, 42)
    record(services, german, "2018 1 1 1 1", "founded 2021")
    question = run_command(services, german, "funding", "löschen 2018")
    assert question.text.startswith("🗑 <b>2018 löschen?</b>\n<b>2018</b> (vor dem Gründungsjahr)")
    assert "Das lässt sich nicht rückgängig machen." in question.text
    done = press_button(services, german, FUNDING.data("delete", 2018))
    assert done.text.startswith("🗑 2018 gelöscht.") and stored(services) == {}
    assert t("de", "pitfalls_funding_empty") in done.text


def test_deleting_a_year_that_is_not_there_says_so(services: Services, manager) -> None:
    nothing = run_command(services, manager, "funding", "delete 2019")
    assert nothing.text == "Nothing is recorded for 2019, so nothing was deleted. " \
                           "No year is recorded yet."
    assert buttons(nothing) == []
    record(services, manager, "2023 1 1 1 1", "2024 1 1 1 1")
    other = run_command(services, manager, "funding", "delete 2019")
    assert other.text.endswith("2 years are recorded: 2023 and 2024.")
    assert buttons(other) == [] and stored(services) == {2023: 4, 2024: 4}


@pytest.mark.parametrize(("args", "first_line"), [
    ("delete abc", "“abc” is not a year. Please use four digits, e.g. 2025."),
    ("delete 25", "“25” is not a year. Please use four digits, e.g. 2025."),
    ("delete ²⁰²⁴", "“²⁰²⁴” is not a year. Please use four digits, e.g. 2025."),
    ("delete 20245", "“20245” is not a year. Please use four digits, e.g. 2025."),
    ("delete <b>2024</b>", "“&lt;b&gt;2024&lt;/b&gt;” is not a year. Please use four digits, "
                           "e.g. 2025."),
    ("delete", "How to use it:"),
    ("delete 2024 2025", "How to use it:"),
])
def test_a_year_that_is_no_number_gets_one_clear_message(services: Services, manager,
                                                         args: str, first_line: str) -> None:
    record(services, manager, "2024 1 1 1 1")
    reply = run_command(services, manager, "funding", args)
    assert reply.text.split("\n")[0] == first_line
    assert "<code>/funding delete 2025</code>" in reply.text  # the usage shows how
    assert buttons(reply) == [] and stored(services) == {2024: 4}


@pytest.mark.parametrize("data", [
    "funding:delete:abc", "funding:delete:", "funding:delete", "funding:delete:2024:1",
    "funding:delete:-2024", "funding:delete:²⁰²⁴", "funding:delete:" + "9" * 40,
    "funding:keep:abc", "funding:keep", "funding:remove:2024",
])
def test_forged_delete_buttons_change_nothing(services: Services, manager, data: str) -> None:
    record(services, manager, "2024 1 1 1 1")
    reply = press_button(services, manager, data)
    assert reply.notice_only and reply.notice == t("en", "stale_button")
    assert stored(services) == {2024: 4}


def test_a_delete_button_for_a_year_not_recorded_changes_nothing(services: Services,
                                                                  manager) -> None:
    record(services, manager, "2024 1 1 1 1")
    for year in (1999, 999_999_999):
        reply = press_button(services, manager, FUNDING.data("delete", year))
        assert reply.notice_only and f"Nothing is recorded for {year}" in reply.notice
    assert stored(services) == {2024: 4}


def test_only_managers_in_private_can_delete(services: Services, manager) -> None:
    record(services, manager, "2024 1 1 1 1")
    member = actor(services, 7, role=Role.MEMBER)
    assert run_command(services, member, "funding", "delete 2024").text == t(
        "de", "not_allowed_manager", command="funding")
    assert press_button(services, member, FUNDING.data("delete", 2024)).notice_only
    in_group = replace(manager, is_private_chat=False)
    refused = press_button(services, in_group, FUNDING.data("delete", 2024))
    assert refused.notice == t("en", "pitfalls_private_only")
    assert stored(services) == {2024: 4}


# ------------------------------------------------------------------------------ zero years
def test_a_year_recorded_as_zero_is_shown_as_zero_not_as_missing(services: Services,
                                                                manager) -> None:
    record(services, manager, "founded 2021")
    reply = run_command(services, manager, "funding", "2025 0 0 0 0")
    assert reply.text.startswith("✅ 2025 saved.")
    assert "<b>2025</b> (year 5): €0 – no income, so no public share" in reply.text
    assert "fees €0 · public funding €0 · services €0 · projects €0" in reply.text
    assert ("📍 2025 recorded as €0: without income there is no public share to compare "
            "with the talk's curve.") in reply.text
    assert t("en", "pitfalls_funding_empty") not in reply.text
    assert [a.filename for a in reply.attachments] == ["funding.png"]
    assert stored(services) == {2025: 0}

    funding = next(h for h in assess(services) if h.id == "unbalanced_funding")
    assert funding.status == "unknown" and funding.evidence["recorded_years"] == [2025]
    assert evidence_lines("en", funding) == ["2025 recorded as €0 – no income, so no public share"]
    assert evidence_lines("de", funding) == ["2025 mit 0 € erfasst – ohne Einnahmen kein "
                                             "Förderanteil"]


def test_a_zero_year_after_a_year_with_income_leaves_the_verdict_to_that_year(
        services: Services, manager) -> None:
    record(services, manager, "founded 2021", "2024 10 90 0 0", "2025 0 0 0 0")
    overview = run_command(services, manager, "funding", "")
    assert "<b>2024</b> (year 4): €100" in overview.text
    assert "<b>2025</b> (year 5): €0 – no income" in overview.text
    assert "📍 Year 4 (2024): public share 90 %, above the talk's curve" in overview.text
    funding = next(h for h in assess(services) if h.id == "unbalanced_funding")
    assert funding.status == "alert"
    assert evidence_lines("en", funding)[1] == "2025 recorded as €0 – no income, so no public share"


# ------------------------------------------------------------------------------ CLI
def cli(*args: str, tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}",
                    CLUSTER_FOUNDED="2021", DEFAULT_LANGUAGE="en")
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=tmp_path, input=stdin,
                          capture_output=True, text=True, timeout=120, env=env)


def recorded_years(tmp_path: Path) -> list[int]:
    shown = cli("funding", "show", "--json", tmp_path=tmp_path)
    assert shown.returncode == 0, shown.stderr
    return [year["year"] for year in json.loads(shown.stdout)["years"]]


def test_cli_funding_delete_asks_unless_yes(tmp_path: Path) -> None:
    for year in ("2023", "2024"):
        assert cli("funding", "set", year, "--fees", "100", tmp_path=tmp_path).returncode == 0
    declined = cli("funding", "delete", "2024", tmp_path=tmp_path, stdin="n\n")
    assert declined.returncode == 1 and "Delete the funding record of 2024 (total €100)?" in \
        declined.stdout
    assert recorded_years(tmp_path) == [2023, 2024]
    confirmed = cli("funding", "delete", "2024", tmp_path=tmp_path, stdin="y\n")
    assert confirmed.returncode == 0 and "Funding record of 2024 deleted." in confirmed.stdout
    assert recorded_years(tmp_path) == [2023]
    assert cli("funding", "delete", "2023", "--yes", tmp_path=tmp_path).returncode == 0
    assert recorded_years(tmp_path) == []


@pytest.mark.parametrize(("year", "needle"), [
    ("2019", "No funding is recorded for 2019, so nothing was deleted (recorded years: 2024)."),
    ("abc", "year 'abc': “abc” is not a year. Please use four digits, e.g. 2025."),
    ("²⁰²⁴", "is not a year"),
])
def test_cli_funding_delete_refuses_bad_years(tmp_path: Path, year: str, needle: str) -> None:
    assert cli("funding", "set", "2024", "--fees", "1", tmp_path=tmp_path).returncode == 0
    bad = cli("funding", "delete", year, "--yes", tmp_path=tmp_path)
    assert bad.returncode == 1 and needle in bad.stderr and "Traceback" not in bad.stderr
    assert recorded_years(tmp_path) == [2024]


def test_cli_shows_a_zero_year_as_recorded(tmp_path: Path) -> None:
    assert cli("funding", "set", "2025", tmp_path=tmp_path).returncode == 0  # all sources 0
    shown = cli("funding", "show", "--json", tmp_path=tmp_path)
    assert json.loads(shown.stdout)["years"] == [{
        "year": 2025, "membership_fees": 0, "public_funding": 0, "services": 0, "projects": 0,
        "total": 0, "public_percent": None, "cluster_year": 5,
        "recommended_public_percent": 60}]
    text = cli("funding", "show", tmp_path=tmp_path)
    assert "2025 (year 5): €0 – no income, so no public share" in text.stdout
