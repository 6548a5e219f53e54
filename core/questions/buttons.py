"""The questions feature's buttons, declared once (see core/action_plan/buttons.py for the
pattern): `kb:` for everyone (browsing, 👍/👎, asking the management) and `teach:` for
managers (the review queue, cluster entries, replies to forwarded questions).

The kernel re-checks the role on every press; each function still refuses a stale press
(a group handled meanwhile, an entry deleted, a dialog that is over, someone else's answer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from core.actor import Actor, Role
from core.feature import Action, ActionFunction, Actions, integer, one_of, text
from core.i18n import LANGUAGES
from core.reply import Reply

LANGUAGE = one_of(*LANGUAGES)
VOTE = one_of("up", "down")
FIELD = one_of("title", "answer")


def _bound_later(services: object, actor: Actor, *arguments: object) -> Reply:
    raise RuntimeError("these buttons run only through the tables `bind` returns")


KB = Actions("kb", Role.VISITOR, (
    Action("chapters", _bound_later, (LANGUAGE,), optional=1),
    Action("chapter", _bound_later, (text, LANGUAGE), optional=1),
    Action("topic", _bound_later, (text, LANGUAGE), optional=1),
    Action("vote", _bound_later, (integer, VOTE)),  # checks that the answer was theirs
    # asking the cluster management about a missed question: offer, consent, decline
    Action("forward", _bound_later, (integer,), role=Role.MEMBER),
    Action("forward_yes", _bound_later, (integer,), role=Role.MEMBER),
    Action("forward_no", _bound_later, (integer,), role=Role.MEMBER),
))

TEACH = Actions("teach", Role.MANAGER, (
    # the review queue
    Action("queue", _bound_later, (integer,), optional=1),
    Action("group", _bound_later, (integer,)),
    Action("use", _bound_later, (integer, text)),
    Action("search", _bound_later, (integer,)),
    Action("new", _bound_later, (integer,), optional=1),
    Action("dismiss", _bound_later, (integer,)),
    Action("undo", _bound_later, (integer,)),
    # the new-entry dialog
    Action("title_q", _bound_later),
    Action("skip", _bound_later),
    Action("chapter", _bound_later, (text,)),
    Action("abort", _bound_later),
    # cluster entries and shipped ones
    Action("entries", _bound_later, (integer,), optional=1),
    Action("entry", _bound_later, (text,)),
    Action("edit", _bound_later, (text, FIELD, LANGUAGE)),
    Action("delete", _bound_later, (text,)),
    Action("delete_yes", _bound_later, (text,)),
    Action("history", _bound_later, (text,)),
    Action("hide", _bound_later, (text,)),
    Action("unhide", _bound_later, (text,)),
    # forwarded questions
    Action("reply", _bound_later, (integer,)),
    Action("to_entry", _bound_later, (integer,)),
))


def bind(table: Actions, runs: Mapping[str, ActionFunction]) -> Actions:
    """The table the router uses: every declared action with the function it runs."""
    declared = {action.name for action in table.actions}
    if declared != set(runs):
        raise ValueError(f"{table.prefix} buttons without a function or declaration: "
                         f"{sorted(declared ^ set(runs))}")
    return Actions(table.prefix, table.role,
                   tuple(replace(action, run=runs[action.name]) for action in table.actions))
