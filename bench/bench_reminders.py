"""How fast a reminder pass decides what to send (goal: ≤ 1 s, peak memory ≤ 300 MB, for
100,000 action items of 10,000 members).

Builds a SQLite file with 10,000 members and 100,000 items (deadlines spread from 60 days ago
to two years ahead, 5 % waiting for an @username nobody has used yet), then times
`core.action_plan.reminders.decide` - planning the due occasions and grouping them per
recipient, i.e. everything but the network - for:

* the first pass after the import (every due reminder is new),
* the daily pass at 09:00 the next day,
* an idle pass one minute later (the state of most minutes),
* a start-up pass after REMINDER_OFFSETS/TIME/TIMEZONE changed (every open item re-checked),
* a worst case in which all 100,000 deadlines fall within the reminder window.

Memory: the process's peak resident size (resource.getrusage) before and after each pass.

    .venv/bin/python bench/bench_reminders.py [--items 100000] [--members 10000]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.features import registry  # noqa: E402
from core.action_plan.reminders import decide, recover_in_flight  # noqa: E402
from core.action_plan.schedule import Clock, first_due_after  # noqa: E402
from core.services import Services, build_services  # noqa: E402
from core.settings import load_settings  # noqa: E402
from storage.accounts.tables import Member  # noqa: E402
from storage.action_plan.tables import PlanItem  # noqa: E402

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2027, 3, 1, 8, 0, tzinfo=BERLIN)  # when the plan was imported


def fill(services: Services, *, members: int, items: int, spread: tuple[int, int]) -> None:
    """Bulk-insert members and items (Core executemany: the ORM would dominate the set-up)."""
    rng = random.Random(7)
    now = START.astimezone(UTC)
    member_table = Member.__table__  # type: ignore[attr-defined]
    item_table = PlanItem.__table__  # type: ignore[attr-defined]
    with services.engine.begin() as connection:
        connection.execute(member_table.insert(), [
            {"telegram_id": 10_000_000 + n, "name": f"Member {n}", "username": f"member{n}",
             "language": "de" if n % 3 else "en", "role": "member", "created_at": now,
             "updated_at": now} for n in range(members)])
        ids = [row[0] for row in connection.execute(member_table.select().with_only_columns(
            member_table.c.id))]
        today = START.date()
        settings = services.settings
        clock = Clock.of(now, settings.tz, settings.reminder_time, settings.reminder_offsets)
        batch: list[dict[str, object]] = []
        for n in range(items):
            pending = rng.random() < 0.05
            deadline = today + timedelta(days=rng.randint(*spread))
            batch.append({
                "topic": f"Thema {n % 500}", "action": f"Aktion {n}",
                "deadline": deadline,
                "next_reminder_at": first_due_after(deadline, now, clock, strict=False),
                "status": "open" if rng.random() < 0.8 else "in_progress",
                "responsible_id": None if pending else rng.choice(ids),
                "responsible_username": f"newcomer{n % 2000}" if pending else None,
                "participants": "", "participant_groups": [], "kpi": "",
                "created_at": now, "updated_at": now, "planned_from": now})
            if len(batch) == 10_000:
                connection.execute(item_table.insert(), batch)
                batch = []
        if batch:
            connection.execute(item_table.insert(), batch)


def mark_sent(services: Services) -> None:
    """What the delivery part of the pass would do (not timed: that is network time)."""
    with services.engine.begin() as connection:
        connection.execute(text("UPDATE reminder SET state = 'sent' WHERE state = 'pending'"))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(services: Services, label: str, moment: datetime) -> float:
    """Time one decision; print it with the process's peak memory before and after."""
    before = peak_mb()
    started = time.perf_counter()
    decision = decide(services, moment)
    seconds = time.perf_counter() - started
    print(f"  {label:<34} {seconds * 1000:6.0f} ms  new reminders {decision.created:>6,}  "
          f"recipients {len(decision.batches):>6,}  peak memory {before:4.0f} -> "
          f"{peak_mb():4.0f} MB")
    return seconds


def scenario(title: str, *, members: int, items: int, spread: tuple[int, int],
             full: bool) -> list[float]:
    times: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        services = build_services(load_settings(None, database_url=url, manager_ids="1"),
                                  registry())
        try:
            started = time.perf_counter()
            fill(services, members=members, items=items, spread=spread)
            print(f"\n{title}: {items:,} items, {members:,} members "
                  f"(set-up {time.perf_counter() - started:.1f} s)")
            first = START + timedelta(days=1, hours=1)  # 2 March, 09:00
            times.append(timed(services, "first pass after the import", first))
            if not full:
                return times
            mark_sent(services)
            daily = first + timedelta(days=1)
            times.append(timed(services, "daily pass, next day 09:00", daily))
            mark_sent(services)
            times.append(timed(services, "idle pass, one minute later",
                               daily + timedelta(minutes=1)))
            recover_in_flight(services)  # as at start-up after changed settings: all items
            with services.engine.begin() as connection:
                connection.execute(text("UPDATE reminder SET kind = 'x' "
                                        "WHERE key = 'schedule:settings'"))
            recover_in_flight(services)
            times.append(timed(services, "start-up pass, settings changed",
                               daily + timedelta(minutes=2)))
        finally:
            services.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args()
    size = {"members": args.members, "items": args.items}
    times = scenario("Realistic: deadlines from 60 days ago to 2 years ahead",
                     spread=(-60, 730), full=True, **size)
    times += scenario("Worst case: every deadline within the reminder window",
                      spread=(-30, 14), full=False, **size)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nRegular passes (first three): slowest {max(times[:3]) * 1000:.0f} ms "
          f"(goal ≤ 1000 ms). Process peak resident memory {rss:.0f} MB (goal ≤ 300 MB).")


if __name__ == "__main__":
    main()
