"""/profile: the guided dialog, keyword suggestions, the visibility question, editing, and
the same flow in the console chat."""

from __future__ import annotations

import io

from bot.console import ConsoleChat
from core import dialogs
from core.actor import Actor, Role
from core.reply import Reply
from core.router import handle_text, press_button, run_command
from core.services import Services
from storage.engine import session_scope
from storage.members.profiles import profile_of
from storage.members.tables import PROFILE_KINDS
from tests.members.support import PROFILE, member, with_profile


def _profile(services: Services, user: Actor):  # type: ignore[no-untyped-def]
    with session_scope(services.engine) as session:
        return profile_of(session=session, telegram_id=user.user_id)


def _data(reply: Reply) -> list[str]:
    return [choice.data for choice in reply.flat_choices]


def test_dialog_creates_a_profile_and_asks_visibility_explicitly(services: Services) -> None:
    user = member(services, 7)
    first = run_command(services, user, "profile", "")
    assert "Schritt 1/8" in first.text and "User 7" in first.text
    assert "Schritt 2/8" in handle_text(services, user, "-").text  # Telegram name taken
    kind = handle_text(services, user, "Muster GmbH")
    assert _data(kind) == [PROFILE.data("kind", k) for k in PROFILE_KINDS]
    assert PROFILE_KINDS == ("company", "research", "public", "cluster", "other")
    assert "Schritt 4/8" in press_button(services, user, PROFILE.data("kind", "research")).text
    handle_text(services, user, "Gelsenkirchen")
    handle_text(services, user, "Robotik, Sensorik")
    handle_text(services, user, "Pilotkunden")
    visible = handle_text(services, user, "Wir bauen Roboter.")
    assert "Schritt 8/8" in visible.text and "Matchmaking" in visible.text
    assert _data(visible) == [PROFILE.data("visible", "yes"), PROFILE.data("visible", "no")]
    assert _profile(services, user) is None, "nothing is saved before the last answer"
    done = press_button(services, user, PROFILE.data("visible", "no"))
    assert "Gespeichert" in done.text and "Verborgen" in done.text
    saved = _profile(services, user)
    assert saved is not None and saved.name == "User 7" and saved.kind == "research"
    assert saved.offers == ["Robotik", "Sensorik"] and saved.needs == ["Pilotkunden"]
    assert saved.visible is False and saved.complete
    assert dialogs.current(services, user) is None


def test_a_keyword_close_to_one_used_in_the_cluster_is_offered(services: Services) -> None:
    with_profile(services, 2, offers=["Logistik", "RFID"], needs=[])
    user = member(services, 7)
    run_command(services, user, "profile", "")
    for answer in ("Anna", "ACME", "Firma", "Essen"):
        handle_text(services, user, answer)
    asked = handle_text(services, user, "logistic, RFDI, Blockchain")
    assert "Meinten Sie" in asked.text
    assert "logistic → <b>Logistik</b>?" in asked.text and "RFDI → <b>RFID</b>?" in asked.text
    assert "Blockchain →" not in asked.text
    press_button(services, user, PROFILE.data("suggestions", "take"))
    handle_text(services, user, "Logistk")  # needs: a typo of a cluster keyword
    press_button(services, user, PROFILE.data("suggestions", "keep"))
    handle_text(services, user, "-")
    press_button(services, user, PROFILE.data("visible", "yes"))
    saved = _profile(services, user)
    assert saved is not None
    assert saved.offers == ["Logistik", "RFID", "Blockchain"]
    assert saved.needs == ["Logistk"]


def test_typing_a_new_list_instead_of_pressing_replaces_the_suggestion(
        services: Services) -> None:
    with_profile(services, 2, offers=["Logistik"], needs=[])
    user = member(services, 7, language_code="en")
    run_command(services, user, "profile", "")
    for answer in ("Anna", "ACME", "company", "Essen"):
        handle_text(services, user, answer)
    assert "Did you mean" in handle_text(services, user, "logistic").text
    assert "Step 6/8" in handle_text(services, user, "Logistik, CRM").text
    handle_text(services, user, "RFID")
    handle_text(services, user, "-")
    assert "Step 8/8" in handle_text(services, user, "maybe").text  # not yes/no: asked again
    handle_text(services, user, "yes")
    saved = _profile(services, user)
    assert saved is not None and saved.offers == ["Logistik", "CRM"] and saved.visible


def test_bad_answers_are_explained_and_asked_again(services: Services) -> None:
    user = member(services, 7)
    run_command(services, user, "profile", "")
    assert "höchstens 100" in handle_text(services, user, "x" * 101).text
    handle_text(services, user, "Anna")
    handle_text(services, user, "-")
    assert "Schaltflächen" in handle_text(services, user, "Raumschiff").text
    handle_text(services, user, "sonstige")
    handle_text(services, user, "-")
    too_many = ", ".join(f"Thema {i}" for i in range(16))
    assert "höchstens 15" in handle_text(services, user, too_many).text
    assert "zu lang" in handle_text(services, user, "y" * 61).text
    handle_text(services, user, "-")
    assert "mindestens ein Angebot" in handle_text(services, user, "-").text
    handle_text(services, user, "CRM")
    handle_text(services, user, "-")
    handle_text(services, user, "ja")
    saved = _profile(services, user)
    assert saved is not None and saved.organization == "" and saved.kind == "other"
    assert saved.offers == [] and saved.needs == ["CRM"] and not saved.complete


def test_editing_one_field_keeps_the_rest_and_dash_keeps_a_value(services: Services) -> None:
    user = with_profile(services, 7, offers=["CRM"], needs=["RFID"], name="Anna",
                        description="Alt")
    overview = run_command(services, user, "profile", "")
    assert "Ihr Profil" in overview.text and PROFILE.data("edit", "offers") in _data(overview)
    asked = press_button(services, user, PROFILE.data("edit", "offers"))
    assert "Bisher: <i>CRM</i>" in asked.text
    saved = handle_text(services, user, "CRM, Usability")
    assert "Gespeichert" in saved.text
    profile = _profile(services, user)
    assert profile is not None and profile.offers == ["CRM", "Usability"]
    assert profile.needs == ["RFID"] and profile.description == "Alt"
    press_button(services, user, PROFILE.data("edit", "all"))
    for _ in range(2):
        handle_text(services, user, "-")
    press_button(services, user, PROFILE.data("kind", "cluster"))
    for _ in range(4):
        handle_text(services, user, "-")
    press_button(services, user, PROFILE.data("visible", "yes"))
    profile = _profile(services, user)
    assert profile is not None and profile.name == "Anna" and profile.kind == "cluster"
    assert profile.offers == ["CRM", "Usability"] and profile.description == "Alt"


def test_visibility_button_hides_and_shows_and_stale_dialog_buttons_do_nothing(
        services: Services) -> None:
    user = with_profile(services, 7, offers=["CRM"], needs=[])
    hidden = press_button(services, user, PROFILE.data("hide"))
    assert hidden.edit and "verborgen" in hidden.text
    profile = _profile(services, user)
    assert profile is not None and not profile.visible
    press_button(services, user, PROFILE.data("show"))
    profile = _profile(services, user)
    assert profile is not None and profile.visible
    stale = press_button(services, user, PROFILE.data("visible", "no"))  # no dialog open
    assert stale.notice_only
    profile = _profile(services, user)
    assert profile is not None and profile.visible


def test_user_html_in_the_profile_is_escaped(services: Services) -> None:
    user = with_profile(services, 7, offers=["<i>CRM</i>"], needs=[], name="<b>A&B</b>")
    text = run_command(services, user, "profile", "").text
    assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in text and "&lt;i&gt;CRM&lt;/i&gt;" in text


def test_profile_and_match_in_the_console(services: Services) -> None:
    with_profile(services, 2, offers=["Logistik", "RFID"], needs=[],
                 organization="Westfalen Logistik GmbH")
    output = io.StringIO()
    lines = ["/profile", "Konsolen Nutzer", "Konsole AG", "1", "Bochum", "logistic", "1",
             "CRM", "-", "1", "/match", "/match logistics", "1", "Wir sollten reden!", "1"]
    ConsoleChat(services, role=Role.MEMBER, output=output).run(
        io.StringIO("\n".join(lines) + "\n"))
    transcript = output.getvalue()
    assert "Meinten Sie" in transcript and "logistic → Logistik?" in transcript
    assert "[1] 👁 Ja, sichtbar" in transcript
    assert "Bietet: Logistik" in transcript
    assert "Passend zu: logistics" in transcript and "Westfalen Logistik GmbH" in transcript
    assert "Für Ihre Bedarfe und Angebote habe ich kein passendes Mitglied" in transcript
    assert "Kontakt anfragen" in transcript
    assert "Ohne Nachricht senden" in transcript and "Wir sollten reden!" in transcript
    assert "Kontaktanfrage an Person 2 ist unterwegs" in transcript
    assert "✉️ → 2:" in transcript
    assert "Nachricht: Wir sollten reden!" in transcript.split("✉️ → 2:")[1]


def test_a_member_demoted_during_the_dialog_cannot_finish_it(services: Services) -> None:
    user = member(services, 7)
    run_command(services, user, "profile", "")
    handle_text(services, user, "Anna")
    visitor = member(services, 7, role=Role.VISITOR)
    assert "nur für Mitglieder" in handle_text(services, visitor, "ACME").text
    assert dialogs.current(services, visitor) is None and _profile(services, visitor) is None
