"""The question index: built in bulk (knowledge.batch), it must hold exactly what analysing
each phrasing like a question (Analyser.terms) gives — else a question worded like an
entry's phrasing would meet other keys than that phrasing has."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from knowledge.analysis import Analyser, folded_words
from knowledge.base import KnowledgeBase, load_knowledge_base
from knowledge.index import Index, build, phrasings_of, term_weight
from knowledge.language.function_words import OURS

# texts that take the rarer paths of the analysis: hyphens of function words, chat
# spellings, intents and "our", accents (NFKD), a no-break space, a stray separator byte,
# phrases, digits and number words, capitals, a name, clauses
TRICKY = (
    "Know-how und Follow-up für E-Mobilität",
    "hw do u get funding? wieviele Mitglieder gibts",
    "Wie hoch ist unser Mitgliedsbeitrag bei uns?",
    "Was versteht man unter einem Cluster-Café mit Crème brûlée",
    "Förderung\u00a0für\u00a0KMU",
    "null\x00byte Wärmepumpe heat pump business model",
    "Was kostet das? 5 Euro, fünf Stolpersteine",
    "Warum WARUM warum: Tampere, ELMOS und Nokia",
    "what's the share price today, right now?",
    "Lebens Zyklus des Clusterlebenszyklus",
    "What would that cost? Wie lange dauert das, and where can I park?",
    # clauses: a long one read alone, a short one (a topic) with the next
    "Unsere Firmen klagen laut über Lärm – wer ist zuständig?",
    "Unser Büro: wann ist es offen? Frage! Unser sehr, sehr lieber Beitrag; was kostet er?",
    # the next event (a compound the intents see), not the next step
    "Wann ist das nächste Netzwerktreffen? Der nächste Schritt nach dem Workshop?",
    # a statement before the question asks for nothing; "z. B." and "Dr." end no sentence
    "Unser Verbund besteht seit 15 Jahren. Wann ist z. B. Dr. Meier da? Danke.",
    # "wo" after a content word asks for no place, after a function word it does, also
    # after a long run of other words
    "Wie finde ich heraus, wo sich unsere Regionen ergänzen? Weißt du, wo unser Büro ist?",
    "Region Firmen Partner Netzwerk Cluster Verbund Treffen heute wo? und und und und wo?",
)


def _with_tricky(knowledge: KnowledgeBase) -> KnowledgeBase:
    first, second = knowledge.entries[0], knowledge.entries[1]
    tricky = replace(first, id="tricky", related=(),
                     questions={"de": TRICKY[:5], "en": TRICKY[5:]},
                     keywords={"de": TRICKY[::2], "en": ()})
    facts = replace(second, id="tricky_facts", related=(), cluster_facts=True,
                    questions={"de": TRICKY[2:4], "en": TRICKY[8:]})
    return KnowledgeBase(knowledge.chapters, (*knowledge.entries, tricky, facts))


def _expected(knowledge: KnowledgeBase, index: Index
              ) -> tuple[list[dict[str, float]], list[list[tuple[str, float]]]]:
    """Per entry its keys' strongest strengths, per phrasing its own keys' weights, from
    Analyser.terms text by text."""
    analyser = Analyser(index.vocabulary)
    entry_keys: list[dict[str, float]] = []
    phrasings: list[list[tuple[str, float]]] = []
    for entry in knowledge.entries:
        keys: dict[str, float] = {}
        for _, text in phrasings_of(entry):
            terms = [term for term in analyser.terms(text)
                     if entry.cluster_facts or term.own != OURS]
            own: dict[str, float] = {}
            for term in terms:
                for key, strength in term.keys.items():
                    keys[key] = max(keys.get(key, 0.0), strength)
                weight = term_weight(term, index.idf, index.names)
                own[term.own] = max(own.get(term.own, -1.0), weight)
            if own:
                phrasings.append(list(own.items()))
        entry_keys.append(keys)
    return entry_keys, phrasings


def _indexed(index: Index) -> tuple[list[dict[str, float]], list[list[tuple[str, float]]]]:
    by_number = {number: key for key, number in index.postings.numbers.items()}
    entry_keys: list[dict[str, float]] = [{} for _ in index.entries]
    for key in index.postings:
        ids, values = index.postings[key]
        for entry, value in zip(ids.tolist(), values.tolist(), strict=True):
            entry_keys[entry][key] = value
    starts = index.phrasing_starts.tolist()
    phrasings = [[(by_number[number], weight) for number, weight in zip(
        index.phrasing_keys[start:stop].tolist(), index.phrasing_weights[start:stop].tolist(),
        strict=True)] for start, stop in zip(starts, starts[1:], strict=False)]
    return entry_keys, phrasings


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    return _with_tricky(load_knowledge_base())


def test_index_holds_what_each_phrasing_analysed_as_a_question_gives(
        knowledge: KnowledgeBase) -> None:
    index = build(knowledge)
    expected_keys, expected_phrasings = _expected(knowledge, index)
    indexed_keys, indexed_phrasings = _indexed(index)
    assert indexed_keys == expected_keys
    assert indexed_phrasings == expected_phrasings
    totals = [sum(weight for _, weight in phrasing) for phrasing in expected_phrasings]
    assert index.phrasing_totals.tolist() == totals
    per_entry = np.diff(index.entry_starts)
    assert len(per_entry) == len(knowledge.entries) and per_entry.sum() == len(totals)


def test_our_fact_question_finds_only_the_entry_with_cluster_facts(
        knowledge: KnowledgeBase) -> None:
    index = build(knowledge)
    holders = {index.entries[entry].id for entry in index.postings[OURS][0].tolist()}
    assert "tricky_facts" in holders and "tricky" not in holders


def test_vocabulary_is_every_content_word_of_the_phrasings(knowledge: KnowledgeBase) -> None:
    index = build(knowledge)
    by_lang: dict[str, set[str]] = {"de": set(), "en": set()}
    for entry in knowledge.entries:
        for lang, text in phrasings_of(entry):
            by_lang[lang].update(folded_words(text))
    assert index.vocabulary == by_lang["de"] | by_lang["en"]
    assert {"knowhow", "cafe", "foerderung", "kmu"} <= index.vocabulary
    assert index.german_words == by_lang["de"] - by_lang["en"]
    assert index.english_words == by_lang["en"] - by_lang["de"]


def test_building_twice_gives_the_same_index(knowledge: KnowledgeBase) -> None:
    first, second = build(knowledge), build(knowledge)
    assert list(first.postings.numbers) == list(second.postings.numbers)
    assert np.array_equal(first.phrasing_weights, second.phrasing_weights)
    assert first.surface == second.surface and first.names == second.names


def test_a_heavy_keys_dense_row_holds_its_postings(knowledge: KnowledgeBase) -> None:
    index = build(knowledge)
    postings = index.postings
    postings.add_rows(len(knowledge.entries), 4, 10 ** 6)
    heavy = [key for key in postings if postings.row(key) is not None]
    assert heavy
    for key in heavy:
        row = postings.row(key)
        assert row is not None
        ids, ranks = postings.ranked(key)
        expected = np.zeros(len(knowledge.entries), dtype=ranks.dtype)
        expected[ids] = ranks
        assert row.tolist() == expected.tolist()
        assert postings.strengths[row[ids]].tolist() == postings[key][1].tolist()
