"""Requests that one person decides once, with an accept and a decline button: a visitor's
/join request (a manager decides) and an introduction (the member asked decides).

Both kinds share the buttons (`prefix:accept:<id>`, `prefix:decline:<id>`), the rule that a
request is decided once (a second press says how it was decided, and changes nothing), and
the shape of the outcome: the decider's message is replaced by the result, and the person
who asked hears about it in their own chat. Each kind supplies only `decide`, the function
that checks who may decide its request and what follows.
"""

from __future__ import annotations

from collections.abc import Callable

from core.actor import Actor, Role
from core.feature import Action, Actions, integer
from core.i18n import t
from core.reply import Choice, Outgoing, Reply, refused_press
from core.services import Services
from storage.members.requests import ACCEPTED, OPEN

# (services, actor, request id, accepted?) -> the outcome
Decide = Callable[[Services, Actor, int, bool], Reply]


def decision_actions(prefix: str, role: Role, decide: Decide,
                     more: tuple[Action, ...] = ()) -> Actions:
    """The accept and decline buttons of one kind of request, both handled by `decide`,
    and `more` buttons of the same prefix (how the request is made)."""

    def accept(services: Services, actor: Actor, request_id: int) -> Reply:
        """Accept the request (once)."""
        return decide(services, actor, request_id, True)

    def decline(services: Services, actor: Actor, request_id: int) -> Reply:
        """Decline the request (once)."""
        return decide(services, actor, request_id, False)

    return Actions(prefix, role, (Action("accept", accept, (integer,)),
                                  Action("decline", decline, (integer,)), *more))


def decision_buttons(actions: Actions, request_id: int, accept_label: str,
                     decline_label: str) -> tuple[Choice, Choice]:
    """The two buttons under a request, accept first."""
    return (actions.button(accept_label, "accept", request_id),
            actions.button(decline_label, "decline", request_id))


def already_decided(lang: str, status: str, texts: str, **values: object) -> Reply | None:
    """None while the request is open; else the refusal `<texts>_already_accepted` or
    `<texts>_already_declined` (filled with `values`)."""
    if status == OPEN:
        return None
    outcome = "accepted" if status == ACCEPTED else "declined"
    return refused_press(t(lang, f"{texts}_already_{outcome}", **values))


def decided(text: str, notice: str, asker: int, message: str, *,
            menus: tuple[int, ...] = ()) -> Reply:
    """The outcome: the decider's message is replaced, the asker gets `message` (and the
    people in `menus` a command menu for their new role)."""
    return Reply(text, edit=True, notice=notice, extra=(Outgoing(asker, Reply(message)),),
                 menus=menus)
