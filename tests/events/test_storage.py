"""The events' storage on SQLite and PostgreSQL: the unique seats refuse a double-booking
whatever the caller checked, notices are created once per key, the capacity holds, and the
KPIs count from the records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from core.services import Services
from storage.engine import session_scope
from storage.events.events import create_event, register
from storage.events.kpis import counted_kpis
from storage.events.meetings import SlotTaken, book, create_request, decide
from storage.events.notices import claim, due_notices, finish, insert_notices, recover_sending
from storage.events.tables import MeetingStatus, NoticeState
from tests.conftest import make_settings, start_services


@pytest.fixture
def any_services(database_url: str) -> Iterator[Services]:
    built = start_services(make_settings(database_url))
    yield built
    built.close()


def test_double_booking_capacity_and_notices_are_guarded_by_the_database(
        any_services: Services) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    start = now + timedelta(days=2)
    with session_scope(any_services.engine) as session:
        event = create_event(session=session, title="T", starts_at=start,
                             ends_at=start + timedelta(hours=3), capacity=2,
                             registration_deadline=start, meeting_start=start,
                             meeting_end=start + timedelta(hours=1), tables=1)
        event_id = event.id or 0
        assert [register(session=session, event=event, telegram_id=p, now=now)
                for p in (1, 2, 3, 1)] == ["ok", "ok", "full", "already"]
        first = create_request(session=session, event_id=event_id, requester_id=1,
                               target_id=2, message="", now=now)
        second = create_request(session=session, event_id=event_id, requester_id=2,
                                target_id=1, message="", now=now)
        for meeting in (first, second):
            decide(session=session, meeting=meeting, status=MeetingStatus.ACCEPTED, now=now)
        book(session=session, meeting=first, slot=start, table=1)
        with pytest.raises(SlotTaken):
            book(session=session, meeting=second, slot=start, table=None)  # person busy
        book(session=session, meeting=second, slot=start + timedelta(minutes=20), table=1)
    with session_scope(any_services.engine) as session:
        rows = [{"key": "remind:1:1", "kind": "remind", "chat_id": 1, "payload": {},
                 "due_at": now}]
        insert_notices(session=session, rows=rows, now=now)
        insert_notices(session=session, rows=rows, now=now)
        assert len(due_notices(session=session, now=now)) == 1
        kpis = counted_kpis(session=session, now=start + timedelta(days=1))
    assert (kpis.total.events, kpis.total.participants, kpis.total.requests,
            kpis.total.accepted, kpis.total.met, kpis.total.projects) == (1, 2, 2, 2, 2, 0)


def test_a_notice_another_sender_holds_is_neither_recovered_nor_overwritten(
        any_services: Services) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    with session_scope(any_services.engine) as session:
        insert_notices(session=session, rows=[{"key": "remind:1:7", "kind": "remind",
                                               "chat_id": 7, "payload": {}, "due_at": now}],
                       now=now)
        notice_id = due_notices(session=session, now=now)[0].id or 0
    with session_scope(any_services.engine) as session:
        assert claim(session=session, notice_id=notice_id, now=now, token="live#1")
    with session_scope(any_services.engine) as session:  # another process starts up
        assert recover_sending(session=session, now=now) == 0
        assert not claim(session=session, notice_id=notice_id, now=now, token="other#1")
    later = now + timedelta(minutes=10)  # the lease ran out: another sender takes over
    with session_scope(any_services.engine) as session:
        assert claim(session=session, notice_id=notice_id, now=later, token="other#2")
    with session_scope(any_services.engine) as session:
        assert finish(session=session, notice_id=notice_id, state=NoticeState.SENT,
                      now=later, token="live#1") is None  # the first sender's outcome is void
        assert finish(session=session, notice_id=notice_id, state=NoticeState.SENT,
                      now=later, token="other#2") == NoticeState.SENT.value
