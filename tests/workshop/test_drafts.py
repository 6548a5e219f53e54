"""Step 4: drafts typed in the plan's columns, the pitfall checks before saving, and the
suggested participants when /plan_add saves an item."""

from __future__ import annotations

import pytest

from core.router import run_command
from core.services import Services
from core.workshop.access import WorkshopProblem
from core.workshop.drafts import parse_draft, pitfalls
from storage.engine import session_scope
from storage.workshop.contributions import contributions
from tests.workshop.support import (
    actions_of,
    manager,
    members_with_profiles,
    open_round,
    press,
    say,
)


def test_a_typed_draft_is_read_in_the_talks_columns() -> None:
    draft = parse_draft("E-Mobilität | Ladesysteme testen | 3 Jahre | @anna | "
                        "Forschung, Unternehmen, Stadtwerke | 5 Pilotstandorte")
    assert draft["horizon"] == 36 and draft["groups"] == ["research", "companies"]
    assert draft["participants"] == "Stadtwerke" and draft["kpi"] == "5 Pilotstandorte"
    assert pitfalls(draft) == []


@pytest.mark.parametrize("line", ["nur ein Feld", "Thema | Aktion | bald",
                                  "Thema | Aktion | 500 Monate", " | Aktion | 12",
                                  "a|b|c|d|e|f|g"])
def test_a_bad_draft_is_refused_whole(line: str) -> None:
    with pytest.raises(WorkshopProblem):
        parse_draft(line)


def test_pitfalls_are_the_talks_stumbling_blocks() -> None:
    base = {"topic": "T", "action": "A", "kpi": "x", "groups": ["research", "companies"],
            "horizon": 12}
    assert pitfalls(base) == []
    assert pitfalls({**base, "kpi": ""}) == ["ws_pit_no_kpi"]
    assert pitfalls({**base, "groups": ["research"]}) == ["ws_pit_one_group"]
    assert pitfalls({**base, "horizon": 2}) == ["ws_pit_short_horizon"]
    many = {**base, "groups": ["research", "companies", "politics", "cluster", "others"]}
    assert pitfalls({**many, "horizon": 6}) == ["ws_pit_short_horizon"]
    assert pitfalls({**many, "horizon": 13}) == []


def test_members_type_drafts_at_step_4_and_save_needs_the_pitfalls_said(services: Services
                                                                       ) -> None:
    round_id, boss, people = open_round(services, step=4)
    press(services, people[503], "contribute", round_id, 4)
    assert "Nichts" in say(services, people[503], "Nur ein Thema").text
    say(services, people[503], "Innovationskreise | branchenübergreifende Kreise für KMU | "
                               "2 Monate | Cleo Dahl | Cluster")
    with session_scope(services.engine) as session:
        drafts = contributions(session=session, round_id=round_id, step=4)
    assert len(drafts) == 1
    warned = press(services, boss, "to_plan", drafts[0].id, "check")
    assert [name for name, _ in actions_of(warned)][0] == "to_plan"  # "save anyway"
    assert "KPI" in warned.text and "Offenheit" in warned.text
    saved = press(services, boss, "to_plan", drafts[0].id, "anyway")
    assert "#1" in saved.text
    assert press(services, boss, "to_plan", drafts[0].id, "anyway").notice_only  # once


def test_plan_add_suggests_members_whose_offers_fit(services: Services) -> None:
    members_with_profiles(services)
    boss = manager(services)
    reply = run_command(services, boss, "plan_add",
                        "E-Mobilität | Ladeinfrastruktur testen | 31.12.2027 | @ws_502 | "
                        "Forschung | 3 Standorte")
    assert "Anna Berg" in reply.text and "Cleo Dahl" not in reply.text
    invite = [c.data for c in reply.flat_choices if c.data.startswith("ws:suggest:")]
    assert invite == ["ws:suggest:1:501"]
    invited = press(services, boss, "suggest", 1, 501)
    assert [o.chat_id for o in invited.extra] == [501]
