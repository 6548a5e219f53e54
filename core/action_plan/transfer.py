"""The plan out: CSV for Excel and iCalendar for calendars, in the reader's language.

The CSV is what Excel in that language expects: German headers, `;` and 31.12.2026 for
German readers, English headers, `,` and 2026-12-31 for English ones, UTF-8 with BOM; it
imports back (core.action_plan.csv_import reads both languages). Cells Excel would run as a
formula get a leading apostrophe, which the import takes off again.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta

from core.action_plan.csv_import import FORMULA_START, OPTIONAL, REQUIRED
from core.action_plan.fields import fold, member_display, participants_label, status_label
from core.i18n import t
from core.locale import format_date
from core.services import Services
from storage.accounts.tables import Member
from storage.action_plan.items import all_items
from storage.action_plan.people import members_by_id
from storage.action_plan.tables import ItemStatus, PlanItem
from storage.clock import utcnow
from storage.engine import session_scope

ID_COLUMN = "ID"  # ignored by the import: ids are given anew


def _safe(value: object) -> str:
    """A cell Excel will not run as a formula (user text such as "=HYPERLINK(...)" or
    "@anna"); the import strips the quote again."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _items_with_members(services: Services) -> list[tuple[PlanItem, Member | None]]:
    """Every item by deadline, with its responsible member when it names one."""
    with session_scope(services.engine) as session:
        items = all_items(session=session)
        members = members_by_id(session=session, ids={
            i.responsible_id for i in items if i.responsible_id is not None})
    return [(item, members.get(item.responsible_id or -1)) for item in items]


def _responsible(item: PlanItem, member: Member | None, nobody: str) -> str:
    if member is not None:
        return member_display(member)
    if item.responsible_username:
        return f"@{item.responsible_username}"
    return item.responsible_name or nobody


def csv_export(services: Services, lang: str) -> bytes:
    """Every item as CSV for Excel in `lang` (UTF-8 with BOM; German: `;` and 31.12.2026)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if lang == "de" else ",", lineterminator="\r\n")
    writer.writerow([ID_COLUMN, *(t(lang, f"plan_field_{name}")
                                  for name in (*REQUIRED, *OPTIONAL))])
    for item, member in _items_with_members(services):
        responsible = _responsible(item, member, "")
        writer.writerow([_safe(v) for v in (
            item.id, item.topic, item.action, format_date(item.deadline, lang), responsible,
            participants_label(item.participant_groups or [], item.participants, lang),
            item.kpi, status_label(item.status, lang))])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def ics_export(services: Services, lang: str, *, now: datetime | None = None) -> bytes:
    """One all-day event per deadline (cancelled items left out), for Outlook and Google."""
    from icalendar import Calendar, Event

    now = now or utcnow()
    cluster = services.settings.cluster_name
    slug = re.sub(r"[^a-z0-9]+", "-", fold(cluster)).strip("-") or "cluster"
    calendar = Calendar()
    calendar.add("prodid", "-//Cluster Advisor//Action plan//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", t(lang, "plan_ics_name", cluster=cluster))
    for item, member in _items_with_members(services):
        if item.status == ItemStatus.CANCELLED.value:
            continue
        responsible = _responsible(item, member, "–")
        done = "✔ " if item.status == ItemStatus.DONE.value else ""
        event = Event()
        event.add("uid", f"plan-item-{item.id}@{slug}.cluster-advisor")
        event.add("dtstamp", now)
        event.add("last-modified", item.updated_at)
        event.add("dtstart", item.deadline)
        event.add("dtend", item.deadline + timedelta(days=1))
        event.add("summary", f"{done}#{item.id} {item.topic}: {item.action}"[:250])
        event.add("description", "\n".join([
            item.action,
            t(lang, "plan_ics_responsible", who=responsible),
            t(lang, "plan_ics_participants", who=participants_label(
                item.participant_groups or [], item.participants, lang) or "–"),
            t(lang, "plan_ics_kpi", kpi=item.kpi or "–"),
            t(lang, "plan_ics_status", status=status_label(item.status, lang),
              deadline=format_date(item.deadline, lang)),
        ]))
        event.add("transp", "TRANSPARENT")
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()

