"""The `plan:` buttons, declared once: readable names, typed arguments and roles.

Every module that builds plan buttons makes them with `ACTIONS.button(label, "postpone",
item_id)`; the router reads them back with the same table, so malformed or forged data
never reaches a function. The functions a press runs live in the modules that build the
replies (browse, entry, actions), and those modules import this one; so the table is
declared here and bound to its functions once, in the package (`bind`), instead of
importing them here, which would be an import cycle.

The table's role is VISITOR: the responsible person may act on their own item before they
are admitted as a member (a manager named them); each action checks membership or
responsibility itself, and answers a stale press (item gone, done meanwhile, not yours)
with `refused_press`.
"""

from __future__ import annotations

import re
from datetime import date

from core.action_plan.fields import GROUPS
from core.action_plan.rules import EDIT_FIELDS
from core.actor import Role
from core.feature import Action, Actions, integer, one_of, unbound
from storage.action_plan.items import FILTERS

PREFIX = "plan"
FROM_REMINDER = "reminder"  # pressed under a reminder: answer with a new message
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(raw: str) -> date:
    """A date as the buttons carry it: 2027-03-31 (ValueError when it is none)."""
    if not ISO_DATE.fullmatch(raw):
        raise ValueError(f"not a date: {raw!r}")
    return date.fromisoformat(raw)


ORIGIN = one_of(FROM_REMINDER)
_ROWS = (
    # browsing (members; the card and history check visibility per item)
    Action("page", unbound, (one_of(*FILTERS), integer), role=Role.MEMBER),
    Action("card", unbound, (integer,)),
    Action("history", unbound, (integer,)),
    # the card's and the reminder's buttons (responsible person or manager)
    Action("done", unbound, (integer, ORIGIN), optional=1),
    Action("progress", unbound, (integer, ORIGIN), optional=1),
    Action("reopen", unbound, (integer,)),
    Action("postpone", unbound, (integer,)),
    Action("postpone_to", unbound, (integer, iso_date)),
    Action("edit", unbound, (integer,)),
    Action("edit_field", unbound, (integer, one_of(*EDIT_FIELDS))),
    Action("cancel", unbound, (integer,)),
    Action("cancel_confirmed", unbound, (integer,)),
    # the /plan_add dialog (managers; each press checks the open dialog and the role, so
    # that the refusal names /plan_add)
    Action("new", unbound),
    Action("deadline", unbound, (iso_date,)),
    Action("myself", unbound),
    Action("group", unbound, (one_of(*GROUPS),)),
    Action("groups_done", unbound),
    Action("no_kpi", unbound),
    Action("abort", unbound),  # ends the add, postpone or edit dialog
)
ACTIONS = Actions(PREFIX, Role.VISITOR, _ROWS)

