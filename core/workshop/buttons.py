"""The `ws:` buttons, declared once (names, typed arguments, roles) and bound to their
functions in the package (`bind`), as the action plan does: the modules that build the
buttons import this table, so it cannot import them.

The table's role is MEMBER: visitors can neither contribute nor read a round. Managers'
actions say so; every function also checks that the presser takes part in the round and
that the round is still at the step the button was made for.
"""

from __future__ import annotations

from core.actor import Role
from core.feature import Action, Actions, integer, one_of, unbound
from storage.workshop.tables import ACTOR_GROUPS, SWOT_FIELDS

PREFIX = "ws"
INVITE_MODES = ("all", "match")


M = Role.MANAGER
_ROWS = (
    Action("card", unbound, (integer,)),
    Action("invite", unbound, (integer, one_of(*INVITE_MODES)), role=M),
    Action("invite_ok", unbound, (integer, one_of(*INVITE_MODES)), role=M),
    Action("next", unbound, (integer, integer), role=M),
    Action("contribute", unbound, (integer, integer)),
    Action("offer", unbound, (integer, integer)),
    Action("field", unbound, (integer, one_of(*SWOT_FIELDS))),
    Action("group", unbound, (integer, one_of(*ACTOR_GROUPS))),
    Action("synergy", unbound, (integer, integer, integer)),
    Action("list", unbound, (integer, integer, integer)),
    Action("vote", unbound, (integer, integer)),
    Action("dups", unbound, (integer,), role=M),
    Action("merge", unbound, (integer, integer), role=M),
    Action("drop", unbound, (integer,), role=M),
    Action("summary", unbound, (integer, integer)),
    Action("export", unbound, (integer,), role=M),
    Action("drafts", unbound, (integer,), role=M),
    Action("draft", unbound, (integer,), role=M),
    Action("to_plan", unbound, (integer, one_of("check", "anyway")), role=M),
    Action("suggest", unbound, (integer, integer), role=M),
    Action("accept", unbound, (integer,), role=Role.VISITOR),
    Action("decline", unbound, (integer,), role=Role.VISITOR),
    Action("done", unbound),
)
ACTIONS = Actions(PREFIX, Role.MEMBER, _ROWS)

