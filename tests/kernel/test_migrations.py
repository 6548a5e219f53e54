"""The Alembic migrations build exactly the schema the SQLModel tables describe."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import storage.schema  # noqa: F401  (every table on the metadata)
from storage.engine import (
    MIGRATIONS_DIR,
    make_engine,
    newest_revisions,
    schema_is_current,
    upgrade_schema,
)


def differences(connection: Connection) -> list[object]:
    """What the database's schema lacks or has beyond the SQLModel tables."""
    context = MigrationContext.configure(connection, opts={"compare_type": False})
    return list(compare_metadata(context, SQLModel.metadata))


def test_migrated_database_matches_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        upgrade_schema(engine)
        with engine.connect() as connection:
            found = differences(connection)
    finally:
        engine.dispose()
    assert found == []


def test_the_restart_check_knows_the_same_newest_revision_as_alembic() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert newest_revisions() == frozenset(ScriptDirectory.from_config(config).get_heads())


def test_a_database_behind_the_newest_revision_is_still_upgraded(tmp_path: Path) -> None:
    """The restart check must not mistake an older schema for a current one: a database
    stamped one revision back gets the last migration's changes on the next start."""
    engine = make_engine(f"sqlite:///{tmp_path}/old.sqlite3")
    try:
        upgrade_schema(engine)
        with engine.connect() as connection:
            assert schema_is_current(connection)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "-1")
        with engine.connect() as connection:
            assert not schema_is_current(connection)
            assert differences(connection) != []
        upgrade_schema(engine)
        with engine.connect() as connection:
            assert schema_is_current(connection)
            assert differences(connection) == []
    finally:
        engine.dispose()


def test_a_new_database_is_not_current_until_migrated(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/new.sqlite3")
    try:
        with engine.connect() as connection:
            assert not schema_is_current(connection)
    finally:
        engine.dispose()
