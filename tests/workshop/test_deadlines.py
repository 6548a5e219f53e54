"""Per-step deadlines: a step past its deadline is said on the card and in the managers'
digest; typed deadlines are checked whole."""

from __future__ import annotations

from datetime import date, timedelta

from core.services import Services
from core.workshop.deadlines import digest_lines
from storage.engine import session_scope
from storage.workshop.rounds import get_round
from tests.workshop.support import command, open_round


def test_an_overdue_step_shows_on_the_card_and_in_the_digest(services: Services) -> None:
    round_id, boss, _ = open_round(services, step=2)
    assert digest_lines(services, "de", None) == []
    with session_scope(services.engine) as session:
        found = get_round(session=session, round_id=round_id)
        assert found is not None
        found.deadlines = {**found.deadlines, "2": (date.today() - timedelta(days=3))
                           .isoformat()}
        session.add(found)
    lines = digest_lines(services, "en", None)
    assert len(lines) == 1 and f"/workshop {round_id}" in lines[0] and "step 2" in lines[0]
    assert "⏰" in command(services, boss, str(round_id)).text


def test_deadlines_must_be_four_in_order_and_in_the_future(services: Services) -> None:
    _, boss, _ = open_round(services)
    year = date.today().year + 1
    assert "#2" in command(services, boss, f"new B | | 1.1.{year}, 2.1.{year}, 3.1.{year}, "
                                           f"4.1.{year}").text
    for bad in (f"1.1.{year}, 2.1.{year}", f"4.1.{year}, 3.1.{year}, 5.1.{year}, 6.1.{year}",
                "1.1.2020, 2.1.2020, 3.1.2020, 4.1.2020"):
        assert "#3" not in command(services, boss, f"new C | | {bad}").text
