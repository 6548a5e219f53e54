"""While the database is away, knowledge questions are still answered; everything else
fails in a way the error handler turns into "the database is unavailable"."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from core.identity import unrecorded_actor
from core.router import handle_text, run_command
from core.services import Services


@pytest.fixture
def database_gone(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Services:
    """The same services, but the database can't be opened any more (its folder is gone)."""
    gone = tmp_path_factory.mktemp("gone") / "no-such-folder" / "advisor.sqlite3"
    services.engine.dispose()
    services.engine = create_engine(f"sqlite:///{gone}")
    return services


def test_questions_are_answered_while_the_database_is_away(database_gone: Services) -> None:
    visitor = unrecorded_actor(database_gone, user_id=7, chat_id=7, name="Anna",
                               username=None, language_code="de")
    assert "räumliche Konzentration" in handle_text(database_gone, visitor,
                                                    "Was ist ein Cluster?").text
    # a question the bot can't answer: the miss can't be logged, the reply still comes
    assert handle_text(database_gone, visitor, "Wie wird das Wetter morgen in Tampere?").text


def test_manager_ids_keep_their_role_without_the_database(database_gone: Services) -> None:
    manager = unrecorded_actor(database_gone, user_id=42, chat_id=42, name="Mia",
                               username=None, language_code="en")
    assert manager.role.value == "manager" and manager.language == "en"


def test_other_features_raise_the_database_error_for_the_error_handler(
        database_gone: Services) -> None:
    manager = unrecorded_actor(database_gone, user_id=42, chat_id=42, name="Mia",
                               username=None, language_code="de")
    with pytest.raises(OperationalError):
        run_command(database_gone, manager, "plan", "")
