"""/stats for managers and the demo members from the talk."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from core.actor import Role
from core.members.demo import DEMO_PROFILES, seed_demo
from core.router import run_command
from core.services import Services
from tests.conftest import actor
from tests.members.support import cli, import_member_set, member, organisations, with_profile


def test_stats_show_members_profiles_matchmaking_and_the_talks_figures(
        services: Services) -> None:
    manager = actor(services, 42)
    import_member_set(services)
    requester = with_profile(services, 7, offers=["CRM"], needs=["RFID"])
    with_profile(services, 8, offers=["RFID"], needs=[], visible=False)
    member(services, 9)
    run_command(services, requester, "match", "RFID")
    text = run_command(services, manager, "stats", "").text
    assert "3 Mitglieder, 1 Manager, 0 Gäste" in text  # MANAGER_IDS: counted once
    assert "22 Profile, davon 21 vollständig, 21 sichtbar, 20 importiert" in text
    assert "1 Suche, 0 Kontaktanfragen: 0 angenommene Vorstellungen" in text
    for talk in ("Vortrag: 5", "Vortrag: 190", "Vortrag: 62", "Vortrag: 15"):
        assert talk in text


def test_monitoring_figures_are_recorded_with_date_and_who(services: Services) -> None:
    manager = actor(services, 42)
    assert "Summe jetzt 40" in run_command(services, manager, "stats",
                                           "add participants 40").text
    run_command(services, manager, "stats", "add Teilnehmende 12")
    run_command(services, manager, "stats", "add projects 2")
    assert "Summe jetzt 50" in run_command(services, manager, "stats",
                                           "add participants -2").text
    below = run_command(services, manager, "stats", "add projects -3").text
    assert "nicht unter 0" in below
    text = run_command(services, manager, "stats", "").text
    assert "Teilnehmende: <b>50</b> · Vortrag: 190" in text
    assert "Kooperationsprojekte: <b>2</b> · Vortrag: 15" in text
    assert "-2 Teilnehmende (User 42)" in text


@pytest.mark.parametrize("args", ["add", "add events", "add events zwei", "add visits 3",
                                  "add events 0", "add events 1000001", "remove events 1"])
def test_bad_stats_input_shows_the_usage_and_records_nothing(services: Services,
                                                             args: str) -> None:
    manager = actor(services, 42)
    assert "So geht's" in run_command(services, manager, "stats", args).text
    assert "Veranstaltungen: <b>0</b>" in run_command(services, manager, "stats", "").text


def test_stats_are_for_managers_only(services: Services) -> None:
    assert "nur für Cluster-Manager" in run_command(services, member(services, 7), "stats",
                                                    "add events 1").text


def test_demo_adds_the_talks_partners_once(services: Services) -> None:
    lines = seed_demo(services)
    assert len(lines) == len(DEMO_PROFILES) == 8
    joined = "\n".join(lines)
    for place in ("Tampere", "Bern", "Ankara", "Paderborn", "Ostrava"):
        assert place in joined
    for organisation in ("NOKIA", "IBM", "METU", "MILSOFT", "SEBIT", "ETA"):
        assert organisation in joined
    assert seed_demo(services) == []
    assert "IBM Zurich Research Lab" in organisations(services, "RFID")
    assert "Technology Park Ostrava" in organisations(services, "disaster management")
    text = run_command(services, actor(services, 42), "stats", "").text
    assert "8 Demo" in text


def test_demo_is_skipped_when_profiles_exist(services: Services) -> None:
    with_profile(services, 7, offers=["CRM"], needs=[])
    assert seed_demo(services) == []


def test_cli_demo_fills_an_empty_database(tmp_path: Path) -> None:
    result = cli(tmp_path, "demo")
    assert result.returncode == 0, result.stderr
    assert "Demo member: RFID Solutions Team, IBM Zurich Research Lab (Bern)" in result.stdout
    found = cli(tmp_path, "match", "Geschäftsmodelle", "--json")
    assert "Universität Paderborn" in found.stdout


def test_counts_use_the_singular_for_one(services: Services) -> None:
    manager = actor(services, 42)  # MANAGER_IDS: counted once, as the one manager
    actor(services, 5)  # a visitor
    with_profile(services, 7, offers=["CRM"], needs=["RFID"])
    run_command(services, member(services, 7), "match", "RFID")
    german = run_command(services, manager, "stats", "").text
    assert "1 Mitglied, 1 Manager, 1 Gast" in german
    assert "1 Profil, davon" in german and "1 Suche, 0 Kontaktanfragen" in german
    english = run_command(services, replace(manager, language="en"), "stats", "").text
    assert "1 member, 1 manager, 1 visitor" in english and "1 search," in english
    listed = run_command(services, manager, "members", "").text
    assert "1 Mitglied, 1 Manager, 1 Gast" in listed


def test_managers_from_manager_ids_are_counted_once_in_members_and_stats(
        services: Services) -> None:
    manager = actor(services, 42)  # MANAGER_IDS; their own row says visitor
    member(services, 43, role=Role.MANAGER)  # promoted earlier
    member(services, 44, role=Role.MEMBER)
    actor(services, 45)  # a visitor who asked a question
    for command in ("members", "stats"):
        text = run_command(services, manager, command, "").text
        assert "1 Mitglied, 2 Manager, 1 Gast" in text, (command, text)
    english = run_command(services, actor(services, 46, language_code="en", role=Role.MANAGER),
                          "members", "").text
    assert "1 member, 2 managers, 2 visitors" in english
