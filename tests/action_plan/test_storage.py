"""Plan storage on SQLite always and on PostgreSQL when TEST_DATABASE_URL is set: idempotent
reminder rows, claiming before sending, username linking, the digest's queries, a whole pass."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import delete
from sqlmodel import select

from core.action_plan import items as plan_items
from core.action_plan.items import Draft
from core.action_plan.reminders import decide
from core.services import Services
from storage.accounts.queries import get_member
from storage.action_plan.digest import unreachable_people
from storage.action_plan.items import link_username, list_items
from storage.action_plan.notices import add_notice, take, waiting_notices
from storage.action_plan.reminders import (
    claim,
    insert_reminders,
    plan_digest_once,
    recover_sending,
)
from storage.action_plan.tables import PlanHistory, PlanItem, Reminder
from storage.engine import session_scope
from storage.leases import LEASE, new_token
from tests.action_plan.support import (
    MANAGER,
    RecordingSender,
    add_item,
    berlin,
    manager,
    person,
    run,
)
from tests.conftest import make_settings, start_services

BIG_ID = 7_300_000_301  # real Telegram ids exceed 32 bits (unique: the PostgreSQL db is shared)


@pytest.fixture
def db(database_url: str) -> Iterator[Services]:
    """Services on this database; the PostgreSQL database is shared by the whole session,
    so the plan tables are emptied first."""
    services = start_services(make_settings(database_url, manager_ids=str(MANAGER)))
    with session_scope(services.engine) as session:
        for table in (Reminder, PlanHistory, PlanItem):
            session.execute(delete(table))
    yield services
    services.close()


def _row(key: str, item_id: int | None, chat_id: int | None = None) -> dict[str, object]:
    moment = berlin(2027, 3, 17)
    return {"key": key, "item_id": item_id, "kind": key.split(":", 2)[-1], "chat_id": chat_id,
            "due_at": moment, "state": "pending", "attempts": 0, "created_at": moment,
            "updated_at": moment}


def test_reminder_rows_are_created_once_per_key(db: Services) -> None:
    item = add_item(db, manager(db), deadline=date(2027, 3, 31), responsible="CARS",
                    now=berlin(2027, 3, 1))
    rows = [_row(f"item:{item.id}:before:14@2027-03-31", item.id),
            _row(f"digest:2027-11:{BIG_ID}", None, BIG_ID)]
    for _ in range(2):
        with session_scope(db.engine) as session:
            insert_reminders(session=session, rows=rows)
    with session_scope(db.engine) as session:
        stored = session.exec(select(Reminder)).all()
    assert sorted(r.key for r in stored) == sorted(str(r["key"]) for r in rows)
    assert {r.chat_id for r in stored} == {None, BIG_ID}


def test_a_claimed_row_can_not_be_claimed_again_until_its_lease_runs_out(db: Services) -> None:
    with session_scope(db.engine) as session:
        insert_reminders(session=session, rows=[_row(f"digest:2027-11:{BIG_ID}", None, BIG_ID)])
    with session_scope(db.engine) as session:
        (row,) = session.exec(select(Reminder)).all()
        assert row.id is not None
        row_id = row.id
    now = berlin(2027, 3, 17)
    with session_scope(db.engine) as session:
        assert claim(session=session, ids=[row_id], chat_id=BIG_ID, now=now, token=new_token())
    with session_scope(db.engine) as session:
        assert not claim(session=session, ids=[row_id], chat_id=BIG_ID, now=now,
                         token=new_token())
    with session_scope(db.engine) as session:  # held by this live process
        assert recover_sending(session=session, now=now + LEASE / 2) == 0
    with session_scope(db.engine) as session:
        assert recover_sending(session=session, now=now + LEASE + timedelta(seconds=1)) == 1
    with session_scope(db.engine) as session:
        assert claim(session=session, ids=[row_id], chat_id=BIG_ID, now=now + LEASE * 2,
                     token=new_token())


def test_items_waiting_for_a_username_link_to_the_member_ignoring_case(db: Services) -> None:
    add_item(db, manager(db), deadline=date(2027, 3, 31), responsible="@Late_Comer",
             now=berlin(2027, 3, 1))
    person(db, BIG_ID, username="late_comer")
    with session_scope(db.engine) as session:
        member = get_member(session=session, telegram_id=BIG_ID)
        assert member is not None
        assert link_username(session=session, member=member) == 1
    with session_scope(db.engine) as session:
        item = session.exec(select(PlanItem)).one()
        assert item.responsible_id == member.id and item.responsible_username is None


def test_digest_queries_group_who_cannot_be_reminded(db: Services) -> None:
    boss = manager(db)
    for responsible in ("@ghost_one", "@GHOST_ONE", "CARS", "CARS", "@ghost_two"):
        add_item(db, boss, deadline=date(2027, 3, 31), responsible=responsible,
                 now=berlin(2027, 3, 1))
    with session_scope(db.engine) as session:
        people = unreachable_people(session=session, limit=10)
        soon, total = list_items(session=session, kind="soon", member=None,
                                 today=date(2027, 3, 25), offset=0, limit=3)
    found = {(p.why, p.label.lower(), p.items) for p in people}
    assert found == {("not_started", "@ghost_one", 2), ("not_started", "@ghost_two", 1),
                     ("no_user", "cars", 2)}
    assert total == 5 and len(soon) == 3


def test_whole_pass_works_on_this_database(db: Services) -> None:
    person(db, BIG_ID, username="big_owner")
    add_item(db, manager(db), deadline=date(2027, 3, 31), responsible="@big_owner",
             now=berlin(2027, 3, 1))
    sender = RecordingSender()
    first = run(db, sender, berlin(2027, 3, 17))
    second = run(db, sender, berlin(2027, 3, 17))
    ours = [chat for chat, _ in sender.sent if chat in (BIG_ID, MANAGER)]
    assert ours == [BIG_ID, MANAGER]  # the reminder, then Monday's digest
    assert first.reminders == 1 and second.messages == 0
    assert decide(db, berlin(2027, 3, 17)).batches == []


def test_notices_are_recorded_taken_once_and_replaced_on_this_database(db: Services) -> None:
    person(db, BIG_ID, username="big_owner")
    boss = manager(db)
    item, _ = plan_items.create(db, boss, Draft(topic="T", action="A", deadline=date(2070, 1, 1),
                                                responsible="@big_owner"))
    assert item.id is not None
    with session_scope(db.engine) as session:
        (waiting,) = waiting_notices(session=session, item_ids=[item.id])
        assert (waiting.kind, waiting.chat_id) == ("assigned", BIG_ID)
        assert not add_notice(session=session, item_id=item.id, kind="moved",
                              now=berlin(2027, 3, 17)), "the waiting notice shows the change"
    with session_scope(db.engine) as session:
        assert take(session=session, ids=[waiting.id], chat_id=BIG_ID, now=berlin(2027, 3, 17))
    with session_scope(db.engine) as session:
        assert not take(session=session, ids=[waiting.id], chat_id=BIG_ID,
                        now=berlin(2027, 3, 17)), "taken once"
        assert add_notice(session=session, item_id=item.id, kind="handed",
                          now=berlin(2027, 3, 17))
        add_notice(session=session, item_id=item.id, kind="assigned", now=berlin(2027, 3, 18))
    with session_scope(db.engine) as session:
        rows = session.exec(select(Reminder).where(Reminder.item_id == item.id)).all()
        assert sorted((r.kind, r.state) for r in rows) == [("assigned", "pending"),
                                                           ("assigned", "sent")]
        assert plan_digest_once(session=session, kind="digest:2027-11", now=berlin(2027, 3, 17))
        assert not plan_digest_once(session=session, kind="digest:2027-11",
                                    now=berlin(2027, 3, 17))
