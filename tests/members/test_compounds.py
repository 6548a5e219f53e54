"""Compounds the language layer leaves whole, and translations of compound parts."""

from __future__ import annotations

import pytest

from core.members.compounds import compound_parts, english_parts
from core.members.concepts import affinity, term_concepts


@pytest.mark.parametrize(("word", "parts"), [
    ("messgeraete", ("messen", "geraet")),  # a verb stem as modifier
    ("klebtechnik", ("kleben", "technik")),
    ("fraeszentrum", ("fraesen", "zentrum")),
    ("webentwicklung", ("web", "entwicklung")),  # a short word in a word nobody listed
    ("pharmatransporte", ("pharma", "transport")),  # a borrowed modifier
    ("sicherheitsaudits", ("sicherheit", "audit")),  # a borrowed head
])
def test_a_compound_with_a_part_of_no_german_word_of_its_own_is_split(
        word: str, parts: tuple[str, ...]) -> None:
    assert compound_parts(word) == parts


def test_a_coined_modifier_leaves_the_known_head() -> None:
    parts = compound_parts("ultrakurzpulslaser")
    assert parts is not None and parts[-1] == "laser"


@pytest.mark.parametrize("word", ["lebensmittel", "unternehmen", "hersteller"])
def test_a_listed_word_is_not_split_without_its_translation_saying_so(word: str) -> None:
    assert compound_parts(word) is None


@pytest.mark.parametrize("word", ["blockchain", "workshop", "passports", "software"])
def test_a_known_english_word_stays_whole(word: str) -> None:
    assert english_parts(word) is None and compound_parts(word) is None


def test_a_known_english_compound_splits_when_its_translation_does() -> None:
    assert english_parts("cybersecurity") == ("cyber", "security")  # "Cybersicherheit"


def test_a_compound_part_keeps_its_translation_spelt_alike() -> None:
    # "Inspektion" translates first to "inspectorate"; "inspection" is spelt alike
    assert affinity(term_concepts("Tankinspektion"),
                    term_concepts("tank inspection", query=False)) >= 0.6
