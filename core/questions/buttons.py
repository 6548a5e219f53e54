"""The questions feature's buttons, declared once (see core/action_plan/buttons.py for the
pattern): `kb:` for everyone (browsing, 👍/👎, asking the management) and `teach:` for
managers (the review queue, cluster entries, replies to forwarded questions).

The kernel re-checks the role on every press; each function still refuses a stale press
(a group handled meanwhile, an entry deleted, a dialog that is over, someone else's answer).
"""

from __future__ import annotations

from core.actor import Role
from core.feature import Action, Actions, integer, one_of, text, unbound
from core.i18n import LANGUAGES

LANGUAGE = one_of(*LANGUAGES)
VOTE = one_of("up", "down")
FIELD = one_of("title", "answer")


KB = Actions("kb", Role.VISITOR, (
    Action("chapters", unbound, (LANGUAGE,), optional=1),
    Action("chapter", unbound, (text, LANGUAGE), optional=1),
    Action("topic", unbound, (text, LANGUAGE), optional=1),
    Action("vote", unbound, (integer, VOTE)),  # checks that the answer was theirs
    # asking the cluster management about a missed question: offer, consent, decline
    Action("forward", unbound, (integer,), role=Role.MEMBER),
    Action("forward_yes", unbound, (integer,), role=Role.MEMBER),
    Action("forward_no", unbound, (integer,), role=Role.MEMBER),
))

TEACH = Actions("teach", Role.MANAGER, (
    # the review queue
    Action("queue", unbound, (integer,), optional=1),
    Action("group", unbound, (integer,)),
    Action("use", unbound, (integer, text)),
    Action("search", unbound, (integer,)),
    Action("new", unbound, (integer,), optional=1),
    Action("dismiss", unbound, (integer,)),
    Action("undo", unbound, (integer,)),
    # the new-entry dialog
    Action("title_q", unbound),
    Action("skip", unbound),
    Action("chapter", unbound, (text,)),
    Action("abort", unbound),
    # cluster entries and shipped ones
    Action("entries", unbound, (integer,), optional=1),
    Action("entry", unbound, (text,)),
    Action("edit", unbound, (text, FIELD, LANGUAGE)),
    Action("delete", unbound, (text,)),
    Action("delete_yes", unbound, (text,)),
    Action("history", unbound, (text,)),
    Action("hide", unbound, (text,)),
    Action("unhide", unbound, (text,)),
    # forwarded questions
    Action("reply", unbound, (integer,)),
    Action("to_entry", unbound, (integer,)),
))

