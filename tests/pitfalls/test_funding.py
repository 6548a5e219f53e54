"""Funding: the talk's curve, shares, where the cluster stands, and every way to enter it
(one line, guided dialog, CLI) including bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from core import dialogs
from core.actor import Role
from core.i18n import t
from core.pitfalls.funding import founded, stand_sentence
from core.pitfalls.funding_curve import (
    MAX_AMOUNT,
    InputError,
    cluster_break_even_year,
    compare,
    curve_break_even_age,
    parse_amount,
    parse_year,
    public_share,
    recommended_public_share,
    year_shares,
)
from core.router import handle_text, press_button, run_command
from core.services import Services
from core.settings import Settings
from storage.engine import session_scope
from storage.pitfalls.funding import stored_founded_year
from storage.pitfalls.tables import Funding
from tests.conftest import actor, clean_env, make_settings, start_services
from tests.pitfalls.support import FUNDING

ADD, FOUNDED = FUNDING.data("add"), FUNDING.data("founded")

THIS_YEAR = datetime.now().year


def amounts(fees: int, public: int, services: int, projects: int) -> dict[str, int]:
    return {"membership_fees": fees, "public_funding": public, "services": services,
            "projects": projects}


def stored(services: Services) -> dict[int, int]:
    """Year -> total of every stored record."""
    with session_scope(services.engine) as session:
        return {row.year: row.total for row in session.exec(select(Funding)).all()}


@pytest.fixture
def manager(services: Services):
    return actor(services, 42, language_code="en")


# ------------------------------------------------------------------------------ the curve
def test_recommended_curve_is_the_talks() -> None:
    assert [recommended_public_share(age) for age in range(1, 11)] == \
        [80, 80, 75, 70, 60, 50, 40, 30, 30, 30]
    assert recommended_public_share(25) == 30 and recommended_public_share(0) is None
    assert curve_break_even_age() == 6  # own share 50 % in year six


def test_public_share_and_comparison_with_the_curve() -> None:
    assert public_share(amounts(10, 82, 4, 4)) == 82
    assert public_share(amounts(0, 0, 0, 0)) is None
    assert compare(82, 70) == "above" and compare(74, 70) == "on"
    assert compare(66, 70) == "on" and compare(64, 70) == "below"
    shares = year_shares(2024, amounts(10, 82, 4, 4), founded=2021)
    assert (shares.age, shares.target, shares.public, shares.total) == (4, 70, 82, 100)
    assert year_shares(2024, amounts(1, 1, 1, 1), founded=None).target is None


def test_stand_sentence_says_where_the_cluster_stands() -> None:
    above = [year_shares(2024, amounts(10, 82, 4, 4), founded=2021)]
    assert stand_sentence("en", above) == (
        "📍 Year 4 (2024): public share 82 %, above the talk's curve (about 70 %). The own share "
        "from fees, services and projects should grow.")
    assert stand_sentence("de", above).startswith(
        "📍 Jahr 4 (2024): Förderanteil 82 %, über der Kurve des Vortrags (etwa 70 %).")
    below = [year_shares(2030, amounts(40, 20, 20, 20), founded=2021)]
    assert "below the talk's curve" in stand_sentence("en", below)
    unknown = [year_shares(2024, amounts(10, 82, 4, 4), founded=None)]
    assert "founding year" in stand_sentence("en", unknown)


def test_break_even_is_the_first_year_own_income_carries_half() -> None:
    years = [year_shares(2021, amounts(1, 9, 0, 0), 2021),
             year_shares(2022, amounts(0, 0, 0, 0), 2021),
             year_shares(2023, amounts(5, 5, 0, 0), 2021),
             year_shares(2024, amounts(6, 4, 0, 0), 2021)]
    assert cluster_break_even_year(years) == 2023
    assert cluster_break_even_year(years[:2]) is None


# ------------------------------------------------------------------------------ input
@pytest.mark.parametrize(("text", "value"), [
    ("12000", 12000), ("12.000", 12000), ("12,000", 12000), ("12 000", 12000),
    ("1.234.567", 1234567), ("20.000 €", 20000), ("€5", 5), ("0", 0),
    (str(MAX_AMOUNT), MAX_AMOUNT),
])
def test_amounts_are_read_in_german_and_english_notation(text: str, value: int) -> None:
    assert parse_amount(text) == value


@pytest.mark.parametrize(("text", "key"), [
    ("-5", "pitfalls_funding_negative"), ("−5", "pitfalls_funding_negative"),
    ("abc", "pitfalls_funding_not_a_number"), ("", "pitfalls_funding_not_a_number"),
    ("1e9", "pitfalls_funding_not_a_number"), ("12,5", "pitfalls_funding_whole_euros"),
    ("12.000,50", "pitfalls_funding_whole_euros"),
    (str(MAX_AMOUNT + 1), "pitfalls_funding_too_large"),
    ("9" * 5000, "pitfalls_funding_too_large"),
    ("1.000.000.000.000", "pitfalls_funding_too_large"),
])
def test_bad_amounts_are_refused_with_the_reason(text: str, key: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_amount(text)
    assert caught.value.key == key


@pytest.mark.parametrize(("text", "key"), [
    ("20x5", "pitfalls_funding_bad_year"), ("25", "pitfalls_funding_bad_year"),
    ("1899", "pitfalls_funding_year_range"), (str(THIS_YEAR + 2), "pitfalls_funding_year_range"),
    ("2018", "pitfalls_funding_before_founding"),
])
def test_bad_years_are_refused_with_the_reason(text: str, key: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_year(text, this_year=THIS_YEAR, founded=2019)
    assert caught.value.key == key
    assert parse_year(str(THIS_YEAR + 1), this_year=THIS_YEAR) == THIS_YEAR + 1
    with pytest.raises(InputError):
        parse_year(str(THIS_YEAR + 1), this_year=THIS_YEAR, founding=True)


# ------------------------------------------------------------------------------ /funding
def test_one_line_funding_is_saved_and_compared_with_the_curve(services: Services,
                                                              manager) -> None:
    founding = run_command(services, manager, "funding", "founded 2021")
    assert founding.text.startswith(t("en", "pitfalls_funding_founded_saved", founded=2021))
    reply = run_command(services, manager, "funding", "2024 10.000 82000 4000 4000")
    assert reply.text.startswith(t("en", "pitfalls_funding_saved", year=2024))
    assert "Year 4 (2024): public share 82 %, above the talk's curve (about 70 %)" in reply.text
    assert stored(services) == {2024: 100_000}
    assert [a.filename for a in reply.attachments] == ["funding.png"]
    assert [c.data for c in reply.flat_choices] == [ADD, FOUNDED]
    assert [c.label for c in reply.flat_choices] == [
        t("en", "pitfalls_funding_button_add"), t("en", "pitfalls_funding_button_founded")]


@pytest.mark.parametrize(("args", "key"), [
    ("2024 -5 0 0 0", "pitfalls_funding_negative"),
    ("2024 lots 0 0 0", "pitfalls_funding_not_a_number"),
    ("2024 99999999999 0 0 0", "pitfalls_funding_too_large"),
    ("1850 1 1 1 1", "pitfalls_funding_year_range"),
    ("next 1 1 1 1", "pitfalls_funding_bad_year"),
    ("2024 1 2 3", "pitfalls_funding_word_count"),
    ("2024 <b>1</b> 2 3 4", "pitfalls_funding_not_a_number"),
])
def test_bad_one_line_funding_explains_and_stores_nothing(services: Services, manager,
                                                          args: str, key: str) -> None:
    reply = run_command(services, manager, "funding", args)
    first_line = reply.text.split("\n\n")[0]
    assert first_line.startswith(t("en", key, text="\0", count=len(args.split()),
                                   first=1900, last=THIS_YEAR + 1,
                                   maximum="1,000,000,000").split("\0")[0])
    assert t("en", "pitfalls_funding_usage") in reply.text
    assert "<b>1</b>" not in reply.text  # user input is escaped
    assert stored(services) == {}


def test_guided_funding_asks_year_then_each_source(services: Services, manager) -> None:
    start = press_button(services, manager, ADD)
    assert start.text == t("en", "pitfalls_funding_ask_year", year=THIS_YEAR - 1)
    assert handle_text(services, manager, "soon").text.startswith(
        t("en", "pitfalls_funding_bad_year", text="soon"))
    fees = handle_text(services, manager, "2023")
    assert fees.text.startswith(t("en", "pitfalls_funding_ask_membership_fees", year=2023))
    public = handle_text(services, manager, "20,000")
    assert public.text.startswith(t("en", "pitfalls_funding_ask_public_funding", year=2023))
    refused = handle_text(services, manager, "-1")
    assert refused.text.startswith(t("en", "pitfalls_funding_negative"))
    handle_text(services, manager, "60000")
    handle_text(services, manager, "10000")
    done = handle_text(services, manager, "10000")
    assert done.text.startswith(t("en", "pitfalls_funding_saved", year=2023))
    assert stored(services) == {2023: 100_000} and dialogs.current(services, manager) is None

    # correcting a year shows what is recorded; "=" keeps it
    run_command(services, manager, "funding", "2023")
    for text in ("=", "=", "=",):
        assert "Recorded so far" in handle_text(services, manager, text).text
    handle_text(services, manager, "30000")
    assert stored(services) == {2023: 120_000}


def test_one_line_entry_closes_a_guided_entry_left_open(services: Services, manager) -> None:
    press_button(services, manager, ADD)
    run_command(services, manager, "funding", "2024 1 2 3 4")
    assert dialogs.current(services, manager) is None
    assert "cluster" in handle_text(services, manager, "What is a cluster?").text.lower()


def test_founding_setting_wins_over_the_stored_year(settings: Settings, tmp_path: Path) -> None:
    configured = make_settings(settings.database_url, manager_ids="42", cluster_founded=2015)
    services = start_services(configured)
    try:
        manager = actor(services, 42, language_code="en")
        with session_scope(services.engine) as session:
            assert stored_founded_year(session=session) is None
        reply = run_command(services, manager, "funding", "founded 2020")
        assert reply.text == t("en", "pitfalls_funding_founded_by_setting", founded=2015)
        assert founded(services).year == 2015 and founded(services).source == "setting"
        assert FOUNDED not in [c.data for c in run_command(
            services, manager, "funding", "").flat_choices]
    finally:
        services.close()


def test_founding_year_through_the_dialog(services: Services, manager) -> None:
    assert press_button(services, manager, FOUNDED).text == t(
        "en", "pitfalls_funding_ask_founded")
    assert handle_text(services, manager, "3000").text.startswith(
        t("en", "pitfalls_funding_year_range", first=1900, last=THIS_YEAR))
    saved = handle_text(services, manager, "2019")
    assert saved.text.startswith(t("en", "pitfalls_funding_founded_saved", founded=2019))
    assert founded(services).year == 2019 and dialogs.current(services, manager) is None


def test_funding_is_for_managers_in_private(services: Services) -> None:
    member = actor(services, 7, role=Role.MEMBER)
    assert run_command(services, member, "funding", "").text == t(
        "de", "not_allowed_manager", command="funding")
    assert press_button(services, member, ADD).notice
    assert dialogs.current(services, member) is None


@pytest.mark.parametrize("data", ["funding:add:2024", "funding:founded:x", "funding:explode",
                                  "funding:", "funding", "funding:add:" + "9" * 50])
def test_forged_funding_buttons_change_nothing(services: Services, manager, data: str) -> None:
    reply = press_button(services, manager, data)
    assert reply.notice_only and reply.notice == t("en", "stale_button")
    assert dialogs.current(services, manager) is None and stored(services) == {}


def test_funding_buttons_are_refused_in_groups(services: Services, manager) -> None:
    in_group = replace(manager, is_private_chat=False)
    for data in (ADD, FOUNDED):
        assert press_button(services, in_group, data).notice == t("en",
                                                                  "pitfalls_private_only")
    assert dialogs.current(services, in_group) is None


def test_a_demoted_manager_cannot_finish_the_entry(services: Services, manager) -> None:
    press_button(services, manager, ADD)
    demoted = replace(manager, role=Role.MEMBER)
    refused = handle_text(services, demoted, "2023")
    assert refused.text == t("en", "not_allowed_manager", command="funding")
    assert dialogs.current(services, manager) is None and stored(services) == {}


# ------------------------------------------------------------------------------ CLI
def cli(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env=clean_env(**env))


def test_cli_funding_set_show_and_bad_input(tmp_path: Path) -> None:
    ok = cli("funding", "set", "2024", "--fees", "10000", "--public", "82.000", "--services",
             "4000", "--projects", "4000", tmp_path=tmp_path, CLUSTER_FOUNDED="2021",
             DEFAULT_LANGUAGE="en")
    assert ok.returncode == 0, ok.stderr
    assert "public share 82 %" in ok.stdout and "above the talk's curve" in ok.stdout
    partial = cli("funding", "set", "2024", "--projects", "14000", tmp_path=tmp_path,
                  CLUSTER_FOUNDED="2021")
    assert partial.returncode == 0, partial.stderr
    shown = cli("funding", "show", "--json", tmp_path=tmp_path, CLUSTER_FOUNDED="2021")
    record = json.loads(shown.stdout)
    assert record["founded"] == 2021 and record["founded_from"] == "setting"
    assert record["years"] == [{
        "year": 2024, "membership_fees": 10000, "public_funding": 82000, "services": 4000,
        "projects": 14000, "total": 110000, "public_percent": 74.5, "cluster_year": 4,
        "recommended_public_percent": 70}]
    for args, needle in ((("2024", "--fees", "-5"), "negative"),
                         (("2024", "--fees", "ten"), "not an amount"),
                         (("2024", "--public", "9" * 30), "more than"),
                         (("1492", "--fees", "5"), "between"),
                         (("2019", "--fees", "5"), "before the cluster was founded")):
        bad = cli("funding", "set", *args, tmp_path=tmp_path, CLUSTER_FOUNDED="2021")
        assert bad.returncode == 1, (args, bad.stdout, bad.stderr)
        assert needle in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
        assert "Traceback" not in bad.stderr


@pytest.mark.parametrize("args", ["2025 ² 1 1 1", "²⁰²⁵ 1 1 1 1", "founded ²⁰¹⁹", "²⁰²⁵"])
def test_odd_digits_in_funding_get_a_reply_not_an_exception(services: Services, manager,
                                                            args: str) -> None:
    reply = run_command(services, manager, "funding", args)
    assert " is not a" in reply.text.split("\n")[0]  # "… is not an amount" / "a year"
    assert stored(services) == {} and founded(services).year is None
