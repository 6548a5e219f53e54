"""One engine per process, made at start-up from DATABASE_URL, and schema upgrades.

SQLite gets WAL mode (with `synchronous=NORMAL`: no disk sync per commit) and a busy timeout
so the bot and a CLI command can share the file, and a savepoint that would open the
transaction opens it as a writer (see `_savepoint_as_writer`);
PostgreSQL URLs are pointed at the psycopg 3 driver that the package installs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlmodel import Session, create_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain postgresql:// URLs (SQLAlchemy would pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str) -> Engine:
    """Create the engine; for SQLite create the folder and switch on WAL and busy timeout."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False,
                                                  "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _savepoint_as_writer)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()
    if mode is not None and str(mode[0]).lower() == "wal":
        # In WAL mode NORMAL is still safe from corruption and syncs only at checkpoints,
        # not at every commit; a power cut may lose the last commits, which the reminder
        # pass tolerates (at least once: a row back in 'sending'/'pending' is sent again).
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _savepoint_as_writer(connection: Any, _name: str | None) -> None:
    """Open the transaction with BEGIN IMMEDIATE when a SAVEPOINT would open it.

    Python's sqlite3 begins a transaction only before a write, so reads run outside one and
    the write waits for the lock (busy timeout). A SAVEPOINT (`session.begin_nested()`) with
    no transaction open starts a *deferred* one instead: the reads after it pin a snapshot,
    and when another connection commits before the first write, SQLite refuses that write at
    once with "database is locked" (SQLITE_BUSY_SNAPSHOT; no busy timeout can help, the
    snapshot is stale). Taking the write lock first makes such a unit wait its turn."""
    raw = connection.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        raw.execute("BEGIN IMMEDIATE")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One short session per unit of work: commit on success, roll back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def upgrade_schema(engine: Engine) -> None:
    """Bring the database to the newest Alembic revision (idempotent).

    A restart usually finds the schema current: then one read of `alembic_version` says so,
    and Alembic with its migration scripts is not loaded at all (0.3 s of the start)."""
    with engine.connect() as connection:
        if schema_is_current(connection):
            return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def schema_is_current(connection: Connection) -> bool:
    """Whether the database stands at exactly the newest revisions of the migrations."""
    if not inspect(connection).has_table("alembic_version"):
        return False
    stamped = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return frozenset(stamped) == newest_revisions()


@cache
def newest_revisions() -> frozenset[str]:
    """The migrations' heads — revisions no other migration names as its down_revision —
    read from the scripts' assignments without importing them (a test holds this equal to
    what Alembic itself finds)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = {t.id for t in targets if isinstance(t, ast.Name)}
                if "revision" in names:
                    revisions.add(str(ast.literal_eval(node.value)))
                elif "down_revision" in names:
                    value = ast.literal_eval(node.value)  # None, one revision or several
                    parents.update([value] if isinstance(value, str) else value or ())
    return frozenset(revisions - parents)


class DatabaseUnavailable(Exception):
    """The database cannot be used; the message is one line saying what to do."""


def open_database(url: str, *, upgrade: bool = True) -> Engine:
    """The engine for DATABASE_URL, connected and migrated — or DatabaseUnavailable with
    one line naming the problem (missing, unreachable, not a database, not writable)."""
    try:
        engine = make_engine(url)
    except (ArgumentError, ValueError) as exc:
        raise DatabaseUnavailable(f"DATABASE_URL cannot be read ({exc}); use sqlite:///PATH "
                                  "or postgresql://USER:PASSWORD@HOST:PORT/DB") from None
    except OSError as exc:
        raise DatabaseUnavailable(f"The database folder cannot be created: {exc.strerror} "
                                  f"({exc.filename}). Check DATABASE_URL.") from None
    try:
        if upgrade:
            upgrade_schema(engine)
        else:
            with engine.connect():
                pass
    except SQLAlchemyError as exc:
        engine.dispose()
        raise DatabaseUnavailable(describe_failure(url, exc)) from None
    return engine


def describe_failure(url: str, exc: SQLAlchemyError) -> str:
    """One line for an operator: which database, what went wrong, what to do."""
    where = make_url(normalise_url(url)).render_as_string(hide_password=True)
    reason = str(exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc)
    reason = reason.strip().splitlines()[0] if reason.strip() else type(exc).__name__
    lowered = reason.lower()
    if "not a database" in lowered or "file is encrypted" in lowered:
        hint = "the file is not a SQLite database: point DATABASE_URL at another file"
    elif "readonly" in lowered or "read-only" in lowered or "permission denied" in lowered:
        hint = "the database is not writable: check the file's and folder's permissions"
    elif "unable to open" in lowered:
        hint = "the database file cannot be opened: check the path in DATABASE_URL"
    elif "does not exist" in lowered:
        hint = "the database does not exist: create it or fix DATABASE_URL"
    elif ("connection refused" in lowered or "could not translate" in lowered
          or "timeout" in lowered or "no route" in lowered or "connection" in lowered):
        hint = "the database server is not reachable: is it running, are host and port right?"
    else:
        hint = "check DATABASE_URL and the database server"
    return f"Database {where} is unavailable ({reason}): {hint}."
