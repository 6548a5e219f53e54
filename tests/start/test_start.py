"""/start greets by role: members and managers get a short tour of what their role adds."""

from __future__ import annotations

from core.actor import Role
from core.router import press_button, run_command
from core.services import Services
from tests.conftest import actor


def test_a_visitor_gets_the_welcome_without_a_tour(services: Services) -> None:
    text = run_command(services, actor(services, 5), "start", "").text
    assert "Willkommen" in text and "/plan_add" not in text and "/profile" not in text


def test_a_member_gets_the_members_tour(services: Services) -> None:
    text = run_command(services, actor(services, 6, role=Role.MEMBER), "start", "").text
    assert "/profile" in text and "/match" in text and "/plan_add" not in text


def test_a_manager_gets_the_managers_tour_in_their_language(services: Services) -> None:
    text = run_command(services, actor(services, 42, language_code="en", role=Role.MANAGER),
                       "start", "").text
    assert "Welcome" in text and "/invite" in text and "/plan_add" in text


def test_the_welcome_button_opens_the_topics_in_place(services: Services) -> None:
    visitor = actor(services, 5)
    welcome = run_command(services, visitor, "start", "")
    topics = press_button(services, visitor, welcome.flat_choices[0].data)
    assert topics.edit and len(topics.flat_choices) >= 5
