"""A round through the four steps in-process (router, storage, the plan's reminder pass):
competences proposed from profiles, a near-duplicate merged after the manager saw it, a
synergy proposed from two fitting profiles, a draft saved into the plan with its
responsible person told and a fitting member suggested, who accepts."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from core.actor import Actor
from core.reply import Reply
from core.services import Services
from storage.action_plan.tables import PlanItem
from storage.clock import utcnow
from storage.engine import session_scope
from storage.workshop.contributions import contributions
from tests.action_plan.support import RecordingSender, run
from tests.workshop.support import (
    actions_of,
    command,
    manager,
    members_with_profiles,
    press,
    say,
)


def _round(services: Services, boss: Actor) -> int:
    reply = command(services, boss, "new E-Mobilität 2027 | Ladeinfrastruktur")
    found = [args for name, args in actions_of(reply) if name == "invite"]
    assert found, reply.text
    return int(found[0][0])  # type: ignore[call-overload]


def _texts(services: Services, round_id: int, step: int) -> list[str]:
    with session_scope(services.engine) as session:
        return [c.text for c in contributions(session=session, round_id=round_id, step=step)]


def test_round_runs_through_four_steps_into_the_plan(services: Services) -> None:
    boss = manager(services)
    people = members_with_profiles(services)
    anna, ben, cleo = people[501], people[502], people[503]
    round_id = _round(services, boss)

    preview = press(services, boss, "invite", round_id, "match")
    assert "Anna Berg" in preview.text and "Ben Ode" in preview.text
    assert "Cleo Dahl" not in preview.text  # her profile does not fit the keyword
    invited = press(services, boss, "invite_ok", round_id, "all")
    assert {o.chat_id for o in invited.extra} == {501, 502, 503}

    # step 1: Anna's offers are proposed; one tap confirms, a typed line adds
    prompt = press(services, anna, "contribute", round_id, 1)
    assert "Ladeinfrastruktur" in [c.label.split(" ", 1)[1] for c in prompt.flat_choices
                                   if c.data.startswith("ws:offer")]
    press(services, anna, "offer", round_id, 0)
    say(services, anna, "Projektmanagement für Förderprojekte")
    assert _texts(services, round_id, 1) == ["Ladeinfrastruktur",
                                             "Projektmanagement für Förderprojekte"]

    press(services, boss, "next", round_id, 1)
    stale = press(services, anna, "offer", round_id, 1)  # the round moved on
    assert stale.notice_only and len(_texts(services, round_id, 1)) == 2

    # step 2: statements, one a near-duplicate of another
    press(services, anna, "contribute", round_id, 2)
    say(services, anna, "Die Ladeinfrastruktur in der Region ausbauen")
    press(services, ben, "contribute", round_id, 2)
    press(services, ben, "group", round_id, "research")
    say(services, ben, "Ladeinfrastruktur in unserer Region ausbauen!")
    press(services, cleo, "contribute", round_id, 2)
    assert "300" in say(services, cleo, "x" * 301).text  # too long: nothing kept
    say(services, cleo, "Mehr Kooperation zwischen Forschung und Unternehmen")
    assert len(_texts(services, round_id, 2)) == 3
    dups = press(services, boss, "dups", round_id)
    merges = [args for name, args in actions_of(dups) if name == "merge"]
    assert len(merges) == 1, dups.text
    with session_scope(services.engine) as session:
        ids = {c.text: c.id for c in contributions(session=session, round_id=round_id,
                                                   step=2)}
    assert merges[0] == (ids["Die Ladeinfrastruktur in der Region ausbauen"],
                         ids["Ladeinfrastruktur in unserer Region ausbauen!"])
    # votes: one per person; the duplicate's vote moves with the merge
    press(services, cleo, "vote", merges[0][1], 0)
    press(services, anna, "vote", merges[0][0], 0)
    press(services, boss, "merge", *merges[0])
    listing = press(services, ben, "list", round_id, 2, 0)
    assert f"#{merges[0][0]} 👍2" in listing.text
    assert "unserer Region" not in listing.text

    # step 3: the pair Anna (offers Ladeinfrastruktur) <-> Ben (needs it) is proposed
    press(services, boss, "next", round_id, 2)
    prompt = press(services, ben, "contribute", round_id, 3)
    pairs = [args for name, args in actions_of(prompt) if name == "synergy"]
    assert (round_id, 501, 502) in pairs, prompt.text
    press(services, ben, "synergy", round_id, 501, 502)
    assert len(_texts(services, round_id, 3)) == 1

    # step 4: drafts from the top statements, pitfalls said before saving
    press(services, boss, "next", round_id, 3)
    listing = press(services, boss, "drafts", round_id)
    drafts = [args[0] for name, args in actions_of(listing) if name == "draft"]
    assert drafts
    draft_id = int(drafts[0])  # type: ignore[call-overload]
    edit = command(services, boss, f"draft {draft_id} responsible @ws_502")
    assert "@ws_502" in edit.text
    warned = press(services, boss, "to_plan", draft_id, "check")
    assert "KPI" in warned.text and not any(n == "suggest" for n, _ in actions_of(warned))
    command(services, boss, f"draft {draft_id} kpi 5 Pilotstandorte")
    command(services, boss, f"draft {draft_id} participants Forschung, Unternehmen")
    command(services, boss, f"draft {draft_id} horizon 36 Monate")
    saved = press(services, boss, "to_plan", draft_id, "check")
    assert "#" in saved.text
    with session_scope(services.engine) as session:
        items = list(session.exec(select(PlanItem)).all())
    assert len(items) == 1 and items[0].kpi == "5 Pilotstandorte"
    assert set(items[0].participant_groups) == {"research", "companies"}
    suggested = [args for name, args in actions_of(saved) if name == "suggest"]
    assert (items[0].id, 501) in suggested, saved.text  # Anna offers Ladeinfrastruktur

    # the responsible person hears it from the plan's reminder pass
    sender = RecordingSender()
    run(services, sender, utcnow() + timedelta(seconds=5))
    told = sender.to(502)
    assert told and "Ladeinfrastruktur" in told[0].text

    # Anna is invited and accepts; her name joins the item
    invite: Reply = press(services, boss, "suggest", items[0].id, 501)
    assert invite.extra and invite.extra[0].chat_id == 501
    accept = [args for name, args in actions_of(invite.extra[0].reply) if name == "accept"]
    press(services, people[503], "accept", *accept[0])  # someone else: refused
    done = press(services, anna, "accept", *accept[0])
    assert done.extra and done.extra[0].chat_id == 42
    with session_scope(services.engine) as session:
        item = session.get(PlanItem, items[0].id)
        assert item is not None and "User 501" in item.participants
