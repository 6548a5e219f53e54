"""What reminders, notices and the managers' weekly digest say.

A person gets one message per pass listing all their due items, each with buttons done /
in progress / postpone (up to ten items; more are listed and /plan mine shows them all).
Items they have just been named responsible for, that were handed to them or whose deadline
someone else moved come first, under their own heading; a single such item is shown as its
card. The digest lists what is due in the next 14 days, what is overdue, what was done last
week, who can't be reminded, and the lines other features add (`Feature.digest_lines`: the
current pitfall warnings), collected by the registry for the moment of the pass; when all of
that is empty there is no digest.
"""

from __future__ import annotations

import html
from datetime import date, timedelta

from core.action_plan.buttons import ACTIONS, FROM_REMINDER
from core.action_plan.dates import relative_days
from core.action_plan.due import Batch
from core.action_plan.fields import status_label
from core.action_plan.schedule import Clock
from core.action_plan.views import card_text, responsible_label, short
from core.i18n import t
from core.locale import format_date
from core.reply import Choice, Reply, rows
from core.services import Services
from storage.action_plan.digest import done_since, unreachable_people
from storage.action_plan.items import SOON_DAYS, items_by_id, list_items
from storage.action_plan.people import members_by_id
from storage.action_plan.tables import ACTIVE_STATUSES, NOTICE_KINDS, ItemStatus, PlanItem
from storage.engine import session_scope

MAX_ITEMS_WITH_BUTTONS = 10
MAX_TEXT = 3600  # Telegram allows 4096 characters; leave room for the closing line
DIGEST_SECTION_LINES = 10
REMINDED = "reminder"  # the section of items that are only due (no notice)


def render_batch(services: Services, batch: Batch, clock: Clock) -> Reply | None:
    """The message for one batch; None when there is nothing to say (its items are closed,
    or the digest would be empty)."""
    if batch.digest:
        return digest(services, batch.language, clock)
    return reminder(services, batch, clock)


def _line(item: PlanItem, lang: str, today: date) -> str:
    overdue = item.deadline < today
    return (f"{'🔴' if overdue else '📅'} <b>#{item.id}</b> "
            f"<i>{html.escape(short(item.topic, 60))}</i> – "
            f"{html.escape(short(item.action, 120))}\n"
            f"{format_date(item.deadline, lang)} "
            f"({relative_days(item.deadline, today, lang)}) · "
            f"{status_label(item.status, lang)}")


def _heading(section: str, count: int, lang: str, *, single: bool) -> str:
    if section == REMINDED:
        return t(lang, "plan_reminder_title_one" if single else "plan_reminder_title_many",
                 count=count)
    return t(lang, f"plan_notice_{section}" if single else f"plan_notice_{section}_many",
             count=count)


def reminder(services: Services, batch: Batch, clock: Clock) -> Reply | None:
    """One message listing all of a person's due items and notices, each with its buttons."""
    lang = batch.language
    today = clock.today
    with session_scope(services.engine) as session:
        found = items_by_id(session=session, ids=batch.item_ids)
        members = members_by_id(session=session, ids={
            i.responsible_id for i in found if i.responsible_id is not None})
    items = sorted((i for i in found if i.status in ACTIVE_STATUSES),
                   key=lambda i: (i.deadline, i.id or 0))
    if not items:
        return None
    single = len(items) == 1
    sections = [(kind, [i for i in items if batch.notices.get(i.id or 0) == kind])
                for kind in NOTICE_KINDS]
    sections.append((REMINDED, [i for i in items if (i.id or 0) not in batch.notices]))
    parts: list[str] = []
    buttons: list[list[Choice]] = []
    used = shown = 0
    full = False
    for section, listed in sections:
        if not listed or full:
            continue
        heading = _heading(section, len(listed), lang, single=single)
        if single and section != REMINDED:  # one notice: the whole card
            item = listed[0]
            parts.append(heading + "\n\n" + card_text(
                item, members.get(item.responsible_id or -1), lang, today))
            buttons.append(_item_buttons(item, lang, single=True))
            shown = 1
            break
        parts.append(heading)
        used += len(heading)
        for item in listed:
            line = _line(item, lang, today)
            if used + len(line) > MAX_TEXT:
                full = True
                break
            parts.append(line)
            used += len(line) + 2
            shown += 1
            if shown <= MAX_ITEMS_WITH_BUTTONS:
                buttons.append(_item_buttons(item, lang, single=single))
    if shown < len(items):
        parts.append(t(lang, "plan_reminder_more", count=len(items) - shown))
    parts.append(t(lang, "plan_reminder_footer"))
    return Reply("\n\n".join(parts), tuple(tuple(row) for row in buttons))


def _item_buttons(item: PlanItem, lang: str, *, single: bool) -> list[Choice]:
    def label(key: str) -> str:
        return t(lang, key) if single else f"{t(lang, key).split(' ')[0]} #{item.id}"

    buttons = [ACTIONS.button(label("plan_btn_done"), "done", item.id, FROM_REMINDER)]
    if item.status == ItemStatus.OPEN.value:
        buttons.append(ACTIONS.button(label("plan_btn_progress"), "progress", item.id,
                                      FROM_REMINDER))
    buttons.append(ACTIONS.button(label("plan_btn_postpone"), "postpone", item.id))
    return buttons


def _section(title: str, lines: list[str], total: int, lang: str) -> str:
    body = "\n".join(lines) if lines else t(lang, "plan_digest_none")
    if total > len(lines):
        body += "\n" + t(lang, "plan_digest_more", count=total - len(lines))
    return f"<b>{title}</b> ({total})\n{body}"


def digest(services: Services, lang: str, clock: Clock) -> Reply | None:
    """The managers' weekly digest; None when it would say nothing at all."""
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
    warnings = services.registry.digest_lines(services, lang, clock.now)
    if not (soon_total or late_total or done_total or people or warnings):
        return None

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
    if warnings:
        sections.append(f"<b>{t(lang, 'plan_digest_warnings')}</b>\n" + "\n".join(
            f"• {w}" for w in warnings[:limit]))
    text = "\n\n".join(sections)
    if len(text) > 4000:
        text = text[:3990].rsplit("\n", 1)[0] + "\n…"
    buttons = [ACTIONS.button(t(lang, f"plan_filter_{kind}"), "page", kind, 0)
               for kind in ("overdue", "soon")]
    return Reply(text, rows(buttons, 2))

