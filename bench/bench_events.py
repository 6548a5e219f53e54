"""How fast an event gets its slot plan (goal: ≤ 2 s for 500 participants and 2,000
meeting requests).

Builds a SQLite file with one event (meeting window 09:00-17:00, 15-minute slots, 100
tables), 500 registered participants and 2,000 accepted meeting requests between random
pairs (seeded), then times `core.events.schedule.plan_event` - reading the meetings and
booked seats, planning, and writing every slot and seat in one unit of work - and, apart,
the pure planner `core.events.slots.plan`. Checks that nobody is double-booked and no table
is used twice in a slot. Prints wall and CPU time (the machine is shared).

    .venv/bin/python bench/bench_events.py [--participants 500] [--requests 2000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bot.features import registry  # noqa: E402
from core.events.common import window_of  # noqa: E402
from core.events.schedule import occupancy, plan_event  # noqa: E402
from core.events.slots import plan  # noqa: E402
from core.services import build_services  # noqa: E402
from core.settings import load_settings  # noqa: E402
from storage.engine import session_scope  # noqa: E402
from storage.events.events import create_event, get_event  # noqa: E402
from storage.events.meetings import meetings_of_event  # noqa: E402
from storage.events.tables import EventMeeting, EventRegistration  # noqa: E402


def _build(services: object, participants: int, requests: int) -> int:
    start = (datetime.now(UTC) + timedelta(days=30)).replace(hour=8, minute=0, second=0,
                                                             microsecond=0)
    people = list(range(1_000_000, 1_000_000 + participants))
    rng = random.Random(14)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < requests:
        a, b = rng.sample(people, 2)
        pairs.add((min(a, b), max(a, b)))
    with session_scope(services.engine) as session:  # type: ignore[attr-defined]
        event = create_event(session=session, title="Bench", starts_at=start,
                             ends_at=start + timedelta(hours=10), place="Halle",
                             capacity=participants, registration_deadline=start,
                             meeting_start=start + timedelta(hours=1),
                             meeting_end=start + timedelta(hours=9), slot_minutes=15,
                             tables=100)
        event_id = event.id or 0
        session.execute(insert(EventRegistration), [
            {"event_id": event_id, "telegram_id": p, "registered_at": start}
            for p in people])
        session.execute(insert(EventMeeting), [
            {"event_id": event_id, "requester_id": a, "target_id": b, "message": "",
             "status": "accepted", "created_at": start} for a, b in sorted(pairs)])
    return event_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(None, database_url=f"sqlite:///{folder}/bench.sqlite3")
        services = build_services(settings, registry())
        try:
            event_id = _build(services, args.participants, args.requests)
            with session_scope(services.engine) as session:
                event = get_event(session=session, event_id=event_id)
                assert event is not None
                window = window_of(event)
                assert window is not None
                meetings = meetings_of_event(session=session, event_id=event_id)
                occupied = occupancy(session, event_id)
            triples = [(m.id or 0, m.requester_id, m.target_id) for m in meetings]
            cpu, wall = time.process_time(), time.perf_counter()
            planned, left = plan(window, occupied, triples)
            pure = (time.perf_counter() - wall, time.process_time() - cpu)
            cpu, wall = time.process_time(), time.perf_counter()
            result = plan_event(services, event_id)
            full = (time.perf_counter() - wall, time.process_time() - cpu)
            assert result is not None
            with session_scope(services.engine) as session:
                booked = meetings_of_event(session=session, event_id=event_id)
            seats = Counter((p, m.slot_start) for m in booked if m.slot_start
                            for p in (m.requester_id, m.target_id))
            tables = Counter((m.slot_start, m.table_no) for m in booked if m.slot_start)
            assert max(seats.values()) == 1 and max(tables.values()) == 1
            busiest = max(Counter(p for _, a, b in triples for p in (a, b)).values())
            print(f"event: {args.participants} participants, {args.requests} accepted "
                  f"requests, {len(window.slots)} slots x {window.tables} tables; busiest "
                  f"person has {busiest} meetings")
            print(f"pure planner: {len(planned)} planned, {len(left)} left; "
                  f"{pure[0] * 1000:.0f} ms wall, {pure[1] * 1000:.0f} ms CPU")
            print(f"plan_event (read, plan, write): {result[0]} planned, {result[1]} left; "
                  f"{full[0] * 1000:.0f} ms wall, {full[1] * 1000:.0f} ms CPU "
                  f"(goal ≤ 2000 ms)")
            print("no person double-booked, no table used twice in a slot: ok")
        finally:
            services.close()


if __name__ == "__main__":
    main()
