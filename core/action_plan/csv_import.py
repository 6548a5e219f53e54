"""CSV import of the plan, as Excel writes it in German or English.

Columns: topic, action, deadline, responsible (required), participants, kpi, status - by the
headers the export writes in either language (Thema, Aktion, Frist, Verantwortlich, Beteiligte,
KPI / Indikator, Status; Topic, Action, Deadline, ...) and a few synonyms; other columns such
as the export's `ID` are ignored. UTF-8 with or without BOM; `,`, `;` or tab separated. What
Excel adds is taken off again: the apostrophe that keeps `'@anna` from being a formula, and
quotes around a name. Bad rows are reported by line number with a reason that makes sense
for a file; the good rows are imported in one transaction - or, strict, nothing when any row
is bad. Everyone named responsible for an open item is told (core.action_plan.notices).
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from core.action_plan.dates import parse_deadline
from core.action_plan.due import next_reminder_at
from core.action_plan.fields import (
    SELF_WORDS,
    fold,
    parse_participants,
    parse_status,
    resolve_responsible,
)
from core.action_plan.items import PlanProblem, check_text, responsible_note
from core.action_plan.notices import note_assignment
from core.i18n import LANGUAGES, t
from core.locale import format_number
from core.services import Services
from storage.action_plan.items import add_item, find_same
from storage.action_plan.tables import ItemStatus, PlanItem
from storage.clock import utcnow
from storage.engine import session_scope

REQUIRED = ("topic", "action", "deadline", "responsible")
OPTIONAL = ("participants", "kpi", "status")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # spreadsheet formula triggers
_SYNONYMS = {
    "themen": "topic", "massnahme": "action", "measure": "action", "termin": "deadline",
    "faellig": "deadline", "due": "deadline", "due date": "deadline",
    "zeithorizont": "deadline", "time horizon": "deadline", "horizon": "deadline",
    "owner": "responsible", "zustaendig": "responsible", "verantwortliche": "responsible",
    "kpi": "kpi", "indikator": "kpi", "indicator": "kpi", "kennzahl": "kpi",
}
# the export's headers in every language, the internal names, and the synonyms above
HEADER_WORDS = {**_SYNONYMS, **{name: name for name in (*REQUIRED, *OPTIONAL)}, **{
    fold(t(lang, f"plan_field_{name}")): name
    for lang in LANGUAGES for name in (*REQUIRED, *OPTIONAL)}}
MAX_ROWS = 100_000


@dataclass
class ImportReport:
    """What an import did: new item ids, rows skipped as already there, problems by line."""

    imported: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # line 0: the whole file
    notes: list[tuple[int, str]] = field(default_factory=list)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise PlanProblem("plan_csv_encoding", line=line) from None


def _names(names: tuple[str, ...], lang: str) -> str:
    return ", ".join(t(lang, f"plan_field_{name}") for name in names)


def _columns(header: list[str], lang: str) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = HEADER_WORDS.get(fold(name).strip("\"' "))
        if key is not None:
            if key in columns:
                raise PlanProblem("plan_csv_duplicate_column", column=html.escape(name))
            columns[key] = index
    missing = tuple(c for c in REQUIRED if c not in columns)
    if missing:
        found = ", ".join(h.strip() for h in header if h.strip())[:200] or "–"
        raise PlanProblem("plan_csv_header", missing=_names(missing, lang),
                          found=html.escape(found), required=_names(REQUIRED, lang),
                          optional=_names(OPTIONAL, lang))
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
        text = _decode(data)
    except PlanProblem as problem:
        report.errors.append((int(problem.values.get("line", 0)),  # type: ignore[call-overload]
                              problem.text(lang)))
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
                report.errors.append((start, t(lang, "plan_csv_too_many",
                                              limit=format_number(MAX_ROWS, lang))))
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
    seen: dict[tuple[str, str, str], int] = {}  # row key -> its first line
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
            if same is not None:
                report.skipped.append((line, t(lang, "plan_csv_already", id=same.id)))
                continue
            if key in seen:
                report.skipped.append((line, t(lang, "plan_csv_twice", line=seen[key])))
                continue
            seen[key] = line
            if note:
                report.notes.append((line, note))
            pending.append((line, item))
        if strict and report.errors:
            return
        for _line, item in pending:
            add_item(session=session, item=item, by_name=t(lang, "plan_csv_by"))
            note_assignment(session, item, by_telegram_id=None, now=now)
            assert item.id is not None
            report.imported.append(item.id)


def _required(name: str, cell: Callable[[str], str]) -> str:
    """A required cell, cleaned up; a file names the column that is empty."""
    value = cell(name)
    if not value.strip():
        raise PlanProblem("plan_csv_cell_empty", field=name)
    return value


def _row_item(session: Session, services: Services, cell: Callable[[str], str], *, lang: str,
              now: datetime) -> tuple[PlanItem, str | None]:
    """One CSV row as an unsaved item, or PlanProblem saying what is wrong with it."""
    topic = check_text("topic", _required("topic", cell))
    action = check_text("action", _required("action", cell))
    typed = _required("deadline", cell)
    answer = parse_deadline(typed, now=now, tz=services.settings.tz)
    if answer.value is None or answer.problem not in (None, "past"):
        raise PlanProblem("plan_csv_bad_date", typed=html.escape(typed[:60]))
    status_text = cell("status")
    status = parse_status(status_text) if status_text else ItemStatus.OPEN
    if status is None:
        raise PlanProblem("plan_csv_bad_status", typed=html.escape(status_text[:40]))
    named = _required("responsible", cell)
    if fold(named) in SELF_WORDS:  # "ich" names the one who types, not a file's reader
        raise PlanProblem("plan_csv_responsible_self", typed=html.escape(named[:40]))
    who = resolve_responsible(session, named, self_id=None)
    if who is None:
        raise PlanProblem("plan_csv_cell_empty", field="responsible")
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
