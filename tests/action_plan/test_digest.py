"""The managers' weekly digest: once a week with its sections, and the lines other features
add through the registry, asked for the moment of the pass."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.features import registry
from core.action_plan import items as plan_items
from core.actor import Role
from core.feature import Feature
from core.i18n import t
from core.registry import Registry
from core.router import run_command
from core.services import Services, build_services
from core.settings import Settings
from storage.action_plan.tables import ItemStatus
from tests.action_plan.support import (
    MANAGER,
    RecordingSender,
    add_item,
    berlin,
    manager,
    person,
    run,
)

DEADLINE = date(2027, 3, 31)  # a Wednesday
OWNER = 7


def test_weekly_digest_goes_to_managers_once_a_week_with_its_sections(
        services: Services) -> None:
    person(services, OWNER)
    boss = manager(services, language="en")
    soon = add_item(services, boss, deadline=date(2027, 3, 30), responsible="@user7",
                    topic="Soon topic", now=berlin(2027, 3, 1))
    add_item(services, boss, deadline=date(2027, 3, 10), responsible="CARS",
             topic="Late topic", now=berlin(2027, 3, 1))
    add_item(services, boss, deadline=DEADLINE, responsible="@ghost_user", topic="Ghost",
             now=berlin(2027, 3, 1))
    finished = add_item(services, boss, deadline=DEADLINE, responsible="@user7",
                        topic="Finished topic", now=berlin(2027, 3, 1))
    assert finished.id is not None and soon.id is not None
    plan_items.change_status(services, boss, finished.id, ItemStatus.DONE,
                             now=berlin(2027, 3, 19))
    sender = RecordingSender()
    run(services, sender, berlin(2027, 3, 22, 8, 59))  # Monday before 09:00
    assert sender.to(MANAGER) == []
    run(services, sender, berlin(2027, 3, 22, 9, 0))
    run(services, sender, berlin(2027, 3, 22, 9, 1))
    run(services, sender, berlin(2027, 3, 24, 12, 0))
    digests = sender.to(MANAGER)
    assert len(digests) == 1, "one digest per week"
    text = digests[0].text
    assert text.startswith(t("en", "plan_digest_title", week=12, year=2027))
    for expected in ("Soon topic", "Late topic", "Finished topic", "@ghost_user",
                     "CARS", "has not started the bot", "not a bot user"):
        assert expected in text, expected
    assert text.index("Soon topic") < text.index("Late topic") < text.index("Finished topic")
    finished_line = next(line for line in text.splitlines() if "Finished topic" in line)
    assert "@user7" in finished_line
    run(services, sender, berlin(2027, 3, 29, 9, 0))  # next Monday
    assert len(sender.to(MANAGER)) == 2


def test_other_features_lines_are_in_the_digest_as_of_the_pass(settings: Settings) -> None:
    asked: list[tuple[str, Any]] = []

    def warnings(services: Services, lang: str, at: datetime) -> list[str]:
        asked.append((lang, at))
        return ["<b>Monitoring</b> fehlt"]

    def broken(services: Services, lang: str, at: datetime) -> list[str]:
        raise RuntimeError("a broken section")

    features = [*registry().features, Feature("lines", digest_lines=warnings),
                Feature("broken", digest_lines=broken)]
    services = build_services(settings, Registry(features))  # MANAGER_IDS=42
    try:
        manager(services)
        sender = RecordingSender()
        run(services, sender, berlin(2027, 3, 22, 9, 30))  # Monday: the digest is due
    finally:
        services.close()
    (digest,) = sender.to(MANAGER)
    assert f"<b>{t('de', 'plan_digest_warnings')}</b>\n• <b>Monitoring</b> fehlt" in digest.text
    assert asked == [("de", berlin(2027, 3, 22, 9, 30))], "asked once, for the pass's moment"


def _digests(sender: RecordingSender, chat_id: int) -> list[str]:
    return [reply.text for reply in sender.to(chat_id) if reply.text.startswith("📋")]


def test_no_digest_when_the_week_has_nothing_to_say(services: Services) -> None:
    manager(services)
    sender = RecordingSender()
    first = run(services, sender, berlin(2027, 3, 22, 9, 30))  # first start, empty plan
    assert sender.to(MANAGER) == [] and first.skipped == 1
    assert run(services, sender, berlin(2027, 3, 22, 9, 31)).skipped == 0, "not tried again"
    person(services, OWNER)
    add_item(services, manager(services), deadline=date(2027, 12, 31), responsible="@user7",
             kpi="3 Zirkel", now=berlin(2027, 3, 23))  # far off, reachable: nothing to report
    run(services, sender, berlin(2027, 3, 29, 9))
    assert sender.to(MANAGER) == []
    add_item(services, manager(services), deadline=date(2027, 4, 9), responsible="@user7",
             topic="Bald", now=berlin(2027, 3, 30))
    run(services, sender, berlin(2027, 4, 5, 9))
    (digest,) = _digests(sender, MANAGER)
    assert "Bald" in digest


def test_a_manager_promoted_after_the_digest_gets_it_from_the_next_week(
        services: Services) -> None:
    person(services, OWNER)
    boss = manager(services)
    add_item(services, boss, deadline=date(2027, 4, 30), responsible="CARS",
             now=berlin(2027, 3, 1))  # shown every week: CARS can't be reminded
    person(services, 8)
    run_command(services, boss, "promote", "@user8")  # before this week's digest
    sender = RecordingSender()
    run(services, sender, berlin(2027, 3, 22, 9))
    assert len(_digests(sender, MANAGER)) == 1 and len(_digests(sender, 8)) == 1
    person(services, 9, role=Role.VISITOR)
    for _step in ("member", "manager"):  # promoted on Monday, after the digest went out
        run_command(services, boss, "promote", "@user9")
    assert person(services, 9, role=Role.MANAGER).role is Role.MANAGER
    for moment in (berlin(2027, 3, 22, 10), berlin(2027, 3, 24, 9), berlin(2027, 3, 28, 23)):
        run(services, sender, moment)
    assert _digests(sender, 9) == [], "not this week's digest at once"
    run(services, sender, berlin(2027, 3, 29, 9))
    assert len(_digests(sender, 9)) == 1 and len(_digests(sender, MANAGER)) == 2
