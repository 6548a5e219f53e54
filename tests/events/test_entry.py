"""/event_new without arguments: the guided dialog asks field by field, explains a wrong
field and asks it again, saves nothing before the end, and /cancel leaves nothing behind."""

from __future__ import annotations

from core.locale import format_date
from core.router import handle_text, run_command
from core.services import Services
from storage.engine import session_scope
from storage.events.events import all_events
from tests.e2e_support import t
from tests.events.support import manager, tomorrow


def _events(services: Services) -> int:
    with session_scope(services.engine) as session:
        return len(all_events(session=session))


def test_the_dialog_asks_each_field_and_creates_the_event(services: Services) -> None:
    boss = manager(services)
    assert run_command(services, boss, "event_new", "").text == t("de", "events_entry_title")
    assert handle_text(services, boss, "Matchmaking Mobilität").text == t(
        "de", "events_entry_when")
    wrong = handle_text(services, boss, "31.02.2027 14:00").text
    assert wrong.startswith(t("de", "events_new_bad_date"))
    assert wrong.endswith(t("de", "events_entry_when"))
    day = format_date(tomorrow().date(), "de")
    assert handle_text(services, boss, f"{day} 14:00-18:00").text == t(
        "de", "events_entry_place")
    assert handle_text(services, boss, "https://meet.example/xyz").text == t(
        "de", "events_entry_capacity")
    assert handle_text(services, boss, "viele").text.startswith(
        t("de", "events_new_bad_capacity", limit=5000))
    handle_text(services, boss, "30")
    assert _events(services) == 0  # nothing saved before the end
    assert handle_text(services, boss, day).text == t("de", "events_entry_options")
    bad = handle_text(services, boss, "Gespräche: 19:00-20:00").text
    assert bad.startswith(t("de", "events_new_bad_window"))
    done = handle_text(services, boss, "Gespräche: 15:00-17:00 | Tische: 4")
    assert t("de", "events_created", id=1) in done.text
    assert "🔗 Online: https://meet.example/xyz" in done.text and "4 Tische" in done.text
    assert _events(services) == 1


def test_cancel_ends_the_dialog_without_an_event(services: Services) -> None:
    boss = manager(services)
    run_command(services, boss, "event_new", "")
    handle_text(services, boss, "Titel")
    run_command(services, boss, "cancel", "")
    assert _events(services) == 0
    assert handle_text(services, boss, "-").text != t("de", "events_entry_when")
