"""Every button of every feature, pressed with forged arguments, gets a notice and changes
nothing (buttons can be forged: Telegram clients send any callback data they like)."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, select

from bot.features import registry
from core.actor import Role
from core.router import press_button
from core.services import Services
from tests.conftest import actor

FORGED = ["²", "٣", "99999999999999999999999", "-1", "", "x" * 41, "<b>", "1.5"]
TABLES = registry().features


def _every_action() -> list[tuple[str, str, int]]:
    return [(table.prefix, action.name, len(action.arguments))
            for feature in TABLES for table in feature.actions for action in table.actions
            if action.arguments]


def _snapshot(services: Services) -> dict[str, list[tuple[object, ...]]]:
    metadata = MetaData()
    metadata.reflect(services.engine)
    with services.engine.connect() as connection:
        return {name: [tuple(row) for row in connection.execute(select(table))]
                for name, table in metadata.tables.items() if name != "alembic_version"}


@pytest.mark.parametrize(("prefix", "action", "arity"), _every_action())
def test_forged_arguments_get_a_notice_and_change_nothing(
        services: Services, prefix: str, action: str, arity: int) -> None:
    manager = actor(services, 42, role=Role.MANAGER)
    before = _snapshot(services)
    for forged in FORGED:
        data = ":".join([prefix, action, *([forged] * arity)])
        if len(data.encode()) > 64:
            continue
        reply = press_button(services, manager, data)
        assert reply.notice, data
    assert _snapshot(services) == before


@pytest.mark.parametrize("data", ["kb", "kb:", "nosuch:thing:1", ":", "🙂:x", "a" * 64])
def test_unknown_prefixes_and_empty_data_get_a_notice(services: Services, data: str) -> None:
    reply = press_button(services, actor(services, 42, role=Role.MANAGER), data)
    assert reply.notice_only and reply.notice
