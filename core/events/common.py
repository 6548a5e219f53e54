"""What every part of the events feature shares: the clock, an event's card text, names.

Time is read through `storage.clock` at call time (not bound at import), so a test or a
tool that moves the clock moves it for the whole feature.
"""

from __future__ import annotations

import html
from datetime import datetime

from core.events.slots import Window
from core.i18n import t
from core.locale import format_datetime
from core.services import Services
from storage import clock
from storage.accounts.tables import Member
from storage.events.events import aware
from storage.events.tables import Event
from storage.members.tables import Profile


def now() -> datetime:
    """The current moment in UTC (through storage.clock, so it can be moved)."""
    return clock.utcnow()


def when(services: Services, moment: datetime, lang: str) -> str:
    return format_datetime(aware(moment), lang, services.settings.tz)


def clock_time(services: Services, moment: datetime) -> str:
    return aware(moment).astimezone(services.settings.tz).strftime("%H:%M")


def window_of(event: Event) -> Window | None:
    """The event's meeting window, or None when it has no B2B meetings."""
    if event.meeting_start is None or event.meeting_end is None:
        return None
    return Window(aware(event.meeting_start), aware(event.meeting_end), event.slot_minutes,
                  event.tables)


def is_over(event: Event) -> bool:
    return aware(event.ends_at) < now()


def person_label(member: Member | None, profile: Profile | None, fallback_id: int) -> str:
    """"Anna Berg (Solar GmbH)" from the profile, else the Telegram name; HTML-escaped."""
    name = (profile.name if profile and profile.name else None) or (
        member.name if member and member.name else f"#{fallback_id}")
    organisation = profile.organization if profile and profile.organization else ""
    label = f"{name} ({organisation})" if organisation else name
    return html.escape(label)


def contact_of(member: Member | None) -> str:
    """How to reach someone once they agreed: @username, else a mention link by id."""
    if member is None:
        return "–"
    if member.username:
        return f"@{html.escape(member.username)}"
    return f'<a href="tg://user?id={member.telegram_id}">{html.escape(member.name or "…")}</a>'


def event_lines(services: Services, event: Event, lang: str, registered: int) -> list[str]:
    """The card of an event: title, time, place or link, places, topics, deadline, window."""
    lines = [f"<b>{html.escape(event.title)}</b>",
             t(lang, "events_card_when", start=when(services, event.starts_at, lang),
               end=clock_time(services, event.ends_at))]
    if event.place:
        lines.append(t(lang, "events_card_place", place=html.escape(event.place)))
    if event.link:
        lines.append(t(lang, "events_card_link", link=html.escape(event.link)))
    lines.append(t(lang, "events_card_places", count=event.capacity,
                   registered=registered, free=max(event.capacity - registered, 0)))
    if event.topics:
        lines.append(t(lang, "events_card_topics",
                       topics=html.escape(", ".join(event.topics))))
    lines.append(t(lang, "events_card_deadline",
                   deadline=when(services, event.registration_deadline, lang)))
    window = window_of(event)
    if window is not None:
        lines.append(t(lang, "events_card_window", start=clock_time(services, window.start),
                       end=clock_time(services, window.end), minutes=window.minutes))
        if window.tables:
            lines.append(t(lang, "events_card_tables", count=window.tables))
    if event.visitors_allowed:
        lines.append(t(lang, "events_card_visitors"))
    if event.cancelled_at is not None:
        lines.insert(0, t(lang, "events_card_cancelled"))
    return lines
