"""Reading `/event_new` as a manager types it, German or English, into checked fields.

    /event_new Matchmaking Energie | 10.03.2027 14:00-18:00 | Technologiepark, Halle 2 |
               40 | 08.03.2027 | Themen: Wasserstoff, Speicher | Gespräche: 15:00-17:00 |
               Slots: 20 | Tische: 10 | Gäste

Parts are separated by `|`; the first five are title, date with start (and end) time,
place or online link (http...), capacity and registration deadline (date, optionally a
time; the end of that day otherwise). Then, in any order: topics, the meeting window,
the slot length in minutes, the number of tables, and whether visitors may be invited.
Every problem is one `ParseError` whose key names the text to show; nothing is stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from knowledge.language import fold
from storage.events.tables import LINK_MAX, PLACE_MAX, TITLE_MAX

DATE = re.compile(r"(?:(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{4})-(\d{2})-(\d{2}))")
TIME = r"(\d{1,2})[:.](\d{2})"
WHEN = re.compile(rf"^\s*{DATE.pattern}\s+{TIME}(?:\s*[-–]\s*{TIME})?\s*$")
DEADLINE = re.compile(rf"^\s*{DATE.pattern}(?:\s+{TIME})?\s*$")
RANGE = re.compile(rf"^\s*{TIME}\s*[-–]\s*{TIME}\s*$")
MAX_CAPACITY = 5000
MAX_TABLES = 500
MAX_TOPICS = 10
TOPIC_MAX = 60
DEFAULT_HOURS = 3
OPTION_WORDS = {
    "topics": ("topics", "themen", "thema", "topic", "keywords", "stichworte"),
    "window": ("meetings", "meeting", "gespraeche", "b2b", "termine"),
    "slot": ("slot", "slots", "takt", "minuten", "minutes"),
    "tables": ("tables", "tische", "tisch"),
}
VISITOR_WORDS = ("visitors", "gaeste", "gaste", "besucher", "visitors allowed")


class ParseError(ValueError):
    """A part of the command is wrong; `key` is the text that says which and how."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key, self.values = key, values


@dataclass
class Draft:
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    link: str
    capacity: int
    registration_deadline: datetime
    topics: list[str] = field(default_factory=list)
    meeting_start: datetime | None = None
    meeting_end: datetime | None = None
    slot_minutes: int = 20
    tables: int = 0
    visitors_allowed: bool = False


def _date(groups: tuple[str | None, ...]) -> date:
    d, m, y, iy, im, iday = groups[:6]
    try:
        if y is not None:
            return date(int(y), int(m or 0), int(d or 0))
        return date(int(iy or 0), int(im or 0), int(iday or 0))
    except ValueError:
        raise ParseError("events_new_bad_date") from None


def _time(hour: str | None, minute: str | None) -> time:
    try:
        return time(int(hour or 0), int(minute or 0))
    except ValueError:
        raise ParseError("events_new_bad_time") from None


def _local(day: date, at: time, tz: tzinfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz)


def parse_event(text: str, tz: tzinfo, now: datetime) -> Draft:
    """The fields of a new event, checked; ParseError on the first problem."""
    parts = [part.strip() for part in text.split("|")]
    if len(parts) < 5 or not all(parts[:5]):
        raise ParseError("events_new_usage")
    title, when_text, where, capacity_text, deadline_text = parts[:5]
    if len(title) > TITLE_MAX:
        raise ParseError("events_new_too_long", limit=TITLE_MAX)
    found = WHEN.match(when_text)
    if not found:
        raise ParseError("events_new_bad_date")
    groups = found.groups()
    day = _date(groups)
    starts_at = _local(day, _time(groups[6], groups[7]), tz)
    ends_at = (_local(day, _time(groups[8], groups[9]), tz) if groups[8] is not None
               else starts_at + timedelta(hours=DEFAULT_HOURS))
    if ends_at <= starts_at:
        raise ParseError("events_new_end_before_start")
    if starts_at <= now:
        raise ParseError("events_new_in_past")
    link = where if re.match(r"^https?://\S+$", where) else ""
    place = "" if link else where
    if len(place) > PLACE_MAX or len(link) > LINK_MAX:
        raise ParseError("events_new_too_long", limit=PLACE_MAX)
    if not capacity_text.isascii() or not capacity_text.isdigit() \
            or not 1 <= int(capacity_text) <= MAX_CAPACITY:
        raise ParseError("events_new_bad_capacity", limit=MAX_CAPACITY)
    deadline = DEADLINE.match(deadline_text)
    if not deadline:
        raise ParseError("events_new_bad_deadline")
    dgroups = deadline.groups()
    deadline_at = _local(_date(dgroups), _time(dgroups[6], dgroups[7]) if dgroups[6]
                         else time(23, 59), tz)
    deadline_at = min(deadline_at, starts_at) if dgroups[6] is None else deadline_at
    if deadline_at > starts_at:
        raise ParseError("events_new_deadline_after_start")
    draft = Draft(title, starts_at, ends_at, place, link, int(capacity_text), deadline_at)
    for option in parts[5:]:
        _option(draft, option, day, tz)
    if draft.meeting_start is not None and draft.meeting_end is not None and \
            (draft.meeting_end - draft.meeting_start) < timedelta(minutes=draft.slot_minutes):
        raise ParseError("events_new_bad_window")
    return draft


def _option(draft: Draft, option: str, day: date, tz: tzinfo) -> None:
    if not option:
        return
    name, _, value = option.partition(":")
    word = fold(name.strip())
    value = value.strip()
    if word in VISITOR_WORDS and not value:
        draft.visitors_allowed = True
        return
    kind = next((k for k, words in OPTION_WORDS.items() if word in words), None)
    if kind is None or not value:
        raise ParseError("events_new_bad_option", option=option[:40])
    if kind == "topics":
        topics = [topic.strip() for topic in re.split(r"[,;]", value) if topic.strip()]
        if len(topics) > MAX_TOPICS or any(len(topic) > TOPIC_MAX for topic in topics):
            raise ParseError("events_new_bad_topics", count=MAX_TOPICS, limit=TOPIC_MAX)
        draft.topics = topics
    elif kind == "window":
        found = RANGE.match(value)
        if not found:
            raise ParseError("events_new_bad_window")
        start = _local(day, _time(*found.groups()[:2]), tz)
        end = _local(day, _time(*found.groups()[2:]), tz)
        if not draft.starts_at <= start < end <= draft.ends_at:
            raise ParseError("events_new_bad_window")
        draft.meeting_start, draft.meeting_end = start, end
    elif kind == "slot":
        if not value.isascii() or not value.isdigit() or not 5 <= int(value) <= 240:
            raise ParseError("events_new_bad_slot")
        draft.slot_minutes = int(value)
    else:
        if not value.isascii() or not value.isdigit() or not 0 <= int(value) <= MAX_TABLES:
            raise ParseError("events_new_bad_tables", limit=MAX_TABLES)
        draft.tables = int(value)
