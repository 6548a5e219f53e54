"""Matchmaking across languages, inflections, compounds and typos, in both directions, and
the explanation of every result (issue #9)."""

from __future__ import annotations

import pytest

from core.members.common import member_index
from core.router import run_command
from core.services import Services
from tests.members.support import organisations, with_profile

SEARCHER = 1


@pytest.fixture
def cluster(services: Services) -> Services:
    """Six members writing about their fields in German or English."""
    with_profile(services, SEARCHER, offers=["Beratung"], needs=[])
    with_profile(services, 11, offers=["heat pump controls"], needs=[], organization="HeatCo")
    with_profile(services, 12, offers=["Leichtbau"], needs=[], organization="Leicht GmbH")
    with_profile(services, 13, offers=["lightweight design"], needs=[],
                 organization="Featherweight Ltd")
    with_profile(services, 14, offers=["Kreislaufwirtschaft"], needs=[],
                 organization="Kreislauf AG")
    with_profile(services, 15, offers=["circular economy strategies"], needs=[],
                 organization="Loop Lab")
    with_profile(services, 16, offers=["Wärmepumpen"], needs=[], organization="Wärme KG")
    return services


def found(services: Services, query: str) -> list[str]:
    return organisations(services, query, exclude_owner=SEARCHER)


@pytest.mark.parametrize(("query", "expected"), [
    ("Wärmepumpen", "HeatCo"),  # German need, English offer
    ("heat pumps", "Wärme KG"),  # and back
    ("Wärmepumpe", "HeatCo"),  # another inflection
    ("Leichtbau", "Featherweight Ltd"),
    ("lightweight design", "Leicht GmbH"),
    ("Kreislaufwirtschaft", "Loop Lab"),  # a compound against a phrase
    ("circular economy", "Kreislauf AG"),
    ("heatpumps", "Wärme KG"),  # an English compound written as one word
    ("Wärmepumepn", "HeatCo"),  # a typo, repaired against the cluster's words
    ("circular econmy", "Kreislauf AG"),
])
def test_a_term_finds_the_member_who_wrote_it_in_the_other_language(
        cluster: Services, query: str, expected: str) -> None:
    assert expected in found(cluster, query)[:2]


def test_unrelated_fields_are_not_mixed_up(cluster: Services) -> None:
    assert found(cluster, "Wärmepumpen")[:2] == ["Wärme KG", "HeatCo"]
    assert set(found(cluster, "Leichtbau")) == {"Leicht GmbH", "Featherweight Ltd"}
    assert found(cluster, "Pferdezucht") == []


def test_a_correct_word_is_never_corrected_into_another(cluster: Services) -> None:
    index = member_index(cluster)
    assert index.parse("Wärmepumepn").phrases[0].whole.text == "waermepumpen"  # repaired
    assert index.parse("Wasserpumpen").phrases[0].whole.text == "wasserpumpen"  # a word
    assert index.parse("Leichtbauer").phrases[0].whole.text == "leichtbauer"  # a word too


def test_a_member_who_only_needs_finds_those_who_offer(services: Services) -> None:
    needs_only = with_profile(services, 21, offers=[], needs=["Wärmepumpen"])
    with_profile(services, 22, offers=["heat pump controls"], needs=[], organization="HeatCo")
    with_profile(services, 23, offers=["Holzbau"], needs=[], organization="Timber AG")
    text = run_command(services, needs_only, "match", "").text
    assert "HeatCo" in text and "Timber AG" not in text


def test_a_member_who_only_offers_finds_those_who_need(services: Services) -> None:
    offers_only = with_profile(services, 31, offers=["Logistik"], needs=[])
    with_profile(services, 32, offers=[], needs=["logistics partner"], organization="Seeker")
    with_profile(services, 33, offers=[], needs=["Brandschutz"], organization="Other")
    text = run_command(services, offers_only, "match", "").text
    assert "Seeker" in text and "Other" not in text


def test_the_needs_partner_finds_the_offer_and_the_offer_finds_the_need(
        services: Services) -> None:
    needs = with_profile(services, 41, offers=[], needs=["logistics partner"],
                         organization="Seeker")
    offers = with_profile(services, 42, offers=["Logistik"], needs=[], organization="Carrier")
    assert "Carrier" in run_command(services, needs, "match", "").text
    assert "Seeker" in run_command(services, offers, "match", "").text


def test_each_result_says_why_in_the_members_language(services: Services) -> None:
    german = with_profile(services, 51, offers=["Logistik"], needs=["Wärmepumpen"])
    english = with_profile(services, 52, offers=["Logistik"], needs=["Wärmepumpen"],
                           language_code="en")
    with_profile(services, 53, offers=["heat pump controls"], needs=[], organization="HeatCo")
    with_profile(services, 54, offers=[], needs=["logistics partner"], organization="Seeker")
    de = run_command(services, german, "match", "").text
    assert "Ihr Bedarf „Wärmepumpen“ ≈ Angebot „heat pump controls“" in de
    assert "Ihr Angebot „Logistik“ ≈ Bedarf „logistics partner“" in de
    en = run_command(services, english, "match", "").text
    assert "your need 'Wärmepumpen' ≈ their offer 'heat pump controls'" in en
    assert "your offer 'Logistik' ≈ their need 'logistics partner'" in en
    typed = run_command(services, english, "match", "Wärmepumpe").text
    assert "'Wärmepumpe' ≈ offers 'heat pump controls'" in typed


def test_a_fit_through_the_description_quotes_its_words(services: Services) -> None:
    me = with_profile(services, 61, offers=["CRM"], needs=[], language_code="en")
    with_profile(services, 62, offers=["Beratung"], needs=[], organization="Writer",
                 description="Wir planen Wärmepumpen für Mehrfamilienhäuser.")
    text = run_command(services, me, "match", "heat pumps").text
    assert "Writer" in text
    assert "'heat pumps' ≈ in their description: 'Wärmepumpen'" in text


def test_suggestions_offer_the_clusters_spelling_of_the_same_meaning(
        services: Services) -> None:
    with_profile(services, 71, offers=["Wärmepumpen", "Logistik"], needs=[])
    index = member_index(services)
    assert index.suggest("heat pumps", "en") == "Wärmepumpen"
    assert index.suggest("Wärmepumpe", "de") == "Wärmepumpen"
    assert index.suggest("logistic", "en") == "Logistik"
    assert index.suggest("Wärmepumpen", "de") is None  # already the cluster's spelling
    assert index.suggest("Holzbau", "de") is None  # nothing alike in use
