"""Who may read and contribute (visitors never, members only in their rounds, someone who
stopped being a member not any more), and the author's forget-me and data export."""

from __future__ import annotations

from sqlmodel import select

from core.actor import Role
from core.members.privacy import forget
from core.services import Services
from storage.accounts.queries import get_member
from storage.engine import session_scope
from storage.workshop.contributions import contributions
from storage.workshop.tables import WorkshopContribution, WorkshopVote
from tests.workshop.support import command, open_round, person, press, say, visitor


def test_visitor_cannot_read_or_contribute(services: Services) -> None:
    round_id, boss, people = open_round(services, step=2)
    press(services, people[501], "contribute", round_id, 2)
    say(services, people[501], "Ladeinfrastruktur ausbauen")
    guest = visitor(services, 777)
    assert "Ladeinfrastruktur" not in command(services, guest, str(round_id)).text
    for action, args in (("list", (round_id, 2, 0)), ("card", (round_id,)),
                         ("contribute", (round_id, 2)), ("summary", (round_id, 2))):
        reply = press(services, guest, action, *args)
        assert reply.notice_only and "Ladeinfrastruktur" not in reply.text
        assert not reply.attachments


def test_member_not_invited_sees_nothing(services: Services) -> None:
    round_id, boss, people = open_round(services, step=2)
    outsider = person(services, 888, username="outsider")
    assert press(services, outsider, "list", round_id, 2, 0).notice_only
    assert press(services, outsider, "contribute", round_id, 2).notice_only


def test_member_who_leaves_mid_step_cannot_go_on(services: Services) -> None:
    round_id, boss, people = open_round(services, step=2)
    press(services, people[502], "contribute", round_id, 2)
    with session_scope(services.engine) as session:
        member = get_member(session=session, telegram_id=502)
        assert member is not None
        member.role = Role.VISITOR.value
        session.add(member)
    demoted = person(services, 502, username="ws_502", role=Role.VISITOR)
    say(services, demoted, "Noch eine Aussage")
    with session_scope(services.engine) as session:
        assert contributions(session=session, round_id=round_id, step=2) == []


def test_forget_me_removes_contributions_votes_and_pairs(services: Services) -> None:
    round_id, boss, people = open_round(services, step=2)
    press(services, people[501], "contribute", round_id, 2)
    say(services, people[501], "Ladeinfrastruktur ausbauen")
    press(services, people[502], "contribute", round_id, 2)
    say(services, people[502], "Batterieforschung stärken")
    with session_scope(services.engine) as session:
        mine = {c.author_id: c.id for c in contributions(session=session, round_id=round_id)}
    press(services, people[501], "vote", mine[502], 0)
    with session_scope(services.engine) as session:
        exported = services.registry.export_person(session, 501)["workshop"]
    assert [c["text"] for c in exported["contributions"]] == ["Ladeinfrastruktur ausbauen"]
    assert exported["votes_for"] == [mine[502]]
    forget(services, 501)
    with session_scope(services.engine) as session:
        authors = {c.author_id for c in session.exec(select(WorkshopContribution)).all()}
        voters = {v.voter_id for v in session.exec(select(WorkshopVote)).all()}
    assert authors == {502} and voters == set()
