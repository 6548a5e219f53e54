"""When reminders are due: pure date arithmetic with an injected "now", no database.

An item has reminder *occasions*: `before:<d>@<deadline>` at REMINDER_TIME (cluster time
zone) d days before the deadline for each d in REMINDER_OFFSETS, and `overdue:<yyyy>-<ww>`
every 7 days after the deadline while it is open. A pass only looks at the latest occasion
that is due: if the bot was down through several, the owner gets one reminder, not a burst.
Occasions before `planned_from` (the item's creation or last deadline change) never applied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Occasion:
    """A reminder that is due: its kind (part of the unique key) and when it was due (UTC)."""

    kind: str
    due_at: datetime


@dataclass
class Clock:
    """Everything a pass needs to place occasions in time, computed once per pass."""

    now: datetime  # UTC
    tz: ZoneInfo
    at: time
    offsets: tuple[int, ...]  # ascending
    _cache: dict[date, datetime] = field(default_factory=dict)

    @classmethod
    def of(cls, now: datetime, tz: ZoneInfo, at: time, offsets: tuple[int, ...]) -> Clock:
        return cls(now.astimezone(UTC), tz, at, tuple(sorted(set(offsets))))

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()

    @property
    def last_due_day(self) -> date:
        """The latest local day whose REMINDER_TIME has passed (today or yesterday)."""
        local = self.now.astimezone(self.tz)
        return local.date() if self.moment(local.date()) <= self.now else local.date() - \
            timedelta(days=1)

    def moment(self, day: date) -> datetime:
        """REMINDER_TIME on a local day, in UTC (cached: a pass asks for few distinct days)."""
        cached = self._cache.get(day)
        if cached is None:
            cached = datetime.combine(day, self.at, tzinfo=self.tz).astimezone(UTC)
            self._cache[day] = cached
        return cached


def current_occasion(deadline: date, planned_from: datetime, clock: Clock,
                     last_due_day: date | None = None) -> Occasion | None:
    """The latest occasion of an item that is due at `clock.now`, or None."""
    last = last_due_day or clock.last_due_day
    days_left = (deadline - last).days  # the occasion "before:d" is due once d >= days_left
    occasion: Occasion | None = None
    for offset in clock.offsets:  # ascending: the first due one is the latest
        if offset >= days_left:
            occasion = Occasion(f"before:{offset}@{deadline.isoformat()}",
                                clock.moment(deadline - timedelta(days=offset)))
            break
    if days_left <= -7:
        weeks = -days_left // 7
        day = deadline + timedelta(days=7 * weeks)
        iso = day.isocalendar()
        occasion = Occasion(f"overdue:{iso.year}-{iso.week:02d}", clock.moment(day))
    if occasion is None or occasion.due_at < planned_from:
        return None
    return occasion


def first_due_after(deadline: date, after: datetime, clock: Clock, *, strict: bool) -> datetime:
    """When the item's first occasion at (strict: after) `after` is due; there always is one,
    since an open item is reminded weekly while overdue."""
    def fits(moment: datetime) -> bool:
        return moment > after if strict else moment >= after

    for offset in reversed(clock.offsets):  # largest offset first = earliest
        moment = clock.moment(deadline - timedelta(days=offset))
        if fits(moment):
            return moment
    weeks = max(1, (after.astimezone(clock.tz).date() - deadline).days // 7)
    while not fits(clock.moment(deadline + timedelta(days=7 * weeks))):
        weeks += 1
    return clock.moment(deadline + timedelta(days=7 * weeks))


def digest_occasion(clock: Clock, weekday: str) -> Occasion | None:
    """This week's digest once its day and time have come (a missed one goes out late)."""
    today = clock.now.astimezone(clock.tz).date()
    day = today - timedelta(days=today.weekday()) + timedelta(days=WEEKDAYS.index(weekday))
    due = clock.moment(day)
    if due > clock.now:
        return None
    iso = day.isocalendar()
    return Occasion(f"digest:{iso.year}-{iso.week:02d}", due)
