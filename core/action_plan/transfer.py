"""The plan in and out: CSV import (as German Excel writes it), CSV and iCalendar export.

Import columns: topic, action, deadline, responsible, participants, kpi, status (German
headers Thema, Aktion, Frist, Verantwortlich, Beteiligte, KPI, Status work too; extra
columns such as `id` are ignored). UTF-8 with or without BOM; `,` or `;` separated. Bad rows
are reported by line number with the reason; the good rows are imported in one transaction,
or - strict - nothing when any row is bad.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from core.action_plan.dates import format_date, parse_deadline
from core.action_plan.due import next_reminder_at
from core.action_plan.fields import (
    fold,
    member_display,
    parse_participants,
    parse_status,
    participants_label,
    resolve_responsible,
    status_label,
)
from core.action_plan.items import PlanProblem, check_text, responsible_note
from core.i18n import t
from core.services import Services
from storage.engine import session_scope
from storage.models import Member, utcnow
from storage.plan import ItemStatus, PlanItem
from storage.plan_items import add_item, all_items, find_same

REQUIRED = ("topic", "action", "deadline", "responsible")
OPTIONAL = ("participants", "kpi", "status")
_HEADER_WORDS = {
    "topic": "topic", "thema": "topic", "themen": "topic",
    "action": "action", "aktion": "action", "massnahme": "action", "measure": "action",
    "deadline": "deadline", "frist": "deadline", "termin": "deadline", "faellig": "deadline",
    "due": "deadline", "due date": "deadline", "zeithorizont": "deadline",
    "time horizon": "deadline", "horizon": "deadline",
    "responsible": "responsible", "verantwortlich": "responsible", "owner": "responsible",
    "zustaendig": "responsible", "verantwortliche": "responsible",
    "participants": "participants", "beteiligte": "participants",
    "kpi": "kpi", "indikator": "kpi", "indicator": "kpi", "kennzahl": "kpi",
    "status": "status",
}
MAX_ROWS = 100_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # spreadsheet formula triggers


@dataclass
class ImportReport:
    """What an import did: new item ids, rows skipped as already there, problems by line."""

    imported: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # line 0: the whole file
    notes: list[tuple[int, str]] = field(default_factory=list)


def _decode(data: bytes, lang: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise PlanProblem("plan_csv_encoding", line=line) from None


def _columns(header: list[str], lang: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _HEADER_WORDS.get(fold(name).strip("\"' "))
        if key is not None:
            if key in columns:
                raise PlanProblem("plan_csv_duplicate_column", column=html.escape(name))
            columns[key] = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        found = ", ".join(h.strip() for h in header if h.strip())[:200] or "–"
        raise PlanProblem("plan_csv_header", missing=", ".join(missing),
                          found=html.escape(found))
    return columns


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def import_csv(services: Services, data: bytes, *, strict: bool, lang: str,
               now: datetime | None = None) -> ImportReport:
    """Import a CSV file; see the module docstring for the rules."""
    now = now or utcnow()
    report = ImportReport()
    try:
        text = _decode(data, lang)
    except PlanProblem as problem:
        report.errors.append((problem.values.get("line", 0), problem.text(lang)))  # type: ignore[arg-type]
        return report
    if not text.strip():
        report.errors.append((0, t(lang, "plan_csv_empty")))
        return report
    first_line = next(line for line in text.splitlines() if line.strip())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    header: list[str] | None = None
    header_line = 0
    rows: list[tuple[int, list[str]]] = []
    previous_end = 0
    try:
        for cells in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, header_line = cells, start
                continue
            rows.append((start, cells))
            if len(rows) > MAX_ROWS:
                report.errors.append((start, t(lang, "plan_csv_too_many", limit=MAX_ROWS)))
                return report
    except csv.Error as exc:  # e.g. a field over the csv module's 128 KiB limit
        report.errors.append((reader.line_num, t(lang, "plan_csv_unreadable",
                                                  reason=html.escape(str(exc)))))
        return report
    assert header is not None
    try:
        columns = _columns(header, lang)
    except PlanProblem as problem:
        report.errors.append((header_line, problem.text(lang)))
        return report
    if not rows:
        report.errors.append((0, t(lang, "plan_csv_no_rows")))
        return report
    _import_rows(services, rows, columns, len(header), report, strict=strict, lang=lang,
                 now=now)
    return report


def _import_rows(services: Services, rows: list[tuple[int, list[str]]],
                 columns: dict[str, int], width: int, report: ImportReport, *, strict: bool,
                 lang: str, now: datetime) -> None:
    seen: set[tuple[str, str, str]] = set()
    with session_scope(services.engine) as session:
        pending: list[tuple[int, PlanItem]] = []
        for line, cells in rows:
            if len(cells) > width:
                report.errors.append((line, t(lang, "plan_csv_too_many_cells",
                                              found=len(cells), expected=width)))
                continue
            cells = cells + [""] * (width - len(cells))

            def cell(name: str, cells: list[str] = cells) -> str:
                value = cells[columns[name]].strip() if name in columns else ""
                return value[1:] if value[:1] == "'" and value[1:2] in FORMULA_START else value

            try:
                item, note = _row_item(session, services, cell, lang=lang, now=now)
            except PlanProblem as problem:
                report.errors.append((line, problem.text(lang)))
                continue
            key = (item.topic, item.action, item.deadline.isoformat())
            same = find_same(session=session, topic=item.topic, action=item.action,
                             deadline=item.deadline)
            if same is not None or key in seen:
                report.skipped.append((line, t(lang, "plan_csv_already", id=same.id if same
                                               else "?")))
                continue
            seen.add(key)
            if note:
                report.notes.append((line, note))
            pending.append((line, item))
        if strict and report.errors:
            return
        for _line, item in pending:
            add_item(session=session, item=item, by_name="CSV import")
            assert item.id is not None
            report.imported.append(item.id)


def _row_item(session: Session, services: Services, cell: Callable[[str], str], *, lang: str,
              now: datetime) -> tuple[PlanItem, str | None]:
    """One CSV row as an unsaved item, or PlanProblem saying what is wrong with it."""
    topic = check_text("topic", cell("topic"))
    action = check_text("action", cell("action"))
    typed = cell("deadline")
    answer = parse_deadline(typed, now=now, tz=services.settings.tz)
    if answer.value is None or answer.problem not in (None, "past"):
        raise PlanProblem("plan_csv_bad_date", typed=html.escape(typed[:60]) or "–")
    status_text = cell("status")
    status = parse_status(status_text) if status_text else ItemStatus.OPEN
    if status is None:
        raise PlanProblem("plan_csv_bad_status", typed=html.escape(status_text[:40]))
    who = resolve_responsible(session, cell("responsible"), self_id=None)
    if who is None:
        raise PlanProblem("plan_responsible_missing")
    groups, free = parse_participants(cell("participants"))
    item = PlanItem(topic=topic, action=action, deadline=answer.value, status=status.value,
                    responsible_id=who.member_id, responsible_username=who.username,
                    responsible_name=who.name, participants=check_text("participants", free),
                    participant_groups=groups, kpi=check_text("kpi", cell("kpi")),
                    created_at=now, updated_at=now, planned_from=now,
                    done_at=now if status is ItemStatus.DONE else None)
    item.next_reminder_at = next_reminder_at(services, item, now)
    active = status in (ItemStatus.OPEN, ItemStatus.IN_PROGRESS)
    return item, responsible_note(who, lang) if active else None


def _safe(value: object) -> str:
    """A cell Excel will not run as a formula (user text such as "=HYPERLINK(...)" or
    "@anna"); the import strips the quote again."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_export(services: Services, lang: str) -> bytes:
    """Every item as CSV (UTF-8 with BOM; `;` for German Excel, `,` in English)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if lang == "de" else ",", lineterminator="\r\n")
    writer.writerow(["id", *REQUIRED, *OPTIONAL])
    with session_scope(services.engine) as session:
        for item in all_items(session=session):
            member = session.get(Member, item.responsible_id) if item.responsible_id else None
            responsible = (member_display(member) if member else
                           f"@{item.responsible_username}" if item.responsible_username else
                           item.responsible_name or "")
            writer.writerow([_safe(v) for v in (
                item.id, item.topic, item.action, item.deadline.isoformat(), responsible,
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
    with session_scope(services.engine) as session:
        for item in all_items(session=session):
            if item.status == ItemStatus.CANCELLED.value:
                continue
            member = session.get(Member, item.responsible_id) if item.responsible_id else None
            responsible = (member_display(member) if member else
                           f"@{item.responsible_username}" if item.responsible_username else
                           item.responsible_name or "–")
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

