"""The members' button tables: readable data, and forged or malformed data changing nothing
(even when a manager, who may press every button, sends it)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

import storage.schema  # noqa: F401  (every table on the metadata)
from core import dialogs
from core.actor import Role
from core.router import press_button, run_command
from core.services import Services
from tests.conftest import actor
from tests.members.support import (
    CONTACT,
    FORGET,
    INVITE,
    JOIN,
    MATCH,
    PROFILE,
    first,
    member,
    with_profile,
)

MALFORMED = (
    "match:contact:abc", "match:contact:1:2", "match:contact:", "match:page:1",
    "match:page:x:0", "match:page:1:0:0", "match:ask:1", "match",
    "contact:accept", "contact:accept:-1", "contact:accept:99999999999", "contact:maybe:1",
    "contact:send", "contact:send:x", "contact:skip", "contact:skip:1:2", "contact:stop:1",
    "contact:send:1", "contact:skip:1", "contact:stop",  # well-formed, but no request open
    "join:accept:abc", "join:decline:1.5", "join:accept:²",
    "invite:revoke:x", "invite:revoke", "invite:new:1", "invite:delete:1",
    "profile:kind:spaceship", "profile:edit:password", "profile:hide:now",
    "profile:visible:maybe", "profile:suggestions:all", "profile:vis:hide",
    "forget:confirm:7:soon", "forget:confirm:7", "forget:yes", "forget:keep:1",
)


def _database(services: Services) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to prove that nothing changed."""
    with services.engine.connect() as connection:
        return {table.name: [tuple(row) for row in connection.execute(
                    text(f'SELECT * FROM "{table.name}"'))]
                for table in SQLModel.metadata.sorted_tables}


def test_the_buttons_carry_readable_action_names() -> None:
    assert MATCH.data("contact", 12) == "match:contact:12"
    assert MATCH.data("page", 3, 1) == "match:page:3:1"
    assert CONTACT.data("accept", 5) == "contact:accept:5"
    assert JOIN.data("decline", 5) == "join:decline:5"
    assert INVITE.data("revoke", 2) == "invite:revoke:2"
    assert PROFILE.data("hide") == "profile:hide"
    assert PROFILE.data("suggestions", "take") == "profile:suggestions:take"
    assert FORGET.data("keep") == "forget:keep"


@pytest.mark.parametrize("data", MALFORMED)
def test_forged_or_malformed_data_changes_nothing(services: Services, data: str) -> None:
    manager = member(services, 42, role=Role.MANAGER)
    with_profile(services, 42, offers=["CRM"], needs=["RFID"])
    with_profile(services, 8, offers=["RFID"], needs=[])
    run_command(services, manager, "profile", "")
    press_button(services, manager, PROFILE.data("edit", "kind"))  # a dialog step is open
    before, state = _database(services), dialogs.current(services, manager)
    reply = press_button(services, manager, data)
    assert reply.notice_only and reply.extra == () and reply.text, data
    assert _database(services) == before
    assert dialogs.current(services, manager) == state


def test_a_join_decision_is_for_managers_and_a_forged_id_is_refused(services: Services
                                                                   ) -> None:
    visitor = member(services, 7, role=Role.VISITOR)
    sent = run_command(services, visitor, "join", "")
    accept = first(sent.extra[0].reply, JOIN, "accept")
    for someone in (visitor, member(services, 8)):
        assert press_button(services, someone, accept).notice_only
    manager = member(services, 42, role=Role.MANAGER)
    assert press_button(services, manager, JOIN.data("accept", 999)).notice_only
    assert actor(services, 7).role is Role.VISITOR
