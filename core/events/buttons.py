"""The `events:` buttons, declared once: readable names, typed arguments and roles.

Declared here and bound to their functions in the package (`bind`), as the plan does, so
the modules that build buttons can import this table without an import cycle. The table's
role is VISITOR: a visitor invited by link may register for an event that allows visitors
and see its card; every action checks membership, registration or ownership itself and
answers a stale or forged press with `refused_press`.
"""

from __future__ import annotations

from core.actor import Role
from core.feature import Action, Actions, integer, one_of, unbound

PREFIX = "events"
YES_NO = one_of("yes", "no")


_ROWS = (
    Action("card", unbound, (integer,)),
    Action("register", unbound, (integer,)),
    Action("unregister", unbound, (integer,)),
    Action("ics", unbound, (integer,)),
    Action("partners", unbound, (integer,), role=Role.MEMBER),
    Action("ask", unbound, (integer, integer), role=Role.MEMBER),
    Action("send", unbound, (integer, integer), role=Role.MEMBER),
    Action("accept", unbound, (integer,), role=Role.MEMBER),
    Action("decline", unbound, (integer,), role=Role.MEMBER),
    Action("slot", unbound, (integer, integer), role=Role.MEMBER),
    Action("move", unbound, (integer,), role=Role.MEMBER),
    Action("drop", unbound, (integer,), role=Role.MEMBER),
    Action("schedule", unbound, (integer,)),
    # follow-up questions (the person asked; members who left keep their own answers)
    Action("fu", unbound, (integer, one_of("met", "project", "mention"), YES_NO)),
    Action("fu_stop", unbound, (integer,)),
    # managers
    Action("plan", unbound, (integer,), role=Role.MANAGER),
    Action("invite", unbound, (integer,), role=Role.MANAGER),
    Action("export", unbound, (integer, one_of("participants", "schedule")),
           role=Role.MANAGER),
    Action("cancel_event", unbound, (integer,), role=Role.MANAGER),
    Action("cancel_confirmed", unbound, (integer,), role=Role.MANAGER),
    Action("kpis", unbound, (), role=Role.MANAGER),
)
ACTIONS = Actions(PREFIX, Role.VISITOR, _ROWS)

