"""Claims with a lease (storage.leases) on SQLite always and on PostgreSQL when
TEST_DATABASE_URL is set: two claimers never get the same row, an outcome is written only
while the claim holds (a taken-over sender reverts nothing), recovery frees only rows no
live process holds — run-out leases and processes that died on this machine."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import delete
from sqlmodel import col, select

from core.action_plan.due import decide
from core.services import Services
from storage.action_plan.reminders import REMINDERS, claim, finish, insert_reminders
from storage.action_plan.tables import PlanHistory, PlanItem, Reminder, ReminderState
from storage.clock import utcnow
from storage.engine import session_scope
from storage.leases import LEASE, claim_due, instance_id, new_token, recover, settle
from tests.action_plan.support import (
    MANAGER,
    RecordingSender,
    add_item,
    berlin,
    dead_token,
    manager,
    person,
    run,
)
from tests.conftest import make_settings, start_services

CHAT = 7_300_000_777
NOW = utcnow()
LATER = NOW + LEASE + timedelta(seconds=1)


@pytest.fixture
def db(database_url: str) -> Iterator[Services]:
    """Services on this database, plan tables emptied (the PostgreSQL one is shared)."""
    services = start_services(make_settings(database_url, manager_ids=str(MANAGER)))
    with session_scope(services.engine) as session:
        for table in (Reminder, PlanHistory, PlanItem):
            session.execute(delete(table))
    yield services
    services.close()


def _rows(db: Services, count: int) -> list[int]:
    """`count` pending digest rows (no item needed), their ids."""
    with session_scope(db.engine) as session:
        insert_reminders(session=session, rows=[
            {"key": f"digest:test:{n}", "item_id": None, "kind": "digest:test", "chat_id": CHAT,
             "due_at": NOW, "state": "pending", "attempts": 0, "created_at": NOW,
             "updated_at": NOW} for n in range(count)])
        return sorted(r.id for r in session.exec(select(Reminder)).all() if r.id is not None)


def _state(db: Services, row_id: int) -> tuple[str, str | None]:
    with session_scope(db.engine) as session:
        row = session.get(Reminder, row_id)
        assert row is not None
        return row.state, row.claimed_by


def _claim_due(db: Services, token: str, limit: int) -> list[int]:
    with session_scope(db.engine) as session:
        return claim_due(session=session, leasing=REMINDERS, token=token, now=NOW,
                         limit=limit, where=col(Reminder.chat_id) == CHAT)


def test_two_claimers_get_different_rows_and_nothing_twice(db: Services) -> None:
    ids = _rows(db, 5)
    first, second = new_token(), new_token()
    got_first = _claim_due(db, first, 3)
    got_second = _claim_due(db, second, 3)
    assert len(got_first) == 3 and len(got_second) == 2
    assert sorted(got_first + got_second) == ids
    assert _claim_due(db, new_token(), 3) == [], "every row is held"


def test_a_batch_is_claimed_whole_or_not_at_all(db: Services) -> None:
    ids = _rows(db, 3)
    with session_scope(db.engine) as session:
        assert claim(session=session, ids=ids[:1], chat_id=CHAT, now=NOW, token=new_token())
    with session_scope(db.engine) as session:
        assert not claim(session=session, ids=ids, chat_id=CHAT, now=NOW, token=new_token())
    assert [_state(db, i)[0] for i in ids] == ["sending", "pending", "pending"]


def test_a_taken_over_sender_writes_nothing_over_the_new_claim(db: Services) -> None:
    (row_id,) = _rows(db, 1)
    slow, fast = new_token(), new_token()
    with session_scope(db.engine) as session:
        assert claim(session=session, ids=[row_id], chat_id=CHAT, now=NOW, token=slow)
    with session_scope(db.engine) as session:  # the slow sender's lease has run out
        assert claim(session=session, ids=[row_id], chat_id=CHAT, now=LATER, token=fast)
    with session_scope(db.engine) as session:
        assert finish(session=session, ids=[row_id], state=ReminderState.SENT, now=LATER,
                      token=fast) == 1
    with session_scope(db.engine) as session:  # the slow one comes back with a time-out
        assert finish(session=session, ids=[row_id], state=ReminderState.PENDING, now=LATER,
                      token=slow, error="TimedOut") == 0
    assert _state(db, row_id) == ("sent", fast), "a sent row is never reverted"


def test_an_outcome_after_the_lease_is_kept_when_nobody_took_over(db: Services) -> None:
    (row_id,) = _rows(db, 1)
    token = new_token()
    with session_scope(db.engine) as session:
        assert claim(session=session, ids=[row_id], chat_id=CHAT, now=NOW, token=token)
    with session_scope(db.engine) as session:  # late, but still this claim's row
        assert settle(session=session, leasing=REMINDERS, ids=[row_id], token=token,
                      values={"state": "sent"}) == 1
    with session_scope(db.engine) as session:
        assert recover(session=session, leasing=REMINDERS, now=LATER) == 0
    assert _state(db, row_id)[0] == "sent"


def test_recovery_frees_only_rows_no_live_process_holds(db: Services) -> None:
    live, expired, died, elsewhere = _rows(db, 4)
    far_away = f"other-host/0123456789ab.4026531836/{12345}/abcdef#1"
    claims = [(live, new_token(), NOW), (expired, far_away, NOW - LEASE * 2),
              (died, dead_token(), NOW), (elsewhere, far_away, NOW)]
    for row_id, token, when in claims:
        with session_scope(db.engine) as session:
            assert claim(session=session, ids=[row_id], chat_id=CHAT, now=when, token=token)
    with session_scope(db.engine) as session:
        assert recover(session=session, leasing=REMINDERS, now=NOW) == 2
    states = {row_id: _state(db, row_id)[0] for row_id in (live, expired, died, elsewhere)}
    assert states == {live: "sending", expired: "pending", died: "pending",
                      elsewhere: "sending"}, "a live claim, here or elsewhere, is kept"
    with session_scope(db.engine) as session:  # its lease runs out: now it is free too
        assert recover(session=session, leasing=REMINDERS, now=LATER) == 2
    assert _state(db, elsewhere)[0] == "pending"


def test_the_claim_token_names_this_process() -> None:
    import os

    assert str(os.getpid()) in instance_id().split("/")
    assert new_token() != new_token() and new_token().startswith(instance_id())


def test_a_pass_of_another_instance_takes_over_a_dead_senders_rows(db: Services) -> None:
    person(db, CHAT, username="late_owner")
    add_item(db, manager(db), deadline=date(2027, 3, 31), responsible="@late_owner",
             now=berlin(2027, 3, 1))
    run(db, RecordingSender(), berlin(2027, 3, 10))  # nothing due yet
    batch = next(b for b in decide(db, berlin(2027, 3, 17)).batches if b.chat_id == CHAT)
    with session_scope(db.engine) as session:  # killed after claiming
        assert claim(session=session, ids=batch.reminder_ids, chat_id=CHAT, now=utcnow(),
                     token=dead_token())
    sender = RecordingSender()
    report = run(db, sender, berlin(2027, 3, 17, 9, 1))  # a pass, no restart needed
    assert report.recovered == len(batch.reminder_ids)
    assert len(sender.to(CHAT)) == 1
    run(db, sender, berlin(2027, 3, 17, 9, 2))
    assert len(sender.to(CHAT)) == 1, "sent once"
