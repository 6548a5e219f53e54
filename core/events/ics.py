"""One event as an iCalendar file (icalendar), for Outlook, Google and Apple calendars."""

from __future__ import annotations

from core.events.common import now
from core.i18n import t
from core.services import Services
from storage.events.events import aware
from storage.events.tables import Event


def event_ics(services: Services, event: Event, lang: str) -> bytes:
    """A VCALENDAR with the one event (cancelled events as STATUS:CANCELLED)."""
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    calendar = Calendar()
    calendar.add("prodid", "-//Cluster Advisor//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}@cluster-advisor")
    entry.add("dtstamp", now())
    entry.add("dtstart", aware(event.starts_at))
    entry.add("dtend", aware(event.ends_at))
    entry.add("summary", event.title)
    if event.place:
        entry.add("location", event.place)
    if event.link:
        entry.add("url", event.link)
        entry.add("location", event.link)
    description = [t(lang, "events_ics_cluster", cluster=services.settings.cluster_name)]
    if event.topics:
        description.append(", ".join(event.topics))
    entry.add("description", "\n".join(description))
    entry.add("status", "CANCELLED" if event.cancelled_at is not None else "CONFIRMED")
    calendar.add_component(entry)
    return bytes(calendar.to_ical())
