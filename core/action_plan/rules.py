"""Who may do what with an action item. Checked again on every command and button press.

Members of the cluster see the plan; managers add and edit every item; the responsible
person updates their own items (status, deadline, participants, KPI) - also when they are not
a member yet, because a manager named them.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.actor import Actor, Role
from storage.accounts.tables import Member
from storage.action_plan.tables import ACTIVE_STATUSES, PlanItem

EDIT_FIELDS = ("topic", "action", "deadline", "responsible", "participants", "kpi")
RESPONSIBLE_FIELDS = ("deadline", "participants", "kpi")


@dataclass(frozen=True)
class Viewer:
    """The actor together with their member row (None only before the first contact)."""

    actor: Actor
    member: Member | None

    @property
    def member_id(self) -> int | None:
        return self.member.id if self.member is not None else None

    @property
    def is_manager(self) -> bool:
        return self.actor.at_least(Role.MANAGER)

    @property
    def is_member(self) -> bool:
        return self.actor.at_least(Role.MEMBER)


def is_responsible(viewer: Viewer, item: PlanItem) -> bool:
    if item.responsible_id is not None:
        return item.responsible_id == viewer.member_id
    username = viewer.actor.username
    return bool(item.responsible_username and username
                and item.responsible_username.lower() == username.lower())


def may_view(viewer: Viewer, item: PlanItem) -> bool:
    return viewer.is_member or is_responsible(viewer, item)


def may_update(viewer: Viewer, item: PlanItem) -> bool:
    """Change status or deadline: managers, and the responsible person."""
    return viewer.is_manager or is_responsible(viewer, item)


def editable_fields(viewer: Viewer, item: PlanItem) -> tuple[str, ...]:
    if viewer.is_manager:
        return EDIT_FIELDS
    return RESPONSIBLE_FIELDS if is_responsible(viewer, item) else ()


def is_active(item: PlanItem) -> bool:
    return item.status in ACTIVE_STATUSES
