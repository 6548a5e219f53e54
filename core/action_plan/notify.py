"""What reminders and the managers' weekly digest say.

A reminder lists all due items of one person in one message, with buttons done / in progress
/ postpone per item (up to ten items; more are listed and /plan mine shows them all). The
digest lists what is due in the next 14 days, what is overdue, what was done last week, who
can't be reminded, and the current pitfall warnings (core.pitfalls.digest_lines, issue #5).
"""

from __future__ import annotations

import html
import logging
from datetime import timedelta

from core.action_plan.dates import format_date, relative_days
from core.action_plan.due import Batch
from core.action_plan.fields import status_label
from core.action_plan.schedule import Clock
from core.action_plan.views import responsible_label, short
from core.i18n import t
from core.reply import Choice, Reply, rows
from core.services import Services
from storage.engine import session_scope
from storage.plan import ACTIVE_STATUSES, ItemStatus, PlanItem
from storage.plan_items import (
    SOON_DAYS,
    done_since,
    list_items,
    members_by_id,
    unreachable_people,
)

logger = logging.getLogger(__name__)

MAX_ITEMS_WITH_BUTTONS = 10
MAX_TEXT = 3600  # Telegram allows 4096 characters; leave room for the closing line
DIGEST_SECTION_LINES = 10


def render_batch(services: Services, batch: Batch, clock: Clock) -> Reply | None:
    """The message for one batch; None when none of its items is open any more."""
    if batch.digest:
        return digest(services, batch.language, clock)
    return reminder(services, batch, clock)


def reminder(services: Services, batch: Batch, clock: Clock) -> Reply | None:
    """One message listing all of a person's due items, each with its buttons."""
    lang = batch.language
    today = clock.today
    with session_scope(services.engine) as session:
        found = [session.get(PlanItem, i) for i in batch.item_ids]
    items = sorted((i for i in found if i is not None and i.status in ACTIVE_STATUSES),
                   key=lambda i: (i.deadline, i.id or 0))
    if not items:
        return None
    lines = [t(lang, "plan_reminder_title_one" if len(items) == 1 else
               "plan_reminder_title_many", count=len(items))]
    buttons: list[list[Choice]] = []
    used = len(lines[0])
    shown = 0
    for item in items:
        overdue = item.deadline < today
        line = (f"{'🔴' if overdue else '📅'} <b>#{item.id}</b> "
                f"<i>{html.escape(short(item.topic, 60))}</i> – "
                f"{html.escape(short(item.action, 120))}\n"
                f"{format_date(item.deadline, lang)} "
                f"({relative_days(item.deadline, today, lang)}) · "
                f"{status_label(item.status, lang)}")
        if used + len(line) > MAX_TEXT:
            break
        lines.append(line)
        used += len(line) + 2
        shown += 1
        if shown <= MAX_ITEMS_WITH_BUTTONS:
            buttons.append(_item_buttons(item, lang, single=len(items) == 1))
    if shown < len(items):
        lines.append(t(lang, "plan_reminder_more", count=len(items) - shown))
    lines.append(t(lang, "plan_reminder_footer"))
    return Reply("\n\n".join(lines), tuple(tuple(row) for row in buttons))


def _item_buttons(item: PlanItem, lang: str, *, single: bool) -> list[Choice]:
    def label(key: str) -> str:
        return t(lang, key) if single else f"{t(lang, key).split(' ')[0]} #{item.id}"

    buttons = [Choice(label("plan_btn_done"), f"plan:done:{item.id}:r")]
    if item.status == ItemStatus.OPEN.value:
        buttons.append(Choice(label("plan_btn_progress"), f"plan:prog:{item.id}:r"))
    buttons.append(Choice(label("plan_btn_postpone"), f"plan:pp:{item.id}"))
    return buttons


def _section(title: str, lines: list[str], total: int, lang: str) -> str:
    body = "\n".join(lines) if lines else t(lang, "plan_digest_none")
    if total > len(lines):
        body += "\n" + t(lang, "plan_digest_more", count=total - len(lines))
    return f"<b>{title}</b> ({total})\n{body}"


def _pitfall_lines(services: Services, lang: str) -> list[str]:
    """The current pitfall warnings, if the pitfalls feature provides them (issue #5)."""
    from core import pitfalls

    # issue #5 provides digest_lines(services, lang) -> Telegram-HTML lines (user text
    # escaped there); without it the digest simply has no warnings section
    provider = getattr(pitfalls, "digest_lines", None)
    if not callable(provider):
        return []
    try:
        return [str(line) for line in provider(services, lang)]
    except Exception:  # a broken warning must not stop the managers' digest
        logger.exception("core.pitfalls.digest_lines failed; digest sent without warnings")
        return []


def digest(services: Services, lang: str, clock: Clock) -> Reply:
    """The managers' weekly digest."""
    today = clock.today
    week = today.isocalendar()
    limit = DIGEST_SECTION_LINES
    with session_scope(services.engine) as session:
        soon, soon_total = list_items(session=session, kind="soon", member=None, today=today,
                                      offset=0, limit=limit)
        late, late_total = list_items(session=session, kind="overdue", member=None,
                                      today=today, offset=0, limit=limit)
        done, done_total = done_since(session=session, since=clock.now - timedelta(days=7),
                                      limit=limit)
        people = unreachable_people(session=session, limit=limit)
        members = members_by_id(session=session, ids={
            i.responsible_id for i in (*soon, *late, *done) if i.responsible_id is not None})

    def line(item: PlanItem, *, when: str) -> str:
        who = responsible_label(item, members.get(item.responsible_id or -1), lang)
        return (f"• <b>#{item.id}</b> {when} – {html.escape(short(item.topic, 50))}: "
                f"{html.escape(short(item.action, 70))} · {who}")

    sections = [
        t(lang, "plan_digest_title", week=week.week, year=week.year),
        _section(t(lang, "plan_digest_soon", days=SOON_DAYS), [line(
            i, when=f"{format_date(i.deadline, lang)}") for i in soon], soon_total, lang),
        _section(t(lang, "plan_digest_overdue"), [line(
            i, when=relative_days(i.deadline, today, lang)) for i in late], late_total, lang),
        _section(t(lang, "plan_digest_done"), [line(
            i, when=format_date(i.done_at.astimezone(clock.tz).date() if i.done_at else today,
                                lang)) for i in done], done_total, lang),
    ]
    unreachable = [t(lang, f"plan_digest_why_{p.why}", who=html.escape(p.label),
                     count=p.items, since=format_date(p.since.astimezone(clock.tz).date(), lang)
                     if p.since else "") for p in people]
    sections.append(_section(t(lang, "plan_digest_unreachable"), unreachable, len(unreachable),
                             lang))
    warnings = _pitfall_lines(services, lang)
    if warnings:
        sections.append(f"<b>{t(lang, 'plan_digest_warnings')}</b>\n" + "\n".join(
            f"• {w}" for w in warnings[:limit]))
    text = "\n\n".join(sections)
    if len(text) > 4000:
        text = text[:3990].rsplit("\n", 1)[0] + "\n…"
    buttons = [Choice(t(lang, "plan_filter_overdue"), "plan:page:overdue:0"),
               Choice(t(lang, "plan_filter_soon"), "plan:page:soon:0")]
    return Reply(text, rows(buttons, 2))

