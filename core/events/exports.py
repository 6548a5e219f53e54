"""Participants and schedule of an event, and the KPIs per year, as CSV for the cluster's
reports: in the reader's language, German Excel style for German readers (`;`, 31.12.2026,
UTF-8 with BOM), `,` and 2026-12-31 otherwise. Cells Excel would run as formulas get a
leading apostrophe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from core.events.common import clock_time, when
from core.i18n import t
from core.locale import format_date
from core.services import Services
from storage.engine import session_scope
from storage.events.events import aware, get_event, members_by_telegram_id, participants
from storage.events.kpis import Kpis
from storage.events.meetings import meetings_of_event, profiles_of
from storage.events.tables import MeetingStatus

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv(lang: str, header: list[str], body: Iterable[list[object]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if lang == "de" else ",", lineterminator="\r\n")
    writer.writerow(header)
    for row in body:
        writer.writerow([_safe(cell) for cell in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def participants_csv(services: Services, event_id: int, lang: str) -> bytes:
    with session_scope(services.engine) as session:
        people = participants(session=session, event_id=event_id)
        profiles = profiles_of(session=session, ids={r.telegram_id for r, _ in people})
    body: list[list[object]] = []
    for registration, member in people:
        profile = profiles.get(registration.telegram_id)
        body.append([profile.name if profile and profile.name else (member.name if member
                                                                     else ""),
                     profile.organization if profile else "",
                     f"@{member.username}" if member and member.username else "",
                     when(services, registration.registered_at, lang)])
    return _csv(lang, [t(lang, f"events_csv_{c}") for c in
                       ("name", "organisation", "telegram", "registered")], body)


def schedule_csv(services: Services, event_id: int, lang: str) -> bytes:
    with session_scope(services.engine) as session:
        event = get_event(session=session, event_id=event_id)
        meetings = meetings_of_event(session=session, event_id=event_id)
        ids = {p for m in meetings for p in (m.requester_id, m.target_id)}
        members = members_by_telegram_id(session=session, ids=ids)
        profiles = profiles_of(session=session, ids=ids)

    def name(person: int) -> str:
        profile, member = profiles.get(person), members.get(person)
        label = profile.name if profile and profile.name else (member.name if member else "")
        organisation = profile.organization if profile else ""
        return f"{label} ({organisation})" if organisation else label

    body: list[list[object]] = []
    for meeting in meetings:
        if meeting.status != MeetingStatus.ACCEPTED.value:
            continue
        slot = meeting.slot_start
        body.append([format_date(aware(slot).astimezone(services.settings.tz).date(), lang)
                     if slot else (format_date(aware(event.starts_at).date(), lang)
                                   if event else ""),
                     clock_time(services, slot) if slot else "",
                     meeting.table_no or "", name(meeting.requester_id),
                     name(meeting.target_id)])
    return _csv(lang, [t(lang, f"events_csv_{c}") for c in
                       ("date", "time", "table", "requester", "partner")], body)


def kpis_csv(kpis: Kpis, lang: str) -> bytes:
    columns = ("year", "events", "participants", "requests", "accepted", "talks", "projects")
    body: list[list[object]] = [
        [year, c.events, c.participants, c.requests, c.accepted, c.met, c.projects]
        for year, c in sorted(kpis.years.items())]
    return _csv(lang, [t(lang, f"events_csv_{c}") for c in columns], body)
