"""Collecting well: merging proposals across spellings and languages (never merged without
the manager), one 👍 per person and statement, the manager's edit, merge and drop, and bad
input that changes nothing."""

from __future__ import annotations

from core.i18n import t
from core.services import Services
from core.workshop.duplicates import Statement, proposals
from storage.engine import session_scope
from storage.workshop.contributions import contributions, vote_counts
from tests.workshop.support import actions_of, command, open_round, press, say


def _pairs(*texts: str) -> set[tuple[int, int]]:
    found = proposals([Statement(n, text, "2S") for n, text in enumerate(texts, 1)])
    return {(p.keep, p.duplicate) for p in found}


def test_near_duplicates_are_proposed_in_one_language_and_across_languages() -> None:
    assert _pairs("Die Ladeinfrastruktur in der Region ausbauen",
                  "ladeinfrastruktur in der region AUSBAUEN!!") == {(1, 2)}
    assert _pairs("Fachkräftemangel in der Batterietechnik",
                  "Shortage of skilled workers in battery technology") == {(1, 2)}
    assert _pairs("Die Ladeinfrastruktur in der Region ausbauen",
                  "Mehr Kooperation zwischen Forschung und Unternehmen",
                  "Wasserstoff für den Schwerlastverkehr") == set()


def test_statements_of_different_fields_are_not_proposed() -> None:
    found = proposals([Statement(1, "Ladeinfrastruktur ausbauen", "2S"),
                       Statement(2, "Ladeinfrastruktur ausbauen", "2T")])
    assert found == []


def _statements(services: Services, round_id: int) -> dict[str, int]:
    with session_scope(services.engine) as session:
        return {c.text: c.id or 0 for c in contributions(session=session, round_id=round_id,
                                                          step=2)}


def test_one_vote_per_person_and_a_second_tap_takes_it_back(services: Services) -> None:
    round_id, boss, people = open_round(services, step=2)
    press(services, people[501], "contribute", round_id, 2)
    say(services, people[501], "Ladeinfrastruktur ausbauen")
    statement = _statements(services, round_id)["Ladeinfrastruktur ausbauen"]
    press(services, people[502], "vote", statement, 0)
    press(services, people[503], "vote", statement, 0)
    with session_scope(services.engine) as session:
        assert vote_counts(session=session, round_id=round_id) == {statement: 2}
    press(services, people[502], "vote", statement, 0)
    with session_scope(services.engine) as session:
        assert vote_counts(session=session, round_id=round_id) == {statement: 1}


def test_manager_edits_merges_and_drops_and_nothing_is_merged_before(services: Services
                                                                    ) -> None:
    round_id, boss, people = open_round(services, step=2)
    for user, text in ((501, "Ladeinfrastruktur ausbauen"),
                       (502, "Die Ladeinfrastruktur ausbauen"),
                       (503, "Wasserstoff fördern")):
        press(services, people[user], "contribute", round_id, 2)
        say(services, people[user], text)
    ids = _statements(services, round_id)
    dups = press(services, boss, "dups", round_id)
    assert len(_statements(services, round_id)) == 3  # only proposed
    assert [args for name, args in actions_of(dups) if name == "merge"] == [
        (ids["Ladeinfrastruktur ausbauen"], ids["Die Ladeinfrastruktur ausbauen"])]
    # a member cannot merge or drop: the table's role refuses
    assert press(services, people[503], "merge", ids["Ladeinfrastruktur ausbauen"],
                 ids["Wasserstoff fördern"]).notice_only
    assert command(services, boss, f"merge {ids['Wasserstoff fördern']} "
                                   f"{ids['Wasserstoff fördern']}").text
    command(services, boss, f"merge {ids['Ladeinfrastruktur ausbauen']} "
                            f"{ids['Die Ladeinfrastruktur ausbauen']}")
    command(services, boss, f"edit {ids['Wasserstoff fördern']} Grünen Wasserstoff fördern")
    assert set(_statements(services, round_id)) == {"Ladeinfrastruktur ausbauen",
                                                    "Grünen Wasserstoff fördern"}
    command(services, boss, f"drop {ids['Wasserstoff fördern']}")
    assert set(_statements(services, round_id)) == {"Ladeinfrastruktur ausbauen"}
    # merged and dropped rows are kept with their authors
    with session_scope(services.engine) as session:
        kept = contributions(session=session, round_id=round_id, step=2, open_only=False)
    assert {(c.author_id, c.status) for c in kept} == {(501, "open"), (502, "merged"),
                                                       (503, "dropped")}


def test_bad_input_gets_one_clear_reply_and_keeps_nothing(services: Services) -> None:
    round_id, boss, people = open_round(services, step=2)
    anna = people[501]
    press(services, anna, "contribute", round_id, 2)
    assert "300" in say(services, anna, "x" * 5000).text
    assert say(services, anna, "   ").text
    html = say(services, anna, "<b>Forschung</b> & Praxis")
    assert html.text.startswith("✓")
    assert set(_statements(services, round_id)) == {"<b>Forschung</b> & Praxis"}
    listing = press(services, anna, "list", round_id, 2, 0)
    assert "&lt;b&gt;Forschung&lt;/b&gt; &amp; Praxis" in listing.text
    # forged and stale buttons change nothing
    assert press(services, anna, "vote", 999_999, 0).notice_only
    assert press(services, anna, "synergy", round_id, 501, 502).notice_only  # not step 3
    assert press(services, anna, "next", round_id, 2).notice_only  # managers only
    assert press(services, boss, "next", round_id, 1).notice_only  # an older step
    assert command(services, boss, "new  | x").text.startswith(t("de", "ws_new_usage")[:20])
    assert command(services, boss, "new Titel | a | 31.02.2027, 1.3.2027, 2.3.2027, "
                                   "3.3.2027").text.count("31.02.2027") == 1
    assert len(_statements(services, round_id)) == 1
