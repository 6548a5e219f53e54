"""The `events:` buttons, declared once: readable names, typed arguments and roles.

Declared here and bound to their functions in the package (`bind`), as the plan does, so
the modules that build buttons can import this table without an import cycle. The table's
role is VISITOR: a visitor invited by link may register for an event that allows visitors
and see its card; every action checks membership, registration or ownership itself and
answers a stale or forged press with `refused_press`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from core.actor import Actor, Role
from core.feature import Action, ActionFunction, Actions, integer, one_of
from core.reply import Reply

PREFIX = "events"
YES_NO = one_of("yes", "no")


def _bound_later(services: object, actor: Actor, *arguments: object) -> Reply:
    raise RuntimeError("the events' buttons run only through the table `bind` returns")


_ROWS = (
    Action("card", _bound_later, (integer,)),
    Action("register", _bound_later, (integer,)),
    Action("unregister", _bound_later, (integer,)),
    Action("ics", _bound_later, (integer,)),
    Action("partners", _bound_later, (integer,), role=Role.MEMBER),
    Action("ask", _bound_later, (integer, integer), role=Role.MEMBER),
    Action("send", _bound_later, (integer, integer), role=Role.MEMBER),
    Action("accept", _bound_later, (integer,), role=Role.MEMBER),
    Action("decline", _bound_later, (integer,), role=Role.MEMBER),
    Action("slot", _bound_later, (integer, integer), role=Role.MEMBER),
    Action("move", _bound_later, (integer,), role=Role.MEMBER),
    Action("drop", _bound_later, (integer,), role=Role.MEMBER),
    Action("schedule", _bound_later, (integer,)),
    # follow-up questions (the person asked; members who left keep their own answers)
    Action("fu", _bound_later, (integer, one_of("met", "project", "mention"), YES_NO)),
    Action("fu_stop", _bound_later, (integer,)),
    # managers
    Action("plan", _bound_later, (integer,), role=Role.MANAGER),
    Action("invite", _bound_later, (integer,), role=Role.MANAGER),
    Action("export", _bound_later, (integer, one_of("participants", "schedule")),
           role=Role.MANAGER),
    Action("cancel_event", _bound_later, (integer,), role=Role.MANAGER),
    Action("cancel_confirmed", _bound_later, (integer,), role=Role.MANAGER),
    Action("kpis", _bound_later, (), role=Role.MANAGER),
)
ACTIONS = Actions(PREFIX, Role.VISITOR, _ROWS)


def bind(runs: Mapping[str, ActionFunction]) -> Actions:
    """The table the router uses: every declared action with the function it runs."""
    declared = {action.name for action in ACTIONS.actions}
    if declared != set(runs):
        raise ValueError(f"event buttons without a function or declaration: "
                         f"{sorted(declared ^ set(runs))}")
    return Actions(ACTIONS.prefix, ACTIONS.role,
                   tuple(replace(action, run=runs[action.name]) for action in ACTIONS.actions))
