"""The matchmaking index across restarts and instances: built in bulk, saved beside the
database, read back at start and brought up to date row by row; a damaged, foreign or
outdated snapshot is never trusted (issue #11)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.actor import Role
from core.members import common
from core.members.index import MemberIndex
from core.members.matching import search
from core.router import run_command
from core.services import Services
from storage.engine import session_scope
from storage.members.matchmaking import index_rows
from storage.members.profiles import get_profile, profile_of, set_visible
from storage.members.snapshots import snapshot_path
from tests.conftest import make_settings, start_services
from tests.members.support import CASES, import_member_set, member, organisations, with_profile

SEARCHER = 10


@pytest.fixture
def restart(own_database_url: str, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Start the bot's services again on the same database (the previous ones closed); a
    PostgreSQL database's snapshot goes to ./data/cache, here in the test's own folder."""
    monkeypatch.chdir(tmp_path)
    settings = make_settings(own_database_url, manager_ids="42")
    running: list[Services] = []

    def start() -> Services:
        for services in running:
            services.close()
        running.clear()
        running.append(start_services(settings))
        return running[0]

    yield start
    for services in running:
        services.close()


def no_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    def rebuilt(*_: object, **__: object) -> MemberIndex:
        raise AssertionError("the index was built afresh instead of read from the snapshot")

    monkeypatch.setattr(MemberIndex, "built", rebuilt)


def robotics(services: Services) -> set[str]:
    return set(organisations(services, "Robotik", exclude_owner=SEARCHER))


def test_a_restart_reads_the_snapshot_and_shows_what_changed_while_down(
        restart: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    services = restart()
    manager = member(services, 42, role=Role.MANAGER)
    with_profile(services, SEARCHER, offers=["CRM"], needs=[])
    for user_id, offers, organization in ((11, "Robotik", "Stays GmbH"),
                                          (12, "Robotik", "Hides AG"),
                                          (13, "Robotik", "Leaves KG"),
                                          (14, "Robotik", "Demoted eG"),
                                          (15, "Tourismus", "Edits OHG")):
        with_profile(services, user_id, offers=[offers], needs=[], organization=organization)
    assert robotics(services) == {"Stays GmbH", "Hides AG", "Leaves KG", "Demoted eG"}
    assert snapshot_path(services.settings.database_url).exists()  # type: ignore[union-attr]

    down = restart()  # another process while the bot is down: it never builds the index
    with_profile(down, 15, offers=["Robotik"], needs=[], organization="Edits OHG")
    with_profile(down, 16, offers=["Robotik"], needs=[], organization="Joins SE")
    run_command(down, manager, "demote", "14")
    with session_scope(down.engine) as session:
        set_visible(session=session, telegram_id=12, visible=False)
        gone = profile_of(session=session, telegram_id=13)
        session.delete(gone)

    no_rebuild(monkeypatch)
    services = restart()
    assert robotics(services) == {"Stays GmbH", "Edits OHG", "Joins SE"}
    assert organisations(services, "Tourismus", exclude_owner=SEARCHER) == []


def test_a_damaged_snapshot_is_ignored_and_replaced(restart: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    services = restart()
    with_profile(services, 11, offers=["Robotik"], needs=[], organization="Robo GmbH")
    assert robotics(services) == {"Robo GmbH"}
    path = snapshot_path(services.settings.database_url)
    assert path is not None
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    services = restart()
    assert robotics(services) == {"Robo GmbH"}
    path.write_bytes(path.read_bytes()[:-100])  # written again; now cut short
    services = restart()
    assert robotics(services) == {"Robo GmbH"}
    path.write_bytes(b"not a snapshot at all")
    services = restart()
    assert robotics(services) == {"Robo GmbH"}
    no_rebuild(monkeypatch)  # the last start saved a good one again
    services = restart()
    assert robotics(services) == {"Robo GmbH"}


def test_a_snapshot_of_another_database_shows_nothing_of_it(tmp_path: Path) -> None:
    first = start_services(make_settings(f"sqlite:///{tmp_path / 'first.sqlite3'}"))
    second = start_services(make_settings(f"sqlite:///{tmp_path / 'second.sqlite3'}"))
    try:
        with_profile(first, 11, offers=["Robotik"], needs=[], organization="First GmbH")
        with_profile(second, 11, offers=["Tourismus"], needs=[], organization="Second AG")
        with_profile(second, 12, offers=["Robotik"], needs=[], organization="Other AG")
        assert robotics(first) == {"First GmbH"}
        mine = snapshot_path(first.settings.database_url)
        theirs = snapshot_path(second.settings.database_url)
        assert mine is not None and theirs is not None and mine != theirs
        shutil.copyfile(mine, theirs)
    finally:
        first.close()
        second.close()
    second = start_services(make_settings(f"sqlite:///{tmp_path / 'second.sqlite3'}"))
    try:
        assert robotics(second) == {"Other AG"}
        assert organisations(second, "Tourismus") == ["Second AG"]
    finally:
        second.close()


def test_a_snapshot_made_by_other_code_is_not_used(restart: Any,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    services = restart()
    with_profile(services, 11, offers=["Robotik"], needs=[], organization="Robo GmbH")
    assert robotics(services) == {"Robo GmbH"}
    builds: list[int] = []
    bulk = MemberIndex.built

    def counted(*args: Any, **kwargs: Any) -> MemberIndex:
        builds.append(1)
        return bulk(*args, **kwargs)

    monkeypatch.setattr(MemberIndex, "built", counted)
    monkeypatch.setattr(common, "fingerprint", lambda: "an older version")
    services = restart()
    assert robotics(services) == {"Robo GmbH"}
    assert builds == [1]


def test_the_bulk_build_ranks_exactly_like_indexing_row_by_row(services: Services) -> None:
    import_member_set(services)
    with session_scope(services.engine) as session:
        rows = list(index_rows(session=session, manager_ids=services.settings.manager_ids))
    bulk = MemberIndex.built(rows)
    one_by_one = MemberIndex()
    for row in rows:
        one_by_one.upsert(row)
    for case in CASES:
        ranked = [index.search(index.parse(case["q"])) for index in (bulk, one_by_one)]
        assert ranked[0].hits == ranked[1].hits, case["q"]
        assert (bulk.explain(ranked[0], ranked[0].hits)
                == one_by_one.explain(ranked[1], ranked[1].hits)), case["q"]


def test_another_instance_demoting_or_deleting_is_noticed_while_running(
        restart: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    services = restart()
    settings = services.settings
    manager = member(services, 42, role=Role.MANAGER)
    with_profile(services, 11, offers=["Robotik"], needs=[], organization="Demoted eG")
    with_profile(services, 12, offers=["Robotik"], needs=[], organization="Deleted KG")
    with_profile(services, 13, offers=["Robotik"], needs=[], organization="Stays GmbH")
    assert robotics(services) == {"Demoted eG", "Deleted KG", "Stays GmbH"}
    other = start_services(settings)  # a second instance on the same database
    try:
        run_command(other, manager, "demote", "11")
        with session_scope(other.engine) as session:
            profile = profile_of(session=session, telegram_id=12)
            assert profile is not None and get_profile(session=session,
                                                       profile_id=profile.id or 0)
            session.delete(profile)
    finally:
        other.close()
    monkeypatch.setattr(common, "SYNC_INTERVAL_SECONDS", 0.0)
    assert robotics(services) == {"Stays GmbH"}
    assert search(services, "Robotik").hits  # still answering from the same index


def test_cache_dir_holds_the_snapshot_a_restart_reads(
        own_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache-elsewhere"
    settings = make_settings(own_database_url, cache_dir=str(cache))
    services = start_services(settings)
    try:
        with_profile(services, SEARCHER, offers=["CRM"], needs=[])
        with_profile(services, 11, offers=["Robotik"], needs=[], organization="Robo GmbH")
        assert robotics(services) == {"Robo GmbH"}
    finally:
        services.close()
    default = snapshot_path(settings.database_url)
    assert default is not None and not default.exists()  # nothing beside the database
    # the matchmaking snapshot is there (beside the question index's, core.question_index)
    assert [p.parent for p in cache.iterdir() if "matchindex" in p.name] == [cache]
    no_rebuild(monkeypatch)
    services = start_services(settings)
    try:
        assert robotics(services) == {"Robo GmbH"}
    finally:
        services.close()
