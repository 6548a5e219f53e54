"""Looking at the plan: `/plan` with filters and pages, the item card, the history."""

from __future__ import annotations

import re
from datetime import date

from core.action_plan import items as plan_items
from core.action_plan import views
from core.action_plan.buttons import ACTIONS
from core.action_plan.rules import may_view
from core.actor import Actor
from core.i18n import t
from core.parsing import is_number
from core.reply import Choice, Reply, refused_press, rows
from core.services import Services
from storage.action_plan.items import FILTERS, get_item, history, list_items
from storage.action_plan.people import members_by_id
from storage.clock import utcnow
from storage.engine import session_scope

PAGE_SIZE = 8
_FILTER_WORDS = {
    "all": "all", "alle": "all", "alles": "all",
    "mine": "mine", "meine": "mine", "mein": "mine", "my": "mine",
    "overdue": "overdue", "ueberfaellig": "overdue", "überfällig": "overdue",
    "soon": "soon", "bald": "soon", "due": "soon", "faellig": "soon", "fällig": "soon",
    "closed": "closed", "done": "closed", "erledigt": "closed", "abgeschlossen": "closed",
}
ITEM_ID = re.compile(r"^#?(\d{1,9})$")


def today_of(services: Services) -> date:
    """Today in the cluster's time zone."""
    return utcnow().astimezone(services.settings.tz).date()


def parse_item_id(text: str) -> int | None:
    match = ITEM_ID.match(text.strip())
    return int(match.group(1)) if match else None


def plan_command(services: Services, actor: Actor, args: str) -> Reply:
    """/plan [mine|overdue|soon|closed] or /plan ID: the plan, a filtered page, or one card."""
    words = args.split()
    if not words:
        return page(services, actor, "all", 0)
    item_id = parse_item_id(words[0])
    if item_id is not None:
        return show_card(services, actor, item_id)
    kind = _FILTER_WORDS.get(words[0].lower())
    if kind is None:
        return Reply(t(actor.language, "plan_usage"))
    number = int(words[1]) - 1 if len(words) > 1 and is_number(words[1]) else 0
    return page(services, actor, kind, max(number, 0))


def press_page(services: Services, actor: Actor, kind: str, number: int) -> Reply:
    """A filter or page button: that page, in place."""
    return page(services, actor, kind, number, edit=True)


def press_card(services: Services, actor: Actor, item_id: int) -> Reply:
    """An item button: its card, in place."""
    return show_card(services, actor, item_id, edit=True)


def page(services: Services, actor: Actor, kind: str, number: int, *,
         edit: bool = False) -> Reply:
    """One page of the plan under a filter, with filter, item and paging buttons."""
    lang = actor.language
    today = today_of(services)
    with session_scope(services.engine) as session:
        viewer = plan_items.viewer_in(session, actor)
        found, total = list_items(session=session, kind=kind, member=viewer.member,
                                  today=today, offset=number * PAGE_SIZE, limit=PAGE_SIZE)
        if not found and number > 0 and total:  # the list got shorter: show its last page
            number = (total - 1) // PAGE_SIZE
            found, total = list_items(session=session, kind=kind, member=viewer.member,
                                      today=today, offset=number * PAGE_SIZE,
                                      limit=PAGE_SIZE)
        members = members_by_id(session=session, ids={i.responsible_id for i in found
                                                      if i.responsible_id is not None})
    pages = max((total - 1) // PAGE_SIZE + 1, 1)
    title = t(lang, f"plan_list_{kind}")
    if not found:
        body = t(lang, "plan_list_empty_all" if kind == "all" else "plan_list_empty")
        if kind == "all" and viewer.is_manager:
            body += "\n" + t(lang, "plan_list_add_hint")
        text = f"<b>{title}</b>\n\n{body}"
    else:
        header = t(lang, "plan_list_header", title=title, total=total, page=number + 1,
                   pages=pages)
        lines = [views.item_line(i, members.get(i.responsible_id or -1), lang, today)
                 for i in found]
        text = header + "\n\n" + "\n\n".join(lines)

    def filter_button(k: str) -> Choice:
        return ACTIONS.button(("• " if k == kind else "") + t(lang, f"plan_filter_{k}"),
                              "page", k, 0)

    choices: tuple[tuple[Choice, ...], ...] = (tuple(filter_button(k) for k in FILTERS[:3]),
                                               tuple(filter_button(k) for k in FILTERS[3:]))
    choices += rows([ACTIONS.button(f"#{i.id}", "card", i.id) for i in found], 4)
    nav: list[Choice] = []
    if number > 0:
        nav.append(ACTIONS.button("«", "page", kind, number - 1))
    if number + 1 < pages:
        nav.append(ACTIONS.button("»", "page", kind, number + 1))
    if viewer.is_manager:
        nav.append(ACTIONS.button(t(lang, "plan_btn_new"), "new"))
    if nav:
        choices += (tuple(nav),)
    return Reply(text, choices, edit=edit)


def show_card(services: Services, actor: Actor, item_id: int, *, edit: bool = False,
              before: str = "", notice: str = "") -> Reply:
    """The card of one item, or why it can't be shown."""
    with session_scope(services.engine) as session:
        viewer = plan_items.viewer_in(session, actor)
        item = get_item(session=session, item_id=item_id)
        if item is None or not may_view(viewer, item):
            text = t(actor.language, "plan_not_found", id=item_id)
            return refused_press(text) if edit else Reply(text)
        member = plan_items.responsible_member(session, item)
    return views.card(viewer, item, member, today_of(services), edit=edit, before=before,
                      notice=notice)


def show_history(services: Services, actor: Actor, item_id: int) -> Reply:
    """Who changed status or deadline when."""
    lang = actor.language
    with session_scope(services.engine) as session:
        viewer = plan_items.viewer_in(session, actor)
        item = get_item(session=session, item_id=item_id)
        if item is None or not may_view(viewer, item):
            return refused_press(t(lang, "plan_not_found", id=item_id))
        entries = history(session=session, item_id=item_id)
    text = views.history_text(item, entries, lang, services.settings.tz)
    return Reply(text, rows([views.back_to_card(lang, item_id)]), edit=True)
