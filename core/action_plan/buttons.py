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
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from core.action_plan.fields import GROUPS
from core.action_plan.rules import EDIT_FIELDS
from core.actor import Actor, Role
from core.feature import Action, ActionFunction, Actions, integer, one_of
from core.reply import Reply
from storage.action_plan.items import FILTERS

PREFIX = "plan"
FROM_REMINDER = "reminder"  # pressed under a reminder: answer with a new message
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(raw: str) -> date:
    """A date as the buttons carry it: 2027-03-31 (ValueError when it is none)."""
    if not ISO_DATE.fullmatch(raw):
        raise ValueError(f"not a date: {raw!r}")
    return date.fromisoformat(raw)


def _bound_later(services: object, actor: Actor, *arguments: object) -> Reply:
    raise RuntimeError("the plan's buttons run only through the table `bind` returns")


ORIGIN = one_of(FROM_REMINDER)
_ROWS = (
    # browsing (members; the card and history check visibility per item)
    Action("page", _bound_later, (one_of(*FILTERS), integer), role=Role.MEMBER),
    Action("card", _bound_later, (integer,)),
    Action("history", _bound_later, (integer,)),
    # the card's and the reminder's buttons (responsible person or manager)
    Action("done", _bound_later, (integer, ORIGIN), optional=1),
    Action("progress", _bound_later, (integer, ORIGIN), optional=1),
    Action("reopen", _bound_later, (integer,)),
    Action("postpone", _bound_later, (integer,)),
    Action("postpone_to", _bound_later, (integer, iso_date)),
    Action("edit", _bound_later, (integer,)),
    Action("edit_field", _bound_later, (integer, one_of(*EDIT_FIELDS))),
    Action("cancel", _bound_later, (integer,)),
    Action("cancel_confirmed", _bound_later, (integer,)),
    # the /plan_add dialog (managers; each press checks the open dialog and the role, so
    # that the refusal names /plan_add)
    Action("new", _bound_later),
    Action("deadline", _bound_later, (iso_date,)),
    Action("myself", _bound_later),
    Action("group", _bound_later, (one_of(*GROUPS),)),
    Action("groups_done", _bound_later),
    Action("no_kpi", _bound_later),
    Action("abort", _bound_later),  # ends the add, postpone or edit dialog
)
ACTIONS = Actions(PREFIX, Role.VISITOR, _ROWS)


def bind(runs: Mapping[str, ActionFunction]) -> Actions:
    """The table the router uses: every declared action with the function it runs."""
    declared = {action.name for action in ACTIONS.actions}
    if declared != set(runs):
        raise ValueError(f"plan buttons without a function or declaration: "
                         f"{sorted(declared ^ set(runs))}")
    return Actions(ACTIONS.prefix, ACTIONS.role,
                   tuple(replace(action, run=runs[action.name]) for action in ACTIONS.actions))
