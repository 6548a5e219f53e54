"""Matchmaking: the quality table, ranking rules, the live index, paging and the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.actor import Role
from core.i18n import t
from core.members import common
from core.members.concepts import affinity, term_concepts
from core.members.keywords import load_synonyms
from core.members.matching import search
from core.router import press_button, run_command
from core.services import Services
from tests.conftest import make_settings, start_services
from tests.members.support import (
    CASES,
    CONTACT,
    INVITE,
    JOIN,
    MATCH,
    MEMBERS_CSV,
    PROFILE,
    cli,
    first,
    import_member_set,
    member,
    organisations,
    pressable,
    with_profile,
)


# ---------------------------------------------------------------------------------- quality
@pytest.fixture(scope="module")
def member_set(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    path = tmp_path_factory.mktemp("members") / "set.sqlite3"
    services = start_services(make_settings(f"sqlite:///{path}"))
    import_member_set(services)
    yield services
    services.close()


def test_the_quality_table_has_forty_queries_in_both_languages_with_typos() -> None:
    queries = [case["q"] for case in CASES if not case.get("none")]
    assert len(queries) >= 40
    assert {"logisitcs", "Katastrofenmanagment", "bussiness modells", "egoverment"} <= set(
        queries)


@pytest.mark.parametrize("case", CASES, ids=[case["q"] for case in CASES])
def test_expected_member_is_in_the_top_three(member_set: Services, case: dict[str, Any]
                                             ) -> None:
    found = organisations(member_set, case["q"])
    if case.get("none"):
        assert found == []
    else:
        assert case["expect"] in found[:3], found[:5]


def test_matched_keywords_are_the_members_own_words(member_set: Services) -> None:
    found = search(member_set, "disaster management, GIS")
    best = found.explained(found.hits[:1])[0]
    assert best.score == 100
    assert set(best.matched_offers) == {"Katastrophenmanagement", "Geoinformationssysteme"}


def test_words_nobody_uses_lower_the_score_and_are_named(member_set: Services) -> None:
    alone = search(member_set, "RFID").hits[0]
    mixed = search(member_set, "RFID, Blockchain")
    assert mixed.unknown == ["blockchain"]
    assert mixed.hits[0].profile_id == alone.profile_id
    assert mixed.hits[0].score < alone.score


def test_words_nobody_uses_are_named_as_the_member_typed_them(services: Services) -> None:
    me = with_profile(services, 11, offers=["Logistik"], needs=["RFID"])
    with_profile(services, 12, offers=["Logistik"], needs=[])
    text = run_command(services, me, "match", "Logistik, Wärmepumpen").text
    assert "Wärmepumpen" in text and "waermepumpen" not in text


def test_a_phrase_nobody_uses_is_named_whole_and_not_repeated(services: Services) -> None:
    me = with_profile(services, 11, offers=["RFID"], needs=[])
    with_profile(services, 12, offers=["Logistik"], needs=[])
    text = run_command(services, me, "match", "heat pump, Logistik").text
    assert t("de", "members_match_unknown", words="heat pump") in text
    nothing = run_command(services, me, "match", "heat pump").text
    assert "heat pump" in nothing and t("de", "members_match_unknown", words="heat pump") \
        not in nothing  # the first line already says nobody fits "heat pump"


# ---------------------------------------------------------------------------------- ranking
def test_match_excludes_me_and_hidden_profiles(services: Services) -> None:
    me = with_profile(services, 11, offers=["Logistik"], needs=["RFID"])
    with_profile(services, 12, offers=["Logistik"], needs=[], organization="Shown GmbH")
    with_profile(services, 13, offers=["Logistik"], needs=[], organization="Hidden GmbH",
                 visible=False)
    assert organisations(services, "logistics", exclude_owner=me.user_id) == ["Shown GmbH"]
    text = run_command(services, me, "match", "logistics").text
    assert "Shown GmbH" in text and "Hidden GmbH" not in text and "Org 11" not in text


def test_match_without_keywords_uses_my_needs_and_their_needs_of_my_offers(
        services: Services) -> None:
    me = with_profile(services, 21, offers=["CRM"], needs=["RFID"])
    with_profile(services, 22, offers=["RFID"], needs=[], organization="Offers what I need")
    with_profile(services, 23, offers=["Usability"], needs=["CRM"],
                 organization="Needs what I offer")
    with_profile(services, 24, offers=["Usability"], needs=["Tourismus"],
                 organization="Unrelated")
    reply = run_command(services, me, "match", "")
    text = reply.text
    assert text.index("Offers what I need") < text.index("Needs what I offer")
    assert "Unrelated" not in text
    assert "Ihr Bedarf „RFID“ – genau das wird angeboten" in text
    assert "Ihr Angebot „CRM“ – genau das wird gesucht" in text


def test_match_without_keywords_and_without_profile_explains_usage(services: Services) -> None:
    me = member(services, 31)
    assert "/match Logistik" in run_command(services, me, "match", "").text


def test_index_follows_profile_changes_at_once(services: Services) -> None:
    searcher = with_profile(services, 41, offers=["CRM"], needs=[])
    with_profile(services, 42, offers=["Tourismus"], needs=[], organization="Changing AG")
    assert organisations(services, "Robotik", exclude_owner=searcher.user_id) == []
    with_profile(services, 42, offers=["Robotik"], needs=[], organization="Changing AG")
    assert organisations(services, "robotics", exclude_owner=searcher.user_id) == [
        "Changing AG"]
    assert organisations(services, "Tourismus", exclude_owner=searcher.user_id) == []
    press_button(services, member(services, 42), PROFILE.data("hide"))
    assert organisations(services, "robotics", exclude_owner=searcher.user_id) == []


def test_index_notices_an_import_made_by_another_process(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    searcher = with_profile(services, 51, offers=["CRM"], needs=[])
    assert organisations(services, "RFID") == []  # builds the index
    other = start_services(services.settings)  # e.g. `cluster-advisor members import`
    try:
        import_member_set(other)
    finally:
        other.close()
    monkeypatch.setattr(common, "SYNC_INTERVAL_SECONDS", 0.0)
    assert "IBM Zurich Research Lab" in organisations(services, "RFID",
                                                      exclude_owner=searcher.user_id)


def test_a_demoted_members_profile_leaves_matchmaking(services: Services) -> None:
    manager = member(services, 42, role=Role.MANAGER)
    with_profile(services, 61, offers=["Robotik"], needs=[], organization="Robo GmbH")
    assert organisations(services, "Robotik") == ["Robo GmbH"]
    run_command(services, manager, "demote", "61")
    assert organisations(services, "Robotik") == []
    run_command(services, manager, "promote", "61")
    assert organisations(services, "Robotik") == ["Robo GmbH"]


# ---------------------------------------------------------------------------------- paging
def test_results_are_paged_and_only_the_searcher_turns_the_pages(services: Services) -> None:
    me = with_profile(services, 71, offers=["CRM"], needs=[])
    for user in range(100, 112):
        with_profile(services, user, offers=["Logistik"], needs=[], organization=f"L{user}")
    page_one = run_command(services, me, "match", "Logistik")
    assert len(pressable(page_one, MATCH, "contact")) == 5
    assert "Seite 1/3" in page_one.text
    next_page = first(page_one, MATCH, "page")
    second = press_button(services, me, next_page)
    assert second.edit and "Seite 2/3" in second.text and "6. " in second.text
    other = with_profile(services, 72, offers=["CRM"], needs=[])
    refused = press_button(services, other, next_page)
    assert refused.notice_only and "L10" not in refused.text


def test_profile_html_is_escaped_in_results(services: Services) -> None:
    me = with_profile(services, 81, offers=["CRM"], needs=[])
    with_profile(services, 82, offers=["Logistik"], needs=[], name="<b>Evil</b> & Co",
                 organization="<script>")
    text = run_command(services, me, "match", "Logistik").text
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in text and "<script>" not in text


def test_visitor_cannot_match_or_see_member_data_with_forged_buttons(
        services: Services) -> None:
    me = with_profile(services, 91, offers=["CRM"], needs=[], username="owner91")
    with_profile(services, 92, offers=["Logistik"], needs=[], organization="Secret Org",
                 username="secret92")
    reply = run_command(services, me, "match", "CRM, Logistik")
    assert "Secret Org" in reply.text
    visitor = member(services, 93, role=Role.VISITOR)
    assert "nur für Mitglieder" in run_command(services, visitor, "match", "Logistik").text
    assert "nur für Mitglieder" in run_command(services, visitor, "profile", "").text
    search_page = first(reply, MATCH, "contact")
    for data in (search_page, MATCH.data("page", 1, 0), MATCH.data("contact", 1),
                 CONTACT.data("accept", 1), PROFILE.data("edit", "all"),
                 JOIN.data("accept", 1), INVITE.data("new")):
        answer = press_button(services, visitor, data)
        assert answer.notice_only, data
        assert "Secret Org" not in answer.text and "secret92" not in answer.text
        assert answer.extra == ()


# ---------------------------------------------------------------------------------- CLI
def test_cli_match_prints_json_best_first_and_reads_queries_from_stdin(tmp_path: Path
                                                                      ) -> None:
    imported = cli(tmp_path, "members", "import", str(MEMBERS_CSV))
    assert imported.returncode == 0, imported.stderr
    one = cli(tmp_path, "match", "logisitcs", "--json", "--limit", "2")
    assert one.returncode == 0, one.stderr
    record = json.loads(one.stdout)
    assert record["query"] == "logisitcs" and len(record["results"]) == 2
    best = record["results"][0]
    assert set(best) == {"name", "organization", "score", "matched"}
    assert best["organization"] == "Westfalen Logistik GmbH"
    assert best["matched"] == ["Kontraktlogistik"]
    assert record["results"][0]["score"] >= record["results"][1]["score"]
    many = cli(tmp_path, "match", "--json", "-", stdin="RFID\n\nKubernetes\ne-government\n")
    records = [json.loads(line) for line in many.stdout.splitlines()]
    assert [r["query"] for r in records] == ["RFID", "Kubernetes", "e-government"]
    assert records[1]["results"] == []
    assert records[2]["results"][0]["organization"] == "Stadt Gelsenkirchen"
    plain = cli(tmp_path, "match", "Katastrophenmanagement")
    assert plain.stdout.startswith("1. ") and "Ostrava" in plain.stdout


# ---------------------------------------------------------------------------------- table
def test_the_abbreviation_table_loads_with_both_languages() -> None:
    table = load_synonyms()
    assert len(table.concepts) >= 30
    assert all(c.label["de"] and c.label["en"] for c in table.concepts.values())
    for short, long in (("IoT", "Internet der Dinge"), ("RFID", "Radio Frequency Identification"),
                        ("F&E", "research and development"), ("CFK", "CFRP"),
                        ("KI", "artificial intelligence")):
        assert affinity(term_concepts(short), term_concepts(long, query=False)) == 1.0


def test_what_the_language_layer_knows_is_not_in_the_table() -> None:
    table = load_synonyms()
    spellings = {s.lower() for c in table.concepts.values() for s in c.spellings}
    assert not {"wärmepumpen", "heat pumps", "kreislaufwirtschaft", "circular economy",
                "nachhaltigkeit", "sustainability", "sensorik", "sensors"} & spellings


def test_a_spelling_in_two_concepts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.toml"
    path.write_text('[a]\nde = "Logistik"\nen = "logistics"\n'
                    '[b]\nde = "Lagerlogistik"\nen = "logistic"\n'
                    '[c]\nde = "Logistik"\nen = "supply"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="Logistik"):
        load_synonyms(path)
