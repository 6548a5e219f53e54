"""The `ws:` buttons, declared once (names, typed arguments, roles) and bound to their
functions in the package (`bind`), as the action plan does: the modules that build the
buttons import this table, so it cannot import them.

The table's role is MEMBER: visitors can neither contribute nor read a round. Managers'
actions say so; every function also checks that the presser takes part in the round and
that the round is still at the step the button was made for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from core.actor import Actor, Role
from core.feature import Action, ActionFunction, Actions, integer, one_of
from core.reply import Reply
from storage.workshop.tables import ACTOR_GROUPS, SWOT_FIELDS

PREFIX = "ws"
INVITE_MODES = ("all", "match")


def _bound_later(services: object, actor: Actor, *arguments: object) -> Reply:
    raise RuntimeError("the workshop's buttons run only through the table `bind` returns")


M = Role.MANAGER
_ROWS = (
    Action("card", _bound_later, (integer,)),
    Action("invite", _bound_later, (integer, one_of(*INVITE_MODES)), role=M),
    Action("invite_ok", _bound_later, (integer, one_of(*INVITE_MODES)), role=M),
    Action("next", _bound_later, (integer, integer), role=M),
    Action("contribute", _bound_later, (integer, integer)),
    Action("offer", _bound_later, (integer, integer)),
    Action("field", _bound_later, (integer, one_of(*SWOT_FIELDS))),
    Action("group", _bound_later, (integer, one_of(*ACTOR_GROUPS))),
    Action("synergy", _bound_later, (integer, integer, integer)),
    Action("list", _bound_later, (integer, integer, integer)),
    Action("vote", _bound_later, (integer, integer)),
    Action("dups", _bound_later, (integer,), role=M),
    Action("merge", _bound_later, (integer, integer), role=M),
    Action("drop", _bound_later, (integer,), role=M),
    Action("summary", _bound_later, (integer, integer)),
    Action("export", _bound_later, (integer,), role=M),
    Action("drafts", _bound_later, (integer,), role=M),
    Action("draft", _bound_later, (integer,), role=M),
    Action("to_plan", _bound_later, (integer, one_of("check", "anyway")), role=M),
    Action("suggest", _bound_later, (integer, integer), role=M),
    Action("accept", _bound_later, (integer,), role=Role.VISITOR),
    Action("decline", _bound_later, (integer,), role=Role.VISITOR),
    Action("done", _bound_later),
)
ACTIONS = Actions(PREFIX, Role.MEMBER, _ROWS)


def bind(runs: Mapping[str, ActionFunction]) -> Actions:
    """The table the router uses: every declared action with the function it runs."""
    declared = {action.name for action in ACTIONS.actions}
    if declared != set(runs):
        raise ValueError(f"workshop buttons without a function or declaration: "
                         f"{sorted(declared ^ set(runs))}")
    return Actions(ACTIONS.prefix, ACTIONS.role,
                   tuple(replace(action, run=runs[action.name]) for action in ACTIONS.actions))
